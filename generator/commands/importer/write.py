"""Writing what the import owns: regions/municipalities.yaml and regions/<id>/register.yaml.

One fixed layout (govsite fmt's canonical ruamel.yaml layout, keys in the order given, multi-line text
as a block) and a file is only written when its bytes change: importing the same snapshot again
changes no byte. Text from the registers is cleaned of what the text rule refuses or a reader cannot
see (soft hyphens, zero-width spaces); every cleaning is recorded as a correction that validate reports.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from ...domain.load import inside_regions
from ...domain.text_rule import BAD_IN_VALUE, first_bad
from ..fmt import dump

HEADER = ("Geschreven door `govsite import` uit {source}.\n"
          "Niet met de hand bewerken: de volgende import schrijft dit bestand opnieuw. Uw eigen gegevens over\n"
          "deze regio horen in region.yaml en de andere bestanden in deze map (zie de handleiding: een regio\n"
          "uit het register overnemen).")
# Invisible characters the registers hold in places (data README); dropped at import.
INVISIBLE = re.compile("[\u00ad\u200b\ufeff]")


class ImportError_(Exception):
    """What makes an import impossible (a missing file or column); the message is Dutch."""


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # Dutch: what the import found in the snapshot


def clean(text: str | None) -> tuple[str | None, bool]:
    """Text as a page may show it: without invisible characters, characters the text rule refuses and
    surrounding whitespace, line ends as \\n; and whether anything invisible was removed."""
    if text is None:
        return None, False
    value = text.replace("\r\n", "\n").replace("\r", "\n")
    invisible = bool(INVISIBLE.search(value))
    value = INVISIBLE.sub("", value)
    while (bad := first_bad(BAD_IN_VALUE, value)) is not None:  # what the text rule refuses, as it decides
        value = value[:bad.start()] + value[bad.end():]
    value = "\n".join(line.rstrip() for line in value.strip().split("\n"))
    return (value or None), invisible


def one_line(text: str | None) -> tuple[str | None, bool]:
    value, invisible = clean(text)
    return (" ".join(value.split()) if value else None), invisible


def _layout(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            if item is None or item == [] or item == {}:
                continue  # an empty field is left out
            out[key] = _layout(item)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(_layout(item) for item in value)
        if value and all(isinstance(item, str) and len(item) < 40 and "\n" not in item for item in value):
            seq.fa.set_flow_style()  # short words on one line: bodies: [raad, college]
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def render(data: dict, header: str) -> str:
    document = _layout(data)
    document.yaml_set_start_comment(header)
    return dump(document)


def write(root: Path, path: Path, data: dict, header: str, report: Report) -> None:
    """Write one import-owned file when its text changes (never through a link out of the regions folder)."""
    text = render(data, header)
    if not inside_regions(root, path):
        raise ImportError_(f"{path} verwijst naar een plek buiten de map met regio's; de import schrijft daar niet.")
    try:
        if path.read_text(encoding="utf-8") == text:
            report.unchanged += 1
            return
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    report.written.append(path)


def iso(value: str | None) -> dt.date | None:
    """A register date ('2017-03-23'), or None when there is none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
