"""Profiles (interface stub; implemented by the profiles issue)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Profile:
    name: str
    base_url: str = ""
    model: str = ""
    proxy: str | None = None
    ca_bundle: str | None = None
    client_label: str = ""


def load_profile(name: str | None = None) -> Profile | None:
    """The named profile, else the active one, else None. Never raises for a
    missing config file; raises ``ConfigError`` (clear message) for a corrupt one."""
    return None
