"""`govsite diff`, the two sides: each revision's regions folder (exported from git, or the working
tree) through the same steps as a build (load -> validate -> model), and the review of the two.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ...domain.findings import Finding
from ...domain.model import Region
from ...domain.register import RegisterEntry
from ...escape import summary_code
from ...pipeline import check
from .gitexport import DiffError, commit_of, default_base, export, git, working_files
from .summary import report

WORKING_TREE = "de werkmap"


@dataclass
class Snapshot:
    label: str
    regions: dict[str, Region]
    broken: list[str]  # region ids with errors (not compared)
    registry: dict[str, RegisterEntry]  # what the national registers say, by region id (register.yaml)
    errors: list[Finding]
    files: dict[str, str]  # relative path -> digest of what the loader reads, to notice layout or comment changes
    on: dt.date | None = None  # the date both sides are seen on


def _snapshot(exported: tuple[Path, dict[str, str]] | None, label: str, shown: str, on: dt.date) -> Snapshot:
    if exported is None:
        return Snapshot(label, {}, [], {}, [], {}, on)
    folder, files = exported
    checked = check(folder, None, on)
    valid = {r.id: r for r in checked.regions}
    registry = checked.validation.registry.entries
    broken = sorted(r.id for r in checked.sources.regions
                    if r.id not in valid and not (r.region is None and r.id in registry))
    root = folder.resolve()

    def relocate(finding: Finding) -> Finding:  # temp paths never reach the output
        path = Path(finding.path)
        for base in (folder, root):  # as written first: a link's path, not its target's
            try:
                relative = path.relative_to(base).as_posix()
                break
            except ValueError:
                continue
        else:
            try:
                relative = path.resolve().relative_to(root).as_posix()
            except (ValueError, OSError, RuntimeError):
                return finding
        path = relative if shown == "." else f"{shown}/{relative}" if relative != "." else shown
        return Finding(path, finding.line, finding.col,
                       finding.severity, finding.message)

    errors = [relocate(f) for f in checked.errors]
    return Snapshot(label, valid, broken, registry, errors, files, on)


def _label(rev: str, commit: str) -> str:
    return summary_code(rev) if commit.startswith(rev) else f"{summary_code(rev)} ({commit[:7]})"


def diff_revisions(regions: Path, base: str | None, head: str | None, on: dt.date) -> str:
    """Markdown describing the governance changes from base to head (None: the working tree)."""
    regions = Path(regions)
    if not regions.is_dir():
        raise DiffError(f"de map met regio's '{regions}' bestaat niet. Geef een map op met --regions PAD.")
    try:
        top = Path(git(regions, "rev-parse", "--show-toplevel").strip())
    except DiffError:
        raise DiffError(f"de map '{regions}' staat niet in een git-repository; 'govsite diff' vergelijkt "
                        "git-versies.") from None
    relative = regions.resolve().relative_to(top.resolve()).as_posix()
    shown = relative  # paths as the reviewer sees them in the repository, wherever govsite runs
    base_commit = commit_of(top, base) if base else default_base(top)
    base_label = _label(base, base_commit) if base else f"het splitspunt met de hoofdbranch ({base_commit[:7]})"
    with tempfile.TemporaryDirectory(prefix="govsite-diff-") as tmp:
        old = _snapshot(export(top, relative, base_commit, Path(tmp) / "base"), base_label, shown, on)
        if head:
            head_commit = commit_of(top, head)
            new = _snapshot(export(top, relative, head_commit, Path(tmp) / "head"), _label(head, head_commit),
                            shown, on)
        else:
            new = _snapshot((regions, working_files(regions)), WORKING_TREE, shown, on)
    return report(old, new)

