"""What tests/test_grading.py needs to test chapter 6's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them (the packaged model on the example sentence and on the 200 sentences: seconds, no training), then
the stub, the solution or a wrong answer of each exercise, and then that exercise's checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "import random",  # the imports
    "model = models.load_model(",  # the model, the example sentence and its attention (exercise 1)
    "layers, heads = ",
    "sentence_maps = ",  # the example sentence's map (a wrong answer below reads it)
    "paragraphs = list(",  # the 200 sentences' maps
    "shares = attention.special_token_share(",
    "previous, following = ",  # the previous- and next-token shares (exercises 2 and 4)
    "top = pd.DataFrame(",  # top_previous (exercise 4)
]

WRONG = {
    "q1": [
        # n tokens, not n² weights per head
        "predicted_count = layers * heads * len(tokens)\n"
        "counted = sum(layer_weights.numel() for layer_weights in outputs.attentions)",
        # the first of the 200 sentences, not the example sentence: passes the public checks, caught by a hidden one
        "predicted_count = layers * heads * len(maps[0][0]) ** 2\ncounted = maps[0][1].numel()",
    ],
    "q2": [
        # two places ahead: passes the public checks, caught by a hidden one
        "two_back = attention.offset_share(maps, 2)\n"
        "two_back_head = tuple(int(i) for i in np.unravel_index(two_back.argmax(), two_back.shape))",
        # the example sentence alone: passes the public checks, caught by a hidden one
        "two_back = attention.offset_share(sentence_maps, -2)\n"
        "two_back_head = tuple(int(i) for i in np.unravel_index(two_back.argmax(), two_back.shape))",
        # the head counted from 1
        "two_back = attention.offset_share(maps, -2)\n"
        "two_back_head = tuple(int(i) + 1 for i in np.unravel_index(two_back.argmax(), two_back.shape))",
    ],
    "q3": [
        # one token's even share (1/n) for each mark
        'punctuation = attention.special_token_share(maps, specials=(",", "."))\n'
        'even = pd.Series({mark: punctuation["even share"].mean() for mark in (",", ".")})\n'
        'on_punctuation = (punctuation[[",", "."]] / even).max(axis=1)',
        # the example sentence's attention, the 200 sentences' even shares: caught by a hidden check
        'punctuation = attention.special_token_share(sentence_maps, specials=(",", "."))\n'
        'even = pd.Series({mark: np.mean([t.count(mark) / len(t) for t, _ in maps]) for mark in (",", ".")})\n'
        'on_punctuation = (punctuation[[",", "."]] / even).max(axis=1)',
        # the even share pooled over all tokens, while the shares are averaged sentence by sentence: hidden check
        'punctuation = attention.special_token_share(maps, specials=(",", "."))\n'
        "even = pd.Series({mark: sum(t.count(mark) for t, _ in maps) / sum(len(t) for t, _ in maps) "
        'for mark in (",", ".")})\n'
        'on_punctuation = (punctuation[[",", "."]] / even).max(axis=1)',
    ],
    "q4": [
        # the head's mean weight on the previous token, not a count of tokens
        "previous_hit_rate = float(previous.max())",
        # every token as a query, [CLS] and [SEP] included: caught by a hidden check
        "hits = total = 0\n"
        "for sentence_tokens, sentence_weights in maps:\n"
        "    queries = torch.arange(len(sentence_tokens))\n"
        "    best = sentence_weights[top_previous[0], top_previous[1], queries].argmax(-1)\n"
        "    hits += int((best == queries - 1).sum())\n"
        "    total += len(queries)\n"
        "previous_hit_rate = hits / total",
        # the next token instead of the previous one: caught by a hidden check
        "hits = total = 0\n"
        "for sentence_tokens, sentence_weights in maps:\n"
        "    queries = torch.arange(2, len(sentence_tokens) - 1)\n"
        "    best = sentence_weights[top_previous[0], top_previous[1], queries].argmax(-1)\n"
        "    hits += int((best == queries + 1).sum())\n"
        "    total += len(queries)\n"
        "previous_hit_rate = hits / total",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "A", "A", "C"'],  # the first answer wrong
}
