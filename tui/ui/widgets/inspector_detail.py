"""The detail half of the inspector: one exchange, request to response, masked.

Text comes from :mod:`tui.core.inspect.format` (already masked, truncated with
a marker) and is made terminal-safe here (a body or header may hold escape
sequences); this widget only decides how it looks: JSON bodies highlighted with
``rich.syntax.Syntax``, other text as is, binary as a hex preview.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.core.inspect import format as fmt
from tui.core.net.exchange import Exchange
from tui.core.safe.terminal import terminal_safe
from tui.ui.looks import ALARM, BAD, GOOD, NOTICE
from tui.ui.safe import shown
from tui.ui.widgets.inspector_labels import step_label, t

#: Above this many characters a body is shown plain (highlighting would lag the UI).
HIGHLIGHT_LIMIT = 24 * 1024
#: CSS classes of the header and body blocks (styles/*.tcss)
_HEAD, _BODY = "mono head", "mono body"  # not-ui-text: CSS class names


class ExchangeDetail(VerticalScroll):
    """Response status, headers, body; SSE timeline; request line, headers, body; timings.

    The response comes first: it is what proves a failure, and it is what a
    helpdesk reads first; the request and the phase bar follow.
    """

    def __init__(self, lang: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.exchange_id: str | None = None
        #: the exchange :meth:`show_soon` will render after the next screen update
        self._soon: Exchange | None = None
        #: the exchange shown now (its waiting seconds tick while it is in flight)
        self._shown: Exchange | None = None

    def compose(self) -> ComposeResult:
        yield Static(t("empty", self.lang), id="insp-summary", markup=False)
        yield Static("", id="insp-response-title", classes="section-title")
        yield Static("", id="insp-response-head", classes=_HEAD, markup=False)
        yield Static("", id="insp-response-body", classes=_BODY)
        yield Static("", id="insp-sse-title", classes="section-title")
        yield Static("", id="insp-sse", classes="mono", markup=False)
        yield Static("", id="insp-request-title", classes="section-title")
        yield Static("", id="insp-request-head", classes=_HEAD, markup=False)
        yield Static("", id="insp-request-body", classes=_BODY)
        yield Static("", id="insp-timing-title", classes="section-title")
        yield Static("", id="insp-timing", classes="mono")

    def on_mount(self) -> None:
        self._sections_visible(False)
        self.set_interval(1.0, self._tick_waiting)

    def _tick_waiting(self) -> None:
        """A request in flight: its response head counts the seconds waited."""
        ex = self._shown
        if ex is not None and ex.id == self.exchange_id and fmt.in_flight(ex):
            head = fmt.response_head(ex, self.lang)
            self.query_one("#insp-response-head", Static).update(terminal_safe(head))

    def _sections_visible(self, visible: bool) -> None:
        for child in self.query(Static):
            if child.id != "insp-summary":
                child.display = visible

    def show_placeholder(self, has_exchanges: bool) -> None:
        """No selection: say what to do (different text when the log is empty)."""
        self.exchange_id = None
        self._soon = None
        self._shown = None
        self._sections_visible(False)
        self.query_one("#insp-summary", Static).update(
            t("pick" if has_exchanges else "empty", self.lang)
        )

    def show_soon(self, ex: Exchange) -> None:
        """Select ``ex`` now and render it after the next screen update.

        Following the latest, the new row is drawn first and the detail a frame
        later; a burst of arrivals renders only the last one.
        """
        self.exchange_id = ex.id
        if self._soon is None:
            self.call_after_refresh(self._show_soon)
        self._soon = ex

    def _show_soon(self) -> None:
        ex, self._soon = self._soon, None
        if ex is not None and ex.id == self.exchange_id:
            self.show(ex)

    def show(self, ex: Exchange) -> None:
        """Render every part of ``ex``; safe to call again for the same exchange."""
        self._soon = None
        self.exchange_id = ex.id
        self._shown = ex
        lang = self.lang
        self._sections_visible(True)
        q = self.query_one
        q("#insp-summary", Static).update(self._summary(ex))
        q("#insp-timing-title", Static).update(t("sec.timing", lang))
        q("#insp-timing", Static).update(fmt.phase_bar(ex.timings, lang, width=40))
        q("#insp-request-title", Static).update(t("sec.request", lang))
        q("#insp-request-head", Static).update(terminal_safe(fmt.request_head(ex, lang)))
        req = fmt.request_body_view(ex, lang=lang)
        body = q("#insp-request-body", Static)
        body.display = req.kind != "empty"
        body.update(self._body(req))
        q("#insp-response-title", Static).update(t("sec.response", lang))
        q("#insp-response-head", Static).update(terminal_safe(fmt.response_head(ex, lang)))
        resp_body = q("#insp-response-body", Static)
        if fmt.in_flight(ex):
            waiting = t("in_flight", lang, time=fmt.clock(ex.started_at))
            resp_body.update(Text(waiting, style="italic"))
        elif ex.status is None and not ex.response_body:
            resp_body.update(Text(t("no_response", lang), style="italic"))
        else:
            resp_body.update(self._body(fmt.response_body_view(ex, lang=lang)))
        has_sse = bool(ex.sse_events) or ex.streamed
        q("#insp-sse-title", Static).display = has_sse
        q("#insp-sse", Static).display = has_sse
        if has_sse:
            q("#insp-sse-title", Static).update(t("sec.sse", lang, n=len(ex.sse_events)))
            q("#insp-sse", Static).update(
                terminal_safe(fmt.sse_timeline(ex.sse_events, lang, width=90))
            )
        self.scroll_home(animate=False)

    def _summary(self, ex: Exchange) -> Text:
        cls = fmt.status_class(ex)
        style = {"2xx": GOOD, "3xx": NOTICE, "4xx": BAD, "5xx": BAD}
        text = Text()
        text.append(f"{ex.id}  ", style="bold")
        text.append(f"{shown(step_label(ex.step, self.lang))}  ", style="italic")
        if fmt.in_flight(ex):  # no figures yet: not "0 ms  0 B"
            text.append(t("pending", self.lang), style="italic")
        else:
            status = terminal_safe(fmt.status_text(ex, self.lang))
            text.append(status, style=style.get(cls, ALARM))
            # The figures before the URL: a long URL wraps last and never takes the unit away.
            size = fmt.format_size(ex.body_size)
            text.append(f"  {fmt.format_duration(ex.duration_ms)}  {size}")
        text.append(f"  {shown(ex.method)} {shown(ex.url)}")
        ids = ex.request_ids()
        if ids:
            text.append("\n" + shown("  ".join(ids)), style="dim")
        return text

    def _body(self, view: fmt.BodyView) -> Syntax | Text:
        text = terminal_safe(view.text)
        if view.kind == "json" and len(view.text) <= HIGHLIGHT_LIMIT:
            dark = self.app.current_theme.dark
            return Syntax(
                text,
                "json",
                theme="monokai" if dark else "default",
                word_wrap=True,
                background_color="default",
            )
        style = "dim" if view.kind in {"empty", "binary"} else ""
        return Text(text, style=style)
