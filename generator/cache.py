"""The build cache: which sites in the output folder are still what this build would make.

Every site gets a key: a hash of everything its output depends on. That is its rendered Markdown
(which already reflects its YAML, the municipality list, git dates and history, the build date and
the templates, and for the portal every region), the YAML files published with it, its navigation
and settings, and everything shared: the generator's code, mkdocs.yml, the theme and the versions
of MkDocs, Material, Markdown and Pagefind. Hashing what was rendered rather than listing inputs
keeps the key right when a page starts to depend on something new. Rendering Markdown is cheap
(milliseconds per site); MkDocs is what a reused site saves. A site whose key is unchanged since
the last build is reused from the previous output; everything else is built again.

Before rendering, a cheaper key of the render's inputs (the site's YAML files, the municipality
list, the other arguments of the render function) is compared: when those are unchanged the site is
reused without rendering at all, which keeps a one-region rebuild of a national set short.

The manifest (keys of the sites in the output folder) lives next to the output, in
.build-cache/<name>.json, so that it is never published with the site.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable

MANIFEST_VERSION = 4
GENERATOR = Path(__file__).resolve().parent
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions", "pagefind",
            "pagefind_bin", "cydifflib", "markdown-it-py")
PORTAL = ""  # the portal's name in the manifest: it sits at the root of the output


def _digest() -> Any:
    return hashlib.sha256()


def add(h: Any, label: str, data: bytes) -> None:
    """One labelled part of a hash, length-prefixed, so that two different sequences of parts never
    hash alike (also used by the check cache, pipeline.py)."""
    h.update(f"{label}\0{len(data)}\0".encode())
    h.update(data)


def _sources(h: Any, sources: dict[str, Path]) -> None:
    """A site's YAML files, by kind, name and bytes."""
    for kind, path in sorted(sources.items()):
        add(h, f"source/{kind}/{path.name}", path.read_bytes())


def replace_file(path: Path, data: bytes) -> None:
    """Write path whole or not at all: a reader (a build running at the same time, or the next one
    after this one was killed) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _files(root: Path) -> Iterable[Path]:
    if root.is_file():
        yield root
    elif root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def tree_hash(h: Any, root: Path, label: str) -> None:
    """Every file under root, by its path relative to root and its bytes."""
    for path in _files(root):
        add(h, f"{label}/{path.relative_to(root).as_posix() if root.is_dir() else path.name}",
             path.read_bytes())


def _versions() -> str:
    from importlib import metadata  # only a build needs it; `govsite validate` imports this module too

    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found) + f";python={sys.version_info[0]}.{sys.version_info[1]}"


def shared_key(config: Path, theme: Path | None, options: dict[str, Any]) -> str:
    """What every site depends on: the generator itself, the configuration, the theme, the options."""
    h = _digest()
    add(h, "manifest", str(MANIFEST_VERSION).encode())
    add(h, "versions", _versions().encode())
    tree_hash(h, GENERATOR, "generator")
    tree_hash(h, config, "config")
    if theme is not None:
        tree_hash(h, theme, "theme")
    add(h, "options", json.dumps(options, sort_keys=True, default=str).encode())
    return h.hexdigest()


def inputs_key(shared: str, sources: dict[str, Path], municipalities: Path | None, arguments: Any,
               folders: tuple[Path, ...] = ()) -> str:
    """A site from what goes into rendering it: source files, the municipality list, the other
    arguments of the render function (dates, git history), and folders of pages copied in. When it is
    unchanged, the site is reused without even rendering its Markdown."""
    h = _digest()
    add(h, "shared", shared.encode())
    _sources(h, sources)
    if municipalities is not None and municipalities.is_file():
        add(h, "municipalities", municipalities.read_bytes())
    add(h, "arguments", json.dumps(arguments, sort_keys=True, default=repr).encode())
    for folder in folders:
        tree_hash(h, folder, f"folder/{folder.name}")
    return h.hexdigest()


def site_key(shared: str, name: str, nav: Any, extra: dict[str, Any], docs_dir: Path,
             sources: dict[str, Path] | None = None) -> str:
    """A site from its rendered Markdown (and the YAML files published with it)."""
    h = _digest()
    add(h, "shared", shared.encode())
    add(h, "site", json.dumps([name, nav, extra], sort_keys=True, default=str).encode())
    tree_hash(h, docs_dir, "docs")
    _sources(h, sources or {})
    return h.hexdigest()


def files_key(sources: dict[str, Path]) -> str:
    """A region's YAML files alone: compared with the last build, it tells the build which regions
    changed, so that it starts those first (the inputs key decides what is reused)."""
    h = _digest()
    _sources(h, sources)
    return h.hexdigest()


def part_key(shared: str, sites: dict[str, str]) -> str:
    """A group's search index from the keys of the sites it covers."""
    h = _digest()
    add(h, "shared", shared.encode())
    add(h, "sites", json.dumps(sites, sort_keys=True).encode())
    return h.hexdigest()


# --- the manifest ----------------------------------------------------------------------------

def manifest_path(out: Path) -> Path:
    return out.parent / ".build-cache" / f"{out.name}.json"


def fingerprint(root: Path, skip: frozenset[str] | set[str] = frozenset()) -> str:
    """A site's files as the build left them: each one's path, size and time of change (to the second),
    leaving out the top-level entries named in skip.

    A site is reused only while its fingerprint is the one in the manifest, so a file changed by hand
    makes the build build that site again. An output folder restored from a CI cache keeps its
    files' times (tar does), so it is reused, site by site.
    """
    h = _digest()
    for folder, folders, files in os.walk(root):
        relative = os.path.relpath(folder, root)
        if relative == ".":
            folders[:] = [name for name in folders if name not in skip]
            files = [name for name in files if name not in skip]
        folders.sort()
        for name in sorted(files):
            stat = os.lstat(os.path.join(folder, name))
            add(h, "file", f"{relative}/{name}\0{stat.st_size}\0{int(stat.st_mtime)}".encode())
    return h.hexdigest()


def read_manifest(out: Path) -> dict[str, dict[str, str]]:
    """Per site in out, its keys ({"inputs": ..., "output": ..., "fingerprint": ...}); nothing when
    there is no manifest of this version."""
    try:
        data = json.loads(manifest_path(out).read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return {}
        sites = {}
        for site, keys in data["sites"].items():
            sites[str(site)] = {"inputs": str(keys["inputs"]), "output": str(keys["output"]),
                                "fingerprint": str(keys["fingerprint"])}
            if "pages" in keys:  # built sites: the key of every page (pagereuse.py)
                sites[str(site)]["pages"] = {str(page): str(key) for page, key in keys["pages"].items()}
            if "files" in keys:  # regions: their YAML files (files_key)
                sites[str(site)]["files"] = str(keys["files"])
        return sites
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return {}


def write_manifest(out: Path, sites: dict[str, dict[str, str]]) -> None:
    replace_file(manifest_path(out),
                 (json.dumps({"version": MANIFEST_VERSION, "sites": sites}, indent=1, sort_keys=True) + "\n").encode())


def forget(out: Path) -> None:
    """Drop the manifest, e.g. before the output folder is replaced by something else."""
    try:
        manifest_path(out).unlink()
    except OSError:
        pass
