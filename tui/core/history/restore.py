""" "Return to a known working setup": the last passing run's settings for a profile.

Why only these fields: base URL, model, proxy and the stream setting are what a
profile holds and what a history record keeps unmasked (the stream setting is
shown and written as ``on``/``off``, the words ``profile edit --stream`` takes). The key is never restored: the
record holds only its fingerprint, which names the key so the user can find it.
A value the record holds masked (it looked secret) is refused, not written back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.core.history.record import scope_of
from tui.core.i18n.catalogue import Msg, msg
from tui.core.safe.terminal import one_line

__all__ = ["FIELDS", "Plan", "apply_plan", "key_notes", "plan_restore"]

#: Profile fields restored from the last passing run, in the order shown.
FIELDS = ("base_url", "model", "proxy", "stream")


@dataclass
class Plan:
    """What restoring would change: ``(field, now, then)``; ``masked`` fields and
    ``unsafe`` ones (holding control characters) are refused."""

    profile: str
    record: dict[str, Any]
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)


def _looks_masked(value: str) -> bool:
    return "…" in value or "***" in value


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return "on" if value else "off"  # not-ui-text: the --stream words
    return value or ""


def plan_restore(profile: Any) -> Plan | None:
    """The plan for ``profile`` (a :class:`Profile`), or None without a passing run."""
    from tui.core.history import last_passing

    record = last_passing(scope_of(profile.name, profile.base_url))
    if record is None:
        return None
    plan = Plan(profile.name, record)
    for name in FIELDS:
        then = _value(record.get(name))
        now = _value(getattr(profile, name, None))
        if name == "stream" and not isinstance(record.get(name), bool):
            continue  # a record from before the setting was kept
        if not isinstance(then, str) or then == now:
            continue
        if name == "proxy" and str(record.get("proxy_source") or "").startswith("env"):
            continue  # that proxy came from the environment, not from the profile
        if _looks_masked(then):
            plan.masked.append(name)
            continue
        if one_line(then) != then:  # control characters: a planted record, never written back
            plan.unsafe.append(name)
            continue
        plan.changes.append((name, now, then))
    return plan


def apply_plan(plan: Plan) -> None:
    """Write the plan's changes to the profile (the key is not touched)."""
    from tui.core.setup.profiles import edit_profile

    edit_profile(plan.profile, **{name: then or None for name, _now, then in plan.changes})


def _stored_id(profile: str) -> tuple[str | None, str]:
    """The fingerprint and masked form of ``profile``'s stored key (None, "" without one)."""
    from tui.core.history.record import key_fingerprint
    from tui.core.safe.masking import mask_key
    from tui.core.setup.keys import get_key

    key = get_key(profile).key
    return (key_fingerprint(key), mask_key(key)) if key else (None, "")


def key_notes(plan: Plan) -> list[Msg]:
    """What restoring leaves of the key: nothing to say when the profile's stored key is
    the good run's; else that it differs, and which profiles hold the good run's key
    (named by fingerprint and masked form only; keys are looked up, never shown)."""
    from tui.core.setup.profiles import list_profiles

    good = one_line(str(plan.record.get("key_id") or ""))
    if not good:
        return []
    try:
        now, shown = _stored_id(plan.profile)
        if now == good:
            return []
        notes = [
            msg("history.restore.key_differs", profile=plan.profile, shown=shown, now_id=now)
            if now
            else msg("history.restore.key_none_now", profile=plan.profile, key_id=good)
        ]
        holders = [p.name for p in list_profiles() if _stored_id(p.name)[0] == good]
    except Exception:  # noqa: BLE001 - a keyring or config problem: the key line says enough
        return []
    if holders:
        notes.append(msg("history.restore.key_held", key_id=good, profiles=", ".join(holders)))
    else:
        notes.append(msg("history.restore.key_held_none", key_id=good))
    return notes
