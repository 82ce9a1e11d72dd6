"""What a decision and the council's say can record beyond one role (issue 17 item 4): a sequence of
council roles, mandate or delegation with where a resident objects, the gemeenschappelijke adviescommissie,
and zienswijze rounds with every council's zienswijze and the board's answer.

Each rule has a failing fixture with message, file, line and column; the derived facts (in whose name,
where to object, which councils gave a zienswijze) are asked of the public functions, and the pages of the
public renderer.
"""
from __future__ import annotations

import datetime as dt

from conftest import AS_OF, describe, find

from generator.domain import facts, schema
from generator.site.render import render_region

SEQUENCE = """    council_roles:
      - role: zienswijze
        on: ontwerp
        note: acht weken, art. 1 lid 3 Wgr
      - role: toestemming
        on: besluit
"""


def _inkoop(regions, lines: str) -> None:
    """Replace the second decision's single council role by `lines` (YAML at the decision's indentation)."""
    regions.replace("decisions.yaml", "    council_role: wensen-en-bedenkingen\n", lines)


# --- a sequence of council roles ------------------------------------------------------------

def test_a_sequence_of_roles_stands_in_for_the_single_role(regions):
    _inkoop(regions, SEQUENCE)
    checked = regions.check()
    assert checked.findings == [], describe(checked.findings)
    decision = regions.state().region.decisions.decisions[1]
    assert [(s.role, s.on) for s in decision.council_roles] == [("zienswijze", "ontwerp"), ("toestemming", "besluit")]
    assert decision.council_role == "toestemming"  # the strongest step: what govsite diff weighs


def test_one_role_still_validates_and_neither_is_the_old_missing_field(regions):
    regions.replace("decisions.yaml", "    council_role: wensen-en-bedenkingen\n", "")
    regions.error("decisions.yaml", "het verplichte veld 'council_role' ontbreekt",
                  line=regions.line("decisions.yaml", "- id: inkoop"), col=5)


def test_role_and_sequence_together_is_an_error_at_the_single_role(regions):
    _inkoop(regions, "    council_role: toestemming\n" + SEQUENCE)
    regions.error("decisions.yaml", "óf als één rol ('council_role') óf als reeks ('council_roles'), niet allebei",
                  line=regions.line("decisions.yaml", "council_role: toestemming"), col=19)


def test_steps_out_of_time_order_is_an_error_at_the_later_step(regions):
    _inkoop(regions, """    council_roles:
      - role: toestemming
        on: besluit
      - role: zienswijze
        on: ontwerp
""")
    found = regions.error("decisions.yaml", "in de volgorde waarin ze gebeuren: ontwerp, besluit, na-besluit",
                          line=regions.line("decisions.yaml", "on: ontwerp"), col=13)
    assert "zet hem eerder in de lijst" in found.message


def test_geen_in_a_sequence_is_an_error(regions):
    _inkoop(regions, """    council_roles:
      - role: geen
        on: ontwerp
      - role: informatie
        on: na-besluit
""")
    regions.error("decisions.yaml", "'geen' hoort niet in een reeks", line=regions.line("decisions.yaml", "role: geen"),
                  col=15)


def test_an_unknown_step_value_names_the_allowed_ones(regions):
    _inkoop(regions, """    council_roles:
      - role: zienswijze
        on: voorstel
""")
    found = regions.error("decisions.yaml", "onbekende waarde 'voorstel'",
                          line=regions.line("decisions.yaml", "on: voorstel"), col=13)
    assert "ontwerp, besluit, na-besluit" in found.message
    assert not [f for f in regions.findings() if "council_role' ontbreekt" in f.message]


def test_the_editor_schema_asks_for_one_of_the_two():
    decision = schema.json_schemas()["decisions"]["$defs"]["Decision"]
    assert "council_role" not in decision["required"]
    assert decision["anyOf"] == [{"required": ["council_role"]}, {"required": ["council_roles"]}]


def test_the_change_log_weighs_a_sequence_by_its_strongest_step(regions):
    """decisions.yaml from git: a single role replaced by a sequence reads as the council's role growing to
    the sequence's strongest step."""
    import os
    import subprocess

    from generator.domain.changes import change_log
    from generator.domain.history import decision_history

    def git(*args: str, date: str) -> None:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(regions.root),
               "GIT_AUTHOR_DATE": f"{date}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00+00:00"}
        subprocess.run(["git", "-C", str(regions.root), "-c", "user.name=S", "-c", "user.email=s@example.org",
                        "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main", date="2025-01-01")
    git("add", "-A", date="2025-01-01")
    git("commit", "-q", "-m", "Eerste versie", date="2025-01-01")
    _inkoop(regions, SEQUENCE)
    git("commit", "-q", "-am", "Raad: zienswijze en toestemming", date="2025-03-01")
    (region,) = regions.check().regions
    history = decision_history(regions.root)(region)
    assert [s.decisions["inkoop"]["council_role"] for s in history] == ["wensen-en-bedenkingen", "toestemming"]
    sentences = [c.sentence for c in change_log(region, AS_OF, history).changes if c.kind == "besluit"]
    assert any("‘toestemming’" in s and "Vaststellen van de inkoopstrategie" in s for s in sentences), sentences


def test_govsite_diff_names_new_steps_and_authority(regions):
    """govsite diff (public function diff_revisions) says how the council's steps and the authority changed."""
    import os
    import subprocess

    from generator.commands.govdiff import diff_revisions

    repo = regions.root

    def git(*args: str) -> None:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo),
               "GIT_AUTHOR_DATE": "2026-01-05T10:00:00+01:00", "GIT_COMMITTER_DATE": "2026-01-05T10:00:00+01:00"}
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=S", "-c", "user.email=s@example.org",
                        "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "Regio")
    git("checkout", "-q", "-b", "wijziging")
    _inkoop(regions, SEQUENCE + "    authority:\n      kind: mandaat\n      granted_by: colleges\n"
                                "    basis:\n      agreement: gr-jeugd\n      article: \"5\"\n")
    git("commit", "-q", "-am", "Stappen en mandaat")
    report = diff_revisions(repo, "main", "wijziging", AS_OF)
    for sentence in [
        "Besluit *Vaststellen van de inkoopstrategie*: rol van de raad nu toestemming (was: wensen en bedenkingen).",
        "Besluit *Vaststellen van de inkoopstrategie*: stappen van de raad nu zienswijze op het ontwerp, dan "
        "toestemming op het besluit (was: één rol).",
        "Besluit *Vaststellen van de inkoopstrategie*: bevoegdheid nu mandaat van de colleges van B en W "
        "(was: niet vastgelegd).",
    ]:
        assert f"- {sentence}\n" in report, report


# --- mandate, delegation and where a resident objects ----------------------------------------

def test_mandate_without_who_gave_it_is_an_error_at_its_kind(regions):
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: mandaat\n")
    found = regions.error("decisions.yaml", "bij mandaat hoort 'granted_by'",
                          line=regions.line("decisions.yaml", "kind: mandaat"), col=13)
    assert "art. 10:1 Awb" in found.message


def test_own_power_given_by_someone_is_an_error(regions):
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: eigen\n      granted_by: ab\n")
    regions.error("decisions.yaml", "bij 'eigen' heeft het orgaan dat besluit de bevoegdheid zelf",
                  line=regions.line("decisions.yaml", "granted_by: ab"), col=19)


def test_granted_by_must_be_a_body(regions):
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: delegatie\n      granted_by: abb\n")
    found = regions.error("decisions.yaml", "orgaan 'abb' bestaat niet",
                          line=regions.line("decisions.yaml", "granted_by: abb"), col=19)
    assert "Bedoelt u 'ab'" in found.message


def test_a_body_does_not_mandate_itself(regions):
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: mandaat\n      granted_by: db\n")
    regions.error("decisions.yaml", "'db' besluit zelf: een orgaan geeft zichzelf geen mandaat",
                  line=regions.line("decisions.yaml", "granted_by: db"), col=19)


def test_a_mandated_decision_is_taken_in_the_mandators_name(regions):
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: mandaat\n"
                     "      granted_by: colleges\n      in_name_of: db\n")
    found = regions.error("decisions.yaml", "bij mandaat wordt het besluit genomen namens wie het mandaat gaf",
                          line=regions.line("decisions.yaml", "in_name_of: db"), col=19)
    assert "art. 10:2 Awb" in found.message and "'in_name_of: colleges'" in found.message


def test_a_delegated_decision_is_taken_in_the_delegates_own_name(regions):
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: delegatie\n"
                     "      granted_by: colleges\n      in_name_of: colleges\n")
    found = regions.error("decisions.yaml", "bij delegatie besluit 'db' in eigen naam (art. 10:13 Awb)",
                          line=regions.line("decisions.yaml", "in_name_of: colleges"), col=19)
    assert "kies dan 'mandaat'" in found.message


def test_no_delegation_to_officials(regions):
    """The deciding body 'uitvoering' is an uitvoeringsorganisatie: officials get a mandate, not a delegation."""
    regions.replace("decisions.yaml", "    decides: db\n    prepares: uitvoering\n",
                    "    decides: uitvoering\n    prepares: uitvoering\n")
    _inkoop(regions, "    council_role: informatie\n    authority:\n      kind: delegatie\n      granted_by: db\n")
    found = regions.error("decisions.yaml", "'uitvoering' is een ambtelijke organisatie: delegatie aan ondergeschikten "
                                            "kan niet (art. 10:14 Awb)",
                          line=regions.line("decisions.yaml", "kind: delegatie"), col=13)
    assert "'kind: mandaat'" in found.message


def _decision(regions, authority: str, basis: bool = True):
    lines = "    council_role: informatie\n    authority:\n" + authority
    if basis:
        lines += "    basis:\n      agreement: gr-jeugd\n      article: \"5\"\n"
    _inkoop(regions, lines)
    return regions.state().region.decisions.decisions[1]


def test_objection_under_a_mandate_of_the_colleges_goes_to_ones_own_college(regions):
    decision = _decision(regions, "      kind: mandaat\n      granted_by: colleges\n")
    region = regions.state().region
    found = facts.objection(region, decision)
    assert (found.body, found.name, found.mandate) == (
        "colleges", "het college van burgemeester en wethouders van uw eigen gemeente", True)


def test_objection_under_delegation_goes_to_the_delegate_with_its_address(regions):
    regions.replace("organisation.yaml", "    role: opdrachtgever\n",
                    "    role: opdrachtgever\n    address: Postbus 1, 2300 AA Leiden\n"
                    "    website: https://example.org/bezwaar\n")
    decision = _decision(regions, "      kind: delegatie\n      granted_by: colleges\n")
    found = facts.objection(regions.state().region, decision)
    assert (found.body, found.name, found.address, found.website, found.mandate) == (
        "db", "Dagelijks bestuur", "Postbus 1, 2300 AA Leiden", "https://example.org/bezwaar", False)
    assert not regions.gaps(), describe(regions.gaps())


def test_no_objection_where_none_is_possible(regions):
    decision = _decision(regions, "      kind: eigen\n      objection: false\n")
    assert facts.objection(regions.state().region, decision) is None


def test_gaps_mandate_not_recorded_and_nowhere_to_object(regions):
    _decision(regions, "      kind: delegatie\n      granted_by: colleges\n", basis=False)
    gaps = regions.gaps()
    where = find(gaps, "decisions.yaml", "staat niet waar de delegatie is vastgelegd")
    assert (where.line, where.col) == (regions.line("decisions.yaml", "kind: delegatie"), 7)
    assert "Bron: art. 10:5 lid 2 en 10:15 Awb" in where.message
    nowhere = find(gaps, "organisation.yaml", "waar zij bezwaar maken tegen 'Vaststellen van de inkoopstrategie'")
    assert nowhere.line == regions.line("organisation.yaml", "- id: db")


def test_the_decisions_page_shows_the_sequence_the_mandate_and_where_to_object(regions, tmp_path):
    _inkoop(regions, SEQUENCE + "    authority:\n      kind: mandaat\n      granted_by: colleges\n"
                                "    basis:\n      agreement: gr-jeugd\n      article: \"5\"\n")
    (region,) = regions.check().regions
    render_region(region, AS_OF, tmp_path / "docs", {})
    page = (tmp_path / "docs" / "besluitvorming.md").read_text(encoding="utf-8")
    assert "| zienswijze op het ontwerp, dan toestemming op het besluit |" in page
    assert "1. Zienswijze op het ontwerp (acht weken, art. 1 lid 3 Wgr)." in page
    assert "2. Toestemming op het besluit." in page
    assert "**Bevoegdheid:** mandaat: het besluit wordt genomen namens de colleges van B en W. Het orgaan" in page
    assert ("**Bezwaar maken bij:** het college van burgemeester en wethouders van uw eigen gemeente. Het besluit "
            "is genomen namens dit orgaan, dus daar maakt u bezwaar (art. 6:4 en 10:2 Awb).") in page


def test_a_look_back_names_a_basis_that_came_later_without_a_dead_link(regions, tmp_path):
    """decisions.yaml describes today: seen on a date when the article did not exist yet (article 5 came with
    version 2.0 of 2026), the basis is named, not linked to an anchor that page does not have."""
    (region,) = regions.check().regions
    render_region(region, dt.date(2025, 6, 1), tmp_path / "docs", {})
    page = (tmp_path / "docs" / "besluitvorming.md").read_text(encoding="utf-8")
    assert ("- **Grondslag:** artikel 5 van Gemeenschappelijke regeling Jeugd Leidse regio (staat niet in de versie "
            "die op 1 juni 2025 gold)") in page
    assert "#artikel-5" not in page
    render_region(region, AS_OF, tmp_path / "now", {})
    now = (tmp_path / "now" / "besluitvorming.md").read_text(encoding="utf-8")
    assert "(afspraken/gr-jeugd/index.md#artikel-5)" in now


# --- the gemeenschappelijke adviescommissie ---------------------------------------------------

def test_adviescommissie_is_an_instrument_and_a_body_of_an_openbaar_lichaam(regions):
    regions.replace("organisation.yaml", "    kind: ambtelijk-overleg\n",
                    "    kind: gemeenschappelijke-adviescommissie\n")
    regions.replace("accountability.yaml", "  - kind: informatiebijeenkomst\n",
                    "  - kind: gemeenschappelijke-adviescommissie\n")
    assert not regions.errors(), describe(regions.errors())
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: convenant")
    body = regions.error("organisation.yaml", "bestaat alleen bij een openbaar lichaam; deze regio is een convenant",
                         line=regions.line("organisation.yaml", "kind: gemeenschappelijke-adviescommissie"), col=11)
    assert "art. 24a Wgr" in body.message and "'raadsadviescommissie'" in body.message
    regions.error("accountability.yaml", "bestaat alleen bij een openbaar lichaam",
                  line=regions.line("accountability.yaml", "kind: gemeenschappelijke-adviescommissie"), col=11)


def test_raadsadviescommissie_stays_valid(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: convenant")
    regions.replace("accountability.yaml", "  - kind: informatiebijeenkomst\n", "  - kind: raadsadviescommissie\n")
    assert not [f for f in regions.errors() if "adviescommissie" in f.message]


# --- zienswijze rounds ------------------------------------------------------------------------

ROUND = """zienswijze_rounds:
  - id: ontwerpbegroting-2027
    subject: Ontwerpbegroting 2027
    decision: begroting
    sent: 2026-04-10
    term_days: 84
    document: https://example.org/ontwerpbegroting-2027.pdf
    views:
      - municipality: GM0546
        date: 2026-06-20
        summary: Leiden vraagt om lagere kosten.
        url: https://example.org/leiden-zienswijze.pdf
      - municipality: GM0547
        date: 2026-06-25
"""
ANSWER = """    answer:
      date: 2026-07-02
      url: https://example.org/reactie.pdf
      summary: Het bestuur verlaagt de kosten niet, omdat de vraag naar jeugdhulp stijgt.
"""


def _round(regions, text: str = ROUND + ANSWER) -> None:
    regions.write("accountability.yaml", regions.text("accountability.yaml") + text)


def test_a_round_with_its_answer_is_valid_and_complete(regions):
    _round(regions)
    checked = regions.check()
    assert checked.findings == [], describe(checked.findings)
    (round_,) = facts.zienswijze_rounds(regions.state().region, AS_OF)
    assert round_.ends == dt.date(2026, 7, 3)
    assert [(c.name, c.view is not None) for c in round_.councils] == [
        ("Leiden", True), ("Leiderdorp", True), ("Noordwijk", False), ("Oegstgeest", False)]
    assert round_.answer.date == dt.date(2026, 7, 2)


def test_a_round_as_it_stood_before_the_answer(regions):
    _round(regions)
    (round_,) = facts.zienswijze_rounds(regions.state().region, dt.date(2026, 6, 21))
    assert [c.name for c in round_.given] == ["Leiden"] and round_.answer is None
    assert facts.zienswijze_rounds(regions.state().region, dt.date(2026, 4, 9)) == []


def test_a_zienswijze_from_a_non_member_is_an_error(regions):
    _round(regions, ROUND.replace("GM0547", "GM0638"))  # Zoeterwoude left at the end of 2025
    found = regions.error("accountability.yaml", "gemeente Zoeterwoude was op 2026-04-10 (sent) geen deelnemer",
                          line=regions.line("accountability.yaml", "municipality: GM0638"), col=23)
    # the councils of the participants get the draft regeling (art. 1 lid 3) and the draft budget (art. 35)
    assert "zienswijze (art. 1 lid 3 en art. 35 Wgr)." in found.message


def test_a_zienswijze_before_the_draft_went_out_is_an_error(regions):
    _round(regions, ROUND.replace("date: 2026-06-25", "date: 2026-03-25"))
    regions.error("accountability.yaml", "de zienswijze (2026-03-25) ligt vóór de dag waarop het ontwerp",
                  line=regions.line("accountability.yaml", "date: 2026-03-25"), col=15)


def test_an_answer_before_a_zienswijze_is_an_error_at_the_answers_date(regions):
    _round(regions, ROUND + ANSWER.replace("2026-07-02", "2026-06-22"))
    regions.error("accountability.yaml", "de reactie van het bestuur (2026-06-22) ligt vóór de zienswijze van "
                                         "Leiderdorp (2026-06-25)",
                  line=regions.line("accountability.yaml", "date: 2026-06-22"), col=13)


def test_two_zienswijzen_of_one_council_and_an_unknown_decision(regions):
    _round(regions, ROUND.replace("GM0547", "GM0546").replace("decision: begroting", "decision: begrotin"))
    regions.error("accountability.yaml", "gemeente 'GM0546' komt twee keer voor",
                  line=regions.line("accountability.yaml", "date: 2026-06-25") - 1, col=23)
    regions.error("accountability.yaml", "besluit 'begrotin' bestaat niet in decisions.yaml",
                  line=regions.line("accountability.yaml", "decision: begrotin"), col=15)


def test_a_round_past_its_term_without_an_answer_is_a_gap(regions):
    _round(regions, ROUND)
    gap = find(regions.gaps(), "accountability.yaml",
               "nog niet gereageerd op de zienswijzen over Ontwerpbegroting 2027")
    assert (gap.line, gap.col) == (regions.line("accountability.yaml", "- id: ontwerpbegroting-2027"), 5)
    assert "3 juli 2026" in gap.message and "Bron: eigen norm van deze site" in gap.message
    assert not [g for g in regions.gaps(on=dt.date(2026, 7, 3)) if "zienswijzen over" in g.message]


def test_the_council_page_lists_the_round(regions, tmp_path):
    _round(regions)
    (region,) = regions.check().regions
    render_region(region, AS_OF, tmp_path / "docs", {})
    page = (tmp_path / "docs" / "raad.md").read_text(encoding="utf-8")
    section = page[page.index("## Zienswijzen van de raden"):page.index("## Hoe worden raden geïnformeerd?")]
    assert "### Ontwerpbegroting 2027" in section
    assert "Zij konden tot en met 3 juli 2026 een zienswijze geven (84 dagen, 12 weken)" in section
    assert "**2 van de 4** raden gaven een zienswijze." in section
    assert "| [Noordwijk](../../gemeenten/gm0575/) | Geen zienswijze | – |" in section
    assert "[raadsbesluit](https://example.org/leiden-zienswijze.pdf)" in section
    assert "**Reactie van het bestuur** (2 juli 2026): [lees de reactie](https://example.org/reactie.pdf)." in section


def test_a_late_zienswijze_is_marked_as_such(regions, tmp_path):
    _round(regions, ROUND.replace("date: 2026-06-25", "date: 2026-07-10"))
    (region,) = regions.check().regions
    render_region(region, AS_OF, tmp_path / "docs", {})
    page = (tmp_path / "docs" / "raad.md").read_text(encoding="utf-8")
    assert "| [Leiderdorp](../../gemeenten/gm0547/) | Zienswijze gegeven | 10 juli 2026 (na de termijn) |" in page


# --- the shipped examples (issue 17 item 7) ----------------------------------------------------

def test_the_examples_validate_without_errors_or_legal_gaps(tmp_path):
    """The example regions are legally right as of the test date: no error and no gap whose source is the law
    (norms.NORMS, kind 'wet'); gaps of govsite's own norm stay, the examples show them on purpose."""
    from govsite_cli import ROOT, govsite

    from generator.domain.norms import NORMS

    done = govsite("validate", "--regions", str(ROOT / "examples"), "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 fouten" in done.stdout
    legal = {f"Bron: {norm.source}." for norm in NORMS.values() if norm.legal}
    gaps = [line for line in done.stdout.splitlines() if ": gap: " in line]
    assert gaps, done.stdout  # the check ran and found the examples' deliberate gaps
    assert not [line for line in gaps if any(line.endswith(source) for source in legal)], done.stdout


def test_the_examples_use_the_new_fields():
    """The examples show a sequence of council roles, a mandate and a delegation with where to object, and a
    zienswijze round with its answer."""
    from govsite_cli import ROOT

    from generator.pipeline import check

    checked = check(ROOT / "examples", None, AS_OF)
    by_id = {r.id: r for r in checked.regions}
    west, noord = by_id["voorbeeldland-west-jeugd"], by_id["voorbeeldland-noord-beschermd-wonen"]
    decisions = {d.id: d for d in west.decisions.decisions}
    assert [(s.role, s.on) for s in decisions["wijziging-regeling"].council_roles] == [
        ("zienswijze", "ontwerp"), ("toestemming", "besluit")]
    subsidy = facts.objection(west, decisions["subsidies"])
    assert (subsidy.body, subsidy.mandate, subsidy.address) == ("db", False, "Postbus 1001, 0001 AA Voorbeeldstad")
    access = facts.objection(noord, next(d for d in noord.decisions.decisions if d.id == "toegang"))
    assert (access.body, access.mandate) == ("college-oefenstad", True)
    (round_,) = facts.zienswijze_rounds(west, AS_OF)
    assert len(round_.given) == 3 and len(round_.councils) == 13 and round_.answer is not None


def test_the_change_log_lists_each_zienswijze_and_the_answer(regions):
    from generator.domain.changes import change_log

    _round(regions)
    (region,) = regions.check().regions
    changes = [(c.date, c.kind, c.sentence, c.url) for c in change_log(region, AS_OF).changes if c.kind == "zienswijze"]
    assert changes == [
        (dt.date(2026, 7, 2), "zienswijze", "Het bestuur reageerde op de zienswijzen over Ontwerpbegroting 2027.",
         "raad/"),
        (dt.date(2026, 6, 25), "zienswijze", "De raad van Leiderdorp gaf een zienswijze over Ontwerpbegroting 2027.",
         "raad/"),
        (dt.date(2026, 6, 20), "zienswijze", "De raad van Leiden gaf een zienswijze over Ontwerpbegroting 2027.",
         "raad/"),
    ]


def test_a_look_back_shows_the_role_of_the_commit_not_todays_steps(regions):
    """A commit before the sequence had one role: seen on its date, the decision shows that role alone."""
    from generator.domain.changes import DecisionSnapshot, decisions_on

    _inkoop(regions, SEQUENCE)
    (region,) = regions.check().regions
    history = [DecisionSnapshot(dt.date(2025, 1, 1), "a" * 40, {"inkoop": {"council_role": "wensen-en-bedenkingen"}}),
               DecisionSnapshot(dt.date(2025, 3, 1), "b" * 40, {"inkoop": {"council_role": "toestemming"}})]
    past, _ = decisions_on(region, dt.date(2025, 2, 1), history)
    inkoop = next(d for d in past if d.id == "inkoop")
    assert (inkoop.council_role, inkoop.council_roles) == ("wensen-en-bedenkingen", [])
    now, _ = decisions_on(region, AS_OF, history)
    assert len(next(d for d in now if d.id == "inkoop").council_roles) == 2
