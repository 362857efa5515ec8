"""Help (``?`` / F1): what each step checks, what the marks mean, the keys."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.diagnosis.model import CHECK_IDS, STATUS_MARKS, Status
from tui.core.diagnosis.remediation import check_title, status_label
from tui.ui.labels import t

STEP_HELP = {
    "config": {
        "en": "Base URL, key and model are present and well-formed (no `/chat/completions` in the base URL, no stray spaces in the key).",
        "zh-CN": "Base URL、密钥和模型均已填写且格式正确（Base URL 不含 `/chat/completions`，密钥无多余空格）。",
    },
    "network": {
        "en": "The gateway's host resolves, accepts a connection and completes TLS within the timeout.",
        "zh-CN": "网关域名可解析、可连接，并在超时前完成 TLS 握手。",
    },
    "proxy": {
        "en": "Which proxy applies (flag, environment, profile, NO_PROXY) and whether it works.",
        "zh-CN": "实际使用哪个代理（参数、环境变量、配置档、NO_PROXY）以及代理是否可用。",
    },
    "auth": {
        "en": "`GET /models` with your key: is the key accepted and is this really an OpenAI-compatible API root?",
        "zh-CN": "用你的密钥请求 `GET /models`：密钥是否被接受，这是否真的是 OpenAI 兼容的 API 根地址？",
    },
    "balance": {
        "en": "Remaining credit or quota, where the gateway exposes it (new-api/one-api billing, OpenRouter key info).",
        "zh-CN": "剩余额度（若网关提供：new-api/one-api 账单接口、OpenRouter 密钥信息）。",
    },
    "model": {
        "en": "A tiny non-streamed chat completion with your model: does the gateway route it?",
        "zh-CN": "用你的模型发一个极小的非流式对话请求：网关能否正常路由？",
    },
    "stream": {
        "en": "A streamed chat completion: chunks arrive as they are produced, parse cleanly and end with `[DONE]`.",
        "zh-CN": "流式对话请求：数据块及时到达、可正确解析，并以 `[DONE]` 结束。",
    },
}

KEYS = {
    "en": [
        ("↑ ↓ / mouse", "select a step; a failed or warned step expands"),
        ("PgUp / PgDn", "scroll the selected step's remediation and summary"),
        ("r", "run every check again"),
        ("R", "re-run only the selected step"),
        ("c", "copy the support summary (clipboard, else terminal OSC 52; always saved to a file)"),
        ("e", "show the step's HTTP exchange in the inspector"),
        ("l / t", "switch language / toggle dark and light theme"),
        ("s", "demo only: switch the fault scenario"),
        ("1 / 2 / 3", "show the checks / chat / inspector pane (tabs below 120 columns)"),
        ("esc", "leave a text box (chat: stop a reply first), so these keys work again"),
        ("p", "profiles and settings: switch profile, edit it, store a key (hidden)"),
        ("k", "give an API key for this session only (not saved; works without a keyring)"),
        ("F2–F6", "chat: quick test prompts (short, long, Chinese, code, follow-up)"),
        ("z / F7", "maximise the focused pane; again, or Esc, restores it"),
        ("w", "first-run wizard (when nothing is configured)"),
        ("ctrl+p", "command palette"),
        ("q / ctrl+c", "quit at once"),
    ],
    "zh-CN": [
        ("↑ ↓ / 鼠标", "选择步骤；失败或警告的步骤会展开"),
        ("PgUp / PgDn", "滚动选中步骤的解决办法与摘要"),
        ("r", "重新运行全部检查"),
        ("R", "只重查选中的步骤"),
        ("c", "复制支持摘要（剪贴板，否则终端 OSC 52；始终另存为文件）"),
        ("e", "在检查器中查看该步骤的 HTTP 请求"),
        ("l / t", "切换语言 / 切换深浅主题"),
        ("s", "仅演示模式：切换故障场景"),
        ("1 / 2 / 3", "显示检查 / 对话 / 检查器面板（不足 120 列时为标签页）"),
        ("esc", "离开输入框（对话中先停止回复），以便使用上述按键"),
        ("p", "配置档与设置：切换、编辑配置档，保存密钥（隐藏输入）"),
        ("k", "输入只在本次会话使用的 API 密钥（不保存；没有密钥环也能用）"),
        ("F2–F6", "对话：快捷测试（短回复、长回复、中文、代码、追问）"),
        ("z / F7", "最大化当前面板；再按一次或按 Esc 还原"),
        ("w", "首次使用向导（未配置时）"),
        ("ctrl+p", "命令面板"),
        ("q / ctrl+c", "立即退出"),
    ],
}


_HEADINGS = {
    "steps": ("The steps", "检查步骤"),
    "marks": ("The marks", "状态标记"),
    "keys": ("Keys", "按键"),
}


def _heading(name: str, zh: bool) -> str:
    return _HEADINGS[name][1 if zh else 0]


def _marks(lang: str) -> list[tuple[str, str]]:
    marks = [
        (STATUS_MARKS[s], status_label(s, lang))
        for s in (Status.PASS, Status.WARN, Status.FAIL, Status.SKIP, Status.PENDING)
    ]
    return [*marks, ("⠋", "正在检查" if lang == "zh-CN" else "running")]


def _inline(text: str) -> Text:
    """``code`` spans of the step texts in bold (the rest plain, never markup)."""
    out = Text()
    for i, part in enumerate(text.split("`")):
        out.append(part, style="bold" if i % 2 else "")
    return out


def help_renderable(lang: str) -> Group:
    """The help page as one Rich renderable.

    The ``Markdown`` widget built a widget per paragraph and list item: about a
    second before the page showed (2.5 s at 160x45 under load). One Static with
    grids opens in a frame.
    """
    zh = lang == "zh-CN"
    parts: list[RenderableType] = [Text(t("help.title", lang), style="bold reverse")]

    def section(name: str, rows: list[tuple[Text, Text]]) -> None:
        parts.append(Text("\n" + _heading(name, zh), style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")  # a long run of Chinese is never cut
        for left, right in rows:
            grid.add_row(left, right)
        parts.append(grid)

    steps = []
    for cid in CHECK_IDS:
        line = Text(check_title(cid, lang), style="bold")
        line.append(" — ").append_text(_inline(STEP_HELP[cid]["zh-CN" if zh else "en"]))
        steps.append((Text("•"), line))
    section("steps", steps)
    section("marks", [(Text(m, style="bold"), Text(label)) for m, label in _marks(lang)])
    keys = KEYS["zh-CN" if zh else "en"]
    section("keys", [(Text(k, style="bold"), Text(what)) for k, what in keys])
    parts.append(Text("\n" + t("help.close", lang), style="italic"))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """A scrollable help page over the console.

    Opaque: a translucent modal re-tints every cell of the console under it on
    each frame (a tenth of a second at 160x45), for a page that covers it anyway
    (``HelpScreen`` in app.tcss).
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close"),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_renderable(self.lang), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
