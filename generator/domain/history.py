"""Source history: when each YAML file last changed, from git when the regions live in a repository.

The site still builds from a plain folder: then pages carry no change date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional

from ..files import replace_file
from . import schema
from .changes import DecisionSnapshot
from .load import load_yaml
from .model import Region


def _git(root: Path, *args: str, text: bool = True) -> str | bytes:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=text, check=True).stdout


def _toplevel(root: Path) -> Path | None:
    """Where the git repository holding root starts, or None for a plain folder."""
    try:
        return Path(_git(Path(root).resolve(), "rev-parse", "--show-toplevel").strip()).resolve()
    except (OSError, subprocess.CalledProcessError):
        return None


def _git_dates(root: Path) -> dict[Path, dt.date]:
    """The date of the last commit that touched each file under root, in one git call."""
    top = _toplevel(root)
    if top is None:
        return {}
    try:
        log = _git(root, "log", "--format=%x00%cs", "--name-only", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, dt.date] = {}
    current = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault((top / line).resolve(), current)
    return dates


def page_dates(root: Path) -> Callable[[Region], dict[str, dt.date]]:
    dates = _git_dates(root)

    def for_region(region: Region) -> dict[str, dt.date]:
        return {kind: dates[path.resolve()] for kind, path in region.sources.items() if path.resolve() in dates}

    return for_region


# A commit whose message (its first line: on GitHub the pull request's title when it is squashed) holds
# this corrects a mistake in decisions.yaml: what it changes is no change in who decides what.
CORRECTION = "[correctie]"


def decision_history(root: Path, cache: Path | None = None) -> Callable[[Region], Optional[list[DecisionSnapshot]]]:
    """Per region, decisions.yaml as it stood after each commit that changed it, oldest first.

    Gives None for a region whose decisions.yaml is not in a git repository: then the site says that
    changes in who decides what cannot be shown. Old versions are read leniently (only id, topic,
    decides and council_role); a commit whose file does not parse is skipped, not an error.

    A file as it was in a commit never changes, so with a cache folder what was read of it is kept
    there: every build asks for the history of every region (it is part of what decides whether a
    site is reused), and without the cache that is a `git show` per commit per region each time.
    """
    top = _toplevel(root)  # one repository for all regions: ask git once where it starts

    def for_region(region: Region) -> Optional[list[DecisionSnapshot]]:
        path = region.sources.get("decisions")
        if path is None or top is None:
            return None
        try:
            relative = path.resolve().relative_to(top).as_posix()
            log = _git(top, "log", "--format=%H %cs %s", "--follow", "--", relative)
        except (OSError, ValueError, subprocess.CalledProcessError):
            return None
        if not log.strip():
            return None  # not committed (yet): no history to read
        if len(log.splitlines()) == 1:
            return []  # committed once: nothing changed, no need to read it back
        snapshots = []
        for line in reversed(log.splitlines()):
            commit, date, subject = (line.split(" ", 2) + [""])[:3]
            decisions = _kept(cache, commit, relative, lambda: _decisions_in(top, commit, relative))
            if decisions is not None:  # None: an old, broken version, skipped rather than failing the build
                snapshots.append(DecisionSnapshot(dt.date.fromisoformat(date), commit, decisions,
                                                  CORRECTION in subject.lower()))
        return snapshots

    return for_region


def _decisions_in(top: Path, commit: str, relative: str) -> dict[str, dict[str, str]] | None:
    """The decisions in decisions.yaml as committed, or None when that version cannot be read."""
    with tempfile.TemporaryDirectory(prefix="govsite-history-") as scratch:
        old = Path(scratch) / "decisions.yaml"
        try:
            old.write_bytes(_git(top, "show", f"{commit}:{relative}", text=False))
        except (OSError, subprocess.CalledProcessError):
            return None
        doc, _ = load_yaml(old)  # the loader's limits: an old version is as untrusted as a new one
    data = doc.data if doc is not None else None
    items = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return {str(d["id"]): {k: str(d[k]) for k in ("topic", "decides", "council_role") if k in d} | _role_of(d)
            for d in items if isinstance(d, dict) and "id" in d}


def _role_of(decision: dict) -> dict[str, str]:
    """A sequence of council roles (council_roles) as the one role the change log weighs: its strongest."""
    steps = decision.get("council_roles")
    if "council_role" in decision or not isinstance(steps, list) or not steps:
        return {}
    return {"council_role": schema.strongest_role([s.get("role") for s in steps if isinstance(s, dict)])}


HISTORY_FORMAT = 2  # part of the cache file names: a change in what is read starts a new cache


def _kept(cache: Path | None, commit: str, relative: str, read: Callable[[], Any]) -> Any:
    """What read() gives for a file in a commit, kept in the cache folder as JSON."""
    if cache is None:
        return read()
    name = hashlib.sha256(f"{HISTORY_FORMAT}\0{commit}\0{relative}".encode()).hexdigest()
    path = cache / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["value"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = read()
    try:
        replace_file(path, json.dumps({"value": value}).encode())  # keys in order: as read
    except OSError:
        pass  # without the cache the next build reads it from git again
    return value


def repository_path(root: Path) -> str:
    """The regions folder as a path inside its git repository (for 'edit this file' links).

    Outside a repository, the folder's name is the best guess.
    """
    top = _toplevel(root)
    try:
        relative = Path(root).resolve().relative_to(top).as_posix() if top else None
    except ValueError:
        relative = None
    if relative is None:
        return Path(root).resolve().name
    return "" if relative == "." else relative
