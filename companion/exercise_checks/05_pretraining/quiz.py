"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "C"}
EXPLAINED = {
    1: "The recipe chooses 15 % of the ordinary tokens only: [CLS], [SEP] and padding are never chosen, and many "
    "paragraphs are shorter than 64 tokens, so a row holds fewer than 64 ordinary tokens on average, and 15 % of "
    "those is what exercise 1 counted.",
    2: "If a chosen token were always hidden, the token in the input would never be the answer, and the model could "
    "learn to ignore it. At fine-tuning time there is no [MASK]: every input token is the real one, and its "
    "representation should carry it. The answer to exercise 2 gives the paper's measurements of that bias.",
    3: "The baseline guesses the same five tokens everywhere, and the most frequent tokens of English prose "
    '(punctuation and words such as "the") are the most frequent in every novel: the held-out book\'s counts change '
    "at most one or two of the five, so the accuracy barely moves.",
}
WRONG = {
    (1, "A"): "That is Google's original code (round(15 %) per sequence, at most max_predictions_per_seq); the "
    "chapter's recipe, like transformers' collator, flips an independent 15 % coin for every token, with no cap.",
    (1, "C"): "Independent coins choose 15 % on average: exercise 1's mean matches 15 % of each row's ordinary "
    "tokens. What falls short of 64 is the number of ordinary tokens in a row, not the coins.",
    (2, "B"): "The unchanged positions keep their labels and are scored by the loss like the others; only the "
    "positions that were not chosen are skipped (label -100).",
    (2, "C"): "No part of BERT's loss asks whether a token was replaced: the MLM head predicts the original token at "
    "each chosen position. Telling replaced tokens apart is the task of ELECTRA's discriminator.",
    (3, "A"): "Persuasion is the held-out test book: the baseline counted the five training novels, which do not "
    "include it.",
    (3, "B"): "The baseline ignores the context: it guesses the same five most frequent tokens at every masked "
    "position.",
}


@test_case(name="quiz 1: why fewer than 15 % of 64", points=1, success_message=EXPLAINED[1])
def why_fewer_than_15_percent_of_64(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why some chosen tokens stay unchanged", points=1, success_message=EXPLAINED[2])
def why_keep_tokens_unchanged(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the book's own counts barely help", points=1, success_message=EXPLAINED[3])
def why_own_counts_barely_help(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
