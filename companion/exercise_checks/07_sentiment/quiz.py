"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "C", 2: "A", 3: "B"}
EXPLAINED = {
    1: "The checkpoint holds the pretrained encoder only: from_pretrained reports classifier.weight and "
    "classifier.bias as missing and creates them with random values. Until fine-tuning trains them, the two "
    "scores are a random function of the sentence vector, and on the 872 validation sentences the untrained "
    "head scores about 0.5, a coin's accuracy.",
    2: "SST-2's training items are the labelled phrases of parsed sentences: a sentence and the phrases inside it "
    "can all be items. A left-out item is often a phrase of a training sentence, or holds one, usually with the "
    "same label, so the model has in effect seen it, and scoring on such items flatters it.",
    3: "The best learning rate depends on the budget it will run at, and a sweep chooses well only at that budget. "
    "The sweep's 25 steps are a tenth of the main run's 250: they show that the paper's 2e-5 to 5e-5 are too "
    "timid for a short run of a small model, but cannot rank the rates at 250 steps; only a sweep at that "
    "budget can, and in the one recorded at 250 steps 3e-4 no longer leads.",
}
WRONG = {
    (1, "A"): "The attention mask (0 on padding) keeps every token from attending to the [PAD] positions, so "
    "padding does not change a sentence's prediction; what is random is the head's weights.",
    (1, "B"): "The repaired cell calls model.eval(), and the chapter's measurement on 872 sentences predicts in "
    "evaluation mode too; it still scores about 0.5, because the head's weights are random.",
    (2, "B"): "The validation split is GLUE's own 872 sentences, apart from the training items; the development "
    "split is built from training items so that the validation split is scored only once, after training.",
    (2, "C"): "A phrase and the sentence that holds it usually carry the same label: the trouble is not noise but "
    "a flattering score, because the model has in effect seen the item.",
    (3, "A"): "The sweep scores each rate on the development split (dev_accuracy), not on the validation split, "
    "which is scored once, after training.",
    (3, "C"): "The notebook's sweep ran 25 steps at each rate, and in 25 steps 3e-4 learned the most; the runs "
    "recorded at 3e-4 for 250 steps did not diverge either: their development accuracy is within the seeds' "
    "spread of 1e-4's.",
}


@test_case(name="quiz 1: why the repaired snippet predicts at chance", points=1, success_message=EXPLAINED[1])
def why_chance(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why the development split shares no phrase", points=1, success_message=EXPLAINED[2])
def why_no_shared_phrase(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the short sweep does not pick the rate", points=1, success_message=EXPLAINED[3])
def why_the_sweep_does_not_pick(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
