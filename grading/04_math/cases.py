"""What tests/test_grading.py needs to test chapter 4's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) whose variables the exercises read; the test
runs them, then the stub, the solution or a wrong answer of each exercise, and then that exercise's checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

CONTEXT = [
    "import math",  # the imports
    "def attention(",  # used by the next cell
    "model = bert.load_pretrained()",  # the packaged model (its config is exercise 2's)
    "def measured_flops(",  # configs and the measured table `cost`
    "base = BertConfig()",
]

WRONG = {
    "q1": [  # the ratio at 128 tokens: inside the public range, caught by a hidden check
        'large_vs_base = flops.forward_flops(configs["BERT-large"], 128)["total"] '
        '/ flops.forward_flops(base, 128)["total"]'
    ],
    "q2": [  # the forward pass only
        "ratio = measured_flops(model.config, 128) / flops.forward_flops(model.config, 128)['total']"
    ],
    "q3": [  # FLOPs per sequence, not per token
        "per_token = {n: flops.forward_flops(base, n)['total'] for n in (128, 512)}\n"
        "attention_share = {n: flops.forward_flops(base, n)['attention'] / flops.forward_flops(base, n)['total'] "
        "for n in (128, 512)}",
    ],
    "q4": [
        # diag(p) without - ppᵀ
        "def jacobian_norm(d, *, scaled, n=10, trials=2000):\n"
        "    q, k = torch.randn(trials, 1, d), torch.randn(trials, n, d)\n"
        "    p = ((q @ k.transpose(-1, -2)).squeeze(1) / (math.sqrt(d) if scaled else 1.0)).softmax(-1)\n"
        "    return torch.diag_embed(p).flatten(1).norm(dim=-1).mean().item()\n"
        "unscaled_norm, scaled_norm = jacobian_norm(1024, scaled=False), jacobian_norm(1024, scaled=True)",
        # divided by d instead of √d: passes the public checks, caught by a hidden one
        "def jacobian_norm(d, *, scaled, n=10, trials=2000):\n"
        "    q, k = torch.randn(trials, 1, d), torch.randn(trials, n, d)\n"
        "    p = ((q @ k.transpose(-1, -2)).squeeze(1) / (d if scaled else 1.0)).softmax(-1)\n"
        "    jacobian = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]\n"
        "    return jacobian.flatten(1).norm(dim=-1).mean().item()\n"
        "unscaled_norm, scaled_norm = jacobian_norm(1024, scaled=False), jacobian_norm(1024, scaled=True)",
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "A", "C", "A"'],  # the first answer wrong
}
