"""Simplified Chinese one-line details, built from a result's code and evidence.

The checks write their detail in English next to the facts they measured.
Rather than duplicating every sentence inside the checks, the Chinese line is
composed here from the same facts (hosts, statuses, amounts, the gateway's own
error text, which stays verbatim). Codes without a template get the catalogue
title plus the HTTP status and error text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

from tui.core.diagnosis.checks.base import short_keep_tail
from tui.core.diagnosis.model import CheckResult, Status


def _opt(module: str, name: str, default: Callable[..., Any]) -> Callable[..., Any]:
    """A Chinese builder that may already be gone (issue 13 moves them to the catalogue)."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return default


buffered_by_proxy_zh = _opt(
    "tui.core.diagnosis.checks.proxy_identity", "buffered_by_proxy_zh", lambda ev: ""
)
proxy_detail_zh = _opt(
    "tui.core.diagnosis.checks.proxy_zh", "proxy_detail_zh", lambda code, ev: None
)
body_error_zh = _opt("tui.core.net.body_decode", "body_error_zh", lambda text: text)


def _fmt_ms(v: Any) -> str:
    try:
        return f"{float(v):.0f} ms"
    except (TypeError, ValueError):
        return "?"


def _amount(ev: dict[str, Any]) -> str:
    if ev.get("unlimited"):
        return "不限额"
    rem = ev.get("remaining")
    text = f"{rem:g} {ev.get('unit', '')}".strip() if isinstance(rem, int | float) else "?"
    if ev.get("family") == "litellm" and isinstance(ev.get("limit"), int | float):
        scope = "密钥" if ev.get("budget_scope") == "key" else "用户"
        reset = f"，{ev['budget_reset_at']} 重置" if ev.get("budget_reset_at") else ""
        text += f"（{scope}预算：已花费 {ev.get('used') or 0:g} / {ev['limit']:g}{reset}）"
    return text


def _facts(r: CheckResult) -> str:
    parts = []
    if r.http_status:
        parts.append(f"HTTP {r.http_status}")
    if r.error_text:
        parts.append(short_keep_tail(r.error_text, 160))
    return "：".join(parts)


#: A template that met a missing fact ("None", or "?" from _fmt_ms) is not shown:
#: the catalogue title with the facts we do have reads better than a hole.
_MISSING_FACT = re.compile(r"\bNone\b|(?<![\w/=&])\?(?![\w=])")


#: Notes of a passing stream whose buffering could not be judged (see checks/buffering.py).
_BUFFERING_NOTES = {
    "too_short": "回复太短，无法判断是否被缓冲",
    "too_fast": "回复来得太快，无法判断是否被缓冲",
    "too_busy": "本机当时太忙，无法判断是否被缓冲",
}


def _stream_notes(ev: dict[str, Any]) -> str:
    notes = [] if ev.get("done") else ["没有 [DONE]"]
    bf = ev.get("buffering") if isinstance(ev.get("buffering"), dict) else {}
    if bf.get("verdict") in _BUFFERING_NOTES:
        notes.append(_BUFFERING_NOTES[bf["verdict"]])
    return f"（{'；'.join(notes)}）" if notes else ""


def _which_limit_zh(ev: dict[str, Any]) -> str:
    if ev.get("family") == "litellm":
        return "部署、团队或用户的预算，而不是这个密钥自己的"
    return "令牌自己的额度而不是账户余额、分组额度，或单次预扣费超过了剩余额度"


def _via_zh(ev: dict[str, Any]) -> str:
    """``；响应经过了 nginx（Server: nginx/1.24.0）`` when the stream names its proxy."""
    seen = ev.get("intermediary") if isinstance(ev.get("intermediary"), dict) else None
    if not seen:
        return ""
    server = f"（Server: {seen['server']}）" if seen.get("server") else ""
    return f"；响应经过了 {seen.get('name')}{server}"


def _template(r: CheckResult) -> str | None:
    ev = r.evidence
    code = r.code
    if code.startswith("proxy.") and (found := proxy_detail_zh(code, ev)):
        return found
    http = ev.get("http") if isinstance(ev.get("http"), dict) else {}
    if code == "config.ok":
        base = (
            ev.get("base_url", {}).get("base_url", "")
            if isinstance(ev.get("base_url"), dict)
            else ""
        )
        english = str(ev.get("detail_en", r.detail) or "")
        key = re.search(r"· key (\S+)", english)  # the masked key, as the English line shows it
        tail = f" · 密钥 {key.group(1)}" if key else ""
        return f"{base} · 模型 {ev.get('model', '')}{tail}" if base else None
    if code == "network.ok":
        note = "（未带密钥访问；密钥在鉴权步骤检查）" if http.get("status") == 401 else ""
        # The same figure as the English line (the whole answer's time, not the first byte).
        took = re.search(
            r"reachable: HTTP \d+ in (\d+) ms", str(ev.get("detail_en", r.detail) or "")
        )
        ms = f"用时 {took.group(1)} ms" if took else f"首字节 {_fmt_ms(http.get('ttfb_ms'))}"
        return f"{ev.get('host')}:{ev.get('port')} 可以访问：HTTP {http.get('status')}，{ms}{note}"
    if code == "network.redirect":
        hops = ev.get("redirects") or []
        to = hops[0].get("location") if hops and isinstance(hops[0], dict) else "?"
        if ev.get("other_origin"):
            return (f"{ev.get('redirect_from')} 重定向到另一个地址 {ev.get('redirect_to')}：密钥没有发往该地址，"
                    f"检查到此为止；如果信任新地址，请把基础 URL 改为 {ev.get('suggested_base_url')}")  # fmt: skip
        if r.status is Status.FAIL:
            return f"重定向了 {max(len(hops) - 1, 1)} 次仍没有应答（重定向循环？）：{to}"
        eff = ev.get("effective_base_url") or to
        return (f"HTTP {r.http_status} 重定向到 {to}；多数客户端跟随重定向时会把 POST 变成 GET，"
                f"请直接使用基础 URL {eff}")  # fmt: skip
    if code == "network.dns_failed":
        return f"无法解析域名 {ev.get('host')}"
    if code in ("network.connect_refused", "network.connect_timeout"):
        how = "被拒绝" if code.endswith("refused") else "超时"
        return f"到 {ev.get('host')}:{ev.get('port')} 的 TCP 连接{how}"
    if code == "network.timeout":
        return "在超时时间内没有收到 HTTP 应答"
    if code == "proxy.none":
        return "没有适用的代理：直接连接"
    if code == "proxy.bypassed":
        return f"已配置代理（{ev.get('source')}），但 NO_PROXY 条目 {ev.get('no_proxy_match')!r} 让此网关直连"
    if code == "proxy.ok":
        tail = "" if ev.get("direct_works") else "；直连失败，此网络需要代理"
        return f"通过代理 {ev.get('proxy')} 网关应答正常{tail}"
    if code == "proxy.unreachable":
        tail = "；直连可用：请去掉代理设置" if ev.get("direct_works") else ""
        return f"无法连接代理 {ev.get('proxy')}{tail}"
    if code == "proxy.required":
        return (
            f"NO_PROXY 条目 {ev.get('no_proxy_match')!r} 让网关直连，但直连失败；通过代理可以访问"
        )
    if code == "auth.ok":
        if isinstance(ev.get("model_list_cut"), dict):
            cut_list_words_zh = _opt("tui.core.net.models_list", "cut_list_words_zh", str)

            return f"密钥有效；{cut_list_words_zh(ev['model_list_cut'])}，因此没有在列表里查找模型"
        if ev.get("chat_status") is not None:
            return f"此处没有 /models（HTTP {ev.get('models_status')}），但最小对话请求应答 HTTP {ev.get('chat_status')}：密钥有效"
        if r.error_text:
            return f"密钥可识别，但额度已用尽（{_facts(r)}）：见余额检查"
        return f"密钥有效；列出 {ev.get('model_count', 0)} 个模型"
    if code == "auth.wrong_endpoint":
        if ev.get("working_base_url"):
            return f"这里不是 API 地址（HTTP {r.http_status}）；可用的基础 URL 是 {ev['working_base_url']}"
        return "此基础 URL 下没有 OpenAI 兼容的 API，附近的地址也都不是"
    if code == "auth.not_openai_compatible":
        what = ev.get("content_type") or "非 JSON"
        if ev.get("json_depth"):
            what = f"JSON 嵌套了 {ev['json_depth']:,} 层，未解析"
        return f"应答 HTTP {r.http_status}，但不是 OpenAI 模型列表（{what}）：这多半是网页控制台地址，不是 API 地址"
    if code == "balance.ok":
        return f"剩余 {_amount(ev)}（{ev.get('family')}）"
    if code == "balance.low":
        if ev.get("completion_served"):
            return (f"余额接口显示剩余 {_amount(ev)}（{ev.get('family')}），但测试对话仍然成功："
                    "请在请求开始失败之前充值")  # fmt: skip
        return f"余额仅剩 {_amount(ev)}（{ev.get('family')}），低于 {ev.get('warn_below')} 的提醒线：用完后请求会失败"
    if code == "balance.insufficient":
        q = (ev.get("quota_errors") or [{}])[0]
        if q and ev.get("disagree"):
            step = q.get("step", "?")
            return (f"{step} 步骤因额度被拒（HTTP {q.get('http_status')}：{short_keep_tail(q.get('error_message'), 160)}），"
                    f"但余额接口显示还剩 {_amount(ev)}（{ev.get('family')}）：两者不一致，说明拒绝的原因是这个数字"
                    f"没有反映的限额（{_which_limit_zh(ev)}）")  # fmt: skip
        if q:
            step = q.get("step", "?")
            left = f"；剩余 {_amount(ev)}" if ev.get("family") else ""
            return f"额度不足：{step} 步骤收到 HTTP {q.get('http_status')}：{short_keep_tail(q.get('error_message'), 160)}{left}"
        return f"余额已用完（{_amount(ev)}）"
    if code == "balance.unknown":
        return "没有已知的余额接口应答（请在网关控制台查看余额）"
    if code == "balance.timeout":
        return "余额接口在超时时间内没有应答"
    if code == "model.ok":
        usage = ev.get("usage") or {}
        tokens = f"，{usage.get('total_tokens')} tokens" if usage.get("total_tokens") else ""
        return f"{ev.get('model')} 在 {_fmt_ms(ev.get('latency_ms'))} 内应答{tokens}"
    if code == "model.not_listed":
        near = f"（最接近的：{', '.join(ev['closest'])}）" if ev.get("closest") else ""
        why = "网关没有 /models 列表" if ev.get("listed") is None else "它不在 /models 列表中"
        return (f"{ev.get('model')} 可以应答，但{why}{near}：从 /models 读取模型列表的客户端"
                "（Chatbox、Cherry Studio）不会列出它，需要手动填写模型名称")  # fmt: skip
    if code == "model.not_found":
        near = f"；最接近的：{', '.join(ev['closest'])}" if ev.get("closest") else ""
        if not near:
            near = ("；模型列表里没有相近的名称" if ev.get("listed") is False
                    else "；网关没有提供可供对照的模型列表")  # fmt: skip
        return f"模型 {ev.get('model')} 不存在（{_facts(r)}）{near}"
    if code == "model.unavailable" and ev.get("listed_but_refused"):
        return (f"{ev.get('model')} 在 /models 列表中，但对话请求被拒绝（{_facts(r)}）：网关列出了它，"
                "却不能给这个密钥使用（密钥所在分组没有该模型的渠道，或列表已过时）")  # fmt: skip
    if code.endswith(".gateway_error") and isinstance(ev.get("intermediary"), dict):
        gateway_detail_zh = _opt(
            "tui.core.diagnosis.checks.intermediaries", "gateway_detail_zh", lambda ev, st: None
        )

        return gateway_detail_zh(ev, r.http_status or ev.get("http_status"))
    if code in ("network.tls_failed", "network.tls_unverified"):
        tls_detail = _opt("tui.core.net.tls_text", "tls_detail", lambda ev, lang: None)

        return tls_detail(ev, "zh-CN")
    if code.startswith("stream.") and isinstance(ev.get("flood"), dict):
        flood_detail_zh = _opt(
            "tui.core.diagnosis.checks.stream_flood", "flood_detail_zh", lambda fl: None
        )

        return flood_detail_zh(ev["flood"])
    if code == "stream.ok":
        return (f"{ev.get('content_chunks')} 个分块，首个 token 在 {_fmt_ms(ev.get('first_token_ms'))}，"
                f"finish_reason {ev.get('finish_reason')}{_stream_notes(ev)}")  # fmt: skip
    if code == "stream.buffered":
        bf = ev.get("buffering") if isinstance(ev.get("buffering"), dict) else {}
        return (f"全部 {ev.get('content_chunks')} 个分块在 {_fmt_ms(ev.get('first_token_ms'))} 的完全静默"
                f"（连角色分块和保活注释都没有）之后，于 {ev.get('spread_ms')} ms 内一次性到达；"
                f"真正的流式输出在 {_fmt_ms(bf.get('wait_needed_ms'))} 内就该全部送达："
                f"你和模型之间有代理缓冲了流式响应{buffered_by_proxy_zh(ev)}{_via_zh(ev)}")  # fmt: skip
    if code == "stream.interrupted":
        return f"收到 {ev.get('content_chunks')} 个分块后连接关闭，没有 finish_reason 或 [DONE]"
    if code == "stream.stalled":
        return f"收到 {ev.get('content_chunks')} 个分块后流式响应停滞，超时时间内没有新数据"
    if code == "stream.not_streamed":
        return (
            f"请求了流式输出，网关却返回了普通响应（{ev.get('content_type') or '无 Content-Type'}）"
        )
    if code == "stream.malformed":
        lines = ev.get("malformed_lines") or [""]
        return f"有不合法的 SSE 数据行：{str(lines[0])[:100]}"
    if code == "stream.garbled":
        return "文本到达时已损坏（无效的 UTF-8 / U+FFFD）"
    if code == "stream.error_event":
        err = ev.get("error_event") or {}
        msg = err.get("message") if isinstance(err, dict) else err
        return f"收到 {ev.get('content_chunks')} 个分块后，流中出现错误：{msg or _facts(r)}"
    return None


#: safe_json's note on a body nested too deep to read, where it is quoted as a fact.
_NESTED = re.compile(r"the JSON is nested ([\d,]+) levels deep \(not read\)")


def zh_detail(r: CheckResult) -> str:
    """The Chinese one-line detail for ``r`` (never raises)."""
    return body_error_zh(_NESTED.sub(r"JSON 嵌套了 \1 层（未解析）", _zh_detail(r)))


def _zh_detail(r: CheckResult) -> str:
    if r.status is Status.SKIP and r.code.endswith(".skipped"):
        roots = r.evidence.get("blocked_by") or []
        if r.evidence.get("quota_error"):
            return f"模型请求因余额或额度不足被拒绝（{_facts(r)}）：见余额检查"
        return f"等待 {', '.join(roots)}" if roots else "未运行（整体时间上限已到或被跳过）"
    try:
        text = _template(r)
    except Exception:  # noqa: BLE001 - a missing fact must not break a report
        text = None
    if text and not _MISSING_FACT.search(text):
        return text
    from tui.core.diagnosis.remediation import remedy

    title = remedy(r.code, "zh-CN").title
    facts = _facts(r)
    return f"{title}（{facts}）" if facts else title


def localize(r: CheckResult, lang: str) -> CheckResult:
    """Put the Chinese detail in place for ``zh-CN``; keep the English one in evidence."""
    if lang == "zh-CN" and r.detail and "detail_en" not in r.evidence:
        r.evidence["detail_en"] = r.detail
        r.detail = zh_detail(r)
    return r


def detail_for(r: CheckResult, lang: str) -> str:
    """The one-line detail in ``lang``, whatever language the run was made in.

    The console switches language live, so it asks for each detail at render time.
    """
    english = r.evidence.get("detail_en", r.detail) if isinstance(r.evidence, dict) else r.detail
    if lang == "zh-CN":
        return r.detail if "detail_en" in r.evidence else (zh_detail(r) if r.detail else "")
    return english or ""
