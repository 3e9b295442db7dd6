"""The widgets, driven headless: set a control's value, check what the learner would see."""

import math
import asyncio
import io
import threading

import ipywidgets as W
import numpy as np
import pytest
from PIL import Image

from backproplab import viz
from backproplab.data import make_moons
from backproplab.engine import Value, topological_order, weighted_sum
from backproplab.nn import MLP
from backproplab.train import Trainer
from lecture import lecture_values
from backproplab.widgets import (
    backprop_stepper,
    chain_rule_paths,
    derivative_lab,
    graph_explorer,
    neuron_playground,
    training_dashboard,
)



# ------------------------------------------------------------------ graph_explorer


def test_graph_explorer_redraws_with_new_data_and_grads_after_a_slider_move():
    lab = graph_explorer(lambda a, b, c: a * b + c, a=2.0, b=-3.0, c=10.0)
    assert isinstance(lab, W.VBox)
    assert set(lab.controls) == {"a", "b", "c"}
    assert "{ a | data 2.0000 | grad -3.0000 }" in lab.dot
    assert "{ out | data 4.0000 | grad 1.0000 }" in lab.dot
    lab.controls["b"].value = 1.5
    assert "{ a | data 2.0000 | grad 1.5000 }" in lab.dot
    assert "{ b | data 1.5000 | grad 2.0000 }" in lab.dot
    assert "{ out | data 13.0000 | grad 1.0000 }" in lab.dot
    assert "data 13.0000" in lab.graph.value and "<svg" in lab.graph.value
    assert "out = 13.0000" in lab.summary.value


def test_graph_explorer_slider_ranges_and_explicit_controls():
    lab = graph_explorer(lambda x, y=0.5: x * y, x=(-1.0, 1.0, 0.25))
    x, y = lab.controls["x"], lab.controls["y"]
    assert (x.min, x.max, x.value) == (-1.0, 1.0, 0.25)
    assert (y.min, y.max, y.value) == (-5.0, 5.0, 0.5)
    assert graph_explorer(lambda a: a, a=12.0).controls["a"].max == 20.0


def test_a_callback_error_is_shown_in_the_widget_and_cleared_when_fixed():
    lab = graph_explorer(lambda a, b: a / b, a=1.0, b=2.0)
    assert lab.errors.value == "" and lab.last_error is None
    lab.controls["b"].value = 0.0
    assert "ZeroDivisionError" in lab.errors.value and "division by zero" in lab.errors.value
    assert isinstance(lab.last_error, ZeroDivisionError)
    lab.controls["b"].value = 4.0
    assert lab.errors.value == "" and "data 0.2500" in lab.dot


def test_without_dot_the_widget_shows_how_to_install_it_and_the_outline(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` anywhere
    lab = graph_explorer(lambda a, b: a * b, a=2.0, b=-3.0)
    assert lab.errors.value == ""
    assert "`dot` program was not found" in lab.graph.value
    assert "out  data    -6.0000  grad     1.0000  = a * b" in lab.graph.value
    lab.controls["a"].value = 1.0
    assert "out  data    -3.0000" in lab.graph.value


def test_stepper_spells_out_a_fused_neuron():
    w = [Value(0.5, label="w1"), Value(-1.0, label="w2")]
    x = [Value(2.0, label="x1"), Value(3.0, label="x2")]
    b = Value(0.25, label="b")
    n = weighted_sum(w, x, b)
    n.label = "n"
    lab = backprop_stepper(n)
    lab.controls["step"].value = 1
    assert "d n/d w1 = x1 = 2.0000" in lab.message.value
    assert "d n/d x2 = w2 = -1.0000" in lab.message.value
    assert "d n/d b = 1, so b.grad += 1.0000 * 1.0000" in lab.message.value  # not "1 = 1.0000"


def test_a_function_that_returns_a_number_is_reported():
    lab = graph_explorer(lambda a: 3.0, a=1.0)
    assert "f must return a Value" in lab.errors.value


def test_graph_explorer_rejects_bad_arguments():
    with pytest.raises(TypeError, match="f must be a function"):
        graph_explorer(42)
    with pytest.raises(ValueError, match="start values given for z, but f's inputs are a, b"):
        graph_explorer(lambda a, b: a * b, z=1.0)
    with pytest.raises(TypeError, match=r"not take \*args"):
        graph_explorer(lambda *args: args[0])
    with pytest.raises(TypeError, match="start value of a must be a finite number"):
        graph_explorer(lambda a: a, a="two")


# ------------------------------------------------------------------ backprop_stepper


def test_stepper_walks_reverse_topological_order_and_ends_at_backwards_grads():
    L, v = lecture_values()
    lab = backprop_stepper(L)
    assert lab.sequence == list(reversed(topological_order(L)))
    assert lab.controls["step"].max == len(lab.sequence) == 7
    final = lab.grads_at(len(lab.sequence))
    L.backward()
    assert {n: final[v[n]] for n in v} == {n: v[n].grad for n in v}


def test_stepper_fills_in_gradients_one_node_at_a_time():
    L, v = lecture_values()
    lab = backprop_stepper(L, rankdir="LR")  # records read "{ L | ... }" left to right
    step = lab.controls["step"]
    assert "{ L | data -8.0000 | grad 1.0000 }" in lab.dot
    assert "{ d | data 4.0000 | grad 0.0000 }" in lab.dot
    step.value = 1  # L = d * f passes its gradient to d and f
    assert "{ d | data 4.0000 | grad -2.0000 }" in lab.dot
    assert "{ e | data -6.0000 | grad 0.0000 }" in lab.dot
    highlighted = [ln for ln in lab.dot.splitlines() if "fillcolor" in ln and "shape=record" in ln]
    assert len(highlighted) == 1 and "{ L |" in highlighted[0]
    # a negative factor in brackets: "+= (-2.0000) * 1.0000", not "+= -2.0000 * 1.0000"
    assert "node 'L' (*): d L/d d = f = -2.0000, so d.grad += (-2.0000) * 1.0000" in lab.message.value
    step.value = 5  # reverse topological order: L, f, d, c, then e = a * b
    assert lab.sequence[4] is v["e"]
    assert "node 'e' (*): d e/d a = b = -3.0000, so a.grad += (-3.0000) * (-2.0000)" in lab.message.value
    assert "{ a | data 2.0000 | grad 6.0000 }" in lab.dot


def test_stepper_leaves_the_learners_grads_as_they_were():
    L, v = lecture_values()
    v["a"].grad = 123.0  # e.g. left over from an earlier backward()
    lab = backprop_stepper(L, rankdir="LR")
    lab.controls["step"].value = 7
    assert v["a"].grad == 123.0 and L.grad == 0.0
    assert "{ a | data 2.0000 | grad 6.0000 }" in lab.dot  # from zero, as backward() would


def test_stepper_handles_reuse_and_play_drives_the_slider():
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    lab = backprop_stepper(c)
    assert lab.grads_at(len(lab.sequence))[a] == 4.0
    lab.controls["play"].value = 2
    assert lab.controls["step"].value == 2
    assert "a.grad += 1.0000 * 2.0000" not in lab.message.value
    assert "d b/d a = 2 (used 2 times) = 2.0000, so a.grad += 2.0000 * 2.0000" in lab.message.value


def test_stepper_refuses_huge_graphs_and_non_values():
    v = Value(1.0)
    for _ in range(200):
        v = v * 1.01
    with pytest.raises(ValueError, match="pass max_nodes=401"):
        backprop_stepper(v)
    assert len(backprop_stepper(v, max_nodes=401).sequence) == 401
    with pytest.raises(TypeError, match="needs the Value"):
        backprop_stepper(2.0)


# ------------------------------------------------------------------ derivative_lab


def test_derivative_lab_compares_forward_and_central_differences():
    lab = derivative_lab()
    est = lab.estimates
    assert (est["exact"], est["forward"], est["central"]) == (8.0, 9.5, 8.0)
    assert isinstance(lab.controls["h"], W.FloatLogSlider)
    lab.controls["h"].value = 0.01
    assert lab.estimates["forward_error"] == pytest.approx(3 * 0.01, rel=1e-6)
    assert lab.estimates["central_error"] < 1e-10
    lab.controls["x"].value = -1.0
    assert lab.estimates["exact"] == -10.0
    legend = [t.get_text() for t in lab.slope_figure.axes[0].get_legend().get_texts()]
    assert "tangent at x: slope -10.0000" in legend
    assert bytes(lab.slope_image.value).startswith(b"\x89PNG")
    assert lab.error_figure.axes[0].get_xscale() == "log"


def test_derivative_lab_with_a_non_quadratic_function():
    lab = derivative_lab(lambda x: x**3, x=1.0, h=0.1)
    assert lab.estimates["exact"] == 3.0
    assert lab.estimates["central_error"] == pytest.approx(0.01, rel=1e-6)  # h**2 * f'''/6
    with pytest.raises(ValueError, match="h must be between 1e-10 and 1"):
        derivative_lab(h=5.0)


def test_derivative_lab_follows_the_slider_while_it_is_dragged():
    lab = derivative_lab()
    assert lab.controls["x"].continuous_update and lab.controls["h"].continuous_update
    first = bytes(lab.slope_image.value)
    for h in (0.4, 0.3, 0.2):  # each value the slider passes through redraws the lines
        lab.controls["h"].value = h
    lab.controls["x"].value = 1.0
    # the moved lines are the ones a fresh plot at these values draws
    fresh = viz.plot_slope(lambda x: 3 * x**2 - 4 * x + 5, 1.0, 0.2, xlim=(-5.0, 5.0))
    for moved, drawn in zip(lab.slope_figure.axes[0].lines, fresh.axes[0].lines):
        assert np.allclose(moved.get_ydata(), drawn.get_ydata(), rtol=1e-12, atol=1e-12)
    assert lab.slope_figure.axes[0].get_title() == fresh.axes[0].get_title()
    errors = viz.plot_difference_errors(lambda x: 3 * x**2 - 4 * x + 5, lambda x: 6 * x - 4, 1.0)
    for moved, drawn in zip(lab.error_figure.axes[0].lines[:4], errors.axes[0].lines):
        assert np.array_equal(moved.get_ydata(), drawn.get_ydata(), equal_nan=True)
    assert bytes(lab.slope_image.value) != first


# ------------------------------------------------------------------ chain_rule_paths


def test_chain_rule_paths_products_and_sums_agree_with_backward():
    lab = chain_rule_paths(lambda x, y: x * y + x.tanh(), x=0.5, y=2.0)
    by_name = {entry["name"]: entry for entry in lab.table}
    assert len(by_name["x"]["paths"]) == 2 and len(by_name["y"]["paths"]) == 1
    lab.controls["x"].value = -1.0
    by_name = {entry["name"]: entry for entry in lab.table}
    leaf_x = by_name["x"]["leaf"]
    assert leaf_x.data == -1.0
    assert by_name["x"]["total"] == pytest.approx(2.0 + 1 - 0.7615941559557649**2, rel=1e-12)
    assert by_name["x"]["total"] == pytest.approx(leaf_x.grad, rel=1e-12)
    assert "backward() gives x.grad = 2.4200" in lab.paths.value
    assert "&#10003; agrees" in lab.paths.value and "differs" not in lab.paths.value
    assert "data -1.0000" in lab.dot


# ------------------------------------------------------------------ neuron_playground


def test_neuron_playground_defaults_are_the_lectures_neuron():
    lab = neuron_playground()
    assert lab.root.data == pytest.approx(0.7071067811865476, rel=1e-9)
    grads = {k: lab.values[k].grad for k in ("x1", "x2", "w1", "w2", "b")}
    assert grads == pytest.approx({"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5})
    assert "{ o | data 0.7071 | grad 1.0000 }" in lab.dot
    assert isinstance(lab.controls["activation"], W.Dropdown)


def test_neuron_playground_controls_change_output_and_graph():
    lab = neuron_playground()
    lab.controls["activation"].value = "relu"
    assert lab.root.data == pytest.approx(0.8813735870195432)
    assert "[label=relu " in lab.dot
    lab.controls["b"].value = -2.0
    assert lab.root.data == 0.0 and lab.values["w1"].grad == 0.0
    assert "o = relu(n) = 0.0000" in lab.summary.value
    lab.controls["w2"].value = 3.0
    lab.controls["x2"].value = 1.0
    lab.controls["b"].value = 6.0
    assert lab.root.data == pytest.approx(2 * -3 + 1 * 3 + 6)
    assert lab.values["w2"].grad == 1.0 and lab.values["x1"].grad == -3.0
    with pytest.raises(ValueError, match="same number of entries"):
        neuron_playground(x=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="activation must be one of"):
        neuron_playground(activation="softmax")


# ------------------------------------------------------------------ training_dashboard


def small_trainer(steps=8, **kwargs):
    X, y = make_moons(24, seed=4)
    model = MLP(2, [6, 1], activation="relu", output_activation="linear", seed=2)
    return Trainer(model, X, y, steps=steps, **kwargs)


def test_dashboard_step_lowers_the_loss_and_shows_progress():
    trainer = small_trainer()
    lab = training_dashboard(trainer, boundary_every=2)
    assert "step 0 of 8" in lab.progress.value
    lab.controls["step"].click()
    lab.controls["step"].click()
    assert trainer.steps_taken == 2
    assert trainer.losses[1] < trainer.losses[0]
    assert "step 2 of 8" in lab.progress.value and "accuracy" in lab.progress.value
    assert lab.controls["play"].value == 2 and lab.progress_bar.value == 2
    assert list(lab.loss_figure.axes[0].lines[0].get_ydata()) == trainer.losses
    assert bytes(lab.boundary_image.value).startswith(b"\x89PNG")


def test_dashboard_play_runs_steps_and_reset_starts_over():
    trainer = small_trainer()
    lab = training_dashboard(trainer)
    lab.controls["play"].value = 3  # what three ticks of Play do
    assert trainer.steps_taken == 3 and "step 3 of 8" in lab.progress.value
    lab.run_steps(10)
    assert trainer.done and "finished" in lab.progress.value
    lab.controls["step"].click()  # nothing left to do: no error, nothing changes
    assert trainer.steps_taken == 8 and lab.errors.value == ""
    lab.controls["reset"].click()
    assert trainer.steps_taken == 0 and lab.controls["play"].value == 0
    assert "step 0 of 8" in lab.progress.value


def test_dashboard_learning_rate_control_sets_the_trainer():
    trainer = small_trainer()
    lab = training_dashboard(trainer)
    lab.controls["learning_rate"].value = 0.1
    lab.controls["step"].click()
    assert trainer.learning_rate == 0.1 and trainer.learning_rates == [0.1]


def test_dashboard_shows_errors_raised_during_a_step():
    trainer = small_trainer()
    lab = training_dashboard(trainer)

    def broken_step():
        raise ValueError("the model produced nonsense")

    trainer.step = broken_step
    lab.controls["step"].click()
    assert "ValueError: the model produced nonsense" in lab.errors.value


def test_dashboard_without_two_columns_has_no_boundary():
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    trainer = Trainer(MLP(3, [4, 4, 1]), xs, [1.0, -1.0, -1.0, 1.0], loss="mse",
                      learning_rate=0.05, steps=5)
    lab = training_dashboard(trainer)
    lab.controls["step"].click()
    assert lab.boundary_figure is None and lab.boundary_image not in lab.children[-1].children
    with pytest.raises(TypeError, match="needs a Trainer"):
        training_dashboard("trainer")


def test_an_input_may_be_called_f_like_the_lectures():
    lab = graph_explorer(lambda a, b, c, f: (a * b + c) * f, a=2.0, b=-3.0, c=10.0, f=-2.0)
    assert lab.root.data == -8.0
    paths = chain_rule_paths(lambda a, f: a * f, a=2.0, f=-2.0)
    assert paths.root.data == -4.0


def test_a_start_value_off_the_slider_grid_is_not_rounded_by_the_slider():
    # the browser snaps a value to the slider's steps; the lecture's bias has no step
    lab = neuron_playground()
    b = lab.controls["b"]
    assert b.value == 6.8813735870195432
    # ... and still has steps of 0.01 (an arrow key moves b by 0.01, not by 2.0), on a
    # grid that passes through the start value and stays inside the usual -10 .. 10
    assert b.step == 0.01
    steps_from_min = (b.value - b.min) / b.step
    assert steps_from_min == pytest.approx(round(steps_from_min), abs=1e-6)
    assert -10.0 <= b.min < -10.0 + b.step and 10.0 - b.step < b.max <= 10.0
    explorer = graph_explorer(lambda a: a * 2, a=1.5).controls["a"]
    assert (explorer.min, explorer.max, explorer.step) == (-5.0, 5.0, 0.01)


# whether Play is playing: `playing` since ipywidgets 8, `_playing` in ipywidgets 7
PLAYING = "playing" if "playing" in W.Play.class_trait_names() else "_playing"


def playing(lab) -> bool:
    return getattr(lab.controls["play"], PLAYING)


def play_until(lab, condition, *, pause=None):
    """Press Play in an event loop, as the kernel runs it; wait until `condition()`."""

    async def scenario():
        setattr(lab.controls["play"], PLAYING, True)
        for _ in range(10_000):
            if condition():
                break
            await asyncio.sleep(0.001)
        if pause is not None:
            pause()
            await asyncio.sleep(0.1)  # time enough for several more steps, if any came

    # in a thread of its own, with its own event loop, as a kernel has one: the test
    # session may already run a loop in this thread (Playwright's, for the browser tests)
    failures = []

    def run():
        try:
            asyncio.run(scenario())
        except BaseException as error:  # handed back to the test below
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "Play did not finish within 120 s"
    if failures:
        raise failures[0]


def test_pause_takes_effect_before_the_next_step():
    trainer = small_trainer(steps=200)
    lab = training_dashboard(trainer, interval=0)
    play = lab.controls["play"]
    seen = {}

    def pause_from_the_browser():
        seen["steps"] = trainer.steps_taken
        # the browser's message: the pause, merged with Play ticks it made meanwhile
        play.set_state({"value": trainer.steps_taken + 3, PLAYING: False})

    play_until(lab, lambda: trainer.steps_taken >= 3, pause=pause_from_the_browser)
    assert trainer.steps_taken == seen["steps"] and not playing(lab)
    assert f"step {seen['steps']} of 200" in lab.progress.value and play.value == seen["steps"]
    # the picture at the pause is the model as it stopped
    assert np.array_equal(lab.boundary_plot.scores.ravel(),
                          viz._model_scores(trainer.model, lab.boundary_plot.points))
    # Stop (pause, then back to the start): no step, and training stays where it is
    play.set_state({PLAYING: False})
    play.set_state({"value": 0})
    assert trainer.steps_taken == seen["steps"] and play.value == seen["steps"]


def test_play_ticks_from_the_browser_take_no_steps_of_their_own():
    trainer = small_trainer(steps=200)
    lab = training_dashboard(trainer, interval=0)
    play = lab.controls["play"]
    counts = []

    def tick_then_pause():
        before = trainer.steps_taken
        play.set_state({"value": trainer.steps_taken + 5})  # Play's own tick, arriving late
        counts.append((before, trainer.steps_taken))
        play.set_state({PLAYING: False})

    play_until(lab, lambda: trainer.steps_taken >= 2, pause=tick_then_pause)
    assert counts[0][0] == counts[0][1] == trainer.steps_taken


def test_play_runs_to_the_end_with_the_trainers_losses_and_few_pictures():
    trainer = small_trainer(steps=30)
    reference = small_trainer(steps=30)
    reference.run()
    # pictures at most every 10 s: only the first and the last of this short run
    lab = training_dashboard(trainer, interval=0, redraw_interval=10_000)
    play_until(lab, lambda: not playing(lab))
    assert trainer.done and trainer.losses == reference.losses
    assert "step 30 of 30" in lab.progress.value and "finished" in lab.progress.value
    assert not playing(lab) and lab.controls["play"].value == 30
    assert list(lab.loss_figure.axes[0].lines[0].get_ydata()) == reference.losses
    assert lab.loss_plot.redraws == 2 and lab.boundary_plot.redraws == 2


def test_a_dashboard_step_has_the_trainers_loss():
    trainer, reference = small_trainer(), small_trainer()
    lab = training_dashboard(trainer)
    for _ in range(3):
        lab.controls["step"].click()
        record = reference.step()
        assert trainer.losses[-1] == record["loss"]
        assert f"loss {viz.format_number(record['loss'])}" in lab.progress.value


def test_the_live_pictures_are_the_whole_figure_drawn_afresh():
    trainer = small_trainer(steps=20)
    lab = training_dashboard(trainer)
    lab.run_steps(7)

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)

    shown_and_drawn = ((lab.loss_image, lab.loss_figure), (lab.boundary_image, lab.boundary_figure))
    for image, figure in shown_and_drawn:
        shown = pixels(bytes(image.value))
        afresh = pixels(viz.figure_to_png(figure, dpi=figure.dpi))
        assert shown.shape == afresh.shape
        # the same picture, but for the antialiasing of a few edge pixels
        assert np.mean(np.abs(shown - afresh).max(axis=2) > 16) < 0.0005


def test_dashboard_rejects_bad_timings():
    with pytest.raises(ValueError, match="redraw_interval must be a whole number >= 0"):
        training_dashboard(small_trainer(), redraw_interval=-1)
    with pytest.raises(ValueError, match="interval must be a whole number >= 0"):
        training_dashboard(small_trainer(), interval=0.5)


def test_an_error_during_play_stops_it_and_is_shown():
    trainer = small_trainer(steps=50)
    lab = training_dashboard(trainer, interval=0)
    real_step = trainer.step

    def step_that_breaks():
        if trainer.steps_taken == 4:
            raise ValueError("the model produced nonsense")
        return real_step()

    trainer.step = step_that_breaks
    play_until(lab, lambda: not playing(lab))
    assert trainer.steps_taken == 4 and not playing(lab)
    assert "ValueError: the model produced nonsense" in lab.errors.value
    assert "step 4 of 50" in lab.progress.value


def test_the_derivative_lab_starts_on_its_h_sliders_grid():
    """The browser snaps a log slider to 10**(min + k * step): h = 0.5 must be a grid
    point, or the lab shows h = 0.501 and a secant slope of 9.5036 instead of 9.5."""
    for h in (0.5, 1.0, 1e-3, 0.37):
        slider = derivative_lab(h=h).controls["h"]
        steps = (math.log10(h) - slider.min) / slider.step
        assert abs(steps - round(steps)) < 1e-6
        assert -10 <= slider.min and slider.max <= 0 and slider.max - slider.min > 9.8
    assert derivative_lab().estimates["forward"] == pytest.approx(9.5)
