"""Neuron, Layer and MLP: the slips the broader tests in test_nn.py could let through."""

from __future__ import annotations

import random

import pytest

from backproplab.engine import Value, topological_order
from backproplab.nn import MLP, Layer, Module, Neuron


def test_weights_are_micrograds_uniform_draws_in_order():
    rng = random.Random(5)
    expected = [rng.uniform(-1, 1) for _ in range(3)]
    neuron = Neuron(3, seed=5)
    assert [w.data for w in neuron.w] == expected and neuron.b.data == 0.0
    # a layer draws each neuron's weights in turn from one generator
    rng = random.Random(5)
    expected = [rng.uniform(-1, 1) for _ in range(6)]
    layer = Layer(3, 2, seed=5)
    assert [w.data for n in layer.neurons for w in n.w] == expected


def test_weights_take_both_signs():
    weights = [w.data for w in Neuron(200, seed=0).w]
    assert min(weights) < -0.9 and max(weights) > 0.9


def test_an_unknown_activation_is_an_error_even_where_no_layer_uses_it():
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        MLP(2, [1], activation="softmax", output_activation="linear")


def test_each_layer_gets_its_activation():
    model = MLP(2, [3, 3, 1], activation="relu", output_activation="sigmoid")
    assert [layer.neurons[0].activation for layer in model.layers] == ["relu", "relu", "sigmoid"]
    assert [len(layer.neurons) for layer in model.layers] == [3, 3, 1]
    assert [layer.neurons[0].nin for layer in model.layers] == [2, 3, 3]


@pytest.mark.parametrize("fused", [False, True])
def test_a_neuron_of_one_input_and_of_a_tuple(fused):
    neuron = Neuron(1, activation="linear", fused=fused)
    neuron.w[0].data, neuron.b.data = 2.0, 0.5
    assert neuron([3.0]).data == 6.5
    assert neuron((3.0,)).data == 6.5


def test_inputs_must_match_the_neurons_count_exactly():
    neuron = Neuron(2)
    with pytest.raises(ValueError, match="^this neuron expects 2 inputs, got 3$"):
        neuron([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"^a neuron takes a list of 2 inputs, got str 'ab'$"):
        neuron("ab")


def test_a_module_without_parameters():
    module = Module()
    assert module.parameters() == []
    module.zero_grad()  # nothing to do, and no error


def test_zero_grad_reaches_every_neuron():
    model = MLP(2, [2, 2, 1], seed=0)
    for p in model.parameters():
        p.grad = 3.0
    model.layers[1].zero_grad()
    assert [p.grad for p in model.layers[1].parameters()] == [0.0] * 6
    assert all(p.grad == 3.0 for p in model.layers[0].parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Neuron(0), "the number of inputs (nin) must be at least 1, got 0"),
        (lambda: Neuron(True), "the number of inputs (nin) must be a whole number, got bool True"),
        (lambda: Layer(2, 0), "the number of neurons (nout) must be at least 1, got 0"),
        (lambda: Layer(0, 2), "the number of inputs (nin) must be at least 1, got 0"),
        (lambda: MLP(2, [3, 0]), "layer 1's size (nouts[1]) must be at least 1, got 0"),
        (lambda: MLP(2, (3, 2.0)), "layer 1's size (nouts[1]) must be a whole number, got float 2.0"),
        (lambda: MLP(2, b"\x01"), "nouts must be a list of layer sizes such as [4, 4, 1], got bytes b'\\x01'"),
        (lambda: MLP(2, {1, 2}), "nouts must be a list of layer sizes such as [4, 4, 1], got set {1, 2}"),
        (lambda: MLP(2, ()), "nouts must list at least one layer size, e.g. [4, 4, 1]; got []"),
        (lambda: Neuron(2, activation="Relu"),
         "unknown activation 'Relu'; choose one of tanh, relu, sigmoid, linear"),
        (lambda: Neuron(2, seed=True), "seed must be an int or a random.Random, got bool True"),
    ],
)
def test_bad_arguments_say_what_is_accepted(make, message):
    with pytest.raises((TypeError, ValueError)) as info:
        make()
    assert str(info.value) == message


def test_nouts_may_be_a_tuple():
    assert len(MLP(2, (3, 1)).parameters()) == 9 + 4


def test_a_layer_of_several_neurons_on_values():
    layer = Layer(2, 3, activation="linear", seed=1)
    x = [Value(1.0), Value(-2.0)]
    outs = layer(x)
    assert [o.data for o in outs] == [
        n.w[0].data * 1.0 + n.w[1].data * -2.0 + n.b.data for n in layer.neurons
    ]
    sum(outs).backward()
    assert x[0].grad == pytest.approx(sum(n.w[0].data for n in layer.neurons))


def test_the_default_seed_is_0_and_the_default_graph_is_micrograds_chain():
    weights = [p.data for p in Neuron(3).parameters()]
    assert weights == [p.data for p in Neuron(3, seed=0).parameters()]
    assert [p.data for p in Layer(2, 3).parameters()] == [
        p.data for p in Layer(2, 3, seed=0).parameters()
    ]
    assert [p.data for p in MLP(2, [3, 1]).parameters()] == [
        p.data for p in MLP(2, [3, 1], seed=0).parameters()
    ]
    # unless asked for the fused node, a neuron's sum is the chain of * and + the lecture draws
    for model in (Neuron(2), Layer(2, 1), MLP(2, [1])):
        ops = {n._op for n in topological_order(model([1.0, 2.0]))}
        assert {"*", "+"} <= ops and "w·x+b" not in ops


def test_with_several_bad_sizes_the_first_is_reported():
    for make in (lambda: Layer(0, 0), lambda: MLP(0, [0]), lambda: MLP(0, [1])):
        with pytest.raises(ValueError, match=r"^the number of inputs \(nin\) must be at least 1"):
            make()
    with pytest.raises(TypeError, match=r"^the number of inputs \(nin\) must be a whole number"):
        MLP(2.0, "x")


# ------------------------------------------- a fused layer checks its inputs once

def test_a_fused_layer_gives_the_neurons_answers_for_every_kind_of_input():
    xs = [Value(1.0), Value(-2.0)]
    for nout in (1, 3):  # one neuron returns a bare Value, more a list
        fused, plain = Layer(2, nout, fused=True, seed=4), Layer(2, nout, fused=False, seed=4)
        for given in (xs, tuple(xs), [1.0, -2.0]):  # a list, a tuple, plain numbers
            got, want = fused(given), plain(given)
            got, want = (got, want) if nout > 1 else ([got], [want])
            assert [v.data for v in got] == pytest.approx([v.data for v in want], rel=1e-15)


def test_a_fused_layer_with_the_wrong_number_of_values_says_so():
    # the fast path pairs weights and inputs with zip, which would silently drop extras
    for given in ([Value(1.0), Value(2.0)], [Value(1.0)] * 4):
        with pytest.raises(ValueError, match=f"this neuron expects 3 inputs, got {len(given)}"):
            Layer(3, 2, fused=True)(given)


def test_a_fused_layer_with_a_weight_replaced_by_a_number_names_it():
    layer = Layer(2, 2, fused=True)
    layer.neurons[1].w[0] = 3.0
    with pytest.raises(TypeError, match="needs Values as weights and bias.*float 3.0"):
        layer([Value(1.0), Value(2.0)])
