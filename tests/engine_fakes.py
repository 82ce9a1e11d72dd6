"""What the engine's tests share: a builder without MkDocs, and the Pagefind binary the engine runs."""
from __future__ import annotations

import hashlib
import html
from pathlib import Path

from generator.engine.spec import Built, Previous, Rendered

PAGE = ('<!doctype html><html lang="nl"><head><title>{title}</title></head><body>'
        '<!--zoekindex--><main><h1>{title}</h1><p>{text}</p></main><!--/zoekindex--></body></html>')


def fake_builder(site: Rendered, target: Path, previous: Previous) -> Built:
    """Every Markdown file as a page of HTML with the text, without MkDocs."""
    target.mkdir(parents=True, exist_ok=True)
    keys = {}
    for page in sorted(site.docs_dir.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        relative = page.relative_to(site.docs_dir).with_suffix(".html")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(PAGE.format(title=html.escape(site.name), text=html.escape(text)),
                                       encoding="utf-8")
        keys[page.relative_to(site.docs_dir).as_posix()] = hashlib.sha256(text.encode()).hexdigest()
    return Built(keys, sum(1 for page, key in keys.items() if previous.pages.get(page) == key))


def pagefind_binary() -> str:
    """The Pagefind binary, found as its own Python packages find it (a dependency: never missing)."""
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(Path(__import__(package).get_executable()).resolve())
        except (ImportError, OSError):
            continue
    raise AssertionError("Pagefind ontbreekt: installeer de afhankelijkheden met `make test`")


# A Pagefind that runs the real one, then changes what it wrote (as another version of Pagefind might):
# chosen as users choose a Pagefind, with PAGEFIND_BINARY_PATH; the real one comes in GOVSITE_TEST_PAGEFIND.
_WRAPPER = """#!/bin/sh
"$GOVSITE_TEST_PAGEFIND" "$@" || exit $?
previous=""; out=""
for argument in "$@"; do
    [ "$previous" = "--output-path" ] && out="$argument"
    previous="$argument"
done
"""


def other_pagefind(folder: Path, then: str) -> dict[str, str]:
    """Such a Pagefind in folder, whose shell lines `then` change its output folder "$out"; returns the
    environment that makes govsite run it."""
    wrapper = folder / "pagefind"
    wrapper.write_text(_WRAPPER + then, encoding="utf-8")
    wrapper.chmod(0o755)
    return {"PAGEFIND_BINARY_PATH": str(wrapper), "GOVSITE_TEST_PAGEFIND": pagefind_binary()}
