"""Source history from git: the date of each YAML file's last change, and decisions.yaml through time.

Each test makes its own git repository in a temporary folder, with fixed commit dates; a plain folder
(no git) must build too, without dates.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest
from bs4 import BeautifulSoup

from conftest import AS_OF, REGION
from generator.domain.changes import change_log
from generator.cli import main
from generator.domain.history import decision_history, page_dates
from generator.pipeline import check


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00")
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Secretariaat", "-c", "user.email=s@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repository(regions):
    """The fixture region committed on 1 May 2024; decisions.yaml changed again on 3 February 2025."""
    root = regions.root
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Eerste versie", date="2024-05-01")
    regions.replace("decisions.yaml", "    decides: ab\n", "    decides: db\n")
    git(root, "commit", "-q", "-am", "Begroting naar het dagelijks bestuur", date="2025-02-03")
    return regions


def region_of(root: Path):
    checked = check(root, None, AS_OF)
    assert not checked.errors, [f.format() for f in checked.errors]
    return next(r for r in checked.regions if r.id == REGION)


def test_page_dates_from_git(repository):
    region = region_of(repository.root)
    dates = page_dates(repository.root)(region)
    assert dates["decisions"] == dt.date(2025, 2, 3)
    assert dates["region"] == dt.date(2024, 5, 1)
    assert dates["agreement:gr-jeugd"] == dt.date(2024, 5, 1)
    assert set(dates) == set(region.sources)


def test_uncommitted_file_has_no_date(repository):
    repository.write("reflection.yaml", repository.text("reflection.yaml"))  # unchanged: still dated
    (repository.folder / "agreements" / "nieuw.yaml").write_text(
        repository.text("agreements/gr-jeugd.yaml").replace("id: gr-jeugd", "id: nieuw"), encoding="utf-8")
    region = region_of(repository.root)
    dates = page_dates(repository.root)(region)
    assert "agreement:nieuw" not in dates and dates["reflection"] == dt.date(2024, 5, 1)


def test_decision_history_is_kept_between_builds(repository, tmp_path, monkeypatch):
    """What was read of decisions.yaml in a commit is kept: a second build asks git only for the log."""
    region = region_of(repository.root)
    first = decision_history(repository.root, tmp_path / "history")(region)
    assert first == decision_history(repository.root)(region)  # the same as without the cache
    # The git that govsite finds on PATH: one that notes each command it is given, then runs it.
    calls = _logged_git(tmp_path / "bin", monkeypatch)
    again = decision_history(repository.root, tmp_path / "history")(region)
    assert again == first
    assert "show" not in calls() and "log" in calls()
    decision_history(repository.root, tmp_path / "nieuw")(region)  # the log sees what an empty cache asks
    assert "show" in calls()


def _logged_git(folder: Path, monkeypatch) -> Callable[[], list[str]]:
    """Put a `git` first on PATH that writes its subcommand to a file and runs the real git;
    returns a function giving the subcommands so far."""
    real = shutil.which("git")
    assert real
    folder.mkdir()
    log = folder / "calls"
    log.touch()
    script = folder / "git"
    script.write_text('#!/bin/sh\n[ "$1" = -C ] && echo "$3" >> "$GOVSITE_TEST_GIT_LOG"\n'
                      f'exec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("GOVSITE_TEST_GIT_LOG", str(log))
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return lambda: log.read_text(encoding="utf-8").split()


def test_decisions_through_git_history(repository):
    region = region_of(repository.root)
    history = decision_history(repository.root)(region)
    assert [(s.date, s.decisions["begroting"]["decides"]) for s in history] == [
        (dt.date(2024, 5, 1), "ab"), (dt.date(2025, 2, 3), "db")]
    log = change_log(region, AS_OF, history)
    assert log.decisions_from_git
    moved = [c for c in log.changes if c.kind == "besluit"]
    assert [(c.date, c.sentence, c.url) for c in moved] == [
        (dt.date(2025, 2, 3), "Over ‘Vaststellen van de begroting’ besluit nu Dagelijks bestuur in plaats van "
                              "Algemeen bestuur.", "besluitvorming/")]
    # seen from before the commit, the change had not happened
    assert not [c for c in change_log(region, dt.date(2025, 2, 2), history).changes if c.kind == "besluit"]


def test_a_commit_that_corrects_a_mistake_is_no_change(repository):
    """A commit whose message holds [correctie] (on GitHub: the pull request's title) fixes a mistake in
    decisions.yaml: the Wijzigingen page does not report it as a move to another body."""
    text = repository.text("decisions.yaml")
    repository.write("decisions.yaml", text.replace("    decides: db\n", "    decides: ab\n", 1))
    git(repository.root, "commit", "-q", "-am", "Tikfout hersteld [Correctie]", date="2025-03-01")
    region = region_of(repository.root)
    history = decision_history(repository.root)(region)
    assert [(s.date, s.correction) for s in history] == [
        (dt.date(2024, 5, 1), False), (dt.date(2025, 2, 3), False), (dt.date(2025, 3, 1), True)]
    moved = [c for c in change_log(region, AS_OF, history).changes if c.kind == "besluit"]
    assert [c.date for c in moved] == [dt.date(2025, 2, 3)]


def test_plain_folder_has_no_history(regions):
    region = region_of(regions.root)
    assert page_dates(regions.root)(region) == {}
    assert decision_history(regions.root)(region) is None


def _page(out: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((out / REGION / path).read_text(encoding="utf-8"), "html.parser")


def test_build_from_git_shows_dates_and_decision_changes(repository, tmp_path):
    out = tmp_path / "site"
    assert main(["build", "--regions", str(repository.root), "--out", str(out), "--as-of", AS_OF.isoformat()]) == 0
    source = _page(out, "besluitvorming/index.html").select_one(".govsite-source")
    assert source.find("time")["datetime"] == "2025-02-03"
    assert source.find("time").get_text() == "3 februari 2025"
    changes = _page(out, "wijzigingen/index.html").select_one("article")
    entry = next(li for li in changes.select("li[data-date]") if "besluit nu Dagelijks bestuur" in li.get_text())
    assert entry["data-date"] == "2025-02-03" and entry.a["href"] == "../besluitvorming/"


def test_build_from_a_plain_folder_has_no_dates(regions, tmp_path):
    out = tmp_path / "site"
    assert main(["build", "--regions", str(regions.root), "--out", str(out), "--as-of", AS_OF.isoformat()]) == 0
    for path in ("index.html", "besluitvorming/index.html", "afspraken/gr-jeugd/index.html"):
        html = _page(out, path)
        assert html.select_one(".govsite-source time") is None, path
        assert html.select_one(".govsite-source a") is not None, path  # the source link stays
    text = " ".join(_page(out, "wijzigingen/index.html").select_one("article").get_text(" ", strip=True).split())
    assert "de eerdere versies van het overzicht van de besluiten zijn niet bewaard" in text


def test_decision_matrix_as_it_stood_on_a_date(repository):
    """With git history, --as-of shows who decided then: the body of the commit in force on that date."""
    region = region_of(repository.root)
    history = decision_history(repository.root)(region)
    then = change_log(region, dt.date(2024, 6, 1), history)
    assert then.decisions_committed == dt.date(2024, 5, 1)
    assert {d.id: d.decides for d in then.decisions}["begroting"] == "ab"
    now = change_log(region, AS_OF, history)
    assert now.decisions_committed is None and {d.id: d.decides for d in now.decisions}["begroting"] == "db"
    # a decision added after the date is left out; one removed since comes back from the history
    snapshot = history[0]
    added = history[-1].decisions | {"nieuw": {"topic": "Nieuw besluit", "decides": "db", "council_role": "geen"}}
    removed = dict(snapshot.decisions)
    gone = removed.pop("begroting")
    history = [type(snapshot)(snapshot.date, snapshot.commit, removed | {"oud": gone}),
               type(snapshot)(dt.date(2025, 2, 3), "later", added)]
    ids = [d.id for d in change_log(region, dt.date(2024, 6, 1), history).decisions]
    assert "oud" in ids and "nieuw" not in ids and "begroting" not in ids


def test_as_of_build_shows_the_committed_decision_matrix(repository, tmp_path):
    out = tmp_path / "site"
    assert main(["build", "--regions", str(repository.root), "--out", str(out), "--as-of", "2024-06-01"]) == 0
    page = _page(out, "besluitvorming/index.html").select_one("article")
    text = " ".join(page.get_text(" ", strip=True).split())
    assert "Zo was het vastgelegd op 1 mei 2024" in text
    row = next(tr for tr in page.select("table tr") if "Vaststellen van de begroting" in tr.get_text())
    assert "Algemeen bestuur" in row.get_text() and "Dagelijks bestuur" not in row.select("td")[1].get_text()
