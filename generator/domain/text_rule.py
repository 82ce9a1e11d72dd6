"""The text rule: which characters may not enter the data, and the message that names one."""
from __future__ import annotations

import re

# One rule for the characters that may not enter the data: in every file, key and value, written as
# such or as an escape in double quotes ("\x80", "\L"). Control characters (C0, DEL, C1) break XML
# feeds and the YAML front matter of a page (which PyYAML then leaves as page text); line and paragraph separators (U+0085, U+2028, U+2029) are line breaks to iCalendar, to
# Python's splitlines and to the front matter of a page, so they could add lines there; lone
# surrogates and noncharacters are no text. Bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069) make text in a review read otherwise than it is ("Trojan Source"), and real text
# never needs them: Arabic or Hebrew gets its direction from its letters. Tab and line feed stay, as
# do soft hyphens, zero-width spaces and joiners and the direction marks U+200E/U+200F. A carriage
# return may end a line of the file (YAML reads it as a line break) but not be part of a value ("\r").
# The noncharacters beyond U+FFFF (U+1FFFE, U+1FFFF, ... U+10FFFF) are told apart in first_bad: a class
# that lists them makes the search much slower than one range over all those planes.
_BAD = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
        "\ufffe\uffff\U00010000-\U0010ffff")
BAD_IN_FILE = re.compile(f"[{_BAD}]")
BAD_IN_VALUE = re.compile(f"[\r{_BAD}]")


def first_bad(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first character of text that the text rule refuses (pattern: BAD_IN_FILE or BAD_IN_VALUE)."""
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


def bad_character(char: str) -> str:
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
