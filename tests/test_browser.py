"""Every notebook as a learner meets it: JupyterLab in a real (headless) Chromium.

For each notebook: open it, Run All, wait for the kernel itself to be idle, and look for
errors anywhere on the page. Then use every widget the way a learner would, with the
keyboard and the mouse, and check that the page follows: the slider's caption, the
graph showing the new value, the stepper's step, the dashboard's falling loss. A
screenshot of each notebook goes to test-artifacts/. The time from a slider move to the
redrawn graph is printed (a figure to watch, not a pass/fail line).
"""

from __future__ import annotations

import re
import statistics
import time

import pytest

from browser_support import WATCH_JS, JupyterLab
from course_text import KERNEL_SAW, RESET_BUTTON, STEP_BUTTON, TEST_SLIDER
from notebook_tools import NOTEBOOKS, ROOT, ids, say


ARTIFACTS = ROOT / "test-artifacts"
LATENCIES: dict[str, list[float]] = {"graph": [], "any": []}
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook tab on show


@pytest.fixture(scope="session")
def lab(tmp_path_factory, request):
    server = JupyterLab(ROOT / "notebooks", tmp_path_factory.mktemp("jupyterlab"))
    yield server
    server.stop()
    graph, moves = LATENCIES["graph"], LATENCIES["any"]
    if moves:
        line = (f"browser: slider move -> updated output, median {statistics.median(moves):.0f} ms "
                f"over {len(moves)} moves")
        if graph:
            line += (f"; -> redrawn graph or plot, median {statistics.median(graph):.0f} ms over "
                     f"{len(graph)} moves (target: 150 ms or less)")
        say(request.config, line)


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
    lab.shut_down_kernels()


def wait_for_kernel_idle(lab: JupyterLab, name: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lab.kernel_state(name) == "idle":
            return
        time.sleep(0.1)
    raise AssertionError(f"{name}: the kernel was not idle after {timeout} s "
                         f"(state: {lab.kernel_state(name)})")


def run_all(page, lab: JupyterLab, name: str) -> None:
    page.goto(lab.lab_url(name))
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=60_000)
    wait_for_kernel_idle(lab, name)
    # the menu a learner uses: Run > Run All Cells
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # every code cell has its execution number (none queued as [*]), or an error stopped
    # Run All (the cells after it never run); then the kernel is idle
    page.wait_for_function(
        """() => {
          const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
          if (!panel) return false;
          const stopped = [...panel.querySelectorAll(
              '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            .some(o => o.textContent.includes('Traceback'));
          const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
          return stopped ||
            (prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)));
        }""",
        timeout=180_000,
    )
    wait_for_kernel_idle(lab, name)
    page.wait_for_timeout(500)  # the last widget views finish drawing


def page_errors(page) -> list[str]:
    found = []
    panel = page.locator(NOTEBOOK)
    for output in panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all():
        found.append("stderr/error output: " + output.inner_text()[:300])
    outputs = " ".join(panel.locator(".jp-OutputArea-output").all_inner_texts())
    for text in ("Error displaying widget", "Error while updating", "Loading widget"):
        if text in outputs:
            found.append(f"an output shows {text!r}")
    return found


def screenshot(page, name: str) -> None:
    """The notebook screen by screen (it scrolls inside the page, not the page itself)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    panel = page.locator(f"{NOTEBOOK} .jp-WindowedPanel-outer")
    if not panel.count():  # the notebook never opened: keep what the page shows instead
        page.screenshot(path=str(ARTIFACTS / f"{name}-00.png"))
        return
    height = panel.evaluate("el => el.scrollHeight")
    for index, top in enumerate(range(0, min(height, 40_000), 950)):
        panel.evaluate(f"el => el.scrollTop = {top}")
        page.wait_for_timeout(50)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{index:02d}.png"))
    panel.evaluate("el => el.scrollTop = 0")


def widget_outputs(page):
    return page.locator(f"{NOTEBOOK} .jp-OutputArea-output:has(.jupyter-widgets)").all()


def readout(slider) -> str:
    return slider.locator(".widget-readout").inner_text().strip()


def move_slider(page, lab, name, area, slider, key="ArrowRight") -> tuple[str, str, float | None]:
    """Focus the slider's handle and press a key, as a learner would; wait for the page.

    Returns the readout before and after, and the milliseconds from the key press to the
    redrawn graph or plot (None if the move redrew none)."""
    before = readout(slider)
    area.evaluate(WATCH_JS)
    handle = slider.locator(".noUi-handle")
    handle.focus()
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__watch.record.first !== null", timeout=15_000)
    except Exception:
        page.evaluate("() => window.__watch.stop()")
        raise AssertionError(f"{name}: nothing outside the slider changed within 15 s of "
                             f"moving it from {before}") from None
    wait_for_kernel_idle(lab, name)
    page.wait_for_timeout(150)
    record = page.evaluate("() => { window.__watch.stop(); return window.__watch.record; }")
    after = readout(slider)
    LATENCIES["any"].append(record["first"] - record["down"])
    graph_ms = record["graph"] - record["down"] if record["graph"] is not None else None
    if graph_ms is not None:
        LATENCIES["graph"].append(graph_ms)
    return before, after, graph_ms


def svg_text(area) -> str:
    return " ".join(area.locator("svg text").evaluate_all("els => els.map(e => e.textContent)"))


def check_slider(page, lab, name, area, slider) -> None:
    """One slider: three moves, each followed by the page; what must follow depends on
    what the widget shows."""
    for _ in range(3):
        before, after, _ms = move_slider(page, lab, name, area, slider)
        if after == before:  # at the end of its range: come back the other way
            before, after, _ms = move_slider(page, lab, name, area, slider, "ArrowLeft")
        assert after != before, f"{name}: the slider did not move with the arrow keys"
        text = area.inner_text()
        if TEST_SLIDER in text:
            assert KERNEL_SAW.format(value=after) in text
            continue
        step = re.search(r"step (\d+) of (\d+)", text)
        label = slider.locator(".widget-label").inner_text().strip()
        if step and label == "step":  # the backprop stepper
            assert step[1] == after, f"{name}: the stepper shows step {step[1]}, slider says {after}"
            continue
        if area.locator("svg text").count() and re.fullmatch(r"-?\d+\.\d\d", after):
            value = float(after)  # the readout rounds to 2 decimals, the graph shows 4
            shown = [float(n) for n in re.findall(r"-?\d+\.\d+", svg_text(area))]
            assert any(abs(n - value) <= 0.005 + 1e-9 for n in shown), (
                f"{name}: the graph does not show {label} = {after} after the move")


def check_fields(page, name, area, fields) -> None:
    """Type a wrong number into the first box (the output's), then the right one, 1: the
    box follows with its verdict as the learner types."""
    first = fields[0]
    first.click()
    page.keyboard.type("12345")
    page.wait_for_function("el => el.innerText.includes('not 12345')", arg=area.element_handle(),
                           timeout=10_000)
    assert "✗" in area.inner_text(), f"{name}: a wrong gradient is not marked wrong"
    first.fill("")
    first.click()
    page.keyboard.type("1")  # the first box is the output's: its gradient is the seed, 1
    page.wait_for_function("el => el.innerText.includes('✓ right')", arg=area.element_handle(),
                           timeout=10_000)


def check_dashboard(page, lab, name, area) -> None:
    """Press Step a few times: the step counter advances by one each time, the loss falls."""
    def state():
        text = area.inner_text()
        step = int(re.search(r"step (\d+) of", text)[1])
        loss = re.search(r"loss (-?\d+\.\d+)", text)
        return step, float(loss[1]) if loss else None

    button = area.locator("button", has_text=re.compile(rf"^\s*{STEP_BUTTON}\s*$")).first
    start_step, _ = state()
    losses = []
    for k in range(1, 6):
        button.click()
        page.wait_for_function(
            "([el, n]) => new RegExp('step ' + n + ' of').test(el.textContent)",
            arg=[area.element_handle(), start_step + k], timeout=30_000)
        wait_for_kernel_idle(lab, name)
        losses.append(state()[1])
    assert state()[0] == start_step + 5, f"{name}: five presses of Step did not take five steps"
    assert None not in losses, f"{name}: the dashboard shows no loss after stepping"
    assert losses[-1] < losses[0], f"{name}: the loss did not fall over five steps: {losses}"
    assert area.locator("img").count() >= 1, f"{name}: the dashboard draws no plot"


PLAY_JS = """
(area) => {
  const images = [...area.querySelectorAll('img')];
  const record = {start: null, done: null, redraws: images.map(() => 0)};
  const finished = () => {
    const m = /step (\\d+) of (\\d+)/.exec(area.textContent);
    return m !== null && m[1] === m[2];
  };
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      const k = images.indexOf(m.target);
      if (k >= 0 && m.attributeName === 'src') record.redraws[k] += 1;
    }
    if (record.done === null && record.start !== null && finished()) {
      record.done = performance.now();
    }
  });
  observer.observe(area, {subtree: true, childList: true, characterData: true,
                          attributes: true, attributeFilter: ['src']});
  window.__play = {record, stop: () => observer.disconnect()};
}
"""


def time_play(page, lab, name, area) -> str:
    """Reset, press Play and wait for the last step: the time a learner waits, and how
    often each picture changed on the page meanwhile (a figure to watch, not asserted)."""
    area.locator("button", has_text=re.compile(rf"^\s*{RESET_BUTTON}\s*$")).first.click()
    page.wait_for_function("(el) => /step 0 of/.test(el.textContent)",
                           arg=area.element_handle(), timeout=30_000)
    wait_for_kernel_idle(lab, name)
    area.evaluate(PLAY_JS)
    play_button = area.locator(".widget-play button").first
    page.evaluate("() => { window.__play.record.start = performance.now(); }")
    play_button.click()
    page.wait_for_function("() => window.__play.record.done !== null", timeout=180_000)
    record = page.evaluate("() => { window.__play.stop(); return window.__play.record; }")
    wait_for_kernel_idle(lab, name)
    seconds = (record["done"] - record["start"]) / 1000
    total = re.search(r"step (\d+) of", area.inner_text())[1]
    rates = ", ".join(f"{n / seconds:.1f}" for n in record["redraws"])
    which = "loss curve, decision boundary" if len(record["redraws"]) > 1 else "loss curve"
    return (f"browser: {name}: Play, {total} steps in {seconds:.1f} s; pictures redrawn "
            f"{rates} times/s ({which})")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_in_the_browser(page, lab, path, request):
    name = path.name
    try:
        run_all(page, lab, name)
        assert page_errors(page) == [], f"{name} after Run All"
        areas = widget_outputs(page)
        stored = path.read_text(encoding="utf-8").count("application/vnd.jupyter.widget-view+json")
        assert len(areas) == stored, f"{name}: {stored} widgets in the notebook, {len(areas)} drawn"
        for area in areas:
            area.scroll_into_view_if_needed()
            if area.locator(".bpl-playground").count():
                continue  # notebook 09's playground: tests/test_browser_playground.py uses it
            sliders = area.locator(".widget-slider:has(.noUi-handle)").all()
            fields = area.locator(".widget-text input").all()
            if fields and not sliders:  # gradients by hand: type into a box, as a learner would
                check_fields(page, name, area, fields)
                continue
            assert sliders or area.locator("button").count(), f"{name}: a widget with no controls"
            if area.locator("button", has_text=re.compile(rf"^\s*{STEP_BUTTON}\s*$")).count():
                check_dashboard(page, lab, name, area)  # its learning rate shows in later steps
                say(request.config, time_play(page, lab, name, area))
                continue
            for slider in sliders[:3]:  # the first few controls of each widget
                check_slider(page, lab, name, area, slider)
        assert page_errors(page) == [], f"{name} after using its widgets"
    finally:
        screenshot(page, path.stem)
