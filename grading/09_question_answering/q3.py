"""Exercise 3's hidden checks, appended to companion/exercise_checks/09_question_answering/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the fine-tuned reader's own answer", points=1, hidden=True)
def hidden_the_readers_answer(mine, my_answer, reader, tokenizer, MAX_LENGTH, STRIDE):  # noqa: N803
    from torch.utils.data import DataLoader
    from transformers import DataCollatorWithPadding

    from companion import qa

    features = qa.prepare_eval_features(mine, tokenizer, max_length=MAX_LENGTH, stride=STRIDE)
    inputs = ("input_ids", "token_type_ids", "attention_mask")
    windows = [{key: features[key][i] for key in inputs if key in features} for i in range(len(features["input_ids"]))]
    loader = DataLoader(windows, batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer))
    starts, ends = qa.predict_spans(reader, loader, width=MAX_LENGTH)
    expected = qa.postprocess(mine, features, starts, ends)
    for key in mine["id"]:
        assert my_answer[key] == expected[key], (
            f"my_answer[{key!r}] = {my_answer[key]!r}, but the fine-tuned reader (`reader`), asked through "
            f"prepare_eval_features, predict_spans and postprocess, answers {expected[key]!r}"
        )
