"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "C"}
EXPLAINED = {
    1: "Every choice made by looking at a split makes that split's score optimistic: the setting chosen is the "
    "one that happened to suit those pairs. Choices made on a development split carved from the training data "
    "leave the validation split unseen, so its score, taken once at the end, is an honest estimate.",
    2: "Both classifiers were scored on the same 408 pairs. Where both are right or both wrong, a pair says "
    "nothing about which is better; only the pairs where exactly one is right do, and if the two were equally "
    "good each of those would go either way with probability one half. McNemar's test asks how surprising the "
    "observed split of those pairs is.",
    3: "The packaged model never had a next-sentence task, and its last stage of training encoded one sentence "
    "per input, so the segment-B row was never used; the two rows differ little next to the word vectors they "
    "are added to, and the [SEP] token, which stays, marks the boundary on its own.",
}
WRONG = {
    (1, "A"): "The 408 validation pairs are enough to score on; they are scored once, at the end, so that no choice "
    "was fitted to them and their score stays honest.",
    (1, "C"): "The development split is a stratified carve-out of the same training data, not a harder or "
    "differently distributed set; it is used so that the validation split is looked at only once.",
    (2, "B"): "McNemar's test does not correct for the share of paraphrases; it is paired: it uses only the pairs on "
    "which exactly one of the two classifiers is right.",
    (2, "C"): "The two accuracies are not independent samples: they were measured on the same pairs, and that pairing "
    "is what McNemar's test uses; the pairs both classifiers get right, or both wrong, drop out of it.",
    (3, "A"): "BERT does use the segment ids: each selects a row of the segment table, added to every input vector. "
    "The two rows of the packaged model differ, just by little next to the word vectors.",
    (3, "B"): "Paraphrase is symmetric, yet swapping the sentences changed more decisions than zeroing the segment "
    "ids: nothing in the model or its training asks for symmetry.",
}


@test_case(name="quiz 1: why a development split", points=1, success_message=EXPLAINED[1])
def why_a_development_split(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why a paired test", points=1, success_message=EXPLAINED[2])
def why_a_paired_test(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the segment ids change few decisions", points=1, success_message=EXPLAINED[3])
def why_segment_ids_matter_little(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
