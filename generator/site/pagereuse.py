"""Part of step 5, build: a page that did not change is taken from the previous output, not rendered.

When one region changes, its site is built again, but most of its pages are the same as last time;
on the portal a change in one region touches only the pages of its member municipalities. MkDocs
renders every page anyway (Markdown, then Material's templates: about 8 ms a page), so this MkDocs
plugin skips that for a page whose output cannot have changed, and writes the page's HTML from the
previous build instead.

A page's HTML depends on its own Markdown and front matter, and, through the theme, on the site as a
whole: its name, settings, navigation (with the titles shown in it, which govsite always names in
the navigation itself) and which pages and files exist (links between pages are made relative to
them). The page key hashes all of that, on top of the key of everything shared (the generator, the
theme, mkdocs.yml, package versions). Anchors are checked by MkDocs only at "info" level, which govsite
does not treat as a problem, so a reused page keeps no record of its anchors.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

REUSED_TEMPLATE = "govsite-reused.html"  # in theme/overrides: renders nothing, the plugin fills in the page


def context_key(shared: str, name: str, nav: Any, extra: dict[str, Any], docs_dir: Path) -> str:
    """What every page of a site depends on besides itself: the site's settings and its set of files."""
    files = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file())
    data = json.dumps([shared, name, nav, extra, files], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class PageReuse(BasePlugin):
    """Reuse the HTML of pages whose key equals the one they had in the previous build.

    previous: page (its path in docs) -> key, from the previous build of this site;
    previous_dir: that build's output of this site. After the build, `keys` holds this build's keys.
    """

    def __init__(self, context: str, previous: dict[str, str], previous_dir: Path | None):
        super().__init__()
        self.context = context
        self.previous = previous
        self.previous_dir = previous_dir
        self.keys: dict[str, str] = {}
        self.reused: dict[str, bytes] = {}  # pages being reused, until MkDocs writes them
        self.count = 0  # pages reused in this build

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        source = page.file.src_uri
        key = hashlib.sha256(json.dumps([self.context, source, page.meta, markdown], sort_keys=True,
                                        default=str).encode()).hexdigest()
        self.keys[source] = key
        html = self._previous_html(source, key, page.file.dest_uri)
        if html is None:
            return markdown
        self.reused[source] = html
        self.count += 1
        page.meta["template"] = REUSED_TEMPLATE  # nothing left to render: neither Markdown nor theme
        return ""

    def _previous_html(self, source: str, key: str, destination: str) -> bytes | None:
        if self.previous_dir is None or self.previous.get(source) != key:
            return None
        try:
            return (self.previous_dir / destination).read_bytes()
        except OSError:
            return None

    def on_post_page(self, output: str, page, config) -> str:
        html = self.reused.pop(page.file.src_uri, None)
        # MkDocs encodes pages as UTF-8 with xmlcharrefreplace; the file read back was written that way.
        return output if html is None else html.decode("utf-8")
