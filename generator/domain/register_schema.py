"""The data format of the national registers' files, as typed classes: regions/<id>/register.yaml
(written by `govsite import`, one per registered gemeenschappelijke regeling and one per CBS division)
and regions/register-links.yaml (written by hand: which regelingen serve which division where the data
cannot decide). schema.FILE_KINDS lists them beside the other file kinds; register.py models them.
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .values import Code, Date, Id, Title
from .vocabulary import LegalForm

# The CBS division kinds (area divisions of CBS/PDOK) and the registered regeling.
DivisionKind = Literal["provincie", "jeugdregio", "arbeidsmarktregio", "rmc-regio", "veiligheidsregio",
                       "ggd-regio", "veilig-thuis-regio", "zorgkantoorregio"]
DIVISION_KINDS: tuple[str, ...] = DivisionKind.__args__  # type: ignore[attr-defined]
REGELING = "gemeenschappelijke-regeling"
RegisterKind = Literal["gemeenschappelijke-regeling", "provincie", "jeugdregio", "arbeidsmarktregio",
                       "rmc-regio", "veiligheidsregio", "ggd-regio", "veilig-thuis-regio", "zorgkantoorregio"]
ParticipantKind = Literal["gemeente", "provincie", "waterschap", "buitenland", "overig"]
# The bodies of a participant that the register records (bestuursorganen), in the project's words.
RegisterBody = Literal["raad", "college", "burgemeester", "provinciale-staten", "gedeputeerde-staten",
                       "commissaris-van-de-koning", "algemeen-bestuur", "dagelijks-bestuur", "dijkgraaf",
                       "minister", "staatssecretaris", "overig"]
Power = Literal["delegatie", "mandaat", "attributie"]
# What the import corrected in the register's data; validate reports each one (rules.py, register_*).
CorrectionKind = Literal["fusie", "citeertitel-leeg", "aanhalingstekens",
                         "onzichtbare-tekens", "dubbele-code", "zonder-code"]

Text = Annotated[str, Field(min_length=1, max_length=20_000)]


def _url(value: str) -> str:
    from .schema import _url as link_policy  # at call time: schema.py imports this module
    return link_policy(value)


Url = Annotated[str, AfterValidator(_url), Field(max_length=2000, description="Webadres dat begint met https://.")]
DivisionCode = Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9]{2,4}$",
                                    description="CBS-code van de indeling, bijvoorbeeld JZ01 of GG0111.")]


def _d(description: str, **kwargs):
    return Field(description=description, **kwargs)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, defer_build=True)  # as schema.Part


class Correction(_Part):
    what: CorrectionKind = _d("Welk gebrek van het register govsite hier verbeterde.")
    said: Title = _d("Wat het register zegt.", alias="register")  # 'register' is a method of the class
    shown: Title = _d("Wat govsite in plaats daarvan toont.")


class RegisterSource(_Part):
    register_name: Title = _d(alias="register", description="De bron: Register van Overheidsorganisaties of CBS/PDOK gebiedsindelingen 2025.")
    url: Optional[Url] = _d("Adres van de bron.", default=None)
    retrieved: Optional[Date] = _d("Datum waarop de bron gelezen is.", default=None)
    licence: Title = _d("Licentie van de gegevens, bijvoorbeeld CC0 1.0 of CC BY 4.0.")
    attribution: Optional[Title] = _d("De naamsvermelding die de licentie vraagt, bijvoorbeeld 'Bron: CBS, PDOK'.",
                                      default=None)
    derived: bool = _d("true als govsite de gegevens afleidde (zoals de indeling naar oppervlakte).",
                       default=False)
    corrections: list[Correction] = _d("Gebreken van de bron die de import verbeterde.", default_factory=list)


class Organisation(_Part):
    name: Title = _d("Naam van de organisatie die de regeling instelt (openbaar lichaam, bedrijfsvoeringsorganisatie).")
    website: Optional[Url] = _d("Website volgens het register.", default=None)


class RegisterParticipant(_Part):
    code: Optional[Code] = _d("CBS-gemeentecode, alleen bij gemeenten.", default=None)
    name: Title = _d("Naam van de deelnemer.")
    kind: ParticipantKind = _d("Soort deelnemer.")
    since: Optional[Date] = _d("Deelnemer vanaf deze datum (toetredingsdatum in het register).", default=None)
    until: Optional[Date] = _d("Deelnemer tot en met deze datum.", default=None)
    bodies: list[RegisterBody] = _d("De bestuursorganen van de deelnemer die deelnemen.", default_factory=list)
    registered_as: Optional[Code] = _d("De opgeheven gemeente die het register nog noemt, als govsite haar "
                                       "opvolger toont.", default=None)
    corrections: list[Correction] = _d("Gebreken van het register bij deze deelnemer.", default_factory=list)


class RegisterVersionPart(_Part):
    roo_id: Optional[Title] = _d("Nummer van deze versie in het Register van Overheidsorganisaties.",
                                 default=None)
    title: Title = _d("Citeertitel (of naam) van deze versie.")
    effective: Optional[Date] = _d("Datum van inwerkingtreding.", default=None)
    ended: Optional[Date] = _d("Datum van uitwerkingtreding (de versie geldt tot deze datum).", default=None)
    participants: list[RegisterParticipant] = _d("De deelnemers aan deze versie.", default_factory=list)
    corrections: list[Correction] = _d("Gebreken van het register bij deze versie.", default_factory=list)


class RegisterFile(_Part):
    id: Id = _d("Id van de regio; gelijk aan de mapnaam.")
    kind: RegisterKind = _d("gemeenschappelijke-regeling of de soort CBS-indeling.")
    code: Optional[DivisionCode] = _d("CBS-code van de indeling (alleen bij indelingen).", default=None)
    name: Title = _d("Naam van de regeling of de indeling.")
    source: RegisterSource = _d("Waar de gegevens vandaan komen.")
    legal_form: Optional[LegalForm] = _d("Samenwerkingsvorm volgens het register.", default=None)
    purpose: Optional[Text] = _d("Doel van de regeling volgens het register.", default=None)
    organisation: Optional[Organisation] = _d("De organisatie die de regeling instelt.", default=None)
    powers: list[Power] = _d("Hoe het openbaar lichaam bevoegdheden krijgt: delegatie, mandaat, attributie.",
                             default_factory=list)
    founding_decisions: list[Url] = _d("Instellingsbesluiten: adressen van de bekendmakingen.",
                                       default_factory=list)
    versions: list[RegisterVersionPart] = _d("De versies van de regeling, oudste eerst.", default_factory=list)
    members: list[Code] = _d("De gemeenten van de indeling (alleen bij indelingen).", default_factory=list)

    @model_validator(mode="after")
    def _regeling_or_division(self) -> "RegisterFile":
        if self.kind == REGELING:
            if not self.versions:
                raise ValueError("een gemeenschappelijke regeling heeft minstens één versie onder 'versions'")
            if self.members or self.code:
                raise ValueError("'members' en 'code' horen alleen bij een CBS-indeling; een regeling noemt "
                                 "haar deelnemers per versie onder 'versions'")
        else:
            if not self.members:
                raise ValueError("een CBS-indeling noemt haar gemeenten onder 'members'")
            if self.versions:
                raise ValueError("'versions' hoort alleen bij een gemeenschappelijke regeling")
        return self


class RegisterLink(_Part):
    regeling: Id = _d("Id van de gemeenschappelijke regeling (mapnaam).")
    division: Id = _d("Id van de CBS-indeling (mapnaam).")
    reason: Title = _d("Waarom: wat de gegevens niet kunnen beslissen, en wie het naging.")


class RegisterLinksFile(_Part):
    links: list[RegisterLink] = _d("Regelingen die een indeling dienen, ook als hun deelnemers niet precies "
                                   "de gemeenten van de indeling zijn.", default_factory=list)
    exclusions: list[RegisterLink] = _d("Regelingen met dezelfde gemeenten die de indeling toch niet dienen.",
                                        default_factory=list)
