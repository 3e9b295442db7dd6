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
the first threshold raised to what `backproplab.engine` sets on import.

The processes take their steps in turn (step 0 of each, then step 1 of each, ...), so a
busy machine slows them all alike; a repeat is one such run with fresh processes, and
each repeat's speed-ups are computed within it (micrograd's median CPU time per step
over ours, both from that repeat). The figures quoted are the medians over the repeats.
CPU time (time.process_time) is what the speed-ups use, since it counts only the
process's own work; wall-clock time is shown beside it. Peak memory is tracemalloc's
peak during one forward and backward pass of the trained model.

After the repeats, the backproplab processes of the last repeat measure where their
step's time goes (nanoseconds per node of the graph, part by part) and how the step's
time depends on the collector's first threshold.

    python bench/bench_training.py                       # the full demo, 3 repeats
    python bench/bench_training.py --repeats 5           # more repeats
    python bench/bench_training.py --steps 10            # a quick look
    python bench/bench_training.py --micrograd-steps 20  # time micrograd on 20 steps only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER = HERE / "_training_run.py"

# what the course aims for, printed beside the measurements (never asserted)
TARGET_SPEEDUP_GRAPH = 11  # micrograd's graph shape vs micrograd
TARGET_SPEEDUP_FUSED = 45  # fused neurons vs micrograd
TARGET_MEMORY_FRACTION = 0.3  # peak memory of a step vs micrograd's

ENGINE_NAMES = {
    "micrograd": "micrograd 0.1.0",
    "ours": "backproplab",
    "ours-fused": "backproplab fused",
}


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
        return ENGINE_NAMES[self.engine]

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
    from backproplab import engine
    from backproplab.data import make_moons
    from backproplab.nn import MLP

    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=seed)
    return {
        "X": X.tolist(),
        "y": (y * 2 - 1).tolist(),  # labels -1 and +1 for the hinge loss
        "weights": [p.data for p in model.parameters()],
        "steps": steps,
        "raised_threshold": engine._GC_FIRST_GENERATION,
    }


def new_runs(steps: int, micrograd_steps: int) -> list[Run]:
    return [
        Run("micrograd", "default", micrograd_steps),
        Run("micrograd", "raised", micrograd_steps),
        Run("ours", "raised", steps),
        Run("ours", "default", steps),
        Run("ours-fused", "raised", steps),
        Run("ours-fused", "default", steps),
    ]


def start(runs: list[Run], setup_path: str) -> None:
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


def stop(runs: list[Run]) -> None:
    for run in runs:
        if run.process is not None:
            run.process.stdin.close()  # type: ignore[union-attr]
            run.process.wait()


def train_in_turn(runs: list[Run], label: str) -> None:
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
            print(f"  {label}: step {k + 1}/{total}", file=sys.stderr, flush=True)
    for run in runs:
        run.final = run.ask("final")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


def median_cpu(run: Run) -> float:
    return statistics.median(run.cpu)


def speedup(runs: list[Run], engine: str, gc: str, baseline_gc: str) -> float:
    """micrograd's median CPU time per step over this engine's, within one repeat."""
    by_key = {(r.engine, r.gc): r for r in runs}
    return median_cpu(by_key[("micrograd", baseline_gc)]) / median_cpu(by_key[(engine, gc)])


def report_table(repeats: list[list[Run]], steps: int) -> None:
    print()
    print(
        f"micrograd's moons demo: 100 points, MLP(2, [16, 16, 1]) relu/linear, "
        f"hinge + 1e-4 L2, {steps} steps, {len(repeats)} repeat(s)"
    )
    print("CPU and wall: each row's median time per step, then the median over the repeats")
    print("x vs mg: micrograd's median CPU time per step / this row's, within each repeat,")
    print("  median over the repeats (default: micrograd with Python's default gc;")
    print("  same gc: micrograd with this row's gc)")
    print("peak MB: tracemalloc peak during one forward + backward pass")
    print()
    header = (
        f"{'engine':<18} {'gc':<8} {'steps':>5} {'median CPU':>11} {'median wall':>11} "
        f"{'x vs mg':>8} {'x vs mg':>8} {'peak MB':>8} {'final loss':>19} {'accuracy':>8}"
    )
    units = (
        f"{'':<18} {'':<8} {'':>5} {'ms/step':>11} {'ms/step':>11} "
        f"{'default':>8} {'same gc':>8} {'(step)':>8} {'':>19} {'':>8}"
    )
    print(header)
    print(units)
    print("-" * len(header))
    for i, run in enumerate(repeats[0]):
        rows = [runs[i] for runs in repeats]
        cpu = statistics.median(median_cpu(r) for r in rows)
        wall = statistics.median(statistics.median(r.wall) for r in rows)
        vs_default = statistics.median(speedup(runs, run.engine, run.gc, "default") for runs in repeats)
        vs_same = statistics.median(speedup(runs, run.engine, run.gc, run.gc) for runs in repeats)
        loss_note = "" if run.steps == steps else f" (after {run.steps})"
        print(
            f"{run.name:<18} {run.gc:<8} {run.steps:>5} {ms(cpu):>11} {ms(wall):>11} "
            f"{vs_default:>7.1f}x {vs_same:>7.1f}x {run.final['peak_bytes'] / 1e6:>8.1f} "
            f"{run.final['loss']:>19.15f} {run.final['accuracy']:>7.0%}{loss_note}"
        )


def report_agreement(runs: list[Run], micrograd_steps: int, steps: int) -> None:
    """Do the engines agree? Compare losses wherever both have them."""
    print()
    by_key = {(r.engine, r.gc): r for r in runs}
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


def report_targets(repeats: list[list[Run]], loads: list[tuple[str, str]]) -> None:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print()
    print("per repeat (micrograd as shipped, i.e. default gc; ours as imported, i.e. raised gc):")
    graphs, fuseds = [], []
    for i, (runs, (before, after)) in enumerate(zip(repeats, loads), 1):
        by_key = {(r.engine, r.gc): r for r in runs}
        graph = speedup(runs, "ours", "raised", "default")
        fused = speedup(runs, "ours-fused", "raised", "default")
        graphs.append(graph)
        fuseds.append(fused)
        print(
            f"  repeat {i}: micrograd {ms(median_cpu(by_key[('micrograd', 'default')])).strip()} "
            f"ms/step, graph shape {graph:.1f}x, fused {fused:.1f}x "
            f"(load average {before} before, {after} after)"
        )
    graph, fused = statistics.median(graphs), statistics.median(fuseds)
    print()
    print(f"targets (medians over {len(repeats)} repeat(s); benchmark figures, never asserted):")
    print(f"  micrograd's graph shape >= {TARGET_SPEEDUP_GRAPH}x micrograd per step: "
          f"{graph:.1f}x  {verdict(graph >= TARGET_SPEEDUP_GRAPH)}")
    print(f"  fused neurons           >= {TARGET_SPEEDUP_FUSED}x micrograd per step: "
          f"{fused:.1f}x  {verdict(fused >= TARGET_SPEEDUP_FUSED)}")
    runs = repeats[-1]
    by_key = {(r.engine, r.gc): r for r in runs}
    micro_peak = by_key[("micrograd", "default")].final["peak_bytes"]
    for engine in ("ours", "ours-fused"):
        run = by_key[(engine, "raised")]
        fraction = run.final["peak_bytes"] / micro_peak
        print(f"  {run.name + ' peak memory':<29} <= {TARGET_MEMORY_FRACTION} of "
              f"micrograd's: {fraction:.2f}  {verdict(fraction <= TARGET_MEMORY_FRACTION)}")
    print("  with the same gc setting on both sides:")
    for gc in ("default", "raised"):
        same_graph = statistics.median(speedup(r, "ours", gc, gc) for r in repeats)
        same_fused = statistics.median(speedup(r, "ours-fused", gc, gc) for r in repeats)
        print(f"    {gc:<8} gc: graph shape {same_graph:.1f}x, fused {same_fused:.1f}x")


PARTS = [
    ("make_nodes", "making the nodes: allocate, check the result is finite, set fields"),
    ("forward_rest", "the rest of the forward pass: op calls, arithmetic, nn's loops"),
    ("topological_order", "backward(): the topological order"),
    ("backward_rules", "backward(): the backward rules, called in reverse order"),
    ("gradient_scans", "backward(): its scans for earlier gradients and for overflow"),
    ("free", "freeing the graph"),
    ("zero_grad", "zero_grad()"),
    ("update", "the SGD update"),
]


def report_profile(name: str, answer: dict, gc_threshold: int, step: float) -> None:
    parts = dict(answer["parts"])
    nodes = answer["nodes"]
    parts["forward_rest"] = parts["forward"] - parts["make_nodes"]
    total = sum(parts[key] for key, _ in PARTS)
    backward = sum(parts[key] for key in ("topological_order", "backward_rules", "gradient_scans"))
    print()
    print(f"where a step's time goes: {name}, {nodes:,} nodes, gc threshold {gc_threshold:,}")
    print(f"  {'(CPU time, median of 7 steps for each part)':<70} {'ns/node':>8} "
          f"{'ms/step':>8} {'share':>6}")
    for key, text in PARTS:
        seconds = parts[key]
        print(f"  {text:<70} {seconds / nodes * 1e9:>8.0f} {seconds * 1e3:>8.2f} "
              f"{seconds / total:>6.0%}")
    print(f"  {'sum of the parts':<70} {total / nodes * 1e9:>8.0f} {total * 1e3:>8.2f}")
    print(f"  cross-checks: backward() timed whole {parts['backward'] * 1e3:.2f} ms "
          f"(its parts {backward * 1e3:.2f}); the training steps' median {step * 1e3:.2f} ms")


def report_gc_sweep(name: str, answer: dict, chosen: int) -> None:
    medians = {int(t): statistics.median(v) for t, v in answer.items()}
    best = min(medians.values())
    cells = "  ".join(
        f"{t:,}{'*' if t == chosen else ''}: {m * 1e3:.1f} ms ({m / best:.2f})"
        for t, m in medians.items()
    )
    print(f"  {name}: {cells}")


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
        "--repeats", type=int, default=3, help="runs with fresh processes (default 3)"
    )
    parser.add_argument(
        "--seed", type=int, default=1337, help="seed of the starting weights (default 1337)"
    )
    args = parser.parse_args()
    if args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    micrograd_steps = args.steps if args.micrograd_steps is None else args.micrograd_steps
    if not 1 <= micrograd_steps <= args.steps:
        parser.error(f"--micrograd-steps must be between 1 and --steps, got {micrograd_steps}")

    repeats: list[list[Run]] = []
    loads: list[tuple[str, str]] = []
    profiles: dict[str, dict] = {}
    sweeps: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        setup = make_setup(args.steps, args.seed)
        setup_path = str(Path(tmp) / "setup.json")
        Path(setup_path).write_text(json.dumps(setup))
        for i in range(args.repeats):
            runs = new_runs(args.steps, micrograd_steps)
            print(f"repeat {i + 1}/{args.repeats}: {len(runs)} processes in turn, step by "
                  "step ...", file=sys.stderr)
            before = load()
            try:
                start(runs, setup_path)
                train_in_turn(runs, f"repeat {i + 1}")
                if i == args.repeats - 1:
                    for run in runs:
                        if run.engine != "micrograd" and run.gc == "raised":
                            print(f"  {run.name}: profile and gc sweep ...", file=sys.stderr)
                            profiles[run.name] = run.ask("profile")
                            sweep_steps = 8 if run.engine == "ours" else 20
                            sweeps[run.name] = run.ask(f"gc_sweep {sweep_steps}")
            finally:
                stop(runs)
            repeats.append(runs)
            loads.append((before, load()))

    report_table(repeats, args.steps)
    report_agreement(repeats[-1], micrograd_steps, args.steps)
    report_targets(repeats, loads)
    chosen = setup["raised_threshold"]
    last = {r.name: r for r in repeats[-1] if r.gc == "raised"}
    for name, answer in profiles.items():
        report_profile(name, answer, chosen, median_cpu(last[name]))
    print()
    print("CPU time per step against the collector's first threshold (median of steps "
          "taken at each threshold in turn;")
    print(f"  in brackets: over the fastest; * what backproplab.engine sets, {chosen:,})")
    for name, answer in sweeps.items():
        report_gc_sweep(name, answer, chosen)
    print()
    print(f"load average (1, 5, 15 min) at the end: {load()}")


if __name__ == "__main__":
    main()
