"""Self-checking exercises: each has a `check`, graded `hint`s and a `solution`.

In a notebook::

    from backproplab.exercises import nb01
    nb01.partial_slopes.check(answer)   # says whether the answer is right, and why not
    nb01.partial_slopes.hint()          # the next hint: the idea, then the rule, then a step
    nb01.partial_slopes.solution()      # the worked answer

A check never raises: a wrong answer, an answer of the wrong form, an answer that raises,
an answer that never finishes, or no answer yet each get one plain sentence, so "Restart &
Run All" always reaches the end of a notebook. `check` returns True or False so the
course's tests can prove that every check accepts right answers and rejects wrong ones.

How a check runs (the same for every exercise):

- Numbers are read by one reader, `read_number`: any real number (int, float, Fraction,
  Decimal, numpy scalars and 0-d arrays, a list or array of one) or a `Value` (its
  `.data`); numpy is recognised
  by its types, never imported here. `read_numbers` reads a fixed number of them from a
  list, tuple, generator or 1-d array; `read_count` reads a whole number (41, not 41.0).
  A reader that cannot read an answer raises `AnswerForm`, whose sentence says what was
  given and what is expected.
- The checker, and so the learner's code, runs in a helper thread; the check waits for it
  at most `time_limit` seconds (3; `check(answer, time_limit=...)` changes it once).
  Why a thread: `signal.alarm` exists only on Unix and works only in the main thread,
  while waiting on a thread works in a Jupyter kernel on Linux, macOS and Windows alike.
  Waiting alone cannot end an endless loop, so a thread that runs over its time is
  stopped by raising an exception inside it (CPython's `PyThreadState_SetAsyncExc`),
  which ends any loop written in Python. A call stuck inside C code (a long sleep) cannot
  be stopped that way; the check still returns, and says so. Interrupting the kernel
  stops the answer too, and the interrupt then goes on as usual.
- What the answer prints while it runs is kept to its first 20 lines.
- An exception counts as "your answer raised" only if the learner's own code is among the
  frames it passed through (a frame outside this package, the standard library and
  installed packages). Anything else is a problem with the answer's form, and gets a
  sentence about that, never a name from inside the checker.
"""

from __future__ import annotations

import contextlib
import ctypes
import dis
import inspect
import math
import numbers
import os
import sysconfig
import threading
from collections.abc import Callable, Iterable, Sequence

from ..engine import Value
from ..valuelike import is_value_like
from .variants import Variant, student_id

__all__ = [
    "Exercise", "Verdict", "AnswerForm", "NOT_ANSWERED", "is_stub", "describe",
    "read_number", "read_numbers", "read_count", "read_counts", "read_indices", "need_function", "call",
    "close", "same", "progress", "report", "student_id",
]

# the placeholder learners replace with their answer: `answer = ...`
NOT_ANSWERED = ...

# how long a check may take, in seconds, before it stops the answer and says so
TIME_LIMIT = 3.0

# what a check shows of an answer's own printing
_SHOWN_LINES = 20
_SHOWN_CHARS = 2000


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


class AnswerForm(Exception):
    """An answer the check cannot read: its sentence says what was given and what is expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- reading answers


def _is_numpy(x: object) -> bool:
    """A numpy scalar or array, recognised without importing numpy."""
    return type(x).__module__ == "numpy" or (hasattr(x, "dtype") and hasattr(x, "shape"))


def _value_like(x: object) -> bool:
    """The course's Value or the learner's own (notebooks 03-07 build one, whose class is
    not the course's, so isinstance says no): anything with a Value's attributes."""
    return not isinstance(x, type) and is_value_like(x)


def value_verdict(out: object, built_from: str, case: str = "") -> Verdict | None:
    """For a check that hands the learner's function the course's Values and needs a
    Value built from them back: None when `out` is one, else the Verdict that says what
    came back instead. A plain number, or a Value of the notebook's own class (the
    learner's, from notebook 03 on) made fresh from numbers: either way not connected to
    the inputs. `case` ("With x = 2, ") names the inputs of this try."""
    if isinstance(out, Value):
        return None
    what = (f"{describe(out)}, a new Value made from numbers" if _value_like(out) else
            f"the plain number {read_number(out, 'what your function returned'):.6g}")
    return Verdict(False, f"{case}your function returned {what}; it must return a Value built "
                          f"from {built_from}: combine the inputs themselves (x * w, a + b), not "
                          "their .data, so that the graph remembers them and backward() can "
                          "reach them.")


def describe(x: object) -> str:
    """A short description of any answer, safe for every object (repr may fail or be huge)."""
    if x is None:
        return "None"
    if x is Ellipsis:
        return "`...`"
    if isinstance(x, bool):
        return f"the truth value {x}"
    if _value_like(x) and isinstance(x.data, numbers.Real):
        return f"a Value with data {x.data:g}"
    if isinstance(x, numbers.Integral) and not _is_numpy(x):
        digits = len(str(abs(int(x)))) if abs(int(x)) < 10**4000 else None
        if digits is None or digits > 20:
            return f"an int with {'thousands of' if digits is None else digits} digits"
    if isinstance(x, (str, bytes)):
        text = x if len(x) <= 30 else x[:27] + "..."
        return f"the {'string' if isinstance(x, str) else 'bytes'} {text!r}"
    if _is_numpy(x) and getattr(x, "shape", None) not in (None, ()):
        return f"a numpy array of shape {tuple(x.shape)}"
    if inspect.isclass(x):
        return f"the class {x.__qualname__}"
    if inspect.isroutine(x):
        return f"the function {getattr(x, '__qualname__', type(x).__name__)}"
    if inspect.isgenerator(x):
        return "a generator"
    try:
        text = repr(x)
    except Exception:  # a learner's object whose repr fails
        return f"an object of type {type(x).__name__}"
    if text.startswith("<") and " at 0x" in text:  # the default repr says nothing useful
        return f"an object of type {type(x).__name__}"
    if len(text) > 60:
        text = text[:57] + "..."
    if isinstance(x, (int, float)) and type(x) in (int, float):
        return text
    return f"{type(x).__name__} {text}"


def read_number(x: object, what: str = "your answer") -> float:
    """`x` as a finite float: a real number, a numpy scalar or array of one, a list of
    one, or a Value's data.

    Raises AnswerForm with a sentence naming `what` if `x` is not one number.
    """
    if isinstance(x, Value):
        return x.data  # always a finite float
    if _value_like(x):  # the learner's own Value (notebooks 03-07): its number is .data
        return read_number(x.data, f"{what}'s .data")
    if x is None:
        raise AnswerForm(f"{what} is None, not a number (print(...) and a function "
                         "without `return` both give None).")
    if x is Ellipsis:
        raise AnswerForm(f"{what} is still `...`, the placeholder: put a number there.")
    if isinstance(x, bool):
        raise AnswerForm(f"{what} is {x}, a truth value; give a number.")
    if isinstance(x, (str, bytes)):
        raise AnswerForm(f"{what} is {describe(x)}; write the number itself, without quotes.")
    if _is_numpy(x):
        if tuple(getattr(x, "shape", ())) not in ((), (1,)):
            raise AnswerForm(f"{what} is {describe(x)}; give one number.")
        return read_number(x.item(), what)  # a Python int, float, bool or complex
    if isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real):
        raise AnswerForm(f"{what} is the complex number {x!r}; give a real number.")
    if isinstance(x, numbers.Real):
        try:
            value = float(x)
        except OverflowError:
            raise AnswerForm(f"{what} is {describe(x)}, too large for a float "
                             "(floats reach about 1.8e308).") from None
        if not math.isfinite(value):
            raise AnswerForm(f"{what} is {value!r}, not a finite number.")
        return value
    if callable(x):
        raise AnswerForm(f"{what} is {describe(x)}; give the number it computes.")
    if hasattr(type(x), "__float__") and not isinstance(x, (list, tuple)):
        try:  # another library's number (decimal.Decimal, a 0-d tensor, ...)
            return read_number(float(x), what)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            pass
    if isinstance(x, (list, tuple)) and len(x) == 1:  # one number, in a list of one
        return read_number(x[0], what)
    if isinstance(x, (list, tuple)):
        raise AnswerForm(f"{what} is a {type(x).__name__} of {len(x)} item"
                         f"{'s' if len(x) != 1 else ''}; give one number.")
    raise AnswerForm(f"{what} should be a number, got {describe(x)}.")


# A generator or other iterator can be read only once. The check keeps what it read from
# the last few (and the iterators themselves, so that their ids stay theirs), so checking
# the same answer twice gives the same verdict.
_ITERATORS_READ: list[tuple[object, tuple]] = []
_ITERATORS_KEPT = 8


def _items(x: object, what: str, unordered: bool = False) -> list:
    """The items of a sequence, 1-d array or iterator (and, if `unordered`, of a set);
    AnswerForm for anything else."""
    if x is None or x is Ellipsis:
        read_number(x, what)  # raises the sentence for None and `...`
    if isinstance(x, (str, bytes)):
        raise AnswerForm(f"{what} is {describe(x)}; write the numbers themselves, "
                         "without quotes, in a list or tuple.")
    if _is_numpy(x):
        shape = tuple(getattr(x, "shape", ()))
        if len(shape) != 1:
            raise AnswerForm(f"{what} is {describe(x) if shape else 'one number'}; give a "
                             "list, tuple or 1-d array.")
        return list(x.tolist())
    if unordered and isinstance(x, (set, frozenset)):
        return sorted(x, key=repr)
    if isinstance(x, (dict, set, frozenset)):
        raise AnswerForm(f"{what} is a {type(x).__name__}, which has no order; use a list "
                         "or a tuple.")
    if isinstance(x, (Value, numbers.Number)) or not isinstance(x, Iterable):
        raise AnswerForm(f"{what} is {describe(x)}; give a list or tuple.")
    if iter(x) is x:  # an iterator, such as a generator: read once, remember
        for seen, items in _ITERATORS_READ:
            if seen is x:
                return list(items)
        items = tuple(x)
        _ITERATORS_READ.append((x, items))
        del _ITERATORS_READ[:-_ITERATORS_KEPT]
        return list(items)
    return list(x)


def read_numbers(x: object, names: Sequence[str], what: str = "your answer") -> list[float]:
    """`x` as len(names) finite floats, from a list, tuple, generator or 1-d numpy array.

    `names` names each number, e.g. ("df/da", "df/db", "df/dc"), for the sentences.
    """
    shape = f"({', '.join(names)})"
    items = _items(x, what)
    if len(items) != len(names):
        raise AnswerForm(f"{what} has {len(items)} item{'s' if len(items) != 1 else ''}; "
                         f"expected {len(names)} number{'s' if len(names) != 1 else ''} {shape}.")
    return [read_number(item, f"{name} in {what}") for item, name in zip(items, names)]


def read_count(x: object, what: str = "your answer", kind: str = "a count") -> int:
    """`x` as a whole number (an int or numpy integer); a float such as 41.0 is refused
    with a sentence that says to write 41. `kind` names it: "a count", "an index"."""
    if _is_numpy(x) and tuple(getattr(x, "shape", ())) == ():
        x = x.item()
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        if abs(int(x)) > 10**18:
            raise AnswerForm(f"{what} is {describe(x)}, far too large for {kind} here.")
        return int(x)
    if isinstance(x, numbers.Real) and not isinstance(x, bool) and not _value_like(x):
        value = read_number(x, what)
        if value.is_integer():
            raise AnswerForm(f"{what} is {value!r}, a float; {kind} is a whole number: "
                             f"write {int(value)} (int(...) turns a float into one).")
        raise AnswerForm(f"{what} is {value!r}; {kind} is a whole number.")
    if _value_like(x):
        raise AnswerForm(f"{what} is {describe(x)}; {kind} is a plain whole number.")
    read_number(x, what)  # raises the sentence for None, strings, lists, ...
    raise AnswerForm(f"{what} should be a whole number, got {describe(x)}.")


def read_counts(x: object, names: Sequence[str], what: str = "your answer") -> list[int]:
    """`x` as len(names) whole numbers, from a list, tuple, generator or 1-d numpy array."""
    shape = f"({', '.join(names)})"
    items = _items(x, what)
    if len(items) != len(names):
        raise AnswerForm(f"{what} has {len(items)} item{'s' if len(items) != 1 else ''}; "
                         f"expected {len(names)} whole numbers {shape}.")
    return [read_count(item, f"{name} in {what}") for item, name in zip(items, names)]


def read_indices(x: object, what: str = "your answer") -> list[int]:
    """`x` as a list of whole numbers, from a list, tuple, set, generator or 1-d array."""
    items = _items(x, what, unordered=True)
    if len(items) == 1 and _is_numpy(items[0]) and len(getattr(items[0], "shape", ())) == 1:
        items = list(items[0].tolist())  # numpy's where() gives a tuple of one array
    if items and all(isinstance(item, bool) for item in items):
        raise AnswerForm(f"{what} is a list of True/False, one per item; give the indices "
                         "of the ones asked for, e.g. [i for i, b in enumerate(mask) if b].")
    return [read_count(item, f"an item of {what}", kind="an index") for item in items]


def need_function(x: object, shown: str) -> Callable[..., object]:
    """`x` if it is a function; else AnswerForm naming the function expected (`shown`)."""
    if not callable(x) or isinstance(x, type):
        raise AnswerForm(f"Expected a function {shown}, got {describe(x)}.")
    return x  # type: ignore[return-value]


def call(fn: Callable[..., object], args: Sequence[object], shown: str,
         needs_result: bool = True) -> object:
    """Call the learner's function with `args` (as `shown` says), after checking that it
    takes that many arguments; `...` and (if `needs_result`) None results are AnswerForm."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # some builtins have no signature: just call
        signature = None
    if signature is not None:
        try:
            signature.bind(*args)
        except TypeError:
            params = [p for p in signature.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            takes = ", ".join(p.name for p in params) or "no arguments"
            raise AnswerForm(f"the check calls your function as {shown}, with "
                             f"{len(args)} argument{'s' if len(args) != 1 else ''}, but it "
                             f"takes ({takes}).") from None
    result = fn(*args)
    if result is Ellipsis:
        raise AnswerForm("your function returned `...`, the placeholder: replace it with "
                         "your code.")
    if result is None and needs_result:
        raise AnswerForm("your function returned None: is the `return` missing?")
    return result


def close(got: float, expected: float, tolerance: float = 1e-9) -> bool:
    """True if `got` is within a relative (near 0: absolute) `tolerance` of `expected`."""
    return abs(got - expected) <= tolerance * max(1.0, abs(expected))


def same(got: Sequence[float], expected: Sequence[float], tolerance: float = 1e-9) -> bool:
    """`close` for every pair, and as many numbers on both sides."""
    return len(got) == len(expected) and all(
        close(g, e, tolerance) for g, e in zip(got, expected))


# ------------------------------------------------------ running an answer, safely

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(
    os.path.abspath(p) + os.sep
    for p in {sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib",
                                                     "platlib")}
    if p
)


def _is_learner_file(filename: str) -> bool:
    """True for code written by the learner: not this package, the stdlib or a library."""
    if filename.startswith("<frozen"):
        return False
    path = os.path.abspath(filename) if not filename.startswith("<") else filename
    if path.startswith(_PACKAGE_DIR + os.sep):
        return False
    return not path.startswith(_LIBRARY_DIRS)


def learner_raised(error: BaseException) -> bool:
    """True if the traceback of `error` passed through the learner's own code."""
    tb = error.__traceback__
    while tb is not None:
        if _is_learner_file(tb.tb_frame.f_code.co_filename):
            return True
        tb = tb.tb_next
    return False


def _where(error: BaseException) -> str:
    """' (in f, line 3)' for the learner's innermost frame in the traceback, or ''."""
    found = ""
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if _is_learner_file(code.co_filename):
            name = "a lambda" if code.co_name == "<lambda>" else code.co_name
            if not name.startswith("<"):  # a comprehension: keep the function around it
                found = f" (in {name}, line {tb.tb_lineno})"
        tb = tb.tb_next
    return found


class _TimeLimitReached(BaseException):
    """Raised inside an answer that has run over its time (a BaseException, so that an
    `except Exception:` in the answer does not swallow it)."""


class _CappedOutput:
    """A stand-in for stdout and stderr that keeps the first lines an answer prints."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.chars = 0
        self.lines = 0
        self.lost_lines = 0
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            for piece in str(text).splitlines(keepends=True):
                if self.lines < _SHOWN_LINES and self.chars < _SHOWN_CHARS:
                    piece = piece[: _SHOWN_CHARS - self.chars]
                    self.kept.append(piece)
                    self.chars += len(piece)
                    self.lines += piece.endswith("\n")
                else:
                    self.lost_lines += piece.endswith("\n")
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def replay(self) -> None:
        text = "".join(self.kept)
        if text:
            print(text, end="" if text.endswith("\n") else "\n")
        if self.lost_lines:
            print(f"... and {self.lost_lines:,} more lines your answer printed (not shown).")


def _stop(thread: threading.Thread) -> None:
    """Raise _TimeLimitReached inside `thread` (CPython; elsewhere the thread runs on)."""
    api = getattr(ctypes, "pythonapi", None)
    if api is None or thread.ident is None:
        return
    api.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident),
                                  ctypes.py_object(_TimeLimitReached))


class _Outcome:
    def __init__(self) -> None:
        self.value: object = None
        self.error: BaseException | None = None
        self.timed_out = False
        self.still_running = False
        self.interrupted = False


def run_limited(task: Callable[[], object], seconds: float) -> tuple[_Outcome, _CappedOutput]:
    """Run `task()` in a helper thread for at most `seconds`, with its printing capped."""
    outcome, output = _Outcome(), _CappedOutput()
    # The thread says it has finished with this event. (Thread.is_alive() is not to be
    # trusted after a join() that an interrupt broke off: it may then say False.)
    done = threading.Event()

    def target() -> None:
        try:
            outcome.value = task()
        except BaseException as error:  # reported by the caller, never raised here
            outcome.error = error
        finally:
            done.set()

    thread = threading.Thread(target=target, name="backproplab-check", daemon=True)
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):  # type: ignore[type-var]
        try:
            previous = threading.stack_size(32 * 1024 * 1024)  # room for deep recursion
        except (ValueError, RuntimeError):
            previous = None
        try:
            thread.start()
        finally:
            if previous is not None:
                threading.stack_size(previous)
        try:
            done.wait(seconds)
        except KeyboardInterrupt:  # "interrupt the kernel": stop the answer, then stop
            outcome.interrupted = True
        if not done.is_set():
            outcome.timed_out = not outcome.interrupted
            _stop(thread)
            done.wait(1.0)
            outcome.still_running = not done.is_set()
    if isinstance(outcome.error, _TimeLimitReached):
        outcome.error = None
    if outcome.interrupted:  # the answer is stopped; the interrupt goes on, as usual
        output.replay()
        raise KeyboardInterrupt
    return outcome, output


# ------------------------------------------------------------------- the exercise


class Exercise:
    """One exercise: a checker, hints that climb (idea, rule, a step), and a solution.

    `expects` says in words what the answer is (for sentences about an answer's form);
    `on_error(error)` may add a sentence about an exception the learner's code raised.
    `variant` (a `variants.Variant`) gives the exercise per-student numbers: the checker
    reads them from it, `{name}` fields in the hints and the solution are filled in
    with them, and with a student id set each verdict shows them. `solution=None` (as in
    the student build, `make student`) means the worked solution is not in this copy.
    """

    def __init__(
        self,
        title: str,
        checker: Callable[..., Verdict],
        hints: Sequence[str],
        solution: str | None,
        expects: str = "the answer the exercise asks for",
        usage: str = "check(answer)",
        on_error: Callable[[BaseException], str | None] | None = None,
        time_limit: float = TIME_LIMIT,
        variant: Variant | None = None,
    ) -> None:
        self.title = title
        self._checker = checker
        self.variant = variant
        if variant is not None:
            variant.key = title
        self._hints = list(hints)
        self._solution = solution
        self.expects = expects
        self.usage = usage
        self._on_error = on_error
        self.time_limit = time_limit
        self._answers = len(inspect.signature(checker).parameters)
        self._hints_shown = 0
        # what the last check in this kernel said, for `progress()` and the grading tool
        self.status = "not answered"
        self.last_message = ""

    @property
    def hints(self) -> list[str]:
        """The hints, with this student's numbers in them."""
        if self.variant is None:
            return list(self._hints)
        return [self.variant.format(hint) for hint in self._hints]

    @property
    def solution_text(self) -> str | None:
        """The worked solution, with this student's numbers (None in the student build)."""
        if self.variant is None or self._solution is None:
            return self._solution
        return self.variant.format(self._solution)

    def your_numbers(self) -> str:
        """' Your numbers (student ...): ...' when a student id is set, else ''."""
        who = student_id()
        if self.variant is None or who is None:
            return ""
        return f" Your numbers (student {who}): {self.variant.shown()}."

    def numbers(self) -> None:
        """Print this exercise's numbers: the student's own if an id is set."""
        if self.variant is None:
            print(f"{self.title}: the same numbers for everyone, as the notebook says.")
        elif student_id() is None:
            print(f"{self.title}: the notebook's numbers, {self.variant.shown()}.")
        else:
            print(f"{self.title}:{self.your_numbers()}")

    def check(self, *answer: object, time_limit: float | None = None) -> bool:
        """Print whether `answer` is right (and if not, why); return True or False.

        `time_limit` (seconds) overrides the exercise's limit for this one check.
        """
        if not answer or any(a is NOT_ANSWERED or is_stub(a) for a in answer):
            self._record("not answered", f"{self.title}: not answered yet. Replace the "
                         "`...` with your answer and run the cell again."
                         f"{self.your_numbers()}")
            return False
        if len(answer) != self._answers:
            return self._say(False, f"this check takes {self._answers} answer"
                             f"{'s' if self._answers != 1 else ''}, {self.usage}, and got "
                             f"{len(answer)}.")
        limit = self.time_limit if time_limit is None else time_limit
        outcome, output = run_limited(lambda: self._checker(*answer), limit)
        output.replay()
        if outcome.timed_out:
            message = (f"your answer did not finish within {limit:g} seconds, so the check "
                       "stopped it: is there a loop that never ends?")
            if outcome.still_running:
                message += (" It is stuck where Python cannot stop it and still runs in "
                            "the background; restart the kernel if the notebook slows down.")
            return self._say(False, message)
        error = outcome.error
        if error is not None:
            return self._say(False, self._explain(error, answer))
        verdict = outcome.value
        if not isinstance(verdict, Verdict):  # a checker always returns one
            return self._say(False, f"the check could not use your answer; it expects "
                             f"{self.expects}.")
        return self._say(verdict.correct, verdict.message)

    def _explain(self, error: BaseException, answer: tuple) -> str:
        """The sentence for an exception that ended the check."""
        if isinstance(error, AnswerForm):
            return error.message
        if learner_raised(error):
            text = str(error)
            if len(text) > 300:
                text = text[:297] + "..."
            message = f"your answer raised {type(error).__name__}{_where(error)}"
            message += f": {text}" if text else "."
            extra = self._on_error(error) if self._on_error else None
            return f"{message.rstrip('.')}. {extra}" if extra else message
        shown = describe(answer[0]) if len(answer) == 1 else ", ".join(map(describe, answer))
        return f"the check could not use {shown}; it expects {self.expects}."

    def _say(self, correct: bool, message: str) -> bool:
        message = message.strip()
        first = message.split(" ", 1)[0] if message else ""
        if len(first) > 1 and first.isalpha() and first.islower():  # a word, not a name
            message = message[0].upper() + message[1:]  # a sentence after "correct." too
        if correct:
            self._record("right", f"✓ {self.title}: correct. {message}".rstrip()
                         + self.your_numbers())
            return True
        if message and message[-1] not in ".!?)`":
            message += "."
        more = " Try `.hint()` if you are stuck." if self.hints else ""
        self._record("wrong", f"✗ {self.title}: not yet. {message}{more}{self.your_numbers()}")
        return False

    def _record(self, status: str, message: str) -> None:
        """Print the verdict and remember it for `progress()`."""
        self.status, self.last_message = status, message
        print(message)

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
        if self._solution is None:
            print(f"{self.title}: the worked solution is not part of this copy of the "
                  "course. `.hint()` goes a step further each time; your teacher has the "
                  "solutions.")
            return
        print(f"Solution to {self.title}:\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"Exercise({self.title!r})"


# `progress()` and `report()` read what the checks above recorded (they need `Exercise`)
from .tracking import progress, report  # noqa: E402
