"""Chinese text uses full-width punctuation (new-user walk, zh-CN).

The walk saw ASCII ``:`` ``,`` ``?`` and ``( )`` next to Chinese in the quick prompts,
the chat's token count ("(估算)"), the trial report ("✗ 中文: …"), brackets three deep
in a broken stream's detail and "毫秒" beside "ms". The scan below fails on any new
ASCII ``: , ? ! ( ) ;`` touching a CJK character in a zh-CN catalogue value, once what
is not prose is taken out: placeholders, `code`, URLs, HTML entities, quoted literals.
"""

from __future__ import annotations

import re

from tui.core.chat.quick_prompts import QUICK_PROMPTS
from tui.core.chat.transcript import format_stats
from tui.core.chat.types import ReplyStats
from tui.core.i18n.catalogue import catalogue, msg, render

#: CJK ideographs and the full-width punctuation that sits with them.
CJK = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
ASCII_NEXT_TO_CJK = re.compile(rf"(?<={CJK})[:,?!();]|[:,?!();](?={CJK})")

#: Spans that are not Chinese prose: their ASCII punctuation is right as it is.
NOT_PROSE = re.compile(
    r"`[^`]*`"  # code and commands
    r"|\{[^{}]*\}"  # placeholders
    r"|[a-z][a-z0-9+.-]*://[^\s，。；、）]*"  # URLs, also http://主机:端口 as an example
    r"|<用户名>:<密码>"  # the user:password part of a proxy URL, as an example
    r"|&[a-z]+;"  # HTML entities the escaped code shows (&lt; &amp;)
    r"|(?<=[，（]): 写成"  # the ':' character itself, "': 写成 %3A'"
    r"|Full \(strict\)"  # Cloudflare's own name of the SSL mode
)


def slips(value: str) -> list[str]:
    """ASCII punctuation touching Chinese in ``value``, outside what is not prose."""
    prose = NOT_PROSE.sub(" ", value)
    return [prose[max(0, m.start() - 8) : m.end() + 8] for m in ASCII_NEXT_TO_CJK.finditer(prose)]


def test_the_chinese_catalogue_has_no_ascii_punctuation_next_to_chinese() -> None:
    found = []
    for key, value in catalogue("zh-CN").items():
        for sentence in value if isinstance(value, tuple) else (value,):
            found += [(key, s) for s in slips(sentence)]
    assert not found, found


def test_the_scan_finds_a_planted_slip_and_passes_what_is_not_prose() -> None:
    assert len(slips("请用中文简单回答:什么是大语言模型?")) == 2
    assert slips("HTTPS(TLS)握手失败")
    assert slips("details.；剩余 {amount}") == []  # the gateway's own period, then ours
    assert slips("通常是 http://主机:端口；或 `curl -x {proxy} -v`") == []
    assert slips("变成了 &lt; 和 &amp;：网关") == []


def test_the_chinese_quick_prompts_use_full_width_punctuation() -> None:
    for qp in QUICK_PROMPTS:
        said = qp.text_for("zh-CN").split("```")[0]  # the code block is code
        assert not slips(said), (qp.id, said)
    chinese = next(qp for qp in QUICK_PROMPTS if qp.id == "chinese")
    assert chinese.text_for("en") == "请用中文简单回答：什么是大语言模型？"


def test_an_estimated_token_count_is_bracketed_in_the_language() -> None:
    stats = ReplyStats(
        model="m", total_ms=10.0, prompt_tokens=44, completion_tokens=781, estimated=True
    )
    assert "token ~44 → ~781（估算）" in format_stats(stats, "zh-CN")
    assert "tokens ~44 → ~781 (estimated)" in format_stats(stats, "en")


def test_a_broken_stream_detail_is_not_bracketed_three_deep() -> None:
    error = msg(
        "transport.protocol",
        said=msg("transport.quoted", text="peer closed (incomplete chunked read)"),
    )
    zh = render(msg("check.stream.broke", chunks=3, error=error), "zh-CN")
    assert zh == (
        "收到 3 个分块后连接出错，没有 finish_reason 也没有 [DONE]："
        "连接中断（peer closed (incomplete chunked read)）"
    )


def test_milliseconds_are_ms_in_chinese_as_everywhere_else() -> None:
    zh = catalogue("zh-CN")
    assert (
        render(msg("ui.d.busy.value", ms="101"), "zh-CN")
        == "含本程序自身繁忙的 101 ms；按 r 重新测量"
    )
    figures = [k for k, v in zh.items() if isinstance(v, str) and re.search(r"[\d}] ?毫秒", v)]
    assert not figures, figures


def test_a_failed_trial_stage_is_headed_with_the_language_colon() -> None:
    from tui.core.diagnosis.model import Status, Target
    from tui.core.trial.model import Settings, StageResult, TrialRun
    from tui.core.trial.table import render_text

    said = msg("trial.detail.chinese.changed", sample="你好")
    stage = StageResult("chinese", Status.FAIL, "trial.chinese.changed", message=said)
    run = TrialRun(
        Target(base_url="http://x/v1", model="m"), "", Settings(stages=("chinese",)), [stage]
    )
    assert "✗ 中文：模型没有一字不差地重复这句话：你好" in render_text(run, "zh-CN")
    assert "✗ Chinese: " in render_text(run, "en")
