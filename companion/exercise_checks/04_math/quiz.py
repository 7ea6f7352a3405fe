"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "C", 3: "A"}
EXPLAINED = {
    1: "Exercise 3 measured it: a token costs more at 512 than at 128 tokens, because the 4n²H attention term "
    "grows with n while the rest is the same per token, and the attention maps' memory grows with n². Most "
    "masked words need only a short context, so most steps can be short; but the position embeddings for "
    "positions 128–511 are trained only when such positions occur, hence the last 10 % of the steps at 512.",
    2: "The gradient that reaches the queries and keys (and so W^Q and W^K) is the gradient at the attention "
    "weights multiplied by this Jacobian. Nearly one-hot weights make it nearly zero, so the weights that "
    "decide where to attend receive almost no gradient and change slowly.",
    3: "Each forward product Y = XW needs two products of the same size in the backward pass: the gradient "
    "for the input, dY·Wᵀ (passed on to the layer below), and the gradient for the weight, Xᵀ·dY. Two "
    "products for every forward product make the step about three forward passes.",
}
WRONG = {
    (1, "A"): "BERT's position table has 512 rows from the start (max_position_embeddings = 512); the rows for "
    "positions 128–511 are only trained when a sequence reaches them.",
    (1, "C"): "Exercise 3 computed it: per token, 512 costs more than 128, because the n² attention term grows with n.",
    (2, "A"): "Implementations subtract the largest logit before exponentiating (the section on shift invariance): "
    "nothing overflows. The gradient is small, not NaN.",
    (2, "B"): "The output is still a weighted average of the values, and the gradient for V still flows; it is the "
    "path through the softmax, to the queries and keys, that shrinks.",
    (3, "B"): "Autograd keeps the forward pass's activations and does not recompute them (gradient checkpointing, "
    "when asked for, recomputes one forward pass, not two).",
    (3, "C"): "Exercise 2 counted no optimizer step, and an update is elementwise: a few operations per parameter, "
    "no matrix products.",
}


@test_case(name="quiz 1: why 128 tokens first", points=1, success_message=EXPLAINED[1])
def why_128_tokens_first(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why a saturated softmax learns slowly", points=1, success_message=EXPLAINED[2])
def why_saturation_slows_learning(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why training costs three forward passes", points=1, success_message=EXPLAINED[3])
def why_three_forward_passes(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
