"""Search as the built pages set it up (issue 19 item 4), without a browser: the header's search field on
every page, the weight of versions that no longer apply, and the header override kept equal to
Material's own apart from its one block. tests/test_search_browser.py searches in a real browser.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

import material

from builtsite import AS_OF, REGIONS
from generator.pipeline import check

pytest_plugins = ["builtsite"]

OVERRIDE = Path(__file__).resolve().parent.parent / "theme" / "overrides" / "partials" / "header.html"
MATERIAL = Path(material.__file__).parent / "templates" / "partials" / "header.html"


def test_the_header_override_is_materials_with_one_block():
    ours = OVERRIDE.read_text(encoding="utf-8")
    theirs = MATERIAL.read_text(encoding="utf-8")
    without_block = re.sub(r"\n *\{#- govsite: .*?\{#- /govsite -#\}", "", ours, flags=re.DOTALL)
    without_head = re.sub(r"^\{#-.*?-#\}\n", "", without_block, count=1, flags=re.DOTALL)
    assert without_head == re.sub(r"^\{#-.*?-#\}\n", "", theirs, count=1, flags=re.DOTALL), \
        "Material's partials/header.html changed: copy it again and put the govsite block back"


def test_every_page_has_a_search_field_in_its_header_that_leads_to_its_search_page(built_site):
    pages = sorted(p for p in built_site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 40
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        form = page.select_one("header form.govsite-header-search")
        where = path.relative_to(built_site)
        if where.parts[-2:] == ("zoeken", "index.html"):
            assert form is None, where  # the search page has its own field
            continue
        assert form is not None and form.get("role") == "search" and form["method"] == "get", where
        field = form.find("input", attrs={"name": "q"})
        assert field and field["type"] == "search" and form.find("label", attrs={"for": field["id"]}), where
        target = (path.parent / form["action"]).resolve() / "index.html"
        assert target.is_file() and target.parent.name == "zoeken", (where, form["action"])
        # a region's pages search the region (its folder has a search page), the portal's the portal
        site_root = built_site / where.parts[0] if (built_site / where.parts[0] / "zoeken").is_dir() else built_site
        assert target == (site_root / "zoeken" / "index.html").resolve(), (where, form["action"])


def test_versions_that_no_longer_apply_weigh_less_in_search(built_site):
    seen = {"vervallen": 0, "geldend": 0}
    for region in check(REGIONS, None, AS_OF).regions:
        for agreement in region.state(AS_OF).agreements:
            for version in agreement.versions:
                path = built_site / region.id / "afspraken" / agreement.agreement.id / f"versie-{version.slug}" / "index.html"
                body = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("[data-pagefind-body]")
                weight = body.get("data-pagefind-weight")
                if version.status == "vervallen":
                    assert weight is not None and float(weight) < 1, path
                else:
                    assert weight is None, path
                seen[version.status] = seen.get(version.status, 0) + 1
    assert seen["vervallen"] and seen["geldend"]


def test_the_glossary_gives_the_words_readers_use_in_visible_text(built_site):
    """The synonyms are in the glossary's text (content/begrippen.md), not in hidden keywords."""
    page = BeautifulSoup((built_site / "begrippen" / "index.html").read_text(encoding="utf-8"), "html.parser")
    entries = {" ".join(dt.get_text().split()): " ".join(dd.get_text().split())
               for dt, dd in zip(page.select("article dt"), page.select("article dd"))}
    ladder = entries["Escalatieladder"]
    assert all(word in ladder for word in ("escalatie", "conflict", "geschil")) and "Escalatieladder" in ladder
    assert "Financiën" in entries["Begroting"] and "Rol van de raad" in entries["Begroting"]
    assert "Overzicht" in entries["Aanspreekpunt"]
    assert entries["Conflict"] == entries["Geschil"] == "Zie Escalatieladder."
    assert not page.select("article [hidden], article .govsite-vh")


def test_a_page_that_repeats_others_weighs_less_in_search(built_site):
    """The council's printable overview repeats the region's pages: the pages themselves come first."""
    pages = sorted(built_site.glob("*/raadsoverzicht/index.html"))
    for path in pages:
        body = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("[data-pagefind-body]")
        assert float(body["data-pagefind-weight"]) < 1, path
    for path in built_site.glob("*/financien/index.html"):
        body = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("[data-pagefind-body]")
        assert body.get("data-pagefind-weight") is None, path


def test_every_part_left_out_of_search_says_so_in_a_value_pagefind_accepts(built_site):
    """Markdown writes a bare attribute inside a block it parses as `attr="attr"`, which Pagefind only
    guesses at (it warns and assumes "all"): such blocks say "all" themselves."""
    accepted = {"", "index", "all"}
    seen = 0
    for path in sorted(built_site.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in page.find_all(attrs={"data-pagefind-ignore": True}):
            seen += 1
            assert element["data-pagefind-ignore"] in accepted, (path.relative_to(built_site), element.name)
    assert seen > 40
