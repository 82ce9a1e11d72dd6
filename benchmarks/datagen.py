"""A generated, valid national-scale regions folder for the benchmark.

Everything here is made up: municipality names are built from syllables and their codes lie in
GM9000-GM9999, a range the CBS does not use, so generated data can never be mistaken for real
data. Every region is marked `example: true`, so its site says it is fictional. The output depends
only on the arguments: the same call writes the same bytes.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

FIRST_CODE = 9000  # GM9000 and up: not a CBS code range
PROVINCES = ["Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
             "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg"]
STARTS = ["Aa", "Beek", "Berg", "Bos", "Brug", "Dal", "Dijk", "Eik", "Goor", "Haven", "Heide", "Holt",
          "Kerk", "Lin", "Meer", "Molen", "Oost", "Ree", "Sloot", "Veen", "Vliet", "Wold", "Zand", "Zuider"]
ENDS = ["dam", "dorp", "veld", "hoven", "broek", "horst", "wijk", "lo", "rade", "zijl", "mond", "huizen",
        "beek", "hem", "sel"]
KINDS = [("jeugdregio", ["jeugd"]), ("wmo-regio", ["wmo"]), ("arbeidsmarktregio", ["participatie"]),
         ("beschermd-wonen-regio", ["beschermd-wonen", "maatschappelijke-opvang"])]
# Syllable pairs that make the name of a real municipality (checked against the register's list of every
# current and former municipality, ROO 2026-05): never generated. Real villages may still come out.
REAL = {"Kerkrade", "Veendam"}
HEADER = ("# GEGENEREERD voor de benchmark (benchmarks/datagen.py): verzonnen gemeenten met codes in\n"
          "# GM9000-GM9999, een reeks die het CBS niet gebruikt. Geen echte gegevens.\n")


class _Dumper(yaml.SafeDumper):
    pass


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def municipality_names(count: int) -> list[str]:
    names = [s + e for s in STARTS for e in ENDS if s + e not in REAL]
    names += [f"{s} aan de {e.capitalize()}" for s in STARTS for e in ENDS]
    if count > len(names):
        raise ValueError(f"at most {len(names)} generated municipalities")
    random.Random(7).shuffle(names)
    return names[:count]


def municipalities(count: int) -> list[dict]:
    rng = random.Random(1)
    return [{"code": f"GM{FIRST_CODE + i:04d}", "name": name, "province": PROVINCES[i % len(PROVINCES)],
             "inhabitants": rng.randrange(5, 200) * 1000}
            for i, name in enumerate(municipality_names(count))]


def _text(rng: random.Random, words: int) -> str:
    vocabulary = ("de regio gemeenten werken samen aan goede zorg dichtbij huis voor inwoners en het "
                  "bestuur besluit over begroting inkoop toegang kwaliteit raad wordt tijdig geïnformeerd "
                  "jaarlijks afspraken evaluatie uitvoering").split()
    return " ".join(rng.choice(vocabulary) for _ in range(words)).capitalize() + "."


def agreement(rng: random.Random, agreement_id: str, title: str, kind: str) -> dict:
    """Three versions, like real amendments: each changes a few articles and adds one."""
    articles = [{"number": str(n), "title": f"Artikel over onderwerp {n}", "text": _text(rng, 25)}
                for n in range(1, rng.randint(8, 13) + 1)]
    versions = []
    for index, year in enumerate((2015, 2019, 2024)):
        if index:
            for article in rng.sample(articles, 3):
                article["text"] = _text(rng, 25)
            articles.append({"number": str(len(articles) + 1), "title": f"Nieuw artikel in versie {index + 1}",
                             "text": _text(rng, 20)})
        versions.append({
            "version": f"{index + 1}.0", "adopted": dt.date(year - 1, 11, 20), "adopted_by": ["raden"],
            "effective": dt.date(year, 1, 1), "publication": f"https://example.org/{agreement_id}-{index + 1}",
            "changes": "Eerste versie." if index == 0 else _text(rng, 12),
            "articles": [dict(a) for a in articles]})
    return {"id": agreement_id, "title": title, "kind": kind, "parties": "members", "versions": versions}


def region_files(number: int, members: list[dict]) -> dict[str, dict]:
    """The files of one region, by path inside the region folder."""
    rng = random.Random(number)
    kind, domains = KINDS[number % len(KINDS)]
    region_id = f"gen-{kind}-{number:02d}"
    name = f"Gegenereerde {kind.replace('-', ' ')} {number:02d}"
    codes = [m["code"] for m in members]
    goals = [{"id": f"doel-{g}", "title": f"Doel {g}: {_text(rng, 3)[:-1]}", "description": _text(rng, 20)}
             for g in range(1, 4)]
    region = {
        "id": region_id, "name": name, "kind": kind, "domains": domains, "legal_form": "openbaar-lichaam",
        "founding_agreement": "gr", "example": True,
        "summary": f"Gegenereerde testregio. {_text(rng, 30)}", "website": f"https://example.org/{region_id}",
        "contact": {"position": "regiosecretaris", "organisation": "Regionaal secretariaat",
                    "email": f"secretariaat@{region_id}.example.org", "phone": "+31 00 000 0000"},
        "members": [{"municipality": c, "since": dt.date(2015, 1, 1), **({"role": "centrumgemeente"} if i == 0
                     else {})} for i, c in enumerate(codes)],
        "vision": {"mission": _text(rng, 40), "cooperation": _text(rng, 30), "approach": _text(rng, 30),
                   "goals": goals},
    }
    organisation = {"bodies": [
        {"id": "ab", "name": "Algemeen bestuur", "kind": "algemeen-bestuur", "role": "eigenaar",
         "composition": "Eén wethouder per gemeente.", "voting": "gewogen", "meets": "Vier keer per jaar",
         "reports_to": "raden", "positions": [{"id": "voorzitter-ab", "title": "Voorzitter", "holders": [
             {"name": "Voorzitter Een", "municipality": codes[0], "since": dt.date(2018, 1, 1),
              "until": dt.date(2022, 5, 31)},
             {"name": "Voorzitter Twee", "municipality": codes[1], "since": dt.date(2022, 6, 1)}]}]},
        {"id": "db", "name": "Dagelijks bestuur", "kind": "dagelijks-bestuur", "role": "opdrachtgever",
         "voting": "meerderheid", "reports_to": "ab"},
        {"id": "ambtelijk-overleg", "name": "Ambtelijk overleg", "kind": "ambtelijk-overleg", "role": "adviseur",
         "reports_to": "db"},
        {"id": "uitvoering", "name": "Uitvoeringsorganisatie", "kind": "uitvoeringsorganisatie",
         "role": "opdrachtnemer", "reports_to": "db"},
        {"id": "secretariaat", "name": "Regionaal secretariaat", "kind": "secretariaat", "role": "adviseur",
         "reports_to": "db", "positions": [{"id": "regiosecretaris", "title": "Regiosecretaris", "holders": [
             {"name": "Secretaris Drie", "since": dt.date(2019, 1, 1)}]}]},
    ]}
    agreements = {
        "gr": agreement(rng, "gr", f"Gemeenschappelijke regeling {name}", "gemeenschappelijke-regeling"),
        "dvo": agreement(rng, "dvo", f"Dienstverleningsovereenkomst {name}", "dienstverleningsovereenkomst"),
        "convenant": agreement(rng, "convenant", f"Convenant {name}", "convenant"),
    }
    bodies = ["ab", "db", "ambtelijk-overleg", "uitvoering"]
    roles = ["zienswijze", "wensen-en-bedenkingen", "informatie", "geen", "toestemming"]
    decisions = {"decisions": [
        {"id": f"besluit-{d}", "topic": f"Besluit {d}: {_text(rng, 4)[:-1]}", "description": _text(rng, 15),
         "decides": bodies[d % 2], "prepares": bodies[2 + d % 2], "consults": ["ambtelijk-overleg"],
         "informs": ["raden"], "council_role": roles[d % len(roles)], "voting": "meerderheid",
         "basis": {"agreement": "gr", "article": str(1 + d % 8)}, "when": "Jaarlijks"}
        for d in range(1, 13)],
        "escalation": [
            {"step": 1, "body": "ambtelijk-overleg", "action": "Bespreken en zoeken naar een oplossing.",
             "within_days": 14},
            {"step": 2, "body": "db", "action": "Het dagelijks bestuur bemiddelt."},
            {"step": 3, "title": "Gedeputeerde Staten", "action": "Het geschil gaat naar Gedeputeerde Staten."}]}
    accountability = {
        "information": [{"instrument": "Kwartaalrapportage", "to": ["raden"], "frequency": "Per kwartaal"},
                        {"instrument": "Jaarverslag", "to": ["raden", "colleges"], "frequency": "Jaarlijks"}],
        "council_instruments": [
            {"kind": "zienswijze", "subject": "Ontwerpbegroting", "term_days": 56, "description": _text(rng, 12)},
            {"kind": "informatiebijeenkomst", "subject": "Regionale raadsavond"}],
        "planning_cycle": [{"document": "Kaderbrief", "to": ["raden"], "by": "01-15"},
                           {"document": "Ontwerpbegroting", "to": ["raden"], "by": "04-15"},
                           {"document": "Jaarrekening", "to": ["raden"], "by": "06-01"}],
        "evaluation": {"every_years": 4, "last": {"date": dt.date(2024, 6, 1),
                                                  "report": f"https://example.org/{region_id}/evaluatie.pdf",
                                                  "outcome": _text(rng, 10)},
                       "next": dt.date(2028, 6, 1)},
        "entry": _text(rng, 15), "exit": {"notice_months": 12, "conditions": _text(rng, 12),
                                          "costs": _text(rng, 12)},
        "liability": _text(rng, 15)}
    inhabitants = {m["code"]: m["inhabitants"] for m in members}
    contributions = []
    for year in (2024, 2025, 2026):
        shares = [{"municipality": c, "amount": inhabitants[c] * (40 + year - 2024)} for c in codes]
        contributions.append({"year": year, "budget": sum(s["amount"] for s in shares), "shares": shares})
    finance = {"allocation": {"key": "inwoners", "description": "Naar rato van het aantal inwoners."},
               "contributions": contributions}
    indicators = [
        {"id": f"indicator-{i}", "goal": goals[i % 3]["id"], "title": f"Indicator {i}", "unit": "procent",
         "target": 80, "better": "higher",
         "measurements": [{"date": dt.date(year, 12, 31), "value": rng.randrange(50, 95),
                           "source": "https://example.org/cijfers"} for year in (2023, 2024, 2025)]}
        for i in range(1, 5)]
    progress = {"indicators": indicators, "updates": [
        {"date": dt.date(2026, 3, 1), "goal": g["id"], "status": ["op-koers", "aandacht", "achter"][n],
         "text": _text(rng, 15)} for n, g in enumerate(goals)]}
    reflection = {"discussed": dt.date(2026, 3, 1), "balances": [
        {"act": act, "position": 1 + (number + n) % 5, "note": _text(rng, 8)} for n, act in enumerate(
            ["inbedding-borging", "cocreatie-representatie", "focus-breedte", "ruimte-kaders", "sturen-volgen"])],
        "questions": [{"question": "Doen we de goede dingen?", "answer": _text(rng, 15)}]}
    files = {"region.yaml": region, "organisation.yaml": organisation, "decisions.yaml": decisions,
             "accountability.yaml": accountability, "finance.yaml": finance, "progress.yaml": progress,
             "reflection.yaml": reflection}
    files.update({f"agreements/{aid}.yaml": data for aid, data in agreements.items()})
    return {"id": region_id, "files": files}


def generate(root: Path, regions: int = 42, municipality_count: int = 342) -> list[str]:
    """Write a regions folder with `regions` regions sharing out `municipality_count` municipalities."""
    if municipality_count < 2 * regions:
        raise ValueError("every region needs at least two municipalities")
    root.mkdir(parents=True, exist_ok=True)
    everyone = municipalities(municipality_count)
    (root / "municipalities.yaml").write_text(HEADER + _dump({"municipalities": everyone}), encoding="utf-8")
    ids = []
    size, extra = divmod(municipality_count, regions)
    start = 0
    for number in range(1, regions + 1):
        count = size + (1 if number <= extra else 0)
        region = region_files(number, everyone[start:start + count])
        start += count
        folder = root / region["id"]
        for name, data in region["files"].items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(HEADER + _dump(data), encoding="utf-8")
        ids.append(region["id"])
    return ids
