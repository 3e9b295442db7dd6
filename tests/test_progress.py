"""progress(): what a learner sees of where they stand, from the checks run in this kernel."""

from __future__ import annotations

import pytest

from backproplab.exercises import nb01, nb02, progress, report
from course_text import PROGRESS_SUMMARY, RIGHT_MARK


def status(notebook, exercise):
    return next(r.status for r in report(notebook) if r.exercise == exercise)


def test_every_exercise_of_the_course_is_listed():
    rows = report()
    assert {r.notebook for r in rows} >= {f"nb0{i}" for i in range(1, 8)}
    assert len(rows) >= 22
    assert all(r.status in ("right", "wrong", "not answered") for r in rows)


def test_the_last_check_decides_the_status(capsys):
    nb01.partial_slopes.check((19, 12, 2))
    assert status("nb01", "partial_slopes") == "wrong"
    nb01.partial_slopes.check((19, -12, 2))
    assert status("nb01", "partial_slopes") == "right"
    nb01.partial_slopes.check(...)
    assert status("nb01", "partial_slopes") == "not answered"


def test_the_table_says_how_many_are_right(capsys):
    for module in (nb01, nb02):  # start from nothing answered
        for name in module.__all__:
            getattr(module, name).check(...)
    nb01.partial_slopes.check((19, -12, 2))
    nb02.composition_slope.check(1e9)
    table = progress(["nb01", "nb02"])
    text = repr(table)
    assert text.splitlines()[0] == PROGRESS_SUMMARY.format(right=1, total=7, wrong=1,
                                                           unanswered=5)
    assert f"{RIGHT_MARK} nb01.partial_slopes" in text
    html = table._repr_html_()
    assert "Partial slopes" in html and "right" in html
    assert table.counts()["right"] == sum(r.status == "right" for r in table.rows)


def test_an_unknown_notebook_is_a_clear_error():
    with pytest.raises(ValueError, match="no exercises named 'nb99'.*nb01"):
        progress("nb99")
