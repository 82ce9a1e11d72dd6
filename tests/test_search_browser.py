"""Search in the words readers use (issue 19 item 4), in a real browser on the built example site.

The words a council member types ("escalatie", "conflict", "geschil", "begroting", "zienswijze",
"aanspreekpunt") reach the page that answers them in the top three, on a region's own search and on
the portal's search over all regions; a version in force ranks above the versions it replaced; an exact
municipality name ranks its own page first, also when another name starts with it; every page has a
search field in its header; the search page speaks Dutch and tells screen readers how many results
it found. Regions, agreements and names come from the data, not from this file.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

import chromium

chromium.require()

from builtsite import AS_OF, REGIONS, build_examples, serve  # noqa: E402
from generator.pipeline import check  # noqa: E402

pytest_plugins = ["builtsite"]
pytestmark = pytest.mark.browser

# query -> the region page that answers it
READERS_WORDS = {
    "escalatie": "escalatieladder/", "conflict": "escalatieladder/", "geschil": "escalatieladder/",
    "ladder": "escalatieladder/", "begroting": "financien/", "zienswijze": "raad/", "aanspreekpunt": "",
}


@pytest.fixture(scope="module")
def browser():
    with chromium.launch() as browser:
        yield browser


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def examples():
    return check(REGIONS, None, AS_OF).regions


def results(page, url: str, query: str) -> list[str]:
    """The pages found, best first: paths without the anchors of sub-results, each once."""
    page.goto(url)
    page.fill("#zoeken input", query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    page.wait_for_timeout(500)  # let the list settle: Pagefind shows results as it loads them
    links = page.eval_on_selector_all(".pagefind-ui__result-title .pagefind-ui__result-link",
                                      "links => links.map(a => a.href)")
    found: list[str] = []
    for link in links:
        path = urlparse(link).path
        if path not in found:
            found.append(path)
    return found


@pytest.mark.parametrize("query", READERS_WORDS)
def test_readers_words_reach_their_page_on_each_region_site(page, site_url, examples, query):
    for region in examples:
        wanted = f"/{region.id}/{READERS_WORDS[query]}"
        found = results(page, f"{site_url}{region.id}/zoeken/", query)
        assert wanted in found[:3], (region.id, query, found[:5])


@pytest.mark.parametrize("query", READERS_WORDS)
def test_readers_words_reach_their_page_on_the_portal(page, site_url, examples, query):
    wanted = {f"/{region.id}/{READERS_WORDS[query]}" for region in examples}
    found = results(page, f"{site_url}zoeken/", query)
    assert wanted & set(found[:3]), (query, found[:5])


def test_the_version_in_force_ranks_above_the_versions_it_replaced(page, site_url, examples):
    """The issue's "jeugdhulp Leiden": a word of the agreement's title and a member's name."""
    checked = 0
    for region in examples:
        state = region.state(AS_OF)
        member = region.municipalities.name(state.current_members[0].municipality)
        for agreement in state.agreements:
            superseded = {f"/{region.id}/afspraken/{agreement.agreement.id}/versie-{v.slug}/"
                          for v in agreement.versions if v.status == "vervallen"}
            if not superseded or agreement.current is None:
                continue
            word = max(agreement.agreement.title.split(), key=len)
            in_force = {f"/{region.id}/afspraken/{agreement.agreement.id}/",
                        f"/{region.id}/afspraken/{agreement.agreement.id}/versie-{agreement.current.slug}/"}
            for query in (f"{word} {member}", agreement.agreement.title):
                found = results(page, f"{site_url}{region.id}/zoeken/", query)
                old = [found.index(p) for p in superseded if p in found]
                if not old:
                    continue  # no replaced version among the results: nothing to rank below
                new = [found.index(p) for p in in_force if p in found]
                assert new and min(new) < min(old), (query, found[:6])
                checked += 1
    assert checked >= 2  # the examples have agreements with replaced versions that a search finds


def test_a_municipality_name_ranks_its_own_page_first(page, site_url, examples):
    municipalities = examples[0].municipalities
    codes = sorted({m.municipality for region in examples for m in region.data.members})
    for code in codes[:6]:
        found = results(page, f"{site_url}zoeken/", municipalities.name(code))
        assert found[0] == f"/gemeenten/{code.lower()}/", (municipalities.name(code), found[:4])


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """The fixture regions of conftest.py, whose municipalities include a name that starts another
    (a merged municipality and its successor): the exact name must still come first."""
    from conftest import RegionsDir

    regions = RegionsDir(tmp_path_factory.mktemp("prefix") / "regions")
    out = build_examples(tmp_path_factory.mktemp("prefix-site") / "site", regions.root)
    with serve(out) as url:
        yield url, check(regions.root, None, AS_OF).regions


def test_an_exact_name_ranks_first_when_another_name_starts_with_it(page, fixture_site):
    url, regions = fixture_site
    municipalities = regions[0].municipalities
    codes = sorted({m.municipality for region in regions for m in region.data.members})
    names = {code: municipalities.name(code) for code in codes}
    pairs = [(a, b) for a in codes for b in codes if a != b and names[b].startswith(names[a])]
    assert pairs, names  # the fixture has one (a name and a longer one that starts with it)
    for short, _longer in pairs:
        found = results(page, f"{url}zoeken/", names[short])
        assert found[0] == f"/gemeenten/{short.lower()}/", (names[short], found[:4])


def test_the_header_search_field_leads_to_the_search_page_with_results(page, site_url, examples):
    region = examples[0].id
    page.goto(f"{site_url}{region}/financien/")
    field = page.get_by_role("search", name="Zoeken op deze site").get_by_role("searchbox")
    field.fill("begroting")
    field.press("Enter")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    address = urlparse(page.url)
    assert address.path == f"/{region}/zoeken/" and parse_qs(address.query)["q"] == ["begroting"]
    assert page.input_value("#zoeken input") == "begroting"


def test_the_search_page_speaks_dutch_and_announces_the_count(page, site_url):
    page.goto(f"{site_url}zoeken/")
    page.fill("#zoeken input", "zienswijze")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    status = page.locator("#zoeken-aantal")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    expect(status).to_have_text(re.compile(r"^\d+ resultaten voor zienswijze$"), timeout=5000)
    assert page.locator(".pagefind-ui__search-clear").inner_text().strip() == "Wissen"
    page.click(".pagefind-ui__search-clear")
    expect(status).to_have_text("", timeout=5000)
