"""Exercise 3's public checks (otter-grader): the share of attention on "," and ".", per layer, and the even share."""

import numpy as np
import pandas as pd
from otter.test_files import test_case

OK_FORMAT = False
name = "q3"
MARKS = [",", "."]


@test_case(name="q3: a share per layer for each mark", points=1)
def a_share_per_layer(punctuation, layers):
    assert isinstance(punctuation, pd.DataFrame), (
        f"punctuation should be a DataFrame like shares (attention.special_token_share returns one), "
        f"not {type(punctuation).__name__}"
    )
    assert set(MARKS) <= set(punctuation.columns), (
        f"punctuation has the columns {list(punctuation.columns)}, not ',' and '.': "
        "pass specials=(',', '.') to attention.special_token_share"
    )
    assert len(punctuation) == layers, f"punctuation has {len(punctuation)} rows; it should have one per layer"
    values = punctuation[MARKS].to_numpy(dtype=float)
    assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all(), (
        "punctuation holds values outside [0, 1]: each is a share of a layer's attention"
    )


@test_case(name="q3: each mark's even share counts its occurrences", points=1)
def even_counts_occurrences(even, maps):
    assert isinstance(even, pd.Series) and set(MARKS) <= set(even.index), (
        f"even should be a pandas Series indexed by ',' and '.', not {even!r}"
    )
    assert all(0 < even[mark] < 1 for mark in MARKS), (
        f"even = {dict(even[MARKS])}: each mark occurs in some of the 200 sentences, so each even share lies "
        "between 0 and 1; compute it over the sentences of maps, not the example sentence"
    )
    one_token = np.mean([1 / len(tokens) for tokens, _ in maps])
    assert not any(np.isclose(even[mark], one_token, rtol=1e-6, atol=0) for mark in MARKS), (
        "even is the even share of a single token (1/n); a mark that occurs k times in a sentence of n tokens "
        "would get k/n of evenly spread attention: count the mark's occurrences (tokens.count(mark))"
    )


@test_case(name="q3: per layer, the larger of the two ratios", points=1)
def the_larger_ratio(on_punctuation, punctuation, even, layers):
    assert isinstance(on_punctuation, pd.Series) and len(on_punctuation) == layers, (
        f"on_punctuation should be a pandas Series with one value per layer, not {on_punctuation!r}"
    )
    assert isinstance(punctuation, pd.DataFrame) and isinstance(even, pd.Series), (
        "punctuation and even are not computed yet (see the checks above)"
    )
    ratios = punctuation[MARKS].to_numpy(dtype=float) / even[MARKS].to_numpy(dtype=float)
    values = on_punctuation.to_numpy(dtype=float)
    assert np.allclose(values, ratios.max(axis=1), rtol=1e-6), (
        "on_punctuation is not, in each layer, the larger of the two marks' share divided by its even share"
        + (": that is their mean; take the larger" if np.allclose(values, ratios.mean(axis=1), rtol=1e-6) else "")
    )
