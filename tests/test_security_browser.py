"""The payload site (every payload of tests/payloads.py in every text field) in a real browser: no payload
runs, not on the pages and not in the search results, and the Content Security Policy blocks an inline
script that is added to a built page by hand (so an escaping mistake alone is not enough to run code).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import chromium

chromium.require()

import payloads  # noqa: E402
from builtsite import serve  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
REGION = "voorbeeldland-west-jeugd"
PROBE = '<script>window.__pwned = "inline";</script><img src="x" onerror="window.__pwned = \'onerror\'">'


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("payload-browser")
    regions = payloads.copy_regions(ROOT / "examples", base / "regions")
    site = payloads.build_payload_site(regions, base / "out")
    # Two hand-made copies of a built page with an inline script added: one as built (with the policy),
    # one with the policy taken out, which shows that the probe would notice a missing policy.
    page = (site / REGION / "index.html").read_text(encoding="utf-8")
    (site / REGION / "probe-csp.html").write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    without = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    (site / REGION / "probe-no-csp.html").write_text(without.replace("</body>", PROBE + "</body>"),
                                                     encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def site_url(payload_site):
    with serve(payload_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium.launch() as browser:
        yield browser


class Watched:
    """A browser page that records dialogs (alert), console messages and page errors."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("console", lambda message: self.console.append(message.text))

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(50)  # let onload/onerror handlers of broken images fire

    def pwned(self):
        return self.page.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)")

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture
def watched(browser):
    page = Watched(browser)
    yield page
    page.context.close()


def _pages(site: Path) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in (site / REGION).rglob("index.html"))
    pages += ["index.html", "gemeenten/gm9005/index.html", "overlap/index.html"]
    return [p for p in pages if (site / p).exists()]


def test_no_payload_runs_on_any_page(watched, payload_site, site_url):
    pages = _pages(payload_site)
    assert len(pages) > 15
    for page in pages:
        watched.visit(site_url + page)
        assert watched.dialogs == [], f"{page}: a payload opened a dialog"
        assert watched.pwned() is None, f"{page}: a payload ran"
    # The site needs no inline script or style that the policy would block.
    assert watched.csp_violations() == [], watched.csp_violations()[:5]


def test_no_payload_runs_in_search_results(watched, site_url):
    watched.visit(site_url + REGION + "/zoeken/")
    watched.page.fill("#zoeken input", "alert")
    watched.page.wait_for_selector(".govsite-search__link", timeout=15000)
    watched.page.wait_for_timeout(500)
    excerpts = watched.page.inner_text("#zoeken")
    assert "alert(1)" in excerpts, "the search results do not show the payloads (as text)"
    assert watched.dialogs == [] and watched.pwned() is None
    assert not watched.page.query_selector_all("#zoeken img[src='x'], #zoeken script, #zoeken svg[onload]")
    assert watched.csp_violations() == [], watched.csp_violations()[:5]


def test_csp_blocks_an_inline_script(watched, site_url):
    watched.visit(site_url + REGION + "/probe-csp.html")
    assert watched.pwned() is None, "the Content Security Policy let an inline script run"
    assert watched.csp_violations(), "no CSP violation reported for the inline script"


def test_probe_runs_without_the_policy(watched, site_url):
    """The same page without the policy: the inline script runs. So the previous test fails when the
    policy is removed from the theme."""
    watched.visit(site_url + REGION + "/probe-no-csp.html")
    assert watched.pwned() in ("inline", "onerror")
