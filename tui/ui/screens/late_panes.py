"""The console's panes that come after the first checks (issue 14).

The chat, inspector, trial and history panes cost ~300 ms of the UI loop to build.
Built while the first checks ran, a report that arrived meanwhile waited for them
(checks done 500 or 800+ ms, by chance). So they are built after the first report,
after ``LATE_PANES_AFTER`` seconds of a slower run, or at once when one is asked for:
its number, a click, a palette command, ``e``. Until then each says so
(:class:`WaitingPane`), and keys typed after asking for one are kept for it
(:class:`~tui.ui.widgets.key_buffer.KeyBuffer`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from tui.ui.early import settle_gc_again
from tui.ui.host import ChatPaneLike
from tui.ui.widgets.key_buffer import KeyBuffer

#: Seconds into a first check run after which the other panes are built anyway.
LATE_PANES_AFTER = 1.5
FIRST_PANE = "checks"


class WaitingPane(TabPane):
    """A pane whose widget is built later. Until then it says so itself, in its own
    render (no child widget: one node fewer to style before the first frame), and a
    click on it opens it now. Class ``-waiting`` while it waits (styles/app.tcss)."""

    def __init__(self, title: str, waiting: str, **kwargs: Any) -> None:
        # The class given to the constructor: added after, it restyled the pane at once.
        classes = " ".join(filter(None, (kwargs.pop("classes", ""), "-waiting")))
        super().__init__(title, classes=classes, **kwargs)
        self.waiting = waiting

    def render(self) -> Any:
        if self.has_class("-waiting"):
            return Content(self.waiting)  # catalogue text: never markup
        return super().render()

    def say_waiting(self, words: str) -> None:
        """The words in another language."""
        self.waiting = words
        self.refresh()

    def on_click(self) -> None:
        act = getattr(self.screen, "action_pane", None)
        if self.has_class("-waiting") and callable(act):
            act(self.id)


class LatePanes(Screen):
    """The screen part that builds the late panes and runs what waited for them."""

    #: chat and inspector are mounted (see _mount_late)
    late_ready: bool = False
    _late_done: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: what asked for those panes before they were built (see with_panes)
        self._waiting: list[Callable[[], object]] = []

    async def _mount_late(self) -> None:
        """Chat and inspector, once the checklist is on screen (imports included)."""
        if self._late_done or not self.is_attached:
            return
        panes = list(self.query("#chat, #inspector").results(TabPane))
        if len(panes) < 2 or not all(p.is_mounted and p.is_attached for p in panes):
            self.set_timer(0.02, self._mount_late)  # the tabs are still being built
            return
        self._late_done = True
        app: Any = self.app
        host: Any = self
        app.load_late_styles()  # the chat's and the inspector's

        def history() -> Any:
            from tui.ui.widgets.history_view import HistoryView

            return HistoryView(host.lang, id="history-pane")

        def trial() -> Any:  # issue 16: the roll-out trial
            from tui.ui.widgets.trial_view import TrialView  # 10+ ms of imports: not before

            return TrialView(host.lang, id="trial-pane")

        built: dict[str, Any] = {}
        for pane_id, make in (
            ("chat", app.make_chat),
            ("inspector", app.make_inspector),
            ("history", history),
            ("trial", trial),
        ):
            widget = await self._build_into(pane_id, make)
            if widget is None:
                return  # the console is closing (see _build_into)
            built[pane_id] = widget
        chat = built["chat"]
        self.late_ready = True
        settle_gc_again()  # the panes and their imports (the chat's Markdown stack) stay
        # The target may have changed while they were being built.
        if isinstance(chat, ChatPaneLike) and chat.target != app.chat_target:
            chat.set_target(app.chat_target)
        active = self.query_one(TabbedContent).active
        if active != FIRST_PANE:
            host.show_pane(active)  # asked for while it was being built: focus into it
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then()

    async def _build_into(self, pane_id: str, build: Callable[[], Any]) -> Any:
        """Build a pane's widget into its tab; None when the tab is gone meanwhile (the
        console quitting while the build waited: nothing to mount into, no crash)."""
        found = self.query(f"#{pane_id}").results(TabPane)
        pane = next(iter(found), None)
        if pane is None or not (self.is_attached and pane.is_mounted and pane.is_attached):
            return None
        host: Any = self
        widget = host._bound(build())  # following the screen's language
        pane.remove_class("-waiting")
        await pane.mount(widget)
        return widget

    def with_panes(self, then: Callable[[], object]) -> None:
        """Run ``then`` once the chat, inspector, trial and history panes exist: now, or
        as soon as they are built (which starts now: a palette command or ``e`` asked)."""
        if self.late_ready:
            then()
            return
        self._waiting.append(then)
        self.call_later(self._mount_late)

    def ask_for_pane(self, pane_id: str) -> None:
        """A pane asked for before it is built: its tab now, and what is typed next kept
        for it (the next keys may be queued already: the focus moves at once)."""
        host: Any = self
        self.query_one(TabbedContent).active = pane_id
        host._mark_current()  # noqa: SLF001 - the host screen's
        self.set_focus(self.query_one(KeyBuffer))
        self.with_panes(lambda: self._arrive(pane_id))

    def _arrive(self, pane_id: str) -> None:
        """Into the pane now built, with the keys typed while it was being built."""
        buffer = self.query_one(KeyBuffer)
        if self.focused is buffer or self.focused is None:
            host: Any = self
            host.show_pane(pane_id)
            for key in buffer.take():
                self.app.post_message(key)
