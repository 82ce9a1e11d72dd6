"""The change log of a region, derived from the model: what changed when, newest first.

Every entry is one plain Dutch sentence, a date and the page it is about. The Wijzigingen page, the
Atom feeds and the tests all read this one list. Changes to who decides what (decisions.yaml) have no
dates in the data, so they come from git history when there is any (history.py).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from . import labels, schema
from .labels import long_date, names
from .model import Region, version_slugs

# Dutch municipal elections: "what changed since the last election?" is the question councils ask.
MUNICIPAL_ELECTIONS = [dt.date(2010, 3, 3), dt.date(2014, 3, 19), dt.date(2018, 3, 21), dt.date(2022, 3, 16),
                       dt.date(2026, 3, 18)]
KIND_ORDER = {"afspraak": 0, "deelname": 1, "besluit": 2, "functie": 3, "evaluatie": 4, "zienswijze": 5}
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Change:
    date: dt.date
    kind: str  # afspraak | deelname | functie | evaluatie | besluit
    sentence: str  # one Dutch sentence, plain text
    page: str  # the page it is about, relative to the region's docs folder, e.g. "organisatie.md"
    key: str  # stable within the region, for feed entry ids: never changes once published

    @property
    def url(self) -> str:
        """The page's address relative to the site root (directory URLs)."""
        return page_url(self.page)


@dataclass(frozen=True)
class DecisionSnapshot:
    """decisions.yaml as committed on a date (from git): per decision id, its topic, body and council role."""

    date: dt.date
    commit: str
    decisions: dict[str, dict[str, str]]
    correction: bool = False  # the commit corrects a mistake (history.CORRECTION): no change to report


@dataclass(frozen=True)
class ChangeLog:
    changes: list[Change]  # newest first
    decisions_from_git: bool  # whether changes in who decides what could be read from git history
    decisions: list[schema.Decision] = field(default_factory=list)  # the decision matrix on the log's date
    decisions_committed: Optional[dt.date] = None  # when that matrix comes from an earlier commit: its date

    def since(self, date: dt.date) -> list[Change]:
        return [c for c in self.changes if c.date >= date]


@dataclass(frozen=True)
class Election:
    """A municipal election as a marker in the change list: everything above it happened after."""

    date: dt.date
    kind: str = "verkiezingen"


def change_log(region: Region, on: dt.date, decision_history: Optional[list[DecisionSnapshot]] = None) -> ChangeLog:
    decisions, committed = decisions_on(region, on, decision_history)
    return ChangeLog(region_changes(region, on, decision_history), decision_history is not None, decisions, committed)


def decisions_on(region: Region, on: dt.date, history: Optional[list[DecisionSnapshot]]
                 ) -> tuple[list[schema.Decision], Optional[dt.date]]:
    """The decision matrix as it stood on a date, and the date of the commit it comes from.

    decisions.yaml has no dates of its own: only its git history tells who decided what before. When
    `on` lies before the file's latest commit, the commit in force on that date gives each decision's
    body, council role and topic; decisions added later are left out, removed ones come back (with
    what the history keeps). Without history, or on or after the latest commit, the file as it is.
    """
    current = list(region.decisions.decisions) if region.decisions else []
    past = [s for s in history or [] if s.date <= on]
    if not history or not past or past[-1] is history[-1]:
        return current, None
    snapshot = past[-1]
    by_id = {d.id: d for d in current}
    decisions = []
    for id, fields in snapshot.decisions.items():
        if id in by_id:
            # the steps of today's sequence hold only where the commit had the same (strongest) role
            steps = {} if fields.get("council_role") == by_id[id].council_role else {"council_roles": []}
            decisions.append(by_id[id].model_copy(update=fields | steps))
        elif {"topic", "decides", "council_role"} <= fields.keys():
            decisions.append(schema.Decision.model_construct(id=id, **fields))
    return decisions, snapshot.date


def timeline(log: ChangeLog, on: dt.date) -> list[tuple[int, list[Change | Election]]]:
    """The changes grouped by year, newest first, with the municipal elections in between.

    An election sits below the changes of its own day: a change on election day counts as "since".
    """
    if not log.changes:
        return []
    oldest = log.changes[-1].date
    items: list[tuple[tuple, Change | Election]] = [((-c.date.toordinal(), 0), c) for c in log.changes]
    items += [((-d.toordinal(), 1), Election(d)) for d in MUNICIPAL_ELECTIONS if oldest <= d <= on]
    items.sort(key=lambda pair: pair[0])
    years: dict[int, list[Change | Election]] = {}
    for _, item in items:
        years.setdefault(item.date.year, []).append(item)
    return list(years.items())


def page_url(page: str) -> str:
    path = page.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def elections_before(on: dt.date, count: int = 2) -> list[dt.date]:
    """The last `count` municipal elections on or before a date, newest first."""
    return sorted((d for d in MUNICIPAL_ELECTIONS if d <= on), reverse=True)[:count]


def region_changes(region: Region, on: dt.date,
                   decision_history: Optional[list[DecisionSnapshot]] = None) -> list[Change]:
    """Every change on or before `on`, newest first (ties in a fixed order, so output is deterministic)."""
    found = [*_agreement_changes(region), *_member_changes(region), *_position_changes(region, on),
             *_evaluation_changes(region), *_zienswijze_changes(region),
             *(decision_changes(region, decision_history) if decision_history else [])]
    found = [c for c in found if c.date <= on]
    return sorted(found, key=lambda c: (-c.date.toordinal(), KIND_ORDER[c.kind], c.key))


def _agreement_changes(region: Region) -> Iterable[Change]:
    for agreement in region.agreements:
        for i, (version, slug) in enumerate(zip(agreement.versions, version_slugs(agreement))):
            page = f"afspraken/{agreement.id}/versie-{slug}/index.md"
            which = agreement.title if i == 0 else f"Versie {version.version} van {agreement.title}"
            by = names([region.body_name(b) for b in version.adopted_by]) if version.adopted_by else ""
            first = " (eerste versie)" if i == 0 else ""
            yield Change(version.adopted, "afspraak",
                         f"{which}{first} is vastgesteld{' door ' + by if by else ''}.", page,
                         f"afspraak/{agreement.id}/{slug}/vastgesteld")
            yield Change(version.effective, "afspraak", f"{which} is in werking getreden.", page,
                         f"afspraak/{agreement.id}/{slug}/in-werking")
        if agreement.ends:
            yield Change(agreement.ends, "afspraak", f"{agreement.title} is vervallen en geldt niet meer.",
                         f"afspraken/{agreement.id}/index.md", f"afspraak/{agreement.id}/vervallen")


def _domains(domains: list[str] | None) -> str:
    return names([labels.label(d, "domain") for d in domains]) if domains else ""


def _member_changes(region: Region) -> Iterable[Change]:

    members = region.data.members
    name = region.municipalities.name
    joins: dict[dt.date, list[str]] = defaultdict(list)
    leaves: dict[dt.date, list[str]] = defaultdict(list)
    continued = set()  # (code, date) where one period follows the other: a change of domains, not a leave
    for member in members:
        before = next((m for m in members if m.municipality == member.municipality and m.until is not None
                       and m.until + ONE_DAY == member.since), None)
        if before is not None:
            continued.add((member.municipality, member.since))
            only = _domains(member.domains) or "alle onderdelen"
            yield Change(member.since, "deelname", f"Gemeente {name(member.municipality)} doet voortaan mee "
                         f"voor {only}.", "deelnemers.md", f"deelname/{member.municipality}/{member.since}/domeinen")
        elif member.domains:
            yield Change(member.since, "deelname", f"Gemeente {name(member.municipality)} doet mee, alleen voor "
                         f"{_domains(member.domains)}.", "deelnemers.md",
                         f"deelname/{member.municipality}/{member.since}/toetreding")
        else:
            joins[member.since].append(member.municipality)
    for member in members:
        if member.until is not None and (member.municipality, member.until + ONE_DAY) not in continued:
            leaves[member.until + ONE_DAY].append(member.municipality)
    for date, codes in joins.items():
        listed = names(sorted(name(c) for c in codes))
        sentence = (f"Gemeente {listed} doet mee aan de samenwerking." if len(codes) == 1
                    else f"De gemeenten {listed} doen mee aan de samenwerking.")
        yield Change(date, "deelname", sentence, "deelnemers.md", f"deelname/{date}/toetreding")
    for date, codes in leaves.items():
        merged = {code: successor for code in codes if (successor := region.merged_into(code, date))}
        for code, successor in sorted(merged.items()):
            yield Change(date, "deelname", f"Gemeente {name(code)} is opgegaan in {name(successor)} (herindeling). "
                         f"{name(successor)} zet de deelname voort.", "deelnemers.md",
                         f"deelname/{date}/herindeling/{code}")
        left = [code for code in codes if code not in merged]
        if not left:
            continue
        listed = names(sorted(name(c) for c in left))
        last = long_date(date - ONE_DAY)
        sentence = (f"Gemeente {listed} is uitgetreden; de laatste dag van deelname was {last}." if len(left) == 1
                    else f"De gemeenten {listed} zijn uitgetreden; de laatste dag van deelname was {last}.")
        yield Change(date, "deelname", sentence, "deelnemers.md", f"deelname/{date}/uittreding")


def _position_changes(region: Region, on: dt.date) -> Iterable[Change]:
    if not region.organisation:
        return
    for body in region.organisation.bodies:
        for position in body.positions:
            where = f"{position.title} ({body.name})"
            holders = sorted(position.holders, key=lambda h: h.since)
            for i, holder in enumerate(holders):
                previous = holders[i - 1] if i else None
                key = f"functie/{body.id}/{position.id}/{holder.since}"
                if previous is not None and previous.until is not None and previous.until + ONE_DAY == holder.since:
                    sentence = f"{holder.name} volgt {previous.name} op als {where}."
                else:
                    sentence = f"{holder.name} begint als {where}."
                yield Change(holder.since, "functie", sentence, "organisatie.md", key)
                following = holders[i + 1] if i + 1 < len(holders) else None
                if holder.until is not None and (following is None or following.since > holder.until + ONE_DAY):
                    yield Change(holder.until + ONE_DAY, "functie",
                                 f"De functie {where} is vacant: {holder.name} is gestopt.", "organisatie.md",
                                 f"functie/{body.id}/{position.id}/{holder.until + ONE_DAY}/vacant")


def _evaluation_changes(region: Region) -> Iterable[Change]:
    accountability = region.accountability
    last = accountability.evaluation.last if accountability and accountability.evaluation else None
    if last is not None:
        yield Change(last.date, "evaluatie", "De samenwerking is geëvalueerd.", "raad.md", f"evaluatie/{last.date}")


def _zienswijze_changes(region: Region) -> Iterable[Change]:
    """Each council's zienswijze in a round, and the board's answer to them."""
    accountability = region.accountability
    for round_ in accountability.zienswijze_rounds if accountability else []:
        for view in round_.views:
            yield Change(view.date, "zienswijze", f"De raad van {region.municipalities.name(view.municipality)} gaf "
                         f"een zienswijze over {round_.subject}.", "raad.md",
                         f"zienswijze/{round_.id}/{view.municipality}")
        if round_.answer is not None:
            yield Change(round_.answer.date, "zienswijze", f"Het bestuur reageerde op de zienswijzen over "
                         f"{round_.subject}.", "raad.md", f"zienswijze/{round_.id}/reactie")


def decision_changes(region: Region, history: list[DecisionSnapshot]) -> list[Change]:
    """Decisions that moved to another body, or where the council's role changed, between commits; not what a
    commit that corrects a mistake changed (DecisionSnapshot.correction)."""
    found = []
    for before, after in zip(history, history[1:]):
        if after.correction:
            continue
        for id, new in sorted(after.decisions.items()):
            old = before.decisions.get(id)
            if old is None:
                continue
            topic = new.get("topic") or id
            if old.get("decides") != new.get("decides") and new.get("decides"):
                # The collective bodies are plural ("de colleges van B en W"), a body of the region is one.
                verb = "besluiten" if new["decides"] in schema.COLLECTIVE_BODIES else "besluit"
                now = f"Over ‘{topic}’ {verb} nu {region.body_name(new['decides'])}"
                if not old.get("decides"):
                    sentence = f"{now} in plaats van niemand."
                elif region.knows_body(old["decides"]):
                    sentence = f"{now} in plaats van {region.body_name(old['decides'])}."
                else:  # a body no longer described: its bare id says a reader nothing (and may be a renamed one)
                    sentence = f"{now}; eerder besliste een orgaan dat niet meer in de organisatie staat."
                found.append(Change(after.date, "besluit", sentence, "besluitvorming.md",
                                    f"besluit/{id}/{after.commit[:12]}/orgaan"))
            if old.get("council_role") != new.get("council_role") and new.get("council_role"):
                was = labels.label(old.get("council_role"), "council_role") if old.get("council_role") else "geen"
                found.append(Change(after.date, "besluit",
                                    f"De rol van de gemeenteraad bij ‘{topic}’ is veranderd van ‘{was}’ naar "
                                    f"‘{labels.label(new['council_role'], 'council_role')}’.", "besluitvorming.md",
                                    f"besluit/{id}/{after.commit[:12]}/raad"))
    return found
