"""The trial's support summary: what the Trial pane shows and ``c`` copies there.

It leads with the trial (its verdict, the failing stage, its code, what was seen, the
tokens and cost spent), then the capability table, then the checklist's own summary as
context, so a ticket about a failed trial never opens with "every check passed".
"""

from __future__ import annotations

from datetime import datetime

from tui.core.diagnosis.model import Report, Status
from tui.core.diagnosis.remediation import status_label
from tui.core.diagnosis.summary import support_summary
from tui.core.i18n.catalogue import text
from tui.core.i18n.units import format_ms
from tui.core.i18n.width import cell_width, columns, pad
from tui.core.net.exchange import ExchangeLog
from tui.core.safe.masking import mask
from tui.core.safe.terminal import terminal_safe
from tui.core.trial.budget import money, spent_cost
from tui.core.trial.model import StageResult, TrialRun, verdict_label
from tui.core.trial.table import detail, figures_text, rows, stage_title


def failing_stage(run: TrialRun) -> StageResult | None:
    """The first failed stage, else the first warned one (the note's order)."""
    for status in (Status.FAIL, Status.WARN):
        found = next((s for s in run.stages if s.status is status), None)
        if found is not None:
            return found
    return None


def trial_summary(
    run: TrialRun,
    report: Report | None,
    lang: str = "en",
    log: ExchangeLog | None = None,
    now: datetime | None = None,
) -> str:
    """Plain text for a support ticket about the trial (masked, EN or ZH)."""

    def lab(key: str) -> str:
        return text(f"trial.summary.{key}", lang)

    verdict = verdict_label(run, lang)
    if run.duration_ms:
        verdict = text("trial.summary.paren", lang, a=verdict, b=format_ms(run.duration_ms))
    pairs: list[tuple[str, str]] = [("verdict", verdict)]
    focus = failing_stage(run)
    if focus is None and run.waits_for:
        pairs.append(
            ("failing_stage", text("trial.summary.waits", lang, codes=", ".join(run.waits_for)))
        )
    elif focus is None:
        pairs.append(("failing_stage", lab("none")))
    else:
        stage = text(
            "trial.summary.stage", lang, stage=stage_title(focus.id, lang),
            status=status_label(focus.status, lang),
        )  # fmt: skip
        pairs += [("failing_stage", stage), ("code", focus.code), ("seen", detail(focus, lang))]
        figs = figures_text(focus, lang, width=200)
        if figs:
            pairs.append(("figures", figs))
    tin, tout = run.tokens()
    pairs.append(("tokens", text("trial.summary.tokens_v", lang, tokens_in=tin, tokens_out=tout)))
    cost = spent_cost(run.settings, tin, tout, run.answered())
    if cost is not None:
        pairs.append(("cost", f"{money(cost)} {run.settings.currency}"))
    colon = text("core.colon", lang)
    width = max(cell_width(lab(k) + colon) for k, _ in pairs)
    title = lab("title")
    lines = [title, "=" * cell_width(title)]
    lines += [f"{pad(lab(k) + colon, width)} {v}" for k, v in pairs]
    lines += ["", text("trial.cli.capability", lang) + colon]
    lines += [f"  {row}" for row in columns(rows(run, lang))]
    if report is not None:
        lines += ["", lab("checklist") + colon, ""]
        lines += support_summary(report, lang=lang, log=log, now=now).rstrip("\n").splitlines()
    secrets = (run.target.api_key,) if run.target.api_key else ()
    return terminal_safe(mask("\n".join(lines) + "\n", secrets))
