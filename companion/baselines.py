"""Baselines that learn without a neural network: what fine-tuning has to beat."""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline


def tfidf_classifier(*, ngram_range: tuple[int, int] = (1, 2), min_df: int = 2, c: float = 10.0) -> Pipeline:
    """Return an unfitted TF-IDF (words and word pairs, sublinear counts) + logistic regression pipeline."""
    if ngram_range[0] < 1 or ngram_range[1] < ngram_range[0]:
        raise ValueError(f"ngram_range must be (low, high) with 1 <= low <= high, got {ngram_range}")
    return make_pipeline(
        TfidfVectorizer(ngram_range=ngram_range, min_df=min_df, sublinear_tf=True),
        LogisticRegression(C=c, max_iter=1000),
    )
