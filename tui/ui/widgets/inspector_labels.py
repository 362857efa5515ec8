"""Inspector UI strings in English and Simplified Chinese."""

from __future__ import annotations

from tui.core.i18n import translate

_T: dict[str, dict[str, str]] = {
    "col.time": {"en": "Time (UTC)", "zh-CN": "时间 (UTC)"},
    "col.method": {"en": "Method", "zh-CN": "方法"},
    "col.path": {"en": "Path", "zh-CN": "路径"},
    "col.status": {"en": "Status", "zh-CN": "状态"},
    "col.duration": {"en": "Duration", "zh-CN": "耗时"},
    "col.size": {"en": "Size", "zh-CN": "大小"},
    "col.step": {"en": "Step", "zh-CN": "步骤"},
    "filter.placeholder": {
        "en": "Filter: words in URL, step, status, error…  (/)",
        "zh-CN": "过滤：URL、步骤、状态、错误中的词…  (/)",
    },
    "filter.medium": {
        "en": "Filter: URL, step, status… (/)",
        "zh-CN": "过滤：URL、步骤、状态… (/)",
    },
    "filter.short": {"en": "Filter (/)", "zh-CN": "过滤 (/)"},
    "class.all": {"en": "All statuses", "zh-CN": "全部状态"},
    "class.problems": {"en": "Problems", "zh-CN": "有问题的"},
    "class.error": {"en": "Network error", "zh-CN": "网络错误"},
    "follow.on": {"en": "● follow", "zh-CN": "● 跟随最新"},
    "follow.off": {"en": "○ follow", "zh-CN": "○ 跟随最新"},
    "count": {"en": "{shown}/{total}", "zh-CN": "{shown}/{total}"},
    "empty": {
        "en": "No exchanges yet. Run the checks or send a chat message: every request shows up here, masked.",
        "zh-CN": "还没有请求记录。运行检查或发送对话消息后，每个请求都会显示在这里（已脱敏）。",
    },
    "pick": {
        "en": "Select an exchange in the list to see the raw request and response.",
        "zh-CN": "在列表中选择一条记录，查看原始请求与响应。",
    },
    "sec.request": {"en": "Request", "zh-CN": "请求"},
    "sec.response": {"en": "Response", "zh-CN": "响应"},
    "sec.sse": {"en": "SSE events ({n})", "zh-CN": "SSE 事件（{n} 个）"},
    "sec.timing": {"en": "Timing", "zh-CN": "耗时分解"},
    "no_response": {"en": "No response: the request failed.", "zh-CN": "没有响应：请求失败。"},
    "pending": {"en": "waiting…", "zh-CN": "等待中…"},
    "in_flight": {
        "en": "In flight: sent at {time} UTC, no answer yet. This view updates when it ends.",
        "zh-CN": "进行中：{time} (UTC) 已发送，尚未收到响应。结束后此处自动更新。",
    },
    "not_found": {
        "en": "Exchange {id} is not in this session's log.",
        "zh-CN": "本次会话记录中没有 {id}。",
    },
    "nothing": {
        "en": "Select an exchange first (nothing to export).",
        "zh-CN": "请先选择一条记录（没有可导出的内容）。",
    },
    "none_all": {"en": "No exchanges to save yet.", "zh-CN": "还没有可保存的请求记录。"},
    "copied": {
        "en": "curl command copied to the system clipboard (the key is read from $OPENAI_API_KEY). Also saved: {path}",
        "zh-CN": "已复制 curl 命令到系统剪贴板（密钥从 $OPENAI_API_KEY 读取）。同时保存到：{path}",
    },
    "copied_osc": {
        "en": "curl command sent to the terminal clipboard (OSC 52; some terminals ignore it). Also saved: {path}",
        "zh-CN": "已通过终端剪贴板（OSC 52，部分终端不支持）复制 curl 命令。同时保存到：{path}",
    },
    "copy_failed": {
        "en": "No clipboard is reachable here; the curl command was saved: {path}",
        "zh-CN": "此环境无法访问剪贴板；curl 命令已保存到：{path}",
    },
    "saved": {"en": "Saved {what}: {path}", "zh-CN": "已保存 {what}：{path}"},
    "save_failed": {
        "en": "Could not save {what}: {error}. Check that the state directory is writable (GATEWAY_DOCTOR_STATE_DIR).",
        "zh-CN": "无法保存 {what}：{error}。请检查状态目录是否可写（GATEWAY_DOCTOR_STATE_DIR）。",
    },
    "b.curl": {"en": "Copy curl", "zh-CN": "复制 curl"},
    "b.har": {"en": "Save HAR", "zh-CN": "保存 HAR"},
    "b.json": {"en": "Save JSON", "zh-CN": "保存 JSON"},
    "b.json_all": {"en": "JSON (all)", "zh-CN": "JSON（全部）"},
    "b.follow": {"en": "Follow", "zh-CN": "跟随"},
    "b.filter": {"en": "Filter", "zh-CN": "过滤"},
    "b.class": {"en": "Status class", "zh-CN": "状态类别"},
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The inspector string ``key`` in ``lang`` (English fallback), formatted."""
    return translate(_T, key, lang, **values)
