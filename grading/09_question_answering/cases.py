"""What tests/test_grading.py needs to test chapter 9's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them (the data, the tokenizer and the window sizes: seconds), then context(), then the stub, the solution
or a wrong answer of each exercise, and then that exercise's checks.
The chapter fine-tunes a reader for minutes: context() stands in for it with the packaged model under a fresh,
untrained question-answering head (exercise 3 asks it a question), and for its logits on the validation
windows with noisy ones that favour each window's answer span (seeded), so that post-processing finds right,
partly right and wrong answers; then it runs the chapter's own cells that score them.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

from pathlib import Path

CONTEXT = [
    "from companion import checks",  # the imports, and the seed
    "import numpy as np",  # the data: squad_train and the validation sample
    "context, answer = sample",  # `context`, read by the tokenizer's cell
    "# a rehearsal has only a few rows",  # `train`, read by the windows' cell
    "tokenizer = models.load_tokenizer()",
    "MAX_LENGTH, STRIDE",  # the window sizes
]

_CHAPTER = Path(__file__).resolve().parents[2] / "book" / "09_question_answering.ipynb"


def _run(namespace: dict, start: str) -> None:
    """Run the chapter's code cell that starts with `start` in namespace."""
    import nbformat

    cells = nbformat.read(_CHAPTER, as_version=4).cells
    [source] = [cell.source for cell in cells if cell.cell_type == "code" and cell.source.startswith(start)]
    exec(compile(source, f"09_question_answering: {start}", "exec"), namespace)


def context(namespace: dict) -> None:
    """Stand in for the fine-tuned reader and its logits; then score them with the chapter's cells."""
    import numpy as np
    from torch.utils.data import DataLoader
    from transformers import AutoModelForQuestionAnswering, DataCollatorWithPadding

    qa, models = namespace["qa"], namespace["models"]
    tokenizer, validation = namespace["tokenizer"], namespace["validation"]
    max_length, stride = namespace["MAX_LENGTH"], namespace["STRIDE"]
    namespace.update(
        DataLoader=DataLoader,
        collator=DataCollatorWithPadding(tokenizer),
        reader=models.load_model(AutoModelForQuestionAnswering).eval(),  # an untrained head
    )
    features = validation.map(
        lambda b: qa.prepare_eval_features(b, tokenizer, max_length=max_length, stride=stride),
        batched=True,
        remove_columns=validation.column_names,
    )
    labels = qa.prepare_train_features(validation[:], tokenizer, max_length=max_length, stride=stride)
    assert len(labels["input_ids"]) == len(features)
    rng = np.random.default_rng(0)
    logits = []
    for positions in (labels["start_positions"], labels["end_positions"]):
        noisy = rng.normal(size=(len(features), max_length)).astype(np.float32)
        noisy[np.arange(len(features)), positions] += 2.5  # the answer's token, or [CLS] where it is absent
        for window, ids in enumerate(labels["input_ids"]):
            noisy[window, len(ids) :] = -1e4  # past the window's end, as qa.predict_spans pads
        logits.append(noisy)
    namespace.update(validation_features=features, start_logits=logits[0], end_logits=logits[1])
    namespace["predictions"] = qa.postprocess(validation, features, logits[0], logits[1])
    for start in ("references = {", "baseline = {", "table = pd.DataFrame("):
        _run(namespace, start)


_MINE = (
    "mine = {\n"
    '    "id": ["mine"],\n'
    '    "question": ["What does BERT predict for extractive question answering?"],\n'
    '    "context": ["For extractive question answering, BERT predicts the start and the end of "\n'
    '    "the answer span inside the context paragraph."],\n'
    "}\n"
)
_ASKED = (  # the solution's three steps, which the answers below then misuse or skip
    _MINE + "my_features = qa.prepare_eval_features(mine, tokenizer, max_length=MAX_LENGTH, stride=STRIDE)\n"
    "inputs = ('input_ids', 'token_type_ids', 'attention_mask')\n"
    "my_loader = DataLoader([{key: my_features[key][i] for key in inputs} "
    "for i in range(len(my_features['input_ids']))], batch_size=8, collate_fn=collator)\n"
    "my_start, my_end = qa.predict_spans(reader, my_loader, width=MAX_LENGTH)\n"
)
_POSTPROCESSED = (
    "rows = {{name: qa.squad_scores(qa.postprocess(validation, validation_features, {logits}, n_best=n, "
    "max_answer_length=m), references) for name, (n, m) in {variants}.items()}}"
)
_DEFAULT = '"n_best=20, max 30 (default)": (20, 30)'
_GROUPED = (
    "first_word = table['question'].str.split().str[0]{lower}\n"
    "common = first_word.value_counts().index[:6]\n"
    "per_question = table.assign(group=first_word.where({keep}first_word.isin(common), 'other'), "
    "baseline=[max(qa.f1(baseline[key], truth) for truth in {truths}) for key in {keys}])\n"
    "groups = per_question.groupby('group')\n"
    "by_group = pd.DataFrame({{'questions': groups.size(), 'fine-tuned F1': {scale} * groups['F1'].mean(), "
    "'baseline F1': {scale} * groups['baseline'].mean()}})"
)
_RIGHT_GROUPS = {
    "lower": ".str.lower()",
    "keep": "",
    "truths": "references[key]",
    "keys": 'validation["id"]',
    "scale": "100",
}

WRONG = {
    "q1": [
        # the windows cut again without the stride: fewer of them
        "import collections\n"
        "cut = tokenizer(list(validation['question']), list(validation['context']), max_length=MAX_LENGTH, "
        "truncation='only_second', return_overflowing_tokens=True)\n"
        "windows_per_question = pd.Series(collections.Counter("
        "validation['id'][i] for i in cut['overflow_to_sample_mapping']))",
        # one window per question
        "windows_per_question = pd.Series(1, index=validation['id'])",
        # value_counts() sorts by count, and its counts are then labelled in the questions' order:
        # the share and the maximum come out right, caught by the hidden check
        "windows_per_question = pd.Series(pd.Series(validation_features['example_id']).value_counts().values, "
        "index=validation['id'])",
    ],
    "q2": [
        # start and end logits swapped
        _POSTPROCESSED.format(
            logits="end_logits, start_logits",
            variants="{" + _DEFAULT + ', "max_answer_length=5": (20, 5), "n_best=1": (1, 30)}',
        ),
        # n_best=5 where max_answer_length=5 was meant: caught by the hidden check
        _POSTPROCESSED.format(
            logits="start_logits, end_logits",
            variants="{" + _DEFAULT + ', "max_answer_length=5": (5, 30), "n_best=1": (1, 30)}',
        ),
        # the second change kept in the third row (n_best=1 and max_answer_length=5): caught by the hidden check
        _POSTPROCESSED.format(
            logits="start_logits, end_logits",
            variants="{" + _DEFAULT + ', "max_answer_length=5": (20, 5), "n_best=1": (1, 5)}',
        ),
    ],
    "q3": [
        # a validation question, not one of one's own
        "mine = validation[:1]\n"
        "my_features = qa.prepare_eval_features(mine, tokenizer, max_length=MAX_LENGTH, stride=STRIDE)\n"
        "inputs = ('input_ids', 'token_type_ids', 'attention_mask')\n"
        "my_loader = DataLoader([{key: my_features[key][i] for key in inputs} "
        "for i in range(len(my_features['input_ids']))], batch_size=8, collate_fn=collator)\n"
        "my_start, my_end = qa.predict_spans(reader, my_loader, width=MAX_LENGTH)\n"
        "my_answer = qa.postprocess(mine, my_features, my_start, my_end)",
        # the answer one expects, written by hand: a span, but not the reader's; caught by the hidden check
        _MINE + 'my_answer = {"mine": "the start and the end of the answer span"}',
        # the whole paragraph: a span of itself, caught by the hidden check
        _ASKED + 'my_answer = {"mine": mine["context"][0]}',
    ],
    "q4": [
        # F1 as a fraction, not in per cent
        _GROUPED.format(**{**_RIGHT_GROUPS, "scale": "1"}),
        # the baseline scored against the first reference only
        _GROUPED.format(**{**_RIGHT_GROUPS, "truths": "references[key][:1]"}),
        # the condition inverted (where() keeps the values where it holds): the common words pooled, the rare kept
        _GROUPED.format(**{**_RIGHT_GROUPS, "keep": "~"}),
        # first words not lower-cased ("what" apart from "What"): caught by the hidden check
        _GROUPED.format(**{**_RIGHT_GROUPS, "lower": ""}),
        # the baseline's scores listed in sorted id order, not the table's: caught by the hidden check
        _GROUPED.format(**{**_RIGHT_GROUPS, "keys": "sorted(references)"}),
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "A", "B"'],  # the first answer wrong
}
