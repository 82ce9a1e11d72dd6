"""The registry of named rules between fields and files, and the Check they report through.

A rule is a function registered with @rule(name, kind) for one file kind (a key of
schema.FILE_KINDS); rules.py holds them. validate.py runs, for every file, the rules of its kind in
the order they were registered (run): a rule gets the Check of its region (which collects findings
and knows the municipality list, the date and the region's other typed files), the file's Document
(for positions) and its typed content. A rule registered with typed=False runs before the data
format is checked and gets no typed content, so that what it reports stands even when the file has
other errors.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import schema
from .findings import Finding
from .load import Document, Loc, RegionFiles
from .model import ValidRegion
from .suggest import did_you_mean


@dataclass
class Check:
    """What the rules of one region (or of the municipality list) share, and the findings they make."""

    municipalities: dict[str, schema.Municipality]
    on: dt.date  # the date for rules that depend on the version in force
    files: RegionFiles | None = None  # the region folder; None for municipalities.yaml
    region: ValidRegion | None = None  # its typed files, once region.yaml has its data format
    reserved: frozenset[str] = frozenset()  # folder names no region may have (the caller's: the output's)
    findings: list[Finding] = field(default_factory=list)

    def error(self, doc: Document, loc: Loc, message: str, key: bool = False) -> None:
        self.findings.append(doc.finding(loc, message, key=key))

    def municipality(self, doc: Document, loc: Loc, code: str) -> schema.Municipality | None:
        found = self.municipalities.get(code)
        if found is None and self.municipalities:
            names = {m.code: m.name for m in self.municipalities.values()}
            near = did_you_mean(code, names)
            self.error(doc, loc, f"gemeente {code} staat niet in municipalities.yaml.{near} "
                                 "Voeg de gemeente toe aan de lijst of controleer de CBS-code.")
        return found

    def unique(self, doc: Document, items: Iterable[tuple[Loc, str]], what: str) -> None:
        seen: dict[str, Loc] = {}
        for loc, value in items:
            if value in seen:
                line = doc.pos(seen[value])[0]
                self.error(doc, loc, f"{what} '{value}' komt twee keer voor (eerder op regel {line}). "
                                     "Elke id moet uniek zijn.")
            else:
                seen[value] = loc

    def reference(self, doc: Document, loc: Loc, value: str | None, known: Iterable[str], what: str,
                  where: str) -> bool:
        if value is None:
            return True
        known = list(known)
        if value in known:
            return True
        listing = f" Bekend: {', '.join(known)}." if known and len(known) <= 12 else ""
        self.error(doc, loc, f"{what} '{value}' bestaat niet in {where}.{did_you_mean(value, known)}{listing}")
        return False

    def periods(self, doc: Document, loc: Loc, since: dt.date, until: dt.date | None) -> None:
        if until is not None and until < since:
            self.error(doc, loc + ("until",), f"'until' ({until.isoformat()}) ligt vóór 'since' "
                                              f"({since.isoformat()}). Draai de data om of verbeter ze.")

    def bodies(self) -> list[str]:
        """What a reference to a body may name: the region's bodies and the collective ones."""
        organisation = self.region.topics.get("organisation") if self.region else None
        ids = [b.id for b in organisation.bodies] if organisation else []
        return ids + [k for k in schema.COLLECTIVE_BODIES if k not in ids]


RuleCheck = Callable[[Check, Document, Any], None]


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # a key of schema.FILE_KINDS
    check: RuleCheck
    typed: bool = True  # False: runs on the Document alone, before the data format is checked


RULES: dict[str, list[Rule]] = {kind: [] for kind in schema.FILE_KINDS}


def rule(name: str, kind: str, typed: bool = True) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as the rule `name` for files of `kind`."""
    if kind not in RULES:
        raise ValueError(f"unknown file kind {kind!r}")

    def register(check: RuleCheck) -> RuleCheck:
        if any(r.name == name for rules in RULES.values() for r in rules):
            raise ValueError(f"two rules named {name!r}")
        RULES[kind].append(Rule(name, kind, check, typed))
        return check

    return register


def run(kind: str, check: Check, doc: Document, parsed: Any = None, typed: bool = True) -> None:
    """Run the rules of a file kind on one file: the typed ones (with parsed) or the others."""
    for registered in RULES[kind]:
        if registered.typed == typed:
            registered.check(check, doc, parsed)
