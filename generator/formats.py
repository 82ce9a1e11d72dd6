"""Numbers as Dutch readers write them, in one place: the site's pages and diagrams, and `govsite diff`.

Thousands with a dot and decimals with a comma (€ 1.250.000, 12,5%). A missing value is the empty
string; the caller says in words what is missing where the sentence needs it.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def number(value: float | None, decimals: int | None = None) -> str:
    """1.250 and 12,5: a whole number without decimals, any other with one unless told otherwise."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    # Half up, as readers round by hand (12,25 is 12,3), not the float's half-to-even of its binary value.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# Between "€" and its amount: a non-breaking space, so that a narrow column never puts them on two lines.
EURO_SPACE = "\u00a0"


def euro(value: float | None) -> str:
    """An amount in whole euros: € 1.250.000 ("€" held to the number by a non-breaking space)."""
    if value is None:
        return ""
    return "€" + EURO_SPACE + number(value, 0)


def percentage(value: float | None) -> str:
    """A share in percent, always with one decimal, so that a column of shares reads alike and lines up:
    25,0%, 12,5%, 4,4%. The one format for every share on the site and in `govsite diff`."""
    if value is None:
        return ""
    return number(value, 1) + "%"
