"""What changed between two versions of an agreement: article by article, and word by word inside an article.

The result is data, a list of (op, text) tokens per article; templates turn it into <ins>/<del> markup,
so escaping stays the template environment's job.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Optional

import cydifflib

from . import datamd
from ..domain import schema

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
Token = tuple[str, str]  # (op, text)

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")
_BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "br"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# A line Markdown leaves as it is: it starts with a letter (so it cannot open a list, heading, quote or
# code block, or underline a heading) and holds only letters, digits, spaces and punctuation that
# Markdown does not act on (no emphasis, links, code, escapes, HTML or entities).
_PLAIN_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ .,;:?'\"()%-])*| *")


@functools.lru_cache(maxsize=8192)  # an unchanged article is compared in several versions: convert it once
def plain_text(text: str | None) -> str:
    """An article's Markdown as the words a reader sees: emphasis and link targets dropped, one line per block.

    The diff compares words, not Markdown syntax: `*deelnemer*` and `deelnemer` read the same.
    """
    if not text:
        return ""
    lines = text.split("\n")
    if all(_PLAIN_LINE.fullmatch(line) for line in lines):
        # Markdown would only wrap these lines in paragraphs: the words are already what a reader sees
        # (most articles are plain sentences; converting them is most of the cost of a version page).
        return _lines(lines)
    return _converted(text)


def _converted(text: str) -> str:
    """plain_text through Markdown, as the page converts it (datamd): its HTML without the tags."""
    parser = _Text()
    parser.feed(datamd.to_html(text))  # raw HTML in data stays text
    return _lines("".join(parser.parts).splitlines())


def _lines(lines: list[str]) -> str:
    """One line per block, words separated by one space, no empty lines."""
    lines = (" ".join(line.split()) for line in lines)
    return "\n".join(line for line in lines if line)


def matcher(a: list[str], b: list[str]):
    """difflib's SequenceMatcher, compiled (cydifflib): the same matches, much faster. Every
    whitespace token matches every other, which makes the pure-Python search slow on long articles."""
    return cydifflib.SequenceMatcher(None, a, b, autojunk=False)


# The matcher's time grows with the product of the two texts' token counts (quadratic in their length):
# a text pair above ARTICLE_BUDGET is compared paragraph by paragraph first, and word by word only in
# changed paragraphs while the comparison's budget (VERSION_BUDGET: all articles of a version) lasts.
# Articles of normal length stay far below both.
ARTICLE_BUDGET = 25_000_000
VERSION_BUDGET = 100_000_000


class Budget:
    """Token pairs a comparison may still give the word-by-word matcher."""

    def __init__(self, pairs: int = VERSION_BUDGET) -> None:
        self.pairs = pairs

    def take(self, pairs: int) -> bool:
        if pairs > min(self.pairs, ARTICLE_BUDGET):
            return False
        self.pairs -= pairs
        return True


def word_diff(old: str, new: str, budget: Budget | None = None) -> list[Token]:
    """Word-level difference of two texts: equal, deleted and inserted runs, in reading order.

    Whitespace between two changed words joins the change, so "a b" -> "x y" reads as one deletion and
    one insertion instead of four alternating fragments.
    """
    return bounded_diff(old, new, budget)[0]


def bounded_diff(old: str, new: str, budget: Budget | None = None) -> tuple[list[Token], bool]:
    """word_diff, and whether the texts were too long to compare word by word throughout (then
    paragraphs are compared first, and a changed paragraph is shown removed and added whole when the
    budget is spent)."""
    if old == new:  # most articles stay as they were: what the matcher would find, without it
        return ([(EQUAL, old)] if old else []), False
    budget = budget or Budget()
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    if budget.take(len(a) * len(b)):
        return _word_tokens(a, b), False
    return _by_lines(old, new, budget), True


def _by_lines(old: str, new: str, budget: Budget) -> list[Token]:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if not budget.take(len(a) * len(b)):
        return [(DELETE, old), (INSERT, new)]
    tokens: list[Token] = []
    for op, i1, i2, j1, j2 in matcher(a, b).get_opcodes():
        if op == "equal":
            tokens.append((EQUAL, "".join(a[i1:i2])))
            continue
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        words_before, words_after = _WORDS.findall(before), _WORDS.findall(after)
        if before and after and budget.take(len(words_before) * len(words_after)):
            tokens.extend(_word_tokens(words_before, words_after))
        else:
            tokens.extend([(DELETE, before), (INSERT, after)])
    return [(op, text) for op, text in tokens if text]


def _word_tokens(a: list[str], b: list[str]) -> list[Token]:
    raw: list[Token] = []
    for op, i1, i2, j1, j2 in matcher(a, b).get_opcodes():
        if op in ("delete", "replace"):
            raw.append((DELETE, "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            raw.append((INSERT, "".join(b[j1:j2])))
        if op == "equal":
            raw.append((EQUAL, "".join(a[i1:i2])))
    tokens: list[Token] = []
    deleted, inserted = [], []

    def flush() -> None:
        if deleted:
            tokens.append((DELETE, "".join(deleted)))
        if inserted:
            tokens.append((INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, text) in enumerate(raw):
        if op == DELETE:
            deleted.append(text)
        elif op == INSERT:
            inserted.append(text)
        elif (deleted or inserted) and not text.strip() and index + 1 < len(raw) and raw[index + 1][0] != EQUAL:
            deleted.append(text)
            inserted.append(text)
        else:
            flush()
            tokens.append((EQUAL, text))
    flush()
    return [(op, text) for op, text in tokens if text]


@dataclass(frozen=True)
class ArticleChange:
    """One article compared between two versions."""

    number: str
    status: str  # gewijzigd | toegevoegd | vervallen | ongewijzigd
    old: Optional[schema.Article]
    new: Optional[schema.Article]
    title: list[Token] = field(default_factory=list)  # the heading, word by word (only when it changed)
    text: list[Token] = field(default_factory=list)  # the text, word by word
    coarse: bool = False  # too long to compare word by word throughout (bounded_diff)

    @property
    def article(self) -> schema.Article:
        return self.new or self.old


@dataclass(frozen=True)
class VersionComparison:
    previous: Optional[schema.Version]
    articles: list[ArticleChange]  # every article, in the new version's order; removed ones where they stood

    def count(self, status: str) -> int:
        return sum(1 for a in self.articles if a.status == status)

    @property
    def changed(self) -> list[ArticleChange]:
        return [a for a in self.articles if a.status != "ongewijzigd"]


def compare_versions(previous: Optional[schema.Version], version: schema.Version) -> VersionComparison:
    """Compare a version with the one before it, article by article (matched on article number)."""
    old = {a.number: a for a in previous.articles} if previous else {}
    new = {a.number: a for a in version.articles}
    changes: list[ArticleChange] = []
    budget = Budget()
    for article in version.articles:
        before = old.get(article.number)
        if previous is None:
            changes.append(ArticleChange(article.number, "ongewijzigd", None, article))
        elif before is None:
            changes.append(ArticleChange(article.number, "toegevoegd", None, article,
                                         text=[(INSERT, plain_text(article.text))]))
        else:
            old_text, new_text = plain_text(before.text), plain_text(article.text)
            title_changed = (before.title or "") != (article.title or "")
            status = "gewijzigd" if title_changed or old_text != new_text else "ongewijzigd"
            title, coarse_title = (bounded_diff(before.title or "", article.title or "", budget) if title_changed
                                   else ([], False))
            text, coarse_text = bounded_diff(old_text, new_text, budget)
            changes.append(ArticleChange(article.number, status, before, article, title=title, text=text,
                                         coarse=coarse_title or coarse_text))
    if previous is not None:
        # a removed article is shown where it stood: after the article that preceded it in the old version
        for index, article in enumerate(previous.articles):
            if article.number in new:
                continue
            removed = ArticleChange(article.number, "vervallen", article, None,
                                    text=[(DELETE, plain_text(article.text))])
            before_numbers = [a.number for a in previous.articles[:index]]
            position = 0
            for i, change in enumerate(changes):
                if change.number in before_numbers:
                    position = i + 1
            changes.insert(position, removed)
    return VersionComparison(previous, changes)
