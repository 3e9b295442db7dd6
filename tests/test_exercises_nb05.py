"""Notebook 05's exercises accept the right answers and reject plausible wrong ones."""

import math

import pytest

from backproplab.engine import Value
from backproplab.exercises import nb05

# ------------------------------------------------------------------ neuron_by_hand

# the exercise's numbers, worked by hand as in the solution
N = 0.5 * 2.0 + (-0.5) * (-1.0) + (-0.25)
O = math.tanh(N)
DL_DW1 = 3 * (1 - O**2) * 2.0


def test_neuron_by_hand_accepts_the_solution():
    assert nb05.neuron_by_hand.check(O, DL_DW1)


def test_neuron_by_hand_accepts_engine_values():
    x1, x2, w1, w2, b = Value(2.0), Value(-1.0), Value(0.5), Value(-0.5), Value(-0.25)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    loss = 3 * o
    loss.backward()
    assert nb05.neuron_by_hand.check(o, w1.grad)


@pytest.mark.parametrize(
    "o, grad, why",
    [
        (O, (1 - O**2) * 2.0, "forgot the upstream gradient 3"),
        (O, 3 * (1 - O**2), "stopped at dL/dn, forgot x1"),
        (O, 3 * (1 - N**2) * 2.0, "used 1 - n**2 instead of 1 - o**2"),
        (O, -DL_DW1, "sign error"),
        (N, DL_DW1, "gave n instead of tanh(n)"),
        (math.tanh(0.5 * 2.0 - 0.5 - 0.25), DL_DW1, "sign slip in w2*x2"),
    ],
)
def test_neuron_by_hand_rejects_wrong_answers(o, grad, why, capsys):
    assert not nb05.neuron_by_hand.check(o, grad), why
    assert "not yet" in capsys.readouterr().out


def test_neuron_by_hand_names_the_missing_upstream_gradient(capsys):
    nb05.neuron_by_hand.check(O, (1 - O**2) * 2.0)
    assert "upstream" in capsys.readouterr().out


def test_neuron_by_hand_placeholder_is_not_answered(capsys):
    assert nb05.neuron_by_hand.check(..., ...) is False
    assert "not answered yet" in capsys.readouterr().out


# -------------------------------------------------------------- sigmoid_derivative


def sigmoid_prime(x):
    s = 1 / (1 + math.exp(-x))
    return s * (1 - s)


def test_sigmoid_derivative_accepts_the_solution():
    assert nb05.sigmoid_derivative.check(sigmoid_prime)


def test_sigmoid_derivative_accepts_a_value_based_answer():
    def with_engine(x):
        v = Value(x)
        v.sigmoid().backward()
        return v.grad

    assert nb05.sigmoid_derivative.check(with_engine)


@pytest.mark.parametrize(
    "wrong",
    [
        lambda x: 1 / (1 + math.exp(-x)),  # the sigmoid itself
        lambda x: 1 - (1 / (1 + math.exp(-x))) ** 2,  # tanh's rule applied to s
        lambda x: x * (1 - x),  # s(1 - s) with x in place of s
        lambda x: 0.25,  # right only at x = 0
        lambda x: (1 / (1 + math.exp(-x))) * (1 + 1 / (1 + math.exp(-x))),  # sign slip
    ],
)
def test_sigmoid_derivative_rejects_wrong_functions(wrong):
    assert not nb05.sigmoid_derivative.check(wrong)


def test_sigmoid_derivative_rejects_a_number_and_survives_a_raising_function(capsys):
    assert not nb05.sigmoid_derivative.check(0.25)

    def broken(x):
        raise RuntimeError("oops")

    assert not nb05.sigmoid_derivative.check(broken)
    assert "RuntimeError" in capsys.readouterr().out


def test_sigmoid_derivative_placeholder_is_not_answered(capsys):
    def stub(x):
        ...

    assert nb05.sigmoid_derivative.check(...) is False
    assert "not answered yet" in capsys.readouterr().out
    # the notebook's stub (body `...`) returns None: rejected, not an error
    assert nb05.sigmoid_derivative.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()


# ------------------------------------------------------------------ tanh_from_exp


def my_tanh(n):
    e = (2 * n).exp()
    return (e - 1) / (e + 1)


def test_tanh_from_exp_accepts_the_solution():
    assert nb05.tanh_from_exp.check(my_tanh)


def test_tanh_from_exp_accepts_the_exp_minus_exp_form():
    def other_form(n):
        return (n.exp() - (-n).exp()) / (n.exp() + (-n).exp())

    assert nb05.tanh_from_exp.check(other_form)


def half_angle(n):  # forgot the 2 in e**(2n)
    e = n.exp()
    return (e - 1) / (e + 1)


def uses_tanh(n):  # not built from exp at all
    return n.tanh()


def float_detour(n):  # right value, but exp of a float: the graph is cut
    e = Value(math.exp(2 * n.data))
    return (e - 1) / (e + 1) + 0 * n.exp()


def returns_float(n):
    return math.tanh(n.data)


@pytest.mark.parametrize("wrong", [half_angle, uses_tanh, float_detour, returns_float])
def test_tanh_from_exp_rejects_wrong_functions(wrong, capsys):
    assert not nb05.tanh_from_exp.check(wrong)
    assert "not yet" in capsys.readouterr().out


def test_tanh_from_exp_placeholder_is_not_answered(capsys):
    def stub(n):
        ...

    assert nb05.tanh_from_exp.check(...) is False
    assert "not answered yet" in capsys.readouterr().out
    assert nb05.tanh_from_exp.check(stub) is False
    assert "not answered yet" in capsys.readouterr().out.lower()


def test_every_exercise_has_graded_hints_and_a_solution(capsys):
    for exercise in (nb05.neuron_by_hand, nb05.sigmoid_derivative, nb05.tanh_from_exp):
        assert 2 <= len(exercise.hints) <= 3
        exercise.solution()
        assert exercise.title in capsys.readouterr().out


# ------------------------------------------------------------------ slowest_neuron


def grads_of_the_three_neurons():
    grads = []
    for w_, b_ in [(0.4, 0.1), (-2.0, 0.5), (3.0, 1.0)]:
        w = Value(w_)
        o = (Value(1.5) * w + b_).tanh()
        o.backward()
        grads.append(w.grad)
    return grads


def test_slowest_neuron_accepts_the_engines_gradients_and_c(capsys):
    grads = grads_of_the_three_neurons()
    # the saturated neuron C gets about 10,000 times less gradient than A
    assert grads[2] < grads[0] / 5000
    assert nb05.slowest_neuron.check(grads, "C")
    assert "9,501 times less" in capsys.readouterr().out


def test_slowest_neuron_names_the_saturation_slips(capsys):
    grads = grads_of_the_three_neurons()
    assert not nb05.slowest_neuron.check(grads, "B")  # the most negative sum
    assert "large |n|" in capsys.readouterr().out
    assert not nb05.slowest_neuron.check(grads, "A")  # the largest gradient
    assert "learns fastest" in capsys.readouterr().out
    local = [1 - math.tanh(n) ** 2 for n in (0.7, -2.5, 5.5)]
    assert not nb05.slowest_neuron.check(local, "C")  # do/dn, the factor x left out
    assert "multiply by x = 1.5" in capsys.readouterr().out
    # C's tiny gradient is compared relatively: 0 is not "close" to 1e-4
    assert not nb05.slowest_neuron.check(grads[:2] + [0.0], "C")
    assert "rounded" in capsys.readouterr().out


def test_slowest_neuron_placeholder_is_not_answered(capsys):
    assert nb05.slowest_neuron.check(..., ...) is False
    assert "not answered yet" in capsys.readouterr().out

