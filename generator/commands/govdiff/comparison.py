"""`govsite diff`, the comparison: two models of a region, file by file, into Dutch sentences.

A field whose change reads as one sentence is a row of a table (sentences.py), said by one loop
(Changes.fields); what needs more than one field to say (members' periods, holders of a position,
articles of an agreement, a council's term) is written out here. Changes that give the councils less
say are marked `weakens`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from ...domain import schema
from ...domain.labels import label
from ...domain.model import COUNCIL_ROLE_WEIGHT as WEIGHT, Region
from ...formats import number
from .fields import Changes, dump, pairs, same_data, same_text
from .sentences import (AGREEMENT, ALLOCATION, BALANCE, BODY, CONTRIBUTION, DECISION, EVALUATION, EXIT, GOAL,
                        INDICATOR, INSTRUMENT, MEMBER, PLANNING, POSITION, REGION, RULES, SHARE, VERSION, VISION)
from .words import (annual, bodies, body, date, day_after, domains, em, euro, lower_first, municipality, plural,
                    role, text, upper_first)

# --- file by file --------------------------------------------------------------------------

def compare_region(old: Region, new: Region, changes: Changes) -> None:
    changes.fields(REGION, old.data, new.data, old, new)
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
                changes.fields(MEMBER, was, now, old, new, subject=name)
            elif now:
                follows = any(p.until is not None and day_after(p.until) == since for p in n.values())
                if follows and now.domains:
                    changes.add(f"{name} doet vanaf {date(since)} alleen nog mee voor: {domains(now.domains)}.")
                elif follows:
                    changes.add(f"{name} doet vanaf {date(since)} weer mee voor alle domeinen.")
                else:
                    changes.add(f"{name} treedt opnieuw toe per {date(since)}.")
            else:
                changes.add(f"De deelname van {lower_first(name)} vanaf {date(since)} is verwijderd.")


def compare_vision(old: Region, new: Region, changes: Changes) -> None:
    a, b = old.data.vision or schema.Vision(), new.data.vision or schema.Vision()
    changes.fields(VISION, a, b, old, new)
    changes.each(a.goals, b.goals, lambda g: g.id,
                 added=lambda goal: f"Nieuw doel: {em(goal.title)}.",
                 removed=lambda goal: f"Doel {em(goal.title)} vervalt.",
                 changed=lambda was, now: changes.fields(GOAL, was, now, old, new, subject=em(now.title),
                                                         first_only=True))


def compare_organisation(old: Region, new: Region, changes: Changes) -> None:
    a = old.organisation.bodies if old.organisation else []
    b = new.organisation.bodies if new.organisation else []

    def changed(was: schema.Body, now: schema.Body) -> None:
        changes.fields(BODY, was, now, old, new, subject=em(now.name))
        compare_positions(old, new, was, now, changes)

    changes.each(a, b, lambda x: x.id, changed=changed,
                 added=lambda x: f"Nieuw orgaan {em(x.name)} ({label(x.kind, 'body_kind')}, "
                                 f"rol: {label(x.role, 'role')}).",
                 removed=lambda x: (f"Orgaan {em(x.name)} vervalt.", x.kind == "raadsadviescommissie"))


def compare_positions(old: Region, new: Region, was: schema.Body, now: schema.Body, changes: Changes) -> None:
    where = em(now.name)

    def changed(p0: schema.Position, p1: schema.Position) -> None:
        changes.fields(POSITION, p0, p1, old, new, subject=where)
        title = em(p1.title)
        for _, h0, h1 in pairs(p0.holders, p1.holders, lambda h: (h.name, h.since), lambda k: (k[1], k[0])):
            if h1 and not h0:
                until = f" tot en met {date(h1.until)}" if h1.until else ""
                changes.add(f"{text(h1.name)} is {title} van {where} vanaf {date(h1.since)}{until}.")
            elif h0 and not h1:
                changes.add(f"{text(h0.name)} staat niet meer bij {title} van {where}.")
            elif h0.until != h1.until:
                end = f"eindigt nu op {date(h1.until)}" if h1.until else "loopt nu door zonder einddatum"
                changes.add(f"De termijn van {text(h1.name)} als {title} van {where} {end}.")

    changes.each(was.positions, now.positions, lambda p: p.id, changed=changed,
                 added=lambda p: f"Nieuwe positie {em(p.title)} in {where}.",
                 removed=lambda p: f"Positie {em(p.title)} in {where} vervalt.")


def compare_decisions(old: Region, new: Region, changes: Changes) -> None:
    da, db = old.decisions or schema.DecisionsFile(), new.decisions or schema.DecisionsFile()

    def removed(was: schema.Decision) -> tuple[str, bool]:
        had_say = was.decides == "raden" or WEIGHT[was.council_role] >= WEIGHT["zienswijze"]
        why = f" (de raad had hier: {role(was.council_role)})" if had_say else ""
        return f"Besluit {em(was.topic)} vervalt{why}.", had_say

    changes.each(da.decisions, db.decisions, lambda d: d.id, removed=removed,
                 added=lambda d: f"Nieuw besluit {em(d.topic)}: beslist door {body(new, d.decides)}, rol van de "
                                 f"raad: {role(d.council_role)}.",
                 changed=lambda was, now: changes.fields(DECISION, was, now, old, new, subject=em(now.topic)))
    steps_a, steps_b = [dump(s) for s in da.escalation], [dump(s) for s in db.escalation]
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

    def information(was: schema.Information, now: schema.Information) -> None:
        if not same_data(was, now):
            lost = "raden" in was.to and "raden" not in now.to
            changes.add(f"{em(now.instrument)} is aangepast" + (": de raden krijgen deze informatie niet meer."
                                                                  if lost else "."), weakens=lost)

    changes.each(aa.information, ab.information, lambda i: i.instrument, changed=information,
                 added=lambda i: f"Nieuwe informatie voor {bodies(new, i.to)}: {em(i.instrument)}.",
                 removed=lambda i: (f"{em(i.instrument)} vervalt (was voor {bodies(old, i.to)}).", "raden" in i.to))

    def what(instrument: schema.CouncilInstrument) -> str:
        return f"{label(instrument.kind, 'instrument')} over {em(instrument.subject)}"

    def term(was: schema.CouncilInstrument, now: schema.CouncilInstrument) -> None:
        if was.term_days != now.term_days:
            if now.term_days is None:
                changes.add(f"{upper_first(what(now))}: geen termijn meer (was: {was.term_days} dagen).", weakens=True)
            else:
                was_text = f"{was.term_days} dagen" if was.term_days is not None else "geen termijn"
                shorter = was.term_days is not None and now.term_days < was.term_days
                changes.add(f"{upper_first(what(now))}: termijn nu {now.term_days} dagen (was: {was_text}).",
                            weakens=shorter)
        changes.fields(INSTRUMENT, was, now, old, new, subject=what(now))

    changes.each(aa.council_instruments, ab.council_instruments, lambda i: (i.kind, i.subject), changed=term,
                 added=lambda i: f"Nieuw instrument van de raad: {what(i)}"
                                 + (f", termijn {i.term_days} dagen." if i.term_days else "."),
                 removed=lambda i: (f"Instrument van de raad vervalt: {what(i)}.", True))
    changes.each(aa.planning_cycle, ab.planning_cycle, lambda p: p.document,
                 added=lambda p: f"Nieuw in de planning: {em(p.document)}, jaarlijks vóór {annual(p.by)}.",
                 removed=lambda p: f"{em(p.document)} staat niet meer in de planning.",
                 changed=lambda was, now: changes.fields(PLANNING, was, now, old, new, subject=em(now.document),
                                                         first_only=True))
    def cycle(was: schema.BudgetCycle, now: schema.BudgetCycle) -> None:
        if not same_data(was, now):
            changes.add(f"De data van de begrotingscyclus {now.year} zijn aangepast.")

    changes.each(aa.cycle, ab.cycle, lambda c: c.year, changed=cycle,
                 added=lambda c: f"De data van de begrotingscyclus {c.year} zijn vastgelegd.",
                 removed=lambda c: (f"De data van de begrotingscyclus {c.year} zijn verwijderd.", False))
    compare_evaluation(old, new, aa.evaluation, ab.evaluation, changes)
    changes.fields(RULES, aa, ab, old, new)
    if not same_data(aa.exit, ab.exit):
        before, after = aa.exit or schema.Exit(), ab.exit or schema.Exit()
        changes.fields(EXIT, before, after, old, new)
        if not (same_text(before.conditions, after.conditions) and same_text(before.costs, after.costs)
                and same_text(before.assets, after.assets)):
            changes.add("De regels voor uittreding zijn aangepast.")


def compare_evaluation(old: Region, new: Region, was: schema.Evaluation | None, now: schema.Evaluation | None,
                       changes: Changes) -> None:
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
    changes.fields(EVALUATION, was, now, old, new)
    if not same_data(was.last, now.last) and now.last:
        changes.add(f"Laatste evaluatie: {date(now.last.date)}.")


def compare_finance(old: Region, new: Region, changes: Changes) -> None:
    fa, fb = old.finance or schema.FinanceFile(), new.finance or schema.FinanceFile()
    changes.fields(ALLOCATION, fa, fb, old, new, first_only=True)

    def contribution(was: schema.Contribution, now: schema.Contribution) -> None:
        year = now.year
        changes.fields(CONTRIBUTION, was, now, old, new, subject=str(year))

        def name(share: schema.Share) -> str:
            return text(new.municipalities.name(share.municipality))

        changes.each(was.shares, now.shares, lambda s: s.municipality,
                     added=lambda s: f"Bijdrage {name(s)} in {year}: {euro(s.amount)} (nieuw).",
                     removed=lambda s: f"Bijdrage {name(s)} in {year} is verwijderd (was: {euro(s.amount)}).",
                     changed=lambda s0, s1: changes.fields(SHARE, s0, s1, old, new, subject=f"{name(s1)} in {year}",
                                                           first_only=True),
                     order=lambda c: (new.municipalities.name(c), c))

    changes.each(fa.contributions, fb.contributions, lambda c: c.year, changed=contribution,
                 added=lambda c: f"Bijdragen voor {c.year} toegevoegd (begroting {euro(c.budget)}).",
                 removed=lambda c: f"De bijdragen voor {c.year} zijn verwijderd.")


def compare_progress(old: Region, new: Region, changes: Changes) -> None:
    pa, pb = old.progress or schema.ProgressFile(), new.progress or schema.ProgressFile()

    def indicator(was: schema.Indicator, now: schema.Indicator) -> None:
        changes.fields(INDICATOR, was, now, old, new, subject=em(now.title))
        seen = {(m.date, m.value) for m in was.measurements}
        added = [m for m in now.measurements if (m.date, m.value) not in seen]
        if added:
            latest = max(added, key=lambda m: m.date)
            changes.add(f"Indicator {em(now.title)}: {plural(len(added), 'nieuwe meting', 'nieuwe metingen')}, "
                        f"laatste {number(latest.value)} {text(now.unit or '')}".rstrip()
                        + f" op {date(latest.date)}.")

    changes.each(pa.indicators, pb.indicators, lambda i: i.id, changed=indicator,
                 added=lambda i: f"Nieuwe indicator: {em(i.title)}.",
                 removed=lambda i: f"Indicator {em(i.title)} vervalt.")
    seen = {_key(u) for u in pa.updates}
    goals = {g.id: g.title for g in (new.data.vision.goals if new.data.vision else [])}
    for update in pb.updates:
        if _key(update) not in seen:
            # The update's own status is no longer the goal's (issue 19 item 6): the date says when.
            changes.add(f"Nieuwe voortgangsmelding over doel {em(goals.get(update.goal, update.goal))} "
                        f"({date(update.date)}).")


def _key(update: schema.ProgressUpdate) -> tuple:
    return (update.date, update.goal, update.status, " ".join(update.text.split()))


def compare_reflection(old: Region, new: Region, changes: Changes) -> None:
    ra, rb = old.reflection or schema.ReflectionFile(), new.reflection or schema.ReflectionFile()
    if ra.discussed != rb.discussed:
        changes.add(f"De regio reflecteerde samen op {date(rb.discussed)}" +
                    (f" (was: {date(ra.discussed)})." if ra.discussed else ".") if rb.discussed
                    else "De datum van de laatste reflectie is verwijderd.")
    for act, was, now in pairs(ra.balances, rb.balances, lambda x: x.act):
        changes.fields(BALANCE, was, now, old, new, subject=em(act))
    if [dump(q) for q in ra.questions] != [dump(q) for q in rb.questions]:
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
    def changed(was: schema.AgreementFile, now: schema.AgreementFile) -> None:
        title = em(now.title)
        changes.fields(AGREEMENT, was, now, old, new, subject=title)
        if was.ends != now.ends:
            changes.add(f"Afspraak {title} vervalt per {date(now.ends)}" +
                        (f" (was: per {date(was.ends)})." if was.ends else ".") if now.ends
                        else f"Afspraak {title} vervalt niet meer (was: per {date(was.ends)}).")
        va = {v.version: v for v in was.versions}
        ordered = now.versions
        for index, version in enumerate(ordered):
            before = va.get(version.version)
            if before is None:
                previous = ordered[index - 1] if index else None
                changes.add(f"Nieuwe versie {text(version.version)} van {title}, in werking "
                            f"{date(version.effective)}; {article_changes(previous, version)}.")
                continue
            changes.fields(VERSION, before, version, old, new, subject=f"{text(version.version)} van {title}")
            if _articles(before) != _articles(version):
                changes.add(f"Versie {text(version.version)} van {title} is aangepast: "
                            f"{article_changes(before, version)}.")
            elif dump(before.model_copy(update={"effective": version.effective})) != dump(version):
                changes.add(f"De gegevens van versie {text(version.version)} van {title} zijn aangepast.")
        for version in was.versions:
            if version.version not in {v.version for v in ordered}:
                changes.add(f"Versie {text(version.version)} van {title} is verwijderd.")

    def added(now: schema.AgreementFile) -> str:
        first = now.versions[0]
        return (f"Nieuwe afspraak {em(now.title)} ({label(now.kind, 'agreement_kind')}), versie "
                f"{text(first.version)}, in werking {date(first.effective)}.")

    changes.each(old.agreements, new.agreements, lambda x: x.id, added=added, changed=changed,
                 removed=lambda x: f"Afspraak {em(x.title)} is verwijderd.")


TOPICS: list[tuple[str, Callable[[Region, Region, Changes], None], Callable[[Region], Any]]] = [
    ("region.yaml", compare_region, lambda r: dump(r.data)),
    ("organisation.yaml", compare_organisation, lambda r: dump(r.organisation)),
    ("decisions.yaml", compare_decisions, lambda r: dump(r.decisions)),
    ("accountability.yaml", compare_accountability, lambda r: dump(r.accountability)),
    ("finance.yaml", compare_finance, lambda r: dump(r.finance)),
    ("progress.yaml", compare_progress, lambda r: dump(r.progress)),
    ("reflection.yaml", compare_reflection, lambda r: dump(r.reflection)),
    ("agreements/", compare_agreements, lambda r: [dump(x) for x in r.agreements]),
]


def compare(old: Region, new: Region) -> Changes:
    changes = Changes()
    for file, comparer, data in TOPICS:
        before = len(changes)
        comparer(old, new, changes)
        if len(changes) == before and data(old) != data(new):  # nothing is ever changed silently
            changes.add(f"Overige wijzigingen in {file}; bekijk de bestanden.")
    return changes
