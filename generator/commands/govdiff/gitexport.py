"""`govsite diff`, reading revisions: the regions folder of a git commit as the loader sees it, written
into a temporary folder (git ls-tree for the names and sizes, git cat-file --batch for the contents,
streamed), and the digests of what the loader reads, to notice changes of layout or comments only.
"""
from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ...domain.load import MAX_FILE_BYTES, REGION_FILES, REGISTER_FILE, REGISTER_LINKS_FILE

MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master")


class DiffError(Exception):
    """The revisions cannot be read; the message says what to do."""


def git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=True)
    except FileNotFoundError:
        raise DiffError("git is niet geïnstalleerd; 'govsite diff' heeft git nodig.") from None
    except subprocess.CalledProcessError as err:
        message = err.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {' '.join(args)} mislukte: {message[-1] if message else err.returncode}") from None
    return result.stdout.decode("utf-8", "replace")


def commit_of(top: Path, rev: str) -> str:
    try:
        return git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except DiffError:
        raise DiffError(f"'{rev}' is geen bekende git-versie (branch, tag of commit) in {top}.") from None


def default_base(top: Path) -> str:
    """The merge base of HEAD with the main branch: the state this branch started from."""
    for branch in MAIN_BRANCHES:
        try:
            commit_of(top, branch)
        except DiffError:
            continue
        return git(top, "merge-base", "HEAD", branch).strip()
    raise DiffError("geen main- of master-branch gevonden; geef de basis op: govsite diff BASIS [HEAD]")


# What the loader reads (load_sources, load_region): only these files' contents are ever read here, and
# only up to its size limit; of other entries in a region folder it looks at the name alone.
_REGION_FILES = REGION_FILES | {REGISTER_FILE}  # register.yaml: what govsite import wrote
_LINK = "120000"  # git's mode of a symbolic link
_CHUNK = 1 << 16


def _use(parts: tuple[str, ...]) -> str | None:
    """What the loader does with a path in the regions folder: "read" it, look at the "name" of the
    entry only (it reports the file or folder without opening it), or nothing (None)."""
    if not all(parts) or parts[0].startswith("."):
        return None  # hidden files and folders are never looked at
    if len(parts) == 1:
        return "read" if parts[0] in ("municipalities.yaml", REGISTER_LINKS_FILE) else None
    if parts[1].startswith("."):
        return None
    if len(parts) == 2:  # every name, also of files it skips: it tells a built site by its index.html
        return "read" if parts[1] in _REGION_FILES else "name"
    if parts[1] == "agreements":
        if parts[2].startswith("."):
            return None
        return "read" if len(parts) == 3 and parts[2].endswith(".yaml") else "name"
    return "name"  # a file in a folder the loader reports by its name


def _followed(parts: tuple[str, ...]) -> bool:
    """Whether the loader opens this place, and so follows a symbolic link there: a region folder, an
    entry of a region folder, a file in agreements/. Such a link is written as it is, for the loader
    to judge (it refuses links out of the regions folder)."""
    if not all(parts) or any(part.startswith(".") for part in parts):
        return False
    return len(parts) <= 2 or (len(parts) == 3 and parts[1] == "agreements")


@dataclass(frozen=True)
class _Entry:
    mode: str
    oid: str
    size: int


def _tree(top: Path, relative: str, commit: str) -> dict[tuple[str, ...], _Entry] | None:
    """The files of the regions folder in a commit, by path inside the folder, with their sizes (git
    gives them without reading the files). None when the folder is not in the commit."""
    prefix = "" if relative == "." else relative + "/"
    if prefix:
        try:
            if git(top, "cat-file", "-t", f"{commit}:{relative}").strip() != "tree":
                return None
        except DiffError:
            return None  # the folder is not in that commit (yet)
    args = ["ls-tree", "-r", "-l", "-z", commit] + ([] if not prefix else ["--", relative])
    try:
        raw = subprocess.run(["git", "--literal-pathspecs", "-C", str(top), *args], capture_output=True,
                             check=True).stdout  # a folder named like ':(glob)*' is only that folder
    except subprocess.CalledProcessError:
        return None
    entries: dict[tuple[str, ...], _Entry] = {}
    for record in raw.split(b"\0"):
        info, _, name = record.partition(b"\t")
        fields = info.decode("ascii", "replace").split()
        path = os.fsdecode(name)
        if len(fields) != 4 or fields[1] != "blob" or not path.startswith(prefix):
            continue  # a submodule has no files of its own here
        entries[tuple(path[len(prefix):].split("/"))] = _Entry(fields[0], fields[2], int(fields[3]))
    return entries


class _Blobs:
    """File contents from git one at a time (git cat-file --batch), in chunks, never whole in memory."""

    def __init__(self, top: Path):
        self.process = subprocess.Popen(["git", "-C", str(top), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def chunks(self, oid: str) -> Iterator[bytes]:
        self.process.stdin.write(oid.encode("ascii") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise DiffError(f"git kon een bestand uit de versie niet lezen ({oid}).")
        left = int(header[2])
        while left:
            chunk = self.process.stdout.read(min(left, _CHUNK))
            if not chunk:
                raise DiffError(f"git kon een bestand uit de versie niet lezen ({oid}).")
            left -= len(chunk)
            yield chunk
        self.process.stdout.read(1)  # the newline after each file

    def copy(self, oid: str, target: Path) -> str:
        """Write a file's contents to target; their digest."""
        digest = hashlib.blake2b(digest_size=16)
        with open(target, "wb") as out:
            for chunk in self.chunks(oid):
                out.write(chunk)
                digest.update(chunk)
        return digest.hexdigest()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.stdout.close()
        self.process.wait()


def _target(parts: tuple[str, ...], link: str) -> tuple[str, ...] | None:
    """Where a relative symbolic link points, as a path inside the regions folder (None: outside)."""
    if link.startswith("/"):
        return None
    resolved: list[str] = list(parts[:-1])
    for part in link.split("/"):
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
        elif part not in ("", "."):
            resolved.append(part)
    return tuple(resolved)


def export(top: Path, relative: str, commit: str, target: Path) -> tuple[Path, dict[str, str]] | None:
    """The regions folder as the loader sees it in a commit, written under target, with the digests of
    the files it reads (Snapshot.files); None when the folder is not in the commit.

    Only the files the loader reads get their contents, and only what its size limit lets it read: a
    larger file is written as an empty (sparse) file of its size, which the loader refuses by its size,
    as in a validate. Entries it only names are written empty; files it never looks at, not at all."""
    entries = _tree(top, relative, commit)
    if entries is None:
        return None
    target.mkdir(parents=True)
    files: dict[str, str] = {}
    wanted = {parts: use for parts in entries if (use := _use(parts))}
    blobs = _Blobs(top)
    try:
        links = [parts for parts, entry in entries.items() if entry.mode == _LINK and _followed(parts)]
        seen: set[tuple[str, ...]] = set()
        while links and len(seen) < 1000:  # what a link points to is read through it: write that too
            parts = links.pop()
            if parts in seen or entries[parts].size > 4096:
                continue
            seen.add(parts)
            link = os.fsdecode(b"".join(blobs.chunks(entries[parts].oid)))
            _place(target, parts).symlink_to(link)
            wanted.pop(parts, None)
            if len(parts) == 1 or _use(parts) == "read":
                files["/".join(parts)] = "link " + link
                pointed = _target(parts, link)
                if pointed in entries:
                    wanted[pointed] = "read"
                    if entries[pointed].mode == _LINK:
                        links.append(pointed)
        for parts in entries:
            if len(parts) > 1 and not parts[0].startswith("."):
                (target / parts[0]).mkdir(exist_ok=True)  # a region folder, whatever it holds
        for parts, use in sorted(wanted.items()):
            entry = entries[parts]
            if entry.mode == _LINK:
                continue  # a link the loader does not follow
            if use == "name" and len(parts) > (3 if parts[1] == "agreements" else 2):
                (target.joinpath(*parts[:3 if parts[1] == "agreements" else 2])).mkdir(parents=True, exist_ok=True)
                continue
            path = _place(target, parts)
            if use == "name":
                path.touch()
            elif entry.size > MAX_FILE_BYTES:
                with open(path, "wb") as out:
                    out.truncate(entry.size)
                files["/".join(parts)] = f"size {entry.size}"
            else:
                files["/".join(parts)] = blobs.copy(entry.oid, path)
    finally:
        blobs.close()
    return target, files


def _place(root: Path, parts: tuple[str, ...]) -> Path:
    path = root.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def working_files(root: Path) -> dict[str, str]:
    """The digests of the files the loader reads in a regions folder on disk (as export's); links are
    not followed and a file over the loader's size limit is not read."""
    files: dict[str, str] = {}

    def add(path: Path, parts: tuple[str, ...]) -> None:
        try:
            info = path.lstat()
        except OSError:
            return
        key = "/".join(parts)
        if stat.S_ISLNK(info.st_mode):
            files[key] = "link " + os.readlink(path)
        elif not stat.S_ISREG(info.st_mode):
            files[key] = "other"
        elif info.st_size > MAX_FILE_BYTES:
            files[key] = f"size {info.st_size}"
        else:
            digest = hashlib.blake2b(digest_size=16)
            try:
                with open(path, "rb") as handle:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
            except OSError:
                return
            files[key] = digest.hexdigest()

    add(root / "municipalities.yaml", ("municipalities.yaml",))
    if (root / REGISTER_LINKS_FILE).exists():
        add(root / REGISTER_LINKS_FILE, (REGISTER_LINKS_FILE,))
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            if folder.is_symlink() and not folder.name.startswith("."):
                add(folder, (folder.name,))
            continue
        for name in sorted(_REGION_FILES):
            if (folder / name).exists() or (folder / name).is_symlink():
                add(folder / name, (folder.name, name))
        agreements = folder / "agreements"
        if agreements.is_dir() and not agreements.is_symlink():
            for path in sorted(agreements.iterdir()):
                if _use((folder.name, "agreements", path.name)) == "read":
                    add(path, (folder.name, "agreements", path.name))
    return files

