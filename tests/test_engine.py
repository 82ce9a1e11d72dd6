"""The build engine through its own API (engine/run.py), with fake sites and a fake builder: it knows
no regions and no MkDocs, so anything that renders Markdown and anything that turns it into HTML will do."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.engine import cache, publish, run, workers
from generator.engine.spec import (BuildError, Built, EngineOptions, Inputs, Previous, Rendered, SiteSpec)
from engine_fakes import PAGE, fake_builder


def failing_builder(site: Rendered, target: Path, previous: Previous) -> Built:
    raise BuildError(f"kapot: {site.name}")


def spec(name: str, source: Path, folder: str | None = None, searchable: bool = True,
         fail_render: bool = False) -> SiteSpec:
    def inputs() -> Inputs:
        return Inputs({"source": source}, [name])

    def render(docs: Path) -> Rendered:
        if fail_render:
            raise BuildError(f"render kapot: {name}")
        docs.mkdir(parents=True, exist_ok=True)
        (docs / "index.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        (docs / "over.md").write_text(f"Over {name}", encoding="utf-8")
        return Rendered(name.title(), docs, ["index.md", "over.md"], {"site": name})

    return SiteSpec(name, name if folder is None else folder, inputs, render, publish={"bron/bron.txt": source},
                    watch=cache.files_key({"source": source}), searchable=searchable)


@pytest.fixture
def project(tmp_path):
    sources = tmp_path / "bronnen"
    sources.mkdir()
    for name in ("alfa", "beta", "gamma", "thuis"):
        (sources / f"{name}.txt").write_text(f"Tekst van {name}", encoding="utf-8")
    return tmp_path


def specs(project: Path, **overrides) -> list[SiteSpec]:
    sources = project / "bronnen"
    return [spec("thuis", sources / "thuis.txt", folder="", searchable=False, **overrides.get("thuis", {})),
            *(spec(name, sources / f"{name}.txt", **overrides.get(name, {})) for name in ("alfa", "beta", "gamma"))]


def options(project: Path, out: str = "site", **kwargs) -> EngineOptions:
    config = project / "config.yml"
    config.write_text("instelling: 1\n", encoding="utf-8")
    return EngineOptions(out=project / out, cache=project / f"cache-{out}", config=config, theme=None,
                         settings={"taal": "nl"}, **kwargs)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")
                  and p.name not in {f".{out.name}.spare", f".{out.name}.trash"})


def test_a_first_build_builds_every_site_with_the_root_site_around_the_others(project):
    summary = run.build(specs(project), options(project, jobs=1), fake_builder)
    out = project / "site"
    assert summary["built"] == ["alfa", "beta", "gamma", "thuis"]
    assert "Tekst van thuis" in (out / "index.html").read_text(encoding="utf-8")
    assert "Tekst van alfa" in (out / "alfa" / "index.html").read_text(encoding="utf-8")
    assert (out / "alfa" / "bron" / "bron.txt").read_text(encoding="utf-8") == "Tekst van alfa"
    assert (out / "pagefind").is_dir() and (out / "alfa" / "pagefind").is_dir()  # every site's own search
    assert not (out / ".govsite-root").exists() and leftovers(out) == []


def test_a_second_build_reuses_everything(project):
    run.build(specs(project), options(project, jobs=1), fake_builder)
    before = files(project / "site")
    summary = run.build(specs(project), options(project, jobs=1), fake_builder)
    assert summary["built"] == [] and summary["reused"] == 4
    assert summary["search_parts"]["built"] == []
    assert files(project / "site") == before


def test_a_changed_input_builds_only_that_site_and_its_search_group(project):
    run.build(specs(project), options(project, jobs=2), fake_builder)
    (project / "bronnen" / "beta.txt").write_text("Nieuwe tekst van beta", encoding="utf-8")
    summary = run.build(specs(project), options(project, jobs=2), fake_builder)
    assert summary["built"] == ["beta"]
    # Its group's index, and the search vocabulary: "Nieuwe" is a word no page had (engine/words.py).
    assert summary["search_parts"]["built"] == ["zoekindex/deel-1", "zoekindex/woordenlijst"]
    out = project / "site"
    assert "Nieuwe tekst" in (out / "beta" / "index.html").read_text(encoding="utf-8")
    assert "Tekst van thuis" in (out / "index.html").read_text(encoding="utf-8")  # the root site kept its files
    run.build(specs(project), options(project, "clean", jobs=2, incremental=False), fake_builder)
    assert files(out) == files(project / "clean")


def test_a_changed_root_site_keeps_the_sites_inside_it(project):
    run.build(specs(project), options(project, jobs=1), fake_builder)
    alfa = files(project / "site" / "alfa")
    (project / "bronnen" / "thuis.txt").write_text("Andere tekst van thuis", encoding="utf-8")
    summary = run.build(specs(project), options(project, jobs=1), fake_builder)
    assert summary["built"] == ["thuis"]
    assert "Andere tekst" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert files(project / "site" / "alfa") == alfa


def test_one_worker_and_two_give_the_same_output(project):
    run.build(specs(project), options(project, "een", jobs=1), fake_builder)
    run.build(specs(project), options(project, "twee", jobs=2), fake_builder)
    assert files(project / "een") == files(project / "twee")


def test_the_third_build_starts_from_the_spare(project):
    run.build(specs(project), options(project, jobs=2), fake_builder)
    (project / "bronnen" / "alfa.txt").write_text("Tweede tekst", encoding="utf-8")
    run.build(specs(project), options(project, jobs=2), fake_builder)
    assert (project / ".site.spare").is_dir()
    (project / "bronnen" / "alfa.txt").write_text("Derde tekst", encoding="utf-8")
    summary = run.build(specs(project), options(project, jobs=2), fake_builder)
    assert summary["built"] == ["alfa"] and summary["from_spare"] >= 3
    run.build(specs(project), options(project, "clean", jobs=2, incremental=False), fake_builder)
    assert files(project / "site") == files(project / "clean")


def folders(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def test_a_site_built_again_from_the_spare_is_built_in_its_folders_and_keeps_none_it_no_longer_needs(project):
    """A changed site is built where the spare has it: in the spare's folders (making a folder costs a file
    system far more than a file), without any of the spare's files, and without the folders it no longer
    needs. The root site too, whose place is aside until the end."""
    sources = project / "bronnen"

    def paged(name: str, folder: str) -> SiteSpec:  # a page per path named in the source file
        def inputs() -> Inputs:
            return Inputs({"source": sources / f"{name}.txt"}, [name])

        def render(docs: Path) -> Rendered:
            for page in (sources / f"{name}.txt").read_text(encoding="utf-8").split():
                (docs / page).parent.mkdir(parents=True, exist_ok=True)
                (docs / page).write_text(f"{name} {page}", encoding="utf-8")
            return Rendered(name, docs, [], {})

        return SiteSpec(name, folder, inputs, render, searchable=bool(folder))

    plan = [paged("thuis", ""), paged("alfa", "alfa")]
    for step, pages in enumerate(["index.md a/b/een.md c/twee.md", "index.md a/b/een.md d/drie.md",
                                  "index.md a/b/vier.md"]):
        for name in ("thuis", "alfa"):
            (sources / f"{name}.txt").write_text(pages, encoding="utf-8")
        if step == 2:  # the spare is the first build's output
            spare = project / ".site.spare"
            kept = {path: (spare / path).stat().st_ino for path in ("a/b", "alfa/a/b")}
        summary = run.build(plan, options(project, jobs=2), fake_builder)
        assert summary["built"] == ["alfa", "thuis"]
    out = project / "site"
    assert {path: (out / path).stat().st_ino for path in kept} == kept
    assert "c" not in folders(out) and "alfa/c" not in folders(out)
    run.build(plan, options(project, "clean", jobs=2, incremental=False), fake_builder)
    assert files(out) == files(project / "clean") and folders(out) == folders(project / "clean")


def test_the_search_groups_cover_the_searchable_sites(project):
    run.build(specs(project), options(project, jobs=1), fake_builder)
    zoekindex = project / "site" / "zoekindex"
    groups = sorted(p.name for p in zoekindex.iterdir() if p.is_dir())
    assert groups and all((zoekindex / name / "pagefind-entry.json").is_file() for name in groups)
    assert (zoekindex / "delen.json").is_file()
    copies = sorted(p.name for p in (project / "cache-site" / "search").iterdir())
    assert copies == ["alfa", "beta", "gamma", "thuis"]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("where", ["render", "builder", "publish"])
def test_a_failing_site_leaves_the_previous_output_and_manifest_untouched(project, where, jobs):
    run.build(specs(project), options(project, jobs=jobs), fake_builder)
    out = project / "site"
    before = files(out)
    manifest = cache.manifest_path(project / "cache-site").read_bytes()
    (project / "bronnen" / "beta.txt").write_text("Nieuwe tekst van beta", encoding="utf-8")
    plan, builder = specs(project), fake_builder
    if where == "render":
        plan = specs(project, beta={"fail_render": True})
    elif where == "builder":
        builder = failing_builder
    else:  # a file to publish that is not there
        plan[2] = SiteSpec(plan[2].name, plan[2].folder, plan[2].inputs, plan[2].render,
                           publish={"bron/weg.txt": project / "weg.txt"}, searchable=True)
    with pytest.raises((BuildError, OSError)):
        run.build(plan, options(project, jobs=jobs), builder)
    assert files(out) == before
    assert cache.manifest_path(project / "cache-site").read_bytes() == manifest
    assert leftovers(out) == []


def test_sites_must_have_names_and_folders_of_their_own(project):
    sources = project / "bronnen"
    with pytest.raises(ValueError):
        run.build([spec("alfa", sources / "alfa.txt"), spec("alfa", sources / "beta.txt", folder="b")],
                  options(project), fake_builder)
    with pytest.raises(ValueError):
        run.build([spec("alfa", sources / "alfa.txt", folder="x/../.."),], options(project), fake_builder)


def test_changed_sites_are_built_first():
    """In a rebuild the sites whose files changed start first, then the other sites of their search group
    (its index waits for all of them), then the sites outside the groups; in a first build those do."""
    sites = [SiteSpec("thuis", "", None, None)] + [SiteSpec(f"s{n}", f"s{n}", None, None, searchable=True)
                                                   for n in range(6)]
    from generator.engine import index

    groups = index.parts([s.name for s in sites[1:]])
    group = next(members for members in groups.values() if "s3" in members)
    rebuild = run.order(sites, groups, {"s3"})
    assert rebuild[0] == 4 and sorted(rebuild) == list(range(7))
    assert {sites[i].name for i in rebuild[1:len(group)]} == set(group) - {"s3"}
    assert rebuild[len(group)] == 0
    first = run.order(sites, groups, {s.name for s in sites})
    assert first[0] == 0 and sorted(first) == list(range(7))


def test_workers_default_to_the_cores_and_never_exceed_the_sites():
    assert workers.count(None, 100) == workers.cores()
    assert workers.count(8, 3) == 3
    assert workers.count(1, 50) == 1


def test_a_swap_without_exchange_is_recovered(tmp_path):
    """Where two folders cannot be exchanged atomically, out is renamed away first; a build killed in
    that moment leaves .<out>.old-<pid>, which the next build (recover) restores."""
    out, work = tmp_path / "site", tmp_path / "werk"
    out.mkdir()
    (out / "index.html").write_text("oud", encoding="utf-8")
    work.mkdir()
    (work / "index.html").write_text("nieuw", encoding="utf-8")
    old = publish.swap(work, out, atomic=False)
    assert (out / "index.html").read_text(encoding="utf-8") == "nieuw"
    assert old is not None and (old / "index.html").read_text(encoding="utf-8") == "oud"
    out.rename(tmp_path / "weg")
    stale = out.with_name(f".{out.name}.old-999999999")
    old.rename(stale)
    publish.recover(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "oud" and not stale.exists()


def test_the_mkdocs_adapter_builds_a_rendered_site(project):
    """The real builder: a site of two pages with MkDocs and Material, and its pages reused next time."""
    from generator.site.mkdocs_adapter import MKDOCS_YML, MkDocs

    builder = MkDocs(MKDOCS_YML, None, None)
    engine = EngineOptions(out=project / "site", cache=project / "cache", config=MKDOCS_YML, theme=None,
                           settings={}, jobs=1)
    plan = specs(project)[1:2]
    run.build(plan, engine, builder)
    page = (project / "site" / "alfa" / "index.html").read_text(encoding="utf-8")
    assert "Tekst van alfa" in page and 'lang="nl"' in page
    (project / "bronnen" / "alfa.txt").write_text("Andere tekst van alfa", encoding="utf-8")
    summary = run.build(specs(project)[1:2], engine, builder)
    assert summary["built"] == ["alfa"] and summary["pages"] == {"built": 1, "reused": 1}
    assert "Andere tekst" in (project / "site" / "alfa" / "index.html").read_text(encoding="utf-8")


def root_spec(project: Path, pages: int) -> SiteSpec:
    """A root site of many pages: the last page's text is the source file's, the others are fixed."""
    source = project / "bronnen" / "thuis.txt"

    def render(docs: Path) -> Rendered:
        docs.mkdir(parents=True, exist_ok=True)
        for number in range(pages):
            text = source.read_text(encoding="utf-8") if number == pages - 1 else f"Pagina {number} van thuis"
            (docs / f"pagina-{number:02d}.md").write_text(text, encoding="utf-8")
        return Rendered("Thuis", docs, [], {"site": "thuis"})

    return SiteSpec("thuis", "", lambda: Inputs({"source": source}, ["thuis", pages]), render)


def page_count(bundle: Path) -> int:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]["nl"]["page_count"]


def test_the_root_sites_pages_are_searched_in_groups_and_a_change_reindexes_its_group_only(project):
    from generator.engine import index

    plan = [root_spec(project, 40), *specs(project)[1:]]
    run.build(plan, options(project, jobs=2), fake_builder)
    out = project / "site"
    groups = index.page_groups([f"pagina-{n:02d}.html" for n in range(40)])
    assert [len(group) for group in groups] == [20, 20]
    # The root's own bundle: the first group, and what the search page loads; the others merged.
    assert page_count(out / "pagefind") == 20 and page_count(out / "zoekindex" / "hoofd-1") == 20
    loaded = ("pagefind.js", "pagefind-worker.js", "wasm.nl.pagefind")  # by the search page (govsite.js)
    assert all((out / "pagefind" / name).is_file() for name in loaded)
    assert not [name for name in index.UNUSED_FILES if (out / "pagefind" / name).exists()]
    assert not [name for name in loaded if (out / "zoekindex" / "hoofd-1" / name).exists()]
    listed = json.loads((out / "zoekindex" / "delen.json").read_text(encoding="utf-8"))["delen"]
    assert listed[0] == "zoekindex/hoofd-1/" and len(listed) == 1 + len(index.parts(["alfa", "beta", "gamma"]))

    (project / "bronnen" / "thuis.txt").write_text("thuis van Tekst", encoding="utf-8")  # no new word
    summary = run.build(plan, options(project, jobs=2), fake_builder)
    assert summary["built"] == ["thuis"]
    # The last page's group, not the first; the search vocabulary holds the same words, so it is kept.
    assert summary["search_parts"]["built"] == ["zoekindex/hoofd-1"]
    run.build(plan, options(project, "clean", jobs=1, incremental=False), fake_builder)
    assert files(out) == files(project / "clean")
    copies = project / "cache-site" / "search"
    assert sorted(p.name for p in copies.iterdir()) == ["alfa", "beta", "gamma", "thuis"]  # no group links left


def test_search_copies_are_made_again_only_for_pages_that_changed(tmp_path):
    from generator.engine import index

    site, copies = tmp_path / "site", tmp_path / "kopieen"
    for name, text in {"a": "eerste", "b": "tweede", "c": "derde"}.items():
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(PAGE.format(title=name, text=text), encoding="utf-8")
    (site / "zoeken.html").write_text("<html lang='nl'><body>geen zoekindex</body></html>", encoding="utf-8")
    pages = index.copies(copies, "site", "sleutel-1", site)
    assert sorted(pages) == ["a/index.html", "b/index.html", "c/index.html"]  # the search page is not indexed
    made = {page: (copies / "site" / page).stat().st_mtime_ns for page in pages}
    assert "<!--zoekindex-->" in (copies / "site" / "b" / "index.html").read_text(encoding="utf-8")
    assert "<header" not in (copies / "site" / "b" / "index.html").read_text(encoding="utf-8")

    (site / "b" / "index.html").write_text(PAGE.format(title="b", text="nieuw"), encoding="utf-8")
    (site / "c" / "index.html").unlink()
    again = index.copies(copies, "site", "sleutel-2", site)
    assert sorted(again) == ["a/index.html", "b/index.html"] and again["a/index.html"] == pages["a/index.html"]
    assert (copies / "site" / "a" / "index.html").stat().st_mtime_ns == made["a/index.html"]
    assert "nieuw" in (copies / "site" / "b" / "index.html").read_text(encoding="utf-8")
    assert not (copies / "site" / "c" / "index.html").exists()
    # The same key: nothing is read (a page changed behind the build's back is not seen).
    (site / "a" / "index.html").write_text(PAGE.format(title="a", text="stiekem"), encoding="utf-8")
    assert index.copies(copies, "site", "sleutel-2", site) == again


def test_a_small_root_sites_pages_are_one_index_kept_while_no_page_changed(project):
    """About sqrt(pages)/4 groups (index.page_groups): one for 20 pages; made again only when the
    HTML of a page it holds changed, not whenever the root site is built."""
    plan = [root_spec(project, 20), *specs(project)[1:]]
    run.build(plan, options(project, jobs=1), fake_builder)
    out = project / "site"
    assert page_count(out / "pagefind") == 20
    assert json.loads((out / "zoekindex" / "delen.json").read_text(encoding="utf-8"))["delen"][0].startswith("zoekindex/deel-")
    (project / "bronnen" / "thuis.txt").write_text("Andere tekst van thuis", encoding="utf-8")
    summary = run.build(plan, options(project, jobs=1), fake_builder)
    assert summary["built"] == ["thuis"] and summary["search_parts"]["built"] == ["pagefind", "zoekindex/woordenlijst"]
    # Built again (other settings, so another key) with the same pages: its index is kept.
    def render(docs: Path) -> Rendered:
        return Rendered("Thuis", plan[0].render(docs).docs_dir, [], {"site": "thuis", "anders": True})

    again = [SiteSpec("thuis", "", lambda: Inputs({}, ["anders"]), render), *plan[1:]]
    summary = run.build(again, options(project, jobs=1), fake_builder)
    assert summary["built"] == ["thuis"] and summary["search_parts"]["built"] == []
    run.build(again, options(project, "clean", jobs=1, incremental=False), fake_builder)
    assert files(out) == files(project / "clean")
