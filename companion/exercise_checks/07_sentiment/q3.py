"""Exercise 3's public checks (otter-grader): the fine-tuned model in a text-classification pipeline."""

from collections.abc import Mapping
from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"


@test_case(name="q3: a pipeline's answers for three sentences", points=1)
def three_answers(classify, own, classifier):
    assert callable(classify), (
        f'classify should be a pipeline, transformers.pipeline("text-classification", ...), not {classify!r}'
    )
    assert isinstance(own, list) and len(own) == 3, (
        f"own should be the list that classify returns for a list of three sentences, not {own!r}"
    )
    labels = set(classifier.config.id2label.values())
    for answer in own:
        assert isinstance(answer, Mapping) and {"label", "score"} <= set(answer), (
            f"each of own's answers should be a dict with a label and a score, not {answer!r} "
            "(a list for each sentence? leave top_k at its default)"
        )
        assert answer["label"] in labels, f"{answer['label']!r} is not one of the classifier's labels {sorted(labels)}"
        score = answer["score"]
        assert isinstance(score, Real) and 0.5 <= score <= 1 + 1e-6, (
            f"score {score!r}: the probability of the chosen label of two lies between 0.5 and 1; "
            "leave function_to_apply at its default (softmax)"
        )


@test_case(name="q3: the pipeline wraps the fine-tuned classifier", points=1)
def wraps_the_classifier(classify, classifier):
    import torch

    model = getattr(classify, "model", None)
    assert isinstance(model, torch.nn.Module), (
        f"classify has no model: build it with transformers.pipeline(...), not {classify!r}"
    )
    theirs, ours = model.state_dict(), classifier.state_dict()
    same = theirs.keys() == ours.keys() and all(torch.equal(theirs[key].cpu(), ours[key].cpu()) for key in ours)
    assert same, (
        "classify's model is not the fine-tuned classifier (its weights differ): pass model=classifier, "
        "not the untrained model or a checkpoint loaded afresh"
    )
