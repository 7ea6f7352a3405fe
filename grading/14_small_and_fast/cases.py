"""What tests/test_grading.py needs to test chapter 14's checks without running the chapter.

CONTEXT: the chapter's cells (each named by how its code starts) that the exercises read and that train
nothing: the imports, the data and its splits, the tokenizer and the loaders. context(namespace) cuts the
training and development splits to their first 256 and 128 rows, and stands in for the three trainings (minutes
on a CPU): the teacher is the packaged model with its classification head fitted by logistic regression on the
frozen encoder's pooled vectors of the training rows (seconds, no backward pass), a real classifier whose
certainty varies from sentence to sentence; the two students are its every-other-layer copies, untrained
(exercise 2 reads their config and their timing, not their accuracy). Then it runs the chapter's own cells that
the exercises read: the teacher's logits for the training sentences (`teacher_logits`), the student's layers
(`STUDENT_LAYERS`, `count`), the distillation table (`distilled_table`, `batch32`), the int8 teacher
(`int8_teacher`), the development batches and `torch_runner` (the part of that cell before the ONNX sessions) and
`distilled`.
The test runs these, then the stub, the solution or a wrong answer of each exercise, and then its checks.
WRONG: plausible wrong answers, each of which some check (public or hidden) must reject.
"""

import ast
from pathlib import Path

CHAPTER = Path(__file__).resolve().parents[2] / "book" / "14_small_and_fast.ipynb"

CONTEXT = [
    "import logging",  # the imports, SEED, runtime.setup
    "FAST, REHEARSAL = ",  # train, dev, validation, tokenizer, collator, encode
    "def loader(",  # loader, predicted, accuracy
]

# the first rows only: the exercises read every training and development sentence, a few hundred will do
CUT = """
train, dev = train.select(range(256)), dev.select(range(128))
"""

# the teacher's head fitted on the frozen encoder's pooled vectors instead of a fine-tuning run
STAND_IN = """
from sklearn.linear_model import LogisticRegression as _Fit

runtime.seed_everything(SEED)
teacher = models.load_model(AutoModelForSequenceClassification, num_labels=2).eval()
_pooled, _gold = [], []
with torch.no_grad():
    for _batch in loader(train):
        _gold.append(_batch.pop("labels").numpy())
        _pooled.append(teacher.bert(**_batch).pooler_output.numpy())
_fit = _Fit(C=1.0, max_iter=2000).fit(np.concatenate(_pooled), np.concatenate(_gold))
with torch.no_grad():
    teacher.classifier.weight.zero_()
    teacher.classifier.bias.zero_()
    teacher.classifier.weight[1] = torch.tensor(_fit.coef_[0], dtype=teacher.classifier.weight.dtype)
    teacher.classifier.bias[1] = float(_fit.intercept_[0])
teacher_dev = accuracy(teacher, dev)
"""

# the two students, untrained: every other layer of the teacher, as the chapter's students start
STUDENTS = """
students = {
    name: distillation.student_from_teacher(teacher, num_layers=STUDENT_LAYERS).eval()
    for name in ("student, hard labels", "student, distilled")
}
"""


def _chapter_cell(start: str, statements: int | None = None) -> tuple[str, object]:
    """Return the chapter's code cell that starts with start (its first statements only, if given), compiled."""
    import nbformat

    cells = nbformat.read(CHAPTER, as_version=4).cells
    [source] = [cell.source for cell in cells if cell.cell_type == "code" and cell.source.startswith(start)]
    tree = ast.parse(source)
    if statements is not None:
        tree = ast.Module(body=tree.body[:statements], type_ignores=[])
    return compile(tree, f"14_small_and_fast: {start}", "exec")


def context(namespace: dict) -> None:
    """Add what the exercises read: a stand-in teacher and students, and the chapter's cells that use them."""
    exec(CUT, namespace)
    exec(STAND_IN, namespace)
    exec(_chapter_cell("teacher_logits, _ = training.predict("), namespace)  # teacher_logits, soft_train
    exec(_chapter_cell("STUDENT_LAYERS = "), namespace)  # STUDENT_LAYERS, count
    exec(STUDENTS, namespace)
    exec(_chapter_cell("batch32 = {"), namespace)  # batch32, TEACHER, dev_predictions, distilled_table
    exec(_chapter_cell("import textwrap"), namespace)  # int8_teacher
    # dev_batches, dev_labels, batch1 and torch_runner; the rest of the cell reads the ONNX sessions
    exec(_chapter_cell("dev_batches = ", statements=5), namespace)
    exec(_chapter_cell("distilled = ", statements=1), namespace)  # distilled


def _entropies(expression: str) -> str:
    """Return exercise 1's solution with p (the softened distribution at T) computed by expression."""
    return (
        "entropies = {}\n"
        "for T in (1, 2, 4, 8):\n"
        f"    p = {expression}\n"
        "    entropies[T] = -(p * p.log()).sum(-1).mean().item()\n"
    )


def _flops(length: int, part: str, speed_up: str) -> str:
    """Return exercise 2's solution at the given length, FLOPs part and speed-up expression."""
    return (
        f"teacher_flops = flops.forward_flops(teacher.config, {length})['{part}']\n"
        f"student_flops = flops.forward_flops(distilled.config, {length})['{part}']\n"
        f"measured = {speed_up}\n"
    )


SPEED_UP = "distilled_table.loc['student, distilled', 'speed-up']"
# exercise 3's logits, as in the solution
LOGITS = (
    "with torch.no_grad():\n"
    "    float_logits = np.concatenate([torch_runner(teacher)(b) for b in dev_batches])\n"
    "    int8_logits = np.concatenate([torch_runner(int8_teacher)(b) for b in dev_batches])\n"
)
CERTAINTY = "certainty = np.abs(torch.tensor(float_logits).softmax(-1)[:, 1].numpy() - 0.5)\n"
CHANGED = "changed = float_logits.argmax(-1) != int8_logits.argmax(-1)\n"

WRONG = {
    "q1": [
        # the logits multiplied by T: the distribution sharpens instead of softening
        _entropies("torch.tensor(teacher_logits * T).softmax(-1)"),
        # the temperature forgotten: the same entropy four times
        _entropies("torch.tensor(teacher_logits).softmax(-1)"),
        # the entropy in bits (log2), not nats
        "entropies = {}\n"
        "for T in (1, 2, 4, 8):\n"
        "    p = torch.tensor(teacher_logits / T).softmax(-1)\n"
        "    entropies[T] = -(p * p.log2()).sum(-1).mean().item()\n",
        # the entropy of the mean distribution, not the mean entropy: passes the public checks, caught by a hidden one
        "entropies = {}\n"
        "for T in (1, 2, 4, 8):\n"
        "    p = torch.tensor(teacher_logits / T).softmax(-1).mean(0)\n"
        "    entropies[T] = -(p * p.log()).sum().item()\n",
    ],
    "q2": [
        # teacher and student swapped
        "teacher_flops = flops.forward_flops(distilled.config, 64)['total']\n"
        "student_flops = flops.forward_flops(teacher.config, 64)['total']\n"
        f"measured = {SPEED_UP}\n",
        # the speed-up upside down: the student's time over the teacher's
        _flops(64, "total", f"1 / {SPEED_UP}"),
        # the student's milliseconds, not its speed-up
        _flops(64, "total", "distilled_table.loc['student, distilled', 'ms per batch of 32']"),
        # the attention scores alone, not the total
        _flops(64, "attention", SPEED_UP),
        # at 512 tokens, not 64: passes the public checks, caught by a hidden one
        _flops(512, "total", SPEED_UP),
        # the hard-label student's speed-up: passes the public checks, caught by a hidden one
        _flops(64, "total", "distilled_table.loc['student, hard labels', 'speed-up']"),
    ],
    "q3": [
        # compared with the labels, not between the two models
        LOGITS + "changed = int8_logits.argmax(-1) != dev_labels\n" + CERTAINTY,
        # P(positive) itself, not how far it is from 0.5
        LOGITS + CHANGED + "certainty = torch.tensor(float_logits).softmax(-1)[:, 1].numpy()\n",
        # the certainty of the int8 model, not of the float32 teacher
        LOGITS + CHANGED + "certainty = np.abs(torch.tensor(int8_logits).softmax(-1)[:, 1].numpy() - 0.5)\n",
        # one batch of 32, not the whole development split
        "with torch.no_grad():\n"
        "    float_logits = torch_runner(teacher)(batch32)\n"
        "    int8_logits = torch_runner(int8_teacher)(batch32)\n" + CHANGED + CERTAINTY,
        # the development sentences in a shuffled order: passes the public checks, caught by a hidden one
        "with torch.no_grad():\n"
        "    shuffled = list(loader(dev, shuffle=True))\n"
        "    float_logits = np.concatenate([torch_runner(teacher)(b) for b in shuffled])\n"
        "    int8_logits = np.concatenate([torch_runner(int8_teacher)(b) for b in shuffled])\n" + CHANGED + CERTAINTY,
    ],
    "quiz": ['quiz_1, quiz_2, quiz_3 = "B", "B", "B"'],  # the second answer wrong
}
