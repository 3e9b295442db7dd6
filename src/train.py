"""Training a model on a small data set, one gradient-descent step at a time.

`Trainer` runs the recipe from micrograd's moons demo: for each step, compute the loss
over the whole data set, reset the gradients, `backward()`, then move every parameter a
little against its gradient. The training dashboard drives it one `step()` at a time.

- `loss="hinge"` (micrograd's demo): the mean of relu(1 - y * score) over the samples,
  plus `alpha` times the sum of the squared parameters (L2 regularisation). Labels may
  be given as 0/1 (mapped to -1/+1) or as -1/+1.
- `loss="sum_of_squares"` (the lecture's 4-sample example): the sum of
  (prediction - y)**2 over the samples, with `y` used as given. (It is a sum, not a
  mean; the old name `loss="mse"` is still accepted and means the same sum.)

Accuracy is the fraction of samples where the sign of the model's output agrees with
the label's sign (for hinge labels after mapping 0 to -1).
"""

from __future__ import annotations

import gc
import math
import numbers
from contextlib import contextmanager, nullcontext

import numpy as np

from .engine import Value
from .valuelike import is_value_like, require_model

__all__ = ["Trainer", "LOSSES", "LOSS_ALIASES", "SCHEDULES"]

LOSSES = ("hinge", "sum_of_squares")
# older names still accepted, and the loss each one means
LOSS_ALIASES = {"mse": "sum_of_squares"}
SCHEDULES = ("constant", "linear_decay")


def _describe(x: object) -> str:
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


# what each loss does with the model's output, and the sentence for a value without it
_NEEDS = {
    "backward": "backward() (notebook 04) to compute the gradients",
    "relu": "relu() (notebook 05): the hinge loss is relu(1 - label * score)",
    "__radd__": "__radd__ (number + Value): the loss adds the samples' losses with sum()",
    "__rmul__": "__rmul__ (number * Value): the loss multiplies scores by their labels",
    "__sub__": "__sub__ (Value - number): the sum-of-squares loss is (prediction - y) ** 2",
    "__pow__": "__pow__ (Value ** number): the sum-of-squares loss squares each error",
}


def _require_operations(output: object, loss: str) -> None:
    """One sentence naming the first method the loss needs that `output`'s class lacks."""
    names = ["backward", "__radd__", "__rmul__"] + (["relu"] if loss == "hinge" else ["__sub__", "__pow__"])
    for name in names:
        if not callable(getattr(output, name, None)):
            raise TypeError(f"Trainer needs the model's output values to have {_NEEDS[name]}; "
                            f"this {type(output).__name__} has no {name}")


@contextmanager
def _collect_each_step():
    """The cyclic garbage collector paused during a step, then one young collection.

    The lecture's engine (and the learner's) stores each operation's backward rule as a
    closure on its output: `out._backward` refers to `out`, a reference cycle in every
    node, so a step's graph is freed only by the cyclic collector. Left to itself it runs
    whenever enough objects pile up, in the middle of building the next graph, and moves
    the graph still in use to older generations that are scanned again later. Paused for
    the step and run once after it (generation 0 only: everything the step made and
    dropped), it frees the old graph in one pass: a step of the lecture's MLP(2, [8, 8, 1])
    on the 100 moons (notebook 07's) takes about 0.65 times as long. For a graph six times
    that size (MLP(2, [16, 16, 1])) the one pass costs more than it saves: about 1.1 times
    as long (bench/bench_learner_training.py measures both). The course engine's graphs
    have no cycles and its own setting suits them, so it is not used there.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


def _positive_number(x: object, what: str, allow_zero: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a number, got {_describe(x)}")
    value = float(x)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{what} must be a finite number {bound}, got {x!r}")
    return value


class Trainer:
    """Gradient descent on `model` over the data set (`X`, `y`), one step per `step()`.

    `model` is a Neuron, Layer or MLP with one output: the course's, or the learner's own
    (anything callable on a list of numbers that returns a value-like object, with
    `parameters()` and `zero_grad()`; its values need `backward()`, and `relu()` for the
    hinge loss or `-` and `**` for sum_of_squares). `X` is an (n, nin) array,
    `y` an (n,) array. `learning_rate` is the starting step size; with
    `schedule="linear_decay"` step k uses learning_rate * (1 - 0.9 * k / steps), as in
    micrograd's demo. `alpha` is the L2 weight; by default 1e-4 for hinge and 0 for
    sum_of_squares (so that loss is exactly the lecture's sum of squared errors).
    `steps` is the length of a training run: `done` turns True after that many steps.

    Attributes: `losses`, `accuracies` and `learning_rates` (one entry per step taken),
    `steps_taken`, `done`, `labels` (the targets actually used, as floats).
    """

    def __init__(
        self,
        model,
        X,
        y,
        *,
        loss: str = "hinge",
        learning_rate: float = 1.0,
        schedule: str = "constant",
        alpha: float | None = None,
        steps: int = 100,
    ) -> None:
        if not callable(model) or not callable(getattr(model, "parameters", None)):
            raise TypeError(
                f"model must be a Neuron, Layer or MLP (callable, with parameters()), yours "
                f"or the course's, got {_describe(model)}"
            )
        if not list(model.parameters()):
            raise ValueError("the model has no parameters to train")
        require_model(model, "Trainer")  # parameters() gives values: one sentence if not
        loss = LOSS_ALIASES.get(loss, loss) if isinstance(loss, str) else loss
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))}, got {loss!r}")
        if schedule not in SCHEDULES:
            raise ValueError(
                f"schedule must be one of {', '.join(map(repr, SCHEDULES))}, got {schedule!r}"
            )
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
            raise TypeError(f"steps must be a whole number, got {_describe(steps)}")
        if steps < 1:
            raise ValueError(f"steps must be at least 1, got {steps}")
        self.loss = loss
        self.schedule = schedule
        self.steps = int(steps)
        self.learning_rate = learning_rate  # checked by the property below
        if alpha is None:
            alpha = 1e-4 if loss == "hinge" else 0.0
        self.alpha = _positive_number(alpha, "alpha", allow_zero=True)

        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"X must be an (n, nin) array of numbers, got {_describe(X)}") from None
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"X must be a non-empty (n, nin) array, got shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains nan or infinite values")
        try:
            y = np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"y must be an (n,) array of numbers, got {_describe(y)}") from None
        if y.shape != (X.shape[0],):
            raise ValueError(
                f"y must have one entry per row of X, i.e. shape ({X.shape[0]},); got shape {y.shape}"
            )
        if not np.isfinite(y).all():
            raise ValueError("y contains nan or infinite values")
        if loss == "hinge":
            found = set(np.unique(y).tolist())
            if found <= {0.0, 1.0}:
                y = y * 2 - 1
            elif not found <= {-1.0, 1.0}:
                raise ValueError(
                    "hinge loss needs class labels 0/1 or -1/+1, got labels "
                    f"{sorted(found)[:6]}"
                )
        self.X = X
        self.labels = y
        self.model = model
        self._rows = [list(map(float, row)) for row in X]
        self._targets = [float(t) for t in y]

        params = model.parameters()
        if not params:
            raise ValueError("the model has no parameters to train")
        self._initial = [p.data for p in params]
        try:
            first = model(self._rows[0])
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"the model cannot read a row of X (X has {X.shape[1]} columns): {err}"
            ) from err
        if not is_value_like(first):
            raise ValueError(
                "the model must give one output Value per sample (make its last layer "
                f"a single neuron), it gave {_describe(first)}"
            )
        _require_operations(first, loss)
        if not callable(getattr(model, "zero_grad", None)):
            raise TypeError(
                f"Trainer needs the model's zero_grad() method (it resets the gradients "
                f"before each backward()); this {type(model).__name__} has none"
            )
        # the lecture-style engine's graphs hold reference cycles; the course engine's do not
        self._collect_each_step = not isinstance(first, Value)
        self.losses: list[float] = []
        self.accuracies: list[float] = []
        self.learning_rates: list[float] = []
        self.steps_taken = 0

    # ------------------------------------------------------------ settings

    @property
    def learning_rate(self) -> float:
        """The base learning rate (the schedule scales it step by step)."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = _positive_number(value, "learning_rate")

    @property
    def done(self) -> bool:
        """True once `steps` steps have been taken."""
        return self.steps_taken >= self.steps

    def current_learning_rate(self) -> float:
        """The step size the next `step()` will use."""
        if self.schedule == "linear_decay":
            k = min(self.steps_taken, self.steps)
            return self._learning_rate * (1.0 - 0.9 * k / self.steps)
        return self._learning_rate

    # ------------------------------------------------------------ the recipe

    def compute_loss(self) -> tuple[Value, float]:
        """(the loss as a Value, the accuracy) over the whole data set, at current weights."""
        scores = [self.model(row) for row in self._rows]
        if self.loss == "hinge":
            margins = [(1 + -t * s).relu() for t, s in zip(self._targets, scores)]
            data_loss = sum(margins) * (1.0 / len(margins))
        else:
            data_loss = sum((s - t) ** 2 for t, s in zip(self._targets, scores))
        total = data_loss
        if self.alpha > 0:
            total = data_loss + self.alpha * sum(p * p for p in self.model.parameters())
        correct = sum((t > 0) == (s.data > 0) for t, s in zip(self._targets, scores))
        return total, correct / len(scores)

    def step(self) -> dict:
        """One step of gradient descent over the whole data set.

        Returns dict(step, loss, accuracy, learning_rate): `step` counts from 1, `loss`
        and `accuracy` are measured before this step's update (as micrograd prints
        them), `learning_rate` is the step size used.
        """
        if self.done:
            raise RuntimeError(
                f"training has already run its {self.steps} steps; call reset() to start "
                "again or raise trainer.steps to continue"
            )
        lr = self.current_learning_rate()
        with _collect_each_step() if self._collect_each_step else nullcontext():
            total, accuracy = self.compute_loss()
            self.model.zero_grad()
            total.backward()
            for p in self.model.parameters():
                p.data -= lr * p.grad
            loss = float(total.data)
            del total  # the graph is garbage now: the collection after the step frees it
        self.steps_taken += 1
        self.losses.append(loss)
        self.accuracies.append(accuracy)
        self.learning_rates.append(lr)
        return {
            "step": self.steps_taken,
            "loss": loss,
            "accuracy": accuracy,
            "learning_rate": lr,
        }

    def run(self, n: int | None = None) -> dict | None:
        """Take `n` more steps (by default all that remain); return the last step's record."""
        remaining = self.steps - self.steps_taken
        if n is None:
            n = remaining
        elif isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"n (the number of steps to run) must be a whole number, got {_describe(n)}")
        elif n < 0:
            raise ValueError(f"n (the number of steps to run) must be 0 or more, got {n}")
        record = None
        for _ in range(min(n, remaining)):
            record = self.step()
        return record

    def reset(self) -> None:
        """Put the parameters back to their values when the trainer was made; forget history."""
        for p, value in zip(self.model.parameters(), self._initial):
            p.data = value
            p.grad = 0.0
        self.losses = []
        self.accuracies = []
        self.learning_rates = []
        self.steps_taken = 0

    def predict(self, X) -> np.ndarray:
        """The model's output for each row of `X` (an (n, nin) array like the training data)."""
        nin = self.X.shape[1]
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"X must be an (n, {nin}) array of numbers, got {_describe(X)}") from None
        if X.ndim != 2 or X.shape[1] != nin:
            raise ValueError(
                f"X must be an (n, {nin}) array, one row per sample as in training; "
                f"got shape {X.shape}"
            )
        return np.array([self.model(list(map(float, row))).data for row in X])

    def __repr__(self) -> str:
        last = f", loss {self.losses[-1]:.4f}" if self.losses else ""
        return (
            f"Trainer({self.loss} loss, {self.X.shape[0]} samples, "
            f"step {self.steps_taken} of {self.steps}{last})"
        )
