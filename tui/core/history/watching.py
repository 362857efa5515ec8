"""How often watching re-runs the checks: ``--every``, else ``[settings] watch_every``.

Why a setting: the console has no command line, and a monitor's interval is a
per-user choice (one gateway is watched every 30 s, a metered one every 10 min).
Bounded below by :data:`MIN_INTERVAL` so a monitor never hammers a gateway: a
shorter setting is raised to it, an unreadable one falls back to the default,
and both come back with a message saying so (a setting silently ignored would
look like a bug).
"""

from __future__ import annotations

import math
import re
from typing import Any

from tui.core.i18n.catalogue import Msg, msg

__all__ = ["DEFAULT_EVERY", "MIN_INTERVAL", "SETTING", "parse_every", "watch_every"]

#: The shortest interval allowed (tests lower it).
MIN_INTERVAL = 10.0
#: The longest interval (a day): a longer one is no watch, and sleep() overflows near 3e10 s.
MAX_INTERVAL = 86_400.0
DEFAULT_EVERY = 60.0
SETTING = "watch_every"  # not-ui-text: config key
_DURATION = re.compile(r"(\d{1,7}(?:\.\d{1,3})?)\s*(s|sec|m|min|h)?")  # not-ui-text: regex
_UNIT = {None: 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_every(value: Any) -> float | None:
    """``60``, ``60s``, ``5m``, ``1h`` (or a number) → seconds; None when not a duration."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):  # TOML allows inf and nan: neither is an interval
        return float(value) if math.isfinite(value) and value >= 0 else None
    if not isinstance(value, str) or len(value) > 40:
        return None
    m = _DURATION.fullmatch(value.strip().lower())
    return float(m.group(1)) * _UNIT[m.group(2)] if m else None


def watch_every(setting: Any = None) -> tuple[float, Msg | None]:
    """The interval from ``setting`` (default: the config's ``watch_every``), bounded
    below by :data:`MIN_INTERVAL`; with a message when the setting was not usable."""
    if setting is None:
        try:
            from tui.core.setup.profiles import get_setting

            setting = get_setting(SETTING)
        except Exception:  # noqa: BLE001 - a broken config is said elsewhere
            setting = None
    if setting is None:
        return max(DEFAULT_EVERY, MIN_INTERVAL), None
    seconds = parse_every(setting)
    if seconds is None or seconds > MAX_INTERVAL:
        return DEFAULT_EVERY, msg(
            "history.watch_setting_bad", value=str(setting)[:40], default=f"{DEFAULT_EVERY:g}"
        )
    if seconds < MIN_INTERVAL:
        return MIN_INTERVAL, msg(
            "history.watch_setting_short", value=str(setting)[:40], minimum=f"{MIN_INTERVAL:g}"
        )
    return seconds, None
