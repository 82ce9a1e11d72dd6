"""Benchmark: build a national-scale set of regions and compare with one MkDocs process per site.

Run `make bench` or `.venv/bin/python benchmarks/build_scale.py [--regions 42] [--municipalities 342]`.
In one run on this machine it

1. generates a valid data set (benchmarks/datagen.py) in a temporary folder and checks it with
   `govsite validate` (0 errors required); builds one region once, in a folder of its own, so that
   the generator's modules and page templates are compiled, as on a machine that ran it before;
2. measures the baseline: every site's Markdown rendered once by the generator, then one
   `python -m mkdocs build` process per site (42 regions and the portal), one after another, each
   with a mkdocs.yml derived from the shared one; and, separately, one Pagefind run per region plus
   one across everything, so that the baseline does the same work as `govsite build`;
3. measures `govsite build` cold (--clean), then again after a change to one region's YAML (who
   decides what, which the portal does not show), once more without any change, after a second such
   change (now with the spare, the output before the current one, in place, as in every later build),
   after renaming a position holder (shown on the portal too), once after renaming one region (which
   touches the portal's pages too), and `govsite validate`; after the baseline, cold once more in a
   folder of its own, followed by the two one-region rebuilds: the machine's speed drifts over
   minutes, so the cold and one-region figures are means of two runs. Each measured command starts
   after the earlier ones' writes reached the disk and their background deletions ended;
4. reads the generator's own share (load, validate, render Markdown) from the cold build's timings
   and the peak memory of the build (all its processes together, sampled from /proc, and the largest
   single process from getrusage).

It prints every figure and ratio and writes them as JSON (benchmarks/results.json, or --json PATH).
The figures depend on the machine and on what else runs on it: the load average is recorded too.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))
CODE = PROJECT  # the copy of the generator that is measured (see snapshot())

from datagen import generate  # noqa: E402

AS_OF = "2026-11-26"
# The commands run as on a user's machine: Python keeps compiled modules (.pyc), and the generator its
# compiled page templates beside them (render.compiled_folder), also where the shell that started the
# benchmark says not to (PYTHONDONTWRITEBYTECODE), which would make every process compile them again.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
GOVSITE = [sys.executable, "-m", "generator"]
TARGETS = {"cold_vs_baseline": 4.0, "cold_vs_rebuild": 10.0, "cold_vs_rebuild_with_spare": 10.0,
           "validate_seconds": 1.0, "generator_share": 0.10, "peak_mib": 1024}


# --- measuring ---------------------------------------------------------------------------------

def _tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1] is the parent's pid
        rss[pid] = int(fields[21]) * page  # fields[21] is rss in pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run(command: list[str], sample_memory: bool = False, check: bool = True) -> dict:
    """Run a command; its wall time, CPU time, output and (optionally) peak memory.

    It starts once what earlier commands wrote has reached the disk (os.sync), so that no command is
    charged for the write-back of the ones before it; the baseline's commands alike."""
    os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=CODE, env=ENV)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss(process.pid))
                stop.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own resource use, with its children
        seconds = time.perf_counter() - started
        stop.set()
        if sample_memory:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "max_process_mib": usage.ru_maxrss / 1024, "peak_tree_mib": peak[0] / 2**20,
                  "stdout": out.read().decode(errors="replace"), "stderr": err.read().decode(errors="replace"),
                  "returncode": process.returncode}
    if check and result["returncode"] != 0:
        raise SystemExit(f"failed ({result['returncode']}): {' '.join(command)}\n{result['stdout']}{result['stderr']}")
    return result


# --- the baseline ------------------------------------------------------------------------------

def snapshot(tmp: Path) -> Path:
    """A copy of the generator, its templates, theme and configuration, measured instead of the working
    tree: a file edited during the run would otherwise (rightly) make the rebuild rebuild everything."""
    global CODE
    CODE = tmp / "code"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("generator", "theme", "content"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, CODE / name, ignore=ignore)
    shutil.copy2(PROJECT / "mkdocs.yml", CODE / "mkdocs.yml")
    sys.path.insert(0, str(CODE))  # `python -m generator` in CODE, and the imports below, use the copy
    return CODE


def render_all(regions_dir: Path, markdown: Path):
    """Every site's Markdown, rendered once by the generator as govsite build renders it."""
    from generator.build import BuildOptions, render_region_docs, site_config
    from generator.domain.changes import change_log
    from generator.pipeline import check
    from generator.site.render import render_portal

    on = dt.date.fromisoformat(AS_OF)
    checked = check(regions_dir, None, on)
    options = BuildOptions(out=markdown / "unused", on=on)
    sites = [("", site_config(render_portal(checked.regions, on, markdown / "_portal", options.content),
                              options))]
    for region in checked.regions:
        site = render_region_docs(region, options, markdown / region.id, {}, change_log(region, on))
        sites.append((region.id, site_config(site, options)))
    return sites, options


def baseline(regions_dir: Path, tmp: Path) -> dict:
    """One `mkdocs build` process per site, one after another; then Pagefind per region and across all."""
    from generator.build import theme_dir
    from generator.engine.index import _executable

    sites, options = render_all(regions_dir, tmp / "baseline-md")
    shared = yaml.safe_load(options.config.read_text(encoding="utf-8"))
    shared["theme"]["custom_dir"] = str(theme_dir(options.config))  # the config file moves to tmp
    out = tmp / "baseline-site"
    mkdocs_seconds = mkdocs_cpu = 0.0
    for site_id, settings in sites:  # the portal first: it cleans its site_dir, which holds the regions
        config = tmp / "baseline-config" / f"{site_id or '_portal'}.yml"
        config.parent.mkdir(parents=True, exist_ok=True)
        settings = json.loads(json.dumps(settings))  # plain str, not Markup, for the YAML dumper
        config.write_text(yaml.safe_dump({**shared, **settings, "site_dir": str(out / site_id)},
                                         allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)])
        mkdocs_seconds += result["seconds"]
        mkdocs_cpu += result["cpu_seconds"]
    pagefind_seconds = pagefind_cpu = 0.0
    for site in [out / site_id for site_id, _ in sites[1:]] + [out]:
        result = run([*_executable(), "--site", str(site), "--silent"])
        pagefind_seconds += result["seconds"]
        pagefind_cpu += result["cpu_seconds"]
    return {"mkdocs_seconds": mkdocs_seconds, "pagefind_seconds": pagefind_seconds,
            "seconds": mkdocs_seconds + pagefind_seconds, "mkdocs_cpu_seconds": mkdocs_cpu,
            "cpu_seconds": mkdocs_cpu + pagefind_cpu, "sites": len(sites)}


# --- govsite -------------------------------------------------------------------------------------

def govsite_build(regions_dir: Path, out: Path, timings: Path, clean: bool) -> dict:
    # A build deletes what it no longer needs in a background process; the next build is measured
    # once that is done (as when a person edits a file between two builds), not while it runs.
    trash = out.with_name(f".{out.name}.trash")  # cache.trash_folder
    deadline = time.monotonic() + 60
    while trash.is_dir() and any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    # The caches in the benchmark's own folder (removed with it), not in the user's cache folder.
    command = [*GOVSITE, "build", "--regions", str(regions_dir), "--out", str(out), "--as-of", AS_OF,
               "--cache", str(out.parent / "build-cache"), "--timings", str(timings)] + (["--clean"] if clean else [])
    result = run(command, sample_memory=True)
    result["timings"] = json.loads(timings.read_text(encoding="utf-8"))
    return result


def _edit_one_region(regions_dir: Path, file: str, old: str, new: str) -> str:
    """Replace the first `old` in a file of the middle region, as a pull request for one region would."""
    folders = sorted(p for p in regions_dir.iterdir() if p.is_dir())
    folder = folders[len(folders) // 2]
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the generated {file} has changed: update the benchmark's edit"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder.name


def change_one_region(regions_dir: Path, number: int) -> str:
    """Change the topic of one decision (the number-th) in one region."""
    return _edit_one_region(regions_dir, "decisions.yaml", f"Besluit {number}:", f"Besluit {number} (gewijzigd):")


def change_one_holder(regions_dir: Path) -> str:
    """Rename a position holder: shown on the region's pages and on the portal's municipality pages."""
    return _edit_one_region(regions_dir, "organisation.yaml", "name: Voorzitter Twee", "name: Voorzitter Twee-Jansen")


def rename_one_region(regions_dir: Path) -> str:
    """Rename one region: every page of its site changes, and the portal's pages that name it."""
    return _edit_one_region(regions_dir, "region.yaml", "\nname: ", "\nname: Vernieuwde ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=42)
    parser.add_argument("--municipalities", type=int, default=342)
    parser.add_argument("--json", type=Path, default=BENCH / "results.json", metavar="PATH")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="govsite-bench-"))
    try:
        snapshot(tmp)
        regions_dir = tmp / "regions"
        generate(regions_dir, args.regions, args.municipalities)
        load_before = os.getloadavg()

        # Three times: the first run also compiles the generator's modules (.pyc), as only a first run does.
        validates = [run([*GOVSITE, "validate", "--regions", str(regions_dir), "--as-of", AS_OF], check=False)
                     for _ in range(3)]
        # The generator keeps its compiled page templates beside them, as Python keeps .pyc (see ENV):
        # a first build of one region, in a folder of its own, compiles them as a first run does.
        first = sorted(p.name for p in regions_dir.iterdir() if p.is_dir())[0]
        run([*GOVSITE, "build", first, "--regions", str(regions_dir), "--out", str(tmp / "first" / "site"),
             "--as-of", AS_OF])
        validate = min(validates, key=lambda v: v["seconds"])
        if validate["returncode"] != 0 or " 0 fouten" not in validate["stdout"]:
            raise SystemExit("the generated data does not validate:\n" + validate["stdout"][-3000:])
        in_process = validate_in_process(regions_dir)

        cold = govsite_build(regions_dir, tmp / "site", tmp / "cold.json", clean=True)
        changed = change_one_region(regions_dir, 1)
        rebuild = govsite_build(regions_dir, tmp / "site", tmp / "rebuild.json", clean=False)
        unchanged = govsite_build(regions_dir, tmp / "site", tmp / "unchanged.json", clean=False)
        # The same kind of change again: now the output before the current one is there as the spare
        # (the first rebuild after a cold build has none), as in every later build.
        change_one_region(regions_dir, 2)
        rebuild_spare = govsite_build(regions_dir, tmp / "site", tmp / "rebuild-spare.json", clean=False)
        # A change the portal shows too: the portal is rendered again (the decisions above it does not show).
        change_one_holder(regions_dir)
        holder = govsite_build(regions_dir, tmp / "site", tmp / "holder.json", clean=False)
        renamed = rename_one_region(regions_dir)
        portal = govsite_build(regions_dir, tmp / "site", tmp / "renamed.json", clean=False)
        base = baseline(regions_dir, tmp)
        # Cold once more, after the baseline, in a folder of its own: the machine's speed drifts over
        # a run of minutes, so the cold figure is the mean of one run before the baseline and one after.
        again = govsite_build(regions_dir, tmp / "again" / "site", tmp / "cold-again.json", clean=True)
        # And the two one-region rebuilds after it: each rebuild figure is the mean of the two as well.
        change_one_region(regions_dir, 3)
        rebuild_again = govsite_build(regions_dir, tmp / "again" / "site", tmp / "rebuild-again.json", clean=False)
        change_one_region(regions_dir, 4)
        spare_again = govsite_build(regions_dir, tmp / "again" / "site", tmp / "spare-again.json", clean=False)
        load_after = os.getloadavg()
        rebuild_seconds = _mean([rebuild, rebuild_again], "seconds")
        spare_seconds = _mean([rebuild_spare, spare_again], "seconds")
        cold_seconds, cold_cpu = _mean([cold, again], "seconds"), _mean([cold, again], "cpu_seconds")
        generator_cpu = (_generator_cpu(cold) + _generator_cpu(again)) / 2
        timings = cold["timings"]
        results = {
            "date": dt.date.today().isoformat(),
            "machine": {"cores": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                        "compiled_modules_and_templates_kept": True,  # see ENV
                        "load_average_before": load_before, "load_average_after": load_after},
            "data": {"regions": args.regions, "municipalities": args.municipalities,
                     "files": sum(1 for _ in regions_dir.rglob("*.yaml")),
                     "html_pages": sum(1 for _ in (tmp / "site").rglob("*.html"))},
            "baseline": {"what": "one `python -m mkdocs build` process per site (regions and portal), one after "
                                 "another, on Markdown rendered once by the generator; plus one Pagefind run "
                                 "per region and one across all, as govsite build does",
                         **base},
            "cold": {**_figures(cold), "again_after_the_baseline": _figures(again),
                     "mean_seconds": cold_seconds, "mean_cpu_seconds": cold_cpu},
            "rebuild": {**_figures(rebuild), "changed_region": changed,
                        "again_after_the_baseline": _figures(rebuild_again), "mean_seconds": rebuild_seconds},
            "unchanged": _figures(unchanged),
            "rebuild_with_spare": {"what": "a second one-region change, built with the spare (the output "
                                           "before the current one) in place, as every build after the first "
                                           "rebuild is", **_figures(rebuild_spare),
                                   "again_after_the_baseline": _figures(spare_again), "mean_seconds": spare_seconds},
            "rebuild_shown_on_portal": {"what": "rebuild after renaming a position holder in one region, which "
                                                "the portal shows too, so the portal is rendered again (not a "
                                                "target)", **_figures(holder)},
            "rebuild_renamed": {"what": "rebuild after renaming one region, which changes every page of its "
                                        "site and the portal's pages that name it (not a target)",
                                **_figures(portal), "renamed_region": renamed},
            "validate": {"seconds": validate["seconds"], "cpu_seconds": validate["cpu_seconds"],
                         "runs_seconds": [v["seconds"] for v in validates],
                         "in_process_seconds": in_process},
            "generator": {"what": "load, validate, model (main process) and render Markdown (all workers), "
                                  "in CPU seconds, as a share of all CPU seconds of the cold build (mean of "
                                  "the two cold builds)",
                          "cpu_seconds": generator_cpu, "check_cpu_seconds": timings["check_cpu"],
                          "check_seconds": timings["check"],
                          "render_cpu_seconds_all_workers": timings["worker_cpu_seconds"].get("render", 0.0)},
        }
        results["ratios"] = {
            "cold_vs_baseline": base["seconds"] / cold_seconds,
            "cold_vs_baseline_without_search": base["mkdocs_seconds"] / cold_seconds,
            "cold_vs_baseline_cpu": base["cpu_seconds"] / cold_cpu,
            "cold_vs_rebuild": cold_seconds / rebuild_seconds,
            "cold_vs_rebuild_cpu": cold_cpu / _mean([rebuild, rebuild_again], "cpu_seconds"),
            "cold_vs_rebuild_with_spare": cold_seconds / spare_seconds,
            "validate_seconds": validate["seconds"],
            "generator_share": generator_cpu / cold_cpu,
            "peak_mib": cold["peak_tree_mib"],
        }
        results["targets"] = {name: {"target": target, "met": _met(name, results["ratios"][name], target)}
                              for name, target in TARGETS.items()}
        report(results)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _mean(runs: list[dict], field: str) -> float:
    """The mean of one figure over runs measured at different moments (the machine's speed drifts)."""
    return sum(run[field] for run in runs) / len(runs)


def _generator_cpu(build: dict) -> float:
    """The generator's own CPU seconds in a build: load, validate, model, and render in all workers."""
    return build["timings"]["check_cpu"] + build["timings"]["worker_cpu_seconds"].get("render", 0.0)


def validate_in_process(regions_dir: Path) -> float:
    """Load and validate everything inside this (warm) process: the work without Python's start-up."""
    from generator.pipeline import check

    started = time.perf_counter()
    check(regions_dir, None, dt.date.fromisoformat(AS_OF))
    return time.perf_counter() - started


def _figures(result: dict) -> dict:
    timings = result["timings"]
    return {"seconds": result["seconds"], "cpu_seconds": result["cpu_seconds"],
            "peak_tree_mib": result["peak_tree_mib"], "max_process_mib": result["max_process_mib"],
            "built": timings["built"], "reused": timings["reused"], "from_spare": timings["from_spare"],
            "pages": timings["pages"],
            "search_groups": timings["search_parts"],
            # Python's start, the imports and the process's end: what a build costs besides its work.
            "steps": {"start_and_end": result["seconds"] - timings["check"] - timings["total"],
                      "check": timings["check"], "build": timings["total"], "sites_wall": timings["sites_wall"],
                      **{f"cpu_{k}": v for k, v in timings["worker_cpu_seconds"].items()}}}


def _met(name: str, value: float, target: float) -> bool:
    return value >= target if name.startswith("cold_vs") else value <= target


def report(r: dict) -> None:
    ratios, targets = r["ratios"], r["targets"]
    print(f"data: {r['data']['regions']} regions, {r['data']['municipalities']} municipalities, "
          f"{r['data']['files']} YAML files, {r['data']['html_pages']} HTML pages")
    print(f"machine: {r['machine']['cores']} cores, load average before {r['machine']['load_average_before'][0]:.1f}"
          f", after {r['machine']['load_average_after'][0]:.1f}")
    print(f"baseline (one mkdocs process per site, {r['baseline']['sites']} sites): "
          f"{r['baseline']['mkdocs_seconds']:.1f} s + Pagefind {r['baseline']['pagefind_seconds']:.1f} s "
          f"= {r['baseline']['seconds']:.1f} s (CPU {r['baseline']['cpu_seconds']:.1f} s)")
    again = r["cold"]["again_after_the_baseline"]
    print(f"govsite build, cold:        {r['cold']['mean_seconds']:.1f} s (CPU {r['cold']['mean_cpu_seconds']:.1f} s), "
          f"the mean of {r['cold']['seconds']:.1f} s before the baseline and {again['seconds']:.1f} s after it")
    for name, label in (("rebuild", "one changed"), ("unchanged", "no change"),
                        ("rebuild_with_spare", "another one"), ("rebuild_shown_on_portal", "on portal too"),
                        ("rebuild_renamed", "one renamed")):
        x = r[name]
        if "mean_seconds" in x:
            print(f"govsite build, {label + ':':12s} {x['mean_seconds']:.2f} s, the mean of {x['seconds']:.2f} s after "
                  f"the first cold build and {x['again_after_the_baseline']['seconds']:.2f} s after the second")
            label = "  the first"
        print(f"govsite build, {label + ':':12s} {x['seconds']:.2f} s (CPU {x['cpu_seconds']:.2f} s; sites built: "
              f"{', '.join(x['built']) or 'none'}, reused {x['reused']}; sites and groups already in the spare "
              f"{x['from_spare']}; pages built {x['pages']['built']}, "
              f"reused {x['pages']['reused']}; search groups indexed {len(x['search_groups']['built'])}, "
              f"reused {x['search_groups']['reused']}; start and end of the process "
              f"{x['steps']['start_and_end']:.2f} s, check {x['steps']['check']:.2f} s, build {x['steps']['build']:.2f} s)")
    print(f"govsite validate:           {r['validate']['seconds']:.2f} s (CPU {r['validate']['cpu_seconds']:.2f} s), "
          f"best of {', '.join(f'{x:.2f}' for x in r['validate']['runs_seconds'])} s "
          f"(in a warm process: {r['validate']['in_process_seconds']:.2f} s)")
    print(f"generator's own work:       {r['generator']['cpu_seconds']:.2f} CPU s of the cold build's "
          f"{r['cold']['mean_cpu_seconds']:.1f} (first cold build: load+validate "
          f"{r['generator']['check_cpu_seconds']:.2f}, render {r['generator']['render_cpu_seconds_all_workers']:.2f})")
    print(f"peak memory of the build:   {r['cold']['peak_tree_mib']:.0f} MiB, all processes together "
          f"(largest single process {r['cold']['max_process_mib']:.0f} MiB)")
    print()
    for name, value in ratios.items():
        target = targets.get(name)
        mark = "" if target is None else (f"  target {'>=' if name.startswith('cold_vs') else '<='} "
                                          f"{target['target']}: {'met' if target['met'] else 'NOT met'}")
        shown = f"{value:.1%}" if name == "generator_share" else f"{value:.2f}"
        print(f"  {name:34s} {shown}{mark}")


if __name__ == "__main__":
    sys.exit(main())
