"""Exercise 1's hidden checks, appended to companion/exercise_checks/06_attention/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the example sentence, encoded afresh", points=1, hidden=True)
def hidden_the_example_sentence(predicted_count, counted, model, tokenizer, sentence):
    n = len(tokenizer(sentence)["input_ids"])
    expected = model.config.num_hidden_layers * model.config.num_attention_heads * n**2
    for name, value in (("predicted_count", predicted_count), ("counted", counted)):
        assert value == expected, (
            f"{name} = {value:,}; the example sentence has {n} tokens, and {model.config.num_hidden_layers} layers × "
            f"{model.config.num_attention_heads} heads × {n}² = {expected:,}"
        )
