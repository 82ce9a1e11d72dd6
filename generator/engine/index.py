"""Step 6, index: Pagefind search indexes for the sites, and for searching across all of them.

Pagefind reads the built HTML, stems Dutch words (from <html lang="nl">) and writes an index that
the browser loads in small chunks. There are four kinds:

- every site in a folder of its own has its own index, in <site>/pagefind/, for its own search;
- the root site's pages are indexed in groups of consecutive pages by path (page_groups): the first
  in the root's own bundle, pagefind/, which also holds what the search page loads (Pagefind's
  scripts and WebAssembly), the others in zoekindex/hoofd-N/; each is made again only when the HTML
  of one of its pages changed;
- the searchable sites are indexed in a few shared groups, each over a fixed group of sites:
  zoekindex/deel-N/;
- and the search vocabulary, zoekindex/woordenlijst/ (words.py): every word of the bundles above.
The root's search page merges, in the browser, its own bundle with every group listed in
zoekindex/delen.json (Pagefind's mergeIndex), and uses the vocabulary to search them soundly.

Why groups: one index over every page would have to be made again, whole, whenever any page
changes (Pagefind cannot add to an index): three seconds for the root site of the national data
alone. Merging every site's own index instead would cost a phone one download per site for each
search. With about sqrt(sites) groups of about sqrt(sites) sites, a change re-indexes one small
group, and a search loads one small chunk per group.
The groups are consecutive runs of equal size; adding or removing a site or a root page (rare,
unlike an edit) may move others to a neighbouring group. How a merged search stays one index's
search: see ROOT_PAGE_GROUPS.

A site's own search could use its group's index with a Pagefind filter on the site, which would
save indexing every page twice; but Pagefind writes its filter index in a different order on
every run (Pagefind issue #638), and govsite's output must be the same bytes for the same input.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import importlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..files import replace_file
from . import publish
from .spec import PAGEFIND, SEARCH_GROUPS as PARTS  # zoekindex/deel-N/: the groups' indexes
PARTS_LIST = "delen.json"  # zoekindex/delen.json: which groups there are, read by the portal's search page
# What the browser reads of a merged index; the rest of a Pagefind bundle (its scripts, styles and
# WebAssembly) comes from the portal's own index.
MERGED_FILES = ("pagefind-entry.json", "index", "fragment", "filter")
# Pagefind's ready-made interfaces, and the WebAssembly for pages without a language (every page says
# nl): the search pages load none of them, only pagefind.js (with its worker and the nl WebAssembly),
# under an interface of their own (theme/overrides/assets/govsite.js).
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
                "wasm.unknown.pagefind")


class IndexError_(Exception):
    pass


@functools.cache
def _executable() -> list[str]:
    """Pagefind's binary itself: starting it through `python -m pagefind` costs a Python start per index.
    Found as pagefind's own Python module finds it, without importing that module (and asyncio with it)."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return [os.environ["PAGEFIND_BINARY_PATH"]]
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = importlib.import_module(package)
            return [str(Path(module.get_executable()).resolve())]
        except (ImportError, OSError):
            continue
    return [sys.executable, "-m", "pagefind"]  # an other packaging of pagefind: let its module find the binary


START, END = "<!--zoekindex-->", "<!--/zoekindex-->"  # around what Pagefind reads (theme/overrides/main.html)


def extract(text: str) -> str | None:
    """A copy of a page with only what Pagefind reads of it: the language, the title and the part
    between the zoekindex comments (the page's text and its search metadata); None for a page
    without the comments (the search page, 404), which is not indexed at all.

    Pagefind spends about half its time parsing the rest of a page (Material's header, navigation
    and footer), which it then ignores; the index made from these copies is the same, byte for byte
    (tests/test_incremental.py checks it).
    """
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        return None
    head = text[:text.find(">", text.find("<html")) + 1]  # <!doctype html> <html lang="nl" ...>
    title_start, title_end = text.find("<title>"), text.find("</title>")
    title = text[title_start:title_end + len("</title>")] if 0 <= title_start < title_end else ""
    return f'{head}<head><meta charset="utf-8">{title}</head><body>{text[start:end + len(END)]}</body></html>'


def site_pages(site: Path, skip: frozenset[str] | set[str] = frozenset()) -> list[tuple[str, str]]:
    """The site's HTML pages, (path from the site's root, path on disk), sorted, leaving out the
    top-level entries named in skip (the root site: the other sites' folders)."""
    found: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str, top: bool) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if top and entry.name in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/", False)
                elif entry.name.endswith(".html"):
                    found.append((prefix + entry.name, entry.path))

    if site.is_dir():
        walk(str(site), "", True)
    return sorted(found)


RECORD = ".pages.json"  # in a folder of copies: what they were made from (see copies)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _extractor() -> str:
    """This module's own code: copies that another version of extract() made are made again."""
    return _digest(Path(__file__).read_bytes())


def _read_record(target: Path) -> dict[str, Any]:
    try:
        record = json.loads((target / RECORD).read_text(encoding="utf-8"))
        if record.get("extractor") == _extractor() and isinstance(record.get("key"), str) \
                and isinstance(record.get("indexed"), dict) and isinstance(record.get("other"), dict):
            return record
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def copies(folder: Path, name: str, key: str, site: Path,
           skip: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    """The copies of a site's pages (extract), kept between builds in folder/<name>/; returns every
    indexed page (path from the site's root) with a digest of the HTML its copy was made from.

    The record beside the copies holds the key of the site they were made from (cache.site_key)
    and each page's digest. With the site's key unchanged nothing is read; otherwise every page's
    digest is compared, and only the pages whose HTML changed are copied again (a one-page change
    of a site of a thousand pages copies one). The record is removed while the copies change, so a
    build killed halfway leaves copies that the next build makes again in full.
    """
    target = folder / name
    record = _read_record(target)
    if record.get("key") == key:
        return record["indexed"]
    indexed: dict[str, str] = record.get("indexed", {})
    other: dict[str, str] = record.get("other", {})
    if not record:  # none, or not one of this code's copies: what is there cannot be trusted
        shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    (target / RECORD).unlink(missing_ok=True)
    now: dict[str, str] = {}
    now_other: dict[str, str] = {}
    for page, path in site_pages(site, skip):
        with open(path, "rb") as source:
            data = source.read()
        digest = _digest(data)
        if indexed.get(page) == digest:
            now[page] = digest
            continue
        if other.get(page) == digest:
            now_other[page] = digest
            continue
        copy = extract(data.decode("utf-8"))
        if copy is None:
            now_other[page] = digest
            continue
        (target / page).parent.mkdir(parents=True, exist_ok=True)
        (target / page).write_text(copy, encoding="utf-8")
        now[page] = digest
    for page in indexed.keys() - now.keys():  # gone, or no longer indexed
        (target / page).unlink(missing_ok=True)
    replace_file(target / RECORD, json.dumps({"extractor": _extractor(), "key": key, "indexed": now,
                                              "other": now_other}, sort_keys=True).encode())
    return now


GROUP_LINKS = ".groups-"  # in the folder of copies, then a build's pid: the pages of the root's groups
_LEFT_BY = re.compile(r"^\.(?:groups-|.+\.)(?P<pid>[0-9]+)(?:\.new)?$")  # what a build's own process made


def forget_copies(folder: Path, keep: set[str]) -> None:
    """Remove the copies of sites that are no longer built, and what builds that no longer run left."""
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.startswith("."):
                left = _LEFT_BY.match(entry.name)
                if left and not publish.running(int(left.group("pid"))):
                    shutil.rmtree(entry, ignore_errors=True)
            elif entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)


def link_pages(copies_folder: Path, pages: list[str], target: Path) -> Path:
    """A folder of the given pages' copies (hard links into copies_folder), laid out as in the site,
    for Pagefind to index one group of a site's pages as if it were the whole site."""
    shutil.rmtree(target, ignore_errors=True)
    for page in pages:
        (target / page).parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(copies_folder / page, target / page)
        except OSError:
            shutil.copyfile(copies_folder / page, target / page)
    return target


def site_command(pages: Path, site: Path) -> list[str]:
    """Pagefind for one site, from the copies of its pages (copies()): its index in site/pagefind/."""
    return bundle_command(pages, site / PAGEFIND)


def bundle_command(pages: Path, bundle: Path) -> list[str]:
    """Pagefind for every page in the folder `pages` (copies, or a group's links to them), into bundle."""
    return [*_executable(), "--site", str(pages), "--silent", "--output-path", str(bundle)]


def trim_site(site: Path) -> None:
    """Leave out of a site's bundle what its search page never loads."""
    trim_bundle(site / PAGEFIND)


def trim_bundle(bundle: Path) -> None:
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)


def part_command(pages: Path, out: Path, name: str, sites: list[str]) -> list[str]:
    """Pagefind for one group: every page of its sites (the copies of extract(), in pages/<site>/),
    in out/zoekindex/<name>/."""
    return [*_executable(), "--site", str(pages), "--silent", "--glob", "{" + ",".join(sites) + "}/**/*.html",
            "--output-path", str(out / PARTS / name)]


def trim_merged(bundle: Path) -> None:
    """Keep of a group's bundle only what a merged index is read for."""
    for entry in bundle.iterdir():
        if not (entry.name in MERGED_FILES or entry.suffix == ".pf_meta"):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


# A group's index made again starts from its previous one. Pagefind names the files of an index by a
# hash of their content and does not write such a file when it exists already: with one region of the
# group changed, it writes only that region's files. What it no longer uses is
# removed afterwards (prune), so the index is the one a fresh run makes.
HASHED = {"fragment": ".pf_fragment", "index": ".pf_index", "filter": ".pf_filter"}
META = ".pf_meta"  # the list of a language's pages and chunks, at the bundle's root; hash-named too
SIGNATURE = b"pagefind_dcd"  # what Pagefind's binary files start with, before their (gzipped) content


def seed_part(previous: Path, target: Path) -> bool:
    """Hard links in target of the hash-named files of the group's previous index. Pagefind never
    opens an existing one (it checks that the name exists), so the previous output is not written to.
    False, and target empty, where hard links cannot be made (another file system)."""
    target.mkdir(parents=True)
    try:
        for folder in HASHED:
            if (previous / folder).is_dir():
                (target / folder).mkdir()
                for entry in os.scandir(previous / folder):
                    os.link(entry.path, target / folder / entry.name)
        for meta in previous.glob(f"*{META}"):
            os.link(meta, target / meta.name)
    except OSError:
        shutil.rmtree(target)
        target.mkdir()
        return False
    return True


def prune(bundle: Path, previous: Path) -> bool:
    """Remove the hash-named files of a group's index that its pages no longer use (what seed_part
    linked from `previous`). False, with nothing removed, when the index is not as expected: it must
    then be made again from nothing. The checks: the previous index is of the same Pagefind version
    (another may write other bytes under the same name); every file Pagefind wrote in this run (the
    only ones not linked to the previous output) is among those the index uses; and there is a
    fragment for every page."""
    present = {entry.name: entry for entry in os.scandir(bundle) if entry.name.endswith(META)}
    present |= {f"{folder}/{entry.name}": entry for folder in HASHED if (bundle / folder).is_dir()
                for entry in os.scandir(bundle / folder)}
    try:
        entry = _entry(bundle)
        if entry["version"] != _entry(previous)["version"]:
            return False
        used = _used_files(bundle, entry, present)
    except (OSError, ValueError, KeyError, TypeError, EOFError):  # EOFError: a cut-off gzip stream
        return False
    unused = present.keys() - used
    if any(present[file].stat().st_nlink == 1 for file in unused):
        return False  # written by this run, yet not found in the index: not the format read here
    for file in unused:
        os.unlink(present[file].path)
    return True


def fragments(bundle: Path) -> list[Path]:
    """The fragment files of a bundle's pages (one a page, the text Pagefind indexed of it), as its
    index names them: a file the folder holds besides is left out. OSError, ValueError, KeyError,
    TypeError or EOFError when the bundle is not in the format read here."""
    folder = bundle / "fragment"
    present = {f"fragment/{entry.name}": entry for entry in os.scandir(folder)} if folder.is_dir() else {}
    return sorted(bundle / file for file in _used_files(bundle, _entry(bundle), present) if file in present)


def read_fragment(file: Path) -> dict[str, Any]:
    """A page's fragment file: gzip, then SIGNATURE, then JSON with the page's url and the text Pagefind
    indexed of it ("content"). ValueError (or OSError, EOFError) when it is not in that format."""
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{file}: no Pagefind signature")
    return json.loads(data[len(SIGNATURE):])


def _entry(bundle: Path) -> dict[str, Any]:
    return json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))


def _used_files(bundle: Path, entry: dict[str, Any], present) -> set[str]:
    """Of the present hash-named files of an index bundle, those it uses: its languages' meta files
    (named in its pagefind-entry.json, `entry`) and the fragments, chunks and filters those name."""
    used: set[str] = set()
    for language in entry["languages"].values():
        meta = f"pagefind.{language['hash']}{META}"
        data = gzip.decompress((bundle / meta).read_bytes())
        if not data.startswith(SIGNATURE):
            raise ValueError(f"{meta} is not a Pagefind index")
        hashes = {text for text in _cbor_texts(data[len(SIGNATURE):]) if _HASH.fullmatch(text)}
        named = {f"{folder}/{text}{suffix}" for text in hashes for folder, suffix in HASHED.items()}
        found = named & present.keys()
        pages = sum(1 for file in found if file.startswith("fragment/"))
        if pages != language["page_count"]:
            raise ValueError(f"{meta}: found {pages} of {language['page_count']} pages")
        used |= {meta} | found
    return used


_HASH = re.compile(r"[a-z][a-z0-9-]*_[0-9a-f]{7,}")  # nl_2fce82e: a language and a content hash


def _cbor_texts(data: bytes) -> list[str]:
    """Every text string in a CBOR document (RFC 8949), wherever it is nested. CBOR writes an array's
    or map's items right after its head, so reading item heads one after another visits them all."""
    texts, at = [], 0
    while at < len(data):
        major, info = data[at] >> 5, data[at] & 0x1F
        at += 1
        if info < 24:
            value = info
        elif info < 28:  # the value, or a float's bytes, in the next 1, 2, 4 or 8 bytes
            size = 1 << (info - 24)
            value, at = int.from_bytes(data[at:at + size], "big"), at + size
        else:
            raise ValueError("CBOR of indefinite length")
        if major == 3:
            texts.append(data[at:at + value].decode("utf-8"))
        if major in (2, 3):  # byte and text strings: their content follows the head
            at += value
    return texts


@dataclass
class _Run:
    what: str
    process: subprocess.Popen
    output: Any  # a temporary file with what Pagefind printed
    then: Callable[[], None] | None


class Indexer:
    """Runs Pagefind in the background, a few at a time, while the workers go on building sites.

    A Pagefind run spends much of its time waiting rather than computing; run inside a worker, that
    would leave a core idle for every site.
    `cpu_seconds` adds up the CPU time of the runs.
    """

    def __init__(self, limit: int):
        self.limit = max(1, limit)
        self.queue: list[tuple[str, list[str], Callable[[], None] | None]] = []
        self.running: list[_Run] = []
        self.cpu_seconds = 0.0

    def add(self, what: str, command: list[str], then: Callable[[], None] | None = None) -> None:
        self.queue.append((what, command, then))
        self.poll()

    def poll(self) -> bool:
        """Reap finished runs and start queued ones; True while something is left to do."""
        for run in list(self.running):
            if run not in self.running:  # reaped by a poll of the `then` of an earlier run (it added a run)
                continue
            pid, status, usage = os.wait4(run.process.pid, os.WNOHANG)
            if pid == 0:
                continue
            run.process.returncode = os.waitstatus_to_exitcode(status)
            self.running.remove(run)
            self.cpu_seconds += usage.ru_utime + usage.ru_stime
            self._finished(run)
        while self.queue and len(self.running) < self.limit:
            what, command, then = self.queue.pop(0)
            output = tempfile.TemporaryFile()
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            self.running.append(_Run(what, process, output, then))
        return bool(self.queue or self.running)

    def _finished(self, run: _Run) -> None:
        with run.output:
            if run.process.returncode != 0:
                run.output.seek(0)
                printed = run.output.read().decode("utf-8", errors="replace")
                self.stop()
                raise IndexError_(f"Pagefind kon de zoekindex van {run.what} niet maken:\n{printed}")
        if run.then:
            run.then()

    def wait(self) -> None:
        while self.poll():
            time.sleep(0.01)

    def stop(self) -> None:
        """End every run (the build failed)."""
        self.queue.clear()
        for run in self.running:
            run.process.kill()
            run.process.wait()
            run.output.close()
        self.running.clear()


def parts(sites: list[str]) -> dict[str, list[str]]:
    """The groups of sites (the regions) for searching across them all: name -> site names, in order,
    of sizes that differ by one at most (the largest group is what a one-site change waits for)."""
    ids = sorted(sites)
    count = max(1, math.ceil(math.sqrt(len(ids))))
    size, larger = divmod(len(ids), count)
    groups: dict[str, list[str]] = {}
    start = 0
    for number in range(1, count + 1):
        end = start + size + (1 if number <= larger else 0)
        if end > start:
            groups[f"deel-{number}"] = ids[start:end]
        start = end
    return groups


ROOT_GROUP = "hoofd"  # zoekindex/hoofd-N/: the root site's pages after the first group
MOST_PAGE_GROUPS = 12  # a search loads a few files of every group: a phone's limit, whatever the site's size
# How many groups the root site's pages are indexed in; None: about sqrt(pages)/4 (page_groups).
# The groups cut a one-page change's Pagefind run from 3.0 to 0.25 CPU seconds (national data, 9
# groups). Pagefind matches within each merged index on its own: a word an index lacks, it replaces
# there by the longest indexed word that starts it ("gm0344" by "gm": 371 pages instead of 1). The
# search page (theme/overrides/assets/govsite.js) therefore searches each bundle under a filter of
# its own and keeps only the bundles whose best result matched a word that the search vocabulary
# (words.py, zoekindex/woordenlijst/) matches too: the same pages as one index over all of them
# (checked on the national data: "gm0344" 1, "noordwijk" 22, "zienswijze" 424, as one index).
ROOT_PAGE_GROUPS: int | None = None


def page_groups(pages: list[str]) -> list[list[str]]:
    """The root site's pages (paths) in groups for its search: consecutive runs in path order, of
    sizes that differ by one at most; ROOT_PAGE_GROUPS of them, or about sqrt(pages)/4, at most
    MOST_PAGE_GROUPS.

    The first group goes into the root's own bundle (pagefind/), the others into zoekindex/hoofd-N/.
    A change re-indexes the groups of the pages it changed: for 1,300 pages, 9 groups of about 145
    pages, each indexed in about a twelfth of the time of the whole (measured: 0.25 against 3.0 CPU
    seconds), while a search loads about three files more per group."""
    ordered = sorted(pages)
    count = ROOT_PAGE_GROUPS or round(math.sqrt(len(ordered)) / 4)
    count = min(MOST_PAGE_GROUPS, max(1, count))
    size, larger = divmod(len(ordered), count)
    groups, start = [], 0
    for number in range(count):
        end = start + size + (1 if number < larger else 0)
        if end > start:
            groups.append(ordered[start:end])
        start = end
    return groups


def page_group_folder(number: int) -> str:
    """Where group `number` (from 0) of the root site's pages is indexed, from the output's root."""
    return PAGEFIND if number == 0 else f"{PARTS}/{ROOT_GROUP}-{number}"


def write_parts_list(out: Path, names: list[str], vocabulary: str | None = None) -> None:
    """zoekindex/delen.json: the groups the portal's search merges, as paths from the site's root, and
    the search vocabulary (words.py: its folder's name in zoekindex/) when there is one."""
    folder = out / PARTS
    folder.mkdir(exist_ok=True)
    listed = {"delen": [f"{PARTS}/{name}/" for name in names]}
    if vocabulary is not None:
        listed["woordenlijst"] = f"{PARTS}/{vocabulary}/"
    keep = {*names, vocabulary}
    for entry in folder.iterdir():  # what a build that started from an older output (the spare) left
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    # A new file, not written into the old one: that may be the published output's too (a hard link).
    (folder / PARTS_LIST).write_text(json.dumps(listed) + "\n", encoding="utf-8")
