"""Every governance check names its source in one place (generator/domain/norms.py, issue 17 item 5),
and the contributor's guide lists exactly those checks with those sources."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.domain import norms, registry, rules  # noqa: F401  (importing rules registers them)

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "content" / "bijdragen" / "dataformaat.md"


def _guide_rows() -> list[tuple[str, str, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## De controles en hun bron"):text.index("## Wijzigingen in het dataformaat")]
    return re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \| (.+?) \|$", section, re.MULTILINE)


def test_the_guide_lists_every_check_with_its_source():
    assert _guide_rows() == [(n.name, n.title, n.source) for n in norms.NORMS.values()], \
        "content/bijdragen/dataformaat.md, 'De controles en hun bron', differs from generator/domain/norms.py"


def _gap_checks() -> set[str]:
    """The check names the completeness check passes to gap(): in gaps.py and the modules it calls."""
    names = set()
    for path in (ROOT / "generator" / "domain").glob("*.py"):
        for found in re.findall(r'check=(?:"([a-z0-9-]+)"|([a-z_]+))', path.read_text(encoding="utf-8")):
            if found[0]:
                names.add(found[0])
    # the checks chosen by the legal form: evaluation, entry and exit of a regeling or not
    return names | {"evaluatie", "evaluatie-regeling", "toetreding", "toetreding-regeling", "uittreding",
                    "uittreding-regeling"}


def test_every_named_check_exists_and_every_norm_is_checked():
    rule_names = {r.name for kind in registry.RULES.values() for r in kind}
    gap_names = _gap_checks()
    assert gap_names <= set(norms.NORMS), f"gaps without a source in norms.NORMS: {gap_names - set(norms.NORMS)}"
    unchecked = set(norms.NORMS) - gap_names - rule_names
    assert not unchecked, f"norms.NORMS names checks that neither a rule nor a gap makes: {unchecked}"


def test_sources_are_a_law_the_norm_or_said_to_be_govsites_own():
    for check in norms.NORMS.values():
        if check.kind == "wet":
            assert re.search(r"\b(Wgr|Awb)\b", check.source), check
        elif check.kind == "nvo":
            assert check.source.startswith("Norm voor Opdrachtgeverschap"), check
        else:
            assert check.source == "eigen norm van deze site", check


def test_the_draft_budget_term_follows_the_law_in_force():
    assert [norms.zienswijze_weeks(d) for d in (dt.date(2014, 12, 31), dt.date(2015, 1, 1), dt.date(2022, 6, 30),
                                                dt.date(2022, 7, 1))] == [6, 8, 8, 12]


def test_the_governance_check_page_names_each_points_source(regions, tmp_path):
    """The page shows, per open point, where the check comes from, and lists every check with its source."""
    from govsite_cli import govsite

    regions.replace("accountability.yaml", "participation: Inwoners praten mee in een klankbordgroep jeugd.\n", "")
    regions.replace("reflection.yaml", "discussed: 2025-03-01\n", "")
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    bodies: [raad, college]\n")
    markdown = tmp_path / "markdown"
    result = govsite("build", "--regions", str(regions.root), "--out", str(tmp_path / "site"), "--cache",
                     str(tmp_path / "cache"), "--markdown", str(markdown), "--as-of", "2026-11-26", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (markdown / "leidse-regio" / "governance-check.md").read_text(encoding="utf-8")
    assert "Deze check kijkt alleen of de gegevens op deze site die punten bevatten" in page
    participation = next(line for line in page.splitlines() if "meedoen bij de voorbereiding" in line)
    assert "Bron: Wgr sinds 1 juli 2024" in participation
    reflection = next(line for line in page.splitlines() if "nog niet samen gereflecteerd" in line)
    assert f"Bron: {norms.OWN_NORM}." in reflection
    # who takes part for a municipality, on its members page (art. 1 Wgr)
    members = (markdown / "leidse-regio" / "deelnemers.md").read_text(encoding="utf-8")
    assert "- Gemeenteraad en college van burgemeester en wethouders: Leiderdorp." in members
    # the checks that apply to this openbaar lichaam on this date, and no others
    on = dt.date(2026, 11, 26)
    for check in norms.NORMS.values():
        listed = f"| {check.title} | {check.source} |" in page.replace("\\", "")
        assert listed == norms.applies(check, "openbaar-lichaam", None, on), check.name


def test_which_checks_apply_depends_on_the_legal_form_and_the_date():
    def names(form, on, basis=None):
        return {n.name for n in norms.NORMS.values() if norms.applies(n, form, basis, on)}

    today, before = dt.date(2026, 11, 26), dt.date(2024, 6, 30)
    assert {"geschil-naar-gs", "burgerparticipatie", "zienswijze-besluiten", "lengte-zienswijzetermijn",
            "evaluatie-regeling", "uittreding-regeling"} <= names("openbaar-lichaam", today)
    assert not {"evaluatie", "uittreding"} & names("openbaar-lichaam", today)
    # before 1 July 2024 a regeling's evaluation is govsite's own norm, and participation was not required
    assert "evaluatie" in names("openbaar-lichaam", before) and "burgerparticipatie" not in names(
        "openbaar-lichaam", before)
    # a network: none of the checks of a regeling's content (the form rule applies to every region)
    assert not {"geschil-naar-gs", "burgerparticipatie", "zienswijze-besluiten", "toestemming-raad",
                "gemeenschappelijke-regeling", "lengte-zienswijzetermijn", "uittreding-vermogen"} & names("netwerk", today)
    assert {"vorm-en-oprichtingsafspraak", "evaluatie", "uittreding"} <= names("netwerk", today)
    # a centrumgemeente on a convenant is no regeling; on the Wgr it is, without a budget of its own
    assert "geschil-naar-gs" not in names("centrumgemeente", today, "convenant")
    assert "geschil-naar-gs" in names("centrumgemeente", today, "wgr")
    assert "lengte-zienswijzetermijn" not in names("centrumgemeente", today, "wgr")
