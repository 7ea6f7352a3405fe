"""Exercise 3's hidden checks, appended to companion/exercise_checks/07_sentiment/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the pipeline gives the classifier's probabilities", points=1, hidden=True)
def hidden_the_classifiers_probabilities(classify, classifier, tokenizer):
    import torch

    for sentence in ("An utterly charming film.", "A dull, lifeless mess."):
        inputs = tokenizer(sentence, return_tensors="pt").to(classifier.device)
        with torch.no_grad():
            probabilities = classifier(**inputs).logits.float().softmax(-1)[0].cpu()
        label = classifier.config.id2label[int(probabilities.argmax())]
        [answer] = classify([sentence])
        assert answer["label"] == label and abs(answer["score"] - probabilities.max().item()) < 1e-3, (
            f"classify({sentence!r}) = {answer}; the classifier gives {label} with probability "
            f"{probabilities.max().item():.4f} (softmax over its two logits)"
        )
