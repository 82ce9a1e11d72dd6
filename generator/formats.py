"""Numbers as Dutch readers write them, in one place: the site's pages and diagrams, and `govsite diff`.

Thousands with a dot and decimals with a comma (€ 1.250.000, 12,5%). A missing value is the empty
string; the caller says in words what is missing where the sentence needs it.
"""
from __future__ import annotations


def number(value: float | None, decimals: int | None = None) -> str:
    """1.250 and 12,5: a whole number without decimals, any other with one unless told otherwise."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def euro(value: float | None) -> str:
    """An amount in whole euros: € 1.250.000."""
    if value is None:
        return ""
    return "€ " + f"{value:,.0f}".replace(",", ".")


def percentage(value: float | None) -> str:
    """A share in percent: 25%, 12,5%."""
    if value is None:
        return ""
    return number(value) + "%"
