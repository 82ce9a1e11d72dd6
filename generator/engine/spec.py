"""What the engine is given: the sites to build, each as plain data and two callables, and its options.

The engine knows no regions: a planner (site/planner.py) says what each site is, and the engine keeps,
reuses, builds, indexes and publishes them all alike. A site with folder "" is the root site: the
other sites' folders sit inside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

# The engine's own folders in the output (site/outputs.py reserves them at the root).
PAGEFIND = "pagefind"  # every site's own search bundle, in its folder
SEARCH_GROUPS = "zoekindex"  # the shared search groups' indexes, at the root: zoekindex/deel-N/
ROOT_ASIDE = ".govsite-root"  # the root site is built here inside the work folder, then moved to its root


class BuildError(Exception):
    """The build cannot go on; the message says why in plain words."""

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Inputs:
    """What rendering a site depends on, for its inputs key (cache.inputs_key): unchanged, the site is
    reused without being rendered."""

    files: dict[str, Path]  # by label; a file that does not exist counts as absent
    values: Any = None  # JSON-able: dates, history, options
    folders: tuple[Path, ...] = ()  # folders of pages copied in whole


@dataclass(frozen=True)
class Rendered:
    """A site's Markdown as the builder takes it: its docs folder and settings."""

    name: str
    docs_dir: Path
    nav: list
    extra: dict[str, Any]


@dataclass(frozen=True)
class Previous:
    """What a builder may reuse pages from: the page keys of the site's previous build and where that
    build's output is (None: nothing to reuse); `shared` is the key of what every site depends on."""

    pages: dict[str, str]
    folder: Path | None
    shared: str


@dataclass(frozen=True)
class Built:
    """What a builder reports: the key of every page it wrote, and how many it took from Previous."""

    pages: dict[str, str] = field(default_factory=dict)
    reused: int = 0


# builder(rendered, into folder, previous) builds one site, in the process that calls it. The folder holds
# no files, but may hold folders of the site's build before the previous one (publish.emptied): the builder
# writes into them, and leaves any it does not need for the engine to remove.
Builder = Callable[[Rendered, Path, Previous], Built]


@dataclass(frozen=True)
class SiteSpec:
    name: str  # its key in the manifest, and the name of its search copies
    folder: str  # its place in the output: a top-level folder, or "" for the root site
    inputs: Callable[[], Inputs]  # evaluated where the site is built
    render: Callable[[Path], Rendered]  # writes the site's Markdown into the given docs folder
    publish: dict[str, Path] = field(default_factory=dict)  # files copied into the built site, by path
    watch: str | None = None  # a key of its source files: when it changed, the site is built first
    searchable: bool = False  # indexed into the shared search groups
    label: str = ""  # what progress and messages call it (default: name)

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass
class EngineOptions:
    out: Path
    cache: Path  # the build's cache folder (cache.cache_folder)
    # What every site depends on besides the engine's own code (cache.shared_key): a configuration
    # file, a theme folder and settings.
    config: Path
    theme: Path | None
    settings: dict[str, Any]
    jobs: int | None = None  # worker processes; None: one per core
    incremental: bool = True  # reuse what the previous output holds
    progress: bool = False  # a progress line on stderr, when stderr is a terminal
    markdown: Path | None = None  # a copy of every site's Markdown goes here, laid out as the output
    warm_up: Callable[[], None] | None = None  # when nothing can be reused: run once before the workers fork
    timings: dict[str, Any] = field(default_factory=dict)  # filled in: seconds per step
