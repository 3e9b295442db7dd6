"""TensorFlow Playground's experiments on the course's own engines: notebook 09.

Two layers, so that the training can be tested (and scripted) without a browser:

- `Playground`, a plain class: a data set (moons, circles, xor, spiral, two Gaussians,
  from `data.py`), split into training and test points; the input features; a network of
  0-4 hidden layers of 1-8 neurons; and mini-batch gradient descent on it, one `step()`
  at a time, with the tensor engine (`backproplab.tensor`, the default) or the scalar
  engine (`backproplab.engine` and `nn`). Every setting is checked, with one sentence
  saying what is accepted. The same settings and seeds give the same run.
- `playground(...)`, the widget (a `widgets.Lab`) that drives one: controls for every
  setting, Play / Step / Reset, and the pictures (`plot_playground` draws the same
  pictures as one static figure).

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
    "spiral": (lambda n, noise, seed: _data.make_spiral(n, noise, seed), 0.05, 2.8),
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


def _describe(x: object) -> str:
    text = repr(x)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(x).__name__} {text}"


def _whole(x: object, what: str, low: int, high: int) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{what} must be a whole number from {low} to {high}, got {_describe(x)}")
    if not low <= x <= high:
        raise ValueError(f"{what} must be from {low} to {high}, got {x}")
    return int(x)


def _real(x: object, what: str, low: float, high: float, open_low: bool = False) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a number from {low:g} to {high:g}, got {_describe(x)}")
    value = float(x)
    if not (low < value if open_low else low <= value) or not value <= high:
        raise ValueError(f"{what} must be from {low:g} to {high:g}, got {x!r}")
    return value


def _choice(x: object, what: str, options: Sequence) -> object:
    if not any(x is o or (isinstance(x, str) and x == o) for o in options):
        raise ValueError(f"{what} must be one of {', '.join(map(repr, options))}, got {_describe(x)}")
    return x


def _check_hidden(hidden: object) -> list[int]:
    low, high = LIMITS["hidden_layers"]
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, (Sequence, np.ndarray)):
        raise TypeError(f"hidden must be a list of layer sizes such as [4, 2] ([] for no hidden "
                        f"layer), got {_describe(hidden)}")
    if len(hidden) > high:
        raise ValueError(f"hidden may list at most {high} layers, got {len(hidden)}: {list(hidden)}")
    n_low, n_high = LIMITS["neurons"]
    return [_whole(n, f"hidden layer {i + 1}'s number of neurons", n_low, n_high)
            for i, n in enumerate(hidden)]


def _check_features(features: object) -> tuple[str, ...]:
    if isinstance(features, str):
        features = (features,)
    if not isinstance(features, (Sequence, set, frozenset)):
        raise TypeError(f"features must be a list of feature names from {', '.join(FEATURES)}, "
                        f"got {_describe(features)}")
    chosen = list(features)
    unknown = [f for f in chosen if f not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r}; the features are {', '.join(FEATURES)}")
    if not chosen:
        raise ValueError("choose at least one input feature (the network needs something to read), "
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
                 features: Sequence[str] = ("x1", "x2"), hidden: Sequence[int] = (4, 2),
                 activation: str = "tanh", learning_rate: float = 0.03, batch_size: int = 10,
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
        rate, batch size, regularisation and engine apply from the next step on.
        """
        known = self.DATA_SETTINGS + self.NETWORK_SETTINGS + self.TRAINING_SETTINGS
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise TypeError(f"unknown setting {unknown[0]!r}; the settings are {', '.join(known)}")
        new = dict(self._settings)
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
            raise ValueError(f"batch_size {batch} is larger than the {n_train} training points; "
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
        loss, weight_grads, bias_grads = self.loss_and_gradients(batch)
        lr = self.learning_rate
        new_weights = [W - lr * g for W, g in zip(self.weights, weight_grads)]
        new_biases = [b - lr * g for b, g in zip(self.biases, bias_grads)]
        if not all(np.isfinite(a).all() for a in new_weights + new_biases):
            raise OverflowError(
                f"training diverged at step {self.steps + 1}: a weight became too large for a "
                f"float; the learning rate {lr:g} is too large for this network (lower it and "
                "press Reset)")
        self.weights, self.biases = new_weights, new_biases
        self.weight_grads, self.bias_grads = weight_grads, bias_grads
        self.steps += 1
        self.step_seconds = time.perf_counter() - started
        self._record()
        return loss

    def _record(self) -> None:
        train_loss, train_accuracy = self._evaluate(self._F_train, self._Y_train)
        test_loss, test_accuracy = self._evaluate(self._F_test, self._Y_test)
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

