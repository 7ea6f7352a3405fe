"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "C"}
EXPLAINED = {
    1: "The embedding layer looks at no other word: it adds three looked-up vectors (the token's, its position's "
    "and its segment's) and normalises the sum (LayerNorm). The same token at the same position of a one-segment "
    "sentence gives the same sum, so the same output, whatever the sentence is about (dropout is off in eval "
    "mode). The sense comes later, from the self-attention layers (exercise 3).",
    2: "Every position sees the words on its right, the next word included: predicting the next word would be "
    "copying a word the model can see. So BERT hides words and predicts them from both sides (masked language "
    "modelling).",
    3: "It is a single linear layer (asserted) that scores each position's vector against every vocabulary "
    "entry, and its weight is the token embedding table's (tied). It has no self-attention and no cross-attention, "
    "and it generates nothing one token at a time: it is a decoder in name only.",
}
WRONG = {
    (1, "A"): "The identical pairs cross the senses: in the chapter, a 'river' sentence and a 'money' sentence get "
    "the same vector (asserted), so the sense cannot be what makes them equal.",
    (1, "C"): "The embedding layer has no attention: three table lookups, a sum and LayerNorm. The words before "
    "'bank' differ in the identical pairs; only how many tokens come before it, which sets its position, is the "
    "same.",
    (2, "B"): "GPT predicts the next word with no encoder and no cross-attention: a left-to-right Transformer "
    "decoder (the table of relatives). Cross-attention is how a translation decoder reads an encoder.",
    (2, "C"): "A left-to-right model's vectors are contextual too, built from the words before each one; what "
    "rules the task out is that BERT's encoder can see the word it would have to predict.",
    (3, "A"): "It is no Transformer decoder in the first place: the chapter built the head and found one "
    "nn.Linear (asserted), not a stack of attention blocks.",
    (3, "B"): "It runs on every forward pass of BertForMaskedLM, scoring every position against the vocabulary, "
    "and it is one linear layer, not a generator.",
}


@test_case(
    name="quiz 1: why some 'bank' vectors are identical after the embedding layer",
    points=1,
    success_message=EXPLAINED[1],
)
def why_identical_after_the_embedding_layer(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why BERT does not predict the next word", points=1, success_message=EXPLAINED[2])
def why_not_the_next_word(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why cls.predictions.decoder is no decoder", points=1, success_message=EXPLAINED[3])
def why_the_head_is_no_decoder(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
