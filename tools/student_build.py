"""Make the students' copy of the course: notebooks and package without the exercises'
worked solutions.

    python tools/student_build.py [--out build/student]      (or: make student)

The copy has the repository's layout (README, pyproject.toml, requirements, binder/,
notebooks/, src/), so it can be published as the class's own repository (for
nbgitpuller, Binder or Colab) or installed with `pip install build/student`. What
differs from the course:

- each exercise's worked solution is removed from `src/exercises/nbNN.py` (the
  `solution=` of every `Exercise(...)` becomes None, and a module-level text or function
  it named goes too), so `.solution()` says the solution is not in this copy;
- in the notebooks the `# nbNN.x.solution()` lines of the exercise cells, and the
  sentence of each Exercises section that offers `.solution()`, are removed.

The checks, the hints, `progress()` and the grading tool are unchanged. Answers are
never stored as constants in the exercise modules (a test holds that); a check computes
its answer when it runs, and with a student id set (per-student numbers) that answer is
each student's own. What stays, on purpose: the engine and the course's version of each
piece a learner writes in 03-07 (`backproplab.build`), because notebooks 04-08 run on the
course's engine and the notebooks carry on with it wherever a piece is not written yet;
hiding those would hide nothing the package does not already ship.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# what the copy holds, from the repository (tests, tools, benchmarks stay out)
COPIED = ["README.md", "LICENSE", "LICENSE-notebooks", "CITATION.cff", "pyproject.toml",
          "requirements.txt", "binder", "src", "notebooks"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "my_engine.py")

_SOLUTION_LINE = re.compile(r"^\s*#\s*nb\d\d\.\w+\.solution\(\)\s*$")
# the sentence (or half of one) in each Exercises section that offers `.solution()`
_SOLUTION_OFFER = re.compile(r"(?:;|,?\s+and)\s+`\.?solution\(\)` shows\s+(?:a\s+worked|the)\s+answer")
# 00's summary: "then `.check`, `.hint()` and `.solution()`."
_SOLUTION_LISTED = re.compile(r", `\.hint\(\)` and `\.solution\(\)`")


class BuildError(Exception):
    """Something in the course the build does not know how to strip: fix the build."""


def strip_solutions(source: str, filename: str = "<module>") -> str:
    """The exercise module `source` with every Exercise's solution replaced by None.

    Only the solution expressions (and module-level texts or functions that they name
    and nothing else uses) change; every other byte of the file stays as it was.
    """
    tree = ast.parse(source, filename)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def span(node: ast.AST) -> tuple[int, int]:
        return (offsets[node.lineno - 1] + node.col_offset,
                offsets[node.end_lineno - 1] + node.end_col_offset)

    cuts: list[tuple[int, int, str]] = []
    named: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Exercise"):
            continue
        value = next((k.value for k in node.keywords if k.arg == "solution"), None)
        if value is None and len(node.args) >= 4:
            value = node.args[3]
        if value is None:
            raise BuildError(f"{filename}: an Exercise at line {node.lineno} has no solution")
        if isinstance(value, ast.Name):
            named.add(value.id)
        cuts.append((*span(value), "None"))
    for node in tree.body:  # a solution kept in a module-level name goes with it
        targets = ([t.id for t in node.targets if isinstance(t, ast.Name)]
                   if isinstance(node, ast.Assign) else
                   [node.name] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else [])
        if any(t in named for t in targets):
            start = offsets[(node.decorator_list[0].lineno if getattr(node, "decorator_list", None)
                             else node.lineno) - 1]
            cuts.append((start, offsets[node.end_lineno], ""))
    for start, end, text in sorted(cuts, reverse=True):
        source = source[:start] + text + source[end:]
    ast.parse(source, filename)  # the result is still Python
    return source


def strip_notebook(text: str, name: str) -> str:
    """A notebook's JSON text without the solution lines and the offer of `.solution()`."""
    nb = json.loads(text)
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            kept = [line for line in source.splitlines(keepends=True)
                    if not _SOLUTION_LINE.match(line)]
            new = "".join(kept)
            if not source.endswith("\n"):
                new = new.rstrip("\n")
        else:
            new = _SOLUTION_LISTED.sub(" and `.hint()`", _SOLUTION_OFFER.sub("", source))
        if "solution()" in new and ("nb0" in new or "`.solution()`" in new or
                                    "`solution()`" in new):
            raise BuildError(f"{name}: a cell still mentions solution(): {new[:120]!r}")
        if new != source:
            cell["source"] = new.splitlines(keepends=True)
    # the course's notebook writer: nbformat's layout (one-space indent, sorted keys)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def build(out: Path) -> Path:
    """Write the students' copy into `out` (replacing what was there); return `out`."""
    out = Path(out)
    if out.resolve() == ROOT or ROOT.is_relative_to(out.resolve()):
        raise BuildError(f"refusing to replace {out}: it holds the course itself")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=IGNORED)
        elif source.exists():
            shutil.copy2(source, out / name)
    for module in sorted((out / "src" / "exercises").glob("nb[0-9][0-9].py")):
        module.write_text(strip_solutions(module.read_text(encoding="utf-8"), module.name),
                          encoding="utf-8")
    for notebook in sorted((out / "notebooks").glob("*.ipynb")):
        notebook.write_text(strip_notebook(notebook.read_text(encoding="utf-8"), notebook.name),
                            encoding="utf-8")
    (out / "STUDENT-COPY.md").write_text(
        "# The students' copy of Backprop Lab\n\n"
        "Made by `make student` from the course: the same notebooks, checks and hints, "
        "without the exercises' worked solutions.\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student",
                        help="the folder to write (replaced; default build/student)")
    args = parser.parse_args(argv)
    try:
        out = build(args.out)
    except BuildError as error:
        print(f"student build: {error}", file=sys.stderr)
        return 1
    print(f"the students' copy is in {out}: notebooks/, src/ (the backproplab package), "
          "without the exercises' solutions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
