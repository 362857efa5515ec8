"""One host protocol: the console and the test host both give panes and screens what
tui/ui/host.py's Host names, and the console's state exists from construction on."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.host import HostApp
from tui.core.diagnosis.model import Target
from tui.core.net.exchange import ExchangeLog
from tui.ui.app import GatewayDoctorApp
from tui.ui.host import ChatPaneLike, Host, InspectorPaneLike
from tui.ui.widgets.chat import ChatPane
from tui.ui.widgets.inspector import InspectorPane


def test_the_console_and_the_test_host_are_hosts() -> None:
    console = GatewayDoctorApp(Target(), autorun=False, system_copy=None)
    assert isinstance(console, Host) and isinstance(HostApp(), Host)
    assert console.last_copy is None  # set in __init__, not by the first copy


def test_the_real_panes_are_what_the_app_asks_for_and_a_stub_is_not() -> None:
    chat = ChatPane(Target(base_url="http://127.0.0.1:9/v1"), ExchangeLog())
    assert isinstance(chat, ChatPaneLike) and chat.last_copied == ""
    assert isinstance(InspectorPane(ExchangeLog()), InspectorPaneLike)
    stub = Static("stub")
    assert not isinstance(stub, ChatPaneLike) and not isinstance(stub, InspectorPaneLike)
