"""What may stay English in a Chinese line, told apart from prose: URLs, codes, paths,
numbers, and the facts (data params) a message carries. Shared by the message tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tui.core.i18n.catalogue import Msg

URL = re.compile(r"https?://\S+?(?=[\s（）()，；：]|$)")
CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
PATH = re.compile(r"/[\w/.-]+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def facts(value: Any) -> Iterator[str]:
    """The plain (data) params of a message, nested messages and lists included."""
    if isinstance(value, Msg):
        for v in value.params.values():
            yield from facts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from facts(v)
    elif isinstance(value, str):
        yield value
