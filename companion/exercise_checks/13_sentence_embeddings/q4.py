"""Exercise 4's public checks (otter-grader): an IndexIVFFlat of 64 clusters, searched with nprobe = 1, 4, 16."""

import numpy as np
import pandas as pd
from otter.test_files import test_case

OK_FORMAT = False
name = "q4"
RECALL, SPEED = "recall vs exact (top 10)", "speed-up over exact"


def _shaped(ivf_table):
    assert isinstance(ivf_table, pd.DataFrame), (
        f"ivf_table should be a pandas DataFrame, not {type(ivf_table).__name__}"
    )
    assert [int(n) for n in ivf_table.index] == [1, 4, 16], (
        f"ivf_table's index is {list(ivf_table.index)}: a row per nprobe, 1, 4 and 16 in that order "
        "(set_index('nprobe')?)"
    )
    missing = [column for column in (RECALL, SPEED) if column not in ivf_table.columns]
    assert not missing, f"ivf_table has no column {missing}; its columns: {list(ivf_table.columns)}"


@test_case(name="q4: recall grows with nprobe", points=1)
def recall_grows(ivf_table):
    _shaped(ivf_table)
    recall = ivf_table[RECALL].astype(float)
    assert ((recall >= 0) & (recall <= 1)).all(), f"recall is a share, between 0 and 1:\n{ivf_table}"
    assert recall.diff().min() >= -0.001 and recall.loc[16] > recall.loc[1], (
        f"recall should grow with nprobe: searching more clusters can only find more of the true neighbours\n"
        f"{ivf_table}"
    )


@test_case(name="q4: fewer clusters searched, faster", points=1)
def fewer_clusters_faster(ivf_table):
    _shaped(ivf_table)
    speed = ivf_table[SPEED].astype(float)
    assert np.isfinite(speed).all() and (speed > 0).all(), f"the speed-ups should be positive numbers:\n{ivf_table}"
    assert speed.loc[1] > 1, (
        f"at nprobe = 1 the index searches 1 cluster of 64, yet its speed-up is {speed.loc[1]:.2f}: divide exact "
        "search's seconds per query by the index's (flat_seconds / seconds), not the reverse"
    )
    assert speed.loc[1] > speed.loc[16], (
        f"the speed-up at nprobe = 1 ({speed.loc[1]:.1f}) should exceed that at 16 ({speed.loc[16]:.1f}): "
        "searching 16 clusters costs more than one; was ivf.nprobe set before each search?"
    )
