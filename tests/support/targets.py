"""Targets for engine tests: the fake key, a short timeout, proxies only when given."""

from __future__ import annotations

from typing import Any

from tests.conftest import FAKE_KEY
from tui.core.diagnosis.model import Target


def target_for(url: str, **kw: Any) -> Target:
    """A target at ``url`` (timeout 2 s unless given) that ignores proxy variables."""
    kw.setdefault("timeout", 2.0)
    return Target(base_url=url, api_key=FAKE_KEY, model="gpt-4o-mini", trust_env=False, **kw)
