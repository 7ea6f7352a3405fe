"""Tests of companion.pretraining: BERT's 15 % / 80-10-10 masking, NSP pairs, the baseline and the loop."""

from __future__ import annotations

import copy
from collections import Counter

import pytest
import torch
from torch.utils.data import DataLoader
from transformers import BertForPreTraining, DataCollatorForLanguageModeling

from companion import pretraining as pt
from companion import training
from companion.numerics import assert_same_up_to_rounding
from companion.tokenization import train_wordpiece

TEXTS = [
    "The whale rose slowly. The sea was grey and cold. Nobody on deck said a word.",
    "Emma smiled at her father. He had always hated change. She poured the tea.",
    "Father Brown looked at the garden. The door was open! Who had left it so?",
    "The ship sailed at dawn. The captain stood alone. Rain fell on the sails.",
] * 5


@pytest.fixture(scope="module")
def tokenizer():
    return train_wordpiece(TEXTS, vocab_size=120, min_frequency=1)


@pytest.fixture(scope="module")
def big_batch(tokenizer):
    """4,000 sequences of 64 ids: [CLS] ordinary ids [SEP] then padding, so every kind of position occurs."""
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(
        5,
        len(tokenizer),
        (4000, 64),  # ids 0-4 are the special tokens
        generator=generator,
    )
    ids[:, 0], ids[:, 40], ids[:, 41:] = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
    return ids


def test_masking_proportions(tokenizer, big_batch):
    corrupted, labels = pt.mask_tokens(big_batch, tokenizer, generator=torch.Generator().manual_seed(1))
    special = pt.special_tokens_mask(big_batch, tokenizer)
    chosen = labels != -100
    ordinary = (~special).sum().item()  # 4000 x 39
    share = chosen.sum().item() / ordinary
    assert abs(share - 0.15) < 0.005  # n = 156,000: the standard error is about 0.0009
    assert not (chosen & special).any()  # never [CLS], [SEP] or [PAD]
    assert torch.equal(labels[chosen], big_batch[chosen])  # labels hold the original ids
    masked = (corrupted == tokenizer.mask_token_id) & chosen
    unchanged = (corrupted == big_batch) & chosen
    replaced = chosen & ~masked & ~unchanged
    n = chosen.sum().item()
    assert abs(masked.sum().item() / n - 0.8) < 0.01
    # a random replacement can draw the original id (1 in |V|), so "unchanged" is a hair above 10 %
    assert abs(unchanged.sum().item() / n - 0.1) < 0.01
    assert abs(replaced.sum().item() / n - 0.1) < 0.01
    assert torch.equal(corrupted[~chosen], big_batch[~chosen])  # unchosen positions untouched


def test_masking_matches_transformers_collator(tokenizer, big_batch):
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    torch.manual_seed(2)
    theirs = collator([{"input_ids": row} for row in big_batch[:2000]])
    ours_ids, ours_labels = pt.mask_tokens(big_batch[:2000], tokenizer, generator=torch.Generator().manual_seed(3))
    for _ids, labels in [(theirs["input_ids"], theirs["labels"]), (ours_ids, ours_labels)]:
        chosen = labels != -100
        assert not (chosen & pt.special_tokens_mask(big_batch[:2000], tokenizer)).any()
    their_share = (theirs["labels"] != -100).float().mean().item()
    our_share = (ours_labels != -100).float().mean().item()
    assert abs(their_share - our_share) < 0.006
    their_mask = ((theirs["input_ids"] == tokenizer.mask_token_id) & (theirs["labels"] != -100)).sum()
    our_mask = ((ours_ids == tokenizer.mask_token_id) & (ours_labels != -100)).sum()
    assert (
        abs(
            their_mask.item() / (theirs["labels"] != -100).sum().item()
            - our_mask.item() / (ours_labels != -100).sum().item()
        )
        < 0.02
    )


def test_masking_is_reproducible_and_its_callers_reject_a_tokenizer_without_mask(tokenizer, big_batch):
    first = pt.mask_tokens(big_batch[:10], tokenizer, generator=torch.Generator().manual_seed(5))
    second = pt.mask_tokens(big_batch[:10], tokenizer, generator=torch.Generator().manual_seed(5))
    assert all(torch.equal(a, b) for a, b in zip(first, second))
    no_mask = copy.deepcopy(tokenizer)
    no_mask.mask_token = None
    # mask_tokens is the bare recipe; the tokenizer is checked where it comes in
    with pytest.raises(ValueError, match=r"no \[MASK\] token"):
        pt.PretrainingCollator(no_mask)
    encoded = pt.encode_pairs(pt.make_nsp_pairs(TEXTS, seed=0), tokenizer, max_length=32)
    with pytest.raises(ValueError, match=r"no \[MASK\] token"):
        pt.masked_token_accuracy(None, encoded, no_mask, counts=pt.unigram_counts(encoded, tokenizer))


def test_nsp_pairs_are_balanced_and_true_pairs_follow(tokenizer):
    documents = [f"Sentence {i} one. Sentence {i} two. Sentence {i} three." for i in range(400)]
    pairs = pt.make_nsp_pairs(documents, seed=0)
    labels = Counter(pair.label for pair in pairs)
    assert abs(labels[pt.NOT_NEXT] / len(pairs) - 0.5) < 0.07
    for pair, document in zip(pairs, documents):
        number = pair.a.split()[1]
        same_document = pair.b.split()[1] == number
        assert same_document == (pair.label == pt.IS_NEXT)
        if pair.label == pt.IS_NEXT:
            assert f"{pair.a} {pair.b}" == document  # A then B is the document itself
    with pytest.raises(ValueError, match="at least two documents"):
        pt.make_nsp_pairs(["One sentence only."])


def test_encode_pairs_sets_segment_ids(tokenizer):
    pairs = [pt.SentencePair("The sea was grey.", "Emma smiled.", pt.IS_NEXT)]
    encoded = pt.encode_pairs(pairs, tokenizer, max_length=24)
    ids, segments = encoded["input_ids"][0], encoded["token_type_ids"][0]
    first_sep = (ids == tokenizer.sep_token_id).nonzero()[0].item()
    assert ids[0] == tokenizer.cls_token_id
    assert segments[: first_sep + 1].eq(0).all() and segments[first_sep + 1] == 1
    assert encoded["next_sentence_label"].tolist() == [pt.IS_NEXT]
    with pytest.raises(ValueError, match="no pairs"):
        pt.encode_pairs([], tokenizer)


def test_baseline_and_short_training(tokenizer):
    pairs = pt.make_nsp_pairs(TEXTS, seed=0)
    encoded = pt.encode_pairs(pairs, tokenizer, max_length=32)
    counts = pt.unigram_counts(encoded, tokenizer)
    assert tokenizer.cls_token_id not in counts and tokenizer.pad_token_id not in counts
    baseline = pt.masked_token_accuracy(None, encoded, tokenizer, counts=counts)
    assert 0 < baseline["top1"] <= baseline["top5"] <= 1
    with pytest.raises(ValueError, match="counts="):
        pt.masked_token_accuracy(None, encoded, tokenizer)
    torch.manual_seed(0)
    model = BertForPreTraining(pt.small_bert_config(tokenizer, hidden_size=32, layers=1, heads=2, max_length=32))
    loader = DataLoader(pt.as_rows(encoded), batch_size=8, shuffle=True, collate_fn=pt.PretrainingCollator(tokenizer))
    history = training.train(
        model, loader, epochs=4 / len(loader), lr=1e-3, loss_fn=pt.pretraining_loss, progress=False
    )
    steps = history.step_frame()
    assert len(steps) == 4 and list(steps.columns[-2:]) == ["mlm_loss", "nsp_loss"]
    assert_same_up_to_rounding(steps["loss"].to_numpy(), (steps["mlm_loss"] + steps["nsp_loss"]).to_numpy())
    scores = pt.masked_token_accuracy(model, encoded, tokenizer)
    assert 0 <= scores["top1"] <= scores["top5"] <= 1 and scores["loss"] > 0
    with_hits = pt.masked_token_accuracy(model, encoded, tokenizer, hits=True)  # one bool per masked position
    assert len(with_hits["top1_hits"]) == scores["masked_tokens"] and with_hits["top1_hits"].mean() == scores["top1"]
    with pytest.raises(TypeError, match="BertForPreTraining"):
        pt.pretraining_loss(torch.nn.Linear(2, 2), next(iter(loader)))
    with pytest.raises(ValueError, match="divisible"):
        pt.small_bert_config(tokenizer, hidden_size=30, heads=4)


class _Copier(torch.nn.Module):
    """A stand-in BertForPreTraining that predicts, at each position, the token it is shown there."""

    def __init__(self, vocab_size: int):
        super().__init__()
        self.vocab_size = vocab_size
        self.seen = []
        self.weight = torch.nn.Parameter(torch.zeros(1))  # so that the scorer can find a device
        self.cls = torch.nn.Module()
        self.cls.predictions = lambda hidden: hidden  # the one-hot input is the logits

    def bert(self, input_ids, token_type_ids, attention_mask):
        self.seen.append(input_ids)
        return (torch.nn.functional.one_hot(input_ids, self.vocab_size).float(),)


def test_scoring_hides_every_scored_position(tokenizer):
    """The training mix leaves 10 % of the chosen tokens in view; scoring must hide them all, or copying scores."""
    encoded = pt.encode_pairs(pt.make_nsp_pairs(TEXTS * 20, seed=0), tokenizer, max_length=32)
    copier = _Copier(len(tokenizer))
    scores = pt.masked_token_accuracy(copier, encoded, tokenizer, seed=7)
    # the corruption of the old scoring would show ~10 % of the answers: the copier would score ~0.1
    assert scores["top1"] == 0 and scores["masked_tokens"] > 500
    shown = torch.cat(copier.seen)
    _, labels = pt.mask_tokens(encoded["input_ids"], tokenizer, generator=torch.Generator().manual_seed(7))
    chosen = labels != -100  # the positions mask_tokens picks with that seed are the ones scored
    assert chosen.sum().item() == scores["masked_tokens"]
    assert (shown[chosen] == tokenizer.mask_token_id).all()
    assert torch.equal(shown[~chosen], encoded["input_ids"][~chosen])  # the rest as it was


def test_baseline_loss_is_the_unigram_cross_entropy_and_nsp_is_scored_unmasked(tokenizer):
    encoded = pt.encode_pairs(pt.make_nsp_pairs(TEXTS, seed=0), tokenizer, max_length=32)
    counts = pt.unigram_counts(encoded, tokenizer)
    baseline = pt.masked_token_accuracy(None, encoded, tokenizer, counts=counts)
    log_probs = pt.unigram_log_probs(counts, len(tokenizer))
    assert torch.exp(log_probs).sum().item() == pytest.approx(1) and torch.isfinite(log_probs).all()
    # scored on the very text it counted, the smoothed baseline's loss is near the unigram entropy
    assert baseline["loss"] == pytest.approx(pt.unigram_entropy(counts), abs=0.5)
    torch.manual_seed(0)
    model = BertForPreTraining(pt.small_bert_config(tokenizer, hidden_size=32, layers=1, heads=2, max_length=32)).eval()
    nsp = pt.nsp_accuracy(model, encoded, batch_size=7)
    with torch.no_grad():
        logits = model(**{k: v for k, v in encoded.items() if k != "next_sentence_label"}).seq_relationship_logits
    labels = encoded["next_sentence_label"]
    assert nsp["pairs"] == len(labels)
    assert nsp["accuracy"] == pytest.approx((logits.argmax(-1) == labels).float().mean().item())
    assert nsp["loss"] == pytest.approx(torch.nn.functional.cross_entropy(logits, labels).item(), rel=1e-5)
    with pytest.raises(TypeError, match="BertForPreTraining"):
        pt.nsp_accuracy(torch.nn.Linear(2, 2), encoded)
    with pytest.raises(ValueError, match="counts is empty"):
        pt.unigram_log_probs(Counter(), 10)


def test_pretraining_loss_equals_the_library_loss_and_collator_masks_afresh(tokenizer):
    encoded = pt.encode_pairs(pt.make_nsp_pairs(TEXTS, seed=0), tokenizer, max_length=32)
    collate = pt.PretrainingCollator(tokenizer, seed=0)
    rows = pt.as_rows(encoded)[:8]
    first, second = collate(rows), collate(rows)
    assert first["input_ids"].shape == (8, 32) and (first["labels"] != -100).any()
    assert not torch.equal(first["labels"], second["labels"])  # a new mask every time the batch is drawn
    torch.manual_seed(0)
    model = BertForPreTraining(pt.small_bert_config(tokenizer, hidden_size=32, layers=1, heads=2, max_length=32)).eval()
    ours = pt.pretraining_loss(model, first)
    library = model(**first).loss  # BertForPreTraining scores every position, ignoring label -100
    assert_same_up_to_rounding(ours["loss"], library, what="our loss and the library's")
