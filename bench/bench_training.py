"""Speed and memory of one training step: this course's engine against micrograd 0.1.0.

The workload is micrograd's own demo (demo.ipynb): make_moons(100, noise=0.1, seed 1337),
MLP(2, [16, 16, 1]) with relu hidden layers and a linear output, mean hinge loss plus
1e-4 * L2, learning rate 1.0 - 0.9 * k / steps, plain SGD. Every engine trains the same
points from the same starting weights (drawn by `backproplab.nn.MLP(seed=...)` and copied
into micrograd's MLP), so their losses must agree step by step.

Engines, each in a process of its own (bench/_training_run.py):
  micrograd 0.1.0          micrograd's engine and nn
  backproplab              this course's engine, micrograd's graph shape (one node per
                           * and + in every neuron)
  backproplab fused        the same model with fused=True (one "w·x+b" node per neuron)
each once with Python's default garbage-collector thresholds (700, 10, 10) and once with
the first threshold raised to 100,000 (what `backproplab.engine` sets on import).

The processes take their steps in turn (step 0 of each, then step 1 of each, ...), so a
busy machine slows them all alike. Times are per training step (forward, zero_grad,
backward, update); CPU time (time.process_time) is what the speed-ups use, since it
counts only the process's own work; wall-clock time is shown beside it. Peak memory is
tracemalloc's peak during one forward and backward pass of the trained model.

    python bench/bench_training.py                       # the full demo, 100 steps each
    python bench/bench_training.py --steps 10            # a quick look
    python bench/bench_training.py --micrograd-steps 20  # time micrograd on 20 steps only
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER = HERE / "_training_run.py"

# what the course aims for, printed beside the measurements (never asserted)
TARGET_SPEEDUP_GRAPH = 10  # micrograd's graph shape vs micrograd
TARGET_SPEEDUP_FUSED = 50  # fused neurons vs micrograd
TARGET_MEMORY_FRACTION = 1 / 3  # peak memory of a step vs micrograd's


@dataclass
class Run:
    engine: str  # ours | ours-fused | micrograd
    gc: str  # raised | default
    steps: int
    process: subprocess.Popen | None = None
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    final: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return {
            "micrograd": "micrograd 0.1.0",
            "ours": "backproplab",
            "ours-fused": "backproplab fused",
        }[self.engine]

    def ask(self, command: str) -> dict:
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.name} ({self.gc} gc) stopped; see its error above")
        return json.loads(line)


def make_setup(steps: int, seed: int) -> dict:
    """The demo's data and one set of starting weights, as plain JSON."""
    from backproplab.data import make_moons
    from backproplab.nn import MLP

    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=seed)
    return {
        "X": X.tolist(),
        "y": (y * 2 - 1).tolist(),  # labels -1 and +1 for the hinge loss
        "weights": [p.data for p in model.parameters()],
        "steps": steps,
    }


def run_all(runs: list[Run], setup_path: str) -> None:
    for run in runs:
        run.process = subprocess.Popen(
            [sys.executable, str(WORKER), run.engine, run.gc, setup_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = run.process.stdout.readline()  # type: ignore[union-attr]
        if not line or not json.loads(line).get("ready"):
            raise SystemExit(f"{run.name} ({run.gc} gc) did not start; see its error above")
    try:
        total = max(run.steps for run in runs)
        for k in range(total):
            for run in runs:
                if k < run.steps:
                    answer = run.ask(f"step {k}")
                    run.wall.append(answer["wall"])
                    run.cpu.append(answer["cpu"])
                    run.losses.append(answer["loss"])
                    run.accuracies.append(answer["accuracy"])
            if (k + 1) % 10 == 0 or k + 1 == total:
                print(f"  step {k + 1}/{total}", file=sys.stderr, flush=True)
        for run in runs:
            run.final = run.ask("final")
    finally:
        for run in runs:
            if run.process is not None:
                run.process.stdin.close()  # type: ignore[union-attr]
                run.process.wait()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


def report(runs: list[Run], steps: int, micrograd_steps: int) -> None:
    by_key = {(r.engine, r.gc): r for r in runs}
    micro_default = by_key[("micrograd", "default")]
    header = (
        f"{'engine':<18} {'gc':<8} {'steps':>5} {'median CPU':>11} {'mean CPU':>9} "
        f"{'median wall':>11} {'x vs mg':>8} {'x vs mg':>8} {'peak MB':>8} "
        f"{'final loss':>19} {'accuracy':>8}"
    )
    units = (
        f"{'':<18} {'':<8} {'':>5} {'ms/step':>11} {'ms/step':>9} {'ms/step':>11} "
        f"{'default':>8} {'same gc':>8} {'(step)':>8} {'':>19} {'':>8}"
    )
    print()
    print(
        f"micrograd's moons demo: 100 points, MLP(2, [16, 16, 1]) relu/linear, "
        f"hinge + 1e-4 L2, {steps} steps"
    )
    print("x vs mg: micrograd's median CPU time per step / this row's")
    print("  (default: micrograd with Python's default gc; same gc: micrograd with this row's gc)")
    print("peak MB: tracemalloc peak during one forward + backward pass")
    print()
    print(header)
    print(units)
    print("-" * len(header))
    for run in runs:
        median_cpu = statistics.median(run.cpu)
        same_gc = by_key[("micrograd", run.gc)]
        vs_default = statistics.median(micro_default.cpu) / median_cpu
        vs_same = statistics.median(same_gc.cpu) / median_cpu
        loss_note = "" if run.steps == steps else f" (after {run.steps})"
        print(
            f"{run.name:<18} {run.gc:<8} {run.steps:>5} {ms(median_cpu):>11} "
            f"{ms(statistics.mean(run.cpu)):>9} {ms(statistics.median(run.wall)):>11} "
            f"{vs_default:>7.1f}x {vs_same:>7.1f}x {run.final['peak_bytes'] / 1e6:>8.1f} "
            f"{run.final['loss']:>19.15f} {run.final['accuracy']:>7.0%}{loss_note}"
        )

    # do the engines agree? compare losses wherever both have them
    print()
    reference = by_key[("micrograd", "default")]
    for run in runs:
        if run is reference:
            continue
        common = min(len(run.losses), len(reference.losses))
        diffs = [abs(a - b) for a, b in zip(run.losses[:common], reference.losses[:common])]
        same_accuracy = run.accuracies[:common] == reference.accuracies[:common]
        # micrograd's final pass: the loss after all its steps, which this run also has
        if reference.steps == run.steps:
            mine = (run.final["loss"], run.final["accuracy"])
        else:
            mine = (run.losses[reference.steps], run.accuracies[reference.steps])
        diffs.append(abs(mine[0] - reference.final["loss"]))
        same_accuracy = same_accuracy and mine[1] == reference.final["accuracy"]
        common += 1
        print(
            f"{run.name} ({run.gc} gc) vs micrograd: largest loss difference over "
            f"{common} losses {max(diffs):.1e}, accuracies "
            f"{'identical' if same_accuracy else 'DIFFER'}"
        )
    if micrograd_steps < steps:
        print(
            f"(micrograd ran {micrograd_steps} of {steps} steps: its final loss is after "
            f"{micrograd_steps} steps; run without --micrograd-steps for full runs)"
        )

    # targets, printed beside the figures
    def speedup(engine: str, gc: str, baseline_gc: str) -> float:
        mine = statistics.median(by_key[(engine, gc)].cpu)
        return statistics.median(by_key[("micrograd", baseline_gc)].cpu) / mine

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print()
    print("targets (micrograd as shipped, i.e. default gc; ours as imported, i.e. raised gc):")
    graph = speedup("ours", "raised", "default")
    fused = speedup("ours-fused", "raised", "default")
    print(f"  micrograd's graph shape >= {TARGET_SPEEDUP_GRAPH}x micrograd per step: "
          f"{graph:.1f}x  {verdict(graph >= TARGET_SPEEDUP_GRAPH)}")
    print(f"  fused neurons           >= {TARGET_SPEEDUP_FUSED}x micrograd per step: "
          f"{fused:.1f}x  {verdict(fused >= TARGET_SPEEDUP_FUSED)}")
    micro_peak = micro_default.final["peak_bytes"]
    for engine in ("ours", "ours-fused"):
        fraction = by_key[(engine, "raised")].final["peak_bytes"] / micro_peak
        print(f"  {by_key[(engine, 'raised')].name + ' peak memory':<29} <= 1/3 of "
              f"micrograd's: {fraction:.2f}  {verdict(fraction <= TARGET_MEMORY_FRACTION)}")
    print("  with the same gc setting on both sides:")
    for gc in ("default", "raised"):
        print(f"    {gc:<8} gc: graph shape {speedup('ours', gc, gc):.1f}x, "
              f"fused {speedup('ours-fused', gc, gc):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=100, help="training steps (default 100)")
    parser.add_argument(
        "--micrograd-steps",
        type=int,
        default=None,
        help="steps to time micrograd on (default: --steps); micrograd takes seconds a step",
    )
    parser.add_argument(
        "--seed", type=int, default=1337, help="seed of the starting weights (default 1337)"
    )
    args = parser.parse_args()
    if args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    micrograd_steps = args.steps if args.micrograd_steps is None else args.micrograd_steps
    if not 1 <= micrograd_steps <= args.steps:
        parser.error(f"--micrograd-steps must be between 1 and --steps, got {micrograd_steps}")

    runs = [
        Run("micrograd", "default", micrograd_steps),
        Run("micrograd", "raised", micrograd_steps),
        Run("ours", "raised", args.steps),
        Run("ours", "default", args.steps),
        Run("ours-fused", "raised", args.steps),
        Run("ours-fused", "default", args.steps),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        setup_path = str(Path(tmp) / "setup.json")
        Path(setup_path).write_text(json.dumps(make_setup(args.steps, args.seed)))
        print(f"running {len(runs)} processes in turn, step by step ...", file=sys.stderr)
        run_all(runs, setup_path)
    report(runs, args.steps, micrograd_steps)


if __name__ == "__main__":
    main()
