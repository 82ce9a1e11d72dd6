"""The build engine: every site of a plan (spec.SiteSpec) into the output folder, whole or not at all.

For each site: a key of its inputs, and when that is the one of the previous build the site is taken
as it is (from the spare the work folder starts as, or hard-linked from the previous output);
otherwise it is rendered, and when the key of what was rendered is the previous one it is taken
likewise; otherwise the builder builds it, reusing the pages whose keys did not change. Sites are
built by forked workers; the parent indexes each built site with Pagefind, and the shared search
groups once all their sites are ready. Only then is the new output swapped in (publish.py).

The root site (folder "") holds the other sites' folders and the search groups: it is built aside
and moved in at the end, and its fingerprint leaves the others' folders out. Its pages are indexed
in groups of their own (index.page_groups), each kept or made again like a site, so that a change
to one page re-indexes one small group rather than the whole root site.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import collector
from . import cache, index, publish, words, workers
from .progress import Progress
from .spec import ROOT_ASIDE, BuildError, Builder, EngineOptions, Previous, SiteSpec

STEP_BUILD = "mkdocs"  # the builder's step in the timings (the name the benchmark has always read)


@dataclass
class Done:
    name: str
    inputs: str  # key of what went into rendering the site
    key: str  # key of the rendered site
    reused: bool
    seconds: dict[str, float]  # CPU seconds per step
    pages: dict[str, str] = field(default_factory=dict)  # page -> key, of a built site
    pages_reused: int = 0  # pages of a built site taken from the previous build
    fingerprint: str | None = None  # of a reused site: its files are the ones it had (cache.fingerprint)
    spare: bool = False  # a reused site that was in the work folder already


def _cpu() -> float:
    """CPU seconds of this process: unlike the wall clock, not inflated when other work competes."""
    return sum(os.times()[:2])


def _timed(seconds: dict[str, float], step: str, started: float) -> float:
    now = _cpu()
    seconds[step] = seconds.get(step, 0.0) + now - started
    return now


def _top(folder: str) -> str:
    return folder.split("/")[0]


@dataclass
class _Job:
    """One build's sites and folders; made before the workers fork, which inherit it with `run`."""

    specs: list[SiteSpec]
    builder: Builder
    out: Path  # the previous output, still in place while the new one is built
    work: Path
    markdown: Path
    pages: Path  # the copies of the sites' pages for Pagefind (index.copies), kept between builds
    shared: str  # key of what every site depends on
    previous: dict[str, dict[str, str]]  # name -> keys, of the sites in the previous output
    spare: dict[str, dict[str, str]]  # the same, of what the work folder started with
    skip: set[str]  # what sits at the root but is not the root site's
    vocabulary: Path  # the words of each merged bundle, kept between builds (words.cached_words)

    @property
    def links(self) -> Path:
        """This build's folder for the pages of the root site's groups (index.link_pages)."""
        return self.pages / f"{index.GROUP_LINKS}{os.getpid()}"

    def place(self, spec: SiteSpec) -> Path:
        return self.work / (spec.folder or ROOT_ASIDE)

    def room(self, spec: SiteSpec) -> Path:
        """The site's place in the work folder, with what the spare had of it: the root site's place aside
        takes the spare's root entries along (_move_root would discard them), to build in its folders."""
        target = self.place(spec)
        if not spec.folder and not target.exists():
            target.mkdir()
            for entry in sorted(self.work.iterdir()):
                if entry.name not in self.skip:
                    os.replace(entry, target / entry.name)
        return target

    def run(self, number: int) -> Done:
        """Make one site ready in the work folder: reused, or rendered and built."""
        spec = self.specs[number]
        seconds: dict[str, float] = {}
        started = _cpu()
        given = spec.inputs()
        inputs = cache.inputs_key(self.shared, given.files, given.values, given.folders)
        started = _timed(seconds, "key", started)
        ready = _Ready(self, spec.name, spec.folder, self.skip if not spec.folder else set())
        if (entry := ready.take("inputs", inputs)) is not None:
            _timed(seconds, "reuse", started)
            return ready.done(entry, inputs, seconds)
        site = spec.render(self.markdown / spec.name)
        started = _timed(seconds, "render", started)
        # Taken from what was rendered, so it covers every input of the pages (see cache.py).
        key = cache.site_key(self.shared, site.name, site.nav, site.extra, site.docs_dir, spec.publish)
        started = _timed(seconds, "key", started)
        if (entry := ready.take("output", key)) is not None:
            _timed(seconds, "reuse", started)
            return ready.done(entry, inputs, seconds)
        target = self.room(spec)
        kept = publish.emptied(target)
        before = self.previous.get(spec.name, {}) if ready.out_intact() else {}
        built = self.builder(site, target, Previous(before.get("pages", {}), self.out / spec.folder if before
                                                    else None, self.shared))
        for path, source in sorted(spec.publish.items()):
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / path)
        publish.prune(kept)
        started = _timed(seconds, STEP_BUILD, started)
        index.copies(self.pages, spec.name, key, target)
        _timed(seconds, "index", started)
        return Done(spec.name, inputs, key, False, seconds, built.pages, built.reused)


class _Ready:
    """Where a site that need not be built again is found ready: in the work folder itself, which starts
    as the output before the previous one (the spare), or in the previous output, whose files are then
    hard-linked into the work folder. `folder` is the site's place in both; for the root site ("")
    `skip` names what at the root is not its own."""

    def __init__(self, job: _Job, name: str, folder: str, skip: set[str]):
        self.job, self.name, self.folder, self.skip = job, name, folder, skip
        self.kept, self.before = job.spare.get(name, {}), job.previous.get(name, {})
        self._intact: dict[str, bool] = {}

    def _is_intact(self, place: str) -> bool:
        if place not in self._intact:
            root, entry = (self.job.work, self.kept) if place == "spare" else (self.job.out, self.before)
            folder = root / self.folder
            self._intact[place] = bool(entry) and folder.is_dir() and \
                cache.fingerprint(folder, self.skip) == entry.get("fingerprint")
        return self._intact[place]

    def out_intact(self) -> bool:
        return self._is_intact("out")

    def take(self, field: str, value: str) -> dict | None:
        """The manifest entry of the ready site whose keys[field] is value, now in place; or None."""
        job = self.job
        if self.kept.get(field) == value and self._is_intact("spare"):
            return self.kept
        if self.before.get(field) == value and self.out_intact():
            if self.folder:
                publish.clear(job.work / self.folder, job.out)
                publish.link_tree(job.out / self.folder, job.work / self.folder)
            else:  # the root site's files, into its place aside (moved to the root at the end)
                (job.work / ROOT_ASIDE).mkdir()
                for entry in sorted(job.out.iterdir()):
                    if entry.name in self.skip:
                        continue
                    if entry.is_dir() and not entry.is_symlink():
                        publish.link_tree(entry, job.work / ROOT_ASIDE / entry.name)
                    else:
                        publish.link(str(entry), str(job.work / ROOT_ASIDE / entry.name))
            return self.before
        return None

    def done(self, entry: dict, inputs: str, seconds: dict[str, float]) -> Done:
        return Done(self.name, inputs, entry["output"], True, seconds, entry.get("pages", {}),
                    fingerprint=entry["fingerprint"], spare=entry is self.kept)


def order(specs: list[SiteSpec], groups: dict[str, list[str]], changed: set[str]) -> list[int]:
    """The order the sites are built in: the searchable sites whose watched files changed since the
    last build first, then the others of their search groups (each group's index waits for all its
    sites), then the sites outside the groups, then the rest; each part group by group, so that the
    groups' indexes can start while later sites are still being built. When every searchable site
    changed (a first build), the sites outside the groups go first."""
    group_of = {name: n for n, names in enumerate(groups.values()) for name in names}
    grouped = sorted((i for i, s in enumerate(specs) if s.name in group_of), key=lambda i: (group_of[specs[i].name], i))
    first = [i for i in grouped if specs[i].name in changed]
    if len(first) == len(grouped):
        first = []
    waited = {group_of[specs[i].name] for i in first}
    with_first = [i for i in grouped if i not in first and group_of[specs[i].name] in waited]
    rest = [i for i in grouped if i not in first and group_of[specs[i].name] not in waited]
    return [*first, *with_first, *(i for i, s in enumerate(specs) if s.name not in group_of), *rest]


class _Schedule:
    """The sites in order, and the search indexes of what was built (index.Indexer, in this process)."""

    def __init__(self, job: _Job, groups: dict[str, list[str]], changed: set[str], indexer: index.Indexer):
        self.job, self.groups, self.indexer = job, groups, indexer
        self.waiting = order(job.specs, groups, changed)
        self.open = {name: set(names) for name, names in groups.items()}
        self.done: list[Done] = []  # the sites
        self.parts: list[Done] = []  # the groups' search indexes, and the root site's own
        self.page_parts: list[str] = []  # the groups of the root site's pages in zoekindex/, by name
        self.vocabulary: str | None = None  # the search vocabulary's name in zoekindex/, when there is one (words.py)
        self.seconds: dict[str, float] = {}  # CPU seconds of this process's own steps

    def finished(self, result: Done) -> None:
        """A site is ready: index it if it was built, and its group once all the group's sites are ready."""
        self.done.append(result)
        # The group's index first: after a one-site change, the end of the build waits for it.
        for name, missing in self.open.items():
            if result.name in missing:
                missing.discard(result.name)
                if not missing:
                    self.parts.append(self._part(name))
        spec = next(s for s in self.job.specs if s.name == result.name)
        if not spec.folder:
            self._page_groups(spec, result)
        elif not result.reused:
            folder = self.job.place(spec)
            self.indexer.add(spec.title, index.site_command(self.job.pages / spec.name, folder),
                             then=lambda: index.trim_site(folder))

    def _part(self, name: str) -> Done:
        """A group's index: made again only when one of its sites changed."""
        job = self.job
        site = f"{index.PARTS}/{name}"
        keys = {d.name: d.key for d in self.done if d.name in self.groups[name]}
        key = cache.part_key(job.shared, keys)
        ready = _Ready(job, site, site, set())
        if (entry := ready.take("output", key)) is not None:
            return ready.done(entry, key, {})
        publish.clear(job.work / site, job.out)
        folders = {s.name: s.folder for s in job.specs}
        for member in self.groups[name]:  # made by the worker, or kept from an earlier build
            index.copies(job.pages, member, keys[member], job.work / folders[member])
        # Pagefind writes only what changed since the previous output's index (index.seed_part).
        seeded = ready.out_intact() and index.seed_part(job.out / site, job.work / site)
        self._index(f"zoekindex {name}", site, index.part_command(job.pages, job.work, name, self.groups[name]),
                    index.trim_merged, seeded)
        return Done(site, key, key, False, {})

    def _page_groups(self, spec: SiteSpec, result: Done) -> None:
        """The root site's pages in groups (index.page_groups), built or reused: each group indexed
        again only when the HTML of one of its pages changed (its key: the pages' digests)."""
        job = self.job
        aside = job.work / ROOT_ASIDE
        site = aside if aside.is_dir() else job.work  # a root site kept from the spare is in place already
        pages = index.copies(job.pages, spec.name, result.key, site, job.skip)
        for number, group in enumerate(index.page_groups(list(pages))):
            folder = index.page_group_folder(number)
            if number:
                self.page_parts.append(folder.split("/", 1)[1])
            key = cache.part_key(job.shared, {page: pages[page] for page in group})
            ready = _Ready(job, folder, folder, set())
            if (entry := ready.take("output", key)) is not None:
                self.parts.append(ready.done(entry, key, {}))
                continue
            publish.clear(job.work / folder, job.out)
            links = index.link_pages(job.pages / spec.name, group, job.links / str(number))
            seeded = ready.out_intact() and index.seed_part(job.out / folder, job.work / folder)
            self._index(f"{spec.title} ({folder})", folder, index.bundle_command(links, job.work / folder),
                        index.trim_merged if number else index.trim_bundle, seeded, links)
            self.parts.append(Done(folder, key, key, False, {}))

    def _index(self, what: str, folder: str, command: list[str], trim: Callable[[Path], None], seeded: bool,
               links: Path | None = None) -> None:
        """Pagefind into the bundle work/folder, then trimmed; a seeded bundle (index.seed_part) is
        pruned, or made again from nothing where that cannot be done. `links`: its pages, removed after."""
        job = self.job

        def then() -> None:
            trim(job.work / folder)
            if seeded and not index.prune(job.work / folder, job.out / folder):
                publish.clear(job.work / folder, job.out)  # what the previous index left could not be told apart
                self._index(what, folder, command, trim, False, links)
            elif links is not None:
                shutil.rmtree(links, ignore_errors=True)

        self.indexer.add(what, command, then=then)

    def run(self, jobs: int, progress: Progress) -> None:
        """Build the sites, in worker processes when there is more than one core to use, and index them."""
        names = [s.title for s in self.job.specs]
        if jobs == 1:
            while self.waiting:
                task = self.waiting.pop(0)
                progress.update(len(self.done), names[task])
                self.finished(self.job.run(task))
        else:
            # What the build loaded lives as long as the build: the workers' collector need not walk it.
            with collector.frozen():
                self._run_in(workers.Pool(jobs, self.job.run), progress, names)
        progress.update(len(self.done), "zoekindex" if self.indexer.poll() else None)
        self.indexer.wait()
        self._vocabulary()  # it reads every bundle the root's search merges: once they are all ready
        self.indexer.wait()
        progress.update(len(self.done), None)

    def _vocabulary(self) -> None:
        """The search vocabulary (words.py) over the bundles the root site's search merges, when it
        merges more than one: made again only when the set of their words changed."""
        job = self.job
        bundles = sorted(self.parts, key=lambda done: done.name)
        if len(bundles) < 2 or not any(done.name == index.PAGEFIND for done in bundles):
            return
        started = _cpu()
        found: set[str] = set()
        for done in bundles:
            found |= words.cached_words(job.vocabulary, done.name, done.key, job.work / done.name)
        words.forget(job.vocabulary, {done.name for done in bundles})
        if not found:
            return
        ordered = sorted(found)
        key = words.key(job.shared, ordered)
        self.vocabulary = words.FOLDER
        folder = f"{index.PARTS}/{words.FOLDER}"
        ready = _Ready(job, folder, folder, set())
        if (entry := ready.take("output", key)) is not None:
            self.parts.append(ready.done(entry, key, {}))
        else:
            publish.clear(job.work / folder, job.out)
            pages = words.write_pages(ordered, job.links / words.FOLDER)
            self._index("de woordenlijst", folder, index.bundle_command(pages, job.work / folder),
                        index.trim_merged, False, pages)
            self.parts.append(Done(folder, key, key, False, {}))
        _timed(self.seconds, "words", started)

    def _run_in(self, pool: workers.Pool, progress: Progress, names: list[str]) -> None:
        try:
            while self.waiting or pool.running():
                while self.waiting and (worker := pool.free()) is not None:
                    pool.give(worker, self.waiting.pop(0))
                progress.update(len(self.done), names[min(pool.running())])
                # Look after the search indexes while the workers build.
                for _, result in pool.results(0.02 if self.indexer.poll() else None):
                    self.finished(result)
        except BaseException:
            pool.close(kill=True)
            raise
        pool.close()


def build(specs: list[SiteSpec], options: EngineOptions, builder: Builder,
          progress: Progress | None = None) -> dict[str, Any]:
    """Build every site into options.out; returns the summary that also goes into options.timings."""
    started = time.perf_counter()
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names) or len({s.folder for s in specs}) != len(specs) or \
            any("/" in s.folder or s.folder in ("..", ".") for s in specs):
        raise ValueError("every site needs a name and a top-level folder of its own")
    out = options.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    publish.recover(out)
    trash = cache.trash_folder(out)
    work, spare = publish.work_folder(out, options.incremental, options.cache)
    markdown = publish.scratch_folder()
    groups = index.parts([s.name for s in specs if s.searchable])
    indexer = index.Indexer(workers.cores())
    progress = progress or Progress(len(specs), force=None if options.progress else False)
    try:
        shared = cache.shared_key(options.config, options.theme, options.settings)
        current = cache.read_manifest(cache.manifest_path(options.cache)) if out.is_dir() else {}
        previous = current if options.incremental else {}
        changed = {s.name for s in specs if s.watch is not None and previous.get(s.name, {}).get("files") != s.watch}
        folders = {s.folder for s in specs} | {f"{index.PARTS}/{name}" for name in groups}
        old = {entry.get("folder", "") for entry in [*previous.values(), *spare.values()]}
        skip = {_top(f) for f in folders | old if f} | {index.PARTS, index.PAGEFIND, ROOT_ASIDE}
        job = _Job(specs, builder, out, work, markdown, options.cache / "search", shared, previous, spare, skip,
                   options.cache / words.CACHE)
        for entry in spare.values():  # the spare's sites that are no longer built
            folder = entry.get("folder", "")
            # The search groups' folders: write_parts_list removes those no longer made, at the end.
            if folder and folder not in folders and _top(folder) not in (index.PARTS, index.PAGEFIND) \
                    and ".." not in folder.split("/") and not os.path.isabs(folder):
                publish.clear(work / folder, out)
        if not previous and options.warm_up is not None:  # everything is built: once, before the workers fork
            warm = _cpu()
            options.warm_up()
            options.timings["preload_cpu"] = _cpu() - warm
        schedule = _Schedule(job, groups, changed, indexer)
        try:
            schedule.run(workers.count(options.jobs, len(specs)), progress)
        except index.IndexError_ as err:
            raise BuildError(str(err)) from None
        _move_root(work, out, skip)
        if options.markdown is not None:
            for spec in specs:
                if (markdown / spec.name).is_dir():
                    shutil.copytree(markdown / spec.name, options.markdown / spec.folder, dirs_exist_ok=True)
        index.write_parts_list(work, [*schedule.page_parts, *groups], schedule.vocabulary)
        if not any(d.name == index.PAGEFIND for d in schedule.parts):  # no page of the root's to search
            publish.clear(work / index.PAGEFIND, out)
        summary = _summary(schedule, started, options.timings.get("preload_cpu", 0.0))
        options.timings.update(summary)
        manifest = {d.name: _entry(d, specs, work, skip) for d in schedule.done + schedule.parts}
        old_output = publish.swap(work, out)
        cache.write_manifest(cache.manifest_path(options.cache), manifest)
        index.forget_copies(job.pages, set(names))
        publish.keep_spare(old_output, out, current, options.cache)
    except BaseException:
        indexer.stop()
        publish.discard(work, trash)
        raise
    finally:
        progress.finish()
        shutil.rmtree(markdown, ignore_errors=True)
        shutil.rmtree(options.cache / "search" / f"{index.GROUP_LINKS}{os.getpid()}", ignore_errors=True)
        publish.empty_trash(trash)
    options.timings["total"] = time.perf_counter() - started
    return summary


def _move_root(work: Path, out: Path, skip: set[str]) -> None:
    """The root site's files to the root of the work folder, in place of what the spare had there; a
    root site kept from the spare is there already."""
    aside = work / ROOT_ASIDE
    if not aside.is_dir():
        return
    for entry in sorted(work.iterdir()):
        if entry.name not in skip:
            publish.clear(entry, out)
    for entry in sorted(aside.iterdir()):
        os.replace(entry, work / entry.name)
    aside.rmdir()


def _entry(done: Done, specs: list[SiteSpec], work: Path, skip: set[str]) -> dict[str, Any]:
    spec = next((s for s in specs if s.name == done.name), None)
    folder = spec.folder if spec else done.name  # a search group's folder is its name
    if done.reused:  # the same files, kept from the spare or hard-linked from the previous output
        fingerprint = done.fingerprint
    else:
        fingerprint = cache.fingerprint(work / folder, skip if not folder else set())
    entry: dict[str, Any] = {"inputs": done.inputs, "output": done.key, "fingerprint": fingerprint,
                             "folder": folder}
    if done.pages:
        entry["pages"] = done.pages
    if spec is not None and spec.watch is not None:
        entry["files"] = spec.watch
    return entry


def _summary(schedule: _Schedule, started: float, preload_cpu: float) -> dict[str, Any]:
    # Work done before the workers forked (options.warm_up) counts as rendering.
    steps: dict[str, float] = {"pagefind": schedule.indexer.cpu_seconds, "render": preload_cpu, **schedule.seconds}
    for result in schedule.done:
        for step, seconds in result.seconds.items():
            steps[step] = steps.get(step, 0.0) + seconds
    titles = {s.name: s.title for s in schedule.job.specs}
    sites, parts = schedule.done, schedule.parts
    return {"sites": len(sites), "built": sorted(titles[d.name] for d in sites if not d.reused),
            "reused": sum(1 for d in sites if d.reused),
            "from_spare": sum(1 for d in sites + parts if d.spare),
            "pages": {"built": sum(len(d.pages) - d.pages_reused for d in sites if not d.reused),
                      "reused": sum(d.pages_reused for d in sites if not d.reused)},
            "search_parts": {"built": sorted(d.name for d in parts if not d.reused),
                             "reused": sum(1 for d in parts if d.reused)},
            "worker_cpu_seconds": steps, "sites_wall": time.perf_counter() - started}
