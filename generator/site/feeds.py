"""Subscriptions: an Atom feed of a region's changes (and one for all regions) and an iCalendar file with
its upcoming dates, so that a griffie can follow a region without visiting the site.

Both are written by templates (templates/feeds/). The Atom environment escapes for XML; the iCalendar
environment escapes every value as RFC 5545 TEXT unless a filter marks it as already formatted, and
the result is folded into lines of at most 75 octets with CRLF line ends. Ids (tag: URIs, UIDs) come
from the data only, and the dates are the data's or the build date, so output is deterministic.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import jinja2
from markupsafe import Markup

from ..domain import agenda
from ..domain.agenda import AgendaItem
from ..domain.changes import Change
from ..domain.labels import long_date
from ..domain.model import Region, RegionState
from . import outputs, templating

TAG = "tag:govsite,2026:"  # fixed authority and date: ids must never change, whatever the site's address
FEED = "wijzigingen.xml"
CALENDAR = "agenda.ics"
AGENDA_FEED = "agenda.xml"  # a municipality's agenda as Atom, beside its calendar
MUNICIPALITY_FOLDER = outputs.MUNICIPALITIES  # where the municipality pages are
ALL_REGIONS_LIMIT = 200  # newest entries in the feed over all regions

_SLUG = re.compile(r"[^a-z0-9]+")


# --- iCalendar text (RFC 5545) -------------------------------------------------------------

def fold(line: str, limit: int = 75) -> str:
    """Fold one content line into lines of at most `limit` octets, never inside a UTF-8 character (3.1).
    A limit of at least 5: a continued line (after its space) has room for any character."""
    if limit < 5:  # a four-octet character would never fit: the loop below would not end
        raise ValueError("fold needs a limit of at least 5 octets")
    if line.isascii():  # one octet per character (isascii costs nothing: the string knows it)
        if len(line) <= limit:  # most lines
            return line
        return "\r\n ".join([line[:limit]] + [line[i:i + limit - 1] for i in range(limit, len(line), limit - 1)])
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    # Cut the octets: a cut that lands on a continuation octet (10xxxxxx) moves back to its character's start.
    parts, start, room = [], 0, limit
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(data[start:end])
        start, room = end, limit - 1  # continuation lines start with one space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def ics_document(rendered: str) -> str:
    """Rendered template lines -> an iCalendar stream: empty lines dropped, folded, CRLF ends.

    Split only at the template's own line ends: values are one line each (ics_text), but
    str.splitlines() would also break at characters such as U+2028 that a value may hold."""
    lines = [line for line in rendered.split("\n") if line.strip(" \t\r")]
    return "\r\n".join(map(fold, lines)) + "\r\n" if lines else ""


@functools.lru_cache(maxsize=4096)  # every calendar of a build has the same stamp and many of the same dates
def _ics_date(value: dt.date) -> Markup:
    return Markup(value.strftime("%Y%m%d"))


@functools.lru_cache(maxsize=64)
def _ics_stamp(value: dt.date) -> Markup:
    return Markup(value.strftime("%Y%m%dT000000Z"))


# --- Atom ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)  # twice per entry, and the feeds share their dates
def _atom_date(value: dt.date) -> Markup:
    return Markup(f"{value.isoformat()}T00:00:00Z")  # digits, '-', ':', 'T', 'Z': nothing XML acts on


@functools.cache
def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """The Atom environment (XML escaping) and the iCalendar environment (TEXT escaping)."""
    return (templating.environment("atom", {"atomdate": _atom_date}),
            templating.environment("ics", {"icsdate": _ics_date, "icsstamp": _ics_stamp}))


def preload() -> None:
    """Compile both feed templates now (see render.preload)."""
    atom, ics = environments()
    atom.get_template("feeds/wijzigingen.xml")
    ics.get_template("feeds/agenda.ics")


# --- what goes in them ---------------------------------------------------------------------

def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def base_url(site_url: Optional[str], region_id: Optional[str] = None) -> str:
    """The address that links are written against: absolute with a site URL, relative without."""
    prefix = (site_url.rstrip("/") + "/") if site_url else ""
    return prefix + (f"{region_id}/" if region_id else "")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    date: dt.date
    link: str
    kind: str
    region: str  # region name


@dataclass(frozen=True)
class Event:
    uid: str
    date: dt.date
    summary: str
    description: str
    kind: str
    url: str
    sequence: int = 0  # rises when the event is better known or cancelled: calendars replace their copy
    cancelled: bool = False  # STATUS:CANCELLED: a calendar that had the event drops it


def entries(region: Region, changes: list[Change], base: str, title_prefix: str = "") -> list[Entry]:
    name = region.data.name
    return [Entry(f"{TAG}{region.id}/{c.key}", f"{title_prefix}{c.sentence}", c.date, base + c.url, c.kind, name)
            for c in changes]


def atom_feed(*, feed_id: str, title: str, subtitle: str, author: str, self_link: str, page_link: str,
              items: list[Entry], fallback: dt.date) -> str:
    updated = max((e.date for e in items), default=fallback)
    return environments()[0].get_template("feeds/wijzigingen.xml").render(
        feed_id=feed_id, title=title, subtitle=subtitle, author=author, self_link=self_link, page_link=page_link,
        updated=updated, entries=items)


def region_feed(region: Region, changes: list[Change], on: dt.date, site_url: Optional[str] = None) -> str:
    base = base_url(site_url, region.id) if site_url else ""
    return atom_feed(feed_id=f"{TAG}{region.id}/wijzigingen", title=f"Wijzigingen in {region.data.name}",
                     subtitle="Nieuwe versies van afspraken, deelnemers die toetreden of uittreden, "
                              "wisselingen in functies en evaluaties.", author=region.data.name,
                     self_link=base + FEED, page_link=base + "wijzigingen/", items=entries(region, changes, base),
                     fallback=on)


def all_regions_feed(regions: list[Region], changes: dict[str, list[Change]], on: dt.date,
                     site_url: Optional[str] = None) -> str:
    items = [entry for region in regions
             for entry in entries(region, changes[region.id], base_url(site_url, region.id), f"{region.data.name}: ")]
    items.sort(key=lambda e: (-e.date.toordinal(), e.id))
    base = base_url(site_url)
    return atom_feed(feed_id=f"{TAG}wijzigingen", title="Wijzigingen in alle regio's",
                     subtitle="Wat er veranderde in de afspraken, deelnemers en functies van alle regio's.",
                     author="Regionale samenwerking in beeld",
                     self_link=base + FEED, page_link=base or "./", items=items[:ALL_REGIONS_LIMIT], fallback=on)


def events(region: Region, state: RegionState, site_url: Optional[str] = None) -> list[Event]:
    """The region's coming agenda (domain/agenda.py, the same events as on its members' calendars) and the
    ends of terms of office, as all-day events. UIDs from region, kind and year, never a date, so that a
    moved deadline updates the subscriber's event instead of adding one."""
    url = base_url(site_url, region.id) + "raad/" if site_url else ""
    items = agenda.coming(region, state.on)
    found = agenda_events(items, url, with_region=False)
    for item in state.upcoming:  # the ends of terms of office: on the region's own calendar only
        uid = f"{region.id}-termijn-{slug(item.title)[:60]}-{item.date.year}@govsite"
        found.append(Event(uid, item.date, item.title, item.detail, item.kind, url))
    return sorted(found, key=lambda event: (event.date, event.uid))


def _calendar(name: str, stamp: dt.date, events_: list[Event], description: str) -> str:
    """The calendar from its template's macros. ics_document of the parts, one after the other, is
    ics_document of the whole: each part is whole lines, and the empty lines it drops are in no part."""
    macros = _calendar_macros()
    return (ics_document(macros.head(name, description)) + "".join([_vevent(event, stamp) for event in events_])
            + ics_document(macros.tail()))


def _calendar_macros():
    return environments()[1].get_template("feeds/agenda.ics").module


_ONE_DAY = dt.timedelta(days=1)


# A region's coming dates are on the calendar of each of its members: each event is made and folded once
# (measured on the national portal: 9,453 events on 510 calendars, 1,362 different ones).
@functools.lru_cache(maxsize=8192)
def _vevent(event: Event, stamp: dt.date) -> str:
    return ics_document(_calendar_macros().vevent(event, stamp, _ONE_DAY))


def region_calendar(region: Region, state: RegionState, site_url: Optional[str] = None) -> str:
    return _calendar(region.data.name, state.on, events(region, state, site_url),
                     f"Termijnen en data van {region.data.name}: planning- en controlcyclus, zienswijzen, "
                     "evaluaties en afspraken die aflopen.")


# --- a municipality's agenda over all its regions (domain/agenda.py) ---------------------------

def _when(item: AgendaItem) -> str:
    """The date as the page says it: "uiterlijk 29 april 2027 (art. 34b Wgr)" for a latest date."""
    words = ("uiterlijk " if item.latest else "") + long_date(item.date)
    return words + (f" ({item.law})" if item.law else "")


def agenda_events(items: list[AgendaItem], page_link: str, with_region: bool = True) -> list[Event]:
    """The agenda as all-day events. UIDs come from region, kind and year (AgendaItem.uid), never from a
    date or a position, so a moved deadline updates the subscriber's event."""
    return [_agenda_event(item, page_link, with_region) for item in items]


@functools.lru_cache(maxsize=8192)  # a region's item is on the calendar of each of its members
def _agenda_event(item: AgendaItem, page_link: str, with_region: bool) -> Event:
    description = " ".join(part for part in (
        f"{_when(item)}.", f"{item.region_name}." if with_region else "",
        f"Van: {item.body}." if item.body else "", item.detail,
        f"Stuk: {item.document}" if item.document else "") if part)
    summary = f"{item.title} ({item.region_name})" if with_region else item.title
    return Event(f"{item.uid}@govsite", item.date, summary, description, item.kind,
                 item.document or page_link, item.sequence, item.cancelled)


def municipality_calendar(name: str, items: list[AgendaItem], on: dt.date, page_link: str) -> str:
    return _calendar(f"raad {name}", on, agenda_events(items, page_link),
                     f"Termijnen en besluiten van alle regio's waarin {name} meedoet: zienswijzen, kaders, "
                     "begroting, evaluaties en uittredingen. 'Uiterlijk' is de laatste dag die de wet of de "
                     "planning toestaat.")


def municipality_feed(code: str, name: str, items: list[AgendaItem], on: dt.date, base: str) -> str:
    """An Atom entry per coming item. An entry is 'updated' on the day its date came within the agenda's
    reach (its date minus agenda.COMING_DAYS): the same in every build, and new when the date moves."""
    folder = f"{MUNICIPALITY_FOLDER}/{code.lower()}/"
    # The feed lies in the municipality's folder, beside its page: a relative link is read from there
    # (without a site URL), so it names no folder; an absolute one names the whole path.
    here = base + folder if base else ""
    page = here or "./"
    entries_ = [Entry(f"{TAG}{folder}agenda/{item.uid}", f"{_when(item)}: {item.title}",
                      min(on, item.date - dt.timedelta(days=agenda.COMING_DAYS)),
                      item.document or page, item.kind, item.region_name)
                for item in items if not item.cancelled]
    return atom_feed(feed_id=f"{TAG}{folder}agenda", title=f"Agenda voor de raad van {name}",
                     subtitle=f"Termijnen en besluiten van alle regio's waarin {name} meedoet, de eerstvolgende eerst.",
                     author="Regionale samenwerking in beeld", self_link=here + AGENDA_FEED,
                     page_link=page, items=entries_, fallback=on)


def write_municipalities(agendas: dict[str, list[AgendaItem]], names: dict[str, str], on: dt.date, folder: Path,
                         site_url: Optional[str] = None) -> None:
    """Each municipality's calendar and feed beside its page (gemeenten/<code>/agenda.ics, agenda.xml).
    Written for every municipality, also with an empty agenda: the set of files stays the same when one
    region's dates change, so the portal's other pages are reused (pagereuse keys on that set)."""
    base = base_url(site_url)
    for code, items in agendas.items():
        target = folder / code.lower()
        target.mkdir(parents=True, exist_ok=True)
        page = base + f"{MUNICIPALITY_FOLDER}/{code.lower()}/" if site_url else ""  # a calendar needs a full address
        (target / CALENDAR).write_bytes(municipality_calendar(names[code], items, on, page).encode("utf-8"))
        (target / AGENDA_FEED).write_text(municipality_feed(code, names[code], items, on, base), encoding="utf-8")


def write_region(region: Region, state: RegionState, changes: list[Change], folder: Path,
                 site_url: Optional[str] = None) -> None:
    """Write the region's feed and calendar into its site folder (MkDocs copies them as they are)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FEED).write_text(region_feed(region, changes, state.on, site_url), encoding="utf-8")
    (folder / CALENDAR).write_bytes(region_calendar(region, state, site_url).encode("utf-8"))


def write_portal(regions: list[Region], changes: dict[str, list[Change]], on: dt.date, folder: Path,
                 site_url: Optional[str] = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FEED).write_text(all_regions_feed(regions, changes, on, site_url), encoding="utf-8")

