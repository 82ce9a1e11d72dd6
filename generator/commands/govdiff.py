"""`govsite diff`: what a change to the YAML means for the governance, in Dutch Markdown for a review.

Both revisions are read from git into temporary folders and go through the same steps as a build
(load -> validate -> model); the two models are compared, never the text. Changes that give the
councils less say are listed first, so that reviewers cannot miss them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..domain import schema
from ..escape import summary_code, summary_code_block, summary_text
from ..domain.findings import Finding
from ..domain.labels import MONTHS, label, long_date, names
from ..domain.load import MAX_FILE_BYTES, TOPIC_FILES
from ..domain.model import COUNCIL_ROLE_WEIGHT, Region
from ..pipeline import check

MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master")
WORKING_TREE = "de werkmap"


class DiffError(Exception):
    """The revisions cannot be read; the message says what to do."""


# --- words ---------------------------------------------------------------------------------

def text(value: Any) -> str:
    """Data as plain text in the job summary's Markdown: one line, nothing interpreted."""
    return summary_text(value)


def em(value: Any) -> str:
    return f"*{text(value)}*"


date = long_date


def annual(mmdd: str) -> str:
    return f"{int(mmdd[3:])} {MONTHS[int(mmdd[:2]) - 1]}"


def euro(value: float | None) -> str:
    return "geen bedrag" if value is None else "€ " + f"{value:,.0f}".replace(",", ".")


def day_after(value: dt.date) -> dt.date:
    return value + dt.timedelta(days=1)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


_NEUTER = {"algemeen-bestuur", "dagelijks-bestuur", "portefeuillehoudersoverleg", "bestuurlijk-overleg",
           "ambtelijk-overleg", "secretariaat"}


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def body(region: Region, ref: str | None, article: bool = True) -> str:
    """A body reference as a reviewer reads it: "het dagelijks bestuur", "de gemeenteraden"."""
    if ref is None:
        return "niemand"
    if ref in schema.COLLECTIVE_BODIES:
        words = schema.COLLECTIVE_BODIES[ref]
        return words if article else words.removeprefix("de ")
    found = next((b for b in (region.organisation.bodies if region.organisation else []) if b.id == ref), None)
    if found is None:
        return text(ref)
    name = text(_lower_first(found.name))
    if not article or found.kind == "overig":
        return name
    return f"{'het' if found.kind in _NEUTER else 'de'} {name}"


def bodies(region: Region, refs: list[str]) -> str:
    return names([body(region, r) for r in refs]) if refs else "niemand"


def municipality(region: Region, code: str) -> str:
    return f"Gemeente {text(region.municipalities.name(code))}"


def role(value: str) -> str:
    """A council role in the words of the Gemeentewet: "wensen en bedenkingen"."""
    return value.replace("-", " ")


def domains(values: list[str] | None) -> str:
    return ", ".join(label(d, "domain") for d in values) if values else "alle domeinen"


# --- the comparison ------------------------------------------------------------------------

@dataclass
class Changes:
    """The sentences about one region, in the order of the files; weakening ones separately."""

    weakening: list[str] = field(default_factory=list)
    normal: list[str] = field(default_factory=list)

    def add(self, sentence: str, weakens: bool = False) -> None:
        (self.weakening if weakens else self.normal).append(sentence)

    def __len__(self) -> int:
        return len(self.weakening) + len(self.normal)


def _by(items, key: Callable) -> dict:
    return {key(item): item for item in items}


def _dump(value: Any) -> Any:
    return value.model_dump(mode="json") if value is not None else None


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def compare_region(old: Region, new: Region, changes: Changes) -> None:
    a, b = old.data, new.data
    if a.name != b.name:
        changes.add(f"De regio heet nu {em(b.name)} (was: {em(a.name)}).")
    if a.kind != b.kind:
        changes.add(f"Soort regio nu {label(b.kind, 'kind')} (was: {label(a.kind, 'kind')}).")
    if a.legal_form != b.legal_form:
        changes.add(f"Rechtsvorm nu {label(b.legal_form, 'legal_form')} (was: {label(a.legal_form, 'legal_form')}).")
    if a.domains != b.domains:
        changes.add(f"Domeinen nu: {domains(b.domains)} (was: {domains(a.domains)}).")
    if a.founding_agreement != b.founding_agreement:
        changes.add(f"Oprichtingsafspraak nu {text(b.founding_agreement or 'geen')} "
                    f"(was: {text(a.founding_agreement or 'geen')}).")
    if not _same_text(a.summary, b.summary):
        changes.add("De samenvatting voor inwoners is aangepast.")
    if a.website != b.website:
        changes.add(f"Website nu {text(b.website or 'geen')} (was: {text(a.website or 'geen')}).")
    if a.example != b.example:
        changes.add("De gegevens zijn nu als fictief voorbeeld gemarkeerd." if b.example
                    else "De gegevens zijn niet langer als fictief voorbeeld gemarkeerd.")
    if _dump(a.contact) != _dump(b.contact):
        changes.add("Het aanspreekpunt van de regio is gewijzigd.")
    compare_members(old, new, changes)
    compare_vision(old, new, changes)


def compare_members(old: Region, new: Region, changes: Changes) -> None:
    def periods(region: Region) -> dict[str, dict[dt.date, schema.Member]]:
        result: dict[str, dict[dt.date, schema.Member]] = {}
        for member in region.data.members:
            result.setdefault(member.municipality, {})[member.since] = member
        return result

    before, after = periods(old), periods(new)
    codes = sorted(set(before) | set(after), key=lambda c: (new.municipalities.name(c), c))
    for code in codes:
        name = municipality(new if code in new.municipalities.by_code else old, code)
        o, n = before.get(code, {}), after.get(code, {})
        if not o:
            for since, member in sorted(n.items()):
                only = f" (alleen voor {domains(member.domains)})" if member.domains else ""
                leaves = f"; treedt uit per {date(day_after(member.until))}" if member.until else ""
                changes.add(f"{name} treedt toe per {date(since)}{only}{leaves}.")
            continue
        if not n:
            first = min(o)
            changes.add(f"{name} staat niet meer in de lijst van deelnemers (was deelnemer sinds {date(first)}).")
            continue
        for since in sorted(set(o) | set(n)):
            was, now = o.get(since), n.get(since)
            if was and now:
                if was.until != now.until:
                    continues = now.until is not None and day_after(now.until) in n
                    if now.until is None:
                        changes.add(f"{name} blijft deelnemer: de uittreding per {date(day_after(was.until))} "
                                    "vervalt.")
                    elif continues:
                        pass  # a partial exit: told with the period that follows
                    elif was.until is None:
                        changes.add(f"{name} treedt uit per {date(day_after(now.until))}.")
                    else:
                        changes.add(f"{name} treedt uit per {date(day_after(now.until))} "
                                    f"(was: per {date(day_after(was.until))}).")
                if was.domains != now.domains:
                    changes.add(f"{name} doet nu mee voor: {domains(now.domains)} (was: {domains(was.domains)}).")
                if was.role != now.role:
                    changes.add(f"{name} is nu {label(now.role, 'member_role')} "
                                f"(was: {label(was.role, 'member_role')}).")
            elif now:
                follows = any(p.until is not None and day_after(p.until) == since for p in n.values())
                if follows and now.domains:
                    changes.add(f"{name} doet vanaf {date(since)} alleen nog mee voor: {domains(now.domains)}.")
                elif follows:
                    changes.add(f"{name} doet vanaf {date(since)} weer mee voor alle domeinen.")
                else:
                    changes.add(f"{name} treedt opnieuw toe per {date(since)}.")
            else:
                changes.add(f"De deelname van {name[0].lower() + name[1:]} vanaf {date(since)} is verwijderd.")


def compare_vision(old: Region, new: Region, changes: Changes) -> None:
    a, b = old.data.vision or schema.Vision(), new.data.vision or schema.Vision()
    for key, what, be in (("mission", "visie op het regionale beleid", "is"),
                          ("cooperation", "visie op de samenwerking", "is"),
                          ("approach", "hoofdlijnen van de aanpak", "zijn")):
        was, now = getattr(a, key), getattr(b, key)
        if not _same_text(was, now):
            verb = "toegevoegd" if not was else "verwijderd" if not now else "aangepast"
            changes.add(f"De {what} {be} {verb}.")
    goals_a, goals_b = _by(a.goals, lambda g: g.id), _by(b.goals, lambda g: g.id)
    for gid in sorted(set(goals_a) | set(goals_b)):
        was, now = goals_a.get(gid), goals_b.get(gid)
        if now and not was:
            changes.add(f"Nieuw doel: {em(now.title)}.")
        elif was and not now:
            changes.add(f"Doel {em(was.title)} vervalt.")
        elif was.title != now.title:
            changes.add(f"Doel {em(was.title)} heet nu {em(now.title)}.")
        elif not _same_text(was.description, now.description):
            changes.add(f"De uitleg bij doel {em(now.title)} is aangepast.")


def compare_organisation(old: Region, new: Region, changes: Changes) -> None:
    a = _by(old.organisation.bodies if old.organisation else [], lambda x: x.id)
    b = _by(new.organisation.bodies if new.organisation else [], lambda x: x.id)
    for bid in sorted(set(a) | set(b)):
        was, now = a.get(bid), b.get(bid)
        if now and not was:
            changes.add(f"Nieuw orgaan {em(now.name)} ({label(now.kind, 'body_kind')}, "
                        f"rol: {label(now.role, 'role')}).")
            continue
        if was and not now:
            changes.add(f"Orgaan {em(was.name)} vervalt.", weakens=was.kind == "raadsadviescommissie")
            continue
        name = em(now.name)
        if was.name != now.name:
            changes.add(f"Orgaan {em(was.name)} heet nu {name}.")
        if was.kind != now.kind:
            changes.add(f"Orgaan {name} is nu een {label(now.kind, 'body_kind')} "
                        f"(was: {label(was.kind, 'body_kind')}).")
        if was.role != now.role:
            changes.add(f"Orgaan {name}: rol nu {label(now.role, 'role')} (was: {label(was.role, 'role')}).")
        if was.voting != now.voting:
            changes.add(f"Orgaan {name} stemt nu: {label(now.voting, 'voting') or 'niet vastgelegd'} "
                        f"(was: {label(was.voting, 'voting') or 'niet vastgelegd'}).")
        if was.reports_to != now.reports_to:
            changes.add(f"Orgaan {name} legt nu verantwoording af aan {body(new, now.reports_to)} "
                        f"(was: {body(old, was.reports_to, article=False)}).")
        if not _same_text(was.composition, now.composition):
            changes.add(f"De samenstelling van {name} is aangepast.")
        if was.meets != now.meets:
            changes.add(f"Orgaan {name} vergadert nu: {text(now.meets or 'niet vastgelegd')} "
                        f"(was: {text(was.meets or 'niet vastgelegd')}).")
        compare_positions(was, now, changes)


def compare_positions(was: schema.Body, now: schema.Body, changes: Changes) -> None:
    a, b = _by(was.positions, lambda p: p.id), _by(now.positions, lambda p: p.id)
    where = em(now.name)
    for pid in sorted(set(a) | set(b)):
        old, new = a.get(pid), b.get(pid)
        if new and not old:
            changes.add(f"Nieuwe positie {em(new.title)} in {where}.")
        if old and not new:
            changes.add(f"Positie {em(old.title)} in {where} vervalt.")
        if not (old and new):
            continue
        title = em(new.title)
        if old.title != new.title:
            changes.add(f"Positie {em(old.title)} in {where} heet nu {title}.")
        before = _by(old.holders, lambda h: (h.name, h.since))
        after = _by(new.holders, lambda h: (h.name, h.since))
        for key in sorted(set(before) | set(after), key=lambda k: (k[1], k[0])):
            h0, h1 = before.get(key), after.get(key)
            if h1 and not h0:
                until = f" tot en met {date(h1.until)}" if h1.until else ""
                changes.add(f"{text(h1.name)} is {title} van {where} vanaf {date(h1.since)}{until}.")
            elif h0 and not h1:
                changes.add(f"{text(h0.name)} staat niet meer bij {title} van {where}.")
            elif h0.until != h1.until:
                end = f"eindigt nu op {date(h1.until)}" if h1.until else "loopt nu door zonder einddatum"
                changes.add(f"De termijn van {text(h1.name)} als {title} van {where} {end}.")


def compare_decisions(old: Region, new: Region, changes: Changes) -> None:
    da, db = old.decisions or schema.DecisionsFile(), new.decisions or schema.DecisionsFile()
    a, b = _by(da.decisions, lambda d: d.id), _by(db.decisions, lambda d: d.id)
    weight = COUNCIL_ROLE_WEIGHT
    for did in sorted(set(a) | set(b)):
        was, now = a.get(did), b.get(did)
        if now and not was:
            changes.add(f"Nieuw besluit {em(now.topic)}: beslist door {body(new, now.decides)}, rol van de raad: "
                        f"{role(now.council_role)}.")
            continue
        if was and not now:
            had_say = was.decides == "raden" or weight[was.council_role] >= weight["zienswijze"]
            why = f" (de raad had hier: {role(was.council_role)})" if had_say else ""
            changes.add(f"Besluit {em(was.topic)} vervalt{why}.", weakens=had_say)
            continue
        topic = em(now.topic)
        if was.topic != now.topic:
            changes.add(f"Besluit {em(was.topic)} heet nu {topic}.")
        if was.decides != now.decides:
            changes.add(f"Besluit {topic}: beslist nu door {body(new, now.decides)} "
                        f"(was: {body(old, was.decides, article=False)}).",
                        weakens=was.decides == "raden")
        if was.council_role != now.council_role:
            changes.add(f"Besluit {topic}: rol van de raad nu {role(now.council_role)} "
                        f"(was: {role(was.council_role)}).",
                        weakens=weight[now.council_role] < weight[was.council_role])
        if was.prepares != now.prepares:
            changes.add(f"Besluit {topic}: wordt nu voorbereid door {body(new, now.prepares)} "
                        f"(was: {body(old, was.prepares, article=False)}).")
        for key, verb in (("consults", "raadpleegt"), ("informs", "informeert")):
            before, after = getattr(was, key), getattr(now, key)
            added = [r for r in after if r not in before]
            removed = [r for r in before if r not in after]
            if added:
                changes.add(f"Besluit {topic}: {verb} nu ook {bodies(new, added)}.")
            if removed:
                changes.add(f"Besluit {topic}: {verb} niet meer {bodies(old, removed)}.",
                            weakens=key == "informs" and "raden" in removed)
        if was.voting != now.voting:
            changes.add(f"Besluit {topic}: stemming nu {label(now.voting, 'voting') or 'niet vastgelegd'} "
                        f"(was: {label(was.voting, 'voting') or 'niet vastgelegd'}).")
        if _dump(was.basis) != _dump(now.basis):
            basis = (f"artikel {text(now.basis.article)} van {text(now.basis.agreement)}" if now.basis
                     else "niet vastgelegd")
            changes.add(f"Besluit {topic}: mandaat nu in {basis}.")
        if was.when != now.when:
            changes.add(f"Besluit {topic}: moment nu {text(now.when or 'niet vastgelegd')} "
                        f"(was: {text(was.when or 'niet vastgelegd')}).")
        if not _same_text(was.description, now.description):
            changes.add(f"De toelichting bij besluit {topic} is aangepast.")
    steps_a, steps_b = [_dump(s) for s in da.escalation], [_dump(s) for s in db.escalation]
    if steps_a != steps_b:
        if not steps_b:
            changes.add("De escalatieladder is verwijderd.")
        elif not steps_a:
            changes.add(f"Er is nu een escalatieladder met {plural(len(steps_b), 'stap', 'stappen')}.")
        else:
            changes.add(f"De escalatieladder is aangepast (nu {plural(len(steps_b), 'stap', 'stappen')}, "
                        f"was {len(steps_a)}).")


def compare_accountability(old: Region, new: Region, changes: Changes) -> None:
    aa = old.accountability or schema.AccountabilityFile()
    ab = new.accountability or schema.AccountabilityFile()
    a, b = _by(aa.information, lambda i: i.instrument), _by(ab.information, lambda i: i.instrument)
    for key in sorted(set(a) | set(b)):
        was, now = a.get(key), b.get(key)
        if now and not was:
            changes.add(f"Nieuwe informatie voor {bodies(new, now.to)}: {em(now.instrument)}.")
        elif was and not now:
            changes.add(f"{em(was.instrument)} vervalt (was voor {bodies(old, was.to)}).", weakens="raden" in was.to)
        elif _dump(was) != _dump(now):
            lost = "raden" in was.to and "raden" not in now.to
            changes.add(f"{em(now.instrument)} is aangepast" + (": de raden krijgen deze informatie niet meer."
                                                                  if lost else "."), weakens=lost)
    a = _by(aa.council_instruments, lambda i: (i.kind, i.subject))
    b = _by(ab.council_instruments, lambda i: (i.kind, i.subject))
    for key in sorted(set(a) | set(b)):
        was, now = a.get(key), b.get(key)
        what = f"{label(key[0], 'instrument')} over {em(key[1])}"
        if now and not was:
            term = f", termijn {now.term_days} dagen" if now.term_days else ""
            changes.add(f"Nieuw instrument van de raad: {what}{term}.")
        elif was and not now:
            changes.add(f"Instrument van de raad vervalt: {what}.", weakens=True)
        else:
            if was.term_days != now.term_days:
                if now.term_days is None:
                    changes.add(f"{what[0].upper() + what[1:]}: geen termijn meer (was: {was.term_days} dagen).",
                                weakens=True)
                else:
                    was_text = f"{was.term_days} dagen" if was.term_days is not None else "geen termijn"
                    shorter = was.term_days is not None and now.term_days < was.term_days
                    changes.add(f"{what[0].upper() + what[1:]}: termijn nu {now.term_days} dagen (was: {was_text}).",
                                weakens=shorter)
            if not _same_text(was.description, now.description):
                changes.add(f"De toelichting bij {what} is aangepast.")
    a, b = _by(aa.planning_cycle, lambda p: p.document), _by(ab.planning_cycle, lambda p: p.document)
    for key in sorted(set(a) | set(b)):
        was, now = a.get(key), b.get(key)
        if now and not was:
            changes.add(f"Nieuw in de planning: {em(key)}, jaarlijks vóór {annual(now.by)}.")
        elif was and not now:
            changes.add(f"{em(key)} staat niet meer in de planning.")
        elif was.by != now.by:
            changes.add(f"{em(key)}: uiterste datum nu {annual(now.by)} (was: {annual(was.by)}).")
        elif was.to != now.to:
            changes.add(f"{em(key)} gaat nu naar {bodies(new, now.to)} (was: {bodies(old, was.to)}).")
    compare_evaluation(aa.evaluation, ab.evaluation, changes)
    for key, what in (("entry", "toetreding"), ("liability", "aansprakelijkheid")):
        was, now = getattr(aa, key), getattr(ab, key)
        if not _same_text(was, now):
            changes.add(f"De regels voor {what} zijn " + ("toegevoegd." if not was else "verwijderd." if not now
                                                         else "aangepast."))
    if _dump(aa.exit) != _dump(ab.exit):
        before, after = aa.exit or schema.Exit(), ab.exit or schema.Exit()
        if before.notice_months != after.notice_months:
            changes.add(f"Opzegtermijn bij uittreding nu {after.notice_months or 'niet vastgelegd'} maanden "
                        f"(was: {before.notice_months or 'niet vastgelegd'}).")
        if not (_same_text(before.conditions, after.conditions) and _same_text(before.costs, after.costs)):
            changes.add("De regels voor uittreding zijn aangepast.")


def compare_evaluation(was: schema.Evaluation | None, now: schema.Evaluation | None, changes: Changes) -> None:
    if was is None and now is None:
        return
    if now is None:
        changes.add("De evaluatie van de samenwerking is verwijderd.", weakens=True)
        return
    if was is None:
        nxt = f", de volgende op {date(now.next)}" if now.next else ""
        changes.add(f"Er is nu een evaluatie van de samenwerking afgesproken{nxt}.")
        return
    if was.next != now.next:
        if now.next is None:
            changes.add(f"Er staat geen datum meer voor de volgende evaluatie (was: {date(was.next)}).", weakens=True)
        elif was.next is None:
            changes.add(f"Volgende evaluatie op {date(now.next)}.")
        else:
            changes.add(f"Volgende evaluatie nu op {date(now.next)} (was: {date(was.next)}).")
    if was.every_years != now.every_years:
        changes.add(f"Evaluatie nu elke {now.every_years or '?'} jaar (was: elke {was.every_years or '?'} jaar).")
    if _dump(was.last) != _dump(now.last) and now.last:
        changes.add(f"Laatste evaluatie: {date(now.last.date)}.")


def compare_finance(old: Region, new: Region, changes: Changes) -> None:
    fa, fb = old.finance or schema.FinanceFile(), new.finance or schema.FinanceFile()
    key_a = fa.allocation.key if fa.allocation else None
    key_b = fb.allocation.key if fb.allocation else None
    if key_a != key_b:
        changes.add(f"Verdeelsleutel nu {label(key_b, 'allocation') or 'niet vastgelegd'} "
                    f"(was: {label(key_a, 'allocation') or 'niet vastgelegd'}).")
    elif fa.allocation and fb.allocation and not _same_text(fa.allocation.description, fb.allocation.description):
        changes.add("De uitleg van de verdeelsleutel is aangepast.")
    a, b = _by(fa.contributions, lambda c: c.year), _by(fb.contributions, lambda c: c.year)
    for year in sorted(set(a) | set(b)):
        was, now = a.get(year), b.get(year)
        if now and not was:
            changes.add(f"Bijdragen voor {year} toegevoegd (begroting {euro(now.budget)}).")
            continue
        if was and not now:
            changes.add(f"De bijdragen voor {year} zijn verwijderd.")
            continue
        if was.budget != now.budget:
            changes.add(f"Begroting {year}: {euro(now.budget)} (was: {euro(was.budget)}).")
        sa, sb = _by(was.shares, lambda s: s.municipality), _by(now.shares, lambda s: s.municipality)
        for code in sorted(set(sa) | set(sb), key=lambda c: (new.municipalities.name(c), c)):
            s0, s1 = sa.get(code), sb.get(code)
            name = text(new.municipalities.name(code))
            if s1 and not s0:
                changes.add(f"Bijdrage {name} in {year}: {euro(s1.amount)} (nieuw).")
            elif s0 and not s1:
                changes.add(f"Bijdrage {name} in {year} is verwijderd (was: {euro(s0.amount)}).")
            elif s0.amount != s1.amount:
                changes.add(f"Bijdrage {name} in {year}: {euro(s1.amount)} (was: {euro(s0.amount)}).")
            elif s0.percentage != s1.percentage:
                changes.add(f"Aandeel {name} in {year}: {s1.percentage}% (was: {s0.percentage}%).")


def compare_progress(old: Region, new: Region, changes: Changes) -> None:
    pa, pb = old.progress or schema.ProgressFile(), new.progress or schema.ProgressFile()
    a, b = _by(pa.indicators, lambda i: i.id), _by(pb.indicators, lambda i: i.id)
    for key in sorted(set(a) | set(b)):
        was, now = a.get(key), b.get(key)
        if now and not was:
            changes.add(f"Nieuwe indicator: {em(now.title)}.")
        elif was and not now:
            changes.add(f"Indicator {em(was.title)} vervalt.")
        else:
            if was.target != now.target:
                changes.add(f"Indicator {em(now.title)}: streefwaarde nu {now.target} (was: {was.target}).")
            seen = {(m.date, m.value) for m in was.measurements}
            added = [m for m in now.measurements if (m.date, m.value) not in seen]
            if added:
                latest = max(added, key=lambda m: m.date)
                changes.add(f"Indicator {em(now.title)}: {plural(len(added), 'nieuwe meting', 'nieuwe metingen')}, "
                            f"laatste {latest.value:g} {text(now.unit or '')}".rstrip() + f" op {date(latest.date)}.")
    seen = {_key(u) for u in pa.updates}
    goals = {g.id: g.title for g in (new.data.vision.goals if new.data.vision else [])}
    for update in pb.updates:
        if _key(update) not in seen:
            changes.add(f"Nieuwe voortgangsmelding over doel {em(goals.get(update.goal, update.goal))} "
                        f"({label(update.status, 'status')}, {date(update.date)}).")


def _key(update: schema.ProgressUpdate) -> tuple:
    return (update.date, update.goal, update.status, " ".join(update.text.split()))


def compare_reflection(old: Region, new: Region, changes: Changes) -> None:
    ra, rb = old.reflection or schema.ReflectionFile(), new.reflection or schema.ReflectionFile()
    if ra.discussed != rb.discussed:
        changes.add(f"De regio reflecteerde samen op {date(rb.discussed)}" +
                    (f" (was: {date(ra.discussed)})." if ra.discussed else ".") if rb.discussed
                    else "De datum van de laatste reflectie is verwijderd.")
    a, b = _by(ra.balances, lambda x: x.act), _by(rb.balances, lambda x: x.act)
    for act in sorted(set(a) | set(b)):
        was, now = a.get(act), b.get(act)
        p0, p1 = (was.position if was else None), (now.position if now else None)
        if p0 != p1:
            changes.add(f"Balans {em(act)}: positie nu {p1 or 'niet ingevuld'} (was: {p0 or 'niet ingevuld'}).")
    if [_dump(q) for q in ra.questions] != [_dump(q) for q in rb.questions]:
        changes.add("De vragen en antwoorden van de reflectie zijn aangepast.")


def _articles(version: schema.Version | None) -> dict[str, tuple[str, str]]:
    if version is None:
        return {}
    return {a.number: (a.title or "", " ".join(a.text.split())) for a in version.articles}


def article_changes(before: schema.Version | None, after: schema.Version) -> str:
    a, b = _articles(before), _articles(after)
    changed = sum(1 for n in a.keys() & b.keys() if a[n] != b[n])
    added, removed = len(b.keys() - a.keys()), len(a.keys() - b.keys())
    parts = []
    if changed:
        parts.append(plural(changed, "artikel gewijzigd", "artikelen gewijzigd"))
    if added:
        parts.append(plural(added, "artikel nieuw", "artikelen nieuw"))
    if removed:
        parts.append(plural(removed, "artikel vervallen", "artikelen vervallen"))
    return ", ".join(parts) if parts else "artikelen ongewijzigd"


def compare_agreements(old: Region, new: Region, changes: Changes) -> None:
    a, b = _by(old.agreements, lambda x: x.id), _by(new.agreements, lambda x: x.id)
    for aid in sorted(set(a) | set(b)):
        was, now = a.get(aid), b.get(aid)
        if now and not was:
            first = now.versions[0]
            changes.add(f"Nieuwe afspraak {em(now.title)} ({label(now.kind, 'agreement_kind')}), versie "
                        f"{text(first.version)}, in werking {date(first.effective)}.")
            continue
        if was and not now:
            changes.add(f"Afspraak {em(was.title)} is verwijderd.")
            continue
        title = em(now.title)
        if was.title != now.title:
            changes.add(f"Afspraak {em(was.title)} heet nu {title}.")
        if was.kind != now.kind:
            changes.add(f"Afspraak {title} is nu een {label(now.kind, 'agreement_kind')} "
                        f"(was: {label(was.kind, 'agreement_kind')}).")
        if was.parties != now.parties:
            changes.add(f"De partijen bij {title} zijn gewijzigd.")
        if was.ends != now.ends:
            changes.add(f"Afspraak {title} vervalt per {date(now.ends)}" +
                        (f" (was: per {date(was.ends)})." if was.ends else ".") if now.ends
                        else f"Afspraak {title} vervalt niet meer (was: per {date(was.ends)}).")
        va = _by(was.versions, lambda v: v.version)
        ordered = now.versions
        for index, version in enumerate(ordered):
            before = va.get(version.version)
            if before is None:
                previous = ordered[index - 1] if index else None
                changes.add(f"Nieuwe versie {text(version.version)} van {title}, in werking "
                            f"{date(version.effective)}; {article_changes(previous, version)}.")
                continue
            if before.effective != version.effective:
                changes.add(f"Versie {text(version.version)} van {title}: in werking {date(version.effective)} "
                            f"(was: {date(before.effective)}).")
            if _articles(before) != _articles(version):
                changes.add(f"Versie {text(version.version)} van {title} is aangepast: "
                            f"{article_changes(before, version)}.")
            elif _dump(before.model_copy(update={"effective": version.effective})) != _dump(version):
                changes.add(f"De gegevens van versie {text(version.version)} van {title} zijn aangepast.")
        for version in was.versions:
            if version.version not in {v.version for v in ordered}:
                changes.add(f"Versie {text(version.version)} van {title} is verwijderd.")


TOPICS: list[tuple[str, Callable[[Region, Region, Changes], None], Callable[[Region], Any]]] = [
    ("region.yaml", compare_region, lambda r: _dump(r.data)),
    ("organisation.yaml", compare_organisation, lambda r: _dump(r.organisation)),
    ("decisions.yaml", compare_decisions, lambda r: _dump(r.decisions)),
    ("accountability.yaml", compare_accountability, lambda r: _dump(r.accountability)),
    ("finance.yaml", compare_finance, lambda r: _dump(r.finance)),
    ("progress.yaml", compare_progress, lambda r: _dump(r.progress)),
    ("reflection.yaml", compare_reflection, lambda r: _dump(r.reflection)),
    ("agreements/", compare_agreements, lambda r: [_dump(x) for x in r.agreements]),
]


def compare(old: Region, new: Region) -> Changes:
    changes = Changes()
    for file, comparer, data in TOPICS:
        before = len(changes)
        comparer(old, new, changes)
        if len(changes) == before and data(old) != data(new):  # nothing is ever changed silently
            changes.add(f"Overige wijzigingen in {file}; bekijk de bestanden.")
    return changes


# --- reading revisions ---------------------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=True)
    except FileNotFoundError:
        raise DiffError("git is niet geïnstalleerd; 'govsite diff' heeft git nodig.") from None
    except subprocess.CalledProcessError as err:
        message = err.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {' '.join(args)} mislukte: {message[-1] if message else err.returncode}") from None
    return result.stdout.decode("utf-8", "replace")


def _commit(top: Path, rev: str) -> str:
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except DiffError:
        raise DiffError(f"'{rev}' is geen bekende git-versie (branch, tag of commit) in {top}.") from None


def default_base(top: Path) -> str:
    """The merge base of HEAD with the main branch: the state this branch started from."""
    for branch in MAIN_BRANCHES:
        try:
            _commit(top, branch)
        except DiffError:
            continue
        return _git(top, "merge-base", "HEAD", branch).strip()
    raise DiffError("geen main- of master-branch gevonden; geef de basis op: govsite diff BASIS [HEAD]")


# What the loader reads (load_sources, load_region): only these files' contents are ever read here, and
# only up to its size limit; of other entries in a region folder it looks at the name alone.
_REGION_FILES = frozenset({"region.yaml"} | {f"{topic}.yaml" for topic in TOPIC_FILES})
_LINK = "120000"  # git's mode of a symbolic link
_CHUNK = 1 << 16


def _use(parts: tuple[str, ...]) -> str | None:
    """What the loader does with a path in the regions folder: "read" it, look at the "name" of the
    entry only (it reports the file or folder without opening it), or nothing (None)."""
    if not all(parts) or parts[0].startswith("."):
        return None  # hidden files and folders are never looked at
    if len(parts) == 1:
        return "read" if parts[0] == "municipalities.yaml" else None
    if parts[1].startswith("."):
        return None
    if len(parts) == 2:  # every name, also of files it skips: it tells a built site by its index.html
        return "read" if parts[1] in _REGION_FILES else "name"
    if parts[1] == "agreements":
        if parts[2].startswith("."):
            return None
        return "read" if len(parts) == 3 and parts[2].endswith(".yaml") else "name"
    return "name"  # a file in a folder the loader reports by its name


def _followed(parts: tuple[str, ...]) -> bool:
    """Whether the loader opens this place, and so follows a symbolic link there: a region folder, an
    entry of a region folder, a file in agreements/. Such a link is written as it is, for the loader
    to judge (it refuses links out of the regions folder)."""
    if not all(parts) or any(part.startswith(".") for part in parts):
        return False
    return len(parts) <= 2 or (len(parts) == 3 and parts[1] == "agreements")


@dataclass(frozen=True)
class _Entry:
    mode: str
    oid: str
    size: int


def _tree(top: Path, relative: str, commit: str) -> dict[tuple[str, ...], _Entry] | None:
    """The files of the regions folder in a commit, by path inside the folder, with their sizes (git
    gives them without reading the files). None when the folder is not in the commit."""
    prefix = "" if relative == "." else relative + "/"
    if prefix:
        try:
            if _git(top, "cat-file", "-t", f"{commit}:{relative}").strip() != "tree":
                return None
        except DiffError:
            return None  # the folder is not in that commit (yet)
    args = ["ls-tree", "-r", "-l", "-z", commit] + ([] if not prefix else ["--", relative])
    try:
        raw = subprocess.run(["git", "--literal-pathspecs", "-C", str(top), *args], capture_output=True,
                             check=True).stdout  # a folder named like ':(glob)*' is only that folder
    except subprocess.CalledProcessError:
        return None
    entries: dict[tuple[str, ...], _Entry] = {}
    for record in raw.split(b"\0"):
        info, _, name = record.partition(b"\t")
        fields = info.decode("ascii", "replace").split()
        path = os.fsdecode(name)
        if len(fields) != 4 or fields[1] != "blob" or not path.startswith(prefix):
            continue  # a submodule has no files of its own here
        entries[tuple(path[len(prefix):].split("/"))] = _Entry(fields[0], fields[2], int(fields[3]))
    return entries


class _Blobs:
    """File contents from git one at a time (git cat-file --batch), in chunks, never whole in memory."""

    def __init__(self, top: Path):
        self.process = subprocess.Popen(["git", "-C", str(top), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def chunks(self, oid: str) -> Iterator[bytes]:
        self.process.stdin.write(oid.encode("ascii") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise DiffError(f"git kon een bestand uit de versie niet lezen ({oid}).")
        left = int(header[2])
        while left:
            chunk = self.process.stdout.read(min(left, _CHUNK))
            if not chunk:
                raise DiffError(f"git kon een bestand uit de versie niet lezen ({oid}).")
            left -= len(chunk)
            yield chunk
        self.process.stdout.read(1)  # the newline after each file

    def copy(self, oid: str, target: Path) -> str:
        """Write a file's contents to target; their digest."""
        digest = hashlib.blake2b(digest_size=16)
        with open(target, "wb") as out:
            for chunk in self.chunks(oid):
                out.write(chunk)
                digest.update(chunk)
        return digest.hexdigest()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.stdout.close()
        self.process.wait()


def _target(parts: tuple[str, ...], link: str) -> tuple[str, ...] | None:
    """Where a relative symbolic link points, as a path inside the regions folder (None: outside)."""
    if link.startswith("/"):
        return None
    resolved: list[str] = list(parts[:-1])
    for part in link.split("/"):
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
        elif part not in ("", "."):
            resolved.append(part)
    return tuple(resolved)


def _export(top: Path, relative: str, commit: str, target: Path) -> tuple[Path, dict[str, str]] | None:
    """The regions folder as the loader sees it in a commit, written under target, with the digests of
    the files it reads (Snapshot.files); None when the folder is not in the commit.

    Only the files the loader reads get their contents, and only what its size limit lets it read: a
    larger file is written as an empty (sparse) file of its size, which the loader refuses by its size,
    as in a validate. Entries it only names are written empty; files it never looks at, not at all."""
    entries = _tree(top, relative, commit)
    if entries is None:
        return None
    target.mkdir(parents=True)
    files: dict[str, str] = {}
    wanted = {parts: use for parts in entries if (use := _use(parts))}
    blobs = _Blobs(top)
    try:
        links = [parts for parts, entry in entries.items() if entry.mode == _LINK and _followed(parts)]
        seen: set[tuple[str, ...]] = set()
        while links and len(seen) < 1000:  # what a link points to is read through it: write that too
            parts = links.pop()
            if parts in seen or entries[parts].size > 4096:
                continue
            seen.add(parts)
            link = os.fsdecode(b"".join(blobs.chunks(entries[parts].oid)))
            _place(target, parts).symlink_to(link)
            wanted.pop(parts, None)
            if len(parts) == 1 or _use(parts) == "read":
                files["/".join(parts)] = "link " + link
                pointed = _target(parts, link)
                if pointed in entries:
                    wanted[pointed] = "read"
                    if entries[pointed].mode == _LINK:
                        links.append(pointed)
        for parts in entries:
            if len(parts) > 1 and not parts[0].startswith("."):
                (target / parts[0]).mkdir(exist_ok=True)  # a region folder, whatever it holds
        for parts, use in sorted(wanted.items()):
            entry = entries[parts]
            if entry.mode == _LINK:
                continue  # a link the loader does not follow
            if use == "name" and len(parts) > (3 if parts[1] == "agreements" else 2):
                (target.joinpath(*parts[:3 if parts[1] == "agreements" else 2])).mkdir(parents=True, exist_ok=True)
                continue
            path = _place(target, parts)
            if use == "name":
                path.touch()
            elif entry.size > MAX_FILE_BYTES:
                with open(path, "wb") as out:
                    out.truncate(entry.size)
                files["/".join(parts)] = f"size {entry.size}"
            else:
                files["/".join(parts)] = blobs.copy(entry.oid, path)
    finally:
        blobs.close()
    return target, files


def _place(root: Path, parts: tuple[str, ...]) -> Path:
    path = root.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _working_files(root: Path) -> dict[str, str]:
    """The digests of the files the loader reads in a regions folder on disk (as _export's); links are
    not followed and a file over the loader's size limit is not read."""
    files: dict[str, str] = {}

    def add(path: Path, parts: tuple[str, ...]) -> None:
        try:
            info = path.lstat()
        except OSError:
            return
        key = "/".join(parts)
        if stat.S_ISLNK(info.st_mode):
            files[key] = "link " + os.readlink(path)
        elif not stat.S_ISREG(info.st_mode):
            files[key] = "other"
        elif info.st_size > MAX_FILE_BYTES:
            files[key] = f"size {info.st_size}"
        else:
            digest = hashlib.blake2b(digest_size=16)
            try:
                with open(path, "rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
            except OSError:
                return
            files[key] = digest.hexdigest()

    add(root / "municipalities.yaml", ("municipalities.yaml",))
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            if folder.is_symlink() and not folder.name.startswith("."):
                add(folder, (folder.name,))
            continue
        for name in sorted(_REGION_FILES):
            if (folder / name).exists() or (folder / name).is_symlink():
                add(folder / name, (folder.name, name))
        agreements = folder / "agreements"
        if agreements.is_dir() and not agreements.is_symlink():
            for path in sorted(agreements.iterdir()):
                if _use((folder.name, "agreements", path.name)) == "read":
                    add(path, (folder.name, "agreements", path.name))
    return files


@dataclass
class Snapshot:
    label: str
    regions: dict[str, Region]
    broken: list[str]  # region ids with errors (not compared)
    errors: list[Finding]
    files: dict[str, str]  # relative path -> digest of what the loader reads, to notice layout or comment changes


def _snapshot(exported: tuple[Path, dict[str, str]] | None, label: str, shown: str, on: dt.date) -> Snapshot:
    if exported is None:
        return Snapshot(label, {}, [], [], {})
    folder, files = exported
    checked = check(folder, None, on)
    valid = {r.id: r for r in checked.regions}
    broken = sorted(r.id for r in checked.sources.regions if r.id not in valid)
    root = folder.resolve()

    def relocate(finding: Finding) -> Finding:  # temp paths never reach the output
        path = Path(finding.path)
        for base in (folder, root):  # as written first: a link's path, not its target's
            try:
                relative = path.relative_to(base).as_posix()
                break
            except ValueError:
                continue
        else:
            try:
                relative = path.resolve().relative_to(root).as_posix()
            except (ValueError, OSError, RuntimeError):
                return finding
        path = relative if shown == "." else f"{shown}/{relative}" if relative != "." else shown
        return Finding(path, finding.line, finding.col,
                       finding.severity, finding.message)

    errors = [relocate(f) for f in checked.errors]
    return Snapshot(label, valid, broken, errors, files)


def _label(rev: str, commit: str) -> str:
    return summary_code(rev) if commit.startswith(rev) else f"{summary_code(rev)} ({commit[:7]})"


def diff_revisions(regions: Path, base: str | None, head: str | None, on: dt.date) -> str:
    """Markdown describing the governance changes from base to head (None: the working tree)."""
    regions = Path(regions)
    if not regions.is_dir():
        raise DiffError(f"de map met regio's '{regions}' bestaat niet. Geef een map op met --regions PAD.")
    try:
        top = Path(_git(regions, "rev-parse", "--show-toplevel").strip())
    except DiffError:
        raise DiffError(f"de map '{regions}' staat niet in een git-repository; 'govsite diff' vergelijkt "
                        "git-versies.") from None
    relative = regions.resolve().relative_to(top.resolve()).as_posix()
    shown = relative  # paths as the reviewer sees them in the repository, wherever govsite runs
    base_commit = _commit(top, base) if base else default_base(top)
    base_label = _label(base, base_commit) if base else f"het splitspunt met de hoofdbranch ({base_commit[:7]})"
    with tempfile.TemporaryDirectory(prefix="govsite-diff-") as tmp:
        old = _snapshot(_export(top, relative, base_commit, Path(tmp) / "base"), base_label, shown, on)
        if head:
            head_commit = _commit(top, head)
            new = _snapshot(_export(top, relative, head_commit, Path(tmp) / "head"), _label(head, head_commit),
                            shown, on)
        else:
            new = _snapshot((regions, _working_files(regions)), WORKING_TREE, shown, on)
    return report(old, new)


# --- the report ----------------------------------------------------------------------------

def _name(snapshot: Snapshot, rid: str) -> str:
    region = snapshot.regions.get(rid)
    return region.data.name if region else rid


def report(old: Snapshot, new: Snapshot) -> str:
    lines = ["# Wijzigingen in de governance", "", f"Vergeleken: {old.label} met {new.label}.", ""]
    weakening: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    ids = sorted(set(old.regions) | set(new.regions) | set(old.broken) | set(new.broken))
    for rid in ids:
        a, b = old.regions.get(rid), new.regions.get(rid)
        title = text(_name(new, rid) if b else _name(old, rid))
        if rid in new.broken or rid in old.broken:
            which = "de nieuwe versie" if rid in new.broken else "de oude versie"
            sections.append((title, [f"Niet vergeleken: {which} van deze regio bevat fouten (zie hieronder)."]))
        elif b and not a:
            members = len({m.municipality for m in b.data.members if m.until is None})
            sections.append((title, [f"Nieuwe regio: {label(b.data.kind, 'kind')}, "
                                     f"{label(b.data.legal_form, 'legal_form')}, "
                                     f"{plural(members, 'deelnemer', 'deelnemers')}, "
                                     f"{plural(len(b.agreements), 'afspraak', 'afspraken')}."]))
        elif a and not b:
            sections.append((title, ["Deze regio is verwijderd."]))
        else:
            changes = compare(a, b)
            weakening += [f"**{title}**: {sentence}" for sentence in changes.weakening]
            if changes.normal:
                sections.append((title, changes.normal))
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
