"""Exercises for notebook 08, From scalars to tensors.

    from backproplab.exercises import nb08
    nb08.matmul_backward.check(matmul_backward)

Four exercises: the backward rule of the matrix product, the gradient of a broadcast
(sum it back to the input's shape), the gradient of softmax cross-entropy with respect
to the logits, and how many parameters the digits network has. Every gradient check
compares with central differences, with an upstream gradient other than 1.
"""

from __future__ import annotations

import numpy as np

from . import Exercise, Verdict, as_number

__all__ = ["matmul_backward", "unbroadcast", "cross_entropy_grad", "digits_parameters"]

# what a check says when a function answer still has the placeholder body `...`
_STUB = ("Not answered yet: your function returned None. Replace its body `...` with "
         "your code, and remember the `return`.")


def _arrays(answer: object, count: int, shapes: list[tuple[int, ...]], what: str) -> list | Verdict:
    """`answer` as `count` float arrays of the given shapes, or a Verdict saying why not."""
    if answer is None or answer is Ellipsis:
        return Verdict(False, _STUB)
    items = list(answer) if count > 1 and isinstance(answer, (tuple, list)) else [answer]
    if count > 1 and (not isinstance(answer, (tuple, list)) or len(items) != count):
        return Verdict(False, f"return {count} arrays {what}, as a tuple; got "
                              f"{type(answer).__name__}")
    arrays = []
    for item, shape in zip(items, shapes):
        try:
            array = np.asarray(item, dtype=np.float64)
        except (TypeError, ValueError):
            return Verdict(False, f"expected arrays of numbers {what}, got {type(item).__name__}")
        if array.shape != shape:
            return Verdict(False, f"a gradient has the shape of what it is the gradient of: "
                                  f"expected shape {shape}, got {array.shape}")
        if not np.isfinite(array).all():
            return Verdict(False, "your gradient holds inf or nan")
        arrays.append(array)
    return arrays


def _numerical(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the number f(x) for every entry of x."""
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


def _close(a: np.ndarray, b: np.ndarray, tol: float = 1e-6) -> bool:
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol * np.maximum(1.0, np.abs(b))))


# --------------------------------------------------- 1. matmul's backward rule

# (shape of a, shape of b) the check tries: square and not, so a missing transpose shows
MATMUL_SHAPES = (((2, 3), (3, 4)), ((4, 1), (1, 2)), ((3, 3), (3, 3)), ((1, 5), (5, 1)))


def _check_matmul_backward(fn: object) -> Verdict:
    if not callable(fn):
        return Verdict(False, "expected a function matmul_backward(a, b, grad), got "
                              f"{type(fn).__name__} {fn!r}")
    rng = np.random.default_rng(8)
    for shape_a, shape_b in MATMUL_SHAPES:
        a = rng.uniform(-2, 2, shape_a)
        b = rng.uniform(-2, 2, shape_b)
        grad = rng.uniform(0.5, 2.0, (shape_a[0], shape_b[1])) * rng.choice([-1, 1], (shape_a[0], shape_b[1]))
        got = _arrays(fn(a.copy(), b.copy(), grad.copy()), 2, [shape_a, shape_b],
                      "(grad_a, grad_b)")
        if isinstance(got, Verdict):
            return got
        want_a = _numerical(lambda x: float(((x @ b) * grad).sum()), a)
        want_b = _numerical(lambda x: float(((a @ x) * grad).sum()), b)
        if _close(got[0], want_a) and _close(got[1], want_b):
            continue
        case = f"with a of shape {shape_a}, b of shape {shape_b}"
        ones = np.ones_like(grad)
        if _close(got[0], ones @ b.T) and _close(got[1], a.T @ ones):
            return Verdict(False, f"{case}: your gradients are right for an upstream gradient "
                                  "of all ones. Multiply by `grad`, the upstream gradient.")
        if shape_a == shape_b and _close(got[0], want_b) and _close(got[1], want_a):
            return Verdict(False, f"{case}: the two gradients are swapped: the first one is "
                                  "d(loss)/d(a), the second d(loss)/d(b).")
        if shape_a == shape_b and (_close(got[0], grad @ b) or _close(got[1], a @ grad)):
            return Verdict(False, f"{case}: a transpose is missing. Each gradient needs the "
                                  "OTHER matrix transposed: grad @ b.T and a.T @ grad.")
        which = "grad_a" if not _close(got[0], want_a) else "grad_b"
        return Verdict(False, f"{case}: {which} does not match central differences. Write "
                              "out[i, j] = sum over k of a[i, k] * b[k, j] and ask which "
                              "numbers each a[i, k] meets.")
    return Verdict(True, "Both gradients match central differences on every shape, with an "
                         "upstream gradient other than 1. These are the two lines of "
                         "Tensor._matmul_backward.")


matmul_backward = Exercise(
    "The backward rule of the matrix product",
    _check_matmul_backward,
    hints=[
        "The shapes tell you the answer. grad has the shape of out, (n, m); grad_a must "
        "have a's shape (n, k), grad_b b's shape (k, m). Which products of grad with a or b "
        "(transposed or not) give those shapes?",
        "a[i, k] meets b[k, j] in out[i, j] for every j, so d(loss)/d(a[i, k]) = sum over j "
        "of grad[i, j] * b[k, j]: row i of grad times row k of b.",
        "grad_a = grad @ b.T and grad_b = a.T @ grad: return both, as a tuple.",
    ],
    solution=(
        "def matmul_backward(a, b, grad):\n"
        "    grad_a = grad @ b.T   # (n, m) @ (m, k) -> (n, k), a's shape\n"
        "    grad_b = a.T @ grad   # (k, n) @ (n, m) -> (k, m), b's shape\n"
        "    return grad_a, grad_b\n"
        "Each number a[i, k] is used once for every column j of the output, so its\n"
        "gradient adds up grad[i, j] * b[k, j] over j: that sum is a matrix product."
    ),
)


# -------------------------------------------- 2. the gradient of a broadcast

# (shape of the gradient, shape of the input that was broadcast to it)
UNBROADCAST_CASES = (((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 1)),
                     ((3, 4), ()), ((2, 3, 4), (3, 1)), ((2, 3), (1, 1)))


def _reference_unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra))) if extra else grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


def _check_unbroadcast(fn: object) -> Verdict:
    if not callable(fn):
        return Verdict(False, "expected a function unbroadcast(grad, shape), got "
                              f"{type(fn).__name__} {fn!r}")
    rng = np.random.default_rng(80)
    for grad_shape, shape in UNBROADCAST_CASES:
        grad = rng.integers(-5, 6, grad_shape).astype(float)
        got = _arrays(fn(grad.copy(), shape), 1, [shape], "")
        if isinstance(got, Verdict):
            return got
        want = _reference_unbroadcast(grad, shape)
        if _close(got[0], np.reshape(want, shape)):
            continue
        mean = _reference_unbroadcast(grad, shape) * np.prod(shape) / np.prod(grad_shape)
        if _close(got[0], np.reshape(mean, shape)):
            return Verdict(False, f"for a {shape} input broadcast to {grad_shape} you took "
                                  "the mean; each use adds its own share, so take the sum.")
        return Verdict(False, f"for an input of shape {shape} broadcast to {grad_shape}, "
                              f"the gradient should be {np.reshape(want, shape).tolist()}, "
                              f"yours is {got[0].tolist()}")
    return Verdict(True, "Right for the same shape, a scalar, a row, a column and an extra "
                         "leading axis: this is Tensor's `_unbroadcast`.")


unbroadcast = Exercise(
    "The gradient of a broadcast",
    _check_unbroadcast,
    hints=[
        "Broadcasting used each number of the input once per position it was copied to; "
        "the chain rule adds one contribution per use. So: sum.",
        "Two kinds of axes to sum over: the leading axes the input did not have at all "
        "(sum them away), and the axes where the input had size 1 but the gradient has "
        "more (sum them with keepdims=True).",
        "extra = grad.ndim - len(shape); grad = grad.sum(axis=tuple(range(extra))); then "
        "sum with keepdims=True over every axis i where shape[i] == 1 and grad.shape[i] > 1.",
    ],
    solution=(
        "def unbroadcast(grad, shape):\n"
        "    extra = grad.ndim - len(shape)\n"
        "    grad = grad.sum(axis=tuple(range(extra)))      # axes broadcasting added\n"
        "    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] > 1)\n"
        "    return grad.sum(axis=stretched, keepdims=True)   # axes it stretched from 1\n"
        "A bias b of shape (4,) added to every row of a (3, 4) batch gets the column sums\n"
        "of the batch's gradient: one contribution from each row."
    ),
)


# ------------------------------------------ 3. softmax cross-entropy's gradient

CE_CASES = (  # (logits, labels, upstream gradient)
    (((2.0, -1.0, 0.5), (0.1, 0.2, 3.0)), (0, 1), 2.5),
    (((1.0, 1.0), (-2.0, 4.0), (0.0, 0.5), (3.0, -3.0)), (1, 1, 0, 0), -0.5),
    (((10.0, -5.0, 2.0, 0.0),), (2,), 3.0),
)


def _mean_cross_entropy(z: np.ndarray, labels: np.ndarray) -> float:
    shifted = z - z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=1))
    return float((lse - shifted[np.arange(len(labels)), labels]).mean())


def _check_cross_entropy_grad(fn: object) -> Verdict:
    if not callable(fn):
        return Verdict(False, "expected a function cross_entropy_grad(logits, labels, grad), "
                              f"got {type(fn).__name__} {fn!r}")
    for logits, labels, upstream in CE_CASES:
        z = np.array(logits, dtype=float)
        y = np.array(labels)
        got = _arrays(fn(z.copy(), y.copy(), upstream), 1, [z.shape], "")
        if isinstance(got, Verdict):
            return got
        want = upstream * _numerical(lambda x: _mean_cross_entropy(x, y), z)
        if _close(got[0], want):
            continue
        n = len(y)
        probs = np.exp(z - z.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        onehot = np.eye(z.shape[1])[y]
        case = f"with {n} row{'s' if n > 1 else ''} and upstream gradient {upstream}"
        if _close(got[0], want / upstream):
            return Verdict(False, f"{case}: right for an upstream gradient of 1; multiply "
                                  "by `grad`.")
        if _close(got[0], want * n):
            return Verdict(False, f"{case}: the loss is the MEAN over the rows, so each "
                                  "row's gradient is divided by the number of rows.")
        if _close(got[0], upstream * (onehot - probs) / n):
            return Verdict(False, f"{case}: the sign is flipped: it is softmax minus the "
                                  "one-hot label, not the other way round.")
        if _close(got[0], upstream * probs / n):
            return Verdict(False, f"{case}: you forgot to subtract 1 at each row's label.")
        return Verdict(False, f"{case}: your gradient does not match central differences")
    return Verdict(True, "Softmax minus the one-hot label, divided by the number of rows, "
                         "times the upstream gradient: Tensor's cross-entropy rule.")


cross_entropy_grad = Exercise(
    "The gradient of softmax cross-entropy",
    _check_cross_entropy_grad,
    hints=[
        "For one row z with label c, loss = log(sum_j exp(z_j)) - z_c. Differentiate each "
        "term with respect to z_j.",
        "d/dz_j log(sum exp z) = exp(z_j) / sum exp z = softmax(z)_j, and d z_c / d z_j is 1 "
        "when j == c, else 0. So one row's gradient is softmax(z) - onehot(c).",
        "probs = np.exp(z - z.max(axis=1, keepdims=True)); probs /= probs.sum(axis=1, "
        "keepdims=True); subtract 1 at [row, label]; divide by the number of rows (the "
        "mean) and multiply by grad.",
    ],
    solution=(
        "def cross_entropy_grad(logits, labels, grad):\n"
        "    z = logits - logits.max(axis=1, keepdims=True)   # the log-sum-exp shift\n"
        "    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
        "    probs[np.arange(len(labels)), labels] -= 1          # softmax - onehot\n"
        "    return grad * probs / len(labels)                  # mean over rows\n"
        "The gradient pushes every wrong class down by its probability and the right class\n"
        "up by 1 - its probability: when the network is sure and right, it is almost 0."
    ),
)


# ---------------------------------------------- 4. counting the digits network

DIGITS_SIZES = (64, 64, 10)  # inputs, hidden neurons, classes


def _check_digits_parameters(answer: object) -> Verdict:
    got = as_number(answer)
    if got is None:
        return Verdict(False, f"expected a whole number, got {type(answer).__name__} {answer!r}")
    n_in, hidden, out = DIGITS_SIZES
    want = n_in * hidden + hidden + hidden * out + out
    if got == want:
        return Verdict(True, f"{n_in}*{hidden} + {hidden} + {hidden}*{out} + {out} = {want}: "
                             "in the scalar engine that is that many Value objects, here "
                             "four arrays.")
    if got == n_in * hidden + hidden * out:
        return Verdict(False, "that counts the weights only: each layer has a bias too, one "
                              "per neuron.")
    if got == n_in * hidden + hidden * out + hidden:
        return Verdict(False, "the output layer's 10 biases are missing.")
    return Verdict(False, f"{got:g} is not it. Count W1 (64 x 64), b1, W2 (64 x 10) and b2.")


digits_parameters = Exercise(
    "How many parameters does the digits network have?",
    _check_digits_parameters,
    hints=[
        "The network has two layers, each a weight matrix and a bias vector. Count the "
        "numbers in each.",
        "W1 is 64 x 64, b1 has 64 numbers, W2 is 64 x 10, b2 has 10.",
    ],
    solution=(
        "answer = 64 * 64 + 64 + 64 * 10 + 10   # 4810\n"
        "Or, with the notebook's tensors: sum(p.size for p in params)."
    ),
)
