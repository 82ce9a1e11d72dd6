"""Regions in their own repository: every command works with --regions pointing elsewhere."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from test_govdiff import commit, git

ROOT = Path(__file__).resolve().parent.parent
REGION = "voorbeeldland-noord-beschermd-wonen"


def govsite(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_a_separate_regions_repository(tmp_path: Path):
    repo = tmp_path / "regio-gegevens"  # the regions sit at the top of their own repository
    repo.mkdir()
    shutil.copy(ROOT / "examples" / "municipalities.yaml", repo)
    shutil.copytree(ROOT / "examples" / REGION, repo / REGION)
    git(repo, "init", "-q", "-b", "main")
    first = commit(repo, "Regio overgenomen", "2026-03-01T12:00:00+01:00")
    accountability = repo / REGION / "accountability.yaml"
    accountability.write_text(accountability.read_text(encoding="utf-8").replace("next: 2028-03-01",
                                                                                 "next: 2029-03-01"),
                              encoding="utf-8")
    second = commit(repo, "Evaluatie een jaar later", "2026-04-01T12:00:00+01:00")
    elsewhere = tmp_path / "ergens-anders"
    elsewhere.mkdir()
    regions = ["--regions", str(repo)]

    result = govsite(elsewhere, "validate", *regions, "--as-of", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 regio gecontroleerd: 0 fouten" in result.stdout

    result = govsite(elsewhere, "fmt", "--check", *regions)
    assert result.returncode == 0, result.stdout + result.stderr

    result = govsite(elsewhere, "diff", first, second, *regions, "--as-of", "2026-11-26")
    assert result.returncode == 0, result.stderr
    assert "- Volgende evaluatie nu op 1 maart 2029 (was: 1 maart 2028).\n" in result.stdout

    result = govsite(elsewhere, "new", "region", "wmo-regio-ijssel", "--kind", "wmo-regio", "--name",
                     "Wmo-regio Oefenstad", "--members", "GM9030,GM9021", "--since", "2026-01-01", *regions)
    assert result.returncode == 0, result.stderr
    assert (repo / ".schema" / "region.schema.json").is_file()
    scaffolded = repo / "wmo-regio-ijssel" / "region.yaml"  # its members are invented: an example too
    scaffolded.write_text(scaffolded.read_text(encoding="utf-8").replace("\nexample: false\n", "\nexample: true\n"),
                          encoding="utf-8")

    out = tmp_path / "site"
    result = govsite(elsewhere, "build", *regions, "--out", str(out), "--as-of", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    for region in (REGION, "wmo-regio-ijssel"):
        page = BeautifulSoup((out / region / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.find("h1") is not None
    assert "Wmo-regio Oefenstad" in (out / "wmo-regio-ijssel" / "index.html").read_text(encoding="utf-8")
    assert not (elsewhere / "site").exists() and not (elsewhere / "regions").exists()
