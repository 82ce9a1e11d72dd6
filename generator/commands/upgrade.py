"""`govsite upgrade [--check] [--regions DIR]`: bring a regions folder written for an earlier data format
up to date, in place.

The data format has no version number: every field added since the first format is optional and none
changed its meaning, so files written for an earlier format stay valid as they are (content/bijdragen/
dataformaat.md, "Wijzigingen in het dataformaat"). What a newer field makes possible, govsite can
sometimes infer from what an old file already says; upgrade writes that down, so that the typed checks
see it, and says per file and line what it did:

- a council instrument about the draft budget, the framework letter or the (provisional) annual
  accounts gets `applies_to` from its subject (the Wgr checks read the typed value, never the subject);
- an escalation step titled Gedeputeerde Staten becomes the collective body `gedeputeerde-staten`
  (art. 28 Wgr is checked on that body);
- a centrumgemeente gets `legal_basis` from the kind of its founding agreement (a gemeenschappelijke
  regeling: wgr; a convenant or samenwerkingsovereenkomst: convenant).

It reads and writes with ruamel.yaml's round trip in govsite fmt's layout, so comments and the order of
keys stay; a file it cannot read is reported and left alone, and a file with nothing to infer is not
touched. Running it twice changes nothing the second time.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from ..domain.findings import Finding, display_path
from ..domain.load import load_yaml
from .fmt import canonical_yaml, dump, yaml_files

# The subject of a council instrument, lower case with single spaces, and the typed value it means.
_SUBJECTS = [
    (re.compile(r"^(concept-?|ontwerp-?)begroting\b"), "ontwerpbegroting"),
    (re.compile(r"^(begrotingswijziging|wijziging van de begroting)\b"), "begrotingswijziging"),
    (re.compile(r"^(kaderbrief|kadernota|algemene financiële en beleidsmatige kaders)\b"), "kaderbrief"),
    (re.compile(r"^voorlopige jaarrekening\b"), "voorlopige-jaarrekening"),
    (re.compile(r"^jaarrekening\b"), "jaarrekening"),
]
_PROVINCIAL_EXECUTIVE = re.compile(r"^gedeputeerde staten\b")


@dataclass
class Upgraded:
    path: Path
    changes: list[str] = field(default_factory=list)  # "line: what was done", in Dutch
    error: Finding | None = None

    def lines(self) -> list[str]:
        if self.error is not None:
            return [self.error.format()]
        shown = display_path(self.path)
        return [f"{shown}:{change}" for change in self.changes]


def _normal(text: object) -> str:
    return " ".join(str(text).lower().split())


def _insert_after(mapping: CommentedMap, after: str, key: str, value: object) -> None:
    keys = list(mapping.keys())
    mapping.insert(keys.index(after) + 1 if after in keys else len(keys), key, value)


def _accountability(data: CommentedMap, changes: list[str], folder: Path) -> None:
    for instrument in data.get("council_instruments") or []:
        if not isinstance(instrument, CommentedMap) or "applies_to" in instrument:
            continue
        subject = _normal(instrument.get("subject", ""))
        value = next((v for pattern, v in _SUBJECTS if pattern.search(subject)), None)
        if value is None:
            continue
        line, col = instrument.lc.key("subject") if "subject" in instrument else (instrument.lc.line, instrument.lc.col)
        _insert_after(instrument, "subject", "applies_to", value)
        changes.append(f"{line + 1}:{col + 1}: 'applies_to: {value}' toegevoegd, afgeleid uit subject "
                       f"'{instrument.get('subject')}'.")


def _decisions(data: CommentedMap, changes: list[str], folder: Path) -> None:
    for step in data.get("escalation") or []:
        if not isinstance(step, CommentedMap) or "body" in step or "title" not in step:
            continue
        if not _PROVINCIAL_EXECUTIVE.search(_normal(step["title"])):
            continue
        line, col = step.lc.key("title")
        title = step["title"]
        position = list(step.keys()).index("title")
        del step["title"]
        step.insert(position, "body", "gedeputeerde-staten")
        changes.append(f"{line + 1}:{col + 1}: 'title: {title}' is nu 'body: gedeputeerde-staten' (het orgaan dat een geschil "
                       "beslist, art. 28 Wgr).")


_BASIS = {"gemeenschappelijke-regeling": "wgr", "convenant": "convenant", "samenwerkingsovereenkomst": "convenant"}


def _region(data: CommentedMap, changes: list[str], folder: Path) -> None:
    if data.get("legal_form") != "centrumgemeente" or "legal_basis" in data or not data.get("founding_agreement"):
        return
    agreement, findings = load_yaml(folder / "agreements" / f"{data['founding_agreement']}.yaml")
    kind = agreement.data.get("kind") if agreement is not None and not findings and isinstance(agreement.data, dict) \
        else None
    if kind not in _BASIS:
        return
    _insert_after(data, "legal_form", "legal_basis", _BASIS[kind])
    line, col = data.lc.key("legal_form")
    changes.append(f"{line + 1}:{col + 1}: 'legal_basis: {_BASIS[kind]}' toegevoegd, afgeleid uit de "
                   f"soort van de oprichtingsafspraak '{data['founding_agreement']}' ({kind}).")


_UPGRADES = {"accountability.yaml": _accountability, "decisions.yaml": _decisions, "region.yaml": _region}


def upgrade_file(path: Path, check: bool) -> Upgraded:
    result = Upgraded(path)
    doc, findings = load_yaml(path)
    if findings:  # broken YAML: explained with file:line:col, never rewritten
        result.error = findings[0]
        return result
    text = path.read_bytes().decode("utf-8-sig")
    data = canonical_yaml().load(io.StringIO(text))
    if not isinstance(data, CommentedMap):
        return result
    _UPGRADES[path.name](data, result.changes, path.parent)
    if result.changes and not check:
        path.write_text(dump(data), encoding="utf-8", newline="\n")
    return result


def upgrade_regions(root: Path, check: bool) -> list[Upgraded]:
    """Upgrade every file of a regions folder that the loader reads and upgrade knows."""
    return [upgrade_file(path, check) for path in yaml_files(root) if path.name in _UPGRADES]
