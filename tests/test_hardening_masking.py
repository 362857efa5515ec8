"""Property tests: generated keys in SSE events, error messages, crash reports and exports.

Complements tests/test_masking.py (placements in plain text). Keys of several
shapes (``sk-…``, ``sk-or-v1-…``, JWT-like, short, with unicode) go through
the real code paths that leave the program; the output must contain neither
the key nor any 8-character piece of it (pieces that also occur in the same
output made with a harmless placeholder key do not count). JSON outputs are
decoded first, so a key hidden behind ``\\uXXXX`` escapes is still found.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.leaks import pieces
from tests.support.strategies import KEYS
from tui.core.net.exchange import Exchange, ExchangeLog, SseEvent
from tui.core.net.sse import SseParser
from tui.core.safe import masking

PLACEHOLDER = "PLACEHOLDER-0"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def readable(text: str) -> str:
    """JSON text decoded and re-encoded without escapes; other text as is."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def assert_masked(key: str, produce) -> None:  # noqa: ANN001
    """``produce(key)`` -> output; the key must not survive in it."""
    masking.clear_secrets()
    masking.register_secret(key)
    out = readable(produce(key))
    masking.clear_secrets()
    masking.register_secret(PLACEHOLDER)
    template = readable(produce(PLACEHOLDER))
    assert key not in out
    leaked = {p for p in pieces(key) if p in out and p not in template}
    assert not leaked, (leaked, out[:2000])


def exchange_with(key: str) -> Exchange:
    """An exchange carrying ``key`` everywhere a gateway or a client might put it."""
    parser = SseParser()
    raw = (
        f'data: {{"choices":[{{"delta":{{"content":"echo {key}"}}}}]}}\n\n'
        f'data: {{"error":{{"message":"Incorrect API key provided: {key}"}}}}\n\n'
        f": comment with {key}\n\n"
    ).encode()
    events = [SseEvent(i * 10.0, pe.data, pe.event, comment=pe.comment)
              for i, pe in enumerate(parser.feed(raw) + parser.close())]  # fmt: skip
    return Exchange(
        id="ex-0001",
        step="stream",
        started_at="2026-01-01T00:00:00.000Z",
        method="POST",
        url=f"https://gw.example/v1/chat/completions?api_key={key}",
        request_headers=[("Authorization", f"Bearer {key}"), ("X-Api-Key", key)],
        request_body=json.dumps(
            {"model": "m", "messages": [{"role": "user", "content": f"my key {key}"}]},
            ensure_ascii=False,
        ).encode(),
        status=401,
        response_headers=[("Content-Type", "text/event-stream")],
        response_body=json.dumps(
            {"error": {"message": f"Incorrect API key provided: {key}", "code": "invalid_api_key"}},
            ensure_ascii=False,
        ).encode(),
        sse_events=events,
        error=f"upstream rejected {key}",
        streamed=True,
    )


@SETTINGS
@given(key=KEYS)
def test_sse_events_masked_when_recorded(key: str) -> None:
    def produce(k: str) -> str:
        log = ExchangeLog()
        ex = log.add(exchange_with(k))
        return "\n".join(ev.data for ev in ex.sse_events) + "\n" + (ex.error or "")

    assert_masked(key, produce)


@SETTINGS
@given(key=KEYS, which=st.sampled_from(["curl", "curl1", "har", "json", "script"]))
def test_exports_masked(key: str, which: str) -> None:
    from tui.core.inspect import exports

    def produce(k: str) -> str:
        ex = exchange_with(k)  # not recorded: exports must mask on their own
        return {
            "curl": lambda: exports.to_curl(ex),
            "curl1": lambda: exports.to_curl(ex, multiline=False),
            "har": lambda: exports.render_har(ex),
            "json": lambda: exports.render_json(ex),
            "script": lambda: exports.to_curl_script([ex]),
        }[which]()

    assert_masked(key, produce)


@SETTINGS
@given(key=KEYS)
def test_error_messages_and_crash_reports_masked(key: str) -> None:
    import httpx

    from tui.core.net.http import classify_transport_error
    from tui.core.setup.crash import format_crash, short_crash_message

    def produce(k: str) -> str:
        try:
            try:
                raise httpx.ConnectError(f"proxy http://user:{k}@proxy.local:8080 refused")
            except httpx.ConnectError as inner:
                raise RuntimeError(f"gateway said: invalid token {k}") from inner
        except RuntimeError as exc:
            kind, message = classify_transport_error(exc)
            ex = Exchange(id="ex-1", step="auth", started_at="", method="GET", url="u",
                          error=message, error_kind=kind)  # fmt: skip
            ExchangeLog().add(ex)
            return "\n".join([ex.error or "", format_crash(exc), short_crash_message(exc, None)])

    assert_masked(key, produce)


@SETTINGS
@given(key=KEYS, fmt=st.sampled_from(["json", "text", "markdown", "summary"]))
def test_reports_masked(key: str, fmt: str) -> None:
    from tui.core.diagnosis.model import CheckResult, Report, Status, Target
    from tui.core.diagnosis.report import render_json, render_markdown, render_text
    from tui.core.diagnosis.summary import support_summary

    def produce(k: str) -> str:
        log = ExchangeLog()
        ex = log.add(exchange_with(k))
        check = CheckResult(
            "auth", Status.FAIL, "auth.invalid_key", detail=f"HTTP 401: Incorrect key {k}",
            evidence={"error_message": f"Incorrect API key provided: {k}"}, exchanges=[ex.id],
            error_text=f"Incorrect API key provided: {k}", http_status=401,
        )  # fmt: skip
        target = Target(base_url="https://gw.example/v1", api_key=k, model="m")
        report = Report(target, "2026-01-01T00:00:00Z", 1.0, [check])
        return {
            "json": lambda: render_json(report, log=log),
            "text": lambda: render_text(report),
            "markdown": lambda: render_markdown(report, log=log),
            "summary": lambda: support_summary(report, log=log),
        }[fmt]()

    assert_masked(key, produce)
