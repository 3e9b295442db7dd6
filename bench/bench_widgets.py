"""How long a learner waits on the widgets, measured in the kernel (no browser).

1. The graph widgets: the time from setting a `graph_explorer` slider's value to the
   widget holding the new SVG (graph rebuilt, backward() run, DOT written and rendered
   by graphviz's `dot`), for a graph of about 50 values. Target: 50 ms or less.
2. The training dashboards of notebooks 07 (micrograd's moons demo: 100 points,
   MLP(2, [16, 16, 1]) fused, 100 steps) and 06 (MLP(3, [4, 4, 1]) on 4 samples, 50
   steps): steps/s and redraws/s, once as fast as the kernel can (`run_steps`, no wait
   between steps) and once as Play runs them (the kernel's event loop, the dashboard's
   default pace); then where a step's time goes, with the previous way of drawing (a new
   figure and a full `savefig` per picture) as a reference, alternating with the live
   figures, the ratio taken within each pair. Aim: at least 20 steps/s for 07 and at
   least 5 redraws/s.
3. The derivative lab of notebook 01: updates/s while x or h is dragged (one update per
   slider value), against the previous way of drawing. Aim: at least 10 updates/s.

Run: .venv/bin/python bench/bench_widgets.py [--changes 30] [--only dashboards]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")

from backproplab import train, viz  # noqa: E402
from backproplab.data import make_moons  # noqa: E402
from backproplab.engine import topological_order  # noqa: E402
from backproplab.nn import MLP  # noqa: E402
from backproplab.widgets import (  # noqa: E402
    backprop_stepper,
    derivative_lab,
    graph_explorer,
    neuron_playground,
    training_dashboard,
)


def fifty_node_function(x, w, b):
    """A small two-layer computation with about 50 values in its graph."""
    hidden = []
    for i in range(6):
        hidden.append((x * (w + 0.25 * i) + b).tanh())
    out = hidden[0]
    for h in hidden[1:]:
        out = out + h * w
    return (out - 1.0) ** 2


def graph_widgets(args) -> None:
    lab = graph_explorer(fifty_node_function, x=0.5, w=-0.8, b=0.3)
    n_values = len(topological_order(lab.root))
    slider = lab.controls["x"]
    values = [round(-2 + 4 * k / args.changes, 3) for k in range(args.changes)]

    totals, renders, cpu = [], [], []
    for v in values:
        start = time.perf_counter()
        before = os.times()
        slider.value = v  # the observer rebuilds, draws and renders synchronously
        totals.append(time.perf_counter() - start)
        after = os.times()
        # CPU seconds spent by this process and by `dot`: what the change costs on an
        # idle machine, whatever else shares the processor
        cpu.append(sum(after[:4]) - sum(before[:4]))
        assert lab.last_error is None and f"data {v:.4f}" in lab.dot
        # the share spent inside `dot` (render the same drawing again)
        t0 = time.perf_counter()
        lab.drawing.pipe(format="svg")
        renders.append(time.perf_counter() - t0)

    def line(name, xs):
        ms = sorted(1000 * x for x in xs)
        q1, _, q3 = statistics.quantiles(ms, n=4)
        return (f"{name:<32} median {statistics.median(ms):7.1f} ms   IQR {q1:6.1f}-{q3:6.1f} ms   "
                f"min {ms[0]:6.1f}   max {ms[-1]:6.1f}")

    print(f"graph_explorer: {n_values} values + {sum(1 for v in topological_order(lab.root) if v._op)} "
          f"op nodes, {len(values)} slider changes")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cpus, load average {load:.2f}")
    print(line("slider change -> new SVG", totals))
    print(line("  of which `dot` rendering", renders))
    print(line("CPU time per change", cpu) + "   (python + dot; os.times ticks are 10 ms)")
    small = time.perf_counter()
    for _ in range(20):
        viz.draw_graph(lab.root).source
    print(f"{'  DOT text alone':<32} {1000 * (time.perf_counter() - small) / 20:7.2f} ms per drawing")
    print("target: 50 ms or less per change")

    # the other graph widgets, for comparison (same measure: change -> new SVG ready)
    neuron = neuron_playground()
    moves = [round(-2.9 + 0.2 * k, 2) for k in range(args.changes)]  # w1 starts at -3
    times = []
    for v in moves:
        start = time.perf_counter()
        neuron.controls["w1"].value = v
        times.append(time.perf_counter() - start)
    print(line(f"neuron_playground ({len(topological_order(neuron.root))} values)", times))
    stepper = backprop_stepper(lab.root)
    times = []
    for k in range(1, min(args.changes, len(stepper.sequence)) + 1):
        start = time.perf_counter()
        stepper.controls["step"].value = k
        times.append(time.perf_counter() - start)
    print(line(f"backprop_stepper ({len(stepper.sequence)} values)", times))


# ------------------------------------------------------------------ dashboards


def trainer_07() -> train.Trainer:
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0, fused=True)
    return train.Trainer(model, X, y * 2 - 1, loss="hinge", learning_rate=1.0,
                         schedule="linear_decay", alpha=1e-4, steps=100)


def trainer_06() -> train.Trainer:
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    return train.Trainer(MLP(3, [4, 4, 1], seed=0), xs, [1.0, -1.0, -1.0, 1.0], loss="mse",
                         learning_rate=0.05, steps=50)


# whether Play is playing: `playing` since ipywidgets 8, `_playing` in ipywidgets 7
PLAYING = "playing" if "playing" in W.Play.class_trait_names() else "_playing"


def pictures(lab) -> int:
    return lab.loss_plot.redraws


def press_play(lab) -> float:
    """Seconds from pressing Play to the end of the run, on an event loop as in a kernel."""

    async def run():
        play = lab.controls["play"]
        start = time.perf_counter()
        setattr(play, PLAYING, True)
        while getattr(play, PLAYING):
            await asyncio.sleep(0.005)
        return time.perf_counter() - start

    return asyncio.run(run())


def ms_line(name: str, xs: list[float], extra: str = "") -> str:
    ms = sorted(1000 * x for x in xs)
    return f"  {name:<44} median {statistics.median(ms):7.1f} ms  (min {ms[0]:6.1f}){extra}"


def dashboards(repeats: int) -> None:
    print()
    print(f"training dashboards (load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cpus)")
    for name, make in (("07 moons, MLP(2, [16, 16, 1]) fused", trainer_07),
                       ("06 MLP(3, [4, 4, 1]), 4 samples", trainer_06)):
        fast, played = [], []
        for _ in range(repeats):
            lab = training_dashboard(make())
            before, start, cpu = pictures(lab), time.perf_counter(), time.process_time()
            lab.run_steps(lab.trainer.steps)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            fast.append((lab.trainer.steps / elapsed, (pictures(lab) - before) / elapsed,
                         lab.trainer.steps / cpu))
            lab = training_dashboard(make())
            before = pictures(lab)
            elapsed = press_play(lab)
            played.append((lab.trainer.steps / elapsed, (pictures(lab) - before) / elapsed,
                           elapsed))
        steps = make().steps
        f_steps, f_draws, f_cpu = (statistics.median(v) for v in zip(*fast))
        p_steps, p_draws, p_time = (statistics.median(v) for v in zip(*played))
        print(f"{name}, {steps} steps (median of {repeats} runs)")
        print(f"  as fast as the kernel can (run_steps):   {f_steps:6.1f} steps/s  "
              f"{f_draws:5.1f} redraws/s   ({f_cpu:.1f} steps per CPU second: the rate on "
              "an idle core)")
        print(f"  Play, default pace (event loop):         {p_steps:6.1f} steps/s  "
              f"{p_draws:5.1f} redraws/s   {steps} steps in {p_time:.2f} s")

    # where the time of a step and a picture goes (07's dashboard)
    trainer = trainer_07()
    trainer.run(20)
    loss_live = viz.LiveLossCurve(trainer.steps)
    boundary_live = viz.LiveDecisionBoundary(trainer.X, trainer.labels, resolution=40)
    loss_live.update(trainer.losses)
    loss_live.png()
    boundary_live.update(trainer.model)
    boundary_live.png()
    rows = {k: [] for k in ("step", "scores", "loss new", "loss old", "boundary new",
                            "boundary old", "encode")}
    ratios = {"loss": [], "boundary": []}
    timed_steps = trainer_07()
    for k in range(20):
        t0 = time.perf_counter()
        timed_steps.step()
        rows["step"].append(time.perf_counter() - t0)
        losses = trainer.losses[: 10 + k]
        # the live figure and the previous way, in turn
        t0 = time.perf_counter()
        loss_live.update(losses)
        loss_live.png()
        new = time.perf_counter() - t0
        t0 = time.perf_counter()
        viz.figure_to_png(viz.plot_loss_curve(losses))
        old = time.perf_counter() - t0
        rows["loss new"].append(new)
        rows["loss old"].append(old)
        ratios["loss"].append(old / new)
        t0 = time.perf_counter()
        viz._model_scores(trainer.model, boundary_live.points)
        rows["scores"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        boundary_live.update(trainer.model)
        boundary_live.png()
        new = time.perf_counter() - t0
        t0 = time.perf_counter()
        viz.figure_to_png(viz.plot_decision_boundary(trainer.model, trainer.X, trainer.labels,
                                                     resolution=40))
        old = time.perf_counter() - t0
        rows["boundary new"].append(new)
        rows["boundary old"].append(old)
        ratios["boundary"].append(old / new)
        t0 = time.perf_counter()
        viz._canvas_png(boundary_live.figure.canvas)
        rows["encode"].append(time.perf_counter() - t0)
    print("07: where the time goes (20 of each, alternating old and new pictures; wall "
          "time, so a busy machine shows in the medians more than in the minima)")
    print(ms_line("training step (forward, backward, update)", rows["step"]))
    print(ms_line("boundary scores on the 40x40 grid (numpy)", rows["scores"]))
    print(ms_line("loss picture, live figure", rows["loss new"],
                  f"   {statistics.median(ratios['loss']):.1f}x faster than:"))
    print(ms_line("loss picture, new figure + savefig", rows["loss old"]))
    print(ms_line("boundary picture, live figure", rows["boundary new"],
                  f"   {statistics.median(ratios['boundary']):.1f}x faster than:"))
    print(ms_line("boundary picture, new figure + savefig", rows["boundary old"]))
    print(ms_line("  of which PNG encoding (480x320)", rows["encode"]))
    print("aim: >= 20 steps/s for 07 in the kernel, >= 5 redraws/s")


# ------------------------------------------------------------------ derivative lab


def lab_rates(changes: int) -> None:
    print()
    print(f"derivative lab (01), load average {os.getloadavg()[0]:.2f}")
    lab = derivative_lab()
    f = lambda x: 3 * x**2 - 4 * x + 5  # noqa: E731  (the lab's default function)
    for name, values in (("x", [round(-4 + 6 * k / changes, 3) for k in range(1, changes + 1)]),
                         ("h", [10 ** (-3 * k / changes) for k in range(1, changes + 1)])):
        new, old = [], []
        x, h = 2.0, 0.5
        cpu = 0.0
        error_figure = viz.plot_difference_errors(f, lambda t: 6 * t - 4, x)
        for v in values:
            t0, c0 = time.perf_counter(), time.process_time()
            lab.controls[name].value = v
            new.append(time.perf_counter() - t0)
            cpu += time.process_time() - c0
            x, h = (v, h) if name == "x" else (x, v)
            t0 = time.perf_counter()  # the previous way: new figures, full savefig
            viz.figure_to_png(viz.plot_slope(f, x, h, xlim=(-5, 5)))
            if name == "x":  # a new error plot for a new x
                error_figure = viz.plot_difference_errors(f, lambda t: 6 * t - 4, x)
            viz.figure_to_png(error_figure)  # for a new h, the same one with its marker moved
            old.append(time.perf_counter() - t0)
        ratio = statistics.median(o / n for o, n in zip(old, new))
        print(f"  dragging {name}: {1 / statistics.median(new):6.1f} updates/s "
              f"(previous drawing: {1 / statistics.median(old):5.1f}/s, {ratio:.1f}x); "
              f"{len(values) / cpu:.1f} updates per CPU second")
    print("aim: >= 10 updates/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="slider moves to time")
    parser.add_argument("--repeats", type=int, default=3, help="dashboard runs to time")
    parser.add_argument("--only", choices=("graphs", "dashboards", "lab"),
                        help="run one part only")
    args = parser.parse_args()
    if args.only in (None, "graphs"):
        graph_widgets(args)
    if args.only in (None, "dashboards"):
        dashboards(args.repeats)
    if args.only in (None, "lab"):
        lab_rates(args.changes)


if __name__ == "__main__":
    main()
