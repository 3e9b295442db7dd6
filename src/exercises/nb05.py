"""Exercises for notebook 05, A neuron.

- `neuron_by_hand`: a neuron's output and d(loss)/d(w1) when the loss is 3 * o
- `sigmoid_derivative`: write the sigmoid's derivative as a function of x
- `tanh_from_exp`: build tanh out of `exp`, `+`, `-` and `/` so backward() still works
- `slowest_neuron`: do/dw of three tanh neurons, and which one a saturated sum slows most
"""

from __future__ import annotations

import math

from ..engine import Value, topological_order
from . import (AnswerForm, Exercise, Verdict, call, close, describe, need_function, read_number, read_numbers,
               value_verdict)
from .variants import Variant, distinct

__all__ = ["neuron_by_hand", "sigmoid_derivative", "tanh_from_exp", "slowest_neuron"]

# ------------------------------------------------------------------ neuron_by_hand

# the exercise's neuron: o = tanh(w1*x1 + w2*x2 + b), and the loss is L = 3 * o.
# n = 1.25, so n, o = tanh(n) and 1 - n**2 are far apart; x1 = 2 and w1 = 0.5 differ, so
# multiplying by w1 instead of x1 shows; dL/do = 3 (not 1), so a forgotten upstream shows.
_NEURON = {"x1": 2.0, "x2": -1.0, "w1": 0.5, "w2": -0.5, "b": -0.25}
_UPSTREAM = 3.0  # dL/do for L = 3 * o


def _neuron_at(numbers: dict) -> tuple[float, float, float, float]:
    """(n, o, dL/dw1, dL/dn) computed by the engine, for the checks and the messages."""
    v = {name: Value(x, label=name) for name, x in numbers.items()}
    n = v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]
    o = n.tanh()
    loss = _UPSTREAM * o
    loss.backward()
    return n.data, o.data, v["w1"].grad, n.grad


def _neuron_slips(k: dict) -> list[float]:
    """dL/dw1, then what each slip of _check_neuron gives (and n, for o's slip)."""
    n, o, dw1, dn = _neuron_at(k)
    local = 1 - o**2
    return [dw1, dw1 / _UPSTREAM, dn, _UPSTREAM * (1 - n**2) * k["x1"],
            _UPSTREAM * local * k["w1"], _UPSTREAM * local * k["x2"], -dw1, 2 * dw1]


def _neuron_derived(k: dict) -> dict:
    n, o, dw1, _ = _neuron_at(k)
    return {"n": n, "o": f"{o:.4f}", "dw1": f"{dw1:.4f}"}


# a student's own neuron: n between 0.4 and 1.6 (tanh neither flat nor straight there),
# and every slip's number apart from the others and from o, n
_NEURON_VARIANT = Variant(
    _NEURON,
    lambda rng: {"x1": rng.choice((1.5, 2.0, 2.5, -1.5, -2.0)),
                 "x2": rng.choice((-1.0, 1.0, 0.5, -0.5, 1.5)),
                 "w1": rng.choice((0.5, -0.5, 0.25, 0.75, -0.75)),
                 "w2": rng.choice((-0.5, 0.5, 0.25, -0.25)),
                 "b": rng.choice((-0.25, 0.25, 0.1, -0.1, 0.5))},
    lambda k: (f"x1 = {k['x1']:g}, x2 = {k['x2']:g}, w1 = {k['w1']:g}, w2 = {k['w2']:g}, "
               f"b = {k['b']:g}, and L = 3 * o"),
    valid=lambda k: (0.4 < abs(_neuron_at(k)[0]) < 1.6 and k["x1"] != k["w1"]
                     and distinct(*_neuron_slips(k), gap=1e-2)
                     and distinct(_neuron_at(k)[0], _neuron_at(k)[1], gap=1e-2)),
    derived=_neuron_derived,
)


def _neuron_reference() -> tuple[float, float, float, float]:
    """(n, o, dL/dw1, dL/dn) for this student's neuron (the notebook's without an id)."""
    return _neuron_at(_NEURON_VARIANT.numbers())


def _check_neuron(o_answer: object, dl_dw1: object) -> Verdict:
    o = read_number(o_answer, "o_answer")
    grad = read_number(dl_dw1, "dL_dw1")
    n_true, o_true, dw1_true, dn_true = _neuron_reference()
    k = _NEURON_VARIANT.numbers()
    if not close(o, o_true, 1e-4):
        if close(o, n_true, 1e-4):
            return Verdict(False, f"o: {o:g} is n, the sum before the activation; "
                                  "o = tanh(n).")
        if close(o, o_true, 5e-3):
            return Verdict(False, f"o: {o!r} is close; it looks rounded. Give more digits "
                                  "(use the unrounded result, the variable itself).")
        return Verdict(False, f"o: {o:g} is not right yet. First the sum n = w1*x1 + "
                              f"w2*x2 + b = {k['w1']}*{k['x1']} + ({k['w2']})*({k['x2']}) "
                              f"+ ({k['b']}), then o = tanh(n).")
    if close(grad, dw1_true, 1e-4):
        return Verdict(True, f"o = {o_true:.4f} and dL/dw1 = {dw1_true:.4f}.")
    local = 1 - o_true**2  # do/dn
    slips = [
        (dw1_true / _UPSTREAM, "your gradient is do/dw1, but the loss is L = 3 * o: the "
                               "upstream gradient dL/do = 3 multiplies everything below o."),
        (dn_true, "your gradient is dL/dn; one more step down the graph: n contains "
                  "w1 * x1, so multiply by x1."),
        (_UPSTREAM * (1 - n_true**2) * k["x1"], "you used 1 - n**2; the tanh derivative is "
                                                "1 - o**2, with the output o = tanh(n)."),
        (_UPSTREAM * local * k["w1"], "you multiplied by w1; dn/dw1 is the input that w1 "
                                      "multiplies, x1."),
        (_UPSTREAM * local * k["x2"], "you multiplied by x2; w1 multiplies x1, so dn/dw1 = x1."),
        (-dw1_true, "the sign is flipped."),
        (2 * dw1_true, "twice the right value: was backward() run twice without "
                       "zero_grad()? Gradients add up."),
    ]
    for value, message in slips:
        if close(grad, value, 1e-4):
            return Verdict(False, f"o is right. dL/dw1: {message}")
    if close(grad, dw1_true, 5e-3):
        return Verdict(False, f"o is right, and dL/dw1 = {grad!r} is close; it looks "
                              "rounded. Give more digits (use the unrounded result).")
    return Verdict(False, "o is right, dL/dw1 is not yet. Walk back from L: dL/do, then "
                          "do/dn, then dn/dw1, and multiply.")


neuron_by_hand = Exercise(
    "A neuron by hand",
    _check_neuron,
    hints=[
        "Forward first: n = w1*x1 + w2*x2 + b, then o = tanh(n) (math.tanh). "
        "Backward: dL/dw1 = dL/do * do/dn * dn/dw1.",
        "dL/do = 3 because L = 3 * o. do/dn = 1 - o**2 (the tanh derivative). "
        "dn/dw1 = x1 (the + passes the gradient on, the * multiplies by the other factor).",
        "n = ({w1})*({x1}) + ({w2})*({x2}) + ({b}) = {n} and o = math.tanh({n}). Now "
        "multiply the three local slopes of hint 2.",
    ],
    solution=(
        "n = ({w1}) * ({x1}) + ({w2}) * ({x2}) + ({b})   # {n}\n"
        "o = math.tanh(n)                             # {o}\n"
        "dL_dw1 = 3 * (1 - o**2) * ({x1})                # dL/do * do/dn * dn/dw1 = {dw1}\n"
        "\n"
        "Check it with the engine:\n"
        "x1, x2, w1, w2, b = Value({x1}), Value({x2}), Value({w1}), Value({w2}), Value({b})\n"
        "loss = 3 * (x1*w1 + x2*w2 + b).tanh()\n"
        "loss.backward(); print(w1.grad)"
    ),
    expects="two numbers, o and dL/dw1",
    usage="check(o_answer, dL_dw1)",
    variant=_NEURON_VARIANT,
)

# -------------------------------------------------------------- sigmoid_derivative

# where the check evaluates the learner's function: both tails, the middle, zero. Zero
# alone would pass the constant 0.25; several points fail the slips that agree somewhere
# (the sigmoid itself, 1 - s**2, x * (1 - x), s * (1 + s)).
_SIGMOID_POINTS = (-4.0, -1.5, -0.3, 0.0, 0.8, 2.0, 5.0)
_SIGMOID_SHOWN = "sigmoid_prime(x)"


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _sigmoid_slope(x: float) -> float:
    """The sigmoid's slope at x, from the engine's own backward pass."""
    v = Value(x)
    v.sigmoid().backward()
    return v.grad


def _check_sigmoid_derivative(answer: object) -> Verdict:
    fn = need_function(answer, _SIGMOID_SHOWN)
    got = {}
    for x in _SIGMOID_POINTS:
        got[x] = read_number(call(fn, (x,), _SIGMOID_SHOWN),
                             f"what your function returned at x = {x:g}")
    if all(close(got[x], _sigmoid_slope(x), 1e-6) for x in _SIGMOID_POINTS):
        return Verdict(True, f"it matches the slope at x = {', '.join(map(str, _SIGMOID_POINTS))}.")
    slips = [
        (_sigmoid, "Your function is the sigmoid itself, not its slope."),
        (lambda x: 1 - _sigmoid(x) ** 2, "1 - s**2 is tanh's rule; the sigmoid's slope is a "
                                         "different expression in s."),
        (lambda x: x * (1 - x), "Your function uses x where the rule has the sigmoid's "
                                "output s = 1 / (1 + e**-x)."),
        (lambda x: _sigmoid(x) * (1 + _sigmoid(x)), "A sign slip: the slope is largest at "
                                                    "x = 0 and small in both tails."),
        (lambda x: -_sigmoid_slope(x), "The sign is flipped: the sigmoid only rises."),
    ]
    for slip, message in slips:
        if all(close(got[x], slip(x), 1e-6) for x in _SIGMOID_POINTS):
            return Verdict(False, message)
    x = next(x for x in _SIGMOID_POINTS if not close(got[x], _sigmoid_slope(x), 1e-6))
    right_at = [p for p in _SIGMOID_POINTS if close(got[p], _sigmoid_slope(p), 1e-6)]
    more = f" (it is right at x = {right_at[0]:g} only)" if len(right_at) == 1 else ""
    return Verdict(False, f"At x = {x:g} your function returns {got[x]:.6g}, which is not "
                          f"the sigmoid's slope there{more}.")


sigmoid_derivative = Exercise(
    "The sigmoid's derivative",
    _check_sigmoid_derivative,
    hints=[
        "Like tanh, the sigmoid's slope can be written with the sigmoid's own "
        "output s = 1 / (1 + math.exp(-x)).",
        "By the chain rule, d/dx (1 + e**-x)**-1 = e**-x / (1 + e**-x)**2: that is s times "
        "e**-x / (1 + e**-x).",
        "e**-x / (1 + e**-x) is 1 - s. Compute s first, then the slope from it.",
    ],
    solution=(
        "def sigmoid_prime(x):\n"
        "    s = 1 / (1 + math.exp(-x))\n"
        "    return s * (1 - s)"
    ),
    expects=f"a function {_SIGMOID_SHOWN} returning a number",
    on_error=lambda error: (
        "The check calls sigmoid_prime with a plain float x (a float in, a float out): "
        "use math.exp, not Value methods."
        if isinstance(error, AttributeError) and "'float' object" in str(error) else None),
    usage="check(sigmoid_prime)",
)

# ------------------------------------------------------------------ tanh_from_exp

# where the check evaluates the learner's tanh, and the upstream gradient it sends back:
# points of both signs and sizes (a forgotten 2 in e**(2n), or (e + 1)/(e - 1), differ at
# every one), and an upstream gradient other than 1.
_TANH_POINTS = (-2.0, -0.4, 0.3, 1.1)
_TANH_UPSTREAM = 2.5
_TANH_SHOWN = "my_tanh(n)"


def _check_tanh_from_exp(answer: object) -> Verdict:
    fn = need_function(answer, _TANH_SHOWN)
    for x in _TANH_POINTS:
        n = Value(x, label="n")
        out = call(fn, (n,), _TANH_SHOWN)
        verdict = value_verdict(out, "n", f"For n = Value({x}) ")
        if verdict is not None:
            return verdict
        if n.data != x:
            return Verdict(False, "Your function changed n.data; build new Values from n.")
        nodes = topological_order(out)
        ops = {getattr(node, "_op", "") for node in nodes}
        if "tanh" in ops:  # the one thing ruled out; any other construction may do
            return Verdict(False, "Your graph uses the tanh op itself; build it from exp "
                                  "instead.")
        if not any(node is n for node in nodes):
            return Verdict(False, "Your result does not depend on n; build it from n's Value.")
        if not close(out.data, math.tanh(x)):
            why = ""
            if close(out.data, math.tanh(x / 2)):
                why = " Check the exponent: tanh uses e**(2n)."
            elif close(out.data, 1 / math.tanh(x)):
                why = " That is tanh upside down: e**(2n) - 1 goes on top."
            return Verdict(False, f"For n = {x} your function gives {out.data:.6f}, tanh "
                                  f"gives {math.tanh(x):.6f}.{why}")
        out.backward(_TANH_UPSTREAM)
        expected = _TANH_UPSTREAM * (1 - math.tanh(x) ** 2)
        if not close(n.grad, expected, 1e-6):
            return Verdict(
                False,
                f"The value is right but the gradient reaching n is {n.grad:.6f} "
                f"(expected {expected:.6f} for an upstream gradient of {_TANH_UPSTREAM}): "
                "is every step a Value operation on n, with no plain-float detour?",
            )
    return Verdict(True, "Same values and same gradients as n.tanh(), from a bigger graph.")


tanh_from_exp = Exercise(
    "tanh from exp",
    _check_tanh_from_exp,
    hints=[
        "tanh can be written with the exponential function alone. Every piece must be a "
        "Value operation on n: Value has .exp(), and numbers combine with Values by "
        "+, -, * and /.",
        "tanh(n) = (e**(2n) - 1) / (e**(2n) + 1).",
        "Make e**(2n) once, as a Value, from 2 * n; the fraction then needs only that "
        "Value, 1, -, + and /.",
    ],
    solution=(
        "def my_tanh(n):\n"
        "    e = (2 * n).exp()\n"
        "    return (e - 1) / (e + 1)"
    ),
    expects=f"a function {_TANH_SHOWN} of a Value, returning a Value",
    on_error=lambda error: (
        "math.exp works on plain numbers; for a Value use its own method, n.exp()."
        if isinstance(error, TypeError) and "Value" in str(error) and "real number" in str(error)
        else None),
    usage="check(my_tanh)",
)

# ------------------------------------------------------------------ slowest_neuron

# three tanh neurons o = tanh(x * w + b) with one input x = 1.5. Their sums are 0.7, -2.5
# and 5.5: B has the smallest (most negative) sum and A the largest gradient, so picking
# by the sign of n or by the largest gradient both miss C, the saturated one. x = 1.5 is
# not 1, so a forgotten factor x shows; the sums are far from 1 - n**2's and tanh's values.
_SLOW_X = 1.5
_SLOW_NEURONS = {"A": (0.4, 0.1), "B": (-2.0, 0.5), "C": (3.0, 1.0)}  # name: (w, b)
_SLOW_SHOWN = ("do/dw of A", "do/dw of B", "do/dw of C")


def _slow_reference() -> dict[str, tuple[float, float, float]]:
    """name -> (n, o, do/dw), computed by the engine's own backward pass."""
    out = {}
    for name, (w, b) in _SLOW_NEURONS.items():
        wv = Value(w)
        n = Value(_SLOW_X) * wv + b
        o = n.tanh()
        o.backward()
        out[name] = (n.data, o.data, wv.grad)
    return out


def _near(got: float, expected: float, tolerance: float) -> bool:
    """Relative closeness even for tiny numbers (C's gradient is about 1e-4)."""
    return abs(got - expected) <= tolerance * abs(expected)


def _read_letter(x: object) -> str:
    text = x.strip().upper() if isinstance(x, str) else None
    if text is not None and text.startswith("NEURON "):
        text = text[len("NEURON "):].strip()
    if text not in _SLOW_NEURONS:
        raise AnswerForm(f"slowest is {describe(x)}; give one of the letters \"A\", \"B\" "
                         "or \"C\", in quotes.")
    return text


def _check_slowest(grads: object, slowest: object) -> Verdict:
    got = read_numbers(grads, _SLOW_SHOWN, "grads")
    letter = _read_letter(slowest)
    ref = _slow_reference()
    names = list(_SLOW_NEURONS)
    want = [ref[k][2] for k in names]
    if not all(_near(g, e, 1e-4) for g, e in zip(got, want)):
        local = [1 - ref[k][1] ** 2 for k in names]  # do/dn
        slips = [
            ([ref[k][1] for k in names], "those are the outputs o = tanh(n); the question is "
                                         "their slopes with respect to w."),
            (local, "those are do/dn (= do/db), the slopes at the sum; one more step down: "
                    "n = x * w + b, so multiply by x = 1.5."),
            ([(1 - ref[k][0] ** 2) * _SLOW_X for k in names], "you used 1 - n**2; the tanh "
                                                             "derivative is 1 - o**2, with the "
                                                             "output o = tanh(n)."),
            ([(1 - ref[k][1] ** 2) * _SLOW_NEURONS[k][0] for k in names],
             "you multiplied by w; dn/dw is the input that w multiplies, x = 1.5."),
            ([-e for e in want], "the signs are flipped: tanh only rises, so do/dw has the "
                                 "sign of x, positive here."),
            (list(reversed(want)), "the right numbers in the wrong order: the list is "
                                   "[A, B, C]."),
        ]
        for values, message in slips:
            if all(_near(g, e, 1e-4) for g, e in zip(got, values)):
                return Verdict(False, f"the gradients: {message}")
        if all(abs(g - e) <= max(5e-2 * abs(e), 1e-3) for g, e in zip(got, want)):
            return Verdict(False, "your gradients are close but look rounded: C's gradient is about "
                                  "0.0001, so give the unrounded numbers (the variables "
                                  "themselves), not a few decimals.")
        k = next(i for i, (g, e) in enumerate(zip(got, want)) if not _near(g, e, 1e-4))
        name = names[k]
        w, b = _SLOW_NEURONS[name]
        return Verdict(False, f"the gradients: neuron {name}'s do/dw is not {got[k]:.6g}. Its sum is "
                              f"n = {_SLOW_X} * {w} + {b} = {ref[name][0]:g}; then "
                              "do/dw = (1 - tanh(n)**2) * x.")
    slow = min(names, key=lambda k: abs(ref[k][2]))
    if letter == slow:
        ratio = ref["A"][2] / ref[slow][2]
        return Verdict(True, f"C's sum, n = {ref['C'][0]:g}, is deep in tanh's flat part: its "
                             f"weight gets about {ratio:,.0f} times less gradient than A's.")
    if letter == "B":
        return Verdict(False, "the gradients are right, the slowest neuron is not: B has the most negative sum, but "
                              "tanh is flat on both sides: what saturates a neuron is a "
                              "large |n|. Compare the three gradients.")
    return Verdict(False, f"the gradients are right, the slowest neuron is not: {letter} has the largest gradient, so "
                          "it learns fastest; the slowest is the one whose gradient is "
                          "smallest.")


slowest_neuron = Exercise(
    "Which neuron learns slowest?",
    _check_slowest,
    hints=[
        "For each neuron, make w a Value, compute o = (Value(1.5) * w + b).tanh(), call "
        "o.backward() and read w.grad. The smallest gradient moves its weight least.",
        "By hand: do/dw = (1 - o**2) * x, with o = tanh(n) and n = x * w + b. The factor "
        "1 - o**2 is tiny when o is close to 1 or -1.",
        "The sums are n = 0.7, -2.5 and 5.5. Which |n| is largest?",
    ],
    solution=(
        "grads = []\n"
        "for w_, b_ in [(0.4, 0.1), (-2.0, 0.5), (3.0, 1.0)]:\n"
        "    w = Value(w_)\n"
        "    o = (Value(1.5) * w + b_).tanh()\n"
        "    o.backward()\n"
        "    grads.append(w.grad)     # about 0.953, 0.0399, 0.0001\n"
        "slowest = \"C\"                # its sum 5.5 saturates tanh: 1 - o**2 is about 7e-5"
    ),
    expects="a list of three numbers and a letter",
    usage='check(grads, slowest)',
)
