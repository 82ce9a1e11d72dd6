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
import generator.domain as domain
for module in pkgutil.iter_modules(domain.__path__):
    importlib.import_module(f"generator.domain.{module.name}")
print("\\n".join(sorted(name for name in sys.modules
                        if name.startswith(("generator.site", "generator.engine", "generator.commands")))))
"""


def test_the_domain_imports_nothing_of_site_engine_or_commands():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", _LOADED], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_validate_without_the_site_still_refuses_a_reserved_folder_name(tmp_path):
    """The reserved names (the portal's own top-level paths) reach the validator from its caller:
    `govsite validate` still refuses a region folder that would take one."""
    from generator.site import outputs

    name = sorted(outputs.reserved())[0]
    regions = tmp_path / "regions"
    regions.mkdir()
    (regions / "municipalities.yaml").write_bytes((ROOT / "regions" / "municipalities.yaml").read_bytes())
    region = regions / name
    region.mkdir()
    (region / "region.yaml").write_text(f"id: {name}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "generator", "validate", "--regions", str(regions)],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert f"de mapnaam '{name}' is gereserveerd" in done.stdout + done.stderr
