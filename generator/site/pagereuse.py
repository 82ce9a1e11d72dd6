"""Part of step 5, build: what did not change is taken from the previous build, not made again.

When one region changes, its site is built again, but most of its pages are the same as last time;
on the portal a change in one region touches only the pages of its member municipalities. MkDocs
renders every page anyway (Markdown, then Material's templates: about 8 ms a page) and copies every
other file, so this MkDocs plugin (with install()) takes them from the previous output of the site:

- a page whose key equals the one it had in the previous build is hard-linked from there: MkDocs
  neither converts, renders nor writes it, and reads it only when it is in the navigation;
- a file that is not a page (calendars, feeds, open data, the theme's scripts) whose bytes equal the
  previous output's file is hard-linked from there too, and copied otherwise.

A link shares the previous output's file, which may be the published site's: nothing may write into it
afterwards. Pages are the last thing MkDocs writes, and the other files are linked after that, each
only where MkDocs wrote nothing (MkDocs lets a page or template overwrite a file; here it wins anyway).
Across file systems (no hard links) a file is copied. The site folder may come with the folders of an
older build but no files (engine/publish.emptied): MkDocs writes into them instead of deleting them.

A page's HTML depends on its own Markdown and front matter (its file's bytes), and, through the theme,
on the site as a whole: its name, settings, navigation (with the titles shown in it, which govsite
always names in the navigation itself), which pages and files exist (links between pages are made
relative to them), and what Material's navigation shows of the pages in it besides their titles: their
front matter's NAV_META. The page key hashes all of that, on top of the key of everything shared (the
generator, the theme, mkdocs.yml, package versions). No template reads anything else of another page
(Material: partials/nav-item.html, tabs-item.html, path.html), so a reused page outside the navigation
is not even read. Anchors are checked by MkDocs only at "info" level, which govsite does not treat as a
problem, so a reused page keeps no record of its anchors.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable

from mkdocs.commands import build as mkdocs_build
from mkdocs.plugins import BasePlugin

PLUGIN = "govsite-page-reuse"  # its name among a site's MkDocs plugins
# What Material's navigation shows of a page's front matter, on every page (partials/nav-item.html).
NAV_META = ("icon", "subtitle", "status")


def context_key(settings: list[Any], files: Iterable[str]) -> str:
    """What every page of a site depends on besides itself and the pages in the navigation: the site's
    settings ([shared key, name, nav, extra]) and its set of files (MkDocs' src_uri of each)."""
    data = json.dumps([settings, sorted(files)], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class PageReuse(BasePlugin):
    """Reuse the HTML of pages whose key equals the one they had in the previous build, and the files
    whose bytes equal the previous build's.

    settings: [shared key, site name, nav, extra]; previous: page (its path in docs) -> key, from the
    previous build of this site; previous_dir: that build's output of this site (None: nothing to
    reuse). After the build, `keys` holds this build's keys and `count` the number of pages reused.
    """

    def __init__(self, settings: list[Any], previous: dict[str, str], previous_dir: Path | None):
        super().__init__()
        self.settings = settings
        self.previous = previous
        self.previous_dir = previous_dir
        self.context = ""
        self.keys: dict[str, str] = {}
        self.taken: dict[str, str] = {}  # page -> its HTML in the previous output
        self.files: list = []  # the site's other files, linked or copied once MkDocs wrote the rest
        self.folders: set[str] = set()  # there in the new output
        self.count = 0

    def on_pre_build(self, config) -> None:
        _KEEP_FOLDERS.add(config.site_dir)  # MkDocs cleans it next (_clean_directory), then lists the files

    def on_build_error(self, error) -> None:
        _KEEP_FOLDERS.clear()

    def on_files(self, files, config):
        _KEEP_FOLDERS.discard(config.site_dir)
        self.context = context_key(self.settings, (file.src_uri for file in files))
        for file in files:
            if not file.is_documentation_page() and file.abs_src_path is not None:
                # MkDocs calls it for each file it would copy: noted here, linked or copied at the end.
                file.copy_file = lambda dirty=False, file=file: self.files.append(file)
        return files

    def on_nav(self, nav, config, files):
        """Every page's key and whether it is reused; called before MkDocs reads any page."""
        for page in nav.pages:  # read now: their front matter goes into every page's key
            page.read_source(config)
        shown = [[page.file.src_uri, {name: page.meta[name] for name in NAV_META if name in page.meta}]
                 for page in nav.pages]
        context = hashlib.sha256(json.dumps([self.context, shown], sort_keys=True, default=str).encode())
        for file in files.documentation_pages():
            key = context.copy()
            key.update(f"\0{file.src_uri}\0".encode())
            key.update(file.content_bytes)
            self.keys[file.src_uri] = key = key.hexdigest()
            if self.previous_dir is not None and self.previous.get(file.src_uri) == key:
                html = os.path.join(self.previous_dir, file.dest_uri)
                if os.path.isfile(html):
                    self.taken[file.src_uri] = html
        self.count = len(self.taken)
        return nav

    def on_post_build(self, config) -> None:
        for file in self.files:
            target = file.abs_dest_path
            if os.path.lexists(target):  # written after the files, by a page or template: it stays
                continue
            before = os.path.join(self.previous_dir, file.dest_uri) if self.previous_dir is not None else None
            self._place(file.abs_src_path, target, before)

    def _place(self, source: str, target: str, before: str | None) -> None:
        """The file at target: a link to `before` when that holds the same bytes as source, else a copy."""
        if before is not None and _same_bytes(source, before):
            self.link(before, target)
        else:
            self._folder(target)
            shutil.copyfile(source, target)

    def link(self, source: str, target: str) -> None:
        """A hard link at target to source (a copy across file systems)."""
        self._folder(target)
        try:
            os.link(source, target)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source, target)

    def _folder(self, target: str) -> None:
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)


def _same_bytes(a: str, b: str) -> bool:
    try:
        if os.stat(a).st_size != os.stat(b).st_size:
            return False
        with open(a, "rb") as first, open(b, "rb") as second:
            return first.read() == second.read()
    except OSError:
        return False


def _reuse(config) -> PageReuse | None:
    reuse = config.plugins.get(PLUGIN)
    return reuse if isinstance(reuse, PageReuse) else None


def _clean_directory(directory: str) -> None:
    """mkdocs.utils.clean_directory, which MkDocs calls on the site folder before it writes anything:
    a build with PageReuse gets that folder from the engine without files, and keeps its folders to
    write into (engine/publish.emptied), which MkDocs would delete."""
    if directory not in _KEEP_FOLDERS:
        _MKDOCS["clean"](directory)


def _populate_page(page, config, files, dirty: bool = False) -> None:
    """mkdocs.commands.build._populate_page, which a reused page skips."""
    reuse = _reuse(config)
    if reuse is None or page.file.src_uri not in reuse.taken:
        _MKDOCS["populate"](page, config, files, dirty)


def _build_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False) -> None:
    """mkdocs.commands.build._build_page; a reused page is linked to its previous HTML instead."""
    reuse = _reuse(config)
    html = reuse.taken.get(page.file.src_uri) if reuse is not None else None
    if html is None:
        _MKDOCS["build"](page, config, doc_files, nav, env, dirty, excluded)
    else:
        reuse.link(html, page.file.abs_dest_path)


_MKDOCS: dict[str, Any] = {}  # MkDocs' own functions, which the ones above call for pages not reused
_KEEP_FOLDERS: set[str] = set()  # the site folder of the PageReuse build running in this process


def install() -> None:
    """Let MkDocs builds in this process skip the pages PageReuse takes (a build without the plugin is
    MkDocs' own). MkDocs 1.x is no longer developed (govsite pins it below 2): these functions stay."""
    if not _MKDOCS:
        _MKDOCS.update(populate=mkdocs_build._populate_page, build=mkdocs_build._build_page,
                       clean=mkdocs_build.utils.clean_directory)
        mkdocs_build._populate_page = _populate_page
        mkdocs_build._build_page = _build_page
        mkdocs_build.utils.clean_directory = _clean_directory
