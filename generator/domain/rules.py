"""The rules between fields and files, each a named function in the registry (registry.py).

Names are the data format's words (Dutch), one per rule; the messages say what is wrong and what to
write instead.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..formats import number
from . import agenda, schema
from .load import Document
from .model import version_in_force
from .norms import is_regeling, zienswijze_weeks
from .registry import Check, rule
from .vocabulary import WGR_FORMS


def _overlap(a_since, a_until, b_since, b_until) -> bool:
    far = dt.date.max
    return a_since <= (b_until or far) and b_since <= (a_until or far)


BODIES_WHERE = "organisation.yaml (of raden, colleges, burgemeesters, gedeputeerde-staten)"


# --- municipalities.yaml --------------------------------------------------------------------

@rule("gemeentecode-uniek", "municipalities")
def _unique_codes(c: Check, doc: Document, parsed: schema.MunicipalitiesFile) -> None:
    c.unique(doc, [(("municipalities", i, "code"), m.code) for i, m in enumerate(parsed.municipalities)],
             "gemeentecode")


@rule("opvolger", "municipalities")
def _successor(c: Check, doc: Document, parsed: schema.MunicipalitiesFile) -> None:
    codes = [m.code for m in parsed.municipalities]
    for i, m in enumerate(parsed.municipalities):
        loc = ("municipalities", i)
        if m.succeeded_by is not None:
            if m.ended is None:
                c.error(doc, loc + ("succeeded_by",), "'succeeded_by' hoort bij een gemeente die niet "
                                                      "meer bestaat: voeg ook 'ended: <datum>' toe.")
            if m.succeeded_by == m.code:
                c.error(doc, loc + ("succeeded_by",), "een gemeente kan niet haar eigen opvolger zijn.")
            else:
                c.reference(doc, loc + ("succeeded_by",), m.succeeded_by, codes, "opvolger",
                            "municipalities.yaml")


# --- region.yaml ----------------------------------------------------------------------------

@rule("mapnaam-gereserveerd", "region", typed=False)
def _reserved_folder(c: Check, doc: Document, parsed: None) -> None:
    # the build would write the portal's own files over the region's, or the region's over them
    if c.files is not None and c.files.id in c.reserved:
        c.error(doc, ("id",), (
            f"de mapnaam '{c.files.id}' is gereserveerd: het portaal gebruikt deze namen zelf op het hoogste "
            f"niveau van de site: {', '.join(sorted(c.reserved))}. Kies een andere mapnaam, bijvoorbeeld "
            f"'{c.files.id}-regio', en zet dezelfde naam bij 'id'."))


@rule("regio-id-is-mapnaam", "region")
def _region_id(c: Check, doc: Document, region: schema.RegionFile) -> None:
    if region.id != c.files.id:
        c.error(doc, ("id",), f"de id '{region.id}' moet gelijk zijn aan de mapnaam '{c.files.id}'.")


@rule("deelname-periode", "region")
def _member_periods(c: Check, doc: Document, region: schema.RegionFile) -> None:
    for i, member in enumerate(region.members):
        c.periods(doc, ("members", i), member.since, member.until)


@rule("deelnemer-bestaat", "region")
def _member_exists(c: Check, doc: Document, region: schema.RegionFile) -> None:
    for i, member in enumerate(region.members):
        loc = ("members", i)
        found = c.municipality(doc, loc + ("municipality",), member.municipality)
        if found is not None and found.ended is not None:
            if member.since >= found.ended:
                c.error(doc, loc + ("since",),
                        f"gemeente {found.name} bestond op {member.since.isoformat()} niet meer "
                        f"(opgeheven per {found.ended.isoformat()}).")
            elif member.until is None or member.until >= found.ended:
                last = (found.ended - dt.timedelta(days=1)).isoformat()
                c.error(doc, loc, f"gemeente {found.name} is opgeheven per {found.ended.isoformat()}; "
                                  f"zet 'until: {last}' en neem de opvolger op als nieuwe deelnemer.")


@rule("deelname-domeinen", "region")
def _member_domains(c: Check, doc: Document, region: schema.RegionFile) -> None:
    for i, member in enumerate(region.members):
        for j, domain in enumerate(member.domains or []):
            if domain not in region.domains:
                c.error(doc, ("members", i, "domains", j),
                        f"domein '{domain}' hoort niet bij de regio (domains: {', '.join(region.domains)}). "
                        "Een deelnemer kan alleen meedoen in domeinen van de regio.")


def _members_by_code(region: schema.RegionFile) -> dict[str, list[int]]:
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, member in enumerate(region.members):
        by_code[member.municipality].append(i)
    return by_code


@rule("minstens-twee-gemeenten", "region")
def _two_members(c: Check, doc: Document, region: schema.RegionFile) -> None:
    if len(_members_by_code(region)) < 2:
        c.error(doc, ("members",), "een regionale samenwerking heeft minstens twee verschillende "
                                   "gemeenten als deelnemer.")


@rule("deelname-eenmaal-tegelijk", "region")
def _member_once(c: Check, doc: Document, region: schema.RegionFile) -> None:
    for code, indexes in _members_by_code(region).items():
        for a, i in enumerate(indexes):
            for j in indexes[a + 1:]:
                m, n = region.members[i], region.members[j]
                if _overlap(m.since, m.until, n.since, n.until):
                    c.error(doc, ("members", j),
                            f"gemeente {code} is in deze periode al deelnemer (regel "
                            f"{doc.pos(('members', i))[0]}). Een gemeente is op elke datum hoogstens "
                            "één keer deelnemer; laat de eerste periode eindigen met 'until' vóór de "
                            "tweede begint.")


@rule("doel-uniek", "region")
def _unique_goals(c: Check, doc: Document, region: schema.RegionFile) -> None:
    if region.vision:
        c.unique(doc, [(("vision", "goals", i, "id"), g.id) for i, g in enumerate(region.vision.goals)], "doel")


@rule("aanspreekpunt-positie", "region")
def _contact_position(c: Check, doc: Document, region: schema.RegionFile) -> None:
    if not region.contact.position:
        return
    organisation = c.region.topics.get("organisation")
    if organisation is None:
        c.error(doc, ("contact", "position"),
                "er is geen organisation.yaml, dus 'position' kan nergens naar verwijzen. "
                "Gebruik 'title' voor het aanspreekpunt, of voeg organisation.yaml toe.")
    else:
        positions = [p.id for b in organisation.bodies for p in b.positions]
        c.reference(doc, ("contact", "position"), region.contact.position, positions, "positie",
                    "organisation.yaml")


@rule("oprichtingsafspraak", "region")
def _founding_agreement(c: Check, doc: Document, region: schema.RegionFile) -> None:
    if region.founding_agreement:
        c.reference(doc, ("founding_agreement",), region.founding_agreement,
                    [a.id for a in c.region.agreements], "afspraak", "agreements/")


@rule("vorm-en-oprichtingsafspraak", "region")
def _legal_form_and_founding(c: Check, doc: Document, region: schema.RegionFile) -> None:
    """A Wgr form rests on a gemeenschappelijke regeling (art. 1 and 8 Wgr); a convenant or a network does not."""
    form, basis = region.legal_form, region.legal_basis
    if basis is not None and form != "centrumgemeente":
        c.error(doc, ("legal_basis",), f"'legal_basis' hoort alleen bij een centrumgemeente; deze regio is een "
                                       f"{form}. Haal 'legal_basis' weg.")
    founding = next((a for a in c.region.agreements if a.id == region.founding_agreement), None)
    if founding is None:
        return  # no founding agreement, or an unknown one (rule oprichtingsafspraak)
    regeling = is_regeling(form, basis)
    outside_wgr = form not in WGR_FORMS or basis == "convenant"
    if regeling and founding.kind != "gemeenschappelijke-regeling":
        c.error(doc, ("legal_form",),
                f"een {form} is een vorm van de Wet gemeenschappelijke regelingen (art. 1 en 8 Wgr) en rust op een "
                f"gemeenschappelijke regeling, maar de oprichtingsafspraak '{founding.id}' is een {founding.kind}. "
                "Noem bij 'founding_agreement' de gemeenschappelijke regeling, of kies de vorm die bij de "
                "afspraak past (bijvoorbeeld convenant).")
    elif outside_wgr and founding.kind == "gemeenschappelijke-regeling":
        what = "een centrumgemeente op een convenant" if form == "centrumgemeente" else f"een {form}"
        c.error(doc, ("legal_form",),
                f"de oprichtingsafspraak '{founding.id}' is een gemeenschappelijke regeling, maar {what} is geen "
                "vorm van de Wet gemeenschappelijke regelingen. Kies de vorm uit de regeling (bijvoorbeeld "
                "openbaar-lichaam of bedrijfsvoeringsorganisatie"
                + (", of 'legal_basis: wgr'" if form == "centrumgemeente" else "") + ").")


@rule("deelnemende-organen", "region")
def _member_bodies(c: Check, doc: Document, region: schema.RegionFile) -> None:
    for i, member in enumerate(region.members):
        seen: set[str] = set()
        for j, body in enumerate(member.bodies or []):
            if body in seen:
                c.error(doc, ("members", i, "bodies", j), f"'{body}' staat twee keer in de lijst; noem elk "
                                                          "bestuursorgaan één keer.")
            seen.add(body)


# --- organisation.yaml ----------------------------------------------------------------------

@rule("orgaan-uniek", "organisation")
def _unique_bodies(c: Check, doc: Document, org: schema.OrganisationFile) -> None:
    c.unique(doc, [(("bodies", i, "id"), b.id) for i, b in enumerate(org.bodies)], "orgaan")


@rule("orgaan-id-gereserveerd", "organisation")
def _reserved_body(c: Check, doc: Document, org: schema.OrganisationFile) -> None:
    for i, body in enumerate(org.bodies):
        if body.id in schema.COLLECTIVE_BODIES:
            c.error(doc, ("bodies", i, "id"), f"'{body.id}' is gereserveerd voor "
                                              f"{schema.COLLECTIVE_BODIES[body.id]}; kies een andere id.")


@rule("rapporteert-aan", "organisation")
def _reports_to(c: Check, doc: Document, org: schema.OrganisationFile) -> None:
    bodies = c.bodies()
    for i, body in enumerate(org.bodies):
        if body.reports_to == body.id:
            c.error(doc, ("bodies", i, "reports_to"), "een orgaan kan niet aan zichzelf rapporteren.")
        else:
            c.reference(doc, ("bodies", i, "reports_to"), body.reports_to, bodies, "orgaan", "organisation.yaml")


@rule("termijnen", "organisation")
def _terms(c: Check, doc: Document, org: schema.OrganisationFile) -> None:
    for i, body in enumerate(org.bodies):
        for j, position in enumerate(body.positions):
            holders = position.holders
            for k, holder in enumerate(holders):
                loc = ("bodies", i, "positions", j, "holders", k)
                c.periods(doc, loc, holder.since, holder.until)
                if holder.municipality:
                    c.municipality(doc, loc + ("municipality",), holder.municipality)
                for m in range(k):
                    other = holders[m]
                    if _overlap(other.since, other.until, holder.since, holder.until):
                        c.error(doc, loc, f"de termijn van {holder.name} overlapt met die van {other.name} "
                                          f"in dezelfde positie. Laat de ene termijn eindigen ('until') "
                                          "voordat de andere begint.")


@rule("positie-uniek", "organisation")
def _unique_positions(c: Check, doc: Document, org: schema.OrganisationFile) -> None:
    c.unique(doc, [(("bodies", i, "positions", j, "id"), position.id)
                   for i, body in enumerate(org.bodies) for j, position in enumerate(body.positions)], "positie")


ADVIESCOMMISSIE = "gemeenschappelijke-adviescommissie"


def _adviescommissie_error(c: Check, doc: Document, loc: tuple) -> None:
    # Only the general board of an openbaar lichaam sets one up, on the councils' joint proposal (art. 24a Wgr,
    # since 1 July 2022: "stelt het algemeen bestuur van een openbaar lichaam een gemeenschappelijke
    # adviescommissie in", as gemeente.nu quotes it); a committee of council members that the participants
    # agreed on themselves is a raadsadviescommissie.
    form = c.region.region.legal_form
    if form != "openbaar-lichaam":
        c.error(doc, loc, f"een gemeenschappelijke adviescommissie (art. 24a Wgr) bestaat alleen bij een openbaar "
                          f"lichaam; deze regio is een {form}. Schrijf 'raadsadviescommissie' voor een commissie van "
                          "raadsleden die de gemeenten zelf afspraken.")


@rule("adviescommissie-openbaar-lichaam", "organisation")
def _adviescommissie_body(c: Check, doc: Document, org: schema.OrganisationFile) -> None:
    for i, body in enumerate(org.bodies):
        if body.kind == ADVIESCOMMISSIE:
            _adviescommissie_error(c, doc, ("bodies", i, "kind"))


# --- decisions.yaml -------------------------------------------------------------------------

@rule("besluit-uniek", "decisions")
def _unique_decisions(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    c.unique(doc, [(("decisions", i, "id"), d.id) for i, d in enumerate(parsed.decisions)], "besluit")


@rule("besluit-organen", "decisions")
def _decision_bodies(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    bodies = c.bodies()
    for i, decision in enumerate(parsed.decisions):
        loc = ("decisions", i)
        c.reference(doc, loc + ("decides",), decision.decides, bodies, "orgaan", BODIES_WHERE)
        c.reference(doc, loc + ("prepares",), decision.prepares, bodies, "orgaan", BODIES_WHERE)
        for name in ("consults", "informs"):
            for j, ref in enumerate(getattr(decision, name)):
                c.reference(doc, loc + (name, j), ref, bodies, "orgaan", BODIES_WHERE)


@rule("versie-in-werking", "decisions")
def _basis_in_force(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    """The basis of a decision is an article of the version of the agreement in force on the date."""
    agreements = {a.id: a for a in c.region.agreements}
    for i, decision in enumerate(parsed.decisions):
        basis = decision.basis
        if not basis:
            continue
        loc = ("decisions", i, "basis")
        if c.reference(doc, loc + ("agreement",), basis.agreement, agreements, "afspraak", "agreements/"):
            version = version_in_force(agreements[basis.agreement], c.on)
            if version is None:
                c.error(doc, loc + ("agreement",),
                        f"afspraak '{basis.agreement}' heeft op {c.on.isoformat()} geen geldende "
                        "versie (nog niet in werking of vervallen).")
            else:
                numbers = [a.number for a in version.articles]
                c.reference(doc, loc + ("article",), basis.article, numbers,
                            "artikel", f"versie {version.version} van '{basis.agreement}' (de geldende)")


@rule("escalatie-nummering", "decisions")
def _escalation_steps(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    for i, step in enumerate(parsed.escalation):
        if step.step != i + 1:
            c.error(doc, ("escalation", i, "step"),
                    f"de stappen moeten doorlopend genummerd zijn vanaf 1; hier verwacht: {i + 1}.")


@rule("escalatie-orgaan", "decisions")
def _escalation_bodies(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    bodies = c.bodies()
    for i, step in enumerate(parsed.escalation):
        if step.body:
            c.reference(doc, ("escalation", i, "body"), step.body, bodies, "orgaan", BODIES_WHERE)


# Where a sequence of council roles puts each step, in time order (vocabulary.CouncilStepOn).
STEP_ORDER = list(schema.CouncilStepOn.__args__)


@rule("raadsrollen-reeks", "decisions")
def _council_roles(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    """A sequence of council roles: instead of council_role, with its steps in time order."""
    raw = doc.data.get("decisions") if isinstance(doc.data, dict) else None
    for i, decision in enumerate(parsed.decisions):
        steps = decision.council_roles
        if not steps:
            continue
        loc = ("decisions", i)
        if isinstance(raw, list) and isinstance(raw[i], dict) and "council_role" in raw[i]:
            c.error(doc, loc + ("council_role",),
                    "schrijf de rol van de raad óf als één rol ('council_role') óf als reeks ('council_roles'), "
                    "niet allebei. Haal 'council_role' weg: govsite neemt dan de grootste rol uit de reeks.")
        seen: dict[tuple[str, str], int] = {}
        for j, step in enumerate(steps):
            at = loc + ("council_roles", j)
            if step.role == "geen":
                c.error(doc, at + ("role",), "'geen' hoort niet in een reeks rollen van de raad: laat deze stap "
                                             "weg, of schrijf 'council_role: geen' zonder reeks.")
            if (step.role, step.on) in seen:
                c.error(doc, at, f"de stap '{step.role}' op '{step.on}' staat al in de reeks (stap "
                                 f"{seen[(step.role, step.on)] + 1}); laat een van beide weg.")
            seen.setdefault((step.role, step.on), j)
            if j and STEP_ORDER.index(step.on) < STEP_ORDER.index(steps[j - 1].on):
                c.error(doc, at + ("on",),
                        f"de stappen staan in de volgorde waarin ze gebeuren: {', '.join(STEP_ORDER)}. Deze stap "
                        f"('{step.on}') komt vóór de vorige ('{steps[j - 1].on}'): zet hem eerder in de lijst.")


# Body kinds of officials: subordinate to a board, so no delegate of it (art. 10:14 Awb).
OFFICIALS = ("ambtelijk-overleg", "secretariaat", "uitvoeringsorganisatie")


def _body_kind(c: Check, ref: str) -> str | None:
    organisation = c.region.topics.get("organisation") if c.region else None
    body = organisation.body(ref) if organisation else None
    return body.kind if body else None


@rule("bevoegdheid", "decisions")
def _authority(c: Check, doc: Document, parsed: schema.DecisionsFile) -> None:
    """Mandate and delegation (Awb title 10.1): who gave the power, and in whose name the decision is taken."""
    bodies = c.bodies()
    for i, decision in enumerate(parsed.decisions):
        authority = decision.authority
        if authority is None:
            continue
        loc = ("decisions", i, "authority")
        kind, granted_by = authority.kind, authority.granted_by
        if kind in ("mandaat", "delegatie") and not granted_by:
            giver = "het mandaat gaf (de mandaatgever, art. 10:1 Awb)" if kind == "mandaat" else \
                "de bevoegdheid overdroeg (art. 10:13 Awb)"
            c.error(doc, loc + ("kind",), f"bij {kind} hoort 'granted_by': het orgaan dat {giver}. Voeg "
                                          "'granted_by: <orgaan>' toe (een orgaan-id, raden, colleges of "
                                          "burgemeesters).")
        official = _body_kind(c, decision.decides) in OFFICIALS
        if kind == "delegatie" and official:
            # an official organisation is subordinate to its board: it can act under a mandate, not a delegation
            c.error(doc, loc + ("kind",),
                    f"'{decision.decides}' is een ambtelijke organisatie: delegatie aan ondergeschikten kan niet "
                    "(art. 10:14 Awb). Schrijf 'kind: mandaat': dan besluit de organisatie namens wie het mandaat "
                    "gaf.")
        if kind in ("eigen", "attributie") and granted_by:
            c.error(doc, loc + ("granted_by",),
                    f"bij '{kind}' heeft het orgaan dat besluit de bevoegdheid zelf; niemand gaf haar. Haal "
                    "'granted_by' weg, of kies 'mandaat' of 'delegatie'.")
        if granted_by and c.reference(doc, loc + ("granted_by",), granted_by, bodies, "orgaan", BODIES_WHERE) \
                and granted_by == decision.decides:
            c.error(doc, loc + ("granted_by",),
                    f"'{granted_by}' besluit zelf: een orgaan geeft zichzelf geen {kind}. Kies 'eigen', of zet bij "
                    "'granted_by' het orgaan dat de bevoegdheid gaf.")
        if authority.in_name_of and c.reference(doc, loc + ("in_name_of",), authority.in_name_of, bodies, "orgaan",
                                                BODIES_WHERE):
            if kind == "mandaat" and granted_by and authority.in_name_of != granted_by:
                c.error(doc, loc + ("in_name_of",),
                        f"bij mandaat wordt het besluit genomen namens wie het mandaat gaf (art. 10:2 Awb): zet "
                        f"'in_name_of: {granted_by}' of laat 'in_name_of' weg.")
            elif kind != "mandaat" and authority.in_name_of != decision.decides:
                c.error(doc, loc + ("in_name_of",),
                        f"bij {kind} besluit '{decision.decides}' in eigen naam"
                        f"{' (art. 10:13 Awb)' if kind == 'delegatie' else ''}: zet 'in_name_of: "
                        f"{decision.decides}' of laat 'in_name_of' weg. Besluit het orgaan namens een ander, kies "
                        "dan 'mandaat'.")


# --- accountability.yaml --------------------------------------------------------------------

@rule("informatie-aan-organen", "accountability")
def _information_bodies(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    bodies = c.bodies()
    for name, items in (("information", parsed.information), ("planning_cycle", parsed.planning_cycle)):
        for i, item in enumerate(items):
            for j, ref in enumerate(item.to):
                c.reference(doc, (name, i, "to", j), ref, bodies, "orgaan", BODIES_WHERE)


@rule("evaluatie-volgorde", "accountability")
def _evaluation_order(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    evaluation = parsed.evaluation
    if evaluation and evaluation.last and evaluation.next and evaluation.next <= evaluation.last.date:
        c.error(doc, ("evaluation", "next"), "de volgende evaluatie ligt niet na de laatste.")


@rule("adviescommissie-instrument", "accountability")
def _adviescommissie_instrument(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    for i, instrument in enumerate(parsed.council_instruments):
        if instrument.kind == ADVIESCOMMISSIE:
            _adviescommissie_error(c, doc, ("council_instruments", i, "kind"))


@rule("zienswijzeronden", "accountability")
def _zienswijze_rounds(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    """Per round: each zienswijze from a council of a member, after the draft went out; the board's answer
    after the zienswijzen it answers."""
    rounds = parsed.zienswijze_rounds
    c.unique(doc, [(("zienswijze_rounds", i, "id"), r.id) for i, r in enumerate(rounds)], "zienswijzeronde")
    decisions = c.region.topics.get("decisions")
    decision_ids = [d.id for d in decisions.decisions] if decisions else []
    # a decisions.yaml with errors of its own has no typed decisions: its ids are not known, so not checked
    unreadable = decisions is None and c.files is not None and "decisions" in c.files.topics
    for i, round_ in enumerate(rounds):
        loc = ("zienswijze_rounds", i)
        if round_.decision and not unreadable:
            c.reference(doc, loc + ("decision",), round_.decision, decision_ids, "besluit", "decisions.yaml")
        c.unique(doc, [(loc + ("views", j, "municipality"), v.municipality) for j, v in enumerate(round_.views)],
                 "gemeente")
        for j, view in enumerate(round_.views):
            at = loc + ("views", j)
            found = c.municipality(doc, at + ("municipality",), view.municipality)
            if found is not None and not c.region.region.member_on(view.municipality, round_.sent):
                c.error(doc, at + ("municipality",),
                        f"gemeente {found.name} was op {round_.sent.isoformat()} (sent) geen deelnemer van de "
                        "regio: alleen de raden van deelnemende gemeenten krijgen het ontwerp en geven een "
                        "zienswijze (art. 1 lid 3 en art. 35 Wgr). Controleer de CBS-code of members in region.yaml.")
            if view.date < round_.sent:
                c.error(doc, at + ("date",), f"de zienswijze ({view.date.isoformat()}) ligt vóór de dag waarop het "
                                             f"ontwerp naar de raden ging (sent: {round_.sent.isoformat()}). "
                                             "Controleer beide data.")
        answer = round_.answer
        if answer is None:
            continue
        if answer.date < round_.sent:
            c.error(doc, loc + ("answer", "date"),
                    f"de reactie van het bestuur ({answer.date.isoformat()}) ligt vóór de dag waarop het ontwerp "
                    f"naar de raden ging (sent: {round_.sent.isoformat()}).")
        later = [v for v in round_.views if v.date > answer.date]
        if later:
            view = max(later, key=lambda v: v.date)
            found = c.municipalities.get(view.municipality)
            c.error(doc, loc + ("answer", "date"),
                    f"de reactie van het bestuur ({answer.date.isoformat()}) ligt vóór de zienswijze van "
                    f"{found.name if found else view.municipality} ({view.date.isoformat()}): het bestuur reageert "
                    "op de zienswijzen, dus daarna. Controleer de data.")


@rule("begrotingsjaar-uniek", "accountability")
def _unique_cycle_years(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    c.unique(doc, [(("cycle", i, "year"), str(x.year)) for i, x in enumerate(parsed.cycle)], "begrotingsjaar")


# The steps of a budget cycle in the order the law gives them (art. 35, then art. 34 Wgr).
_CYCLE_STEPS = (("draft_sent", "de ontwerpbegroting naar de raden"), ("board_meeting", "de vergadering van het "
                "algemeen bestuur"), ("adopted", "de vaststelling"), ("sent_to_gs", "het zenden naar Gedeputeerde Staten"))


@rule("begrotingscyclus-volgorde", "accountability")
def _cycle_order(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    for i, cycle in enumerate(parsed.cycle):
        steps = [(name, words, getattr(cycle, name)) for name, words in _CYCLE_STEPS if getattr(cycle, name)]
        for (before, before_words, day), (after, after_words, later) in zip(steps, steps[1:]):
            if later < day:
                c.error(doc, ("cycle", i, after),
                        f"'{after}' ({later.isoformat()}) ligt vóór '{before}' ({day.isoformat()}), maar "
                        f"{after_words} komt na {before_words}. Verbeter een van beide data.")


@rule("zienswijzetermijn-begroting", "accountability")
def _cycle_zienswijze_term(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    """The councils have twelve weeks for their zienswijze on the draft budget: the general board decides
    no earlier (art. 35 Wgr as amended on 1 July 2022; drafts sent before then are not checked)."""
    if not agenda.has_own_budget(c.region.region.legal_form):
        return  # no budget of its own (centrumgemeente, convenant, ...): art. 35 does not apply
    for i, cycle in enumerate(parsed.cycle):
        end = agenda.zienswijze_end(cycle.draft_sent) if cycle.draft_sent else None
        for name, what in (("board_meeting", "vergadert het algemeen bestuur op {day} over de begroting {year}"),
                           ("adopted", "stelt het algemeen bestuur op {day} de begroting {year} vast")):
            day = getattr(cycle, name)
            if end is not None and day is not None and day < end:
                c.error(doc, ("cycle", i, name),
                        f"hier {what.format(day=day.isoformat(), year=cycle.year)}, maar de ontwerpbegroting ging "
                        f"op {cycle.draft_sent.isoformat()} naar de raden. De raden hebben twaalf weken voor hun "
                        f"zienswijze (artikel 35 Wet gemeenschappelijke regelingen): het algemeen bestuur "
                        f"besluit op zijn vroegst op {end.isoformat()}. Zet hier een datum op of na "
                        f"{end.isoformat()}, of verbeter 'draft_sent'.")
                break


@rule("lengte-zienswijzetermijn", "accountability")
def _draft_budget_term(c: Check, doc: Document, parsed: schema.AccountabilityFile) -> None:
    """The councils' term for their zienswijze on the draft budget, by the art. 35 Wgr in force on the date:
    twelve weeks since 1 July 2022, eight since 1 January 2015, six before (Stb. 2022, 18; Stb. 2014, 306)."""
    if not agenda.has_own_budget(c.region.region.legal_form):
        return  # only a body with a budget of its own has a draft budget under art. 35 Wgr
    weeks = zienswijze_weeks(c.on)
    for i, instrument in enumerate(parsed.council_instruments):
        if instrument.kind != "zienswijze" or instrument.applies_to != "ontwerpbegroting":
            continue
        if instrument.term_days is not None and instrument.term_days < weeks * 7:
            c.error(doc, ("council_instruments", i, "term_days"),
                    f"de raden hebben voor hun zienswijze op de ontwerpbegroting {weeks} weken (art. 35 Wgr, zoals "
                    f"het gold op {c.on.isoformat()}); hier staan {instrument.term_days} dagen. Schrijf "
                    f"'term_days: {weeks * 7}'.")


# --- finance.yaml ---------------------------------------------------------------------------

def _member_in_year(region: schema.RegionFile, code: str, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return any(m.municipality == code and _overlap(m.since, m.until, start, end) for m in region.members)


@rule("bijdragejaar-uniek", "finance")
def _unique_years(c: Check, doc: Document, parsed: schema.FinanceFile) -> None:
    c.unique(doc, [(("contributions", i, "year"), str(x.year)) for i, x in enumerate(parsed.contributions)], "jaar")


@rule("bijdrage-van-deelnemer", "finance")
def _shares_of_members(c: Check, doc: Document, parsed: schema.FinanceFile) -> None:
    for i, contribution in enumerate(parsed.contributions):
        loc = ("contributions", i)
        c.unique(doc, [(loc + ("shares", j, "municipality"), s.municipality)
                       for j, s in enumerate(contribution.shares)], "gemeente")
        for j, share in enumerate(contribution.shares):
            if c.municipality(doc, loc + ("shares", j, "municipality"), share.municipality) is None:
                continue  # unknown code: reported (with a suggestion) by c.municipality
            if not _member_in_year(c.region.region, share.municipality, contribution.year):
                c.error(doc, loc + ("shares", j, "municipality"),
                        f"gemeente {share.municipality} was in {contribution.year} geen deelnemer van de "
                        "regio (zie members in region.yaml).")


@rule("percentages-samen-100", "finance")
def _percentages(c: Check, doc: Document, parsed: schema.FinanceFile) -> None:
    for i, contribution in enumerate(parsed.contributions):
        percentages = [s.percentage for s in contribution.shares]
        if contribution.shares and all(p is not None for p in percentages):
            total = sum(percentages)
            if abs(total - 100) > 0.1:
                c.error(doc, ("contributions", i, "shares"), f"de percentages van {contribution.year} tellen "
                                                             f"op tot {total:.2f}, niet tot 100.", key=True)


@rule("bijdragen-samen-begroting", "finance")
def _amounts(c: Check, doc: Document, parsed: schema.FinanceFile) -> None:
    for i, contribution in enumerate(parsed.contributions):
        amounts = [s.amount for s in contribution.shares]
        if contribution.budget is not None and contribution.shares and all(a is not None for a in amounts):
            total = sum(amounts)
            if abs(total - contribution.budget) >= 1:
                c.error(doc, ("contributions", i, "budget"),
                        f"de bijdragen van {contribution.year} tellen op tot {number(total, 0)} euro, maar de "
                        f"begroting is {number(contribution.budget, 0)} euro.")


# --- progress.yaml and reflection.yaml ------------------------------------------------------

@rule("indicator-uniek", "progress")
def _unique_indicators(c: Check, doc: Document, parsed: schema.ProgressFile) -> None:
    c.unique(doc, [(("indicators", i, "id"), x.id) for i, x in enumerate(parsed.indicators)], "indicator")


@rule("voortgang-bij-doel", "progress")
def _progress_goals(c: Check, doc: Document, parsed: schema.ProgressFile) -> None:
    vision = c.region.region.vision
    goals = [g.id for g in vision.goals] if vision else []
    for i, indicator in enumerate(parsed.indicators):
        c.reference(doc, ("indicators", i, "goal"), indicator.goal, goals, "doel", "region.yaml (vision.goals)")
    for i, update in enumerate(parsed.updates):
        c.reference(doc, ("updates", i, "goal"), update.goal, goals, "doel", "region.yaml (vision.goals)")


@rule("balans-uniek", "reflection")
def _unique_balances(c: Check, doc: Document, parsed: schema.ReflectionFile) -> None:
    c.unique(doc, [(("balances", i, "act"), b.act) for i, b in enumerate(parsed.balances)], "balans")


# --- agreements/<id>.yaml -------------------------------------------------------------------

@rule("afspraak-id-is-bestandsnaam", "agreement")
def _agreement_id(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    if agreement.id != doc.path.stem:
        c.error(doc, ("id",), f"de id '{agreement.id}' moet gelijk zijn aan de bestandsnaam '{doc.path.stem}'.")


@rule("versie-uniek", "agreement")
def _unique_versions(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    c.unique(doc, [(("versions", i, "version"), x.version) for i, x in enumerate(agreement.versions)], "versie")


@rule("versies-op-volgorde", "agreement")
def _version_dates(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    for i, version in enumerate(agreement.versions):
        loc = ("versions", i)
        if version.adopted > version.effective:
            c.error(doc, loc + ("adopted",), f"vastgesteld op {version.adopted.isoformat()}, na de "
                                             f"inwerkingtreding ({version.effective.isoformat()}).")
        if i and version.effective <= agreement.versions[i - 1].effective:
            c.error(doc, loc + ("effective",), "elke versie moet later in werking treden dan de vorige "
                                               "(zet de versies op volgorde, oudste eerst).")


@rule("vastgesteld-door-organen", "agreement")
def _adopted_by(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    bodies = c.bodies()
    for i, version in enumerate(agreement.versions):
        for j, ref in enumerate(version.adopted_by):
            c.reference(doc, ("versions", i, "adopted_by", j), ref, bodies, "orgaan", BODIES_WHERE)


@rule("artikelnummer-uniek", "agreement")
def _unique_articles(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    for i, version in enumerate(agreement.versions):
        c.unique(doc, [(("versions", i, "articles", j, "number"), a.number) for j, a in enumerate(version.articles)],
                 "artikelnummer")


@rule("vervalt-na-eerste-versie", "agreement")
def _ends(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    if agreement.ends is not None and agreement.ends <= agreement.versions[0].effective:
        c.error(doc, ("ends",), "de afspraak vervalt voordat de eerste versie in werking treedt.")


@rule("partijen-bestaan", "agreement")
def _parties(c: Check, doc: Document, agreement: schema.AgreementFile) -> None:
    if isinstance(agreement.parties, list):
        for i, code in enumerate(agreement.parties):
            c.municipality(doc, ("parties", i), code)
