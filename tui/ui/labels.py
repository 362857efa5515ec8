"""Console UI strings in English and Simplified Chinese.

Check titles, status words and remediation text come from the catalogue
(``tui.core.remediation``); this table holds only what the console itself says.
"""

from __future__ import annotations

from tui.core.i18n import translate

_T: dict[str, dict[str, str]] = {
    # bindings (footer text and tooltips)
    "b.quit": {"en": "Quit", "zh-CN": "退出"},
    "b.quit.tip": {
        "en": "Quit now, cancelling requests in flight",
        "zh-CN": "立即退出并取消进行中的请求",
    },
    "b.run": {"en": "Run", "zh-CN": "全查"},
    "b.run.tip": {"en": "Run every check again", "zh-CN": "重新运行全部检查"},
    "b.step": {"en": "Step", "zh-CN": "单步"},
    "b.step.tip": {"en": "Run only the selected check again", "zh-CN": "只重新运行选中的检查"},
    "b.copy": {"en": "Copy", "zh-CN": "复制"},
    "b.copy.tip": {
        "en": "Copy the support summary of the selected (or first failed) step",
        "zh-CN": "复制选中步骤（或第一个失败步骤）的支持摘要",
    },
    "b.evidence": {"en": "Evidence", "zh-CN": "证据"},
    "b.evidence.tip": {
        "en": "Show the HTTP exchange behind this result in the inspector",
        "zh-CN": "在检查器中查看该结果对应的 HTTP 请求",
    },
    "b.lang": {"en": "中文", "zh-CN": "English"},
    "b.lang.tip": {"en": "Switch the language to Chinese", "zh-CN": "切换为英文界面"},
    "b.theme": {"en": "Theme", "zh-CN": "主题"},
    "b.theme.tip": {"en": "Toggle dark / light theme", "zh-CN": "切换深色 / 浅色主题"},
    "b.help": {"en": "Help", "zh-CN": "帮助"},
    "b.help.tip": {
        "en": "What each step checks and what the marks mean",
        "zh-CN": "各步骤与状态标记说明",
    },
    "b.scenario": {"en": "Scenario", "zh-CN": "场景"},
    "b.scenario.tip": {
        "en": "Switch the demo gateway's fault scenario",
        "zh-CN": "切换演示网关的故障场景",
    },
    "b.demo": {"en": "Demo", "zh-CN": "演示"},
    "b.key": {"en": "Key", "zh-CN": "密钥"},
    "b.key.tip": {
        "en": "Give an API key for this session (works without a keyring)",
        "zh-CN": "为本次会话提供 API 密钥（没有密钥环也可用）",
    },
    "b.settings": {"en": "Profiles", "zh-CN": "配置"},
    "b.settings.tip": {
        "en": "Profiles, keys and the request URL each client builds",
        "zh-CN": "配置、密钥以及各客户端构造的请求 URL",
    },
    "b.wizard": {"en": "Wizard", "zh-CN": "向导"},
    "b.wizard.tip": {"en": "First-run set-up wizard", "zh-CN": "首次设置向导"},
    "b.panes": {"en": "Panes", "zh-CN": "面板"},
    "b.quick": {"en": "Quick tests", "zh-CN": "快捷测试"},
    "b.demo.tip": {"en": "Start the built-in demo gateway", "zh-CN": "启动内置演示网关"},
    # tabs / panes
    "tab.checks": {"en": "Checks", "zh-CN": "检查"},
    "tab.chat": {"en": "Chat", "zh-CN": "对话"},
    "tab.inspector": {"en": "Inspector", "zh-CN": "检查器"},
    # target bar
    "t.profile": {"en": "profile", "zh-CN": "配置档"},
    "t.base_url": {"en": "base URL", "zh-CN": "Base URL"},
    "t.model": {"en": "model", "zh-CN": "模型"},
    "t.key": {"en": "key", "zh-CN": "密钥"},
    "t.proxy": {"en": "proxy", "zh-CN": "代理"},
    "t.none": {"en": "(none)", "zh-CN": "（无）"},
    "t.not_chosen": {
        "en": "(not chosen: w wizard, d demo)",
        "zh-CN": "（未选择：w 向导，d 演示）",
    },
    "t.default": {"en": "(default)", "zh-CN": "（默认）"},
    "t.demo": {"en": "demo: {scenario}", "zh-CN": "演示：{scenario}"},
    # step detail
    "d.seen": {"en": "What was seen", "zh-CN": "观察到的情况"},
    "d.code": {"en": "code", "zh-CN": "代码"},
    "d.http": {"en": "HTTP status", "zh-CN": "HTTP 状态"},
    "d.error": {"en": "error text", "zh-CN": "错误原文"},
    "d.detail": {"en": "result", "zh-CN": "结果"},
    "d.request_ids": {"en": "request ids", "zh-CN": "请求 ID"},
    "d.why": {"en": "Why it happens", "zh-CN": "原因"},
    "d.steps": {"en": "What to do", "zh-CN": "解决办法"},
    "d.summary": {"en": "Support summary", "zh-CN": "支持摘要"},
    "d.hint": {
        "en": "c copy summary · e evidence in inspector · R re-run this step",
        "zh-CN": "c 复制摘要 · e 在检查器中查看证据 · R 重查此步",
    },
    "d.pick": {
        "en": "Select a step (↑/↓ or mouse) to see what was found and how to fix it.",
        "zh-CN": "选择一个步骤（↑/↓ 或鼠标）查看检查结果和解决办法。",
    },
    "d.pending": {"en": "This step has not run yet.", "zh-CN": "此步骤尚未运行。"},
    "d.running": {"en": "Running…", "zh-CN": "正在检查…"},
    "d.ok": {"en": "Nothing to do for this step.", "zh-CN": "此步骤无需处理。"},
    # setup notice (nothing configured)
    "setup.title": {"en": "Nothing to diagnose yet", "zh-CN": "尚未配置要诊断的网关"},
    "setup.missing": {"en": "Missing: {what}.", "zh-CN": "缺少：{what}。"},
    "setup.base_url": {"en": "base URL", "zh-CN": "Base URL"},
    "setup.key": {"en": "API key", "zh-CN": "API 密钥"},
    "setup.how": {
        "en": (
            "Provide them in one of these ways, then press r:\n"
            "  • flags: gateway-doctor --base-url https://api.alltkn.com/api/v1\n"
            "    and the key in OPENAI_API_KEY (never on the command line)\n"
            "  • environment: OPENAI_BASE_URL and OPENAI_API_KEY\n"
            "  • a saved profile: gateway-doctor profile add (key kept in the OS keyring)\n"
            "  • the key for this session only: press k (works without a keyring)"
        ),
        "zh-CN": (
            "可用以下任一方式提供，然后按 r：\n"
            "  • 参数：gateway-doctor --base-url https://api.alltkn.com/api/v1\n"
            "    密钥放在环境变量 OPENAI_API_KEY（不要写在命令行上）\n"
            "  • 环境变量：OPENAI_BASE_URL 和 OPENAI_API_KEY\n"
            "  • 保存的配置档：gateway-doctor profile add（密钥存入系统钥匙串）\n"
            "  • 只在本次会话使用的密钥：按 k（没有钥匙串也可以）"
        ),
    },
    "setup.demo": {
        "en": "Or press d to try the built-in demo gateway (no key needed).",
        "zh-CN": "或按 d 试用内置演示网关（无需密钥）。",
    },
    "setup.wizard": {"en": "Press w for the setup wizard.", "zh-CN": "按 w 打开配置向导。"},
    "setup.problems": {"en": "Problems reading the configuration:", "zh-CN": "读取配置时的问题："},
    # notifications
    "n.copied.system": {
        "en": "Support summary copied to the clipboard and saved to {path}",
        "zh-CN": "支持摘要已复制到剪贴板，并保存到 {path}",
    },
    "n.copied.osc52": {
        "en": (
            "No system clipboard here: sent the summary to your terminal's clipboard "
            "(OSC 52; most terminals, also over SSH) and saved it to {path}"
        ),
        "zh-CN": "此处无系统剪贴板：已通过终端剪贴板（OSC 52，多数终端及 SSH 可用）发送摘要，并保存到 {path}",
    },
    "n.saved_only": {
        "en": "Could not reach any clipboard; the summary is saved to {path}",
        "zh-CN": "无法访问剪贴板；摘要已保存到 {path}",
    },
    "n.save_failed": {
        "en": "Could not save the summary to a file: {error}",
        "zh-CN": "无法将摘要保存到文件：{error}",
    },
    "n.nothing_to_copy": {
        "en": "Nothing to copy yet: run the checks first (r).",
        "zh-CN": "暂无可复制内容：请先运行检查（r）。",
    },
    "n.no_evidence": {
        "en": "This step made no HTTP request, so there is no exchange to show.",
        "zh-CN": "此步骤没有发出 HTTP 请求，没有可查看的记录。",
    },
    "n.engine_error": {
        "en": "The checks stopped unexpectedly: {error}",
        "zh-CN": "检查意外中止：{error}",
    },
    "n.not_demo": {
        "en": "Scenarios exist only in the demo: run gateway-doctor demo.",
        "zh-CN": "只有演示模式有场景：请运行 gateway-doctor demo。",
    },
    "n.scenario": {"en": "Demo scenario: {name}", "zh-CN": "演示场景：{name}"},
    "n.profile": {"en": "Profile: {name}", "zh-CN": "配置档：{name}"},
    "n.key_session": {
        "en": "Key in use for this session only: it is not saved.",
        "zh-CN": "密钥仅在本次会话中使用，不会保存。",
    },
    "n.not_configured": {
        "en": "Nothing is configured yet: see the Checks pane.",
        "zh-CN": "尚未配置：请查看“检查”面板。",
    },
    # chat notes
    "chat.models": {"en": "{n} models from /models:", "zh-CN": "/models 返回 {n} 个模型："},
    # help
    "help.title": {"en": "gateway-doctor — help", "zh-CN": "gateway-doctor 帮助"},
    "help.close": {"en": "Close (Esc)", "zh-CN": "关闭（Esc）"},
    "scenario.title": {"en": "Choose a demo scenario", "zh-CN": "选择演示场景"},
    "scenario.filter": {
        "en": "type to filter (name or symptom) · ↑/↓ · Enter picks",
        "zh-CN": "输入以筛选（名称或症状）· ↑/↓ · 回车选择",
    },
    # command palette
    "cmd.run": {"en": "Run all checks", "zh-CN": "重新运行全部检查"},
    "cmd.step": {"en": "Re-run step: {title}", "zh-CN": "只重查：{title}"},
    "cmd.copy": {"en": "Copy support summary", "zh-CN": "复制支持摘要"},
    "cmd.lang": {"en": "Switch language to 中文", "zh-CN": "切换语言为 English"},
    "cmd.theme": {"en": "Toggle dark / light theme", "zh-CN": "切换深色 / 浅色主题"},
    "cmd.profile": {"en": "Switch profile: {name}", "zh-CN": "切换配置档：{name}"},
    "cmd.scenario": {"en": "Switch demo scenario…", "zh-CN": "切换演示场景…"},
    "cmd.settings": {"en": "Open settings", "zh-CN": "打开设置"},
    "cmd.help": {"en": "Help: steps and marks", "zh-CN": "帮助：步骤与标记"},
    "cmd.evidence": {"en": "Show evidence in the inspector", "zh-CN": "在检查器中查看证据"},
    "cmd.zoom": {
        "en": "Maximise the focused pane / restore the layout",
        "zh-CN": "最大化当前面板 / 恢复布局",
    },
    "b.zoom": {"en": "Zoom", "zh-CN": "最大化"},
    "b.zoom.tip": {
        "en": "Maximise the focused pane (checks, chat or inspector): z, or F7 while typing; again or Esc restores it",
        "zh-CN": "最大化当前面板（检查、对话或检查器）：按 z，输入时按 F7；再按一次或按 Esc 恢复",
    },
    "cmd.search": {"en": "Search for commands…", "zh-CN": "搜索命令…"},
    "b.palette": {"en": "palette", "zh-CN": "命令"},
    # short footer labels, when the full ones do not fit (tui/ui/footer.py)
    "bs.curl": {"en": "curl", "zh-CN": "curl"},
    "bs.har": {"en": "HAR", "zh-CN": "HAR"},
    "bs.json": {"en": "JSON", "zh-CN": "JSON"},
    "bs.json_all": {"en": "All JSON", "zh-CN": "全部 JSON"},
    "bs.class": {"en": "Class", "zh-CN": "类别"},
    "bs.copy_summary": {"en": "Summary", "zh-CN": "摘要"},
    "b.palette.tip": {"en": "Open the command palette", "zh-CN": "打开命令面板"},
    # Textual's own palette commands, keyed by their English title
    "sys.Theme": {"en": "Theme", "zh-CN": "主题"},
    "sys.Theme.tip": {"en": "Change the current theme", "zh-CN": "更换配色主题"},
    "sys.Quit": {"en": "Quit", "zh-CN": "退出"},
    "sys.Quit.tip": {
        "en": "Quit the application as soon as possible",
        "zh-CN": "立即退出程序",
    },
    "sys.Keys": {"en": "Keys", "zh-CN": "按键"},
    "sys.Keys.tip": {
        "en": "Show or hide the keys of the focused widget",
        "zh-CN": "显示或隐藏当前控件的按键说明",
    },
    "sys.Maximize": {"en": "Maximize", "zh-CN": "最大化"},
    "sys.Maximize.tip": {"en": "Maximize the focused widget", "zh-CN": "最大化当前控件"},
    "sys.Minimize": {"en": "Minimize", "zh-CN": "还原"},
    "sys.Minimize.tip": {
        "en": "Minimize the widget and restore to normal size",
        "zh-CN": "还原控件到正常大小",
    },
    "sys.Screenshot": {"en": "Screenshot", "zh-CN": "截图"},
    "sys.Screenshot.tip": {
        "en": "Save an SVG 'screenshot' of the current screen",
        "zh-CN": "将当前界面保存为 SVG 截图",
    },
}


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """The UI string ``key`` in ``lang`` (English fallback), formatted with ``fmt``."""
    return translate(_T, key, lang, **fmt)


def keys() -> list[str]:
    """All string keys (a test checks each has both languages)."""
    return list(_T)


def has_label(key: str) -> bool:
    """Whether ``key`` is in the table."""
    return key in _T


def has_both(key: str) -> bool:
    return bool(_T[key].get("en")) and bool(_T[key].get("zh-CN"))
