"""Step 1, load: read the YAML files of the regions folder, keeping the place of every value.

This module is the step's public face: load_sources reads a whole regions folder, load_region one
region folder. The jobs it combines live in their own modules: which paths are read (sources.py),
reading one file with positions (yaml_reader.py), the limits on files and on the whole input
(limits.py) and the characters no value may hold (text_rule.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from .findings import Finding, display_path
from .limits import (FIRST_DATE, LAST_DATE, MAX_AGREEMENTS, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES,  # noqa: F401
                     MAX_REGIONS, MAX_STRING, MAX_TOTAL_BYTES, MAX_TOTAL_FILES, MAX_TOTAL_VALUES, READ_SO_FAR,
                     InputTooBig, Size)
from .pickling import PackedWhenPickled  # noqa: F401
from .schema import SLUG, TOPIC_FILES  # noqa: F401
from .sources import (REGION_FILES, REGISTER_FILE, REGISTER_LINKS_FILE, RegionPaths,  # noqa: F401
                      inside_regions, region_paths, resolved_root, source_paths, top_paths)
from .yaml_reader import Document, InvalidDate, Loc, WrittenFloat, load_yaml  # noqa: F401


@dataclass
class RegionFiles:
    """The documents of one region folder."""

    id: str
    folder: Path
    display: str
    region: Document | None = None
    register: Document | None = None  # register.yaml, written by `govsite import`
    topics: dict[str, Document] = field(default_factory=dict)
    agreements: list[Document] = field(default_factory=list)
    size: Size = field(default_factory=Size)  # what reading it took: a region from the cache counts too


@dataclass
class Sources:
    """Everything read from a regions folder."""

    root: Path
    municipalities: Document | None
    regions: list[RegionFiles]
    findings: list[Finding]
    register_links: Document | None = None  # register-links.yaml, when there is one


RegionLoader = Callable[[Path, "Path | None", list[Finding]], RegionFiles]
FileLoader = Callable[[Path, str], "tuple[Document | None, list[Finding]]"]


def load_sources(root: Path, only: list[str] | None = None, region_loader: RegionLoader | None = None,
                 skip: Iterable[Path] = (), file_loader: FileLoader | None = None) -> Sources:
    """Read the municipality list and every region folder (or the named ones) under root.

    region_loader (default load_region) reads one folder, file_loader (default load_yaml) the files
    at the top (municipalities.yaml, register-links.yaml); the check cache passes loaders that can take
    an unchanged one from the cache instead. A built site is never read as a region (_no_region):
    the folders in skip (the build's own output folder) and any folder with an index.html but no
    region.yaml, as when the regions sit at the top of a repository and the site is built beside them.
    """
    region_loader = region_loader or load_region
    file_loader = file_loader or load_yaml
    root = Path(root)
    findings: list[Finding] = []
    municipalities = None
    register_links = None
    real_root = resolved_root(root)
    mfile, folders = top_paths(root, real_root, findings, only, skip)
    read = Size()
    token = READ_SO_FAR.set(read)
    regions = []
    try:
        if mfile is not None:
            municipalities, found = file_loader(mfile, display_path(mfile))
            findings += found
        elif not (root / "municipalities.yaml").is_file():
            findings.append(Finding(display_path(root / "municipalities.yaml"), 0, 0, "error",
                                    "de gemeentelijst municipalities.yaml ontbreekt in de map met regio's."))
        links = root / REGISTER_LINKS_FILE
        if links.is_file() and inside_regions(root, links):
            register_links, found = file_loader(links, display_path(links))
            findings += found
        for folder in folders:
            before = Size(read.files, read.bytes, read.values)  # a copy (dataclasses.replace costs more)
            files = region_loader(folder, real_root, findings)
            # From the cache a region was not read now; what reading it took counts all the same.
            total = before + files.size
            read.files, read.bytes, read.values = total.files, total.bytes, total.values
            over = read.over()
            if over:
                raise InputTooBig(Finding(files.display, 0, 0, "error", over))
            regions.append(files)
    except InputTooBig as err:  # the region being read is left out: it is incomplete
        findings.append(err.finding)
    finally:
        READ_SO_FAR.reset(token)
    return Sources(root=root, municipalities=municipalities, regions=regions, findings=findings,
                   register_links=register_links)



def load_region(folder: Path, real_root: Path | None, findings: list[Finding]) -> RegionFiles:
    """Read one region folder; what is wrong with it is added to findings. real_root: see resolved_root.

    Raises InputTooBig when the whole input goes over a limit (load_sources: the region is left out)."""
    files = RegionFiles(id=folder.name, folder=folder, display=display_path(folder))
    read = READ_SO_FAR.get()
    token = READ_SO_FAR.set(Size()) if read is None else None  # read on its own: limits of one region
    before = replace(READ_SO_FAR.get())
    try:
        paths = region_paths(folder, real_root, findings)
        if paths is None:
            return files

        def read_file(pair: tuple[Path, Path]) -> Document | None:
            path, real = pair
            doc, found = load_yaml(path, display_path(path, resolved=real))  # resolved once, not twice
            findings.extend(found)
            return doc

        if paths.register is not None:
            files.register = read_file(paths.register)
        if paths.region is not None:
            files.region = read_file(paths.region)
        elif paths.register is None and not (folder / "region.yaml").is_file():
            findings.append(Finding(display_path(folder / "region.yaml"), 0, 0, "error",
                                    "region.yaml ontbreekt; dit bestand is verplicht voor elke regio."))
        for topic, pair in paths.topics.items():
            doc = read_file(pair)
            if doc is not None:
                files.topics[topic] = doc
        for pair in paths.agreements:
            doc = read_file(pair)
            if doc is not None:
                files.agreements.append(doc)
        return files
    finally:
        files.size = READ_SO_FAR.get() - before
        if token is not None:
            READ_SO_FAR.reset(token)
