"""Exercises for notebook 08, From scalars to tensors.

    from backproplab.exercises import nb08
    nb08.matmul_backward.check(matmul_backward)

Four exercises: the backward rule of the matrix product, the gradient of a broadcast
(sum it back to the input's shape), the gradient of softmax cross-entropy with respect
to the logits, and how many parameters the digits network has. Every gradient check
compares with central differences, with an upstream gradient other than 1, and names the
likeliest slips: the upstream gradient left out, the two gradients swapped, a missing
transpose, the mean where a sum belongs, a flipped sign.

Unlike the other notebooks' exercises, these answers are numpy arrays, so this module
imports numpy (the notebook is about numpy); the core reader in `__init__` does not.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable

import numpy as np

from ..engine import Value
from . import (AnswerForm, Exercise, Verdict, call, describe, need_function, read_count,
               read_number)

__all__ = ["matmul_backward", "unbroadcast", "cross_entropy_grad", "digits_parameters"]

# a right gradient is within this relative (near 0: absolute) distance of central
# differences; float32 answers and numerical estimates with a small h pass, the slips
# below are all at least 10% off
_TOLERANCE = 1e-5


# ---------------------------------------------------------------- reading arrays


def _read_array(x: object, what: str) -> np.ndarray:
    """`x` as a float array (any shape): a numpy array, nested lists or tuples of numbers,
    or one number. AnswerForm, with a sentence naming `what`, for anything else."""
    if x is None or x is Ellipsis:
        read_number(x, what)  # raises the sentence for None and `...`
    if isinstance(x, (str, bytes)):
        raise AnswerForm(f"{what} is {describe(x)}; give a numpy array of numbers.")
    if isinstance(x, Value):
        raise AnswerForm(f"{what} is {describe(x)}, a Value from the scalar engine; here a "
                         "gradient is a numpy array of plain numbers.")
    if isinstance(x, (dict, set, frozenset)) or inspect.isroutine(x) or inspect.isclass(x):
        raise AnswerForm(f"{what} should be a numpy array, got {describe(x)}.")
    if not isinstance(x, np.ndarray) and iter_once(x):
        raise AnswerForm(f"{what} is {describe(x)}; give a numpy array (np.array(...) "
                         "turns a list into one).")
    try:
        array = np.asarray(x)
    except Exception:  # ragged lists, objects numpy cannot read
        raise AnswerForm(f"{what} is {describe(x)}, which is not an array of numbers "
                         "(rows of different lengths?).") from None
    kind = array.dtype.kind
    if kind == "b":
        raise AnswerForm(f"{what} holds True/False values; give numbers.")
    if kind == "c":
        raise AnswerForm(f"{what} holds complex numbers; give real numbers.")
    if kind in "USV":
        raise AnswerForm(f"{what} holds strings or bytes; give numbers, without quotes.")
    if kind == "O":
        items = array.ravel().tolist() if array.ndim else [array.item()]
        if any(isinstance(item, Value) for item in items):
            raise AnswerForm(f"{what} holds Values from the scalar engine; a gradient here "
                             "is an array of plain numbers.")
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError, OverflowError):
            raise AnswerForm(f"{what} is {describe(x)}, which is not an array of numbers "
                             "numpy can read as floats (too large, or not numbers).") from None
    array = np.array(array, dtype=np.float64)
    if not np.isfinite(array).all():
        raise AnswerForm(f"{what} holds inf or nan: somewhere a number overflowed or was "
                         "divided by zero.")
    return array


def iter_once(x: object) -> bool:
    """True for an iterator (a generator, map, ...): it has no shape and reads once."""
    try:
        return iter(x) is x  # type: ignore[call-overload]
    except TypeError:
        return False


def _read_pair(x: object, names: tuple[str, str]) -> list[np.ndarray]:
    """What a function returned, as two float arrays (a tuple, list or generator of two)."""
    shown = f"({names[0]}, {names[1]})"
    if x is None or x is Ellipsis:
        read_number(x, "what your function returned")  # raises its sentence
    if isinstance(x, np.ndarray):
        raise AnswerForm(f"your function returned one array, of shape {x.shape}; return "
                         f"2 arrays {shown}, as a tuple.")
    if isinstance(x, (tuple, list)):
        items = list(x)
    elif iter_once(x):
        items = list(x)  # type: ignore[call-overload]
    else:
        raise AnswerForm(f"return 2 arrays {shown}, as a tuple; your function returned "
                         f"{describe(x)}.")
    if len(items) != 2:
        raise AnswerForm(f"your function returned {len(items)} item"
                         f"{'s' if len(items) != 1 else ''}; return 2 arrays {shown}, as a "
                         "tuple.")
    return [_read_array(item, f"{name} (what your function returned)")
            for item, name in zip(items, names)]


def _close(got: np.ndarray, want: np.ndarray, tolerance: float = _TOLERANCE) -> bool:
    """Same shape, and every entry within `tolerance` (relative; near 0 absolute)."""
    return got.shape == want.shape and bool(
        np.all(np.abs(got - want) <= tolerance * np.maximum(1.0, np.abs(want))))


def _numerical(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the number f(x) for every entry of x."""
    grad = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


def _unchanged(given: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """AnswerForm if the learner's function changed an array it was given, in place."""
    for name, (passed, original) in given.items():
        if not np.array_equal(passed, original):
            raise AnswerForm(f"your function changed the array `{name}` it was given (an "
                             f"in-place step such as `{name} -= ...` or `{name}[...] = ...`); "
                             "a backward rule reads its inputs and returns new arrays.")


def _scale(got: np.ndarray, want: np.ndarray) -> float | None:
    """c if got is c times want everywhere (c not 0 or 1), else None."""
    if got.shape != want.shape or not np.any(want != 0):
        return None
    at = np.unravel_index(np.argmax(np.abs(want)), want.shape)
    c = float(got[at] / want[at])
    if abs(c) < 1e-9 or abs(c - 1) < 1e-9 or not _close(got, c * want):
        return None
    return c


def _first_difference(got: np.ndarray, want: np.ndarray) -> str:
    """Where two arrays of one shape first differ: 'at (0, 2) ... 3, yours is 4'."""
    bad = np.argwhere(np.abs(got - want) > _TOLERANCE * np.maximum(1.0, np.abs(want)))
    index = tuple(int(i) for i in bad[0]) if len(bad) else ()
    at = f" at {index}" if index else ""
    return f"the gradient{at} should be {want[index]:.6g}, yours is {got[index]:.6g}"


# --------------------------------------------------- 1. matmul's backward rule

# (shape of a, shape of b) the check tries: rectangular ones first, where a missing or
# misplaced transpose breaks the shapes, then a square one, where shapes cannot tell
# grad @ b from grad @ b.T or grad_a from grad_b, so the values must.
MATMUL_SHAPES = (((2, 3), (3, 4)), ((4, 1), (1, 2)), ((3, 3), (3, 3)), ((1, 5), (5, 1)))
_MATMUL_SHOWN = "matmul_backward(a, b, grad)"


def _matmul_error(error: BaseException) -> str | None:
    """The likely cause of numpy's shape error in a matrix product: a transpose."""
    if isinstance(error, ValueError) and ("matmul" in str(error) or "align" in str(error)):
        return ("The shapes do not fit: grad is (n, m), a is (n, k), b is (k, m). Is a "
                "transpose missing, or are the factors in the wrong order?")
    return None


def _check_matmul_backward(answer: object) -> Verdict:
    fn = need_function(answer, _MATMUL_SHOWN)
    rng = np.random.default_rng(8)
    for shape_a, shape_b in MATMUL_SHAPES:
        n, m = shape_a[0], shape_b[1]
        a = rng.uniform(-2, 2, shape_a)
        b = rng.uniform(-2, 2, shape_b)
        # the upstream gradient: never 1, never one number repeated, signs mixed
        grad = rng.uniform(0.5, 2.0, (n, m)) * rng.choice([-1, 1], (n, m))
        passed = (a.copy(), b.copy(), grad.copy())
        got_a, got_b = _read_pair(call(fn, passed, _MATMUL_SHOWN), ("grad_a", "grad_b"))
        _unchanged({"a": (passed[0], a), "b": (passed[1], b), "grad": (passed[2], grad)})
        want_a = _numerical(lambda x: float(((x @ b) * grad).sum()), a)
        want_b = _numerical(lambda x: float(((a @ x) * grad).sum()), b)
        if _close(got_a, want_a) and _close(got_b, want_b):
            continue
        case = f"With a of shape {shape_a} and b of shape {shape_b}"
        square = shape_a == shape_b
        if (got_a.shape, got_b.shape) == (shape_b, shape_a) and not square:
            return Verdict(False, f"{case}, your grad_a has b's shape and grad_b has a's "
                                  "shape: the two gradients are swapped. The first is "
                                  "d(loss)/d(a), with a's shape; the second d(loss)/d(b).")
        for name, got, shape, other in (("grad_a", got_a, shape_a, "a"),
                                        ("grad_b", got_b, shape_b, "b")):
            if got.shape != shape:
                extra = (" That is the transpose of the right shape: the factors of the "
                         "product are in the wrong order." if got.shape == shape[::-1] else "")
                return Verdict(False, f"{case}, your {name} has shape {got.shape}; a "
                                      f"gradient has the shape of what it is the gradient "
                                      f"of, here {other}'s shape {shape}.{extra}")
        ones = np.ones_like(grad)
        if _close(got_a, ones @ b.T) and _close(got_b, a.T @ ones):
            return Verdict(False, f"{case}: your gradients are right for an upstream "
                                  "gradient of all ones. Multiply by `grad`, the upstream "
                                  "gradient.")
        if _close(got_a, -want_a) and _close(got_b, -want_b):
            return Verdict(False, f"{case}: both gradients have the wrong sign; the matrix "
                                  "product's rule has no minus in it.")
        if square and _close(got_a, want_b) and _close(got_b, want_a):
            return Verdict(False, f"{case}: the two gradients are swapped: the first one is "
                                  "d(loss)/d(a), the second d(loss)/d(b).")
        if square and (_close(got_a, grad @ b) or _close(got_b, a @ grad)):
            return Verdict(False, f"{case}: a transpose is missing. Each gradient needs the "
                                  "OTHER matrix transposed.")
        if square and (_close(got_a, want_a.T) or _close(got_b, want_b.T)):
            return Verdict(False, f"{case}: one gradient is the transpose of the right one: "
                                  "the factors of its product are in the wrong order.")
        mean_a, mean_b = _close(got_a, want_a / m), _close(got_b, want_b / n)
        right_a, right_b = _close(got_a, want_a), _close(got_b, want_b)
        if (mean_a and (right_b or mean_b)) or (mean_b and right_a):
            return Verdict(False, f"{case}: your gradient is divided by the number of terms "
                                  "(a mean). Each a[i, k] adds up its contributions over j: "
                                  "a sum.")
        c, c_b = _scale(got_a, want_a), _scale(got_b, want_b)
        if c is not None and c_b is not None and abs(c - c_b) <= 1e-6 * abs(c):
            return Verdict(False, f"{case}: both gradients are {c:.4g} times the right ones; "
                                  "the rule is grad @ b.T and a.T @ grad with no factor.")
        which = "grad_a" if not right_a else "grad_b"
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
        "That sum over j is a matrix product: grad_a = grad @ b.T, (n, m) @ (m, k). "
        "grad_b works the same way: which product of a and grad has shape (k, m)?",
    ],
    solution=(
        "def matmul_backward(a, b, grad):\n"
        "    grad_a = grad @ b.T   # (n, m) @ (m, k) -> (n, k), a's shape\n"
        "    grad_b = a.T @ grad   # (k, n) @ (n, m) -> (k, m), b's shape\n"
        "    return grad_a, grad_b\n"
        "\n"
        "Each number a[i, k] is used once for every column j of the output, so its\n"
        "gradient adds up grad[i, j] * b[k, j] over j: that sum is a matrix product."
    ),
    expects=f"a function {_MATMUL_SHOWN} returning (grad_a, grad_b), two numpy arrays",
    usage="check(matmul_backward)",
    on_error=_matmul_error,
)


# -------------------------------------------- 2. the gradient of a broadcast

# (shape of the gradient, shape of the input that was broadcast to it): the same shape
# first (a function that returns grad passes it, and then fails), then a row, a row kept
# 2-d, a column, a scalar, an extra leading axis with a column, and a (1, 1).
UNBROADCAST_CASES = (((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 1)),
                     ((3, 4), ()), ((2, 3, 4), (3, 1)), ((2, 3), (1, 1)))
_UNBROADCAST_SHOWN = "unbroadcast(grad, shape)"


def _check_unbroadcast(answer: object) -> Verdict:
    fn = need_function(answer, _UNBROADCAST_SHOWN)
    rng = np.random.default_rng(80)
    for grad_shape, shape in UNBROADCAST_CASES:
        grad = rng.integers(-5, 6, grad_shape).astype(float)
        passed = grad.copy()
        got = _read_array(call(fn, (passed, shape), _UNBROADCAST_SHOWN),
                          f"what your function returned for shape {shape}")
        _unchanged({"grad": (passed, grad)})
        # the gradient, by central differences: d/dx of sum(grad * broadcast(x))
        x0 = np.zeros(shape)
        want = _numerical(lambda x: float((np.broadcast_to(x, grad_shape) * grad).sum()), x0)
        if _close(got, want):
            continue
        case = f"For an input of shape {shape} broadcast to {grad_shape}"
        if got.shape != want.shape:
            if got.size == want.size and _close(got.reshape(shape), want):
                return Verdict(False, f"{case}, your numbers are right but their shape is "
                                      f"{got.shape}, not {shape}: keep the axes of size 1 "
                                      "with keepdims=True (or reshape to `shape`).")
            if got.shape == grad_shape:
                return Verdict(False, f"{case}, your gradient has the result's shape "
                                      f"{grad_shape}; it needs the input's shape {shape}. Sum "
                                      "over the axes broadcasting copied the input along.")
            return Verdict(False, f"{case}, your gradient has shape {got.shape}; it needs "
                                  f"the input's shape {shape}.")
        if want.size != grad.size and _close(got, want * want.size / grad.size):
            return Verdict(False, f"{case}, you took the mean; each use adds its own share, "
                                  "so take the sum.")
        if np.any(want != 0) and _close(got, -want):
            return Verdict(False, f"{case}, the sign is flipped: broadcasting copies the "
                                  "input, so the gradient is a plain sum.")
        c = _scale(got, want)
        if c is not None:
            return Verdict(False, f"{case}, your gradient is {c:.4g} times the right one: "
                                  "each copy of an input number adds its gradient once.")
        return Verdict(False, f"{case}, {_first_difference(got, want)}.")
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
        "The leading axes first: there are grad.ndim - len(shape) of them, axes 0, 1, ..., "
        "and grad.sum(axis=...) takes a tuple of axes. Then the axes of size 1.",
    ],
    solution=(
        "def unbroadcast(grad, shape):\n"
        "    extra = grad.ndim - len(shape)\n"
        "    grad = grad.sum(axis=tuple(range(extra)))      # axes broadcasting added\n"
        "    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] > 1)\n"
        "    return grad.sum(axis=stretched, keepdims=True)   # axes it stretched from 1\n"
        "\n"
        "A bias b of shape (4,) added to every row of a (3, 4) batch gets the column sums\n"
        "of the batch's gradient: one contribution from each row."
    ),
    expects=f"a function {_UNBROADCAST_SHOWN} returning a numpy array of that shape",
    usage="check(unbroadcast)",
)


# ------------------------------------------ 3. softmax cross-entropy's gradient

# (logits, labels, upstream gradient): the upstream gradients are never 1 and one is
# negative, so leaving it out or flipping the sign differ; the number of rows differs
# from the number of classes in every case, so dividing by either shows; case 1 has
# three rows with different labels, so the sum (n times the mean: not 2 times, which a
# doubled answer would also give) and probs[:, labels] show; the last has one row, where
# the mean and the sum agree.
CE_CASES = (
    (((2.0, -1.0, 0.5, 0.0), (0.1, 0.2, 3.0, -1.0), (-0.5, 1.5, 0.3, 0.8)), (0, 1, 3), 2.5),
    (((1.0, 1.0), (-2.0, 4.0), (0.0, 0.5), (3.0, -3.0)), (1, 1, 0, 0), -0.5),
    (((10.0, -5.0, 2.0, 0.0),), (2,), 3.0),
    # logits this large overflow exp unless each row's largest is subtracted first (the
    # log-sum-exp shift the notebook shows): a softmax written as exp(z) / sum(exp(z))
    # gives inf / inf = nan here, and is right everywhere else
    (((800.0, 0.0, -800.0), (1000.0, 999.0, 0.0)), (1, 0), 0.5),
)
_CE_SHOWN = "cross_entropy_grad(logits, labels, grad)"


def _mean_cross_entropy(z: np.ndarray, labels: np.ndarray) -> float:
    shifted = z - z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=1))
    return float((lse - shifted[np.arange(len(labels)), labels]).mean())


def _ce_error(error: BaseException) -> str | None:
    """The likely cause of an IndexError in the rule: indexing with the labels."""
    if isinstance(error, IndexError):
        return ("Pick one entry per row with probs[np.arange(len(labels)), labels]; "
                "labels holds one class index per row.")
    return None


def _check_cross_entropy_grad(answer: object) -> Verdict:
    fn = need_function(answer, _CE_SHOWN)
    for logits, labels, upstream in CE_CASES:
        z = np.array(logits, dtype=float)
        y = np.array(labels)
        passed_z, passed_y = z.copy(), y.copy()
        with np.errstate(over="ignore", invalid="ignore"):  # the overflow is reported below
            returned = call(fn, (passed_z, passed_y, upstream), _CE_SHOWN)
        try:
            got = _read_array(returned, "what your function returned")
        except AnswerForm as form:
            if np.abs(z).max() > 700 and "inf or nan" in form.message:
                raise AnswerForm("With logits as large as 1000 your gradient holds inf or nan: "
                                 "exp overflows. Subtract each row's largest logit before exp, "
                                 "as cross_entropy does (it changes nothing in the softmax).") from None
            raise
        _unchanged({"logits": (passed_z, z), "labels": (passed_y, y)})
        want = upstream * _numerical(lambda x: _mean_cross_entropy(x, y), z)
        if _close(got, want):
            continue
        n, classes = z.shape
        case = f"With {n} row{'s' if n > 1 else ''} and upstream gradient {upstream}"
        if got.shape != z.shape:
            return Verdict(False, f"{case}, your gradient has shape {got.shape}; it needs "
                                  f"the shape of the logits, {z.shape}: one number per "
                                  "logit.")
        if np.abs(z).max() > 700:  # right on every small case before, wrong on this one
            return Verdict(False, f"{case} and logits as large as 1000, your gradient is wrong: "
                                  "exp overflows along the way. Subtract each row's largest "
                                  "logit before exp, as cross_entropy does (it changes nothing "
                                  "in the softmax).")
        probs = np.exp(z - z.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        columns = probs.copy()
        columns[:, y] -= 1  # the slip: whole columns, not one entry per row
        if _close(got, want / upstream):
            return Verdict(False, f"{case}: right for an upstream gradient of 1; multiply "
                                  "by `grad`.")
        if n > 1 and _close(got, want * n):
            return Verdict(False, f"{case}: the loss is the MEAN over the rows, so each "
                                  "row's gradient is divided by the number of rows.")
        if _close(got, want * n / classes):
            return Verdict(False, f"{case}: you divided by the number of classes "
                                  f"({classes}); the mean is over the rows ({n}).")
        if _close(got, -want):
            return Verdict(False, f"{case}: the sign is flipped: it is softmax minus the "
                                  "one-hot label, not the other way round.")
        if _close(got, upstream * probs / n):
            return Verdict(False, f"{case}: you forgot to subtract 1 at each row's label.")
        if _close(got, upstream * columns / n):
            return Verdict(False, f"{case}: probs[:, labels] subtracts 1 in whole columns; "
                                  "probs[np.arange(n), labels] picks one entry per row.")
        c = _scale(got, want)
        if c is not None:
            return Verdict(False, f"{case}: your gradient is {c:.4g} times the right one: "
                                  "check the factors, the mean over rows and `grad`.")
        if _close(got, want, 1e-2):
            return Verdict(False, f"{case}: your gradient is close to central differences "
                                  "but not exact: a rounded number, or an estimate with a "
                                  "large h?")
        return Verdict(False, f"{case}: your gradient does not match central differences: "
                              f"{_first_difference(got, want)}.")
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
        "Start from the softmax of each row, shifted for safety: "
        "np.exp(z - z.max(axis=1, keepdims=True)), divided by its row sums. Then subtract "
        "1 at each row's label, take the mean over rows, and scale by grad.",
    ],
    solution=(
        "def cross_entropy_grad(logits, labels, grad):\n"
        "    z = logits - logits.max(axis=1, keepdims=True)   # the log-sum-exp shift\n"
        "    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
        "    probs[np.arange(len(labels)), labels] -= 1          # softmax - onehot\n"
        "    return grad * probs / len(labels)                  # mean over rows\n"
        "\n"
        "The gradient pushes every wrong class down by its probability and the right class\n"
        "up by 1 - its probability: when the network is sure and right, it is almost 0."
    ),
    expects=f"a function {_CE_SHOWN} returning a numpy array of the logits' shape",
    usage="check(cross_entropy_grad)",
    on_error=_ce_error,
)


# ---------------------------------------------- 4. counting the digits network

DIGITS_SIZES = (64, 64, 10)  # inputs, hidden neurons, classes


def _read_parameter_count(answer: object) -> int:
    """A whole number: an int or numpy integer, or a whole float such as 4810.0 (numpy's
    sizes and sums of them can be floats); a Value or 4810.5 gets its sentence."""
    if isinstance(answer, (Value, numbers.Integral)):
        return read_count(answer)  # a Value or a huge int gets read_count's sentence
    value = read_number(answer)  # raises the sentence for None, strings, nan, ...
    if not value.is_integer():
        raise AnswerForm(f"your answer is {value!r}; a number of parameters is a whole "
                         "number.")
    return int(value)


def _check_digits_parameters(answer: object) -> Verdict:
    got = _read_parameter_count(answer)
    n_in, hidden, out = DIGITS_SIZES
    want = n_in * hidden + hidden + hidden * out + out
    if got == want:
        return Verdict(True, f"{n_in}*{hidden} + {hidden} + {hidden}*{out} + {out} = {want}: "
                             "in the scalar engine that is that many Value objects, here "
                             "four arrays.")
    slips = [
        (n_in * hidden + hidden * out, "that counts the weights only: each layer has a "
                                       "bias too, one per neuron."),
        (n_in * hidden + hidden * out + hidden, f"the output layer's {out} biases are missing."),
        (n_in * hidden + hidden * out + out, f"the hidden layer's {hidden} biases are missing."),
        (n_in * hidden + hidden * out + 2, "that gives each layer 1 bias; each neuron owns "
                                           "its own bias."),
        (n_in * hidden + hidden, "that is the hidden layer alone; add the output layer, "
                                 "W_out and b_out."),
        (hidden * out + out, "that is the output layer alone; add the hidden layer, "
                             "W_hidden and b_hidden."),
        (want + n_in, "the 64 inputs are data, not parameters: nothing learns them."),
        (n_in * hidden * out, "the layers' sizes multiplied; count each layer's numbers "
                              "and add the layers."),
        (337, "that is notebook 07's moons network; this is the digits network of section 4."),
    ]
    for value, message in slips:
        if got == value:
            return Verdict(False, f"{got}: {message}")
    if got < 0:
        return Verdict(False, f"{got} is negative; a count of numbers is never below 0.")
    return Verdict(False, f"{got} is not it. Count W_hidden (64 x 64), b_hidden, W_out (64 x 10) and b_out.")


digits_parameters = Exercise(
    "How many parameters does the digits network have?",
    _check_digits_parameters,
    hints=[
        "The network has two layers, each a weight matrix and a bias vector. Count the "
        "numbers in each.",
        "W_hidden is 64 x 64 and b_hidden has 64 numbers; W_out is 64 x 10 and b_out has 10.",
    ],
    solution=(
        "answer = 64 * 64 + 64 + 64 * 10 + 10   # 4810\n"
        "\n"
        "Or, with the notebook's arrays: sum(p.size for p in digit_params)."
    ),
    expects="one whole number, the number of parameters",
)
