# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Question answering: finding the answer span
#
# In extractive question answering the answer is a piece of a given text. SQuAD {cite}`rajpurkar2016squad`
# pairs over 100,000 questions with Wikipedia paragraphs; every answer is a span of its paragraph. BERT
# does not *generate* the answer: it scores every token of the paragraph as a possible **start** and a
# possible **end** of the answer {cite}`devlin2019bert`, and we pick the best-scoring span. Almost all of
# the work (and almost all of the bugs) lie around the model: cutting long paragraphs into windows,
# turning character positions into token positions and back, and scoring the result the way SQuAD does.
#
# **Learning goals**
#
# - Frame QA as predicting start and end positions over `[CLS] question [SEP] context [SEP]`.
# - Use the fast tokenizer's offset mapping to label token positions, and cut long contexts into
#   overlapping windows with a stride; label windows that do not contain the answer.
# - Post-process: combine the n best starts and ends, enforce a maximum length, map back to the text.
# - Score with SQuAD's exact match and F1, and compare with a baseline that does not learn.

# %% [markdown]
# ## Setup

# %%
import sys

if "google.colab" in sys.modules:  # Colab: install companion, use the hub
    %pip install -q "bertbook-companion[fast] @ git+https://github.com/bert-book/bert-book"
    import os
    os.environ.setdefault("BERTBOOK_PROFILE", "full")

# %%
from companion import data, models, plots, qa, runtime, training

runtime.setup(seed=0)

# %% [markdown]
# ## The data
#
# The mirror's `squad` folder holds real SQuAD v1.1 questions (CC BY-SA 4.0, Rajpurkar et al. 2016):
# 5,101 training questions from 14 training articles and 2,122 validation questions from SQuAD's dev
# articles, so no article is in both splits. It is a **subset** of SQuAD; the `full` profile loads all
# 87,599 / 10,570 questions from the hub. Each validation question has one or more reference answers.

# %%
import numpy as np
import pandas as pd

FAST = runtime.is_fast()
train = data.load_split("squad", "train", fast_rows=2400)
validation = data.load_split("squad", "validation", fast_rows=600)
print(f"{len(train):,} training and {len(validation):,} validation questions")
sample = validation[0]
print("Q:", sample["question"])
print("C:", sample["context"][:300], "...")
print("A:", sample["answers"])

# %% [markdown]
# `answer_start` is a **character** position in the context. The model works on **tokens**, so the
# first job is to translate between the two.

# %%
context, answer = sample["context"], sample["answers"]
start = answer["answer_start"][0]
assert context[start:start + len(answer["text"][0])] == answer["text"][0]

# %% [markdown]
# ## Question and context in one input
#
# The question is sentence A, the context sentence B: `[CLS] question [SEP] context [SEP]`, with token
# type ids 0 and 1. The fast (Rust) tokenizer can also return, for every token, the `(start, end)`
# characters it came from: the **offset mapping**. `sequence_ids` says which sentence each token is in.

# %%
tokenizer = models.load_tokenizer()
encoded = tokenizer(sample["question"], context, return_offsets_mapping=True)
tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
pd.DataFrame({"token": tokens, "sequence": encoded.sequence_ids(), "type id": encoded["token_type_ids"],
              "offsets": encoded["offset_mapping"]}).iloc[list(range(4)) + list(range(10, 18))]

# %% [markdown]
# The offsets of context tokens point into the context string: `[CLS]`/`[SEP]` get `(0, 0)` and no
# sequence id. Note that the tokenizer lower-cases (the vocabulary is uncased), but the offsets let us
# return the answer with its original casing.

# %% [markdown]
# ## Long contexts: windows with a stride
#
# BERT reads at most 512 positions, and on a CPU we use fewer: `MAX_LENGTH = 256` tokens here (384 in
# the `full` profile, as in the BERT paper). A longer context is cut into several windows, each with the
# question in front; consecutive windows overlap by `STRIDE` tokens so that an answer cut by one window
# edge is whole in the next. `companion.qa.prepare_train_features` calls the tokenizer with
# `truncation="only_second"` (never cut the question), `stride` and `return_overflowing_tokens=True`,
# then labels each window: the token positions of the answer's first and last token, or `(0, 0)` (the
# `[CLS]` token) when the answer is not wholly inside the window. Here is one long context:

# %%
MAX_LENGTH, STRIDE = (256, 64) if FAST else (384, 128)
long_example = max(range(len(train)), key=lambda i: len(train[i]["context"]))
batch = train[long_example:long_example + 1]
windows = qa.prepare_train_features(batch, tokenizer, max_length=MAX_LENGTH, stride=STRIDE)
print(f"context of {len(batch['context'][0]):,} characters -> {len(windows['input_ids'])} windows")
for ids, s, e in zip(windows["input_ids"], windows["start_positions"], windows["end_positions"]):
    print(f"{len(ids)} tokens, label ({s:3d}, {e:3d}):", tokenizer.decode(ids[s:e + 1]) if s else "[CLS]: not here")
print("reference answer:", batch["answers"][0]["text"][0])

# %% [markdown]
# Windows without the answer are kept with the `[CLS]` label: at prediction time the model will see
# such windows too, and it learns to give low scores to spans in them. Check the labels on every
# training window: a labelled span must decode to the answer (up to lower-casing and spacing).

# %%
train_features = train.map(lambda b: qa.prepare_train_features(b, tokenizer, max_length=MAX_LENGTH, stride=STRIDE),
                           batched=True, remove_columns=train.column_names)
absent = np.mean(np.array(train_features["start_positions"]) == 0)
print(f"{len(train):,} questions -> {len(train_features):,} windows; {absent:.1%} of windows lack the answer")

# %%
import re


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


matches = []
for row in train.select(range(300)):
    one = {key: [value] for key, value in row.items()}
    features = qa.prepare_train_features(one, tokenizer, max_length=MAX_LENGTH, stride=STRIDE)
    answer_ids = tokenizer(row["answers"]["text"][0], add_special_tokens=False)["input_ids"]
    for ids, s, e in zip(features["input_ids"], features["start_positions"], features["end_positions"]):
        if s:
            matches.append(squash(tokenizer.decode(ids[s:e + 1])) == squash(tokenizer.decode(answer_ids)))
print(f"{len(matches)} labelled windows; {np.mean(matches):.1%} decode exactly to the answer")
assert np.mean(matches) > 0.95

# %% [markdown]
# The few mismatches are answers that begin or end inside a word piece (an answer "Norman" inside the
# token `normans`, say): the label then covers the whole token, a little more than the answer.

# %% [markdown]
# ## Fine-tuning
#
# `AutoModelForQuestionAnswering` puts one linear layer on top of the encoder that maps each token's
# vector to two numbers, a start logit and an end logit; the loss is the cross-entropy of the true start
# position plus that of the true end position (averaged). The layer is new (randomly initialised, as the
# load report says); the encoder is the pretrained one. The batches carry `start_positions` and
# `end_positions` instead of `labels`, and the shared training loop only needs the model to return a
# loss.

# %%
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForQuestionAnswering, DataCollatorWithPadding

collator = DataCollatorWithPadding(tokenizer)  # pads each batch to its longest window
train_loader = DataLoader(train_features, batch_size=8 if FAST else 32, shuffle=True, collate_fn=collator,
                          generator=torch.Generator().manual_seed(0))
runtime.seed_everything(0)
reader = models.load_model(AutoModelForQuestionAnswering)
reader.num_parameters()

# %%
history = training.train(reader, train_loader, epochs=1 if FAST else 2, lr=1e-4 if FAST else 3e-5,
                         warmup_ratio=0.1)
print(f"{len(history.steps)} steps in {history.seconds:.0f} s")
figure = plots.plot_history(history, title="Fine-tuning on SQuAD (start + end cross-entropy)")

# %% [markdown]
# The loss starts near $\ln(\text{window length}) \approx 5.5$: a uniform guess over ~250 positions,
# for the start and for the end.

# %% [markdown]
# ## From logits back to an answer
#
# For prediction the windows keep, besides the ids, the offsets of their **context** tokens only
# (`None` for the question and the special tokens, so that an answer can never come from there) and the
# id of their question. `qa.postprocess` then does, for each question:
#
# 1. for every window, take the `n_best = 20` highest start logits and the 20 highest end logits;
# 2. keep the pairs with both ends in the context, end ≥ start and at most `max_answer_length = 30`
#    tokens;
# 3. score a pair by start logit + end logit (a log-probability up to a constant) and keep the best
#    pair over all windows;
# 4. cut the answer out of the original context with the offsets.

# %%
validation_features = validation.map(
    lambda b: qa.prepare_eval_features(b, tokenizer, max_length=MAX_LENGTH, stride=STRIDE),
    batched=True, remove_columns=validation.column_names)
validation_loader = DataLoader(validation_features.remove_columns(["example_id", "offset_mapping"]),
                               batch_size=64, collate_fn=collator)
start_logits, end_logits = qa.predict_spans(reader, validation_loader, width=MAX_LENGTH)
predictions = qa.postprocess(validation, validation_features, start_logits, end_logits,
                             n_best=20, max_answer_length=30)
print(f"{len(validation_features):,} windows for {len(validation):,} questions")

# %% [markdown]
# ## Exact match and F1
#
# SQuAD's official evaluation script normalizes both strings (lower case, no punctuation, no articles
# *a/an/the*, single spaces), then scores **exact match** (EM: 1 if equal) and **F1** over the bags of
# words, taking the best over the question's reference answers. `companion.qa` follows that script
# (v1.1) line by line and is tested on hand-checked cases. (`evaluate.load("squad")` would download the
# same script from the hub, which the fast profile never does.)

# %%
references = {key: answers["text"] for key, answers in zip(validation["id"], validation["answers"])}
scores = qa.squad_scores(predictions, references)
print(f"fine-tuned: EM {scores['exact_match']:.1f}, F1 {scores['f1']:.1f}")
print("F1('Charles III', 'King Charles III') =", qa.f1("Charles III", "King Charles III"))

# %% [markdown]
# ### A baseline that does not learn
#
# How much of that is reading? A baseline answers with the context sentence that shares the most words
# with the question. It often finds the right sentence but scores poorly, because a sentence is much
# longer than an answer: precision suffers.

# %%
baseline = {row["id"]: qa.overlap_baseline(row["question"], row["context"]) for row in validation}
baseline_scores = qa.squad_scores(baseline, references)
pd.DataFrame([baseline_scores, scores], index=["sentence with most question words", "fine-tuned BERT"]).round(1)

# %%
assert scores["f1"] >= (35 if FAST else 85), scores
assert scores["f1"] > baseline_scores["f1"] + 15, (scores, baseline_scores)

# %% [markdown]
# For scale: bert-base fine-tuned on all of SQuAD v1.1 reaches EM 80.8 / F1 88.5 on the dev set
# {cite}`devlin2019bert`, after two epochs over 88 k questions at 384 tokens. The fast profile saw a
# twentieth of one epoch's questions with a 6-layer model on a CPU; the `full` profile reproduces the
# paper's setting.

# %% [markdown]
# ## Where it goes wrong

# %%
table = pd.DataFrame({"question": list(validation["question"]),
                      "prediction": [predictions[key] for key in validation["id"]],
                      "references": [" | ".join(dict.fromkeys(references[key])) for key in validation["id"]]})
table["F1"] = [max(qa.f1(predictions[key], truth) for truth in references[key]) for key in validation["id"]]
table.sort_values("F1").head(8)

# %% [markdown]
# Typical errors: the right kind of answer from the wrong place (another date, another name), and
# spans that are too long or too short by a few words, which F1 credits in part and EM not at all.
#
# ## Summary
#
# - Extractive QA scores each context token as a start and as an end; the answer is the best valid pair.
# - The fast tokenizer's offset mapping turns character positions into token labels and predicted
#   tokens back into the original text; windows with a stride handle contexts longer than the model's
#   input, and windows without the answer are labelled `[CLS]`.
# - Post-processing (n best starts × ends, order and length limits, all windows) is part of the model.
# - SQuAD EM/F1 as in the official script; the fine-tuned 6-layer model clearly beats a word-overlap
#   baseline after a few CPU minutes (figures printed and asserted above).
#
# ## Exercises
#
# 1. Post-process the same logits with `max_answer_length=5` and with `n_best=1`. How do EM and F1
#    change, and why?
# 2. Ask the model a question of your own about a paragraph of your own with a
#    `transformers.pipeline("question-answering", ...)`.

# %% tags=["hide-cell"]
# Solution 1
variants = {"n_best=20, max 30 (default)": (20, 30), "max_answer_length=5": (20, 5), "n_best=1": (1, 30)}
rows = {name: qa.squad_scores(qa.postprocess(validation, validation_features, start_logits, end_logits,
                                             n_best=n, max_answer_length=m), references)
        for name, (n, m) in variants.items()}
pd.DataFrame(rows).T.round(1)  # n_best=1 often yields no valid pair (end before start): empty answers

# %% tags=["hide-cell"]
# Solution 2 (transformers 5 has no "question-answering" pipeline any more; the steps above do its work)
mine = {"id": ["mine"], "question": ["What does BERT predict for extractive question answering?"],
        "context": ["For extractive question answering, BERT predicts the start and the end of the answer "
                    "span inside the context paragraph."]}
my_features = qa.prepare_eval_features(mine, tokenizer, max_length=MAX_LENGTH, stride=STRIDE)
my_loader = DataLoader([{key: my_features[key][i] for key in ("input_ids", "token_type_ids", "attention_mask")}
                        for i in range(len(my_features["input_ids"]))], batch_size=8, collate_fn=collator)
my_start, my_end = qa.predict_spans(reader, my_loader, width=MAX_LENGTH)
qa.postprocess(mine, my_features, my_start, my_end)
