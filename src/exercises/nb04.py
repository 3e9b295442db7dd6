"""Exercises for 04 Backpropagation: gradients by hand, a new `_backward` rule, reuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine import Value
from . import Exercise, Verdict, close

__all__ = ["hand_gradients", "div_backward", "reuse_grad"]


# -------------------------------------------------------------- 1. hand_gradients

HAND_INPUTS = {"x": 2.0, "y": 3.0, "z": -4.0}


def hand_gradients_expression(x: Value, y: Value, z: Value) -> Value:
    """The exercise's expression: L = (x*y + z) ** 2."""
    return (x * y + z) ** 2


def _engine_gradients(
    f: Callable[..., Value], inputs: dict[str, float]
) -> tuple[float, ...]:
    """The gradients of f at `inputs` as the engine's backward() computes them."""
    leaves = [Value(v, label=k) for k, v in inputs.items()]
    f(*leaves).backward()
    return tuple(v.grad for v in leaves)


def _check_hand_gradients(answer: object) -> Verdict:
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return Verdict(False, "expected three numbers (dL/dx, dL/dy, dL/dz), "
                       f"got {type(answer).__name__} {answer!r}")
    expected = _engine_gradients(hand_gradients_expression, HAND_INPUTS)
    x, y, z = HAND_INPUTS.values()
    if all(close(g, e, 1e-9).correct for g, e in zip(answer, (y, x, 1.0))):
        return Verdict(False, "those are the local derivatives of x*y + z; multiply "
                       "each by dL/d(x*y + z), the gradient arriving from ** 2.")
    for name, got, want in zip("xyz", answer, expected):
        verdict = close(got, want, 1e-9)
        if not verdict.correct:
            return Verdict(False, f"dL/d{name}: {verdict.message}.")
    return Verdict(True, "backward() gets the same three numbers.")


hand_gradients = Exercise(
    "hand_gradients",
    _check_hand_gradients,
    hints=[
        "Name the inner node: d = x*y + z. Compute d first, then L = d ** 2, then go "
        "backwards starting from dL/dL = 1.",
        "dL/dd = 2 * d (the local derivative of ** 2). The + passes dL/dd unchanged to "
        "z and to x*y; the * then multiplies it by the other input.",
        "d = 2*3 - 4 = 2, so dL/dd = 4. Then dL/dz = 4, dL/dx = 4 * y, dL/dy = 4 * x.",
    ],
    solution=(
        "answer = (12.0, 8.0, 4.0)\n\n"
        "d = x*y + z = 2*3 - 4 = 2 and L = d**2 = 4.\n"
        "dL/dd = 2*d = 4\n"
        "dL/dz = dL/dd * 1 = 4           (+ passes the gradient through)\n"
        "dL/dx = dL/dd * y = 4 * 3 = 12  (* swaps: the other input times the gradient)\n"
        "dL/dy = dL/dd * x = 4 * 2 = 8"
    ),
)


# ---------------------------------------------------------------- 2. div_backward

# (a, b, upstream gradient, a.grad before, b.grad before): upstream gradients other
# than 1 and gradients already present, so that forgetting `* grad` or writing `=`
# instead of `+=` gives a different number
_DIV_CASES = [
    (6.0, -2.0, 0.5, 0.25, -1.0),
    (-1.5, 4.0, -3.0, 2.0, 0.5),
    (2.0, 0.5, 2.5, -0.75, 1.5),
]


def _div_shares(a: float, b: float, grad: float) -> tuple[float, float]:
    """What out = a / b adds to a.grad and b.grad for an upstream gradient `grad`."""
    return grad / b, -a / b**2 * grad  # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2


def _check_div_backward(fn: Callable[..., Any]) -> Verdict:
    if not callable(fn):
        return Verdict(False, f"expected a function, got {type(fn).__name__} {fn!r}")
    for a_data, b_data, grad, a_before, b_before in _DIV_CASES:
        a, b = Value(a_data, label="a"), Value(b_data, label="b")
        a.grad, b.grad = a_before, b_before
        fn(a, b, grad)
        if (a.data, b.data) != (a_data, b_data):
            return Verdict(False, "your function changed a.data or b.data; a backward "
                           "rule only adds to .grad.")
        share_a, share_b = _div_shares(a_data, b_data, grad)
        case = (f"with a = {a_data:g}, b = {b_data:g}, upstream grad = {grad:g}, "
                f"a.grad = {a_before:g} and b.grad = {b_before:g} before")
        got = (a.grad, b.grad)
        if close(got[0], share_a, 1e-9).correct and close(got[1], share_b, 1e-9).correct:
            return Verdict(False, f"{case}, your rule left a.grad = {a.grad:g} and "
                           f"b.grad = {b.grad:g}: the gradients that were already "
                           "there are gone. Add with `+=` instead of assigning with `=`.")
        unit_a, unit_b = _div_shares(a_data, b_data, 1.0)
        if close(got[0], a_before + unit_a, 1e-9).correct or close(
            got[1], b_before + unit_b, 1e-9
        ).correct:
            return Verdict(False, f"{case}, you added the local derivative alone. The "
                           "chain rule multiplies it by the upstream gradient `grad`.")
        for name, value, want in (("a", got[0], a_before + share_a),
                                  ("b", got[1], b_before + share_b)):
            if not close(value, want, 1e-9).correct:
                return Verdict(False, f"{case}, {name}.grad became {value:g} instead "
                               f"of {want:g}.")
    return Verdict(True, "Local derivative times upstream gradient, accumulated with +=.")


div_backward = Exercise(
    "div_backward",
    _check_div_backward,
    hints=[
        "Two lines, one per input, each of the shape "
        "`x.grad += (d out / d x) * grad`.",
        "For out = a / b: d out/d a = 1 / b, and d out/d b = -a / b**2 "
        "(the derivative of 1/b is -1/b**2). Use the numbers a.data and b.data.",
        "a.grad += (1 / b.data) * grad, and b's line has -a.data / b.data**2 in place "
        "of 1 / b.data.",
    ],
    solution=(
        "def div_backward(a, b, grad):\n"
        "    a.grad += (1 / b.data) * grad             # d(a/b)/da = 1/b\n"
        "    b.grad += (-a.data / b.data**2) * grad    # d(a/b)/db = -a/b**2\n\n"
        "Each input gets local derivative times upstream gradient (the chain rule), "
        "added with += so a gradient from another use of a or b is kept."
    ),
)


# ------------------------------------------------------------------ 3. reuse_grad


def reuse_grad_graph() -> tuple[Value, Value]:
    """The exercise's graph: b = a * a; c = b + a; d = c * 2, with a = 3. Returns (a, d)."""
    a = Value(3.0, label="a")
    b = a * a
    c = b + a
    d = c * 2
    return a, d


def _check_reuse_grad(answer: object) -> Verdict:
    a, d = reuse_grad_graph()
    d.backward()
    if isinstance(answer, Value):
        answer = answer.data
    x = a.data
    wrong = {
        2 * 2 * x: "that is only the path through a * a; a also reaches c directly "
                   "through + a, and the paths add up.",
        2 * (x + 1): "a * a uses a twice: its local derivative is 2a, not a.",
        2 * x + 1: "you left out the last step, d = c * 2, which doubles everything.",
    }
    for value, message in wrong.items():
        if isinstance(answer, (int, float)) and not isinstance(answer, bool) and (
            abs(answer - value) < 1e-9
        ):
            return Verdict(False, message)
    return close(answer, a.grad, 1e-9)


reuse_grad = Exercise(
    "reuse_grad",
    _check_reuse_grad,
    hints=[
        "List every path from a to d. Each use of a is its own edge: a * a has two "
        "edges from a, and + a is a third.",
        "dd/dc = 2, and c passes it unchanged to b and to a. Then b = a * a sends "
        "a * 2 back along each of its two edges.",
        "2 * (3 + 3) from the two edges into a * a, plus 2 * 1 from + a.",
    ],
    solution=(
        "answer = 14.0\n\n"
        "d = 2 * (a*a + a), so dd/da = 2 * (2a + 1) = 2 * 7 = 14 at a = 3. Backprop "
        "finds it edge by edge: c.grad = 2; b.grad = 2 and a gets 2 from + a; b = a * a "
        "gives a 3 * 2 along each of its two edges, 12 in all; 2 + 12 = 14. Each "
        "contribution is added with +=."
    ),
)
