#!/usr/bin/env python3
"""Run the notebooks' PyTorch cells with PyTorch and compare with the output they quote.

    .venv-torch/bin/python tools/torch_check.py            # every notebook (make torch-check)
    .venv-torch/bin/python tools/torch_check.py notebooks/05_neuron.ipynb

PyTorch is not a course requirement, so where a notebook shows PyTorch, the cell is
static: a markdown cell tagged `torch` (cell metadata `"tags": ["torch"]`) holding the
code in one ```python block and, after it, what PyTorch printed in one ```text block.
This script finds every such cell and runs each notebook's cells in order in one fresh
Python process (the one running this script, or --python) in an empty folder, as a
reader typing them into one PyTorch session would, and fails when a printed line
differs from the quoted one, naming the notebook, the cell and both numbers. It also
fails when a markdown cell shows PyTorch code without the tag (it would never be
checked) and when a code cell imports torch (it would run in the course's kernel, where
PyTorch is not installed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TAG = "torch"
TIMEOUT = 300  # seconds for one snippet (importing torch takes a few)

_FENCE = re.compile(r"^```([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_TORCH_IMPORT = re.compile(r"^\s*(?:import\s+torch\b|from\s+torch\b)", re.M)


@dataclass(frozen=True)
class TorchCell:
    """One PyTorch cell: where it is, its code, and the output it quotes."""

    notebook: str
    index: int
    cell_id: str
    code: str
    quoted: str

    @property
    def where(self) -> str:
        return f"{self.notebook}, cell {self.index} (id {self.cell_id})"


class NotebookError(ValueError):
    """A notebook's PyTorch cells are not in the form this script can check."""


def _name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def find_torch_cells(path: Path) -> list[TorchCell]:
    """The PyTorch cells of one notebook, in order; NotebookError for a malformed one."""
    nb = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: no Jupyter packages needed
    name, cells, problems = _name(path), [], []
    for index, cell in enumerate(nb["cells"]):
        where = f"{name}, cell {index} (id {cell.get('id', '?')})"
        tagged = TAG in cell.get("metadata", {}).get("tags", [])
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code":
            if _TORCH_IMPORT.search(source):
                problems.append(f"{where}: a code cell imports torch; PyTorch cells must be "
                                f"markdown (tagged `{TAG}`), since the course's kernel has no PyTorch")
            continue
        blocks = [(lang, body) for lang, body in _FENCE.findall(source)]
        python = [body for lang, body in blocks if lang == "python"]
        if not tagged:
            if any(_TORCH_IMPORT.search(body) for body in python):
                problems.append(f"{where}: shows PyTorch code but has no `{TAG}` tag, so its "
                                "output would never be checked")
            continue
        langs = [lang for lang, _ in blocks]
        if langs != ["python", "text"]:
            problems.append(f"{where}: a `{TAG}` cell needs one ```python block (the code) "
                            f"followed by one ```text block (what PyTorch printed); it has "
                            f"{', '.join(repr(lang or 'unlabelled') for lang in langs) or 'no code blocks'}")
            continue
        cells.append(TorchCell(name, index, cell.get("id", "?"), blocks[0][1], blocks[1][1]))
    if problems:
        raise NotebookError("\n".join(problems))
    return cells


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def compare(quoted: str, printed: str) -> list[str]:
    """How the printed output differs from the quoted one, line by line (empty: the same).

    Where a line differs only in its numbers, each differing pair is named:
    "line 2: quoted 0.5000, PyTorch gives 0.5001".
    """
    want, got = _lines(quoted), _lines(printed)
    differences = []
    for number in range(max(len(want), len(got))):
        q = want[number] if number < len(want) else None
        p = got[number] if number < len(got) else None
        if q == p:
            continue
        line = f"line {number + 1}"
        if q is None:
            differences.append(f"{line}: PyTorch printed {p!r}, which the quote does not have")
        elif p is None:
            differences.append(f"{line}: quoted {q!r}, PyTorch printed nothing there")
        elif _NUMBER.split(q) == _NUMBER.split(p) and len(_NUMBER.findall(q)) == len(_NUMBER.findall(p)):
            for a, b in zip(_NUMBER.findall(q), _NUMBER.findall(p)):
                if a != b:
                    differences.append(f"{line}: quoted {a}, PyTorch gives {b}")
        else:
            differences.append(f"{line}: quoted {q!r}, PyTorch printed {p!r}")
    return differences


# runs a notebook's snippets in order in one namespace, printing END after each one
_SESSION = """\
import json, linecache, sys, traceback
END = sys.argv[2]
namespace = {"__name__": "__main__"}
for name, code in json.load(open(sys.argv[1], encoding="utf-8")):
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    try:
        exec(compile(code, name, "exec"), namespace)
    except BaseException:
        sys.stdout.flush()
        traceback.print_exc()
        sys.exit(1)
    print(END, flush=True)
"""
_END = "----- end of a PyTorch cell -----"


def run_cells(cells: list[TorchCell], python: str = sys.executable) -> list[tuple[bool, str]]:
    """Run one notebook's snippets in order, in one fresh process in an empty folder, as a
    reader typing them into one PyTorch session would (a later cell may use an earlier
    cell's names). For each cell: (it ran, what it printed, or why it did not run)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        session, snippets = Path(tmp) / "session.py", Path(tmp) / "snippets.json"
        session.write_text(_SESSION, encoding="utf-8")
        snippets.write_text(json.dumps([[f"<{c.where}>", c.code] for c in cells]), encoding="utf-8")
        work = Path(tmp) / "work"
        work.mkdir()
        try:
            done = subprocess.run([python, str(session), str(snippets), _END], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return [(False, f"the cells ran for more than {TIMEOUT} s and were stopped")] * len(cells)
    pieces = done.stdout.split(_END + "\n")
    results = [(True, piece) for piece in pieces[:-1]]
    if len(results) < len(cells):  # this cell raised (or the process died): the rest never ran
        error = _lines(done.stderr)[-6:] or [f"exit status {done.returncode}"]
        results.append((False, "it raised:\n    " + "\n    ".join(error)))
        results += [(False, "not run: an earlier PyTorch cell of this notebook failed")] * (
            len(cells) - len(results))
    return results


def check_notebooks(paths: list[Path], python: str = sys.executable, log=print) -> list[str]:
    """Check every PyTorch cell of the notebooks; the problems found (empty: all match)."""
    problems, count = [], 0
    for path in paths:
        try:
            cells = find_torch_cells(path)
        except NotebookError as error:
            problems += str(error).splitlines()
            continue
        for cell, (ran, output) in zip(cells, run_cells(cells, python) if cells else []):
            count += 1
            if ran:
                found = [f"{cell.where}: {d}" for d in compare(cell.quoted, output)]
            else:
                found = [f"{cell.where}: the snippet did not run: {output}"]
            problems += found
            if found:
                log(f"FAIL {cell.where}: {len(found)} problem(s)")
            else:
                log(f"ok   {cell.where}: the {len(_lines(cell.quoted))} quoted lines match")
    if count == 0 and not problems:
        problems.append(f"no PyTorch cells (markdown cells tagged `{TAG}`) in "
                        f"{', '.join(_name(p) for p in paths)}")
    return problems


def torch_version(python: str) -> str | None:
    done = subprocess.run([python, "-c", "import torch; print(torch.__version__)"],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to check (default: every notebook in notebooks/)")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python with PyTorch that runs the snippets (default: this one)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    version = torch_version(args.python)
    if version is None:
        print(f"PyTorch cannot be imported by {args.python}; `make torch-check` makes "
              ".venv-torch with it", file=sys.stderr)
        return 2
    print(f"PyTorch {version} ({args.python})")
    problems = check_notebooks(paths, args.python)
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("every quoted PyTorch output matches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
