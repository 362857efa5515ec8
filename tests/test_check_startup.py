"""`check` start-up (issue 14): nothing before the first request that it does not need.

An ``http://`` gateway gets no TLS context (the OS store or a CA file is only
loaded when an ``https://`` URL needs it), and the ``check`` process imports
neither textual, httpx's own command-line client (rich, click) nor the HTTP/2 stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.targets import target_for
from tui.core.diagnosis.engine import run_checks
from tui.core.net import http
from tui.core.net.exchange import ExchangeLog

ROOT = Path(__file__).resolve().parent.parent


async def test_no_tls_context_for_an_http_gateway(demo_gateway, monkeypatch):
    def no_tls(*_a: object, **_k: object) -> None:
        raise AssertionError("a TLS context was built for an http:// gateway")

    monkeypatch.setattr(http, "build_verify", no_tls)
    monkeypatch.setattr(http, "system_context", no_tls)
    report = await run_checks(target_for(demo_gateway.scenario_url("healthy")), ExchangeLog())
    assert report.verdict == "pass", [(c.code, c.detail) for c in report.checks]


async def test_an_https_url_reached_from_http_is_still_verified(demo_gateway, monkeypatch):
    built: list[object] = []
    real = http.build_verify

    def counted(target):  # noqa: ANN001, ANN202
        built.append(target)
        return real(target)

    monkeypatch.setattr(http, "build_verify", counted)
    client = http.GatewayClient(target_for(demo_gateway.scenario_url("healthy")), ExchangeLog())
    try:
        ex = await client.request("GET", "https://127.0.0.1:9/v1/models", step="t", auth=False)
    finally:
        await client.aclose()
    assert built, "the https request got the verified context"
    assert ex.status is None and ex.error


def test_check_process_imports_no_ui_or_httpx_cli(demo_gateway):
    code = (
        "import json, sys\n"
        "from tui.cli import main\n"
        f"rc = main(['check', '--json', '--base-url', {demo_gateway.scenario_url('healthy')!r}])\n"
        "mods = ('textual', 'rich', 'click', 'httpx._main', 'h2')\n"
        "print(json.dumps({m: sys.modules.get(m) is not None for m in mods}), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["GATEWAY_DOCTOR_API_KEY"] = "sk-demo-gateway-doctor-0000000000000000"
    res = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr[-2000:]
    loaded = json.loads(res.stderr.strip().splitlines()[-1])
    assert loaded == dict.fromkeys(loaded, False), loaded
    assert json.loads(res.stdout)["verdict"] == "pass"
