"""`govsite diff`, the review: the sentences of every region as the Markdown of a job summary (text
through generator.escape), the changes that give the councils less say first.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.labels import label
from ...escape import summary_code_block
from .comparison import compare
from .register import compare_register
from .words import plural, text

if TYPE_CHECKING:
    from .snapshots import Snapshot


def _name(snapshot: Snapshot, rid: str) -> str:
    region = snapshot.regions.get(rid)
    entry = snapshot.registry.get(rid)
    return region.data.name if region else entry.name if entry else rid


def report(old: Snapshot, new: Snapshot) -> str:
    lines = ["# Wijzigingen in de governance", "", f"Vergeleken: {old.label} met {new.label}.", ""]
    weakening: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    ids = sorted(set(old.regions) | set(new.regions) | set(old.broken) | set(new.broken) | set(old.registry)
                 | set(new.registry))
    for rid in ids:
        a, b = old.regions.get(rid), new.regions.get(rid)
        title = text(_name(new, rid) if b or rid in new.registry else _name(old, rid))
        register = compare_register(old.registry.get(rid), new.registry.get(rid), new.on)
        if rid in new.broken or rid in old.broken:
            which = "de nieuwe versie" if rid in new.broken else "de oude versie"
            sections.append((title, [f"Niet vergeleken: {which} van deze regio bevat fouten (zie hieronder)."]))
        elif not a and not b:  # known from the registers only
            if register:
                sections.append((title, register))
        elif b and not a:
            members = len({m.municipality for m in b.data.members if m.until is None})
            sections.append((title, [f"Nieuwe regio: {label(b.data.kind, 'kind')}, "
                                     f"{label(b.data.legal_form, 'legal_form')}, "
                                     f"{plural(members, 'deelnemer', 'deelnemers')}, "
                                     f"{plural(len(b.agreements), 'afspraak', 'afspraken')}."]))
            sections[-1][1].extend(register)
        elif a and not b:
            sections.append((title, ["Deze regio is verwijderd."] + register))
        else:
            changes = compare(a, b)
            weakening += [f"**{title}**: {sentence}" for sentence in changes.weakening]
            if changes.normal or register:
                sections.append((title, changes.normal + register))
    if weakening:
        lines += ["## Let op: de rol van de raad wordt kleiner", "",
                  "Deze wijzigingen geven de gemeenteraden minder zeggenschap of informatie. Kijk ze extra goed "
                  "na en ga na of de raden hiermee hebben ingestemd.", ""]
        lines += [f"- {sentence}" for sentence in weakening] + [""]
    for title, sentences in sections:
        lines += [f"## {title}", ""] + [f"- {sentence}" for sentence in sentences] + [""]
    for snapshot, which in ((new, "De nieuwe versie"), (old, "De oude versie")):
        if snapshot.errors:
            lines += [f"## Fouten in {snapshot.label}", "",
                      f"{which} bevat {plural(len(snapshot.errors), 'fout', 'fouten')}; 'govsite validate' meldt:", ""]
            lines += summary_code_block(f.format() for f in snapshot.errors) + [""]
    if not weakening and not sections and not old.errors and not new.errors:
        if old.files != new.files:
            lines += ["Alleen de opmaak of de toelichting (commentaar) in de YAML is gewijzigd; de afspraken zelf "
                      "zijn gelijk gebleven.", ""]
        else:
            lines += ["Geen wijzigingen in de governance.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
