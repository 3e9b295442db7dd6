"""Tests for the scalar autograd engine (`backproplab.engine`).

Gradients are checked three ways: against central differences at hypothesis-chosen
points, against sympy's symbolic derivatives of random expression trees, and against
hand-worked graph shapes (reuse, diamonds, a very deep chain).
"""

from __future__ import annotations

import gc
import math
import weakref

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backproplab.engine import (
    GradientCheck,
    Value,
    check_gradients,
    local_gradients,
    numerical_gradient,
    topological_order,
    weighted_sum,
)

# ------------------------------------------------------------------ helpers


def central_difference(f, xs, i, h=1e-6):
    """(f(x + h e_i) - f(x - h e_i)) / 2h, with f evaluated on fresh Values."""
    up = [Value(x + h if j == i else x) for j, x in enumerate(xs)]
    down = [Value(x - h if j == i else x) for j, x in enumerate(xs)]
    return (f(*up).data - f(*down).data) / (2 * h)


def assert_gradients_match_differences(f, xs, upstream=1.0, h=1e-6, rel=1e-5):
    """backward(gradient=upstream) gives upstream * the central difference, per input."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward(gradient=upstream)
    scale = max(1.0, abs(out.data))
    for i, leaf in enumerate(leaves):
        numeric = upstream * central_difference(f, xs, i, h)
        tolerance = rel * max(scale, abs(leaf.grad)) * max(1.0, abs(upstream))
        assert abs(leaf.grad - numeric) <= tolerance, (i, xs, leaf.grad, numeric)


def finite(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo, hi):
    """Floats with lo <= |x| <= hi, either sign."""
    return st.tuples(finite(lo, hi), st.booleans()).map(lambda t: -t[0] if t[1] else t[0])


upstreams = st.sampled_from([1.0, -2.5, 0.3, 7.0])

# ------------------------------------------- every op against central differences


@given(finite(-10, 10), finite(-10, 10), upstreams)
def test_add_sub_mul_gradients(x, y, g):
    for f in (lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b):
        assert_gradients_match_differences(f, [x, y], g)


@given(finite(-10, 10), finite(-10, 10), upstreams)
def test_ops_with_a_number_on_either_side(x, c, g):
    ops = [
        lambda a: a + c,
        lambda a: c + a,
        lambda a: a - c,
        lambda a: c - a,
        lambda a: a * c,
        lambda a: c * a,
        lambda a: -a,
    ]
    for f in ops:
        assert_gradients_match_differences(f, [x], g)


@given(finite(-10, 10), away_from_zero(0.1, 10), upstreams)
def test_division_gradients(x, y, g):
    assert_gradients_match_differences(lambda a, b: a / b, [x, y], g)
    assert_gradients_match_differences(lambda b: x / b, [y], g)  # number / Value
    assert_gradients_match_differences(lambda a: a / y, [x], g)  # Value / number


def test_division_values():
    assert (Value(7.0) / 2).data == 3.5
    assert (7 / Value(2.0)).data == 3.5
    assert (Value(7.0) / Value(-2.0)).data == -3.5
    assert (Value(7.0) - 2).data == 5.0
    assert (7 - Value(2.0)).data == 5.0
    assert (-Value(7.0)).data == -7.0


@given(finite(0.1, 5), st.sampled_from([-3, -2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 2.7]), upstreams)
def test_power_with_number_exponent(x, n, g):
    assert_gradients_match_differences(lambda a: a**n, [x], g)
    out = Value(x) ** n
    assert out.data == pytest.approx(x**n, rel=1e-12)


@given(away_from_zero(0.1, 5), st.integers(-3, 4), upstreams)
def test_negative_base_with_whole_exponent(x, n, g):
    assert_gradients_match_differences(lambda a: a**n, [x], g)


def test_power_at_zero_base():
    a = Value(0.0)
    (a**0).backward()  # x ** 0 = 1 everywhere: slope 0, also at 0
    assert a.grad == 0.0
    a = Value(0.0)
    (a**2).backward()
    assert a.grad == 0.0
    a = Value(0.0)
    (a**1).backward()
    assert a.grad == 1.0


@given(finite(0.1, 5), finite(-3, 3), upstreams)
def test_power_with_value_exponent(x, y, g):
    # both the base and the exponent get gradients
    assert_gradients_match_differences(lambda a, b: a**b, [x, y], g)
    # a number base: number ** Value
    assert_gradients_match_differences(lambda b: x**b, [y], g)
    a, b = Value(x), Value(y)
    out = a**b
    out.backward()
    assert out.data == pytest.approx(x**y, rel=1e-12)
    assert a.grad == pytest.approx(y * x ** (y - 1), rel=1e-9)
    assert b.grad == pytest.approx(x**y * math.log(x), rel=1e-9, abs=1e-12)


@given(finite(-20, 20), upstreams)
def test_exp_gradient(x, g):
    assert_gradients_match_differences(lambda a: a.exp(), [x], g)


@given(finite(0.01, 100), upstreams)
def test_log_gradient(x, g):
    assert_gradients_match_differences(lambda a: a.log(), [x], g)


@given(finite(-5, 5), upstreams)
def test_tanh_and_sigmoid_gradients(x, g):
    assert_gradients_match_differences(lambda a: a.tanh(), [x], g)
    assert_gradients_match_differences(lambda a: a.sigmoid(), [x], g)
    assert Value(x).tanh().data == pytest.approx(math.tanh(x), rel=1e-12, abs=1e-15)
    assert Value(x).sigmoid().data == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-12)


@given(away_from_zero(1e-3, 10), upstreams)
def test_relu_gradient(x, g):
    assert_gradients_match_differences(lambda a: a.relu(), [x], g)
    assert Value(x).relu().data == max(0.0, x)


def test_relu_at_zero_passes_no_gradient():
    a = Value(0.0)
    a.relu().backward()
    assert a.grad == 0.0


@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(finite(-3, 3), min_size=n, max_size=n),
            st.lists(finite(-3, 3), min_size=n, max_size=n),
            finite(-3, 3),
        )
    ),
    upstreams,
)
def test_weighted_sum_gradients(wxb, g):
    ws, xs, b = wxb
    n = len(ws)

    def f(*args):
        return weighted_sum(args[:n], args[n : 2 * n], args[2 * n])

    assert_gradients_match_differences(f, [*ws, *xs, b], g)
    # the same number as the chain of * and + it replaces
    out = weighted_sum([Value(w) for w in ws], [Value(x) for x in xs], Value(b))
    chain = Value(b)
    for w, x in zip(ws, xs):
        chain = chain + Value(w) * Value(x)
    assert out.data == chain.data
    assert out._op == "w·x+b"


def test_weighted_sum_takes_plain_numbers_as_inputs():
    w, b = [Value(2.0), Value(-1.0)], Value(0.5)
    out = weighted_sum(w, [3.0, 4], b)
    out.backward(gradient=2.0)
    assert out.data == 2.5
    assert [v.grad for v in w] == [6.0, 8.0]
    assert b.grad == 2.0


def test_weighted_sum_with_a_value_in_several_roles():
    a = Value(3.0)
    out = weighted_sum([a], [a], a)  # a * a + a
    out.backward()
    assert out.data == 12.0
    assert a.grad == 7.0  # 2a + 1


# ------------------------------------------- an independent reference: sympy

SYMBOLS = sympy.symbols("a b c")

leaves = st.one_of(
    st.sampled_from([("var", 0), ("var", 1), ("var", 2)]),
    st.sampled_from([-2.0, -0.5, 0.5, 1.5, 3.0]).map(lambda c: ("const", c)),
)
UNARY = ["neg", "exp", "log", "tanh", "relu", "sigmoid", "pow2", "pow3", "powhalf", "powm1"]
BINARY = ["+", "-", "*", "/", "**", "+num", "num-", "num*", "num/"]


def extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), children),
        st.tuples(st.sampled_from(BINARY), children, children),
        st.tuples(st.just("wsum"), children, children, children),
    )


trees = st.recursive(leaves, extend, max_leaves=6)


class Domain(Exception):
    """The tree is outside where the comparison is meaningful (skip the example)."""


def build_value(tree, env):
    """The tree as engine Values; raises Domain where a float comparison is unfair."""
    kind = tree[0]
    if kind == "var":
        return env[tree[1]]
    if kind == "const":
        return tree[1]
    args = [build_value(t, env) for t in tree[1:]]
    args = [x if isinstance(x, Value) else Value(x) for x in args]
    x = args[0]
    if abs(x.data) > 1e4:
        raise Domain
    if kind == "neg":
        return -x
    if kind == "exp":
        if x.data > 20:
            raise Domain
        return x.exp()
    if kind == "log":
        if x.data < 1e-3:
            raise Domain
        return x.log()
    if kind == "tanh":
        return x.tanh()
    if kind == "relu":
        if abs(x.data) < 1e-6:  # the kink
            raise Domain
        return x.relu()
    if kind == "sigmoid":
        return x.sigmoid()
    if kind == "pow2":
        return x**2
    if kind == "pow3":
        return x**3
    if kind == "powhalf":
        if x.data < 1e-3:
            raise Domain
        return x**0.5
    if kind == "powm1":
        if abs(x.data) < 1e-3:
            raise Domain
        return x**-1
    y = args[1]
    if abs(y.data) > 1e4:
        raise Domain
    if kind == "+":
        return x + y
    if kind == "-":
        return x - y
    if kind == "*":
        return x * y
    if kind == "/":
        if abs(y.data) < 1e-3:
            raise Domain
        return x / y
    if kind == "**":
        if x.data < 1e-2 or abs(y.data) > 5:
            raise Domain
        return x**y
    if kind == "+num":
        return x + 2.5
    if kind == "num-":
        return 2.5 - x
    if kind == "num*":
        return -1.5 * x
    if kind == "num/":
        if abs(x.data) < 1e-3:
            raise Domain
        return 2.0 / x
    if kind == "wsum":
        return weighted_sum([x, y], [y, 0.75], args[2])
    raise AssertionError(kind)


def build_sympy(tree):
    kind = tree[0]
    if kind == "var":
        return SYMBOLS[tree[1]]
    if kind == "const":
        return sympy.Float(tree[1])
    args = [build_sympy(t) for t in tree[1:]]
    x = args[0]
    unary = {
        "neg": lambda: -x,
        "exp": lambda: sympy.exp(x),
        "log": lambda: sympy.log(x),
        "tanh": lambda: sympy.tanh(x),
        "relu": lambda: sympy.Piecewise((x, x > 0), (0, True)),
        "sigmoid": lambda: 1 / (1 + sympy.exp(-x)),
        "pow2": lambda: x**2,
        "pow3": lambda: x**3,
        "powhalf": lambda: sympy.sqrt(x),
        "powm1": lambda: 1 / x,
        "+num": lambda: x + sympy.Float(2.5),
        "num-": lambda: sympy.Float(2.5) - x,
        "num*": lambda: sympy.Float(-1.5) * x,
        "num/": lambda: sympy.Float(2.0) / x,
    }
    if kind in unary:
        return unary[kind]()
    y = args[1]
    binary = {
        "+": lambda: x + y,
        "-": lambda: x - y,
        "*": lambda: x * y,
        "/": lambda: x / y,
        "**": lambda: x**y,
        "wsum": lambda: x * y + y * sympy.Float(0.75) + args[2],
    }
    return binary[kind]()


def close(got, expected, rel=1e-7):
    return abs(got - expected) <= rel * max(1.0, abs(expected))


@settings(max_examples=150)
@given(trees, st.tuples(finite(-2, 2), finite(-2, 2), finite(-2, 2)), upstreams)
def test_random_expressions_agree_with_sympy(tree, point, g):
    env = [Value(x) for x in point]
    try:
        out = build_value(tree, env)
        if not isinstance(out, Value):
            out = Value(out)
        assume(abs(out.data) < 1e6)
        out.backward(gradient=g)
    except Domain:
        assume(False)
    expr = build_sympy(tree)
    subs = {s: sympy.Float(x, 30) for s, x in zip(SYMBOLS, point)}
    assert close(out.data, float(expr.evalf(30, subs=subs)), rel=1e-9), (tree, point)
    for symbol, leaf in zip(SYMBOLS, env):
        exact = float(sympy.diff(expr, symbol).evalf(30, subs=subs))
        assert close(leaf.grad, g * exact), (tree, point, symbol, leaf.grad, g * exact)


# ------------------------------------------------------------------ graph shapes


def test_value_used_twice_gets_both_contributions():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_b_is_a_plus_a_and_c_is_b_plus_b():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert c.data == 12.0
    assert b.grad == 2.0
    assert a.grad == 4.0


def test_diamond():
    # a feeds b and c, both feed d: d(d)/d(a) sums the two paths
    a = Value(2.0)
    b = a * 3
    c = a.exp()
    d = b * c
    d.backward(gradient=0.5)
    # d = 3a e^a; dd/da = 3 e^a + 3a e^a
    assert a.grad == pytest.approx(0.5 * (3 * math.exp(2) + 6 * math.exp(2)), rel=1e-12)
    assert b.grad == pytest.approx(0.5 * math.exp(2), rel=1e-12)
    assert c.grad == pytest.approx(0.5 * 6.0, rel=1e-12)


def test_a_million_deep_chain():
    depth = 1_000_000
    x = Value(0.5)
    node = x
    gc.disable()  # nothing to collect while building; keeps the test quick
    try:
        for _ in range(depth):
            node = node.relu()
    finally:
        gc.enable()
    node.backward()
    assert x.grad == 1.0
    assert node.data == 0.5
    order = topological_order(node)
    assert len(order) == depth + 1
    assert order[0] is x and order[-1] is node
    del order, node  # freeing a million nested nodes must not crash either


def test_backward_twice_accumulates_and_zero_grad_resets():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    d.backward()
    assert (a.grad, b.grad, c.grad, d.grad) == (-2.0, 2.0, 1.0, 1.0)
    d.backward()
    assert (a.grad, b.grad, c.grad, d.grad) == (-4.0, 4.0, 2.0, 2.0)
    outside = Value(5.0)
    outside.grad = 9.0
    d.zero_grad()
    assert (a.grad, b.grad, c.grad, d.grad) == (0.0, 0.0, 0.0, 0.0)
    assert outside.grad == 9.0
    d.backward()
    assert (a.grad, b.grad) == (-2.0, 2.0)


def test_grad_starts_at_float_zero():
    v = Value(3)
    assert v.grad == 0.0 and isinstance(v.grad, float)
    assert isinstance(v.data, float)


def make_graph():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    loss = d * f + a.tanh()
    loss.label = "L"
    return loss


def test_topological_order_is_inputs_first_and_deterministic():
    root = make_graph()
    order = topological_order(root)
    assert order[-1] is root
    assert len(order) == len(set(map(id, order)))
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for child in node._prev:
            assert position[id(child)] < position[id(node)]
    # everything reachable is there
    seen, todo = set(), [root]
    while todo:
        n = todo.pop()
        if id(n) not in seen:
            seen.add(id(n))
            todo.extend(n._prev)
    assert seen == set(position)
    # the same graph built again gives the same order
    def describe(order):
        return [(n._op, n.label, n.data) for n in order]

    assert describe(topological_order(make_graph())) == describe(order)
    # operand order, depth first: a, b, a*b, c, +, f, *, tanh, +
    assert [n.label or n._op for n in order] == ["a", "b", "e", "c", "d", "f", "*", "tanh", "L"]


def test_prev_is_a_tuple_in_operand_order():
    a, b = Value(1.0), Value(2.0)
    assert (a - b)._prev[0] is a
    out = b * a
    assert out._prev == (b, a)
    assert isinstance(out._prev, tuple)


def test_local_gradients():
    a, b = Value(3.0), Value(-4.0)
    assert local_gradients(a * b) == (-4.0, 3.0)
    assert local_gradients(a + b) == (1.0, 1.0)
    assert local_gradients(a * a) == (6.0,)  # one input, both uses added
    t = a.tanh()
    assert local_gradients(t) == (pytest.approx(1 - math.tanh(3.0) ** 2),)
    assert local_gradients(a) == ()
    # it leaves the graph's gradients as they were
    a.grad, b.grad = 7.0, 8.0
    local_gradients(a * b)
    assert (a.grad, b.grad) == (7.0, 8.0)


def test_graphs_hold_no_reference_cycles():
    was_enabled = gc.isenabled()
    gc.disable()  # only reference counting can free the graph now
    try:
        a = Value(2.0)
        b = Value(-1.0)
        out = (a * b + a.tanh()) ** 2 / b.exp() + weighted_sum([a], [b], b).sigmoid()
        out.backward()
        refs = [weakref.ref(v) for v in topological_order(out)]
        assert all(r() is not None for r in refs)
        del a, b, out
        assert all(r() is None for r in refs)
    finally:
        if was_enabled:
            gc.enable()


# ------------------------------------------------------- saturation and limits


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_tanh_and_sigmoid_saturate_exactly(x):
    a = Value(x)
    t = a.tanh()
    t.backward()
    assert t.data == math.copysign(1.0, x)
    assert a.grad == 0.0
    a = Value(x)
    s = a.sigmoid()
    s.backward()
    assert s.data == (1.0 if x > 0 else 0.0)
    assert a.grad == 0.0 and math.isfinite(a.grad)


def test_exp_near_its_limit():
    a = Value(709.0)
    out = a.exp()
    out.backward()
    assert out.data == math.exp(709.0)
    assert a.grad == math.exp(709.0)


# ------------------------------------------------------------------ bad input

BAD_OPERANDS = ["3", None, [1.0], (2.0,), 1j, {"x": 1}]


def _given_text(bad):
    return repr(bad) if not isinstance(bad, dict) else "dict"


@pytest.mark.parametrize("bad", BAD_OPERANDS + [True])
def test_non_numbers_as_data(bad):
    with pytest.raises(TypeError) as info:
        Value(bad)
    assert type(bad).__name__ in str(info.value)
    assert "real number" in str(info.value)


@pytest.mark.parametrize("bad", BAD_OPERANDS)
@pytest.mark.parametrize(
    "op",
    [
        lambda v, x: v + x,
        lambda v, x: x + v,
        lambda v, x: v - x,
        lambda v, x: x - v,
        lambda v, x: v * x,
        lambda v, x: x * v,
        lambda v, x: v / x,
        lambda v, x: x / v,
        lambda v, x: v**x,
        lambda v, x: x**v,
    ],
    ids=["v+x", "x+v", "v-x", "x-v", "v*x", "x*v", "v/x", "x/v", "v**x", "x**v"],
)
def test_non_numbers_as_operands(op, bad):
    with pytest.raises(TypeError) as info:
        op(Value(2.0), bad)
    message = str(info.value)
    assert type(bad).__name__ in message
    assert _given_text(bad) in message


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_inf_data(bad):
    with pytest.raises(ValueError, match="finite"):
        Value(bad)
    with pytest.raises(ValueError, match="finite"):
        Value(1.0) + bad
    with pytest.raises(ValueError, match="finite"):
        Value(1.0) ** bad


def test_integer_too_large_for_a_float():
    with pytest.raises(ValueError, match="fit in a float"):
        Value(10**400)


@pytest.mark.parametrize("x", [0.0, -2.0])
def test_log_of_zero_and_negative(x):
    with pytest.raises(ValueError) as info:
        Value(x).log()
    assert f"{x:g}" in str(info.value)
    assert "positive" in str(info.value)


def test_exp_overflow():
    with pytest.raises(OverflowError) as info:
        Value(710.0).exp()
    assert "710" in str(info.value)


def test_negative_base_to_fractional_power():
    with pytest.raises(ValueError) as info:
        Value(-8.0) ** (1 / 3)
    assert "-8" in str(info.value)
    assert "whole-number exponent" in str(info.value)


def test_zero_to_a_negative_power():
    with pytest.raises(ZeroDivisionError):
        Value(0.0) ** -1


def test_infinite_slope_at_zero():
    a = Value(0.0)
    out = a**0.5
    assert out.data == 0.0
    with pytest.raises(ZeroDivisionError, match="infinite"):
        out.backward()


@pytest.mark.parametrize(
    "divide", [lambda: Value(1.0) / 0, lambda: Value(1.0) / Value(0.0), lambda: 1 / Value(0.0)]
)
def test_division_by_zero(divide):
    with pytest.raises(ZeroDivisionError, match="division by zero: 1 / 0"):
        divide()


@pytest.mark.parametrize(
    "compute",
    [
        lambda: Value(1e200) * Value(1e200),
        lambda: Value(1.5e308) + 1.5e308,
        lambda: Value(1e200) ** 2,
        lambda: Value(1e200) ** Value(2.0),
        lambda: 10 ** Value(400.0),
        lambda: Value(1.0) / Value(1e-320),
        lambda: weighted_sum([Value(1e308)], [10.0], Value(0.0)),
    ],
)
def test_results_overflowing_in_the_forward_pass(compute):
    with pytest.raises(OverflowError, match="too large"):
        compute()


@pytest.mark.parametrize(
    "x, build, upstream",
    [
        (1.0, lambda a: a * 1e300, 1e10),
        (1e-300, lambda a: a**-1, 1.0),  # slope -1/a**2 = -1e600
        (5e-324, lambda a: a.log(), 1.0),  # slope 1/a
        (1e-300, lambda a: a ** Value(-1.0), 1.0),
        (700.0, lambda a: a.exp(), 1e300),
        (2.0, lambda a: a + a, 1e308),
    ],
)
def test_gradients_overflowing_in_the_backward_pass(x, build, upstream):
    a = Value(x)
    out = build(a)
    assert math.isfinite(out.data)
    with pytest.raises(OverflowError, match="gradient overflowed"):
        out.backward(gradient=upstream)


@pytest.mark.parametrize("base", [0.0, -2.0])
def test_value_to_a_value_power_needs_a_positive_base(base):
    with pytest.raises(ValueError) as info:
        Value(base) ** Value(2.0)
    assert f"base {base:g}" in str(info.value)
    with pytest.raises(ValueError):
        base ** Value(2.0)


@pytest.mark.parametrize("bad", ["1", None, [1.0]])
def test_backward_needs_a_number(bad):
    with pytest.raises(TypeError, match="gradient passed to backward"):
        Value(1.0).backward(bad)
    with pytest.raises(ValueError, match="finite"):
        Value(1.0).backward(math.nan)


@pytest.mark.parametrize(
    "call, given",
    [
        (lambda: topological_order(3.0), "float 3.0"),
        (lambda: local_gradients([Value(1.0)]), "list"),
        (lambda: weighted_sum([1.0], [Value(1.0)], Value(0.0)), "float 1.0"),
        (lambda: weighted_sum([Value(1.0)], [Value(1.0)], 0.0), "float 0.0"),
        (lambda: weighted_sum(Value(1.0), [Value(1.0)], Value(0.0)), "Value"),
        (lambda: weighted_sum([Value(1.0)], "a", Value(0.0)), "str 'a'"),
        (lambda: weighted_sum([Value(1.0)], ["a"], Value(0.0)), "str 'a'"),
        (lambda: weighted_sum([Value(1.0)], [None], Value(0.0)), "NoneType None"),
    ],
)
def test_functions_given_the_wrong_types(call, given):
    with pytest.raises(TypeError) as info:
        call()
    assert given in str(info.value)


def test_weighted_sum_lengths_must_match():
    with pytest.raises(ValueError, match="got 1 inputs for 2 weights"):
        weighted_sum([Value(1.0), Value(2.0)], [1.0], Value(0.0))


@given(
    st.sampled_from(["+", "*", "/", "**n", "**v", "exp", "log", "tanh", "sigmoid", "relu"]),
    st.floats(-1e300, 1e300),
    st.floats(-1e300, 1e300),
    st.floats(-1e300, 1e300).filter(lambda g: g != 0),
)
def test_never_a_silent_nan_or_inf(op, x, y, g):
    """Over the whole float range every op either raises or stays finite, gradients too."""
    a, b = Value(x), Value(y)
    compute = {
        "+": lambda: a + b,
        "*": lambda: a * b,
        "/": lambda: a / b,
        "**n": lambda: a ** round(y % 7 - 3, 1),
        "**v": lambda: a**b,
        "exp": lambda: a.exp(),
        "log": lambda: a.log(),
        "tanh": lambda: a.tanh(),
        "sigmoid": lambda: a.sigmoid(),
        "relu": lambda: a.relu(),
    }[op]
    try:
        out = compute()
    except (ValueError, ZeroDivisionError, OverflowError):
        return
    assert math.isfinite(out.data)
    try:
        out.backward(gradient=g)
    except (ZeroDivisionError, OverflowError):
        return
    assert math.isfinite(a.grad) and math.isfinite(b.grad)


# ------------------------------------------------- numerical gradients and checks


def test_numerical_gradient():
    grads = numerical_gradient(lambda a, b: a * b + b**2, [2.0, 3.0])
    assert grads == [pytest.approx(3.0, abs=1e-6), pytest.approx(8.0, abs=1e-6)]
    # a function may also return a plain number
    assert numerical_gradient(lambda a: 5.0, [1.0]) == [0.0]


def test_check_gradients_passes_for_the_engine():
    result = check_gradients(lambda x, w, b: (x * w + b).tanh() * 3, [0.5, -1.5, 0.25])
    assert isinstance(result, GradientCheck)
    assert result
    table = repr(result)
    for name in ("x", "w", "b"):
        assert any(line.split()[0] == name for line in table.splitlines()[1:])
    assert "all gradients agree" in table
    assert "MISMATCH" not in table


def square_with_a_wrong_backward(a):
    """a * a, but passing back a.data instead of 2 * a.data: a bug to be caught."""
    out = a * a

    def _backward(out, grad):
        a.grad += a.data * grad

    out._backward = _backward
    return out


def tanh_forgetting_the_upstream_gradient(x):
    """tanh whose backward adds the local derivative but forgets `* grad`."""
    out = x.tanh()
    t = out.data

    def _backward(out, grad):
        x.grad += 1 - t * t

    out._backward = _backward
    return out


def test_check_gradients_catches_a_wrong_backward():
    result = check_gradients(lambda a, b: square_with_a_wrong_backward(a) + b, [1.5, 2.0])
    assert not result
    table = repr(result)
    lines = table.splitlines()
    assert any(line.startswith("a ") and "MISMATCH" in line for line in lines)
    assert any(line.startswith("b ") and line.rstrip().endswith("ok") for line in lines)
    assert "some gradients disagree" in table


def test_check_gradients_catches_a_missing_upstream_factor():
    # with an upstream gradient of 1 the missing factor hides ...
    assert check_gradients(tanh_forgetting_the_upstream_gradient, [0.7])
    # ... any other upstream gradient exposes it
    assert not check_gradients(lambda x: tanh_forgetting_the_upstream_gradient(x) * 3, [0.7])


def test_check_gradients_with_an_unnamed_function():
    result = check_gradients(lambda *xs: xs[0] * xs[1], [2.0, 3.0])
    assert result
    assert "x0" in repr(result) and "x1" in repr(result)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: check_gradients(3, [1.0]), TypeError, "int 3"),
        (lambda: check_gradients(lambda a: a, 1.0), TypeError, "float 1.0"),
        (lambda: check_gradients(lambda a: a, "12"), TypeError, "str '12'"),
        (lambda: check_gradients(lambda a: a, ["x"]), TypeError, "str 'x'"),
        (lambda: check_gradients(lambda a: a, [math.nan]), ValueError, "nan"),
        (lambda: check_gradients(lambda a: 2.0, [1.0]), TypeError, "float 2.0"),
        (lambda: check_gradients(lambda a: a, [1.0], h=0), ValueError, "0.0"),
        (lambda: check_gradients(lambda a: a, [1.0], h="1e-6"), TypeError, "str '1e-6'"),
        (lambda: check_gradients(lambda a: a, [1.0], tolerance=-1), ValueError, "-1"),
        (lambda: check_gradients(lambda a: a, [1.0], tolerance=None), TypeError, "None"),
        (lambda: numerical_gradient(None, [1.0]), TypeError, "NoneType None"),
        (lambda: numerical_gradient(lambda a: a, 2), TypeError, "int 2"),
        (lambda: numerical_gradient(lambda a: a, [1.0], h=-1e-6), ValueError, "-1e-06"),
        (lambda: numerical_gradient(lambda a: "x", [1.0]), TypeError, "str 'x'"),
    ],
)
def test_gradient_checkers_reject_bad_arguments(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_repr():
    v = Value(2.5, label="w")
    v.grad = -1.0
    assert repr(v) == "Value(data=2.5, grad=-1, label='w')"
    assert repr(Value(3.0)) == "Value(data=3, grad=0)"


def test_a_failed_backward_keeps_earlier_gradients():
    a = Value(0.0)
    b = Value(2.0)
    (a * b).backward()
    assert (a.grad, b.grad) == (2.0, 0.0)
    with pytest.raises(ZeroDivisionError):
        (a**0.5 + b).backward()
    assert a.grad == 2.0  # what the first call left is still there
    (a * b).zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)
