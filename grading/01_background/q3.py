"""Exercise 3's hidden checks, appended to companion/exercise_checks/01_background/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): every layer's gap, from each sentence run alone", points=2, hidden=True)
def hidden_every_layer(gaps, model, tokenizer, texts, senses):
    import itertools

    import torch

    bank = tokenizer.convert_tokens_to_ids("bank")
    vectors = []  # per sentence: its 'bank' vector in every hidden state
    for text in texts:
        inputs = tokenizer(text, return_tensors="pt").to(model.device)
        with torch.no_grad():
            states = model(**inputs, output_hidden_states=True).hidden_states
        where = inputs["input_ids"][0].tolist().index(bank)
        vectors.append([state[0, where].double() for state in states])
    expected = []
    for layer in range(len(vectors[0])):
        within, across = [], []
        for i, j in itertools.permutations(range(len(texts)), 2):
            cosine = torch.nn.functional.cosine_similarity(vectors[i][layer], vectors[j][layer], dim=0).item()
            (within if senses[i] == senses[j] else across).append(cosine)
        expected.append(sum(within) / len(within) - sum(across) / len(across))
    assert isinstance(gaps, list | tuple) and len(gaps) == len(expected), f"gaps is {gaps!r}"
    worst = max(abs(gap - reference) for gap, reference in zip(gaps, expected))
    assert worst < 1e-3, (
        f"gaps = {[round(float(gap), 3) for gap in gaps]}; from each sentence run alone: "
        f"{[round(gap, 3) for gap in expected]}"
    )
