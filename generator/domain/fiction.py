"""Fiction and real municipalities kept apart (issue 18 item 7): the project's own norm, no article of law.

Invented municipalities have codes GM9000 to GM9999, a range no real municipality has had. An example
region (`example: true`) may only have invented members, and a real region none, so that no invented
decision is ever told about a real municipality and no invented municipality appears next to real ones.
"""
from __future__ import annotations

import re

from . import schema
from .load import Document
from .registry import Check, rule

INVENTED_CODE = re.compile(r"GM9[0-9]{3}")


def invented(code: str) -> bool:
    """Whether a municipality code is one of the invented ones (for examples and tests)."""
    return INVENTED_CODE.fullmatch(code) is not None


@rule("voorbeeld-of-echt", "region")
def _example_members(c: Check, doc: Document, region: schema.RegionFile) -> None:
    for i, member in enumerate(region.members):
        code = member.municipality
        if region.example and not invented(code):
            c.error(doc, ("members", i, "municipality"), (
                f"een voorbeeldregio (example: true) mag geen echte gemeente als deelnemer hebben, en {code} "
                "is de code van een echte gemeente. Gebruik een verzonnen gemeente met een code van GM9000 tot "
                "en met GM9999. Is dit een echte regio? Zet dan 'example: false'."))
        elif not region.example and invented(code):
            c.error(doc, ("members", i, "municipality"), (
                f"{code} is een verzonnen gemeente: de codes GM9000 tot en met GM9999 zijn alleen voor "
                "voorbeelden. Schrijf de CBS-code van de echte gemeente. Is dit een voorbeeld? Zet dan "
                "'example: true'."))
