"""Debian's Chromium for the browser tests: where it is, how to start it, and axe-core.

A module that needs the browser calls `require()` at import time: without /usr/bin/chromium its
tests skip with a message that says how to get it (and nowhere else may a test skip).
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Without the background-networking flags Chromium tries to reach Google's hosts at every start.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def require() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Chromium ontbreekt: installeer het met `apt-get install chromium` om de browsertests te draaien "
                    "(verwacht op /usr/bin/chromium)", allow_module_level=True)


@contextmanager
def launch() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def serious_violations(page) -> list[tuple]:
    """axe-core's serious and critical WCAG 2.1 AA findings on the page (the context must bypass CSP)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]
