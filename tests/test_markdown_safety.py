"""Issue 15, items 4, 8 and 10, and numbers in charts: data Markdown that costs quadratic time, the word
diff of long articles, image targets a browser reads as another host, Markdown that takes over the
page (the theme's dialog, ids of the theme and of govsite.js), and numbers a chart cannot draw.

Each attack goes through `govsite build` or `govsite validate` on a copy of one example region, and
the built pages are parsed; a variant of each goes another way (another construct, another
character, another field or page).
"""
from __future__ import annotations

import math
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

import payloads
from govsite_cli import govsite
from generator.site import render, textdiff
from generator.site.textdiff import DELETE, EQUAL, INSERT

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "examples"
REGION = "voorbeeldland-west-jeugd"
AS_OF = payloads.AS_OF


# --- helpers ---------------------------------------------------------------------------------------

def _region(tmp_path: Path) -> Path:
    regions = tmp_path / "regions"
    regions.mkdir()
    shutil.copy(REGIONS / "municipalities.yaml", regions)
    shutil.copytree(REGIONS / REGION, regions / REGION)
    return regions


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 1 << 20  # keep long values on one line
    return yaml


def _edit(path: Path, change) -> None:
    """Load a YAML file, let change(data) change it, and write it back."""
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def _set(regions: Path, file: str, keys: tuple, value) -> None:
    if isinstance(value, str) and re.search(r"[\t\r]", value):  # as escapes, which YAML reads back as written
        value = DoubleQuotedScalarString(value)

    def change(data):
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = value
    _edit(regions / REGION / file, change)


def _govsite(*args: str, cwd: Path, timeout: float) -> tuple[subprocess.CompletedProcess | None, float]:
    """Run govsite; (None, seconds) when it did not finish within timeout."""
    start = time.monotonic()
    try:
        result = govsite(*args, cwd=cwd, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - start
    return result, time.monotonic() - start


def _build(regions: Path, timeout: float = 120) -> tuple[Path, float]:
    out = regions.parent / "site"
    result, seconds = _govsite("build", "--regions", str(regions), "--out", str(out), "--as-of",
                               AS_OF.isoformat(), "--jobs", "1", cwd=regions.parent, timeout=timeout)
    assert result is not None, f"the build did not finish within {timeout} s"
    assert result.returncode == 0, result.stderr[-3000:]
    return out / REGION, seconds


def _validate(regions: Path) -> subprocess.CompletedProcess:
    result, _ = _govsite("validate", "--regions", str(regions), "--as-of", AS_OF.isoformat(),
                         cwd=regions.parent, timeout=120)
    return result


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _content(soup: BeautifulSoup):
    """The page's own content: the article, without the theme around it."""
    return soup.select_one("article.md-content__inner") or soup.select_one("article")


def _browser_url(value: str) -> str:
    """A URL as a browser's parser reads it (independent of generator.site.mdsafe)."""
    return re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21)))).replace("\\", "/").lower()


def _loads_elsewhere(soup: BeautifulSoup) -> list[str]:
    return [str(tag) for tag in soup.find_all(src=True)
            if _browser_url(tag["src"]).startswith(("//", "http:", "https:"))]


# --- item 4: time linear in the length of a Markdown field ----------------------------------------

def test_a_long_run_of_links_in_the_summary_builds_in_bounded_time(tmp_path):
    """A 99 KB summary of '[](' took Python-Markdown minutes; it is shown as text within seconds."""
    regions = _region(tmp_path)
    _set(regions, "region.yaml", ("summary",), payloads.SLOW_MARKDOWN["links"])
    site, seconds = _build(regions, timeout=90)
    assert seconds < 60, seconds
    assert "[](" * 100 in _content(_soup(site, "index.html")).get_text()


def test_a_long_run_of_images_in_a_list_item_builds_in_bounded_time(tmp_path):
    """Variant: another quadratic construct, in a field shown inside a list item (one line)."""
    regions = _region(tmp_path)
    _set(regions, "progress.yaml", ("updates", 0, "text"), payloads.SLOW_MARKDOWN["images"])
    site, seconds = _build(regions, timeout=90)
    assert seconds < 60, seconds
    assert "![x](" * 100 in _content(_soup(site, "doelen/index.html")).get_text()


def test_a_field_in_a_table_cell_stays_in_its_cell(tmp_path):
    """A Markdown field in a table cell is finished HTML in the cell: a '|' or a run of '[](' in it
    cannot add cells or slow the table down."""
    regions = _region(tmp_path)
    _set(regions, "region.yaml", ("members", 4, "note"), "Voorbeeldstad | *extra* cel | " + "[](" * 2000)
    site, _ = _build(regions)
    rows = [row for row in _content(_soup(site, "deelnemers/index.html")).find_all("tr")
            if "Voorbeeldstad | " in row.get_text()]
    assert len(rows) == 1
    header = rows[0].find_parent("table").find("tr")
    assert len(rows[0].find_all("td")) == len(header.find_all(["th", "td"]))
    assert rows[0].find("em").get_text() == "extra"


MKDOCS_EXTENSIONS = ["toc", "tables", "admonition", "def_list", "attr_list", "md_in_html", "generator.site.mdsafe",
                     "generator.site.mdfragments", "generator.site.mdinline"]


@pytest.mark.parametrize("unit", [*payloads.SLOW_MARKDOWN.values(), "[](<" * 15000, "*a **b " * 9000,
                                  "`a " * 20000, "<a " * 20000, ">" * 60000, "- " * 30000, "|a" * 30000,
                                  "[a][" * 15000, "&#" * 30000])
@pytest.mark.parametrize("inline", [False, True])
def test_markdown_fields_convert_in_bounded_time(unit, inline):
    """Every construct, as a block and inside a line, through the md filter and the page's Markdown
    (Python-Markdown with the site's extensions) as MkDocs converts it."""
    import markdown

    converter = markdown.Markdown(extensions=MKDOCS_EXTENSIONS)
    start = time.monotonic()
    page = f"Tekst\n\n{render.markdown(unit, inline=inline)}\n\n| a | b |\n|---|---|\n| {render.markdown(unit, inline=True)} | x |\n"
    html = converter.convert(page)
    assert time.monotonic() - start < 10
    assert "<script" not in html


def _shifted(text: str) -> str:
    return "Nieuw " + text


def test_word_diff_of_a_long_article_is_bounded():
    """A 96 KB article against its shifted copy: seconds of matching before; bounded now, and the
    result still reads as the old text removed and the new one added."""
    old = "a " * 48000
    new = _shifted(old)
    start = time.monotonic()
    tokens, coarse = textdiff.bounded_diff(old, new)
    assert time.monotonic() - start < 3
    assert coarse
    assert "".join(text for op, text in tokens if op != INSERT) == old
    assert "".join(text for op, text in tokens if op != DELETE) == new


def test_word_diff_of_a_long_article_keeps_words_in_a_changed_paragraph():
    """Variant: many paragraphs, one changed: compared paragraph by paragraph, then word by word."""
    old = "\n".join(f"Lid {i} van artikel twee geldt voor alle deelnemers en hun raden." for i in range(3000))
    new = old.replace("Lid 1500 van", "Lid vijftienhonderd van")
    start = time.monotonic()
    tokens, coarse = textdiff.bounded_diff(old, new)
    assert time.monotonic() - start < 3
    assert coarse
    assert [t for t in tokens if t[0] != EQUAL] == [(DELETE, "1500"), (INSERT, "vijftienhonderd")]


def test_word_diff_of_normal_articles_is_word_by_word():
    old = " ".join(["De raden kunnen binnen zes weken hun zienswijze geven."] * 40)
    new = old.replace("zes weken", "acht weken", 1)
    tokens, coarse = textdiff.bounded_diff(old, new)
    assert not coarse
    assert [t for t in tokens if t[0] != EQUAL] == [(DELETE, "zes"), (INSERT, "acht")]
    assert textdiff.word_diff(old, new) == tokens


def test_version_page_of_a_long_shifted_article_builds_and_says_so(tmp_path):
    """Through the build: every version of an agreement has a long article 1, each a shifted copy of
    the one before; the version page is built in bounded time and says, in Dutch, how it compared."""
    regions = _region(tmp_path)
    base = "De raad besluit. " * 5600  # 95 KB

    def change(data):
        for number, version in enumerate(data["versions"]):
            for article in version["articles"]:
                if article["number"] == "1":
                    article["text"] = "Nieuw " * number + base
    _edit(regions / REGION / "agreements" / "gr-jeugd.yaml", change)
    site, seconds = _build(regions, timeout=90)
    assert seconds < 60, seconds
    text = _content(_soup(site, "afspraken/gr-jeugd/versie-3-0/index.html")).get_text(" ")
    assert "te lang om helemaal woord voor woord te vergelijken" in " ".join(text.split())


# --- item 8: image targets as a browser reads them --------------------------------------------------

def _addresses_with_tab_or_newline(soup: BeautifulSoup) -> list[str]:
    return [str(tag) for tag in soup.find_all(True) for name in ("href", "src")
            if re.search(r"[\t\n\r]", tag.get(name) or "")]


@pytest.mark.parametrize("name", list(payloads.ELSEWHERE_TARGETS))
def test_targets_with_a_newline_never_load_from_another_site(tmp_path, name):
    """No image from another site, and no address with a character the browser drops, so that what
    was checked is what the browser loads."""
    regions = _region(tmp_path)
    _set(regions, "region.yaml", ("summary",), f"Voor {payloads.ELSEWHERE_TARGETS[name]} na")
    site, _ = _build(regions)
    soup = _soup(site, "index.html")
    assert not _loads_elsewhere(soup)
    assert not _addresses_with_tab_or_newline(soup)
    assert "Voor" in _content(soup).get_text()


def test_image_target_with_a_newline_in_an_article(tmp_path):
    """Variant: another field and page (an article of an agreement, also on its version pages)."""
    regions = _region(tmp_path)
    _set(regions, "agreements/gr-jeugd.yaml", ("versions", -1, "articles", 0, "text"),
         f"Voor {payloads.ELSEWHERE_TARGETS['newline']} na")
    site, _ = _build(regions)
    for page in ("afspraken/gr-jeugd/index.html", "afspraken/gr-jeugd/versie-3-0/index.html"):
        soup = _soup(site, page)
        assert not _loads_elsewhere(soup) and not _addresses_with_tab_or_newline(soup), page


PAGE_MARKDOWN = ["toc", "tables", "admonition", "def_list", "attr_list", "md_in_html", "generator.site.mdsafe"]


@pytest.mark.parametrize("target", ["/\n/evil.example/x.png", "/\t/evil.example/x.png", " /\t/evil.example/x.png",
                                    "\\\t\\evil.example/x.png", "/\r\n/evil.example/x.png"])
def test_pages_judge_targets_as_the_browser_reads_them(target):
    """Variant: hand-written pages (Python-Markdown with mdsafe): no image from elsewhere, and no link
    or image whose address holds a tab or newline that the browser would drop."""
    import markdown

    html = markdown.markdown(f"![x]({target}) [link]({target}) ![ref][r]\n\n[r]: {target}",
                             extensions=PAGE_MARKDOWN)
    soup = BeautifulSoup(html, "html.parser")
    assert not _loads_elsewhere(soup), html
    for tag in soup.find_all(["a", "img"]):
        for attribute in ("href", "src"):
            assert not re.search(r"[\t\n\r]", tag.get(attribute, "")), html


# --- item 10: Markdown that takes over the page ------------------------------------------------------

THEME_IDS = {"__config", "__search", "__drawer", "__toc", "__consent", "__analytics", "__settings", "zoeken"}


def _takeover_problems(soup: BeautifulSoup) -> list[str]:
    content = _content(soup)
    problems = [f"class {name} in the content" for tag in content.find_all(class_=True)
                for name in tag.get("class", []) if name.startswith("md-") or name.startswith("__")]
    for identifier in THEME_IDS:
        found = soup.find_all(id=identifier)
        theirs = [tag for tag in found if not content in tag.parents and tag is not content]
        if len(found) > len(theirs) or len(found) > 1:
            problems.append(f"id {identifier} {len(found)} times")
    return problems


@pytest.mark.parametrize("name", list(payloads.PAGE_TAKEOVER))
def test_markdown_in_data_cannot_take_over_the_page(tmp_path, name):
    regions = _region(tmp_path)
    _set(regions, "region.yaml", ("summary",), payloads.PAGE_TAKEOVER[name])
    _set(regions, "reflection.yaml", ("questions", 0, "answer"), payloads.PAGE_TAKEOVER[name])
    site, _ = _build(regions)
    for page in ("index.html", "reflectie/index.html"):
        soup = _soup(site, page)
        assert not _takeover_problems(soup), (page, _takeover_problems(soup))
        assert len(soup.select("script#__config")) == 1


@pytest.mark.parametrize("title", ["__config", "Zoeken", "__search", "Jaar 2025", "Vraag {: #__drawer .md-dialog }"])
def test_headings_from_data_titles_get_ids_apart_from_the_theme(tmp_path, title):
    """Variant: a plain-text title that becomes a heading (Python-Markdown's toc makes its id)."""
    regions = _region(tmp_path)
    _set(regions, "reflection.yaml", ("questions", 0, "question"), title)
    site, _ = _build(regions)
    soup = _soup(site, "reflectie/index.html")
    assert not _takeover_problems(soup)
    heading = next(h for h in _content(soup).find_all(["h2", "h3"]) if h.get_text(strip=True) == title)
    identifier = heading.get("id", "")
    assert identifier and not identifier.startswith(("_", "jaar-")) and identifier != "zoeken", identifier
    # The table of contents links to the heading as it is.
    assert soup.find("a", href=f"#{identifier}") is not None


def test_admonitions_in_pages_keep_only_known_types():
    """Variant: the page templates' own Markdown (Python-Markdown): an admonition keeps a known type
    only, no class in Material's namespace, no reserved id."""
    import markdown

    html = markdown.markdown('!!! warning md-dialog md-dialog--active "Let op"\n    tekst\n\n'
                             "## __drawer\n\n## Normaal {: #zoeken .md-search }\n",
                             extensions=PAGE_MARKDOWN)
    soup = BeautifulSoup(html, "html.parser")
    admonition = soup.select_one("div.admonition")
    assert admonition["class"] == ["admonition", "warning"]
    assert not soup.select("[class*=md-]")
    assert not soup.find_all(id=re.compile(r"^(_|zoeken$)"))


# --- numbers a chart cannot draw ------------------------------------------------------------------

def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("file, keys", [
    ("progress.yaml", ("indicators", 0, "measurements", 0, "value")),
    ("progress.yaml", ("indicators", 0, "target")),
    ("finance.yaml", ("contributions", 0, "shares", 0, "amount")),
])
@pytest.mark.parametrize("value", [1e308, -1e308, 2e15])
def test_numbers_a_chart_cannot_draw_are_refused_at_their_line(tmp_path, file, keys, value):
    regions = _region(tmp_path)
    _set(regions, file, keys, value)
    result = _validate(regions)
    assert result.returncode != 0
    line = _line_of(regions / REGION / file, {1e308: "1e+308", -1e308: "-1e+308", 2e15: "2000000000000000.0"}[value])
    found = [f for f in result.stdout.splitlines() if f"{file}:{line}:" in f]
    assert found and any(word in found[0] for word in ("hoogstens", "minstens")), result.stdout


def test_charts_at_the_limits_draw_finite_numbers(tmp_path):
    regions = _region(tmp_path)
    _set(regions, "progress.yaml", ("indicators", 0, "measurements", 0, "value"), 1e15)
    _set(regions, "progress.yaml", ("indicators", 0, "target"), -1e15)
    _set(regions, "finance.yaml", ("contributions", 0, "shares", 0, "amount"), 1e15)
    site, _ = _build(regions)
    for page in ("doelen/index.html", "financien/index.html", "index.html"):
        for svg in _soup(site, page).find_all("svg"):
            numbers = re.findall(r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)", " ".join(
                str(value) for tag in svg.find_all(True) for name, value in tag.attrs.items()
                if name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height", "points", "d")),
                flags=re.IGNORECASE)
            assert numbers and all(math.isfinite(float(n)) for n in numbers), (page, numbers[:10])
