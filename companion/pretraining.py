"""BERT's pre-training data (masked-LM corruption, next-sentence pairs), its loss, and masked-token and NSP scoring."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from transformers import BertConfig, PreTrainedTokenizerBase

IS_NEXT, NOT_NEXT = 0, 1  # BertForPreTraining's next_sentence_label: 0 = B follows A, 1 = B is random
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z])")


def special_tokens_mask(input_ids: torch.Tensor, tokenizer: PreTrainedTokenizerBase) -> torch.Tensor:
    """Return a bool tensor shaped like input_ids, True at [CLS], [SEP], [PAD] and the other special ids."""
    special_ids = torch.tensor(sorted(set(tokenizer.all_special_ids)), dtype=input_ids.dtype)
    return torch.isin(input_ids, special_ids)


def mask_tokens(
    input_ids: torch.Tensor,
    tokenizer: PreTrainedTokenizerBase,
    *,
    mlm_probability: float = 0.15,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Apply BERT's masked-LM corruption; return (corrupted ids, labels with -100 where not predicted).

    Chapter 5 writes this recipe out and checks that, given the same generator, the two corrupt alike.
    """

    def coin(probability: float) -> torch.Tensor:  # one independent coin per position
        return torch.bernoulli(torch.full(input_ids.shape, probability), generator=generator).bool()

    special = special_tokens_mask(input_ids, tokenizer)  # (batch, seq) bool: [CLS], [SEP], [PAD]
    chosen = coin(mlm_probability) & ~special  # 15 % of the ordinary tokens are predicted
    labels = input_ids.masked_fill(~chosen, -100)  # -100: ignored by the loss
    to_mask = chosen & coin(0.8)  # 80 % of those become [MASK]
    to_random = chosen & ~to_mask & coin(0.5)  # half of the other 20 % (10 % overall) a random token
    random_ids = torch.randint(len(tokenizer), input_ids.shape, generator=generator, dtype=input_ids.dtype)
    corrupted = input_ids.clone()
    corrupted[to_mask] = tokenizer.mask_token_id
    corrupted[to_random] = random_ids[to_random]  # the last 10 % keep their own id
    return corrupted, labels


def _require_mask_token(tokenizer: PreTrainedTokenizerBase) -> None:
    """Raise unless the tokenizer has a [MASK] token: checked where a tokenizer comes in, not in mask_tokens."""
    if tokenizer.mask_token_id is None:
        raise ValueError("the tokenizer has no [MASK] token; train or load one with mask_token='[MASK]'")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences at ., ! or ? followed by a capital letter (a rule of thumb, not a parser)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


@dataclass(frozen=True)
class SentencePair:
    """Segment A, segment B and whether B really follows A (IS_NEXT = 0) or was drawn elsewhere (NOT_NEXT = 1)."""

    a: str
    b: str
    label: int


def make_nsp_pairs(documents: Sequence[str], *, not_next_probability: float = 0.5, seed: int = 0) -> list[SentencePair]:
    """Cut each document of two or more sentences into A | B; replace B by another document's text half the time."""
    if not 0.0 <= not_next_probability <= 1.0:
        raise ValueError(f"not_next_probability must lie in [0, 1], got {not_next_probability}")
    sentences = [split_sentences(doc) for doc in documents]
    usable = [i for i, parts in enumerate(sentences) if len(parts) >= 2]
    if len(usable) < 2:
        raise ValueError("need at least two documents of two or more sentences each; pass more (or longer) texts")
    rng = random.Random(seed)
    pairs = []
    for i in usable:
        parts = sentences[i]
        cut = rng.randint(1, len(parts) - 1)
        a = " ".join(parts[:cut])
        if rng.random() < not_next_probability:
            other = rng.choice(usable)
            while other == i:  # NotNext: B comes from a different document
                other = rng.choice(usable)
            start = rng.randint(0, len(sentences[other]) - 1)
            pairs.append(SentencePair(a, " ".join(sentences[other][start:]), NOT_NEXT))
        else:
            pairs.append(SentencePair(a, " ".join(parts[cut:]), IS_NEXT))
    return pairs


def encode_pairs(
    pairs: Sequence[SentencePair], tokenizer: PreTrainedTokenizerBase, *, max_length: int = 64
) -> dict[str, torch.Tensor]:
    """Tokenize pairs as [CLS] A [SEP] B [SEP] with segment ids 0/1, padded; add next_sentence_label."""
    if not pairs:
        raise ValueError("no pairs to encode; build them with make_nsp_pairs")
    encoded = tokenizer(
        [p.a for p in pairs],
        [p.b for p in pairs],
        truncation="longest_first",
        max_length=max_length,
        padding="max_length",
        return_tensors="pt",
        return_token_type_ids=True,
    )
    encoded = dict(encoded)
    encoded["next_sentence_label"] = torch.tensor([p.label for p in pairs])
    return encoded


def small_bert_config(
    tokenizer: PreTrainedTokenizerBase, *, hidden_size: int = 128, layers: int = 2, heads: int = 2, max_length: int = 64
) -> BertConfig:
    """Return a BertConfig for a small BERT over the tokenizer's vocabulary (FFN = 4 x hidden, as in BERT)."""
    if hidden_size % heads:
        raise ValueError(f"hidden_size ({hidden_size}) must be divisible by heads ({heads})")
    return BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=4 * hidden_size,
        max_position_embeddings=max_length,
        pad_token_id=tokenizer.pad_token_id,
    )


class PretrainingCollator:
    """Stack encoded pairs into a batch and mask it afresh each time (dynamic masking, as RoBERTa does)."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase, *, seed: int = 0):
        _require_mask_token(tokenizer)
        self.tokenizer = tokenizer
        self.generator = torch.Generator().manual_seed(seed)

    def __call__(self, rows: Sequence[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
        """Return input_ids (corrupted), labels, token_type_ids, attention_mask and next_sentence_label."""
        batch = {key: torch.stack([torch.as_tensor(row[key]) for row in rows]) for key in rows[0]}
        batch["input_ids"], batch["labels"] = mask_tokens(batch["input_ids"], self.tokenizer, generator=self.generator)
        return batch


def as_rows(encoded: dict[str, torch.Tensor]) -> list[dict[str, torch.Tensor]]:
    """Turn encode_pairs' dict of tensors into one dict per pair, the form a DataLoader draws from."""
    return [{key: value[i] for key, value in encoded.items()} for i in range(len(encoded["input_ids"]))]


def pretraining_loss(model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """MLM + NSP cross-entropy of a BertForPreTraining, scoring only the masked positions with the MLM head."""
    if not (hasattr(model, "bert") and hasattr(model, "cls")):
        raise TypeError(f"pretraining_loss needs a transformers BertForPreTraining, got {type(model).__name__}")
    hidden, pooled = model.bert(
        input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"], attention_mask=batch["attention_mask"]
    )[:2]  # (batch, seq, hidden), (batch, hidden)
    where = batch["labels"] != -100  # ~15 % of the positions: the vocabulary-sized output layer runs only there
    mlm = torch.nn.functional.cross_entropy(model.cls.predictions(hidden[where]), batch["labels"][where])
    nsp = torch.nn.functional.cross_entropy(model.cls.seq_relationship(pooled), batch["next_sentence_label"])
    return {"loss": mlm + nsp, "mlm_loss": mlm, "nsp_loss": nsp}


def unigram_counts(encoded: dict[str, torch.Tensor], tokenizer: PreTrainedTokenizerBase) -> Counter:
    """Count each ordinary (non-special) token id in encoded["input_ids"]: the frequency baseline's knowledge."""
    ids = encoded["input_ids"]
    return Counter(ids[~special_tokens_mask(ids, tokenizer)].tolist())


def unigram_entropy(counts: Counter) -> float:
    """Cross-entropy (nats) of always predicting the unigram distribution: the MLM loss of a context-blind model."""
    if not counts:
        raise ValueError("counts is empty: build it with unigram_counts(encoded, tokenizer)")
    total = sum(counts.values())
    return -sum(c / total * math.log(c / total) for c in counts.values())


def unigram_log_probs(counts: Counter, vocab_size: int) -> torch.Tensor:
    """Log-probability of each of vocab_size ids under the counts, add-one smoothed: (vocab,) float."""
    if not counts:
        raise ValueError("counts is empty: build it with unigram_counts(encoded, tokenizer)")
    frequencies = torch.ones(vocab_size, dtype=torch.float64)  # add-one: an unseen id is unlikely, not impossible
    for token, count in counts.items():
        frequencies[token] += count
    return (frequencies / frequencies.sum()).log()


@torch.no_grad()
def masked_token_accuracy(
    model: torch.nn.Module | None,
    encoded: dict[str, torch.Tensor],
    tokenizer: PreTrainedTokenizerBase,
    *,
    counts: Counter | None = None,
    k: int = 5,
    batch_size: int = 64,
    seed: int = 1234,
    device: torch.device | str | None = None,
    hits: bool = False,
) -> dict:
    """Top-1 and top-k accuracy, and cross-entropy, at hidden positions; model=None scores the frequency baseline.

    The positions scored are the 15 % that mask_tokens chooses (with `seed`: the same for every model), and
    every one of them is replaced by [MASK]. Training's 80/10/10 mix is not used here: at the 10 % left
    unchanged the input shows the answer, which a model copies and a context-blind baseline cannot, so a score
    over the training corruption rewards copying. "loss" is the mean cross-entropy (nats) at those positions;
    the baseline's is that of the training counts' unigram distribution (add-one smoothed). The batches go to
    `device`, by default the model's. hits=True adds "top1_hits": one bool per scored position, in a fixed
    order, for a paired comparison of two models.
    """
    if model is None and not counts:
        raise ValueError("model=None scores the unigram baseline: pass counts=unigram_counts(train, tokenizer)")
    _require_mask_token(tokenizer)
    generator = torch.Generator().manual_seed(seed)  # the same positions for every model scored
    _, labels = mask_tokens(encoded["input_ids"], tokenizer, generator=generator)  # which positions are scored
    hidden_ids = encoded["input_ids"].masked_fill(labels != -100, tokenizer.mask_token_id)  # all of them [MASK]
    if model is None:
        log_probs = unigram_log_probs(counts, len(tokenizer)).float()  # (vocab,)
        top = torch.tensor([token for token, _ in counts.most_common(k)])  # (k,): the k most frequent tokens
    elif device is None:
        device = next(model.parameters()).device
    hits1 = hitsk = total = 0
    nats = 0.0
    per_position = []
    for start in range(0, len(labels), batch_size):
        rows = slice(start, start + batch_size)
        where = labels[rows] != -100  # (rows, seq) bool
        targets = labels[rows][where]  # (scored,)
        if model is None:
            guesses = top.expand(len(targets), -1)  # (scored, k): the same k tokens everywhere
            nats -= log_probs[targets].sum().item()
        else:
            hidden = model.bert(
                input_ids=hidden_ids[rows].to(device),
                token_type_ids=encoded["token_type_ids"][rows].to(device),
                attention_mask=encoded["attention_mask"][rows].to(device),
            )[0]
            logits = model.cls.predictions(hidden[where.to(device)]).float()  # (scored, vocab)
            guesses = logits.topk(k, dim=-1).indices.cpu()  # (scored, k)
            nats += torch.nn.functional.cross_entropy(logits, targets.to(device), reduction="sum").item()
        right = guesses[:, 0] == targets
        per_position.append(right)
        hits1 += right.sum().item()
        hitsk += (guesses == targets.unsqueeze(1)).any(dim=1).sum().item()
        total += len(targets)
    scores = {"top1": hits1 / total, f"top{k}": hitsk / total, "loss": nats / total, "masked_tokens": total}
    if hits:
        scores["top1_hits"] = torch.cat(per_position).numpy()
    return scores


@torch.no_grad()
def nsp_accuracy(
    model: torch.nn.Module,
    encoded: dict[str, torch.Tensor],
    *,
    batch_size: int = 64,
    device: torch.device | str | None = None,
) -> dict:
    """Accuracy and mean cross-entropy (nats) of the NSP head on encoded pairs, unmasked: one forward pass each."""
    if not (hasattr(model, "bert") and hasattr(model, "cls")):
        raise TypeError(f"nsp_accuracy needs a transformers BertForPreTraining, got {type(model).__name__}")
    device = device or next(model.parameters()).device
    right, nats, labels = 0, 0.0, encoded["next_sentence_label"]
    for start in range(0, len(labels), batch_size):
        rows = slice(start, start + batch_size)
        pooled = model.bert(
            input_ids=encoded["input_ids"][rows].to(device),
            token_type_ids=encoded["token_type_ids"][rows].to(device),
            attention_mask=encoded["attention_mask"][rows].to(device),
        )[1]  # (rows, hidden)
        logits = model.cls.seq_relationship(pooled).float()  # (rows, 2)
        target = labels[rows].to(device)
        right += (logits.argmax(-1) == target).sum().item()
        nats += torch.nn.functional.cross_entropy(logits, target, reduction="sum").item()
    return {"accuracy": right / len(labels), "loss": nats / len(labels), "pairs": len(labels)}
