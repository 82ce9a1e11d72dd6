"""Reading on a phone, a wide screen and paper, in a real browser (Debian's Chromium through Playwright):
tables that fit (issue 19 item 2), paper (item 3), readable diagrams (item 7) and the menu on a phone (item 8).

The example sites are found through the built site, not by name: the decision, finance and raadsoverzicht
pages of every region, and the municipality page with the most to show.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import chromium

chromium.require()

pytest_plugins = ["builtsite"]
pytestmark = pytest.mark.browser

WIDTHS = [360, 1280]
A4_CONTENT = 688  # px: 210 mm less 2 x 14 mm of margin (govsite.css @page), at 96 px per inch


@pytest.fixture(scope="module")
def browser():
    with chromium.launch() as browser:
        yield browser


def regions(site: Path) -> list[str]:
    return sorted(p.parent.parent.name for p in site.glob("*/besluitvorming/index.html"))


def busiest_municipality(site: Path) -> str:
    """The municipality page with the most table cells: the one where a table is most likely not to fit."""
    pages = sorted(site.glob("gemeenten/*/index.html"))
    assert pages
    best = max(pages, key=lambda p: (p.read_text(encoding="utf-8").count("<td"), p.parent.name))
    return f"gemeenten/{best.parent.name}/"


def table_pages(site: Path) -> list[str]:
    first = regions(site)[0]
    return [f"{first}/besluitvorming/", f"{first}/financien/", f"{first}/raadsoverzicht/", f"{first}/",
            busiest_municipality(site)]


def page_at(browser, url: str, width: int, media: str = "screen"):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.emulate_media(media=media)
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


# Every cell of the page's tables, with the part of it outside the content column (px), and whether it is
# seen at all (a cell scrolled out of its region's view counts as outside).
CELLS_OUTSIDE = """() => {
  const column = document.querySelector("article").getBoundingClientRect();
  const out = [];
  for (const cell of document.querySelectorAll("article td, article th")) {
    if (!cell.getClientRects().length) continue;  // not shown (a print-only or screen-only table)
    const head = cell.closest("thead");  // a stacked table's header row: for screen readers only (1 px)
    if (head && head.getBoundingClientRect().height <= 1) continue;
    const r = cell.getBoundingClientRect();
    if (r.right > column.right + 1 || r.left < column.left - 1)
      out.push(cell.textContent.trim().slice(0, 40) + " @ " + Math.round(r.left) + "-" + Math.round(r.right));
  }
  return {column: [Math.round(column.left), Math.round(column.right)], out: out};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_cell_outside_the_content_column(browser, built_site, site_url, width):
    """Decision, finance, raadsoverzicht, overview and municipality pages: every column in view, on a
    phone (rows stacked into blocks) and on a wide screen (the columns that matter, details in a line)."""
    problems = {}
    for path in table_pages(built_site):
        context, page = page_at(browser, site_url + path, width)
        assert page.locator("article table").count(), path
        found = page.evaluate(CELLS_OUTSIDE)
        if found["out"]:
            problems[path] = found
        context.close()
    assert not problems, problems


def test_stacked_rows_name_their_columns_on_a_phone(browser, built_site, site_url):
    first = regions(built_site)[0]
    context, page = page_at(browser, site_url + f"{first}/besluitvorming/", 360)
    cell = page.locator("article table tbody tr").first.locator("td").nth(1)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Wie besluit: "' or label.startswith('"Wie besluit')
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    context.close()
    context, page = page_at(browser, site_url + f"{first}/besluitvorming/", 1280)
    assert page.locator("article table tbody td").first.evaluate("td => getComputedStyle(td).display") == "table-cell"
    context.close()


def test_amounts_are_right_aligned_and_keep_the_euro_sign_on_their_line(browser, built_site, site_url):
    first = regions(built_site)[0]
    context, page = page_at(browser, site_url + f"{first}/financien/", 1280)
    amounts = page.locator("article .govsite-table--numbers tbody td:nth-child(3)")
    assert amounts.count() > 3
    assert {amounts.nth(i).evaluate("td => getComputedStyle(td).textAlign") for i in range(amounts.count())} == {"right"}
    texts = [amounts.nth(i).inner_text() for i in range(amounts.count())]
    assert all("€\u00a0" in t for t in texts if "€" in t), texts
    # one percentage format: always one decimal
    shares = re.findall(r"\d+(?:,\d+)?%", " ".join(texts))
    assert shares and all(re.fullmatch(r"\d+,\d%", s) for s in shares), shares
    context.close()
    # on a phone no amount is split over two lines: "€" and the digits after it stay on one line
    context, page = page_at(browser, site_url + f"{first}/financien/", 360)
    split = page.evaluate("""() => {
      const out = []; let count = 0;
      for (const td of document.querySelectorAll("article .govsite-table--numbers td")) {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = node.data.indexOf("€"); i >= 0; i = node.data.indexOf("€", i + 1)) {
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, Math.min(node.data.length, i + 4));
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            count++;
            if (tops.size > 1) out.push(node.data);
          }
        }
      }
      return {count: count, split: out};
    }""")
    assert split["count"] > 3 and not split["split"], split
    context.close()


@pytest.mark.parametrize("kind", ["financien", "organisatie", "doelen", "reflectie"])
def test_chart_labels_are_at_least_12_px_on_a_phone(browser, built_site, site_url, kind):
    """Every diagram's text: the bar chart (drawn narrow for a phone), the organogram (its own size, in a
    region that scrolls), the measurements and the balances (drawn 320 px wide)."""
    for region in regions(built_site):
        context, page = page_at(browser, site_url + f"{region}/{kind}/", 360)
        sizes = page.evaluate("""() => [...document.querySelectorAll("article svg")]
            .filter(svg => svg.getClientRects().length)
            .flatMap(svg => [...svg.querySelectorAll("text")].map(t =>
              parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a))""")
        context.close()
        if sizes:
            assert min(sizes) >= 12, (region, kind, min(sizes))
        if sizes and kind == "financien":
            # the text equivalent stays: the figure's caption and the table with the same numbers
            context, page = page_at(browser, site_url + f"{region}/financien/", 360)
            assert page.locator("article figure figcaption").first.is_visible()
            assert page.locator("article .govsite-table--numbers table").count() == 1
            context.close()


def test_a_table_that_scrolls_says_so(browser, built_site, site_url):
    context, page = page_at(browser, site_url + "overlap/", 360)
    region = page.locator("article .govsite-table").first
    scrolls = region.evaluate("r => r.scrollWidth > r.clientWidth + 1")
    hint = page.locator("article .govsite-table__hint").first
    if scrolls:
        assert hint.is_visible() and "schuif" in hint.inner_text().lower()
        assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    context.close()
    context, page = page_at(browser, site_url + f"{regions(built_site)[0]}/besluitvorming/", 1280)
    assert not page.locator("article .govsite-table__hint").first.is_visible()  # nothing to scroll: no hint
    context.close()


@pytest.mark.parametrize("kind", ["besluitvorming", "raadsoverzicht", "financien"])
def test_print_names_the_region_and_keeps_tables_on_the_paper(browser, built_site, site_url, kind):
    first = regions(built_site)[0]
    context, page = page_at(browser, site_url + f"{first}/{kind}/", A4_CONTENT)
    site_name = page.locator(".govsite-crumbs a").nth(1).inner_text().strip()  # the region's name
    page.emulate_media(media="print")
    header = page.locator(".govsite-print-header")
    assert header.is_visible()
    assert site_name and site_name in header.inner_text(), (site_name, header.inner_text())
    assert re.search(r"stand van \d+ \w+ \d{4}", header.inner_text())
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".govsite-crumbs"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.evaluate(CELLS_OUTSIDE)["out"] == []
    wide = page.evaluate("""() => [...document.querySelectorAll("article table")].filter(t => t.getClientRects().length)
        .map(t => t.getBoundingClientRect().width)""")
    assert all(w <= A4_CONTENT for w in wide), wide
    # whole words: no hyphenation anywhere in the text
    assert page.evaluate("getComputedStyle(document.querySelector('article td, article p')).hyphens") == "manual"
    if kind == "besluitvorming":  # said once: the overview table repeats the explained decisions
        assert not page.locator("article .govsite-table").first.is_visible()
        assert page.locator("article h3").count() > 2
    context.close()


def test_print_date_is_added_when_printing(browser, built_site, site_url):
    first = regions(built_site)[0]
    context, page = page_at(browser, site_url + f"{first}/", 1280, media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert re.search(r"afgedrukt op \d+ \w+ \d{4}", page.locator(".govsite-print-header").inner_text())
    context.close()


FOCUS_IN_MENU = """() => { const a = document.activeElement;
  return !!(a && a.closest(".md-sidebar--primary")); }"""


def test_closed_menu_is_not_in_the_tab_order_on_a_phone(browser, built_site, site_url):
    first = regions(built_site)[0]
    context, page = page_at(browser, site_url + f"{first}/besluitvorming/", 360)
    links = page.locator(".md-sidebar--primary a").count()
    assert links > 5
    for _ in range(links + 15):
        page.keyboard.press("Tab")
        assert not page.evaluate(FOCUS_IN_MENU), "focus went into the closed menu"
    # the menu button is a keyboard button: Enter opens the menu and focus goes in, Escape closes it
    button = page.locator(".md-header label[for='__drawer']")
    assert button.get_attribute("role") == "button" and button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate(FOCUS_IN_MENU)
    assert button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer"
    page.keyboard.press("Tab")
    assert not page.evaluate(FOCUS_IN_MENU)
    context.close()


def test_menu_stays_reachable_on_a_wide_screen(browser, built_site, site_url):
    first = regions(built_site)[0]
    context, page = page_at(browser, site_url + f"{first}/besluitvorming/", 1280)
    reached = False
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_IN_MENU):
            reached = True
            break
    assert reached, "the side menu of a wide screen must stay in the tab order"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_new_layouts_have_no_serious_axe_violations(browser, built_site, site_url, width):
    """axe-core on the pages whose tables stack or print differently, at both widths."""
    bad = {}
    for path in table_pages(built_site):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        found = chromium.serious_violations(page)
        context.close()
        if found:
            bad[path] = found
    assert not bad, bad
