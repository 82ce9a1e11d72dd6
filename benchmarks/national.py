"""Benchmark on the real national data: the registers imported by `govsite import`, built as the portal.

Run `make bench-national` or `.venv/bin/python benchmarks/national.py [--data ../shared/data/national]`.
In one run on this machine it

1. copies the generator (build_scale.snapshot: files edited during the run must not count) and imports
   both snapshots (CBS/PDOK divisions, the Register van Overheidsorganisaties) into a temporary regions
   folder with that copy's `govsite import`;
2. validates everything from a cold start inside this process (pipeline.check without a cache: loading,
   validating and modelling every register.yaml and the municipality list), the best of three;
3. builds the portal cold (--clean) from 25%, 50% and 100% of the register folders (every 4th, every 2nd,
   all; the municipality list always whole, so every current municipality has its page at each size), and
   reports pages, seconds, CPU seconds and seconds per page at each size: linear time means seconds per
   page stays flat while the pages grow;
4. at 100%: peak memory of the cold build (all its processes, sampled from /proc), bytes per HTML page,
   a rebuild without change, and a rebuild after one register.yaml changed (a regeling's purpose: its
   compact page, the pages of its members and the open data change; the portal is rendered again and
   MkDocs reuses every page whose key did not change);
5. adds the generated full regions of benchmarks/datagen.py (invented municipalities GM9xxx, only in the
   benchmark's temporary folder) beside the registers, as secretariats that adopted regions would, builds
   cold, and measures the one-region rebuild of the existing benchmark: a change to one region's
   decisions.yaml (who decides what), which only that region's site shows; and a change to that region's
   summary in region.yaml, which the portal shows too (the portal is rendered again).

Prints every figure and writes them as JSON (benchmarks/national-results.json, or --json PATH).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import build_scale  # noqa: E402
from build_scale import GOVSITE, govsite_build, run, snapshot  # noqa: E402
from datagen import generate  # noqa: E402

DATA = BENCH.parent.parent / "shared" / "data" / "national"
SIZES = (4, 2, 1)  # every n-th register folder: 25%, 50%, 100%
TARGETS = {"cold_vs_rebuild": 20.0, "cold_vs_rebuild_cpu": 20.0, "validate_in_process_seconds": 1.0,
           "validate_in_process_cpu_seconds": 1.0, "peak_mib": 1024}


def import_registers(data: Path, regions: Path) -> None:
    for register, folder in (("cbs", "cbs-2025"), ("roo", "roo-2026-05")):
        run([*GOVSITE, "import", register, str(data / folder), "--regions", str(regions)])


def subset(full: Path, target: Path, every: int) -> int:
    """A regions folder with every n-th register folder of full (by name) and all top-level files."""
    target.mkdir(parents=True)
    for entry in full.iterdir():
        if entry.is_file():
            shutil.copy2(entry, target / entry.name)
    folders = sorted(p for p in full.iterdir() if p.is_dir())
    kept = folders[::every]
    for folder in kept:
        shutil.copytree(folder, target / folder.name)
    return len(kept)


def validate_in_process(regions: Path) -> tuple[float, float]:
    """Load, validate and model everything in this process, from a cold start (no check cache): (wall
    seconds, CPU seconds). On a shared machine the CPU seconds are the figure that does not depend on the
    others' load."""
    from generator.pipeline import check

    started, cpu = time.perf_counter(), time.process_time()
    checked = check(regions, None, dt.date.fromisoformat(build_scale.AS_OF))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if checked.errors:
        raise SystemExit("the imported data does not validate:\n" + "\n".join(f.format() for f in checked.errors[:20]))
    return seconds, cpu


def pages(site: Path) -> tuple[int, int]:
    """(HTML pages, their bytes) in a built output."""
    found = [p for p in site.rglob("*.html") if p.name != "404.html"]
    return len(found), sum(p.stat().st_size for p in found)


def change_one_register(regions: Path) -> str:
    """Give the middle regeling with a purpose another purpose, as a re-import of a new snapshot would."""
    folders = sorted(p for p in regions.iterdir() if p.is_dir() and (p / "register.yaml").is_file()
                     and "\npurpose: " in (p / "register.yaml").read_text(encoding="utf-8"))
    folder = folders[len(folders) // 2]
    path = folder / "register.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\npurpose: ", "\npurpose: Gewijzigd doel. ", 1),
                    encoding="utf-8")
    return folder.name


def add_full_regions(regions: Path, count: int, tmp: Path) -> list[str]:
    """The generated regions of datagen.py beside the registers, their municipalities added to the list;
    returns their ids."""
    import yaml

    generated = tmp / "generated"
    ids = generate(generated, count, 4 * count)
    listed = yaml.safe_load((regions / "municipalities.yaml").read_text(encoding="utf-8"))
    extra = yaml.safe_load((generated / "municipalities.yaml").read_text(encoding="utf-8"))["municipalities"]
    listed["municipalities"] += extra
    (regions / "municipalities.yaml").write_text(yaml.safe_dump(listed, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
    for folder in generated.iterdir():
        if folder.is_dir():
            shutil.copytree(folder, regions / folder.name)
    return ids


def change_one_full_region(regions: Path, ids: list[str], number: int) -> str:
    """Change the topic of one decision (the number-th) in the middle generated region (build_scale's edit)."""
    region = ids[len(ids) // 2]
    path = regions / region / "decisions.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"Besluit {number}:" in text, "the generated decisions.yaml has changed: update the benchmark's edit"
    path.write_text(text.replace(f"Besluit {number}:", f"Besluit {number} (gewijzigd):", 1), encoding="utf-8")
    return region


def change_one_full_region_summary(regions: Path, region: str) -> None:
    """Change the summary in one generated region's region.yaml: its site and the portal's lists show it."""
    path = regions / region / "region.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nsummary: " in text, "the generated region.yaml has changed: update the benchmark's edit"
    path.write_text(text.replace("\nsummary: ", "\nsummary: Gewijzigd. ", 1), encoding="utf-8")


def figures(result: dict, site: Path | None = None) -> dict:
    timings = result["timings"]
    out = {"seconds": round(result["seconds"], 2), "cpu_seconds": round(result["cpu_seconds"], 2),
           "peak_tree_mib": round(result["peak_tree_mib"]), "max_process_mib": round(result["max_process_mib"]),
           "built": timings["built"], "reused_sites": timings["reused"], "pages": timings["pages"],
           "cpu_by_step": {k: round(v, 2) for k, v in timings["worker_cpu_seconds"].items()},
           "check_seconds": round(timings["check"], 2)}
    if site is not None:
        count, size = pages(site)
        out.update(html_pages=count, html_bytes=size, bytes_per_page=round(size / count) if count else 0,
                   seconds_per_page=round(result["seconds"] / count, 4) if count else 0,
                   cpu_seconds_per_page=round(result["cpu_seconds"] / count, 4) if count else 0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the folder with cbs-2025/ and roo-2026-05/")
    parser.add_argument("--full-regions", type=int, default=42, help="generated full regions added in step 5")
    parser.add_argument("--json", type=Path, default=BENCH / "national-results.json", metavar="PATH")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="govsite-national-"))
    try:
        snapshot(tmp)
        full = tmp / "regions"
        import_registers(args.data.resolve(), full)
        load_before = os.getloadavg()
        validate_runs = [validate_in_process(full) for _ in range(3)]
        # Compile the generator's modules and templates once, as a machine that ran it before has them.
        subset(full, tmp / "regions-first", 50)
        run([*GOVSITE, "build", "--regions", str(tmp / "regions-first"), "--out", str(tmp / "first" / "site"),
             "--as-of", build_scale.AS_OF])

        sizes = []
        for every in SIZES:
            folder = tmp / f"regions-{every}"
            kept = subset(full, folder, every)
            site = tmp / f"size-{every}" / "site"
            cold = govsite_build(folder, site, tmp / f"cold-{every}.json", clean=True)
            sizes.append({"share": f"{100 // every}%", "register_folders": kept, **figures(cold, site)})
            if every == 1:
                hundred_site, hundred_regions, hundred_cold = site, folder, cold
        unchanged = govsite_build(hundred_regions, hundred_site, tmp / "unchanged.json", clean=False)
        changed = change_one_register(hundred_regions)
        register_edit = govsite_build(hundred_regions, hundred_site, tmp / "register-edit.json", clean=False)

        ids = add_full_regions(hundred_regions, args.full_regions, tmp)
        mixed_site = tmp / "mixed" / "site"
        mixed_cold = govsite_build(hundred_regions, mixed_site, tmp / "mixed-cold.json", clean=True)
        region = change_one_full_region(hundred_regions, ids, 1)
        mixed_rebuild = govsite_build(hundred_regions, mixed_site, tmp / "mixed-rebuild.json", clean=False)
        change_one_full_region(hundred_regions, ids, 2)
        mixed_rebuild_spare = govsite_build(hundred_regions, mixed_site, tmp / "mixed-rebuild-2.json", clean=False)
        change_one_full_region_summary(hundred_regions, region)
        portal_edit = govsite_build(hundred_regions, mixed_site, tmp / "portal-edit.json", clean=False)
        mixed_unchanged = govsite_build(hundred_regions, mixed_site, tmp / "mixed-unchanged.json", clean=False)
        load_after = os.getloadavg()

        per_page = [s["cpu_seconds_per_page"] for s in sizes]  # wall seconds follow the machine's load
        results = {
            "date": dt.date.today().isoformat(),
            "machine": {"cores": len(os.sched_getaffinity(0)), "load_average_before": load_before,
                        "load_average_after": load_after},
            "data": {"snapshots": str(args.data), "register_folders": sizes[-1]["register_folders"],
                     "yaml_files": sum(1 for _ in full.rglob("*.yaml"))},
            "validate_in_process_seconds": {"best": round(min(v[0] for v in validate_runs), 3),
                                            "best_cpu": round(min(v[1] for v in validate_runs), 3),
                                            "runs": [[round(x, 3) for x in v] for v in validate_runs]},
            "sizes": sizes,
            "linear": {"cpu_seconds_per_page": per_page,
                       "largest_over_smallest": round(max(per_page) / min(per_page), 2) if min(per_page) else None},
            "cold_100": figures(hundred_cold, hundred_site),
            "unchanged": figures(unchanged),
            "register_edit": {"what": "one register.yaml changed (a regeling's purpose): the portal is rendered "
                                      "again, MkDocs reuses the pages whose key did not change",
                              "changed": changed, **figures(register_edit)},
            "with_full_regions": {
                "what": f"the registers plus {args.full_regions} generated full regions (datagen.py) with sites "
                        "of their own; one region's decisions.yaml changed (only its site shows it)",
                "cold": figures(mixed_cold, mixed_site), "changed_region": region,
                "one_region_rebuild": figures(mixed_rebuild),
                "one_region_rebuild_with_spare": figures(mixed_rebuild_spare),
                "unchanged": figures(mixed_unchanged),
                "summary_edit": {"what": "the same region's summary in region.yaml changed: its site and the "
                                         "portal (which lists it) are built again",
                                 **figures(portal_edit)}},
        }
        cold_seconds = mixed_cold["seconds"]
        rebuild_seconds = (mixed_rebuild["seconds"] + mixed_rebuild_spare["seconds"]) / 2
        results["ratios"] = {
            "cold_vs_rebuild": round(cold_seconds / rebuild_seconds, 2),
            "cold_vs_rebuild_cpu": round(mixed_cold["cpu_seconds"] / ((mixed_rebuild["cpu_seconds"]
                                                                       + mixed_rebuild_spare["cpu_seconds"]) / 2), 2),
            "cold_vs_register_edit": round(hundred_cold["seconds"] / register_edit["seconds"], 2),
            "cold_vs_register_edit_cpu": round(hundred_cold["cpu_seconds"] / register_edit["cpu_seconds"], 2),
            # A rebuild in which nothing changed (start-up, the check, the keys): no edit can beat it.
            "ceiling_register_edit": round(hundred_cold["seconds"] / unchanged["seconds"], 2),
            "ceiling_full_region_edit": round(cold_seconds / mixed_unchanged["seconds"], 2),
            "cold_vs_summary_edit": round(cold_seconds / portal_edit["seconds"], 2),
            "cold_vs_summary_edit_cpu": round(mixed_cold["cpu_seconds"] / portal_edit["cpu_seconds"], 2),
            "validate_in_process_seconds": round(min(v[0] for v in validate_runs), 3),
            "validate_in_process_cpu_seconds": round(min(v[1] for v in validate_runs), 3),
            "peak_mib": round(max(hundred_cold["peak_tree_mib"], mixed_cold["peak_tree_mib"])),
        }
        results["targets"] = {name: {"target": target, "met": (results["ratios"][name] >= target
                                                                if name.startswith("cold_vs")
                                                                else results["ratios"][name] <= target)}
                              for name, target in TARGETS.items()}
        print(json.dumps(results, indent=1))
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
