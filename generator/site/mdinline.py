"""A Markdown extension that spares plain text Python-Markdown's inline patterns.

Python-Markdown tries each of its inline patterns (links, emphasis, code, HTML, entities, ...) on
every piece of text of a page, one after another. Most text on these pages is plain: table cells
with a name, a date or an amount, sentences without links. Each pattern needs a certain character
to match at all (a link needs "[", emphasis "*" or "_", HTML "<", ...), so text with none of those
is left as it is without trying them, which is most pieces of text. The HTML is the same.

This only holds for patterns whose needs are known: Python-Markdown's own, compared by their exact
regular expression. With any other pattern registered, or a different version of one, every text
goes through all patterns as before (tests/test_mkdocs_work.py checks the shortcut is in use).
"""
from __future__ import annotations

import re

from markdown import Extension, util
from markdown.inlinepatterns import DelimiterProcessor
from markdown.treeprocessors import InlineProcessor

# Python-Markdown's own inline patterns (as in 3.11): regular expression -> what a text must contain
# for it to match anywhere.
_NEEDS = {
    r'(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)': "`",  # code
    r'\\(.)': "\\",  # backslash escape
    r'(?<!\!)\[': "[",  # link, reference
    r'\!\[': "[",  # image
    r'<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>': "<",  # <https://...>
    r'<([^<> !]+@[^@<> ]+)>': "<",  # <name@example.org>
    r'  \n': "  \n",  # line break
    r'(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)': "&",  # character reference
}
_HTML = "<"  # the raw-HTML pattern starts with "<" in every version


def _plain_text(patterns: util.Registry) -> re.Pattern | None:
    """A search that finds nothing in a text no registered pattern can match; None when a pattern's
    needs are unknown."""
    needs: set[str] = set()
    for name in patterns._data:  # noqa: SLF001 (the registry has no public way to list names and items)
        pattern = patterns[name]
        if type(pattern) is DelimiterProcessor:
            needs.update(pattern.tokens)  # "*", "_": emphasis and strong
            continue
        source = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
        if name == "html" and isinstance(source, str) and source.startswith("(<"):
            needs.add(_HTML)
        elif source in _NEEDS:
            needs.add(_NEEDS[source])
        else:
            return None
    return re.compile("|".join(re.escape(need) for need in sorted(needs)))


class _Inline(InlineProcessor):
    """Python-Markdown's inline step, which leaves text alone that no pattern can match."""

    plain: re.Pattern | None = None

    def run(self, tree, ancestors=None):
        self.plain = _plain_text(self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if self.plain is not None and not self.plain.search(data):
            return data  # what trying every pattern would give: no match, the same text
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)


class InlineExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        # Only while Python-Markdown's inline step is what this was written against.
        if type(md.treeprocessors["inline"]) is InlineProcessor and hasattr(
                InlineProcessor, "_InlineProcessor__handleInline"):
            md.treeprocessors.register(_Inline(md), "inline", 20)


def makeExtension(**kwargs) -> InlineExtension:  # noqa: N802 (Markdown's API)
    return InlineExtension(**kwargs)
