"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "C", 3: "A"}
EXPLAINED = {
    1: "In the padded batch a short sentence is followed by [PAD] positions, and the encoder returns a "
    "vector at each of them. A plain .mean(1) averages those in, and their number depends on the longest "
    "sentence of the batch; the masked mean gives them weight 0. Not A: both poolings read the same "
    "hidden states, computed with the attention mask, so the encoder ignored the padding in both; only "
    "the average differs. Not C: the masked mean from the same batch matches the sentence encoded alone "
    "(cosine above 0.9999), so batching costs no precision.",
    2: "The random encoder's unrelated pairs have cosines near 1 too (the table's last column): the narrow "
    "cone comes with the architecture and the tokenizer, before any training, and pre-training on novels "
    "neither caused it nor undid it. Cosines that follow what people call similar come from training for "
    "that, as all-MiniLM-L6-v2 was fine-tuned to pull paired texts together. Not A: a cone caused by "
    "pre-training would not show in the random twin. Not B: a cosine does not depend on the vectors' "
    "lengths, so scaling them to length 1 changes none.",
    3: "Crowd workers wrote each SQuAD question while reading its paragraph, so the questions reuse the "
    "paragraph's words, which word matching rewards; the dense-retrieval literature reports the same for "
    "SQuAD. Not B: the model card lists SQuAD's training question-paragraph pairs, and other "
    "question-answer collections, among all-MiniLM-L6-v2's training data. Not C: TF-IDF's weights were "
    "fitted on the paragraphs alone.",
}
WRONG = {
    (1, "A"): "The plain .mean(1) and the masked mean read the same hidden states, computed with the attention "
    "mask: the encoder ignored the padding in both. Only the average differs: which positions it counts.",
    (1, "C"): "The masked mean from the same batch matches the sentence encoded alone (cosine above 0.9999): "
    "batching costs no precision. What else does a plain mean over every position take in?",
    (2, "A"): "The random encoder, never trained, has unrelated cosines near 1 too (the table's last column): a "
    "cone that pre-training caused would not show there.",
    (2, "B"): "A cosine does not depend on the vectors' lengths: scaling them to length 1 changes no cosine, and "
    "the cone stays as narrow.",
    (3, "B"): "all-MiniLM-L6-v2's model card lists SQuAD's training question-paragraph pairs, and other "
    "question-answer collections, among its training data: the search is the kind of task it was tuned "
    "for.",
    (3, "C"): "The chapter fits TF-IDF's weights on the paragraphs alone. Look at how SQuAD's questions were written.",
}


@test_case(name="quiz 1: why the mean needs the mask", points=1, success_message=EXPLAINED[1])
def why_the_mean_needs_the_mask(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: what the random encoder shows", points=1, success_message=EXPLAINED[2])
def what_the_random_encoder_shows(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why TF-IDF wins at rank 1 on SQuAD", points=1, success_message=EXPLAINED[3])
def why_tf_idf_wins_at_rank_1(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
