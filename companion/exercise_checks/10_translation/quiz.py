"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "C"}
EXPLAINED = {
    1: "BLEU's n-gram counts are precisions: of the output's n-grams, how many the references hold. Nothing "
    "counts what the output leaves out, so an output of a few sure words (four or more) would score well. "
    "The brevity penalty, min(1, e^(1 - r/c)) for c output and r reference tokens over the whole test set, "
    "takes that back: it is 1 when the outputs are at least as long as the references in total, and shrinks "
    "the score fast below.",
    2: 'The packaged BERT\'s tokenizer lower-cases and strips accents: "Männer" becomes manner, and German nouns '
    "lose their capitals. A decoder can write only the pieces of its vocabulary, so the German side gets a "
    "WordPiece vocabulary of its own, trained on the German captions with lowercase=False.",
    3: "Both encoders are frozen, so the random one cannot learn English from the pairs: the ablation compares "
    "the two encoders' representations as fixed inputs to a new decoder, in one training run each (the "
    "bootstrap covers only the choice of test sentences).",
}
WRONG = {
    (1, "A"): "Extra words add n-grams to the count as well as, at most, to the matches: a precision does not grow "
    "with length, and words the references lack lower it. The penalty acts on outputs shorter than the "
    "references, not longer.",
    (1, "C"): "sacreBLEU tokenizes the outputs and the references alike, so splitting punctuation off changes both "
    "lengths; and the penalty lowers the score of outputs that are too short, not too long.",
    (2, "B"): "BERT's vocabulary has [SEP], and the German vocabulary uses its own [SEP] the same way: what makes "
    "the decoder stop is that every label ends with it (encode_pairs checks), whichever vocabulary it comes from.",
    (2, "C"): "Here the encoder and the decoder share no embeddings: their vocabularies differ. A shared vocabulary "
    "would let them share embeddings (the chapter's last section); a separate one rules that out.",
    (3, "A"): "The baseline encoder is frozen, so it never learns from the pairs. Only an encoder trained together "
    "with the decoder (Rothe et al.'s RND2RND) could answer that, and the chapter trained none.",
    (3, "B"): "The packaged encoder's last training stage drew on pairs of Flickr30k captions, very likely these "
    "very captions: part of the gain may be exposure to them, which this ablation cannot separate.",
}


@test_case(name="quiz 1: why BLEU needs the brevity penalty", points=1, success_message=EXPLAINED[1])
def why_the_brevity_penalty(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why German gets its own vocabulary", points=1, success_message=EXPLAINED[2])
def why_a_german_vocabulary(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: what the ablation shows", points=1, success_message=EXPLAINED[3])
def what_the_ablation_shows(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
