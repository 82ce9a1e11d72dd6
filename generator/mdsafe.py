"""A Markdown extension that removes link and image targets with schemes other than https, http and
mailto from the rendered HTML. The validator already refuses them; this is the second line of defence
for anything that reaches Markdown without passing the validator (hand-written pages, future fields).
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .schema import unsafe_scheme


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and unsafe_scheme(value):
                    element.set(attribute, "#")
            for attribute in list(element.keys()):
                if attribute.lower().startswith("on"):
                    del element.attrib[attribute]


class SafeLinksExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_SafeLinks(md), "govsite_safe_links", 0)


def makeExtension(**kwargs) -> SafeLinksExtension:  # noqa: N802 (Markdown's API)
    return SafeLinksExtension(**kwargs)
