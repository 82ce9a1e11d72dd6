"""regions/municipalities.yaml as the imports keep it: the Register van Overheidsorganisaties gives
every municipality, current and abolished (code, name, inhabitants, end, successor), CBS the province of
the current ones and their name where it differs (official_name: the register has "Den Bosch", CBS
"'s-Hertogenbosch"). Each import updates its own fields and keeps the other's."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .read import UNREADABLE, read_yaml
from .write import Report, write

FIELDS = ("code", "name", "official_name", "province", "inhabitants", "ended", "succeeded_by")
HEADER = ("De gemeenten van Nederland, huidige en opgeheven. Geschreven door `govsite import` uit het Register\n"
          "van Overheidsorganisaties (codes, namen, inwoners, opheffing en opvolger) en de CBS/PDOK\n"
          "gebiedsindelingen 2025 (provincie, en de naam waar het CBS een andere gebruikt). Niet met de hand\n"
          "bewerken; zie README: Nationale gegevens verversen.")


def read(root: Path) -> tuple[dict[str, dict[str, Any]], dict | None]:
    """The municipalities an earlier import wrote (by code), and the file's source block."""
    path = root / "municipalities.yaml"
    try:
        data = read_yaml(path)
    except UNREADABLE:
        return {}, None
    if not isinstance(data, dict):
        return {}, None
    rows = {}
    for item in data.get("municipalities") or []:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            rows[item["code"]] = {k: item.get(k) for k in FIELDS if item.get(k) is not None}
    source = data.get("source") if isinstance(data.get("source"), dict) else None
    return rows, source


def fill_provinces(rows: dict[str, dict[str, Any]]) -> None:
    """An abolished municipality without a province gets its successor's (followed to a current one):
    CBS names the province of current municipalities only. Mergers cross no provincial border."""
    for code, row in rows.items():
        if row.get("province"):
            continue
        seen, at = {code}, row.get("succeeded_by")
        while at and at in rows and at not in seen:
            if rows[at].get("province") and not rows[at].get("ended"):
                row["province"] = rows[at]["province"]
                break
            seen.add(at)
            at = rows[at].get("succeeded_by")


def save(root: Path, rows: dict[str, dict[str, Any]], source: dict | None, report: Report) -> None:
    fill_provinces(rows)
    data = {"source": source,
            "municipalities": [{k: rows[code].get(k) for k in FIELDS} for code in sorted(rows)]}
    write(root, root / "municipalities.yaml", data, HEADER, report)
