"""Existing regions repositories keep working (issue 17 item 8): data written for the format of before
the Wgr checks validates unchanged, and `govsite upgrade` rewrites it in place to the typed values the
new checks read, keeping comments and order, saying per file and line what it did.

tests/data/dataformaat-2026-11/ is the example data as it was in the repository before the format
changes of issue 17 (commit b731325, examples/), kept verbatim as "a repository written for the
format of November 2026".
"""
from __future__ import annotations

import shutil
from pathlib import Path

from govsite_cli import govsite

OLD = Path(__file__).resolve().parent / "data" / "dataformaat-2026-11"
JEUGD = "voorbeeldland-west-jeugd"
AS_OF = "2026-11-26"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "regions"
    shutil.copytree(OLD, root)
    return root


def _validate(root: Path, *args: str):
    return govsite("validate", "--regions", str(root), "--as-of", AS_OF, *args, cwd=root.parent)


def test_old_data_validates_unchanged(tmp_path):
    result = _validate(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 fouten" in result.stdout.splitlines()[-1]


def test_upgrade_writes_the_typed_values_and_keeps_comments_and_order(tmp_path):
    root = _copy(tmp_path)
    accountability = root / JEUGD / "accountability.yaml"
    text = accountability.read_text(encoding="utf-8")
    # a secretariat's comment above the instrument and at the end of the subject line
    text = text.replace("  - kind: zienswijze\n    subject: Ontwerpbegroting\n",
                        "  # afgesproken in 2023\n  - kind: zienswijze\n    subject: Ontwerpbegroting  # art. 35\n", 1)
    accountability.write_text(text, encoding="utf-8")
    subject_line = text.splitlines().index("    subject: Ontwerpbegroting  # art. 35") + 1

    result = govsite("upgrade", "--regions", str(root), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"regions/{JEUGD}/accountability.yaml:{subject_line}:5: 'applies_to: ontwerpbegroting' toegevoegd, "
            "afgeleid uit subject 'Ontwerpbegroting'.") in result.stdout
    assert f"regions/{JEUGD}/decisions.yaml:" in result.stdout  # the ladder's last step, Gedeputeerde Staten
    assert ("regions/voorbeeldland-noord-beschermd-wonen/region.yaml:6:1: 'legal_basis: convenant' toegevoegd, afgeleid "
            "uit de soort van de oprichtingsafspraak 'centrumgemeente-afspraken' (samenwerkingsovereenkomst).") \
        in result.stdout
    upgraded = accountability.read_text(encoding="utf-8")
    assert ("  # afgesproken in 2023\n  - kind: zienswijze\n    subject: Ontwerpbegroting  # art. 35\n"
            "    applies_to: ontwerpbegroting\n    term_days: 84\n") in upgraded
    # nothing else changed: the file is the old one plus the added lines
    assert [line for line in upgraded.splitlines() if "applies_to" not in line] == text.splitlines()
    decisions = (root / JEUGD / "decisions.yaml").read_text(encoding="utf-8")
    assert "    body: gedeputeerde-staten\n" in decisions and "title: Gedeputeerde Staten" not in decisions

    # twice changes nothing; the upgraded data is valid, and the typed checks now see it
    again = govsite("upgrade", "--regions", str(root), "--check", cwd=tmp_path)
    assert again.returncode == 0 and "0 aanvullingen" in again.stdout
    result = _validate(root)
    assert result.returncode == 0 and " 0 fouten" in result.stdout.splitlines()[-1], result.stdout
    assert "eindigt niet bij Gedeputeerde Staten" not in result.stdout
    assert "zienswijze geven op de ontwerpbegroting" not in result.stdout
    assert "rust op een gemeenschappelijke regeling of op een convenant" not in result.stdout
    accountability.write_text(upgraded.replace("term_days: 84", "term_days: 56", 1), encoding="utf-8")
    result = _validate(root)
    assert result.returncode == 1 and "12 weken (art. 35 Wgr" in result.stdout


def test_check_writes_nothing_and_fails_when_there_is_something_to_do(tmp_path):
    root = _copy(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = govsite("upgrade", "--regions", str(root), "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert "zou veranderen" in result.stdout.splitlines()[-1]
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_a_file_that_cannot_be_read_is_reported_and_left_alone(tmp_path):
    root = _copy(tmp_path)
    broken = root / JEUGD / "accountability.yaml"
    broken.write_text("council_instruments:\n\t- kind: zienswijze\n", encoding="utf-8")
    result = govsite("upgrade", "--regions", str(root), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{JEUGD}/accountability.yaml:2:1: error:" in result.stderr
    assert broken.read_text(encoding="utf-8") == "council_instruments:\n\t- kind: zienswijze\n"
