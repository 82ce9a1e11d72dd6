"""The data format, version 1, as typed classes: one per file kind and per part of a file.

These classes are the typed model of each YAML file (step 3 builds the region from them) and the
source of the JSON Schema that editors use for completion. Descriptions are Dutch, because the
people who read them in their editor are Dutch secretariats. The value types of the fields live in
values.py, the closed lists of values in vocabulary.py; text that may hold links (Markdown, Url) is
typed here, beside the link policy that the site's Markdown filter shares (unsafe_scheme). See ../docs
or content/bijdragen/dataformaat.md for the rules between fields, which live in rules.py.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .values import (CODE_PATTERN, ID_MAX_LENGTH, NUMBER_LIMIT, SLUG, SLUG_PATTERN,  # noqa: F401
                     Amount, AnnualDate, ArticleNumber, Code, Date, Email, Id, Measure, Parties, Title,
                     VersionNumber, _annual, _article_number, _date, _email, _parties, _version)
from .vocabulary import (COLLECTIVE_BODIES, AgreementKind, AllocationKey, BalanceAct, Better,  # noqa: F401
                         BodyKind, BodyRole, CouncilRole, Domain, InstrumentKind, LegalForm, MemberRole,
                         RegionKind, Status, Voting)
from .vocabulary import AuthorityKind, CouncilStepOn
from .vocabulary import InstrumentAppliesTo, LegalBasis, MemberBody
from .register_schema import RegisterFile, RegisterLinksFile, RegisterSource  # noqa: F401

SAFE_SCHEMES = ("https", "http", "mailto")
PLACEHOLDER = "INVULLEN"  # what `govsite new` writes where the secretariat still has to fill something in


# --- text that may hold links: the link policy ----------------------------------------------

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")
# Where a link target starts in Markdown: after '](' ([text](target), ![alt](target)), after '<'
# (<target>), and after '[ref]:' at the start of a line, also inside a list item, a definition or a
# quote ('- [x]: ...', ': [x]: ...', '>[x]: ...': CommonMark needs no space after '>'). Every opener
# is checked, also one inside another link's text ('](' + '[x](javascript:...)'), so the openers are
# found one by one, not as whole links.
_LINK_OPENERS = re.compile(r"\]\(|<(?=[a-zA-Z][a-zA-Z0-9+.\-]*:[^<>\s]*>)"
                           r"|^[ \t]*(?:>[ \t]*|(?:[-*+:]|[0-9]+[.)])[ \t]+)*\[[^\]\n]*\]:", re.MULTILINE)


# Up to 128 characters other than whitespace (a scheme is far shorter), stopping where the target ends.
_HEAD = re.compile(r"[\x00-\x20]*<?((?:[\x00-\x20]*[^\x00-\x20)>]){0,128})")


def _target_head(value: str, start: int) -> str:
    """The start of a link target, long enough to hold its scheme once whitespace is dropped (browsers
    drop tabs and newlines inside a URL, so 'java<TAB>script:' must be seen whole), without a '<'."""
    head = _HEAD.match(value, start)
    return head.group(1)


def unsafe_scheme(target: str) -> str | None:
    """The scheme of a link target when it is not allowed, else None.

    Control characters and whitespace are removed first, because browsers ignore them:
    'java\\tscript:' is 'javascript:' to a browser. Entities like '&#106;' are decoded too, and
    backslashes dropped ('javascript\\:' is 'javascript:' to a CommonMark renderer).
    """
    cleaned = "".join(ch for ch in html.unescape(target) if ch > " " and ch not in "\x7f\\")
    match = _SCHEME.match(cleaned)
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        return match.group(1).lower()
    return None


def _markdown(value: str) -> str:
    if "]" not in value and "<" not in value:  # no link can open here; most texts have none
        return value
    for match in _LINK_OPENERS.finditer(value):
        scheme = unsafe_scheme(_target_head(value, match.end()))
        if scheme:
            raise ValueError(
                f"een link met '{scheme}:' is niet toegestaan. Gebruik alleen links die beginnen "
                "met https://, http:// of mailto:"
            )
    return value


def _url(value: str) -> str:
    scheme = unsafe_scheme(value)
    if scheme or not re.match(r"^(https?://[^\s/]+\S*|mailto:\S+)$", value.strip()):
        raise ValueError(f"'{value}' is geen geldig webadres. Schrijf een volledig adres dat begint "
                         "met https://, bijvoorbeeld https://www.example.org/verslag.pdf")
    return value.strip()


Markdown = Annotated[str, AfterValidator(_markdown)]
Url = Annotated[str, AfterValidator(_url)]


def _d(description: str, **kwargs: Any) -> Any:
    return Field(description=description, **kwargs)



class Part(BaseModel):
    """Every part of a file: unknown keys are errors, so a typo never drops an agreement silently."""

    # defer_build: a model builds its validator when it first validates, not on import; a build that takes
    # every region from the check cache validates nothing.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, defer_build=True)


# --- municipalities.yaml -------------------------------------------------------------------

class Municipality(Part):
    code: Code = _d("CBS-gemeentecode, bijvoorbeeld GM0546.")
    name: Title = _d("Naam van de gemeente.")
    official_name: Optional[Title] = _d(
        "De naam volgens het CBS, waar die anders is dan name (bijvoorbeeld 's-Hertogenbosch bij Den Bosch).",
        default=None)
    # Optional: CBS names the province of current municipalities only (govsite import).
    province: Optional[Title] = _d("Provincie.", default=None)
    inhabitants: Optional[Annotated[int, Field(ge=0, le=10**10)]] = _d(
        "Aantal inwoners; gebruikt bij een verdeelsleutel naar inwoners.", default=None)
    ended: Optional[Date] = _d("De gemeente bestaat niet meer vanaf deze datum (herindeling).", default=None)
    succeeded_by: Optional[Code] = _d("De gemeente die haar opvolgde (met ended).", default=None)


class MunicipalitiesFile(Part):
    municipalities: list[Municipality] = _d("Alle gemeenten waar regio's naar verwijzen.")
    source: Optional[RegisterSource] = _d("Waar de lijst vandaan komt (geschreven door govsite import).",
                                          default=None)


# --- region.yaml ---------------------------------------------------------------------------

class Contact(Part):
    position: Optional[Id] = _d("Id van de positie in organisation.yaml die de regio vertegenwoordigt.",
                                default=None)
    title: Optional[Title] = _d("Titel van het aanspreekpunt, als er geen organisation.yaml is.",
                                default=None)
    organisation: Optional[Title] = _d("Organisatie van het aanspreekpunt.", default=None)
    email: Optional[Email] = _d("E-mailadres van het aanspreekpunt.", default=None)
    phone: Optional[Title] = _d("Telefoonnummer, tussen aanhalingstekens.", default=None)
    address: Optional[Title] = _d("Postadres of bezoekadres.", default=None)

    @model_validator(mode="after")
    def _position_or_title(self) -> "Contact":
        if not self.position and not self.title:
            raise ValueError("geef het aanspreekpunt een 'position' (id uit organisation.yaml) of een 'title'")
        return self


class _Period:
    """A part with `since` and `until`, both days included (until None: still going)."""

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


class Member(Part, _Period):
    municipality: Code = _d("CBS-code van de deelnemende gemeente.")
    since: Date = _d("Deelnemer vanaf deze datum.")
    until: Optional[Date] = _d("Deelnemer tot en met deze datum (de gemeente is uitgetreden).", default=None)
    role: MemberRole = _d("centrumgemeente of deelnemer.", default="deelnemer")
    domains: Optional[list[Domain]] = _d(
        "Alleen bij gedeeltelijke deelname: de domeinen waarin de gemeente meedoet.", default=None)
    bodies: Optional[list[MemberBody]] = _d(
        "Welke bestuursorganen van de gemeente deelnemen: raad, college en/of burgemeester (art. 1 Wgr). "
        "Nemen alleen college of burgemeester deel, dan geeft de raad toestemming bij toetreden, wijzigen en "
        "uittreden (art. 1 lid 4 en 5 Wgr).", default=None)
    note: Optional[Markdown] = _d("Toelichting, bijvoorbeeld over toetreding of uittreding.", default=None)


class Goal(Part):
    id: Id = _d("Id van het doel, gebruikt in progress.yaml.")
    title: Title = _d("Korte naam van het doel.")
    description: Optional[Markdown] = _d("Uitleg van het doel.", default=None)


class Vision(Part):
    mission: Optional[Markdown] = _d("Visie en doelen van het regionale beleid.", default=None)
    cooperation: Optional[Markdown] = _d("Visie op de samenwerking.", default=None)
    approach: Optional[Markdown] = _d("Hoofdlijnen van de aanpak.", default=None)
    goals: list[Goal] = _d("De doelen van de regio.", default_factory=list)


class RegionFile(Part):
    id: Id = _d("Id van de regio; gelijk aan de mapnaam.")
    name: Title = _d("Naam van de regio.")
    kind: RegionKind = _d("Soort regio.")
    domains: list[Domain] = _d("Beleidsdomeinen van de regio.", min_length=1)
    legal_form: LegalForm = _d("Juridische vorm van de samenwerking.")
    legal_basis: Optional[LegalBasis] = _d(
        "Alleen bij een centrumgemeente: rust zij op een gemeenschappelijke regeling (wgr) of op een "
        "convenant?", default=None)
    founding_agreement: Optional[Id] = _d("Id van de oprichtingsafspraak in agreements/.", default=None)
    summary: Markdown = _d("Wat de regio doet, in eenvoudige taal (B1) voor inwoners.")
    website: Optional[Url] = _d("Website van de regio.", default=None)
    example: bool = _d("true voor fictieve voorbeeldgegevens; de site toont dan een waarschuwing.",
                       default=False)
    contact: Contact = _d("Het ene aanspreekpunt dat namens de regio spreekt.")
    members: list[Member] = _d("Deelnemende gemeenten, ook vroegere.", min_length=2)
    vision: Optional[Vision] = _d("Visie, samenwerking, aanpak en doelen.", default=None)

    def member_on(self, code: str, day: dt.date) -> bool:
        return any(m.municipality == code and m.active_on(day) for m in self.members)


# --- organisation.yaml ---------------------------------------------------------------------

class Holder(Part, _Period):
    name: Title = _d("Naam van de persoon.")
    municipality: Optional[Code] = _d("Gemeente die de persoon vertegenwoordigt.", default=None)
    since: Date = _d("In functie vanaf.")
    until: Optional[Date] = _d("In functie tot en met.", default=None)


class Position(Part):
    id: Id = _d("Id van de positie.")
    title: Title = _d("Naam van de positie, bijvoorbeeld Voorzitter.")
    holders: list[Holder] = _d("Wie de positie bekleedt of bekleedde, per termijn.", default_factory=list)


class Body(Part):
    id: Id = _d("Id van het orgaan.")
    name: Title = _d("Naam van het orgaan.")
    kind: BodyKind = _d("Soort orgaan.")
    role: BodyRole = _d("Rol: eigenaar, opdrachtgever, opdrachtnemer, adviseur of toezichthouder.")
    composition: Optional[Markdown] = _d("Samenstelling.", default=None)
    voting: Optional[Voting] = _d("Hoe het orgaan stemt.", default=None)
    meets: Optional[Title] = _d("Hoe vaak het orgaan vergadert.", default=None)
    address: Optional[Title] = _d("Postadres van het orgaan, ook voor bezwaarschriften tegen zijn besluiten "
                                  "(art. 6:4 Awb).", default=None)
    website: Optional[Url] = _d("Webpagina van het orgaan, bijvoorbeeld waar staat hoe u bezwaar maakt.",
                                default=None)
    reports_to: Optional[Id] = _d("Aan wie het orgaan verantwoording aflegt (orgaan-id, raden, "
                                  "colleges of burgemeesters).", default=None)
    positions: list[Position] = _d("Posities in het orgaan.", default_factory=list)


class OrganisationFile(Part):
    bodies: list[Body] = _d("De organen van de samenwerking.", default_factory=list)

    def body(self, ref: str) -> Body | None:
        return next((b for b in self.bodies if b.id == ref), None)


# --- decisions.yaml ------------------------------------------------------------------------

class Basis(Part):
    agreement: Id = _d("Id van de afspraak waarin het mandaat staat.")
    article: ArticleNumber = _d("Nummer van het artikel, tussen aanhalingstekens.")


def strongest_role(roles: list[Any]) -> str:
    """Of the roles in a sequence of council steps, the one with the most say (CouncilRole is ordered from
    least to most); "geen" when none is a known role (the role's own error then says why)."""
    order = list(CouncilRole.__args__)
    known = [r for r in roles if isinstance(r, str) and r in order]
    return max(known, key=order.index) if known else "geen"


def _one_of_council_role(schema: dict) -> None:
    schema["required"] = [name for name in schema.get("required", []) if name != "council_role"]
    schema["anyOf"] = [{"required": ["council_role"]}, {"required": ["council_roles"]}]


class CouncilStep(Part):
    role: CouncilRole = _d("De rol van de raad in deze stap: zienswijze, wensen-en-bedenkingen, toestemming, ...")
    on: CouncilStepOn = _d("Waarover: ontwerp (het ontwerpbesluit of ontwerpstuk), besluit (het besluit zelf, "
                           "voordat het geldt) of na-besluit (nadat het genomen is).")
    note: Optional[Title] = _d("Korte toelichting, bijvoorbeeld de termijn en het wetsartikel.", default=None)


class Authority(Part):
    kind: AuthorityKind = _d(
        "Hoe het orgaan dat besluit aan de bevoegdheid komt: eigen (een eigen bevoegdheid), attributie (de wet "
        "geeft haar), delegatie (overgedragen: het orgaan besluit in eigen naam, art. 10:13 Awb) of mandaat "
        "(het orgaan besluit namens een ander, art. 10:1 Awb).")
    granted_by: Optional[Id] = _d("Bij mandaat of delegatie: het orgaan dat de bevoegdheid gaf (orgaan-id, "
                                  "raden, colleges of burgemeesters).", default=None)
    in_name_of: Optional[Id] = _d("Namens wie het besluit genomen wordt. Mag weg: govsite leidt het af "
                                  "(mandaat: namens wie het mandaat gaf, art. 10:2 Awb; anders: wie besluit).",
                                  default=None)
    objection: bool = _d("true (standaard) als inwoners bezwaar kunnen maken tegen dit besluit; de site noemt dan "
                         "bij wie (art. 6:4 Awb). false als dat niet kan, bijvoorbeeld bij een algemeen "
                         "verbindend voorschrift (art. 8:3 Awb).", default=True)


class Decision(Part):
    id: Id = _d("Id van het besluit.")
    topic: Title = _d("Waarover besloten wordt.")
    description: Optional[Markdown] = _d("Toelichting.", default=None)
    decides: Id = _d("Wie besluit (orgaan-id, raden, colleges of burgemeesters).")
    prepares: Optional[Id] = _d("Wie het besluit voorbereidt.", default=None)
    consults: list[Id] = _d("Wie geraadpleegd wordt.", default_factory=list)
    informs: list[Id] = _d("Wie geïnformeerd wordt.", default_factory=list)
    council_role: CouncilRole = _d("De rol van de gemeenteraad bij dit besluit.")
    council_roles: list[CouncilStep] = _d(
        "In plaats van council_role: de rollen van de raad na elkaar, bijvoorbeeld eerst een zienswijze op het "
        "ontwerp en dan toestemming voor het besluit.", default_factory=list)
    authority: Optional[Authority] = _d("Mandaat, delegatie of eigen bevoegdheid, en daarmee bij wie inwoners "
                                        "bezwaar maken.", default=None)
    voting: Optional[Voting] = _d("Hoe er gestemd wordt.", default=None)
    basis: Optional[Basis] = _d("Waar de bevoegdheid is vastgelegd: het artikel van de regeling, of van het "
                                "mandaat- of delegatiebesluit.", default=None)
    when: Optional[Title] = _d("Wanneer, bijvoorbeeld 'Jaarlijks, na de zienswijzen van de raden; vóór 15 september naar GS "
                                      "(art. 34 Wgr)'.", default=None)

    # council_role or council_roles: the editor schema asks for one of the two (the validator fills the first in)
    model_config = ConfigDict(json_schema_extra=lambda schema: _one_of_council_role(schema))

    @model_validator(mode="before")
    @classmethod
    def _role_from_sequence(cls, data: Any) -> Any:
        # A sequence of roles stands in for the single role: council_role becomes its strongest step, so
        # everything that weighs the council's say (govsite diff, the change log) reads one value.
        if isinstance(data, dict) and "council_role" not in data and isinstance(data.get("council_roles"), list) \
                and data["council_roles"]:
            roles = [step.get("role") for step in data["council_roles"] if isinstance(step, dict)]
            data = {**data, "council_role": strongest_role(roles)}
        return data

    @property
    def taken_in_name_of(self) -> str:
        """In whose name the decision is taken: the mandator's under a mandate (art. 10:2 Awb), else the deciding
        body's own (delegation: art. 10:13 Awb)."""
        authority = self.authority
        if authority is not None and authority.kind == "mandaat" and authority.granted_by:
            return authority.granted_by
        return self.decides


class EscalationStep(Part):
    step: Annotated[int, Field(ge=1, le=50)] = _d("Nummer van de stap: 1, 2, 3, ...")
    body: Optional[Id] = _d("Het orgaan dat deze stap zet.", default=None)
    title: Optional[Title] = _d("Of: een partij buiten de organen.", default=None)
    action: Markdown = _d("Wat er in deze stap gebeurt.")
    within_days: Optional[Annotated[int, Field(ge=0, le=3650)]] = _d("Binnen hoeveel dagen.", default=None)

    @model_validator(mode="after")
    def _body_or_title(self) -> "EscalationStep":
        if bool(self.body) == bool(self.title):
            raise ValueError("geef bij elke stap óf 'body' (een orgaan) óf 'title' (een partij buiten "
                             "de organen), niet allebei en niet geen van beide")
        return self


class DecisionsFile(Part):
    decisions: list[Decision] = _d("De besluitvormingsmatrix.", default_factory=list)
    escalation: list[EscalationStep] = _d("De escalatieladder, laagste stap eerst.", default_factory=list)


# --- accountability.yaml -------------------------------------------------------------------

class Information(Part):
    instrument: Title = _d("Naam van het informatiemiddel.")
    to: list[Id] = _d("Voor wie.", default_factory=list)
    frequency: Optional[Title] = _d("Hoe vaak.", default=None)
    description: Optional[Markdown] = _d("Toelichting.", default=None)


class CouncilInstrument(Part):
    kind: InstrumentKind = _d("Soort instrument van de raad.")
    subject: Title = _d("Waarover.")
    applies_to: Optional[InstrumentAppliesTo] = _d(
        "Over welk stuk of besluit, als vaste waarde: ontwerpbegroting (art. 35 Wgr), begrotingswijziging, "
        "kaderbrief (art. 34b Wgr), voorlopige-jaarrekening, jaarrekening, wijziging-regeling, toetreding, "
        "uittreding, beleid of overig.", default=None)
    term_days: Optional[Annotated[int, Field(ge=0, le=3650)]] = _d("Termijn in dagen; voor de zienswijze op de ontwerpbegroting 84 (twaalf weken, "
                                                                              "art. 35 Wgr).", default=None)
    description: Optional[Markdown] = _d("Toelichting.", default=None)


class PlanningItem(Part):
    document: Title = _d("Naam van het document, bijvoorbeeld Kaderbrief.")
    to: list[Id] = _d("Aan wie het gestuurd wordt.", default_factory=list)
    by: AnnualDate = _d("Jaarlijkse uiterste datum, \"MM-DD\".")


class BudgetCycle(Part):
    """What happened in one year's budget cycle, as it happened: only dates that were (or are fixed to
    be) real. govsite derives the legal deadlines from them (art. 34, 34b and 35 Wgr)."""

    year: Annotated[int, Field(ge=1900, le=2200)] = _d("Het begrotingsjaar, bijvoorbeeld 2027 voor de "
                                                       "begroting die in 2026 wordt vastgesteld.")
    frameworks_sent: Optional[Date] = _d(
        "Datum waarop de algemene financiële en beleidsmatige kaders en de voorlopige jaarrekening bij de "
        "raden waren (gingen ze apart, dan de laatste van de twee); vóór 30 april van het jaar ervoor, art. 34b "
        "Wgr.", default=None)
    frameworks_document: Optional[Url] = _d("Adres van de kaderbrief.", default=None)
    draft_sent: Optional[Date] = _d(
        "Datum waarop de ontwerpbegroting naar de raden ging. De raden hebben twaalf weken (84 dagen) voor "
        "hun zienswijze; zo lang vóór de vergadering van het algemeen bestuur moet de ontwerpbegroting bij de "
        "raden zijn (art. 35 Wgr).", default=None)
    draft_document: Optional[Url] = _d("Adres van de ontwerpbegroting.", default=None)
    board_meeting: Optional[Date] = _d("Datum van de vergadering van het algemeen bestuur over de begroting.",
                                       default=None)
    adopted: Optional[Date] = _d("Datum waarop het algemeen bestuur de begroting vaststelde.", default=None)
    budget_document: Optional[Url] = _d("Adres van de vastgestelde begroting.", default=None)
    sent_to_gs: Optional[Date] = _d(
        "Datum waarop de vastgestelde begroting naar Gedeputeerde Staten ging (binnen twee weken na "
        "vaststelling en vóór 15 september, art. 34 Wgr).", default=None)


class EvaluationRecord(Part):
    date: Date = _d("Datum van de evaluatie.")
    report: Optional[Url] = _d("Adres van het evaluatierapport.", default=None)
    outcome: Optional[Markdown] = _d("Uitkomst in het kort.", default=None)


class Evaluation(Part):
    every_years: Optional[Annotated[int, Field(ge=1, le=20)]] = _d("Elke hoeveel jaar.", default=None)
    last: Optional[EvaluationRecord] = _d("De laatste evaluatie.", default=None)
    next: Optional[Date] = _d("Datum van de volgende evaluatie.", default=None)


class Exit(Part):
    notice_months: Optional[Annotated[int, Field(ge=0, le=120)]] = _d("Opzegtermijn in maanden.",
                                                                       default=None)
    conditions: Optional[Markdown] = _d("Voorwaarden voor uittreding (art. 9 lid 1 Wgr).", default=None)
    costs: Optional[Markdown] = _d("Kosten van uittreding.", default=None)
    assets: Optional[Markdown] = _d("Gevolgen van uittreding voor het vermogen: wat er gebeurt met bezittingen "
                                    "en schulden (art. 9 lid 1 Wgr).", default=None)


class View(Part):
    municipality: Code = _d("CBS-code van de gemeente waarvan de raad de zienswijze gaf.")
    date: Date = _d("Datum van de zienswijze (het raadsbesluit).")
    summary: Optional[Markdown] = _d("De zienswijze in het kort.", default=None)
    url: Optional[Url] = _d("Adres van het raadsbesluit of de brief.", default=None)


class Answer(Part):
    date: Date = _d("Datum van de reactie van het bestuur op de zienswijzen.")
    url: Optional[Url] = _d("Adres van de reactie.", default=None)
    summary: Optional[Markdown] = _d("Wat het bestuur met de zienswijzen deed, en waarom.", default=None)


class ZienswijzeRound(Part):
    id: Id = _d("Id van de ronde, bijvoorbeeld ontwerpbegroting-2027.")
    subject: Title = _d("Waarover de raden hun zienswijze konden geven, bijvoorbeeld Ontwerpbegroting 2027.")
    decision: Optional[Id] = _d("Id van het besluit in decisions.yaml waar de ronde bij hoort.", default=None)
    sent: Date = _d("Datum waarop het ontwerp naar de raden ging.")
    term_days: Annotated[int, Field(ge=0, le=3650)] = _d(
        "Termijn voor de zienswijze in dagen; bij de ontwerpbegroting 84 (twaalf weken, art. 35 Wgr).")
    document: Optional[Url] = _d("Adres van het ontwerp.", default=None)
    views: list[View] = _d("De zienswijzen van de raden, één per gemeente.", default_factory=list)
    answer: Optional[Answer] = _d("De schriftelijke, gemotiveerde reactie van het bestuur op de zienswijzen.",
                                  default=None)

    @property
    def ends(self) -> dt.date:
        """The last day of the term."""
        return self.sent + dt.timedelta(days=self.term_days)


class AccountabilityFile(Part):
    information: list[Information] = _d("Hoe raden en inwoners geïnformeerd worden.", default_factory=list)
    council_instruments: list[CouncilInstrument] = _d("Middelen van de raad om te sturen en te controleren.",
                                                      default_factory=list)
    planning_cycle: list[PlanningItem] = _d("Planning- en controlcyclus.", default_factory=list)
    cycle: list[BudgetCycle] = _d("De echte data van de begrotingscyclus, per begrotingsjaar.",
                                  default_factory=list)
    evaluation: Optional[Evaluation] = _d("Evaluatie van de samenwerking.", default=None)
    entry: Optional[Markdown] = _d("Hoe een gemeente toetreedt.", default=None)
    exit: Optional[Exit] = _d("Hoe een gemeente uittreedt.", default=None)
    participation: Optional[Markdown] = _d(
        "Hoe inwoners en belanghebbenden betrokken worden bij de voorbereiding, uitvoering en evaluatie van het "
        "beleid (burgerparticipatie; verplicht in een gemeenschappelijke regeling sinds 1 juli 2024).",
        default=None)
    liability: Optional[Markdown] = _d("Aansprakelijkheid.", default=None)
    zienswijze_rounds: list[ZienswijzeRound] = _d(
        "Zienswijzeronden: per ontwerp de zienswijzen van de raden en de reactie van het bestuur.",
        default_factory=list)


# --- finance.yaml --------------------------------------------------------------------------

class Allocation(Part):
    key: AllocationKey = _d("Verdeelsleutel.")
    description: Optional[Markdown] = _d("Uitleg van de verdeelsleutel.", default=None)


class Share(Part):
    municipality: Code = _d("CBS-code van de gemeente.")
    amount: Optional[Amount] = _d("Bijdrage in euro's.", default=None)
    percentage: Optional[Annotated[float, Field(ge=0, le=100)]] = _d("Aandeel in procenten.", default=None)

    @model_validator(mode="after")
    def _amount_or_percentage(self) -> "Share":
        if self.amount is None and self.percentage is None:
            raise ValueError("geef een 'amount' (bedrag in euro's) of een 'percentage', of allebei")
        return self


class Contribution(Part):
    year: Annotated[int, Field(ge=1900, le=2200)] = _d("Begrotingsjaar.")
    budget: Optional[Amount] = _d("Totale begroting in euro's.", default=None)
    shares: list[Share] = _d("Bijdragen per gemeente.", default_factory=list)


class FinanceFile(Part):
    allocation: Optional[Allocation] = _d("Hoe de kosten verdeeld worden.", default=None)
    contributions: list[Contribution] = _d("Bijdragen per jaar.", default_factory=list)


# --- progress.yaml -------------------------------------------------------------------------

class Measurement(Part):
    date: Date = _d("Datum van de meting.")
    value: Measure = _d("Gemeten waarde.")
    source: Optional[Url] = _d("Bron van de meting.", default=None)


class Indicator(Part):
    id: Id = _d("Id van de indicator.")
    goal: Id = _d("Id van het doel in region.yaml.")
    title: Title = _d("Naam van de indicator.")
    unit: Optional[Title] = _d("Eenheid, bijvoorbeeld weken.", default=None)
    target: Optional[Measure] = _d("Streefwaarde.", default=None)
    better: Better = _d("lower als lager beter is, higher als hoger beter is.")
    measurements: list[Measurement] = _d("Metingen in de tijd.", default_factory=list)


class ProgressUpdate(Part):
    date: Date = _d("Datum van de voortgangsmelding.")
    goal: Id = _d("Id van het doel.")
    # Optional since issue 19: a goal's status follows from its indicators (facts.goal_status); what
    # an author wrote here is kept in the file but never shown as the goal's status.
    status: Optional[Status] = _d("Vervallen, mag weg: de status van een doel volgt uit de indicatoren. "
                                  "Wat hier staat, toont de site niet.", default=None)
    text: Markdown = _d("Toelichting.")


class ProgressFile(Part):
    indicators: list[Indicator] = _d("Indicatoren bij de doelen.", default_factory=list)
    updates: list[ProgressUpdate] = _d("Voortgangsmeldingen.", default_factory=list)


# --- reflection.yaml -----------------------------------------------------------------------

class Balance(Part):
    act: BalanceAct = _d("Welke van de vijf balansen.")
    position: Optional[Annotated[int, Field(ge=1, le=5)]] = _d(
        "Positie tussen de twee polen: 1 (eerste pool) tot 5 (tweede pool).", default=None)
    note: Optional[Markdown] = _d("Toelichting.", default=None)


class Question(Part):
    question: Title = _d("De vraag.")
    answer: Optional[Markdown] = _d("Het antwoord.", default=None)


class ReflectionFile(Part):
    discussed: Optional[Date] = _d("Wanneer de regio voor het laatst samen reflecteerde.", default=None)
    balances: list[Balance] = _d("De vijf balansen.", default_factory=list)
    questions: list[Question] = _d("Vragen en antwoorden van de reflectie.", default_factory=list)


# --- agreements/<id>.yaml ------------------------------------------------------------------

class Article(Part):
    number: ArticleNumber = _d("Artikelnummer, tussen aanhalingstekens.")
    title: Optional[Title] = _d("Opschrift van het artikel.", default=None)
    text: Markdown = _d("Tekst van het artikel.")


class Version(Part):
    version: VersionNumber = _d("Versienummer, tussen aanhalingstekens, bijvoorbeeld \"1.0\".")
    adopted: Date = _d("Datum van vaststelling.")
    adopted_by: list[Id] = _d("Wie de versie vaststelde.", default_factory=list)
    effective: Date = _d("Datum van inwerkingtreding.")
    publication: Optional[Url] = _d("Adres van de officiële publicatie.", default=None)
    changes: Optional[Markdown] = _d("Wat er veranderde en waarom.", default=None)
    articles: list[Article] = _d("De artikelen.", default_factory=list)


class AgreementFile(Part):
    id: Id = _d("Id van de afspraak; gelijk aan de bestandsnaam zonder .yaml.")
    title: Title = _d("Titel van de afspraak.")
    kind: AgreementKind = _d("Soort afspraak.")
    parties: Parties = _d(
        "members (alle deelnemers) of een lijst van CBS-codes.", default="members")
    ends: Optional[Date] = _d("De afspraak vervalt vanaf deze datum.", default=None)
    versions: list[Version] = _d("De versies, oudste eerst.", min_length=1)


# The topic files: each optional, once per region folder, as <kind>.yaml.
_TOPIC_KINDS: dict[str, type[Part]] = {
    "organisation": OrganisationFile,
    "decisions": DecisionsFile,
    "accountability": AccountabilityFile,
    "finance": FinanceFile,
    "progress": ProgressFile,
    "reflection": ReflectionFile,
}
# The one list of file kinds, for the loader, the validator, the commands and the editor schemas:
# municipalities.yaml at the top of the regions folder, region.yaml and the topic files in each region
# folder, and agreements/<id>.yaml.
FILE_KINDS: dict[str, type[Part]] = {
    "municipalities": MunicipalitiesFile,
    "region": RegionFile,
    **_TOPIC_KINDS,
    "agreement": AgreementFile,
    # Written by `govsite import` (register.yaml in a region folder) and by hand (register-links.yaml at
    # the top of the regions folder); register_schema.py has their classes.
    "register": RegisterFile,
    "register-links": RegisterLinksFile,
}
TOPIC_FILES = tuple(_TOPIC_KINDS)


def json_schemas() -> dict[str, dict]:
    """A JSON Schema per file kind, for editors with a YAML language server."""
    schemas = {}
    for kind, cls in FILE_KINDS.items():
        schema = cls.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{kind}.yaml" if kind != "agreement" else "agreements/<id>.yaml"
        schemas[kind] = schema
    return schemas
