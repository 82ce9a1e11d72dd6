"""No input crashes the loader, the validator or the model: everything ends in findings or success.

Quick by default (the profile in conftest.py); for a long run:

    HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz.py
"""
from __future__ import annotations

import copy
import datetime as dt
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import AS_OF, FILES, REGION, RegionsDir, find
from generator.domain import load
from generator.domain.findings import Finding, display_path, to_json
from generator.domain.load import Sources, load_sources, load_yaml
from generator.domain.model import build_regions
from generator.pipeline import check, gap_finding
from generator.domain.validate import validate

KINDS = list(FILES)


class Base(tuple):
    """(RegionsDir, Sources) of the fixture region, with a short repr for Hypothesis' reports."""

    def __repr__(self) -> str:
        return "<fixture region>"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Base:
    """The fixture region, loaded once; each example replaces one file of it."""
    regions = RegionsDir(tmp_path_factory.mktemp("fuzz") / "regions")
    sources = load_sources(regions.root)
    assert sources.findings == []
    return Base((regions, sources))


def check_one(base: Base, name: str, content: str | bytes) -> list[Finding]:
    """Write one file, load it, and run validation and the model with the other files as loaded before.

    This is pipeline.check with the other eight files read once, so that many examples stay fast.
    """
    regions, sources = base
    path = regions.write(name, content.encode("utf-8") if isinstance(content, str) else content)  # as is
    doc, found = load_yaml(path, display_path(path))
    (files,) = sources.regions
    files = replace(files, topics=dict(files.topics), agreements=list(files.agreements))
    municipalities = sources.municipalities
    if name == "municipalities.yaml":
        municipalities = doc
    elif name == "region.yaml":
        files.region = doc
    elif name.startswith("agreements/"):
        files.agreements = [doc] if doc is not None else []
    elif doc is not None:
        files.topics[name.removesuffix(".yaml")] = doc
    else:
        files.topics.pop(name.removesuffix(".yaml"))
    validation = validate(Sources(sources.root, municipalities, [files], list(sources.findings) + found), AS_OF)
    findings = list(validation.findings)
    for region in build_regions(validation):
        state = region.state(AS_OF)
        findings += [gap_finding(region.files.files, gap) for gap in state.gaps]
        assert isinstance(state.upcoming, list)
    assert_well_formed(findings, path, content)
    return findings


def assert_well_formed(findings: list[Finding], path: Path, content: str | bytes) -> None:
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    lines = len(re.split("\r\n|[\n\r\x85\u2028\u2029]", text)) + 1  # YAML's line breaks
    for finding in findings:
        assert finding.path, finding
        assert finding.line >= 0 and finding.col >= 0, finding
        assert finding.severity in ("error", "gap"), finding
        assert finding.message.strip() and "Traceback" not in finding.message, finding
        if Path(finding.path).resolve() == path.resolve():
            assert finding.line <= lines, finding  # the place exists in the file
        assert finding.format().startswith(f"{finding.path}:{finding.line}:{finding.col}: ")
    to_json(findings, 1)


# --- arbitrary text -------------------------------------------------------------------------

FRAGMENTS = [
    "\n", "\n  ", "\n    ", "\n- ", "  - ", "\t", ": ", ":", "- ", "? ", "#", "'", '"', "\\", "&a ", "*a", "&b [*a, *a]",
    "<<: *a", "[", "]", "{", "}", ",", "---\n", "...\n", "%YAML 1.2\n", "!!str ", "!!binary ", "!tag ", "|", ">",
    "|-\n  ", "~", "null", "yes", "no", "1.10", "0x1F", "0o17", ".inf", "-.nan", "1e309", "2024-02-30",
    "2025-01-01", "2025-01-01T10:00:00Z", "04-15", "GM0546", "raden", "ab", "gr-jeugd", "passende-zorg",
    "[javascript:x](javascript:alert(1))", "\x00", "\x07", "\ufeff", "é", "€", "\u202e", "\U0001f600",
    "members:", "id: leidse-regio", "versions:", "bodies:", "since:", "until:", "decides:", "step:",
]

yaml_like_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12), st.integers().map(str)), max_size=60,
).map("".join)


@given(name=st.sampled_from(KINDS), text=st.one_of(st.text(max_size=300), yaml_like_text))
def test_arbitrary_text_as_each_file_kind(base, name, text):
    check_one(base, name, text)


@given(name=st.sampled_from(KINDS), data=st.binary(max_size=300))
def test_arbitrary_bytes(base, name, data):
    check_one(base, name, data)


@given(prefix=st.sampled_from(["a: ", "- ", "a: [", "a: {b: ", "a: '", 'a: "', "a: |\n  "]),
       repeat=st.integers(1, 2000), piece=st.sampled_from(["[", "{", "- ", "? ", "a", "x: ", "&a ", "*a ", "\\"]))
def test_deep_and_long_constructs(base, prefix, repeat, piece):
    check_one(base, "reflection.yaml", prefix + piece * repeat + "\n")


# --- arbitrary structures -------------------------------------------------------------------

FIELD_NAMES = sorted({
    "id", "name", "kind", "domains", "legal_form", "summary", "contact", "members", "municipality", "since",
    "until", "role", "vision", "goals", "bodies", "positions", "holders", "decisions", "decides", "escalation",
    "step", "body", "title", "versions", "version", "effective", "adopted", "articles", "number", "text",
    "contributions", "year", "budget", "shares", "amount", "percentage", "indicators", "goal", "balances", "act",
    "planning_cycle", "by", "to", "evaluation", "next", "last", "date", "ends", "parties", "basis", "article",
})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10 ** 20), 10 ** 20), st.floats(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.text(max_size=40),
    st.sampled_from(["raden", "colleges", "ab", "db", "GM0546", "GM0547", "GM0638", "GM0576", "gr-jeugd",
                     "passende-zorg", "members", "04-15", "02-29", "13-45", "1.0", "2.0", "5", "jeugd", "wmo",
                     "eigenaar", "opdrachtnemer", "zienswijze", "javascript:alert(1)", "https://example.org",
                     "[a](data:x)", "", " ", "leidse-regio", "regiosecretaris", "voorzitter-ab"]),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10)), children, max_size=6),
    ),
    max_leaves=30,
)


def dump(data) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, default_flow_style=False)


@given(name=st.sampled_from(KINDS), data=structures)
def test_arbitrary_structures_as_each_file_kind(base, name, data):
    check_one(base, name, dump(data))


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))


FIXTURE_DATA = {name: yaml.safe_load(text) for name, text in FILES.items()}
FIXTURE_PATHS = {name: [p for p in _paths(data) if p] for name, data in FIXTURE_DATA.items()}


@st.composite
def mutated(draw, name: str):
    """The valid fixture file with one value replaced, one key removed, or one list item duplicated."""
    data = copy.deepcopy(FIXTURE_DATA[name])
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(structures)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
    return data


@given(name=st.sampled_from(KINDS), data=st.data())
def test_mutated_fixture_files(base, name, data):
    check_one(base, name, dump(data.draw(mutated(name), label="data")))


@settings(max_examples=max(10, settings().max_examples // 5))
@given(name=st.sampled_from(KINDS), data=st.data())
def test_end_to_end_through_the_pipeline(base, name, data):
    """The same through pipeline.check, which reads the whole folder (slower, so fewer examples)."""
    regions, _ = base
    for other, text in FILES.items():
        regions.write(other, text)
    content = dump(data.draw(mutated(name), label="data"))
    path = regions.write(name, content.encode("utf-8"))
    checked = check(regions.root, None, AS_OF)
    assert_well_formed(checked.findings, path, content)
    # a region is modelled only when its own files are free of errors
    for region in checked.regions:
        folder = region.files.files.display + "/"
        assert not [f for f in checked.errors if f.path.replace("\\", "/").startswith(folder)]
    if not checked.errors:
        assert [r.id for r in checked.regions] == [REGION]


# --- hostile files: a clear error, quickly --------------------------------------------------

def timed_error(regions, name: str, content: str | bytes, needle: str) -> Finding:
    regions.write(name, content)
    started = time.process_time()
    found = find(regions.findings(), name, needle, severity="error")
    assert time.process_time() - started < 3, "took too long"  # CPU time: robust on a busy machine
    return found


def test_billion_laughs(regions):
    laughs = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    laughs += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 10)]
    found = timed_error(regions, "reflection.yaml", "\n".join(laughs) + "\n", "te veel waarden")
    assert f"meer dan {load.MAX_NODES}" in found.message and found.line >= 1


def test_deep_flow_nesting(regions):
    found = timed_error(regions, "region.yaml", "id: " + "[" * 10_000 + "]" * 10_000 + "\n", "te diep genest")
    assert f"maximaal {load.MAX_DEPTH}" in found.message


def test_deep_block_nesting(regions):
    found = timed_error(regions, "decisions.yaml", "escalation:\n  " + "- " * 10_000 + "x\n", "te diep genest")
    assert found.line >= 1


def test_file_larger_than_the_limit(regions):
    text = "questions:\n" + "  - question: Doen we de goede dingen?\n" * (load.MAX_FILE_BYTES // 36 + 1)
    assert len(text.encode()) > load.MAX_FILE_BYTES
    found = timed_error(regions, "reflection.yaml", text, "het bestand is te groot")
    assert (found.line, found.col) == (0, 0)


def test_huge_string(regions):
    found = timed_error(regions, "region.yaml", regions.text("region.yaml").replace(
        "summary: >\n", "summary: " + "x" * (load.MAX_STRING + 1) + "\nsummary_old: >\n"), "deze tekst is te lang")
    assert (found.line, found.col) == (regions.line("region.yaml", "summary: x"), 10)


def test_huge_number(regions):
    found = timed_error(regions, "finance.yaml", "contributions:\n  - year: " + "9" * 5000 + "\n", "te lang")
    assert (found.line, found.col) == (2, 11)


def test_recursive_alias(regions):
    timed_error(regions, "organisation.yaml", "bodies: &b\n  - id: ab\n    positions: *b\n", "te diep genest")


def test_many_agreements_files_stay_fast(regions):
    text = regions.text("agreements/gr-jeugd.yaml")
    for i in range(60):
        regions.write(f"agreements/afspraak-{i}.yaml", text.replace("id: gr-jeugd", f"id: afspraak-{i}"))
    started = time.process_time()
    assert regions.findings() == []
    assert time.process_time() - started < 3
    assert REGION in [r.id for r in regions.check().regions]
