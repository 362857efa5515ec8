"""Simplified Chinese catalogue: same keys and shape as ``catalogue_en``.

A test asserts both catalogues cover every code and that this one is
actually written in Chinese.
"""

from __future__ import annotations

from tui.core import catalogue_zh_api as _api
from tui.core import catalogue_zh_reach as _reach

CHECK_TITLES: dict[str, str] = {
    "config": "配置",
    "network": "网络",
    "proxy": "代理",
    "auth": "鉴权",
    "balance": "余额",
    "model": "模型",
    "stream": "流式输出",
}

STATUS_LABELS: dict[str, str] = {
    "pending": "等待中",
    "running": "进行中",
    "pass": "通过",
    "warn": "警告",
    "fail": "失败",
    "skip": "跳过",
}

LABELS: dict[str, str] = {
    "summary_title": "gateway-doctor 支持排查摘要",
    "tool": "工具",
    "os": "操作系统",
    "time_utc": "时间（UTC）",
    "time_local": "时间（本地）",
    "client": "客户端",
    "profile": "配置档",
    "base_url": "Base URL",
    "model": "模型",
    "api_key": "API 密钥",
    "proxy": "代理",
    "verdict": "结论",
    "failing_step": "出错步骤",
    "error": "错误原文",
    "http_status": "HTTP 状态码",
    "request_ids": "请求 ID",
    "charged": "是否扣费",
    "timings": "耗时",
    "checks": "各项检查",
    "none": "（无）",
    "direct": "（无，直连）",
    "yes": "是",
    "no": "否",
    "unknown": "未知",
    "all_passed": "无，全部检查通过",
    "started_at": "开始时间",
    "duration": "总耗时",
    "why": "原因",
    "what_to_do": "处理步骤",
    "report_title": "gateway-doctor 诊断报告",
    "support_summary": "支持排查摘要",
    "results": "检查结果",
    "step": "步骤",
    "status": "状态",
    "code": "代码",
    "detail": "详情",
    "time": "耗时",
    "verdict_pass": "通过：全部检查通过",
    "verdict_warn": "通过，但有警告",
    "verdict_fail": "失败",
    "counts": "失败 {failed} 项，警告 {warned} 项，通过 {passed} 项，跳过 {skipped} 项",
    "tls": "TLS",
    "tls_insecure": "证书校验已关闭（--insecure）：任何证书都会被接受",
    "tls_ca_bundle": "CA 证书文件 {path}",
    "never_share_key": "不要把完整 API 密钥发给任何人，包括技术支持。",
}

UNKNOWN: tuple[str, str, tuple[str, ...]] = (
    "无法识别的结果 {code}",
    "gateway-doctor 报告了 {code}，当前版本的说明目录中没有这个代码。",
    (
        "查看详情和记录下来的请求/响应，找到错误原文。",
        "升级 gateway-doctor 后重新检查。",
        "问题仍在时，把支持排查摘要（其中不含完整密钥）发给技术支持。",
    ),
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {**_reach.CATALOGUE, **_api.CATALOGUE}

for _check in ("network", "proxy", "auth", "balance", "model", "stream"):
    CATALOGUE[f"{_check}.skipped"] = (
        f"未检查{CHECK_TITLES[_check]}",
        "这一步依赖前面某个失败的步骤（详情中写明是哪一步）。先解决那个问题最快：只有一个根本原因，而不是一连串报错。",
        (
            "先按上面失败步骤的建议处理，然后重新运行检查(控制台中按 `r`，或运行 `gateway-doctor check`)。",
        ),
    )
