"""Part of step 5, build: MkDocs' conversion of a page's Markdown, with less repeated work.

For every page MkDocs 1.6 sets up a new Markdown converter (loading and configuring every extension
again) and reads the whole page with Python's HTML parser, to learn the anchors in its raw HTML: a
noticeable part of a national build. With `install()`, a process converts its pages
with one converter per set of extensions, cleared between pages, and skips the raw-HTML read: MkDocs
uses those anchors only to report links to missing anchors, at "info" level, which govsite does not
treat as a problem (see pagereuse, whose reused pages keep no anchors either). The HTML is the same.

MkDocs 1.x is no longer developed (govsite pins it below 2), so the method replaced here stays as it
is; a move to Zensical drops this module.
"""
from __future__ import annotations

import json
import logging
import threading

import markdown
from mkdocs.structure import pages
from mkdocs.structure.toc import get_toc

_local = threading.local()  # a converter holds the page being converted: one per thread


def _converter(config) -> markdown.Markdown:
    converters = _local.__dict__.setdefault("converters", {})
    extensions, settings = config["markdown_extensions"], config["mdx_configs"] or {}
    key = json.dumps([extensions, settings], sort_keys=True, default=repr)
    if key not in converters:
        converters[key] = markdown.Markdown(extensions=extensions, extension_configs=settings)
    md = converters[key]
    md.reset()
    return md


def _render(self: pages.Page, config, files) -> None:
    """pages.Page.render, with a shared converter and without the raw-HTML anchors."""
    if self.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md = _converter(config)
    # MkDocs' own steps for this page; each replaces the previous page's under the same name.
    anchors = pages._ExtractAnchorsTreeprocessor(self.file, files, config)
    anchors._register(md)
    relative = pages._RelativePathTreeprocessor(self.file, files, config)
    relative._register(md)
    title = pages._ExtractTitleTreeprocessor()
    title._register(md)
    self.content = md.convert(self.markdown)
    self.toc = get_toc(getattr(md, "toc_tokens", []))
    self._title_from_render = title.title
    self.present_anchor_ids = anchors.present_anchor_ids
    if pages.log.getEffectiveLevel() > logging.DEBUG:
        self.links_to_anchors = relative.links_to_anchors


def install() -> None:
    """Convert pages this way in this process from now on."""
    pages.Page.render = _render
