"""The injection corpus: what a hostile (or careless) pull request could write into a YAML field.

Payloads that try to run code call alert(1) or set window.__pwned, so that the browser test can
listen for a dialog and check a flag. Each list says where a payload goes and what must happen:

- TEXT: any text field. Must be shown literally, never interpreted (HTML, template syntax).
- MARKDOWN: Markdown fields on top of TEXT; allowed, and must come out harmless.
- MARKDOWN_REFUSED: Markdown links with a scheme other than https/http/mailto. The validator
  refuses them (with the place), in every case and whitespace/entity variant.
- URL / URL_REFUSED: URL fields (website, report, source, publication).
- EMAIL: e-mail fields that pass the address check but try to break out of a link.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import types
import typing
from pathlib import Path
from typing import Any, Callable

from pydantic import AfterValidator, BaseModel, BeforeValidator
from ruamel.yaml import YAML

from generator.domain import schema

# Template syntax (Jinja2, MkDocs macros, JavaScript template literals): shown as written.
TEMPLATE = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{{ config }}",
    "${7*7}",
    "{{ ''.__class__.__mro__ }}",
]

TEXT = [
    "<script>alert(1)</script>",
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    '" onmouseover="alert(1)',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">klik</a>',
    "<object data=x></object><embed src=x><base href=//example.com/>",
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '{: onclick="alert(1)"}',
    "<!-- x --><script>alert(1)</script><!-- y -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    # Bidi controls and carriage returns are refused at load (tests/test_input_safety.py); what is
    # allowed must still come out as text.
    "Zacht\u00adafbreekstreepje en \u200bnul-breedte",
    "BEGIN:VEVENT\nSUMMARY:ingevoegd\nEND:VEVENT",
    "]]></content><entry><title>ingevoegd</title></entry>",
    *TEMPLATE,
]

# Markdown link syntax in plain-text fields (names, titles): not Markdown there, so shown as written;
# the validator does not refuse it, so only the escaping stands between it and a link.
TEXT_ONLY = [
    "[klik](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "*nadruk* _nadruk_ `code` # kop",
]

LONG_WORD = "Lang" + "woord" * 2000  # 10 004 characters without a space

# Markdown constructs that stay (links with safe schemes) but try to break out of the attribute.
MARKDOWN = [
    *TEXT,
    '[klik](https://example.org "<script>alert(1)</script>")',
    '[klik](https://example.org/"onmouseover="alert(1))',
    '![x](https://example.org/x.png" onerror="alert(1))',
    "<https://example.org/\"onmouseover=\"alert(1)>",
    "[klik][ok]\n\n[ok]: https://example.org/<script>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "| kop |\n|---|\n| <img src=x onerror=alert(1)> |",
    '!!! note "<script>alert(1)</script>"\n    tekst',
    "*<img src=x onerror=alert(1)>*",
    "[geen schema](javascript%3Aalert(1)) [zacht afbreekstreepje](javascript\u00ad:alert(1))",
    LONG_WORD,
]

MARKDOWN_REFUSED = [
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](java\nscript:alert(1))",
    "[klik]( javascript:alert(1))",
    "[klik](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "![x](javascript:alert(1))",
    "[x][y]\n\n[y]: javascript:alert(1)",
    "[x]\n\n[x]: <javascript:alert(1)>",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](javascript\\:alert(1))",
    "[x](\\javascript:alert(1))",
    "- [x]: javascript:alert(1)\n\n[x]",
    "Begrip\n:   [x]: javascript:alert(1)\n\n[x]",
    "1. [x]:\n   javascript:alert(1)\n\n[x]",
    # Found by test_security.test_accepted_markdown_never_renders_an_unsafe_link:
    "[]\n\n[]: javascript:alert(1)",  # an empty label
    "]([x](javascript:alert(1))",  # a link inside what looked like the target of another
    ">- [x]: javascript:alert(1)\n\n[x]",  # a definition in a quote without a space after '>' (markdown-it)
]

URL = [
    'https://example.org/"><script>alert(1)</script>',
    "https://example.org/'onmouseover='alert(1)'",
    "https://example.org/?q=<img/src=x/onerror=alert(1)>",
    "https://example.org/)](javascript:alert(1))",
    "https://example.org/{{7*7}}",
    "mailto:x@example.org?body=<script>alert(1)</script>",
]

URL_REFUSED = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//example.org/zonder-schema",
    "ftp://example.org/",
]

EMAIL = [
    "x'onmouseover='alert(1)'@example.org",
    "x)](javascript:alert(1))@example.org",
    "{{7*7}}@example.org",
    "x&quot;onmouseover=alert(1)@example.org",
]

# Payloads short enough for version and article numbers (at most 32 characters with the number).
SHORT = ["<script>alert(1)</script>", "<svg onload=alert(1)>", "{{ 7*7 }}", '"><img src=x onerror=alert(1)>',
         "{% if 1 %}x{% endif %}", "' onmouseover='alert(1)"]

# Everything some reader takes for a line end: str.splitlines() (VT, FF, FS/GS/RS, NEL, LS, PS), XML 1.1
# (NEL, LS), terminals and CI log readers (CR, LF). A value holding one must stay on its own line.
LINE_BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r", "\n", "\r\n"]


def calendar_event(separator: str, first: str = "Kaderbrief") -> str:
    """Text that adds a whole event, with its own UID, URL and alarm, to a calendar whose writer lets
    the separator through as a line end."""
    return separator.join([first, "BEGIN:VEVENT", "UID:ingevoegd@evil.example", "DTSTAMP:20260101T000000Z",
                           "DTSTART;VALUE=DATE:20270101", "SUMMARY:Ingevoegd", "URL:https://evil.example/",
                           "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Ingevoegd", "TRIGGER:-PT5M",
                           "END:VALARM", "END:VEVENT", "X-REST:"])


# File and folder names (and values) that try to write a GitHub Actions workflow command or a terminal
# control sequence into the output of govsite validate, fmt and diff.
CI_LOG = [
    "x\n::error file=x.yaml,line=1::Ingevoegde fout",
    "x\r::add-mask::geheim",
    "x\n  ::stop-commands::pauze",
    "x ##[error]Ingevoegde fout",
    "x\u2028::warning::Ingevoegd",
    "\x1b[2J\x1b[31mrood\x1b]0;titel\x07",
    "\x9b31mrood",
]


# --- placing payloads in every text field --------------------------------------------------

def _unwrap(annotation: Any, metadata: list) -> Any:
    """Strip Annotated (collecting its metadata) and Optional from an annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            for item in annotation.__metadata__:  # Field(...) inside Annotated keeps its own metadata
                metadata.extend(getattr(item, "metadata", None) or [item])
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return None  # e.g. parties: 'members' or a list of codes - not text
            annotation = args[0]
        else:
            return annotation


def field_kind(cls: type[BaseModel], loc: tuple) -> tuple[str, int]:
    """What kind of value stands at loc in a file of kind cls: markdown, url, email, text, version,
    article or other (ids, codes, dates, enums, numbers: left alone), and its maximum length."""
    current: Any = cls
    metadata: list = []
    for part in loc:
        current = _unwrap(current, [])
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return "other", 0
            metadata = []
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            info = current.model_fields[part]
            metadata = list(info.metadata)
            current = info.annotation
        else:
            return "other", 0
    current = _unwrap(current, metadata)
    functions = [m.func for m in metadata if isinstance(m, (AfterValidator, BeforeValidator))]
    named = {schema._markdown: "markdown", schema._url: "url", schema._email: "email",
             schema._version: "version", schema._article_number: "article"}
    for function in functions:
        if function in named:
            return named[function], 32
    if current is not str or functions or any(getattr(m, "pattern", None) for m in metadata):
        return "other", 0
    limit = min([m.max_length for m in metadata if getattr(m, "max_length", None)] or [100_000])
    return "text", limit


def _pick(items: list[str], key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % len(items)


def _short(original: str) -> str:
    """The same for the same original, so that article references keep pointing at their article."""
    start = _pick(SHORT, original)
    for i in range(len(SHORT)):
        candidate = f"{original} {SHORT[(start + i) % len(SHORT)]}"
        if len(candidate) <= 32:
            return candidate
    return original


def _title(original: str, limit: int, key: str) -> str:
    parts = TEXT_ONLY + TEXT + ["Lang" + "woord" * 50]
    start = _pick(parts, key)
    text = original[:30]
    for i in range(len(parts)):
        candidate = f"{text} {parts[(start + i) % len(parts)]}"
        if len(candidate) > limit:
            continue
        text = candidate
    return text


Replace = Callable[[str, str, tuple, str], str | None]  # kind, key, loc, value -> new value or None


def allowed(kind: str, key: str, loc: tuple, value: str) -> str | None:
    """Every allowed payload: all of them in each Markdown field, as many as fit in each text field."""
    if kind == "markdown":
        return value + "\n\n" + "\n\n".join(MARKDOWN)
    if kind == "text":
        return _title(value, _limit_of[0], key)
    if kind == "url":
        return URL[_pick(URL, key)]
    if kind == "email":
        return EMAIL[_pick(EMAIL, key)]
    if kind in ("version", "article"):
        return _short(value)
    return None


def light(kind: str, key: str, loc: tuple, value: str) -> str | None:
    """A few payloads per field, for the quicker builds of the mutation tests."""
    if kind == "markdown":
        return value + "\n\n<script>alert(1)</script> <img src=x onerror=alert(1)> {{ 7*7 }}"
    if kind == "text":
        return value[:30] + " </title><script>alert(1)</script> ![x](javascript:alert(1)) {{ 7*7 }}"
    return None


_limit_of = [300]  # the maximum length of the field walk() is at, for allowed()


def walk(data: Any, cls: type[BaseModel], replace: Replace, name: str, loc: tuple = ()) -> Any:
    """A copy of data with every string that replace() returns a value for replaced."""
    if isinstance(data, dict):
        return {k: walk(v, cls, replace, name, loc + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [walk(v, cls, replace, name, loc + (i,)) for i, v in enumerate(data)]
    if isinstance(data, str):
        kind, limit = field_kind(cls, loc)
        _limit_of[0] = limit
        new = replace(kind, f"{name}:{loc}", loc, data)
        return data if new is None else new
    return data


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100_000
    return yaml


def files_of(root: Path) -> list[tuple[Path, type[BaseModel]]]:
    """Every YAML file under a regions folder with its file kind."""
    found = [(root / "municipalities.yaml", schema.MunicipalitiesFile)]
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.yaml")):
            kind = "region" if path.stem == "region" else path.stem
            found.append((path, schema.FILE_KINDS[kind]))
        found += [(path, schema.AgreementFile) for path in sorted(folder.glob("agreements/*.yaml"))]
    return found


def inject(root: Path, replace: Replace, only: Callable[[Path], bool] = lambda path: True) -> list[Path]:
    """Rewrite the YAML files under root with replace(); returns the files changed."""
    changed = []
    for path, cls in files_of(root):
        if not only(path):
            continue
        data = _yaml().load(path.read_text(encoding="utf-8"))
        new = walk(data, cls, replace, str(path.relative_to(root)))
        if new != data:
            stream = io.StringIO()
            _yaml().dump(new, stream)
            path.write_text(stream.getvalue(), encoding="utf-8")
            changed.append(path)
    return changed


def copy_regions(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
    return target


AS_OF = dt.date(2026, 11, 26)


def build_payload_site(regions: Path, out: Path) -> Path:
    """Put every allowed payload in every text field of every region under regions and build the site."""
    from generator.build import build
    from generator.pipeline import check

    inject(regions, allowed)
    checked = check(regions, None, AS_OF)
    errors = [f.format() for f in checked.errors]
    assert not errors, "the allowed payloads were refused:\n" + "\n".join(errors[:20])
    return build(checked.regions, options(out), lambda region: {})


def options(out: Path, **kwargs):
    """Build options for tests: no hand-written content pages (they hold no data, and are checked by
    their own tests), so these builds only depend on the data and the templates."""
    from generator.build import BuildOptions

    return BuildOptions(out=out, on=AS_OF, content=out.parent / "geen-content", **kwargs)


# --- build caches a repository (or anyone but govsite itself) must never provide (issue 15) ----------

def _writes(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('uitgevoerd')"


class _RunsWhenUnpickled:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (_writes(self.marker),))


def pickle_that_writes(marker: Path) -> bytes:
    """A pickle that writes marker when it is unpickled (as a check cache file)."""
    import pickle

    return pickle.dumps(_RunsWhenUnpickled(marker))


def code_that_writes(marker: Path) -> bytes:
    """A marshalled code object that writes marker when it runs."""
    import marshal

    return marshal.dumps(compile(_writes(marker), "<sjabloon>", "exec"))


def jinja_bytecode_that_writes(marker: Path, source: str) -> bytes:
    """A Jinja bytecode cache file for a template with this source whose code writes marker when
    the template is loaded: Jinja checks only the header and the source's checksum, then runs it."""
    import pickle

    from jinja2.bccache import bc_magic

    checksum = hashlib.sha1(source.encode("utf-8")).hexdigest()
    return bc_magic + pickle.dumps(checksum, 2) + code_that_writes(marker)


def theme_template_files() -> dict[str, str]:
    """Every template MkDocs could load for the shipped theme: Jinja's bytecode cache file name
    (__jinja2_<sha1 of 'name|filename'>.cache) -> the template's source."""
    import importlib.util
    import os

    from generator.build import MKDOCS_YML, theme_dir

    dirs = [theme_dir(MKDOCS_YML), Path(importlib.util.find_spec("material").origin).parent / "templates",
            Path(importlib.util.find_spec("mkdocs").origin).parent / "templates"]
    found = {}
    for folder in dirs:
        if folder is None or not folder.is_dir():
            continue
        for path in folder.rglob("*.html"):
            name = path.relative_to(folder).as_posix()
            if name.startswith("."):
                continue
            filename = os.path.normpath(str(folder) + "/" + name)
            key = hashlib.sha1(f"{name}|{filename}".encode("utf-8")).hexdigest()
            found[f"__jinja2_{key}.cache"] = path.read_text(encoding="utf-8")
    return found


# --- issue 15: Markdown that costs quadratic time, or acts on the page around it -----------------

# Runs that take Python-Markdown quadratic time (a 99 KB summary held a build for minutes).
SLOW_MARKDOWN = {
    "links": "[](" * 33000,
    "images": "![x](" * 20000,
    "titles": '[]("' * 25000,
}
# Image targets a browser reads as another host: tabs and newlines inside a URL are dropped.
# (Python-Markdown wrote a newline into the attribute as it was; tabs it turns into spaces.)
ELSEWHERE_TARGETS = {
    "newline": "![x](/\n/evil.example/x.png)",
    "newline in a link": "[x](/\n/evil.example/)",
    "tab": "![x](/\t/evil.example/x.png)",
    "reference": "![x][bron]\n\n[bron]: /\t/evil.example/x.png",
    "backslash and tab": "![x](\\\t\\evil.example/x.png)",
}
# Markdown that takes over the page: Material's dialog, ids of the theme and of govsite.js.
PAGE_TAKEOVER = {
    "dialog": "!!! md-dialog md-dialog--active\n    Deze pagina is verplaatst.",
    "search class": "!!! md-search\n    Zoek hier.",
    "config heading": "# __config",
    "search heading": "### __search",
    "search element": "## zoeken",
    "attribute list": "Tekst\n{: #__drawer .md-dialog }",
}


# --- issue 15: characters the loader refuses, and what a whole regions folder may hold ----------

# (as escaped in double quotes, the character, its name in the loader's message). Each breaks a feed,
# a calendar or a page's front matter, or turns text around in a review ("Trojan Source").
REFUSED_CHARACTERS = [
    ("\\L", "\u2028", "regelscheiding"),
    ("\\P", "\u2029", "alineascheiding"),
    ("\\N", "\x85", "volgende regel (NEL)"),
    ("\\x80", "\x80", "C1-stuurteken"),
    ("\\x9f", "\x9f", "C1-stuurteken"),
    ("\\r", "\r", "regelterugloop (CR)"),
    ("\\v", "\x0b", "verticale tab"),
    ("\\x1e", "\x1e", "stuurteken"),
    ("\\x7f", "\x7f", "wisteken (DEL)"),
    ("\\u202E", "\u202e", "overschrijving rechts-naar-links"),
    ("\\u2067", "\u2067", "isolatie rechts-naar-links"),
    ("\\uFFFE", "\ufffe", "niet-teken"),
    ("\\uFDD0", "\ufdd0", "niet-teken"),
    ("\\U0001FFFF", "\U0001ffff", "niet-teken"),
]
# Invisible characters that real register text holds: soft hyphen, zero-width space and joiner, a
# left-to-right mark. They must keep working, as must characters beyond U+FFFF.
KEPT_CHARACTERS = ["\u00ad", "\u200b", "\u200d", "\u200e", "\U00020000"]  # and a character beyond U+FFFF


def aliased_lists(fanout: tuple[int, ...] = (10, 10, 10, 10, 7)) -> str:
    """A file of about 200 bytes whose lists of aliases expand to just under the per-file limit of
    values: many of them add up to more than any machine holds."""
    lines = ["a0: &a0 [" + ",".join(['"lol"'] * fanout[0]) + "]"]
    for level, count in enumerate(fanout[1:], start=1):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * count) + "]")
    return "\n".join(lines) + "\n"
