"""Exercise 2's public checks (otter-grader): forward-pass FLOPs of the teacher and the student, and the speed-up."""

from numbers import Real

from otter.test_files import test_case

OK_FORMAT = False
name = "q2"


def _number(label, value):
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    assert isinstance(value, Real) and value > 0, f"{label} should be a positive number, not {value!r}" + (
        " (flops.forward_flops returns a dict of parts: take its 'total')" if isinstance(value, dict) else ""
    )
    return float(value)


@test_case(name="q2: the FLOPs of the teacher and of the student", points=1)
def the_flops(teacher_flops, student_flops):
    teacher, student = _number("teacher_flops", teacher_flops), _number("student_flops", student_flops)
    assert teacher != student, (
        "teacher_flops and student_flops are equal: count the student with its own config (distilled.config), "
        "which has half the teacher's layers"
    )
    assert teacher > student, (
        f"student_flops ({student:.3g}) is larger than teacher_flops ({teacher:.3g}): the two are swapped"
    )
    assert teacher > 1e8, (
        f"teacher_flops = {teacher:.3g} is far too small for a forward pass of 64 tokens through a BERT: "
        "is that one part (the pooler, the attention scores) rather than the 'total'?"
    )
    ratio = teacher / student
    assert 1.5 < ratio < 2.5, (
        f"teacher_flops / student_flops = {ratio:.2f}: the student has half of the teacher's layers and the same "
        "width, so its FLOPs at the same length should be about half; are both counted at 64 tokens?"
    )


@test_case(name="q2: the measured speed-up, from the distillation table", points=1)
def the_measured_speed_up(measured, distilled_table):
    value = _number("measured", measured)
    table = distilled_table["speed-up"].astype(float)
    if abs(value - float(distilled_table.loc["student, distilled", "ms per batch of 32"])) < 1e-9:
        raise AssertionError(
            f"measured = {value:.3g} is the distilled student's time in milliseconds: the speed-up is the teacher's "
            "time divided by the student's, the table's 'speed-up' column"
        )
    if abs(value - 1 / float(table.loc["student, distilled"])) < 1e-9:
        raise AssertionError(
            f"measured = {value:.3f} is upside down: the student's time over the teacher's. The speed-up is the "
            "teacher's time over the student's, the table's 'speed-up' column"
        )
    assert any(abs(value - float(speed_up)) < 1e-9 for speed_up in table), (
        f"measured = {value:.3f} is not in the distillation table's 'speed-up' column ({table.round(3).to_dict()}):"
        " read the distilled student's measured speed-up from distilled_table"
    )
