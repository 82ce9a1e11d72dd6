"""Issue 15, items 2, 3, 5, 7 and 9: what may enter through the files of a regions repository.

One text rule at load (control characters, line and paragraph separators, bidi overrides, surrogates
and noncharacters refused in every file, key and value, also as an escape), limits on the whole
input, dates within a range, and `govsite fmt` reading and writing only what the loader reads.
Every test runs govsite in a subprocess on a copy of one example region.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import payloads
from govsite_cli import govsite

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "examples"
REGION = "voorbeeldland-west-jeugd"
AS_OF = payloads.AS_OF.isoformat()
WHOLE_INPUT = "alle bestanden in de map met regio's samen zijn te groot"


def _regions(tmp_path: Path) -> Path:
    regions = tmp_path / "regions"
    regions.mkdir()
    shutil.copy(REGIONS / "municipalities.yaml", regions)
    shutil.copytree(REGIONS / REGION, regions / REGION)
    return regions


_govsite = govsite


def _validate(regions: Path) -> tuple[int, str]:
    result = _govsite("validate", "--regions", str(regions), "--as-of", AS_OF, cwd=regions.parent)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "interne fout" not in output, output[-3000:]
    return result.returncode, output


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first old by new in path; the line number it stands on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def _error_at(output: str, file: str, line: int, *needles: str) -> None:
    pattern = rf"{re.escape(file)}:{line}:\d+: error: .*" + ".*".join(re.escape(n) for n in needles)
    assert re.search(pattern, output), output[-3000:]


# --- the text rule: items 2 and 3 -----------------------------------------------------------------

ACCOUNTABILITY = f"{REGION}/accountability.yaml"
REGION_FILE = f"{REGION}/region.yaml"
AGREEMENT = f"{REGION}/agreements/gr-jeugd.yaml"
TITLE = (REGIONS / AGREEMENT).read_text(encoding="utf-8").splitlines()[1]  # title: ...
assert TITLE.startswith("title: ")

# (file, text to replace, replacement with {c} for the character as escaped): the places of issue
# 15's attacks (planning document and calendar name in agenda.ics, agreement title, version number
# and municipality name in a page's front matter), a key, and a Markdown field.
PLACES = {
    "planning document": (ACCOUNTABILITY, "- document: Kaderbrief", '- document: "Kaderbrief{c}BEGIN:VEVENT"'),
    "calendar name": (REGION_FILE, "name: Jeugdregio Voorbeeldland-West", 'name: "Jeugdregio{c}X-WR-CALNAME:Ander"'),
    "agreement title": (AGREEMENT, TITLE, 'title: "Regeling{c} [klik](https://evil.example/)"'),
    "version number": (AGREEMENT, 'version: "1.0"', 'version: "1.0{c}---"'),
    "municipality name": ("municipalities.yaml", "name: Oefenveen", 'name: "Oefen{c}veen"'),
    "key": (REGION_FILE, "kind: jeugdregio", 'kind: jeugdregio\n"note{c}": x'),
    "markdown field": (REGION_FILE, "summary: >", 'summary: "**Vet**{c}---\\ntitle: Ander"\nx_summary: >'),
}


@pytest.mark.parametrize("place, character", [
    ("planning document", 0), ("planning document", 2),  # U+2028 (the attack) and NEL
    ("calendar name", 1), ("calendar name", 6),  # U+2029 and CR
    ("agreement title", 3), ("agreement title", 9),  # \x80 (the attack) and a bidi override
    ("version number", 0), ("municipality name", 3), ("municipality name", 4),
    ("key", 5), ("key", 8), ("markdown field", 1), ("markdown field", 7),
    ("agreement title", 11), ("calendar name", 12), ("planning document", 10), ("markdown field", 13),
])
def test_escaped_characters_are_refused_at_their_place(tmp_path, place, character):
    escape, char, name = payloads.REFUSED_CHARACTERS[character]
    regions = _regions(tmp_path)
    file, old, new = PLACES[place]
    line = _replace(regions / file, old, new.replace("{c}", escape)) + new[:new.index("{c}")].count("\n")
    code, output = _validate(regions)
    assert code == 1
    _error_at(output, f"regions/{file}", line, f"U+{ord(char):04X} ({name})")
    assert "Verwijder het" in output


@pytest.mark.parametrize("character", [0, 1, 2, 9, 10])
def test_characters_written_as_such_are_refused_also_in_comments(tmp_path, character):
    _, char, name = payloads.REFUSED_CHARACTERS[character]
    regions = _regions(tmp_path)
    line = _replace(regions / REGION_FILE, "name: Jeugdregio Voorbeeldland-West",
                    f"name: Jeugdregio Voorbeeldland-West  # opmerking{char}kind: wmo-regio")
    code, output = _validate(regions)
    assert code == 1
    _error_at(output, REGION_FILE, line, f"U+{ord(char):04X} ({name})")


def test_calendar_injection_never_reaches_the_calendar(tmp_path):
    """Item 2: a planning document named with a line separator added a VEVENT to agenda.ics."""
    regions = _regions(tmp_path)
    _replace(regions / ACCOUNTABILITY, "- document: Kaderbrief",
             '- document: "' + payloads.calendar_event("\\L").replace('"', '\\"') + '"')
    out = tmp_path / "site"
    result = _govsite("build", "--regions", str(regions), "--out", str(out), "--as-of", AS_OF, cwd=tmp_path)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "U+2028 (regelscheiding)" in result.stdout + result.stderr
    assert not any("evil.example" in p.read_text(encoding="utf-8", errors="replace")
                   for p in tmp_path.rglob("*.ics"))


def test_front_matter_attack_is_refused_before_the_build(tmp_path):
    """Item 3: a C1 character in a title made PyYAML reject the front matter, and its link went live."""
    regions = _regions(tmp_path)
    line = _replace(regions / AGREEMENT, TITLE,
                    'title: "Regeling\\x80 [klik](https://evil.example/){: data-pagefind-meta=url:x }"')
    out = tmp_path / "site"
    result = _govsite("build", "--regions", str(regions), "--out", str(out), "--as-of", AS_OF, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "interne fout" not in output, output[-2000:]
    _error_at(output, AGREEMENT, line, "U+0080 (C1-stuurteken)")
    assert not any("evil.example" in p.read_text(encoding="utf-8", errors="replace")
                   for p in tmp_path.rglob("*.html"))


def test_soft_hyphens_and_zero_width_characters_are_kept_and_shown(tmp_path):
    regions = _regions(tmp_path)
    kept = "".join(payloads.KEPT_CHARACTERS)
    title = f"Gemeen{payloads.KEPT_CHARACTERS[0]}schappelijke{kept}regeling"
    _replace(regions / AGREEMENT, TITLE, f'title: "{title}\\u00AD\\u200B"')  # as such, and as escapes
    code, output = _validate(regions)
    assert code == 0, output[-3000:]
    out = tmp_path / "site"
    result = _govsite("build", REGION, "--regions", str(regions), "--out", str(out), "--as-of", AS_OF,
                      cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    page = (out / REGION / "afspraken" / "gr-jeugd" / "index.html").read_text(encoding="utf-8")
    assert title + "\u00ad\u200b" in page


# --- whole-input limits: item 5 -------------------------------------------------------------------

# Runs govsite in a child and reports that child's peak memory (only its own: a fresh process).
MEASURED = textwrap.dedent("""
    import resource, subprocess, sys
    result = subprocess.run([sys.executable, "-m", "generator", *sys.argv[1:]], capture_output=True, text=True)
    sys.stdout.write(result.stdout + result.stderr)
    sys.stdout.write(f"\\nPEAK {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n")
    sys.exit(result.returncode)
""")


def _measured(regions: Path, *args: str, timeout: float = 60) -> tuple[int, str, float, int]:
    """Exit code, output, seconds and peak memory (KiB) of `govsite validate`."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-c", MEASURED, "validate", "--regions", str(regions), "--as-of",
                             AS_OF, *args], capture_output=True, text=True, timeout=timeout, cwd=regions.parent,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = int(re.findall(r"PEAK (\d+)", result.stdout)[-1])
    return result.returncode, result.stdout, time.monotonic() - start, peak


def test_many_small_aliased_files_stop_early(tmp_path):
    """490 files of about 200 bytes, each under the per-file limit of values, once ended in a
    MemoryError: the values are counted over all files, and loading stops at the limit."""
    regions = _regions(tmp_path)
    text = payloads.aliased_lists()
    for i in range(490):
        (regions / REGION / "agreements" / f"kopie-{i}.yaml").write_text(text, encoding="utf-8")
    code, output, seconds, peak = _measured(regions)
    assert code == 1 and "interne fout" not in output and "Traceback" not in output, output[-2000:]
    assert re.search(rf"agreements/kopie-\d+\.yaml:\d+:\d+: error: {WHOLE_INPUT}: meer dan 2\.000\.000 waarden",
                     output), output[-2000:]
    assert len(re.findall(r": error: ", output)) < 40  # it stopped reading, file after file
    assert seconds < 30
    assert peak < 800 * 1024, peak


def test_many_regions_with_aliased_files_stop_early(tmp_path):
    """The variant over many regions: the count is of the whole regions folder, not of one region."""
    regions = _regions(tmp_path)
    text = payloads.aliased_lists()
    for r in range(30):
        folder = regions / f"kopie-{r:02d}"
        shutil.copytree(regions / REGION, folder)
        (folder / "agreements" / "extra.yaml").write_text(text, encoding="utf-8")
    code, output, seconds, peak = _measured(regions)
    assert code == 1, output[-2000:]
    assert re.search(rf"kopie-\d+/agreements/extra\.yaml:\d+:\d+: error: {WHOLE_INPUT}", output), output[-2000:]
    assert seconds < 30 and peak < 800 * 1024, (seconds, peak)


def test_regions_from_the_check_cache_count_towards_the_limit(tmp_path):
    """A build takes unchanged regions from its check cache without reading them; what reading them
    took counts all the same, and the region over the limit is never cached half read."""
    regions = _regions(tmp_path)
    text = payloads.aliased_lists()
    for r in range(20):  # about 1.9 million values: under the limit
        folder = regions / f"kopie-{r:02d}"
        shutil.copytree(regions / REGION, folder)
        (folder / "agreements" / "extra.yaml").write_text(text, encoding="utf-8")

    def build() -> str:
        result = _govsite("build", "--regions", str(regions), "--out", str(tmp_path / "site"), "--cache",
                          str(tmp_path / "cache"), "--as-of", AS_OF, cwd=tmp_path)
        assert result.returncode == 1 and "interne fout" not in result.stderr, result.stderr[-2000:]
        return result.stdout + result.stderr

    assert WHOLE_INPUT not in build()
    assert list((tmp_path / "cache").rglob("check/*"))  # the regions are in the check cache now
    for r in range(20, 23):
        shutil.copytree(regions / "kopie-00", regions / f"kopie-{r:02d}")
    assert re.search(rf"kopie-2\d/agreements/extra\.yaml:\d+:\d+: error: {WHOLE_INPUT}", build())
    for r in range(20, 23):
        shutil.rmtree(regions / f"kopie-{r:02d}")
    assert WHOLE_INPUT not in build()


def test_total_bytes_stop_before_reading_more(tmp_path):
    """The variant in bytes: files each under the 1 MiB limit that add up to more than the whole input's."""
    regions = _regions(tmp_path)
    line = "# " + "opvulling " * 99 + "\n"  # comments: the cheapest bytes for a parser
    text = "title: Opvulling\n" + line * (1_000_000 // len(line))
    for i in range(110):
        (regions / REGION / "agreements" / f"groot-{i:03d}.yaml").write_text(text, encoding="utf-8")
    code, output, seconds, peak = _measured(regions)
    assert code == 1, output[-2000:]
    assert re.search(rf"agreements/groot-1\d\d\.yaml:0:0: error: {WHOLE_INPUT}: meer dan 100 MiB", output), \
        output[-2000:]
    assert seconds < 30 and peak < 800 * 1024, (seconds, peak)


def test_too_many_files_stop_reading_at_the_file_over_the_limit(tmp_path):
    """The variant in files (limits.MAX_TOTAL_FILES): small files, none over a limit of its own, in more
    region folders than a whole regions folder may hold together. The finding is at the first file over
    the limit (line 0: the file as a whole), in Dutch; the region it is in is left out, the others are checked."""
    from generator.domain import limits

    regions = _regions(tmp_path)
    agreements = regions / REGION / "agreements"
    for i in range(limits.MAX_AGREEMENTS - len(list(agreements.iterdir()))):  # a full agreements/ folder
        (agreements / f"leeg-{i:03d}.yaml").write_text("# leeg\n", encoding="utf-8")
    per_region = len(list((regions / REGION).rglob("*.yaml")))
    count = limits.MAX_TOTAL_FILES // per_region + 1  # one region more than fit
    for r in range(count - 1):
        shutil.copytree(regions / REGION, regions / f"kopie-{r:02d}")
    code, output, seconds, peak = _measured(regions)
    assert code == 1 and "interne fout" not in output and "Traceback" not in output, output[-2000:]
    limit = f"{limits.MAX_TOTAL_FILES:,}".replace(",", ".")
    found = re.findall(rf"^(\S+):0:0: error: {WHOLE_INPUT}: meer dan {limit} YAML-bestanden\. "
                       r"govsite leest vanaf hier niets meer\.", output, re.MULTILINE)
    assert len(found) == 1, output[-2000:]
    # The folders are read in name order: the copies first, the original (last) is the one over the limit.
    assert re.fullmatch(rf"regions/{REGION}/agreements/leeg-\d+\.yaml", found[0]), found
    assert f"{count - 1} regio's gecontroleerd" in output, output[-500:]
    assert seconds < 30 and peak < 800 * 1024, (seconds, peak)


def test_national_scale_data_fits_the_limits():
    from generator.domain import load

    # A national data set: about 450 regions of about ten files, half a million values, 20 MB.
    assert load.MAX_TOTAL_VALUES >= 4 * 470_000 and load.MAX_TOTAL_BYTES >= 5 * 20_000_000
    assert load.MAX_TOTAL_FILES >= 4 * 4_500


# --- dates: item 7 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2201-01-01", "1799-12-31", '"9999-12-31"'])
def test_dates_outside_the_range_are_refused_at_their_line(tmp_path, date):
    regions = _regions(tmp_path)
    line = _replace(regions / REGION_FILE, "    since: 2015-01-01\n    bodies: [college]\n  - municipality:",
                    f"    since: 2015-01-01\n    until: {date}\n    bodies: [college]\n  - municipality:") + 1
    code, output = _validate(regions)
    assert code == 1
    _error_at(output, REGION_FILE, line, "'until'", "ligt buiten de datums", "1800-01-01 tot en met 2200-12-31")


@pytest.mark.parametrize("where", ["member until", "agreement ends"])
def test_a_date_past_the_calendar_ends_the_build_with_a_finding(tmp_path, where):
    """A member's `until: 9999-12-31` passed validation and the build ended in an OverflowError."""
    regions = _regions(tmp_path)
    if where == "member until":
        file = REGION_FILE
        line = _replace(regions / file, "    since: 2015-01-01\n    bodies: [college]\n  - municipality:",
                        "    since: 2015-01-01\n    until: 9999-12-31\n    bodies: [college]\n  - municipality:") + 1
    else:
        file = AGREEMENT
        line = _replace(regions / file, "kind: gemeenschappelijke-regeling\n",
                        "kind: gemeenschappelijke-regeling\nends: 9999-12-31\n") + 1
    result = _govsite("build", "--regions", str(regions), "--out", str(tmp_path / "site"), "--as-of", AS_OF,
                      cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "interne fout" not in output, output[-2000:]
    assert re.search(rf"{re.escape(file)}:{line}:\d+: error: .*9999-12-31 ligt buiten", output), output[-2000:]


def test_dates_at_the_ends_of_the_range_build(tmp_path):
    """Date arithmetic at the range's ends (a day after an end, a term after a deadline, the agenda's
    horizon after --as-of) stays within Python's dates."""
    regions = _regions(tmp_path)
    _replace(regions / REGION_FILE, "    since: 2015-01-01\n    bodies: [college]\n  - municipality:",
             "    since: 1800-01-01\n    until: 2200-12-31\n    bodies: [college]\n  - municipality:")
    _replace(regions / AGREEMENT, "kind: gemeenschappelijke-regeling\n",
             "kind: gemeenschappelijke-regeling\nends: 2200-12-31\n")
    result = _govsite("build", REGION, "--regions", str(regions), "--out", str(tmp_path / "site"), "--as-of", AS_OF,
                      cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for on in ("1800-01-01", "2200-12-31"):
        result = _govsite("validate", "--regions", str(regions), "--as-of", on, cwd=tmp_path)
        assert result.returncode in (0, 1) and "interne fout" not in result.stderr, result.stderr


def test_as_of_outside_the_range_is_a_usage_error(tmp_path):
    regions = _regions(tmp_path)
    result = _govsite("validate", "--regions", str(regions), "--as-of", "9999-12-31", cwd=tmp_path)
    assert result.returncode == 2 and "interne fout" not in result.stderr, result.stderr
    assert "ligt buiten 1800-01-01 tot en met 2200-12-31" in result.stderr


# --- fmt: item 9 -------------------------------------------------------------------------------------

MESSY = "a:    1\nb:\n    - x\n"  # valid YAML that fmt would rewrite


def _outside(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    target = elsewhere / "doel.yaml"
    target.write_text(MESSY, encoding="utf-8")
    return target


@pytest.mark.parametrize("named", [False, True], ids=["all files", "named file"])
def test_fmt_refuses_a_symlink_leaving_the_regions_folder(tmp_path, named):
    regions = _regions(tmp_path)
    target = _outside(tmp_path)
    link = regions / REGION / "agreements" / "link.yaml"
    link.symlink_to(target)
    result = _govsite("fmt", "--regions", str(regions), *([str(link)] if named else []), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"agreements/link\.yaml:0:0: error: dit bestand verwijst naar een plek buiten de map met "
                     r"regio's", result.stderr) or "elders/doel.yaml:0:0: error: dit bestand verwijst" in result.stderr, \
        result.stderr
    assert target.read_bytes() == MESSY.encode()
    # validate refuses the same link with the same finding
    code, output = _validate(regions)
    assert code == 1 and "dit bestand verwijst naar een plek buiten de map met regio's" in output


@pytest.mark.parametrize("named", [False, True], ids=["all files", "named file"])
def test_fmt_refuses_a_symlinked_agreements_folder(tmp_path, named):
    regions = _regions(tmp_path)
    target = _outside(tmp_path)
    shutil.rmtree(regions / REGION / "agreements")
    (regions / REGION / "agreements").symlink_to(target.parent, target_is_directory=True)
    named_file = regions / REGION / "agreements" / "doel.yaml"
    result = _govsite("fmt", "--regions", str(regions), *([str(named_file)] if named else []), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error: dit bestand verwijst naar een plek buiten de map met regio's" in result.stderr, result.stderr
    assert target.read_bytes() == MESSY.encode()


def test_fmt_refuses_files_the_loader_does_not_read(tmp_path):
    regions = _regions(tmp_path)
    outside = _outside(tmp_path)
    unknown = regions / REGION / "notities.yaml"
    unknown.write_text(MESSY, encoding="utf-8")
    hidden = regions / REGION / "agreements" / ".verborgen.yaml"
    hidden.write_text(MESSY, encoding="utf-8")
    result = _govsite("fmt", "--regions", str(regions), str(outside), str(unknown), str(hidden), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "elders/doel.yaml:0:0: error: govsite leest dit bestand niet" in result.stderr, result.stderr
    assert "notities.yaml:0:0: error: onbekend bestand of map 'notities.yaml' in de regio" in result.stderr
    assert ".verborgen.yaml:0:0: error: govsite leest dit bestand niet" in result.stderr
    for path in (outside, unknown, hidden):
        assert path.read_bytes() == MESSY.encode()
    # Without names: the unknown file is reported as validate reports it; the hidden one is skipped.
    result = _govsite("fmt", "--regions", str(regions), cwd=tmp_path)
    assert result.returncode == 1 and "onbekend bestand of map 'notities.yaml'" in result.stderr
    assert ".verborgen" not in result.stdout + result.stderr
    assert unknown.read_bytes() == MESSY.encode() and hidden.read_bytes() == MESSY.encode()


def test_fmt_still_formats_what_the_loader_reads(tmp_path):
    regions = _regions(tmp_path)
    agreement = regions / AGREEMENT
    _replace(agreement, TITLE, TITLE.replace("title: ", "title:    "))
    result = _govsite("fmt", "--regions", str(regions), str(agreement), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "title:    " not in agreement.read_text(encoding="utf-8")


# `govsite new` writes too: the same rule (the same class of attack as item 9).

def test_new_version_refuses_a_symlink_leaving_the_regions_folder(tmp_path):
    regions = _regions(tmp_path)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    target = elsewhere / "gr-jeugd.yaml"
    shutil.move(regions / AGREEMENT, target)
    (regions / AGREEMENT).symlink_to(target)
    before = target.read_bytes()
    result = _govsite("new", "version", REGION, "gr-jeugd", "--regions", str(regions), cwd=tmp_path)
    assert result.returncode == 2 and "buiten de map met regio's" in result.stderr, result.stdout + result.stderr
    assert target.read_bytes() == before


def test_new_agreement_refuses_a_symlinked_agreements_folder(tmp_path):
    regions = _regions(tmp_path)
    elsewhere = tmp_path / "elders"
    shutil.move(regions / REGION / "agreements", elsewhere)
    (regions / REGION / "agreements").symlink_to(elsewhere, target_is_directory=True)
    result = _govsite("new", "agreement", REGION, "nieuw", "--regions", str(regions), cwd=tmp_path)
    assert result.returncode == 2 and "buiten de map met regio's" in result.stderr, result.stdout + result.stderr
    assert not (elsewhere / "nieuw.yaml").exists()
