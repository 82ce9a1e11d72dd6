"""The completeness check: what a good regional governance has and a region lacks on a date.

Not errors: gaps are shown on the region's pages and reported by `govsite validate` as such.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .agenda import cycle_gaps
from .labels import long_date

if TYPE_CHECKING:  # the model computes the gaps of its state (model.RegionState.compute)
    from .model import Region, RegionState


@dataclass(frozen=True)
class Gap:
    """Something a good regional governance has and this region lacks (not an error)."""

    topic: str  # page the gap belongs to, e.g. "organisatie"
    file: str  # file name inside the region folder, e.g. "organisation.yaml"
    loc: tuple
    message: str


def completeness(region: Region, state: RegionState) -> list[Gap]:
    """The governance check of the data model: what a good regional governance has and this lacks."""
    on = state.on
    gaps: list[Gap] = []

    def gap(topic: str, file: str, loc: tuple, message: str) -> None:
        gaps.append(Gap(topic, file, loc, message))

    data = region.data
    vision = data.vision
    if vision is None or not vision.mission:
        gap("overzicht", "region.yaml", ("vision",), "Er is geen visie op het regionale beleid (vision.mission).")
    if vision is None or not vision.goals:
        gap("doelen", "region.yaml", ("vision",), "Er zijn geen doelen vastgelegd (vision.goals).")
    if vision is None or not vision.cooperation:
        gap("overzicht", "region.yaml", ("vision",), "Er is geen visie op de samenwerking (vision.cooperation).")
    if vision is None or not vision.approach:
        gap("overzicht", "region.yaml", ("vision",), "De hoofdlijnen van de aanpak ontbreken (vision.approach).")

    contact = data.contact
    if not (contact.email or contact.phone or contact.address):
        gap("overzicht", "region.yaml", ("contact",),
            "Het aanspreekpunt heeft geen e-mailadres, telefoonnummer of adres.")
    if contact.position and not state.contact_holders:
        gap("overzicht", "region.yaml", ("contact", "position"),
            "De positie van het aanspreekpunt is vacant: niemand spreekt nu namens de regio.")

    organisation = region.organisation
    if organisation is None or not organisation.bodies:
        gap("organisatie", "organisation.yaml", (), "Er zijn geen organen beschreven (organisation.yaml).")
    else:
        roles = {b.role for b in organisation.bodies}
        missing = [r for r in ("eigenaar", "opdrachtgever", "opdrachtnemer") if r not in roles]
        if missing:
            gap("organisatie", "organisation.yaml", ("bodies",),
                "De rollen eigenaar, opdrachtgever en opdrachtnemer zijn niet gescheiden belegd; "
                f"geen orgaan heeft de rol {' of '.join(missing)}.")
        for position in state.vacancies:
            gap("organisatie", "organisation.yaml", position.loc,
                f"De positie {position.position.title} ({position.body.name}) is vacant.")

    decisions = region.decisions
    if decisions is None or not decisions.decisions:
        gap("besluitvorming", "decisions.yaml", (), "Er is geen besluitvormingsmatrix: niet vastgelegd wie waarover besluit.")
    if decisions is None or not decisions.escalation:
        gap("escalatie", "decisions.yaml", (), "Er is geen escalatieladder: niet vastgelegd wat er gebeurt bij een conflict.")

    accountability = region.accountability
    if accountability is None or not accountability.council_instruments:
        gap("raad", "accountability.yaml", (), "De instrumenten van de gemeenteraad (zoals zienswijze) zijn niet beschreven.")
    evaluation = accountability.evaluation if accountability else None
    if evaluation is None or evaluation.next is None:
        gap("raad", "accountability.yaml", ("evaluation",) if evaluation else (),
            "Er is geen datum voor de volgende evaluatie van de samenwerking.")
    elif evaluation.next < on:
        gap("raad", "accountability.yaml", ("evaluation", "next"),
            f"De evaluatie had op {long_date(evaluation.next)} moeten plaatsvinden en is te laat.")
    if accountability is None or not accountability.entry:
        gap("raad", "accountability.yaml", (), "Er zijn geen regels voor toetreding van een gemeente (entry).")
    if accountability is None or not accountability.exit:
        gap("raad", "accountability.yaml", (), "Er zijn geen regels voor uittreding van een gemeente (exit).")

    if accountability is not None:
        cycle_gaps(region, on, gap)  # the budget cycle's deadline for Gedeputeerde Staten (agenda.py)

    finance = region.finance
    if finance is None or state.contributions is None:
        gap("financien", "finance.yaml", ("contributions",) if finance else (),
            f"De bijdragen per gemeente voor {on.year} ontbreken.")
    if finance is None or finance.allocation is None:
        gap("financien", "finance.yaml", (), "De verdeelsleutel van de kosten is niet beschreven.")

    progress = region.progress
    if progress is None or not progress.indicators:
        gap("doelen", "progress.yaml", (), "Er zijn geen indicatoren om de voortgang van de doelen te volgen.")

    reflection = region.reflection
    two_years_ago = _years_before(on, 2)
    if reflection is None or reflection.discussed is None:
        gap("reflectie", "reflection.yaml", (), "De regio heeft nog niet samen gereflecteerd op de samenwerking.")
    elif reflection.discussed < two_years_ago:
        gap("reflectie", "reflection.yaml", ("discussed",),
            f"De laatste reflectie ({long_date(reflection.discussed)}) is meer dan twee jaar geleden.")

    if not region.agreements:
        gap("afspraken", "agreements/", (), "Er zijn geen afspraken vastgelegd (agreements/).")
    return gaps


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)
