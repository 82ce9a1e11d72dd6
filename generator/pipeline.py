"""The steps in order: load -> validate -> model, shared by every command that reads regions.

With a cache folder, `check` keeps the result of each region (its loaded documents, findings and
typed files) and takes a region whose files are byte for byte what they were from the cache instead
of loading, validating and modelling it again. A region's result depends only on its own folder,
the municipality list, the date, where it is shown from (the working directory and the regions
folder) and the generator's own code, so all of that is its key. The same goes for the files at the
top (municipalities.yaml with its validation, register-links.yaml) and for the registry, whose key
holds the links file and which folders have a register.yaml: an edit to a full region leaves it as
it was, and an edit to one register.yaml makes that entry again, not the registry (_Registers keeps
each entry with its region's key). What a result holds is read back only when something looks into it
(PackedWhenPickled): an unchanged region costs its key and its findings. A cache file that is
missing, unreadable or made by other code is ignored: the region is then checked in full. The files
hold pickles, which run code when read: each file's index is sealed with this user's key
(cache.seal) and holds the digest of every packed part behind it; an index that does not unseal
(written by anyone but govsite itself) and a part that does not match its digest are never unpickled.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import pickle
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from .site import outputs
from . import collector
from .engine.cache import add, replace_file, seal, unseal
from .domain.findings import Finding, display_path
from .domain.load import (MAX_FILE_BYTES, READ_SO_FAR, REGISTER_LINKS_FILE, Document, PackedWhenPickled,
                          RegionFiles, Size, Sources, load_region, load_sources, load_yaml, resolved_root)
from .domain.model import Gap, Municipalities, Region, build_regions
from .domain.pickling import unpacked_on_use
from .domain.register import (NO_RELATIONS, MatchFacts, Registry, RegisterEntry, Relations, checked_links, entry_of,
                              match_facts, predecessors_of, related, relations)
from .domain.validate import ValidRegion, Validation, links_of, validate, validate_files, validate_municipalities


@dataclass
class Checked:
    sources: Sources
    validation: Validation
    regions: list[Region]
    findings: list[Finding]  # errors and gaps, sorted
    # the folders whose register.yaml is in validation.registry (known without looking into it)
    registered: frozenset[str] = field(default_factory=frozenset)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def gap_finding(files: RegionFiles, gap: Gap) -> Finding:
    """Place a gap at the line it is about, or at the file that is missing."""
    doc = None
    if gap.file == "region.yaml":
        doc = files.region
    elif gap.file.endswith(".yaml"):
        doc = files.topics.get(gap.file.removesuffix(".yaml"))
    if doc is not None:
        return doc.finding(gap.loc, gap.finding_message, severity="gap")
    return Finding(display_path(files.folder / gap.file), 0, 0, "gap", gap.finding_message)


def _data_present(sources: Sources) -> dt.date | None:
    """The latest date on which a version of an agreement took effect: the present the data describes.

    Read from the documents already loaded (with the loader's limits), so nothing is parsed twice."""
    latest = None
    for region in sources.regions:
        for doc in region.agreements:
            versions = doc.data.get("versions") if isinstance(doc.data, dict) else None
            for version in versions if isinstance(versions, list) else []:
                effective = version.get("effective") if isinstance(version, dict) else None
                if isinstance(effective, dt.date) and (latest is None or effective > latest):
                    latest = effective
    return latest


def check_view(root: Path, only: list[str] | None, on: dt.date, look_back: bool,
               cache: Path | None = None, reuse: bool = True, skip: tuple[Path, ...] = ()) -> Checked:
    """Check the data for a site that shows the regions as they stood on `on`.

    decisions.yaml has no dates: it describes the present. A look back (--as-of) must not fail
    because a decision's basis took effect after that date, so then the data is checked on its own
    present (the latest date an agreement version took effect). The pages still show `on`.
    """
    checked = check(root, only, on, cache, reuse, skip)
    if look_back and checked.errors:
        present = _data_present(checked.sources)
        if present and present > on:
            checked = check(root, only, present, cache, reuse, skip)
    return checked


def check(root: Path, only: list[str] | None, on: dt.date, cache: Path | None = None,
          reuse: bool = True, skip: tuple[Path, ...] = ()) -> Checked:
    """Load, validate and model the regions under root (or the named ones) as on the date `on`.

    With a cache folder, unchanged regions come from the cache (see the module docstring); with
    reuse off, every region is checked and the cache is filled afresh. skip: folders under root that
    are no region (the build's own output folder; load_sources).
    """
    with collector.paused():
        if cache is not None:
            return _RegionCache(Path(cache), Path(root), on, reuse).check(only, skip)
        sources = load_sources(Path(root), only, skip=skip)
        validation = validate(sources, on, outputs.reserved())
        regions = build_regions(validation)
        findings = list(validation.findings)
        for region in regions:
            findings += [gap_finding(region.files.files, g) for g in region.state(on).gaps]
        return Checked(sources, validation, regions, sorted(set(findings)), frozenset(validation.registry.entries))


# --- the check cache -----------------------------------------------------------------------

CACHE_FORMAT = 4
_KEEP = 2  # results kept per region: a look back (--as-of) checks on two dates
_REGISTRY = "registry.sealed"  # the registry's file in the cache folder, beside one *.pickle per region
_BUCKETS = 32  # the registry's entries are kept in this many parts (_Registers)


@dataclass
class _Result(PackedWhenPickled):
    """What checking one region folder gave; stored in the cache. Its register entry is read back
    only when the registry has to be made again without the registry's own file (_Registers)."""

    _packed_fields = ("entry",)

    files: RegionFiles
    loaded: list[Finding]  # the loader's findings for this folder
    findings: list[Finding]  # validation findings (errors and placeholders)
    valid: ValidRegion | None
    gaps: list[Finding]
    registered: bool  # register.yaml has no errors: it is in the registry
    entry: RegisterEntry | None  # register.yaml as a registry entry without relations, when registered (packed)


@dataclass
class _Bucket(PackedWhenPickled):
    """Some of the registry's entries, without their relations (_Registers)."""

    _packed_fields = ("entries",)

    entries: dict[str, RegisterEntry]


def _bucket(id: str) -> int:
    return hashlib.blake2b(id.encode(), digest_size=4).digest()[0] % _BUCKETS


@dataclass
class _Registers(PackedWhenPickled):
    """The registry as the cache keeps it. Each entry without relations, in one of _BUCKETS parts, with
    the key of the region it came from and what matching reads of it (MatchFacts): when one register.yaml
    changed, its entry is the only one made again, the matching runs on the facts alone, and only its
    bucket is pickled again (a bucket that was not unpacked is written back as it was read)."""

    _packed_fields = ("facts", "relations")

    keys: dict[str, bytes | None]  # region with a register.yaml -> its key (None: changed while read)
    links: tuple  # validate.links_of: register-links.yaml typed, and what is wrong with it on its own
    found: list[Finding]  # what is wrong with register-links.yaml (validate.registry_of's findings)
    predecessors: dict[str, tuple[str, ...]]
    buckets: list[_Bucket]
    facts: dict[str, MatchFacts]  # every entry's (no default: packed)
    relations: dict[str, Relations]  # of every entry that has any

    def registry(self) -> Registry:
        """The registry, its entries assembled when it is first looked into."""
        def entries() -> tuple:
            found: dict[str, RegisterEntry] = {}
            for bucket in self.buckets:
                found.update(bucket.entries)
            return ({id: related(e, self.relations.get(id, NO_RELATIONS)) for id, e in sorted(found.items())},
                    self.predecessors)

        return unpacked_on_use(Registry, {}, entries)


# A cache file holds a sealed index, then the packed parts (PackedWhenPickled) of its entries: each
# entry's result is pickled without them, and checked against its digest in the index when the entry
# is looked up (a mismatch is a miss), but unpickled only when the result first looks into it: most of
# what a check reads back is never looked into again.

class _Part:
    """A packed part on its way into a cache file (_Pickler)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data


class _Pickler(pickle.Pickler):
    """Pickles a result with the packed parts of its objects set apart, and the paths in its region
    folder by their place in it (a region is only read back from the same folder: its key)."""

    def __init__(self, file, folder: Path | None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.parts: list[bytes] = []
        self.folder = str(folder) if folder is not None else None

    @classmethod
    def dumps(cls, result: Any, folder: Path | None = None) -> tuple[bytes, list[bytes]]:
        out = io.BytesIO()
        pickler = cls(out, folder)
        pickler.dump(result)
        return out.getvalue(), pickler.parts

    def reducer_override(self, obj):
        if isinstance(obj, PackedWhenPickled):
            stored = obj.__dict__.get("_packed")
            if type(stored) is _StoredPart:  # never unpacked since it was read: its bytes as they were
                function, (kind, eager, packed) = obj.packed_reduce(bytes(stored.data))
            else:
                function, (kind, eager, packed) = obj.__reduce__()
            return function, (kind, eager, _Part(packed))
        return NotImplemented

    def persistent_id(self, obj):
        if type(obj) is _Part:
            self.parts.append(obj.data)
            return len(self.parts) - 1
        if self.folder is not None and isinstance(obj, PurePath):  # rebuilt from the folder: much cheaper
            text = str(obj)
            if text == self.folder:
                return ("folder",)
            if text.startswith(self.folder + os.sep):
                return ("in folder", text[len(self.folder) + 1:])
        return None


class _StoredPart:
    """A packed part as read from a cache file, its bytes already checked against the sealed digest
    (_lookup): unpacked only when the result first looks into it."""

    __slots__ = ("data",)

    def __init__(self, data: memoryview):
        self.data = data

    def __call__(self) -> tuple:
        return pickle.loads(self.data)


class _Unpickler(pickle.Unpickler):
    def __init__(self, blob: bytes, parts: list[_StoredPart], folder: Path | None):
        super().__init__(io.BytesIO(blob))
        self.parts, self.folder = parts, folder

    def persistent_load(self, pid):
        if isinstance(pid, int):
            return self.parts[pid]
        if self.folder is None:
            raise pickle.UnpicklingError("a path in a region folder, but no folder")
        return self.folder if pid == ("folder",) else self.folder / pid[1]


@dataclass
class _TopFile:
    """A file at the top of the regions folder as the loader read it; for municipalities.yaml also
    what validating it gave. Stored in the cache as <name>.sealed."""

    doc: Document | None
    findings: list[Finding]
    size: Size  # what reading it took (load.READ_SO_FAR)
    validated: tuple[list, list[Finding]] | None = None  # validate_municipalities' result


@functools.lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """The generator's own code and the libraries that decide what a check finds."""
    import pydantic
    import pydantic_core
    import yaml

    h = hashlib.blake2b()
    package = Path(__file__).resolve().parent  # the whole package: every subpackage's modules too
    for path in sorted(package.rglob("*.py")):
        add(h, path.relative_to(package).as_posix(), path.read_bytes())
    add(h, "versions", f"{CACHE_FORMAT} {sys.version} {pydantic.VERSION} {pydantic_core.__version__} "
                        f"{yaml.__version__} {yaml.__with_libyaml__}".encode())
    return h.digest()


def _file(h, path: str | Path, label: str, size: int | None = None) -> None:
    """A file as the loader sees it: its bytes, or why it cannot be read (a file over the loader's
    limit only by its size, which is all the loader looks at). size: its size, when known."""
    try:
        size = os.stat(path).st_size if size is None else size
        if size > MAX_FILE_BYTES:
            add(h, label, b"size %d" % size)
        else:
            with open(path, "rb") as file:
                add(h, label, file.read())
    except OSError as err:
        add(h, label, f"unreadable {err.errno}".encode())


def _folder(h, folder: str, linked: bool, depth: int = 0) -> None:
    """Every entry of a region folder (and of its agreements/) by name and kind, and the bytes of
    its YAML files. Through a symbolic link also where the entry really is: the loader refuses
    files outside the regions folder."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        add(h, "folder", f"unreadable {err.errno}".encode())
        return
    for entry in entries:
        link = entry.is_symlink()
        try:
            info = entry.stat()  # follows a link, as is_file() and is_dir() do
            kind = stat.S_IFMT(info.st_mode)
        except OSError:
            kind = -1
        real = os.path.realpath(entry.path) if linked or link else ""
        add(h, "entry", f"{entry.name}\0{kind}\0{link}\0{real}".encode())
        if entry.name.startswith("."):
            continue  # the loader skips hidden entries (only their number counts in agreements/)
        if kind == stat.S_IFREG and entry.name.endswith((".yaml", ".yml")):
            _file(h, entry.path, entry.name, info.st_size)
        elif kind == stat.S_IFDIR and depth == 0 and entry.name == "agreements":
            _folder(h, entry.path, linked or link, depth + 1)


class _RegionCache:
    """One check with a cache folder: one file per region, holding its latest results, and one for
    the registry."""

    def __init__(self, folder: Path, root: Path, on: dt.date, reuse: bool = True):
        self.folder = folder
        self.root = root
        self.on = on
        self.reuse = reuse
        self.reserved = frozenset(outputs.reserved())
        self.stored: dict[str | Path, list] = {}  # cache file -> its entries, as read
        self.hits: dict[str, _Result] = {}  # region folder -> result from the cache
        self.misses: dict[str, tuple[str, list[Finding]]] = {}  # -> cache file, loader findings
        self.keys: dict[str, bytes | None] = {}  # region folder -> its key; None: it changed while read
        self.top: dict[str, tuple[_TopFile, bytes | None, bool]] = {}  # file name -> it, its key, from the cache
        self.shared: bytes | None = None  # the key's part that all regions share

    def _shared_key(self) -> bytes:
        """What every region's result depends on besides its own folder."""
        if self.shared is not None:
            return self.shared
        real_root = resolved_root(self.root)  # as load_sources has it
        h = hashlib.blake2b(_code_digest())
        add(h, "on", self.on.isoformat().encode())
        add(h, "reserved", "\0".join(sorted(self.reserved)).encode())  # folder names no region may have
        add(h, "shown from", f"{os.getcwd()}\0{self.root}\0{real_root}".encode())
        mfile = self.root / "municipalities.yaml"
        add(h, "municipalities at", f"{mfile.is_file()}\0{os.path.realpath(mfile)}".encode())
        _file(h, mfile, "municipalities")
        self.shared = h.digest()
        return self.shared

    def _key(self, folder: Path) -> bytes:
        h = hashlib.blake2b(self._shared_key())
        name = str(folder)
        linked = os.path.islink(name)
        add(h, "region", f"{name}\0{linked}\0{os.path.realpath(name) if linked else ''}".encode())
        _folder(h, name, linked)
        return h.digest()

    @staticmethod
    def _name(folder: Path) -> str:
        """The name of a region's cache file."""
        return f"{hashlib.blake2b(folder.name.encode(), digest_size=16).hexdigest()}.pickle"

    def _path(self, folder: Path) -> str:
        return os.path.join(self.folder, self._name(folder))  # a string: one per region, only opened

    def _read(self, path: str | Path) -> list:
        """The entries of a cache file (_store); [] when there is none that fits."""
        try:
            with open(path, "rb") as file:
                data = file.read()
            size = int.from_bytes(data[:8], "big")
            index = unseal(data[8:8 + size], "check")
            if index is None:  # not written by govsite for this user: never unpickled
                return []
            stored = pickle.loads(index)
            body = memoryview(data)[8 + size:]
            if isinstance(stored, dict) and stored.get("format") == CACHE_FORMAT:
                return [(key, code, blob, [(body[start:start + length], digest) for start, length, digest in spans])
                        for key, code, blob, spans in stored["entries"]
                        if all(start + length <= len(body) for start, length, _ in spans)]
        except Exception:  # missing, cut short, or written by other code: check in full
            pass
        return []

    def _lookup(self, path: str | Path, key: bytes | None, kind: type, folder: Path | None = None,
                newest: bool = False) -> Any:
        """What the cache file holds under key, if it is a `kind`; else None. folder: the region's.
        newest: without key, the latest entry that this code wrote."""
        if key is None and not newest or not self.reuse:
            return None
        entries = self.stored.setdefault(path, self._read(path))
        code = _code_digest()
        for stored_key, stored_code, blob, parts in entries:
            if (stored_code == code) if newest else (stored_key == key):
                # Checked now, not when a part is unpacked: a part changed after govsite wrote it (a damaged
                # disk, another program) then only means a full check of the region, never a failed build.
                if any(hashlib.blake2b(data, digest_size=32).digest() != digest for data, digest in parts):
                    return None
                try:
                    result = _Unpickler(blob, [_StoredPart(data) for data, _ in parts], folder).load()
                except Exception:
                    return None
                return result if isinstance(result, kind) else None
        return None

    def _store(self, path: str | Path, key: bytes | None, result: Any, folder: Path | None = None) -> None:
        """Write result under key into the cache file, with the latest entries of the same code."""
        if key is None:
            return
        try:
            blob, parts = _Pickler.dumps(result, folder)
            code = _code_digest()
            entries = [(key, code, blob, [(data, hashlib.blake2b(data, digest_size=32).digest()) for data in parts])]
            entries += [e for e in self.stored.get(path, []) if e[0] != key and e[1] == code][:_KEEP - 1]
            index, body, offset = [], [], 0
            for stored_key, stored_code, stored_blob, stored_parts in entries:
                spans = []
                for data, digest in stored_parts:
                    spans.append((offset, len(data), digest))
                    body.append(data)
                    offset += len(data)
                index.append((stored_key, stored_code, stored_blob, spans))
            sealed = seal(pickle.dumps({"format": CACHE_FORMAT, "entries": index}, protocol=pickle.HIGHEST_PROTOCOL),
                          "check")
            if sealed is not None:
                replace_file(Path(path), len(sealed).to_bytes(8, "big") + sealed + b"".join(body))
                self.stored[path] = entries
        except Exception:  # a cache that cannot be written only makes the next check slower
            pass

    def _file_key(self, path: Path, display: str) -> bytes:
        h = hashlib.blake2b(self._shared_key())
        add(h, "file", f"{path}\0{display}".encode())
        _file(h, path, "bytes")
        return h.digest()

    def load_file(self, path: Path, display: str) -> tuple[Document | None, list[Finding]]:
        """load_yaml for a file at the top of the regions folder, or the document as it was when the
        file was the same; what reading it took counts all the same (load_sources' limits)."""
        read, cache_file, key = READ_SO_FAR.get(), self.folder / f"{path.stem}.sealed", self._file_key(path, display)
        top = self._lookup(cache_file, key, _TopFile)
        if top is not None and (read is None or (read + top.size).over() is None):
            if read is not None:
                total = read + top.size
                read.files, read.bytes, read.values = total.files, total.bytes, total.values
            self.top[path.name] = (top, key, True)
            return top.doc, list(top.findings)
        before = Size() if read is None else Size(read.files, read.bytes, read.values)
        doc, found = load_yaml(path, display)
        size = read - before if read is not None else Size()
        top = _TopFile(doc, found, size)
        self.top[path.name] = (top, key if self._file_key(path, display) == key else None, False)
        if path.name != "municipalities.yaml":  # that one is stored once it is validated too (check)
            self._store(cache_file, self.top[path.name][1], top)
        return doc, found

    def _municipalities(self, sources: Sources) -> tuple[list, list[Finding]]:
        """validate_municipalities, or what it gave when municipalities.yaml and the date were the same."""
        stored = self.top.get("municipalities.yaml")
        if stored is None or sources.municipalities is None:
            return validate_municipalities(sources.municipalities, self.on)
        top, key, hit = stored
        if hit and top.validated is not None:
            return top.validated
        top.validated = validate_municipalities(sources.municipalities, self.on)
        self._store(self.folder / "municipalities.sealed", key, top)
        return top.validated

    def load_region(self, folder: Path, real_root: Path | None, findings: list[Finding]) -> RegionFiles:
        """load.load_region, or the region as it was when its files were the same."""
        path, key = self._path(folder), self._key(folder)
        result = self._lookup(path, key, _Result, folder)
        if result is not None:
            self.hits[str(folder)] = result
            self.keys[str(folder)] = key
            findings += result.loaded
            return result.files
        loaded: list[Finding] = []
        files = load_region(folder, real_root, loaded)
        findings += loaded
        # A file saved while it was being read: what was read may not be what the key describes.
        self.keys[str(folder)] = key if self._key(folder) == key else None
        self.misses[str(folder)] = (path, loaded)
        return files

    def _registry_key(self, sources: Sources, only: list[str] | None) -> bytes | None:
        """What the registry depends on besides the register.yaml files themselves (_Registers.keys holds
        those, by their regions' keys): register-links.yaml, and which folders have a register.yaml at
        all (the links file may name a folder that was not checked). None when the folder is unreadable."""
        h = hashlib.blake2b(self._shared_key())
        add(h, "only", "\0".join(only).encode() if only is not None else b"all")
        links = self.root / REGISTER_LINKS_FILE
        add(h, "links at", f"{links.is_file()}\0{os.path.realpath(links)}".encode())
        _file(h, links, "links")
        read = {files.id: files for files in sources.regions}
        try:
            names = sorted(os.listdir(self.root))
        except OSError:
            return None
        for name in names:
            files = read.get(name)
            if files is not None and files.register is not None:
                add(h, "register", name.encode())
            else:
                add(h, f"none {name}", str(os.path.isfile(os.path.join(self.root, name, "register.yaml"))).encode())
        return h.digest()

    def _registry(self, sources: Sources, only: list[str] | None, results: dict[str, _Result],
                  municipalities: list) -> tuple[Registry, list[Finding]]:
        """validate.registry_of, from the cache: as it was when everything it depends on was the same, else
        made again from the entries of the register.yaml files that did not change (_Registers), as the
        registry of the same key kept them, or else the latest one (an entry depends only on its file)."""
        path = self.folder / _REGISTRY
        key = self._registry_key(sources, only)
        keys = {files.id: self.keys.get(str(files.folder)) for files in sources.regions if files.register is not None}
        stored = self._lookup(path, key, _Registers)
        if stored is not None and stored.keys == keys and None not in keys.values():
            return stored.registry(), stored.found
        # The links file or the folders changed: the entries kept are good all the same (by their keys).
        links = stored.links if stored is not None else links_of(sources.register_links, self.on)
        if stored is None:
            stored = self._lookup(path, None, _Registers, newest=True)
        if stored is not None and len(stored.buckets) != _BUCKETS:
            stored = None
        registered = {files.id: results[str(files.folder)] for files in sources.regions
                      if results[str(files.folder)].registered}
        if stored is not None:  # the register.yaml files whose region has the same key gave the same entry
            same = {id for id, k in keys.items() if k is not None and stored.keys.get(id) == k}
            facts = {id: f for id, f in stored.facts.items() if id in same and id in registered}
            fresh = {id: result.entry for id, result in registered.items() if id not in facts}
            gone = set(stored.facts) - set(facts)
            buckets = list(stored.buckets)
            for index in {_bucket(id) for id in fresh.keys() | gone}:
                entries = {id: e for id, e in buckets[index].entries.items() if id not in gone}
                buckets[index] = _Bucket({**entries, **{id: e for id, e in fresh.items() if _bucket(id) == index}})
        else:
            facts = {}
            fresh = {id: result.entry for id, result in registered.items()}
            buckets = [_Bucket({}) for _ in range(_BUCKETS)]
            for id, entry in sorted(fresh.items()):
                buckets[_bucket(id)].entries[id] = entry
        for id, entry in fresh.items():
            facts[id] = match_facts(entry, self.on)
        pairs, excluded, found = checked_links(links[0], {id: f.is_division for id, f in facts.items()})
        record = _Registers(keys=keys, links=links, found=links[1] + found, predecessors=predecessors_of(municipalities),
                            buckets=buckets, facts=facts, relations=relations(facts, pairs, excluded))
        self._store(path, key if None not in keys.values() else None, record)
        return record.registry(), record.found

    def _forget_others(self, sources: Sources) -> None:
        """Remove the cache files of regions that are gone, so the cache does not grow forever."""
        keep = {self._name(files.folder) for files in sources.regions}
        try:
            for name in os.listdir(self.folder):
                if name.endswith(".pickle") and name not in keep:
                    os.unlink(os.path.join(self.folder, name))
        except OSError:
            pass

    def check(self, only: list[str] | None, skip: tuple[Path, ...] = ()) -> Checked:
        sources = load_sources(self.root, only, region_loader=self.load_region, skip=skip,
                               file_loader=self.load_file)
        municipalities, found = self._municipalities(sources)
        by_code = {m.code: m for m in municipalities}
        shared = Municipalities(by_code)
        findings = list(sources.findings) + found
        names = {m.code: m.name for m in municipalities}  # as register.entries_of has them
        results: dict[str, _Result] = {}
        for files in sources.regions:
            result = self.hits.get(str(files.folder))
            if result is None:  # its gaps follow once the registry is known
                region_findings, v, register = validate_files(files, sources.findings, by_code, self.on,
                                                              self.reserved)
                result = _Result(files, self.misses[str(files.folder)][1], region_findings, v, [],
                                 register is not None, entry_of(register, names) if register is not None else None)
            results[str(files.folder)] = result
            findings += result.findings
        registry, found = self._registry(sources, only, results, municipalities)
        findings += found
        valid: list[ValidRegion] = []
        regions: list[Region] = []
        gaps: list[Finding] = []
        for files in sources.regions:
            result = results[str(files.folder)]
            region = None
            if result.valid is not None:
                # Only an adopted region (register.yaml beside region.yaml) looks into the registry.
                region = Region.of(result.valid, shared, registry.get(files.id) if result.registered else None)
                valid.append(result.valid)
                regions.append(region)
            if str(files.folder) in self.misses:
                # A region's gaps ask its register entry only for its members, which come from its own
                # register.yaml: the region's key covers them, so they are kept with its result.
                result.gaps = [gap_finding(files, g) for g in region.state(self.on).gaps] if region else []
                path = self.misses[str(files.folder)][0]
                self._store(path, self.keys[str(files.folder)], result, files.folder)
            gaps += result.gaps
        validation = Validation(findings=sorted(set(findings)), municipalities=municipalities, regions=valid,
                                registry=registry)
        # As build_regions does, by id; a valid region's id is its folder's name (a rule of validate),
        # which does not unpack the typed files of a region read from the cache.
        regions.sort(key=lambda r: r.files.files.id)
        if only is None:
            self._forget_others(sources)
        registered = frozenset(files.id for files in sources.regions if results[str(files.folder)].registered)
        return Checked(sources, validation, regions, sorted(set(validation.findings + gaps)), registered)
