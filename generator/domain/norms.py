"""Where each governance check comes from: an article of the Wet gemeenschappelijke regelingen, an
element of the Norm voor Opdrachtgeverschap, or govsite's own norm, said to be that.

One place for the sources: the completeness check (gaps.py) and the legal rules (rules.py) name their
check here; `govsite validate` prints the source after each gap, the Governance-check page shows it per
point, and the contributor's guide lists every check with its source (a test keeps that list equal to
NORMS). The Wgr dates are those of the law in force on the date checked:
- 1 January 2015: Wgr amended (Stb. 2014, 306); zienswijze on the draft budget eight weeks, was six.
- 1 July 2022: Wet versterking democratische legitimatie Wgr (Stb. 2022, 18); twelve weeks (art. 35).
- 1 July 2024: the end of its two years for bringing every regeling in line: from then on a regeling says
  which board decisions get a council zienswijze, how residents take part, how it is evaluated (art. 11a
  Wgr), and the conditions and consequences of leaving, for the assets too (art. 9 lid 1 Wgr).
Checked against the consolidated Wgr (BWBR0003740, the text since 1 July 2022): art. 1 and art. 9
lid 1 word for word (wetten.legaltools.nl), art. 11a (wetten.lawreader.nl). Not found in a law text, so
cited by the amending act: the articles on the zienswijze on board decisions and on citizen participation
(the latter is "lid 7" of the article that artikel I, onderdeel C of bill 35513 amends: amendment Bromet,
Kamerstukken II 35513, nr. 10). Art. 24a: the bill inserts it (amendment 35513, nr. 9 strikes "artikel 24a,
zesde lid" from onderdeel H), its wording as gemeente.nu quotes it. Art. 8: lid 1 and 3 are the legal persons
art. 9 lid 1 names; regelingen cite lid 2 for a gemeenschappelijk orgaan and lid 4 for a centrumgemeente.
Art. 28, 34, 34b and 35 rest on secondary sources (BZK's kennisopenbaarbestuur.nl, VNG, gemeente.nu, law
firms), not on the law text itself.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .vocabulary import WGR_FORMS, WGR_FORMS_WITH_BOARD

WGR_2015 = dt.date(2015, 1, 1)
WGR_2022 = dt.date(2022, 7, 1)
WGR_2024 = dt.date(2024, 7, 1)

SourceKind = Literal["wet", "nvo", "govsite"]
# Which regions a check applies to, on a date: every region; a gemeenschappelijke regeling (a Wgr form);
# one with a board and a budget of its own (art. 34-35 Wgr); a regeling since 1 July 2024 (the content
# it must have since then); a board's since then; a centrumgemeente; what is not (yet) a regeling's
# requirement (the own-norm twins of the -regeling checks).
Scope = Literal["altijd", "regeling", "bestuur", "regeling-2024", "bestuur-2024", "centrumgemeente",
                "geen-regeling", "geen-regeling-2024"]
OWN_NORM = "eigen norm van deze site"
NVO = "Norm voor Opdrachtgeverschap (VNG, 2020)"
# The amending act, for the two 2024 duties whose Wgr article was not found in a law text (see above).
WGR_2024_CONTENT = "Wgr sinds 1 juli 2024 (Wet versterking democratische legitimatie Wgr, Stb. 2022, 18)"


@dataclass(frozen=True)
class Norm:
    name: str  # the check's name, as in the guide
    title: str  # what is checked, in Dutch
    kind: SourceKind  # a law, the Norm voor Opdrachtgeverschap, or govsite's own norm
    source: str  # the source as readers see it
    scope: Scope = "altijd"  # which regions it applies to (applies())

    @property
    def legal(self) -> bool:
        """A requirement of the law: a gap here is a legal gap, an error a breach of the law."""
        return self.kind == "wet"


def _norms(*norms: Norm) -> dict[str, Norm]:
    return {n.name: n for n in norms}


NORMS: dict[str, Norm] = _norms(
    # --- the completeness check (gaps.py) ------------------------------------------------------
    Norm("visie-beleid", "Een visie op het regionale beleid", "nvo", f"{NVO}: regiovisie"),
    Norm("doelen", "Vastgelegde doelen", "nvo", f"{NVO}: regiovisie"),
    Norm("visie-samenwerking", "Een visie op de samenwerking", "nvo", f"{NVO}: regiovisie"),
    Norm("aanpak", "De hoofdlijnen van de aanpak", "nvo", f"{NVO}: regiovisie"),
    Norm("aanspreekpunt-bereikbaar", "Het aanspreekpunt is bereikbaar", "nvo", f"{NVO}: regionaal aanspreekpunt"),
    Norm("aanspreekpunt-bezet", "Iemand spreekt namens de regio", "nvo", f"{NVO}: regionaal aanspreekpunt"),
    Norm("organen", "De organen zijn beschreven", "govsite", OWN_NORM),
    Norm("rollen-gescheiden", "Eigenaar, opdrachtgever en opdrachtnemer bij verschillende organen", "govsite",
         OWN_NORM),
    Norm("positie-bezet", "Elke positie heeft iemand die haar bekleedt", "govsite", OWN_NORM),
    Norm("besluitvormingsmatrix", "Vastgelegd wie waarover besluit", "govsite", OWN_NORM),
    Norm("escalatieladder", "Een escalatieladder voor conflicten", "govsite", OWN_NORM),
    Norm("instrumenten-raad", "De instrumenten van de gemeenteraad zijn beschreven", "govsite", OWN_NORM),
    # For a gemeenschappelijke regeling the law asks for evaluation, entry and exit rules (the -regeling
    # checks); for other forms they are govsite's own norm. One gap per region, of the one that applies.
    Norm("evaluatie", "Een datum voor de volgende evaluatie, niet verstreken", "govsite", OWN_NORM,
         scope="geen-regeling-2024"),
    # Art. 11a Wgr: "Een regeling houdt bepalingen in omtrent de evaluatie van de regeling." A date, and one
    # not passed, the law does not ask: that part is govsite's own, and the source says so.
    Norm("evaluatie-regeling", "Hoe en wanneer de gemeenschappelijke regeling wordt geëvalueerd, en die datum "
         "niet verstreken", "wet", "art. 11a Wgr, sinds 1 juli 2024 (de datum: eigen norm van deze site)",
         scope="regeling-2024"),
    Norm("toetreding", "Regels voor toetreding", "govsite", OWN_NORM, scope="geen-regeling"),
    Norm("toetreding-regeling", "Regels voor toetreding tot de gemeenschappelijke regeling", "wet",
         "art. 9 lid 1 Wgr", scope="regeling"),
    Norm("uittreding", "Regels voor uittreding", "govsite", OWN_NORM, scope="geen-regeling"),
    Norm("uittreding-regeling", "Regels voor uittreding uit de gemeenschappelijke regeling", "wet",
         "art. 9 lid 1 Wgr", scope="regeling"),
    Norm("uittreding-voorwaarden", "De voorwaarden voor uittreding", "wet", "art. 9 lid 1 Wgr, sinds 1 juli 2024",
         scope="regeling-2024"),
    # Art. 9 lid 1 names the assets of "de rechtspersoon, bedoeld in artikel 8, eerste en derde lid" (an
    # openbaar lichaam, a bedrijfsvoeringsorganisatie) and of the municipalities; asked here of every regeling.
    Norm("uittreding-vermogen", "De gevolgen van uittreding voor het vermogen", "wet",
         "art. 9 lid 1 Wgr, sinds 1 juli 2024", scope="regeling-2024"),
    Norm("zienswijze-besluiten", "Over welke besluiten van het bestuur de raden een zienswijze geven", "wet",
         WGR_2024_CONTENT, scope="bestuur-2024"),
    Norm("burgerparticipatie", "Hoe inwoners en belanghebbenden betrokken worden", "wet", WGR_2024_CONTENT,
         scope="regeling-2024"),
    Norm("zienswijze-ontwerpbegroting", "De zienswijze van de raden op de ontwerpbegroting", "wet", "art. 35 Wgr",
         scope="bestuur"),
    Norm("geschil-naar-gs", "Een geschil tussen de deelnemers eindigt bij Gedeputeerde Staten", "wet", "art. 28 Wgr",
         scope="regeling"),
    Norm("gemeenschappelijke-regeling", "Een Wgr-vorm rust op een gemeenschappelijke regeling", "wet",
         "art. 1 en 8 Wgr", scope="regeling"),
    Norm("grondslag-centrumgemeente", "Een centrumgemeente zegt of zij op de Wgr of een convenant rust", "govsite",
         OWN_NORM, scope="centrumgemeente"),
    Norm("toestemming-raad", "De raad geeft toestemming als alleen college of burgemeester deelneemt", "wet",
         "art. 1 lid 4 en 5 Wgr", scope="regeling"),
    Norm("bijdragen", "De bijdragen per gemeente voor dit jaar", "govsite", OWN_NORM),
    Norm("verdeelsleutel", "De verdeelsleutel van de kosten", "govsite", OWN_NORM),
    Norm("indicatoren", "Indicatoren bij de doelen", "govsite", OWN_NORM),
    Norm("reflectie", "Samen reflecteren, hoogstens twee jaar geleden", "govsite", OWN_NORM),
    Norm("afspraken", "Vastgelegde afspraken", "govsite", OWN_NORM),
    Norm("bevoegdheid-vastgelegd", "Waar een mandaat of delegatie is vastgelegd", "wet",
         "art. 10:5 lid 2 en 10:15 Awb"),
    Norm("bezwaar-adres", "Inwoners kunnen zien waar zij bezwaar maken", "govsite", OWN_NORM),
    # BZK (kennisopenbaarbestuur.nl, the budget cycle since 1 July 2022) calls a written, reasoned answer to
    # the zienswijzen on the draft budget a duty; the Wgr article that says so was not found, so it stays ours.
    Norm("reactie-op-zienswijzen", "Het bestuur reageert na de termijn op de zienswijzen van de raden", "govsite",
         OWN_NORM),
    # --- rules that report an error (rules.py) -------------------------------------------------
    Norm("lengte-zienswijzetermijn", "De raden krijgen de wettelijke termijn voor hun zienswijze op de "
         "ontwerpbegroting: twaalf weken sinds 1 juli 2022 (van 2015 tot juli 2022 56 dagen, daarvoor 42)", "wet",
         "art. 35 Wgr", scope="bestuur"),
    Norm("vorm-en-oprichtingsafspraak", "De juridische vorm past bij de soort oprichtingsafspraak", "wet",
         "art. 1 en 8 Wgr"),
    Norm("bevoegdheid", "Bij mandaat besluit men namens de mandaatgever, bij delegatie in eigen naam; geen "
         "delegatie aan ondergeschikten", "wet", "art. 10:1, 10:2, 10:13 en 10:14 Awb"),
    # The councils of the participants get the draft: of the regeling (art. 1 lid 2-3), of the budget (art. 35).
    Norm("zienswijzeronden", "Een zienswijze komt van de raad van een deelnemer, na het versturen van het "
         "ontwerp; het bestuur reageert daarna", "wet", "art. 1 lid 3 en 35 Wgr"),
    Norm("adviescommissie-openbaar-lichaam", "Een gemeenschappelijke adviescommissie bestaat alleen bij een "
         "openbaar lichaam", "wet", "art. 24a Wgr"),
    Norm("raadsrollen-reeks", "De rollen van de raad bij een besluit staan in de volgorde waarin ze gebeuren",
         "govsite", OWN_NORM),
    # the budget cycle's rule and gap (agenda.py)
    Norm("zienswijzetermijn-begroting", "Het bestuur besluit over de begroting pas na de termijn voor de "
         "zienswijzen van de raden", "wet", "art. 35 Wgr", scope="bestuur"),
    Norm("begroting-naar-gs", "De vastgestelde begroting gaat binnen twee weken en vóór 15 september naar "
         "Gedeputeerde Staten", "wet", "art. 34 Wgr", scope="bestuur"),
)


def is_regeling(legal_form: str, legal_basis: str | None) -> bool:
    """Whether a region is a gemeenschappelijke regeling under the Wgr (art. 8): a centrumgemeente only
    when it says it rests on the Wgr."""
    return legal_form in WGR_FORMS and (legal_form != "centrumgemeente" or legal_basis == "wgr")


def applies(check: Norm, legal_form: str, legal_basis: str | None, on: dt.date) -> bool:
    """Whether a check applies to a region of this legal form on this date (the law in force then)."""
    regeling = is_regeling(legal_form, legal_basis)
    since_2024 = regeling and on >= WGR_2024
    return {
        "altijd": True,
        "regeling": regeling,
        "bestuur": legal_form in WGR_FORMS_WITH_BOARD,
        "regeling-2024": since_2024,
        "bestuur-2024": since_2024 and legal_form in WGR_FORMS_WITH_BOARD,
        "centrumgemeente": legal_form == "centrumgemeente",
        "geen-regeling": not regeling,
        "geen-regeling-2024": not since_2024,
    }[check.scope]


def source(name: str | None) -> str:
    """The source of a check, as readers see it."""
    return NORMS[name].source if name in NORMS else OWN_NORM


def zienswijze_weeks(on: dt.date) -> int:
    """The weeks councils have for their zienswijze on the draft budget under the art. 35 Wgr in force on a date."""
    return 12 if on >= WGR_2022 else 8 if on >= WGR_2015 else 6
