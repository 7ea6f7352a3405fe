"""Exercise 2's hidden checks, appended to companion/exercise_checks/14_small_and_fast/q2.py for grading."""

from otter.test_files import test_case


@test_case(
    name="q2 (hidden): the total FLOPs at 64 tokens, and the distilled student's speed-up", points=1, hidden=True
)
def hidden_the_flops_and_the_speed_up(teacher_flops, student_flops, measured, teacher, distilled, distilled_table):
    from companion import flops

    expected = {
        "teacher_flops": flops.forward_flops(teacher.config, 64)["total"],
        "student_flops": flops.forward_flops(distilled.config, 64)["total"],
    }
    for label, value in (("teacher_flops", teacher_flops), ("student_flops", student_flops)):
        assert isinstance(value, int | float) and abs(value - expected[label]) <= 1e-6 * expected[label], (
            f"{label} = {value!r}; flops.forward_flops(..., 64)['total'] gives {expected[label]:,}"
        )
    speed_up = float(distilled_table.loc["student, distilled", "speed-up"])
    shown = float(measured) if isinstance(measured, int | float) else measured
    assert isinstance(measured, int | float) and abs(measured - speed_up) < 1e-9, (
        f"measured = {shown!r}; the distilled student's speed-up in distilled_table is {speed_up:.4f}"
    )
