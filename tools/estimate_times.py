#!/usr/bin/env python3
"""How long each notebook takes a learner, estimated from what is in it.

    python tools/estimate_times.py          # a table: words, code cells, exercises, minutes
    python tools/estimate_times.py --write  # copy the figures into README.md and TEACHING.md

The method, stated so a teacher can judge it and redo it by hand:

- reading: the markdown's words at 150 words a minute (technical prose with formulas is
  read at about half the speed of ordinary text, which runs at 230-250);
- running: 1 minute for each code cell (run it, read its output, compare it with the text);
- exercises: 5 minutes for each exercise (a `.check(` call: think, write, check, perhaps
  ask for a hint).

A notebook's estimate is the sum, rounded to the nearest 5 minutes. The README's map and
TEACHING.md quote these numbers, and a test keeps them in step with the notebooks.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

WORDS_PER_MINUTE = 150
MINUTES_PER_CODE_CELL = 1.0
MINUTES_PER_EXERCISE = 5.0

_WORD = re.compile(r"[A-Za-z0-9']+")
_CHECK = re.compile(r"\.check\(")


@dataclass(frozen=True)
class Estimate:
    """What a notebook holds, and the minutes it takes."""

    name: str
    words: int
    code_cells: int
    exercises: int

    @property
    def minutes(self) -> int:
        raw = (self.words / WORDS_PER_MINUTE + self.code_cells * MINUTES_PER_CODE_CELL
               + self.exercises * MINUTES_PER_EXERCISE)
        return max(5, 5 * round(raw / 5))


def estimate(path: Path) -> Estimate:
    """Count the words of a notebook's markdown, its code cells and its exercises."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    words = code = exercises = 0
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            words += len(_WORD.findall(source))
        elif cell["cell_type"] == "code":
            code += 1
            exercises += len(_CHECK.findall(source))
    return Estimate(path.name, words, code, exercises)


def estimates() -> list[Estimate]:
    """The estimate of every course notebook, in teaching order."""
    return [estimate(p) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


_NUMBER = re.compile(r"^\s*\[?(\d\d) ")
_TOTAL = re.compile(r"\d+ minutes in all")
# where the times are quoted: the README's map, the instructor page, and 00's map
DOCUMENTS = ("README.md", "TEACHING.md")
MAP_NOTEBOOK = "notebooks/00_start_here.ipynb"


def _time_column(cells: list[str]) -> int | None:
    """The index of a table row's "N min" cell, or None."""
    return next((i for i, c in enumerate(cells) if re.fullmatch(r"\s*\d+ min\s*", c)), None)


def rewrite(text: str, rows: list[Estimate]) -> str:
    """`text` (markdown) with each notebook's row carrying its minutes (and, in a table
    with count columns, its counts), and the "N minutes in all" total updated."""
    by_number = {e.name[:2]: e for e in rows}
    lines = []
    for line in text.split("\n"):
        cells = line.strip().strip("|").split("|")
        number = _NUMBER.match(cells[0]) if line.startswith("|") else None
        time = _time_column(cells)
        if number and number[1] in by_number and time is not None:
            e = by_number[number[1]]
            if time == 4:  # Notebook | Words | Code cells | Exercises | Time
                cells[1:4] = [f" {e.words} ", f" {e.code_cells} ", f" {e.exercises} "]
            cells[time] = f" {e.minutes} min "
            line = "|" + "|".join(cells) + "|"
        lines.append(line)
    return _TOTAL.sub(f"{sum(e.minutes for e in rows)} minutes in all", "\n".join(lines))


def quoted(text: str) -> dict[str, tuple[int, ...]]:
    """Notebook number -> the figures a markdown table quotes for it (counts, then minutes)."""
    found = {}
    for line in text.split("\n"):
        cells = line.strip().strip("|").split("|")
        number = _NUMBER.match(cells[0]) if line.startswith("|") else None
        time = _time_column(cells)
        if number and time is not None:
            figures = [c.strip() for c in cells[1:time] if c.strip().isdigit()]
            found[number[1]] = tuple(int(f) for f in figures) + (int(cells[time].split()[0]),)
    return found


def map_cell(nb: dict) -> dict:
    """The markdown cell of notebook 00 that holds the map."""
    return next(c for c in nb["cells"]
                if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## The map"))


def write(rows: list[Estimate]) -> None:
    """Copy the figures into the README, TEACHING.md and 00's map."""
    for name in DOCUMENTS:
        path = ROOT / name
        path.write_text(rewrite(path.read_text(encoding="utf-8"), rows), encoding="utf-8")
    path = ROOT / MAP_NOTEBOOK
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = map_cell(nb)
    text = rewrite("".join(cell["source"]), rows)
    cell["source"] = text.splitlines(keepends=True)
    # the same layout as the notebooks' own writer (nbformat): one-space indent
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    rows = estimates()
    if "--write" in sys.argv[1:]:
        write(rows)
    print(f"{'notebook':34} {'words':>6} {'code':>5} {'exercises':>9} {'minutes':>8}")
    for e in rows:
        print(f"{e.name:34} {e.words:6d} {e.code_cells:5d} {e.exercises:9d} {e.minutes:8d}")
    total = sum(e.minutes for e in rows)
    print(f"{'all':34} {sum(e.words for e in rows):6d} {sum(e.code_cells for e in rows):5d} "
          f"{sum(e.exercises for e in rows):9d} {total:8d}  (about {total / 60:.1f} hours)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
