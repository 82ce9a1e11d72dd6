"""Step 5, build: Markdown to static HTML with MkDocs and Material, one site per region plus the portal.

Everything is built into a fresh folder next to the output folder and swapped in only when every
site and the search index are complete, so a failed build leaves the previous output untouched.

Speed at national scale: the sites are built by worker processes on every core (forked, so they
share the loaded regions), each worker keeps one Jinja environment for Material's templates across
all the sites it builds, and a site whose inputs did not change since the last build (see engine/cache.py)
is reused from the previous output instead of being built again.
"""
from __future__ import annotations

import concurrent.futures as futures
import copy
import ctypes
import datetime as dt
import functools
import gc
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from .engine import cache, index
from .site import feeds, outputs, render
from .domain.changes import ChangeLog, change_log
from .escape import ci_text, xml_text
from .domain.findings import Finding
from .domain.model import Region
from .engine.progress import Progress

PROJECT = Path(__file__).resolve().parent.parent
MKDOCS_YML = PROJECT / "mkdocs.yml"
CONTENT = outputs.CONTENT
PORTAL_DIR = ".govsite-portal"  # the portal is built here inside the work folder, then moved to its root
# Material ships these for its own search, which Pagefind replaces: no page loads them.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/",
                      # Not rendered (see _SharedTheme.attach), so it would be copied as its raw template.
                      "sitemap.xml")
# Nor its source maps: only a browser's developer tools read them, and they were two fifths of the
# output (1 MB per site, of which only the minified script and style sheets are loaded).
UNUSED_THEME_SUFFIXES = (".map",)


def unused_theme_file(name: str) -> bool:
    """Whether a file of the theme is left out of every site."""
    return name.startswith(UNUSED_THEME_FILES) or name.endswith(UNUSED_THEME_SUFFIXES)


class BuildError(Exception):
    """The build cannot go on; the message says why in plain words."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class BuildOptions:
    out: Path
    on: dt.date
    as_of_banner: bool = False  # built for a chosen date rather than today: say so on every page
    source_url: str | None = None  # e.g. https://github.com/org/repo/edit/main/ for edit links
    source_path: str = "regions"  # the regions folder inside that repository
    site_url: str | None = None  # public address of the portal, for absolute links in feeds and calendars
    config: Path = MKDOCS_YML
    content: Path = CONTENT
    jobs: int | None = None  # worker processes; None: one per core
    incremental: bool = True  # reuse the sites of the previous output whose inputs did not change
    progress: bool = False  # a progress line on stderr, when stderr is a terminal
    cache: Path | None = None  # the build's cache folder; build() sets it to cache.cache_folder(out)
    markdown: Path | None = None  # --markdown: a copy of every site's Markdown goes here
    bytecode: Path | None = None  # folder for compiled templates (Material's and ours); build() sets it in the cache
    timings: dict[str, Any] = field(default_factory=dict)  # filled in by build(): seconds per step

    def extra(self, region_id: str | None) -> dict:
        return {
            "as_of_banner": self.as_of_banner,
            "as_of_label": render.long_date(self.on),
            "source_url": self.source_url,
            "source_path": "/".join(p for p in (self.source_path, region_id) if p) if region_id else None,
            "site_url": self.site_url,
            "feed": feeds.FEED,  # main.html links the Atom feed of the site (all regions on the portal)
        }


class _Collect(logging.Handler):
    """Collects MkDocs warnings, so that a broken link fails the build like `mkdocs build --strict`."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _mkdocs_warnings() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def _config_yaml(config: Path) -> dict:
    stat = config.stat()
    return copy.deepcopy(_read_config(config, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _read_config(config: Path, mtime: int, size: int) -> dict:
    """mkdocs.yml, read once per process (every site asks for it) and again when the file changed."""
    return yaml.safe_load(config.read_text(encoding="utf-8")) or {}  # PyYAML: already loaded for the regions


def _base_extra(config: Path) -> dict:
    return dict(_config_yaml(config).get("extra") or {})


def theme_dir(config: Path) -> Path | None:
    """The theme overrides folder named in mkdocs.yml (custom_dir), relative to the file."""
    custom = (_config_yaml(config).get("theme") or {}).get("custom_dir")
    return (config.parent / custom).resolve() if custom else None


class _SharedTheme:
    """Material's Jinja environment, made once per process and shared by every site it builds.

    MkDocs makes a new environment per build, which compiles every theme template again and walks
    the theme folders again: most of a small site's build time. The environment depends only on the
    theme (same folders, same language for all sites); the page, navigation and config are passed in
    when a template is rendered, so sharing it changes no output. It is kept per theme, and made
    again when a file of the theme changed (a long-running `govsite serve`, tests with their own theme).
    """

    environments: dict[tuple, Any] = {}

    @classmethod
    def attach(cls, theme, bytecode: Path | None = None) -> None:
        key = (tuple(theme.dirs), str(theme.locale), _stamp(theme.custom_dir))
        env = cls.environments.get(key)
        if env is None:
            env = cls.environments[key] = theme.get_env()
            env.list_templates = _theme_files(theme.dirs)  # only add_files_from_theme lists them
            # A changed file of the theme makes a new environment (the key); so no need to look at
            # every template's file each time a page includes it (tens of thousands of times a build).
            env.auto_reload = False
            if bytecode is not None:
                # Compiled templates on disk, for the next worker or build: compiling Material's templates
                # is most of what the first site in a process costs. Checked against each template's source;
                # sealed, as they are code: only what govsite compiled itself is loaded.
                bytecode.mkdir(parents=True, exist_ok=True)
                env.bytecode_cache = cache.sealed_bytecode(bytecode)
        theme.get_env = lambda: env
        # No sitemap: without site_url it is an empty list, and its .gz carries the build time.
        theme.static_templates.discard("sitemap.xml")


class _InstalledThemes:
    """mkdocs.utils.get_themes, read once per process: MkDocs reads the installed packages' entry
    points again for every site (it clears its own cache each time), a few milliseconds a site. The
    installed themes do not change while govsite runs."""

    def __init__(self, read):
        self.read, self.found = read, None

    def __call__(self):
        if self.found is None:
            self.found = self.read()
        return self.found

    def cache_clear(self) -> None:
        pass

    @classmethod
    def install(cls) -> None:
        from mkdocs import utils

        if not isinstance(utils.get_themes, cls):
            utils.get_themes = cls(utils.get_themes)


def _stamp(folder: str | None) -> tuple:
    if not folder:
        return ()
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(Path(folder).rglob("*"))
                 if p.is_file())


def _theme_files(dirs: list[str]):
    """The theme's files for MkDocs to copy into each site (env.list_templates, which MkDocs calls only
    for that), listed once per process, without unused ones.

    Jinja's own listing walks all of the theme's folders, with Material's 14,000 icons in .icons/, and
    MkDocs then drops every path with a part that starts with a dot: a fifth of a second in every
    process. This walk leaves such folders out, and so lists the same files."""
    listed: list[str] = []

    def theme_files(extensions=None, filter_func=None):
        if extensions is not None:  # as jinja2.Environment.list_templates
            filter_func = lambda name: "." in name and name.rsplit(".", 1)[1] in extensions  # noqa: E731
        if not listed:
            found: set[str] = set()
            for root in dirs:
                for folder, folders, files in os.walk(root):
                    folders[:] = [name for name in folders if not name.startswith(".")]
                    relative = Path(folder).relative_to(root).as_posix()
                    found.update(name if relative == "." else f"{relative}/{name}" for name in files)
            listed.extend(name for name in sorted(found) if (filter_func is None or filter_func(name))
                          and not unused_theme_file(name))
        return listed

    return theme_files


def mkdocs_site(site: render.Site, site_dir: Path, options: BuildOptions, reuse=None) -> None:
    """Build one rendered site with MkDocs, in this process; `reuse` (pagereuse.PageReuse) takes the
    pages that did not change from the previous build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .site import pagerender

    pagerender.install()
    _InstalledThemes.install()

    with _mkdocs_warnings() as warnings:
        cfg = load_config(config_file=str(options.config), site_name=site.name, docs_dir=str(site.docs_dir),
                          site_dir=str(site_dir), nav=site.nav, extra=_site_extra(site, options))
        _SharedTheme.attach(cfg.theme, options.bytecode)
        if reuse is not None:
            cfg.plugins["govsite-page-reuse"] = reuse
        mkdocs_build(cfg)
    _write_sitemap(site_dir, options.site_url, site.extra.get("region"))
    if warnings.messages:
        raise BuildError(f"MkDocs meldt problemen bij '{ci_text(site.name)}':\n  "
                         + "\n  ".join(ci_text(message) for message in warnings.messages))


def _write_sitemap(site_dir: Path, site_url: str | None, region_id: str | None) -> None:
    """The site's pages for search engines, written here rather than by MkDocs (whose lastmod is the
    build time). Material's script also asks for it beside every `rel=alternate` link (the feed): the
    file must exist. Without the site's address no absolute URL can be given: an empty list."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    if site_url:
        base = site_url.rstrip("/") + "/" + (f"{region_id}/" if region_id else "")
        for page in sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html")):
            lines.append(f"  <url><loc>{xml_text(base + ('' if page == '.' else page + '/'))}</loc></url>")
    lines.append("</urlset>")
    (site_dir / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _site_extra(site: render.Site, options: BuildOptions) -> dict:
    return {**_base_extra(options.config), **site.extra, **options.extra(site.extra.get("region"))}


# --- publishing: the new output replaces the old one whole, or not at all --------------------------
# The new site is built in .<out>.building-<pid>-* next to out. On Linux, out and that folder are
# exchanged in one step (renameat2 RENAME_EXCHANGE), so out is always a complete site, old or new.
# Elsewhere out is first renamed to .<out>.old-<pid> and the work folder then renamed to out; a build
# killed between those two renames leaves no out, and the next build (recover) puts the old one back.

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_LEFTOVER = re.compile(r"^\.(?P<out>.+)\.(?:building|old)-(?P<pid>[0-9]+)(?:-.*)?$")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot (then nothing happened)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _swap(work: Path, out: Path) -> Path | None:
    """Replace out by work: atomically where the file system allows, else with a recoverable window.
    Returns where the previous output now is."""
    if out.exists() and _exchange(work, out):
        return work  # now holds the previous output
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(work, out)
    return old if old.exists() else None


def _spare_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.spare")


def _work_folder(out: Path, incremental: bool, trash: Path, folder: Path) -> tuple[Path, dict[str, dict[str, str]]]:
    """The folder the new output is built in, next to out, and the manifest of what it holds already.

    The output before the current one is kept as a spare (.<out>.spare, _keep_spare) and the next build
    starts from it: a site whose files there are what this build needs is left as it is, and only the
    others are replaced. After a one-region change that touches a few sites, where starting empty
    means hard-linking thousands of unchanged files from the current output and deleting as many
    afterwards. Without a usable spare (or with --clean) the build starts from an empty folder. The
    spare is trusted only through its manifest in the cache folder `folder` (and its fingerprints).
    """
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=out.parent))
    spare = _spare_path(out)
    if spare.is_symlink() or spare.is_file():  # never the build's own: only removed
        spare.unlink()
    elif spare.is_dir():
        manifest = cache.read_manifest(cache.manifest_path(folder, spare=True)) if incremental else {}
        if manifest:
            os.replace(spare, work)  # work is an empty folder: replaced
            cache.forget(cache.manifest_path(folder, spare=True))
            return work, manifest
        _discard(spare, trash)
    return work, {}


def _keep_spare(old: Path | None, spare: Path, manifest: dict[str, dict[str, str]], trash: Path,
                folder: Path) -> None:
    """Keep the previous output (now at `old`) as the spare for the next build, with its manifest."""
    if old is None:
        return
    if not manifest or spare.exists():
        _discard(old, trash)
        return
    try:
        os.replace(old, spare)
    except OSError:
        _discard(old, trash)
        return
    cache.write_manifest(cache.manifest_path(folder, spare=True), manifest)


def _trash(out: Path) -> Path:
    return cache.trash_folder(out)


def _discard(folder: Path, trash: Path) -> None:
    """Out of the way at once, without waiting for its deletion: into the cache's trash folder, which
    _empty_trash empties in the background at the end of the build."""
    if trash.is_symlink() or trash.is_file():  # not the build's own (emptying it follows no link)
        trash.unlink()
    trash.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(folder, trash / f"{folder.name}-{os.getpid()}-{time.time_ns()}")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _empty_trash(trash: Path) -> None:
    """Delete what is in the trash folder in a separate process; what it does not finish (killed, a
    machine turned off), the next build's does."""
    if trash.is_symlink() or not trash.is_dir() or not any(trash.iterdir()):
        return
    script = "import shutil, sys\nfor p in __import__('pathlib').Path(sys.argv[1]).iterdir(): shutil.rmtree(p, True)"
    try:
        subprocess.Popen([sys.executable, "-c", script, str(trash)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


def recover(out: Path) -> None:
    """Clear what killed builds left next to out: restore out from .<out>.old-<pid> when out is missing
    (killed mid-swap), and remove the work and old folders of builds that no longer run."""
    if not out.parent.is_dir():
        return
    leftovers = []
    for entry in sorted(out.parent.iterdir()):
        match = _LEFTOVER.match(entry.name)
        if match and match.group("out") == out.name and not _running(int(match.group("pid"))):
            leftovers.append(entry)
    for entry in leftovers:
        if ".old-" in entry.name and not out.exists() and entry.is_dir():
            os.replace(entry, out)
    for entry in leftovers:
        if entry.exists():
            _discard(entry, _trash(out))


# --- one build: every site, in worker processes --------------------------------------------------

@dataclass
class _Job:
    """What every worker needs; set before the workers are forked, so they inherit it."""

    regions: list[Region]
    options: BuildOptions
    out: Path  # the previous output, still in place while the new one is built
    page_dates: Callable[[Region], dict[str, dt.date]]
    work: Path
    markdown: Path
    previous: dict[str, dict[str, str]]  # site -> its keys, of the sites in the previous output
    shared: str  # key of what every site depends on
    spare: dict[str, dict[str, str]] = field(default_factory=dict)  # the same, of what work started with
    # per region, decisions.yaml through git history (history.decision_history), or None
    decision_history: Callable[[Region], Any] | None = None

    def history(self, region: Region) -> Any:
        return self.decision_history(region) if self.decision_history else None

    @property
    def pages(self) -> Path:
        """The copies of the sites' pages for Pagefind (index.copies), a folder per site, kept with
        the manifest between builds."""
        return self.options.cache / "search"

    def copies(self, site: str, key: str, built: Path) -> Path:
        """The copies of a built site's pages, made when they are not there for this key."""
        return index.copies(self.pages, _copies_name(site), key, built)


def _copies_name(site: str) -> str:
    return site or "_portaal"  # "_" is in no region id


@dataclass
class _Done:
    site: str  # region id, or cache.PORTAL
    inputs: str  # key of what went into rendering the site
    key: str  # key of the rendered site
    reused: bool
    seconds: dict[str, float]  # CPU seconds per step
    pages: dict[str, str] = field(default_factory=dict)  # page -> key (pagereuse), of a built site
    pages_reused: int = 0  # pages of a built site taken from the previous build
    fingerprint: str | None = None  # of a reused site: its files are the ones it had (cache.fingerprint)
    spare: bool = False  # a reused site that was in the work folder already (_work_folder)


_JOB: _Job | None = None
PORTAL_TASK = -1


def _cpu() -> float:
    """CPU seconds of this process: unlike the wall clock, not inflated when other work competes for
    the cores."""
    return sum(os.times()[:2])


def _timed(seconds: dict[str, float], step: str, started: float) -> float:
    now = _cpu()
    seconds[step] = seconds.get(step, 0.0) + now - started
    return now


def _region_task(number: int) -> _Done:
    job = _JOB
    region = job.regions[number]
    seconds: dict[str, float] = {}
    started = _cpu()
    before = job.previous.get(region.id, {})
    target = job.work / region.id
    dates, history = job.page_dates(region), job.history(region)
    # Exactly the arguments of render_region_docs (the region as its files): unchanged, nothing to do.
    inputs = cache.inputs_key(job.shared, region.sources, _municipalities(region),
                              [job.options.on, job.options.site_url, dates, history])
    started = _timed(seconds, "key", started)
    ready = _Ready(region.id, region.id)
    if (entry := ready.take("inputs", inputs)) is not None:
        _timed(seconds, "reuse", started)
        return _reused(region.id, entry, inputs, seconds)
    site = render_region_docs(region, job.options, job.markdown / region.id, dates,
                              change_log(region, job.options.on, history))
    started = _timed(seconds, "render", started)
    # This key is taken from what was rendered, so it covers every input of the pages (see engine/cache.py).
    key = cache.site_key(job.shared, site.name, site.nav, _site_extra(site, job.options), site.docs_dir,
                         region.sources)
    started = _timed(seconds, "key", started)
    if (entry := ready.take("output", key)) is not None:
        _timed(seconds, "reuse", started)
        return _reused(region.id, entry, inputs, seconds)
    _clear(target)
    reuse = _page_reuse(site, before if ready.out_intact() else {}, job.out / region.id)
    mkdocs_site(site, target, job.options, reuse)
    _publish_sources(region, target / "bron")
    started = _timed(seconds, "mkdocs", started)
    job.copies(region.id, key, target)
    _timed(seconds, "index", started)
    return _Done(region.id, inputs, key, False, seconds, reuse.keys, reuse.count)


def _page_reuse(site: render.Site, before: dict, previous_dir: Path):
    from .site.pagereuse import PageReuse, context_key

    context = context_key(_JOB.shared, site.name, site.nav, _site_extra(site, _JOB.options), site.docs_dir)
    return PageReuse(context, before.get("pages", {}), previous_dir if before else None)


def _municipalities(region: Region) -> Path:
    return region.sources["region"].parent.parent / "municipalities.yaml"


def render_region_docs(region: Region, options: BuildOptions, docs: Path, dates: dict[str, dt.date],
                       log: ChangeLog) -> render.Site:
    """The region's Markdown, feed and calendar in its docs folder (MkDocs copies the last two)."""
    site = render.render_region(region, options.on, docs, dates, log)
    feeds.write_region(region, region.state(options.on), log.changes, docs, options.site_url)
    return site


def site_config(site: render.Site, options: BuildOptions) -> dict:
    """The MkDocs settings govsite gives one site, on top of mkdocs.yml (for the benchmark's baseline)."""
    return {"site_name": site.name, "docs_dir": str(site.docs_dir), "nav": site.nav,
            "extra": _site_extra(site, options)}


def _portal_task() -> _Done:
    job = _JOB
    seconds: dict[str, float] = {}
    started = _cpu()
    before = job.previous.get(cache.PORTAL, {})
    histories = {r.id: job.history(r) for r in job.regions}  # from decisions.yaml's git history
    # Only the files the portal is made from (render.portal_view): a change to another file of a
    # region (who decides what, goals) leaves the portal as it was, without rendering it again.
    sources = {f"{r.id}/{kind}": path for r in job.regions
               for kind, path in r.sources_of(render.PORTAL_SOURCES).items()}
    inputs = cache.inputs_key(job.shared, sources, _municipalities(job.regions[0]) if job.regions else None,
                              [job.options.on, job.options.site_url, [r.id for r in job.regions], histories],
                              (job.options.content,))
    started = _timed(seconds, "key", started)
    ready = _Ready(cache.PORTAL, "", _portal_skip([*job.previous, *job.spare]))
    if (entry := ready.take("inputs", inputs)) is not None:
        _timed(seconds, "reuse", started)
        return _reused(cache.PORTAL, entry, inputs, seconds)
    regions = render.portal_view(job.regions)
    site = render.render_portal(regions, job.options.on, job.markdown / "_portal", job.options.content)
    changes = {r.id: change_log(r, job.options.on, histories[r.id]).changes for r in regions}
    feeds.write_portal(regions, changes, job.options.on, site.docs_dir, job.options.site_url)
    started = _timed(seconds, "render", started)
    key = cache.site_key(job.shared, site.name, site.nav, _site_extra(site, job.options), site.docs_dir)
    started = _timed(seconds, "key", started)
    if (entry := ready.take("output", key)) is not None:
        _timed(seconds, "reuse", started)
        return _reused(cache.PORTAL, entry, inputs, seconds)
    reuse = _page_reuse(site, before if ready.out_intact() else {}, job.out)
    mkdocs_site(site, job.work / PORTAL_DIR, job.options, reuse)
    started = _timed(seconds, "mkdocs", started)
    job.copies(cache.PORTAL, key, job.work / PORTAL_DIR)
    _timed(seconds, "index", started)
    return _Done(cache.PORTAL, inputs, key, False, seconds, reuse.keys, reuse.count)


def _task(task: int) -> _Done:
    return _portal_task() if task == PORTAL_TASK else _region_task(task)


def _link_tree(source: Path | str, target: Path | str) -> None:
    """A copy of a built site made of hard links (a real copy across file systems).

    Nothing may write into a reused site afterwards: its files are shared with the previous output,
    which must stay untouched until the swap. (Leaner than shutil.copytree, which also copies every
    folder's times and permissions: this runs for thousands of files in every incremental build.)
    """
    os.makedirs(target)
    _link_folder(source, target)


def _link_folder(source: Path | str, target: Path | str) -> None:
    with os.scandir(source) as entries:
        for entry in entries:
            destination = os.path.join(target, entry.name)
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), destination)
            elif entry.is_dir():
                os.mkdir(destination)
                _link_folder(entry.path, destination)
            else:
                _link(entry.path, destination)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _intact(folder: Path, before: dict, skip: set[str] = frozenset()) -> bool:
    """Whether a site of the previous output is still as that build left it (cache.fingerprint)."""
    return bool(before) and folder.is_dir() and cache.fingerprint(folder, skip) == before.get("fingerprint")


def _portal_skip(sites) -> set[str]:
    """What sits at the output's root but is not the portal's: the regions' folders, the groups' indexes
    (and, in the work folder, where the portal is built)."""
    return {site.split("/")[0] for site in sites if site} | {index.PARTS, PORTAL_DIR}


class _Ready:
    """Where a site that need not be built again is found ready: in the work folder itself, which starts
    as the output before the previous one (the spare, see _work_folder), or in the previous output,
    whose files are then hard-linked into the work folder. `folder` is the site's place in both ("" for
    the portal, at the root, where `skip` names what is not the portal's)."""

    def __init__(self, site: str, folder: str, skip: set[str] = frozenset()):
        job = _JOB
        self.folder, self.skip = folder, skip
        self.kept, self.before = job.spare.get(site, {}), job.previous.get(site, {})
        self._intact: dict[str, bool] = {}  # per place: its files are the ones its manifest entry lists

    def _is_intact(self, place: str) -> bool:
        if place not in self._intact:
            root, entry = (_JOB.work, self.kept) if place == "spare" else (_JOB.out, self.before)
            self._intact[place] = _intact(root / self.folder, entry, self.skip)
        return self._intact[place]

    def out_intact(self) -> bool:
        return self._is_intact("out")

    def take(self, field: str, value: str) -> dict | None:
        """The manifest entry of the ready site whose keys[field] is value, now in place; or None."""
        job = _JOB
        if self.kept.get(field) == value and self._is_intact("spare"):
            return self.kept
        if self.before.get(field) == value and self.out_intact():
            if self.folder:
                _clear(job.work / self.folder)
                _link_tree(job.out / self.folder, job.work / self.folder)
            else:
                _link_portal(job.out, job.work, self.skip)
            return self.before
        return None


def _reused(site: str, entry: dict, inputs: str, seconds: dict[str, float]) -> _Done:
    return _Done(site, inputs, entry["output"], True, seconds, entry.get("pages", {}),
                 fingerprint=entry["fingerprint"], spare=entry is _JOB.spare.get(site))


def _clear(folder: Path) -> None:
    """Make room for a site in the work folder: what the spare had there goes. Its files may be the
    current output's too (hard links), so nothing may be written into them: they are moved out of the
    way, into the trash (deleting a site's hundreds of files would hold up the site being built), and
    the site is written anew."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        _discard(folder, _trash(_JOB.out))


def _link_portal(out: Path, work: Path, skip: set[str]) -> None:
    """The portal's files at the root of the previous output (everything but what skip names), linked
    into the portal's own folder in work; _move_portal puts them at the root."""
    target = work / PORTAL_DIR
    target.mkdir()
    for entry in sorted(out.iterdir()):
        if entry.name in skip:
            continue
        if entry.is_dir() and not entry.is_symlink():
            _link_tree(entry, target / entry.name)
        else:
            _link(str(entry), str(target / entry.name))


def cores() -> int:
    """The cores this process may use (fewer than the machine's in a limited container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _jobs(options: BuildOptions, tasks: int) -> int:
    return max(1, min(options.jobs or cores(), tasks))


def _worker_start(parent: int) -> None:
    """A worker ends with its build: a killed build must not leave workers waiting for work forever
    (they would, as each holds the others' end of the task queue open)."""
    if sys.platform.startswith("linux"):
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build ended before this worker started
        os._exit(1)
    os.nice(WORKER_NICENESS)
    gc.enable()  # a worker builds many sites (govsite's command runs without the collector, see cli.run)


# Workers yield the cores to this process and its Pagefind runs: a search index is what the end of a
# build waits for (after a one-region change, its group's index), while the workers have work to spare.
WORKER_NICENESS = 5


class _Schedule:
    """The sites in order, and the search indexes of what was built (index.Indexer, in this process)."""

    def __init__(self, regions: list[Region], groups: dict[str, list[str]], indexer: index.Indexer,
                 changed: set[str]):
        order = {region_id: n for n, ids in enumerate(groups.values()) for region_id in ids}
        # The regions whose files changed since the last build first, then the others of their
        # groups (each group's index waits for all its regions), then the portal (the largest site),
        # then the other regions; each part group by group, so that the groups' indexes can start
        # while later regions are still being built. In a first build every region changed, and the
        # portal goes first.
        by_group = sorted(range(len(regions)), key=lambda i: (order[regions[i].id], i))
        first = [i for i in by_group if regions[i].id in changed]
        if len(first) == len(regions):
            first = []
        waited = {order[regions[i].id] for i in first}
        with_first = [i for i in by_group if i not in first and order[regions[i].id] in waited]
        rest = [i for i in by_group if i not in first and order[regions[i].id] not in waited]
        self.waiting: list[int] = [*first, *with_first, PORTAL_TASK, *rest]
        self.names: dict[int, str] = {PORTAL_TASK: "portaal", **{i: r.id for i, r in enumerate(regions)}}
        self.groups = groups
        self.open = {name: set(ids) for name, ids in groups.items()}
        self.indexer = indexer
        self.done: list[_Done] = []  # the sites
        self.parts: list[_Done] = []  # the groups' search indexes

    def finished(self, result: _Done) -> None:
        """A site is ready: index it if it was built, and its group once all the group's sites are ready."""
        self.done.append(result)
        job = _JOB
        # The group's index first: after a one-region change, the end of the build waits for it.
        for name, missing in self.open.items():
            if result.site in missing:
                missing.discard(result.site)
                if not missing:
                    self.parts.append(self._part(name))
        if not result.reused:
            folder = job.work / (PORTAL_DIR if result.site == cache.PORTAL else result.site)
            pages = job.pages / _copies_name(result.site)  # made by the worker that built the site
            self.indexer.add(result.site or "het portaal", index.site_command(pages, folder),
                             then=lambda: index.trim_site(folder))

    def _part(self, name: str) -> _Done:
        """A group's index: made again only when one of its sites changed."""
        job = _JOB
        site = f"{index.PARTS}/{name}"
        keys = {d.site: d.key for d in self.done if d.site in self.groups[name]}
        key = cache.part_key(job.shared, keys)
        ready = _Ready(site, site)
        if (entry := ready.take("output", key)) is not None:
            return _reused(site, entry, key, {})
        _clear(job.work / site)
        for region_id in self.groups[name]:  # made by the worker, or kept from an earlier build
            job.copies(region_id, keys[region_id], job.work / region_id)
        # Pagefind writes only what changed since the previous output's index (index.seed_part).
        seeded = ready.out_intact() and index.seed_part(job.out / site, job.work / site)
        self._index_part(name, seeded)
        return _Done(site, key, key, False, {})

    def _index_part(self, name: str, seeded: bool) -> None:
        job = _JOB
        site = f"{index.PARTS}/{name}"

        def then() -> None:
            index.trim_part(job.work, name)
            if seeded and not index.prune_part(job.work, name, job.out / site):
                _clear(job.work / site)  # what the previous index left could not be told apart
                self._index_part(name, seeded=False)

        self.indexer.add(f"zoekindex {name}", index.part_command(job.pages, job.work, name, self.groups[name]),
                         then=then)


def _run(schedule: _Schedule, options: BuildOptions, progress: Progress) -> None:
    """Build the sites, in worker processes when there is more than one core to use, and index them."""
    jobs = _jobs(options, len(schedule.waiting))
    if jobs == 1:
        while schedule.waiting:
            task = schedule.waiting.pop(0)
            progress.update(len(schedule.done), schedule.names[task])
            schedule.finished(_task(task))
    else:
        # The loaded regions and compiled templates live as long as the build: the workers' garbage
        # collector need not walk them again and again (a tenth of a worker's collecting).
        gc.freeze()
        try:
            _run_in_workers(schedule, jobs, progress)
        finally:
            gc.unfreeze()  # a long-lived process (govsite serve) builds again
    progress.update(len(schedule.done), "zoekindex" if schedule.indexer.poll() else None)
    schedule.indexer.wait()
    progress.update(len(schedule.done), None)


def _run_in_workers(schedule: _Schedule, jobs: int, progress: Progress) -> None:
    context = multiprocessing.get_context("fork")  # workers inherit the loaded regions; nothing is pickled
    with futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start,
                                     initargs=(os.getpid(),)) as pool:
        running: dict[futures.Future, int] = {}
        while schedule.waiting or running:
            # Two tasks per worker: a worker that finishes one (a reused site takes milliseconds)
            # goes straight on to the next instead of waiting for this process to hand it one.
            while schedule.waiting and len(running) < 2 * jobs:
                task = schedule.waiting.pop(0)
                running[pool.submit(_task, task)] = task
            progress.update(len(schedule.done), schedule.names[min(running.values(), key=_order(schedule))])
            # Look after the search indexes while the workers build.
            finished, _ = futures.wait(running, timeout=0.02 if schedule.indexer.poll() else None,
                                       return_when=futures.FIRST_COMPLETED)
            for future in finished:
                del running[future]
                try:
                    schedule.finished(future.result())
                except BaseException:
                    for other in running:
                        other.cancel()
                    raise


def _order(schedule: _Schedule) -> Callable[[int], int]:
    return lambda task: 0 if task == PORTAL_TASK else task + 1


def build(regions: list[Region], options: BuildOptions, page_dates, progress: Progress | None = None,
          decision_history: Callable[[Region], Any] | None = None) -> Path:
    """Build the portal and every region into options.out; returns the output folder.

    page_dates(region) gives, per file kind, the date of the YAML file's last change (or nothing).
    """
    global _JOB
    started = time.perf_counter()
    if options.site_url is None:  # --site-url, else mkdocs.yml's extra.site_url
        options.site_url = _base_extra(options.config).get("site_url") or None
    out = options.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    if options.cache is None:
        options.cache = cache.cache_folder(out)
    if options.bytecode is None:
        options.bytecode = options.cache / "templates"
    manifest_path = cache.manifest_path(options.cache)
    trash = _trash(out)
    work, spare = _work_folder(out, options.incremental, trash, options.cache)
    scratch = _scratch()
    _clear_scratch(scratch)
    markdown = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch))
    groups = index.parts([r.id for r in regions])
    indexer = index.Indexer(cores())
    progress = progress or Progress(len(regions) + 1, force=None if options.progress else False)
    try:
        theme = theme_dir(options.config)
        shared = cache.shared_key(options.config, theme, {"on": options.on, **options.extra(None),
                                                          "source_path": options.source_path})
        current = cache.read_manifest(manifest_path) if out.is_dir() else {}  # kept as the spare's after the swap
        previous = current if options.incremental else {}
        files = {r.id: cache.files_key(r.sources) for r in regions}
        changed = {site for site, key in files.items() if previous.get(site, {}).get("files") != key}
        schedule = _Schedule(regions, groups, indexer, changed)
        _JOB = _Job(regions, options, out, page_dates, work, markdown, previous, shared, spare)
        names = {r.id for r in regions} | {cache.PORTAL} | {f"{index.PARTS}/{name}" for name in groups}
        for site in set(spare) - names:  # the spare's sites that are no longer built
            if site and ".." not in site.split("/"):
                _clear(work / site)
        _JOB.decision_history = decision_history
        render.keep_compiled(render.compiled_folder(options.bytecode))
        if not previous:  # everything is built: compile the templates once, before the workers fork
            preloaded = _cpu()
            render.preload()
            options.timings["preload_cpu"] = _cpu() - preloaded
        try:
            _run(schedule, options, progress)
        except index.IndexError_ as err:
            raise BuildError(str(err)) from None
        _move_portal(work, _portal_skip(names))
        if options.markdown is not None:
            _keep_markdown(markdown, options.markdown)
        index.write_parts_list(work, list(groups))
        options.timings.update(_summary(schedule, started, options.timings.get("preload_cpu", 0.0)))
        manifest = {d.site: _manifest_entry(d, files, work, names) for d in schedule.done + schedule.parts}
        old = _swap(work, out)
        cache.write_manifest(manifest_path, manifest)
        index.forget_copies(_JOB.pages, {r.id for r in regions} | {"_portaal"})
        _keep_spare(old, _spare_path(out), current, trash, options.cache)
    except BaseException:
        indexer.stop()
        _discard(work, trash)
        raise
    finally:
        _JOB = None
        progress.finish()
        shutil.rmtree(markdown, ignore_errors=True)
        _empty_trash(trash)
    options.timings["total"] = time.perf_counter() - started
    return out


def _keep_markdown(markdown: Path, target: Path) -> None:
    """Every site's Markdown (with its feed and calendar) as MkDocs was given it, laid out as the site:
    the portal's at the root, each region's in its folder."""
    target.mkdir(parents=True, exist_ok=True)
    for site in sorted(markdown.iterdir()):
        shutil.copytree(site, target if site.name == "_portal" else target / site.name, dirs_exist_ok=True)


def _manifest_entry(done: _Done, files: dict[str, str], work: Path, sites: set[str]) -> dict[str, Any]:
    if done.reused:  # the same files, kept from the spare or hard-linked from the previous output
        fingerprint = done.fingerprint
    elif done.site == cache.PORTAL:
        fingerprint = cache.fingerprint(work, _portal_skip(sites))
    else:
        fingerprint = cache.fingerprint(work / done.site)
    entry: dict[str, Any] = {"inputs": done.inputs, "output": done.key, "fingerprint": fingerprint}
    if done.pages:
        entry["pages"] = done.pages
    if done.site in files:
        entry["files"] = files[done.site]
    return entry


SHARED_MEMORY = "/dev/shm"
SCRATCH_PREFIX = "govsite-md-"  # then the pid of the build, a dash and a random part


def _scratch() -> str | None:
    """Where the Markdown goes that lives only during the build: in memory (Linux's /dev/shm) when it
    has room to spare, which makes writing and reading those thousands of small files several times
    cheaper than on disk; else the system's temporary folder."""
    try:
        if os.access(SHARED_MEMORY, os.W_OK) and shutil.disk_usage(SHARED_MEMORY).free > 1 << 30:
            return SHARED_MEMORY
    except OSError:
        pass
    return None


def _clear_scratch(scratch: str | None) -> None:
    """Remove the Markdown of builds that were killed (a killed process cannot clean up; in /dev/shm
    what it left would hold memory until the machine restarts)."""
    folder = Path(scratch or tempfile.gettempdir())
    for entry in folder.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = entry.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _move_portal(work: Path, skip: set[str]) -> None:
    """The portal's files to the root of the work folder, in place of what the spare had there; a
    portal kept from the spare is there already."""
    portal = work / PORTAL_DIR
    if not portal.is_dir():
        return
    for entry in sorted(work.iterdir()):
        if entry.name not in skip:
            _clear(entry)
    for entry in sorted(portal.iterdir()):
        os.replace(entry, work / entry.name)
    portal.rmdir()


def _summary(schedule: _Schedule, started: float, preload_cpu: float) -> dict[str, Any]:
    # Templates compiled before the workers forked count as rendering.
    steps: dict[str, float] = {"pagefind": schedule.indexer.cpu_seconds, "render": preload_cpu}
    for result in schedule.done:
        for step, seconds in result.seconds.items():
            steps[step] = steps.get(step, 0.0) + seconds
    sites, parts = schedule.done, schedule.parts
    return {"sites": len(sites), "built": sorted(d.site or "portaal" for d in sites if not d.reused),
            "reused": sum(1 for d in sites if d.reused),
            "from_spare": sum(1 for d in sites + parts if d.spare),
            "pages": {"built": sum(len(d.pages) - d.pages_reused for d in sites if not d.reused),
                      "reused": sum(d.pages_reused for d in sites if not d.reused)},
            "search_parts": {"built": sorted(d.site for d in parts if not d.reused),
                             "reused": sum(1 for d in parts if d.reused)},
            "worker_cpu_seconds": steps, "sites_wall": time.perf_counter() - started}


def _publish_sources(region: Region, target: Path) -> None:
    """Publish the region's YAML next to its site, so every page can open the file behind it."""
    for kind, path in sorted(region.sources.items()):
        destination = target / render.source_name(region, kind)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
