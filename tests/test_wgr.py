"""The checks of the Wet gemeenschappelijke regelingen (issue 17 item 2), each applied by the law in
force on the date checked, each with a failing fixture: message, file, line and column.

The fixture region (conftest.py) is an openbaar lichaam that meets them all on AS_OF; each test breaks
one thing.
"""
from __future__ import annotations

import datetime as dt

from conftest import AS_OF, find

D = dt.date


def _gap(regions, file: str, text: str, on: dt.date = AS_OF):
    return find(regions.gaps(on), file, text)


def _gaps_before_2026(regions, on: dt.date):
    """The gaps on a date before 2026: the basis of the budget decision (article 5) is of version 2.0."""
    regions.replace("decisions.yaml", '    basis:\n      agreement: gr-jeugd\n      article: "5"\n', "")
    assert regions.errors(on) == []  # a region with errors has no gaps: the test would prove nothing
    return regions.gaps(on)


# --- art. 35 Wgr: the term for the zienswijze on the draft budget -------------------------

def test_draft_budget_term_under_twelve_weeks_is_an_error(regions):
    regions.replace("accountability.yaml", "term_days: 84", "term_days: 56")
    found = regions.error("accountability.yaml", "de raden hebben voor hun zienswijze op de ontwerpbegroting 12 weken",
                          line=regions.line("accountability.yaml", "term_days: 56"), col=16)
    assert "art. 35 Wgr" in found.message and "hier staan 56 dagen" in found.message
    assert "Schrijf 'term_days: 84'" in found.message


def test_eight_weeks_were_lawful_in_2016(regions):
    # a regeling of 2015 with eight weeks was lawful then: --as-of 2016-01-01 shows no error
    regions.replace("accountability.yaml", "term_days: 84", "term_days: 56")
    on = D(2016, 1, 1)
    assert [f for f in regions.errors(on) if f.path.endswith("accountability.yaml")] == []
    regions.replace("accountability.yaml", "term_days: 56", "term_days: 42")
    found = regions.error("accountability.yaml", "8 weken", line=regions.line("accountability.yaml", "term_days"),
                          col=16, on=on)
    assert "zoals het gold op 2016-01-01" in found.message


def test_six_weeks_were_lawful_before_2015(regions):
    regions.replace("accountability.yaml", "term_days: 84", "term_days: 42")
    assert [f for f in regions.errors(D(2014, 12, 31)) if f.path.endswith("accountability.yaml")] == []


def test_twelve_weeks_from_the_first_of_july_2022(regions):
    regions.replace("accountability.yaml", "term_days: 84", "term_days: 56")
    assert [f for f in regions.errors(D(2022, 6, 30)) if f.path.endswith("accountability.yaml")] == []
    regions.error("accountability.yaml", "12 weken", on=D(2022, 7, 1))


def test_the_term_is_found_by_its_typed_value_not_its_subject(regions):
    # the same short term on an instrument about the kaderbrief is no breach of art. 35
    regions.replace("accountability.yaml", "applies_to: ontwerpbegroting\n    term_days: 84",
                    "applies_to: kaderbrief\n    term_days: 56")
    assert regions.errors() == []
    # ... and without a typed value nothing is read from the subject 'Ontwerpbegroting'
    regions.replace("accountability.yaml", "    applies_to: kaderbrief\n", "")
    assert regions.errors() == []


def test_the_term_applies_only_to_a_body_with_a_budget_of_its_own(regions):
    regions.replace("accountability.yaml", "term_days: 84", "term_days: 56")
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: regeling-zonder-meer")
    assert [f for f in regions.errors() if f.path.endswith("accountability.yaml")] == []


# --- art. 1 and 8 Wgr: the legal form and the founding agreement --------------------------

CONVENANT = """
    id: convenant-jeugd
    title: Convenant jeugd
    kind: convenant
    versions:
      - version: "1.0"
        adopted: 2014-11-20
        effective: 2015-01-01
    """


def test_a_wgr_form_on_a_convenant_is_an_error(regions):
    regions.write("agreements/convenant-jeugd.yaml", CONVENANT)
    regions.replace("region.yaml", "founding_agreement: gr-jeugd", "founding_agreement: convenant-jeugd")
    found = regions.error("region.yaml", "een openbaar-lichaam is een vorm van de Wet gemeenschappelijke regelingen",
                          line=regions.line("region.yaml", "legal_form:"), col=13)
    assert "'convenant-jeugd' is een convenant" in found.message and "art. 1 en 8 Wgr" in found.message


def test_a_network_on_a_gemeenschappelijke_regeling_is_an_error(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: netwerk")
    found = regions.error("region.yaml", "de oprichtingsafspraak 'gr-jeugd' is een gemeenschappelijke regeling, maar "
                                         "een netwerk is geen vorm van de Wet gemeenschappelijke regelingen",
                          line=regions.line("region.yaml", "legal_form:"), col=13)
    assert "Kies de vorm uit de regeling" in found.message


def test_a_centrumgemeente_on_a_convenant_may_not_name_a_regeling(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam",
                    "legal_form: centrumgemeente\nlegal_basis: convenant")
    found = regions.error("region.yaml", "een centrumgemeente op een convenant is geen vorm",
                          line=regions.line("region.yaml", "legal_form:"), col=13)
    assert "'legal_basis: wgr'" in found.message
    regions.replace("region.yaml", "legal_basis: convenant", "legal_basis: wgr")
    assert regions.errors() == []


def test_legal_basis_only_for_a_centrumgemeente(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: openbaar-lichaam\nlegal_basis: wgr")
    regions.error("region.yaml", "'legal_basis' hoort alleen bij een centrumgemeente",
                  line=regions.line("region.yaml", "legal_basis:"), col=14)


def test_a_centrumgemeente_says_what_it_rests_on(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: centrumgemeente")
    gap = _gap(regions, "region.yaml", "Niet vastgelegd of de centrumgemeente rust op een gemeenschappelijke regeling")
    assert (gap.line, gap.col) == (regions.line("region.yaml", "legal_form:"), 13)
    assert gap.message.endswith("Bron: eigen norm van deze site.")


def test_a_regeling_without_its_founding_regeling_is_a_gap(regions):
    regions.replace("region.yaml", "founding_agreement: gr-jeugd\n", "")
    gap = _gap(regions, "region.yaml", "rust op een gemeenschappelijke regeling, maar die regeling is niet genoemd")
    assert (gap.line, gap.col) == (regions.line("region.yaml", "legal_form:"), 13)
    assert gap.message.endswith("Bron: art. 1 en 8 Wgr.")


# --- art. 1 lid 4 and 5 Wgr: the council's consent when only the college takes part -------

def test_only_colleges_take_part_and_no_decision_asks_consent(regions):
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    bodies: [college]\n")
    gap = _gap(regions, "region.yaml", "Dan moet de raad toestemming geven voor toetreden, wijzigen en uittreden")
    assert (gap.line, gap.col) == (regions.line("region.yaml", "bodies: [college]"), 13)
    assert gap.message.endswith("Bron: art. 1 lid 4 en 5 Wgr.")
    regions.replace("decisions.yaml", "council_role: wensen-en-bedenkingen", "council_role: toestemming")
    assert regions.gaps() == []


def test_the_council_taking_part_itself_needs_no_consent(regions):
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    bodies: [raad, college]\n")
    assert regions.gaps() == []


def test_a_body_named_twice(regions):
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    bodies: [raad, raad]\n")
    regions.error("region.yaml", "'raad' staat twee keer in de lijst", line=regions.line("region.yaml", "bodies:"),
                  col=20)


# --- the content every regeling has had since 1 July 2024 ----------------------------------

def test_citizen_participation(regions):
    regions.replace("accountability.yaml", "participation: Inwoners praten mee in een klankbordgroep jeugd.\n", "")
    gap = _gap(regions, "accountability.yaml", "Niet beschreven hoe inwoners en belanghebbenden meedoen")
    assert (gap.line, gap.col) == (1, 1)
    assert "Wet versterking democratische legitimatie Wgr" in gap.message
    # not required before 1 July 2024
    assert not [g for g in _gaps_before_2026(regions, D(2024, 6, 30)) if "meedoen" in g.message]


def test_exit_consequences_for_assets_and_liabilities(regions):
    regions.replace("accountability.yaml", "  assets: De uittredende gemeente krijgt haar deel van de reserves en draagt "
                                           "haar deel van de schulden.\n", "")
    gap = _gap(regions, "accountability.yaml", "Niet beschreven wat uittreding betekent voor het vermogen")
    assert (gap.line, gap.col) == (regions.line("accountability.yaml", "notice_months"), 3)  # the exit group
    assert gap.message.endswith("Bron: art. 9 lid 1 Wgr, sinds 1 juli 2024.")


def test_exit_conditions(regions):
    regions.replace("accountability.yaml", "  conditions: Uittreden kan per 1 januari, na een jaar opzegtermijn.\n", "")
    gap = _gap(regions, "accountability.yaml", "De voorwaarden voor uittreding ontbreken")
    assert gap.line == regions.line("accountability.yaml", "notice_months")


def test_which_board_decisions_get_a_zienswijze(regions):
    regions.replace("decisions.yaml", "council_role: zienswijze", "council_role: informatie")
    gap = _gap(regions, "decisions.yaml", "over welke besluiten van het bestuur de raden een zienswijze geven")
    assert (gap.line, gap.col) == (2, 3)
    assert not [g for g in _gaps_before_2026(regions, D(2024, 6, 30)) if "welke besluiten" in g.message]


def test_evaluation_of_a_regeling_cites_the_law_since_2024(regions):
    regions.replace("accountability.yaml", "  next: 2027-06-01\n", "")
    gap = _gap(regions, "accountability.yaml", "Er is geen datum voor de volgende evaluatie")
    # art. 11a Wgr asks for rules on evaluation; the date is govsite's own addition, and the source says so
    assert "Bron: art. 11a Wgr, sinds 1 juli 2024 (de datum: eigen norm van deze site)." in gap.message
    before = find(_gaps_before_2026(regions, D(2024, 6, 30)), "accountability.yaml",
                  "Er is geen datum voor de volgende evaluatie")
    assert before.message.endswith("Bron: eigen norm van deze site.")


def test_the_zienswijze_on_the_draft_budget_is_recorded(regions):
    regions.replace("accountability.yaml", "    applies_to: ontwerpbegroting\n", "")
    gap = _gap(regions, "accountability.yaml", "Niet vastgelegd dat de raden hun zienswijze geven op de ontwerpbegroting")
    assert (gap.line, gap.col) == (regions.line("accountability.yaml", "council_instruments:") + 1, 3)
    assert gap.message.endswith("Bron: art. 35 Wgr.")


def test_a_network_has_no_wgr_gaps(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: netwerk")
    regions.replace("region.yaml", "founding_agreement: gr-jeugd\n", "")
    regions.replace("accountability.yaml", "participation: Inwoners praten mee in een klankbordgroep jeugd.\n", "")
    regions.replace("decisions.yaml", "    body: gedeputeerde-staten\n", "    title: Een bemiddelaar\n")
    assert regions.gaps() == []


# --- art. 28 Wgr: a dispute between the participants goes to Gedeputeerde Staten -----------

def test_a_ladder_that_does_not_end_at_gedeputeerde_staten(regions):
    regions.replace("decisions.yaml", "    body: gedeputeerde-staten\n", "    title: Gedeputeerde Staten\n")
    gap = _gap(regions, "decisions.yaml", "De escalatieladder eindigt niet bij Gedeputeerde Staten")
    assert (gap.line, gap.col) == (regions.line("decisions.yaml", "step: 3"), 5)
    assert gap.message.endswith("Bron: art. 28 Wgr.")


# --- what the national register says about the participants (register.yaml, helper D's format) ----

def _register(*extra: dict, bodies=("raad", "college")) -> str:
    import yaml

    participants = [{"code": code, "name": name, "kind": "gemeente", "since": "2015-01-01", "bodies": list(bodies)}
                    for code, name in (("GM0546", "Leiden"), ("GM0547", "Leiderdorp"))]
    return yaml.safe_dump({
        "id": "leidse-regio", "kind": "gemeenschappelijke-regeling", "name": "Jeugdregio Leidse regio",
        "source": {"register": "Register van Overheidsorganisaties", "url": "https://organisaties.overheid.nl/",
                   "retrieved": "2026-05-16", "licence": "CC0 1.0"},
        "legal_form": "openbaar-lichaam",
        "versions": [{"roo_id": "1", "title": "Gemeenschappelijke regeling Jeugd Leidse regio",
                      "effective": "2015-01-01", "participants": participants + list(extra)}]},
        allow_unicode=True, sort_keys=False)


def test_consent_when_the_register_says_only_colleges_take_part(regions):
    regions.write("register.yaml", _register(bodies=("college",)))
    assert regions.errors() == []
    gap = _gap(regions, "register.yaml", "Dan moet de raad toestemming geven")
    assert gap.message.endswith("Bron: art. 1 lid 4 en 5 Wgr.")


def test_with_a_province_in_the_register_art_28_is_not_checked(regions):
    regions.replace("decisions.yaml", "    body: gedeputeerde-staten\n", "    title: Gedeputeerde Staten\n")
    regions.write("register.yaml", _register())
    assert regions.errors() == []
    _gap(regions, "decisions.yaml", "De escalatieladder eindigt niet bij Gedeputeerde Staten")
    regions.write("register.yaml", _register({"name": "Provincie Zuid-Holland", "kind": "provincie",
                                              "since": "2015-01-01", "bodies": ["gedeputeerde-staten"]}))
    assert not [g for g in regions.gaps() if "Gedeputeerde Staten" in g.message]


# --- govsite diff names the new fields ---------------------------------------------------------

def test_govsite_diff_names_the_new_fields(regions, tmp_path):
    import subprocess

    from govsite_cli import govsite

    repo = regions.root.parent

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "basis")
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    bodies: [college]\n")
    regions.replace("accountability.yaml", "applies_to: ontwerpbegroting", "applies_to: begrotingswijziging")
    regions.replace("accountability.yaml", "participation: Inwoners praten mee in een klankbordgroep jeugd.",
                    "participation: Inwoners praten mee in een panel.")
    regions.replace("accountability.yaml", "  assets: De uittredende gemeente krijgt haar deel van de reserves",
                    "  assets: De uittredende gemeente krijgt niets van de reserves")
    result = govsite("diff", "HEAD", "--regions", str(regions.root), "--as-of", "2026-11-26", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "neemt nu deel met: college (was: niet vastgelegd)" in out
    assert "gaat nu over: begrotingswijziging (was: ontwerpbegroting)" in out
    assert "De afspraken over burgerparticipatie zijn aangepast." in out
    assert "De regels voor uittreding zijn aangepast." in out
