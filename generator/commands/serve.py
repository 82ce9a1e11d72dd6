"""`govsite serve REGION`: a live preview for a secretariat editing one region's YAML.

Builds the region (and a portal over it) into a temporary folder, serves that folder on 127.0.0.1,
and rebuilds whenever a YAML file of the region (or municipalities.yaml) changes. When the data is
invalid it prints the validator's findings and keeps serving the last good build, so the browser
never shows a broken page.
"""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, TextIO

from ..build import BuildError, BuildOptions, build, national_of
from ..escape import ci_lines
from ..domain.history import page_dates
from ..pipeline import check_view


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript"}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview: always show the latest build
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass


class Preview:
    """Build, serve and rebuild one region. start() and stop() for tests; run() for the command."""

    def __init__(self, regions: Path, region_id: str, on: dt.date, port: int = 8000, as_of_banner: bool = False,
                 out: TextIO = sys.stdout, err: TextIO = sys.stderr):
        self.regions = Path(regions)
        self.region_id = region_id
        self.on = on
        self.as_of_banner = as_of_banner
        self.out, self.err = out, err
        self.work = Path(tempfile.mkdtemp(prefix="govsite-serve-"))
        self.site = self.work / "site"
        self.site.mkdir()
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(_Handler, directory=str(self.site)))
        self._thread: threading.Thread | None = None
        self._seen = self._mtimes()
        self.builds = 0  # successful builds, for tests

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{self.region_id}/"

    def _files(self) -> list[Path]:
        folder = self.regions / self.region_id
        return sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml"), self.regions / "municipalities.yaml"])

    def _mtimes(self) -> dict[Path, tuple[int, int]]:
        stamps = {}
        for path in self._files():
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps[path] = (stat.st_mtime_ns, stat.st_size)
        return stamps

    def rebuild(self) -> bool:
        """Build into the served folder; on invalid data print why and keep the last good build."""
        # The check cache lives as long as the preview: a save that changes nothing, or an undo to the
        # version before, is not checked again.
        checked = check_view(self.regions, [self.region_id], self.on, look_back=self.as_of_banner,
                             cache=self.work / "check-cache")
        if checked.errors:
            for finding in checked.errors:
                print(finding.format(), file=self.err)
            print(f"govsite: {len(checked.errors)} fout(en); de vorige versie blijft te zien. "
                  "Verbeter het bestand en sla het op.", file=self.err)
            return False
        try:
            # The build's caches live and go with the preview, not in the user's cache folder.
            build(checked.regions, BuildOptions(out=self.site, on=self.on, as_of_banner=self.as_of_banner,
                                                cache=self.work / "cache"),
                  page_dates(self.regions), national=national_of(checked))  # a registry region: its compact page
        except BuildError as error:
            print(ci_lines(f"govsite: {error}\ngovsite: de vorige versie blijft te zien."), file=self.err)
            return False
        self.builds += 1
        return True

    def changed(self) -> bool:
        now = self._mtimes()
        if now != self._seen:
            self._seen = now
            return True
        return False

    def start(self, ready: Callable[[], None] | None = None) -> bool:
        """Build, then serve; ready() runs in between (the address is already taken, so a browser that
        asks before the server runs waits for it rather than failing)."""
        ok = self.rebuild()
        if ready:
            ready()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return ok

    def watch(self, stop: threading.Event, interval: float = 1.0, on_build: Callable[[bool], None] | None = None):
        """Poll the YAML files every interval seconds and rebuild on a change, until stop is set."""
        while not stop.wait(interval):
            if self.changed():
                print("govsite: wijziging gezien, opnieuw bouwen...", file=self.out, flush=True)
                ok = self.rebuild()
                if ok:
                    print(f"govsite: bijgewerkt: {self.url}", file=self.out, flush=True)
                if on_build:
                    on_build(ok)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.work, ignore_errors=True)


def serve(args, root: Path) -> int:
    """The command: runs until Ctrl-C."""
    try:
        preview = Preview(root, args.region_id, args.as_of, port=args.port, as_of_banner=args.as_of_given)
    except OSError as error:
        print(f"govsite: kan poort {args.port} niet gebruiken ({error.strerror}). Kies een andere met --port.",
              file=sys.stderr)
        return 2
    stop = threading.Event()
    try:
        # Said before the first page is served, so that it is always said.
        preview.start(ready=lambda: print(f"govsite: bekijk {preview.url} in uw browser. Wijzigingen in "
                                          f"{root / args.region_id} worden vanzelf zichtbaar. Stop met Ctrl-C.",
                                          flush=True))
        preview.watch(stop)
    except KeyboardInterrupt:
        print("\ngovsite: gestopt.")
    finally:
        stop.set()
        preview.stop()
    return 0
