"""Chat text shared by the pane and exports: labels, stats line, transcript, summary.

Kept out of the UI so the Markdown transcript and the support summary for a
failed chat reply are plain functions that tests can pin down, and so the
words are the same on screen and in saved files (English and Chinese).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tui.core.chat.session import ChatTurn, Reply, ReplyStats
from tui.core.diagnosis.model import CheckResult, Report, Status, Target
from tui.core.i18n.catalogue import text
from tui.core.i18n.units import format_ms
from tui.core.net.exchange import ExchangeLog
from tui.core.safe.masking import mask

__all__ = [
    "chat_error_summary",
    "format_stats",
    "save_transcript",
    "t",
    "transcript_markdown",
]


def t(key: str, lang: str, **fields: object) -> str:
    """A chat label in ``lang`` (falls back to English, then to the key)."""
    return text(f"chat.{key}", lang, **fields)


def _said(label: str, value: str, lang: str) -> str:
    """``Label: value`` with the language's colon."""
    return text("core.label_value", lang, label=label, value=value)


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
        counts = (
            f"{t('tokens', lang)} {mark}{stats.prompt_tokens if stats.prompt_tokens is not None else '?'}"
            f" → {mark}{stats.completion_tokens if stats.completion_tokens is not None else '?'}"
        )
        if stats.estimated:  # the language's brackets: "(estimated)", "（估算）"
            counts = text("core.paren", lang, text=counts, inner=t("estimated", lang))
        parts.append(counts)
    if stats.finish_reason:
        parts.append(f"{t('finish', lang)} {stats.finish_reason}")
    if stats.request_id and not fixed_timings:
        parts.append(f"{t('request_id', lang)} {stats.request_id}")
    return mask(" · ".join(parts))


def _reply_markdown(reply: Reply, lang: str) -> list[str]:
    from tui.core.diagnosis.remediation import remedy

    lines = [reply.content.rstrip() if reply.content else ""]
    if reply.stopped:
        lines += ["", f"*[{t('stopped', lang)}]*"]
    if reply.error is not None:
        r = remedy(reply.error.code, lang, reply.error.facts)
        status = f"HTTP {reply.error.http_status}: " if reply.error.http_status else ""
        lines += [
            "",
            f"> **{t('error', lang)} `{reply.error.code}`** — {r.title}",
            f"> {status}{reply.error.text(lang)}",
            ">",
            f"> {t('what_to_do', lang)}{text('core.colon', lang)}",
        ]
        lines += [f"> {step}" for step in r.numbered()]
    for note in reply.notes:
        lines += ["", "*" + _said(t("note", lang), f"`{note}`", lang) + "*"]
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
        lines += ["- " + _said(t("gateway", lang), (gateways and gateways[0][0]) or "-", lang)]
    else:
        lines += [f"- {t('gateways', lang)}{text('core.colon', lang)}"]
        lines += [
            "  - "
            + text("core.paren", lang, text=url, inner=f"{t('turns', lang)} {_numbers(nums)}")
            for url, nums in gateways
        ]
    saved = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines += [
        "- " + _said(t("model", lang), ", ".join(models) or target.model or "-", lang),
        "- " + _said(t("saved_at", lang), saved, lang),
    ]
    if system_prompt.strip():
        lines += ["- " + _said(t("system_prompt", lang), system_prompt.strip(), lang)]
    for turn in turns:
        lines += ["", f"## {t('you', lang)}", "", turn.prompt.rstrip(), ""]
        where = f" · {turn.gateway}" if len(gateways) > 1 and turn.gateway else ""
        sent = _hhmmss(turn.reply.started_at)
        who = text(
            "core.paren", lang, text=t("assistant", lang), inner=f"{turn.reply.model}{where}"
        )
        lines += [f"## {who}{sent}", ""]
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

    Raises ``tui.core.setup.state.StateWriteError`` with a readable message on failure.
    """
    from tui.core.setup.state import save_text

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
    from tui.core.diagnosis.summary import support_summary

    err = reply.error
    code = err.code if err else "model.ok"
    check_id = code.split(".", 1)[0]
    result = CheckResult(
        id=check_id,
        status=Status.FAIL if err else Status.PASS,
        code=code,
        detail=err.text(lang) if err else "",
        duration_ms=reply.stats.total_ms,
        exchanges=[reply.stats.exchange_id] if reply.stats.exchange_id else [],
        http_status=err.http_status if err else None,
        error_text=err.text(lang) if err else None,
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
