"""What tests/test_grading.py needs to test chapter 10's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read: the data,
the two tokenizers, the untrained model (a wrong answer translates with it) and the book's checkpoint (`final`);
no training. context() stands in for the cells that translate the whole test set: the checkpoint's greedy
outputs for the first 70 test sentences and beam search's for the first 20 (seconds).
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "from companion import (",  # the imports and the seed
    "import numpy as np",  # FAST, REHEARSAL; train and test
    "tokenizer_en = models.load_tokenizer()",  # the two tokenizers (exercise 2)
    "MAX_LENGTH = 48",
    "import warnings",  # `model`, the decoder before training
    "import json\n\ncheckpoint = None",  # the book's checkpoint: final, final_tokenizer (exercise 3)
]

ROWS, BEAM_ROWS = 70, 20


def context(namespace: dict) -> None:
    """Add the chapter's test-set outputs and scores (greedy, bleu_greedy, beam, comparison), on fewer sentences."""
    import numpy as np
    import pandas as pd
    import sacrebleu

    ns = namespace
    assert ns["checkpoint"] is not None, "the grading test needs the book's checkpoint bert2bert-multi30k"
    sources = [pair["en"] for pair in ns["test"]["translation"][:ROWS]]
    references = [pair["de"] for pair in ns["test"]["translation"][:ROWS]]

    def translate(texts, **kwargs):
        return ns["translation"].translate(
            ns["final"], texts, ns["tokenizer_en"], ns["final_tokenizer"], max_new_tokens=ns["MAX_LENGTH"], **kwargs
        )

    greedy = translate(sources)
    bleu = sacrebleu.BLEU()
    bleu_greedy = bleu.corpus_score(greedy, [references])
    # the first 70 outputs are shorter than their references: an answer without the brevity penalty fails q1
    assert bleu_greedy.bp < 0.999, bleu_greedy
    beam = translate(sources[:BEAM_ROWS], num_beams=4)
    comparison = pd.DataFrame(
        {
            "greedy": [bleu_greedy.score, sacrebleu.corpus_bleu(greedy[:BEAM_ROWS], [references[:BEAM_ROWS]]).score],
            "beam search (4 beams)": [np.nan, sacrebleu.corpus_bleu(beam, [references[:BEAM_ROWS]]).score],
        },
        index=[f"BLEU, all {ROWS} test sentences", f"BLEU, first {BEAM_ROWS} test sentences"],
    )
    ns.update(
        sacrebleu=sacrebleu,
        sources=sources,
        references=references,
        bleu=bleu,
        greedy=greedy,
        bleu_greedy=bleu_greedy,
        BEAM_ROWS=BEAM_ROWS,
        beam=beam,
        comparison=comparison,
    )


_EXERCISE_1 = (
    "precisions = np.array(bleu_greedy.precisions) / 100\n"
    "brevity = min(1.0, float(np.exp(1 - bleu_greedy.ref_len / bleu_greedy.sys_len)))\n"
)
_WRAPPER = (
    "class NoSpecialTokens:\n"
    "    cls_token_id, sep_token_id = tokenizer_de.cls_token_id, tokenizer_de.sep_token_id\n\n"
    "    def __call__(self, texts, **kwargs):\n"
    "        return {call}\n"
)
_MINE = (
    'mine = ["A man is riding a bicycle down the street.", "Two children are playing in the snow.", '
    '"The committee postponed the vote on the budget."]\n'
)
_OWN = (
    "own = pd.DataFrame({{'English': mine, "
    "'greedy': translation.translate({model}, mine, tokenizer_en, {tokenizer}), "
    "'beam (4)': translation.translate({model}, mine, tokenizer_en, {tokenizer}{beams})}})"
)
_PARTS = (
    "first = slice(0, BEAM_ROWS)\n"
    "parts = {{'greedy': sacrebleu.corpus_bleu({greedy}), "
    "'beam (4)': sacrebleu.corpus_bleu(beam, [references[first]])}}\n"
    "frame = pd.DataFrame({{name: {{'BLEU': result.score, 'brevity penalty': result.bp, "
    "'output / reference tokens': {ratio}, "
    "**{{f'{{n}}-gram precision': p for n, p in enumerate(result.precisions, 1)}}}} "
    "for name, result in parts.items()}}).T\n"
    "changed = sum(g {compare} b for g, b in zip(greedy[first], beam))"
)
_RIGHT_PARTS = {
    "greedy": "greedy[first], [references[first]]",
    "ratio": "result.sys_len / result.ref_len",
    "compare": "!=",
}

WRONG = {
    "q1": [
        # the arithmetic mean of the precisions, not the geometric mean
        _EXERCISE_1 + "recomputed = 100 * brevity * float(precisions.mean())",
        # the brevity penalty left out
        _EXERCISE_1 + "recomputed = 100 * float(np.exp(np.log(precisions).mean()))",
        # the precisions as sacreBLEU prints them (rounded to 0.1 %): the score off by a few hundredths
        _EXERCISE_1.replace("np.array(bleu_greedy.precisions)", "np.round(bleu_greedy.precisions, 1)")
        + "recomputed = 100 * brevity * float(np.exp(np.log(precisions).mean()))",
    ],
    "q2": [
        # the special tokens kept: encode_pairs accepts the labels
        _WRAPPER.format(call="tokenizer_de(texts, **kwargs)"),
        # the keyword arguments dropped (encode_pairs' truncation lost): caught by a hidden check
        _WRAPPER.format(call="tokenizer_de(texts, add_special_tokens=False)"),
        # the English tokenizer wrapped: no German [CLS] or [SEP] in its ids, caught by a hidden check
        _WRAPPER.format(call="tokenizer_en(texts, add_special_tokens=False, **kwargs)"),
    ],
    "q3": [
        # test captions, not sentences of one's own
        "mine = [pair['en'] for pair in test['translation'][:3]]\n"
        + _OWN.format(model="final", tokenizer="final_tokenizer", beams=", num_beams=4"),
        # the "beam" column translated greedily (num_beams left out): caught by a hidden check
        _MINE + _OWN.format(model="final", tokenizer="final_tokenizer", beams=""),
        # the decoder before the checkpoint (`model`), not `final`: caught by a hidden check
        _MINE + _OWN.format(model="model", tokenizer="tokenizer_de", beams=", num_beams=4"),
    ],
    "q4": [
        # greedy scored on every sentence, beam search on the first BEAM_ROWS
        _PARTS.format(**{**_RIGHT_PARTS, "greedy": "greedy, [references]"}),
        # the length ratio upside down (references / outputs)
        _PARTS.format(**{**_RIGHT_PARTS, "ratio": "result.ref_len / result.sys_len"}),
        # the translations beam search leaves unchanged: caught by a hidden check
        _PARTS.format(**{**_RIGHT_PARTS, "compare": "=="}),
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "C", "C"'],  # the second answer wrong
}
