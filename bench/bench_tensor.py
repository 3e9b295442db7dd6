"""Speed of the course's engines on two workloads, side by side: notebook 08's table.

Workloads (the same data, starting weights and batch order for every engine):
  moons step    micrograd's demo step: 100 points, MLP(2, [16, 16, 1]) relu/linear, mean
                hinge loss + 1e-4 * L2, one SGD step with learning rate 1 - 0.9 k / 100
  digits epoch  one epoch of notebook 08's network: 1,348 training digits in batches of
                32, MLP(64, [64, 10]) relu/linear, softmax cross-entropy, SGD at 0.2

Engines, each in a process of its own:
  micrograd 0.1.0      micrograd's engine and nn (it has no exp or log: on the digits
                       it uses squared error against one-hot labels; the network is
                       nearly all of the graph either way)
  scalar               backproplab.engine, micrograd's graph shape
  scalar fused         the same with fused neurons (one node per neuron)
  Tensor               backproplab.tensor
  numpy by hand        the forward and backward passes written out with numpy
  PyTorch CPU          torch, where installed (.venv-torch, or the running Python);
                       never a course requirement
The scalar engines would take minutes per digits epoch, so they train its first batch
(32 digits) only, and the table scales that time to the epoch's 1,348 digits (marked *);
they also take fewer moons steps (--scalar-steps, 10), since micrograd needs a second
or more per step.

The processes take turns (ten moons steps each, then the next round; then one epoch
each, round by round), so a busy machine slows them all alike. Every engine runs on one
thread (OMP/OPENBLAS/MKL_NUM_THREADS=1, torch.set_num_threads(1)) so that CPU time,
which the ratios use, counts the same work everywhere. Each worker reports its losses,
and the table says how far they are from Tensor's.

    python bench/bench_tensor.py               # 100 moons steps (10 for the scalar
                                               # engines), 3 digits epochs
    python bench/bench_tensor.py --quick       # 20 moons steps, 1 digits epoch
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TORCH_PYTHON = ROOT / ".venv-torch" / "bin" / "python"

ENGINES = ["micrograd", "scalar", "scalar-fused", "tensor", "numpy", "torch"]
NAMES = {"micrograd": "micrograd 0.1.0", "scalar": "scalar", "scalar-fused": "scalar fused",
         "tensor": "Tensor", "numpy": "numpy by hand", "torch": "PyTorch CPU"}
SCALAR_ENGINES = ("micrograd", "scalar", "scalar-fused")
ALPHA = 1e-4
BATCH = 32
CHUNK = 10  # moons steps an engine takes in a row before the next engine's turn
DIGITS_LR = 0.2

# what the course aims for, printed beside the figures (never asserted)
TARGET_VS_TORCH = 1.0  # Tensor's moons step at least as fast as PyTorch CPU
TARGET_VS_NUMPY = 2.0  # and within 2x of numpy by hand


# ------------------------------------------------------------------ the workloads

def make_setup(path: Path) -> None:
    """The data, starting weights and batch order every engine uses, as one .npz file."""
    from backproplab.data import load_digits, make_moons, train_test_split

    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    rng = np.random.default_rng(1337)
    moons = {}
    for i, (nin, nout) in enumerate([(2, 16), (16, 16), (16, 1)]):
        moons[f"mW{i}"] = rng.uniform(-1, 1, (nin, nout))
        moons[f"mb{i}"] = np.zeros(nout)
    X_digits, y_digits = load_digits()
    X_train, _, y_train, _ = train_test_split(X_digits / 16, y_digits, test_fraction=0.25, seed=0)
    init = np.random.default_rng(0)
    digits = {"dW0": init.normal(0, np.sqrt(2 / 64), (64, 64)), "db0": np.zeros(64),
              "dW1": init.normal(0, np.sqrt(2 / 64), (64, 10)), "db1": np.zeros(10)}
    orders = np.stack([np.random.default_rng(e).permutation(len(y_train)) for e in range(10)])
    np.savez(path, X=X, Y=(y * 2 - 1).astype(float).reshape(-1, 1), X_train=X_train,
             y_train=y_train, orders=orders, **moons, **digits)


def moons_arrays(setup):
    return [setup[f"{k}{i}"].copy() for i in range(3) for k in ("mW", "mb")]


def digits_arrays(setup):
    return [setup[f"{k}{i}"].copy() for i in range(2) for k in ("dW", "db")]


def batches(setup, epoch: int, limit: int | None):
    order = setup["orders"][epoch % len(setup["orders"])]
    starts = range(0, len(order), BATCH)
    for start in list(starts)[:limit]:
        yield order[start:start + BATCH]


# ---------------------------------------------------------------- one engine each

class NumpyByHand:
    def __init__(self, setup):
        self.s = setup
        self.moons = moons_arrays(setup)
        self.digits = digits_arrays(setup)

    def moons_step(self, lr):
        X, Y = self.s["X"], self.s["Y"]
        W1, b1, W2, b2, W3, b3 = P = self.moons
        Z1 = X @ W1 + b1; H1 = np.maximum(Z1, 0); Z2 = H1 @ W2 + b2; H2 = np.maximum(Z2, 0)
        M = 1 - Y * (H2 @ W3 + b3)
        loss = np.maximum(M, 0).mean() + ALPHA * sum((p * p).sum() for p in P)
        dS = np.where(M > 0, -Y / len(X), 0.0)
        dZ2 = (dS @ W3.T) * (Z2 > 0)
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        grads = [X.T @ dZ1, dZ1.sum(0), H1.T @ dZ2, dZ2.sum(0), H2.T @ dS, dS.sum(0)]
        for p, g in zip(P, grads):
            p -= lr * (g + 2 * ALPHA * p)
        return float(loss)

    def digits_batch(self, idx):
        x, labels = self.s["X_train"][idx], self.s["y_train"][idx]
        W1, b1, W2, b2 = P = self.digits
        Z1 = x @ W1 + b1; H1 = np.maximum(Z1, 0); Z = H1 @ W2 + b2
        Z = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        probs = E / E.sum(axis=1, keepdims=True)
        rows = np.arange(len(labels))
        loss = -np.log(probs[rows, labels]).mean()
        dZ = probs
        dZ[rows, labels] -= 1
        dZ /= len(labels)
        dZ1 = (dZ @ W2.T) * (Z1 > 0)
        for p, g in zip(P, [x.T @ dZ1, dZ1.sum(0), H1.T @ dZ, dZ.sum(0)]):
            p -= DIGITS_LR * g
        return float(loss)


class TensorEngine:
    def __init__(self, setup):
        from backproplab.tensor import Tensor, cross_entropy

        self.Tensor, self.cross_entropy, self.s = Tensor, cross_entropy, setup
        self.moons = [Tensor(a) for a in moons_arrays(setup)]
        self.digits = [Tensor(a) for a in digits_arrays(setup)]
        # the data needs no gradient (PyTorch's tensors of data, too, are made without one)
        self.X = Tensor(setup["X"], requires_grad=False)
        self.Y = Tensor(setup["Y"], requires_grad=False)

    def moons_step(self, lr):
        W1, b1, W2, b2, W3, b3 = P = self.moons
        S = ((self.X @ W1 + b1).relu() @ W2 + b2).relu() @ W3 + b3
        loss = (1 - self.Y * S).relu().mean() + ALPHA * sum((p * p).sum() for p in P)
        for p in P:
            p.zero_grad()
        loss.backward()
        for p in P:
            p.data -= lr * p.grad
        return loss.item()

    def digits_batch(self, idx):
        W1, b1, W2, b2 = P = self.digits
        # a batch is a new Tensor of the picked rows (as PyTorch's is), data: no gradient
        batch = self.Tensor(self.s["X_train"][idx], requires_grad=False)
        logits = (batch @ W1 + b1).relu() @ W2 + b2
        loss = self.cross_entropy(logits, self.s["y_train"][idx])
        for p in P:
            p.zero_grad()
        loss.backward()
        for p in P:
            p.data -= DIGITS_LR * p.grad
        return loss.item()


class TorchEngine:
    def __init__(self, setup):
        import torch

        torch.set_num_threads(1)
        self.torch, self.s = torch, setup
        as_param = lambda a: torch.tensor(a, dtype=torch.float64, requires_grad=True)  # noqa: E731
        self.moons = [as_param(a) for a in moons_arrays(setup)]
        self.digits = [as_param(a) for a in digits_arrays(setup)]
        self.X, self.Y = torch.tensor(setup["X"]), torch.tensor(setup["Y"])
        self.X_train = torch.tensor(setup["X_train"])
        self.y_train = torch.tensor(setup["y_train"], dtype=torch.long)

    def moons_step(self, lr):
        W1, b1, W2, b2, W3, b3 = P = self.moons
        S = ((self.X @ W1 + b1).relu() @ W2 + b2).relu() @ W3 + b3
        loss = (1 - self.Y * S).relu().mean() + ALPHA * sum((p * p).sum() for p in P)
        for p in P:
            p.grad = None
        loss.backward()
        with self.torch.no_grad():
            for p in P:
                p -= lr * p.grad
        return loss.item()

    def digits_batch(self, idx):
        W1, b1, W2, b2 = P = self.digits
        idx = self.torch.from_numpy(idx)
        logits = (self.X_train[idx] @ W1 + b1).relu() @ W2 + b2
        loss = self.torch.nn.functional.cross_entropy(logits, self.y_train[idx])
        for p in P:
            p.grad = None
        loss.backward()
        with self.torch.no_grad():
            for p in P:
                p -= DIGITS_LR * p.grad
        return loss.item()


class ScalarEngine:
    """micrograd, or the course's scalar engine with micrograd's graph or fused neurons."""

    def __init__(self, setup, engine):
        if engine == "micrograd":
            from micrograd.engine import Value
            from micrograd.nn import MLP

            self.moons_model, self.digits_model = MLP(2, [16, 16, 1]), MLP(64, [64, 10])
        else:
            from backproplab.engine import Value
            from backproplab.nn import MLP

            fused = engine == "scalar-fused"
            kw = dict(activation="relu", output_activation="linear", fused=fused)
            self.moons_model, self.digits_model = MLP(2, [16, 16, 1], **kw), MLP(64, [64, 10], **kw)
        self.engine, self.Value, self.s = engine, Value, setup
        self._load(self.moons_model, moons_arrays(setup))
        self._load(self.digits_model, digits_arrays(setup))
        self.X, self.Y = setup["X"].tolist(), setup["Y"].ravel().tolist()

    @staticmethod
    def _load(model, arrays):
        params = iter(model.parameters())
        for W, b in zip(arrays[::2], arrays[1::2]):
            for j in range(W.shape[1]):  # neuron j: its weights (column j), then its bias
                for w in W[:, j]:
                    next(params).data = float(w)
                next(params).data = float(b[j])

    def moons_step(self, lr):
        model, Value = self.moons_model, self.Value
        scores = [model([Value(v) for v in row]) for row in self.X]
        data_loss = sum((1 + -y * s).relu() for y, s in zip(self.Y, scores)) * (1.0 / len(scores))
        loss = data_loss + ALPHA * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return loss.data

    def digits_batch(self, idx):
        model, Value = self.digits_model, self.Value
        losses = []
        for i in idx.tolist():
            logits = model([Value(v) for v in self.s["X_train"][i].tolist()])
            label = int(self.s["y_train"][i])
            if self.engine == "micrograd":  # no exp/log: squared error to the one-hot label
                losses.append(sum((z - (1.0 if j == label else 0.0)) ** 2
                                  for j, z in enumerate(logits)))
            else:
                top = max(z.data for z in logits)
                losses.append(sum((z - top).exp() for z in logits).log() - (logits[label] - top))
        loss = sum(losses) * (1.0 / len(losses))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= DIGITS_LR * p.grad
        return loss.data


def worker(engine: str, setup_path: str) -> None:
    """Answer `moons K STEPS` and `digits EPOCH` commands, one JSON line each."""
    setup = dict(np.load(setup_path))
    if engine == "numpy":
        runner = NumpyByHand(setup)
    elif engine == "tensor":
        runner = TensorEngine(setup)
    elif engine == "torch":
        runner = TorchEngine(setup)
    else:
        runner = ScalarEngine(setup, engine)
    limit = 1 if engine in SCALAR_ENGINES else None
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[0] == "moons":  # moons FIRST COUNT STEPS: COUNT steps in a row, each timed
            first, count, steps = map(int, command[1:])
            answer = []
            for k in range(first, first + count):
                cpu, wall = time.process_time(), time.perf_counter()
                loss = runner.moons_step(1.0 - 0.9 * k / steps)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                answer.append({"cpu": cpu, "wall": wall, "loss": loss})
        else:  # digits EPOCH: one epoch (the scalar engines: its first batch), timed as a whole
            cpu, wall = time.process_time(), time.perf_counter()
            losses, images = [], 0
            for idx in batches(setup, int(command[1]), limit):
                losses.append(runner.digits_batch(idx))
                images += len(idx)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            answer = {"cpu": cpu, "wall": wall, "losses": losses, "images": images}
        print(json.dumps(answer), flush=True)


# -------------------------------------------------------------------- the driver

def available(engine: str) -> str | None:
    """The Python that can run `engine`, or None (PyTorch is optional)."""
    if engine != "torch":
        return sys.executable
    for python in (sys.executable, str(TORCH_PYTHON)):
        if Path(python).exists() and subprocess.run(
                [python, "-c", "import torch"], capture_output=True).returncode == 0:
            return python
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=100, help="moons steps (default 100)")
    parser.add_argument("--epochs", type=int, default=3, help="digits epochs (default 3)")
    parser.add_argument("--scalar-steps", type=int, default=10,
                        help="moons steps for micrograd and the scalar engines (default 10)")
    parser.add_argument("--quick", action="store_true", help="20 steps and 1 epoch")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "SETUP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    steps, epochs = (20, 1) if args.quick else (args.steps, args.epochs)
    if steps < 1 or epochs < 1:
        parser.error("--steps and --epochs must be at least 1")
    scalar_steps = min(steps, args.scalar_steps)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    procs, missing = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        setup_path = Path(tmp) / "setup.npz"
        make_setup(setup_path)
        for engine in ENGINES:
            python = available(engine)
            if python is None:
                missing.append(engine)
                continue
            procs[engine] = subprocess.Popen([python, __file__, "--worker", engine, str(setup_path)],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             text=True, env=env, cwd=tmp)
            line = procs[engine].stdout.readline()
            if not line or not json.loads(line).get("ready"):
                raise SystemExit(f"{NAMES[engine]} did not start; see its error above")

        def ask(engine, command):
            procs[engine].stdin.write(command + "\n")
            procs[engine].stdin.flush()
            line = procs[engine].stdout.readline()
            if not line:
                raise SystemExit(f"{NAMES[engine]} stopped; see its error above")
            return json.loads(line)

        moons = {e: [] for e in procs}
        digits = {e: [] for e in procs}
        try:
            # rounds of CHUNK steps: each engine takes its CHUNK steps in a row (the first
            # of them starts with cold caches after the others ran; the median skips it)
            for k in range(0, steps, CHUNK):
                for engine in procs:
                    budget = scalar_steps if engine in SCALAR_ENGINES else steps
                    count = min(CHUNK, budget - k)
                    if count > 0:
                        moons[engine] += ask(engine, f"moons {k} {count} {steps}")
                print(f"  moons step {min(k + CHUNK, steps)}/{steps}", file=sys.stderr, flush=True)
            for epoch in range(epochs):
                for engine in procs:
                    if epoch == 0 or engine not in SCALAR_ENGINES:
                        digits[engine].append(ask(engine, f"digits {epoch}"))
                print(f"  digits epoch {epoch + 1}/{epochs}", file=sys.stderr, flush=True)
        finally:
            for proc in procs.values():
                proc.stdin.close()
                proc.wait()
    report(moons, digits, steps, epochs, missing)


def report(moons, digits, steps, epochs, missing) -> None:
    n_images = max(r["images"] for runs in digits.values() for r in runs)
    moons_cpu = {e: statistics.median(r["cpu"] for r in runs) for e, runs in moons.items()}
    moons_wall = {e: statistics.median(r["wall"] for r in runs) for e, runs in moons.items()}
    counts = {e: len(runs) for e, runs in moons.items()}
    epoch_cpu = {e: statistics.median(r["cpu"] * n_images / r["images"] for r in runs)
                 for e, runs in digits.items()}
    epoch_wall = {e: statistics.median(r["wall"] * n_images / r["images"] for r in runs)
                  for e, runs in digits.items()}
    ref = moons["tensor"]
    print()
    print(f"moons step: median CPU time per step over {steps} steps ({min(counts.values())} for "
          f"micrograd and the scalar engines); digits epoch: median over {epochs} epochs of "
          f"{n_images} digits (* = scaled from one batch of {BATCH}); one thread each")
    print()
    print("| engine | moons step (ms) | x vs Tensor | digits epoch (ms) | x vs Tensor | "
          "moons loss gap | digits loss gap |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for engine in moons:
        gap_m = max(abs(a["loss"] - b["loss"]) for a, b in zip(moons[engine], ref))
        first = digits[engine][0]["losses"]
        gap_d = max(abs(a - b) for a, b in zip(first, digits["tensor"][0]["losses"]))
        note = "*" if engine in SCALAR_ENGINES else ""
        gap_d_text = "(other loss)" if engine == "micrograd" else f"{gap_d:.0e}"
        print(f"| {NAMES[engine]} | {moons_cpu[engine] * 1e3:.3f} | "
              f"{moons_cpu[engine] / moons_cpu['tensor']:,.2f} | "
              f"{epoch_cpu[engine] * 1e3:,.1f}{note} | {epoch_cpu[engine] / epoch_cpu['tensor']:,.1f} | "
              f"{gap_m:.0e} | {gap_d_text} |")
    print()
    print("wall-clock medians: " + ", ".join(
        f"{NAMES[e]} {moons_wall[e] * 1e3:.3f} ms / {epoch_wall[e] * 1e3:,.1f} ms" for e in moons))
    if missing:
        print(f"not measured: {', '.join(NAMES[e] for e in missing)} (not installed)")
    print()
    print("targets (moons step, CPU time):")
    if "torch" in moons_cpu:
        ratio = moons_cpu["torch"] / moons_cpu["tensor"]
        print(f"  Tensor at least as fast as PyTorch CPU: PyTorch / Tensor = {ratio:.2f}  "
              f"{'met' if ratio >= TARGET_VS_TORCH else 'MISSED'}")
    ratio = moons_cpu["tensor"] / moons_cpu["numpy"]
    print(f"  Tensor within {TARGET_VS_NUMPY:g}x of numpy by hand: Tensor / numpy = {ratio:.2f}  "
          f"{'met' if ratio <= TARGET_VS_NUMPY else 'MISSED'}")


if __name__ == "__main__":
    main()
