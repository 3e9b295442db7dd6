"""Notebook 07 in a real browser with the learner's engine complete: every piece of
notebooks 03-06 written (the reference solution) and passing in `my_engine.py` beside the
notebook. Run All, then Play in the training dashboard: the learner's own MLP trains to
100% accuracy on the page, and the dashboard's status line stays on one line at 1280 px."""

from __future__ import annotations

import math
import random
import re
import shutil

import pytest

from backproplab.build import ENGINE_FILE, PIECES, Workspace
from browser_support import JupyterLab
from course_text import (DASHBOARD_ACCURACY, DASHBOARD_RATE, DASHBOARD_STARTING_RATE, DASHBOARD_STEP,
                         PIECES_YOURS, STEP_BUTTON)
from notebook_tools import ROOT
from test_browser import NOTEBOOK, page_errors, run_all, screenshot, wait_for_kernel_idle, widget_outputs

NAME = "07_training.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    notebooks = tmp_path_factory.mktemp("solved-notebooks")
    shutil.copy2(ROOT / "notebooks" / NAME, notebooks / NAME)
    # the learner's engine file after notebooks 03-06 with every piece written and passing
    space = Workspace({"math": math, "random": random}, notebooks)
    for name, piece in PIECES.items():
        result = space.build(name, piece.reference)
        assert result is not None and result.correct, f"{name}: {result}"
    server = JupyterLab(notebooks, tmp_path_factory.mktemp("jupyterlab-solved"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(lab, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    lab.shut_down_kernels()


def test_the_dashboard_trains_the_learners_mlp_to_100_percent(page, lab):
    try:
        run_all(page, lab, NAME)
        assert page_errors(page) == [], "after Run All"
        setup = page.locator(f"{NOTEBOOK} .jp-OutputArea-output").all_inner_texts()
        count = len(PIECES)
        yours = PIECES_YOURS.format(yours=count, count=count, notebook="07")
        assert any(yours in t for t in setup), \
            "the setup cell does not say that every piece is the learner's"
        area = next(a for a in widget_outputs(page)
                    if a.locator("button", has_text=re.compile(rf"^\s*{STEP_BUTTON}\s*$")).count())
        area.scroll_into_view_if_needed()
        assert DASHBOARD_STARTING_RATE in area.inner_text()
        area.locator(".widget-play button").first.click()
        page.wait_for_function("([el, done]) => el.textContent.includes(done)",
                               arg=[area.element_handle(), DASHBOARD_STEP.format(step=100, steps=100)],
                               timeout=300_000)
        wait_for_kernel_idle(lab, NAME)
        page.wait_for_timeout(500)
        text = area.inner_text()
        assert DASHBOARD_ACCURACY.format(percent=100) in text, text[:400]
        assert re.search(rf"{DASHBOARD_RATE} 0\.3\d*", text), text[:400]
        status = area.locator(".widget-html", has_text=DASHBOARD_STEP.format(step=100, steps=100)).first
        box = status.bounding_box()
        line = status.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 20")
        assert box["height"] < 1.8 * line, f"the status line wraps: {box['height']} px tall"
        assert box["x"] + box["width"] <= 1280, "the status line runs off the page"
        assert page_errors(page) == [], "after training"
    finally:
        screenshot(page, "07_training-solved")
