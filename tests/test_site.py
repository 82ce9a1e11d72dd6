"""The region sites, read as a reader would: parse the built HTML and check what it says.

The example regions are built once per session as on 2026-11-26 (tests/builtsite.py).
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from bs4 import BeautifulSoup

pytest_plugins = ["builtsite"]

HR = "voorbeeldland-west-jeugd"
IJ = "voorbeeldland-noord-beschermd-wonen"
RN = "voorbeeldland-oost-werk"
REGION_PAGES = ["", "deelnemers/", "organisatie/", "besluitvorming/", "escalatieladder/", "raad/", "raadsoverzicht/",
                "financien/", "afspraken/", "doelen/", "reflectie/", "governance-check/", "zoeken/"]


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, path: str):
    return soup(site, path).select_one("article")


def text(node) -> str:
    """The text as a reader sees it; blocks in the HTML source are on their own lines anyway."""
    return " ".join(node.get_text("").split())


def rows(table) -> list[list[str]]:
    return [[text(cell) for cell in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")]


def table_after(page, heading: str):
    """The first table after the heading with this text."""
    found = page.find(lambda tag: tag.name in ("h2", "h3") and text(tag) == heading)
    assert found is not None, f"no heading {heading!r}"
    return found.find_next("table")


def row_with(table, first_cell: str) -> list[str]:
    for row in rows(table):
        if row[0] == first_cell:
            return row
    raise AssertionError(f"no row {first_cell!r} in {[r[0] for r in rows(table)]}")


# --- Overzicht -------------------------------------------------------------------------------

def test_overview_answers_the_council_questions(built_site):
    page = article(built_site, HR)
    assert text(page.h1) == "Jeugdregio Voorbeeldland-West"
    headings = [text(h) for h in page.find_all("h2")]
    for question in ("Wat doet de regio?", "Welke gemeenten doen mee?", "Aanspreekpunt", "Wat speelt er?",
                     "Wat zijn de doelen?", "Wie besluit wanneer en waarover?", "Wat is de voortgang?"):
        assert question in headings
    body = text(page)
    assert "openbaar lichaam" in body and "openbaar-lichaam" not in body
    assert "eigen bestuur, een eigen begroting" in body  # the legal form explained in words
    assert "Noor Hendriks" in body  # the current holder of the point of contact
    assert "tot en met 31 december 2018, opgegaan in Schetskust" in body
    # members link to the portal's municipality pages, one folder up from the region's home page
    leiden = page.find("a", string="Voorbeeldstad")
    assert leiden["href"] == "../gemeenten/gm9005/"
    assert (built_site / "gemeenten" / "gm9005" / "index.html").is_file()
    # what is going on: the latest update and the next date in the planning cycle
    assert "8 oktober 2026" in body and "15 januari 2027: Kaderbrief" in body
    decisions = table_after(page, "Wie besluit wanneer en waarover?")
    assert row_with(decisions, "Vaststellen van de begroting") == [
        "Vaststellen van de begroting", "Algemeen bestuur",
        "Jaarlijks, na de zienswijzen van de raden; vóór 15 september naar GS (art. 34 Wgr)",
        "zienswijze op het ontwerp, dan informatie na het besluit"]


# --- Deelnemers ------------------------------------------------------------------------------

def test_members_former_member_hattem_with_end_date(built_site):
    page = article(built_site, f"{IJ}/deelnemers")
    former = table_after(page, "Gemeenten die niet meer meedoen")
    hattem = row_with(former, "Schetsheem")
    assert hattem[1:4] == ["1 januari 2015", "31 december 2024", "Uitgetreden"]
    assert former.find("a", string="Schetsheem")["href"] == "../../gemeenten/gm9041/"
    current = [r[0] for r in rows(table_after(page, "Gemeenten die nu meedoen"))]
    assert "Schetsheem" not in current and "Oefenstad" in current and len(current) == 10
    assert row_with(table_after(page, "Gemeenten die nu meedoen"), "Oefenstad")[2] == "centrumgemeente"


def test_members_partial_participation_olst_wijhe(built_site):
    page = article(built_site, f"{IJ}/deelnemers")
    olst = row_with(table_after(page, "Gemeenten die nu meedoen"), "Modelholt")
    assert olst[1] == "1 januari 2015"  # a member since its first period
    assert olst[3] == "alleen beschermd wonen, Wmo (maatschappelijke ondersteuning)"
    assert "Modelholt" not in [r[0] for r in rows(table_after(page, "Gemeenten die niet meer meedoen"))]
    assert "Modelholt doet sinds 1 januari 2021 alleen mee voor" in text(page)


def test_members_merger_noordwijkerhout_explained(built_site):
    page = article(built_site, f"{HR}/deelnemers")
    row = row_with(table_after(page, "Gemeenten die niet meer meedoen"), "Schetshout")
    assert row[2] == "31 december 2018"
    assert row[3] == "Samengegaan met Schetskust (herindeling)"
    assert "Dit is een herindeling, geen uittreding" in text(page)


# --- Organisatie -----------------------------------------------------------------------------

def test_organisation_positions_vacancies_and_roles(built_site):
    page = article(built_site, f"{HR}/organisatie")
    ab = table_after(page, "Algemeen bestuur")
    assert row_with(ab, "Rol")[1].startswith("eigenaar: Is verantwoordelijk")
    assert row_with(ab, "Hoe wordt besloten")[1].startswith("gewogen stemmen")
    positions = ab.find_next("table")
    assert row_with(positions, "Voorzitter algemeen bestuur")[1:4] == ["Pieter Hoogendijk", "Voorbeeldstad", "1 juni 2026"]
    rac = table_after(page, "Raadsadviescommissie Jeugd").find_next("table")
    assert row_with(rac, "Voorzitter raadsadviescommissie")[1] == "Vacant"
    assert "vacant" in text(page.select_one(".admonition"))  # the gap, stated plainly at the top
    # upcoming end of a term within a year
    assert "30 juni 2027: Termijn Directeur uitvoeringsorganisatie" in text(page)


def test_organisation_diagram_is_inline_svg_with_a_text_equivalent(built_site):
    page = article(built_site, f"{HR}/organisatie")
    figure = page.find("figure")
    svg = figure.find("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == figure.figcaption["id"]
    assert "Uitvoeringsorganisatie" in text(svg) and len(svg.find_all("rect")) == 8  # 7 bodies + de gemeenteraden
    # text equivalent: nested list, the contractor under the client under the owner under the councils
    top = figure.find_next("ul")
    councils = top.find("li", recursive=False)
    assert text(councils).startswith("De gemeenteraden")
    owner = councils.find("ul").find("li", recursive=False)
    assert text(owner).startswith("Algemeen bestuur (eigenaar)")
    client = owner.find("ul").find("li", recursive=False)
    assert text(client).startswith("Dagelijks bestuur (opdrachtgever)")
    assert text(client.find("ul")).startswith("Uitvoeringsorganisatie Jeugdhulp (opdrachtnemer)")
    assert not soup(built_site, f"{HR}/organisatie").find("script", src=re.compile("mermaid|d3|chart", re.I))


# --- Besluitvorming en escalatie ---------------------------------------------------------------

def test_decision_matrix_rows_bodies_council_role_and_basis(built_site):
    page = article(built_site, f"{HR}/besluitvorming")
    matrix = page.find("table")
    # four columns that fit a screen; the others in a details line under the topic (issue 19 item 2)
    headers = [text(th) for th in matrix.select("thead th")]
    assert headers == ["Besluit", "Wie besluit", "Rol van de raad", "Wanneer"]

    def row(topic: str) -> list[str]:
        found = [r for r in matrix.select("tbody tr") if text(r.td).startswith(topic + " ")
                 and text(r.td.find("span", class_="govsite-cell-details")) == text(r.td)[len(topic) + 1:]]
        assert len(found) == 1, topic
        return [text(found[0].td.find("span", class_="govsite-cell-details"))] + [text(td) for td in found[0]("td")[1:]]

    begroting = row("Vaststellen van de begroting")
    assert begroting[0].startswith("Bereidt voor: Dagelijks bestuur · Raadpleegt: Portefeuillehoudersoverleg Jeugd, "
                                   "Raadsadviescommissie Jeugd · Informeert: de gemeenteraden, Gedeputeerde Staten · "
                                   "Grondslag: artikel 7 van ")
    assert begroting[1:3] == ["Algemeen bestuur (gewogen stemmen)", "zienswijze op het ontwerp, dan informatie na het besluit"]
    wijziging = row("Wijzigen van de gemeenschappelijke regeling")
    assert wijziging[1] == "de colleges van B en W"
    assert wijziging[2] == "zienswijze op het ontwerp, dan toestemming op het besluit"
    assert row("Afsluiten en wijzigen van contracten met jeugdhulpaanbieders")[2] == "geen rol"
    # every cell names its column, for the blocks a phone shows (data-label)
    assert all(td["data-label"] == header for tr in matrix.select("tbody tr") for td, header in zip(tr("td"), headers))
    # the basis links to the article on the agreement page, and that anchor exists
    link = matrix.find("a", string=re.compile("^artikel 7 van "))
    assert link["href"] == "../afspraken/gr-jeugd/#artikel-7"
    assert soup(built_site, f"{HR}/afspraken/gr-jeugd").find(id="artikel-7") is not None
    assert "wensen-en-bedenkingen" not in text(page)  # enum values appear as words, never as slugs
    assert "De raad kan vooraf zijn mening geven" in text(page)  # the council role explained


def test_every_decision_basis_link_resolves(built_site):
    for region in (HR, IJ, RN):
        page = article(built_site, f"{region}/besluitvorming")
        for link in page.select("table a[href*='#artikel-']"):
            target, anchor = link["href"].split("#")
            linked = built_site / region / "besluitvorming" / target / "index.html"
            assert BeautifulSoup(linked.read_text(encoding="utf-8"), "html.parser").find(id=anchor), link["href"]


def test_escalation_ladder_in_order_with_terms(built_site):
    steps = [text(li) for li in article(built_site, f"{HR}/escalatieladder").find("ol").find_all("li")]
    assert len(steps) == 5
    assert steps[0].startswith("Ambtelijk overleg jeugd (binnen 14 dagen)")
    assert steps[3].startswith("Algemeen bestuur (binnen 60 dagen)")
    assert steps[4].startswith("Gedeputeerde Staten: Als de gemeenten er samen niet uitkomen, beslissen Gedeputeerde "
                               "Staten van Voorbeeldprovincie West")
    missing = text(article(built_site, f"{RN}/escalatieladder"))
    assert "Nog niet vastgelegd" in missing and "geen escalatieladder" in missing


# --- Rol van de raad -------------------------------------------------------------------------

def test_council_page_planning_cycle_of_this_year_and_evaluation(built_site):
    page = article(built_site, f"{HR}/raad")
    assert text(page.find("h2", string=re.compile("Planning en control"))) == "Planning en control in 2026"
    planning = table_after(page, "Planning en control in 2026")
    assert row_with(planning, "15 januari 2026")[1:] == ["Kaderbrief", "de gemeenteraden", "geweest"]
    assert row_with(planning, "15 oktober 2026")[1] == "Najaarsrapportage"
    instruments = table_after(page, "Instrumenten van de raad")
    assert row_with(instruments, "Zienswijze")[1:3] == ["Kaderbrief", "84 dagen (12 weken)"]
    body = text(page)
    assert "Laatste evaluatie: 1 juni 2023" in body and "Volgende evaluatie: uiterlijk 1 juni 2027" in body
    assert "Evaluatie te laat" not in body
    assert "Opzegtermijn: 12 maanden" in body


def test_council_page_overdue_evaluation_and_missing_entry_rules(built_site):
    page = article(built_site, f"{RN}/raad")
    warning = page.select_one(".admonition.danger")
    assert text(warning.select_one(".admonition-title")) == "Evaluatie te laat"
    assert "1 juni 2025" in text(warning)
    assert "Er zijn geen regels vastgelegd voor een gemeente die wil toetreden" in text(page)


# --- Financiën -------------------------------------------------------------------------------

def test_finance_contributions_per_member_per_year(built_site):
    page = article(built_site, f"{HR}/financien")
    table = table_after(page, "Bijdragen per gemeente")
    assert [text(th) for th in table.select("thead th")] == ["Gemeente", "2024", "2025", "2026"]
    assert row_with(table, "Voorbeeldstad") == ["Voorbeeldstad", "21,9%", "€ 46.046.685 (22,0%)", "€ 47.902.764 (22,1%)"]
    assert row_with(table, "Totaal (begroting)") == ["Totaal (begroting)", "niet opgegeven", "€ 209.350.000",
                                                     "€ 216.800.000"]
    assert "naar aantal inwoners" in text(page)
    chart = page.find("figure").find("svg")
    assert len(chart.find_all("rect")) == 13 and "€ 47.902.764" in text(chart)
    assert "2026" in text(page.find("figure").figcaption)


def test_finance_missing_year_is_stated(built_site):
    page = article(built_site, f"{RN}/financien")
    assert "De bijdragen per gemeente voor 2026 ontbreken" in text(page)
    assert "2026" in text(page.find("figcaption")) or "2025" in text(page.find("figcaption"))


# --- Doelen, reflectie, governance-check ----------------------------------------------------

def test_goals_indicator_status_against_target(built_site):
    page = article(built_site, f"{HR}/doelen")

    def status_of(title: str) -> str:
        heading = page.find("h3", string=title)
        return text(heading.find_next(class_="govsite-status"))

    assert status_of("Gemiddelde wachttijd jeugd-GGZ (van aanmelding tot start hulp)") == "aandacht nodig"
    assert status_of("Aantal beschikbare pleeggezinnen in de regio") == "achter op schema"
    measurements = table_after(page, "Gemiddelde wachttijd jeugd-GGZ (van aanmelding tot start hulp)")
    assert row_with(measurements, "30 juni 2026")[1] == "8 weken"
    assert page.find("svg", attrs={"aria-label": re.compile("^Grafiek: Gemiddelde wachttijd")}) is not None


def test_reflection_balances_between_named_poles(built_site):
    page = article(built_site, f"{HR}/reflectie")
    body = text(page)
    assert "13 november 2025" in body
    section = page.find("h3", string="Inbedding of borging")
    assert "Maatschappelijke inbedding of institutionele borging?" in text(section.find_next("p"))
    svg = section.find_next("svg")
    assert svg["aria-label"] == "Positie 4 van 5, tussen maatschappelijke inbedding (1) en institutionele borging (5)"
    assert "Positie 4 van 5: dichter bij institutionele borging" in body
    assert "Doen we de goede dingen?" in [text(h) for h in page.find_all("h3")]


def test_governance_check_states_the_gaps_of_rijk_van_nijmegen(built_site):
    page = article(built_site, f"{RN}/governance-check")
    body = text(page)
    assert "8 punten nog niet (goed) vastgelegd" in body
    for message in ("geen escalatieladder", "te laat", "geen regels voor toetreding",
                    "De bijdragen per gemeente voor 2026 ontbreken", "eigenaar, opdrachtgever en opdrachtnemer",
                    "meer dan twee jaar geleden", "visie op de samenwerking"):
        assert message in body, message
    overview = page.find("table")
    assert row_with(overview, "Escalatieladder")[1] == "1 punt open"
    assert row_with(overview, "Besluitvorming")[1] == "In orde"
    assert page.find("a", string="Escalatieladder", href="../escalatieladder/") is not None
    assert "Besluitvorming" in [text(li) for li in page.find("h2", string="Wat is in orde").find_next("ul")("li")]


def test_version_in_force_of_gr_jeugd(built_site):
    page = article(built_site, f"{HR}/afspraken/gr-jeugd")
    assert "3.0" in text(page)  # effective 2023-04-01, the version in force on 2026-11-26
    assert page.find(id="artikel-7") is not None


# --- Every page: standards ---------------------------------------------------------------------

def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


@functools.lru_cache(maxsize=None)
def parsed(path: Path) -> BeautifulSoup:
    """Each built page parsed once for the checks over every page (treat as read-only)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_dutch_csp_no_inline_script_example_banner(built_site):
    pages = all_pages(built_site)
    assert len(pages) > 40
    for path in pages:
        page = parsed(path)
        where = path.relative_to(built_site)
        assert page.html["lang"] == "nl", where
        csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp and "default-src 'self'" in csp["content"] and "script-src 'self'" in csp["content"], where
        for script in page.find_all("script"):
            assert script.get("src") or script.get("type") == "application/json", (where, str(script)[:80])
        assert page.select_one(".govsite-banner--example"), where  # every example region, and the portal
        assert "Voorbeeld." in text(page.select_one(".govsite-banner--example"))


def test_every_page_has_one_h1_headings_in_order_and_tables_with_headers(built_site):
    for path in all_pages(built_site):
        content = parsed(path).select_one("article")
        where = path.relative_to(built_site)
        levels = [int(h.name[1]) for h in content.find_all(re.compile("^h[1-6]$"))]
        assert levels and levels[0] == 1 and levels.count(1) == 1, where
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (where, levels)
        for table in content.find_all("table"):
            assert table.find("thead") and table.find("thead").find("th"), where


def test_region_pages_have_source_link_and_page_date(built_site):
    page = soup(built_site, f"{HR}/besluitvorming")
    source = page.select_one(".govsite-source")
    link = source.find("a", string="Bekijk de brongegevens")  # no file name in the text (issue 19 item 5)
    assert link["href"] == "../bron/decisions.yaml"
    assert (built_site / HR / "bron" / "decisions.yaml").is_file()


def test_internal_links_resolve(built_site):
    """Every relative link on every page leads to a file of the built site (regions and portal)."""
    broken = []
    for path in all_pages(built_site):
        page = parsed(path)
        for tag in page.find_all(["a", "link", "script", "img"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", ref):
                continue
            target = (path.parent / ref.split("#")[0].split("?")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)} -> {ref}")
    assert not broken, "\n".join(broken[:20])


def test_no_enum_slugs_shown_to_readers(built_site):
    slugs = ["openbaar-lichaam", "wensen-en-bedenkingen", "op-koers", "beschermd-wonen-regio", "dagelijks-bestuur",
             "inbedding-borging", "n.v.t."]
    for region in (HR, IJ, RN):
        for page in REGION_PAGES:
            body = text(article(built_site, f"{region}/{page}"))
            for slug in slugs:
                assert slug not in body, (region, page, slug)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    from builtsite import build_examples

    first, second = _digest(build_examples(tmp_path / "one")), _digest(build_examples(tmp_path / "two"))
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_every_enum_value_has_a_dutch_label():
    """A new value in the data format must get its words in generator/domain/labels.py, or readers see a slug."""
    import typing

    from generator.domain import labels, schema

    kinds = {"kind": schema.RegionKind, "domain": schema.Domain, "legal_form": schema.LegalForm,
             "member_role": schema.MemberRole, "body_kind": schema.BodyKind, "role": schema.BodyRole,
             "voting": schema.Voting, "voting_short": schema.Voting, "council_role": schema.CouncilRole,
             "instrument": schema.InstrumentKind, "allocation": schema.AllocationKey, "status": schema.Status,
             "better": schema.Better, "agreement_kind": schema.AgreementKind, "kinds": schema.RegionKind}
    for kind, literal in kinds.items():
        assert set(typing.get_args(literal)) <= set(labels.LABELS[kind]), kind
    for kind in ("legal_form", "role", "council_role", "status"):
        assert all(labels.explain(v, kind) for v in labels.LABELS[kind]), kind
    assert set(typing.get_args(schema.BalanceAct)) == set(labels.BALANCES)


MINIMAL_REGION = """\
id: kale-regio
name: Kale regio
kind: wmo-regio
domains: [wmo]
legal_form: convenant
summary: Een regio met alleen de verplichte gegevens.
example: true
contact:
  title: Regiosecretaris
members:
  - municipality: GM9005
    since: 2020-01-01
  - municipality: GM9006
    since: 2020-01-01
"""


def test_a_region_with_only_region_yaml_builds_and_says_what_is_missing(tmp_path):
    """Only region.yaml is required: every page still builds and states plainly what is not agreed."""
    from builtsite import REGIONS, build_examples

    regions = tmp_path / "regions"
    (regions / "kale-regio").mkdir(parents=True)
    (regions / "municipalities.yaml").write_bytes((REGIONS / "municipalities.yaml").read_bytes())
    (regions / "kale-regio" / "region.yaml").write_text(MINIMAL_REGION, encoding="utf-8")
    site = build_examples(tmp_path / "site", regions=regions)
    expected = {
        "organisatie": "Er zijn geen organen beschreven", "besluitvorming": "Er is geen besluitvormingsmatrix",
        "escalatieladder": "Er is geen escalatieladder", "raad": "Er zijn geen regels voor toetreding",
        "financien": "De bijdragen per gemeente voor 2026 ontbreken", "doelen": "Er zijn geen doelen vastgelegd",
        "reflectie": "nog niet samen gereflecteerd", "governance-check": "punten nog niet (goed) vastgelegd",
    }
    for page, message in expected.items():
        body = article(site, f"kale-regio/{page}")
        assert message in text(body), page
        if page != "governance-check":
            assert text(body.select_one(".admonition-title")) == "Nog niet vastgelegd", page
    overview = text(article(site, "kale-regio"))
    assert "Regiosecretaris" in overview and "De visie op de samenwerking is nog niet vastgelegd" in overview


def test_no_theme_template_is_published_unrendered(built_site):
    """A theme file MkDocs is told not to render (the sitemap) was copied as its raw Jinja source."""
    raw = [str(p.relative_to(built_site)) for p in built_site.rglob("*")
           if p.is_file() and p.suffix in {".xml", ".html", ".txt", ".js", ".css"}
           and re.search(r"\{%-? *(for|if|block|extends|include) ", p.read_text(encoding="utf-8", errors="replace"))]
    assert raw == []


def test_every_site_has_a_valid_sitemap(built_site):
    """Material's script fetches sitemap.xml beside the feed link of every page: it must be there and be
    XML; without --site-url it lists nothing (a sitemap needs absolute addresses)."""
    import xml.etree.ElementTree as ET

    for folder in ["", HR + "/", IJ + "/", RN + "/"]:
        root = ET.parse(built_site / folder / "sitemap.xml").getroot()
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        assert list(root) == []


def test_sitemap_lists_every_page_under_the_site_address(tmp_path, regions):
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    from conftest import REGION as RN  # a real (not example) region: an example site's sitemap lists no page

    out = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "generator", "build", "--regions", str(regions.root), "--out", str(out),
                    "--site-url", "https://regio.example.org/", "--as-of", "2026-11-26", RN],
                   check=True, capture_output=True, cwd=Path(__file__).resolve().parent.parent)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(out / RN / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert f"https://regio.example.org/{RN}/" in locs
    assert f"https://regio.example.org/{RN}/besluitvorming/" in locs
    pages = {p.parent for p in (out / RN).rglob("index.html")}
    assert len(locs) == len(pages)
    portal = [e.text for e in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert "https://regio.example.org/" in portal and not any(f"/{RN}/" in u for u in portal)
