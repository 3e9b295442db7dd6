"""Exercises for notebook 01, Derivatives as slopes.

    from backproplab.exercises import nb01
    nb01.numerical_gradient.check(numerical_gradient)
    nb01.forward_vs_central.check(answer)
    nb01.partial_slopes.check(answer)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

from . import Exercise, Verdict, as_numbers, close

__all__ = ["numerical_gradient", "forward_vs_central", "partial_slopes"]





# ----------------------------------------- 1. a gradient by central differences


def _cube(x: float) -> float:
    return x**3


# (f, inputs, h, description): one, two and three inputs, with and without curvature
_GRADIENT_CASES: list[tuple[Callable[..., float], tuple[float, ...], float, str]] = [
    (lambda a, b, c: a * b + c, (2.0, -3.0, 10.0), 1e-3, "d = a*b + c at (2, -3, 10)"),
    (_cube, (1.0,), 0.1, "x**3 at x = 1"),
    (lambda a, b: math.sin(a) * b**2, (0.5, -1.5), 0.05, "sin(a) * b**2 at (0.5, -1.5)"),
    (lambda x, y, z: x * y * z + math.exp(y), (1.5, -0.5, 2.0), 0.25,
     "x*y*z + exp(y) at (1.5, -0.5, 2)"),
]


def _central_gradient(f: Callable[..., float], xs: tuple[float, ...], h: float) -> list[float]:
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def _diagnose_gradient(
    got: list[float], f: Callable[..., float], xs: tuple[float, ...], h: float
) -> str:
    """A sentence naming the likely mistake, or "" if none of the usual ones fits."""
    n = len(xs)
    forward = [(f(*[x + h * (j == i) for j, x in enumerate(xs)]) - f(*xs)) / h for i in range(n)]
    if all(math.isclose(g, e, rel_tol=1e-9, abs_tol=1e-12) for g, e in zip(got, forward)):
        return ("That is the forward difference (f(x+h) - f(x)) / h; "
                "the central difference steps to both sides, x - h and x + h.")
    expected = _central_gradient(f, xs, h)
    if all(math.isclose(g, 2 * e, rel_tol=1e-9, abs_tol=1e-12) for g, e in zip(got, expected)):
        return "Each slope is twice too big: x - h and x + h are 2h apart, so divide by 2 * h."
    if all(math.isclose(g, -e, rel_tol=1e-9, abs_tol=1e-12) for g, e in zip(got, expected)):
        return "The signs are flipped: subtract f(... x - h ...) from f(... x + h ...)."
    if n > 1 and math.isclose(got[0], expected[0], rel_tol=1e-9, abs_tol=1e-12):
        return ("The first slope is right and a later one is not: is each nudge undone "
                "before the next input is nudged? Start every nudge from a fresh copy of the inputs.")
    return ""


def _check_numerical_gradient(answer: object) -> Verdict:
    if not callable(answer):
        return Verdict(
            False,
            f"Expected a function numerical_gradient(f, inputs, h), got {type(answer).__name__}.",
        )
    for f, xs, h, name in _GRADIENT_CASES:
        given = list(xs)
        raw = answer(f, given, h)
        if raw is None:
            return Verdict(
                False,
                "Not answered yet: the function returned None. Replace its body `...` "
                "with your code, and remember the `return`.",
            )
        moved = len(given) != len(xs) or not all(
            math.isclose(g, x, rel_tol=1e-12, abs_tol=1e-12) for g, x in zip(given, xs)
        )
        if moved:  # (an in-place nudge that is undone again is fine)
            return Verdict(
                False,
                f"For {name} your function changed the list of inputs it was given "
                f"(to {given}); nudge a copy instead, list(inputs).",
            )
        if isinstance(raw, (str, bytes)) or not hasattr(raw, "__len__") or len(raw) != len(xs):
            return Verdict(
                False,
                f"For {name} it should return a list of {len(xs)} slope(s), one per input, "
                f"got {raw!r}.",
            )
        got = []
        for item in raw:
            data = getattr(item, "data", item)  # a Value counts as its number
            if isinstance(data, bool) or not isinstance(data, numbers.Real):
                return Verdict(False, f"For {name} it returned {raw!r}: expected numbers.")
            got.append(float(data))
        expected = _central_gradient(f, xs, h)
        if all(close(g, e, 1e-9).correct for g, e in zip(got, expected)):
            continue
        shown = ", ".join(f"{g:.6g}" for g in got)
        wanted = ", ".join(f"{e:.6g}" for e in expected)
        where = f"For {name} with h = {h:g} it returned [{shown}], expected [{wanted}]."
        return Verdict(False, f"{where} {_diagnose_gradient(got, f, xs, h)}".rstrip())
    return Verdict(
        True,
        "For d = a*b + c it gives [-3, 2, 1], the partial slopes from this notebook. "
        "The engine has the same function, `numerical_gradient`, used from notebook 02 on "
        "to check every gradient.",
    )


numerical_gradient = Exercise(
    "A gradient by central differences",
    _check_numerical_gradient,
    hints=[
        "Loop over the inputs by position i. For each one, make two copies of the inputs: "
        "one with input i raised by h, one with it lowered by h.",
        "f takes the inputs as separate arguments, so call f(*up) and f(*down). The slope "
        "for input i is (f(*up) - f(*down)) / (2 * h).",
        "up = list(inputs); up[i] += h; down = list(inputs); down[i] -= h; "
        "grads.append((f(*up) - f(*down)) / (2 * h))",
    ],
    solution=(
        "def numerical_gradient(f, inputs, h):\n"
        "    grads = []\n"
        "    for i in range(len(inputs)):\n"
        "        up = list(inputs)      # fresh copies: only input i moves\n"
        "        down = list(inputs)\n"
        "        up[i] += h\n"
        "        down[i] -= h\n"
        "        grads.append((f(*up) - f(*down)) / (2 * h))\n"
        "    return grads\n"
        "\n"
        "Fresh copies matter: nudging the one list in place, without undoing the nudge,\n"
        "leaves input i moved while the next input is measured."
    ),
)


# --------------------------------------------------- 2. forward vs central errors

_X, _H = 1.0, 0.1
_EXACT = 3 * _X**2  # d/dx x**3 = 3x**2
_FORWARD_ERROR = abs((_cube(_X + _H) - _cube(_X)) / _H - _EXACT)  # 3xh + h**2 = 0.31
_CENTRAL_ERROR = abs((_cube(_X + _H) - _cube(_X - _H)) / (2 * _H) - _EXACT)  # h**2 = 0.01


def _check_forward_vs_central(answer: object) -> Verdict:
    values = as_numbers(answer, 2, "(forward_error, central_error)")
    if isinstance(values, Verdict):
        return values
    forward, central = values
    if forward < 0 or central < 0:
        return Verdict(
            False,
            "An error here is a distance, |estimate - exact|, so it is never negative.",
        )
    right_forward = close(forward, _FORWARD_ERROR, 1e-4).correct
    right_central = close(central, _CENTRAL_ERROR, 1e-4).correct
    if right_forward and right_central:
        return Verdict(
            True,
            f"The central difference is {_FORWARD_ERROR / _CENTRAL_ERROR:.0f} times closer. "
            "Halve h and the forward error roughly halves, the central error quarters.",
        )
    if close(forward, _CENTRAL_ERROR, 1e-4).correct and close(central, _FORWARD_ERROR, 1e-4).correct:
        return Verdict(False, "The two errors are swapped: forward comes first.")
    for got, estimate_kind in ((forward, "forward"), (central, "central")):
        if abs(got - _EXACT) < 1:  # about 3.3 or 3.0: an estimate, not its error
            return Verdict(
                False,
                f"{got:g} looks like the {estimate_kind} estimate itself; the error is how "
                f"far the estimate is from the exact slope 3 * x**2 = {_EXACT:g}.",
            )
    wrong = [name for name, ok in (("forward", right_forward), ("central", right_central)) if not ok]
    return Verdict(False, f"The {' and '.join(wrong)} error is not right yet.")


forward_vs_central = Exercise(
    "Forward vs central difference",
    _check_forward_vs_central,
    hints=[
        "The exact slope of x**3 at x = 1 is 3 * 1**2 = 3. Compute each estimate with "
        "h = 0.1, then its distance from 3.",
        "forward = (f(1.1) - f(1)) / 0.1 and central = (f(1.1) - f(0.9)) / 0.2; "
        "the errors are abs(forward - 3) and abs(central - 3).",
        "The forward estimate is 3.31 and the central one 3.01.",
    ],
    solution=(
        "f = lambda x: x**3\n"
        "forward = (f(1.1) - f(1.0)) / 0.1          # 3.31\n"
        "central = (f(1.1) - f(0.9)) / (2 * 0.1)    # 3.01\n"
        "answer = (abs(forward - 3), abs(central - 3))   # (0.31, 0.01)\n"
        "\n"
        "By algebra the forward error is 3xh + h**2 = 0.31 and the central error h**2 = 0.01:\n"
        "the forward error shrinks like h, the central error like h**2."
    ),
)


# ---------------------------------------------------------- 3. partial slopes

_A, _B, _C = 2.0, -3.0, 10.0
_PARTIALS = (_B**2 + _C, 2 * _A * _B, _A)  # f = a*b**2 + c*a: (19, -12, 2)


def _check_partial_slopes(answer: object) -> Verdict:
    values = as_numbers(answer, 3, "(df/da, df/db, df/dc)")
    if isinstance(values, Verdict):
        return values
    names = ("df/da", "df/db", "df/dc")
    wrong = [
        (name, got, want)
        for name, got, want in zip(names, values, _PARTIALS)
        if not close(got, want, 1e-3).correct
    ]
    if not wrong:
        return Verdict(
            True,
            "Nudging a by a small h moves f by about 19 h, b by about -12 h, c by about 2 h.",
        )
    name, got, want = wrong[0]
    if name == "df/da" and close(got, _B**2, 1e-3).correct:
        return Verdict(False, "df/da: a appears twice in f, in a*b**2 and in c*a; count both.")
    if close(got, -want, 1e-3).correct:
        return Verdict(False, f"{name}: the sign is flipped.")
    if close(got, want, 0.05).correct:
        return Verdict(
            False,
            f"{name} = {got:g} is close but not close enough: if you nudged, use a "
            "smaller h (such as 1e-6), or work out the exact value by hand.",
        )
    return Verdict(False, f"{name} = {got:g} is not right yet.")


partial_slopes = Exercise(
    "Partial slopes",
    _check_partial_slopes,
    hints=[
        "Nudge one input at a time by a small h, keep the other two fixed, and divide "
        "the change in f by h.",
        "By hand: treat the other inputs as constants. For df/da, f = a * (b**2 + c).",
        "df/da = b**2 + c, df/db = 2*a*b, df/dc = a. Put in a = 2, b = -3, c = 10.",
    ],
    solution=(
        "f = lambda a, b, c: a * b**2 + c * a\n"
        "h = 1e-6\n"
        "base = f(2, -3, 10)\n"
        "answer = ((f(2 + h, -3, 10) - base) / h,    # b**2 + c = 19\n"
        "          (f(2, -3 + h, 10) - base) / h,    # 2*a*b    = -12\n"
        "          (f(2, -3, 10 + h) - base) / h)    # a        = 2"
    ),
)
