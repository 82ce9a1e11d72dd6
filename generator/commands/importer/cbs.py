"""`govsite import cbs DIR`: the CBS/PDOK region divisions of 2025 (a snapshot folder with
regio_lijsten_2025.csv and gemeente_regio_indeling_2025_wide.csv) as one register.yaml per division,
and the province of every current municipality in municipalities.yaml.

The assignment of municipalities to divisions is derived by area from the PDOK boundaries (data README):
each file says so (source.derived), with the attribution CBS asks for (CC BY 4.0, "Bron: CBS, PDOK").
"""
from __future__ import annotations

from pathlib import Path

from ...domain.register import CBS
from . import municipalities
from .ids import allocate, division_slug
from .read import existing_registers, read_csv
from .write import HEADER, Report, one_line, write

LISTS = "regio_lijsten_2025.csv"
WIDE = "gemeente_regio_indeling_2025_wide.csv"
# The snapshot's regiosoort -> the kind in register.yaml
KINDS = {"provincie": "provincie", "jeugdregio": "jeugdregio", "arbeidsmarktregio": "arbeidsmarktregio",
         "rmc_regio": "rmc-regio", "veiligheidsregio": "veiligheidsregio", "ggdregio": "ggd-regio",
         "veiligthuisregio": "veilig-thuis-regio", "zorgkantoorregio": "zorgkantoorregio"}
SOURCE = {"register": CBS, "licence": "CC BY 4.0", "attribution": "Bron: CBS, PDOK", "derived": True}


def import_cbs(snapshot: Path, root: Path, reserved: frozenset[str] = frozenset()) -> Report:
    report = Report()
    lists = read_csv(snapshot / LISTS, ("regiosoort", "regiocode", "regionaam", "gemeentecodes"), "CBS")
    wide = read_csv(snapshot / WIDE, ("gemeentecode", "gemeentenaam", "provincie_naam"), "CBS")
    divisions = []
    for row in lists:
        kind = KINDS.get(row["regiosoort"].strip())
        if kind is None:
            report.notes.append(f"onbekende regiosoort '{row['regiosoort']}' overgeslagen ({row['regiocode']}).")
            continue
        name, _ = one_line(row["regionaam"])
        members = sorted(set(row["gemeentecodes"].split()))
        divisions.append((kind, row["regiocode"].strip(), name or row["regiocode"], members))
    existing, folders = existing_registers(root)
    by_code = {(e.kind, e.code): e.id for e in existing if e.code}
    owned = {e.id for e in existing}
    ids = allocate([((kind, code), division_slug(kind, name), by_code.get((kind, code)))
                    for kind, code, name, _ in divisions], folders - owned, reserved)
    listed = {(kind, code) for kind, code, _, _ in divisions}
    for e in existing:  # a division CBS no longer has: its file stays, as it was
        if e.code and (e.kind, e.code) not in listed:
            report.notes.append(f"{e.id}: deze indeling staat niet in deze download; register.yaml blijft zoals het "
                                "was. Verwijder de map als de indeling is opgeheven.")
    for kind, code, name, members in divisions:
        id = ids[(kind, code)]
        data = {"id": id, "kind": kind, "code": code, "name": name, "source": SOURCE, "members": members}
        write(root, root / id / "register.yaml", data,
              HEADER.format(source="de CBS/PDOK gebiedsindelingen 2025 (afgeleid naar oppervlakte)"), report)
    rows, source = municipalities.read(root)
    for row in wide:
        code = row["gemeentecode"].strip()
        name = one_line(row["gemeentenaam"])[0]
        entry = rows.setdefault(code, {"code": code, "name": name})
        entry["province"] = one_line(row["provincie_naam"])[0]
        entry.pop("official_name", None)
        if name and name != entry["name"]:
            entry["official_name"] = name
    municipalities.save(root, rows, source or SOURCE, report)
    return report
