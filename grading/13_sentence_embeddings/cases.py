"""What tests/test_grading.py needs to test chapter 13's checks without running the whole chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read. The
chapter trains nothing, so these are its own cells, run in full (about a minute and a half on two CPU cores):
the packaged encoder, the STS-B test pairs and their vectors, TF-IDF's cosines, the SQuAD search (vectors,
exact top 10, TF-IDF's scores) and the HNSW section's corpus and exact search; the cells that encode with the
chapter-5 BERT and build the HNSW index are left out.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "from companion import data, embeddings",  # the imports, REHEARSAL, the seed
    "import numpy as np",  # encoder, tokenizer (exercise 1)
    "from scipy.stats import spearmanr",  # sts
    "def plain(",  # seen (the solution of exercise 2 reads it)
    "PRECISION = runtime.mixed_precision()",  # first, second, gold, row, minilm
    "from sklearn.feature_extraction.text import TfidfVectorizer",  # tfidf_cosine
    'print(data.describe("squad"))',  # questions, paragraphs, relevant
    "paragraph_vectors = embeddings.encode(",
    "K = 10",  # scores, exact_top
    "def search_scores(",  # tfidf_scores
    "from companion import significance",
    "import faiss",  # corpus, queries
    "import time",  # timed_search, flat, flat_top, flat_seconds
]

# six sentences, two per topic, as a learner might write them
MINE = (
    "mine = ['The cat slept on the mat.', 'A kitten dozed by the window.', 'The striker scored twice.',\n"
    "        'Two late goals won the cup.', 'Interest rates will rise.', 'The bank will raise borrowing costs.']\n"
)
# the pairs' cosines, with the mean-pooled vectors or the [CLS] ones
COSINES = (
    "genres = np.array(sts['genre'])\n"
    "cosines = embeddings.paired_cosine(minilm['{0}'][[row[s] for s in first]], "
    "minilm['{0}'][[row[s] for s in second]])\n"
)
PER_GENRE = (
    "by_genre = pd.DataFrame({{g: {{'all-MiniLM-L6-v2': {0}(cosines[genres == g], gold[genres == g])[0],\n"
    "                             'TF-IDF': {0}(tfidf_cosine[genres == g], gold[genres == g])[0]}}\n"
    "                         for g in sorted(set(genres))}}).T\n"
)


def ivf_table(clusters: int, recall: str, speed: str) -> str:
    """Return exercise 4's solution with the given number of clusters, recall and speed-up expressions."""
    return (
        f"ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(384), 384, {clusters}, faiss.METRIC_INNER_PRODUCT)\n"
        "ivf.train(corpus)\n"
        "ivf.add(corpus)\n"
        "rows = []\n"
        "for nprobe in [1, 4, 16]:\n"
        "    ivf.nprobe = nprobe\n"
        "    found, seconds = timed_search(ivf, repeats=1)\n"
        f"    rows.append({{'nprobe': nprobe, 'recall vs exact (top 10)': {recall}, 'speed-up over exact': {speed}}})\n"
        "ivf_table = pd.DataFrame(rows).set_index('nprobe')"
    )


# exercise 5's split and scoring, as in the solution
HALF = (
    "dense_scores = scores.numpy()\n"
    "half = np.random.default_rng(0).permutation(len(questions)) < len(questions) // 2\n"
    "def recall_at_1(matrix, chosen):\n"
    "    return float(np.mean(matrix[chosen].argmax(1) == relevant[chosen]))\n"
)


WRONG = {
    "q1": [
        # the diagonal left in: every sentence is its own nearest neighbour
        MINE + "mine_vectors = embeddings.encode(mine, encoder, tokenizer)\n"
        "partners = embeddings.cosine_similarity(mine_vectors, mine_vectors).argmax(1)",
        # the farthest sentence, not the nearest
        MINE + "mine_vectors = embeddings.encode(mine, encoder, tokenizer)\n"
        "partners = (embeddings.cosine_similarity(mine_vectors, mine_vectors) + 2 * np.eye(6)).argmin(1)",
        # the [CLS] vectors, which the model was not trained to use: passes the public checks, caught by a hidden one
        MINE + "mine_vectors = embeddings.encode(mine, encoder, tokenizer, pooling='cls')\n"
        "partners = (embeddings.cosine_similarity(mine_vectors, mine_vectors) - 2 * np.eye(6)).argmax(1)",
    ],
    "q2": [
        # Pearson's correlation, not Spearman's: passes the public checks, caught by a hidden one
        "from scipy.stats import pearsonr\n"
        + COSINES.format("mean")
        + PER_GENRE.format("pearsonr")
        + "by_genre['gap'] = by_genre['all-MiniLM-L6-v2'] - by_genre['TF-IDF']",
        # the correlation over all pairs, repeated in every genre's row
        COSINES.format("mean") + "by_genre = pd.DataFrame({g: {'all-MiniLM-L6-v2': spearmanr(cosines, gold)[0],\n"
        "                             'TF-IDF': spearmanr(tfidf_cosine, gold)[0]} for g in sorted(set(genres))}).T\n"
        "by_genre['gap'] = by_genre['all-MiniLM-L6-v2'] - by_genre['TF-IDF']",
        # the gap the other way round
        COSINES.format("mean")
        + PER_GENRE.format("spearmanr")
        + "by_genre['gap'] = by_genre['TF-IDF'] - by_genre['all-MiniLM-L6-v2']",
        # the [CLS] vectors: passes the public checks, caught by a hidden one
        COSINES.format("cls")
        + PER_GENRE.format("spearmanr")
        + "by_genre['gap'] = by_genre['all-MiniLM-L6-v2'] - by_genre['TF-IDF']",
    ],
    "q3": [
        # the distances, not the ids
        "u, v = paragraph_vectors[0], paragraph_vectors[1]\n"
        "squared_distance, from_cosine = float(np.sum((u - v) ** 2)), 2 - 2 * float(u @ v)\n"
        "l2 = faiss.IndexFlatL2(paragraph_vectors.shape[1])\n"
        "l2.add(paragraph_vectors)\n"
        "l2_top = l2.search(question_vectors, K)[0]",
        # the distance, not its square
        "u, v = paragraph_vectors[0], paragraph_vectors[1]\n"
        "squared_distance, from_cosine = float(np.linalg.norm(u - v)), 2 - 2 * float(u @ v)\n"
        "l2 = faiss.IndexFlatL2(paragraph_vectors.shape[1])\n"
        "l2.add(paragraph_vectors)\n"
        "l2_top = l2.search(question_vectors, K)[1]",
        # the larger corpus of the HNSW section (paragraphs first, then STS-B sentences), not the paragraphs
        "u, v = paragraph_vectors[0], paragraph_vectors[1]\n"
        "squared_distance, from_cosine = float(np.sum((u - v) ** 2)), 2 - 2 * float(u @ v)\n"
        "l2 = faiss.IndexFlatL2(corpus.shape[1])\n"
        "l2.add(corpus)\n"
        "l2_top = l2.search(question_vectors, K)[1]",
    ],
    "q4": [
        # SQuAD's recall@10, not the share of exact search's top 10
        ivf_table(64, "retrieval.recall_at_k(found, relevant, k=K)", "flat_seconds / seconds"),
        # the speed-up upside down: the index's seconds over exact search's
        ivf_table(64, "retrieval.neighbour_recall(found, flat_top)", "seconds / flat_seconds"),
        # 16 clusters, not 64: caught by a hidden check
        ivf_table(16, "retrieval.neighbour_recall(found, flat_top)", "flat_seconds / seconds"),
    ],
    "q5": [
        # the hybrid's recall copied from the choice, measured where half is True: caught by a hidden check
        HALF
        + "weights = {w: recall_at_1(w * tfidf_scores + (1 - w) * dense_scores, half) for w in [0.25, 0.5, 0.75]}\n"
        "best = max(weights, key=weights.get)\n"
        "held_out = pd.Series({'TF-IDF': recall_at_1(tfidf_scores, ~half),\n"
        "                      'all-MiniLM-L6-v2': recall_at_1(dense_scores, ~half), 'hybrid': weights[best]})",
        # the weight put on the dense score, not on TF-IDF: passes the public checks, caught by a hidden one
        HALF
        + "weights = {w: recall_at_1(w * dense_scores + (1 - w) * tfidf_scores, half) for w in [0.25, 0.5, 0.75]}\n"
        "best = max(weights, key=weights.get)\n"
        "held_out = pd.Series({'TF-IDF': recall_at_1(tfidf_scores, ~half),\n"
        "                      'all-MiniLM-L6-v2': recall_at_1(dense_scores, ~half),\n"
        "                      'hybrid': recall_at_1(best * dense_scores + (1 - best) * tfidf_scores, ~half)})",
        # everything reported on the half that chose the weight
        HALF
        + "weights = {w: recall_at_1(w * tfidf_scores + (1 - w) * dense_scores, half) for w in [0.25, 0.5, 0.75]}\n"
        "best = max(weights, key=weights.get)\n"
        "held_out = pd.Series({'TF-IDF': recall_at_1(tfidf_scores, half),\n"
        "                      'all-MiniLM-L6-v2': recall_at_1(dense_scores, half), 'hybrid': weights[best]})",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "A", "C", "A"'],  # the first answer wrong
}
