"""A Markdown extension that makes the rendered HTML safe even when something slipped past the validator
(hand-written pages, future fields): link and image targets with schemes other than https, http and
mailto become '#', event-handler attributes (on...) are removed, and images from other sites become
plain links, because the site makes no requests to third parties. An address is judged as a browser
reads it: tabs and newlines inside it are dropped ('/\\n/host' is '//host'), and the attribute is
written that way, so what was judged is what the browser loads.

Ids and classes are the theme's and govsite.js's business: an id that the theme or the site's
scripts use (`__config`, `zoeken`, ...) becomes `kop-<id>`, also when a heading's text would make
it; classes in Material's namespace (`md-`) are dropped and an admonition keeps only a known type.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from ..domain.schema import unsafe_scheme

_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
# Ids the theme (Material: __config, __search, __drawer, ...) and the site's own pages and scripts use.
RESERVED_IDS = frozenset({"zoeken", "organogram-titel", "bijdragen-titel"})
_RESERVED_PREFIXES = ("_", "govsite-")
# Ids the Wijzigingen page's script looks for by prefix (the years): only a template sets them, never
# a heading's text.
_SCRIPT_PREFIXES = ("jaar-",)
ADMONITIONS = frozenset({"note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
                         "success", "check", "done", "question", "help", "faq", "warning", "caution",
                         "attention", "failure", "fail", "missing", "danger", "error", "bug", "example",
                         "quote", "cite"})


def browser_url(address: str) -> str:
    """An address as a browser's URL parser reads it: ASCII tabs and newlines anywhere, and C0
    controls and spaces at either end, are dropped."""
    return _TAB_OR_NEWLINE.sub("", address).strip(_C0_OR_SPACE)


def elsewhere(address: str) -> bool:
    """An address on another site: with a scheme (https:, http:) or protocol-relative (//host)."""
    address = browser_url(address).lower().replace("\\", "/")  # browsers read \\host as //host
    return address.startswith(("//", "http:", "https:"))


def safe_url(address: str) -> str:
    """A link or image target as it may be written into the page: as the browser reads it, or '#'
    when its scheme is not allowed."""
    address = browser_url(address)
    return "#" if unsafe_scheme(address) else address


def reserved_id(value: str) -> bool:
    """An id that the theme or the site's pages and scripts use."""
    return value.startswith(_RESERVED_PREFIXES) or value in RESERVED_IDS


def _safe_slug(slugify):
    def slug(value: str, separator: str) -> str:
        made = slugify(value, separator)
        return f"kop-{made}" if reserved_id(made) or made.startswith(_SCRIPT_PREFIXES) else made
    slug.govsite_safe = True
    return slug


class _SafeIds(Treeprocessor):
    """After attr_list (8), before toc (5): ids and classes, so that toc lists the ids as they end."""

    def run(self, root: etree.Element) -> None:
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        if toc is not None and hasattr(toc, "slugify") and not getattr(toc.slugify, "govsite_safe", False):
            toc.slugify = _safe_slug(toc.slugify)
        for element in root.iter():
            identifier = element.get("id")
            if identifier is not None and reserved_id(identifier):
                element.set("id", f"kop-{identifier}")
            classes = element.get("class")
            if classes is None:
                continue
            names = classes.split()
            if "admonition" in names:
                kept = ["admonition"] + [n for n in names if n in ADMONITIONS]
            else:
                kept = [n for n in names if not n.startswith("md-")]
            if kept != names:
                element.set("class", " ".join(kept))


class _SafeLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in list(root.iter()):
            for attribute in _URL_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and attribute != "srcset":
                    element.set(attribute, safe_url(value))
                elif value is not None and unsafe_scheme(value):
                    element.set(attribute, "#")
            for attribute in list(element.keys()):
                if attribute.lower().startswith("on"):
                    del element.attrib[attribute]
            if element.tag == "img" and elsewhere(element.get("src", "")):
                source, alt = element.get("src", ""), element.get("alt") or element.get("src", "")
                element.attrib.clear()
                element.tag = "a"
                element.set("href", source)
                element.text = alt


class SafeLinksExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_SafeLinks(md), "govsite_safe_links", 0)
        md.treeprocessors.register(_SafeIds(md), "govsite_safe_ids", 6)


def makeExtension(**kwargs) -> SafeLinksExtension:  # noqa: N802 (Markdown's API)
    return SafeLinksExtension(**kwargs)
