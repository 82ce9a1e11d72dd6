"""A one-line progress display for long builds, on stderr, and only when a person is watching.

In CI, in tests and when stderr goes to a file it says nothing, so logs stay clean.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from ..escape import ci_text


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))  # "nog ongeveer 0 s" while a site is still being built reads oddly
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def line(done: int, total: int, current: str | None, elapsed: float) -> str:
    """The status line: sites done of total, the one being built, the estimated time left."""
    text = f"{done}/{total} sites klaar"
    if current:  # a region's name, on a terminal: no control sequences from the data
        text += f" · bezig: {ci_text(current)}"
    if 0 < done < total:
        text += f" · nog ongeveer {_duration(elapsed / done * (total - done))}"
    return text


class Progress:
    """Shows the status line in place (carriage return), when the stream is a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic,
                 force: bool | None = None):
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.start = clock()
        self.done = 0
        self.active = force if force is not None else _is_terminal(self.stream)
        self._width = 0

    def update(self, done: int, current: str | None) -> None:
        self.done = done
        if not self.active:
            return
        text = line(done, self.total, current, self.clock() - self.start)
        # Pad with spaces to wipe out the rest of a longer previous line.
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def finish(self) -> None:
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
