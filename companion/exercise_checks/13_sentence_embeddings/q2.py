"""Exercise 2's public checks (otter-grader): Spearman's correlation per STS-B genre, the model and TF-IDF."""

import numpy as np
import pandas as pd
from otter.test_files import test_case

OK_FORMAT = False
name = "q2"
COLUMNS = ["all-MiniLM-L6-v2", "TF-IDF", "gap"]


def _shaped(by_genre, sts):
    assert isinstance(by_genre, pd.DataFrame), f"by_genre should be a pandas DataFrame, not {type(by_genre).__name__}"
    genres = sorted(set(sts["genre"]))
    assert sorted(map(str, by_genre.index)) == genres, (
        f"by_genre's rows are {list(by_genre.index)}: it needs one row per genre, {genres} "
        "(genres in the rows: transpose it?)"
    )
    missing = [column for column in COLUMNS if column not in by_genre.columns]
    assert not missing, f"by_genre has no column {missing}; its columns: {list(by_genre.columns)}"


@test_case(name="q2: a row per genre, with correlations", points=1)
def a_row_per_genre(by_genre, sts):
    _shaped(by_genre, sts)
    values = by_genre[COLUMNS[:2]].to_numpy(dtype=float)
    assert np.isfinite(values).all() and (np.abs(values) <= 1).all(), (
        f"by_genre's correlations should lie between -1 and 1:\n{by_genre[COLUMNS[:2]]}"
    )


@test_case(name="q2: each genre on its own pairs, and the gap", points=1)
def each_genre_and_the_gap(by_genre, sts):
    _shaped(by_genre, sts)
    for column in COLUMNS[:2]:
        assert by_genre[column].astype(float).nunique() > 1, (
            f'by_genre["{column}"] is the same in every genre: compute each from that genre\'s pairs only'
        )
    gap = by_genre["all-MiniLM-L6-v2"].astype(float) - by_genre["TF-IDF"].astype(float)
    if np.allclose(by_genre["gap"].astype(float), -gap, atol=1e-9):
        raise AssertionError("by_genre[\"gap\"] has the wrong sign: the model's correlation minus TF-IDF's")
    assert np.allclose(by_genre["gap"].astype(float), gap, atol=1e-9), (
        'by_genre["gap"] should be by_genre["all-MiniLM-L6-v2"] - by_genre["TF-IDF"], genre by genre'
    )
