"""Renderers for a :class:`~tui.core.diagnosis.model.Report`: JSON, text and Markdown.

``report_to_dict`` is the ``check --json`` contract (issue 3); scripts parse
it, so its shape only grows. Every renderer passes its output through
:func:`~tui.core.safe.masking.mask` with the target's key as an explicit secret,
then makes it terminal-safe (:mod:`tui.core.safe.terminal`): a gateway's words may
hold escape sequences, and the text report and Markdown are printed as is.
"""

from __future__ import annotations

import json
import math
from typing import Any

from tui import __version__
from tui.core.diagnosis.charge import balance_text
from tui.core.diagnosis.evidence import result_exchanges
from tui.core.diagnosis.model import CHECK_IDS, CheckResult, Report, Status
from tui.core.diagnosis.remediation import check_title, label, remedy_for, status_label
from tui.core.diagnosis.report_lines import Line as _Line
from tui.core.diagnosis.report_lines import fit as _fit

# The support summary's own list of a step's request ids, so both name the same ids.
from tui.core.diagnosis.summary import (
    balance_pair,
    charge_for,
    charged_text,
    check_rows,
    request_ids,
    support_summary,
)
from tui.core.i18n.catalogue import render, text
from tui.core.i18n.units import format_ms
from tui.core.i18n.width import cell_width, columns
from tui.core.net.exchange import ExchangeLog
from tui.core.safe.masking import mask
from tui.core.safe.terminal import json_safe, terminal_safe

__all__ = ["charged_dict", "render_json", "render_markdown", "render_text", "report_to_dict"]

_ANSI = {
    Status.PASS: "\x1b[32m",
    Status.WARN: "\x1b[33m",
    Status.FAIL: "\x1b[31m",
    Status.SKIP: "\x1b[2m",
    Status.PENDING: "\x1b[2m",
    Status.RUNNING: "\x1b[36m",
}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def _secrets(report: Report) -> tuple[str, ...]:
    return (report.target.api_key,) if report.target.api_key else ()


def _title(c: CheckResult, lang: str) -> str:
    """The check's name in ``lang`` (the engine's title only for unknown ids)."""
    if c.id in CHECK_IDS:
        return check_title(c.id, lang)
    return c.title or c.id


def _jsonable(value: Any) -> Any:
    """Evidence made safe for ``json.dumps`` (unknown types become strings)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _steps(c: CheckResult, lang: str, report: Report | None = None) -> list[str]:
    if c.status in (Status.FAIL, Status.WARN):
        return remedy_for(c, lang, report.target if report else None).steps
    return []


def charged_dict(
    report: Report, lang: str = "en", log: ExchangeLog | None = None
) -> dict[str, Any]:
    """Whether the run cost money, how that was decided, and the balance before/after."""
    if log is not None:
        charge = charge_for(report, log)
        verdict, reason = charge.charged, charge.reason
    else:  # a saved report: the checks' own flags
        flags = {c.charged for c in report.checks}
        verdict = True if True in flags else (False if False in flags else None)
        reason = "checks"
    pair = balance_pair(report)
    balance = None
    if pair is not None:
        (before, after, unit), raced = pair
        balance = {
            "before": before,
            "after": after,
            "delta": round(after - before, 6),
            "unit": unit,
            "raced": raced,
            "text": balance_text(pair[0], raced, lang),
        }
    return {
        "charged": verdict,
        "reason": reason,
        "text": charged_text(report, lang, log),
        "balance": balance,
    }


def report_to_dict(
    report: Report, lang: str = "en", log: ExchangeLog | None = None
) -> dict[str, Any]:
    """The ``--json`` object: tool, target, timing, verdict, checks, support summary.

    ``remediation`` holds the catalogue steps for warned/failed checks, else ``[]``.
    """
    t = report.target
    data: dict[str, Any] = {
        "tool": {"name": "gateway-doctor", "version": __version__},
        "target": {
            "base_url": t.base_url,
            "model": t.model,
            "key": None,
            "proxy": report.proxy_in_use or t.proxy,
            "tls": {"verify": not t.insecure, "ca_bundle": t.ca_bundle},
        },
        "started_at": report.started_at,
        "duration_ms": round(float(report.duration_ms), 1),
        "verdict": report.verdict,
        "checks": [
            {
                "id": c.id,
                "status": c.status.value,
                "code": c.code,
                "title": _title(c, lang),
                "detail": c.detail,
                "message": _jsonable(c.message.to_json()) if c.message is not None else None,
                "duration_ms": round(float(c.duration_ms), 1),
                "evidence": _jsonable(c.evidence),
                "remediation": _steps(c, lang, report),
                "exchanges": list(c.exchanges),
            }
            for c in report.checks
        ],
        "charged": _jsonable(charged_dict(report, lang, log)),
        "support_summary": support_summary(report, lang=lang, log=log),
        "since_last_pass": _since_json(report),
    }
    data = mask(data, _secrets(report))
    # Set after masking: mask_key output is safe, and mask() would hide "(none)".
    data["target"]["key"] = t.masked_key if t.api_key else None
    return data


def _since_json(report: Report) -> dict[str, Any] | None:
    """What changed since the last passing run (issue 18), when the history compared."""
    from tui.core.history import comparison_for

    comparison = comparison_for(report)
    return comparison.to_json() if comparison is not None and comparison.base else None


def _since_line(report: Report, lang: str) -> str | None:
    from tui.core.history import comparison_for, since_message

    said = since_message(comparison_for(report), report.verdict)
    return render(said, lang) if said is not None else None


def render_json(
    report: Report, lang: str = "en", log: ExchangeLog | None = None, indent: int | None = 2
) -> str:
    """``report_to_dict`` as JSON text (UTF-8, Chinese kept readable).

    ``ensure_ascii=False`` leaves DEL, C1 and lone surrogates raw: ``json_safe``
    escapes or repairs them, so the text stays valid JSON and can be printed.
    """
    text = json.dumps(report_to_dict(report, lang, log), ensure_ascii=False, indent=indent)
    return json_safe(mask(text, _secrets(report)))


def _counts(report: Report, lang: str) -> str:
    n = {s: sum(1 for c in report.checks if c.status is s) for s in Status}
    return text(
        "report.counts",
        lang,
        failed=n[Status.FAIL],
        warned=n[Status.WARN],
        passed=n[Status.PASS],
        skipped=n[Status.SKIP],
    )


def _said(name: str, value: str, lang: str) -> str:
    """``Label: value`` with the language's colon."""
    return text("core.label_value", lang, label=label(name, lang), value=value)


def _key_shown(report: Report, lang: str) -> str:
    """The masked key with its fingerprint (issue 18: the id the history names it by)."""
    from tui.core.history.record import key_fingerprint

    t = report.target
    fingerprint = key_fingerprint(t.api_key)
    return (
        text("core.paren", lang, text=t.masked_key, inner=fingerprint)
        if fingerprint
        else t.masked_key
    )


def _header(report: Report, lang: str) -> list[list[str]]:
    """The header's lines, each as its ``Label: value`` items (shown three apart)."""
    t = report.target
    none = label("none", lang)
    lines = [
        [f"gateway-doctor {__version__}"],
        [
            _said("base_url", t.base_url or none, lang),
            _said("model", t.model or none, lang),
            _said("api_key", _key_shown(report, lang) if t.api_key else none, lang),
        ],
        [
            _said("proxy", report.proxy_in_use or t.proxy or label("direct", lang), lang),
            _said("started_at", report.started_at, lang),
            _said("duration", format_ms(report.duration_ms), lang),
        ],
    ]
    if t.insecure:
        lines.append([_said("tls", label("tls_insecure", lang), lang)])
    # base URL, model: typed or from a file
    return [[terminal_safe(item) for item in items] for items in lines]


#: Between the header's items.
_GAP = "   "
#: Where remediation lines start (under the row's title).
_INDENT = 5
#: A row's detail hangs under its column when that leaves this many cells, else it
#: goes on the lines under the row.
_DETAIL_MIN = 30


def _header_lines(report: Report, lang: str, width: int | None) -> list[_Line]:
    """The header, its items packed into as few lines of ``width`` as they fit in."""
    out = []
    for items in _header(report, lang):
        if width is None:
            out.append(_Line(_GAP.join(items)))
            continue
        packed = items[0]
        for item in items[1:]:
            if cell_width(packed + _GAP + item) <= width:
                packed += _GAP + item
            else:
                out.append(_Line(packed, hang=2))
                packed = item
        out.append(_Line(packed, hang=2))
    return out


def _row_lines(line: str, row: list[str], code: str, skip: bool, width: int | None
               ) -> list[_Line]:  # fmt: skip
    """A check's row (``line``, aligned, of the cells ``row``): on one line when it fits;
    else its detail hangs under the detail column, or, when that column leaves too
    little room, goes on the lines below (with the time, if the row is still too wide)."""
    mark, took, detail = row[0], row[-2], row[-1]

    def paint(text: str) -> tuple[tuple[int, int, str], ...]:
        return ((0, len(text) if skip else len(mark), code),)

    col = cell_width(line) - cell_width(detail)
    if width is None or cell_width(line) <= width:
        return [_Line(line, hang=_INDENT, paint=paint(line))]
    if detail and width - col >= _DETAIL_MIN:
        return [_Line(line, hang=col, paint=paint(line))]
    head, below = line[: len(line) - len(detail)].rstrip(), detail
    if cell_width(head) > width and took and head.endswith(took):  # "80 ms" kept whole
        head = head[: len(head) - len(took)].rstrip()
        below = f"{took}  {detail}" if detail else took
    lines = [_Line(head, hang=_INDENT, paint=paint(head))]
    if below:
        lines.append(_Line(below, _INDENT, _INDENT, ((0, len(below), code),) if skip else ()))
    return lines


def _step_hang(step: str) -> int:
    """A numbered step's wrapped lines start under its text, past ``1. ``."""
    number, space, _ = step.partition(" ")
    return _INDENT + cell_width(number + space) if number[:-1].isdigit() else _INDENT


def _request_lines(c: CheckResult, log: ExchangeLog | None, lang: str) -> list[_Line]:
    """A failed step's request ids (what support asks for), as the support summary finds
    them: the step's own, then its exchanges' ``*request-id`` / CF-RAY headers."""
    ids = request_ids(c, result_exchanges(c, log))
    if not ids:
        return []
    said = _said("request_ids", terminal_safe(text("sep.list", lang).join(ids)), lang)
    return [_Line(said, _INDENT, _INDENT)]


def render_text(
    report: Report,
    lang: str = "en",
    color: bool = False,
    width: int | None = None,
    log: ExchangeLog | None = None,
) -> str:
    """Readable, aligned text for a terminal; ANSI colour only when ``color``.

    ``width`` (a terminal's columns) wraps every longer line at that many cells,
    between words (Chinese between characters), its continuation lines indented as
    the line's text; without it lines are as long as they are (a pipe, a file).

    A failed step shows its request ids (from ``log`` too, when given), and a failed
    report ends saying how to get the support summary its remediation asks for.

    Content is made terminal-safe before it is aligned and coloured (the
    header here, the rows in ``check_rows``); the last pass keeps only our
    own colour codes.
    """
    lines = [*_header_lines(report, lang, width), _Line("")]
    rows = check_rows(report, lang, detail_width=200)
    with_ids = False
    for c, (line, row) in zip(report.checks, zip(columns(rows), rows, strict=True), strict=True):
        colour = _ANSI.get(c.status, "")
        lines += _row_lines(line, row, colour, c.status is Status.SKIP, width)
        if c.status is Status.FAIL:
            ids = _request_lines(c, log, lang)
            lines, with_ids = lines + ids, with_ids or bool(ids)
        if c.status in (Status.FAIL, Status.WARN):
            r = remedy_for(c, lang, report.target)
            lines.append(_Line(r.title, _INDENT, _INDENT, ((0, len(r.title), _BOLD),)))
            lines.append(_Line(_said("why", r.why, lang), _INDENT, _INDENT))
            lines += [_Line(s, _INDENT, _step_hang(s)) for s in r.numbered()]
    pair = balance_pair(report)
    if pair is not None:
        lines += [_Line(""), _Line(_said("charged", balance_text(*pair, lang), lang), hang=2)]
    verdict = label(f"verdict_{report.verdict}", lang)
    mark = {"pass": Status.PASS, "warn": Status.WARN, "fail": Status.FAIL}[report.verdict]
    said = _said("verdict", text("core.paren", lang, text="\0", inner=_counts(report, lang)), lang)
    at = said.index("\0")
    lines += [
        _Line(""),
        _Line(
            said.replace("\0", verdict, 1),
            hang=2,
            paint=((at, at + len(verdict), _BOLD + _ANSI[mark]),),
        ),
    ]
    since = _since_line(report, lang)
    if since:
        lines.append(_Line(since, hang=2))
    if report.verdict == "fail":
        hint = "report.support_hint_ids" if with_ids else "report.support_hint"
        lines.append(_Line(text(hint, lang), hang=2))
    secrets = _secrets(report)
    out = [piece for line in lines for piece in _fit(line, width, color, secrets)]
    return terminal_safe(mask("\n".join(out) + "\n", secrets), keep_sgr=color)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or " "


def _fence(text: str) -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return ticks


def render_markdown(report: Report, lang: str = "en", log: ExchangeLog | None = None) -> str:
    """A ticket-ready Markdown report: verdict, support summary block, result table, fixes."""
    summary = support_summary(report, lang=lang, log=log)
    fence = _fence(summary)
    verdict = label(f"verdict_{report.verdict}", lang)
    out = [
        f"# {label('report_title', lang)}",
        "",
        f"**{label('verdict', lang)}{text('core.colon', lang)}** "
        + text("core.paren", lang, text=verdict, inner=_counts(report, lang)),
        "",
        f"## {label('results', lang)}",
        "",
        f"| | {label('step', lang)} | {label('status', lang)} | {label('code', lang)} "
        f"| {label('time', lang)} | {label('detail', lang)} |",
        "|---|---|---|---|---:|---|",
    ]
    for c in report.checks:
        took = "" if c.status is Status.SKIP else format_ms(c.duration_ms)
        out.append(
            f"| {c.mark} | {_cell(_title(c, lang))} | {_cell(status_label(c.status, lang))} "
            f"| `{c.code}` | {_cell(took)} | {_cell(c.detail)} |"
        )
    since = _since_line(report, lang)
    if since:
        out += ["", _cell(since)]
    problems = [c for c in report.checks if c.status in (Status.FAIL, Status.WARN)]
    if problems:
        out += ["", f"## {label('what_to_do', lang)}"]
        for c in problems:
            r = remedy_for(c, lang, report.target)
            code = text("core.label_value", lang, label=f"`{c.code}`", value=r.title)
            head = "### " + text("core.label_value", lang, label=_cell(_title(c, lang)), value=code)
            out += ["", head, "", r.why, ""]
            out += r.numbered()
    out += ["", f"## {label('support_summary', lang)}", "", f"{fence}text", summary.rstrip()]
    out += [fence, ""]
    return terminal_safe(mask("\n".join(out), _secrets(report)))
