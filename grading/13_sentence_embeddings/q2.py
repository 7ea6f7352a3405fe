"""Exercise 2's hidden checks, appended to companion/exercise_checks/13_sentence_embeddings/q2.py for grading."""

from otter.test_files import test_case


@test_case(name="q2 (hidden): Spearman's correlations recomputed per genre", points=2, hidden=True)
def hidden_recomputed_per_genre(by_genre, sts, minilm, tfidf_cosine, row):
    import numpy as np
    from scipy.stats import spearmanr

    from companion import embeddings

    genres, gold = np.array(sts["genre"]), np.array(sts["label"])
    cosines = embeddings.paired_cosine(
        minilm["mean"][[row[s] for s in sts["sentence1"]]], minilm["mean"][[row[s] for s in sts["sentence2"]]]
    )
    for genre in sorted(set(genres)):
        chosen = genres == genre
        for column, values in (("all-MiniLM-L6-v2", cosines), ("TF-IDF", tfidf_cosine)):
            expected = spearmanr(values[chosen], gold[chosen]).statistic
            assert abs(by_genre.loc[genre, column] - expected) < 1e-6, (
                f'by_genre.loc["{genre}", "{column}"] = {by_genre.loc[genre, column]:.4f}; Spearman\'s correlation '
                f"of the mean-pooled cosines (TF-IDF's cosines) with the human scores of the {chosen.sum()} "
                f"{genre} pairs is {expected:.4f}"
            )
