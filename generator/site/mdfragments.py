"""A Markdown extension that passes the HTML fragments the generator drew (diagrams, word-by-word
comparisons, the change list, the overlap table) into the page as they are.

Python-Markdown reads every block of raw HTML with Python's HTML parser, tag by tag, only to find
where the block ends; MkDocs reads the whole page once more for the anchors in it. A fragment made by
render.svg is complete and escaped already, and its end is marked, so this extension keeps it
aside unread, like Python-Markdown keeps a raw HTML block, and puts it back after the conversion.
For a version page full of marked-up changes that is most of the page's Markdown work.

Data fields' Markdown, converted by datamd, passes the same way: as a block, or inside a line (a
table cell, a list item) between INLINE_START and INLINE_END. Python-Markdown never reads data text.
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

START = "<!--govsite-fragment-->"
END = "<!--/govsite-fragment-->"
_FRAGMENT = re.compile(rf"^{START}\n(.*?)\n{END}$", re.MULTILINE | re.DOTALL)
INLINE_START = "<!--govsite-inline-->"
INLINE_END = "<!--/govsite-inline-->"
_INLINE = re.compile(rf"{INLINE_START}(.*?){INLINE_END}")


def wrap(html: str) -> str:
    """A fragment of finished HTML marked for this extension, as a block of its own."""
    return f"{START}\n{html.strip(chr(10))}\n{END}"


def wrap_inline(html: str) -> str:
    """A piece of finished HTML inside a line of Markdown (kept on that line)."""
    return f"{INLINE_START}{' '.join(html.splitlines())}{INLINE_END}"


class _Fragments(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if START not in text and INLINE_START not in text:
            return lines
        # The placeholder is a paragraph of its own; Python-Markdown's last step puts the HTML back
        # in its place (without the paragraph, as the fragment starts with a block-level tag).
        stash = self.md.htmlStash
        if START in text:
            text = _FRAGMENT.sub(lambda m: f"\n\n{stash.store(m.group(1))}\n\n", text)
        if INLINE_START in text:  # a placeholder in the line, which Markdown leaves as it is
            text = _INLINE.sub(lambda m: stash.store(m.group(1)), text)
        return text.split("\n")


class FragmentsExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        # After whitespace is normalised (30), before the raw HTML blocks are read (MkDocs 21, Markdown 20).
        md.preprocessors.register(_Fragments(md), "govsite_fragments", 25)


def makeExtension(**kwargs) -> FragmentsExtension:  # noqa: N802 (Markdown's API)
    return FragmentsExtension(**kwargs)
