"""The council's agenda (generator/domain/agenda.py) and the budget cycle's checks: the legal deadlines of
the Wet gemeenschappelijke regelingen by the law in force, recorded dates before legal latest ones, the
agenda of a municipality over its regions, and the rules and gap on accountability.yaml's `cycle`."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from conftest import AS_OF, REGION, describe, find

from generator.domain import agenda

D = dt.date

CYCLE = """
cycle:
  - year: 2028
    frameworks_sent: 2027-04-01
    frameworks_document: https://example.org/kaderbrief-2028.pdf
    draft_sent: 2027-04-08
    draft_document: https://example.org/ontwerpbegroting-2028.pdf
    board_meeting: 2027-07-08
evaluation:"""


def with_cycle(regions, text: str = CYCLE) -> None:
    regions.replace("accountability.yaml", "evaluation:", text.strip("\n"))


def agenda_of(regions, start=AS_OF, days=agenda.COMING_DAYS, region=REGION):
    checked = regions.check()
    assert not checked.errors, describe(checked.errors)
    (found,) = [r for r in checked.regions if r.id == region]
    return agenda.region_agenda(found, start, start + dt.timedelta(days=days))


def as_convenant(regions) -> None:
    """The fixture region as a convenant: no form of the Wgr, and its founding agreement no regeling."""
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legal_form: convenant")
    regions.replace("agreements/gr-jeugd.yaml", "kind: gemeenschappelijke-regeling", "kind: convenant")


def by_key(items):
    return {item.key: item for item in items}


# --- the law's deadlines, by the law in force ----------------------------------------------------

def test_the_legal_deadlines_follow_the_law_in_force_on_their_day():
    # Since 1 July 2022: frameworks before 30 April (art. 34b), budget to GS before 15 September (art. 34).
    assert agenda.frameworks_deadline(2027) == D(2026, 4, 29)
    assert agenda.gs_deadline(2027) == D(2026, 9, 14)
    # Before: 15 April and 1 August (the budget for 2022 was made in 2021).
    assert agenda.frameworks_deadline(2022) == D(2021, 4, 14)
    assert agenda.gs_deadline(2022) == D(2021, 7, 31)
    # The budget for 2023 reached GS after 1 July 2022: the new date; its frameworks came before.
    assert agenda.gs_deadline(2023) == D(2022, 9, 14)
    assert agenda.frameworks_deadline(2023) == D(2022, 4, 14)
    # Within two weeks of adoption, and never after the date of the law.
    assert agenda.gs_deadline(2027, adopted=D(2026, 7, 2)) == D(2026, 7, 16)
    assert agenda.gs_deadline(2027, adopted=D(2026, 9, 10)) == D(2026, 9, 14)
    assert agenda.accounts_gs_deadline(2026) == D(2027, 7, 14)


def test_the_zienswijze_term_is_twelve_weeks_from_the_day_the_draft_was_sent():
    assert agenda.zienswijze_end(D(2026, 4, 10)) == D(2026, 7, 3)
    assert agenda.zienswijze_end(D(2022, 7, 1)) == D(2022, 9, 23)
    assert agenda.zienswijze_end(D(2022, 4, 1)) is None  # the old law's term: not derived here


# --- one region ---------------------------------------------------------------------------------

def test_without_recorded_dates_a_regeling_has_its_legal_latest_dates(regions):
    items = agenda_of(regions)
    assert [i.date for i in items] == sorted(i.date for i in items), "nearest first"
    keys = by_key(items)
    frameworks = keys["kaders-2028"]
    assert (frameworks.date, frameworks.basis, frameworks.latest, frameworks.law) == \
        (D(2027, 4, 29), "wettelijk", True, "art. 34b Wgr")
    gs = keys["begroting-gs-2028"]
    assert (gs.date, gs.basis, gs.latest, gs.law) == (D(2027, 9, 14), "wettelijk", True, "art. 34 Wgr")
    assert gs.title == "Begroting 2028 naar Gedeputeerde Staten"
    assert gs.body == "Dagelijks bestuur"  # the region's own body of that kind
    assert keys["jaarrekening-gs-2026"].date == D(2027, 7, 14)
    # The region's own planning is a latest date too, never a fact.
    planning = keys["planning-ontwerpbegroting-2027"]
    assert (planning.date, planning.basis, planning.latest) == (D(2027, 4, 15), "planning", True)
    assert keys["evaluatie"].latest and keys["evaluatie"].date == D(2027, 6, 1)
    # Facts of the region's files are facts: Carla Smit's term is no agenda item, a version is.
    assert all(not i.latest for i in items if i.kind in ("uittreding", "toetreding", "versie", "afspraak"))
    assert all(i.region_name == "Jeugdregio Leidse regio" for i in items)


def test_recorded_dates_replace_the_legal_latest_ones_under_the_same_id(regions):
    before = by_key(agenda_of(regions))
    with_cycle(regions)
    items = agenda_of(regions)
    keys = by_key(items)
    frameworks = keys["kaders-2028"]
    assert (frameworks.date, frameworks.basis, frameworks.latest) == (D(2027, 4, 1), "vastgelegd", False)
    assert frameworks.document == "https://example.org/kaderbrief-2028.pdf"
    assert frameworks.uid == before["kaders-2028"].uid == "leidse-regio-kaders-2028"
    assert frameworks.sequence > before["kaders-2028"].sequence
    term = keys["zienswijze-begroting-2028"]
    assert (term.date, term.basis, term.latest, term.law) == (D(2027, 7, 1), "berekend", False, "art. 35 Wgr")
    assert "Twaalf weken na 8 april 2027" in term.detail
    meeting = keys["algemeen-bestuur-begroting-2028"]
    assert (meeting.date, meeting.body, meeting.basis) == (D(2027, 7, 8), "Algemeen bestuur", "vastgelegd")
    # Not yet adopted: GS's latest day is still the law's.
    assert keys["begroting-gs-2028"].basis == "wettelijk"


def test_a_recorded_adoption_gives_the_latest_day_for_gedeputeerde_staten(regions):
    with_cycle(regions, CYCLE.replace("    board_meeting: 2027-07-08", "    board_meeting: 2027-07-08\n"
                                                                      "    adopted: 2027-07-08"))
    gs = by_key(agenda_of(regions))["begroting-gs-2028"]
    assert (gs.date, gs.basis, gs.latest) == (D(2027, 7, 22), "berekend", False)
    assert "Binnen twee weken na de vaststelling op 8 juli 2027" in gs.detail


def test_a_board_meeting_without_a_recorded_draft_gives_the_latest_day_to_send_it(regions):
    with_cycle(regions, "cycle:\n  - year: 2028\n    board_meeting: 2027-07-08\nevaluation:")
    draft = by_key(agenda_of(regions))["ontwerpbegroting-2028"]
    assert (draft.date, draft.basis, draft.latest) == (D(2027, 4, 15), "wettelijk", True)


def test_a_convenant_has_no_legal_dates_of_the_wgr(regions):
    as_convenant(regions)
    items = agenda_of(regions)
    assert not [i for i in items if i.basis == "wettelijk"]
    assert not [i for i in items if i.kind in ("kaders", "begroting-gs", "jaarrekening-gs")]


def test_the_past_is_asked_for_with_its_own_range(regions):
    items = agenda_of(regions, start=AS_OF - dt.timedelta(days=agenda.PAST_DAYS), days=agenda.PAST_DAYS - 1)
    assert items and all(i.date < AS_OF for i in items)
    assert by_key(items)["begroting-gs-2027"].date == D(2026, 9, 14)


def test_the_regions_planning_gives_the_zienswijze_term_of_its_council_instrument(regions):
    # The instrument's subject is the planning's document (case does not matter): its term_days after the
    # planned latest date, a planned date too.
    term = by_key(agenda_of(regions))["zienswijze-ontwerpbegroting-2027"]
    assert (term.date, term.basis, term.latest) == (D(2027, 4, 15) + dt.timedelta(days=84), "planning", True)
    assert term.date == D(2027, 7, 8)
    assert term.title == "Termijn voor de zienswijze op Ontwerpbegroting eindigt"
    assert term.detail.startswith("84 dagen na de uiterste datum voor Ontwerpbegroting")
    regions.replace("accountability.yaml", "subject: Ontwerpbegroting", "subject: ontwerpbegroting")
    assert by_key(agenda_of(regions))["zienswijze-ontwerpbegroting-2027"].date == D(2027, 7, 8)
    regions.replace("accountability.yaml", "subject: ontwerpbegroting", "subject: Begroting")
    assert "zienswijze-ontwerpbegroting-2027" not in by_key(agenda_of(regions))


def test_a_recorded_day_replaces_the_planned_one_and_its_term(regions):
    """The budget cycle recorded when the kaderbrief and the draft budget went to the councils: the planning's
    latest days for them are past news, and their zienswijze terms count from the recorded days, once."""
    with_cycle(regions)
    regions.replace("accountability.yaml", "  - kind: informatiebijeenkomst\n",
                    "  - kind: zienswijze\n    subject: Kaderbrief\n    applies_to: kaderbrief\n"
                    "    term_days: 56\n  - kind: informatiebijeenkomst\n")
    items = agenda_of(regions, D(2027, 1, 1), 240)
    keys = by_key(items)
    assert "planning-ontwerpbegroting-2027" not in keys and "planning-kaderbrief-2027" not in keys
    terms = [(i.date, i.basis) for i in items if i.kind == "zienswijze"]
    assert (D(2027, 4, 8) + dt.timedelta(days=84), "berekend") in terms  # the draft budget: art. 35 Wgr
    assert not [day for day, basis in terms if basis == "planning"]
    kaderbrief = keys["zienswijze-kaderbrief-2027"]
    assert (kaderbrief.date, kaderbrief.basis) == (D(2027, 4, 1) + dt.timedelta(days=56), "berekend")
    assert kaderbrief.detail == "56 dagen na 1 april 2027, de dag waarop het stuk naar de raden ging."
    # A year without a recorded cycle keeps its planning.
    assert "planning-ontwerpbegroting-2028" in by_key(agenda_of(regions, D(2028, 1, 1), 200))


def test_an_agreement_that_ends_a_new_version_and_a_member_that_leaves_are_on_the_agenda(regions):
    from test_model import CONVENANT
    regions.write("agreements/convenant-onderwijs.yaml", CONVENANT.replace("ends: 2026-06-01", "ends: 2027-06-30"))
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    until: 2027-03-31\n")
    keys = by_key(agenda_of(regions))
    ends = keys["vervalt-convenant-onderwijs"]
    assert (ends.date, ends.title, ends.basis) == (D(2027, 6, 30), "Convenant onderwijs en jeugdhulp vervalt", "vastgelegd")
    leaves = keys["uittreding-gm0547-1"]
    assert (leaves.date, leaves.title) == (D(2027, 3, 31), "Gemeente Leiderdorp treedt uit")
    version = by_key(agenda_of(regions, start=D(2026, 1, 1)))["versie-gr-jeugd-2-0"]
    assert (version.date, version.title) == \
        (D(2026, 1, 1), "Gemeenschappelijke regeling Jeugd Leidse regio: versie 2.0 treedt in werking")


def test_what_is_coming_reaches_as_far_as_the_agenda_looks(regions):
    def coming_kinds():
        checked = regions.check()
        (region,) = [r for r in checked.regions if r.id == REGION]
        return {item.kind for item in agenda.coming(region, AS_OF)}
    assert "evaluatie" in coming_kinds()  # 1 June 2027
    regions.replace("accountability.yaml", "next: 2027-06-01", "next: 2028-06-01")
    assert "evaluatie" not in coming_kinds()  # more than COMING_DAYS ahead


def test_a_planned_29_february_is_the_28th_in_a_common_year(regions):
    regions.replace("accountability.yaml", 'by: "01-15"', 'by: "02-29"')
    keys = by_key(agenda_of(regions, days=2 * 365))
    assert keys["planning-kaderbrief-2027"].date == D(2027, 2, 28)
    assert keys["planning-kaderbrief-2028"].date == D(2028, 2, 29)
    assert agenda.annual_date("02-29", 2027) == D(2027, 2, 28)


# --- a municipality over its regions -------------------------------------------------------------

def second_region(regions, region_id: str = "holland-rijnland-werk") -> None:
    """A second region with Leiden and Leiderdorp (until mid 2027) and dates of its own."""
    shutil.copytree(regions.folder, regions.root / region_id)
    folder = regions.root / region_id
    text = (folder / "region.yaml").read_text(encoding="utf-8")
    text = text.replace("id: leidse-regio", f"id: {region_id}").replace("Jeugdregio Leidse regio", "Werkregio Rijnland")
    text = text.replace("  - municipality: GM0547\n    since: 2015-01-01\n",
                        "  - municipality: GM0547\n    since: 2015-01-01\n    until: 2027-06-30\n")
    (folder / "region.yaml").write_text(text, encoding="utf-8")
    accountability = (folder / "accountability.yaml").read_text(encoding="utf-8")
    accountability = accountability.replace("evaluation:", "cycle:\n  - year: 2028\n    draft_sent: 2027-03-10\n"
                                            "    board_meeting: 2027-06-10\nevaluation:")
    (folder / "accountability.yaml").write_text(accountability, encoding="utf-8")


def test_a_municipality_sees_the_dates_of_all_its_regions_nearest_first(regions):
    second_region(regions)
    checked = regions.check()
    assert not checked.errors, describe(checked.errors)
    end = AS_OF + dt.timedelta(days=agenda.COMING_DAYS)
    leiden = agenda.municipality_agenda("GM0546", checked.regions, AS_OF, end)
    assert [i.date for i in leiden] == sorted(i.date for i in leiden)
    assert {i.region_name for i in leiden} == {"Jeugdregio Leidse regio", "Werkregio Rijnland"}
    werk = [i for i in leiden if i.region_id == "holland-rijnland-werk"]
    assert by_key(werk)["zienswijze-begroting-2028"].date == D(2027, 6, 2)
    assert not [i for i in leiden if i.cancelled]
    # Leiderdorp leaves the second region on 30 June 2027: what comes after is cancelled for it.
    leiderdorp = agenda.municipality_agenda("GM0547", checked.regions, AS_OF, end)
    left = [i for i in leiderdorp if i.region_id == "holland-rijnland-werk" and i.date > D(2027, 6, 30)]
    assert left and all(i.cancelled for i in left)
    own = [i for i in leiderdorp if i.kind == "uittreding"]
    assert [(i.title, i.cancelled) for i in own] == [("Gemeente Leiderdorp treedt uit", False)]
    # A municipality that left before: nothing of that region.
    zoeterwoude = agenda.municipality_agenda("GM0638", checked.regions, AS_OF, end)
    assert not zoeterwoude


# --- the rules and the gap ----------------------------------------------------------------------

def test_a_board_meeting_inside_the_twelve_weeks_is_an_error_at_its_line(regions):
    with_cycle(regions, CYCLE.replace("board_meeting: 2027-07-08", "board_meeting: 2027-06-17"))
    found = regions.error("accountability.yaml", "De raden hebben twaalf weken voor hun zienswijze",
                          line=regions.line("accountability.yaml", "board_meeting:"),
                          col=regions.col("accountability.yaml", "2027-06-17"))
    assert "vergadert het algemeen bestuur op 2027-06-17 over de begroting 2028" in found.message
    assert "op zijn vroegst op 2027-07-01" in found.message
    assert "artikel 35 Wet gemeenschappelijke regelingen" in found.message


def test_an_adoption_inside_the_twelve_weeks_is_an_error_too(regions):
    with_cycle(regions, CYCLE.replace("    board_meeting: 2027-07-08", "    adopted: 2027-05-01"))
    found = regions.error("accountability.yaml", "stelt het algemeen bestuur op 2027-05-01 de begroting 2028 vast",
                          line=regions.line("accountability.yaml", "adopted:"))
    assert "Zet hier een datum op of na 2027-07-01" in found.message


def test_the_old_law_and_a_convenant_are_not_held_to_twelve_weeks(regions):
    with_cycle(regions, "cycle:\n  - year: 2023\n    draft_sent: 2022-04-01\n    board_meeting: 2022-06-01\n"
                        "    adopted: 2022-06-01\n    sent_to_gs: 2022-06-10\nevaluation:")
    assert not regions.errors()
    regions.replace("accountability.yaml", "draft_sent: 2022-04-01", "draft_sent: 2022-07-01")
    regions.replace("accountability.yaml", "board_meeting: 2022-06-01", "board_meeting: 2022-08-01")
    regions.replace("accountability.yaml", "adopted: 2022-06-01", "adopted: 2022-08-01")
    regions.replace("accountability.yaml", "sent_to_gs: 2022-06-10", "sent_to_gs: 2022-08-10")
    assert regions.errors()
    as_convenant(regions)
    assert not regions.errors(), describe(regions.errors())


def test_the_steps_of_a_cycle_are_in_order(regions):
    with_cycle(regions, "cycle:\n  - year: 2027\n    draft_sent: 2026-04-01\n    board_meeting: 2026-07-01\n"
                        "    adopted: 2026-07-01\n    sent_to_gs: 2026-06-20\nevaluation:")
    found = regions.error("accountability.yaml", "'sent_to_gs' (2026-06-20) ligt vóór 'adopted' (2026-07-01)",
                          line=regions.line("accountability.yaml", "sent_to_gs:"),
                          col=regions.col("accountability.yaml", "2026-06-20"))
    assert "Verbeter een van beide data" in found.message


def test_a_budget_year_is_recorded_once(regions):
    with_cycle(regions, "cycle:\n  - year: 2027\n    draft_sent: 2026-04-01\n  - year: 2027\n"
                        "    draft_sent: 2026-04-02\nevaluation:")
    found = regions.error("accountability.yaml", "begrotingsjaar '2027' komt twee keer voor")
    assert found.line == regions.line("accountability.yaml", "draft_sent: 2026-04-02") - 1


@pytest.mark.parametrize("sent, late", [("2026-07-15", False), ("2026-07-20", True)])
def test_a_budget_that_reached_gedeputeerde_staten_late_is_a_gap(regions, sent, late):
    with_cycle(regions, "cycle:\n  - year: 2027\n    draft_sent: 2026-04-01\n    board_meeting: 2026-07-01\n"
                        f"    adopted: 2026-07-01\n    sent_to_gs: {sent}\nevaluation:")
    gaps = [g for g in regions.gaps() if "Gedeputeerde Staten" in g.message]
    if not late:
        assert not gaps, describe(gaps)
        return
    gap = find(gaps, "accountability.yaml", "De begroting 2027 ging op 20 juli 2026 naar Gedeputeerde Staten")
    assert gap.line == regions.line("accountability.yaml", "sent_to_gs:")
    assert "uiterlijk op 15 juli 2026" in gap.message and "artikel 34" in gap.message


def test_an_adopted_budget_not_recorded_as_sent_to_gs_is_a_gap_once_its_day_has_passed(regions):
    with_cycle(regions, "cycle:\n  - year: 2027\n    draft_sent: 2026-04-01\n    adopted: 2026-07-01\nevaluation:")
    gap = find(regions.gaps(), "accountability.yaml", "Er staat niet dat de begroting 2027 naar Gedeputeerde Staten ging")
    assert gap.line == regions.line("accountability.yaml", "adopted:")
    assert not [g for g in regions.gaps(on=D(2026, 7, 10)) if "Gedeputeerde Staten ging" in g.message]


def test_gedeputeerde_staten_can_be_a_recipient(regions):
    regions.replace("accountability.yaml", "    to: [raden]\n    by: \"04-15\"",
                    "    to: [raden, gedeputeerde-staten]\n    by: \"04-15\"")
    assert not regions.errors()
    item = by_key(agenda_of(regions))["planning-ontwerpbegroting-2027"]
    assert item.title == "Ontwerpbegroting naar de gemeenteraden en Gedeputeerde Staten"


def test_govsite_diff_tells_a_recorded_or_changed_cycle(tmp_path):
    from test_govdiff import commit, git

    from conftest import RegionsDir
    from generator.commands.govdiff import diff_revisions

    regions = RegionsDir(tmp_path / "repo" / "regions")
    repo = tmp_path / "repo"
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "Regio", "2026-01-05T10:00:00+01:00")
    with_cycle(regions)
    commit(repo, "Cyclus 2028", "2026-02-05T10:00:00+01:00")
    regions.replace("accountability.yaml", "board_meeting: 2027-07-08", "board_meeting: 2027-07-15")
    commit(repo, "Vergadering verzet", "2026-03-05T10:00:00+01:00")
    added = diff_revisions(regions.root, "HEAD~2", "HEAD~1", AS_OF)
    assert "- De data van de begrotingscyclus 2028 zijn vastgelegd.\n" in added, added
    moved = diff_revisions(regions.root, "HEAD~1", "HEAD", AS_OF)
    assert "- De data van de begrotingscyclus 2028 zijn aangepast.\n" in moved, moved
