"""What the build writes at the root of the output folder besides a folder per region.

The portal sits at the root, next to the regions' sites: a region folder named like one of the portal's
own folders would be written over by it (or write over it), so the validator refuses those names
(reserved()). The build, the portal's pages and the search index take their top-level names from here.
Kept free of heavy imports: `govsite validate` reads it for every region.
"""
from __future__ import annotations

import functools
from pathlib import Path

from ..engine.spec import PAGEFIND, SEARCH_GROUPS as SEARCH_PARTS  # the engine's own folders

CONTENT = Path(__file__).resolve().parent.parent.parent / "content"  # the portal's own pages (BuildOptions.content)
THEME_ASSETS = "assets"  # Material's scripts, style sheets, fonts and images, copied into every site
# The portal's generated pages with a folder of their own (render.PORTAL_PAGES; with MkDocs'
# directory URLs overlap.md is published as overlap/index.html).
MUNICIPALITIES = "gemeenten"
OVERLAP = "overlap"
SEARCH_PAGE = "zoeken"
DIVISIONS = "gebieden"  # the CBS divisions by kind (national registers)
REGELINGEN = "regelingen"  # the registered gemeenschappelijke regelingen
OPEN_DATA = "opendata"  # the open data files: deelnames.csv, regio/<id>.json, gemeente/<code>.json
PORTAL_FOLDERS = (THEME_ASSETS, PAGEFIND, SEARCH_PARTS, MUNICIPALITIES, OVERLAP, SEARCH_PAGE, DIVISIONS, REGELINGEN,
                  OPEN_DATA)


def reserved(content: Path = CONTENT) -> frozenset[str]:
    """Every folder name at the output's root that is the portal's: its own folders, and one per
    page or folder of its content (begrippen.md is published as begrippen/)."""
    return _reserved(str(content))


@functools.lru_cache(maxsize=4)
def _reserved(content: str) -> frozenset[str]:
    names = set(PORTAL_FOLDERS)
    try:
        for entry in Path(content).iterdir():
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                names.add(entry.name)
            elif entry.suffix == ".md" and entry.stem != "index":
                names.add(entry.stem)
    except OSError:
        pass
    return frozenset(names)
