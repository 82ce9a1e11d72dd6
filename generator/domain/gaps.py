"""The completeness check: what a good regional governance has and a region lacks on a date.

Not errors: gaps are shown on the region's pages and reported by `govsite validate` as such. Each gap
names its check in norms.py, which says where the check comes from (a Wgr article, the Norm voor
Opdrachtgeverschap or govsite's own norm); the Wgr checks apply by the law in force on the date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .agenda import cycle_gaps
from .labels import long_date
from .norms import NORMS, WGR_2024, is_regeling, source
from .vocabulary import WGR_FORMS_WITH_BOARD

if TYPE_CHECKING:  # the model computes the gaps of its state (model.RegionState.compute)
    from .model import Region, RegionState


@dataclass(frozen=True)
class Gap:
    """Something a good regional governance has and this region lacks (not an error)."""

    topic: str  # page the gap belongs to, e.g. "organisatie"
    file: str  # file name inside the region folder, e.g. "organisation.yaml"
    loc: tuple
    message: str  # what the site's readers are told: plain Dutch, no file or field names (issue 19 item 5)
    field: str = ""  # the field it is about, e.g. "vision.cooperation": named only to the data's editors
    check: str | None = None  # the name of its check in norms.NORMS, which knows its source

    @property
    def finding_message(self) -> str:
        """The message of `govsite validate`: for the data's editors, with the field to fill in."""
        message = self.message if not self.field else f"{self.message.removesuffix('.')} (veld {self.field})."
        return f"{message} Bron: {self.source}."

    @property
    def source(self) -> str:
        """Where the check comes from: a Wgr article, the Norm voor Opdrachtgeverschap or govsite's own norm."""
        return source(self.check)

    @property
    def legal(self) -> bool:
        """A requirement of the law (the Wgr) that the region does not meet."""
        return self.check in NORMS and NORMS[self.check].legal


def completeness(region: Region, state: RegionState) -> list[Gap]:
    """The governance check of the data model: what a good regional governance has and this lacks."""
    on = state.on
    gaps: list[Gap] = []

    def gap(topic: str, file: str, loc: tuple, message: str, field: str = "", *, check: str | None = None) -> None:
        gaps.append(Gap(topic, file, loc, message, field, check))

    data = region.data
    vision = data.vision
    if vision is None or not vision.mission:
        gap("overzicht", "region.yaml", ("vision",), "Er is geen visie op het regionale beleid.",
            "vision.mission",
            check="visie-beleid")
    if vision is None or not vision.goals:
        gap("doelen", "region.yaml", ("vision",), "Er zijn geen doelen vastgelegd.", "vision.goals",
        check="doelen")
    if vision is None or not vision.cooperation:
        gap("overzicht", "region.yaml", ("vision",), "Er is geen visie op de samenwerking.",
            "vision.cooperation",
            check="visie-samenwerking")
    if vision is None or not vision.approach:
        gap("overzicht", "region.yaml", ("vision",), "De hoofdlijnen van de aanpak ontbreken.",
            "vision.approach",
            check="aanpak")

    contact = data.contact
    if not (contact.email or contact.phone or contact.address):
        gap("overzicht", "region.yaml", ("contact",),
            "Het aanspreekpunt heeft geen e-mailadres, telefoonnummer of adres.",
            check="aanspreekpunt-bereikbaar")
    if contact.position and not state.contact_holders:
        gap("overzicht", "region.yaml", ("contact", "position"),
            "De positie van het aanspreekpunt is vacant: niemand spreekt nu namens de regio.",
            check="aanspreekpunt-bezet")

    organisation = region.organisation
    if organisation is None or not organisation.bodies:
        gap("organisatie", "organisation.yaml", (), "Er zijn geen organen beschreven.", "bodies",
        check="organen")
    else:
        roles = {b.role for b in organisation.bodies}
        missing = [r for r in ("eigenaar", "opdrachtgever", "opdrachtnemer") if r not in roles]
        if missing:
            gap("organisatie", "organisation.yaml", ("bodies",),
                "De rollen eigenaar, opdrachtgever en opdrachtnemer zijn niet gescheiden belegd; "
                f"geen orgaan heeft de rol {' of '.join(missing)}.",
                check="rollen-gescheiden")
        for position in state.vacancies:
            gap("organisatie", "organisation.yaml", position.loc,
                f"De positie {position.position.title} ({position.body.name}) is vacant.",
                check="positie-bezet")

    # --- the Wgr: which rules apply depends on the legal form and the law in force on the date ---
    regeling = is_regeling(data.legal_form, data.legal_basis)
    with_board = data.legal_form in WGR_FORMS_WITH_BOARD
    mandatory = regeling and on >= WGR_2024  # the content every regeling has had since 1 July 2024
    if regeling and not data.founding_agreement:
        gap("afspraken", "region.yaml", ("legal_form",), "Deze samenwerking rust op een gemeenschappelijke "
            "regeling, maar die regeling is niet genoemd.", "founding_agreement",
            check="gemeenschappelijke-regeling")
    if data.legal_form == "centrumgemeente" and data.legal_basis is None:
        gap("overzicht", "region.yaml", ("legal_form",), "Niet vastgelegd of de centrumgemeente rust op een "
            "gemeenschappelijke regeling of op een convenant.",
            "legal_basis", check="grondslag-centrumgemeente")
    decisions = region.decisions
    # every role the councils have, also the earlier steps of a sequence (council_roles)
    council_roles = {r for d in decisions.decisions for r in [d.council_role, *(s.role for s in d.council_roles)]} \
        if decisions else set()
    participants = region.register.members(on) if region.register else ()  # from register.yaml, if any
    if regeling:
        # Colleges or mayors that take part without their council need its consent to join, change or
        # leave the regeling (art. 1 lid 4 en 5 Wgr).
        # The bodies are in region.yaml or, for a regeling in the national register, in register.yaml.
        without_council = [i for i, m in enumerate(data.members)
                           if m in state.current_members and m.bodies and "raad" not in m.bodies]
        registered = [p for p in participants if p.kind == "gemeente" and p.bodies and "raad" not in p.bodies]
        if (without_council or registered) and "toestemming" not in council_roles:
            where = ("region.yaml", ("members", without_council[0], "bodies")) if without_council \
                else ("register.yaml", ())
            gap("besluitvorming", *where,
                "De raad van een deelnemende gemeente neemt zelf niet deel. Dan moet de raad toestemming geven "
                "voor toetreden, wijzigen en uittreden, maar bij geen enkel besluit staat die toestemming.",
                "decisions.council_role", check="toestemming-raad")
    if mandatory and with_board and "zienswijze" not in council_roles:
        gap("besluitvorming", "decisions.yaml", ("decisions",) if decisions and decisions.decisions else (),
            "Niet vastgelegd over welke besluiten van het bestuur de raden een zienswijze geven.",
            "decisions.council_role", check="zienswijze-besluiten")
    steps = decisions.escalation if decisions else []
    only_municipalities = all(p.kind == "gemeente" for p in participants)
    if regeling and only_municipalities and steps and not _ends_at_provincial_executive(steps):
        # A dispute between the participating municipalities goes to Gedeputeerde Staten (art. 28 Wgr), the
        # last step: the ladder's last body is gedeputeerde-staten. With a province, a water board or a
        # foreign participant in the register other rules apply, which govsite does not check.
        gap("escalatie", "decisions.yaml", ("escalation", len(steps) - 1),
            "De escalatieladder eindigt niet bij Gedeputeerde Staten. Zij beslissen over een geschil tussen de "
            "deelnemende gemeenten.", "escalation.body", check="geschil-naar-gs")
    if decisions is None or not decisions.decisions:
        gap("besluitvorming", "decisions.yaml", (), "Er is geen besluitvormingsmatrix: niet vastgelegd wie waarover besluit.",
        check="besluitvormingsmatrix")
    if decisions is None or not decisions.escalation:
        gap("escalatie", "decisions.yaml", (), "Er is geen escalatieladder: niet vastgelegd wat er gebeurt bij een conflict.",
        check="escalatieladder")
    if decisions is not None:
        _authority_gaps(region, decisions.decisions, gap)

    accountability = region.accountability
    if accountability is None or not accountability.council_instruments:
        gap("raad", "accountability.yaml", (), "De instrumenten van de gemeenteraad (zoals zienswijze) zijn niet beschreven.",
        check="instrumenten-raad")
    evaluation = accountability.evaluation if accountability else None
    evaluation_check = "evaluatie-regeling" if mandatory else "evaluatie"
    if evaluation is None or evaluation.next is None:
        gap("raad", "accountability.yaml", ("evaluation",) if evaluation else (),
            "Er is geen datum voor de volgende evaluatie van de samenwerking.", "evaluation.next",
            check=evaluation_check)
    elif evaluation.next < on:
        gap("raad", "accountability.yaml", ("evaluation", "next"),
            f"De evaluatie had op {long_date(evaluation.next)} moeten plaatsvinden en is te laat.",
            check=evaluation_check)
    if accountability is None or not accountability.entry:
        gap("raad", "accountability.yaml", (), "Er zijn geen regels voor toetreding van een gemeente.",
            "entry", check="toetreding-regeling" if regeling else "toetreding")
    if accountability is None or not accountability.exit:
        gap("raad", "accountability.yaml", (), "Er zijn geen regels voor uittreding van een gemeente.",
            "exit", check="uittreding-regeling" if regeling else "uittreding")
    elif mandatory:
        # Since 1 July 2024 a regeling states the conditions of leaving and what leaving does to the
        # assets and liabilities (art. 9 lid 1 Wgr: of "de rechtspersoon, bedoeld in artikel 8, eerste en
        # derde lid", and of the municipalities; govsite asks it of every regeling).
        if not accountability.exit.conditions:
            gap("raad", "accountability.yaml", ("exit",), "De voorwaarden voor uittreding ontbreken.",
                "exit.conditions", check="uittreding-voorwaarden")
        if not accountability.exit.assets:
            gap("raad", "accountability.yaml", ("exit",), "Niet beschreven wat uittreding betekent voor het "
                "vermogen: wat gebeurt er met de bezittingen en de schulden?", "exit.assets",
                check="uittreding-vermogen")
    # Citizen participation: added to the Wgr by amendment Bromet (Kamerstukken II 35513, nr. 10) for "een
    # regeling als bedoeld in het tweede lid" of its article; the article was not read, govsite asks every regeling.
    if mandatory and not (accountability and accountability.participation):
        gap("raad", "accountability.yaml", (), "Niet beschreven hoe inwoners en belanghebbenden meedoen bij de "
            "voorbereiding, uitvoering en evaluatie van het beleid.", "participation", check="burgerparticipatie")
    instruments = accountability.council_instruments if accountability else []
    if with_board and not any(i.kind == "zienswijze" and i.applies_to == "ontwerpbegroting" for i in instruments):
        gap("raad", "accountability.yaml", ("council_instruments",) if instruments else (),
            "Niet vastgelegd dat de raden hun zienswijze geven op de ontwerpbegroting.",
            "council_instruments.applies_to",
            check="zienswijze-ontwerpbegroting")

    if accountability is not None:
        _round_gaps(region, accountability.zienswijze_rounds, on, gap)

    if accountability is not None:
        cycle_gaps(region, on, gap)  # the budget cycle's deadline for Gedeputeerde Staten (agenda.py)

    finance = region.finance
    if finance is None or state.contributions is None:
        gap("financien", "finance.yaml", ("contributions",) if finance else (),
            f"De bijdragen per gemeente voor {on.year} ontbreken.",
            check="bijdragen")
    if finance is None or finance.allocation is None:
        gap("financien", "finance.yaml", (), "De verdeelsleutel van de kosten is niet beschreven.",
        check="verdeelsleutel")

    progress = region.progress
    if progress is None or not progress.indicators:
        gap("doelen", "progress.yaml", (), "Er zijn geen indicatoren om de voortgang van de doelen te volgen.",
        check="indicatoren")

    reflection = region.reflection
    two_years_ago = _years_before(on, 2)
    if reflection is None or reflection.discussed is None:
        gap("reflectie", "reflection.yaml", (), "De regio heeft nog niet samen gereflecteerd op de samenwerking.",
        check="reflectie")
    elif reflection.discussed < two_years_ago:
        gap("reflectie", "reflection.yaml", ("discussed",),
            f"De laatste reflectie ({long_date(reflection.discussed)}) is meer dan twee jaar geleden.",
            check="reflectie")

    if not region.agreements:
        gap("afspraken", "agreements/", (), "Er zijn geen afspraken vastgelegd.",
        check="afspraken")
    return gaps


def _ends_at_provincial_executive(steps) -> bool:
    """Whether the last step of a ladder is Gedeputeerde Staten (the collective body gedeputeerde-staten)."""
    return steps[-1].body == "gedeputeerde-staten"


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _authority_gaps(region: Region, decisions: list, gap) -> None:
    """Mandate and delegation that a resident cannot trace: where it was given, and where to object."""
    for i, decision in enumerate(decisions):
        authority = decision.authority
        if authority is None:
            continue
        loc = ("decisions", i, "authority")
        if authority.kind in ("mandaat", "delegatie") and decision.basis is None:
            what, why = (("de delegatie", "delegatie kan alleen als een wettelijk voorschrift erin voorziet")
                         if authority.kind == "delegatie" else
                         ("het mandaat", "een algemeen mandaat wordt schriftelijk gegeven"))
            gap("besluitvorming", "decisions.yaml", loc,
                f"Bij het besluit '{decision.topic}' staat niet waar {what} is vastgelegd: {why}.",
                check="bevoegdheid-vastgelegd")
        if authority.objection:
            body = region.organisation.body(decision.taken_in_name_of) if region.organisation else None
            if body is not None and not (body.address or body.website):
                gap("besluitvorming", "organisation.yaml", ("bodies", region.organisation.bodies.index(body)),
                    f"Inwoners kunnen niet zien waar zij bezwaar maken tegen '{decision.topic}': van "
                    f"{body.name} staat geen postadres of webpagina vermeld.", check="bezwaar-adres")


def _round_gaps(region: Region, rounds: list, on: dt.date, gap) -> None:
    """A zienswijze round whose term has passed, with zienswijzen but no answer from the board."""
    for i, round_ in enumerate(rounds):
        end = round_.ends
        given = [v for v in round_.views if v.date <= on]
        if given and end < on and (round_.answer is None or round_.answer.date > on):
            gap("raad", "accountability.yaml", ("zienswijze_rounds", i),
                f"Het bestuur heeft nog niet gereageerd op de zienswijzen over {round_.subject}, terwijl de termijn "
                f"op {long_date(end)} eindigde. Het bestuur hoort schriftelijk en met redenen te reageren.",
                check="reactie-op-zienswijzen")
