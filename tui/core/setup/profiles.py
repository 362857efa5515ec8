"""Profiles: named gateway set-ups (address, model, proxy, CA bundle, client).

Stored in the config file (:mod:`tui.core.setup.config`) under ``[profiles.NAME]``;
settings (active profile, language, theme) under ``[settings]``. A key is
never stored here: it lives in the OS keyring (:mod:`tui.core.setup.keys`).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.masking import mask
from tui.core.setup.config import ConfigError, load_config, update_config
from tui.core.setup.errors import UserError

__all__ = [
    "ConfigError",
    "Profile",
    "ProfileError",
    "active_profile_name",
    "add_profile",
    "edit_profile",
    "get_setting",
    "list_profiles",
    "load_profile",
    "parse_switch",
    "remove_profile",
    "save_profile",
    "set_active",
    "set_setting",
    "validate_name",
    "validate_profile",
]

ENV_PROFILE = "GATEWAY_DOCTOR_PROFILE"
_NAME_RE = re.compile(r"^[\w.\-]{1,64}$")
SETTINGS_KEYS = ("active_profile", "language", "theme")


class ProfileError(UserError, ValueError):
    """Bad input about a profile (unknown name, invalid URL...); ``message`` says what."""


@dataclass(slots=True)
class Profile:
    """One gateway set-up. ``client_host``/``client_path`` keep what a client
    (e.g. Chatbox) literally holds, for the URL preview; ``base_url`` is what
    gateway-doctor calls."""

    name: str
    base_url: str = ""
    model: str = ""
    proxy: str | None = None
    ca_bundle: str | None = None
    client_label: str = ""
    client_host: str = ""
    client_path: str = ""
    #: Whether the client streams replies (the chat's stream switch starts from it and
    #: "return to a known working setup" restores it). Not a check setting: ``check``
    #: always tests streaming, since that is what most clients use.
    stream: bool = True

    def to_table(self) -> dict[str, Any]:
        """The TOML table (no name, no empty optional values, ``stream`` only when off)."""
        data = asdict(self)
        data.pop("name")
        if data.get("stream") is not False:
            data.pop("stream", None)
        return {k: v for k, v in data.items() if v not in (None, "") or k == "base_url"}

    @classmethod
    def from_table(cls, name: str, table: dict[str, Any]) -> Profile:
        known = {f.name for f in fields(cls)} - {"name"}
        kwargs: dict[str, Any] = {}
        for key in known - {"stream"}:
            value = table.get(key)
            if value is None:
                continue
            kwargs[key] = str(value) if not isinstance(value, str) else value
        stream = parse_switch(table.get("stream"))
        if stream is not None:
            kwargs["stream"] = stream
        for opt in ("proxy", "ca_bundle"):
            if kwargs.get(opt) == "":
                kwargs[opt] = None
        return cls(name=name, **kwargs)


_ON, _OFF = ("true", "on", "yes", "1"), ("false", "off", "no", "0")  # not-ui-text: words


def parse_switch(value: Any) -> bool | None:
    """``true``/``on``/``yes`` or ``false``/``off``/``no`` (or a TOML bool); None otherwise."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, str | int) else ""
    return True if word in _ON else (False if word in _OFF else None)


def validate_name(name: str) -> str:
    """A usable profile name (also the keyring user name), stripped; else ProfileError."""
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise ProfileError(msg("setup.profile.bad_name", name=mask(name)))
    return name


def _holds_secret(url: str) -> bool:
    """A password, a key-like query parameter or a registered/`sk-` key outside the host name."""
    parts = urlsplit(url)
    if parts.password or mask(parts.username or "") != (parts.username or ""):
        return True
    rest = parts.path + ("?" + parts.query if parts.query else "")
    return mask(rest) != rest


def validate_profile(profile: Profile) -> list[Msg]:
    """Problems that make a profile unusable, as catalogue messages (empty = fine)."""
    problems: list[Msg] = []
    url = profile.base_url.strip()
    if not url:
        problems.append(msg("setup.profile.no_base_url"))
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(msg("setup.profile.bad_base_url", url=mask(url)))
        if _holds_secret(url):
            problems.append(msg("setup.profile.secret_in_base_url"))
    if profile.model and mask(profile.model) != profile.model:
        problems.append(msg("setup.profile.secret_in_model"))
    if profile.proxy:
        p = urlsplit(profile.proxy.strip())
        if p.scheme not in ("http", "https", "socks5", "socks5h") or not p.netloc:
            problems.append(msg("setup.profile.bad_proxy", proxy=mask(profile.proxy)))
    if profile.ca_bundle and not os.path.isfile(os.path.expanduser(profile.ca_bundle)):
        problems.append(msg("setup.profile.bad_ca", path=profile.ca_bundle))
    return problems


def list_profiles() -> list[Profile]:
    """Every profile, sorted by name. Raises ConfigError for a corrupt file."""
    data = load_config()
    return [Profile.from_table(n, t) for n, t in sorted(data["profiles"].items())]


def active_profile_name() -> str | None:
    """``$GATEWAY_DOCTOR_PROFILE``, else the config's active profile, else the only one."""
    env = os.environ.get(ENV_PROFILE, "").strip()
    if env:
        return env
    data = load_config()
    active = data["settings"].get("active_profile")
    if isinstance(active, str) and active in data["profiles"]:
        return active
    if len(data["profiles"]) == 1:
        return str(next(iter(data["profiles"])))
    return None


def load_profile(name: str | None = None) -> Profile | None:
    """The named profile, else the active one, else None.

    Never raises for a missing config file; raises :class:`ConfigError` (a
    clear message naming the file and line) for a corrupt one.
    """
    data = load_config()
    if name is None:
        name = active_profile_name()
        if name is None:
            return None
    table = data["profiles"].get(name)
    if table is None:
        return None
    return Profile.from_table(name, table)


def _check(profile: Profile) -> Profile:
    profile.name = validate_name(profile.name)
    profile.base_url = profile.base_url.strip()
    profile.model = profile.model.strip()
    problems = validate_profile(profile)
    if problems:
        raise ProfileError(msg("setup.profile.invalid", name=profile.name, problems=problems))
    return profile


def save_profile(profile: Profile, *, overwrite: bool = True, make_active: bool = False) -> None:
    """Create or replace a profile (validated). ``overwrite=False`` refuses an existing name."""
    profile = _check(profile)

    def change(data: dict[str, Any]) -> None:
        if not overwrite and profile.name in data["profiles"]:
            raise ProfileError(msg("setup.profile.exists", name=profile.name))
        data["profiles"][profile.name] = profile.to_table()
        if make_active or not data["settings"].get("active_profile"):
            data["settings"]["active_profile"] = profile.name

    update_config(change)


def add_profile(profile: Profile, *, make_active: bool = False) -> None:
    """Create a new profile; ProfileError if the name is taken."""
    save_profile(profile, overwrite=False, make_active=make_active)


def edit_profile(name: str, **changes: Any) -> Profile:
    """Change some fields of an existing profile; returns the new profile."""
    allowed = {f.name for f in fields(Profile)} - {"name"}
    unknown = set(changes) - allowed
    if unknown:
        fields_ = ", ".join(sorted(unknown))
        raise ProfileError(
            msg("setup.profile.unknown_fields", fields=fields_, known=", ".join(sorted(allowed)))
        )
    result: list[Profile] = []

    def change(data: dict[str, Any]) -> None:
        table = data["profiles"].get(name)
        if table is None:
            raise ProfileError(_not_found(name, data))
        prof = Profile.from_table(name, table)
        for key, value in changes.items():
            if key in ("proxy", "ca_bundle") and value == "":
                value = None
            if key == "stream":
                switch = parse_switch(value)
                if switch is None:
                    raise ProfileError(msg("history.bad_stream", value=mask(str(value))))
                value = switch
            setattr(prof, key, value)
        _check(prof)
        data["profiles"][name] = prof.to_table()
        result.append(prof)

    update_config(change)
    return result[0]


def remove_profile(name: str) -> None:
    """Delete a profile (not its key: see :func:`tui.core.setup.keys.delete_key`)."""

    def change(data: dict[str, Any]) -> None:
        if name not in data["profiles"]:
            raise ProfileError(_not_found(name, data))
        del data["profiles"][name]
        if data["settings"].get("active_profile") == name:
            data["settings"].pop("active_profile", None)

    update_config(change)


def set_active(name: str) -> None:
    """Make ``name`` the active profile."""

    def change(data: dict[str, Any]) -> None:
        if name not in data["profiles"]:
            raise ProfileError(_not_found(name, data))
        data["settings"]["active_profile"] = name

    update_config(change)


def get_setting(key: str, default: Any = None) -> Any:
    """A value from ``[settings]`` (e.g. ``language``, ``theme``)."""
    return load_config()["settings"].get(key, default)


def set_setting(key: str, value: Any) -> None:
    """Store a setting; ``None`` removes it."""

    def change(data: dict[str, Any]) -> None:
        if value is None:
            data["settings"].pop(key, None)
        else:
            data["settings"][key] = value

    update_config(change)


def _not_found(name: str, data: dict[str, Any]) -> Msg:
    names = ", ".join(sorted(data["profiles"])) or msg("setup.profile.none_yet")
    return msg("setup.profile.not_found", name=name, names=names)
