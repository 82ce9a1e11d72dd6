"""The steps in order: load -> validate -> model, shared by every command that reads regions.

With a cache folder, `check` keeps the result of each region (its loaded documents, findings and
typed files) and takes a region whose files are byte for byte what they were from the cache instead
of loading, validating and modelling it again. A region's result depends only on its own folder,
the municipality list, the date, where it is shown from (the working directory and the regions
folder) and the generator's own code, so all of that is its key. A cache file that is missing,
unreadable or made by other code is ignored: the region is then checked in full. The files are
pickles, which run code when read: each is sealed with this user's key (cache.seal), and one that
does not unseal (written by anyone but govsite itself) is never unpickled.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from .site import outputs
from . import collector
from .engine.cache import add, replace_file, seal, unseal
from .domain.findings import Finding, display_path
from .domain.load import MAX_FILE_BYTES, RegionFiles, Sources, load_region, load_sources
from .domain.model import Gap, Municipalities, Region, build_regions
from .domain.register_schema import RegisterFile
from .domain.validate import (ValidRegion, Validation, registry_of, validate, validate_municipalities,
                              validate_region, validate_register)


@dataclass
class Checked:
    sources: Sources
    validation: Validation
    regions: list[Region]
    findings: list[Finding]  # errors and gaps, sorted

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
        return Checked(sources, validation, regions, sorted(set(findings)))


# --- the check cache -----------------------------------------------------------------------

CACHE_FORMAT = 2
_KEEP = 2  # results kept per region: a look back (--as-of) checks on two dates


@dataclass
class _Result:
    """What checking one region folder gave; stored in the cache."""

    files: RegionFiles
    loaded: list[Finding]  # the loader's findings for this folder
    findings: list[Finding]  # validation findings (errors and placeholders)
    valid: ValidRegion | None
    gaps: list[Finding]
    register: RegisterFile | None = None  # register.yaml typed, when it has no errors


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


def _file(h, path: Path, label: str) -> None:
    """A file as the loader sees it: its bytes, or why it cannot be read (a file over the loader's
    limit only by its size, which is all the loader looks at)."""
    try:
        size = path.stat().st_size
        add(h, label, b"size %d" % size if size > MAX_FILE_BYTES else path.read_bytes())
    except OSError as err:
        add(h, label, f"unreadable {err.errno}".encode())


def _folder(h, folder: Path, linked: bool, depth: int = 0) -> None:
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
            kind = stat.S_IFMT(entry.stat().st_mode)  # follows a link, as is_file() and is_dir() do
        except OSError:
            kind = -1
        real = os.path.realpath(entry.path) if linked or link else ""
        add(h, "entry", f"{entry.name}\0{kind}\0{link}\0{real}".encode())
        if entry.name.startswith("."):
            continue  # the loader skips hidden entries (only their number counts in agreements/)
        if kind == stat.S_IFREG and entry.name.endswith((".yaml", ".yml")):
            _file(h, Path(entry.path), entry.name)
        elif kind == stat.S_IFDIR and depth == 0 and entry.name == "agreements":
            _folder(h, Path(entry.path), linked or link, depth + 1)


class _RegionCache:
    """One check with a cache folder: one file per region, holding its latest results."""

    def __init__(self, folder: Path, root: Path, on: dt.date, reuse: bool = True):
        self.folder = folder
        self.root = root
        self.on = on
        self.reuse = reuse
        self.stored: dict[Path, list] = {}  # cache file -> its entries, as read
        self.hits: dict[str, _Result] = {}  # region folder -> result from the cache
        self.misses: dict[str, tuple[Path, bytes | None, list[Finding]]] = {}  # -> cache file, key, loader findings
        self.shared: bytes | None = None  # the key's part that all regions share

    def _shared_key(self, real_root: Path | None) -> bytes:
        """What every region's result depends on besides its own folder."""
        h = hashlib.blake2b(_code_digest())
        add(h, "on", self.on.isoformat().encode())
        add(h, "reserved", "\0".join(sorted(outputs.reserved())).encode())  # folder names no region may have
        add(h, "shown from", f"{os.getcwd()}\0{self.root}\0{real_root}".encode())
        mfile = self.root / "municipalities.yaml"
        add(h, "municipalities at", f"{mfile.is_file()}\0{os.path.realpath(mfile)}".encode())
        _file(h, mfile, "municipalities")
        return h.digest()

    def _key(self, folder: Path, real_root: Path | None) -> bytes:
        if self.shared is None:
            self.shared = self._shared_key(real_root)
        h = hashlib.blake2b(self.shared)
        linked = folder.is_symlink()
        add(h, "region", f"{folder}\0{linked}\0{os.path.realpath(folder) if linked else ''}".encode())
        _folder(h, folder, linked)
        return h.digest()

    def _path(self, folder: Path) -> Path:
        return self.folder / f"{hashlib.blake2b(folder.name.encode(), digest_size=16).hexdigest()}.pickle"

    def _read(self, path: Path) -> list:
        """The entries of a cache file, [(key, pickled result), ...]; [] when there is none that fits."""
        try:
            sealed = unseal(path.read_bytes(), "check")
            if sealed is None:  # not written by govsite for this user: never unpickled
                return []
            stored = pickle.loads(sealed)
            if isinstance(stored, dict) and stored.get("format") == CACHE_FORMAT \
                    and isinstance(stored.get("entries"), list) \
                    and all(isinstance(e, tuple) and len(e) == 2 for e in stored["entries"]):
                return stored["entries"]
        except Exception:  # missing, cut short, or written by other code: check in full
            pass
        return []

    def _lookup(self, path: Path, key: bytes) -> _Result | None:
        entries = self.stored.setdefault(path, self._read(path))
        for stored_key, blob in entries:
            if stored_key == key:
                try:
                    result = pickle.loads(blob)
                except Exception:
                    return None
                return result if isinstance(result, _Result) else None
        return None

    def load_region(self, folder: Path, real_root: Path | None, findings: list[Finding]) -> RegionFiles:
        """load.load_region, or the region as it was when its files were the same."""
        path, key = self._path(folder), self._key(folder, real_root)
        result = self._lookup(path, key) if self.reuse else None
        if result is not None:
            self.hits[str(folder)] = result
            findings += result.loaded
            return result.files
        loaded: list[Finding] = []
        files = load_region(folder, real_root, loaded)
        findings += loaded
        # A file saved while it was being read: what was read may not be what the key describes.
        self.misses[str(folder)] = (path, key if self._key(folder, real_root) == key else None, loaded)
        return files

    def _store(self, path: Path, key: bytes | None, result: _Result) -> None:
        if key is None:
            return
        try:
            blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            entries = [(key, blob)] + [e for e in self.stored.get(path, []) if e[0] != key][:_KEEP - 1]
            sealed = seal(pickle.dumps({"format": CACHE_FORMAT, "entries": entries},
                                       protocol=pickle.HIGHEST_PROTOCOL), "check")
            if sealed is not None:
                replace_file(path, sealed)
        except Exception:  # a cache that cannot be written only makes the next check slower
            pass

    def _forget_others(self, sources: Sources) -> None:
        """Remove the cache files of regions that are gone, so the cache does not grow forever."""
        keep = {self._path(files.folder) for files in sources.regions}
        try:
            for path in self.folder.glob("*.pickle"):
                if path not in keep:
                    path.unlink()
        except OSError:
            pass

    def check(self, only: list[str] | None, skip: tuple[Path, ...] = ()) -> Checked:
        sources = load_sources(self.root, only, region_loader=self.load_region, skip=skip)
        municipalities, found = validate_municipalities(sources.municipalities, self.on)
        by_code = {m.code: m for m in municipalities}
        shared = Municipalities(by_code)
        findings = list(sources.findings) + found
        valid: list[ValidRegion] = []
        gaps: list[Finding] = []
        regions: list[Region] = []
        registers: dict[str, RegisterFile] = {}
        for files in sources.regions:
            result = self.hits.get(str(files.folder))
            if result is None:
                region_findings, v = validate_region(files, sources.findings, by_code, self.on, outputs.reserved())
                found, register = validate_register(files, by_code, self.on, outputs.reserved())
                region_findings += found
                region = Region.of(v, shared) if v is not None else None
                region_gaps = [gap_finding(files, g) for g in region.state(self.on).gaps] if region else []
                path, key, loaded = self.misses[str(files.folder)]
                self._store(path, key, _Result(files, loaded, region_findings, v, region_gaps, register))
            else:
                region_findings, v, region_gaps = result.findings, result.valid, result.gaps
                register = result.register
                region = Region.of(v, shared) if v is not None else None
            if register is not None:
                registers[files.id] = register
            findings += region_findings
            gaps += region_gaps
            if v is not None:
                valid.append(v)
                regions.append(region)
        registry, found = registry_of(registers, sources.register_links, municipalities, self.on)
        findings += found
        for region in regions:
            region.register = registry.get(region.id)
        validation = Validation(findings=sorted(set(findings)), municipalities=municipalities, regions=valid,
                                registry=registry)
        # As build_regions does, by id; a valid region's id is its folder's name (a rule of validate),
        # which does not unpack the typed files of a region read from the cache.
        regions.sort(key=lambda r: r.files.files.id)
        if only is None:
            self._forget_others(sources)
        return Checked(sources, validation, regions, sorted(set(validation.findings + gaps)))
