"""Import Chatbox's OpenAI-compatible providers as profiles.

Helpdesk can then check exactly what the user's client holds: the same API
Host, API Path, model and key. Keys go to the keyring (or the result says
where they could not go); they are registered for masking the moment they
are read, so no output shows one.

Chatbox keeps its settings in ``config.json`` (electron-store) under
``settings``: ``providers.<id>`` (``apiHost``, ``apiKey``, ``models``) and
``customProviders[]`` (``name``, ``apiHost``, ``apiPath``, ``apiKey``,
``models``); old versions had ``settings.apiHost`` / ``settings.openaiKey``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.masking import register_secret
from tui.core.safe.nesting import MAX_DEPTH, data_depth, text_depth
from tui.core.setup.client_urls import CHAT_PATH, chatbox_url
from tui.core.setup.errors import UserError, reason_of
from tui.core.setup.keys import KeyStoreError, set_key
from tui.core.setup.presets import match_preset
from tui.core.setup.profiles import Profile, ProfileError, list_profiles, save_profile

__all__ = [
    "ChatboxImportError",
    "ChatboxProvider",
    "ImportResult",
    "default_chatbox_paths",
    "find_chatbox_config",
    "import_chatbox",
    "parse_chatbox_config",
]

APP_DIRS = ("xyz.chatboxapp.app", "xyz.chatboxapp.ce")

#: Chatbox's built-in OpenAI-compatible providers and their default hosts.
COMPATIBLE_DEFAULT_HOSTS: dict[str, str] = {
    "openai": "https://api.openai.com",
    "deepseek": "https://api.deepseek.com/v1",
    "silicon-flow": "https://api.siliconflow.cn/v1",
    "groq": "https://api.groq.com/openai/v1",
    "xAI": "https://api.x.ai/v1",
    "openrouter": "https://openrouter.ai/api/v1",
    "mistral-ai": "https://api.mistral.ai/v1",
    "perplexity": "https://api.perplexity.ai",
    "volcengine": "https://ark.cn-beijing.volces.com/api/v3",
    "ollama": "http://127.0.0.1:11434/v1",
    "lm-studio": "http://127.0.0.1:1234/v1",
    "chatglm-6b": "",
}
NOT_COMPATIBLE = {"claude", "gemini", "azure", "chatbox-ai", "anthropic", "google"}


class ChatboxImportError(UserError):
    """The Chatbox config cannot be read; ``message`` says which file and what to do.

    ``exit_code`` is 2 when the file itself is unusable (bad JSON, too deep, a
    field of the wrong shape), 1 when it is merely missing.
    """

    def __init__(self, message: Msg, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


_KIND = {dict: "object", list: "list", str: "text", bool: "bool", int: "number", float: "number"}
_KIND[type(None)] = "null"


def _kind(value: Any) -> Msg | str:
    kind = _KIND.get(type(value))
    return msg(f"setup.chatbox.kind.{kind}") if kind else type(value).__name__


def _shape_error(where: Msg | str, field: str, want: str, value: Any) -> ChatboxImportError:
    """One clear sentence naming the file and the field that has the wrong shape."""
    want_kind = msg(f"setup.chatbox.kind.{want}")
    problem = msg(
        "setup.chatbox.shape", where=where, field=field, want=want_kind, found=_kind(value)
    )
    return ChatboxImportError(problem, exit_code=2)


def _obj(value: Any, where: str | Msg, field: str, *, optional: bool = True) -> dict[str, Any]:
    """``value`` if it is an object; absent/null is an empty one when ``optional``."""
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise _shape_error(where, field, "object", value)
    return value


def _check_texts(d: Mapping[str, Any], where: str | Msg, field: str) -> None:
    """Every field gateway-doctor reads as text is text (or absent/null)."""
    for name in _TEXT_FIELDS:
        value = d.get(name)
        if value is not None and not isinstance(value, str):
            raise _shape_error(where, f"{field}.{name}", "text", value)
    models = d.get("models")
    if models is None:
        return
    if not isinstance(models, list):
        raise _shape_error(where, f"{field}.models", "list", models)
    for i, m in enumerate(models):
        if m is not None and not isinstance(m, str | dict):
            raise _shape_error(where, f"{field}.models[{i}]", "object", m)


_TEXT_FIELDS: tuple[str, ...] = ("id", "name", "type", "apiHost", "host", "baseURL", "baseUrl")
_TEXT_FIELDS += ("apiPath", "apiKey", "model", "openaiKey", "provider")


@dataclass(slots=True)
class ChatboxProvider:
    """One provider as Chatbox holds it (``api_key`` is registered for masking)."""

    source: str  # "providers.openai" or "customProviders[0]"
    name: str
    api_host: str
    api_path: str = ""
    api_key: str = ""
    model: str = ""

    @property
    def request_url(self) -> str:
        return chatbox_url(self.api_host, self.api_path)

    @property
    def base_url(self) -> str:
        url = self.request_url
        return url[: -len(CHAT_PATH)] if url.endswith(CHAT_PATH) else url


@dataclass(slots=True)
class ImportResult:
    imported: list[tuple[Profile, Msg]] = field(default_factory=list)  # (profile, key note)
    skipped: list[tuple[str, Msg]] = field(default_factory=list)  # (what, why)
    path: Path | None = None


def default_chatbox_paths(
    env: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None
) -> list[Path]:
    """Where Chatbox keeps ``config.json`` on this OS (most likely first)."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        base = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return [base / d / "config.json" for d in APP_DIRS]


def find_chatbox_config() -> Path | None:
    for p in default_chatbox_paths():
        if p.is_file():
            return p
    return None


def _first_model(models: Any) -> str:
    if isinstance(models, list):
        for m in models:
            if isinstance(m, str) and m.strip():
                return m.strip()
            if isinstance(m, dict):
                for k in ("modelId", "id", "model", "name"):
                    v = m.get(k)
                    if isinstance(v, str) and v.strip():
                        return v.strip()
    return ""


def _str(d: Mapping[str, Any], *names: str) -> str:
    for n in names:
        v = d.get(n)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return ""


def parse_chatbox_config(
    data: Any, source: Path | str | None = None
) -> tuple[list[ChatboxProvider], list[tuple[str, Msg]]]:
    """The OpenAI-compatible providers in a parsed ``config.json``, and what was skipped.

    Every field read is checked for its shape first, so a hand-edited or
    foreign file gets one clear :class:`ChatboxImportError` naming ``source``
    and the field, never a ``TypeError`` half-way through.
    """
    where = str(source) if source is not None else msg("setup.chatbox.this_file")
    found: list[ChatboxProvider] = []
    skipped: list[tuple[str, Msg]] = []
    settings = data.get("settings") if isinstance(data, dict) else None
    if not isinstance(settings, dict):
        raise ChatboxImportError(msg("setup.chatbox.no_settings", where=where), exit_code=2)
    _check_texts(settings, where, "settings")
    default_model = _obj(settings.get("defaultChatModel"), where, "settings.defaultChatModel")
    _check_texts(default_model, where, "settings.defaultChatModel")
    providers = _obj(settings.get("providers"), where, "settings.providers")
    for pid, conf in providers.items():
        _check_texts(_obj(conf, where, f"settings.providers.{pid}", optional=False), where,
                     f"settings.providers.{pid}")  # fmt: skip
    customs = settings.get("customProviders")
    if customs is not None and not isinstance(customs, list):
        raise _shape_error(where, "settings.customProviders", "list", customs)
    custom_ids: set[str] = set()
    for i, item in enumerate(customs or []):
        field_name = f"settings.customProviders[{i}]"
        _check_texts(_obj(item, where, field_name, optional=False), where, field_name)
        pid = _str(item, "id")
        custom_ids.add(pid)
        merged = {**item, **(providers.get(pid) or {})} if pid else item
        label = _str(merged, "name") or pid or f"custom-{i + 1}"
        if _str(merged, "type").lower() in NOT_COMPATIBLE:
            skipped.append((label, msg("setup.chatbox.not_compatible")))
            continue
        host = _str(merged, "apiHost", "host", "baseURL", "baseUrl")
        if not host:
            skipped.append((label, msg("setup.chatbox.no_host")))
            continue
        found.append(
            ChatboxProvider(
                f"customProviders[{i}]",
                label,
                host,
                _str(merged, "apiPath"),
                _str(merged, "apiKey"),
                _first_model(merged.get("models")) or _str(merged, "model"),
            )
        )
    legacy_key = _str(settings, "openaiKey")
    if legacy_key and "openai" not in providers:
        legacy = {
            "apiHost": _str(settings, "apiHost"),
            "apiKey": legacy_key,
            "models": [_str(settings, "model")],
        }
        providers = {**providers, "openai": legacy}
    for pid, conf in providers.items():
        if pid in custom_ids:
            continue
        if pid in NOT_COMPATIBLE or (
            pid not in COMPATIBLE_DEFAULT_HOSTS and not pid.startswith("custom-provider-")
        ):
            if _str(conf, "apiKey", "apiHost"):
                skipped.append((pid, msg("setup.chatbox.not_compatible")))
            continue
        key, host = _str(conf, "apiKey"), _str(conf, "apiHost")
        if not key and not host:
            continue  # never set up by the user
        host = host or COMPATIBLE_DEFAULT_HOSTS.get(pid, "")
        if not host:
            skipped.append((pid, msg("setup.chatbox.no_host")))
            continue
        model = _first_model(conf.get("models"))
        if default_model.get("provider") == pid:
            model = _str(default_model, "model") or model
        found.append(
            ChatboxProvider(f"providers.{pid}", pid, host, _str(conf, "apiPath"), key, model)
        )
    for p in found:
        register_secret(p.api_key)
    return found, skipped


def load_chatbox_file(path: Path) -> Any:
    """Parse ``config.json``; clear errors naming the file (and line) otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ChatboxImportError(msg("setup.chatbox.not_found", path=str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = msg("setup.chatbox.cannot_read", path=str(path), reason=reason_of(exc))
        raise ChatboxImportError(problem) from None
    try:
        data = json.loads(text)
        depth = data_depth(data)
    except (RecursionError, MemoryError):
        # json recurses per nested array/object: refuse clearly instead of crashing.
        data, depth = None, text_depth(text)
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno, "detail": exc.msg}
        raise ChatboxImportError(
            msg("setup.chatbox.bad_json", path=str(path), **where), exit_code=2
        ) from None
    if depth > MAX_DEPTH:
        problem = msg("setup.chatbox.too_deep", path=str(path), depth=depth, limit=MAX_DEPTH)
        raise ChatboxImportError(problem, exit_code=2)
    return data


def _slug(text: str) -> str:
    s = re.sub(r"[^\w.\-]+", "-", text.strip()).strip("-._")
    return s or "provider"


def import_chatbox(
    path: Path | str | None = None,
    *,
    prefix: str = "chatbox",
    overwrite: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Turn the Chatbox config's providers into profiles named ``<prefix>-<name>``."""
    if path is None:
        found_path = find_chatbox_config()
        if found_path is None:
            tried = ", ".join(str(p) for p in default_chatbox_paths())
            raise ChatboxImportError(msg("setup.chatbox.none_found", tried=tried))
        path = found_path
    path = Path(path).expanduser()
    providers, skipped = parse_chatbox_config(load_chatbox_file(path), path)
    result = ImportResult(skipped=list(skipped), path=path)
    existing = {p.name for p in list_profiles()}
    taken: set[str] = set()
    for prov in providers:
        name = f"{prefix}-{_slug(prov.name)}"[:64] if prefix else _slug(prov.name)[:64]
        n = 2
        while name in taken:
            name, n = f"{name[:60]}-{n}", n + 1
        taken.add(name)
        if name in existing and not overwrite:
            result.skipped.append((name, msg("setup.chatbox.exists")))
            continue
        preset = match_preset(prov.base_url)
        profile = Profile(
            name=name,
            base_url=prov.base_url,
            model=prov.model or (preset.default_model if preset else ""),
            client_label="Chatbox",
            client_host=prov.api_host,
            client_path=prov.api_path,
        )
        if dry_run:
            result.imported.append((profile, msg("setup.chatbox.dry_run")))
            continue
        try:
            save_profile(profile, overwrite=True)
        except ProfileError as exc:
            result.skipped.append((name, exc.message))
            continue
        result.imported.append((profile, _store_key(name, prov.api_key)))
    return result


def _store_key(name: str, key: str) -> Msg:
    """What became of the provider's key: stored, absent, or why not stored.

    ``setup.chatbox.no_keyring`` (no keyring on this machine) is its own id, so
    a caller can say the way out once for all profiles.
    """
    if not key:
        return msg("setup.chatbox.no_key")
    try:
        set_key(name, key)
    except KeyStoreError as exc:
        note = "no_keyring" if exc.unavailable else "not_stored"
        return msg(f"setup.chatbox.{note}", reason=exc.message)
    except ValueError as exc:
        return msg("setup.chatbox.not_stored", reason=getattr(exc, "message", None) or str(exc))
    return msg("setup.chatbox.stored")
