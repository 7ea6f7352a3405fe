"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "C", 2: "A", 3: "B"}
EXPLAINED = {
    1: "Questions about one paragraph share its words and often its answer. Split by question, the same "
    "paragraph would sit on both sides of the split, and the development score would flatter the settings "
    "chosen on it; held out by whole article, no paragraph of the development split is trained on.",
    2: "SQuAD's F1 compares bags of words. The baseline's sentence holds a reference answer for most "
    "questions, but it is many times longer than the answer (the chapter measured both), so most of its "
    "words are not in the reference: its precision, and so its F1, is low.",
    3: "Only the single highest start and the single highest end are tried in each window. Where the end "
    "comes before the start, or one of them falls on the question or [CLS], that window offers no valid "
    "pair: the answer comes from a weaker window or is empty.",
}
WRONG = {
    (1, "A"): "The split decides which questions the chapter trains on and which it scores; it redistributes "
    "nothing, and SQuAD's license (CC BY-SA 4.0) says nothing about splits.",
    (1, "B"): "The size is set apart from the articles: qa.development_split holds out articles until they number "
    "at least three and hold 600 questions, then samples 600 of them; a split by question could give 600 as easily.",
    (2, "B"): "SQuAD's script lower-cases both strings, drops punctuation and articles before comparing, and the "
    "baseline returns its sentence with the context's casing anyway.",
    (2, "C"): "The baseline has no windows and no token limit: it splits the whole context into sentences and "
    "picks the one sharing most words with the question.",
    (3, "A"): "n_best is how many of the highest starts and ends are paired in each window, not a length; "
    "max_answer_length limits the length, and a top start and top end make a span of any length.",
    (3, "C"): "Every window of the question is still read; n_best=1 only shrinks the candidates within each "
    "window to one start and one end.",
}


@test_case(name="quiz 1: why a development split of whole articles", points=1, success_message=EXPLAINED[1])
def why_whole_articles(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why the baseline's F1 is low", points=1, success_message=EXPLAINED[2])
def why_the_baseline_scores_low(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why n_best=1 scores lower", points=1, success_message=EXPLAINED[3])
def why_n_best_1_scores_lower(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
