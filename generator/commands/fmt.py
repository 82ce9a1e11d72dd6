"""`govsite fmt`: one canonical layout for every YAML file, so that a pull request shows only real changes.

The layout is ruamel.yaml's round trip: comments, blank lines, the order of keys, block and flow
style and the quotes the author chose are kept; indentation becomes two spaces with list items
indented under their key ("  - item"). Long lines are not re-wrapped: ruamel would fold a long text
over several lines with trailing spaces, and a change to one sentence would then show as a change
to a whole paragraph in the review. A file is only rewritten when its data is provably unchanged.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.representer import RoundTripRepresenter

from ..escape import ci_line
from ..domain.findings import Finding, display_path
from ..domain.load import InvalidDate, load_yaml, source_paths

WIDTH = 4096  # never re-wrap text (see above)
NOT_CANONICAL = "niet in de standaardopmaak; voer 'govsite fmt' uit"


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node, values=None):
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, TypeError, OverflowError):
            return InvalidDate(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Representer(RoundTripRepresenter):
    pass


# An impossible date (2024-02-30) is written back exactly as it was; the validator reports it.
_Representer.add_representer(
    InvalidDate, lambda r, value: r.represent_scalar("tag:yaml.org,2002:timestamp", str(value)))


def canonical_yaml() -> YAML:
    """The one ruamel.yaml configuration for reading and writing files in the canonical layout."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor  # an impossible date (2024-02-30) stays text instead of failing
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    yaml.explicit_start = False
    yaml.allow_duplicate_keys = False
    return yaml


def dump(data: Any) -> str:
    """Canonical text of round-trip data (as read by canonical_yaml, or built from ruamel's types)."""
    buffer = io.StringIO()
    canonical_yaml().dump(data, buffer)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    """Data without ruamel's wrappers, to prove that formatting changed nothing but the layout."""
    if isinstance(value, dict):
        return [(str(k), _plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return ("datetime", value.isoformat())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return ("float", repr(float(value)))
    return (isinstance(value, InvalidDate), str(value))


def format_text(text: str) -> str:
    """The canonical layout of a YAML text; raises ValueError when that would change its data."""
    text = text.removeprefix("\ufeff")
    data = canonical_yaml().load(text)
    if data is None:  # empty, or only comments: nothing to lay out
        return text if not text or text.endswith("\n") else text + "\n"
    result = dump(data)
    if _plain(canonical_yaml().load(result)) != _plain(data):
        raise ValueError("opmaken zou de gegevens veranderen")
    trimmed = result.rstrip("\n") + "\n"  # one final newline, unless a kept block text ('|+') needs more
    return trimmed if _plain(canonical_yaml().load(trimmed)) == _plain(data) else result


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: str  # canonical | changed | error
    finding: Finding | None = None

    def message(self, check: bool) -> str:
        shown = display_path(self.path)
        if self.status == "error":
            return self.finding.format()
        if self.status == "changed":  # a line of its own, whatever the file is called
            return ci_line(f"{shown}: {NOT_CANONICAL}" if check else f"{shown}: opgemaakt")
        return ""


def format_file(path: Path, check: bool) -> Outcome:
    """Rewrite one file in the canonical layout (or, with check, only say whether it is)."""
    doc, findings = load_yaml(path)
    if findings:  # broken YAML is explained with file:line:col and left as it is
        return Outcome(path, "error", findings[0])
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    try:
        formatted = format_text(text)
    except Exception as err:  # noqa: BLE001 - any failure leaves the file untouched and is reported
        reason = str(err) if isinstance(err, ValueError) else type(err).__name__
        return Outcome(path, "error", Finding(display_path(path), 0, 0, "error",
                                              f"dit bestand kan niet automatisch worden opgemaakt ({reason}). "
                                              "Pas de opmaak met de hand aan."))
    if formatted.encode("utf-8") == raw:
        return Outcome(path, "canonical")
    if not check:
        path.write_text(formatted, encoding="utf-8", newline="\n")
    return Outcome(path, "changed")


def yaml_files(root: Path) -> list[Path]:
    """Every YAML file of a regions folder that the loader reads (load.source_paths)."""
    return sorted(source_paths(root)[0])


def format_regions(root: Path, files: Iterable[Path], check: bool) -> list[Outcome]:
    """Format the files of a regions folder that the loader reads: all, or the named ones among them.

    The loader's rules for paths are fmt's: a file it refuses (a symbolic link to a place outside the
    regions folder, a hidden or unknown file, or one outside the regions folder) is reported with the
    loader's finding and never opened, let alone written.
    """
    readable, refused = source_paths(root)
    files = [Path(f) for f in files]
    if not files:
        return [Outcome(Path(f.path), "error", f) for f in refused] + format_files(readable, check)

    def where(path: Path) -> tuple[str, str]:  # the folder's real place and the name, as written
        return os.path.realpath(path.parent), path.name

    by_place = {where(p): p for p in readable}
    outcomes = []
    for path in files:
        if where(path) in by_place:
            outcomes.append(format_file(path, check))
            continue
        shown = {display_path(p) for p in (path, *path.parents)}
        finding = next((f for f in refused if f.path in shown), None) or Finding(
            display_path(path), 0, 0, "error",
            f"govsite leest dit bestand niet (het hoort niet bij de gegevens in {display_path(root)}) en maakt "
            "het daarom ook niet op. Staat het in de goede map? Geef anders de map met regio's op met --regions.")
        outcomes.append(Outcome(path, "error", finding))
    return outcomes


def format_files(paths: Iterable[Path], check: bool) -> list[Outcome]:
    return [format_file(Path(p), check) for p in paths]
