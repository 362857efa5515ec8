"""What the panes and screens may read from the app that hosts them, typed once.

The console (:class:`tui.ui.app.GatewayDoctorApp`) hosts every pane and screen; a test
hosts one alone (tests/support/host.py). Either way a widget reaches the app through
:func:`host` (one cast) and reads only what :class:`Host` names, instead of guessing
with ``getattr(self.app, "lang", "en")``. The app reaches its panes through the pane
protocols (a test may mount a stub in their place).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from textual.dom import DOMNode

from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.ui.clipboard import SystemCopy

if TYPE_CHECKING:
    from tui.ui.app import GatewayDoctorApp

__all__ = ["ChatPaneLike", "Host", "InspectorPaneLike", "console", "host"]


@runtime_checkable
class Host(Protocol):
    """The app as its panes and screens see it (read-only)."""

    @property
    def lang(self) -> str:
        """The console's language (``en``, ``zh-CN``)."""

    @property
    def exchange_log(self) -> ExchangeLog:
        """Where every request is recorded (the inspector shows it)."""

    @property
    def target(self) -> Target | None:
        """The gateway being diagnosed (None: a test host without one)."""

    @property
    def session_keys(self) -> dict[str, str]:
        """Keys given for this session only, by profile name (tui/ui/session_key.py)."""

    @property
    def system_copy(self) -> SystemCopy | None:
        """The system clipboard (None: OSC 52 only, as over SSH)."""


def host(node: DOMNode) -> Host:
    """The app hosting ``node``, as a :class:`Host`."""
    return cast(Host, node.app)


def console(node: DOMNode) -> GatewayDoctorApp:
    """The console app, for what only it hosts (the main screen, the command palette)."""
    return cast("GatewayDoctorApp", node.app)


@runtime_checkable
class ChatPaneLike(Protocol):
    """What the app asks of the chat pane."""

    @property
    def target(self) -> Target:
        """The gateway it talks to."""

    def set_target(self, target: Target) -> None:
        """Talk to ``target`` from now on (a new gateway, a session key)."""


@runtime_checkable
class InspectorPaneLike(Protocol):
    """What the app asks of the inspector pane."""

    def show_exchange(self, exchange_id: str) -> None:
        """Select the recorded exchange ``exchange_id``."""

    def focus_main(self) -> None:
        """Focus the exchange list."""
