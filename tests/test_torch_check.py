"""`make torch-check` finds the notebooks' PyTorch cells, runs them and fails on a wrong quote.

PyTorch is not installed here: the made-up notebooks' snippets are plain Python, which
`tools/torch_check.py` runs exactly as it runs a PyTorch one (one fresh process per
notebook, in an empty folder), so the finding and comparing are tested without it."""

from __future__ import annotations

import importlib.util
import sys

import nbformat
import pytest

from notebook_tools import ROOT


def _load_torch_check():
    spec = importlib.util.spec_from_file_location("torch_check", ROOT / "tools" / "torch_check.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tc = _load_torch_check()
COURSE = {"05": ROOT / "notebooks" / "05_neuron.ipynb", "06": ROOT / "notebooks" / "06_mlp.ipynb"}

SNIPPET = 'x = 2.0 / 3.0\nprint(f"o = {x:.4f}")\nprint(f"x.grad = {-x * 3:.4f}")'
PRINTED = "o = 0.6667\nx.grad = -2.0000"


def torch_cell(code: str, quoted: str, tags=("torch",)) -> nbformat.NotebookNode:
    source = f"In PyTorch:\n\n```python\n{code}\n```\n\nPyTorch printed:\n\n```text\n{quoted}\n```"
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)})


def notebook(tmp_path, *cells, name="99_made_up.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A made-up notebook"),
                nbformat.v4.new_code_cell("print(1)"), *cells]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def check(path):
    return tc.check_notebooks([path], sys.executable, log=lambda line: None)


def test_a_matching_quote_passes(tmp_path):
    assert check(notebook(tmp_path, torch_cell(SNIPPET, PRINTED))) == []


def test_a_changed_digit_fails_naming_the_cell_and_both_numbers(tmp_path):
    cell = torch_cell(SNIPPET, "o = 0.6667\nx.grad = -2.0001")
    path = notebook(tmp_path, torch_cell(SNIPPET, PRINTED), cell)
    problems = check(path)
    assert len(problems) == 1
    assert f"99_made_up.ipynb, cell 3 (id {cell.id})" in problems[0]
    assert "line 2: quoted -2.0001, PyTorch gives -2.0000" in problems[0]


def test_a_snippet_that_raises_fails_with_its_error(tmp_path):
    code = 'print("o = 0.6667")\nraise ValueError("the weights do not fit")'
    problems = check(notebook(tmp_path, torch_cell(code, "o = 0.6667")))
    assert len(problems) == 1
    assert "cell 2" in problems[0] and "did not run" in problems[0]
    assert "ValueError: the weights do not fit" in problems[0]


def test_changed_words_and_missing_or_extra_lines_fail():
    assert tc.compare("o = 0.6667", "o = 0.6667") == []
    assert tc.compare("o = 0.6667\n", "o = 0.6667\n\n") == []  # trailing blank lines only
    assert tc.compare("w1.grad = 1.0", "w2.grad = 1.0") == [
        "line 1: quoted 'w1.grad = 1.0', PyTorch printed 'w2.grad = 1.0'"]
    assert tc.compare("a 1\nb 2", "a 1") == ["line 2: quoted 'b 2', PyTorch printed nothing there"]
    assert tc.compare("a 1", "a 1\nb 2") == ["line 2: PyTorch printed 'b 2', which the quote does not have"]
    assert tc.compare("0.5 1.0", "0.5000 1.0") == ["line 1: quoted 0.5, PyTorch gives 0.5000"]
    assert tc.compare("grad -1.5", "grad 1.5") == ["line 1: quoted -1.5, PyTorch gives 1.5"]


def test_a_notebooks_cells_share_one_session_and_each_notebook_starts_fresh(tmp_path):
    first = torch_cell("import os\nshared = 1\nprint(os.listdir('.'))", "[]")  # an empty folder
    second = torch_cell("print(shared + 1)", "2")  # an earlier cell's name, as in one session
    fresh = torch_cell("print('shared' in globals())", "False")
    paths = [notebook(tmp_path, first, second), notebook(tmp_path, fresh, name="98_other.ipynb")]
    assert tc.check_notebooks(paths, sys.executable, log=lambda line: None) == []


def test_cells_after_one_that_raises_are_reported_as_not_run(tmp_path):
    cells = [torch_cell(SNIPPET, PRINTED), torch_cell("1 / 0", "1"), torch_cell(SNIPPET, PRINTED)]
    problems = check(notebook(tmp_path, *cells))
    assert len(problems) == 2
    assert "cell 3" in problems[0] and "ZeroDivisionError: division by zero" in problems[0]
    assert "cell 4" in problems[1] and "not run: an earlier PyTorch cell" in problems[1]


def test_pytorch_code_without_the_tag_is_an_error(tmp_path):
    untagged = torch_cell("import torch\nprint(torch.ones(1))", "tensor([1.])", tags=())
    problems = check(notebook(tmp_path, untagged))
    assert len(problems) == 1 and "has no `torch` tag" in problems[0] and "cell 2" in problems[0]


def test_a_code_cell_that_imports_torch_is_an_error(tmp_path):
    path = notebook(tmp_path, nbformat.v4.new_code_cell("import torch\ntorch.ones(1)"))
    problems = check(path)
    assert len(problems) == 1 and "a code cell imports torch" in problems[0]


@pytest.mark.parametrize("source", [
    "```python\nprint(1)\n```",                              # no quoted output
    "```text\n1\n```\n\n```python\nprint(1)\n```",          # output before the code
    "```python\nprint(1)\n```\n```python\nprint(2)\n```\n```text\n1\n```",
])
def test_a_tagged_cell_needs_its_code_then_its_output(tmp_path, source):
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": ["torch"]})
    problems = check(notebook(tmp_path, cell))
    assert len(problems) == 1 and "needs one ```python block" in problems[0]


def test_no_pytorch_cells_at_all_is_an_error(tmp_path):
    problems = check(notebook(tmp_path))
    assert problems == ["no PyTorch cells (markdown cells tagged `torch`) in "
                        f"{tmp_path / '99_made_up.ipynb'}"]


@pytest.mark.parametrize("number", sorted(COURSE))
def test_the_course_shows_pytorch_in_05_and_06_as_static_cells(number):
    cells = tc.find_torch_cells(COURSE[number])  # raises if a cell is malformed or untagged
    assert cells, f"notebook {number} has no PyTorch cell"
    nb = nbformat.read(COURSE[number], as_version=4)
    summary = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Summary"))
    assert "import torch" in cells[0].code
    ends = [c.index for c in cells[1:]] + [summary]
    for cell, end in zip(cells, ends):
        assert cell.quoted.strip() and cell.index < summary
        # the engine's side is computed live, in a code cell before the next PyTorch cell
        live = [c for c in nb.cells[cell.index + 1:end] if c.cell_type == "code"]
        assert live and live[0].outputs, f"{cell.where}: no live engine cell after it"
