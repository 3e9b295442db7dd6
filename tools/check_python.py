"""Is this Python new enough for the course? The first thing `make course` and `make test` run.

    python3 tools/check_python.py          # exit 0, or say what to install and exit 1

The floor is `requires-python` in pyproject.toml (the pinned numpy, matplotlib and
ipykernel need it; tests/test_repo.py holds the two together). Checking it here, before
a virtual environment is made, turns pip's "no matching distribution" into a sentence
that says which Python to get and how. This file must run on old Pythons too, so it
runs on Python 2.7 and 3.x alike and needs no third-party package.
"""

import io
import os
import re
import sys

try:
    from shutil import which
except ImportError:  # Python 2
    def which(name):
        folders = os.environ.get("PATH", "").split(os.pathsep)
        return next((f for f in folders if os.access(os.path.join(f, name), os.X_OK)), None)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HOW_TO_GET = """How to get a suitable Python:
  Ubuntu 22.04 / Debian:  sudo apt-get install python3.11 python3.11-venv
                          (on Ubuntu 20.04 add the deadsnakes PPA first), then
                          make course PYTHON=python3.11
  macOS:                  brew install python@3.12   (or the installer from python.org)
  Windows:                winget install Python.Python.3.12   (or the installer from python.org)
  conda:                  conda create -n backproplab -c conda-forge python=3.12 graphviz"""


def floor():
    """The (major, minor) of requires-python = ">=X.Y" in pyproject.toml."""
    with io.open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as handle:
        match = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', handle.read(), re.M)
    if match is None:
        raise SystemExit('pyproject.toml has no requires-python = ">=X.Y" line')
    return int(match.group(1)), int(match.group(2))


def _runs(path):
    import subprocess

    with open(os.devnull, "w") as devnull:
        try:
            return subprocess.call([path, "--version"], stdout=devnull, stderr=devnull) == 0
        except OSError:
            return False


def suitable_pythons(wanted):
    """Other `pythonX.Y` programs on the PATH that meet the floor, newest first."""
    found = []
    for minor in range(20, wanted[1] - 1, -1):
        name = "python{}.{}".format(wanted[0], minor)
        path = which(name)
        if path and _runs(path):  # a pyenv shim is on the PATH even where it cannot run
            found.append(name)
    return found


def message(version, wanted, others):
    """What to tell someone whose Python is `version`; empty when it is new enough."""
    if tuple(version[:2]) >= wanted:
        return ""
    have = ".".join(str(n) for n in version[:3])
    need = "{}.{}".format(*wanted)
    lines = ["This is Python {} ({}); the course needs Python {} or newer "
             "(its pinned numpy, matplotlib and ipykernel have no builds for older ones)."
             .format(have, sys.executable, need)]
    if others:
        lines.append("This machine also has {}: run  make course PYTHON={}  "
                     "(or make test PYTHON={}).".format(", ".join(others), others[0], others[0]))
    lines.append(HOW_TO_GET)
    lines.append("If a .venv was made with the old Python, remove it first: make clean")
    return "\n".join(lines)


def main():
    text = message(sys.version_info, floor(), suitable_pythons(floor()))
    if text:
        sys.stderr.write(text + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
