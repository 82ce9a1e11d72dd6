"""The rules of register.yaml, the file `govsite import` writes from the national registers.

A hand edit of the file is checked like any file. What the import corrected in the register's data
(register_schema.Correction) is reported as a notice: the register's defect, not the secretariat's,
with what the register says and what govsite shows instead. The register is kept by the Ministry of
BZK (organisaties.overheid.nl); a participant reports a wrong entry there.
"""
from __future__ import annotations

from . import register_schema as rs
from .load import Document, Loc
from .registry import Check, rule

# Why each correction was needed, as a reader of the finding needs it.
_CORRECTION = {
    "fusie": "het register noemt nog een gemeente die is opgeheven. govsite toont de gemeente die haar "
             "opvolgde; de oude deelname blijft in de geschiedenis staan",
    "citeertitel-leeg": "het register geeft deze versie geen citeertitel. govsite toont de naam van de regeling",
    "aanhalingstekens": "het register zet aanhalingstekens in de samenwerkingsvorm. govsite laat ze weg",
    "onzichtbare-tekens": "de tekst in het register bevat onzichtbare tekens (zacht afbreekstreepje U+00AD of "
                          "breedteloze spatie U+200B). govsite laat ze weg",
    "dubbele-code": "het register noemt deze gemeentecode twee keer. govsite houdt één regel",
    "zonder-code": "het register noemt een gemeente zonder gemeentecode. govsite laat die regel weg",
}
# Since 1 July 2021 each regeling keeps its own entry in the central register on organisaties.overheid.nl,
# the register of art. 27 Wgr (https://www.overheid.nl/help/gemeenschappelijke-regelingen).
_REPORT = ("Dit is een gebrek van het register, niet van deze map: u hoeft hier niets te verbeteren. Het register "
           "van gemeenschappelijke regelingen (art. 27 Wgr, op organisaties.overheid.nl) wordt bijgehouden door "
           "de regeling zelf; meld het daar.")


# The municipalities in the register are the ministry's (BZK) to keep.
_REPORT_LIST = ("Dit is een gebrek van het register, niet van deze map: u hoeft hier niets te verbeteren. Meld het "
                "aan de beheerder van het Register van Overheidsorganisaties (organisaties.overheid.nl).")


def correction_message(correction: rs.Correction, report: str = _REPORT) -> str:
    return (f"{_CORRECTION[correction.what]}. Het register zegt: '{correction.said}'; govsite toont: "
            f"'{correction.shown}'. {report}")


def _report(c: Check, doc: Document, loc: Loc, corrections: list[rs.Correction], report: str = _REPORT) -> None:
    for index, correction in enumerate(corrections):
        c.findings.append(doc.finding(loc + ("corrections", index), correction_message(correction, report),
                                      severity="notice"))


@rule("register-id-is-mapnaam", "register")
def _id_is_folder(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    if c.files is not None and parsed.id != c.files.id:
        c.error(doc, ("id",), f"de id '{parsed.id}' moet gelijk zijn aan de mapnaam '{c.files.id}': het "
                              "adres van de regio op de site hangt ervan af. Schrijf 'id: "
                              f"{c.files.id}'.")


@rule("register-mapnaam-gereserveerd", "register")
def _reserved(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    # A region known from the register gets a page at /<id>/ in the portal, as a full region does.
    if c.files is not None and c.files.id in c.reserved and c.files.region is None:
        c.error(doc, ("id",), f"de mapnaam '{c.files.id}' is gereserveerd: het portaal gebruikt deze naam zelf. "
                              f"Kies een andere mapnaam, bijvoorbeeld '{c.files.id}-regio', en zet die bij 'id'.")


@rule("register-gemeente-bestaat", "register")
def _municipalities_known(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    for index, code in enumerate(parsed.members):
        c.municipality(doc, ("members", index), code)
    for v, version in enumerate(parsed.versions):
        for p, participant in enumerate(version.participants):
            loc = ("versions", v, "participants", p)
            if participant.kind == "gemeente" and participant.code is None:
                c.error(doc, loc, "een deelnemer van soort 'gemeente' heeft een 'code' nodig (GM en vier cijfers).")
            if participant.code is not None:
                if participant.kind != "gemeente":
                    c.error(doc, loc + ("code",), "alleen een gemeente heeft een gemeentecode; laat 'code' weg "
                                                  "of schrijf 'kind: gemeente'.")
                c.municipality(doc, loc + ("code",), participant.code)
            if participant.registered_as is not None:
                c.municipality(doc, loc + ("registered_as",), participant.registered_as)


@rule("register-indeling-uniek", "register")
def _members_once(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    c.unique(doc, [(("members", i), code) for i, code in enumerate(parsed.members)], "gemeentecode")


@rule("register-versies-op-volgorde", "register")
def _versions_in_order(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    previous = None
    for v, version in enumerate(parsed.versions):
        loc = ("versions", v)
        if version.effective and version.ended and version.ended < version.effective:
            c.error(doc, loc + ("ended",), f"'ended' ({version.ended.isoformat()}) ligt vóór 'effective' "
                                           f"({version.effective.isoformat()}). Draai de data om of verbeter ze.")
        if previous is not None and version.effective is not None and version.effective < previous:
            c.error(doc, loc + ("effective",), "de versies staan niet op volgorde: zet de oudste versie bovenaan.")
        previous = version.effective or previous
        for p, participant in enumerate(version.participants):
            if participant.since:
                c.periods(doc, loc + ("participants", p), participant.since, participant.until)


@rule("register-gebreken", "register")
def _corrections(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    _report(c, doc, ("source",), parsed.source.corrections)
    for v, version in enumerate(parsed.versions):
        _report(c, doc, ("versions", v), version.corrections)
        for p, participant in enumerate(version.participants):
            _report(c, doc, ("versions", v, "participants", p), participant.corrections)


@rule("register-zonder-gemeente", "register")
def _no_municipality(c: Check, doc: Document, parsed: rs.RegisterFile) -> None:
    # Shown all the same (as a regeling of provinces or water boards); the portal has no municipality
    # page to list it on, which a reader of the findings should know.
    if parsed.versions:
        v = len(parsed.versions) - 1
        last = parsed.versions[v]
        if last.ended is None and not any(p.kind == "gemeente" for p in last.participants):
            c.findings.append(doc.finding(("versions", v, "participants"), (
                "volgens het register neemt geen enkele gemeente deel aan deze regeling (alleen provincies, "
                "waterschappen of andere organisaties). govsite toont de regeling met die deelnemers, maar op "
                "geen gemeentepagina. Klopt dat niet, meld het dan aan de regeling: die houdt haar gegevens in het "
                "register bij (art. 27 Wgr, organisaties.overheid.nl)."), severity="notice"))


@rule("register-links-uniek", "register-links")
def _links_once(c: Check, doc: Document, parsed: rs.RegisterLinksFile) -> None:
    seen: dict[tuple[str, str], Loc] = {}
    for name in ("links", "exclusions"):
        for index, link in enumerate(getattr(parsed, name)):
            pair = (link.regeling, link.division)
            if pair in seen:
                line = doc.pos(seen[pair])[0]
                c.error(doc, (name, index), f"de combinatie '{link.regeling}' en '{link.division}' staat er al "
                                            f"(regel {line}). Noem elke combinatie één keer.")
            else:
                seen[pair] = (name, index)


@rule("gemeentelijst-gebreken", "municipalities")
def _list_corrections(c: Check, doc: Document, parsed) -> None:
    # the municipality list the import wrote: a code twice, rows without a code (source.corrections)
    if parsed.source is not None:
        _report(c, doc, ("source",), parsed.source.corrections, _REPORT_LIST)
