"""The one place that makes Jinja environments, for every format govsite writes from a template: site
pages (Markdown), SVG/HTML fragments in them, the Atom feed, the iCalendar file and the YAML of
`govsite new`.

It knows what all of them share (the template folder, StrictUndefined: a missing value is a bug, never
an empty place on a page; trimmed blocks; templates that are part of the program, so never reloaded;
the compiled-template cache) and what each format needs: its escaping, as the environment's finalize
(from generator.escape: escaping is the environment's job, not the templates'), and its line ends.
Callers add the filters and globals their templates use.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
import jinja2.compiler
from markupsafe import Markup

from ..domain.labels import long_date
from ..engine.cache import sealed_bytecode
from ..escape import html, html_in_markdown, ics_text, markdown_html, xml_text

TEMPLATES = Path(__file__).parent / "templates"


# --- finalize: every {{ value }}, per format -----------------------------------------------

def finalize_markdown(value: Any) -> Markup:
    """Every {{ value }} of a Markdown page: HTML-escaped and Markdown-escaped, as Markup.

    It escapes completely, so the compiled templates leave out Jinja's own escape() around it
    (FinalizedOutput): one escaping and one Markup per value instead of two."""
    if type(value) is str:  # most values: the tests below, and str(), would change nothing
        return markdown_html(value)
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, dt.date):
        return html(long_date(value))
    return markdown_html(str(value))


def finalize_fragment(value: Any) -> Markup:
    """Every {{ value }} of an SVG/HTML fragment: HTML-escaped, and Markdown-proof, as Markup (see
    finalize_markdown). The fragment passes Markdown unread (mdfragments); should it ever be read, an
    SVG's aria-label with '[x](javascript:...)' still cannot become a link."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return html_in_markdown(value)


def finalize_xml(value: Any) -> Markup:
    """Every {{ value }} of the Atom feed: XML-escaped (characters XML cannot hold left out), as Markup
    (see finalize_markdown)."""
    if type(value) is str:  # most values: the tests below would change nothing
        return xml_text(value)
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return xml_text(value)


def finalize_ics(value: Any) -> Any:
    """Every {{ value }} of the calendar: RFC 5545 TEXT, unless a filter marked it as formatted (Markup)."""
    if value is None:
        return ""
    return value if isinstance(value, Markup) else ics_text(value)


class FinalizedOutput(jinja2.compiler.CodeGenerator):
    """Compiles {{ value }} as finalize(value) where Jinja writes escape(finalize(value)); only for an
    environment whose finalize returns escaped Markup for every value. Should Jinja ever stop calling
    this method, its escape() comes back, which leaves Markup as it is: the same output."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("(" + finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


@dataclass(frozen=True)
class Format:
    finalize: Callable[[Any], Any] | None
    autoescape: bool
    keep_trailing_newline: bool = True
    folder: str = ""  # below TEMPLATES
    escapes_all: bool = False  # finalize returns escaped Markup for every value: compile without escape()


FORMATS = {
    "markdown": Format(finalize_markdown, autoescape=True, escapes_all=True),
    "fragment": Format(finalize_fragment, autoescape=True, escapes_all=True),
    "atom": Format(finalize_xml, autoescape=True, escapes_all=True),
    "ics": Format(finalize_ics, autoescape=False, keep_trailing_newline=False),  # ics_document ends the lines
    "yaml": Format(None, autoescape=False, folder="scaffold"),  # values are written by the `y` filter
}

_made: weakref.WeakSet[jinja2.Environment] = weakref.WeakSet()
_compiled: list[jinja2.BytecodeCache] = []  # where compiled templates are kept, once keep_compiled is called


def environment(kind: str, filters: dict[str, Callable] | None = None,
                globals: dict[str, Any] | None = None) -> jinja2.Environment:
    """A new environment for templates of one format (a key of FORMATS), with the caller's filters."""
    spec = FORMATS[kind]
    # auto_reload off: the templates are part of the program, so a compiled template is used as it is
    # (checking the file on every page and every diagram cost more than rendering the small ones).
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / spec.folder)),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=spec.keep_trailing_newline, autoescape=spec.autoescape,
                             finalize=spec.finalize, auto_reload=False)
    if spec.escapes_all:
        env.code_generator_class = FinalizedOutput
    env.filters.update(filters or {})
    env.globals.update(globals or {})
    if _compiled:
        env.bytecode_cache = _compiled[-1]
    _made.add(env)
    return env


def compiled_folder(build_cache: Path) -> Path:
    """Where the compiled templates are kept: beside the templates, as Python keeps a module's .pyc
    beside it (they are part of the program: the same for every build and every output folder). In
    the build's cache instead when Python is told not to write bytecode, or when the package's folder
    is not writable (an installed package)."""
    folder = TEMPLATES / "__pycache__"
    if not sys.dont_write_bytecode:
        try:
            folder.mkdir(exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            pass
    return build_cache


def keep_compiled(folder: Path, code: Iterable[Path] = ()) -> None:
    """Keep the compiled templates of every environment, made or still to be made, in folder.

    Jinja checks a compiled template against its source, not against the code that compiled it: the
    files are named after this module and the given code (the modules whose escaping is in them), and
    those of another version are removed and never loaded."""
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.blake2b(digest_size=8)
    for path in (Path(__file__), *code):
        digest.update(Path(path).read_bytes())
    name = digest.hexdigest()
    for old in folder.glob("__govsite_*.cache"):
        if not old.name.startswith(f"__govsite_{name}_"):
            old.unlink(missing_ok=True)
    _compiled[:] = [sealed_bytecode(folder, pattern=f"__govsite_{name}_%s.cache")]  # only govsite's own is loaded
    for env in list(_made):
        env.bytecode_cache = _compiled[-1]
