"""Step 6, index: Pagefind search indexes, one per region and one across all regions for the portal.

Pagefind reads the built HTML, stems Dutch words (from <html lang="nl">) and writes an index that
the browser loads in small chunks. A region's index is made right after its site (in the worker that
built it), so an unchanged region keeps its index; the portal's index covers every region's pages,
so it is made again on every build (about half a second for 42 regions).
"""
from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path


class IndexError_(Exception):
    pass


@functools.cache
def _executable() -> list[str]:
    """Pagefind's binary itself: starting it through `python -m pagefind` costs a Python start per index."""
    try:
        from pagefind.service import _must_get_executable

        return [str(_must_get_executable().resolve())]
    except Exception:  # an other packaging of pagefind: let its module find the binary
        return [sys.executable, "-m", "pagefind"]


def _pagefind(site: Path, glob: str | None = None) -> None:
    command = [*_executable(), "--site", str(site), "--silent"]
    if glob:
        command += ["--glob", glob]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise IndexError_(f"Pagefind kon de zoekindex van {site} niet maken:\n{result.stdout}{result.stderr}")


def index_site(site: Path) -> None:
    """The search index of one region's site, in site/pagefind/."""
    _pagefind(site)


def index_portal(out: Path) -> None:
    """The portal's search index: every page of every site under out, in out/pagefind/."""
    _pagefind(out)


def index_sites(out: Path, region_ids: list[str]) -> None:
    for region_id in region_ids:
        index_site(out / region_id)
    index_portal(out)
