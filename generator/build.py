"""Step 5, build: Markdown to static HTML with MkDocs and Material, one site per region plus the portal.

Everything is built into a fresh folder next to the output folder and swapped in only when every
site and the search index are complete, so a failed build leaves the previous output untouched.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ruamel.yaml import YAML

from . import render
from .findings import Finding
from .model import Region

PROJECT = Path(__file__).resolve().parent.parent
MKDOCS_YML = PROJECT / "mkdocs.yml"
CONTENT = PROJECT / "content"


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
    config: Path = MKDOCS_YML
    content: Path = CONTENT

    def extra(self, region_id: str | None) -> dict:
        return {
            "as_of_banner": self.as_of_banner,
            "as_of_label": render.long_date(self.on),
            "source_url": self.source_url,
            "source_path": f"{self.source_path}/{region_id}" if region_id else None,
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


def _base_extra(config: Path) -> dict:
    data = YAML(typ="safe").load(config.read_text(encoding="utf-8")) or {}
    return dict(data.get("extra") or {})


def mkdocs_site(site: render.Site, site_dir: Path, options: BuildOptions) -> None:
    """Build one rendered site with MkDocs, in this process."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = options.config
    extra = {**_base_extra(config), **site.extra, **options.extra(site.extra.get("region"))}
    with _mkdocs_warnings() as warnings:
        cfg = load_config(config_file=str(config), site_name=site.name, docs_dir=str(site.docs_dir),
                          site_dir=str(site_dir), nav=site.nav, extra=extra)
        mkdocs_build(cfg)
    if warnings.messages:
        raise BuildError(f"MkDocs meldt problemen bij '{site.name}':\n  " + "\n  ".join(warnings.messages))


def _swap(work: Path, out: Path) -> None:
    """Replace out by work with as short a window as the file system allows."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(work, out)
    shutil.rmtree(old, ignore_errors=True)


def build(regions: list[Region], options: BuildOptions, page_dates) -> Path:
    """Build the portal and every region into options.out; returns the output folder.

    page_dates(region) gives, per file kind, the date of the YAML file's last change (or nothing).
    """
    out = options.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    markdown = Path(tempfile.mkdtemp(prefix="govsite-md-"))
    try:
        portal = render.render_portal(regions, options.on, markdown / "_portal", options.content)
        mkdocs_site(portal, work, options)
        for region in regions:
            site = render.render_region(region, options.on, markdown / region.id, page_dates(region))
            mkdocs_site(site, work / region.id, options)
            _publish_sources(region, work / region.id / "bron")
        from .index import index_sites

        index_sites(work, [r.id for r in regions])
        _swap(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(markdown, ignore_errors=True)
    return out


def _publish_sources(region: Region, target: Path) -> None:
    """Publish the region's YAML next to its site, so every page can open the file behind it."""
    for kind, path in sorted(region.sources.items()):
        destination = target / render.source_name(region, kind)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
