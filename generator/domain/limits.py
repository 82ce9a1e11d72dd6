"""The limits of what the loader reads: per file and for the whole regions folder.

They keep a hostile or broken file from hanging the build or eating memory, and are far above what
any real governance file needs (the largest example is ~20 KiB). Also the range of dates govsite can
handle. Messages are Dutch: they become findings.
"""
from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass

from .findings import Finding

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000  # values after expanding aliases ("billion laughs")
MAX_DEPTH = 40  # nesting of mappings and lists
MAX_STRING = 100_000  # characters in one text value
MAX_AGREEMENTS = 500
MAX_REGIONS = 3000  # region folders: the national registers give ~790 (ended regelingen stay), secretariats add theirs
# Limits on the whole regions folder: the per-file limits times the number of files would allow far
# more than one machine can hold. A national data set is a few times smaller; every value costs
# memory and time in each later step, so these also bound a build of data that passes them.
MAX_TOTAL_FILES = 20_000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_TOTAL_VALUES = 2_000_000  # after expanding aliases, as MAX_NODES

# Every date in the data (schema.Date) and every --as-of lies in this range. The municipalities of
# today date from 1851 and budget years go up to 2200 (schema.Contribution); the code adds at most a
# few years to a date (terms, the agenda's horizon), far from Python's last date (9999-12-31).
FIRST_DATE, LAST_DATE = dt.date(1800, 1, 1), dt.date(2200, 12, 31)


@dataclass
class Size:
    """What was read: files, bytes and values (after expanding aliases), for the whole-input limits."""

    files: int = 0
    bytes: int = 0
    values: int = 0

    def __add__(self, other: "Size") -> "Size":
        return Size(self.files + other.files, self.bytes + other.bytes, self.values + other.values)

    def __sub__(self, other: "Size") -> "Size":
        return Size(self.files - other.files, self.bytes - other.bytes, self.values - other.values)

    def over(self) -> str | None:
        """Why this is more than a whole regions folder may hold (a Dutch message), else None."""
        for used, limit, what in (
                (self.files, MAX_TOTAL_FILES, f"{MAX_TOTAL_FILES:,} YAML-bestanden"),
                (self.bytes, MAX_TOTAL_BYTES, f"{MAX_TOTAL_BYTES // 2 ** 20} MiB aan YAML-bestanden"),
                (self.values, MAX_TOTAL_VALUES,
                 f"{MAX_TOTAL_VALUES:,} waarden (ook na het uitvouwen van verwijzingen met * en &)")):
            if used > limit:
                return (f"alle bestanden in de map met regio's samen zijn te groot: meer dan "
                        f"{what.replace(',', '.')}. govsite leest vanaf hier niets meer. Dat is ruim meer dan "
                        "alle regio's van Nederland samen nodig hebben: staan er bestanden, kopieën of "
                        "verwijzingen (*naam) in die er niet horen? Verwijder die; staat hier wel de map met "
                        "regio's?")
        return None


class InputTooBig(Exception):
    """The whole input is over a MAX_TOTAL_ limit: loading stops (load_sources reports the finding)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


# What load_sources has read so far; load_yaml counts each file against it. A context variable rather
# than a parameter, so that a region loader (the check cache's) keeps its signature.
READ_SO_FAR: ContextVar[Size | None] = ContextVar("govsite_read", default=None)
