"""The demo gateway as a process and under stress: CLI, shutdown, disconnects, hardening bodies."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import FAKE_KEY
from tui.demo.cli import list_scenarios
from tui.demo.scenarios import PARTS, SCENARIOS
from tui.demo.server import DEMO_KEY, HUGE_BODY_BYTES, DemoGateway

AUTH = {"Authorization": f"Bearer {FAKE_KEY}"}
ROOT = Path(__file__).resolve().parent.parent
CMD = [sys.executable, "-m", "tui", "demo-gateway"]
STREAM = {
    "model": "gpt-4o-mini",
    "stream": True,
    "max_tokens": 5,
    "messages": [{"role": "user", "content": "hi"}],
}


def start_cli(env: dict[str, str], *args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [*CMD, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    lines = []
    for _ in range(3):
        lines.append(proc.stdout.readline())
    match = re.search(r"(http://127\.0\.0\.1:\d+/v1)", "".join(lines))
    assert match, lines
    assert DEMO_KEY in "".join(lines)
    return proc, match.group(1)


def test_cli_streams_and_stops_cleanly_on_sigint(env_without_proxies):
    proc, base = start_cli(env_without_proxies, "--tokens-per-second", "1000")
    try:
        with httpx.Client(timeout=5, headers={"Authorization": f"Bearer {DEMO_KEY}"}) as c:
            r = c.post(base + "/chat/completions", json=STREAM)
            assert r.status_code == 200
            assert r.text.rstrip().endswith("data: [DONE]")
            assert c.get(base + "/models").json()["object"] == "list"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Traceback" not in err and "Traceback" not in out
    assert "stopped" in out


def test_cli_default_scenario_and_sigint_during_an_open_stream(env_without_proxies):
    proc, base = start_cli(env_without_proxies, "--scenario", "stream_stall")
    try:
        with httpx.Client(timeout=5, headers=AUTH) as c:
            with c.stream("POST", base + "/chat/completions", json=STREAM) as r:
                assert r.status_code == 200
                next(r.iter_raw())  # the stream is open and stalled
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err


def test_cli_port_in_use_is_a_one_line_error(env_without_proxies):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = subprocess.run(
            [*CMD, "--port", str(port)],
            capture_output=True,
            text=True,
            env=env_without_proxies,
            cwd=ROOT,
            timeout=20,
        )
    assert res.returncode == 2
    assert "already in use" in res.stderr and "--port" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


@pytest.mark.parametrize(
    "args", [["--port", "70000"], ["--port", "abc"], ["--scenario", "nope"], ["--latency", "-5"]]
)
def test_cli_bad_arguments_exit_2(env_without_proxies, args):
    res = subprocess.run(
        [*CMD, *args], capture_output=True, text=True, env=env_without_proxies, cwd=ROOT, timeout=20
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "error:" in res.stderr


def test_list_scenarios_names_every_symptom():
    text = list_scenarios("en")
    zh = list_scenarios("zh-CN")
    for s in SCENARIOS.values():
        assert re.search(rf"^{s.id}\s+{re.escape(s.text('symptom', 'en'))}", text, re.M)
        assert re.search(rf"^{s.id}\s+{re.escape(s.text('symptom', 'zh-CN'))}", zh, re.M)
    assert "该令牌已过期" in zh and "[hardening]" in text and "[hardening]" not in zh
    for lang in ("en", "zh-CN"):  # every scenario has all its words, in every language
        assert all(
            s.text(part, lang) != f"scenario.{s.id}.{part}"
            for s in SCENARIOS.values()
            for part in PARTS
        )


def test_docs_describe_every_scenario():
    import os

    from tests.support.scenarios_doc import DOC_PATH, render, write

    if os.environ.get("GATEWAY_DOCTOR_REGEN_DOCS"):
        write()
    doc = DOC_PATH.read_text(encoding="utf-8")
    for s in SCENARIOS.values():
        # each row starts with the id and the server behaviour from the catalogue
        assert f"| `{s.id}` | {s.text('what').replace('|', chr(92) + '|')} |" in doc, s.id
    assert doc == render(), (
        "docs/scenarios.md is stale: run `GATEWAY_DOCTOR_REGEN_DOCS=1 pytest "
        "tests/test_demo_gateway_cli.py -k docs` or `python -m tests.support.scenarios_doc`"
    )


def test_stop_closes_open_streams_promptly():
    gw = DemoGateway(port=0, tokens_per_second=1).start_in_thread()
    errors: list[Exception] = []
    with httpx.Client(timeout=10, headers=AUTH) as c:
        with c.stream(
            "POST", gw.scenario_url("stream_stall") + "/chat/completions", json=STREAM
        ) as r:
            chunks = r.iter_raw()
            next(chunks)
            start = time.monotonic()
            gw.stop()
            assert time.monotonic() - start < 2
            try:
                list(chunks)
            except httpx.HTTPError as exc:
                errors.append(exc)
    assert errors, "the stalled stream should have been closed by stop()"
    with pytest.raises(httpx.ConnectError):
        httpx.get(gw.base_url + "/models", timeout=2)


def test_client_disconnect_mid_stream_leaves_no_tasks(capfd):
    gw = DemoGateway(port=0, tokens_per_second=20).start_in_thread()
    try:
        body = {**STREAM, "max_tokens": 200}
        for _ in range(3):
            with httpx.Client(timeout=5, headers=AUTH) as c:
                with c.stream("POST", gw.base_url + "/chat/completions", json=body) as r:
                    next(r.iter_raw())
        deadline = time.monotonic() + 3
        while gw._tasks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not gw._tasks
        assert httpx.get(gw.base_url + "/models", headers=AUTH).status_code == 200
    finally:
        gw.stop()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "exception" not in err.lower()


def test_huge_body_is_50_mb_of_valid_json_prefix(demo_gateway):
    with httpx.Client(timeout=5, headers=AUTH) as c:
        with c.stream("GET", demo_gateway.scenario_url("huge_body") + "/models") as r:
            assert int(r.headers["content-length"]) == HUGE_BODY_BYTES
            got = b""
            for chunk in r.iter_raw():
                got += chunk
                if len(got) > 1_000_000:
                    break
    assert got.startswith(b'{"object":"list","data":[') and b'"padding":"xxx' in got
    assert httpx.get(demo_gateway.base_url + "/models", headers=AUTH).status_code == 200


def test_binary_body(demo_gateway):
    for method, path in (("GET", "/models"), ("POST", "/chat/completions")):
        r = httpx.request(
            method,
            demo_gateway.scenario_url("binary_body") + path,
            headers=AUTH,
            json=STREAM | {"stream": False},
        )
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert b"\x00" in r.content
        with pytest.raises(ValueError):
            json.loads(r.content)


def test_one_byte_per_second(demo_gateway):
    start = time.monotonic()
    got = b""
    with httpx.Client(timeout=httpx.Timeout(5, read=0.6), headers=AUTH) as c:
        with c.stream("GET", demo_gateway.scenario_url("one_byte_per_second") + "/models") as r:
            assert r.status_code == 200
            with pytest.raises(httpx.ReadTimeout):
                for chunk in r.iter_raw():
                    got += chunk
    assert got == b"{"
    assert time.monotonic() - start < 3


def test_reset_mid_body_on_models(demo_gateway):
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        httpx.get(demo_gateway.scenario_url("reset_mid_body") + "/models", headers=AUTH, timeout=5)
