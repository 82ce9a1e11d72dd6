"""Publishing: the new output replaces the old one whole, or not at all.

The new output is built in .<out>.building-<pid>-* next to out. On Linux, out and that folder are
exchanged in one step (renameat2 RENAME_EXCHANGE), so out is always a complete site, old or new.
Elsewhere out is first renamed to .<out>.old-<pid> and the work folder then renamed to out; a build
killed between those two renames leaves no out, and the next build (recover) puts the old one back.

The output before the current one is kept as a spare (.<out>.spare), which the next build starts
from; folders that go are moved into a trash folder beside out and deleted in the background.
"""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import cache

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_LEFTOVER = re.compile(r"^\.(?P<out>.+)\.(?:building|old)-(?P<pid>[0-9]+)(?:-.*)?$")


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot (then nothing happened)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def swap(work: Path, out: Path, atomic: bool = True) -> Path | None:
    """Replace out by work: atomically where the file system allows (and `atomic`), else with a
    recoverable window. Returns where the previous output now is."""
    if atomic and out.exists() and exchange(work, out):
        return work  # now holds the previous output
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(work, out)
    return old if old.exists() else None


def spare_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.spare")


def work_folder(out: Path, incremental: bool, folder: Path) -> tuple[Path, dict[str, dict[str, str]]]:
    """The folder the new output is built in, next to out, and the manifest of what it holds already.

    The next build starts from the spare: a site whose files there are what this build needs is left
    as it is, and only the others are replaced, rather than hard-linking thousands of unchanged files
    from the current output and deleting as many afterwards. Without a usable spare (or with --clean)
    the build starts from an empty folder. The spare is trusted only through its manifest in the
    cache folder `folder` (and its fingerprints).
    """
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-", dir=out.parent))
    spare = spare_path(out)
    if spare.is_symlink() or spare.is_file():  # never the build's own: only removed
        spare.unlink()
    elif spare.is_dir():
        manifest = cache.read_manifest(cache.manifest_path(folder, spare=True)) if incremental else {}
        if manifest:
            os.replace(spare, work)  # work is an empty folder: replaced
            cache.forget(cache.manifest_path(folder, spare=True))
            return work, manifest
        discard(spare, cache.trash_folder(out))
    return work, {}


def keep_spare(old: Path | None, out: Path, manifest: dict[str, dict[str, str]], folder: Path) -> None:
    """Keep the previous output (now at `old`) as the spare for the next build, with its manifest."""
    if old is None:
        return
    spare, trash = spare_path(out), cache.trash_folder(out)
    if not manifest or spare.exists():
        discard(old, trash)
        return
    try:
        os.replace(old, spare)
    except OSError:
        discard(old, trash)
        return
    cache.write_manifest(cache.manifest_path(folder, spare=True), manifest)


def discard(folder: Path, trash: Path) -> None:
    """Out of the way at once, without waiting for its deletion: into the trash folder, which
    empty_trash empties in the background at the end of the build."""
    if trash.is_symlink() or trash.is_file():  # not the build's own (emptying it follows no link)
        trash.unlink()
    trash.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(folder, trash / f"{folder.name}-{os.getpid()}-{time.time_ns()}")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def clear(folder: Path, out: Path) -> None:
    """Make room for a site in the work folder: what the spare had there goes. Its files may be the
    current output's too (hard links), so nothing may be written into them: they are moved into the
    trash (deleting hundreds of files would hold up the site being built), and the site written anew."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        discard(folder, cache.trash_folder(out))


def emptied(folder: Path) -> list[str]:
    """Make room for a site where the spare has it, keeping its folders: every file (and link) in it is
    removed, so that nothing the build writes can land in a file shared with the current output (clear()),
    while the folders stay to be written into: making a folder costs a file system far more than a file or
    a hard link, and the portal has over a thousand. Returns the folders kept, deepest first, for prune()
    once the site is built."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    kept: list[str] = []
    if folder.is_dir():
        _empty(str(folder), kept)
    return kept


def _empty(folder: str, kept: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _empty(entry.path, kept)
                kept.append(entry.path)
            else:
                os.unlink(entry.path)


def prune(folders: list[str]) -> None:
    """Remove the kept folders (emptied()) that the build left empty: a site has no empty folders."""
    for folder in folders:  # deepest first: a folder that held only empty ones goes too
        try:
            os.rmdir(folder)
        except OSError:  # holds what the build wrote
            pass


def empty_trash(trash: Path) -> None:
    """Delete what is in the trash folder in a separate process; what it does not finish (killed, a
    machine turned off), the next build's does."""
    if trash.is_symlink() or not trash.is_dir() or not any(trash.iterdir()):
        return
    script = "import shutil, sys\nfor p in __import__('pathlib').Path(sys.argv[1]).iterdir(): shutil.rmtree(p, True)"
    try:
        subprocess.Popen([sys.executable, "-c", script, str(trash)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True


def recover(out: Path) -> None:
    """Clear what killed builds left next to out: restore out from .<out>.old-<pid> when out is missing
    (killed mid-swap), and remove the work and old folders of builds that no longer run."""
    if not out.parent.is_dir():
        return
    leftovers = []
    for entry in sorted(out.parent.iterdir()):
        match = _LEFTOVER.match(entry.name)
        if match and match.group("out") == out.name and not running(int(match.group("pid"))):
            leftovers.append(entry)
    for entry in leftovers:
        if ".old-" in entry.name and not out.exists() and entry.is_dir():
            os.replace(entry, out)
    for entry in leftovers:
        if entry.exists():
            discard(entry, cache.trash_folder(out))


# --- hard-linked copies: a site reused from the previous output -----------------------------------

def link_tree(source: Path | str, target: Path | str) -> None:
    """A copy of a built site made of hard links (a real copy across file systems).

    Nothing may write into a reused site afterwards: its files are shared with the previous output,
    which must stay untouched until the swap. (Leaner than shutil.copytree, which also copies every
    folder's times and permissions.)
    """
    os.makedirs(target)
    _link_folder(source, target)


def _link_folder(source: Path | str, target: Path | str) -> None:
    with os.scandir(source) as entries:
        for entry in entries:
            destination = os.path.join(target, entry.name)
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), destination)
            elif entry.is_dir():
                os.mkdir(destination)
                _link_folder(entry.path, destination)
            else:
                link(entry.path, destination)


def link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


# --- scratch: the Markdown that lives only during the build -----------------------------------------

SHARED_MEMORY = "/dev/shm"
SCRATCH_PREFIX = "govsite-md-"  # then the pid of the build, a dash and a random part


def scratch() -> str | None:
    """Where the Markdown goes that lives only during the build: in memory (Linux's /dev/shm) when it
    has room to spare, which makes writing and reading those thousands of small files much cheaper
    than on disk; else the system's temporary folder."""
    try:
        if os.access(SHARED_MEMORY, os.W_OK) and shutil.disk_usage(SHARED_MEMORY).free > 1 << 30:
            return SHARED_MEMORY
    except OSError:
        pass
    return None


def scratch_folder() -> Path:
    """A new scratch folder for this build, after removing those of builds that were killed (a killed
    process cannot clean up; in /dev/shm what it left would hold memory until the machine restarts)."""
    where = scratch()
    for entry in Path(where or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = entry.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not running(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=where))
