"""The exercises of notebook 02 accept the right answer and reject plausible wrong ones."""

import pytest

from backproplab.engine import Value
from backproplab.exercises import nb02

# --------------------------------------------------------- slope of a composition


def test_composition_slope_accepts_the_hand_and_numeric_answers():
    assert nb02.composition_slope.check(3 * 2**2 * 2 * 1) is True
    f = lambda x: (x**2 + 1) ** 3  # noqa: E731
    assert nb02.composition_slope.check((f(1 + 1e-6) - f(1 - 1e-6)) / 2e-6) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        (12, "outer function"),  # forgot the inner slope
        (8, "value y itself"),
        (6, "not right yet"),  # 3 * 2x: forgot to square u
        (-24, "not right yet"),
        (24.3, "close but not close enough"),  # a forward difference with h = 0.01
    ],
)
def test_composition_slope_rejects_wrong_answers(wrong, says, capsys):
    assert nb02.composition_slope.check(wrong) is False
    assert says in capsys.readouterr().out


def test_composition_slope_placeholder_and_junk(capsys):
    assert nb02.composition_slope.check(...) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb02.composition_slope.check("24") is False
    assert nb02.composition_slope.check(True) is False


# ------------------------------------------------------- backward step of 1 / x


def reciprocal_backward(x, dL_dy):
    return dL_dy * (-1 / x**2)


def test_reciprocal_backward_accepts_the_solution():
    assert nb02.reciprocal_backward.check(reciprocal_backward) is True
    assert nb02.reciprocal_backward.check(lambda x, g: -g * x**-2) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda x, g: -1 / x**2, "multiply it by the upstream gradient"),  # forgot upstream
        (lambda x, g: g / x**2, "sign is flipped"),
        (lambda x, g: g / x, "not 1/x"),
        (lambda x, g: g * (1 / x), "not 1/x"),  # multiplied by y instead of dy/dx
        (lambda x, g: -g * x**2, "expected"),
    ],
)
def test_reciprocal_backward_rejects_wrong_answers(wrong, says, capsys):
    assert nb02.reciprocal_backward.check(wrong) is False
    assert says in capsys.readouterr().out


def test_the_check_uses_upstream_gradients_other_than_one():
    upstreams = [g for _, g in nb02._BACKWARD_CASES]
    assert all(g != 1 for g in upstreams)
    # a function that is right only when the upstream gradient is 1 must fail
    assert nb02.reciprocal_backward.check(lambda x, g: -1 / x**2 if g == 1 else 0.0) is False


def test_reciprocal_backward_stub_and_placeholder(capsys):
    def stub(x, dL_dy):
        ...

    assert nb02.reciprocal_backward.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()
    assert nb02.reciprocal_backward.check(...) is False
    assert nb02.reciprocal_backward.check(lambda x: 0.0) is False  # raises inside the check


# ------------------------------------------------------------ sum over paths


def test_diamond_paths_accepts_the_solution():
    assert nb02.diamond_paths.check((12, 24, 36)) is True
    assert nb02.diamond_paths.check([12.0, 24.0, Value(36.0)]) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        ((12, 24, 288), "add across paths"),  # multiplied the paths
        ((24, 12, 36), "swapped"),
        ((12, 24, 24), "total"),  # one path only
        ((4, 24, 28), "path through u"),  # forgot du/dx = 3
        ((12, 12, 24), "path through v"),  # used dv/dx = x instead of 2x
        (36, "Expected a tuple"),
    ],
)
def test_diamond_paths_rejects_wrong_answers(wrong, says, capsys):
    assert nb02.diamond_paths.check(wrong) is False
    assert says in capsys.readouterr().out


def test_diamond_paths_placeholder(capsys):
    assert nb02.diamond_paths.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


def test_diamond_total_agrees_with_the_engine():
    x = Value(2.0)
    u, v = 3 * x, x**2
    (u * v).backward()
    assert nb02.diamond_paths.check((12, 24, x.grad)) is True


# ------------------------------------------------------------------ all of them

EXERCISES = [
    (nb02.composition_slope, "answer"),
    (nb02.reciprocal_backward, "reciprocal_backward"),
    (nb02.diamond_paths, "answer"),
]


@pytest.mark.parametrize("exercise, name", EXERCISES)
def test_the_printed_solution_code_passes_its_check(exercise, name):
    code = exercise.solution_text.split("\n\n")[0]
    namespace = {}
    exec(code, namespace)
    assert exercise.check(namespace[name]) is True


@pytest.mark.parametrize("exercise, name", EXERCISES)
def test_every_exercise_has_graded_hints_and_a_solution(exercise, name, capsys):
    assert 2 <= len(exercise.hints) <= 3
    for _ in exercise.hints:
        exercise.hint()
    exercise.solution()
    out = capsys.readouterr().out
    assert f"Hint {len(exercise.hints)} of {len(exercise.hints)}" in out
    assert "Solution to" in out
