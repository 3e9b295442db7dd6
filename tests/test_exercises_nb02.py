"""The exercises of notebook 02 accept the right answer and reject plausible wrong ones."""

import pytest

from backproplab.engine import Value
from backproplab.exercises import nb02

# --------------------------------------------------------- slope of a composition


def test_composition_slope_accepts_the_hand_and_numeric_answers():
    assert nb02.composition_slope.check(3 * 10**2 * 2 * 3) is True
    f = lambda x: (x**2 + 1) ** 3  # noqa: E731
    assert nb02.composition_slope.check((f(3 + 1e-6) - f(3 - 1e-6)) / 2e-6) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        (300, "outer function"),  # forgot the inner slope
        (1000, "value y itself"),
        (600, "missing a factor"),  # 3u**2 * 2: forgot the x (at x = 1 this was right)
        (180, "3u**2"),  # 3u * 2x: forgot to square u
        (-1800, "sign is flipped"),
        (24, "worked example"),
        (1813.8, "close but not close enough"),  # a forward difference with h = 0.01
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
    assert nb02.diamond_paths.check((48, 96, 144)) is True
    assert nb02.diamond_paths.check([48.0, 96.0, Value(144.0)]) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        ((48, 96, 4608), "add across paths"),  # multiplied the paths
        ((96, 48, 144), "swapped"),
        ((48, 96, 96), "one path only"),
        ((16, 96, 112), "path through u"),  # forgot du/dx = 3
        ((48, 48, 96), "not x"),  # used dv/dx = x instead of 2x
        ((48, 192, 240), "L itself"),  # u * v, right at x = 2 only
        (144, "give a list or tuple"),
    ],
)
def test_diamond_paths_rejects_wrong_answers(wrong, says, capsys):
    assert nb02.diamond_paths.check(wrong) is False
    assert says in capsys.readouterr().out


def test_diamond_paths_placeholder(capsys):
    assert nb02.diamond_paths.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


def test_diamond_total_agrees_with_the_engine():
    x = Value(4.0)
    u, v = 3 * x, x**2
    (u * v).backward()
    assert nb02.diamond_paths.check((48, 96, x.grad)) is True


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
