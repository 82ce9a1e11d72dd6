"""`govsite import roo DIR`: the gemeenschappelijke regelingen of the Register van Overheidsorganisaties
(a snapshot folder: regelingen/*.yaml in the form of the open-data project polder, and
gemeenten_alle_versies.csv, herindelingen_afgeleid.csv) as one register.yaml per regeling, and every
municipality, current and abolished, in municipalities.yaml.

A regeling is a lineage of versions (the register's previous/next version); its versions, oldest first,
are its history. The register's known defects (data README) are corrected and each correction is
recorded in the file, so that `govsite validate` reports it: abolished municipalities still listed as
participants are shown as their successor from the merger date on, an empty citeertitel becomes the
name, the quotes around 'Regeling zonder meer' go, invisible characters are dropped.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ...domain.labels import long_date
from ...domain.register import ROO
from . import municipalities
from .ids import allocate, regeling_slug
from .read import UNREADABLE, existing_registers, read_csv, read_yaml
from .write import HEADER, ImportError_, Report, clean, iso, one_line, write

LICENCE = "CC0 1.0"
ONE_DAY = dt.timedelta(days=1)
UNKNOWN_START = dt.date(1900, 1, 1)  # the register's "not recorded"

# Mergers of 2021-2023 that the register does not link to their successor (opgeheven_zonder_opvolgerlink.csv):
# the successor by the herindelingswet of each merger. The nine codes the register still lists as
# participants are named in the snapshot's README; the others were checked against the register's own
# list of current municipalities (gemeenten_alle_versies.csv). Haaren (GM0788, 2021) was divided over four
# municipalities and has no single successor.
REVIEWED_SUCCESSORS = {
    "GM0003": "GM1979", "GM0010": "GM1979", "GM0024": "GM1979",  # Appingedam, Delfzijl, Loppersum -> Eemsdelta
    "GM0370": "GM0439",  # Beemster -> Purmerend
    "GM0398": "GM1980", "GM0416": "GM1980",  # Heerhugowaard, Langedijk -> Dijk en Waard
    "GM0457": "GM0363",  # Weesp -> Amsterdam
    "GM0756": "GM1982", "GM0786": "GM1982", "GM0815": "GM1982", "GM1684": "GM1982",
    "GM1702": "GM1982",  # Boxmeer, Grave, Mill en Sint Hubert, Cuijk, Sint Anthonis -> Land van Cuijk
    "GM0856": "GM1991", "GM1685": "GM1991",  # Uden, Landerd -> Maashorst
    "GM0501": "GM1992", "GM0530": "GM1992", "GM0614": "GM1992",  # Brielle, Hellevoetsluis, Westvoorne -> Voorne aan Zee
}

LEGAL_FORMS = {"openbaar lichaam": "openbaar-lichaam", "bedrijfsvoeringsorganisatie": "bedrijfsvoeringsorganisatie",
               "gemeenschappelijk orgaan": "gemeenschappelijk-orgaan", "regeling zonder meer": "regeling-zonder-meer"}
BODIES = {"gemeenteraad": "raad", "college van burgemeester en wethouders": "college", "burgemeester": "burgemeester",
          "provinciale staten": "provinciale-staten", "gedeputeerde staten": "gedeputeerde-staten",
          "commissaris van de koning": "commissaris-van-de-koning",
          "commissaris van de koningin": "commissaris-van-de-koning", "algemeen bestuur": "algemeen-bestuur",
          "dagelijks bestuur": "dagelijks-bestuur", "dijkgraaf": "dijkgraaf", "minister": "minister",
          "staatssecretaris": "staatssecretaris"}
BODY_ORDER = ("raad", "college", "burgemeester", "provinciale-staten", "gedeputeerde-staten",
              "commissaris-van-de-koning", "algemeen-bestuur", "dagelijks-bestuur", "dijkgraaf", "minister",
              "staatssecretaris", "overig")
POWERS = {"delegatie": "delegatie", "mandaat": "mandaat", "attributie": "attributie"}
# Participants without a TOOI id that are authorities across the border (German and Belgian).
_ABROAD = re.compile(r"\b(stadt|kreis|landkreis|landeshauptstadt|gemeinde|samtgemeinde|zweckverband|st[äa]dteregion|"
                     r"region aachen|landschaftsverband|handelskammer|duitstalige gemeenschap|bezirksregierung|"
                     r"provincie (antwerpen|west-vlaanderen|oost-vlaanderen|luik|limburg \(be\)))(?!\w)|[äöüß]",
                     re.IGNORECASE)


@dataclass
class Municipal:
    """What the import knows of one municipality code."""

    code: str
    name: str
    ended: dt.date | None
    successor: str | None


class RegisterMunicipalities(NamedTuple):
    """What the register's list of municipalities (gemeenten_alle_versies.csv) gives the import."""

    rows: dict[str, dict]  # municipalities.yaml's rows, by code
    corrections: list[dict]  # the register's defects, as municipalities.yaml records them
    places: dict[str, Municipal]  # the merger facts, by code
    names: set[str]  # every name a Dutch municipality had (casefolded), also one without a code


def _ended(value: str) -> dt.date | None:
    """The first day a municipality no longer exists. The register gives the last day (31 December before a
    merger of 1 January) or, for recent mergers, the first day of the successor."""
    day = iso(value)
    if day is not None and (day.month, day.day) == (12, 31):
        return day + ONE_DAY
    return day


def read_municipalities(snapshot: Path) -> RegisterMunicipalities:
    """The municipalities of the register, current and abolished, with their mergers."""
    rows = read_csv(snapshot / "gemeenten_alle_versies.csv",
                    ("polder_id", "gemeentecode", "naam", "valid_until", "actueel", "successor_ids", "aantal_inwoners_roo"),
                    "ROO")
    links = read_csv(snapshot / "herindelingen_afgeleid.csv", ("opgeheven_gemeentecode", "opvolger_gemeentecode"), "ROO")
    code_of = {r["polder_id"]: r["gemeentecode"].strip() for r in rows if r["gemeentecode"].strip()}
    corrections: list[dict] = []
    out: dict[str, dict] = {}
    successors: dict[str, str] = {}
    for row in rows:
        code = row["gemeentecode"].strip()
        name = one_line(row["naam"])[0] or code
        if not code:
            corrections.append({"what": "zonder-code", "register": f"{name} (zonder code, opgeheven "
                                f"{row['valid_until'] or 'onbekend'})", "shown": "niet opgenomen"})
            continue
        for succ in filter(None, row["successor_ids"].split(";")):
            if code_of.get(succ) and code_of[succ] != code:
                successors.setdefault(code, code_of[succ])
        entry = {"code": code, "name": name}
        if row["actueel"].strip() != "ja":
            entry["ended"] = _ended(row["valid_until"])
        if row["aantal_inwoners_roo"].strip().isdigit():
            entry["inhabitants"] = int(row["aantal_inwoners_roo"])
        if code in out:
            kept = out[code]
            corrections.append({"what": "dubbele-code", "register": f"{code} twee keer: {kept['name']} en {name}",
                                "shown": f"{code} {kept['name']}"})
            for key, value in entry.items():
                kept.setdefault(key, value)
            continue
        out[code] = entry
    for link in links:
        old, new = link["opgeheven_gemeentecode"].strip(), link["opvolger_gemeentecode"].strip()
        if old and new and old != new:
            successors.setdefault(old, new)
    for old, new in REVIEWED_SUCCESSORS.items():
        successors.setdefault(old, new)
    facts = {}
    for code, entry in out.items():
        succ = successors.get(code)
        if succ in out and entry.get("ended"):
            entry["succeeded_by"] = succ
        facts[code] = Municipal(code, entry["name"], entry.get("ended"), entry.get("succeeded_by"))
    names = {(one_line(row["naam"])[0] or "").casefold() for row in rows}
    return RegisterMunicipalities(out, corrections, facts, names)


def read_regelingen(snapshot: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """The register's versions of regelingen (by roo_id) and the organisations (by roo_id)."""
    folder = snapshot / "regelingen"
    if not folder.is_dir():
        raise ImportError_(f"{folder} bestaat niet. Geef de map van de ROO-download (met regelingen/).")
    versions, organisations = {}, {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_yaml(path)
        except UNREADABLE as err:
            raise ImportError_(f"{path} kan niet gelezen worden ({type(err).__name__}).") from None
        if not isinstance(data, dict):
            continue
        roo_id = str((data.get("identifiers") or {}).get("roo_id") or "")
        if not roo_id:
            continue
        (versions if isinstance(data.get("gr_meta"), dict) else organisations)[roo_id] = data
    return versions, organisations


def lineages(versions: dict[str, dict]) -> list[list[str]]:
    """The versions linked by previous/next version, each lineage oldest first."""
    parent = {k: k for k in versions}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for roo_id, data in versions.items():
        meta = data["gr_meta"]
        for key in ("previous_version", "next_version"):
            other = str((meta.get(key) or {}).get("roo_id") or "")
            if other in parent:
                parent[root(roo_id)] = root(other)
    groups: dict[str, list[str]] = {}
    for roo_id in versions:
        groups.setdefault(root(roo_id), []).append(roo_id)

    def order(roo_id: str) -> tuple:
        meta = versions[roo_id]["gr_meta"]
        return (str(meta.get("datum_inwerkingtreding") or ""), int(roo_id) if roo_id.isdigit() else 0, roo_id)

    return sorted((sorted(g, key=order) for g in groups.values()), key=lambda g: order(g[0]))


def _kind(tooi: str, owms: str, name: str, dutch: set[str]) -> str:
    """gemeente, provincie or waterschap by the TOOI id (or the OWMS term when there is none); an authority
    across the border has neither and a German or Belgian name (a 'Gemeente' no Dutch municipality has
    been called: a Belgian one); anything else is overig."""
    part = tooi.split("/tooi/id/")[1].split("/")[0] if "/tooi/id/" in tooi else ""
    if part in ("gemeente", "provincie", "waterschap"):
        return part
    term = owms.rsplit("/", 1)[-1].lower()
    if not part and term.startswith(("waterschap_", "hoogheemraadschap_")):
        return "waterschap"
    if not part and not owms and (_ABROAD.search(name) or (name.startswith("Gemeente ")
                                                           and name.removeprefix("Gemeente ").casefold() not in dutch)):
        return "buitenland"
    return "overig"


def _bodies(items: Any) -> list[str]:
    found = set()
    for item in items or []:
        name = (item.get("naam") if isinstance(item, dict) else str(item)) or ""
        found.add(BODIES.get(" ".join(name.lower().split()), "overig"))
    return [b for b in BODY_ORDER if b in found]


class _Regeling:
    """One lineage turned into register.yaml's data."""

    def __init__(self, ids: list[str], versions: dict[str, dict], organisations: dict[str, dict],
                 places: dict[str, Municipal], by_name: dict[str, str], dutch: set[str]):
        self.ids = ids
        self.versions = versions
        self.organisations = organisations
        self.places = places
        self.by_name = by_name
        self.dutch = dutch  # every name a Dutch municipality had, also one without a code
        self.latest = versions[ids[-1]]
        self.name = self.title(self.latest, [])

    def title(self, data: dict, corrections: list[dict]) -> str:
        meta = data["gr_meta"]
        title, invisible = one_line(meta.get("citeertitel"))
        names = data.get("names") or []
        name, invisible_name = one_line(names[-1].get("value") if names and isinstance(names[-1], dict) else None)
        if invisible or invisible_name:
            corrections.append({"what": "onzichtbare-tekens", "register": "titel met onzichtbare tekens",
                                "shown": title or name or ""})
        if not title:
            corrections.append({"what": "citeertitel-leeg", "register": "citeertitel leeg", "shown": name or ""})
            title = name
        return (title or f"Regeling {data['identifiers']['roo_id']}")[:300]

    def participant(self, item: dict, version_ended: dt.date | None) -> list[dict]:
        name, _ = one_line(item.get("naam"))
        name = name or "onbekend"
        tooi = str(item.get("tooi") or "")
        kind = _kind(tooi, str(item.get("owms") or ""), name, self.dutch)
        code = None
        if kind == "gemeente":
            code = tooi.rstrip("/").rsplit("/", 1)[-1].upper()
        elif kind in ("overig", "buitenland") and name.startswith("Gemeente "):
            code = self.by_name.get(name.removeprefix("Gemeente ").casefold())
            kind = "gemeente" if code else kind
        since = iso(item.get("toetredings_datum"))
        bodies = _bodies(item.get("bestuursorganen"))
        place = self.places.get(code) if code else None
        shown_name = place.name if place else name.removeprefix("Gemeente ") if kind == "gemeente" else name
        row = {"code": code, "name": shown_name, "kind": kind, "since": since, "bodies": bodies}
        # An abolished municipality the register still lists while the version applied after its merger:
        # the successor takes part from the merger on; the predecessor's own dates stay as they were.
        if place and place.ended and place.successor and (version_ended is None or version_ended > place.ended):
            successor = self.places.get(place.successor)
            start = max(since or place.ended, place.ended)
            row["until"] = place.ended - ONE_DAY
            said = f"{name} ({code})" + (f", deelnemer sinds {long_date(since)}" if since else "")
            if since == UNKNOWN_START:
                said += " (1 januari 1900: datum niet vastgelegd)"
            follow = {"code": place.successor, "name": successor.name if successor else place.successor,
                      "kind": "gemeente", "since": start, "bodies": bodies, "registered_as": code,
                      "corrections": [{"what": "fusie", "register": said,
                                       "shown": f"{successor.name if successor else place.successor} "
                                                f"({place.successor}), deelnemer vanaf {long_date(start)}"}]}
            if since and since > place.ended - ONE_DAY:  # it joined after the merger: no own history
                return [follow]
            return [row, follow]
        return [row]

    def version(self, roo_id: str) -> dict:
        data = self.versions[roo_id]
        meta = data["gr_meta"]
        corrections: list[dict] = []
        ended = iso(meta.get("datum_uitwerkingtreding"))
        rows: list[dict] = []
        for item in meta.get("deelnemende_organisaties") or []:
            if isinstance(item, dict):
                rows += self.participant(item, ended)
        # one row per participant: a successor listed itself keeps its own row, one mapped several times one
        merged: dict[tuple, dict] = {}
        for row in rows:
            key = (row["code"] or row["name"], row.get("until"), "registered_as" in row)
            if key in merged:
                kept = merged[key]
                kept["corrections"] = kept.get("corrections", []) + row.get("corrections", [])
                kept["bodies"] = [b for b in BODY_ORDER if b in set(kept["bodies"]) | set(row["bodies"])]
                continue
            merged[key] = row
        own = {r["code"] for r in merged.values() if r["code"] and "registered_as" not in r and "until" not in r}
        participants = [r for r in merged.values() if not ("registered_as" in r and r["code"] in own)]
        participants.sort(key=lambda r: (r["kind"] != "gemeente", r["name"].casefold(), r["code"] or "",
                                         r.get("since") or dt.date.min))
        order = ("code", "name", "kind", "since", "until", "bodies", "registered_as", "corrections")
        return {"roo_id": roo_id, "title": self.title(data, corrections),
                "effective": iso(meta.get("datum_inwerkingtreding")), "ended": ended,
                "participants": [{k: r.get(k) for k in order} for r in participants],
                "corrections": corrections}

    def data(self, id: str) -> dict:
        meta = self.latest["gr_meta"]
        versions = [self.version(roo_id) for roo_id in self.ids]
        form_text = str((meta.get("samenwerkingsvorm") or {}).get("value") or "")
        plain = form_text.strip().strip("'\"‘’“”").strip()
        legal_form = LEGAL_FORMS.get(plain.lower())
        if legal_form and plain != form_text.strip():
            versions[-1]["corrections"].append({"what": "aanhalingstekens", "register": form_text, "shown": plain})
        purpose, invisible = clean(meta.get("doel"))
        if invisible:
            versions[-1]["corrections"].append({"what": "onzichtbare-tekens", "register": "doel met onzichtbare tekens",
                                                "shown": "doel zonder die tekens"})
        organ = meta.get("regionaal_samenwerkingsorgaan") or {}
        organisation = None
        if isinstance(organ, dict) and organ.get("naam"):
            website = ((self.organisations.get(str(organ.get("roo_id") or "")) or {}).get("contact") or {}).get("website")
            organisation = {"name": one_line(organ["naam"])[0][:300], "website": _url(website)}
        sources = [s for s in self.latest.get("sources") or [] if isinstance(s, dict)]
        roo = next((s for s in sources if s.get("id") == "roo"), sources[0] if sources else {})
        return {"id": id, "kind": "gemeenschappelijke-regeling", "name": self.name,
                "source": {"register": ROO, "url": _url(roo.get("url")), "retrieved": iso(roo.get("retrieved")),
                           "licence": LICENCE},
                "legal_form": legal_form, "purpose": purpose,
                "organisation": organisation,
                "powers": sorted({POWERS[p.lower()] for p in meta.get("bevoegdheidsverkrijgingen") or []
                                  if isinstance(p, str) and p.lower() in POWERS}),
                "founding_decisions": sorted({u for u in map(_url, meta.get("instellingsbesluiten") or []) if u}),
                "versions": versions}


def _url(value: Any) -> str | None:
    text = one_line(str(value))[0] if value else None
    return text if text and re.fullmatch(r"https?://[^\s/]+\S*", text) and len(text) <= 2000 else None


def import_roo(snapshot: Path, root: Path, reserved: frozenset[str] = frozenset()) -> Report:
    report = Report()
    rows, corrections, places, names = read_municipalities(snapshot)
    versions, organisations = read_regelingen(snapshot)
    by_name: dict[str, str] = {}
    for code, place in sorted(places.items()):
        by_name.setdefault(place.name.casefold(), code)
    groups = lineages(versions)
    dutch = names | set(by_name)
    regelingen = [_Regeling(ids, versions, organisations, places, by_name, dutch) for ids in groups]
    existing, folders = existing_registers(root)
    owners: dict[str, str] = {}
    for e in existing:
        for roo_id in e.roo_ids:
            owners.setdefault(roo_id, e.id)
    wanted = []
    kept: set[str] = set()
    for regeling in regelingen:
        had = sorted({owners[r] for r in regeling.ids if r in owners} - kept)
        if had:
            kept.add(had[0])
        wanted.append((regeling.ids[0], regeling_slug(regeling.name), had[0] if had else None))
    ids = allocate(wanted, folders - kept, reserved, marker="-gr")
    for e in existing:  # a regeling the register no longer lists: its file stays, as it was
        if e.kind == "gemeenschappelijke-regeling" and e.id not in kept:
            report.notes.append(f"{e.id}: deze regeling staat niet meer in het register; register.yaml blijft "
                                "zoals het was. Verwijder de map als de regeling echt niet meer bestaat.")
    for regeling in regelingen:
        id = ids[regeling.ids[0]]
        write(root, root / id / "register.yaml", regeling.data(id),
              HEADER.format(source="het Register van Overheidsorganisaties"), report)
    old, _ = municipalities.read(root)
    for code, row in rows.items():  # what the CBS import wrote stays
        before = old.get(code, {})
        if before.get("province"):
            row["province"] = before["province"]
        # CBS's name where it differs; a row CBS made (with a province, no official_name) has it as its name
        cbs_name = before.get("official_name") or (before.get("name") if before.get("province") else None)
        if cbs_name and cbs_name != row["name"]:
            row["official_name"] = cbs_name
    for code, row in old.items():  # a municipality only CBS knows stays
        rows.setdefault(code, row)
    retrieved = next((iso(s.get("retrieved")) for data in versions.values() for s in data.get("sources") or []
                      if isinstance(s, dict) and s.get("retrieved")), None)
    source = {"register": ROO, "url": "https://organisaties.overheid.nl/", "retrieved": retrieved,
              "licence": LICENCE, "corrections": corrections}
    municipalities.save(root, rows, source, report)
    return report
