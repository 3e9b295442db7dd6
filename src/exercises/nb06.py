"""Exercises for notebook 06, Layers and MLPs.

- `count_parameters`: a function giving the number of parameters of MLP(nin, nouts)
- `output_bias_gradient`: d(loss)/d(b) for the output neuron's bias, summed over samples
- `training_step`: one step of gradient descent (zero_grad, forward, backward, update)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ..engine import Value
from ..nn import MLP
from . import Exercise, Verdict, close

__all__ = ["count_parameters", "output_bias_gradient", "training_step"]

# what a function answer whose body is still `...` gets (it returns None)
_NOT_ANSWERED = (
    "Not answered yet: your function returned None. Replace its body `...` with your "
    "code (and a `return`)."
)

# ---------------------------------------------------------------- count_parameters

# the networks the check asks about: the notebook's, notebook 07's, and odd shapes
_SHAPES = ((3, (4, 4, 1)), (2, (16, 16, 1)), (1, (1,)), (5, (3,)), (4, (2, 7, 3)))


def _check_count_parameters(f: Callable[[int, list[int]], int]) -> Verdict:
    if not callable(f):
        return Verdict(False, f"expected a function of (nin, nouts), got {type(f).__name__} {f!r}")
    for nin, nouts in _SHAPES:
        got = f(nin, list(nouts))
        if got is None:
            return Verdict(False, _NOT_ANSWERED)
        expected = len(MLP(nin, list(nouts)).parameters())
        if isinstance(got, bool) or not isinstance(got, int):
            return Verdict(
                False,
                f"for MLP({nin}, {list(nouts)}) your function returned "
                f"{type(got).__name__} {got!r}; return a whole number (an int).",
            )
        if got != expected:
            return Verdict(
                False,
                f"for MLP({nin}, {list(nouts)}) your function says {got}, "
                f"but the network has {expected} parameters.",
            )
    return Verdict(True, "right for every shape the check tried, including MLP(2, [16, 16, 1]).")


count_parameters = Exercise(
    "Counting parameters",
    _check_count_parameters,
    hints=[
        "Go layer by layer. A layer reads some number of inputs and has some number of "
        "neurons; how many weights and biases does each neuron own?",
        "A neuron with k inputs owns k weights and 1 bias. A layer of m such neurons "
        "owns m * (k + 1). The next layer's k is this layer's m.",
        "sizes = [nin] + nouts; add up sizes[i+1] * (sizes[i] + 1) over the layers.",
    ],
    solution=(
        "def count(nin, nouts):\n"
        "    sizes = [nin] + list(nouts)\n"
        "    return sum(sizes[i + 1] * (sizes[i] + 1) for i in range(len(nouts)))\n"
        "\n"
        "MLP(3, [4, 4, 1]): 4*(3+1) + 4*(4+1) + 1*(4+1) = 16 + 20 + 5 = 41"
    ),
)

# ------------------------------------------------------------ output_bias_gradient

# the output neuron's predictions (each a tanh) and the targets, for L = sum (ypred - y)**2
_YPRED = (0.8, -0.3, -0.6, 0.1)
_YS = (1.0, -1.0, -1.0, 1.0)


def _bias_gradient() -> tuple[float, float]:
    """(dL/db, the same without the tanh step), computed with the engine.

    Each prediction is tanh(n_i) with n_i = (rest of the sum) + b: the same b in all four.
    """
    b = Value(0.0, label="b")
    preds = [(b + math.atanh(yp)).tanh() for yp in _YPRED]
    loss = sum((yp - y) ** 2 for yp, y in zip(preds, _YS))
    loss.backward()
    without_tanh = sum(2 * (yp - y) for yp, y in zip(_YPRED, _YS))
    return b.grad, without_tanh


def _check_output_bias_gradient(answer: object) -> Verdict:
    expected, without_tanh = _bias_gradient()
    verdict = close(answer, expected, tolerance=1e-6)
    if verdict.correct:
        return Verdict(True, f"dL/db = {expected:.4f}: four contributions, added.")
    got = getattr(answer, "data", answer)
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        if close(got, without_tanh).correct:
            return Verdict(False, "that skips the tanh: each prediction is tanh(n_i), so "
                           "multiply each sample's 2 * (ypred - y) by 1 - ypred**2.")
        if close(got, expected / 2).correct:
            return Verdict(False, "off by a factor of 2: the derivative of (ypred - y)**2 "
                           "is 2 * (ypred - y).")
        if close(got, -expected).correct:
            return Verdict(False, "the sign is flipped: d/dypred of (ypred - y)**2 is "
                           "2 * (ypred - y), not 2 * (y - ypred).")
    return Verdict(False, f"{got!r} is not dL/db yet.")


output_bias_gradient = Exercise(
    "The output bias's gradient",
    _check_output_bias_gradient,
    hints=[
        "The output neuron's bias b sits inside all four predictions, so dL/db is a sum "
        "of four chain-rule products, one per sample.",
        "For sample i: dL/dypred_i = 2 * (ypred_i - y_i), dypred_i/dn_i = 1 - ypred_i**2 "
        "(tanh), dn_i/db = 1.",
        "sum(2 * (yp - y) * (1 - yp**2) for yp, y in zip(ypred, ys))",
    ],
    solution=(
        "ypred = [0.8, -0.3, -0.6, 0.1]\n"
        "ys = [1.0, -1.0, -1.0, 1.0]\n"
        "answer = sum(2 * (yp - y) * (1 - yp**2) for yp, y in zip(ypred, ys))\n"
        "# -0.144 + 1.274 + 0.512 - 1.782 = -0.14"
    ),
)

# ------------------------------------------------------------------- training_step

# the check's own small problem: a fresh seeded network, three samples, three steps
_STEP_XS = ([1.0, -2.0], [0.5, 0.5], [-1.5, 1.0])
_STEP_YS = (1.0, -1.0, 0.5)
_STEP_LR = 0.1
_STEP_SEED = 11
_STEPS = 3


def _reference_step(model: MLP, xs: Sequence[Sequence[float]], ys: Sequence[float], lr: float) -> float:
    """The right answer: zero the gradients, forward, loss, backward, update."""
    ypred = [model(x) for x in xs]
    loss = sum((yp - y) ** 2 for yp, y in zip(ypred, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def _check_training_step(step: Callable[..., object]) -> Verdict:
    if not callable(step):
        return Verdict(False, f"expected a function (model, xs, ys, lr), got {type(step).__name__}")
    reference = MLP(2, [3, 1], seed=_STEP_SEED)
    model = MLP(2, [3, 1], seed=_STEP_SEED)
    for k in range(1, _STEPS + 1):
        before = [p.data for p in model.parameters()]
        expected_loss = _reference_step(reference, _STEP_XS, _STEP_YS, _STEP_LR)
        got = step(model, [list(x) for x in _STEP_XS], list(_STEP_YS), _STEP_LR)
        if got is None:
            if k == 1 and [p.data for p in model.parameters()] == before:
                return Verdict(False, _NOT_ANSWERED)
            return Verdict(False, "your function returned nothing; return the loss.")
        loss = close(got, expected_loss, tolerance=1e-9)
        if not loss.correct:
            return Verdict(False, f"step {k}: the loss you returned is {getattr(got, 'data', got)!r}, "
                           f"expected {expected_loss!r}. Use the sum of (ypred - y)**2 over the "
                           "samples, computed before the update.")
        after = [p.data for p in model.parameters()]
        wanted = [p.data for p in reference.parameters()]
        if all(close(a, w, tolerance=1e-9).correct for a, w in zip(after, wanted)):
            continue
        if after == before:
            return Verdict(False, f"step {k}: no parameter changed. Update each p.data "
                           "(p.data -= lr * p.grad).")
        moved = [a - b for a, b in zip(after, before)]
        right = [w - b for w, b in zip(wanted, before)]
        if all(close(m, -r, tolerance=1e-9).correct for m, r in zip(moved, right)):
            return Verdict(False, f"step {k}: every parameter moved the wrong way. The "
                           "gradient points uphill; step against it: p.data -= lr * p.grad.")
        if k > 1:
            return Verdict(False, f"step 1 was right, step {k} was not: the gradients of "
                           "the earlier steps are still in p.grad. Call model.zero_grad() "
                           "before loss.backward().")
        return Verdict(False, f"step {k}: the parameters did not end up where one step of "
                       "gradient descent puts them.")
    return Verdict(True, f"{_STEPS} steps in a row match, so the gradients are reset each time.")


training_step = Exercise(
    "One training step",
    _check_training_step,
    hints=[
        "Four things, in this order: forward (predictions and the loss), reset the "
        "gradients, backward, update every parameter. Return the loss.",
        "ypred = [model(x) for x in xs]; loss = sum((yp - y)**2 for yp, y in zip(ypred, ys)); "
        "then model.zero_grad() and loss.backward().",
        "The update: for p in model.parameters(): p.data -= lr * p.grad. "
        "Return loss (or loss.data).",
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
)
