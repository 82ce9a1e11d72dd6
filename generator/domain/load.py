"""Step 1, load: read the YAML files of the regions folder, keeping the place of every value.

Nothing here knows what the fields mean. The result is plain Python data (dict, list, str, int,
float, bool, date) plus, for every value, the line and column it came from, so that every later
finding can point at the exact place. Broken YAML becomes a finding, never an exception.

Parsing uses libyaml's composer (through PyYAML's C binding): it gives a node tree with marks and is
about 40 times faster than a pure-Python parser, which keeps `govsite validate` of a national data
set under a second. Scalars are then resolved here by the YAML 1.2 core schema (as ruamel.yaml does,
so `no` stays text and `fmt`, which round-trips with ruamel.yaml, reads the same values).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.reader import ReaderError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Finding, display_path
from .suggest import did_you_mean

# Limits that keep a hostile or broken file from hanging the build or eating memory.
# They are far above what any real governance file needs (the largest example is ~20 KiB).
MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000  # values after expanding aliases ("billion laughs")
MAX_DEPTH = 40  # nesting of mappings and lists
MAX_STRING = 100_000  # characters in one text value
MAX_AGREEMENTS = 500
MAX_REGIONS = 1000  # region folders in one regions folder (there are about 340 municipalities)
# Limits on the whole regions folder: the per-file limits times the number of files would allow far
# more than one machine can hold. A national data set is a few times smaller; every value costs
# memory and time in each later step, so these also bound a build of data that passes them.
MAX_TOTAL_FILES = 20_000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_TOTAL_VALUES = 2_000_000  # after expanding aliases, as MAX_NODES

Loc = tuple  # a path into the data: ("members", 0, "since")

# Every date in the data (schema.Date) and every --as-of lies in this range. The municipalities of
# today date from 1851 and budget years go up to 2200 (schema.Contribution); the code adds at most a
# few years to a date (terms, the agenda's horizon), far from Python's last date (9999-12-31).
FIRST_DATE, LAST_DATE = dt.date(1800, 1, 1), dt.date(2200, 12, 31)

TOPIC_FILES = (
    "organisation",
    "decisions",
    "accountability",
    "finance",
    "progress",
    "reflection",
)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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


class PackedWhenPickled:
    """Pickles the fields named in _packed_fields as one bytes object, unpacked on first use.

    For the check cache: most of what a check reads back from it is never looked into again (a
    region that did not change), and rebuilding its many small objects would cost more than
    checking took. The fields must have no class-level default, so that reading one that is still
    packed reaches __getattr__.
    """

    _packed_fields: ClassVar[tuple[str, ...]] = ()

    def __reduce__(self):
        import pickle

        packed = pickle.dumps(tuple(getattr(self, name) for name in self._packed_fields),
                              protocol=pickle.HIGHEST_PROTOCOL)
        eager = {k: v for k, v in self.__dict__.items() if k not in self._packed_fields}
        return _unpack_later, (type(self), eager, packed)

    def __getattr__(self, name: str) -> Any:  # only asked for attributes that are not set
        if name in self._packed_fields and "_packed" in self.__dict__:
            import pickle

            self.__dict__.update(zip(self._packed_fields, pickle.loads(self.__dict__.pop("_packed"))))
            return self.__dict__[name]
        raise AttributeError(name)


def _unpack_later(cls: type, eager: dict, packed: bytes) -> Any:
    obj = cls.__new__(cls)
    obj.__dict__.update(eager, _packed=packed)
    return obj


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


@dataclass
class Size:
    """What was read: files, bytes and values (after expanding aliases), for the whole-input limits."""

    files: int = 0
    bytes: int = 0
    values: int = 0

    def __add__(self, other: "Size") -> "Size":
        return Size(self.files + other.files, self.bytes + other.bytes, self.values + other.values)

    def __sub__(self, other: "Size") -> "Size":
        return Size(self.files - other.files, self.bytes - other.bytes, self.values - other.values)

    def over(self) -> str | None:
        """Why this is more than a whole regions folder may hold (a Dutch message), else None."""
        for used, limit, what in (
                (self.files, MAX_TOTAL_FILES, f"{MAX_TOTAL_FILES:,} YAML-bestanden"),
                (self.bytes, MAX_TOTAL_BYTES, f"{MAX_TOTAL_BYTES // 2 ** 20} MiB aan YAML-bestanden"),
                (self.values, MAX_TOTAL_VALUES,
                 f"{MAX_TOTAL_VALUES:,} waarden (ook na het uitvouwen van verwijzingen met * en &)")):
            if used > limit:
                return (f"alle bestanden in de map met regio's samen zijn te groot: meer dan "
                        f"{what.replace(',', '.')}. govsite leest vanaf hier niets meer. Dat is ruim meer dan "
                        "alle regio's van Nederland samen nodig hebben: staan er bestanden, kopieën of "
                        "verwijzingen (*naam) in die er niet horen? Verwijder die; staat hier wel de map met "
                        "regio's?")
        return None


@dataclass
class RegionFiles:
    """The documents of one region folder."""

    id: str
    folder: Path
    display: str
    region: Document | None = None
    topics: dict[str, Document] = field(default_factory=dict)
    agreements: list[Document] = field(default_factory=list)
    size: Size = field(default_factory=Size)  # what reading it took: a region from the cache counts too


@dataclass
class Sources:
    """Everything read from a regions folder."""

    root: Path
    municipalities: Document | None
    regions: list[RegionFiles]
    findings: list[Finding]


class _TooBig(Exception):
    """A value the loader refuses; loc says where."""

    def __init__(self, message: str, loc: Loc, key: bool = False, whole: bool = False):
        super().__init__(message)
        self.loc = loc
        self.key = key
        self.whole = whole  # over a limit of the whole input (MAX_TOTAL_VALUES), not of this file


class _InputTooBig(Exception):
    """The whole input is over a MAX_TOTAL_ limit: loading stops (load_sources reports the finding)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


# What load_sources has read so far; load_yaml counts each file against it. A context variable rather
# than a parameter, so that a region loader (the check cache's) keeps its signature.
_READ: ContextVar[Size | None] = ContextVar("govsite_read", default=None)


_MERGE = "tag:yaml.org,2002:merge"
_DEFAULT_TAGS = {ScalarNode: "tag:yaml.org,2002:str", SequenceNode: "tag:yaml.org,2002:seq",
                 MappingNode: "tag:yaml.org,2002:map"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer with a resolver that only recognises merge keys (<<).

    The composer asks the resolver for the tag of every node; PyYAML's resolver tries its regular
    expressions in Python for each scalar, a third of the time of loading. Scalars are resolved in
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
    raises _InputTooBig, which ends loading."""
    display = display or display_path(path)

    def fail(message: str, line: int = 0, col: int = 0):
        return None, [Finding(display, line, col, "error", message)]

    read_so_far = _READ.get()
    try:
        size = path.stat().st_size
        if read_so_far is not None:
            read_so_far.files += 1
            read_so_far.bytes += size if size <= MAX_FILE_BYTES else 0
            over = read_so_far.over()
            if over:  # before reading it
                raise _InputTooBig(Finding(display, 0, 0, "error", over))
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
    bad = _bad(_BAD_IN_FILE, text)  # as written, also in comments; an escape ("\L") is checked per value
    if bad:
        at = bad.start()
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        return fail(_bad_character(bad.group()), line, col)
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
            raise _InputTooBig(Finding(display, line, col, "error", str(err))) from None
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
                bad = _bad(_BAD_IN_VALUE, name) if key_node.style == '"' else None
                if bad:
                    raise _TooBig(_bad_character(bad.group()), at, key=True)
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
            bad = _bad(_BAD_IN_VALUE, value)
            if bad:
                raise _TooBig(_bad_character(bad.group()), loc)
        return value

    try:
        return convert(root, (), 0)
    finally:
        if read_so_far is not None:
            read_so_far.values += count


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# One rule for the characters that may not enter the data: in every file, key and value, written as
# such or as an escape in double quotes ("\x80", "\L"). Control characters (C0, DEL, C1) break XML
# feeds and the YAML front matter of a page (which PyYAML then leaves as page text); line and paragraph separators (U+0085, U+2028, U+2029) are line breaks to iCalendar, to
# Python's splitlines and to the front matter of a page, so they could add lines there; lone
# surrogates and noncharacters are no text. Bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069) make text in a review read otherwise than it is ("Trojan Source"), and real text
# never needs them: Arabic or Hebrew gets its direction from its letters. Tab and line feed stay, as
# do soft hyphens, zero-width spaces and joiners and the direction marks U+200E/U+200F. A carriage
# return may end a line of the file (YAML reads it as a line break) but not be part of a value ("\r").
# The noncharacters beyond U+FFFF (U+1FFFE, U+1FFFF, ... U+10FFFF) are told apart in _bad: a class
# that lists them makes the search several times slower than one range over all those planes.
_BAD = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
        "\ufffe\uffff\U00010000-\U0010ffff")
_BAD_IN_FILE = re.compile(f"[{_BAD}]")
_BAD_IN_VALUE = re.compile(f"[\r{_BAD}]")


def _bad(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first character of text that the text rule refuses (pattern: _BAD_IN_FILE or _BAD_IN_VALUE)."""
    for match in pattern.finditer(text):
        char = match.group()
        if char < "\U00010000" or ord(char) & 0xfffe == 0xfffe:
            return match
    return None


_CHARACTER_NAMES = {
    0x0b: "verticale tab", 0x0c: "nieuwe pagina", 0x0d: "regelterugloop (CR)", 0x7f: "wisteken (DEL)",
    0x85: "volgende regel (NEL)", 0x2028: "regelscheiding", 0x2029: "alineascheiding",
    0x202a: "inbedding links-naar-rechts", 0x202b: "inbedding rechts-naar-links", 0x202c: "einde inbedding",
    0x202d: "overschrijving links-naar-rechts", 0x202e: "overschrijving rechts-naar-links",
    0x2066: "isolatie links-naar-rechts", 0x2067: "isolatie rechts-naar-links", 0x2068: "isolatie eerste sterke",
    0x2069: "einde isolatie",
}


def _bad_character(char: str) -> str:
    """The finding's message for a character the text rule refuses: which one, why, what to do instead."""
    code = ord(char)
    if code in _CHARACTER_NAMES:
        name = _CHARACTER_NAMES[code]
    elif code < 0x20:
        name = "stuurteken"
    elif code <= 0x9f:
        name = "C1-stuurteken"
    elif 0xd800 <= code <= 0xdfff:
        name = "losse surrogaathelft"
    else:
        name = "niet-teken"
    shown = f"U+{code:04X} ({name})"
    if code in (0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029):
        return (f"hier staat het onzichtbare teken {shown}: agenda's, feeds en pagina's lezen het als een "
                "nieuwe regel. Verwijder het. Wilt u een nieuwe regel? Begin die dan gewoon in een tekstblok "
                "met '|', of schrijf \\n tussen dubbele aanhalingstekens.")
    if 0x202a <= code <= 0x2069:
        return (f"hier staat het onzichtbare teken {shown}: het draait tekst om, zodat die bij een controle "
                "anders leest dan hij is. Verwijder het; Arabisch of Hebreeuws schrift krijgt vanzelf de "
                "goede richting.")
    return (f"hier staat het onzichtbare teken {shown}, dat in geen tekst hoort: het breekt feeds en "
            "agenda's. Verwijder het (het komt vaak mee bij kopiëren uit een ander programma); typ de tekst "
            "zo nodig opnieuw.")


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


def _real(root: Path) -> Path | None:
    """The regions folder without symbolic links, once per load rather than once per file."""
    try:
        return root.resolve()
    except (OSError, RuntimeError):
        return None


def _inside(path: Path, real_root: Path | None) -> bool:
    return _real_inside(path, real_root) is not None


def inside_regions(root: Path, path: Path) -> bool:
    """The loader's rule for symbolic links, for a command that writes: whether path, every link
    followed (also a path that does not exist yet), lies inside the regions folder root."""
    return _inside(path, _real(Path(root)))


def _real_inside(path: Path, real_root: Path | None) -> Path | None:
    """path.resolve() when that is inside the regions folder, else None."""
    if real_root is None:
        return None
    try:
        real = path.resolve()
        real.relative_to(real_root)
        return real
    except (ValueError, OSError, RuntimeError):
        return None


RegionLoader = Callable[[Path, "Path | None", list[Finding]], RegionFiles]


def load_sources(root: Path, only: list[str] | None = None, region_loader: RegionLoader | None = None,
                 skip: Iterable[Path] = ()) -> Sources:
    """Read the municipality list and every region folder (or the named ones) under root.

    region_loader (default load_region) reads one folder; the check cache passes one that can take
    an unchanged region from the cache instead. A built site is never read as a region (_no_region):
    the folders in skip (the build's own output folder) and any folder with an index.html but no
    region.yaml, as when the regions sit at the top of a repository and the site is built beside them.
    """
    region_loader = region_loader or load_region
    root = Path(root)
    findings: list[Finding] = []
    municipalities = None
    real_root = _real(root)
    mfile, folders = top_paths(root, real_root, findings, only, skip)
    read = Size()
    token = _READ.set(read)
    regions = []
    try:
        if mfile is not None:
            municipalities, found = load_yaml(mfile, display_path(mfile))
            findings += found
        elif not (root / "municipalities.yaml").is_file():
            findings.append(Finding(display_path(root / "municipalities.yaml"), 0, 0, "error",
                                    "de gemeentelijst municipalities.yaml ontbreekt in de map met regio's."))
        for folder in folders:
            before = replace(read)
            files = region_loader(folder, real_root, findings)
            # From the cache a region was not read now; what reading it took counts all the same.
            total = before + files.size
            read.files, read.bytes, read.values = total.files, total.bytes, total.values
            over = read.over()
            if over:
                raise _InputTooBig(Finding(files.display, 0, 0, "error", over))
            regions.append(files)
    except _InputTooBig as err:  # the region being read is left out: it is incomplete
        findings.append(err.finding)
    finally:
        _READ.reset(token)
    return Sources(root=root, municipalities=municipalities, regions=regions, findings=findings)


def top_paths(root: Path, real_root: Path | None, findings: list[Finding], only: list[str] | None = None,
              skip: Iterable[Path] = ()) -> tuple[Path | None, list[Path]]:
    """The loader's rules for the top of a regions folder: municipalities.yaml when it may be read,
    and the region folders (the named ones, with only). What they refuse is added to findings."""
    shown = display_path(root)
    mfile = root / "municipalities.yaml"
    if mfile.is_file() and not _inside(mfile, real_root):
        findings.append(Finding(display_path(mfile), 0, 0, "error",
                                "municipalities.yaml verwijst (via een snelkoppeling) naar een plek buiten de "
                                "map met regio's. Dat is niet toegestaan; zet het bestand in de map zelf."))
    skipped = {os.path.realpath(p) for p in skip}
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
                     and not _no_region(p, skipped)) if root.is_dir() else []
    if only:
        by_name = {p.name: p for p in folders}
        missing = [name for name in only if name not in by_name]
        for name in missing:
            findings.append(Finding(shown, 0, 0, "error",
                                    f"regio '{name}' bestaat niet in {shown}.{did_you_mean(name, by_name)}"))
        folders = [by_name[name] for name in only if name in by_name]
    if len(folders) > MAX_REGIONS:
        findings.append(Finding(shown, 0, 0, "error",
                                f"te veel regio's in {shown} ({len(folders)}; maximaal {MAX_REGIONS}). "
                                "Staat hier wel de map met regio's?"))
        folders = folders[:MAX_REGIONS]
    return (mfile if mfile.is_file() and _inside(mfile, real_root) else None), folders


def _no_region(folder: Path, skipped: set[str]) -> bool:
    """A built site (see load_sources), not a region folder; skipped: real paths."""
    if not (folder / "region.yaml").exists() and (folder / "index.html").is_file():
        return True
    return bool(skipped) and os.path.realpath(folder) in skipped


@dataclass
class RegionPaths:
    """The files of a region folder that the loader reads, each as (path, its real place)."""

    region: tuple[Path, Path] | None = None
    topics: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    agreements: list[tuple[Path, Path]] = field(default_factory=list)

    def all(self) -> list[Path]:
        pairs = ([self.region] if self.region else []) + list(self.topics.values()) + self.agreements
        return [path for path, _ in pairs]


def region_paths(folder: Path, real_root: Path | None, findings: list[Finding]) -> RegionPaths | None:
    """The loader's rules for the paths in a region folder (also `govsite fmt`'s): the files it reads,
    or None when it reads none. What they refuse is added to findings. real_root: see _real."""
    shown = display_path(folder)
    if not _inside(folder, real_root):
        findings.append(Finding(shown, 0, 0, "error",
                                "deze map verwijst (via een snelkoppeling) naar een plek buiten de map "
                                "met regio's. Dat is niet toegestaan; zet de bestanden in de map zelf."))
        return None
    if not SLUG.match(folder.name) or len(folder.name) > 64:
        findings.append(Finding(shown, 0, 0, "error",
                                f"de mapnaam '{folder.name}' is geen geldige regio-id: gebruik alleen "
                                "kleine letters, cijfers en streepjes (bijvoorbeeld 'jeugdregio-west')."))
        return None
    found = RegionPaths()

    def inside(path: Path) -> tuple[Path, Path] | None:
        real = _real_inside(path, real_root)
        if real is None:
            findings.append(Finding(display_path(path), 0, 0, "error",
                                    "dit bestand verwijst naar een plek buiten de map met regio's; "
                                    "dat is niet toegestaan."))
            return None
        return path, real

    known = {"region.yaml", "agreements"} | {f"{t}.yaml" for t in TOPIC_FILES}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name in known:
            continue
        if entry.suffix in (".yaml", ".yml") or entry.is_dir():
            findings.append(Finding(display_path(entry), 0, 0, "error",
                                    f"onbekend bestand of map '{entry.name}' in de regio."
                                    f"{did_you_mean(entry.name, sorted(known))}"))

    if (folder / "region.yaml").is_file():
        found.region = inside(folder / "region.yaml")
    for topic in TOPIC_FILES:
        path = folder / f"{topic}.yaml"
        if path.is_file():
            pair = inside(path)
            if pair is not None:
                found.topics[topic] = pair
    agreements = folder / "agreements"
    if agreements.is_dir():
        paths = sorted(agreements.iterdir())
        if len(paths) > MAX_AGREEMENTS:
            findings.append(Finding(display_path(agreements), 0, 0, "error",
                                    f"te veel bestanden in agreements/ (maximaal {MAX_AGREEMENTS})."))
            paths = paths[:MAX_AGREEMENTS]
        for path in paths:
            if path.name.startswith("."):
                continue
            if path.suffix != ".yaml" or not path.is_file():
                findings.append(Finding(display_path(path), 0, 0, "error",
                                        "in agreements/ horen alleen .yaml-bestanden, één per afspraak."))
                continue
            pair = inside(path)
            if pair is not None:
                found.agreements.append(pair)
    return found


def source_paths(root: Path) -> tuple[list[Path], list[Finding]]:
    """Every YAML file load_sources reads under root, and its findings about the paths it refuses."""
    root = Path(root)
    findings: list[Finding] = []
    real_root = _real(root)
    mfile, folders = top_paths(root, real_root, findings)
    paths = [mfile] if mfile is not None else []
    for folder in folders:
        found = region_paths(folder, real_root, findings)
        paths += found.all() if found is not None else []
    return paths, findings


def load_region(folder: Path, real_root: Path | None, findings: list[Finding]) -> RegionFiles:
    """Read one region folder; what is wrong with it is added to findings. real_root: see _real.

    Raises _InputTooBig when the whole input goes over a limit (load_sources: the region is left out)."""
    files = RegionFiles(id=folder.name, folder=folder, display=display_path(folder))
    read = _READ.get()
    token = _READ.set(Size()) if read is None else None  # read on its own: limits of one region
    before = replace(_READ.get())
    try:
        paths = region_paths(folder, real_root, findings)
        if paths is None:
            return files

        def read_file(pair: tuple[Path, Path]) -> Document | None:
            path, real = pair
            doc, found = load_yaml(path, display_path(path, resolved=real))  # resolved once, not twice
            findings.extend(found)
            return doc

        if paths.region is not None:
            files.region = read_file(paths.region)
        elif not (folder / "region.yaml").is_file():
            findings.append(Finding(display_path(folder / "region.yaml"), 0, 0, "error",
                                    "region.yaml ontbreekt; dit bestand is verplicht voor elke regio."))
        for topic, pair in paths.topics.items():
            doc = read_file(pair)
            if doc is not None:
                files.topics[topic] = doc
        for pair in paths.agreements:
            doc = read_file(pair)
            if doc is not None:
                files.agreements.append(doc)
        return files
    finally:
        files.size = _READ.get() - before
        if token is not None:
            _READ.reset(token)
