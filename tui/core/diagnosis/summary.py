"""The support summary: plain text a user can paste to their gateway's support.

It carries what support asks for (client, exact error text, model, time,
whether a charge happened, request ids, timings) and never the key: the key
is shown as ``mask_key`` (first 3 + last 4), and the whole text is passed
through :func:`~tui.core.safe.masking.mask`, with the target's key as an explicit
secret, so even an unregistered key cannot leak. It is then made
terminal-safe: it is pasted into terminals and tickets, and the error text is
the gateway's.
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime, timedelta
from typing import Any

from tui import __version__
from tui.core.diagnosis.charge import Charge, balance_message, charge_of, charge_text
from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.evidence import result_exchanges
from tui.core.diagnosis.model import CheckResult, Report, Status
from tui.core.diagnosis.remediation import check_title, label, status_label
from tui.core.history.record import key_shown as _key_shown
from tui.core.i18n.catalogue import has, msg, render, text
from tui.core.i18n.units import format_ms
from tui.core.i18n.width import cell_width, columns, pad, truncate
from tui.core.inspect.format import status_text
from tui.core.net.exchange import Exchange, ExchangeLog
from tui.core.net.notes import note_ids
from tui.core.net.transport_error import error_msg
from tui.core.safe.masking import mask
from tui.core.safe.terminal import terminal_safe

__all__ = [
    "balance_pair",
    "charge_for",
    "charged_text",
    "check_rows",
    "focus_check",
    "os_text",
    "support_summary",
]

#: How overlap.py's English note on a request sent ahead that no step used begins.
#: The notes checks/overlap.py puts on a request sent ahead that no step used.
UNUSED_NOTES = {"check.overlap.not_needed", "check.overlap.not_needed_stopped"}
#: Longest error text kept in a summary (bodies can be whole HTML pages).
MAX_ERROR_CHARS = 600


def os_text() -> str:
    """OS and Python version, e.g. ``Linux-6.8-x86_64 (Python 3.12.3)``."""
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}"
        f" (Python {platform.python_version()})"
    )


def focus_check(report: Report, check: str | CheckResult | None = None) -> CheckResult | None:
    """The check a summary is about: the given one, else the first fail, else the first warn."""
    if isinstance(check, CheckResult):
        return check
    if isinstance(check, str) and check:
        return report.by_id(check)
    return report.first_problem()


def _exchanges(result: CheckResult | None, log: ExchangeLog | None) -> list[Exchange]:
    return result_exchanges(result, log)


def _error_text(result: CheckResult, exchanges: list[Exchange], lang: str) -> str | None:
    """The gateway's own words, or a transport failure in ``lang`` (its OS text quoted)."""
    broken = {ex.error: ex for ex in exchanges if ex.error}
    if result.error_text:
        ex = broken.get(result.error_text)
        return render(error_msg(ex), lang) if ex is not None else result.error_text
    for ex in reversed(exchanges):
        if ex.error:
            return render(error_msg(ex), lang)
        if ex.status is not None and ex.status >= 400:
            return ex.text().strip()
    return None


def _http_status(result: CheckResult, exchanges: list[Exchange]) -> str | None:
    if result.http_status is not None:
        return str(result.http_status)
    for ex in reversed(exchanges):
        if ex.status is not None:
            return f"{ex.status} {ex.reason}".strip()
    return None


def request_ids(result: CheckResult, exchanges: list[Exchange]) -> list[str]:
    """Each request id once: gateways often send one value under two headers."""
    ids: list[str] = []
    values: set[str] = set()
    for rid in [*result.request_ids, *(i for ex in exchanges for i in ex.request_ids())]:
        value = rid.split(":", 1)[-1].strip()
        if value not in values:
            values.add(value)
            ids.append(rid)
    return ids


def balance_pair(report: Report) -> tuple[tuple[float, float, str], bool] | None:
    """((before, after, unit), raced) when the balance step read it on both sides."""
    res = report.by_id("balance")
    ev = res.evidence if res is not None else {}
    again = ev.get("read_again")
    if not isinstance(again, dict):
        return None
    before, after = ev.get("remaining"), again.get("remaining")
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return None
    return (float(before), float(after), str(ev.get("unit") or "")), bool(again.get("raced"))


def _when(iso: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def run_exchanges(report: Report, log: ExchangeLog) -> list[Exchange]:
    """The checks' exchanges of this run in ``log``, and those it sent but no step used.

    Requests are sent ahead (:mod:`tui.core.diagnosis.checks.overlap`): a skipped step's
    completion was sent all the same ("not needed: …") and counts for Charged.
    """
    start = _when(report.started_at)
    end = start + timedelta(milliseconds=report.duration_ms) if start else None
    steps = {c.id for c in report.checks}
    found = [ex for c in report.checks for ex in result_exchanges(c, log)]
    if start is not None and end is not None:
        for ex in log.all():
            unused = ex.step in steps and bool(UNUSED_NOTES & set(note_ids(ex)))
            when = _when(ex.started_at) if unused else None
            if when is not None and start <= when <= end:
                found.append(ex)
    return list({ex.id: ex for ex in found}.values())


def charge_for(report: Report, log: ExchangeLog) -> Charge:
    """The run's charge, decided from its completion exchanges and the balance pair."""
    unique = run_exchanges(report, log)
    pair = balance_pair(report)
    if pair is None:
        return charge_of(unique)
    return charge_of(unique, pair[0], raced=pair[1])


def charged_text(report: Report, lang: str = "en", log: ExchangeLog | None = None) -> str:
    """Whether the run cost money, and how that was decided.

    With ``log``, decided from the completion exchanges the checks made (usage,
    tokens received, refusals: :func:`tui.core.diagnosis.charge.charge_of`, the same rule
    the chat uses); without it, ``yes (Model; Streaming)`` / ``no`` / ``unknown``
    from the checks' ``charged`` flags.
    """
    if log is not None:
        return charge_text(charge_for(report, log), lang)
    charged = [msg(f"step.{c.id}") for c in report.checks if c.charged is True]
    if charged:
        said = text("core.summary.charged_steps", lang, steps=charged)
    elif any(c.charged is False for c in report.checks):
        said = label("no", lang)
    else:
        said = label("unknown", lang)
    pair = balance_pair(report)
    if pair is None:
        return said
    return text("core.summary.and_balance", lang, said=said, balance=balance_message(*pair))


def _paren(said: str, inner: str, lang: str) -> str:
    """``said (inner)`` with the language's parentheses."""
    return text("core.paren", lang, text=said, inner=inner)


def _exchange_line(ex: Exchange, lang: str) -> str:
    """``ex-0003 GET /v1/models → 401: 100 ms (connect 51 ms, ttfb 4 ms)`` in ``lang``."""
    phases = [
        text("core.summary.exchange.phase", lang, name=_phase(k, lang), took=format_ms(v))
        for k, v in ex.timings.items()
        if k != "total"
    ]
    listed = text("sep.items", lang).join(phases)
    return text(
        "core.summary.exchange.line",
        lang,
        id=ex.id,
        method=ex.method,
        path=ex.path,
        status=status_text(ex, lang),
        total=format_ms(ex.timings.get("total", ex.duration_ms)),
        phases=_paren("", listed, lang) if phases else "",
    )


def _phase(name: str, lang: str) -> str:
    return text(f"core.summary.phase.{name}", lang) if has(f"core.summary.phase.{name}") else name


def _tls_row(report: Report, lang: str) -> list[tuple[str, str]]:
    """How certificates were checked, when it is not the default (support asks first)."""
    t = report.target
    if t.insecure:
        return [("tls", label("tls_insecure", lang))]
    if t.ca_bundle:
        return [("tls", text("report.tls_ca_bundle", lang, path=t.ca_bundle))]
    return []


def check_rows(report: Report, lang: str = "en", detail_width: int = 160) -> list[list[str]]:
    """One row of cells per check: mark, title, status, code, time, detail.

    The detail is made terminal-safe here, before anyone measures it, so the
    visible escapes count in the column widths.
    """
    rows = []
    for c in report.checks:
        detail = truncate(" ".join(terminal_safe(detail_for(c, lang)).split()), detail_width)
        took = "" if c.status is Status.SKIP else format_ms(c.duration_ms)
        rows.append(
            [c.mark, check_title(c.id, lang), status_label(c.status, lang), c.code, took, detail]
        )
    return rows


def _since(report: Report, lang: str) -> str | None:
    """Issue 18's "since the last passing run" line, when the history compared this run."""
    from tui.core.history import comparison_for, since_message

    said = since_message(comparison_for(report), report.verdict)
    return render(said, lang) if said is not None else None


def support_summary(
    report: Report,
    check: str | CheckResult | None = None,
    lang: str = "en",
    log: ExchangeLog | None = None,
    now: datetime | None = None,
    trial: Any = None,
) -> str:
    """Plain text for a support ticket about ``report`` (masked, EN or ZH labels).

    ``trial`` (a :class:`~tui.core.trial.model.TrialRun`) adds the trial's capability table.

    ``check`` picks the step to describe (id or result); by default the first
    failed, else the first warned step. ``log`` adds request ids, status and
    phase timings from the recorded exchanges. ``now`` pins the timestamp.
    """
    t = report.target
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    focus = focus_check(report, check)
    exchanges = _exchanges(focus, log)
    rows: list[tuple[str, str]] = [
        ("tool", f"gateway-doctor {__version__}"),
        ("os", os_text()),
        ("time_utc", now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("time_local", now.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z (UTC%z)")),
        ("client", t.client_label or label("none", lang)),
        ("profile", t.profile or label("none", lang)),
        ("base_url", t.base_url or label("none", lang)),
        ("model", t.model or label("none", lang)),
        ("api_key", _key_shown(t.api_key, lang) if t.api_key else label("none", lang)),
        ("proxy", report.proxy_in_use or t.proxy or label("direct", lang)),
        *_tls_row(report, lang),
        ("started_at", report.started_at),
        (
            "verdict",
            _paren(status_label(report.verdict, lang), format_ms(report.duration_ms), lang),
        ),
    ]
    if focus is None:
        rows.append(("failing_step", label("all_passed", lang)))
    else:
        step = text(
            "core.summary.failing_step",
            lang,
            title=check_title(focus.id, lang),
            id=focus.id,
            code=focus.code,
            status=status_label(focus.status, lang),
        )
        rows.append(("failing_step", step))
        status = _http_status(focus, exchanges)
        if status:
            rows.append(("http_status", status))
        err = _error_text(focus, exchanges, lang)
        if err:
            err = " ".join(err.split())
            if len(err) > MAX_ERROR_CHARS:
                err = err[: MAX_ERROR_CHARS - 1] + "…"
            rows.append(("error", err))
        ids = request_ids(focus, exchanges)
        if ids:
            rows.append(("request_ids", "; ".join(ids)))
        from tui.core.models.hint import working_names  # lazy: models imports the checks

        working = working_names(focus.evidence)  # whole names, never cut (issue 17)
        if working:
            rows.append(("working_models", working))
    rows.append(("charged", charged_text(report, lang, log)))
    since = _since(report, lang)
    colon = text("core.colon", lang)
    width = max(cell_width(label(k, lang) + colon) for k, _ in rows)
    lines = [label("summary_title", lang), "=" * cell_width(label("summary_title", lang))]
    lines += [f"{pad(label(k, lang) + colon, width)} {v}" for k, v in rows]
    if focus is not None:
        took = format_ms(focus.duration_ms)
        lines += ["", text("core.summary.timings", lang, step=msg(f"step.{focus.id}"), took=took)]
        lines += [f"  {_exchange_line(ex, lang)}" for ex in exchanges]
    if since:
        lines += ["", since]
    if report.checks:
        lines += ["", label("checks", lang) + colon]
        lines += [f"  {row}" for row in columns(check_rows(report, lang))]
    if trial is not None:
        from tui.core.trial.table import rows as trial_rows

        lines += ["", text("trial.cli.capability", lang) + colon]
        lines += [f"  {row}" for row in columns(trial_rows(trial, lang))]
    lines += ["", label("never_share_key", lang)]
    secrets = (t.api_key,) if t.api_key else ()
    return terminal_safe(mask("\n".join(lines) + "\n", secrets))
