"""Agreement pages: the version in force, who adopted it, all versions with their permanent pages,
what changed per version (article by article, word by word), repealed and future agreements.

Reads the example site built once per session as on 2026-11-26 (tests/builtsite.py).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup

from generator.domain.model import version_slug
from generator.pipeline import check

pytest_plugins = ["builtsite"]
REGIONS = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 26)
HR = "voorbeeldland-west-jeugd"


def soup(site: Path, path: str) -> BeautifulSoup:
    file = site / path
    assert file.is_file(), f"{path} is not in the built site"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def content(page: BeautifulSoup):
    return page.select_one("article.md-content__inner")


def words(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def test_version_slug_is_a_permanent_address():
    assert version_slug("1.0") == "1-0"
    assert version_slug("2024.1 (concept)") == "2024-1-concept"


def test_every_example_region_has_an_agreement_with_three_versions(built_site):
    checked = check(REGIONS, None, AS_OF)
    for region in checked.regions:
        long = [a for a in region.agreements if len(a.versions) >= 3]
        assert long, f"{region.id} has no agreement with three versions"
        for agreement in long:
            for v in agreement.versions:
                page = soup(built_site, f"{region.id}/afspraken/{agreement.id}/versie-{version_slug(v.version)}/index.html")
                assert f"versie {v.version}" in words(page.find("h1"))


def test_agreement_page_shows_the_version_in_force(built_site):
    page = soup(built_site, f"{HR}/afspraken/gr-jeugd/index.html")
    main = content(page)
    assert words(main.find("h1")) == "Gemeenschappelijke regeling Jeugdhulp Voorbeeldland-West"
    box = main.select_one(".admonition.info")
    text = words(box)
    assert "Geldende versie: versie 3.1" in text
    assert "Geldend sinds 1 juli 2024" in text
    assert "Vastgesteld op 13 juni 2024 door de colleges van B en W" in text
    assert "In werking getreden op 1 juli 2024" in text
    assert box.find("a", string="Officiële publicatie")["href"] == \
        "https://example.org/voorbeeldland-west-jeugd/publicaties/gr-jeugd-2024"
    # the articles of 3.1, each with a fixed anchor; 13 was removed in 3.0, 17-20 came in 3.1
    anchors = [h["id"] for h in main.find_all("h3")]
    assert anchors == [f"artikel-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20)]
    assert "binnen twaalf weken" in words(main.find(id="artikel-7").find_next("p"))


def test_agreement_page_lists_all_versions_with_status(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/gr-jeugd/index.html"))
    table = main.find("h2", string="Alle versies").find_next("table")
    rows = [[words(td) for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
    assert rows == [
        ["Versie 3.1", "13 juni 2024 door de colleges van B en W", "vanaf 1 juli 2024", "Geldend"],
        ["Versie 3.0", "16 maart 2023 door de colleges van B en W", "van 1 april 2023 tot en met 30 juni 2024",
         "Vervallen"],
        ["Versie 2.0", "13 december 2018 door de colleges van B en W",
         "van 1 januari 2019 tot en met 31 maart 2023", "Vervallen"],
        ["Versie 1.0", "20 november 2014 door de colleges van B en W",
         "van 1 januari 2015 tot en met 31 december 2018", "Vervallen"],
    ]
    links = [a["href"] for a in table.find_all("a")]
    assert links == ["versie-3-1/", "versie-3-0/", "versie-2-0/", "versie-1-0/"]


def test_agreement_that_ends_later_says_until_when(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/inkoopstrategie-jeugd/index.html"))
    assert "Geldend van 1 januari 2025 tot en met 31 december 2027" in words(main.select_one(".admonition.info"))
    assert "De afspraak vervalt op 1 januari 2028" in words(main)


def test_repealed_agreement(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/convenant-onderwijs-jeugdhulp/index.html"))
    warning = main.select_one(".admonition.warning")
    assert words(warning.select_one(".admonition-title")) == "Vervallen"
    assert "Deze afspraak geldt niet meer sinds 1 januari 2025" in words(warning)
    assert "die gold van 1 januari 2021 tot en met 31 december 2024" in words(warning)
    assert main.select_one(".admonition.info") is None  # no version in force
    assert main.find("h2", string=re.compile("Tekst van de laatste versie")) is not None
    version_page = content(soup(built_site, f"{HR}/afspraken/convenant-onderwijs-jeugdhulp/versie-1-0/index.html"))
    assert "De afspraak is vervallen op 1 januari 2025" in words(version_page.select_one(".admonition.warning"))


def test_afspraken_index_lists_kind_version_and_status(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/index.html"))
    rows = {words(tr.find("td")): [words(td) for td in tr.find_all("td")] for tr in main.find_all("tr")[1:]}
    assert rows["Gemeenschappelijke regeling Jeugdhulp Voorbeeldland-West"] == [
        "Gemeenschappelijke regeling Jeugdhulp Voorbeeldland-West", "Gemeenschappelijke regeling", "Versie 3.1",
        "1 juli 2024", "Geldend"]
    assert rows["Regionale inkoopstrategie specialistische jeugdhulp 2021-2027"][1:] == [
        "Inkoopstrategie", "Versie 1.1", "1 januari 2025", "Geldend tot en met 31 december 2027"]
    assert rows["Convenant Onderwijs en Jeugdhulp Voorbeeldland-West 2021-2024"][1:] == [
        "Convenant", "–", "–", "Vervallen sinds 1 januari 2025"]
    # in force first, repealed last
    assert list(rows)[-1] == "Convenant Onderwijs en Jeugdhulp Voorbeeldland-West 2021-2024"


def test_version_page_shows_what_changed_word_by_word(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/gr-jeugd/versie-3-0/index.html"))
    text = words(main)
    # the version's own summary comes before the comparison
    assert text.index("Aanpassing aan de vernieuwde Wet gemeenschappelijke regelingen") < text.index("Vergeleken met versie 2.0")
    assert "1 artikel gewijzigd, 2 artikelen toegevoegd en 1 artikel vervallen" in text
    headings = [words(h) for h in main.find_all("h4")]
    assert headings == ["Artikel 7: Kaderbrief en begroting (gewijzigd)", "Artikel 13: Overgangsbepaling (vervallen)",
                        "Artikel 15: Raadsadviescommissie (nieuw artikel)",
                        "Artikel 16: Informatie aan de raden (nieuw artikel)"]

    def diff_after(heading: str):
        h = main.find("h4", string=re.compile(re.escape(heading)))
        return h.find_all_next("div", class_="govsite-diff", limit=2)

    title, body = diff_after("Artikel 7")
    assert [d.get_text("", strip=False) for d in title.find_all("del")] == ["[verwijderd: Begroting]"]
    changed = [(tag.name, tag.find(string=True, recursive=False).strip()) for tag in body.find_all(["ins", "del"])]
    # 3.0 follows the Wgr of 1 July 2022: twelve weeks instead of six (art. 35), GS before 15 September (art. 34)
    assert changed[0] == ("ins", "de kaderbrief vóór 15 januari en")
    assert ("del", "acht") in changed and ("ins", "twaalf") in changed
    assert ("del", "1 augustus") in changed or any("1 augustus" in text for tag, text in changed if tag == "del")
    # readable without colour: hidden words for screen readers say what each mark means
    assert body.find("del").select_one(".govsite-vh").get_text() == "[verwijderd: "
    assert body.find("ins").select_one(".govsite-vh").get_text() == "[toegevoegd: "
    (removed,) = diff_after("Artikel 13")[:1]
    assert removed.find("ins") is None and "Contracten die de deelnemers in 2014" in removed.find("del").get_text()
    (added,) = diff_after("Artikel 15")[:1]
    assert added.find("del") is None and "Er is een raadsadviescommissie" in added.find("ins").get_text()
    # and the full text of the version, with its anchors
    assert main.find(id="artikel-16") is not None and main.find(id="artikel-13") is None


def test_first_version_page_says_it_is_the_first(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/gr-jeugd/versie-1-0/index.html"))
    assert "Dit is de eerste versie van deze afspraak." in words(main)
    assert "Deze versie gold van 1 januari 2015 tot en met 31 december 2018" in words(main.select_one(".admonition.warning"))
    assert main.select_one(".govsite-diff") is None


def test_version_page_details_table_has_named_columns(built_site):
    main = content(soup(built_site, f"{HR}/afspraken/gr-jeugd/versie-3-0/index.html"))
    (table,) = [t for t in main.find_all("table") if words(t.find("td")) == "Afspraak"]
    assert [words(th) for th in table.find_all("th")] == ["Onderwerp", "Gegevens"]  # no empty header cells
    assert table.find_parent("div", class_="govsite-table")["aria-label"] == "Gegevens over versie 3.0"
    assert [words(tr.find("td")) for tr in table.find_all("tr")[1:]] == [
        "Afspraak", "Vastgesteld", "In werking", "Officiële publicatie"]


def test_decisions_link_to_existing_article_anchors(built_site):
    for region in ("voorbeeldland-west-jeugd", "voorbeeldland-noord-beschermd-wonen", "voorbeeldland-oost-werk"):
        base = f"{region}/besluitvorming/index.html"
        links = {a["href"] for a in soup(built_site, base).find_all("a", href=re.compile("#artikel-"))}
        assert links, f"{region}: no links to articles"
        for href in links:
            target = urlparse(urljoin(base, href))
            page = soup(built_site, target.path + "index.html")
            assert page.find(id=target.fragment) is not None, f"{region}: {href} has no anchor"


def test_history_stylesheet_is_loaded(built_site):
    page = soup(built_site, f"{HR}/afspraken/gr-jeugd/versie-3-0/index.html")
    sheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(href.endswith("assets/history.css") for href in sheets)
    css = (built_site / HR / "assets" / "history.css").read_text(encoding="utf-8")
    assert "line-through" in css and "underline" in css
