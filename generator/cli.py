"""The `govsite` command: the only place that knows about arguments, output and exit codes."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from . import __version__
from .findings import summary, to_json

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; schrijf JJJJ-MM-DD") from None


def _regions_dir(args) -> Path:
    root = Path(args.regions)
    if not root.is_dir():
        raise UsageError(f"de map met regio's '{root}' bestaat niet. Geef een map op met --regions PAD.")
    return root


def _known_regions(root: Path, names: list[str]) -> None:
    from .suggest import did_you_mean

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
    if checked.errors or (args.strict and checked.findings):
        return EXIT_ERRORS
    return EXIT_OK


def cmd_schema(args) -> int:
    from .schema import json_schemas

    out = Path(args.out) if args.out else Path(args.regions) / ".schema"
    out.mkdir(parents=True, exist_ok=True)
    for kind, schema in json_schemas().items():
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(path)
    return EXIT_OK


def _print_findings(findings, count: int, stream) -> None:
    for finding in findings:
        print(finding.format(), file=stream)
    print(summary(findings, count), file=stream)


def _checked_for_build(args):
    from .pipeline import check

    root = _regions_dir(args)
    _known_regions(root, args.region)
    checked = check(root, args.region or None, args.as_of)
    return checked


def _build_options(args, out: Path):
    from .build import BuildOptions

    return BuildOptions(out=out, on=args.as_of, as_of_banner=args.as_of_given,
                        source_url=args.source_url or os.environ.get("GOVSITE_SOURCE_URL"),
                        source_path=str(Path(args.regions).as_posix()).strip("/"))


def cmd_build(args) -> int:
    from .build import BuildError, build
    from .history import page_dates

    checked = _checked_for_build(args)
    if checked.errors:
        _print_findings(checked.errors, len(checked.sources.regions), sys.stderr)
        print(f"govsite: niets gebouwd; {args.out} is niet veranderd. Verbeter eerst de fouten hierboven.",
              file=sys.stderr)
        return EXIT_ERRORS
    try:
        out = build(checked.regions, _build_options(args, Path(args.out)), page_dates(Path(args.regions)))
    except BuildError as err:
        print(f"govsite: {err}", file=sys.stderr)
        print(f"govsite: niets gebouwd; {args.out} is niet veranderd.", file=sys.stderr)
        return EXIT_ERRORS
    print(f"{len(checked.regions)} regio's gebouwd in {out}")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    root = _regions_dir(args)
    _known_regions(root, [args.region_id])
    return serve(args, root)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="govsite",
        description="Controleert en publiceert de governance-afspraken van regionale samenwerkingen.",
    )
    main.add_argument("--version", action="version", version=f"govsite {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_as_of(sub: argparse.ArgumentParser, help: str) -> None:
        sub.add_argument("--as-of", type=_date, default=None, metavar="JJJJ-MM-DD", help=help)

    def command(name: str, help: str, handler) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        sub.add_argument("--regions", default=os.environ.get("GOVSITE_REGIONS", "regions"), metavar="DIR",
                         help="map met municipalities.yaml en een map per regio (standaard: regions)")
        return sub

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

    serve = command("serve", "bekijk een regio terwijl u de YAML bewerkt; bouwt opnieuw bij elke wijziging",
                    cmd_serve)
    serve.add_argument("region_id", metavar="REGION")
    serve.add_argument("--port", type=int, default=8000)
    add_as_of(serve, "toon de regio zoals op deze datum (standaard: vandaag)")
    serve.add_argument("--source-url", metavar="URL", help=argparse.SUPPRESS)

    schema = command("schema", "schrijf een JSON Schema per bestandssoort, voor de editor", cmd_schema)
    schema.add_argument("--out", metavar="DIR", help="doelmap (standaard: REGIONS/.schema)")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if hasattr(args, "as_of"):
        args.as_of_given = args.as_of is not None
        args.as_of = args.as_of or dt.date.today()
    try:
        return args.handler(args)
    except UsageError as err:
        print(f"govsite: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("govsite: afgebroken", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback for a user; a bug is still reported plainly
        print(f"govsite: interne fout ({type(err).__name__}: {err}). Dit is een fout in govsite, niet in "
              "uw gegevens; meld het bij de beheerders van govsite.", file=sys.stderr)
        if os.environ.get("GOVSITE_DEBUG"):
            raise
        return 3
