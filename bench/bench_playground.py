"""The Playground of notebook 09, measured in the kernel (no browser).

The network of the target: 2-8-8-1 (features x1, x2; two hidden layers of 8 tanh
neurons) on 200 training points (400 circles points, half held out), batches of 10.

1. Training steps alone (`Playground.step`, which also scores the training and test
   points for the loss curves): the tensor engine and the scalar engine on the same
   network, alternating round by round, the ratio taken within each round.
2. The widget as Play runs it, on an event loop as in a kernel: steps/s and how often
   each picture changed, at the pace "as fast as it goes" and at the default pace (one
   epoch, 20 steps, a picture). Aim: at least 20 steps/s with the pictures redrawn at
   least 5 times a second, with the tensor engine; the scalar engine's figures beside it.
3. Where a picture's time goes: the network with its heatmaps, the boundary, the loss.

Figures to read, never a pass/fail line; the machine's load average is printed with
them. Run: .venv/bin/python bench/bench_playground.py [--seconds 3] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import ipywidgets as W  # noqa: E402

from backproplab.playground import Playground, playground  # noqa: E402

PLAYING = "playing" if "playing" in W.Play.class_trait_names() else "_playing"
TARGET = dict(dataset="circles", points=400, test_fraction=0.5, hidden=[8, 8], batch_size=10)


def load() -> str:
    return f"load average {os.getloadavg()[0]:.2f} over 1 min, {os.cpu_count()} cpus"


def steps_per_second(engine: str, steps: int) -> float:
    pg = Playground(**TARGET, engine=engine)
    pg.step()  # the first step builds the scalar engine's model
    start = time.perf_counter()
    for _ in range(steps):
        pg.step()
    return steps / (time.perf_counter() - start)


def training_steps(rounds: int) -> None:
    print(f"1. training steps, 2-8-8-1 on 200 points, batches of 10 ({load()})")
    tensor, scalar, ratios = [], [], []
    for _ in range(rounds):  # alternating, so both see the same machine
        t = steps_per_second("tensor", 300)
        s = steps_per_second("scalar", 60)
        tensor.append(t)
        scalar.append(s)
        ratios.append(t / s)
    print(f"   tensor engine   {statistics.median(tensor):8.0f} steps/s (median of {rounds})")
    print(f"   scalar engine   {statistics.median(scalar):8.0f} steps/s")
    print(f"   tensor / scalar {statistics.median(ratios):8.1f}x (median of the rounds' ratios, "
          f"from {min(ratios):.1f}x to {max(ratios):.1f}x)")


def press_play(lab, seconds: float) -> tuple[float, list[float]]:
    """Play for `seconds` on an event loop; steps/s and each picture's redraws/s."""
    plots = (lab.network_plot, lab.boundary_plot, lab.loss_plot)

    async def run():
        play = lab.controls["play"]
        steps, redraws = lab.playground.steps, [p.redraws for p in plots]
        start = time.perf_counter()
        setattr(play, PLAYING, True)
        await asyncio.sleep(seconds)
        setattr(play, PLAYING, False)  # the pause's own picture is not counted below
        elapsed = time.perf_counter() - start
        return ((lab.playground.steps - steps) / elapsed,
                [(p.redraws - r - 1) / elapsed for p, r in zip(plots, redraws)])

    return asyncio.run(run())


def widget_play(seconds: float, rounds: int) -> None:
    print()
    print(f"2. the widget, Play on an event loop for {seconds:g} s ({load()})")
    for pace in ("as fast as it goes", "1 epoch a picture"):
        for engine in ("tensor", "scalar"):
            rates, pictures = [], []
            for _ in range(rounds):
                lab = playground(**TARGET, engine=engine, pace=pace)
                rate, redraws = press_play(lab, seconds)
                assert lab.last_error is None, lab.last_error
                rates.append(rate)
                pictures.append(min(redraws))
            print(f"   {engine} engine, {pace + ':':<20} {statistics.median(rates):7.1f} steps/s, "
                  f"pictures redrawn {statistics.median(pictures):4.1f} times/s (the slowest of "
                  f"the three; median of {rounds})   [aim: 20 steps/s, 5 pictures/s]")


def picture_costs(repeats: int) -> None:
    print()
    print(f"3. one picture, ms ({load()})")
    lab = playground(**TARGET)
    lab.run_steps(50)
    pg = lab.playground
    for name, plot, args in (("network and 16 heatmaps", lab.network_plot, (pg, "output")),
                             ("decision boundary", lab.boundary_plot, (pg,)),
                             ("loss curves", lab.loss_plot, (pg,))):
        times = []
        for _ in range(repeats):
            pg.step()
            start = time.perf_counter()
            plot.png(*args)
            times.append(1000 * (time.perf_counter() - start))
        print(f"   {name:<26} median {statistics.median(times):6.1f} ms (min {min(times):5.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    training_steps(args.rounds)
    widget_play(args.seconds, args.rounds)
    picture_costs(20)


if __name__ == "__main__":
    main()
