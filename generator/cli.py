"""The `govsite` command: the only place that knows about arguments, output and exit codes."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from . import __version__, collector
from .escape import ci_line, ci_lines, ci_text
from .domain.findings import summary, to_json

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _date(text: str) -> dt.date:
    from .domain.load import FIRST_DATE, LAST_DATE

    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; schrijf JJJJ-MM-DD") from None
    if not FIRST_DATE <= date <= LAST_DATE:
        raise argparse.ArgumentTypeError(f"'{text}' ligt buiten {FIRST_DATE.isoformat()} tot en met "
                                         f"{LAST_DATE.isoformat()}")
    return date


def today() -> dt.date:
    """Today, or the day in GOVSITE_TODAY (JJJJ-MM-DD): output that does not depend on when it is made,
    without the look-back banner of --as-of (the golden tests build that way)."""
    text = os.environ.get("GOVSITE_TODAY")
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"GOVSITE_TODAY='{text}' is geen datum; schrijf JJJJ-MM-DD") from None


def _regions_dir(args) -> Path:
    root = Path(args.regions)
    if not root.is_dir():
        raise UsageError(f"de map met regio's '{root}' bestaat niet. Geef een map op met --regions PAD.")
    return root


def _known_regions(root: Path, names: list[str]) -> None:
    if not names:  # every region: nothing to look for (a stat per folder, some 800 on a national set)
        return
    from .domain.suggest import did_you_mean

    present = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for name in names:
        if name not in present:
            raise UsageError(f"regio '{name}' bestaat niet in {root}.{did_you_mean(name, present)}")


def cmd_validate(args) -> int:
    from .pipeline import check

    root = _regions_dir(args)
    _known_regions(root, args.region)
    checked = check(root, args.region or None, args.as_of)
    count = len(args.region) if args.region else len(checked.sources.regions)
    if args.format == "json":
        print(to_json(checked.findings, count))
    else:
        for finding in checked.findings:
            print(finding.format())
        print(summary(checked.findings, count))
    if checked.errors or (args.strict and any(f.severity == "gap" for f in checked.findings)):
        return EXIT_ERRORS
    return EXIT_OK


def cmd_schema(args) -> int:
    from .domain.schema import json_schemas

    out = Path(args.out) if args.out else Path(args.regions) / ".schema"
    out.mkdir(parents=True, exist_ok=True)
    for kind, schema in json_schemas().items():
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(ci_line(path))
    return EXIT_OK


def _print_findings(findings, count: int, stream) -> None:
    for finding in findings:
        print(finding.format(), file=stream)
    print(summary(findings, count), file=stream)


def _output_dir(args, root: Path) -> Path:
    """The output folder, which the build replaces whole: never the regions folder, a folder that
    holds it, or a folder in a region."""
    out, top = Path(os.path.realpath(args.out)), Path(os.path.realpath(root))
    if out == top or out in top.parents:
        raise UsageError(f"de doelmap '{args.out}' bevat de map met regio's '{root}': de bouw zou die vervangen. "
                         "Kies een andere doelmap met --out, bijvoorbeeld --out site.")
    if top in out.parents and (top / out.relative_to(top).parts[0] / "region.yaml").exists():
        raise UsageError(f"de doelmap '{args.out}' ligt in de regiomap '{out.relative_to(top).parts[0]}': de bouw "
                         "zou die vervangen. Kies een andere doelmap met --out, bijvoorbeeld --out site.")
    return Path(args.out)


def _build_cache(args) -> Path:
    """The build's cache folder (cache.cache_folder): --cache, $GOVSITE_CACHE or the user's cache
    folder. Never in the regions folder: what a repository holds must never be read as the cache."""
    from .engine.cache import cache_folder, inside
    from .domain.history import _toplevel

    if getattr(args, "cache_folder", None) is None:
        folder = cache_folder(args.out, args.cache)
        root = Path(args.regions)
        top = _toplevel(root)  # the repository of the regions: a pull request can write anywhere in it
        for place, where in ((root, f"de map met regio's '{root}'"), (top, f"de repository '{top}'"),
                             (args.out, f"de doelmap '{args.out}'")):
            if place is not None and inside(folder, place):
                raise UsageError(f"de cachemap '{folder}' ligt in {where}. Daar kan een bestand uit de repository of "
                                 "de site de cache nabootsen. Kies een map daarbuiten met --cache of GOVSITE_CACHE "
                                 "(standaard: ~/.cache/govsite).")
        args.cache_folder = folder
    return args.cache_folder


def _checked_for_build(args):
    from .pipeline import check_view

    root = _regions_dir(args)
    _known_regions(root, args.region)
    out = _output_dir(args, root)
    # Regions whose files did not change since the last build are not checked again; the cache sits
    # with the build's manifest, outside the output folder. --clean reuses nothing, but fills the cache.
    cache = _build_cache(args) / "check"
    return check_view(root, args.region or None, args.as_of, look_back=args.as_of_given, cache=cache,
                      reuse=not getattr(args, "clean", False), skip=(out,))


def _build_options(args, out: Path):
    from .build import BuildOptions
    from .domain.history import repository_path

    return BuildOptions(out=out, on=args.as_of, as_of_banner=args.as_of_given, cache=_build_cache(args),
                        source_url=args.source_url or os.environ.get("GOVSITE_SOURCE_URL"),
                        source_path=repository_path(Path(args.regions)),
                        site_url=getattr(args, "site_url", None), jobs=getattr(args, "jobs", None),
                        incremental=not (getattr(args, "clean", False) or getattr(args, "markdown", None)),
                        markdown=Path(args.markdown) if getattr(args, "markdown", None) else None, progress=True)


def cmd_build(args) -> int:
    from .build import BuildError, build, national_of
    from .domain.history import decision_history, page_dates

    started, cpu_started = time.perf_counter(), time.process_time()
    if args.markdown and Path(args.markdown).exists() and (not Path(args.markdown).is_dir()
                                                           or any(Path(args.markdown).iterdir())):
        raise UsageError(f"de map voor --markdown '{args.markdown}' bestaat al en is niet leeg. Geef een lege "
                         "of nieuwe map op.")
    checked = _checked_for_build(args)
    if checked.errors:
        _print_findings(checked.errors, len(checked.sources.regions), sys.stderr)
        print(f"govsite: niets gebouwd; {args.out} is niet veranderd. Verbeter eerst de fouten hierboven.",
              file=sys.stderr)
        return EXIT_ERRORS
    options = _build_options(args, Path(args.out))
    options.timings["check"] = time.perf_counter() - started
    options.timings["check_cpu"] = time.process_time() - cpu_started
    try:
        out = build(checked.regions, options, page_dates(Path(args.regions)),
                    decision_history=decision_history(Path(args.regions), _build_cache(args) / "history"),
                    national=national_of(checked))
    except BuildError as err:
        print(ci_lines(f"govsite: {err}"), file=sys.stderr)  # MkDocs' messages may quote the data
        print(f"govsite: niets gebouwd; {ci_text(args.out)} is niet veranderd.", file=sys.stderr)
        return EXIT_ERRORS
    if args.timings:  # for benchmarks/build_scale.py
        Path(args.timings).write_text(json.dumps(options.timings, indent=1, sort_keys=True), encoding="utf-8")
    registered = len(checked.registered - {r.id for r in checked.regions})  # the registry stays packed
    print(f"{len(checked.regions)} regio's gebouwd in {out}"
          + (f", en {registered} uit de registers op het portaal" if registered else ""))
    return EXIT_OK


def cmd_serve(args) -> int:
    from .commands.serve import serve

    collector.for_a_long_life()  # serve lives on, building again and again
    root = _regions_dir(args)
    _known_regions(root, [args.region_id])
    return serve(args, root)


def cmd_new(args) -> int:
    from .commands import scaffold

    root = _regions_dir(args)
    try:
        if args.what == "region":
            written = scaffold.new_region(root, args.id, args.kind, args.name, args.members.split(","),
                                          args.since or dt.date(today().year, 1, 1), args.legal_form,
                                          args.domains.split(",") if args.domains else None)
            for path in written:
                print(ci_line(path))
            print(f"Regio '{args.id}' aangemaakt. Vul de plekken met {scaffold.PLACEHOLDER} in en controleer met "
                  f"'govsite validate {args.id}':")
            for path, line in scaffold.placeholders(written):
                print(ci_line(f"  {path}:{line}"))
        elif args.what == "agreement":
            path = scaffold.new_agreement(root, args.region_id, args.id,
                                          args.effective or dt.date(today().year, 1, 1), args.title,
                                          args.kind)
            print(ci_line(path))
            print(f"Afspraak '{args.id}' aangemaakt. Vul de plekken met {scaffold.PLACEHOLDER} in.")
        else:
            path, version, effective = scaffold.new_version(root, args.region_id, args.agreement, args.version,
                                                            args.effective)
            print(ci_line(f"{path}: versie {version} toegevoegd, in werking {effective.isoformat()}. Het is een "
                          f"kopie van de geldende versie; vul de plekken met {scaffold.PLACEHOLDER} in en pas de "
                          "artikelen aan."))
    except scaffold.ScaffoldError as err:
        raise UsageError(str(err)) from None
    return EXIT_OK


def cmd_fmt(args) -> int:
    from .commands.fmt import format_regions

    paths = [Path(f) for f in args.files]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"bestand '{path}' bestaat niet.")
    outcomes = format_regions(_regions_dir(args), paths, args.check)  # only what the loader would read
    for outcome in outcomes:
        if outcome.status != "canonical":
            print(outcome.message(args.check), file=sys.stderr if outcome.status == "error" else sys.stdout)
    changed = sum(o.status == "changed" for o in outcomes)
    broken = sum(o.status == "error" for o in outcomes)
    if args.check:
        print(f"{len(outcomes)} bestanden gecontroleerd: {changed} niet in de standaardopmaak, {broken} met fouten")
    else:
        print(f"{len(outcomes)} bestanden gecontroleerd: {changed} opgemaakt, {broken} met fouten")
    return EXIT_ERRORS if broken or (args.check and changed) else EXIT_OK


def cmd_import(args) -> int:
    from .commands.importer import ImportFailed, import_cbs, import_roo
    from .site import outputs

    snapshot, root = Path(args.snapshot), Path(args.regions)
    if not snapshot.is_dir():
        raise UsageError(f"de map '{snapshot}' bestaat niet. Geef de map met de download van het register.")
    root.mkdir(parents=True, exist_ok=True)
    run = import_cbs if args.register == "cbs" else import_roo
    try:
        report = run(snapshot, root, outputs.reserved())
    except ImportFailed as err:
        raise UsageError(str(err)) from None
    for note in report.notes:
        print(ci_line(note))
    print(f"{len(report.written)} bestanden geschreven, {report.unchanged} ongewijzigd. Controleer met "
          f"'govsite validate --regions {root}' en bekijk de wijzigingen met 'govsite diff'.")
    return EXIT_OK


def cmd_upgrade(args) -> int:
    from .commands.upgrade import upgrade_regions

    results = upgrade_regions(_regions_dir(args), args.check)
    for result in results:
        for line in result.lines():
            print(ci_line(line), file=sys.stderr if result.error else sys.stdout)
    changed = [r for r in results if r.changes]
    broken = sum(r.error is not None for r in results)
    count = sum(len(r.changes) for r in changed)
    verb = "zou veranderen" if args.check else "veranderd"
    print(f"{len(results)} bestanden bekeken: {count} {'aanvulling' if count == 1 else 'aanvullingen'} in "
          f"{len(changed)} {'bestand' if len(changed) == 1 else 'bestanden'} {verb}, {broken} met fouten")
    return EXIT_ERRORS if broken or (args.check and changed) else EXIT_OK


def cmd_diff(args) -> int:
    from .commands.govdiff import DiffError, diff_revisions

    try:
        print(diff_revisions(Path(args.regions), args.base, args.head, args.as_of), end="")
    except DiffError as err:
        raise UsageError(str(err)) from None
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="govsite",
        description="Controleert en publiceert de governance-afspraken van regionale samenwerkingen.",
    )
    main.add_argument("--version", action="version", version=f"govsite {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_as_of(sub: argparse.ArgumentParser, help: str) -> None:
        sub.add_argument("--as-of", type=_date, default=None, metavar="JJJJ-MM-DD", help=help)

    def add_regions(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--regions", default=os.environ.get("GOVSITE_REGIONS", "regions"), metavar="DIR",
                         help="map met municipalities.yaml en een map per regio (standaard: regions)")
        return sub

    def command(name: str, help: str, handler) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return add_regions(sub)

    validate = command("validate", "controleer de regio's en de gemeentelijst", cmd_validate)
    validate.add_argument("region", nargs="*", metavar="REGION", help="alleen deze regio's")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.add_argument("--strict", action="store_true", help="ook hiaten laten falen")
    add_as_of(validate, "controleer zoals op deze datum (standaard: vandaag)")

    build = command("build", "bouw een site per regio en een portaal over alle regio's", cmd_build)
    build.add_argument("region", nargs="*", metavar="REGION", help="alleen deze regio's")
    build.add_argument("--out", default="site", metavar="DIR", help="doelmap (standaard: site)")
    add_as_of(build, "bouw de site zoals de afspraken op deze datum golden (standaard: vandaag)")
    build.add_argument("--source-url", metavar="URL",
                       help="basisadres voor 'wijzig dit bestand', bijv. https://github.com/org/repo/edit/main/")
    build.add_argument("--site-url", metavar="URL",
                       help="openbaar adres van de site, voor volledige links in de feeds en agenda's "
                            "(standaard: extra.site_url in mkdocs.yml; zonder: relatieve links)")
    build.add_argument("--jobs", type=int, metavar="N",
                       help="aantal processen dat tegelijk bouwt (standaard: één per processorkern)")
    build.add_argument("--clean", action="store_true",
                       help="bouw alles opnieuw; hergebruik niets uit de vorige uitvoer")
    build.add_argument("--cache", metavar="DIR", default=None,
                       help="map voor wat de bouw bewaart voor de volgende keer (standaard: GOVSITE_CACHE, "
                            "anders ~/.cache/govsite); nooit in de map met regio's")
    build.add_argument("--markdown", metavar="DIR",
                       help="schrijf ook de Markdown van elke pagina naar deze (lege) map, zoals MkDocs die kreeg; "
                            "bouwt alles opnieuw")
    build.add_argument("--timings", metavar="FILE", help=argparse.SUPPRESS)  # seconds per step, as JSON

    serve = command("serve", "bekijk een regio terwijl u de YAML bewerkt; bouwt opnieuw bij elke wijziging",
                    cmd_serve)
    serve.add_argument("region_id", metavar="REGION")
    serve.add_argument("--port", type=int, default=8000)
    add_as_of(serve, "toon de regio zoals op deze datum (standaard: vandaag)")
    serve.add_argument("--source-url", metavar="URL", help=argparse.SUPPRESS)

    imports = command("import", "lees een download van een landelijk register in (CBS-indelingen of het Register "
                                "van Overheidsorganisaties) en schrijf municipalities.yaml en register.yaml per regio",
                      cmd_import)
    imports.add_argument("register", choices=["cbs", "roo"], help="cbs: CBS/PDOK gebiedsindelingen; roo: Register "
                                                                   "van Overheidsorganisaties")
    imports.add_argument("snapshot", metavar="DIR", help="map met de download (zie README: Nationale gegevens verversen)")

    schema = command("schema", "schrijf een JSON Schema per bestandssoort, voor de editor", cmd_schema)
    schema.add_argument("--out", metavar="DIR", help="doelmap (standaard: REGIONS/.schema)")

    new = commands.add_parser("new", help="begin een nieuwe regio, afspraak of versie, met uitleg in elk bestand",
                              description="Begin een nieuwe regio, afspraak of versie, met uitleg in elk bestand.")
    new.set_defaults(handler=cmd_new)
    kinds = new.add_subparsers(dest="what", metavar="region|agreement|version", required=True)

    def new_command(name: str, help: str) -> argparse.ArgumentParser:
        return add_regions(kinds.add_parser(name, help=help, description=help))

    region = new_command("region", "maak een nieuwe regiomap met alle bestanden")
    region.add_argument("id", metavar="ID", help="id van de regio (ook de mapnaam), bijv. jeugdregio-west")
    region.add_argument("--kind", required=True, metavar="SOORT", help="soort regio, bijv. jeugdregio")
    region.add_argument("--name", required=True, metavar="NAAM", help="naam van de regio")
    region.add_argument("--members", required=True, metavar="GM0546,GM0547,...",
                        help="CBS-codes van de deelnemende gemeenten, gescheiden door komma's")
    region.add_argument("--legal-form", metavar="VORM", help="rechtsvorm (standaard: gebruikelijk bij de soort)")
    region.add_argument("--domains", metavar="DOMEIN,...", help="domeinen (standaard: gebruikelijk bij de soort)")
    region.add_argument("--since", type=_date, metavar="JJJJ-MM-DD",
                        help="deelnemers vanaf deze datum (standaard: 1 januari van dit jaar)")
    agreement = new_command("agreement", "maak een nieuwe afspraak in een regio")
    agreement.add_argument("region_id", metavar="REGION")
    agreement.add_argument("id", metavar="ID", help="id van de afspraak (ook de bestandsnaam)")
    agreement.add_argument("--title", metavar="TITEL")
    agreement.add_argument("--kind", default="overig", metavar="SOORT", help="soort afspraak (standaard: overig)")
    agreement.add_argument("--effective", type=_date, metavar="JJJJ-MM-DD",
                           help="in werking vanaf (standaard: 1 januari van dit jaar)")
    version = new_command("version", "voeg een nieuwe versie toe, als kopie van de geldende")
    version.add_argument("region_id", metavar="REGION")
    version.add_argument("agreement", metavar="AGREEMENT")
    version.add_argument("--version", metavar="NUMMER", help="versienummer (standaard: het volgende, bijv. 2.1)")
    version.add_argument("--effective", type=_date, metavar="JJJJ-MM-DD",
                         help="in werking vanaf (standaard: 1 januari na de vorige versie)")

    fmt = command("fmt", "zet YAML-bestanden in de standaardopmaak (commentaar blijft staan)", cmd_fmt)
    fmt.add_argument("files", nargs="*", metavar="FILE", help="alleen deze bestanden (standaard: alle in REGIONS)")
    fmt.add_argument("--check", action="store_true", help="alleen controleren; niets wijzigen")

    upgrade = command("upgrade", "werk YAML-bestanden bij naar het nieuwste dataformaat (commentaar blijft staan)",
                      cmd_upgrade)
    upgrade.add_argument("--check", action="store_true", help="alleen laten zien wat er zou veranderen")

    diff = command("diff", "beschrijf de wijzigingen tussen twee git-versies in governancetermen (Markdown)",
                   cmd_diff)
    diff.add_argument("base", nargs="?", metavar="BASE",
                      help="vergelijk met deze versie (standaard: het splitspunt met main of master)")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="deze versie (standaard: de werkmap)")
    add_as_of(diff, "controleer beide versies zoals op deze datum (standaard: vandaag)")
    return main


def run() -> None:
    """The govsite command: main(), then the process ends."""
    collector.for_a_command()  # see collector.py
    code = main()
    collector.at_exit()
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if hasattr(args, "as_of"):
            args.as_of_given = args.as_of is not None
            args.as_of = args.as_of or today()
        return args.handler(args)
    except UsageError as err:
        # Names of folders and files (a pull request chooses them) are part of many messages.
        print(ci_lines(f"govsite: {err}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("govsite: afgebroken", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback for a user; a bug is still reported plainly
        print(ci_lines(f"govsite: interne fout ({type(err).__name__}: {err}). Dit is een fout in govsite, "
                       "niet in uw gegevens; meld het bij de beheerders van govsite."), file=sys.stderr)
        if os.environ.get("GOVSITE_DEBUG"):
            raise
        return 3
