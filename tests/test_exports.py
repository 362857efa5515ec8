"""Exports of recorded exchanges: masked everywhere, curl re-runnable, HAR 1.2 valid."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import subprocess

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.core.diagnosis.model import Target
from tui.core.inspect import exports
from tui.core.net.exchange import Exchange, ExchangeLog, SseEvent
from tui.core.net.http import GatewayClient

#: Secret material planted in every location the issue lists; none may survive an export.
COOKIE_SECRET = "cookievalue-7a6b5c4d3e2f1a0b"
PROXY_AUTH = base64.b64encode(b"proxyuser:proxy-password-123456").decode()
API_KEY_HEADER = "azurekey-0123456789abcdef0123"
QUERY_SECRET = "querysecret-0123456789abcdef"
BODY_SECRET = "bodysecret-0123456789abcdef"
URL_PASSWORD = "hunter2-url-password"
FORBIDDEN = (
    CANARY_KEY,
    "CANARY-do-not-leak",
    "do-not-leak",
    "cookievalue-7a6b5c4d",
    PROXY_AUTH[4:-4],
    "0123456789abcdef0",
    "querysecret-0123",
    "bodysecret-0123",
    URL_PASSWORD,
)


def leaky_exchange() -> Exchange:
    """An exchange built by hand and never masked: exports must mask it themselves."""
    body = json.dumps(
        {
            "model": "gpt-4o-mini",
            "api_key": BODY_SECRET,
            "messages": [{"role": "user", "content": "hi"}],
        }
    )
    return Exchange(
        id="ex-0042",
        step="auth",
        started_at="2025-01-02T03:04:05.678Z",
        method="POST",
        url=f"https://user:{URL_PASSWORD}@gw.example/v1/chat/completions?api_key={QUERY_SECRET}&x=1",
        request_headers=[
            ("Host", "gw.example"),
            ("Authorization", f"Bearer {CANARY_KEY}"),
            ("Proxy-Authorization", f"Basic {PROXY_AUTH}"),
            ("x-api-key", CANARY_KEY),
            ("api-key", API_KEY_HEADER),
            ("Cookie", f"session={COOKIE_SECRET}"),
            ("Content-Type", "application/json"),
        ],
        request_body=body.encode(),
        status=401,
        reason="Unauthorized",
        http_version="HTTP/1.1",
        response_headers=[
            ("content-type", "application/json"),
            ("set-cookie", f"session={COOKIE_SECRET}; Path=/; HttpOnly"),
            ("x-request-id", "req-123"),
        ],
        response_body=json.dumps(
            {
                "error": {
                    "message": f"Incorrect API key provided: {CANARY_KEY}. token {CANARY_KEY}",
                    "type": "invalid_request_error",
                }
            }
        ).encode(),
        body_size=120,
        error=f"server said {CANARY_KEY}",
        error_kind="other",
        timings={"connect": 2.0, "tls": 3.0, "ttfb": 40.0, "transfer": 1.0, "total": 50.0},
        duration_ms=50.0,
        sse_events=[SseEvent(offset_ms=5.0, data=f'{{"echo":"{CANARY_KEY}"}}')],
        proxy=f"http://proxyuser:{URL_PASSWORD}@proxy.example:8080",
    )


EXPORTERS = {
    "curl": lambda ex: exports.to_curl(ex),
    "curl-oneline": lambda ex: exports.to_curl(ex, multiline=False),
    "curl-script": lambda ex: exports.to_curl_script([ex]),
    "har": lambda ex: exports.render_har([ex]),
    "json": lambda ex: exports.render_json(ex),
    "json-dict": lambda ex: json.dumps(exports.exchange_to_dict(ex), ensure_ascii=False),
}


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_every_secret_location_is_masked_in_every_export(name: str) -> None:
    out = EXPORTERS[name](leaky_exchange())
    for secret in FORBIDDEN:
        assert secret not in out, f"{name} export leaks {secret!r}"
    assert "gw.example" in out  # still useful: the host survives


def test_json_and_har_exports_stay_valid_json_after_masking() -> None:
    ex = leaky_exchange()
    har = json.loads(exports.render_har([ex]))
    doc = json.loads(exports.render_json([ex, ex]))
    assert len(har["log"]["entries"]) == 1
    assert [e["id"] for e in doc["exchanges"]] == ["ex-0042", "ex-0042"]
    headers = {
        h["name"].lower(): h["value"] for h in har["log"]["entries"][0]["request"]["headers"]
    }
    assert headers["authorization"].startswith("Bearer sk-…")


def test_curl_puts_the_key_variable_back_and_masks_other_secrets() -> None:
    cmd = exports.to_curl(leaky_exchange())
    assert '-H "Authorization: Bearer $OPENAI_API_KEY"' in cmd
    assert '-H "X-Api-Key: $OPENAI_API_KEY"' in cmd
    assert "api_key=$OPENAI_API_KEY" in cmd  # key in the query string comes from the variable
    assert f"Proxy-Authorization: Basic {PROXY_AUTH[:3]}…" in cmd
    assert '--proxy "$HTTPS_PROXY"' in cmd and cmd.startswith("# proxy was")
    assert "-H 'Host:" not in cmd and "content-length" not in cmd.lower()


def test_curl_quotes_shell_metacharacters_in_the_body() -> None:
    ex = leaky_exchange()
    ex.request_body = b'{"content":"it\'s $HOME `id` \\"q\\" !"}'
    ex.request_headers = [("Authorization", "Bearer sk-…abcd"), ("X-Note", 'a "quoted" $x !')]
    ex.proxy = None
    cmd = exports.to_curl(ex, include_headers=False)
    argv = _bash_argv(cmd)
    assert argv[argv.index("--data-raw") + 1] == ex.request_body.decode()
    assert "Authorization: Bearer KEYVALUE" in argv
    assert 'X-Note: a "quoted" $x !' in argv


def _bash_argv(cmd: str) -> list[str]:
    """What bash passes to curl for ``cmd`` (with OPENAI_API_KEY=KEYVALUE)."""
    script = "curl() { printf '%s\\0' \"$@\"; }\n" + cmd
    out = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        env={"OPENAI_API_KEY": "KEYVALUE", "PATH": os.environ.get("PATH", "")},
        timeout=10,
        check=True,
    ).stdout.decode()
    return out.split("\0")[:-1]


# --- against the demo gateway --------------------------------------------------------


async def _record(gw, calls) -> list[Exchange]:
    log = ExchangeLog()
    target = Target(base_url=gw.base_url, api_key=FAKE_KEY, model="gpt-4o-mini", timeout=5)
    async with GatewayClient(target, log) as client:
        for method, url, kwargs in calls:
            await client.request(method, url, step="test", **kwargs)
    return log.all()


def _run_curl(cmd: str, env: dict[str, str]) -> tuple[int, bytes]:
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, env=env, timeout=20)
    assert proc.returncode == 0, proc.stderr.decode()
    head, _, body = proc.stdout.replace(b"\r\n", b"\n").partition(b"\n\n")
    return int(head.split(b"\n")[0].split()[1]), body


CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}


async def test_curl_export_reproduces_the_response(demo_gateway, env_without_proxies) -> None:
    if shutil.which("curl") is None:
        pytest.skip("the curl binary is not installed; the export text is tested above")
    gw = demo_gateway
    recorded = await _record(
        gw,
        [
            ("GET", gw.base_url + "/models", {}),
            ("POST", gw.base_url + "/chat/completions", {"json": CHAT}),
            ("POST", gw.scenario_url("model_not_found") + "/chat/completions", {"json": CHAT}),
            (
                "POST",
                gw.base_url + "/chat/completions",
                {"json": {**CHAT, "stream": True}, "stream": True},
            ),
        ],
    )
    env = {**env_without_proxies, "OPENAI_API_KEY": FAKE_KEY}
    for ex in recorded:
        cmd = exports.to_curl(ex)
        assert FAKE_KEY not in cmd
        status, body = _run_curl(cmd, env)
        assert status == ex.status, cmd
        if ex.streamed:
            lines = [ln for ln in body.split(b"\n") if ln.startswith(b"data:")]
            recorded_lines = [ln for ln in ex.response_body.split(b"\n") if ln.startswith(b"data:")]
            assert lines[-1] == b"data: [DONE]"
            assert len(lines) == len(recorded_lines)
            continue
        got, want = json.loads(body), json.loads(ex.response_body)
        assert set(got) == set(want)
        if "data" in want:
            assert [m["id"] for m in got["data"]] == [m["id"] for m in want["data"]]
        if "error" in want:
            assert got["error"]["code"] == want["error"]["code"] == "model_not_found"
        if "choices" in want:
            assert got["choices"][0]["message"] == want["choices"][0]["message"]


async def test_curl_export_needs_the_key_variable(demo_gateway, env_without_proxies) -> None:
    if shutil.which("curl") is None:
        pytest.skip("the curl binary is not installed")
    (ex,) = await _record(demo_gateway, [("GET", demo_gateway.base_url + "/models", {})])
    status, body = _run_curl(exports.to_curl(ex), env_without_proxies)  # no OPENAI_API_KEY
    assert ex.status == 200 and status == 401
    assert b"api key" in body.lower()


# --- HAR 1.2 ------------------------------------------------------------------------


def validate_har(doc: dict) -> None:
    """The HAR 1.2 structure (the fields browsers and HTTP clients require)."""
    log = doc["log"]
    assert log["version"] == "1.2"
    assert isinstance(log["creator"]["name"], str) and isinstance(log["creator"]["version"], str)
    assert isinstance(log["entries"], list)
    for e in log["entries"]:
        assert isinstance(e["startedDateTime"], str) and "T" in e["startedDateTime"]
        assert isinstance(e["time"], int | float) and e["time"] >= 0
        req, resp = e["request"], e["response"]
        for k, typ in {
            "method": str,
            "url": str,
            "httpVersion": str,
            "headers": list,
            "queryString": list,
            "cookies": list,
            "headersSize": int,
            "bodySize": int,
        }.items():
            assert isinstance(req[k], typ), f"request.{k}"
        for k, typ in {
            "status": int,
            "statusText": str,
            "httpVersion": str,
            "headers": list,
            "cookies": list,
            "content": dict,
            "redirectURL": str,
            "headersSize": int,
            "bodySize": int,
        }.items():
            assert isinstance(resp[k], typ), f"response.{k}"
        for pair in req["headers"] + req["queryString"] + resp["headers"]:
            assert set(pair) >= {"name", "value"}
        content = resp["content"]
        assert isinstance(content["size"], int) and isinstance(content["mimeType"], str)
        assert isinstance(content["text"], str)
        if "postData" in req:
            assert isinstance(req["postData"]["mimeType"], str)
            assert isinstance(req["postData"]["text"], str)
        assert isinstance(e["cache"], dict)
        timings = e["timings"]
        for k in ("send", "wait", "receive"):
            assert isinstance(timings[k], int | float) and timings[k] >= 0
        for k in ("blocked", "dns", "connect", "ssl"):
            assert timings.get(k, -1) == -1 or timings[k] >= 0
        total = sum(v for k, v in timings.items() if k != "ssl" and v != -1)
        assert abs(total - e["time"]) < 0.01
        for k in e:
            assert k in {
                "startedDateTime",
                "time",
                "request",
                "response",
                "cache",
                "timings",
                "serverIPAddress",
                "connection",
                "comment",
                "pageref",
            } or k.startswith("_")


async def test_har_of_real_exchanges_is_valid_and_has_no_secret(demo_gateway) -> None:
    gw = demo_gateway
    log = ExchangeLog()
    target = Target(base_url=gw.base_url, api_key=CANARY_KEY, model="gpt-4o-mini", timeout=5)
    async with GatewayClient(target, log) as client:
        await client.request("GET", gw.base_url + "/models", step="auth")
        await client.request("GET", gw.scenario_url("redirect") + "/models", step="network")
        await client.request(
            "POST",
            gw.base_url + "/chat/completions",
            step="stream",
            json={**CHAT, "stream": True},
            stream=True,
        )
        await client.request(
            "GET", "http://127.0.0.1:9/v1/models?key=" + CANARY_KEY, step="network"
        )
    items = log.all()
    items.append(leaky_exchange())
    binary = leaky_exchange()
    binary.response_body = b"\x89PNG\r\n\x1a\n\x00\x00\xff"
    items.append(binary)
    text = exports.render_har(items)
    assert CANARY_KEY not in text and "do-not-leak" not in text
    doc = json.loads(text)
    validate_har(doc)
    entries = doc["log"]["entries"]
    assert [e["response"]["status"] for e in entries[:4]] == [200, 301, 200, 0]
    assert entries[1]["response"]["redirectURL"].endswith("/v1/models")
    assert entries[2]["_sseEvents"][-1]["data"] == "[DONE]"
    assert entries[3]["_errorKind"] and entries[3]["request"]["queryString"][0]["name"] == "key"
    assert entries[5]["response"]["content"]["encoding"] == "base64"
    assert base64.b64decode(entries[5]["response"]["content"]["text"]) == binary.response_body


def test_large_bodies_are_exported_whole() -> None:
    ex = leaky_exchange()
    ex.response_body = json.dumps({"data": ["x" * 100] * 2000}).encode()
    har = json.loads(exports.render_har(ex))
    assert har["log"]["entries"][0]["response"]["content"]["text"] == ex.response_body.decode()
    doc = json.loads(exports.render_json(ex))
    assert doc["exchanges"][0]["response_body"] == ex.response_body.decode()


def test_saved_export_is_private_and_never_overwrites(tmp_path) -> None:
    from tui.core.setup.state import save_text

    first = save_text("exchanges", f"a {CANARY_KEY}", ".har")
    second = save_text("exchanges", "b", ".har")
    assert first != second and first.parent == second.parent
    assert str(first).startswith(str(tmp_path))  # GATEWAY_DOCTOR_STATE_DIR from conftest
    assert first.suffix == ".har"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert CANARY_KEY not in first.read_text()
