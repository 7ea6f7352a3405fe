"""Exercise 1's hidden checks, appended to companion/exercise_checks/11_ner/q1.py for grading."""

from otter.test_files import test_case


def _reference(tokenizer, train) -> tuple[dict, float]:
    """Return the shares of split words among entity words (True) and the others (False), and over all words,
    counted from the sentences' pieces (word_ids) rather than by tokenizing each word alone."""
    from collections import Counter

    encodings = tokenizer(list(train["tokens"]), is_split_into_words=True, add_special_tokens=False)
    split, words = {True: 0, False: 0}, {True: 0, False: 0}
    for i, tags in enumerate(train["ner_tags"]):
        pieces = Counter(word for word in encodings.word_ids(i) if word is not None)
        for word, tag in enumerate(tags):
            split[tag > 0] += pieces[word] > 1
            words[tag > 0] += 1
    shares = {key: split[key] / words[key] for key in (True, False)}
    return shares, sum(split.values()) / sum(words.values())


@test_case(name="q1 (hidden): the shares match a reference", points=1, hidden=True)
def hidden_shares_match_a_reference(split_share, overall_share, tokenizer, train):
    shares, overall = _reference(tokenizer, train)
    for key, label in ((True, "entity words (tag not O)"), (False, "the other words")):
        assert abs(float(split_share[key]) - shares[key]) < 1e-9, (
            f"split_share[{key}] = {float(split_share[key]):.4f}; among {label} a reference gives {shares[key]:.4f}"
        )
    assert abs(overall_share - overall) < 1e-9, (
        f"overall_share = {overall_share:.4f}; over all training words (each word counted once) a reference gives "
        f"{overall:.4f}"
    )
