"""Fiction never touches real municipalities (issue 18 item 7).

The example regions live in examples/ with invented municipalities (GM9001 and up) and are built as a
site of their own. These tests build the national portal from regions/ and read every page and every
data file it publishes, parsed: no invented municipality, code, province, region or person may appear
in it, and no page may say it is an example. The examples' own build is read the same way: every page
carries the example banner and noindex, and the same reader does find the fiction there (so that the
check of the national portal is known to see what it looks for).
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.engine.index import read_fragment
from govsite_cli import ROOT, govsite

EXAMPLES = ROOT / "examples"
REGIONS = ROOT / "regions"
TODAY = "2026-11-26"
SITE_URL = "https://regio.example.nl/"
FICTION_CODE = re.compile(r"\bgm9\d{3}\b", re.IGNORECASE)  # no real municipality has a code GM9xxx
BANNER = "govsite-banner--example"
# The contributor's guide teaches with the examples and says so: its quoted findings name them. It is
# documentation about the format, not a fact about a region or a municipality.
GUIDE = "bijdragen/"
TEXT_FILES = (".json", ".csv", ".ics", ".xml", ".txt", ".js")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _fiction_words() -> list[str]:
    """Every invented name the examples hold: municipalities, provinces, regions (name, id, area), people."""
    words: set[str] = set()
    for m in _load(EXAMPLES / "municipalities.yaml")["municipalities"]:
        words |= {m["name"], m["province"]}
    for region_file in EXAMPLES.glob("*/region.yaml"):
        region = _load(region_file)
        words |= {region["name"], region["id"]}
        words |= set(re.findall(r"Voorbeeldland-\w+", region["name"]))  # the invented area, as in agreement titles
        for body in _load(region_file.parent / "organisation.yaml").get("bodies") or []:
            for position in body.get("positions") or []:
                words |= {holder["name"] for holder in position.get("holders") or []}
    return sorted(words, key=len, reverse=True)


FICTION = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in _fiction_words()) + r")(?![\w-])")


def _traces(text: str) -> set[str]:
    return {m.group(0) for m in FICTION.finditer(text)} | {m.group(0) for m in FICTION_CODE.finditer(text)}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """One built page, parsed (the standard library's HTML parser: a national build has a thousand pages):
    all it says to a reader or a machine (text and every attribute value), its robots meta tags and the
    text of its example banner (None when it has none)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.robots: list[str] = []
        self.banner: str | None = None
        self._depth = 0  # > 0 while inside the banner
        self.feed(html)
        self.close()
        self.text = "\n".join(self.parts)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.parts.extend(v for v in values.values() if v)
        if tag == "meta" and values.get("name") == "robots":
            self.robots.append(values.get("content") or "")
        if self._depth and tag not in VOID:
            self._depth += 1
        elif BANNER in (values.get("class") or "").split() and tag not in VOID:
            self.banner, self._depth = "", 1

    def handle_endtag(self, tag):
        if self._depth and tag not in VOID:
            self._depth -= 1

    def handle_data(self, data):
        self.parts.append(data)
        if self._depth:
            self.banner += data


def _pagefind_fragments(site: Path):
    """The search index's page fragments (gzip, then 'pagefind_dcd' and JSON): url and content of a page."""
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        yield path, read_fragment(path)  # ValueError when a file lacks Pagefind's signature


def read_site(site: Path) -> dict[str, object]:
    """Every published page parsed, and every text data file, keyed by path relative to the site."""
    pages, files = {}, {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            pages[relative] = Page(path.read_text(encoding="utf-8"))
        elif path.suffix in TEXT_FILES and not relative.startswith(("assets/", "pagefind/")) \
                and "/assets/" not in relative:
            files[relative] = path.read_text(encoding="utf-8")
    return {"pages": pages, "files": files}


def fiction_in(site: Path) -> dict[str, set[str]]:
    """Path -> the invented names and codes found there (the contributor's guide left out, see GUIDE)."""
    read = read_site(site)
    found: dict[str, set[str]] = {}
    for relative, page in read["pages"].items():
        if not relative.startswith(GUIDE):
            found[relative] = _traces(page.text)
    for relative, text in read["files"].items():
        found[relative] = _traces(text)
    for path, fragment in _pagefind_fragments(site):
        if not fragment["url"].lstrip("/").startswith(GUIDE):
            found[path.relative_to(site).as_posix()] = _traces(json.dumps(fragment, ensure_ascii=False))
    return {path: names for path, names in found.items() if names}


def _build(regions: Path, out: Path, tmp: Path) -> Path:
    result = govsite("build", "--regions", str(regions), "--out", str(out), "--site-url", SITE_URL,
                     "--cache", str(tmp / "cache"), cwd=tmp, env={"GOVSITE_TODAY": TODAY}, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """The national portal as `make site` builds it: from regions/."""
    tmp = tmp_path_factory.mktemp("national")
    return _build(REGIONS, tmp / "site", tmp)


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    """The example sites as `make examples` builds them: from examples/."""
    tmp = tmp_path_factory.mktemp("examples")
    return _build(EXAMPLES, tmp / "voorbeelden", tmp)


def test_no_invented_fact_reaches_the_national_portal(national):
    assert (national / "index.html").is_file()
    assert fiction_in(national) == {}


def test_no_page_of_the_national_portal_says_it_is_an_example_or_hides_from_search(national):
    pages = read_site(national)["pages"]
    assert pages
    for relative, page in pages.items():
        assert page.banner is None, relative
        assert page.robots == [], relative
    assert not (national / "robots.txt").exists()


def test_every_example_page_is_marked_as_example_and_noindex(examples):
    pages = read_site(examples)["pages"]
    regions = {p.name for p in EXAMPLES.iterdir() if (p / "region.yaml").is_file()}
    assert {relative.split("/")[0] for relative in pages} >= regions | {"index.html", "404.html", "gemeenten"}
    for relative, page in pages.items():
        assert page.banner is not None and "fictief voorbeeld" in page.banner, relative
        assert "De gemeenten" in page.banner, relative  # the municipalities are invented too
        assert page.robots == ["noindex"], relative


def test_the_example_sites_offer_search_engines_no_sitemap(examples):
    sitemaps = sorted(examples.rglob("sitemap.xml"))
    assert len(sitemaps) >= 4  # the portal's and one per region
    for sitemap in sitemaps:
        urls = ET.fromstring(sitemap.read_bytes()).findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
        assert urls == [], sitemap
    robots = (examples / "robots.txt").read_text(encoding="utf-8")
    rules = [line.split("#")[0].strip() for line in robots.splitlines() if line.split("#")[0].strip()]
    # crawlers may read the pages (else they cannot see noindex), and no sitemap is named
    assert rules == ["User-agent: *", "Disallow:"]


def test_the_reader_finds_the_fiction_in_the_example_sites(examples):
    """The check of the national portal looks with this same reader: here it must find what it seeks."""
    found = fiction_in(examples)
    assert "Voorbeeldstad" in found["gemeenten/gm9005/index.html"]
    assert "GM9005" in found["gemeenten/gm9005/index.html"]
    assert any(path.endswith(".csv") for path in found), sorted(found)
    assert any(path.endswith(".ics") for path in found), sorted(found)
    assert any(path.startswith("pagefind/") for path in found), sorted(found)


def test_examples_and_real_regions_are_kept_apart():
    """examples/ holds only invented municipalities and example regions; regions/ neither."""
    invented = _load(EXAMPLES / "municipalities.yaml")["municipalities"]
    assert invented and all(re.fullmatch(r"GM9\d{3}", m["code"]) for m in invented)
    for region_file in EXAMPLES.glob("*/region.yaml"):
        assert _load(region_file).get("example") is True, region_file
    real = _load(REGIONS / "municipalities.yaml").get("municipalities") or []
    assert not [m["code"] for m in real if FICTION_CODE.fullmatch(m["code"])]
    assert not {m["name"] for m in invented} & {m["name"] for m in real}
    for region_file in REGIONS.glob("*/region.yaml"):
        assert _load(region_file).get("example") is not True, region_file


def test_the_examples_name_no_real_municipality():
    """No current municipality of regions/municipalities.yaml is named anywhere in the examples' files, so
    that no invented decision is told about a real place (the list is the register's, from `govsite import`)."""
    real = [m["name"] for m in _load(REGIONS / "municipalities.yaml").get("municipalities") or []
            if not m.get("ended")]
    named = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in real) + r")(?![\w-])") if real else None
    found = {}
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        hits = set(named.findall(path.read_text(encoding="utf-8"))) if named else set()
        if hits:
            found[path.relative_to(EXAMPLES).as_posix()] = hits
    assert found == {}


def test_a_regions_folder_without_regions_validates_and_builds_an_empty_portal(tmp_path):
    """Before the first import regions/ holds an empty municipality list: no traceback, an empty portal."""
    regions = tmp_path / "leeg"
    regions.mkdir()
    (regions / "municipalities.yaml").write_text("municipalities: []\n", encoding="utf-8")
    validate = govsite("validate", "--regions", str(regions), cwd=tmp_path)
    assert (validate.returncode, validate.stderr) == (0, "")
    assert "0 regio's gecontroleerd: 0 fouten, 0 hiaten" in validate.stdout
    out = _build(regions, tmp_path / "site", tmp_path)
    assert (out / "index.html").is_file() and fiction_in(out) == {}

    (regions / "municipalities.yaml").unlink()
    missing = govsite("validate", "--regions", str(regions), cwd=tmp_path)
    assert missing.returncode == 1 and "Traceback" not in missing.stdout + missing.stderr
    assert "municipalities.yaml ontbreekt" in missing.stdout


def test_an_example_region_may_not_have_a_real_municipality(regions):
    regions.replace("region.yaml", "founding_agreement: gr-jeugd\n", "founding_agreement: gr-jeugd\nexample: true\n")
    errors = [f for f in regions.errors() if "voorbeeldregio (example: true)" in f.message]
    assert len(errors) == 7  # every member line: each is a real municipality
    first = errors[0]
    assert first.path.endswith("region.yaml")
    assert (first.line, first.col) == (regions.line("region.yaml", "- municipality: GM0546"),
                                       regions.col("region.yaml", "GM0546"))
    assert first.message == (
        "een voorbeeldregio (example: true) mag geen echte gemeente als deelnemer hebben, en GM0546 is de code "
        "van een echte gemeente. Gebruik een verzonnen gemeente met een code van GM9000 tot en met GM9999. Is dit "
        "een echte regio? Zet dan 'example: false'.")


def test_a_real_region_may_not_have_an_invented_municipality(regions):
    regions.replace("municipalities.yaml", "municipalities:\n",
                    "municipalities:\n  - code: GM9001\n    name: Oefenveen\n    province: Voorbeeldprovincie West\n"
                    "    inhabitants: 1000\n")
    regions.replace("region.yaml", "  - municipality: GM0547\n", "  - municipality: GM9001\n")
    regions.error("region.yaml", "GM9001 is een verzonnen gemeente: de codes GM9000 tot en met GM9999 zijn alleen "
                  "voor voorbeelden. Schrijf de CBS-code van de echte gemeente. Is dit een voorbeeld? Zet dan "
                  "'example: true'.", line=regions.line("region.yaml", "GM9001"),
                  col=regions.col("region.yaml", "GM9001"))


def test_the_examples_and_a_real_region_each_pass_the_rule():
    for folder in (EXAMPLES, REGIONS):
        result = govsite("validate", "--regions", str(folder), "--as-of", TODAY, cwd=ROOT)
        assert "verzonnen gemeente" not in result.stdout and "voorbeeldregio (example: true)" not in result.stdout
