"""House rules a learner would notice if they broke: how every notebook opens and closes,
links that lead somewhere, a clean tree, and Binder getting the same versions as a laptop."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from notebook_tools import NOTEBOOKS, ROOT, ids, pins
from course_text import EXERCISES_SECTION, SETUP_SECTION, SUMMARY_HEADING, SUMMARY_SECTION

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LINK = re.compile(r"\]\(([^)\s]+)\)")
IMPORT = re.compile(r"^\s*(import\s+\w|from\s+[\w.]+\s+import\s)", re.MULTILINE)


@functools.cache
def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def headings(nb, level: str) -> list[str]:
    found = []
    for text in markdown(nb):
        found += [line[len(level) + 1:].strip() for line in text.splitlines()
                  if line.startswith(level + " ")]
    return found


def title(path: Path) -> str:
    return read(path).cells[0].source.splitlines()[0].removeprefix("# ").strip()


def bare(text: str) -> str:
    """A title without its leading notebook number: "01 Derivatives" -> "Derivatives"."""
    return re.sub(r"^\d\d\s*[.:·-]?\s*", "", text).strip()


def test_notebook_names_follow_the_course_order():
    names = [p.name for p in NOTEBOOKS]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", n) for n in names), names
    numbers = [int(n[:2]) for n in names]
    assert numbers == list(range(len(numbers))), f"notebook numbers have a gap: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
class TestNotebookShape:
    def test_python3_kernelspec(self, path):
        assert read(path).metadata.get("kernelspec") == KERNELSPEC

    def test_opens_with_a_title(self, path):
        first = read(path).cells[0]
        assert first.cell_type == "markdown"
        assert re.match(r"# \S", first.source), f"first cell starts {first.source[:40]!r}"
        assert len(headings(read(path), "#")) == 1, "more than one `#` title"

    def test_no_empty_cells(self, path):
        empty = [i for i, c in enumerate(read(path).cells) if not c.source.strip()]
        assert empty == []

    def test_one_setup_cell_holds_every_import(self, path):
        code = [c for c in read(path).cells if c.cell_type == "code"]
        assert code and IMPORT.search(code[0].source), "the first code cell should be the setup cell"
        later = [c.source.splitlines()[0] for c in code[1:] if IMPORT.search(c.source)]
        assert later == [], "imports outside the setup cell"

    def test_setup_cell_comes_before_the_teaching(self, path):
        nb = read(path)
        first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
        sections = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
                    and re.search(rf"^## (?!{SETUP_SECTION}\b)", c.source, re.M)]
        assert not sections or first_code < sections[0], "the setup cell comes after a section"

    def test_no_sys_path_edits(self, path):
        offending = [c.source for c in read(path).cells
                     if c.cell_type == "code" and "sys.path" in c.source]
        assert offending == []

    def test_closes_with_summary_then_exercises(self, path):
        sections = headings(read(path), "##")
        assert SUMMARY_SECTION in sections, f"no `{SUMMARY_HEADING}` (sections: {sections})"
        if path.name == "00_start_here.ipynb":  # the only notebook without exercises
            assert sections[-1] == SUMMARY_SECTION
            return
        assert sections[-2:] == [SUMMARY_SECTION, EXERCISES_SECTION], f"sections end with {sections[-2:]}"

    def test_links_to_other_notebooks_resolve(self, path):
        for text in markdown(read(path)):
            for target in LINK.findall(text):
                if "://" in target or target.startswith(("#", "mailto:")):
                    continue
                file = unquote(target.split("#")[0])
                assert (path.parent / file).exists(), f"link to {target} leads nowhere"

    def test_links_to_previous_and_next(self, path):
        opening = []
        for cell in read(path).cells:
            if cell.cell_type == "code":
                break
            opening.append(cell.source)
        linked = [Path(t).name for t in LINK.findall("\n".join(opening))]
        number = int(path.name[:2])
        neighbours = [number - 1] if number > 0 else []
        if any(int(p.name[:2]) > number for p in NOTEBOOKS):  # not the last notebook
            neighbours.append(number + 1)
        for n in neighbours:
            assert any(name.startswith(f"{n:02d}_") and name.endswith(".ipynb") for name in linked), (
                f"the opening (before the setup cell) has no link to notebook {n:02d}")


def test_start_here_map_links_every_notebook_by_its_title():
    start = "\n".join(markdown(read(ROOT / "notebooks" / "00_start_here.ipynb")))
    links = dict((target, text) for text, target in re.findall(r"\[([^\]]+)\]\(([^)]+)\)", start))
    for path in NOTEBOOKS[1:]:
        assert path.name in links, f"00_start_here's map has no link to {path.name}"
        assert bare(links[path.name]) == bare(title(path)), (
            f"the map calls {path.name} {links[path.name]!r}, its title is {title(path)!r}")


def test_readme_map_links_every_notebook_by_its_title():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = dict((target, text) for text, target in re.findall(r"\[([^\]]+)\]\(([^)]+)\)", readme))
    for path in NOTEBOOKS:
        target = f"notebooks/{path.name}"
        assert target in links, f"README's map has no link to {target}"
        assert bare(links[target]) == bare(title(path))


def test_readme_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in LINK.findall(readme):
        if "://" in target or target.startswith("#"):
            continue
        assert (ROOT / unquote(target.split("#")[0])).exists(), f"README links to missing {target}"


def tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.splitlines()


def test_no_checkpoints_or_untitled_notebooks():
    stray = [f for f in tracked_files()
             if ".ipynb_checkpoints" in f or Path(f).name.lower().startswith("untitled")]
    assert stray == []


def test_every_notebook_is_in_the_notebooks_folder_with_a_number():
    notebooks = [f for f in tracked_files() if f.endswith(".ipynb")]
    assert sorted(notebooks) == sorted(f"notebooks/{p.name}" for p in NOTEBOOKS)


def test_test_artifacts_are_ignored():
    ignored = subprocess.run(["git", "check-ignore", "-q", "test-artifacts/x.png"], cwd=ROOT)
    assert ignored.returncode == 0, "test-artifacts/ should be in .gitignore"


def test_binder_pins_match_requirements():
    course = pins(ROOT / "requirements.txt")
    binder = pins(ROOT / "binder" / "requirements.txt")
    assert course, "requirements.txt pins nothing"
    assert binder == course, (
        "binder/requirements.txt and requirements.txt pin different versions: "
        f"only in requirements.txt {sorted(set(course.items()) - set(binder.items()))}, "
        f"only in binder {sorted(set(binder.items()) - set(course.items()))}")


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt", "binder/requirements.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if not line or line.startswith(("-r ", "-e ")) or line == ".":
                continue
            assert "==" in line, f"{name}: {line!r} is not pinned"


def test_binder_python_matches_the_course():
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    minimum = re.search(r'requires-python\s*=\s*">=(3\.\d+)"',
                        (ROOT / "pyproject.toml").read_text(encoding="utf-8"))[1]
    assert int(runtime.split(".")[1]) >= int(minimum.split(".")[1])
    assert "graphviz" in (ROOT / "binder" / "apt.txt").read_text(encoding="utf-8").split()


# --- the Python floor: one number, stated in the README, pyproject.toml, the environment
# check and tools/check_python.py, and the one the pinned packages really need ---------------

def stated_floor() -> tuple[int, int]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    major, minor = re.search(r'^requires-python\s*=\s*">=(\d+)\.(\d+)"', text, re.M).groups()
    return int(major), int(minor)


def load_check_python():
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_python", ROOT / "tools" / "check_python.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_floor_is_the_same_in_readme_pyproject_and_environment_check():
    from backproplab import setup_check

    floor = stated_floor()
    wanted = "%d.%d" % floor
    assert setup_check.MIN_PYTHON == floor
    assert load_check_python().floor() == floor
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = set(re.findall(r"Python (3\.\d+) or newer", readme))
    assert stated == {wanted}, f"README states the floor as {sorted(stated)}, pyproject as {wanted}"


def test_python_floor_is_what_the_pins_need():
    """Every pinned package installs on the floor, and the floor is no higher than they need."""
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    floor = stated_floor()
    at_floor = "%d.%d.0" % floor
    below = "%d.%d.99" % (floor[0], floor[1] - 1)
    needs = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for package, version in pins(ROOT / name).items():
            installed = metadata.version(package)
            assert installed == version, (
                f"{package} {installed} is installed, {name} pins {version}: run `make setup-dev`")
            needs[package] = SpecifierSet(metadata.metadata(package).get("Requires-Python") or "")
    too_old = {p: str(s) for p, s in needs.items() if not s.contains(at_floor)}
    assert too_old == {}, f"these pins need a newer Python than the stated floor {floor}: {too_old}"
    assert any(not s.contains(below) for s in needs.values()), (
        f"no pin needs Python {floor[0]}.{floor[1]}: the floor can be lowered")


def test_python_below_the_floor_is_told_what_to_install():
    check = load_check_python()
    floor = stated_floor()
    older = (floor[0], floor[1] - 1, 13, "final", 0)
    text = check.message(older, floor, ["python3.12"])
    assert "needs Python %d.%d or newer" % floor in text
    assert "make course PYTHON=python3.12" in text
    assert "apt-get install" in text and "brew install" in text and "winget install" in text
    assert check.message(sys.version_info, floor, []) == ""


def test_make_stops_at_the_python_check_before_making_a_venv(tmp_path):
    # the course's Makefile and check, with a floor no Python meets yet
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    (tmp_path / "tools").mkdir()
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy2(ROOT / "tools" / "check_python.py", tmp_path / "tools" / "check_python.py")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        re.sub(r'requires-python = ">=[\d.]+"', 'requires-python = ">=3.99"', text), encoding="utf-8")
    for target in ("python-check", "setup"):
        run = subprocess.run(["make", target, f"PYTHON={sys.executable}"], cwd=tmp_path,
                             capture_output=True, text=True)
        assert run.returncode != 0, run.stdout
        assert "the course needs Python 3.99 or newer" in run.stderr
        assert not (tmp_path / ".venv").exists(), f"`make {target}` made a venv first"
