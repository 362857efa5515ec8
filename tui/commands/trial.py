"""``gateway-doctor trial``: the roll-out trial headless (issue 16).

The same target flags and key sources as ``check``. Before anything is sent it says
what the trial will use at most (requests, tokens, the price where the gateway
publishes one) and asks to go on; ``--yes`` for scripts (without it and without a
terminal: exit 2). Exit codes: 0 every stage passed or warned, 1 a stage failed (or
the checklist did, and the trial waited), 2 a usage error, 130 interrupted (Ctrl-C):
what was measured is printed first. On a terminal, a line per finished stage goes to
stderr while it runs (nothing when stderr is not a terminal, nor with ``--json``).
Must not import textual.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from typing import Any

from tui.commands import check as chk
from tui.core.i18n.catalogue import text

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
CONTEXT_RANGE = (256, 2_000_000)
BATCH_RANGE = (1, 32)


def add_arguments(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    from tui.core.trial.codes import STAGES
    from tui.core.trial.model import DEFAULT_BATCH, DEFAULT_CONTEXT

    chk.add_arguments(parser, lang)

    def h(part: str, **params: object) -> str:
        return text(f"trial.opt.{part}", lang, **params)

    parser.add_argument("--yes", "-y", action="store_true", help=h("yes"))
    parser.add_argument("--stages", metavar="A,B", help=h("stages", stages=", ".join(STAGES)))
    parser.add_argument("--context", metavar="N", help=h("context", default=DEFAULT_CONTEXT))
    parser.add_argument("--batch", metavar="N", help=h("batch", default=DEFAULT_BATCH))


def _say(message: str, lang: str) -> None:
    """One masked, terminal-safe line on stderr, named for this command."""
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe

    sys.stderr.write(terminal_safe(mask(text("trial.cli.line", lang, message=message))) + "\n")


def _usage_error(lang: str, msg_id: str, **params: object) -> int:
    _say(text(msg_id, lang, **params), lang)
    return EXIT_USAGE


def _number(raw: str | None, flag: str, bounds: tuple[int, int], default: int) -> int | None:
    if raw is None:
        return default
    value = raw.strip().lower().replace("_", "").replace(",", "")
    mult = 1024 if value.endswith("k") else 1  # 1k = 1024 tokens, as the default 8192 is 8k
    try:
        n = int(value[:-1] if mult > 1 else value) * mult
    except ValueError:
        return None
    return n if bounds[0] <= n <= bounds[1] else None


def _settings(args: argparse.Namespace, lang: str) -> tuple[object | None, int]:
    """The trial's settings from the flags, or a usage error already said (exit 2)."""
    from tui.core.trial.codes import STAGES
    from tui.core.trial.model import DEFAULT_BATCH, DEFAULT_CONTEXT, Settings

    stages = STAGES
    if args.stages is not None:
        names = [s.strip().replace("-", "_") for s in args.stages.split(",") if s.strip()]
        unknown = [s for s in names if s not in STAGES]
        if not names:
            _usage_error(lang, "trial.cli.empty_stages", stages=", ".join(STAGES))
            return None, EXIT_USAGE
        if unknown:
            _usage_error(
                lang, "trial.cli.bad_stages", names=", ".join(unknown), stages=", ".join(STAGES)
            )
            return None, EXIT_USAGE
        stages = tuple(s for s in STAGES if s in names)
    context = _number(args.context, "--context", CONTEXT_RANGE, DEFAULT_CONTEXT)
    if context is None:
        low, high = CONTEXT_RANGE
        _usage_error(
            lang, "trial.cli.bad_number", flag="--context", low=low, high=high, value=args.context
        )
        return None, EXIT_USAGE
    batch = _number(args.batch, "--batch", BATCH_RANGE, DEFAULT_BATCH)
    if batch is None:
        low, high = BATCH_RANGE
        _usage_error(
            lang, "trial.cli.bad_number", flag="--batch", low=low, high=high, value=args.batch
        )
        return None, EXIT_USAGE
    return Settings(stages=stages, context=context, batch=batch), EXIT_OK


def _confirm(lang: str) -> bool:
    sys.stderr.write(text("trial.cli.confirm", lang))
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, KeyboardInterrupt):
        return False
    return answer.strip().lower() in ("y", "yes", "是")  # not-ui-text: answers a user may type


async def _run(
    target: Any, log: Any, settings: Any, lang: str, progress: bool
) -> tuple[Any, Any, bool]:
    """Run the trial; on Ctrl-C return what finished so far (and True)."""
    from tui.core.diagnosis.model import STATUS_MARKS
    from tui.core.diagnosis.remediation import status_label
    from tui.core.i18n.units import format_ms
    from tui.core.net.exchange import now_iso
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe
    from tui.core.trial.runner import StageFinished, TrialEvent, interrupted_run, run_trial
    from tui.core.trial.table import stage_title

    done: list[Any] = []
    started, t0 = now_iso(), time.perf_counter()

    def seen(event: TrialEvent) -> None:
        if not isinstance(event, StageFinished):
            return
        res = event.result
        done.append(res)
        if progress:
            line = text(
                "trial.cli.progress", lang, mark=STATUS_MARKS[res.status],
                stage=stage_title(res.id, lang), status=status_label(res.status, lang),
                took=format_ms(res.elapsed_ms),
            )  # fmt: skip
            sys.stderr.write(terminal_safe(mask(line)) + "\n")
            sys.stderr.flush()

    if progress:
        sys.stderr.write(text("trial.cli.progress_start", lang) + "\n")
        sys.stderr.flush()
    try:
        run_, report = await run_trial(target, log, settings, lang=lang, on_event=seen)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        ms = (time.perf_counter() - t0) * 1000
        return interrupted_run(target, settings, done, started, ms), None, True
    return run_, report, False


#: A table row's figures hang under their column when that leaves this many cells, else
#: they go on the line below, indented (as check's detail column does).
FIGURES_MIN = 30
#: Where a row's figures go when they do not hang under their column.
BELOW_INDENT = 5
#: A number and its unit in the figures ("12.4 ms", "40.6 KB", "3 s"): kept on one line
#: (glued by a private-use character while wrapping; a no-break space would still break).
_UNIT = re.compile(r"(\d) (?=(?:ms|s|KB|MB|USD)\b)")


def _fit_row(line: str, row: list[str], width: int) -> list[Any]:
    """One row of the capability table (``line``: the aligned row after its two-space
    indent) at ``width``: whole when it fits; else its figures (the last cell) wrap under
    their own column, or, when that column leaves too little room, go on the lines
    below at BELOW_INDENT."""
    from tui.core.diagnosis.report_lines import Line
    from tui.core.i18n.width import cell_width

    last = row[-1]
    col = 2 + cell_width(line) - cell_width(last)  # where the figures column starts
    glued = _UNIT.sub("\\1\ue000", last)  # "0 ms" is never cut after the number
    line, last = line[: len(line) - len(last)] + glued, glued
    if 2 + cell_width(line) <= width or (last and width - col >= FIGURES_MIN):
        return [Line(line, indent=2, hang=col)]
    head = line[: len(line) - len(last)].rstrip()
    out = [Line(head, indent=2, hang=BELOW_INDENT)]
    if last:
        out.append(Line(last, indent=BELOW_INDENT, hang=BELOW_INDENT))
    return out


def fitted_text(run: Any, lang: str, width: int | None) -> str:
    """The trial's text report, each line fitted to ``width`` as ``check``'s is
    (:func:`tui.core.diagnosis.report_lines.fit`: between words, between characters in
    Chinese, continuation lines hung under their own text); the table's rows keep their
    columns. Without a width (a pipe, a file) the report is as it was."""
    from tui.core.diagnosis.report_lines import Line, fit
    from tui.core.i18n.width import cell_width, columns
    from tui.core.trial import table

    said = table.render_text(run, lang)
    if width is None:
        return said
    cells = table.rows(run, lang)
    rows = {"  " + line: row for line, row in zip(columns(cells), cells, strict=True)}
    secrets = (run.target.api_key,) if run.target.api_key else ()
    out: list[str] = []
    for text_line in said.rstrip("\n").split("\n"):
        row = rows.get(text_line)
        if row is not None:
            lines = _fit_row(text_line[2:], row, width)
            pieces = [p for ln in lines for p in fit(ln, width, False, secrets)]
            out += [p.replace("\ue000", " ") for p in pieces]  # the units' glue, undone
        else:
            body = text_line.lstrip(" ")
            lead = len(text_line) - len(body)
            number, space, _ = body.partition(" ")  # "1. step": wrapped under the step
            step = cell_width(number + space) if number[:-1].isdigit() else 0
            line = Line(body, indent=lead, hang=lead + step if lead else 2)
            out += fit(line, width, False, secrets)
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    from tui.core.i18n import LANGS, detect_lang, normalize_lang
    from tui.core.i18n.catalogue import join, msg, render
    from tui.core.net.exchange import ExchangeLog
    from tui.core.safe.masking import mask
    from tui.core.safe.terminal import terminal_safe
    from tui.core.setup.target import resolve_target
    from tui.core.trial import table
    from tui.core.trial.budget import budget_lines, estimate, with_catalogue
    from tui.core.trial.model import Settings
    from tui.core.trial.runner import record

    lang = detect_lang(args.lang)
    if args.key_on_argv is not None or args.stray_args:
        return _usage_error(lang, "cli.check.key_on_argv")
    if args.lang and normalize_lang(args.lang) not in LANGS:
        return _usage_error(lang, "cli.check.bad_lang", langs=", ".join(LANGS), value=args.lang)
    settings, code = _settings(args, lang)
    if not isinstance(settings, Settings):
        return code
    interactive = bool(sys.stdin is not None and sys.stdin.isatty() and sys.stderr.isatty())
    if not args.yes and (not interactive or args.api_key_stdin):
        n = estimate(settings).requests
        return _usage_error(lang, "trial.cli.need_yes" + ("_one" if n == 1 else ""), n=n)
    stdin_key = None
    if args.api_key_stdin:
        stdin_key = chk._read_stdin_key(lang)
        if stdin_key is None:
            return _usage_error(lang, "cli.check.no_stdin_key")
    resolved = resolve_target(
        base_url=args.base_url, model=args.model, profile=args.profile, timeout=args.timeout,
        proxy=args.proxy, ca_bundle=args.ca_bundle, insecure=args.insecure, stdin_key=stdin_key,
    )  # fmt: skip
    if args.ca_bundle and resolved.target.ca_bundle is None:
        return _usage_error(lang, "cli.check.no_ca_bundle", path=args.ca_bundle)
    if args.profile and resolved.target.profile is None:
        problems = [render(p, lang) for p in resolved.problems]
        detail = (
            join(problems, lang) if problems else msg("cli.check.no_profile", name=args.profile)
        )
        return _usage_error(lang, "cli.check.bad_profile", name=args.profile, problem=detail)
    for problem in resolved.problems:
        _say(text("cli.check.warning", lang, problem=render(problem, lang)), lang)
    target = resolved.target
    log = ExchangeLog()
    if target.base_url.strip():
        settings = asyncio.run(with_catalogue(target, log, settings))
    if settings.model_context and settings.context_size() < settings.context:
        _say(
            text(
                "trial.cli.context_capped",
                lang,
                asked=settings.context,
                used=settings.context_size(),
            ),
            lang,
        )
    for line in budget_lines(settings, target.model, lang):
        sys.stderr.write(terminal_safe(mask(line)) + "\n")  # the model name is the user's
    if not args.yes and not _confirm(lang):
        sys.stderr.write(text("trial.cli.declined", lang) + "\n")
        return EXIT_USAGE
    progress = not args.json and sys.stderr.isatty()
    run_, report, interrupted = asyncio.run(_run(target, log, settings, lang, progress))
    if interrupted:
        code = EXIT_INTERRUPTED
    else:
        failed = run_.verdict in ("fail", "skip") or report.verdict == "fail"
        code = EXIT_FAIL if failed else EXIT_OK
    result = table.to_dict(run_, report, lang, exit_code=code)
    if not interrupted:
        unrecorded = record(run_, result)
        if unrecorded is not None:  # the history could not be written: said, as check says it
            _say(text("cli.check.warning", lang, problem=render(unrecorded, lang)), lang)
    if args.json:
        chk.write_report(table.render_json(run_, report, lang, exit_code=code), json_text=True)
    elif args.markdown:
        chk.write_report(table.render_markdown(run_, lang, report=report, log=log))
    else:
        chk.write_report(fitted_text(run_, lang, chk.report_width(sys.stdout)))
    if interrupted:
        finished = sum(1 for s in run_.stages if s.code != "trial.skipped")
        _say(text("trial.cli.interrupted", lang, done=finished, total=len(run_.stages)), lang)
    return code
