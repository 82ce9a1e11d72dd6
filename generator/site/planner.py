"""The site planner: what each site of a build is, as the engine takes it (engine/spec.SiteSpec).

One site per region, in a folder named after it, and the portal at the root of the output, over
every region. The specs are made in the build's process before its workers fork: their closures
over the regions are inherited, never pickled.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..domain.changes import ChangeLog, change_log
from ..domain.model import Municipalities, Region
from ..engine import cache
from ..engine.spec import Inputs, Rendered, SiteSpec
from . import feeds, render

PORTAL_NAME = "_portaal"  # its key in the manifest and its search copies: "_" is in no region id


@dataclass(frozen=True)
class National:
    """What the portal shows besides the full regions: the national registers (domain/register.Registry),
    the municipality list, and the files both come from (for the portal's inputs key)."""

    registry: Any = None
    municipalities: Municipalities | None = None
    files: dict[str, Path] = field(default_factory=dict)  # label -> register.yaml, register-links.yaml, ...


def settings(options, region_id: str | None) -> dict[str, Any]:
    """The build's own settings of a site (on top of mkdocs.yml's `extra` and the rendered site's)."""
    return {
        "as_of_banner": options.as_of_banner,
        "as_of_label": render.long_date(options.on),
        "source_url": options.source_url,
        "source_path": "/".join(p for p in (options.source_path, region_id) if p) if region_id else None,
        "site_root": site_root(options.site_url),
        "feed": feeds.FEED,  # main.html links the Atom feed of the site (all regions on the portal)
    }


def site_root(site_url: str | None) -> str:
    """Where an error page links from: the portal's public address (--site-url) without its closing "/",
    else "" (the server's root). An error page is served at whatever address was not found, so a relative
    link cannot work there; the footer, the header's search and 404.html all use this one value."""
    url = str(site_url or "").strip()
    return url.rstrip("/") if url.lower().startswith(("https://", "http://")) else ""


def site_config(site: render.Site, options, base: dict[str, Any]) -> dict[str, Any]:
    """The MkDocs settings govsite gives one site, on top of mkdocs.yml (`base`: its extra)."""
    return {"site_name": site.name, "docs_dir": str(site.docs_dir), "nav": site.nav,
            "extra": {**base, **site.extra, **settings(options, site.extra.get("region"))}}


def _rendered(site: render.Site, options, base: dict[str, Any]) -> Rendered:
    config = site_config(site, options, base)
    return Rendered(site.name, site.docs_dir, site.nav, config["extra"])


def _municipalities(region: Region) -> Path:
    return region.sources["region"].parent.parent / "municipalities.yaml"


def render_region_docs(region: Region, options, docs: Path, dates: dict, log: ChangeLog) -> render.Site:
    """The region's Markdown, feed and calendar in its docs folder (MkDocs copies the last two)."""
    site = render.render_region(region, options.on, docs, dates, log)
    feeds.write_region(region, region.state(options.on), log.changes, docs, options.site_url)
    return site


def plan(regions: list[Region], options, page_dates: Callable[[Region], dict], base: dict[str, Any],
         decision_history: Callable[[Region], Any] | None = None, national: National | None = None) -> list[SiteSpec]:
    """The portal, then a site per region. `options` are the build's (build.BuildOptions), `base` the
    `extra` of mkdocs.yml; page_dates(region) and decision_history(region) read git's history; national:
    the registers and municipality list (the registry-only regions are pages of the portal)."""
    def history(region: Region) -> Any:
        return decision_history(region) if decision_history else None

    return [_portal(regions, options, history, base, national or National()),
            *(_region(region, options, page_dates, history, base) for region in regions)]


def _region(region: Region, options, page_dates, history, base: dict[str, Any]) -> SiteSpec:
    @functools.cache  # in the worker that builds the site: for its inputs, then for its render
    def known() -> tuple[dict, Any]:
        return page_dates(region), history(region)

    def inputs() -> Inputs:
        # Exactly the arguments of render_region_docs (the region as its files).
        files = {**{f"source/{kind}": path for kind, path in region.sources.items()},
                 "municipalities": _municipalities(region)}
        return Inputs(files, [options.on, options.site_url, *known()])

    def rendered(docs: Path) -> Rendered:
        dates, decisions = known()
        return _rendered(render_region_docs(region, options, docs, dates, change_log(region, options.on, decisions)),
                         options, base)

    # The region's YAML is published beside its site, so every page can open the file behind it.
    published = {f"bron/{render.source_name(region, kind)}": path for kind, path in region.sources.items()}
    return SiteSpec(region.id, region.id, inputs, rendered, published, cache.files_key(region.sources),
                    searchable=True)


def _portal(regions: list[Region], options, history, base: dict[str, Any], national: National) -> SiteSpec:
    @functools.cache
    def histories() -> dict[str, Any]:  # from decisions.yaml's git history
        return {r.id: history(r) for r in regions}

    def inputs() -> Inputs:
        # Only the files the portal is made from (render.portal_view): a change to another file of a
        # region (who decides what, goals) leaves the portal as it was, without rendering it again.
        files = {f"source/{r.id}/{kind}": path for r in regions
                 for kind, path in r.sources_of(render.PORTAL_SOURCES).items()}
        if regions:
            files["municipalities"] = _municipalities(regions[0])
        # The registers: every register.yaml (registry-only and adopted regions), the links file, the list.
        files.update({f"national/{label}": path for label, path in national.files.items()})
        return Inputs(files, [options.on, options.site_url, [r.id for r in regions], histories()],
                      (options.content,))

    def rendered(docs: Path) -> Rendered:
        view = render.portal_view(regions)
        site = render.render_portal(view, options.on, docs, options.content, national.registry,
                                    national.municipalities, site_url=options.site_url)
        changes = {r.id: change_log(r, options.on, histories()[r.id]).changes for r in view}
        feeds.write_portal(view, changes, options.on, site.docs_dir, options.site_url)
        return _rendered(site, options, base)

    return SiteSpec(PORTAL_NAME, "", inputs, rendered, label="portaal")
