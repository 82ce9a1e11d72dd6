"""Reading one YAML file into a Document: plain data plus the line and column of every value.

Nothing here knows what the fields mean. The result is plain Python data (dict, list, str, int,
float, bool, date) plus, for every value, the line and column it came from, so that every later
finding can point at the exact place. Broken YAML becomes a finding, never an exception.

Parsing uses libyaml's composer (through PyYAML's C binding): it gives a node tree with marks and is
far faster than a pure-Python parser, which keeps `govsite validate` of a national data
set under a second. Scalars are then resolved here by the YAML 1.2 core schema (as ruamel.yaml does,
so `no` stays text and `fmt`, which round-trips with ruamel.yaml, reads the same values).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.reader import ReaderError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Finding, display_path
from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_STRING, MAX_TOTAL_VALUES, READ_SO_FAR, InputTooBig, Size
from .pickling import PackedWhenPickled
from .text_rule import BAD_IN_FILE, BAD_IN_VALUE, bad_character, first_bad

Loc = tuple  # a path into the data: ("members", 0, "since")


class InvalidDate(str):
    """A value that looks like a date but is none (2024-02-30); the validator reports it."""


class WrittenFloat(float):
    """A number with a decimal point that remembers how it was written: a message about version 1.10
    must quote "1.10", not the float 1.1."""

    __slots__ = ("text",)

    def __new__(cls, text: str) -> "WrittenFloat":
        number = super().__new__(cls, text)
        number.text = text
        return number



@dataclass
class Document(PackedWhenPickled):
    """One YAML file: its plain data and where each value stands."""

    _packed_fields = ("data", "positions", "key_positions")

    path: Path
    display: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def pos(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """The place of a value (or of its key), else of the nearest enclosing value."""
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def finding(self, loc: Loc, message: str, severity: str = "error", key: bool = False) -> Finding:
        line, col = self.pos(loc, key=key)
        return Finding(self.display, line, col, severity, message)

    def whole(self, message: str, severity: str = "error") -> Finding:
        return Finding(self.display, 0, 0, severity, message)



class _TooBig(Exception):
    """A value the loader refuses; loc says where."""

    def __init__(self, message: str, loc: Loc, key: bool = False, whole: bool = False):
        super().__init__(message)
        self.loc = loc
        self.key = key
        self.whole = whole  # over a limit of the whole input (MAX_TOTAL_VALUES), not of this file



_MERGE = "tag:yaml.org,2002:merge"
_DEFAULT_TAGS = {ScalarNode: "tag:yaml.org,2002:str", SequenceNode: "tag:yaml.org,2002:seq",
                 MappingNode: "tag:yaml.org,2002:map"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer with a resolver that only recognises merge keys (<<).

    The composer asks the resolver for the tag of every node; PyYAML's resolver tries its regular
    expressions in Python for each scalar, a large part of loading. Scalars are resolved in
    _scalar below, so the only tag that matters is the merge key's (as PyYAML gives it: a plain '<<').
    """

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0] and value == "<<":
            return _MERGE
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node, current_index):
        pass  # no path resolvers

    def ascend_resolver(self):
        pass


_LOADER = _Loader


_YAML_MESSAGES = [
    ("mapping values are not allowed",
     "hier mag geen ':' staan. Staat er een dubbele punt in een tekst? Zet de tekst dan tussen "
     "aanhalingstekens. Of klopt het inspringen niet?"),
    ("could not find expected ':'",
     "verwacht 'naam: waarde'. Controleer of de dubbele punt ontbreekt of het inspringen klopt."),
    ("did not find expected key",
     "het inspringen klopt niet: zet deze regel precies onder de regels van hetzelfde niveau."),
    ("expected <block end>",
     "het inspringen klopt niet: zet deze regel precies onder de regels van hetzelfde niveau."),
    ("did not find expected '-' indicator",
     "het inspringen klopt niet: een lijst-item begint met '- ' op dezelfde hoogte als de andere items."),
    ("found undefined alias", "deze verwijzing (*naam) heeft geen anker (&naam)."),
    ("found character '\\t'", "hier staat een tab. Gebruik spaties om in te springen, geen tabs."),
    ("found character that cannot start any token",
     "dit teken kan hier niet staan. Zet de tekst tussen aanhalingstekens."),
    ("found unexpected end of stream",
     "het bestand houdt onverwacht op. Ontbreekt er een sluitend aanhalingsteken of haakje?"),
    ("while scanning a quoted scalar",
     "een tekst tussen aanhalingstekens is niet afgesloten. Voeg het sluitende aanhalingsteken toe."),
    ("exceeded maximum nesting depth", f"het bestand is te diep genest (maximaal {MAX_DEPTH} niveaus)."),
    ("expected a single document",
     "het bestand bevat meer dan één YAML-document ('---'). Gebruik één document per bestand."),
    ("did not find expected ',' or ']'",
     "een lijst tussen [ en ] is niet goed afgesloten: ontbreekt er een ']' of een komma tussen de items?"),
    ("did not find expected ',' or '}'",
     "een groep tussen { en } is niet goed afgesloten: ontbreekt er een '}' of een komma tussen de velden?"),
    ("expected hexdecimal number",
     "onbekend teken na '\\' in een tekst tussen dubbele aanhalingstekens (bijvoorbeeld in C:\\Users). "
     "Gebruik enkele aanhalingstekens of schrijf '\\\\'."),
    ("found unknown escape character",
     "onbekend teken na '\\' in een tekst tussen dubbele aanhalingstekens. Gebruik enkele "
     "aanhalingstekens of schrijf '\\\\'."),
]


def _yaml_message(err: MarkedYAMLError) -> str:
    text = f"{err.context or ''} {err.problem or ''}"
    for needle, message in _YAML_MESSAGES:
        if needle in text:
            return message
    problem = (err.problem or str(err)).strip()
    return f"dit is geen geldige YAML ({problem}). Controleer inspringen, dubbele punten en aanhalingstekens."


def _tab_indent(text: str) -> tuple[int, int] | None:
    if "\t" not in text:  # the common case, without splitting the file into lines
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            return number, indent.index("\t") + 1
    return None


def load_yaml(path: Path, display: str | None = None) -> tuple[Document | None, list[Finding]]:
    """Read one YAML file into a Document, or explain why it cannot be read.

    Within load_sources the file also counts towards the limits of the whole input; going over them
    raises InputTooBig, which ends loading."""
    display = display or display_path(path)

    def fail(message: str, line: int = 0, col: int = 0):
        return None, [Finding(display, line, col, "error", message)]

    read_so_far = READ_SO_FAR.get()
    try:
        size = path.stat().st_size
        if read_so_far is not None:
            read_so_far.files += 1
            read_so_far.bytes += size if size <= MAX_FILE_BYTES else 0
            over = read_so_far.over()
            if over:  # before reading it
                raise InputTooBig(Finding(display, 0, 0, "error", over))
        if size > MAX_FILE_BYTES:
            return fail(f"het bestand is te groot ({size // 1024} KiB; maximaal "
                        f"{MAX_FILE_BYTES // 1024} KiB). Splits het op of maak het korter.")
        raw = path.read_bytes()
    except OSError as err:
        return fail(f"het bestand kan niet gelezen worden ({err.strerror}).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return fail("het bestand is niet in UTF-8 opgeslagen. Sla het op als UTF-8 (zonder BOM).", line, 1)
    if "\x00" in text:
        return fail("het bestand bevat een nul-teken; is het wel een tekstbestand?")
    bad = first_bad(BAD_IN_FILE, text)  # as written, also in comments; an escape ("\L") is checked per value
    if bad:
        at = bad.start()
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        return fail(bad_character(bad.group()), line, col)
    tab = _tab_indent(text)
    if tab:
        return fail("hier wordt ingesprongen met een tab. Gebruik spaties, geen tabs.", *tab)
    depth = _bracket_depth(text)
    if depth > MAX_DEPTH:
        return fail(f"het bestand is te diep genest ({depth} niveaus haakjes; maximaal {MAX_DEPTH}).")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return fail(_yaml_message(err), line, col)
    except RecursionError:
        return fail(f"het bestand is te diep genest (maximaal {MAX_DEPTH} niveaus).")
    except ReaderError as err:  # a control character; position counts characters of the text
        at = max(0, min(int(err.position or 0), len(text)))
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        char = f" (#x{err.character:04x})" if isinstance(err.character, int) else ""
        return fail(f"hier staat een onzichtbaar stuurteken{char} dat niet in een tekstbestand hoort. "
                    "Verwijder het of typ de tekst opnieuw.", line, col)
    except (YAMLError, ValueError, TypeError, AttributeError, KeyError, IndexError) as err:
        return fail(f"dit is geen geldige YAML ({type(err).__name__}).")

    doc = Document(path=path, display=display, data=None)
    if root is None:
        return doc, []
    try:
        doc.data = _plain(root, doc, read_so_far)
    except _TooBig as err:
        line, col = doc.pos(err.loc, key=err.key)
        if err.whole:
            raise InputTooBig(Finding(display, line, col, "error", str(err))) from None
        return fail(str(err), line, col)
    except RecursionError:
        return fail(f"het bestand is te diep genest (maximaal {MAX_DEPTH} niveaus).")
    return doc, []


def _bracket_depth(text: str) -> int:
    """Nesting depth of flow brackets, counted before parsing: libyaml recurses on them in C."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OTHER = re.compile(r"^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")  # as YAML's timestamp: 2019-1-1 stays text
_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}")


def _scalar(node: ScalarNode) -> Any:
    """Resolve a scalar by the YAML 1.2 core schema, plus dates (as ruamel.yaml does)."""
    value = node.value
    if node.style:  # '', or None without libyaml, is a plain scalar
        return value  # quoted or block text: always text
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        return int(value)
    if _INT_OTHER.match(value):
        return int(value, 0)
    if _FLOAT.match(value):
        return WrittenFloat(value)
    if value in (".inf", ".Inf", ".INF", "+.inf", "-.inf", ".nan", ".NaN", ".NAN"):
        return float(value.replace(".", "", 1))
    date = _DATE.match(value)
    if date:
        try:
            return dt.date(*(int(part) for part in date.groups()))
        except ValueError:
            return InvalidDate(value)
    if _DATETIME.match(value):
        try:
            return dt.datetime.fromisoformat(value.replace("t", "T").replace("Z", "+00:00"))
        except ValueError:
            return InvalidDate(value)
    return value


_WORDS = {word: None for word in ("", "~", "null", "Null", "NULL")}
_WORDS.update({word: True for word in ("true", "True", "TRUE")})
_WORDS.update({word: False for word in ("false", "False", "FALSE")})
_NUMBER_START = frozenset("0123456789+-.")  # every number, date, .inf and .nan starts with one of these


def _plain(root: Node, doc: Document, read_so_far: Size | None = None) -> Any:
    """Convert the node tree into plain data, recording positions and enforcing limits.

    The hot loop of loading (one call per value of a national data set), so it keeps its state in
    local variables and resolves plain text without calling _scalar: a plain scalar that is not a
    null or bool word and does not start like a number or a date is text. read_so_far: what the
    whole input had before this file (load_sources); the values are added to it, also when refused.
    """
    positions, key_positions = doc.positions, doc.key_positions
    count = 0
    limit = MAX_NODES if read_so_far is None else min(MAX_NODES, MAX_TOTAL_VALUES - read_so_far.values)

    def convert(node: Node, loc: Loc, depth: int) -> Any:
        nonlocal count
        mark = node.start_mark
        positions[loc] = (mark.line + 1, mark.column + 1)
        count += 1
        if count > limit:
            if count <= MAX_NODES:
                raise _TooBig(replace(read_so_far, values=read_so_far.values + count).over(), loc, whole=True)
            raise _TooBig(f"het bestand heeft te veel waarden (meer dan {MAX_NODES}, ook na het "
                          "uitvouwen van verwijzingen met * en &).", loc)
        if depth > MAX_DEPTH:
            raise _TooBig(f"het bestand is te diep genest (maximaal {MAX_DEPTH} niveaus).", loc)
        if isinstance(node, MappingNode):
            pairs = node.value
            for key_node, _ in pairs:
                if key_node.tag == _MERGE:
                    pairs = _merged(node)
                    break
            result: dict[str, Any] = {}
            for key_node, value_node in pairs:
                if not isinstance(key_node, ScalarNode):
                    key_positions[loc + ("?",)] = _mark(key_node)
                    raise _TooBig("een naam (vóór de ':') moet een gewoon woord zijn, geen lijst of groep.",
                                  loc + ("?",), key=True)
                name = key_node.value
                at = loc + (name,)
                if name in result:
                    first = key_positions[at][0]
                    key_positions[loc + ("?",)] = _mark(key_node)
                    raise _TooBig(f"de naam '{name}' komt twee keer voor in dezelfde groep (eerder op regel "
                                  f"{first}). Verwijder of hernoem één van beide.", loc + ("?",), key=True)
                key_mark = key_node.start_mark
                key_positions[at] = (key_mark.line + 1, key_mark.column + 1)
                bad = first_bad(BAD_IN_VALUE, name) if key_node.style == '"' else None
                if bad:
                    raise _TooBig(bad_character(bad.group()), at, key=True)
                result[name] = convert(value_node, at, depth + 1)
            return result
        if isinstance(node, SequenceNode):
            depth += 1
            return [convert(item, loc + (i,), depth) for i, item in enumerate(node.value)]
        value = node.value
        style = node.style
        if not style and (value in _WORDS or value[0] in _NUMBER_START):
            try:
                value = _scalar(node)
                if isinstance(value, int) and value.bit_length() > 10_000:  # 0x... beyond what str() can show
                    raise ValueError(value.bit_length())
            except ValueError:  # an integer beyond Python's conversion limit (4300 digits)
                raise _TooBig("dit getal is te lang (meer dan 4300 cijfers). Is het tekst? Zet het dan tussen "
                              "aanhalingstekens.", loc) from None
            if not isinstance(value, str):
                return value
        if len(value) > MAX_STRING:
            raise _TooBig(f"deze tekst is te lang ({len(value)} tekens; maximaal {MAX_STRING}).", loc)
        # load_yaml refuses these characters written as such, so only an escape in double quotes
        # ("\x07", "\L") can make one.
        if style == '"':
            bad = first_bad(BAD_IN_VALUE, value)
            if bad:
                raise _TooBig(bad_character(bad.group()), loc)
        return value

    try:
        return convert(root, (), 0)
    finally:
        if read_so_far is not None:
            read_so_far.values += count


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1



def _merged(node: MappingNode, memo: dict[int, list] | None = None) -> list[tuple[Node, Node]]:
    """The key/value pairs of a mapping with YAML merge keys (<<: *anchor) expanded, own keys first.

    Each mapping is expanded once (memo): merges of merges of the same anchors would otherwise take
    exponential time, a "billion laughs" that the count of values in _plain never gets to see.
    """
    memo = {} if memo is None else memo
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = []  # a mapping that merges itself (through an alias) adds nothing
    own = [(k, v) for k, v in node.value if k.tag != _MERGE]
    names = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    merged = []
    for key, value in node.value:
        if key.tag == _MERGE:
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in sources:
                if isinstance(source, MappingNode):
                    for k, v in _merged(source, memo):
                        if isinstance(k, ScalarNode) and k.value not in names:
                            names.add(k.value)
                            merged.append((k, v))
    memo[id(node)] = own + merged
    return memo[id(node)]
