"""The check cache: an unchanged region comes from the cache, everything else is checked again, and
the result is always the one a full check gives."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, REGION, RegionsDir, find
import payloads
import generator
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


class Reloaded:
    """Which regions the checks with one cache folder checked again (rather than took from the
    cache), seen from outside: a region checked again has its cache file written anew, one taken
    from the cache leaves it as it was. Calling gives the regions checked again since the last call."""

    def __init__(self, root: Path, cache: Path, scratch: Path):
        self.cache = cache
        self.regions: dict[str, str] = {}  # cache file name -> region
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            own = scratch / folder.name
            check(root, [folder.name], AS_OF, own)  # a check of this region alone: its file only
            [path] = own.glob("*.pickle")
            self.regions[path.name] = folder.name
        self.seen = self._files()

    def _files(self) -> dict[str, tuple]:
        # A file written anew is a new file (written beside it, then renamed over it): another inode.
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in self.cache.glob("*.pickle")}

    def __call__(self) -> list[str]:
        now = self._files()
        written = sorted(self.regions[name] for name, state in now.items() if self.seen.get(name) != state)
        self.seen = now
        return written


@pytest.fixture
def loaded(two, tmp_path) -> Reloaded:
    """The regions checked again with the cache folder tmp_path/cache."""
    return Reloaded(two.root, tmp_path / "cache", tmp_path / "one-region")


def summary(checked: pipeline.Checked, on: dt.date = AS_OF) -> list:
    """Everything a later step reads from a check, in comparable form."""
    out: list = [checked.findings, checked.validation.findings, checked.sources.findings,
                 checked.validation.municipalities, checked.errors, checked.validation.registry, checked.registered]
    for files in checked.sources.regions:
        docs = [files.region, *files.topics.values(), *files.agreements]
        out.append((files.id, files.folder, files.display, sorted(files.topics),
                    [(d.path, d.display, d.data, d.positions, d.key_positions) for d in docs if d is not None]))
    for valid in checked.validation.regions:
        out.append((valid.files.id, valid.region, valid.topics, valid.agreements))
    for region in checked.regions:
        state = region.state(on)
        out.append((region.id, region.sources, region.municipalities.by_code, state.gaps, state.upcoming,
                    state.agreements, state.positions, state.current_members, state.planning, region.register))
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
    assert loaded() == sorted([REGION, OTHER])
    checked = check(two.root, None, AS_OF, cache)
    assert loaded() == []
    assert not checked.errors and [r.id for r in checked.regions] == sorted([REGION, OTHER])

    two.replace("decisions.yaml", "decisions:", "# een opmerking\ndecisions:")
    check(two.root, None, AS_OF, cache)
    assert loaded() == [REGION]


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
    loaded()
    (two.folder / "agreements" / "extra.txt").write_text("x")
    checked = check(two.root, None, AS_OF, cache)
    assert loaded() == [REGION]
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
            stored = _index(path)  # sealed by govsite itself
            stored["entries"] = [(key, code, pickle.dumps(["iets anders"]), []) for key, code, _, _ in stored["entries"]]
            _write_index(path, stored)
        else:
            path.write_bytes(damage)
    loaded()
    assert summary(check(two.root, None, AS_OF, cache)) == full
    assert loaded() == sorted([REGION, OTHER])  # checked in full
    assert summary(check(two.root, None, AS_OF, cache)) == full  # and the cache is whole again
    assert loaded() == []


def _index(path: Path) -> dict:
    """The sealed index at the start of a cache file: its length in 8 bytes, then the index."""
    data = path.read_bytes()
    return pickle.loads(unseal(data[8:8 + int.from_bytes(data[:8], "big")], "check"))


def _write_index(path: Path, index: dict, body: bytes = b"") -> None:
    sealed = seal(pickle.dumps(index), "check")
    path.write_bytes(len(sealed).to_bytes(8, "big") + sealed + body)


def test_a_changed_part_of_a_cache_file_is_never_unpickled(two, tmp_path):
    """The packed parts behind a sealed index are checked against its digests when the entry is looked
    up: a part that someone changed is never unpickled, and the region is checked in full instead."""
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    marker = tmp_path / "uitgevoerd"
    path = next(p for p in cache.glob("*.pickle") if len(_index(p)["entries"][0][3]) > 0)
    data = path.read_bytes()
    start = 8 + int.from_bytes(data[:8], "big")
    payload = payloads.pickle_that_writes(marker)
    stored = _index(path)
    key, code, blob, spans = stored["entries"][0]
    stored["entries"] = [(key, code, blob, [(0, len(payload), digest) for _, _, digest in spans])]
    _write_index(path, stored, payload)
    assert len(data) > start
    assert summary(check(two.root, None, AS_OF, cache)) == summary(check(two.root, None, AS_OF))
    assert not marker.exists()
    assert summary(check(two.root, None, AS_OF, cache)) == summary(check(two.root, None, AS_OF))


def test_unwritable_cache_folder_is_no_error(two, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert summary(check(two.root, None, AS_OF, blocked / "cache")) == summary(check(two.root, None, AS_OF))


def test_change_of_municipalities_checks_every_region_again(two, tmp_path, loaded):
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    loaded()
    two.replace("municipalities.yaml", "  - code: GM0638\n    name: Zoeterwoude\n    province: Zuid-Holland\n"
                "    inhabitants: 8500\n", "")
    checked = check(two.root, None, AS_OF, cache)
    assert loaded() == sorted([REGION, OTHER])
    for name in (REGION, OTHER):
        find(checked.findings, f"{name}/region.yaml", "gemeente GM0638 staat niet in municipalities.yaml")
    assert summary(checked) == summary(check(two.root, None, AS_OF))


def test_other_date_checks_again(two, tmp_path, loaded):
    cache = tmp_path / "cache"
    later = AS_OF + dt.timedelta(days=400)
    full = summary(check(two.root, None, later), later)
    check(two.root, None, AS_OF, cache)
    loaded()
    assert summary(check(two.root, None, later, cache), later) == full
    assert loaded() == sorted([REGION, OTHER])
    check(two.root, None, AS_OF, cache)  # a look back checks on two dates: both are kept
    check(two.root, None, later, cache)
    assert loaded() == []


def test_other_code_checks_again(two, tmp_path, loaded):
    """Another version of govsite: a copy of the package, changed by one line, in a process of its own."""
    copy = tmp_path / "other-govsite"
    shutil.copytree(Path(generator.__file__).resolve().parent, copy / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))

    def check_with_the_copy() -> None:
        script = ("import datetime, sys; from pathlib import Path; import generator; from generator.pipeline import check;"
                  "assert Path(generator.__file__).resolve().is_relative_to(Path(sys.argv[4]).resolve()), generator.__file__;"
                  "check(Path(sys.argv[1]), None, datetime.date.fromisoformat(sys.argv[2]), Path(sys.argv[3]))")
        # -P: not the working directory's own generator/ first on the path; the same working directory (part of the key)
        subprocess.run([sys.executable, "-P", "-c", script, str(two.root), AS_OF.isoformat(), str(tmp_path / "cache"),
                        str(copy)], env={**os.environ, "PYTHONPATH": str(copy)}, check=True)

    check_with_the_copy()
    loaded()
    check_with_the_copy()
    assert loaded() == []  # the same code in another process: from the cache
    with open(copy / "generator" / "pipeline.py", "a", encoding="utf-8") as file:
        file.write("\n# another version of govsite\n")
    check_with_the_copy()
    assert loaded() == sorted([REGION, OTHER])


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

def _build(regions: Path, out: Path, *options: str) -> None:
    assert cli.main(["build", "--regions", str(regions), "--out", str(out), "--as-of", AS_OF.isoformat(),
                     "--jobs", "1", *options]) == 0


def test_build_keeps_the_check_cache_next_to_its_manifest(two, tmp_path, capsys):
    out = tmp_path / "public" / "site"
    folder = cache_folder(out) / "check"  # in the user's cache folder, never beside the output
    loaded = Reloaded(two.root, folder, tmp_path / "one-region")
    _build(two.root, out)
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == ["site"]
    assert loaded() == sorted([REGION, OTHER])
    _build(two.root, out)
    assert loaded() == []
    _build(two.root, out, "--clean")
    assert loaded() == sorted([REGION, OTHER])  # --clean reuses nothing,
    shutil.rmtree(folder)
    _build(two.root, out, "--clean")
    assert loaded() == sorted([REGION, OTHER])  # but fills the cache
    _build(two.root, out)
    assert loaded() == []  # for the next build
    assert "2 regio's gebouwd" in capsys.readouterr().out


def test_validate_does_not_use_the_cache(two, tmp_path, monkeypatch, capsys):
    before = sorted(two.root.rglob("*"))
    monkeypatch.setenv("GOVSITE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for _ in range(2):
        assert cli.main(["validate", "--regions", str(two.root), "--as-of", AS_OF.isoformat()]) == 0
        assert "2 regio's gecontroleerd: 0 fouten" in capsys.readouterr().out
    assert not (tmp_path / "cache").exists() and not (tmp_path / "xdg-cache").exists()
    assert sorted(two.root.rglob("*")) == before


# --- the registry and the files at the top ----------------------------------------------------

def _register_yaml(id: str, name: str = "Leiden") -> str:
    """A register.yaml as `govsite import` writes it: a regeling whose municipalities take part with
    their colleges only."""
    import yaml

    participants = [{"code": code, "name": member, "kind": "gemeente", "since": "2015-01-01", "bodies": ["college"]}
                    for code, member in (("GM0546", name), ("GM0547", "Leiderdorp"))]
    return yaml.safe_dump({
        "id": id, "kind": "gemeenschappelijke-regeling", "name": "Jeugdregio Leidse regio",
        "source": {"register": "Register van Overheidsorganisaties", "url": "https://organisaties.overheid.nl/",
                   "retrieved": "2026-05-16", "licence": "CC0 1.0"},
        "legal_form": "openbaar-lichaam",
        "versions": [{"roo_id": "1", "title": "Gemeenschappelijke regeling Jeugd Leidse regio",
                      "effective": "2015-01-01", "participants": participants}]}, allow_unicode=True, sort_keys=False)


def _written(path: Path) -> tuple:
    return path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes()


def test_the_registry_comes_from_the_cache_until_a_register_changes(two, tmp_path):
    two.write("register.yaml", _register_yaml(REGION))  # an adopted region
    (two.root / "alleen-in-het-register").mkdir()  # a region known only from the register
    (two.root / "alleen-in-het-register" / "register.yaml").write_text(_register_yaml("alleen-in-het-register"))
    cache = tmp_path / "cache"
    registry = cache / "registry.sealed"
    checked = check(two.root, None, AS_OF, cache)
    assert summary(checked) == summary(check(two.root, None, AS_OF))
    assert checked.registered == {REGION, "alleen-in-het-register"}
    # The colleges take part without their councils: the gap of art. 1 lid 4 en 5 Wgr, from the cache too.
    for _ in range(2):
        checked = check(two.root, None, AS_OF, cache)
        find(checked.findings, f"{REGION}/register.yaml", "Dan moet de raad toestemming geven", severity="gap")
    before = _written(registry)

    (two.root / OTHER / "decisions.yaml").write_text(
        "# een opmerking\n" + (two.root / OTHER / "decisions.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    checked = check(two.root, None, AS_OF, cache)
    assert _written(registry) == before  # read back, not made again
    assert summary(checked) == summary(check(two.root, None, AS_OF))

    (two.root / "alleen-in-het-register" / "register.yaml").write_text(
        _register_yaml("alleen-in-het-register", name="Leiden-Noord"))
    checked = check(two.root, None, AS_OF, cache)
    assert _written(registry) != before
    entry = checked.validation.registry.get("alleen-in-het-register")
    assert "Leiden-Noord" in {p.name for p in entry.members(AS_OF)}
    assert summary(checked) == summary(check(two.root, None, AS_OF))

    before = _written(registry)
    (two.root / "register-links.yaml").write_text("links: []\nexclusions: []\n", encoding="utf-8")
    assert summary(check(two.root, None, AS_OF, cache)) == summary(check(two.root, None, AS_OF))
    assert _written(registry) != before


@pytest.mark.parametrize("name", ["registry.sealed", "municipalities.sealed"])
def test_a_registry_or_municipality_file_govsite_did_not_write_is_ignored(two, tmp_path, name):
    two.write("register.yaml", _register_yaml(REGION))
    cache = tmp_path / "cache"
    full = summary(check(two.root, None, AS_OF))
    check(two.root, None, AS_OF, cache)
    marker = tmp_path / "uitgevoerd"
    (cache / name).write_bytes(payloads.pickle_that_writes(marker))
    assert summary(check(two.root, None, AS_OF, cache)) == full
    assert not marker.exists()
    assert summary(check(two.root, None, AS_OF, cache)) == full  # written anew



def _division_yaml(id: str, members: tuple[str, ...] = ("GM0546", "GM0547")) -> str:
    """A CBS division's register.yaml as `govsite import` writes it."""
    import yaml

    return yaml.safe_dump({
        "id": id, "kind": "jeugdregio", "code": "JR01", "name": "Jeugdregio Leidse regio",
        "source": {"register": "CBS/PDOK gebiedsindelingen 2025", "licence": "CC BY 4.0", "derived": True},
        "members": list(members)}, allow_unicode=True, sort_keys=False)


def _registers(root: Path) -> None:
    """A division, and two regelingen with exactly its municipalities (one names its task), each in a
    folder of its own, beside the fixture's full regions."""
    for id, text in (("jeugdregio-leidse-regio", _division_yaml("jeugdregio-leidse-regio")),
                     ("gr-jeugd-leidse-regio", _register_yaml("gr-jeugd-leidse-regio")),
                     ("gr-afval-leidse-regio", _register_yaml("gr-afval-leidse-regio").replace(
                         "name: Jeugdregio Leidse regio", "name: Afvalschap Leidse regio"))):
        (root / id).mkdir()
        (root / id / "register.yaml").write_text(text, encoding="utf-8")


def _edit_register(root: Path, edit: str) -> None:
    regeling = root / "gr-jeugd-leidse-regio" / "register.yaml"
    if edit == "members":  # a third municipality: it no longer has exactly the division's members
        regeling.write_text(regeling.read_text(encoding="utf-8").replace(
            "  - code: GM0547", "  - code: GM0575\n    name: Katwijk\n    kind: gemeente\n"
            "    since: '2016-01-01'\n  - code: GM0547"), encoding="utf-8")
    elif edit == "name":  # no longer names the division's task: the same area, not the same cooperation
        regeling.write_text(regeling.read_text(encoding="utf-8").replace("name: Jeugdregio", "name: Regio"),
                            encoding="utf-8")
    elif edit == "error":  # an error: the entry leaves the registry
        regeling.write_text(regeling.read_text(encoding="utf-8").replace("legal_form: openbaar-lichaam",
                                                                         "legal_form: iets"), encoding="utf-8")
    elif edit == "removed":
        shutil.rmtree(regeling.parent)
    elif edit == "added":
        (root / "gr-jeugd-2").mkdir()
        (root / "gr-jeugd-2" / "register.yaml").write_text(_register_yaml("gr-jeugd-2"), encoding="utf-8")
    elif edit == "folder":  # a folder without register.yaml: the registry's own key changes
        (root / "nog-een-map").mkdir()
    elif edit == "links":
        (root / "register-links.yaml").write_text(
            "links: []\nexclusions:\n  - regeling: gr-jeugd-leidse-regio\n    division: jeugdregio-leidse-regio\n"
            "    reason: Nagegaan.\n  - regeling: bestaat-niet\n    division: jeugdregio-leidse-regio\n"
            "    reason: Nagegaan.\n", encoding="utf-8")


@pytest.mark.parametrize("edit", ["members", "name", "error", "removed", "added", "links", "folder"])
def test_registry_made_again_from_kept_entries_is_the_full_checks(two, tmp_path, edit):
    """After one register.yaml (or the links file) changed, the registry made from the entries the
    cache kept, with the matching run again over all of them, is what a check without cache makes."""
    _registers(two.root)
    cache = tmp_path / "cache"
    checked = check(two.root, None, AS_OF, cache)
    assert checked.validation.registry.get("jeugdregio-leidse-regio").served_by == ("gr-jeugd-leidse-regio",)
    _edit_register(two.root, edit)
    full = summary(check(two.root, None, AS_OF))
    assert summary(check(two.root, None, AS_OF, cache)) == full
    assert summary(check(two.root, None, AS_OF, cache)) == full  # read back
    checked = check(two.root, None, AS_OF, cache)
    assert bool(checked.errors) == (edit in ("error", "links", "folder")), [f.format() for f in checked.errors]
    division = checked.validation.registry.get("jeugdregio-leidse-regio")
    jeugd, afval = "gr-jeugd-leidse-regio", "gr-afval-leidse-regio"
    assert (division.served_by, division.same_members) == {
        "members": ((), (afval,)), "name": ((), (afval, jeugd)), "error": ((), (afval,)), "removed": ((), (afval,)),
        "added": (("gr-jeugd-2", jeugd), (afval,)), "links": ((), (jeugd, afval)), "folder": ((jeugd,), (afval,))}[edit]


def _parts(path: Path) -> set[bytes]:
    """The digests of the packed parts of the newest entry in a cache file."""
    return {digest for _, _, digest in _index(path)["entries"][0][3]}


def _more_registers(root: Path, count: int) -> None:
    """count more regelingen (gr-00, gr-01, ...), each in a register.yaml of its own."""
    for number in range(count):
        id = f"gr-{number:02d}"
        (root / id).mkdir()
        (root / id / "register.yaml").write_text(_register_yaml(id), encoding="utf-8")


@pytest.mark.parametrize("edit", ["register", "links", "folder"])
def test_a_changed_register_leaves_the_other_entries_as_they_were_written(two, tmp_path, edit):
    """Of the registry's file only the part with the changed entry and the matching's part are written
    anew: the other entries are not made or pickled again. A new links file or a new folder (the
    registry's own key changes) keeps every entry."""
    _more_registers(two.root, 40)
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    before = _parts(cache / "registry.sealed")
    assert len(before) > 10
    path = two.root / "gr-07" / "register.yaml"
    if edit == "register":
        path.write_text(path.read_text(encoding="utf-8").replace("name: Leiden", "name: Leiden-Noord"),
                        encoding="utf-8")
    elif edit == "links":
        (two.root / "register-links.yaml").write_text("links: []\nexclusions: []\n", encoding="utf-8")
    else:
        add_region(two, "nog-een-regio")
    checked = check(two.root, None, AS_OF, cache)
    after = _parts(cache / "registry.sealed")
    if edit == "register":
        assert len(after - before) == 2 and len(after) == len(before)  # one bucket, and the facts
        assert "Leiden-Noord" in {p.name for p in checked.validation.registry.get("gr-07").members(AS_OF)}
    else:
        assert before <= after  # every bucket (and the facts) as it was
    assert summary(checked) == summary(check(two.root, None, AS_OF))


@pytest.mark.parametrize("damage", ["byte", "truncated"])
def test_a_damaged_registry_file_is_made_again(two, tmp_path, damage):
    _registers(two.root)
    cache = tmp_path / "cache"
    full = summary(check(two.root, None, AS_OF))
    check(two.root, None, AS_OF, cache)
    path = cache / "registry.sealed"
    data = bytearray(path.read_bytes())
    if damage == "byte":  # in a packed part behind the index
        data[-10] ^= 0xFF
    else:
        del data[len(data) - 100:]
    path.write_bytes(bytes(data))
    assert summary(check(two.root, None, AS_OF, cache)) == full
    assert summary(check(two.root, None, AS_OF, cache)) == full  # written anew
    assert bytes(data) != path.read_bytes()


def test_an_entry_the_cache_kept_is_not_made_again(two, tmp_path):
    """An entry whose register.yaml did not change comes from the registry's file as it is there (here
    changed by the test, and sealed again as govsite would), while the changed file is read again."""
    import dataclasses

    _more_registers(two.root, 10)
    cache = tmp_path / "cache"
    check(two.root, None, AS_OF, cache)
    path = cache / "registry.sealed"
    data = path.read_bytes()
    body = data[8 + int.from_bytes(data[:8], "big"):]
    index = _index(path)
    key, code, blob, spans = index["entries"][0]
    parts = [body[start:start + length] for start, length, _ in spans]
    for number, part in enumerate(parts):
        values = pickle.loads(part)
        if len(values) == 1 and isinstance(values[0], dict) and "gr-03" in values[0]:
            values[0]["gr-03"] = dataclasses.replace(values[0]["gr-03"], name="Uit de cache")
            parts[number] = pickle.dumps(values)
    spans, offset = [], 0
    for part in parts:
        spans.append((offset, len(part), hashlib.blake2b(part, digest_size=32).digest()))
        offset += len(part)
    index["entries"] = [(key, code, blob, spans)]
    _write_index(path, index, b"".join(parts))
    assert check(two.root, None, AS_OF, cache).validation.registry.get("gr-03").name == "Uit de cache"

    changed = two.root / "gr-07" / "register.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("name: Jeugdregio", "name: Regio"), encoding="utf-8")
    registry = check(two.root, None, AS_OF, cache).validation.registry
    assert registry.get("gr-03").name == "Uit de cache"  # kept, not made from its file again
    assert registry.get("gr-07").name == "Regio Leidse regio"  # read again
    assert registry.get("gr-02").name == "Jeugdregio Leidse regio"

