"""The portal's open data: what the pages show, as files, with licence and source on every fact.

- opendata/deelnames.csv: every participation (regeling, division, full region) in one table, safe to
  open in a spreadsheet (escape.csv_row: text that would start a formula gets an apostrophe);
- opendata/regio/<id>.json: one region (a regeling, a division or a full region);
- opendata/gemeente/<code>.json: the patchwork of one municipality.
Written into the portal's docs folder; MkDocs copies them as they are. Keys are English like the data
format; values as the register has them, dates as ISO 8601. Output is deterministic (sorted, no build time).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..escape import csv_row, json_document
from . import outputs
from ..domain.register import CBS, ROO
from .national import National, PatchworkOf

CSV = "deelnames.csv"
REGIONS = "regio"
MUNICIPALITIES = "gemeente"
CSV_HEADER = ("regio_id", "regio", "soort_regio", "gemeentecode", "deelnemer", "soort_deelnemer", "sinds", "tot",
              "bestuursorganen", "geregistreerd_als", "bron", "bron_adres", "bron_gelezen_op", "licentie")
# What the secretariat of a full region publishes carries no licence of its own (see the Open data page).
SECRETARIAT = {"register": "secretariaat van de regio", "url": None, "retrieved": None,
               "licence": "niet vermeld: vraag het secretariaat van de regio", "derived": False,
               "label": "Bron: het secretariaat van de regio"}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def source(src) -> dict[str, Any]:
    """A register.Source as data, with the attribution a reuser has to show (its label)."""
    return {"register": src.register, "url": src.url, "retrieved": _date(src.retrieved), "licence": src.licence,
            "derived": src.derived, "attribution": src.attribution, "label": src.label}


def _participant(p, national: National) -> dict[str, Any]:
    return {"code": p.code, "name": national.municipalities.name(p.code) if p.code else p.name,
            "registered_name": p.name, "kind": p.kind, "since": _date(p.since), "until": _date(p.until),
            "bodies": list(p.bodies), "registered_as": p.registered_as}


def entry_data(entry, national: National) -> dict[str, Any]:
    """One registry entry (regeling or division) as its JSON file holds it."""
    data: dict[str, Any] = {"id": entry.id, "name": entry.name, "kind": entry.kind, "page": f"../../{entry.id}/"}
    if entry.is_division:
        data.update(code=entry.code, members=[{"code": c, "name": national.municipalities.name(c)}
                                              for c in national.division_members(entry)],
                    served_by=list(entry.served_by), same_members=list(entry.same_members))
    else:
        last = entry.versions[-1] if entry.versions else None
        data.update(legal_form=entry.legal_form, purpose=entry.purpose,
                    organisation={"name": entry.organisation_name, "website": entry.website},
                    powers=list(entry.powers), founding_decisions=list(entry.founding_decisions),
                    in_force=not entry.ended(national.on), ended=_date(last.ended) if last else None,
                    participants=[_participant(p, national) for p in national.participants(entry)],
                    versions=[{"roo_id": v.roo_id, "title": v.title, "effective": _date(v.effective),
                               "ended": _date(v.ended),
                               "participants": [_participant(p, national) for p in v.participants]}
                              for v in entry.versions],
                    covers=list(entry.covers))
    data.update(source=source(entry.source), licence=entry.source.licence, on=_date(national.on))
    return data


def region_data(region, national: National) -> dict[str, Any]:
    """A full region (its own site) as its JSON file holds it: what the portal shows of it."""
    members = [{"code": m.municipality, "name": national.municipalities.name(m.municipality),
                "since": _date(m.since), "until": _date(m.until), "role": m.role, "domains": list(m.domains or [])}
               for m in sorted(region.data.members, key=lambda m: (m.municipality, m.since))]
    return {"id": region.id, "name": region.data.name, "kind": region.data.kind, "page": f"../../{region.id}/",
            "legal_form": region.data.legal_form, "example": bool(region.data.example), "members": members,
            "register": region.register.id if region.register else None,
            "source": {**SECRETARIAT, "url": f"../../{region.id}/bron/region.yaml"},
            "licence": SECRETARIAT["licence"], "on": _date(national.on)}


def municipality_data(pw: PatchworkOf, national: National) -> dict[str, Any]:
    """The patchwork of one municipality as its JSON file holds it. `govsite import` takes a municipality's name, inhabitants and end from the Register van
    Overheidsorganisaties and its province (and official_name, CBS's name where it differs) from CBS/PDOK
    (regions/municipalities.yaml)."""
    info = national.municipalities.get(pw.code)
    registers = national.register_sources()
    roo, cbs = registers.get(ROO), registers.get(CBS)

    def taking(t) -> dict[str, Any]:
        contribution = t.membership.contribution if t.membership else None
        return {"id": t.entry.id, "name": t.entry.name, "legal_form": t.entry.legal_form,
                "since": _date(t.participant.since), "until": _date(t.participant.until),
                "bodies": list(t.participant.bodies), "registered_as": t.participant.registered_as,
                "contribution": _contribution(contribution), "source": source(t.entry.source)}

    def other(m) -> dict[str, Any]:
        return {"id": m.region.id, "name": m.region.data.name, "kind": m.region.data.kind,
                "role": m.current.role if m.current else None, "since": _date(m.periods[0].since),
                "until": _date(m.periods[-1].until), "contribution": _contribution(m.contribution),
                "source": {**SECRETARIAT, "url": f"../../{m.region.id}/bron/region.yaml"}}

    return {"code": pw.code, "name": national.municipalities.name(pw.code),
            "official_name": info.official_name if info else None,
            "province": info.province if info else None, "inhabitants": info.inhabitants if info else None,
            "ended": _date(info.ended) if info else None, "succeeded_by": info.succeeded_by if info else None,
            "source": source(roo) if roo else None, "province_source": source(cbs) if cbs else None,
            "page": f"../../{outputs.MUNICIPALITIES}/{pw.code.lower()}/",
            "divisions": [{"id": e.id, "kind": e.kind, "code": e.code, "name": e.name, "source": source(e.source)}
                          for e in pw.divisions],
            "regelingen": [taking(t) for t in pw.regelingen],
            "regelingen_ended": [taking(t) for t in pw.ended],
            "other_cooperations": [other(m) for m in pw.others],
            "on": _date(national.on)}


def _contribution(share) -> dict[str, Any] | None:
    if share is None:
        return None
    return {"amount": share.amount, "percentage": share.percentage}


def rows(national: National) -> list[list[Any]]:
    """Every participation, one row each (CSV_HEADER), by region id then participant."""
    found: list[list[Any]] = []
    for entry in sorted(national.entries(), key=lambda e: e.id):
        src = entry.source
        tail = [src.label, src.url, _date(src.retrieved), src.licence]
        if entry.is_division:
            for code in sorted(national.division_members(entry)):
                found.append([entry.id, entry.name, entry.kind, code, national.municipalities.name(code), "gemeente",
                              None, None, None, None, *tail])
            continue
        last = entry.versions[-1] if entry.versions else None
        for p in sorted(national.participants(entry), key=lambda p: (p.code or "~", p.name)):
            until = p.until or (last.ended if last and entry.ended(national.on) else None)
            found.append([entry.id, entry.name, entry.kind, p.code,
                          national.municipalities.name(p.code) if p.code else p.name, p.kind, _date(p.since),
                          _date(until), " ".join(p.bodies), p.registered_as, *tail])
    for region in sorted(national.regions, key=lambda r: r.id):
        for m in sorted(region.data.members, key=lambda m: (m.municipality, m.since)):
            found.append([region.id, region.data.name, region.data.kind, m.municipality,
                          national.municipalities.name(m.municipality), "gemeente", _date(m.since), _date(m.until),
                          None, None, SECRETARIAT["label"], f"../{region.id}/bron/region.yaml", None,
                          SECRETARIAT["licence"]])
    return found


def write(folder: Path, national: National, patchwork: dict[str, PatchworkOf]) -> None:
    """All open data files into folder (the portal's docs/opendata/)."""
    (folder / REGIONS).mkdir(parents=True, exist_ok=True)
    (folder / MUNICIPALITIES).mkdir(parents=True, exist_ok=True)
    with open(folder / CSV, "w", encoding="utf-8", newline="") as out:
        out.write("\ufeff")  # so that a spreadsheet reads it as UTF-8 (é, â in names)
        out.write(csv_row(CSV_HEADER))
        for row in rows(national):
            out.write(csv_row(row))
    for entry in national.compact():  # an adopted entry is in its full region's file, below
        _json(folder / REGIONS / f"{entry.id}.json", entry_data(entry, national))
    for region in national.regions:
        data = region_data(region, national)
        if region.register is not None:
            data["registered"] = entry_data(region.register, national)
        _json(folder / REGIONS / f"{region.id}.json", data)
    for code, pw in patchwork.items():
        _json(folder / MUNICIPALITIES / f"{code.lower()}.json", municipality_data(pw, national))


def _json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json_document(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
