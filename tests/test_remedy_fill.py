"""Commands in remediation name the configured gateway and proxy (issue 12).

The catalogue writes ``{gateway}``, ``{host}``, ``{port}``, ``{proxy}``; a
result fills them from its evidence, else from the run's target; the code
reference shows visible placeholders. (The real-proxy runs are in
tests/test_proxies_real.py; these are the narrow cases around them.)
"""

from __future__ import annotations

import re

from tui.core.diagnosis.model import CheckResult, Report, Status, Target
from tui.core.diagnosis.remediation import code_markdown, remedy, remedy_for
from tui.core.diagnosis.report import render_text


def _result(code: str, evidence: dict | None = None) -> CheckResult:
    check_id = code.split(".")[0]
    return CheckResult(
        id=check_id,
        status=Status.FAIL,
        code=code,
        title=check_id,
        detail="x",
        evidence=evidence or {},
    )


def test_no_placeholder_or_alltkn_command_left():
    doc = code_markdown()
    assert not re.search(r"\{(gateway|host|port|proxy)\}", doc)
    assert "api.alltkn.com`" not in doc and "127.0.0.1:7890 -I" not in doc
    steps = " ".join(remedy("proxy.unreachable", "en").steps)
    assert "`curl -x http://<proxy-host>:<port> -I https://<gateway-host>`" in steps


def test_network_evidence_fills_commands():
    ev = {"host": "10.0.0.5", "port": 3000, "scheme": "http"}
    steps = " ".join(remedy_for(_result("network.dns_failed", ev)).steps)
    assert "`nslookup 10.0.0.5`" in steps
    steps = " ".join(remedy_for(_result("network.connect_timeout", ev), "zh-CN").steps)
    assert "`curl -I http://10.0.0.5:3000`" in steps


def test_target_fills_steps_that_record_no_address():
    target = Target(
        base_url="https://llm.example.org/v1",
        api_key="",
        model="m",
        proxy="http://bob:pa@ss@proxy.corp:8080",
    )
    r = remedy_for(_result("auth.timeout"), "en", target)
    assert "`curl -I https://llm.example.org`" in " ".join(r.steps)
    steps = " ".join(remedy_for(_result("proxy.unreachable"), "en", target).steps)
    assert "`curl -x http://bob:****@proxy.corp:8080 -I https://llm.example.org`" in steps
    assert "pa@ss" not in steps and "ss@proxy" not in steps


def test_text_report_names_the_target():
    target = Target(base_url="http://10.1.2.3:4000/v1", api_key="", model="m")
    report = Report(
        target=target, checks=[_result("stream.timeout")], started_at="t", duration_ms=1.0
    )
    text = render_text(report)
    assert "curl -I http://10.1.2.3:4000`" in text and "alltkn" not in text.lower()
