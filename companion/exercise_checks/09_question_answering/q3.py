"""Exercise 3's public checks (otter-grader): a question of your own, answered by the fine-tuned reader."""

from collections.abc import Mapping

from otter.test_files import test_case

OK_FORMAT = False
name = "q3"

FIELDS = ("id", "question", "context")


def _mine(mine):
    assert isinstance(mine, Mapping) and set(FIELDS) <= set(mine), (
        "mine should be a dict of lists, like a batch of the dataset: "
        f'{{"id": [...], "question": [...], "context": [...]}}, not {mine!r}'
    )
    sizes = {len(mine[field]) for field in FIELDS}
    assert len(sizes) == 1 and sizes != {0}, (
        f"mine's lists have {sorted(sizes)} items: one id, one question and one paragraph per question"
    )
    for field in FIELDS:
        assert all(isinstance(text, str) and text.strip() for text in mine[field]), (
            f'every item of mine["{field}"] should be a non-empty string'
        )


@test_case(name="q3: a question and a paragraph of your own", points=1)
def of_your_own(mine, validation):
    _mine(mine)
    assert not set(mine["context"]) & set(validation["context"]), (
        "a paragraph of mine is one of SQuAD's validation paragraphs: write a paragraph of your own"
    )


@test_case(name="q3: the answer is a span of the paragraph", points=1)
def a_span_of_the_paragraph(mine, my_answer):
    _mine(mine)
    assert isinstance(my_answer, Mapping) and set(my_answer) == set(mine["id"]), (
        "my_answer should be what qa.postprocess returns, {question id: answer}, one answer per id of mine, "
        f"not {my_answer!r}"
    )
    for key, paragraph in zip(mine["id"], mine["context"]):
        answer = my_answer[key]
        assert isinstance(answer, str) and answer.strip(), (
            f"my_answer[{key!r}] = {answer!r}: no answer; post-process the reader's logits of your windows"
        )
        assert answer in paragraph, (
            f"my_answer[{key!r}] = {answer!r} is not a span of its paragraph: cut the answer out of the "
            "paragraph with the windows' offsets (qa.postprocess does), not from the decoded tokens"
        )
