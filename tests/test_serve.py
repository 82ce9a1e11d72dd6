"""`govsite serve`: the preview rebuilds on a change and keeps the last good build on invalid data."""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path

from generator.commands.serve import Preview

PROJECT = Path(__file__).resolve().parent.parent
REGION = "voorbeeldland-west-jeugd"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_on_change_and_keeps_last_good_build(tmp_path):
    regions = tmp_path / "regions"
    regions.mkdir()
    shutil.copy(PROJECT / "examples" / "municipalities.yaml", regions)
    shutil.copytree(PROJECT / "examples" / REGION, regions / REGION)
    err = io.StringIO()
    preview = Preview(regions, REGION, dt.date(2026, 11, 26), port=0, out=io.StringIO(), err=err)
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop, 0.2), daemon=True)
    try:
        assert preview.start()
        assert preview.url.startswith("http://127.0.0.1:")
        assert "<h1 id=\"jeugdregio-voorbeeldland-west\">Jeugdregio Voorbeeldland-West</h1>" in fetch(preview.url)
        watcher.start()

        # an edit to a YAML file shows up without restarting
        region_yaml = regions / REGION / "region.yaml"
        region_yaml.write_text(region_yaml.read_text(encoding="utf-8").replace(
            "name: Jeugdregio Voorbeeldland-West", "name: Jeugdregio Voorbeeldland-West en Omstreken"), encoding="utf-8")
        assert wait_for(lambda: "Jeugdregio Voorbeeldland-West en Omstreken" in fetch(preview.url)), \
            "the edit did not appear"

        # invalid data: the findings are printed, with file, line and column; the last good build stays
        time.sleep(1)  # let a second poll that saw the same edit finish its build
        builds = preview.builds
        organisation = regions / REGION / "organisation.yaml"
        organisation.write_text(organisation.read_text(encoding="utf-8").replace(
            "role: eigenaar", "role: eigenar", 1), encoding="utf-8")
        assert wait_for(lambda: "organisation.yaml:" in err.getvalue()), err.getvalue()
        assert "de vorige versie blijft te zien" in err.getvalue()
        assert preview.builds == builds
        assert "Jeugdregio Voorbeeldland-West en Omstreken" in fetch(preview.url + "organisatie/")
    finally:
        stop.set()
        watcher.join(timeout=5) if watcher.is_alive() else None
        preview.stop()
    assert not preview.work.exists()  # the temporary folder is cleaned up


def test_serve_command_starts_and_stops_cleanly_on_ctrl_c(tmp_path):
    import signal
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", REGION, "--port", str(port), "--as-of", "2026-11-26",
         "--regions", str(PROJECT / "examples")],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # As from a terminal: a test run started in the background ignores Ctrl-C, and so would its children.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        url = f"http://127.0.0.1:{port}/{REGION}/"

        def up() -> bool:
            try:
                return "Jeugdregio Voorbeeldland-West" in fetch(url)
            except OSError:
                return False

        assert wait_for(up, 60), process.stderr.read() if process.poll() is not None else "not serving"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/{REGION}/" in out and "gestopt" in out
    assert "Traceback" not in err


def test_only_serve_runs_with_the_garbage_collector(tmp_path):
    """govsite's commands run without the cyclic collector (their process ends with them); serve
    lives on, rebuilding again and again, and turns it back on. Seen from outside: Python runs a
    sitecustomize module found on PYTHONPATH at start, which here reports the collector's state when
    the process ends."""
    import signal
    import socket
    import subprocess
    import sys

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(f'collector at exit: {gc.isenabled()}', file=sys.stderr))\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hook)}
    validate = subprocess.run([sys.executable, "-m", "generator", "validate", "--regions", str(PROJECT / "examples"),
                               "--as-of", "2026-11-26"], cwd=PROJECT, env=env, capture_output=True, text=True)
    assert validate.returncode == 0, validate.stderr
    assert "collector at exit: False" in validate.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", REGION, "--port", str(port), "--as-of", "2026-11-26",
         "--regions", str(PROJECT / "examples")], cwd=PROJECT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        def up() -> bool:
            try:
                return "Jeugdregio Voorbeeldland-West" in fetch(f"http://127.0.0.1:{port}/{REGION}/")
            except OSError:
                return False

        assert wait_for(up, 60), process.stderr.read() if process.poll() is not None else "not serving"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "collector at exit: True" in err, err
