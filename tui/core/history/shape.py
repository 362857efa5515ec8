"""A record read back from the history file, checked field by field.

Why: the file lives in the state directory, where it may be planted or damaged.
Every field the diff, the list, ``show`` and the console read must have the type
the recorder writes (or be absent/None); a record that does not is skipped and
counted as an unreadable line, so no renderer ever sees a list where it expects a
dict. Other fields (of later versions) pass through, but at most :data:`MAX_DEPTH`
levels deep and with ``NaN``/``Infinity`` made null: ``history --json`` always prints
strict JSON, and no walk over a record can recurse without bound.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["MAX_DEPTH", "clean", "display", "step_name"]

_STR = (
    "kind", "version", "scope", "profile", "base_url", "model", "proxy", "proxy_source",
    "trust", "ca_bundle", "server", "verdict", "key_id", "key",
)  # fmt: skip
_NUM = ("ttfb_ms", "ttft_ms")
#: How deep a record may nest (the recorder writes 3 levels; the reader refuses deeper).
MAX_DEPTH = 16


class _Bad(Exception):
    """A field of the wrong type: the record is skipped."""


def _num(v: Any) -> bool:
    """A finite number (json.loads reads ``NaN`` and ``Infinity`` too)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _opt(value: Any, ok: bool) -> Any:
    if value is None or ok:
        return value
    raise _Bad


def _strs(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return list(value)
    raise _Bad


def _dict(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    raise _Bad


def _tls(value: Any) -> dict[str, Any] | None:
    d = _dict(value)
    if d is None:
        return None
    return {k: _opt(d.get(k), isinstance(d.get(k), str)) for k in ("issuer", "not_after")}


def _models(value: Any) -> dict[str, Any] | None:
    d = _dict(value)
    if d is None:
        return None
    count = d.get("count")
    return {
        "hash": _opt(d.get("hash"), isinstance(d.get("hash"), str)),
        "count": _opt(count, isinstance(count, int) and not isinstance(count, bool)),
        "sample": _strs(d.get("sample")) or [],
        "complete": bool(_opt(d.get("complete"), isinstance(d.get("complete"), bool))),
    }


def _balance(value: Any) -> dict[str, Any] | None:
    d = _dict(value)
    if d is None:
        return None
    return {
        "remaining": _opt(d.get("remaining"), _num(d.get("remaining"))),
        "unit": _opt(d.get("unit"), isinstance(d.get("unit"), str)),
    }


def _step(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise _Bad
    status, code, ms = value.get("status"), value.get("code"), value.get("ms")
    return {
        "id": value["id"],
        "status": _opt(status, isinstance(status, str)) or "skip",
        "code": _opt(code, isinstance(code, str)) or "",
        "ms": _opt(ms, _num(ms)),
    }


def _tame(value: Any, depth: int = 0) -> Any:
    """An unknown field as strict JSON: non-finite numbers null, nothing below MAX_DEPTH."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | dict) and depth >= MAX_DEPTH:
        raise _Bad
    if isinstance(value, list):
        return [_tame(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _tame(v, depth + 1) for k, v in value.items()}
    return value


def clean(value: Any) -> dict[str, Any] | None:
    """``value`` as a record with every known field of its type, or None (skip it)."""
    if not isinstance(value, dict) or not isinstance(value.get("time"), str):
        return None
    try:
        # fields of later versions pass through unread, tamed
        out: dict[str, Any] = {k: _tame(v, 1) for k, v in value.items()}
        out["v"] = _opt(value.get("v"), isinstance(value.get("v"), int))
        out["time"] = value["time"]
        for name in _STR:
            out[name] = _opt(value.get(name), isinstance(value.get(name), str))
        for name in _NUM:
            out[name] = _opt(value.get(name), _num(value.get(name)))
        out["stream"] = _opt(value.get("stream"), isinstance(value.get("stream"), bool))
        out["ok"] = bool(_opt(value.get("ok"), isinstance(value.get("ok"), bool)))
        out["addresses"] = _strs(value.get("addresses"))
        out["tls"] = _tls(value.get("tls"))
        out["models"] = _models(value.get("models"))
        out["balance"] = _balance(value.get("balance"))
        steps = value.get("steps")
        if steps is not None and not isinstance(steps, list):
            raise _Bad
        out["steps"] = [_step(s) for s in steps or []]
    except _Bad:
        return None
    return out


def _shown(value: Any, depth: int = 0) -> Any:
    from tui.core.safe.terminal import one_line

    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | dict) and depth >= MAX_DEPTH:
        return None  # (a record from the reader is never this deep)
    if isinstance(value, list):
        return [_shown(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v, depth + 1) for k, v in value.items()}
    return value


def display(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with every stored string made one terminal-safe line (a ``Server``
    header holding ``\\ninjected line: ALL OK`` or a U+202E in a step id is shown,
    never obeyed): for what is shown, never for what is written back."""
    out: dict[str, Any] = _shown(record)
    return out


def step_name(step_id: str, kind: Any, lang: str) -> str:
    """A recorded step as the user knows it: a checklist step's title, a trial stage's
    name, a model probe's model id as it is (one terminal-safe line); never a raw
    catalogue id. An id no catalogue names is shown as it is."""
    from tui.core.i18n.catalogue import has, text
    from tui.core.safe.terminal import one_line

    if kind != "models":
        order = ("trial.stage", "step") if kind == "trial" else ("step", "trial.stage")
        for prefix in order:
            if has(f"{prefix}.{step_id}", lang):
                return text(f"{prefix}.{step_id}", lang)
    return one_line(step_id)
