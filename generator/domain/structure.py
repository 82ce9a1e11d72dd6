"""The data format of one file: check a document against its file kind (schema.py), and say what is
wrong as a secretariat understands it: pydantic's errors become Dutch messages at the value's place.
"""
from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ValidationError

from . import schema
from .findings import Finding
from .load import Document, Loc
from .suggest import did_you_mean


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional from a type annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            lists = [a for a in args if typing.get_origin(_unwrap(a)) is list]
            annotation = args[0] if len(args) == 1 else (lists[0] if lists else args[0])
        else:
            return annotation


def _annotation_at(root: type[BaseModel], loc: Loc) -> Any:
    """The (unwrapped) type annotation that governs the value at loc, or None."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return None
            current = info.annotation
        else:
            return None
    return _unwrap(current)


def _describe(value: Any) -> str:
    if value is None:
        return "niets"
    if isinstance(value, bool):
        return f"ja/nee-waarde ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"een getal ({value})"
    if isinstance(value, dt.date):
        return f"een datum ({value.isoformat()})"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een groep velden"
    return f"'{value}'"


def _slug_hint(value: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")[:schema.ID_MAX_LENGTH].strip("-")
    return f", bijvoorbeeld '{slug}'" if slug else ""


def _field_label(loc: Loc) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"(item {part + 1})")
        else:
            parts.append(f"'{part}'")
    return " ".join(parts)


def _message(error: dict, root: type[BaseModel], loc: Loc) -> tuple[str, bool]:
    """A Dutch message for one pydantic error, and whether it points at a key rather than a value."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    label = _field_label(loc)
    if kind == "missing":
        parent = _annotation_at(root, loc[:-1])
        info = parent.model_fields.get(loc[-1]) if isinstance(parent, type) and issubclass(parent, BaseModel) else None
        hint = f" ({info.description})" if info is not None and info.description else ""
        return f"het verplichte veld '{loc[-1]}' ontbreekt{hint}. Voeg '{loc[-1]}: ...' toe.", False
    if kind == "extra_forbidden":
        parent = _annotation_at(root, loc[:-1])
        allowed = list(parent.model_fields) if isinstance(parent, type) and issubclass(parent, BaseModel) else []
        return (f"onbekend veld '{loc[-1]}'.{did_you_mean(str(loc[-1]), allowed)} "
                f"Toegestaan zijn hier: {', '.join(allowed)}."), True
    if kind == "literal_error":
        allowed = [str(a) for a in typing.get_args(_annotation_at(root, loc) or ())]
        return (f"{label}: onbekende waarde {_describe(value)}.{did_you_mean(str(value), allowed)} "
                f"Kies uit: {', '.join(allowed)}."), False
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == schema.CODE_PATTERN:
            return (f"{label}: {_describe(value)} is geen CBS-gemeentecode. Schrijf GM gevolgd door vier "
                    "cijfers, bijvoorbeeld GM0546."), False
        if ctx.get("pattern") == schema.SLUG_PATTERN:
            return (f"{label}: {_describe(value)} is geen geldige id. Gebruik alleen kleine letters, cijfers "
                    f"en enkele streepjes{_slug_hint(value)}."), False
        return f"{label}: {_describe(value)} heeft niet de juiste vorm.", False
    if kind in ("string_too_long", "too_long"):  # too_long: a text checked after a BeforeValidator
        return f"{label}: te lang; maximaal {ctx.get('max_length')} tekens.", False
    if kind == "string_too_short":
        return f"{label}: mag niet leeg zijn.", False
    if kind == "too_short":
        need = ctx.get("min_length")
        return f"{label}: hier {'is' if need == 1 else 'zijn'} minstens {need} item{'' if need == 1 else 's'} nodig.", False
    if kind == "string_type":
        if value is None:
            return f"{label}: hier staat niets. Vul tekst in of laat het veld weg.", False
        return (f"{label}: verwacht tekst, maar hier staat {_describe(value)}. "
                "Zet de waarde tussen aanhalingstekens als het tekst is."), False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{label}: verwacht een geheel getal, maar hier staat {_describe(value)}.", False
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{label}: verwacht een getal, maar hier staat {_describe(value)}.", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{label}: verwacht true of false, maar hier staat {_describe(value)}.", False
    if kind == "list_type":
        return (f"{label}: verwacht een lijst (regels die beginnen met '- '), maar hier staat "
                f"{_describe(value)}."), False
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (f"{label}: verwacht een groep velden (naam: waarde op de regels eronder, ingesprongen), "
                f"maar hier staat {_describe(value)}."), False
    def number(x: Any) -> Any:  # 0.0 -> 0: limits of euro fields are floats
        return int(x) if isinstance(x, float) and x.is_integer() else x

    if kind in ("greater_than_equal", "greater_than"):
        return f"{label}: moet minstens {number(ctx.get('ge', ctx.get('gt')))} zijn, niet {value}.", False
    if kind in ("less_than_equal", "less_than"):
        return f"{label}: mag hoogstens {number(ctx.get('le', ctx.get('lt')))} zijn, niet {value}.", False
    if kind in ("value_error", "assertion_error"):
        text = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return (f"{label}: {text}." if label else f"{text[:1].upper()}{text[1:]}."), False
    return f"{label}: {error.get('msg')}.", False


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _data_loc(data: Any, loc: tuple) -> tuple:
    """A pydantic error location without union tags ('list[...]'); a key the user wrote is kept, even
    when it looks like a tag ('0[')."""
    out, node, inside = [], data, True
    for part in loc:
        if inside and isinstance(node, dict) and part in node:
            node = node[part]
        elif inside and isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif _is_tag(part):
            continue
        else:
            inside = False  # a missing field, or beyond the data
        out.append(part)
    return tuple(out)


def check_structure(doc: Document, cls: type[BaseModel]) -> tuple[BaseModel | None, list[Finding]]:
    """Validate one document against its file kind; every problem becomes a finding at its place."""
    if doc.data is None:
        return None, [doc.whole("het bestand is leeg. Zie de documentatie voor wat erin hoort.")]
    if not isinstance(doc.data, dict):
        return None, [doc.finding((), "bovenaan het bestand horen velden als 'naam: waarde', "
                                      f"maar hier staat {_describe(doc.data)}.")]
    try:
        return cls.model_validate(doc.data), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    by_loc: dict[Loc, list[dict]] = defaultdict(list)
    for error in errors:
        loc = _data_loc(doc.data, error["loc"])
        by_loc[loc].append(error)
    findings = []
    for loc, group in by_loc.items():
        # A union (e.g. 'members' or a list) reports one error per alternative; keep the useful one.
        if len(group) > 1 and any(e["type"] != "literal_error" for e in group):
            group = [e for e in group if e["type"] != "literal_error"]
        tagged = any(len(e["loc"]) != len(loc) for e in group)
        for error in group[:1] if tagged else group:
            message, at_key = _message(error, cls, loc)
            target = loc[:-1] if error["type"] == "missing" else loc
            findings.append(doc.finding(target, message, key=at_key))
    return None, sorted(set(findings))
