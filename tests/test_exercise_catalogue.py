"""A generated catalogue of answers for every exercise, as learners would give them.

For each exercise: wrong answers made systematically from the right one (sign flips,
dropped factors or upstream gradients, `=` for `+=`, swapped inputs, the value instead of
the derivative, answers hard-coded from a shown output or right at one point only,
Values where floats belong), each rejected, with the slip named where the exercise names
it; right answers in other forms (numpy scalars and arrays, ints, tuples, generators,
Values, rearranged formulas), each accepted; bad input (None, strings, huge ints, nan,
exceptions, endless loops, 20,000 printed lines, wrong arity, `...`), each answered with
one plain sentence within the time limit; and every verdict the same when the check runs
again.

`python tests/test_exercise_catalogue.py` prints how many answers each exercise faces.
"""

from __future__ import annotations

import itertools
import os
import math
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from backproplab.engine import Value, weighted_sum
from backproplab.exercises import Exercise, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09
from course_text import HINT_OFFER, NOT_ANSWERED, NOT_YET, RIGHT_MARK, WRONG_MARK

# the time limit the endless-loop cases run under (the notebooks' checks use 3 seconds)
SHORT_LIMIT = 0.2


@dataclass
class Entry:
    exercise: Exercise
    # each answer is the tuple of arguments to check(); `says` is a phrase the verdict
    # must contain (None: only that it is rejected with a plain sentence)
    right: list[tuple[str, tuple]] = field(default_factory=list)
    wrong: list[tuple[str, tuple, str | None]] = field(default_factory=list)
    # what a bad answer is combined with, for exercises that take several answers
    rest: tuple = ()


CATALOGUE: dict[str, Entry] = {}


def entry(exercise: Exercise, rest: tuple = ()) -> Entry:
    CATALOGUE[exercise.title] = e = Entry(exercise, rest=rest)
    return e


# ------------------------------------------------------ generators of answers


def number_forms(t: float) -> list[tuple[str, object]]:
    """One right number in the forms learners give it."""
    forms = [("float", float(t)), ("numpy float64", np.float64(t)), ("0-d array", np.array(t)),
             ("Decimal", Decimal(repr(float(t)))), ("numpy float32", np.float32(t)),
             ("a list of one", [t]), ("an array of one", np.array([t])),
             ("Value", Value(t)), ("float64 array item", np.array([t])[0]),
             ("Fraction", Fraction(t).limit_denominator(10**12))]
    if float(t).is_integer():
        forms += [("int", int(t)), ("numpy int64", np.int64(int(t)))]
    return forms


def number_slips(t: float) -> list[tuple[str, object]]:
    """Wrong numbers made from the right one."""
    slips = [("doubled", 2 * t), ("halved", t / 2), ("plus one", t + 1), ("minus one", t - 1),
             ("zero", 0.0), ("wrong Value", Value(t + 1)), ("numpy wrong", np.float64(t * 3))]
    if t != 0:
        slips.append(("sign flipped", -t))
    if not float(t).is_integer() and round(t, 1) != t:
        slips.append(("rounded to 1 digit", round(t, 1)))
    return slips


def sequence_forms(ts: tuple) -> list[tuple[str, object]]:
    """One right tuple of numbers in the forms learners give it."""
    forms = [("tuple", tuple(ts)), ("list", list(ts)), ("numpy array", np.array(ts)),
             ("generator", (t for t in ts)), ("numpy items", [np.float64(t) for t in ts]),
             ("Values", [Value(t) for t in ts]), ("map", map(float, ts)),
             ("float32 array", np.array(ts, dtype=np.float32))]
    if all(float(t).is_integer() for t in ts):
        forms += [("ints", [int(t) for t in ts]), ("int array", np.array([int(t) for t in ts]))]
    return forms


def sequence_slips(ts: tuple) -> list[tuple[str, object]]:
    """Wrong tuples made from the right one."""
    ts = list(ts)
    slips = [("all negated", [-t for t in ts]), ("all doubled", [2 * t for t in ts]),
             ("one too few", ts[:-1]), ("one too many", ts + [0.0]),
             ("as numpy 2-d", np.array([ts]))]
    for i, t in enumerate(ts):
        if t != 0:
            slips.append((f"sign of item {i}", ts[:i] + [-t] + ts[i + 1:]))
        slips.append((f"item {i} doubled" if t else f"item {i} plus one",
                      ts[:i] + [2 * t if t else 1.0] + ts[i + 1:]))
    for i in range(len(ts) - 1):
        if ts[i] != ts[i + 1]:
            swapped = ts[:i] + [ts[i + 1], ts[i]] + ts[i + 2:]
            slips.append((f"items {i} and {i + 1} swapped", swapped))
    slips.append(("wrong Values", [Value(t + 1) for t in ts]))
    return slips


def returned_forms(fn, *, sequence: bool = False):
    """The right function, returning its result in other forms."""
    if sequence:
        return [
            ("returns a tuple", lambda *a: tuple(fn(*a))),
            ("returns a numpy array", lambda *a: np.array(fn(*a))),
            ("returns a generator", lambda *a: (g for g in list(fn(*a)))),
            ("returns numpy items", lambda *a: [np.float64(g) for g in fn(*a)]),
        ]
    return [
        ("returns numpy float64", lambda *a: np.float64(fn(*a))),
        ("returns a 0-d array", lambda *a: np.array(fn(*a))),
        ("returns a Fraction", lambda *a: Fraction(fn(*a))),
        ("returns numpy float32", lambda *a: np.float32(fn(*a))),
    ]


def function_slips(fn, *, sequence: bool = False):
    """Wrong functions made from the right one, by transforming what it returns."""
    if sequence:
        def apply(g):
            return lambda *a: [g(v) for v in fn(*a)]
    else:
        def apply(g):
            return lambda *a: g(fn(*a))
    first = {}

    def hard_coded(*a):  # the result of the first call, every time: a shown output
        if "value" not in first:
            first["value"] = fn(*a)
        return first["value"]

    seen = {}

    def right_once(*a):  # right at the first point it is asked about only
        result = fn(*a)
        seen.setdefault("args", a)
        if a == seen["args"]:
            return result
        return [r + 0.5 for r in result] if sequence else result + 0.5

    def fresh_hard_coded():
        first.clear()
        return hard_coded

    return [
        ("negated", apply(lambda v: -v)),
        ("doubled", apply(lambda v: 2 * v)),
        ("halved", apply(lambda v: v / 2)),
        ("plus one", apply(lambda v: v + 1)),
        ("hard-coded from the first case", fresh_hard_coded()),
        ("right at one point only", right_once),
    ]


# ------------------------------------------------------------------ notebook 01


def numerical_gradient(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def forward_gradient(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        up = list(inputs)
        up[i] += h
        grads.append((f(*up) - f(*inputs)) / h)
    return grads


def never_undone(f, inputs, h):
    xs, grads = list(inputs), []
    for i in range(len(xs)):
        xs[i] += h
        up = f(*xs)
        xs[i] -= 2 * h
        grads.append((up - f(*xs)) / (2 * h))
    return grads


def mutates_inputs(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        inputs[i] += h
        up = f(*inputs)
        inputs[i] -= 2 * h
        grads.append((up - f(*inputs)) / (2 * h))
    return grads


def in_place_and_undone(f, inputs, h):
    grads = []
    for i in range(len(inputs)):
        inputs[i] += h
        up = f(*inputs)
        inputs[i] -= 2 * h
        down = f(*inputs)
        inputs[i] += h
        grads.append((up - down) / (2 * h))
    return grads


e = entry(nb01.numerical_gradient)
e.right += [("solution", (numerical_gradient,)), ("in place, undone", (in_place_and_undone,)),
            ("rearranged", (lambda f, xs, h: [(f(*[x + h * (j == i) for j, x in enumerate(xs)])
                                               - f(*[x - h * (j == i) for j, x in enumerate(xs)]))
                                              * (0.5 / h) for i in range(len(xs))],)),
            ("numpy copies", (lambda f, xs, h: [
                (f(*(np.array(xs) + h * np.eye(len(xs))[i]))
                 - f(*(np.array(xs) - h * np.eye(len(xs))[i]))) / (2 * h)
                for i in range(len(xs))],))]
e.right += [(n, (fn,)) for n, fn in returned_forms(numerical_gradient, sequence=True)]
e.wrong += [(n, (fn,), {"negated": "signs are flipped", "doubled": "twice too big"}.get(n))
            for n, fn in function_slips(numerical_gradient, sequence=True)]
e.wrong += [
    ("forward difference", (forward_gradient,), "forward difference"),
    ("never undone", (never_undone,), "fresh copy"),
    ("mutates the caller's list", (mutates_inputs,), "changed the list"),
    ("reversed", (lambda f, xs, h: numerical_gradient(f, xs, h)[::-1],), "reverse order"),
    ("the value, not the slope", (lambda f, xs, h: [f(*xs)] * len(xs),), "not a slope"),
    ("one slope only", (lambda f, xs, h: numerical_gradient(f, xs, h)[:1],), "expected"),
    ("hard-coded [-3, 2, 1]", (lambda f, xs, h: [-3.0, 2.0, 1.0],), "x**3"),
    ("divides by h only", (lambda f, xs, h: [2 * g for g in numerical_gradient(f, xs, h)],),
     "twice too big"),
    ("calls f with a list", (lambda f, xs, h: [(f([x + h for x in xs]) - f(xs)) / h],), "f(*up)"),
    ("Values for floats, wrong", (lambda f, xs, h: [Value(g + 1) for g in numerical_gradient(f, xs, h)],), None),
]

truth = (nb01._errors()[1], nb01._errors()[2])
e = entry(nb01.forward_vs_central)
e.right += [(n, (a,)) for n, a in sequence_forms(truth)] + [("rounded", ((0.31, 0.01),))]
e.wrong += [(n, (a,), {"all negated": "never negative", "items 0 and 1 swapped": "swapped",
                       "one too few": "expected 2", "one too many": "expected 2"}.get(n))
            for n, a in sequence_slips(truth)]
e.wrong += [("the estimates", ((3.31, 3.01),), "estimate itself"),
            ("forgot h**2", ((0.3, 0.01),), "forward error"),
            ("central is exact", ((0.31, 0.0),), "central error"),
            ("relative errors", ((0.31 / 3, 0.01 / 3),), "relative errors")]

truth = nb01._partials()
e = entry(nb01.partial_slopes)
e.right += [(n, (a,)) for n, a in sequence_forms(truth)]
e.right += [("nudged", ((lambda f, h: ((f(2 + h, -3, 10) - f(2, -3, 10)) / h,
                                        (f(2, -3 + h, 10) - f(2, -3, 10)) / h,
                                        (f(2, -3, 10 + h) - f(2, -3, 10)) / h))(
    lambda a, b, c: a * b**2 + c * a, 1e-7),))]
e.wrong += [(n, (a,), "sign is flipped" if n.startswith("sign of") else
             "wrong order" if "swapped" in n else None) for n, a in sequence_slips(truth)]
e.wrong += [("forgot c*a", ((9, -12, 2),), "appears twice"),
            ("c for dc", ((19, -12, 10),), "c's value"),
            ("rotated order", ((-12, 2, 19),), "wrong order"),
            ("forward nudges h = 0.01", ((19.03, -11.98, 2.0),), "smaller h")]

e = entry(nb01.choosing_h)
_sin_errors = {h: abs((math.sin(1 + h) - math.sin(1 - h)) / (2 * h) - math.cos(1))
               for h in (10.0**-k for k in range(1, 14))}
e.right += [("tuple", ((1e-5, "round-off"),)),
            ("list, other spelling", ([1e-05, "roundoff"],)),
            ("numpy step, capitals", ((np.float64(1e-5), "Round-off"),)),
            ("computed as in the solution", ((min(_sin_errors, key=_sin_errors.get), "rounding"),)),
            ("spaces around", ((0.00001, "  round off "),))]
e.wrong += [("the smallest h", ((1e-13, "round-off"),), "round-off"),
            ("h = 1e-12 itself", ((1e-12, "round-off"),), "try larger steps"),
            ("the neighbour below", ((1e-6, "round-off"),), "try larger steps"),
            ("the neighbour above", ((1e-4, "round-off"),), "try smaller steps"),
            ("the largest h", ((0.1, "round-off"),), "truncation"),
            ("forward difference's best", ((1e-8, "round-off"),), "try larger steps"),
            ("right h, wrong cause", ((1e-5, "truncation"),), "cause is not"),
            ("cube root of eps itself", ((6e-6, "round-off"),), "not one of the 13 steps"),
            ("the error instead of h", ((1.1e-11, "round-off"),), "not one of the 13 steps")]

# ------------------------------------------------------------------ notebook 02

c = nb02._composition()
e = entry(nb02.composition_slope)
e.right += [(n, (a,)) for n, a in number_forms(c["right"])]
e.right += [("central difference", ((lambda f: (f(3 + 1e-6) - f(3 - 1e-6)) / 2e-6)(
    lambda x: (x**2 + 1) ** 3),))]
e.wrong += [(n, (a,), "sign is flipped" if n == "sign flipped" else None)
            for n, a in number_slips(c["right"])]
e.wrong += [("outer slope only", (c["outer"],), "outer function"),
            ("forgot x in 2x", (c["no x"],), "missing a factor"),
            ("the value", (c["value"],), "value y itself"),
            ("u not squared", (c["not squared"],), "3u**2"),
            ("the worked example", (24,), "worked example"),
            ("forward difference", ((lambda f: (f(3.01) - f(3)) / 0.01)(lambda x: (x**2 + 1) ** 3),),
             "close but not close enough")]


def reciprocal_backward(x, dL_dy):
    return dL_dy * (-1 / x**2)


e = entry(nb02.reciprocal_backward)
e.right += [("solution", (reciprocal_backward,)), ("power form", (lambda x, g: -g * x**-2,)),
            ("divided", (lambda x, g: -(g / x) / x,)),
            ("numpy", (lambda x, g: -g * np.reciprocal(np.float64(x)) ** 2,))]
e.right += [(n, (fn,)) for n, fn in returned_forms(reciprocal_backward)]
e.wrong += [(n, (fn,), "sign is flipped" if n == "negated" else None)
            for n, fn in function_slips(reciprocal_backward)]
e.wrong += [("dropped upstream", (lambda x, g: -1 / x**2,), "upstream gradient"),
            ("1/x", (lambda x, g: g / x,), "not 1/x"), ("times y", (lambda x, g: g * (1 / x),), "not 1/x"),
            ("swapped arguments", (lambda g, x: -g / x**2,), "swapped"),
            ("x**2", (lambda x, g: -g * x**2,), None),
            ("upstream 1 only", (lambda x, g: -1 / x**2 if g == 1 else 0.0,), None)]

truth = nb02._paths()
e = entry(nb02.diamond_paths)
e.right += [(n, (a,)) for n, a in sequence_forms(truth)]
e.wrong += [(n, (a,), "swapped" if n == "items 0 and 1 swapped" else None)
            for n, a in sequence_slips(truth)]
e.wrong += [("product of paths", ((48, 96, 48 * 96),), "add across paths"),
            ("one path", ((48, 96, 96),), "one path only"),
            ("forgot du/dx", ((16, 96, 112),), "only one of them"),
            ("dv/dx = x", ((48, 48, 96),), "not x"),
            ("u * v for via_v", ((48, 192, 240),), "L itself"),
            ("the old x = 2 answer", ((12, 24, 36),), None)]

# ------------------------------------------------------------------ notebook 03


def neuron_sum(x1, w1, x2, w2, b):
    return x1 * w1 + x2 * w2 + b


e = entry(nb03.neuron_sum)
e.right += [("solution", (neuron_sum,)),
            ("reordered", (lambda x1, w1, x2, w2, b: b + w2 * x2 + w1 * x1,)),
            ("micrograd's sum", (lambda x1, w1, x2, w2, b: sum([x1 * w1, x2 * w2, b]),)),
            ("weighted_sum", (lambda x1, w1, x2, w2, b: weighted_sum([w1, w2], [x1, x2], b),)),
            ("times one", (lambda x1, w1, x2, w2, b: (x1 * w1 + x2 * w2 + b) * 1,)),
            ("generator sum", (lambda *v: sum((x * w for x, w in zip(v[0:4:2], v[1:4:2])), v[4]),))]
e.wrong += [
    ("negated", (lambda *v: -neuron_sum(*v),), None),
    ("doubled", (lambda *v: 2 * neuron_sum(*v),), None),
    ("no bias", (lambda x1, w1, x2, w2, b: x1 * w1 + x2 * w2,), "bias b is missing"),
    ("swapped weights", (lambda x1, w1, x2, w2, b: x1 * w2 + x2 * w1 + b,), "its own weight"),
    ("plus for times", (lambda x1, w1, x2, w2, b: x1 + w1 + x2 + w2 + b,), None),
    ("from .data", (lambda x1, w1, x2, w2, b: Value(x1.data * w1.data + x2.data * w2.data + b.data),),
     "no gradient reaches"),
    ("hand-built node", (lambda x1, w1, x2, w2, b: Value(
        x1.data * w1.data + x2.data * w2.data + b.data, (x1, w1, x2, w2, b), "+"),),
     "no gradient reaches"),
    ("a float", (lambda x1, w1, x2, w2, b: x1.data * w1.data + x2.data * w2.data + b.data,),
     "return a Value"),
    ("half detached", (lambda x1, w1, x2, w2, b: x1 * w1 + Value(x2.data * w2.data) + b,),
     "no gradient reaches x2, w2"),
    ("hard-coded shown inputs", (lambda *v: Value(2.0 * -3.0 + 0.5 * 1.5 + 0.75) + 0 * v[0],), None),
    ("changes an input", (lambda x1, w1, x2, w2, b: (setattr(b, "data", 0.0), x1 * w1 + x2 * w2 + b)[1],),
     "changed the .data"),
]

e = entry(nb03.count_graph)
e.right += [(n, (a,)) for n, a in sequence_forms((7, 8)) if n in
            ("tuple", "list", "generator", "ints", "int array")]
e.right += [("numpy ints", ([np.int64(7), np.int32(8)],))]
e.wrong += [(n, (a,), {"items 0 and 1 swapped": "swapped"}.get(n))
            for n, a in sequence_slips((7, 8)) if n != "wrong Values"]
e.wrong += [("forgot the constant", ((6, 8),), "constant 2"),
            ("ops as links", ((7, 4),), "number of operations"),
            ("each use a Value", ((9, 8),), "each is one Value"),
            ("ops only", ((4, 8),), "operations only"),
            ("floats", ((7.0, 8.0),), "write 7"),
            ("Values for counts", ((Value(7.0), Value(8.0)),), "plain whole number")]

stale = nb03._stale_value()
e = entry(nb03.stale_value)
e.right += [(n, (a,)) for n, a in number_forms(stale["stored"])]
e.wrong += [(n, (a,), None) for n, a in number_slips(stale["stored"])]
e.wrong += [("recomputed", (17.0,), "nothing ran it again"), ("x.data", (4.0,), "x.data"),
            ("new x, no + 1", (16.0,), "+ 1"), ("old x, no + 1", (9,), "+ 1"),
            ("two numbers", (np.array([10.0, 17.0]),), "give one number")]

# ------------------------------------------------------------------ notebook 04

truth = tuple(nb04._engine_gradients(nb04.hand_gradients_expression, nb04.HAND_INPUTS))
e = entry(nb04.hand_gradients)
e.right += [(n, (a,)) for n, a in sequence_forms(truth)]
e.wrong += [(n, (a,), {"all negated": "sign", "all doubled": "twice too big",
                       "items 0 and 1 swapped": "swapped"}.get(n))
            for n, a in sequence_slips(truth)]
e.wrong += [("local derivatives", ((3.0, 2.0, 1.0),), "local derivatives"),
            ("forgot the 2", ((9.0, 6.0, 3.0),), "The 2"),
            ("d**2 for 2d", ((27.0, 18.0, 9.0),), "not d**2"),
            ("old answer", ((12.0, 8.0, 4.0),), None),
            ("nudged with a large h", ((18.05, 12.0, 6.0),), "close but not exact")]
e.right += [("nudged with h = 1e-7", (tuple(
    (nb04.hand_gradients_expression(*[x + 1e-7 * (j == i) for j, x in enumerate((2.0, 3.0, -3.0))])
     - nb04.hand_gradients_expression(*[x - 1e-7 * (j == i) for j, x in enumerate((2.0, 3.0, -3.0))]))
    / 2e-7 for i in range(3)),))]


def div_backward(a, b, grad):
    a.grad += (1 / b.data) * grad
    b.grad += (-a.data / b.data**2) * grad


def _div_with_names(a, b, grad):
    da = 1 / b.data  # d(a/b)/da
    db = -a.data / (b.data * b.data)  # d(a/b)/db
    a.grad += da * grad
    b.grad += db * grad


e = entry(nb04.div_backward)
e.right += [
    ("solution", (div_backward,)),
    ("rearranged", (lambda a, b, g: (setattr(a, "grad", a.grad + g / b.data),
                                     setattr(b, "grad", b.grad - g * a.data / (b.data * b.data))) and None,)),
    ("numpy numbers", (lambda a, b, g: (setattr(a, "grad", a.grad + np.float64(g) / b.data),
                                        setattr(b, "grad", b.grad + np.float64(-a.data) / b.data**2 * g)) and None,)),
    ("returns something", (lambda a, b, g: (div_backward(a, b, g), "done")[1],)),
    ("power form", (lambda a, b, g: (setattr(a, "grad", a.grad + g * b.data**-1),
                                     setattr(b, "grad", b.grad + g * -a.data * b.data**-2)) and None,)),
    ("local names", (_div_with_names,)),
]


def div_with(share_a, share_b, assign=False):
    def rule(a, b, grad):
        ga, gb = share_a(a.data, b.data, grad), share_b(a.data, b.data, grad)
        a.grad = ga if assign else a.grad + ga
        b.grad = gb if assign else b.grad + gb
    return rule


right_a = lambda a, b, g: g / b  # noqa: E731
right_b = lambda a, b, g: -a / b**2 * g  # noqa: E731
e.wrong += [
    ("= for +=", (div_with(right_a, right_b, assign=True),), "+="),
    ("dropped upstream", (div_with(lambda a, b, g: 1 / b, lambda a, b, g: -a / b**2),), "upstream gradient"),
    ("swapped shares", (div_with(right_b, right_a),), "swapped"),
    ("b's sign", (div_with(right_a, lambda a, b, g: a / b**2 * g),), "wrong sign"),
    ("no square", (div_with(right_a, lambda a, b, g: -a / b * g),), "missing a square"),
    ("a only", (div_with(right_a, lambda a, b, g: 0.0),), None),
    ("doubled", (div_with(lambda a, b, g: 2 * g / b, lambda a, b, g: -2 * a / b**2 * g),), None),
    ("both negated", (div_with(lambda a, b, g: -g / b, lambda a, b, g: a / b**2 * g),), None),
    ("Value gradient, +=", (lambda a, b, grad: (setattr(a, "grad", a.grad + grad / b),
                                                setattr(b, "grad", b.grad - a * grad / b**2)) and None,),
     "gradient is a Value"),
    ("Value gradient, =", (lambda a, b, grad: (setattr(a, "grad", grad / b),
                                               setattr(b, "grad", -a / b**2 * grad)) and None,),
     "gradient is a Value"),
    ("changes data", (lambda a, b, g: (div_backward(a, b, g), setattr(a, "data", a.data - 0.1)) and None,),
     "changed a.data"),
    ("does nothing", (lambda a, b, g: 0,), "as they were"),
    ("returns the shares", (lambda a, b, g: (g / b.data, -a.data / b.data**2 * g),), "as they were"),
]

a_, d_ = nb04.reuse_grad_graph()
d_.backward()
e = entry(nb04.reuse_grad)
e.right += [(n, (a,)) for n, a in number_forms(a_.grad)] + [("the engine's a.grad", (a_.grad,))]
e.wrong += [(n, (a,), {"doubled": "backward() run twice"}.get(n)) for n, a in number_slips(a_.grad)]
e.wrong += [("through a * a only", (12.0,), "paths add up"), ("through + a only", (2.0,), "+ a"),
            ("a * a has derivative a", (8.0,), "2a"), ("forgot * 2", (7.0,), "doubles"),
            ("= for +=", (6.0,), "`=` instead of `+=`"), ("a.data", (3.0,), "a.data"),
            ("the Value a", (a_,), "a.data"), ("d.data", (24.0,), "d.data")]

e = entry(nb04.topo_orders)
e.right += [("a list", (["A", "C"],)), ("a string", ("AC",)), ("lower case", ("ac",)),
            ("a set", ({"C", "A"},)), ("a tuple, reversed", (("C", "A"),)),
            ("with commas and spaces", ("A, C",))]
e.wrong += [("only A", (["A"],), "C is valid too"), ("only C", (["C"],), "A is valid too"),
            ("with the reverse order", (["A", "C", "D"],), "reverse of a topological order"),
            ("only the reverse order", (["D"],), "reverse of a topological order"),
            ("m before its input", (["A", "B", "C"],), "lists m before b"),
            ("out before its input", (["A", "C", "E"],), "lists out before s"),
            ("all five", ("ABCDE",), None), ("none", ([],), "names no order"),
            ("a letter past E", (["A", "F"],), "not one of the letters"),
            ("the labels of an order", (["a", "b", "m"],), None)]

# ------------------------------------------------------------------ notebook 05

N = 0.5 * 2.0 + (-0.5) * (-1.0) + (-0.25)
O = math.tanh(N)
DW1 = 3 * (1 - O**2) * 2.0
e = entry(nb05.neuron_by_hand, rest=(DW1,))
e.right += [(f"o as {n}", (a, DW1)) for n, a in number_forms(O) if n not in ("int", "numpy int64")]
e.right += [(f"dL/dw1 as {n}", (O, a)) for n, a in number_forms(DW1) if n not in ("int", "numpy int64")]
e.wrong += [(f"o {n}", (a, DW1), None) for n, a in number_slips(O)]
e.wrong += [(f"dL/dw1 {n}", (O, a), {"sign flipped": "sign is flipped",
                                     "doubled": "backward() run twice"}.get(n))
            for n, a in number_slips(DW1)]
e.wrong += [("dropped upstream", (O, (1 - O**2) * 2.0), "upstream gradient"),
            ("stopped at dL/dn", (O, 3 * (1 - O**2)), "dL/dn"),
            ("1 - n**2", (O, 3 * (1 - N**2) * 2.0), "1 - n**2"),
            ("times w1", (O, 3 * (1 - O**2) * 0.5), "multiplied by w1"),
            ("times x2", (O, 3 * (1 - O**2) * -1.0), "multiplied by x2"),
            ("n for o", (N, DW1), "the sum before the activation"),
            ("rounded o", (round(O, 3), DW1), "more digits"),
            ("rounded gradient", (O, round(DW1, 3)), "more digits"),
            ("sign slip in w2*x2", (math.tanh(0.5 * 2.0 - 0.5 - 0.25), DW1), "n = w1*x1")]


def sigmoid_prime(x):
    s = 1 / (1 + math.exp(-x))
    return s * (1 - s)


def sigmoid_by_engine(x):
    v = Value(x)
    v.sigmoid().backward()
    return v.grad


e = entry(nb05.sigmoid_derivative)
e.right += [("solution", (sigmoid_prime,)), ("engine", (sigmoid_by_engine,)),
            ("exp form", (lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,)),
            ("numpy", (lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,)),
            ("via tanh", (lambda x: (1 - math.tanh(x / 2) ** 2) / 4,))]
e.right += [(n, (fn,)) for n, fn in returned_forms(sigmoid_prime)]
e.wrong += [(n, (fn,), {"negated": "sign is flipped",
                        "right at one point only": "right at x = -4 only"}.get(n))
            for n, fn in function_slips(sigmoid_prime)]
s_ = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
e.wrong += [("the sigmoid", (s_,), "the sigmoid itself"),
            ("tanh's rule", (lambda x: 1 - s_(x) ** 2,), "tanh's rule"),
            ("x for s", (lambda x: x * (1 - x),), "uses x where"),
            ("0.25 everywhere", (lambda x: 0.25,), "right at x = 0 only"),
            ("s(1 + s)", (lambda x: s_(x) * (1 + s_(x)),), "sign slip"),
            ("Value methods on a float", (lambda x: x.sigmoid() * (1 - x.sigmoid()),), "plain float x")]


def my_tanh(n):
    e2 = (2 * n).exp()
    return (e2 - 1) / (e2 + 1)


e = entry(nb05.tanh_from_exp)
e.right += [("solution", (my_tanh,)),
            ("exp minus exp", (lambda n: (n.exp() - (-n).exp()) / (n.exp() + (-n).exp()),)),
            ("1 - 2/(e + 1)", (lambda n: 1 - 2 / ((2 * n).exp() + 1),)),
            ("e**-2n", (lambda n: (1 - (-2 * n).exp()) / (1 + (-2 * n).exp()),)),
            ("times one", (lambda n: my_tanh(n) * 1,)),
            ("e ** (2n)", (lambda n: (math.e ** (2 * n) - 1) / (math.e ** (2 * n) + 1),))]
e.wrong += [("negated", (lambda n: -my_tanh(n),), None),
            ("doubled", (lambda n: 2 * my_tanh(n),), None),
            ("forgot the 2", (lambda n: (n.exp() - 1) / (n.exp() + 1),), "e**(2n)"),
            ("upside down", (lambda n: ((2 * n).exp() + 1) / ((2 * n).exp() - 1),), "upside down"),
            ("uses tanh", (lambda n: n.tanh(),), "tanh op itself"),
            ("float detour", (lambda n: (lambda e2: (e2 - 1) / (e2 + 1) + 0 * n.exp())(
                Value(math.exp(2 * n.data))),), "plain-float detour"),
            ("returns a float", (lambda n: math.tanh(n.data),), "plain number"),
            ("tanh's number, no graph", (lambda n: n * 1 - n * 1 + n.tanh().data,), "plain-float detour"),
            ("hard-coded shown value", (lambda n: 0 * n.exp() + math.tanh(-2.0),), None),
            ("math.exp on a Value", (lambda n: (math.exp(2 * n) - 1) / (math.exp(2 * n) + 1),), "n.exp()")]


def slow_grads():
    grads = []
    for w_, b_ in [(0.4, 0.1), (-2.0, 0.5), (3.0, 1.0)]:
        w = Value(w_)
        o = (Value(1.5) * w + b_).tanh()
        o.backward()
        grads.append(w.grad)
    return grads


SLOW = tuple(slow_grads())
SLOW_SUMS = (0.7, -2.5, 5.5)
e = entry(nb05.slowest_neuron, rest=("C",))
e.right += [(f"grads as {n}", (a, "C")) for n, a in sequence_forms(SLOW)]
e.right += [("by hand", ([(1 - math.tanh(n) ** 2) * 1.5 for n in SLOW_SUMS], "C")),
            ("lower case", (SLOW, "c")), ("neuron C", (SLOW, "neuron C")), ("spaces", (SLOW, " C "))]
e.wrong += [(f"grads {n}", (a, "C"), None) for n, a in sequence_slips(SLOW)]
e.wrong += [("the outputs", ([math.tanh(n) for n in SLOW_SUMS], "C"), "outputs o = tanh(n)"),
            ("do/dn", ([1 - math.tanh(n) ** 2 for n in SLOW_SUMS], "C"), "multiply by x = 1.5"),
            ("1 - n**2", ([(1 - n**2) * 1.5 for n in SLOW_SUMS], "C"), "1 - n**2"),
            ("times w", ([(1 - math.tanh(n) ** 2) * w for n, w in zip(SLOW_SUMS, (0.4, -2.0, 3.0))], "C"),
             "multiplied by w"),
            ("reversed", (SLOW[::-1], "C"), "wrong order"),
            ("rounded", ([round(g, 3) for g in SLOW], "C"), "rounded"),
            ("most negative sum", (SLOW, "B"), "flat on both sides"),
            ("largest gradient", (SLOW, "A"), "learns fastest"),
            ("a number for the letter", (SLOW, 3), "one of the letters"),
            ("no quotes", (SLOW, None), "one of the letters")]

# ------------------------------------------------------------------ notebook 06


def count(nin, nouts):
    sizes = [nin] + list(nouts)
    return sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(nouts)))


def _count_recursive(nin, nouts):
    return 0 if not nouts else nouts[0] * (nin + 1) + _count_recursive(nouts[0], nouts[1:])


e = entry(nb06.count_parameters)
e.right += [("solution", (count,)), ("numpy int", (lambda nin, nouts: np.int64(count(nin, nouts)),)),
            ("loop", (lambda nin, nouts: sum(m * (k + 1) for k, m in zip([nin] + nouts, nouts)),)),
            ("by building it", (lambda nin, nouts: len(__import__("backproplab.nn", fromlist=["MLP"])
                                                       .MLP(nin, nouts).parameters()),)),
            ("recursive", (lambda nin, nouts: _count_recursive(nin, list(nouts)),)),
            ("numpy", (lambda nin, nouts: int(np.dot(np.array(nouts), np.array([nin] + nouts[:-1]) + 1)),)),
            ("tuple shapes", (lambda nin, nouts: sum(m * (k + 1) for k, m in zip((nin, *nouts), tuple(nouts))),))]
e.wrong += [(n, (fn,), None) for n, fn in function_slips(count) if n != "halved"]
e.wrong += [
    ("a float", (lambda nin, nouts: float(count(nin, nouts)),), "write 41"),
    ("no biases", (lambda nin, nouts: count(nin, nouts) - sum(nouts),), "weights only"),
    ("a bias per layer", (lambda nin, nouts: count(nin, nouts) - sum(nouts) + len(nouts),), "each layer 1 bias"),
    ("ignores nin", (lambda nin, nouts: count(nouts[0], nouts[1:]) if len(nouts) > 1 else 0,),
     "first layer is missing"),
    ("41 always", (lambda nin, nouts: 41,), None),
    ("mutates nouts", (lambda nin, nouts: (nouts.insert(0, nin), sum(
        nouts[i + 1] * (nouts[i] + 1) for i in range(len(nouts) - 1)))[1],), "changed the list"),
    ("a Value", (lambda nin, nouts: Value(count(nin, nouts)),), "plain whole number"),
]

YP, YS = nb06._YPRED, nb06._YS
truth = nb06._bias_gradient()
e = entry(nb06.output_bias_gradient)
e.right += [(n, (a,)) for n, a in number_forms(truth)]
e.right += [("by hand", (sum(2 * (yp - y) * (1 - yp**2) for yp, y in zip(YP, YS)),)),
            ("numpy", (np.sum(2 * (np.array(YP) - YS) * (1 - np.array(YP) ** 2)),))]
e.wrong += [(n, (a,), {"sign flipped": "sign is flipped", "halved": "factor of 2"}.get(n))
            for n, a in number_slips(truth)]
e.wrong += [("skips the tanh", (sum(2 * (yp - y) for yp, y in zip(YP, YS)),), "skips the tanh"),
            ("1 + yp**2", (sum(2 * (yp - y) * (1 + yp**2) for yp, y in zip(YP, YS)),), "not 1 + ypred**2"),
            ("2 - yp**2", (sum(2 * (yp - y) * (2 - yp**2) for yp, y in zip(YP, YS)),), None),
            ("second tanh", (sum(2 * (yp - y) * (1 - math.tanh(yp) ** 2) for yp, y in zip(YP, YS)),),
             "second tanh"),
            ("the mean", (truth / 4,), "the mean"),
            ("one sample", (2 * (YP[0] - YS[0]) * (1 - YP[0] ** 2),), None),
            ("old data's answer", (-0.14,), None)]


def step(model, xs, ys, lr):
    ypred = [model(x) for x in xs]
    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def make_step(*, zero="before", sign=-1, lr_used=None, loss_scale=1.0, ret="loss", update="data"):
    def s(model, xs, ys, lr):
        rate = lr if lr_used is None else lr_used
        if zero == "first":
            model.zero_grad()
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) * loss_scale
        if zero == "before":
            model.zero_grad()
        loss.backward()
        if zero == "after":
            model.zero_grad()
        for p in model.parameters():
            if update == "data":
                p.data += sign * rate * p.grad
            elif update == "value":
                p.data -= rate * p
            elif update == "rebind":
                p = p - rate * p.grad  # noqa: PLW2901
        if ret == "loss":
            return loss
        if ret == "data":
            return loss.data
        if ret == "numpy":
            return np.float64(loss.data)
        if ret == "after":
            return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        return None
    return s


def _backward_twice(model, xs, ys, lr):
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    model.zero_grad()
    loss.backward()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss


def _step_by_hand(model, xs, ys, lr):
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    loss = Value(0.0)
    for x, y in zip(xs, ys):
        loss = loss + (model(x) - y) * (model(x) - y)
    loss.backward()
    [setattr(p, "data", p.data - lr * p.grad) for p in params]
    return loss


def _step_zero_at_end(model, xs, ys, lr):
    # gradients start at 0, and each step leaves them at 0 again: the same steps
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    model.zero_grad()
    return loss


e = entry(nb06.training_step)
e.right += [("solution", (step,)), ("zero first", (make_step(zero="first"),)),
            ("returns loss.data", (make_step(ret="data"),)),
            ("returns numpy", (make_step(ret="numpy"),)),
            ("resets by hand, updates in a comprehension", (_step_by_hand,)),
            ("zero_grad at the end", (_step_zero_at_end,))]
e.wrong += [("forgets zero_grad", (make_step(zero="never"),), "zero_grad"),
            ("wrong sign", (make_step(sign=+1),), "wrong way"),
            ("zero_grad after backward", (make_step(zero="after"),), "between backward() and the update"),
            ("mean loss", (make_step(loss_scale=1 / 3),), "the mean"),
            ("returns nothing", (make_step(ret="none"),), "returned None"),
            ("its own lr", (make_step(lr_used=0.1),), "times as far"),
            ("half the lr", (make_step(lr_used=0.05),), "times as far"),
            ("Value update", (make_step(update="value"),), "became a Value"),
            ("rebinds p", (make_step(update="rebind"),), "only renames p"),
            ("loss after the update", (make_step(ret="after"),), "the loss you returned"),
            ("doubled loss", (make_step(loss_scale=2.0),), None),
            ("backward twice", (lambda model, xs, ys, lr: _backward_twice(model, xs, ys, lr),),
             "backward() called more than once")]

e = entry(nb06.diverging_rates)
e.right += [("list", ([1.1, 2.0],)), ("set", ({2.0, 1.1},)), ("tuple, ints", ((2, 1.1),)),
            ("numpy", (np.array([1.1, 2.0]),)),
            ("computed", ([lr for lr in nb06.RATES if abs(1 - 2 * lr) > 1],)),
            ("generator", ((lr for lr in nb06.RATES if lr > 1),))]
e.wrong += [("with 1.0", ([1.0, 1.1, 2.0],), "never grows"),
            ("with 0.9", ([0.9, 1.1, 2.0],), "zigzagging"),
            ("with 0.5", ([0.5, 1.1, 2.0],), "lands exactly on the minimum"),
            ("with the slow one", ([0.01, 1.1, 2.0],), "slow, not diverging"),
            ("only 2.0", ([2.0],), "1.1 is missing"),
            ("none", ([],), "1.1 is missing"),
            ("every overshooting rate", ([0.9, 1.0, 1.1, 2.0],), None),
            ("a rate not asked about", ([1.1, 2.0, 3.0],), "not one of the rates")]

# ------------------------------------------------------------------ notebook 07

truth = tuple(nb07._hinge(y, s) for y, s in nb07.HINGE_PAIRS)
e = entry(nb07.hinge_values)
e.right += [(n, (a,)) for n, a in sequence_forms(truth)]
e.wrong += [(n, (a,), {"one too few": "expected 5", "one too many": "expected 5"}.get(n))
            for n, a in sequence_slips(truth)]
pairs = nb07.HINGE_PAIRS
e.wrong += [("no max", ([1 - y * s for y, s in pairs],), "never goes below 0"),
            ("sign", ([max(0, 1 + y * s) for y, s in pairs],), "sign is flipped"),
            ("no label", ([max(0, 1 - s) for _, s in pairs],), "label is missing"),
            ("no 1", ([max(0, -y * s) for y, s in pairs],), "The 1 is missing"),
            ("the margin point", ([0, 0.75, 1.5, 2.0, 1.5],), "Pair 3")]


def total_loss(scores, labels, params, alpha):
    data_loss = sum((1 - y * s).relu() for s, y in zip(scores, labels)) / len(scores)
    return data_loss + alpha * sum(p * p for p in params)


def _loop_loss(scores, labels, params, alpha):
    total = Value(0.0)
    for s, y in zip(scores, labels):
        total = total + (1 - y * s).relu()
    reg = 0
    for p in params:
        reg = reg + p**2
    return total / len(scores) + alpha * reg


e = entry(nb07.hinge_l2_loss)
e.right += [("solution", (total_loss,)),
            ("mean by multiplying", (lambda s, y, p, a: sum((1 - yi * si).relu() for si, yi in zip(s, y))
                                     * (1 / len(s)) + sum(a * pi**2 for pi in p),)),
            ("relu of negation", (lambda s, y, p, a: sum((-(yi * si - 1)).relu() for si, yi in zip(s, y))
                                  / len(s) + a * sum(pi * pi for pi in p),)),
            ("loops and **", (lambda s, y, p, a: _loop_loss(s, y, p, a),)),
            ("margins as a tuple", (lambda s, y, p, a: sum(tuple((1 - m).relu() for m in (
                yi * si for si, yi in zip(s, y)))) / len(s) + a * sum(pi**2 for pi in p),))]
e.wrong += [
    ("negated", (lambda *a: -total_loss(*a),), None),
    ("doubled", (lambda *a: 2 * total_loss(*a),), None),
    ("sum for mean", (lambda s, y, p, a: sum((1 - yi * si).relu() for si, yi in zip(s, y))
                      + a * sum(pi * pi for pi in p),), "take their mean"),
    ("no regularisation", (lambda s, y, p, a: sum((1 - yi * si).relu() for si, yi in zip(s, y)) / len(s),),
     "data loss alone"),
    ("mean regularisation", (lambda s, y, p, a: sum((1 - yi * si).relu() for si, yi in zip(s, y)) / len(s)
                             + a * sum(pi * pi for pi in p) / len(p),), "not the mean"),
    ("plus for minus", (lambda s, y, p, a: sum((1 + yi * si).relu() for si, yi in zip(s, y)) / len(s)
                        + a * sum(pi * pi for pi in p),), None),
    ("regularises scores", (lambda s, y, p, a: sum((1 - yi * si).relu() for si, yi in zip(s, y)) / len(s)
                            + a * sum(si * si for si in s),), None),
    ("returns a float", (lambda *a: total_loss(*a).data,), "plain number"),
    ("detached regularisation", (lambda s, y, p, a: sum((1 - yi * si).relu() for si, yi in zip(s, y))
                                 / len(s) + a * sum(pi.data ** 2 for pi in p),), "backward(2.5)"),
    ("Python's max", (lambda s, y, p, a: sum(max(0, 1 - yi * si) for si, yi in zip(s, y)) / len(s)
                      + a * sum(pi * pi for pi in p),), ".relu()"),
]

e = entry(nb07.misclassified)
e.right += [("list", ([1, 2],)), ("reversed tuple", ((2, 1),)), ("numpy", (np.array([1, 2]),)),
            ("set", ({1, 2},)), ("generator", ((i for i in (1, 2)),)),
            ("numpy ints", ([np.int64(1), np.int64(2)],)),
            ("computed", ([i for i, (s, y) in enumerate(zip(nb07.SCORES, nb07.LABELS)) if y * s < 0],)),
            ("numpy where", (np.where(np.array(nb07.LABELS) * np.array(nb07.SCORES) < 0),))]
e.wrong += [("with the margin points", ([1, 2, 4, 5],), "inside the margin"),
            ("counted from 1", ([2, 3],), "counted from 1"), ("one missed", ([1],), "You missed"),
            ("the right ones", ([0, 3, 4, 5],), "gets right"), ("one extra", ([1, 2, 4],), "classified correctly"),
            ("twice", ([1, 2, 2],), "twice"), ("out of range", ([1, 6],), "not an index"),
            ("floats", ([1.0, 2.0],), "write 1"), ("all", (list(range(6)),), None),
            ("none", ([],), "You missed"), ("negative index", ([-1, 2],), "not an index"),
            ("a True/False mask", (np.array([y * s < 0 for s, y in zip(nb07.SCORES, nb07.LABELS)]),),
             "True/False")]


def learning_rate(k, steps, lr0):
    return lr0 * (1.0 - 0.9 * k / steps)


e = entry(nb07.learning_rate)
e.right += [("solution", (learning_rate,)), ("expanded", (lambda k, s, lr0: lr0 - 0.9 * lr0 * k / s,)),
            ("interpolated", (lambda k, s, lr0: lr0 + (0.1 * lr0 - lr0) * (k / s),))]
e.right += [(n, (fn,)) for n, fn in returned_forms(learning_rate)]
e.wrong += [(n, (fn,), None) for n, fn in function_slips(learning_rate)]
e.wrong += [("hard-coded 100", (lambda k, s, lr0: lr0 * (1.0 - 0.9 * k / 100),), "uses 100"),
            ("ignores lr0", (lambda k, s, lr0: 1.0 - 0.9 * k / s,), "scale with lr0"),
            ("grows", (lambda k, s, lr0: lr0 * (0.1 + 0.9 * k / s),), "grows"),
            ("forgot / steps", (lambda k, s, lr0: lr0 * (1.0 - 0.9 * k),), None),
            ("off by one", (lambda k, s, lr0: lr0 * (1.0 - 0.9 * (k + 1) / s),), "one step ahead"),
            ("decays to 0", (lambda k, s, lr0: lr0 * (1.0 - k / s),), "decays to 0"),
            ("swapped arguments", (lambda s, k, lr0: lr0 * (1.0 - 0.9 * k / s),), None)]


def dead_neurons(layer, points):
    return [i for i, n in enumerate(layer.neurons) if all(n(x).data <= 0 for x in points)]


def _sums_dead(layer, points, test, bias=True):
    return [i for i, n in enumerate(layer.neurons)
            if test([sum((w.data * x for w, x in zip(n.w, p)), n.b.data if bias else 0.0) for p in points])]


e = entry(nb07.dead_neurons)
e.right += [("solution", (dead_neurons,)),
            ("weighted sums", (lambda l, p: _sums_dead(l, p, lambda s: all(v <= 0 for v in s)),)),
            ("max of outputs", (lambda l, p: [i for i, n in enumerate(l.neurons) if max(n(x).data for x in p) == 0],))]
# indices, not numbers: numpy ints are indices, numpy floats are not (as in misclassified)
e.right += [(n, (fn,)) for n, fn in returned_forms(dead_neurons, sequence=True) if n != "returns numpy items"]
e.right += [("returns numpy ints", (lambda l, p: [np.int64(i) for i in dead_neurons(l, p)],))]
e.wrong += [("off on some point", (lambda l, p: _sums_dead(l, p, lambda s: any(v <= 0 for v in s)),), "some"),
            ("the live ones", (lambda l, p: _sums_dead(l, p, lambda s: any(v > 0 for v in s)),), "fire"),
            ("< 0, not <= 0", (lambda l, p: _sums_dead(l, p, lambda s: all(v < 0 for v in s)),), "relu(0) = 0"),
            ("no bias", (lambda l, p: _sums_dead(l, p, lambda s: all(v <= 0 for v in s), bias=False),), "bias"),
            ("twice", (lambda l, p: dead_neurons(l, p) + dead_neurons(l, p)[:1],), "twice"),
            ("counted from 1", (lambda l, p: [i + 1 for i in dead_neurons(l, p)],), None),
            ("a True/False mask", (lambda l, p: [all(n(x).data <= 0 for x in p) for n in l.neurons],), "True/False"),
            ("the count", (lambda l, p: len(dead_neurons(l, p)),), None)]


# ------------------------------------------------------------------ notebook 08


def _same_args(x, y):
    """Argument tuples equal by value (numpy arrays compared entry by entry)."""
    return len(x) == len(y) and all(
        np.array_equal(a, b) if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) else a == b
        for a, b in zip(x, y))


def array_slips(fn, *, pair: bool = False):
    """Wrong functions made from a right one that returns an array (or, if `pair`, two):
    function_slips for numpy answers, the first case's result compared by value."""
    if pair:
        def apply(g):
            return lambda *a: tuple(g(np.asarray(v)) for v in fn(*a))
    else:
        def apply(g):
            return lambda *a: g(np.asarray(fn(*a)))
    first = {}

    def hard_coded(*a):  # the result of the first call, every time: a shown output
        if "value" not in first:
            first["value"] = fn(*a)
        return first["value"]

    seen = {}

    def right_once(*a):  # right at the first case it is asked about only
        result = fn(*a)
        seen.setdefault("args", tuple(np.copy(x) if isinstance(x, np.ndarray) else x for x in a))
        if _same_args(a, seen["args"]):
            return result
        return tuple(np.asarray(r) + 0.5 for r in result) if pair else np.asarray(result) + 0.5

    return [
        ("negated", apply(lambda v: -v)),
        ("doubled", apply(lambda v: 2 * v)),
        ("halved", apply(lambda v: v / 2)),
        ("plus one", apply(lambda v: v + 1)),
        ("hard-coded from the first case", hard_coded),
        ("right at one point only", right_once),
    ]


def as_values(array):
    """An array of scalar-engine Values: the Values-for-floats slip, in numpy."""
    return np.vectorize(Value, otypes=[object])(np.asarray(array, dtype=float))


def matmul_backward(a, b, grad):
    grad_a = grad @ b.T
    grad_b = a.T @ grad
    return grad_a, grad_b


def _matmul_by_loops(a, b, grad):
    grad_a, grad_b = np.zeros_like(a), np.zeros_like(b)
    for i in range(a.shape[0]):
        for k in range(a.shape[1]):
            for j in range(b.shape[1]):
                grad_a[i, k] += grad[i, j] * b[k, j]
                grad_b[k, j] += a[i, k] * grad[i, j]
    return grad_a, grad_b


def _matmul_in_place(a, b, grad):
    grad *= 2.0  # changes the caller's array, then undoes the factor in the result
    return (grad @ b.T) / 2, (a.T @ grad) / 2


def _when_square(square, other=matmul_backward):
    return lambda a, b, g: square(a, b, g) if a.shape == b.shape else other(a, b, g)


e = entry(nb08.matmul_backward)
e.right += [("solution", (matmul_backward,)), ("loops", (_matmul_by_loops,)),
            ("transposed products", (lambda a, b, g: ((b @ g.T).T, (g.T @ a).T),)),
            ("einsum", (lambda a, b, g: (np.einsum("ij,kj->ik", g, b), np.einsum("ik,ij->kj", a, g)),)),
            ("np.dot", (lambda a, b, g: (np.dot(g, b.T), np.dot(a.T, g)),)),
            ("returns a list", (lambda a, b, g: [g @ b.T, a.T @ g],)),
            ("returns nested lists", (lambda a, b, g: ((g @ b.T).tolist(), (a.T @ g).tolist()),)),
            ("returns a generator", (lambda a, b, g: (x for x in matmul_backward(a, b, g)),)),
            ("float32 arrays", (lambda a, b, g: tuple(x.astype(np.float32) for x in matmul_backward(a, b, g)),))]
e.wrong += [(n, (fn,), {"negated": "wrong sign", "doubled": "2 times", "halved": "0.5 times"}.get(n))
            for n, fn in array_slips(matmul_backward, pair=True)]
e.wrong += [
    ("dropped upstream", (lambda a, b, g: (np.ones_like(g) @ b.T, a.T @ np.ones_like(g)),), "Multiply by `grad`"),
    ("swapped", (lambda a, b, g: matmul_backward(a, b, g)[::-1],), "swapped"),
    ("swapped when square", (_when_square(lambda a, b, g: (a.T @ g, g @ b.T)),), "swapped"),
    ("no transposes", (lambda a, b, g: (g @ b, a @ g),), "transpose missing"),
    ("no transpose when square", (_when_square(lambda a, b, g: (g @ b, a.T @ g)),), "transpose is missing"),
    ("factors reversed", (lambda a, b, g: (b @ g.T, a.T @ g),), "wrong order"),
    ("factors reversed when square", (_when_square(lambda a, b, g: (g @ b.T, g.T @ a)),), "wrong order"),
    ("mean instead of sum", (lambda a, b, g: (g @ b.T / g.shape[1], a.T @ g / g.shape[0]),), "(a mean)"),
    ("one array", (lambda a, b, g: g @ b.T,), "return 2 arrays"),
    ("three arrays", (lambda a, b, g: (g @ b.T, a.T @ g, g),), "returned 3 items"),
    ("flattened", (lambda a, b, g: (g @ b.T, (a.T @ g).ravel()),), "shape"),
    ("grad_b doubled", (lambda a, b, g: (g @ b.T, 2 * (a.T @ g)),), "grad_b does not match"),
    ("Values for floats", (lambda a, b, g: (as_values(g @ b.T), as_values(a.T @ g)),), "from the scalar engine"),
    ("changes grad in place", (_matmul_in_place,), "changed the array `grad`"),
    ("elementwise product", (lambda a, b, g: (g * b.T, a.T * g),), None),
]


def unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] > 1)
    return grad.sum(axis=stretched, keepdims=True)


def _unbroadcast_by_loops(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1:
            grad = grad.sum(axis=i, keepdims=True)
    return grad


def _unbroadcast_reshaped(grad, shape):
    padded = (1,) * (grad.ndim - len(shape)) + tuple(shape)
    axes = tuple(i for i, n in enumerate(padded) if n == 1)
    return grad.sum(axis=axes, keepdims=True).reshape(shape)


def _unbroadcast_in_place(grad, shape):
    result = unbroadcast(grad, shape).copy()
    grad[...] = 0  # clears the caller's array
    return result


e = entry(nb08.unbroadcast)
e.right += [("solution", (unbroadcast,)), ("loops", (_unbroadcast_by_loops,)),
            ("keepdims, then reshape", (_unbroadcast_reshaped,)),
            ("a float for a scalar", (lambda g, s: float(g.sum()) if s == () else unbroadcast(g, s),)),
            ("returns lists", (lambda g, s: np.asarray(unbroadcast(g, s)).tolist(),)),
            ("float32", (lambda g, s: np.asarray(unbroadcast(g, s), dtype=np.float32),)),
            ("ints", (lambda g, s: np.asarray(unbroadcast(g, s)).astype(int),))]
e.wrong += [(n, (fn,), {"negated": "sign is flipped", "doubled": "2 times", "halved": "0.5 times"}.get(n))
            for n, fn in array_slips(unbroadcast)]
e.wrong += [
    ("returns grad", (lambda g, s: g,), "the result's shape"),
    ("leading axes only", (lambda g, s: g.sum(axis=tuple(range(g.ndim - len(s)))),), "shape"),
    ("size-1 axes only", (lambda g, s: g.sum(axis=tuple(i for i, n in enumerate(s) if n == 1), keepdims=True),
                          ), None),
    ("mean instead of sum", (lambda g, s: np.asarray(unbroadcast(g, s)) * (np.prod(s) / g.size),), "mean"),
    ("no keepdims", (lambda g, s: np.asarray(unbroadcast(g, s)).ravel() if s else unbroadcast(g, s),), "keepdims=True"),
    ("sums everything", (lambda g, s: g.sum(),), "shape"),
    ("sums axis 0 always", (lambda g, s: g.sum(axis=0) if g.ndim > 0 else g,), "shape"),
    ("Values for floats", (lambda g, s: as_values(unbroadcast(g, s)),), "from the scalar engine"),
    ("clears grad", (_unbroadcast_in_place,), "changed the array `grad`"),
    ("broadcasts back", (lambda g, s: np.broadcast_to(np.asarray(unbroadcast(g, s)), g.shape),), "the result's shape"),
]


def cross_entropy_grad(logits, labels, grad):
    z = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    probs[np.arange(len(labels)), labels] -= 1
    return grad * probs / len(labels)


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _ce_columns(z, y, g):
    probs = _softmax(z)
    probs[:, y] -= 1
    return g * probs / len(y)


def _ce_by_rows(z, y, g):
    rows = []
    for row, label in zip(z, y):
        e = [math.exp(v - max(row)) for v in row]
        rows.append([ei / sum(e) - (j == label) for j, ei in enumerate(e)])
    return [[g * v / len(y) for v in r] for r in rows]


def _ce_in_place(logits, labels, grad):
    logits -= logits.max(axis=1, keepdims=True)  # shifts the caller's array
    return cross_entropy_grad(logits, labels, grad)


def _log_softmax(z):
    top = z.max(axis=1, keepdims=True)
    return z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True))


e = entry(nb08.cross_entropy_grad)
e.right += [("solution", (cross_entropy_grad,)),
            ("one-hot rows", (lambda z, y, g: g * (_softmax(z) - np.eye(z.shape[1])[y]) / z.shape[0],)),
            ("row by row, as lists", (_ce_by_rows,)),
            ("mean over rows", (lambda z, y, g: g * (_softmax(z) - np.eye(z.shape[1])[y]).__truediv__(len(z)),)),
            ("float32", (lambda z, y, g: cross_entropy_grad(z, y, g).astype(np.float32),)),
            ("log-softmax form", (lambda z, y, g: g * (np.exp(_log_softmax(z))
                                                      - (np.arange(z.shape[1]) == y[:, None])) / len(y),))]
# right for small logits only: exp overflows on the large ones the notebook warns about
e.wrong += [
    ("no log-sum-exp shift", (lambda z, y, g: g * (np.exp(z) / np.exp(z).sum(1, keepdims=True)
                                                   - np.eye(z.shape[1])[y]) / z.shape[0],),
     "Subtract each row's largest logit"),
    ("log-softmax without the shift", (lambda z, y, g: g * (np.exp(z - np.log(np.exp(z).sum(1, keepdims=True)))
                                                            - (np.arange(z.shape[1]) == y[:, None])) / len(y),),
     "Subtract each row's largest logit"),
]
e.wrong += [(n, (fn,), {"negated": "sign is flipped", "doubled": "2 times", "halved": "0.5 times"}.get(n))
            for n, fn in array_slips(cross_entropy_grad)]
e.wrong += [
    ("dropped upstream", (lambda z, y, g: cross_entropy_grad(z, y, 1.0),), "upstream gradient of 1"),
    ("sum for mean", (lambda z, y, g: cross_entropy_grad(z, y, g) * len(y),), "MEAN"),
    ("divided by classes", (lambda z, y, g: cross_entropy_grad(z, y, g) * len(y) / z.shape[1],), "number of classes"),
    ("onehot minus softmax", (lambda z, y, g: g * (np.eye(z.shape[1])[y] - _softmax(z)) / len(y),), "sign is flipped"),
    ("forgot the 1", (lambda z, y, g: g * _softmax(z) / len(y),), "subtract 1"),
    ("probs[:, labels]", (_ce_columns,), "probs[:, labels]"),
    ("exp without normalising", (lambda z, y, g: g * (np.exp(z) - np.eye(z.shape[1])[y]) / len(y),), "does not match"),
    ("one row only", (lambda z, y, g: cross_entropy_grad(z, y, g)[0],), "shape"),
    ("rounded", (lambda z, y, g: np.round(cross_entropy_grad(z, y, g), 3),), "not exact"),
    ("Values for floats", (lambda z, y, g: as_values(cross_entropy_grad(z, y, g)),), "from the scalar engine"),
    ("shifts logits in place", (_ce_in_place,), "changed the array `logits`"),
]

shapes = [(64, 64), (64,), (64, 10), (10,)]
e = entry(nb08.digits_parameters)
e.right += [(n, (a,)) for n, a in number_forms(4810) if n != "Value"]
e.right += [("sum of sizes", (sum(np.zeros(s).size for s in shapes),)),
            ("numpy prod", (sum(np.prod(s) for s in shapes),)),
            ("numpy int32", (np.int32(4810),)), ("a whole float64", (np.float64(4810.0),)),
            ("the scalar MLP's count", (len(__import__("backproplab.nn", fromlist=["MLP"]).MLP(64, [64, 10]).parameters()),))]
e.wrong += [(n, (a,), {"sign flipped": "negative", "wrong Value": "plain whole number"}.get(n))
            for n, a in number_slips(4810)]
e.wrong += [("weights only", (64 * 64 + 64 * 10,), "weights only"),
            ("no output biases", (64 * 64 + 64 * 10 + 64,), "10 biases"),
            ("no hidden biases", (64 * 64 + 64 * 10 + 10,), "hidden layer's 64 biases"),
            ("a bias per layer", (64 * 64 + 64 * 10 + 2,), "each layer 1 bias"),
            ("the hidden layer only", (64 * 64 + 64,), "hidden layer alone"),
            ("the output layer only", (64 * 10 + 10,), "output layer alone"),
            ("the inputs counted", (4810 + 64,), "inputs are data"),
            ("sizes multiplied", (64 * 64 * 10,), "multiplied"),
            ("notebook 07's count", (337,), "notebook 07"),
            ("not whole", (4810.5,), "whole number"),
            ("a Value", (Value(4810.0),), "plain whole number"),
            ("the sizes", (shapes,), None)]


# notebook 09: one spiral trained to the target (about 1 s), shared by its answers
def _spiral_answers():
    import copy
    from types import SimpleNamespace

    from backproplab.playground import Playground

    sin4 = ("x1", "x2", "sin(x1)", "sin(x2)")
    pg = Playground("spiral", points=400, features=sin4, hidden=[8, 8, 4],
                    learning_rate=0.1).train(300)
    scalar = copy.deepcopy(pg)
    scalar.set(engine="scalar", learning_rate=0.01)  # training settings: the weights stay
    short = Playground("spiral", points=400, features=sin4, hidden=[8, 8, 4],
                       learning_rate=0.1).train(30)
    relabelled = copy.deepcopy(short)  # test labels set to its own predictions
    relabelled.y_test = (relabelled.scores(relabelled.X_test) > 0).astype(int)
    tampered = copy.deepcopy(pg)
    tampered.weights = tampered.weights[:-1]
    return pg, scalar, SimpleNamespace(playground=pg), short, relabelled, tampered


_pg, _pg_scalar, _pg_widget, _pg_short, _pg_relabelled, _pg_tampered = _spiral_answers()
e = entry(nb09.spiral_challenge)
e.right += [("trained Playground", (_pg,)), ("the widget", (_pg_widget,)),
            ("switched to the scalar engine", (_pg_scalar,)),
            ("a copy", (__import__("copy").deepcopy(_pg),))]
_P = __import__("backproplab.playground", fromlist=["Playground"]).Playground
e.wrong += [("untrained", (_P("spiral", points=400, hidden=[8, 8, 4]),), "has not trained yet"),
            ("trained too little", (_pg_short,), "does not fit even the training points"),
            ("test labels replaced by its predictions", (_pg_relabelled,), "below 95%"),
            ("weights cut", (_pg_tampered,), "no longer fit its settings"),
            ("too many neurons", (_P("spiral", points=400, hidden=[8, 8, 8]),), "at most 20"),
            ("the moons", (_P("moons", hidden=[4]).train(1),), "the spiral"),
            ("noise turned down", (_P("spiral", noise=0.0, points=400).train(1),), "noise is 0"),
            ("more points", (_P("spiral", points=800).train(1),), "at most 400"),
            ("a small test set", (_P("spiral", points=400, test_fraction=0.2).train(1),), "at least half"),
            ("its test accuracy", (_pg.test_accuracy,), "Playground you trained"),
            ("its settings", (_pg.settings,), "Playground you trained")]

e = entry(nb09.xor_features)
e.right += [("with x1 and x2", (["x1", "x2", "x1*x2"],)), ("alone", (["x1*x2"],)),
            ("a tuple", (("x1*x2", "x2"),)), ("a set", ({"x1*x2", "x1"},)),
            ("one name", ("x1*x2",)), ("every feature", (list(nb09.FEATURES),))]
e.wrong += [("x1 and x2", (["x1", "x2"],), "changes along one axis only"),
            ("x1", (["x1"],), "changes along one axis only"),
            ("the sines", (["sin(x1)", "sin(x2)"],), "changes along one axis only"),
            ("the squares", (["x1^2", "x2^2"],), "same at all four corners"),
            ("lines and squares", (["x1", "x2", "x1^2", "x2^2"],), "same at all four corners"),
            ("an unknown name", (["x3"],), "not a feature"),
            ("spaces in the name", (["x1 * x2"],), "not a feature"),
            ("nothing", ([],), "empty"),
            ("the labels", (["x₁x₂"],), "not a feature")]

e = entry(nb09.parameter_count)
e.right += [(n, (a,)) for n, a in number_forms(42) if n in ("int", "numpy int64")]
e.right += [("numpy int32", (np.int32(42),)), ("worked out", ((3 * 5 + 5) + (5 * 3 + 3) + (3 + 1),)),
            ("from the Playground", (_P(features=("x1", "x2", "x1*x2"), hidden=[5, 3]).parameter_count,))]
e.wrong += [("weights only", (33,), "weights only"), ("no output bias", (41,), "output neuron's bias"),
            ("no output layer", (38,), "output layer is missing"), ("two features", (37,), "3 features"),
            ("the neurons", (9,), "counts the neurons"), ("plus one", (43,), None), ("negative", (-42,), None),
            ("a float", (42.0,), "write 42"), ("a Value", (Value(42.0),), "plain whole number")]


# ------------------------------------------------------------------ bad input


def _raises(*args):
    raise ValueError("something went wrong inside")


def _loops(*args):
    while True:
        pass


def _prints(*args):
    for i in range(20_000):
        print("line", i)


def _returns_ellipsis(*args):
    return ...


def _endless_numbers():
    while True:
        yield 1.0


class _BadIterable:
    def __iter__(self):
        raise RuntimeError("cannot iterate")


BAD = [
    ("None", None), ("a string", "24"), ("a huge int", 10**400), ("nan", float("nan")),
    ("inf", float("inf")), ("True", True), ("a complex number", 1j), ("an object", object()),
    ("a dict", {"a": 1}), ("a 2-d array", np.ones((2, 2))), ("a raising function", _raises),
    ("an endless loop", _loops), ("20,000 printed lines", _prints),
    ("a function of no arguments", lambda: 0), ("returns ...", _returns_ellipsis),
    ("an endless generator", _endless_numbers()), ("a raising iterable", _BadIterable()),
    ("a huge list", [10**400] * 3), ("strings in a list", ["1", "2", "3"]),
]

INTERNALS = ("Traceback", "_check", "Verdict", "AnswerForm", "object at 0x", "<memory",
             "NoneType", "<lambda>()", "_reference", "_TimeLimit")


def verdict_lines(out: str) -> list[str]:
    return [line for line in out.splitlines()
            if line.startswith((RIGHT_MARK, WRONG_MARK)) or NOT_ANSWERED in line]


def assert_one_plain_sentence(out: str, title: str) -> None:
    lines = verdict_lines(out)
    assert len(lines) == 1, out[-2000:]
    line = lines[0]
    assert line.startswith((NOT_YET.format(title=title) + " ", f"{title}: {NOT_ANSWERED}.")), line
    assert not any(word in line for word in INTERNALS), line
    assert re.search(rf"[.!?)`]( {re.escape(HINT_OFFER)})?$", line), line


# ------------------------------------------------------------------ the tests

RIGHT = [(t, n, a) for t, en in CATALOGUE.items() for n, a in en.right]
WRONG = [(t, n, a, s) for t, en in CATALOGUE.items() for n, a, s in en.wrong]
BAD_CASES = [(t, n, a) for t in CATALOGUE for n, a in BAD]


def test_the_catalogue_covers_every_exercise():
    exercises = {ex.title for m in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09)
                 for ex in vars(m).values() if isinstance(ex, Exercise)}
    assert exercises == set(CATALOGUE) and len(exercises) == 34
    for title, en in CATALOGUE.items():
        assert len(en.right) >= 4 and len(en.wrong) >= 8, title


@pytest.mark.parametrize("title, name, answer", RIGHT, ids=[f"{t}: {n}" for t, n, _ in RIGHT])
def test_right_answers_in_every_form_are_accepted(title, name, answer, capsys):
    exercise = CATALOGUE[title].exercise
    assert exercise.check(*answer) is True, capsys.readouterr().out
    first = capsys.readouterr().out
    assert exercise.check(*answer) is True  # the same verdict when the cell runs again
    assert capsys.readouterr().out == first


@pytest.mark.parametrize("title, name, answer, says", WRONG, ids=[f"{t}: {n}" for t, n, *_ in WRONG])
def test_wrong_answers_are_rejected_with_the_slip_named(title, name, answer, says, capsys):
    exercise = CATALOGUE[title].exercise
    assert exercise.check(*answer) is False
    out = capsys.readouterr().out
    assert_one_plain_sentence(out, title)
    if says is not None:
        assert says in out, out
    assert exercise.check(*answer) is False  # the same verdict when the cell runs again
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("title, name, bad", BAD_CASES, ids=[f"{t}: {n}" for t, n, _ in BAD_CASES])
def test_bad_input_gets_one_plain_sentence_within_the_time_limit(title, name, bad, capsys):
    en = CATALOGUE[title]
    if name == "an endless generator":  # a fresh one each time: a stopped one is used up
        bad = _endless_numbers()
    answer = (bad,) + en.rest
    takes_function = callable(en.right[0][1][0])
    # the short limit only where an answer never ends; the rest finish quickly anyway
    endless = bad is _loops or name == "an endless generator"
    limit = SHORT_LIMIT if endless else en.exercise.time_limit
    start = time.perf_counter()
    assert en.exercise.check(*answer, time_limit=limit) is False
    elapsed = time.perf_counter() - start
    out = capsys.readouterr().out
    assert_one_plain_sentence(out, title)
    # a stopped answer returns within the limit plus the second it is given to stop
    assert elapsed < limit + 1.5
    if bad is _loops and takes_function:
        assert "did not finish within" in out
    if bad is _prints and takes_function:
        assert "more lines your answer printed" in out and len(out.splitlines()) < 30
    if bad is _raises and takes_function:
        assert "Your answer raised ValueError" in out and "something went wrong" in out


def test_an_answer_stuck_where_python_cannot_stop_it_still_returns(capsys):
    # time.sleep is one call into C: the check cannot stop it, but it returns and says so
    start = time.perf_counter()
    assert nb02.reciprocal_backward.check(lambda x, g: time.sleep(2.5), time_limit=SHORT_LIMIT) is False
    assert time.perf_counter() - start < 2.0
    out = capsys.readouterr().out
    assert_one_plain_sentence(out, nb02.reciprocal_backward.title)
    assert "still runs in the background" in out


def test_an_endless_loop_is_stopped_not_left_running(capsys):
    import threading

    before = set(threading.enumerate())
    assert nb04.div_backward.check(_loops, time_limit=SHORT_LIMIT) is False
    assert "still runs" not in capsys.readouterr().out
    assert set(threading.enumerate()) <= before


def test_a_check_reads_a_generator_answer_the_same_way_twice(capsys):
    answer = (t for t in nb01._partials())
    assert nb01.partial_slopes.check(answer) is True
    assert nb01.partial_slopes.check(answer) is True


def test_a_check_leaves_the_learners_values_as_they_were(capsys):
    # the learner computed o with the engine and ran backward(): checking twice, or after
    # another backward(), gives the same verdict, and the check does not touch their Values
    x1, x2, w1, w2, b = Value(2.0), Value(-1.0), Value(0.5), Value(-0.5), Value(-0.25)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    (3 * o).backward()
    state = [(v.data, v.grad) for v in (o, x1, w1)]
    assert nb05.neuron_by_hand.check(o, w1.grad) is True
    assert nb05.neuron_by_hand.check(o, w1.grad) is True
    assert [(v.data, v.grad) for v in (o, x1, w1)] == state
    (3 * o).backward()  # run again without zero_grad: w1.grad doubles, and the check says so
    assert nb05.neuron_by_hand.check(o, w1.grad) is False
    assert "backward() run twice" in capsys.readouterr().out


def test_a_learner_error_is_theirs_and_a_form_error_is_not(capsys):
    assert nb02.reciprocal_backward.check(lambda x, g: g / (x - x)) is False
    out = capsys.readouterr().out
    assert "Your answer raised ZeroDivisionError (in a lambda, line" in out
    assert nb02.reciprocal_backward.check(lambda x: 0.0) is False
    out = capsys.readouterr().out
    assert "raised" not in out and "takes (x)" in out


def test_python_max_on_values_names_relu(capsys):
    assert nb07.hinge_l2_loss.check(
        lambda s, y, p, a: sum(max(0, 1 - yi * si) for si, yi in zip(s, y))) is False
    out = capsys.readouterr().out
    assert "raised TypeError" in out and ".relu()" in out


@pytest.mark.parametrize("title", list(CATALOGUE))
def test_hints_climb_and_never_give_the_solution(title):
    exercise = CATALOGUE[title].exercise
    assert 2 <= len(exercise.hints) <= 3
    code = exercise.solution_text.split("\n\n")[0]
    lines = [re.sub(r"\s+", "", line.split("#")[0]) for line in code.splitlines()]
    lines = [line for line in lines if len(line) >= 10 and not line.startswith("def")]
    hints = re.sub(r"\s+", "", " ".join(exercise.hints))
    given = [line for line in lines if line in hints]
    # at most one line of the worked answer appears in the hints (a partial step), and
    # never all of it
    assert len(given) <= 1 and (len(lines) > 1 or not given), given


@pytest.mark.parametrize("module", [nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09],
                         ids=lambda m: m.__name__)
def test_no_module_constant_passes_a_check(module, capsys):
    exercises = [v for v in vars(module).values() if isinstance(v, Exercise)]
    constants = [v for k, v in vars(module).items()
                 if not k.startswith("__") and isinstance(v, (int, float, tuple, list, dict))]
    for exercise in exercises:
        for value in constants:
            assert exercise.check(value, *CATALOGUE[exercise.title].rest) is False


def counts() -> dict[str, tuple[int, int, int]]:
    return {t: (len(en.wrong), len(en.right), len(BAD)) for t, en in CATALOGUE.items()}


if __name__ == "__main__":
    for title, (wrong, right, bad) in counts().items():
        print(f"{title:50s} wrong {wrong:3d}  right {right:3d}  bad input {bad:3d}")
    total = [sum(x) for x in zip(*counts().values())]
    print(f"{f'all {len(CATALOGUE)} exercises':50s} wrong {total[0]:3d}  right {total[1]:3d}  bad input {total[2]:3d}")


@pytest.mark.parametrize("title", list(CATALOGUE))
def test_the_printed_solution_passes_its_check(title, capsys):
    exercise = CATALOGUE[title].exercise
    code = exercise.solution_text.split("\n\n")[0]
    lines = code.splitlines()
    # the worked answer is the code up to the first line of prose
    code = "\n".join(itertools.takewhile(lambda line: not re.match(r"^[A-Z][a-z]+ ", line), lines))
    namespace = {"math": math, "np": np, "Value": Value, "pairs": nb07.HINGE_PAIRS,
                 "scores": nb07.SCORES, "labels": nb07.LABELS, "Playground": _P}
    exec(code, namespace)
    if "answer" in namespace:
        answer = (namespace["answer"],)
    elif "pg" in namespace:  # notebook 09's trained Playground
        answer = (namespace["pg"],)
    elif "dL_dw1" in namespace:
        answer = (namespace["o"], namespace["dL_dw1"])
    elif "slowest" in namespace:
        answer = (namespace["grads"], namespace["slowest"])
    else:
        name = re.search(r"^def (\w+)", code, re.M).group(1)
        answer = (namespace[name],)
    assert exercise.check(*answer) is True, capsys.readouterr().out


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32",
                    reason="sends SIGINT to itself, as Jupyter's interrupt button does")
def test_interrupting_the_kernel_stops_the_answer_and_goes_on(capsys):
    import threading

    before = set(threading.enumerate())
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        nb02.reciprocal_backward.check(_loops, time_limit=30)
    assert time.perf_counter() - start < 5
    time.sleep(0.2)
    timer.join()
    assert set(threading.enumerate()) <= before  # the answer's thread has ended


def test_the_exercises_do_not_import_numpy():
    # numpy answers are read by their types; the exercises and the engine stay stdlib-only
    import subprocess

    code = ("import sys\n"
            "from backproplab.exercises import nb01, nb02, nb03, nb04, nb05, nb06, nb07\n"
            "nb02.composition_slope.check(1800.0)\n"
            "assert 'numpy' not in sys.modules, 'numpy was imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
