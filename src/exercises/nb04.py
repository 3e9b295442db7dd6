"""Exercises for 04 Backpropagation: gradients by hand, a new `_backward` rule, reuse."""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Value
from . import (AnswerForm, Exercise, Verdict, call, close, describe, need_function, read_number,
               read_numbers, same)
from .variants import Variant, distinct

__all__ = ["hand_gradients", "div_backward", "reuse_grad", "topo_orders"]


# -------------------------------------------------------------- 1. hand_gradients

# L = (x*y + z)**2 at x = 2, y = 3, z = -3: d = x*y + z = 3, dL/dd = 2d = 6, so
# (dL/dx, dL/dy, dL/dz) = (6y, 6x, 6) = (18, 12, 6). The point keeps the slips apart that
# z = -4 hid (there d = 2 and d**2 = 2d): the forgotten 2 gives (9, 6, 3), d**2 for 2d
# (27, 18, 9), x and y swapped in the * rule (12, 18, 6), a sign slip (-18, -12, -6), the
# local derivatives of x*y + z alone (3, 2, 1).
HAND_INPUTS = {"x": 2.0, "y": 3.0, "z": -3.0}


def _hand_derived(n: dict) -> dict:
    d = n["x"] * n["y"] + n["z"]
    return {"d": d, "dd": 2 * d, "gx": 2 * d * n["y"], "gy": 2 * d * n["x"], "gz": 2 * d}


def _hand_valid(n: dict) -> bool:
    # the slips of _check_hand_gradients differ from the truth in dL/dx when d is not
    # 0, 1 or 2 (d**2 = 2d at d = 2) and x, y differ (the swap)
    g = _hand_derived(n)
    return abs(n["x"]) != abs(n["y"]) and distinct(
        g["gx"], n["y"], g["d"] * n["y"], g["d"] ** 2 * n["y"], 2 * g["d"] * n["x"], -g["gx"],
        2 * g["gx"])


# a student's own point: whole numbers, as in the notebook
_HAND = Variant(
    HAND_INPUTS,
    lambda rng: {"x": float(rng.choice((2, 3, -2, 4))), "y": float(rng.choice((3, -3, 4, 5, -2))),
                 "z": float(rng.choice((-3, -4, 2, -5, 1)))},
    lambda n: f"L = (x*y + z) ** 2 at x = {n['x']:g}, y = {n['y']:g}, z = {n['z']:g}",
    valid=_hand_valid, derived=_hand_derived,
)


def hand_gradients_expression(x: Value, y: Value, z: Value) -> Value:
    """The exercise's expression: L = (x*y + z) ** 2."""
    return (x * y + z) ** 2


def _engine_gradients(f: Callable[..., Value], inputs: dict[str, float]) -> list[float]:
    """The gradients of f at `inputs` as the engine's backward() computes them."""
    leaves = [Value(v, label=k) for k, v in inputs.items()]
    f(*leaves).backward()
    return [v.grad for v in leaves]


def _check_hand_gradients(answer: object) -> Verdict:
    got = read_numbers(answer, ("dL/dx", "dL/dy", "dL/dz"))
    inputs = _HAND.numbers()
    truth = _engine_gradients(hand_gradients_expression, inputs)
    x, y, z = inputs.values()
    d = x * y + z
    if same(got, truth, 1e-6):  # (a nudged answer with a small h is right too)
        return Verdict(True, "backward() gets the same three numbers.")
    slips = [
        ([y, x, 1.0], "Those are the local derivatives of x*y + z alone; multiply each by "
                      "dL/dd, the gradient arriving from ** 2."),
        ([d * y, d * x, d], "The 2 from the power rule is missing: d(d**2)/dd = 2 * d."),
        ([d * d * y, d * d * x, d * d], "You used d**2 as dL/dd; the derivative of d**2 is "
                                        "2 * d, not d**2."),
        ([2 * d * x, 2 * d * y, 2 * d], "x and y are swapped: the * rule sends each input "
                                        "the *other* input times the gradient, so dL/dx "
                                        "has y in it."),
        ([-g for g in truth], "Every sign is flipped."),
        ([2 * g for g in truth], "Each gradient is twice too big: was backward() run twice "
                                 "without zero_grad()? Gradients add up."),
    ]
    for numbers, message in slips:
        if same(got, numbers):
            return Verdict(False, message)
    for name, g, t in zip(("dL/dx", "dL/dy", "dL/dz"), got, truth):
        if close(g, t, 1e-2) and not close(g, t, 1e-6):
            return Verdict(False, f"{name} = {g!r} is close but not exact: nudges with a "
                                  "large h carry an error (use a smaller h), or a rounded "
                                  "number lost digits. By hand the three are whole numbers.")
        if not close(g, t, 1e-6):
            return Verdict(False, f"{name} = {g:g} is not right yet.")
    return Verdict(False, "Not right yet.")  # unreachable: same() failed on some item


hand_gradients = Exercise(
    "hand_gradients",
    _check_hand_gradients,
    hints=[
        "Name the inner node: d = x*y + z. Compute d first, then L = d ** 2, then go "
        "backwards starting from dL/dL = 1.",
        "dL/dd = 2 * d (the local derivative of ** 2). The + passes dL/dd unchanged to "
        "z and to x*y; the * then multiplies it by the other input.",
        "d = {x}*{y} + ({z}) = {d}, so dL/dd = {dd} and dL/dz = {dd}. Now dL/dx and dL/dy.",
    ],
    solution=(
        "answer = ({gx}, {gy}, {gz})\n\n"
        "d = x*y + z = {x}*{y} + ({z}) = {d} and L = d**2.\n"
        "dL/dd = 2*d = {dd}\n"
        "dL/dz = dL/dd * 1 = {gz}           (+ passes the gradient through)\n"
        "dL/dx = dL/dd * y = {dd} * {y} = {gx}  (* swaps: the other input times the gradient)\n"
        "dL/dy = dL/dd * x = {dd} * {x} = {gy}"
    ),
    expects="three numbers (dL/dx, dL/dy, dL/dz)",
    variant=_HAND,
)


# ---------------------------------------------------------------- 2. div_backward

# (a, b, upstream gradient, a.grad before, b.grad before): upstream gradients other
# than 1 and gradients already present, so that forgetting `* grad` or writing `=`
# instead of `+=` gives a different number; a != b and |b| != 1, so swapped shares and
# a dropped square show.
_DIV_CASES = [
    (6.0, -2.0, 0.5, 0.25, -1.0),
    (-1.5, 4.0, -3.0, 2.0, 0.5),
    (2.0, 0.5, 2.5, -0.75, 1.5),
]
_SHOWN = "div_backward(a, b, grad)"


def _div_shares(a: float, b: float, grad: float) -> tuple[float, float]:
    """What out = a / b adds to a.grad and b.grad for an upstream gradient `grad`."""
    return grad / b, -a / b**2 * grad  # d(a/b)/da = 1/b, d(a/b)/db = -a/b**2


def _check_div_backward(answer: object) -> Verdict:
    fn = need_function(answer, _SHOWN)
    for a_data, b_data, grad, a_before, b_before in _DIV_CASES:
        a, b = Value(a_data, label="a"), Value(b_data, label="b")
        a.grad, b.grad = a_before, b_before
        call(fn, (a, b, grad), _SHOWN, needs_result=False)
        for name, v in (("a", a), ("b", b)):
            if isinstance(v.grad, Value):
                return Verdict(False, f"Your gradient is a Value: {name}.grad became "
                                      f"{v.grad!r}. Use `.data` (a.data, b.data) in the "
                                      "rule, so that gradients stay plain numbers.")
            if isinstance(v.data, Value) or v.data != (a_data if name == "a" else b_data):
                return Verdict(False, f"Your function changed {name}.data; a backward rule "
                                      "only adds to .grad.")
        got_a = read_number(a.grad, "a.grad after your function")
        got_b = read_number(b.grad, "b.grad after your function")
        share_a, share_b = _div_shares(a_data, b_data, grad)
        case = (f"With a = {a_data:g}, b = {b_data:g}, upstream grad = {grad:g}, "
                f"a.grad = {a_before:g} and b.grad = {b_before:g} before")
        if close(got_a, a_before + share_a) and close(got_b, b_before + share_b):
            continue
        if got_a == a_before and got_b == b_before:
            return Verdict(False, f"{case}, a.grad and b.grad are as they were: a backward "
                                  "rule adds each input's share to its .grad (a.grad += ...), "
                                  "it does not return it.")
        if close(got_a, share_a) and close(got_b, share_b):
            return Verdict(False, f"{case}, your rule left a.grad = {got_a:g} and "
                                  f"b.grad = {got_b:g}: the gradients that were already "
                                  "there are gone. Add with `+=` instead of assigning with `=`.")
        unit_a, unit_b = _div_shares(a_data, b_data, 1.0)
        if close(got_a, a_before + unit_a) or close(got_b, b_before + unit_b):
            return Verdict(False, f"{case}, you added the local derivative alone. The "
                                  "chain rule multiplies it by the upstream gradient `grad`.")
        if close(got_a, a_before + share_b) and close(got_b, b_before + share_a):
            return Verdict(False, f"{case}, the two shares are swapped: a gets 1/b times "
                                  "grad, b gets -a/b**2 times grad.")
        if close(got_b, b_before - share_b):
            return Verdict(False, f"{case}, b's share has the wrong sign: d(a/b)/db = "
                                  "-a/b**2 (a bigger b makes a/b smaller, for a > 0).")
        if close(got_b, b_before - a_data / b_data * grad):
            return Verdict(False, f"{case}, b's share is missing a square: d(a/b)/db = "
                                  "-a/b**2.")
        for name, value, want in (("a", got_a, a_before + share_a),
                                  ("b", got_b, b_before + share_b)):
            if not close(value, want):
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
        "a's line is a.grad += (1 / b.data) * grad. b's line has the same shape, with "
        "d out/d b from hint 2.",
    ],
    solution=(
        "def div_backward(a, b, grad):\n"
        "    a.grad += (1 / b.data) * grad             # d(a/b)/da = 1/b\n"
        "    b.grad += (-a.data / b.data**2) * grad    # d(a/b)/db = -a/b**2\n\n"
        "Each input gets local derivative times upstream gradient (the chain rule), "
        "added with += so a gradient from another use of a or b is kept."
    ),
    expects=f"a function {_SHOWN} that adds to a.grad and b.grad",
    usage="check(div_backward)",
)


# ------------------------------------------------------------------ 3. reuse_grad


def _reuse_slips(a: float) -> list[float]:
    """The right a.grad first, then what each slip of _check_reuse_grad gives."""
    right = 2 * (2 * a + 1)
    return [right, 4 * a, 2.0, 2 * (a + 1), 2 * a + 1, 2 * a, a, 2 * (a * a + a), 2 * right]


def _reuse_derived(n: dict) -> dict:
    a = n["a"]
    return {"grad": 2 * (2 * a + 1), "inner": 2 * a + 1, "two_edges": 4 * a, "per_edge": a * 2}


# a = 3 in the notebook; a student's own a keeps every slip's number apart from the rest
_REUSE = Variant(
    {"a": 3.0},
    lambda rng: {"a": float(rng.choice((4, 5, 6, -3, -4, 1.5, 2.5)))},
    lambda n: f"a = Value({n['a']:g}); b = a * a; c = b + a; d = c * 2; d.backward()",
    valid=lambda n: distinct(*_reuse_slips(n["a"])), derived=_reuse_derived,
)


def reuse_grad_graph() -> tuple[Value, Value]:
    """The exercise's graph: b = a * a; c = b + a; d = c * 2, with a = 3 (or this
    student's a). Returns (a, d)."""
    a = Value(_REUSE.numbers()["a"], label="a")
    b = a * a
    c = b + a
    d = c * 2
    return a, d


# At a = 3 the right answer 2 * (2a + 1) = 14 and the slips are all different numbers:
# one path only (12 through a * a, 2 through + a), a * a treated as having derivative a
# (8), the last * 2 left out (7), gradients assigned with `=` (6: the last share wins),
# a.data (3) and d.data (24).
def _check_reuse_grad(answer: object) -> Verdict:
    got = read_number(answer)
    a, d = reuse_grad_graph()
    d.backward()
    x = a.data
    if close(got, a.grad, 1e-6):
        return Verdict(True, f"d = 2 * (a*a + a), so dd/da = 2 * (2a + 1) = {a.grad:g} at "
                             f"a = {x:g}.")
    wrong = [
        (2 * 2 * x, "that is only the path through a * a; a also reaches c directly "
                    "through + a, and the paths add up."),
        (2.0, "that is only the path through + a; a * a sends gradient to a too."),
        (2 * (x + 1), "a * a uses a twice: its local derivative is 2a, not a."),
        (2 * x + 1, "you left out the last step, d = c * 2, which doubles everything."),
        (2 * x, "that is what backward() would give with `=` instead of `+=`: each share "
                "overwrites the one before. Gradients add up."),
        (x, "that is a.data, the value of a; the question asks for a.grad."),
        (d.data, "that is d.data, the value of d; the question asks for a.grad."),
        (2 * a.grad, "twice the right value: was backward() run twice without zero_grad()? "
                     "Gradients add up."),
    ]
    for value, message in wrong:
        if close(got, value):
            return Verdict(False, f"{got:g}: {message}")
    return Verdict(False, f"{got:g} is not right yet.")


reuse_grad = Exercise(
    "reuse_grad",
    _check_reuse_grad,
    hints=[
        "List every path from a to d. Each use of a is its own edge: a * a has two "
        "edges from a, and + a is a third.",
        "dd/dc = 2, and c passes it unchanged to b and to a. Then b = a * a sends "
        "a * 2 back along each of its two edges.",
        "Along the edge + a, a gets 2 * 1. Now add what the two edges into a * a bring.",
    ],
    solution=(
        "answer = {grad}\n\n"
        "d = 2 * (a*a + a), so dd/da = 2 * (2a + 1) = 2 * {inner} = {grad} at a = {a}. Backprop "
        "finds it edge by edge: c.grad = 2; b.grad = 2 and a gets 2 from + a; b = a * a "
        "gives a {a} * 2 along each of its two edges, {two_edges} in all; 2 + {two_edges} = {grad}. "
        "Each contribution is added with +=."
    ),
    expects="one number, a.grad",
    variant=_REUSE,
)


# ----------------------------------------------------------------- 4. topo_orders

# The graph: m = a * b; s = m + a; out = s * c. Five lists of its values; a topological
# order lists every value after all of its inputs. A and C are valid (c, an input, may
# come anywhere before out; a and b in either order). B puts m before its input b, D is
# the reverse (the order backward() visits), E puts out before its input s.
TOPO_INPUTS = {"m": ("a", "b"), "s": ("m", "a"), "out": ("s", "c"), "a": (), "b": (), "c": ()}
TOPO_CANDIDATES = {
    "A": ("a", "b", "m", "s", "c", "out"),
    "B": ("a", "m", "b", "s", "c", "out"),
    "C": ("c", "b", "a", "m", "s", "out"),
    "D": ("out", "c", "s", "m", "b", "a"),
    "E": ("a", "b", "m", "c", "out", "s"),
}


def topo_graph() -> Value:
    """The exercise's graph, m = a * b; s = m + a; out = s * c, with labels."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(0.5, label="c")
    m = a * b; m.label = "m"
    s = m + a; s.label = "s"
    out = s * c; out.label = "out"
    return out


def _first_misplaced(order: tuple[str, ...]) -> tuple[str, str] | None:
    """The first (value, input) pair that `order` lists the wrong way round, if any."""
    place = {name: i for i, name in enumerate(order)}
    for name in order:
        for child in TOPO_INPUTS[name]:
            if place[child] > place[name]:
                return name, child
    return None


def _read_letters(answer: object) -> set[str]:
    """The letters of the orders the learner says are valid: "AC", ["A", "C"], {"a", "c"}."""
    if isinstance(answer, str):
        items = [ch for ch in answer if not ch.isspace() and ch not in ",;"]
    elif isinstance(answer, (list, tuple, set, frozenset)):
        items = list(answer)
    else:
        raise AnswerForm(f"your answer is {describe(answer)}; give the letters of the valid "
                         "orders, e.g. [\"A\", \"D\"] or \"AD\".")
    letters = set()
    for item in items:
        if not isinstance(item, str) or item.strip().upper() not in TOPO_CANDIDATES:
            raise AnswerForm(f"{describe(item)} is not one of the letters A to E; give the "
                             "letters of the valid orders, e.g. [\"A\", \"D\"] or \"AD\".")
        letters.add(item.strip().upper())
    if not letters:
        raise AnswerForm("your answer names no order; give the letters of the valid ones, "
                         "e.g. [\"A\", \"D\"] (at least one of the five is valid).")
    return letters


def _check_topo_orders(answer: object) -> Verdict:
    chosen = _read_letters(answer)
    valid = {k for k, order in TOPO_CANDIDATES.items() if _first_misplaced(order) is None}
    for letter in sorted(chosen - valid):
        order = TOPO_CANDIDATES[letter]
        name, child = _first_misplaced(order)
        if letter == "D":
            return Verdict(False, "D is the reverse of a topological order: the order "
                                  "backward() visits the values in, output first. A "
                                  "topological order lists every value after its inputs.")
        return Verdict(False, f"{letter} is not valid: it lists {name} before {child}, "
                              f"one of {name}'s inputs ({name} is made from "
                              f"{' and '.join(TOPO_INPUTS[name])}).")
    for letter in sorted(valid - chosen):
        return Verdict(False, f"{letter} is valid too: every value in it comes after its "
                              "inputs. A graph has more than one topological order: inputs "
                              "can come in any order among themselves, and c need only come "
                              "before out.")
    return Verdict(True, "A and C: each lists every value after its inputs. topo_sort gives "
                         "one of the valid orders (which one depends on the order it visits "
                         "inputs in), and backward() is right with any of them.")


topo_orders = Exercise(
    "topo_orders",
    _check_topo_orders,
    hints=[
        "For each list, go through it from left to right and ask of each value made by an "
        "operation: have both of its inputs appeared already?",
        "m needs a and b, s needs m and a, out needs s and c. A list that puts any of them "
        "before one of its inputs is not a topological order, and neither is one with the "
        "output first.",
        "B and E each put one value before an input of it; D starts with the output. Check "
        "the other two.",
    ],
    solution=(
        'answer = ["A", "C"]\n\n'
        "A (a, b, m, s, c, out) and C (c, b, a, m, s, out) list every value after its "
        "inputs. B lists m before its input b; E lists out before its input s; D is the "
        "reverse of a topological order, the order backward() walks."
    ),
    expects='the letters of the valid orders, e.g. ["A", "D"]',
)
