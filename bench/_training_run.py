"""One engine training micrograd's moons demo, in a process of its own, step by step.

Started by `bench_training.py` (read that file first):

    python bench/_training_run.py ENGINE GC SETUP.json

ENGINE is `ours` (micrograd's graph shape), `ours-fused` (one node per neuron sum) or
`micrograd`; GC is `raised` (the first-generation threshold that `backproplab.engine`
sets on import, given in SETUP.json) or `default` (Python's 700, 10, 10). SETUP.json
holds the data, the starting weights and the schedule length, so every process trains
the same model on the same points.

Then it answers commands on stdin, one JSON line each on stdout:

    step K   one training step with learning rate 1 - 0.9 * K / steps:
             {"wall": s, "cpu": s, "loss": ..., "accuracy": ...}
    final    one more forward and backward pass on the trained model, under tracemalloc:
             {"loss": ..., "accuracy": ..., "peak_bytes": ...}
    profile  (ours engines) where a step's time goes, as CPU seconds per step for each
             part, medians of several steps: {"nodes": ..., "parts": {...}}
    gc_sweep (ours engines) CPU seconds per step at several collector thresholds,
             taking steps at each threshold in turn: {"700": [...], ...}

`profile` and `gc_sweep` take steps with learning rate 0, so the model stays as it is.

The micrograd process never imports `backproplab`, so its garbage collector keeps
whatever GC asks for.
"""

from __future__ import annotations

import gc
import json
import math
import statistics
import sys
import time
import tracemalloc
from operator import attrgetter

PYTHON_DEFAULT_GC = (700, 10, 10)
GC_SWEEP = (700, 100_000, 150_000, 500_000, 1_000_000)


def build_model(engine: str, weights: list[float]):
    """MLP(2, [16, 16, 1]) with relu hidden layers and a linear output, given weights."""
    if engine == "micrograd":
        from micrograd.engine import Value
        from micrograd.nn import MLP

        model = MLP(2, [16, 16, 1])
    elif engine in ("ours", "ours-fused"):
        from backproplab.engine import Value
        from backproplab.nn import MLP

        model = MLP(
            2,
            [16, 16, 1],
            activation="relu",
            output_activation="linear",
            fused=engine == "ours-fused",
        )
    else:
        raise SystemExit(f"ENGINE must be ours, ours-fused or micrograd, got {engine!r}")
    params = model.parameters()
    if len(params) != len(weights):
        raise SystemExit(f"{engine}: {len(params)} parameters but {len(weights)} weights")
    for p, w in zip(params, weights):  # both list each neuron's weights, then its bias
        p.data = float(w)
    return Value, model


def loss_and_accuracy(Value, model, X, y):
    """micrograd's demo loss: mean hinge loss plus 1e-4 * sum of squared parameters."""
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (si.data > 0) for yi, si in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


def train_step(Value, model, X, y, learning_rate: float):
    """One step of the demo: forward, zero_grad, backward, SGD update."""
    total_loss, accuracy = loss_and_accuracy(Value, model, X, y)
    model.zero_grad()
    total_loss.backward()
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total_loss.data, accuracy


def profile(Value, model, X, y, repeats: int = 7) -> dict:
    """CPU time per step of each part of a training step (medians over `repeats` steps).

    Two fresh graphs per repeat. On the first, the parts of a step are timed one by one:
    the forward pass; the three parts of backward() (the topological order, the backward
    rules called in reverse order, and its two scans of the gradients: for gradients
    left by an earlier call, and for overflow); freeing the graph. On the second, the
    step as the demo takes it: zero_grad, backward() as a whole, the update. Making
    nodes is timed apart: as many nodes as the graph has, made by the engine's own
    `_node` and kept alive in a list (the cost of the list itself is subtracted).
    """
    from backproplab.engine import _node, topological_order

    clock = time.process_time
    grad_of = attrgetter("grad")
    parts: dict[str, list[float]] = {
        name: []
        for name in (
            "forward", "make_nodes", "topological_order", "backward_rules",
            "gradient_scans", "backward", "free", "zero_grad", "update",
        )
    }
    a, b = Value(0.5), Value(-1.5)
    rule = Value._add_backward
    nodes = 0
    for _ in range(repeats):
        gc.collect()
        t0 = clock()
        total_loss, _ = loss_and_accuracy(Value, model, X, y)
        t1 = clock()
        order = topological_order(total_loss)
        t2 = clock()
        any(map(grad_of, order))
        t3 = clock()
        total_loss.grad = 1.0
        for node in reversed(order):
            node._backward(node, node.grad)
        t4 = clock()
        math.isfinite(sum(map(grad_of, order)))
        t5 = clock()
        nodes = len(order)
        del order, node
        t6 = clock()
        del total_loss
        t7 = clock()
        parts["forward"].append(t1 - t0)
        parts["topological_order"].append(t2 - t1)
        parts["backward_rules"].append(t4 - t3)
        parts["gradient_scans"].append((t3 - t2) + (t5 - t4))
        parts["free"].append(t7 - t6)

        total_loss, _ = loss_and_accuracy(Value, model, X, y)
        t0 = clock()
        model.zero_grad()
        t1 = clock()
        total_loss.backward()
        t2 = clock()
        for p in model.parameters():
            p.data -= 0.0 * p.grad
        t3 = clock()
        del total_loss
        parts["zero_grad"].append(t1 - t0)
        parts["backward"].append(t2 - t1)
        parts["update"].append(t3 - t2)

        gc.collect()
        kept: list = []
        keep = kept.append
        t0 = clock()
        for _ in range(nodes):
            keep(a)
        t1 = clock()
        kept = []
        keep = kept.append
        t2 = clock()
        for _ in range(nodes):
            out = _node(0.25, (a, b), "+")
            out._backward = rule
            keep(out)
        t3 = clock()
        del kept, keep, out
        parts["make_nodes"].append((t3 - t2) - (t1 - t0))
    return {"nodes": nodes, "parts": {k: statistics.median(v) for k, v in parts.items()}}


def gc_sweep(Value, model, X, y, repeats: int) -> dict:
    """CPU seconds per step at each threshold in GC_SWEEP, thresholds taking turns."""
    saved = gc.get_threshold()
    times: dict[str, list[float]] = {str(t): [] for t in GC_SWEEP}
    try:
        for _ in range(repeats):
            for threshold in GC_SWEEP:
                gc.set_threshold(threshold, *PYTHON_DEFAULT_GC[1:])
                gc.collect()
                cpu = time.process_time()
                train_step(Value, model, X, y, 0.0)
                times[str(threshold)].append(time.process_time() - cpu)
    finally:
        gc.set_threshold(*saved)
    return times


def main() -> None:
    engine, gc_mode, setup_path = sys.argv[1:4]
    with open(setup_path) as f:
        setup = json.load(f)
    X, y, steps = setup["X"], setup["y"], setup["steps"]
    Value, model = build_model(engine, setup["weights"])
    if gc_mode == "default":
        gc.set_threshold(*PYTHON_DEFAULT_GC)
    elif gc_mode == "raised":
        gc.set_threshold(setup["raised_threshold"], *PYTHON_DEFAULT_GC[1:])
    else:
        raise SystemExit(f"GC must be raised or default, got {gc_mode!r}")
    gc.collect()

    def reply(answer: dict) -> None:
        print(json.dumps(answer), flush=True)

    reply({"ready": True, "gc_threshold": gc.get_threshold()})
    for line in sys.stdin:
        command = line.split()
        if command[0] == "step":
            k = int(command[1])
            wall, cpu = time.perf_counter(), time.process_time()
            loss, accuracy = train_step(Value, model, X, y, 1.0 - 0.9 * k / steps)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            reply({"wall": wall, "cpu": cpu, "loss": float(loss), "accuracy": accuracy})
        elif command[0] == "final":
            gc.collect()
            tracemalloc.start()
            total_loss, accuracy = loss_and_accuracy(Value, model, X, y)
            model.zero_grad()
            total_loss.backward()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            reply({"loss": float(total_loss.data), "accuracy": accuracy, "peak_bytes": peak})
        elif command[0] == "profile" and engine != "micrograd":
            reply(profile(Value, model, X, y))
        elif command[0] == "gc_sweep" and engine != "micrograd":
            reply(gc_sweep(Value, model, X, y, int(command[1])))
        else:
            raise SystemExit(f"unknown command {line!r}")


if __name__ == "__main__":
    main()
