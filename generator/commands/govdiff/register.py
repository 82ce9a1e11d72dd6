"""`govsite diff`, the registers: what changed in a region's register.yaml (a new import), in sentences
as a reviewer reads them: a new or ended regeling, a new version, municipalities that join or leave."""
from __future__ import annotations

import datetime as dt

from ...domain.labels import label
from ...domain.register import RegisterEntry
from .words import date, em, plural, text


def _kind(entry: RegisterEntry) -> str:
    if entry.is_division:
        return f"CBS-indeling ({text(entry.kind)})"
    form = label(entry.legal_form, "legal_form") if entry.legal_form else "vorm onbekend"
    return f"gemeenschappelijke regeling ({text(form)})"


def _members(entry: RegisterEntry, on: dt.date) -> dict[str, str]:
    """Who takes part on the date: municipalities by code, other participants by name."""
    return {p.code or p.name: p.name for p in entry.members(on)}


def compare_register(old: RegisterEntry | None, new: RegisterEntry | None, on: dt.date | None) -> list[str]:
    """The sentences for one region's register.yaml, from old to new (None: not there)."""
    if old is None and new is None:
        return []
    on = on or dt.date.today()
    if old is None:
        count = len(new.members(on))
        where = "de CBS-gebiedsindelingen" if new.is_division else "het Register van Overheidsorganisaties"
        ended = " Geldt niet meer." if not new.is_division and new.in_force(on) is None else ""
        return [f"Nieuw uit {where}: {_kind(new)}, {plural(count, 'deelnemer', 'deelnemers')}.{ended}"]
    if new is None:
        return ["Het bestand uit het register (register.yaml) is verwijderd."]
    said: list[str] = []
    if old.name != new.name:
        said.append(f"Naam in het register: {em(old.name)} wordt {em(new.name)}.")
    if old.legal_form != new.legal_form:
        said.append(f"Samenwerkingsvorm volgens het register: {_kind(old)} wordt {_kind(new)}.")
    if (old.purpose or "") != (new.purpose or ""):
        said.append("Het doel van de regeling in het register is gewijzigd.")
    known = {v.roo_id for v in old.versions}
    for version in new.versions:
        if version.roo_id not in known:
            start = f", in werking vanaf {date(version.effective)}" if version.effective else ""
            said.append(f"Nieuwe versie in het register: {em(version.title)}{start}.")
    last_old, last_new = old.latest(), new.latest()
    if last_new is not None and last_new.ended and (last_old is None or last_old.ended != last_new.ended) \
            and last_new.roo_id in known:
        said.append(f"De regeling geldt volgens het register niet meer vanaf {date(last_new.ended)}.")
    before, after = _members(old, on), _members(new, on)
    for key in sorted(set(after) - set(before)):
        said.append(f"{text(after[key])} doet mee.")
    for key in sorted(set(before) - set(after)):
        said.append(f"{text(before[key])} doet niet meer mee.")
    if set(old.served_by) != set(new.served_by) or set(old.covers) != set(new.covers):
        said.append("De koppeling tussen deze regio en de CBS-indelingen of regelingen is gewijzigd.")
    return said
