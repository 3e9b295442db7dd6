"""Exercises for notebook 01, Derivatives as slopes.

    from backproplab.exercises import nb01
    nb01.central_difference.check(central_difference)
    nb01.forward_vs_central.check(answer)
    nb01.partial_slopes.check(answer)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

from . import Exercise, Verdict, close

__all__ = ["central_difference", "forward_vs_central", "partial_slopes"]


def _numbers(answer: object, count: int, names: str) -> list[float] | Verdict:
    """The answer as `count` floats, or a Verdict saying what shape was expected."""
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        return Verdict(
            False, f"Expected a tuple of {count} numbers {names}, got {type(answer).__name__}."
        )
    if len(answer) != count:
        return Verdict(
            False, f"Expected {count} numbers {names}, got {len(answer)} of them."
        )
    values = []
    for item in answer:
        data = getattr(item, "data", item)  # a Value counts as its number
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            return Verdict(False, f"Expected numbers {names}, got {type(item).__name__} {item!r}.")
        if not math.isfinite(data):
            return Verdict(False, f"Expected finite numbers, got {data!r}.")
        values.append(float(data))
    return values


# ------------------------------------------------------- 1. the central difference


def _parabola(x: float) -> float:
    return 3 * x**2 - 4 * x + 5


def _cube(x: float) -> float:
    return x**3


_CENTRAL_CASES: list[tuple[Callable[[float], float], float, float, str]] = [
    (_parabola, 3.0, 0.5, "f(x) = 3x**2 - 4x + 5"),
    (_cube, 1.0, 0.1, "x**3"),
    (math.sin, 0.5, 0.2, "math.sin"),
    (math.exp, -1.0, 0.25, "math.exp"),
]


def _check_central_difference(answer: object) -> Verdict:
    if not callable(answer):
        return Verdict(
            False,
            f"Expected a function central_difference(f, x, h), got {type(answer).__name__}.",
        )
    for f, x, h, name in _CENTRAL_CASES:
        expected = (f(x + h) - f(x - h)) / (2 * h)
        got = answer(f, x, h)
        if got is None:
            return Verdict(
                False,
                "Not answered yet: the function returned None. Replace its body `...` "
                "with your code, and remember the `return`.",
            )
        data = getattr(got, "data", got)  # a Value counts as its number
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            return Verdict(
                False, f"It should return a number, but returned {type(got).__name__} {got!r}."
            )
        got = float(data)
        if close(got, expected, 1e-9).correct:
            continue
        where = (
            f"For {name} at x = {x:g} with h = {h:g} it returned {got:.6g}, "
            f"expected {expected:.6g}"
        )
        forward = (f(x + h) - f(x)) / h
        if math.isclose(got, forward, rel_tol=1e-9):
            return Verdict(
                False,
                f"{where}. That is the forward difference (f(x+h) - f(x)) / h; "
                "the central difference steps to both sides, x - h and x + h.",
            )
        if math.isclose(got, 2 * expected, rel_tol=1e-9):
            return Verdict(
                False,
                f"{where}, twice too big. x - h and x + h are 2h apart, so divide by 2 * h.",
            )
        if math.isclose(got, -expected, rel_tol=1e-9):
            return Verdict(False, f"{where}: the sign is flipped. Subtract f(x - h) from f(x + h).")
        return Verdict(False, f"{where}.")
    return Verdict(
        True,
        "For the parabola at x = 3 it gives exactly 14 even with h = 0.5: "
        "a central difference has no error at all on a quadratic.",
    )


central_difference = Exercise(
    "Central difference",
    _check_central_difference,
    hints=[
        "The forward difference looks from x to x + h. The central one looks from x - h "
        "to x + h, so x sits in the middle.",
        "Slope = rise / run. The rise is f(x + h) - f(x - h). What is the run, the "
        "distance between x - h and x + h?",
        "return (f(x + h) - f(x - h)) / (2 * h)",
    ],
    solution=(
        "def central_difference(f, x, h):\n"
        "    return (f(x + h) - f(x - h)) / (2 * h)\n"
        "\n"
        "The run from x - h to x + h is 2h, so the rise is divided by 2 * h."
    ),
)


# --------------------------------------------------- 2. forward vs central errors

_X, _H = 1.0, 0.1
_EXACT = 3 * _X**2  # d/dx x**3 = 3x**2
_FORWARD_ERROR = abs((_cube(_X + _H) - _cube(_X)) / _H - _EXACT)  # 3xh + h**2 = 0.31
_CENTRAL_ERROR = abs((_cube(_X + _H) - _cube(_X - _H)) / (2 * _H) - _EXACT)  # h**2 = 0.01


def _check_forward_vs_central(answer: object) -> Verdict:
    values = _numbers(answer, 2, "(forward_error, central_error)")
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
    values = _numbers(answer, 3, "(df/da, df/db, df/dc)")
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
