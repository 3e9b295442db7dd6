"""Binder builds the course from binder/ alone: rebuild that here as far as one machine can.

repo2docker (what mybinder.org runs) installs the apt packages in binder/apt.txt, the
Python of binder/runtime.txt, then runs `pip install -r binder/requirements.txt` from
the repository root, and starts JupyterLab from that environment. These tests copy the
repository as a clone would have it, build a fresh virtual environment from
binder/requirements.txt alone, and run every notebook in that environment's own kernel
(the outputs are read, never written back).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notebook_tools import NOTEBOOKS, ROOT, say

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


def clean_env(work: Path) -> dict[str, str]:
    """The environment of a fresh machine: nothing from this checkout's .venv leaks in."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"} and not k.startswith("JUPYTER")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(ROOT / ".venv")))
    env.update(JUPYTER_DATA_DIR=str(work / "data"), JUPYTER_CONFIG_DIR=str(work / "config"),
               JUPYTER_RUNTIME_DIR=str(work / "runtime"), IPYTHONDIR=str(work / "ipython"))
    return env


def repository_files() -> list[str]:
    """What a clone holds: the tracked files (plus new ones not yet committed)."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if (ROOT / f).is_file()]


def binder_python(request) -> str:
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    version = runtime.removeprefix("python-")
    found = shutil.which(f"python{version}")
    if found:
        return found
    say(request.config, f"binder: no python{version} on this machine; building with "
                        f"Python {sys.version.split()[0]} instead")
    return sys.executable


@pytest.fixture(scope="module")
def binder(tmp_path_factory, request):
    work = tmp_path_factory.mktemp("binder")
    repo = work / "repo"
    for name in repository_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    venv = work / "venv"
    env = clean_env(work)
    subprocess.run([binder_python(request), "-m", "venv", str(venv)], check=True, env=env)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env["PATH"]])
    # as repo2docker does: from the repository root, binder/requirements.txt alone
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
        cwd=repo, env=env, capture_output=True, text=True)
    assert install.returncode == 0, f"pip install -r binder/requirements.txt failed:\n{install.stderr[-3000:]}"
    # then, still from the root, binder/postBuild
    post = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert post.returncode == 0, f"binder/postBuild failed:\n{post.stderr[-3000:]}"
    return repo, venv, env


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
                        "built from binder/ alone")


def test_readme_launch_links_open_jupyterlab_on_existing_notebooks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s\"']+", readme)
    assert links, "README has no Binder launch link"
    for link in links:
        match = re.search(r"urlpath=lab/tree/([^&)\s]+)", link)
        assert match, f"{link} does not open JupyterLab (urlpath=lab/tree/...)"
        assert (ROOT / match[1]).is_file(), f"{link} opens {match[1]}, which does not exist"
