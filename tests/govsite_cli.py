"""govsite as a user runs it: the command in a process of its own, on this checkout's code.

Shared by the tests that go through the command line (`from govsite_cli import govsite`; tests/ is on
sys.path), so that each of them runs the program the same way."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def govsite(*args: str, cwd: Path, timeout: float = 300, env: dict[str, str | None] | None = None,
            text: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` in cwd; env adds to (a value of None: removes from) this process's."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=text,
                          timeout=timeout, env=environment, **kwargs)


def package_copy(folder: Path) -> Path:
    """A copy of the generator package in folder (for PYTHONPATH), as another installation of it."""
    shutil.copytree(ROOT / "generator", folder / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return folder
