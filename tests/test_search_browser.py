"""Search in the words readers use (issue 19 item 4), in a real browser on the built example site.

The words a council member types ("escalatie", "conflict", "geschil", "begroting", "zienswijze",
"aanspreekpunt") reach the page that answers them in the top three, on a region's own search and on
the portal's search over all regions; a version in force ranks above the versions it replaced; an exact
municipality name ranks its own page first, also when another name starts with it; every page has a
search field in its header; the search page speaks Dutch and tells screen readers how many results
it found. Regions, agreements and names come from the data, not from this file.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

import chromium

chromium.require()

from builtsite import AS_OF, REGIONS, build_examples, serve  # noqa: E402
from generator.engine import words  # noqa: E402
from generator.engine.index import fragments, read_fragment  # noqa: E402
from generator.pipeline import check  # noqa: E402

pytest_plugins = ["builtsite"]
pytestmark = pytest.mark.browser

# query -> the region page that answers it
READERS_WORDS = {
    "escalatie": "escalatieladder/", "conflict": "escalatieladder/", "geschil": "escalatieladder/",
    "ladder": "escalatieladder/", "begroting": "financien/", "zienswijze": "raad/", "aanspreekpunt": "",
}


@pytest.fixture(scope="module")
def browser():
    with chromium.launch() as browser:
        yield browser


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def examples():
    return check(REGIONS, None, AS_OF).regions


def settled(page, query: str) -> str:
    """Waits until the page has said how many results it found for query; returns what it said."""
    status = page.locator("#zoeken-aantal")
    expect(status).to_have_text(re.compile(rf"^(1 resultaat|\d+ resultaten|Geen resultaten) voor {re.escape(query)}$"),
                                timeout=15000)
    return status.inner_text()


def results(page, url: str, query: str) -> list[str]:
    """The pages found, best first (the first ten, as shown): paths without anchors, each once."""
    page.goto(url)
    page.fill("#zoeken input", query)
    settled(page, query)
    links = page.eval_on_selector_all(".govsite-search__result .govsite-search__link", "links => links.map(a => a.href)")
    found: list[str] = []
    for link in links:
        path = urlparse(link).path
        if path not in found:
            found.append(path)
    return found


@pytest.mark.parametrize("query", READERS_WORDS)
def test_readers_words_reach_their_page_on_each_region_site(page, site_url, examples, query):
    for region in examples:
        wanted = f"/{region.id}/{READERS_WORDS[query]}"
        found = results(page, f"{site_url}{region.id}/zoeken/", query)
        assert wanted in found[:3], (region.id, query, found[:5])


@pytest.mark.parametrize("query", READERS_WORDS)
def test_readers_words_reach_their_page_on_the_portal(page, site_url, examples, query):
    wanted = {f"/{region.id}/{READERS_WORDS[query]}" for region in examples}
    found = results(page, f"{site_url}zoeken/", query)
    assert wanted & set(found[:3]), (query, found[:5])


def test_the_version_in_force_ranks_above_the_versions_it_replaced(page, site_url, examples):
    """The issue's "jeugdhulp Leiden": a word of the agreement's title and a member's name."""
    checked = 0
    for region in examples:
        state = region.state(AS_OF)
        member = region.municipalities.name(state.current_members[0].municipality)
        for agreement in state.agreements:
            superseded = {f"/{region.id}/afspraken/{agreement.agreement.id}/versie-{v.slug}/"
                          for v in agreement.versions if v.status == "vervallen"}
            if not superseded or agreement.current is None:
                continue
            word = max(agreement.agreement.title.split(), key=len)
            in_force = {f"/{region.id}/afspraken/{agreement.agreement.id}/",
                        f"/{region.id}/afspraken/{agreement.agreement.id}/versie-{agreement.current.slug}/"}
            for query in (f"{word} {member}", agreement.agreement.title):
                found = results(page, f"{site_url}{region.id}/zoeken/", query)
                old = [found.index(p) for p in superseded if p in found]
                if not old:
                    continue  # no replaced version among the results: nothing to rank below
                new = [found.index(p) for p in in_force if p in found]
                assert new and min(new) < min(old), (query, found[:6])
                checked += 1
    assert checked >= 2  # the examples have agreements with replaced versions that a search finds


def test_a_municipality_name_ranks_its_own_page_first(page, site_url, examples):
    municipalities = examples[0].municipalities
    codes = sorted({m.municipality for region in examples for m in region.data.members})
    for code in codes[:6]:
        found = results(page, f"{site_url}zoeken/", municipalities.name(code))
        assert found[0] == f"/gemeenten/{code.lower()}/", (municipalities.name(code), found[:4])


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """The fixture regions of conftest.py, whose municipalities include a name that starts another
    (a merged municipality and its successor): the exact name must still come first."""
    from conftest import RegionsDir

    regions = RegionsDir(tmp_path_factory.mktemp("prefix") / "regions")
    out = build_examples(tmp_path_factory.mktemp("prefix-site") / "site", regions.root)
    with serve(out) as url:
        yield url, check(regions.root, None, AS_OF).regions


def test_an_exact_name_ranks_first_when_another_name_starts_with_it(page, fixture_site):
    url, regions = fixture_site
    municipalities = regions[0].municipalities
    codes = sorted({m.municipality for region in regions for m in region.data.members})
    names = {code: municipalities.name(code) for code in codes}
    pairs = [(a, b) for a in codes for b in codes if a != b and names[b].startswith(names[a])]
    assert pairs, names  # the fixture has one (a name and a longer one that starts with it)
    for short, _longer in pairs:
        found = results(page, f"{url}zoeken/", names[short])
        assert found[0] == f"/gemeenten/{short.lower()}/", (names[short], found[:4])


def test_the_header_search_field_leads_to_the_search_page_with_results(page, site_url, examples):
    region = examples[0].id
    page.goto(f"{site_url}{region}/financien/")
    field = page.get_by_role("search", name="Zoeken op deze site").get_by_role("searchbox")
    field.fill("begroting")
    field.press("Enter")
    page.wait_for_selector(".govsite-search__link", timeout=15000)
    address = urlparse(page.url)
    assert address.path == f"/{region}/zoeken/" and parse_qs(address.query)["q"] == ["begroting"]
    assert page.input_value("#zoeken input") == "begroting"


def test_the_search_page_speaks_dutch_and_announces_the_count(page, site_url):
    page.goto(f"{site_url}zoeken/")
    assert page.get_by_label("Zoekwoorden").count() == 1  # the field's name, also for screen readers
    page.fill("#zoeken input", "zienswijze")
    page.wait_for_selector(".govsite-search__link", timeout=15000)
    status = page.locator("#zoeken-aantal")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    expect(status).to_have_text(re.compile(r"^\d+ resultaten voor zienswijze$"), timeout=5000)
    clear = page.get_by_role("button", name="Wissen")
    clear.click()
    expect(status).to_have_text("", timeout=5000)
    assert page.input_value("#zoeken input") == "" and page.locator(".govsite-search__result").count() == 0
    assert page.evaluate("document.activeElement.id") == "zoeken-veld"  # on to new words


# The portal's search merges several Pagefind indexes (its own pages and groups of regions). Pagefind looks a
# word up in each index on its own, and an index without any word that starts with it takes its longest word
# that starts the search word instead. The search page leaves those results out: it finds what one index over
# all pages would find. The words below come from the built site, as Pagefind indexed them.

def indexed(site: Path) -> dict[str, dict[str, set[str]]]:
    """Each index the portal's search merges (its folder): each page's address and its written words, in
    lower case, from the text Pagefind keeps of the page (its fragment files: gzip, a signature, JSON)."""
    listed = json.loads((site / "zoekindex" / "delen.json").read_text(encoding="utf-8"))
    found = {}
    for folder in ["pagefind/", *listed["delen"]]:
        pages = {}
        for file in fragments(site / folder):
            data = read_fragment(file)  # "(Noord-Holland)," is noord-holland
            pages[data["url"]] = {word.lower() for word in words.stripped(set(data["content"].split()))}
        found[folder] = pages
    return found


def shorter_elsewhere(indexes: dict[str, dict[str, set[str]]]):
    """(word, shorter): a word of one index only, and the longest word of another index that starts it,
    where that other index has no word that starts like the word itself: there Pagefind takes the shorter."""
    words = {folder: set().union(*pages.values()) for folder, pages in indexes.items()}
    for folder in sorted(words):
        for word in sorted(words[folder]):
            if not (word.isalpha() and len(word) >= 9) or any(word in words[o] for o in words if o != folder):
                continue
            for other in sorted(set(words) - {folder}):
                shorter = [w for w in words[other] if w.isalpha() and len(w) >= 4 and word.startswith(w)]
                if shorter and not any(w.startswith(word[:-2]) for w in words[other]):
                    yield word, max(shorter, key=len)
                    break


def with_words(pages: dict[str, set[str]], *starts: str) -> set[str]:
    """The pages with, for each of starts, a word that starts with it."""
    return {url for url, words in pages.items() if all(any(w.startswith(s) for w in words) for s in starts)}


def all_results(page, url: str, query: str) -> list[str]:
    """Every page found (Meer resultaten until there are no more), best first."""
    page.goto(url)
    page.fill("#zoeken input", query)
    settled(page, query)
    more = page.locator(".govsite-search__more")
    while more.is_visible():
        shown = page.locator(".govsite-search__result").count()
        more.click()
        expect(page.locator(".govsite-search__result")).not_to_have_count(shown)
    return page.eval_on_selector_all(".govsite-search__result .govsite-search__link",
                                     "links => links.map(a => new URL(a.href).pathname)")


NAIVE = """async ([root, parts, query]) => {
  const pagefind = await import(root + "pagefind/pagefind.js");
  const search = pagefind.createInstance({basePath: root + "pagefind/"});
  for (const part of parts) await search.mergeIndex(root + part);
  const found = await search.search(query);
  return Promise.all(found.results.map(async result => (await result.data()).url));
}"""


def merged_naively(page, site_url: str, site: Path, query: str) -> list[str]:
    """What Pagefind's merged indexes find without the search page's check (run on the search page, which
    may run WebAssembly): the pages the check must leave out are among these."""
    page.goto(f"{site_url}zoeken/")
    parts = json.loads((site / "zoekindex" / "delen.json").read_text(encoding="utf-8"))["delen"]
    return page.evaluate(NAIVE, ["/", parts, query])


@pytest.fixture(scope="module")
def merged(built_site):
    indexes = indexed(built_site)
    pages = {url: words for index in indexes.values() for url, words in index.items()}
    return indexes, pages


def test_a_word_finds_only_its_pages_where_another_index_has_only_a_shorter_word(page, site_url, built_site,
                                                                                   merged):
    indexes, pages = merged
    assert len(indexes) >= 3, indexes.keys()  # the portal's own pages and two groups of regions
    checked = 0
    for word, shorter in shorter_elsewhere(indexes):
        extra = set(merged_naively(page, site_url, built_site, word)) - with_words(pages, word[:-2])
        if not extra:
            continue  # no index took the shorter word here: nothing to leave out
        found = all_results(page, f"{site_url}zoeken/", word)
        # Every page with the word itself, and only pages with a word that starts like it (Dutch stems).
        assert found and with_words(pages, word) <= set(found) <= with_words(pages, word[:-2]), (word, found)
        assert not extra & set(found), (word, shorter, sorted(extra & set(found))[:5])
        checked += 1
        if checked == 3:
            break
    assert checked == 3  # the examples' indexes have such words


def test_several_words_find_only_the_pages_with_all_of_them(page, site_url, built_site, merged):
    """A word with a shorter word that starts it: an index that lacks the word would find the pages with
    the shorter word alone."""
    indexes, pages = merged
    for word, shorter in shorter_elsewhere(indexes):
        query = f"{word} {shorter}"
        extra = set(merged_naively(page, site_url, built_site, query)) - with_words(pages, word[:-2], shorter[:-2])
        if extra:
            break
    else:
        pytest.fail("no word of one index with a shorter word in another that Pagefind takes instead")
    found = all_results(page, f"{site_url}zoeken/", query)
    assert found and set(found) <= with_words(pages, word[:-2], shorter[:-2]), (query, found)
    assert with_words(pages, word, shorter) <= set(found), query
    # Two everyday words, on the portal and on a region's own search.
    for start in ("zoeken/", "voorbeeldland-west-jeugd/zoeken/"):
        found = all_results(page, f"{site_url}{start}", "zienswijze begroting")
        assert found and set(found) <= with_words(pages, "zienswijze", "begroting"), (start, found[:5])


def test_the_count_is_said_once_when_the_results_are_there(page, site_url, merged):
    _indexes, pages = merged
    page.goto(f"{site_url}zoeken/")
    page.evaluate("""() => {
      const status = document.getElementById("zoeken-aantal");
      window.said = [];
      new MutationObserver(() => window.said.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    page.type("#zoeken input", "zienswijze", delay=60)  # typing on: one search, after a short pause
    said = settled(page, "zienswijze")
    page.wait_for_timeout(800)
    assert re.fullmatch(r"\d+ resultaten voor zienswijze", said) and page.evaluate("window.said") == [said]
    # A newer search wins, whenever the answer to the older one comes.
    page.fill("#zoeken input", "begroting")
    page.wait_for_timeout(400)
    page.fill("#zoeken input", "aanspreekpunt")
    settled(page, "aanspreekpunt")
    page.wait_for_timeout(1500)
    assert page.inner_text("#zoeken-aantal").endswith("voor aanspreekpunt")
    assert page.locator(".govsite-search__message").inner_text() == page.inner_text("#zoeken-aantal")
    # One page, and none.
    rare = [word for word in sorted(set().union(*pages.values()))  # one page has a word that starts so
            if word.isalpha() and len(word) >= 9 and len(with_words(pages, word[:6])) == 1]
    for word in rare[:8]:  # Dutch stems can make a word match others: the first that finds one page
        page.goto(f"{site_url}zoeken/?q={word}")
        said = settled(page, word)
        if page.locator(".govsite-search__result").count() == 1:
            assert said == f"1 resultaat voor {word}"
            break
    else:
        pytest.fail(f"no word found one page: {rare[:8]}")
    page.goto(f"{site_url}zoeken/?q=qxzvwq")
    assert settled(page, "qxzvwq") == "Geen resultaten voor qxzvwq"
    assert page.locator(".govsite-search__result").count() == 0


def test_ten_results_at_a_time_and_more_on_request(page, site_url):
    page.goto(f"{site_url}zoeken/?q=zienswijze")
    total = int(settled(page, "zienswijze").split()[0])
    assert total > 20
    shown = page.locator(".govsite-search__result")
    expect(shown).to_have_count(10)
    more = page.get_by_role("button", name="Meer resultaten")
    more.click()
    expect(shown).to_have_count(20)
    # The keyboard goes on at the first new result.
    assert page.evaluate("document.activeElement === document.querySelectorAll('.govsite-search__result')[10]"
                         ".querySelector('a')")
    while more.is_visible():
        more.click()
        page.wait_for_timeout(100)
    expect(shown).to_have_count(total)
    # Each result: its title as a link, the search word marked, at most three headings inside the page.
    first = shown.first
    assert first.locator(".govsite-search__link").count() == 1
    assert page.locator(".govsite-search__result mark").count() > 0
    assert max(page.eval_on_selector_all(".govsite-search__subs", "lists => lists.map(l => l.children.length)")) <= 3


def test_the_search_page_with_results_passes_axe_and_fits_a_phone(browser, site_url):
    context = browser.new_context(bypass_csp=True)  # to run axe; the policy itself: the next test
    page = context.new_page()
    page.goto(f"{site_url}zoeken/?q=zienswijze")
    settled(page, "zienswijze")
    page.get_by_role("button", name="Meer resultaten").click()
    expect(page.locator(".govsite-search__result")).to_have_count(20)
    bad = chromium.serious_violations(page)
    context.close()
    assert not bad, bad
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{site_url}voorbeeldland-west-jeugd/zoeken/?q=begroting")
    settled(page, "begroting")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360, width


def test_the_portal_search_keeps_to_the_content_security_policy(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{site_url}zoeken/?q=zienswijze")
    settled(page, "zienswijze")
    context.close()
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console


def test_enter_searches_and_back_from_a_result_returns_to_the_results(page, site_url):
    page.goto(f"{site_url}zoeken/")
    page.fill("#zoeken input", "begroting")
    page.press("#zoeken input", "Enter")
    said = settled(page, "begroting")
    assert parse_qs(urlparse(page.url).query)["q"] == ["begroting"]  # the address keeps the words
    first = page.locator(".govsite-search__link").first.get_attribute("href")
    page.locator(".govsite-search__link").first.click()
    page.wait_for_url(first)
    page.go_back()
    assert settled(page, "begroting") == said and page.input_value("#zoeken input") == "begroting"
