"""What tests/test_grading.py needs to test chapter 3's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them, then the stub, the solution or a wrong answer of each exercise, and then that exercise's checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "import inspect",  # the imports
    "reference = models.load_model(",  # the packaged model (transformers), and `config`
    "tokenizer = models.load_tokenizer()",  # the tokenizer, and `inputs` for the next cell
    "model = bert.Bert(config).eval()",  # our model
    "state = reference.state_dict()",  # the pretrained weights, renamed in the next cell
    "bert.load_state_dict(model, state)",
]

_RIGHT_COUNT = "block_count = sum(p.numel() for p in model.layers[0].parameters())"
_HAND_RUN = (  # the solution's first_token_output up to its mask and its return, each wrong answer fills them in
    "def first_token_output(text, *, causal):\n"
    "    ids = tokenizer(text, return_tensors='pt')['input_ids']\n"
    "    n = ids.shape[1]\n"
    "    bias = torch.zeros(1, 1, n, n)\n"
    "    if causal:\n"
    "        bias = bias.masked_fill({mask}, torch.finfo(torch.float32).min)\n"
    "    with torch.no_grad():\n"
    "        x = model.embeddings(ids, torch.zeros_like(ids))\n"
    "        for layer in model.layers:\n"
    "            x, _ = layer(x, bias)\n"
    "{ending}"
)
_CAUSAL = "torch.ones(n, n).triu(1).bool()"

WRONG = {
    "q1": [
        # the weights without their biases (the LayerNorms kept): the formula short of the count
        "h, i = config.hidden_size, config.intermediate_size\nblock_formula = 4 * h * h + 2 * h * i + 4 * h\n"
        + _RIGHT_COUNT,
        # weights only, in the formula and in the count alike: they agree, caught by a hidden check
        "h, i = config.hidden_size, config.intermediate_size\nblock_formula = 4 * h * h + 2 * h * i\n"
        "block_count = sum(p.numel() for p in model.layers[0].parameters() if p.dim() == 2)",
        # the whole encoder, in both
        "h, i = config.hidden_size, config.intermediate_size\n"
        "block_formula = config.num_hidden_layers * (4 * (h * h + h) + 2 * h * i + i + h + 4 * h)\n"
        "block_count = sum(p.numel() for p in model.layers.parameters())",
    ],
    "q2": [
        # the pooler kept
        "from transformers import BertForMaskedLM\n"
        "base = bert.parameter_counts(BertConfig())\n"
        "predicted = base['total'] + (768 * 768 + 768) + 2 * 768 + 30522\n"
        "with torch.device('meta'):\n"
        "    actual = sum(p.numel() for p in BertForMaskedLM(BertConfig()).parameters())",
        # counted with state_dict(), which lists the tied output matrix and bias under two names each
        "from transformers import BertForMaskedLM\n"
        "base = bert.parameter_counts(BertConfig())\n"
        "predicted = base['total'] - base['pooler'] + (768 * 768 + 768) + 2 * 768 + 30522\n"
        "with torch.device('meta'):\n"
        "    actual = sum(t.numel() for t in BertForMaskedLM(BertConfig()).state_dict().values())",
        # BertModel's count twice (no head, the pooler kept): they agree, caught by a hidden check
        "predicted = bert.parameter_counts(BertConfig())['total']\n"
        "with torch.device('meta'):\n"
        "    actual = sum(p.numel() for p in BertModel(BertConfig()).parameters())",
    ],
    "q3": [
        # the mask below the diagonal: no attention to earlier positions, the later ones still seen
        _HAND_RUN.format(mask="torch.ones(n, n).tril(-1).bool()", ending="    return x[0, 1]"),
        # [CLS]'s output, not the first word's: unchanged by the last word too, caught by a hidden check
        _HAND_RUN.format(mask=_CAUSAL, ending="    return x[0, 0]"),
        # the return inside the loop: the first layer's output only, caught by a hidden check
        _HAND_RUN.format(mask=_CAUSAL, ending="            return x[0, 1]"),
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "A", "A"'],  # the second answer wrong
}
