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


def _data_present(sources: Sources) -> dt.date | None:
    """The latest date on which a version of an agreement took effect: the present the data describes.

    Read from the documents already loaded (with the loader's limits), so nothing is parsed twice."""
    latest = None
    for region in sources.regions:
        for doc in region.agreements:
            versions = doc.data.get("versions") if isinstance(doc.data, dict) else None
            for version in versions if isinstance(versions, list) else []:
                effective = version.get("effective") if isinstance(version, dict) else None
                if isinstance(effective, dt.date) and (latest is None or effective > latest):
                    latest = effective
    return latest


def check_view(root: Path, only: list[str] | None, on: dt.date, look_back: bool) -> Checked:
    """Check the data for a site that shows the regions as they stood on `on`.

    decisions.yaml has no dates: it describes the present. A look back (--as-of) must not fail
    because a decision's basis took effect after that date, so then the data is checked on its own
    present (the latest date an agreement version took effect). The pages still show `on`.
    """
    checked = check(root, only, on)
    if look_back and checked.errors:
        present = _data_present(checked.sources)
        if present and present > on:
            checked = check(root, only, present)
    return checked


def check(root: Path, only: list[str] | None, on: dt.date) -> Checked:
    sources = load_sources(Path(root), only)
    validation = validate(sources, on)
    regions = build_regions(validation)
    findings = list(validation.findings)
    for region in regions:
        findings += [gap_finding(region.files.files, g) for g in region.state(on).gaps]
    return Checked(sources, validation, regions, sorted(set(findings)))
