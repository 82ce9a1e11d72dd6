"""Step 1, load: YAML text to plain data with the place of every value; broken input to findings."""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from conftest import REGION, yaml_text
from generator.domain import load
from generator.domain.load import InvalidDate, load_sources, load_yaml


def read(tmp_path: Path, text: str | bytes, name: str = "file.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(yaml_text(text), encoding="utf-8")
    return load_yaml(path, name)


def only_error(result) -> tuple[int, int, str]:
    doc, findings = result
    assert doc is None
    assert len(findings) == 1 and findings[0].severity == "error", findings
    return findings[0].line, findings[0].col, findings[0].message


# --- positions ----------------------------------------------------------------------------

def test_positions_of_values_and_keys(tmp_path):
    doc, findings = read(tmp_path, """
        id: voorbeeld
        members:
          - municipality: GM0546
            since: 2015-01-01
          - { municipality: GM0547, since: 2016-01-01 }
        domains: [jeugd, wmo]
        """)
    assert findings == []
    assert doc.data["members"][1] == {"municipality": "GM0547", "since": dt.date(2016, 1, 1)}
    assert doc.pos(("id",)) == (1, 5)
    assert doc.pos(("members", 0)) == (3, 5)
    assert doc.pos(("members", 0, "since")) == (4, 12)
    assert doc.pos(("members", 0, "since"), key=True) == (4, 5)
    assert doc.pos(("members", 1, "since")) == (5, 36)
    assert doc.pos(("domains", 1)) == (6, 18)


def test_position_of_something_absent_is_the_nearest_enclosing_value(tmp_path):
    doc, _ = read(tmp_path, """
        contact:
          title: Secretaris
        """)
    assert doc.pos(("contact", "email")) == doc.pos(("contact",)) == (2, 3)
    assert doc.pos(("nothing", "here")) == (1, 1)


def test_empty_value_is_placed_on_its_own_line(tmp_path):
    doc, _ = read(tmp_path, """
        name:
        kind: jeugdregio
        """)
    assert doc.data == {"name": None, "kind": "jeugdregio"}
    assert doc.pos(("name",))[0] == 1


def test_finding_and_whole(tmp_path):
    doc, _ = read(tmp_path, "a:\n  b: 1\n")
    found = doc.finding(("a", "b"), "bericht")
    assert (found.path, found.line, found.col, found.severity) == ("file.yaml", 2, 6, "error")
    assert doc.whole("heel", severity="gap").format() == "file.yaml:0:0: gap: heel"


# --- scalars ------------------------------------------------------------------------------

def test_scalars_follow_yaml_1_2(tmp_path):
    doc, findings = read(tmp_path, """
        yes_is_text: yes
        no_is_text: no
        on_is_text: on
        true_is_bool: true
        int: 12
        float: 1.10
        null: ~
        empty:
        quoted_number: "12"
        quoted_date: "2025-01-01"
        date: 2025-01-01
        short_date: 2025-1-1
        invalid_date: 2024-02-30
        datetime: 2025-01-01 10:00:00
        annual: 04-15
        code: GM0546
        """)
    assert findings == []
    data = doc.data
    assert data["yes_is_text"] == "yes" and data["no_is_text"] == "no" and data["on_is_text"] == "on"
    assert data["true_is_bool"] is True
    assert data["int"] == 12 and data["float"] == 1.1 and data["float"].text == "1.10"
    assert data["null"] is None and data["empty"] is None
    assert data["quoted_number"] == "12" and data["quoted_date"] == "2025-01-01"
    assert data["date"] == dt.date(2025, 1, 1)
    assert data["short_date"] == "2025-1-1"  # not an ISO date: stays text, the validator explains
    assert isinstance(data["invalid_date"], InvalidDate) and data["invalid_date"] == "2024-02-30"
    assert data["datetime"] == dt.datetime(2025, 1, 1, 10, 0)
    assert data["annual"] == "04-15" and data["code"] == "GM0546"


def test_anchors_aliases_and_merge_keys(tmp_path):
    doc, findings = read(tmp_path, """
        base: &base
          kind: adviseur
          voting: consensus
        body:
          <<: *base
          voting: meerderheid
        copy: *base
        """)
    assert findings == []
    assert doc.data["body"] == {"voting": "meerderheid", "kind": "adviseur"}
    assert doc.data["copy"] == {"kind": "adviseur", "voting": "consensus"}


def test_tags_do_not_construct_objects(tmp_path):
    doc, findings = read(tmp_path, "a: !!python/object/apply:os.system ['echo hacked']\nb: !eigen 1\n")
    assert findings == []
    assert doc.data == {"a": ["echo hacked"], "b": 1}


def test_empty_file_is_a_document_without_data(tmp_path):
    doc, findings = read(tmp_path, "")
    assert findings == [] and doc.data is None
    doc, findings = read(tmp_path, "# alleen commentaar\n")
    assert findings == [] and doc.data is None


# --- broken YAML --------------------------------------------------------------------------

def test_duplicate_key_names_both_lines(tmp_path):
    line, col, message = only_error(read(tmp_path, """
        bodies:
          - id: ab
            name: Algemeen bestuur
            kind: algemeen-bestuur
            name: AB
        """))
    assert (line, col) == (5, 5)
    assert "'name' komt twee keer voor" in message and "eerder op regel 3" in message


def test_duplicate_key_in_a_flow_mapping(tmp_path):
    line, col, message = only_error(read(tmp_path, "last: { date: 2023-06-01, date: 2023-07-01 }\n"))
    assert (line, col) == (1, 27) and "'date' komt twee keer voor" in message


def test_list_as_a_key(tmp_path):
    line, col, message = only_error(read(tmp_path, "? [a, b]\n: 1\n"))
    assert (line, col) == (1, 3)
    assert "moet een gewoon woord zijn" in message


@pytest.mark.parametrize("text,line,col,needle", [
    ("a:\n\tb: 1\n", 2, 1, "tab"),
    ("a:\n  b: 1\n c: 2\n", 3, 2, "inspringen"),
    ("a: b: c\n", 1, 5, "dubbele punt"),
    ("a: *nergens\n", 1, 4, "geen anker"),
    ("a: 1\n---\nb: 2\n", 2, 1, "meer dan één YAML-document"),
    ('a: "tekst\nb: 1\n', None, None, "aanhalingsteken"),
    ('a: "c:\\x"\n', 1, None, "onbekend teken na '\\'"),
    ("a: [1, 2\n", 2, None, "niet goed afgesloten"),
    ("a: {b: 1\n", 2, None, "ontbreekt er een '}'"),
    ("a: @b\n", 1, 4, "kan hier niet staan"),
])
def test_broken_yaml_becomes_a_dutch_finding(tmp_path, text, line, col, needle):
    found_line, found_col, message = only_error(read(tmp_path, text.encode("utf-8")))
    assert needle in message
    if line is not None:
        assert found_line == line
    if col is not None:
        assert found_col == col


def test_control_character_is_placed(tmp_path):
    line, col, message = only_error(read(tmp_path, b"a: 1\nb: x\x07y\n"))
    assert (line, col) == (2, 5)
    assert "U+0007 (stuurteken)" in message


def test_not_utf8_names_the_line(tmp_path):
    line, col, message = only_error(read(tmp_path, "a: 1\nb: 2\nc: café\n".encode("cp1252")))
    assert (line, col) == (3, 1) and "UTF-8" in message


def test_bom_is_accepted(tmp_path):
    doc, findings = read(tmp_path, b"\xef\xbb\xbfa: 1\n")
    assert findings == [] and doc.data == {"a": 1}


def test_nul_character(tmp_path):
    assert "nul-teken" in only_error(read(tmp_path, b"a: 1\x00\n"))[2]


def test_unreadable_file(tmp_path):
    doc, findings = load_yaml(tmp_path / "bestaat-niet.yaml", "bestaat-niet.yaml")
    assert doc is None and "kan niet gelezen worden" in findings[0].message


# --- limits -------------------------------------------------------------------------------

def test_file_larger_than_the_limit(tmp_path):
    line, col, message = only_error(read(tmp_path, b"a: " + b"x" * (load.MAX_FILE_BYTES + 1)))
    assert (line, col) == (0, 0)
    assert "te groot" in message and "maximaal 1024 KiB" in message


def test_string_longer_than_the_limit(tmp_path):
    line, col, message = only_error(read(tmp_path, f"a: 1\nb: {'x' * (load.MAX_STRING + 1)}\n"))
    assert (line, col) == (2, 4) and "te lang" in message


def test_string_at_the_limit_is_fine(tmp_path):
    doc, findings = read(tmp_path, f"b: {'x' * load.MAX_STRING}\n")
    assert findings == [] and len(doc.data["b"]) == load.MAX_STRING


def test_too_many_values_after_expanding_aliases(tmp_path):
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
    started = time.process_time()
    line, col, message = only_error(read(tmp_path, text.encode()))
    assert time.process_time() - started < 2
    assert "te veel waarden" in message and line >= 1


def test_nesting_deeper_than_the_limit(tmp_path):
    deep = "a: " + "[" * (load.MAX_DEPTH + 5) + "]" * (load.MAX_DEPTH + 5) + "\n"
    assert "te diep genest" in only_error(read(tmp_path, deep.encode()))[2]
    block = "".join(" " * i + f"k{i}:\n" for i in range(load.MAX_DEPTH + 5)) + " " * 50 + "x\n"
    assert "te diep genest" in only_error(read(tmp_path, block.encode()))[2]


def test_nesting_at_the_limit_is_fine(tmp_path):
    doc, findings = read(tmp_path, ("a: " + "[" * load.MAX_DEPTH + "]" * load.MAX_DEPTH + "\n").encode())
    assert findings == []


def test_self_referencing_alias(tmp_path):
    assert "te diep genest" in only_error(read(tmp_path, b"a: &x [*x]\n"))[2]


@pytest.mark.parametrize("number", ["1" + "0" * 5000, "0x" + "f" * 5000])
def test_number_too_long(tmp_path, number):
    line, col, message = only_error(read(tmp_path, f"a: {number}\n".encode()))
    assert (line, col) == (1, 4) and "te lang" in message


# --- the regions folder -------------------------------------------------------------------

def test_load_sources_reads_every_file(regions):
    sources = load_sources(regions.root)
    assert sources.findings == []
    assert sources.municipalities is not None
    (files,) = sources.regions
    assert files.id == REGION
    assert files.region.data["id"] == REGION
    assert sorted(files.topics) == sorted(load.TOPIC_FILES)
    assert [doc.path.name for doc in files.agreements] == ["gr-jeugd.yaml"]


def test_hidden_entries_are_ignored(regions):
    (regions.root / ".schema").mkdir()
    (regions.folder / ".concept.yaml").write_text("x: [\n", encoding="utf-8")
    (regions.folder / "agreements" / ".~lock.yaml").write_text("x: [\n", encoding="utf-8")
    sources = load_sources(regions.root)
    assert sources.findings == [] and [r.id for r in sources.regions] == [REGION]


def test_only_named_regions_with_suggestion_for_an_unknown_name(regions):
    sources = load_sources(regions.root, ["leidse-regi"])
    assert sources.regions == []
    (found,) = sources.findings
    assert "regio 'leidse-regi' bestaat niet" in found.message and f"Bedoelt u '{REGION}'?" in found.message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_out_of_the_regions_folder(regions, tmp_path):
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "region.yaml").write_text("id: elders\n", encoding="utf-8")
    (regions.root / "elders").symlink_to(outside, target_is_directory=True)
    secret = tmp_path / "geheim.yaml"
    secret.write_text("wachtwoord: x\n", encoding="utf-8")
    regions.path("reflection.yaml").unlink()
    regions.path("reflection.yaml").symlink_to(secret)
    sources = load_sources(regions.root)
    messages = {Path(f.path).name: f.message for f in sources.findings}
    assert "buiten de map met regio's" in messages["elders"]
    assert "buiten de map met regio's" in messages["reflection.yaml"]
    assert "reflection" not in next(r for r in sources.regions if r.id == REGION).topics


def test_too_many_agreements(regions):
    present = len(list(regions.path("agreements").iterdir()))
    for n in range(load.MAX_AGREEMENTS + 1 - present):  # real files, one over the limit
        regions.write(f"agreements/extra-{n:04}.yaml", f"id: extra-{n:04}\n")
    sources = load_sources(regions.root)
    assert any("te veel bestanden in agreements/" in f.message for f in sources.findings)
    assert len(sources.regions[0].agreements) == load.MAX_AGREEMENTS


def test_a_skipped_folder_is_no_region_by_its_own_name_or_through_a_link(regions):
    """skip (the build's output folder) is compared by where a folder really is: the folder itself, a
    link to it at the top of the regions folder, but not a region that only has its name elsewhere."""
    out = regions.root / "publiek"
    out.mkdir()
    (regions.root / "snelkoppeling").symlink_to(out, target_is_directory=True)
    found = load_sources(regions.root, skip=(out,))
    ids = [f.id for f in found.regions]
    assert "publiek" not in ids and "snelkoppeling" not in ids and REGION in ids
    found = load_sources(regions.root, skip=(regions.root / REGION / "publiek",))  # the same name, elsewhere
    assert {"publiek", "snelkoppeling"} <= {f.id for f in found.regions}
