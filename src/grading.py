"""Grade a folder of submitted notebooks: run each in a fresh kernel, collect its checks.

    python -m backproplab.grading SUBMISSIONS [--out grades.csv] [--jobs 2] [--cell-timeout 60]
                                  [--student-ids notebook|folder]

SUBMISSIONS holds one folder per student (`SUBMISSIONS/alice/04_backpropagation.ipynb`),
the layout nbgrader and most learning platforms export; a notebook lying directly in
SUBMISSIONS counts as the student named by its file name. Each notebook runs top to bottom
in a fresh kernel, in a temporary folder of its own, with a time limit per cell; a cell
that raises does not stop the rest. Then the course's own exercise records are read out of
that kernel (`backproplab.exercises.report`), so a grade is exactly what the learner saw
the checks say.

The CSV has one row per student, notebook and exercise: `right`, `wrong` (with the check's
message) or `not answered` (no check ran, or it said so). An exercise whose check cell the
student deleted is still listed, as not answered. A summary per student and per exercise
is printed and written beside the CSV (`grades-summary.csv`).

Per-student numbers (`backproplab.exercises.student_id`): with `--student-ids folder`
each notebook is graded with its student's folder name as the id, set before the
notebook's first cell and kept whatever the notebook sets, so an answer copied from
another student's numbers is wrong. With `notebook` (the default) an id is whatever the
notebook itself sets, as the student saw it. The CSV's `student_id` column says which id
each row was graded with (empty: the notebook's own numbers).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Submission", "find_submissions", "grade", "main"]

_MARKER = "BACKPROPLAB-GRADES:"
_MODULE = re.compile(r"\bexercises\s+import\s+([\w\s,()]+)|\bexercises\.(nb\d\d)\b")
_REPORT_CELL = (
    "import json as _json\n"
    "from backproplab.exercises import report as _report, student_id as _student_id\n"
    "print({marker!r} + _json.dumps([dict(r.as_dict(), student_id=_student_id() or '')\n"
    "                                for r in _report({modules!r})]))\n"
)
# the first cell when the grader gives the id: before the notebook imports the exercises
_ID_CELL = (
    "import os as _os\n"
    "_os.environ['BACKPROPLAB_STUDENT'] = {student!r}\n"
    "_os.environ['BACKPROPLAB_STUDENT_LOCKED'] = '1'\n"
)
ID_SOURCES = ("notebook", "folder")
FIELDS = ["student", "notebook", "exercise", "title", "status", "message", "student_id"]


@dataclass
class Submission:
    """One student's notebook."""

    student: str
    path: Path


@dataclass
class Result:
    """What grading one submission found: a row per exercise, and what went wrong running it."""

    submission: Submission
    rows: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_submissions(folder: Path) -> list[Submission]:
    """Every notebook in `folder` (a student per sub-folder, or per loose notebook)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"grading: {folder} is not a folder; give the folder of submissions")
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        relative = path.relative_to(folder)
        student = relative.parts[0] if len(relative.parts) > 1 else path.stem
        found.append(Submission(student, path))
    return found


def _modules(nb) -> list[str]:
    """The exercise modules (nb01, ...) a notebook imports or uses."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for names, dotted in _MODULE.findall(cell.source):
            for name in re.findall(r"nb\d\d", names) + ([dotted] if dotted else []):
                if name not in found:
                    found.append(name)
    return found


def _grade_one(submission: Submission, cell_timeout: int, kernel: str,
               student_ids: str = "notebook") -> Result:
    """Run one notebook in a fresh kernel and read its exercise records."""
    import nbformat
    from nbclient import NotebookClient

    result = Result(submission)
    try:
        nb = nbformat.read(submission.path, as_version=4)
    except Exception as error:  # not a notebook: say so in the grades, grade the rest
        result.problems.append(f"not a readable notebook ({type(error).__name__}: {error})")
        return result
    modules = _modules(nb)
    if not modules:
        result.problems.append("uses none of the course's exercises")
        return result
    nb.cells.append(nbformat.v4.new_code_cell(_REPORT_CELL.format(marker=_MARKER, modules=modules)))
    if student_ids == "folder":
        nb.cells.insert(0, nbformat.v4.new_code_cell(_ID_CELL.format(student=submission.student)))
    with tempfile.TemporaryDirectory(prefix="grading-") as workdir:
        client = NotebookClient(
            nb, timeout=cell_timeout, kernel_name=kernel, allow_errors=True,
            interrupt_on_timeout=True, resources={"metadata": {"path": workdir}},
        )
        try:
            client.execute()
        except Exception as error:  # the kernel died, or would not start
            result.problems.append(f"the notebook could not be run to the end "
                                   f"({type(error).__name__}: {str(error)[:200]})")
    first = 1 if student_ids == "folder" else 0  # cell numbers as in the student's notebook
    for index, cell in enumerate(nb.cells[first:-1]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "KeyboardInterrupt":
                first = cell.source.strip().splitlines()[0][:40] if cell.source.strip() else ""
                result.problems.append(f"the cell starting `{first}` (cell {index + 1}) ran past "
                                       f"{cell_timeout} s and was stopped")
    for output in nb.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if _MARKER in text:
            rows = json.loads(text.split(_MARKER, 1)[1])
            result.rows = [{"student": submission.student, **row} for row in rows]
    if not result.rows:
        result.problems.append("the exercise records could not be read (the kernel stopped)")
    return result


def grade(folder: Path, jobs: int = 2, cell_timeout: int = 60,
          kernel: str = "python3", student_ids: str = "notebook") -> list[Result]:
    """Grade every submission in `folder`, `jobs` notebooks at a time; `student_ids`
    says where each one's student id comes from ("notebook" or "folder")."""
    submissions = find_submissions(folder)
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, got {jobs}")
    if student_ids not in ID_SOURCES:
        raise ValueError(f"student_ids is one of {', '.join(ID_SOURCES)}, got {student_ids!r}")
    with ProcessPoolExecutor(max_workers=min(jobs, max(1, len(submissions)))) as pool:
        futures = [pool.submit(_grade_one, s, cell_timeout, kernel, student_ids)
                   for s in submissions]
        return [f.result() for f in futures]


def _write(results: list[Result], out: Path) -> tuple[Path, list[str]]:
    """Write the grades CSV and the summary CSV; return the summary's path and its text."""
    rows = []
    for result in results:
        notebook = result.submission.path.name
        problem = "; ".join(result.problems)
        if result.rows:
            for row in result.rows:
                rows.append({**row, "notebook": notebook})
        else:
            rows.append({"student": result.submission.student, "notebook": notebook,
                         "exercise": "", "title": "", "status": "not graded",
                         "message": problem, "student_id": ""})
        if result.rows and problem:
            for row in rows[-len(result.rows):]:
                if row["status"] != "right":
                    row["message"] = (row["message"] + " " if row["message"] else "") + f"[{problem}]"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)

    students: dict[str, dict[str, int]] = {}
    for row in rows:
        tally = students.setdefault(row["student"], {"right": 0, "wrong": 0, "not answered": 0,
                                                     "not graded": 0})
        tally[row["status"]] += 1
    summary = out.with_name(out.stem + "-summary.csv")
    lines = ["student,right,wrong,not answered,not graded"]
    for student, tally in sorted(students.items()):
        lines.append(f"{student},{tally['right']},{tally['wrong']},{tally['not answered']},"
                     f"{tally['not graded']}")
    summary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return summary, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backproplab.grading",
                                     description="Grade a folder of submitted course notebooks.")
    parser.add_argument("submissions", type=Path, help="a folder: one sub-folder per student")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2)),
                        help="notebooks run at once (default: the number of cores)")
    parser.add_argument("--cell-timeout", type=int, default=60,
                        help="seconds a cell may run before it is stopped (default 60)")
    parser.add_argument("--kernel", default="python3", help="the Jupyter kernel to run them in")
    parser.add_argument("--student-ids", choices=ID_SOURCES, default="notebook",
                        help="per-student numbers: `folder` grades each notebook with its "
                             "folder's name as the student id; `notebook` (default) uses "
                             "the id the notebook sets, if any")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.cell_timeout < 1:
        parser.error("--jobs and --cell-timeout must be 1 or more")
    results = grade(args.submissions, jobs=args.jobs, cell_timeout=args.cell_timeout,
                    kernel=args.kernel, student_ids=args.student_ids)
    if not results:
        print(f"grading: no notebooks found in {args.submissions}")
        return 1
    summary, lines = _write(results, args.out)
    print(f"{len(results)} notebooks graded; one row per exercise in {args.out}")
    print("\n".join(lines))
    for result in results:
        for problem in result.problems:
            print(f"  {result.submission.student}/{result.submission.path.name}: {problem}")
    print(f"summary written to {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
