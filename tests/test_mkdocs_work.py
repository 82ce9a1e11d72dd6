"""The work govsite saves MkDocs and Python-Markdown: the HTML must stay exactly what they make
themselves (generator/pagerender.py, generator/mdfragments.py)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import markdown
from mkdocs.structure import pages

from builtsite import AS_OF, REGIONS, page_dates
from generator import build, mdfragments, pagerender
from generator.pipeline import check

EXTENSIONS = ["tables", "toc", "admonition", "def_list", "attr_list", "md_in_html", "generator.mdsafe",
              "generator.mdfragments"]


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
