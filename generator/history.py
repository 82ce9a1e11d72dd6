"""Source history: when each YAML file last changed, from git when the regions live in a repository.

The site still builds from a plain folder: then pages carry no change date.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Callable

from .model import Region


def _git_dates(root: Path) -> dict[Path, dt.date]:
    """The date of the last commit that touched each file under root, in one git call."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--", "."],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, dt.date] = {}
    current = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault((Path(top) / line).resolve(), current)
    return dates


def page_dates(root: Path) -> Callable[[Region], dict[str, dt.date]]:
    dates = _git_dates(root)

    def for_region(region: Region) -> dict[str, dt.date]:
        return {kind: dates[path.resolve()] for kind, path in region.sources.items() if path.resolve() in dates}

    return for_region
