"""Hostile input, safe output: every payload of tests/payloads.py in every text field of every example
region, then the built site is parsed and checked everywhere data reaches (pages, titles, metadata,
diagrams, feeds, calendars, search index). The mutation tests (c) set each protection, through its
public function, against the same output made without it, and show that the checks then find the
problem, so the checks cannot pass by accident.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

import payloads
from govsite_cli import govsite, package_copy
from generator import build as build_module
from generator.engine import publish
from generator.domain import load, schema
from generator.site import mdfragments, render
from generator.engine.cache import cache_folder
from generator.engine.index import read_fragment
from generator.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "examples"
REGION = "voorbeeldland-west-jeugd"
AS_OF = payloads.AS_OF

# --- the checker: independent of the mechanisms it tests ----------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "codebase", "cite", "srcdoc", "ping"}
FORBIDDEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def scheme_of(value: str) -> str | None:
    """The scheme a browser would see: it drops ASCII whitespace and control characters."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", value)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


LOADS = {"src", "srcset", "poster", "data", "background"}  # attributes that make the browser fetch
LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon"}


def elsewhere(value: str) -> bool:
    """An address on another site: no third-party requests from any page."""
    value = re.sub(r"[\x00-\x20\x7f]", "", value).lower().replace("\\", "/")
    return value.startswith("//") or (scheme_of(value) in ("http", "https"))


def own_script(src: str, page: str) -> bool:
    """A script of the site itself: a relative address under assets/ or pagefind/."""
    if scheme_of(src) or src.strip().startswith("//"):
        return False
    path = urljoin("https://site.invalid/" + page, src)
    return path.startswith("https://site.invalid/") and ("/assets/" in path or "/pagefind/" in path)


def html_problems(text: str, page: str = "index.html") -> list[str]:
    """Everything in a page that could run code or load from elsewhere, as readable problems."""
    soup = BeautifulSoup(text, "html.parser")
    problems = []
    for element in soup.find_all(True):
        name = element.name.lower()
        where = f"{page}: <{name}>"
        if name in FORBIDDEN:
            problems.append(f"{where} element is not allowed")
        if name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            problems.append(f"{where} refresh")
        if name == "script":
            kind = str(element.get("type", "")).lower()
            if kind == "application/json" and element.get("id") == "__config" and not element.get("src"):
                try:
                    json.loads(element.string or "")
                except ValueError:
                    problems.append(f"{where} __config is not JSON")
            elif not (element.get("src") and own_script(element["src"], page) and not (element.string or "").strip()):
                problems.append(f"{where} script that is not the site's own: {str(element)[:120]!r}")
        for attribute, value in element.attrs.items():
            attribute = attribute.lower()
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.startswith("on"):
                problems.append(f"{where} event handler {attribute}={value[:60]!r}")
            if attribute in URL_ATTRIBUTES or attribute.endswith(":href"):
                scheme = scheme_of(value)
                if scheme and scheme not in SAFE_SCHEMES:
                    problems.append(f"{where} {attribute} with scheme {scheme}: {value[:60]!r}")
            if attribute in LOADS and elsewhere(value):
                problems.append(f"{where} {attribute} loads from another site: {value[:60]!r}")
            if (name == "link" and attribute == "href" and elsewhere(value)
                    and set(element.get("rel") or []) & LOADING_RELS):
                problems.append(f"{where} loads from another site: {value[:60]!r}")
            if attribute == "srcset" and any(scheme_of(part) not in (None, *SAFE_SCHEMES)
                                             for part in value.split(",")):
                problems.append(f"{where} srcset {value[:60]!r}")
            if attribute == "style" and re.search(r"expression\(|javascript:|url\(", value, re.I):
                problems.append(f"{where} style {value[:60]!r}")
    return problems


def xml_problems(text: str, name: str) -> list[str]:
    """A feed or diagram file: it must parse, carry no active elements, and any HTML it carries as
    text (Atom content type="html") must itself be safe."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        return [f"{name}: not well-formed XML ({err})"]
    problems = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in FORBIDDEN | {"script", "foreignobject"}:
            problems.append(f"{name}: <{local}> element")
        for attribute, value in element.attrib.items():
            local_attr = attribute.rsplit("}", 1)[-1].lower()
            if local_attr.startswith("on"):
                problems.append(f"{name}: event handler {local_attr}")
            if local_attr in URL_ATTRIBUTES and scheme_of(value) not in (None, *SAFE_SCHEMES):
                problems.append(f"{name}: {local_attr} with scheme {scheme_of(value)}")
        if element.get("type") == "html" and element.text:
            problems += html_problems(element.text, name)
    return problems


def ics_problems(text: str, name: str) -> list[str]:
    """A calendar file: every line is a property or a folded continuation; data cannot add events."""
    problems = []
    lines = text.split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if "\n" in line or "\r" in line:
            problems.append(f"{name}:{number}: bare line break")
        if not (line.startswith(" ") or re.match(r"^[A-Z][A-Z0-9-]*(;[^:]*)?:", line)):
            problems.append(f"{name}:{number}: not a property line: {line[:60]!r}")
    unfolded = "\r\n".join(lines).replace("\r\n ", "").split("\r\n")
    if "SUMMARY:ingevoegd" in unfolded:
        problems.append(f"{name}: a payload added a property")
    if unfolded.count("BEGIN:VEVENT") != unfolded.count("END:VEVENT"):
        problems.append(f"{name}: BEGIN/END:VEVENT do not pair")
    return problems


def pagefind_fragments(site: Path) -> list[dict]:
    fragments = []
    for path in sorted(site.rglob("*.pf_fragment")):
        fragments.append(read_fragment(path))  # ValueError when a file lacks Pagefind's signature
    return fragments


def site_problems(site: Path) -> list[str]:
    """Every problem in a built site: HTML pages, SVG files, XML feeds, calendars."""
    problems = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            problems += html_problems(path.read_text(encoding="utf-8"), relative)
        elif path.suffix in (".xml", ".svg", ".atom"):
            problems += xml_problems(path.read_text(encoding="utf-8"), relative)
        elif path.suffix == ".ics":
            problems += ics_problems(path.read_bytes().decode("utf-8"), relative)
    return problems


# --- the payload site, built once ---------------------------------------------------------------

@pytest.fixture(scope="session")
def payload_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("payload-site")
    regions = payloads.copy_regions(REGIONS, base / "regions")
    return payloads.build_payload_site(regions, base / "out")


def _pages(site: Path, region: str = REGION) -> list[Path]:
    return sorted((site / region).rglob("*.html"))


def test_payload_site_has_no_active_content(payload_site):
    problems = site_problems(payload_site)
    assert not problems, f"{len(problems)} problems, first ones:\n" + "\n".join(problems[:30])


def test_payloads_are_shown_as_text(payload_site):
    """Escaping must show the data, not drop it: the payloads are readable on the pages."""
    soup = BeautifulSoup((payload_site / REGION / "index.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article") or soup
    text = main.get_text()
    for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;script&gt;",
                    "{{ 7*7 }}", "{% for x in range(3) %}x{% endfor %}", "{{ config }}", "${7*7}",
                    '{: onclick="alert(1)"}', payloads.LONG_WORD):
        assert payload in text, f"{payload!r} is not shown literally on the overview page"
    everything = " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
                          for page in _pages(payload_site))
    for payload in payloads.TEXT_ONLY:  # Markdown syntax in plain-text fields stays as written
        assert payload in everything, f"{payload!r} (in a name or title) is not shown as written"


def test_template_syntax_is_never_evaluated(payload_site):
    """{{ 7*7 }} in data stays '{{ 7*7 }}' in the page title and body; 49 and 'xxx' never appear
    where a payload stood."""
    for page in _pages(payload_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        text = soup.get_text()
        assert "xxx" not in text, page
        assert "__mro__" not in text or "{{ ''.__class__.__mro__ }}" in text, page
        assert "<class 'object'>" not in text and "<Config" not in text, page
    title = BeautifulSoup((payload_site / REGION / "index.html").read_text(encoding="utf-8"),
                          "html.parser").title.get_text()
    assert "{{ 7*7 }}" in title and " 49" not in title, title


def test_titles_and_metadata_are_text(payload_site):
    """The region name (with payloads) reaches <title>, the header and meta tags only as text."""
    for page in _pages(payload_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.title is not None and not soup.title.find_all(True), page
        for meta in soup.find_all("meta"):
            assert not meta.find_all(True), (page, meta)


def test_tables_carry_payloads_as_text(payload_site):
    cells = []
    for page in _pages(payload_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        cells += [cell for cell in soup.find_all(["td", "th"]) if "alert(1)" in cell.get_text()]
    assert cells, "no table cell carries a payload: the test does not reach the tables"
    for cell in cells:
        assert not cell.find_all(["script", "img", "svg", "iframe"]), str(cell)[:200]


def test_feeds_and_calendars_parse(payload_site):
    """Feeds and calendar files (when the site has them) parse and carry payloads only as text."""
    feeds = [p for p in payload_site.rglob("*") if p.suffix in (".xml", ".atom") and "sitemap" not in p.name]
    for feed in feeds:
        root = ET.fromstring(feed.read_bytes())  # raises when a payload broke the XML
        for element in root.iter():
            assert element.tag.rsplit("}", 1)[-1] not in ("script", "iframe"), feed
    for ics in payload_site.rglob("*.ics"):
        assert not ics_problems(ics.read_bytes().decode("utf-8"), ics.name)


def test_search_index_holds_text_only(payload_site):
    """Pagefind indexes the checked HTML; its fragments hold the payloads as plain text (the search UI
    escapes them: see the browser test) and the page addresses stay on the site."""
    fragments = pagefind_fragments(payload_site / REGION)
    assert fragments
    assert any("<script>alert(1)</script>" in f["content"] for f in fragments), \
        "the payloads are not in the index as text"
    for fragment in fragments:
        assert scheme_of(fragment["url"]) is None and fragment["url"].startswith("/"), fragment["url"]
        for anchor in fragment.get("anchors", []):
            assert re.fullmatch(r"[A-Za-z0-9_\-:.]*", anchor.get("id", "")), anchor


def test_checker_catches_known_attacks():
    """The checker itself: each of these must be reported (it is what every other test relies on)."""
    attacks = [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script src="../../evil.js"></script>',
        '<img src=x onerror=alert(1)>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<base href="https://evil.example/">',
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<title></title><script>alert(1)</script>',
        '<img src="https://tracker.example/pixel.gif">',
        '<img src="//tracker.example/pixel.gif">',
        '<link rel="stylesheet" href="https://fonts.example/css">',
    ]
    for attack in attacks:
        assert html_problems(f"<p>{attack}</p>"), attack
    assert not html_problems('<script src="../assets/javascripts/bundle.js"></script>'
                             '<a href="https://example.org">x</a><a href="../x/">y</a><a href="mailto:a@b.nl">z</a>')
    assert xml_problems("<feed><entry><content type='html'>&lt;script&gt;x&lt;/script&gt;</content></entry></feed>",
                        "f.xml")
    assert xml_problems("<feed><entry>", "f.xml")
    assert ics_problems("BEGIN:VCALENDAR\r\nSUMMARY:a\r\nSUMMARY:ingevoegd\r\nEND:VCALENDAR\r\n", "x.ics")
    assert ics_problems("BEGIN:VCALENDAR\r\nSUMMARY:a\nb\r\nEND:VCALENDAR\r\n", "x.ics")
    assert not ics_problems("BEGIN:VCALENDAR\r\nSUMMARY:a\\nBEGIN:VEVENT\r\n x\r\nEND:VCALENDAR\r\n", "x.ics")


# --- (a) the validator refuses unsafe link schemes, at the right line -----------------------------

def _refusing():
    """A replace() that gives the Markdown and URL fields the refused payloads in turn."""
    turns = {"markdown": 0, "url": 0}

    def replace(kind: str, key: str, loc: tuple, value: str) -> str | None:
        if kind not in turns:
            return None
        corpus = payloads.MARKDOWN_REFUSED if kind == "markdown" else payloads.URL_REFUSED
        payload = corpus[turns[kind] % len(corpus)]
        turns[kind] += 1
        return "Zie hieronder.\n\n" + payload if kind == "markdown" else payload

    return replace


def _expected_scheme(payload: str) -> str:
    seen = re.sub(r"[\x00-\x20\\\\]", "", html.unescape(payload)).lower()  # as a browser reads it
    for scheme in ("javascript", "data", "vbscript", "file"):
        if f"{scheme}:" in seen:
            return scheme
    raise AssertionError(payload)


def test_validator_refuses_unsafe_links_everywhere(tmp_path):
    """Every Markdown field and every URL field gets a refused payload; each one is reported at the
    line of its field, with a message that says what is allowed instead."""
    regions = payloads.copy_regions(REGIONS, tmp_path / "regions")
    placed = []
    refusing = _refusing()

    def record(kind, key, loc, value):
        new = refusing(kind, key, loc, value)
        if new is not None:
            placed.append((key.split(":", 1)[0], loc, kind, new))
        return new

    payloads.inject(regions, record, only=lambda path: REGION in path.parts)
    kinds = {kind for _, _, kind, _ in placed}
    assert kinds == {"markdown", "url"} and len(placed) > 40, (kinds, len(placed))
    used = {new.removeprefix("Zie hieronder.\n\n") for *_, new in placed}
    assert used >= set(payloads.MARKDOWN_REFUSED) | set(payloads.URL_REFUSED), "not every payload was placed"

    findings = check(regions, [REGION], AS_OF).errors
    by_place = {}
    for finding in findings:
        by_place.setdefault((Path(finding.path).name, finding.line), []).append(finding.message)
    missing = []
    for file, loc, kind, new in placed:
        path = regions / file
        doc, _ = load.load_yaml(path)
        line = doc.pos(loc)[0]
        text_line = path.read_text(encoding="utf-8").splitlines()[line - 1]
        assert f"{loc[-1]}:" in text_line, (file, loc, text_line)  # the reported line is the field's line
        messages = by_place.get((path.name, line), [])
        if kind == "markdown":
            want = f"een link met '{_expected_scheme(new)}:' is niet toegestaan"
            ok = any(want in m and "https://" in m for m in messages)
        else:
            ok = any("geen geldig webadres" in m and "https://" in m for m in messages)
        if not ok:
            missing.append(f"{file}:{line} {loc} {new!r}: {messages}")
    assert not missing, f"{len(missing)} unsafe links not refused:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize("payload", payloads.MARKDOWN_REFUSED)
def test_markdown_scheme_check(payload):
    with pytest.raises(ValueError, match="niet toegestaan"):
        schema._markdown(f"Tekst ervoor.\n\n{payload}\n\nTekst erna.")


@pytest.mark.parametrize("payload", payloads.URL_REFUSED)
def test_url_scheme_check(payload):
    with pytest.raises(ValueError, match="geen geldig webadres"):
        schema._url(payload)


@pytest.mark.parametrize("payload", [p for p in payloads.MARKDOWN if "](" in p] + [
    "[wet](https://wetten.overheid.nl/BWBR0003740)", "[mail](mailto:a@example.org)", "[x](../doelen/)",
    "Artikel 3: de raad (zie: bijlage) besluit.", "[noot] staat hieronder: niets bijzonders"])
def test_safe_markdown_is_accepted(payload):
    assert schema._markdown(payload) == payload


def test_markdown_templates_escape_every_value_once():
    """Each environment's finalize does all escaping, so its templates leave out Jinja's escape()."""
    import datetime as dt

    from markupsafe import Markup

    md_env, html_env = render.environments()
    source = "{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}|{{ g ~ '<' }}"
    values = dict(a="<b>*x*</b>", b=3, c=None, d=dt.date(2026, 3, 1), e=Markup("<i>al veilig</i>"), f="a & b",
                  g="x")
    for env in (md_env, html_env):
        assert "escape(environment.finalize(" not in env.compile(source, raw=True)
    assert md_env.from_string(source).render(**values) == \
        r"&lt;b&gt;\*x\*&lt;/b&gt;|3||1 maart 2026|<i>al veilig</i>|a &amp; b|x&lt;"
    assert html_env.from_string(source).render(**values) == \
        "&lt;b&gt;&#42;x&#42;&lt;/b&gt;|3||2026-03-01|<i>al veilig</i>|a &amp; b|x&lt;"


def test_templates_compiled_by_other_code_are_not_used(tmp_path):
    """A compiled template holds the escaping of the code that compiled it: kept ones are used only by
    the same render module, and those of another version are removed. Another version: a copy of the
    package whose render.py differs by one line, each run in a process of its own."""
    def keep_compiled(package: Path) -> list[str]:
        script = ("import sys; from pathlib import Path; from generator.site import render;"
                  "assert Path(render.__file__).resolve().is_relative_to(Path(sys.argv[2]).resolve());"
                  "render.keep_compiled(Path(sys.argv[1])); render.preload()")
        subprocess.run([sys.executable, "-P", "-c", script, str(tmp_path / "compiled"), str(package)],
                       env={**os.environ, "PYTHONPATH": str(package)}, check=True)
        return sorted(p.name for p in (tmp_path / "compiled").iterdir())

    this = _package_copy(tmp_path / "this")
    other = _package_copy(tmp_path / "other")
    with open(other / "generator" / "site" / "render.py", "a", encoding="utf-8") as file:
        file.write("\n# another version\n")
    mine = keep_compiled(this)
    assert mine and all(name.startswith("__govsite_") for name in mine)
    assert keep_compiled(this) == mine  # the same code keeps them
    theirs = keep_compiled(other)
    assert theirs and not set(theirs) & set(mine)


_package_copy = package_copy


# --- (c) take a protection out and the checks must find the problem ------------------------------
# Each layer of escaping, through its public function, against the same output made without it: with
# the layer, no problem and the payload shown as text; without it, the checker finds the payload active.
# The pages' Markdown is converted as MkDocs converts it, with mkdocs.yml's extensions.

_CONFIGURED = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
_EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in _CONFIGURED]
_SETTINGS = {k: v for e in _CONFIGURED if isinstance(e, dict) for k, v in e.items()}
_ACTIVE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</title><script>alert(1)</script>",
           '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]


def _page(text: str, without: str | None = None) -> str:
    """A page's Markdown converted as MkDocs converts it (mkdocs.yml's extensions, or all but one)."""
    import markdown

    return markdown.markdown(text, extensions=[e for e in _EXTENSIONS if e != without], extension_configs=_SETTINGS)


def _shown(html_text: str) -> str:
    return BeautifulSoup(html_text, "html.parser").get_text()


def _all_problems(pages: list[str]) -> list[str]:
    return [problem for page in pages for problem in html_problems(page)]


@pytest.mark.parametrize("payload", _ACTIVE + payloads.TEMPLATE + [
    p for p in payloads.MARKDOWN if p.startswith("<") and p.endswith(">")])
def test_the_markdown_filter_escapes_raw_html(payload):
    """A Markdown field (render.markdown) in a page: its raw HTML is text; as written it would run."""
    protected = _page(f"Tekst\n\n{render.markdown(payload)}\n\nIn een regel: {render.markdown(payload, inline=True)}\n")
    assert not html_problems(protected), protected
    unprotected = _page(f"Tekst\n\n{payload}\n")
    if payload in _ACTIVE:
        assert payload in _shown(protected)
        assert html_problems(unprotected), f"{payload!r} is not active without the filter: it tests nothing"


def test_the_markdown_filter_is_what_stands_between_the_payloads_and_the_page():
    unprotected = [_page(f"Tekst\n\n{p}\n") for p in payloads.MARKDOWN]
    assert len(_all_problems(unprotected)) > len(_ACTIVE)


_TEXT_TEMPLATE = "# {{ v }}\n\nTekst: {{ v }}\n\n| kop |\n|---|\n| {{ v }} |\n\n- {{ v }}\n"


@pytest.mark.parametrize("payload", payloads.TEXT + payloads.TEXT_ONLY + payloads.SHORT)
def test_finalize_escapes_every_value_of_a_page(payload):
    """Names and titles in a page template (render's Markdown environment): text, never HTML or
    Markdown; through a plain Jinja environment (no finalize) the active ones run."""
    import jinja2

    md_env = render.environments()[0]
    protected = _page(md_env.from_string(_TEXT_TEMPLATE).render(v=payload))
    assert not html_problems(protected), protected
    if "\n" not in payload:
        assert payload.strip() in _shown(protected), protected
    unprotected = _page(jinja2.Environment().from_string(_TEXT_TEMPLATE).render(v=payload))
    if payload in _ACTIVE:
        assert html_problems(unprotected), f"{payload!r} is not active without finalize: it tests nothing"
    if payload in payloads.TEXT_ONLY[:2]:  # a link or image (which mdsafe then disarms)
        assert payload not in _shown(unprotected) and ("<a " in unprotected or "<img " in unprotected)


_FRAGMENT = '<svg role="img" aria-label="{{ v }}"><text x="1">{{ v }}</text></svg>'


@pytest.mark.parametrize("payload", [payloads.TEXT_ONLY[1], payloads.light("text", "", (), "Titel")])
def test_fragments_are_markdown_proof_in_two_layers(payload):
    """A diagram's values (render's HTML environment) are Markdown-proof, and the fragment passes
    Markdown unread (mdfragments.wrap): either layer alone keeps a link out of a fragment in a line of
    text; with both gone (values only HTML-escaped, fragment not wrapped) Markdown makes one."""
    import jinja2

    proofed = render.environments()[1].from_string(_FRAGMENT).render(v=payload)
    escaped_only = jinja2.Environment(autoescape=True).from_string(_FRAGMENT).render(v=payload)
    both = _page(f"Voor {mdfragments.wrap_inline(proofed)} na\n\n{mdfragments.wrap(proofed)}\n")
    first = _page(f"Voor {proofed} na\n\n- {proofed}\n")
    second = _page(f"Voor {mdfragments.wrap_inline(escaped_only)} na\n\n{mdfragments.wrap(escaped_only)}\n")
    for layers in (both, first, second):
        assert not html_problems(layers), layers
        assert "alert(1)" in _shown(layers) or "alert(1)" in layers
    assert html_problems(_page(f"Voor {escaped_only} na\n\n- {escaped_only}\n")), \
        f"{payload!r} is not active in a fragment Markdown reads: it tests nothing"


@pytest.mark.parametrize("payload", _ACTIVE + payloads.TEMPLATE)
def test_theme_text_is_escaped_for_the_theme(payload):
    """Site name and page titles reach MkDocs' theme templates, which write them as they are: escaped
    once by theme_text (and left alone by Material's `| e`); as written they would run."""
    from mkdocs.theme import Theme

    from generator.escape import theme_text

    env = Theme(name="material").get_env()
    template = env.from_string("<title>{{ t }}</title><h1>{{ t | e }}</h1><p>{{ t }}</p>")
    protected = template.render(t=theme_text(payload))
    assert not html_problems(protected), protected
    assert _shown(protected).count(payload) == 3, protected
    if payload in _ACTIVE:
        assert html_problems(template.render(t=payload)), f"{payload!r} is not active in the theme: it tests nothing"


def test_mdsafe_is_the_second_line_for_links():
    """Links the validator refuses, should one slip past it: in a Markdown field (render.markdown) and in a
    hand-written page (MkDocs with mkdocs.yml's extensions, mdsafe among them) they are made harmless;
    without mdsafe the checker finds them."""
    protected = [render.markdown(p) for p in payloads.MARKDOWN_REFUSED] + \
                [_page(f"Tekst\n\n{p}\n") for p in payloads.MARKDOWN_REFUSED] + \
                [_page(f"Tekst {render.markdown(p, inline=True)} na\n") for p in payloads.MARKDOWN_REFUSED]
    assert not _all_problems(protected)
    unprotected = [_page(f"Tekst\n\n{p}\n", without="generator.site.mdsafe") for p in payloads.MARKDOWN_REFUSED]
    assert len([page for page in unprotected if html_problems(page)]) >= len(payloads.MARKDOWN_REFUSED) // 2


# --- 2. Content Security Policy -------------------------------------------------------------------

CSP_REQUIRED = {"default-src": "'self'", "script-src": "'self'", "object-src": "'none'", "base-uri": "'self'",
                "form-action": "'self'"}


def _csp(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    assert meta is not None, "no Content-Security-Policy meta tag"
    policy = {}
    for part in meta["content"].split(";"):
        words = part.split()
        if words:
            policy[words[0].lower()] = words[1:]
    return policy


def test_every_page_has_a_strict_csp(payload_site):
    pages = sorted(payload_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        metas = soup.head.find_all("meta")
        assert metas[0].get("charset"), page
        assert str(metas[1].get("http-equiv", "")).lower() == "content-security-policy", \
            f"{page}: the policy must come right after the charset, before anything it governs"
        policy = _csp(soup)
        for directive, value in CSP_REQUIRED.items():
            assert value in policy.get(directive, []), (page, directive, policy.get(directive))
        for directive in ("script-src", "default-src", "style-src"):
            assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:", "http:"} \
                & set(policy.get(directive, [])), (page, directive)
        # No page may need inline script, so the policy costs nothing.
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/json", (page, str(script)[:100])


# --- 3. paths -------------------------------------------------------------------------------------

def _minimal(regions: Path) -> Path:
    regions.mkdir(parents=True, exist_ok=True)
    shutil.copy(REGIONS / "municipalities.yaml", regions)
    shutil.copytree(REGIONS / REGION, regions / REGION)
    return regions


def _errors(regions: Path, only=None) -> list[str]:
    return [f.format() for f in check(regions, only, AS_OF).errors]


@pytest.mark.parametrize("name", ["Jeugd Regio", "jeugd_regio", "jeugd--regio", "-jeugd", "jeugdregio-",
                                  "JEUGD", "jeugd.regio", "x" * 65, "jeugd%2e%2e", "ré"])
def test_region_folder_must_be_a_slug(tmp_path, name):
    regions = _minimal(tmp_path / "regions")
    shutil.copytree(regions / REGION, regions / name)
    errors = [e for e in _errors(regions) if name in e]
    assert any("geen geldige regio-id" in e for e in errors), errors


def test_agreement_file_name_must_equal_its_id(tmp_path):
    regions = _minimal(tmp_path / "regions")
    agreements = regions / REGION / "agreements"
    (agreements / "gr-jeugd.yaml").rename(agreements / "Evil Name.yaml")
    errors = _errors(regions)
    assert any("Evil Name.yaml" in e and "bestandsnaam" in e for e in errors), errors


@pytest.mark.parametrize("bad", ["../../etc", "a/b", "GR", "a b", "x" * 65])
def test_ids_that_become_paths_are_slugs(tmp_path, bad):
    regions = _minimal(tmp_path / "regions")
    path = regions / REGION / "agreements" / "gr-jeugd.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^id: .*$", f"id: {json.dumps(bad)}", text, count=1, flags=re.M), encoding="utf-8")
    errors = [e for e in _errors(regions) if "gr-jeugd.yaml:1:" in e]
    assert any("geen geldige id" in e or "te lang" in e for e in errors), errors


def test_page_paths_come_from_slugs_only():
    """Every page path the renderer writes is built from fixed names and validated ids (or the version
    slug, which model.version_slug reduces to [a-z0-9-])."""
    import inspect
    source = inspect.getsource(render.region_pages) + inspect.getsource(render.render_portal)
    paths = [p for p in re.findall(r'Page\(\s*f"([^"]*)"', source)]
    parts = {part for path in paths for part in re.findall(r"\{([^}]*)\}", path)}
    # entry.id: a register entry's id, an Id like a region's (register_schema) and equal to its folder name
    assert paths and parts <= {"agreement.id", "version.slug", "code.lower()", "entry.id", "outputs.MUNICIPALITIES"}, \
        f"a new page path from data ({parts}): make sure its parts are validated slugs and update this test"


@pytest.mark.parametrize("number", payloads.SHORT + ["../../etc", "1.0", "..", "", "/", "ÉÉN"])
def test_version_slugs_are_safe(number):
    from generator.domain.model import version_slug
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", version_slug(number))


def _symlink_cases(tmp_path: Path):
    outside = tmp_path / "outside"
    shutil.copytree(REGIONS / REGION, outside / REGION)
    return outside


def test_region_folder_symlink_outside_is_refused(tmp_path):
    outside = _symlink_cases(tmp_path)
    regions = _minimal(tmp_path / "regions")
    (regions / "gestolen").symlink_to(outside / REGION, target_is_directory=True)
    errors = [e for e in _errors(regions) if "gestolen" in e]
    assert any("buiten de map met regio's" in e for e in errors), errors


@pytest.mark.parametrize("file", ["region.yaml", "finance.yaml", "agreements/gr-jeugd.yaml"])
def test_file_symlink_outside_is_refused(tmp_path, file):
    outside = _symlink_cases(tmp_path)
    regions = _minimal(tmp_path / "regions")
    (regions / REGION / file).unlink()
    (regions / REGION / file).symlink_to(outside / REGION / file)
    errors = [e for e in _errors(regions) if file.split("/")[-1] in e]
    assert any("buiten de map met regio's" in e for e in errors), errors


def test_agreements_folder_symlink_outside_is_refused(tmp_path):
    outside = _symlink_cases(tmp_path)
    regions = _minimal(tmp_path / "regions")
    shutil.rmtree(regions / REGION / "agreements")
    (regions / REGION / "agreements").symlink_to(outside / REGION / "agreements", target_is_directory=True)
    errors = _errors(regions)
    assert any("buiten de map met regio's" in e for e in errors), errors


def test_municipalities_symlink_outside_is_refused(tmp_path):
    outside = _symlink_cases(tmp_path)
    shutil.copy(REGIONS / "municipalities.yaml", outside)
    regions = _minimal(tmp_path / "regions")
    (regions / "municipalities.yaml").unlink()
    (regions / "municipalities.yaml").symlink_to(outside / "municipalities.yaml")
    errors = [e for e in _errors(regions) if "municipalities.yaml" in e]
    assert any("buiten de map met regio's" in e for e in errors), errors


def test_symlink_inside_the_regions_folder_is_fine(tmp_path):
    regions = _minimal(tmp_path / "regions")
    (regions / REGION / "finance.yaml").rename(regions / "shared-finance.yml")
    (regions / REGION / "finance.yaml").symlink_to(regions / "shared-finance.yml")
    assert not _errors(regions)


def _snapshot(folder: Path) -> dict[str, str]:
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            result[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            result[path.relative_to(folder).as_posix() + "/"] = ""
    return result


def _govsite(*args: str, cwd: Path, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return govsite(*args, cwd=cwd, timeout=timeout, **kwargs)


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    regions = _minimal(tmp_path / "regions")
    (tmp_path / "elders").mkdir()
    (tmp_path / "elders" / "bestand.txt").write_text("blijft", encoding="utf-8")
    before = _snapshot(tmp_path)
    result = _govsite("build", "--regions", str(regions), "--out", str(tmp_path / "site"), "--as-of",
                      AS_OF.isoformat(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = _snapshot(tmp_path)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    # Beside the output folder only its own siblings (.site.spare, .site.trash); the build's caches
    # (manifest, compiled templates) are in the user's cache folder, outside every checkout.
    known = {k for k in changed if k.startswith(".site.")}
    assert cache_folder(tmp_path / "site").joinpath("manifest.json").is_file()
    assert not cache_folder(tmp_path / "site").is_relative_to(tmp_path)
    assert changed - known and all(k.startswith("site/") for k in changed - known), \
        sorted(k for k in changed - known if not k.startswith("site/"))


# --- 4. limits ------------------------------------------------------------------------------------

LIMIT_CHILD = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB
    from generator.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def _bounded(regions: Path, timeout: float = 20) -> tuple[int, str, float]:
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", LIMIT_CHILD, "validate", "--regions", str(regions),
                             "--as-of", AS_OF.isoformat()], capture_output=True, text=True, timeout=timeout,
                            cwd=regions.parent, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return result.returncode, result.stdout + result.stderr, time.monotonic() - start


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghij"):
        previous = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _merge_laughs() -> str:
    """Merge keys of merge keys: exponential work before any value is counted (fixed in load._merged)."""
    lines = ["a0: &a0 {k: 1}"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} {{<<: [" + ", ".join([f"*a{i - 1}"] * 10) + "]}")
    return "\n".join(lines) + "\n"


LIMITS = {
    "billion laughs": (lambda: _billion_laughs(), "te veel waarden"),
    "merge-key laughs": (lambda: _merge_laughs(), "onbekend veld 'a0'"),
    "deep flow nesting": (lambda: "summary: " + "[" * 100_000 + "]" * 100_000 + "\n", "te diep genest"),
    "deep block nesting": (lambda: "".join(f"{'  ' * i}k{i}:\n" for i in range(500)) + "  " * 500 + "x: 1\n",
                           "te diep genest"),
    "huge file": (lambda: "summary: |\n" + ("  " + "a" * 98 + "\n") * 20_000, "te groot"),
    "huge string": (lambda: "summary: " + "a" * 200_000 + "\n", "te lang"),
    "many values": (lambda: "summary: [" + ",".join(["1"] * 200_000) + "]\n", "te veel waarden"),
    "huge number": (lambda: "inhabitants: " + "9" * 50_000 + "\n", "te lang"),
    "control character": (lambda: 'name: "Jeugd\\x07regio"\n', "stuurteken"),
    "nul character": (lambda: 'name: "Jeugd\\0regio"\n', "stuurteken"),
}


@pytest.mark.parametrize("case", list(LIMITS))
def test_limits_end_in_a_clear_error(tmp_path, case):
    make, message = LIMITS[case]
    regions = _minimal(tmp_path / "regions")
    (regions / REGION / "region.yaml").write_text(make(), encoding="utf-8")
    code, output, seconds = _bounded(regions)
    assert code == 1, output[-2000:]
    assert "Traceback" not in output and "interne fout" not in output, output[-2000:]
    assert re.search(rf"region\.yaml:\d+:\d+: error: .*{message}", output), output[-2000:]
    assert seconds < 20


def test_too_many_agreements(tmp_path):
    regions = _minimal(tmp_path / "regions")
    agreements = regions / REGION / "agreements"
    for i in range(load.MAX_AGREEMENTS + 1):
        (agreements / f"extra-{i}.yaml").write_text("id: x\n", encoding="utf-8")
    code, output, _ = _bounded(regions)
    assert code == 1 and f"te veel bestanden in agreements/ (maximaal {load.MAX_AGREEMENTS})" in output, output[-500:]


def test_too_many_regions(tmp_path):
    regions = _minimal(tmp_path / "regions")
    for i in range(load.MAX_REGIONS):  # real folders: with the region already there, one over the limit
        (regions / f"regio-{i:04}").mkdir()
    sources = load.load_sources(regions)
    assert any(f"({load.MAX_REGIONS + 1}; maximaal {load.MAX_REGIONS})" in f.message
               for f in sources.findings), [f.message for f in sources.findings][:3]
    assert len(sources.regions) <= load.MAX_REGIONS


# --- 5. atomic publishing -------------------------------------------------------------------------

@pytest.fixture
def published(tmp_path) -> tuple[Path, Path, dict]:
    """An output folder from a previous, good build; returns regions, out and its snapshot."""
    regions = _minimal(tmp_path / "regions")
    out = tmp_path / "site"
    checked = check(regions, None, AS_OF)
    build_module.build(checked.regions, payloads.options(out), lambda region: {})
    return regions, out, _snapshot(out)


def _leftovers(out: Path) -> list[str]:
    """What builds left next to out, besides the spare (the previous output, which the next build starts in)
    and the trash folder (emptied in the background, never read)."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name not in {f".{out.name}.spare", f".{out.name}.trash"})


def _fail(*args, **kwargs):
    raise build_module.BuildError("gesimuleerde fout")


# The engine's own steps (builder, publishing a site's files) fail in tests/test_engine.py, with fake sites.
@pytest.mark.parametrize("where", ["generator.engine.index.part_command", "generator.engine.index.site_command",
                                   "generator.site.feeds.write_region", "generator.site.render.render_region"])
def test_failed_build_leaves_previous_output(published, monkeypatch, where):
    regions, out, before = published
    module, name = where.rsplit(".", 1)
    monkeypatch.setattr(sys.modules[module], name, _fail)
    checked = check(regions, None, AS_OF)
    with pytest.raises(build_module.BuildError):  # not incremental: every step runs again
        build_module.build(checked.regions, payloads.options(out, incremental=False), lambda region: {})
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_a_failing_pagefind_run_stops_the_build(published, tmp_path):
    """Pagefind runs in the background while the sites are built; when a run fails, the build stops
    with what Pagefind printed, and the previous output stays. (A Pagefind of its own, named by
    PAGEFIND_BINARY_PATH, in a build of its own.)"""
    regions, out, before = published
    broken = tmp_path / "pagefind-kapot"
    broken.write_text("#!/bin/sh\necho 'index kapot'\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--regions", str(regions), "--out", str(out),
                             "--as-of", AS_OF.isoformat(), "--clean"], cwd=out.parent, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), "PAGEFIND_BINARY_PATH": str(broken)})
    assert result.returncode == 1
    assert re.search("(?s)Pagefind kon de zoekindex van .* niet maken.*index kapot", result.stderr), result.stderr
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_invalid_data_leaves_previous_output(published):
    regions, out, before = published
    (regions / REGION / "region.yaml").write_text("id: [\n", encoding="utf-8")
    result = _govsite("build", "--regions", str(regions), "--out", str(out), "--as-of", AS_OF.isoformat(),
                      cwd=out.parent)
    assert result.returncode == 1 and "niet veranderd" in result.stderr
    assert _snapshot(out) == before and _leftovers(out) == []


def test_killed_build_never_leaves_a_mixed_site(published):
    """SIGKILL at several moments of a build: the output folder is the old site or the new one, whole
    (byte for byte as an uninterrupted build makes it), and the next build clears what the killed one
    left behind."""
    regions, out, before = published
    region_file = regions / REGION / "region.yaml"
    region_file.write_text(region_file.read_text(encoding="utf-8").replace(
        "name: Jeugdregio Voorbeeldland-West", "name: Jeugdregio Voorbeeldland-West Nieuw"), encoding="utf-8")
    arguments = ["build", "--regions", str(regions), "--as-of", AS_OF.isoformat()]
    reference = out.with_name("referentie")
    result = _govsite(*arguments, "--out", str(reference), cwd=out.parent)
    assert result.returncode == 0, result.stderr
    after = _snapshot(reference)
    command = [sys.executable, "-m", "generator", *arguments, "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seen, killed = [], []
    for delay in (0.3, 0.8, 1.3, 1.8, 2.5, 3.5):
        # Its own process group, killed whole (as a CI runner cancels a job): a worker that outlived
        # its parent could otherwise still write into the work folder after the next build cleared it.
        process = subprocess.Popen(command, cwd=out.parent, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        killed.append(process.pid)
        assert out.is_dir(), f"after a kill at {delay}s the output folder is missing"
        now = _snapshot(out)
        assert now in (before, after), f"a kill at {delay}s left a site that is neither the old nor the new one"
        seen.append("old" if now == before else "new")
    result = _govsite(*arguments, "--out", str(out), cwd=out.parent)
    assert result.returncode == 0, result.stderr
    assert _snapshot(out) == after
    assert _leftovers(out) == [], "the next build must clear what killed builds left behind"
    scratch = Path(publish.scratch() or tempfile.gettempdir())
    markdown = [p.name for pid in killed for p in scratch.glob(f"{publish.SCRATCH_PREFIX}{pid}-*")]
    assert markdown == [], "the next build must remove the Markdown of killed builds (in memory: /dev/shm)"
    assert "old" in seen, seen


def test_swap_without_exchange_recovers(published):
    """Where the file system cannot exchange two folders atomically, the fallback renames out away
    first; a build killed in that moment leaves .<out>.old-<pid>, which the next build restores."""
    regions, out, before = published
    stale = out.with_name(f".{out.name}.old-999999999")
    out.rename(stale)
    checked = check(regions, None, AS_OF)
    build_module.build(checked.regions, payloads.options(out), lambda region: {})  # recovers first
    assert out.is_dir() and not stale.exists() and _snapshot(out) == before and _leftovers(out) == []
    # The swap itself without the exchange: tests/test_engine.py (test_a_swap_without_exchange_is_recovered).


# --- 6. fuzz: what the validator accepts, the renderer never turns into an unsafe link -------------

from hypothesis import event, given, strategies as st  # noqa: E402

_TOKENS = ["[", "]", "(", ")", "<", ">", "!", ":", "javascript", "java", "script", "JaVa", "data", "vbscript",
           "\t", "\n", "\n\n", " ", "   ", "    ", "- ", "* ", "1. ", ": ", "> ", "&#106;", "&#x6A;", "&colon;",
           "&#58;", "&", "#", ";", "\\", "x", "'", '"', "https://a.nl/", "mailto:", "%3A", "\u00ad", "|", "`"]


_NOISE = st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join)
_SCHEMES = ["javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", "javascript&colon;", " javascript:",
            "data:text/html,", "vbscript:", "java\nscript:", "javascript\\:", "&#x6A;avascript&#58;"]
# A link target: an unsafe scheme with one thing slipped in somewhere (which may or may not break it).
_TARGET = st.builds(lambda base, at, extra, rest: base[:at] + extra + base[at:] + rest,
                    st.sampled_from(_SCHEMES), st.integers(0, 16),
                    st.sampled_from(["", "\t", "\n", " ", "\\", "&#0;", "\u00ad", "%0a", "&Tab;", "<", ">", "(", ")"]),
                    st.sampled_from(["alert(1)", "alert(1) \"t\"", "x", ""]))
_FORMS = ["[{t}]({u})", "![{t}]({u})", "<{u}>", "[{t}]\n\n[{t}]: {u}", "- [{t}]: {u}\n\n[{t}]",
          "[{t}]({u} \"x\")", "[{t}](<{u}>)", "[{t}][]\n\n[{t}]:\n  {u}", "Begrip\n:   [{t}]: {u}\n\n[{t}]"]
_LINKS = st.builds(lambda before, form, label, target, after: before + form.format(t=label, u=target) + after,
                   _NOISE, st.sampled_from(_FORMS), st.sampled_from(["x", "klik", "a b", ""]), _TARGET, _NOISE)


@given(st.one_of(_LINKS, st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)))
def test_accepted_markdown_never_renders_an_unsafe_link(text):
    """The validator's scheme check against the parser of data fields itself (markdown-it-py as
    generator.site.datamd sets it up, keeping every link), without mdsafe: whatever it accepts renders
    without a link or image a browser would run, as a block and inside a line."""
    from markdown_it import MarkdownIt

    try:
        schema._markdown(text)
    except ValueError:
        event("refused")
        return
    event("accepted")
    data = MarkdownIt("commonmark", {"html": False}).enable("table")
    data.validateLink = lambda url: True
    for rendered in (data.render(text), data.renderInline(" ".join(text.split()))):
        problems = [p for p in html_problems(rendered) if "scheme" in p]
        assert not problems, (text, rendered)
