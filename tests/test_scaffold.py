"""`govsite new`: a scaffolded region, agreement or version is valid, canonical, explained and builds."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.commands.fmt import yaml_files, format_file
from generator.pipeline import check

from conftest import AS_OF, MUNICIPALITIES, RegionsDir

KINDS = ["region", "organisation", "decisions", "accountability", "finance", "progress", "reflection"]


def new(root: Path, *args: str) -> int:
    return main(["new", *args, "--regions", str(root)])


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scaffold") / "regions"
    root.mkdir()
    (root / "municipalities.yaml").write_text(MUNICIPALITIES, encoding="utf-8")
    assert new(root, "region", "jeugdregio-west", "--kind", "jeugdregio", "--name", "Jeugdregio West",
               "--members", "GM0546,gm0547, GM0575", "--since", "2026-01-01") == 0
    return root


def test_scaffolded_region_has_every_file_with_schema_reference(scaffolded: Path):
    folder = scaffolded / "jeugdregio-west"
    for kind in KINDS:
        first = (folder / f"{kind}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../.schema/{kind}.schema.json"
        assert (folder / "../.schema" / f"{kind}.schema.json").resolve().is_file()
    agreement = folder / "agreements" / "gemeenschappelijke-regeling.yaml"
    first = agreement.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../.schema/agreement.schema.json"
    assert (agreement.parent / "../../.schema/agreement.schema.json").resolve().is_file()


def test_scaffolded_region_is_valid_with_gaps_and_explains_itself(scaffolded: Path):
    checked = check(scaffolded, None, AS_OF)
    assert not checked.errors, [f.format() for f in checked.errors]
    gaps = [f.message for f in checked.findings if f.severity == "gap"]
    assert any("besluitvormingsmatrix" in g for g in gaps)
    (region,) = checked.regions
    assert region.data.name == "Jeugdregio West"
    assert [m.municipality for m in region.data.members] == ["GM0546", "GM0547", "GM0575"]
    assert region.data.founding_agreement == "gemeenschappelijke-regeling"
    text = (scaffolded / "jeugdregio-west" / "region.yaml").read_text(encoding="utf-8")
    assert "  - municipality: GM0546  # Leiden" in text
    assert "# Soort regio: jeugdregio | wmo-regio" in text  # the allowed values are named in place
    assert "INVULLEN" in text


def test_scaffolded_files_are_canonical(scaffolded: Path):
    assert all(format_file(p, check=True).status == "canonical" for p in yaml_files(scaffolded))


def test_scaffolded_region_builds(scaffolded: Path, tmp_path: Path):
    out = tmp_path / "site"
    assert main(["build", "--regions", str(scaffolded), "--out", str(out), "--as-of", AS_OF.isoformat()]) == 0
    page = BeautifulSoup((out / "jeugdregio-west" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Jeugdregio West" in page.get_text()


@pytest.mark.parametrize("args, message", [
    (["jeugdregio-west", "--kind", "jeugdregio"], "bestaat al"),
    (["Jeugd West", "--kind", "jeugdregio"], "Bijvoorbeeld: 'jeugd-west'"),
    (["oost", "--kind", "jeugdregoi"], "Bedoelt u 'jeugdregio'? Kies uit: jeugdregio, wmo-regio"),
    (["oost", "--kind", "jeugdregio", "--legal-form", "gr"], "rechtsvorm"),
])
def test_wrong_input_is_explained(scaffolded: Path, capsys, args, message):
    assert new(scaffolded, "region", *args, "--name", "Oost", "--members", "GM0546,GM0547") == 2
    assert message in capsys.readouterr().err


def test_unknown_or_ended_member_is_explained(scaffolded: Path, capsys):
    assert new(scaffolded, "region", "oost", "--kind", "wmo-regio", "--name", "Oost",
               "--members", "GM0546,GM0548") == 2
    err = capsys.readouterr().err
    assert "gemeente 'GM0548' staat niet in municipalities.yaml. Bedoelt u GM0547 (Leiderdorp)?" in err
    assert new(scaffolded, "region", "oost", "--kind", "wmo-regio", "--name", "Oost",
               "--members", "GM0546,Leiderdorp") == 2
    assert "Bedoelt u GM0547 (Leiderdorp)?" in capsys.readouterr().err
    assert new(scaffolded, "region", "oost", "--kind", "wmo-regio", "--name", "Oost",
               "--members", "GM0546,GM0576", "--since", "2020-01-01") == 2
    assert "Neem de opvolger op: GM0575 (Noordwijk)" in capsys.readouterr().err
    assert not (scaffolded / "oost").exists()


def test_new_agreement_is_valid(tmp_path: Path):
    regions = RegionsDir(tmp_path / "regions")
    assert new(regions.root, "agreement", "leidse-regio", "convenant-onderwijs", "--title",
               "Convenant onderwijs en jeugdhulp", "--kind", "convenant", "--effective", "2026-03-01") == 0
    assert not regions.errors()
    (region,) = regions.check().regions
    agreement = region.agreement("convenant-onderwijs")
    assert agreement.title == "Convenant onderwijs en jeugdhulp"
    assert agreement.versions[0].effective == dt.date(2026, 3, 1)
    assert new(regions.root, "agreement", "leidse-regio", "convenant-onderwijs") == 2


def test_new_version_copies_the_version_in_force_and_keeps_comments(tmp_path: Path):
    regions = RegionsDir(tmp_path / "regions")
    regions.replace("agreements/gr-jeugd.yaml", "    changes: Herziening;",
                    "    # Vastgesteld na de evaluatie.\n    changes: Herziening;")
    regions.replace("agreements/gr-jeugd.yaml", "parties: members", "parties: members  # alle deelnemers")
    assert new(regions.root, "version", "leidse-regio", "gr-jeugd", "--effective", "2027-01-01") == 0
    text = regions.text("agreements/gr-jeugd.yaml")
    assert "parties: members  # alle deelnemers" in text and "# Vastgesteld na de evaluatie." in text
    assert '  - version: "2.1"  # INVULLEN: het nummer van de nieuwe versie' in text
    assert "effective: 2027-01-01  # INVULLEN: datum van inwerkingtreding" in text
    assert "changes: INVULLEN" in text
    assert not regions.errors()
    (region,) = regions.check().regions
    versions = region.agreement("gr-jeugd").versions
    assert [v.version for v in versions] == ["1.0", "1.1", "2.0", "2.1"]
    assert versions[-1].articles == versions[-2].articles  # a copy of the version in force
    assert versions[-1].publication is None
    assert format_file(regions.path("agreements/gr-jeugd.yaml"), check=True).status == "canonical"


def test_new_version_must_start_after_the_last(tmp_path: Path, capsys):
    regions = RegionsDir(tmp_path / "regions")
    assert new(regions.root, "version", "leidse-regio", "gr-jeugd", "--effective", "2025-06-01") == 2
    assert "later in werking treden dan versie 2.0" in capsys.readouterr().err
    assert new(regions.root, "version", "leidse-regio", "gr-jeugt") == 2
    assert "Bedoelt u 'gr-jeugd'?" in capsys.readouterr().err


def uncomment_examples(text: str, fields: set[str]) -> str:
    """Fill in a scaffolded file as its comments say: uncomment each example block of a top-level
    field ('# bodies:' and the indented '#   ...' lines under it) and drop the empty 'bodies: []'."""
    lines = text.splitlines()
    out: list[str] = []
    filled: set[str] = set()
    in_block = False
    for line in lines:
        key = line[2:].split(":", 1)[0] if line.startswith("# ") else None
        if key in fields and line[2:].startswith(f"{key}:"):
            in_block = True
            filled.add(key)
            out.append(line[2:])
        elif in_block and line.startswith("#  "):
            out.append(line[2:])
        else:
            in_block = False
            out.append(line)
    return "\n".join(line for line in out if line.split(":")[0] not in filled or not line.endswith(": []")) + "\n"


def test_the_commented_examples_are_valid(tmp_path: Path):
    """A secretariat that uncomments every example gets a valid region without gaps in those parts."""
    from generator.domain import schema

    root = tmp_path / "regions"
    root.mkdir()
    (root / "municipalities.yaml").write_text(MUNICIPALITIES, encoding="utf-8")
    assert new(root, "region", "west", "--kind", "jeugdregio", "--name", "West", "--members", "GM0546,GM0547",
               "--since", "2026-01-01") == 0
    for kind in KINDS:
        path = root / "west" / f"{kind}.yaml"
        path.write_text(uncomment_examples(path.read_text(encoding="utf-8"),
                                           set(schema.FILE_KINDS[kind].model_fields)), encoding="utf-8")
    checked = check(root, None, AS_OF)
    assert not checked.errors, [f.format() for f in checked.errors]
    (region,) = checked.regions
    assert [b.id for b in region.organisation.bodies] == ["ab", "db", "ambtelijk-overleg"]
    assert region.decisions.decisions[0].basis.agreement == "gemeenschappelijke-regeling"
    assert region.data.vision.goals[0].id == "eerste-doel"
    gaps = {f.message for f in checked.findings if f.severity == "gap"}
    for filled in ("besluitvormingsmatrix", "escalatieladder", "instrumenten van de gemeenteraad",
                   "verdeelsleutel", "indicatoren", "(veld vision.mission)", "toetreding", "uittreding"):
        assert not any(filled in gap for gap in gaps), gaps


# Issue 17: what the project ships teaches the Wgr as amended on 1 July 2022 (Wet versterking
# democratische legitimatie Wgr): twelve weeks for the zienswijze on the draft budget (art. 35 Wgr),
# the adopted budget to Gedeputeerde Staten before 15 September (art. 34 Wgr), not 1 August.
REPO = Path(__file__).resolve().parent.parent


def test_scaffolded_region_teaches_the_2022_terms(scaffolded: Path):
    folder = scaffolded / "jeugdregio-west"
    accountability = (folder / "accountability.yaml").read_text(encoding="utf-8")
    decisions = (folder / "decisions.yaml").read_text(encoding="utf-8")
    assert "term_days: 84" in accountability and "twaalf weken" in accountability
    assert "art. 35 Wgr" in accountability or "artikel 35 Wgr" in accountability
    assert "term_days: 56" not in accountability and "acht weken" not in accountability
    assert "1 augustus" not in decisions and "15 september" in decisions and "art. 34 Wgr" in decisions


def _version_in_force(versions: list[dict]) -> dict:
    today = dt.date.today()
    return max((v for v in versions if v["effective"] <= today), key=lambda v: v["effective"])


def test_shipped_content_has_no_pre_2022_zienswijze_term():
    import yaml

    texts = {p: p.read_text(encoding="utf-8") for p in [
        REPO / "content" / "begrippen.md", REPO / "content" / "bijdragen" / "dataformaat.md",
        *(REPO / "generator" / "site" / "templates" / "scaffold").glob("*.yaml")]}
    for path, text in texts.items():
        assert "acht weken" not in text and "1 augustus" not in text, path
        assert "`term_days` is 56" not in text and "term_days: 56" not in text, path
    assert "twaalf weken" in texts[REPO / "content" / "begrippen.md"]
    assert "strijd met het recht of het algemeen belang" in texts[REPO / "content" / "begrippen.md"]
    for region in (p for p in (REPO / "examples").iterdir() if p.is_dir() and not p.name.startswith(".")):
        accountability = yaml.safe_load((region / "accountability.yaml").read_text(encoding="utf-8")) or {}
        for instrument in accountability.get("council_instruments") or []:
            if instrument["kind"] == "zienswijze" and instrument.get("subject", "").lower() == "ontwerpbegroting":
                assert instrument.get("term_days") in (None, 84), (region.name, instrument)
                assert "acht weken" not in instrument.get("description", ""), region.name
        decisions = yaml.safe_load((region / "decisions.yaml").read_text(encoding="utf-8")) or {}
        for decision in decisions.get("decisions") or []:
            assert "1 augustus" not in (decision.get("when") or ""), (region.name, decision["id"])
        for path in (region / "agreements").glob("*.yaml"):
            agreement = yaml.safe_load(path.read_text(encoding="utf-8"))
            in_force = _version_in_force(agreement["versions"])
            if in_force["adopted"] < dt.date(2022, 7, 1):
                continue  # lawful when it was adopted
            for article in in_force.get("articles") or []:
                text = " ".join(article.get("text", "").split())
                assert not ("zienswijze" in text and ("acht weken" in text or "zes weken" in text)), \
                    (path, article["number"])
