"""`govsite new`: start a region, an agreement or a new version of an agreement.

Every file written here is valid as written (`govsite validate` reports only gaps), in the
canonical layout of `govsite fmt`, and explains its fields in Dutch comments, so that a secretariat
can fill it in without the documentation at hand. The templates are in site/templates/scaffold/.
"""
from __future__ import annotations

import copy
import functools
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import jinja2
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString

from ..domain import schema
from .fmt import canonical_yaml, dump, format_text
from ..domain.load import SLUG, TOPIC_FILES, inside_regions, load_yaml
from ..domain.schema import ID_MAX_LENGTH, PLACEHOLDER
from ..domain.suggest import did_you_mean, nearest
from ..site import templating


REGION_KINDS = list(get_args(schema.RegionKind))
LEGAL_FORMS = list(get_args(schema.LegalForm))
AGREEMENT_KINDS = list(get_args(schema.AgreementKind))
DOMAINS = list(get_args(schema.Domain))

# The usual domains and legal form of each kind of region: a starting point the secretariat edits.
KIND_DEFAULTS = {
    "jeugdregio": (["jeugd"], "openbaar-lichaam"),
    "wmo-regio": (["wmo"], "openbaar-lichaam"),
    "beschermd-wonen-regio": (["beschermd-wonen", "maatschappelijke-opvang"], "centrumgemeente"),
    "arbeidsmarktregio": (["participatie"], "netwerk"),
    "veiligheidsregio": (["veiligheid"], "openbaar-lichaam"),
    "ggd-regio": (["gezondheid"], "openbaar-lichaam"),
    "rmc-regio": (["onderwijs"], "centrumgemeente"),
    "omgevingsdienst": (["leefomgeving"], "openbaar-lichaam"),
    "zorgkantoorregio": (["gezondheid"], "netwerk"),
    "overig": (["overig"], "convenant"),
}
WGR_FORMS = {"openbaar-lichaam", "bedrijfsvoeringsorganisatie", "gemeenschappelijk-orgaan", "centrumgemeente",
             "regeling-zonder-meer"}
# The founding agreement of each legal form: (id, kind, title prefix).
FOUNDING = {
    **{form: ("gemeenschappelijke-regeling", "gemeenschappelijke-regeling", "Gemeenschappelijke regeling")
       for form in WGR_FORMS},
    "convenant": ("convenant", "convenant", "Convenant"),
    "dienstverleningsovereenkomst": ("dienstverleningsovereenkomst", "dienstverleningsovereenkomst",
                                     "Dienstverleningsovereenkomst"),
    "netwerk": ("samenwerkingsafspraken", "samenwerkingsovereenkomst", "Samenwerkingsafspraken"),
}


class ScaffoldError(Exception):
    """Input that cannot be scaffolded; the message says what to do instead."""


# --- templates -----------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 .,'()/&-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def yaml_scalar(value: Any) -> str:
    """A text as a YAML scalar: plain when that is unambiguous, else in double quotes (JSON's are YAML's)."""
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" ") and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


@functools.cache
def _environment() -> jinja2.Environment:
    return templating.environment("yaml", {"y": yaml_scalar})


def _render(template: str, **context: Any) -> str:
    text = _environment().get_template(template).render(**context)
    return format_text(text)  # written in the canonical layout, so `fmt --check` passes at once


# --- checks on the input -------------------------------------------------------------------

def check_id(value: str, what: str) -> str:
    if not SLUG.match(value) or len(value) > ID_MAX_LENGTH:
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:ID_MAX_LENGTH]
        hint = f" Bijvoorbeeld: '{suggestion}'." if suggestion and SLUG.match(suggestion) else ""
        raise ScaffoldError(f"'{value}' is geen geldige id voor {what}: gebruik alleen kleine letters, cijfers en "
                            f"streepjes (hoogstens {ID_MAX_LENGTH} tekens).{hint}")
    return value


def check_choice(value: str, options: list[str], what: str) -> str:
    if value not in options:
        raise ScaffoldError(f"'{value}' is geen geldige {what}.{did_you_mean(value, options)} "
                            f"Kies uit: {', '.join(options)}.")
    return value


def _municipalities(root: Path) -> list[schema.Municipality]:
    path = root / "municipalities.yaml"
    if not path.is_file():
        raise ScaffoldError(f"de gemeentelijst {path} ontbreekt. Zet municipalities.yaml in de map met regio's "
                            "(zie content/bijdragen/dataformaat.md).")
    doc, findings = load_yaml(path)
    if findings:
        raise ScaffoldError(f"de gemeentelijst kan niet gelezen worden: {findings[0].format()}")
    try:
        return schema.MunicipalitiesFile.model_validate(doc.data).municipalities
    except Exception:  # noqa: BLE001 - the validator explains the details
        raise ScaffoldError("de gemeentelijst municipalities.yaml bevat fouten; voer eerst 'govsite validate' "
                            "uit en verbeter ze.") from None


@dataclass(frozen=True)
class NewMember:
    code: str
    name: str
    role: str | None = None


def check_members(codes: list[str], municipalities: list[schema.Municipality], since: dt.date) -> list[NewMember]:
    known = {m.code: m for m in municipalities}
    by_name = {m.name.lower(): m for m in municipalities}
    members: list[NewMember] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        found = known.get(code)
        if found is None:
            named = by_name.get(raw.strip().lower())
            if named:
                hint = f" Bedoelt u {named.code} ({named.name})?"
            else:
                close = nearest(code, known)
                hint = f" Bedoelt u {close} ({known[close].name})?" if close else ""
            raise ScaffoldError(f"gemeente '{raw.strip()}' staat niet in municipalities.yaml.{hint} Gebruik de "
                                "CBS-code: GM gevolgd door vier cijfers, zoals in municipalities.yaml.")
        if found.ended is not None and found.ended <= since:
            successor = known.get(found.succeeded_by or "")
            hint = f" Neem de opvolger op: {successor.code} ({successor.name})." if successor else ""
            raise ScaffoldError(f"gemeente {found.name} ({code}) bestaat niet meer sinds "
                                f"{found.ended.isoformat()}.{hint}")
        if any(m.code == code for m in members):
            raise ScaffoldError(f"gemeente {found.name} ({code}) staat twee keer in --members.")
        members.append(NewMember(code, found.name))
    if len(members) < 2:
        raise ScaffoldError("een regio heeft minstens twee deelnemende gemeenten; geef ze op met "
                            "--members GM0546,GM0547")
    return members


# --- the commands --------------------------------------------------------------------------

def ensure_schemas(root: Path) -> list[Path]:
    """Write REGIONS/.schema/<kind>.schema.json when missing, for the editor's completion."""
    out = root / ".schema"
    written = []
    for kind, content in schema.json_schemas().items():
        path = out / f"{kind}.schema.json"
        if not path.is_file():
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                            encoding="utf-8")
            written.append(path)
    return written


def _inside(root: Path, path: Path) -> Path:
    """path, when writing it cannot leave the regions folder through a symbolic link (validate's rule)."""
    if not inside_regions(root, path):
        raise ScaffoldError(f"{path} verwijst (via een snelkoppeling) naar een plek buiten de map met regio's. "
                            "Daar schrijft govsite niet; zet de bestanden in de map zelf.")
    return path


def _write_new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:  # never overwrite someone's file
        handle.write(text)
    return path


def new_region(root: Path, region_id: str, kind: str, name: str, members: list[str], since: dt.date,
               legal_form: str | None = None, domains: list[str] | None = None) -> list[Path]:
    """Write a complete, valid region folder; returns the files written."""
    root = Path(root)
    check_id(region_id, "een regio")
    check_choice(kind, REGION_KINDS, "soort regio (--kind)")
    default_domains, default_form = KIND_DEFAULTS[kind]
    legal_form = check_choice(legal_form or default_form, LEGAL_FORMS, "rechtsvorm (--legal-form)")
    domains = domains or default_domains
    for domain in domains:
        check_choice(domain, DOMAINS, "domein (--domains)")
    if not name.strip():
        raise ScaffoldError("geef de regio een naam met --name \"Naam van de regio\".")
    folder = root / region_id
    if folder.exists():
        raise ScaffoldError(f"de regio '{region_id}' bestaat al ({folder}). Kies een andere id.")
    chosen = check_members(members, _municipalities(root), since)
    if legal_form == "centrumgemeente":  # the first member named is the centre municipality
        chosen[0] = NewMember(chosen[0].code, chosen[0].name, "centrumgemeente")
    agreement_id, agreement_kind, prefix = FOUNDING[legal_form]
    context = dict(id=region_id, region_id=region_id, name=name.strip(), kind=kind, domains=domains,
                   legal_form=legal_form, members=chosen, since=since.isoformat(), year=since.year,
                   agreement_id=agreement_id)
    files = {"region.yaml": _render("region.yaml", **context)}
    for topic in TOPIC_FILES:
        files[f"{topic}.yaml"] = _render(f"{topic}.yaml", **context)
    files[f"agreements/{agreement_id}.yaml"] = _agreement_text(
        region_id, agreement_id, f"{prefix} {name.strip()}", agreement_kind, since,
        "raden" if legal_form in WGR_FORMS else "colleges")
    ensure_schemas(root)
    folder.mkdir(parents=True)
    return [_write_new(folder / relative, text) for relative, text in files.items()]


def _agreement_text(region_id: str, agreement_id: str, title: str, kind: str, effective: dt.date,
                    adopted_by: str) -> str:
    return _render("agreement.yaml", region_id=region_id, id=agreement_id, title=title, kind=kind,
                   adopted=effective.isoformat(), effective=effective.isoformat(), adopted_by=adopted_by)


def _region_folder(root: Path, region_id: str) -> Path:
    folder = Path(root) / region_id
    if not (folder / "region.yaml").is_file():
        present = sorted(p.name for p in Path(root).iterdir() if (p / "region.yaml").is_file()) \
            if Path(root).is_dir() else []
        raise ScaffoldError(f"regio '{region_id}' bestaat niet in {root}.{did_you_mean(region_id, present)}")
    return _inside(root, folder)


def new_agreement(root: Path, region_id: str, agreement_id: str, effective: dt.date, title: str | None = None,
                  kind: str = "overig") -> Path:
    folder = _region_folder(root, region_id)
    check_id(agreement_id, "een afspraak")
    check_choice(kind, AGREEMENT_KINDS, "soort afspraak (--kind)")
    path = _inside(root, folder / "agreements" / f"{agreement_id}.yaml")
    if path.exists():
        raise ScaffoldError(f"de afspraak '{agreement_id}' bestaat al ({path}). Wilt u haar wijzigen? Maak dan "
                            f"een nieuwe versie: govsite new version {region_id} {agreement_id}")
    ensure_schemas(Path(root))
    text = _agreement_text(region_id, agreement_id, title or f"{PLACEHOLDER} titel van de afspraak", kind,
                           effective, "colleges")
    return _write_new(path, text)


def next_version(number: str) -> str:
    """"2.0" -> "2.1", "3" -> "4"; anything else gets a suffix the secretariat replaces."""
    parts = number.split(".")
    if all(p.isdigit() for p in parts):
        if len(parts) == 1:
            return str(int(parts[0]) + 1)
        return ".".join(parts[:-1] + [str(int(parts[-1]) + 1)])
    return f"{number}-nieuw"


def new_version(root: Path, region_id: str, agreement_id: str, version: str | None = None,
                effective: dt.date | None = None) -> tuple[Path, str, dt.date]:
    """Append a version that starts as a copy of the version in force; comments in the file are kept."""
    folder = _region_folder(root, region_id)
    path = _inside(root, folder / "agreements" / f"{agreement_id}.yaml")
    if not path.is_file():
        present = sorted(p.stem for p in (folder / "agreements").glob("*.yaml"))
        raise ScaffoldError(f"afspraak '{agreement_id}' bestaat niet in {folder / 'agreements'}."
                            f"{did_you_mean(agreement_id, present)}")
    doc, findings = load_yaml(path)
    if findings:
        raise ScaffoldError(f"het bestand kan niet gelezen worden: {findings[0].format()}")
    try:
        parsed = schema.AgreementFile.model_validate(doc.data)
    except Exception:  # noqa: BLE001 - the validator explains the details
        raise ScaffoldError(f"{path} bevat fouten; voer eerst 'govsite validate {region_id}' uit en verbeter "
                            "ze.") from None
    last = parsed.versions[-1]
    if effective is None:  # the first 1 January after the last version took effect
        effective = dt.date(last.effective.year + 1, 1, 1)
    if effective <= last.effective:
        raise ScaffoldError(f"de nieuwe versie moet later in werking treden dan versie {last.version} "
                            f"({last.effective.isoformat()}); geef een latere datum met --effective JJJJ-MM-DD.")
    version = version or next_version(last.version)
    if any(v.version == version for v in parsed.versions):
        raise ScaffoldError(f"versie {version} bestaat al; kies een ander nummer met --version.")
    # The version in force just before the new one starts is the one to copy.
    source = max((i for i, v in enumerate(parsed.versions) if v.effective < effective),
                 key=lambda i: parsed.versions[i].effective)

    yaml = canonical_yaml()
    data = yaml.load(path.read_text(encoding="utf-8-sig"))
    versions: CommentedSeq = data["versions"]
    new: CommentedMap = copy.deepcopy(versions[source])
    new.ca.comment = None  # a comment above the copied version belongs to the old one
    new["version"] = DoubleQuotedScalarString(version)
    # Two date objects: one shared object would be written as a YAML anchor and alias.
    new["adopted"] = dt.date.fromordinal(effective.toordinal())
    new["effective"] = dt.date.fromordinal(effective.toordinal())
    new.pop("publication", None)
    new["changes"] = PlainScalarString(
        f"{PLACEHOLDER} (wat verandert er in deze versie, en waarom? Pas ook de artikelen aan.)")
    for key in list(new):
        if key != "articles":
            _eol_only(new, key)
    _set_eol_comment(new, "version", f"{PLACEHOLDER}: het nummer van de nieuwe versie", len(version) + 2)
    _set_eol_comment(new, "adopted", f"{PLACEHOLDER}: datum van vaststelling (niet na 'effective')", 10)
    _set_eol_comment(new, "effective", f"{PLACEHOLDER}: datum van inwerkingtreding", 10)
    versions.append(new)
    text = format_text(dump(data))
    path.write_text(text, encoding="utf-8", newline="\n")
    return path, version, effective


def _eol_only(mapping: CommentedMap, key: str) -> None:
    """Drop the comment lines after a key's line: they describe the next key of the copied version."""
    token = mapping.ca.items.get(key, [None, None, None, None])[2]
    if token is not None:
        eol = token.value.split("\n", 1)[0]
        if eol.strip():
            token.value = eol + "\n"
        else:
            mapping.ca.items.pop(key, None)


def _set_eol_comment(mapping: CommentedMap, key: str, text: str, width: int) -> None:
    """Put a comment at the end of a key's line, two spaces after a value of the given width."""
    token = mapping.ca.items.get(key, [None, None, None, None])[2]
    if token is not None:
        token.value = f"# {text}\n"
        return
    indent = getattr(getattr(mapping, "lc", None), "col", None) or 4
    mapping.yaml_add_eol_comment(text, key, column=indent + len(key) + 2 + width + 2)


def placeholders(paths: list[Path]) -> list[tuple[Path, int]]:
    """Where a file still says INVULLEN outside a comment line, for the list of next steps.

    Read as text, not as data: dates to fill in carry the marker only in a comment behind the value,
    which the validator's placeholder gap (validate.placeholders) cannot see."""
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PLACEHOLDER in line and not line.lstrip().startswith("#"):
                found.append((path, number))
    return found
