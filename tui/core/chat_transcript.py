"""Chat text shared by the pane and exports: labels, stats line, transcript, summary.

Kept out of the UI so the Markdown transcript and the support summary for a
failed chat reply are plain functions that tests can pin down, and so the
words are the same on screen and in saved files (English and Chinese).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tui.core.chat import ChatTurn, Reply, ReplyStats
from tui.core.exchange import ExchangeLog
from tui.core.i18n import translate
from tui.core.masking import mask
from tui.core.model import CheckResult, Report, Status, Target
from tui.core.units import format_ms

__all__ = [
    "T",
    "chat_error_summary",
    "format_stats",
    "save_transcript",
    "t",
    "transcript_markdown",
]

T: dict[str, dict[str, str]] = {
    "you": {"en": "You", "zh-CN": "你"},
    "assistant": {"en": "Assistant", "zh-CN": "助手"},
    "ttft": {"en": "first token", "zh-CN": "首字"},
    "total": {"en": "total", "zh-CN": "总耗时"},
    "tokens": {"en": "tokens", "zh-CN": "令牌"},
    "estimated": {"en": "estimated", "zh-CN": "估算"},
    "finish": {"en": "finish", "zh-CN": "结束原因"},
    "request_id": {"en": "request id", "zh-CN": "请求 ID"},
    "stopped": {"en": "stopped by you — partial reply", "zh-CN": "已由你停止 — 回复不完整"},
    "error": {"en": "Error", "zh-CN": "错误"},
    "what_to_do": {"en": "What to do", "zh-CN": "处理办法"},
    "transcript_title": {"en": "gateway-doctor chat", "zh-CN": "gateway-doctor 对话记录"},
    "gateway": {"en": "Gateway", "zh-CN": "网关"},
    "gateways": {"en": "Gateways", "zh-CN": "网关"},
    "turns": {"en": "turns", "zh-CN": "轮次"},
    "model": {"en": "Model", "zh-CN": "模型"},
    "system_prompt": {"en": "System prompt", "zh-CN": "系统提示词"},
    "saved_at": {"en": "Saved", "zh-CN": "保存时间"},
    "note": {"en": "note", "zh-CN": "提示"},
    # pane (UI) labels
    "input": {
        "en": "Message — Enter sends · /help · Esc stops",  # fits the 120-column pane
        "zh-CN": "输入消息 — 回车发送 · /help 查看命令 · Esc 停止",
    },
    "model_ph": {"en": "model (type to filter)", "zh-CN": "模型(输入以筛选)"},
    "model_b_ph": {"en": "second model", "zh-CN": "对比模型"},
    "temp_ph": {"en": "temp", "zh-CN": "温度"},
    "max_ph": {"en": "max tok", "zh-CN": "最大令牌"},
    "stream": {"en": "stream", "zh-CN": "流式"},
    "system_ph": {"en": "System prompt (optional)", "zh-CN": "系统提示词(可选)"},
    "copy_summary": {"en": "Copy support summary", "zh-CN": "复制支持摘要"},
    # footer keys of the pane
    "b.stop": {"en": "Stop", "zh-CN": "停止"},
    "b.compare": {"en": "Compare", "zh-CN": "对比"},
    "b.save": {"en": "Save", "zh-CN": "保存"},
    "b.clear": {"en": "Clear", "zh-CN": "清空"},
    "b.copy": {"en": "Copy summary", "zh-CN": "复制摘要"},
    "copied": {
        "en": "Support summary copied (key masked).",
        "zh-CN": "已复制支持摘要(密钥已遮盖)。",
    },
    "saved": {"en": "Conversation saved: {path}", "zh-CN": "对话已保存:{path}"},
    "save_failed": {"en": "Could not save: {error}", "zh-CN": "保存失败:{error}"},
    "cleared": {"en": "Conversation cleared.", "zh-CN": "对话已清空。"},
    "failure_when": {
        "en": "This failure happened at {time} against {gateway}.",
        "zh-CN": "此故障发生于 {time}，请求的网关是 {gateway}。",
    },
    "failure_moved": {
        "en": "The console has since switched to {gateway}.",
        "zh-CN": "之后控制台已切换到 {gateway}。",
    },
    "no_failure": {
        "en": "No failure to report: the latest reply succeeded.",
        "zh-CN": "没有需要上报的故障：最近一次回复是成功的。",
    },
    "no_reply_yet": {
        "en": "No failure to report: no reply yet.",
        "zh-CN": "没有需要上报的故障：还没有任何回复。",
    },
    "nothing_to_save": {"en": "Nothing to save yet.", "zh-CN": "还没有可保存的内容。"},
    "busy": {
        "en": "A reply is still streaming — Esc stops it.",
        "zh-CN": "回复仍在输出 — 按 Esc 停止。",
    },
    "no_target": {
        "en": "No gateway configured yet: set a base URL and key first.",
        "zh-CN": "尚未配置网关:请先设置 Base URL 和密钥。",
    },
    "no_model": {"en": "Choose a model first.", "zh-CN": "请先选择模型。"},
    "models_loaded": {"en": "{n} models from /models", "zh-CN": "/models 返回 {n} 个模型"},
    "models_failed": {
        "en": "Model list unavailable ({code}); type a model name.",
        "zh-CN": "无法获取模型列表({code}),请直接输入模型名。",
    },
    "compare_on": {
        "en": "Compare mode: {a} vs {b}. Ctrl+T leaves it.",
        "zh-CN": "对比模式:{a} 对比 {b}。Ctrl+T 退出。",
    },
    "compare_need_b": {
        "en": "Type a second model in the box on the right, then press Ctrl+T again.",
        "zh-CN": "请在右侧输入第二个模型,然后再按 Ctrl+T。",
    },
    "bad_number": {
        "en": "{field} must be a number (e.g. {example}); it was ignored.",
        "zh-CN": "{field} 必须是数字(例如 {example}),已忽略。",
    },
    "unknown_command": {
        "en": "Unknown command {cmd}. Type /help.",
        "zh-CN": "未知命令 {cmd}。输入 /help 查看。",
    },
    "help": {
        "en": "Commands: /short /long /zh /code /follow (or F2–F6, /1–/5) quick prompts · "
        "/system TEXT · /model NAME · /compare MODEL · /models · /save · /clear · /stream on|off. "
        "Keys: Esc stop · Ctrl+L clear · Ctrl+S save · Ctrl+T compare · Ctrl+Y copy summary.",
        "zh-CN": "命令:/short /long /zh /code /follow(或 F2–F6、/1–/5)快捷测试 · "
        "/system 文本 · /model 名称 · /compare 模型 · /models · /save · /clear · /stream on|off。"
        "按键:Esc 停止 · Ctrl+L 清空 · Ctrl+S 保存 · Ctrl+T 对比 · Ctrl+Y 复制摘要。",
    },
    "empty": {
        "en": "Try the testing order: F2 short test, F3 long reply, F4 Chinese Q&A, "
        "F5 code explanation, F6 multi-turn follow-up.",
        "zh-CN": "按测试顺序试用:F2 短消息、F3 长回复、F4 中文问答、F5 代码解释、F6 多轮追问。",
    },
}


def t(key: str, lang: str, **fields: object) -> str:
    """A chat label in ``lang`` (falls back to English, then to the key)."""
    return translate(T, key, lang, **fields)


def format_stats(stats: ReplyStats, lang: str = "en", *, fixed_timings: bool = False) -> str:
    """One line: ``model · first token 120 ms · 48.1 tok/s · total 2.31 s · tokens 12 → 104``.

    ``fixed_timings`` replaces times with ``…`` (deterministic snapshots).
    """
    parts = [stats.model] if stats.model else []
    if stats.ttft_ms is not None:
        parts.append(f"{t('ttft', lang)} {'…' if fixed_timings else format_ms(stats.ttft_ms)}")
    if stats.tokens_per_s is not None:
        parts.append("… tok/s" if fixed_timings else f"{stats.tokens_per_s:.1f} tok/s")
    parts.append(f"{t('total', lang)} {'…' if fixed_timings else format_ms(stats.total_ms)}")
    if stats.prompt_tokens is not None or stats.completion_tokens is not None:
        mark = "~" if stats.estimated else ""
        est = f" ({t('estimated', lang)})" if stats.estimated else ""
        parts.append(
            f"{t('tokens', lang)} {mark}{stats.prompt_tokens if stats.prompt_tokens is not None else '?'}"
            f" → {mark}{stats.completion_tokens if stats.completion_tokens is not None else '?'}{est}"
        )
    if stats.finish_reason:
        parts.append(f"{t('finish', lang)} {stats.finish_reason}")
    if stats.request_id and not fixed_timings:
        parts.append(f"{t('request_id', lang)} {stats.request_id}")
    return mask(" · ".join(parts))


def _reply_markdown(reply: Reply, lang: str) -> list[str]:
    from tui.core.remediation import remedy

    lines = [reply.content.rstrip() if reply.content else ""]
    if reply.stopped:
        lines += ["", f"*[{t('stopped', lang)}]*"]
    if reply.error is not None:
        r = remedy(reply.error.code, lang, reply.error.facts)
        status = f"HTTP {reply.error.http_status}: " if reply.error.http_status else ""
        lines += [
            "",
            f"> **{t('error', lang)} `{reply.error.code}`** — {r.title}",
            f"> {status}{reply.error.message}",
            ">",
            f"> {t('what_to_do', lang)}:",
        ]
        lines += [f"> {step}" for step in r.numbered()]
    for note in reply.notes:
        lines += ["", f"*{t('note', lang)}: `{note}`*"]
    lines += ["", f"*{format_stats(reply.stats, lang)}*"]
    return lines


def transcript_markdown(
    turns: list[ChatTurn],
    target: Target,
    *,
    system_prompt: str = "",
    lang: str = "en",
    now: datetime | None = None,
) -> str:
    """The conversation as Markdown (masked): header, then each prompt and reply."""
    now = now or datetime.now(UTC)
    gateways = _gateways(turns, target.base_url)
    models = list(dict.fromkeys(turn.reply.model for turn in turns if turn.reply.model))
    lines = [f"# {t('transcript_title', lang)}", ""]
    if len(gateways) <= 1:
        lines += [f"- {t('gateway', lang)}: {(gateways and gateways[0][0]) or '-'}"]
    else:
        lines += [f"- {t('gateways', lang)}:"]
        lines += [f"  - {url} ({t('turns', lang)} {_numbers(nums)})" for url, nums in gateways]
    lines += [
        f"- {t('model', lang)}: {', '.join(models) or target.model or '-'}",
        f"- {t('saved_at', lang)}: {now.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}",
    ]
    if system_prompt.strip():
        lines += [f"- {t('system_prompt', lang)}: {system_prompt.strip()}"]
    for turn in turns:
        lines += ["", f"## {t('you', lang)}", "", turn.prompt.rstrip(), ""]
        where = f" · {turn.gateway}" if len(gateways) > 1 and turn.gateway else ""
        sent = _hhmmss(turn.reply.started_at)
        lines += [f"## {t('assistant', lang)} ({turn.reply.model}{where}){sent}", ""]
        lines += _reply_markdown(turn.reply, lang)
    secrets = (target.api_key,) if target.api_key else ()
    return mask("\n".join(lines).rstrip() + "\n", secrets)


def _gateways(turns: list[ChatTurn], current: str) -> list[tuple[str, list[int]]]:
    """Each gateway the turns were sent to, with the turn numbers (1-based)."""
    seen: dict[str, list[int]] = {}
    for n, turn in enumerate(turns, 1):
        seen.setdefault(turn.gateway or current, []).append(n)
    return list(seen.items()) if seen else ([(current, [])] if current else [])


def _numbers(nums: list[int]) -> str:
    """``1–3, 5``: runs of turn numbers."""
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _hhmmss(started_at: str) -> str:
    """`` · 12:34:56 UTC`` from an ISO time, or nothing."""
    return f" · {started_at[11:19]} UTC" if len(started_at) >= 19 else ""


def save_transcript(
    turns: list[ChatTurn], target: Target, *, system_prompt: str = "", lang: str = "en"
) -> Path:
    """Write the transcript to the state directory (mode 0600); return the path.

    Raises ``tui.core.state.StateWriteError`` with a readable message on failure.
    """
    from tui.core.state import save_text

    text = transcript_markdown(turns, target, system_prompt=system_prompt, lang=lang)
    return save_text("chat", text, suffix=".md")


def chat_error_summary(
    reply: Reply,
    target: Target,
    log: ExchangeLog | None = None,
    lang: str = "en",
    now: datetime | None = None,
    *,
    gateway: str = "",
) -> str:
    """The support summary for a failed reply, in the checklist's format (masked).

    ``gateway`` is the base URL the reply went to (``ChatTurn.gateway``): the
    console's target may have changed since, and a helpdesk must see where and
    when the failure happened, not where the console points now.
    """
    from tui.core.summary import support_summary

    err = reply.error
    code = err.code if err else "model.ok"
    check_id = code.split(".", 1)[0]
    result = CheckResult(
        id=check_id,
        status=Status.FAIL if err else Status.PASS,
        code=code,
        detail=err.message if err else "",
        duration_ms=reply.stats.total_ms,
        exchanges=[reply.stats.exchange_id] if reply.stats.exchange_id else [],
        http_status=err.http_status if err else None,
        error_text=err.message if err else None,
        request_ids=[reply.stats.request_id] if reply.stats.request_id else [],
    )
    ex = log.get(reply.stats.exchange_id) if log and reply.stats.exchange_id else None
    started = ex.started_at if ex else reply.started_at
    chat_target = Target(
        base_url=gateway or target.base_url,
        api_key=target.api_key,
        model=reply.model or target.model,
        proxy=target.proxy,
        client_label=target.client_label,
        profile=target.profile,
    )
    report = Report(
        target=chat_target,
        # The request's time, not the time the summary was copied.
        started_at=started or (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        duration_ms=reply.stats.total_ms,
        checks=[result],
    )
    text = support_summary(report, check=result, lang=lang, log=log, now=now)
    if err is None:
        return text
    when = _utc_text(report.started_at)
    where = [t("failure_when", lang, time=when, gateway=chat_target.base_url or "-")]
    if gateway and target.base_url and gateway != target.base_url:
        where.append(t("failure_moved", lang, gateway=target.base_url))
    lines = text.split("\n")
    lines[2:2] = [*where, ""]  # under the title and its rule
    secrets = (target.api_key,) if target.api_key else ()
    return mask("\n".join(lines), secrets)


def _utc_text(iso: str) -> str:
    """``2026-12-02 00:10:11 UTC`` from an ISO time (as given when unparsable)."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso or "-"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
