"""Step 5, build: Markdown to static HTML with MkDocs and Material, one site per region plus the portal.

A build plans its sites (site/planner.py: what each site is), and the engine (engine/run.py) builds
them with the MkDocs adapter (site/mkdocs_adapter.py): it reuses what did not change, builds the rest
in worker processes, indexes them for search and swaps the new output in whole (engine/publish.py),
so a failed build leaves the previous output untouched.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .domain.model import Municipalities, Region
from .engine import cache, run
from .engine.progress import Progress
from .engine.spec import BuildError, EngineOptions
from .site import outputs, planner, render
from .site.mkdocs_adapter import MKDOCS_YML, MkDocs, base_extra, theme_dir
from .site.planner import render_region_docs

__all__ = ["BuildError", "BuildOptions", "build", "render_region_docs", "site_config", "theme_dir"]

CONTENT = outputs.CONTENT


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
        return planner.settings(self, region_id)


def site_config(site: render.Site, options: BuildOptions) -> dict:
    """The MkDocs settings govsite gives one site, on top of mkdocs.yml (for the benchmark's baseline)."""
    return planner.site_config(site, options, base_extra(options.config))


def national_of(checked) -> planner.National:
    """The registers, the municipality list and their files, from a check (pipeline.Checked)."""
    validation, sources = checked.validation, checked.sources
    files: dict[str, Path] = {}
    if sources.municipalities is not None:
        files["municipalities"] = sources.municipalities.path
    if sources.register_links is not None:
        files["register-links"] = sources.register_links.path
    for region_files in sources.regions:
        if region_files.register is not None:
            files[f"register/{region_files.folder.name}"] = region_files.register.path
    municipalities = Municipalities({m.code: m for m in validation.municipalities})
    return planner.National(validation.registry, municipalities, files)


def build(regions: list[Region], options: BuildOptions, page_dates, progress: Progress | None = None,
          decision_history: Callable[[Region], Any] | None = None, national: planner.National | None = None) -> Path:
    """Build the portal and every region into options.out; returns the output folder.

    page_dates(region) gives, per file kind, the date of the YAML file's last change (or nothing);
    decision_history(region), decisions.yaml through git's history (or nothing); national, the registers
    and the municipality list (national_of(checked)).
    """
    base = base_extra(options.config)
    if options.site_url is None:  # --site-url, else mkdocs.yml's extra.site_url
        options.site_url = base.get("site_url") or None
    out = options.out.resolve()
    if options.cache is None:
        options.cache = cache.cache_folder(out)
    if options.bytecode is None:
        options.bytecode = options.cache / "templates"
    render.keep_compiled(render.compiled_folder(options.bytecode))

    specs = planner.plan(regions, options, page_dates, base, decision_history, national)
    engine = EngineOptions(out=out, cache=options.cache, config=options.config, theme=theme_dir(options.config),
                           settings={"on": options.on, **options.extra(None), "source_path": options.source_path},
                           jobs=options.jobs, incremental=options.incremental, progress=options.progress,
                           markdown=options.markdown, warm_up=render.preload, timings=options.timings)
    run.build(specs, engine, MkDocs(options.config, options.site_url, options.bytecode), progress)
    return out
