"""Exercise 3's hidden checks, appended to companion/exercise_checks/10_translation/q3.py for grading."""

from otter.test_files import test_case


def _matches(final, final_tokenizer, tokenizer_en, sentences, outputs, *, num_beams):
    """Return the rows whose output is none of the final model's: the sentences in one batch or one at a time,
    at translate's default length limit or at the chapter's MAX_LENGTH (48)."""
    from companion import translation

    def run(texts, limit):
        return translation.translate(
            final, texts, tokenizer_en, final_tokenizer, num_beams=num_beams, max_new_tokens=limit
        )

    wrong = []
    batches = {}
    for i, (sentence, output) in enumerate(zip(sentences, outputs)):
        found = False
        for limit in (64, 48):
            if limit not in batches:
                batches[limit] = run(sentences, limit)
            if output in (batches[limit][i], run([sentence], limit)[0]):
                found = True
                break
        if not found:
            wrong.append((sentence, output, batches[64][i]))
    return wrong


@test_case(name="q3 (hidden): the final model's greedy and beam translations", points=2, hidden=True)
def hidden_the_final_models_translations(own, final, final_tokenizer, tokenizer_en):
    sentences = list(own["English"])
    for column, beams in (("greedy", 1), ("beam (4)", 4)):
        wrong = _matches(final, final_tokenizer, tokenizer_en, sentences, list(own[column]), num_beams=beams)
        assert not wrong, "; ".join(
            f"own[{column!r}] has {output!r} for {sentence!r}, but `final` with num_beams={beams} writes {expected!r}"
            for sentence, output, expected in wrong
        )
