"""Per-student numbers: the same exercise with numbers of each student's own.

An exercise whose numbers are arbitrary (a point, an input, a table of scores) can give
every student other numbers, drawn from their student id, so that an answer passed from
one student to another is wrong for the second. Without an id, every exercise uses the
numbers the notebook prints.

    from backproplab.exercises import student_id
    student_id("s1234567")   # this kernel's exercises use s1234567's numbers
    student_id()             # which id is in use (None: the notebook's numbers)
    student_id(None)         # back to the notebook's numbers

The id can also come from the environment variable BACKPROPLAB_STUDENT (a JupyterHub can
set it to each user's name). A check of such an exercise prints the student's numbers
with its verdict, and `exercise.numbers()` prints them on their own.

The numbers are drawn with `random.Random(f"{exercise title}|{id}")`: the same id gives
the same numbers on every machine and every run, whatever PYTHONHASHSEED says. A draw
whose numbers would let two of the exercise's likely slips (or a slip and the answer)
give the same number is drawn again, so each variant tells the slips apart as the
notebook's numbers do.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping

__all__ = ["Variant", "student_id", "ENVIRONMENT"]

ENVIRONMENT = "BACKPROPLAB_STUDENT"
# set by the grading tool, so that a notebook cannot grade itself as another student
_LOCK = "BACKPROPLAB_STUDENT_LOCKED"
_UNSET = object()


class _Student:
    """This kernel's student id (one per kernel, like the checks' records)."""

    def __init__(self) -> None:
        self.id: str | None = os.environ.get(ENVIRONMENT) or None
        self.locked = bool(self.id) and os.environ.get(_LOCK) == "1"


_STUDENT = _Student()


def _normalise(new: object) -> str | None:
    if new is None:
        return None
    if isinstance(new, int) and not isinstance(new, bool):
        new = str(new)
    if not isinstance(new, str) or not new.strip():
        raise ValueError(f"a student id is a non-empty string such as 's1234567' (or None "
                         f"for the notebook's own numbers), got {new!r}")
    return new.strip()


def student_id(new: object = _UNSET) -> str | None:
    """Set this kernel's student id (a string; None for the notebook's numbers), or with
    no argument say which one is in use. Returns the id in use."""
    if new is _UNSET:
        return _STUDENT.id
    wanted = _normalise(new)
    if _STUDENT.locked and wanted != _STUDENT.id:
        print(f"This notebook is being graded as student {_STUDENT.id!r}; the id stays "
              f"{_STUDENT.id!r} (not {wanted!r}).")
        return _STUDENT.id
    _STUDENT.id = wanted
    if wanted is None:
        print("The exercises use the notebook's own numbers.")
    else:
        print(f"The exercises with numbers of your own now use the numbers of student {wanted}.")
    return _STUDENT.id


class Variant:
    """An exercise's numbers: `default` (the notebook's) without a student id, else a
    seeded draw by `choose(rng)`, redrawn until `valid(numbers)` holds.

    `shown(numbers)` says them in words, for the prompt the check prints; `format`
    fills `{name}` fields of the hint and solution texts (numbers shown with :g), from
    the numbers and what `derived(numbers)` works out from them (an estimate, a sum).
    """

    def __init__(self, default: Mapping[str, float],
                 choose: Callable[[random.Random], Mapping[str, float]],
                 shown: Callable[[Mapping[str, float]], str],
                 valid: Callable[[Mapping[str, float]], bool] = lambda numbers: True,
                 derived: Callable[[Mapping[str, float]], Mapping[str, float]] | None = None,
                 ) -> None:
        self.default = dict(default)
        self._derived = derived
        self._choose = choose
        self._shown = shown
        self._valid = valid
        self.key = ""  # the exercise's title, set by Exercise
        self._cache: dict[str, dict[str, float]] = {}

    def numbers(self, student: str | None | object = _UNSET) -> dict[str, float]:
        """The numbers for `student` (default: this kernel's id)."""
        who = _STUDENT.id if student is _UNSET else _normalise(student)
        if who is None:
            return dict(self.default)
        if who not in self._cache:
            rng = random.Random(f"{self.key}|{who}")
            for _ in range(1000):
                drawn = dict(self._choose(rng))
                if self._valid(drawn):
                    break
            else:  # pragma: no cover - every exercise's draw is valid far more often
                raise RuntimeError(f"no valid numbers drawn for {self.key!r}")
            self._cache[who] = drawn
        return dict(self._cache[who])

    def shown(self, student: str | None | object = _UNSET) -> str:
        return self._shown(self.numbers(student))

    def format(self, text: str) -> str:
        """`text` with {name} fields filled in with this student's numbers (:g)."""
        numbers = self.numbers()
        if self._derived is not None:
            numbers.update(self._derived(numbers))
        values = {k: f"{v:g}" if isinstance(v, float) else v for k, v in numbers.items()}
        return text.format(**values)


def distinct(*values: float, gap: float = 1e-3) -> bool:
    """True if no two of `values` are within `gap` (relative, near 0 absolute)."""
    ordered = sorted(values)
    return all(abs(b - a) > gap * max(1.0, abs(a), abs(b)) for a, b in zip(ordered, ordered[1:]))
