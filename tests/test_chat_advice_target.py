"""Chat error cards and transcripts: the advice's commands name the gateway and proxy the turn
went to, not an example address."""

from __future__ import annotations

from tests.conftest import FAKE_KEY
from tests.support.servers import free_port
from tui.core.chat.session import ChatSession
from tui.core.chat.transcript import transcript_markdown
from tui.core.diagnosis.model import Target
from tui.core.diagnosis.remediation import remedy
from tui.core.net.exchange import ExchangeLog


async def test_dead_proxy_advice_names_the_real_gateway_and_proxy() -> None:
    gw, proxy = free_port(), free_port()
    target = Target(base_url=f"http://127.0.0.1:{gw}/v1", api_key=FAKE_KEY, model="gpt-4o-mini",
                    timeout=3.0, proxy=f"http://127.0.0.1:{proxy}")  # fmt: skip
    session = ChatSession(target, ExchangeLog())
    try:
        turn = await session.send("hi")
    finally:
        await session.aclose()
    err = turn.reply.error
    assert err is not None and err.code == "proxy.unreachable", err
    command = f"curl -x http://127.0.0.1:{proxy} -I http://127.0.0.1:{gw}"
    for lang in ("en", "zh-CN"):
        steps = "\n".join(remedy(err.code, lang, err.facts).steps)
        assert command in steps and "<gateway-host>" not in steps, steps
    md = transcript_markdown([turn], target, lang="zh-CN")
    assert command in md and "<proxy-host>" not in md
