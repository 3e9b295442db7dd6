"""Every notebook runs clean in a fresh kernel, and its stored outputs are that run's outputs.

A learner who opens a notebook on GitHub reads the stored outputs; one who runs it gets
fresh ones. Both must agree, and neither may show an error. The stored outputs are made
by `make notebooks` (tools/run_notebooks.py), whose `execute` and `normalize` these
tests use, so "current" means byte for byte what that script would write now, on any
machine: text, HTML, SVG and PNG images alike, with no tolerance.

Exact bytes across machines are possible because the script starts every kernel with
numpy on its baseline code paths (numpy otherwise picks vectorised `exp`, `tanh`... by
CPU, and 01's round-off plot shows their last bit), with matplotlib's and IPython's
defaults and a fixed hash seed. Exact is also what keeps the check strict: a figure
whose code changed differs in some pixel, and a tolerance wide enough for another CPU's
round-off (about 1.6 % of the pixels of 01's error plot, measured with AVX-512 against
AVX2) would let a changed title or line through. `TestOtherMachines` runs every
notebook as other machines would (other CPU features, locale, timezone, hash seed,
BLAS threads, a user's matplotlib and IPython configuration) and wants the same bytes.
On other processor families (arm64) numpy and the C library have other code paths;
there a round-off plot can differ in the last bit, which this check reports as stale.
"""

from __future__ import annotations

import base64
import io
import time

import nbformat
import pytest

from notebook_tools import NOTEBOOKS, ROOT, ids, problems, runner, say

TIMES: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def report_total_time(request):
    yield
    if TIMES:
        total = sum(TIMES.values())
        slowest = max(TIMES, key=TIMES.get)
        say(request.config, f"notebooks: {len(TIMES)} executed in {total:.1f} s in all "
                            f"(target: under 120 s); slowest {slowest} {TIMES[slowest]:.1f} s")


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb found"
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stored_outputs_are_clean(path):
    stored = nbformat.read(path, as_version=4)
    assert problems(stored) == []
    unrun = [i for i, c in enumerate(stored.cells) if c.cell_type == "code" and c.execution_count is None]
    assert unrun == [], f"code cells stored without being run: {unrun} (run `make notebooks`)"


def stale_cells(stored: str, fresh: nbformat.NotebookNode) -> list[int] | None:
    """None when the stored notebook is byte for byte the fresh run, else the cells that
    differ ([] when only the metadata does)."""
    if stored == nbformat.writes(fresh) + "\n":
        return None
    old = nbformat.reads(stored, as_version=4)
    return [i for i, (a, b) in enumerate(zip(old.cells, fresh.cells))
            if a.get("outputs") != b.get("outputs") or a.source != b.source]


def assert_current(path, fresh, where: str = "") -> None:
    assert problems(fresh) == [], f"{path.name} shows errors when run in a fresh kernel{where}"
    changed = stale_cells(path.read_text(encoding="utf-8"), fresh)
    if changed is not None:
        pytest.fail(
            f"{path.name}: the stored outputs are not what a fresh run gives{where} "
            f"(cells {changed or 'metadata'} differ). Regenerate them with "
            f"`.venv/bin/python tools/run_notebooks.py notebooks/{path.name}`; if they "
            "still change between two runs, something in the output is not deterministic."
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_clean_and_stored_outputs_are_current(path):
    start = time.perf_counter()
    fresh = runner.execute(path)
    TIMES[path.stem] = time.perf_counter() - start
    assert_current(path, fresh)


# Other machines, as one machine can play them. numpy's names for its CPU levels on x86-64
# (numpy.show_runtime() lists them): X86_V3 is AVX2, X86_V4 and AVX512_* are AVX-512.
# Each setting also changes what else differs between laptops; none may change a byte.
OTHER_MACHINES = {
    "avx2-only": {
        "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
        "PYTHONHASHSEED": "random", "TZ": "Pacific/Chatham", "LC_ALL": "C", "LANG": "C",
        "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2",
    },
    "baseline-only": {
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
        "PYTHONHASHSEED": "12345", "TZ": "America/St_Johns", "LC_ALL": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
    },
}
# a user's own settings, which the scripted run must not pick up
USER_MATPLOTLIBRC = "font.family: serif\nlines.linewidth: 3\nfigure.dpi: 50\n"
USER_IPYTHON_STARTUP = ("import matplotlib\nmatplotlib.rcParams['axes.facecolor'] = 'lightyellow'\n"
                        "print('hello from my IPython startup file')\n")


@pytest.fixture(scope="module")
def user_config(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    (home / "mpl").mkdir()
    (home / "mpl" / "matplotlibrc").write_text(USER_MATPLOTLIBRC, encoding="utf-8")
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-mine.py").write_text(USER_IPYTHON_STARTUP, encoding="utf-8")
    return home


@pytest.mark.parametrize("machine", sorted(OTHER_MACHINES))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
class TestOtherMachines:
    def test_stored_outputs_are_current_there(self, path, machine, monkeypatch, user_config):
        for name, value in OTHER_MACHINES[machine].items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("MPLCONFIGDIR", str(user_config / "mpl"))
        monkeypatch.setenv("IPYTHONDIR", str(user_config / "ipython"))
        assert_current(path, runner.execute(path), where=f" on a machine with {machine} settings")


PROBE = """
from numpy._core import _multiarray_umath as umath
import matplotlib
print(sorted(f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)))
print(matplotlib.rcParams["lines.linewidth"], matplotlib.rcParams["font.family"])
"""


def test_kernel_runs_numpy_baseline_code_and_default_settings(tmp_path, monkeypatch, user_config):
    # how the bytes stay the same: whatever the CPU and the user's configuration, the
    # kernel's numpy uses none of its CPU-specific code and matplotlib its own defaults
    monkeypatch.setenv("MPLCONFIGDIR", str(user_config / "mpl"))
    monkeypatch.setenv("IPYTHONDIR", str(user_config / "ipython"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    nbformat.write(nb, tmp_path / "probe.ipynb")
    ran = runner.execute(tmp_path / "probe.ipynb")
    text = "".join(o.get("text", "") for o in ran.cells[0].outputs)
    assert problems(ran) == []
    assert text.splitlines() == ["[]", "1.5 ['sans-serif']"], text
    assert runner.numpy_dispatch_targets(), "this numpy lists no CPU dispatch targets"


def test_a_figure_that_differs_by_one_pixel_is_stale():
    # a figure whose code changed must fail the check, however small the change
    from PIL import Image

    path = ROOT / "notebooks" / "01_derivatives.ipynb"
    stored = path.read_text(encoding="utf-8")
    nb = nbformat.reads(stored, as_version=4)
    index, output = next((i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
                         if "image/png" in o.get("data", {}))
    image = Image.open(io.BytesIO(base64.b64decode(output.data["image/png"]))).convert("RGBA")
    r, g, b, a = image.getpixel((10, 10))
    image.putpixel((10, 10), ((r + 1) % 256, g, b, a))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    output.data["image/png"] = base64.b64encode(buf.getvalue()).decode() + "\n"
    assert stale_cells(stored, nb) == [index]
    assert stale_cells(stored, nbformat.reads(stored, as_version=4)) is None
