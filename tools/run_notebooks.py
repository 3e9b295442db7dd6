#!/usr/bin/env python3
"""Run every course notebook top to bottom in a fresh kernel and store the outputs.

    python tools/run_notebooks.py                 # all of notebooks/*.ipynb, in place
    python tools/run_notebooks.py notebooks/03_computation_graphs.ipynb
    python tools/run_notebooks.py --check         # run, but only report what differs

The committed outputs come from this script alone, so they are the same bytes on every
run: each kernel starts with the same hash seed, timings are not recorded, and the
random ids of widget views are replaced by ids numbered in order. The tests import
`execute` and `normalize` from here to prove the committed outputs are current.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
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


def execute(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel, in its own folder, and return it normalized."""
    nb = nbformat.read(path, as_version=4)
    os.environ["PYTHONHASHSEED"] = "0"  # the kernel inherits it: sets iterate alike
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()
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
