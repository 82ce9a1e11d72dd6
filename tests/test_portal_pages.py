"""The portal's overview and shared pages on both kinds of site: the national portal (the register fixture,
national_fixture.py, built through `govsite build` in its own process) and the example portal (full
regions only, builtsite.py). What each says about its sources, dates, counts and open data must be true
for the site it is on."""
from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

import national_fixture
from generator.escape import markdown_text
from govsite_cli import govsite

pytest_plugins = ["builtsite"]
TODAY = {"GOVSITE_TODAY": "2026-06-01"}
# As `govsite import cbs` writes it (importer/cbs.py SOURCE): the attribution CC BY 4.0 asks for, no
# address and no date of reading.
CBS = {"register": "CBS/PDOK gebiedsindelingen 2025", "licence": "CC BY 4.0", "attribution": "Bron: CBS, PDOK",
       "derived": True}


def registers() -> dict:
    found = copy.deepcopy(national_fixture.REGISTERS)
    for data in found.values():
        if data["source"]["register"] == CBS["register"]:
            data["source"] = dict(CBS)
    # A division no regeling serves, and one whose area has a regeling with its members but not its task.
    found["zorgkantoorregio-zuid-holland-noord"] = {
        "id": "zorgkantoorregio-zuid-holland-noord", "kind": "zorgkantoorregio", "code": "ZK27",
        "name": "Zuid-Holland Noord", "source": dict(CBS), "members": national_fixture.LEIDEN_AREA}
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("portal-pages")
    regions = national_fixture.write(folder / "regions", registers())
    out = folder / "site"
    result = govsite("build", "--regions", str(regions), "--out", str(out), "--cache", str(folder / "cache"),
                     cwd=folder, env=TODAY)
    assert result.returncode == 0, result.stderr
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def footer(soup) -> str:
    return text(soup.select_one("nav.govsite-footer"))


# --- 1. where the data come from ---------------------------------------------------------------

def test_about_page_and_footer_name_the_registers_on_the_national_portal(site):
    about = page(site, "over")
    said = text(about.select_one("article"))
    assert "Register van Overheidsorganisaties" in said and "16 mei 2026" in said and "CC0 1.0" in said
    assert "CBS en PDOK" in said and "CC BY 4.0" in said and "Bron: CBS, PDOK" in said
    assert "organisaties.overheid.nl" in said  # where an error in the register is reported
    # no full regions here: nothing about secretariats that keep files, or links to them on every page
    assert "Het secretariaat van" not in said and "govsite: bronnen" not in str(about)
    for soup in (about, page(site, "")):
        assert "Register van Overheidsorganisaties (16 mei 2026)" in footer(soup)
        assert "CBS en PDOK (2025)" in footer(soup) and "secretariaten" not in footer(soup)


def test_about_page_and_footer_on_a_site_of_full_regions_name_the_secretariats(built_site):
    about = page(built_site, "over")
    said = text(about.select_one("article"))
    assert "Het secretariaat van elke regio houdt de gegevens van de regio bij" in said
    assert "aanspreekpunt van de regio" in said and "Register van Overheidsorganisaties" not in said
    assert "De gegevens komen van de secretariaten van de regio's." in footer(about)


# --- 2. the labels of a table that stacks on a phone ---------------------------------------------

def test_a_stacking_tables_labels_keep_characters_markdown_escapes():
    """escape.markdown_text writes "RMC\\-regio \\(...\\)"; the label a phone shows reads as the header."""
    header = markdown_text("RMC-regio (voortijdig schoolverlaten)")
    assert "\\" in header
    source = (f'<div class="govsite-table govsite-table--stack" markdown="1">\n\n| Gemeente | {header} |\n'
              "|---|---|\n| Leiden | Zuid-Holland |\n\n</div>\n")
    html = markdown.markdown(source, extensions=["tables", "md_in_html", "generator.site.mdtables"])
    cells = BeautifulSoup(html, "html.parser").select("tbody td")
    assert [td["data-label"] for td in cells] == ["Gemeente", "RMC-regio (voortijdig schoolverlaten)"]


def test_overlap_labels_read_as_their_column_headers(site):
    table = page(site, "overlap").select_one("article table")
    headers = [text(th) for th in table.select("thead th")]
    assert "Zorgkantoorregio" in " ".join(headers) or "zorgkantoorregio" in headers
    for tr in table.select("tbody tr"):
        assert [td["data-label"] for td in tr("td")] == headers


# --- 3. attribution where CBS/PDOK data are shown -------------------------------------------------

@pytest.mark.parametrize("path", ["overlap", "gemeenten", "gebieden", ""])
def test_pages_with_divisions_or_register_counts_name_their_sources(site, path):
    said = text(page(site, path).select_one("article"))
    assert "Bron: CBS, PDOK" in said
    if path != "gebieden":
        assert "Register van Overheidsorganisaties" in said


# --- 4. the date the data describe ----------------------------------------------------------------

def test_the_national_portal_dates_its_data_by_the_register_not_the_build(site):
    home = page(site, "")
    header = text(home.select_one(".govsite-print-header"))
    assert "gegevens van het register van 16 mei 2026" in header and "1 juni 2026" not in header
    said = text(home.select_one("article"))
    assert "(gegevens van 16 mei 2026)" in said and "Op 1 juni 2026" not in said


def test_the_regelingen_overview_names_the_registers_date(site):
    said = text(page(site, "regelingen").select_one("article"))
    assert "Register van Overheidsorganisaties, zoals het op 16 mei 2026 was (CC0 1.0)" in said
    assert "Volgens het register gelden er op 1 juni 2026" in said


def test_a_site_of_full_regions_keeps_its_own_date(built_site):
    for path in ("", "voorbeeldland-west-jeugd"):
        header = text(page(built_site, path).select_one(".govsite-print-header"))
        assert "stand van 26 november 2026" in header and "register" not in header


# --- 5. division counts and wording ---------------------------------------------------------------

def section_links(soup, heading: str) -> int:
    """The number of regelingen a division page lists under a heading (up to the next heading)."""
    h2 = next(h for h in soup.select("article h2") if text(h) == heading)
    count = 0
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        if sibling.name == "ul":
            count += len(sibling.find_all("li", recursive=False))
    return count


def test_division_counts_on_the_overview_agree_with_the_division_pages(site):
    overview = page(site, "gebieden")
    checked = 0
    for table in overview.select("article table"):
        for tr in table.select("tbody tr"):
            link = tr.select_one("a")
            numbers = [int(text(td)) for td in tr("td")[2:]]
            division = page(site, link["href"].strip("/").split("/")[-1])
            assert sum(numbers) == section_links(division, "Regelingen voor dit gebied"), link["href"]
            checked += 1
    assert checked == 4
    provinces = overview.select("article table")[0]
    assert [text(th) for th in provinces.select("thead th")][2] == "Regelingen met precies deze gemeenten"
    assert [text(td) for td in provinces.select("tbody tr")[1]("td")] == ["Zuid-Holland", "3", "1"]


def test_a_division_without_a_serving_regeling_says_no_ook_and_a_zorgkantoorregio_names_the_zorgkantoor(site):
    zorg = text(page(site, "zorgkantoorregio-zuid-holland-noord").select_one("article"))
    assert "zorgkantoor" in zorg and "zorgverzekeraar" in zorg and "Wet langdurige zorg" in zorg
    assert "de gemeenten werken er samen" not in zorg
    # Regio Holland Rijnland has its members but does not name its task: listed, without "ook"
    assert "Deze regelingen hebben precies de gemeenten van dit gebied" in zorg
    assert "hebben ook precies" not in zorg


# --- 6. (feeds: tests/test_feeds.py, test_every_link_of_every_feed_leads_to_a_file_of_the_site) -----

def test_municipality_feed_links_resolve_on_the_national_portal(site):
    import urllib.parse
    import xml.etree.ElementTree as ET
    feed = site / "gemeenten" / "gm0546" / "agenda.xml"
    address = "https://portaal.test/gemeenten/gm0546/agenda.xml"
    hrefs = [link.get("href") for link in ET.parse(feed).getroot().iter("{http://www.w3.org/2005/Atom}link")]
    assert hrefs
    for href in hrefs:
        target = urllib.parse.urlsplit(urllib.parse.urljoin(address, href)).path[1:]
        assert (site / (target + "index.html" if target.endswith("/") else target)).is_file(), href


# --- 7. open data ---------------------------------------------------------------------------------

def test_open_data_page_says_what_the_files_hold(site):
    said = text(page(site, "opendata").select_one("article"))
    closing = next(p for p in page(site, "opendata").select("article p") if "Elk bestand" in text(p))
    assert text(closing).startswith("Elk bestand noemt bij elk feit de bron en de licentie.")
    assert "gelezen op 16 mei 2026" in said
    assert "De gebiedsindelingen zijn die van 2025; een datum van lezen hebben ze niet." in said
    assert "Regio's met een eigen site" not in said  # there are none here
    rows = list(csv.DictReader(io.StringIO((site / "opendata" / "deelnames.csv").read_text(encoding="utf-8-sig"))))
    for row in rows:  # what the page says of the CSV is so
        assert row["bron"] and row["licentie"]
        if row["soort_regio"] == "gemeenschappelijke-regeling":
            assert row["bron_gelezen_op"] == "2026-05-16"
    leiden = json.loads((site / "opendata" / "gemeente" / "gm0546.json").read_text(encoding="utf-8"))
    assert leiden["inhabitants"] and leiden["source"]["retrieved"] == "2026-05-16"
    assert leiden["province_source"]["attribution"] == "Bron: CBS, PDOK"


def test_open_data_page_of_a_site_of_full_regions_names_only_the_secretariats(built_site):
    said = text(page(built_site, "opendata").select_one("article"))
    assert "Regio's met een eigen site" in said and "Register van Overheidsorganisaties" not in said
    assert "CBS/PDOK" not in said


# --- 8. banner, glossary, search without JavaScript -----------------------------------------------

def test_no_empty_banner_on_the_national_portal_and_a_banner_with_text_on_the_examples(site, built_site):
    for path in ("", "gebieden", "over"):
        assert page(site, path).select_one("aside.md-banner") is None
    banner = page(built_site, "").select_one("aside.md-banner")
    assert banner is not None and "Voorbeeld" in text(banner)


def test_glossary_refers_to_region_pages_only_where_a_region_has_them(site):
    said = text(page(site, "begrippen").select_one("article"))
    assert "van elke regio" not in said and "Te vinden" not in said
    assert "Bij een regio met een eigen site staat" in said


def test_search_page_says_what_to_do_without_javascript(site, built_site):
    for soup in (page(site, "zoeken"), page(built_site, "voorbeeldland-west-jeugd/zoeken")):
        noscript = soup.select_one("article noscript")
        assert noscript is not None and "JavaScript" in noscript.decode()


def test_a_portal_with_registers_and_full_regions_names_both():
    """The national portal once a secretariat adopts a region: the registers and the secretariats."""
    import datetime as dt
    from generator.domain.register import CBS as CBS_NAME, ROO, Source
    from generator.site import render
    roo = Source(ROO, "https://organisaties.overheid.nl/", dt.date(2026, 5, 16), "CC0 1.0", False)
    cbs = Source(CBS_NAME, None, None, "CC BY 4.0", True, "Bron: CBS, PDOK")
    about = render.environments()[0].get_template("portal/_sources.md").render(roo=roo, cbs=cbs, regions=["een"])
    assert "Register van Overheidsorganisaties" in about and "16 mei 2026" in about and "Bron: CBS, PDOK" in about
    assert "Sommige regio's hebben een eigen site. Het secretariaat van zo'n regio" in about
    footer = render.portal_footer(["een"], {ROO: roo, CBS_NAME: cbs})
    assert footer["full_regions"] and [r["date"] for r in footer["registers"]] == ["16 mei 2026", "2025"]
    assert footer["stand_label"] == "gegevens van het register van 16 mei 2026"
    assert render.portal_footer(["een"], {}) == {"registers": [], "full_regions": True, "stand_label": None}


def test_overview_pages_of_the_registers_have_descriptions_of_their_own(site):
    descriptions = {path: page(site, path).find("meta", attrs={"name": "description"})["content"]
                    for path in ("gebieden", "regelingen", "opendata")}
    assert "jeugdregio's" in descriptions["gebieden"] and "Register van Overheidsorganisaties" in descriptions["regelingen"]
    assert "licentie" in descriptions["opendata"]
    assert not any(d.endswith("regionale samenwerking van gemeenten in beeld.") for d in descriptions.values())
