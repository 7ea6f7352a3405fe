"""Exercise 3's public checks (otter-grader): sentences of one's own, translated greedily and with beam search."""

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"

COLUMNS = ("English", "greedy", "beam (4)")


@test_case(name="q3: three sentences of your own", points=1)
def sentences_of_your_own(mine, test):
    assert isinstance(mine, list) and all(isinstance(text, str) and text.strip() for text in mine), (
        f"mine should be a list of English sentences (strings), not {mine!r}"
    )
    captions = {pair["en"].strip() for pair in test["translation"]}
    own = [text for text in mine if text.strip() not in captions]
    assert len(own) >= 3, (
        f"mine holds {len(own)} sentence(s) that are not Multi30k test captions: write at least three of your own"
    )


@test_case(name="q3: a table of the translations", points=1)
def a_table(own, mine):
    import pandas as pd

    assert isinstance(own, pd.DataFrame), f"own should be a pandas DataFrame, not {type(own).__name__}"
    missing = [column for column in COLUMNS if column not in own.columns]
    assert not missing, f"own lacks the column(s) {missing}; it needs {list(COLUMNS)}"
    assert isinstance(mine, list) and list(own["English"]) == mine, (
        "own['English'] should hold the sentences of mine, in their order, one row each"
    )
    for column in COLUMNS[1:]:
        empty = [i for i, text in enumerate(own[column]) if not (isinstance(text, str) and text.strip())]
        assert not empty, (
            f"own[{column!r}] has no translation in row(s) {empty}: translation.translate returns one string per "
            "sentence"
        )
        assert list(own[column]) != mine, (
            f"own[{column!r}] holds the English sentences themselves: put the translations there"
        )
