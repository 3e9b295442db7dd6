"""One engine training micrograd's moons demo, in a process of its own, step by step.

Started by `bench_training.py` (read that file first):

    python bench/_training_run.py ENGINE GC SETUP.json

ENGINE is `ours` (micrograd's graph shape), `ours-fused` (one node per neuron sum) or
`micrograd`; GC is `raised` (first-generation threshold 100,000, what
`backproplab.engine` sets on import) or `default` (Python's 700, 10, 10). SETUP.json
holds the data, the starting weights and the schedule length, so every process trains
the same model on the same points.

Then it answers commands on stdin, one JSON line each on stdout:

    step K   one training step with learning rate 1 - 0.9 * K / steps:
             {"wall": s, "cpu": s, "loss": ..., "accuracy": ...}
    final    one more forward and backward pass on the trained model, under tracemalloc:
             {"loss": ..., "accuracy": ..., "peak_bytes": ...}

The micrograd process never imports `backproplab`, so its garbage collector keeps
whatever GC asks for.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc

PYTHON_DEFAULT_GC = (700, 10, 10)
RAISED_FIRST_GENERATION = 100_000


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


def main() -> None:
    engine, gc_mode, setup_path = sys.argv[1:4]
    with open(setup_path) as f:
        setup = json.load(f)
    X, y, steps = setup["X"], setup["y"], setup["steps"]
    Value, model = build_model(engine, setup["weights"])
    if gc_mode == "default":
        gc.set_threshold(*PYTHON_DEFAULT_GC)
    elif gc_mode == "raised":
        gc.set_threshold(RAISED_FIRST_GENERATION, *gc.get_threshold()[1:])
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
        else:
            raise SystemExit(f"unknown command {line!r}")


if __name__ == "__main__":
    main()
