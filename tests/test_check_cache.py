"""The check cache: an unchanged region comes from the cache, everything else is checked again, and
the result is always the one a full check gives."""
from __future__ import annotations

import datetime as dt
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, REGION, RegionsDir, find
from generator import cli, pipeline
from generator.domain import load
from generator.engine.cache import cache_folder, seal, unseal
from generator.domain.load import WrittenFloat, load_yaml
from generator.pipeline import check, check_view

OTHER = "andere-regio"


def add_region(regions: RegionsDir, name: str) -> Path:
    """A copy of the fixture region under another name."""
    folder = regions.root / name
    shutil.copytree(regions.folder, folder)
    region = folder / "region.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace(f"id: {REGION}\n", f"id: {name}\n", 1),
                      encoding="utf-8")
    return folder


@pytest.fixture
def two(regions: RegionsDir) -> RegionsDir:
    add_region(regions, OTHER)
    return regions


@pytest.fixture
def loaded(monkeypatch) -> list[str]:
    """The region folders the loader reads (rather than the cache)."""
    names: list[str] = []
    real = load.load_region

    def spy(folder, real_root, findings):
        names.append(folder.name)
        return real(folder, real_root, findings)

    monkeypatch.setattr(pipeline, "load_region", spy)  # with a cache
    monkeypatch.setattr(load, "load_region", spy)  # without
    return names


def summary(checked: pipeline.Checked, on: dt.date = AS_OF) -> list:
    """Everything a later step reads from a check, in comparable form."""
    out: list = [checked.findings, checked.validation.findings, checked.sources.findings,
                 checked.validation.municipalities, checked.errors]
    for files in checked.sources.regions:
        docs = [files.region, *files.topics.values(), *files.agreements]
        out.append((files.id, files.folder, files.display, sorted(files.topics),
                    [(d.path, d.display, d.data, d.positions, d.key_positions) for d in docs if d is not None]))
    for valid in checked.validation.regions:
        out.append((valid.files.id, valid.region, valid.topics, valid.agreements))
    for region in checked.regions:
        state = region.state(on)
        out.append((region.id, region.sources, region.municipalities.by_code, state.gaps, state.upcoming,
                    state.agreements, state.positions, state.current_members, state.planning))
    return out


def test_cached_check_gives_what_a_full_check_gives(two, tmp_path):
    two.replace("finance.yaml", "  - year: 2025\n", "  - year: 2025\n    budget: 1\n")  # an error in one region only
    (two.folder / "region.yaml").write_text(two.text("region.yaml") + "# INVULLEN\nx: INVULLEN\n")
    cache = tmp_path / "cache"
    full = summary(check(two.root, None, AS_OF))
    assert full[0], "the fixture should have findings to compare"
    assert summary(check(two.root, None, AS_OF, cache)) == full  # filling the cache
    assert summary(check(two.root, None, AS_OF, cache)) == full  # read from it
    assert summary(check(two.root, [OTHER, "bestaat-niet"], AS_OF, cache)) == \
        summary(check(two.root, [OTHER, "bestaat-niet"], AS_OF))


def test_unchanged_region_is_not_loaded_again(two, tmp_path, loaded):
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    assert sorted(loaded) == sorted([REGION, OTHER])
    loaded.clear()
    checked = check(two.root, None, AS_OF, cache)
    assert loaded == []
    assert not checked.errors and [r.id for r in checked.regions] == sorted([REGION, OTHER])

    two.replace("decisions.yaml", "decisions:", "# een opmerking\ndecisions:")
    check(two.root, None, AS_OF, cache)
    assert loaded == [REGION]


def test_changed_file_is_checked_again(two, tmp_path):
    cache = tmp_path / "cache"
    assert not check(two.root, None, AS_OF, cache).errors
    two.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: openbaar-lichaampje")
    checked = check(two.root, None, AS_OF, cache)
    found = find(checked.findings, f"{REGION}/region.yaml", "onbekende waarde 'openbaar-lichaampje'")
    assert found.line == two.line("region.yaml", "legal_form:")
    assert [r.id for r in checked.regions] == [OTHER]  # a region with an error is not built
    two.replace("region.yaml", "legal_form: openbaar-lichaampje", "legal_form: openbaar-lichaam")
    assert not check(two.root, None, AS_OF, cache).errors


def test_added_and_removed_files_are_seen(two, tmp_path, loaded):
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    loaded.clear()
    (two.folder / "agreements" / "extra.txt").write_text("x")
    checked = check(two.root, None, AS_OF, cache)
    assert loaded == [REGION]
    find(checked.findings, "agreements/extra.txt", "alleen .yaml-bestanden")
    (two.folder / "agreements" / "extra.txt").unlink()
    two.remove("reflection.yaml")
    checked = check(two.root, None, AS_OF, cache)
    assert not checked.errors
    find(checked.findings, f"{REGION}/reflection.yaml", "nog niet samen gereflecteerd", severity="gap")


@pytest.mark.parametrize("damage", [b"", b"not a pickle", "truncated", "other object", "other entry"])
def test_corrupt_cache_file_is_ignored(two, tmp_path, loaded, damage):
    cache = tmp_path / "cache"
    full = summary(check(two.root, None, AS_OF))
    check(two.root, None, AS_OF, cache)
    files = sorted(cache.glob("*.pickle"))
    assert len(files) == 2
    for path in files:
        if damage == "truncated":
            path.write_bytes(path.read_bytes()[:200])
        elif damage == "other object":
            path.write_bytes(pickle.dumps({"format": pipeline.CACHE_FORMAT, "entries": "nonsense"}))
        elif damage == "other entry":  # the right key, but something else stored under it
            stored = pickle.loads(unseal(path.read_bytes(), "check"))  # sealed by govsite itself
            stored["entries"] = [(key, pickle.dumps(["iets anders"])) for key, _ in stored["entries"]]
            path.write_bytes(seal(pickle.dumps(stored), "check"))
        else:
            path.write_bytes(damage)
    loaded.clear()
    assert summary(check(two.root, None, AS_OF, cache)) == full
    assert sorted(loaded) == sorted([REGION, OTHER])  # checked in full
    loaded.clear()
    assert summary(check(two.root, None, AS_OF, cache)) == full  # and the cache is whole again
    assert loaded == []


def test_unwritable_cache_folder_is_no_error(two, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert summary(check(two.root, None, AS_OF, blocked / "cache")) == summary(check(two.root, None, AS_OF))


def test_change_of_municipalities_checks_every_region_again(two, tmp_path, loaded):
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    loaded.clear()
    two.replace("municipalities.yaml", "  - code: GM0638\n    name: Zoeterwoude\n    province: Zuid-Holland\n"
                "    inhabitants: 8500\n", "")
    checked = check(two.root, None, AS_OF, cache)
    assert sorted(loaded) == sorted([REGION, OTHER])
    for name in (REGION, OTHER):
        find(checked.findings, f"{name}/region.yaml", "gemeente GM0638 staat niet in municipalities.yaml")
    assert summary(checked) == summary(check(two.root, None, AS_OF))


def test_other_date_or_other_code_checks_again(two, tmp_path, loaded, monkeypatch):
    cache = tmp_path / "cache"
    later = AS_OF + dt.timedelta(days=400)
    full = summary(check(two.root, None, later), later)
    check(two.root, None, AS_OF, cache)
    loaded.clear()
    assert summary(check(two.root, None, later, cache), later) == full
    assert sorted(loaded) == sorted([REGION, OTHER])
    loaded.clear()
    check(two.root, None, AS_OF, cache)  # a look back checks on two dates: both are kept
    check(two.root, None, later, cache)
    assert loaded == []
    monkeypatch.setattr(pipeline, "_code_digest", lambda: b"another version of govsite")
    check(two.root, None, AS_OF, cache)
    assert sorted(loaded) == sorted([REGION, OTHER])


def test_cache_file_of_a_removed_region_is_removed(two, tmp_path):
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    assert len(list(cache.glob("*.pickle"))) == 2
    shutil.rmtree(two.root / OTHER)
    check(two.root, None, AS_OF, cache)
    assert len(list(cache.glob("*.pickle"))) == 1


def test_look_back_with_the_cache(two, tmp_path):
    cache = tmp_path / "cache"
    on = dt.date(2016, 1, 1)
    full = summary(check_view(two.root, None, on, look_back=True), on)
    assert summary(check_view(two.root, None, on, look_back=True, cache=cache), on) == full
    assert summary(check_view(two.root, None, on, look_back=True, cache=cache), on) == full


def test_document_from_the_cache_is_the_same(tmp_path):
    path = tmp_path / "file.yaml"
    path.write_text("a: 1.10\nb: [2024-01-01, 2024-02-30, x]\nc: {d: ~}\n", encoding="utf-8")
    doc, _ = load_yaml(path, "file.yaml")
    again = pickle.loads(pickle.dumps(doc))
    assert "_packed" in vars(again)  # unpacked only when used
    assert again.pos(("b", 1)) == doc.pos(("b", 1)) == (2, 17)
    assert again == doc
    assert isinstance(again.data["a"], WrittenFloat) and again.data["a"].text == "1.10"
    assert isinstance(again.data["b"][1], load.InvalidDate)
    assert pickle.loads(pickle.dumps(again)) == doc  # a document read back can be stored again


# --- the commands --------------------------------------------------------------------------

def _args(*argv: str):
    args = cli.parser().parse_args(list(argv))
    args.as_of_given, args.as_of = False, AS_OF
    return args


def test_build_keeps_the_check_cache_next_to_its_manifest(two, tmp_path, loaded):
    out = tmp_path / "public" / "site"
    args = _args("build", "--regions", str(two.root), "--out", str(out))
    cli._checked_for_build(args)
    folder = cache_folder(out) / "check"  # in the user's cache folder, never beside the output
    assert not (tmp_path / "public" / ".build-cache").exists()
    assert len(list(folder.glob("*.pickle"))) == 2
    loaded.clear()
    assert not cli._checked_for_build(_args("build", "--regions", str(two.root), "--out", str(out))).errors
    assert loaded == []
    shutil.rmtree(folder)
    cli._checked_for_build(_args("build", "--regions", str(two.root), "--out", str(out), "--clean"))
    assert sorted(loaded) == sorted([REGION, OTHER])  # --clean reuses nothing,
    loaded.clear()
    cli._checked_for_build(args)
    assert loaded == []  # but leaves the cache filled for the next build


def test_validate_does_not_use_the_cache(two, monkeypatch, capsys):
    calls = []
    real = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: calls.append((a, k)) or real(*a, **k))
    assert cli.main(["validate", "--regions", str(two.root), "--as-of", AS_OF.isoformat()]) == 0
    assert len(calls) == 1 and calls[0][1].get("cache") is None and len(calls[0][0]) == 3
    assert "2 regio's gecontroleerd: 0 fouten" in capsys.readouterr().out
