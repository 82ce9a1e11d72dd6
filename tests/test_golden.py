"""Golden tests: the example regions built on a fixed day, compared byte for byte with tests/golden/.

What is compared, each from the real command in a subprocess:
  markdown/   every page's Markdown as MkDocs was given it (`govsite build --markdown DIR`)
  site/       every built page's HTML, normalised (see `normalised_html`), and the Atom feeds,
              calendars and other XML files as published
  files.txt   the list of published files (content hashes in names replaced by HASH)
  diff.md     `govsite diff` of a small, realistic change (CHANGE below)

The regions are the shipped examples, committed into a fresh git repository with fixed dates (so
"Laatst gewijzigd" and the Wijzigingen page's decisions history come from git, but never from this
repository's own history), built with GOVSITE_TODAY (the day is fixed, without the look-back banner of
--as-of), a fixed --site-url and fresh cache folders. The build runs twice; both must be the same.

After an intended change of the output, re-bless and review the diff of tests/golden/ like code:

    make bless          # GOVSITE_BLESS=1 .venv/bin/python -m pytest tests/test_golden.py

Blessing rewrites tests/golden/ exactly: files no longer produced are removed.
"""
from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
BLESS = os.environ.get("GOVSITE_BLESS") == "1"
BLESS_HINT = ("If the change is intended, re-bless with `make bless` (GOVSITE_BLESS=1 .venv/bin/python -m pytest "
              "tests/test_golden.py) and review `git diff tests/golden/` like code.")
TODAY = "2026-06-01"
SITE_URL = "https://regio.example.org/"
SHOWN_DIFFS = 3  # files shown with a unified diff when they differ; the rest are listed
DIFF_LINES = 40  # lines of each such diff
LISTED = 30  # files listed by name, per kind of difference

# Commits of the regions repository: (date, message, edits on top of the shipped examples). The first
# holds an earlier body for one decision, so the Wijzigingen page and feeds show a decision that moved.
HISTORY = [
    ("2026-03-02", "Regio's ingevoerd", [
        ("voorbeeldland-noord-beschermd-wonen/decisions.yaml",
         "  - id: inkoop\n    topic: Inkopen van beschermd wonen en opvang\n    decides: college-oefenstad\n",
         "  - id: inkoop\n    topic: Inkopen van beschermd wonen en opvang\n    decides: bestuurlijk-overleg\n"),
    ]),
    ("2026-05-04", "Inkoop beschermd wonen door het college van Oefenstad", []),  # the shipped examples
]
COMMITS = {"main~1": "commit-1", "main": "commit-2", "wijziging": "wijziging"}  # as golden files name them
# The change `govsite diff` describes, on a branch: a decision moves to another body, a council's term
# for a zienswijze gets shorter, and a municipality joins a region.
CHANGE_DATE = "2026-05-18"
CHANGE = [
    ("voorbeeldland-west-jeugd/decisions.yaml",
     "  - id: tarieven\n    topic: Vaststellen van de tarieven voor jeugdhulp\n    decides: db\n",
     "  - id: tarieven\n    topic: Vaststellen van de tarieven voor jeugdhulp\n    decides: ab\n"),
    ("voorbeeldland-west-jeugd/accountability.yaml",
     "    subject: Ontwerpbegroting\n    term_days: 84\n",
     "    subject: Ontwerpbegroting\n    term_days: 42\n"),
    ("municipalities.yaml",
     "    name: Schetsveld\n    province: Voorbeeldprovincie Zuid\n    inhabitants: 8000\n",
     "    name: Schetsveld\n    province: Voorbeeldprovincie Zuid\n    inhabitants: 8000\n"
     "  - code: GM9050\n    name: Proefveld\n    province: Voorbeeldprovincie Oost\n    inhabitants: 47000\n"),
    ("voorbeeldland-oost-werk/region.yaml",
     "      Proefstad werken.\nvision:\n",
     "      Proefstad werken.\n  - municipality: GM9050\n    since: 2026-01-01\nvision:\n"),
]


# --- running govsite and git -----------------------------------------------------------------

def environment(tmp: Path) -> dict[str, str]:
    """The subprocesses' environment: this checkout's code, a fixed day, fresh caches (and state), git without the
    user's configuration (and without a hook's GIT_DIR pointing elsewhere), fixed commit authors."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GOVSITE_"))}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "GOVSITE_TODAY": TODAY,
        "XDG_CACHE_HOME": str(tmp / "xdg-cache"),
        "XDG_STATE_HOME": str(tmp / "xdg-state"),
        "GOVSITE_CACHE": str(tmp / "govsite-cache"),
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Secretariaat", "GIT_AUTHOR_EMAIL": "secretariaat@example.org",
        "GIT_COMMITTER_NAME": "Secretariaat", "GIT_COMMITTER_EMAIL": "secretariaat@example.org",
    })
    return env


def run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def govsite(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    return run([sys.executable, "-m", "generator", *args], cwd, env)


def apply(regions: Path, edits: list[tuple[str, str, str]]) -> None:
    for name, old, new in edits:
        path = regions / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (f"the golden test's edit of {name} no longer fits the example regions "
                                      f"(looked for {old!r}); adjust HISTORY or CHANGE in {__file__}")
        path.write_text(text.replace(old, new), encoding="utf-8")


def commit(repo: Path, env: dict[str, str], date: str, message: str) -> None:
    stamp = f"{date}T12:00:00+02:00"
    dated = {**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    run(["git", "add", "-A"], repo, dated)
    run(["git", "commit", "-q", "--no-verify", "-m", message], repo, dated)


def regions_repository(tmp: Path, env: dict[str, str]) -> Path:
    """The shipped example regions in a new git repository (branch main), with the change on branch
    `wijziging`; main is checked out. Returns the regions folder."""
    repo = tmp / "repo"
    regions = repo / "regions"
    shutil.copytree(ROOT / "examples", regions)
    run(["git", "init", "-q"], repo, env)
    run(["git", "checkout", "-q", "-b", "main"], repo, env)
    for date, message, edits in HISTORY:
        shutil.rmtree(regions)
        shutil.copytree(ROOT / "examples", regions)
        apply(regions, edits)
        commit(repo, env, date, message)
    run(["git", "checkout", "-q", "-b", "wijziging"], repo, env)
    apply(regions, CHANGE)
    commit(repo, env, CHANGE_DATE, "Tarieven door het algemeen bestuur, kortere termijn, Proefveld doet mee")
    run(["git", "checkout", "-q", "main"], repo, env)
    return regions


# --- what is compared ----------------------------------------------------------------------

ASSET_HASH = re.compile(r"\.[0-9a-f]{8}(\.min\.(?:css|js))")  # Material's assets: main.57a0d79d.min.css
VERSION_QUERY = re.compile(r"\?v=[^\"'&\s<>]*")
HASHED_NAME = re.compile(r"(?<=[_.])[0-9a-f]{7,}(?=\.)")  # Pagefind's files: nl_159e433.pf_fragment


def without_hashes(text: str) -> str:
    return VERSION_QUERY.sub("?v=HASH", ASSET_HASH.sub(r".HASH\1", text))


def normalised_html(text: str) -> str:
    """A built page as what matters of it, pretty-printed: the head (title, policy, links, scripts), the
    banners, the navigation's labels, the page's content and the footer. Material's icons outside the
    content and its header are left out; asset hashes become HASH."""
    page = BeautifulSoup(text, "html.parser")
    out = BeautifulSoup("", "html.parser")
    head = out.new_tag("head")
    for element in (page.head.find_all(True, recursive=False) if page.head else []):
        head.append(element.extract())
    out.append(head)
    body = out.new_tag("body")
    out.append(body)
    if (banners := page.select_one("[data-md-component=announce]")) is not None:
        body.append(banners.extract())
    # The navigation as one line per link, "label → address" ("*" marks this page): Material's markup
    # for it is many times longer.
    links = [("* " if "md-nav__link--active" in link.get("class", []) else "")
             + " ".join(link.get_text(" ", strip=True).split()) + " → " + link.get("href", "")
             for link in page.select(".md-sidebar--primary a.md-nav__link")]
    if links:
        nav = out.new_tag("nav", attrs={"class": "golden-navigation"})
        nav.string = "\n".join(["", *links, ""])
        body.append(nav)
    if (content := page.select_one("div.md-content")) is not None:
        body.append(content.extract())
    if (footer := page.select_one("footer.md-footer")) is not None:
        for icon in footer.find_all("svg"):
            icon.decompose()
        body.append(footer.extract())
    for script in (page.body.find_all("script", recursive=False) if page.body else []):
        body.append(script.extract())
    return without_hashes(out.prettify())


def published_files(site: Path) -> str:
    """Every published file, one a line; names made of content hashes are counted, not listed."""
    names = Counter(HASHED_NAME.sub("HASH", without_hashes(p.relative_to(site).as_posix()))
                    for p in site.rglob("*") if p.is_file())
    return "".join(f"{name}\n" if count == 1 else f"{name} ({count}x)\n" for name, count in sorted(names.items()))


def read_tree(folder: Path, suffixes: tuple[str, ...]) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name.endswith(suffixes)}


@dataclass
class Output:
    """The golden files one build gives, by their path under tests/golden/."""

    files: dict[str, str]
    raw: dict[str, bytes]  # every file the build wrote, for the determinism check


def build_once(regions: Path, tmp: Path, env: dict[str, str]) -> Output:
    tmp.mkdir()
    env = {**env, "XDG_CACHE_HOME": str(tmp / "xdg-cache"), "GOVSITE_CACHE": str(tmp / "govsite-cache")}
    site, markdown = tmp / "site", tmp / "markdown"
    govsite(["build", "--regions", str(regions), "--out", str(site), "--site-url", SITE_URL,
             "--markdown", str(markdown)], tmp, env)
    files = {f"markdown/{k}": v for k, v in read_tree(markdown, (".md",)).items()}
    files.update({f"site/{k}": normalised_html(v) for k, v in read_tree(site, (".html",)).items()})
    files.update({f"site/{k}": v for k, v in read_tree(site, (".xml", ".ics")).items()})
    files["files.txt"] = published_files(site)
    raw = {f"{top.name}/{p.relative_to(top).as_posix()}": p.read_bytes()
           for top in (site, markdown) for p in sorted(top.rglob("*")) if p.is_file()}
    return Output(files, raw)


@pytest.fixture(scope="module")
def golden_run(tmp_path_factory) -> tuple[Output, Output, str, list[str]]:
    """Two builds of the example regions and the diff of CHANGE; also the temporary folders used,
    which no output may name."""
    tmp = tmp_path_factory.mktemp("golden")
    env = environment(tmp)
    regions = regions_repository(tmp, env)
    first = build_once(regions, tmp / "a", env)
    second = build_once(regions, tmp / "b", env)
    diff = govsite(["diff", "main", "wijziging", "--regions", str(regions)], tmp, env)
    first.files["diff.md"] = diff
    # Commit ids (in the diff's heading, in the feeds' ids of decisions that moved) hang on every byte of
    # the regions folder: each becomes the name of its commit, so the golden files change only with what
    # the site says.
    names = {run(["git", "rev-parse", ref], regions, env).strip(): name for ref, name in COMMITS.items()}
    for key, text in first.files.items():
        first.files[key] = re.sub(r"\b[0-9a-f]{7,40}\b", lambda m: next(
            (f"<{name}>" for commit_id, name in names.items() if commit_id.startswith(m[0])), m[0]), text)
    result = first, second, diff, [str(tmp), str(tmp.resolve())]
    if BLESS and (problems := unreproducible(*result)):
        pytest.fail("nothing blessed: " + "; ".join(problems), pytrace=False)
    return result


def unreproducible(first: Output, second: Output, diff: str, temporary: list[str]) -> list[str]:
    """Why this output cannot be golden: two builds differ, or it names the folder it was made in."""
    problems = []
    differing = sorted(k for k in set(first.raw) | set(second.raw) if first.raw.get(k) != second.raw.get(k))
    if differing:
        problems.append(f"two builds of the same regions differ in {len(differing)} file(s): {differing[:20]}")
    leaks = sorted({key for key, text in [*first.files.items(), ("diff.md", diff)]
                    if any(folder in text for folder in temporary)}
                   | {key for key, data in first.raw.items() if any(folder.encode() in data for folder in temporary)})
    if leaks:
        problems.append(f"output names the temporary folder it was built in: {leaks[:20]}")
    return problems


# --- comparing and blessing -----------------------------------------------------------------

def golden_files(owns: Callable[[str], bool]) -> dict[str, str]:
    if not GOLDEN.is_dir():
        return {}
    return {key: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*"))
            if p.is_file() and owns(key := p.relative_to(GOLDEN).as_posix())}


def bless(actual: dict[str, str], owns: Callable[[str], bool]) -> None:
    """Write these golden files exactly: remove the ones of this kind that are no longer produced."""
    for key in set(golden_files(owns)) - set(actual):
        (GOLDEN / key).unlink()
    for key, text in actual.items():
        path = GOLDEN / key
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_bytes(text.encode("utf-8"))
    for folder in sorted((p for p in GOLDEN.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def listed(keys: list[str], mark: str) -> list[str]:
    return [f"  {mark} {k}" for k in keys[:LISTED]] + ([f"  ... and {len(keys) - LISTED} more"]
                                                      if len(keys) > LISTED else [])


def mismatch_report(actual: dict[str, str], expected: dict[str, str]) -> str | None:
    missing = sorted(set(expected) - set(actual))
    new = sorted(set(actual) - set(expected))
    changed = sorted(k for k in set(actual) & set(expected) if actual[k] != expected[k])
    if not (missing or new or changed):
        return None
    lines = []
    if missing:
        lines += [f"{len(missing)} golden file(s) no longer produced:", *listed(missing, "-")]
    if new:
        lines += [f"{len(new)} file(s) produced that have no golden file:", *listed(new, "+")]
    if changed:
        lines.append(f"{len(changed)} file(s) differ from tests/golden/:")
        for key in changed[:SHOWN_DIFFS]:
            diff = list(difflib.unified_diff(expected[key].splitlines(), actual[key].splitlines(),
                                             f"golden/{key}", f"built/{key}", n=2, lineterm=""))
            lines += diff[:DIFF_LINES] + ([f"  ... ({len(diff) - DIFF_LINES} more diff lines)"]
                                          if len(diff) > DIFF_LINES else [])
        lines += listed(changed[SHOWN_DIFFS:], "~")
    return "\n".join(lines + ["", BLESS_HINT])


def check(output: Output, owns: Callable[[str], bool]) -> None:
    actual = {k: v for k, v in output.files.items() if owns(k)}
    assert actual, "the build produced none of these files"
    if BLESS:
        bless(actual, owns)
        return
    report = mismatch_report(actual, golden_files(owns))
    if report:
        pytest.fail(report, pytrace=False)


def is_markdown(key: str) -> bool:
    return key.startswith("markdown/")


def is_html(key: str) -> bool:
    return key.startswith("site/") and key.endswith(".html")


def is_feed(key: str) -> bool:
    return key.startswith("site/") and key.endswith((".xml", ".ics"))


def is_file_list(key: str) -> bool:
    return key == "files.txt"


def is_diff(key: str) -> bool:
    return key == "diff.md"


def is_national(key: str) -> bool:  # tests/test_golden_national.py's files
    return key.startswith("national/")


KINDS = (is_markdown, is_html, is_feed, is_file_list, is_diff, is_national)


# --- the tests ------------------------------------------------------------------------------

def test_build_is_deterministic_and_names_no_temporary_folder(golden_run):
    assert not unreproducible(*golden_run)


def test_rendered_markdown_matches_golden(golden_run):
    check(golden_run[0], is_markdown)


def test_built_html_matches_golden(golden_run):
    check(golden_run[0], is_html)


def test_feeds_and_calendars_match_golden(golden_run):
    check(golden_run[0], is_feed)


def test_published_files_match_golden(golden_run):
    check(golden_run[0], is_file_list)


def test_governance_diff_matches_golden(golden_run):
    check(golden_run[0], is_diff)


def test_golden_folder_holds_only_golden_files():
    """A file under tests/golden/ that no test compares would never be checked (blessing removes it)."""
    stray = sorted(key for key in golden_files(lambda key: not any(kind(key) for kind in KINDS)))
    if BLESS:
        for key in stray:
            (GOLDEN / key).unlink()
        return
    assert not stray, f"files under tests/golden/ that no golden test compares: {stray}. {BLESS_HINT}"


def test_govsite_today_must_be_a_date(tmp_path):
    env = {**environment(tmp_path), "GOVSITE_TODAY": "1-6-2026"}
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--regions", str(ROOT / "examples")],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "GOVSITE_TODAY='1-6-2026' is geen datum; schrijf JJJJ-MM-DD" in done.stderr
    assert "Traceback" not in done.stderr


def test_markdown_folder_must_be_empty(tmp_path):
    """--markdown never writes into (or clears) a folder that holds something else."""
    kept = tmp_path / "notities"
    kept.mkdir()
    (kept / "eigen.md").write_text("van mij\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--regions", str(ROOT / "examples"),
                           "--out", str(tmp_path / "site"), "--markdown", str(kept)],
                          cwd=tmp_path, env=environment(tmp_path), capture_output=True, text=True)
    assert done.returncode == 2
    assert "bestaat al en is niet leeg" in done.stderr
    assert [p.name for p in kept.iterdir()] == ["eigen.md"]
    assert not (tmp_path / "site").exists()
