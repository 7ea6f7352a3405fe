"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "C"}
EXPLAINED = {
    1: "By default transformers computes attention with PyTorch's fused scaled_dot_product_attention, which "
    "returns the mixed values but not the weights, so output_attentions=True has nothing to return. The eager "
    "code computes the weights as a tensor, softmax(QKᵀ/√d), and can hand them back.",
    2: "The share of attention on a mark adds up the weights on each of its occurrences. Spread evenly over n "
    "tokens, attention gives each token 1/n, so a mark that occurs k times would get k/n; the even share of a "
    "mark has to count its occurrences for the comparison to be fair.",
    3: "A weight says how much of a token's value vector a head mixes in, not how much that token matters to the "
    "prediction: the values can be small, later layers can undo the mixing, and very different attention maps "
    "can give the same output (shown for attention over RNN encoders). A sink on a special token is common "
    "(Clark et al. found bert-base's on [SEP]); it is a hypothesis to test by measuring.",
}
WRONG = {
    (1, "A"): "The fused kernel computes the same attention as the eager code, up to rounding (chapter 4 checks its "
    "one-line attention against it); it only does not hand the weights back.",
    (1, "C"): "The fused kernel runs on a CPU too: it is transformers' default on every device, and this chapter "
    "loads the eager code only to get the weights.",
    (2, "B"): "Every row of attention sums to 1, whatever the sentence: the chapter asserts it at the start.",
    (2, "C"): "The tokenizer keeps a comma as one token; what the share adds up is the weight on each comma of "
    "the sentence.",
    (3, "A"): "A weight measures how much of a value vector is mixed in, not how much the token matters: the "
    "values can be small, and later layers can undo the mixing.",
    (3, "B"): "Trained heads are far from even in this chapter (a near-perfect previous-token head), and Clark et "
    'al. found bert-base parking attention on [SEP] too, which they read as a "no-op" for heads with nothing '
    "to do.",
}


@test_case(name="quiz 1: why eager attention", points=1, success_message=EXPLAINED[1])
def why_eager_attention(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why the even share counts occurrences", points=1, success_message=EXPLAINED[2])
def why_count_occurrences(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: what a sink on [CLS] shows", points=1, success_message=EXPLAINED[3])
def what_a_sink_shows(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
