"""Exercises for notebook 05, A neuron.

- `neuron_by_hand`: a neuron's output and d(loss)/d(w1) when the loss is 3 * o
- `sigmoid_derivative`: write the sigmoid's derivative as a function of x
- `tanh_from_exp`: build tanh out of `exp`, `+`, `-` and `/` so backward() still works
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..engine import Value, topological_order
from . import Exercise, Verdict, close

__all__ = ["neuron_by_hand", "sigmoid_derivative", "tanh_from_exp"]

# what a function answer whose body is still `...` gets (it returns None)
_NOT_ANSWERED = (
    "Not answered yet: your function returned None. Replace its body `...` with your "
    "code (and a `return`)."
)

# ------------------------------------------------------------------ neuron_by_hand

# the exercise's neuron: o = tanh(w1*x1 + w2*x2 + b), and the loss is L = 3 * o
_NEURON = {"x1": 2.0, "x2": -1.0, "w1": 0.5, "w2": -0.5, "b": -0.25}
_UPSTREAM = 3.0  # dL/do for L = 3 * o


def _neuron_reference() -> tuple[float, float, float]:
    """(o, dL/dw1, dL/dn) computed by the engine, for the feedback messages."""
    v = {name: Value(x, label=name) for name, x in _NEURON.items()}
    n = v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]
    o = n.tanh()
    loss = _UPSTREAM * o
    loss.backward()
    return o.data, v["w1"].grad, n.grad


def _check_neuron(o: object, dl_dw1: object) -> Verdict:
    o_true, dw1_true, dn_true = _neuron_reference()
    output = close(o, o_true)
    if not output.correct:
        n = _NEURON
        return Verdict(
            False,
            f"o: {output.message}. First the sum n = w1*x1 + w2*x2 + b "
            f"= {n['w1']}*{n['x1']} + ({n['w2']})*({n['x2']}) + ({n['b']}), "
            "then o = tanh(n).",
        )
    grad = close(dl_dw1, dw1_true)
    if grad.correct:
        return Verdict(True, f"o = {o_true:.4f} and dL/dw1 = {dw1_true:.4f}.")
    got = getattr(dl_dw1, "data", dl_dw1)
    if close(got, dw1_true / _UPSTREAM).correct:
        return Verdict(
            False,
            "o is right. Your gradient is do/dw1, but the loss is L = 3 * o: "
            "the upstream gradient dL/do = 3 multiplies everything below o.",
        )
    if close(got, dn_true).correct:
        return Verdict(
            False,
            "o is right. Your gradient is dL/dn; one more step down the graph: "
            "n contains w1 * x1, so multiply by x1.",
        )
    return Verdict(
        False,
        "o is right, dL/dw1 is not yet. Walk back from L: dL/do, then do/dn, "
        "then dn/dw1, and multiply.",
    )


neuron_by_hand = Exercise(
    "A neuron by hand",
    _check_neuron,
    hints=[
        "Forward first: n = w1*x1 + w2*x2 + b, then o = tanh(n) (math.tanh). "
        "Backward: dL/dw1 = dL/do * do/dn * dn/dw1.",
        "dL/do = 3 because L = 3 * o. do/dn = 1 - o**2 (the tanh derivative). "
        "dn/dw1 = x1 (the + passes the gradient on, the * multiplies by the other factor).",
        "n = 0.5*2.0 + (-0.5)*(-1.0) - 0.25 = 1.25, o = math.tanh(1.25), "
        "dL_dw1 = 3 * (1 - o**2) * 2.0",
    ],
    solution=(
        "n = 0.5 * 2.0 + (-0.5) * (-1.0) + (-0.25)   # 1.25\n"
        "o = math.tanh(n)                             # 0.8483\n"
        "dL_dw1 = 3 * (1 - o**2) * 2.0                # dL/do * do/dn * dn/dw1 = 1.6825\n"
        "\n"
        "Check it with the engine:\n"
        "x1, x2, w1, w2, b = Value(2.0), Value(-1.0), Value(0.5), Value(-0.5), Value(-0.25)\n"
        "loss = 3 * (x1*w1 + x2*w2 + b).tanh()\n"
        "loss.backward(); print(w1.grad)"
    ),
)

# -------------------------------------------------------------- sigmoid_derivative

# where the check evaluates the learner's function: both tails, the middle, zero
_SIGMOID_POINTS = (-4.0, -1.5, -0.3, 0.0, 0.8, 2.0, 5.0)


def _sigmoid_slope(x: float) -> float:
    """The sigmoid's slope at x, from the engine's own backward pass."""
    v = Value(x)
    v.sigmoid().backward()
    return v.grad


def _check_sigmoid_derivative(f: Callable[[float], float]) -> Verdict:
    if not callable(f):
        return Verdict(False, f"expected a function of x, got {type(f).__name__} {f!r}")
    for x in _SIGMOID_POINTS:
        got = f(x)
        if got is None:
            return Verdict(False, _NOT_ANSWERED)
        verdict = close(got, _sigmoid_slope(x), tolerance=1e-6)
        if not verdict.correct:
            return Verdict(
                False,
                f"at x = {x} your function returns {getattr(got, 'data', got)!r}, "
                "which is not the sigmoid's slope there.",
            )
    return Verdict(True, f"it matches the slope at x = {', '.join(map(str, _SIGMOID_POINTS))}.")


sigmoid_derivative = Exercise(
    "The sigmoid's derivative",
    _check_sigmoid_derivative,
    hints=[
        "Like tanh, the sigmoid's derivative can be written with the sigmoid's own "
        "output s = 1 / (1 + math.exp(-x)).",
        "The derivative is s * (1 - s): largest (0.25) at x = 0, tiny in both tails.",
    ],
    solution=(
        "def sigmoid_prime(x):\n"
        "    s = 1 / (1 + math.exp(-x))\n"
        "    return s * (1 - s)"
    ),
)

# ------------------------------------------------------------------ tanh_from_exp

# where the check evaluates the learner's tanh, and the upstream gradient it sends back
_TANH_POINTS = (-2.0, -0.4, 0.3, 1.1)
_TANH_UPSTREAM = 2.5


def _check_tanh_from_exp(f: Callable[[Value], Value]) -> Verdict:
    if not callable(f):
        return Verdict(False, f"expected a function of a Value, got {type(f).__name__} {f!r}")
    for x in _TANH_POINTS:
        n = Value(x, label="n")
        out = f(n)
        if out is None:
            return Verdict(False, _NOT_ANSWERED)
        if not isinstance(out, Value):
            return Verdict(
                False,
                f"for n = Value({x}) your function returned {type(out).__name__} {out!r}; "
                "it must return a Value built from n, so that backward() can reach n.",
            )
        ops = {node._op for node in topological_order(out)}
        if "tanh" in ops:
            return Verdict(False, "your graph uses the tanh op itself; build it from exp instead.")
        if "exp" not in ops:
            return Verdict(False, "your graph has no exp node; use n.exp() (or (2*n).exp()).")
        if n not in topological_order(out):
            return Verdict(False, "your result does not depend on n; build it from n's Value.")
        value = close(out.data, math.tanh(x), tolerance=1e-9)
        if not value.correct:
            return Verdict(
                False,
                f"for n = {x} your function gives {out.data:.6f}, tanh gives "
                f"{math.tanh(x):.6f}. Check the exponent: tanh uses e**(2n).",
            )
        out.backward(_TANH_UPSTREAM)
        expected = _TANH_UPSTREAM * (1 - math.tanh(x) ** 2)
        if not close(n.grad, expected, tolerance=1e-6).correct:
            return Verdict(
                False,
                f"the value is right but the gradient reaching n is {n.grad:.6f} "
                f"(expected {expected:.6f} for an upstream gradient of {_TANH_UPSTREAM}): "
                "is every step a Value operation on n, with no plain-float detour?",
            )
    return Verdict(True, "same values and same gradients as n.tanh(), from a bigger graph.")


tanh_from_exp = Exercise(
    "tanh from exp",
    _check_tanh_from_exp,
    hints=[
        "tanh(n) = (e**(2n) - 1) / (e**(2n) + 1). Every piece must be a Value operation "
        "on n: Value has exp(), and numbers combine with Values by +, -, * and /.",
        "Compute e = (2 * n).exp() once, then return (e - 1) / (e + 1).",
    ],
    solution=(
        "def my_tanh(n):\n"
        "    e = (2 * n).exp()\n"
        "    return (e - 1) / (e + 1)"
    ),
)
