"""The work govsite saves MkDocs and Python-Markdown: the HTML must stay exactly what they make
themselves (generator/site/pagerender.py, generator/site/mdfragments.py, generator/site/mdinline.py)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import markdown
import yaml
from hypothesis import given, settings, strategies as st
from mkdocs.structure import pages

from builtsite import AS_OF, REGIONS, page_dates
from generator import build
from generator.site import mdfragments, mdinline, pagerender, render
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


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(out: Path) -> dict[str, str]:
    checked = check(REGIONS, None, AS_OF)
    return _digest(build.build(checked.regions, build.BuildOptions(out=out, on=AS_OF, jobs=1), page_dates(REGIONS)))


def test_pages_are_converted_exactly_as_mkdocs_converts_them(tmp_path, monkeypatch):
    made = []
    counted = markdown.Markdown.__init__

    def count(self, *args, **kwargs):
        made.append(1)
        counted(self, *args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "__init__", count)
    ours = _build(tmp_path / "govsite")
    ours_made = len(made)
    monkeypatch.setattr(pagerender, "install", lambda: None)
    monkeypatch.setattr(pages.Page, "render", pagerender.MKDOCS_RENDER)
    made.clear()
    theirs = _build(tmp_path / "mkdocs")
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    # MkDocs makes a converter per page (and one per site to check the settings); govsite one in all.
    sites = sum(1 for name in ours if name.endswith("404.html"))
    converted = sum(1 for name in ours if name.endswith(".html")) - sites
    assert len(made) == sites + converted
    assert ours_made <= sites + 2  # the second: the text diff's own converter


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


def test_fragments_are_not_parsed_as_html(monkeypatch):
    """The point of the extension: Python-Markdown's HTML parser never sees a fragment's tags."""
    from markdown import htmlparser

    seen = []
    original = htmlparser.HTMLExtractor.handle_starttag
    monkeypatch.setattr(htmlparser.HTMLExtractor, "handle_starttag",
                        lambda self, tag, attrs: (seen.append(tag), original(self, tag, attrs))[1])
    cells = "".join(f"<tr><td>{n}</td></tr>" for n in range(50))
    markdown.markdown(f"Tekst\n\n{mdfragments.wrap(f'<table>{cells}</table>')}\n", extensions=EXTENSIONS)
    assert seen == []
    markdown.markdown(f"Tekst\n\n<table>{cells}</table>\n", extensions=EXTENSIONS)
    assert seen.count("td") == 50  # without the marks, every tag is read


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
    env.list_templates = build._theme_files(cfg.theme.dirs)
    ours.add_files_from_theme(env, cfg)
    expected = [f.src_uri for f in theirs if not build.unused_theme_file(f.src_uri)]
    assert [f.src_uri for f in ours] == expected
    assert "assets/govsite.css" in expected  # from theme/overrides
    assert any(uri.startswith("assets/javascripts/bundle.") for uri in expected)
