"""The steps in order: load -> validate -> model, shared by every command that reads regions."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding, display_path
from .load import RegionFiles, Sources, load_sources
from .model import Gap, Region, build_regions
from .validate import Validation, validate


@dataclass
class Checked:
    sources: Sources
    validation: Validation
    regions: list[Region]
    findings: list[Finding]  # errors and gaps, sorted

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def gap_finding(files: RegionFiles, gap: Gap) -> Finding:
    """Place a gap at the line it is about, or at the file that is missing."""
    doc = None
    if gap.file == "region.yaml":
        doc = files.region
    elif gap.file.endswith(".yaml"):
        doc = files.topics.get(gap.file.removesuffix(".yaml"))
    if doc is not None:
        return doc.finding(gap.loc, gap.message, severity="gap")
    return Finding(display_path(files.folder / gap.file), 0, 0, "gap", gap.message)


def check(root: Path, only: list[str] | None, on: dt.date) -> Checked:
    sources = load_sources(Path(root), only)
    validation = validate(sources, on)
    regions = build_regions(validation)
    findings = list(validation.findings)
    for region in regions:
        findings += [gap_finding(region.files.files, g) for g in region.state(on).gaps]
    return Checked(sources, validation, regions, sorted(set(findings)))
