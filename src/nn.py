"""Neurons, layers and multi-layer perceptrons built from `Value`s.

The names and call shapes follow micrograd's `nn.py` (`MLP(nin, nouts)`, calling a
module on a list of inputs, `parameters()`, `zero_grad()`), so code moves freely between
this course and the micrograd lecture.

One surprise, kept from micrograd: a `Layer` of a single neuron returns a bare `Value`
rather than a list of one, so `MLP(3, [4, 4, 1])(x)` is a number you can put in a loss.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .engine import Value, _describe, _weighted_sum, weighted_sum

__all__ = ["Module", "Neuron", "Layer", "MLP", "ACTIVATIONS"]

# the nonlinearities a neuron can apply to its weighted sum ("linear" applies none)
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _check_size(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be a whole number, got {type(n).__name__} {n!r}")
    if n < 1:
        raise ValueError(f"{what} must be at least 1, got {n}")
    return n


def _check_activation(activation: object) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    return activation  # type: ignore[return-value]


def _make_rng(seed: int | random.Random) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(
            f"seed must be an int or a random.Random, got {type(seed).__name__} {seed!r}"
        )
    return random.Random(seed)


class Module:
    """Anything with parameters: it can list them and reset their gradients."""

    def parameters(self) -> list[Value]:
        """Every trainable Value in this module, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's gradient back to 0 before the next backward pass."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """activation(w . x + b): a weighted sum of the inputs, plus a bias, squashed."""

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        seed: int | random.Random = 0,
        fused: bool = False,
    ) -> None:
        self.nin = _check_size(nin, "the number of inputs (nin)")
        self.activation = _check_activation(activation)
        rng = _make_rng(seed)
        # micrograd's initialisation: weights uniform in [-1, 1], bias 0
        self.w = [Value(rng.uniform(-1, 1), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.0, label="b")
        # fused: the weighted sum is one node ("w·x+b") instead of a chain of * and +;
        # the same numbers and gradients, a smaller graph, faster training
        self.fused = bool(fused)

    def __call__(self, x: Sequence[Value | float]) -> Value:
        if type(x) is not list:  # a list, the usual case, needs no conversion
            x = self._as_list(x)
        if len(x) != self.nin:
            raise ValueError(
                f"this neuron expects {self.nin} inputs, got {len(x)}"
            )
        if self.fused:
            act = weighted_sum(self.w, x, self.b)
        else:
            # the same graph as micrograd's sum(...): ((b + w0*x0) + w1*x1) + ...
            act = self.b
            for wi, xi in zip(self.w, x):
                act = act + wi * xi
        if self.activation == "tanh":
            return act.tanh()
        if self.activation == "relu":
            return act.relu()
        if self.activation == "sigmoid":
            return act.sigmoid()
        return act

    def _as_list(self, x: object) -> list:
        """Inputs given as a tuple or a numpy row, as a list; anything else is an error."""
        if hasattr(x, "tolist") and not isinstance(x, Value):
            x = x.tolist()  # a numpy row such as X[0] becomes a list of floats
        if isinstance(x, (Value, str, bytes)) or not isinstance(x, Sequence):
            raise TypeError(
                f"a neuron takes a list of {self.nin} inputs, got {_describe(x)}"
            )
        return list(x)

    def parameters(self) -> list[Value]:
        """The weights, then the bias (micrograd's order)."""
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """`nout` neurons that all read the same inputs."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        seed: int | random.Random = 0,
        fused: bool = False,
    ) -> None:
        _check_size(nin, "the number of inputs (nin)")
        _check_size(nout, "the number of neurons (nout)")
        rng = _make_rng(seed)
        self.neurons = [Neuron(nin, activation, rng, fused) for _ in range(nout)]
        self.fused = bool(fused)  # set for the whole layer

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        if self.fused:  # the same outputs as the else: branch, only faster
            outs = self._fused_outputs(x)
        else:
            outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def _fused_outputs(self, x: Sequence[Value | float]) -> list[Value]:
        """Every neuron's output, with the inputs checked once for all of them.

        The same graph, numbers and gradients as calling each neuron in turn, only
        faster: each neuron would check the same inputs again.
        """
        xs = x if type(x) is list else self.neurons[0]._as_list(x)
        if len(xs) != self.neurons[0].nin or not all(isinstance(v, Value) for v in xs):
            # a wrong length, or plain numbers (each neuron makes constants of its own
            # from them): the neurons deal with those themselves
            return [n(x) for n in self.neurons]
        outs = []
        try:
            for n in self.neurons:
                act = _weighted_sum(n.w, xs, n.b)
                outs.append(act if n.activation == "linear" else getattr(act, n.activation)())
        except (AttributeError, TypeError):  # a weight changed to something else
            return [n(x) for n in self.neurons]  # each neuron says what is wrong
        return outs

    def parameters(self) -> list[Value]:
        """Each neuron's parameters in turn."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        n = self.neurons[0]
        return f"Layer({n.nin} -> {len(self.neurons)}, activation={n.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers applied one after another.

    `MLP(3, [4, 4, 1])` reads 3 inputs, has two hidden layers of 4 neurons and one
    output neuron. `activation` is used in every layer except the last, which uses
    `output_activation` (by default the same): micrograd's moons demo is
    `MLP(2, [16, 16, 1], activation="relu", output_activation="linear")`.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        seed: int | random.Random = 0,
        fused: bool = False,
    ) -> None:
        _check_size(nin, "the number of inputs (nin)")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence):
            raise TypeError(
                f"nouts must be a list of layer sizes such as [4, 4, 1], "
                f"got {type(nouts).__name__} {nouts!r}"
            )
        if len(nouts) == 0:
            raise ValueError("nouts must list at least one layer size, e.g. [4, 4, 1]; got []")
        for i, n in enumerate(nouts):
            _check_size(n, f"layer {i}'s size (nouts[{i}])")
        _check_activation(activation)
        last = activation if output_activation is None else _check_activation(output_activation)
        rng = _make_rng(seed)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation if i < len(nouts) - 1 else last,
                rng,
                fused,
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
            if isinstance(x, Value):
                x = [x]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        """Each layer's parameters in turn."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return "MLP([" + ", ".join(repr(layer) for layer in self.layers) + "])"
