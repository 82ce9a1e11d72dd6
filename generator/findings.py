"""Findings: what the validator and the completeness check report, with the place it is about."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "gap"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int  # 1-based; 0 when the finding is about a whole file or folder
    col: int  # 1-based; 0 when unknown
    severity: Severity
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as the editor knows it: relative to the working directory when possible."""
    path = Path(path)
    for root in (Path.cwd(), base):
        if root is None:
            continue
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def summary(findings: Iterable[Finding], regions: int) -> str:
    findings = list(findings)
    errors = sum(f.severity == "error" for f in findings)
    gaps = sum(f.severity == "gap" for f in findings)
    noun = "regio" if regions == 1 else "regio's"
    return (
        f"{regions} {noun} gecontroleerd: {errors} "
        f"{'fout' if errors == 1 else 'fouten'}, {gaps} {'hiaat' if gaps == 1 else 'hiaten'}"
    )


def to_json(findings: Iterable[Finding], regions: int) -> str:
    findings = sorted(findings)
    return json.dumps(
        {
            "regions": regions,
            "errors": sum(f.severity == "error" for f in findings),
            "gaps": sum(f.severity == "gap" for f in findings),
            "findings": [asdict(f) for f in findings],
        },
        ensure_ascii=False,
        indent=2,
    )
