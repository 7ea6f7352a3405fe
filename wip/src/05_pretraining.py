# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Pre-training a small BERT on a CPU
#
# BERT learns from raw text with two made-up tasks: guess the words that were hidden (the *masked
# language model*, MLM), and tell whether sentence B really followed sentence A (*next-sentence
# prediction*, NSP) {cite}`devlin2019bert`. This chapter writes both data recipes as readable code, checks
# them against `transformers`, pre-trains a small BERT for a couple of CPU minutes, and then loads a model
# the book pre-trained for longer, to see what a little more compute buys.
#
# **Learning goals**
#
# - Build MLM inputs: choose 15 % of the tokens, replace 80 % of those by `[MASK]`, 10 % by a random token,
#   keep 10 %, never touch `[CLS]`, `[SEP]` or padding.
# - Build NSP pairs with segment ids, half of them true continuations.
# - Pre-train a small `BertForPreTraining`, read its two loss curves, and compare its masked-token
#   accuracy with a baseline that always guesses the most frequent tokens.
# - Put the result in proportion to what the original BERT's pre-training cost.

# %% [markdown]
# ## Setup

# %%
import sys

if "google.colab" in sys.modules:  # Colab: install companion, use the hub
    %pip install -q "bertbook-companion[fast] @ git+https://github.com/bert-book/bert-book"
    import os
    os.environ.setdefault("BERTBOOK_PROFILE", "full")

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import torch
from transformers import AutoTokenizer, BertForPreTraining

from companion import data, models, pretraining, runtime, tokenization

runtime.setup(seed=0)

# %% [markdown]
# ## The corpus
#
# The mirror's `gutenberg_prose` holds seven public-domain novels from Project Gutenberg, as packaged in
# NLTK's corpus {cite}`bird2009nltk`, one row per paragraph, split by book: five novels to train on,
# *The Man Who Was Thursday* for validation and *Persuasion* as the held-out test book. (BERT itself read
# BooksCorpus and English Wikipedia; the hub has no small stand-in we could use offline.)

# %%
train_texts = list(data.load_split("gutenberg_prose", "train")["text"])
test_texts = list(data.load_split("gutenberg_prose", "test")["text"])
words = sum(len(t.split()) for t in train_texts)
print(f"{len(train_texts):,} training paragraphs, {words:,} words; {len(test_texts):,} test paragraphs")
train_texts[1][:300]

# %% [markdown]
# ## A small vocabulary, on purpose
#
# `bert-base-uncased` has 30,522 WordPieces. For a small model on a small corpus that is a poor deal: the
# output layer must score every piece for every masked token, and many pieces barely occur in our novels,
# so the model never sees enough of them to learn them. We train our own WordPiece vocabulary of 4,000
# pieces on the training books (chapter 2 explains the algorithm) and count how often the pieces of each
# vocabulary occur in them. Half of BERT's pieces never occur at all, and its output layer (30,522 × 128
# weights at our hidden size) would be larger than the rest of our small model together.

# %%
tokenizer = tokenization.train_wordpiece(train_texts, vocab_size=4000)
bert_tokenizer = models.load_tokenizer()
rows = []
for name, tok in [("ours (4,000)", tokenizer), ("bert-base-uncased (30,522)", bert_tokenizer)]:
    ids = [i for row in tok(train_texts, add_special_tokens=False, verbose=False)["input_ids"] for i in row]
    seen = pd.Series(ids).value_counts()
    rows.append({"vocabulary": name, "size": len(tok), "tokens in the books": len(ids),
                 "pieces never seen": len(tok) - len(seen), "seen < 10 times": int((seen < 10).sum()),
                 "seen ≥ 100 times": int((seen >= 100).sum())})
vocab_table = pd.DataFrame(rows).set_index("vocabulary")
vocab_table

# %%
ours, berts = vocab_table.iloc[0], vocab_table.iloc[1]
assert berts["pieces never seen"] > 0.4 * berts["size"]  # measured: 14,852 of 30,522 never occur here
assert ours["pieces never seen"] < 0.05 * ours["size"]  # measured: 123 of 4,000
assert ours["seen ≥ 100 times"] > berts["seen ≥ 100 times"]  # more well-trained pieces from fewer

# %% [markdown]
# ## The masked-LM recipe
#
# `companion.pretraining.mask_tokens` is the recipe of the BERT paper in a dozen lines (open it: it is
# meant to be read). Each ordinary token is chosen with probability 15 %. A chosen token becomes `[MASK]`
# 80 % of the time, a random token 10 % of the time, and stays itself 10 % of the time, so that the model
# cannot assume the token it must predict is always hidden. The labels keep the original id at chosen
# positions and -100 (ignored by the loss) elsewhere.

# %%
encoded = tokenizer("It is a truth universally acknowledged, that a single man must be in want of a wife.",
                    return_tensors="pt")
corrupted, labels = pretraining.mask_tokens(encoded["input_ids"], tokenizer,
                                            generator=torch.Generator().manual_seed(3))
pd.DataFrame({"original": tokenizer.convert_ids_to_tokens(encoded["input_ids"][0]),
              "model sees": tokenizer.convert_ids_to_tokens(corrupted[0]),
              "label": [tokenizer.convert_ids_to_tokens(int(l)) if l != -100 else "" for l in labels[0]]}).T

# %% [markdown]
# One sentence is too short to check the proportions, so we corrupt 2,000 copies of a padded batch and count.

# %%
batch = tokenizer(test_texts[:2000], truncation=True, max_length=64, padding="max_length", return_tensors="pt")
ids = batch["input_ids"]
corrupted, labels = pretraining.mask_tokens(ids, tokenizer, generator=torch.Generator().manual_seed(0))
special = pretraining.special_tokens_mask(ids, tokenizer)
chosen = labels != -100
proportions = pd.Series({
    "chosen / ordinary tokens": chosen.sum().item() / (~special).sum().item(),
    "[MASK] / chosen": ((corrupted == tokenizer.mask_token_id) & chosen).sum().item() / chosen.sum().item(),
    "unchanged / chosen": ((corrupted == ids) & chosen).sum().item() / chosen.sum().item(),
    "special tokens chosen": (chosen & special).sum().item(),
})
proportions.round(4)

# %%
assert abs(proportions["chosen / ordinary tokens"] - 0.15) < 0.01
assert abs(proportions["[MASK] / chosen"] - 0.80) < 0.02
assert abs(proportions["unchanged / chosen"] - 0.10) < 0.02
assert proportions["special tokens chosen"] == 0

# %% [markdown]
# The unit tests (`tests/test_pretraining.py`) also compare these proportions with `transformers`'
# `DataCollatorForLanguageModeling`, which implements the same recipe.
#
# ## Next-sentence pairs and segment ids
#
# For NSP, each paragraph of two or more sentences is cut at a random sentence boundary into A and B.
# Half the time B is replaced by sentences from another paragraph (label 1, NotNext). The tokenizer puts
# the pair together as `[CLS] A [SEP] B [SEP]` and marks the two segments with token-type ids 0 and 1.

# %%
pairs = pretraining.make_nsp_pairs(train_texts, seed=0)
print(f"{len(pairs):,} pairs, {sum(p.label for p in pairs) / len(pairs):.1%} NotNext")
pd.DataFrame([vars(p) for p in pairs[:4]])

# %%
example = pretraining.encode_pairs(pairs[:1], tokenizer, max_length=40)
pd.DataFrame({"token": tokenizer.convert_ids_to_tokens(example["input_ids"][0]),
              "segment": example["token_type_ids"][0].tolist()}).T

# %%
assert abs(sum(p.label for p in pairs) / len(pairs) - 0.5) < 0.03
assert example["token_type_ids"][0][0] == 0 and 1 in example["token_type_ids"][0].tolist()

# %% [markdown]
# ## A small BERT and a baseline to beat
#
# The model is `transformers`' `BertForPreTraining` (the encoder plus an MLM head and an NSP head) at a
# size a CPU can train in a couple of minutes: 2 layers, hidden size 128, 2 heads, sequences of 64 tokens.
# The baseline ignores the context entirely and always guesses the most frequent tokens of the training
# text. A pre-trained model that does not beat it has learned nothing but word frequencies.

# %%
train_encoded = pretraining.encode_pairs(pairs, tokenizer, max_length=64)
test_encoded = pretraining.encode_pairs(pretraining.make_nsp_pairs(test_texts, seed=0), tokenizer, max_length=64)
counts = pretraining.unigram_counts(train_encoded, tokenizer)
baseline = pretraining.masked_token_accuracy(None, test_encoded, tokenizer, counts=counts)
model = BertForPreTraining(pretraining.small_bert_config(tokenizer, hidden_size=128, layers=2, heads=2))
print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters; "
      f"most frequent tokens: {tokenizer.convert_ids_to_tokens([t for t, _ in counts.most_common(5)])}")
baseline

# %% [markdown]
# ## Pre-training
#
# `pretraining.pretrain` is an ordinary training loop (AdamW, warm-up, gradient clipping) that masks each
# batch afresh, so a sentence shows different masks in different epochs (dynamic masking
# {cite}`liu2019roberta`), and that sends only the masked positions through the MLM head. It stops after
# `max_steps` (or `seconds`).
#
# The learning rate matters more than usual. Pre-training from scratch first sits on a plateau where
# the model predicts word frequencies; at too high a rate it never leaves it. In a run for this book, a
# 4-layer model at 7 × 10⁻⁴ (batch 256) ended with every hidden state identical, whatever the input: the
# representation had collapsed, the MLM loss stayed *above* the unigram entropy and the NSP loss at ln 2
# for 10,000 steps. At 1 × 10⁻⁴ a short run stays on the plateau; 4 × 10⁻⁴ leaves it within a few
# hundred steps.

# %%
STEPS = 600 if runtime.is_fast() else 5000  # a step budget, not a time budget: the same result on any machine
LEARNING_RATE = 4e-4
history = pretraining.pretrain(model, train_encoded, tokenizer, max_steps=STEPS, batch_size=32,
                               lr=LEARNING_RATE, warmup_steps=100)
print(f"{len(history)} steps in {history['seconds'].iloc[-1]:.0f} s, "
      f"{len(history) * 32 / len(pairs):.1f} passes over the pairs")

# %%
smooth = history[["mlm_loss", "nsp_loss"]].rolling(25, min_periods=1).mean()
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
smooth["mlm_loss"].plot(ax=axes[0], title="Masked-LM loss")
smooth["nsp_loss"].plot(ax=axes[1], title="Next-sentence loss")
axes[0].axhline(pretraining.unigram_entropy(counts), ls="--", c="grey", label="unigram entropy")
axes[1].axhline(0.693, ls="--", c="grey", label="chance (ln 2)")
for ax in axes:
    ax.set(xlabel="step (batch of 32 pairs)", ylabel="cross-entropy (nats)"); ax.legend()
fig.tight_layout()

# %% [markdown]
# Read the two curves against their dashed lines. The MLM loss drops quickly to about the unigram entropy:
# that much the model learns from word frequencies alone, through the bias of its output layer. Going
# *below* that line means it uses the context. The NSP loss starts at chance (ln 2).
#
# ## Did it learn more than word frequencies?
#
# Masked-token accuracy on the held-out book (*Persuasion*): the same masked positions for the model and
# for the baseline.

# %%
ours = pretraining.masked_token_accuracy(model, test_encoded, tokenizer)
results = pd.DataFrame({"frequency baseline": baseline, f"our {STEPS}-step run": ours}).T
results[["top1", "top5"]].round(3)

# %%
assert ours["top1"] > baseline["top1"] + 0.005  # beats word frequencies (measured in a trial: 6.8 % vs 4.2 % at 400 steps)

# %% [markdown]
# ## A longer run: the book's checkpoint
#
# `scripts/pretrain.py` runs the same code for longer, with a seed, and keeps the weights that score best
# on the validation book. It writes `checkpoints/tiny-bert-gutenberg`: the weights (in 16-bit floats), the
# tokenizer, the loss history and `run.json`, which records every setting, the device and the scores. If the
# folder is missing (in Colab, say), the chapter carries on with the model it just trained.

# %%
candidates = [Path("checkpoints/tiny-bert-gutenberg"), Path("../checkpoints/tiny-bert-gutenberg")]
checkpoint = next((path for path in candidates if (path / "config.json").is_file()), None)
if checkpoint is not None:
    long_model = BertForPreTraining.from_pretrained(checkpoint, dtype=torch.float32).eval()
    long_tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    run = pd.read_json(checkpoint / "run.json", typ="series")
    print(f"loaded {checkpoint}: {run['steps']:,} steps, {run['train_seconds'] / 60:.0f} min on {run['device']}")
else:
    long_model, long_tokenizer = model, tokenizer
    print("no checkpoint found: using the model trained above")

# %% [markdown]
# Its tokenizer was trained by the same function on the same books, but we re-encode the held-out pairs
# (and recount the baseline) with it, so that model and baseline are scored on the same masked tokens.

# %%
length = long_model.config.max_position_embeddings
long_test = pretraining.encode_pairs(pretraining.make_nsp_pairs(test_texts, seed=0), long_tokenizer, max_length=length)
long_counts = pretraining.unigram_counts(
    pretraining.encode_pairs(pairs, long_tokenizer, max_length=length), long_tokenizer)
long_baseline = pretraining.masked_token_accuracy(None, long_test, long_tokenizer, counts=long_counts)
long_scores = pretraining.masked_token_accuracy(long_model, long_test, long_tokenizer)
results.loc["frequency baseline (checkpoint's vocabulary)"] = long_baseline
results.loc["longer run (checkpoint)" if checkpoint else "(no checkpoint)"] = long_scores
results[["top1", "top5"]].round(3)

# %%
if checkpoint is not None:  # FLOOR: set from the measured checkpoint
    assert long_scores["top1"] > long_baseline["top1"] + 0.02
    assert long_scores["top5"] > long_baseline["top5"] + 0.05

# %% [markdown]
# ## Filling in the blanks
#
# `transformers`' fill-mask pipeline needs a masked-LM model: `BertForMaskedLM` has the same encoder and
# MLM head as `BertForPreTraining`, without the NSP head, so it takes the same weights.

# %%
from transformers import BertForMaskedLM, pipeline

mlm = BertForMaskedLM(long_model.config)
missing = mlm.load_state_dict(long_model.state_dict(), strict=False).missing_keys
assert not missing, missing
fill = pipeline("fill-mask", model=mlm.eval(), tokenizer=long_tokenizer, device="cpu")
prompts = ["She could not [MASK] to leave the house.", "It was a fine [MASK] morning.",
           "He put his hand in his [MASK].", "Captain Wentworth [MASK] into the room."]
pd.DataFrame({prompt: [f"{c['token_str']} ({c['score']:.2f})" for c in fill(prompt, top_k=5)] for prompt in prompts}).T

# %% [markdown]
# ## In proportion
#
# BERT-base read BooksCorpus (800 M words) and English Wikipedia (2,500 M words) for 1 M steps of 256
# sequences, 90 % of them at 128 tokens and the rest at 512, which took four days on 16 TPU chips
# (BERT-large: 64 chips) {cite}`devlin2019bert`. Our novels hold under one million words, about 3,000
# times fewer, and our model has about 1 M parameters, a hundredth of BERT-base's 110 M. The numbers to
# take away are the *shape* of the result (a model that beats word frequencies by using the context, and
# gets better with compute) rather than its level.
#
# ## Summary
#
# - MLM: 15 % of ordinary tokens are chosen; 80 % become `[MASK]`, 10 % a random token, 10 % stay.
# - NSP: `[CLS] A [SEP] B [SEP]`, segment ids 0 then 1, half the B's from another document.
# - A small vocabulary and a small model make a CPU-minute of pre-training worth something; the learning
#   rate decides whether the model leaves the word-frequency plateau at all.
#
# ## Exercises
#
# 1. What share of the chosen tokens does the model get right at the positions that were left
#    *unchanged*, compared with those replaced by `[MASK]`?
# 2. Score the NSP head: accuracy of `seq_relationship_logits` on the held-out pairs.

# %% tags=["hide-cell"]
# Solution 1
generator = torch.Generator().manual_seed(1234)
corrupted, labels = pretraining.mask_tokens(long_test["input_ids"][:500], long_tokenizer, generator=generator)
with torch.no_grad():
    logits = long_model(input_ids=corrupted, token_type_ids=long_test["token_type_ids"][:500],
                        attention_mask=long_test["attention_mask"][:500]).prediction_logits
chosen = labels != -100
right = logits.argmax(-1) == labels
for name, where in [("[MASK]", corrupted == long_tokenizer.mask_token_id), ("unchanged", corrupted == long_test["input_ids"][:500])]:
    print(f"{name:10s} top-1 {right[chosen & where].float().mean():.3f}")

# %% tags=["hide-cell"]
# Solution 2
with torch.no_grad():
    nsp_logits = long_model(**{k: v[:500] for k, v in long_test.items() if k != "next_sentence_label"}).seq_relationship_logits
nsp_accuracy = (nsp_logits.argmax(-1) == long_test["next_sentence_label"][:500]).float().mean().item()
print(f"NSP accuracy on 500 held-out pairs: {nsp_accuracy:.3f} (chance 0.5)")
