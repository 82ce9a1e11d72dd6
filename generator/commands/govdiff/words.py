"""`govsite diff`, phrasing: how the data reads in the Dutch sentences of the review, as plain text
of the job summary's Markdown (generator.escape.summary_text: one line, nothing interpreted).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ...domain import schema
from ...domain.labels import MONTHS, label, long_date, names
from ...domain.model import Region
from ...escape import summary_text
from ...formats import euro as _euro

def text(value: Any) -> str:
    """Data as plain text in the job summary's Markdown: one line, nothing interpreted."""
    return summary_text(value)


def em(value: Any) -> str:
    return f"*{text(value)}*"


date = long_date


def annual(mmdd: str) -> str:
    return f"{int(mmdd[3:])} {MONTHS[int(mmdd[:2]) - 1]}"


def euro(value: float | None) -> str:
    return _euro(value) or "geen bedrag"


def day_after(value: dt.date) -> dt.date:
    return value + dt.timedelta(days=1)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


_NEUTER = {"algemeen-bestuur", "dagelijks-bestuur", "portefeuillehoudersoverleg", "bestuurlijk-overleg",
           "ambtelijk-overleg", "secretariaat"}


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def body(region: Region, ref: str | None, article: bool = True) -> str:
    """A body reference as a reviewer reads it: "het dagelijks bestuur", "de gemeenteraden"."""
    if ref is None:
        return "niemand"
    if ref in schema.COLLECTIVE_BODIES:
        words = schema.COLLECTIVE_BODIES[ref]
        return words if article else words.removeprefix("de ")
    found = next((b for b in (region.organisation.bodies if region.organisation else []) if b.id == ref), None)
    if found is None:
        return text(ref)
    name = text(_lower_first(found.name))
    if not article or found.kind == "overig":
        return name
    return f"{'het' if found.kind in _NEUTER else 'de'} {name}"


def bodies(region: Region, refs: list[str]) -> str:
    return names([body(region, r) for r in refs]) if refs else "niemand"


def municipality(region: Region, code: str) -> str:
    return f"Gemeente {text(region.municipalities.name(code))}"


def role(value: str) -> str:
    """A council role in the words of the Gemeentewet: "wensen en bedenkingen"."""
    return value.replace("-", " ")


def domains(values: list[str] | None) -> str:
    return ", ".join(label(d, "domain") for d in values) if values else "alle domeinen"



def lower_first(name: str) -> str:
    """A name in the middle of a sentence: "de deelname van gemeente Leiden"."""
    return name[0].lower() + name[1:]


def upper_first(words: str) -> str:
    return words[0].upper() + words[1:]
