"""Where a learner stands: every exercise of the course, and what its last check said.

    from backproplab.exercises import progress
    progress()          # every notebook's exercises: not answered / wrong / right
    progress("nb04")    # one notebook's

Each `Exercise.check` remembers its last verdict in this kernel; nothing is written to
disk. The grading tool (`python -m backproplab.grading`) reads the same records from a
notebook it has just run, through `report()`.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
from dataclasses import dataclass

from . import Exercise

__all__ = ["progress", "report", "Progress", "notebook_modules"]

STATUSES = ("right", "wrong", "not answered")
_SYMBOL = {"right": "✓", "wrong": "✗", "not answered": "·"}


def notebook_modules() -> list[str]:
    """The names of the exercise modules, one per notebook: ["nb01", "nb02", ...]."""
    package = importlib.import_module(__package__)
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__)
                  if m.name.startswith("nb") and m.name[2:].isdigit())


def _exercises(module_name: str) -> list[tuple[str, Exercise]]:
    """(attribute name, Exercise) for each exercise of a module, in the notebook's order."""
    module = importlib.import_module(f"{__package__}.{module_name}")
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return [(n, getattr(module, n)) for n in names if isinstance(getattr(module, n, None), Exercise)]


@dataclass(frozen=True)
class Row:
    """One exercise and what its last check in this kernel said."""

    notebook: str
    exercise: str
    title: str
    status: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"notebook": self.notebook, "exercise": self.exercise, "title": self.title,
                "status": self.status, "message": self.message}


def report(notebooks: list[str] | tuple[str, ...] | str | None = None) -> list[Row]:
    """A row for every exercise of the given notebook modules (all of them by default)."""
    if notebooks is None:
        names = notebook_modules()
    else:
        names = [notebooks] if isinstance(notebooks, str) else list(notebooks)
        known = notebook_modules()
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"no exercises named {', '.join(map(repr, unknown))}; "
                             f"the notebooks' exercise modules are {', '.join(known)}")
    rows = []
    for name in names:
        for attribute, exercise in _exercises(name):
            rows.append(Row(name, attribute, exercise.title, exercise.status, exercise.last_message))
    return rows


class Progress:
    """A table of exercises and their status; shows as HTML in Jupyter, text elsewhere."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.rows) for s in STATUSES}

    def _summary(self) -> str:
        c = self.counts()
        return (f"{c['right']} of {len(self.rows)} exercises right, {c['wrong']} not yet, "
                f"{c['not answered']} not answered")

    def __repr__(self) -> str:
        lines = [self._summary()]
        for r in self.rows:
            lines.append(f"  {_SYMBOL[r.status]} {r.notebook}.{r.exercise:24} {r.status}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {"right": "#1a7f37", "wrong": "#b3261e", "not answered": "#666"}
        body = "".join(
            f"<tr><td>{r.notebook}</td><td>{html.escape(r.title)}</td>"
            f"<td style='color:{colours[r.status]}'>{_SYMBOL[r.status]} {r.status}</td></tr>"
            for r in self.rows
        )
        return (f"<p>{html.escape(self._summary())}</p>"
                "<table><tr><th>notebook</th><th>exercise</th><th>status</th></tr>"
                f"{body}</table>")


def progress(notebooks: list[str] | tuple[str, ...] | str | None = None) -> Progress:
    """Every exercise (or those of the given notebooks, e.g. "nb04") with its status in
    this kernel: right, wrong (checked, not right yet), or not answered."""
    return Progress(report(notebooks))
