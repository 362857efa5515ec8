"""What request URL would each popular client build from the same input?

Many "it does not work" tickets are just an address filled differently from
what the gateway expects: one client appends ``/v1`` itself, another does not,
so the same "API Host" gives a doubled ``/v1/v1`` in one and a missing ``/v1``
in the other. This module reproduces each client's rule, for the chat
completions request, and flags the usual mistakes.

Rules (as the clients implement them):

* **Chatbox** (OpenAI-compatible provider): trims the host, drops one trailing
  ``/``, adds ``https://`` when no scheme is given, splits off a pasted
  ``/chat/completions`` (which then becomes the API Path), and appends ``/v1``
  only when the host does not end in ``/v1`` and the API Path is empty. The
  API Path defaults to ``/chat/completions``.
* **Cherry Studio**: trims, drops trailing ``/``; a host ending in ``#`` is
  used as the exact request URL (without the ``#``); otherwise it appends
  ``/v1`` unless the host's path already has a ``/v<digits>`` segment, then
  ``/chat/completions``.
* **OpenAI SDK** (``base_url``): used as given; ``chat/completions`` is joined
  after exactly one ``/``. It never adds ``/v1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tui.core.i18n.catalogue import has, join, text

__all__ = [
    "CLIENTS",
    "ClientUrl",
    "chatbox_url",
    "cherry_studio_url",
    "openai_sdk_url",
    "preview",
    "preview_for_profile",
    "url_warnings",
    "warning_text",
]

CHAT_PATH = "/chat/completions"
CHATBOX_DEFAULT_HOST = "https://api.openai.com/v1"
SDK_DEFAULT_BASE = "https://api.openai.com/v1"
CLIENTS = ("Chatbox", "Cherry Studio", "OpenAI SDK")
_VERSION_SEG = re.compile(r"^v\d+$")

#: Warning codes; each is explained by the catalogue id ``setup.urls.<code>``.
WARNINGS = ("doubled_v1", "missing_v1", "doubled_path", "differs", "empty")


@dataclass(slots=True)
class ClientUrl:
    """One client's request URL for chat completions, and what is wrong with it."""

    client: str
    url: str
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.warnings

    def describe(self, lang: str = "en", expected: str = "") -> str:
        return join((warning_text(w, lang, expected=expected) for w in self.warnings), lang)


def warning_text(code: str, lang: str = "en", *, expected: str = "") -> str:
    """The one-line explanation of a warning code, in ``lang`` (an unknown code as is)."""
    msg_id = f"setup.urls.{code}"
    return text(msg_id, lang, expected=expected) if has(msg_id) else code


def chatbox_url(api_host: str, api_path: str = "") -> str:
    """The URL Chatbox requests for a chat completion."""
    host = (api_host or "").strip()
    path = (api_path or "").strip()
    if not host:
        return CHATBOX_DEFAULT_HOST + CHAT_PATH
    if host.endswith("/"):
        host = host[:-1]
    if path and not path.startswith("/"):
        path = "/" + path
    if not host.startswith(("http://", "https://")):
        host = "https://" + host
    if host.endswith(CHAT_PATH):
        host = host[: -len(CHAT_PATH)]
        path = CHAT_PATH
    if not host.endswith("/v1") and not path:
        host += "/v1"
    return host + (path or CHAT_PATH)


def cherry_studio_url(api_host: str) -> str:
    """The URL Cherry Studio requests for a chat completion."""
    host = (api_host or "").strip()
    if host.endswith("#"):
        return host[:-1]
    host = host.rstrip("/")
    if not host:
        return ""
    if not _has_version_segment(host):
        host += "/v1"
    return host + CHAT_PATH


def openai_sdk_url(base_url: str) -> str:
    """The URL the OpenAI SDK requests with ``base_url`` (it never adds /v1)."""
    base = (base_url or "").strip() or SDK_DEFAULT_BASE
    if not base.endswith("/"):
        base += "/"
    return base + CHAT_PATH.lstrip("/")


def _path_of(url: str) -> str:
    if "://" not in url:
        url = "https://" + url
    return urlsplit(url).path


def _has_version_segment(url: str) -> bool:
    return any(_VERSION_SEG.match(seg) for seg in _path_of(url).split("/"))


def url_warnings(url: str) -> list[str]:
    """Warning codes for a request URL: doubled/missing ``/v1``, doubled path."""
    if not url:
        return ["empty"]
    segs = [s for s in _path_of(url).split("/") if s]
    out: list[str] = []
    versions = sum(1 for s in segs if _VERSION_SEG.match(s))
    if versions > 1:
        out.append("doubled_v1")
    elif versions == 0:
        out.append("missing_v1")
    if _path_of(url).count(CHAT_PATH) > 1:
        out.append("doubled_path")
    return out


def _same(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def preview(api_host: str, api_path: str = "", expected_base: str | None = None) -> list[ClientUrl]:
    """One row per client for the same "API Host"/"API Path" input.

    ``expected_base`` (the base URL gateway-doctor checks) adds a ``differs``
    warning to any client that would call somewhere else.
    """
    expected = openai_sdk_url(expected_base) if expected_base else ""
    if expected and url_warnings(expected):
        expected = ""  # the checked address is itself wrong: its own warnings say so
    rows = [
        ClientUrl("Chatbox", chatbox_url(api_host, api_path)),
        ClientUrl("Cherry Studio", cherry_studio_url(api_host)),
        ClientUrl("OpenAI SDK", openai_sdk_url(api_host)),
    ]
    for row in rows:
        row.warnings = url_warnings(row.url)
        if expected and row.url and not row.warnings and not _same(row.url, expected):
            row.warnings.append("differs")
    return rows


def preview_for_profile(profile: object) -> tuple[str, list[ClientUrl]]:
    """The preview for a profile: what its client holds, else its base URL.

    Returns ``(expected_request_url, rows)``.
    """
    base = str(getattr(profile, "base_url", "") or "")
    host = str(getattr(profile, "client_host", "") or "") or base
    path = str(getattr(profile, "client_path", "") or "")
    expected = openai_sdk_url(base) if base else ""
    return expected, preview(host, path, expected_base=base or None)
