"""The exercises of notebook 01 accept the right answer and reject plausible wrong ones."""

import pytest

from backproplab.engine import Value
from backproplab.exercises import nb01


# ------------------------------------------------- gradient by central differences


def numerical_gradient(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        up = list(inputs)
        down = list(inputs)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def in_place_and_undone(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        inputs[i] += h
        up = f(*inputs)
        inputs[i] -= 2 * h
        down = f(*inputs)
        inputs[i] += h
        grads.append((up - down) / (2 * h))
    return grads


def forward(f, inputs, h):
    base = f(*inputs)
    grads = []
    for i in range(len(inputs)):
        up = list(inputs)
        up[i] += h
        grads.append((f(*up) - base) / h)
    return grads


def one_copy_never_undone(f, inputs, h):
    xs = list(inputs)
    grads = []
    for i in range(len(xs)):
        xs[i] += h
        up = f(*xs)
        xs[i] -= 2 * h
        down = f(*xs)
        grads.append((up - down) / (2 * h))
    return grads


def mutates_the_callers_list(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        inputs[i] += h
        up = f(*inputs)
        inputs[i] -= 2 * h
        grads.append((up - f(*inputs)) / (2 * h))
    return grads


def test_numerical_gradient_accepts_the_solution_and_an_in_place_variant(capsys):
    assert nb01.numerical_gradient.check(numerical_gradient) is True
    assert "correct" in capsys.readouterr().out
    assert nb01.numerical_gradient.check(in_place_and_undone) is True
    assert nb01.numerical_gradient.check(lambda f, xs, h: tuple(numerical_gradient(f, xs, h)))


@pytest.mark.parametrize(
    "wrong, says",
    [
        (forward, "forward difference"),
        (lambda f, xs, h: [g * 2 for g in numerical_gradient(f, xs, h)], "twice too big"),
        (lambda f, xs, h: [-g for g in numerical_gradient(f, xs, h)], "signs are flipped"),
        (one_copy_never_undone, "fresh copy"),
        (mutates_the_callers_list, "changed the list"),
        (lambda f, xs, h: numerical_gradient(f, xs, h)[:1], "expected 3 numbers"),
        (lambda f, xs, h: [-3.0, 2.0, 1.0], "x**3"),  # right for d = a*b + c only
    ],
)
def test_numerical_gradient_rejects_wrong_functions(wrong, says, capsys):
    assert nb01.numerical_gradient.check(wrong) is False
    assert says in capsys.readouterr().out


def test_numerical_gradient_stub_and_non_functions_are_rejected_without_raising(capsys):
    def stub(f, inputs, h):
        ...

    assert nb01.numerical_gradient.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()
    assert nb01.numerical_gradient.check(3.0) is False
    assert nb01.numerical_gradient.check(lambda f, xs, h: "slopes") is False
    assert nb01.numerical_gradient.check(lambda f, xs: [0.0]) is False  # raises inside


def test_numerical_gradient_placeholder(capsys):
    assert nb01.numerical_gradient.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


# ------------------------------------------------------------ forward vs central


def errors_of_the_cube():
    f = lambda x: x**3  # noqa: E731
    forward = (f(1.1) - f(1.0)) / 0.1
    central_ = (f(1.1) - f(0.9)) / (2 * 0.1)
    return abs(forward - 3), abs(central_ - 3)


def test_forward_vs_central_accepts_the_solution_and_rounded_values():
    assert nb01.forward_vs_central.check(errors_of_the_cube()) is True
    assert nb01.forward_vs_central.check([0.31, 0.01]) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        ((0.01, 0.31), "swapped"),
        ((3.31, 3.01), "estimate itself"),
        ((-0.31, -0.01), "never negative"),
        ((0.3, 0.01), "forward error"),  # forgot the h**2 term
        ((0.31, 0.0), "central error"),  # "central is exact", true only for quadratics
        ((0.31,), "expected 2 numbers"),
    ],
)
def test_forward_vs_central_rejects_wrong_answers(wrong, says, capsys):
    assert nb01.forward_vs_central.check(wrong) is False
    assert says in capsys.readouterr().out


def test_forward_vs_central_placeholder_and_junk(capsys):
    assert nb01.forward_vs_central.check(...) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb01.forward_vs_central.check("central") is False
    assert nb01.forward_vs_central.check((float("nan"), 0.01)) is False


# ---------------------------------------------------------------- partial slopes


def nudged_partials():
    f = lambda a, b, c: a * b**2 + c * a  # noqa: E731
    h = 1e-6
    base = f(2, -3, 10)
    return (
        (f(2 + h, -3, 10) - base) / h,
        (f(2, -3 + h, 10) - base) / h,
        (f(2, -3, 10 + h) - base) / h,
    )


def test_partial_slopes_accepts_exact_and_nudged_answers():
    assert nb01.partial_slopes.check((19, -12, 2)) is True
    assert nb01.partial_slopes.check(nudged_partials()) is True
    assert nb01.partial_slopes.check((Value(19.0), -12.0, 2.0)) is True


@pytest.mark.parametrize(
    "wrong, says",
    [
        ((9, -12, 2), "appears twice"),  # forgot the c*a term
        ((19, 12, 2), "sign is flipped"),
        ((19, -12, 10), "df/dc"),  # c's value instead of its slope
        ((-12, 19, 2), "df/da"),  # order mixed up
        ((19.03, -11.98, 2.0), "smaller h"),  # forward nudges with h = 0.01
    ],
)
def test_partial_slopes_rejects_wrong_answers(wrong, says, capsys):
    assert nb01.partial_slopes.check(wrong) is False
    assert says in capsys.readouterr().out


def test_partial_slopes_placeholder(capsys):
    assert nb01.partial_slopes.check(...) is False
    assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", [nb01.numerical_gradient, nb01.forward_vs_central, nb01.partial_slopes,
                                      nb01.choosing_h])
def test_every_exercise_has_graded_hints_and_a_solution(exercise, capsys):
    assert 2 <= len(exercise.hints) <= 3
    for _ in exercise.hints:
        exercise.hint()
    exercise.solution()
    out = capsys.readouterr().out
    assert f"Hint {len(exercise.hints)} of {len(exercise.hints)}" in out
    assert "Solution to" in out


@pytest.mark.parametrize(
    "exercise, name",
    [
        (nb01.numerical_gradient, "numerical_gradient"),
        (nb01.forward_vs_central, "answer"),
        (nb01.partial_slopes, "answer"),
        (nb01.choosing_h, "answer"),
    ],
)
def test_the_printed_solution_code_passes_its_check(exercise, name):
    code = exercise.solution_text.split("\n\n")[0]
    namespace = {}
    exec(code, namespace)
    assert exercise.check(namespace[name]) is True


def test_choosing_h_names_the_arm_of_the_v_a_wrong_step_sits_on(capsys):
    assert nb01.choosing_h.check((1e-12, "round-off")) is False
    assert "mostly round-off" in capsys.readouterr().out
    assert nb01.choosing_h.check((1e-2, "round-off")) is False
    assert "mostly truncation" in capsys.readouterr().out
    assert nb01.choosing_h.check((1e-5, "round-off")) is True
    assert "times larger" in capsys.readouterr().out
