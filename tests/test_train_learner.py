"""The Trainer, the training dashboard and the decision boundary take the learner's own
engine: a lecture-style Value (closures for `_backward`, no fused neurons) and MLP, as
notebooks 03-06 have the learner write them, and notebook 07 trains."""

import gc
import random
import re

import numpy as np
import pytest

from backproplab import nn, viz, widgets
from backproplab.data import make_moons
from backproplab.train import Trainer


from learner_style import MLP, Neuron, Value


X, Y = make_moons(n_samples=100, noise=0.1, seed=1337)


def lecture_mlp(sizes=(8, 8, 1), seed=0):
    random.seed(seed)
    return MLP(2, list(sizes))


def course_copy(model):
    """The course engine's MLP with the same weights, tanh in every neuron like the lecture's."""
    course = nn.MLP(2, [len(layer.neurons) for layer in model.layers], activation="tanh",
                    output_activation="tanh", seed=0)
    for mine, theirs in zip(model.parameters(), course.parameters()):
        theirs.data = mine.data
    return course


def test_the_trainer_trains_a_lecture_mlp_as_the_course_engine_does():
    model = lecture_mlp()
    course = course_copy(model)
    mine = Trainer(model, X, Y, learning_rate=3.0, schedule="linear_decay", steps=100)
    ref = Trainer(course, X, Y, learning_rate=3.0, schedule="linear_decay", steps=100)
    mine.run(5)
    ref.run(5)
    assert mine.losses == pytest.approx(ref.losses, rel=1e-9)
    assert [p.data for p in model.parameters()] == pytest.approx(
        [p.data for p in course.parameters()], rel=1e-9, abs=1e-12)
    assert mine.losses[-1] < mine.losses[0]


def test_the_lecture_mlp_reaches_100_percent_on_the_moons_with_notebook_07s_settings():
    model = lecture_mlp((8, 8, 1), seed=0)
    trainer = Trainer(model, X, Y, learning_rate=3.0, schedule="linear_decay", steps=100)
    trainer.run()
    assert trainer.accuracies[-1] == 1.0
    assert ((trainer.predict(X) > 0) == (Y > 0)).all()


def test_mse_works_on_the_lecture_values_too():
    model = lecture_mlp((3, 1))
    trainer = Trainer(model, X[:8], Y[:8] * 2 - 1, loss="mse", learning_rate=0.05, steps=10)
    trainer.run()
    assert trainer.losses[-1] < trainer.losses[0]


def test_each_step_frees_the_last_steps_graph():
    """The lecture's closures make a reference cycle in every node; without the collection
    after each step the graphs would pile up until the collector's next turn."""
    def values_alive():
        return sum(isinstance(o, Value) for o in gc.get_objects())

    gc.collect()  # other tests' garbage (they share this Value class) goes first
    before = values_alive()
    model = lecture_mlp((8, 8, 1))
    trainer = Trainer(model, X, Y, learning_rate=1.0, steps=10)
    trainer.run(3)
    alive = values_alive() - before
    assert alive < len(model.parameters()) + 50, f"{alive} Values alive after 3 steps"


@pytest.mark.parametrize("remove, named", [
    ("zero_grad", "zero_grad"),
    ("parameters", "parameters()"),
])
def test_a_model_missing_a_method_gets_one_sentence_naming_it(remove, named):
    class Partial(MLP):
        pass
    model = Partial(2, [2, 1])
    setattr(Partial, remove, None)
    with pytest.raises(TypeError) as info:
        Trainer(model, X, Y)
    message = str(info.value)
    assert named in message and "\n" not in message and message.count(". ") == 0


@pytest.mark.parametrize("remove, loss", [("relu", "hinge"), ("backward", "hinge"),
                                          ("__pow__", "mse"), ("__radd__", "hinge")])
def test_a_value_missing_what_the_loss_needs_gets_one_sentence_naming_it(remove, loss, monkeypatch):
    model = lecture_mlp((2, 1))
    monkeypatch.delattr(Value, remove)
    with pytest.raises(TypeError, match=rf"has no {re.escape(remove)}$") as info:
        Trainer(model, X, Y * 2 - 1, loss=loss)
    assert "\n" not in str(info.value)


def test_an_output_that_is_not_a_value_is_named():
    model = lecture_mlp((2, 2))  # two outputs: a list
    with pytest.raises(ValueError, match="one output Value per sample"):
        Trainer(model, X, Y)


def test_the_boundary_of_a_lecture_mlp_is_its_own_scores():
    model = lecture_mlp((4, 4, 1))
    points = np.array([[x1, x2] for x1 in np.linspace(-1.5, 2.5, 7) for x2 in np.linspace(-1, 1.5, 5)])
    fast = viz._model_scores(model, points)
    slow = np.array([model(list(map(float, p))).data for p in points])
    assert fast == pytest.approx(slow, rel=1e-9, abs=1e-12)


def test_a_model_the_fast_boundary_cannot_read_is_scored_point_by_point():
    model = lecture_mlp((3, 1))
    original = Neuron.__call__
    Neuron.__call__ = lambda self, x: original(self, x) * 2  # not tanh(w . x + b) any more
    try:
        points = np.array([[0.1, 0.2], [1.0, -0.5], [-1.0, 0.7]])
        scores = viz._model_scores(model, points)
        assert scores == pytest.approx([model(list(p)).data for p in points])
    finally:
        Neuron.__call__ = original


def test_the_dashboard_trains_a_lecture_mlp_and_labels_its_rates_honestly():
    trainer = Trainer(lecture_mlp((4, 1)), X, Y, learning_rate=2.0, schedule="linear_decay", steps=6)
    lab = widgets.training_dashboard(trainer, resolution=12)
    assert lab.controls["learning_rate"].description == "starting learning rate"
    lab.run_steps(6)
    assert trainer.done and lab.errors.value == ""
    assert "step 6 of 6" in lab.progress.value
    # the status line shows the rate the last step used: the schedule's, not the slider's
    assert f"rate of this step {trainer.learning_rates[-1]:.3g}" in lab.progress.value
    assert trainer.learning_rates[-1] < lab.controls["learning_rate"].value
    assert "nowrap" in lab.progress.value
    constant = widgets.training_dashboard(Trainer(lecture_mlp((2, 1)), X, Y, steps=2), resolution=8)
    assert constant.controls["learning_rate"].description == "learning rate"


def test_the_dashboard_given_the_model_itself_says_to_make_a_trainer():
    with pytest.raises(TypeError, match=r"train\.Trainer\(model, X, y\)"):
        widgets.training_dashboard(lecture_mlp((2, 1)))
