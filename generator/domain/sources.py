"""The path policy of a regions folder: which files and folders the loader reads as regions, and
which it refuses (symbolic links out of the folder, unknown names, too many). One rule for every
command that reads or writes the folder: load, `govsite fmt` (source_paths) and `govsite new`
(inside_regions).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .findings import Finding, display_path
from .limits import MAX_AGREEMENTS, MAX_REGIONS
from .schema import ID_MAX_LENGTH, SLUG, TOPIC_FILES
from .suggest import did_you_mean

# The file names a region folder may hold beside its agreements/ folder.
REGION_FILES = frozenset({"region.yaml"} | {f"{topic}.yaml" for topic in TOPIC_FILES})
# Written by `govsite import`: a folder with only this file is a region known from the national registers.
REGISTER_FILE = "register.yaml"
# At the top of the regions folder, beside municipalities.yaml: the reviewed links between regelingen
# and CBS divisions (register.py).
REGISTER_LINKS_FILE = "register-links.yaml"


def resolved_root(root: Path) -> Path | None:
    """The regions folder without symbolic links, once per load rather than once per file."""
    try:
        return root.resolve()
    except (OSError, RuntimeError):
        return None


def _inside(path: Path, real_root: Path | None) -> bool:
    return _real_inside(path, real_root) is not None


def inside_regions(root: Path, path: Path) -> bool:
    """The loader's rule for symbolic links, for a command that writes: whether path, every link
    followed (also a path that does not exist yet), lies inside the regions folder root."""
    return _inside(path, resolved_root(Path(root)))


def _real_inside(path: Path, real_root: Path | None) -> Path | None:
    """path.resolve() when that is inside the regions folder, else None."""
    if real_root is None:
        return None
    try:
        real = path.resolve()
        real.relative_to(real_root)
        return real
    except (ValueError, OSError, RuntimeError):
        return None



def top_paths(root: Path, real_root: Path | None, findings: list[Finding], only: list[str] | None = None,
              skip: Iterable[Path] = ()) -> tuple[Path | None, list[Path]]:
    """The loader's rules for the top of a regions folder: municipalities.yaml when it may be read,
    and the region folders (the named ones, with only). What they refuse is added to findings."""
    shown = display_path(root)
    mfile = root / "municipalities.yaml"
    if mfile.is_file() and not _inside(mfile, real_root):
        findings.append(Finding(display_path(mfile), 0, 0, "error",
                                "municipalities.yaml verwijst (via een snelkoppeling) naar een plek buiten de "
                                "map met regio's. Dat is niet toegestaan; zet het bestand in de map zelf."))
    skipped = {os.path.realpath(p) for p in skip}
    # By name, as sorted paths in one folder are; os.scandir saves a stat per folder on a national set.
    entries = [e for e in os.scandir(root) if not e.name.startswith(".") and _is_dir(e)] if root.is_dir() else []
    names = sorted(e.name for e in entries)
    # Where a folder really is, for skip: a folder that is no link is where the real root is (realpath
    # asks the file system about every part of the path, some 800 times on a national set).
    links = {e.name for e in entries if e.is_symlink()}
    real_top = os.path.realpath(root) if skipped else ""
    folders = [folder for folder in (root / name for name in names)
               if not _no_region(folder, skipped, os.path.realpath(folder) if folder.name in links
                                 else os.path.join(real_top, folder.name))]
    if only:
        by_name = {p.name: p for p in folders}
        missing = [name for name in only if name not in by_name]
        for name in missing:
            findings.append(Finding(shown, 0, 0, "error",
                                    f"regio '{name}' bestaat niet in {shown}.{did_you_mean(name, by_name)}"))
        folders = [by_name[name] for name in only if name in by_name]
    if len(folders) > MAX_REGIONS:
        findings.append(Finding(shown, 0, 0, "error",
                                f"te veel regio's in {shown} ({len(folders)}; maximaal {MAX_REGIONS}). "
                                "Staat hier wel de map met regio's?"))
        folders = folders[:MAX_REGIONS]
    return (mfile if mfile.is_file() and _inside(mfile, real_root) else None), folders


def _is_dir(entry: os.DirEntry) -> bool:
    """Path.is_dir() for a folder entry: through a link, and False where the link leads nowhere."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _no_region(folder: Path, skipped: set[str], real: str) -> bool:
    """A built site (see load_sources), not a region folder; skipped: real paths; real: the folder's."""
    if not os.path.exists(os.path.join(folder, "region.yaml")) and not os.path.exists(os.path.join(folder, REGISTER_FILE)) \
            and os.path.isfile(os.path.join(folder, "index.html")):
        return True
    return bool(skipped) and real in skipped


@dataclass
class RegionPaths:
    """The files of a region folder that the loader reads, each as (path, its real place)."""

    region: tuple[Path, Path] | None = None
    register: tuple[Path, Path] | None = None
    topics: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    agreements: list[tuple[Path, Path]] = field(default_factory=list)

    def all(self) -> list[Path]:
        pairs = ([self.region] if self.region else []) + ([self.register] if self.register else []) + list(self.topics.values()) + self.agreements
        return [path for path, _ in pairs]


def region_paths(folder: Path, real_root: Path | None, findings: list[Finding]) -> RegionPaths | None:
    """The loader's rules for the paths in a region folder (also `govsite fmt`'s): the files it reads,
    or None when it reads none. What they refuse is added to findings. real_root: see resolved_root."""
    shown = display_path(folder)
    real_folder = _real_inside(folder, real_root)
    if real_folder is None:
        findings.append(Finding(shown, 0, 0, "error",
                                "deze map verwijst (via een snelkoppeling) naar een plek buiten de map "
                                "met regio's. Dat is niet toegestaan; zet de bestanden in de map zelf."))
        return None
    if not SLUG.match(folder.name) or len(folder.name) > ID_MAX_LENGTH:
        findings.append(Finding(shown, 0, 0, "error",
                                f"de mapnaam '{folder.name}' is geen geldige regio-id: gebruik alleen "
                                "kleine letters, cijfers en streepjes (bijvoorbeeld 'jeugdregio-west')."))
        return None
    found = RegionPaths()

    # One listing of the folder instead of a stat per file name: a national data set has ~800 folders.
    try:
        entries = {entry.name: entry for entry in os.scandir(folder)}
    except OSError:
        entries = {}

    def is_file(name: str) -> bool:
        entry = entries.get(name)
        try:
            return entry is not None and entry.is_file()
        except OSError:
            return False

    def inside(path: Path) -> tuple[Path, Path] | None:
        entry = entries.get(path.name) if path.parent == folder else None
        if entry is not None and not entry.is_symlink():
            return path, real_folder / path.name  # a plain file in a folder inside the regions folder
        real = _real_inside(path, real_root)
        if real is None:
            findings.append(Finding(display_path(path), 0, 0, "error",
                                    "dit bestand verwijst naar een plek buiten de map met regio's; "
                                    "dat is niet toegestaan."))
            return None
        return path, real

    known = REGION_FILES | {REGISTER_FILE, "agreements"}
    for entry in sorted(folder / name for name in entries):
        if entry.name.startswith(".") or entry.name in known:
            continue
        if entry.suffix in (".yaml", ".yml") or entry.is_dir():
            findings.append(Finding(display_path(entry), 0, 0, "error",
                                    f"onbekend bestand of map '{entry.name}' in de regio."
                                    f"{did_you_mean(entry.name, sorted(known))}"))

    if is_file("region.yaml"):
        found.region = inside(folder / "region.yaml")
    if is_file(REGISTER_FILE):
        found.register = inside(folder / REGISTER_FILE)
    for topic in TOPIC_FILES:
        path = folder / f"{topic}.yaml"
        if is_file(path.name):
            pair = inside(path)
            if pair is not None:
                found.topics[topic] = pair
    agreements = folder / "agreements"
    if "agreements" in entries and agreements.is_dir():
        paths = sorted(agreements.iterdir())
        if len(paths) > MAX_AGREEMENTS:
            findings.append(Finding(display_path(agreements), 0, 0, "error",
                                    f"te veel bestanden in agreements/ (maximaal {MAX_AGREEMENTS})."))
            paths = paths[:MAX_AGREEMENTS]
        for path in paths:
            if path.name.startswith("."):
                continue
            if path.suffix != ".yaml" or not path.is_file():
                findings.append(Finding(display_path(path), 0, 0, "error",
                                        "in agreements/ horen alleen .yaml-bestanden, één per afspraak."))
                continue
            pair = inside(path)
            if pair is not None:
                found.agreements.append(pair)
    return found


def source_paths(root: Path) -> tuple[list[Path], list[Finding]]:
    """Every YAML file load_sources reads under root, and its findings about the paths it refuses."""
    root = Path(root)
    findings: list[Finding] = []
    real_root = resolved_root(root)
    mfile, folders = top_paths(root, real_root, findings)
    paths = [mfile] if mfile is not None else []
    links = root / REGISTER_LINKS_FILE
    if links.is_file() and _inside(links, real_root):
        paths.append(links)
    for folder in folders:
        found = region_paths(folder, real_root, findings)
        paths += found.all() if found is not None else []
    return paths, findings

