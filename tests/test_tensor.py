"""Tests for `backproplab.tensor`: every op's gradient against central differences and
against the scalar engine, broadcasting, graph shapes, and clear errors for bad input.

The scalar reference: the same computation done number by number with
`backproplab.engine.Value` in numpy object arrays (numpy's +, *, @ and sum call the
Values' own operators), so every gradient is checked against a second, independent
autograd. Every check uses a random upstream gradient (never all ones): the loss is
sum(out * G), so a rule that forgets to multiply by the upstream gradient fails.
"""

from __future__ import annotations

import gc
import math
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backproplab.engine import Value
from backproplab.tensor import Tensor, cross_entropy, topological_order

# fixed examples, no deadline: the property tests take seconds and run the same every time
FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)

# ----------------------------------------------------------------- the references


def vmap(fn):
    """A function of one Value, applied to every Value of an object array."""
    return np.vectorize(fn, otypes=[object])


def as_values(array: np.ndarray) -> np.ndarray:
    return vmap(Value)(np.asarray(array, dtype=float))


def values_data(out) -> np.ndarray:
    return np.vectorize(lambda v: v.data if isinstance(v, Value) else float(v),
                        otypes=[float])(np.asarray(out, dtype=object))


def values_grad(array: np.ndarray) -> np.ndarray:
    return np.vectorize(lambda v: v.grad, otypes=[float])(array)


def tensor_run(fn, inputs, upstream):
    """fn on Tensors: its output's numbers, and each input's gradient of sum(out * G)."""
    tensors = [Tensor(x) for x in inputs]
    out = fn(*tensors)
    (out * upstream).sum().backward()
    return out.data, [t.grad for t in tensors]


def scalar_run(fn, inputs, upstream):
    """The same with the scalar engine, one Value per number."""
    arrays = [as_values(x) for x in inputs]
    out = np.asarray(fn(*arrays), dtype=object)
    loss = Value(0.0)
    for v, g in zip(np.broadcast_to(out, np.shape(upstream)).ravel(), np.ravel(upstream)):
        loss = loss + v * float(g)
    loss.backward()
    return values_data(out), [values_grad(a) for a in arrays]


def numerical_grads(fn, inputs, upstream, h=1e-6):
    """Central differences of sum(fn(inputs) * G) for every number of every input."""
    def f(xs):
        return float((fn(*[Tensor(x) for x in xs]).data * upstream).sum())

    grads = []
    for i, x in enumerate(inputs):
        grad = np.zeros_like(x, dtype=float)
        for index in np.ndindex(*np.shape(x)):
            up = [np.array(a, dtype=float) for a in inputs]
            down = [np.array(a, dtype=float) for a in inputs]
            up[i][index] += h
            down[i][index] -= h
            grad[index] = (f(up) - f(down)) / (2 * h)
        grads.append(grad)
    return grads


def check_op(tensor_fn, scalar_fn, inputs, rng, tolerance=1e-12):
    """Tensor against the scalar engine (values and gradients) and central differences."""
    out_shape = tensor_fn(*[Tensor(x) for x in inputs]).shape
    upstream = rng.uniform(0.5, 2.0, out_shape) * rng.choice([-1.0, 1.0], out_shape)
    data, grads = tensor_run(tensor_fn, inputs, upstream)
    ref_data, ref_grads = scalar_run(scalar_fn, inputs, upstream)
    assert data.shape == out_shape and data.dtype == np.float64
    np.testing.assert_allclose(data, ref_data.reshape(data.shape), rtol=tolerance, atol=tolerance)
    for x, g, ref in zip(inputs, grads, ref_grads):
        assert g.shape == np.shape(x) and g.dtype == np.float64
        np.testing.assert_allclose(g, ref, rtol=tolerance, atol=tolerance)
    for g, num in zip(grads, numerical_grads(tensor_fn, inputs, upstream)):
        np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-6)


small = st.integers(min_value=1, max_value=4)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def uniform(rng, shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, shape)


def away_from_zero(rng, shape, low=0.3, high=2.0):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


# ------------------------------------------------ element-wise ops with broadcasting

# (shape of a, shape of b) for an (n, m) a: same shape, scalar, row, column, and both ways
def broadcast_pairs(n, m):
    return [((n, m), (n, m)), ((n, m), ()), ((n, m), (m,)), ((n, m), (1, m)),
            ((n, m), (n, 1)), ((1, m), (n, 1)), ((), (n, m)), ((m,), (n, m))]


BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b, uniform),
    "*": (lambda a, b: a * b, lambda a, b: a * b, uniform),
    "-": (lambda a, b: a - b, lambda a, b: a - b, uniform),
    "/": (lambda a, b: a / b, lambda a, b: a / b, away_from_zero),
}


@pytest.mark.parametrize("op", BINARY)
@FAST
@given(n=small, m=small, which=st.integers(0, 7), seed=seeds)
def test_binary_ops_broadcast_like_numpy_and_sum_their_gradients(op, n, m, which, seed):
    tensor_fn, scalar_fn, make_b = BINARY[op]
    rng = np.random.default_rng(seed)
    shape_a, shape_b = broadcast_pairs(n, m)[which]
    check_op(tensor_fn, scalar_fn, [uniform(rng, shape_a), make_b(rng, shape_b)], rng)


@pytest.mark.parametrize("shape_b", [(), (3,), (1, 3), (4, 1)], ids=["scalar", "row", "row2d", "column"])
def test_broadcast_gradient_is_the_sum_over_the_broadcast_axes(shape_b):
    a = Tensor(np.arange(12.0).reshape(4, 3))
    b = Tensor(np.ones(shape_b))
    upstream = np.arange(12.0).reshape(4, 3) + 1
    (a * b * upstream).sum().backward()
    # each number of b met a whole row, column or all of a: its gradient sums those uses
    full = upstream * a.data
    by_hand = {(): full.sum(), (3,): full.sum(axis=0), (1, 3): full.sum(axis=0, keepdims=True),
               (4, 1): full.sum(axis=1, keepdims=True)}[shape_b]
    np.testing.assert_allclose(b.grad, by_hand)
    assert b.grad.shape == shape_b


def test_numbers_and_arrays_on_either_side():
    x = Tensor([1.0, -2.0, 3.0])
    for out, expected in [(2 + x, [3, 0, 5]), (x + 2, [3, 0, 5]), (2 * x, [2, -4, 6]),
                          (1 - x, [0, 3, -2]), (x - 1, [0, -3, 2]), (6 / x, [6, -3, 2]),
                          (np.ones(3) + x, [2, -1, 4]), (np.full(3, 2.0) * x, [2, -4, 6]),
                          (-x, [-1, 2, -3])]:
        assert isinstance(out, Tensor)
        np.testing.assert_allclose(out.data, expected)


# ------------------------------------------------------------------------- matmul

@FAST
@given(n=small, k=small, m=small, seed=seeds)
def test_matmul(n, k, m, seed):
    rng = np.random.default_rng(seed)
    check_op(lambda a, b: a @ b, lambda a, b: a @ b,
             [uniform(rng, (n, k)), uniform(rng, (k, m))], rng)


def test_matmul_with_an_array_on_either_side():
    w = Tensor(np.eye(2) * 3)
    np.testing.assert_allclose((np.ones((1, 2)) @ w).data, [[3, 3]])
    np.testing.assert_allclose((w @ np.ones((2, 1))).data, [[3], [3]])


# --------------------------------------------------------------- one-input ops

UNARY = {
    "exp": (lambda a: a.exp(), vmap(lambda v: v.exp()), uniform),
    "log": (lambda a: a.log(), vmap(lambda v: v.log()), lambda r, s: r.uniform(0.2, 3.0, s)),
    "tanh": (lambda a: a.tanh(), vmap(lambda v: v.tanh()), uniform),
    "relu": (lambda a: a.relu(), vmap(lambda v: v.relu()), away_from_zero),
    "sigmoid": (lambda a: a.sigmoid(), vmap(lambda v: v.sigmoid()), uniform),
    "neg": (lambda a: -a, lambda a: -a, uniform),
    "**2": (lambda a: a**2, vmap(lambda v: v**2), uniform),
    "**3": (lambda a: a**3, vmap(lambda v: v**3), uniform),
    "**-1": (lambda a: a**-1, vmap(lambda v: v**-1), away_from_zero),
    "**0.5": (lambda a: a**0.5, vmap(lambda v: v**0.5), lambda r, s: r.uniform(0.2, 3.0, s)),
    "**0": (lambda a: a**0, vmap(lambda v: v**0), uniform),
    "sum": (lambda a: a.sum(), lambda a: a.sum(), uniform),
    "sum0": (lambda a: a.sum(axis=0), lambda a: a.sum(axis=0), uniform),
    "sum1k": (lambda a: a.sum(axis=1, keepdims=True), lambda a: a.sum(axis=1, keepdims=True), uniform),
    "sum-1": (lambda a: a.sum(axis=-1), lambda a: a.sum(axis=-1), uniform),
    "mean": (lambda a: a.mean(), lambda a: a.sum() / a.size, uniform),
    "mean0k": (lambda a: a.mean(axis=0, keepdims=True),
               lambda a: a.sum(axis=0, keepdims=True) / a.shape[0], uniform),
    "reshape": (lambda a: a.reshape(-1), lambda a: a.reshape(-1), uniform),
    "reshape2": (lambda a: a.reshape(a.shape[1], a.shape[0]),
                 lambda a: a.reshape(a.shape[1], a.shape[0]), uniform),
    "T": (lambda a: a.T, lambda a: a.T, uniform),
    "transpose": (lambda a: a.transpose(1, 0), lambda a: a.transpose(1, 0), uniform),
}


@pytest.mark.parametrize("op", UNARY)
@FAST
@given(n=small, m=small, seed=seeds)
def test_unary_ops(op, n, m, seed):
    tensor_fn, scalar_fn, make = UNARY[op]
    rng = np.random.default_rng(seed)
    check_op(tensor_fn, scalar_fn, [make(rng, (n, m))], rng)


@FAST
@given(seed=seeds, order=st.permutations([0, 1, 2]))
def test_transpose_of_three_axes(seed, order):
    rng = np.random.default_rng(seed)
    check_op(lambda a: a.transpose(*order), lambda a: a.transpose(*order),
             [uniform(rng, (2, 3, 4))], rng)


@FAST
@given(n=small, m=small, picks=st.lists(st.integers(0, 3), min_size=1, max_size=6), seed=seeds)
def test_indexing_a_batch_with_repeated_rows(n, m, picks, seed):
    rng = np.random.default_rng(seed)
    idx = np.array([p % n for p in picks])
    check_op(lambda a: a[idx], lambda a: a[idx], [uniform(rng, (n, m))], rng)


def test_indexing_gradients_count_a_row_picked_twice_twice():
    x = Tensor(np.arange(6.0).reshape(3, 2))
    x[np.array([2, 0, 2])].sum().backward()
    np.testing.assert_array_equal(x.grad, [[1, 1], [0, 0], [2, 2]])
    y = Tensor(np.arange(6.0).reshape(3, 2))
    (y[1:] * 3).sum().backward()
    np.testing.assert_array_equal(y.grad, [[0, 0], [3, 3], [3, 3]])


# ------------------------------------------------------- softmax cross-entropy

def scalar_cross_entropy(labels):
    def fn(z):
        losses = []
        for row, label in zip(z, labels):
            total = Value(0.0)
            for v in row:
                total = total + v.exp()
            losses.append(total.log() - row[label])
        return np.array(sum(losses[1:], losses[0]) / len(losses), dtype=object)
    return fn


@FAST
@given(n=small, classes=st.integers(2, 5), seed=seeds)
def test_cross_entropy(n, classes, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    check_op(lambda z: cross_entropy(z, labels), scalar_cross_entropy(labels),
             [uniform(rng, (n, classes), -3, 3)], rng, tolerance=1e-10)


def test_cross_entropy_is_stable_for_huge_logits():
    # exp(1000) overflows a float; log-sum-exp never computes it
    z = Tensor([[1000.0, 0.0, -1000.0], [5000.0, 5000.0, 0.0]])
    loss = cross_entropy(z, [0, 1])
    loss.backward()
    np.testing.assert_allclose(loss.data, np.log(2) / 2, rtol=1e-12)
    np.testing.assert_allclose(z.grad, [[0, 0, 0], [0.25, -0.25, 0]], atol=1e-12)
    assert np.isfinite(z.grad).all()


def test_cross_entropy_of_uniform_logits_is_log_of_the_number_of_classes():
    loss = cross_entropy(Tensor(np.zeros((4, 10))), np.arange(4))
    assert math.isclose(loss.item(), math.log(10), rel_tol=1e-12)


# ------------------------------------------------------------------ graph shapes

def test_reuse_adds_both_contributions():
    a = Tensor([1.0, 2.0])
    (a + a).sum().backward()
    np.testing.assert_array_equal(a.grad, [2, 2])
    b = Tensor([3.0])
    (b * b).sum().backward()
    np.testing.assert_array_equal(b.grad, [6])


def test_b_is_a_plus_a_and_c_is_b_plus_b():
    a = Tensor(np.array([[1.0, -1.0]]))
    b = a + a
    c = b + b
    c.sum().backward()
    np.testing.assert_array_equal(a.grad, [[4, 4]])
    np.testing.assert_array_equal(b.grad, [[2, 2]])


def test_diamond():
    a = Tensor([0.5, -1.5])
    b, c = a * 3, a.tanh()
    (b * c).sum().backward(2.0)
    t = np.tanh(a.data)
    np.testing.assert_allclose(a.grad, 2.0 * (3 * t + 3 * a.data * (1 - t**2)))


def test_backward_twice_accumulates_like_the_scalar_engine_and_zero_grad_resets():
    def build(cls, x):
        a = cls(x)
        b = a * a
        return a, b, b + a

    ta, tb, tout = build(Tensor, 1.5)
    va, vb, vout = build(Value, 1.5)
    for _ in range(2):
        tout.sum().backward()
        vout.backward()
    assert ta.grad == pytest.approx(va.grad) and ta.grad == pytest.approx(8.0)
    assert tb.grad == pytest.approx(vb.grad) and tb.grad == pytest.approx(2.0)
    tout.zero_grad()
    assert ta.grad == 0 and tb.grad == 0 and ta.grad.shape == ()


def test_a_deep_chain_has_no_recursion_limit():
    x = Tensor([1.0, 2.0])
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1, 1])
    assert len(topological_order(y)) > 10_000


def test_a_graph_has_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = Tensor(np.ones((3, 2)))
        w = Tensor(np.ones((2, 4)))
        out = cross_entropy((x @ w).tanh(), [0, 1, 2])
        out.backward()
        probe = weakref.ref(out._prev[0])
        del out
        assert probe() is None, "an inner node outlived its graph: something refers back to it"
    finally:
        gc.enable()


def test_grad_and_data_are_float64_arrays_of_the_same_shape():
    x = Tensor([[1, 2, 3]])  # ints become floats
    assert x.data.dtype == np.float64 and x.grad.shape == (1, 3) and x.grad.dtype == np.float64
    (x * x).sum().backward()
    x.grad[0, 0] = 99.0  # a leaf's gradient is its own array: changing it changes nothing else
    y = Tensor([1.0, 2.0])
    z = Tensor([3.0, 4.0])
    (y + z).sum().backward()
    y.grad[0] = 7.0
    assert z.grad[0] == 1.0


def test_tensor_copies_its_data():
    array = np.array([1.0, 2.0])
    t = Tensor(array)
    array[0] = 5.0
    assert t.data[0] == 1.0


def test_a_loss_of_one_number_in_any_shape_can_start_backward():
    x = Tensor([[2.0]])
    (x * 3).backward()
    assert x.grad.shape == (1, 1) and x.grad[0, 0] == 3.0


# ------------------------------------------------------------------------- errors

@pytest.mark.parametrize("op, fn", [("+", lambda a, b: a + b), ("*", lambda a, b: a * b),
                                    ("-", lambda a, b: a - b), ("/", lambda a, b: a / b)])
def test_shape_mismatch_names_both_shapes_and_the_op(op, fn):
    with pytest.raises(ValueError) as error:
        fn(Tensor(np.ones((2, 3))), Tensor(np.ones((4,))))
    text = str(error.value)
    assert "(2, 3)" in text and "(4,)" in text and text.startswith(
        "+" if op in "+-" else "*")  # - and / are compositions of + and *


def test_matmul_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"@.*\(2, 3\) and \(2, 3\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(3,\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones(3))


@pytest.mark.parametrize("bad, kind", [
    ("abc", TypeError), (["1", "2"], TypeError), ([object()], TypeError), (True, TypeError),
    ([1 + 2j], TypeError), ([1.0, float("nan")], ValueError), ([float("inf")], ValueError),
    ([[1, 2], [3]], ValueError), (np.array([True, False]), TypeError), (None, TypeError),
])
def test_bad_data_gets_a_clear_error(bad, kind):
    with pytest.raises(kind, match="Tensor data must be"):
        Tensor(bad)


def test_a_tensor_of_a_tensor_is_refused_with_advice():
    with pytest.raises(TypeError, match=r"\.data"):
        Tensor(Tensor([1.0]))


@pytest.mark.parametrize("other", ["2", None, [object()], float("nan")])
def test_bad_operands_get_a_clear_error(other):
    with pytest.raises((TypeError, ValueError), match="operand"):
        Tensor([1.0]) + other


def test_backward_only_from_a_single_number():
    with pytest.raises(ValueError, match=r"shape \(2, 2\).*\.sum\(\)"):
        Tensor(np.ones((2, 2))).backward()
    with pytest.raises(TypeError, match="gradient"):
        Tensor(1.0).backward("1")


@pytest.mark.parametrize("fn, kind, says", [
    (lambda: Tensor([800.0]).exp(), OverflowError, "exp"),
    (lambda: Tensor([1.0, 0.0]).log(), ValueError, "positive"),
    (lambda: Tensor([1.0]) / Tensor([0.0, 1.0]), ZeroDivisionError, "division by zero"),
    (lambda: Tensor([1.0]) / 0, ZeroDivisionError, "division by zero"),
    (lambda: Tensor([-1.0]) ** 0.5, ValueError, "complex"),
    (lambda: Tensor([0.0]) ** -1, ZeroDivisionError, "0"),
    (lambda: Tensor([1e200]) ** 2, OverflowError, "too large"),
    (lambda: Tensor([1.0]) ** Tensor([2.0]), TypeError, "exponent"),
    (lambda: Tensor([1.0]) ** "2", TypeError, "exponent"),
    (lambda: Tensor(np.ones((2, 3))).sum(axis=2), ValueError, "axis 2"),
    (lambda: Tensor(np.ones((2, 3))).sum(axis=1.0), TypeError, "axis"),
    (lambda: Tensor(np.ones((2, 3))).reshape(4, 2), ValueError, r"6 numbers.*\(4, 2\)"),
    (lambda: Tensor(np.ones((2, 3))).transpose(0, 0), ValueError, "transpose"),
    (lambda: Tensor(np.ones((2, 3)))[5], IndexError, r"shape \(2, 3\)"),
])
def test_bad_operations_get_a_clear_error(fn, kind, says):
    with pytest.raises(kind, match=says):
        fn()


def test_an_infinite_derivative_is_an_error_not_an_inf():
    x = Tensor([0.0, 4.0])
    y = (x**0.5).sum()
    np.testing.assert_allclose(y.data, 2.0)
    with pytest.raises(ZeroDivisionError, match="infinite"):
        y.backward()


def test_an_overflow_in_the_forward_pass_is_caught_by_backward():
    with np.errstate(over="ignore"):
        big = Tensor([1e200]) * Tensor([1e200])
    with pytest.raises(OverflowError, match="too large"):
        big.sum().backward()


@pytest.mark.parametrize("logits, labels, kind, says", [
    (np.zeros((3, 4)), [0, 1], ValueError, r"shape \(3,\)"),
    (np.zeros((3, 4)), [0, 1, 4], ValueError, "0 to 3"),
    (np.zeros((3, 4)), [0, 1, -1], ValueError, "0 to 3"),
    (np.zeros((3, 4)), [0, 1, 1.5], TypeError, "whole-number"),
    (np.zeros((3, 4)), ["a", "b", "c"], TypeError, "whole-number"),
    (np.zeros(4), [0], ValueError, r"\(n, classes\)"),
])
def test_cross_entropy_bad_input(logits, labels, kind, says):
    with pytest.raises(kind, match=says):
        cross_entropy(Tensor(logits), labels)
    with pytest.raises(TypeError, match="Tensor"):
        cross_entropy(np.zeros((3, 4)), [0, 1, 2])


# ------------------------------------------------- data that needs no gradient


def moons_like(rng, data_requires_grad):
    """A small relu network's hinge + L2 loss, its parameters and its data tensors."""
    X = Tensor(rng.normal(size=(20, 2)), requires_grad=data_requires_grad)
    Y = Tensor(np.where(rng.random((20, 1)) < 0.5, -1.0, 1.0), requires_grad=data_requires_grad)
    params = [Tensor(rng.uniform(-1, 1, s)) for s in [(2, 8), (8,), (8, 1), (1,)]]
    W1, b1, W2, b2 = params
    scores = (X @ W1 + b1).relu() @ W2 + b2
    loss = (1 - Y * scores).relu().mean() + 1e-4 * sum((p * p).sum() for p in params)
    return loss, params, (X, Y)


def test_data_that_needs_no_gradient_leaves_the_parameters_gradients_unchanged():
    loss_all, params_all, _ = moons_like(np.random.default_rng(3), True)
    loss_data, params_data, (X, Y) = moons_like(np.random.default_rng(3), False)
    loss_all.backward()
    loss_data.backward()
    assert loss_data.item() == loss_all.item()
    for with_data, without in zip(params_all, params_data):
        np.testing.assert_array_equal(without.grad, with_data.grad)  # the same numbers, exactly
    assert X.grad is None and Y.grad is None  # no gradient was computed for the data


def test_requires_grad_defaults_to_true_and_passes_to_the_results():
    data, param = Tensor(np.ones((3, 2)), requires_grad=False), Tensor(np.ones((2, 4)))
    assert param.requires_grad and not data.requires_grad
    assert (data @ param).requires_grad and (data.T @ data @ param).requires_grad
    from_data_only = (data * 2 + data).sum()
    assert not from_data_only.requires_grad and from_data_only.grad is None
    constant, _ = (np.ones((1, 2)) @ param[:2, :2])._prev  # an array operand: a constant
    assert not constant.requires_grad


def test_a_rule_computes_no_share_for_an_input_that_needs_no_gradient():
    x = Tensor(np.ones((4, 3)), requires_grad=False)
    w = Tensor(np.full((3, 2), 0.5))
    grad = np.ones((4, 2))
    out = x @ w
    share_x, share_w = out._backward(out, grad)
    assert share_x is None  # the product grad @ w.T was never computed
    np.testing.assert_array_equal(share_w, x.data.T @ grad)


def test_a_share_for_data_is_not_added_to_it():
    y, s = Tensor([2.0, 3.0], requires_grad=False), Tensor([1.0, -1.0])
    (y * s).sum().backward()
    assert y.grad is None
    np.testing.assert_array_equal(s.grad, [2.0, 3.0])


def test_a_constant_array_operand_gets_no_gradient_but_the_tensor_does():
    w = Tensor(np.eye(2) * 3)
    (np.ones((1, 2)) @ w).sum().backward()
    np.testing.assert_array_equal(w.grad, np.ones((2, 2)))


def test_a_data_batch_for_cross_entropy_changes_no_parameter_gradient():
    rng = np.random.default_rng(5)
    images, labels = rng.normal(size=(6, 4)), rng.integers(0, 3, 6)
    grads = []
    for requires_grad in (True, False):
        W = Tensor(np.random.default_rng(6).normal(size=(4, 3)))
        batch = Tensor(images, requires_grad=requires_grad)
        cross_entropy(batch @ W, labels).backward()
        grads.append(W.grad)
        assert (batch.grad is None) == (not requires_grad)
    np.testing.assert_array_equal(grads[0], grads[1])


def test_backward_from_a_result_that_needs_no_gradient_says_so():
    x = Tensor([1.0, 2.0], requires_grad=False)
    with pytest.raises(ValueError, match=r"needs no gradient.*requires_grad=False"):
        (x * x).sum().backward()
    with pytest.raises(ValueError, match="requires_grad=False"):
        Tensor(1.0, requires_grad=False).backward()


@pytest.mark.parametrize("bad", ["no", 0, None, 1.0])
def test_requires_grad_must_be_true_or_false(bad):
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        Tensor([1.0], requires_grad=bad)
