"""The registers as a model (generator/domain/register.py): what was in force when, which regelingen serve
which division, the reviewed link table, and register.yaml checked like any file when edited by hand."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import yaml_text
from govsite_cli import govsite
from generator.domain.register import RegisterEntry, Source, does_task
from generator.pipeline import check

DATA = Path(__file__).resolve().parent / "data" / "national"
ON = dt.date(2026, 5, 16)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("register") / "regions"
    root.mkdir()
    for register, snapshot in (("cbs", DATA / "cbs-2025"), ("roo", DATA / "roo-2026-05")):
        done = govsite("import", register, str(snapshot), "--regions", str(root), cwd=root.parent)
        assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def regions(imported, tmp_path) -> Path:
    """A copy of the imported excerpt that a test may change."""
    root = tmp_path / "regions"
    shutil.copytree(imported, root)
    return root


def registry(root: Path, on: dt.date = ON):
    checked = check(root, None, on)
    assert not checked.errors, [f.format() for f in checked.errors]
    return checked.validation.registry


def test_a_regelings_versions_are_its_history(imported):
    reg = registry(imported)
    entry = reg.get("centrumregeling-jeugdhulp-noordoost-brabant")
    assert not entry.is_division and [v.roo_id for v in entry.versions] == ["24967465", "28330413", "29341002"]
    assert entry.in_force(dt.date(2016, 6, 1)).roo_id == "24967465"
    assert entry.in_force(ON).roo_id == "29341002"
    assert entry.in_force(dt.date(2014, 12, 31)) is None and not entry.ended(ON)
    # Boxmeer took part until the merger; Land van Cuijk from then on, registered as Boxmeer
    before = {p.code for p in entry.members(dt.date(2021, 6, 1))}
    after = {p.code: p for p in entry.members(dt.date(2022, 6, 1))}
    assert "GM0756" in before and "GM1982" not in before
    assert "GM0756" not in after and after["GM1982"].registered_as == "GM0756"
    assert after["GM1982"].since == dt.date(2022, 1, 1)


def test_a_municipality_sees_the_regelingen_of_the_municipalities_it_absorbed(imported):
    reg = registry(imported)
    assert reg.predecessors["GM1982"] == ("GM0756", "GM0786", "GM0815", "GM1684", "GM1702")
    for day in (dt.date(2021, 6, 1), ON):  # before the merger through Boxmeer, after it itself
        ids = [e.id for e in reg.for_municipality("GM1982", day)]
        assert "centrumregeling-jeugdhulp-noordoost-brabant" in ids and "jeugdregio-noordoost-brabant" in ids
    leiden = [(e.kind, e.id) for e in reg.for_municipality("GM0546", ON)]
    assert ("jeugdregio", "jeugdregio-holland-rijnland") in leiden
    assert ("gemeenschappelijke-regeling", "regio-holland-rijnland") in leiden
    assert leiden == sorted(leiden, key=lambda pair: pair[0])  # grouped by kind


def test_a_division_is_served_by_the_regelingen_that_do_its_task_with_its_municipalities(imported):
    reg = registry(imported)
    ggd = reg.get("ggd-regio-hollands-midden")
    assert ggd.is_division and ggd.code and ggd.served_by == ("hecht",)
    # the same thirteen... eighteen municipalities, but the veiligheidsregio does no public health
    assert ggd.same_members == ("veiligheidsregio-hollands-midden-gr",)
    safety = reg.get("veiligheidsregio-hollands-midden")
    assert safety.served_by == ("veiligheidsregio-hollands-midden-gr",)
    assert "veiligheidsregio-hollands-midden" in reg.get("veiligheidsregio-hollands-midden-gr").covers
    youth = reg.get("jeugdregio-holland-rijnland")
    assert youth.served_by == ("serviceorganisatie-zorg-holland-rijnland",)  # without the link table
    assert "regio-holland-rijnland" in youth.same_members
    # one regeling can serve several divisions with the same municipalities
    assert set(reg.get("centrumregeling-jeugdhulp-noordoost-brabant").covers) >= {"jeugdregio-noordoost-brabant"}


LINKS = yaml_text("""
    links:
      - regeling: regio-holland-rijnland
        division: jeugdregio-holland-rijnland
        reason: Het samenwerkingsverband van de jeugdregio; het doel in het register noemt jeugd niet.
    exclusions:
      - regeling: hecht
        division: ggd-regio-hollands-midden
        reason: Alleen om de uitsluiting te testen.
""")


def test_the_link_table_adds_and_excludes_pairs(regions):
    (regions / "register-links.yaml").write_text(LINKS, encoding="utf-8")
    reg = registry(regions)
    youth = reg.get("jeugdregio-holland-rijnland")
    assert set(youth.served_by) == {"regio-holland-rijnland", "serviceorganisatie-zorg-holland-rijnland"}
    assert "regio-holland-rijnland" not in youth.same_members
    assert "jeugdregio-holland-rijnland" in reg.get("regio-holland-rijnland").covers
    assert reg.get("ggd-regio-hollands-midden").served_by == ()
    assert "hecht" in reg.get("ggd-regio-hollands-midden").same_members


def test_the_link_table_is_checked_with_positions(regions):
    def findings(text: str) -> str:
        (regions / "register-links.yaml").write_text(yaml_text(text), encoding="utf-8")
        done = govsite("validate", "--regions", str(regions), "--as-of", ON.isoformat(), cwd=regions.parent)
        assert done.returncode == 1
        return done.stdout.replace("\\", "/")

    found = findings("""
        links:
          - regeling: jeugdregio-holland-rijnland
            division: regio-holland-rijnland
            reason: Omgedraaid.
          - regeling: hecht
            division: ggd-regio-hollands-midden
            reason: Eén.
        exclusions:
          - regeling: hecht
            division: ggd-regio-hollands-midden
            reason: Twee.
    """)
    assert "regions/register-links.yaml:2:15: error: 'jeugdregio-holland-rijnland' is geen gemeenschappelijke regeling" in found
    assert "regions/register-links.yaml:3:15: error: 'regio-holland-rijnland' is geen CBS-indeling" in found
    assert "regions/register-links.yaml:9:5: error: de combinatie 'hecht' en 'ggd-regio-hollands-midden' staat er al (regel 5)" in found
    found = findings("""
        links:
          - regeling: hecht
    """)
    assert "regions/register-links.yaml:2:5: error: het verplichte veld 'division' ontbreekt" in found


def test_a_hand_edit_of_register_yaml_is_checked_like_any_file(regions):
    path = regions / "hecht" / "register.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: hecht", "id: hecht-ggd", 1).replace("code: GM0546", "code: GM546", 1)
                    .replace("legal_form: openbaar-lichaam", "legal_form: openbaar lichaam", 1), encoding="utf-8")
    done = govsite("validate", "--regions", str(regions), "--as-of", ON.isoformat(), cwd=regions.parent)
    assert done.returncode == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert errors and all(line.startswith(str(Path("regions") / "hecht" / "register.yaml")) for line in errors)
    by_text = {line.split(": error: ")[1].split(":")[0]: line for line in errors}
    legal = next(line for line in errors if "'legal_form'" in line)
    number = int(legal.split(":")[1])
    assert lines[number - 1].startswith("legal_form: openbaar lichaam") and "Kies uit: openbaar-lichaam" in legal
    assert any("GM546" in line and "geen CBS-gemeentecode" in line for line in errors), by_text
    # the id is checked once the file has its data format
    path.write_text(text.replace("id: hecht", "id: hecht-ggd", 1), encoding="utf-8")
    done = govsite("validate", "--regions", str(regions), "--as-of", ON.isoformat(), cwd=regions.parent)
    assert "de id 'hecht-ggd' moet gelijk zijn aan de mapnaam 'hecht'" in done.stdout


def test_a_folder_with_only_register_yaml_is_a_region_known_from_the_register(imported, tmp_path):
    checked = check(imported, None, ON)
    assert not checked.errors
    folders = {files.id for files in checked.sources.regions}
    assert "hecht" in folders and not checked.regions  # no full region: no site of its own
    empty = tmp_path / "regions"
    shutil.copytree(imported, empty)
    (empty / "lege-map").mkdir()
    done = govsite("validate", "--regions", str(empty), "--as-of", ON.isoformat(), cwd=tmp_path)
    assert "regions/lege-map/region.yaml:0:0: error: region.yaml ontbreekt" in done.stdout.replace("\\", "/")


def test_sources_say_where_a_fact_comes_from():
    roo = Source("Register van Overheidsorganisaties", "https://organisaties.overheid.nl/", ON, "CC0 1.0", False)
    assert roo.label == "Bron: Register van Overheidsorganisaties, 16 mei 2026"
    cbs = Source("CBS/PDOK gebiedsindelingen 2025", None, None, "CC BY 4.0", True)
    assert cbs.label == "Afgeleid van de CBS/PDOK gebiedsindelingen 2025 (CC BY 4.0)"
    cbs = Source("CBS/PDOK gebiedsindelingen 2025", None, None, "CC BY 4.0", True, "Bron: CBS, PDOK")
    assert cbs.label == "Bron: CBS, PDOK; afgeleid van de CBS/PDOK gebiedsindelingen 2025 (CC BY 4.0)"


def test_an_ended_regeling_is_kept_and_marked_ended(imported):
    reg = registry(imported)
    ended = [e for e in reg.regelingen() if e.ended(ON)]
    current = [e for e in reg.regelingen() if not e.ended(ON)]
    assert current and all(e.in_force(ON) for e in current)
    assert all(isinstance(e, RegisterEntry) and e.in_force(ON) is None for e in ended)


ADOPTED = yaml_text("""
    id: centrumregeling-jeugdhulp-noordoost-brabant
    name: Jeugdhulp Noordoost-Brabant
    kind: jeugdregio
    domains: [jeugd]
    legal_form: regeling-zonder-meer
    summary: De gemeenten kopen samen jeugdhulp in.
    contact:
      title: Regionaal inkoopbureau
""")


def test_an_adopted_region_takes_its_members_and_their_dates_from_the_register(regions):
    folder = regions / "centrumregeling-jeugdhulp-noordoost-brabant"
    (folder / "region.yaml").write_text(ADOPTED, encoding="utf-8")
    checked = check(regions, ["centrumregeling-jeugdhulp-noordoost-brabant"], ON)
    assert not checked.errors, [f.format() for f in checked.errors]
    (region,) = checked.regions
    members = {m.municipality: m for m in region.data.members}
    in_force = {p.code for p in region.register.members(ON)}
    assert {m.municipality for m in region.members_on(ON)} == in_force
    # Boxmeer took part until the merger, Land van Cuijk from then on
    assert members["GM0756"].until == dt.date(2021, 12, 31) and members["GM1982"].since == dt.date(2022, 1, 1)
    assert members["GM1982"].bodies == ["college"]

    # A secretariat's note on one member, without dates: the register gives the dates, the note stays.
    (folder / "region.yaml").write_text(ADOPTED + yaml_text("""
        members:
          - municipality: GM1982
            note: Land van Cuijk voert het contractbeheer uit.
    """), encoding="utf-8")
    checked = check(regions, ["centrumregeling-jeugdhulp-noordoost-brabant"], ON)
    assert not checked.errors, [f.format() for f in checked.errors]
    (region,) = checked.regions
    members = {m.municipality: m for m in region.data.members}
    assert {m.municipality for m in region.members_on(ON)} == in_force
    assert members["GM1982"].note == "Land van Cuijk voert het contractbeheer uit."
    assert members["GM1982"].since == dt.date(2022, 1, 1) and members["GM0756"].note is None


def test_checking_one_region_does_not_fault_the_link_table_for_the_others(regions):
    (regions / "register-links.yaml").write_text(LINKS, encoding="utf-8")
    done = govsite("validate", "hecht", "--regions", str(regions), "--as-of", ON.isoformat(), cwd=regions.parent)
    assert done.returncode == 0 and " 0 fouten" in done.stdout.splitlines()[-1], done.stdout


NATIONAL = Path(__file__).resolve().parents[1] / "regions"


def test_the_national_link_table_holds_only_sourced_pairs_the_data_cannot_decide():
    """regions/register-links.yaml is reviewed by hand: every entry says where a reader can check it; a link
    adds a pair the matcher does not make by itself, and an exclusion removes one it does make (identical
    municipalities and a task word), so that no entry is dead weight."""
    table = yaml.safe_load((NATIONAL / "register-links.yaml").read_text(encoding="utf-8"))
    reg = registry(NATIONAL)

    def pair(entry):
        regeling, division = reg.get(entry["regeling"]), reg.get(entry["division"])
        automatic = (regeling.municipalities(ON) == division.municipalities(ON)
                     and does_task(regeling, division.kind))
        return regeling, division, automatic

    for entry in table["links"]:
        regeling, division, automatic = pair(entry)
        assert "Bron" in entry["reason"], entry
        assert regeling.id in division.served_by and division.id in regeling.covers
        assert not automatic, f"{entry['regeling']} serves {entry['division']} without the table"
    for entry in table["exclusions"]:
        regeling, division, automatic = pair(entry)
        assert "Bron" in entry["reason"], entry
        assert automatic, f"{entry['regeling']} would not serve {entry['division']} anyway"
        assert regeling.id not in division.served_by and regeling.id in division.same_members
