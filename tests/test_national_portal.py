"""The national portal (issue 18): compact pages of regions known only from the registers, divisions and
the regelingen that serve them, the municipality page as the patchwork from one municipality, the finder,
the open data files, and a navigation that stays small. Built from a small hand-made national folder
(national_fixture.py) through `govsite build` in its own process, read as HTML and as files."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import national_fixture
from generator.site.national import National
from govsite_cli import ROOT, govsite

TODAY = {"GOVSITE_TODAY": "2026-06-01"}


def build(regions: Path, out: Path) -> Path:
    result = govsite("build", "--regions", str(regions), "--out", str(out), "--cache", str(out.parent / "cache"),
                     cwd=out.parent, env=TODAY)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("national")
    return build(national_fixture.write(folder / "regions"), folder / "site")


def article(site: Path, path: str):
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("article")


def text(node) -> str:
    return " ".join(node.get_text("").split())


def rows(table) -> list[list[str]]:
    return [[text(cell) for cell in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")]


def section(page, heading: str):
    """The first table after the h2 with this text."""
    h2 = next(h for h in page.find_all("h2") if text(h) == heading)
    return h2.find_next("table")


# --- compact pages -------------------------------------------------------------------------------

def test_compact_page_of_a_regeling_shows_what_the_register_says(site):
    page = article(site, "regio-holland-rijnland")
    assert text(page.h1) == "Regio Holland Rijnland"
    body = text(page)
    assert "gemeenschappelijke regeling in de vorm van een openbaar lichaam" in body
    assert "Bron: Register van Overheidsorganisaties, 16 mei 2026" in body
    assert "Samenwerking op het gebied van jeugdhulp, wonen en economie." in body
    members = rows(section(page, "Deelnemers"))
    assert members[0] == ["Leiden", "gemeente", "1 januari 2015", "gemeenteraad, college van burgemeester en wethouders"]
    # Participants that are not municipalities are shown as participants, after the municipalities.
    assert ["Provincie Zuid-Holland", "provincie", "1 januari 2023", "Gedeputeerde Staten"] in members
    assert ["@SUM(1)", "overheid in het buitenland", "1 januari 2023", "niet vermeld"] in members
    assert [r[0] for r in members[:3]] == ["Leiden", "Leiderdorp", "Oegstgeest"]
    leiden = page.find("a", string="Leiden")
    assert leiden["href"] == "../gemeenten/gm0546/"
    # The divisions it covers, its organisation, powers, founding decisions.
    covered = [a["href"] for a in page.find("h2", string="Gebieden").find_next("ul").find_all("a")]
    assert "../jeugdregio-holland-rijnland/" in covered
    assert page.find("a", href="https://www.hollandrijnland.nl/") is not None
    assert "(delegatie, art. 10:13 Awb)" in body and "(mandaat, art. 10:1 Awb)" in body
    assert page.find("a", href="https://zoek.officielebekendmakingen.nl/gmb-2023-1.html") is not None
    # History: every version, the one in force marked, the earlier one with its end.
    history = rows(section(page, "Geschiedenis"))
    assert history == [["Gemeenschappelijke regeling Holland Rijnland 2023 (nu)", "1 januari 2023", "–", "8"],
                       ["Gemeenschappelijke regeling Holland Rijnland 2016", "1 januari 2016", "1 januari 2023", "3"]]


def test_compact_page_has_a_governance_check_and_the_way_to_adopt_it(site):
    page = article(site, "regio-holland-rijnland")
    check = page.find("h2", string="Governance-check")
    assert check is not None
    missing = text(check.find_next("ul"))
    # The same words on every compact page stay out of the search index.
    assert check.find_next("ul").find_parent(attrs={"data-pagefind-ignore": True}) is not None
    for what in ("wie waarover beslist", "escalatieladder", "de rol van de raad", "art. 35 Wgr",
                 "wat elke deelnemer betaalt", "wie de deelnemers vertegenwoordigt"):
        assert what in missing
    assert page.find("a", string="zo neemt u een regio over")["href"] == "../bijdragen/regio-overnemen/"
    # One page, not a site of empty pages.
    assert sorted(p.name for p in (site / "regio-holland-rijnland").iterdir()) == ["index.html"]
    assert page.find("a", string="Download als open data (JSON)")["href"] == "../opendata/regio/regio-holland-rijnland.json"


def test_an_ended_regeling_is_shown_as_ended(site):
    page = article(site, "oude-milieudienst")
    assert "Deze regeling geldt niet meer" in text(page)
    assert "gold tot 1 januari 2013" in text(page)
    overview = article(site, "regelingen")
    ended = section(overview, "Regelingen die niet meer gelden (1)")
    assert rows(ended) == [["Milieudienst West-Holland", "openbaar lichaam", "1 januari 2013"]]


def test_a_division_lists_its_municipalities_and_the_regelingen_that_serve_it(site):
    page = article(site, "jeugdregio-holland-rijnland")
    assert text(page.h1) == "Holland Rijnland"
    body = text(page)
    assert "jeugdregio (CBS-code JZ27)" in body
    assert "Afgeleid van de CBS/PDOK gebiedsindelingen 2025 (CC BY 4.0)" in body
    serving = page.find("h2", string="Regelingen voor dit gebied").find_next("ul")
    assert [a["href"] for a in serving.find_all("a")] == ["../regio-holland-rijnland/"]
    members = page.find("h2", string="Gemeenten in dit gebied").find_next("ul")
    assert [text(li) for li in members.find_all("li")] == ["Leiden", "Leiderdorp", "Oegstgeest"]



def test_a_division_names_the_regelingen_with_its_municipalities_that_do_not_name_its_task(site):
    """Regio Holland Rijnland has exactly the municipalities of the province in the fixture but does not
    say it does a province's task: the province's page lists it apart, and does not claim that no regeling
    has its municipalities."""
    page = article(site, "provincie-zuid-holland")
    body = text(page)
    assert "Geen gemeenschappelijke regeling heeft precies de gemeenten" not in body
    assert "Een gebied is zelf geen organisatie" not in body  # a province has a government of its own
    alike = page.find("h2", string="Regelingen voor dit gebied").find_next("ul")
    assert [a["href"] for a in alike.find_all("a")] == ["../regio-holland-rijnland/"]
    division = json.loads((site / "opendata" / "regio" / "provincie-zuid-holland.json").read_text(encoding="utf-8"))
    assert (division["served_by"], division["same_members"]) == ([], ["regio-holland-rijnland"])
    # the jeugdregio: served by it, and nothing listed apart
    youth = article(site, "jeugdregio-holland-rijnland")
    assert "Deze regelingen hebben ook precies de gemeenten" not in text(youth)
    assert json.loads((site / "opendata" / "regio" / "jeugdregio-holland-rijnland.json").read_text(
        encoding="utf-8"))["same_members"] == []



def test_a_purpose_that_lists_points_shows_them_as_a_list(tmp_path):
    """The register keeps a purpose's bullets but not its line breaks: the page shows the points as a list,
    with every word of the register's text; a purpose with one bullet stays as it is."""
    listed = "Het doel is op het gebied van:\u2022 Economie\u2022 Wonen & verkeer\u2022 Zorginnovaties"
    one = "Samenwerking:\u2022 alleen dit punt."
    assert National.purpose_parts(listed) == ("Het doel is op het gebied van:", ["Economie", "Wonen & verkeer",
                                                                             "Zorginnovaties"])
    assert National.purpose_parts(one) == (one, [])
    registers = {**national_fixture.REGISTERS,
                 "regio-holland-rijnland": {**national_fixture.REGISTERS["regio-holland-rijnland"], "purpose": listed}}
    site = build(national_fixture.write(tmp_path / "regions", registers), tmp_path / "site")
    page = article(site, "regio-holland-rijnland")
    points = page.find("h2", string="Doel").find_next("ul")
    assert [text(li) for li in points.find_all("li")] == ["Economie", "Wonen & verkeer", "Zorginnovaties"]
    assert text(points.find_previous("p")) == "Het doel is op het gebied van:"


# --- the municipality page --------------------------------------------------------------------------

def test_municipality_page_lists_divisions_and_regelingen_in_force_with_sources(site):
    page = article(site, "gemeenten/gm0546")
    assert text(page.h1) == "Leiden"
    divisions = rows(section(page, "Gebieden"))
    source = "Afgeleid van de CBS/PDOK gebiedsindelingen 2025 (CC BY 4.0)"
    assert divisions == [["provincie", "Zuid-Holland"], ["jeugdregio", "Holland Rijnland"]]
    assert text(section(page, "Gebieden").find_next("p")) == source + "."  # one line for all rows
    regelingen = rows(section(page, "Gemeenschappelijke regelingen"))
    # three columns that fit a screen, the rest in a details line under the name
    assert regelingen == [["Regio Holland Rijnland Vorm: openbaar lichaam · Doet mee sinds: 1 januari 2015 · "
                           "Bron: Register van Overheidsorganisaties, 16 mei 2026", "raad, college", "niet bekend"]]
    assert section(page, "Gemeenschappelijke regelingen").find("a")["href"] == "../../regio-holland-rijnland/"
    former = text(page.find("h2", string="Regio's waarin Leiden niet meer meedoet").find_next("ul"))
    assert "Milieudienst West-Holland: deze regeling geldt niet meer sinds 1 januari 2013" in former


def test_municipality_page_counts_a_regeling_of_a_municipality_it_absorbed(site):
    page = article(site, "gemeenten/gm1982")
    regelingen = rows(section(page, "Gemeenschappelijke regelingen"))
    # The register's old name belongs to the municipality's membership, not to the regeling's name.
    assert regelingen[0][0].startswith("Afvalschap Cuijk Vorm: bedrijfsvoeringsorganisatie · Doet mee sinds: "
                                       "1 januari 2022 · In het register staat Land van Cuijk hier nog als Boxmeer · ")
    assert regelingen[0][1] == "college"


def test_every_current_municipality_has_a_page_and_the_finder_groups_them_by_province(site):
    page = article(site, "gemeenten")
    for code in ("gm0546", "gm0547", "gm0579", "gm1982"):
        assert (site / "gemeenten" / code / "index.html").is_file()
    assert not (site / "gemeenten" / "gm0756").exists()  # Boxmeer ended in 2022 and no region names it
    headings = {h["id"]: text(h) for h in page.find_all("h2")}
    assert headings == {"provincie-noord-brabant": "Noord-Brabant", "provincie-zuid-holland": "Zuid-Holland"}
    jumps = [a["href"] for a in page.find_all("a") if a["href"].startswith("#provincie-")]
    assert jumps == ["#provincie-noord-brabant", "#provincie-zuid-holland"]
    holland = rows(page.find("h2", id="provincie-zuid-holland").find_next("table"))
    assert [r[0] for r in holland] == ["Leiden", "Leiderdorp", "Oegstgeest"]
    assert page.select_one("[data-gemeentezoeker]") is not None  # the filter's place (govsite.js)


def test_a_municipality_page_gives_the_name_cbs_uses_where_it_differs(tmp_path):
    """The register says Den Bosch, CBS 's-Hertogenbosch (municipalities.yaml: official_name): the page gives
    both, so that a search finds either."""
    den_bosch = {"code": "GM0796", "name": "Den Bosch", "official_name": "'s-Hertogenbosch",
                 "province": "Noord-Brabant", "inhabitants": 162295}
    site = build(national_fixture.write(tmp_path / "regions", municipalities=[*national_fixture.MUNICIPALITIES,
                                                                               den_bosch]), tmp_path / "site")
    assert "CBS-code GM0796; bij het CBS heet zij 's-Hertogenbosch." in text(article(site, "gemeenten/gm0796"))
    assert "bij het CBS heet" not in text(article(site, "gemeenten/gm0546"))
    # The finder's filter reads the first cell of each row (govsite.js): it finds either name.
    brabant = rows(article(site, "gemeenten").find("h2", id="provincie-noord-brabant").find_next("table"))
    assert ["Den Bosch (bij het CBS: 's-Hertogenbosch)", "Land van Cuijk"] == [r[0] for r in brabant]
    data = json.loads((site / "opendata" / "gemeente" / "gm0796.json").read_text(encoding="utf-8"))
    assert (data["name"], data["official_name"]) == ("Den Bosch", "'s-Hertogenbosch")


def test_the_navigation_stays_small(site):
    html = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in html.select("nav.md-nav--primary a.md-nav__link[href]")]
    assert len(links) < 25
    assert not [h for h in links if "gemeenten/gm" in h or "regio-holland-rijnland" in h]
    # The municipality page carries the same small navigation, not one that grows with the pages.
    page = BeautifulSoup((site / "gemeenten/gm0546/index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(page.select("nav.md-nav--primary a.md-nav__link[href]")) == len(links)


def test_every_link_between_the_pages_leads_to_a_page_or_file(site):
    """The national pages link each other by address (regions, municipalities, open data): none is dead,
    also not to a municipality the register's history names but that no longer exists (no page)."""
    dead = []
    for page in site.rglob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("article a[href]"):
            href = a["href"].split("#")[0]
            if not href or "://" in href or href.startswith(("mailto:", "/")):
                continue
            target = (page.parent / href).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                dead.append((str(page.relative_to(site)), a["href"]))
    assert not dead, dead[:10]


# --- open data ------------------------------------------------------------------------------

def test_open_data_json_per_region_and_per_municipality(site):
    region = json.loads((site / "opendata/regio/regio-holland-rijnland.json").read_text(encoding="utf-8"))
    assert region["id"] == "regio-holland-rijnland" and region["legal_form"] == "openbaar-lichaam"
    assert region["licence"] == "CC0 1.0"
    assert region["source"]["label"] == "Bron: Register van Overheidsorganisaties, 16 mei 2026"
    assert [v["roo_id"] for v in region["versions"]] == ["28212", "51000"]
    leiden = next(p for p in region["participants"] if p["code"] == "GM0546")
    assert leiden == {"code": "GM0546", "name": "Leiden", "registered_name": "Leiden", "kind": "gemeente",
                      "since": "2015-01-01", "until": None, "bodies": ["raad", "college"], "registered_as": None}
    division = json.loads((site / "opendata/regio/jeugdregio-holland-rijnland.json").read_text(encoding="utf-8"))
    assert division["licence"] == "CC BY 4.0" and division["source"]["derived"] is True
    assert [m["code"] for m in division["members"]] == ["GM0546", "GM0547", "GM0579"]
    municipality = json.loads((site / "opendata/gemeente/gm1982.json").read_text(encoding="utf-8"))
    assert municipality["name"] == "Land van Cuijk" and municipality["province"] == "Noord-Brabant"
    taking = municipality["regelingen"][0]
    assert taking["id"] == "afvalschap-cuijk" and taking["registered_as"] == "GM0756"
    assert taking["source"]["licence"] == "CC0 1.0"
    assert [d["kind"] for d in municipality["divisions"]] == ["provincie"]
    # Linked from the pages.
    link = article(site, "gemeenten/gm1982").find("a", string="Download als open data (JSON)")
    assert link["href"] == "../../opendata/gemeente/gm1982.json"


def test_open_data_csv_of_all_memberships_is_safe_in_a_spreadsheet(site):
    raw = (site / "opendata/deelnames.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = table[0], table[1:]
    assert header[:8] == ["regio_id", "regio", "soort_regio", "gemeentecode", "deelnemer", "soort_deelnemer",
                          "sinds", "tot"]
    assert "licentie" in header and "bron" in header
    names = [row[4] for row in body]
    # Text that a spreadsheet would run as a formula starts with an apostrophe; nothing starts with = + - @.
    assert "'=HYPERLINK(\"https://example.org\")" in names
    assert {"'+31 Stichting", "'-2+3", "'@SUM(1)"} <= set(names)
    assert not [cell for row in body for cell in row if cell[:1] in ("=", "+", "-", "@")]
    leiden = next(row for row in body if row[0] == "regio-holland-rijnland" and row[3] == "GM0546")
    by = dict(zip(header, leiden))
    assert (by["sinds"], by["tot"], by["bestuursorganen"], by["licentie"]) == ("2015-01-01", "", "raad college",
                                                                               "CC0 1.0")
    boxmeer = next(row for row in body if row[0] == "afvalschap-cuijk")
    assert dict(zip(header, boxmeer))["geregistreerd_als"] == "GM0756"


# --- adopting a region keeps its address ----------------------------------------------------------

def test_an_adopted_region_keeps_the_address_of_its_compact_page(tmp_path):
    regions = national_fixture.write(tmp_path / "regions")
    before = build(regions, tmp_path / "before")
    assert text(article(before, "regio-holland-rijnland").h1) == "Regio Holland Rijnland"
    link = section(article(before, "gemeenten/gm0546"), "Gemeenschappelijke regelingen").find("a")["href"]

    # The secretariat adds its own files beside register.yaml: a complete region (an example's, renamed).
    example = ROOT / "examples" / "voorbeeldland-west-jeugd"
    target = regions / "regio-holland-rijnland"
    for path in example.rglob("*.yaml"):
        (target / path.relative_to(example)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / path.relative_to(example))
    region = yaml.safe_load((target / "region.yaml").read_text(encoding="utf-8"))
    text_of = (target / "region.yaml").read_text(encoding="utf-8").replace(f"id: {region['id']}",
                                                                           "id: regio-holland-rijnland")
    (target / "region.yaml").write_text(text_of, encoding="utf-8")
    listed = yaml.safe_load((regions / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    extra = yaml.safe_load((ROOT / "examples" / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    (regions / "municipalities.yaml").write_text(yaml.safe_dump({"municipalities": listed + extra},
                                                                allow_unicode=True), encoding="utf-8")
    after = build(regions, tmp_path / "after")

    # The same address now holds the region's own site, with its pages; the compact page is gone.
    assert (after / "regio-holland-rijnland" / "besluitvorming" / "index.html").is_file()
    assert "Governance-check" not in text(article(after, "regio-holland-rijnland").h1)
    assert section(article(after, "gemeenten/gm0546"), "Gemeenschappelijke regelingen").find("a")["href"] == link
    assert json.loads((after / "opendata/regio/regio-holland-rijnland.json").read_text(encoding="utf-8"))[
        "registered"]["id"] == "regio-holland-rijnland"


def test_what_the_register_says_is_shown_as_text_never_run(tmp_path):
    """The register's texts reach the pages through the same escaping as a secretariat's: a purpose with
    HTML and a script link, a name with Markdown, are shown as written, not run or formatted."""
    registers = {id: dict(data) for id, data in national_fixture.REGISTERS.items()}
    registers["afvalschap-cuijk"] = {**registers["afvalschap-cuijk"], "name": "**Afval** [klik](javascript:alert(1))",
                                     "purpose": "<script>alert(1)</script> <img src=x onerror=alert(2)>"}
    site = build(national_fixture.write(tmp_path / "regions", registers), tmp_path / "site")
    page = article(site, "afvalschap-cuijk")
    assert text(page.h1) == "**Afval** [klik](javascript:alert(1))"
    assert page.find("script") is None and page.find("img") is None and page.find("strong", string="Afval") is None
    assert not [a for a in page.find_all("a") if a.get("href", "").lower().startswith("javascript")]
    assert "<script>alert(1)</script>" in page.get_text()
    municipality = article(site, "gemeenten/gm1982")
    assert not [a for a in municipality.find_all("a") if a.get("href", "").lower().startswith("javascript")]


# --- what a reviewer found on the built portal (session 19) ----------------------------------------

# Voorne aan Zee took over three municipalities on 1 January 2023; the register still lists them. The
# import ends their membership the day before and lists the successor once, with a 'fusie' correction each.
VOORNE = [
    {"code": "GM1992", "name": "Voorne aan Zee", "province": "Zuid-Holland", "inhabitants": 70000},
    {"code": "GM1930", "name": "Nissewaard", "province": "Zuid-Holland", "inhabitants": 85000},
    *({"code": code, "name": name, "province": "Zuid-Holland", "ended": "2023-01-01", "succeeded_by": "GM1992"}
      for code, name in (("GM0501", "Brielle"), ("GM0530", "Hellevoetsluis"), ("GM0614", "Westvoorne"))),
]


def _merged(code: str, name: str) -> dict:
    return {"what": "fusie", "register": f"Gemeente {name} ({code}), deelnemer sinds 1 januari 2017",
            "shown": "Voorne aan Zee (GM1992), deelnemer vanaf 1 januari 2023"}


def _variant_registers() -> dict:
    old = (("GM0501", "Brielle"), ("GM0530", "Hellevoetsluis"), ("GM0614", "Westvoorne"))
    participants = [
        *(national_fixture._participant(code, name, since="2017-01-01", bodies=["college"], until="2022-12-31")
          for code, name in old),
        national_fixture._participant("GM1930", "Nissewaard", since="2017-01-01", bodies=["college"]),
        national_fixture._participant("GM1992", "Voorne aan Zee", since="2023-01-01", bodies=["college"],
                                      registered_as="GM0501", corrections=[_merged(c, n) for c, n in old]),
    ]
    return {
        **national_fixture.REGISTERS,
        "voorne-putten-werkt": {
            "id": "voorne-putten-werkt", "kind": "gemeenschappelijke-regeling",
            "name": "Gemeenschappelijke regeling Voorne-Putten Werkt 2017", "source": national_fixture.ROO,
            "legal_form": "regeling-zonder-meer", "powers": ["mandaat"],
            "founding_decisions": ["https://lokaleregelgeving.overheid.nl/CVDR420336/1",
                                   "https://zoek.officielebekendmakingen.nl/stcrt-2016-72820.html"],
            "versions": [{"roo_id": "28516617", "title": "Voorne-Putten Werkt 2017", "effective": "2017-01-01",
                          "participants": participants}]},
        # Listed under its predecessor's name in an old version, under its own in the version in force.
        "jeugdhulp-rijnmond": {
            "id": "jeugdhulp-rijnmond", "kind": "gemeenschappelijke-regeling", "name": "Jeugdhulp Rijnmond",
            "source": national_fixture.ROO, "legal_form": "openbaar-lichaam",
            "versions": [
                {"roo_id": "8", "title": "Jeugdhulp Rijnmond 2015", "effective": "2015-01-01", "ended": "2024-01-01",
                 "participants": [national_fixture._participant(
                     "GM1992", "Voorne aan Zee", since="2023-01-01", registered_as="GM0501",
                     corrections=[_merged("GM0501", "Brielle")])]},
                {"roo_id": "9", "title": "Jeugdhulp Rijnmond 2024", "effective": "2024-01-01",
                 "participants": [national_fixture._participant("GM1992", "Voorne aan Zee", since="2024-01-01")]}]},
        "centrumregeling-leiden": {
            "id": "centrumregeling-leiden", "kind": "gemeenschappelijke-regeling", "name": "Centrumregeling Leiden",
            "source": national_fixture.ROO, "legal_form": "centrumgemeente",
            "versions": [{"roo_id": "4", "title": "Centrumregeling Leiden", "effective": "2020-01-01",
                          "participants": [national_fixture._participant(c, n, since="2020-01-01") for c, n in
                                           (("GM0546", "Leiden"), ("GM0547", "Leiderdorp"))]}]},
        "euregio-maas-rijn": {
            "id": "euregio-maas-rijn", "kind": "gemeenschappelijke-regeling", "name": "Euregio Maas-Rijn",
            "source": national_fixture.ROO, "legal_form": "openbaar-lichaam",
            "purpose": "De kerntaak van de EGTS is de samenwerking tussen de partnerregio's te vereenvoudigen.",
            "versions": [{"roo_id": "5", "title": "Euregio Maas-Rijn", "effective": "2020-01-01",
                          "participants": [national_fixture._participant("GM0546", "Leiden", since="2020-01-01"),
                                           {"name": "Provincie Luik", "kind": "buitenland", "since": "2020-01-01"}]}]},
        "servicepunt71": {
            "id": "servicepunt71", "kind": "gemeenschappelijke-regeling", "name": "Servicepunt71",
            "source": national_fixture.ROO, "legal_form": "bedrijfsvoeringsorganisatie",
            "organisation": {"name": "Servicepunt71", "website": "https://www.servicepunt71.nl"},
            "powers": ["delegatie"],
            "versions": [{"roo_id": "71", "title": "Servicepunt71", "effective": "2012-01-01", "ended": "2023-01-01",
                          "participants": [national_fixture._participant(c, n, since="2012-01-01") for c, n in
                                           (("GM0546", "Leiden"), ("GM0547", "Leiderdorp"))]}]},
    }


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("variant")
    regions = national_fixture.write(folder / "regions", _variant_registers(),
                                     national_fixture.MUNICIPALITIES + VOORNE)
    return build(regions, folder / "site")


def test_a_merged_municipality_is_listed_apart_with_its_end_date(variant):
    """Brielle, Hellevoetsluis and Westvoorne ended on 31 December 2022: not current participants beside
    Voorne aan Zee, which names all three; the history counts who takes part, not every row."""
    page = article(variant, "voorne-putten-werkt")
    members = rows(section(page, "Deelnemers"))
    assert [r[0] for r in members] == ["Nissewaard", "Voorne aan Zee (voorheen Brielle, Hellevoetsluis en Westvoorne)"]
    former = page.find("h3", string="Eerder deden mee").find_next("ul")
    assert [text(li) for li in former.find_all("li")] == [
        f"{name}: deed mee van 1 januari 2017 tot en met 31 december 2022; opgegaan in Voorne aan Zee."
        for name in ("Brielle", "Hellevoetsluis", "Westvoorne")]
    assert rows(section(page, "Geschiedenis"))[0][-1] == "2"
    assert "telt wie meedeed op de laatste dag dat de versie gold" in text(page)


def test_municipality_page_says_the_register_lists_it_under_its_predecessors(variant):
    page = article(variant, "gemeenten/gm1992")
    regeling = rows(section(page, "Gemeenschappelijke regelingen"))[0][0]
    assert regeling.startswith("Gemeenschappelijke regeling Voorne-Putten Werkt 2017 Vorm: regeling zonder meer")
    assert ("In het register staat Voorne aan Zee hier nog als Brielle, Hellevoetsluis en Westvoorne"
            in regeling)
    assert "voorheen" not in regeling
    # The version in force lists it under its own name: no old name, though an earlier version had one.
    youth = next(r[0] for r in rows(section(page, "Gemeenschappelijke regelingen")) if r[0].startswith("Jeugdhulp"))
    assert "In het register staat" not in youth
    # Nissewaard took part itself: no old name
    assert "In het register staat" not in text(article(variant, "gemeenten/gm1930"))


def test_municipality_page_counts_by_the_register_date_not_the_build_date(site):
    body = text(article(site, "gemeenten/gm0546"))
    assert ("Volgens het Register van Overheidsorganisaties van 16 mei 2026 doet Leiden mee aan 1 "
            "gemeenschappelijke regeling.") in body
    assert "op 1 juni 2026 mee aan" not in body  # the build date (GOVSITE_TODAY) is not the data's date


def test_a_regeling_without_a_body_of_its_own_has_no_art_35(variant):
    """A regeling zonder meer and a centrumgemeente have no board and no budget of their own: art. 35 Wgr
    (the draft budget) does not apply; the council's consent to the regeling does (art. 1 Wgr)."""
    for id in ("voorne-putten-werkt", "centrumregeling-leiden"):
        check = article(variant, id).find("h2", string="Governance-check").find_next("ul")
        listed = text(check)
        assert "art. 35" not in text(article(variant, id))
        assert "ontwerpbegroting" not in listed and "de begroting en" not in listed
        assert "(art. 1 lid 4 Wgr)" in listed and "(art. 1 lid 5 Wgr)" in listed
        assert "geen eigen bestuur en geen eigen begroting" in listed
    assert "welke gemeente de centrumgemeente is" in text(article(variant, "centrumregeling-leiden"))
    # A body with its own budget keeps art. 35.
    assert "(art. 35 Wgr)" in text(article(variant, "regio-holland-rijnland"))


def test_an_ended_regeling_speaks_in_the_past_without_a_takeover_invitation(variant):
    page = article(variant, "servicepunt71")
    body = text(page)
    assert "Servicepunt71 was een gemeenschappelijke regeling in de vorm van een bedrijfsvoeringsorganisatie" in body
    assert "De deelnemers hadden samen een uitvoeringsorganisatie opgericht" in body
    assert "De regeling had een eigen organisatie: Servicepunt71." in body
    assert "De deelnemers hadden bevoegdheden overgedragen" in body
    for present in ("hebben samen", "heeft een eigen organisatie", "hebben bevoegdheden", "Doet mee sinds"):
        assert present not in body
    assert [text(th) for th in section(page, "Deelnemers").select("thead th")][2:] == ["Deed mee sinds",
                                                                                   "Nam deel met"]
    assert page.find("h2", string="Governance-check") is None
    assert "zo neemt u een regio over" not in body and "groeit uit tot een eigen site" not in body


def test_organisation_and_contact_items_are_separate_and_decisions_are_named(variant):
    page = article(variant, "servicepunt71")
    heading = page.find("h2", string="Organisatie en contact")
    paragraphs = []
    for node in heading.find_next_siblings():
        if node.name == "h2":
            break
        if node.name == "p":
            paragraphs.append(text(node))
    assert paragraphs[:2] == ["De regeling had een eigen organisatie: Servicepunt71.",
                              "Website: https://www.servicepunt71.nl"]
    assert paragraphs[2].startswith("Bevoegdheden: ")
    decisions = next(p for p in article(variant, "voorne-putten-werkt").find_all("p")
                     if text(p) == "Besluiten waarmee de regeling is ingesteld:")
    links = {text(a): a["href"] for a in decisions.find_next("ul").find_all("a")}
    assert links == {"Regeling op lokaleregelgeving.overheid.nl (CVDR420336)":
                     "https://lokaleregelgeving.overheid.nl/CVDR420336/1",
                     "Staatscourant 2016, 72820": "https://zoek.officielebekendmakingen.nl/stcrt-2016-72820.html"}


def test_the_areas_table_names_its_source_once(site):
    """On a phone each cell shows its column's name: a column 'Bron' whose cells begin 'Bron: ...' read
    'Bron: Bron:'. The source is one line under the table instead."""
    page = article(site, "gemeenten/gm0546")
    table = section(page, "Gebieden")
    assert [text(th) for th in table.select("thead th")] == ["Soort gebied", "Gebied"]
    assert "Bron: Bron:" not in text(page) and not table.select('[data-label="Bron"]')


def test_a_cross_border_body_says_what_it_is_without_wgr_claims(variant):
    """A regeling with participants abroad rests on a treaty or an EU regulation (here an EGTS, as its
    purpose says): the page says so, speaks of 'de deelnemers', and claims no Wgr article for it."""
    page = text(article(variant, "euregio-maas-rijn"))
    assert "staat in het register als gemeenschappelijke regeling in de vorm van een openbaar lichaam" in page
    assert "Europese groepering voor territoriale samenwerking (EGTS)" in page and "1082/2006" in page
    assert "Dat staat niet in het register." in page
    assert "art. 35" not in page and "De gemeenten hebben samen" not in page
    assert "wie de deelnemers vertegenwoordigt" in page
    # Its members' agenda has no Wgr dates for it; those of a Dutch openbaar lichaam stay.
    agenda = rows(section(article(variant, "gemeenten/gm0546"), "Agenda voor de raad"))
    assert {r[2] for r in agenda} == {"Regio Holland Rijnland"}
