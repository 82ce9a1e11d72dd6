"""Numbers as readers write them (generator/formats.py) and the cell labels of tables that stack on a
phone (generator/site/mdtables.py), through their public functions and Markdown as MkDocs runs it."""
from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from generator.formats import euro, number, percentage

NBSP = "\u00a0"


def test_euro_keeps_its_sign_on_the_line_of_its_number():
    assert euro(1250000) == f"€{NBSP}1.250.000"
    assert euro(2.5) == f"€{NBSP}3"  # whole euros, rounded half up
    assert euro(None) == ""


def test_one_percentage_format_with_one_decimal():
    assert [percentage(v) for v in (25, 4, 12.5, 4.44, 12.25, 0, 100)] == \
        ["25,0%", "4,0%", "12,5%", "4,4%", "12,3%", "0,0%", "100,0%"]
    assert percentage(None) == ""


def test_numbers_round_half_up_with_dutch_separators():
    assert number(1250) == "1.250" and number(12.5) == "12,5" and number(12.25) == "12,3"
    assert number(1234567.891, 2) == "1.234.567,89" and number(-3.45) == "-3,5"


TABLE = """<div class="govsite-table govsite-table--stack" markdown="1">

| Besluit | Wie besluit | Rol van de *raad* &amp; co |
|---|---|---|
| Begroting | Algemeen bestuur | zienswijze |
| Kaderbrief | Dagelijks bestuur | |

</div>

| Los | Niet | Gestapeld |
|---|---|---|
| a | b | c |
"""


def test_cells_of_a_stacking_table_name_their_column():
    html = markdown.markdown(TABLE, extensions=["tables", "md_in_html", "generator.site.mdtables"])
    tables = BeautifulSoup(html, "html.parser").find_all("table")
    rows = tables[0].select("tbody tr")
    assert [[td.get("data-label") for td in row("td")] for row in rows] == \
        [["Besluit", "Wie besluit", "Rol van de raad & co"]] * 2
    assert not tables[1].select("td[data-label]")  # only tables in a stacking wrapper

