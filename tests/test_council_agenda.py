"""The council's agenda across regions on the built portal (issue 19 item 1): the municipality page, its
calendar read by a real iCalendar parser (icalendar) and its Atom feed, built by `govsite build` in its own
process. Test data: Leiden in two full regions with dates of their own and in a regeling known only from the
register (no dates published: the Wgr's legal latest dates); Leiderdorp leaves one region."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FILES, MUNICIPALITIES, REGION
from govsite_cli import ROOT, govsite, package_copy

import national_fixture

TODAY = "2026-11-26"
SITE = "https://regio.example.nl/"
SECOND = "werkregio-rijnland"
ATOM = "{http://www.w3.org/2005/Atom}"


def make_regions(root: Path) -> Path:
    municipalities = yaml.safe_load(MUNICIPALITIES)["municipalities"]
    national_fixture.write(root, {k: national_fixture.REGISTERS[k]
                                  for k in ("regio-holland-rijnland", "provincie-zuid-holland")}, municipalities)
    for name, text in FILES.items():
        if name != "municipalities.yaml":
            path = root / REGION / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    shutil.copytree(root / REGION, root / SECOND)
    region = (root / SECOND / "region.yaml").read_text(encoding="utf-8")
    region = region.replace(f"id: {REGION}", f"id: {SECOND}").replace("Jeugdregio Leidse regio", "Werkregio Rijnland")
    region = region.replace("  - municipality: GM0547\n    since: 2015-01-01\n",
                            "  - municipality: GM0547\n    since: 2015-01-01\n    until: 2027-06-30\n")
    (root / SECOND / "region.yaml").write_text(region, encoding="utf-8")
    set_cycle(root, "  - year: 2028\n    draft_sent: 2027-03-10\n"
                    "    draft_document: https://example.org/ontwerpbegroting-2028.pdf\n    board_meeting: 2027-06-10\n")
    return root


def set_cycle(root: Path, cycle: str) -> None:
    path = root / SECOND / "accountability.yaml"
    text = path.read_text(encoding="utf-8")
    if "\ncycle:\n" in text:  # replace the cycle written before
        text = text[:text.index("\ncycle:\n") + 1] + text[text.index("evaluation:"):]
    path.write_text(text.replace("evaluation:", "cycle:\n" + cycle + "evaluation:"), encoding="utf-8")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """A copy of the generator: the build's key covers its code, which must not change between two builds
    of one test (as it can in a working tree being edited)."""
    package = package_copy(tmp_path_factory.mktemp("package"))
    for name in ("theme", "content"):  # what the build takes from beside the package
        shutil.copytree(ROOT / name, package / name)
    shutil.copy(ROOT / "mkdocs.yml", package / "mkdocs.yml")
    return package


def build(root: Path, out: Path, package: Path, timings: Path | None = None) -> None:
    """A build with a cache of its own (beside the output: what other tests build cannot replace it)."""
    extra = ["--timings", str(timings)] if timings else []
    done = govsite("build", "--regions", str(root), "--out", str(out), "--site-url", SITE, "--jobs", "2",
                   "--cache", str(out.parent / "cache"), *extra, cwd=root.parent,
                   env={"GOVSITE_TODAY": TODAY, "PYTHONPATH": str(package)})
    assert done.returncode == 0, done.stdout + done.stderr


def calendar(out: Path, code: str) -> list:
    data = (out / "gemeenten" / code / "agenda.ics").read_bytes()
    return [c for c in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def by_uid(events) -> dict:
    return {str(e["UID"]): e for e in events}


def start(event) -> dt.date:
    return event.decoded("DTSTART")


@pytest.fixture(scope="module")
def built(tmp_path_factory, package):
    base = tmp_path_factory.mktemp("agenda")
    root = make_regions(base / "regions")
    build(root, base / "out", package)
    return root, base / "out"


def agenda_rows(out: Path, code: str) -> list[list[str]]:
    html = (out / "gemeenten" / code / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    heading = next(h for h in soup.find_all("h2") if h.get_text(strip=True) == "Agenda voor de raad")
    table = heading.find_next("table")
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in table.find_all("tr")[1:]]


def test_the_municipality_page_lists_the_coming_dates_of_all_its_regions_nearest_first(built):
    _, out = built
    rows = agenda_rows(out, "gm0546")
    regions = {row[2] for row in rows}
    assert {"Jeugdregio Leidse regio", "Werkregio Rijnland", "Regio Holland Rijnland"} <= regions
    # A recorded date and the term derived from it are facts; the register-only regeling has the law's latest dates.
    term = next(r for r in rows if r[1].startswith("Termijn voor de zienswijze op de ontwerpbegroting 2028 eindigt"))
    assert term[0] == "2 juni 2027 (art. 35 Wgr)" and term[2] == "Werkregio Rijnland"
    assert "Twaalf weken na 10 maart 2027" in term[1] and term[4] == "stuk"
    legal = next(r for r in rows if r[2] == "Regio Holland Rijnland" and r[1].startswith("Kaders 2028"))
    assert legal[0] == "uiterlijk 29 april 2027 (art. 34b Wgr)"
    gs = next(r for r in rows if r[2] == "Regio Holland Rijnland" and r[1].startswith("Begroting 2028 naar Gedeputeerde Staten"))
    assert gs[0] == "uiterlijk 14 september 2027 (art. 34 Wgr)"
    # Nearest first: the calendar holds the same items; their order is the page's.
    dates = [start(e) for e in calendar(out, "gm0546")]
    assert dates == sorted(dates) and len(dates) == len(rows)


def test_the_calendar_parses_and_holds_deadlines_of_several_regions_with_stable_ids(built):
    _, out = built
    events = by_uid(calendar(out, "gm0546"))
    kaders = events["regio-holland-rijnland-kaders-2028@govsite"]
    assert start(kaders) == dt.date(2027, 4, 29) and int(kaders["SEQUENCE"]) == 0
    assert str(kaders["STATUS"]) == "CONFIRMED"
    assert "uiterlijk 29 april 2027 (art. 34b Wgr)" in str(kaders["DESCRIPTION"])
    term = events[f"{SECOND}-zienswijze-begroting-2028@govsite"]
    assert start(term) == dt.date(2027, 6, 2)
    assert str(term["URL"]) == "https://example.org/ontwerpbegroting-2028.pdf"
    assert {uid.split("-kaders-")[0] for uid in events if "-kaders-2028" in uid} == \
        {REGION, SECOND, "regio-holland-rijnland"}
    calendar_ = icalendar.Calendar.from_ical((out / "gemeenten/gm0546/agenda.ics").read_bytes())
    assert str(calendar_["X-WR-CALNAME"]) == "Agenda raad Leiden"


def test_a_region_left_is_cancelled_in_the_calendar_and_gone_from_the_page(built):
    _, out = built
    events = [e for e in calendar(out, "gm0547") if str(e["UID"]).startswith(SECOND)]
    after = [e for e in events if start(e) > dt.date(2027, 6, 30)]
    assert after and all(str(e["STATUS"]) == "CANCELLED" for e in after)
    assert all(int(e["SEQUENCE"]) >= 4 for e in after)
    rows = agenda_rows(out, "gm0547")
    assert not [r for r in rows if r[2] == "Werkregio Rijnland" and "2027" in r[0] and
                any(m in r[0] for m in ("juli", "augustus", "september", "oktober", "november", "december"))]
    assert any(r[1] == "Gemeente Leiderdorp treedt uit. Laatste dag van deelname." for r in rows)


def test_the_feed_has_an_entry_per_coming_date_with_stable_ids(built):
    _, out = built
    feed = ET.parse(out / "gemeenten/gm0546/agenda.xml").getroot()
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) == len(calendar(out, "gm0546"))
    assert "tag:govsite,2026:gemeenten/gm0546/agenda/regio-holland-rijnland-kaders-2028" in ids
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE + "gemeenten/gm0546/agenda.xml"


def test_a_changed_date_updates_the_subscribers_event_and_rebuilds_only_what_shows_it(tmp_path, package):
    root, out = make_regions(tmp_path / "regions"), tmp_path / "out"
    build(root, out, package)  # its own build, in place: a copied output is not the previous build of this folder
    before = by_uid(calendar(out, "gm0546"))
    # The secretariat records when the frameworks went out, and moves the board meeting (and so the draft).
    set_cycle(root, "  - year: 2028\n    frameworks_sent: 2027-03-15\n    draft_sent: 2027-03-17\n"
                    "    draft_document: https://example.org/ontwerpbegroting-2028.pdf\n    board_meeting: 2027-06-17\n")
    timings = tmp_path / "timings.json"
    build(root, out, package, timings)
    after = by_uid(calendar(out, "gm0546"))
    assert set(after) == set(before), "the same events: none added, none lost"
    kaders = f"{SECOND}-kaders-2028@govsite"
    assert (start(before[kaders]), start(after[kaders])) == (dt.date(2027, 4, 29), dt.date(2027, 3, 15))
    assert int(after[kaders]["SEQUENCE"]) > int(before[kaders]["SEQUENCE"])
    term = f"{SECOND}-zienswijze-begroting-2028@govsite"
    assert (start(before[term]), start(after[term])) == (dt.date(2027, 6, 2), dt.date(2027, 6, 9))
    # Leiden's page changed; the page of a municipality outside the region was not rendered again.
    assert any(r[0] == "15 maart 2027 (art. 34b Wgr)" for r in agenda_rows(out, "gm0546"))
    report = json.loads(timings.read_text(encoding="utf-8"))
    assert sorted(report["built"]) == ["portaal", SECOND]
    assert report["pages"]["reused"] > report["pages"]["built"]


def test_rol_van_de_raad_puts_what_is_coming_first_and_folds_the_past(built):
    _, out = built
    page = BeautifulSoup((out / SECOND / "raad" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = page.find("article")
    headings = [h.get_text(strip=True) for h in article.find_all("h2")]
    assert headings[0] == "Wat komt eraan?"
    coming = article.find("h2").find_next("table")
    first = [td.get_text(" ", strip=True) for td in coming.find_all("tr")[1].find_all("td")]
    assert first[0].endswith("2026") or first[0].endswith("2027")
    past = article.find("details")
    assert past is not None and not past.has_attr("open")
    assert past.find("summary").get_text(strip=True).startswith("Wat is geweest in het afgelopen jaar")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in past.find_all("tr")[1:]]
    assert rows and any(r[1].startswith("Begroting 2027 naar Gedeputeerde Staten") for r in rows)
    assert past.find_previous("h2").get_text(strip=True) == "Wat komt eraan?"
