"""The example regions built once per test session, for every test that reads the built site.

Use it in a test module with

    pytest_plugins = ["builtsite"]   # tests/ is on sys.path (pytest rootdir-conftest)

and the fixtures `built_site` (the output folder, a Path) and `site_url` (the same folder served on
http://127.0.0.1:<port>/ by a thread). Or call `build_examples(out)` and `serve(folder)` yourself.
Built as on AS_OF, so no test depends on today's date.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator

import pytest

from generator.build import BuildOptions, build
from generator.domain.history import page_dates
from generator.pipeline import check

PROJECT = Path(__file__).resolve().parent.parent
REGIONS = PROJECT / "examples"
AS_OF = dt.date(2026, 11, 26)


def build_examples(out: Path, regions: Path = REGIONS, on: dt.date = AS_OF) -> Path:
    """Validate and build the example regions (and the portal) into out; returns out."""
    checked = check(regions, None, on)
    if checked.errors:
        raise AssertionError("the example regions do not validate:\n" + "\n".join(f.format() for f in checked.errors))
    return build(checked.regions, BuildOptions(out=out, on=on, as_of_banner=True), page_dates(regions))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".pf_meta": "application/octet-stream"}

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 on a free port in a thread; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_examples(tmp_path_factory.mktemp("built") / "site")


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    with serve(built_site) as url:
        yield url
