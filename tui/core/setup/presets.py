"""Known gateways and providers, with a sensible default model each.

The wizard and ``profile add --preset`` start from one of these; ``custom``
means the user types the address. Base URLs include the API version segment
(``/v1`` or ALLTKN's ``/api/v1``), i.e. what an OpenAI SDK ``base_url`` wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tui.core.diagnosis.model import ALLTKN_BASE_URL
from tui.core.i18n import pick

__all__ = ["PRESETS", "Preset", "get_preset", "match_preset", "preset_ids"]


@dataclass(frozen=True, slots=True)
class Preset:
    id: str
    label: str
    base_url: str
    default_model: str
    note: dict[str, str]

    def describe(self, lang: str = "en") -> str:
        return pick(self.note, lang)


PRESETS: tuple[Preset, ...] = (
    Preset(
        "alltkn",
        "ALLTKN",
        ALLTKN_BASE_URL,
        "gpt-4o-mini",
        {
            "en": "Unified AI API gateway; keys start with sk-.",
            "zh-CN": "统一 AI API 网关；密钥以 sk- 开头。",
        },
    ),
    Preset(
        "openai",
        "OpenAI",
        "https://api.openai.com/v1",
        "gpt-4o-mini",
        {"en": "The official OpenAI API.", "zh-CN": "OpenAI 官方 API。"},
    ),
    Preset(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        "openai/gpt-4o-mini",
        {
            "en": "Model names carry a vendor prefix (openai/..., anthropic/...).",
            "zh-CN": "模型名带厂商前缀（openai/...、anthropic/...）。",
        },
    ),
    Preset(
        "deepseek",
        "DeepSeek",
        "https://api.deepseek.com/v1",
        "deepseek-chat",
        {"en": "DeepSeek's OpenAI-compatible API.", "zh-CN": "DeepSeek 的 OpenAI 兼容 API。"},
    ),
    Preset(
        "siliconflow",
        "SiliconFlow",
        "https://api.siliconflow.cn/v1",
        "Qwen/Qwen2.5-7B-Instruct",
        {"en": "SiliconFlow (硅基流动).", "zh-CN": "硅基流动 SiliconFlow。"},
    ),
    Preset(
        "moonshot",
        "Moonshot",
        "https://api.moonshot.cn/v1",
        "moonshot-v1-8k",
        {"en": "Moonshot AI (Kimi).", "zh-CN": "月之暗面 Moonshot（Kimi）。"},
    ),
    Preset(
        "litellm",
        "LiteLLM (local)",
        "http://127.0.0.1:4000/v1",
        "gpt-4o-mini",
        {
            "en": "A LiteLLM proxy on this machine (default port 4000).",
            "zh-CN": "本机上的 LiteLLM 代理（默认端口 4000）。",
        },
    ),
    Preset(
        "custom",
        "Custom",
        "",
        "",
        {
            "en": "Any OpenAI-compatible gateway (new-api, one-api...): type its address.",
            "zh-CN": "任意 OpenAI 兼容网关（new-api、one-api 等）：请填写地址。",
        },
    ),
)


def preset_ids() -> list[str]:
    return [p.id for p in PRESETS]


def get_preset(preset_id: str) -> Preset | None:
    """The preset with this id (case-insensitive), else None."""
    wanted = (preset_id or "").strip().lower()
    for p in PRESETS:
        if p.id == wanted:
            return p
    return None


def match_preset(base_url: str) -> Preset | None:
    """The preset whose host matches ``base_url`` (to suggest a default model)."""
    host = urlsplit((base_url or "").strip()).netloc.lower()
    if not host:
        return None
    for p in PRESETS:
        if p.base_url and urlsplit(p.base_url).netloc.lower() == host:
            return p
    return None
