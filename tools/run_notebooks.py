#!/usr/bin/env python3
"""Run every course notebook top to bottom in a fresh kernel and store the outputs.

    python tools/run_notebooks.py                 # all of notebooks/*.ipynb, in place
    python tools/run_notebooks.py notebooks/03_computation_graphs.ipynb
    python tools/run_notebooks.py --check         # run, but only report what differs

The committed outputs come from this script alone, so they are the same bytes on every
run and on every machine: timings are not recorded, the random ids of widget views are
replaced by ids numbered in order, and each kernel starts in the environment that
`kernel_environment` describes (the same hash seed; numpy on its portable code paths
whatever the CPU; matplotlib's and IPython's defaults, not the user's configuration).
The tests import `execute` and `normalize` from here to prove the committed outputs are
current, on this machine's CPU and on others'.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebook_paths() -> list[Path]:
    """The course notebooks in teaching order (their names start with a number)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) pieces into one output.

    The kernel sends printed text in pieces whenever it flushes, which depends on timing,
    so the same cell can come back as one stream output on one run and two on the next.
    """
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def normalize(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Make an executed notebook's bytes independent of when and where it ran."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if "outputs" in cell:
            cell.outputs = _merge_streams(cell.outputs)
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                count += 1
                view["model_id"] = f"{name}-widget-{count}"
    return nb


def numpy_dispatch_targets() -> list[str]:
    """The CPU-specific code paths this numpy may pick at run time (names for
    NPY_DISABLE_CPU_FEATURES), e.g. ['X86_V3', 'X86_V4', 'AVX512_ICL', 'AVX512_SPR']."""
    try:
        from numpy._core import _multiarray_umath as umath
    except ImportError:  # numpy 1.x keeps it in numpy.core; no numpy at all: nothing to pin
        try:
            from numpy.core import _multiarray_umath as umath
        except ImportError:
            return []
    return list(getattr(umath, "__cpu_dispatch__", []))


def _matplotlib_defaults() -> str | None:
    try:
        import matplotlib
    except ImportError:
        return None
    return str(Path(matplotlib.__file__).parent / "mpl-data" / "matplotlibrc")


def kernel_environment(ipython_dir: str) -> dict[str, str]:
    """The environment a notebook's kernel starts in: this process's, with what would make
    outputs differ between machines pinned.

    - numpy picks vectorised `exp`, `tanh`, ... by CPU (AVX2, AVX-512), and they round
      the last bit differently; 01's plot of finite-difference round-off shows exactly
      that bit. All of numpy's CPU dispatch is switched off, so the kernel runs numpy's
      baseline code, the same on every x86-64 CPU (tests/test_notebooks.py runs the
      notebooks as other CPUs would and finds the same bytes).
    - PYTHONHASHSEED: sets of strings iterate in the same order on every run.
    - matplotlib's own defaults, not a matplotlibrc in the user's config folder, and a
      fresh IPython folder without the user's profile or startup files.
    Locale, timezone and BLAS threads are left as they are: the tests show that the
    outputs do not depend on them.
    """
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    targets = numpy_dispatch_targets()
    if targets:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(targets)
    else:
        env.pop("NPY_DISABLE_CPU_FEATURES", None)
    defaults = _matplotlib_defaults()
    if defaults is not None:
        env["MATPLOTLIBRC"] = defaults
    env["IPYTHONDIR"] = ipython_dir
    return env


def execute(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel and return it normalized.

    The kernel works in an empty folder of its own inside the notebook's folder (so
    the environment check in 00 still finds the course around it), as a fresh clone's
    notebooks folder is: the learner's `my_engine.py` (which notebooks 03-07 write and
    read beside themselves) from an earlier run, or from someone working through the
    course in this checkout, never changes what a notebook prints."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="backproplab-ipython-") as ipython_dir, \
            tempfile.TemporaryDirectory(prefix=".run-", dir=path.parent) as workdir:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": workdir}},
            record_timing=False,
            store_widget_state=False,
        )
        client.execute(env=kernel_environment(ipython_dir))
    return normalize(nb, path.stem)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--check", action="store_true", help="report, don't write")
    args = parser.parse_args()
    paths = args.paths or notebook_paths()
    stale = 0
    for path in paths:
        start = time.perf_counter()
        fresh = execute(path)
        took = time.perf_counter() - start
        text = nbformat.writes(fresh) + "\n"
        same = path.read_text(encoding="utf-8") == text
        if args.check:
            stale += not same
            print(f"{path.name}: {'current' if same else 'STALE'} ({took:.1f} s)")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: {'unchanged' if same else 'updated'} ({took:.1f} s)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
