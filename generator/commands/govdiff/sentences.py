"""`govsite diff`, the field-by-field sentences as tables: for each part of the data, which fields
are compared, the sentence a change gets, how a value reads in it and whether the change gives the
councils less say (weakens). Changes.fields (fields.py) reads a table in its order.
"""
from __future__ import annotations

from typing import Any, Callable

from ...domain import schema
from ...domain.labels import label
from ...domain.model import COUNCIL_ROLE_WEIGHT as WEIGHT, Region
from ...formats import number, percentage
from .fields import Field, Listed, same_data, same_text
from .words import annual, bodies, body, date, domains, em, euro, role, text


# --- how values read in the tables ---------------------------------------------------------

def emph(value: Any, region: Region) -> str:
    return em(value)


def labelled(kind: str, missing: str = "") -> Callable[[Any, Region], str]:
    return lambda value, region: label(value, kind) or missing


def or_text(missing: str) -> Callable[[Any, Region], str]:
    return lambda value, region: text(value or missing)


def or_words(missing: str) -> Callable[[Any, Region], str]:
    """A number or a fixed value, which needs no escaping, or the words for its absence."""
    return lambda value, region: f"{value or missing}"


def words(phrase: Callable[[Any], str]) -> Callable[[Any, Region], str]:
    return lambda value, region: phrase(value)


def named_body(value: str | None, region: Region) -> str:
    return body(region, value)


def bare_body(value: str | None, region: Region) -> str:
    return body(region, value, article=False)


def named_bodies(value: list[str], region: Region) -> str:
    return bodies(region, value)


def steps(value: list[schema.CouncilStep], region: Region) -> str:
    """A sequence of council roles in time order: "zienswijze op het ontwerp, dan toestemming op het besluit"."""
    return ", dan ".join(f"{label(s.role, 'council_step')} {label(s.on, 'council_step_on')}" for s in value) \
        if value else "één rol"


def authority(value: schema.Authority | None, region: Region) -> str:
    if value is None:
        return "niet vastgelegd"
    giver = f" van {body(region, value.granted_by)}" if value.granted_by else ""
    return f"{label(value.kind, 'authority')}{giver}" + ("" if value.objection else ", zonder bezwaar")


def mandate(basis: schema.Basis | None, region: Region) -> str:
    return f"artikel {text(basis.article)} van {text(basis.agreement)}" if basis else "niet vastgelegd"


# --- the tables ----------------------------------------------------------------------------

REGION = [
    Field("name", "De regio heet nu {now} (was: {was}).", emph),
    Field("kind", "Soort regio nu {now} (was: {was}).", labelled("kind")),
    Field("legal_form", "Rechtsvorm nu {now} (was: {was}).", labelled("legal_form")),
    Field("domains", "Domeinen nu: {now} (was: {was}).", words(domains)),
    Field("legal_basis", "De centrumgemeente rust nu op {now} (was: {was}).", labelled("legal_basis_short",
                                                                                        "niet vastgelegd")),
    Field("founding_agreement", "Oprichtingsafspraak nu {now} (was: {was}).", or_text("geen")),
    Field("summary", "De samenvatting voor inwoners is aangepast.", same=same_text),
    Field("website", "Website nu {now} (was: {was}).", or_text("geen")),
    Field("example", "De gegevens zijn {now} als fictief voorbeeld gemarkeerd.",
          lambda value, region: "nu" if value else "niet langer"),
    Field("contact", "Het aanspreekpunt van de regio is gewijzigd.", same=same_data),
]
MEMBER = [  # {subject}: the municipality
    Field("domains", "{subject} doet nu mee voor: {now} (was: {was}).", words(domains)),
    Field("role", "{subject} is nu {now} (was: {was}).", labelled("member_role")),
    Field("bodies", "{subject} neemt nu deel met: {now} (was: {was}).",
          lambda value, region: ", ".join(value) if value else "niet vastgelegd",
          weakens=lambda was, now: bool(was) and "raad" in was and "raad" not in (now or [])),
]
VISION = [
    Field("mission", "De visie op het regionale beleid is {verb}.", same=same_text),
    Field("cooperation", "De visie op de samenwerking is {verb}.", same=same_text),
    Field("approach", "De hoofdlijnen van de aanpak zijn {verb}.", same=same_text),
]
GOAL = [  # only the first that changed
    Field("title", "Doel {was} heet nu {now}.", emph),
    Field("description", "De uitleg bij doel {subject} is aangepast.", same=same_text),
]
BODY = [
    Field("name", "Orgaan {was} heet nu {now}.", emph),
    Field("kind", "Orgaan {subject} is nu een {now} (was: {was}).", labelled("body_kind")),
    Field("role", "Orgaan {subject}: rol nu {now} (was: {was}).", labelled("role")),
    Field("voting", "Orgaan {subject} stemt nu: {now} (was: {was}).", labelled("voting", "niet vastgelegd")),
    Field("reports_to", "Orgaan {subject} legt nu verantwoording af aan {now} (was: {was}).", named_body, bare_body),
    Field("composition", "De samenstelling van {subject} is aangepast.", same=same_text),
    Field("meets", "Orgaan {subject} vergadert nu: {now} (was: {was}).", or_text("niet vastgelegd")),
]
POSITION = [Field("title", "Positie {was} in {subject} heet nu {now}.", emph)]
DECISION = [
    Field("topic", "Besluit {was} heet nu {now}.", emph),
    Field("decides", "Besluit {subject}: beslist nu door {now} (was: {was}).", named_body, bare_body,
          weakens=lambda was, now: was == "raden"),
    Field("council_role", "Besluit {subject}: rol van de raad nu {now} (was: {was}).", words(role),
          weakens=lambda was, now: WEIGHT[now] < WEIGHT[was]),
    Field("council_roles", "Besluit {subject}: stappen van de raad nu {now} (was: {was}).", steps),
    Field("authority", "Besluit {subject}: bevoegdheid nu {now} (was: {was}).", authority),
    Field("prepares", "Besluit {subject}: wordt nu voorbereid door {now} (was: {was}).", named_body, bare_body),
    Listed("consults", "Besluit {subject}: raadpleegt nu ook {bodies}.",
           "Besluit {subject}: raadpleegt niet meer {bodies}."),
    Listed("informs", "Besluit {subject}: informeert nu ook {bodies}.",
           "Besluit {subject}: informeert niet meer {bodies}.", weakens=lambda removed: "raden" in removed),
    Field("voting", "Besluit {subject}: stemming nu {now} (was: {was}).", labelled("voting", "niet vastgelegd")),
    Field("basis", "Besluit {subject}: mandaat nu in {now}.", mandate, same=same_data),
    Field("when", "Besluit {subject}: moment nu {now} (was: {was}).", or_text("niet vastgelegd")),
    Field("description", "De toelichting bij besluit {subject} is aangepast.", same=same_text),
]
INSTRUMENT = [
    Field("applies_to", "{subject} gaat nu over: {now} (was: {was}).", or_words("niet vastgelegd")),
    Field("description", "De toelichting bij {subject} is aangepast.", same=same_text),
]
PLANNING = [  # only the first that changed
    Field("by", "{subject}: uiterste datum nu {now} (was: {was}).", words(annual)),
    Field("to", "{subject} gaat nu naar {now} (was: {was}).", named_bodies),
]
RULES = [
    Field("entry", "De regels voor toetreding zijn {verb}.", same=same_text),
    Field("liability", "De regels voor aansprakelijkheid zijn {verb}.", same=same_text),
    Field("participation", "De afspraken over burgerparticipatie zijn {verb}.", same=same_text),
]
EXIT = [Field("notice_months", "Opzegtermijn bij uittreding nu {now} maanden (was: {was}).",
              or_words("niet vastgelegd"))]
EVALUATION = [Field("every_years", "Evaluatie nu elke {now} jaar (was: elke {was} jaar).", or_words("?"))]
ALLOCATION = [  # only the first that changed
    Field("allocation.key", "Verdeelsleutel nu {now} (was: {was}).", labelled("allocation", "niet vastgelegd")),
    Field("allocation.description", "De uitleg van de verdeelsleutel is aangepast.", same=same_text),
]
CONTRIBUTION = [Field("budget", "Begroting {subject}: {now} (was: {was}).", words(euro))]
SHARE = [  # {subject}: "<municipality> in <year>"; only the first that changed
    Field("amount", "Bijdrage {subject}: {now} (was: {was}).", words(euro)),
    Field("percentage", "Aandeel {subject}: {now} (was: {was}).",
          lambda value, region: percentage(value) or "geen percentage"),
]
INDICATOR = [Field("target", "Indicator {subject}: streefwaarde nu {now} (was: {was}).",
                   lambda value, region: number(value) or "niet vastgelegd")]
BALANCE = [Field("position", "Balans {subject}: positie nu {now} (was: {was}).", or_words("niet ingevuld"))]
AGREEMENT = [
    Field("title", "Afspraak {was} heet nu {now}.", emph),
    Field("kind", "Afspraak {subject} is nu een {now} (was: {was}).", labelled("agreement_kind")),
    Field("parties", "De partijen bij {subject} zijn gewijzigd."),
]
VERSION = [Field("effective", "Versie {subject}: in werking {now} (was: {was}).", words(date))]
