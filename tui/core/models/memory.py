"""The last probe's results, remembered per gateway and key so the picker can show them with their age.

One JSON file in the state directory (``model-probes.json``, 0600), keyed by the
gateway asked and the key used (masked base URL + key fingerprint), then by model id. It holds
statuses, codes, latencies and the masked key with its fingerprint: never a key.
A corrupt or foreign file is ignored with a warning (and replaced at the next
write), never a traceback.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.diagnosis.model import Target
from tui.core.i18n.catalogue import Msg, msg, text
from tui.core.models.keyid import key_label
from tui.core.models.probe import ProbeResult
from tui.core.safe import json_parse as safe_json
from tui.core.safe.files import ensure_private_dir, open_new
from tui.core.safe.masking import mask
from tui.core.setup.errors import reason_of
from tui.core.setup.state import StateWriteError, state_dir

__all__ = [
    "probed_on",
    "FILE_NAME",
    "Remembered",
    "age_text",
    "load",
    "picker_label",
    "profile_key",
    "remember",
    "remembered_for",
    "working",
]

FILE_NAME = "model-probes.json"
VERSION = 1
#: A bigger file is not ours: ignored (bounded memory).
MAX_FILE = 4 * 1024 * 1024
#: Models kept per profile (the newest probe's), and profiles kept.
MAX_MODELS = 2000
MAX_PROFILES = 64


@dataclass(slots=True, frozen=True)
class Remembered:
    """One model's last probe: what the picker shows beside its name."""

    status: str
    code: str | None
    latency_ms: float | None
    at: float

    def age_s(self, now: float | None = None) -> float:
        return max(0.0, (time.time() if now is None else now) - self.at)


def _path() -> Path:
    return state_dir() / FILE_NAME


def profile_key(target: Target) -> str:
    """Whose results: the gateway actually asked (masked base URL) and the key's fingerprint.

    Not the profile's name: ``--base-url`` or a key from the environment points a profile
    at another gateway or group, and that probe's models must not be suggested for the
    profile's own gateway (issue 17 review)."""
    url = mask(target.base_url.strip().rstrip("/"))
    return f"url:{url}#key:{key_label(target.api_key)[1]}"


def load() -> tuple[dict[str, Any], Msg | None]:
    """The file's table (empty when there is none) and a warning when it was unusable."""
    path = _path()
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return {}, msg("models.memory.corrupt", path=str(path))
        if not path.exists():
            return {}, None
        if path.stat().st_size > MAX_FILE:
            return {}, msg("models.memory.corrupt", path=str(path))
        data = safe_json.loads(path.read_bytes())
    except OSError as exc:
        return {}, msg("models.memory.unreadable", path=str(path), reason=reason_of(exc))
    if (
        not isinstance(data, dict)
        or data.get("version") != VERSION
        or not isinstance(data.get("profiles"), dict)
    ):
        return {}, msg("models.memory.corrupt", path=str(path))
    return data, None


def _entry(raw: Any) -> Remembered | None:
    if not isinstance(raw, dict):
        return None
    status, code, ms, at = raw.get("status"), raw.get("code"), raw.get("latency_ms"), raw.get("at")
    if status not in ("pass", "warn", "fail", "skip") or not isinstance(at, int | float):
        return None
    if isinstance(at, bool) or not math.isfinite(at):  # a damaged file: -Infinity broke age_text
        return None
    return Remembered(
        status=status,
        code=code if isinstance(code, str) and len(code) < 80 else None,
        latency_ms=float(ms) if isinstance(ms, int | float) and not isinstance(ms, bool) else None,
        at=float(at),
    )


def remembered_for(target: Target) -> tuple[dict[str, Remembered], Msg | None]:
    """Model id → its last probe with ``target``'s base URL and key; and a warning when the file
    could not be used."""
    data, warning = load()
    table = data.get("profiles", {}).get(profile_key(target)) if data else None
    models = table.get("models") if isinstance(table, dict) else None
    out: dict[str, Remembered] = {}
    if isinstance(models, dict):
        for name, raw in list(models.items())[:MAX_MODELS]:
            got = _entry(raw)
            if isinstance(name, str) and got is not None:
                out[name] = got
    return out, warning


def remember(
    target: Target, results: Sequence[ProbeResult], now: float | None = None
) -> Msg | None:
    """Merge ``results`` (not the skipped ones) into the file; returns a warning when the
    old file was unusable. Raises :class:`StateWriteError` when it cannot be written."""
    data, warning = load()
    if not data:
        data = {"version": VERSION, "profiles": {}}
    profiles: dict[str, Any] = data["profiles"]
    key = profile_key(target)
    table = profiles.get(key)
    if not isinstance(table, dict) or not isinstance(table.get("models"), dict):
        table = {"models": {}}
    stamp = time.time() if now is None else now
    masked, fingerprint = key_label(target.api_key)
    table.update({"key": masked, "key_id": fingerprint, "at": stamp})
    table["profile"] = target.profile  # a label only: the scope is the URL and the key
    models: dict[str, Any] = table["models"]
    for r in results:
        if r.status == "skip":
            continue
        models.pop(r.model, None)  # re-inserted last: the newest are kept when trimming
        models[r.model] = {
            "status": r.status,
            "code": r.code,
            "latency_ms": r.latency_ms,
            "at": stamp,
        }
    while len(models) > MAX_MODELS:
        models.pop(next(iter(models)))
    profiles.pop(key, None)
    profiles[key] = table
    while len(profiles) > MAX_PROFILES:
        profiles.pop(next(iter(profiles)))
    _write(mask(json.dumps(data, ensure_ascii=False, indent=1), [target.api_key]))
    return warning


def _write(text: str) -> None:
    """Write the file whole: a new 0600 file beside it, then renamed over it."""
    directory = state_dir()
    try:
        ensure_private_dir(directory)
    except OSError as exc:
        raise StateWriteError(directory, reason_of(exc)) from exc
    tmp = directory / f".{FILE_NAME}.{os.getpid()}.tmp"
    try:
        if tmp.exists() or tmp.is_symlink():
            tmp.unlink()
        fd = open_new(tmp)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8", "surrogateescape"))
        os.chmod(tmp, 0o600)
        os.replace(tmp, _path())
    except OSError as exc:
        raise StateWriteError(_path(), reason_of(exc)) from exc


def age_text(seconds: float, lang: str) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 d ago" in ``lang``."""
    s = max(0, int(seconds))
    if s < 60:
        return text("models.picker.age_now", lang)
    if s < 3600:
        return text("models.picker.age_min", lang, n=s // 60)
    if s < 86400:
        return text("models.picker.age_hour", lang, n=s // 3600)
    return text("models.picker.age_day", lang, n=s // 86400)


def picker_label(rem: Remembered, lang: str, now: float | None = None) -> str:
    """What the picker shows beside a name: ``✓ 320 ms · 5 min ago`` / ``✗ code · …``."""
    age = age_text(rem.age_s(now), lang)
    if rem.status == "pass":
        return text("models.picker.ok", lang, ms=rem.latency_ms or 0, age=age)
    which = "busy" if rem.status == "warn" else "fail"
    return text(f"models.picker.{which}", lang, code=rem.code or "?", age=age)


def working(target: Target, listed: Collection[str] | None = None) -> list[str]:
    """Models the last probe with ``target``'s base URL and key found working (fastest first).

    ``listed``: this run's ``/models`` when it was read; a model it no longer lists is left
    out (a probe from before the gateway changed is no suggestion)."""
    got, _warning = remembered_for(target)
    ok = [
        (r.latency_ms or 0.0, m)
        for m, r in got.items()
        if r.status == "pass" and (listed is None or m in listed)
    ]
    return [m for _ms, m in sorted(ok)]


def probed_on(target: Target, models: Collection[str]) -> str | None:
    """The UTC day (``2026-11-30``) of the oldest remembered probe of ``models``, or None."""
    got, _warning = remembered_for(target)
    stamps = [got[m].at for m in models if m in got]
    if not stamps:
        return None
    return time.strftime("%Y-%m-%d", time.gmtime(min(stamps)))
