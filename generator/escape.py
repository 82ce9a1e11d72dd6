"""One escaping per output format, in one place.

Text from the data (and from file names, which a pull request chooses too) reaches an output only
through the function here for that output's format. Each function says in which context its result
is safe; a value in any other context needs its own function here, not an escape at the call site.

    HTML                          html, theme_text, html_in_markdown
    Markdown of a site page       markdown_text, markdown_html
    YAML front matter             yaml_string
    Atom (XML)                    xml_text
    iCalendar                     ics_text
    terminal and CI log           ci_text, ci_line, ci_lines
    job summary (GitHub Markdown) summary_text, summary_code, summary_code_block
    open data                     csv_cell, csv_row, json_document, json_in_html
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Iterable

from markupsafe import Markup, escape

# --- HTML ----------------------------------------------------------------------------------


def html(value: Any) -> Markup:
    """Text in HTML element content or a quoted attribute value: & < > " ' as character references."""
    return escape(value)


def theme_text(value: Any) -> Markup:
    """Text for MkDocs' theme templates, which do not escape ({{ config.site_name }}, {{ page.meta.title }}
    are written as-is): escaped once here. As Markup, Material's `| e` leaves it as it is."""
    return Markup(escape(str(value)))


# Characters Markdown acts on even inside an HTML tag that sits in a paragraph (links, images, code,
# backslash escapes run before raw HTML is set aside), as character references, which look the same.
_MD_IN_HTML = str.maketrans({ch: f"&#{ord(ch)};" for ch in "[]()`\\!*_{}|~"})


def html_in_markdown(value: Any) -> Markup:
    """Text in an HTML fragment (SVG, HTML table) that sits in a Markdown page: HTML-escaped, and
    Markdown-proof, so that even a fragment Markdown does read cannot get a link from the data."""
    if hasattr(value, "__html__"):
        return Markup(str(escape(value)).translate(_MD_IN_HTML))
    return _html_in_markdown(str(value))


@functools.lru_cache(maxsize=65536)  # words of comparisons, labels and numbers of diagrams recur
def _html_in_markdown(text: str) -> Markup:
    return Markup(str(escape(text)).translate(_MD_IN_HTML))


# --- Markdown ------------------------------------------------------------------------------

# What Markdown acts on in running text, in both dialects govsite writes: Python-Markdown (site pages)
# and GitHub's (the job summary). '-' only matters at the start of a line, where a page template may
# put a value; '<', '>' and '$' only where no HTML escaping follows (the job summary).
_MARKDOWN_ACTIVE = "\\`*_{}[]()#+!|~"
_PAGE_SPECIAL = re.compile("([" + re.escape(_MARKDOWN_ACTIVE + "-") + "])")
_SUMMARY_SPECIAL = re.compile("([" + re.escape(_MARKDOWN_ACTIVE + "<>$") + "])")


def markdown_text(value: Any) -> str:
    """Plain text in a site page's Markdown: one line (no Markdown blocks from data), every character
    Markdown would interpret backslash-escaped. Safe only when HTML-escaped after (markdown_html)."""
    return _markdown_text(str(value))


@functools.lru_cache(maxsize=65536)  # names, titles and labels recur on many pages: escape each once
def _markdown_text(text: str) -> str:
    return _PAGE_SPECIAL.sub(r"\\\1", " ".join(text.split()))


@functools.lru_cache(maxsize=65536)
def markdown_html(text: str) -> Markup:
    """A value in a site page's Markdown, which may hold raw HTML: markdown_text, then HTML-escaped.
    What every {{ value }} of a page template writes."""
    return escape(_markdown_text(text))


# --- YAML front matter ---------------------------------------------------------------------



_SURROGATE = re.compile("[\ud800-\udfff]")


def yaml_string(value: Any) -> str:
    """A double-quoted YAML scalar (front matter): JSON's string syntax, which YAML reads as-is, with
    every character a YAML reader refuses raw or reads as a line break written as a \\u escape, and a
    lone surrogate, which YAML cannot read even as an escape, as U+FFFD (the front matter would else
    be shown as page text)."""
    return json_document(_SURROGATE.sub("\ufffd", str(value)))


# --- XML (Atom) ----------------------------------------------------------------------------

# Not allowed in XML 1.0 (C0 but tab and line ends, surrogates, U+FFFE/U+FFFF), or discouraged and
# read as a line end by XML 1.1 and some readers (DEL, C1 with NEL).
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> Markup:
    """Text in XML element content or a quoted attribute value: characters XML cannot carry removed,
    markup characters as character references."""
    return _xml_text(str(value))


@functools.lru_cache(maxsize=65536)  # a municipality's feed repeats its regions' titles and names
def _xml_text(text: str) -> Markup:
    return escape(_XML_UNSAFE.sub("", text))


# --- iCalendar (RFC 5545) ------------------------------------------------------------------

# Everything some reader takes for a line end: each becomes the TEXT escape \n, so that a value stays
# on its content line (the writer splits the document only on the line ends of its template).
_ICS_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# CONTROL of RFC 5545 (C0 but tab, DEL), C1, surrogates and non-characters: removed.
_ICS_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def ics_text(value: Any) -> str:
    """A value as iCalendar TEXT (3.3.11) on one content line: backslash, semicolon and comma escaped,
    every kind of line break as \\n, control characters removed."""
    return _ics_text(str(value))


@functools.lru_cache(maxsize=65536)  # the calendars of a region's members hold the same events
def _ics_text(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _ICS_CONTROL.sub("", _ICS_BREAK.sub(r"\\n", text))


# --- terminal and CI log -------------------------------------------------------------------

# Control characters (ANSI escapes start with ESC or C1's CSI), everything a log reader may take for a
# line end, bidirectional overrides (text that reads differently than it is), surrogates (from file
# names that are not UTF-8) and non-characters: shown as escapes.
_CI_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                        "\ud800-\udfff\ufffe\uffff]")
_CI_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match) -> str:
    char = match.group()
    if char in _CI_NAMED:
        return _CI_NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def ci_text(value: Any) -> str:
    """A value inside one line of terminal or CI log output: control characters, line breaks and
    direction overrides shown as visible escapes (a newline as \\n, ESC as \\x1b)."""
    return _CI_UNSAFE.sub(_visible, str(value))


def ci_line(value: Any) -> str:
    """One whole line of terminal or CI log output (a finding, a message): ci_text, and never a
    GitHub Actions workflow command, which the runner reads from '::' at the start of a line (after
    spaces) and from '##[' anywhere in it."""
    line = ci_text(value).replace("##[", "#\\x23[")
    rest = line.lstrip()
    if rest.startswith("::"):
        line = line[:len(line) - len(rest)] + "\\x3a" + rest[1:]
    return line


def ci_lines(text: Any) -> str:
    """Text of several lines (a message that lists problems): each line as ci_line."""
    return "\n".join(ci_line(line) for line in str(text).split("\n"))


# --- the job summary (GitHub Markdown) -----------------------------------------------------


def summary_text(value: Any) -> str:
    """Plain text in GitHub Markdown that is not HTML-escaped (the job summary of `govsite diff`):
    one line, Markdown's characters and HTML's '<' and '>' backslash-escaped."""
    return _SUMMARY_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _fence_for(text: str, least: int) -> str:
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    return "`" * max(least, longest + 1)


def summary_code(value: Any) -> str:
    """Text as an inline code span in GitHub Markdown: one line, fenced by more backticks than any
    run inside it, so that it cannot end early."""
    text = ci_text(" ".join(str(value).split()))
    fence = _fence_for(text, 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def summary_code_block(lines: Iterable[Any]) -> list[str]:
    """Lines as a fenced code block in GitHub Markdown: each one line (ci_line), the fence longer than
    any run of backticks in them, so that no line can close the block and write Markdown or HTML."""
    shown = [ci_line(line) for line in lines]
    fence = _fence_for("\n".join(shown), 3)
    return [fence, *shown, fence]


# --- open data: CSV and JSON ---------------------------------------------------------------

# A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> str:
    """One cell of a CSV file (RFC 4180) that a spreadsheet opens: text that would start a formula
    gets a leading apostrophe; a cell with a comma, quote or line end is quoted, quotes doubled.
    Numbers stay numbers (-1 is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "ja" if value else "nee"
    elif isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = str(value)
        if text.lstrip(" ").startswith(_FORMULA_START):
            text = "'" + text
    if _CSV_QUOTED.search(text):
        text = '"' + text.replace('"', '""') + '"'
    return text


_CSV_QUOTED = re.compile('[,"\r\n]')  # a cell with one of these is quoted


def csv_row(values: Iterable[Any]) -> str:
    """One record of a CSV file: csv_cell for each value, CRLF at the end (RFC 4180)."""
    return ",".join([_csv_text(value) if type(value) is str else csv_cell(value) for value in values]) + "\r\n"


# csv_cell of a text, kept: names, sources and licences recur on many rows of the open data
_csv_text = functools.lru_cache(maxsize=65536)(csv_cell)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_document(value: Any, **options: Any) -> str:
    """A JSON file or output (UTF-8 kept readable): json.dumps with ensure_ascii off, and the
    characters that other readers take for line ends or control codes (DEL, C1, U+2028, U+2029) or
    cannot encode (surrogates) as \\u escapes; they only ever stand inside strings. Printed in a CI
    log, no line starts with '::' (every line starts with a space or a bracket), nor holds '##['."""
    text = _JSON_UNSAFE.sub(_json_escape, _dumps(value, options))
    return text.replace("##[", "#\\u0023[")


class _Unusual(Exception):
    """A value _indented leaves to json.dumps."""


def _dumps(value: Any, options: dict[str, Any]) -> str:
    """json.dumps(value, ensure_ascii=False, **options), the same text. With an indent json.dumps
    leaves its C encoder for one written in Python (generators per value, several times slower), so
    an indented document of plain data (dict with str keys, list, tuple, str, int, float, bool, None)
    is written by _indented instead; anything else goes to json.dumps as before."""
    indent = options.get("indent")
    if type(indent) is int and options.keys() <= {"indent", "sort_keys"}:
        try:
            return _indented(value, "\n", " " * indent, bool(options.get("sort_keys")))
        except (_Unusual, RecursionError):  # RecursionError: a cycle, which json.dumps reports
            pass
    return json.dumps(value, ensure_ascii=False, **options)


_json_string = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii off (C when there)
_INFINITY = float("inf")


def _json_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


# Values of exactly these types are written by a function of this table (the rest by the tests below).
_JSON_PLAIN = {str: _json_string, int: int.__repr__, float: _json_float, bool: lambda b: "true" if b else "false",
               type(None): lambda _: "null"}


def _indented(value: Any, newline: str, indent: str, sort_keys: bool) -> str:
    """value as json.dumps(value, ensure_ascii=False, indent=..., sort_keys=...) writes it: the same
    tests in the same order (json.encoder._make_iterencode), the same separators (',' and ': ').
    Exact dicts and lists are looked at first, and strings written where they stand: most of a document."""
    kind = type(value)
    if kind is dict:
        return _json_object(value, newline, indent, sort_keys)
    if kind is list:
        return _json_array(value, newline, indent, sort_keys)
    plain = _JSON_PLAIN.get(kind)
    if plain is not None:
        return plain(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, int):  # bool and None are exact types, in the table
        return int.__repr__(value)
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, (list, tuple)):
        return _json_array(value, newline, indent, sort_keys)
    if isinstance(value, dict):
        return _json_object(value, newline, indent, sort_keys)
    raise _Unusual


def _json_array(value, newline: str, indent: str, sort_keys: bool) -> str:
    if not value:
        return "[]"
    inner = newline + indent
    items = []
    for item in value:
        kind = type(item)
        if kind is str:
            items.append(_json_string(item))
        elif kind is dict:
            items.append(_json_object(item, inner, indent, sort_keys))
        else:
            items.append(_indented(item, inner, indent, sort_keys))
    return "[" + inner + ("," + inner).join(items) + newline + "]"


def _json_object(value, newline: str, indent: str, sort_keys: bool) -> str:
    if not value:
        return "{}"
    inner = newline + indent
    items = []
    for key, item in (sorted(value.items()) if sort_keys else value.items()):
        if type(key) is not str:  # json.dumps turns numbers, True and None into strings
            raise _Unusual
        kind = type(item)
        if kind is str:
            items.append(_json_string(key) + ": " + _json_string(item))
        elif item is None:
            items.append(_json_string(key) + ": null")
        elif kind is dict:
            items.append(_json_string(key) + ": " + _json_object(item, inner, indent, sort_keys))
        elif kind is list:
            items.append(_json_string(key) + ": " + _json_array(item, inner, indent, sort_keys))
        else:
            items.append(_json_string(key) + ": " + _indented(item, inner, indent, sort_keys))
    return "{" + inner + ("," + inner).join(items) + newline + "}"


_JSON_IN_HTML = re.compile("[<>&']")


def json_in_html(value: Any, **options: Any) -> str:
    """JSON inside an HTML <script> element (or a quoted attribute, after html()): json_document with
    < > & ' as \\u escapes, so that the text cannot end the element or start a comment."""
    return _JSON_IN_HTML.sub(_json_escape, json_document(value, **options))
