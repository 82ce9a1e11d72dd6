"""A Markdown extension that names each cell of a table that stacks on a phone.

A wide table in a `govsite-table--stack` wrapper (templates/macros.md) is a real table on a wide screen;
on a phone the stylesheet turns each row into a block and shows, before each cell, the header of its
column. That header is written here as the cell's data-label (CSS cannot look up a column's header),
so the labels come from the template's own header row and work without scripts and on paper.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension, util
from markdown.treeprocessors import Treeprocessor

STACK = "govsite-table--stack"


_TAG = re.compile(r"<[^>]*>")
# A backslash-escaped character ("\-", "\(" as escape.markdown writes them) is STX, its code point, ETX
# until Markdown's unescape step (priority 0), which runs after this one: read it back, not strip it.
_ESCAPED = re.compile(f"{util.STX}(\\d+){util.ETX}")


class _CellLabels(Treeprocessor):
    """After the inline step (20), so that a header's text is final."""

    def _text(self, element: etree.Element) -> str:
        """A header cell's text as a reader sees it: stashed HTML (an entity, a tag) put back, tags left
        out, entities read."""
        def stashed(match: re.Match) -> str:
            index = int(match.group(1))
            blocks = self.md.htmlStash.rawHtmlBlocks
            raw = blocks[index] if index < len(blocks) else ""
            return _TAG.sub("", raw) if isinstance(raw, str) else "".join(raw.itertext())

        words = util.HTML_PLACEHOLDER_RE.sub(stashed, "".join(element.itertext()))
        words = _ESCAPED.sub(lambda m: chr(int(m.group(1))), html.unescape(words))
        return " ".join("".join(c for c in words if c not in (util.STX, util.ETX)).split())

    def run(self, root: etree.Element) -> None:
        for wrapper in root.iter("div"):
            if STACK not in (wrapper.get("class") or "").split():
                continue
            for table in wrapper.iter("table"):
                head = table.find("thead/tr")
                if head is None:
                    continue
                labels = [self._text(th) for th in head]
                for row in table.iterfind("tbody/tr"):
                    for cell, label in zip(row, labels):
                        if label:
                            cell.set("data-label", label)


class TableLabelsExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_CellLabels(md), "govsite_cell_labels", 4)


def makeExtension(**kwargs) -> TableLabelsExtension:  # noqa: N802 (Markdown's API)
    return TableLabelsExtension(**kwargs)
