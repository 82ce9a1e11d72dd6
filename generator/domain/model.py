"""Step 3, model: a region as plain typed objects, with the facts the site needs computed once.

Everything that depends on a date (who is a member, which version is in force, who holds a
position, what comes next, what is missing) is computed here for one date, in `Region.state(on)`,
so that templates only present it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from pydantic import BaseModel

from . import schema
from .agenda import annual_date
from .gaps import Gap, completeness
from .load import RegionFiles
from .pickling import PackedWhenPickled

if TYPE_CHECKING:
    from .register import RegisterEntry
    from .validate import Validation

COUNCIL_ROLE_WEIGHT = {  # how much say the council has: used to spot weakening changes
    "geen": 0, "informatie": 1, "zienswijze": 2, "wensen-en-bedenkingen": 3, "toestemming": 4, "besluit": 5,
}


class VersionStatus(StrEnum):
    """Where a version of an agreement stands on a date (a StrEnum: templates compare it to its text)."""

    GELDEND = "geldend"  # the version in force
    VERVALLEN = "vervallen"  # replaced by a later version, or the agreement ended
    TOEKOMSTIG = "toekomstig"  # adopted, takes effect after the date


class AgreementStatus(StrEnum):
    """Where an agreement stands on a date. Not yet in force is "nog-niet-geldend" here and
    "toekomstig" for a version: an agreement without a version in force may have none adopted yet."""

    GELDEND = "geldend"  # a version is in force
    VERVALLEN = "vervallen"  # the agreement ended ('ends')
    NOG_NIET_GELDEND = "nog-niet-geldend"  # its first version takes effect after the date


@dataclass
class ValidRegion(PackedWhenPickled):
    """The typed files of one region (validate.py's result for a region without errors)."""

    _packed_fields = ("region", "topics", "agreements")

    files: RegionFiles
    region: schema.RegionFile
    topics: dict[str, BaseModel] = field(default_factory=dict)
    agreements: list[schema.AgreementFile] = field(default_factory=list)


def version_in_force(agreement: schema.AgreementFile, on: dt.date) -> schema.Version | None:
    """The version of an agreement that applies on a date (also a rule of the validator's)."""
    if agreement.ends is not None and on >= agreement.ends:
        return None
    current = None
    for version in agreement.versions:
        if version.effective <= on:
            current = version
    return current


@dataclass(frozen=True)
class Upcoming:
    date: dt.date
    kind: str  # termijn: the end of a term of office (the rest of the calendar is agenda.py's)
    title: str
    detail: str = ""


@dataclass(frozen=True)
class PositionState:
    body: schema.Body
    position: schema.Position
    holders: tuple[schema.Holder, ...]  # current holders
    previous: tuple[schema.Holder, ...]
    upcoming: tuple[schema.Holder, ...]
    loc: tuple  # where the position stands in organisation.yaml

    @property
    def vacant(self) -> bool:
        return not self.holders


@dataclass(frozen=True)
class VersionState:
    """One version of an agreement as seen on a date: its permanent address and whether it applies."""

    version: schema.Version
    slug: str  # permanent page address: "1.0" -> "1-0" (afspraken/<id>/versie-1-0/)
    status: VersionStatus
    valid_until: Optional[dt.date]  # last day this version applies (next version or the agreement ends)
    previous: Optional[schema.Version]  # the version before it, to compare against


@dataclass(frozen=True)
class AgreementState:
    agreement: schema.AgreementFile
    version: Optional[schema.Version]  # in force on the date; None when not (yet) or no longer
    valid_until: Optional[dt.date]  # last day the version in force applies, when known
    status: AgreementStatus
    # versions adopted on or before the date, oldest first: a version adopted later did not exist yet
    versions: tuple[VersionState, ...] = ()

    @property
    def known(self) -> bool:
        """Whether the agreement existed (had an adopted version) on the date."""
        return bool(self.versions)

    @property
    def last_version(self) -> Optional[VersionState]:
        return self.versions[-1] if self.versions else None

    def has_article(self, number: str) -> bool:
        """Whether the version in force has this article (a look-back may show a basis that came later)."""
        return self.version is not None and any(a.number == number for a in self.version.articles)

    def version_state(self, version: schema.Version) -> Optional[VersionState]:
        return next((v for v in self.versions if v.version is version), None)

    @property
    def current(self) -> Optional[VersionState]:
        return self.version_state(self.version) if self.version else None

    @property
    def announced(self) -> list[VersionState]:
        """Adopted versions that take effect after the date."""
        return [v for v in self.versions if v.status is VersionStatus.TOEKOMSTIG]

    @property
    def future_versions(self) -> list[schema.Version]:
        current = self.version.effective if self.version else dt.date.min
        return [v for v in self.agreement.versions if v.effective > current]


def _of_kind(kind: str, kinds: tuple[str, ...]) -> bool:
    """Whether a source ("region", a topic, "agreement:<id>") is of one of these kinds."""
    return kind.split(":")[0] in kinds


@dataclass
class Municipalities:
    by_code: dict[str, schema.Municipality]

    def name(self, code: str) -> str:
        found = self.by_code.get(code)
        return found.name if found else code

    def get(self, code: str) -> schema.Municipality | None:
        return self.by_code.get(code)


@dataclass
class Region:
    """One region: its typed files plus the reference list; ask it about any date with state()."""

    files: ValidRegion
    municipalities: Municipalities
    sources: dict[str, Path]  # file kind ("region", "decisions", "agreement:gr-jeugd") -> path
    register: Optional["RegisterEntry"] = None  # what the national registers say (register.yaml), if anything
    # states already computed, per date: validation, pages, feeds and the portal all ask for the same one
    _states: dict[dt.date, "RegionState"] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        # The folder's name, which validation holds equal to region.yaml's id: asking for it does not
        # unpack the typed files of a region that came from the check cache.
        return self.files.files.id

    @property
    def data(self) -> schema.RegionFile:
        return self.files.region

    def topic(self, name: str):
        return self.files.topics.get(name)

    @property
    def organisation(self) -> schema.OrganisationFile | None:
        return self.topic("organisation")

    @property
    def decisions(self) -> schema.DecisionsFile | None:
        return self.topic("decisions")

    @property
    def accountability(self) -> schema.AccountabilityFile | None:
        return self.topic("accountability")

    @property
    def finance(self) -> schema.FinanceFile | None:
        return self.topic("finance")

    @property
    def progress(self) -> schema.ProgressFile | None:
        return self.topic("progress")

    @property
    def reflection(self) -> schema.ReflectionFile | None:
        return self.topic("reflection")

    @property
    def agreements(self) -> list[schema.AgreementFile]:
        return sorted(self.files.agreements, key=lambda a: a.id)

    def agreement(self, id: str) -> schema.AgreementFile | None:
        return next((a for a in self.files.agreements if a.id == id), None)

    def knows_body(self, ref: str) -> bool:
        """Whether ref is a body of the region's organisation or a collective one (body_name has a name for it)."""
        return ref in schema.COLLECTIVE_BODIES or bool(self.organisation and self.organisation.body(ref))

    def body_name(self, ref: str) -> str:
        """A body reference as readers know it: a body's name or the collective keyword spelled out."""
        body = self.organisation.body(ref) if self.organisation else None
        return body.name if body else schema.COLLECTIVE_BODIES.get(ref, ref)

    # --- facts on a date -----------------------------------------------------------------

    def members_on(self, on: dt.date) -> list[schema.Member]:
        return [m for m in self.data.members if m.active_on(on)]

    def merged_into(self, code: str, on: dt.date) -> str | None:
        """The municipality that took over code's membership on `on` through a merger (municipalities.yaml:
        code ended that day, succeeded_by a member on it): its membership then ended without a leave."""
        municipality = self.municipalities.get(code)
        successor = municipality.succeeded_by if municipality and municipality.ended == on else None
        if successor and any(m.municipality == successor for m in self.members_on(on)):
            return successor
        return None

    def state(self, on: dt.date) -> "RegionState":
        if on not in self._states:
            self._states[on] = RegionState.compute(self, on)
        return self._states[on]

    def sources_of(self, kinds: tuple[str, ...]) -> dict[str, Path]:
        """The files of these kinds ("region", a topic, "agreement"), as in sources."""
        return {kind: path for kind, path in self.sources.items() if _of_kind(kind, kinds)}

    def only(self, kinds: tuple[str, ...]) -> "Region":
        """The region with only the files of these kinds (sources_of): a page made from it cannot show
        anything else, so a key over those files covers the page."""
        def kept(kind: str) -> bool:
            return _of_kind(kind, kinds)

        if all(kept(kind) for kind in self.sources):
            return self
        files = self.files.files
        valid = ValidRegion(
            files=dataclasses.replace(files, topics={k: d for k, d in files.topics.items() if kept(k)},
                                      agreements=files.agreements if kept("agreement") else []),
            region=self.files.region,
            topics={k: t for k, t in self.files.topics.items() if kept(k)},
            agreements=self.files.agreements if kept("agreement") else [])
        return Region(files=valid, municipalities=self.municipalities, sources=self.sources_of(kinds),
                      register=self.register)

    @classmethod
    def of(cls, valid: ValidRegion, municipalities: Municipalities,
           register: Optional["RegisterEntry"] = None) -> "Region":
        """The model of a validated region; the reference list is shared by all regions."""
        files = valid.files
        sources: dict[str, Path] = {"region": files.region.path}
        sources.update({kind: doc.path for kind, doc in files.topics.items()})
        sources.update({f"agreement:{doc.path.stem}": doc.path for doc in files.agreements})
        return cls(files=valid, municipalities=municipalities, sources=sources, register=register)


def version_slug(number: str) -> str:
    """The permanent address part of a version number: "1.0" -> "1-0", "2024 (2)" -> "2024-2"."""
    return re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-") or "0"


def _version_until(agreement: schema.AgreementFile, index: int, on: dt.date | None = None) -> dt.date | None:
    """The last day a version applies; with `on`, as known on that date (a next version adopted later
    was not known yet)."""
    ends = [v.effective for v in agreement.versions[index + 1:] if on is None or v.adopted <= on][:1]
    if agreement.ends:
        ends.append(agreement.ends)
    return min(ends) - dt.timedelta(days=1) if ends else None


def version_slugs(agreement: schema.AgreementFile) -> list[str]:
    """The permanent address part of each version, oldest first, distinct within the agreement."""
    slugs: list[str] = []
    for v in agreement.versions:
        slug = version_slug(v.version)
        while slug in slugs:  # "1.0" and "1-0" in one file: keep both addresses distinct
            slug += "-b"
        slugs.append(slug)
    return slugs


def _version_states(agreement: schema.AgreementFile, version: schema.Version | None,
                    on: dt.date) -> tuple[VersionState, ...]:
    states = []
    for i, (v, slug) in enumerate(zip(agreement.versions, version_slugs(agreement))):
        if v.adopted > on:
            continue
        status = (VersionStatus.GELDEND if v is version
                  else VersionStatus.TOEKOMSTIG if v.effective > on else VersionStatus.VERVALLEN)
        states.append(VersionState(v, slug, status, _version_until(agreement, i, on),
                                   agreement.versions[i - 1] if i else None))
    return tuple(states)


def _agreement_state(agreement: schema.AgreementFile, on: dt.date) -> AgreementState:
    version = version_in_force(agreement, on)
    versions = _version_states(agreement, version, on)
    if version is None:
        status = (AgreementStatus.VERVALLEN if agreement.ends is not None and on >= agreement.ends
                  else AgreementStatus.NOG_NIET_GELDEND)
        return AgreementState(agreement, None, None, status, versions)
    until = _version_until(agreement, agreement.versions.index(version))
    return AgreementState(agreement, version, until, AgreementStatus.GELDEND, versions)


@dataclass
class RegionState:
    """A region as it stood on one date."""

    region: Region
    on: dt.date
    current_members: list[schema.Member] = field(default_factory=list)
    former_members: list[schema.Member] = field(default_factory=list)
    future_members: list[schema.Member] = field(default_factory=list)
    agreements: list[AgreementState] = field(default_factory=list)
    positions: list[PositionState] = field(default_factory=list)
    planning: list[tuple[schema.PlanningItem, dt.date]] = field(default_factory=list)
    upcoming: list[Upcoming] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    @classmethod
    def compute(cls, region: Region, on: dt.date) -> "RegionState":
        state = cls(region=region, on=on)
        members = region.data.members
        state.current_members = sorted(region.members_on(on), key=lambda m: region.municipalities.name(m.municipality))
        state.former_members = sorted((m for m in members if m.until is not None and m.until < on),
                                      key=lambda m: (m.until, m.municipality), reverse=True)
        state.future_members = sorted((m for m in members if m.since > on), key=lambda m: m.since)
        state.agreements = [_agreement_state(a, on) for a in region.agreements]
        if region.organisation:
            for i, body in enumerate(region.organisation.bodies):
                for j, position in enumerate(body.positions):
                    holders = position.holders
                    state.positions.append(PositionState(
                        body=body,
                        position=position,
                        holders=tuple(h for h in holders if h.active_on(on)),
                        previous=tuple(sorted((h for h in holders if h.until is not None and h.until < on),
                                              key=lambda h: h.since, reverse=True)),
                        upcoming=tuple(h for h in holders if h.since > on),
                        loc=("bodies", i, "positions", j),
                    ))
        if region.accountability:
            state.planning = sorted(((item, annual_date(item.by, on.year)) for item in region.accountability.planning_cycle),
                                    key=lambda pair: pair[1])
        state.upcoming = sorted(_upcoming(state, on), key=lambda u: (u.date, u.kind, u.title))
        state.gaps = completeness(region, state)
        return state

    @property
    def vacancies(self) -> list[PositionState]:
        return [p for p in self.positions if p.vacant]

    def agreement_state(self, id: str) -> AgreementState | None:
        return next((a for a in self.agreements if a.agreement.id == id), None)

    @property
    def contact_holders(self) -> tuple[schema.Holder, ...]:
        position = self.region.data.contact.position
        found = next((p for p in self.positions if p.position.id == position), None)
        return found.holders if found else ()

    @property
    def contributions(self) -> schema.Contribution | None:
        """The contributions of the state's year, if any."""
        finance = self.region.finance
        if not finance:
            return None
        return next((c for c in finance.contributions if c.year == self.on.year), None)


def _upcoming(state: RegionState, on: dt.date, horizon_days: int = 400) -> list[Upcoming]:
    """The ends of terms of office from `on` up to about a year ahead: the region's own calendar and its
    organisation page show them. Every other date a griffie plans for is on the agenda (agenda.py)."""
    end = on + dt.timedelta(days=horizon_days)
    return [Upcoming(holder.until, "termijn", f"Termijn {position.position.title} ({position.body.name}) eindigt",
                     f"{holder.name} tot en met deze datum.")
            for position in state.positions for holder in position.holders
            if holder.until is not None and on <= holder.until <= end]


def build_regions(validation: Validation) -> list[Region]:
    """Turn the validated regions into model regions, sorted by id."""
    municipalities = Municipalities({m.code: m for m in validation.municipalities})
    registry = validation.registry
    return sorted((Region.of(valid, municipalities, registry.get(valid.files.id)) for valid in validation.regions),
                  key=lambda r: r.id)
