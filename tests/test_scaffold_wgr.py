"""A region filled in from `govsite new region` by following only its instructions has no legal gaps
(issue 17: "a region filled in from the scaffold by following only the guide passes too").

Each scaffolded file says: remove the '[]' and the '#' before the lines you fill in, and fill in every
INVULLEN. This test does exactly that, for every legal form the scaffold offers by default, and then
asks `govsite validate` for errors and for gaps whose source is a law.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import AS_OF, MUNICIPALITIES
from generator.cli import main
from generator.domain import schema
from generator.domain.norms import NORMS
from generator.pipeline import check

_EXAMPLE_START = re.compile(r"^# ([a-z_]+):( .*)?$")
_LEGAL_SOURCES = {n.source for n in NORMS.values() if n.legal}


def _field_names() -> set[str]:
    """Every field name of the data format: an example starts with one ('# entry: ...')."""
    names, todo = set(), list(schema.FILE_KINDS.values())
    while todo:
        model = todo.pop()
        for name, info in model.model_fields.items():
            names.add(name)
            todo += [t for t in getattr(info.annotation, "__args__", ()) + (info.annotation,)
                     if isinstance(t, type) and issubclass(t, schema.Part)]
            for arg in getattr(info.annotation, "__args__", ()):
                todo += [t for t in getattr(arg, "__args__", ()) if isinstance(t, type) and issubclass(t, schema.Part)]
    return names


FIELDS = _field_names()


def follow_the_instructions(text: str) -> str:
    """Uncomment each commented example ('# key:' at the start of a line and the '#   ' lines under it),
    drop the empty 'key: []' it replaces, and fill in INVULLEN."""
    lines = text.splitlines()
    out: list[str] = []
    filled: set[str] = set()
    i = 0
    while i < len(lines):
        match = _EXAMPLE_START.match(lines[i])
        if match and match.group(1) in FIELDS:
            filled.add(match.group(1))
            out.append(lines[i][2:])
            i += 1
            while i < len(lines) and lines[i].startswith("#   "):
                out.append(lines[i][2:])
                i += 1
            continue
        out.append(lines[i])
        i += 1
    out = [line for line in out if not any(line == f"{key}: []" for key in filled)]
    return "\n".join(out).replace("INVULLEN", "Ingevuld") + "\n"


@pytest.mark.parametrize("kind,legal_form", [("jeugdregio", None), ("beschermd-wonen-regio", None),
                                             ("wmo-regio", "bedrijfsvoeringsorganisatie")])
def test_a_region_filled_in_by_the_scaffolds_instructions_has_no_legal_gaps(tmp_path: Path, kind, legal_form):
    root = tmp_path / "regions"
    root.mkdir()
    (root / "municipalities.yaml").write_text(MUNICIPALITIES, encoding="utf-8")
    args = ["new", "region", "nieuwe-regio", "--kind", kind, "--name", "Nieuwe regio", "--members",
            "GM0546,GM0547,GM0575", "--since", "2026-01-01", "--regions", str(root)]
    assert main(args + (["--legal-form", legal_form] if legal_form else [])) == 0
    for path in sorted((root / "nieuwe-regio").rglob("*.yaml")):
        path.write_text(follow_the_instructions(path.read_text(encoding="utf-8")), encoding="utf-8")
    checked = check(root, None, AS_OF)
    assert checked.errors == [], "\n".join(f.format() for f in checked.errors)
    legal = [f.format() for f in checked.findings
             if f.severity == "gap" and any(f.message.endswith(f"Bron: {s}.") for s in _LEGAL_SOURCES)]
    assert legal == [], "\n".join(legal)
    assert [r.id for r in checked.regions] == ["nieuwe-regio"]
