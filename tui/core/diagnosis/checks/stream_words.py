"""The stream step's phrases: the pieces of its details, as catalogue messages.

The sentences themselves are in the catalogues (``check.stream.*``); these
functions choose the id and hand over the facts.
"""

from __future__ import annotations

from typing import Any

from tui.core.diagnosis.checks import intermediaries
from tui.core.i18n.catalogue import Msg, msg
from tui.core.net.exchange import Exchange


def buffered_via(ex: Exchange, ev: dict[str, Any]) -> Msg | str:
    """Name the known proxy the stream came through (its advice then replaces the generic)."""
    seen = intermediaries.via(ex.response_headers)
    if seen is None:
        return ""
    ev.update(intermediary=seen.evidence(), advice=f"{seen.id}.buffered")
    return msg("check.stream.buffered_via", name=seen.name, marker=seen.marker_msg)


def _proxy_by(seen: dict[str, Any]) -> Msg:
    """How proxy_identity recognised the proxy (``how`` and ``seen``), in its words."""
    how = seen.get("how")
    if how in ("via", "certificate", "connect"):
        return msg(f"check.proxy.seen_{how}", seen=seen.get("seen") or "")
    return msg("check.stream.proxy_by_other", value=str(seen.get("by") or ""))


def buffered_by_proxy_message(ev: dict[str, Any]) -> Msg | str:
    """The clause naming the configured proxy a buffered stream came through ('' without one),
    from the evidence ``proxy_identity.buffered_by_proxy`` left."""
    seen = ev.get("proxy_product")
    if not isinstance(seen, dict):
        return ""
    if not seen.get("name"):
        return msg("check.stream.buffered_by_proxy", proxy=seen.get("proxy"))
    return msg(
        "check.stream.buffered_by_proxy_named",
        proxy=seen.get("proxy"),
        name=seen["name"],
        by=_proxy_by(seen),
    )


def chunks_msg(n: int) -> Msg:
    return msg("check.stream.one_chunk") if n == 1 else msg("check.stream.chunks", n=n)


def garbled_msg(g: dict[str, str]) -> Msg:
    if g.get("kind") == "invalid_utf8":
        return msg("check.stream.garbled_bytes", sample=g.get("sample", ""))
    return msg("check.stream.garbled_fffd")
