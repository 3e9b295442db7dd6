"""Notebook 09's exercises accept the right answer and reject plausible wrong ones
(tests/test_exercise_catalogue.py has many more answers for each)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from backproplab.exercises import nb09
from backproplab.playground import Playground, playground

SIN4 = ("x1", "x2", "sin(x1)", "sin(x2)")


@pytest.fixture(scope="module")
def trained():
    return Playground("spiral", points=400, features=SIN4, hidden=[8, 8, 4],
                      learning_rate=0.1).train(300)


def test_the_worked_solution_reaches_the_target(trained, capsys):
    assert trained.hidden_neurons <= 20 and trained.test_accuracy >= 0.95
    assert nb09.spiral_challenge.check(trained) is True
    assert "of the test points" in capsys.readouterr().out


def test_the_challenge_scores_the_weights_itself(trained, capsys):
    # recorded numbers and stored points are not trusted: the data are made again
    cheat = copy.deepcopy(Playground("spiral", points=400, features=SIN4, hidden=[8, 8, 4]).train(5))
    cheat.X_test, cheat.y_test = cheat.X_train, cheat.y_train
    cheat.history["test_accuracy"][-1] = 1.0
    assert nb09.spiral_challenge.check(cheat) is False
    assert "below 95%" in capsys.readouterr().out


def test_the_challenge_takes_the_widget_too(capsys):
    lab = playground(dataset="spiral", points=400, features=SIN4, hidden=[8, 8, 4],
                     learning_rate=0.1)
    lab.playground.train(300)
    assert nb09.spiral_challenge.check(lab) is True


def test_the_challenge_rules_are_the_notebooks():
    assert nb09.SPIRAL_RULES == {"noise": 0.02, "points": 400, "test_fraction": 0.5,
                                 "hidden_neurons": 20, "test_accuracy": 0.95}
    # the spiral's own noise is the challenge's floor
    assert Playground("spiral").noise == nb09.SPIRAL_RULES["noise"]


@pytest.mark.parametrize("hidden, says", [([8, 8, 5], "21 hidden neurons"), ([8, 8, 4], "not trained yet")])
def test_the_challenge_counts_neurons_before_training(hidden, says, capsys):
    assert nb09.spiral_challenge.check(Playground("spiral", points=400, hidden=hidden)) is False
    assert says in capsys.readouterr().out


def test_xor_features_are_checked_by_training(capsys):
    assert nb09.xor_features.check(["x1", "x2", "x1*x2"]) is True
    assert nb09.xor_features.check(["x1", "x2"]) is False
    assert "44% of the test points" in capsys.readouterr().out


def test_parameter_count_agrees_with_the_playground(capsys):
    pg = Playground(**nb09.COUNT_NETWORK)
    assert pg.parameter_count == 42
    assert nb09.parameter_count.check(pg.parameter_count) is True
    assert nb09.parameter_count.check(np.int64(33)) is False
    assert "weights only" in capsys.readouterr().out


def test_the_hints_other_way_relu_on_x1_x2_alone_reaches_the_target():
    hints = " ".join(nb09.spiral_challenge.hints)
    assert "relu with x₁ and x₂ alone" in hints and "at most 8 neurons" in hints
    pg = Playground("spiral", points=400, hidden=[8, 8, 4], activation="relu",
                    learning_rate=0.1).train(300)
    assert pg.test_accuracy >= 0.95 and nb09.spiral_challenge.check(pg) is True
