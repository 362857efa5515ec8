"""The roll-out trial against the second review's hostile servers (issue 16 review 2):
a reply already complete when the trial aborts, stalled and never-ending replies, and
the other findings. Each server is a real loopback socket (tests/support/servers.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from tests.support.servers import Conn, RawServer
from tests.support.targets import target_for
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient
from tui.core.trial.talk import Reply, chat

SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"


def sse_chunk(text: str | None, finish: str | None = None) -> bytes:
    delta = {"content": text} if text is not None else {}
    d = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini",
         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip
    return b"data: " + json.dumps(d).encode() + b"\n\n"


def serve(handler: Callable[[Conn], Awaitable[None]]) -> RawServer:
    async def wrapped(conn: Conn) -> None:
        if await conn.read_request() is not None:
            await handler(conn)

    return RawServer(wrapped, max_seconds=60).start()


def ask(srv: RawServer, **kw) -> Reply:
    target = target_for(srv.url, timeout=kw.pop("timeout", 2.0))

    async def go() -> Reply:
        async with GatewayClient(target, ExchangeLog()) as client:
            url = target.endpoint("chat/completions")
            return await chat(client, url, "gpt-4o-mini", "hi", step="trial.x", **kw)

    return asyncio.run(go())


# -- 1. a reply complete before the abort ----------------------------------------------


async def _whole_at_once(conn: Conn) -> None:
    body = b"".join(sse_chunk(f"{i}\n") for i in range(12))
    await conn.write(SSE_HEAD + body + sse_chunk(None, "stop") + b"data: [DONE]\n\n")


async def _still_going(conn: Conn) -> None:
    await conn.write(SSE_HEAD)
    for i in range(200):
        await conn.write(sse_chunk(f"{i}\n"))
        await asyncio.sleep(0.05)


def test_a_reply_complete_when_aborted_is_known_to_be():
    with_all = serve(_whole_at_once)
    r = ask(with_all, max_tokens=400, stream=True, stop_after=10)
    assert r.aborted and r.complete and r.chunks == 10


def test_a_reply_still_going_is_aborted_mid_stream():
    going = serve(_still_going)
    r = ask(going, max_tokens=400, stream=True, stop_after=10)
    assert r.aborted and not r.complete and r.chunks == 10
    assert r.ex.error_kind == "aborted" and r.total_ms < 2000


# -- 2. a reply that did not complete is said as the transport's cause -------------------


def run_stage(srv: RawServer, stage: str, timeout: float = 1.0):
    from tui.core.trial import stages as st
    from tui.core.trial import stages_more as sm
    from tui.core.trial.model import Ctx, Settings, Slots

    target = target_for(srv.url, timeout=timeout)

    async def go():
        async with GatewayClient(target, ExchangeLog()) as client:
            ctx = Ctx(target, client, target.endpoint("chat/completions"), Settings(), Slots(4))
            fn = getattr(st, f"stage_{stage}", None) or getattr(sm, f"stage_{stage}")
            return await fn(ctx)

    res = asyncio.run(go())
    from tui.core.i18n.catalogue import render

    return res, render(res.message, "en"), render(res.message, "zh-CN")


async def _idle(conn: Conn) -> None:
    """s_idle: one chunk, then nothing (a plain request: nothing at all)."""
    await conn.write(SSE_HEAD + sse_chunk("hi"))
    await asyncio.sleep(30)


async def _neverend(conn: Conn) -> None:
    await conn.write(SSE_HEAD)
    for _ in range(200):
        await conn.write(sse_chunk("word "))
        await asyncio.sleep(0.25)


async def _trickle(conn: Conn) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    await conn.write(head)
    for _ in range(200):
        await conn.write(b" ")
        await asyncio.sleep(0.25)


async def _closed(conn: Conn) -> None:
    await conn.write(SSE_HEAD + sse_chunk("你好"))
    await asyncio.sleep(0.1)
    conn.writer.transport.abort()


MODEL_WORDS = ("model", "模型", "empty", "空回复", "repeat", "重复", "before the trial could abort")


def _no_model_verdict(en: str, zh: str) -> None:
    for word in MODEL_WORDS:
        assert word not in en and word not in zh, (word, en, zh)


def test_a_stalled_stream_is_an_idle_timeout_in_every_stage():
    srv = serve(_idle)
    for stage in ("stream", "chinese", "recovery"):
        res, en, zh = run_stage(srv, stage)
        assert res.code == f"trial.{stage}.timeout", (stage, res.code, en)
        assert "did not complete (1 chunk arrived)" in en and "idle timeout" in en, en
        assert "空闲超时" in zh and "收到 1 个分块" in zh, zh
        _no_model_verdict(en, zh)


def test_a_never_ending_stream_names_the_trials_own_limit():
    res, en, zh = run_stage(serve(_neverend), "stream")
    assert res.code == "trial.stream.timeout", en
    assert "the trial's own limit of 2 s ran out while the reply was still coming" in en, en
    assert "broke off" not in en and "试运行自己的 2 秒上限" in zh
    res, en, zh = run_stage(serve(_neverend), "chinese")
    assert res.code == "trial.chinese.timeout", en
    _no_model_verdict(en, zh)


def test_a_trickled_plain_reply_is_not_an_empty_one():
    res, en, zh = run_stage(serve(_trickle), "short")
    assert res.code == "trial.short.timeout", (res.code, en)
    assert "the reply did not complete: the trial's own limit of 2 s ran out" in en, en
    _no_model_verdict(en, zh)


def test_a_connection_closed_mid_way_is_interrupted():
    res, en, zh = run_stage(serve(_closed), "chinese")
    assert res.code == "trial.chinese.interrupted", (res.code, en)
    assert "the connection closed mid-way" in en and "连接在中途关闭" in zh
    _no_model_verdict(en, zh)


# -- 3. an interrupted trial has no passing verdict ----------------------------------------


def test_an_interrupted_trial_says_so_in_every_form():
    from datetime import UTC, datetime

    from tui.core.diagnosis.model import Status
    from tui.core.trial import table
    from tui.core.trial.model import Settings, StageResult
    from tui.core.trial.runner import interrupted_run
    from tui.core.trial.summary import trial_summary

    settings = Settings(stages=("short", "stream", "long_reply"))
    done = [StageResult("short", Status.PASS, "trial.short.ok")]
    run = interrupted_run(target_for("http://127.0.0.1:9"), settings, done, "2026-12-02", 1500)
    assert run.verdict == "interrupted"
    now = datetime(2026, 12, 2, tzinfo=UTC)
    for lang, words, passed in (
        ("en", "interrupted (1 of 3 stages ran)", "passed"),
        ("zh-CN", "已中断（3 个阶段中运行了 1 个）", "结论：通过"),
    ):
        txt = table.render_text(run, lang)
        md = table.render_markdown(run, lang, now=now)
        summary = trial_summary(run, None, lang, None, now)
        for out in (txt, md, summary):
            assert words in out, (lang, out)
        assert f"Verdict: {passed}" not in txt and passed not in txt.splitlines()[-1]
    data = json.loads(table.render_json(run, None, "en", exit_code=130))
    assert data["verdict"] == "interrupted" and data["stages_ran"] == 1


# -- 4. a long reply cut by a limit vs. one that ended early on its own --------------------


def _ends(finish: str):
    async def handler(conn: Conn) -> None:
        body = b"".join(sse_chunk(f"word{i} ") for i in range(68))
        await conn.write(SSE_HEAD + body + sse_chunk(None, finish) + b"data: [DONE]\n\n")

    return handler


def test_a_long_reply_ended_with_stop_is_not_said_to_be_cut_by_length():
    from tui.core.diagnosis.remediation import remedy

    res, en, zh = run_stage(serve(_ends("stop")), "long_reply")
    assert res.code == "trial.long_reply.stopped_early", (res.code, en)
    assert "ended after 68 tokens with finish_reason stop" in en
    assert "length" not in remedy(res.code, "en").why and "stop" in remedy(res.code, "en").why
    res, en, zh = run_stage(serve(_ends("length")), "long_reply")
    assert res.code == "trial.long_reply.limited", (res.code, en)
    assert "finish_reason length" in en and "length" in remedy(res.code, "en").why
    assert "finish_reason length" in zh


# -- 5. Retry-After said as a delay, a date, or ignored -------------------------------------


def _limited(value: str):
    async def handler(conn: Conn) -> None:
        body = json.dumps({"error": {"message": "slow down", "type": "rate_limit_error"}})
        head = (
            "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
            f"Retry-After: {value}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        await conn.write(head.encode("latin-1") + body.encode())

    return handler


def test_retry_after_is_a_delay_a_date_or_ignored_never_raw():
    cases = {
        "Wed, 21 Oct 2099 07:28:00 GMT": ("(Retry-After: 2099-10-21 07:28:00 UTC)", "2099-10-21"),
        "1e9": ("(Retry-After ignored: '1e9' is no usable delay)", "已忽略 Retry-After"),
        "-5": ("(Retry-After ignored: '-5' is no usable delay)", "'-5'"),
        "NaN": ("(Retry-After ignored: 'NaN' is no usable delay)", "'NaN'"),
        "999999999999": ("ignored: '999999999999'", "已忽略"),
        "1\x1b[31m": ("ignored: '1␛[31m'", "已忽略"),
        "30": ("(Retry-After: 30 s)", "30"),
    }
    for value, (en_words, zh_words) in cases.items():
        res, en, zh = run_stage(serve(_limited(value)), "short")
        assert res.code == "trial.short.failed", (value, res.code)
        assert en_words in en and zh_words in zh, (value, en, zh)
        assert value == "30" or f"{value} s" not in en
        assert "\x1b" not in en + zh and "\n" not in en


# -- 6. a reply far beyond max_tokens is flagged, and a flood is not read to its end --------


async def _huge(conn: Conn) -> None:
    """s_huge: 5000 chunks of 60 KB (300 MB) if the client kept reading."""
    await conn.write(SSE_HEAD)
    chunk = sse_chunk("x" * 60000)
    try:
        for _ in range(5000):
            await conn.write(chunk)
        await conn.write(sse_chunk(None, "stop") + b"data: [DONE]\n\n")
    except ConnectionError:
        pass


def _counted(tokens: int):
    async def handler(conn: Conn) -> None:
        usage = {"prompt_tokens": 10, "completion_tokens": tokens, "total_tokens": tokens + 10}
        tail = {"id": "x", "object": "chat.completion.chunk", "choices": [], "usage": usage}
        body = sse_chunk("OK") + sse_chunk(None, "stop")
        body += b"data: " + json.dumps(tail).encode() + b"\n\ndata: [DONE]\n\n"
        await conn.write(SSE_HEAD + body)

    return handler


def test_a_flood_is_flagged_and_read_no_further_than_a_bound():
    import time

    for stage in ("stream", "long_reply"):
        t0 = time.perf_counter()
        res, en, zh = run_stage(serve(_huge), stage, timeout=10.0)
        assert res.code == f"trial.{stage}.oversized" and res.status.value == "warn", en
        assert "far beyond the max_tokens" in en and "stopped reading" in en, en
        assert "远超要求的 max_tokens" in zh
        assert res.figures["chars"] <= 200_000 and time.perf_counter() - t0 < 5
        assert "5000 tokens" not in en


def test_usage_over_max_tokens_is_flagged():
    res, en, zh = run_stage(serve(_counted(5000)), "stream")
    assert res.code == "trial.stream.oversized", en
    assert "the gateway counted 5000 tokens" in en and "网关统计为 5000 个 token" in zh
    res, en, zh = run_stage(serve(_counted(2)), "stream")
    assert res.code == "trial.stream.ok", en


# -- 7. wording: one request, one chunk, an empty --stages ---------------------------------


def test_one_is_singular_and_an_empty_stage_list_is_named():
    import subprocess
    import sys

    from tests.conftest import FAKE_KEY

    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GATEWAY_DOCTOR_API_KEY": FAKE_KEY}
    base = [sys.executable, "-m", "tui", "trial", "--base-url", "http://127.0.0.1:9"]
    for args, words in (
        (["--stages", ""], "--stages is empty: name one or more stages"),
        (["--stages", " , "], "--stages is empty"),
        (["--stages", "short"], "the trial sends 1 request to the gateway"),
    ):
        run = subprocess.run(
            base + args,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        assert run.returncode == 2 and words in run.stderr, (args, run.stderr)
        assert "''" not in run.stderr and "1 requests" not in run.stderr
    from tui.core.i18n.catalogue import msg, render
    from tui.core.trial.stages import singular

    for key, params in (
        ("trial.detail.recovery.too_short", {"chunks": 1}),
        ("trial.detail.long_reply.cut", {"tokens": 1, "seconds": 2, "cause": ""}),
        ("trial.detail.long_reply.limited", {"tokens": 1}),
        ("trial.detail.batch.ok", {"n": 1, "spread": 0}),
    ):
        n = next(iter(params.values()))
        en = render(msg(singular(key, n), **params), "en")
        assert "1 chunks" not in en and "1 tokens" not in en and "1 of 1" not in en, en


async def _pane(size: tuple[int, int]):
    from tests.support.console import all_passed, wait_for
    from tests.support.host import settle
    from tests.test_snapshots_console import app_for
    from tests.test_trial_console import _view, canned_run
    from tui.core.i18n.catalogue import msg

    app = app_for(all_passed(), lang="en")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.main.late_ready, timeout=15)
        await pilot.press("4")
        await pilot.pause()
        view = _view(app)
        run = canned_run(app.report)
        run.stages[-1].message = msg(
            "trial.detail.recovery.ok_not_billed", chunks=10, ms=420.0, watched=3.0
        )
        view.show_run(run, app.report)
        await pilot.pause()
        await pilot.pause()
        row = view.query_one("#trial-row-recovery .trial-result")
        box = view.query_one("#trial-summary")
        return row.render_line(0).text, [box.render_line(y).text for y in range(box.size.height)]


async def test_a_cut_row_ends_in_an_ellipsis_and_the_summary_table_keeps_its_columns():
    row, _ = await _pane((160, 45))
    assert row.rstrip().endswith("…"), row
    row, lines = await _pane((80, 24))
    assert row.rstrip().endswith("…"), row
    table = [line for line in lines if "trial." in line and line.startswith("  ")]
    assert len(table) == 9, lines
    for line in table:  # each row whole on its line: mark, stage, status, code, figures
        assert line[2] in "✓✗!" and len(line.split()) >= 5, line
    recovery = next(line for line in table if "Recovery" in line)
    assert recovery.rstrip().endswith("aborted after 10 chunks, retry 420 ms"), recovery
