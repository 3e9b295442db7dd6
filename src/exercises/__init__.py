"""Self-checking exercises: each has a `check`, graded `hint`s and a `solution`.

In a notebook::

    from backproplab.exercises import nb01
    nb01.slope_at_2.check(answer)     # says whether the answer is right, and why not
    nb01.slope_at_2.hint()            # the next hint, from a nudge to nearly the answer
    nb01.slope_at_2.solution()        # the worked answer

A check never raises: a wrong answer, an answer that raises, or no answer yet each get a
plain sentence, so "Restart & Run All" always reaches the end of a notebook. `check`
returns True or False so the course's tests can prove that every check accepts the right
answer and rejects wrong ones.
"""

from __future__ import annotations

import dis
import math
import numbers
from collections.abc import Callable, Iterable, Sequence

__all__ = ["Exercise", "Verdict", "close", "as_number", "as_numbers", "is_stub", "NOT_ANSWERED",
           "progress", "report"]

# the placeholder learners replace with their answer: `answer = ...`
NOT_ANSWERED = ...


def is_stub(fn: object) -> bool:
    """True for a function whose whole body is `...` (or `pass`): the unanswered stub."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    steps = [
        (i.opname, i.argval)
        for i in dis.get_instructions(code)
        if i.opname not in ("RESUME", "NOP", "CACHE")
    ]
    return steps in (
        [("LOAD_CONST", None), ("RETURN_VALUE", None)],  # Python 3.11
        [("RETURN_CONST", None)],  # Python 3.12 and later
    )


class Verdict:
    """What a checker found: right or wrong, and a sentence saying why."""

    def __init__(self, correct: bool, message: str = "") -> None:
        self.correct = bool(correct)
        self.message = message


def as_number(answer: object) -> float | None:
    """`answer` as a finite float (a Value counts as its number), or None if it is not one."""
    data = getattr(answer, "data", answer)
    if isinstance(data, bool) or not isinstance(data, numbers.Real) or not math.isfinite(data):
        return None
    return float(data)


def as_numbers(answer: object, count: int, what: str) -> list[float] | Verdict:
    """`answer` as `count` finite floats (Values count as their numbers), or a Verdict
    saying what was expected; `what` names the numbers, e.g. "(df/da, df/db)"."""
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        return Verdict(False, f"Expected a list of {count} numbers {what}, "
                              f"got {type(answer).__name__} {answer!r}.")
    items = list(answer)
    if len(items) != count:
        return Verdict(False, f"Expected {count} numbers {what}, got {len(items)} of them.")
    values = [as_number(item) for item in items]
    for item, value in zip(items, values):
        if value is None:
            return Verdict(False, f"Expected finite numbers {what}, "
                                  f"got {type(item).__name__} {item!r}.")
    return values  # type: ignore[return-value]


def close(got: object, expected: float, tolerance: float = 1e-4) -> Verdict:
    """A Verdict for a numeric answer, within a relative (or absolute, near 0) tolerance."""
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        data = getattr(got, "data", None)  # a Value counts as its number
        if isinstance(data, float):
            got = data
        else:
            return Verdict(False, f"expected a number, got {type(got).__name__} {got!r}")
    if not math.isfinite(got):
        return Verdict(False, f"expected a finite number, got {got!r}")
    if abs(got - expected) <= tolerance * max(1.0, abs(expected)):
        return Verdict(True)
    return Verdict(False, f"{got!r} is not right yet")


class Exercise:
    """One exercise: a checker, hints from gentle to nearly-the-answer, and a solution."""

    def __init__(
        self,
        title: str,
        checker: Callable[..., Verdict],
        hints: Sequence[str],
        solution: str,
    ) -> None:
        self.title = title
        self._checker = checker
        self.hints = list(hints)
        self.solution_text = solution
        self._hints_shown = 0
        # what the last check in this kernel said, for `progress()` and the grading tool
        self.status = "not answered"
        self.last_message = ""

    def _record(self, status: str, message: str) -> None:
        self.status, self.last_message = status, message
        print(message)

    def check(self, *answer: object) -> bool:
        """Print whether `answer` is right (and if not, why); return True or False."""
        if not answer or any(a is NOT_ANSWERED or a is None or is_stub(a) for a in answer):
            self._record("not answered", f"{self.title}: not answered yet. Replace the `...` "
                         "with your answer and run the cell again.")
            return False
        try:
            verdict = self._checker(*answer)
        except Exception as error:  # a learner's function may raise anything
            self._record("wrong", f"✗ {self.title}: your answer raised {type(error).__name__}: {error}")
            return False
        if verdict.correct:
            self._record("right", f"✓ {self.title}: correct. {verdict.message}".rstrip())
        else:
            message = verdict.message.rstrip()
            if message and message[-1] not in ".!?)":
                message += "."
            more = " Try `.hint()` if you are stuck." if self.hints else ""
            self._record("wrong", f"✗ {self.title}: not yet. {message}{more}")
        return verdict.correct

    def hint(self) -> None:
        """Print the next hint; each call goes one step further towards the answer."""
        if not self.hints:
            print(f"{self.title}: no hints for this one; see `.solution()`.")
            return
        level = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown = level + 1
        print(f"Hint {level + 1} of {len(self.hints)}: {self.hints[level]}")

    def solution(self) -> None:
        """Print the worked solution."""
        print(f"Solution to {self.title}:\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"Exercise({self.title!r})"


# `progress()` and `report()` read what the checks above recorded (they need `Exercise`)
from .tracking import progress, report  # noqa: E402
