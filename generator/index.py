"""Step 6, index: Pagefind search indexes, one per region and one across all regions for the portal.

Pagefind reads the built HTML, stems Dutch words (from <html lang="nl">) and writes an index that
the browser loads in small chunks.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class IndexError_(Exception):
    pass


def _pagefind(site: Path, glob: str | None = None) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    if glob:
        command += ["--glob", glob]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise IndexError_(f"Pagefind kon de zoekindex van {site} niet maken:\n{result.stdout}{result.stderr}")


def index_sites(out: Path, region_ids: list[str]) -> None:
    for region_id in region_ids:
        _pagefind(out / region_id)
    _pagefind(out)  # the portal: one search across every region
