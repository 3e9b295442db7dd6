"""Exercises for notebook 02, The chain rule.

    from backproplab.exercises import nb02
    nb02.composition_slope.check(answer)
    nb02.reciprocal_backward.check(reciprocal_backward)
    nb02.diamond_paths.check(answer)
"""

from __future__ import annotations


from . import Exercise, Verdict, as_number, close

__all__ = ["composition_slope", "reciprocal_backward", "diamond_paths"]





# ------------------------------------------------ 1. the slope of a composition

# y = (x**2 + 1)**3 at x = 1: u = x**2 + 1 = 2, dy/du = 3u**2 = 12, du/dx = 2x = 2
_X1 = 1.0
_U1 = _X1**2 + 1
_COMPOSITION = 3 * _U1**2 * 2 * _X1  # 24


def _check_composition_slope(answer: object) -> Verdict:
    got = as_number(answer)
    if got is None:
        return Verdict(False, f"Expected a number, got {type(answer).__name__} {answer!r}.")
    if close(got, _COMPOSITION, 1e-4).correct:
        return Verdict(
            True,
            "dy/du = 3u**2 = 12 at u = 2, du/dx = 2x = 2, and 12 * 2 = 24.",
        )
    if close(got, 3 * _U1**2, 1e-4).correct:
        return Verdict(
            False,
            "12 is dy/du, the outer function's slope only. Multiply by the inner "
            "function's slope du/dx.",
        )
    if close(got, _U1**3, 1e-4).correct:
        return Verdict(False, "8 is the value y itself; the question asks for its slope.")
    if close(got, _COMPOSITION, 0.05).correct:
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
        "dy/du = 3 * u**2 and du/dx = 2 * x. At x = 1, u = 2.",
        "dy/dx = dy/du * du/dx = 3 * 2**2 * 2 * 1.",
    ],
    solution=(
        "u = 1**2 + 1           # 2\n"
        "dy_du = 3 * u**2       # 12\n"
        "du_dx = 2 * 1          # 2\n"
        "answer = dy_du * du_dx # 24\n"
        "\n"
        "Check: f = lambda x: (x**2 + 1)**3; (f(1 + 1e-6) - f(1 - 1e-6)) / 2e-6 is 24.000000..."
    ),
)


# ------------------------------------------- 2. a backward step for y = 1 / x

# (x, dL/dy) pairs the check tries: upstream gradients other than 1, signs of both kinds
_BACKWARD_CASES = [(2.0, 3.0), (-0.5, -2.0), (4.0, 0.5), (1.5, -1.2)]


def _check_reciprocal_backward(answer: object) -> Verdict:
    if not callable(answer):
        return Verdict(
            False,
            f"Expected a function reciprocal_backward(x, dL_dy), got {type(answer).__name__}.",
        )
    for x, upstream in _BACKWARD_CASES:
        expected = -upstream / x**2  # dL/dx = dL/dy * dy/dx, with dy/dx = -1/x**2
        raw = answer(x, upstream)
        if raw is None:
            return Verdict(
                False,
                "Not answered yet: the function returned None. Replace its body `...` "
                "with your code, and remember the `return`.",
            )
        got = as_number(raw)
        if got is None:
            return Verdict(
                False, f"It should return a number, but returned {type(raw).__name__} {raw!r}."
            )
        if close(got, expected, 1e-9).correct:
            continue
        where = f"With x = {x:g} and dL/dy = {upstream:g} it returned {got:g}, expected {expected:g}."
        if close(got, -1 / x**2, 1e-9).correct:
            return Verdict(
                False,
                f"{where} That is the local derivative dy/dx alone: multiply it by the "
                "upstream gradient dL/dy.",
            )
        if close(got, -expected, 1e-9).correct:
            return Verdict(False, f"{where} The sign is flipped: 1/x falls as x grows.")
        if close(got, upstream / x, 1e-9).correct or close(got, -upstream / x, 1e-9).correct:
            return Verdict(False, f"{where} The derivative of 1/x is -1/x**2, not 1/x.")
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
        "y = 1/x = x**-1, so dy/dx = -1 * x**-2 = -1 / x**2.",
        "return dL_dy * (-1 / x**2)",
    ],
    solution=(
        "def reciprocal_backward(x, dL_dy):\n"
        "    dy_dx = -1 / x**2        # the local derivative of 1/x\n"
        "    return dL_dy * dy_dx     # chain rule: upstream times local\n"
        "\n"
        "With dL/dy = 1 this is just -1/x**2; the check uses other upstream gradients,\n"
        "so forgetting the `dL_dy *` fails."
    ),
)


# ------------------------------------------------ 3. the sum over paths (diamond)

# x = 2; u = 3x; v = x**2; L = u * v
_X3 = 2.0
_VIA_U = _X3**2 * 3  # dL/du * du/dx = v * 3 = 12
_VIA_V = 3 * _X3 * 2 * _X3  # dL/dv * dv/dx = u * 2x = 24
_PATHS = (_VIA_U, _VIA_V, _VIA_U + _VIA_V)  # (12, 24, 36)


def _check_diamond_paths(answer: object) -> Verdict:
    names = "(via_u, via_v, total)"
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != 3:
        return Verdict(False, f"Expected a tuple of 3 numbers {names}, got {answer!r}.")
    values = [as_number(item) for item in answer]
    if any(v is None for v in values):
        return Verdict(False, f"Expected 3 numbers {names}, got {answer!r}.")
    via_u, via_v, total = values
    if all(close(g, e, 1e-4).correct for g, e in zip(values, _PATHS)):
        return Verdict(
            True,
            "L = 3x * x**2 = 3x**3, and d/dx 3x**3 = 9x**2 = 36 at x = 2: the two paths add up.",
        )
    if close(via_u, _VIA_V, 1e-4).correct and close(via_v, _VIA_U, 1e-4).correct:
        return Verdict(False, "The two paths are swapped: the path through u comes first.")
    if not close(via_u, _VIA_U, 1e-4).correct:
        return Verdict(False, "The path through u is not right yet: dL/du * du/dx.")
    if not close(via_v, _VIA_V, 1e-4).correct:
        return Verdict(False, "The path through v is not right yet: dL/dv * dv/dx.")
    if close(total, via_u * via_v, 1e-4).correct:
        return Verdict(
            False,
            "Multiply along a path, but add across paths: the total is the sum of the two.",
        )
    return Verdict(False, f"The total {total:g} is not right yet.")


diamond_paths = Exercise(
    "Two paths from x to L",
    _check_diamond_paths,
    hints=[
        "x reaches L along two paths, x -> u -> L and x -> v -> L. On each path, "
        "multiply the local derivatives.",
        "At x = 2: u = 6, v = 4. dL/du = v, du/dx = 3, dL/dv = u, dv/dx = 2x.",
        "via_u = 4 * 3, via_v = 6 * 4; the total is their sum.",
    ],
    solution=(
        "x = 2\n"
        "u, v = 3 * x, x**2       # 6, 4\n"
        "via_u = v * 3            # dL/du * du/dx = 12\n"
        "via_v = u * (2 * x)      # dL/dv * dv/dx = 24\n"
        "answer = (via_u, via_v, via_u + via_v)   # (12, 24, 36)\n"
        "\n"
        "Check: L = 3x * x**2 = 3x**3, whose slope 9x**2 is 36 at x = 2."
    ),
)
