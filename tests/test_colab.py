"""Google Colab: every notebook opened alone, with Colab's own packages, runs clean.

Colab opens one `.ipynb` from GitHub in an empty folder (/content), without the rest of
the repository, in its own environment: Python 3.13 with ipywidgets 7.7.1, ipykernel
6.17, matplotlib 3.10, numpy 2.1, graphviz 0.21 and a `dot` program (its published
package list). So each notebook's setup cell installs the course's code there, from the
public address kept in pyproject.toml, and the environment check in 00 recognises Colab.

The first tests hold every copy of that address to the one in pyproject.toml. The rest
build a virtual environment with Colab's versions (Python 3.13 where this machine has it,
else this Python with the same library pins), install the course into it as a plain,
non-editable package (as `%pip install git+...` does), and run every notebook copied
alone into an empty folder, in a kernel where `google.colab` is loaded as on Colab. Last,
with the course uninstalled, 00's setup cell must install it by itself.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from notebook_tools import NOTEBOOKS, ROOT, copy_and_venv, runner, say

# Colab's versions of what the course uses (its package list; ipykernel 6.17.x,
# matplotlib 3.10.x and numpy 2.1.x as their newest patch releases, all with
# Python 3.13 wheels on PyPI)
COLAB_PINS = ["ipywidgets==7.7.1", "ipykernel==6.17.1", "matplotlib==3.10.9", "numpy==2.1.3",
              "graphviz==0.21"]
# what runs the notebooks here (Colab's own front end does that there)
HARNESS = ["nbclient==0.11.0", "nbformat==5.11.1"]
COLAB_PYTHON = "3.13"
INSTALL_LINE = re.compile(r'%pip install -q "backproplab @ git\+(https://github\.com/[\w.-]+/[\w.-]+)"')


def load_publish():
    spec = importlib.util.spec_from_file_location("publish", ROOT / "tools" / "publish.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def setup_cell(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code")


def addresses_used(root: Path) -> dict[str, set[str]]:
    """Every place the course's own address appears, by what it is for."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    used = {
        "binder": set(re.findall(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", readme)),
        "colab badges": set(re.findall(r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/", readme)),
        "nbgitpuller": set(re.findall(r"git-pull\?repo=https://github\.com/([\w.-]+/[\w.-]+)&", readme)),
    }
    used["setup cells"] = set()
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        found = INSTALL_LINE.findall(setup_cell(path))
        assert len(found) == 1, f"{path.name}: the setup cell has no Colab install line"
        used["setup cells"].add(found[0].removeprefix("https://github.com/"))
    return used


def check_one_address(root: Path) -> str:
    address = load_publish().current_address(root)
    used = addresses_used(root)
    assert all(used.values()), f"a kind of link is missing: {used}"
    assert {k: v for k, v in used.items() if v != {address}} == {}, (
        f"pyproject.toml says {address}; run `python tools/publish.py {address}`")
    readme = (root / "README.md").read_text(encoding="utf-8")
    name = address.split("/")[1]
    assert f"urlpath=lab/tree/{name}/notebooks/00_start_here.ipynb" in readme
    return address


def test_the_course_address_is_in_one_place():
    check_one_address(ROOT)


def test_every_notebook_has_a_colab_badge_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/[\w.-]+/notebooks/"
                        r"(\d\d_\w+\.ipynb)", readme)
    assert badges == [p.name for p in NOTEBOOKS]


def test_setup_cell_installs_the_course_only_on_colab():
    for path in NOTEBOOKS:
        source = setup_cell(path)
        guard = source.index('if "google.colab" in sys.modules and importlib.util.find_spec("backproplab") is None:')
        assert guard < source.index("%pip install"), path.name
        assert source.index("%pip install") < source.index("from backproplab"), path.name


def test_publish_fills_in_every_copy_of_the_address(tmp_path):
    for name in ["pyproject.toml", "README.md", *[f"notebooks/{p.name}" for p in NOTEBOOKS]]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    publish = load_publish()
    changed = publish.publish("jane/backprop-lab", branch="spring-2027", root=tmp_path)
    assert len(changed) == 2 + len(NOTEBOOKS)
    assert check_one_address(tmp_path) == "jane/backprop-lab"
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "/blob/spring-2027/notebooks/01_derivatives.ipynb" in readme
    assert "&branch=spring-2027" in readme
    assert "lab/tree/backprop-lab/notebooks" in readme
    # the notebooks keep their outputs and formatting: only the install line changed
    before = (ROOT / "notebooks" / "03_computation_graphs.ipynb").read_text(encoding="utf-8")
    after = (tmp_path / "notebooks" / "03_computation_graphs.ipynb").read_text(encoding="utf-8")
    assert after == before.replace(f"github.com/{publish.current_address(ROOT)}", "github.com/jane/backprop-lab")
    with pytest.raises(ValueError, match="owner/name"):
        publish.publish("https://github.com/jane", root=tmp_path)


# --- the Colab-like run ------------------------------------------------------------------

# Colab's kernel has `google.colab` loaded from the start; here a stand-in package and an
# IPython startup file do the same
FAKE_COLAB = '"""Stands in for Google Colab\'s package: its presence is what the course checks."""\n'

RUN = r"""
import json, pathlib, sys
import nbformat
from nbclient import NotebookClient

report = {}
for name in sys.argv[1:]:
    path = pathlib.Path(name)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors, texts = [], []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                errors.append(f"cell {i} wrote to stderr: {out.text[:800]}")
            texts.append(out.get("text", "") + str(out.get("data", {}).get("text/plain", "")))
    report[path.name] = {"errors": errors, "text": "\n".join(texts)}
print(json.dumps(report))
"""


def colab_python(request) -> str:
    pyenv = Path.home() / ".pyenv" / "versions"
    candidates = [str(p / "bin" / "python3") for p in sorted(pyenv.glob(f"{COLAB_PYTHON}.*"))]
    candidates.append(shutil.which(f"python{COLAB_PYTHON}"))
    for found in candidates:  # a pyenv shim can exist and still refuse to run
        if found and subprocess.run([found, "--version"], capture_output=True).returncode == 0:
            return found
    say(request.config, f"colab: no Python {COLAB_PYTHON} on this machine; using Colab's library "
                        f"pins with Python {sys.version.split()[0]}")
    return sys.executable


def venv_run(venv: Path, *args: str, cwd: Path, env: dict[str, str], timeout: int = 900):
    return subprocess.run([str(venv / "bin" / "python"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def colab(tmp_path_factory, request):
    work = tmp_path_factory.mktemp("colab")
    repo, venv, env = copy_and_venv(work, colab_python(request))
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    fake = work / "colab-package"
    (fake / "google" / "colab").mkdir(parents=True)  # `google` stays a namespace package
    (fake / "google" / "colab" / "__init__.py").write_text(FAKE_COLAB, encoding="utf-8")
    env["PYTHONPATH"] = str(fake)
    startup = work / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab\n", encoding="utf-8")
    install = venv_run(venv, "-m", "pip", "install", "-q", *COLAB_PINS, *HARNESS, cwd=work, env=env)
    assert install.returncode == 0, f"could not install Colab's versions:\n{install.stderr[-3000:]}"
    # the course as Colab gets it: a plain install (what `pip install git+...` makes)
    course = venv_run(venv, "-m", "pip", "install", "-q", str(repo), cwd=work, env=env)
    assert course.returncode == 0, f"pip install of the course failed:\n{course.stderr[-3000:]}"
    versions = venv_run(venv, "-c", "import sys, ipywidgets, ipykernel, matplotlib, numpy, graphviz; "
                        "print(sys.version.split()[0], ipywidgets.__version__, ipykernel.__version__, "
                        "matplotlib.__version__, numpy.__version__, graphviz.__version__)",
                        cwd=work, env=env)
    return work, repo, venv, env, versions.stdout.strip()


def test_colab_environment_has_colabs_versions(colab):
    *_, versions = colab
    python, *libraries = versions.split()
    assert libraries == [pin.split("==")[1] for pin in COLAB_PINS]


def test_every_notebook_runs_clean_alone_as_on_colab(colab, request):
    work, _repo, venv, env, versions = colab
    copies = []
    for path in NOTEBOOKS:
        alone = work / "content" / path.stem  # an empty folder per notebook, like /content
        alone.mkdir(parents=True)
        shutil.copy2(path, alone / path.name)
        copies.append(str(alone / path.name))
    run = venv_run(venv, "-c", RUN, *copies, cwd=work, env=env, timeout=1500)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(report) == sorted(p.name for p in NOTEBOOKS)
    assert {name: r["errors"] for name, r in report.items() if r["errors"]} == {}
    # the widgets' text form (what a copy saved from Colab shows on GitHub) is a sentence
    assert [name for name, r in report.items() if "children=" in r["text"]] == []
    with_widgets = [p.name for p in NOTEBOOKS if p.name != "00_start_here.ipynb"
                    and runner.WIDGET_VIEW in p.read_text(encoding="utf-8")]
    assert with_widgets, "no notebook stores a widget"
    assert [name for name in with_widgets if "It is interactive when the notebook runs in "
            "Jupyter, Binder or Colab" not in report[name]["text"]] == []
    check = report["00_start_here.ipynb"]["text"]
    assert "Test slider: in Jupyter, Binder or Colab" in check
    assert "Everything the course needs is here" in check, check
    assert "drawn by Colab" in check and "installed on this Colab session" in check
    assert "requirements.txt" not in check and "✗" not in check
    say(request.config, f"colab: {len(report)} notebooks ran clean, each alone in an empty folder, "
                        f"with Python, ipywidgets, ipykernel, matplotlib, numpy, graphviz = {versions}")


def test_setup_cell_installs_the_course_on_colab_when_it_is_missing(colab, request):
    # last: it uninstalls the course from the Colab-like environment
    work, repo, venv, env, _versions = colab
    removed = venv_run(venv, "-m", "pip", "uninstall", "-y", "-q", "backproplab", cwd=work, env=env)
    assert removed.returncode == 0, removed.stderr
    missing = venv_run(venv, "-c", "import backproplab", cwd=work, env=env)
    assert missing.returncode != 0, "the course is still installed"
    # 00 alone, with the public address (not reachable from here) pointing at the local copy
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    address = INSTALL_LINE.search(setup.source)[1]
    setup.source = setup.source.replace(f"git+{address}", repo.as_uri())
    alone = work / "content-fresh"
    alone.mkdir()
    nbformat.write(nb, alone / "00_start_here.ipynb")
    run = venv_run(venv, "-c", RUN, str(alone / "00_start_here.ipynb"), cwd=work, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])["00_start_here.ipynb"]
    assert report["errors"] == []
    assert "Everything the course needs is here" in report["text"]
    assert venv_run(venv, "-c", "import backproplab", cwd=work, env=env).returncode == 0
    say(request.config, "colab: with the course missing, 00's setup cell installed it and ran clean")
