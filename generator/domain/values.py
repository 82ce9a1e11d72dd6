"""The value types of the data format: ids, codes, dates, numbers and short texts, each with the
check that says in Dutch what to write instead. (Text that may hold links, Markdown and Url, is typed
in schema.py, beside the link policy.)"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from .limits import FIRST_DATE, LAST_DATE
from .yaml_reader import InvalidDate

# The form of every id, also of a region folder's name (sources.py) and of `govsite new`'s ids.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG = re.compile(SLUG_PATTERN)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Fryslân" -> "fryslan", "'s-Hertogenbosch" -> "s-hertogenbosch")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
ID_MAX_LENGTH = 64
CODE_PATTERN = r"^GM[0-9]{4}$"


def _date(value: Any) -> Any:
    if isinstance(value, InvalidDate):
        raise ValueError(f"'{value}' is geen bestaande datum. Schrijf een echte datum als JJJJ-MM-DD")
    if isinstance(value, dt.datetime):
        raise ValueError("schrijf alleen een datum als JJJJ-MM-DD, zonder tijd")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is geen bestaande datum") from None
    if isinstance(value, dt.date):
        if not FIRST_DATE <= value <= LAST_DATE:
            raise ValueError(f"{value.isoformat()} ligt buiten de datums die govsite aankan "
                             f"({FIRST_DATE.isoformat()} tot en met {LAST_DATE.isoformat()}). Schrijf de echte "
                             "datum; staat er (nog) geen einddatum vast, laat het veld dan weg")
        return value
    raise ValueError(f"verwacht een datum als JJJJ-MM-DD (bijvoorbeeld 2025-01-01), niet '{value}'")


def _annual(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{2}-\d{2}", value):
        try:
            dt.date(2024, int(value[:2]), int(value[3:]))  # a leap year, so 02-29 is allowed
            return value
        except ValueError:
            pass
    raise ValueError(
        f"verwacht een jaarlijkse datum als \"MM-DD\" tussen aanhalingstekens "
        f"(bijvoorbeeld \"04-15\" voor 15 april), niet '{value}'"
    )


def _version(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("verwacht een versienummer tussen aanhalingstekens, bijvoorbeeld \"1.0\"")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"zet het versienummer tussen aanhalingstekens: \"{getattr(value, 'text', value)}\" "
                         "(anders leest YAML bijvoorbeeld 1.10 als 1.1)")
    return value


def _article_number(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"zet het artikelnummer tussen aanhalingstekens: \"{getattr(value, 'text', value)}\"")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[a-zA-Z]{2,}", value.strip()):
        raise ValueError(f"'{value}' is geen geldig e-mailadres (bijvoorbeeld secretariaat@example.org)")
    return value.strip()


def _parties(value: Any) -> Any:
    if value == "members" or isinstance(value, list):
        return value
    raise ValueError("schrijf 'members' (alle deelnemers op de datum van elke versie) of een lijst van "
                     "CBS-codes, bijvoorbeeld [GM0546, GM0547]")


Id = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=ID_MAX_LENGTH,
                          description="Een id: kleine letters, cijfers en streepjes.")]
Code = Annotated[str, Field(pattern=CODE_PATTERN,
                            description="CBS-gemeentecode: GM gevolgd door vier cijfers, bijv. GM0546.")]
Date = Annotated[dt.date, BeforeValidator(_date)]
AnnualDate = Annotated[str, BeforeValidator(_annual),
                       Field(pattern=r"^\d{2}-\d{2}$", description="Jaarlijkse datum \"MM-DD\".")]
Email = Annotated[str, AfterValidator(_email)]
VersionNumber = Annotated[str, BeforeValidator(_version), Field(min_length=1, max_length=32)]
ArticleNumber = Annotated[str, BeforeValidator(_article_number), Field(min_length=1, max_length=32)]
Parties = Annotated[Literal["members"] | list[Code], BeforeValidator(_parties)]
Title = Annotated[str, Field(min_length=1, max_length=300)]
# Numbers the site prints and draws stay within this: no governance figure comes near, and beyond it a
# chart's scale (1e308 - -1e308) is no longer a finite number.
NUMBER_LIMIT = 1e15
Amount = Annotated[float, Field(ge=0, le=NUMBER_LIMIT, allow_inf_nan=False)]
Measure = Annotated[float, Field(ge=-NUMBER_LIMIT, le=NUMBER_LIMIT, allow_inf_nan=False)]
