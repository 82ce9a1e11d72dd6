"""The layers of the package: the domain (the regions' data, its rules and model) is usable without
the site, the build engine or the commands, so that checking data never depends on how it is shown."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_LOADED = """
import importlib, pkgutil, sys
layer = importlib.import_module("generator.{layer}")
for module in pkgutil.iter_modules(layer.__path__):
    importlib.import_module(f"generator.{layer}.{{module.name}}")
print("\\n".join(sorted(name for name in sys.modules if name.startswith({others}))))
"""


def _loaded_with(layer: str, others: tuple[str, ...]) -> list[str]:
    """The modules of `others` that importing every module of `layer` loads, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    script = _LOADED.format(layer=layer, others=tuple(f"generator.{name}" for name in others))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_domain_imports_nothing_of_site_engine_or_commands():
    assert _loaded_with("domain", ("site", "engine", "commands")) == []


def test_the_engine_imports_nothing_of_the_domain_site_or_commands():
    """The engine builds any set of sites from their specs: it knows no regions and no MkDocs."""
    assert _loaded_with("engine", ("domain", "site", "commands")) == []


def test_validate_without_the_site_still_refuses_a_reserved_folder_name(tmp_path):
    """The reserved names (the portal's own top-level paths) reach the validator from its caller:
    `govsite validate` still refuses a region folder that would take one."""
    from generator.site import outputs

    name = sorted(outputs.reserved())[0]
    regions = tmp_path / "regions"
    regions.mkdir()
    (regions / "municipalities.yaml").write_bytes((ROOT / "examples" / "municipalities.yaml").read_bytes())
    region = regions / name
    region.mkdir()
    (region / "region.yaml").write_text(f"id: {name}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--regions", str(regions)],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert f"de mapnaam '{name}' is gereserveerd" in done.stdout + done.stderr
