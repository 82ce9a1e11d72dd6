"""The accessibility statement (toegankelijkheidsverklaring): one page on the portal for every site,
in the structure of the government's model, and a link to it in the footer of every page.

The Besluit digitale toegankelijkheid overheid (art. 3) requires the statement; its status follows from
what is measured: automated checks only, no audit by an expert party, so status C and never A or B.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from builtsite import AS_OF, PROJECT, REGIONS
from generator.build import BuildOptions, build
from generator.domain.history import page_dates
from generator.pipeline import check
from generator.site.planner import site_root

pytest_plugins = ["builtsite"]

STATEMENT = "toegankelijkheid"
SITE_URL = "https://regio.example.nl/samenwerking/"
SMALL = "voorbeeldland-oost-werk"  # the example region with the fewest pages
# The sections of the model statement (digitoegankelijk.nl), as headings of the page.
SECTIONS = ["Voor welke site geldt deze verklaring?", "Status", "Waarom status C?", "Welke regels gelden?",
            "Wat is er al gedaan?", "Wat werkt nog niet goed?", "Een probleem melden", "Niet tevreden?",
            "Wanneer wordt deze verklaring bijgewerkt?"]


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def statement_target(page: Path, root: Path, site_url: str | None = None) -> Path:
    """The file the footer's "Toegankelijkheid" link of this page leads to, resolved as a browser does
    with the output folder published at the site's address (site_url, or a server's root)."""
    links = [a for a in parse(page).select("nav.govsite-footer a") if text(a) == "Toegankelijkheid"]
    where = page.relative_to(root).as_posix()
    assert len(links) == 1, f"{where}: {len(links)} footer links to the statement"
    href = links[0]["href"]
    base = site_url or "https://site.invalid/"
    if page.name == "404.html":
        # Served at any address that was not found, so resolve it from one at another depth.
        address = urljoin(base, "een/pagina/die/er/niet/is/")
    else:
        # Relative, so that the sites work offline and wherever they are published.
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^/", href), f"{where}: {href!r} is not relative"
        address = urljoin(base, where)
    resolved = urljoin(address, href)
    assert resolved.startswith(base), f"{where}: {href!r} leads to {resolved}, outside the site"
    target = root / resolved[len(base):]
    return target / "index.html" if target.is_dir() else target


def test_statement_is_built_with_status_c_the_model_sections_and_a_fixed_date(built_site):
    page = parse(built_site / STATEMENT / "index.html")
    article = page.select_one("article")
    for chrome in article.select(".govsite-print-header"):  # the theme's, only on paper: the build's date
        chrome.decompose()
    assert text(article.find("h1")) == "Toegankelijkheidsverklaring"
    assert [text(h) for h in article.find_all(["h2", "h3"])] == SECTIONS
    body = text(article)
    # The status follows from what is measured: no audit, so C, with the reason on the page.
    status = [text(p) for p in article.find_all("p") if text(p).startswith("De status van deze site is")]
    assert status == ["De status van deze site is: C – eerste maatregelen genomen."]
    assert "nog niet gedaan" in body and "deskundige partij" in body and "WCAG-EM" in body
    # No claim of compliance anywhere: "voldoet volledig" only in the explanation of status A.
    assert body.count("voldoet volledig") == 1 and "A – voldoet volledig" in body
    # The rules it answers to, in plain words.
    for words in ("Besluit digitale toegankelijkheid overheid", "Artikel 2", "Artikel 3", "EN 301 549",
                  "WCAG 2.1, niveau A en AA"):
        assert words in body, words
    # What is measured, and what is known not to work yet.
    assert "axe-core" in body and "360 pixels" in body
    known = article.find(lambda tag: tag.name == "h2" and text(tag) == "Wat werkt nog niet goed?").find_next("ul")
    assert "opzij schuiven" in text(known) and "JavaScript" in text(known)
    # Where to report a problem: the publisher's contact in the footer of the same page, and the ombudsman.
    assert "onderaan elke pagina" in body and page.select_one("nav.govsite-footer .govsite-contact")
    assert article.find("a", href=re.compile(r"^https://www\.nationaleombudsman\.nl/"))
    # The statement's own date, not the day of the build (the example is built as on 26 November 2026).
    assert "opgesteld op 7 december 2026" in body and "26 november 2026" not in body
    assert "bijgewerkt als de automatische tests veranderen" in body


def test_statement_is_in_the_portal_navigation_and_linked_from_about(built_site):
    portal = parse(built_site / "index.html")
    assert any(text(a) == "Toegankelijkheidsverklaring" for a in portal.select("nav.md-nav--primary a"))
    about = built_site / "over" / "index.html"
    link = parse(about).select_one("article").find("a", string="toegankelijkheidsverklaring")
    assert (about.parent / link["href"] / "index.html").resolve() == built_site / STATEMENT / "index.html"


def test_every_page_of_every_site_links_to_the_statement_in_its_footer(built_site):
    pages = sorted(built_site.rglob("*.html"))
    sites = {p.relative_to(built_site).parts[0] for p in pages if len(p.relative_to(built_site).parts) > 1}
    assert {"voorbeeldland-west-jeugd", "voorbeeldland-noord-beschermd-wonen", SMALL, "gemeenten", STATEMENT} <= sites
    assert sum(p.name == "404.html" for p in pages) == 4  # the portal's and each region's
    statement = built_site / STATEMENT / "index.html"
    wrong = [str(p.relative_to(built_site)) for p in pages if statement_target(p, built_site) != statement]
    assert not wrong, wrong


def error_page_targets(page: Path, root: Path, site_url: str | None = None) -> dict[str, Path]:
    """Every link, style and script of an error page, served at an address that was not found inside its
    site's folder, as the file it leads to in the output published at site_url (or a server's root)."""
    base = site_url or "https://site.invalid/"
    address = urljoin(base, page.parent.relative_to(root).as_posix() + "/een/pagina/die/er/niet/is/")
    found = {}
    for node in parse(page).select("[href], [src]"):
        url = urljoin(address, node.get("href") or node.get("src")).split("#")[0].split("?")[0]
        if url.startswith(base):
            path = root / url[len(base):]
            found[url] = path / "index.html" if url.endswith("/") or path.is_dir() else path
        elif urlsplit(url).netloc == urlsplit(base).netloc:  # on the host, outside the site: nothing there
            found[url] = root / ".." / "buiten-de-site"
    return found


def test_a_regions_error_page_links_from_the_regions_folder(built_site):
    """A host that serves the nearest 404.html shows a region's own: its navigation, styles and scripts
    come from the region's folder, its footer and search from the portal's."""
    page = built_site / SMALL / "404.html"
    targets = error_page_targets(page, built_site)
    assert not [url for url, path in targets.items() if not path.is_file()]
    assert built_site / SMALL / "deelnemers" / "index.html" in targets.values()
    assert built_site / STATEMENT / "index.html" in targets.values()


def test_region_built_alone_under_site_url_links_to_the_statement(tmp_path):
    """One region built on its own (the portal is built with it), with --site-url: the normal pages keep
    relative links, the error pages link from the public address."""
    out = tmp_path / "site"
    env = {**os.environ, "GOVSITE_TODAY": AS_OF.isoformat()}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--regions", str(REGIONS), "--out", str(out),
                           "--site-url", SITE_URL, "--jobs", "1", SMALL], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir() if (p / "index.html").is_file() and p.name != "404.html") == sorted([
        "begrippen", "gemeenten", "opendata", "over", "overlap", SMALL, STATEMENT, "zoeken"])
    pages = sorted(out.rglob("*.html"))
    assert out / SMALL / "404.html" in pages and out / "404.html" in pages
    statement = out / STATEMENT / "index.html"
    wrong = [str(p.relative_to(out)) for p in pages if statement_target(p, out, SITE_URL) != statement]
    assert not wrong, wrong
    assert "De status van deze site is: C" in text(parse(statement).select_one("article"))
    # The error pages' searches (the header's and the page's own) and links start at the same site root.
    for error in (out / "404.html", out / SMALL / "404.html"):
        page = parse(error)
        assert [form["action"] for form in page.select("form[role=search]")] == [SITE_URL + "zoeken/"] * 2
        links = {a["href"] for a in page.select("article a")}
        assert {SITE_URL, SITE_URL + "gemeenten/"} <= links, links
    # The region's error page, served at an address under the site's path, links to what is there.
    assert not [url for url, path in error_page_targets(out / SMALL / "404.html", out, SITE_URL).items()
                if not path.is_file()]


def test_the_site_root_is_the_public_address_without_its_closing_slash():
    assert site_root(SITE_URL) == "https://regio.example.nl/samenwerking"
    assert site_root(" HTTP://regio.example.nl// ") == "HTTP://regio.example.nl"
    # Without an http(s) address an error page links from the server's root.
    assert site_root(None) == site_root("") == site_root("regio.example.nl") == site_root("ftp://regio.nl/") == ""


def _build_with_contact(tmp_path: Path, contact) -> Path:
    """The smallest example region (and the portal) built with mkdocs.yml's extra.contact set."""
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(PROJECT / "theme" / "overrides")
    config["extra"]["contact"] = contact
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    checked = check(REGIONS, [SMALL], AS_OF)
    assert not checked.errors
    return build(checked.regions, BuildOptions(out=tmp_path / "site", on=AS_OF, config=path), page_dates(REGIONS))


def _footer_contacts(site: Path) -> list:
    return [parse(p).select_one("nav.govsite-footer .govsite-contact") for p in sorted(site.rglob("*.html"))]


def test_footer_without_contact_says_the_publisher_must_fill_it_in(built_site):
    contacts = _footer_contacts(built_site)
    assert contacts and all(c is not None for c in contacts)
    assert {text(c) for c in contacts} == {"Contact: nog in te vullen door de uitgever van deze site"}
    assert all(c.find("a") is None for c in contacts)


@pytest.mark.parametrize("contact, href, shown", [
    ("mailto:toegankelijkheid@example.nl", "mailto:toegankelijkheid@example.nl", "toegankelijkheid@example.nl"),
    ("https://example.nl/contact?onderwerp=\"toegankelijkheid\"<b>",
     "https://example.nl/contact?onderwerp=\"toegankelijkheid\"<b>", "example.nl/contact?onderwerp=\"toegankelijkheid\"<b>"),
    ("JaVaScRiPt:alert(1)", None, None),
    ("data:text/html,<script>alert(1)</script>", None, None),
], ids=["mail", "web-page-with-markup", "script-address", "data-address"])
def test_footer_contact_is_a_link_only_for_a_web_or_mail_address(tmp_path, contact, href, shown):
    site = _build_with_contact(tmp_path, contact)
    contacts = _footer_contacts(site)
    assert len(contacts) > 20 and all(c is not None for c in contacts)
    for found in contacts:
        assert found.find("script") is None and found.find("b") is None
        links = found.find_all("a")
        if href is None:
            assert not links and text(found) == "Contact: nog in te vullen door de uitgever van deze site"
        else:
            assert [a["href"] for a in links] == [href] and text(found) == f"Contact: {shown}"


def test_a_region_folder_cannot_take_the_statements_address(tmp_path):
    """A region named toegankelijkheid would be written over the statement (or write over it)."""
    regions = tmp_path / "regions"
    shutil.copytree(REGIONS, regions)
    (regions / SMALL).rename(regions / STATEMENT)
    region = regions / STATEMENT / "region.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace(f"id: {SMALL}", f"id: {STATEMENT}", 1),
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--regions", str(regions),
                           "--as-of", AS_OF.isoformat()], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout
    assert f"{STATEMENT}/region.yaml:1:5: error: de mapnaam '{STATEMENT}' is gereserveerd" in done.stdout, done.stdout
