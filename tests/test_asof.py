"""`govsite build --as-of`: every page shows the region as it stood on that date.

The example regions are built for a few dates through the real command (each build once per session):
before Schetsveld joined the Voorbeeldland-Oost network, before Schetsheem left Voorbeeldland-Noord, and the day
before and the day that version 3.0 of the Voorbeeldland-West regulation took effect.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.pipeline import check

pytest_plugins = ["builtsite"]
REGIONS = Path(__file__).resolve().parent.parent / "examples"
D = dt.date


@pytest.fixture(scope="session")
def build_as_of(tmp_path_factory):
    """build_as_of("2022-06-01", "voorbeeldland-oost-werk") -> the output folder (built once)."""
    built: dict[tuple[str, str], Path] = {}

    def build(date: str, region: str) -> Path:
        if (date, region) not in built:
            out = tmp_path_factory.mktemp(f"asof-{date}") / "site"
            code = main(["build", "--regions", str(REGIONS), "--out", str(out), "--as-of", date, region])
            assert code == 0, f"govsite build --as-of {date} {region} failed"
            built[date, region] = out
        return built[date, region]

    return build


def page(site: Path, path: str):
    file = site / path
    assert file.is_file(), f"{path} is not in the built site"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").select_one("article.md-content__inner")


def words(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def table_after(main, heading: str) -> list[list[str]]:
    table = main.find("h2", string=heading).find_next("table")
    return [[words(td) for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]


def banner(site: Path, path: str) -> str:
    html = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    return words(html.select_one(".govsite-banner--as-of"))


# --- the model on a date -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    checked = check(REGIONS, None, D(2026, 11, 26))
    return {r.id: r for r in checked.regions}


@pytest.mark.parametrize("on,version,until,announced", [
    (D(2023, 3, 15), "2.0", D(2023, 3, 31), []),  # 3.0 not yet adopted (16 March): 2.0 has no known end
    (D(2023, 3, 31), "2.0", D(2023, 3, 31), ["3.0"]),  # the day before 3.0 takes effect
    (D(2023, 4, 1), "3.0", None, []),  # exactly on its effective date
])
def test_version_in_force_on_and_before_the_effective_date(example, on, version, until, announced):
    state = example["voorbeeldland-west-jeugd"].state(on).agreement_state("gr-jeugd")
    assert state.version.version == version
    assert [v.version.version for v in state.announced] == announced
    if on == D(2023, 3, 15):
        assert state.current.valid_until is None  # seen from then, nobody knew 3.0 yet
        assert [v.version.version for v in state.versions] == ["1.0", "2.0"]
    else:
        assert state.current.valid_until == until
    assert [v.status for v in state.versions][:2] == ["vervallen", "geldend" if version == "2.0" else "vervallen"]


def test_repealed_agreement_on_its_end_date(example):
    region = example["voorbeeldland-west-jeugd"]
    before = region.state(D(2024, 12, 31)).agreement_state("convenant-onderwijs-jeugdhulp")
    after = region.state(D(2025, 1, 1)).agreement_state("convenant-onderwijs-jeugdhulp")
    assert before.status == "geldend" and before.current.valid_until == D(2024, 12, 31)
    assert after.status == "vervallen" and after.version is None
    assert after.last_version.status == "vervallen"


def test_members_and_positions_on_a_date(example):
    names = lambda state: [state.region.municipalities.name(m.municipality) for m in state.current_members]  # noqa: E731
    ijsselland = example["voorbeeldland-noord-beschermd-wonen"]
    assert "Schetsheem" in names(ijsselland.state(D(2024, 12, 31)))  # its last day
    assert "Schetsheem" not in names(ijsselland.state(D(2025, 1, 1)))
    nijmegen = example["voorbeeldland-oost-werk"]
    assert "Schetsveld" not in names(nijmegen.state(D(2022, 12, 31)))
    assert "Schetsveld" in names(nijmegen.state(D(2023, 1, 1)))
    chair = lambda on: [h.name for p in ijsselland.state(on).positions  # noqa: E731
                        if p.position.id == "voorzitter-bestuurlijk-overleg" for h in p.holders]
    assert chair(D(2026, 5, 31)) == ["Bart Zwiers"] and chair(D(2026, 6, 1)) == ["Lotte Oosterhof"]


# --- the built site on a date --------------------------------------------------------------------

def test_before_a_member_joined(build_as_of):
    site = build_as_of("2022-06-01", "voorbeeldland-oost-werk")
    region = site / "voorbeeldland-oost-werk"
    assert "Zo was het op 1 juni 2022" in banner(region, "index.html")
    members = page(region, "deelnemers/index.html")
    current = [row[0] for row in table_after(members, "Gemeenten die nu meedoen")]
    assert "Schetsveld" not in current and "Proefstad" in current and len(current) == 7
    assert "Schetsveld vanaf 1 januari 2023" in words(members.find("h2", string="Gemeenten die gaan meedoen")
                                                           .find_next("ul"))
    changes = words(page(region, "wijzigingen/index.html"))
    assert "Schetsveld" not in changes  # joining is not a change yet
    assert "Versie 2.0 van Convenant Netwerk Werk Voorbeeldland-Oost is in werking getreden." in changes
    assert "Versie 3.0" not in changes
    # agreements: the later agreement (adopted 8 December 2022) did not exist yet; the convenant's
    # version 3.0 neither, so 2.0 has no known end
    rows = {row[0]: row for row in [[words(td) for td in tr.find_all("td")]
                                    for tr in page(region, "afspraken/index.html").find_all("tr")[1:]]}
    assert list(rows) == ["Convenant Netwerk Werk Voorbeeldland-Oost"]
    assert rows["Convenant Netwerk Werk Voorbeeldland-Oost"][2:] == ["Versie 2.0", "1 juli 2019", "Geldend"]
    assert not (region / "afspraken" / "convenant-werk" / "versie-3-0").exists()
    assert "nog niet vastgesteld" in words(page(region, "afspraken/afspraken-werkgeversdienstverlening/index.html"))


def test_after_a_member_left(built_site, build_as_of):
    before = build_as_of("2024-12-20", "voorbeeldland-noord-beschermd-wonen") / "voorbeeldland-noord-beschermd-wonen"
    members = page(before, "deelnemers/index.html")
    assert "Schetsheem" in [row[0] for row in table_after(members, "Gemeenten die nu meedoen")]
    after = built_site / "voorbeeldland-noord-beschermd-wonen"  # as on 2026-11-26
    members = page(after, "deelnemers/index.html")
    assert "Schetsheem" not in [row[0] for row in table_after(members, "Gemeenten die nu meedoen")]
    former = table_after(members, "Gemeenten die niet meer meedoen")
    assert ["Schetsheem", "1 januari 2015", "31 december 2024", "Uitgetreden"] == former[0][:4]
    assert "Gemeente Schetsheem is uitgetreden" in words(page(after, "wijzigingen/index.html"))
    assert "Gemeente Schetsheem is uitgetreden" not in words(page(before, "wijzigingen/index.html"))
    # positions as they were: Bart Zwiers chaired the bestuurlijk overleg until 31 May 2026
    assert "Bart Zwiers" in words(page(before, "organisatie/index.html"))


def test_future_version_is_announced(build_as_of):
    region = build_as_of("2024-12-20", "voorbeeldland-noord-beschermd-wonen") / "voorbeeldland-noord-beschermd-wonen"
    main = page(region, "afspraken/centrumgemeente-afspraken/index.html")
    assert "Geldende versie: versie 2.0" in words(main.select_one(".admonition.info"))
    assert "Geldend van 1 januari 2021 tot en met 31 december 2024" in words(main.select_one(".admonition.info"))
    note = main.select_one(".admonition.note")
    assert "Versie 3.0 is vastgesteld op 12 december 2024 door de colleges van B en W en gaat in op 1 januari 2025" \
        in words(note)
    assert note.find("a")["href"] == "versie-3-0/"
    future = page(region, "afspraken/centrumgemeente-afspraken/versie-3-0/index.html")
    assert "Deze versie is vastgesteld en geldt vanaf 1 januari 2025" in words(future.select_one(".admonition.note"))
    row = [[words(td) for td in tr.find_all("td")] for tr in main.find("h2", string="Alle versies")
           .find_next("table").find_all("tr")[1:]][0]
    assert row[0] == "Versie 3.0" and row[3] == "Gaat nog in"
    # an agreement adopted but not yet in force shows the text that will apply
    dvo = page(region, "afspraken/dvo-toegang/index.html")
    assert "Deze afspraak is vastgesteld, maar geldt nog niet. Versie 1.0 gaat in op 1 januari 2025" in words(dvo)


@pytest.mark.parametrize("date,version,period", [
    ("2023-03-31", "2.0", "Geldend van 1 januari 2019 tot en met 31 maart 2023"),
    ("2023-04-01", "3.0", "Geldend sinds 1 april 2023"),
])
def test_agreement_page_on_and_before_the_effective_date(build_as_of, date, version, period):
    region = build_as_of(date, "voorbeeldland-west-jeugd") / "voorbeeldland-west-jeugd"
    box = page(region, "afspraken/gr-jeugd/index.html").select_one(".admonition.info")
    assert f"Geldende versie: versie {version}" in words(box)
    assert period in words(box)


def test_decisions_basis_on_a_date(build_as_of):
    """Each decision's basis link leads to the article as it stood on the date, or to a page that says the
    agreement was not yet adopted."""
    for date, region_id in (("2022-06-01", "voorbeeldland-oost-werk"), ("2024-12-20", "voorbeeldland-noord-beschermd-wonen"),
                            ("2023-03-31", "voorbeeldland-west-jeugd")):
        region = build_as_of(date, region_id) / region_id
        base = "besluitvorming/index.html"
        html = BeautifulSoup((region / base).read_text(encoding="utf-8"), "html.parser")
        links = {a["href"] for a in html.find_all("a", href=re.compile("#artikel-"))}
        assert links
        for href in links:
            target = urlparse(urljoin(base, href))
            agreement = page(region, target.path + "index.html")
            assert agreement.find(id=target.fragment) is not None or "nog niet vastgesteld" in words(agreement), \
                f"{date} {region_id}: {href}"


def test_a_look_back_checks_the_data_on_its_own_present():
    """decisions.yaml describes today: a view of 2016 must not fail on bases that came later."""
    from generator.pipeline import check_view

    past = dt.date(2016, 1, 1)
    strict = check(REGIONS, None, past)
    assert any("geen geldende versie" in f.message or "bestaat niet in versie" in f.message for f in strict.errors)
    view = check_view(REGIONS, None, past, look_back=True)
    assert view.errors == [] and len(view.regions) == 3
    # without a look back (a build for today) nothing is loosened
    assert check_view(REGIONS, None, past, look_back=False).errors == strict.errors
