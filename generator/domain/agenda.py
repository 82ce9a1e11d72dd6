"""The council's agenda: the dates of a region a gemeenteraad has to plan for, and the legal deadlines
of the budget cycle of a gemeenschappelijke regeling (Wet gemeenschappelijke regelingen, BWBR0003740).

Every item says how it is known (`basis`), because a council plans on it:
- "vastgelegd": a date the secretariat recorded (accountability.yaml `cycle`, region.yaml, agreements);
- "berekend": a deadline the law derives from a recorded date (the zienswijze term from the day the
  draft budget was sent, the latest day for Gedeputeerde Staten from the day of adoption);
- "wettelijk": where no date is recorded, the latest day the law allows (shown as "uiterlijk");
- "planning": the region's own annual planning or planned evaluation (shown as "uiterlijk" too).
A planned or legal date is never presented as a fact. Pure: no files, no site; the model's Region is
only read (duck-typed, so that gaps.py can use the deadline functions without an import cycle).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable, Optional

from .labels import long_date, names
from .norms import WGR_2022 as AMENDED
from .vocabulary import WGR_FORMS_WITH_BOARD as OWN_BUDGET

if TYPE_CHECKING:
    from . import schema
    from .model import Region

ZIENSWIJZE_DAYS = 84  # twelve weeks (art. 35 Wgr as amended); earlier drafts are not checked here
GS_DAYS = 14  # the adopted budget goes to GS within two weeks of adoption (art. 34 Wgr)
COMING_DAYS = 400  # how far ahead the agenda looks: the next budget cycle whole
PAST_DAYS = 365  # how far back "geweest" looks on the region's page

RANK = {"wettelijk": 0, "planning": 1, "berekend": 2, "vastgelegd": 3}  # later knowledge ranks higher


@dataclass(frozen=True)
class AgendaItem:
    date: dt.date
    kind: str  # kaders | ontwerpbegroting | zienswijze | algemeen-bestuur | vastgesteld | begroting-gs | ...
    key: str  # stable within the region: what the item is (kind, budget year, member period, version); never a date
    title: str
    region_id: str
    region_name: str
    body: str  # who it comes from or who meets: "het dagelijks bestuur", "Algemeen bestuur"
    basis: str  # vastgelegd | berekend | wettelijk | planning
    law: str = ""  # "art. 35 Wgr", when the law sets or derives the date
    detail: str = ""  # how the date was found, in a sentence
    document: Optional[str] = None  # address of the document, when known
    cancelled: bool = False  # no longer on this municipality's agenda (it left the region)

    @property
    def latest(self) -> bool:
        """Shown as "uiterlijk <date>": a deadline not (yet) met by a recorded date."""
        return self.basis in ("wettelijk", "planning")

    @property
    def uid(self) -> str:
        """The event's id in every calendar: the region and what the item is (its key), never the date, so
        that a changed date updates the subscriber's event instead of adding one."""
        return f"{self.region_id}-{self.key}"

    @property
    def sequence(self) -> int:
        """iCalendar SEQUENCE: rises as a date becomes better known (law, plan, derived, recorded) and
        when it is cancelled, so calendars replace their copy."""
        return RANK[self.basis] + (4 if self.cancelled else 0)


# --- the law's deadlines ----------------------------------------------------------------------

def frameworks_deadline(year: int) -> dt.date:
    """Last day for the frameworks and the provisional accounts of budget year `year` to reach the
    councils: before 30 April of the year before (art. 34b Wgr; before 15 April until 1 July 2022)."""
    return dt.date(year - 1, 4, 29) if dt.date(year - 1, 4, 30) >= AMENDED else dt.date(year - 1, 4, 14)


def gs_deadline(year: int, adopted: dt.date | None = None) -> dt.date:
    """Last day for the adopted budget of `year` to reach Gedeputeerde Staten: within two weeks of its
    adoption and before 15 September of the year before (art. 34 Wgr; before 1 August until 1 July 2022)."""
    last = dt.date(year - 1, 9, 14) if dt.date(year - 1, 9, 15) >= AMENDED else dt.date(year - 1, 7, 31)
    return min(last, adopted + dt.timedelta(days=GS_DAYS)) if adopted else last


def accounts_gs_deadline(year: int) -> dt.date:
    """Last day for the annual accounts of `year` to reach Gedeputeerde Staten: before 15 July of the
    next year (art. 34 Wgr)."""
    return dt.date(year + 1, 7, 14)


def zienswijze_end(draft_sent: dt.date) -> dt.date | None:
    """The end of the councils' twelve weeks on a draft budget sent on that day, under the law as
    amended (art. 35 Wgr); None for a draft sent before 1 July 2022, whose term govsite does not check."""
    return draft_sent + dt.timedelta(days=ZIENSWIJZE_DAYS) if draft_sent >= AMENDED else None


def annual_date(mmdd: str, year: int) -> dt.date:
    """An annual date "MM-DD" in a year; 29 February is the 28th in other years."""
    month, day = int(mmdd[:2]), int(mmdd[3:])
    if month == 2 and day == 29:
        try:
            return dt.date(year, 2, 29)
        except ValueError:
            return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def has_own_budget(legal_form: str) -> bool:
    return legal_form in OWN_BUDGET


# --- one region's agenda -------------------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:40]


def _body(region: Region, kind: str, fallback: str) -> str:
    """The name of the region's body of this kind (algemeen-bestuur, dagelijks-bestuur), else the law's word."""
    organisation = region.organisation
    for body in organisation.bodies if organisation else ():
        if body.kind == kind:
            return body.name
    return fallback


def region_agenda(region: Region, start: dt.date, end: dt.date) -> list[AgendaItem]:
    """The region's agenda items dated from start to end (both included), nearest first."""
    items = [item for item in _all_items(region, start.year - 1, end.year + 2) if start <= item.date <= end]
    return sorted(items, key=_order)


def coming(region: Region, on: dt.date) -> list[AgendaItem]:
    """What is coming for the region from `on`, as far ahead as the agenda looks (COMING_DAYS)."""
    return region_agenda(region, on, on + dt.timedelta(days=COMING_DAYS))


def _order(item: AgendaItem) -> tuple:
    return (item.date, item.region_name, item.kind, item.key)


def _all_items(region: Region, first_year: int, last_year: int) -> list[AgendaItem]:
    data = region.data
    accountability = region.accountability
    cycles = {c.year: c for c in accountability.cycle} if accountability else {}
    legal = has_own_budget(data.legal_form)
    board = _body(region, "algemeen-bestuur", "het algemeen bestuur")
    daily = _body(region, "dagelijks-bestuur", "het dagelijks bestuur")
    items: list[AgendaItem] = []

    def add(date: dt.date | None, kind: str, key: str, title: str, body: str, basis: str, **more) -> None:
        if date is not None:
            items.append(AgendaItem(date, kind, key, title, region.id, data.name, body, basis, **more))

    # Zienswijze rounds first: their subject and document say more than the cycle's term of the same day.
    for round_ in accountability.zienswijze_rounds if accountability else ():
        add(round_.ends, "zienswijze", f"zienswijze-{round_.id}",
            f"Termijn voor de zienswijze op {round_.subject} eindigt", "de raden", "berekend",
            document=round_.document,
            detail=f"{round_.term_days} dagen na {long_date(round_.sent)}, toen het ontwerp naar de raden ging.")
    for year in range(first_year, last_year + 1):
        cycle = cycles.get(year)
        if cycle is None and not legal:
            continue
        _budget_year(add, year, cycle, legal, board, daily)
    _planning(add, region, first_year, last_year, items)
    evaluation = accountability.evaluation if accountability else None
    if evaluation and evaluation.next:  # one next evaluation: a moved date moves the same event
        add(evaluation.next, "evaluatie", "evaluatie", "Evaluatie van de samenwerking",
            "", "planning", detail="De datum die de regio voor de volgende evaluatie plant.")
    periods: dict[str, int] = {}
    for member in sorted(data.members, key=lambda m: (m.municipality, m.since)):
        # the municipality's n-th period: its key stays when the dates of the period move
        n = periods[member.municipality] = periods.get(member.municipality, 0) + 1
        name = region.municipalities.name(member.municipality)
        add(member.since, "toetreding", f"toetreding-{member.municipality.lower()}-{n}",
            f"Gemeente {name} treedt toe", "", "vastgelegd")
        if member.until:
            successor = region.merged_into(member.municipality, member.until + dt.timedelta(days=1))
            then = region.municipalities.name(successor) if successor else None
            add(member.until, "uittreding", f"uittreding-{member.municipality.lower()}-{n}",
                f"Gemeente {name} gaat op in {then} (herindeling)" if then else f"Gemeente {name} treedt uit", "",
                "vastgelegd", detail=f"Laatste dag van deelname; {then} zet de deelname voort." if then
                else "Laatste dag van deelname.")
    for agreement in region.agreements:
        add(agreement.ends, "afspraak", f"vervalt-{agreement.id}", f"{agreement.title} vervalt", "", "vastgelegd")
        for version in agreement.versions:
            add(version.effective, "versie", f"versie-{agreement.id}-{_slug(version.version)}",
                f"{agreement.title}: versie {version.version} treedt in werking", "", "vastgelegd",
                document=version.publication)
    seen: set[dt.date] = set()
    kept = []
    for item in items:  # one zienswijze term per day: the first, a round's, says most
        if item.kind == "zienswijze":
            if item.date in seen:
                continue
            seen.add(item.date)
        kept.append(item)
    return kept


def _budget_year(add, year: int, cycle: Optional[schema.BudgetCycle], legal: bool, board: str, daily: str) -> None:
    """The items of one budget year: what was recorded, else (for a regeling with a budget of its own)
    the latest day the law allows."""
    if cycle and cycle.frameworks_sent:
        add(cycle.frameworks_sent, "kaders", f"kaders-{year}",
            f"Kaders {year} en voorlopige jaarrekening naar de raden", daily, "vastgelegd",
            law="art. 34b Wgr", document=cycle.frameworks_document)
    elif legal:
        add(frameworks_deadline(year), "kaders", f"kaders-{year}",
            f"Kaders {year} en voorlopige jaarrekening naar de raden", daily, "wettelijk", law="art. 34b Wgr",
            detail=f"De wet schrijft voor: vóór {long_date(frameworks_deadline(year) + dt.timedelta(days=1))}.")
    board_day = cycle.board_meeting or cycle.adopted if cycle else None
    if cycle and cycle.draft_sent:
        add(cycle.draft_sent, "ontwerpbegroting", f"ontwerpbegroting-{year}",
            f"Ontwerpbegroting {year} naar de raden", daily, "vastgelegd", law="art. 35 Wgr",
            document=cycle.draft_document)
        end = zienswijze_end(cycle.draft_sent)
        add(end, "zienswijze", f"zienswijze-begroting-{year}",
            f"Termijn voor de zienswijze op de ontwerpbegroting {year} eindigt", "de raden", "berekend",
            law="art. 35 Wgr", document=cycle.draft_document,
            detail=f"Twaalf weken na {long_date(cycle.draft_sent)}, toen de ontwerpbegroting naar de raden ging.")
    elif legal and board_day and board_day - dt.timedelta(days=ZIENSWIJZE_DAYS) >= AMENDED:
        add(board_day - dt.timedelta(days=ZIENSWIJZE_DAYS), "ontwerpbegroting", f"ontwerpbegroting-{year}",
            f"Ontwerpbegroting {year} naar de raden", daily, "wettelijk", law="art. 35 Wgr",
            detail=f"Twaalf weken vóór de vergadering van {long_date(board_day)}: de raden hebben twaalf weken "
                   "voor hun zienswijze.")
    if cycle and cycle.board_meeting:
        add(cycle.board_meeting, "algemeen-bestuur", f"algemeen-bestuur-begroting-{year}",
            f"{board} vergadert over de begroting {year}", board, "vastgelegd", document=cycle.draft_document)
    if cycle and cycle.adopted and cycle.adopted != cycle.board_meeting:
        add(cycle.adopted, "vastgesteld", f"vastgesteld-{year}", f"Begroting {year} vastgesteld", board,
            "vastgelegd", document=cycle.budget_document)
    if cycle and cycle.sent_to_gs:
        add(cycle.sent_to_gs, "begroting-gs", f"begroting-gs-{year}",
            f"Begroting {year} naar Gedeputeerde Staten", daily, "vastgelegd", law="art. 34 Wgr",
            document=cycle.budget_document)
    elif legal:
        adopted = cycle.adopted if cycle else None
        detail = (f"Binnen twee weken na de vaststelling op {long_date(adopted)} en vóór 15 september."
                  if adopted and gs_deadline(year, adopted) >= AMENDED
                  else "De wet schrijft voor: binnen twee weken na de vaststelling en vóór "
                       f"{long_date(gs_deadline(year) + dt.timedelta(days=1))}.")
        add(gs_deadline(year, adopted), "begroting-gs", f"begroting-gs-{year}",
            f"Begroting {year} naar Gedeputeerde Staten", daily, "berekend" if adopted else "wettelijk",
            law="art. 34 Wgr", detail=detail, document=cycle.budget_document if cycle else None)
    if legal:
        add(accounts_gs_deadline(year), "jaarrekening-gs", f"jaarrekening-gs-{year}",
            f"Jaarrekening {year} naar Gedeputeerde Staten", daily, "wettelijk", law="art. 34 Wgr",
            detail=f"De wet schrijft voor: vóór 15 juli {year + 1}.")


def _planning(add, region: Region, first_year: int, last_year: int, items: list[AgendaItem]) -> None:
    """The region's own annual planning, each year, unless a date of the cycle falls on the same day;
    with the zienswijze term of an instrument on the same subject (the planned latest end)."""
    accountability = region.accountability
    if not accountability:
        return
    instruments = {i.subject.lower(): i for i in accountability.council_instruments
                   if i.kind == "zienswijze" and i.term_days}
    cycles = {c.year: c for c in accountability.cycle}
    taken = {item.date for item in items}
    for item in accountability.planning_cycle:
        to = names([region.body_name(t) for t in item.to]) if item.to else ""
        instrument = instruments.get(item.document.lower())
        for year in range(first_year, last_year + 1):
            deadline = annual_date(item.by, year)
            if deadline in taken:
                continue
            # The day it was sent, when the budget cycle recorded it: then the planned latest day is past
            # news, and a term counted from it would contradict the one counted from the real day.
            sent = _recorded(instrument, cycles.get(year + 1))
            if sent is None:
                add(deadline, "planning", f"planning-{_slug(item.document)}-{year}",
                    item.document + (f" naar {to}" if to else ""), "", "planning",
                    detail="Uiterste datum in de planning van de regio.")
            if instrument:
                add((sent or deadline) + dt.timedelta(days=instrument.term_days), "zienswijze",
                    f"zienswijze-{_slug(item.document)}-{year}", f"Termijn voor de zienswijze op {item.document} eindigt",
                    "de raden", "berekend" if sent else "planning",
                    detail=f"{instrument.term_days} dagen na {long_date(sent)}, de dag waarop het stuk naar de raden ging."
                    if sent else f"{instrument.term_days} dagen na de uiterste datum voor {item.document} in de "
                                 "planning van de regio.")


def _recorded(instrument: Optional[schema.CouncilInstrument], cycle: Optional[schema.BudgetCycle]) -> dt.date | None:
    """The day the document a zienswijze is about went to the councils, as the budget cycle of the year it
    prepares recorded it: the kaderbrief (art. 34b Wgr) or the draft budget (art. 35 Wgr)."""
    if instrument is None or cycle is None:
        return None
    if instrument.applies_to == "kaderbrief":
        return cycle.frameworks_sent
    if instrument.applies_to == "ontwerpbegroting":
        return cycle.draft_sent
    return None


def register_agenda(entry, start: dt.date, end: dt.date) -> list[AgendaItem]:
    """The legal latest dates of a regeling known only from the national register (register.RegisterEntry:
    no secretariat published its dates), for a form with a budget of its own, on the days it is in force.
    None for a cross-border body: a treaty or EU regulation and the law of its seat say which Wgr dates apply,
    and the register says neither (its page says so)."""
    if entry.is_division or not entry.legal_form or not has_own_budget(entry.legal_form) or entry.cross_border():
        return []
    items: list[AgendaItem] = []

    def add(date: dt.date | None, kind: str, key: str, title: str, body: str, basis: str, **more) -> None:
        if date is not None and start <= date <= end and entry.in_force(date) is not None:
            items.append(AgendaItem(date, kind, key, title, entry.id, entry.name, body, basis, **more))

    for year in range(start.year - 1, end.year + 2):
        _budget_year(add, year, None, True, "het algemeen bestuur", "het dagelijks bestuur")
    return sorted(items, key=_order)


# --- a municipality's agenda over all its regions ---------------------------------------------

def municipality_agenda(code: str, regions: Iterable[Region], start: dt.date, end: dt.date,
                        agendas: dict[str, list[AgendaItem]] | None = None,
                        registered: Iterable[AgendaItem] = ()) -> list[AgendaItem]:
    """The coming items of every region the municipality takes part in, nearest first. An item of a
    region the municipality has left by its date is kept as cancelled (a calendar that had it drops
    it); the page leaves those out. `agendas` holds each region's items from start to end, when known;
    `registered` the items of the regelingen it takes part in that are known only from the register."""
    found: list[AgendaItem] = list(registered)
    for region in regions:
        if not any(m.municipality == code for m in region.data.members):
            continue
        if not (region.data.member_on(code, start) or any(m.municipality == code and m.since >= start
                                                       for m in region.data.members)):
            continue  # left before start: nothing of this region is on its agenda any more
        items = agendas[region.id] if agendas is not None else region_agenda(region, start, end)
        for item in items:
            own = item.kind in ("toetreding", "uittreding") and item.key.split("-")[1] == code.lower()
            if own or region.data.member_on(code, item.date):
                found.append(item)
            elif item.kind not in ("toetreding", "uittreding"):
                found.append(replace(item, cancelled=True))
    return sorted(found, key=_order)


# --- what the completeness check reports -------------------------------------------------------

def cycle_gaps(region: Region, on: dt.date, gap) -> None:
    """The adopted budget reached Gedeputeerde Staten late, or is not recorded as sent when its latest
    day has passed (art. 34 Wgr): gap(topic, file, loc, message) for each."""
    accountability = region.accountability
    if not accountability or not has_own_budget(region.data.legal_form):
        return
    for i, cycle in enumerate(accountability.cycle):
        if not cycle.adopted or cycle.adopted > on:
            continue
        deadline = gs_deadline(cycle.year, cycle.adopted)
        rule = (f"binnen twee weken na de vaststelling en vóór {long_date(gs_deadline(cycle.year) + dt.timedelta(days=1))}"
                " (artikel 34 Wet gemeenschappelijke regelingen)")
        if cycle.sent_to_gs and deadline < cycle.sent_to_gs <= on:
            gap("raad", "accountability.yaml", ("cycle", i, "sent_to_gs"),
                f"De begroting {cycle.year} ging op {long_date(cycle.sent_to_gs)} naar Gedeputeerde Staten. Dat "
                f"moest uiterlijk op {long_date(deadline)}: {rule}.", check="begroting-naar-gs")
        elif not cycle.sent_to_gs and deadline < on:
            gap("raad", "accountability.yaml", ("cycle", i, "adopted"),
                f"Er staat niet dat de begroting {cycle.year} naar Gedeputeerde Staten ging. Dat moest uiterlijk op "
                f"{long_date(deadline)}: {rule}.", check="begroting-naar-gs")
