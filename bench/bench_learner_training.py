"""Speed of one training step of the lecture-style engine notebook 07 trains, against the course engine.

Notebook 07 trains the learner's own MLP (notebook 06's pieces; here the course's
reference version of every piece, `backproplab.build.PIECES[...].reference`, which is
the same lecture-style code: closures for `_backward`, one node per * and + in each
neuron, tanh in every neuron). The workload is the notebook's: make_moons(100,
noise=0.1, seed 1337), hinge loss plus 1e-4 * L2, one `train.Trainer.step()` per step.

Engines, alternating within each repeat (a busy machine slows them all alike):
  lecture                 the reference pieces, with Trainer's pause of the cyclic
                          garbage collector during a step and one young collection after it
  lecture, plain gc       the same, the collector left alone
  course                  backproplab.nn.MLP with tanh everywhere (same graph shape)
  course fused            the same with fused=True
CPU time per step (time.process_time), the minimum over the repeats, and the ratios
against the lecture engine. Figures to read, never asserted.

    python bench/bench_learner_training.py                    # MLP(2, [8, 8, 1])
    python bench/bench_learner_training.py --sizes 16 16 1 --repeats 3
"""

from __future__ import annotations

import argparse
import math
import random
import time
from contextlib import nullcontext

from backproplab import nn, train
from backproplab.build import PIECES
from backproplab.data import make_moons


def lecture_namespace() -> dict:
    """Every piece's reference run into one namespace: the learner's engine, solved."""
    namespace = {"math": math, "random": random, "__name__": "my_engine"}
    for piece in PIECES.values():
        exec(compile(piece.reference, f"<{piece.name}>", "exec"), namespace)
    return namespace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 8, 1])
    parser.add_argument("--steps", type=int, default=10, help="steps timed per engine and repeat")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    namespace = lecture_namespace()
    paused = train._collect_each_step

    def trainer(engine: str) -> train.Trainer:
        if engine.startswith("lecture"):
            random.seed(0)
            model = namespace["MLP"](2, list(args.sizes))
        else:
            model = nn.MLP(2, list(args.sizes), activation="tanh", output_activation="tanh",
                           seed=0, fused=engine == "course fused")
        return train.Trainer(model, X, y, learning_rate=1.0, schedule="linear_decay", steps=100)

    engines = ["lecture", "lecture, plain gc", "course", "course fused"]
    times: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(args.repeats):
        for engine in engines:
            t = trainer(engine)
            train._collect_each_step = nullcontext if engine == "lecture, plain gc" else paused
            start = time.process_time()
            t.run(args.steps)
            times[engine].append((time.process_time() - start) / args.steps * 1000)
    train._collect_each_step = paused
    best = {e: min(v) for e, v in times.items()}
    print(f"MLP(2, {list(args.sizes)}) on 100 moons, {args.steps} steps x {args.repeats} repeats, "
          "CPU ms per step (minimum):")
    for engine in engines:
        print(f"  {engine:18s} {best[engine]:7.1f} ms   lecture / this: "
              f"{best['lecture'] / best[engine]:.2f}")


if __name__ == "__main__":
    main()
