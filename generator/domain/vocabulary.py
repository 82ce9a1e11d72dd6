"""The closed lists of the data format: the values a field of each kind may take (labels.py gives
the words the site uses for them)."""
from __future__ import annotations

from typing import Literal

COLLECTIVE_BODIES = {  # body ids every region may refer to without describing them
    "raden": "de gemeenteraden",
    "colleges": "de colleges van B en W",
    "burgemeesters": "de burgemeesters",
    # the province's executive: the adopted budget and the annual accounts go to it (art. 34 Wgr)
    "gedeputeerde-staten": "Gedeputeerde Staten",
}

RegionKind = Literal[
    "jeugdregio", "wmo-regio", "beschermd-wonen-regio", "arbeidsmarktregio", "veiligheidsregio",
    "ggd-regio", "rmc-regio", "omgevingsdienst", "zorgkantoorregio", "overig",
]
Domain = Literal[
    "jeugd", "wmo", "beschermd-wonen", "maatschappelijke-opvang", "participatie",
    "schuldhulpverlening", "onderwijs", "gezondheid", "veiligheid", "leefomgeving", "overig",
]
LegalForm = Literal[
    "openbaar-lichaam", "bedrijfsvoeringsorganisatie", "gemeenschappelijk-orgaan", "centrumgemeente",
    "regeling-zonder-meer", "convenant", "dienstverleningsovereenkomst", "netwerk",
]
MemberRole = Literal["centrumgemeente", "deelnemer"]
# The bodies of a municipality that take part in a regeling (art. 1 lid 1 Wgr): the register lists them.
MemberBody = Literal["raad", "college", "burgemeester"]
# What a centrumgemeente rests on: a gemeenschappelijke regeling (Wgr) or an agreement outside the Wgr.
LegalBasis = Literal["wgr", "convenant"]
# The document or decision a council instrument is about, typed so that checks need not read its subject.
InstrumentAppliesTo = Literal[
    "ontwerpbegroting", "begrotingswijziging", "kaderbrief", "voorlopige-jaarrekening", "jaarrekening",
    "wijziging-regeling", "toetreding", "uittreding", "beleid", "overig",
]
BodyKind = Literal[
    "algemeen-bestuur", "dagelijks-bestuur", "voorzitter", "portefeuillehoudersoverleg",
    "bestuurlijk-overleg", "stuurgroep", "regiegroep", "ambtelijk-overleg", "raadsadviescommissie",
    "gemeenschappelijke-adviescommissie", "secretariaat", "uitvoeringsorganisatie", "overig",
]
BodyRole = Literal["eigenaar", "opdrachtgever", "opdrachtnemer", "adviseur", "toezichthouder"]
Voting = Literal["unanimiteit", "meerderheid", "gewogen", "consensus", "n.v.t."]
CouncilRole = Literal[
    "geen", "informatie", "zienswijze", "wensen-en-bedenkingen", "toestemming", "besluit",
]
InstrumentKind = Literal[
    "zienswijze", "wensen-en-bedenkingen", "raadsadviescommissie", "gemeenschappelijke-adviescommissie",
    "informatiebijeenkomst", "inlichtingen", "evaluatie", "overig",
]
# On what the council speaks in one step of a decision (Decision.council_roles), in time order: the draft,
# the decision itself, after it was taken.
CouncilStepOn = Literal["ontwerp", "besluit", "na-besluit"]
# How the deciding body holds the power (Awb title 10.1): its own, given by law, transferred to it
# (delegatie, art. 10:13 Awb) or exercised in another body's name (mandaat, art. 10:1 Awb).
AuthorityKind = Literal["eigen", "attributie", "delegatie", "mandaat"]
AllocationKey = Literal["inwoners", "gebruik", "vast", "solidariteit", "mix"]
Better = Literal["lower", "higher"]
Status = Literal["op-koers", "aandacht", "achter"]
BalanceAct = Literal[
    "inbedding-borging", "cocreatie-representatie", "focus-breedte", "ruimte-kaders", "sturen-volgen",
]
# The legal forms of the Wet gemeenschappelijke regelingen (art. 8 Wgr); a centrumgemeente only when its
# legal_basis is wgr. The forms with a board and a budget of their own come under art. 34-35 Wgr.
WGR_FORMS = frozenset({"openbaar-lichaam", "bedrijfsvoeringsorganisatie", "gemeenschappelijk-orgaan",
                       "regeling-zonder-meer", "centrumgemeente"})
WGR_FORMS_WITH_BOARD = frozenset({"openbaar-lichaam", "bedrijfsvoeringsorganisatie", "gemeenschappelijk-orgaan"})

AgreementKind = Literal[
    "gemeenschappelijke-regeling", "dienstverleningsovereenkomst", "convenant", "regiovisie",
    "samenwerkingsovereenkomst", "mandaatbesluit", "inkoopstrategie", "overig",
]
