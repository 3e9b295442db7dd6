"""Exercises for notebook 02, The chain rule.

    from backproplab.exercises import nb02
    nb02.composition_slope.check(answer)
    nb02.reciprocal_backward.check(reciprocal_backward)
    nb02.diamond_paths.check(answer)
"""

from __future__ import annotations

from . import Exercise, Verdict, call, close, need_function, read_number, read_numbers
from .variants import Variant, distinct

__all__ = ["composition_slope", "reciprocal_backward", "diamond_paths"]


# ------------------------------------------------ 1. the slope of a composition

# y = (x**2 + 1)**3 at x = 3: u = 10, dy/du = 3u**2 = 300, du/dx = 2x = 6, dy/dx = 1800.
# x = 3 separates the slips that x = 1 hides (there 2x = 2 and x = x**2): the outer slope
# alone (300), a dropped x in 2x or a dropped 3 in 3u**2 (600), y itself (1000), 3u * 2x
# with u not squared (180), x**2 for 2x (2700). The notebook's worked example,
# (3x + 1)**2 at x = 1, gives 24, which is none of these. A student's own x is drawn
# from those that keep them apart too.
def _composition_at(x: float) -> dict[str, float]:
    u = x**2 + 1
    return {
        "right": 3 * u**2 * 2 * x,
        "outer": 3 * u**2,
        "no x": 3 * u**2 * 2,
        "value": u**3,
        "not squared": 3 * u * 2 * x,
    }


def _composition_derived(n: dict) -> dict:
    x = n["x"]
    u = x**2 + 1
    return {"u": u, "du": 2 * x, "dy_du": 3 * u**2, "answer": 3 * u**2 * 2 * x}


_X1 = Variant(
    {"x": 3.0},
    lambda rng: {"x": float(rng.choice((2, 4, 5, -2, -3, -4)))},
    lambda n: f"y = (x**2 + 1)**3 at x = {n['x']:g}",
    valid=lambda n: distinct(*_composition_at(n["x"]).values(), -_composition_at(n["x"])["right"],
                             24.0),
    derived=_composition_derived,
)


def _composition() -> dict[str, float]:
    return _composition_at(_X1.numbers()["x"])


def _check_composition_slope(answer: object) -> Verdict:
    got = read_number(answer)
    c = _composition()
    d = _X1.format("{dy_du}|{u}|{du}|{answer}|{x}").split("|")
    if close(got, c["right"], 1e-6):
        return Verdict(True, f"dy/du = 3u**2 = {d[0]} at u = {d[1]}, du/dx = 2x = {d[2]}, and "
                             f"{d[0]} * {d[2]} = {d[3]}.")
    if close(got, c["outer"], 1e-6):
        return Verdict(False, f"{got:g} is dy/du, the outer function's slope only. Multiply "
                              "by the inner function's slope du/dx.")
    if close(got, c["no x"], 1e-6):
        return Verdict(False, f"{got:g} is missing a factor: du/dx is 2x (not 2), and "
                              "dy/du is 3u**2 (not u**2).")
    if close(got, c["value"], 1e-6):
        return Verdict(False, f"{got:g} is the value y itself; the question asks for its slope.")
    if close(got, c["not squared"], 1e-6):
        return Verdict(False, f"{got:g} uses 3u for dy/du; the derivative of u**3 is 3u**2.")
    if close(got, -c["right"], 1e-6):
        return Verdict(False, f"The sign is flipped: y {'grows' if c['right'] > 0 else 'falls'} "
                              f"with x at x = {d[4]}.")
    if close(got, 24, 1e-6):
        return Verdict(False, "24 is the notebook's worked example, (3x + 1)**2 at x = 1; "
                              f"this exercise is (x**2 + 1)**3 at x = {d[4]}.")
    if close(got, c["right"], 0.05):
        return Verdict(
            False,
            f"{got:g} is close but not close enough: a forward difference or a large h "
            "leaves an error. Use the exact chain rule, or a central difference with a small h.",
        )
    return Verdict(False, f"{got:g} is not right yet.")


composition_slope = Exercise(
    "The slope of a composition",
    _check_composition_slope,
    hints=[
        "Name the inner function: u = x**2 + 1, so y = u**3. Find each local slope.",
        "dy/dx = dy/du * du/dx: the outer slope, taken at u, times the inner slope, "
        "taken at x. The power rule gives both.",
        "At x = {x}, u = {u} and du/dx = 2 * {x} = {du}. Now dy/du at u = {u}.",
    ],
    solution=(
        "x = {x}\n"
        "u = x**2 + 1           # {u}\n"
        "dy_du = 3 * u**2       # {dy_du}\n"
        "du_dx = 2 * x          # {du}\n"
        "answer = dy_du * du_dx # {answer}\n"
        "\n"
        "Check: f = lambda x: (x**2 + 1)**3; (f(x + 1e-6) - f(x - 1e-6)) / 2e-6 is {answer}.0000..."
    ),
    expects="one number, dy/dx at the exercise's x",
    variant=_X1,
)


# ------------------------------------------- 2. a backward step for y = 1 / x

# (x, dL/dy) pairs: upstream gradients other than 1 (a forgotten upstream fails), of both
# signs (a sign slip fails), x never 1 or -1 (where 1/x, 1/x**2 and x**2 agree up to sign),
# and x != dL/dy (so swapped arguments fail).
# (x = 2 would let 2/x**2 pass for 1/x.)
_BACKWARD_CASES = [(2.5, 3.0), (-0.5, -2.0), (4.0, 0.5), (1.5, -1.2)]
_SHOWN = "reciprocal_backward(x, dL_dy)"


def _check_reciprocal_backward(answer: object) -> Verdict:
    fn = need_function(answer, _SHOWN)
    for x, upstream in _BACKWARD_CASES:
        expected = -upstream / x**2  # dL/dx = dL/dy * dy/dx, with dy/dx = -1/x**2
        got = read_number(call(fn, (x, upstream), _SHOWN),
                          f"what your function returned for x = {x:g}, dL_dy = {upstream:g}")
        if close(got, expected, 1e-6):  # (a float32 result is right too)
            continue
        where = f"With x = {x:g} and dL/dy = {upstream:g} it returned {got:g}, expected {expected:g}."
        if close(got, -1 / x**2, 1e-6):
            return Verdict(False, f"{where} That is the local derivative dy/dx alone: "
                                  "multiply it by the upstream gradient dL/dy.")
        if close(got, -expected, 1e-6):
            return Verdict(False, f"{where} The sign is flipped: 1/x falls as x grows.")
        if close(got, upstream / x, 1e-6) or close(got, -upstream / x, 1e-6):
            return Verdict(False, f"{where} The derivative of 1/x is -1/x**2, not 1/x.")
        if close(got, -x / upstream**2, 1e-6):
            return Verdict(False, f"{where} The two arguments are swapped: the check calls "
                                  f"{_SHOWN}, x first.")
        return Verdict(False, where)
    return Verdict(
        True,
        "Local derivative times upstream gradient: that one line is what every node "
        "does in backpropagation.",
    )


reciprocal_backward = Exercise(
    "A backward step for y = 1/x",
    _check_reciprocal_backward,
    hints=[
        "Two numbers multiply: the local derivative dy/dx and the gradient that arrives "
        "from above, dL/dy.",
        "y = 1/x = x**-1, so by the power rule dy/dx = -1 * x**-2.",
        "Write the local derivative on its own line first, dy_dx = ... (hint 2); the "
        "chain rule then combines it with dL_dy.",
    ],
    solution=(
        "def reciprocal_backward(x, dL_dy):\n"
        "    dy_dx = -1 / x**2        # the local derivative of 1/x\n"
        "    return dL_dy * dy_dx     # chain rule: upstream times local\n"
        "\n"
        "With dL/dy = 1 this is just -1/x**2; the check uses other upstream gradients,\n"
        "so forgetting the `dL_dy *` fails."
    ),
    expects=f"a function {_SHOWN} returning a number",
    usage="check(reciprocal_backward)",
)


# ------------------------------------------------ 3. the sum over paths (diamond)

# x = 4; u = 3x = 12; v = x**2 = 16; L = u * v. via_u = v * 3 = 48, via_v = u * 2x = 96,
# total 144 = 9x**2. x = 4 keeps the slips apart that x = 2 hides (there v = x**2 = 2x,
# so u * v passed for via_v): u * v = 192, u * x = 48 for via_v, the product of the paths
# instead of their sum, one path alone. A student's own x keeps them apart too.
def _paths_at(n: dict) -> dict:
    x = n["x"]
    u, v = 3 * x, x**2
    via_u = v * 3  # dL/du * du/dx
    via_v = u * 2 * x  # dL/dv * dv/dx
    return {"u": u, "v": v, "via_u": via_u, "via_v": via_v, "total": via_u + via_v}


def _paths_valid(n: dict) -> bool:
    p, x = _paths_at(n), n["x"]
    return (distinct(p["via_v"], p["u"] * p["v"], p["u"] * x) and distinct(p["via_u"], p["v"], 3.0)
            and distinct(p["total"], p["via_u"] * p["via_v"], p["via_u"], p["via_v"]))


_X3 = Variant(
    {"x": 4.0},
    lambda rng: {"x": float(rng.choice((3, 5, 6, 7, 8)))},  # never -4: x**2 is 16 there too
    lambda n: f"u = 3x, v = x**2, L = u * v at x = {n['x']:g}",
    valid=_paths_valid, derived=_paths_at,
)


def _paths() -> tuple[float, float, float]:
    p = _paths_at(_X3.numbers())
    return p["via_u"], p["via_v"], p["total"]


def _check_diamond_paths(answer: object) -> Verdict:
    via_u, via_v, total = read_numbers(answer, ("via_u", "via_v", "total"))
    right_u, right_v, right_total = _paths()
    x = _X3.numbers()["x"]
    u, v = 3 * x, x**2
    if close(via_u, right_u, 1e-6) and close(via_v, right_v, 1e-6) and close(
            total, right_total, 1e-6):
        return Verdict(True, f"L = 3x * x**2 = 3x**3, and d/dx 3x**3 = 9x**2 = {right_total:g} "
                             f"at x = {x:g}: the two paths add up.")
    if close(via_u, right_v) and close(via_v, right_u):
        return Verdict(False, "The two paths are swapped: the path through u comes first.")
    if not close(via_u, right_u, 1e-6):
        if close(via_u, v) or close(via_u, 3.0):
            return Verdict(False, "The path through u multiplies two local derivatives, "
                                  "dL/du = v and du/dx = 3; you have only one of them.")
        return Verdict(False, "The path through u is not right yet: dL/du * du/dx.")
    if not close(via_v, right_v, 1e-6):
        if close(via_v, u * v):
            return Verdict(False, "via_v: u * v is L itself. The path through v is "
                                  "dL/dv * dv/dx = u * 2x.")
        if close(via_v, u * x):
            return Verdict(False, "via_v: dv/dx for v = x**2 is 2x, not x.")
        return Verdict(False, "The path through v is not right yet: dL/dv * dv/dx.")
    if close(total, via_u * via_v):
        return Verdict(False, "Multiply along a path, but add across paths: the total is "
                              "the sum of the two.")
    if close(total, via_u) or close(total, via_v):
        return Verdict(False, "The total is one path only; x reaches L along both.")
    return Verdict(False, f"The total {total:g} is not right yet.")


diamond_paths = Exercise(
    "Two paths from x to L",
    _check_diamond_paths,
    hints=[
        "x reaches L along two paths, x -> u -> L and x -> v -> L. On each path, "
        "multiply the local derivatives.",
        "dL/du = v, du/dx = 3, dL/dv = u, dv/dx = 2x. Across paths, the contributions add.",
        "At x = {x}: u = {u}, v = {v}, so via_u = {v} * 3. Now via_v and the total.",
    ],
    solution=(
        "x = {x}\n"
        "u, v = 3 * x, x**2       # {u}, {v}\n"
        "via_u = v * 3            # dL/du * du/dx = {via_u}\n"
        "via_v = u * (2 * x)      # dL/dv * dv/dx = {via_v}\n"
        "answer = (via_u, via_v, via_u + via_v)   # ({via_u}, {via_v}, {total})\n"
        "\n"
        "Check: L = 3x * x**2 = 3x**3, whose slope 9x**2 is {total} at x = {x}."
    ),
    expects="three numbers (via_u, via_v, total)",
    variant=_X3,
)
