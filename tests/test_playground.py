"""The Playground (`backproplab.playground`): training without widgets, then the widget."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backproplab.playground import FEATURES, Playground, playground, plot_playground
from test_static_text import WIDGET_VIEW, readable


def small(**kw):
    settings = dict(dataset="moons", points=60, hidden=[3, 2], batch_size=7, seed=3)
    settings.update(kw)
    return Playground(**settings)


# ------------------------------------------------------------------ the model


def test_same_settings_and_seeds_give_the_same_run():
    a, b = small(), small()
    for _ in range(12):
        assert a.step() == b.step()
    assert a.history == b.history
    for x, y in zip(a.weights, b.weights):
        np.testing.assert_array_equal(x, y)
    c = small(seed=4)
    for _ in range(12):
        c.step()
    assert c.history["train_loss"] != a.history["train_loss"]


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
@pytest.mark.parametrize("regularization, rate", [(None, 0.0), ("L1", 0.01), ("L2", 0.03)])
def test_tensor_and_scalar_engines_take_the_same_steps(activation, regularization, rate):
    settings = dict(activation=activation, regularization=regularization,
                    regularization_rate=rate, features=("x1", "x2", "x1*x2", "sin(x2)"))
    a, b = small(**settings), small(engine="scalar", **settings)
    for _ in range(6):
        assert a.step() == pytest.approx(b.step(), rel=1e-10, abs=1e-12)
        for x, y in zip(a.weight_grads + a.bias_grads, b.weight_grads + b.bias_grads):
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12)
    assert a.history["test_loss"] == pytest.approx(b.history["test_loss"], rel=1e-9)


def _numpy_loss(pg, batch):
    """The loss of `pg` on `batch`, written out with numpy: an independent reference."""
    act = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[pg.activation]
    H = pg.features_of(pg.X_train[batch])
    for W, b in zip(pg.weights[:-1], pg.biases[:-1]):
        H = act(H @ W + b)
    s = (H @ pg.weights[-1] + pg.biases[-1])[:, 0]
    y = pg.y_train[batch] * 2 - 1
    loss = np.maximum(0, 1 - y * s).mean()
    penalty = {"L2": lambda W: (W**2).sum(), "L1": lambda W: np.abs(W).sum()}[pg.regularization]
    return loss + pg.regularization_rate * sum(penalty(W) for W in pg.weights)


@pytest.mark.parametrize("regularization", ["L1", "L2"])
def test_gradients_agree_with_central_differences(regularization):
    pg = small(regularization=regularization, regularization_rate=0.05, hidden=[4])
    batch = np.arange(9)
    loss, weight_grads, bias_grads = pg.loss_and_gradients(batch)
    assert loss == pytest.approx(_numpy_loss(pg, batch), rel=1e-12)
    h = 1e-6
    for arrays, grads in ((pg.weights, weight_grads), (pg.biases, bias_grads)):
        for array, grad in zip(arrays, grads):
            for index in np.ndindex(array.shape):
                keep = array[index]
                array[index] = keep + h
                up = _numpy_loss(pg, batch)
                array[index] = keep - h
                down = _numpy_loss(pg, batch)
                array[index] = keep
                assert grad[index] == pytest.approx((up - down) / (2 * h), abs=1e-6)


def test_an_epoch_visits_every_training_point_once():
    pg = small(points=40, test_fraction=0.5, batch_size=6)  # 20 points: batches 6, 6, 6, 2
    seen = []
    while pg.epoch < 1:
        seen += pg._next_batch().tolist()
    assert sorted(seen) == list(range(20))
    pg.reset()
    pg.train(2)
    assert pg.steps == 8 and pg.epoch == 2
    assert pg.history["epoch"][3] == 1.0 and pg.history["epoch"][-1] == 2.0


def test_a_linear_model_fails_on_xor_until_it_reads_x1_times_x2():
    line = Playground("xor", hidden=[], learning_rate=0.1).train(40)
    assert line.test_accuracy < 0.7
    product = Playground("xor", hidden=[], features=("x1", "x2", "x1*x2"),
                         learning_rate=0.1).train(40)
    assert product.test_accuracy > 0.95


def test_three_neurons_separate_the_circles_two_do_not():
    two = Playground("circles", hidden=[2], learning_rate=0.1).train(100)
    three = Playground("circles", hidden=[3], learning_rate=0.1).train(100)
    assert two.test_accuracy < 0.9 < 0.98 < three.test_accuracy


def test_changing_data_or_network_starts_again_the_rest_carries_on():
    pg = small()
    pg.train(2)
    weights = [W.copy() for W in pg.weights]
    assert pg.set(learning_rate=0.1, batch_size=3, regularization="L2", engine="scalar") is False
    assert pg.steps > 0 and all((a == b).all() for a, b in zip(weights, pg.weights))
    pg.step()  # the scalar engine carries on from the same weights
    assert pg.set(activation="relu") is True and pg.steps == 0 and pg.history["epoch"] == []
    points = pg.X_train.copy()
    assert pg.regenerate() == 1 and not np.array_equal(points, pg.X_train)
    assert pg.regenerate(0) == 0 and np.array_equal(points, pg.X_train)


def test_a_new_data_set_comes_with_its_own_noise():
    pg = Playground("circles")
    assert pg.noise == 0.05
    pg.set(dataset="spiral")
    assert pg.noise == 0.02
    pg.set(dataset="xor", noise=0.1)
    assert pg.noise == 0.1
    pg.set(points=100)  # the noise chosen stays
    assert pg.noise == 0.1


def test_every_data_set_fills_the_plane_with_both_classes():
    for dataset in ("circles", "xor", "gaussians", "moons", "spiral"):
        pg = Playground(dataset)
        X = np.vstack([pg.X_train, pg.X_test])
        assert 1.2 < np.abs(X).max() <= pg.extent, dataset
        assert set(pg.y_train) == {0, 1} and set(pg.y_test) == {0, 1}


def test_features_are_what_their_names_say():
    pg = small(features=tuple(FEATURES))
    X = np.array([[2.0, -3.0]])
    np.testing.assert_allclose(pg.features_of(X),
                               [[2, -3, 4, 9, -6, math.sin(2), math.sin(-3)]])


def test_neuron_shows_its_incoming_weights_and_last_gradient():
    pg = small(hidden=[3, 2])
    assert pg.neuron(2, 1)["weight_grads"] is None
    pg.step()
    info = pg.neuron(2, 1)
    assert info["name"] == "layer 2, neuron 2" and len(info["inputs"]) == 3
    np.testing.assert_array_equal(info["weights"], pg.weights[1][:, 1])
    np.testing.assert_array_equal(info["weight_grads"], pg.weight_grads[1][:, 1])
    assert info["bias_grad"] == pg.bias_grads[1][1]
    assert pg.neuron(3, 0)["name"] == "output"
    assert pg.neuron_names() == ["layer 1, neuron 1", "layer 1, neuron 2", "layer 1, neuron 3",
                                 "layer 2, neuron 1", "layer 2, neuron 2", "output"]


def test_a_diverging_run_says_so_in_one_sentence():
    pg = Playground("spiral", hidden=[8, 8, 8, 8], activation="linear", learning_rate=10.0,
                    features=tuple(FEATURES))
    with pytest.raises(OverflowError, match="learning rate 10 is too large") as info:
        for _ in range(200):
            pg.step()
    assert all(np.isfinite(W).all() for W in pg.weights)  # the last good weights stay
    assert str(info.value).startswith(f"training stopped after step {pg.steps}: step "
                                      f"{pg.steps + 1} made the numbers too large")


@pytest.mark.parametrize("settings, error, says", [
    (dict(batch_size=101), ValueError, "batch_size 101 is larger than the 100 training points; choose from 1 to 100"),
    (dict(batch_size=0), ValueError, "batch_size must be from 1 to 100"),
    (dict(hidden=[4, 0]), ValueError, "hidden layer 2's number of neurons must be from 1 to 8, got 0"),
    (dict(hidden=[9]), ValueError, "from 1 to 8, got 9"),
    (dict(hidden=[1, 1, 1, 1, 1]), ValueError, "at most 4 layers"),
    (dict(hidden=4), TypeError, "a list of layer sizes"),
    (dict(features=()), ValueError, "at least one input feature"),
    (dict(features=("x3",)), ValueError, "unknown feature 'x3'"),
    (dict(activation="softmax"), ValueError, "'tanh', 'relu', 'sigmoid', 'linear'"),
    (dict(dataset="iris"), ValueError, "'circles', 'xor', 'gaussians', 'moons', 'spiral'"),
    (dict(noise=0.9), ValueError, "noise must be from 0 to 0.5"),
    (dict(learning_rate=0), ValueError, "learning_rate must be from 1e-05 to 10"),
    (dict(learning_rate=math.nan), ValueError, "learning_rate"),
    (dict(regularization="L3"), ValueError, "None, 'L1', 'L2'"),
    (dict(engine="torch"), ValueError, "'tensor', 'scalar'"),
    (dict(points=5), ValueError, "points must be from 10 to 1000"),
    (dict(seed=-1), ValueError, "seed"),
])
def test_impossible_settings_are_refused_in_one_sentence(settings, error, says):
    with pytest.raises(error) as info:
        Playground(**{"dataset": "moons", "points": 200, **settings})
    assert says in str(info.value)
    # Jupyter shows the sentence alone, not a traceback through the course's code
    lines = info.value._render_traceback_()
    assert len(lines) == 1 and lines[0].endswith(f"{error.__name__}\x1b[0m: {info.value}")
    pg = Playground("moons", points=200)
    with pytest.raises(error):
        pg.set(**settings)
    assert pg.settings == Playground("moons", points=200).settings  # nothing changed


def test_an_unknown_setting_names_the_settings():
    with pytest.raises(TypeError, match="unknown setting 'speed'; the settings are dataset, noise"):
        Playground().set(speed=3)


def test_plot_playground_draws_three_panels():
    pg = small()
    pg.train(3)
    fig = plot_playground(pg, selected="layer 1, neuron 2")
    assert len(fig.axes) == 3
    assert "2 → 3 → 2 → 1" in fig.axes[0].get_title()
    with pytest.raises(TypeError, match="needs a Playground"):
        plot_playground("moons")


# ------------------------------------------------------------------ the widget


@pytest.fixture
def lab():
    return playground(dataset="circles", hidden=[8, 8], points=200)


def pictures(lab):
    return (lab.network_image.value, lab.boundary_image.value, lab.loss_image.value)


def test_widget_trains_and_its_pictures_follow(lab):
    before = pictures(lab)
    assert "epoch 0" in lab.status.value
    lab.run_steps(25)
    assert lab.playground.steps == 25 and "epoch 2</b> (step 25)" in lab.status.value
    after = pictures(lab)
    assert all(a != b for a, b in zip(before, after))
    assert lab.rate["steps_per_second"] > 0 and lab.last_error is None


def test_changing_data_network_and_activation_redraws_boundary_and_heatmaps(lab):
    c = lab.controls
    lab.run_steps(5)
    for control, value in ((c["dataset"], "spiral"), (c["hidden_layers"], 3),
                           (c["neurons"][2], 5), (c["activation"], "relu"),
                           (c["features"]["sin(x1)"], True)):
        before = pictures(lab)
        control.value = value
        after = pictures(lab)
        assert after[0] != before[0] and after[1] != before[1], control.description
    pg = lab.playground
    assert (pg.dataset, pg.hidden, pg.activation) == ("spiral", [8, 8, 5], "relu")
    assert pg.features == ("x1", "x2", "sin(x1)") and pg.steps == 0
    assert c["noise"].value == 0.02  # the spiral's own noise
    assert lab.last_error is None


def test_training_controls_apply_without_starting_again(lab):
    c = lab.controls
    lab.run_steps(3)
    c["learning_rate"].value = 0.3
    c["regularization"].value = "L2"
    c["regularization_rate"].value = 0.01
    c["engine"].value = "scalar"
    lab.run_steps(2)
    pg = lab.playground
    assert pg.steps == 5 and (pg.learning_rate, pg.regularization, pg.engine) == (0.3, "L2", "scalar")
    assert "scalar engine" in lab.status.value and "Values a step" in lab.notes.value


def test_hidden_layer_sliders_show_only_the_layers_in_use(lab):
    c = lab.controls
    c["hidden_layers"].value = 1
    assert [s.layout.display for s in c["neurons"]] == ["", "none", "none", "none"]
    assert lab.playground.hidden == [8]
    c["hidden_layers"].value = 0
    assert lab.playground.hidden == [] and lab.controls["neuron"].options == ("output",)


def test_impossible_settings_are_prevented_and_explained(lab):
    c = lab.controls
    c["batch_size"].value = 100
    c["points"].value = 60  # 30 training points
    assert lab.playground.batch_size == 30 and c["batch_size"].max == 30
    assert "cannot hold more than the 30 training points" in lab.notes.value
    c["features"]["x2"].value = False
    c["features"]["x1"].value = False
    assert lab.playground.features == ("x1",) and c["features"]["x1"].value
    assert "at least one input feature" in lab.notes.value
    c["regularization"].value = "L1"
    assert "rate of 0 changes nothing" in lab.notes.value
    assert lab.last_error is None


def test_a_diverging_run_pauses_and_says_why_in_the_widget():
    lab = playground(dataset="spiral", hidden=[8, 8, 8, 8], activation="linear",
                     learning_rate=10.0, features=tuple(FEATURES))
    for _ in range(200):
        lab.controls["step"].click()
        if lab.diverged is not None:
            break
    assert isinstance(lab.diverged, OverflowError) and lab.last_error is None
    steps = lab.playground.steps
    # a sentence about the training, not an internal error; its step is the status's
    assert "Error while updating" not in lab.errors.value + lab.alert.value
    assert f"Training stopped after step {steps}: step {steps + 1} made" in lab.alert.value
    assert f"(step {steps})" in lab.status.value
    assert lab.loss_plot.panel.ax.get_ylim()[1] <= 6  # no axis up to 1e196
    lab.controls["reset"].click()
    assert lab.alert.value == "" and lab.playground.steps == 0


def test_choosing_a_neuron_shows_its_weights_and_gradients(lab):
    lab.controls["neuron"].value = "layer 2, neuron 3"
    assert "no step yet" in lab.neuron_info.value
    before = lab.network_image.value
    lab.controls["step"].click()
    info = lab.playground.neuron(2, 2)
    text = lab.neuron_info.value
    assert "layer 2, neuron 3" in text and "at step 1" in text
    assert f"{info['weights'][0]:+.3f}" in text and f"{info['weight_grads'][0]:+.4f}" in text
    lab.controls["neuron"].value = "layer 1, neuron 1"
    assert lab.network_image.value != before


def test_regenerate_shows_the_new_seed(lab):
    assert "data seed <b>0</b>" in lab.seed_text.value
    points = lab.playground.X_train.copy()
    lab.controls["regenerate"].click()
    assert "data seed <b>1</b>" in lab.seed_text.value
    assert lab.playground.data_seed == 1 and not np.array_equal(points, lab.playground.X_train)


def test_widget_reads_as_a_sentence_on_a_static_page(lab):
    bundle = lab._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    readable(bundle["text/plain"])
    assert "Playground" in bundle["text/plain"]


def test_widget_refuses_bad_settings_in_one_sentence():
    with pytest.raises(ValueError, match="batch_size 500 is larger than"):
        playground(batch_size=500)
    with pytest.raises(ValueError, match="redraw_interval must be a number >= 0"):
        playground(redraw_interval=-1)


def test_reset_draws_the_next_weight_seed_and_shows_it(lab):
    first = [W.copy() for W in lab.playground.weights]
    assert "weight seed <b>0</b>" in lab.weight_seed_text.value
    lab.run_steps(5)
    lab.controls["reset"].click()
    pg = lab.playground
    assert pg.seed == 1 and pg.steps == 0 and "weight seed <b>1</b>" in lab.weight_seed_text.value
    assert not np.array_equal(first[0], pg.weights[0])
    # the same seeds give the same run
    again = Playground(dataset="circles", hidden=[8, 8], points=200, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(again.weights, pg.weights))


def test_stop_goes_back_to_this_runs_starting_weights(lab):
    start = [W.copy() for W in lab.playground.weights]
    lab.run_steps(5)
    play = lab.controls["play"]
    play.set_state({"value": 0})  # what ■ sends (pause, then the value back to its min)
    pg = lab.playground
    assert pg.steps == 0 and pg.seed == 0 and play.value == 1
    assert all(np.array_equal(a, b) for a, b in zip(start, pg.weights))
    assert "■ stop" in play.tooltip and "■ stops and goes back to the start" in lab.status.value


def play_for(lab, seconds):
    import asyncio

    from backproplab.widgets import _PLAYING

    async def run():
        redraws = lab.loss_plot.redraws
        setattr(lab.controls["play"], _PLAYING, True)
        await asyncio.sleep(seconds)
        assert "this run:" in lab.status.value  # the current run's rate, while it plays
        setattr(lab.controls["play"], _PLAYING, False)
        return lab.loss_plot.redraws - redraws - 1  # less the pause's own picture

    # in a thread of its own, with its own event loop, as a kernel has one: the test
    # session may already run a loop in this thread (Playwright's, for the browser tests)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_play_keeps_its_pace_one_epoch_a_picture_by_default(lab):
    assert lab.controls["pace"].value == "1 epoch a picture"
    pictures_ = play_for(lab, 1.0)
    pg = lab.playground
    assert lab.last_error is None and pictures_ >= 1
    assert pictures_ <= pg.epoch <= pictures_ + 1  # each picture one epoch further on
    assert "last run:" in lab.status.value


def test_as_fast_as_it_goes_shows_many_steps_a_picture():
    lab = playground(dataset="circles", hidden=[8, 8], points=200, pace="as fast as it goes")
    pictures_ = play_for(lab, 1.0)
    assert lab.last_error is None and lab.playground.epoch > 3 * max(pictures_, 1)
    with pytest.raises(ValueError, match="pace must be one of '1 step a picture'"):
        playground(pace="slow")


def test_the_loss_curve_shows_epochs_and_keeps_the_first_ones_readable():
    pg = Playground("circles").train(200)  # 10 steps an epoch
    lab = playground()
    lab.playground = pg
    lab.refresh()
    line = lab.loss_plot.panel.train
    epochs = np.asarray(line.get_xdata())
    # every step of the first epoch, then one point an epoch
    assert len(epochs) == 10 + 199 and np.array_equal(epochs[10:], np.arange(2, 201))
    ax = lab.loss_plot.panel.ax
    assert ax.get_xscale() == "symlog" and "log scale" in ax.get_xlabel()
    left, right = (ax.transData.transform([(x, 0)])[0][0] for x in (0, 10))
    width = ax.bbox.width
    assert right - left > width / 3  # the first 10 of 200 epochs take a third of the axis
    short = playground()
    short.playground.train(60)
    short.refresh()
    assert short.loss_plot.panel.ax.get_xscale() == "linear"  # 60 epochs: a plain axis


def test_the_status_line_shows_a_steady_step_time(lab):
    lab.run_steps(30)
    assert "median of the last 25" in lab.status.value and "last run:" in lab.status.value


def test_a_neurons_box_out_of_range_says_what_it_did(lab):
    box = lab.controls["neurons"][0]
    box.value = 20
    assert box.value == 8 and lab.playground.hidden == [8, 8]
    assert "Hidden layer 1 can have 1 to 8 neurons: 20 became 8." in lab.notes.value
    box.value = 0
    assert box.value == 1 and lab.playground.hidden == [1, 8]
    assert "0 became 1" in lab.notes.value and lab.last_error is None


def test_rates_read_as_numbers(lab):
    rate = lab.controls["learning_rate"]
    assert rate.label == "0.1" and rate.value == 0.1  # what a screen reader reads out
    assert [label for label, _ in rate.options][:3] == ["1e-05", "0.0001", "0.001"]


def test_a_weight_table_never_shows_minus_zero(lab):
    from backproplab.playground import _signed

    assert _signed(-0.00001, 4) == "+0.0000" and _signed(-0.0385, 4) == "-0.0385"
    lab.run_steps(3)
    assert "-0.0000" not in lab.neuron_info.value and "-0.000<" not in lab.neuron_info.value


def test_wide_layers_get_a_taller_network_drawing(lab):
    assert lab.network_plot.figsize == (5.0, 4.0)  # layers of 8
    lab.controls["neurons"][0].value = 3
    lab.controls["neurons"][1].value = 2
    assert lab.network_plot.figsize == (5.0, 3.0)


# ------------------------------------------------------------------ what notebook 09 says


def test_section_7s_gradients_come_from_one_point_and_neuron_2_is_saturated():
    # "nine of the ten are beyond [the margin] ... neuron 2's tanh is saturated (its slope
    # 1 - tanh² is about 0.0002), so its gradients are about 0"
    three = Playground("circles", hidden=[3]).train(100)
    batch = three._order[three._position - three.batch_size:three._position]
    before = [W + three.learning_rate * g for W, g in zip(three.weights, three.weight_grads)]
    biases = [b + three.learning_rate * g for b, g in zip(three.biases, three.bias_grads)]
    H = np.tanh(three._F_train[batch] @ before[0] + biases[0])
    margins = three._Y_train[batch] * (H @ before[1] + biases[1])[:, 0]
    inside = margins < 1
    assert inside.sum() == 1
    slopes = 1 - H[inside][0] ** 2
    assert slopes[1] < 0.001 < min(slopes[0], slopes[2])
    assert np.abs(three.neuron(1, 1)["weight_grads"]).max() < 0.001
    assert np.abs(three.neuron(1, 0)["weight_grads"]).max() > 0.01


def test_section_5_start_large_and_finish_small_works_from_1_not_from_3():
    stuck = Playground("circles", learning_rate=3.0).train(10)
    stuck.set(learning_rate=0.1)
    assert stuck.train(30).test_accuracy <= 0.6  # saturated: "around 50-60%"
    rescued = Playground("circles", learning_rate=1.0).train(10)
    rescued.set(learning_rate=0.1)
    assert rescued.train(30).test_accuracy == 1.0
    losses = Playground("circles", learning_rate=3.0).train(50).history["train_loss"]
    # "jumps between about 1 and 3, at times higher"
    assert 0.7 < min(losses) < 1.0 and 1.0 < np.median(losses) < 2.0 and max(losses) > 3.0


def test_section_6s_l1_drives_weights_to_about_0_not_exactly():
    noisy = dict(dataset="circles", noise=0.2, points=40, batch_size=5, hidden=[8, 8],
                 features=tuple(FEATURES))
    pg = Playground(**noisy, regularization="L1", regularization_rate=0.03).train(300)
    weights = np.concatenate([W.ravel() for W in pg.weights])
    step = pg.learning_rate * pg.regularization_rate  # each step's push towards 0
    near = np.abs(weights) <= step
    assert near.mean() > 0.5 and not (weights == 0).any()  # "about 0", hopping within a step
