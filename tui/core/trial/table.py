"""The trial's report: a capability table (stage, status, figures), what to do for each
stage that did not pass, and the tokens spent; as text, JSON and Markdown.

Network text in details is made terminal-safe, and everything goes out through the one
masking function with the run's key as a secret.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tui.core.diagnosis.model import STATUS_MARKS, Report, Status
from tui.core.diagnosis.remediation import remedy, status_label
from tui.core.i18n.catalogue import Msg, has, render, text
from tui.core.i18n.width import columns, truncate
from tui.core.net.exchange import ExchangeLog
from tui.core.safe.masking import mask
from tui.core.safe.terminal import terminal_safe
from tui.core.trial.budget import money, spent_cost
from tui.core.trial.model import StageResult, TrialRun, verdict_label

#: Figures shown in the table, in this order (others stay in the JSON).
SHOWN = (
    "ttft_ms", "total_ms", "first_try_ms", "tokens", "tokens_per_s", "chunks", "max_gap_ms", "finish", "done",
    "size", "largest_ok", "body_kb", "ok", "rate_limited", "retry_after", "limit", "median_ms",
    "max_ms", "abort_after", "retry_ms", "freed_s", "abort_cost", "watched_s", "turns", "http_status",
    "waited_429",
)  # fmt: skip


def stage_title(stage: str, lang: str) -> str:
    return text(f"trial.stage.{stage}", lang)


def duration(ms: float) -> str:
    """``124.4 ms``; from 10 s on, seconds: ``24.2 s``."""
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:g} ms"


def figure(key: str, value: Any, lang: str, unit: str = "") -> str:
    msg_id = f"trial.fig.{key}"
    if value == 1 and not isinstance(value, bool) and has(f"{msg_id}_one"):
        msg_id += "_one"  # "1 chunk", not "1 chunks"
    if isinstance(value, bool):
        value = text("trial.fig.yes" if value else "trial.fig.no", lang)
    elif key.endswith("_ms") and isinstance(value, int | float):
        value = duration(value)
    elif key == "abort_cost" and isinstance(value, int | float):
        value = f"{money(value)} {unit}".strip()
    elif isinstance(value, float):
        value = f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"
    return text(msg_id, lang, v=value)


def figures_text(res: StageResult, lang: str, width: int = 90) -> str:
    unit = str(res.figures.get("abort_unit") or "")
    parts = [figure(k, res.figures[k], lang, unit) for k in SHOWN if k in res.figures]
    sep = text("sep.list", lang) if lang != "en" else ", "
    return truncate(terminal_safe(sep.join(parts)), width)


def detail(res: StageResult, lang: str) -> str:
    said = render(res.message, lang) if res.message is not None else res.detail
    return " ".join(terminal_safe(said).split())


def rows(run: TrialRun, lang: str, width: int = 90) -> list[list[str]]:
    """The capability table: mark, stage, status, code, figures."""
    out = [
        [
            "",
            text("trial.cli.table_stage", lang),
            text("trial.cli.table_status", lang),
            text("trial.cli.table_code", lang),
            text("trial.cli.table_figures", lang),
        ]
    ]
    for s in run.stages:
        out.append(
            [
                STATUS_MARKS[s.status],
                stage_title(s.id, lang),
                status_label(s.status, lang),
                s.code,
                figures_text(s, lang, width)
                if s.status is not Status.SKIP
                else truncate(detail(s, lang), width),
            ]
        )
    return out


def _secrets(run: TrialRun) -> tuple[str, ...]:
    return (run.target.api_key,) if run.target.api_key else ()


def to_dict(
    run: TrialRun, report: Report | None = None, lang: str = "en", exit_code: int | None = None
) -> dict[str, Any]:
    """The ``--json`` object (also what the history records)."""
    tin, tout = run.tokens()
    t = run.target
    steps = []
    for s in run.stages:
        step: dict[str, Any] = {
            "id": s.id,
            "status": s.status.value,
            "code": s.code,
            "elapsed_ms": s.elapsed_ms,
            "title": stage_title(s.id, lang),
            "detail": detail(s, lang),
            "message": s.message.to_json() if isinstance(s.message, Msg) else None,
            "figures": s.figures,
            "tokens_in": s.tokens_in,
            "tokens_out": s.tokens_out,
            "exchanges": s.exchanges,
        }
        if s.status in (Status.FAIL, Status.WARN, Status.SKIP):
            r = remedy(s.code, lang)
            step["remediation"] = {"title": r.title, "why": r.why, "steps": r.steps}
        steps.append(step)
    out: dict[str, Any] = {
        "kind": "trial",
        "target": {"base_url": t.base_url, "model": t.model, "api_key": t.masked_key},
        "started_at": run.started_at,
        "duration_ms": run.duration_ms,
        "verdict": run.verdict,
        "interrupted": run.interrupted,
        "stages_ran": run.stages_ran(),
        "exit_code": exit_code,
        "checklist_verdict": report.verdict if report is not None else None,
        "waits_for": run.waits_for,
        "settings": {
            "stages": list(run.settings.stages),
            "context": run.settings.context_size(),
            "batch": run.settings.batch,
        },
        "steps": steps,
        "tokens": {"in": tin, "out": tout},
        "requests_answered": run.answered(),
        "cost": spent_cost(run.settings, tin, tout, run.answered()),
        "currency": run.settings.currency,
    }
    return mask(out, _secrets(run))


def render_json(
    run: TrialRun, report: Report | None = None, lang: str = "en", exit_code: int | None = None
) -> str:
    return json.dumps(to_dict(run, report, lang, exit_code), ensure_ascii=False, indent=2)


def _advice(run: TrialRun, lang: str, bullet: str = "") -> list[str]:
    out: list[str] = []
    for s in run.stages:
        if s.status not in (Status.FAIL, Status.WARN):
            continue
        r = remedy(s.code, lang)
        out += [
            "",
            bullet
            + text(  # the language's colon: "✗ Chinese: …", "✗ 中文：…"
                "core.label_value",
                lang,
                label=f"{STATUS_MARKS[s.status]} {stage_title(s.id, lang)}",
                value=detail(s, lang),
            ),
        ]
        out.append("   " + text("trial.cli.remedy_line", lang, title=r.title, why=r.why))
        out += [f"   {line}" for line in r.numbered()]
    return out


def _spent(run: TrialRun, lang: str) -> list[str]:
    tin, tout = run.tokens()
    out = [text("trial.cli.tokens_spent", lang, tokens_in=tin, tokens_out=tout)]
    cost = spent_cost(run.settings, tin, tout, run.answered())
    if cost is not None:
        out.append(
            text("trial.cli.cost_spent", lang, cost=money(cost), currency=run.settings.currency)
        )
    return out


def render_text(run: TrialRun, lang: str = "en") -> str:
    t = run.target
    lines = [text("trial.cli.heading", lang, model=t.model, url=t.base_url), ""]
    if run.waits_for and all(s.status is Status.SKIP for s in run.stages) and run.stages:
        lines.append(text("trial.cli.skipped_all", lang, why=detail(run.stages[0], lang)))
        for code in run.waits_for:
            r = remedy(code, lang)
            first = r.steps[0] if r.steps else r.why
            lines.append(
                "  " + text("trial.cli.waits_fix", lang, code=code, title=r.title, step=first)
            )
    lines += [text("trial.cli.capability", lang)]
    lines += [f"  {row}" for row in columns(rows(run, lang))]
    lines += _advice(run, lang)
    lines += ["", *_spent(run, lang)]
    lines.append(text("trial.cli.verdict", lang, verdict=verdict_label(run, lang)))
    return terminal_safe(mask("\n".join(lines) + "\n", _secrets(run)))


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _md_header(run: TrialRun, report: Report | None, lang: str, now: datetime) -> list[str]:
    """What ``check --markdown`` opens with: the tool, the key (masked, with its id),
    the time, the checklist's verdict."""
    from tui import __version__
    from tui.core.history.record import key_shown

    none = text("trial.md.none", lang)
    verdict = status_label(report.verdict, lang) if report is not None else none
    pairs = [
        ("tool", f"gateway-doctor {__version__}"),
        ("api_key", key_shown(run.target.api_key, lang) or none),
        ("time", now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("started", run.started_at),
        ("checklist", verdict),
        ("trial", verdict_label(run, lang)),
    ]
    return [
        f"- **{text(f'trial.md.{k}', lang)}{text('core.colon', lang)}** {_cell(v)}"
        for k, v in pairs
    ]


def render_markdown(
    run: TrialRun,
    lang: str = "en",
    report: Report | None = None,
    log: ExchangeLog | None = None,
    now: datetime | None = None,
) -> str:
    from tui.core.trial.summary import trial_summary

    t = run.target
    now = now or datetime.now(UTC)
    lines = [f"## {text('trial.cli.heading', lang, model=t.model, url=t.base_url)}", ""]
    lines += [*_md_header(run, report, lang, now), ""]
    lines += [f"### {text('trial.cli.capability', lang)}", ""]
    head = rows(run, lang, width=200)
    lines.append("| " + " | ".join(_cell(c) for c in head[0][1:]) + " |")
    lines.append("|" + "---|" * (len(head[0]) - 1))
    for row in head[1:]:
        cells = [row[1], f"{row[0]} {row[2]}", f"`{row[3]}`", row[4]]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    advice = _advice(run, lang, bullet="- ")
    if advice:
        lines += ["", f"### {text('trial.cli.what_to_do', lang)}"] + advice
    lines += [
        "",
        *_spent(run, lang),
        "",
        text("trial.cli.verdict", lang, verdict=verdict_label(run, lang)),
    ]
    summary = trial_summary(run, report, lang, log, now).rstrip()
    fence = "```"
    while fence in summary:
        fence += "`"
    lines += ["", f"### {text('trial.view.summary', lang)}", "", f"{fence}text", summary, fence]
    return terminal_safe(mask("\n".join(lines) + "\n", _secrets(run)))
