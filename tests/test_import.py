"""`govsite import`: the national registers (small real excerpts in tests/data/national/) as the project's
own YAML, owned apart from what a secretariat writes, with stable ids, and idempotent."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import yaml_text
from govsite_cli import govsite
from generator.pipeline import check

DATA = Path(__file__).resolve().parent / "data" / "national"
ON = dt.date(2026, 5, 16)  # the day the register was read
HOLLAND_RIJNLAND_NEWEST = "30421654"  # roo_id of the newest version of the GR Regio Holland Rijnland


def run_import(root: Path, cbs: Path = DATA / "cbs-2025", roo: Path = DATA / "roo-2026-05") -> None:
    for register, snapshot in (("cbs", cbs), ("roo", roo)):
        done = govsite("import", register, str(snapshot), "--regions", str(root), cwd=root.parent)
        assert done.returncode == 0, done.stderr


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def register(root: Path, id: str) -> dict:
    return yaml.safe_load((root / id / "register.yaml").read_text(encoding="utf-8"))


def snapshot_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "roo-copy"
    shutil.copytree(DATA / "roo-2026-05", copy)
    return copy


def version_file(snapshot: Path, roo_id: str) -> Path:
    for path in sorted((snapshot / "regelingen").glob("*.yaml")):
        if re.search(rf"^identifiers:\n  roo_id: '{roo_id}'$", path.read_text(encoding="utf-8"), re.MULTILINE):
            return path
    raise AssertionError(roo_id)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("national") / "regions"
    root.mkdir()
    run_import(root)
    return root


def test_the_import_writes_a_register_file_per_regeling_and_division(imported):
    ids = sorted(p.name for p in imported.iterdir() if p.is_dir())
    assert "jeugdregio-holland-rijnland" in ids and "regio-holland-rijnland" in ids
    assert "serviceorganisatie-zorg-holland-rijnland" in ids and "hecht" in ids
    # the regeling named like the division beside it gets the deterministic suffix -gr
    assert {"veiligheidsregio-hollands-midden", "veiligheidsregio-hollands-midden-gr"} <= set(ids)
    division = register(imported, "jeugdregio-holland-rijnland")
    assert (division["kind"], division["code"], division["name"]) == ("jeugdregio", "JZ18", "Holland Rijnland")
    assert "GM0546" in division["members"]
    assert division["source"] == {"register": "CBS/PDOK gebiedsindelingen 2025", "licence": "CC BY 4.0",
                                  "attribution": "Bron: CBS, PDOK", "derived": True}
    regeling = register(imported, "regio-holland-rijnland")
    assert regeling["kind"] == "gemeenschappelijke-regeling" and regeling["legal_form"] == "openbaar-lichaam"
    assert regeling["source"]["register"] == "Register van Overheidsorganisaties"
    assert regeling["source"]["retrieved"] == ON and regeling["source"]["licence"] == "CC0 1.0"
    assert [v["roo_id"] for v in regeling["versions"]] == ["25249813", HOLLAND_RIJNLAND_NEWEST]
    leiden = next(p for p in regeling["versions"][-1]["participants"] if p.get("code") == "GM0546")
    assert leiden["name"] == "Leiden" and leiden["kind"] == "gemeente" and leiden["bodies"]
    assert set(leiden["bodies"]) <= {"raad", "college", "burgemeester"}


def test_the_municipality_list_holds_current_and_abolished_municipalities(imported):
    data = yaml.safe_load((imported / "municipalities.yaml").read_text(encoding="utf-8"))
    by_code = {m["code"]: m for m in data["municipalities"]}
    assert by_code["GM0546"]["name"] == "Leiden" and by_code["GM0546"]["province"] == "Zuid-Holland"
    assert "ended" not in by_code["GM0546"] and "official_name" not in by_code["GM0546"]
    # the register's name, and CBS's where it differs: a reader may look for either
    assert (by_code["GM0796"]["name"], by_code["GM0796"]["official_name"]) == ("Den Bosch", "'s-Hertogenbosch")
    # a merger of 2022 the register does not link: the reviewed table gives the successor
    assert (by_code["GM0756"]["ended"], by_code["GM0756"]["succeeded_by"]) == (dt.date(2022, 1, 1), "GM1982")
    # the register's last day (31 December 2008) becomes the first day it no longer exists
    assert (by_code["GM0483"]["ended"], by_code["GM0483"]["succeeded_by"]) == (dt.date(2009, 1, 1), "GM1884")
    # GM0079 is in the register twice, and rows without a code are left out: both recorded
    assert sum(m["code"] == "GM0079" for m in data["municipalities"]) == 1
    corrections = data["source"]["corrections"]
    assert {c["what"] for c in corrections} == {"dubbele-code", "zonder-code"}
    assert sum(c["what"] == "zonder-code" for c in corrections) == 7
    done = govsite("validate", "--regions", str(imported), "--as-of", ON.isoformat(), cwd=imported.parent)
    notices = [line for line in done.stdout.splitlines() if line.startswith(str(Path("regions") / "municipalities.yaml"))]
    assert len(notices) == 8 and all(": notice: " in line for line in notices)
    assert any("GM0079 twee keer" in line and "govsite toont: 'GM0079 Kollumerland c.a.'" in line for line in notices)


def test_the_order_of_the_two_imports_does_not_matter(imported, tmp_path):
    """Each import owns its own fields of municipalities.yaml (the register the name, CBS the province and
    its own name where it differs) and keeps the other's."""
    root = tmp_path / "regions"
    root.mkdir()
    for register, snapshot in (("roo", DATA / "roo-2026-05"), ("cbs", DATA / "cbs-2025")):
        assert govsite("import", register, str(snapshot), "--regions", str(root), cwd=tmp_path).returncode == 0
    assert (root / "municipalities.yaml").read_bytes() == (imported / "municipalities.yaml").read_bytes()


def test_importing_the_same_snapshot_again_changes_no_byte(imported, tmp_path):
    before = files(imported)
    for register_kind, snapshot in (("cbs", DATA / "cbs-2025"), ("roo", DATA / "roo-2026-05")):
        done = govsite("import", register_kind, str(snapshot), "--regions", str(imported), cwd=tmp_path)
        assert done.returncode == 0 and done.stdout.startswith("0 bestanden geschreven"), done.stdout
    assert files(imported) == before


def test_the_imported_files_validate_and_are_in_the_canonical_layout(imported):
    done = govsite("validate", "--regions", str(imported), "--as-of", ON.isoformat(), cwd=imported.parent)
    assert done.returncode == 0, done.stdout
    assert " 0 fouten" in done.stdout.splitlines()[-1]
    done = govsite("fmt", "--check", "--regions", str(imported), cwd=imported.parent)
    assert done.returncode == 0 and " 0 niet in de standaardopmaak" in done.stdout


def test_a_merger_maps_the_abolished_participant_to_its_successor_and_validate_reports_it(imported):
    regeling = register(imported, "centrumregeling-jeugdhulp-noordoost-brabant")
    # the version of 2020-2024 still lists Boxmeer and four more municipalities merged into Land van Cuijk
    version = next(v for v in regeling["versions"] if v["roo_id"] == "28330413")
    rows = {(p.get("code"), p.get("registered_as")): p for p in version["participants"]}
    boxmeer = rows[("GM0756", None)]
    assert boxmeer["until"] == dt.date(2021, 12, 31)  # its own dates stay in the history
    successor = rows[("GM1982", "GM0756")]
    assert successor["name"] == "Land van Cuijk" and successor["since"] == dt.date(2022, 1, 1)
    assert len(successor["corrections"]) == 5 and {c["what"] for c in successor["corrections"]} == {"fusie"}
    assert not any(code == "GM1982" and not registered for code, registered in rows)  # shown once

    done = govsite("validate", "--regions", str(imported), "--as-of", ON.isoformat(), cwd=imported.parent)
    path = Path("regions") / "centrumregeling-jeugdhulp-noordoost-brabant" / "register.yaml"
    lines = (imported / "centrumregeling-jeugdhulp-noordoost-brabant" / "register.yaml").read_text(
        encoding="utf-8").splitlines()
    found = [line for line in done.stdout.splitlines() if line.startswith(f"{path}:") and "Boxmeer" in line]
    assert len(found) == 1, done.stdout
    place, message = re.match(rf"{re.escape(str(path))}:(\d+:\d+): notice: (.*)", found[0]).groups()
    line, col = map(int, place.split(":"))
    assert lines[line - 1][col - 1:] == "what: fusie"
    assert "Het register zegt: 'Gemeente Boxmeer (GM0756), deelnemer sinds" in message
    assert "govsite toont: 'Land van Cuijk (GM1982), deelnemer vanaf 1 januari 2022'" in message


def test_the_registers_other_defects_are_notices_of_validate(imported):
    done = govsite("validate", "--regions", str(imported), "--as-of", ON.isoformat(), cwd=imported.parent)
    notices = [line for line in done.stdout.splitlines() if ": notice: " in line]
    assert any("archeologie-hellevoetsluis-rotterdam" in n and "geen citeertitel" in n for n in notices)
    assert any("aanhalingstekens in de samenwerkingsvorm" in n and "'Regeling zonder meer'" in n for n in notices)
    assert any("rekenkamer-oost-nederland" in n and "U+00AD" in n for n in notices)
    assert any("rekenkamer-oost-nederland" in n and "geen enkele gemeente" in n for n in notices)
    assert "meldingen over het register" in done.stdout.splitlines()[-1]
    assert done.returncode == 0
    strict = govsite("validate", "--strict", "--regions", str(imported), "--as-of", ON.isoformat(),
                     cwd=imported.parent)
    assert strict.returncode == 0  # the register's defects are not the secretariat's to fix


def test_imported_text_has_no_invisible_characters(imported):
    for path, data in files(imported).items():
        text = data.decode("utf-8")
        assert "\u00ad" not in text and "\u200b" not in text, path
    purpose = register(imported, "rekenkamer-oost-nederland")["purpose"]
    assert "Rekenkamer" in purpose or "rekenkamer" in purpose


def test_participants_that_are_no_municipality_keep_their_kind(imported):
    participants = register(imported, "euregio-maas-rijn")["versions"][-1]["participants"]
    kinds = {p["kind"] for p in participants}
    assert "buitenland" in kinds and "gemeente" not in kinds or "buitenland" in kinds
    assert all("code" not in p for p in participants if p["kind"] != "gemeente")
    rekenkamer = register(imported, "rekenkamer-oost-nederland")["versions"][-1]["participants"]
    assert {p["kind"] for p in rekenkamer} == {"provincie"}
    assert all("provinciale-staten" in p["bodies"] or p["bodies"] for p in rekenkamer)


SECRETARIAT = yaml_text("""
    id: regio-holland-rijnland
    name: Holland Rijnland
    kind: overig
    domains: [jeugd]
    legal_form: openbaar-lichaam
    summary: De dertien gemeenten werken samen aan jeugd, wonen en economie.
    contact:
      title: Secretariaat Holland Rijnland
    members:
      - municipality: GM0546
        since: 2006-01-01
        note: Leiden is centrumgemeente voor de inkoop. Eigen tekst van het secretariaat.
      - municipality: GM0547
        since: 2006-01-01
""")


def test_a_secretariats_files_survive_a_reimport_that_changes_the_members(tmp_path):
    root = tmp_path / "regions"
    root.mkdir()
    run_import(root)
    folder = root / "regio-holland-rijnland"
    (folder / "region.yaml").write_text(SECRETARIAT, encoding="utf-8")
    before = (folder / "register.yaml").read_bytes()
    # the next snapshot: Zoeterwoude (GM0638) no longer takes part in the newest version
    snapshot = snapshot_copy(tmp_path)
    path = version_file(snapshot, HOLLAND_RIJNLAND_NEWEST)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    members = data["gr_meta"]["deelnemende_organisaties"]
    data["gr_meta"]["deelnemende_organisaties"] = [m for m in members if not m["tooi"].endswith("gm0638")]
    assert len(data["gr_meta"]["deelnemende_organisaties"]) == len(members) - 1
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run_import(root, roo=snapshot)
    assert (folder / "region.yaml").read_text(encoding="utf-8") == SECRETARIAT  # the secretariat's words stay
    assert (folder / "register.yaml").read_bytes() != before
    newest = register(root, "regio-holland-rijnland")["versions"][-1]
    assert "GM0638" not in {p.get("code") for p in newest["participants"]}
    checked = check(root, ["regio-holland-rijnland"], ON)
    assert not checked.errors, [f.format() for f in checked.errors]
    (region,) = checked.regions
    assert region.register is not None and region.register.id == "regio-holland-rijnland"
    assert region.data.members[0].note.startswith("Leiden is centrumgemeente")


def test_a_regeling_keeps_its_id_when_a_new_version_has_a_new_roo_id_and_title(tmp_path):
    root = tmp_path / "regions"
    root.mkdir()
    run_import(root)
    first = register(root, "regio-holland-rijnland")
    snapshot = snapshot_copy(tmp_path)
    old = version_file(snapshot, HOLLAND_RIJNLAND_NEWEST)
    data = yaml.safe_load(old.read_text(encoding="utf-8"))
    new = dict(data, identifiers={"roo_id": "39999999"})
    meta = dict(data["gr_meta"], citeertitel="Gemeenschappelijke regeling Samenwerking Leidse Bollenstreek 2027",
                datum_inwerkingtreding="2027-01-01", previous_version={"roo_id": HOLLAND_RIJNLAND_NEWEST})
    meta.pop("next_version", None)
    new["gr_meta"] = meta
    data["gr_meta"]["datum_uitwerkingtreding"] = "2027-01-01"
    data["gr_meta"]["next_version"] = {"roo_id": "39999999"}
    old.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (snapshot / "regelingen" / "samenwerking-leidse-bollenstreek-39999999.yaml").write_text(
        yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run_import(root, roo=snapshot)
    assert not (root / "samenwerking-leidse-bollenstreek").exists()
    again = register(root, "regio-holland-rijnland")
    assert again["id"] == "regio-holland-rijnland"
    assert again["name"] == "Gemeenschappelijke regeling Samenwerking Leidse Bollenstreek 2027"
    assert [v["roo_id"] for v in again["versions"]] == [v["roo_id"] for v in first["versions"]] + ["39999999"]
    assert again["versions"][-2]["ended"] == dt.date(2027, 1, 1)

    # A first import of the second snapshot names the lineage after its newest title instead.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    run_import(fresh, roo=snapshot)
    assert (fresh / "samenwerking-leidse-bollenstreek" / "register.yaml").is_file()


def test_the_import_says_in_dutch_what_is_wrong_with_the_download(tmp_path):
    root = tmp_path / "regions"
    done = govsite("import", "roo", str(tmp_path / "nergens"), "--regions", str(root), cwd=tmp_path)
    assert done.returncode == 2 and "bestaat niet" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "leeg").mkdir()
    done = govsite("import", "cbs", str(tmp_path / "leeg"), "--regions", str(root), cwd=tmp_path)
    assert done.returncode == 2 and "kan niet gelezen worden" in done.stderr and "Traceback" not in done.stderr


def test_govsite_diff_describes_a_reimport(tmp_path):
    root = tmp_path / "regions"
    root.mkdir()
    run_import(root)
    for args in (("init", "-q"), ("add", "-A"), ("-c", "user.name=t", "-c", "user.email=t@example.org", "commit",
                                                 "-q", "-m", "import")):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    snapshot = snapshot_copy(tmp_path)
    path = version_file(snapshot, HOLLAND_RIJNLAND_NEWEST)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["gr_meta"]["deelnemende_organisaties"] = [m for m in data["gr_meta"]["deelnemende_organisaties"]
                                                   if not m["tooi"].endswith("gm0638")]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run_import(root, roo=snapshot)
    done = govsite("diff", "HEAD", "--regions", "regions", "--as-of", ON.isoformat(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert "## Gemeenschappelijke regeling Regio Holland Rijnland" in report, report
    assert "- Zoeterwoude doet niet meer mee." in report
    assert "Niet vergeleken" not in report and "Fouten in" not in report
    assert report.count("\n## ") == 1  # nothing else changed


def test_ids_are_slugs_without_the_kind_and_year_and_respect_the_id_rules():
    from generator.commands.importer.ids import allocate, division_slug, regeling_slug
    from generator.domain.values import ID_MAX_LENGTH, SLUG
    from generator.site import outputs

    assert regeling_slug("GGD West-Brabant 2024") == "ggd-west-brabant"
    assert regeling_slug("Gemeenschappelijke regeling Regio Holland Rijnland") == "regio-holland-rijnland"
    assert regeling_slug("GR Hecht (2019)") == "hecht"
    assert regeling_slug("Derde wijziging Gemeenschappelijke Regeling SVHW 2023") == "svhw"
    assert regeling_slug("Gemeenschappelijke regeling Veiligheidsregio Fryslân") == "veiligheidsregio-fryslan"
    assert division_slug("jeugdregio", "Holland Rijnland") == "jeugdregio-holland-rijnland"
    assert division_slug("ggd-regio", "GGD Hollands-Midden") == "ggd-regio-hollands-midden"
    reserved = outputs.reserved()
    long = "samenwerking " * 10
    ids = allocate([("a", "gemeenten", None), ("b", regeling_slug(long), None), ("c", "hecht", None),
                    ("d", "hecht", None), ("e", "hecht", "hecht-oud")], {"hecht"}, reserved, marker="-gr")
    assert ids["a"] not in reserved and ids["a"].startswith("gemeenten-")
    assert ids["c"] == "hecht-gr" and ids["d"] == "hecht-2" and ids["e"] == "hecht-oud"
    assert all(SLUG.match(i) and len(i) <= ID_MAX_LENGTH for i in ids.values())
    assert allocate([("c", "hecht", None), ("d", "hecht", None)], set(), reserved) == {"c": "hecht", "d": "hecht-2"}
