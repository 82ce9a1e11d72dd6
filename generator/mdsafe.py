"""A Markdown extension that makes the rendered HTML safe even when something slipped past the validator
(hand-written pages, future fields): link and image targets with schemes other than https, http and
mailto become '#', event-handler attributes (on...) are removed, and images from other sites become
plain links, because the site makes no requests to third parties.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .schema import unsafe_scheme

_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")


def _elsewhere(address: str) -> bool:
    """An address on another site: with a scheme (https:, http:) or protocol-relative (//host)."""
    address = address.strip().lower().replace("\\", "/")  # browsers read \\host as //host
    return address.startswith(("//", "http:", "https:"))


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in list(root.iter()):
            for attribute in _URL_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and unsafe_scheme(value):
                    element.set(attribute, "#")
            for attribute in list(element.keys()):
                if attribute.lower().startswith("on"):
                    del element.attrib[attribute]
            if element.tag == "img" and _elsewhere(element.get("src", "")):
                source, alt = element.get("src", ""), element.get("alt") or element.get("src", "")
                element.attrib.clear()
                element.tag = "a"
                element.set("href", source)
                element.text = alt


class SafeLinksExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_SafeLinks(md), "govsite_safe_links", 0)


def makeExtension(**kwargs) -> SafeLinksExtension:  # noqa: N802 (Markdown's API)
    return SafeLinksExtension(**kwargs)
