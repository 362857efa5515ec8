"""First-run wizard: pick a preset, paste the key, pick the model from /models.

Shown when nothing is configured. It saves the profile (made active) and the
key (OS keyring; where there is none, the app keeps it for this session only
and the user is told how to keep one), then dismisses with the profile name so the console runs the checks.
Cancel dismisses with None. The model list is fetched in a worker: the screen
never blocks, and the request is recorded in the app's exchange log.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ContentSwitcher, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.diagnosis.model import DEFAULT_MODEL, Target
from tui.core.i18n.catalogue import join, render
from tui.core.i18n.width import pad
from tui.core.net.exchange import ExchangeLog
from tui.core.setup.errors import error_text
from tui.core.setup.presets import PRESETS, get_preset
from tui.core.setup.profiles import Profile, ProfileError, validate_name, validate_profile
from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.host import host
from tui.ui.safe import shown, shown_content
from tui.ui.screens.setup_text import txt

STEPS = ("step-preset", "step-key", "step-model")


class FirstRunWizard(BindingsInLanguage, ModalScreen[str | None]):
    """Three steps to a working profile; dismisses with its name (or None)."""

    BINDINGS = [bind("escape", "cancel", "setup.wiz.cancel", id="wizard.cancel")]

    def __init__(self, lang: str | None = None, log: ExchangeLog | None = None) -> None:
        super().__init__(id="wizard-screen")
        self._lang = lang
        self._exchange_log = log
        self._step = 0
        self._name_edited = False
        self._fetched_for: tuple[str, str] | None = None

    @property
    def lang(self) -> str:
        return self._lang or host(self).lang

    @property
    def exchange_log(self) -> ExchangeLog:
        return host(self).exchange_log if self._exchange_log is None else self._exchange_log

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="wizard-dialog", classes="setup-dialog"):
            yield Static(txt("wiz.title", lang), classes="dialog-title")
            with ContentSwitcher(id="wizard-steps", initial=STEPS[0]):
                with VerticalScroll(id="step-preset", can_focus=False):
                    yield Static(txt("wiz.step1", lang), classes="step-title")
                    yield OptionList(
                        *[
                            Option(f"{pad(p.title(lang), 16)} {p.base_url or '…'}", id=p.id)
                            for p in PRESETS
                        ],
                        id="preset-list",
                    )
                    yield Static("", id="preset-note", classes="hint", markup=False)
                    with Grid(classes="wizard-form"):
                        yield Label(txt("name", lang))
                        yield Input(id="w-name", compact=True)
                        yield Label(txt("base_url", lang))
                        yield Input(id="w-base_url", placeholder="https://…/v1", compact=True)
                with VerticalScroll(id="step-key", can_focus=False):
                    yield Static(txt("wiz.step2", lang), classes="step-title")
                    yield Input(id="w-key", password=True, placeholder="sk-…")
                    yield Static("", id="key-note", classes="hint", markup=False)
                with VerticalScroll(id="step-model", can_focus=False):
                    yield Static(txt("wiz.step3", lang), classes="step-title")
                    yield Static("", id="models-status", classes="hint", markup=False)
                    yield OptionList(id="model-list")
                    with Grid(classes="wizard-form"):
                        yield Label(txt("model", lang))
                        yield Input(id="w-model", compact=True)
            yield Static("", id="wizard-message", markup=False)
            with Horizontal(classes="button-row", id="wizard-buttons"):
                yield Button(txt("wiz.cancel", lang), id="wiz-cancel")
                yield Button(txt("wiz.back", lang), id="wiz-back", disabled=True)
                yield Button(txt("wiz.next", lang), id="wiz-next", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#preset-list", OptionList).highlighted = 0
        self.check_keyring()

    # ----- step 1: preset ------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#preset-list")
    def _preset(self, event: OptionList.OptionHighlighted) -> None:
        preset = get_preset(event.option.id or "")
        if preset is None:
            return
        self.query_one("#preset-note", Static).update(preset.describe(self.lang))
        self.query_one("#w-base_url", Input).value = preset.base_url
        self.query_one("#w-model", Input).value = preset.default_model
        if not self._name_edited:
            self.query_one("#w-name", Input).value = preset.id
            self._name_edited = False

    @on(OptionList.OptionSelected, "#preset-list")
    def _preset_chosen(self) -> None:
        self.query_one("#w-base_url", Input).focus()

    @on(Input.Changed, "#w-name")
    def _name_changed(self, event: Input.Changed) -> None:
        highlighted = self.query_one("#preset-list", OptionList).highlighted
        preset_id = PRESETS[highlighted].id if highlighted is not None else ""
        self._name_edited = event.value != preset_id

    # ----- step 2: key -----------------------------------------------------------------
    def check_keyring(self) -> None:
        self._probe_keyring(self.lang)

    @work(thread=True, group="keyring")
    def _probe_keyring(self, lang: str) -> None:
        """Ask the OS keyring (it may block) off the event loop; widgets are left to it."""
        from tui.core.setup.keys import backend_info

        note = "" if backend_info().available else txt("key_session", lang)
        self.app.call_from_thread(self._key_note, note)

    def _key_note(self, note: str) -> None:
        self.query_one("#key-note", Static).update(note)

    # ----- step 3: model ---------------------------------------------------------------
    @work(exclusive=True, group="models")
    async def fetch(self, base_url: str, key: str) -> None:
        from tui.core.net.models_list import fetch_models
        from tui.core.safe.masking import register_secret

        register_secret(key)
        status = self.query_one("#models-status", Static)
        # A key pasted into the address (?key=…, user:key@) must not show here.
        status.update(shown(txt("wiz.fetching", self.lang, url=base_url.rstrip("/") + "/models")))
        target = Target(base_url=base_url, api_key=key, timeout=10.0, profile=None)
        result = await fetch_models(target, self.exchange_log)
        olist = self.query_one("#model-list", OptionList)
        olist.clear_options()
        if result.error:
            status.update(shown(txt("wiz.models_failed", self.lang, error=result.error)))
            return
        status.update(txt("wiz.models_found", self.lang, n=len(result.models)))
        # Content: shown as sent, never parsed as markup; masked: a gateway echoing keys.
        olist.add_options([Option(shown_content(m), id=m) for m in result.models])
        wanted = self.query_one("#w-model", Input).value.strip()
        if wanted in result.models:
            olist.highlighted = result.models.index(wanted)
        elif not wanted and result.models:
            olist.highlighted = (
                result.models.index(DEFAULT_MODEL) if DEFAULT_MODEL in result.models else 0
            )

    @on(OptionList.OptionHighlighted, "#model-list")
    def _model(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.query_one("#w-model", Input).value = event.option.id

    @on(OptionList.OptionSelected, "#model-list")
    def _model_chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on a model picks it and finishes, as Save would."""
        if event.option.id:
            self.query_one("#w-model", Input).value = event.option.id
            self.action_next()

    # ----- navigation ------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        self._step = step
        self.query_one("#wizard-steps", ContentSwitcher).current = STEPS[step]
        self.query_one("#wiz-back", Button).disabled = step == 0
        label = "wiz.finish" if step == len(STEPS) - 1 else "wiz.next"
        button = self.query_one("#wiz-next", Button)
        button.label = txt(label, self.lang)
        button.refresh(layout=True)  # a longer label needs a wider button (保存并开始检查)
        self.query_one("#wizard-message", Static).update("")
        focus = {0: "#preset-list", 1: "#w-key", 2: "#model-list"}[step]
        self.query_one(focus).focus()

    def _error(self, text: str) -> None:
        # A key pasted into the wrong field is echoed here: masked.
        self.query_one("#wizard-message", Static).update(shown(text))

    def _values(self) -> tuple[str, str, str, str]:
        get = lambda wid: self.query_one(wid, Input).value.strip()  # noqa: E731
        return get("#w-name"), get("#w-base_url"), get("#w-key"), get("#w-model")

    @on(Button.Pressed, "#wiz-next")
    @on(Input.Submitted)
    def action_next(self) -> None:
        name, base_url, key, model = self._values()
        if self._step == 0:
            try:
                validate_name(name)
            except ProfileError as exc:
                self._error(error_text(exc, self.lang))
                return
            problems = validate_profile(Profile(name, base_url))
            if problems:
                why = join([render(p, self.lang) for p in problems], self.lang)
                self._error(
                    txt("wiz.need_url_why", self.lang, need=txt("wiz.need_url", self.lang), why=why)
                )
                return
            self.show_step(1)
        elif self._step == 1:
            if key:
                from tui.core.setup.keys import normalise_key

                try:
                    normalise_key(key)
                except ValueError as exc:
                    self._error(error_text(exc, self.lang))
                    return
            if self._fetched_for != (base_url, key):
                self._fetched_for = (base_url, key)
                self.fetch(base_url, key)
            self.show_step(2)
        else:
            if not model:
                self._error(txt("wiz.need_model", self.lang))
                return
            self.finish(Profile(validate_name(name), base_url, model), key, self.lang)

    @on(Button.Pressed, "#wiz-back")
    def action_back(self) -> None:
        if self._step > 0:
            self.show_step(self._step - 1)

    @on(Button.Pressed, "#wiz-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="finish")
    def finish(self, profile: Profile, key: str, lang: str) -> None:
        """Save the profile (active) and the key off the event loop (files, the keyring),
        then hand over on the app's thread. Everything it needs comes as arguments:
        a thread worker reads no widget and changes no app state."""
        from tui.core.setup.config import ConfigError
        from tui.core.setup.keys import KeyStoreError, set_key
        from tui.core.setup.profiles import save_profile

        try:
            save_profile(profile, overwrite=True, make_active=True)
        except (ConfigError, ProfileError) as exc:
            self.app.call_from_thread(self._error, error_text(exc, lang))
            return
        session_key = ""
        if key:
            try:
                set_key(profile.name, key)
            except KeyStoreError:
                session_key = key
        self.app.call_from_thread(self._finished, profile.name, session_key)

    def _finished(self, name: str, session_key: str) -> None:
        """No keyring: the console keeps the key for this session (in memory, never in the
        environment a child process inherits; the target built for the profile carries
        it), and the user is told so. Then dismiss with the profile's name."""
        if session_key:
            from tui.ui.session_key import remember_key

            remember_key(host(self), name, session_key)
            self.app.notify(txt("key_session", self.lang), severity="warning", timeout=15)
        self.dismiss(name)
