"""The build's worker processes: how many, how each one starts, and one started early.

An incremental build usually builds one region: a pull request changes one. The worker that builds
it would first spend a tenth of a second importing MkDocs, Material and Markdown and loading the
theme, after this process had imported and checked everything. For an incremental build, that
worker is started before the check, before this process's own imports even (start_first): it gets
ready on the other core while this process checks, and builds the changed region as soon as the
check is done (build.prepare_worker, build._first_task).

This module imports only the standard library: it runs before the rest of govsite is imported.
"""
from __future__ import annotations

import concurrent.futures as futures
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from pathlib import Path

# Workers yield the cores to the build's own process and its Pagefind runs: a search index is what
# the end of a build waits for (after a one-region change, its group's index), while the workers
# have work to spare. The first worker does not: the end of the build waits for the region it builds.
NICENESS = 5


def cores() -> int:
    """The cores this process may use (fewer than the machine's in a limited container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start_worker(parent: int, niceness: int = NICENESS) -> None:
    """A worker ends with its build: a killed build must not leave workers waiting for work forever
    (they would, as each holds the others' end of the task queue open)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build ended before this worker started
        os._exit(1)
    os.nice(niceness)
    gc.enable()  # a worker builds many sites (govsite's command runs without the collector, see cli.run)


def start_first(out: Path) -> futures.ProcessPoolExecutor:
    """A worker, forked now, that gets ready to build sites into out while this process goes on."""
    first = futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_prepare, initargs=(os.getpid(), str(out)))
    first.submit(int)  # a pool starts its process with its first task
    return first


def _prepare(parent: int, out: str) -> None:
    start_worker(parent, niceness=0)
    from .build import prepare_worker

    prepare_worker(Path(out))
