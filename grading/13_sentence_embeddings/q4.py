"""Exercise 4's hidden checks, appended to companion/exercise_checks/13_sentence_embeddings/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): 64 clusters over the whole corpus", points=1, hidden=True)
def hidden_64_clusters(ivf, corpus):
    import faiss

    assert isinstance(ivf, faiss.IndexIVF), f"ivf should be an IVF index (faiss.IndexIVFFlat), not {type(ivf)}"
    assert ivf.nlist == 64, f"ivf has {ivf.nlist} clusters; the exercise asks for 64"
    assert ivf.ntotal == len(corpus), f"ivf holds {ivf.ntotal} vectors; the corpus has {len(corpus)}"


@test_case(name="q4 (hidden): the recall of ivf itself, searched again", points=1, hidden=True)
def hidden_the_recall_of_ivf_itself(ivf_table, ivf, queries, flat_top):
    import numpy as np

    from companion import retrieval

    # an IVF search is deterministic: the table's recall is what ivf returns at each nprobe
    kept = ivf.nprobe
    try:
        for nprobe in (1, 4, 16):
            ivf.nprobe = nprobe
            found = ivf.search(np.ascontiguousarray(queries), flat_top.shape[1])[1]
            expected = retrieval.neighbour_recall(found, flat_top)
            theirs = float(ivf_table.loc[nprobe, "recall vs exact (top 10)"])
            assert abs(theirs - expected) < 1e-6, (
                f"at nprobe = {nprobe} ivf_table's recall is {theirs:.4f}; the share of exact search's top 10 "
                f"(flat_top) that ivf returns for the questions is {expected:.4f}"
            )
    finally:
        ivf.nprobe = kept
