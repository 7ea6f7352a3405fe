"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "C", 3: "A"}
EXPLAINED = {
    1: "More than 90 % of WNUT-17's training words are tagged O (the chapter counts them), so a tagger that says "
    "O everywhere is right on most words and finds no entity at all. An entity counts as correct only if its "
    "span and its type both match, so the score measures what NER is for: finding the names.",
    2: "The label -100 is the index PyTorch's cross-entropy ignores, so every word counts once in the loss, however "
    "many pieces it has; at prediction time each word's tag is read off its first piece, one tag per word, with "
    "no rule needed to merge its pieces' predictions.",
    3: "An uncased tokenizer lower-cases every input before splitting it, so 'Apple' and 'apple' become the same "
    "pieces. Yet the capital letter is the most visible sign of a name: most entities in the training split "
    "begin with one, and few other words do. A cased model keeps that cue.",
}
WRONG = {
    (1, "A"): "The chapter reads each word's tag off its first piece, so a per-word score is easy to compute. It "
    "is not computed because it would say little: most words are O.",
    (1, "C"): "Entity-level scoring is the stricter one: a partly found name counts as a miss and a false alarm.",
    (2, "A"): "-100 is not a tag: O is tag 0. -100 is the index that PyTorch's cross-entropy leaves out of the loss.",
    (2, "B"): "BERT gives every piece a vector, and the tokenizer keeps continuation pieces; labelling every piece "
    "also works (the chapter names it), at the price of weighting long words more and merging predictions.",
    (3, "B"): "The reason is letter case, not the size of the vocabulary: an uncased tokenizer turns 'Apple' and "
    "'apple' into the same pieces, however many pieces a name takes.",
    (3, "C"): "The fast profile fine-tunes the uncased packaged model for token classification, and it clearly beats "
    "the memorizing baseline; it only has to find the names without their capital letters.",
}


@test_case(name="quiz 1: why score entities, not words", points=1, success_message=EXPLAINED[1])
def why_entity_level(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why label first pieces only", points=1, success_message=EXPLAINED[2])
def why_first_pieces(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why a cased model for NER", points=1, success_message=EXPLAINED[3])
def why_cased(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
