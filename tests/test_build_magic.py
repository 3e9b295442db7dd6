"""Where the learner's engine lives: `%%build` saves each piece in `my_engine.py`, a
later notebook loads it, a stub falls back to the course's version, and the checks
notice a notebook's stale state. One test runs the magic in a real Jupyter kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from backproplab import build

REF = {name: piece.reference for name, piece in build.PIECES.items()}

STUB_TOPO = '''\
def topo_sort(root):
    """Every value root was computed from, each after its inputs; root comes last."""
    ...
'''

# the learner's own Value: the course's, with a mark of their own
MINE = REF["value"].replace('    """A number that remembers how it was made."""',
                            '    """My Value."""\n    made_by = "me"')


def notebook_ns() -> dict:
    ns: dict = {"__name__": "__main__"}
    exec("import math, random", ns)
    return ns


def headers(path: Path) -> list[str]:
    return build._HEADER.findall(path.read_text(encoding="utf-8"))


def test_a_piece_is_saved_checked_and_replaced(tmp_path, capsys):
    ns = notebook_ns()
    result = build.build_cell("value", MINE, ns, tmp_path)
    assert result.correct
    out = capsys.readouterr().out
    assert out.startswith("✓ value:")
    assert ns["Value"].made_by == "me"
    path = tmp_path / build.ENGINE_FILE
    assert [h[0] for h in headers(path)] == ["value"]
    assert 'made_by = "me"' in path.read_text()
    # running the cell again with other code replaces the piece, it is not added twice
    again = MINE.replace('made_by = "me"', 'made_by = "me, again"')
    build.build_cell("value", again, ns, tmp_path)
    text = path.read_text()
    assert [h[0] for h in headers(path)] == ["value"]
    assert "me, again" in text and 'made_by = "me"\n' not in text


def test_the_file_keeps_course_order_and_runs_on_its_own(tmp_path, capsys):
    ns = notebook_ns()
    # run out of order: backward's cell before topo's
    for name in ["value", "add_mul_backward", "backward", "topo"]:
        build.build_cell(name, MINE if name == "value" else REF[name], ns, tmp_path)
    assert "name 'topo_sort' is not defined" in capsys.readouterr().out  # backward ran first
    assert build.build_cell("backward", REF["backward"], ns, tmp_path)
    path = tmp_path / build.ENGINE_FILE
    assert [h[0] for h in headers(path)] == ["value", "add_mul_backward", "topo", "backward"]
    script = ("import my_engine as e\n"
              "a = e.Value(2.0); b = e.Value(-3.0); L = a * b + a\n"
              "L.backward()\n"
              "print(e.Value.made_by, L.data, a.grad, b.grad)\n")
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["me", "-4.0", "-2.0", "2.0"]
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def test_a_stub_says_so_and_uses_the_course_version(tmp_path, capsys):
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    capsys.readouterr()
    assert build.build_cell("topo", STUB_TOPO, ns, tmp_path) is None
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("`topo` is not written yet")
    a = ns["Value"](1.0)
    assert ns["topo_sort"](a + a)[-1]._op == "+"  # the course's version runs
    status = dict((h[0], h[2]) for h in headers(tmp_path / build.ENGINE_FILE))
    assert status["topo"] == "the course's version"


def test_a_partly_written_piece_names_what_is_left(tmp_path, capsys):
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    capsys.readouterr()
    half = REF["div_sub"].replace("    return other * self**-1", "    ...")
    exec(REF["add_mul_backward"] + REF["pow"], ns)
    build.build_cell("div_sub", half, ns, tmp_path)
    out = capsys.readouterr().out
    assert "`__rtruediv__` still `...`" in out
    assert (2 / ns["Value"](4.0)).data == 0.5  # the course's version is in place


def test_a_later_notebook_loads_what_the_learner_wrote(tmp_path, capsys):
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    build.build_cell("add_mul_backward", REF["add_mul_backward"], ns, tmp_path)
    capsys.readouterr()
    fresh = notebook_ns()
    build.load("05", fresh, tmp_path)
    out = capsys.readouterr().out
    assert "2 of 5 pieces from notebooks before 05 are yours" in out
    assert "topo: the course's version (not written yet)" in out
    assert fresh["Value"].made_by == "me"  # theirs, not a fresh copy
    a = fresh["Value"](3.0)
    L = a * a + a
    L.backward()
    assert a.grad == 7.0
    # the course's versions of the missing pieces are now in the file, in order
    assert [h[0] for h in headers(tmp_path / build.ENGINE_FILE)] == [
        "value", "trace", "add_mul_backward", "topo", "backward"]


def test_loading_notes_a_piece_that_failed_and_one_that_no_longer_runs(tmp_path, capsys):
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    wrong = REF["add_mul_backward"].replace("self.grad += 1.0 * out.grad", "self.grad = 1.0 * out.grad")
    assert not build.build_cell("add_mul_backward", wrong, ns, tmp_path)
    path = tmp_path / build.ENGINE_FILE
    text = path.read_text()
    assert "add_mul_backward (notebook 04): yours, check not passed yet" in text
    path.write_text(text.replace('made_by = "me"', 'made_by = undefined_name'))
    capsys.readouterr()
    fresh = notebook_ns()
    build.load("05", fresh, tmp_path)
    out = capsys.readouterr().out
    assert "value: yours raised NameError" in out and "using the course's version" in out
    assert "add_mul_backward: yours (its check did not pass yet)" in out
    assert "undefined_name" in path.read_text()  # the learner's code is kept to fix


def test_a_cell_that_raises_or_does_not_parse_is_not_saved(tmp_path, capsys):
    ns = notebook_ns()
    result = build.build_cell("value", "class Value:\n    x = 1 / 0\n", ns, tmp_path)
    assert not result
    assert "ZeroDivisionError" in capsys.readouterr().out
    result = build.build_cell("value", "class Value:\n    def f(self:\n        pass\n", ns, tmp_path)
    assert not result and result.kind == "syntax"
    assert "syntax error on line 2" in capsys.readouterr().out
    assert not (tmp_path / build.ENGINE_FILE).exists()


def test_an_unknown_piece_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="there is no piece 'vlaue'; the pieces are: value"):
        build.build_cell("vlaue", MINE, notebook_ns(), tmp_path)


def test_a_failing_check_shows_the_smallest_graph(tmp_path, capsys):
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    shown = []
    no_visited = REF["topo"].replace("        if v not in visited:\n            visited.add(v)\n", "        if True:\n")
    result = build.build_cell("topo", no_visited, ns, tmp_path, show=shown.append)
    assert not result and result.kind == "duplicates"
    assert shown == [result.graph]
    assert "`out = a + a`" in result.message
    assert result.graph.value_count == 2  # a + a: a and the output


def test_a_check_stops_code_that_never_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "TIME_LIMIT", 0.5)
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    result = build.build_cell("topo", "def topo_sort(root):\n    while True:\n        pass\n", ns, tmp_path)
    assert not result and result.kind == "time"


def test_notebook_state_an_older_class_and_a_second_backward(tmp_path, capsys):
    ns = notebook_ns()
    for name in ["value", "add_mul_backward", "topo", "backward"]:
        build.build_cell(name, REF[name], ns, tmp_path)
    exec("a = Value(2.0); b = Value(-3.0); L = a * b + a\nL.backward(); L.backward()", ns)
    notes = build.check_state(ns)
    assert any("`L`'s graph are what 2 calls of backward() give" in n for n in notes), notes
    exec("x = Value(1.0)", ns)
    capsys.readouterr()
    build.build_cell("value", REF["value"], ns, tmp_path)  # the class is made again
    out = capsys.readouterr().out
    # one note names every value the older class made (a, b, L, x), not one note each
    stale = [line for line in out.splitlines() if "older version of your Value class" in line]
    assert len(stale) == 1 and all(f"`{v}`" in stale[0] for v in ("a", "b", "L", "x")), out
    assert stale[0].startswith("Note: `a`, `b`, `L`, `x` were made by an older version"), out
    for name in ["add_mul_backward", "backward"]:  # the new class needs them again
        build.build_cell(name, REF[name], ns, tmp_path)
    exec("a = Value(2.0); b = Value(-3.0); x = Value(1.0); L = a * b + a", ns)
    assert build.check_state(ns) == []  # all made again, no backward() yet
    exec("L.backward()", ns)
    assert build.check_state(ns) == []  # one backward() is no news


def test_outside_ipython_start_says_how_to_build(tmp_path, capsys):
    ns = notebook_ns()
    build.build_cell("value", MINE, ns, tmp_path)
    capsys.readouterr()
    env = {"__name__": "plain", "build": build, "folder": tmp_path}
    exec("build.start('04', folder)", env)
    out = capsys.readouterr().out
    assert "needs Jupyter (IPython)" in out and "build_cell" in out
    assert env["Value"].made_by == "me"


def test_the_magic_in_a_real_kernel(tmp_path):
    """03 writes `value` (and leaves `add_mul_backward` a stub); 04 loads both."""
    nb03 = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from backproplab import build\nbuild.start('03')"),
        nbformat.v4.new_code_cell("%%build value\n" + MINE),
        nbformat.v4.new_code_cell("a = Value(2.0) * 3 + 1\nprint(a.data, type(a).made_by)"),
    ])
    nb04 = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from backproplab import build\nbuild.start('04')"),
        nbformat.v4.new_code_cell("%%build add_mul_backward\ndef __add__(self, other):\n    ...\n"),
        nbformat.v4.new_code_cell("%%build topo\n" + REF["topo"].replace("visited.add(v)", "pass")),
        nbformat.v4.new_code_cell("%%build nothing\nx = 1\n"),
        nbformat.v4.new_code_cell("print(type(Value(1.0)).made_by, len(topo_sort(Value(1.0) + 2)))"),
        nbformat.v4.new_code_cell("build.TIME_LIMIT = 1\n"),
        nbformat.v4.new_code_cell("%%build topo\ndef topo_sort(root):\n    while True:\n        pass\n"),
    ])
    for nb in (nb03, nb04):
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()

    def text(cell):
        return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")

    assert text(nb03.cells[1]).startswith("✓ value:")
    assert text(nb03.cells[2]) == "7.0 me\n"
    assert "value: yours" not in text(nb04.cells[0])  # a piece that is theirs and passed needs no line
    assert "1 of 2 pieces from notebooks before 04 are yours" in text(nb04.cells[0])
    assert text(nb04.cells[1]).startswith("`add_mul_backward` is not written yet")
    assert text(nb04.cells[2]).startswith("✗ topo:")
    assert any("image/svg+xml" in o.get("data", {}) for o in nb04.cells[2].outputs)  # the drawing
    assert text(nb04.cells[3]).startswith("`%%build` needs a piece's name")
    assert text(nb04.cells[4]) == "me 3\n"
    # the time limit works in a kernel too: a check of code that never ends stops
    assert text(nb04.cells[6]).startswith("✗ topo: the check stopped after 1 seconds")
    assert not any(o.output_type == "error" for nb in (nb03, nb04) for c in nb.cells for o in c.outputs)
    assert (tmp_path / build.ENGINE_FILE).exists()


def test_run_all_on_the_stubs_never_stops_and_leaves_a_working_engine(tmp_path, capsys):
    """A fresh clone: every piece's cell is still its stub. Each says so in one line,
    the course's versions take their place, and every check then passes."""
    ns = notebook_ns()
    for name in build.PIECE_NAMES:
        stub = build.stub_source(name)
        assert build.is_stub_source(stub), name
        assert build.build_cell(name, stub, ns, tmp_path) is None
        lines = capsys.readouterr().out.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"`{name}` is not written yet"), lines
    for name in build.PIECE_NAMES:
        assert build.check_piece(name, ns).correct, name
    statuses = {h[0]: h[2] for h in headers(tmp_path / build.ENGINE_FILE)}
    assert statuses == {name: "the course's version" for name in build.PIECE_NAMES}


def test_the_reference_is_not_a_stub_and_solution_prints_it(capsys):
    for name in build.PIECE_NAMES:
        assert not build.is_stub_source(build.PIECES[name].reference), name
    build.solution("topo")
    assert "def build_topo(v):" in capsys.readouterr().out


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, capsys, monkeypatch):
    def refuse(path, pieces):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(build, "_write_pieces", refuse)
    ns = notebook_ns()
    assert build.build_cell("value", MINE, ns, tmp_path)
    out = capsys.readouterr().out
    assert "Could not save my_engine.py (PermissionError" in out
    assert ns["Value"].made_by == "me"  # the code still runs in the notebook


def test_loading_earlier_pieces_gives_the_notebook_math_and_random(tmp_path, capsys):
    """The course's pieces call math.tanh and random.uniform (my_engine.py imports both at
    its top): a notebook whose setup cell imports neither still runs them."""
    from backproplab import build

    namespace: dict = {}
    build.load("07", namespace, folder=tmp_path)
    random_module, math_module = namespace["random"], namespace["math"]
    random_module.seed(0)
    model = namespace["MLP"](2, [3, 1])
    assert math_module.isfinite(model([1.0, -1.0]).data)
