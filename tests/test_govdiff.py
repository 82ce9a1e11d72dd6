"""`govsite diff`: a scripted git history, described in governance terms, weakening changes first."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.commands.govdiff import diff_revisions

from conftest import AS_OF, RegionsDir

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Secretariaat",
           "GIT_AUTHOR_EMAIL": "secretariaat@example.org", "GIT_COMMITTER_NAME": "Secretariaat",
           "GIT_COMMITTER_EMAIL": "secretariaat@example.org"}


def git(repo: Path, *args: str, when: str = "2026-01-05T10:00:00+01:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def commit(repo: Path, message: str, when: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD")


NEW_BODY = """  - id: rac
    name: Raadsadviescommissie
    kind: raadsadviescommissie
    role: adviseur
    reports_to: raden
"""

NEW_VERSION = """  - version: "2.1"
    adopted: 2027-05-20
    adopted_by: [ab]
    effective: 2027-07-01
    changes: De raden krijgen minder tijd voor hun zienswijze.
    articles:
      - number: "1"
        title: Begripsbepalingen
        text: In deze regeling staat *deelnemer* voor een gemeente die meedoet.
      - number: "2"
        title: Algemeen bestuur
        text: Elke deelnemer wijst één wethouder aan.
      - number: "5"
        title: Begroting
        text: Het algemeen bestuur stelt de begroting vast na vier weken zienswijze.
"""


@pytest.fixture
def history(tmp_path: Path):
    """main: the fixture region; branch 'wijziging': one commit with six kinds of change."""
    regions = RegionsDir(tmp_path / "repo" / "regions")
    repo = tmp_path / "repo"
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "Regio Leidse regio", "2026-01-05T10:00:00+01:00")
    git(repo, "checkout", "-q", "-b", "wijziging")
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n    until: 2026-12-31\n")
    regions.replace("decisions.yaml", "    council_role: zienswijze\n", "    council_role: informatie\n")
    regions.replace("decisions.yaml", "    decides: db\n", "    decides: ab\n")
    # an untyped instrument: a term under twelve weeks on the draft budget itself is an error (art. 35 Wgr)
    regions.replace("accountability.yaml", "    applies_to: ontwerpbegroting\n    term_days: 84\n", "    term_days: 28\n")
    regions.write("organisation.yaml", regions.text("organisation.yaml") + NEW_BODY)
    regions.write("agreements/gr-jeugd.yaml", regions.text("agreements/gr-jeugd.yaml") + NEW_VERSION)
    assert not regions.errors()
    head = commit(repo, "Wijzigingen na de evaluatie", "2026-02-10T09:30:00+01:00")
    return regions, base, head


def test_changes_are_described_in_governance_terms(history):
    regions, base, head = history
    report = diff_revisions(regions.root, "main", "wijziging", AS_OF)
    assert report.startswith("# Wijzigingen in de governance\n")
    assert f"Vergeleken: `main` ({base[:7]}) met `wijziging` ({head[:7]})." in report
    for sentence in [
        "Gemeente Leiderdorp treedt uit per 1 januari 2027.",
        "Besluit *Vaststellen van de inkoopstrategie*: beslist nu door het algemeen bestuur "
        "(was: dagelijks bestuur).",
        "Nieuw orgaan *Raadsadviescommissie* (raadsadviescommissie, rol: adviseur).",
        "Nieuwe versie 2.1 van *Gemeenschappelijke regeling Jeugd Leidse regio*, in werking 1 juli 2027; "
        "1 artikel gewijzigd.",
    ]:
        assert f"- {sentence}\n" in report, report


def test_weakening_changes_come_first_under_their_own_heading(history):
    regions, base, head = history
    report = diff_revisions(regions.root, base, head, AS_OF)
    warning = report.index("## Let op: de rol van de raad wordt kleiner")
    region = report.index("## Jeugdregio Leidse regio")
    assert warning < region
    weakening = report[warning:region]
    assert ("- **Jeugdregio Leidse regio**: Besluit *Vaststellen van de begroting*: rol van de raad nu informatie "
            "(was: zienswijze).") in weakening
    assert "- **Jeugdregio Leidse regio**: Zienswijze over *Ontwerpbegroting*: termijn nu 28 dagen (was: 84 dagen)." \
        in weakening
    assert "treedt uit" not in weakening  # only the weakening changes are in this section
    assert "rol van de raad nu informatie" not in report[region:]  # and each change is told once


def test_defaults_are_merge_base_and_working_tree(history, monkeypatch, capsys):
    regions, base, head = history
    regions.replace("reflection.yaml", "discussed: 2025-03-01", "discussed: 2026-03-01")
    monkeypatch.chdir(regions.root.parent)
    assert main(["diff", "--as-of", AS_OF.isoformat()]) == 0
    report = capsys.readouterr().out
    assert f"Vergeleken: het splitspunt met de hoofdbranch ({base[:7]}) met de werkmap." in report
    assert "- De regio reflecteerde samen op 1 maart 2026 (was: 1 maart 2025).\n" in report
    assert "Gemeente Leiderdorp treedt uit per 1 januari 2027." in report  # the commit on the branch counts too


def test_output_is_deterministic(history):
    regions, base, head = history
    assert diff_revisions(regions.root, base, head, AS_OF) == diff_revisions(regions.root, base, head, AS_OF)


def test_no_change_and_layout_only(history):
    regions, base, head = history
    report = diff_revisions(regions.root, head, head, AS_OF)
    assert report.endswith("\nGeen wijzigingen in de governance.\n")
    regions.write("finance.yaml", "# Bijgewerkt in februari.\n" + regions.text("finance.yaml"))
    report = diff_revisions(regions.root, head, None, AS_OF)
    assert "Alleen de opmaak of de toelichting (commentaar) in de YAML is gewijzigd" in report


def test_errors_are_listed_with_their_place(history):
    regions, base, head = history
    regions.replace("decisions.yaml", "    prepares: uitvoering\n", "    prepares: uitvoring\n")
    report = diff_revisions(regions.root, head, None, AS_OF)
    assert "Niet vergeleken: de nieuwe versie van deze regio bevat fouten" in report
    assert "## Fouten in de werkmap" in report
    line = regions.line("decisions.yaml", "prepares: uitvoring")
    assert f"regions/leidse-regio/decisions.yaml:{line}:" in report
    assert "/tmp" not in report and "govsite-diff-" not in report  # paths as in the repository


def test_unknown_revision_is_a_usage_error(history, capsys):
    regions, base, head = history
    assert main(["diff", "bestaat-niet", "--regions", str(regions.root)]) == 2
    assert "'bestaat-niet' is geen bekende git-versie" in capsys.readouterr().err


def test_numbers_read_as_on_the_site(history):
    """Shares, targets and measurements in the review are written as the site writes them (Dutch
    decimal comma, thousands with a dot), not as Python prints a float."""
    regions, base, head = history
    regions.replace("finance.yaml", "      - municipality: GM0546\n        amount: 550000\n"
                    "        percentage: 55\n      - municipality: GM0547\n        amount: 150000\n"
                    "        percentage: 15\n",
                    "      - municipality: GM0546\n        amount: 550000\n"
                    "        percentage: 52.5\n      - municipality: GM0547\n        amount: 150000\n"
                    "        percentage: 17.5\n")
    regions.replace("progress.yaml", "    target: 6\n", "    target: 5.5\n")
    regions.replace("progress.yaml", "      - { date: 2025-12-31, value: 8 }\n",
                    "      - { date: 2025-12-31, value: 8 }\n      - { date: 2026-03-31, value: 1250.5 }\n")
    assert not regions.errors()
    report = diff_revisions(regions.root, head, None, AS_OF)
    for sentence in ["Aandeel Leiden in 2026: 52,5% (was: 55,0%).", "Aandeel Leiderdorp in 2026: 17,5% (was: 15,0%).",
                     "Indicator *Gemiddelde wachttijd jeugd-GGZ*: streefwaarde nu 5,5 (was: 6).",
                     "Indicator *Gemiddelde wachttijd jeugd-GGZ*: 1 nieuwe meting, laatste 1.250,5 weken op "
                     "31 maart 2026."]:
        assert f"- {sentence}\n" in report, report
