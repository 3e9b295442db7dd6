"""The classic slips in an autograd engine, each pinned by a fixed, hand-worked example.

The random tests in test_engine.py catch most mistakes most of the time; these catch
each of the following every time, through the public API only:

- `=` where the chain rule needs `+=`: every op is tried on a value that is also used
  elsewhere in the same expression (`x**2 + x`, `a.tanh() + a`), so a backward rule
  that overwrites the gradient instead of adding to it loses a contribution;
- the upstream gradient dropped or divided by instead of multiplied by (the root is
  seeded with 2, not 1);
- guards at the wrong spot: division by exactly 1, `1 ** -1`, `0 ** 1`, `log(1)`;
- the helpers (`local_gradients`, `numerical_gradient`, `check_gradients`) at the
  points where a slip shows: after an earlier `backward()`, at an exact 0 gradient,
  for gradients far above 1, on a function whose third derivative is not 0;
- each error message saying what was wrong, not a vaguer one from further down.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Sequence

import pytest

from backproplab.engine import (
    Value,
    check_gradients,
    local_gradients,
    numerical_gradient,
    topological_order,
    weighted_sum,
)

UPSTREAM = 2.0  # the root's gradient: a rule that ignores it, or divides by it, is off
th = math.tanh
sg = 1 / (1 + math.exp(-0.6)), 1 / (1 + math.exp(0.6))  # sigmoid(0.6), sigmoid(-0.6)

# ------------------------------------------- a value used twice, in every op

# (description, f(x), x, d f / d x): the expression is then f(x) + x, whose gradient
# is f'(x) + 1; a rule that writes `=` instead of `+=` loses the 1 (or f'(x)).
ONE_INPUT = [
    ("x + 3", lambda x: x + 3, 0.6, 1.0),
    ("3 + x", lambda x: 3 + x, 0.6, 1.0),
    ("x - 3", lambda x: x - 3, 0.6, 1.0),
    ("3 - x", lambda x: 3 - x, 0.6, -1.0),
    ("x * 3", lambda x: x * 3, 0.6, 3.0),
    ("3 * x", lambda x: 3 * x, 0.6, 3.0),
    ("-x", lambda x: -x, 0.6, -1.0),
    ("x / 4", lambda x: x / 4, 0.6, 0.25),
    ("4 / x", lambda x: 4 / x, 0.6, -4 / 0.36),
    ("x ** 2", lambda x: x**2, 0.6, 1.2),
    ("x ** 3", lambda x: x**3, -0.6, 3 * 0.36),
    ("x ** -1", lambda x: x**-1, 0.6, -1 / 0.36),
    ("x ** 0.5", lambda x: x**0.5, 0.64, 0.5 / 0.8),
    ("x ** Value(3)", lambda x: x ** Value(3.0), 0.6, 3 * 0.36),
    ("2 ** x", lambda x: 2**x, 0.6, 2**0.6 * math.log(2)),
    ("x.exp()", lambda x: x.exp(), 0.6, math.exp(0.6)),
    ("x.log()", lambda x: x.log(), 0.6, 1 / 0.6),
    ("x.tanh()", lambda x: x.tanh(), 0.6, 1 - th(0.6) ** 2),
    ("x.tanh() at -0.6", lambda x: x.tanh(), -0.6, 1 - th(0.6) ** 2),
    ("x.relu()", lambda x: x.relu(), 0.6, 1.0),
    ("x.relu() at -0.6", lambda x: x.relu(), -0.6, 0.0),
    ("x.sigmoid()", lambda x: x.sigmoid(), 0.6, sg[0] * (1 - sg[0])),
    ("x.sigmoid() at -0.6", lambda x: x.sigmoid(), -0.6, sg[1] * (1 - sg[1])),
    ("weighted_sum([x], [3], 0)", lambda x: weighted_sum([x], [3.0], Value(0.0)), 0.6, 3.0),
    ("weighted_sum([3], [x], 0)", lambda x: weighted_sum([Value(3.0)], [x], Value(0.0)), 0.6, 3.0),
    ("weighted_sum([], [], x)", lambda x: weighted_sum([], [], x), 0.6, 1.0),
]


@pytest.mark.parametrize("what, f, x, slope", ONE_INPUT, ids=[c[0] for c in ONE_INPUT])
def test_an_op_on_a_value_also_used_elsewhere(what, f, x, slope):
    a = Value(x)
    out = f(a) + a
    out.backward(UPSTREAM)
    assert a.grad == pytest.approx(UPSTREAM * (slope + 1), rel=1e-12, abs=1e-15), what
    # and the other way round: the value's other use comes first
    b = Value(x)
    (b + f(b)).backward(UPSTREAM)
    assert b.grad == a.grad


# (description, f(a, b), a, b, d f / d a, d f / d b): the expression is f(a, b) + a * b,
# so each input's own gradient from f must be added to the one from a * b.
TWO_INPUTS = [
    ("a + b", lambda a, b: a + b, 0.6, 1.5, 1.0, 1.0),
    ("a - b", lambda a, b: a - b, 0.6, 1.5, 1.0, -1.0),
    ("a * b", lambda a, b: a * b, 0.6, 1.5, 1.5, 0.6),
    ("a / b", lambda a, b: a / b, 0.6, 1.5, 1 / 1.5, -0.6 / 1.5**2),
    ("a ** b", lambda a, b: a**b, 0.6, 1.5, 1.5 * 0.6**0.5, 0.6**1.5 * math.log(0.6)),
    ("weighted_sum([a], [b], a)", lambda a, b: weighted_sum([a], [b], a), 0.6, 1.5, 2.5, 0.6),
    ("weighted_sum([a, b], [b, a], b)", lambda a, b: weighted_sum([a, b], [b, a], b),
     0.6, 1.5, 3.0, 2.2),
]


@pytest.mark.parametrize("what, f, x, y, da, db", TWO_INPUTS, ids=[c[0] for c in TWO_INPUTS])
def test_a_two_input_op_whose_inputs_are_also_used_elsewhere(what, f, x, y, da, db):
    a, b = Value(x), Value(y)
    out = f(a, b) + a * b
    out.backward(UPSTREAM)
    assert a.grad == pytest.approx(UPSTREAM * (da + y), rel=1e-12), what
    assert b.grad == pytest.approx(UPSTREAM * (db + x), rel=1e-12), what


# one value as both operands: both contributions must be added
SAME_VALUE_TWICE = [
    ("x + x", lambda x: x + x, 0.6, 2.0),
    ("x - x", lambda x: x - x, 0.6, 0.0),
    ("x * x", lambda x: x * x, 0.6, 1.2),
    ("x / x", lambda x: x / x, 0.6, 0.0),
    ("x ** x", lambda x: x**x, 0.6, 0.6**0.6 * (math.log(0.6) + 1)),
    ("weighted_sum([x], [x], x)", lambda x: weighted_sum([x], [x], x), 0.6, 2.2),
]


@pytest.mark.parametrize("what, f, x, slope", SAME_VALUE_TWICE, ids=[c[0] for c in SAME_VALUE_TWICE])
def test_one_value_as_both_operands(what, f, x, slope):
    a = Value(x)
    out = f(a)
    out.backward(UPSTREAM)
    assert a.grad == pytest.approx(UPSTREAM * slope, rel=1e-12, abs=1e-15), what
    if what in ("x + x", "x * x", "x ** x", "weighted_sum([x], [x], x)"):  # one node
        assert local_gradients(out) == (pytest.approx(slope, rel=1e-12),)


def test_the_lectures_examples():
    x = Value(3.0)
    (x**2 + x).backward()
    assert x.grad == 7.0  # not 6: the `+ x` counts too
    a = Value(0.8813735870195432)  # tanh(a) = 0.7071...
    (a.tanh() + a).backward()
    assert a.grad == pytest.approx(1.5, rel=1e-12)  # 1 - 0.5 + 1, not 0.5


# ------------------------------------------------ guards at exactly the right spot


def test_division_by_exactly_one():
    a, b = Value(5.0), Value(1.0)
    out = a / b
    assert out.data == 5.0
    out.backward()
    assert (a.grad, b.grad) == (1.0, -5.0)
    c = Value(5.0)
    d = c / 1
    d.backward()
    assert (d.data, c.grad) == (5.0, 1.0)
    e = Value(1.0)
    f = 3 / e
    f.backward()
    assert (f.data, e.grad) == (3.0, -3.0)


@pytest.mark.parametrize(
    "x, n, data, slope",
    [
        (1.0, -1, 1.0, -1.0),  # 1 ** -1: not a division by zero
        (1.0, 0.5, 1.0, 0.5),  # the slope of sqrt at 1 is finite
        (1.0, -0.5, 1.0, -0.5),
        (0.0, 1, 0.0, 1.0),  # x ** 1 at 0: slope 1, no division by zero
        (0.0, 2, 0.0, 0.0),
        (0.0, 1.5, 0.0, 0.0),
        (0.0, 0, 1.0, 0.0),  # x ** 0 = 1 everywhere: slope 0
        (2.0, 0, 1.0, 0.0),
        (2.0, 1, 2.0, 1.0),
        (-2.0, 2, 4.0, -4.0),  # a negative base with a whole exponent
        (-2.0, -1, -0.5, -0.25),
        (-2.0, 3.0, -8.0, 12.0),  # 3.0 is a whole number too
    ],
)
def test_power_with_a_number_at_the_edges(x, n, data, slope):
    a = Value(x)
    out = a**n
    assert out.data == data
    out.backward()
    assert a.grad == slope


def test_power_errors_name_the_problem():
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* -1 is undefined"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* -0.5 is undefined"):
        Value(0.0) ** -0.5
    with pytest.raises(ValueError, match=r"\(-0.5\) \*\* 0.5: a negative base needs a whole"):
        Value(-0.5) ** 0.5
    out = Value(0.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match=r"derivative of x \*\* 0.5 at x = 0 is infinite"):
        out.backward()
    with pytest.raises(TypeError, match=r"the exponent of \*\* must be a real number"):
        Value(2.0) ** "2"


def test_value_power_value_at_base_one_and_the_edges():
    a, b = Value(1.0), Value(2.5)
    out = a**b
    assert out.data == 1.0
    out.backward()
    assert (a.grad, b.grad) == (2.5, 0.0)  # log(1) = 0
    with pytest.raises(ValueError, match="needs a positive base"):
        Value(0.0) ** Value(1.0)
    with pytest.raises(ValueError, match="needs a positive base"):
        Value(-1e-300) ** Value(1.0)
    small = Value(1e-300) ** Value(2.0)  # a positive base, however small, is accepted
    assert small.data == 0.0


def test_log_at_one_and_just_above_zero():
    a = Value(1.0)
    out = a.log()
    assert out.data == 0.0
    out.backward()
    assert a.grad == 1.0
    assert Value(1e-300).log().data == pytest.approx(math.log(1e-300))
    with pytest.raises(ValueError, match="log is defined for positive numbers only, got 0"):
        Value(0.0).log()


def test_relu_at_and_around_zero():
    for x, data, slope in [(0.0, 0.0, 0.0), (1e-300, 1e-300, 1.0), (-1e-300, 0.0, 0.0),
                           (1.0, 1.0, 1.0), (0.5, 0.5, 1.0)]:
        a = Value(x)
        out = a.relu()
        out.backward(UPSTREAM)
        assert (out.data, a.grad) == (data, UPSTREAM * slope), x


def test_relu_of_minus_zero_prints_as_zero():
    assert repr(Value(-0.0).relu()) == "Value(data=0, grad=0)"


@pytest.mark.parametrize("x", [0.0, 1e-300, -1e-300, 2.0, -2.0, 40.0, -40.0, 800.0, -800.0])
def test_sigmoid_on_both_sides(x):
    a = Value(x)
    out = a.sigmoid()
    exact = math.exp(-math.log1p(math.exp(-x))) if x > -700 else 0.0
    assert out.data == pytest.approx(exact, rel=1e-12, abs=1e-300)
    out.backward()
    assert a.grad == pytest.approx(out.data * (1 - out.data), rel=1e-12, abs=1e-300)
    assert 0.0 <= out.data <= 1.0


def test_exp_and_tanh_values():
    assert Value(1.0).exp().data == math.e
    assert Value(0.0).exp().data == 1.0
    assert Value(0.5).tanh().data == math.tanh(0.5)
    assert Value(-0.5).tanh().data == -math.tanh(0.5)
    with pytest.raises(OverflowError, match=r"exp\(710\) is too large for a float; exp accepts"):
        Value(710.0).exp()


def test_forward_values_of_the_compositions():
    a, b = Value(6.0), Value(1.5)
    assert (a - b).data == 4.5 and (b - a).data == -4.5
    assert (10 - a).data == 4.0 and (a - 10).data == -4.0
    assert (a / b).data == 4.0 and (3 / b).data == 2.0
    assert (-a).data == -6.0
    assert (2**b).data == 2**1.5 and (a**b).data == 6.0**1.5
    assert (3 + a).data == 9.0 and (3 * a).data == 18.0


# -------------------------------------------------------------- backward itself


def test_backward_seeds_the_root_with_one_by_default():
    a = Value(2.0)
    out = a * 3
    out.backward()
    assert (out.grad, a.grad) == (1.0, 3.0)


def test_backward_from_a_leaf_and_with_a_zero_seed():
    a = Value(2.0)
    a.backward()
    assert a.grad == 1.0
    b = Value(2.0)
    out = b * 3
    out.backward(0.0)
    assert (out.grad, b.grad) == (0.0, 0.0)


def test_backward_after_gradients_left_on_the_root_and_the_leaves():
    a, b = Value(2.0), Value(-3.0)
    out = a * b
    a.grad, b.grad, out.grad = 0.5, 0.25, 10.0  # left by something earlier
    out.backward(UPSTREAM)
    # this call adds its own share, once; nothing earlier is passed on again
    assert (a.grad, b.grad, out.grad) == (0.5 - 6.0, 0.25 + 4.0, 10.0 + UPSTREAM)


def test_finite_gradients_whose_sum_overflows_are_not_an_error():
    # every gradient is finite, though adding them all up would overflow
    a, b = Value(1.0), Value(2.0)
    out = a + b
    out.backward(1e308)
    assert (a.grad, b.grad, out.grad) == (1e308, 1e308, 1e308)


def test_an_overflowing_gradient_names_its_node():
    a = Value(1.0)
    out = a * 1e300
    with pytest.raises(OverflowError) as info:
        out.backward(1e10)
    assert "a gradient overflowed to inf at a leaf node (data 1);" in str(info.value)
    b = Value(1e-300)
    with pytest.raises(OverflowError) as info:
        (b**-1).backward()
    assert "overflowed to -inf at a leaf node (data 1e-300)" in str(info.value)


def test_zero_grad_resets_every_node_of_the_graph():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    out = c.tanh() + a
    out.backward()
    out.zero_grad()
    assert [n.grad for n in topological_order(out)] == [0.0] * len(topological_order(out))


def test_topological_order_of_a_chain_and_a_shared_input():
    a = Value(1.0, label="a")
    b = a * 2
    c = b + a
    d = c.relu()
    order = topological_order(d)
    assert order == [a, order[1], b, c, d]  # a, the constant 2, then each result
    assert order[1].data == 2.0
    assert topological_order(a) == [a]


# ------------------------------------------------------------- local gradients


def test_local_gradients_after_an_earlier_backward():
    a, b = Value(3.0), Value(-4.0)
    out = a * b
    out.backward()
    assert (a.grad, b.grad) == (-4.0, 3.0)
    # the gradients already there are not part of the answer ...
    assert local_gradients(out) == (-4.0, 3.0)
    assert local_gradients(a + b) == (1.0, 1.0)
    # ... and they are left as they were
    assert (a.grad, b.grad, out.grad) == (-4.0, 3.0, 1.0)


def test_local_gradients_of_each_op():
    a, b = Value(0.6), Value(1.5)
    assert local_gradients(a / b) == (pytest.approx(1 / 1.5), 0.6)  # a * b**-1: a root "*"
    assert local_gradients(a**3) == (pytest.approx(3 * 0.36),)
    assert local_gradients(a.exp()) == (math.exp(0.6),)
    assert local_gradients(a.relu()) == (1.0,)
    assert local_gradients((-a).relu()) == (0.0,)
    assert local_gradients(weighted_sum([a], [b], a)) == (2.5, 0.6)


def test_local_gradients_that_overflow_say_so():
    with pytest.raises(OverflowError) as info:
        local_gradients(Value(1e-300) ** -1)
    message = str(info.value)
    assert "a local derivative of this **-1 node (data 1e+300) is too large" in message
    assert "(-inf,)" in message


def test_local_gradients_needs_a_value():
    with pytest.raises(TypeError, match=r"expected a Value, got list \[1.0\]"):
        local_gradients([1.0])
    with pytest.raises(TypeError, match="expected a Value, got float 3.0"):
        topological_order(3.0)


# ----------------------------------------------------- numerical gradients, checks


def test_numerical_gradients_default_step_is_small():
    # central differences are exact for a quadratic whatever h is; not for a cubic,
    # where the error is h**2 * f'''/6: small only when h is
    assert numerical_gradient(lambda a: a**3, [1.0]) == [pytest.approx(3.0, abs=1e-6)]
    result = check_gradients(lambda a: a**3, [1.0])
    assert result.numeric == [pytest.approx(3.0, abs=1e-6)]
    assert result.errors[0] < 1e-6
    # a larger step, asked for, gives the larger error
    assert numerical_gradient(lambda a: a**3, [1.0], h=0.5) == [pytest.approx(3.25)]
    assert check_gradients(lambda a: a**3, [1.0], h=0.5).numeric == [pytest.approx(3.25)]


def test_numerical_gradient_of_each_input_in_turn():
    grads = numerical_gradient(lambda a, b, c: a * 2 + b * 3 + c * c, [0.0, 0.0, 1.0], h=0.5)
    assert grads == [2.0, 3.0, 2.0]


def test_a_numerical_gradient_too_large_for_a_float():
    with pytest.raises(OverflowError, match="numerical gradient for input 0 is too large"):
        numerical_gradient(lambda a: a * 1e308, [0.0], h=1.5)


def test_check_gradients_at_an_exact_zero_gradient():
    result = check_gradients(lambda a, b: b * b + a * 0, [1.0, 0.0])
    assert result.analytic == [0.0, 0.0] and result.numeric == [0.0, 0.0]
    assert result.errors == [0.0, 0.0]
    assert result


def test_check_gradients_for_gradients_far_above_one():
    result = check_gradients(lambda a: a**3, [100.0])
    assert result.analytic == [30000.0]
    assert result  # a relative error of about 1e-9: they agree
    assert result.errors[0] < 1e-8
    assert "MISMATCH" not in repr(result)


def square_with_a_wrong_backward(a):
    """a * a whose backward passes back a.data instead of 2 * a.data."""
    out = a * a

    def _backward(node, grad):  # the engine's shape: the rule gets its node and d(loss)/d(node)
        a.grad += a.data * grad

    out._backward = _backward
    return out


def test_check_gradients_error_is_relative_above_one_and_absolute_below():
    big = check_gradients(square_with_a_wrong_backward, [1.5])
    assert big.analytic == [1.5] and big.numeric == [pytest.approx(3.0)]
    assert big.errors == [pytest.approx(0.5)]  # |1.5 - 3| / 3
    small = check_gradients(square_with_a_wrong_backward, [0.25])
    assert small.errors == [pytest.approx(0.25)]  # |0.25 - 0.5| / 1
    negative = check_gradients(square_with_a_wrong_backward, [-1.5])
    assert negative.errors == [pytest.approx(0.5)]  # |-1.5 + 3| / 3
    assert not big and not small and not negative


def test_check_gradients_tolerance_is_inclusive():
    # exact numbers: 3a at 0 with h = 0.5 is (1.5 + 1.5) / 1
    exact = check_gradients(lambda a: a * 3, [0.0], h=0.5, tolerance=0)
    assert exact.errors == [0.0] and exact
    assert repr(exact) == (
        "input        backprop       numerical  rel. error\n"
        "a          3.00000000      3.00000000    0.00e+00  ok\n"
        "all gradients agree (tolerance 0)"
    )
    # an error of exactly the tolerance passes; just above it does not
    half = check_gradients(square_with_a_wrong_backward, [0.5], h=0.5)
    assert half.errors == [0.5]
    assert check_gradients(square_with_a_wrong_backward, [0.5], h=0.5, tolerance=0.5)
    assert not check_gradients(square_with_a_wrong_backward, [0.5], h=0.5, tolerance=0.4999)


def test_check_gradients_table_lines_up_long_names():
    result = check_gradients(lambda weight_one, b: weight_one * 0 + b * 3, [0.0, 0.0], h=0.5)
    assert repr(result).splitlines() == [
        "input             backprop       numerical  rel. error",
        "weight_one      0.00000000      0.00000000    0.00e+00  ok",
        "b               3.00000000      3.00000000    0.00e+00  ok",
        "all gradients agree (tolerance 1e-05)",
    ]
    mismatch = check_gradients(square_with_a_wrong_backward, [0.5], h=0.5, tolerance=0.1)
    assert repr(mismatch).splitlines()[1:] == [
        "a          0.50000000      1.00000000    5.00e-01  MISMATCH",
        "some gradients disagree (tolerance 0.1)",
    ]


def test_check_gradients_names_come_from_the_function():
    def f(x, y):
        return x * y

    assert check_gradients(f, [1.0, 2.0]).names == ["x", "y"]
    assert check_gradients(lambda *v: v[0] * v[1], [1.0, 2.0]).names == ["x0", "x1"]
    assert check_gradients(lambda a, b=2.0: a * b, [1.0]).names == ["x0"]
    assert check_gradients(Value.tanh, [0.5]).names == ["self"]
    # the tolerance given is the one used
    assert check_gradients(f, [1.0, 2.0], tolerance=0.25).tolerance == 0.25


def test_check_gradients_names_a_single_input_given_through_star_args_x0():
    # one input taken as *v is input x0, as two are x0 and x1: "v" is the tuple of them all
    assert check_gradients(lambda *v: v[0] * 2, [1.0]).names == ["x0"]


def test_check_gradients_leaves_nothing_behind():
    result = check_gradients(lambda a, b: a * b, [2.0, 3.0])
    assert result.analytic == [3.0, 2.0]  # one backward pass, not accumulated over calls
    again = check_gradients(lambda a, b: a * b, [2.0, 3.0])
    assert again.analytic == [3.0, 2.0]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: check_gradients(lambda a: a, [1.0], tolerance=-1),
         "tolerance must be 0 or more, got -1.0"),
        (lambda: check_gradients(lambda a: a, [1.0], tolerance="1"),
         "tolerance must be a real number"),
        (lambda: check_gradients(lambda a: a, [1.0], h=0),
         "h must be a small positive number, got 0.0"),
        (lambda: numerical_gradient(lambda a: a, [1.0], h=-1.0),
         "h must be a small positive number, got -1.0"),
        (lambda: numerical_gradient(lambda a: a, [1.0], h=math.inf), "h must be a finite number"),
        (lambda: check_gradients(lambda a: 2.0, [1.0]), "f must return a Value, got float 2.0"),
        (lambda: check_gradients("f", [1.0]), "f must be a function of Values, got str 'f'"),
        (lambda: numerical_gradient(lambda a: a, "1"),
         "inputs must be a list of numbers, one per argument of f, got str '1'"),
        (lambda: numerical_gradient(lambda a: a, 1.0),
         "inputs must be a list of numbers, one per argument of f, got float 1.0"),
        (lambda: numerical_gradient(lambda a: a, [True]), "each input must be a real number"),
        (lambda: numerical_gradient(lambda a: [a], [1.0]),
         "the function's result must be a real number"),
    ],
)
def test_gradient_checker_messages(call, message):
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert message in str(info.value)


def test_inputs_may_be_any_iterable_of_numbers():
    assert numerical_gradient(lambda a, b: a * b, (2.0, 3.0), h=0.5) == [3.0, 2.0]
    assert check_gradients(lambda a, b: a * b, iter([2, 3]))


# --------------------------------------------------------- the error messages


@pytest.mark.parametrize(
    "op, symbol",
    [
        (lambda v, x: v + x, "+"),
        (lambda v, x: x + v, "+"),
        (lambda v, x: v - x, "-"),
        (lambda v, x: x - v, "-"),
        (lambda v, x: v * x, "*"),
        (lambda v, x: x * v, "*"),
        (lambda v, x: v / x, "/"),
        (lambda v, x: x / v, "/"),
        (lambda v, x: x**v, "**"),
    ],
)
@pytest.mark.parametrize("bad", ["3", True, None])
def test_a_bad_operand_names_the_operation(op, symbol, bad):
    with pytest.raises(TypeError) as info:
        op(Value(2.0), bad)
    assert str(info.value) == (
        f"unsupported operand for {symbol}: {type(bad).__name__} {bad!r}; "
        "a Value combines with another Value, an int or a float"
    )


def test_a_bad_input_to_weighted_sum_names_it():
    with pytest.raises(TypeError) as info:
        weighted_sum([Value(1.0)], [True], Value(0.0))
    assert str(info.value).startswith("unsupported operand for weighted_sum: bool True")


@pytest.mark.parametrize(
    "weights, inputs, message",
    [
        (Value(1.0), [1.0], "weighted_sum needs a list of weights, got Value"),
        ("w", [1.0], "weighted_sum needs a list of weights, got str 'w'"),
        ({Value(1.0)}, [1.0], "weighted_sum needs a list of weights, got set"),
        ([Value(1.0)], Value(1.0), "weighted_sum needs a list of inputs, got Value"),
        ([Value(1.0)], b"a", "weighted_sum needs a list of inputs, got bytes b'a'"),
        ([Value(1.0)], 1.0, "weighted_sum needs a list of inputs, got float 1.0"),
        ([1.0], [1.0], "weighted_sum needs Values as weights and bias (they get gradients), "
                       "got float 1.0"),
    ],
)
def test_weighted_sum_says_which_argument_is_wrong(weights, inputs, message):
    with pytest.raises(TypeError) as info:
        weighted_sum(weights, inputs, Value(0.0))
    assert str(info.value).startswith(message)


def test_weighted_sum_with_a_bad_bias_names_it():
    with pytest.raises(TypeError, match="got str 'b'"):
        weighted_sum([Value(1.0)], [1.0], "b")
    with pytest.raises(TypeError, match="got NoneType None"):
        weighted_sum([], [], None)


class Row(Sequence):
    """A sequence that is neither a list nor a tuple (like a user's own container)."""

    def __init__(self, *items):
        self.items = items

    def __getitem__(self, i):
        return self.items[i]

    def __len__(self):
        return len(self.items)


def test_weighted_sum_takes_any_sequence():
    w = Value(2.0)
    out = weighted_sum(Row(w), Row(3.0), Value(1.0))
    assert out.data == 7.0
    out = weighted_sum((w,), (3.0,), Value(1.0))
    assert out.data == 7.0
    with pytest.raises(ValueError, match="got 2 inputs for 1 weights"):
        weighted_sum(Row(w), Row(1.0, 2.0), Value(1.0))


@pytest.mark.parametrize(
    "bad, text",
    [
        ("x" * 38, "str '" + "x" * 38 + "'"),  # a repr of exactly 40 characters: kept whole
        ("x" * 39, "str '" + "x" * 36 + "..."),  # 41 characters: cut to 37 and '...'
    ],
)
def test_long_values_are_shortened_in_messages(bad, text):
    with pytest.raises(TypeError) as info:
        Value(bad)
    assert str(info.value) == f"Value data must be a real number (int or float), got {text}"


def test_number_errors_say_what_was_wrong():
    with pytest.raises(ValueError) as info:
        Value(10**400)
    assert str(info.value).startswith(
        "Value data must fit in a float (magnitude up to about 1.8e308), got int 1000"
    )
    with pytest.raises(ValueError, match=r"^Value data must be a finite number, got nan$"):
        Value(math.nan)
    with pytest.raises(OverflowError, match=r"^the result of \* is too large for a float \(inf\)"):
        Value(1e200) * 1e200


def test_the_graph_of_a_negation_is_one_multiplication_by_minus_one():
    a = Value(2.0)
    out = -a
    order = topological_order(out)
    assert [(n._op, n.data) for n in order] == [("", 2.0), ("", -1.0), ("*", -2.0)]


def test_values_keep_their_label_and_operation():
    a = Value(2, label="a")
    assert (a.data, a.label, a._op) == (2.0, "a", "")
    assert (a * 2)._op == "*" and (a**2)._op == "**2" and (a + 1).label == ""
    assert repr(a * 2) == "Value(data=4, grad=0)"


# ------------------------------------------------------------ the garbage collector


def _threshold_after_import(first: int) -> tuple[int, ...]:
    code = (
        "import gc; gc.set_threshold({}, 11, 12); import backproplab.engine; "
        "print(tuple(gc.get_threshold()))".format(first)
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(out.stdout)


def test_importing_the_engine_tunes_the_garbage_collector():
    # the default 700 is raised, the other two generations left as they were
    assert _threshold_after_import(700) == (500_000, 11, 12)
    assert _threshold_after_import(1) == (500_000, 11, 12)
    # a collector switched off (threshold 0), or already higher, is left alone
    assert _threshold_after_import(0) == (0, 11, 12)
    assert _threshold_after_import(2_000_000) == (2_000_000, 11, 12)


def test_a_misspelt_attribute_is_an_error_not_a_new_field():
    # Values have a fixed set of fields: `v.grads = 0` (for `v.grad`) must not pass silently
    v = Value(1.0)
    with pytest.raises(AttributeError):
        v.grads = 0.0
    with pytest.raises(AttributeError):
        (v * 2).dat = 3.0


class Unsigned:
    """A callable whose signature cannot be read (inspect.signature raises)."""

    __signature__ = "not a signature"

    def __call__(self, a):
        return a * a


def test_check_gradients_names_inputs_of_a_callable_without_a_signature():
    result = check_gradients(Unsigned(), [2.0])
    assert result.names == ["x0"] and result.analytic == [4.0]


@pytest.mark.parametrize("kwargs", [{"h": 0}, {"h": "small"}, {"tolerance": -1}, {"tolerance": None}])
def test_check_gradients_checks_its_settings_before_calling_f(kwargs):
    calls = []

    def f(a):
        calls.append(a)
        return a * a

    with pytest.raises((TypeError, ValueError)) as info:
        check_gradients(f, [1.0], **kwargs)
    assert next(iter(kwargs)) in str(info.value)  # the message names the setting
    assert calls == []  # and f was never run


# ----------------------------------------- other real numbers than int and float

def test_other_real_numbers_are_accepted_as_data_and_as_operands():
    # the fast paths for int and float must not turn other real numbers away: a
    # Fraction (or a numpy float, which learners pass too) is a number like any other
    from fractions import Fraction

    assert Value(Fraction(3, 4)).data == 0.75
    assert (Value(1.0) + Fraction(1, 2)).data == 1.5
    assert (Fraction(1, 2) * Value(4.0)).data == 2.0
    with pytest.raises(TypeError, match="unsupported operand for \\+: bool True"):
        Value(1.0) + True
