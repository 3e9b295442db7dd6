"""Trainer at the edges: the smallest data sets, exact ties, odd calls, bad input."""

import math

import numpy as np
import pytest

from backproplab.engine import Value
from backproplab.nn import MLP, Neuron
from backproplab.train import Trainer

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def lecture_trainer(**kwargs):
    kwargs.setdefault("loss", "sum_of_squares")
    return Trainer(MLP(3, [4, 4, 1], seed=0), XS, YS, **kwargs)


def test_a_one_sample_data_set_trains():
    model = Neuron(2, activation="linear", seed=0)
    trainer = Trainer(model, [[1.0, 2.0]], [1], learning_rate=0.1, steps=3)
    assert trainer.labels.tolist() == [1.0]  # a single 0/1 label, mapped to +1
    trainer.run()
    assert len(trainer.losses) == 3 and trainer.losses[-1] < trainer.losses[0]
    assert trainer.predict([[1.0, 2.0]]).shape == (1,)


def test_a_score_of_exactly_zero_counts_as_the_negative_class():
    # every weight and the bias 0: the model's output is exactly 0 for every sample
    model = Neuron(2, activation="linear", seed=0)
    for p in model.parameters():
        p.data = 0.0
    X = [[1.0, 1.0], [2.0, -1.0], [0.5, 0.5], [-1.0, 3.0]]
    trainer = Trainer(model, X, [0, 0, 0, 1], alpha=0.0)
    loss, accuracy = trainer.compute_loss()
    assert accuracy == 0.75  # 0 > 0 is False: a prediction of the negative class, as micrograd's
    assert loss.data == 1.0  # relu(1 - y * 0) = 1 for every sample
    mse = Trainer(model, X, [-1.0, -1.0, 1.0, 1.0], loss="mse")
    assert mse.compute_loss()[1] == 0.5
    # a target of exactly 0 (mse takes targets as given) is the negative class too
    model.b.data = -1.0  # every score -1
    assert Trainer(model, X, [0.0, 0.0, 0.0, 2.0], loss="mse").compute_loss()[1] == 0.75


def test_hinge_loss_and_accuracy_by_hand():
    # a linear neuron: the score is w0*x0 + w1*x1 + b
    model = Neuron(2, activation="linear", seed=0)
    model.w[0].data, model.w[1].data, model.b.data = 1.0, -1.0, 0.5
    X = [[1.0, 0.0], [0.0, 2.0], [3.0, 1.0]]  # scores 1.5, -1.5, 2.5
    trainer = Trainer(model, X, [1, 1, 0], alpha=0.5)
    loss, accuracy = trainer.compute_loss()
    # margins relu(1 - y s): 0, 2.5, 3.5; their mean, plus alpha * (1 + 1 + 0.25)
    assert loss.data == pytest.approx(6.0 / 3 + 0.5 * 2.25, rel=1e-12)
    assert accuracy == pytest.approx(1 / 3)
    record = trainer.step()
    assert record["loss"] == loss.data and record["accuracy"] == accuracy
    # the update: d loss / d w0 = mean of -y x0 over samples with a positive margin, + 2 alpha w0
    # samples 2 (y=+1, x0=0) and 3 (y=-1, x0=3): (0 + 3) / 3 + 2 * 0.5 * 1 = 2
    assert model.w[0].data == pytest.approx(1.0 - 1.0 * 2.0, rel=1e-12)


def test_mse_loss_by_hand():
    model = Neuron(1, activation="linear", seed=0)
    model.w[0].data, model.b.data = 2.0, 1.0
    trainer = Trainer(model, [[1.0], [2.0]], [3.5, 4.0], loss="mse", learning_rate=0.1)
    loss, _ = trainer.compute_loss()
    assert loss.data == (3.0 - 3.5) ** 2 + (5.0 - 4.0) ** 2  # no regularisation for mse
    trainer.step()
    # d/dw = 2 (3 - 3.5) 1 + 2 (5 - 4) 2 = 3; d/db = 2 (-0.5) + 2 (1) = 1
    assert model.w[0].data == pytest.approx(2.0 - 0.1 * 3.0)
    assert model.b.data == pytest.approx(1.0 - 0.1 * 1.0)


def test_run_counts_its_steps():
    trainer = lecture_trainer(steps=5)
    assert trainer.run(0) is None and trainer.steps_taken == 0
    assert trainer.run(2)["step"] == 2
    assert trainer.run(10)["step"] == 5  # never past the end
    assert trainer.done and trainer.run() is None


@pytest.mark.parametrize(
    "n, error, message",
    [
        (-3, ValueError, "n (the number of steps to run) must be 0 or more, got -3"),
        (2.5, TypeError, "n (the number of steps to run) must be a whole number, got float 2.5"),
        (True, TypeError, "must be a whole number, got bool True"),
        ("3", TypeError, "must be a whole number, got str '3'"),
    ],
)
def test_run_with_a_bad_count_says_so(n, error, message):
    trainer = lecture_trainer(steps=5)
    with pytest.raises(error) as info:
        trainer.run(n)
    assert message in str(info.value)
    assert trainer.steps_taken == 0


def test_run_accepts_numpy_integers():
    trainer = lecture_trainer(steps=5)
    assert trainer.run(np.int64(2))["step"] == 2


def test_reset_clears_the_gradients_and_the_history():
    trainer = lecture_trainer(steps=3, learning_rate=0.05)
    trainer.run()
    assert any(p.grad != 0.0 for p in trainer.model.parameters())
    trainer.reset()
    assert [p.grad for p in trainer.model.parameters()] == [0.0] * 41
    assert trainer.losses == [] and trainer.accuracies == [] and trainer.learning_rates == []
    assert trainer.steps_taken == 0 and not trainer.done


def test_done_after_exactly_steps_steps():
    trainer = lecture_trainer(steps=2)
    trainer.step()
    assert not trainer.done
    trainer.step()
    assert trainer.done


def test_linear_decay_stays_at_its_last_rate_past_the_end():
    trainer = lecture_trainer(steps=2, learning_rate=0.5, schedule="linear_decay")
    assert trainer.current_learning_rate() == 0.5
    trainer.run()
    assert trainer.learning_rates == [0.5, pytest.approx(0.5 * 0.55)]
    assert trainer.current_learning_rate() == pytest.approx(0.5 * 0.1)
    trainer.steps_taken = 5  # (never more than steps in use; the rate stays put)
    assert trainer.current_learning_rate() == pytest.approx(0.5 * 0.1)
    constant = lecture_trainer(steps=2, learning_rate=0.5)
    constant.run()
    assert constant.learning_rates == [0.5, 0.5] and constant.current_learning_rate() == 0.5


def test_settings_are_kept():
    trainer = lecture_trainer(steps=7, learning_rate=0.25, alpha=0.5)
    assert (trainer.steps, trainer.learning_rate, trainer.alpha) == (7, 0.25, 0.5)
    assert (trainer.loss, trainer.schedule) == ("sum_of_squares", "constant")
    hinge = Trainer(MLP(3, [2, 1], seed=0), XS, YS)
    assert hinge.alpha == 1e-4 and hinge.loss == "hinge" and hinge.steps == 100
    assert hinge.learning_rate == 1.0
    assert lecture_trainer(alpha=0).alpha == 0.0


def test_repr_says_where_training_is():
    trainer = lecture_trainer(steps=3, learning_rate=0.05)
    assert repr(trainer) == "Trainer(sum_of_squares loss, 4 samples, step 0 of 3)"
    trainer.step()
    assert repr(trainer) == f"Trainer(sum_of_squares loss, 4 samples, step 1 of 3, loss {trainer.losses[0]:.4f})"


def test_predict_gives_one_score_per_row():
    trainer = lecture_trainer()
    scores = trainer.predict(np.array(XS))
    assert scores.tolist() == [trainer.model(row).data for row in XS]
    assert trainer.predict(XS).tolist() == scores.tolist()
    assert trainer.predict(np.zeros((0, 3))).shape == (0,)


@pytest.mark.parametrize(
    "X, error, message",
    [
        ([1.0, 2.0, 3.0], ValueError,
         "X must be an (n, 3) array, one row per sample as in training; got shape (3,)"),
        ([[1.0, 2.0]], ValueError, "got shape (1, 2)"),
        ([["a", "b", "c"]], TypeError, "X must be an (n, 3) array of numbers, got list"),
    ],
)
def test_predict_with_the_wrong_shape_says_so(X, error, message):
    with pytest.raises(error) as info:
        lecture_trainer().predict(X)
    assert message in str(info.value)


class NoParameters:
    """Callable on a row, but with nothing to train."""

    def __call__(self, x):
        return Value(sum(x))

    def parameters(self):
        return []


def bad_model(exception):
    class Model(NoParameters):
        def parameters(self):
            return [Value(1.0)]

        def __call__(self, x):
            raise exception

    return Model()


@pytest.mark.parametrize(
    "X, y, message",
    [
        ([[1.0], [2.0]], [1.0, math.nan], "y contains nan or infinite values"),
        ([[1.0], [2.0]], [1.0, math.inf], "y contains nan or infinite values"),
        ([[1.0], [math.inf]], [1.0, 0.0], "X contains nan or infinite values"),
        (np.zeros((0, 1)), [], "X must be a non-empty (n, nin) array, got shape (0, 1)"),
        ([1.0, 2.0], [1.0, 0.0], "X must be a non-empty (n, nin) array, got shape (2,)"),
        ([[1.0], [2.0]], [[1.0], [0.0]], "y must have one entry per row of X, i.e. shape (2,); "
                                         "got shape (2, 1)"),
        ([[1.0], [2.0]], [-1.0, 0.0], "hinge loss needs class labels 0/1 or -1/+1, got labels "
                                      "[-1.0, 0.0]"),
        ([[1.0], [2.0]], [0.5, 1.0], "got labels [0.5, 1.0]"),
    ],
)
def test_bad_data_says_what_is_wrong(X, y, message):
    with pytest.raises(ValueError) as info:
        Trainer(Neuron(1), X, y)
    assert str(info.value) == message or message in str(info.value)


@pytest.mark.parametrize(
    "X, y, message",
    [
        ([["a"], ["b"]], [1.0, 0.0], "X must be an (n, nin) array of numbers, got list"),
        ([[1.0], [2.0, 3.0]], [1.0, 0.0], "X must be an (n, nin) array of numbers"),
        ([[1.0], [2.0]], ["yes", "no"], "y must be an (n,) array of numbers, got list"),
    ],
)
def test_data_that_is_not_numbers_says_so(X, y, message):
    with pytest.raises(TypeError) as info:
        Trainer(Neuron(1), X, y)
    assert message in str(info.value)


def test_labels_may_be_all_of_one_class():
    assert Trainer(Neuron(1), [[1.0], [2.0]], [1, 1]).labels.tolist() == [1.0, 1.0]
    assert Trainer(Neuron(1), [[1.0], [2.0]], [0, 0]).labels.tolist() == [-1.0, -1.0]
    assert Trainer(Neuron(1), [[1.0], [2.0]], [-1, -1]).labels.tolist() == [-1.0, -1.0]
    # mse keeps the targets as given
    assert Trainer(Neuron(1), [[1.0], [2.0]], [0, 3.5], loss="mse").labels.tolist() == [0.0, 3.5]


def test_a_model_with_no_parameters_is_a_clear_error():
    with pytest.raises(ValueError, match="^the model has no parameters to train$"):
        Trainer(NoParameters(), [[1.0], [2.0]], [1.0, 0.0])


@pytest.mark.parametrize("exception", [TypeError("bad row"), ValueError("bad row")])
def test_a_model_that_cannot_read_a_row_says_so(exception):
    with pytest.raises(ValueError) as info:
        Trainer(bad_model(exception), [[1.0, 2.0], [2.0, 3.0]], [1.0, 0.0])
    assert str(info.value) == "the model cannot read a row of X (X has 2 columns): bad row"
    assert info.value.__cause__ is exception


def test_a_model_giving_a_list_says_to_end_with_one_neuron():
    with pytest.raises(ValueError) as info:
        Trainer(MLP(1, [2]), [[1.0], [2.0]], [1.0, 0.0])
    assert "make its last layer a single neuron), it gave list [Value(" in str(info.value)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"steps": True}, TypeError, "steps must be a whole number, got bool True"),
        ({"steps": -1}, ValueError, "steps must be at least 1, got -1"),
        ({"learning_rate": math.nan}, ValueError, "learning_rate must be a finite number > 0, got nan"),
        ({"learning_rate": math.inf}, ValueError, "learning_rate must be a finite number > 0"),
        ({"learning_rate": True}, TypeError, "learning_rate must be a number, got bool True"),
        ({"learning_rate": "1"}, TypeError, "learning_rate must be a number, got str '1'"),
        ({"alpha": math.nan}, ValueError, "alpha must be a finite number >= 0, got nan"),
        ({"alpha": "x" * 38}, TypeError, "alpha must be a number, got str '" + "x" * 38 + "'"),
        ({"alpha": "x" * 39}, TypeError, "alpha must be a number, got str '" + "x" * 36 + "..."),
        ({"alpha": "x" * 50}, TypeError, "alpha must be a number, got str '" + "x" * 36 + "..."),
        ({"loss": "l1"}, ValueError, "loss must be one of 'hinge', 'sum_of_squares', got 'l1'"),
        ({"schedule": "step"}, ValueError,
         "schedule must be one of 'constant', 'linear_decay', got 'step'"),
    ],
)
def test_bad_settings_say_what_is_accepted(kwargs, error, message):
    with pytest.raises(error) as info:
        Trainer(Neuron(1), [[1.0], [2.0]], [1.0, 0.0], **kwargs)
    assert message in str(info.value)


def test_a_model_that_is_not_a_model_says_so():
    with pytest.raises(TypeError, match="model must be a Neuron, Layer or MLP .*got int 3"):
        Trainer(3, [[1.0]], [1.0])

    class CallableOnly:
        def __call__(self, x):
            return Value(0.0)

    with pytest.raises(TypeError, match="callable, with parameters"):
        Trainer(CallableOnly(), [[1.0]], [1.0])
