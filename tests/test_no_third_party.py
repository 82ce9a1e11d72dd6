"""No built page makes a reader's browser contact any host but the site itself.

Anything the browser fetches by itself (scripts, styles, images, frames, fonts, CSS url(), preloads,
form targets) must be a relative address. Plain `<a href>` links to other sites are navigation the
reader chooses, not requests, so they are allowed (e.g. a region's website or an official publication).
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

pytest_plugins = ["builtsite"]

FETCHING = {  # tag -> attributes the browser loads without a click
    "script": ["src"], "link": ["href"], "img": ["src", "srcset"], "source": ["src", "srcset"],
    "iframe": ["src"], "frame": ["src"], "embed": ["src"], "object": ["data"], "video": ["src", "poster"],
    "audio": ["src"], "track": ["src"], "input": ["src"], "form": ["action"], "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"], "base": ["href"],
}
ABSOLUTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)")


def third_party_references(site: Path) -> list[str]:
    found = []
    for path in sorted(site.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site)
        for tag, attributes in FETCHING.items():
            for element in page.find_all(tag):
                for attribute in attributes:
                    value = element.get(attribute)
                    if value and ABSOLUTE.match(value) and not value.startswith("data:"):
                        found.append(f"{where}: <{tag} {attribute}={value}>")
        for element in page.find_all(style=True):
            found += [f"{where}: style url({u})" for u in CSS_URL.findall(element["style"]) if ABSOLUTE.match(u)
                      and not u.startswith("data:")]
        for style in page.find_all("style"):
            found += [f"{where}: <style> {u}" for u in CSS_URL.findall(style.get_text()) + CSS_IMPORT.findall(
                style.get_text()) if ABSOLUTE.match(u) and not u.startswith("data:")]
        refresh = page.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)})
        if refresh and "url=" in refresh.get("content", "").lower():
            found.append(f"{where}: meta refresh")
    for path in sorted(site.rglob("*.css")):
        css = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(site)}: {u}" for u in CSS_URL.findall(css) + CSS_IMPORT.findall(css)
                  if ABSOLUTE.match(u) and not u.startswith("data:")]
    return found


def test_no_page_references_another_host(built_site):
    found = third_party_references(built_site)
    assert not found, "references to other hosts:\n" + "\n".join(found[:30])


def test_the_check_catches_a_third_party_reference(tmp_path):
    """The check itself works: a font from a CDN, a script and a CSS import are all caught."""
    (tmp_path / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example.org/x.js"></script></head>'
        '<body><a href="https://example.org/">navigation is fine</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><img src="data:image/png;base64,AA=="></body></html>')
    (tmp_path / "a.css").write_text("@import 'https://cdn.example.org/a.css'; b { background: url(img/x.png) }")
    found = third_party_references(tmp_path)
    assert len(found) == 3, found


def test_own_scripts_do_not_fetch_other_hosts(built_site):
    """The site's own scripts name no other host. (Pagefind's bundle holds translators' credit links as
    text; what it really requests is recorded by the browser test, tests/test_browser.py.)"""
    scripts = [*(built_site / "assets").glob("govsite*.js"), built_site / "assets" / "md-scope.js"]
    assert scripts
    for script in scripts:
        hosts = re.findall(r"https?://[a-zA-Z0-9.-]+", script.read_text(encoding="utf-8", errors="replace"))
        hosts = [h for h in hosts if not h.endswith("w3.org")]
        assert not hosts, (script.name, hosts[:5])


def test_no_repository_link_or_web_fonts(built_site):
    """repo_url makes Material call the GitHub API; web fonts would come from Google."""
    page = (built_site / "voorbeeldland-west-jeugd" / "index.html").read_text(encoding="utf-8")
    assert "md-source" not in page and "fonts.googleapis" not in page and "fonts.gstatic" not in page
