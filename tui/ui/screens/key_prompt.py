"""``k``: give the console an API key for this session, keyring or not.

Where no keyring exists the console must still take a key, and say plainly
that it is not saved and how to keep one (an environment variable in the
shell profile, or a keyring backend such as ``keyrings.alt``). The keyring
is probed in a thread worker: a locked Secret Service can take a while.
Dismisses with the normalised key, or None on Esc/Cancel.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.safe import shown
from tui.ui.screens.setup_text import txt


class KeyPrompt(BindingsInLanguage, ModalScreen[str | None]):
    """A hidden input for the key; Enter uses it for this session."""

    BINDINGS = [bind("escape", "cancel", "setup.wiz.cancel", id="key_prompt.cancel")]

    def __init__(self, profile: str | None, lang: str = "en") -> None:
        super().__init__(id="key-prompt")
        self.profile = profile
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="key-dialog", classes="setup-dialog"):
            yield Static(txt("kp.title", lang), classes="dialog-title")
            who = txt("kp.for_profile", lang, name=shown(self.profile or "—"))
            yield Static(who, id="kp-for", markup=False)
            yield Input(id="kp-key", password=True, placeholder="sk-…")
            yield Static("", id="kp-message", markup=False)
            yield Static(txt("kp.checking", lang), id="kp-note", classes="hint", markup=False)
            with Horizontal(classes="button-row"):
                yield Button(txt("kp.use", lang), id="kp-use", variant="primary")
                yield Button(txt("wiz.cancel", lang), id="kp-cancel")

    def on_mount(self) -> None:
        self.query_one("#kp-key", Input).focus()
        self.probe_keyring()

    @work(thread=True, group="keyring")
    def probe_keyring(self) -> None:
        from tui.core.setup.keys import backend_info

        info = backend_info()
        if info.available:
            note = txt("kp.keyring_here", self.lang, where=info.name)
        else:
            note = txt("key_session", self.lang)
        self.app.call_from_thread(self.query_one("#kp-note", Static).update, shown(note))

    @on(Input.Submitted, "#kp-key")
    @on(Button.Pressed, "#kp-use")
    def action_use(self) -> None:
        from tui.core.setup.errors import error_text
        from tui.core.setup.keys import normalise_key

        value = self.query_one("#kp-key", Input).value
        try:
            key = normalise_key(value)
        except ValueError as exc:
            # A pasted line may hold the key next to other words: masked.
            self.query_one("#kp-message", Static).update(shown(error_text(exc, self.lang)))
            return
        self.dismiss(key)

    @on(Button.Pressed, "#kp-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
