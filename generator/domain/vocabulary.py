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
BodyKind = Literal[
    "algemeen-bestuur", "dagelijks-bestuur", "voorzitter", "portefeuillehoudersoverleg",
    "bestuurlijk-overleg", "stuurgroep", "regiegroep", "ambtelijk-overleg", "raadsadviescommissie",
    "secretariaat", "uitvoeringsorganisatie", "overig",
]
BodyRole = Literal["eigenaar", "opdrachtgever", "opdrachtnemer", "adviseur", "toezichthouder"]
Voting = Literal["unanimiteit", "meerderheid", "gewogen", "consensus", "n.v.t."]
CouncilRole = Literal[
    "geen", "informatie", "zienswijze", "wensen-en-bedenkingen", "toestemming", "besluit",
]
InstrumentKind = Literal[
    "zienswijze", "wensen-en-bedenkingen", "raadsadviescommissie", "informatiebijeenkomst",
    "inlichtingen", "evaluatie", "overig",
]
AllocationKey = Literal["inwoners", "gebruik", "vast", "solidariteit", "mix"]
Better = Literal["lower", "higher"]
Status = Literal["op-koers", "aandacht", "achter"]
BalanceAct = Literal[
    "inbedding-borging", "cocreatie-representatie", "focus-breedte", "ruimte-kaders", "sturen-volgen",
]
AgreementKind = Literal[
    "gemeenschappelijke-regeling", "dienstverleningsovereenkomst", "convenant", "regiovisie",
    "samenwerkingsovereenkomst", "mandaatbesluit", "inkoopstrategie", "overig",
]
