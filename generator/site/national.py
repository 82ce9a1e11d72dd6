"""The national patchwork on the portal, from the registers (domain/register.py) and the full regions.

Three things are made here, once per portal build, so that the templates only present them:
- the compact page of a region known only from the registers (a gemeenschappelijke regeling or a CBS
  division), at its permanent address /<id>/ inside the portal: the same address its own site gets when
  a secretariat adopts the region (then the full site is built there and the compact page is not);
- the patchwork seen from one municipality, for every current municipality: its divisions (with the
  province), the regelingen it takes part in (itself or through a municipality it absorbed), the other
  cooperations (full regions without a register entry), each with its source;
- the overview of all divisions and regelingen.
Lookups go through indexes made once (by municipality code), so the work grows with the number of
participations, not with municipalities times regions.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from ..domain import agenda, facts
from ..domain.model import Municipalities, Region, RegionState
from ..domain.values import slug

# The divisions in the order a municipality page lists them (the province first). Kinds of
# register_schema.DIVISION_KINDS; a kind not listed here comes last, by name.
DIVISION_ORDER = ("provincie", "jeugdregio", "arbeidsmarktregio", "rmc-regio", "veiligheidsregio", "ggd-regio",
                  "veilig-thuis-regio", "zorgkantoorregio")
ONE_DAY = dt.timedelta(days=1)
# The publication series of officielebekendmakingen.nl, by the prefix of a publication's address.
GAZETTES = {"gmb": "Gemeenteblad", "stcrt": "Staatscourant", "prb": "Provinciaal blad", "wsb": "Waterschapsblad",
            "bgr": "Blad gemeenschappelijke regeling", "stb": "Staatsblad"}
PARTICIPANT_ORDER = ("gemeente", "provincie", "waterschap", "buitenland", "overig")


def _division_rank(kind: str) -> int:
    return DIVISION_ORDER.index(kind) if kind in DIVISION_ORDER else len(DIVISION_ORDER)


@dataclass(frozen=True)
class Taking:
    """One municipality's part in one regeling: in force on the date, or ended."""

    entry: Any  # register.RegisterEntry
    participant: Any  # register.Participant: the latest period of this municipality (or its predecessor)
    current: bool  # takes part on the date
    region: Optional[Region]  # the full region that adopted the entry (its site is at the same address)
    membership: Optional[facts.Membership]  # the full region's facts: contribution, representatives
    former_names: tuple[str, ...] = ()  # the absorbed municipalities the register still lists it as


@dataclass(frozen=True)
class Former:
    """A participant whose membership of a regeling ended before the day its page shows."""

    participant: Any  # register.Participant: its latest period
    last_day: Optional[dt.date]  # the last day it took part, when the register says
    merged_into: Any = None  # the participant it merged into (one that lists it as a predecessor), if any


@dataclass(frozen=True)
class PatchworkOf:
    """The patchwork seen from one municipality (its page, its JSON)."""

    code: str
    divisions: list[Any]  # RegisterEntry, province first, in DIVISION_ORDER
    regelingen: list[Taking]  # in force on the date, by name
    ended: list[Taking]  # regelingen it no longer takes part in (or that ended)
    others: list[facts.Membership]  # full regions without a register entry, in force first
    adopted: list[facts.Membership]  # full regions that are a register entry (shown with their regeling)

    @property
    def now(self) -> int:
        return len(self.regelingen) + len([m for m in self.others if m.current])


@dataclass
class National:
    """The registry and the full regions, as the portal shows them on one date."""

    on: dt.date
    registry: Any  # register.Registry, or None (a build without register files)
    regions: list[Region]
    states: dict[str, RegionState]
    municipalities: Municipalities
    by_code: dict[str, list[Any]] = field(default_factory=dict)  # municipality -> entries it ever took part in
    adopted: dict[str, Region] = field(default_factory=dict)  # entry id -> the full region that adopted it
    _codes: list[str] | None = field(default=None, repr=False)
    _with_page: frozenset[str] = field(default=frozenset(), repr=False)
    _read: tuple | None = field(default=None, repr=False)  # register_read, once made (() for none)
    _sources: dict[str, Any] | None = field(default=None, repr=False)  # register_sources, once made
    # Made once per portal build: the full regions each municipality is named in (in the order of
    # regions), and each entry's participants and members as the pages, open data and CSV all ask them.
    _regions_of: dict[str, list[Region]] = field(default_factory=dict, repr=False)
    _participants: dict[str, list[Any]] = field(default_factory=dict, repr=False)
    _members: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _entry_codes: dict[str, tuple[Any, frozenset[str]]] = field(default_factory=dict, repr=False)  # id -> (entry, _codes_of)

    @classmethod
    def of(cls, registry, regions: list[Region], states: dict[str, RegionState],
           municipalities: Municipalities, on: dt.date) -> "National":
        national = cls(on, registry, regions, states, municipalities)
        for entry in national.entries():
            codes = _codes_of(entry)
            national._entry_codes[entry.id] = (entry, codes)  # asked again on every member's page
            for code in sorted(codes):
                national.by_code.setdefault(code, []).append(entry)
        for region in regions:
            if region.register is not None:
                national.adopted[region.register.id] = region
            for code in dict.fromkeys(m.municipality for m in region.data.members):
                national._regions_of.setdefault(code, []).append(region)
        return national

    # --- the registry's entries ----------------------------------------------------------------

    def entries(self) -> list[Any]:
        return list(self.registry.entries.values()) if self.registry is not None else []

    @property
    def registered(self) -> bool:
        """Whether the build has register files (the national portal; not the examples)."""
        return bool(self.registry is not None and self.registry.entries)

    def compact(self) -> list[Any]:
        """The entries that get a compact page: those no full region has adopted (its site is there)."""
        full = {r.id for r in self.regions}
        return sorted((e for e in self.entries() if e.id not in full), key=lambda e: e.id)

    def divisions(self) -> list[tuple[str, list[Any]]]:
        """(kind, its divisions by name), in DIVISION_ORDER."""
        kinds: dict[str, list[Any]] = {}
        for entry in self.entries():
            if entry.is_division:
                kinds.setdefault(entry.kind, []).append(entry)
        return [(kind, sorted(found, key=lambda e: (e.name, e.id)))
                for kind, found in sorted(kinds.items(), key=lambda k: (_division_rank(k[0]), k[0]))]

    def division_kinds(self) -> list[str]:
        """The kinds of division in the registry but the province (the overlap groups by province)."""
        return [kind for kind, _ in self.divisions() if kind != "provincie"]

    @staticmethod
    def areas(pw: "PatchworkOf") -> dict[str, Any]:
        """A municipality's division of each kind (the first, should the data give two)."""
        found: dict[str, Any] = {}
        for entry in pw.divisions:
            found.setdefault(entry.kind, entry)
        return found

    def regelingen(self) -> tuple[list[Any], list[Any]]:
        """(in force on the date, ended), each by name."""
        found = sorted((e for e in self.entries() if not e.is_division), key=lambda e: (sort_name(e.name), e.id))
        return [e for e in found if not e.ended(self.on)], [e for e in found if e.ended(self.on)]

    def register_read(self) -> tuple[str, dt.date] | None:
        """(the register, the day it was read) of the regelingen: what a municipality's count is true for.
        The latest day, should the entries have been read on different days."""
        if self._read is None:
            src = _latest_read(e.source for e in self.entries() if not e.is_division and e.source.retrieved)
            self._read = (src.register, src.retrieved) if src is not None else ()
        return self._read or None

    def register_sources(self) -> dict[str, Any]:
        """The national registers the portal shows, by name (register.ROO, register.CBS): each one's source
        as its entries give it, the most recently read one should two imports differ."""
        if self._sources is None:
            by_register: dict[str, list[Any]] = {}
            for entry in self.entries():
                by_register.setdefault(entry.source.register, []).append(entry.source)
            self._sources = {name: _latest_read(found) for name, found in by_register.items()}
        return self._sources

    def entry(self, id: str):
        return self.registry.entries.get(id) if self.registry is not None else None

    def linked(self, ids: Iterable[str]) -> list[Any]:
        """Entries by id (covers, served_by), by name; an id without an entry is left out."""
        found = [self.entry(i) for i in ids]
        return sorted((e for e in found if e is not None), key=lambda e: (_division_rank(e.kind), e.name))

    # --- one entry's compact page --------------------------------------------------------------

    def shown_version(self, entry):
        """The version a compact page shows: the one in force on the date; for an ended regeling its last."""
        return entry.in_force(self.on) or (entry.versions[-1] if entry.versions else None)

    def day_of(self, version) -> dt.date:
        """The day whose participants a version's row shows: the date while it applies, else its last day."""
        if version.applies(self.on) or (version.ended is None and (version.effective or self.on) <= self.on):
            return self.on
        if version.ended is not None:
            return version.ended - ONE_DAY
        return version.effective or self.on

    def members_of(self, version) -> list[Any]:
        """The participants of a version still taking part on its day (day_of): those whose membership
        ended before (a municipality that merged, one that left) are not counted."""
        return self._still_in(version, version.participants)

    def _still_in(self, version, people: Iterable[Any]) -> list[Any]:
        day = self.day_of(version)
        return [p for p in people if p.until is None or p.until >= day]

    def participants(self, entry) -> list[Any]:
        """Every participant of the version shown (shown_version), with those whose membership ended in it
        (the open data lists them with their end date): municipalities first, then the others, by name."""
        if entry.is_division:
            return []
        if entry.id not in self._participants:
            version = self.shown_version(entry)
            self._participants[entry.id] = [] if version is None else sorted(version.participants, key=lambda p: (
                PARTICIPANT_ORDER.index(p.kind) if p.kind in PARTICIPANT_ORDER else len(PARTICIPANT_ORDER),
                self.municipalities.name(p.code) if p.code else p.name))
        return list(self._participants[entry.id])

    def taking_part(self, entry) -> list[Any]:
        """Who takes part on the date (for an ended regeling: on its last day), in the order of participants:
        not those whose membership ended before (a municipality that merged, one that left)."""
        version = self.shown_version(entry)
        if version is None or entry.is_division:
            return []
        return self._still_in(version, self.participants(entry))

    def former_names(self, p) -> list[str]:
        """The names of the abolished municipalities the register lists for a successor, by name."""
        return sorted({self.municipalities.name(c) for c in p.predecessors}, key=sort_name)

    def former_participants(self, entry) -> list[Former]:
        """Who took part before and no longer on the day the page shows: left, or merged (then the
        successor that the register lists it under). Each with the last day it took part."""
        shown = self.taking_part(entry)
        keys = {(p.code or p.name) for p in shown}
        successors = {code: p for p in shown for code in p.predecessors}
        seen: dict[str, Former] = {}
        for i, version in enumerate(entry.versions):
            following = entry.versions[i + 1] if i + 1 < len(entry.versions) else None
            end = version.ended or (following.effective if following else None)
            for p in version.participants:
                key = p.code or p.name
                if key in keys:
                    continue
                last = p.until or (end - ONE_DAY if end else None)
                merged = successors.get(p.code) if p.code else None
                if merged is None and p.code:
                    info = self.municipalities.get(p.code)
                    if info and info.ended and info.succeeded_by and last == info.ended - ONE_DAY:
                        merged = next((q for q in shown if q.code == info.succeeded_by), None)
                kept = seen.get(key)
                if kept is None or (last and (kept.last_day is None or last > kept.last_day)):
                    seen[key] = Former(p, last, merged)
        return sorted(seen.values(), key=lambda f: sort_name(
            self.municipalities.name(f.participant.code) if f.participant.code else f.participant.name))

    @staticmethod
    def own_budget(entry) -> bool:
        """Whether the regeling has a body with a budget of its own, to which art. 34-35 Wgr apply."""
        return bool(entry.legal_form) and agenda.has_own_budget(entry.legal_form)

    @staticmethod
    def decision_label(url: str) -> str:
        """A founding decision's link text: where it is published and its number, not the bare address."""
        found = re.search(r"officielebekendmakingen\.nl/([a-z]+)-(\d{4})-(\d+)", url)
        if found and found.group(1) in GAZETTES:
            return f"{GAZETTES[found.group(1)]} {found.group(2)}, {found.group(3)}"
        # the first host name in the address: a few are mistyped ("http://ttps://lokaleregelgeving...")
        found = re.search(r"//(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)", url, re.IGNORECASE)
        host = found.group(1) if found else url
        found = re.search(r"CVDR(\d+)", url)
        if found:
            return f"Regeling op {host} (CVDR{found.group(1)})"
        found = re.search(r"wetten\.overheid\.nl/(BWBR\d+)", url)
        if found:
            return f"Regeling op wetten.overheid.nl ({found.group(1)})"
        return f"Document op {host}"

    def division_members(self, entry) -> list[str]:
        if entry.id not in self._members:
            self._members[entry.id] = sorted(self._member_codes(entry), key=self.municipalities.name)
        return list(self._members[entry.id])

    def _member_codes(self, entry) -> frozenset[str]:
        """_codes_of(entry), as National.of made it for this entry."""
        found = self._entry_codes.get(entry.id)
        return found[1] if found is not None and found[0] is entry else _codes_of(entry)

    # --- one municipality ----------------------------------------------------------------------

    def codes(self) -> list[str]:
        """Every municipality with a page: each current one of the list, and each a full region names."""
        if self._codes is None:
            codes = {m.code for m in self.municipalities.by_code.values() if not m.ended or m.ended > self.on}
            codes.update(m.municipality for r in self.regions for m in r.data.members)
            self._codes = sorted(codes, key=lambda c: (self.municipalities.name(c), c))
            self._with_page = frozenset(self._codes)
        return self._codes

    @staticmethod
    def purpose_parts(text: str) -> tuple[str, list[str]]:
        """A regeling's purpose as its opening words and its points, when it lists them: the register keeps
        the bullets of such a list but not its line breaks ("op het gebied van:• A• B"), which would run
        together on the page. Fewer than two bullets: the text as it is, without points."""
        parts = [part.strip() for part in text.split("•")]
        points = [part for part in parts[1:] if part]
        return (parts[0], points) if len(points) >= 2 else (text, [])

    def has_page(self, code: str | None) -> bool:
        """Whether a municipality has a page: an abolished one that only the register's history names has
        none (its name is shown without a link)."""
        self.codes()
        return code in self._with_page

    def patchwork(self, code: str) -> PatchworkOf:
        memberships = facts.memberships(code, self._regions_of.get(code, []), self.states)  # not every region
        by_region = {m.region.id: m for m in memberships}
        divisions, regelingen, ended = [], [], []
        for entry in self.by_code.get(code, ()):
            if entry.is_division:
                if code in self._member_codes(entry):
                    divisions.append(entry)
                continue
            taking = self._taking(entry, code, by_region)
            if taking is not None:
                (regelingen if taking.current else ended).append(taking)
        divisions.sort(key=lambda e: (_division_rank(e.kind), e.name))
        regelingen.sort(key=lambda t: (sort_name(t.entry.name), t.entry.id))
        ended.sort(key=lambda t: (sort_name(t.entry.name), t.entry.id))
        adopted_ids = set(self.adopted)
        others = [m for m in memberships if m.region.id not in adopted_ids]
        adopted = [m for m in memberships if m.region.id in adopted_ids]
        return PatchworkOf(code, divisions, regelingen, ended, others, adopted)

    def _taking(self, entry, code: str, by_region: dict[str, facts.Membership]) -> Taking | None:
        current = None
        if not entry.ended(self.on):
            version = entry.in_force(self.on)
            if version is not None:
                current = next((p for p in version.participants if p.code == code
                                and (p.until is None or p.until >= self.on)), None)
        latest = None
        for version in entry.versions:
            for p in version.participants:
                if p.code == code:
                    latest = p
        if current is None and latest is None:
            return None
        region = self.adopted.get(entry.id)
        # the old names of the row shown only: a later version may list the municipality under its own name
        return Taking(entry, current or latest, current is not None, region,
                      by_region.get(region.id) if region is not None else None,
                      tuple(self.former_names(current or latest)))


def _latest_read(sources: Iterable[Any]) -> Any:
    """The source read most recently (one without a date counts as read first; of equals, the first),
    or None."""
    return max(sources, key=lambda src: src.retrieved or dt.date.min, default=None)


def sort_name(name: str) -> str:
    """A name as a list sorts it: without case, and without the quotes the register puts around some."""
    return name.casefold().lstrip("'\"\u2018\u2019\u201c\u201d ")


def _codes_of(entry) -> frozenset[str]:
    """Every municipality code an entry ever listed: a division's members (its one version, without
    dates: register.entry_of), every municipality that ever took part in a regeling."""
    return frozenset(p.code for version in entry.versions for p in version.participants if p.code)


@dataclass(frozen=True)
class Province:
    """One group of the municipality finder."""

    name: str
    anchor: str  # the heading's id: provincie-<slug>
    codes: list[str]


def provinces(codes: list[str], municipalities: Municipalities) -> list[Province]:
    """The municipalities with a page grouped by province (by name; municipalities by name within)."""
    groups: dict[str, list[str]] = {}
    for code in codes:
        info = municipalities.get(code)
        groups.setdefault(info.province if info and info.province else "Provincie niet bekend", []).append(code)
    return [Province(name, "provincie-" + _slug(name), found) for name, found in sorted(groups.items())]


def _slug(text: str) -> str:
    return slug(text) or "x"
