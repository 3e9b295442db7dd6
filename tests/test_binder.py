"""Binder builds the course from binder/ alone: rebuild that here as far as one machine can.

What repo2docker (what mybinder.org runs) does, read in its source
(github.com/jupyterhub/repo2docker, repo2docker/buildpacks/, commit 808ae6bb, 2026-08):
- binder/runtime.txt `python-3.11` picks conda/environment.py-3.11-linux-64.lock: a base
  environment with Python 3.11.14, JupyterLab 4.4.9, notebook 7.4.7, jupyter_server 2.17.0,
  ipykernel 7.0.1, ipywidgets 8.1.7, jupyterhub-singleuser 5.4.0 and more, already
  installed. The kernel runs in that same environment (`KERNEL_PYTHON_PREFIX`).
- python/__init__.py: `${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r
  "binder/requirements.txt"`, as the notebook user, in `${REPO_DIR}` (base.py's WORKDIR).
  Because the file holds a local requirement (`-e .`), this runs after the whole
  repository is copied in. With a binder/ folder, repo2docker does not also run
  `pip install .` and ignores pyproject.toml's requires-python.
- base.py: then `chmod +x binder/postBuild` and `./binder/postBuild`, as the notebook
  user, from `${REPO_DIR}`.
So these tests copy the repository as a clone would have it, build a virtual environment
that first holds the base environment's versions (`REPO2DOCKER_BASE`), install
binder/requirements.txt over it from the repository root, fail on any dependency conflict
(`pip check`) or any JupyterLab extension marked broken before running anything, run
postBuild as repo2docker does, and run every notebook in that environment's own kernel
(the outputs are read, never written back). What one machine cannot copy: the conda
packages (pip's wheels of the same versions stand in), Python 3.11.14 (this machine's
3.11 stands in), and the separate notebook user (the tests run as whoever runs them).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_tools import NOTEBOOKS, ROOT, copy_and_venv, say

RUN_ALL = r"""
import json, sys
sys.path.insert(0, "tests")
from notebook_tools import problems, runner

report = {}
for path in runner.notebook_paths():
    nb = runner.execute(path)
    texts = [out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
             for cell in nb.cells for out in cell.get("outputs", [])]
    report[path.name] = {"errors": problems(nb), "text": "\n".join(texts)}
print(json.dumps(report))
"""


def binder_python(request) -> str:
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    version = runtime.removeprefix("python-")
    found = shutil.which(f"python{version}")
    if found:
        return found
    say(request.config, f"binder: no python{version} on this machine; building with "
                        f"Python {sys.version.split()[0]} instead")
    return sys.executable


# repo2docker's base environment for Python 3.11 (conda/environment.py-3.11-linux-64.lock),
# the Jupyter packages binder/requirements.txt is installed on top of
REPO2DOCKER_BASE = [
    "notebook==7.4.7", "jupyterlab==4.4.9", "jupyter_server==2.17.0", "jupyterlab_server==2.27.3",
    "ipykernel==7.0.1", "ipython==9.6.0", "ipywidgets==8.1.7", "jupyterlab_widgets==3.0.15",
    "jupyter-offlinenotebook==0.3.2", "jupyter-resource-usage==1.2.0", "jupyterhub==5.4.0",
]


def pip(venv: Path, *args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "python"), "-m", "pip", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def broken_extensions(listing: str) -> list[str]:
    """The lines of `jupyter labextension list` that report an extension as not working
    (it marks them `X` in red, and lists them again under "may be outdated")."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing)
    bad = re.compile(r"\sX$|is not compatible|incompatible|outdated|not found|error", re.I)
    return [line.strip() for line in plain.splitlines() if bad.search(line.rstrip())]


@pytest.fixture(scope="module")
def binder(tmp_path_factory, request):
    work = tmp_path_factory.mktemp("binder")
    repo, venv, env = copy_and_venv(work, binder_python(request))
    base = pip(venv, "install", "-q", *REPO2DOCKER_BASE, cwd=work, env=env)
    assert base.returncode == 0, f"could not install repo2docker's base versions:\n{base.stderr[-3000:]}"
    # as repo2docker does: from the repository root, binder/requirements.txt over the base
    # (it adds --no-cache-dir, which changes only what pip keeps afterwards)
    install = pip(venv, "install", "-q", "-r", "binder/requirements.txt", cwd=repo, env=env)
    assert install.returncode == 0, f"pip install -r binder/requirements.txt failed:\n{install.stderr[-3000:]}"
    # pip installs over a conflict with only a warning; Binder's JupyterLab then breaks
    check = pip(venv, "check", cwd=repo, env=env)
    assert check.returncode == 0, (
        "binder/requirements.txt conflicts with repo2docker's base environment "
        f"({' '.join(REPO2DOCKER_BASE[:2])} ...):\n{check.stdout}{check.stderr}")
    # then, still from the root, binder/postBuild, made executable and run by its #! line
    (repo / "binder" / "postBuild").chmod(0o755)
    post = subprocess.run(["./binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert post.returncode == 0, f"binder/postBuild failed:\n{post.stderr[-3000:]}"
    listing = subprocess.run([str(venv / "bin" / "jupyter"), "labextension", "list"],
                             cwd=repo, env=env, capture_output=True, text=True)
    text = listing.stdout + listing.stderr
    assert listing.returncode == 0 and broken_extensions(text) == [], (
        f"JupyterLab on Binder would show broken extensions:\n{text}")
    return repo, venv, env


def test_broken_extension_lines_are_recognised():
    # what `jupyter labextension list` printed when notebook 7.4.7 met JupyterLab 4.6.6
    listing = (
        "JupyterLab v4.6.6\n"
        "        jupyter-offlinenotebook v0.3.2 \x1b[32menabled\x1b[0m \x1b[32mOK\x1b[0m\n"
        "        @jupyter-notebook/lab-extension v7.4.7 \x1b[32menabled\x1b[0m \x1b[31m X\x1b[0m\n"
        "        @jupyter-widgets/jupyterlab-manager v5.0.16 \x1b[32menabled\x1b[0m "
        "\x1b[32mOK\x1b[0m (python, jupyterlab_widgets)\n\n\n"
        "   The following extensions may be outdated or specify dependencies that are "
        "incompatible with the current version of jupyterlab:\n"
        "        @jupyter-notebook/lab-extension\n")
    found = broken_extensions(listing)
    assert any("@jupyter-notebook/lab-extension v7.4.7" in line for line in found)
    assert not any("jupyterlab-manager" in line for line in found)


def test_binder_jupyterlab_shows_no_news_popup(binder):
    _repo, venv, _env = binder
    overrides = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_binder_folder_has_what_repo2docker_reads():
    binder_dir = ROOT / "binder"
    assert (binder_dir / "requirements.txt").is_file()
    assert (binder_dir / "runtime.txt").read_text(encoding="utf-8").strip().startswith("python-3.")
    assert "graphviz" in (binder_dir / "apt.txt").read_text(encoding="utf-8").split()
    lines = [line.split("#")[0].strip() for line in
             (binder_dir / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    # pip runs from the repository root, so "." is the repository: the course's own code
    assert "-e ." in lines, "binder/requirements.txt must install the course code (`-e .`)"


def test_apt_packages_give_the_programs_the_course_uses():
    # on Binder apt.txt installs graphviz; here it must already be installed (make test does it)
    assert shutil.which("dot"), "graphviz's `dot` is missing: install the packages in binder/apt.txt"


def test_binder_environment_has_jupyterlab_with_the_widget_extension(binder):
    repo, venv, env = binder
    listing = subprocess.run([str(venv / "bin" / "jupyter"), "labextension", "list"],
                             cwd=repo, env=env, capture_output=True, text=True)
    text = listing.stdout + listing.stderr
    line = next((l for l in text.splitlines() if "@jupyter-widgets/jupyterlab-manager" in l), "")
    assert "enabled" in line and "OK" in line, f"widget extension not enabled:\n{text}"


def test_every_notebook_runs_clean_in_the_binder_environment(binder, request):
    repo, venv, env = binder
    run = subprocess.run([str(venv / "bin" / "python"), "-c", RUN_ALL], cwd=repo, env=env,
                         capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(report) == sorted(p.name for p in NOTEBOOKS)
    assert {name: r["errors"] for name, r in report.items() if r["errors"]} == {}
    check = report["00_start_here.ipynb"]["text"]
    # the environment check, run in Binder's kernel, finds everything and says so
    assert "Everything the course needs is here" in check, check
    assert "✗" not in check
    assert "imported from this course's src/" in check
    assert "there is no course .venv here" in check
    say(request.config, f"binder: {len(report)} notebooks ran clean in a fresh environment "
                        "built as repo2docker does: its base versions, then binder/")


def test_readme_launch_links_open_jupyterlab_on_existing_notebooks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s\"']+", readme)
    assert links, "README has no Binder launch link"
    for link in links:
        match = re.search(r"urlpath=lab/tree/([^&)\s]+)", link)
        assert match, f"{link} does not open JupyterLab (urlpath=lab/tree/...)"
        assert (ROOT / match[1]).is_file(), f"{link} opens {match[1]}, which does not exist"
