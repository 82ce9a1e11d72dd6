"""The work govsite saves MkDocs and Python-Markdown: the HTML must stay exactly what they make
themselves (generator/site/pagerender.py, generator/site/mdfragments.py, generator/site/mdinline.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from builtsite import AS_OF, PROJECT, REGIONS
from generator import build
from generator.engine.spec import Built, Previous, Rendered
from generator.site import mdfragments, mdinline, mkdocs_adapter, render
from generator.domain.changes import change_log
from generator.pipeline import check

# mkdocs.yml's Markdown extensions, with their settings
_CONFIGURED = yaml.safe_load(build.MKDOCS_YML.read_text(encoding="utf-8"))["markdown_extensions"]
EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in _CONFIGURED]
SETTINGS = {k: v for e in _CONFIGURED if isinstance(e, dict) for k, v in e.items()}


def _converter(without: str | None = None) -> markdown.Markdown:
    return markdown.Markdown(extensions=[e for e in EXTENSIONS if e != without], extension_configs=SETTINGS)


def _convert(md: markdown.Markdown, text: str) -> tuple[str, list]:
    md.reset()
    return md.convert(text), md.toc_tokens


def _run(*argv: str, cwd: Path, **env: str) -> None:
    done = subprocess.run([sys.executable, *argv], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _converted(page: Path) -> tuple[str, str]:
    """What Markdown made of a page: its content (as the theme shows it) and its table of contents."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("[data-pagefind-body]") or soup.select_one("article")
    for crumbs in body.select(".govsite-crumbs, .govsite-print-header"):  # the theme's, from the site's settings (extra)
        crumbs.decompose()
    toc = soup.select_one("nav.md-nav--secondary")
    for title in toc.select(".md-nav__title") if toc else []:  # a label only for a page in the navigation
        title.decompose()  # (theme/overrides/partials/toc.html), and a plain mkdocs build puts every page there
    return "\n".join(line for line in str(body).splitlines() if line.strip()), str(toc)  # but the lines they stood on


def test_pages_are_converted_exactly_as_mkdocs_converts_them(tmp_path):
    """govsite converts every page with one Markdown converter and its own inline shortcut
    (pagerender, mdinline); MkDocs makes a converter per page. The same Markdown (`govsite build
    --markdown`), built by a plain `mkdocs build` with mkdocs.yml, gives every page the same content
    and table of contents. (How many converters each makes shows in nothing either gives out.)"""
    ours, markdown_dir = tmp_path / "govsite", tmp_path / "markdown"
    _run("-m", "generator", "build", "--regions", str(REGIONS), "--out", str(ours), "--markdown", str(markdown_dir),
         "--as-of", AS_OF.isoformat(), cwd=PROJECT, GOVSITE_CACHE=str(tmp_path / "cache"))
    regions = sorted(p.name for p in REGIONS.iterdir() if (p / "region.yaml").is_file())
    portal_docs = shutil.copytree(markdown_dir, tmp_path / "portal-docs", ignore=shutil.ignore_patterns(*regions))
    sites = {"": portal_docs, **{name: markdown_dir / name for name in regions}}
    config = yaml.safe_load(build.MKDOCS_YML.read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(build.MKDOCS_YML.parent / config["theme"]["custom_dir"])
    compared, different = 0, []
    for name, docs in sites.items():
        theirs = tmp_path / "mkdocs" / (name or "_portal")
        file = tmp_path / f"mkdocs-{name or 'portal'}.yml"
        file.write_text(yaml.safe_dump({**config, "docs_dir": str(docs), "site_dir": str(theirs)}), encoding="utf-8")
        _run("-m", "mkdocs", "build", "--quiet", "--config-file", str(file), cwd=tmp_path)
        for page in sorted(theirs.rglob("index.html")):
            relative = page.relative_to(theirs)
            if relative.parts[0] in {"assets", "search"}:
                continue
            mine = ours / name / relative
            assert mine.is_file(), mine
            if _converted(mine) != _converted(page):
                different.append(f"{name}/{relative}")
            compared += 1
    assert not different, f"pages whose content differs from MkDocs' own: {different[:20]}"
    assert compared > 100


def test_a_fragment_reaches_the_page_unread_and_the_markdown_around_it_is_converted():
    figure = ('<figure class="govsite-figure"><svg role="img" aria-label="a &#42;b&#42;">\n'
              '<text x="1">*niet cursief*</text></svg>\n<figcaption>Bron</figcaption></figure>')
    text = f"# Titel\n\nVoor *cursief*.\n\n{mdfragments.wrap(figure)}\n\nNa [link](https://example.org).\n"
    html = markdown.markdown(text, extensions=EXTENSIONS)
    assert figure in html
    assert "<p>Voor <em>cursief</em>.</p>" in html
    assert '<p>Na <a href="https://example.org">link</a>.</p>' in html
    assert mdfragments.START not in html and mdfragments.END not in html
    assert "<p><figure" not in html  # a block of its own, not inside a paragraph


def test_fragments_are_not_parsed_as_html():
    """The point of the extension: Python-Markdown's HTML parser never sees a fragment's tags. Seen
    from outside through md_in_html (mkdocs.yml), which lives in that parser: it converts the inside
    of a block marked markdown="1" and drops the mark. In a fragment, that block stays as written."""
    cells = "".join(f"<tr><td>{n}</td></tr>" for n in range(50))
    html = f'<table>{cells}</table>\n<div markdown="1">\n*niet cursief*\n</div>'
    converted = markdown.markdown(f"Tekst\n\n{mdfragments.wrap(html)}\n", extensions=EXTENSIONS,
                                  extension_configs=SETTINGS)
    assert html in converted
    read = markdown.markdown(f"Tekst\n\n{html}\n", extensions=EXTENSIONS, extension_configs=SETTINGS)
    assert "<em>niet cursief</em>" in read and 'markdown="1"' not in read  # without the marks, it is read


# --- mdinline -------------------------------------------------------------------------------------

def test_the_inline_shortcut_is_in_use():
    """Python-Markdown's patterns are the ones mdinline knows: otherwise it would quietly do nothing."""
    md = _converter()
    assert type(md.treeprocessors["inline"]) is mdinline._Inline
    md.convert("Een [link](https://example.org) en *nadruk*.")
    assert md.treeprocessors["inline"].plain is not None
    assert mdinline._plain_text(md.inlinePatterns) is not None


def test_the_inline_shortcut_steps_aside_for_an_unknown_pattern():
    md = _converter()
    md.inlinePatterns.register(markdown.inlinepatterns.SimpleTagInlineProcessor(r"(~~)(.+?)~~", "del"), "del", 65)
    assert mdinline._plain_text(md.inlinePatterns) is None
    assert "<del>weg</del>" in md.convert("Dit is ~~weg~~.")


def test_every_example_page_converts_the_same_with_and_without_the_inline_shortcut(tmp_path):
    checked = check(REGIONS, None, AS_OF)
    options = build.BuildOptions(out=tmp_path / "site", on=AS_OF)
    for region in checked.regions:
        build.render_region_docs(region, options, tmp_path / region.id, {}, change_log(region, AS_OF, None))
    render.render_portal(checked.regions, AS_OF, tmp_path / "_portal", options.content)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.rglob("*.md"))]
    assert len(texts) > 100
    with_shortcut, without = _converter(), _converter(without="generator.site.mdinline")
    assert [_convert(with_shortcut, t) for t in texts] == [_convert(without, t) for t in texts]


_PIECES = ["woord", " ", "  ", "\n", "  \n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")",
           "!", "<", ">", "&", ";", "&amp;", "&#42;", "#", "a@b.nl", "https://example.org", "<b>", "</b>", "- ",
           "1. ", "| ", ":", "{#anker}", "{: .klasse }", "\x02", "\x03", "é", "\t"]


_SHORTCUT, _FULL = _converter(), _converter(without="generator.site.mdinline")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_any_text_converts_the_same_with_and_without_the_inline_shortcut(text):
    assert _convert(_SHORTCUT, text) == _convert(_FULL, text)



def test_the_theme_files_are_the_ones_mkdocs_would_copy(tmp_path):
    """govsite lists the theme's files without walking Material's icons; the list is MkDocs' own."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    cfg = load_config(config_file=str(build.MKDOCS_YML), docs_dir=str(build.CONTENT), site_dir=str(tmp_path))
    theirs, ours = Files([]), Files([])
    theirs.add_files_from_theme(cfg.theme.get_env(), cfg)
    env = cfg.theme.get_env()
    env.list_templates = mkdocs_adapter.theme_files(cfg.theme.dirs)
    ours.add_files_from_theme(env, cfg)
    expected = [f.src_uri for f in theirs if not mkdocs_adapter.unused_theme_file(f.src_uri)]
    assert [f.src_uri for f in ours] == expected
    assert "assets/govsite.css" in expected  # from theme/overrides
    assert any(uri.startswith("assets/javascripts/bundle.") for uri in expected)


# --- pagereuse: what a rebuild takes from the previous output -----------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _proef(docs: Path, over: str = "# Over\n\nWie wij zijn.\n", lijst: str = "[1, 2]\n") -> Rendered:
    """A small site: two pages in the navigation, one outside it, and files that are not pages."""
    (docs / "data").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Thuis\n\nZie [de losse pagina](los.md) en [over ons](over.md).\n",
                                   encoding="utf-8")
    (docs / "over.md").write_text(over, encoding="utf-8")
    (docs / "los.md").write_text("# Los\n\nNiet in het menu.\n", encoding="utf-8")
    (docs / "data" / "lijst.json").write_text(lijst, encoding="utf-8")
    (docs / "data" / "vast.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    return Rendered("Proef", docs, [{"Thuis": "index.md"}, {"Over ons": "over.md"}], {"site": "proef"})


def _mkdocs(site: Rendered, into: Path, before: Built | None = None, previous: Path | None = None) -> Built:
    builder = mkdocs_adapter.MkDocs(build.MKDOCS_YML, None, None)
    return builder(site, into, Previous(before.pages if before else {}, previous, "gedeeld"))


def test_a_rebuild_links_what_did_not_change_and_never_writes_into_the_previous_output(tmp_path):
    """Unchanged pages and files of a rebuilt site are hard links to the previous output's (pagereuse);
    the previous output, which may be the published site, keeps every byte; and the new output is
    what a build from nothing makes."""
    first = _mkdocs(_proef(tmp_path / "docs-1"), tmp_path / "een")
    before = _files(tmp_path / "een")
    changed = _proef(tmp_path / "docs-2", over="# Over\n\nWie wij nu zijn.\n", lijst="[1, 2, 3]\n")
    second = _mkdocs(changed, tmp_path / "twee", first, tmp_path / "een")
    assert second.reused == 2 and set(second.pages) == {"index.md", "over.md", "los.md"}
    assert _files(tmp_path / "een") == before
    old, new = tmp_path / "een", tmp_path / "twee"
    linked = {name for name in _files(new) if (old / name).is_file() and os.path.samefile(old / name, new / name)}
    assert {"index.html", "los/index.html", "data/vast.csv", "assets/govsite.css"} <= linked
    assert not {"over/index.html", "data/lijst.json", "sitemap.xml"} & linked  # changed, or written anew
    assert "Wie wij nu zijn" in (tmp_path / "twee" / "over" / "index.html").read_text(encoding="utf-8")
    _mkdocs(changed, tmp_path / "schoon")
    assert _files(tmp_path / "twee") == _files(tmp_path / "schoon")


def test_what_the_navigation_shows_of_a_page_is_in_every_pages_key(tmp_path):
    """Material's menu shows a page's subtitle (front matter) on every page: a new subtitle builds every
    page again, also those whose own Markdown did not change."""
    first = _mkdocs(_proef(tmp_path / "docs-1"), tmp_path / "een")
    changed = _proef(tmp_path / "docs-2", over="---\nsubtitle: Ons verhaal\n---\n# Over\n\nWie wij zijn.\n")
    second = _mkdocs(changed, tmp_path / "twee", first, tmp_path / "een")
    assert second.reused == 0
    assert "Ons verhaal" in (tmp_path / "twee" / "los" / "index.html").read_text(encoding="utf-8")
    _mkdocs(changed, tmp_path / "schoon")
    assert _files(tmp_path / "twee") == _files(tmp_path / "schoon")


def test_a_previous_output_on_another_file_system_is_copied(tmp_path):
    """No hard link across file systems: the files are copied, with the same bytes."""
    memory = Path("/dev/shm")
    where = memory if memory.is_dir() and os.access(memory, os.W_OK) else tmp_path
    with tempfile.TemporaryDirectory(dir=where) as other:
        first = _mkdocs(_proef(tmp_path / "docs-1"), Path(other) / "een")
        second = _mkdocs(_proef(tmp_path / "docs-2"), tmp_path / "twee", first, Path(other) / "een")
        assert second.reused == 3
        assert _files(tmp_path / "twee") == _files(Path(other) / "een")
        if os.stat(other).st_dev != os.stat(tmp_path).st_dev:
            assert not os.path.samefile(tmp_path / "twee" / "index.html", Path(other) / "een" / "index.html")
