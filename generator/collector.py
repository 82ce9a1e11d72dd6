"""Python's cyclic garbage collector, tuned in one place.

What govsite keeps in memory (loaded regions, their values and positions, typed files, compiled
templates, the imported libraries) lives as long as the command and holds no reference cycles to
reclaim, so the collector would only walk it again and again. Hence:
- a command runs without it (`for_a_command`), and a process that lives on (`govsite serve`, a build's
  workers) turns it back on (`for_a_long_life`);
- a check pauses it while it builds its objects (`paused`), also where it is on;
- a build freezes what it loaded before it forks its workers (`frozen`), so that their collectors leave
  it alone.
The measurements behind each choice are in the commit messages that made them.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


def for_a_command() -> None:
    gc.disable()


def at_exit() -> None:
    """Nor a last round at the end: the process ends and frees everything."""
    gc.freeze()


def for_a_long_life() -> None:
    gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # a long-lived process (govsite serve) builds again
