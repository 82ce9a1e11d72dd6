"""Step 2, validate: check every file against the data format and every rule between files.

Input: the documents from load.py. Output: findings with file, line and column, and for each
region that has no errors, its files as typed objects (model.ValidRegion) for the model step. The
data format of one file is checked in structure.py; the rules between fields and files are named
functions (rules.py) in a registry (registry.py): validate_region runs, for each file, the rules of
its kind.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from . import fiction, register_rules, registry, rules, schema  # noqa: F401  (importing rules registers them)
from .register import Registry, build_registry, with_register_members
from .findings import Finding
from .load import Document, Loc, RegionFiles, Sources
from .model import ValidRegion, version_in_force  # noqa: F401  (the model step's; callers import them here too)
from .structure import check_structure


@dataclass
class Validation:
    findings: list[Finding]
    municipalities: list[schema.Municipality]
    regions: list[ValidRegion]
    # every register.yaml (registry-only regions and adopted ones), with divisions <-> regelingen
    registry: Registry = field(default_factory=Registry)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def placeholders(doc: Document) -> list[Finding]:
    """Texts that still say INVULLEN (from `govsite new`): not wrong, but not ready to publish."""
    found = []
    marker = schema.PLACEHOLDER

    def report(loc: Loc) -> None:
        found.append(doc.finding(loc, f"hier staat nog '{marker}': vul de echte tekst in "
                                      "voordat u publiceert.", severity="gap"))

    def walk(value: dict | list, loc: Loc) -> None:
        # Texts are checked in the loop, so only groups and lists cost a call (every value of every file).
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(item, str):
                if marker in item:
                    report(loc + (key,))
            elif isinstance(item, (dict, list)):
                walk(item, loc + (key,))

    if isinstance(doc.data, (dict, list)):
        walk(doc.data, ())
    elif isinstance(doc.data, str) and marker in doc.data:
        report(())
    return found


def validate(sources: Sources, on: dt.date, reserved: Iterable[str] = ()) -> Validation:
    """Check all loaded files; `on` is the date for rules that depend on the version in force.

    reserved: folder names no region may have (the caller's: the names the site uses itself)."""
    findings = list(sources.findings)
    municipalities, found = validate_municipalities(sources.municipalities, on)
    findings += found
    by_code = {m.code: m for m in municipalities}
    reserved = frozenset(reserved)
    valid: list[ValidRegion] = []
    registers: dict[str, schema.RegisterFile] = {}
    for files in sources.regions:
        found, v, typed = validate_files(files, sources.findings, by_code, on, reserved)
        findings += found
        if v is not None:
            valid.append(v)
        if typed is not None:
            registers[files.id] = typed
    registry_, found = registry_of(registers, sources.register_links, municipalities, on)
    findings += found
    return Validation(findings=sorted(set(findings)), municipalities=municipalities, regions=valid,
                      registry=registry_)


def validate_files(files: RegionFiles, loaded: list[Finding], municipalities: dict[str, schema.Municipality],
                   on: dt.date, reserved: frozenset[str] = frozenset()
                   ) -> tuple[list[Finding], ValidRegion | None, schema.RegisterFile | None]:
    """Check one region folder whole (validate_region, then validate_register): its findings, its
    typed files when the region has no errors, and its typed register.yaml when that has none.

    `loaded` are the loader's findings (validate_region). The result depends on nothing but the folder,
    the municipality list, the date and reserved: a caller may keep it while those stay the same."""
    findings, valid = validate_region(files, loaded, municipalities, on, reserved)
    found, register = validate_register(files, municipalities, on, reserved)
    return findings + found, valid, register


def validate_register(files: RegionFiles, municipalities: dict[str, schema.Municipality], on: dt.date,
                      reserved: Iterable[str] = ()) -> tuple[list[Finding], schema.RegisterFile | None]:
    """Check a region folder's register.yaml: its findings (with the register's defects as notices),
    and its typed content when it has no errors."""
    doc = files.register
    if doc is None:
        return [], None
    check = registry.Check(municipalities, on, files=files, reserved=frozenset(reserved))
    parsed, findings = check_structure(doc, schema.FILE_KINDS["register"])
    if parsed is not None:
        registry.run("register", check, doc, parsed)
    findings = findings + check.findings
    ok = parsed is not None and not any(f.severity == "error" for f in findings)
    return findings, parsed if ok else None


def registry_of(registers: dict[str, schema.RegisterFile], links: Document | None,
                municipalities: list[schema.Municipality], on: dt.date) -> tuple[Registry, list[Finding]]:
    """The registry of the typed register files, related by register-links.yaml (checked here)."""
    typed_links, findings = links_of(links, on)
    registry_, found = build_registry(registers, typed_links, municipalities, on)
    return registry_, findings + found


def links_of(links: Document | None, on: dt.date
             ) -> tuple[tuple[Document, schema.RegisterLinksFile] | None, list[Finding]]:
    """register-links.yaml typed, when its format is right, and what is wrong with it on its own."""
    findings: list[Finding] = []
    typed_links = None
    if links is not None:
        parsed, findings = check_structure(links, schema.FILE_KINDS["register-links"])
        if parsed is not None:
            check = registry.Check({}, on)
            registry.run("register-links", check, links, parsed)
            findings += check.findings
            typed_links = (links, parsed)
    return typed_links, findings


def validate_municipalities(doc: Document | None, on: dt.date) -> tuple[list[schema.Municipality], list[Finding]]:
    """The reference list of municipalities (shared by every region) and what is wrong with it."""
    if doc is None:
        return [], []
    parsed, findings = check_structure(doc, schema.MunicipalitiesFile)
    if parsed is None:
        return [], findings
    check = registry.Check({}, on)
    registry.run("municipalities", check, doc, parsed)
    return parsed.municipalities, findings + check.findings


def validate_region(files: RegionFiles, loaded: list[Finding], municipalities: dict[str, schema.Municipality],
                    on: dt.date, reserved: Iterable[str] = ()) -> tuple[list[Finding], ValidRegion | None]:
    """Check one region folder: its findings, and its typed files when it has no errors.

    `loaded` are the loader's findings: a region with a file that could not be read is not valid.
    Only the municipality list is shared with other regions; a region's result depends on nothing else
    (reserved: folder names no region may have, as in validate).
    """
    if files.region is None:
        return [], None
    check = registry.Check(municipalities, on, files=files, reserved=frozenset(reserved))
    # An adopted region: members left out of region.yaml, or without their dates, come from register.yaml.
    region_doc = files.region if files.register is None else with_register_members(files.region, files.register)
    registry.run("region", check, region_doc, typed=False)
    before_structure = len(check.findings)
    valid = None
    region, findings = check_structure(region_doc, schema.FILE_KINDS["region"])
    topics = {}
    for topic in schema.TOPIC_FILES:
        if topic in files.topics:
            parsed, found = check_structure(files.topics[topic], schema.FILE_KINDS[topic])
            findings += found
            if parsed is not None:
                topics[topic] = parsed
    agreements = []
    for doc in files.agreements:
        parsed, found = check_structure(doc, schema.FILE_KINDS["agreement"])
        findings += found
        if parsed is not None:
            agreements.append((doc, parsed))
    if region is not None:
        check.region = ValidRegion(files=files, region=region, topics=topics,
                                   agreements=[a for _, a in agreements])
        registry.run("region", check, region_doc, region)
        for topic, parsed in topics.items():
            registry.run(topic, check, files.topics[topic], parsed)
        for doc, agreement in agreements:
            registry.run("agreement", check, doc, agreement)
    findings = check.findings[:before_structure] + findings + check.findings[before_structure:]
    if region is not None:
        inside = (files.display + "/", files.display + "\\")  # not a sibling 'x-2' of 'x'
        loaded_ok = not any(f.path == files.display or f.path.startswith(inside) for f in loaded)
        if not findings and loaded_ok and len(topics) == len(files.topics) \
                and len(agreements) == len(files.agreements):
            valid = check.region
    for doc in [files.region, *files.topics.values(), *files.agreements]:
        if doc is not None:
            findings += placeholders(doc)
    return findings, valid
