"""Findings: what the validator and the completeness check report, with the place it is about."""
from __future__ import annotations

import functools
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Literal

from ..escape import ci_line, json_document

# notice: a defect of a national register that the import corrected (register.yaml); not the
# secretariat's to fix, so it fails neither validate nor --strict.
Severity = Literal["error", "gap", "notice"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int  # 1-based; 0 when the finding is about a whole file or folder
    col: int  # 1-based; 0 when unknown
    severity: Severity
    message: str

    def format(self) -> str:
        """The finding as one line for a terminal, an editor or a CI log: a file name or a message with
        a line break or a control character in it cannot start another line or a workflow command."""
        return ci_line(f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}")


def display_path(path: Path | str, base: Path | None = None, resolved: Path | None = None) -> str:
    """A path as the editor knows it: relative to the working directory when possible.

    resolved: path.resolve(), when the caller already has it (the loader, for every file)."""
    path = Path(path)
    real = resolved if resolved is not None else path.resolve()
    for root in (_working_directory(os.getcwd()), base):
        if root is None:
            continue
        try:
            return str(real.relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


@functools.lru_cache(maxsize=8)
def _working_directory(cwd: str) -> Path:
    # Resolved once per directory rather than for every file of a national data set.
    return Path(cwd).resolve()


def summary(findings: Iterable[Finding], regions: int) -> str:
    findings = list(findings)
    errors = sum(f.severity == "error" for f in findings)
    gaps = sum(f.severity == "gap" for f in findings)
    notices = sum(f.severity == "notice" for f in findings)
    noun = "regio" if regions == 1 else "regio's"
    noted = f", {notices} {'melding' if notices == 1 else 'meldingen'} over het register" if notices else ""
    return (
        f"{regions} {noun} gecontroleerd: {errors} "
        f"{'fout' if errors == 1 else 'fouten'}, {gaps} {'hiaat' if gaps == 1 else 'hiaten'}{noted}"
    )


def to_json(findings: Iterable[Finding], regions: int) -> str:
    findings = sorted(findings)
    return json_document(
        {
            "regions": regions,
            "errors": sum(f.severity == "error" for f in findings),
            "gaps": sum(f.severity == "gap" for f in findings),
            "notices": sum(f.severity == "notice" for f in findings),
            "findings": [asdict(f) for f in findings],
        },
        indent=2,
    )
