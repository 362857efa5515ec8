"""The model matrix written out: a terminal table, JSON (the ``--json`` object) and CSV.

Gateway-supplied text (model ids, owners, error words) is made terminal-safe and
masked before it is laid out; CSV cells that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, CR) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.core.i18n.catalogue import Msg, join, render, text
from tui.core.i18n.width import cell_width, columns, truncate
from tui.core.models.catalog import ModelInfo
from tui.core.models.probe import ProbeResult, sort_results
from tui.core.safe.masking import mask
from tui.core.safe.terminal import one_line

__all__ = ["KeyRun", "csv_cell", "cut_words", "render_csv", "render_text", "result_json"]

#: SGR colours per status (only on a terminal, never with NO_COLOR).
_COLOURS = {"pass": "\x1b[32m", "warn": "\x1b[33m", "fail": "\x1b[31m", "skip": "\x1b[2m"}
_RESET = "\x1b[0m"
#: Widest model id / gateway words shown in the table (JSON and CSV keep them whole).
ID_CELLS = 48
SAID_CELLS = 72
#: Failures explained under the grid at most (the JSON has them all).
MAX_WHYS = 40


@dataclass(slots=True)
class KeyRun:
    """One key's probe: whose key (profile, masked key, fingerprint) and its results."""

    profile: str | None
    key: str
    key_id: str
    results: list[ProbeResult] = field(default_factory=list)


def _safe(value: object) -> str:
    """Masked, terminal-safe and on one line: a cell holding a line break or a tab
    would print a line of the gateway's choosing or push the columns after it."""
    return one_line(mask(str(value)))


def shown_id(model: str) -> str:
    """A model id as listed, made visible: control characters as pictures (one_line) and
    blanks at either end as ``␠`` (a listed `` gpt-4o`` is another name than ``gpt-4o``;
    trimming it on screen hid why the probe of that name failed)."""
    out = _safe(model)
    core = out.strip(" ")
    if core == out:
        return out
    lead = len(out) - len(out.lstrip(" "))
    trail = len(out) - len(out.rstrip(" "))
    return "\u2420" * lead + core + "\u2420" * trail


def skipped_line(skipped: dict[str, int] | None, lang: str) -> list[str]:
    """``N entries of the list were left out: …`` naming each reason (empty: none)."""
    if not skipped:
        return []
    from tui.core.models.catalog import MAX_ID, MAX_MODELS

    reasons = [
        text(f"models.skipped.{why}", lang, count=n, limit=MAX_ID, max=MAX_MODELS)
        for why, n in skipped.items()
    ]
    total = sum(skipped.values())
    one = "_one" if total == 1 else ""
    return [text(f"models.summary.skipped{one}", lang, count=total, reasons=join(reasons, lang))]


def cut_words(said: str, width: int) -> str:
    """``said`` in at most ``width`` cells, cut between words, keeping its end: a gateway
    sentence names the group or the reason last ("… under group default (distributor)"),
    so the middle goes, not a word halfway ("…under group defaul…")."""
    if cell_width(said) <= width:
        return said
    words = said.split()
    tail: list[str] = []
    while len(words) > 1 and cell_width(" ".join([words[-1], *tail])) <= width // 2:
        tail.insert(0, words.pop())
    head: list[str] = []
    budget = width - cell_width(" ".join(tail)) - (3 if tail else 2)
    for w in words:
        if cell_width(" ".join([*head, w])) > budget:
            break
        head.append(w)
    if not head:  # one long word: cut it, marked
        return truncate(said, width)
    return " ".join(head) + (" … " + " ".join(tail) if tail else " …")


def _price(m: ModelInfo | None, lang: str) -> str:
    if m is not None and m.price_per_request is not None:
        return text("models.cell.price_request", lang, price=f"{m.price_per_request:g}")
    if m is None or (m.price_in_per_mtok is None and m.price_out_per_mtok is None):
        return text("models.cell.none", lang)

    def g(v: float | None) -> str:
        return text("models.cell.none", lang) if v is None else f"{v:g}"

    return text(
        "models.cell.price",
        lang,
        price_in=g(m.price_in_per_mtok),
        price_out=g(m.price_out_per_mtok),
        currency=m.currency or "",
    ).strip()


def _ms(r: ProbeResult, lang: str) -> str:
    if r.latency_ms is None or r.status == "skip":
        return text("models.cell.none", lang)
    if r.retries:
        return text("models.cell.ms_retried", lang, ms=r.latency_ms, retries=r.retries)
    return text("models.cell.ms", lang, ms=r.latency_ms)


def _paint(cell: str, status: str, color: bool) -> str:
    return f"{_COLOURS[status]}{cell}{_RESET}" if color and status in _COLOURS else cell


def _list_rows(catalog: dict[str, ModelInfo], lang: str) -> list[str]:
    none = text("models.cell.none", lang)
    head = [text(f"models.head.{h}", lang) for h in ("model", "owner", "context", "price")]
    rows = [head]
    for m in catalog.values():
        rows.append(
            [
                truncate(shown_id(m.id), ID_CELLS),
                _safe(m.owner or none),
                str(m.context_length) if m.context_length else none,
                _price(m, lang),
            ]
        )
    return columns(rows)


def _probe_rows(
    run: KeyRun,
    catalog: dict[str, ModelInfo],
    lang: str,
    color: bool,
    stream: bool,
    width: int | None = None,
) -> list[str]:
    """The table; fitted to ``width`` (a terminal's columns): without the request ids
    (they are in --json) when it is too wide, then with the gateway's words under the
    table (whole, one model a line) rather than rows wrapping across lines."""
    if width is None:
        return _probe_table(run, catalog, lang, color, stream, ids=True, said=SAID_CELLS)
    for ids in (True, False):
        lines = _probe_table(run, catalog, lang, color, stream, ids=ids, said=SAID_CELLS)
        if max(cell_width(ln) for ln in _plain(lines)) <= width:
            return lines
    # still too wide: the gateway's words go under the table, one model a line, whole
    lines = _probe_table(run, catalog, lang, color, stream, ids=False, said=0)
    whys = [
        text(
            "models.summary.said", lang, model=shown_id(r.model), said=cut_words(_safe(r.said), 200)
        )
        for r in sort_results(run.results)
        if r.said and r.status in ("fail", "warn")
    ][:MAX_WHYS]
    return lines + (["", *whys] if whys else [])


def _plain(lines: list[str]) -> list[str]:
    for code in (*_COLOURS.values(), _RESET):
        lines = [ln.replace(code, "") for ln in lines]
    return lines


def _probe_table(
    run: KeyRun,
    catalog: dict[str, ModelInfo],
    lang: str,
    color: bool,
    stream: bool,
    *,
    ids: bool,
    said: int,
) -> list[str]:
    none = text("models.cell.none", lang)
    heads = ["status", "model", "code", "latency", *(["ttft"] if stream else [])]
    heads += ["context", "price", *(["request_id"] if ids else []), *(["said"] if said else [])]
    rows = [[text(f"models.head.{h}", lang) for h in heads]]
    statuses: list[str] = []
    for r in sort_results(run.results):
        cells = [
            text(f"models.status.{r.status}", lang),
            truncate(shown_id(r.model), ID_CELLS),
            _safe(r.code or none),
            _ms(r, lang),
        ]
        if stream:
            cells.append(text("models.cell.ms", lang, ms=r.ttft_ms) if r.ttft_ms else none)
        info = catalog.get(r.model)
        cells += [
            str(info.context_length) if info and info.context_length else none,
            _price(info, lang),
            *([truncate(_safe(r.request_id or none), 40)] if ids else []),
        ]
        if said:
            cells.append(cut_words(_safe(r.said), said) if r.said else "")
        rows.append(cells)
        statuses.append(r.status)
    if not ids:  # fitting a narrow terminal: no column that says nothing at all
        keep = [i for i, h in enumerate(heads)
                if h not in ("context", "price") or any(row[i] != none for row in rows[1:])]  # fmt: skip
        rows = [[row[i] for i in keep] for row in rows]
    lines = columns(rows)
    return [lines[0]] + [_paint(ln, s, color) for ln, s in zip(lines[1:], statuses, strict=True)]


def _grid_cell(r: ProbeResult | None, lang: str) -> str:
    if r is None or r.status == "skip":
        return text("models.cell.grid_skip", lang)
    if r.status == "pass":
        return text("models.cell.grid_ok", lang, ms=r.latency_ms or 0)
    which = "grid_busy" if r.status == "warn" else "grid_fail"
    return text(f"models.cell.{which}", lang, code=_safe(r.code or ""))


def _grid_rows(runs: Sequence[KeyRun], models: Sequence[str], lang: str) -> list[str]:
    heads = [text("models.head.model", lang)] + [r.key_id or "–" for r in runs]
    rows = [heads]
    by = [{r.model: r for r in run.results} for run in runs]
    order = sorted(
        models,
        key=lambda m: (
            -sum(1 for b in by if (b.get(m) and b[m].status == "pass")),
            m,
        ),
    )
    for m in order:
        rows.append([truncate(shown_id(m), ID_CELLS)] + [_grid_cell(b.get(m), lang) for b in by])
    out = columns(rows)
    out.append("")
    for run in runs:
        label = run.key_id or "–"
        out.append(
            text(
                "models.summary.grid_key",
                lang,
                label=label,
                profile=_safe(run.profile or ""),
                key=run.key,
            )
        )
    grid = "grid_one_model" if len(models) == 1 else "grid"
    out.append(text(f"models.summary.{grid}", lang, keys=len(runs), models=len(models)))
    # one red box per failure in a desktop client's health check: here, which code and why
    whys = [
        text("models.summary.why", lang, key_id=run.key_id, model=shown_id(r.model),
             code=_safe(r.code or ""), said=cut_words(_safe(r.said), SAID_CELLS))
        for run in runs for r in run.results if r.status in ("fail", "warn") and r.said
    ][:MAX_WHYS]  # fmt: skip
    if whys:
        out += ["", *whys]
    return out


def render_text(
    *,
    catalog: dict[str, ModelInfo],
    runs: Sequence[KeyRun],
    lang: str,
    url: str,
    sources: Sequence[str] = (),
    color: bool = False,
    stream: bool = False,
    price_note: Msg | None = None,
    width: int | None = None,
    skipped: dict[str, int] | None = None,
) -> str:
    """The terminal report: the list, one key's probe table, or the key × model grid.

    ``width``: the terminal's columns (None: not a terminal; the table is not fitted).

    ``price_note`` says which new-api group's prices are shown (and whether it is the key's)."""
    url = _safe(url)
    note = [render(price_note, lang)] if price_note is not None else []
    note += skipped_line(skipped, lang)
    if not runs:
        lines = _list_rows(catalog, lang)
        lines.append("")
        one = "_one" if len(catalog) == 1 else ""  # "1 models listed" read wrong
        if sources:
            lines.append(
                text(
                    f"models.summary.listed{one}",
                    lang,
                    count=len(catalog),
                    url=url,
                    sources=join(sources, lang),
                )
            )
        else:
            lines.append(
                text(f"models.summary.listed_no_price{one}", lang, count=len(catalog), url=url)
            )
        return "\n".join(lines + note)
    retried = [r for run in runs for r in run.results if r.status == "warn"]
    busy = (
        [text("models.summary.rate_limited", lang, retries=max(r.retries for r in retried))]
        if retried
        else []
    )
    if len(runs) > 1:
        models = list(dict.fromkeys(r.model for run in runs for r in run.results))
        return "\n".join(_grid_rows(runs, models, lang) + busy + note)
    run = runs[0]
    lines = _probe_rows(run, catalog, lang, color, stream, width)
    lines.append("")
    working = sum(1 for r in run.results if r.status == "pass")
    unprobed = sum(1 for r in run.results if r.status == "skip")
    # stopped (Ctrl-C): count what was probed, not the models never asked
    which = "probed_partial" if unprobed else "probed" if working else "none_work"
    if which == "probed" and len(run.results) == 1:
        which = "probed_one"  # "1 of 1 models work"
    said = text(
        f"models.summary.{which}",
        lang,
        working=working,
        total=len(run.results),
        probed=len(run.results) - unprobed,
        skipped=unprobed,
        key=run.key,
        key_id=run.key_id,
    )
    # the count last: it is the line read after the table (and after Ctrl-C, just above
    # the interruption)
    return "\n".join(lines + note + busy + [said])


def _step(r: ProbeResult) -> dict[str, Any]:
    out = r.to_json()
    out.pop("model")
    out.pop("exchange")
    return {
        "id": r.model,
        "status": r.status,
        "code": r.code,
        "elapsed_ms": r.latency_ms,
        **{k: v for k, v in out.items() if k not in ("status", "code", "latency_ms")},
    }


def result_json(
    *,
    catalog: dict[str, ModelInfo],
    runs: Sequence[KeyRun],
    url: str,
    sources: Sequence[str] = (),
    stream: bool = False,
    interrupted: bool = False,
    exit_code: int = 0,
    price_note: Msg | None = None,
    skipped: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The ``--json`` object (also what the history records): masked throughout."""
    out: dict[str, Any] = {
        "kind": "models",
        "base_url": url,
        "probed": bool(runs),
        "stream": stream,
        "interrupted": interrupted,
        "price_sources": list(sources),
        "price_note": price_note.to_json() if price_note is not None else None,
        "models": [m.to_json() for m in catalog.values()],
        # entries of /models left out, by reason (no_id, too_long, duplicate, over_limit)
        "skipped_entries": dict(skipped or {}),
        "exit_code": exit_code,
    }
    if runs:
        # Top level: every key × model, each step naming its key (key_id); "working"
        # counts those that work. keys[] has the same, per key. With --profiles the top
        # level used to repeat the first key's results beside keys[], as if they were all.
        out["steps_scope"] = "one_key" if len(runs) == 1 else "every_key_x_model"
        out["steps"] = [
            {**_step(r), "key_id": run.key_id} for run in runs for r in sort_results(run.results)
        ]
        out["working"] = sum(1 for run in runs for r in run.results if r.status == "pass")
        # for the run history: pass = every model works, warn = some do, fail = none
        probed = [r for run in runs for r in run.results if r.status != "skip"]
        works = sum(1 for r in probed if r.status == "pass")
        out["verdict"] = "pass" if probed and works == len(probed) else "warn" if works else "fail"
        out["keys"] = [
            {
                "profile": run.profile,
                "masked_key": run.key,
                "key_id": run.key_id,
                "working": sum(1 for r in run.results if r.status == "pass"),
                "steps": [_step(r) for r in sort_results(run.results)],
            }
            for run in runs
        ]
    return mask(out)


def csv_cell(value: object) -> str:
    """A CSV cell no spreadsheet runs as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def render_csv(*, catalog: dict[str, ModelInfo], runs: Sequence[KeyRun]) -> str:
    """One row per model (list) or per model and key (probe); masked, formula-safe."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    info_cols = ["owner", "context_length", "price_in_per_mtok", "price_out_per_mtok",
                 "price_per_request", "currency", "price_group"]  # fmt: skip
    if not runs:
        w.writerow(["model", *info_cols])
        for m in catalog.values():
            w.writerow([csv_cell(mask(v)) for v in (m.id, *(getattr(m, c) for c in info_cols))])
        return buf.getvalue()
    w.writerow(
        ["model", "profile", "key_id", "status", "code", "latency_ms", "ttft_ms", "request_id",
         "http_status", "retries", *info_cols, "said"]
    )  # fmt: skip
    for run in runs:
        for r in sort_results(run.results):
            info = catalog.get(r.model)
            row = [r.model, run.profile or "", run.key_id, r.status, r.code, r.latency_ms,
                   r.ttft_ms, r.request_id, r.http_status, r.retries]  # fmt: skip
            row += [getattr(info, c) if info else None for c in info_cols]
            row.append(_safe(r.said) if r.said else None)  # JSON has them as "said"
            w.writerow([csv_cell(mask(v)) for v in row])
    return buf.getvalue()
