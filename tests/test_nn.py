"""Tests for Neuron, Layer and MLP (`backproplab.nn`)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from backproplab.data import make_moons
from backproplab.engine import Value, topological_order
from backproplab.nn import MLP, Layer, Module, Neuron


def moons_demo_loss(model, X, y):
    """micrograd's demo loss: mean hinge loss + 1e-4 * sum of squared parameters."""
    scores = [model(list(map(Value, row))) for row in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    accuracy = sum((yi > 0) == (si.data > 0) for yi, si in zip(y, scores)) / len(y)
    return data_loss + reg_loss, accuracy


def train_step(model, X, y, k, steps=100):
    loss, accuracy = moons_demo_loss(model, X, y)
    model.zero_grad()
    loss.backward()
    learning_rate = 1.0 - 0.9 * k / steps
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return loss.data, accuracy


def moons():
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    return X.tolist(), (y * 2 - 1).tolist()


def demo_model(fused, seed=0):
    return MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=seed, fused=fused)


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize(
    "module, count",
    [
        (Neuron(3), 4),
        (Layer(3, 4), 16),
        (MLP(3, [4, 4, 1]), 41),
        (MLP(2, [16, 16, 1]), 337),
        (MLP(1, [1]), 2),
    ],
)
def test_parameter_counts(module, count):
    params = module.parameters()
    assert len(params) == count
    assert len(set(map(id, params))) == count
    assert all(isinstance(p, Value) for p in params)


def test_parameter_order_is_each_neurons_weights_then_bias():
    model = MLP(3, [2, 1])
    expected = []
    for layer in model.layers:
        for neuron in layer.neurons:
            expected += [*neuron.w, neuron.b]
    assert [id(p) for p in model.parameters()] == [id(p) for p in expected]
    first = model.layers[0].neurons[0]
    assert model.parameters()[:4] == [first.w[0], first.w[1], first.w[2], first.b]
    assert [p.label for p in first.parameters()] == ["w0", "w1", "w2", "b"]


def test_initialisation_like_micrograd():
    model = MLP(2, [16, 16, 1])
    for layer in model.layers:
        for neuron in layer.neurons:
            assert all(-1 <= w.data <= 1 for w in neuron.w)
            assert neuron.b.data == 0.0
    weights = [w.data for layer in model.layers for n in layer.neurons for w in n.w]
    assert len(set(weights)) == len(weights)  # not all the same number


def test_zero_grad_resets_every_parameter():
    model = MLP(2, [3, 1])
    out = model([1.0, -2.0])
    (out * out).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert Module().parameters() == []


# ------------------------------------------------------------------ seeding


def weights_of(model):
    return [p.data for p in model.parameters()]


def test_same_seed_same_numbers_different_seed_different_numbers():
    assert weights_of(MLP(2, [4, 1], seed=7)) == weights_of(MLP(2, [4, 1], seed=7))
    assert weights_of(MLP(2, [4, 1], seed=7)) != weights_of(MLP(2, [4, 1], seed=8))
    assert weights_of(MLP(2, [4, 1])) == weights_of(MLP(2, [4, 1]))  # the default seed
    assert weights_of(Neuron(3, seed=1)) == weights_of(Neuron(3, seed=1))
    assert weights_of(Neuron(3, seed=1)) != weights_of(Neuron(3, seed=2))
    assert weights_of(Layer(3, 2, seed=1)) != weights_of(Layer(3, 2, seed=2))


def test_seed_may_be_a_random_generator():
    assert weights_of(MLP(2, [4, 1], seed=random.Random(5))) == weights_of(MLP(2, [4, 1], seed=5))
    rng = random.Random(5)
    first, second = Neuron(2, seed=rng), Neuron(2, seed=rng)
    assert weights_of(first) != weights_of(second)  # the generator moved on


def test_initialisation_leaves_the_global_random_state_alone():
    random.seed(123)
    expected = random.random()
    random.seed(123)
    MLP(2, [16, 16, 1])
    assert random.random() == expected


def test_fused_does_not_change_the_initial_weights():
    assert weights_of(demo_model(fused=True)) == weights_of(demo_model(fused=False))


# ------------------------------------------------------------------ calling


def test_repr_is_readable():
    assert repr(Neuron(3, activation="relu")) == "Neuron(3, activation='relu')"
    assert repr(Layer(2, 4)) == "Layer(2 -> 4, activation='tanh')"
    assert repr(MLP(2, [16, 16, 1], activation="relu", output_activation="linear")) == (
        "MLP([Layer(2 -> 16, activation='relu'), Layer(16 -> 16, activation='relu'), "
        "Layer(16 -> 1, activation='linear')])"
    )


def test_a_one_neuron_layer_returns_a_bare_value():
    assert isinstance(Layer(3, 1)([1.0, 2.0, 3.0]), Value)
    outs = Layer(3, 2)([1.0, 2.0, 3.0])
    assert isinstance(outs, list) and len(outs) == 2
    assert isinstance(MLP(3, [4, 1])([1.0, 2.0, 3.0]), Value)
    outs = MLP(3, [4, 3])([1.0, 2.0, 3.0])
    assert isinstance(outs, list) and len(outs) == 3


def test_mlp_passes_a_one_neuron_hidden_layer_on():
    model = MLP(2, [1, 3, 1], seed=3)
    hidden = model.layers[0]([0.5, -1.0])
    assert isinstance(hidden, Value)
    out = model([0.5, -1.0])
    assert out.data == model.layers[2](model.layers[1]([hidden])).data


def set_neuron(neuron, ws, b):
    for w, value in zip(neuron.w, ws):
        w.data = value
    neuron.b.data = b


@pytest.mark.parametrize(
    "activation, f",
    [
        ("tanh", math.tanh),
        ("relu", lambda z: max(0.0, z)),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", lambda z: z),
    ],
)
@pytest.mark.parametrize("fused", [False, True])
def test_neuron_computes_activation_of_w_x_plus_b(activation, f, fused):
    neuron = Neuron(2, activation=activation, fused=fused)
    set_neuron(neuron, [-3.0, 1.0], 6.5)
    for x in ([2.0, 0.0], [1.0, -4.0]):
        z = -3.0 * x[0] + 1.0 * x[1] + 6.5
        assert neuron(x).data == pytest.approx(f(z), rel=1e-12, abs=1e-15)


def test_mlp_output_activation_defaults_to_the_hidden_one():
    assert MLP(2, [3, 1], activation="relu").layers[-1].neurons[0].activation == "relu"
    assert MLP(2, [3, 1], activation="relu", output_activation="sigmoid").layers[-1].neurons[0].activation == "sigmoid"
    assert MLP(2, [3, 1]).layers[0].neurons[0].activation == "tanh"


def test_inputs_may_be_values_numbers_or_a_numpy_row():
    model = MLP(2, [3, 1], seed=1)
    X = np.array([[0.5, -1.5]])
    expected = model([0.5, -1.5]).data
    assert model([Value(0.5), Value(-1.5)]).data == expected
    assert model((0.5, -1.5)).data == expected
    assert model(X[0]).data == expected


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_fused_and_unfused_give_identical_outputs_and_gradients(activation):
    x = [0.3, -1.2, 2.0]
    results = []
    for fused in (False, True):
        model = MLP(3, [4, 4, 2], activation=activation, seed=11, fused=fused)
        inputs = [Value(v) for v in x]
        a, b = model(inputs)
        out = a * b + a
        out.backward(gradient=-1.5)
        results.append(
            (out.data, [p.grad for p in model.parameters()], [v.grad for v in inputs])
        )
    assert results[0] == results[1]
    assert any(g != 0 for g in results[0][1])


@pytest.mark.parametrize("as_values", [False, True])
def test_fused_layer_gives_the_graph_and_numbers_of_its_neurons(as_values):
    layer = Layer(3, 4, activation="tanh", seed=5, fused=True)
    x = [0.3, -1.2, 2.0]
    if as_values:
        x = [Value(v) for v in x]
    together = layer(x)
    one_by_one = [n(x) for n in layer.neurons]
    assert [v.data for v in together] == [v.data for v in one_by_one]

    def graph(outs):
        return [(v._op, v.data) for v in topological_order(outs[0] * outs[1] + outs[2] - outs[3])]

    assert graph(together) == graph(one_by_one)

    def gradients_after_backward(outs):
        layer.zero_grad()
        (outs[0] * outs[1] + outs[2] - outs[3]).backward(gradient=2.5)
        return [p.grad for p in layer.parameters()]

    grads = gradients_after_backward(together)
    assert grads == gradients_after_backward(one_by_one)
    assert any(g != 0 for g in grads)


def test_fused_layer_with_a_weight_that_is_not_a_value_says_so():
    layer = Layer(2, 3, fused=True)
    layer.neurons[1].w[0] = 0.5  # a plain number where a Value belongs
    with pytest.raises(TypeError) as info:
        layer([1.0, 2.0])
    assert "weighted_sum needs Values as weights and bias" in str(info.value)
    assert "float 0.5" in str(info.value)


def test_fused_graph_is_smaller():
    x = [Value(0.3), Value(-1.2)]
    plain = topological_order(MLP(2, [4, 1], fused=False)(x))
    fused = topological_order(MLP(2, [4, 1], fused=True)(x))
    assert len(fused) < len(plain)
    assert "w·x+b" in {n._op for n in fused}
    assert "w·x+b" not in {n._op for n in plain}


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "x, error, given",
    [
        ([1.0, 2.0, 3.0], ValueError, "got 3"),
        ([1.0], ValueError, "got 1"),
        ("ab", TypeError, "str 'ab'"),
        (3.0, TypeError, "float 3.0"),
        (Value(1.0), TypeError, "Value"),
        ({0: 1.0, 1: 2.0}, TypeError, "dict"),
        ([None, 1.0], TypeError, "NoneType None"),
        (["1", 1.0], TypeError, "str '1'"),
    ],
)
@pytest.mark.parametrize("fused", [False, True])
def test_wrong_inputs(x, error, given, fused):
    model = MLP(2, [3, 1], fused=fused)
    with pytest.raises(error) as info:
        model(x)
    assert given in str(info.value)


@pytest.mark.parametrize(
    "make, error, given",
    [
        (lambda: MLP(0, [1]), ValueError, "got 0"),
        (lambda: MLP(2, []), ValueError, "got []"),
        (lambda: MLP(2, [0]), ValueError, "got 0"),
        (lambda: MLP(2, [4, -1]), ValueError, "got -1"),
        (lambda: MLP(2.0, [1]), TypeError, "float 2.0"),
        (lambda: MLP(2, 3), TypeError, "int 3"),
        (lambda: MLP(2, "41"), TypeError, "str '41'"),
        (lambda: MLP(2, [1.5]), TypeError, "float 1.5"),
        (lambda: MLP(2, [True]), TypeError, "bool True"),
        (lambda: MLP(2, [1], activation="softmax"), ValueError, "'softmax'"),
        (lambda: MLP(2, [1], output_activation="Tanh"), ValueError, "'Tanh'"),
        (lambda: MLP(2, [1], seed="1"), TypeError, "str '1'"),
        (lambda: MLP(2, [1], seed=1.5), TypeError, "float 1.5"),
        (lambda: MLP(2, [1], seed=None), TypeError, "NoneType None"),
        (lambda: Neuron(0), ValueError, "got 0"),
        (lambda: Neuron(2, activation=None), ValueError, "None"),
        (lambda: Neuron(2, seed=[1]), TypeError, "list [1]"),
        (lambda: Layer(2, 0), ValueError, "got 0"),
        (lambda: Layer("2", 1), TypeError, "str '2'"),
    ],
)
def test_bad_arguments(make, error, given):
    with pytest.raises(error) as info:
        make()
    message = str(info.value)
    assert given in message
    if "activation" in message:
        assert "tanh, relu, sigmoid, linear" in message  # says what is accepted


# ------------------------------------------------------------------ training


def test_fused_and_unfused_training_losses_match():
    X, y = moons()
    X, y = X[:40], y[:40]
    plain, fused = demo_model(fused=False), demo_model(fused=True)
    for k in range(3):
        assert train_step(plain, X, y, k) == train_step(fused, X, y, k)
    assert weights_of(plain) == weights_of(fused)


def test_training_on_moons_reaches_full_accuracy():
    X, y = moons()
    model = demo_model(fused=True)
    history = [train_step(model, X, y, k) for k in range(100)]
    final_loss, final_accuracy = moons_demo_loss(model, X, y)
    assert final_accuracy == 1.0
    assert final_loss.data < 0.05 < history[0][0]
    assert history[0][1] < 0.9  # it had something to learn
