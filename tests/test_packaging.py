"""What a plain (non-editable) install ships: the package data the course reads at run time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from backproplab.data import load_digits


def test_digits_ship_in_a_non_editable_install(tmp_path):
    # a plain `pip install .` (no -e) of a clean copy of the sources (no build/ or
    # egg-info left by an earlier build): the data file must be inside the installed package
    root = Path(__file__).resolve().parent.parent
    source = tmp_path / "source"
    shutil.copytree(root / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, source / name)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(source)], check=True, cwd=tmp_path)
    assert (target / "backproplab" / "datasets" / "digits.csv.gz").is_file()
    assert (target / "backproplab" / "datasets" / "README.md").is_file()
    code = ("import backproplab.data as d; X, y = d.load_digits(); "
            "print(d.__file__); print(X.shape, int(y.sum()))")
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONNOUSERSITE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=True).stdout.splitlines()
    assert out[0].startswith(str(target)), f"imported the editable copy: {out[0]}"
    X, y = load_digits()
    assert out[1] == f"{X.shape} {int(y.sum())}"
