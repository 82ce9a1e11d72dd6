"""Step 4, render: the model through Jinja2 templates into Markdown pages, one folder per site.

Escaping is the environment's job, not the templates': its finalize HTML-escapes and Markdown-escapes
every `{{ value }}` in a Markdown template (so data is shown, never interpreted), Markdown fields go
through the `md` filter (Markdown kept, raw HTML shown as text), and SVG/HTML fragments are made
by a second environment with plain HTML escaping. The environments come from templating.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..domain import schema
from ..formats import euro, number, percentage
from ..escape import markdown_text as md_escape, theme_text, yaml_string
from . import datamd, mdfragments
from ..domain import agenda, facts, labels, norms
from . import descriptions, feeds, outputs
from ..domain.labels import long_date
from ..domain.register import CBS, ROO
from ..domain.changes import ChangeLog, change_log, elections_before, timeline
from ..domain.model import Municipalities, Region, RegionState
from . import national, opendata, templating
from .textdiff import compare_versions

TEMPLATES = templating.TEMPLATES


# --- filters -------------------------------------------------------------------------------

def markdown(value: str | None, inline: bool = False) -> Markup:
    """A Markdown field as finished HTML (datamd: linear time, raw HTML shown as text), which the
    page's Markdown passes unread; inline: inside a table cell or a list item, one line."""
    if not value or not str(value).strip():
        return Markup("")
    if inline:
        return Markup(mdfragments.wrap_inline(datamd.to_html(str(value), inline=True)))
    html, paragraph = datamd.blocks_or_paragraph(str(value))
    if paragraph:  # where the template writes it, as the text of a paragraph (after "**Kosten:** ")
        return Markup(mdfragments.wrap_inline(html))
    # Blocks of their own, also where the template writes them after other text on a line.
    return Markup(f"\n\n{mdfragments.wrap(html)}\n\n")


@functools.lru_cache(maxsize=4096)
def article_anchor(number: str) -> Markup:
    """The id of an article on an agreement page: artikel-<number>, dots as dashes (artikel-4-1).
    Only [a-z0-9-], so safe as-is in a link target and an id."""
    return Markup("artikel-" + re.sub(r"[^a-z0-9]+", "-", str(number).lower()).strip("-"))


def url(value: str | None) -> Markup:
    """A validated http(s)/mailto address for a Markdown link target."""
    if not value:
        return Markup("")
    return Markup(str(value).replace("(", "%28").replace(")", "%29").replace(" ", "%20")
                  .replace("<", "%3C").replace(">", "%3E").replace('"', "%22"))


def euro_filter(value: float | None) -> Markup:
    """An amount as formats.euro writes it, kept as it is: the escaping of page text would make its
    non-breaking space (which holds "€" to the number) an ordinary one. Only digits, dots, "€", "-"
    and that space: nothing Markdown or HTML acts on."""
    return Markup(euro(value))


@functools.cache
def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """The Markdown environment and the HTML/SVG environment, shared by all sites of a build."""
    filters = dict(md=markdown, date=long_date, euro=euro_filter, number=number, percentage=percentage, url=url,
                   text=md_escape, label=labels.label, explain=labels.explain, anchor=article_anchor,
                   names=labels.names)
    context = dict(schema=schema, svg=svg, balances=labels.BALANCES, labels=labels.LABELS, norms=norms.NORMS,
                   applies=norms.applies)
    return (templating.environment("markdown", filters, context),
            templating.environment("fragment", filters, context))


compiled_folder = templating.compiled_folder  # where the build keeps them (see keep_compiled)


def keep_compiled(folder: Path) -> None:
    """Keep the compiled page, diagram and feed templates in folder, for the next build: loading them is
    much cheaper than compiling them again. Jinja checks each against its source."""
    templating.keep_compiled(folder, code=[Path(__file__)])  # and the templates' own code (templating)


def preload() -> None:
    """Compile (or load) every page, diagram and feed template now.

    A build that calls this before it forks its workers compiles the templates once, instead of once
    in every worker; environments() and the compiled templates are then shared by all sites."""
    from . import feeds

    md_env, html_env = environments()
    for name in md_env.list_templates(extensions=["md"]):
        md_env.get_template(name)
    for name in html_env.list_templates(extensions=["html", "svg"]):
        html_env.get_template(name)
    feeds.preload()


def svg(template: str, **context: Any) -> Markup:
    """An SVG or HTML fragment drawn at build time from its own template, as a block of the page that
    Markdown leaves as it is (mdfragments)."""
    return Markup(mdfragments.wrap(environments()[1].get_template(template).render(**context)))


# --- pages ---------------------------------------------------------------------------------

@dataclass
class Page:
    path: str  # relative to docs_dir, e.g. "besluitvorming.md"
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # file kind behind the page, e.g. "decisions"
    in_nav: bool = True

    @property
    def root(self) -> str:
        """Relative link from this page's address to its site's root ("" on the home page)."""
        parts = self.path.removesuffix(".md").split("/")
        return "../" * (len(parts) - 1 if parts[-1] == "index" else len(parts))


@dataclass
class Site:
    """What the build step needs to know about one rendered site."""

    name: str
    docs_dir: Path
    nav: list
    extra: dict[str, Any]


REGION_PAGES = [
    # path, title in the navigation, template, source file kind
    ("index.md", "Overzicht", "region/overzicht.md", "region"),
    ("deelnemers.md", "Deelnemers", "region/deelnemers.md", "region"),
    ("organisatie.md", "Organisatie", "region/organisatie.md", "organisation"),
    ("besluitvorming.md", "Besluitvorming", "region/besluitvorming.md", "decisions"),
    ("escalatieladder.md", "Escalatieladder", "region/escalatieladder.md", "decisions"),
    ("raad.md", "Rol van de raad", "region/raad.md", "accountability"),
    # the council's meeting pack: made from the pages around it, so no file of its own
    ("raadsoverzicht.md", "Raadsoverzicht", "region/raadsoverzicht.md", None),
    ("financien.md", "Financiën", "region/financien.md", "finance"),
    ("afspraken/index.md", "Afspraken", "region/afspraken.md", None),
    ("wijzigingen.md", "Wijzigingen", "region/wijzigingen.md", None),
    ("doelen.md", "Doelen en voortgang", "region/doelen.md", "progress"),
    ("reflectie.md", "Reflectie", "region/reflectie.md", "reflection"),
    ("governance-check.md", "Governance-check", "region/governance-check.md", None),
    ("zoeken.md", "Zoeken", "zoeken.md", None),
]


def region_pages(region: Region, state: RegionState) -> list[Page]:
    pages = [Page(path, title, template, source=source) for path, title, template, source in REGION_PAGES]
    for agreement_state in state.agreements:
        agreement = agreement_state.agreement
        pages.append(Page(f"afspraken/{agreement.id}/index.md", agreement.title, "region/afspraak.md",
                          {"current": agreement_state}, source=f"agreement:{agreement.id}", in_nav=False))
        for version in agreement_state.versions:  # a permanent page per version adopted by the date
            pages.append(Page(f"afspraken/{agreement.id}/versie-{version.slug}/index.md",
                              f"{agreement.title}, versie {version.version.version}", "region/versie.md",
                              {"current": agreement_state, "shown": version,
                               "comparison": compare_versions(version.previous, version.version)},
                              source=f"agreement:{agreement.id}", in_nav=False))
    return pages


def _front_matter(values: dict[str, Any]) -> str:
    """YAML front matter for MkDocs; values are quoted JSON strings, which YAML reads as-is. They reach
    the theme's templates unescaped, so they are HTML-escaped here."""
    lines = ["---"]
    for key, value in values.items():
        if value is not None:
            lines.append(f"{key}: {yaml_string(theme_text(value))}")
    return "\n".join(lines + ["---", "", ""])


def write_pages(pages: list[Page], docs_dir: Path, context: dict[str, Any], meta) -> None:
    md_env = environments()[0]
    folders: set[Path] = set()  # many pages share a folder: make each once
    for page in pages:
        target = docs_dir / page.path
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        body = md_env.get_template(page.template).render(page=page, **context, **page.context)
        target.write_text(_front_matter(meta(page)) + body, encoding="utf-8")


# The search weight of the text of a version no longer in force (Pagefind's data-pagefind-weight: 1 is
# normal text, on a quadratic scale): such a page ranks below the agreement's own page and the version in
# force, which hold the same words (issue 19 item 4). Still found when nothing else matches.
SUPERSEDED_WEIGHT = "0.2"
# Pages that repeat what other pages say (the council's printable overview): found, but below the pages
# they repeat, so that a search does not list the same answer twice at the top.
REPEATING_WEIGHTS = {"raadsoverzicht.md": "0.5"}


def _superseded(page: Page) -> bool:
    shown = page.context.get("shown")
    return shown is not None and shown.status == "vervallen"


def source_name(region: Region, kind: str | None) -> str | None:
    """The path of the YAML file behind a page, inside the region folder (and under bron/ on the site)."""
    path = region.sources.get(kind) if kind else None
    if path is None:
        return None
    return f"agreements/{path.name}" if kind.startswith("agreement:") else path.name


def render_region(region: Region, on: dt.date, docs_dir: Path, page_dates: dict[str, dt.date],
                  log: ChangeLog | None = None) -> Site:
    """Write the Markdown of one region's site into docs_dir.

    page_dates maps a file kind to the date of its last change (from git), when known; log is the
    region's change log (made here, without decisions' git history, when not given).
    """
    state = region.state(on)
    pages = region_pages(region, state)
    log = log or change_log(region, on)
    goals = facts.goal_facts(region, on)
    context = {"region": region, "state": state, "data": region.data, "on": on, "today": on,
               "org": facts.org_chart(region), "finance_table": facts.finance_table(region),
               "bars": facts.bar_chart(region, state), "goals": goals,
               "latest_updates": facts.latest_updates(region, on, goals), "members": facts.member_facts(region, state),
               "log": log, "timeline": timeline(log, on), "elections": elections_before(on),
               "agenda_coming": agenda.coming(region, on),
               "agenda_past": agenda.region_agenda(region, on - dt.timedelta(days=agenda.PAST_DAYS),
                                                   on - dt.timedelta(days=1)),
               "rounds": facts.zienswijze_rounds(region, on),
               "objection_of": functools.partial(facts.objection, region)}

    def meta(page: Page) -> dict[str, Any]:
        updated = page_dates.get(page.source) if page.source else None
        return {"title": page.title if page.path != "index.md" else region.data.name,
                "description": descriptions.region_page(page.path, page.title, region.data.name,
                                                        region.data.summary),
                "search_weight": SUPERSEDED_WEIGHT if _superseded(page) else REPEATING_WEIGHTS.get(page.path),
                "source": source_name(region, page.source),
                "updated": updated.isoformat() if updated else None,
                "updated_label": long_date(updated) if updated else None}

    write_pages(pages, docs_dir, context, meta)
    nav = [{p.title: p.path} for p in pages if p.in_nav]
    extra = {"region": region.id, "example": region.data.example, "as_of": on.isoformat(), "portal": "../"}
    return Site(name=theme_text(region.data.name), docs_dir=docs_dir, nav=nav, extra=extra)


PORTAL_PAGES = [  # their top-level names are reserved: no region folder may take them (outputs.py)
    ("index.md", "Alle regio's", "portal/index.md"),
    (f"{outputs.MUNICIPALITIES}/index.md", "Gemeenten", "portal/gemeenten.md"),
    (f"{outputs.DIVISIONS}.md", "Gebieden", "portal/gebieden.md"),
    (f"{outputs.REGELINGEN}.md", "Regelingen", "portal/regelingen.md"),
    (f"{outputs.OVERLAP}.md", "Overlap", "portal/overlap.md"),
    (f"{outputs.OPEN_DATA}/index.md", "Open data", "portal/opendata.md"),
    (f"{outputs.SEARCH_PAGE}.md", "Zoeken", "zoeken.md"),
]
# The overviews of the national registers: only in a build that has register files.
REGISTER_PAGES = (f"{outputs.DIVISIONS}.md", f"{outputs.REGELINGEN}.md")


# What the portal's pages and feed are made from: each region's own file (name, kind, members), who
# holds which position (organisation), the contributions (finance), the evaluations (accountability)
# and the agreements, for the change feed. Not who decides what (decisions: only its git history,
# which the build gives the feed), the goals (progress) or the reflection.
PORTAL_SOURCES = ("region", "organisation", "finance", "accountability", "agreement")


def portal_view(regions: list[Region]) -> list[Region]:
    """The regions as the portal sees them: only their PORTAL_SOURCES files, so that a change to
    another file cannot change the portal, and the build need not render it again."""
    return [r.only(PORTAL_SOURCES) for r in regions]


def render_portal(regions: list[Region], on: dt.date, docs_dir: Path, content_dir: Path | None,
                  registry=None, municipalities: Municipalities | None = None, site_url: str | None = None) -> Site:
    """The portal over all regions: regions by kind, a page per municipality, the overlap view; with the
    national registers (domain/register.Registry) also a compact page per region known only from them,
    the overviews of divisions and regelingen, and the open data files (opendata.py).

    Registry pages and municipality pages are not in the navigation: Material writes the whole
    navigation into every page, so a navigation that grew with them would make the build quadratic."""
    regions = portal_view(regions)
    states = {r.id: r.state(on) for r in regions}
    if municipalities is None:
        municipalities = regions[0].municipalities if regions else Municipalities({})
    country = national.National.of(registry, regions, states, municipalities, on)
    codes = country.codes()
    patchwork = {code: country.patchwork(code) for code in codes}
    agendas = council_agendas(codes, patchwork, on)
    # The matrix of full regions: only the municipalities that take part in one, now or before.
    overlap_codes = [c for c in codes if patchwork[c].others or patchwork[c].adopted]
    pages = [Page(path, title, template) for path, title, template in PORTAL_PAGES
             if country.registered or path not in REGISTER_PAGES]
    for code in codes:
        pages.append(Page(f"{outputs.MUNICIPALITIES}/{code.lower()}.md", municipalities.name(code),
                          "portal/gemeente.md", {"code": code}, in_nav=False))
    for entry in country.compact():
        pages.append(Page(f"{entry.id}/index.md", entry.name, "portal/register.md", {"entry": entry}, in_nav=False))
    sources = country.register_sources()
    context = {"regions": regions, "states": states, "municipalities": municipalities, "codes": codes, "on": on,
               "overlap": facts.overlap(overlap_codes, regions, states), "overlap_codes": overlap_codes,
               "national": country, "patchwork": patchwork,
               "provinces": national.provinces(codes, municipalities),
               "today": on, "agendas": agendas, "roo": sources.get(ROO), "cbs": sources.get(CBS)}
    once = environments()[0].get_template("portal/_once.md").make_module(context)
    context.update(municipality_link=functools.cache(once.municipality), division_row=once_each(once.division_row),
                   agenda_row=once_each(once.agenda_row))
    write_pages(pages, docs_dir, context,
                lambda page: {"title": page.title, "description": descriptions.portal_page(page.path, page.title)})
    opendata.write(docs_dir / outputs.OPEN_DATA, country, patchwork)
    feeds.write_municipalities(agendas, {code: municipalities.name(code) for code in codes}, on,
                               docs_dir / outputs.MUNICIPALITIES, site_url)
    nav = [{p.title: p.path} for p in pages if p.in_nav]
    if content_dir and content_dir.is_dir():
        for source in sorted(content_dir.rglob("*.md")):
            relative = source.relative_to(content_dir)
            target = docs_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            title = _title_of(text, source)
            if SOURCES_MARK in text:  # "Over deze site": where the data come from, as this portal has them
                text = text.replace(SOURCES_MARK, environments()[0].get_template("portal/_sources.md").render(context))
            if not text.startswith("---"):  # a page without front matter: its first paragraph describes it
                text = _front_matter({"description": descriptions.lede(text)}) + text
            target.write_text(text, encoding="utf-8")
            nav.append({title: str(relative)})
    extra = {"region": None, "example": any(r.data.example for r in regions), "as_of": on.isoformat(),
             "portal": "./", **portal_footer(regions, sources)}
    return Site(name="Regionale samenwerking in beeld", docs_dir=docs_dir, nav=nav, extra=extra)


# The line in content/over.md that becomes the portal's own account of its sources (portal/_sources.md).
SOURCES_MARK = "<!-- govsite: bronnen -->"


def portal_footer(regions: list[Region], sources: dict[str, Any]) -> dict[str, Any]:
    """What the footer and the print header of the portal say about its data (theme/overrides): which
    registers it shows, with their date, and whether regions with a site of their own keep the rest."""
    roo_date = long_date(sources[ROO].retrieved) if ROO in sources else ""
    registers = [{"name": f"het {ROO}", "date": roo_date}] if ROO in sources else []
    if CBS in sources:
        registers.append({"name": "de gebiedsindelingen van CBS en PDOK", "date": "2025"})
    return {"registers": registers, "full_regions": bool(regions),
            # The print header's date: the register's, where the portal's counts come from it.
            "stand_label": f"gegevens van het register van {roo_date}" if roo_date else None}


def once_each(make):
    """make(item), made once per item (by identity) for as long as the returned function lives: what
    many pages show alike (a region's date on the agenda of each of its members) is rendered once."""
    made: dict[int, tuple[Any, Any]] = {}

    def once(item):
        found = made.get(id(item))
        if found is None:  # the item is kept with its result, so that its id is not taken by another
            found = made[id(item)] = (item, make(item))
        return found[1]
    return once


def council_agendas(codes: list[str], patchwork: dict, on: dt.date) -> dict[str, list[agenda.AgendaItem]]:
    """Each municipality's coming agenda (domain/agenda.py): the dates of the full regions it takes part in,
    and the legal latest dates of the regelingen it takes part in that only the registers know. Each
    region's and regeling's items are made once, whatever the number of its members."""
    end = on + dt.timedelta(days=agenda.COMING_DAYS)
    by_region: dict[str, list[agenda.AgendaItem]] = {}
    by_entry: dict[str, list[agenda.AgendaItem]] = {}
    found = {}
    for code in codes:
        pw = patchwork[code]
        regions = {m.region.id: m.region for m in [*pw.others, *pw.adopted]}
        for region in regions.values():
            if region.id not in by_region:
                by_region[region.id] = agenda.region_agenda(region, on, end)
        registered = []
        for taking in pw.regelingen:
            if taking.region is None:  # an adopted regeling's dates are its full region's
                if taking.entry.id not in by_entry:
                    by_entry[taking.entry.id] = agenda.register_agenda(taking.entry, on, end)
                registered += by_entry[taking.entry.id]
        found[code] = agenda.municipality_agenda(code, regions.values(), on, end, by_region, registered)
    return found


def _title_of(text: str, path: Path) -> str:
    """A content page's title: its first heading or front matter title, else its file name."""
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
        if line.startswith("title:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    return path.stem.replace("-", " ").capitalize()
