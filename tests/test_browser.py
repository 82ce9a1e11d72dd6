"""The built site in a real browser (Debian's Chromium through Playwright), served on 127.0.0.1.

Dutch search that follows its results, axe-core (WCAG 2.1 AA) on every page type, a 360 px wide
screen, and a record of every request the browser makes: all of them go to the site itself.
"""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

import chromium

chromium.require()

pytest_plugins = ["builtsite"]
pytestmark = pytest.mark.browser

HR = "voorbeeldland-west-jeugd/"
PAGE_TYPES = {
    "overzicht": HR, "deelnemers": HR + "deelnemers/", "organisatie": HR + "organisatie/",
    "besluitvorming": HR + "besluitvorming/", "escalatieladder": HR + "escalatieladder/", "raad": HR + "raad/",
    "raadsoverzicht": HR + "raadsoverzicht/",
    "financien": HR + "financien/", "afspraken": HR + "afspraken/", "afspraak": HR + "afspraken/gr-jeugd/",
    "doelen": HR + "doelen/", "reflectie": HR + "reflectie/", "governance-check": "voorbeeldland-oost-werk/governance-check/",
    "zoeken": HR + "zoeken/", "portaal": "", "gemeente": "gemeenten/gm9005/", "overlap": "overlap/",
    "begrippen": "begrippen/", "wijzigingen": HR + "wijzigingen/", "versie": HR + "afspraken/gr-jeugd/versie-2-0/",
    "over": "over/", "bijdragen": "bijdragen/meldingen/", "toegankelijkheid": "toegankelijkheid/",
}


@pytest.fixture(scope="module")
def browser():
    with chromium.launch() as browser:
        yield browser


@pytest.fixture
def recorded(browser, site_url):
    """A page whose every request is recorded; at the end all must have gone to the site itself."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    yield page
    context.close()
    site = urlparse(site_url)
    others = [u for u in requests if not u.startswith(("data:", "blob:"))
              and (urlparse(u).hostname, urlparse(u).port) != (site.hostname, site.port)]
    assert requests and not others, f"requests to other hosts: {others}"


def search(page, url: str, query: str) -> list[str]:
    page.goto(url)
    page.fill("#zoeken input", query)
    page.wait_for_selector(".govsite-search__link", timeout=15000)
    # The links of the results and of their headings inside the pages.
    return page.eval_on_selector_all(".govsite-search__link, .govsite-search__sub-link", "links => links.map(a => a.href)")


@pytest.mark.parametrize("start", [HR + "zoeken/", "zoeken/"], ids=["regio", "portaal"])
def test_dutch_search_finds_word_forms_and_results_lead_to_the_page(recorded, site_url, start):
    page = recorded
    # "besluiten" finds the page about decisions (besluit, besluitvorming)
    results = search(page, site_url + start, "besluiten")
    assert any("/besluitvorming/" in r for r in results), results
    page.click(".govsite-search__link >> nth=0")
    page.wait_for_load_state()
    assert page.locator("article h1").count() == 1
    assert "besluit" in page.locator("article").inner_text().lower()
    # "vergaderingen" finds pages that only say "vergadering"
    results = search(page, site_url + start, "vergaderingen")
    assert results and not any("/zoeken/" in r for r in results), results
    target = next(r for r in results if "/raad/" in r or "/organisatie/" in r)
    page.goto(target)
    body = page.locator("article").inner_text().lower()
    assert "vergader" in body


def test_region_search_stays_within_the_region(recorded, site_url):
    results = [urlparse(r).path for r in search(recorded, site_url + HR + "zoeken/", "besluiten")]
    assert results and all(r.startswith("/" + HR) for r in results), results


def test_portal_search_covers_every_region(recorded, site_url):
    results = search(recorded, site_url + "zoeken/", "besluiten")
    regions = {urlparse(r).path.split("/")[1] for r in results}
    assert {"voorbeeldland-west-jeugd", "voorbeeldland-noord-beschermd-wonen", "voorbeeldland-oost-werk"} <= regions


def test_portal_search_merges_its_own_pages_with_the_regions(recorded, site_url):
    """The portal's own index (municipality pages) and the regions' group indexes answer one search."""
    results = [urlparse(r).path for r in search(recorded, site_url + "zoeken/", "Voorbeeldstad")]
    assert "/gemeenten/gm9005/" in results, results
    assert any(r.startswith("/voorbeeldland-west-jeugd/") for r in results), results


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_or_critical_axe_violations(browser, site_url, name):
    # The site's CSP forbids injected scripts, so only this context bypasses it, to run axe.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")
    bad = chromium.serious_violations(page)
    context.close()
    assert not bad, bad


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_fits_a_360_px_screen(browser, site_url, name):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360, f"{name}: the page is {width} px wide on a 360 px screen"


def test_every_page_type_loads_only_from_the_site(recorded, site_url):
    for path in PAGE_TYPES.values():
        recorded.goto(site_url + path)
        recorded.wait_for_load_state("networkidle")
    assert recorded.locator("html").get_attribute("lang") == "nl"
