"""The theme's copy of Material's base.html stays Material's, but for the lines changed on purpose.

theme/overrides/base.html is a copy of Material's base.html with two lines changed (no autocomplete on
the menu and search checkboxes: invalid HTML). When a new Material changes its base.html, this test says
so: make the copy again from the new one, with the same two changes.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parent.parent
MATERIAL = Path(material.__file__).parent / "templates"
TOGGLES = ['<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"',
           '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search"']


def code(path: Path) -> list[str]:
    """The template's lines without its opening comment (Material's "generated" note, our reason)."""
    text = re.sub(r"\A\{#-.*?-#\}\n", "", path.read_text(encoding="utf-8"), count=1, flags=re.S)
    return text.splitlines()


def test_base_html_is_materials_without_autocomplete_on_checkboxes():
    diff = [line for line in difflib.unified_diff(code(MATERIAL / "base.html"), code(ROOT / "theme/overrides/base.html"),
                                                  lineterm="", n=0) if not line.startswith(("---", "+++", "@@"))]
    removed = [line[1:].strip() for line in diff if line.startswith("-")]
    added = [line[1:].strip() for line in diff if line.startswith("+")]
    assert removed == [t + ' autocomplete="off">' for t in TOGGLES]
    assert added == [t + ">" for t in TOGGLES]
