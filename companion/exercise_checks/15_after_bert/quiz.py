"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "A", 2: "B", 3: "C"}
EXPLAINED = {
    1: "ALBERT's token table is factorised (V·E + E·H with E = 128) and its 12 layers share one set of weights: "
    "stored once, run twelve times. The FLOP formula counts the work of every layer at the hidden size, 768 in "
    "both models, and sharing does not change that work, so ALBERT-base's compute per token equals BERT-base's: "
    "sharing makes the model small on disk, not cheap to run. Not B: ALBERT-base has BERT-base's width and depth, "
    "12 layers of 768. Not C: the formula reads the width, depth and feed-forward size from the configuration, "
    "which is how it gives ALBERT-xxlarge more than three times BERT-large's compute per token.",
    2: "After 600 steps the BERT model's NSP loss was still at or near chance, ln 2 (the table's last column), as "
    "chapter 5's grid shows for every learning rate at 600 steps: its NSP head had learned little or nothing, so "
    "the ablation compares MLM alone with MLM plus an NSP term that has not been learned. RoBERTa measured "
    "downstream accuracy after full-scale training, where NSP is learned, and found that dropping it still did "
    "not hurt. Not A: both runs started from the same initial weights and saw the same batches and masks; only "
    "the loss differed. Not C: the MLM-only run minimises the masked-LM loss alone; its NSP loss is only "
    "recorded, and it stays at chance.",
    3: "Pre-training is expensive but done once and shared: BERT-base's cost as much compute as more than a "
    "billion predictions (the cost table), while using and fine-tuning the result fit a laptop. What pre-training "
    "reads is unlabelled text, plentiful and free; a task needs labelled examples, thousands of them, not billions "
    "of words. Not A: labels are needed for a task, not for pre-training, and data limits BERT's use only where "
    "even a few thousand labels are hard to come by. Not B: distilled and quantized models made using BERT "
    "cheap; what stayed expensive is training the next model from scratch.",
}
WRONG = {
    (1, "B"): "ALBERT-base has BERT-base's width and depth, 12 layers of hidden size 768 (the parameter table's "
    "columns). Where did the parameters go, if every layer still runs?",
    (1, "C"): "The formula reads the width, depth and feed-forward size from the configuration: it gives "
    "ALBERT-xxlarge more than three times BERT-large's compute per token. What do ALBERT's layers share?",
    (2, "A"): "Both runs started from the same initial weights and saw the same batches and masks; only the loss "
    "differed. Look at the table's last column.",
    (2, "C"): "The MLM-only run minimises the masked-LM loss alone; its NSP loss is only recorded, and it stays at "
    "chance. What about the BERT run's NSP loss?",
    (3, "A"): "Pre-training reads unlabelled text (3.3 billion words of books and Wikipedia for BERT), plentiful "
    "and free; labels are needed only for a task, and far fewer of them.",
    (3, "B"): "Distilled and quantized models made using BERT cheap; what stayed expensive is training the next "
    "model from scratch. Compare what pre-training costs with what using the model costs.",
}


@test_case(name="quiz 1: why ALBERT saves parameters, not compute", points=1, success_message=EXPLAINED[1])
def why_albert_saves_parameters(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why the NSP ablation is a weak test", points=1, success_message=EXPLAINED[2])
def why_the_ablation_is_weak(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the article is half right", points=1, success_message=EXPLAINED[3])
def why_half_right(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
