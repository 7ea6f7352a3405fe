"""Exercise 1's hidden checks, appended to companion/exercise_checks/13_sentence_embeddings/q1.py for grading."""

from otter.test_files import test_case


@test_case(name="q1 (hidden): the packaged model's mean-pooled vectors and their neighbours", points=1, hidden=True)
def hidden_the_packaged_models_vectors(mine, mine_vectors, partners, encoder, tokenizer):
    import numpy as np

    from companion import embeddings

    expected = embeddings.encode(list(mine), encoder, tokenizer)
    theirs = mine_vectors.detach().float().cpu().numpy() if hasattr(mine_vectors, "detach") else mine_vectors
    assert np.shape(theirs) == expected.shape, (
        f"mine_vectors has the shape {np.shape(theirs)}; the packaged model gives {expected.shape}"
    )
    agreement = embeddings.paired_cosine(np.asarray(theirs, dtype=np.float32), expected)
    assert agreement.min() > 0.999, (
        f"mine_vectors' rows have cosines down to {agreement.min():.4f} with the packaged model's mean-pooled "
        "vectors of the same sentences (embeddings.encode(mine, encoder, tokenizer)): another model or pooling?"
    )
    similarity = embeddings.cosine_similarity(expected, expected) - 2 * np.eye(len(mine))
    found = partners.detach().cpu().numpy() if hasattr(partners, "detach") else np.asarray(partners)
    expected_partners = [int(index) for index in similarity.argmax(1)]
    assert [int(index) for index in found] == expected_partners, (
        f"partners = {[int(index) for index in found]}; the packaged model's nearest neighbours are {expected_partners}"
    )
