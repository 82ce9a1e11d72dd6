"""The national registers as a model: every registered gemeenschappelijke regeling and every CBS
division, read from the register.yaml files that `govsite import` writes (one per region folder).

Plain frozen dataclasses: the site asks them about a date (in_force, members, for_municipality). A
regeling's versions are its history, oldest first; a division is an area with one set of
municipalities. covers/served_by relate the two: which regelingen serve which division (build_registry:
by identical member set in force, name as tie-break, and the hand-reviewed register-links.yaml).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from . import register_schema as rs
from .findings import Finding
from .labels import long_date
from .load import Document
from .pickling import PackedWhenPickled
from .values import slug

ROO = "Register van Overheidsorganisaties"
CBS = "CBS/PDOK gebiedsindelingen 2025"


@dataclass(frozen=True)
class Source:
    register: str
    url: str | None
    retrieved: dt.date | None
    licence: str
    derived: bool
    attribution: str | None = None  # what the licence asks a page to say: "Bron: CBS, PDOK"

    @property
    def label(self) -> str:
        """The attribution a page shows under what it took from the register."""
        if self.derived:
            derived = f"afgeleid van de {self.register} ({self.licence})"
            return f"{self.attribution}; {derived}" if self.attribution else derived[0].upper() + derived[1:]
        when = f", {long_date(self.retrieved)}" if self.retrieved else ""
        return f"Bron: {self.register}{when}"


@dataclass(frozen=True)
class Participant:
    code: str | None  # GMxxxx, only for municipalities
    name: str
    kind: str  # gemeente | provincie | waterschap | buitenland | overig
    since: dt.date | None
    until: dt.date | None
    bodies: tuple[str, ...]
    registered_as: str | None  # the abolished code the register still lists, mapped to this successor
    # Every abolished code the register lists for this successor: registered_as and each merger the import
    # recorded (its 'fusie' corrections), so a page can name all of them, not only the first.
    predecessors: tuple[str, ...] = ()

    def on(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class RegisterVersion:
    roo_id: str | None
    title: str
    effective: dt.date | None
    ended: dt.date | None  # the first day it no longer applies (the register's datumUitwerkingtreding)
    participants: tuple[Participant, ...]

    def applies(self, day: dt.date) -> bool:
        return (self.effective is None or self.effective <= day) and (self.ended is None or day < self.ended)


@dataclass(frozen=True)
class RegisterEntry:
    id: str
    kind: str  # gemeenschappelijke-regeling or a division kind (register_schema.DIVISION_KINDS)
    code: str | None  # CBS code, divisions only
    name: str
    legal_form: str | None
    purpose: str | None
    organisation_name: str | None
    website: str | None
    powers: tuple[str, ...]
    founding_decisions: tuple[str, ...]
    versions: tuple[RegisterVersion, ...]  # oldest first; a division has one, without dates
    source: Source
    covers: tuple[str, ...] = ()  # division ids, for regelingen
    served_by: tuple[str, ...] = ()  # regeling ids, for divisions
    # Regelingen with exactly the division's municipalities that do not say they do its task (an
    # omgevingsdienst beside a jeugdregio): the same area, not the same cooperation. For divisions.
    same_members: tuple[str, ...] = ()

    @property
    def is_division(self) -> bool:
        return self.kind != rs.REGELING

    def in_force(self, on: dt.date) -> RegisterVersion | None:
        """The version that applies on a date: the latest one that took effect and has not ended."""
        found = None
        for version in self.versions:
            if version.applies(on):
                found = version
        return found

    def ended(self, on: dt.date) -> bool:
        """Whether the regeling no longer applies on a date (it had versions, and the last one ended)."""
        last = self.versions[-1] if self.versions else None
        return last is not None and last.ended is not None and last.ended <= on

    def members(self, on: dt.date) -> tuple[Participant, ...]:
        version = self.in_force(on)
        return tuple(p for p in version.participants if p.on(on)) if version else ()

    def municipalities(self, on: dt.date) -> frozenset[str]:
        return frozenset(p.code for p in self.members(on) if p.code)

    def latest(self) -> RegisterVersion | None:
        return self.versions[-1] if self.versions else None

    def cross_border(self) -> str | None:
        """What a regeling with participants abroad is, by what its entry says: "egts" (a European grouping,
        Regulation (EC) 1082/2006: its name or purpose says EGTS), "bgts" (a Benelux grouping, Benelux treaty
        of 20 February 2014), "anholt" (a Dutch-German public body, Anholt treaty of 1991), or
        "grensoverschrijdend" (no more said). None: not a cross-border body as far as the register shows. A
        participant put abroad is not enough: the name or purpose must speak of the border too (the register
        classes some Dutch participants, such as a cooperative, as abroad)."""
        version = self.latest()
        if self.is_division or version is None or not any(p.kind == "buitenland" for p in version.participants):
            return None
        said = f"{self.name} {self.purpose or ''}"
        if re.search(r"\b(EGTS|EVTZ|EGTC)\b", said):
            return "egts"
        if re.search(r"\bBGTS\b|Benelux[- ]?[Gg]roepering", said):
            return "bgts"
        if re.search(r"Nederlands-Duits|Duits-Nederlands", self.name):
            return "anholt"
        return "grensoverschrijdend" if re.search(r"euregio|eurode|grens", said, re.IGNORECASE) else None


@dataclass
class Registry(PackedWhenPickled):
    # Pickled whole, unpacked on first use: of a kept check only the portal and an adopted region look into it.
    _packed_fields = ("entries", "predecessors")

    entries: dict[str, RegisterEntry] = field(default_factory=dict)
    # municipality code -> the abolished codes it absorbed (from municipalities.yaml's succeeded_by)
    predecessors: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def divisions(self) -> list[RegisterEntry]:
        return [e for e in self.entries.values() if e.is_division]

    def regelingen(self) -> list[RegisterEntry]:
        return [e for e in self.entries.values() if not e.is_division]

    def get(self, id: str) -> RegisterEntry | None:
        return self.entries.get(id)

    def for_municipality(self, code: str, on: dt.date) -> list[RegisterEntry]:
        """Every division and regeling in force on a date that the municipality, or one it absorbed,
        takes part in; by kind, then name."""
        codes = {code, *self._absorbed(code)}
        found = [e for e in self.entries.values()
                 if any(p.code in codes or p.registered_as in codes for p in e.members(on))]
        return sorted(found, key=lambda e: (e.kind, e.name.casefold(), e.id))

    def _absorbed(self, code: str) -> set[str]:
        out: set[str] = set()
        todo = list(self.predecessors.get(code, ()))
        while todo:
            older = todo.pop()
            if older not in out:
                out.add(older)
                todo += self.predecessors.get(older, ())
        return out


# --- from the typed file ---------------------------------------------------------------------

def _source(part: rs.RegisterSource) -> Source:
    return Source(register=part.register_name, url=part.url, retrieved=part.retrieved, licence=part.licence,
                  derived=part.derived, attribution=part.attribution)


def _predecessors(p: rs.RegisterParticipant) -> tuple[str, ...]:
    """The abolished codes the register lists for a successor: its registered_as, and the code in each
    'fusie' correction ("Gemeente Brielle (GM0501), deelnemer sinds ...", as the import writes it)."""
    codes = [p.registered_as] if p.registered_as else []
    for correction in p.corrections:
        if correction.what == "fusie":
            codes += re.findall(r"\((GM\d{4})\)", correction.said)
    return tuple(dict.fromkeys(codes))


def entry_of(data: rs.RegisterFile, names: Mapping[str, str] | None = None) -> RegisterEntry:
    """The model of one register.yaml; names: municipality names by code (a division lists codes)."""
    names = names or {}
    if data.kind == rs.REGELING:
        # A participant most versions list alike is one object, and so is a date: equal values, but
        # a third of the objects to pickle and unpickle (the check cache keeps every entry).
        same: dict = {}
        once = same.setdefault
        versions = tuple(
            RegisterVersion(roo_id=v.roo_id, title=v.title, effective=v.effective, ended=v.ended,
                            participants=tuple(once(q, q) for q in (
                                Participant(code=p.code, name=p.name, kind=p.kind,
                                            since=p.since and once(p.since, p.since),
                                            until=p.until and once(p.until, p.until), bodies=tuple(p.bodies),
                                            registered_as=p.registered_as,
                                            predecessors=_predecessors(p)) for p in v.participants)))
            for v in data.versions)
    else:
        versions = (RegisterVersion(roo_id=None, title=data.name, effective=None, ended=None,
                                    participants=tuple(Participant(code=c, name=names.get(c, c), kind="gemeente",
                                                                   since=None, until=None, bodies=(),
                                                                   registered_as=None)
                                                       for c in data.members)),)
    organisation = data.organisation
    return RegisterEntry(id=data.id, kind=data.kind, code=data.code, name=data.name, legal_form=data.legal_form,
                         purpose=data.purpose, organisation_name=organisation.name if organisation else None,
                         website=organisation.website if organisation else None, powers=tuple(data.powers),
                         founding_decisions=tuple(data.founding_decisions), versions=versions,
                         source=_source(data.source))


# --- divisions <-> regelingen ------------------------------------------------------------------

# What a regeling's name or purpose (the register's doel) says when it does a division's task. Identical
# municipalities alone say little: in Drenthe the GGD, the veiligheidsregio and the omgevingsdienst all
# have the twelve municipalities of the jeugdregio. The tasks are those the laws give each division
# (articles not checked here): Jeugdwet (jeugdregio), Wet SUWI (arbeidsmarktregio), Leerplichtwet 1969
# (RMC-regio), Wet veiligheidsregio's (veiligheidsregio), Wet publieke gezondheid (GGD-regio), Wmo 2015
# (Veilig Thuis) and Wet langdurige zorg (zorgkantoorregio).
TASK_WORDS = {
    "jeugdregio": r"jeugd",
    "arbeidsmarktregio": r"arbeidsmarkt|werkgever|werkzoekend|participatiewet|sociale werkvoorziening|werkbedrijf",
    "rmc-regio": r"\brmc\b|leerplicht|schoolverlat|voortijdig",
    "veiligheidsregio": r"veiligheidsregio|brandweer|rampenbestrijding|crisisbeheersing",
    "ggd-regio": r"\bggd\b|gezondheidsdienst|publieke gezondheid|openbare gezondheidszorg|volksgezondheid",
    "veilig-thuis-regio": r"veilig thuis|huiselijk geweld|kindermishandeling",
    "zorgkantoorregio": r"zorgkantoor|langdurige zorg|\bwlz\b",
}
_TASKS = {kind: re.compile(words, re.IGNORECASE) for kind, words in TASK_WORDS.items()}


def does_task(regeling: RegisterEntry | MatchFacts, kind: str) -> bool:
    """Whether the regeling's name or purpose names the task of divisions of this kind."""
    words = _TASKS.get(kind)
    return bool(words and (words.search(regeling.name) or words.search(regeling.purpose or "")))


_NOISE = re.compile(r"\b(gemeenschappelijke|regeling|gr|regio|de|het|van|en|voor|\d{4})\b")


def name_words(name: str) -> frozenset[str]:
    """The words of a name that say which area it is, without accents, years and filler words."""
    return frozenset(w for w in _NOISE.sub(" ", slug(name).replace("-", " ")).split() if len(w) > 1)


@dataclass(frozen=True)
class MatchFacts:
    """What matching reads of an entry on a date (match): kept per entry, so that matching again after
    one register.yaml changed needs no other entry whole."""

    kind: str
    members: frozenset[str]  # municipalities in force on the date
    name: str
    purpose: str | None
    words: frozenset[str]  # name_words(name)

    @property
    def is_division(self) -> bool:
        return self.kind != rs.REGELING


def match_facts(entry: RegisterEntry, on: dt.date) -> MatchFacts:
    return MatchFacts(kind=entry.kind, members=entry.municipalities(on), name=entry.name, purpose=entry.purpose,
                      words=name_words(entry.name))


# covers, served_by, same_members of one entry (RegisterEntry)
Relations = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
NO_RELATIONS: Relations = ((), (), ())


def relations(facts: Mapping[str, MatchFacts], links: Iterable[tuple[str, str]] = (),
              exclusions: Iterable[tuple[str, str]] = ()) -> dict[str, Relations]:
    """covers/served_by/same_members of every entry that has any (see match), from the entries' facts."""
    excluded = set(exclusions)
    pairs: set[tuple[str, str]] = set()
    same: set[tuple[str, str]] = set()
    by_members: dict[frozenset[str], list[str]] = {}
    for id, f in facts.items():
        if not f.is_division and f.members:
            by_members.setdefault(f.members, []).append(id)
    for id, d in facts.items():
        if d.is_division:
            for regeling in by_members.get(d.members, ()):
                r = facts[regeling]
                if (regeling, id) not in excluded and does_task(r, d.kind):
                    pairs.add((regeling, id))
                else:
                    same.add((regeling, id))
    pairs |= {(r, d) for r, d in links if r in facts and d in facts}
    same -= pairs

    def closeness(a: MatchFacts, b_id: str) -> tuple:
        b = facts[b_id]
        return (-len(a.words & b.words), b.name.casefold(), b_id)

    covers: dict[str, list[str]] = {}
    served: dict[str, list[str]] = {}
    alike: dict[str, list[str]] = {}
    for r, d in pairs:
        covers.setdefault(r, []).append(d)
        served.setdefault(d, []).append(r)
    for r, d in same:
        alike.setdefault(d, []).append(r)
    out: dict[str, Relations] = {}
    for id in sorted(covers.keys() | served.keys() | alike.keys()):
        f = facts[id]
        if f.is_division:
            out[id] = ((), tuple(sorted(served.get(id, ()), key=lambda r: closeness(f, r))),
                       tuple(sorted(alike.get(id, ()), key=lambda r: closeness(f, r))))
        else:
            out[id] = (tuple(sorted(covers.get(id, ()), key=lambda d: closeness(f, d))), (), ())
    return out


def related(entry: RegisterEntry, found: Relations) -> RegisterEntry:
    """The entry with its relations (relations), whatever it held before."""
    if (entry.covers, entry.served_by, entry.same_members) == found:
        return entry
    return replace(entry, covers=found[0], served_by=found[1], same_members=found[2])


def match(entries: Iterable[RegisterEntry], on: dt.date,
          links: Iterable[tuple[str, str]] = (), exclusions: Iterable[tuple[str, str]] = ()) -> dict[str, RegisterEntry]:
    """covers/served_by for every entry: a regeling serves a division when its municipalities in force
    on the date are exactly the division's and its name or purpose names the division's task
    (does_task), unless excluded; links add pairs the data cannot decide. Regelingen with the same
    municipalities that do not name the task are the division's same_members.

    Several regelingen often serve one area (a GR for the region and one for its service organisation),
    and one regeling may serve several areas (a veiligheidsregio GR serves the veiligheidsregio and the
    GGD-regio with the same members): every exact match counts. Name words order them, best first."""
    entries = {e.id: e for e in entries}
    found = relations({id: match_facts(e, on) for id, e in entries.items()}, links, exclusions)
    return {id: related(e, found.get(id, NO_RELATIONS)) for id, e in sorted(entries.items())}


def predecessors_of(municipalities: Iterable) -> dict[str, tuple[str, ...]]:
    """municipality code -> the abolished codes it absorbed (municipalities.yaml's succeeded_by)."""
    predecessors: dict[str, list[str]] = {}
    for m in municipalities:
        if m.succeeded_by:
            predecessors.setdefault(m.succeeded_by, []).append(m.code)
    return {k: tuple(sorted(v)) for k, v in predecessors.items()}


def entries_of(typed: Mapping[str, rs.RegisterFile], municipalities: Iterable) -> dict[str, RegisterEntry]:
    """The entry of every register.yaml (typed: by folder id), by id, without relations (match)."""
    names = {m.code: m.name for m in municipalities}
    return {id: entry_of(data, names) for id, data in sorted(typed.items())}


def checked_links(links: tuple[Document, rs.RegisterLinksFile] | None, divisions: Mapping[str, bool]
                  ) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[Finding]]:
    """The links file's pairs and exclusions that name a regeling and a division (divisions: whether
    each entry's id is a division), and a finding for each pair that does not."""
    findings: list[Finding] = []
    pairs: list[tuple[str, str]] = []
    excluded: list[tuple[str, str]] = []
    if links is not None:
        doc, parsed = links
        for field_name, target in (("links", pairs), ("exclusions", excluded)):
            for index, link in enumerate(getattr(parsed, field_name)):
                ok = True
                for key, want_division in (("regeling", False), ("division", True)):
                    value = getattr(link, key)
                    is_division = divisions.get(value)
                    if is_division is None and (doc.path.parent / value / "register.yaml").is_file():
                        ok = False  # a region that was not checked this time (validate REGION ...)
                        continue
                    if is_division is None or is_division != want_division:
                        what = "CBS-indeling" if want_division else "gemeenschappelijke regeling"
                        findings.append(doc.finding((field_name, index, key),
                                                    f"'{value}' is geen {what} in de map met regio's. Schrijf de "
                                                    f"mapnaam van een {what} (een map met register.yaml)."))
                        ok = False
                if ok:
                    target.append((link.regeling, link.division))
    return pairs, excluded, findings


def registry_of_entries(entries: Mapping[str, RegisterEntry], links: tuple[Document, rs.RegisterLinksFile] | None,
                        municipalities: Iterable, on: dt.date) -> tuple[Registry, list[Finding]]:
    """The registry of the entries (entries_of), with the links file's pairs, and what is wrong with
    the links file (a pair that names no regeling or no division)."""
    pairs, excluded, findings = checked_links(links, {id: e.is_division for id, e in entries.items()})
    return Registry(entries=match(entries.values(), on, pairs, excluded),
                    predecessors=predecessors_of(municipalities)), findings


def build_registry(typed: Mapping[str, rs.RegisterFile], links: tuple[Document, rs.RegisterLinksFile] | None,
                   municipalities: Iterable, on: dt.date) -> tuple[Registry, list[Finding]]:
    """The registry of every register.yaml (typed: by folder id), with the links file's pairs, and what
    is wrong with the links file (a pair that names no regeling or no division)."""
    municipalities = list(municipalities)
    return registry_of_entries(entries_of(typed, municipalities), links, municipalities, on)


# --- an adopted region: region.yaml's members from the register ---------------------------------

_MEMBER_BODIES = ("raad", "college", "burgemeester")  # what region.yaml's members[].bodies may name


def register_members(data: object) -> dict[str, dict]:
    """The municipalities of a regeling's register.yaml (plain data, before its format is checked) as
    region.yaml members: since (the first join date), until (their own until, else the day before the
    last version that lists them ended) and bodies (as the latest version that has them records them). {} for a division or
    data that is not a regeling."""
    versions = data.get("versions") if isinstance(data, dict) and data.get("kind") == rs.REGELING else None
    if not isinstance(versions, list) or not versions:
        return {}
    members: dict[str, dict] = {}
    last_seen: dict[str, int] = {}
    for index, version in enumerate(versions):
        if not isinstance(version, dict) or not isinstance(version.get("participants"), list):
            continue
        for p in version["participants"]:
            if not isinstance(p, dict) or p.get("kind") != "gemeente" or not isinstance(p.get("code"), str):
                continue
            since = p.get("since") if isinstance(p.get("since"), dt.date) else version.get("effective")
            member = members.setdefault(p["code"], {"municipality": p["code"]})
            if isinstance(since, dt.date) and (member.get("since") is None or since < member["since"]):
                member["since"] = since
            member["until"] = p.get("until") if isinstance(p.get("until"), dt.date) else None
            bodies = [b for b in _MEMBER_BODIES if b in (p.get("bodies") or [])]
            if bodies:
                member["bodies"] = bodies
            last_seen[p["code"]] = index
    for code, member in members.items():
        if member["until"] is None:
            seen = versions[last_seen[code]]
            ended = seen.get("ended") if isinstance(seen, dict) else None
            if isinstance(ended, dt.date):
                member["until"] = ended - dt.timedelta(days=1)
        if member["until"] is None:
            del member["until"]
    return {code: m for code, m in members.items() if "since" in m}


def with_register_members(region: Document, register: Document) -> Document:
    """region.yaml as validate reads it in an adopted region. Without members, or with members that hold
    only the secretariat's facts (note, domains, role: no since), the members are the register's, with
    those facts on them; a list with its own dates stays the secretariat's, and a member in it without
    since gets the register's dates and bodies. What the secretariat wrote wins; the file is not changed."""
    data = region.data
    found = register_members(register.data)
    if not found or not isinstance(data, dict):
        return region
    members = data.get("members")
    if members is None:
        merged = [dict(m) for _, m in sorted(found.items())]
    elif isinstance(members, list) and not any(isinstance(m, dict) and "since" in m for m in members):
        # only the secretariat's facts per member: the register's members, with those facts on them
        facts = {m.get("municipality"): m for m in members if isinstance(m, dict)}
        merged = [{**m, **facts.get(code, {})} for code, m in sorted(found.items())]
        merged += [m for m in members if not (isinstance(m, dict) and m.get("municipality") in found)]
    elif isinstance(members, list):
        merged = []
        for member in members:
            code = member.get("municipality") if isinstance(member, dict) else None
            if isinstance(code, str) and code in found and "since" not in member:
                member = {**found[code], **member}
            merged.append(member)
    else:
        return region
    return replace(region, data={**data, "members": merged})
