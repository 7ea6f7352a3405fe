"""Scoring a search: recall@k and mean reciprocal rank against known answers, and recall of approximate neighbours."""

from __future__ import annotations

import numpy as np


def recall_at_k(ranked: np.ndarray, relevant: np.ndarray, *, k: int) -> float:
    """Share of queries whose relevant item is among their first k results (ranked: (queries, >= k) ids)."""
    ranked, relevant = _check(ranked, relevant)
    if not 1 <= k <= ranked.shape[1]:
        raise ValueError(f"k must be between 1 and the {ranked.shape[1]} results per query, got {k}")
    return float(np.mean(np.any(ranked[:, :k] == relevant[:, None], axis=1)))


def mean_reciprocal_rank(ranked: np.ndarray, relevant: np.ndarray) -> float:
    """Mean of 1/rank of each query's relevant item (0 when it is not in the ranked list)."""
    ranked, relevant = _check(ranked, relevant)
    hits = ranked == relevant[:, None]  # (queries, results)
    ranks = np.argmax(hits, axis=1) + 1
    return float(np.mean(np.where(hits.any(axis=1), 1.0 / ranks, 0.0)))


def neighbour_recall(found: np.ndarray, exact: np.ndarray) -> float:
    """Share of the exact k nearest neighbours that an approximate search also returned (both (queries, k))."""
    found, exact = np.asarray(found), np.asarray(exact)
    if found.shape != exact.shape or found.ndim != 2:
        raise ValueError(f"found and exact must both be (queries, k), got {found.shape} and {exact.shape}")
    hits = sum(len(set(row_found) & set(row_exact)) for row_found, row_exact in zip(found.tolist(), exact.tolist()))
    return hits / exact.size


def _check(ranked: np.ndarray, relevant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ranked, relevant = np.asarray(ranked), np.asarray(relevant)
    if ranked.ndim != 2 or relevant.ndim != 1 or len(ranked) != len(relevant):
        raise ValueError(
            f"ranked must be (queries, results) and relevant (queries,), got {ranked.shape} and {relevant.shape}"
        )
    return ranked, relevant
