"""The main screen: target bar, checklist + step detail, chat, inspector.

One widget tree for every width, so nothing (chat history, inspector
selection) is lost on resize. ≥120 columns (class ``-wide``, a Textual
breakpoint): the tab bar is hidden and the three panes sit in a grid (checks
left, chat right, inspector below). Narrower: the same TabbedContent shows one
pane at a time, the active tab's (class ``-current``). app.tcss draws both.

Checks run in an exclusive async worker (``check_runs.py``); the engine's
``on_event`` posts messages (``tui.ui.messages``) that update the rows as each
check reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, ListView, TabbedContent, TabPane

from tui.core.diagnosis.model import CheckResult, Status
from tui.ui.bindings import BindingsInLanguage, bind, group
from tui.ui.early import resume_gc
from tui.ui.footer import ConsoleFooter
from tui.ui.labels import t
from tui.ui.messages import ChecksDone, ChecksStarted
from tui.ui.screens.check_runs import CheckRuns
from tui.ui.screens.late_panes import LATE_PANES_AFTER, LatePanes, WaitingPane
from tui.ui.widgets.checklist import Checklist
from tui.ui.widgets.key_buffer import KeyBuffer
from tui.ui.widgets.since_line import SinceLine
from tui.ui.widgets.step_detail import StepDetail
from tui.ui.widgets.target_bar import TargetBar

if TYPE_CHECKING:
    from textual import getters

    from tui.ui.app import GatewayDoctorApp

WIDE_COLUMNS = 120
NARROW_FOOTER = 100
PANES = ("checks", "chat", "inspector", "trial", "history")
#: the panes a wide screen lays out side by side; the others take the whole screen
GRID_PANES = ("checks", "chat", "inspector")
_PANES = group("ui.b.panes", compact=True)


def pane_title(pane_id: str, lang: str) -> str:
    """``1 Checks``: each tab carries the key that shows it."""
    return f"{PANES.index(pane_id) + 1} {t(f'tab.{pane_id}', lang)}"


class MainScreen(CheckRuns, LatePanes, BindingsInLanguage, Screen):
    """Everything the console shows; the app owns target, log and report."""

    if TYPE_CHECKING:  # only the console hosts this screen (Textual's typed-app getter)
        app = getters.app(GatewayDoctorApp)

    BINDINGS = [
        bind("r", "run_all", "ui.b.run", id="run"),
        # R is in the step detail's hint, right where it applies; the footer keeps room.
        bind("R", "run_step", "ui.b.step", id="step", show=False),
        bind("c", "copy_summary", "ui.b.copy", id="copy"),
        bind("e", "evidence", "ui.b.evidence", id="evidence"),
        bind("s", "scenario", "ui.b.scenario", id="scenario"),
        bind("d", "demo", "ui.b.demo", id="demo"),
        bind("w", "wizard", "ui.b.wizard", id="wizard"),
        bind("p", "settings", "ui.b.settings", id="settings"),
        bind("k", "key", "ui.b.key", id="key"),
        *(
            bind(str(i), f"pane('{p}')", f"ui.tab.{p}", id=f"pane.{p}", group=_PANES)
            for i, p in enumerate(PANES, 1)
        ),
        bind("escape", "leave_input", "ui.b.leave", id="leave", show=False),
    ]
    #: ≥120 columns: class ``-wide`` (all three panes at once, see app.tcss)
    HORIZONTAL_BREAKPOINTS = [(WIDE_COLUMNS, "-wide")]
    #: focused as the screen is built: focusing the tab bar first (Textual's "*") and
    #: moving to the checklist restyled 25 widgets twice before the first frame
    AUTO_FOCUS = "#checklist"
    #: the console's language (bound to the app's); each pane is bound to this one
    lang: reactive[str] = reactive("en")

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.set_reactive(MainScreen.lang, lang)
        self.results: dict[str, CheckResult] = {}
        self.running: set[str] = set()
        self._auto_select = True
        self._resumed = False

    def compose(self) -> ComposeResult:
        lang = self.lang
        # The classes the layout depends on, set before any child exists: set after
        # (on_mount) each one restyled every widget of the screen again (issue 14).
        self.set_class(self.app.size.width >= WIDE_COLUMNS, "-wide")
        yield TargetBar(id="target-bar")
        with TabbedContent(id="panes", initial="checks"):
            first = TabPane(pane_title("checks", lang), id="checks", classes="-current")
            with first, Vertical(id="checks-body"):
                yield Checklist(lang, id="checklist")
                yield SinceLine(id="since-line")  # what changed since the last passing run
                yield StepDetail(id="detail")
            # The chat (its Markdown stack), the inspector and the others come after the
            # first checks (_mount_late); until then each says so.
            for pane_id in PANES[1:]:
                classes = "" if pane_id in GRID_PANES else "-solo-pane"
                waiting = t("pane.waiting", lang)
                yield WaitingPane(pane_title(pane_id, lang), waiting, id=pane_id, classes=classes)
        yield ConsoleFooter(compact=True)  # keeps q, ? and the pane's keys
        yield KeyBuffer(id="key-buffer")  # keys typed while a pane is being built

    def on_mount(self) -> None:
        for pane_id in PANES:
            self.query_one(f"#{pane_id}", TabPane).border_title = pane_title(pane_id, self.lang)
        # Textual applies the breakpoints on the first Resize, after the first layout:
        # the first frame is laid out wide already (compose set -wide and -current).
        self._mark_current()
        self._fit_footer()
        self.refresh_target()  # the checklist has the focus already (AUTO_FOCUS)
        self.call_after_refresh(resume_gc)  # paused by the command line until now
        if self.app.configured and self.app.autorun:
            # The first checks have the loop first: building the other panes takes
            # ~300 ms of it, and a report that came during that build waited for it
            # (checks done 500 or 800+ ms, by chance). They come after the report,
            # after LATE_PANES_AFTER s of a slower run, or as soon as one is asked for.
            self.set_timer(LATE_PANES_AFTER, self._mount_late)
        else:
            self.call_after_refresh(self._mount_late)
        if not self.app.configured:
            self.show_setup()
            if self.app.first_run:
                self.app.open_wizard()
        elif self.app.autorun:
            report = self.app.take_finished_run()
            if report is None:
                self.run_checks()
            else:  # over already (a child's, on the other core): in the very first frame
                self.on_checks_started(ChecksStarted(None))
                self.on_checks_done(ChecksDone(report))

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # The first resume restyled all 38 widgets again (a third of the styling before
        # the first frame), though each was styled as it mounted and every change
        # since restyled its own (Textual's; issue 14). A later resume does it.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)

    # ----- layout (the rest is in app.tcss) ----------------------------------------
    def on_resize(self) -> None:
        self._fit_footer()

    def _fit_footer(self) -> None:
        """Which keys the footer has room for (it measures them: no CSS can say)."""
        # Under 100 columns the footer needs the room; ctrl+p is listed in the help (?).
        self.query_one(Footer).show_command_palette = self.size.width >= NARROW_FOOTER

    def footer_shows(self, binding: Binding) -> bool:
        """The pane keys only when wide (narrower, the tabs carry the numbers); the theme
        key gives way to the demo's ``s`` under 100 columns (read as the footer composes)."""
        if binding.group == _PANES:
            return self.size.width >= WIDE_COLUMNS and not self.has_class("-solo")
        if binding.action == "toggle_theme":
            return self.size.width >= NARROW_FOOTER or self.app.demo is None
        return binding.show

    @on(TabbedContent.TabActivated)
    def _mark_current(self) -> None:
        """The active tab's pane is ``-current``; app.tcss shows it (the grid's three
        when wide). A pane outside the grid (trial, history) takes the whole screen,
        tabs shown, at every width: the screen is ``-solo`` while it is active.

        The ContentSwitcher hides the other panes with inline styles, which CSS cannot
        override: they are cleared, so the stylesheet decides at every width.
        """
        active = self.query_one(TabbedContent).active
        if not self._late_done and active != PANES[0] and self.is_mounted:
            self.call_later(self._mount_late)  # a tab clicked before they were built
        for pane_id in PANES:
            pane = self.query_one(f"#{pane_id}", TabPane)
            pane.styles.clear_rule("display")
            pane.set_class(pane_id == active, "-current")
        solo = active not in GRID_PANES
        if solo != self.has_class("-solo"):
            self.set_class(solo, "-solo")
            self.refresh_bindings()  # the footer's pane keys follow the tab bar

    def show_pane(self, pane_id: str) -> None:
        """Bring a pane into view (a tab switch when narrow) and focus into it.

        Focus moves first: a focused widget left in a hidden pane would pull
        the TabbedContent back to its own tab.
        """
        pane = self.query_one(f"#{pane_id}", TabPane)
        focused = self.focused
        # Outside the pane, or on a part of it that takes no text (the transcript
        # after a shift+Tab): back to its main control, so typing types again.
        if focused is None or pane not in focused.ancestors_with_self or not _typing(focused):
            # The pane widget's own focus() picks its main control (the chat
            # message box, the inspector list), not the first focusable one
            # (the model box would take the next keystroke as a model name).
            body = pane.query_children().first() if pane.children else None
            if body is not None and hasattr(body, "focus_main"):
                body.focus_main()
            else:
                target = next((w for w in pane.query("*") if w.focusable), None)
                if target is None:
                    self.set_focus(None)
                else:
                    target.focus()
        self.query_one(TabbedContent).active = pane_id
        self._mark_current()

    # ----- detail ---------------------------------------------------------------
    @on(ListView.Highlighted, "#checklist")
    def _highlighted(self) -> None:
        self.refresh_detail()

    def selected_result(self) -> CheckResult | None:
        cid = self.query_one(Checklist).selected_id
        return self.results.get(cid) if cid else None

    def refresh_detail(self, only: str | None = None) -> None:
        """Show the highlighted step (``only``: skip unless that step is shown)."""
        if not self.app.configured:
            return
        cid = self.query_one(Checklist).selected_id
        if cid is None or (only is not None and only != cid):
            return
        status = Status.RUNNING if cid in self.running else Status.PENDING
        self.query_one(StepDetail).show_result(
            self.results.get(cid),
            self.app.report,
            self.app.lang,
            self.app.exchange_log,
            self.app.now,
            status,
        )

    def show_setup(self) -> None:
        self.query_one(StepDetail).show_setup(self.app.missing, self.app.problems, self.app.lang)

    def refresh_target(self) -> None:
        app = self.app
        chosen = app.sources.get("base_url") != "preset" or app.configured
        default = app.sources.get("base_url") == "preset"
        self.query_one(TargetBar).show(
            app.target, app.lang, app.scenario, chosen=chosen, default=default
        )

    def _bound(self, pane: Widget) -> Widget:
        """``pane`` following this screen's language (a pane with a ``lang`` reactive)."""
        if isinstance(getattr(type(pane), "lang", None), Reactive):
            pane.data_bind(MainScreen.lang)
        return pane

    def watch_lang(self, old: str, lang: str) -> None:
        """Re-render every text the screen itself owns in ``lang`` (the panes follow theirs)."""
        if old == lang or not self.is_mounted:
            return
        self.refresh_bindings()  # the footer's words
        self.query_one(Checklist).set_lang(lang)
        tabs = self.query_one(TabbedContent)
        for pane_id in PANES:
            tabs.get_tab(pane_id).label = pane_title(pane_id, lang)
            pane = self.query_one(f"#{pane_id}", TabPane)
            pane.border_title = pane_title(pane_id, lang)
            if isinstance(pane, WaitingPane):
                pane.say_waiting(t("pane.waiting", lang))
        self.refresh_target()
        if self.app.configured:
            self.refresh_detail()
        else:
            self.show_setup()

    # ----- actions (thin: the app does the work) --------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        app = self.app
        if action == "scenario":
            return app.demo is not None
        if action == "demo":
            return app.demo is None and not app.configured
        if action == "wizard":
            return not app.configured
        if action in ("copy_summary", "evidence"):
            return app.configured  # nothing to copy or show yet; the footer needs the room
        if action == "leave_input":
            return _typing(self.focused)
        if action == "run_step":  # the history pane's R is "restore", never "re-run step"
            tabs = next(iter(self.query(TabbedContent)), None)
            return tabs is None or tabs.active != "history"
        return True

    def action_pane(self, pane_id: str) -> None:
        if not self.late_ready and pane_id != PANES[0]:
            self.ask_for_pane(pane_id)  # not built yet: it opens as soon as it is
            return
        self.show_pane(pane_id)

    def action_run_all(self) -> None:
        self.app.run_all()

    def action_run_step(self) -> None:
        cid = self.query_one(Checklist).selected_id
        if cid:
            self.app.run_step(cid)

    def action_copy_summary(self) -> None:
        self.app.copy_summary()

    def action_evidence(self) -> None:
        self.app.show_evidence()

    def action_scenario(self) -> None:
        self.app.choose_scenario()

    def action_demo(self) -> None:
        self.app.start_demo()

    def action_wizard(self) -> None:
        self.app.open_wizard()

    def action_settings(self) -> None:
        self.app.open_settings()

    def action_key(self) -> None:
        self.app.open_key_prompt()

    def action_leave_input(self) -> None:
        """Esc in a text box (the inspector filter, say): leave it, so keys act again."""
        focused = self.focused
        if focused is None:
            return
        pane = next((a for a in focused.ancestors if isinstance(a, TabPane)), None)
        body = pane.query_children().first() if pane is not None and pane.children else None
        if body is not None and hasattr(body, "focus_main"):
            body.focus_main()  # the inspector's list: its keys work right away
        if _typing(self.focused):
            self.set_focus(None)


def _typing(widget: Widget | None) -> bool:
    """Whether ``widget`` takes typed text (then no printable key is a shortcut)."""
    from textual.widgets import TextArea  # 10 ms of imports: not before the first frame

    return isinstance(widget, Input | TextArea)
