"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "C", 3: "A"}
EXPLAINED = {
    1: "Attention by itself ignores order: a token's output is a weighted sum over all tokens, with weights "
    'computed from their vectors alone, so without position embeddings each word of "dog bites man" would get '
    'the same output as in "man bites dog". The position embedding makes the same word at another position a '
    "different vector.",
    2: "The token-embedding table holds V·h parameters, linear in the hidden size h; each encoder block holds "
    "about 12h² (four h × h projections, two h × 4h feed-forward matrices). Going from the small model (h = 384, "
    "6 layers) to bert-base (h = 768, 12 layers) doubles the table and multiplies the encoder by about 8.",
    3: "The mask adds torch.finfo(torch.float32).min (about -3.4 × 10³⁸) to the scores of later positions; "
    "after the softmax subtracts the row's maximum, exp of such a score underflows to exactly 0.0. The later "
    "word enters every weighted sum multiplied by an exact zero, in every layer, so the first word's output is "
    "bit-for-bit the same.",
}
WRONG = {
    (1, "A"): "That is the segment embedding (token type 0 or 1); the position embedding numbers the positions "
    "0 to 511.",
    (1, "C"): "Padding is excluded by the attention mask (mask_bias, a large negative number added to its "
    "scores), not by an embedding.",
    (2, "A"): "Both models have the same vocabulary, 30,522 entries; the small model's rows are shorter, 384 "
    "numbers instead of 768.",
    (2, "B"): "The small model's feed-forward size is 1,536 = 4 × 384, the same ratio as bert-base's 3,072 = 4 × 768.",
    (3, "B"): "The layers still run on every position (the solution passes the whole sentence, and the later "
    "words' own outputs change); the mask only changes the scores before the softmax.",
    (3, "C"): "The solution asserts change == 0.0, not a printed rounding: the later word's weight is not tiny "
    "but exactly 0.0, because exp underflows.",
}


@test_case(name="quiz 1: why position embeddings", points=1, success_message=EXPLAINED[1])
def why_position_embeddings(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why the embeddings' share falls with size", points=1, success_message=EXPLAINED[2])
def why_the_embedding_share_falls(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the causal change is exactly zero", points=1, success_message=EXPLAINED[3])
def why_exactly_zero(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
