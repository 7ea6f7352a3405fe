"""Exercise 4's hidden checks, appended to companion/exercise_checks/10_translation/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): the count of changed translations", points=1, hidden=True)
def hidden_the_changed_count(changed, greedy, beam, BEAM_ROWS):
    expected = sum(first != second for first, second in zip(greedy[:BEAM_ROWS], beam))
    assert changed == expected, f"changed = {changed}; beam search's output differs from greedy's in {expected}"


@test_case(name="q4 (hidden): every value from sacreBLEU", points=1, hidden=True)
def hidden_every_value_from_sacrebleu(frame, greedy, beam, references, BEAM_ROWS):
    import sacrebleu

    for row, outputs in (("greedy", greedy[:BEAM_ROWS]), ("beam (4)", beam)):
        result = sacrebleu.corpus_bleu(outputs, [references[:BEAM_ROWS]])
        expected = {
            "BLEU": result.score,
            "brevity penalty": result.bp,
            "output / reference tokens": result.sys_len / result.ref_len,
            **{f"{n}-gram precision": p for n, p in enumerate(result.precisions, 1)},
        }
        for column, value in expected.items():
            assert abs(frame.loc[row, column] - value) <= 1e-6 * max(1.0, abs(value)), (
                f"frame.loc[{row!r}, {column!r}] = {frame.loc[row, column]:.4f}; sacreBLEU gives {value:.4f}"
                + (" (in %, as its score)" if "precision" in column else "")
            )
