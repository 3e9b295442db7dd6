"""How long a learner waits after moving a slider until the new graph is ready.

Measures, in-process, the time from setting a `graph_explorer` slider's value to the
widget holding the new SVG (graph rebuilt, backward() run, DOT written and rendered by
graphviz's `dot`), for a graph of about 50 values. Target: 50 ms or less.

Run: .venv/bin/python bench/bench_widgets.py [--changes 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from backproplab import viz
from backproplab.engine import topological_order
from backproplab.widgets import backprop_stepper, graph_explorer, neuron_playground


def fifty_node_function(x, w, b):
    """A small two-layer computation with about 50 values in its graph."""
    hidden = []
    for i in range(6):
        hidden.append((x * (w + 0.25 * i) + b).tanh())
    out = hidden[0]
    for h in hidden[1:]:
        out = out + h * w
    return (out - 1.0) ** 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="slider moves to time")
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
