"""A JupyterLab server and a headless Chromium for the real-browser tests.

The server serves a copy of notebooks/ from a temporary folder (JupyterLab saves open
notebooks by itself, and the stored outputs must only ever come from
tools/run_notebooks.py). Its settings turn off what would get in a test's way: news
pop-ups, and the virtual scrolling that keeps off-screen cells out of the page.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def chromium_path() -> str:
    """Chromium or Chrome on this machine; a clear error when there is none."""
    candidates = [os.environ.get("BACKPROPLAB_CHROMIUM"), "/usr/bin/chromium",
                  shutil.which("chromium"), shutil.which("chromium-browser"),
                  shutil.which("google-chrome"),
                  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]
    for path in candidates:
        if path and Path(path).is_file():
            return path
    raise RuntimeError(
        "the browser tests need Chromium or Chrome: `sudo apt-get install chromium` "
        "(make test does this on Debian as root), or set BACKPROPLAB_CHROMIUM to its path")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """JupyterLab on a free loopback port, with a token; stopped by its process id."""

    def __init__(self, notebooks: Path, workdir: Path) -> None:
        self.root = workdir / "course"
        shutil.copytree(notebooks, self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = workdir / "settings"
        for name, value in SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(value))
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"),
                   JUPYTER_DATA_DIR=str(workdir / "data"),  # no kernels from the user's home
                   JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
                   PYTHONHASHSEED="0")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}",
                   "--ServerApp.open_browser=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(workdir / "jupyterlab.log", "wb")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up()

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def _wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: see {self.log.name}")
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s: see {self.log.name}")

    def lab_url(self, notebook: str) -> str:
        # `reset`: a fresh workspace, so no tab from the notebook before comes back
        return f"{self.url}/lab/tree/notebooks/{notebook}?reset&token={self.token}"

    def kernel_state(self, notebook: str) -> str | None:
        """The execution state the server last heard from the notebook's kernel."""
        for session in self.api("sessions"):
            if session["path"].endswith(notebook) and session.get("kernel"):
                return self.api(f"kernels/{session['kernel']['id']}")["execution_state"]
        return None

    def shut_down_kernels(self) -> None:
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # this server's own process id only
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# Watches one widget's output for the first change a slider move causes outside the
# controls themselves, and remembers when the key went down: their difference is the
# time a learner waits for the graph (or plot, or text) to follow the slider.
WATCH_JS = """
(area) => {
  const record = {down: null, first: null, graph: null};
  const outside = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return !el || !el.closest('.widget-slider, .widget-readout, .widget-play, button');
  };
  const graphy = (node) => node.nodeType === 1 &&
    (node.matches('svg, img') || node.querySelector('svg, img'));
  const observer = new MutationObserver((mutations) => {
    const now = performance.now();
    for (const m of mutations) {
      if (!outside(m.target)) continue;
      if (record.first === null) record.first = now;
      const nodes = [m.target, ...m.addedNodes];
      if (record.graph === null && nodes.some(graphy)) record.graph = now;
    }
  });
  observer.observe(area, {subtree: true, childList: true, characterData: true,
                          attributes: true, attributeFilter: ['src']});
  const onKey = () => { if (record.down === null) record.down = performance.now(); };
  document.addEventListener('keydown', onKey, true);
  document.addEventListener('pointerdown', onKey, true);
  window.__watch = {record, stop: () => {
    observer.disconnect();
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('pointerdown', onKey, true);
  }};
}
"""
