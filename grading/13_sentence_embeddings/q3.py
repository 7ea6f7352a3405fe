"""Exercise 3's hidden checks, appended to companion/exercise_checks/13_sentence_embeddings/q3.py for grading."""

from otter.test_files import test_case


@test_case(name="q3 (hidden): the two numbers from u and v", points=1, hidden=True)
def hidden_the_two_numbers(u, v, squared_distance, from_cosine):
    import numpy as np

    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    distance = float(np.sum((u - v) ** 2))
    cosine = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
    assert abs(squared_distance - distance) < 1e-5, (
        f"squared_distance = {squared_distance:.5f}; |u - v|² of the u and v in the notebook is {distance:.5f}"
    )
    assert abs(from_cosine - (2 - 2 * cosine)) < 1e-5, (
        f"from_cosine = {from_cosine:.5f}; 2 - 2 cos(u, v) is {2 - 2 * cosine:.5f}"
    )


@test_case(name="q3 (hidden): the whole top K matches a fresh IndexFlatL2", points=1, hidden=True)
def hidden_the_whole_top_k(l2_top, paragraph_vectors, question_vectors, exact_top):
    import faiss
    import numpy as np

    from companion import retrieval

    index = faiss.IndexFlatL2(paragraph_vectors.shape[1])
    index.add(np.ascontiguousarray(paragraph_vectors, dtype=np.float32))
    expected = index.search(np.ascontiguousarray(question_vectors, dtype=np.float32), exact_top.shape[1])[1]
    # near-ties at ranks 2 to K may swap between two float32 computations: allow a few
    rows = float(np.mean(np.all(l2_top == expected, axis=1)))
    assert rows > 0.98, (
        f"l2_top's rows equal a fresh IndexFlatL2 search of paragraph_vectors by question_vectors for {rows:.1%} "
        "of the questions, not all of them"
    )
    overlap = retrieval.neighbour_recall(l2_top, exact_top)
    assert overlap > 0.99, f"l2_top shares {overlap:.1%} of the dot product's top {exact_top.shape[1]}, not all"
