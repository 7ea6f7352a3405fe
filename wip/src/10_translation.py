# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Machine translation: giving BERT a decoder
#
# The seed article lists machine translation among BERT's applications ("BERT can be used for machine
# translation, for example translating English text into Chinese"). As stated, that is wrong. BERT is a
# Transformer **encoder** {cite}`devlin2019bert,vaswani2017attention`: it turns a sentence into one vector
# per input token. Translation needs to *produce* a new sequence of a different length, one token at a
# time, each conditioned on the tokens already produced. BERT has
#
# - **no decoder**: nothing in it reads its own previous outputs;
# - **no causal mask**: every position attends to every other, so it cannot be trained to predict the
#   next token without seeing it;
# - **a bidirectional objective**: masked-language modelling fills gaps in a given text; it never learned
#   to write a sentence from left to right.
#
# What *is* true is that a pretrained BERT is a good **start for the encoder** of a translation model
# {cite}`rothe2020leveraging`. This chapter builds such a model: the packaged BERT reads English, a small
# decoder with causal self-attention and cross-attention writes German, and we measure with BLEU what
# the pretrained encoder buys.
#
# **Learning goals**
#
# - Say precisely why BERT alone cannot translate, and what an encoder-decoder adds.
# - Build an `EncoderDecoderModel` with a BERT-initialised encoder and a fresh decoder, and give the
#   target language its own WordPiece vocabulary.
# - Get the special tokens right (start, end, padding) so that generation stops.
# - Compare greedy and beam search, score with sacreBLEU, and measure the warm start with an ablation.

# %% [markdown]
# ## Setup

# %%
import sys

if "google.colab" in sys.modules:  # Colab: install companion, use the hub
    %pip install -q "bertbook-companion[fast] @ git+https://github.com/bert-book/bert-book"
    import os
    os.environ.setdefault("BERTBOOK_PROFILE", "full")

# %%
from companion import data, models, plots, runtime, tokenization, training, translation

runtime.setup(seed=0)

# %% [markdown]
# ## The data: Multi30k
#
# Multi30k {cite}`elliott2016multi30k` gives professional German translations of English Flickr30k image
# captions: 29,000 training pairs, 1,014 validation and 1,000 test pairs (the 2016 Flickr test set). The
# captions are short and the domain narrow, which makes it the classic small translation benchmark.
# Licence: no explicit licence; the data is provided for non-commercial research and educational use.
# The mirror holds the official splits in the wmt layout (`{"translation": {"en": ..., "de": ...}}`).

# %%
import numpy as np
import pandas as pd

FAST = runtime.is_fast()
train = data.load_split("multi30k", "train")
test = data.load_split("multi30k", "test")
print(f"{len(train):,} training pairs, {len(test):,} test pairs")
pd.DataFrame(list(test["translation"][:4]))

# %% [markdown]
# ## A vocabulary for German
#
# The packaged BERT's vocabulary is English and **lower-cased with accents stripped**: "Männer" becomes
# `manner`, and German nouns lose their capital letters. A decoder that writes German must be able to
# write "Männer", so the target side gets its own WordPiece vocabulary, trained on the German training
# captions exactly as in chapter 2 — but keeping case and accents (`lowercase=False`).

# %%
tokenizer_en = models.load_tokenizer()
tokenizer_de = tokenization.train_wordpiece((pair["de"] for pair in train["translation"]), vocab_size=8000,
                                            lowercase=False, min_frequency=2)
sentence = "Zwei junge Männer spielen Fußball auf einer Wiese."
print("English BERT vocab:", tokenizer_en.tokenize(sentence))
print("German WordPiece:  ", tokenizer_de.tokenize(sentence))
assert "Männer" in tokenizer_de.tokenize(sentence) and "Männer" not in tokenizer_en.tokenize(sentence)

# %% [markdown]
# ## Labels that know where to stop
#
# The decoder is trained with **teacher forcing**: it receives the German sentence shifted one position
# to the right, starting with a start token, and must predict the next token at every position. The
# German tokenizer writes `[CLS] … [SEP]`; we use `[CLS]` as the decoder's start token and keep `[SEP]` as
# the last label, the **end-of-sequence** token. Generation stops when the decoder emits it.
# `translation.encode_pairs` builds the labels that way; `EncoderDecoderModel` shifts them right itself.
#
# Drop the end token (say, by tokenizing with `add_special_tokens=False`) and the model never learns to
# stop: its outputs run on to the length limit, repeating themselves, and BLEU collapses (a run like that
# reached BLEU ≈ 2 while we wrote this chapter). So we check.

# %%
MAX_LENGTH = 48


def encode(batch):
    return translation.encode_pairs(batch, tokenizer_en, tokenizer_de, max_length=MAX_LENGTH)


train_encoded = train.map(encode, batched=True, remove_columns=["translation"])
example = train_encoded[0]
print(tokenizer_en.convert_ids_to_tokens(example["input_ids"]))
print(tokenizer_de.convert_ids_to_tokens(example["labels"]))
assert all(labels[-1] == tokenizer_de.sep_token_id for labels in train_encoded["labels"])

# %% [markdown]
# ## The model: BERT encoder + a new decoder
#
# `translation.build_bert2bert` puts a new Transformer decoder on top of the packaged encoder. Each
# decoder layer has **causal self-attention** (a token sees only earlier tokens), **cross-attention** to
# the encoder's outputs (where the English comes in), and a feed-forward block; the output layer scores
# the 8,000 German word pieces. We make the decoder narrower than the encoder (256 instead of 384, 3
# layers, 4 heads), so `EncoderDecoderModel` adds a linear projection from the encoder's outputs to the
# decoder's width.
#
# Rothe et al. fine-tune the encoder together with the decoder {cite}`rothe2020leveraging`. On a CPU we
# **freeze** it: the encoder's 22 M parameters then need no gradients and no optimizer state, and the question "what does the pretrained encoder give the decoder?" gets a clean answer,
# because the encoder's representations cannot change. `warm_started` builds the model over the packaged
# encoder, or, for the comparison below, over a *randomly initialised* encoder of the same shape.

# %%
from transformers import AutoModel, BertModel

DECODER = {"decoder_layers": 3, "decoder_heads": 4, "decoder_hidden_size": 256}


def warm_started(random_encoder: bool = False):
    runtime.seed_everything(0)
    encoder = models.load_model(AutoModel, add_pooling_layer=False)
    if random_encoder:
        encoder = BertModel(encoder.config, add_pooling_layer=False)  # same shape, no pretraining
    model = translation.build_bert2bert(encoder, tokenizer_de, **DECODER)
    model.encoder.requires_grad_(False)  # only the decoder (and the projection) learns
    return model


model = warm_started()
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"encoder {model.encoder.num_parameters() / 1e6:.1f} M parameters (pretrained, frozen); "
      f"decoder + projection {trainable / 1e6:.1f} M (new, trained)")
print({key: getattr(model.generation_config, key) for key in
       ("decoder_start_token_id", "eos_token_id", "pad_token_id")})

# %% [markdown]
# ## Training, twice: pretrained encoder vs random encoder
#
# `DataCollatorForSeq2Seq` pads the English ids with `[PAD]` and the labels with -100 (ignored by the
# loss). The shared training loop works because `EncoderDecoderModel` returns a loss when it gets
# labels. We train two decoders with the same budget, the same data in the same order and the same
# optimizer: one over the pretrained encoder, one over the random encoder. The fast profile gives each
# 200 steps of 32 caption pairs (6,400 of the 29,000 pairs, seen once).

# %%
import torch
from torch.utils.data import DataLoader
from transformers import DataCollatorForSeq2Seq

STEPS, BATCH = (200, 32) if FAST else (4_500, 64)  # full: ten passes over the 29,000 pairs
collator = DataCollatorForSeq2Seq(tokenizer_en, label_pad_token_id=-100)
pairs = train_encoded.shuffle(seed=0).select(range(min(STEPS * BATCH, len(train_encoded))))
train_loader = DataLoader(pairs, batch_size=BATCH, shuffle=True, collate_fn=collator,
                          generator=torch.Generator().manual_seed(0))
runs = {}
for name, random_encoder in (("pretrained encoder", False), ("random encoder", True)):
    candidate = model if not random_encoder else warm_started(random_encoder=True)
    torch.manual_seed(0)
    history = training.train(candidate, train_loader, epochs=STEPS * BATCH / len(pairs), lr=1e-3,
                             warmup_ratio=0.05)
    runs[name] = {"model": candidate, "history": history}
    print(f"{name}: {len(history.steps)} steps in {history.seconds:.0f} s")

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 3.5))
for name, run in runs.items():
    steps = run["history"].step_frame()
    ax.plot(steps["step"], steps["loss"].rolling(20, min_periods=1).mean(), label=name)
ax.set(xlabel=f"step (batch of {BATCH} pairs)", ylabel="cross-entropy (nats)",
       title="English→German decoder over a frozen encoder")
ax.legend();

# %% [markdown]
# ## Greedy search, and BLEU
#
# `generate` starts from `[CLS]` and appends one token at a time. **Greedy** search takes the most likely
# token each step. BLEU {cite}`papineni2002bleu` compares n-grams (n = 1…4) of the outputs with the
# references over the whole test set, with a brevity penalty; `sacrebleu` {cite}`post2018sacrebleu`
# computes it from detokenized text with a fixed, reported tokenization, so the numbers are comparable.

# %%
import sacrebleu

sources = [pair["en"] for pair in test["translation"]]
references = [pair["de"] for pair in test["translation"]]
ABLATION_ROWS = 500 if FAST else len(sources)  # decoding costs time too: half the test set here
bleu = sacrebleu.BLEU()
for name, run in runs.items():
    run["greedy"] = translation.translate(run["model"], sources[:ABLATION_ROWS], tokenizer_en, tokenizer_de,
                                          max_new_tokens=MAX_LENGTH)
    run["bleu"] = bleu.corpus_score(run["greedy"], [references[:ABLATION_ROWS]]).score
ablation = pd.DataFrame({name: {"final training loss": run["history"].step_frame()["loss"].tail(20).mean(),
                                f"BLEU, first {ABLATION_ROWS} test sentences": run["bleu"]}
                         for name, run in runs.items()}).T
print(bleu.get_signature())
ablation.round(2)

# %%
pretrained, random = ablation.loc["pretrained encoder"], ablation.loc["random encoder"]
assert pretrained["final training loss"] < random["final training loss"] - 0.3, ablation
assert runs["pretrained encoder"]["bleu"] > runs["random encoder"]["bleu"] + 1, ablation

# %% [markdown]
# Same decoder, same budget: only the encoder differs. The pretrained encoder hands the decoder
# representations of English words in context from the first step; the random encoder gives it a fixed
# scramble of the input from which the decoder must recover the English on its own. That is the part of
# Rothe et al.'s finding {cite}`rothe2020leveraging` that a CPU can reproduce: warm-starting the encoder
# from BERT is what helps most. (They also warm-start the decoder from BERT — BERT2BERT — which needs a
# vocabulary shared between the two sides, something an English BERT cannot offer German.)
#
# Did generation stop? A translation that runs to `max_new_tokens` never produced `[SEP]`. Compare the
# output lengths with the references':

# %%
lengths = np.array([len(tokenizer_de.tokenize(text)) for text in runs["pretrained encoder"]["greedy"]])
reference_lengths = np.array([len(tokenizer_de.tokenize(text)) for text in references[:ABLATION_ROWS]])
print(f"mean length: outputs {lengths.mean():.1f} pieces, references {reference_lengths.mean():.1f}; "
      f"{np.mean(lengths >= MAX_LENGTH - 1):.1%} hit the limit")
assert np.mean(lengths >= MAX_LENGTH - 1) < 0.02 and lengths.mean() < 1.5 * reference_lengths.mean()

# %% [markdown]
# ## A longer run: the book's checkpoint
#
# 250 steps teach the mechanics, not German. `scripts/train_translation.py` trains the same decoder over
# the same frozen encoder for six passes over all 29,000 pairs, with a seed. Because the encoder is
# frozen, it computes the encoder's outputs for the training captions once and reuses them every pass.
# After each pass it scores greedy BLEU on 500 validation captions and keeps the best weights (the
# test split is never seen). It saves only what it trained — the decoder and the projection, in
# 16-bit floats — with the German tokenizer and a `run.json` that records the command, the settings,
# the machine and the scores; the encoder comes from the package. If the folder is missing (in Colab,
# say, or in the `full` profile, whose encoder is a different model), the chapter carries on with the
# model it just trained.

# %%
import json
from pathlib import Path

candidates = [Path("checkpoints/bert2bert-multi30k"), Path("../checkpoints/bert2bert-multi30k")]
checkpoint = next((path for path in candidates if (path / "decoder.safetensors").is_file()), None)
if checkpoint is not None and FAST:
    encoder = models.load_model(AutoModel, add_pooling_layer=False)
    final, final_tokenizer = translation.load_decoder(encoder, checkpoint)
    record = json.loads((checkpoint / "run.json").read_text())
    print(f"loaded {checkpoint}: {record['steps']:,} steps, {record['train_seconds'] / 60:.0f} min on "
          f"{record['threads']} {record['device']} thread(s), best validation BLEU "
          f"{record['validation_bleu_best']:.1f}\n{record['command']}")
else:
    checkpoint, final, final_tokenizer = None, runs["pretrained encoder"]["model"], tokenizer_de
    print("no checkpoint used: carrying on with the model trained above")

# %% [markdown]
# ## Greedy and beam search
#
# **Beam search** keeps the `num_beams` most likely partial translations at every step and returns the
# best complete one, so it can recover from a first word that looked best but leads nowhere. It costs
# about `num_beams` times as much, so we compare the two on the first 300 test sentences.

# %%
greedy = translation.translate(final, sources, tokenizer_en, final_tokenizer, max_new_tokens=MAX_LENGTH)
bleu_greedy = bleu.corpus_score(greedy, [references])
BEAM_ROWS = 300 if FAST else len(sources)
beam = translation.translate(final, sources[:BEAM_ROWS], tokenizer_en, final_tokenizer, num_beams=4,
                             max_new_tokens=MAX_LENGTH)
comparison = pd.DataFrame({
    "greedy": [bleu_greedy.score, sacrebleu.corpus_bleu(greedy[:BEAM_ROWS], [references[:BEAM_ROWS]]).score],
    "beam search (4 beams)": [np.nan, sacrebleu.corpus_bleu(beam, [references[:BEAM_ROWS]]).score]},
    index=[f"BLEU, all {len(sources):,} test sentences", f"BLEU, first {BEAM_ROWS} test sentences"])
comparison.round(1)

# %%
pd.DataFrame({"English": sources[:6], "reference": references[:6], "greedy": greedy[:6], "beam": beam[:6]})

# %%
if checkpoint is not None:  # FLOOR: set from the measured checkpoint
    assert bleu_greedy.score >= 20, bleu_greedy.score
assert bleu_greedy.score > 0.8 * runs["pretrained encoder"]["bleu"]  # no worse than the short run

# %% [markdown]
# ## Summary
#
# - BERT is an encoder: it cannot translate alone (no decoder, no causal mask, no left-to-right
#   objective). The seed's claim is corrected: it can *initialise the encoder* of a translation model.
# - An `EncoderDecoderModel` adds a causal decoder with cross-attention; the target language gets its
#   own (cased) WordPiece vocabulary.
# - Labels must end with the end token, and the config must name start, end and pad ids: otherwise
#   generation never stops.
# - With the same decoder and budget, the pretrained encoder beats a random one clearly (loss and BLEU
#   asserted above); a longer run of the same recipe (the checkpoint) is scored with greedy and beam
#   search on the test set.
#
# ## Exercises
#
# 1. Break it on purpose: build labels **without** the final `[SEP]` for 20 pairs and look at what
#    `encode_pairs` does with a tokenizer that adds no special tokens.
# 2. Translate three English sentences of your own, with greedy and with beam search. Try one outside
#    the image-caption domain.

# %% tags=["hide-cell"]
# Solution 1
class NoSpecialTokens:  # wraps the German tokenizer as if add_special_tokens=False were used
    cls_token_id, sep_token_id = tokenizer_de.cls_token_id, tokenizer_de.sep_token_id

    def __call__(self, texts, **kwargs):
        return tokenizer_de(texts, add_special_tokens=False, **kwargs)


try:
    translation.encode_pairs(train[:20], tokenizer_en, NoSpecialTokens())
except ValueError as error:
    print("refused:", error)
else:
    raise AssertionError("labels without [SEP] must be refused")

# %% tags=["hide-cell"]
# Solution 2
mine = ["A man is riding a bicycle down the street.", "Two children are playing in the snow.",
        "The committee postponed the vote on the budget."]
pd.DataFrame({"English": mine,
              "greedy": translation.translate(final, mine, tokenizer_en, final_tokenizer),
              "beam (4)": translation.translate(final, mine, tokenizer_en, final_tokenizer, num_beams=4)})
