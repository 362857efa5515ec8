"""Known gateways and providers, with a sensible default model each.

The wizard and ``profile add --preset`` start from one of these; ``custom``
means the user types the address. Base URLs include the API version segment
(``/v1`` or ALLTKN's ``/api/v1``), i.e. what an OpenAI SDK ``base_url`` wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tui.core.diagnosis.model import ALLTKN_BASE_URL
from tui.core.i18n.catalogue import text

__all__ = ["PRESETS", "Preset", "get_preset", "match_preset", "preset_ids"]


@dataclass(frozen=True, slots=True)
class Preset:
    """A starting point; its name and one line about it are in the catalogue
    (``setup.presets.<id>.title`` / ``.about``). ``label`` is the brand, for logs."""

    id: str
    label: str
    base_url: str
    default_model: str

    def title(self, lang: str = "en") -> str:
        """The name shown in the wizard and settings, in ``lang``."""
        return text(f"setup.presets.{self.id}.title", lang)

    def describe(self, lang: str = "en") -> str:
        """One line about the preset, in ``lang``."""
        return text(f"setup.presets.{self.id}.about", lang)


PRESETS: tuple[Preset, ...] = (
    Preset(
        "alltkn",
        "ALLTKN",
        ALLTKN_BASE_URL,
        "gpt-4o-mini",
    ),
    Preset("openai", "OpenAI", "https://api.openai.com/v1", "gpt-4o-mini"),
    Preset("openrouter", "OpenRouter", "https://openrouter.ai/api/v1", "openai/gpt-4o-mini"),
    Preset("deepseek", "DeepSeek", "https://api.deepseek.com/v1", "deepseek-chat"),
    Preset(
        "siliconflow", "SiliconFlow", "https://api.siliconflow.cn/v1", "Qwen/Qwen2.5-7B-Instruct"
    ),
    Preset("moonshot", "Moonshot", "https://api.moonshot.cn/v1", "moonshot-v1-8k"),
    Preset("litellm", "LiteLLM (local)", "http://127.0.0.1:4000/v1", "gpt-4o-mini"),
    Preset("custom", "Custom", "", ""),
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
