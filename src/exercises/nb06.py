"""Exercises for notebook 06, Layers and MLPs.

- `count_parameters`: a function giving the number of parameters of MLP(nin, nouts)
- `output_bias_gradient`: d(loss)/d(b) for the output neuron's bias, summed over samples
- `training_step`: one step of gradient descent (zero_grad, forward, backward, update)
- `diverging_rates`: which learning rates make gradient descent on L(w) = w**2 blow up
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..engine import Value
from ..nn import MLP
from . import (AnswerForm, Exercise, Verdict, _items, call, close, need_function, read_count,
               read_number, same)
from .variants import Variant, distinct

__all__ = ["count_parameters", "output_bias_gradient", "training_step", "diverging_rates"]

# ---------------------------------------------------------------- count_parameters

# the networks the check asks about: the notebook's, notebook 07's, and odd shapes. No
# layer repeats its input size, so forgetting nin, the biases, or giving one bias per
# layer each miss; a function that always says 41 fails all but the first.
_SHAPES = ((3, (4, 4, 1)), (2, (16, 16, 1)), (1, (1,)), (5, (3,)), (4, (2, 7, 3)))
_COUNT_SHOWN = "count(nin, nouts)"


def _count_slips(nin: int, nouts: Sequence[int]) -> list[tuple[int, str]]:
    sizes = [nin, *nouts]
    layers = range(len(nouts))
    return [
        (sum(sizes[i + 1] * sizes[i] for i in layers),
         "that counts the weights only: each neuron also owns 1 bias."),
        (sum(sizes[i + 1] * sizes[i] + 1 for i in layers),
         "that gives each layer 1 bias; each neuron owns its own bias."),
        (sum(sizes[i + 1] * (sizes[i] + 1) for i in range(1, len(nouts))),
         "the first layer is missing: it reads the nin inputs."),
        (sum(sizes[i] * (sizes[i + 1] + 1) for i in layers),
         "each neuron owns one weight per *input* plus a bias: m neurons reading k inputs "
         "own m * (k + 1)."),
    ]


def _check_count_parameters(answer: object) -> Verdict:
    fn = need_function(answer, _COUNT_SHOWN)
    for nin, nouts in _SHAPES:
        given = list(nouts)
        shown = f"count({nin}, {list(nouts)})"
        got = read_count(call(fn, (nin, given), _COUNT_SHOWN),
                         f"what your function returned for {shown}")
        if given != list(nouts):
            return Verdict(False, f"For {shown} your function changed the list nouts it was "
                                  f"given (to {given}); build a new list, [nin] + list(nouts).")
        expected = len(MLP(nin, list(nouts)).parameters())
        if got == expected:
            continue
        for value, message in _count_slips(nin, nouts):
            if got == value:
                return Verdict(False, f"For MLP({nin}, {list(nouts)}) your function says "
                                      f"{got}: {message}")
        return Verdict(False, f"For MLP({nin}, {list(nouts)}) your function says {got}, "
                              f"but the network has {expected} parameters.")
    return Verdict(True, "right for every shape the check tried, including MLP(2, [16, 16, 1]).")


count_parameters = Exercise(
    "Counting parameters",
    _check_count_parameters,
    hints=[
        "Go layer by layer. A layer reads some number of inputs and has some number of "
        "neurons; how many weights and biases does each neuron own?",
        "A neuron with k inputs owns k weights and 1 bias. A layer of m such neurons "
        "owns m * (k + 1). The next layer's k is this layer's m.",
        "sizes = [nin] + list(nouts) lists each layer's inputs and outputs: layer i reads "
        "sizes[i] and has sizes[i + 1] neurons. Add up the layers.",
    ],
    solution=(
        "def count(nin, nouts):\n"
        "    sizes = [nin] + list(nouts)\n"
        "    return sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(nouts)))\n"
        "\n"
        "MLP(3, [4, 4, 1]): 4*(3+1) + 4*(4+1) + 1*(4+1) = 16 + 20 + 5 = 41"
    ),
    expects=f"a function {_COUNT_SHOWN} returning a whole number",
    usage="check(count)",
)

# ------------------------------------------------------------ output_bias_gradient

# the output neuron's predictions (each a tanh) and the targets, for L = sum (ypred - y)**2.
# sum(ypred - y) = 0.5, not 0: with a zero sum (as with [0.8, -0.3, -0.6, 0.1]) every
# 2 * (ypred - y) * (C - ypred**2) gives the same number whatever C is, and skipping the
# tanh gives 0. Here the slips differ: no tanh factor (1.0), no 2 (0.317), the sign
# (-0.634), 1 + ypred**2 (1.366), the mean (0.1585); the right answer is 0.634.
_YPRED = (0.5, 0.4, -0.7, 0.3)
_YS = (1.0, -1.0, -1.0, 1.0)


def _gradient_of(ypred: Sequence[float]) -> float:
    """dL/db computed with the engine.

    Each prediction is tanh(n_i) with n_i = (rest of the sum) + b: the same b in all four.
    """
    b = Value(0.0, label="b")
    preds = [(b + math.atanh(yp)).tanh() for yp in ypred]
    loss = sum((yp - y) ** 2 for yp, y in zip(preds, _YS))
    loss.backward()
    return b.grad


def _ypred_slips(n: dict) -> list[float]:
    """dL/db, then the numbers the slips of _check_output_bias_gradient give."""
    pairs = list(zip(n.values(), _YS))
    g = _gradient_of(list(n.values()))
    return [g, sum(2 * (yp - y) for yp, y in pairs), g / 2, -g,
            sum(2 * (yp - y) * (1 + yp**2) for yp, y in pairs),
            sum(2 * (yp - y) * (1 - math.tanh(yp) ** 2) for yp, y in pairs), g / len(pairs)]


def _ypred_derived(n: dict) -> dict:
    yp = n["p0"]
    shares = [2 * (p - y) * (1 - p**2) for p, y in zip(n.values(), _YS)]
    return {"first": 2 * (yp - 1.0) * (1 - yp**2), "answer": f"{sum(shares):.4g}",
            "shares": " + ".join(f"{x:.4g}" for x in shares).replace("+ -", "- ")}


# a student's own predictions, with the same targets; every slip gives its own number
_YPRED_VARIANT = Variant(
    dict(zip(("p0", "p1", "p2", "p3"), _YPRED)),
    lambda rng: {"p0": rng.choice((0.5, 0.6, 0.2, 0.7)), "p1": rng.choice((0.4, 0.1, -0.2, 0.3)),
                 "p2": rng.choice((-0.7, -0.5, -0.8, -0.1)), "p3": rng.choice((0.3, 0.6, -0.4, 0.8))},
    lambda n: (f"ypred = [{', '.join(f'{v:g}' for v in n.values())}], "
               f"ys = [{', '.join(f'{v:g}' for v in _YS)}]"),
    valid=lambda n: abs(_ypred_slips(n)[0]) > 0.05 and distinct(*_ypred_slips(n), gap=1e-2),
    derived=_ypred_derived,
)


def _bias_gradient() -> float:
    """dL/db for this student's predictions (the notebook's without an id)."""
    return _gradient_of(list(_YPRED_VARIANT.numbers().values()))


def _check_output_bias_gradient(answer: object) -> Verdict:
    got = read_number(answer)
    expected = _bias_gradient()
    if close(got, expected, 1e-6):
        return Verdict(True, f"dL/db = {expected:.4f}: four contributions, added.")
    pairs = list(zip(_YPRED_VARIANT.numbers().values(), _YS))
    slips = [
        (sum(2 * (yp - y) for yp, y in pairs),
         "that skips the tanh: each prediction is tanh(n_i), so multiply each sample's "
         "2 * (ypred - y) by dypred/dn = 1 - ypred**2."),
        (expected / 2, "off by a factor of 2: the derivative of (ypred - y)**2 is "
                       "2 * (ypred - y)."),
        (-expected, "the sign is flipped: d/dypred of (ypred - y)**2 is 2 * (ypred - y), "
                    "not 2 * (y - ypred)."),
        (sum(2 * (yp - y) * (1 + yp**2) for yp, y in pairs),
         "the tanh derivative is 1 - ypred**2, not 1 + ypred**2."),
        (sum(2 * (yp - y) * (1 - math.tanh(yp) ** 2) for yp, y in pairs),
         "ypred is already tanh(n_i): the tanh derivative is 1 - ypred**2, no second tanh."),
        (expected / len(pairs), "that is the mean; the loss here is the sum over the "
                                "samples, so their contributions add."),
    ]
    for value, message in slips:
        if close(got, value, 1e-6):
            return Verdict(False, f"{got:g}: {message}")
    if close(got, expected, 5e-3):
        return Verdict(False, f"{got!r} is close; it looks rounded. Give more digits.")
    return Verdict(False, f"{got:g} is not dL/db yet.")


output_bias_gradient = Exercise(
    "The output bias's gradient",
    _check_output_bias_gradient,
    hints=[
        "The output neuron's bias b sits inside all four predictions, so dL/db is a sum "
        "of four chain-rule products, one per sample.",
        "For sample i: dL/dypred_i = 2 * (ypred_i - y_i), dypred_i/dn_i = 1 - ypred_i**2 "
        "(tanh), dn_i/db = 1.",
        "The first sample's share is 2 * ({p0} - 1.0) * (1 - {p0}**2) = {first}. Work out the "
        "other three the same way and add.",
    ],
    solution=(
        "ypred = [{p0}, {p1}, {p2}, {p3}]\n"
        "ys = [1.0, -1.0, -1.0, 1.0]\n"
        "answer = sum(2 * (yp - y) * (1 - yp**2) for yp, y in zip(ypred, ys))\n"
        "# {shares} = {answer}"
    ),
    expects="one number, dL/db",
    variant=_YPRED_VARIANT,
)

# ------------------------------------------------------------------- training_step

# the check's own small problem: a fresh seeded network, three samples, three steps with
# three different learning rates (a step that uses its own fixed rate fails one of them)
_STEP_XS = ([1.0, -2.0], [0.5, 0.5], [-1.5, 1.0])
_STEP_YS = (1.0, -1.0, 0.5)
_STEP_LRS = (0.1, 0.03, 0.2)
_STEP_SEED = 11
_STEP_SHOWN = "step(model, xs, ys, lr)"


def _reference_step(model: MLP, xs: Sequence[Sequence[float]], ys: Sequence[float],
                    lr: float) -> float:
    """The right answer: forward, loss, zero the gradients, backward, update."""
    ypred = [model(x) for x in xs]
    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def _check_training_step(answer: object) -> Verdict:
    fn = need_function(answer, _STEP_SHOWN)
    reference = MLP(2, [3, 1], seed=_STEP_SEED)
    model = MLP(2, [3, 1], seed=_STEP_SEED)
    for k, lr in enumerate(_STEP_LRS, start=1):
        before = [p.data for p in model.parameters()]
        expected_loss = _reference_step(reference, _STEP_XS, _STEP_YS, lr)
        xs, ys = [list(x) for x in _STEP_XS], list(_STEP_YS)
        got = call(fn, (model, xs, ys, lr), _STEP_SHOWN, needs_result=False)
        if xs != [list(x) for x in _STEP_XS] or ys != list(_STEP_YS):
            return Verdict(False, f"Step {k}: your function changed the data xs or ys it "
                                  "was given.")
        for p in model.parameters():
            if isinstance(p.data, Value) or isinstance(p.grad, Value):
                return Verdict(False, f"Step {k}: a parameter's .data or .grad became a "
                                      "Value. Update with numbers: p.data -= lr * p.grad.")
        after = [read_number(p.data, "a parameter's .data") for p in model.parameters()]
        if got is None:
            if k == 1 and after == before:
                return Verdict(False, "Not answered yet: your function returned None and "
                                      "changed nothing. Replace its body `...` with your code.")
            return Verdict(False, "Your function returned None; return the loss.")
        loss = read_number(got, f"the loss your function returned at step {k}")
        if not close(loss, expected_loss):
            why = "Use the sum of (ypred - y)**2 over the samples, computed before the update."
            if close(loss, expected_loss / len(_STEP_YS)):
                why = "That is the mean; the exercise asks for the sum over the samples."
            return Verdict(False, f"Step {k}: the loss you returned is {loss:.6g}, expected "
                                  f"{expected_loss:.6g}. {why}")
        wanted = [p.data for p in reference.parameters()]
        if same(after, wanted):
            continue
        if after == before:
            grads = [p.grad for p in model.parameters()]
            if not any(grads):
                return Verdict(False, f"Step {k}: no parameter changed, and every p.grad is 0 "
                                      "after your step: zero_grad() must come before "
                                      "backward(), not between backward() and the update.")
            return Verdict(False, f"Step {k}: no parameter changed. Update each p.data "
                                  "(p.data -= lr * p.grad); p = p - ... only renames p.")
        moved = [a - b for a, b in zip(after, before)]
        right = [w - b for w, b in zip(wanted, before)]
        if same(moved, [-r for r in right]):
            return Verdict(False, f"Step {k}: every parameter moved the wrong way. The "
                                  "gradient points uphill; step against it: p.data -= lr * p.grad.")
        ratios = [m / r for m, r in zip(moved, right) if abs(r) > 1e-12]
        if ratios and ratios[0] > 0 and all(close(q, ratios[0], 1e-6) for q in ratios):
            twice = (" Or is backward() called more than once? Each call adds its "
                     "gradients again." if close(ratios[0], round(ratios[0])) and
                     ratios[0] > 1.5 else "")
            return Verdict(False, f"Step {k}: every parameter moved the right way, but "
                                  f"{ratios[0]:.3g} times as far as it should: step by the "
                                  f"learning rate `lr` the check passes in (lr = {lr} here)."
                                  f"{twice}")
        if k > 1:
            return Verdict(False, f"Step 1 was right, step {k} was not: the gradients of the "
                                  "earlier steps are still in p.grad. Call model.zero_grad() "
                                  "before loss.backward().")
        return Verdict(False, f"Step {k}: the parameters did not end up where one step of "
                              "gradient descent puts them.")
    return Verdict(True, f"{len(_STEP_LRS)} steps in a row match, so the gradients are reset "
                         "each time and the step uses the rate it is given.")


training_step = Exercise(
    "One training step",
    _check_training_step,
    hints=[
        "Four things, in this order: forward (predictions and the loss), reset the "
        "gradients, backward, update every parameter. Return the loss.",
        "The loss is the sum of (ypred - y)**2 over the samples. The update moves each "
        "parameter against its gradient, by lr times it.",
        "ypred = [model(x) for x in xs] is the forward pass. The reset and the backward "
        "pass are one call each, on the model and on the loss.",
    ],
    solution=(
        "def step(model, xs, ys, lr):\n"
        "    ypred = [model(x) for x in xs]\n"
        "    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))\n"
        "    model.zero_grad()\n"
        "    loss.backward()\n"
        "    for p in model.parameters():\n"
        "        p.data -= lr * p.grad\n"
        "    return loss"
    ),
    expects=f"a function {_STEP_SHOWN} returning the loss",
    usage="check(step)",
)

# ------------------------------------------------------------------ diverging_rates

# gradient descent on L(w) = w**2 from w = 1: dL/dw = 2w, so one step is
# w <- w - lr * 2w = (1 - 2 lr) * w, and |w| grows exactly when |1 - 2 lr| > 1, i.e. lr > 1.
# The rates are chosen so that each classic misreading gives another set: 0.01 is slow,
# not diverging; 0.5 lands on the minimum in one step; 0.9 overshoots (w flips sign) but
# shrinks; 1.0 flips between +1 and -1 for ever, neither growing nor shrinking.
RATES = (0.01, 0.1, 0.5, 0.9, 1.0, 1.1, 2.0)


def _factor(lr: float) -> float:
    """What one step multiplies w by."""
    return 1 - 2 * lr


def _diverges(lr: float) -> bool:
    return abs(_factor(lr)) > 1


def _check_diverging_rates(answer: object) -> Verdict:
    items = _items(answer, "your answer", unordered=True)
    got = set()
    for item in items:
        rate = read_number(item, "an item of your answer")
        match = [r for r in RATES if close(rate, r, 1e-12)]
        if not match:
            raise AnswerForm(f"{rate:g} is not one of the rates asked about: pick from "
                             f"{', '.join(map(str, RATES))}.")
        got.add(match[0])
    want = {r for r in RATES if _diverges(r)}
    if got == want:
        return Verdict(True, "1.1 and 2.0: each step multiplies w by 1 - 2 * lr, which is "
                             "-1.2 and -3 there, so |w| grows every step.")

    def walk(lr: float) -> str:
        return ", ".join(f"{_factor(lr) ** k:.3g}" for k in range(1, 4))

    if 1.0 in got:
        return Verdict(False, f"1.0 does not diverge: w goes {walk(1.0)}, ... , flipping "
                              "between +1 and -1 for ever: its size never grows (nor shrinks).")
    if 0.9 in got:
        return Verdict(False, f"0.9 overshoots, w flips sign every step ({walk(0.9)}, ...), but "
                              "each step makes it smaller: it converges, zigzagging.")
    if 0.5 in got:
        return Verdict(False, "0.5 lands exactly on the minimum in one step: "
                              "w = 1 - 0.5 * 2 * 1 = 0.")
    slow = got & {0.01, 0.1}
    if slow:
        r = min(slow)
        return Verdict(False, f"{r} is slow, not diverging: w goes {walk(r)}, ..., smaller "
                              "every step.")
    missing = sorted(want - got)
    if missing:
        r = missing[0]
        return Verdict(False, f"{r} is missing: follow w for a few steps at that rate "
                              f"({walk(r)}, ...).")
    return Verdict(False, "not the rates that diverge yet.")


diverging_rates = Exercise(
    "Which learning rates diverge",
    _check_diverging_rates,
    hints=[
        "Take a single parameter w with the loss L(w) = w**2, starting at w = 1. Write "
        "down one update w <- w - lr * dL/dw and see what it does to w.",
        "dL/dw = 2 * w, so one step gives w - lr * 2 * w = (1 - 2 * lr) * w: every step "
        "multiplies w by the same factor 1 - 2 * lr.",
        "w grows when that factor is bigger than 1 in size, |1 - 2 * lr| > 1. For "
        "lr = 0.9 the factor is -0.8: a sign flip, but smaller. Work out the other six.",
    ],
    solution=(
        "# one step: w <- w - lr * 2 * w = (1 - 2 * lr) * w\n"
        "rates = [0.01, 0.1, 0.5, 0.9, 1.0, 1.1, 2.0]\n"
        "answer = [lr for lr in rates if abs(1 - 2 * lr) > 1]   # [1.1, 2.0]\n"
        "# factors: 0.98, 0.8, 0, -0.8, -1, -1.2, -3. 0.9 zigzags in, 1.0 zigzags for ever."
    ),
    expects="a list of the learning rates (from the ones given) that diverge",
)

