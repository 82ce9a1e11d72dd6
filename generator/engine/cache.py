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

The manifest (keys of the sites in the output folder), like everything else the build keeps between
runs, lives in the build's cache folder (cache_folder): never published with the site, and outside
every checkout, so that nothing a repository (or a pull request) holds is ever read as the cache.
What can run code when read (the check cache's pickles, compiled templates) is also sealed with a
key of this user's (seal, unseal): a file govsite did not write itself is never loaded.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any, Iterable

from ..files import replace_file  # noqa: F401  (also the caches' way of writing)

MANIFEST_VERSION = 6
GENERATOR = Path(__file__).resolve().parent.parent  # the package root: every subpackage and its templates
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions", "pagefind",
            "pagefind_bin", "cydifflib", "markdown-it-py")


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


def _files(root: Path) -> Iterable[tuple[str, str]]:
    """Every file under root (or root itself), as (path relative to root, path), in the order of
    their sorted paths; __pycache__ folders left out."""
    if root.is_file():
        yield root.name, str(root)
    elif root.is_dir():
        yield from _tree(str(root), "")


def _tree(folder: str, prefix: str) -> Iterable[tuple[str, str]]:
    # os.scandir rather than Path.rglob: the keys hash thousands of files per site (0.16 against 0.08 s).
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _tree(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield prefix + entry.name, entry.path


def tree_hash(h: Any, root: Path, label: str) -> None:
    """Every file under root, by its path relative to root and its bytes."""
    for relative, path in _files(root):
        with open(path, "rb") as file:
            add(h, f"{label}/{relative}", file.read())


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


def inputs_key(shared: str, files: dict[str, Path], values: Any, folders: tuple[Path, ...] = ()) -> str:
    """A site from what goes into rendering it (spec.Inputs): files by label (one that does not exist
    counts as absent), JSON-able values (dates, git history), and folders of pages copied in. When it
    is unchanged, the site is reused without even rendering its Markdown."""
    h = _digest()
    add(h, "shared", shared.encode())
    for label, path in sorted(files.items()):
        add(h, f"file/{label}/{path.name}", path.read_bytes() if path.is_file() else b"\0absent")
    add(h, "arguments", json.dumps(values, sort_keys=True, default=repr).encode())
    for folder in folders:
        tree_hash(h, folder, f"folder/{folder.name}")
    return h.hexdigest()


def site_key(shared: str, name: str, nav: Any, extra: dict[str, Any], docs_dir: Path,
             sources: dict[str, Path] | None = None) -> str:
    """A site from its rendered Markdown (and the files published with it)."""
    h = _digest()
    add(h, "shared", shared.encode())
    add(h, "site", json.dumps([name, nav, extra], sort_keys=True, default=str).encode())
    tree_hash(h, docs_dir, "docs")
    _sources(h, sources or {})
    return h.hexdigest()


def files_key(sources: dict[str, Path]) -> str:
    """A site's source files alone (spec.SiteSpec.watch): compared with the last build, it tells the
    build which sites changed, so that it starts those first (the inputs key decides what is reused)."""
    h = _digest()
    _sources(h, sources)
    return h.hexdigest()


def part_key(shared: str, sites: dict[str, str]) -> str:
    """A group's search index from the keys of the sites it covers."""
    h = _digest()
    add(h, "shared", shared.encode())
    add(h, "sites", json.dumps(sites, sort_keys=True).encode())
    return h.hexdigest()


# --- where the cache lives ---------------------------------------------------------------------

CACHE_ENV = "GOVSITE_CACHE"  # like --cache: the folder that holds the build caches


def cache_root(chosen: str | os.PathLike | None = None) -> Path:
    """The folder that holds a cache folder per output folder: --cache, else $GOVSITE_CACHE, else the
    user's own cache folder ($XDG_CACHE_HOME/govsite, ~/.cache/govsite). Never a checkout by default:
    what a repository holds there could be made to look like this machine's own cache."""
    chosen = chosen or os.environ.get(CACHE_ENV)
    if chosen:
        return Path(os.path.abspath(os.path.expanduser(chosen)))
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base if base and os.path.isabs(base) else os.path.expanduser("~/.cache")) / "govsite"


def cache_folder(out: str | os.PathLike, chosen: str | os.PathLike | None = None) -> Path:
    """The one place that decides where the build for output folder `out` keeps its caches: the
    manifest, the check cache, the compiled templates, the decisions' history, the search copies.
    A folder per output folder (its name and a hash of its real path) inside cache_root(chosen)."""
    real = os.path.realpath(out)
    tag = hashlib.blake2b(os.fsencode(real), digest_size=6).hexdigest()
    return cache_root(chosen) / f"{os.path.basename(real) or 'site'}-{tag}"


def trash_folder(out: Path) -> Path:
    """Where the build moves folders it deletes in the background: beside the output (moving is
    instant only on the same file system); only ever emptied, never read."""
    return out.with_name(f".{out.name}.trash")


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """Whether path is folder or lies in it, after following links."""
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == top or top in real.parents


# --- sealed files: only what govsite wrote itself, for this user, is read ---------------------------

_SEAL = b"govsite-sealed-1\n"
_KEY_BYTES = 32


def key_path() -> Path:
    """The secret that seals cache files: in the user's state folder ($XDG_STATE_HOME/govsite, else
    ~/.local/state/govsite), apart from the caches it vouches for."""
    return Path(_key_file())


def _key_file() -> str:
    # A string, not a Path: a check unseals one file per region (some 800 on the national set).
    base = os.environ.get("XDG_STATE_HOME")
    return os.path.join(base if base and os.path.isabs(base) else os.path.expanduser("~/.local/state"),
                        "govsite", "cache-key")


def _read_key(path: Path) -> bytes | None:
    """The key, if it is a file of this user's that no one else can read or change."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != _KEY_BYTES or info.st_mode & 0o077 \
                or (hasattr(os, "geteuid") and info.st_uid != os.geteuid()):
            return None
        key = os.read(fd, _KEY_BYTES + 1)
        return key if len(key) == _KEY_BYTES else None
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=4)
def _key(path: str) -> bytes | None:
    """The key at path, made (once, readable by this user only) when there is none; None when it
    can be neither read nor made: then nothing is sealed, and nothing sealed is read."""
    key_file = Path(path)
    key = _read_key(key_file)
    if key is not None:
        return key
    try:
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(_KEY_BYTES))
        finally:
            os.close(fd)
        try:
            os.link(temporary, key_file)  # the first build to make one wins; the others read it
        except FileExistsError:
            if _read_key(key_file) is None:  # one that is not safe to trust: replaced
                os.replace(temporary, key_file)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError:
        return None
    return _read_key(key_file)


def _mac(key: bytes, purpose: str, data: bytes) -> bytes:
    return hashlib.blake2b(data, key=key, digest_size=32, person=purpose.encode()[:16]).digest()


def seal(data: bytes, purpose: str) -> bytes | None:
    """data with a keyed hash in front (for unseal); None when there is no key to seal with."""
    key = _key(_key_file())
    return None if key is None else _SEAL + _mac(key, purpose, data) + data


def unseal(sealed: bytes, purpose: str) -> bytes | None:
    """What seal() sealed for this purpose with this user's key; None for anything else (a file from
    a repository, another user or another program), which the caller then ignores: a cache miss."""
    key = _key(_key_file())
    start = len(_SEAL) + 32
    if key is None or not sealed.startswith(_SEAL) or len(sealed) < start:
        return None
    data = sealed[start:]
    return data if hmac.compare_digest(sealed[len(_SEAL):start], _mac(key, purpose, data)) else None


def sealed_bytecode(folder: Path, pattern: str = "__jinja2_%s.cache"):
    """A Jinja bytecode cache in folder whose files are sealed: compiled templates are code objects
    (marshal), so a file govsite did not write itself is never loaded."""
    return _SealedBytecode.make()(Path(folder), pattern)


class _SealedBytecode:
    made = None

    @classmethod
    def make(cls):
        if cls.made is None:
            import jinja2  # only a build needs it

            class SealedBytecodeCache(jinja2.BytecodeCache):
                def __init__(self, folder: Path, pattern: str):
                    self.folder, self.pattern = folder, pattern

                def load_bytecode(self, bucket) -> None:
                    try:
                        data = unseal((self.folder / (self.pattern % bucket.key)).read_bytes(), "templates")
                    except OSError:
                        return
                    if data is not None:
                        bucket.bytecode_from_string(data)

                def dump_bytecode(self, bucket) -> None:
                    data = seal(bucket.bytecode_to_string(), "templates")
                    if data is not None:
                        try:
                            replace_file(self.folder / (self.pattern % bucket.key), data)
                        except OSError:
                            pass  # only the next build is slower

                def clear(self) -> None:
                    for path in self.folder.glob(self.pattern % "*"):
                        path.unlink(missing_ok=True)

            cls.made = SealedBytecodeCache
        return cls.made


# --- the manifest ----------------------------------------------------------------------------

def manifest_path(folder: Path, spare: bool = False) -> Path:
    """The manifest of the output folder (or of the spare, the output before it) whose build cache
    folder is folder (cache_folder)."""
    return folder / ("spare.json" if spare else "manifest.json")


def fingerprint(root: Path, skip: frozenset[str] | set[str] = frozenset()) -> str:
    """A site's files as the build left them: each one's path, size and time of change (to the second),
    leaving out the top-level entries named in skip.

    A site is reused only while its fingerprint is the one in the manifest, so a file changed by hand
    makes the build build that site again. An output folder restored from a CI cache keeps its
    files' times (tar does), so it is reused, site by site.
    """
    parts: list[bytes] = []
    _stat_tree(str(root), ".", skip, parts)
    h = _digest()
    h.update(b"".join(parts))  # the same bytes as add("file", ...) for each file, in one call
    return h.hexdigest()


def _stat_tree(folder: str, relative: str, skip: frozenset[str] | set[str], parts: list[bytes]) -> None:
    """Files as os.walk(followlinks=False) lists them: a folder's files by name, then its folders
    (a link to a folder is neither listed nor followed)."""
    try:
        with os.scandir(folder) as found:
            entries = [entry for entry in found if relative != "." or entry.name not in skip]
    except OSError:
        return
    files, folders = [], []
    for entry in entries:
        try:
            (folders if entry.is_dir() else files).append(entry)
        except OSError:
            files.append(entry)
    for entry in sorted(files, key=lambda entry: entry.name):
        info = entry.stat(follow_symlinks=False)
        data = f"{relative}/{entry.name}\0{info.st_size}\0{int(info.st_mtime)}".encode()
        parts += (f"file\0{len(data)}\0".encode(), data)
    for entry in sorted(folders, key=lambda entry: entry.name):
        if not entry.is_symlink():
            _stat_tree(entry.path, entry.name if relative == "." else f"{relative}/{entry.name}", skip, parts)


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Per site, its keys ({"inputs": ..., "output": ..., "fingerprint": ...}) from the manifest at
    path (manifest_path); nothing when there is no manifest of this version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return {}
        sites = {}
        for site, keys in data["sites"].items():
            sites[str(site)] = {"inputs": str(keys["inputs"]), "output": str(keys["output"]),
                                "fingerprint": str(keys["fingerprint"])}
            if "pages" in keys:  # built sites: the key of every page (pagereuse.py)
                sites[str(site)]["pages"] = {str(page): str(key) for page, key in keys["pages"].items()}
            if "files" in keys:  # sites with watched files: their key (files_key)
                sites[str(site)]["files"] = str(keys["files"])
            if "folder" in keys:  # the site's place in the output
                sites[str(site)]["folder"] = str(keys["folder"])
        return sites
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return {}


def write_manifest(path: Path, sites: dict[str, dict[str, str]]) -> None:
    replace_file(path,
                 (json.dumps({"version": MANIFEST_VERSION, "sites": sites}, indent=1, sort_keys=True) + "\n").encode())


def forget(path: Path) -> None:
    """Drop a manifest, e.g. before the folder it describes is replaced by something else."""
    try:
        path.unlink()
    except OSError:
        pass
