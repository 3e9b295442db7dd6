"""The environment check in 00_start_here tells the truth, above all when something is missing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from backproplab import setup_check
from backproplab.setup_check import Check, EnvironmentReport, check_environment, widget_test

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def in_notebooks(monkeypatch):
    """Run the check from notebooks/, where a kernel started by JupyterLab runs."""
    monkeypatch.chdir(ROOT / "notebooks")


def by_name(report: EnvironmentReport, start: str) -> Check:
    (check,) = [c for c in report.checks if c.name.startswith(start)]
    return check


def hide_modules(monkeypatch, *names: str) -> None:
    """Make importing `names` fail as it does where the packages are not installed."""
    for name in names:
        for loaded in [m for m in sys.modules if m.startswith(name + ".")]:
            monkeypatch.delitem(sys.modules, loaded)
        monkeypatch.setitem(sys.modules, name, None)  # `import name` now raises ImportError


@pytest.mark.skipif(shutil.which("dot") is None, reason="this machine has no graphviz `dot`")
def test_complete_environment_reports_nothing_missing(in_notebooks):
    report = check_environment()
    assert report.ok and bool(report)
    assert [c.status for c in report.checks] == ["ok", "ok", "ok", "ok", "look"]
    assert "Everything the course needs is here" in str(report)
    assert str(ROOT) not in str(report)  # no machine paths in the notebook's output
    assert str(ROOT) in report.details()


def test_missing_dot_is_reported_with_the_fix(in_notebooks, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no programs at all
    report = check_environment()
    dot = by_name(report, "Graphviz")
    assert dot.status == "missing"
    assert "no `dot`" in dot.found
    assert "apt-get install graphviz" in dot.fix and "brew install graphviz" in dot.fix
    assert not report.ok
    assert "1 thing to fix" in report.summary() and "Graphviz" in report.summary()
    html = report._repr_html_()
    assert "✗ missing" in html and "brew install graphviz" in html


def test_dot_that_does_not_run_is_not_reported_as_working(in_notebooks, monkeypatch, tmp_path):
    broken = tmp_path / "dot"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    dot = by_name(check_environment(), "Graphviz")
    assert dot.status == "missing"
    assert "does not run" in dot.found


def test_missing_ipywidgets_is_reported(in_notebooks, monkeypatch):
    hide_modules(monkeypatch, "ipywidgets")
    report = check_environment()
    widgets = by_name(report, "Widgets")
    assert widgets.status == "missing"
    assert "ipywidgets is not installed" in widgets.found
    assert "pip install -r requirements.txt" in widgets.fix
    assert not report.ok


def test_missing_lab_half_of_widgets_is_reported(in_notebooks, monkeypatch):
    hide_modules(monkeypatch, "jupyterlab_widgets")
    widgets = by_name(check_environment(), "Widgets")
    assert widgets.status == "missing"
    assert "not jupyterlab_widgets" in widgets.found


def test_incompatible_widget_versions_are_reported(in_notebooks, monkeypatch):
    import jupyterlab_widgets

    monkeypatch.setattr(jupyterlab_widgets, "__version__", "1.1.0")  # the ipywidgets 7 era
    widgets = by_name(check_environment(), "Widgets")
    assert widgets.status == "missing"
    assert "do not work together" in widgets.found


def test_missing_lab_extension_files_are_reported(in_notebooks, monkeypatch, tmp_path):
    import jupyter_core.paths

    monkeypatch.setattr(jupyter_core.paths, "jupyter_path", lambda *parts: [str(tmp_path)])
    widgets = by_name(check_environment(), "Widgets")
    assert widgets.status == "missing"
    assert "extension files" in widgets.found


def test_missing_course_package_is_reported(in_notebooks, monkeypatch):
    hide_modules(monkeypatch, "backproplab")
    code = by_name(check_environment(), "Course code")
    assert code.status == "missing"
    assert "pip install -e ." in code.fix


def test_kernel_outside_the_course_venv_is_reported(in_notebooks, monkeypatch, tmp_path):
    if not (ROOT / ".venv").is_dir():
        pytest.skip("this checkout has no .venv to compare against")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    kernel = by_name(check_environment(), "Kernel")
    assert kernel.status == "missing"
    assert "make course" in kernel.fix
    assert str(tmp_path) in kernel.found


def test_without_a_course_venv_any_environment_with_the_code_is_fine(monkeypatch, tmp_path):
    # Binder: the repository is checked out without .venv, the packages live elsewhere
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "backproplab"\n')
    monkeypatch.chdir(tmp_path)
    kernel = by_name(check_environment(), "Kernel")
    assert kernel.status == "ok"


def test_old_python_is_reported(in_notebooks, monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 8, 10, "final", 0))
    python = by_name(check_environment(), "Python")
    assert python.status == "missing"
    assert "3.8.10" in python.found


def test_report_text_is_a_readable_table():
    report = EnvironmentReport([Check("Python", "ok", "3.10 or newer"),
                                Check("Thing", "missing", "not there", "install it")])
    lines = str(report).splitlines()
    assert lines[0].split() == ["Check", "Status", "Found", "What", "to", "do"]
    assert "✗ missing" in lines[3] and lines[3].endswith("install it")
    assert lines[2].endswith("nothing")
    assert "1 thing to fix before you go on: Thing" in str(report)


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="status must be one of"):
        Check("Python", "fine", "3.11")


def test_widget_test_caption_follows_the_slider():
    box = widget_test()
    slider, caption = box.children
    assert "Move the slider" in caption.value
    slider.value = 7
    assert caption.value == "The kernel saw 7: widgets work here."


def test_check_module_imports_no_widget_or_graphviz_code_at_import_time():
    # the check must load even where those packages are missing
    source = Path(setup_check.__file__).read_text(encoding="utf-8")
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not any("ipywidgets" in line or "graphviz" in line for line in top_level)


def test_html_table_shows_code_as_code_and_escapes_the_rest():
    report = EnvironmentReport([Check("Graphviz `dot`", "missing", "no <dot>", "run `make course`")])
    html = report._repr_html_()
    assert "<code>dot</code>" in html and "<code>make course</code>" in html
    assert "`" not in html
    assert "&lt;dot&gt;" in html


# --- Google Colab: the notebook alone, Colab's own packages, ipywidgets 7 ------------------

@pytest.fixture
def on_colab(monkeypatch, tmp_path):
    """A Colab kernel as the check sees it: `google.colab` loaded, the notebook in an
    empty folder (/content), no course folder or .venv around it."""
    import types

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.chdir(tmp_path)


def test_colab_is_recognised_and_nothing_is_missing(on_colab):
    if shutil.which("dot") is None:
        pytest.skip("this machine has no graphviz `dot`")
    report = check_environment()
    assert report.ok, str(report)
    assert "drawn by Colab" in by_name(report, "Widgets").found
    assert "Colab" in by_name(report, "Kernel").found
    assert "vanish when the session ends" in by_name(report, "Kernel").found
    assert "Google Colab: yes" in report.details()
    assert "requirements.txt" not in str(report) and "make course" not in str(report)


def test_colab_advice_is_for_colab(on_colab, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot`
    hide_modules(monkeypatch, "backproplab", "ipywidgets")
    report = check_environment()
    fixes = " ".join(c.fix for c in report.problems)
    assert "!apt-get install -y graphviz" in fixes
    assert "%pip install ipywidgets" in fixes
    assert "first code cell" in by_name(report, "Course code").fix
    assert "requirements.txt" not in fixes and "pip install -e ." not in fixes


@pytest.mark.parametrize("widgets_version, lab_version, works", [
    ("8.1.9", "3.0.16", True), ("7.7.1", "1.1.1", True),
    ("8.1.9", "1.1.0", False), ("7.7.1", "3.0.16", False), ("6.0.0", "1.1.0", False),
])
def test_widget_version_pairs(in_notebooks, monkeypatch, widgets_version, lab_version, works):
    import ipywidgets
    import jupyterlab_widgets

    monkeypatch.setattr(ipywidgets, "__version__", widgets_version)
    monkeypatch.setattr(jupyterlab_widgets, "__version__", lab_version)
    widgets = by_name(check_environment(), "Widgets")
    assert (widgets.status == "look") is works, widgets
    if not works:
        assert "8.x with 3.x or 7.x with 1.x" in widgets.found


def test_installed_copy_of_the_same_code_is_fine(in_notebooks, monkeypatch, tmp_path):
    # a JupyterHub image: the course installed (not editable), the notebooks pulled beside it
    import backproplab

    copy = tmp_path / "site-packages" / "backproplab"
    shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(backproplab, "__file__", str(copy / "__init__.py"))
    code = by_name(check_environment(), "Course code")
    assert code.status == "ok" and "same code" in code.found
    (copy / "engine.py").write_text("# an older version\n", encoding="utf-8")
    code = by_name(check_environment(), "Course code")
    assert code.status == "missing" and "pip install -e ." in code.fix
