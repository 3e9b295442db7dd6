"""Trainer: micrograd's recipe for hinge loss, the lecture's squared error, schedule, reset."""

import numpy as np
import pytest

from backproplab.data import make_moons
from backproplab.engine import Value
from backproplab.nn import MLP
from backproplab.train import Trainer

# the lecture's 4-sample data set
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def moons_trainer(**kwargs):
    X, y = make_moons(40, noise=0.1, seed=7)
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="linear", seed=1)
    return Trainer(model, X, y, **kwargs)


def test_hinge_training_on_moons_improves_accuracy_and_loss():
    trainer = moons_trainer(steps=30, schedule="linear_decay")
    first = trainer.step()
    trainer.run()
    assert trainer.done and trainer.steps_taken == 30
    assert trainer.losses[-1] < 0.5 * first["loss"]
    assert trainer.accuracies[-1] >= 0.85 > first["accuracy"]
    predictions = trainer.predict(trainer.X) > 0
    assert np.mean(predictions == (trainer.labels > 0)) >= 0.85


def test_hinge_loss_is_micrograds_recipe_and_labels_0_1_equal_minus1_plus1():
    X, y = make_moons(20, seed=2)
    model = MLP(2, [4, 1], activation="relu", output_activation="linear", seed=3)
    loss, acc = Trainer(model, X, y).compute_loss()
    # the same thing written out by hand, as in micrograd's demo
    scores = [model([Value(a), Value(b)]) for a, b in X]
    margins = [(1 + -yi * s).relu() for yi, s in zip(y * 2 - 1, scores)]
    expected = sum(margins) * (1.0 / len(margins)) + 1e-4 * sum(p * p for p in model.parameters())
    assert loss.data == pytest.approx(expected.data, rel=1e-12)
    assert acc == np.mean([(yi > 0) == (s.data > 0) for yi, s in zip(y, scores)])
    loss_pm, _ = Trainer(model, X, y * 2 - 1).compute_loss()
    assert loss_pm.data == loss.data


def test_sum_of_squares_on_the_four_samples_matches_the_lecture_loop_and_goes_down():
    model = MLP(3, [4, 4, 1], seed=0)
    trainer = Trainer(model, XS, YS, loss="sum_of_squares", learning_rate=0.05, steps=20)
    # the lecture's loss, by hand, before training
    by_hand = sum((model(x) - y) ** 2 for x, y in zip(XS, YS))
    record = trainer.step()
    assert record["loss"] == pytest.approx(by_hand.data, rel=1e-12)
    assert record == {"step": 1, "loss": record["loss"], "accuracy": record["accuracy"],
                      "learning_rate": 0.05}
    trainer.run()
    assert trainer.losses[-1] < 0.1 * trainer.losses[0]
    assert trainer.accuracies[-1] == 1.0
    assert trainer.alpha == 0.0


def test_the_old_name_mse_still_means_the_sum_of_squares():
    # notebooks and code written before the rename keep working, with the same numbers,
    # and the trainer reports the loss by what it is: a sum, not a mean
    old = Trainer(MLP(3, [4, 4, 1], seed=0), XS, YS, loss="mse", learning_rate=0.05, steps=5)
    new = Trainer(MLP(3, [4, 4, 1], seed=0), XS, YS, loss="sum_of_squares", learning_rate=0.05, steps=5)
    old.run()
    new.run()
    assert old.losses == new.losses
    assert old.loss == "sum_of_squares" and repr(old).startswith("Trainer(sum_of_squares loss")
    first = sum((MLP(3, [4, 4, 1], seed=0)(x) - y) ** 2 for x, y in zip(XS, YS)).data
    assert old.losses[0] == pytest.approx(first, rel=1e-12)  # summed, not divided by 4


def test_linear_decay_follows_micrograds_schedule():
    trainer = Trainer(MLP(3, [2, 1], seed=0), XS, YS, loss="mse", learning_rate=0.1,
                      schedule="linear_decay", steps=10)
    trainer.run()
    assert trainer.learning_rates == pytest.approx([0.1 * (1 - 0.9 * k / 10) for k in range(10)])


def test_learning_rate_can_change_between_steps():
    trainer = Trainer(MLP(3, [2, 1], seed=0), XS, YS, loss="mse", learning_rate=0.1)
    trainer.step()
    trainer.learning_rate = 0.01
    assert trainer.step()["learning_rate"] == 0.01
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        trainer.learning_rate = -1
    with pytest.raises(TypeError, match="learning_rate must be a number"):
        trainer.learning_rate = "fast"


def test_reset_restores_the_starting_weights_and_repeats_the_run():
    trainer = moons_trainer(steps=5)
    start = [p.data for p in trainer.model.parameters()]
    trainer.run()
    first_run = list(trainer.losses)
    assert [p.data for p in trainer.model.parameters()] != start
    trainer.reset()
    assert [p.data for p in trainer.model.parameters()] == start
    assert trainer.steps_taken == 0 and trainer.losses == [] and not trainer.done
    trainer.run()
    assert trainer.losses == first_run


def test_stepping_past_the_end_says_what_to_do():
    trainer = Trainer(MLP(3, [2, 1], seed=0), XS, YS, loss="mse", steps=1)
    trainer.step()
    with pytest.raises(RuntimeError, match="reset"):
        trainer.step()
    trainer.steps = 2
    assert trainer.step()["step"] == 2


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"loss": "cross_entropy"}, ValueError, "loss must be one of 'hinge', 'sum_of_squares'"),
        ({"schedule": "cosine"}, ValueError, "schedule must be one of"),
        ({"steps": 0}, ValueError, "steps must be at least 1"),
        ({"steps": 2.5}, TypeError, "steps must be a whole number"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a finite number > 0"),
        ({"alpha": -1.0}, ValueError, "alpha must be a finite number >= 0"),
    ],
)
def test_bad_settings_are_clear_errors(kwargs, error, message):
    X, y = make_moons(10)
    with pytest.raises(error, match=message):
        Trainer(MLP(2, [2, 1]), X, y, **kwargs)


def test_bad_data_and_models_are_clear_errors():
    X, y = make_moons(10)
    with pytest.raises(ValueError, match=r"one entry per row of X, i.e. shape \(10,\)"):
        Trainer(MLP(2, [2, 1]), X, y[:5])
    with pytest.raises(ValueError, match=r"non-empty \(n, nin\) array"):
        Trainer(MLP(2, [2, 1]), X[:, 0], y)
    with pytest.raises(ValueError, match=r"labels 0/1 or -1/\+1, got labels \[0.0, 2.0\]"):
        Trainer(MLP(2, [2, 1]), X, y * 2)
    with pytest.raises(ValueError, match="cannot read a row of X"):
        Trainer(MLP(3, [2, 1]), X, y)
    with pytest.raises(ValueError, match="one output Value per sample"):
        Trainer(MLP(2, [2, 2]), X, y)
    with pytest.raises(TypeError, match="model must be a Neuron, Layer or MLP"):
        Trainer(lambda x: x, X, y)
    with pytest.raises(ValueError, match="nan or infinite"):
        Trainer(MLP(2, [2, 1]), np.full((10, 2), np.nan), y)


def test_hinge_steps_match_micrograds_own_demo_loop():
    """Same weights in micrograd itself, its demo's loss and update: the same numbers."""
    from micrograd.engine import Value as MicroValue
    from micrograd.nn import MLP as MicroMLP

    X, y = make_moons(30, seed=11)
    ours = MLP(2, [6, 6, 1], activation="relu", output_activation="linear", seed=4)
    theirs = MicroMLP(2, [6, 6, 1])
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        q.data = p.data
    trainer = Trainer(ours, X, y, learning_rate=1.0, schedule="linear_decay", steps=3)
    yb = y * 2 - 1
    for k in range(3):
        # micrograd's demo.ipynb, verbatim in substance
        inputs = [list(map(MicroValue, row)) for row in X]
        scores = list(map(theirs, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in theirs.parameters())
        total = data_loss + reg_loss
        accuracy = sum((yi > 0) == (si.data > 0) for yi, si in zip(yb, scores)) / len(yb)
        theirs.zero_grad()
        total.backward()
        lr = 1.0 - 0.9 * k / 3
        for p in theirs.parameters():
            p.data -= lr * p.grad
        record = trainer.step()
        assert record["loss"] == pytest.approx(total.data, rel=1e-12)
        assert record["accuracy"] == accuracy and record["learning_rate"] == pytest.approx(lr)
    assert [p.data for p in ours.parameters()] == pytest.approx(
        [q.data for q in theirs.parameters()], rel=1e-10, abs=1e-12
    )
