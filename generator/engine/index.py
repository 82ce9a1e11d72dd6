"""Step 6, index: Pagefind search indexes for the region sites and for searching across all regions.

Pagefind reads the built HTML, stems Dutch words (from <html lang="nl">) and writes an index that
the browser loads in small chunks. There are three kinds:

- every region has its own index, in <region>/pagefind/, for the search on the region's site;
- the portal has an index of its own pages, in pagefind/;
- searching all regions from the portal merges, in the browser, the portal's index with a few
  shared indexes (Pagefind's mergeIndex), each over a fixed group of regions: zoekindex/deel-N/.

Why groups: one index over every page would have to be made again, whole, whenever any region
changes (Pagefind cannot add to an index), about two seconds for 42 regions. Merging every region's
own index instead would cost a phone one download per region for each search. With about
sqrt(regions) groups of about sqrt(regions) regions, a change re-indexes one small group, and a
search loads one small chunk per group. The groups are consecutive runs of region ids of equal size;
adding or removing a region (rare, unlike an edit) may move others to a neighbouring group.

A region's own search could use its group's index with a Pagefind filter on the region, which would
save indexing every region page twice; but Pagefind writes its filter index in a different order on
every run (Pagefind issue #638), and govsite's output must be the same bytes for the same input.
"""
from __future__ import annotations

import functools
import gzip
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

from .spec import PAGEFIND, SEARCH_GROUPS as PARTS  # zoekindex/deel-N/: the groups' indexes
PARTS_LIST = "delen.json"  # zoekindex/delen.json: which groups there are, read by the portal's search page
# What the browser reads of a merged index; the rest of a Pagefind bundle (its scripts, styles and
# WebAssembly) comes from the portal's own index.
MERGED_FILES = ("pagefind-entry.json", "index", "fragment", "filter")
# Pagefind's other interfaces, and the WebAssembly for pages without a language (every page says nl):
# the search pages load none of them (theme/overrides/assets/govsite.js).
UNUSED_FILES = ("pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-modular-ui.js",
                "pagefind-modular-ui.css", "pagefind-highlight.js", "wasm.unknown.pagefind")


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


def extract(site: Path, target: Path) -> None:
    """Copies of the site's pages with only what Pagefind reads of them: the language, the title and
    the part between the zoekindex comments (the page's text and its search metadata).

    Pagefind spends about half its time parsing the rest of a page (Material's header, navigation
    and footer), which it then ignores; the index made from these copies is the same, byte for byte
    (tests/test_incremental.py checks it). A page without the comments (the search page, 404) is
    not indexed at all, so it is left out.
    """
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        start, end = text.find(START), text.find(END)
        if start < 0 or end < start:
            continue
        head = text[:text.find(">", text.find("<html")) + 1]  # <!doctype html> <html lang="nl" ...>
        title_start, title_end = text.find("<title>"), text.find("</title>")
        title = text[title_start:title_end + len("</title>")] if 0 <= title_start < title_end else ""
        copy = target / page.relative_to(site)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(f'{head}<head><meta charset="utf-8">{title}</head><body>'
                        f'{text[start:end + len(END)]}</body></html>', encoding="utf-8")


KEY_FILE = ".key"  # in a folder of copies: the key of the site they were made from


def copies(folder: Path, name: str, key: str, site: Path) -> Path:
    """The copies of a site's pages (extract), kept between builds in folder/<name>/ and made again
    only when the site's key (cache.site_key: what its pages were built from) changed."""
    target = folder / name
    try:
        if (target / KEY_FILE).read_text(encoding="utf-8") == key:
            return target
    except OSError:
        pass
    fresh = folder / f".{name}.{os.getpid()}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    extract(site, fresh)
    (fresh / KEY_FILE).write_text(key, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(fresh, target)
    return target


def forget_copies(folder: Path, keep: set[str]) -> None:
    """Remove the copies of sites that are no longer built."""
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name not in keep and not entry.name.startswith("."):
                shutil.rmtree(entry, ignore_errors=True)


def site_command(pages: Path, site: Path) -> list[str]:
    """Pagefind for one site (a region, or the portal's own pages), from the copies of its pages made
    by extract(): its index in site/pagefind/."""
    return [*_executable(), "--site", str(pages), "--silent", "--output-path", str(site / PAGEFIND)]


def trim_site(site: Path) -> None:
    """Leave out of a site's bundle what its search page never loads."""
    for name in UNUSED_FILES:
        (site / PAGEFIND / name).unlink(missing_ok=True)


def part_command(pages: Path, out: Path, name: str, sites: list[str]) -> list[str]:
    """Pagefind for one group: every page of its sites (the copies of extract(), in pages/<site>/),
    in out/zoekindex/<name>/."""
    return [*_executable(), "--site", str(pages), "--silent", "--glob", "{" + ",".join(sites) + "}/**/*.html",
            "--output-path", str(out / PARTS / name)]


def trim_part(out: Path, name: str) -> None:
    """Keep of a group's bundle only what a merged index is read for."""
    for entry in (out / PARTS / name).iterdir():
        if not (entry.name in MERGED_FILES or entry.suffix == ".pf_meta"):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


# A group's index made again starts from its previous one. Pagefind names the files of an index by a
# hash of their content and does not write such a file when it exists already: with one region of the
# group changed, it writes only that region's files. What it no longer uses is
# removed afterwards (prune_part), so the index is the one a fresh run makes.
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


def prune_part(out: Path, name: str, previous: Path) -> bool:
    """Remove the hash-named files of a group's index that its pages no longer use (what seed_part
    linked from `previous`). False, with nothing removed, when the index is not as expected: it must
    then be made again from nothing. The checks: the previous index is of the same Pagefind version
    (another may write other bytes under the same name); every file Pagefind wrote in this run (the
    only ones not linked to the previous output) is among those the index uses; and there is a
    fragment for every page."""
    bundle = out / PARTS / name
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


def write_parts_list(out: Path, names: list[str]) -> None:
    """zoekindex/delen.json: the groups the portal's search merges, as paths from the site's root."""
    folder = out / PARTS
    folder.mkdir(exist_ok=True)
    for entry in folder.iterdir():  # what a build that started from an older output (the spare) left
        if entry.name not in names:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    # A new file, not written into the old one: that may be the published output's too (a hard link).
    (folder / PARTS_LIST).write_text(json.dumps({"delen": [f"{PARTS}/{name}/" for name in names]}) + "\n",
                                     encoding="utf-8")
