"""Step 2, validate: check every file against the data format and every rule between files.

Input: the documents from load.py. Output: findings with file, line and column, and for each
region that has no errors, its files as typed objects (schema.py) for the model step.
"""
from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..site import outputs
from . import schema
from .findings import Finding
from .load import TOPIC_FILES, Document, Loc, PackedWhenPickled, RegionFiles, Sources
from .suggest import did_you_mean


@dataclass
class ValidRegion(PackedWhenPickled):
    """The typed files of one region; only regions without errors get here."""

    _packed_fields = ("region", "topics", "agreements")

    files: RegionFiles
    region: schema.RegionFile
    topics: dict[str, BaseModel] = field(default_factory=dict)
    agreements: list[schema.AgreementFile] = field(default_factory=list)


@dataclass
class Validation:
    findings: list[Finding]
    municipalities: list[schema.Municipality]
    regions: list[ValidRegion]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


# --- structure: pydantic errors as messages a secretariat understands ----------------------

def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional from a type annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            lists = [a for a in args if typing.get_origin(_unwrap(a)) is list]
            annotation = args[0] if len(args) == 1 else (lists[0] if lists else args[0])
        else:
            return annotation


def _annotation_at(root: type[BaseModel], loc: Loc) -> Any:
    """The (unwrapped) type annotation that governs the value at loc, or None."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return None
            current = info.annotation
        else:
            return None
    return _unwrap(current)


def _describe(value: Any) -> str:
    if value is None:
        return "niets"
    if isinstance(value, bool):
        return f"ja/nee-waarde ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"een getal ({value})"
    if isinstance(value, dt.date):
        return f"een datum ({value.isoformat()})"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een groep velden"
    return f"'{value}'"


def _slug_hint(value: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")[:64].strip("-")
    return f", bijvoorbeeld '{slug}'" if slug else ""


def _field_label(loc: Loc) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"(item {part + 1})")
        else:
            parts.append(f"'{part}'")
    return " ".join(parts)


def _message(error: dict, root: type[BaseModel], loc: Loc) -> tuple[str, bool]:
    """A Dutch message for one pydantic error, and whether it points at a key rather than a value."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    label = _field_label(loc)
    if kind == "missing":
        parent = _annotation_at(root, loc[:-1])
        info = parent.model_fields.get(loc[-1]) if isinstance(parent, type) and issubclass(parent, BaseModel) else None
        hint = f" ({info.description})" if info is not None and info.description else ""
        return f"het verplichte veld '{loc[-1]}' ontbreekt{hint}. Voeg '{loc[-1]}: ...' toe.", False
    if kind == "extra_forbidden":
        parent = _annotation_at(root, loc[:-1])
        allowed = list(parent.model_fields) if isinstance(parent, type) and issubclass(parent, BaseModel) else []
        return (f"onbekend veld '{loc[-1]}'.{did_you_mean(str(loc[-1]), allowed)} "
                f"Toegestaan zijn hier: {', '.join(allowed)}."), True
    if kind == "literal_error":
        allowed = [str(a) for a in typing.get_args(_annotation_at(root, loc) or ())]
        return (f"{label}: onbekende waarde {_describe(value)}.{did_you_mean(str(value), allowed)} "
                f"Kies uit: {', '.join(allowed)}."), False
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == schema.CODE_PATTERN:
            return (f"{label}: {_describe(value)} is geen CBS-gemeentecode. Schrijf GM gevolgd door vier "
                    "cijfers, bijvoorbeeld GM0546."), False
        if ctx.get("pattern") == schema.SLUG_PATTERN:
            return (f"{label}: {_describe(value)} is geen geldige id. Gebruik alleen kleine letters, cijfers "
                    f"en enkele streepjes{_slug_hint(value)}."), False
        return f"{label}: {_describe(value)} heeft niet de juiste vorm.", False
    if kind in ("string_too_long", "too_long"):  # too_long: a text checked after a BeforeValidator
        return f"{label}: te lang; maximaal {ctx.get('max_length')} tekens.", False
    if kind == "string_too_short":
        return f"{label}: mag niet leeg zijn.", False
    if kind == "too_short":
        need = ctx.get("min_length")
        return f"{label}: hier {'is' if need == 1 else 'zijn'} minstens {need} item{'' if need == 1 else 's'} nodig.", False
    if kind == "string_type":
        if value is None:
            return f"{label}: hier staat niets. Vul tekst in of laat het veld weg.", False
        return (f"{label}: verwacht tekst, maar hier staat {_describe(value)}. "
                "Zet de waarde tussen aanhalingstekens als het tekst is."), False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{label}: verwacht een geheel getal, maar hier staat {_describe(value)}.", False
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{label}: verwacht een getal, maar hier staat {_describe(value)}.", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{label}: verwacht true of false, maar hier staat {_describe(value)}.", False
    if kind == "list_type":
        return (f"{label}: verwacht een lijst (regels die beginnen met '- '), maar hier staat "
                f"{_describe(value)}."), False
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (f"{label}: verwacht een groep velden (naam: waarde op de regels eronder, ingesprongen), "
                f"maar hier staat {_describe(value)}."), False
    def number(x: Any) -> Any:  # 0.0 -> 0: limits of euro fields are floats
        return int(x) if isinstance(x, float) and x.is_integer() else x

    if kind in ("greater_than_equal", "greater_than"):
        return f"{label}: moet minstens {number(ctx.get('ge', ctx.get('gt')))} zijn, niet {value}.", False
    if kind in ("less_than_equal", "less_than"):
        return f"{label}: mag hoogstens {number(ctx.get('le', ctx.get('lt')))} zijn, niet {value}.", False
    if kind in ("value_error", "assertion_error"):
        text = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return (f"{label}: {text}." if label else f"{text[:1].upper()}{text[1:]}."), False
    return f"{label}: {error.get('msg')}.", False


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _data_loc(data: Any, loc: tuple) -> tuple:
    """A pydantic error location without union tags ('list[...]'); a key the user wrote is kept, even
    when it looks like a tag ('0[')."""
    out, node, inside = [], data, True
    for part in loc:
        if inside and isinstance(node, dict) and part in node:
            node = node[part]
        elif inside and isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif _is_tag(part):
            continue
        else:
            inside = False  # a missing field, or beyond the data
        out.append(part)
    return tuple(out)


def check_structure(doc: Document, cls: type[BaseModel]) -> tuple[BaseModel | None, list[Finding]]:
    """Validate one document against its file kind; every problem becomes a finding at its place."""
    if doc.data is None:
        return None, [doc.whole("het bestand is leeg. Zie de documentatie voor wat erin hoort.")]
    if not isinstance(doc.data, dict):
        return None, [doc.finding((), "bovenaan het bestand horen velden als 'naam: waarde', "
                                      f"maar hier staat {_describe(doc.data)}.")]
    try:
        return cls.model_validate(doc.data), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    by_loc: dict[Loc, list[dict]] = defaultdict(list)
    for error in errors:
        loc = _data_loc(doc.data, error["loc"])
        by_loc[loc].append(error)
    findings = []
    for loc, group in by_loc.items():
        # A union (e.g. 'members' or a list) reports one error per alternative; keep the useful one.
        if len(group) > 1 and any(e["type"] != "literal_error" for e in group):
            group = [e for e in group if e["type"] != "literal_error"]
        tagged = any(len(e["loc"]) != len(loc) for e in group)
        for error in group[:1] if tagged else group:
            message, at_key = _message(error, cls, loc)
            target = loc[:-1] if error["type"] == "missing" else loc
            findings.append(doc.finding(target, message, key=at_key))
    return None, sorted(set(findings))


# --- rules between fields and files --------------------------------------------------------

class _Rules:
    """Collects findings for one region; each check_* method is one rule of the data format."""

    def __init__(self, municipalities: dict[str, schema.Municipality], on: dt.date):
        self.municipalities = municipalities
        self.on = on
        self.findings: list[Finding] = []

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


def _overlap(a_since, a_until, b_since, b_until) -> bool:
    far = dt.date.max
    return a_since <= (b_until or far) and b_since <= (a_until or far)


def _body_ids(organisation: schema.OrganisationFile | None) -> list[str]:
    ids = [b.id for b in organisation.bodies] if organisation else []
    return ids + [k for k in schema.COLLECTIVE_BODIES if k not in ids]


def version_in_force(agreement: schema.AgreementFile, on: dt.date) -> schema.Version | None:
    """The version of an agreement that applies on a date (shared with the model step)."""
    if agreement.ends is not None and on >= agreement.ends:
        return None
    current = None
    for version in agreement.versions:
        if version.effective <= on:
            current = version
    return current


def check_municipalities(doc: Document, parsed: schema.MunicipalitiesFile, rules: _Rules) -> None:
    items = parsed.municipalities
    rules.unique(doc, [(("municipalities", i, "code"), m.code) for i, m in enumerate(items)], "gemeentecode")
    codes = [m.code for m in items]
    for i, m in enumerate(items):
        loc = ("municipalities", i)
        if m.succeeded_by is not None:
            if m.ended is None:
                rules.error(doc, loc + ("succeeded_by",), "'succeeded_by' hoort bij een gemeente die niet "
                                                          "meer bestaat: voeg ook 'ended: <datum>' toe.")
            if m.succeeded_by == m.code:
                rules.error(doc, loc + ("succeeded_by",), "een gemeente kan niet haar eigen opvolger zijn.")
            else:
                rules.reference(doc, loc + ("succeeded_by",), m.succeeded_by, codes, "opvolger",
                                "municipalities.yaml")


def check_region(v: ValidRegion, rules: _Rules) -> None:
    doc = v.files.region
    region = v.region
    if region.id != v.files.id:
        rules.error(doc, ("id",), f"de id '{region.id}' moet gelijk zijn aan de mapnaam '{v.files.id}'.")
    for i, member in enumerate(region.members):
        loc = ("members", i)
        rules.periods(doc, loc, member.since, member.until)
        found = rules.municipality(doc, loc + ("municipality",), member.municipality)
        if found is not None and found.ended is not None:
            if member.since >= found.ended:
                rules.error(doc, loc + ("since",),
                            f"gemeente {found.name} bestond op {member.since.isoformat()} niet meer "
                            f"(opgeheven per {found.ended.isoformat()}).")
            elif member.until is None or member.until >= found.ended:
                last = (found.ended - dt.timedelta(days=1)).isoformat()
                rules.error(doc, loc, f"gemeente {found.name} is opgeheven per {found.ended.isoformat()}; "
                                      f"zet 'until: {last}' en neem de opvolger op als nieuwe deelnemer.")
        for j, domain in enumerate(member.domains or []):
            if domain not in region.domains:
                rules.error(doc, loc + ("domains", j),
                            f"domein '{domain}' hoort niet bij de regio (domains: {', '.join(region.domains)}). "
                            "Een deelnemer kan alleen meedoen in domeinen van de regio.")
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, member in enumerate(region.members):
        by_code[member.municipality].append(i)
    if len(by_code) < 2:
        rules.error(doc, ("members",), "een regionale samenwerking heeft minstens twee verschillende "
                                       "gemeenten als deelnemer.")
    for code, indexes in by_code.items():
        for a, i in enumerate(indexes):
            for j in indexes[a + 1:]:
                m, n = region.members[i], region.members[j]
                if _overlap(m.since, m.until, n.since, n.until):
                    rules.error(doc, ("members", j),
                                f"gemeente {code} is in deze periode al deelnemer (regel "
                                f"{doc.pos(('members', i))[0]}). Een gemeente is op elke datum hoogstens "
                                "één keer deelnemer; laat de eerste periode eindigen met 'until' vóór de "
                                "tweede begint.")
    if region.vision:
        rules.unique(doc, [(("vision", "goals", i, "id"), g.id) for i, g in enumerate(region.vision.goals)],
                     "doel")
    organisation = v.topics.get("organisation")
    if region.contact.position:
        positions = [p.id for b in organisation.bodies for p in b.positions] if organisation else []
        if organisation is None:
            rules.error(doc, ("contact", "position"),
                        "er is geen organisation.yaml, dus 'position' kan nergens naar verwijzen. "
                        "Gebruik 'title' voor het aanspreekpunt, of voeg organisation.yaml toe.")
        else:
            rules.reference(doc, ("contact", "position"), region.contact.position, positions, "positie",
                            "organisation.yaml")
    if region.founding_agreement:
        rules.reference(doc, ("founding_agreement",), region.founding_agreement,
                        [a.id for a in v.agreements], "afspraak", "agreements/")


def check_organisation(v: ValidRegion, doc: Document, org: schema.OrganisationFile, rules: _Rules) -> None:
    bodies = _body_ids(org)
    rules.unique(doc, [(("bodies", i, "id"), b.id) for i, b in enumerate(org.bodies)], "orgaan")
    positions = []
    for i, body in enumerate(org.bodies):
        if body.id in schema.COLLECTIVE_BODIES:
            rules.error(doc, ("bodies", i, "id"), f"'{body.id}' is gereserveerd voor "
                                                  f"{schema.COLLECTIVE_BODIES[body.id]}; kies een andere id.")
        if body.reports_to == body.id:
            rules.error(doc, ("bodies", i, "reports_to"), "een orgaan kan niet aan zichzelf rapporteren.")
        else:
            rules.reference(doc, ("bodies", i, "reports_to"), body.reports_to, bodies, "orgaan",
                            "organisation.yaml")
        for j, position in enumerate(body.positions):
            positions.append((("bodies", i, "positions", j, "id"), position.id))
            holders = position.holders
            for k, holder in enumerate(holders):
                loc = ("bodies", i, "positions", j, "holders", k)
                rules.periods(doc, loc, holder.since, holder.until)
                if holder.municipality:
                    rules.municipality(doc, loc + ("municipality",), holder.municipality)
                for m in range(k):
                    other = holders[m]
                    if _overlap(other.since, other.until, holder.since, holder.until):
                        rules.error(doc, loc, f"de termijn van {holder.name} overlapt met die van {other.name} "
                                              f"in dezelfde positie. Laat de ene termijn eindigen ('until') "
                                              "voordat de andere begint.")
    rules.unique(doc, positions, "positie")


def check_decisions(v: ValidRegion, doc: Document, parsed: schema.DecisionsFile, rules: _Rules) -> None:
    bodies = _body_ids(v.topics.get("organisation"))
    where = "organisation.yaml (of raden, colleges, burgemeesters)"
    rules.unique(doc, [(("decisions", i, "id"), d.id) for i, d in enumerate(parsed.decisions)], "besluit")
    agreements = {a.id: a for a in v.agreements}
    for i, decision in enumerate(parsed.decisions):
        loc = ("decisions", i)
        rules.reference(doc, loc + ("decides",), decision.decides, bodies, "orgaan", where)
        rules.reference(doc, loc + ("prepares",), decision.prepares, bodies, "orgaan", where)
        for name in ("consults", "informs"):
            for j, ref in enumerate(getattr(decision, name)):
                rules.reference(doc, loc + (name, j), ref, bodies, "orgaan", where)
        if decision.basis:
            basis = decision.basis
            if rules.reference(doc, loc + ("basis", "agreement"), basis.agreement, agreements, "afspraak",
                               "agreements/"):
                version = version_in_force(agreements[basis.agreement], rules.on)
                if version is None:
                    rules.error(doc, loc + ("basis", "agreement"),
                                f"afspraak '{basis.agreement}' heeft op {rules.on.isoformat()} geen geldende "
                                "versie (nog niet in werking of vervallen).")
                else:
                    numbers = [a.number for a in version.articles]
                    rules.reference(doc, loc + ("basis", "article"), basis.article, numbers,
                                    "artikel", f"versie {version.version} van '{basis.agreement}' (de geldende)")
    for i, step in enumerate(parsed.escalation):
        if step.step != i + 1:
            rules.error(doc, ("escalation", i, "step"),
                        f"de stappen moeten doorlopend genummerd zijn vanaf 1; hier verwacht: {i + 1}.")
        if step.body:
            rules.reference(doc, ("escalation", i, "body"), step.body, bodies, "orgaan", where)


def check_accountability(v: ValidRegion, doc: Document, parsed: schema.AccountabilityFile, rules: _Rules) -> None:
    bodies = _body_ids(v.topics.get("organisation"))
    where = "organisation.yaml (of raden, colleges, burgemeesters)"
    for name, items in (("information", parsed.information), ("planning_cycle", parsed.planning_cycle)):
        for i, item in enumerate(items):
            for j, ref in enumerate(item.to):
                rules.reference(doc, (name, i, "to", j), ref, bodies, "orgaan", where)
    evaluation = parsed.evaluation
    if evaluation and evaluation.last and evaluation.next and evaluation.next <= evaluation.last.date:
        rules.error(doc, ("evaluation", "next"), "de volgende evaluatie ligt niet na de laatste.")


def _member_in_year(region: schema.RegionFile, code: str, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return any(m.municipality == code and _overlap(m.since, m.until, start, end) for m in region.members)


def check_finance(v: ValidRegion, doc: Document, parsed: schema.FinanceFile, rules: _Rules) -> None:
    rules.unique(doc, [(("contributions", i, "year"), str(c.year)) for i, c in enumerate(parsed.contributions)],
                 "jaar")
    for i, contribution in enumerate(parsed.contributions):
        loc = ("contributions", i)
        rules.unique(doc, [(loc + ("shares", j, "municipality"), s.municipality)
                           for j, s in enumerate(contribution.shares)], "gemeente")
        for j, share in enumerate(contribution.shares):
            if rules.municipality(doc, loc + ("shares", j, "municipality"), share.municipality) is None:
                continue  # unknown code: reported (with a suggestion) by rules.municipality
            if not _member_in_year(v.region, share.municipality, contribution.year):
                rules.error(doc, loc + ("shares", j, "municipality"),
                            f"gemeente {share.municipality} was in {contribution.year} geen deelnemer van de "
                            "regio (zie members in region.yaml).")
        percentages = [s.percentage for s in contribution.shares]
        if contribution.shares and all(p is not None for p in percentages):
            total = sum(percentages)
            if abs(total - 100) > 0.1:
                rules.error(doc, loc + ("shares",), f"de percentages van {contribution.year} tellen op tot "
                                                    f"{total:.2f}, niet tot 100.", key=True)
        amounts = [s.amount for s in contribution.shares]
        if contribution.budget is not None and contribution.shares and all(a is not None for a in amounts):
            total = sum(amounts)
            if abs(total - contribution.budget) >= 1:
                rules.error(doc, loc + ("budget",),
                            f"de bijdragen van {contribution.year} tellen op tot {total:,.0f} euro, maar de "
                            f"begroting is {contribution.budget:,.0f} euro.".replace(",", "."))


def check_progress(v: ValidRegion, doc: Document, parsed: schema.ProgressFile, rules: _Rules) -> None:
    goals = [g.id for g in v.region.vision.goals] if v.region.vision else []
    rules.unique(doc, [(("indicators", i, "id"), x.id) for i, x in enumerate(parsed.indicators)], "indicator")
    for i, indicator in enumerate(parsed.indicators):
        rules.reference(doc, ("indicators", i, "goal"), indicator.goal, goals, "doel", "region.yaml (vision.goals)")
    for i, update in enumerate(parsed.updates):
        rules.reference(doc, ("updates", i, "goal"), update.goal, goals, "doel", "region.yaml (vision.goals)")


def check_reflection(v: ValidRegion, doc: Document, parsed: schema.ReflectionFile, rules: _Rules) -> None:
    rules.unique(doc, [(("balances", i, "act"), b.act) for i, b in enumerate(parsed.balances)], "balans")


def check_agreement(v: ValidRegion, doc: Document, agreement: schema.AgreementFile, rules: _Rules) -> None:
    if agreement.id != doc.path.stem:
        rules.error(doc, ("id",), f"de id '{agreement.id}' moet gelijk zijn aan de bestandsnaam "
                                  f"'{doc.path.stem}'.")
    bodies = _body_ids(v.topics.get("organisation"))
    rules.unique(doc, [(("versions", i, "version"), x.version) for i, x in enumerate(agreement.versions)],
                 "versie")
    for i, version in enumerate(agreement.versions):
        loc = ("versions", i)
        if version.adopted > version.effective:
            rules.error(doc, loc + ("adopted",), f"vastgesteld op {version.adopted.isoformat()}, na de "
                                                 f"inwerkingtreding ({version.effective.isoformat()}).")
        if i and version.effective <= agreement.versions[i - 1].effective:
            rules.error(doc, loc + ("effective",), "elke versie moet later in werking treden dan de vorige "
                                                   "(zet de versies op volgorde, oudste eerst).")
        for j, ref in enumerate(version.adopted_by):
            rules.reference(doc, loc + ("adopted_by", j), ref, bodies, "orgaan",
                            "organisation.yaml (of raden, colleges, burgemeesters)")
        rules.unique(doc, [(loc + ("articles", j, "number"), a.number) for j, a in enumerate(version.articles)],
                     "artikelnummer")
    if agreement.ends is not None and agreement.ends <= agreement.versions[0].effective:
        rules.error(doc, ("ends",), "de afspraak vervalt voordat de eerste versie in werking treedt.")
    if isinstance(agreement.parties, list):
        for i, code in enumerate(agreement.parties):
            rules.municipality(doc, ("parties", i), code)


def placeholders(doc: Document) -> list[Finding]:
    """Texts that still say INVULLEN (from `govsite new`): not wrong, but not ready to publish."""
    found = []
    marker = schema.PLACEHOLDER

    def report(loc: Loc) -> None:
        found.append(doc.finding(loc, f"hier staat nog '{marker}': vul de echte tekst in "
                                      "voordat u publiceert.", severity="gap"))

    def walk(value: dict | list, loc: Loc) -> None:
        # Texts are checked in the loop, so only groups and lists cost a call (every value of every file).
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(item, str):
                if marker in item:
                    report(loc + (key,))
            elif isinstance(item, (dict, list)):
                walk(item, loc + (key,))

    if isinstance(doc.data, (dict, list)):
        walk(doc.data, ())
    elif isinstance(doc.data, str) and marker in doc.data:
        report(())
    return found


_TOPIC_CHECKS = {
    "organisation": check_organisation,
    "decisions": check_decisions,
    "accountability": check_accountability,
    "finance": check_finance,
    "progress": check_progress,
    "reflection": check_reflection,
}


def validate(sources: Sources, on: dt.date) -> Validation:
    """Check all loaded files; `on` is the date for rules that depend on the version in force."""
    findings = list(sources.findings)
    municipalities, found = validate_municipalities(sources.municipalities, on)
    findings += found
    by_code = {m.code: m for m in municipalities}
    valid: list[ValidRegion] = []
    for files in sources.regions:
        found, v = validate_region(files, sources.findings, by_code, on)
        findings += found
        if v is not None:
            valid.append(v)
    return Validation(findings=sorted(set(findings)), municipalities=municipalities, regions=valid)


def validate_municipalities(doc: Document | None, on: dt.date) -> tuple[list[schema.Municipality], list[Finding]]:
    """The reference list of municipalities (shared by every region) and what is wrong with it."""
    if doc is None:
        return [], []
    parsed, findings = check_structure(doc, schema.MunicipalitiesFile)
    if parsed is None:
        return [], findings
    rules = _Rules({}, on)
    check_municipalities(doc, parsed, rules)
    return parsed.municipalities, findings + rules.findings


def validate_region(files: RegionFiles, loaded: list[Finding], municipalities: dict[str, schema.Municipality],
                    on: dt.date) -> tuple[list[Finding], ValidRegion | None]:
    """Check one region folder: its findings, and its typed files when it has no errors.

    `loaded` are the loader's findings: a region with a file that could not be read is not valid.
    Only the municipality list is shared with other regions; a region's result depends on nothing else.
    """
    if files.region is None:
        return [], None
    rules = _Rules(municipalities, on)
    findings: list[Finding] = []
    reserved = outputs.reserved()
    if files.id in reserved:  # the build would write the portal's own files over it, or it over them
        findings.append(files.region.finding(("id",), (
            f"de mapnaam '{files.id}' is gereserveerd: het portaal gebruikt deze namen zelf op het hoogste "
            f"niveau van de site: {', '.join(sorted(reserved))}. Kies een andere mapnaam, bijvoorbeeld "
            f"'{files.id}-regio', en zet dezelfde naam bij 'id'.")))
    valid = None
    region, found = check_structure(files.region, schema.RegionFile)
    findings += found
    topics = {}
    for topic in TOPIC_FILES:
        if topic in files.topics:
            parsed, found = check_structure(files.topics[topic], schema.FILE_KINDS[topic])
            findings += found
            if parsed is not None:
                topics[topic] = parsed
    agreements = []
    for doc in files.agreements:
        parsed, found = check_structure(doc, schema.AgreementFile)
        findings += found
        if parsed is not None:
            agreements.append((doc, parsed))
    if region is not None:
        v = ValidRegion(files=files, region=region, topics=topics, agreements=[a for _, a in agreements])
        check_region(v, rules)
        for topic, parsed in topics.items():
            _TOPIC_CHECKS[topic](v, files.topics[topic], parsed, rules)
        for doc, agreement in agreements:
            check_agreement(v, doc, agreement, rules)
        findings += rules.findings
        inside = (files.display + "/", files.display + "\\")  # not a sibling 'x-2' of 'x'
        loaded_ok = not any(f.path == files.display or f.path.startswith(inside) for f in loaded)
        if not findings and loaded_ok and len(topics) == len(files.topics) \
                and len(agreements) == len(files.agreements):
            valid = v
    for doc in [files.region, *files.topics.values(), *files.agreements]:
        if doc is not None:
            findings += placeholders(doc)
    return findings, valid
