"""The search vocabulary: one small Pagefind index over every word that the root site's search merges.

Pagefind looks a search word up in each merged index on its own. Where an index has no word that
starts with it, it takes the longest word of that index that starts the search word instead
("gm0344" becomes "gm" in a group without gm0344), so a merged search finds pages the word is not
on. The search page (theme/overrides/assets/govsite.js) therefore searches this index too: its pages
hold every word of every merged bundle, so it tells, for each search word, which written words
Pagefind really matches; a bundle whose best result matched none of those is left out.

The words come from the bundles' own fragments (the text Pagefind indexed of each page), so they
are exactly what was indexed. They are kept per bundle in the build's cache folder under the
bundle's key: an edit reads only the fragments of the bundles it changed, and the index itself is
made again only when the set of words changed.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .. import escape
from ..files import replace_file
from . import cache, index
from .spec import BuildError

FOLDER = "woordenlijst"  # zoekindex/woordenlijst/: the index, beside the groups
CACHE = "woorden"  # in the build's cache folder: each bundle's words, a file per bundle
PAGE_WORDS = 400  # words per page: about 26 pages for the national data, each a small fragment to load
FORMAT = 1  # of the files in CACHE: another version of this code reads its own files only
# What Pagefind leaves around a word ("(Noord-Holland)," "gemeenteNoordwijk."): punctuation and the
# like at either end; letters and digits stay, and so does what is between them.
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_PAGE = ('<!doctype html><html lang="nl"><head><title>woorden</title></head>'
         '<body><p data-pagefind-body>{words}</p></body></html>')


def stripped(parts: set[str]) -> set[str]:
    """Words from the parts of an indexed text split on white space: each stripped of what is not a
    letter or a digit at its ends (case and inner punctuation kept), empty ones left out."""
    return {word for word in (_EDGES.sub("", part) for part in parts) if word}


def bundle_words(bundle: Path, name: str | None = None) -> set[str]:
    """Every word of the pages in a Pagefind bundle, read from its fragment files; `name`: the
    bundle's folder in the output, for the message when they cannot be read."""
    parts: set[str] = set()  # as split, before stripping: most recur on many pages
    try:
        files = index.fragments(bundle)
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        raise BuildError(_unknown_format(name or str(bundle), "pagefind-entry.json of pagefind.*.pf_meta")) from None
    for file in files:
        try:
            content = index.read_fragment(file)["content"]
            if not isinstance(content, str):
                raise ValueError("content is not text")
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            raise BuildError(_unknown_format(name or str(bundle), f"fragment/{file.name}")) from None
        parts.update(content.split())
    return stripped(parts)


def _unknown_format(bundle: str, file: str) -> str:
    return (f"Pagefind schreef de zoekindex {bundle} in een vorm die govsite niet kan lezen (bestand "
            f"{file}). Waarschijnlijk is Pagefind bijgewerkt naar een versie die govsite nog niet kent. Installeer de "
            "versie die pyproject.toml noemt (pagefind[bin] lager dan 2), bijvoorbeeld met "
            "'.venv/bin/pip install \"pagefind[bin]<2\"', en bouw opnieuw.")


def cached_words(folder: Path, name: str, key: str, bundle: Path) -> set[str]:
    """The words of the bundle `name` (its folder in the output) whose key is `key`: from the file
    kept in `folder` for it when that was written for this key, else read from the bundle and kept."""
    path = folder / _file_name(name)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("format") == FORMAT and kept.get("key") == key and isinstance(kept.get("words"), list) \
                and all(isinstance(word, str) for word in kept["words"]):
            return set(kept["words"])
    except (OSError, ValueError, AttributeError):
        pass  # none yet, or damaged, or not one of ours: read the bundle
    words = bundle_words(bundle, name)
    replace_file(path, json.dumps({"format": FORMAT, "key": key, "words": sorted(words)},
                                  ensure_ascii=False).encode("utf-8"))
    return words


def forget(folder: Path, names: set[str]) -> None:
    """Remove the kept words of bundles that are no longer merged (names: those that are)."""
    keep = {_file_name(name) for name in names}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_file() and entry.name not in keep:
                entry.unlink(missing_ok=True)


def _file_name(name: str) -> str:
    return name.replace("/", "-") + ".json"  # zoekindex/deel-1 -> zoekindex-deel-1.json


def key(shared: str, words: list[str]) -> str:
    """The vocabulary index from its words (sorted) and what every site depends on."""
    h = hashlib.sha256()
    cache.add(h, "shared", shared.encode())
    cache.add(h, "words", "\n".join(words).encode("utf-8"))  # a word holds no white space
    return h.hexdigest()


def write_pages(words: list[str], target: Path) -> Path:
    """The index's pages, in target: the words (sorted), PAGE_WORDS to a page, for Pagefind."""
    target.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(words), PAGE_WORDS)):
        text = " ".join(str(escape.html(word)) for word in words[start:start + PAGE_WORDS])
        (target / f"{number + 1:04d}.html").write_text(_PAGE.format(words=text), encoding="utf-8")
    return target
