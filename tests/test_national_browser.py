"""The national portal in a real browser (Debian's Chromium through Playwright): the municipality finder's
filter, and axe-core (WCAG 2.1 AA) on the page types of the national registers. Built from the small
national folder of national_fixture.py."""
from __future__ import annotations

import pytest

import chromium
import national_fixture
from builtsite import serve
from test_national_portal import build

chromium.require()

pytestmark = pytest.mark.browser

PAGE_TYPES = {"regeling": "regio-holland-rijnland/", "gebied": "jeugdregio-holland-rijnland/",
              "gemeente": "gemeenten/gm0546/", "gemeenten": "gemeenten/", "gebieden": "gebieden/",
              "regelingen": "regelingen/", "overlap": "overlap/", "open data": "opendata/"}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("national-browser")
    site = build(national_fixture.write(folder / "regions"), folder / "site")
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium.launch() as browser:
        yield browser


def test_the_finder_filters_municipalities_by_name_and_says_how_many(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "gemeenten/")
    field = page.get_by_label("Zoek een gemeente op naam")
    field.fill("leid")
    visible = [row.inner_text().split("\t")[0].strip() for row in page.locator("article tbody tr:visible").all()]
    assert visible == ["Leiden", "Leiderdorp"]
    assert page.locator("#gemeentezoeker-aantal").inner_text() == "2 gemeenten gevonden"
    assert page.locator("#provincie-noord-brabant").is_hidden()  # a province with no match is hidden
    field.fill("cuijk")
    assert page.locator("#provincie-noord-brabant").is_visible()
    assert page.locator("#gemeentezoeker-aantal").inner_text() == "1 gemeente gevonden"
    field.fill("")
    assert page.locator("article tbody tr:visible").count() == 4
    page.close()


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_or_critical_axe_violations(browser, site_url, name):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[name])
    assert chromium.serious_violations(page) == []
    context.close()
