"""Worker processes: forked, so they inherit what the build loaded (the sites' specs, their data,
compiled templates) and nothing is pickled but task numbers and results.

The work reaches a worker as the argument of its process, inherited at fork; task numbers and
results go through a pipe per worker.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import sys
import traceback
from multiprocessing import connection
from typing import Any, Callable, Iterator

from .. import collector
from .spec import BuildError

# Workers yield the cores to the parent and its Pagefind runs: a search index is what the end of a
# build waits for, while the workers have work to spare.
NICENESS = 5
# Tasks handed to a worker ahead: one that finishes a task (a reused site is quick) goes straight on.
AHEAD = 2


def cores() -> int:
    """The cores this process may use (fewer than the machine's in a limited container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def count(jobs: int | None, tasks: int) -> int:
    """How many workers: `jobs`, else one per core; never more than there are tasks."""
    return max(1, min(jobs or cores(), tasks))


def _start(parent: int) -> None:
    """A worker ends with its build: a killed build must not leave workers waiting for work forever."""
    if sys.platform.startswith("linux"):
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build ended before this worker started
        os._exit(1)
    os.nice(NICENESS)
    collector.for_a_long_life()  # a worker builds many sites


def _serve(tasks: connection.Connection, run: Callable[[int], Any], parent: int, others: list) -> None:
    for end in others:  # the parent's ends, inherited: a worker sees the end of its work when the parent closes its own
        end.close()
    _start(parent)
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        try:
            result = (task, True, run(task))
        except BaseException as err:  # noqa: BLE001 - handed to the parent, which raises it
            result = (task, False, err)
        try:
            tasks.send(result)
        except Exception:  # an exception that cannot be pickled: its text instead
            tasks.send((task, False, BuildError("".join(traceback.format_exception(result[2])))))


class Pool:
    """`jobs` forked workers that run `run(task)` for the task numbers given to them."""

    def __init__(self, jobs: int, run: Callable[[int], Any]):
        context = multiprocessing.get_context("fork")
        self.pipes: dict[connection.Connection, Any] = {}
        self.busy: dict[connection.Connection, list[int]] = {}
        for _ in range(jobs):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, run, os.getpid(), [ours, *self.pipes]),
                                      daemon=True)
            process.start()
            theirs.close()
            self.pipes[ours], self.busy[ours] = process, []

    def free(self) -> connection.Connection | None:
        """A worker with room for another task, the least busy one first."""
        pipe = min(self.busy, key=lambda p: len(self.busy[p]))
        return pipe if len(self.busy[pipe]) < AHEAD else None

    def give(self, pipe: connection.Connection, task: int) -> None:
        pipe.send(task)
        self.busy[pipe].append(task)

    def running(self) -> list[int]:
        return [task for tasks in self.busy.values() for task in tasks]

    def results(self, timeout: float | None) -> Iterator[tuple[int, Any]]:
        """Results as they come in, within timeout; a failed task raises what it raised."""
        waiting = [pipe for pipe, tasks in self.busy.items() if tasks]
        sentinels = {self.pipes[pipe].sentinel: pipe for pipe in waiting}
        ready = connection.wait([*waiting, *sentinels], timeout)
        for pipe in dict.fromkeys(sentinels.get(r, r) for r in ready):  # a pipe once, with or without its sentinel
            try:
                task, ok, value = pipe.recv()
            except (EOFError, OSError):
                raise BuildError("Een werkproces van de build is onverwacht gestopt.") from None
            self.busy[pipe].remove(task)
            if not ok:
                raise value
            yield task, value

    def close(self, kill: bool = False) -> None:
        for pipe, process in self.pipes.items():
            if kill:
                process.kill()
            pipe.close()  # a worker waiting for work ends
        for process in self.pipes.values():
            process.join()
