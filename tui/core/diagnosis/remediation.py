"""The remediation catalogue: what each diagnosis code means and what to do.

Every code in :data:`tui.core.diagnosis.codes.VOCABULARY` has a title, a "why it
happens" paragraph and numbered, actionable steps, in English and Simplified
Chinese (the ``remedy.*`` and ``advice.*`` ids of the catalogues in
``tui/core/i18n/<lang>/``). The CLI, the console and the
reports all read remediation from here, so the advice is the same everywhere.

``python -m tui.core.diagnosis.remediation --markdown > docs/codes.md`` regenerates the
code reference; a test keeps that file current.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.core.diagnosis.codes import VOCABULARY
from tui.core.diagnosis.model import Status
from tui.core.diagnosis.remedy_fill import fill, with_target
from tui.core.diagnosis.tls_steps import steps_for
from tui.core.i18n import normalize_lang
from tui.core.i18n.catalogue import catalogue, lines, raw, text

__all__ = [
    "Remedy",
    "check_title",
    "code_markdown",
    "lang_key",
    "label",
    "remedy",
    "remedy_for",
    "status_label",
]


def advice_ids() -> list[str]:
    """Every intermediary advice id (``nginx.504`` …), in catalogue order."""
    return list(
        dict.fromkeys(
            k[7:-4] for k in catalogue("en") if k.startswith("advice.") and k.endswith(".why")
        )
    )


@dataclass(frozen=True, slots=True)
class Remedy:
    """How to fix one diagnosis code: a title, why it happens, numbered steps."""

    code: str
    title: str
    why: str
    steps: list[str]

    def numbered(self) -> list[str]:
        """The steps as ``1. …`` lines, ready to print."""
        return [f"{i}. {s}" for i, s in enumerate(self.steps, 1)]


def lang_key(lang: str | None) -> str:
    """``zh``, ``zh_CN.UTF-8`` … → ``zh-CN``; anything else → ``en``."""
    return normalize_lang(lang) or "en"


def remedy(code: str, lang: str = "en", evidence: Mapping[str, Any] | None = None) -> Remedy:
    """The catalogue entry for ``code`` in ``lang``; never raises.

    Commands in it name the gateway and proxy of ``evidence`` (``remedy_fill``).

    An unknown code (a newer engine, a typo in a script) gets a generic entry
    that names the code, so the user still sees useful next steps.
    """
    lang = lang_key(lang)
    if raw(f"remedy.{code}.title", lang) is None:
        return Remedy(
            code,
            text("remedy._unknown.title", lang, code=code),
            text("remedy._unknown.why", lang, code=code),
            list(lines("remedy._unknown.steps", lang, code=code)),
        )
    title = text(f"remedy.{code}.title", lang)
    why = text(f"remedy.{code}.why", lang)
    filled = [fill(s, evidence) for s in lines(f"remedy.{code}.steps", lang)]
    return Remedy(code, title, fill(why, evidence), steps_for(code, filled, evidence))


def advice_entry(advice: str, lang: str = "en") -> tuple[str, tuple[str, ...]] | None:
    """An intermediary's own ``(why, steps)`` for an advice id (``nginx.504`` → ``nginx``).

    ``*.buffered`` ids never fall back to the product's error advice.
    """
    lang = lang_key(lang)
    product, _, rest = advice.partition(".")
    for aid in (advice,) if rest == "buffered" else (advice, product):
        if raw(f"advice.{aid}.why", lang) is not None:
            return text(f"advice.{aid}.why", lang), lines(f"advice.{aid}.steps", lang)
    return None


def remedy_for(result: Any, lang: str = "en", target: Any = None) -> Remedy:
    """The remedy of a result: its code's entry, with the intermediary's own advice when the
    evidence names one (``evidence["advice"]``, set by the checks that identified it).
    Commands name the evidence's gateway and proxy, else ``target``'s (``remedy_fill``)."""
    from tui.core.models.hint import working_step  # lazy: models imports the checks

    filled = with_target(getattr(result, "evidence", None), target)
    r = remedy(result.code, lang, filled)
    ev = getattr(result, "evidence", None)
    advice = ev.get("advice") if isinstance(ev, dict) else None
    entry = advice_entry(advice, lang) if isinstance(advice, str) else None
    if entry is not None:
        r = Remedy(r.code, r.title, fill(entry[0], filled), [fill(s, filled) for s in entry[1]])
    working = working_step(ev if isinstance(ev, dict) else None, lang)  # issue 17: first step
    return r if working is None else Remedy(r.code, r.title, r.why, [working, *r.steps])


def check_title(check_id: str, lang: str = "en") -> str:
    """The human name of a check (``auth`` → "Authentication" / "鉴权")."""
    return text(f"step.{check_id}", lang_key(lang)) if raw(f"step.{check_id}", "en") else check_id


def status_label(status: Status | str, lang: str = "en") -> str:
    """A word for a status (``fail`` → "failed" / "失败")."""
    value = status.value if isinstance(status, Status) else str(status)
    return text(f"status.{value}", lang_key(lang)) if raw(f"status.{value}", "en") else value


def label(name: str, lang: str = "en") -> str:
    """A short UI/report label (``verdict``, ``why``, ``what_to_do`` …)."""
    return text(f"report.{name}", lang_key(lang)) if raw(f"report.{name}", "en") else name


def code_markdown() -> str:
    """The code reference (docs/codes.md): every code in both languages."""
    out = [
        "# Diagnosis codes / 诊断代码",  # not-ui-text: docs/codes.md heading
        "",
        "<!-- Generated by `python -m tui.core.diagnosis.remediation --markdown > docs/codes.md`;"  # not-ui-text: docs/codes.md heading
        " do not edit by hand. -->",
        "",
        "Every check reports exactly one of these codes (a stable contract that scripts"  # not-ui-text: docs/codes.md heading
        " parse). Each entry gives what it means and what to do, in English and"
        " Simplified Chinese.",
        "",
        "每个检查项只报告下列代码中的一个(脚本可稳定解析)。每条都给出含义和处理步骤,中英双语。",  # not-ui-text: docs/codes.md heading
        "",
    ]
    for check_id, subs in VOCABULARY.items():
        out += [
            f"## `{check_id}` — {check_title(check_id, 'en')} / {check_title(check_id, 'zh-CN')}",
            "",
        ]
        for sub in subs:
            code = f"{check_id}.{sub}"
            out += [f"### `{code}`", ""]
            for lang in ("en", "zh-CN"):
                r = remedy(code, lang)
                out += [f"**{r.title}**", "", r.why, ""]
                out += r.numbered()
                out.append("")
    out += _advice_markdown()
    return "\n".join(out).rstrip() + "\n"


def _advice_markdown() -> list[str]:
    """The intermediaries' own advice, shown instead of the generic text when one is named."""
    out = [
        "## Intermediaries' own advice / 中间层各自的处理办法",  # not-ui-text: docs/codes.md heading
        "",
        "When a response shows who wrote it (nginx, Cloudflare, Envoy …, from the `Server`"  # not-ui-text: docs/codes.md heading
        " header and the error page), `*.gateway_error` and `stream.buffered` show that"
        " product's advice (evidence `advice`) instead of the generic text above; so does"
        " `stream.buffered` through your own proxy when its product is known (`proxy.buffered`,"
        " `mitmproxy.buffered`), and `proxy.upstream_failed` when the proxy says its TLS check"
        " toward the gateway failed (`proxy.upstream_tls`).",
        "",
        "当响应能看出是谁写的（根据 `Server` 头和错误页面识别 nginx、Cloudflare、Envoy 等），"  # not-ui-text: docs/codes.md heading
        "`*.gateway_error` 和 `stream.buffered` 会改为显示该产品自己的处理办法（证据字段 `advice`）；"
        "经过你自己的代理且能认出代理产品时，`stream.buffered` 显示该代理的办法（`proxy.buffered`、"
        "`mitmproxy.buffered`），代理说它对网关的 TLS 校验失败时，`proxy.upstream_failed` 显示 "
        "`proxy.upstream_tls`。",
        "",
    ]
    for advice in advice_ids():
        out += [f"### `{advice}`", ""]
        for lang in ("en", "zh-CN"):
            why, steps = advice_entry(advice, lang) or ("", ())
            out += [fill(why), ""] + [f"{i}. {fill(s)}" for i, s in enumerate(steps, 1)] + [""]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``--markdown`` prints the code reference; ``CODE [--lang L]`` prints one entry."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--markdown"]:
        sys.stdout.write(code_markdown())
        return 0
    lang = "en"
    if "--lang" in args:
        i = args.index("--lang")
        lang = args[i + 1] if i + 1 < len(args) else "en"
        del args[i : i + 2]
    if len(args) != 1:
        sys.stderr.write(
            "usage: python -m tui.core.diagnosis.remediation --markdown | CODE [--lang en|zh-CN]\n"  # not-ui-text: developer tool usage
        )
        return 2
    r = remedy(args[0], lang)
    sys.stdout.write("\n".join([f"{r.code}: {r.title}", r.why, *r.numbered()]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
