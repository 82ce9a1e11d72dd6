"""The meta description of every page (issue 19 item 5): what a reader finds on it, in plain Dutch,
for search engines and for links shared in chat and mail. From the data where the data says it
(a region's summary on its overview), else from what the page is for, with the region's name.
"""
from __future__ import annotations

import re

from . import outputs
from .textdiff import plain_text

MAX_LENGTH = 300  # longer descriptions are cut at a sentence (or word) end: search engines show ~160

# A region's page -> what it is for ({name}: the region's name).
REGION_PAGES = {
    "deelnemers.md": "Welke gemeenten meedoen aan {name}, sinds wanneer en voor welke onderwerpen, en welke "
                     "gemeenten niet meer meedoen.",
    "organisatie.md": "Wie {name} bestuurt en uitvoert: de organen, hun rol, de functies en wie ze nu bekleedt.",
    "besluitvorming.md": "Wie in {name} waarover besluit, wanneer, en welke rol de gemeenteraad daarbij heeft.",
    "escalatieladder.md": "Wat er in {name} gebeurt bij een conflict of geschil tussen de gemeenten: de stappen "
                          "van de escalatieladder, in volgorde, met hun termijnen.",
    "raad.md": "Wat de gemeenteraad kan doen bij {name}: de zienswijze op de begroting en de andere "
               "instrumenten, de data van de jaarlijkse cyclus en de evaluatie.",
    "raadsoverzicht.md": "Eén overzicht van {name} voor de vergadering van de gemeenteraad, om af te drukken: wie "
                         "waarover besluit, wat de raad kan doen en wanneer, het aanspreekpunt en de escalatieladder.",
    "financien.md": "De begroting van {name}: hoe de kosten worden verdeeld en wat elke gemeente bijdraagt.",
    "afspraken/index.md": "De afspraken van {name}: welke versie nu geldt, en welke versies eerder golden.",
    "wijzigingen.md": "Wat er veranderde in {name}: nieuwe versies van afspraken, gemeenten die toe- of "
                      "uittraden en wisselingen in functies.",
    "doelen.md": "De doelen van {name} en hoe het ermee gaat: per doel de status, de metingen en de berichten.",
    "reflectie.md": "Hoe de gemeenten van {name} samen terugkijken op hun samenwerking.",
    "governance-check.md": "Welke punten uit de Wgr, de Norm voor Opdrachtgeverschap en de eigen normen van "
                           "deze site {name} heeft vastgelegd, en welke nog open staan, met de bron van elk punt.",
    "zoeken.md": "Zoek in alle pagina's van {name}.",
}

PORTAL_PAGES = {
    "index.md": "Hoe gemeenten samenwerken in regio's: per regio wie waarover besluit, wat de gemeenteraad "
                "kan doen en wat het kost.",
    f"{outputs.MUNICIPALITIES}/index.md": "Alle gemeenten, en per gemeente de regio's waarin zij samenwerkt.",
    "overlap.md": "Welke gemeenten in welke regio's samenwerken: elke gemeente op een rij, met haar regio's naast elkaar.",
    f"{outputs.DIVISIONS}.md": "De gebieden waarin Nederland is ingedeeld, zoals jeugdregio's en veiligheidsregio's, "
                               "met hun gemeenten en regelingen.",
    f"{outputs.REGELINGEN}.md": "De gemeenschappelijke regelingen uit het Register van Overheidsorganisaties, met "
                                "hun vorm en deelnemers.",
    f"{outputs.OPEN_DATA}/index.md": "De gegevens van deze site als bestanden om zelf te gebruiken, met bron en licentie.",
    "zoeken.md": "Zoek in alle regio's en gemeenten.",
}


def region_page(path: str, title: str, name: str, summary: str | None) -> str:
    """The description of a region's page: the region's summary on its overview, else what the page is for."""
    if path == "index.md":
        return shorten(plain(summary)) if summary and plain(summary) else f"{name}: wie waarover besluit, " \
            "wat de gemeenteraad kan doen en hoe het met de doelen gaat."
    if path in REGION_PAGES:
        return REGION_PAGES[path].format(name=name)
    if path.startswith("afspraken/") and "/versie-" in path:
        return f"{title} ({name}): wat er veranderde ten opzichte van de vorige versie, en de volledige tekst."
    if path.startswith("afspraken/"):
        return f"{title} ({name}): wat deze afspraak regelt, de versie die nu geldt en de eerdere versies."
    return f"{title}: {name}."


def portal_page(path: str, title: str) -> str:
    """The description of a page of the portal (a municipality's page: `title` is its name)."""
    if path in PORTAL_PAGES:
        return PORTAL_PAGES[path]
    if path.startswith(f"{outputs.MUNICIPALITIES}/"):
        return f"In welke regio's de gemeente {title} samenwerkt, wie haar daar vertegenwoordigt en wat zij bijdraagt."
    return f"{title}: regionale samenwerking van gemeenten in beeld."


def lede(markdown: str) -> str:
    """The first paragraph after a page's title (headings and blank lines skipped), as the description of
    a page written by hand (content/) without front matter; a page with front matter keeps its own."""
    paragraph: list[str] = []
    for line in markdown.split("\n"):
        if not line.strip() or line.startswith("#"):
            if paragraph:
                break
            continue
        paragraph.append(line)
    return shorten(plain("\n".join(paragraph)))


def plain(markdown: str) -> str:
    return " ".join(plain_text(markdown).split())


def shorten(text: str) -> str:
    """At most MAX_LENGTH characters: whole sentences where possible, else whole words and an ellipsis."""
    if len(text) <= MAX_LENGTH:
        return text
    cut = text[:MAX_LENGTH]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", cut)]
    if ends and ends[-1] > MAX_LENGTH // 3:
        return cut[:ends[-1]]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"
