"""Exercises for notebook 09, the Playground.

    from backproplab.exercises import nb09
    nb09.spiral_challenge.check(pg)

Three exercises: the spiral challenge (at least 95% test accuracy with at most 20 hidden
neurons, on the spiral as the notebook sets it), the features that let a network with
no hidden layer solve xor (the check trains one with them), and the number of
parameters of a small network. The challenge's check does not trust what the answer
recorded: it makes the data again from the settings and scores the weights itself.
"""

from __future__ import annotations

import numpy as np

from ..playground import FEATURE_LABELS, FEATURES, Playground
from . import AnswerForm, Exercise, Verdict, describe, read_count

__all__ = ["spiral_challenge", "xor_features", "parameter_count", "SPIRAL_RULES"]


# ------------------------------------------------------------ 1. the spiral challenge

# the spiral as the challenge sets it: the data set's own noise or more, at most 400
# points, at least half of them held out for the test
SPIRAL_RULES = {"noise": 0.02, "points": 400, "test_fraction": 0.5, "hidden_neurons": 20,
                "test_accuracy": 0.95}


def _read_playground(answer: object) -> Playground:
    """A Playground, or the widget that drives one (its `.playground`)."""
    pg = getattr(answer, "playground", answer)
    if not isinstance(pg, Playground):
        raise AnswerForm(f"the check needs the Playground you trained (pg in the notebook), or "
                         f"the playground widget; got {describe(answer)}.")
    return pg


def _scored_again(pg: Playground) -> tuple[float, float]:
    """Training and test accuracy of `pg`'s weights on the data made again from its settings."""
    fresh = Playground(**pg.settings)
    shapes = [W.shape for W in fresh.weights] + [b.shape for b in fresh.biases]
    given = [np.asarray(a, dtype=float) for a in [*pg.weights, *pg.biases]]
    if [a.shape for a in given] != shapes or not all(np.isfinite(a).all() for a in given):
        raise AnswerForm("the Playground's weights no longer fit its settings (were they "
                         "changed by hand?); press Reset and train again.")
    n = len(fresh.weights)
    fresh.weights, fresh.biases = given[:n], given[n:]
    return fresh.train_accuracy, fresh.test_accuracy


def _check_spiral_challenge(answer: object) -> Verdict:
    pg = _read_playground(answer)
    rules = SPIRAL_RULES
    if pg.dataset != "spiral":
        return Verdict(False, f"this Playground learns the {pg.dataset} data set; the challenge "
                              "is the spiral: Playground(\"spiral\", ...).")
    if pg.noise < rules["noise"]:
        return Verdict(False, f"the noise is {pg.noise:g}; the challenge keeps the spiral's own "
                              f"noise, {rules['noise']:g}, or more (less noise makes it easier).")
    if pg.points > rules["points"]:
        return Verdict(False, f"{pg.points} points: more points make the spiral easier to "
                              f"learn; the challenge allows at most {rules['points']}.")
    if pg.test_fraction < rules["test_fraction"]:
        return Verdict(False, f"only {100 * pg.test_fraction:.0f}% of the points are held out; "
                              f"the challenge keeps at least half for the test (test_fraction=0.5).")
    if pg.hidden_neurons > rules["hidden_neurons"]:
        return Verdict(False, f"the network has {pg.hidden_neurons} hidden neurons "
                              f"({' + '.join(map(str, pg.hidden))}); the challenge allows at most "
                              f"{rules['hidden_neurons']}.")
    if pg.steps == 0:
        return Verdict(False, "this network has not trained yet: call pg.train(epochs) first.")
    train, test = _scored_again(pg)
    if test >= rules["test_accuracy"]:
        return Verdict(True, f"{100 * test:.1f}% of the test points, which it never trained on, "
                             f"with {pg.hidden_neurons} hidden neurons.")
    if train - test > 0.05:
        advice = ("it fits the training points far better than the test points: it is "
                  "overfitting; try L2, fewer neurons, or stopping earlier.")
    elif train < 0.95:
        advice = ("it does not fit even the training points yet: train for longer, try "
                  "other features (sin x₁, sin x₂) or a larger learning rate.")
    else:
        advice = "close: try another seed, more epochs or a little L2."
    return Verdict(False, f"test accuracy {100 * test:.1f}% (training {100 * train:.1f}%), below "
                          f"{100 * rules['test_accuracy']:.0f}%; {advice}")


spiral_challenge = Exercise(
    "The spiral challenge",
    _check_spiral_challenge,
    hints=[
        "The spiral needs many bends, and each layer holds at most 8 neurons (4 layers at "
        "most). Reading only x₁ and x₂, tanh neurons in the first layer draw smooth lines "
        "that take long to bend into arms; two things help: features that already bend "
        "(sin x₁, sin x₂), or relu neurons, whose kinks the next layers fold into bends.",
        "Three hidden layers such as [8, 8, 4] (20 neurons) get there: tanh with the "
        "features x₁, x₂, sin x₁, sin x₂, or relu with x₁ and x₂ alone, at a learning rate "
        "of 0.1.",
        "It takes a few hundred epochs: pg.train(300). Watch the test loss in the widget: "
        "it should fall with the training loss.",
    ],
    solution=(
        'pg = Playground("spiral", points=400, test_fraction=0.5,\n'
        '                features=("x1", "x2", "sin(x1)", "sin(x2)"),\n'
        '                hidden=[8, 8, 4], activation="tanh", learning_rate=0.1)\n'
        "pg.train(300)\n"
        "\n"
        "About 97% of the test points. The first layer's neurons combine waves (the sin\n"
        "features) with lines; the next layers cut that pattern into the two arms."
    ),
    expects="the Playground you trained on the spiral (or the playground widget)",
    usage="check(pg)",
)


# ------------------------------------------------------------ 2. features for xor

XOR_EPOCHS = 40


def _read_features(answer: object) -> tuple[str, ...]:
    if isinstance(answer, str):
        answer = (answer,)
    if answer is None or answer is Ellipsis or not isinstance(answer, (list, tuple, set, frozenset)):
        raise AnswerForm(f"give a list of feature names such as [\"x1\", \"x2\"]; got "
                         f"{describe(answer)}.")
    names = list(answer)
    for name in names:
        if name not in FEATURES:
            raise AnswerForm(f"{describe(name)} is not a feature; the features are "
                             f"{', '.join(map(repr, FEATURES))}.")
    if not names:
        raise AnswerForm("the list is empty: a network with no features reads nothing.")
    return tuple(names)


def _check_xor_features(answer: object) -> Verdict:
    features = _read_features(answer)
    pg = Playground("xor", hidden=[], features=features, learning_rate=0.1).train(XOR_EPOCHS)
    shown = ", ".join(FEATURE_LABELS[f] for f in pg.features)
    accuracy = pg.test_accuracy
    if accuracy > 0.95:
        return Verdict(True, f"With {shown}, one output neuron and no hidden layer get "
                             f"{100 * accuracy:.0f}% of the test points: x₁x₂ is positive in "
                             "two corners and negative in the other two, exactly xor's classes.")
    if "x1*x2" not in features:
        if set(features) <= {"x1", "x2", "sin(x1)", "sin(x2)"}:
            why = ("each of these features changes along one axis only, and a weighted sum of "
                   "them cannot give (+, +) and (-, -) one class and the other two corners "
                   "the other.")
        else:
            why = ("x₁² and x₂² are the same at all four corners (about 1.5² at every corner), "
                   "so they cannot tell the corners apart.")
        return Verdict(False, f"with {shown} the model gets only {100 * accuracy:.0f}% of the "
                              f"test points: {why}")
    return Verdict(False, f"with {shown} the model gets {100 * accuracy:.0f}% of the test points; "
                          "the other features get in the way here: try fewer.")


xor_features = Exercise(
    "Features that make xor easy",
    _check_xor_features,
    hints=[
        "Without a hidden layer the boundary is where a weighted sum of the features is 0. "
        "Which feature has one sign in the corners (+, +) and (-, -), and the other sign in "
        "(+, -) and (-, +)?",
        "Multiply the two coordinates.",
    ],
    solution=(
        'answer = ["x1", "x2", "x1*x2"]   # or just ["x1*x2"]\n'
        "\n"
        "x1*x2 > 0 in the corners (+, +) and (-, -), where xor says class 0, and < 0 in the\n"
        "other two, so one weight on it, negative, separates the classes."
    ),
    expects="a list of feature names, such as [\"x1\", \"x2\"]",
)


# ------------------------------------------------------------ 3. counting parameters

COUNT_NETWORK = {"features": ("x1", "x2", "x1*x2"), "hidden": [5, 3]}


def _check_parameter_count(answer: object) -> Verdict:
    got = read_count(answer)
    sizes = [len(COUNT_NETWORK["features"]), *COUNT_NETWORK["hidden"], 1]
    pairs = list(zip(sizes, sizes[1:]))
    want = sum(a * b + b for a, b in pairs)
    if got == want:
        return Verdict(True, " + ".join(f"({a}×{b} + {b})" for a, b in pairs)
                       + f" = {want}: each layer's weight matrix and one bias per neuron.")
    weights = sum(a * b for a, b in pairs)
    slips = [
        (weights, "that counts the weights only: every neuron also has a bias."),
        (want - sizes[-1], "the output neuron's bias is missing."),
        (want - sizes[-1] * sizes[-2] - sizes[-1], "the output layer is missing: its neuron has "
                                                   "3 weights and a bias too."),
        (want - sizes[0] * sizes[1] + 2 * sizes[1],  # the features counted as 2
         "the network reads 3 features (x₁, x₂ and x₁x₂), so the first layer has 3 weights per "
         "neuron."),
        (sum(sizes[1:]), "that counts the neurons; count the numbers each neuron learns."),
    ]
    for value, message in slips:
        if got == value:
            return Verdict(False, f"{got}: {message}")
    return Verdict(False, f"{got} is not it. The layers are {' → '.join(map(str, sizes))}: "
                          "count each layer's weights (inputs × neurons) and biases.")


parameter_count = Exercise(
    "How many parameters?",
    _check_parameter_count,
    hints=[
        "A layer of n neurons reading m inputs has an m × n weight matrix and n biases.",
        "The layers are 3 → 5 → 3 → 1.",
    ],
    solution=(
        "answer = (3*5 + 5) + (5*3 + 3) + (3*1 + 1)   # 42\n"
        "\n"
        'Or: Playground(features=("x1", "x2", "x1*x2"), hidden=[5, 3]).parameter_count'
    ),
    expects="one whole number",
)
