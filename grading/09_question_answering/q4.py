"""Exercise 4's hidden checks, appended to companion/exercise_checks/09_question_answering/q4.py for grading."""

from otter.test_files import test_case


@test_case(name="q4 (hidden): each group's questions and scores, recomputed", points=2, hidden=True)
def hidden_each_group_recomputed(by_group, validation, predictions, baseline, references):
    import pandas as pd

    from companion import qa

    ids = list(validation["id"])
    words = pd.Series([question.split()[0].lower() for question in validation["question"]], index=ids)
    scored = pd.DataFrame(
        {
            "fine-tuned F1": [100 * max(qa.f1(predictions[key], truth) for truth in references[key]) for key in ids],
            "baseline F1": [100 * max(qa.f1(baseline[key], truth) for truth in references[key]) for key in ids],
        },
        index=ids,
    )
    # a group named by a first word holds the questions it starts; "other" (or any other name) pools the rest
    named = [group for group in by_group.index if str(group).lower() in set(words) - {"other"}]
    pooled = [group for group in by_group.index if group not in named]
    assert len(pooled) <= 1, f"the groups {pooled} are no question's first word: pool the rare words into one group"
    members = {group: words == str(group).lower() for group in named}
    if pooled:
        members[pooled[0]] = ~words.isin([str(group).lower() for group in named])
    for group, member in members.items():
        which = (
            "in no group named by a first word"
            if group in pooled
            else f"whose first word, lower-cased, is {str(group).lower()!r}"
        )
        expected = {"questions": int(member.sum()), **scored[member].mean().to_dict()}
        for column, value in expected.items():
            assert abs(by_group.loc[group, column] - value) < 1e-6, (
                f'by_group.loc[{group!r}, "{column}"] = {by_group.loc[group, column]:.2f}, but the questions {which} '
                f"give {value:.2f}"
            )
