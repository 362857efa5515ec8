"""The TOML config file: profiles and settings, never a key.

Where: ``$GATEWAY_DOCTOR_CONFIG``, else ``<user config dir>/gateway-doctor/config.toml``.

Why it is careful:

* writes are atomic (temporary file in the same directory, then ``os.replace``)
  with mode 0600, so a crash never leaves half a file;
* every read-modify-write happens under a lock file (``fcntl`` on POSIX,
  ``msvcrt`` on Windows), so two processes editing at once lose nothing;
* a corrupt file raises :class:`ConfigError` naming the file and the line, a
  copy is kept as ``config.toml.corrupt-<timestamp>``, and the file is never
  silently overwritten: writes refuse until the user fixes or removes it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import tomli_w

from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.files import UnsafePathError, ensure_private_dir, open_append, open_new
from tui.core.safe.nesting import MAX_DEPTH, data_depth, text_depth
from tui.core.setup.errors import UserError, reason_of

__all__ = [
    "ConfigError",
    "config_path",
    "load_config",
    "remember_setting",
    "save_config",
    "read_saved",
    "update_config",
]

ENV_CONFIG = "GATEWAY_DOCTOR_CONFIG"
APP_NAME = "gateway-doctor"


class ConfigError(UserError):
    """The config file cannot be used; ``message`` says which file and what to do."""

    def __init__(
        self,
        message: Msg,
        path: Path | None = None,
        backup: Path | None = None,
        exit_code: int = 1,
    ):
        super().__init__(message)
        self.path = path
        self.backup = backup
        self.exit_code = exit_code  # 2: the file itself is unusable input (too deep, ...)


def config_path() -> Path:
    """The config file path (it may not exist yet)."""
    override = os.environ.get(ENV_CONFIG, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _empty() -> dict[str, Any]:
    return {"settings": {}, "profiles": {}}


def _normalise(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """Make sure ``settings`` and ``profiles`` are tables; complain clearly if not."""
    out = dict(data)
    for table in ("settings", "profiles"):
        value = out.setdefault(table, {})
        if not isinstance(value, dict):
            found = type(value).__name__
            raise ConfigError(
                msg("setup.config.not_a_table", path=str(path), table=table, found=found), path
            )
    for name, prof in out["profiles"].items():
        if not isinstance(prof, dict):
            raise ConfigError(
                msg("setup.config.profile_not_a_table", path=str(path), name=name), path
            )
    return out


def _backup_corrupt(path: Path, raw: bytes) -> Path:
    """Keep a copy of a corrupt file (once per distinct content)."""
    for existing in sorted(path.parent.glob(path.name + ".corrupt-*")):
        with contextlib.suppress(OSError):
            if existing.read_bytes() == raw:
                return existing
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    fd = open_new(backup)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    return backup


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _empty()
    except IsADirectoryError as exc:
        problem = msg("setup.config.is_directory", path=str(path), env=ENV_CONFIG)
        raise ConfigError(problem, path) from exc
    except OSError as exc:
        problem = msg(
            "setup.config.cannot_read", path=str(path), reason=reason_of(exc), env=ENV_CONFIG
        )
        raise ConfigError(problem, path) from exc
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (RecursionError, MemoryError):
        # tomllib recurses per nested table/array: a file nested thousands deep
        # must be a clear refusal, not a crash (and never overwritten).
        raise _too_deep(path, text_depth(text, comments=True)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        backup = _backup_corrupt(path, raw)
        where = _where(exc, raw)
        problem = msg("setup.config.bad_toml", path=str(path), where=where, backup=str(backup))
        raise ConfigError(problem, path, backup) from exc
    depth = data_depth(data)
    if depth > MAX_DEPTH:
        raise _too_deep(path, depth)
    return _normalise(data, path)


def _too_deep(path: Path, depth: int) -> ConfigError:
    problem = msg("setup.config.too_deep", path=str(path), depth=depth, limit=MAX_DEPTH)
    return ConfigError(problem, path, exit_code=2)


_AT = re.compile(r"\(at line (\d+), column (\d+)\)$")


def _where(exc: Exception, raw: bytes) -> Msg | str:
    """Where in the file it broke: line (and column) and the parser's own words."""
    if isinstance(exc, tomllib.TOMLDecodeError):
        lineno = getattr(exc, "lineno", None)
        colno = getattr(exc, "colno", None)
        detail = getattr(exc, "msg", None) or str(exc).split(" (at ")[0]
        at = _AT.search(str(exc))  # Python < 3.14 has no lineno: it is in the text
        if not lineno and at:
            lineno, colno = int(at.group(1)), int(at.group(2))
        if lineno:
            return msg("setup.config.where_toml", line=lineno, column=colno, detail=detail)
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        line = raw[: exc.start].count(b"\n") + 1
        return msg("setup.config.where_unicode", line=line)
    return str(exc)


def load_config() -> dict[str, Any]:
    """The whole config as a dict with ``settings`` and ``profiles`` tables.

    A missing file is an empty config; a corrupt one raises :class:`ConfigError`.
    """
    return _read(config_path())


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<config>.lock`` for one read-modify-write."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        ensure_private_dir(path.parent)  # 0700; one others can write is refused
        fd = open_append(lock_path, read=True)  # never through a link planted there
    except UnsafePathError as exc:
        raise ConfigError(_unsafe(path, exc), path) from exc
    except OSError as exc:  # a file in the way, read-only disk, no permission
        raise ConfigError(_cannot_write(path, exc, exc.filename or lock_path), path) from exc
    try:
        if sys.platform == "win32":  # pragma: no cover
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    time.sleep(0.05)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write(path: Path, data: dict[str, Any]) -> None:
    text = tomli_w.dumps(_clean(data))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.chmod(tmp, 0o600)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def _clean(value: Any) -> Any:
    """TOML has no null: drop ``None`` values (and empty optional strings stay)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value if v is not None]
    return value


def save_config(data: dict[str, Any]) -> Path:
    """Replace the whole config atomically (under the lock). Returns the path."""
    path = config_path()
    with _locked(path):
        _write(path, data)
    return path


def update_config(change: Callable[[dict[str, Any]], Any]) -> Any:
    """Read, ``change(data)`` in place, write back; all under the lock.

    This is the only safe way to edit: concurrent writers are serialised, so
    none loses another's change. A corrupt file raises before anything is written.
    Returns whatever ``change`` returned.
    """
    path = config_path()
    with _locked(path):
        data = _read(path)
        result = change(data)
        try:
            _write(path, data)
        except OSError as exc:
            raise ConfigError(_cannot_write(path, exc, exc.filename or path), path) from exc
    return result


def _unsafe(path: Path, exc: UnsafePathError) -> Msg:
    where = str(exc.filename or exc.path)
    return msg(
        "setup.config.unsafe", path=str(path), where=where, reason=exc.reason, env=ENV_CONFIG
    )


def _cannot_write(path: Path, exc: OSError, where: object) -> Msg:
    reason = reason_of(exc)
    return msg(
        "setup.config.cannot_write", path=str(path), reason=reason, where=str(where), env=ENV_CONFIG
    )


def read_saved() -> tuple[dict[str, Any], Msg | None]:
    """The config file as written (its ``settings`` and ``keymap`` tables …), read once,
    and why it could not be read (empty then: the console starts with its defaults)."""
    try:
        return load_config(), None
    except ConfigError as exc:
        return {}, exc.message


def remember_setting(key: str, value: Any) -> bool:
    """Store ``[settings] key = value`` for the next start; False if the file cannot be
    written (a choice not kept is no reason to stop the console)."""

    def change(data: dict[str, Any]) -> None:
        data["settings"][key] = value

    try:
        update_config(change)
    except (ConfigError, OSError):
        return False
    return True
