"""What tests/test_grading.py needs to test chapter 15's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) that the exercises read and that train
nothing: the imports and the seed, and the Gutenberg pairs with their tokenizer (`test_encoded`, about ten
seconds). Exercises 1 and 3 read nothing from the chapter. context(namespace) stands in for the two pre-training
runs (minutes on a CPU): it builds the chapter's small BERT twice, untrained and from two seeds, as
`pretrained`; exercise 2 scores an NSP head, and an untrained one is at chance as the chapter's is after 600 steps.
The test runs these, then the stub, the solution or a wrong answer of each exercise, and then its checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "import os\n\nimport numpy as np",  # the imports, SEED, REHEARSAL
    "train_texts = list(",  # tokenizer, train_encoded, test_encoded
]

# the two pre-trained models, untrained: the chapter's small configuration, the same objectives' names
STAND_IN = """
small_config = pretraining.small_bert_config(tokenizer, hidden_size=128, layers=2, heads=2)
pretrained = {}
for _offset, _name in enumerate(["MLM + NSP (BERT)", "MLM only (RoBERTa)"]):
    runtime.seed_everything(SEED + _offset)
    pretrained[_name] = BertForPreTraining(small_config).eval()
"""


def context(namespace: dict) -> None:
    """Add what exercise 2 reads: `pretrained`, stand-ins for the chapter's two runs."""
    exec(STAND_IN, namespace)


# exercise 2: the held-out pairs' inputs without the label
INPUTS = "inputs = {k: v for k, v in test_encoded.items() if k != 'next_sentence_label'}\n"


def layers_share(global_layers: str, share: str) -> str:
    """Return exercise 3's solution with the given global-layer test and share expression."""
    return (
        "n, window, layers = 8192, 128, 22\n"
        f"is_global = [{global_layers} for i in range(layers)]\n"
        "computed = sum(n * n if g else n * min(n, window + 1) for g in is_global)\n"
        f"share = {share}"
    )


WRONG = {
    "q1": [
        # the V × E table only, without the lift to H
        "V, H, E = 30_522, 768, 128\nfull, factorised = V * H, V * E",
        # ALBERT's vocabulary of 30,000 pieces (its config in the chapter), not BERT-base's
        "V, H, E = 30_000, 768, 128\nfull, factorised = V * H, V * E + E * H",
        # millions, not parameters
        "V, H, E = 30_522, 768, 128\nfull, factorised = V * H / 1e6, (V * E + E * H) / 1e6",
    ],
    "q2": [
        # the MLM-only model, whose NSP head was never trained
        'nsp_model = pretrained["MLM only (RoBERTa)"]\n' + INPUTS + "with torch.no_grad():\n"
        "    logits = nsp_model(**inputs).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == test_encoded['next_sentence_label']).float().mean().item()",
        # label 1 read as "B follows A"
        'nsp_model = pretrained["MLM + NSP (BERT)"]\n' + INPUTS + "with torch.no_grad():\n"
        "    logits = nsp_model(**inputs).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == 1 - test_encoded['next_sentence_label']).float().mean().item()",
        # the number of pairs right, not the share
        'nsp_model = pretrained["MLM + NSP (BERT)"]\n' + INPUTS + "with torch.no_grad():\n"
        "    logits = nsp_model(**inputs).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == test_encoded['next_sentence_label']).sum().item()",
        # a tensor, not a number
        'nsp_model = pretrained["MLM + NSP (BERT)"]\n' + INPUTS + "with torch.no_grad():\n"
        "    logits = nsp_model(**inputs).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == test_encoded['next_sentence_label']).float().mean()",
        # without the segment ids, which tell the model where B starts: passes the public checks, caught by a
        # hidden one
        'nsp_model = pretrained["MLM + NSP (BERT)"]\n'
        "with torch.no_grad():\n"
        "    logits = nsp_model(input_ids=test_encoded['input_ids'],\n"
        "                       attention_mask=test_encoded['attention_mask']).seq_relationship_logits\n"
        "nsp_accuracy = (logits.argmax(-1) == test_encoded['next_sentence_label']).float().mean().item()",
    ],
    "q3": [
        # 22 // 3 = 7 global layers, not the 8 of layers 0, 3, ..., 21
        layers_share("i < layers // 3", "computed / (layers * n * n)"),
        # the share of one layer's full attention, not of every layer's
        layers_share("i % 3 == 0", "computed / (n * n)"),
        # the part saved, not the part computed
        layers_share("i % 3 == 0", "1 - computed / (layers * n * n)"),
        # the local layers counted as full attention
        "n, layers = 8192, 22\ncomputed = layers * n * n\nshare = computed / (layers * n * n)",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "B", "C"'],  # the first answer wrong
}
