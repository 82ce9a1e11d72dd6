"""Plain words for readers and one status per goal (issue 19 items 5 and 6).

Reader pages name no files, data fields or the program that made them; every page has a meta
description; the 404 page is Dutch and helps the reader on; a goal has one status, computed from its
indicators, and progress updates are notes beside it. The built example site (tests/builtsite.py) and
the fixture region (tests/conftest.py) are read through public interfaces only.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from generator.domain import facts, schema
from generator.domain.labels import label

pytest_plugins = ["builtsite"]

CONTRIBUTORS = "bijdragen"  # the pages for the data's editors may name files, fields and the program


def visible_text(path: Path) -> str:
    """What a reader sees of a page: its text without scripts, styles, hidden elements or attributes."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for element in page(["script", "style", "template", "head"]):
        element.decompose()
    for element in page.select("[hidden], [aria-hidden=true]"):
        element.decompose()
    return " ".join(page.get_text(" ").split())


def field_paths() -> set[str]:
    """Every dotted path of a field in the data format (vision.cooperation, contact.email, ...)."""
    found: set[str] = set()

    def walk(model, prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}.{name}" if prefix else name
            if prefix:
                found.add(path)
            for inner in _models(info.annotation):
                if path.count(".") < 4:
                    walk(inner, path)

    for model in schema.FILE_KINDS.values():
        walk(model, "")
    return found


def _models(annotation) -> list:
    if isinstance(annotation, type) and issubclass(annotation, schema.Part):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


def reader_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if CONTRIBUTORS not in p.relative_to(site).parts)


def test_the_field_paths_are_known():
    paths = field_paths()
    assert {"vision.cooperation", "vision.approach", "contact.email", "evaluation.next"} <= paths


def test_no_file_field_or_tool_names_on_reader_pages(built_site):
    """Issue 19 item 5: no "Bron: decisions.yaml", "(vision.cooperation)" or "bepaalt govsite"."""
    paths = field_paths()
    dotted = re.compile(r"(?<![\w.@/])[a-z_]+(?:\.[a-z_]+)+(?![\w@/])")
    pages = reader_pages(built_site)
    assert len(pages) > 40
    found = []
    for path in pages:
        text = visible_text(path)
        where = str(path.relative_to(built_site))
        found += [(where, name) for name in re.findall(r"[\w/.-]+\.ya?ml\b", text)]
        found += [(where, "govsite") for _ in re.findall(r"govsite", text, flags=re.IGNORECASE)]
        found += [(where, name) for name in dotted.findall(text) if name in paths]
    assert not found, found[:20]


def test_no_file_field_or_tool_names_on_the_national_portal(tmp_path):
    """The pages made from the national registers (compact region pages, municipalities, finder)."""
    import national_fixture
    from govsite_cli import govsite

    regions = national_fixture.write(tmp_path / "regions")
    result = govsite("build", "--regions", str(regions), "--out", str(tmp_path / "site"), "--cache",
                     str(tmp_path / "cache"), cwd=tmp_path, env={"GOVSITE_TODAY": "2026-06-01"})
    assert result.returncode == 0, result.stderr
    paths = field_paths()
    found = []
    for path in reader_pages(tmp_path / "site"):
        text = visible_text(path)
        found += [(path.name, name) for name in re.findall(r"[\w/.-]+\.ya?ml\b", text)]
        found += [(str(path.relative_to(tmp_path)), "govsite") for _ in re.findall("govsite", text, re.IGNORECASE)]
        found += [(path.name, name) for name in re.findall(r"(?<![\w.@/])[a-z_]+(?:\.[a-z_]+)+(?![\w@/])", text)
                  if name in paths]
    assert not found, found[:20]


def test_the_contributors_pages_may_name_them(built_site):
    guide = visible_text(built_site / CONTRIBUTORS / "dataformaat" / "index.html")
    assert "region.yaml" in guide  # the check above would see them: it does look


def test_the_source_of_a_page_is_linked_without_its_file_name(built_site):
    for path in reader_pages(built_site):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        source = page.select_one(".govsite-source")
        if source and source.find("a", href=re.compile(r"bron/")):
            link = source.find("a", href=re.compile(r"bron/"))
            assert " ".join(link.get_text().split()) == "Bekijk de brongegevens", path
            assert (path.parent / link["href"]).resolve().is_file(), path


def test_every_page_has_a_meta_description(built_site):
    missing, generic = [], []
    for path in sorted(built_site.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = page.find("meta", attrs={"name": "description"})
        where = str(path.relative_to(built_site))
        if not meta or len(meta.get("content", "").split()) < 4:
            missing.append(where)
        elif "govsite" in meta["content"].lower() and CONTRIBUTORS not in where:
            generic.append(where)
    assert not missing and not generic, (missing[:10], generic[:10])


def test_descriptions_come_from_the_data_and_name_the_region(built_site, tmp_path):
    from generator.pipeline import check
    from builtsite import AS_OF, REGIONS

    for region in check(REGIONS, None, AS_OF).regions:
        name = region.data.name
        home = BeautifulSoup((built_site / region.id / "index.html").read_text(encoding="utf-8"), "html.parser")
        summary = " ".join(home.find("meta", attrs={"name": "description"})["content"].split())
        assert summary.split(".")[0] in " ".join(region.data.summary.split()).replace("**", ""), summary
        ladder = BeautifulSoup((built_site / region.id / "escalatieladder" / "index.html").read_text(encoding="utf-8"),
                               "html.parser")
        described = ladder.find("meta", attrs={"name": "description"})["content"]
        assert name in described and "conflict" in described


def test_the_404_page_is_dutch_and_helps_the_reader_on(built_site):
    page = BeautifulSoup((built_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == "nl"
    body = " ".join(page.select_one("article").get_text(" ").split())
    assert "Not found" not in body and page.select_one("article h1").get_text(strip=True) == "Pagina niet gevonden"
    form = page.select_one("article form[role=search]")
    field = form.find("input", attrs={"name": "q"})
    assert form["action"] == "/zoeken/" and form["method"] == "get"
    assert page.find("label", attrs={"for": field["id"]})  # a visible name for the field
    links = {a["href"]: " ".join(a.get_text().split()) for a in page.select("article a")}
    assert "/" in links and "/gemeenten/" in links, links  # from the server's root: served at any address
    assert "gemeente" in links["/gemeenten/"]


# --- one status per goal (issue 19 item 6) ---------------------------------------------------------

def _indicator(id_: str, goal: str, target: float, values: list[float]) -> dict:
    return {"id": id_, "goal": goal, "title": f"Indicator {id_}", "target": target, "better": "lower",
            "measurements": [{"date": f"{2023 + i}-12-31", "value": v} for i, v in enumerate(values)]}


def test_a_goal_takes_the_status_of_its_weakest_indicator(regions):
    import yaml

    progress = {
        "indicators": [
            _indicator("gehaald", "passende-zorg", 6, [9, 5]),  # target met: op koers
            _indicator("beter", "passende-zorg", 6, [9, 8]),  # better than before: aandacht
            _indicator("slechter", "betaalbare-zorg", 6, [8, 9]),  # not better: achter
        ],
        "updates": [  # an author's own status: never the goal's
            {"date": "2026-03-01", "goal": "passende-zorg", "status": "op-koers", "text": "Het gaat goed."},
            {"date": "2026-04-01", "goal": "betaalbare-zorg", "text": "Zonder status: mag."},
        ],
    }
    regions.write("progress.yaml", yaml.safe_dump(progress, allow_unicode=True))
    state = regions.state()
    region = next(r for r in regions.check().regions if r.id == "leidse-regio")
    goals = {g.goal.id: g for g in facts.goal_facts(region, state.on)}
    assert goals["passende-zorg"].status == "aandacht"  # the weakest of op koers and aandacht
    assert "1 aandacht nodig, 1 op koers" in goals["passende-zorg"].reason
    assert goals["betaalbare-zorg"].status == "achter"
    assert [u.text for u in goals["passende-zorg"].updates] == ["Het gaat goed."]

    grouped = facts.latest_updates(region, state.on)
    assert [g.goal.goal.id for g in grouped] == ["betaalbare-zorg", "passende-zorg"]  # newest update first


def test_a_goal_without_a_measured_indicator_has_no_status(regions):
    regions.write("progress.yaml", """
        indicators:
          - id: zonder-doel
            goal: passende-zorg
            title: Zonder streefwaarde
            better: lower
            measurements:
              - { date: 2025-12-31, value: 8 }
        """)
    region = next(r for r in regions.check().regions if r.id == "leidse-regio")
    goal = next(g for g in facts.goal_facts(region, regions.state().on) if g.goal.id == "passende-zorg")
    assert goal.status is None and "niet te bepalen" in goal.reason


def _status_words(node) -> list[str]:
    return [" ".join(s.get_text().split()) for s in node.select(".govsite-status")]


def test_wat_speelt_er_shows_each_goal_once_with_its_one_status(built_site):
    from generator.pipeline import check
    from builtsite import AS_OF, REGIONS

    statuses = {label(s, "status") for s in facts.STATUS_ORDER}
    for region in check(REGIONS, None, AS_OF).regions:
        goals = {g.goal.title: g for g in facts.goal_facts(region, AS_OF)}
        page = BeautifulSoup((built_site / region.id / "index.html").read_text(encoding="utf-8"), "html.parser")
        heading = page.find(id="wat-speelt-er")
        items = heading.find_next("ul").find_all("li", recursive=False)
        assert items, region.id
        named = []
        for item in items:
            title = " ".join(item.find("a").get_text().split())  # the goal the updates concern
            named.append(title)
            shown = _status_words(item)
            goal = goals[title]
            assert shown == ([label(goal.status, "status")] if goal.status else []), (region.id, title, shown)
            assert set(shown) <= statuses
        assert len(named) == len(set(named)), named  # each goal once: never two statuses for one goal


def test_goals_page_shows_one_status_per_goal_and_updates_as_notes(built_site):
    from generator.pipeline import check
    from builtsite import AS_OF, REGIONS

    for region in check(REGIONS, None, AS_OF).regions:
        page = BeautifulSoup((built_site / region.id / "doelen" / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        for goal in facts.goal_facts(region, AS_OF):
            heading = page.find(id=f"doel-{goal.goal.id}")
            assert heading is not None, (region.id, goal.goal.id)
            line = heading.find_next(string=re.compile("Status van dit doel")).find_parent("p")
            expected = label(goal.status, "status") if goal.status else "niet te bepalen"
            assert expected in " ".join(line.get_text().split())
            notes = heading.find_next(string="Berichten over de voortgang")
            if goal.updates and notes:
                listing = notes.find_parent(re.compile("^h")).find_next("ul")
                assert not listing.select(".govsite-status"), (region.id, goal.goal.id)
