"""Subscriptions: the Atom feeds and the iCalendar files, read with real parsers (feedparser, icalendar)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from generator.domain import agenda
from generator.site import feeds
from generator.escape import ics_text
from generator.domain.changes import change_log
from generator.cli import main
from generator.pipeline import check

pytest_plugins = ["builtsite"]
REGIONS = Path(__file__).resolve().parent.parent / "examples"
AS_OF = dt.date(2026, 11, 26)
HR = "voorbeeldland-west-jeugd"


@pytest.fixture(scope="module")
def example():
    return {r.id: r for r in check(REGIONS, None, AS_OF).regions}


# --- iCalendar text and folding (RFC 5545) --------------------------------------------------------

def test_ics_escape():
    assert ics_text("Begroting; zienswijze, raden\\colleges") == "Begroting\\; zienswijze\\, raden\\\\colleges"
    assert ics_text("twee\r\nregels\nen\rmeer") == "twee\\nregels\\nen\\nmeer"
    assert ics_text("bel\x07 hier\x00") == "bel hier"


def test_fold_limits_lines_to_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "Evaluatie van de samenwerking in de regio Voorbeeldland-Noord: één keer per vier jaar. " * 3
    folded = feeds.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line  # unfolding gives the line back
    wide = "X:" + "é" * 100  # two octets each: never cut in the middle of one
    for part in feeds.fold(wide).split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75
    assert feeds.fold("KORT:ja") == "KORT:ja"
    ascii_line = "DESCRIPTION:" + "abcdefghij" * 20  # filled to the limit: 75 octets, then 74 after the space
    assert [len(p) for p in feeds.fold(ascii_line).split("\r\n")] == [75, 75, 64]
    assert feeds.fold("X" * 75) == "X" * 75 and feeds.fold("X" * 76) == "X" * 75 + "\r\n X"


def _fold_character_by_character(line: str, limit: int = 75) -> str:
    """RFC 5545 3.1 the slow way, one character at a time: what feeds.fold must equal."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        room = limit if not parts else limit - 1  # continuation lines start with one space
        if size + width > room:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400), st.integers(5, 80))  # 5: room for a 4-octet character on a continued line
def test_fold_equals_the_folding_character_by_character(line, limit):
    # feeds.fold cuts the UTF-8 octets (and takes ASCII lines whole or by slices): the same lines
    assert feeds.fold(line, limit) == _fold_character_by_character(line, limit)


def test_fold_of_long_lines_with_wide_characters():
    for line in ("DESCRIPTION:" + "€" * 60 + "a" + "😀" * 40, "SUMMARY:" + "a" * 73 + "é" * 5, "X:" + "ë" * 200,
                 "a" * 74 + "😀" + "b" * 80, "é" * 38):
        assert feeds.fold(line) == _fold_character_by_character(line)


def test_ics_document_has_crlf_line_ends():
    assert feeds.ics_document("BEGIN:VCALENDAR\n\nEND:VCALENDAR\n") == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


# --- the built files ---------------------------------------------------------------------------

def test_region_feed(built_site, example):
    parsed = feedparser.parse((built_site / HR / "wijzigingen.xml").read_bytes(),
                              response_headers={"content-location": "https://regio.example.nl/voorbeeldland-west-jeugd/wijzigingen.xml",
                                                "content-type": "application/atom+xml"})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Wijzigingen in Jeugdregio Voorbeeldland-West"
    assert parsed.feed.id == "tag:govsite,2026:voorbeeldland-west-jeugd/wijzigingen"
    log = change_log(example[HR], AS_OF)
    assert len(parsed.entries) == len(log.changes)
    assert parsed.feed.updated.startswith(log.changes[0].date.isoformat())
    by_id = {e.id: e for e in parsed.entries}
    assert len(by_id) == len(parsed.entries)
    entry = by_id["tag:govsite,2026:voorbeeldland-west-jeugd/afspraak/gr-jeugd/3-0/in-werking"]
    assert entry.title == "Versie 3.0 van Gemeenschappelijke regeling Jeugdhulp Voorbeeldland-West is in werking getreden."
    assert entry.updated.startswith("2023-04-01")
    # relative links, resolved against the feed's own address
    assert entry.link == "https://regio.example.nl/voorbeeldland-west-jeugd/afspraken/gr-jeugd/versie-3-0/"
    assert entry.tags[0].term == "afspraak"
    repealed = by_id["tag:govsite,2026:voorbeeldland-west-jeugd/afspraak/convenant-onderwijs-jeugdhulp/vervallen"]
    assert "is vervallen" in repealed.title


def test_all_regions_feed(built_site):
    parsed = feedparser.parse((built_site / "wijzigingen.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Wijzigingen in alle regio's"
    regions = {e.id.split(":", 2)[2].split("/")[0] for e in parsed.entries}
    assert regions == {"voorbeeldland-west-jeugd", "voorbeeldland-noord-beschermd-wonen", "voorbeeldland-oost-werk"}
    hattem = next(e for e in parsed.entries if "Schetsheem is uitgetreden" in e.title)
    assert hattem.title.startswith("Regio Voorbeeldland-Noord Beschermd Wonen en Opvang: ")
    assert hattem.link == "voorbeeldland-noord-beschermd-wonen/deelnemers/"
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)


def test_feed_with_a_site_url_has_absolute_links(example):
    region = example[HR]
    text = feeds.region_feed(region, change_log(region, AS_OF).changes, AS_OF, "https://regio.example.nl/")
    parsed = feedparser.parse(text)
    assert not parsed.bozo
    assert all(e.link.startswith("https://regio.example.nl/voorbeeldland-west-jeugd/") for e in parsed.entries)
    self_link = next(link for link in parsed.feed.links if link.rel == "self")
    assert self_link.href == "https://regio.example.nl/voorbeeldland-west-jeugd/wijzigingen.xml"
    # ids do not depend on the site's address
    assert {e.id for e in parsed.entries} == {e.id for e in feedparser.parse(
        feeds.region_feed(region, change_log(region, AS_OF).changes, AS_OF)).entries}


def test_feed_escapes_data(example):
    region = example[HR]
    changes = change_log(region, AS_OF).changes[:1]
    evil = [type(changes[0])(changes[0].date, "afspraak", "<script>alert(1)</script> & \x0b co", "index.md", "x")]
    text = feeds.region_feed(region, evil, AS_OF)
    assert "<script>" not in text and "&lt;script&gt;" in text
    parsed = feedparser.parse(text)
    assert not parsed.bozo
    assert parsed.entries[0].title == "<script>alert(1)</script> &  co"


def test_region_calendar(built_site, example):
    raw = (built_site / HR / "agenda.ics").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == "Agenda Jeugdregio Voorbeeldland-West"
    events = calendar.walk("VEVENT")
    # The region's agenda (the same events as on its members' calendars) and the ends of terms of office.
    items = agenda.region_agenda(example[HR], AS_OF, AS_OF + dt.timedelta(days=agenda.COMING_DAYS))
    terms = [u for u in example[HR].state(AS_OF).upcoming if u.kind == "termijn"]
    assert len(events) == len(items) + len(terms)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    by_uid = {str(e["UID"]): e for e in events}
    for item in items:
        event = by_uid[f"{item.uid}@govsite"]
        assert event.decoded("DTSTART") == item.date  # all-day: a date, not a time
        assert event.decoded("DTEND") == item.date + dt.timedelta(days=1)
        assert str(event["SUMMARY"]) == item.title
        assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
        assert int(event["SEQUENCE"]) == item.sequence and str(event["STATUS"]) == "CONFIRMED"
    assert [e.decoded("DTSTART") for e in events] == sorted(e.decoded("DTSTART") for e in events)
    evaluation = next(e for e in events if str(e["SUMMARY"]) == "Evaluatie van de samenwerking")
    assert evaluation.decoded("DTSTART") == dt.date(2027, 6, 1)
    # From the region and what it is, never the date: a moved evaluation keeps its event.
    assert str(evaluation["UID"]) == "voorbeeldland-west-jeugd-evaluatie@govsite"
    kinds = {str(e["CATEGORIES"].cats[0]) for e in events}
    assert {"planning", "zienswijze", "evaluatie"} <= kinds


def test_calendar_text_is_escaped(example):
    region = example[HR]
    state = region.state(AS_OF)
    from generator.domain.model import Upcoming

    state.upcoming = [Upcoming(dt.date(2027, 1, 2), "termijn", "Kaderbrief; raden, colleges", "Regel 1\nRegel 2")]
    raw = feeds.region_calendar(region, state)
    assert "SUMMARY:Kaderbrief\\; raden\\, colleges" in raw
    (event,) = [e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT") if e.decoded("DTSTART") == dt.date(2027, 1, 2)]
    assert str(event["SUMMARY"]) == "Kaderbrief; raden, colleges"
    assert str(event["DESCRIPTION"]) == "Regel 1\nRegel 2"


def test_pages_link_the_subscriptions(built_site):
    for path, feed, ics in [(f"{HR}/index.html", "wijzigingen.xml", "agenda.ics"),
                            (f"{HR}/raad/index.html", "../wijzigingen.xml", "../agenda.ics"),
                            (f"{HR}/wijzigingen/index.html", "../wijzigingen.xml", "../agenda.ics")]:
        html = BeautifulSoup((built_site / path).read_text(encoding="utf-8"), "html.parser")
        assert html.find("a", href=feed, string="Abonneer u op de wijzigingen") is not None, path
        assert html.find("a", href=ics, string="Abonneer u op de agenda") is not None, path
        alternate = html.find("link", rel="alternate", type="application/atom+xml")
        assert alternate["href"] == feed and alternate["title"] == "Wijzigingen in Jeugdregio Voorbeeldland-West"
    portal = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    alternate = portal.find("link", rel="alternate", type="application/atom+xml")
    assert alternate["href"] == "wijzigingen.xml" and alternate["title"] == "Wijzigingen in alle regio's"


def test_deterministic_output(tmp_path):
    """Two builds of the same data give byte-identical feeds, calendars and history pages."""
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert main(["build", "--regions", str(REGIONS), "--out", str(out), "--as-of", "2026-11-26", HR]) == 0
        outs.append(out)
    for path in ["wijzigingen.xml", f"{HR}/wijzigingen.xml", f"{HR}/agenda.ics", f"{HR}/wijzigingen/index.html",
                 f"{HR}/afspraken/gr-jeugd/index.html", f"{HR}/afspraken/gr-jeugd/versie-3-0/index.html",
                 f"{HR}/afspraken/index.html"]:
        assert (outs[0] / path).read_bytes() == (outs[1] / path).read_bytes(), path


def test_every_link_of_every_feed_leads_to_a_file_of_the_site(built_site):
    """Each link of each Atom feed, read against the feed's own address as a feed reader does (no
    xml:base), leads to a page or file of the built site: the portal's, each region's and each
    municipality's agenda feed (gemeenten/<code>/agenda.xml)."""
    import urllib.parse
    import xml.etree.ElementTree as ET

    root = "https://voorbeeld.test/"
    feeds_found = sorted(built_site.rglob("*.xml"))
    feeds_found = [f for f in feeds_found if ET.parse(f).getroot().tag == "{http://www.w3.org/2005/Atom}feed"]
    assert any(f.parent.parent.name == "gemeenten" for f in feeds_found)
    assert (built_site / feeds.FEED) in feeds_found and (built_site / HR / feeds.FEED) in feeds_found
    checked = 0
    for feed in feeds_found:
        address = root + feed.relative_to(built_site).as_posix()
        for link in ET.parse(feed).getroot().iter("{http://www.w3.org/2005/Atom}link"):
            target = urllib.parse.urljoin(address, link.get("href"))
            if not target.startswith(root):
                continue  # a document elsewhere (an agenda item's own stuk)
            path = urllib.parse.urlsplit(target).path[1:]
            file = built_site / (path + "index.html" if path.endswith("/") or not path else path)
            assert file.is_file(), f"{feed.relative_to(built_site)}: {link.get('href')} -> {target}"
            checked += 1
    assert checked > len(feeds_found) * 2
