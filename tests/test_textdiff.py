"""What changed between two versions: article by article, and word by word inside an article."""
from __future__ import annotations

import datetime as dt
import difflib

from hypothesis import given, settings, strategies as st

from generator.domain import schema
from generator.site import textdiff
from generator.site.textdiff import DELETE, EQUAL, INSERT, compare_versions, plain_text, word_diff


def version(number: str, *articles: tuple[str, str | None, str]) -> schema.Version:
    return schema.Version(version=number, adopted=dt.date(2020, 1, 1), effective=dt.date(2020, 1, 1),
                          articles=[schema.Article(number=n, title=t, text=x) for n, t, x in articles])


OLD = version("1.0",
              ("1", "Begrippen", "In deze regeling staat deelnemer voor een gemeente."),
              ("2", "Begroting", "De raden kunnen binnen zes weken hun zienswijze geven."),
              ("3", "Overgang", "Contracten uit 2014 gaan over naar het openbaar lichaam."),
              ("4", "Slot", "Deze regeling heet: GR Jeugd."))
NEW = version("2.0",
              ("1", "Begrippen", "In deze regeling staat *deelnemer* voor een gemeente."),
              ("2", "Kaderbrief en begroting",
               "De raden kunnen binnen acht weken hun zienswijze geven, ook over de kaderbrief."),
              ("4", "Slot", "Deze regeling heet: GR Jeugd."),
              ("5", "Raadsadviescommissie", "Er is een raadsadviescommissie."))


def test_word_diff_marks_only_the_changed_words():
    tokens = word_diff("De raden kunnen binnen zes weken hun zienswijze geven.",
                       "De raden kunnen binnen acht weken hun zienswijze geven, ook over de kaderbrief.")
    assert tokens == [
        (EQUAL, "De raden kunnen binnen "), (DELETE, "zes"), (INSERT, "acht"),
        (EQUAL, " weken hun zienswijze geven"), (INSERT, ", ook over de kaderbrief"), (EQUAL, "."),
    ]
    # reading only the old or only the new words gives back each text exactly
    assert "".join(t for op, t in tokens if op != INSERT) == "De raden kunnen binnen zes weken hun zienswijze geven."
    assert "".join(t for op, t in tokens if op != DELETE).endswith("geven, ook over de kaderbrief.")


def test_word_diff_keeps_a_run_of_changed_words_together():
    assert word_diff("a b c", "x y c") == [(DELETE, "a b"), (INSERT, "x y"), (EQUAL, " c")]
    assert word_diff("gelijk", "gelijk") == [(EQUAL, "gelijk")]
    assert word_diff("", "nieuw") == [(INSERT, "nieuw")]


def test_plain_text_compares_words_not_markdown():
    assert plain_text("staat *deelnemer* voor [een gemeente](https://example.org)") == "staat deelnemer voor een gemeente"
    assert plain_text("<b>vet</b>") == "<b>vet</b>"  # raw HTML in data stays text
    assert plain_text("- een\n- twee") == "een\ntwee"


def test_compare_versions_changed_added_removed_articles():
    comparison = compare_versions(OLD, NEW)
    statuses = [(a.number, a.status) for a in comparison.articles]
    # a removed article stands where it stood in the old version; emphasis only is no change
    assert statuses == [("1", "ongewijzigd"), ("2", "gewijzigd"), ("3", "vervallen"), ("4", "ongewijzigd"),
                        ("5", "toegevoegd")]
    assert (comparison.count("gewijzigd"), comparison.count("toegevoegd"), comparison.count("vervallen")) == (1, 1, 1)
    changed = comparison.articles[1]
    assert changed.title == [(DELETE, "Begroting"), (INSERT, "Kaderbrief en begroting")]
    assert (DELETE, "zes") in changed.text and (INSERT, "acht") in changed.text
    removed, added = comparison.articles[2], comparison.articles[4]
    assert removed.text == [(DELETE, "Contracten uit 2014 gaan over naar het openbaar lichaam.")]
    assert removed.article.title == "Overgang" and removed.new is None
    assert added.text == [(INSERT, "Er is een raadsadviescommissie.")]
    assert [a.number for a in comparison.changed] == ["2", "3", "5"]


def test_first_version_has_nothing_to_compare():
    comparison = compare_versions(None, OLD)
    assert comparison.previous is None
    assert comparison.changed == []
    assert [a.number for a in comparison.articles] == ["1", "2", "3", "4"]


def test_plain_text_shortcut_reads_as_markdown_would():
    """Plain sentences skip Markdown (for speed): for every text the shortcut takes, the words must be
    exactly those of the Markdown conversion, including near-misses such as lists, headings and entities."""
    import random

    from generator.site import textdiff

    pieces = list("aBzé1 9.,;:?'\"()%-\n") + ["  ", "\n\n", "    ", "1. ", "- ", "= ", "==", "--", "Aa", " \n",
                                                "ß", "&amp;", "*", "_", "#", "<b>", "`", "[x](y)", "\t", "\r"]
    samples = ["Deelnemers zijn de gemeenten A, B en C.\n", "Eerste alinea.\n\nTweede alinea: (zie 3).\n",
               "Regel een  \nregel twee", "a. geen lijst\nb. ook niet", "Kosten: 50% naar rato van \"inwoners\"."]
    rng = random.Random(7)
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(20000)]
    taken = 0
    for text in samples:
        if all(textdiff._PLAIN_LINE.fullmatch(line) for line in text.split("\n")):
            taken += 1
            assert plain_text(text) == textdiff._converted(text), repr(text)
    assert taken > 200  # the shortcut was exercised


def test_word_diff_of_equal_texts_is_the_matchers():
    for text in ["", "gelijk", "De raad  besluit.\nTweede regel."]:
        assert word_diff(text, text) == ([(EQUAL, text)] if text else [])


_WORD_LISTS = st.lists(st.sampled_from(["de", "raad", "besluit", " ", "  ", "\n", ",", ".", "zes", "acht",
                                        "weken", "é", "€"]), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_WORD_LISTS, _WORD_LISTS)
def test_the_compiled_matcher_finds_what_difflib_finds(a, b):
    """cydifflib stands in for difflib's SequenceMatcher: the same opcodes, so the same comparison pages."""
    assert [tuple(op) for op in textdiff.matcher(a, b).get_opcodes()] == \
        difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
