"""Golden test of the national portal: the real register excerpts of tests/data/national/ imported with
`govsite import` and built on a fixed day, compared with tests/golden/national/ (see test_golden.py for how
golden files are compared and blessed; `make bless` blesses these too).

What is compared: the normalised HTML (test_golden.normalised_html) of the portal's own pages, of every
page of a region known only from the registers, and of the municipality pages of Leiden and Land van
Cuijk (the two municipalities the excerpts were chosen for); their open data files and the CSV of all
participations. The other municipality pages of the list are left out: the excerpt names few of them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import test_golden as golden
from test_golden import BLESS, environment, govsite, is_national, normalised_html

DATA = Path(__file__).resolve().parent / "data" / "national"
MUNICIPALITIES = ("gm0546", "gm1982")  # Leiden, Land van Cuijk
PORTAL_PAGES = ("index.html", "gemeenten/index.html", "gebieden/index.html", "regelingen/index.html",
                "overlap/index.html", "opendata/index.html")


def national_files(site: Path, regions: Path) -> dict[str, str]:
    registered = sorted(p.name for p in regions.iterdir() if (p / "register.yaml").is_file())
    pages = [*PORTAL_PAGES, *(f"{id}/index.html" for id in registered),
             *(f"gemeenten/{code}/index.html" for code in MUNICIPALITIES)]
    files = {f"national/site/{page}": normalised_html((site / page).read_text(encoding="utf-8")) for page in pages}
    data = ["opendata/deelnames.csv", *(f"opendata/regio/{id}.json" for id in registered),
            *(f"opendata/gemeente/{code}.json" for code in MUNICIPALITIES)]
    files.update({f"national/site/{name}": (site / name).read_text(encoding="utf-8") for name in data})
    return files


@pytest.fixture(scope="module")
def national_run(tmp_path_factory) -> dict[str, str]:
    if not (DATA / "cbs-2025").is_dir() or not (DATA / "roo-2026-05").is_dir():
        pytest.fail(f"the register excerpts are missing in {DATA}", pytrace=False)
    tmp = tmp_path_factory.mktemp("golden-national")
    env = environment(tmp)
    regions = tmp / "regions"
    govsite(["import", "cbs", str(DATA / "cbs-2025"), "--regions", str(regions)], tmp, env)
    govsite(["import", "roo", str(DATA / "roo-2026-05"), "--regions", str(regions)], tmp, env)
    outputs = []
    for run in ("a", "b"):
        site = tmp / run / "site"
        govsite(["build", "--regions", str(regions), "--out", str(site), "--site-url", golden.SITE_URL,
                 "--cache", str(tmp / run / "cache")], tmp, env)
        outputs.append(national_files(site, regions))
    first, second = outputs
    assert first == second, "two builds of the same national excerpt differ"
    leaks = sorted(key for key, text in first.items() if str(tmp) in text or str(tmp.resolve()) in text)
    assert not leaks, f"output names the temporary folder it was built in: {leaks[:10]}"
    return first


def test_national_portal_matches_golden(national_run):
    golden.check(golden.Output(national_run, {}), is_national)


def test_national_excerpt_is_the_real_patchwork_of_leiden(national_run):
    """Not a golden comparison: what the golden files must hold, whatever their bytes."""
    leiden = national_run["national/site/gemeenten/gm0546/index.html"]
    for division in ("Holland Rijnland", "Zuid-Holland-Noord", "Hollands-Midden", "Zuid-Holland Noord"):
        assert division in leiden
    for regeling in ("Regio Holland Rijnland", "Hecht", "Veiligheidsregio Hollands Midden"):
        assert regeling in leiden
    assert "Bron: Register van Overheidsorganisaties, 16 mei 2026" in leiden
    if not BLESS:
        assert "GM9" not in "".join(national_run.values())  # nothing of the fictional examples
