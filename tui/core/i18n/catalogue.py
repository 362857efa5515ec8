"""The message catalogues: one per language, the only source of user-facing text.

A language's catalogue is the directory ``tui/core/i18n/<lang>/``; its ``*.toml``
files are chapters read in name order and merged into one table keyed by message
id (``[check.network]`` + ``refused = "…"`` is the id ``check.network.refused``;
a quoted key keeps its dots: ``"b.quit.tip"``). A value is a sentence with named
placeholders (``{host}``, ``{ms:.0f}``) or a list of them (remediation steps).

Code never builds a sentence: it names an id and its facts (:class:`Msg`), and
:func:`render` writes it in the language asked for. English and Chinese are both
written by hand; neither is derived from the other.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import stat
import string
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

_DIR = Path(__file__).resolve().parent
#: Tables that describe the catalogue rather than hold messages (the Chinese glossary).
META_TABLES = frozenset({"glossary"})

Value = str | tuple[str, ...]


class CatalogueError(Exception):
    """A catalogue file is broken: named, with the id, so a translator can fix it."""


@dataclass(frozen=True, slots=True)
class Msg:
    """A sentence not yet written: its id and the facts it names.

    Param values may be plain values, other :class:`Msg` (rendered in the same
    language) or lists of them (joined with the language's list separator).
    """

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``{"id": …, "params": {…}}``, nested messages the same way (for JSON reports)."""
        return {"id": self.id, "params": {k: _json_param(v) for k, v in self.params.items()}}


#: Messages nest (notes inside a detail inside a summary line); below this depth nothing
#: is ours, and it is shown as "…" (a crafted record cannot make rendering recurse).
MAX_NESTING = 16


def msg(msg_id: str, **params: Any) -> Msg:
    """A message; each fact a plain value, a message, or a list of them.

    Anything else (a JSON object a gateway sent where a number was expected) becomes
    its text here, so a fact can never pass for one of our messages in a report.
    """
    return Msg(msg_id, {k: _fact(v) for k, v in params.items()})


def _fact(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, str | int | float | bool | Msg):
        return value
    if isinstance(value, list | tuple) and depth < MAX_NESTING:
        return [_fact(v, depth + 1) for v in value]
    return str(value)


def _json_param(value: Any, depth: int = 0) -> Any:
    if isinstance(value, Msg | list | tuple) and depth >= MAX_NESTING:
        return "…"
    if isinstance(value, Msg):
        return {
            "id": value.id,
            "params": {k: _json_param(v, depth + 1) for k, v in value.params.items()},
        }
    if isinstance(value, list | tuple):
        return [_json_param(v, depth + 1) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _flatten(prefix: str, data: Mapping[str, Any], out: dict[str, Value], where: str) -> None:
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out, where)
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)
        elif not isinstance(value, str):
            raise CatalogueError(f"{where}: {full} is neither a sentence nor a list of them")
        if full in out:
            raise CatalogueError(f"{where}: {full} is defined twice")
        out[full] = value


def chapters(lang: str) -> list[Path]:
    """The files of ``lang``'s catalogue, in reading order."""
    return sorted((_DIR / lang).glob("*.toml"))


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # only when a chapter is parsed, not on a start that finds the cache

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc


def _cache_dir() -> Path:
    """Where each language's merged table is kept between runs: beside the ``.pyc``
    files (the same directory, ``PYTHONPYCACHEPREFIX`` and interpreter tag, the same
    trust, not written under ``python -B``). Parsing the TOML chapters took 28 ms of
    every start in English and 17 ms more in Chinese; the kept table loads in 1 ms."""
    from importlib.util import cache_from_source

    return Path(cache_from_source(str(_DIR / "catalogue.py"))).parent


_CACHE_VERSION = 1
_CACHE_MAX_BYTES = 8 * 1024 * 1024


def _stamp(paths: list[Path]) -> tuple[Any, ...]:
    """What a kept table was made from: each chapter's name, size and mtime."""
    out: list[Any] = [_CACHE_VERSION, tuple(sys.version_info[:2])]
    for path in paths:
        st = path.stat()
        out.append((path.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _cache_path(lang: str) -> Path:
    return _cache_dir() / f"catalogue-{lang}.{sys.implementation.cache_tag}.marshal"


def _load_kept(lang: str, stamp: tuple[Any, ...]) -> dict[str, Value] | None:
    """The table kept for exactly these chapters, or None (missing, stale, damaged,
    not a regular file: a planted link or pipe is never followed or waited on)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(_cache_path(lang), flags)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            kept = marshal.loads(fh.read(_CACHE_MAX_BYTES))
    except (OSError, EOFError, ValueError, TypeError, NotImplementedError):
        return None
    if not (isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp):
        return None
    table = kept[1]
    if not isinstance(table, dict) or not all(map(_is_value, table.values())):
        return None
    return table


def _is_value(value: object) -> bool:
    """A sentence or a list of them, as :func:`_flatten` keeps them."""
    if type(value) is str:
        return True
    return type(value) is tuple and all(type(v) is str for v in value)


def _keep(lang: str, stamp: tuple[Any, ...], table: dict[str, Value]) -> None:
    """Keep the table for the next start; on a read-only install each start parses."""
    if sys.dont_write_bytecode:
        return
    try:
        path = _cache_path(lang)
    except NotImplementedError:  # no cache tag: no .pyc files either
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(tmp, flags, 0o644), "wb") as fh:
            fh.write(marshal.dumps((stamp, table)))
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink()


@functools.cache
def catalogue(lang: str) -> Mapping[str, Value]:
    """Every message of ``lang``, by id (read once per process; kept between runs)."""
    paths = chapters(lang)
    try:
        stamp = _stamp(paths)
    except OSError:
        stamp = ()
    merged = _load_kept(lang, stamp) if stamp else None
    if merged is None:
        merged = {}
        for path in paths:
            data = _read(path)
            body = {k: v for k, v in data.items() if k not in META_TABLES}
            _flatten("", body, merged, f"{lang}/{path.name}")
        if stamp:
            _keep(lang, stamp, merged)
    return MappingProxyType(merged)


@functools.cache
def glossary(lang: str) -> Mapping[str, Any]:
    """The ``[glossary]`` table of ``lang`` (terms fixed for translators), if any."""
    for path in chapters(lang):
        data = _read(path)
        if "glossary" in data:
            return MappingProxyType(data["glossary"])
    return MappingProxyType({})


def placeholders(value: Value) -> set[str]:
    """The named placeholders of a sentence (or of every sentence of a list)."""
    texts = value if isinstance(value, tuple) else (value,)
    names: set[str] = set()
    for text in texts:
        for _lit, name, _spec, _conv in string.Formatter().parse(text):
            if name is not None:
                names.add(name.split(".")[0].split("[")[0])
    return names


def has(msg_id: str, lang: str = "en") -> bool:
    return msg_id in catalogue(lang)


def raw(msg_id: str, lang: str) -> Value | None:
    """The catalogue value in ``lang``, else English, else None."""
    return catalogue(lang).get(msg_id) or catalogue("en").get(msg_id)


class _Facts(dict[str, Any]):
    """Placeholders a caller did not give show as ``{name}`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: Mapping[str, Any], lang: str, depth: int = 0) -> str:
    facts = _Facts({k: _param_text(v, lang, depth) for k, v in params.items()})
    try:
        return template.format_map(facts)
    except (ValueError, TypeError, IndexError, AttributeError, KeyError):
        return template


def _param_text(value: Any, lang: str, depth: int = 0) -> Any:
    if isinstance(value, Msg | list | tuple) and depth >= MAX_NESTING:
        return "…"
    if isinstance(value, Msg):
        return _text(value.id, lang, value.params, depth + 1)
    if isinstance(value, list | tuple):
        return join([_param_text(v, lang, depth + 1) for v in value], lang)
    return value


def join(parts: Iterable[Any], lang: str) -> str:
    """Parts joined the way ``lang`` lists things (``a; b`` / ``a；b``)."""
    sep = raw("sep.list", lang)
    return (sep if isinstance(sep, str) else "; ").join(str(p) for p in parts)


def text(msg_id: str, lang: str = "en", **params: Any) -> str:
    """The sentence ``msg_id`` in ``lang`` with its placeholders filled.

    Falls back to English, then to the id itself: a missing translation shows
    something a developer can find, and never raises. Without params the
    sentence is returned as written (braces in it are then literal).
    """
    return _text(msg_id, lang, params, 0)


def _text(msg_id: str, lang: str, params: Mapping[str, Any], depth: int) -> str:
    value = raw(msg_id, lang)
    if value is None:
        return msg_id
    if isinstance(value, tuple):
        value = "\n".join(value)
    return _fill(value, params, lang, depth) if params else value


def lines(msg_id: str, lang: str = "en", **params: Any) -> tuple[str, ...]:
    """A list message (remediation steps) in ``lang``, each line filled."""
    value = raw(msg_id, lang)
    if value is None:
        return ()
    items = value if isinstance(value, tuple) else (value,)
    return tuple(_fill(v, params, lang) for v in items) if params else items


def render(message: Msg | str | None, lang: str = "en") -> str:
    """A :class:`Msg` written in ``lang``; a plain string (data, not a sentence) as is."""
    if message is None:
        return ""
    if isinstance(message, str):
        return message
    return text(message.id, lang, **message.params)
