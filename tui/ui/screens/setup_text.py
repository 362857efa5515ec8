"""English and Simplified Chinese labels for the settings screen and the wizard."""

from __future__ import annotations

from tui.core.i18n import translate

TEXT: dict[str, dict[str, str]] = {
    "settings.title": {"en": "Settings — profiles and keys", "zh-CN": "设置 — 配置与密钥"},
    "profiles": {"en": "Profiles", "zh-CN": "配置"},
    "no_profiles": {"en": "(no profiles yet)", "zh-CN": "（还没有配置）"},
    "name": {"en": "Name", "zh-CN": "名称"},
    "preset": {"en": "Preset", "zh-CN": "预设"},
    "base_url": {"en": "Base URL", "zh-CN": "基础地址"},
    "model": {"en": "Model", "zh-CN": "模型"},
    "proxy": {"en": "Proxy", "zh-CN": "代理"},
    "ca_bundle": {"en": "CA bundle", "zh-CN": "CA 证书"},
    "client": {"en": "Client", "zh-CN": "客户端"},
    "api_key": {"en": "API key", "zh-CN": "API 密钥"},
    "key_placeholder": {
        "en": "paste to store a new key (hidden)",
        "zh-CN": "粘贴以保存新密钥（不显示）",
    },
    "key_stored": {"en": "Stored: {masked} in {where}", "zh-CN": "已保存：{masked}，位于 {where}"},
    "key_unavailable": {
        "en": "No OS keyring here ({reason}): a key typed here is used for this session only.",
        "zh-CN": "此处没有系统密钥环（{reason}）：在这里填写的密钥只在本次会话中使用。",
    },
    "key_none": {"en": "No key stored yet.", "zh-CN": "尚未保存密钥。"},
    "new": {"en": "New", "zh-CN": "新建"},
    "use": {"en": "Use", "zh-CN": "使用"},
    "delete": {"en": "Delete", "zh-CN": "删除"},
    "save": {"en": "Save", "zh-CN": "保存"},
    "close": {"en": "Close", "zh-CN": "关闭"},
    "saved": {"en": "Profile '{name}' saved.", "zh-CN": "已保存配置 '{name}'。"},
    "confirm_delete": {
        "en": "Press Delete again to remove '{name}' and its stored key.",
        "zh-CN": "再按一次删除，将移除 '{name}' 及其保存的密钥。",
    },
    "deleted": {"en": "Profile '{name}' deleted.", "zh-CN": "已删除配置 '{name}'。"},
    "now_active": {"en": "Active profile: {name}", "zh-CN": "当前配置：{name}"},
    "active_mark": {"en": "active", "zh-CN": "当前"},
    "preview": {
        "en": "Request URL each client builds from this address",
        "zh-CN": "各客户端用此地址构造的请求 URL",
    },
    "col.client": {"en": "Client", "zh-CN": "客户端"},
    "col.url": {"en": "Request URL", "zh-CN": "请求 URL"},
    "col.note": {"en": "Note", "zh-CN": "说明"},
    "ok": {"en": "ok", "zh-CN": "正常"},
    "key_session": {
        "en": "No keyring here: the key is used for this session only and is NOT saved. "
        "To keep it, put `export GATEWAY_DOCTOR_API_KEY=…` in your shell profile "
        "(~/.bashrc, ~/.zshrc; OPENAI_API_KEY works too, read second), or install a keyring backend: on a headless Linux box "
        "`pip install keyrings.alt`, which keeps keys in a file in your home directory "
        "(plain or lightly obfuscated, not encrypted by the system).",
        "zh-CN": "此处没有密钥环：密钥只在本次会话中使用，不会保存。若要保留，可以在 shell "
        "配置文件（~/.bashrc、~/.zshrc）中加入 `export GATEWAY_DOCTOR_API_KEY=…`"
        "（也可以用 OPENAI_API_KEY，前者优先），"
        "或者安装一个密钥环后端：无图形界面的 Linux 上可用 `pip install keyrings.alt`，"
        "它把密钥存放在主目录下的一个文件里（明文或简单混淆，并没有系统级加密）。",
    },
    "key_session_only": {
        "en": "Key NOT saved (no keyring here); '{name}' uses it for this session only.",
        "zh-CN": "密钥未保存（此处没有密钥环）；'{name}' 仅在本次会话中使用它。",
    },
    "unsaved": {
        "en": "Unsaved changes to '{name}': press Esc again to discard them, or Ctrl+S to save.",
        "zh-CN": "'{name}' 有未保存的修改：再按一次 Esc 放弃修改，或按 Ctrl+S 保存。",
    },
    "unsaved_switch": {
        "en": "Unsaved changes to '{name}': move to the other profile again to discard them, "
        "or Ctrl+S to save.",
        "zh-CN": "'{name}' 有未保存的修改：再次选择其他配置将放弃修改，或按 Ctrl+S 保存。",
    },
    "in_use": {
        "en": "Using '{name}' now (also the default next time).",
        "zh-CN": "现在使用 '{name}'（下次启动也默认使用它）。",
    },
    # k: key for this session
    "kp.title": {"en": "API key for this session", "zh-CN": "本次会话使用的 API 密钥"},
    "kp.for_profile": {
        "en": "Profile: {name}. Paste the key (hidden) and press Enter.",
        "zh-CN": "配置：{name}。粘贴密钥（不显示）后按回车。",
    },
    "kp.checking": {"en": "Looking for a keyring…", "zh-CN": "正在查找密钥环…"},
    "kp.keyring_here": {
        "en": "Used for this session only, not saved. To store it in the keyring ({where}), "
        "use Settings (p) or `gateway-doctor key set`.",
        "zh-CN": "仅在本次会话中使用，不会保存。若要存入密钥环（{where}），"
        "请在设置（p）中保存，或运行 `gateway-doctor key set`。",
    },
    "kp.use": {"en": "Use for this session", "zh-CN": "本次会话使用"},
    # wizard
    "wiz.title": {"en": "First-run set-up", "zh-CN": "首次设置"},
    "wiz.step1": {
        "en": "1/3  Which gateway? Pick a preset, or Custom and type its address.",
        "zh-CN": "1/3  使用哪个网关？选择预设，或选择自定义并填写地址。",
    },
    "wiz.step2": {
        "en": "2/3  Paste the API key (hidden; stored in the OS keyring where there is one).",
        "zh-CN": "2/3  粘贴 API 密钥（输入不显示；有系统密钥环时保存在其中）。",
    },
    "wiz.step3": {
        "en": "3/3  Pick the model (from the gateway's /models list, or type one).",
        "zh-CN": "3/3  选择模型（来自网关的 /models 列表，或手动填写）。",
    },
    "wiz.back": {"en": "Back", "zh-CN": "上一步"},
    "wiz.next": {"en": "Next", "zh-CN": "下一步"},
    "wiz.cancel": {"en": "Cancel", "zh-CN": "取消"},
    "wiz.finish": {"en": "Save and run checks", "zh-CN": "保存并开始检查"},
    "wiz.fetching": {"en": "Fetching {url} …", "zh-CN": "正在获取 {url} …"},
    "wiz.models_found": {
        "en": "{n} models offered by the gateway; pick one or type below.",
        "zh-CN": "网关提供 {n} 个模型；请选择或在下方填写。",
    },
    "wiz.models_failed": {
        "en": "Could not list models ({error}). Type the model name below; the checks will "
        "tell you more.",
        "zh-CN": "无法获取模型列表（{error}）。请在下方填写模型名，检查会给出更多信息。",
    },
    "wiz.need_url": {
        "en": "Enter the gateway's base URL (e.g. https://api.alltkn.com/api/v1).",
        "zh-CN": "请填写网关基础地址（如 https://api.alltkn.com/api/v1）。",
    },
    "wiz.need_key": {
        "en": "Paste the key, or leave empty to continue without one.",
        "zh-CN": "请粘贴密钥，或留空以在无密钥情况下继续。",
    },
    "wiz.need_model": {"en": "Pick or type a model name.", "zh-CN": "请选择或填写模型名。"},
}


def txt(key: str, lang: str, **kw: object) -> str:
    """The label ``key`` in ``lang`` (English fallback), formatted with ``kw``."""
    return translate(TEXT, key, lang, **kw)
