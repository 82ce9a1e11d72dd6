"""The Dutch words readers see for the data format's fixed values, in one place.

The YAML uses short slugs (`openbaar-lichaam`, `wensen-en-bedenkingen`); the site shows words and,
where a word alone is not enough for a resident, a sentence that explains it (B1). Templates use
the `label` filter (`{{ data.kind | label("kind") }}`) and `explain` for the sentence.
"""
from __future__ import annotations

import datetime as dt

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december"]


def long_date(value: dt.date | None) -> str:
    """A date as readers write it: 1 januari 2026."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def names(items: list[str]) -> str:
    """Dutch enumeration: "A", "A en B", "A, B en C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "jeugdregio": "jeugdregio", "wmo-regio": "Wmo-regio", "beschermd-wonen-regio": "regio beschermd wonen",
        "arbeidsmarktregio": "arbeidsmarktregio", "veiligheidsregio": "veiligheidsregio", "ggd-regio": "GGD-regio",
        "rmc-regio": "RMC-regio (voortijdig schoolverlaten)", "omgevingsdienst": "omgevingsdienst",
        "zorgkantoorregio": "zorgkantoorregio", "overig": "andere samenwerking",
    },
    "kinds": {  # plural, for headings on the portal
        "jeugdregio": "Jeugdregio's", "wmo-regio": "Wmo-regio's", "beschermd-wonen-regio": "Regio's beschermd wonen",
        "arbeidsmarktregio": "Arbeidsmarktregio's", "veiligheidsregio": "Veiligheidsregio's",
        "ggd-regio": "GGD-regio's", "rmc-regio": "RMC-regio's", "omgevingsdienst": "Omgevingsdiensten",
        "zorgkantoorregio": "Zorgkantoorregio's", "overig": "Andere samenwerkingen",
    },
    "domain": {
        "jeugd": "jeugdhulp", "wmo": "Wmo (maatschappelijke ondersteuning)", "beschermd-wonen": "beschermd wonen",
        "maatschappelijke-opvang": "maatschappelijke opvang", "participatie": "werk en participatie",
        "schuldhulpverlening": "schuldhulpverlening", "onderwijs": "onderwijs", "gezondheid": "gezondheid",
        "veiligheid": "veiligheid", "leefomgeving": "leefomgeving", "overig": "overig",
    },
    "legal_form": {
        "openbaar-lichaam": "openbaar lichaam", "bedrijfsvoeringsorganisatie": "bedrijfsvoeringsorganisatie",
        "gemeenschappelijk-orgaan": "gemeenschappelijk orgaan", "centrumgemeente": "centrumgemeenteconstructie",
        "regeling-zonder-meer": "regeling zonder meer", "convenant": "convenant",
        "dienstverleningsovereenkomst": "dienstverleningsovereenkomst", "netwerk": "netwerk",
    },
    "member_role": {"centrumgemeente": "centrumgemeente", "deelnemer": "deelnemer"},
    "legal_basis_short": {"wgr": "een gemeenschappelijke regeling (Wgr)", "convenant": "een convenant"},
    # The national registers (domain/register_schema.py): division kinds, participants, their bodies, powers.
    "division_kind": {
        "provincie": "provincie", "jeugdregio": "jeugdregio", "arbeidsmarktregio": "arbeidsmarktregio",
        "rmc-regio": "RMC-regio (voortijdig schoolverlaten)", "veiligheidsregio": "veiligheidsregio",
        "ggd-regio": "GGD-regio", "veilig-thuis-regio": "Veilig Thuis-regio", "zorgkantoorregio": "zorgkantoorregio",
    },
    "division_kinds": {
        "provincie": "Provincies", "jeugdregio": "Jeugdregio's", "arbeidsmarktregio": "Arbeidsmarktregio's",
        "rmc-regio": "RMC-regio's (voortijdig schoolverlaten)", "veiligheidsregio": "Veiligheidsregio's",
        "ggd-regio": "GGD-regio's", "veilig-thuis-regio": "Veilig Thuis-regio's", "zorgkantoorregio": "Zorgkantoorregio's",
    },
    "participant_kind": {
        "gemeente": "gemeente", "provincie": "provincie", "waterschap": "waterschap",
        "buitenland": "overheid in het buitenland", "overig": "andere organisatie",
    },
    "register_body": {
        "raad": "gemeenteraad", "college": "college van burgemeester en wethouders", "burgemeester": "burgemeester",
        "provinciale-staten": "Provinciale Staten", "gedeputeerde-staten": "Gedeputeerde Staten",
        "commissaris-van-de-koning": "commissaris van de Koning", "algemeen-bestuur": "algemeen bestuur",
        "dagelijks-bestuur": "dagelijks bestuur", "dijkgraaf": "dijkgraaf", "minister": "minister",
        "staatssecretaris": "staatssecretaris", "overig": "ander bestuursorgaan",
    },
    "register_body_short": {  # in tables
        "raad": "raad", "college": "college", "burgemeester": "burgemeester", "provinciale-staten": "Staten",
        "gedeputeerde-staten": "GS", "commissaris-van-de-koning": "CdK", "algemeen-bestuur": "algemeen bestuur",
        "dagelijks-bestuur": "dagelijks bestuur", "dijkgraaf": "dijkgraaf", "minister": "minister",
        "staatssecretaris": "staatssecretaris", "overig": "ander orgaan",
    },
    "power": {"delegatie": "delegatie", "mandaat": "mandaat", "attributie": "attributie"},
    "body_kind": {
        "algemeen-bestuur": "algemeen bestuur", "dagelijks-bestuur": "dagelijks bestuur", "voorzitter": "voorzitter",
        "portefeuillehoudersoverleg": "portefeuillehoudersoverleg", "bestuurlijk-overleg": "bestuurlijk overleg",
        "stuurgroep": "stuurgroep", "regiegroep": "regiegroep", "ambtelijk-overleg": "ambtelijk overleg",
        "raadsadviescommissie": "raadsadviescommissie",
        "gemeenschappelijke-adviescommissie": "gemeenschappelijke adviescommissie", "secretariaat": "secretariaat",
        "uitvoeringsorganisatie": "uitvoeringsorganisatie", "overig": "overig",
    },
    "role": {
        "eigenaar": "eigenaar", "opdrachtgever": "opdrachtgever", "opdrachtnemer": "opdrachtnemer",
        "adviseur": "adviseur", "toezichthouder": "toezichthouder",
    },
    "voting": {
        "unanimiteit": "unaniem (iedereen moet instemmen)", "meerderheid": "meerderheid van stemmen",
        "gewogen": "gewogen stemmen (grotere gemeenten hebben meer stemmen)",
        "consensus": "in overleg tot overeenstemming (consensus)", "n.v.t.": "stemt niet",
    },
    "voting_short": {  # in tables, where the long explanation does not fit
        "unanimiteit": "unaniem", "meerderheid": "meerderheid", "gewogen": "gewogen stemmen",
        "consensus": "consensus", "n.v.t.": "stemt niet",
    },
    "council_role": {
        "geen": "geen rol", "informatie": "wordt geïnformeerd", "zienswijze": "zienswijze",
        "wensen-en-bedenkingen": "wensen en bedenkingen", "toestemming": "toestemming", "besluit": "besluit zelf",
    },
    "council_step_on": {"ontwerp": "op het ontwerp", "besluit": "op het besluit", "na-besluit": "na het besluit"},
    "council_step": {  # a role as one step of a sequence: "zienswijze op het ontwerp, dan informatie na het besluit"
        "geen": "geen rol", "informatie": "informatie", "zienswijze": "zienswijze",
        "wensen-en-bedenkingen": "wensen en bedenkingen", "toestemming": "toestemming", "besluit": "besluit",
    },
    "authority": {
        "eigen": "eigen bevoegdheid", "attributie": "bevoegdheid uit de wet", "delegatie": "delegatie",
        "mandaat": "mandaat",
    },
    "instrument": {
        "zienswijze": "zienswijze", "wensen-en-bedenkingen": "wensen en bedenkingen",
        "raadsadviescommissie": "raadsadviescommissie",
        "gemeenschappelijke-adviescommissie": "gemeenschappelijke adviescommissie",
        "informatiebijeenkomst": "informatiebijeenkomst",
        "inlichtingen": "vragen en inlichtingen", "evaluatie": "evaluatie", "overig": "overig",
    },
    "allocation": {
        "inwoners": "naar aantal inwoners", "gebruik": "naar gebruik", "vast": "in gelijke delen",
        "solidariteit": "solidair (iedereen draagt mee, ongeacht gebruik)", "mix": "een combinatie van sleutels",
    },
    "status": {"op-koers": "op koers", "aandacht": "aandacht nodig", "achter": "achter op schema"},
    "better": {"lower": "lager is beter", "higher": "hoger is beter"},
    "agreement_kind": {
        "gemeenschappelijke-regeling": "gemeenschappelijke regeling",
        "dienstverleningsovereenkomst": "dienstverleningsovereenkomst", "convenant": "convenant",
        "regiovisie": "regiovisie", "samenwerkingsovereenkomst": "samenwerkingsovereenkomst",
        "mandaatbesluit": "mandaatbesluit", "inkoopstrategie": "inkoopstrategie", "overig": "overig",
    },
    "gap_topic": {
        "overzicht": "Visie en aanspreekpunt", "deelnemers": "Deelnemers", "organisatie": "Organisatie",
        "besluitvorming": "Besluitvorming", "escalatie": "Escalatieladder", "raad": "Rol van de raad",
        "financien": "Financiën", "afspraken": "Afspraken", "doelen": "Doelen en voortgang",
        "reflectie": "Reflectie",
    },
}

EXPLAIN: dict[str, dict[str, str]] = {
    "legal_basis": {  # what a centrumgemeente rests on (region.yaml legal_basis)
        "wgr": "De afspraken staan in een gemeenschappelijke regeling volgens de Wet gemeenschappelijke regelingen.",
        "convenant": "De afspraken staan in een convenant, niet in een gemeenschappelijke regeling volgens de Wet "
                     "gemeenschappelijke regelingen.",
    },
    "power": {  # how the regeling got its powers (Algemene wet bestuursrecht, art. 10:1 and 10:13)
        "delegatie": "De deelnemers hebben bevoegdheden overgedragen: de regeling besluit daarover zelf en op "
                     "eigen verantwoordelijkheid (delegatie, art. 10:13 Awb).",
        "mandaat": "De regeling besluit namens de deelnemers; zij blijven zelf verantwoordelijk (mandaat, "
                   "art. 10:1 Awb).",
        "attributie": "De wet zelf geeft de regeling bevoegdheden (attributie, afdeling 10.1.3 Awb).",
    },
    # The forms of the Wgr: provinces and water boards may take part too, so "de deelnemers".
    "legal_form": {
        "openbaar-lichaam": "De deelnemers hebben samen een aparte organisatie opgericht met een eigen bestuur, "
                            "een eigen begroting en eigen personeel. Dit is vastgelegd in een gemeenschappelijke "
                            "regeling (Wet gemeenschappelijke regelingen).",
        "bedrijfsvoeringsorganisatie": "De deelnemers hebben samen een uitvoeringsorganisatie opgericht met één "
                                       "bestuur, vastgelegd in een gemeenschappelijke regeling.",
        "gemeenschappelijk-orgaan": "De deelnemers hebben samen een overlegorgaan ingesteld, zonder eigen "
                                    "organisatie of personeel.",
        "centrumgemeente": "Eén gemeente (de centrumgemeente) voert de taak uit voor alle gemeenten. De andere "
                           "gemeenten geven haar daarvoor opdracht en betalen mee.",
        "regeling-zonder-meer": "De deelnemers hebben afspraken gemaakt in een gemeenschappelijke regeling, maar "
                                "zonder een aparte organisatie.",
        "convenant": "De gemeenten werken samen op basis van een convenant: een schriftelijke afspraak zonder "
                     "eigen organisatie.",
        "dienstverleningsovereenkomst": "Eén organisatie levert diensten aan de gemeenten op basis van een "
                                        "overeenkomst.",
        "netwerk": "De gemeenten werken samen in een netwerk, zonder een aparte organisatie of een regeling "
                   "op grond van de wet.",
    },
    # The same, for a regeling that no longer applies (its compact page speaks in the past tense).
    "legal_form_past": {
        "openbaar-lichaam": "De deelnemers hadden samen een aparte organisatie opgericht met een eigen bestuur, "
                            "een eigen begroting en eigen personeel.",
        "bedrijfsvoeringsorganisatie": "De deelnemers hadden samen een uitvoeringsorganisatie opgericht met één "
                                       "bestuur.",
        "gemeenschappelijk-orgaan": "De deelnemers hadden samen een overlegorgaan ingesteld, zonder eigen "
                                    "organisatie of personeel.",
        "centrumgemeente": "Eén gemeente (de centrumgemeente) voerde de taak uit voor alle gemeenten.",
        "regeling-zonder-meer": "De deelnemers hadden afspraken gemaakt in een gemeenschappelijke regeling, maar "
                                "zonder een aparte organisatie.",
    },
    "power_past": {
        "delegatie": "De deelnemers hadden bevoegdheden overgedragen: de regeling besliste daarover zelf en op "
                     "eigen verantwoordelijkheid (delegatie, art. 10:13 Awb).",
        "mandaat": "De regeling besliste namens de deelnemers; zij bleven zelf verantwoordelijk (mandaat, "
                   "art. 10:1 Awb).",
        "attributie": "De wet zelf gaf de regeling bevoegdheden (attributie, afdeling 10.1.3 Awb).",
    },
    "role": {
        "eigenaar": "Is verantwoordelijk voor het voortbestaan van de samenwerking en stelt de kaders.",
        "opdrachtgever": "Bepaalt wat er gedaan moet worden en controleert of dat gebeurt.",
        "opdrachtnemer": "Voert het werk uit in opdracht van de opdrachtgever.",
        "adviseur": "Geeft advies; besluit zelf niet.",
        "toezichthouder": "Houdt toezicht op de uitvoering en de besteding van het geld.",
    },
    "council_role": {
        "geen": "De gemeenteraad heeft bij dit besluit geen formele rol.",
        "informatie": "De raad krijgt informatie over het besluit, maar kan het niet tegenhouden.",
        "zienswijze": "De raad kan vooraf zijn mening geven (zienswijze). Het bestuur moet daar rekening mee "
                      "houden en laten weten wat het ermee doet.",
        "wensen-en-bedenkingen": "De raad kan vooraf wensen en bedenkingen meegeven aan wie besluit.",
        "toestemming": "Het college heeft vooraf toestemming van de raad nodig.",
        "besluit": "De raad besluit zelf.",
    },
    "instrument": {
        "zienswijze": "De raad geeft vooraf zijn mening over een voorstel.",
        "wensen-en-bedenkingen": "De raad geeft wensen en bezwaren mee voordat er besloten wordt.",
        "raadsadviescommissie": "Een commissie van raadsleden uit de deelnemende gemeenten die de raden adviseert.",
        "gemeenschappelijke-adviescommissie": "Een commissie van raadsleden uit alle deelnemende gemeenten. Het "
                                              "algemeen bestuur stelt haar in als de raden samen daarom vragen. Zij "
                                              "adviseert het bestuur en de raden, en kan een gezamenlijke zienswijze "
                                              "van de raden voorbereiden. Zij besluit zelf niet.",
        "informatiebijeenkomst": "Een bijeenkomst waar raadsleden uitleg krijgen en vragen kunnen stellen.",
        "inlichtingen": "De raad kan vragen stellen en het bestuur moet antwoorden.",
        "evaluatie": "De samenwerking wordt onderzocht en de uitkomst wordt met de raden besproken.",
        "overig": "",
    },
    "authority": {  # Algemene wet bestuursrecht, title 10.1
        "eigen": "Het orgaan besluit op grond van een eigen bevoegdheid.",
        "attributie": "De wet geeft deze bevoegdheid rechtstreeks aan het orgaan dat besluit.",
        "delegatie": "Het orgaan dat besluit, doet dat in eigen naam en is er zelf verantwoordelijk voor "
                     "(delegatie, art. 10:13 Awb).",
        "mandaat": "Het orgaan besluit namens een ander orgaan. Het besluit geldt als besluit van dat andere "
                   "orgaan, dat er verantwoordelijk voor blijft (mandaat, art. 10:1 en 10:2 Awb).",
    },
    "status": {
        "op-koers": "De regio ligt op schema om het doel te halen.",
        "aandacht": "Het gaat de goede kant op, maar het doel is nog niet gehaald.",
        "achter": "Het doel wordt niet gehaald als er niets verandert.",
    },
}

# The five balancing acts of the RVS essay "De regio als redding?" (2024): position 1 is the first pole.
BALANCES: dict[str, tuple[str, str, str]] = {
    "inbedding-borging": ("Inbedding of borging", "maatschappelijke inbedding", "institutionele borging"),
    "cocreatie-representatie": ("Cocreatie of representatie", "cocreatie", "representatie"),
    "focus-breedte": ("Focus of breedte", "focus", "breedte"),
    "ruimte-kaders": ("Ruimte of kaders", "ruimte", "kaders"),
    "sturen-volgen": ("Sturen of volgen", "sturen", "volgen"),
}


def label(value: str | None, kind: str) -> str:
    """The Dutch word for a slug of the given kind; unknown values are shown as written."""
    if value is None:
        return ""
    return LABELS[kind].get(value, value)


def explain(value: str | None, kind: str) -> str:
    if value is None:
        return ""
    return EXPLAIN[kind].get(value, "")
