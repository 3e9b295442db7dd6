"""Exercises for notebook 01, Derivatives as slopes.

    from backproplab.exercises import nb01
    nb01.numerical_gradient.check(numerical_gradient)
    nb01.forward_vs_central.check(answer)
    nb01.partial_slopes.check(answer)
    nb01.choosing_h.check(answer)
"""

from __future__ import annotations

import math
from collections.abc import Callable

from . import (AnswerForm, Exercise, Verdict, call, close, describe, need_function, read_number,
               read_numbers, same)
from .variants import Variant, distinct

__all__ = ["numerical_gradient", "forward_vs_central", "partial_slopes", "choosing_h"]





# ----------------------------------------- 1. a gradient by central differences


# the functions the check hands to numerical_gradient (named, so that an error message
# about calling one reads d_of(), not <lambda>())
def d_of(a: float, b: float, c: float) -> float:
    return a * b + c


def cube(x: float) -> float:
    return x**3


def wave(a: float, b: float) -> float:
    return math.sin(a) * b**2


def product_and_exp(x: float, y: float, z: float) -> float:
    return x * y * z + math.exp(y)


# (f, inputs, h, description): one, two and three inputs, with and without curvature
_GRADIENT_CASES: list[tuple[Callable[..., float], tuple[float, ...], float, str]] = [
    (d_of, (2.0, -3.0, 10.0), 1e-3, "d = a*b + c at (2, -3, 10)"),
    (cube, (1.0,), 0.1, "x**3 at x = 1"),
    (wave, (0.5, -1.5), 0.05, "sin(a) * b**2 at (0.5, -1.5)"),
    (product_and_exp, (1.5, -0.5, 2.0), 0.25, "x*y*z + exp(y) at (1.5, -0.5, 2)"),
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
    if n > 1 and all(math.isclose(g, e, rel_tol=1e-9, abs_tol=1e-12)
                     for g, e in zip(got, reversed(expected))):
        return "The slopes are in reverse order: the first one belongs to the first input."
    if all(math.isclose(g, f(*xs), rel_tol=1e-9, abs_tol=1e-12) for g in got):
        return "That is the value f(inputs), not a slope: divide the change in f by 2 * h."
    if n > 1 and math.isclose(got[0], expected[0], rel_tol=1e-9, abs_tol=1e-12):
        return ("The first slope is right and a later one is not: is each nudge undone "
                "before the next input is nudged? Start every nudge from a fresh copy of the inputs.")
    return ""


_SHOWN = "numerical_gradient(f, inputs, h)"


def _check_numerical_gradient(answer: object) -> Verdict:
    fn = need_function(answer, _SHOWN)
    # The first case is the notebook's own d = a*b + c, whose result [-3, 2, 1] is shown
    # there: an answer hard-coded from it fails the other three.
    for f, xs, h, name in _GRADIENT_CASES:
        given = list(xs)
        raw = call(fn, (f, given, h), _SHOWN)
        moved = len(given) != len(xs) or not all(
            isinstance(g, (int, float)) and close(g, x, 1e-12) for g, x in zip(given, xs)
        )
        if moved:  # (an in-place nudge that is undone again is fine)
            return Verdict(
                False,
                f"For {name} your function changed the list of inputs it was given; "
                "nudge a copy instead, list(inputs).",
            )
        got = read_numbers(raw, [f"the slope for input {i + 1}" for i in range(len(xs))],
                           f"what your function returned for {name} (one slope per input)")
        expected = _central_gradient(f, xs, h)
        if same(got, expected, 1e-6):  # (slips differ by far more; float32 passes)
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


def _numerical_gradient_error(error: BaseException) -> str | None:
    """The likely cause of an error in numerical_gradient: f called with a list."""
    if isinstance(error, TypeError) and "positional argument" in str(error):
        return "f takes the inputs as separate arguments: call f(*up), not f(up)."
    return None


numerical_gradient = Exercise(
    "A gradient by central differences",
    _check_numerical_gradient,
    hints=[
        "Loop over the inputs by position i. For each one, make two copies of the inputs: "
        "one with input i raised by h, one with it lowered by h.",
        "The central slope for input i is (f(inputs with i raised) - f(inputs with i "
        "lowered)) / (2 * h). f takes the inputs as separate arguments: f(*up) unpacks a list.",
        "Inside the loop: up = list(inputs) and up[i] += h. Make `down` the same way, then "
        "append the slope for input i; return the list after the loop.",
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
    expects=f"a function {_SHOWN} returning one slope per input",
    on_error=_numerical_gradient_error,
    usage="check(numerical_gradient)",
)


# --------------------------------------------------- 2. forward vs central errors

# x = 1, h = 0.1 for f = x**3. The slips each give a different pair: the estimates
# themselves (3.31, 3.01), the two errors swapped, 3xh alone (0.3, forgetting h**2), a
# central error of 0 ("central is exact", true for quadratics only), relative errors
# (divided by 3). A student's own x and h keep these apart too (x > 0, h at most 0.2).
def _estimates(x: float, h: float) -> tuple[float, float]:
    """(forward estimate, central estimate) of the slope of x**3 at x with step h."""
    return (cube(x + h) - cube(x)) / h, (cube(x + h) - cube(x - h)) / (2 * h)


def _forward_central_derived(n: dict) -> dict:
    exact = 3 * n["x"] ** 2
    forward, central = _estimates(n["x"], n["h"])
    return {"exact": exact, "fe": forward, "ce": central, "ferr": abs(forward - exact),
            "cerr": abs(central - exact)}


def _forward_central_valid(n: dict) -> bool:
    d = _forward_central_derived(n)
    return distinct(d["ferr"], d["cerr"], d["ferr"] / d["exact"], d["cerr"] / d["exact"],
                    gap=1e-3) and d["exact"] - d["fe"] < -1e-3


_FORWARD_CENTRAL = Variant(
    {"x": 1.0, "h": 0.1},
    lambda rng: {"x": rng.choice((1.5, 2.0, 2.5, 3.0, 0.5)), "h": rng.choice((0.2, 0.1, 0.05))},
    lambda n: f"f(x) = x**3 at x = {n['x']:g}, h = {n['h']:g}",
    valid=_forward_central_valid, derived=_forward_central_derived,
)


def _errors() -> tuple[float, float, float]:
    """(exact slope, forward error, central error) for x**3 at this student's x and h."""
    d = _forward_central_derived(_FORWARD_CENTRAL.numbers())
    return d["exact"], d["ferr"], d["cerr"]  # 3x**2; 3xh + h**2; h**2


def _check_forward_vs_central(answer: object) -> Verdict:
    forward, central = read_numbers(answer, ("forward_error", "central_error"))
    exact, right_forward, right_central = _errors()
    estimates = _estimates(*_FORWARD_CENTRAL.numbers().values())
    if forward < 0 or central < 0:
        return Verdict(
            False,
            "An error here is a distance, |estimate - exact|, so it is never negative.",
        )
    ok_forward = close(forward, right_forward, 1e-4)
    ok_central = close(central, right_central, 1e-4)
    if ok_forward and ok_central:
        return Verdict(
            True,
            f"The central difference is {right_forward / right_central:.0f} times closer. "
            "Halve h and the forward error roughly halves, the central error quarters.",
        )
    if close(forward, right_central, 1e-4) and close(central, right_forward, 1e-4):
        return Verdict(False, "The two errors are swapped: the forward error comes first.")
    for got, kind, estimate in ((forward, "forward", estimates[0]),
                                (central, "central", estimates[1])):
        if abs(got - exact) < 1 or close(got, estimate, 1e-4):  # an estimate, not its error
            return Verdict(
                False,
                f"{got:g} looks like the {kind} estimate itself; the error is how far the "
                f"estimate is from the exact slope 3 * x**2 = {exact:g}.",
            )
    if close(forward, right_forward / exact, 1e-3) and close(central, right_central / exact, 1e-3):
        return Verdict(False, f"Those are relative errors (divided by the exact slope "
                              f"{exact:g}); the exercise asks for the plain distance "
                              f"|estimate - {exact:g}|.")
    if not ok_forward and not ok_central:
        return Verdict(False, "Neither error is right yet.")
    return Verdict(False, f"The {'forward' if not ok_forward else 'central'} error is not "
                          "right yet.")


forward_vs_central = Exercise(
    "Forward vs central difference",
    _check_forward_vs_central,
    hints=[
        "The exact slope of x**3 at x = {x} is 3 * {x}**2 = {exact}. Compute each estimate "
        "with h = {h}, then its distance from {exact}.",
        "forward estimate = (f(x + h) - f(x)) / h, central estimate = "
        "(f(x + h) - f(x - h)) / (2 * h); an error is abs(estimate - exact).",
        "The forward estimate is {fe}. Work out the central one the same way.",
    ],
    solution=(
        "f = lambda x: x**3\n"
        "x, h = {x}, {h}\n"
        "forward = (f(x + h) - f(x)) / h              # {fe}\n"
        "central = (f(x + h) - f(x - h)) / (2 * h)    # {ce}\n"
        "answer = (abs(forward - {exact}), abs(central - {exact}))   # ({ferr}, {cerr})\n"
        "\n"
        "By algebra the forward error is 3xh + h**2 = {ferr} and the central error h**2 = {cerr}:\n"
        "the forward error shrinks like h, the central error like h**2."
    ),
    expects="two numbers (forward_error, central_error)",
    usage="check(answer)",
    variant=_FORWARD_CENTRAL,
)


# ---------------------------------------------------------- 3. partial slopes

# f = a*b**2 + c*a at a = 2, b = -3, c = 10: (b**2 + c, 2ab, a) = (19, -12, 2). The point
# separates the slips: forgetting c*a gives df/da = b**2 = 9, a sign slip in 2ab gives
# 12, c's value instead of its slope gives 10, and the order (a, b, c) mixed up moves 19.
# A student's own point keeps all of these apart (a draw where two coincide is redrawn).
def _f(a: float, b: float, c: float) -> float:
    return a * b**2 + c * a


def _partials_at(n: dict) -> dict:
    a, b, c = n["a"], n["b"], n["c"]
    return {"da": b**2 + c, "db": 2 * a * b, "dc": a}


def _partials_valid(n: dict) -> bool:
    d = _partials_at(n)
    a, b, c = n["a"], n["b"], n["c"]
    return distinct(d["da"], d["db"], d["dc"], -d["da"], -d["db"], -d["dc"], b**2, c, 0.0,
                    gap=0.1)


_POINT = Variant(
    {"a": 2.0, "b": -3.0, "c": 10.0},
    lambda rng: {"a": float(rng.choice((-3, -2, 2, 3, 4))), "b": float(rng.choice((-4, -3, 3, 4, 5))),
                 "c": float(rng.choice((-7, -5, 5, 6, 7, 8, 9, 11)))},
    lambda n: f"f = a*b**2 + c*a at a = {n['a']:g}, b = {n['b']:g}, c = {n['c']:g}",
    valid=_partials_valid, derived=_partials_at,
)


def _partials() -> tuple[float, float, float]:
    """The exact partial slopes at this student's point (computed, never stored)."""
    return tuple(_partials_at(_POINT.numbers()).values())  # type: ignore[return-value]


def _check_partial_slopes(answer: object) -> Verdict:
    names = ("df/da", "df/db", "df/dc")
    values = read_numbers(answer, names)
    a, b, c = _POINT.numbers().values()
    truth = _partials()
    wrong = [(n, g, w) for n, g, w in zip(names, values, truth) if not close(g, w, 1e-4)]
    if not wrong:
        return Verdict(
            True,
            f"Nudging a by a small h moves f by about {truth[0]:g} h, b by about "
            f"{truth[1]:g} h, c by about {truth[2]:g} h.",
        )
    if same(sorted(values), sorted(truth), 1e-4):
        return Verdict(False, "The right three numbers, in the wrong order: "
                              "(df/da, df/db, df/dc).")
    name, got, want = wrong[0]
    if name == "df/da" and close(got, b**2, 1e-3):
        return Verdict(False, "df/da: a appears twice in f, in a*b**2 and in c*a; count both.")
    if name == "df/dc" and close(got, c, 1e-3):
        return Verdict(False, "df/dc: that is c's value; the slope is how much f moves per "
                              "unit of c, the factor c is multiplied by.")
    if close(got, -want, 1e-3):
        return Verdict(False, f"{name}: the sign is flipped.")
    if close(got, want, 0.05):
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
        "By hand: treat the other inputs as constants. For df/da, f = a * (b**2 + c); "
        "for df/db, only a*b**2 contains b.",
        "df/da = b**2 + c. Find df/db and df/dc the same way, then put in a = {a}, b = {b}, "
        "c = {c}.",
    ],
    solution=(
        "f = lambda a, b, c: a * b**2 + c * a\n"
        "h = 1e-6\n"
        "base = f({a}, {b}, {c})\n"
        "answer = ((f({a} + h, {b}, {c}) - base) / h,    # b**2 + c = {da}\n"
        "          (f({a}, {b} + h, {c}) - base) / h,    # 2*a*b    = {db}\n"
        "          (f({a}, {b}, {c} + h) - base) / h)    # a        = {dc}"
    ),
    expects="three numbers (df/da, df/db, df/dc)",
    variant=_POINT,
)


# -------------------------------------------------------------- 4. choosing h

# sin at x = 1 in float64: the central error falls like h**2 / 6 * cos(1) down to about
# 1e-11 at h = 1e-5, then rises like eps / h (1e-5 again at h = 1e-12). The best step is
# computed here, on this machine, never stored; its neighbours 1e-4 and 1e-6 are 80 and
# 2.5 times worse.
_STEPS = tuple(10.0**-k for k in range(1, 14))
_CAUSES = {"truncation": "truncation", "round-off": "round-off", "roundoff": "round-off",
           "round off": "round-off", "rounding": "round-off", "rounding error": "round-off",
           "round-off error": "round-off", "truncation error": "truncation"}


def _central_errors() -> list[float]:
    return [abs((math.sin(1.0 + h) - math.sin(1.0 - h)) / (2 * h) - math.cos(1.0)) for h in _STEPS]


def _read_cause(x: object) -> str:
    if x is Ellipsis:
        raise AnswerForm("cause is still `...`: write \"truncation\" or \"round-off\".")
    if not isinstance(x, str):
        raise AnswerForm(f"cause is {describe(x)}; write one of the two words in quotes, "
                         "\"truncation\" or \"round-off\".")
    key = " ".join(x.strip().lower().replace("_", "-").split())
    if key not in _CAUSES:
        raise AnswerForm(f"cause is {x!r}; write \"truncation\" or \"round-off\".")
    return _CAUSES[key]


def _check_choosing_h(answer: object) -> Verdict:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise AnswerForm(f"your answer is {describe(answer)}; give two things, "
                         "(best_h, cause), e.g. (1e-3, \"truncation\").")
    h = read_number(answer[0], "best_h")
    cause = _read_cause(answer[1])
    errors = _central_errors()
    best = min(range(len(_STEPS)), key=errors.__getitem__)
    # steps span 13 decades: compare relatively (`close` is absolute below 1)
    chosen = next((k for k, step in enumerate(_STEPS) if abs(h - step) <= 1e-6 * step), None)
    if chosen is None:
        return Verdict(False, f"best_h = {h:g} is not one of the 13 steps; choose one of "
                              "1e-1, 1e-2, ..., 1e-13 (the list `steps`).")
    if chosen != best:
        here = f"At h = {_STEPS[chosen]:.0e} the error is {errors[chosen]:.1e}, "
        if chosen < best:
            why = ("truncation: a larger h leaves more of the Taylor term (about h**2 / 6 for "
                   "the central difference); try smaller steps.")
        else:
            why = ("round-off: dividing rounding noise by a smaller h makes it larger "
                   "(about eps / h); try larger steps.")
        return Verdict(False, here + "mostly " + why)
    if cause != "round-off":
        return Verdict(False, f"best_h is right ({_STEPS[best]:.0e}). The cause is not: at "
                              "h = 1e-12 truncation is about h**2 / 6 = 2e-25, nothing; what "
                              "grows as h shrinks is round-off, the noise in f(x+h) - f(x-h) "
                              "divided by 2h.")
    return Verdict(True, f"At h = {_STEPS[best]:.0e} the error is {errors[best]:.1e}; at h = 1e-12 "
                         f"it is {errors[11]:.1e}, {errors[11] / errors[best]:.0e} times larger, "
                         "because round-off (about eps / h) has taken over from truncation "
                         "(about h**2).")


choosing_h = Exercise(
    "Choosing h",
    _check_choosing_h,
    hints=[
        "Compute the error for each h in `steps` in a loop and print it next to h; the "
        "smallest one is your best_h.",
        "error = abs((math.sin(1 + h) - math.sin(1 - h)) / (2 * h) - math.cos(1)). "
        "Truncation shrinks as h shrinks; what grows?",
        "min(steps, key=...) picks the h with the smallest error. At h = 1e-12 the "
        "truncation error is about h**2 / 6, far below what you see.",
    ],
    solution=(
        "import math\n"
        "steps = [10.0**-k for k in range(1, 14)]\n"
        "errors = {h: abs((math.sin(1 + h) - math.sin(1 - h)) / (2 * h) - math.cos(1))\n"
        "          for h in steps}\n"
        "best_h = min(errors, key=errors.get)      # 1e-05, error about 1e-11\n"
        "answer = (best_h, \"round-off\")\n"
        "\n"
        "At h = 1e-12 the error is about 1e-5: the rounding noise in sin(1 + h) - sin(1 - h)\n"
        "(about eps = 2.2e-16) divided by 2h. The best h is near the cube root of eps."
    ),
    expects="two things (best_h, cause)",
)
