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


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="govsite",
        description="Controleert en publiceert de governance-afspraken van regionale samenwerkingen.",
    )
    main.add_argument("--version", action="version", version=f"govsite {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

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
    validate.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="JJJJ-MM-DD",
                          help="controleer zoals op deze datum (standaard: vandaag)")

    schema = command("schema", "schrijf een JSON Schema per bestandssoort, voor de editor", cmd_schema)
    schema.add_argument("--out", metavar="DIR", help="doelmap (standaard: REGIONS/.schema)")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
