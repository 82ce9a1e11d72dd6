"""Stable ids for imported regions: a slug from the name, kept across versions and snapshots.

A regeling's roo_id changes with every version and its name may carry a year, so its id is made once
from the lineage's name (versions linked by the register's previous/next version) and then kept: a
lineage that shares a roo_id with an existing register.yaml keeps that file's id (and folder). A
division keeps its id by kind and CBS code. Collisions get a deterministic suffix (-2, -3, ...).
"""
from __future__ import annotations

import re
from typing import Hashable, Iterable

from ...domain.values import ID_MAX_LENGTH, SLUG, slug

# "Gemeenschappelijke regeling X", "GR X", "Gemeenschappelijke Regeling (GR) X": the kind, not the name.
_PREFIX = re.compile(r"^\s*(gemeenschappelijke\s+regeling(?:en)?|gr)\b[\s:(),-]*(\(?gr\)?\b[\s:-]*)?", re.IGNORECASE)
# A year at the end, also in brackets or after a comma: "GGD West-Brabant 2024", "Regeling X (2015)".
_YEAR = re.compile(r"[\s,(-]*\b(18|19|20)\d{2}\)?\s*$")


def shorten(base: str, room: int = ID_MAX_LENGTH) -> str:
    """At most room characters, cut between words."""
    if len(base) <= room:
        return base
    cut = base[:room + 1]
    return (cut[:cut.rfind("-")] if "-" in cut else base[:room]).strip("-")


# "Derde wijziging Gemeenschappelijke Regeling SVHW": an amendment's title names the regeling it amends.
_AMENDMENT = re.compile(r"^\s*(\w+\s+)?(wijziging|wijzigingsregeling)(\s+van)?(\s+de)?\b[\s:-]*", re.IGNORECASE)


def regeling_slug(name: str) -> str:
    """The id a regeling's name asks for ("GGD West-Brabant 2024" -> "ggd-west-brabant")."""
    text = _PREFIX.sub("", _AMENDMENT.sub("", name))
    while _YEAR.search(text):
        text = _YEAR.sub("", text)
    return slug(text) or slug(name) or "regeling"


# Words a division's name repeats from its kind ("GGD Groningen" for a GGD-regio).
_KIND_WORDS = {"ggd-regio": r"^ggd\b", "veilig-thuis-regio": r"^veilig\s+thuis\b", "veiligheidsregio": r"^veiligheidsregio\b"}


def division_slug(kind: str, name: str) -> str:
    """"jeugdregio" + "Holland Rijnland" -> "jeugdregio-holland-rijnland"."""
    words = _KIND_WORDS.get(kind)
    text = re.sub(words, "", name, flags=re.IGNORECASE) if words else name
    return f"{kind}-{slug(text) or slug(name)}"


def allocate(wanted: Iterable[tuple[Hashable, str, str | None]], taken: Iterable[str],
             reserved: Iterable[str], marker: str = "") -> dict[Hashable, str]:
    """An id per key: (key, slug it asks for, id it already has or None).

    A key with an id keeps it. The others get their slug, or with a suffix when it is taken (by an
    existing folder or an earlier key in sorted order), reserved or not an id; deterministic for the same
    input. taken: folder names in use that no key owns. marker: the first suffix to try ("-gr": the
    regeling "Veiligheidsregio Twente" beside the division veiligheidsregio-twente), then -2, -3, ..."""
    wanted = sorted(wanted, key=lambda w: (w[1], str(w[0])))
    used = set(taken) | {existing for _, _, existing in wanted if existing}
    reserved = set(reserved)
    out: dict[Hashable, str] = {}
    for key, base, existing in wanted:
        if existing:
            out[key] = existing
            continue
        base = shorten(base) or "regio"
        number = 1
        while True:
            suffix = "" if number == 1 else marker if number == 2 and marker else f"-{number - bool(marker)}"
            candidate = shorten(base, ID_MAX_LENGTH - len(suffix)) + suffix
            if candidate not in used and candidate not in reserved and SLUG.match(candidate):
                break
            number += 1
        used.add(candidate)
        out[key] = candidate
    return out
