"""argparse's own words ("usage:", "options", "the following arguments are required") in
the user's language, and its help's section headings with the language's colon.

argparse asks gettext for each of its sentences (``argparse._`` and
``argparse.ngettext``, looked up when the words are needed). While :func:`speaking`
is active they are answered from the catalogue (``cli.argparse.*``); outside it
argparse is untouched. The parser is built, and parses, inside it (group titles and
the help line are asked for when the parser is built; usage and errors later).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
from collections.abc import Iterator

from tui.core.i18n.catalogue import text

#: argparse's message ids (CPython 3.11–3.13) and ours.
WORDS: dict[str, str] = {
    "usage: ": "usage",  # not-ui-text: argparse's id
    "options": "options",  # not-ui-text: argparse's id
    "positional arguments": "positional",  # not-ui-text: argparse's id
    "show this help message and exit": "help",  # not-ui-text: argparse's id
    "show program's version number and exit": "version",  # not-ui-text: argparse's id
    "the following arguments are required: %s": "required",  # not-ui-text: argparse's id
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",  # not-ui-text: argparse's id
    "unrecognized arguments: %s": "unrecognized",  # not-ui-text: argparse's id
    "expected one argument": "expected_one",  # not-ui-text: argparse's id
    "expected at most one argument": "expected_at_most_one",  # not-ui-text: argparse's id
    "expected at least one argument": "expected_at_least_one",  # not-ui-text: argparse's id
    "argument %(argument_name)s: %(message)s": "argument",  # not-ui-text: argparse's id
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",  # not-ui-text: argparse's id
    "invalid %(type)s value: %(value)r": "invalid_value",  # not-ui-text: argparse's id
    "not allowed with argument %s": "not_allowed",  # not-ui-text: argparse's id
    "one of the arguments %s is required": "one_of_required",  # not-ui-text: argparse's id
    "ignored explicit argument %r": "ignored_explicit",  # not-ui-text: argparse's id
}


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """argparse speaks ``lang`` inside the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        key = WORDS.get(message)
        return text(f"cli.argparse.{key}", lang) if key else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        if singular == "expected %s argument":
            return text("cli.argparse.expected_n", lang)
        return singular if n == 1 else plural

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class HeadingFormatter(argparse.HelpFormatter):
    """argparse's help with each section heading in the catalogue's form
    (``cli.argparse.heading``): Chinese ends it with a full-width colon ("选项："), where
    argparse's ``_Section`` writes ``"%s:"`` itself (Python 3.11; out of gettext's reach)."""

    lang = "en"

    class _Section(argparse.HelpFormatter._Section):
        def format_help(self) -> str:
            heading, self.heading = self.heading, None  # argparse's section, headless
            try:
                body = super().format_help()
            finally:
                self.heading = heading
            if not body or heading is None or heading is argparse.SUPPRESS:
                return body
            lang = getattr(self.formatter, "lang", "en")
            indent = " " * self.formatter._current_indent
            line = indent + text("cli.argparse.heading", lang, heading=heading) + "\n"
            return body[:1] + line + body[1:]  # after the newline that opens a section


@functools.cache
def help_formatter(lang: str) -> type[argparse.HelpFormatter]:
    """The help formatter for ``lang``: argparse's own for English (its headings end
    with ``:`` already), else :class:`HeadingFormatter` speaking ``lang``."""
    if lang == "en":
        return argparse.HelpFormatter
    return type("HeadingFormatter", (HeadingFormatter,), {"lang": lang})
