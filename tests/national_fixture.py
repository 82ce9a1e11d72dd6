"""A small national regions folder in the register format (register.yaml per regeling and division), for
the tests of the national portal: real municipalities and real-looking register entries, hand-made in
the format `govsite import` writes (docs: content/bijdragen/dataformaat.md), so that these tests do not
depend on the import. One participant's name starts with '=' (formula injection in the CSV).
"""
from __future__ import annotations

from pathlib import Path

import yaml

ROO = {"register": "Register van Overheidsorganisaties", "url": "https://organisaties.overheid.nl/",
       "retrieved": "2026-05-16", "licence": "CC0 1.0"}
CBS = {"register": "CBS/PDOK gebiedsindelingen 2025", "url": "https://www.pdok.nl/", "retrieved": "2025-01-01",
       "licence": "CC BY 4.0", "derived": True}

MUNICIPALITIES = [
    {"code": "GM0546", "name": "Leiden", "province": "Zuid-Holland", "inhabitants": 128000},
    {"code": "GM0547", "name": "Leiderdorp", "province": "Zuid-Holland", "inhabitants": 28000},
    {"code": "GM0579", "name": "Oegstgeest", "province": "Zuid-Holland", "inhabitants": 26000},
    {"code": "GM1982", "name": "Land van Cuijk", "province": "Noord-Brabant", "inhabitants": 92000},
    {"code": "GM0756", "name": "Boxmeer", "province": "Noord-Brabant", "inhabitants": 29000,
     "ended": "2022-01-01", "succeeded_by": "GM1982"},
]
LEIDEN_AREA = ["GM0546", "GM0547", "GM0579"]


def _participant(code, name, since="2015-01-01", bodies=("raad", "college"), **extra):
    return {"code": code, "name": name, "kind": "gemeente", "since": since, "bodies": list(bodies), **extra}


REGISTERS = {
    "jeugdregio-holland-rijnland": {
        "id": "jeugdregio-holland-rijnland", "kind": "jeugdregio", "code": "JZ27", "name": "Holland Rijnland",
        "source": CBS, "members": LEIDEN_AREA},
    "provincie-zuid-holland": {
        "id": "provincie-zuid-holland", "kind": "provincie", "code": "PV28", "name": "Zuid-Holland",
        "source": CBS, "members": LEIDEN_AREA},
    "provincie-noord-brabant": {
        "id": "provincie-noord-brabant", "kind": "provincie", "code": "PV30", "name": "Noord-Brabant",
        "source": CBS, "members": ["GM1982"]},
    "regio-holland-rijnland": {
        "id": "regio-holland-rijnland", "kind": "gemeenschappelijke-regeling", "name": "Regio Holland Rijnland",
        "source": ROO, "legal_form": "openbaar-lichaam",
        "purpose": "Samenwerking op het gebied van jeugdhulp, wonen en economie.",
        "organisation": {"name": "Holland Rijnland", "website": "https://www.hollandrijnland.nl/"},
        "powers": ["delegatie", "mandaat"],
        "founding_decisions": ["https://zoek.officielebekendmakingen.nl/gmb-2023-1.html"],
        "versions": [
            {"roo_id": "28212", "title": "Gemeenschappelijke regeling Holland Rijnland 2016",
             "effective": "2016-01-01", "ended": "2023-01-01",
             "participants": [_participant(c, n) for c, n in
                              (("GM0546", "Leiden"), ("GM0547", "Leiderdorp"), ("GM0579", "Oegstgeest"))]},
            {"roo_id": "51000", "title": "Gemeenschappelijke regeling Holland Rijnland 2023",
             "effective": "2023-01-01",
             "participants": [_participant(c, n) for c, n in
                              (("GM0546", "Leiden"), ("GM0547", "Leiderdorp"), ("GM0579", "Oegstgeest"))]
             + [{"name": "=HYPERLINK(\"https://example.org\")", "kind": "overig", "since": "2023-01-01"},
                {"name": "+31 Stichting", "kind": "overig", "since": "2023-01-01"},
                {"name": "-2+3", "kind": "overig", "since": "2023-01-01"},
                {"name": "@SUM(1)", "kind": "buitenland", "since": "2023-01-01"},
                {"name": "Provincie Zuid-Holland", "kind": "provincie", "since": "2023-01-01",
                 "bodies": ["gedeputeerde-staten"]}]},
        ]},
    "afvalschap-cuijk": {
        "id": "afvalschap-cuijk", "kind": "gemeenschappelijke-regeling", "name": "Afvalschap Cuijk",
        "source": ROO, "legal_form": "bedrijfsvoeringsorganisatie",
        "versions": [{"roo_id": "777", "title": "Afvalschap Cuijk", "effective": "2010-01-01",
                      "participants": [_participant("GM1982", "Boxmeer", since="2022-01-01", bodies=["college"],
                                                    registered_as="GM0756")]}]},
    "oude-milieudienst": {
        "id": "oude-milieudienst", "kind": "gemeenschappelijke-regeling", "name": "Milieudienst West-Holland",
        "source": ROO, "legal_form": "openbaar-lichaam",
        "versions": [{"roo_id": "12", "title": "Milieudienst West-Holland", "effective": "2005-01-01",
                      "ended": "2013-01-01",
                      "participants": [_participant("GM0546", "Leiden", since="2005-01-01"),
                                       _participant("GM0756", "Boxmeer", since="2005-01-01")]}]},
}


def write(root: Path, registers: dict | None = None, municipalities: list | None = None) -> Path:
    """A regions folder at root with the municipality list and a register.yaml per entry."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "municipalities.yaml").write_text(
        yaml.safe_dump({"municipalities": municipalities or MUNICIPALITIES}, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    for id, data in (REGISTERS if registers is None else registers).items():
        (root / id).mkdir(exist_ok=True)
        (root / id / "register.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
    return root
