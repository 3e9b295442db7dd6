#!/usr/bin/env python3
"""Fill in the course's public address everywhere it is used, in one step.

    python tools/publish.py jane/backprop-lab            # GitHub owner/name
    python tools/publish.py jane/backprop-lab --branch main

The address lives in one place, `[project.urls] Repository` in pyproject.toml (until the
course is published it reads https://github.com/OWNER/REPO). This script changes it
there and in every copy the course needs where pyproject.toml cannot be read: the Binder,
Colab and nbgitpuller links in README.md, and the line in each notebook's setup cell that
installs the course on Google Colab. tests/test_colab.py fails when any copy disagrees
with pyproject.toml. Run it again to move the course to another address or branch.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = re.compile(r'^Repository = "https://github\.com/([\w.-]+/[\w.-]+)"$', re.M)
COLAB_BRANCH = re.compile(r"(colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/)([\w./-]+?)(/notebooks/)")
PULL_BRANCH = re.compile(r"(git-pull\?[^)\s]*?&branch=)([\w./-]+)")


def current_address(root: Path = ROOT) -> str:
    """The owner/name in pyproject.toml's `Repository` URL."""
    found = REPOSITORY.search((root / "pyproject.toml").read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit('pyproject.toml has no line Repository = "https://github.com/OWNER/REPO"')
    return found[1]


def _replace(text: str, old: str, new: str, branch: str | None) -> str:
    old_name, new_name = old.split("/")[1], new.split("/")[1]
    text = text.replace(f"github.com/{old}", f"github.com/{new}")
    text = text.replace(f"mybinder.org/v2/gh/{old}/", f"mybinder.org/v2/gh/{new}/")
    text = text.replace(f"colab.research.google.com/github/{old}/",
                        f"colab.research.google.com/github/{new}/")
    text = text.replace(f"lab/tree/{old_name}/", f"lab/tree/{new_name}/")  # nbgitpuller's folder
    if branch is not None:
        text = COLAB_BRANCH.sub(lambda m: m[1] + branch + m[3], text)
        text = PULL_BRANCH.sub(lambda m: m[1] + branch, text)
    return text


def publish(new: str, branch: str | None = None, root: Path = ROOT) -> list[Path]:
    """Write `new` (owner/name) wherever the course's address is used; return the files changed."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", new):
        raise ValueError(f"give the GitHub path as owner/name (e.g. jane/backprop-lab), got {new!r}")
    old = current_address(root)
    changed = []
    for path in (root / "pyproject.toml", root / "README.md"):
        text = path.read_text(encoding="utf-8")
        updated = _replace(text, old, new, branch)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        setup = next(c for c in nb.cells if c.cell_type == "code")
        updated = _replace(setup.source, old, new, None)
        if updated != setup.source:
            setup.source = updated
            path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            changed.append(path)
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="the repository's GitHub path, owner/name")
    parser.add_argument("--branch", help="the branch the Colab and nbgitpuller links open")
    args = parser.parse_args()
    try:
        changed = publish(args.address, args.branch)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    for path in changed:
        print(f"updated {path.relative_to(ROOT)}")
    print(f"the course's address is now https://github.com/{current_address()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
