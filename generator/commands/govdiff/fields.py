"""`govsite diff`, field by field: what a changed field says is data (the tables in compare.py: which
field, the sentence, how a value reads, whether the change gives the councils less say), and one loop
(Changes.fields) turns a table into sentences, in the table's order.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ...domain.model import Region
from .words import bodies, text

Show = Callable[[Any, Region], str]
Said = str | tuple[str, bool]  # a sentence, or a sentence and whether it gives the councils less say  # a value as it reads, with the region of its side (for body names)


def plain(value: Any, region: Region) -> str:
    return text(value)


def never(was: Any, now: Any) -> bool:
    return False


def dump(value: Any) -> Any:
    return value.model_dump(mode="json") if value is not None else None


def same_text(a: str | None, b: str | None) -> bool:
    """The same text but for white space (a rewrapped paragraph is no change)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def same_data(a: Any, b: Any) -> bool:
    """The same part of the data (compared as the validated data, not as objects)."""
    return dump(a) == dump(b)


def value(item: Any, path: str) -> Any:
    """A field by its dotted path; None where a part on the way is missing."""
    for name in path.split("."):
        item = getattr(item, name) if item is not None else None
    return item


def pairs(before: Iterable, after: Iterable, key: Callable, order: Callable | None = None) -> Iterator[tuple]:
    """(key, old item, new item) for every key in either list, sorted; a side without it gives None."""
    a, b = {key(item): item for item in before}, {key(item): item for item in after}
    for k in sorted(set(a) | set(b), key=order):
        yield k, a.get(k), b.get(k)


@dataclass(frozen=True)
class Field:
    """One field and the sentence its change gets.

    The sentence (str.format) may use {subject} (what the field belongs to, as the caller names it),
    {now} and {was} (the values as `show` reads them; `show_was` where the old one reads otherwise) and
    {verb} ("toegevoegd", "verwijderd", "aangepast")."""

    path: str
    sentence: str
    show: Show = plain
    show_was: Show | None = None
    same: Callable[[Any, Any], bool] = operator.eq
    weakens: Callable[[Any, Any], bool] = never

    def sentences(self, was: Any, now: Any, old: Region, new: Region, subject: str) -> Iterator[tuple[str, bool]]:
        a, b = value(was, self.path), value(now, self.path)
        if self.same(a, b):
            return
        words = {"subject": subject, "verb": "toegevoegd" if not a else "verwijderd" if not b else "aangepast"}
        if "{now}" in self.sentence:
            words["now"] = self.show(b, new)
        if "{was}" in self.sentence:
            words["was"] = (self.show_was or self.show)(a, old)
        yield self.sentence.format(**words), self.weakens(a, b)


@dataclass(frozen=True)
class Listed:
    """A list of bodies: one sentence for those added, one for those taken off ({bodies})."""

    path: str
    added: str
    removed: str
    weakens: Callable[[list], bool] = lambda removed: False

    def sentences(self, was: Any, now: Any, old: Region, new: Region, subject: str) -> Iterator[tuple[str, bool]]:
        before, after = value(was, self.path), value(now, self.path)
        added = [r for r in after if r not in before]
        removed = [r for r in before if r not in after]
        if added:
            yield self.added.format(subject=subject, bodies=bodies(new, added)), False
        if removed:
            yield self.removed.format(subject=subject, bodies=bodies(old, removed)), self.weakens(removed)


@dataclass
class Changes:
    """The sentences about one region, in the order of the files; weakening ones separately."""

    weakening: list[str] = field(default_factory=list)
    normal: list[str] = field(default_factory=list)

    def add(self, sentence: str, weakens: bool = False) -> None:
        (self.weakening if weakens else self.normal).append(sentence)

    def __len__(self) -> int:
        return len(self.weakening) + len(self.normal)

    def each(self, before: Iterable, after: Iterable, key: Callable, added: Callable[[Any], Said],
             removed: Callable[[Any], Said], changed: Callable[[Any, Any], None], order: Callable | None = None) -> None:
        """Two lists of parts matched by key: the sentence of a part added, of a part removed (with
        whether that weakens), and changed(was, now) for a part in both; in the order of the keys."""
        for _, was, now in pairs(before, after, key, order):
            if was is None or now is None:
                said = added(now) if was is None else removed(was)
                self.add(*((said, False) if isinstance(said, str) else said))
            else:
                changed(was, now)

    def fields(self, table: Iterable[Field | Listed], was: Any, now: Any, old: Region, new: Region,
               subject: str = "", first_only: bool = False) -> None:
        """The sentences of a table's changed fields, in its order; first_only: of the first changed
        field alone (where one change makes the others not worth saying)."""
        for entry in table:
            said = False
            for sentence, weakens in entry.sentences(was, now, old, new, subject):
                self.add(sentence, weakens)
                said = True
            if said and first_only:
                return
