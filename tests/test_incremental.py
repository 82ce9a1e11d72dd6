"""Fast and incremental builds: worker processes, reuse of unchanged sites, and the same bytes as a clean build.

The example regions are copied to a temporary folder and built three times, once per module:
cold with two workers, again after one region's YAML changed (incremental, two workers), and clean
into a second folder in one process. The incremental output must equal the clean one file for file,
byte for byte: that proves the reuse is right and that the output depends neither on the number of
workers nor on the order in which they finish.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.engine import cache, index
from engine_fakes import other_pagefind
from govsite_cli import package_copy
from generator.build import BuildError, BuildOptions, build
from generator.domain.history import page_dates
from generator.pipeline import check

PROJECT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 26)
CHANGED = "voorbeeldland-noord-beschermd-wonen"


def _build(regions: Path, out: Path, **options) -> BuildOptions:
    checked = check(regions, None, AS_OF)
    assert not checked.errors, [f.format() for f in checked.errors]
    # The copied configuration, theme and pages: someone editing the theme during the test changes nothing.
    shared = regions.parent
    built = BuildOptions(out=out, on=AS_OF, config=shared / "mkdocs.yml", content=shared / "content", **options)
    build(checked.regions, built, page_dates(regions))
    return built


def _hashes(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _folders(folder: Path) -> dict[str, int]:
    """Every folder under folder, with its inode (which tells a folder kept from one made anew)."""
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in sorted(folder.rglob("*"))
            if path.is_dir()}


@pytest.fixture(scope="module", autouse=True)
def _steady_generator(tmp_path_factory):
    """The cache hashes the generator's own files; people editing them while the tests run would
    (rightly) make every build a full one. The tests hash a copy taken at the start instead."""
    copy = shutil.copytree(cache.GENERATOR, tmp_path_factory.mktemp("generator") / "generator",
                           ignore=shutil.ignore_patterns("__pycache__"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "GENERATOR", copy)
        yield


def _project_copy(root: Path) -> Path:
    """The example regions, theme, pages and mkdocs.yml copied into root; returns the regions folder."""
    regions = shutil.copytree(PROJECT / "examples", root / "regions", ignore=shutil.ignore_patterns(".*"))
    for name in ("theme", "content"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    return regions


def _change_a_decision(regions: Path) -> str:
    """Change the topic of the first decision of CHANGED; returns the topic's line as it was."""
    decisions = regions / CHANGED / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    topic = next(line for line in text.splitlines() if line.strip().startswith("topic:"))
    decisions.write_text(text.replace(topic, topic + " (gewijzigd)", 1), encoding="utf-8")
    return topic


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    regions = _project_copy(root)
    out = root / "out"
    cold = _build(regions, out, jobs=2)
    cold_files = _hashes(out)
    topic = _change_a_decision(regions)
    incremental = _build(regions, out, jobs=2)
    clean = _build(regions, root / "clean", jobs=1, incremental=False)
    return {"root": root, "regions": regions, "out": out, "cold": cold, "cold_files": cold_files,
            "incremental": incremental, "clean": clean, "topic": topic}


def test_incremental_build_equals_a_clean_build(builds):
    incremental, clean = _hashes(builds["out"]), _hashes(builds["root"] / "clean")
    assert incremental.keys() == clean.keys()
    different = sorted(name for name in incremental if incremental[name] != clean[name])
    assert not different, f"files that differ from a clean build: {different[:20]}"


def test_only_the_changed_region_is_built_again(builds):
    timings = builds["incremental"].timings
    assert CHANGED in timings["built"]
    others = {p.name for p in builds["regions"].iterdir() if p.is_dir()} - {CHANGED}
    assert others and not others & set(timings["built"]), timings["built"]
    assert timings["reused"] >= len(others)
    # The change reached the page, and the unchanged regions' files are the very same as before.
    page = (builds["out"] / CHANGED / "besluitvorming" / "index.html").read_text(encoding="utf-8")
    assert "(gewijzigd)" in page
    for name, digest in _hashes(builds["out"]).items():
        if name.split("/")[0] in others:
            assert builds["cold_files"].get(name) == digest, name


def test_a_rebuilt_region_renders_only_its_changed_pages(builds):
    """The other pages of the changed region come from the previous build (pagereuse.py), and are
    still what a clean build makes (test_incremental_build_equals_a_clean_build)."""
    pages = builds["incremental"].timings["pages"]
    total = sum(1 for _ in (builds["out"] / CHANGED).rglob("index.html"))
    assert 1 <= pages["built"] <= 3, pages  # the decisions page and what summarises the decisions
    assert pages["reused"] == total - pages["built"], (pages, total)


def test_a_rebuilt_region_links_what_did_not_change_and_the_previous_output_keeps_its_bytes(builds):
    """The reused pages and the unchanged files of the rebuilt region are the previous output's own
    files (hard links, pagereuse.py); that output, now the spare, was not written into."""
    out = builds["out"]
    spare = out.with_name(f".{out.name}.spare")
    assert _hashes(spare) == builds["cold_files"]
    linked, unlinked = set(), set()
    for path in sorted((out / CHANGED).rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.is_file() and not name.startswith((f"{CHANGED}/pagefind/", f"{CHANGED}/bron/")):
            before = spare / name
            (linked if before.is_file() and os.path.samefile(path, before) else unlinked).add(name)
    pages = {name for name in linked | unlinked if name.endswith("/index.html")}
    assert len(pages & linked) == builds["incremental"].timings["pages"]["reused"]
    # The files that are not pages are linked exactly when their bytes did not change (MkDocs renders
    # 404.html from the theme and govsite writes sitemap.xml: new files each time).
    files = (linked | unlinked) - pages - {f"{CHANGED}/404.html", f"{CHANGED}/sitemap.xml"}
    assert {name for name in files if builds["cold_files"].get(name) == _hashes(out)[name]} == files & linked
    assert f"{CHANGED}/assets/govsite.css" in linked


def test_only_the_changed_regions_search_group_is_indexed_again(builds):
    ids = sorted(p.name for p in builds["regions"].iterdir() if p.is_dir())
    groups = index.parts(ids)
    parts = builds["incremental"].timings["search_parts"]
    assert parts["built"] == [f"{index.PARTS}/{name}" for name, members in groups.items() if CHANGED in members]
    portal = index.page_groups(_portal_pages(builds["out"], ids))
    # The portal's pages did not change; nor did the search vocabulary: "gewijzigd" is on other pages too.
    assert parts["reused"] == len(groups) - 1 + len(portal) + 1
    listed = json.loads((builds["out"] / index.PARTS / index.PARTS_LIST).read_text(encoding="utf-8"))
    assert listed == {"delen": [f"{index.page_group_folder(n)}/" for n in range(1, len(portal))]
                      + [f"{index.PARTS}/{name}/" for name in groups], "woordenlijst": "zoekindex/woordenlijst/"}
    # Together the groups cover every page of every region, and nothing of the portal.
    counted = 0
    for name in groups:
        entry = json.loads((builds["out"] / index.PARTS / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        counted += entry["languages"]["nl"]["page_count"]
    indexed = sum(1 for region in ids for page in (builds["out"] / region).rglob("index.html")
                  if "data-pagefind-body" in page.read_text(encoding="utf-8"))
    assert counted == indexed


def test_search_indexes_are_what_pagefind_makes_of_the_whole_pages(builds, tmp_path):
    """Pagefind is given only the part of each page it reads (index.extract): the indexes must be the
    same, byte for byte, as Pagefind makes of the whole pages, for a region, a group and the portal."""
    out = builds["out"]

    def pagefind(site: Path, output: Path, glob: str = "**/*.html") -> None:
        subprocess.run([*index._executable(), "--site", str(site), "--silent", "--glob", glob,
                        "--output-path", str(output)], check=True)

    pagefind(out / CHANGED, tmp_path / "regio" / "pagefind", f"{{{','.join(_pages(out / CHANGED))}}}")
    index.trim_site(tmp_path / "regio")
    assert _hashes(tmp_path / "regio" / "pagefind") == _hashes(out / CHANGED / "pagefind")
    ids = sorted(p.name for p in builds["regions"].iterdir() if p.is_dir())
    for name, members in index.parts(ids).items():
        pagefind(out, tmp_path / index.PARTS / name, "{" + ",".join(members) + "}/**/*.html")
        index.trim_merged(tmp_path / index.PARTS / name)
        assert _hashes(tmp_path / index.PARTS / name) == _hashes(out / index.PARTS / name)
    # The portal's pages in groups: the first in the portal's own bundle, the others merged.
    groups = index.page_groups(_portal_pages(out, ids))
    for number, group in enumerate(groups):
        bundle = tmp_path / "portaal" / index.page_group_folder(number)
        pagefind(out, bundle, "{" + ",".join(group) + "}")
        (index.trim_merged if number else index.trim_bundle)(bundle)
        assert _hashes(bundle) == _hashes(out / index.page_group_folder(number))


def _portal_pages(out: Path, ids: list[str]) -> list[str]:
    """The portal's pages that are searched: those with the part Pagefind reads (index.extract)."""
    return [page for page in _pages(out) if page.split("/")[0] not in ids
            and index.START in (out / page).read_text(encoding="utf-8")]


def test_a_changed_groups_index_starts_from_the_previous_one(builds):
    """Pagefind writes only the files of what changed: the rest of the group's index are the previous
    output's files (now the spare), linked; and what the change made unused is gone (the output equals
    a clean build's, test_incremental_build_equals_a_clean_build)."""
    out = builds["out"]
    spare = out.with_name(f".{out.name}.spare")
    name = next(n for n, members in index.parts([p.name for p in builds["regions"].iterdir() if p.is_dir()]).items()
                if CHANGED in members)
    now, before = out / index.PARTS / name / "fragment", spare / index.PARTS / name / "fragment"
    shared = [f for f in now.iterdir() if (before / f.name).exists() and (before / f.name).samefile(f)]
    new = [f.name for f in now.iterdir() if not (before / f.name).exists()]
    assert len(shared) > len(new) >= 1, (len(shared), new)


def _tiny_site(site: Path, texts: dict[str, str]) -> Path:
    for page, text in texts.items():
        (site / page).mkdir(parents=True, exist_ok=True)
        (site / page / "index.html").write_text(f'<!doctype html><html lang="nl"><head><title>{page}</title></head>'
                                                f'<body><main data-pagefind-body><p>{text}</p></main></body></html>',
                                                encoding="utf-8")
    return site


def _part(site: Path, out: Path, name: str, seed_from: Path | None = None) -> Path:
    if seed_from is not None:
        assert index.seed_part(seed_from, out / index.PARTS / name)
    subprocess.run(index.part_command(site, out, name, ["a", "b", "c"]), check=True)
    index.trim_merged(out / index.PARTS / name)
    return out / index.PARTS / name


def test_a_seeded_group_index_is_pruned_to_a_fresh_ones_files(tmp_path):
    texts = {"a": "vergadering van het algemeen bestuur", "b": "zienswijze van de gemeenteraad", "c": "begroting"}
    first = _part(_tiny_site(tmp_path / "v1", texts), tmp_path / "eerst", "deel-1")
    site = _tiny_site(tmp_path / "v2", {**texts, "b": "zienswijzen van de raden over de jaarrekening"})
    seeded = _part(site, tmp_path / "opnieuw", "deel-1", seed_from=first)
    assert (seeded / "fragment").is_dir() and len(list((seeded / "fragment").iterdir())) == 4  # one left over
    assert index.prune(seeded, first)
    assert _hashes(seeded) == _hashes(_part(site, tmp_path / "vers", "deel-1"))

    # A file written in this run that the index does not name: the index is not what prune can
    # read, so nothing is removed and the build makes the index again from nothing.
    stray = seeded / "fragment" / "nl_0123abc.pf_fragment"
    stray.write_bytes(b"")
    assert not index.prune(seeded, first) and stray.exists()
    stray.unlink()
    # An index of another Pagefind version may have other bytes under the same names.
    entry = json.loads((first / "pagefind-entry.json").read_text(encoding="utf-8"))
    (first / "pagefind-entry.json").write_text(json.dumps({**entry, "version": "0.9.0"}), encoding="utf-8")
    assert not index.prune(seeded, first)
    (first / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    assert index.prune(seeded, first)
    meta = next(seeded.glob("*.pf_meta"))
    meta.unlink()
    meta.write_bytes(b"kapot")
    assert not index.prune(seeded, first)


# A Pagefind whose group indexes hold a file their index does not name: leftovers govsite cannot tell
# apart from a seeded index's.
_UNNAMED_FILE = """case "$out" in
    */{parts}/*) rm -f "$out/fragment/nl_0123abc.pf_fragment"; : > "$out/fragment/nl_0123abc.pf_fragment" ;;
esac
"""


def test_a_group_index_that_cannot_be_pruned_is_made_from_nothing(tmp_path):
    """If the previous index's leftovers cannot be told apart (another Pagefind format), the build
    makes the group's index again in an empty folder: still a clean build's. Built by the command,
    in processes of their own, with that other Pagefind."""
    env = {**os.environ, **other_pagefind(tmp_path, _UNNAMED_FILE.replace("{parts}", index.PARTS)),
           "GOVSITE_CACHE": str(tmp_path / "cache")}
    regions = shutil.copytree(PROJECT / "examples", tmp_path / "regions", ignore=shutil.ignore_patterns(".*"))
    out = tmp_path / "out"

    def govsite_build(target: Path, *options: str) -> dict:
        timings = tmp_path / "timings.json"
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--regions", str(regions), "--out",
                               str(target), "--as-of", AS_OF.isoformat(), "--timings", str(timings), *options],
                              cwd=PROJECT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(timings.read_text(encoding="utf-8"))

    govsite_build(out, "--jobs", "2")
    _change_a_decision(regions)
    timings = govsite_build(out, "--jobs", "2")
    assert len(timings["search_parts"]["built"]) == 1, timings
    fragments = list((out / timings["search_parts"]["built"][0] / "fragment").iterdir())
    assert len(fragments) > 1 and all(f.stat().st_nlink == 1 for f in fragments)  # written anew, none linked
    assert govsite_build(tmp_path / "schoon", "--jobs", "1")["reused"] == 0
    assert _hashes(out) == _hashes(tmp_path / "schoon")


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parts[-2] != "pagefind")


def test_changed_regions_are_built_first(builds):
    """In a rebuild the regions whose files changed start first, then the other regions of their search
    group (its index waits for all of them), then the portal; in a first build the portal, the largest
    site, does (the order itself: tests/test_engine.py)."""
    from generator.build import BuildOptions as Options
    from generator.engine import run
    from generator.site import planner

    regions = check(builds["regions"], None, AS_OF).regions
    specs = planner.plan(regions, Options(out=builds["out"], on=AS_OF), lambda region: {}, {})
    groups = index.parts([s.name for s in specs if s.searchable])
    assert specs[0].folder == "" and not specs[0].searchable  # the portal: the root site
    assert [s.name for s in specs[1:]] == [r.id for r in regions] and all(s.searchable for s in specs[1:])
    assert run.order(specs, groups, {s.name for s in specs})[0] == 0
    changed = specs[1].name
    group = next(members for members in groups.values() if changed in members)
    rebuild = run.order(specs, groups, {changed})
    assert rebuild[0] == 1 and rebuild[len(group)] == 0


def test_pagefind_is_found_as_its_module_finds_it_without_importing_it(monkeypatch):
    """The binary itself (a Python start per index would cost more than indexing a region), found
    without importing pagefind's service module and the asyncio it brings; PAGEFIND_BINARY_PATH wins."""
    code = ("import sys; from generator.engine import index; print(index._executable()[0]); "
            "print('pagefind.service' in sys.modules, 'asyncio' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "PAGEFIND_BINARY_PATH"}
    found, imported = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                     check=True).stdout.split("\n")[:2]
    assert Path(found).is_file() and os.access(found, os.X_OK) and Path(found).name.startswith("pagefind")
    assert imported == "False False"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")
    index._executable.cache_clear()
    try:
        assert index._executable() == ["/opt/pagefind"]
    finally:
        index._executable.cache_clear()


def test_search_groups_are_few_and_even():
    ids = [f"regio-{n:02d}" for n in range(42)]
    groups = index.parts(list(reversed(ids)))
    assert len(groups) == 7  # about the square root: few downloads per search, little to re-index
    assert [r for members in groups.values() for r in members] == ids  # every region once, in order
    assert {len(members) for members in groups.values()} == {6}
    assert {len(m) for m in index.parts(ids[:40]).values()} == {5, 6}  # sizes differ by one at most
    assert index.parts(["een"]) == {"deel-1": ["een"]}
    assert index.parts([]) == {}


def test_a_build_without_changes_reuses_every_site_and_the_portal_index(builds, tmp_path):
    out = builds["root"] / "clean"
    before = _hashes(out)
    unchanged = _build(builds["regions"], out, jobs=2)
    assert unchanged.timings["built"] == []
    assert _hashes(out) == before


def test_the_cold_build_built_everything(builds):
    timings = builds["cold"].timings
    assert timings["reused"] == 0
    assert len(timings["built"]) == timings["sites"] == 1 + len([p for p in builds["regions"].iterdir() if p.is_dir()])


def test_unused_theme_files_and_the_dated_sitemap_are_left_out(builds):
    out = builds["out"]
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    for site in [out, *(out / p.name for p in builds["regions"].iterdir() if p.is_dir())]:
        assert not (site / "sitemap.xml.gz").exists()  # it carries the build time: not reproducible
        assert not (site / "assets" / "javascripts" / "lunr").exists()  # Material's own search: not used
        assert not list(site.glob("assets/**/*.map"))  # source maps: for developer tools only
        assert list(site.glob("assets/javascripts/bundle.*.min.js"))
        assert (site / "pagefind" / "pagefind-entry.json").is_file()
        # What the search page loads (theme/overrides/assets/govsite.js), and no more:
        assert all((site / "pagefind" / name).is_file() for name in ("pagefind.js", "pagefind-worker.js",
                                                                     "wasm.nl.pagefind"))
        assert not [name for name in index.UNUSED_FILES if (site / "pagefind" / name).exists()]
        assert (site / "assets" / "stylesheets").is_dir()


def test_a_failing_build_leaves_output_and_cache_untouched(builds):
    out = builds["out"]
    before = _hashes(out)
    manifest = cache.manifest_path(cache.cache_folder(out)).read_text(encoding="utf-8")
    (builds["regions"] / CHANGED / "decisions.yaml").write_text(
        (builds["regions"] / CHANGED / "decisions.yaml").read_text(encoding="utf-8").replace(
            "(gewijzigd)", "(nogmaals gewijzigd)"), encoding="utf-8")

    # A setting MkDocs does not know: it warns, which fails the build (in the workers; failing builders: test_engine.py).
    shared = builds["regions"].parent
    broken = shared / "kapot.yml"
    broken.write_text((shared / "mkdocs.yml").read_text(encoding="utf-8") + "\nonbekende_instelling: 1\n",
                      encoding="utf-8")
    checked = check(builds["regions"], None, AS_OF)
    with pytest.raises(BuildError, match="MkDocs meldt problemen"):
        build(checked.regions, BuildOptions(out=out, on=AS_OF, config=broken, content=shared / "content", jobs=2),
              page_dates(builds["regions"]))
    broken.unlink()
    assert _hashes(out) == before
    assert cache.manifest_path(cache.cache_folder(out)).read_text(encoding="utf-8") == manifest
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.building-")]


def test_a_site_edited_by_hand_is_built_again(builds):
    """A site is reused only while its files are as the last build left them (cache.fingerprint)."""
    out = builds["out"]
    page = out / CHANGED / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- met de hand -->", encoding="utf-8")
    timings = _build(builds["regions"], out, jobs=2).timings
    assert timings["built"] == [CHANGED]
    assert "met de hand" not in page.read_text(encoding="utf-8")
    assert _build(builds["regions"], out, jobs=2).timings["built"] == []


def test_search_copies_are_kept_and_the_previous_output_is_the_spare(builds):
    """The copies of the pages that Pagefind reads are kept between builds and made again only for a
    site that changed; the previous output is kept as the spare, and nothing else is left."""
    out = builds["out"]
    pages = cache.cache_folder(out) / "search"
    before = {p: p.stat().st_mtime_ns for p in pages.rglob("*.html")}
    assert {p.relative_to(pages).parts[0] for p in before} >= {CHANGED, "_portaal"}
    decisions = builds["regions"] / CHANGED / "decisions.yaml"
    decisions.write_text(decisions.read_text(encoding="utf-8").replace(builds["topic"], builds["topic"] + " (weer)", 1),
                         encoding="utf-8")
    _build(builds["regions"], out, jobs=2)
    after = {p: p.stat().st_mtime_ns for p in pages.rglob("*.html")}
    remade = {p.relative_to(pages).parts[0] for p in before if after.get(p) != before[p]}
    assert remade == {CHANGED}
    assert "(weer)" in (pages / CHANGED / "besluitvorming" / "index.html").read_text(encoding="utf-8")
    deadline = time.monotonic() + 20
    trash = cache.trash_folder(out)  # made when something is deleted
    while trash.is_dir() and any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not trash.is_dir() or not any(trash.iterdir())
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p != trash] \
        == [f".{out.name}.spare"]


def test_a_build_empties_what_an_earlier_deletion_left_in_the_trash(builds):
    """Deleting happens in the background; what a killed deletion left, the next build removes, also
    when that build has nothing of its own to delete (the previous output becomes the spare)."""
    out = builds["out"]
    trash = cache.trash_folder(out)
    left = trash / "onderbroken"
    (left / "map").mkdir(parents=True)
    (left / "map" / "index.html").write_text("oud", encoding="utf-8")
    assert _build(builds["regions"], out, jobs=2).timings["built"] == []
    deadline = time.monotonic() + 20
    while left.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left.exists()


def test_builds_that_start_from_the_spare_equal_clean_builds(builds, tmp_path):
    """Each build starts from the output before the previous one (the spare) and replaces only what
    differs, a site built again in the spare's folders. Changing a region, changing it back, and a file
    of the spare edited by hand: every time the output is exactly a clean build's, folders included."""
    out, regions = builds["out"], builds["regions"]
    spare = out.with_name(f".{out.name}.spare")
    decisions = regions / CHANGED / "decisions.yaml"
    original = decisions.read_text(encoding="utf-8")
    other = next(p.name for p in sorted(regions.iterdir()) if p.is_dir() and p.name != CHANGED)
    try:
        for step, text in enumerate([original.replace(builds["topic"], builds["topic"] + " (stap)", 1),
                                     original, original.replace(builds["topic"], builds["topic"] + " (stap)", 1)]):
            decisions.write_text(text, encoding="utf-8")
            if step == 2:  # an unchanged region's page in the spare, edited: it must not come back
                page = spare / other / "index.html"
                text = page.read_text(encoding="utf-8")
                page.unlink()  # a file of its own: the spare shares the unchanged sites' files with the output
                page.write_text(text + "<!-- met de hand -->", encoding="utf-8")
            kept = _folders(spare / CHANGED) if spare.is_dir() else {}
            timings = _build(regions, out, jobs=2).timings
            # Only the changed region, if the spare does not hold it as it is now (after a change back, it does).
            assert set(timings["built"]) <= {CHANGED} and timings["from_spare"] > 0, timings
            if timings["built"] and kept:  # its pages built in the spare's folders of the site, not in new ones
                now = _folders(out / CHANGED)
                pages = [f for f in kept.keys() & now.keys() if (out / CHANGED / f / "index.html").is_file()]
                assert pages and all(now[f] == kept[f] for f in pages)
            clean = tmp_path / f"schoon-{step}"
            _build(regions, clean, jobs=1, incremental=False)
            mine, theirs = _hashes(out), _hashes(clean)
            assert mine.keys() == theirs.keys()
            assert [name for name in mine if mine[name] != theirs[name]] == [], step
            assert _folders(out).keys() == _folders(clean).keys(), step
    finally:
        decisions.write_text(original, encoding="utf-8")


# --- the cache itself, without building ------------------------------------------------------------

def test_the_manifest_round_trips(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    keys = {"": {"inputs": "a", "output": "b", "fingerprint": "c"},
            "regio": {"inputs": "d", "output": "e", "fingerprint": "f", "files": "g", "pages": {"index.md": "h"}}}
    path = cache.manifest_path(cache.cache_folder(out))
    cache.write_manifest(path, keys)
    assert cache.read_manifest(path) == keys
    assert not cache.inside(path, tmp_path)  # never beside the site (nor published with it)


def test_the_fingerprint_follows_the_files(tmp_path):
    """An output folder restored from a CI cache (times kept) is the same; a file edited by hand is not."""
    site = tmp_path / "site"
    (site / "regio").mkdir(parents=True)
    (site / "regio" / "index.html").write_text("<p>hallo</p>", encoding="utf-8")
    (site / "index.html").write_text("<p>portaal</p>", encoding="utf-8")
    first = cache.fingerprint(site)
    shutil.copytree(site, tmp_path / "restored")  # copy2: the files keep their times
    assert cache.fingerprint(tmp_path / "restored") == first
    portal = cache.fingerprint(site, {"regio"})
    (site / "regio" / "index.html").write_text("<p>hallo!</p>", encoding="utf-8")
    assert cache.fingerprint(site) != first
    assert cache.fingerprint(site, {"regio"}) == portal  # what is skipped does not count


def test_a_broken_manifest_means_a_full_build(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    path = cache.manifest_path(cache.cache_folder(out))
    path.parent.mkdir(parents=True)
    path.write_text("{niet json", encoding="utf-8")
    assert cache.read_manifest(path) == {}


def test_the_shared_key_covers_theme_configuration_and_options(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "site.css").write_text("a {}", encoding="utf-8")
    first = cache.shared_key(config, theme, {"on": AS_OF})
    assert cache.shared_key(config, theme, {"on": AS_OF}) == first
    (theme / "assets" / "site.css").write_text("a { color: red }", encoding="utf-8")
    changed_theme = cache.shared_key(config, theme, {"on": AS_OF})
    assert changed_theme != first
    config.write_text("site_name: y\n", encoding="utf-8")
    assert cache.shared_key(config, theme, {"on": AS_OF}) != changed_theme
    assert cache.shared_key(config, theme, {"on": dt.date(2027, 1, 1)}) != cache.shared_key(config, theme, {"on": AS_OF})


def test_the_site_key_covers_pages_navigation_and_published_sources(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Hallo\n", encoding="utf-8")
    source = tmp_path / "region.yaml"
    source.write_text("id: x\n", encoding="utf-8")
    key = cache.site_key("s", "Naam", [{"Overzicht": "index.md"}], {"a": 1}, docs, {"region": source})
    same = cache.site_key("s", "Naam", [{"Overzicht": "index.md"}], {"a": 1}, docs, {"region": source})
    assert key == same
    assert cache.site_key("s", "Naam", [{"Start": "index.md"}], {"a": 1}, docs, {"region": source}) != key
    assert cache.site_key("t", "Naam", [{"Overzicht": "index.md"}], {"a": 1}, docs, {"region": source}) != key
    source.write_text("id: y\n", encoding="utf-8")
    assert cache.site_key("s", "Naam", [{"Overzicht": "index.md"}], {"a": 1}, docs, {"region": source}) != key
    (docs / "index.md").write_text("# Dag\n", encoding="utf-8")
    assert cache.site_key("s", "Naam", [{"Overzicht": "index.md"}], {"a": 1}, docs) != \
        cache.site_key("s", "Naam", [{"Overzicht": "index.md"}], {"a": 1}, tmp_path / "missing")



def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                if entry.isdigit() and int(f.read().rsplit(b")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker clean-up uses Linux's PR_SET_PDEATHSIG")
def test_killing_a_build_ends_its_workers(regions, tmp_path):
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--regions", str(regions.root),
                              "--out", str(tmp_path / "site"), "--as-of", "2026-11-26", "--jobs", "2"],
                             cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and build.poll() is None:
            workers = [pid for pid in _children(build.pid) if _alive(pid)]
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its workers"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived their killed build"
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()


# --- compiled templates ------------------------------------------------------------------------

def _compiled_folder(package: Path, build_cache: Path, bytecode: bool = True) -> Path:
    """Where govsite installed at package keeps its compiled templates (render.compiled_folder), asked
    in a process of its own, with Python allowed to write bytecode or not (PYTHONDONTWRITEBYTECODE)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    script = ("import sys; from pathlib import Path; from generator.site import render;"
              "assert Path(render.__file__).resolve().is_relative_to(Path(sys.argv[2]).resolve());"
              "print(render.compiled_folder(Path(sys.argv[1])))")
    done = subprocess.run([sys.executable, "-P", "-c", script, str(build_cache), str(package)], cwd="/",
                          env={**env, "PYTHONPATH": str(package)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


_installed_copy = package_copy


def test_compiled_templates_are_kept_beside_the_templates_as_python_keeps_pyc(tmp_path):
    package = _installed_copy(tmp_path / "installed")
    templates = package / "generator" / "site" / "templates"
    assert _compiled_folder(package, tmp_path / "cache") == templates / "__pycache__"
    # Python told not to write bytecode: nothing is written beside the program
    other = _installed_copy(tmp_path / "other")
    assert _compiled_folder(other, tmp_path / "cache", bytecode=False) == tmp_path / "cache"
    assert not (other / "generator" / "site" / "templates" / "__pycache__").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file modes and attributes of Linux")
def test_compiled_templates_of_a_read_only_installation_go_to_the_build_cache(tmp_path):
    """An installation whose folders the user cannot write (a package installed by root)."""
    package = _installed_copy(tmp_path / "read-only")
    folder = package / "generator" / "site" / "templates" / "__pycache__"  # as an installer may leave it
    folder.mkdir()
    # Root may write anywhere, except into a folder marked immutable; anyone else not into a folder
    # without write permission.
    locked = ["chattr", "+i", str(folder)] if os.geteuid() == 0 else None
    try:
        if locked:
            if subprocess.run(locked, capture_output=True).returncode != 0:
                pytest.skip("chattr +i is not possible here")
        else:
            folder.chmod(0o555)
        assert not os.access(folder, os.W_OK)
        assert _compiled_folder(package, tmp_path / "cache") == tmp_path / "cache"
    finally:
        if locked:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)

    # A file where the folder would be: the build cache, too.
    package = _installed_copy(tmp_path / "blocked")
    (package / "generator" / "site" / "templates" / "__pycache__").write_text("not a folder", encoding="utf-8")
    assert _compiled_folder(package, tmp_path / "cache") == tmp_path / "cache"


def test_a_change_the_portal_does_not_show_does_not_render_the_portal(tmp_path, monkeypatch):
    """Who decides what is not on the portal (render.PORTAL_SOURCES): after such a change the portal
    is not rendered again, and the output is still what a clean build makes."""
    from generator.site import render

    regions = _project_copy(tmp_path)
    _build(regions, tmp_path / "out", jobs=1)
    # Kept as a spy (issue 16): that the portal is not even rendered shows in nothing the build
    # gives out (a portal rendered to the same Markdown is reused all the same, and its timings list
    # it as reused); render_portal is a public function of render, not a private name.
    rendered = []
    original = render.render_portal
    monkeypatch.setattr(render, "render_portal",
                        lambda *args, **kwargs: rendered.append(args) or original(*args, **kwargs))

    _change_a_decision(regions)
    _build(regions, tmp_path / "out", jobs=1)
    assert rendered == []
    # A file the portal does show: rendered again
    organisation = regions / CHANGED / "organisation.yaml"
    organisation.write_text(organisation.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _build(regions, tmp_path / "out", jobs=1)
    assert len(rendered) == 1
    _build(regions, tmp_path / "clean", jobs=1, incremental=False)
    assert _hashes(tmp_path / "out") == _hashes(tmp_path / "clean")
