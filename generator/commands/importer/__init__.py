"""`govsite import`: the national registers as the project's own YAML under regions/.

cbs.py reads the CBS/PDOK divisions, roo.py the Register van Overheidsorganisaties' gemeenschappelijke
regelingen and municipalities, ids.py gives each region a stable id, read.py reads the snapshots' files
and what an earlier import wrote, write.py writes the files. The
import owns only regions/municipalities.yaml and regions/<id>/register.yaml; it never writes a file a
secretariat writes (region.yaml and the others), so a re-import cannot overwrite their words.
"""
from __future__ import annotations

from .cbs import import_cbs  # noqa: F401
from .roo import import_roo  # noqa: F401
from .write import ImportError_ as ImportFailed, Report  # noqa: F401
