"""Exercise 2's public checks (otter-grader): BertForMaskedLM(BertConfig())'s parameters, predicted and counted."""

from numbers import Integral

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


def _whole_numbers(**values):
    for label, value in values.items():
        assert isinstance(value, Integral) and not isinstance(value, bool), (
            f"{label} should be a whole number of parameters, not {value!r} (a tensor? take .item())"
        )


@test_case(name="q2: two whole numbers", points=1)
def whole_numbers(predicted, actual):
    _whole_numbers(predicted=predicted, actual=actual)
    assert predicted > 0 and actual > 0, f"predicted = {predicted:,}, actual = {actual:,}: count parameters"


@test_case(name="q2: the prediction agrees with the count", points=1)
def prediction_agrees_with_count(predicted, actual):
    from transformers import BertConfig

    _whole_numbers(predicted=predicted, actual=actual)
    config = BertConfig()
    h, vocabulary = config.hidden_size, config.vocab_size
    known = {  # what the prediction has too many (+) or too few (-) of, in the usual mistakes
        h * h + h: "it keeps the pooler, which BertForMaskedLM does not have",
        vocabulary * h: "it counts the output matrix, but that matrix is the token-embedding table (tied): "
        "it holds no parameters of its own",
        -(h * h + h): "the head's dense layer (h × h and a bias) is missing",
        -2 * h: "the head's LayerNorm (a scale and a shift) is missing",
        -vocabulary: "the output bias (one per vocabulary entry) is missing",
        -(vocabulary * h + vocabulary): "actual counts a tensor twice: state_dict() lists a tied tensor under each "
        "of its names (the output matrix and its bias); sum .numel() over .parameters(), which yields it once",
    }
    extra = predicted - actual
    assert extra == 0, f"predicted - actual = {extra:,}: " + known.get(
        extra, "start from bert.parameter_counts(BertConfig()), take the pooler away and add the head's parts"
    )
