"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "C", 3: "A"}
EXPLAINED = {
    1: "Exercise 1 measured it: a constant guess is right on the stories of one class only, so its accuracy is "
    "that class's share, a quarter on AG News's four balanced topics, 0.95 for a filter that catches no spam at "
    "all. A high accuracy alone does not tell the two cases apart (not A). Per-class recall and F1 do: the guess "
    "scores 0 on every class it never predicts, so its macro-averaged F1 is a quarter of World's F1 (0.4), that "
    "is 0.1, well below its accuracy (not C).",
    2: "*What* opens DESC, ENTY and ABBR questions alike, and only knowing the term tells them apart: on the "
    "mirror, exercise 2's solution measures the baseline's accuracy on *what* questions well below the rest. The "
    'baseline keeps every word (no stop-word list) and word pairs, so "how many" is one feature and NUM '
    "questions are easy for it (not A); short questions that open with *who*, *where* or *how many* are "
    "classified well, so shortness is not the cause (not B).",
    3: "Both classifiers labelled the same stories, so only the stories where they disagree tell them apart, and "
    "McNemar's test asks how often chance alone would split those as unevenly. Separate intervals treat the two "
    "accuracies as if measured on different stories: their widths carry the stories' own difficulty, which "
    "pairing cancels, so they are less sensitive. Two accuracies on the same stories can be compared; the "
    "question is only whether their difference is more than chance (not B). AG News's test classes are "
    "balanced, 25 % each, and McNemar's test counts disagreements whatever their class (not C).",
}
WRONG = {
    (1, "A"): "A constant guess scores the largest class's share: 0.95 for the spam filter, which catches no spam. "
    "Accuracy says how good a model is only next to what a constant guess scores on the same data.",
    (1, "C"): "Exercise 1's report says otherwise: a constant guess's F1 is 0 on every class it never predicts, so "
    "its macro-averaged F1 (0.1 on AG News) is well below its accuracy (0.25).",
    (2, "A"): 'baselines.tfidf_classifier sets no stop-word list, and with word pairs "how many" is one feature: '
    "NUM questions are easy for it.",
    (2, "B"): "Questions that open with who, where or how many are just as short and are classified well; the "
    "errors gather on the questions that open with what.",
    (3, "B"): "They can be compared; the question is whether their difference is more than chance, and a paired "
    "test answers it from the stories on which the two disagree.",
    (3, "C"): "AG News's test classes are balanced, 25 % each (asserted in the chapter), and McNemar's test counts "
    "the stories on which the two classifiers disagree, whatever their class.",
}


@test_case(name="quiz 1: why a constant guess's accuracy misleads", points=1, success_message=EXPLAINED[1])
def why_a_constant_guess_misleads(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why what-questions are hard for a bag of words", points=1, success_message=EXPLAINED[2])
def why_what_questions_are_hard(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why a paired test", points=1, success_message=EXPLAINED[3])
def why_a_paired_test(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
