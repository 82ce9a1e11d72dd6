"""Step 3, model: the facts of a region on a date, and the completeness check (gaps)."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import AS_OF, REGION, describe, find
from generator.domain import norms
from generator.domain.validate import version_in_force

OWN_NORM = " Bron: eigen norm van deze site."  # how `govsite validate` names the source of govsite's own checks

D = dt.date

CONVENANT = """
    id: convenant-onderwijs
    title: Convenant onderwijs en jeugdhulp
    kind: convenant
    parties: [GM0546, GM0547]
    ends: 2026-06-01
    versions:
      - version: "1.0"
        adopted: 2020-11-26
        effective: 2021-01-01
        articles:
          - number: "1"
            text: Leerlingen krijgen hulp op school.
      - version: "1.1"
        adopted: 2023-06-15
        effective: 2023-08-01
        articles:
          - number: "1"
            text: Leerlingen krijgen hulp op school, ook in het mbo.
    """


def codes(members) -> list[str]:
    return sorted(m.municipality for m in members)


def region(regions, on: dt.date = AS_OF):
    checked = regions.check(on=on)
    assert not checked.errors, describe(checked.errors)
    (found,) = [r for r in checked.regions if r.id == REGION]
    return found


# --- members --------------------------------------------------------------------------------

@pytest.mark.parametrize("on,expected", [
    (D(2014, 12, 31), []),
    (D(2015, 1, 1), ["GM0546", "GM0547", "GM0576", "GM0579"]),
    (D(2015, 12, 31), ["GM0546", "GM0547", "GM0576", "GM0579"]),
    (D(2016, 1, 1), ["GM0546", "GM0547", "GM0576", "GM0579", "GM0638"]),  # Zoeterwoude joins
    (D(2018, 12, 31), ["GM0546", "GM0547", "GM0576", "GM0579", "GM0638"]),  # until is inclusive
    (D(2019, 1, 1), ["GM0546", "GM0547", "GM0575", "GM0579", "GM0638"]),  # Noordwijk succeeds
    (D(2025, 12, 31), ["GM0546", "GM0547", "GM0575", "GM0579", "GM0638"]),
    (D(2026, 1, 1), ["GM0546", "GM0547", "GM0575", "GM0579"]),  # Zoeterwoude has left
])
def test_members_on_a_date(regions, on, expected):
    assert codes(region(regions).members_on(on)) == expected


def test_partial_participation_is_a_new_period(regions):
    r = region(regions)
    (before,) = [m for m in r.members_on(D(2020, 12, 31)) if m.municipality == "GM0579"]
    (after,) = [m for m in r.members_on(D(2021, 1, 1)) if m.municipality == "GM0579"]
    assert before.domains is None and before.until == D(2020, 12, 31)
    assert after.domains == ["jeugd"] and after.until is None


def test_current_former_and_future_members(regions):
    regions.replace("region.yaml", "vision:\n", "  - municipality: GM0638\n    since: 2027-01-01\nvision:\n")
    state = regions.state()
    names = [state.region.municipalities.name(m.municipality) for m in state.current_members]
    assert names == ["Leiden", "Leiderdorp", "Noordwijk", "Oegstgeest"]  # sorted by name
    assert [(m.municipality, m.until) for m in state.former_members] == [
        ("GM0638", D(2025, 12, 31)), ("GM0579", D(2020, 12, 31)), ("GM0576", D(2018, 12, 31))]
    assert [(m.municipality, m.since) for m in state.future_members] == [("GM0638", D(2027, 1, 1))]
    assert state.region.municipalities.name("GM9999") == "GM9999"


# --- agreements -----------------------------------------------------------------------------

@pytest.mark.parametrize("on,version,until", [
    (D(2014, 12, 31), None, None),
    (D(2015, 1, 1), "1.0", D(2018, 12, 31)),
    (D(2018, 12, 31), "1.0", D(2018, 12, 31)),
    (D(2019, 1, 1), "1.1", D(2025, 12, 31)),
    (D(2025, 12, 31), "1.1", D(2025, 12, 31)),  # the day before 2.0 takes effect
    (D(2026, 1, 1), "2.0", None),  # exactly on its effective date
    (AS_OF, "2.0", None),
])
def test_version_in_force(regions, on, version, until):
    state = regions.state(on)
    agreement = state.agreement_state("gr-jeugd")
    assert (agreement.version.version if agreement.version else None) == version
    assert agreement.valid_until == until
    assert agreement.status == ("geldend" if version else "nog-niet-geldend")
    assert version_in_force(agreement.agreement, on) is agreement.version


def test_future_versions(regions):
    agreement = regions.state(D(2019, 6, 1)).agreement_state("gr-jeugd")
    assert [v.version for v in agreement.future_versions] == ["2.0"]
    assert regions.state(AS_OF).agreement_state("gr-jeugd").future_versions == []


@pytest.mark.parametrize("on,version,until,status", [
    (D(2023, 7, 31), "1.0", D(2023, 7, 31), "geldend"),
    (D(2023, 8, 1), "1.1", D(2026, 5, 31), "geldend"),
    (D(2026, 5, 31), "1.1", D(2026, 5, 31), "geldend"),  # last day before 'ends'
    (D(2026, 6, 1), None, None, "vervallen"),  # repealed from 'ends'
    (AS_OF, None, None, "vervallen"),
])
def test_repealed_agreement(regions, on, version, until, status):
    regions.write("agreements/convenant-onderwijs.yaml", CONVENANT)
    agreement = regions.state(on).agreement_state("convenant-onderwijs")
    assert (agreement.version.version if agreement.version else None) == version
    assert (agreement.valid_until, agreement.status) == (until, status)


def test_agreements_are_sorted_by_id(regions):
    regions.write("agreements/convenant-onderwijs.yaml", CONVENANT)
    assert [a.agreement.id for a in regions.state().agreements] == ["convenant-onderwijs", "gr-jeugd"]


# --- positions, holders, vacancies ----------------------------------------------------------

def position(state, id: str):
    (found,) = [p for p in state.positions if p.position.id == id]
    return found


@pytest.mark.parametrize("on,current,previous,upcoming", [
    (D(2022, 5, 31), [], [], ["Anna de Vries", "Bram Jansen"]),
    (D(2022, 6, 1), ["Anna de Vries"], [], ["Bram Jansen"]),
    (D(2026, 3, 31), ["Anna de Vries"], [], ["Bram Jansen"]),  # until is inclusive
    (D(2026, 4, 1), ["Bram Jansen"], ["Anna de Vries"], []),
])
def test_holders_on_a_date(regions, on, current, previous, upcoming):
    state = regions.state(on)
    chair = position(state, "voorzitter-ab")
    assert [h.name for h in chair.holders] == current
    assert [h.name for h in chair.previous] == previous
    assert [h.name for h in chair.upcoming] == upcoming
    assert chair.vacant is (not current)
    assert chair.body.id == "ab" and chair.loc == ("bodies", 0, "positions", 0)


def test_vacancy_between_two_terms(regions):
    regions.replace("organisation.yaml", "since: 2026-04-01", "since: 2027-01-01")
    state = regions.state()
    assert [p.position.id for p in state.vacancies] == ["voorzitter-ab"]
    gap = find(regions.findings(), "organisation.yaml", "De positie Voorzitter (Algemeen bestuur) is vacant.", "gap")
    assert gap.line == regions.line("organisation.yaml", "- id: voorzitter-ab")
    assert regions.state(D(2027, 1, 1)).vacancies == []


def test_position_without_holders_is_vacant(regions):
    regions.replace("organisation.yaml", "    reports_to: ab\n",
                    "    reports_to: ab\n    positions:\n      - id: secretaris-db\n        title: Secretaris\n")
    assert [p.position.id for p in regions.state().vacancies] == ["secretaris-db"]
    find(regions.gaps(), "organisation.yaml", "De positie Secretaris (Dagelijks bestuur) is vacant.")


def test_contact_holders(regions):
    assert [h.name for h in regions.state().contact_holders] == ["Carla Smit"]
    assert regions.state(D(2027, 7, 1)).contact_holders == ()


def test_body_names(regions):
    r = region(regions)
    assert r.body_name("ab") == "Algemeen bestuur"
    assert r.body_name("raden") == "de gemeenteraden"
    assert r.body_name("onbekend") == "onbekend"


# --- upcoming ends of terms of office (the rest of the calendar: test_agenda.py) --------------

def upcoming(state) -> list[tuple[dt.date, str, str]]:
    return [(u.date, u.kind, u.title) for u in state.upcoming]


def test_upcoming_ends_of_terms_of_office(regions):
    assert upcoming(regions.state()) == [
        (D(2027, 6, 30), "termijn", "Termijn Regiosecretaris (Regionaal secretariaat) eindigt"),
    ]
    assert regions.state().upcoming[0].detail == "Carla Smit tot en met deze datum."
    assert upcoming(regions.state(D(2026, 1, 1)))[0] == \
        (D(2026, 3, 31), "termijn", "Termijn Voorzitter (Algemeen bestuur) eindigt")


def test_upcoming_has_a_horizon(regions):
    assert upcoming(regions.state(D(2026, 5, 1))) == []  # 30 June 2027 is more than 400 days ahead


def test_leap_day_deadline_in_a_common_year(regions):
    regions.replace("accountability.yaml", 'by: "01-15"', 'by: "02-29"')
    state = regions.state()
    assert dict((item.document, date) for item, date in state.planning)["Kaderbrief"] == D(2026, 2, 28)


# --- completeness ---------------------------------------------------------------------------

def test_complete_region_has_no_gaps(regions):
    assert regions.state().gaps == []
    assert regions.findings() == []


MINIMAL_REGION = """
    id: leidse-regio
    name: Jeugdregio Leidse regio
    kind: jeugdregio
    domains: [jeugd]
    legal_form: netwerk
    summary: Een netwerk van gemeenten.
    contact:
      title: Regiosecretaris
    members:
      - { municipality: GM0546, since: 2015-01-01 }
      - { municipality: GM0547, since: 2015-01-01 }
    """


def test_minimal_region_has_every_gap(regions):
    for name in ["organisation.yaml", "decisions.yaml", "accountability.yaml", "finance.yaml", "progress.yaml",
                 "reflection.yaml", "agreements"]:
        regions.remove(name)
    regions.write("region.yaml", MINIMAL_REGION)
    checked = regions.check()
    assert checked.errors == []
    gaps = [(f.path.replace("\\", "/").split(f"{REGION}/")[1], f.line, f.message) for f in checked.findings]
    nvo = " Bron: Norm voor Opdrachtgeverschap (VNG, 2020)"  # a netwerk: no checks of the Wgr
    assert sorted(gaps) == sorted([
        ("accountability.yaml", 0, "De instrumenten van de gemeenteraad (zoals zienswijze) zijn niet beschreven."
                                   + OWN_NORM),
        ("accountability.yaml", 0, "Er is geen datum voor de volgende evaluatie van de samenwerking (veld "
                                   "evaluation.next)." + OWN_NORM),
        ("accountability.yaml", 0, "Er zijn geen regels voor toetreding van een gemeente (veld entry)." + OWN_NORM),
        ("accountability.yaml", 0, "Er zijn geen regels voor uittreding van een gemeente (veld exit)." + OWN_NORM),
        ("agreements", 0, "Er zijn geen afspraken vastgelegd." + OWN_NORM),
        ("decisions.yaml", 0, "Er is geen besluitvormingsmatrix: niet vastgelegd wie waarover besluit." + OWN_NORM),
        ("decisions.yaml", 0, "Er is geen escalatieladder: niet vastgelegd wat er gebeurt bij een conflict." + OWN_NORM),
        ("finance.yaml", 0, "De bijdragen per gemeente voor 2026 ontbreken." + OWN_NORM),
        ("finance.yaml", 0, "De verdeelsleutel van de kosten is niet beschreven." + OWN_NORM),
        ("organisation.yaml", 0, "Er zijn geen organen beschreven (veld bodies)." + OWN_NORM),
        ("progress.yaml", 0, "Er zijn geen indicatoren om de voortgang van de doelen te volgen." + OWN_NORM),
        ("reflection.yaml", 0, "De regio heeft nog niet samen gereflecteerd op de samenwerking." + OWN_NORM),
        ("region.yaml", 1, "Er is geen visie op het regionale beleid (veld vision.mission)." + nvo + ": regiovisie."),
        ("region.yaml", 1, "Er is geen visie op de samenwerking (veld vision.cooperation)." + nvo + ": regiovisie."),
        ("region.yaml", 1, "Er zijn geen doelen vastgelegd (veld vision.goals)." + nvo + ": regiovisie."),
        ("region.yaml", 1, "De hoofdlijnen van de aanpak ontbreken (veld vision.approach)." + nvo + ": regiovisie."),
        ("region.yaml", 8, "Het aanspreekpunt heeft geen e-mailadres, telefoonnummer of adres." + nvo
                           + ": regionaal aanspreekpunt."),
    ])
    assert {f.severity for f in checked.findings} == {"gap"}
    assert [r.id for r in checked.regions] == [REGION]  # gaps do not stop the build


@pytest.mark.parametrize("old,new,message", [
    ("  mission: Kinderen en jongeren groeien veilig en gezond op.\n", "",
     "Er is geen visie op het regionale beleid (veld vision.mission)."),
    ("  cooperation: Samen regelen wat één gemeente niet alleen kan.\n", "",
     "Er is geen visie op de samenwerking (veld vision.cooperation)."),
    ("  approach: Eén regionale inkoop, toegang in elke gemeente.\n", "",
     "De hoofdlijnen van de aanpak ontbreken (veld vision.approach)."),
])
def test_vision_gaps(regions, old, new, message):
    regions.replace("region.yaml", old, new)
    gap = find(regions.findings(), "region.yaml", message, "gap")
    assert gap.line == regions.line("region.yaml", "vision:") + 1  # where the vision's fields begin
    assert len(regions.findings()) == 1


def test_no_goals(regions):
    text = regions.text("region.yaml")
    regions.write("region.yaml", text[: text.index("  goals:")] + "  goals: []\n")
    regions.write("progress.yaml", "updates: []\n")
    gaps = regions.gaps()
    find(gaps, "region.yaml", "Er zijn geen doelen vastgelegd (veld vision.goals).")
    find(gaps, "progress.yaml", "Er zijn geen indicatoren om de voortgang van de doelen te volgen.")
    assert len(gaps) == 2 and regions.errors() == []


def test_contact_without_a_way_to_reach_it(regions):
    for line in ("  email: secretariaat@example.org\n", '  phone: "+31 71 000 0000"\n',
                 "  address: Stationsweg 1, 2312 AV Leiden\n"):
        regions.replace("region.yaml", line, "")
    gap = find(regions.findings(), "region.yaml", "Het aanspreekpunt heeft geen e-mailadres", "gap")
    assert gap.line == regions.line("region.yaml", "position: regiosecretaris")


@pytest.mark.parametrize("keep", ["email", "phone", "address"])
def test_contact_with_one_way_to_reach_it_is_enough(regions, keep):
    for key, line in (("email", "  email: secretariaat@example.org\n"), ("phone", '  phone: "+31 71 000 0000"\n'),
                      ("address", "  address: Stationsweg 1, 2312 AV Leiden\n")):
        if key != keep:
            regions.replace("region.yaml", line, "")
    assert regions.findings() == []


def test_contact_position_vacant(regions):
    regions.replace("organisation.yaml", "until: 2027-06-30", "until: 2026-06-30")
    gaps = regions.gaps()
    gap = find(gaps, "region.yaml", "De positie van het aanspreekpunt is vacant: niemand spreekt nu namens de regio.")
    assert (gap.line, gap.col) == (regions.line("region.yaml", "position: regiosecretaris"), 13)
    find(gaps, "organisation.yaml", "De positie Regiosecretaris (Regionaal secretariaat) is vacant.")
    assert len(gaps) == 2


@pytest.mark.parametrize("body,role,missing", [
    ("uitvoering", "opdrachtnemer", "opdrachtnemer"),
    ("db", "opdrachtgever", "opdrachtgever"),
    ("ab", "eigenaar", "eigenaar"),
])
def test_roles_not_distinct(regions, body, role, missing):
    text = regions.text("organisation.yaml")
    start = text.index(f"  - id: {body}\n")
    at = text.index(f"role: {role}", start)
    regions.write("organisation.yaml", text[:at] + "role: adviseur" + text[at + len(f"role: {role}"):])
    gap = find(regions.gaps(), "organisation.yaml", "De rollen eigenaar, opdrachtgever en opdrachtnemer zijn niet "
                                                    f"gescheiden belegd; geen orgaan heeft de rol {missing}.")
    assert gap.line == 2  # the list of bodies


def test_two_roles_missing(regions):
    regions.replace("organisation.yaml", "role: opdrachtnemer", "role: opdrachtgever")
    regions.replace("organisation.yaml", "role: eigenaar", "role: opdrachtgever")
    find(regions.gaps(), "organisation.yaml", "geen orgaan heeft de rol eigenaar of opdrachtnemer.")


def test_empty_organisation(regions):
    regions.write("organisation.yaml", "bodies: []\n")
    regions.replace("region.yaml", "position: regiosecretaris", "title: Regiosecretaris")
    regions.write("decisions.yaml", """
        decisions:
          - { id: begroting, topic: Begroting, decides: raden, council_role: besluit }
        escalation:
          - { step: 1, body: gedeputeerde-staten, action: Geschil voorleggen. }
        """)
    regions.replace("agreements/gr-jeugd.yaml", "adopted_by: [ab]", "adopted_by: [raden]")
    regions.replace("decisions.yaml", "council_role: besluit", "council_role: zienswijze")
    gaps = regions.gaps()
    assert [g.message for g in gaps] == ["Er zijn geen organen beschreven (veld bodies)." + OWN_NORM]
    assert gaps[0].line == 1


def test_empty_decision_matrix_and_escalation_ladder(regions):
    regions.write("decisions.yaml", "decisions: []\nescalation: []\n")
    messages = sorted(g.message for g in regions.gaps())
    assert messages == ["Er is geen besluitvormingsmatrix: niet vastgelegd wie waarover besluit." + OWN_NORM,
                        "Er is geen escalatieladder: niet vastgelegd wat er gebeurt bij een conflict." + OWN_NORM,
                        # an openbaar lichaam says on which board decisions the councils give a zienswijze
                        "Niet vastgelegd over welke besluiten van het bestuur de raden een zienswijze geven (veld "
                        "decisions.council_role). Bron: " + norms.WGR_2024_CONTENT + "."]


def test_no_council_instruments(regions):
    text = regions.text("accountability.yaml")
    start, end = text.index("council_instruments:"), text.index("planning_cycle:")
    regions.write("accountability.yaml", text[:start] + "council_instruments: []\n" + text[end:])
    find(regions.gaps(), "accountability.yaml",
         "De instrumenten van de gemeenteraad (zoals zienswijze) zijn niet beschreven.")
    # and, for an openbaar lichaam, the councils' zienswijze on the draft budget (art. 35 Wgr)
    find(regions.gaps(), "accountability.yaml", "zienswijze geven op de ontwerpbegroting")
    assert len(regions.gaps()) == 2


def test_evaluation_without_next_date(regions):
    regions.replace("accountability.yaml", "  next: 2027-06-01\n", "")
    gap = find(regions.gaps(), "accountability.yaml", "Er is geen datum voor de volgende evaluatie")
    assert gap.line == regions.line("accountability.yaml", "every_years")


def test_evaluation_overdue(regions):
    regions.replace("accountability.yaml", "next: 2027-06-01", "next: 2026-11-25")
    gap = find(regions.gaps(), "accountability.yaml",
               "De evaluatie had op 25 november 2026 moeten plaatsvinden en is te laat.")
    assert (gap.line, gap.col) == (regions.line("accountability.yaml", "next:"), 9)


def test_evaluation_due_today_is_not_late(regions):
    regions.replace("accountability.yaml", "next: 2027-06-01", "next: 2026-11-26")
    assert regions.gaps() == []


@pytest.mark.parametrize("old,message", [
    ("entry: Een gemeente treedt toe met instemming van alle raden.\n",
     "Er zijn geen regels voor toetreding van een gemeente (veld entry). Bron: art. 9 lid 1 Wgr."),
    ("exit:\n  notice_months: 12\n  conditions: Uittreden kan per 1 januari, na een jaar opzegtermijn.\n"
     "  costs: De uittredende gemeente betaalt de frictiekosten.\n"
     "  assets: De uittredende gemeente krijgt haar deel van de reserves en draagt haar deel van de schulden.\n",
     "Er zijn geen regels voor uittreding van een gemeente (veld exit). Bron: art. 9 lid 1 Wgr."),
])
def test_entry_and_exit_rules(regions, old, message):
    regions.replace("accountability.yaml", old, "")
    gaps = regions.gaps()
    assert [g.message for g in gaps] == [message]


def test_no_contributions_for_the_current_year(regions):
    text = regions.text("finance.yaml")
    regions.write("finance.yaml", text[: text.index("  - year: 2026")])
    gap = find(regions.gaps(), "finance.yaml", "De bijdragen per gemeente voor 2026 ontbreken.")
    assert gap.line == regions.line("finance.yaml", "- year: 2025")
    # on a date in 2025 the region is complete again, apart from what 2025 itself lacks
    assert [g for g in regions.gaps(on=D(2025, 12, 31)) if "bijdragen" in g.message] == []


def test_no_allocation_key(regions):
    regions.replace("finance.yaml", "allocation:\n  key: inwoners\n  description: Naar rato van het aantal inwoners.\n",
                    "")
    assert [g.message for g in regions.gaps()] == ["De verdeelsleutel van de kosten is niet beschreven." + OWN_NORM]


def test_no_indicators(regions):
    text = regions.text("progress.yaml")
    regions.write("progress.yaml", "indicators: []\n" + text[text.index("updates:"):])
    assert [g.message for g in regions.gaps()] == [
        "Er zijn geen indicatoren om de voortgang van de doelen te volgen." + OWN_NORM]


@pytest.mark.parametrize("discussed,gap", [("2024-11-26", False), ("2024-11-25", True)])
def test_reflection_in_the_last_two_years(regions, discussed, gap):
    regions.replace("reflection.yaml", "discussed: 2025-03-01", f"discussed: {discussed}")
    gaps = regions.gaps()
    if gap:
        found = find(gaps, "reflection.yaml", "De laatste reflectie (25 november 2024) is meer dan twee jaar geleden.")
        assert (found.line, found.col) == (1, 12)
    else:
        assert gaps == []


def test_reflection_never_discussed(regions):
    regions.replace("reflection.yaml", "discussed: 2025-03-01\n", "")
    assert [g.message for g in regions.gaps()] == [
        "De regio heeft nog niet samen gereflecteerd op de samenwerking." + OWN_NORM]


def test_two_years_before_a_leap_day(regions):
    regions.replace("reflection.yaml", "discussed: 2025-03-01", "discussed: 2026-02-28")
    # two years before 29 February 2028 is 28 February 2026
    assert [g for g in regions.gaps(on=D(2028, 2, 29)) if "reflectie" in g.message] == []
    regions.replace("reflection.yaml", "discussed: 2026-02-28", "discussed: 2026-02-27")
    find(regions.gaps(on=D(2028, 2, 29)), "reflection.yaml", "De laatste reflectie (27 februari 2026)")


def test_no_agreements(regions):
    regions.remove("agreements/gr-jeugd.yaml")
    regions.remove("agreements")
    regions.replace("region.yaml", "founding_agreement: gr-jeugd\n", "")
    regions.replace("decisions.yaml", '    basis:\n      agreement: gr-jeugd\n      article: "5"\n', "")
    gaps = regions.gaps()
    assert [(g.line, g.message) for g in gaps] == [
        (0, "Er zijn geen afspraken vastgelegd." + OWN_NORM),
        # an openbaar lichaam rests on a gemeenschappelijke regeling (art. 1 and 8 Wgr)
        (regions.line("region.yaml", "legal_form:"), "Deze samenwerking rust op een gemeenschappelijke regeling, "
         "maar die regeling is niet genoemd (veld founding_agreement). Bron: art. 1 en 8 Wgr.")]
    assert gaps[0].path.replace("\\", "/").endswith(f"{REGION}/agreements")
