"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "C"}
EXPLAINED = {
    1: 'With case kept, "The" and "the" (or "Emma" and "EMMA") are different strings, so a frequent word '
    "needs two or more entries. The same 8,000 entries then hold fewer distinct words, and more of the rarer "
    "words are split: exercise 2 measured more pieces per word on the unseen novel.",
    2: "The WordPiece model encodes a word by the greedy longest-match-first rule. At the unseen character no "
    "piece matches, and the rule gives up on the word: the whole word becomes [UNK], as the hand-written "
    "wordpiece function does, and as the library does (they agreed on every held-out word).",
    3: "The trainer only adds a piece made of two adjacent pieces that occur together at least min_frequency "
    "(here 2) times in the training text. Once every such pair is in the vocabulary, nothing is left to add, "
    "whatever size was asked for: five novels support a vocabulary of that size, and a bigger one needs more "
    "(or more varied) text.",
}
WRONG = {
    (1, "A"): "The pre-tokenizer splits on whitespace and around punctuation only (stage 2); a capital letter "
    "starts no new word.",
    (1, "C"): "The trainer starts from every character of the training text, capital letters included: the cased "
    'vocabulary spells "The" and "Emma" as single entries. Its extra pieces come from the entries that case '
    "uses up.",
    (2, "B"): "BERT's normalizer cleans control characters, lower-cases and strips accents (stage 1); it never "
    "puts [UNK] anywhere. [UNK] comes from the WordPiece model, for the whole word.",
    (2, "C"): "The trainer starts from the characters it has seen, and no merge adds a character the novels lack: "
    "the vocabulary of exercise 4, almost three times as large, cannot spell these words either.",
    (3, "A"): "Nothing in tokenizers caps a vocabulary there: bert-base-uncased has 30,522 entries, and the "
    "size the trainer reaches depends on the text it is given.",
    (3, "B"): "When the trainer stops, thousands of the training novels' words still take more than one piece "
    "(words seen once are rarely made entries); it stops because no pair of adjacent pieces is left that occurs "
    "at least min_frequency (here 2) times.",
}


@test_case(name="quiz 1: why a cased vocabulary splits more", points=1, success_message=EXPLAINED[1])
def why_cased_splits_more(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why one unseen character makes the whole word [UNK]", points=1, success_message=EXPLAINED[2])
def why_the_whole_word_is_unknown(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the trainer stops short of 50,000", points=1, success_message=EXPLAINED[3])
def why_the_trainer_stops(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
