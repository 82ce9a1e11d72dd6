"""The MkDocs adapter: builds one rendered site with MkDocs and Material, for the engine (a Builder).

Everything govsite does to MkDocs lives here: its warnings fail the build (as `mkdocs build --strict`),
one Jinja environment for Material's templates per process (_SharedTheme), the installed themes read
once, the theme's files listed without its icons and without what no site loads, the unchanged pages
and files taken from the previous build as hard links (pagereuse.py) and a sitemap written by govsite.
"""
from __future__ import annotations

import copy
import functools
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import yaml

from ..engine import cache
from ..engine.spec import BuildError, Built, Previous, Rendered
from ..escape import ci_text, xml_text

PROJECT = Path(__file__).resolve().parent.parent.parent
MKDOCS_YML = PROJECT / "mkdocs.yml"
# Material ships these for its own search, which Pagefind replaces: no page loads them.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/",
                      # Not rendered (see _SharedTheme.attach), so it would be copied as its raw template.
                      "sitemap.xml")
# Nor its source maps: only a browser's developer tools read them.
UNUSED_THEME_SUFFIXES = (".map",)


def unused_theme_file(name: str) -> bool:
    """Whether a file of the theme is left out of every site."""
    return name.startswith(UNUSED_THEME_FILES) or name.endswith(UNUSED_THEME_SUFFIXES)


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


def base_extra(config: Path) -> dict:
    """The `extra` settings of mkdocs.yml, which every site's own extra goes on top of."""
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
            env.list_templates = theme_files(theme.dirs)  # only add_files_from_theme lists them
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
    points again for every site (it clears its own cache each time). The installed themes do not
    change while govsite runs."""

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


def theme_files(dirs: list[str]):
    """The theme's files for MkDocs to copy into each site (env.list_templates, which MkDocs calls only
    for that), listed once per process, without unused ones.

    Jinja's own listing walks all of the theme's folders, with Material's 14,000 icons in .icons/, and
    MkDocs then drops every path with a part that starts with a dot. This walk leaves such folders
    out, and so lists the same files."""
    listed: list[str] = []

    def listing(extensions=None, filter_func=None):
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

    return listing


class MkDocs:
    """A Builder (engine/spec.py): one rendered site with MkDocs, in the calling process. `site_url` is
    the public address of the root site (for the sitemap); `bytecode` a folder for compiled templates."""

    def __init__(self, config: Path, site_url: str | None, bytecode: Path | None):
        self.config, self.site_url, self.bytecode = config, site_url, bytecode

    def __call__(self, site: Rendered, site_dir: Path, previous: Previous) -> Built:
        from .pagereuse import PageReuse

        reuse = PageReuse([previous.shared, site.name, site.nav, site.extra], previous.pages, previous.folder)
        mkdocs_site(site, site_dir, self.config, self.site_url, self.bytecode, reuse)
        return Built(reuse.keys, reuse.count)


def mkdocs_site(site: Rendered, site_dir: Path, config: Path, site_url: str | None = None,
                bytecode: Path | None = None, reuse=None) -> None:
    """Build one rendered site with MkDocs, in this process; `reuse` (pagereuse.PageReuse) takes the
    pages that did not change from the previous build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from . import errorpage, pagerender, pagereuse

    pagerender.install()
    pagereuse.install()
    _InstalledThemes.install()

    with _mkdocs_warnings() as warnings:
        cfg = load_config(config_file=str(config), site_name=site.name, docs_dir=str(site.docs_dir),
                          site_dir=str(site_dir), nav=site.nav, extra=site.extra)
        _SharedTheme.attach(cfg.theme, bytecode)
        if reuse is not None:
            cfg.plugins[pagereuse.PLUGIN] = reuse
        if site.extra.get("region"):
            cfg.plugins[errorpage.PLUGIN] = errorpage.RegionErrorPage(site.extra.get("site_root") or "",
                                                                      site.extra["region"])
        mkdocs_build(cfg)
    _write_sitemap(site_dir, site_url, site.extra.get("region"), bool(site.extra.get("example")))
    if site.extra.get("example") and not site.extra.get("region"):
        _write_robots(site_dir)
    if warnings.messages:
        raise BuildError(f"MkDocs meldt problemen bij '{ci_text(site.name)}':\n  "
                         + "\n  ".join(ci_text(message) for message in warnings.messages))


def _write_sitemap(site_dir: Path, site_url: str | None, region_id: str | None, example: bool = False) -> None:
    """The site's pages for search engines, written here rather than by MkDocs (whose lastmod is the
    build time). Material's script also asks for it beside every `rel=alternate` link (the feed): the
    file must exist. Without the site's address no absolute URL can be given: an empty list. An example
    site offers search engines nothing: an empty list too."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    if site_url and not example:
        base = site_url.rstrip("/") + "/" + (f"{region_id}/" if region_id else "")
        for page in sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html")):
            lines.append(f"  <url><loc>{xml_text(base + ('' if page == '.' else page + '/'))}</loc></url>")
    lines.append("</urlset>")
    _write_new(site_dir / "sitemap.xml", "\n".join(lines) + "\n")


def _write_robots(site_dir: Path) -> None:
    """At the root of an example site: crawling allowed and no sitemap named. Every page says noindex,
    and a crawler that robots.txt kept out could not read that, and might list the bare addresses."""
    _write_new(site_dir / "robots.txt",
               "# Voorbeeldsite met verzonnen gegevens. Elke pagina vraagt zoekmachines om haar niet op te nemen\n"
               "# (noindex); daarvoor moeten ze de pagina's wel kunnen lezen. Er is geen sitemap.\n"
               "User-agent: *\nDisallow:\n")


def _write_new(path: Path, text: str) -> None:
    """A file written anew: a file of the site MkDocs left there may be a hard link to the previous
    output (pagereuse), which must not change."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")
