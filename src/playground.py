"""TensorFlow Playground's experiments on the course's own engines: notebook 09.

Two layers, so that the training can be tested (and scripted) without a browser:

- `Playground`, a plain class: a data set (moons, circles, xor, spiral, two Gaussians,
  from `data.py`), split into training and test points; the input features; a network of
  0-4 hidden layers of 1-8 neurons; and mini-batch gradient descent on it, one `step()`
  at a time, with the tensor engine (`backproplab.tensor`, the default) or the scalar
  engine (`backproplab.engine` and `nn`). Every setting is checked, with one sentence
  saying what is accepted. The same settings and seeds give the same run.
- `playground(...)`, the widget (a `widgets.Lab`) that drives one: controls for every
  setting, Play / Step / Reset and Play's pace, and the pictures (`plot_playground` draws
  the same pictures as one static figure).

The network reads the chosen features of each point and gives one score; the point is
class 1 where the score is above 0. The loss is the course's mean hinge loss (notebook
07), relu(1 - y * score) with labels y = -1 and +1, plus the regularisation: L2 adds
rate * (the sum of the squared weights), L1 rate * (the sum of their sizes); biases are
not regularised. The loss curves show the hinge loss alone, on the training and the
test points.

The weights live in numpy arrays (`weights[l]` of shape (inputs, neurons), `biases[l]`);
the engine that trains them reads them at each step and writes them back, so switching
engines mid-run carries on from the same numbers. Pictures and accuracies are computed
from the arrays with numpy, whichever engine trains.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Sequence

import numpy as np

from . import data as _data
from .engine import Value
from .nn import ACTIVATIONS, MLP
from .tensor import Tensor

__all__ = ["Playground", "DATASETS", "FEATURES", "ENGINES", "REGULARIZATIONS", "LIMITS",
           "plot_playground", "playground"]

# name -> (generator, its default noise, how far the points are stretched): every data
# set fills about the same square, -3 to 3, so the same network and features fit them all
DATASETS = {
    "circles": (lambda n, noise, seed: _data.make_circles(n, noise, seed, factor=0.5), 0.05, 2.5),
    "xor": (lambda n, noise, seed: _data.make_xor(n, noise, seed), 0.3, 1.5),
    "gaussians": (lambda n, noise, seed: _data.make_gaussians(n, noise, seed, distance=2.0), 0.4, 1.2),
    "moons": (lambda n, noise, seed: _data.make_moons(n, noise, seed), 0.1, 2.0),
    "spiral": (lambda n, noise, seed: _data.make_spiral(n, noise, seed), 0.02, 2.8),
}
_MOONS_CENTRE = np.array([0.5, 0.25])  # the moons' middle, moved to (0, 0)

# the input features the network may read, as TensorFlow Playground offers them
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}
# how pictures write them
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}
ENGINES = ("tensor", "scalar")
REGULARIZATIONS = (None, "L1", "L2")

# every setting's range (the widget's controls use the same)
LIMITS = {
    "noise": (0.0, 0.5),
    "points": (10, 1000),
    "test_fraction": (0.1, 0.9),
    "hidden_layers": (0, 4),
    "neurons": (1, 8),
    "learning_rate": (1e-5, 10.0),
    "regularization_rate": (0.0, 10.0),
}


class _Plain:
    """An error that Jupyter shows as its one sentence, without the traceback through the
    course's code (IPython calls `_render_traceback_`); Python prints it as usual."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[0;31m{type(self).__bases__[-1].__name__}\x1b[0m: {self}"]


class SettingError(_Plain, ValueError):
    """A setting outside what the Playground accepts (a ValueError)."""


class SettingTypeError(_Plain, TypeError):
    """A setting of the wrong kind (a TypeError)."""


class TrainingDiverged(_Plain, OverflowError):
    """Training made the numbers too large for a float (an OverflowError)."""


def _describe(x: object) -> str:
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _whole(x: object, what: str, low: int, high: int) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise SettingTypeError(f"{what} must be a whole number from {low} to {high}, got {_describe(x)}")
    if not low <= x <= high:
        raise SettingError(f"{what} must be from {low} to {high}, got {x}")
    return int(x)


def _real(x: object, what: str, low: float, high: float, open_low: bool = False) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise SettingTypeError(f"{what} must be a number from {low:g} to {high:g}, got {_describe(x)}")
    value = float(x)
    if not (low < value if open_low else low <= value) or not value <= high:
        raise SettingError(f"{what} must be from {low:g} to {high:g}, got {x!r}")
    return value


def _choice(x: object, what: str, options: Sequence) -> object:
    if not any(x is o or (isinstance(x, str) and x == o) for o in options):
        raise SettingError(f"{what} must be one of {', '.join(map(repr, options))}, got {_describe(x)}")
    return x


def _check_hidden(hidden: object) -> list[int]:
    low, high = LIMITS["hidden_layers"]
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, (Sequence, np.ndarray)):
        raise SettingTypeError(f"hidden must be a list of layer sizes such as [4, 2] ([] for no hidden "
                        f"layer), got {_describe(hidden)}")
    if len(hidden) > high:
        raise SettingError(f"hidden may list at most {high} layers, got {len(hidden)}: {list(hidden)}")
    n_low, n_high = LIMITS["neurons"]
    return [_whole(n, f"hidden layer {i + 1}'s number of neurons", n_low, n_high)
            for i, n in enumerate(hidden)]


def _check_features(features: object) -> tuple[str, ...]:
    if isinstance(features, str):
        features = (features,)
    if not isinstance(features, (Sequence, set, frozenset)):
        raise SettingTypeError(f"features must be a list of feature names from {', '.join(FEATURES)}, "
                        f"got {_describe(features)}")
    chosen = list(features)
    unknown = [f for f in chosen if f not in FEATURES]
    if unknown:
        raise SettingError(f"unknown feature {unknown[0]!r}; the features are {', '.join(FEATURES)}")
    if not chosen:
        raise SettingError("choose at least one input feature (the network needs something to read), "
                         f"from {', '.join(FEATURES)}")
    return tuple(f for f in FEATURES if f in chosen)  # in the fixed order, each once


_ACT = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500))),
    "linear": lambda z: z,
}


class Playground:
    """A data set, a network and its training, as TensorFlow Playground has them.

    Settings (each checked; `set(...)` changes them later): `dataset` (one of DATASETS),
    `noise` (the generator's standard deviation, 0-0.5; None: the data set's default),
    `points` (10-1000), `test_fraction` (0.1-0.9), `data_seed`, `features` (names from
    FEATURES), `hidden` (a list of 0-4 layer sizes, each 1-8), `activation` (tanh, relu,
    sigmoid, linear: the hidden layers'; the output is a plain score), `learning_rate`,
    `batch_size` (1 to the number of training points), `regularization` (None, "L1",
    "L2") with `regularization_rate`, `engine` ("tensor" or "scalar"), `seed` (the
    starting weights and the order of the batches).

    Attributes: `X_train`, `y_train`, `X_test`, `y_test` (points and 0/1 labels);
    `weights`, `biases` (numpy arrays, one per layer, the output layer last);
    `weight_grads`, `bias_grads` (their gradients at the last step, None before one);
    `steps`, `epoch` (full passes over the training points); `history` (a dict of lists,
    one entry per step: "epoch", "train_loss", "test_loss", "train_accuracy",
    "test_accuracy"); `step_seconds` (the last step's time).
    """

    def __init__(self, dataset: str = "circles", *, noise: float | None = None,
                 points: int = 200, test_fraction: float = 0.5, data_seed: int = 0,
                 features: Sequence[str] = ("x1", "x2"), hidden: Sequence[int] = (4, 4),
                 activation: str = "tanh", learning_rate: float = 0.1, batch_size: int = 10,
                 regularization: str | None = None, regularization_rate: float = 0.0,
                 engine: str = "tensor", seed: int = 0) -> None:
        self._settings: dict = {}
        self.set(dataset=dataset, noise=noise, points=points, test_fraction=test_fraction,
                 data_seed=data_seed, features=features, hidden=hidden, activation=activation,
                 learning_rate=learning_rate, batch_size=batch_size,
                 regularization=regularization, regularization_rate=regularization_rate,
                 engine=engine, seed=seed)

    # ------------------------------------------------------------------ settings

    DATA_SETTINGS = ("dataset", "noise", "points", "test_fraction", "data_seed")
    NETWORK_SETTINGS = ("features", "hidden", "activation", "seed")
    TRAINING_SETTINGS = ("learning_rate", "batch_size", "regularization", "regularization_rate",
                         "engine")

    def set(self, **settings) -> bool:
        """Change settings; returns True if that started training again from new weights.

        A new data set or network starts again (as in TensorFlow Playground); the learning
        rate, batch size, regularisation and engine apply from the next step on. A new
        `dataset` without a `noise` comes with that data set's own noise.
        """
        known = self.DATA_SETTINGS + self.NETWORK_SETTINGS + self.TRAINING_SETTINGS
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise SettingTypeError(f"unknown setting {unknown[0]!r}; the settings are {', '.join(known)}")
        new = dict(self._settings)
        if "dataset" in settings and "noise" not in settings:
            new["noise"] = None  # a new data set comes with its own noise
        new.update(settings)
        checked = self._check(new)  # raises before anything changes
        old = self._settings
        data_changed = not old or any(checked[k] != old[k] for k in self.DATA_SETTINGS)
        network_changed = data_changed or any(checked[k] != old[k] for k in self.NETWORK_SETTINGS)
        engine_changed = not old or checked["engine"] != old["engine"]
        self._settings = checked
        if data_changed:
            self._make_data()
        if network_changed:
            self.reset()
        elif engine_changed:
            self._scalar = None  # built again from the arrays at the next step
        return network_changed

    def _check(self, s: dict) -> dict:
        out = dict(s)
        out["dataset"] = _choice(s["dataset"], "dataset", tuple(DATASETS))
        noise = DATASETS[out["dataset"]][1] if s["noise"] is None else s["noise"]
        out["noise"] = _real(noise, "noise", *LIMITS["noise"])
        out["points"] = _whole(s["points"], "points", *LIMITS["points"])
        out["test_fraction"] = _real(s["test_fraction"], "test_fraction", *LIMITS["test_fraction"])
        out["data_seed"] = _whole(s["data_seed"], "data_seed", 0, 2**32 - 1)
        out["features"] = _check_features(s["features"])
        out["hidden"] = _check_hidden(s["hidden"])
        out["activation"] = _choice(s["activation"], "activation", ACTIVATIONS)
        out["learning_rate"] = _real(s["learning_rate"], "learning_rate", *LIMITS["learning_rate"])
        n_train = out["points"] - int(round(out["points"] * out["test_fraction"]))
        batch = s["batch_size"]
        if isinstance(batch, numbers.Integral) and not isinstance(batch, bool) and batch > n_train:
            raise SettingError(f"batch_size {batch} is larger than the {n_train} training points; "
                             f"choose from 1 to {n_train}")
        out["batch_size"] = _whole(batch, "batch_size", 1, n_train)
        out["regularization"] = _choice(s["regularization"], "regularization", REGULARIZATIONS)
        out["regularization_rate"] = _real(s["regularization_rate"], "regularization_rate",
                                           *LIMITS["regularization_rate"])
        out["engine"] = _choice(s["engine"], "engine", ENGINES)
        out["seed"] = _whole(s["seed"], "seed", 0, 2**32 - 1)
        return out

    def __getattr__(self, name: str):
        settings = self.__dict__.get("_settings", {})
        if name in settings:
            return settings[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def settings(self) -> dict:
        """The current settings, as `Playground(**settings)` takes them."""
        return dict(self._settings)

    # ------------------------------------------------------------------ data

    def _make_data(self) -> None:
        s = self._settings
        make, _, stretch = DATASETS[s["dataset"]]
        X, y = make(s["points"], s["noise"], s["data_seed"])
        if s["dataset"] == "moons":
            X = X - _MOONS_CENTRE
        X = X * stretch
        self.X_train, self.X_test, self.y_train, self.y_test = _data.train_test_split(
            X, y, test_fraction=s["test_fraction"], seed=s["data_seed"])
        # the plane the pictures show: -3.5 to 3.5, or wider for points beyond it
        self.extent = max(3.5, float(np.ceil(np.abs(X).max() * 2 + 0.5) / 2))

    def regenerate(self, data_seed: int | None = None) -> int:
        """New points for the same data set (the next seed, or `data_seed`); returns the seed."""
        seed = self.data_seed + 1 if data_seed is None else data_seed
        self.set(data_seed=seed % 2**32)
        return self.data_seed

    def features_of(self, X: np.ndarray) -> np.ndarray:
        """The chosen features of each point of `X` (n, 2): an (n, features) array."""
        X = np.asarray(X, dtype=float)
        return np.column_stack([FEATURES[f](X) for f in self.features])

    # ------------------------------------------------------------------ the network

    @property
    def sizes(self) -> list[int]:
        """Neurons per layer, inputs first, the output (1) last: [2, 4, 2, 1]."""
        return [len(self.features), *self.hidden, 1]

    @property
    def hidden_neurons(self) -> int:
        """How many hidden neurons the network has."""
        return sum(self.hidden)

    @property
    def parameter_count(self) -> int:
        """Every weight and bias."""
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    def reset(self) -> None:
        """New starting weights from `seed`, and the training counters back to 0."""
        rng = np.random.default_rng(self.seed)
        sizes = self.sizes
        # weights of the size 1/sqrt(inputs), so a neuron's sum starts near 1 whatever
        # its number of inputs; biases 0
        self.weights = [rng.normal(0.0, 1.0 / math.sqrt(a), (a, b)) for a, b in zip(sizes, sizes[1:])]
        self.biases = [np.zeros(b) for b in sizes[1:]]
        self.weight_grads: list[np.ndarray] | None = None
        self.bias_grads: list[np.ndarray] | None = None
        self._batches = np.random.default_rng([self.seed, 1])  # the order of the points
        self._order = np.array([], dtype=int)
        self._position = 0
        self._seen = 0
        self._scalar = None
        self.steps = 0
        self.epoch = 0
        self.step_seconds = math.nan
        self.history = {k: [] for k in ("epoch", "train_loss", "test_loss", "train_accuracy",
                                        "test_accuracy")}
        self._F_train = self.features_of(self.X_train)
        self._F_test = self.features_of(self.X_test)
        self._Y_train = (self.y_train * 2 - 1).astype(float)
        self._Y_test = (self.y_test * 2 - 1).astype(float)

    @np.errstate(over="ignore", invalid="ignore")  # weights near the limit of a float
    def forward(self, X: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Each hidden layer's outputs at the points `X` (n, 2), and the scores (n,)."""
        act = _ACT[self.activation]
        H = self.features_of(X)
        layers = []
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            H = act(H @ W + b)
            layers.append(H)
        return layers, (H @ self.weights[-1] + self.biases[-1])[:, 0]

    def scores(self, X: np.ndarray) -> np.ndarray:
        """The network's score at each point of `X` (n, 2): above 0 means class 1."""
        return self.forward(X)[1]

    @np.errstate(over="ignore", invalid="ignore")  # weights near the limit of a float
    def _evaluate(self, F: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
        act = _ACT[self.activation]
        H = F
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            H = act(H @ W + b)
        s = (H @ self.weights[-1] + self.biases[-1])[:, 0]
        return float(np.maximum(0.0, 1.0 - Y * s).mean()), float(((s > 0) == (Y > 0)).mean())

    @property
    def train_loss(self) -> float:
        """The mean hinge loss on the training points now."""
        return self._evaluate(self._F_train, self._Y_train)[0]

    @property
    def test_loss(self) -> float:
        """The mean hinge loss on the test points now."""
        return self._evaluate(self._F_test, self._Y_test)[0]

    @property
    def train_accuracy(self) -> float:
        """The fraction of training points on the right side of the boundary."""
        return self._evaluate(self._F_train, self._Y_train)[1]

    @property
    def test_accuracy(self) -> float:
        """The fraction of test points on the right side of the boundary."""
        return self._evaluate(self._F_test, self._Y_test)[1]

    # ------------------------------------------------------------------ training

    def _next_batch(self) -> np.ndarray:
        """The next `batch_size` training points; each epoch visits all of them once."""
        n = len(self.y_train)
        if self._position >= len(self._order):
            self._order = self._batches.permutation(n)
            self._position = 0
        batch = self._order[self._position:self._position + self.batch_size]
        self._position += len(batch)
        self._seen += len(batch)
        if self._position >= n:
            self.epoch += 1
        return batch

    def loss_and_gradients(self, batch: np.ndarray) -> tuple[float, list, list]:
        """The loss on the training points `batch` (indices) and d(loss)/d(each weight array
        and bias vector), by the chosen engine."""
        if self.engine == "tensor":
            return self._tensor_gradients(batch)
        return self._scalar_gradients(batch)

    def _regularized(self, loss, weights: list, total_of) -> object:
        """`loss` plus rate * sum(w**2) (L2) or rate * sum(|w|) (L1) over the weights (not
        the biases); `total_of(x)` adds up one penalty (a Tensor's .sum(), a Value itself)."""
        if self.regularization is None or self.regularization_rate == 0:
            return loss
        terms = [total_of(w * w if self.regularization == "L2" else w.relu() + (-w).relu())
                 for w in weights]
        return loss + sum(terms[1:], terms[0]) * self.regularization_rate

    def _tensor_gradients(self, batch: np.ndarray) -> tuple[float, list, list]:
        Ws = [Tensor(W) for W in self.weights]
        bs = [Tensor(b) for b in self.biases]
        H = Tensor(self._F_train[batch], requires_grad=False)
        Y = self._Y_train[batch][:, None]
        for i, (W, b) in enumerate(zip(Ws, bs)):
            Z = H @ W + b
            last = i == len(Ws) - 1
            H = Z if last or self.activation == "linear" else getattr(Z, self.activation)()
        loss = self._regularized((1 - H * Y).relu().mean(), Ws, lambda t: t.sum())
        loss.backward()
        return loss.item(), [W.grad for W in Ws], [b.grad for b in bs]

    def _scalar_model(self) -> MLP:
        if self._scalar is None:
            self._scalar = MLP(len(self.features), [*self.hidden, 1], activation=self.activation,
                               output_activation="linear", seed=self.seed, fused=True)
        for layer, W, b in zip(self._scalar.layers, self.weights, self.biases):
            for j, neuron in enumerate(layer.neurons):
                for i, w in enumerate(neuron.w):
                    w.data = float(W[i, j])
                neuron.b.data = float(b[j])
        return self._scalar

    def _scalar_gradients(self, batch: np.ndarray) -> tuple[float, list, list]:
        model = self._scalar_model()
        rows = self._F_train[batch].tolist()
        targets = self._Y_train[batch].tolist()
        data_loss = sum(((1 - y * model(x)).relu() for x, y in zip(rows, targets)), Value(0.0))
        weights = [w for layer in model.layers for n in layer.neurons for w in n.w]
        loss = self._regularized(data_loss * (1.0 / len(rows)), weights, lambda v: v)
        model.zero_grad()
        loss.backward()
        weight_grads = [np.array([[n.w[i].grad for n in layer.neurons] for i in range(len(W))])
                        for layer, W in zip(model.layers, self.weights)]
        bias_grads = [np.array([n.b.grad for n in layer.neurons]) for layer in model.layers]
        return loss.data, weight_grads, bias_grads

    def step(self) -> float:
        """One gradient-descent step on the next batch; returns its loss (with regularisation)."""
        started = time.perf_counter()
        batch = self._next_batch()
        lr = self.learning_rate
        diverged = TrainingDiverged(
            f"training stopped after step {self.steps}: step {self.steps + 1} made the numbers "
            f"too large for a float; the learning rate {lr:g} is too large for this network "
            "(lower it and press Reset)")
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                loss, weight_grads, bias_grads = self.loss_and_gradients(batch)
                new_weights = [W - lr * g for W, g in zip(self.weights, weight_grads)]
                new_biases = [b - lr * g for b, g in zip(self.biases, bias_grads)]
        except OverflowError:  # the engine found an inf or nan on the way
            raise diverged from None
        if not (math.isfinite(loss) and all(np.isfinite(a).all() for a in new_weights + new_biases)):
            raise diverged
        old = self.weights, self.biases
        self.weights, self.biases = new_weights, new_biases
        scores = self._evaluate(self._F_train, self._Y_train), self._evaluate(self._F_test, self._Y_test)
        if not all(math.isfinite(x) for pair in scores for x in pair):
            self.weights, self.biases = old  # finite weights, but scores beyond a float
            raise diverged
        self.weight_grads, self.bias_grads = weight_grads, bias_grads
        self.steps += 1
        self.step_seconds = time.perf_counter() - started
        self._record(*scores)
        return loss

    def _record(self, train: tuple[float, float], test: tuple[float, float]) -> None:
        (train_loss, train_accuracy), (test_loss, test_accuracy) = train, test
        h = self.history
        h["epoch"].append(self._seen / len(self.y_train))  # epochs, counted in points seen
        h["train_loss"].append(train_loss)
        h["test_loss"].append(test_loss)
        h["train_accuracy"].append(train_accuracy)
        h["test_accuracy"].append(test_accuracy)

    def train(self, epochs: int) -> Playground:
        """Train for `epochs` more full passes over the training points; returns self."""
        epochs = _whole(epochs, "epochs", 0, 100_000)
        target = self.epoch + epochs
        while self.epoch < target:
            self.step()
        return self

    # ------------------------------------------------------------------ looking inside

    def neuron_names(self) -> list[str]:
        """"layer 1, neuron 1", ... for every hidden neuron, then "output"."""
        names = [f"layer {l + 1}, neuron {j + 1}" for l, n in enumerate(self.hidden) for j in range(n)]
        return names + ["output"]

    def neuron(self, layer: int, index: int) -> dict:
        """Neuron `index` (from 0) of layer `layer` (1 = the first hidden layer; the output
        is layer len(hidden) + 1): where its inputs come from, its incoming weights and
        bias, and their gradients at the last step (None before the first step)."""
        last = len(self.hidden) + 1
        layer = _whole(layer, "layer", 1, last)
        index = _whole(index, "index", 0, self.sizes[layer] - 1)
        if layer == 1:
            sources = [FEATURE_LABELS[f] for f in self.features]
        else:
            sources = [f"neuron {k + 1} of layer {layer - 1}" for k in range(self.sizes[layer - 1])]
        grads = self.weight_grads is not None
        return {
            "name": "output" if layer == last else f"layer {layer}, neuron {index + 1}",
            "inputs": sources,
            "weights": self.weights[layer - 1][:, index].copy(),
            "bias": float(self.biases[layer - 1][index]),
            "weight_grads": self.weight_grads[layer - 1][:, index].copy() if grads else None,
            "bias_grad": float(self.bias_grads[layer - 1][index]) if grads else None,
        }

    def __repr__(self) -> str:
        net = "-".join(map(str, self.sizes))
        return (f"Playground({self.dataset!r}, network {net}, {self.activation}, "
                f"epoch {self.epoch}, step {self.steps})")

# ====================================================================== pictures

# TensorFlow Playground's colours: orange for class 0 (and negative weights), blue for
# class 1 (and positive weights), white in between
_ORANGE = "#f59322"
_BLUE = "#0877bd"
_HEAT = None  # the colour map, made on first use (matplotlib is imported lazily)


def _heat_map():
    global _HEAT
    if _HEAT is None:
        from matplotlib.colors import LinearSegmentedColormap

        _HEAT = LinearSegmentedColormap.from_list("playground", [_ORANGE, "#ffffff", _BLUE])
    return _HEAT


def _plane(extent: float, resolution: int) -> np.ndarray:
    """A resolution x resolution grid of points over the square -extent..extent, the
    top row first (as an image is drawn)."""
    xs = np.linspace(-extent, extent, resolution)
    gx, gy = np.meshgrid(xs, xs[::-1])
    return np.column_stack([gx.ravel(), gy.ravel()])


def _scaled(values: np.ndarray) -> np.ndarray:
    """A neuron's outputs over the plane, scaled to -1..1 by their largest size, so that
    the picture shows the pattern whatever the activation's range."""
    top = float(np.abs(values).max())
    return values / top if 0 < top < math.inf else np.nan_to_num(np.sign(values))


class _NetworkPanel:
    """The network drawn in one axes: a small heatmap per feature and neuron (what it
    outputs over the plane), and a line per weight, blue for positive, orange for
    negative, thicker for larger. `update(pg, selected)` redraws it for `pg` now."""

    RESOLUTION = 20

    def __init__(self, ax) -> None:
        self.ax = ax
        self.key = None
        self.moving: list = []
        self.still: list = []

    def _layout(self, pg: Playground) -> None:
        from matplotlib.collections import LineCollection
        from matplotlib.patches import Rectangle

        ax = self.ax
        for artist in self.moving + self.still:
            artist.remove()
        self.moving, self.still = [], []
        sizes = pg.sizes
        self.key = (pg.features, tuple(pg.hidden), pg.extent)
        tall = max(sizes)
        self.half = 0.26  # half a node's side
        self.positions = []  # per column, the (x, y) of each node
        for c, n in enumerate(sizes):
            ys = [(n - 1) / 2 - i for i in range(n)]
            self.positions.append([(1.6 * c, y * 0.75) for y in ys])
        ax.set_xlim(-1.0, 1.6 * (len(sizes) - 1) + 0.45)
        ax.set_ylim(-tall * 0.375 - 0.35, tall * 0.375 + 0.45)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        h = self.half
        heads = ["features"] + [f"layer {i + 1}" for i in range(len(pg.hidden))] + ["output"]
        for c, head in enumerate(heads):
            self.still.append(ax.text(1.6 * c, tall * 0.375 + 0.3, head, ha="center", va="center",
                                      fontsize=8, color="#444444"))
        for (x, y), name in zip(self.positions[0], pg.features):
            self.still.append(ax.text(x - h - 0.05, y, FEATURE_LABELS[name], ha="right",
                                      va="center", fontsize=8))
        # one line per weight, under the nodes
        self.segments = []
        for c in range(len(sizes) - 1):
            for (x0, y0) in self.positions[c]:
                for (x1, y1) in self.positions[c + 1]:
                    self.segments.append([(x0 + h, y0), (x1 - h, y1)])
        self.lines = LineCollection(self.segments, zorder=1)
        ax.add_collection(self.lines)
        self.moving.append(self.lines)
        plane = _plane(pg.extent, self.RESOLUTION)
        self.plane = plane
        features = pg.features_of(plane)
        self.images = []
        for c, column in enumerate(self.positions):
            for k, (x, y) in enumerate(column):
                image = ax.imshow(np.zeros((self.RESOLUTION, self.RESOLUTION)), cmap=_heat_map(),
                                  vmin=-1, vmax=1, extent=(x - h, x + h, y - h, y + h),
                                  interpolation="nearest", zorder=2)
                frame = Rectangle((x - h, y - h), 2 * h, 2 * h, fill=False, lw=0.6,
                                  edgecolor="#777777", zorder=3)
                ax.add_patch(frame)
                if c == 0:  # a feature's picture never changes while training
                    image.set_data(_scaled(features[:, k]).reshape(self.RESOLUTION, -1))
                    self.still += [image, frame]
                else:
                    self.images.append(image)
                    self.moving += [image, frame]
        self.ring = Rectangle((0, 0), 2 * h + 0.12, 2 * h + 0.12, fill=False, lw=2.2,
                              edgecolor="#222222", zorder=4, visible=False)
        ax.add_patch(self.ring)
        self.moving.append(self.ring)

    def update(self, pg: Playground, selected: str | None = None) -> bool:
        """Draw `pg`'s network as it is now; True if its shape changed (new artists)."""
        rebuilt = self.key != (pg.features, tuple(pg.hidden), pg.extent)
        if rebuilt:
            self._layout(pg)
        layers, scores = pg.forward(self.plane)
        outputs = [*layers, scores[:, None]]
        k = 0
        for values in outputs:
            for j in range(values.shape[1]):
                self.images[k].set_data(_scaled(values[:, j]).reshape(self.RESOLUTION, -1))
                k += 1
        weights = np.concatenate([W.ravel() for W in pg.weights])  # row by row: source, target
        self.lines.set_color(np.where(weights[:, None] >= 0, _rgb(_BLUE), _rgb(_ORANGE)))
        self.lines.set_linewidth(0.3 + 3.2 * np.minimum(np.abs(weights), 2.0) / 2.0)
        names = pg.neuron_names()
        if selected in names:
            index = names.index(selected)
            column, row = _column_and_row(pg.hidden, index)
            x, y = self.positions[column][row]
            self.ring.set_xy((x - self.half - 0.06, y - self.half - 0.06))
            self.ring.set_visible(True)
        else:
            self.ring.set_visible(False)
        return rebuilt


def _rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)] + [1.0])


def _column_and_row(hidden: Sequence[int], index: int) -> tuple[int, int]:
    """The network drawing's column and row of neuron number `index` of neuron_names()."""
    for layer, n in enumerate(hidden):
        if index < n:
            return layer + 1, index
        index -= n
    return len(hidden) + 1, 0


class _BoundaryPanel:
    """The decision boundary: the plane coloured by the network's score (blue: class 1,
    orange: class 0, paler near the boundary), the training points filled and the test
    points drawn as rings with a white middle."""

    RESOLUTION = 60

    def __init__(self, ax) -> None:
        self.ax = ax
        self.extent = None
        self.image = ax.imshow(np.zeros((self.RESOLUTION, self.RESOLUTION)), cmap=_heat_map(),
                               vmin=-1.5, vmax=1.5, interpolation="bilinear", alpha=0.7,
                               zorder=0)
        # training points filled, test points as rings with a white middle: both show
        # their class on either colour of the background
        self.train = ax.scatter([], [], s=18, edgecolors="#222222", linewidths=0.5, zorder=2,
                                label="training")
        self.test = ax.scatter([], [], s=20, facecolors="white", linewidths=1.6, zorder=2,
                               label="test")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂", labelpad=0)
        ax.set_title("Decision boundary", fontsize=10)
        self.moving = [self.image, self.train, self.test]

    def update(self, pg: Playground) -> bool:
        """Colour the plane by `pg`'s scores; True if the plane or the points changed."""
        changed = False
        if self.extent != pg.extent:
            e = self.extent = pg.extent
            self.image.set_extent((-e, e, -e, e))
            self.ax.set_xlim(-e, e)
            self.ax.set_ylim(-e, e)
            self.plane = _plane(e, self.RESOLUTION)
            changed = True
        colours = np.array([_rgb(_ORANGE), _rgb(_BLUE)])
        self.train.set_offsets(pg.X_train)
        self.train.set_facecolors(colours[pg.y_train])
        self.test.set_offsets(pg.X_test)
        self.test.set_edgecolors(colours[pg.y_test])
        self.image.set_data(pg.scores(self.plane).reshape(self.RESOLUTION, -1))
        return changed


class _LossPanel:
    """The hinge loss on the training and the test points by epoch: after every step in
    the first epoch, then at the end of each epoch (a curve that stays readable however
    noisy the steps are). Past about 115 epochs the epoch axis turns logarithmic beyond 1, so the
    early epochs, where most of the learning happens, keep their room. The loss axis stops
    at `TOP` (a diverging run's loss would squash everything else)."""

    TOP = 6.0

    def __init__(self, ax) -> None:
        self.ax = ax
        (self.train,) = ax.plot([], [], color="#333333", lw=1.4, label="training")
        (self.test,) = ax.plot([], [], color="#c2185b", lw=1.4, label="test")
        ax.set_xlabel("epoch")
        ax.set_ylabel("hinge loss", labelpad=0)
        ax.set_title("Loss", fontsize=10)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 1.2)
        self.legend = ax.legend(loc="upper right", fontsize=8)
        self.moving = [self.train, self.test]

    @staticmethod
    def shown(history: dict) -> np.ndarray:
        """Which steps of `history` the curves show: every step of the first epoch, then
        the last step of each epoch."""
        epochs = np.asarray(history["epoch"])
        if len(epochs) == 0:
            return np.array([], dtype=int)
        whole = np.floor(epochs + 1e-9)
        ends = np.flatnonzero(np.diff(whole) > 0) + 1
        first = np.flatnonzero(epochs <= 1 + 1e-9)
        last = [len(epochs) - 1]
        return np.unique(np.concatenate([first, ends, last]))

    def update(self, pg: Playground) -> bool:
        """Show `pg`'s loss history; True if the axes' limits or scale had to change."""
        h = pg.history
        keep = self.shown(h)
        epochs = np.asarray(h["epoch"])[keep]
        train = np.asarray(h["train_loss"])[keep]
        test = np.asarray(h["test_loss"])[keep]
        self.train.set_data(epochs, train)
        self.test.set_data(epochs, test)
        ax = self.ax
        right = ax.get_xlim()[1]
        top = ax.get_ylim()[1]
        last = float(epochs[-1]) if len(epochs) else 0.0
        finite = np.concatenate([train, test])
        finite = finite[np.isfinite(finite)]
        highest = float(finite.max()) if len(finite) else 0.0
        new_right = right if last <= right and (right <= 10 or last > right / 4) else max(10, 1.3 * last)
        new_top = top if highest <= top and (top <= 1.2 or highest > top / 3) else max(1.2, 1.15 * highest)
        new_top = min(new_top, self.TOP)
        scale = "symlog" if new_right > 150 else "linear"
        changed = (new_right, new_top) != (right, top) or scale != ax.get_xscale()
        if changed:
            if scale != ax.get_xscale():
                if scale == "symlog":
                    from matplotlib.ticker import FuncFormatter

                    ax.set_xscale("symlog", linthresh=1.0, linscale=0.6)
                    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
                    ax.set_xlabel("epoch (log scale past 1)")
                else:
                    ax.set_xscale("linear")
                    ax.set_xlabel("epoch")
            ax.set_xlim(0, new_right)
            ax.set_ylim(0, new_top)
        return changed


def plot_playground(pg: Playground, *, selected: str | None = None):
    """The widget's three pictures as one static figure: the network with a heatmap per
    neuron, the decision boundary with the training and test points, and the loss curves."""
    import matplotlib.pyplot as plt

    if not isinstance(pg, Playground):
        raise SettingTypeError(f"plot_playground needs a Playground, got {_describe(pg)}")
    # made by pyplot and closed at once, as viz's plots are: Jupyter shows it once
    fig, axes = plt.subplots(1, 3, figsize=(12.5, 3.7), dpi=80, layout="constrained",
                             gridspec_kw={"width_ratios": [1.55, 1, 1.1]})
    plt.close(fig)
    _NetworkPanel(axes[0]).update(pg, selected)
    axes[0].set_title(_network_title(pg), fontsize=10)
    _BoundaryPanel(axes[1]).update(pg)
    axes[1].set_title(f"Decision boundary: {_accuracy_line(pg)}", fontsize=10)
    _LossPanel(axes[2]).update(pg)
    axes[2].set_title(f"Loss after {pg.epoch} epochs", fontsize=10)
    return fig


def _network_title(pg: Playground) -> str:
    net = " → ".join(map(str, pg.sizes))
    return f"Network {net} ({pg.activation}); blue +, orange −"


def _accuracy_line(pg: Playground) -> str:
    return f"train {100 * pg.train_accuracy:.0f}%, test {100 * pg.test_accuracy:.0f}%"


# ====================================================================== the widget

_LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_NO_REGULARIZATION = "none"
# Play's pace: how much training each picture shows (None: as many steps as the machine
# takes between two pictures)
PACES = {"1 step a picture": ("steps", 1), "1 epoch a picture": ("epochs", 1),
         "3 epochs a picture": ("epochs", 3), "10 epochs a picture": ("epochs", 10),
         "as fast as it goes": None}
_STEP_TIMES = 25  # the status line's step time: the median of this many last steps


class _LivePanel:
    """A panel in a `viz.LiveFigure` of its own: redrawn in place, only what moves."""

    def __init__(self, panel_class, figsize: tuple[float, float]) -> None:
        from . import viz

        self.figsize = figsize
        self.figure_ = viz.LiveFigure(figsize=figsize)
        if panel_class is _NetworkPanel:
            # the drawing has no ticks or labels outside its axes: it takes the whole
            # figure (the live figure's margins for tick labels would only shrink it)
            self.figure_.figure.tight_layout = lambda *args, **kwargs: None
            self.figure_.ax.set_position([0.0, 0.0, 1.0, 1.0])
        self.panel = panel_class(self.figure_.ax)
        self.marked: list = []

    @property
    def redraws(self) -> int:
        return self.figure_.redraws

    def png(self, *args) -> bytes:
        """Update the panel from `args`, then the picture as PNG bytes."""
        changed = self.panel.update(*args)
        moving = list(self.panel.moving)
        if changed or moving != self.marked:
            live = self.figure_
            live._moving, live._slow = [], []
            live.mark_moving(*moving)
            live.restyle()
            self.marked = moving
        return self.figure_.png()


def _slider_style() -> dict:
    return {"description_width": "94px"}


def playground(*, steps_per_tick_seconds: float = 0.04, redraw_interval: int = 120,
               pace: str = "1 epoch a picture", **settings):
    """TensorFlow Playground in the notebook, on the course's engines: a `Lab` widget.

    `settings` are the starting settings, as `Playground(...)` takes them. Play trains
    until you press pause (❚❚) or stop (■, which also goes back to this run's starting
    weights): the kernel runs steps for about `steps_per_tick_seconds` at a time, then
    lets the page's clicks through, and redraws the pictures at most every
    `redraw_interval` milliseconds (always when it pauses). `pace` (one of PACES, a
    control too) is how much training each picture shows: "1 epoch a picture" lets you
    watch the boundary form; "as fast as it goes" trains as many steps as fit between two
    pictures. Reset starts again from the next weight seed (shown beside it). Changing the data or the
    network starts again from new weights (as in TensorFlow Playground); the learning
    rate, batch size, regularisation and engine apply from the next step on.

    Attributes: `playground` (the `Playground` it drives), `controls` (every control by
    name), `status`, `seed_text`, `weight_seed_text` and `notes` (HTML), `neuron_info` (HTML:
    the chosen neuron's weights and gradients), `network_image`, `boundary_image`, `loss_image` (Image widgets),
    `network_plot`, `boundary_plot`, `loss_plot` (their live figures, which count their
    `redraws`), `run_steps(n)` (n steps as Play takes them, for scripts and tests),
    `rate` (steps per second and redraws per second over the last run of Play, or the
    current one while it plays), `alert` (HTML: why training stopped, if it did) and
    `diverged` (that OverflowError, or None).
    """
    import asyncio

    import ipywidgets as W

    from .widgets import _PLAYING, Lab

    for name, value in (("steps_per_tick_seconds", steps_per_tick_seconds),
                        ("redraw_interval", redraw_interval)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
            raise SettingError(f"{name} must be a number >= 0, got {value!r}")
    _choice(pace, "pace", tuple(PACES))
    pg = Playground(**settings)
    lab = Lab(static_text="Playground: choose a data set, the input features, the hidden layers "
                          "and their neurons, the activation, learning rate, batch size and "
                          "regularisation, then Play; the network with a heatmap per neuron, the "
                          "decision boundary and the training and test loss follow.")
    lab.add_class("bpl-playground")
    lab.playground = pg
    s = _slider_style()
    def narrow() -> W.Layout:  # one each: a layout shared by two widgets hides both
        return W.Layout(width="258px")

    # ---- controls
    c = {}
    c["dataset"] = W.Dropdown(options=list(DATASETS), value=pg.dataset, description="data set",
                              style=s, layout=narrow())
    c["noise"] = W.FloatSlider(min=0.0, max=LIMITS["noise"][1], step=0.01, value=pg.noise,
                               description="noise", continuous_update=False, style=s,
                               layout=narrow())
    c["points"] = W.IntSlider(min=20, max=1000, step=10, value=pg.points, description="points",
                              continuous_update=False, style=s, layout=narrow())
    c["test_percent"] = W.IntSlider(min=10, max=90, step=5, value=round(100 * pg.test_fraction),
                                    description="test %", continuous_update=False, style=s,
                                    layout=narrow())
    c["regenerate"] = W.Button(description="Regenerate", icon="refresh",
                               tooltip="new points from the next seed",
                               layout=W.Layout(width="118px", min_width="118px"))
    lab.seed_text = seed_text = W.HTML()
    c["features"] = {f: W.ToggleButton(value=f in pg.features, description=FEATURE_LABELS[f],
                                       tooltip=f"feed {FEATURE_LABELS[f]} to the network",
                                       layout=W.Layout(width="58px"))
                     for f in FEATURES}
    c["hidden_layers"] = W.IntSlider(min=0, max=LIMITS["hidden_layers"][1], value=len(pg.hidden),
                                     description="hidden layers", continuous_update=False,
                                     style=s, layout=narrow())
    # neurons per hidden layer: a box each, 1 to 8 (anything else is brought back into the
    # range, with a note saying so)
    c["neurons"] = [W.IntText(value=pg.hidden[i] if i < len(pg.hidden) else 4,
                                     tooltip=f"neurons in hidden layer {i + 1} (1 to 8)",
                                     layout=W.Layout(width="46px"))
                    for i in range(LIMITS["hidden_layers"][1])]
    c["activation"] = W.Dropdown(options=list(ACTIVATIONS), value=pg.activation,
                                 description="activation", style=s, layout=narrow())
    # dropdowns, as in TensorFlow Playground: what is read out is the rate itself
    c["learning_rate"] = W.Dropdown(options=_rates(_LEARNING_RATES, pg.learning_rate),
                                    value=pg.learning_rate, description="learning rate",
                                    style=s, layout=narrow())
    c["batch_size"] = W.IntSlider(min=1, max=len(pg.y_train), value=pg.batch_size,
                                  description="batch size", continuous_update=False, style=s,
                                  layout=narrow())
    c["regularization"] = W.Dropdown(options=[_NO_REGULARIZATION, "L1", "L2"],
                                     value=pg.regularization or _NO_REGULARIZATION,
                                     description="L1 / L2", style=s, layout=narrow())
    c["regularization_rate"] = W.Dropdown(
        options=_rates(_REGULARIZATION_RATES, pg.regularization_rate),
        value=pg.regularization_rate, description="L1 / L2 rate", style=s, layout=narrow())
    c["pace"] = W.Dropdown(options=list(PACES), value=pace, description="pace", style=s,
                           layout=narrow(),
                           tooltip="how much training each picture shows while it plays")
    c["engine"] = W.ToggleButtons(options=list(ENGINES), value=pg.engine, description="engine",
                                  style={"description_width": "50px", "button_width": "62px"},
                                  tooltips=["backproplab.tensor: one numpy array per layer",
                                            "backproplab.engine: one Value per number"])
    # Play is the play / pause / stop buttons; its own ticks are not used (see
    # training_dashboard). Its value stays 1: stop (■) sets it to 0, which is how the
    # kernel tells stop from pause
    c["play"] = W.Play(min=0, max=10**9, value=1, interval=86_400_000, description="Play",
                       show_repeat=False,
                       tooltip="▶ train, ❚❚ pause, ■ stop and go back to this run's starting "
                               "weights")
    c["step"] = W.Button(description="Step", icon="step-forward", tooltip="one training step",
                         layout=W.Layout(width="90px"))
    c["reset"] = W.Button(description="Reset", icon="undo",
                          tooltip="start again from new weights: the next weight seed",
                          layout=W.Layout(width="90px"))
    lab.weight_seed_text = W.HTML()
    c["neuron"] = W.Dropdown(options=pg.neuron_names(), value="output", description="neuron",
                             style={"description_width": "50px"}, layout=W.Layout(width="100%"))
    lab.controls = c
    lab.status = W.HTML()
    lab.notes = W.HTML()
    lab.alert = W.HTML()
    lab.neuron_info = W.HTML(layout=W.Layout(width="100%"))
    lab.network_plot = _LivePanel(_NetworkPanel, _network_figsize(pg))
    # small figures, shown near their own size: their text stays readable on a laptop
    lab.boundary_plot = _LivePanel(_BoundaryPanel, (3.0, 3.0))
    lab.loss_plot = _LivePanel(_LossPanel, (3.0, 3.0))
    picture = W.Layout(width="auto", height="auto", max_width="100%", object_fit="contain")
    lab.network_image = W.Image(format="png", layout=picture)
    lab.boundary_image = W.Image(format="png", layout=picture)
    lab.loss_image = W.Image(format="png", layout=picture)
    lab.rate = {"steps_per_second": math.nan, "redraws_per_second": math.nan}
    state = {"syncing": False, "timer": None, "drawn_at": -math.inf, "run": None, "notes": [],
             "goal": None, "step_times": []}

    # ---- what the page shows

    def note(sentence: str) -> None:
        state["notes"].append(sentence)

    def show_notes() -> None:
        lab.notes.value = "".join(
            f'<div style="color:#8a4b00; margin:2px 0">{_escape(n)}</div>' for n in state["notes"])
        state["notes"] = []

    def show_alert(err: Exception | None) -> None:
        lab.diverged = err
        lab.alert.value = ("" if err is None else
                           '<div style="color:#b71c1c; margin:2px 0">'
                           f"{_escape(str(err)[0].upper() + str(err)[1:])}.</div>")

    def current_rate() -> dict:
        run = state["run"]
        if run is not None and run["steps"]:
            seconds = time.perf_counter() - run["started"]
            return {"steps_per_second": run["steps"] / seconds,
                    "redraws_per_second": run["redraws"] / seconds}
        return lab.rate

    def show_status() -> None:
        p = lab.playground
        if p.steps:
            times = state["step_times"][-_STEP_TIMES:]
            ms = 1000 * float(np.median(times)) if times else 1000 * p.step_seconds
            text = (f"<b>epoch {p.epoch}</b> (step {p.steps}) &nbsp; loss: training "
                    f"{_loss_text(p.history['train_loss'][-1])}, test "
                    f"{_loss_text(p.history['test_loss'][-1])}"
                    f" &nbsp; accuracy: training {100 * p.history['train_accuracy'][-1]:.0f}%, "
                    f"test {100 * p.history['test_accuracy'][-1]:.0f}%<br>"
                    f"<span style='color:#555'>{ms:.2f} ms a step ({p.engine} engine, the "
                    f"median of the last {len(times) or 1})")
            rate = current_rate()
            if math.isfinite(rate["steps_per_second"]):
                which = "this run" if state["run"] is not None else "last run"
                text += (f" &nbsp; {which}: {rate['steps_per_second']:.0f} steps/s, pictures "
                         f"{rate['redraws_per_second']:.1f}/s")
            text += "</span>"
        else:
            text = (f"<b>epoch 0</b> (step 0) &nbsp; accuracy: training "
                    f"{100 * p.train_accuracy:.0f}%, test {100 * p.test_accuracy:.0f}% &nbsp; "
                    "press ▶ or Step to train (▶ turns into ❚❚, pause; ■ stops and goes back "
                    "to the start)")
        lab.status.value = text
        seed_text.value = (f"data seed <b>{p.data_seed}</b><br>{len(p.y_train)} train, "
                           f"{len(p.y_test)} test")
        lab.weight_seed_text.value = f"weight seed <b>{p.seed}</b>"

    def show_neuron() -> None:
        p = lab.playground
        names = p.neuron_names()
        chosen = c["neuron"].value if c["neuron"].value in names else "output"
        index = names.index(chosen)
        column, row = _column_and_row(p.hidden, index)
        info = p.neuron(column, row)
        # one row per input (and the bias): a narrow table that fits beside the pictures
        grads = info["weight_grads"]
        rows = []
        for k, (source, w) in enumerate(zip(info["inputs"], info["weights"])):
            short = source.replace("neuron ", "n").replace(" of layer ", " of L")
            colour = _BLUE if w >= 0 else _ORANGE
            gradient = _signed(grads[k], 4) if grads is not None else "–"
            rows.append(f"<tr><th title='from {_escape(source)}' style='text-align:left'>"
                        f"{_escape(short)}</th><td style='color:{colour}'>{_signed(w, 3)}</td>"
                        f"<td>{gradient}</td></tr>")
        gradient = _signed(info["bias_grad"], 4) if info["bias_grad"] is not None else "–"
        rows.append(f"<tr><th style='text-align:left'>bias</th><td>{_signed(info['bias'], 3)}"
                    f"</td><td>{gradient}</td></tr>")
        when = f"at step {p.steps}" if p.steps else "(no step yet)"
        lab.neuron_info.value = (
            f"<div style='font-size:12px; line-height:1.25'><b>{_escape(info['name'])}</b>: its "
            f"incoming weights, and their gradients d(loss)/d(weight) {when}"
            "<table style='font-family:monospace; font-size:11px; border-spacing:8px 0; "
            "text-align:right'>"
            "<tr><th style='text-align:left'>from</th><th>weight</th><th>gradient</th></tr>"
            f"{''.join(rows)}</table></div>")

    def redraw() -> None:
        state["drawn_at"] = time.perf_counter()
        p = lab.playground
        show_status()
        show_neuron()
        size = _network_figsize(p)
        if lab.network_plot.figsize != size:  # a taller drawing for layers of 6 or more
            lab.network_plot = _LivePanel(_NetworkPanel, size)
        lab.network_image.value = lab.network_plot.png(p, c["neuron"].value)
        lab.boundary_image.value = lab.boundary_plot.png(p)
        lab.loss_image.value = lab.loss_plot.png(p)

    # ---- settings from the controls

    def sync(fn) -> None:
        """Set controls from the kernel without their observers acting on it."""
        state["syncing"] = True
        try:
            fn()
        finally:
            state["syncing"] = False

    def show_layer_sliders() -> None:
        for i, slider in enumerate(c["neurons"]):
            slider.layout.display = "" if i < c["hidden_layers"].value else "none"

    def after_network_change() -> None:
        names = lab.playground.neuron_names()
        keep = c["neuron"].value if c["neuron"].value in names else "output"
        sync(lambda: (setattr(c["neuron"], "options", names), setattr(c["neuron"], "value", keep)))

    def neurons_in_range() -> list[int]:
        low, high = LIMITS["neurons"]
        hidden = []
        for i, box in enumerate(c["neurons"][:c["hidden_layers"].value]):
            n = box.value
            if not low <= n <= high:
                kept = min(max(n, low), high)
                note(f"Hidden layer {i + 1} can have {low} to {high} neurons: {n} became {kept}.")
                sync(lambda: setattr(box, "value", kept))
                n = kept
            hidden.append(n)
        return hidden

    def apply(change=None) -> None:
        if state["syncing"]:
            return
        p = lab.playground
        features = [f for f, button in c["features"].items() if button.value]
        if not features:
            first = next(f for f in p.features)
            sync(lambda: setattr(c["features"][first], "value", True))
            features = [first]
            note(f"The network needs at least one input feature, so {FEATURE_LABELS[first]} "
                 "stays on.")
        show_layer_sliders()
        hidden = neurons_in_range()
        points = c["points"].value
        test_fraction = c["test_percent"].value / 100
        n_train = points - int(round(points * test_fraction))
        batch = c["batch_size"].value
        if batch > n_train:
            note(f"The batch size went down from {batch} to {n_train}: a batch cannot hold more "
                 f"than the {n_train} training points.")
            batch = n_train
        regularization = c["regularization"].value
        if regularization != _NO_REGULARIZATION and c["regularization_rate"].value == 0:
            note(f"{regularization} with a rate of 0 changes nothing: choose a rate above 0.")
        if c["engine"].value == "scalar" and p.engine != "scalar":
            values = batch * (p.parameter_count + sum(hidden) + 1) * 3
            note(f"The scalar engine builds about {values:,} Values a step here, one per "
                 "number; watch the step time.")
        if p.set(dataset=c["dataset"].value, noise=c["noise"].value, points=points,
                 test_fraction=test_fraction, features=features, hidden=hidden,
                 activation=c["activation"].value, learning_rate=c["learning_rate"].value,
                 batch_size=batch,
                 regularization=None if regularization == _NO_REGULARIZATION else regularization,
                 regularization_rate=c["regularization_rate"].value, engine=c["engine"].value):
            started_again()
        if c["engine"].value != state.get("engine"):
            state["step_times"] = []  # the other engine's step times say nothing of this one
            state["engine"] = c["engine"].value

        def limits():
            c["batch_size"].max = len(p.y_train)
            c["batch_size"].value = p.batch_size
        sync(limits)
        after_network_change()
        show_notes()
        redraw()

    def on_dataset(change) -> None:
        if state["syncing"]:
            return
        # each data set has a noise that suits it
        sync(lambda: setattr(c["noise"], "value", DATASETS[change["new"]][1]))
        apply()

    def on_regenerate(_button) -> None:
        lab.playground.regenerate()
        started_again()
        after_network_change()
        redraw()

    # ---- training: Play on the kernel's own clock, as the training dashboard does

    def started_again() -> None:
        """The network starts again (new data, network or weights): no goal, no alert."""
        state["goal"] = None
        state["step_times"] = []
        show_alert(None)

    def one_step() -> None:
        p = lab.playground
        p.step()
        state["step_times"] = state["step_times"][-(_STEP_TIMES - 1):] + [p.step_seconds]
        if state["run"] is not None:
            state["run"]["steps"] += 1

    def cancel_timer() -> None:
        if state["timer"] is not None:
            state["timer"].cancel()
            state["timer"] = None

    def picture() -> None:
        redraw()
        if state["run"] is not None:
            state["run"]["redraws"] += 1

    def steps_for_a_while() -> float:
        """Train for a tick; returns how long to wait (seconds) before the next tick."""
        started = time.perf_counter()
        pace = PACES[c["pace"].value]
        p = lab.playground
        if pace is None:  # as fast as it goes
            while time.perf_counter() - started < steps_per_tick_seconds:
                one_step()
            if (time.perf_counter() - state["drawn_at"]) * 1000 >= redraw_interval:
                picture()
            return 0.001
        kind, amount = pace
        counter = (lambda: p.epoch) if kind == "epochs" else (lambda: p.steps)
        if state["goal"] is None or state["goal"][0] != (kind, amount):
            state["goal"] = ((kind, amount), counter() + amount)
        goal = state["goal"][1]
        while counter() < goal and time.perf_counter() - started < steps_per_tick_seconds:
            one_step()
        if counter() < goal:
            return 0.001  # more of this picture's training next tick
        due = redraw_interval / 1000 - (time.perf_counter() - state["drawn_at"])
        if due > 0:
            return due  # this picture's training is done; its picture comes on time
        picture()
        state["goal"] = ((kind, amount), counter() + amount)
        return 0.001

    def diverged(err: Exception) -> None:
        """Training went past a float's range: pause, keep the last good weights, say why."""
        setattr(c["play"], _PLAYING, False)
        show_alert(err)
        redraw()

    def tick() -> None:
        state["timer"] = None
        if not getattr(c["play"], _PLAYING):
            return
        try:
            wait = steps_for_a_while()
        except OverflowError as err:
            diverged(err)
            return
        except Exception:
            setattr(c["play"], _PLAYING, False)  # an error stops the run; `errors` shows it
            raise
        state["timer"] = state["loop"].call_later(wait, lab._guarded(tick))

    def finish_run() -> None:
        run = state["run"]
        if run is not None and run["steps"]:
            lab.rate = current_rate()
        state["run"] = None

    def on_playing(change) -> None:
        cancel_timer()
        if not change["new"]:  # paused or stopped: a picture of where it is
            finish_run()
            redraw()
            return
        show_alert(None)
        state["goal"] = None
        state["run"] = {"started": time.perf_counter(), "steps": 0, "redraws": 0}
        try:
            state["loop"] = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain script): nothing would run the ticks
            setattr(c["play"], _PLAYING, False)
            raise RuntimeError("Play needs a running Jupyter kernel; in a script, call "
                               "run_steps(n) instead") from None
        state["timer"] = state["loop"].call_soon(lab._guarded(tick))

    def on_stop(change) -> None:
        """■ sets Play's value to 0: stop, and go back to this run's starting weights."""
        if change["new"] != 0:
            return
        setattr(c["play"], _PLAYING, False)
        sync(lambda: setattr(c["play"], "value", 1))
        lab.playground.reset()
        started_again()
        redraw()

    def on_step(_button) -> None:
        setattr(c["play"], _PLAYING, False)
        try:
            one_step()
        except OverflowError as err:
            diverged(err)
            return
        redraw()

    def on_reset(_button) -> None:
        setattr(c["play"], _PLAYING, False)
        p = lab.playground
        p.set(seed=(p.seed + 1) % 2**32)  # the next weight seed: new starting weights
        lab.rate = {"steps_per_second": math.nan, "redraws_per_second": math.nan}
        started_again()
        redraw()

    def run_steps(count: int) -> None:
        """Take `count` steps as Play does (pictures redrawn when due), then redraw."""
        count = _whole(count, "count", 0, 10**7)
        state["run"] = {"started": time.perf_counter(), "steps": 0, "redraws": 0}
        try:
            for _ in range(count):
                one_step()
                if (time.perf_counter() - state["drawn_at"]) * 1000 >= redraw_interval:
                    picture()
        except OverflowError as err:
            finish_run()
            diverged(err)
            return
        finish_run()
        redraw()

    lab.run_steps = run_steps
    lab.diverged = None
    lab._refresh = redraw
    guarded = lab._guarded
    for name in ("noise", "points", "test_percent", "hidden_layers", "activation",
                 "learning_rate", "batch_size", "regularization", "regularization_rate", "engine"):
        c[name].observe(guarded(apply), names="value")
    for widget in [*c["features"].values(), *c["neurons"]]:
        widget.observe(guarded(apply), names="value")
    c["dataset"].observe(guarded(on_dataset), names="value")
    c["neuron"].observe(guarded(lambda change: None if state["syncing"] else redraw()),
                        names="value")
    c["regenerate"].on_click(guarded(on_regenerate))
    c["play"].observe(guarded(on_playing), names=_PLAYING)
    c["play"].observe(guarded(lambda change: None if state["syncing"] else on_stop(change)),
                      names="value")
    c["step"].on_click(guarded(on_step))
    c["reset"].on_click(guarded(on_reset))
    state["engine"] = c["engine"].value
    show_layer_sliders()

    def column(title: str, *children) -> W.VBox:
        return W.VBox([W.HTML(f"<b>{title}</b>"), *children],
                      layout=W.Layout(width="266px", margin="0 4px 0 0"))

    lab.children = [
        W.HBox([
            column("Data", c["dataset"], c["noise"], c["points"], c["test_percent"],
                   W.HBox([c["regenerate"], seed_text])),
            column("Network", W.GridBox(list(c["features"].values()),
                                        layout=W.Layout(grid_template_columns="repeat(4, 62px)",
                                                        grid_gap="2px")),
                   c["activation"], c["hidden_layers"],
                   W.HBox([W.Label("neurons", layout=W.Layout(width="98px")), *c["neurons"]])),
            column("Training", c["learning_rate"], c["batch_size"], c["regularization"],
                   c["regularization_rate"], c["pace"]),
        ], layout=W.Layout(flex_flow="row wrap")),
        W.HBox([c["play"], c["step"], c["reset"], lab.weight_seed_text, c["engine"]],
               layout=W.Layout(flex_flow="row wrap", align_items="center", grid_gap="6px")),
        lab.status,
        lab.notes,
        lab.alert,
        lab.errors,
        # the pictures and, beside them, the chosen neuron's table: one grid, which
        # never wraps (the pictures shrink instead)
        W.GridBox([lab.network_image, lab.boundary_image, lab.loss_image,
                   W.VBox([c["neuron"], lab.neuron_info])],
                  layout=W.Layout(grid_template_columns="minmax(0, 1.6fr) minmax(0, 1fr) "
                                                        "minmax(0, 1fr) 190px",
                                  grid_gap="6px", max_width="1100px",
                                  align_items="flex-start")),
    ]
    lab.refresh()
    return lab


def _with(options: Sequence[float], value: float) -> list[float]:
    """The options of a selection slider, with `value` among them."""
    return sorted(set(options) | {float(value)})


def _network_figsize(pg: Playground) -> tuple[float, float]:
    """The network drawing's size: taller for a layer of 6 or more neurons, so that each
    heatmap keeps its size and a gap around it."""
    return (5.0, 3.0) if max(pg.sizes) <= 5 else (5.0, 4.0)


def _loss_text(x: float) -> str:
    """A loss for the status line: 0.123, or 2.27e+245 for a run on its way to overflow."""
    return f"{x:.3f}" if abs(x) < 1000 else f"{x:.2e}"


def _signed(x: float, digits: int) -> str:
    """`x` with its sign and `digits` decimals, +0.000 (never -0.000) for what rounds to 0."""
    text = f"{x:+.{digits}f}"
    return "+" + text[1:] if float(text) == 0 else text


def _rates(options: Sequence[float], value: float) -> list[tuple[str, float]]:
    """A rate dropdown's (label, value) options, with `value` among them."""
    return [(f"{r:g}", r) for r in _with(options, value)]


def _escape(text: str) -> str:
    import html

    return html.escape(text)
