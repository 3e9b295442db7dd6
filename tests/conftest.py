"""Shared test settings.

hypothesis runs without a per-example deadline: the machines that run the course's
tests are often busy, and a slow example is not a wrong one.

`browser`: one headless Chromium for every browser test of the run (Playwright's sync
API allows one running instance per process, so each test file opening its own would
fail as soon as two of them run in one session).
"""

import pytest
from hypothesis import settings

settings.register_profile("backproplab", deadline=None)
settings.load_profile("backproplab")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as p:
        # launch() gives every run a fresh, temporary profile (user data dir)
        chromium = p.chromium.launch(executable_path=chromium_path(), headless=True,
                                     args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
