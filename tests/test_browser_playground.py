"""Notebook 09's playground in a real (headless) Chromium, as a learner uses it.

Run All on notebook 09, then, on its first playground: change the data set, the network
and the activation, each time checking that the decision boundary and the network's
heatmaps are drawn again; press Play, let it train, press pause, and check that the
epoch counter moved and the pictures changed; that the weight table is beside the
pictures; that Reset shows the next weight seed and ■ goes back to step 0. Prints the
rates the page saw while it played (steps per second, and how often each picture
changed): figures to watch, not pass/fail lines. Screenshots at a laptop's width (1280 px) go to test-artifacts/.
"""

from __future__ import annotations

import os
import re

import pytest

from browser_support import JupyterLab
from notebook_tools import ROOT, say
from test_browser import ARTIFACTS, NOTEBOOK, page_errors, run_all, wait_for_kernel_idle

NAME = "09_playground.ipynb"

# counts, while it runs, how often each picture of one widget changes
COUNT_JS = """
(area) => {
  const images = [...area.querySelectorAll('img')];
  const record = {start: performance.now(), redraws: images.map(() => 0)};
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      const k = images.indexOf(m.target);
      if (k >= 0 && m.attributeName === 'src') record.redraws[k] += 1;
    }
  });
  observer.observe(area, {subtree: true, attributes: true, attributeFilter: ['src']});
  window.__count = {record, stop: () => { observer.disconnect();
                                          record.end = performance.now(); return record; }};
}
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory, browser):
    server = JupyterLab(ROOT / "notebooks", tmp_path_factory.mktemp("jupyterlab"))
    context = None
    try:  # the server is stopped whatever fails after it started
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        run_all(page, server, NAME)
        yield page, server
    finally:
        if context is not None:
            context.close()
        server.stop()


def pictures(area) -> list[str]:
    """The src of the network, boundary and loss images (data: URLs of their PNGs)."""
    return area.locator("img").evaluate_all("els => els.map(e => e.src)")


def status(area) -> tuple[int, int]:
    text = area.inner_text()
    match = re.search(r"epoch (\d+)\s*\(step (\d+)\)", text)
    assert match, f"no epoch counter in the playground: {text[:300]!r}"
    return int(match[1]), int(match[2])


def settle(page, server) -> None:
    wait_for_kernel_idle(server, NAME)
    page.wait_for_timeout(300)


def screenshot(page, area, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    area.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"09_playground-{name}.png"))


def test_the_playground_in_the_browser(page, request):
    page, server = page
    assert page_errors(page) == [], "after Run All"
    area = page.locator(f"{NOTEBOOK} .jp-OutputArea-output:has(.bpl-playground)").first
    area.scroll_into_view_if_needed()
    screenshot(page, area, "start")
    assert status(area) == (0, 0)

    # the data set, the network and the activation: each change redraws both pictures
    def change(what, action, heatmaps=True):
        before = pictures(area)
        action()
        page.wait_for_function(
            "([el, old, both]) => { const now = [...el.querySelectorAll('img')].map(e => e.src);"
            " return now[1] !== old[1] && (!both || now[0] !== old[0]); }",
            arg=[area.element_handle(), before, heatmaps], timeout=30_000)
        settle(page, server)
        after = pictures(area)
        assert after[1] != before[1], f"{what}: the decision boundary was not drawn again"
        if heatmaps:
            assert after[0] != before[0], f"{what}: the network's heatmaps were not drawn again"

    selects = area.locator(".widget-dropdown select")
    # new points, the same starting weights (the same seed): the heatmaps may stay
    change("data set", lambda: selects.nth(0).select_option("spiral"), heatmaps=False)
    assert "epoch 0 (step 0)" in area.inner_text()
    layers = area.locator(".widget-slider", has_text="hidden layers").locator(".noUi-handle")
    change("hidden layers", lambda: (layers.focus(), page.keyboard.press("ArrowRight")))
    boxes = area.locator("input[type=number]")  # neurons per hidden layer
    assert boxes.nth(2).is_visible() and not boxes.nth(3).is_visible()
    change("neurons", lambda: (boxes.nth(2).fill("6"), boxes.nth(2).press("Enter")))
    activation = area.locator(".widget-dropdown", has_text="activation").locator("select")
    change("activation", lambda: activation.select_option("relu"))
    assert area.locator(".widget-dropdown select").nth(0).input_value() == "spiral"
    assert page_errors(page) == [], "after changing the settings"

    # Play for a few seconds, then pause
    before = pictures(area)
    area.evaluate(COUNT_JS)
    buttons = area.locator(".widget-play button")
    start_epoch, start_step = status(area)
    buttons.nth(0).click()  # play (one button: ▶, then ❚❚)
    page.wait_for_timeout(4000)
    buttons.nth(0).click()  # pause
    record = page.evaluate("() => window.__count.stop()")
    settle(page, server)
    epoch, steps = status(area)
    seconds = (record["end"] - record["start"]) / 1000
    assert steps > start_step and epoch > start_epoch, "Play did not train"
    after = pictures(area)
    assert after[0] != before[0] and after[1] != before[1] and after[2] != before[2], (
        "the pictures did not change while it trained")
    page.wait_for_timeout(1000)
    assert status(area) == (epoch, steps), "it went on training after pause"
    assert page_errors(page) == [], "after Play and pause"
    screenshot(page, area, "trained")

    # the weight table sits beside the pictures, not below them (at 1280 x 800)
    network = area.locator("img").nth(0).bounding_box()
    table = area.locator("table", has_text="gradient").first.bounding_box()
    assert table["y"] < network["y"] + network["height"] and table["x"] > network["x"], (
        "the neuron's weight table is not beside the pictures")

    # the scalar engine carries on from the same weights, with its own step time shown
    area.locator(".widget-toggle-buttons button", has_text="scalar").click()
    settle(page, server)
    area.locator("button", has_text="Step").first.click()
    try:
        page.wait_for_function("([el, n]) => el.textContent.includes('(step ' + n + ')')",
                               arg=[area.element_handle(), steps + 1], timeout=30_000)
    except Exception:
        raise AssertionError(f"Step on the scalar engine: {area.inner_text()[:1500]}") from None
    settle(page, server)
    assert "scalar engine" in area.inner_text() and "Values a step" in area.inner_text()
    assert status(area)[1] == steps + 1
    assert page_errors(page) == [], "after switching to the scalar engine"

    # Reset draws the next weight seed and says so; ■ goes back to this run's start
    area.locator("button", has_text="Reset").first.click()
    page.wait_for_function("el => el.textContent.includes('weight seed 1')",
                           arg=area.element_handle(), timeout=30_000)
    area.locator("button", has_text="Step").first.click()
    page.wait_for_function("el => el.textContent.includes('(step 1)')",
                           arg=area.element_handle(), timeout=30_000)
    buttons.nth(1).click()  # ■
    page.wait_for_function("el => el.textContent.includes('epoch 0 (step 0)')",
                           arg=area.element_handle(), timeout=30_000)
    assert "weight seed 1" in area.inner_text() and page_errors(page) == []
    rates = ", ".join(f"{n / seconds:.1f}" for n in record["redraws"])
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"
    say(request.config,
        f"browser: 09 playground, 2-4-4-6-1 relu on the spiral: {steps - start_step} steps in "
        f"{seconds:.1f} s = {(steps - start_step) / seconds:.0f} steps/s in the page; pictures "
        f"changed {rates} times/s (network, boundary, loss); load average {load}")
