"""The trial's budget, judges and report pieces: units, and the support summary's table."""

from __future__ import annotations

import asyncio
import html

from tests.support.targets import target_for
from tui.core.diagnosis.summary import support_summary
from tui.core.i18n.catalogue import render
from tui.core.net.exchange import ExchangeLog
from tui.core.trial import prompts as p
from tui.core.trial.budget import estimate
from tui.core.trial.codes import STAGES
from tui.core.trial.model import Settings
from tui.core.trial.runner import run_trial
from tui.core.trial.table import render_markdown, render_text, to_dict


def test_budget_counts_requests_tokens_and_price():
    b = estimate(Settings())
    assert b.requests == 25 and b.cost is None
    assert b.tokens_in > 6 * 8000 and b.tokens_out > 2000
    priced = estimate(Settings(stages=("short",), price_in=1.0, price_out=2.0, currency="USD"))
    assert priced.requests == 1 and priced.cost == round((20 * 1.0 + 16 * 2.0) / 1e6, 6)
    assert estimate(Settings(stages=("batch",), batch=8)).requests == 8


def test_chinese_judge_names_each_damage():
    s = p.CHINESE_SENTENCE
    assert p.judge_chinese(s).what == "ok"
    assert p.judge_chinese(s.encode().decode("latin-1")).what == "mojibake"
    assert p.judge_chinese(s.replace("诊", "\ufffd")).what == "replacement"
    assert p.judge_chinese("好的").what == "changed"


def test_code_judge_names_each_damage():
    fenced = f"```js\n{p.CODE_SNIPPET}\n```"
    assert p.judge_code(fenced).what == "ok"
    assert p.judge_code(html.escape(fenced, quote=False)).what == "escaped"
    assert p.judge_code(p.CODE_SNIPPET).what == "fence_damaged"
    assert p.judge_code(fenced.replace("\t", "    ")).what == "changed"


def test_context_prompt_has_both_markers_and_about_the_size():
    text = p.context_prompt(8192)
    assert text.startswith(p.MARK_START) and p.MARK_END in text
    assert 7000 < len(text.split()) < 8192


def test_report_and_support_summary_carry_the_capability_table(demo_gateway):
    target = target_for(demo_gateway.scenario_url("trial_code_escaped"), timeout=5.0)
    settings = Settings(stages=("short", "code"))
    run, report = asyncio.run(run_trial(target, ExchangeLog(), settings, env={}))
    text = render_text(run, "en")
    assert "Capability table" in text and "trial.code.escaped" in text
    assert "Tokens spent:" in text and "Verdict: failed" in text
    md = render_markdown(run, "zh-CN")
    assert "| 阶段 | 状态 | 代码 | 测量数据 |" in md and "处理办法" in md
    data = to_dict(run, report)
    assert [s["id"] for s in data["steps"]] == ["short", "code"]
    assert data["steps"][1]["remediation"]["steps"]
    summary = support_summary(report, lang="en", trial=run)
    assert "Capability table:" in summary and "trial.code.escaped" in summary
    zh = support_summary(report, lang="zh-CN", trial=run)
    assert "能力表：" in zh
    assert "Capability table" not in support_summary(report, lang="en")


def test_stage_list_is_the_notes_order():
    assert STAGES[:2] == ("short", "stream") and STAGES[-1] == "recovery"


def test_a_cut_long_reply_names_its_cause():
    from tui.core.net.exchange import Exchange
    from tui.core.trial.stages import _cut_cause
    from tui.core.trial.talk import Reply

    def cut(ms: float, kind: str | None, last: float) -> str:
        ex = Exchange(id="e1", step="trial.long_reply", started_at="", method="POST", url="u")
        ex.duration_ms, ex.error_kind = ms, kind
        return _cut_cause(Reply(ex=ex, last_ms=last)).id

    assert cut(100_400.0, "remote_closed", 100_300.0) == "trial.cause.limit_100s"
    assert cut(40_000.0, "read_timeout", 10_000.0) == "trial.cause.idle"
    assert cut(3_000.0, "remote_closed", 2_990.0) == "trial.cause.closed"
    assert cut(150_000.0, "total_timeout", 149_990.0) == "trial.cause.our_limit"


def test_a_flood_of_unreadable_events_is_not_called_a_slow_model():
    from tui.core.net.exchange import Exchange, SseStats
    from tui.core.trial.stages import _cut_cause
    from tui.core.trial.talk import Reply

    ex = Exchange(id="e1", step="trial.long_reply", started_at="", method="POST", url="u")
    ex.duration_ms, ex.error_kind = 150_000.0, "total_timeout"
    ex.sse_stats = SseStats(events=90_000, data_events=90_000)
    cause = _cut_cause(Reply(ex=ex, last_ms=149_990.0))
    assert cause.id == "trial.cause.our_limit_unread"
    assert "90000" in render(cause, "en") and "not a slow model" in render(cause, "en")
    assert "不是模型慢" in render(cause, "zh-CN")


def test_a_negative_or_endless_retry_after_is_not_waited_as_zero():
    from tui.core.diagnosis.checks.classify import ErrorInfo
    from tui.core.net.exchange import Exchange
    from tui.core.trial.stages import retry_after
    from tui.core.trial.talk import Reply

    def after(raw: str | None) -> float | None:
        ex = Exchange(id="e1", step="trial.batch", started_at="", method="POST", url="u")
        info = ErrorInfo(kind="rate_limited", status=429, message="", retry_after=raw)
        return retry_after(Reply(ex=ex, info=info))

    assert after("2") == 2.0 and after("0") == 0.0
    assert after("-100") is None and after("nan") is None and after("inf") is None
    assert after("Wed, 21 Oct 2015 07:28:00 GMT") is None and after(None) is None


def test_every_trial_problem_names_a_rollback_step():
    """The integration note's rollback path: switch model, disable streaming, reduce
    context, rotate the credential, return to a known working setup."""
    from tui.core.diagnosis.remediation import remedy
    from tui.core.trial.codes import TRIAL_SUBS

    words = ("switch model", "disable streaming", "reduce context", "rotate the credential",
             "last working setup", "roll back", "lower max_tokens")  # fmt: skip
    zh = ("切换", "关闭流式输出", "减少上下文", "上下文减少", "更换密钥", "回退", "上一次可用")
    for sub in TRIAL_SUBS:
        if sub.endswith(".ok"):
            continue
        en_steps = " ".join(remedy(f"trial.{sub}", "en").steps).lower()
        zh_steps = " ".join(remedy(f"trial.{sub}", "zh-CN").steps)
        assert any(w in en_steps for w in words), sub
        assert any(w in zh_steps for w in zh), sub


def test_a_per_request_price_is_in_the_budget_and_the_cost(demo_gateway):
    """glm-4-flash in the demo's model_mix costs 0.002 USD a request (new-api quota_type
    1): the budget and the cost spent count it (issue 16 review)."""
    from tui.core.trial.budget import budget_lines, spent_cost, with_catalogue

    target = target_for(demo_gateway.scenario_url("model_mix"), timeout=5.0)
    target.model = "glm-4-flash"
    settings = asyncio.run(with_catalogue(target, ExchangeLog(), Settings(stages=("short",))))
    assert settings.price_per_request == 0.002 and settings.price_group == "default"
    assert estimate(settings).cost == 0.002
    lines = "\n".join(budget_lines(settings, "glm-4-flash", "en"))
    assert "0.0020 USD per request" in lines and "group default" in lines
    assert "每次请求 0.0020 USD" in "\n".join(budget_lines(settings, "glm-4-flash", "zh-CN"))
    run, _ = asyncio.run(run_trial(target, ExchangeLog(), settings, env={}))
    assert run.answered() == 1 and spent_cost(settings, *run.tokens(), run.answered()) == 0.002
    assert "Cost: about 0.0020 USD" in render_text(run, "en")
    assert to_dict(run)["cost"] == 0.002
