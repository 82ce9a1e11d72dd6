"""The search vocabulary (engine/words.py): one small Pagefind index over every word the root site's
search merges, which the search page uses to tell a real match from Pagefind's fallback to a shorter
word in an index that lacks the search word. Built through the engine's API with fake sites (as in
tests/test_engine.py), and once through the command with a Pagefind of an unknown format."""
from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

import pytest

from generator.engine import run, words
from generator.engine.spec import BuildError, EngineOptions, Inputs, Rendered, SiteSpec
from engine_fakes import fake_builder, other_pagefind
from govsite_cli import govsite

TEXTS = {"thuis": "Welkom op het portaal (Noord-Holland), zie gemeenteNoordwijk.",
         "alfa": "Regio alfa: GM0344 en de jeugdzorg.", "beta": "Regio beta — zienswijze Ééndracht",
         "gamma": "Regio gamma over werk"}


def site(project: Path, name: str, folder: str, searchable: bool) -> SiteSpec:
    source = project / "bronnen" / f"{name}.txt"

    def render(docs: Path) -> Rendered:
        docs.mkdir(parents=True, exist_ok=True)
        (docs / "index.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        return Rendered(name.title(), docs, ["index.md"], {"site": name})

    return SiteSpec(name, folder, lambda: Inputs({"source": source}, [name]), render, searchable=searchable)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "bronnen").mkdir()
    for name, text in TEXTS.items():
        (tmp_path / "bronnen" / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "config.yml").write_text("instelling: 1\n", encoding="utf-8")
    return tmp_path


def plan(project: Path, regions: tuple[str, ...] = ("alfa", "beta", "gamma")) -> list[SiteSpec]:
    return [site(project, "thuis", "", False), *(site(project, name, name, True) for name in regions)]


def build(project: Path, out: str = "site", specs: list[SiteSpec] | None = None, **kwargs) -> dict:
    options = EngineOptions(out=project / out, cache=project / f"cache-{out}", config=project / "config.yml",
                            theme=None, settings={}, jobs=1, **kwargs)
    return run.build(specs or plan(project), options, fake_builder)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def listed(out: Path) -> dict:
    return json.loads((out / "zoekindex" / "delen.json").read_text(encoding="utf-8"))


def vocabulary(out: Path) -> set[str]:
    """The words on the vocabulary's pages, as Pagefind indexed them."""
    return words.bundle_words(out / listed(out)["woordenlijst"])


def test_the_vocabulary_holds_every_word_of_every_merged_bundle_as_written(project):
    build(project)
    out = project / "site"
    merged = listed(out)
    assert merged["woordenlijst"] == "zoekindex/woordenlijst/" and merged["delen"]
    found = vocabulary(out)
    # Edges stripped, case and what is inside a word kept.
    assert {"Noord-Holland", "gemeenteNoordwijk", "GM0344", "jeugdzorg", "Ééndracht", "alfa"} <= found
    assert not {"(Noord-Holland),", "gemeenteNoordwijk.", "alfa:", "—", ""} & found
    # Exactly the words of the bundles the search page merges: the root's own and every listed group.
    bundles = [out / "pagefind", *(out / part for part in merged["delen"])]
    assert found == set().union(*(words.bundle_words(bundle) for bundle in bundles))
    # Trimmed like a merged group: only what the browser reads of a merged index.
    assert not list((out / "zoekindex" / "woordenlijst").glob("*.js"))


def test_a_word_is_kept_as_written_without_what_surrounds_it():
    """As the search page compares them (govsite.js: letters and digits at the ends, then lower case)."""
    assert words.stripped({"(Noord-Holland),", "gemeenteNoordwijk.", "'s-Hertogenbosch", "—", "GM0344:", "1.200",
                           "«Ééndracht»"}) == {"Noord-Holland", "gemeenteNoordwijk", "s-Hertogenbosch", "GM0344",
                                                "1.200", "Ééndracht"}


def test_the_vocabulary_is_the_same_bytes_in_every_build(project):
    build(project)
    build(project, "tweede")
    assert files(project / "site" / "zoekindex" / "woordenlijst") \
        == files(project / "tweede" / "zoekindex" / "woordenlijst") != {}


def test_the_vocabulary_is_made_again_only_when_a_word_is_new_or_gone(project):
    build(project)
    out = project / "site"
    source = project / "bronnen" / "gamma.txt"
    source.write_text("werk over gamma Regio", encoding="utf-8")  # the same words in another order
    summary = build(project)
    assert summary["built"] == ["gamma"]
    assert summary["search_parts"]["built"] == ["zoekindex/deel-2"]  # the group's index, not the vocabulary

    source.write_text("Regio gamma over werk en inkomen", encoding="utf-8")
    summary = build(project)
    assert summary["search_parts"]["built"] == ["zoekindex/deel-2", "zoekindex/woordenlijst"]
    assert {"inkomen", "en"} <= vocabulary(out)
    build(project, "schoon", incremental=False)
    assert files(out) == files(project / "schoon")

    assert build(project)["search_parts"]["built"] == []  # nothing changed


def test_a_damaged_kept_word_list_is_read_again_from_the_index(project):
    build(project)
    kept = project / "cache-site" / words.CACHE
    assert sorted(p.name for p in kept.iterdir()) == ["pagefind.json", "zoekindex-deel-1.json",
                                                      "zoekindex-deel-2.json"]
    for number, path in enumerate(sorted(kept.iterdir())):
        text = path.read_text(encoding="utf-8")
        path.write_text([text[:len(text) // 2], json.dumps({"key": "iets anders", "words": 7}), "[]"][number],
                        encoding="utf-8")
    before = files(project / "site")
    summary = build(project)
    assert summary["search_parts"]["built"] == []  # the same words, so the same vocabulary
    assert files(project / "site") == before
    assert all(json.loads(path.read_text(encoding="utf-8"))["words"] for path in kept.iterdir())


def test_no_vocabulary_when_the_search_merges_nothing(project):
    """With no groups to merge (no searchable site), a search of the root's own index is Pagefind's own."""
    build(project, specs=plan(project, regions=()))
    out = project / "site"
    assert listed(out) == {"delen": []}
    assert not (out / "zoekindex" / "woordenlijst").exists()
    assert not (project / "cache-site" / words.CACHE).is_dir() or not any((project / "cache-site" / words.CACHE).iterdir())

    build(project)  # then with groups: it comes, and goes again with them
    assert listed(out)["woordenlijst"] == "zoekindex/woordenlijst/"
    build(project, specs=plan(project, regions=()))
    assert listed(out) == {"delen": []} and not (out / "zoekindex" / "woordenlijst").exists()


def test_the_pages_hold_the_words_in_order_escaped_four_hundred_to_a_page(tmp_path):
    vocabulary = sorted([f"woord{n:04d}" for n in range(900)] + ["R&D", "x<y"])
    folder = words.write_pages(vocabulary, tmp_path / "pagina's")
    pages = sorted(folder.iterdir())
    assert [p.name for p in pages] == ["0001.html", "0002.html", "0003.html"]
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert texts[0].startswith('<!doctype html><html lang="nl"><head><title>woorden</title></head>')
    assert "<p data-pagefind-body>R&amp;D woord0000 woord0001 " in texts[0] and texts[2].endswith(" x&lt;y</p></body></html>")
    bodies = [text.split("<p data-pagefind-body>")[1].split("</p>")[0].split(" ") for text in texts]
    assert [len(body) for body in bodies] == [400, 400, 102]
    assert [html.unescape(word) for body in bodies for word in body] == vocabulary


def test_a_fragment_in_a_format_govsite_does_not_know_stops_the_build_in_plain_words(project):
    build(project)
    bundle = project / "site" / "pagefind"
    assert "Welkom" in words.bundle_words(bundle, "pagefind")
    fragment = next((bundle / "fragment").iterdir())
    fragment.unlink()  # the output's file may be the spare's too
    fragment.write_bytes(gzip.compress(b"pagefind_v2{}"))
    with pytest.raises(BuildError, match="Pagefind schreef de zoekindex pagefind in een vorm") as raised:
        words.bundle_words(bundle, "pagefind")
    assert f"fragment/{fragment.name}" in str(raised.value) and "pagefind[bin]" in str(raised.value)
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BuildError, match="pagefind-entry.json"):
        words.bundle_words(bundle, "pagefind")


# A Pagefind that writes its fragments in another format (as a new major version might).
_OTHER_FORMAT = """for fragment in "$out"/fragment/*; do printf 'pagefind_v2 anders' | gzip -n > "$fragment"; done
"""


def test_a_pagefind_of_another_format_fails_the_command_in_plain_words_not_a_traceback(regions, tmp_path):
    out = tmp_path / "uit"
    done = govsite("build", "--regions", str(regions.root), "--out", str(out), "--jobs", "1", cwd=tmp_path,
                   env={**other_pagefind(tmp_path, _OTHER_FORMAT), "GOVSITE_CACHE": str(tmp_path / "cache")})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "in een vorm die govsite niet kan lezen" in done.stderr and "pagefind[bin]" in done.stderr
    assert "niets gebouwd" in done.stderr and not out.exists()
