"""Concept figures drawn from real objects (a config, a tokenizer, an encoding), so each stays true to the code."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from companion import _drawing as kit
from companion import bert, ner, pretraining
from companion._drawing import FONT as FONT
from companion._drawing import PALETTE as PALETTE
from companion._drawing import TITLE_FONT as TITLE_FONT


def _int(value: int) -> str:
    return f"{value:,}"


# ----------------------------------------------------------------------------------------------- chapter 3
def input_embeddings(config, tokens: Sequence[str], token_type_ids: Sequence[int], *, max_columns: int = 16) -> Figure:
    """Token + segment + position embeddings of real tokens, summed, then LayerNorm and dropout."""
    if len(tokens) != len(token_type_ids):
        raise ValueError(f"{len(tokens)} tokens but {len(token_type_ids)} token type ids: pass one per token")
    n, hidden = len(tokens), config.hidden_size
    shown = list(range(n)) if n <= max_columns else [*range(max_columns - 3), None, *range(n - 2, n)]
    label_width, gap = 1.75, 0.06
    widths = [max(0.42, kit.text_width("…" if i is None else tokens[i]) + 2 * kit.PAD) for i in shown]
    width = max(9.0, label_width + sum(widths) + gap * len(widths) + 0.3)
    figure, axes = kit.canvas(width, 4.1, f"Input embeddings: {n} tokens → ({n}, {hidden})")
    rows = [
        ("token", f"token embeddings\n{_int(config.vocab_size)} × {hidden}"),
        ("segment", f"segment embeddings\n{config.type_vocab_size} × {hidden}"),
        ("position", f"position embeddings\n{_int(config.max_position_embeddings)} × {hidden}"),
    ]
    for r, (kind, label) in enumerate(rows):
        y = 3.05 - r * 0.66
        axes.text(label_width - 0.1, y + 0.22, label, ha="right", va="center", fontsize=FONT)
        x = label_width
        for column, i in zip(widths, shown):
            if i is None:
                axes.text(x + column / 2, y + 0.22, "…", ha="center", va="center", fontsize=FONT)
            else:
                segment = int(token_type_ids[i])
                text, colour = {
                    "token": (tokens[i], PALETTE["token"]),
                    "segment": (
                        "AB"[segment] if segment < 2 else str(segment),
                        PALETTE["segment_a"] if segment == 0 else PALETTE["segment_b"],
                    ),
                    "position": (str(i), PALETTE["position"]),
                }[kind]
                kit.box(axes, x, y, column, 0.44, text, colour=colour)
            x += column + gap
        if r < 2:
            axes.text(label_width - 0.05, y - 0.11, "+", ha="center", va="center", fontsize=TITLE_FONT)
    # the sum, LayerNorm and dropout, one vector per token
    chain = [
        (f"sum\n({n}, {hidden})", PALETTE["norm"]),
        (f"LayerNorm\nε = {config.layer_norm_eps:g}", PALETTE["norm"]),
        (f"dropout\np = {config.hidden_dropout_prob:g}", PALETTE["norm"]),
        (f"to encoder layer 1\n(sequence {n}, hidden {hidden})", "white"),
    ]
    x, y = label_width, 0.3
    axes.text(label_width - 0.1, y + 0.3, "per token:", ha="right", va="center", fontsize=FONT)
    kit.arrow(axes, (label_width + 0.4, 1.72), (label_width + 0.4, y + 0.62), text="")
    axes.text(
        label_width + 0.5, 1.2, "add the three vectors of each position", va="center", fontsize=FONT, style="italic"
    )
    for i, (text, colour) in enumerate(chain):
        w = kit.text_width(text) + 2 * kit.PAD + 0.1
        kit.box(axes, x, y, w, 0.6, text, colour=colour)
        if i < len(chain) - 1:
            kit.arrow(axes, (x + w, y + 0.3), (x + w + 0.35, y + 0.3))
        x += w + 0.35
    return figure


def encoder_block(config) -> Figure:
    """One encoder layer: self-attention, add & LayerNorm, feed-forward (GELU), add & LayerNorm, with sizes."""
    hidden, heads, inner = config.hidden_size, config.num_attention_heads, config.intermediate_size
    if hidden % heads:
        raise ValueError(f"hidden_size {hidden} is not divisible by num_attention_heads {heads}")
    p = config.hidden_dropout_prob
    steps = [
        (f"input\n(seq, {hidden})", "white"),
        (f"multi-head\nself-attention\n{heads} heads × {hidden // heads}", PALETTE["attention"]),
        (f"dropout {p:g},\nadd, LayerNorm", PALETTE["norm"]),
        (f"Linear\n{hidden} → {inner}", PALETTE["ffn"]),
        (f"{config.hidden_act.upper()}", PALETTE["ffn"]),
        (f"Linear\n{inner} → {hidden}", PALETTE["ffn"]),
        (f"dropout {p:g},\nadd, LayerNorm", PALETTE["norm"]),
        (f"output\n(seq, {hidden})", "white"),
    ]
    widths = [kit.text_width(text) + 2 * kit.PAD for text, _ in steps]
    arrow = 0.28
    width = max(9.0, sum(widths) + arrow * (len(steps) - 1) + 0.4)
    figure, axes = kit.canvas(
        width, 3.4, f"One encoder layer (of {config.num_hidden_layers}): hidden {hidden}, feed-forward {inner}"
    )
    y, h = 0.85, 0.85
    x, lefts = 0.2, []
    for i, ((text, colour), w) in enumerate(zip(steps, widths)):
        kit.box(axes, x, y, w, h, text, colour=colour)
        lefts.append(x)
        if i < len(steps) - 1:
            kit.arrow(axes, (x + w, y + h / 2), (x + w + arrow, y + h / 2))
        x += w + arrow
    # residual connections skip over the attention and over the feed-forward network
    for level, (source, target) in enumerate(((0, 2), (2, 6))):
        x0, x1 = lefts[source] + widths[source] / 2, lefts[target] + widths[target] / 2
        rise = y + h + 0.35 + 0.3 * level
        axes.plot([x0, x0, x1], [y + h, rise, rise], color=PALETTE["edge"], linewidth=1.0)
        kit.arrow(axes, (x1, rise), (x1, y + h))
        axes.text((x0 + x1) / 2, rise + 0.05, "residual", ha="center", va="bottom", fontsize=FONT - 0.5, style="italic")
    left, right = lefts[3] - 0.08, lefts[5] + widths[5] + 0.08
    kit.box(axes, left, y - 0.42, right - left, h + 0.55, dashed=True)
    axes.text(
        (left + right) / 2, y - 0.28, "feed-forward network, each position on its own", ha="center", fontsize=FONT - 0.5
    )
    per_layer = bert.parameter_counts(config)["per layer"]
    axes.text(
        0.2,
        0.18,
        f"The output has the input's shape, so {config.num_hidden_layers} identical layers "
        f"stack; each adds {_int(per_layer)} parameters.",
        fontsize=FONT,
    )
    return figure


# ----------------------------------------------------------------------------------------------- chapters 3-4
def multi_head_shapes(config, sequence_length: int, batch_size: int = 1) -> Figure:
    """The tensor shapes through multi-head self-attention, from (batch, seq, hidden) back to it."""
    hidden, heads = config.hidden_size, config.num_attention_heads
    if hidden % heads:
        raise ValueError(f"hidden_size {hidden} is not divisible by num_attention_heads {heads}")
    b, n, d = batch_size, sequence_length, hidden // heads
    steps = [
        ("input X", "(batch, seq, hidden)", (b, n, hidden), "white"),
        (
            "queries, keys, values:\nthree Linear {h} → {h}",
            "3 × (batch, seq, hidden)",
            (b, n, hidden),
            PALETTE["attention"],
        ),
        (
            "split into heads:\nview + transpose",
            "(batch, heads, seq, head_dim)",
            (b, heads, n, d),
            PALETTE["attention"],
        ),
        (
            "scores QKᵀ / √{d}, then\nmask and softmax over keys",
            "(batch, heads, seq, seq)",
            (b, heads, n, n),
            PALETTE["attention"],
        ),
        ("weights × V", "(batch, heads, seq, head_dim)", (b, heads, n, d), PALETTE["attention"]),
        ("concatenate heads:\ntranspose + reshape", "(batch, seq, hidden)", (b, n, hidden), PALETTE["attention"]),
        ("output projection\nLinear {h} → {h}", "(batch, seq, hidden)", (b, n, hidden), PALETTE["attention"]),
        ("to dropout, add, LayerNorm", "(batch, seq, hidden)", (b, n, hidden), "white"),
    ]
    box_w, box_h, arrow, per_row = 2.15, 1.05, 0.3, 4
    width = per_row * box_w + (per_row - 1) * arrow + 0.4
    figure, axes = kit.canvas(
        width, 3.75, f"Multi-head self-attention: {heads} heads of {d} = hidden {hidden}, batch {b}, sequence {n}"
    )
    for i, (what, symbolic, shape, colour) in enumerate(steps):
        row, column = divmod(i, per_row)
        x, y = 0.2 + column * (box_w + arrow), 1.95 - row * 1.55
        text = what.format(h=hidden, d=d) + "\n" + symbolic + "\n" + str(tuple(shape)).replace(",)", ")")
        kit.box(axes, x, y, box_w, box_h, text, colour=colour, size=FONT - 0.5)
        if column < per_row - 1 and i < len(steps) - 1:
            kit.arrow(axes, (x + box_w, y + box_h / 2), (x + box_w + arrow, y + box_h / 2))
    # from the end of the first row down to the start of the second
    kit.arrow(axes, (0.2 + 3 * (box_w + arrow) + box_w / 2, 1.95), (0.2 + box_w / 2, 0.4 + box_h))
    return figure


# ----------------------------------------------------------------------------------------------- chapter 5
def mlm_corruption(
    tokens: Sequence[str], corrupted: Sequence[str], labels: Sequence[str | None], *, mask_token: str = "[MASK]"
) -> Figure:
    """A sentence before and after BERT's 80/10/10 masked-LM corruption, and what the model must predict."""
    if not len(tokens) == len(corrupted) == len(labels):
        raise ValueError(
            f"tokens, corrupted and labels must have one entry per position, got "
            f"{len(tokens)}, {len(corrupted)} and {len(labels)}"
        )
    kinds = []
    for token, seen, label in zip(tokens, corrupted, labels):
        if label in (None, "", -100):
            kinds.append("not chosen")
        elif seen == mask_token:
            kinds.append("mask")
        elif seen == token:
            kinds.append("unchanged")
        else:
            kinds.append("random")
    label_width, gap = 1.45, 0.05
    widths = [
        max(
            0.4,
            kit.text_width(t) + 2 * kit.PAD,
            kit.text_width(s) + 2 * kit.PAD,
            kit.text_width(str(label or "")) + 2 * kit.PAD,
        )
        + gap
        for t, s, label in zip(tokens, corrupted, labels)
    ]
    rows = kit.rows_of(widths, 9.6 - label_width)
    band = 1.75
    height = 1.35 + band * len(rows)
    chosen = sum(kind != "not chosen" for kind in kinds)
    figure, axes = kit.canvas(10, height, f"Masked-LM corruption: {chosen} of {len(tokens)} positions chosen")
    colours = {
        "not chosen": "white",
        "mask": PALETTE["mask"],
        "random": PALETTE["random"],
        "unchanged": PALETTE["unchanged"],
    }
    for r, columns in enumerate(rows):
        top = height - 0.75 - r * band
        for line, name in enumerate(("original", "model sees", "predict")):
            axes.text(label_width - 0.12, top - 0.25 - line * 0.5, name, ha="right", va="center", fontsize=FONT)
        x = label_width
        for i in columns:
            w = widths[i] - gap
            special = kinds[i] == "not chosen"
            kit.box(axes, x, top - 0.45, w, 0.4, tokens[i], colour="white")
            kit.box(
                axes,
                x,
                top - 0.95,
                w,
                0.4,
                corrupted[i],
                colour=colours[kinds[i]],
                weight="normal" if special else "bold",
            )
            if not special:
                kit.box(axes, x, top - 1.45, w, 0.4, str(labels[i]), colour=PALETTE["token"])
            x += widths[i]
    counts = {kind: kinds.count(kind) for kind in ("mask", "random", "unchanged")}
    kit.legend(
        axes,
        0.3,
        0.35,
        [
            (PALETTE["mask"], f"[MASK] (80 % of chosen): {counts['mask']}"),
            (PALETTE["random"], f"random token (10 %): {counts['random']}"),
            (PALETTE["unchanged"], f"unchanged (10 %): {counts['unchanged']}"),
            (PALETTE["token"], "label: the original token (loss only here)"),
        ],
    )
    return figure


def nsp_pairs(pairs: Sequence[pretraining.SentencePair], *, characters: int = 150) -> Figure:
    """Next-sentence-prediction pairs as [CLS] A [SEP] B [SEP] with their IsNext / NotNext labels."""
    if not pairs:
        raise ValueError("no pairs to draw: pass a few items of pretraining.make_nsp_pairs(...)")
    names = {
        pretraining.IS_NEXT: f"IsNext ({pretraining.IS_NEXT})",
        pretraining.NOT_NEXT: f"NotNext ({pretraining.NOT_NEXT})",
    }
    special, label_w, text_w, line = 0.55, 1.15, 3.35, 0.2
    wrap = int((text_w - 2 * kit.PAD) / kit.text_width("abcdefghijklmnopqrstuvwxyz ", FONT - 0.5) * 27)
    blocks = []
    for pair in pairs:
        if pair.label not in names:
            raise ValueError(f"label {pair.label} is neither IS_NEXT nor NOT_NEXT")
        a = textwrap.wrap(textwrap.shorten(pair.a, characters, placeholder=" …"), wrap)
        b = textwrap.wrap(textwrap.shorten(pair.b, characters, placeholder=" …"), wrap)
        blocks.append((a, b, pair.label))
    heights = [max(len(a), len(b)) * line + 0.25 for a, b, _ in blocks]
    height = 1.55 + sum(heights) + 0.15 * len(blocks)
    width = 3 * special + 2 * text_w + label_w + 0.2 + 6 * 0.05
    figure, axes = kit.canvas(width, height, "Next-sentence prediction: is segment B the text that follows A?")
    y = height - 0.75
    xs = [0.1]
    for w in (special, text_w, special, text_w, special):
        xs.append(xs[-1] + w + 0.05)
    for x, w, text in (
        (xs[1], text_w, "segment A (token type 0)"),
        (xs[3], text_w, "segment B (token type 1)"),
        (xs[5], label_w, "label"),
    ):
        axes.text(x + w / 2, y, text, ha="center", va="center", fontsize=FONT, weight="bold")
    y -= 0.25
    for (a, b, label), h in zip(blocks, heights):
        y -= h
        for x, w, text, colour in (
            (xs[0], special, "[CLS]", PALETTE["special"]),
            (xs[1], text_w, "\n".join(a), PALETTE["segment_a"]),
            (xs[2], special, "[SEP]", PALETTE["special"]),
            (xs[3], text_w, "\n".join(b), PALETTE["segment_b"]),
            (xs[4], special, "[SEP]", PALETTE["special"]),
        ):
            kit.box(axes, x, y, w, h, text, colour=colour, size=FONT - 0.5)
        kit.box(
            axes,
            xs[5],
            y,
            label_w,
            h,
            names[label],
            colour="white" if label == pretraining.IS_NEXT else PALETTE["norm"],
            weight="bold",
        )
        y -= 0.15
    nots = sum(label == pretraining.NOT_NEXT for _, _, label in blocks)
    axes.text(
        0.1,
        0.3,
        f"{len(blocks) - nots} IsNext: B is the rest of A's paragraph;  {nots} NotNext: "
        "B comes from another paragraph.  The NSP head reads the final [CLS] vector.",
        fontsize=FONT,
    )
    return figure


# ----------------------------------------------------------------------------------------------- chapter 7
def _head_of(model) -> str:
    """What the head of a transformers task model is and reads, from its modules and config."""
    config = model.config
    kind = type(model).__name__
    if hasattr(model, "encoder") and hasattr(model, "decoder") and hasattr(config, "decoder"):
        dec = config.decoder
        return (
            f"decoder: {dec.num_hidden_layers} layers, hidden {dec.hidden_size},\ncross-attention to "
            f"every source token,\nscores {_int(dec.vocab_size)} target pieces"
        )
    if hasattr(model, "qa_outputs"):
        layer = model.qa_outputs
        return f"Linear {layer.in_features} → {layer.out_features} on every token:\nstart and end logits"
    layer = getattr(model, "classifier", None)
    if kind.endswith("ForTokenClassification") and layer is not None:
        return f"Linear {layer.in_features} → {layer.out_features} on every token:\none tag per token"
    if kind.endswith("ForSequenceClassification") and layer is not None:
        return f"Linear {layer.in_features} → {layer.out_features} on pooled [CLS]:\none label per input"
    raise TypeError(
        f"cannot draw the head of a {kind}: pass *ForSequenceClassification, "
        "*ForTokenClassification, *ForQuestionAnswering or EncoderDecoderModel models"
    )


def pretrain_then_finetune(heads: Mapping[str, object]) -> Figure:
    """One encoder pre-trained with MLM + NSP heads, then copied under a new head per task (task models in)."""
    if not heads:
        raise ValueError("pass at least one task model, e.g. {'sentiment': AutoModelForSequenceClassification...}")
    described = {task: _head_of(model) for task, model in heads.items()}
    first = next(iter(heads.values())).config
    config = getattr(first, "encoder", first)
    hidden, layers = config.hidden_size, config.num_hidden_layers
    row_h, gap = 0.8, 0.2
    height = max(3.8, 1.3 + len(heads) * (row_h + gap) + 0.3)
    figure, axes = kit.canvas(10, height, "Pre-train once, fine-tune per task: the same encoder, a new head")
    top = height - 0.75
    axes.text(1.55, top, "pre-training (unlabelled text)", ha="center", fontsize=FONT, weight="bold")
    mid = top - 0.2 - (len(heads) * (row_h + gap)) / 2
    kit.box(
        axes, 0.2, mid - 0.45, 2.7, 0.9, f"BERT encoder\n{layers} layers, hidden {hidden}", colour=PALETTE["encoder"]
    )
    kit.box(
        axes,
        0.2,
        mid + 0.65,
        1.3,
        0.85,
        f"MLM head\n{hidden} → {_int(config.vocab_size)}\nat masked tokens",
        colour=PALETTE["mask"],
        size=FONT - 0.5,
    )
    kit.box(
        axes,
        1.6,
        mid + 0.65,
        1.3,
        0.85,
        f"NSP head\n{hidden} → 2\non pooled [CLS]",
        colour=PALETTE["head"],
        size=FONT - 0.5,
    )
    for x in (0.85, 2.25):
        kit.arrow(axes, (x, mid + 0.45), (x, mid + 0.65))
    axes.text(6.6, top, "fine-tuning (labelled data), one copy per task", ha="center", fontsize=FONT, weight="bold")
    y = top - 0.2
    for task, head in described.items():
        y -= row_h
        kit.box(
            axes,
            3.55,
            y,
            1.75,
            row_h,
            "\n".join(textwrap.wrap(task, 17)),
            colour="white",
            weight="bold",
            size=FONT - 0.5,
        )
        kit.box(
            axes, 5.4, y, 1.2, row_h, f"encoder copy\n{layers} × {hidden}", colour=PALETTE["encoder"], size=FONT - 0.5
        )
        kit.box(
            axes,
            6.85,
            y,
            2.95,
            row_h,
            head,
            colour=PALETTE["decoder"] if head.startswith("decoder") else PALETTE["head"],
            size=FONT - 1,
        )
        kit.arrow(axes, (6.6, y + row_h / 2), (6.85, y + row_h / 2))
        kit.arrow(axes, (2.9, mid), (3.55, y + row_h / 2))
        y -= gap
    axes.text(0.2, mid - 0.6, "copy the weights →", va="top", fontsize=FONT - 0.5, style="italic")
    axes.text(
        0.2,
        0.25,
        "The pre-training heads are dropped; each task head starts random and is trained with the encoder.",
        fontsize=FONT - 0.5,
    )
    return figure


# ----------------------------------------------------------------------------------------------- chapter 9
def qa_windows(
    tokens_per_window: Sequence[Sequence[str]],
    stride: int,
    answer_span: Sequence[tuple[int, int]],
    *,
    sep_token: str = "[SEP]",
) -> Figure:
    """A long context cut into overlapping windows, the question repeated in each, and where the answer is."""
    if len(tokens_per_window) != len(answer_span):
        raise ValueError(
            f"{len(tokens_per_window)} windows but {len(answer_span)} answer spans: pass one "
            "(start, end) per window, (0, 0) where the answer is absent"
        )
    windows = []
    for tokens in tokens_per_window:
        seps = [i for i, token in enumerate(tokens) if token == sep_token]
        if len(seps) < 2:
            raise ValueError(
                f"each window must read [CLS] question [SEP] context [SEP]: found {len(seps)} {sep_token} tokens"
            )
        windows.append((seps[0] - 1, seps[0] + 1, seps[1]))  # question length, context start, context end
    # where each window's context starts in the whole context: consecutive windows share `stride` tokens
    starts = [0]
    for _, c0, c1 in windows[:-1]:
        starts.append(starts[-1] + (c1 - c0) - stride)
    for k in range(1, len(windows)):
        previous, current = tokens_per_window[k - 1], tokens_per_window[k]
        tail = previous[windows[k - 1][2] - stride : windows[k - 1][2]]
        head = current[windows[k][1] : windows[k][1] + stride]
        if list(tail) != list(head):
            raise ValueError(
                f"windows {k} and {k + 1} do not share their {stride} edge tokens: pass the "
                "stride the tokenizer was called with"
            )
    total = starts[-1] + windows[-1][2] - windows[-1][1]
    question_len = windows[0][0]
    scale = 5.9 / (question_len + 2 + total)
    row = 0.7
    height = 1.75 + len(windows) * row
    max_len = max(len(tokens) for tokens in tokens_per_window)
    figure, axes = kit.canvas(
        10,
        height,
        f"{len(windows)} windows of at most {max_len} tokens over a context of {_int(total)} tokens, stride {stride}",
    )
    left = 1.1
    for k, ((q, c0, c1), tokens, (start, end)) in enumerate(zip(windows, tokens_per_window, answer_span)):
        y = height - 1.05 - k * row
        axes.text(
            left - 0.1, y + 0.2, f"window {k + 1}\n{len(tokens)} tokens", ha="right", va="center", fontsize=FONT - 0.5
        )
        offset = left + starts[k] * scale
        qw = max(0.24, (q + 2) * scale)
        kit.box(axes, offset, y, qw, 0.4, "question" if qw > 0.8 else "Q", colour=PALETTE["segment_a"], size=FONT - 1)
        cw = (c1 - c0) * scale
        span = f"{starts[k] + 1}–{starts[k] + c1 - c0}"
        text = f"context tokens {span}" if kit.text_width(f"context tokens {span}", FONT - 1) < cw - 0.1 else span
        kit.box(axes, offset + qw, y, cw, 0.4, text, colour=PALETTE["segment_b"], size=FONT - 1)
        if k > 0:  # the overlap with the previous window
            axes.add_patch(
                Rectangle(
                    (offset + qw, y),
                    stride * scale,
                    0.4,
                    facecolor="none",
                    edgecolor=PALETTE["edge"],
                    hatch="///",
                    linewidth=0,
                )
            )
        if start > 0:
            x0 = offset + qw + (start - c0) * scale
            axes.add_patch(
                Rectangle(
                    (x0, y - 0.04),
                    max(0.05, (end - start + 1) * scale),
                    0.48,
                    facecolor=PALETTE["answer"],
                    edgecolor=PALETTE["edge"],
                    linewidth=1.2,
                )
            )
            answer = " ".join(tokens[start : end + 1]).replace(" ##", "")
            axes.text(
                offset + qw + cw + 0.12,
                y + 0.2,
                f"answer: tokens {start}–{end}\n“{answer}”",
                va="center",
                fontsize=FONT - 0.5,
            )
        else:
            axes.text(
                offset + qw + cw + 0.12,
                y + 0.2,
                "no answer here:\nlabel (0, 0), the [CLS] token",
                va="center",
                fontsize=FONT - 0.5,
            )
    kit.legend(
        axes,
        0.3,
        0.6,
        [
            (PALETTE["segment_a"], f"[CLS] question [SEP]: {question_len + 2} tokens, repeated in every window"),
            (PALETTE["segment_b"], "context tokens and the final [SEP]"),
        ],
    )
    kit.legend(
        axes,
        0.3,
        0.25,
        [
            (PALETTE["answer"], "the answer span"),
            ("hatch", f"the {stride} tokens (stride) shared with the window before"),
        ],
    )
    return figure


# ----------------------------------------------------------------------------------------------- chapter 10
def cross_attention(source_tokens: Sequence[str], target_tokens: Sequence[str], config) -> Figure:
    """Encoder-decoder: the frozen encoder's outputs feed every decoder layer's cross-attention (target × source)."""
    encoder, decoder = getattr(config, "encoder", None), getattr(config, "decoder", None)
    if encoder is None or decoder is None:
        raise TypeError("pass an EncoderDecoderConfig (model.config of an EncoderDecoderModel)")
    s, t = len(source_tokens), len(target_tokens)
    if not s or not t:
        raise ValueError("source_tokens and target_tokens must not be empty")
    cell = min(0.24, 4.0 / max(s, t))
    grid_w, grid_h = s * cell, t * cell
    height = max(5.4, grid_h + 2.6)
    figure, axes = kit.canvas(10, height, f"Cross-attention: {t} target positions attend to {s} source positions")
    top = height - 0.8
    # left: the encoder, the projection, the decoder layers
    kit.box(
        axes,
        0.2,
        top - 0.85,
        2.2,
        0.85,
        f"BERT encoder (frozen)\n{encoder.num_hidden_layers} layers, hidden {encoder.hidden_size}",
        colour=PALETTE["encoder"],
    )
    kit.box(axes, 0.2, top - 1.75, 2.2, 0.6, f"encoder outputs\n({s}, {encoder.hidden_size})", colour="white")
    kit.arrow(axes, (1.3, top - 0.85), (1.3, top - 1.15))
    feed_y = top - 1.75
    if encoder.hidden_size != decoder.hidden_size:
        kit.box(
            axes,
            0.2,
            top - 2.65,
            2.2,
            0.6,
            f"Linear {encoder.hidden_size} → {decoder.hidden_size}\n(enc_to_dec_proj)",
            colour=PALETTE["norm"],
        )
        kit.arrow(axes, (1.3, top - 1.75), (1.3, top - 2.05))
        feed_y = top - 2.65
    layer_h, layer_gap = 0.6, 0.3
    n_layers = decoder.num_hidden_layers
    x0, bus = 3.0, 2.7
    axes.text(
        x0 + 1.35,
        top + 0.02,
        f"decoder: {n_layers} layers, hidden {decoder.hidden_size}, {decoder.num_attention_heads} heads",
        ha="center",
        va="bottom",
        fontsize=FONT - 0.5,
        weight="bold",
    )
    kit.box(
        axes,
        x0,
        top - 0.45,
        2.7,
        0.45,
        f"output layer → {_int(decoder.vocab_size)} target pieces",
        colour=PALETTE["decoder"],
        size=FONT - 1,
    )
    # the encoder's outputs run up a bus; each layer's cross-attention reads it from below
    feeds = []
    for i in range(n_layers):
        y = top - 0.45 - (i + 1) * (layer_h + layer_gap) + 0.05
        kit.box(axes, x0, y, 0.95, layer_h, "causal\nself-attn", colour=PALETTE["attention"], size=FONT - 1)
        kit.box(axes, x0 + 1.0, y, 0.95, layer_h, "cross-\nattention", colour=PALETTE["cross"], size=FONT - 1)
        kit.box(axes, x0 + 2.0, y, 0.7, layer_h, "FFN", colour=PALETTE["ffn"], size=FONT - 1)
        axes.text(x0 + 2.78, y + layer_h / 2, f"layer\n{n_layers - i}", va="center", fontsize=FONT - 1.5)
        below = y - 0.13
        feeds.append(below)
        axes.plot([bus, x0 + 1.475], [below, below], color=PALETTE["edge"], linewidth=1.0)
        kit.arrow(axes, (x0 + 1.475, below), (x0 + 1.475, y))
    axes.plot([2.4, bus], [feed_y + 0.3, feed_y + 0.3], color=PALETTE["edge"], linewidth=1.0)
    axes.plot(
        [bus, bus], [min(feeds + [feed_y + 0.3]), max(feeds + [feed_y + 0.3])], color=PALETTE["edge"], linewidth=1.0
    )
    bottom = min(feeds) - 0.1
    kit.box(
        axes,
        x0,
        bottom - 0.5,
        2.7,
        0.45,
        f"target so far, shifted right ({t} positions)",
        colour="white",
        size=FONT - 1,
    )
    axes.text(
        0.2,
        0.55,
        "Keys and values of cross-attention come from the encoder's outputs,\n"
        "queries from the decoder; its weights have shape (target, source) per head.",
        fontsize=FONT - 0.5,
        va="center",
    )
    # right: the cross-attention weight matrix, rows = target tokens, columns = source tokens
    gx, gy = 10 - 0.25 - grid_w, top - 1.0 - grid_h
    for i in range(t):
        for j in range(s):
            axes.add_patch(
                Rectangle(
                    (gx + j * cell, gy + (t - 1 - i) * cell),
                    cell,
                    cell,
                    facecolor=PALETTE["cross"],
                    edgecolor="white",
                    linewidth=0.6,
                    alpha=0.55,
                )
            )
    small = min(FONT - 1, cell * 72 * 0.8)
    for i, token in enumerate(target_tokens):
        axes.text(gx - 0.05, gy + (t - 1 - i + 0.5) * cell, token, ha="right", va="center", fontsize=small)
    for j, token in enumerate(source_tokens):
        axes.text(
            gx + (j + 0.5) * cell, gy + grid_h + 0.05, token, ha="center", va="bottom", fontsize=small, rotation=90
        )
    axes.text(
        gx + grid_w,
        gy - 0.12,
        f"rows: target, columns: source\nweights per head: ({t}, {s}); "
        f"{decoder.num_attention_heads} heads in each of {n_layers} layers",
        ha="right",
        va="top",
        fontsize=FONT - 0.5,
    )
    return figure


# ----------------------------------------------------------------------------------------------- chapter 11
def wordpiece_label_alignment(words: Sequence[str], tags: Sequence[str], tokenizer) -> Figure:
    """Words as WordPiece pieces: the word's tag on its first piece, -100 on the rest (ner.tokenize_and_align)."""
    if len(words) != len(tags):
        raise ValueError(f"{len(words)} words but {len(tags)} tags: pass one tag per word")
    names = list(dict.fromkeys(tags))
    encoded = ner.tokenize_and_align(
        {"tokens": [list(words)], "ner_tags": [[names.index(t) for t in tags]]},
        tokenizer,
        max_length=tokenizer.model_max_length,
    )
    pieces, word_ids, labels = encoded.tokens(0), encoded.word_ids(0), encoded["labels"][0]
    # one column per piece; a word's columns are wide enough for the word above them
    widths = [
        max(kit.text_width(piece), kit.text_width(names[label] if label != ner.IGNORE_INDEX else "", FONT - 0.5) * 1.1)
        + 2 * kit.PAD
        for piece, label in zip(pieces, labels)
    ]
    for w, word in enumerate(words):
        columns = [i for i, word_id in enumerate(word_ids) if word_id == w]
        need = kit.text_width(word) + 2 * kit.PAD
        have = sum(widths[i] for i in columns)
        for i in columns:
            widths[i] = max(widths[i], widths[i] * need / have if have else need)
    widths = [max(w, kit.text_width("-100") + 2 * kit.PAD) + 0.04 for w in widths]
    label_width = 0.75
    rows = kit.rows_of(  # rows may only break between words
        widths, 9.7 - label_width, breakable=lambda i: i == 0 or word_ids[i] is None or word_ids[i] != word_ids[i - 1]
    )
    band = 1.55
    height = 1.3 + band * len(rows)
    first = sum(label != ner.IGNORE_INDEX for label in labels)
    figure, axes = kit.canvas(
        10,
        height,
        f"{len(words)} words → {len(pieces)} pieces: {first} labels on first "
        f"pieces, -100 on the other {len(pieces) - first}",
    )
    for r, columns in enumerate(rows):
        top = height - 0.7 - r * band
        for line, name in enumerate(("word", "piece", "label")):
            axes.text(label_width - 0.1, top - 0.2 - line * 0.47, name, ha="right", va="center", fontsize=FONT)
        x, lefts = label_width, {}
        for i in columns:
            lefts[i] = x
            x += widths[i]
        for w in sorted({word_ids[i] for i in columns if word_ids[i] is not None}):
            span = [i for i in columns if word_ids[i] == w]
            left, right = lefts[span[0]], lefts[span[-1]] + widths[span[-1]] - 0.04
            axes.text((left + right) / 2, top - 0.2, words[w], ha="center", va="center", fontsize=FONT)
            axes.plot([left, right], [top - 0.38, top - 0.38], color=PALETTE["edge"], linewidth=1.0)
        for i in columns:
            w = widths[i] - 0.04
            special = word_ids[i] is None
            is_first = not special and labels[i] != ner.IGNORE_INDEX
            kit.box(
                axes,
                lefts[i],
                top - 0.87,
                w,
                0.38,
                pieces[i],
                colour=PALETTE["special"] if special else PALETTE["token"],
            )
            text = names[labels[i]] if is_first else str(ner.IGNORE_INDEX)
            kit.box(
                axes,
                lefts[i],
                top - 1.34,
                w,
                0.38,
                text,
                colour=PALETTE["head"] if is_first else PALETTE["special"],
                size=FONT - 0.5,
                weight="bold" if is_first else "normal",
            )
    kit.legend(
        axes,
        0.3,
        0.35,
        [
            (PALETTE["head"], "the word's tag, on its first piece"),
            (PALETTE["special"], f"{ner.IGNORE_INDEX}: continuation piece or [CLS]/[SEP], ignored by the loss"),
        ],
    )
    return figure
