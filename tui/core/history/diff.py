"""What changed between the last passing run and this one, in order of likely cause.

Why this order: "it worked yesterday" is answered fastest by the change most
likely to have broken it: the key and the model name (a typo is the most common
slip), then where we connect (base URL, proxy), then
who answers (addresses, certificate issuer: a new interception proxy), then what
the gateway offers (a model gone from ``/models``), then money (balance near
zero), then speed (TTFB/TTFT ×N), then the gateway's version header. That fixed
order gives way to the failing step: the changes that explain the first failing
step (a proxy step → the proxy) come first. Each change is a catalogue message,
so it is worded in every language at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.i18n.catalogue import Msg, msg

__all__ = [
    "NEAR_ZERO",
    "SLOWER",
    "SLOWER_MIN_MS",
    "Change",
    "EXPLAINS",
    "Comparison",
    "compare",
    "step_changes",
]

#: A balance at or under this share of the last good run's is "near zero".
NEAR_ZERO = 0.05
#: TTFB or TTFT this many times the last good run's (and at least SLOWER_MIN_MS more).
SLOWER = 3.0
SLOWER_MIN_MS = 150.0


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` (stable, for JSON and tests) and its sentence."""

    kind: str
    message: Msg


@dataclass
class Comparison:
    """This run against ``base`` (the last passing run of the same scope, or None)."""

    base: dict[str, Any] | None
    changes: list[Change] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return [c.kind for c in self.changes]

    def to_json(self) -> dict[str, Any]:
        from tui.core.i18n.catalogue import render

        return {
            "last_passing_run": self.base.get("time") if self.base else None,
            "changes": [
                {"kind": c.kind, "text": render(c.message, "en"), "message": c.message.to_json()}
                for c in self.changes
            ],
        }


def _key(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = old.get("key_id"), new.get("key_id")
    if a and b and a != b:
        return [Change("key", msg("history.change.key", old=a, new=b, shown=new.get("key") or ""))]
    if bool(a) != bool(b) and (old.get("key") or new.get("key")):
        return [Change("key", msg("history.change.key", old=a or "-", new=b or "-", shown=""))]
    return []


def _model(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The model name changed: the most common slip (``gpt-4o-minii``), named with the key."""
    a, b = old.get("model"), new.get("model")
    if a and b and a != b:
        return [Change("model", msg("history.change.model", old=a, new=b))]
    return []


def _where(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    if (old.get("base_url") or "").rstrip("/") != (new.get("base_url") or "").rstrip("/"):
        out.append(
            Change(
                "base_url",
                msg("history.change.base_url", old=old.get("base_url"), new=new.get("base_url")),
            )
        )
    if (old.get("proxy") or None) != (new.get("proxy") or None):
        none = msg("history.none")
        out.append(
            Change(
                "proxy",
                msg(
                    "history.change.proxy",
                    old=old.get("proxy") or none,
                    new=new.get("proxy") or none,
                ),
            )
        )
    sa, sb = old.get("stream"), new.get("stream")
    if isinstance(sa, bool) and isinstance(sb, bool) and sa != sb:
        words = {True: msg("history.cli.show.on"), False: msg("history.cli.show.off")}
        out.append(Change("stream", msg("history.change.stream", old=words[sa], new=words[sb])))
    return out


def _who(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    a, b = old.get("addresses"), new.get("addresses")
    if a and b and not set(a) & set(b):
        out.append(
            Change("addresses", msg("history.change.addresses", old=", ".join(a), new=", ".join(b)))
        )
    ia = (old.get("tls") or {}).get("issuer")
    ib = (new.get("tls") or {}).get("issuer")
    if ia and ib and ia != ib:
        out.append(Change("issuer", msg("history.change.issuer", old=ia, new=ib)))
    return out


def _models(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = old.get("models"), new.get("models")
    if not a or not b or a.get("hash") == b.get("hash"):
        return []
    gone = sorted(set(a.get("sample") or []) - set(b.get("sample") or []))
    if not b.get("complete"):
        # Only the sample is known: a name missing from a truncated list proves nothing,
        # except the configured model, which the run itself looked for.
        gone = [m for m in gone if m == new.get("model")]
    if gone:
        return [Change("model_gone", msg("history.change.model_gone", models=", ".join(gone[:10])))]
    if (b.get("count") or 0) < (a.get("count") or 0):
        return [
            Change("model_gone", msg("history.change.models_fewer", old=a["count"], new=b["count"]))
        ]
    return []


def _balance(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = old.get("balance"), new.get("balance")
    if not a or not b or a.get("unit") != b.get("unit"):
        return []
    before, after = a.get("remaining"), b.get("remaining")
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return []
    if before > 0 and after <= before * NEAR_ZERO:
        unit = b.get("unit") or ""
        return [Change("balance", msg("history.change.balance", old=before, new=after, unit=unit))]
    return []


def _speed(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    for name in ("ttfb_ms", "ttft_ms"):
        a, b = old.get(name), new.get(name)
        if not isinstance(a, int | float) or not isinstance(b, int | float) or a <= 0:
            continue
        if b >= a * SLOWER and b - a >= SLOWER_MIN_MS:
            out.append(
                Change(
                    name[:4],
                    msg(
                        f"history.change.{name[:4]}", old=round(a), new=round(b), x=round(b / a, 1)
                    ),
                )
            )
    return out


def _server(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = old.get("server"), new.get("server")
    if a and b and a != b:
        return [Change("server", msg("history.change.server", old=a, new=b))]
    return []


def compare(base: dict[str, Any] | None, new: dict[str, Any]) -> Comparison:
    """The changes from ``base`` to ``new``, most likely cause first."""
    from tui.core.history.shape import clean, display

    if base is None:
        return Comparison(None)
    old, now = clean(base), clean(new)
    if old is None or now is None:  # a record of the wrong shape: nothing to compare
        return Comparison(None)
    old, now = display(old), display(now)  # the values are shown in the sentences
    changes: list[Change] = []
    for part in (_key, _model, _where, _who, _models, _balance, _speed, _server):
        try:
            changes += part(old, now)
        except Exception:  # noqa: BLE001 - a history note must never take a report down
            continue
    return Comparison(old, _cause_first(changes, now))


#: The changes that explain a failing step: said first when that step is the first to fail.
EXPLAINS = {
    "config": ("base_url", "model", "key", "proxy", "stream"),
    "network": ("base_url", "addresses", "issuer"),
    "proxy": ("proxy", "issuer"),
    "auth": ("key", "base_url"),
    "balance": ("balance", "key"),
    # a model gone after a move to another base URL: the move is the cause
    "model": ("model", "base_url", "model_gone"),
    "stream": ("stream", "ttft"),
}


def _first_failing(record: dict[str, Any]) -> str | None:
    for s in record.get("steps") or []:
        if isinstance(s, dict) and s.get("status") == "fail":
            step = str(s.get("id") or "")
            return step if step in EXPLAINS else str(s.get("code") or "").split(".")[0]
    return None


def _cause_first(changes: list[Change], record: dict[str, Any]) -> list[Change]:
    """The changes that explain the first failing step first (in that step's order of
    likelihood), then the rest in the fixed order: a failing proxy step is answered by
    the proxy that changed, not by a model name changed at the same time."""
    explains = EXPLAINS.get(_first_failing(record) or "", ())
    rank = {kind: i for i, kind in enumerate(explains)}
    return sorted(changes, key=lambda c: rank.get(c.kind, len(rank)))  # stable


def step_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(step, old code, new code)`` for each step whose code changed (``watch``'s alert)."""
    from tui.core.history.shape import clean

    old, cleaned = (clean(old) if old is not None else None), clean(new)
    if old is None or cleaned is None:
        return []
    new = cleaned
    before = {s["id"]: s.get("code", "") for s in old.get("steps", []) if isinstance(s, dict)}
    out = []
    for s in new.get("steps", []):
        if isinstance(s, dict) and s.get("id") in before and before[s["id"]] != s.get("code"):
            out.append((s["id"], before[s["id"]], s.get("code", "")))
    return out
