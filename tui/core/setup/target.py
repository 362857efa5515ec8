"""Where the target comes from: flags, environment, profile, keyring, preset.

The CLI and the console both call :func:`resolve_target` so that they agree on
precedence and can tell the user *where* each setting came from (a wrong
``OPENAI_BASE_URL`` left in a shell profile is a classic cause of failure).
The key is registered with the masking function the moment it is read.

Proxy resolution is done here on an explicit environment mapping (not by
httpx reading ``os.environ``) so that it is testable and so that the proxy
check can say exactly which variable applied and whether ``NO_PROXY`` matched.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.core.diagnosis.model import ALLTKN_BASE_URL, DEFAULT_MODEL, Target
from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe import masking

if TYPE_CHECKING:
    from tui.core.setup.profiles import Profile

KEY_ENV_VARS = ("GATEWAY_DOCTOR_API_KEY", "OPENAI_API_KEY")
DEFAULT_TIMEOUT = 15.0


@dataclass(slots=True)
class Resolved:
    """A target plus where each part came from and what went wrong reading it.

    ``problems`` are catalogue messages: ``render(p, lang)`` to show one.
    """

    target: Target
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Msg] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """What the user has not provided: ``base_url`` (only the preset) and/or ``key``."""
        return missing_setup(self.target, self.sources)


@dataclass(slots=True)
class ProxyChoice:
    """Which proxy applies to a URL, and why (or why none does)."""

    proxy: str | None
    source: str | None = None  # "flag", "env:HTTPS_PROXY", "profile:NAME", ...
    bypassed_by: str | None = None  # the NO_PROXY entry that matched
    configured: str | None = None  # the proxy that would apply without NO_PROXY


def missing_setup(target: Target, sources: Mapping[str, str]) -> list[str]:
    """``base_url`` when only the preset gateway is known, ``key`` when there is none;
    the console runs its checks unless both are missing."""
    out = []
    if not target.base_url or sources.get("base_url") == "preset":
        out.append("base_url")
    if not target.api_key:
        out.append("key")
    return out


def overriding_source(target: Target, sources: Mapping[str, str] | None) -> str | None:
    """What set the base URL in place of ``target``'s profile (``--base-url`` or the
    environment variable's name), or None when the profile's own URL (or no profile)
    is used: the profile's own gateway is then not the one being tested."""
    if not target.profile or not sources:
        return None
    source = sources.get("base_url", "")
    if source == "flag":
        return "--base-url"  # not-ui-text: a flag's name
    if source.startswith("env:"):
        return source.removeprefix("env:")
    return None


def _env_get(env: Mapping[str, str], name: str) -> tuple[str | None, str | None]:
    """Lower-case wins over upper-case, as in curl and urllib."""
    for n in (name.lower(), name.upper()):
        v = env.get(n)
        if v is not None and v.strip():
            return v.strip(), n
    return None, None


def no_proxy_match(host: str, port: int | None, no_proxy: str) -> str | None:
    """The ``NO_PROXY`` entry that matches ``host`` (curl semantics), or None.

    Entries: ``*``, host names (suffix match, leading dot optional), IP
    addresses, CIDR ranges, each optionally with ``:port``.
    """
    host = host.lower().strip("[]")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    for raw in no_proxy.replace(";", ",").split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return raw.strip()
        name, eport = entry, None
        if entry.count(":") == 1 and not entry.startswith("["):
            name, _, p = entry.partition(":")
            eport = int(p) if p.isdigit() else None
        name = name.strip("[]")
        if eport is not None and port is not None and eport != port:
            continue
        if ip is not None:
            try:
                if "/" in name and ip in ipaddress.ip_network(name, strict=False):
                    return raw.strip()
                if ip == ipaddress.ip_address(name):
                    return raw.strip()
            except ValueError:
                pass
            continue
        name = name.lstrip(".")
        if name.startswith("*."):
            name = name[2:]
        if host == name or host.endswith("." + name):
            return raw.strip()
    return None


def proxy_for_url(url: str, env: Mapping[str, str] | None = None) -> ProxyChoice:
    """The proxy the standard variables choose for ``url`` (none for bad URLs)."""
    env = os.environ if env is None else env
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), parts.hostname or "", parts.port
    except ValueError:
        return ProxyChoice(None)
    if not host or scheme not in ("http", "https"):
        return ProxyChoice(None)
    proxy, name = _env_get(env, f"{scheme}_proxy")
    if proxy is None:
        proxy, name = _env_get(env, "all_proxy")
    if proxy is None:
        return ProxyChoice(None)
    no_proxy, _ = _env_get(env, "no_proxy")
    if no_proxy:
        matched = no_proxy_match(host, port, no_proxy)
        if matched:
            return ProxyChoice(None, f"env:{name}", bypassed_by=matched, configured=proxy)
    return ProxyChoice(proxy, f"env:{name}", configured=proxy)


def _error(exc: BaseException) -> Msg | str:
    """An exception's own message (ConfigError and the like), else its masked text."""
    message = getattr(exc, "message", None)
    return message if isinstance(message, Msg) else masking.mask(str(exc))


def _load_profile(name: str | None, problems: list[Msg]) -> Profile | None:
    try:
        from tui.core.setup.profiles import load_profile

        return load_profile(name)
    except Exception as exc:  # noqa: BLE001 - ConfigError or a stub; report, don't crash
        problems.append(msg("setup.target.profile", error=_error(exc)))
        return None


def _keyring_key(profile_name: str, problems: list[Msg]) -> str | None:
    try:
        from tui.core.setup.keys import get_key

        lookup = get_key(profile_name)
    except Exception as exc:  # noqa: BLE001 - a broken keyring must not stop a diagnosis
        problems.append(msg("setup.target.keyring", error=_error(exc)))
        return None
    if lookup.error:
        problems.append(msg("setup.target.keyring", error=lookup.error))
    return lookup.key or None


def resolve_target(
    *,
    base_url: str | None = None,
    model: str | None = None,
    profile: str | None = None,
    timeout: float | None = None,
    proxy: str | None = None,
    ca_bundle: str | None = None,
    insecure: bool = False,
    stdin_key: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Resolved:
    """Build the :class:`Target` from flags > environment > profile > preset.

    Never raises: problems (corrupt config, keyring trouble) are listed in
    ``problems`` and the config check reports what is missing.
    """
    env = os.environ if env is None else env
    sources: dict[str, str] = {}
    problems: list[Msg] = []
    prof_name = profile or env.get("GATEWAY_DOCTOR_PROFILE") or None
    prof = _load_profile(prof_name, problems)
    if prof_name and prof is None and not problems:
        problems.append(msg("setup.target.no_profile", name=prof_name))
    plabel = f"profile:{prof.name}" if prof else ""

    # Base URL
    if base_url is not None:
        url, sources["base_url"] = base_url, "flag"
    elif env.get("OPENAI_BASE_URL", "").strip():
        url, sources["base_url"] = env["OPENAI_BASE_URL"], "env:OPENAI_BASE_URL"
    elif prof and prof.base_url:
        url, sources["base_url"] = prof.base_url, plabel
    else:
        url, sources["base_url"] = ALLTKN_BASE_URL, "preset"

    # Key
    key = ""
    if stdin_key is not None:
        key, sources["key"] = stdin_key.rstrip("\r\n"), "stdin"
    else:
        for var in KEY_ENV_VARS:
            if env.get(var, "").strip():
                key, sources["key"] = env[var], f"env:{var}"
                break
        else:
            if prof:
                found = _keyring_key(prof.name, problems)
                if found:
                    key, sources["key"] = found, "keyring"
    if not key:
        sources["key"] = "none"
    masking.register_secret(key)

    # Model
    if model:
        mdl, sources["model"] = model, "flag"
    elif prof and prof.model:
        mdl, sources["model"] = prof.model, plabel
    else:
        mdl, sources["model"] = DEFAULT_MODEL, "preset"

    # Proxy: flag, else profile, else the standard variables.
    chosen: str | None
    if proxy:
        chosen, sources["proxy"] = proxy, "flag"
    elif prof and prof.proxy:
        chosen, sources["proxy"] = prof.proxy, plabel
    else:
        choice = proxy_for_url(url.strip(), env)
        chosen = choice.proxy
        if choice.proxy:
            sources["proxy"] = choice.source or "env"
        elif choice.bypassed_by:
            sources["proxy"] = f"none:NO_PROXY={choice.bypassed_by}"  # a source label, not prose
        else:
            sources["proxy"] = "none"

    if chosen and "://" not in chosen and "@" in chosen:
        # No scheme: no URL pattern finds the password in it, so register the password
        # (up to the last @, as parsers read it). Not the whole value: every 8-character
        # run of a secret is masked, and the proxy's host:port would vanish everywhere.
        password = chosen.strip().rpartition("@")[0].partition(":")[2]
        masking.register_secret(password)

    # CA bundle: flag, profile, SSL_CERT_FILE.
    if ca_bundle:
        ca, sources["ca_bundle"] = ca_bundle, "flag"
    elif prof and prof.ca_bundle:
        ca, sources["ca_bundle"] = prof.ca_bundle, plabel
    elif env.get("SSL_CERT_FILE", "").strip():
        ca, sources["ca_bundle"] = env["SSL_CERT_FILE"].strip(), "env:SSL_CERT_FILE"
    else:
        ca = None
    if ca and not os.path.isfile(os.path.expanduser(ca)):
        problems.append(msg("setup.target.no_ca", path=ca))
        ca = None
    elif ca:
        ca = os.path.expanduser(ca)

    target = Target(
        base_url=url.strip(),
        api_key=key,
        model=mdl.strip(),
        proxy=chosen,
        ca_bundle=ca,
        insecure=insecure,
        timeout=float(timeout) if timeout else DEFAULT_TIMEOUT,
        client_label=(prof.client_label if prof and prof.client_label else "gateway-doctor"),
        profile=prof.name if prof else None,
        stream=prof.stream if prof else True,
        # Proxies and CA are resolved explicitly above; httpx must not re-read the env.
        trust_env=False,
    )
    return Resolved(target=target, sources=sources, problems=problems)
