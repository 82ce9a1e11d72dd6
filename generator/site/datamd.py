"""The Markdown of data fields (summaries, notes, article texts) to HTML, in time linear in its length.

Python-Markdown, which MkDocs uses for the pages, takes time quadratic in the length of some texts
(runs of '[](' or '*a **b', ...): a field within every size limit could hold a build up for minutes.
Data fields are therefore converted here with markdown-it-py (CommonMark and tables, made to run in
linear time), and the HTML passes Python-Markdown unread (mdfragments). Only CommonMark is available
to data: no raw HTML (shown as text), no heading ids, no classes or attributes (no attr_list, no
admonitions), so data cannot set an id or class that the theme or govsite.js act on.

Links and images follow the same rules as in every page (mdsafe): unsafe schemes become '#', images
from other sites become links.
"""
from __future__ import annotations

import html
import threading

from markdown_it import MarkdownIt

from . import mdsafe

_local = threading.local()


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f'<a href="{_escape(mdsafe.safe_url(token.attrGet("href") or ""))}"' + (
        f' title="{_escape(str(token.attrGet("title")))}">' if token.attrGet("title") else ">")


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    source = mdsafe.safe_url(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if mdsafe.elsewhere(source):  # the site makes no requests to other sites: a link instead
        return f'<a href="{_escape(source)}">{_escape(alt or source)}</a>'
    title = token.attrGet("title")
    return f'<img src="{_escape(source)}" alt="{_escape(alt)}"' + (
        f' title="{_escape(str(title))}">' if title else ">")


def _code(self, tokens, idx, options, env) -> str:
    # A fenced block's info string would become a class: data sets no classes.
    return f"<pre><code>{_escape(tokens[idx].content)}</code></pre>\n"


def _parser() -> MarkdownIt:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable("table")
        # Every link is kept and judged by mdsafe when rendered, the same rule as for the pages.
        parser.validateLink = lambda url: True
        parser.add_render_rule("link_open", _link_open)
        parser.add_render_rule("image", _image)
        parser.add_render_rule("fence", _code)
        parser.add_render_rule("code_block", _code)
        _local.parser = parser
    return parser


def to_html(text: str, inline: bool = False) -> str:
    """A data field's Markdown as safe HTML; inline: one line of text (a table cell, a list item)."""
    if inline:
        return _parser().renderInline(" ".join(text.split()))
    return _parser().render(text)


def blocks_or_paragraph(text: str) -> tuple[str, bool]:
    """A data field's Markdown as safe HTML, and whether it is one paragraph: then the HTML is the
    paragraph's content, without <p>, so that the page can write it where a paragraph's text goes."""
    parser = _parser()
    tokens = parser.parse(text)
    if [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        return parser.renderer.render(tokens[1:2], parser.options, {}), True
    return parser.renderer.render(tokens, parser.options, {}), False
