"""Mutation testing for the engine, nn, train and data modules: do the tests catch slips?

Each *mutant* is a copy of one module with a single small edit in one spot: an
arithmetic operator swapped (`+` for `-`, `*` for `/`), a comparison shifted (`<` for
`<=`, `==` for `!=`), a number changed (0 -> 1, 1 -> 0, n -> n + 1), `+=` turned into
`=`, a statement dropped, a condition negated, `and` for `or`, a function made to return
at once. The module's tests then run against the mutant: a test failing (or the run
timing out) *kills* it; a mutant that passes every test *survives*, which shows a slip
the tests would not notice.

Some edits change nothing a test could observe (a garbage-collector tuning constant, a
fast path that the slow path answers the same way). Those are listed, each with the
reason, in tools/mutation_equivalents.toml, keyed by the mutant's description (file,
function, the edit), and left out of the score.

Every mutant runs in its own temporary copy of src/ and tests/ (the working tree is
never touched), with a fixed hypothesis seed, stopping at the first failing test.

    python tools/mutation.py                      # every module, 2 jobs
    python tools/mutation.py --file engine.py --limit 20 --jobs 1
    python tools/mutation.py --list               # print the mutants, run nothing

While adding tests: `--json PATH` records every outcome; `--again PATH` then runs only
that run's survivors (its kills stand, as long as the module's source is unchanged:
added tests cannot bring a killed mutant back). `--tests-at REV` runs the tests as
committed at a git revision, for a score before a change.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
TESTS = ROOT / "tests"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
PACKAGE = "backproplab"

# the modules under test, and the test files that answer for each
MODULES = {
    "engine.py": "test_engine*.py",
    "nn.py": "test_nn*.py",
    "train.py": "test_train*.py",
    "data.py": "test_data*.py",
}

BINOPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}
COMPARES = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
AUGOPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}


@dataclass
class Mutant:
    file: str  # e.g. "engine.py"
    line: int
    key: str  # stable description: file | function | kind | before -> after
    source: str  # the whole mutated module


# ----------------------------------------------------------------- generating mutants


def _offsets(text: str) -> list[int]:
    """The character offset at which each line (1-based) starts."""
    starts = [0, 0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


class _Collector(ast.NodeVisitor):
    """Walks a module and records (node, kind, replacement text) for every mutation site."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _offsets(text)
        self.lines = text.splitlines(keepends=True)
        self.sites: list[tuple[int, int, int, str, str, str]] = []  # start, end, line, scope, kind, new
        self.scope: list[str] = []

    # where a node's source text is
    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self._offset(node.lineno, node.col_offset),
                self._offset(node.end_lineno, node.end_col_offset))

    def _offset(self, line: int, col: int) -> int:
        """The character offset of a (line, byte column) position, as the ast gives them."""
        text = self.lines[line - 1]
        return self.starts[line] + len(text.encode()[:col].decode())

    def add(self, node: ast.AST, kind: str, new: str, start: int | None = None, end: int | None = None) -> None:
        s, e = self.span(node)
        self.sites.append(
            (s if start is None else start, e if end is None else end, node.lineno,
             ".".join(self.scope) or "<module>", kind, new)
        )

    # scopes, and the parts never mutated
    def _function(self, node: ast.FunctionDef) -> None:
        self.scope.append(node.name)
        body = node.body
        if body and _is_docstring(body[0]):
            body = body[1:]
        if body:
            first = body[0]
            s, _ = self.span(first)
            indent = " " * first.col_offset
            self.sites.append(
                (s, s, first.lineno, ".".join(self.scope), "return at once", f"return\n{indent}")
            )
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        for stmt in node.body:
            self.visit(stmt)
        self.scope.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        for stmt in node.body:
            self.visit(stmt)
        self.scope.pop()

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        pass  # the text of a message: not behaviour the mutants are about

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._statement(node)
        if node.value is not None:
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        self._statement(node)
        self.generic_visit(node)

    # statements
    def _statement(self, node: ast.stmt) -> None:
        self.add(node, "drop statement", "pass")

    def visit_Expr(self, node: ast.Expr) -> None:
        if _is_docstring(node):
            return
        self._statement(node)
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.add(node, "return None", "return None")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._statement(node)
        # the message is not mutated; the exception's type is what a caller sees
        if node.cause is not None:
            self.visit(node.cause)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = ast.unparse(node.target)
        value = ast.unparse(node.value)
        self.add(node, "augmented to plain assignment", f"{target} = {value}")
        swap = AUGOPS.get(type(node.op))
        if swap:
            new = ast.AugAssign(node.target, swap(), node.value)
            self.add(node, "augmented operator", ast.unparse(new))
        self._statement(node)
        self.generic_visit(node)

    def _condition(self, node: ast.If | ast.While | ast.IfExp | ast.Assert) -> None:
        self.add(node.test, "negate condition", f"not ({ast.unparse(node.test)})")

    def visit_If(self, node: ast.If) -> None:
        self._condition(node)
        self._statement(node)
        self.generic_visit(node)

    def visit_While(self, node: ast.While) -> None:
        self._condition(node)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._condition(node)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._statement(node)
        self.generic_visit(node)

    def visit_Try(self, node: ast.Try) -> None:
        self.generic_visit(node)

    def visit_Continue(self, node: ast.Continue) -> None:
        self.add(node, "continue to break", "break")

    def visit_Break(self, node: ast.Break) -> None:
        self.add(node, "break to continue", "continue")

    # expressions
    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = BINOPS.get(type(node.op))
        if swap:
            new = ast.BinOp(node.left, swap(), node.right)
            self.add(node, "arithmetic", f"({ast.unparse(new)})")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant):
            self.add(node, "drop unary minus", f"({ast.unparse(node.operand)})")
        if isinstance(node.op, ast.Not):
            self.add(node, "drop not", f"({ast.unparse(node.operand)})")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self.add(node, "and/or", f"({ast.unparse(ast.BoolOp(other, node.values))})")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            swap = COMPARES.get(type(op))
            if swap:
                ops = list(node.ops)
                ops[i] = swap()
                new = ast.Compare(node.left, ops, node.comparators)
                self.add(node, "comparison", f"({ast.unparse(new)})")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool):
            self.add(node, "constant", repr(not v))
        elif isinstance(v, (int, float)):
            if v == 0:
                new = type(v)(1)
            elif v == 1:
                new = type(v)(0)
            else:
                new = v + 1
            self.add(node, "constant", f"({new!r})")


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _describe_edit(text: str, source: str, start: int, end: int, new: str) -> str:
    """`before -> after`: the whole line when the edit stays on one line, else the spot."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if "\n" not in text[start:end] and "\n" not in new:
        before = text[line_start:line_end]
        after = source[line_start : line_end + len(source) - len(text)]
        return f"{_short(before, 120)} -> {_short(after, 120)}"
    before = _short(text[start:end]) if end > start else "(nothing)"
    return f"{before} -> {_short(new)}"


def generate(file: str) -> list[Mutant]:
    """Every one-spot mutant of src/<file>, each checked to compile."""
    text = (SRC / file).read_text()
    tree = ast.parse(text)
    collector = _Collector(text)
    collector.visit(tree)
    mutants: list[Mutant] = []
    seen: dict[str, int] = {}
    for start, end, line, scope, kind, new in sorted(collector.sites, key=lambda s: (s[0], -s[1], s[4])):
        source = text[:start] + new + text[end:]
        try:
            compile(source, file, "exec")
        except SyntaxError:
            continue
        key = f"{file} | {scope} | {kind} | {_describe_edit(text, source, start, end, new)}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key += f" #{seen[key]}"
        mutants.append(Mutant(file, line, key, source))
    return mutants


# -------------------------------------------------------------------- running mutants


def load_equivalents() -> dict[str, str]:
    if not EQUIVALENTS.exists():
        return {}
    with EQUIVALENTS.open("rb") as fh:
        data = tomllib.load(fh)
    return {entry["mutant"]: entry["reason"] for entry in data.get("equivalent", [])}


def _imported_by_tests(tests_dir: Path) -> list[str]:
    """Every module the test files import, except the package under test and the tests' own.

    Each worker imports these once before it forks a child per mutant, so a child starts
    in a fraction of a second instead of importing numpy, sympy, hypothesis... again.
    """
    own = {p.stem for p in tests_dir.glob("*.py")}
    files = [tests_dir / "conftest.py"]
    files += [p for p in tests_dir.glob("*.py") if any(fnmatch.fnmatch(p.name, g) for g in MODULES.values())]
    names: set[str] = set()
    for path in files:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(
        n for n in names
        if n.split(".")[0] not in own and n.split(".")[0] not in (PACKAGE, "__future__")
    )


def serve() -> None:
    """A worker: for each request on stdin, fork, run pytest in the child, report its status.

    Runs inside a sandbox (cwd), with the sandbox first on sys.path; it never imports the
    package under test itself, so each child imports the mutant afresh.
    """
    import importlib
    import signal

    importlib.import_module("pytest")
    try:  # a failing example found is enough: no shrinking it, no database of examples
        from hypothesis import Phase, settings

        settings.register_profile(
            "mutation", deadline=None, database=None, print_blob=False,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
        )
    except ImportError:
        pass
    for name in _imported_by_tests(Path("tests")):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - not a module (a name from one), or the run says
            pass
    for line in sys.stdin:
        request = json.loads(line)
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: run the tests, quietly, and leave
            os.setsid()
            with open(".last-run.txt", "w") as out:
                os.dup2(out.fileno(), 1)
                os.dup2(out.fileno(), 2)
                import pytest

                try:
                    code = pytest.main(request["args"])
                except BaseException:  # noqa: BLE001 - any crash counts as a failed run
                    code = 99
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(int(code))
        deadline = start + request["timeout"]
        status = None
        while status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
            elif time.monotonic() > deadline:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                status = "timeout"
            else:
                time.sleep(0.02)
        print(json.dumps({"status": status, "seconds": time.monotonic() - start}), flush=True)


def make_template() -> Path:
    """The package and the tests as they are now, copied once: every sandbox starts from this,
    so editing the working tree during a run changes nothing in it."""
    template = Path(tempfile.mkdtemp(prefix="backproplab-mutation-template-"))
    shutil.copytree(SRC, template / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    if TESTS_AT is None:
        shutil.copytree(TESTS, template / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    else:  # the tests as they were at a git revision (to measure a score before a change)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", TESTS_AT, "tests"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(template)], input=archive, check=True)
    shutil.copy(ROOT / "pyproject.toml", template / "pyproject.toml")
    return template


class Sandbox:
    """A temporary copy of the package and the tests, and a worker process that runs them."""

    def __init__(self, template: Path) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="backproplab-mutation-"))
        shutil.copytree(template, self.dir, dirs_exist_ok=True)
        self.originals = {p.name: p.read_text() for p in (self.dir / PACKAGE).glob("*.py")}
        env = dict(os.environ, PYTHONPATH=str(self.dir), PYTHONDONTWRITEBYTECODE="1")
        self.worker = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve"],
            cwd=self.dir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )

    def run(self, file: str, source: str | None, tests: list[str], timeout: float) -> tuple[str, float]:
        """('killed' | 'survived' | 'timeout', seconds) for the module with `source` in place."""
        target = self.dir / PACKAGE / file
        original = self.originals[file]
        target.write_text(original if source is None else source)
        shutil.rmtree(self.dir / ".hypothesis", ignore_errors=True)  # no examples carried over
        args = [
            "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-o", "addopts=",
            "--hypothesis-seed=0", "--hypothesis-profile=mutation",
            "--tb=short" if source is None else "--tb=no", *[f"tests/{t}" for t in tests],
        ]
        try:
            self.worker.stdin.write(json.dumps({"args": args, "timeout": timeout}) + "\n")
            self.worker.stdin.flush()
            answer = json.loads(self.worker.stdout.readline())
        finally:
            target.write_text(original)
        status, elapsed = answer["status"], answer["seconds"]
        if status == "timeout":
            return "timeout", elapsed
        if source is None and status != 0:
            log = (self.dir / ".last-run.txt").read_text()[-3000:]
            sys.exit(f"the tests fail on the unmutated {file}:\n{log}")
        return ("survived" if status == 0 else "killed"), elapsed

    def remove(self) -> None:
        self.worker.stdin.close()
        self.worker.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


TESTS_AT: str | None = None  # set by --tests-at


def _digest(file: str) -> str:
    return hashlib.sha256((SRC / file).read_bytes()).hexdigest()


def tests_for(file: str) -> list[str]:
    """The module's test files, its main file last (the newer, quicker ones first)."""
    main = f"test_{Path(file).stem}.py"
    if TESTS_AT is None:
        names = [p.name for p in TESTS.iterdir()]
    else:
        listing = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", TESTS_AT, "tests/"],
                                 check=True, capture_output=True, text=True).stdout
        names = [Path(line).name for line in listing.split()]
    found = sorted(n for n in names if fnmatch.fnmatch(n, MODULES[file]))
    return sorted(found, key=lambda name: (name == main, name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", action="append", choices=sorted(MODULES),
                        help="mutate only this module (may be repeated)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--limit", type=int, help="run only the first N mutants of each module")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutant (default: 5 x the unmutated run + 10)")
    parser.add_argument("--list", action="store_true", help="print the mutants and run nothing")
    parser.add_argument("--tests-at", metavar="REV",
                        help="use the tests as committed at this git revision (a 'before' score)")
    parser.add_argument("--json", metavar="PATH", help="also write every mutant's outcome here")
    parser.add_argument("--again", metavar="PATH",
                        help="a --json file from an earlier run: run only the mutants that "
                             "survived it (its kills stand; tests added since cannot undo "
                             "them), for modules whose source has not changed since")
    parser.add_argument("--fail-under", type=float, metavar="PCT",
                        help="exit with status 1 if the score over all files is below PCT")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    global TESTS_AT
    TESTS_AT = args.tests_at
    if args.serve:
        serve()
        return 0
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be at least 1, got {args.limit}")

    files = args.file or list(MODULES)
    equivalents = load_equivalents()
    mutants = {f: generate(f) for f in files}
    if args.limit:
        mutants = {f: m[: args.limit] for f, m in mutants.items()}
    if args.list:
        for f in files:
            for m in mutants[f]:
                mark = "  (equivalent)" if m.key in equivalents else ""
                print(f"{m.line:4d}  {m.key}{mark}")
        return 0

    local = threading.local()
    sandboxes: list[Sandbox] = []
    lock = threading.Lock()
    digests = {f: _digest(f) for f in files}  # the sources the mutants were made from
    template = make_template()

    def sandbox() -> Sandbox:
        if not hasattr(local, "box"):
            local.box = Sandbox(template)
            with lock:
                sandboxes.append(local.box)
        return local.box

    results: dict[str, dict[str, str]] = {f: {} for f in files}
    tests = {f: tests_for(f) for f in files}  # fixed now: the sandboxes copy tests/ once
    try:
        timeouts = {}
        for f in files:
            _, seconds = sandbox().run(f, None, tests[f], timeout=3600)
            timeouts[f] = args.timeout or 5 * seconds + 10
            print(f"{f}: {len(mutants[f])} mutants; tests {', '.join(tests[f])} "
                  f"take {seconds:.1f} s unmutated", flush=True)

        todo = [m for f in files for m in mutants[f] if m.key not in equivalents]
        if args.again:
            earlier = json.loads(Path(args.again).read_text())
            for f in files:
                if earlier["sources"].get(f) != digests[f]:
                    sys.exit(f"--again: src/{f} has changed since {args.again}; run it in full")
            before = {r["mutant"]: r["outcome"] for r in earlier["mutants"]}
            for m in todo:
                if before.get(m.key) in ("killed", "timeout"):
                    results[m.file][m.key] = before[m.key]
            todo = [m for m in todo if m.key not in results[m.file]]
            print(f"--again: {len(todo)} mutants survived {args.again}; running those", flush=True)
        done = 0

        def work(m: Mutant) -> tuple[Mutant, str]:
            outcome, _ = sandbox().run(m.file, m.source, tests[m.file], timeouts[m.file])
            return m, outcome

        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for m, outcome in pool.map(work, todo):
                results[m.file][m.key] = outcome
                done += 1
                if outcome == "survived":
                    print(f"  survived  {m.file}:{m.line}  {m.key}", flush=True)
                elif done % 25 == 0:
                    print(f"  {done}/{len(todo)} mutants run "
                          f"({time.monotonic() - start:.0f} s)", flush=True)
    finally:
        for box in sandboxes:
            box.remove()
        shutil.rmtree(template, ignore_errors=True)

    if args.json:
        Path(args.json).write_text(json.dumps({
            "sources": digests,
            "mutants": [{"file": m.file, "line": m.line, "mutant": m.key,
                         "outcome": results[m.file].get(m.key, "equivalent")}
                        for f in files for m in mutants[f]],
        }, indent=1))

    # the report
    print()
    total_killed = total_counted = 0
    survivors: list[Mutant] = []
    for f in files:
        outcomes = results[f]
        killed = sum(o != "survived" for o in outcomes.values())
        timeouts_n = sum(o == "timeout" for o in outcomes.values())
        equivalent = sum(m.key in equivalents for m in mutants[f])
        counted = len(outcomes)
        total_killed += killed
        total_counted += counted
        survivors += [m for m in mutants[f] if outcomes.get(m.key) == "survived"]
        score = 100.0 * killed / counted if counted else 100.0
        print(f"{f:10s} {score:5.1f}%  {killed}/{counted} killed ({timeouts_n} by timeout), "
              f"{equivalent} equivalent, {len(mutants[f])} mutants")
    score = 100.0 * total_killed / total_counted if total_counted else 100.0
    print(f"{'all':10s} {score:5.1f}%  {total_killed}/{total_counted} killed")

    print(f"\nsurvivors ({len(survivors)}):")
    for m in survivors:
        print(f"  {m.file}:{m.line}  {m.key}")

    generated = {m.key for f in files for m in mutants[f]}
    print(f"\njudged equivalent ({sum(k in generated for k in equivalents)}), "
          f"from {EQUIVALENTS.relative_to(ROOT)}:")
    for key, reason in equivalents.items():
        if key in generated:
            print(f"  {key}\n      {reason}")
    if not args.limit:
        stale = [k for k in equivalents if k.split(" | ")[0] in files and k not in generated]
        if stale:
            print("\nlisted as equivalent but no longer generated (update the file):")
            for key in stale:
                print(f"  {key}")
    if args.fail_under is not None and score < args.fail_under:
        print(f"\nthe score {score:.1f}% is below {args.fail_under:g}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
