"""Is everything the course needs here? A check a learner runs in the first notebook.

    from backproplab.setup_check import check_environment, widget_test
    check_environment()    # a table: what was checked, what was found, what to do
    widget_test()          # a slider: if you see a slider, widgets work in your browser

The report names only what a learner can act on, in plain words, with the command that
fixes it. Its table leaves out paths and exact version numbers when all is well, so the
notebook shows the same thing on every machine where the course works;
`report.details()` lists them for troubleshooting.

One thing a kernel cannot know is whether the page showing its output draws widgets:
the kernel sends a widget out and never hears whether a browser turned it into a
slider. So the report checks what it can (the packages, their versions, the JupyterLab
extension files) and `widget_test` shows a slider that answers when moved.
"""

from __future__ import annotations

import html
import importlib
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Check", "EnvironmentReport", "check_environment", "widget_test"]

# pyproject.toml's requires-python: the pinned numpy, matplotlib and ipykernel need it
MIN_PYTHON = (3, 11)
# the JupyterLab extension (jupyterlab_widgets) that each ipywidgets major version talks to:
# ipywidgets 8 with jupyterlab_widgets 3 (the course's pins), ipywidgets 7 with 1 (Colab's 7.7.1)
LAB_WIDGETS_FOR = {8: 3, 7: 1}
LAB_EXTENSION = Path("@jupyter-widgets", "jupyterlab-manager")
WIDGET_TEST_TEXT = ("Test slider: in Jupyter, Binder or Colab a slider appears here, "
                    "and a line under it follows it.")
STATUSES = {"ok": "✓ ok", "missing": "✗ missing", "look": "? look below"}


@dataclass(frozen=True)
class Check:
    """One thing the course needs: did we find it, and if not, what to do."""

    name: str
    status: str  # "ok", "missing" or "look" (the kernel cannot tell; look at the page)
    found: str
    fix: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}, got {self.status!r}")


class EnvironmentReport:
    """The checks, shown as a table; truthy when nothing the course needs is missing."""

    def __init__(self, checks: list[Check], details: dict[str, str] | None = None) -> None:
        self.checks = list(checks)
        self._details = dict(details or {})

    @property
    def problems(self) -> list[Check]:
        """The checks that found something missing."""
        return [c for c in self.checks if c.status == "missing"]

    @property
    def ok(self) -> bool:
        """True when nothing the course needs is missing."""
        return not self.problems

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        """One sentence: all good, or how many things need fixing."""
        if self.ok:
            return ("Everything the course needs is here. "
                    "Check the test slider below to be sure widgets are drawn.")
        names = ", ".join(c.name for c in self.problems)
        count = len(self.problems)
        return (f"{count} thing{'s' if count > 1 else ''} to fix before you go on: {names}. "
                "The last column says how.")

    def details(self) -> str:
        """Paths and exact versions, for troubleshooting (they differ between machines)."""
        return "\n".join(f"{key}: {value}" for key, value in self._details.items())

    def __str__(self) -> str:
        rows = [("Check", "Status", "Found", "What to do")]
        rows += [(c.name, STATUSES[c.status], c.found, c.fix or "nothing") for c in self.checks]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths)) + "  " + row[3]
                 for row in rows]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(lines + ["", self.summary()])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        def cell(text: str) -> str:  # `dot` -> <code>dot</code>, like the notebook's prose
            return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))

        colours = {"ok": "#1a7f37", "missing": "#cf222e", "look": "#9a6700"}
        head = "".join(f"<th style='text-align:left'>{h}</th>"
                       for h in ("Check", "Status", "Found", "What to do"))
        body = "".join(
            "<tr>"
            f"<td style='text-align:left'>{cell(c.name)}</td>"
            f"<td style='text-align:left;color:{colours[c.status]};font-weight:bold'>"
            f"{STATUSES[c.status]}</td>"
            f"<td style='text-align:left'>{cell(c.found)}</td>"
            f"<td style='text-align:left'>{cell(c.fix or 'nothing')}</td>"
            "</tr>"
            for c in self.checks
        )
        return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p><b>{cell(self.summary())}</b></p>")


def _major(version: str) -> int | None:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else None


def _course_root(start: Path) -> Path | None:
    """The course folder: the nearest folder up from `start` with the course's pyproject."""
    for folder in (start, *start.parents):
        project = folder / "pyproject.toml"
        if project.is_file() and 'name = "backproplab"' in project.read_text(encoding="utf-8"):
            return folder
    return None


def in_colab() -> bool:
    """True in a Google Colab kernel (it loads `google.colab` when it starts)."""
    return "google.colab" in sys.modules


def _check_python(details: dict[str, str]) -> Check:
    version = ".".join(str(n) for n in sys.version_info[:3])
    details["python"] = f"{version} ({sys.executable})"
    wanted = ".".join(str(n) for n in MIN_PYTHON)
    if sys.version_info[:2] >= MIN_PYTHON:
        return Check("Python", "ok", f"{wanted} or newer")
    return Check("Python", "missing", f"Python {version}",
                 f"install Python {wanted} or newer (the course is tested on 3.11), "
                 "then rebuild the course environment (`make clean course`)")


def _check_dot(details: dict[str, str], colab: bool) -> Check:
    name = "Graphviz `dot` (draws the graphs)"
    how = ("install graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
           "`brew install graphviz` (macOS), `winget install graphviz` (Windows), "
           "then restart JupyterLab. Until then graphs are shown as text outlines.")
    package = "install the course requirements: `pip install -r requirements.txt`"
    if colab:
        how = ("run `!apt-get install -y graphviz` in a cell. Until then graphs are shown "
               "as text outlines.")
        package = "run `%pip install graphviz` in a cell"
    path = shutil.which("dot")
    if path is None:
        return Check(name, "missing", "no `dot` program on the PATH", how)
    details["dot"] = path
    try:
        import graphviz
    except ImportError:
        return Check(name, "missing", "`dot` is there but the Python package graphviz is not",
                     package)
    try:
        version = graphviz.version()
    except Exception as error:  # not executable, crashes, prints something unexpected
        return Check(name, "missing", f"`dot` is on the PATH but does not run ({error})", how)
    details["dot version"] = ".".join(str(n) for n in version)
    return Check(name, "ok", "`dot` runs")


def _version_of(module: str) -> str | None:
    try:
        return getattr(importlib.import_module(module), "__version__", "unknown")
    except ImportError:
        return None


def _check_widgets(details: dict[str, str], colab: bool) -> Check:
    name = "Widgets (sliders, buttons)"
    install = "install the course requirements: `pip install -r requirements.txt`, " \
              "then restart JupyterLab and reload the page"
    widgets = _version_of("ipywidgets")
    details["ipywidgets"] = str(widgets)
    look = ("move the test slider below: if you see text instead of a slider, "
            "see Troubleshooting in the README")
    if colab:  # Colab's page draws ipywidgets itself: there is no JupyterLab extension
        if widgets is None:
            return Check(name, "missing", "the Python package ipywidgets is not installed",
                         "run `%pip install ipywidgets` in a cell, then *Runtime → Restart session*")
        return Check(name, "look", f"ipywidgets {widgets}, drawn by Colab", look)
    lab = _version_of("jupyterlab_widgets")
    details["jupyterlab_widgets"] = str(lab)
    if widgets is None:
        return Check(name, "missing", "the Python package ipywidgets is not installed", install)
    if lab is None:
        return Check(name, "missing",
                     f"ipywidgets {widgets}, but not jupyterlab_widgets (JupyterLab's half)",
                     install)
    wanted = LAB_WIDGETS_FOR.get(_major(widgets))
    if wanted is None or _major(lab) != wanted:
        pairs = " or ".join(f"{w}.x with {j}.x" for w, j in LAB_WIDGETS_FOR.items())
        return Check(name, "missing",
                     f"ipywidgets {widgets} with jupyterlab_widgets {lab}: versions that "
                     f"do not work together (need {pairs})", install)
    from jupyter_core.paths import jupyter_path

    folders = [Path(p) / LAB_EXTENSION for p in jupyter_path("labextensions")]
    found = [f for f in folders if (f / "package.json").is_file()]
    details["widget extension"] = str(found[0]) if found else "not found"
    if not found:
        return Check(name, "missing",
                     f"ipywidgets {widgets}, but JupyterLab's widget extension files are "
                     "not in this environment", install)
    return Check(name, "look", f"ipywidgets {widgets} with jupyterlab_widgets {lab}", look)


def _same_code(installed: Path, src: Path) -> bool:
    """True when an installed copy of the package holds exactly the .py files of `src`."""
    def files(folder: Path) -> dict[str, bytes]:
        return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*.py"))
                if "__pycache__" not in f.parts}

    try:
        return src.is_dir() and files(installed) == files(src)
    except OSError:
        return False


def _check_package(details: dict[str, str], root: Path | None, colab: bool) -> Check:
    name = "Course code (`backproplab`)"
    try:
        import backproplab
    except ImportError:
        if colab:
            return Check(name, "missing", "`import backproplab` fails in this kernel",
                         "run the notebook's first code cell: on Colab it installs the "
                         "course's code (then run the others)")
        return Check(name, "missing", "`import backproplab` fails in this kernel",
                     "from the course folder run `pip install -e .` in the course's "
                     "environment, or use `make course`")
    location = Path(backproplab.__file__).resolve().parent
    details["backproplab"] = str(location)
    if colab:
        return Check(name, "ok", "installed on this Colab session")
    if root is None:
        return Check(name, "ok", "importable")
    if location == (root / "src").resolve():
        return Check(name, "ok", "imported from this course's src/")
    if _same_code(location, root / "src"):  # a JupyterHub image with the course installed
        return Check(name, "ok", "installed, the same code as this course's src/")
    return Check(name, "missing", f"imported from {location}, not from this course's src/",
                 "run `pip install -e .` in the course folder, so your kernel uses "
                 "this copy of the code")


def _check_kernel(details: dict[str, str], root: Path | None, colab: bool) -> Check:
    name = "Kernel environment"
    prefix = Path(sys.prefix).resolve()
    details["kernel environment"] = str(prefix)
    if colab:
        return Check(name, "ok", "Google Colab's (files you make vanish when the session ends)")
    venv = root / ".venv" if root is not None else None
    if venv is None or not venv.is_dir():
        return Check(name, "ok", "the one JupyterLab started (there is no course .venv here)")
    if prefix == venv.resolve():
        return Check(name, "ok", "the course's .venv")
    return Check(name, "missing", f"{prefix}, not the course's .venv",
                 "start JupyterLab with `make course` (or `.venv/bin/jupyter lab`) so "
                 "notebooks run in the course's environment")


def check_environment() -> EnvironmentReport:
    """Check Python, graphviz's `dot`, widgets and the course code; return the report."""
    details: dict[str, str] = {}
    colab = in_colab()
    root = _course_root(Path.cwd().resolve())
    details["course folder"] = str(root) if root else "not found above the current folder"
    details["Google Colab"] = "yes" if colab else "no"
    checks = [
        _check_python(details),
        _check_package(details, root, colab),
        _check_kernel(details, root, colab),
        _check_dot(details, colab),
        _check_widgets(details, colab),
    ]
    return EnvironmentReport(checks, details)


def widget_test():
    """A slider whose caption follows it: proof that widgets draw and talk to the kernel."""
    import ipywidgets as widgets

    slider = widgets.IntSlider(value=3, min=0, max=10, description="Test slider")
    caption = widgets.Label("Move the slider: this line should follow it.")

    def follow(change: dict) -> None:
        caption.value = f"The kernel saw {change['new']}: widgets work here."

    slider.observe(follow, names="value")

    class TestSlider(widgets.VBox):
        def __repr__(self) -> str:  # what ipywidgets 7 shows instead (up to 110 characters)
            return WIDGET_TEST_TEXT

        def _repr_mimebundle_(self, **kwargs):  # what GitHub and nbviewer show instead
            bundle = super()._repr_mimebundle_(**kwargs)
            if isinstance(bundle, dict):
                bundle["text/plain"] = WIDGET_TEST_TEXT
            return bundle

    return TestSlider([slider, caption])
