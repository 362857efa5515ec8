"""The settings screen: edit profiles, store a key (masked input), switch profile,
and preview the request URL each popular client would build.

Thin: everything real happens in :mod:`tui.core.setup.profiles`, :mod:`tui.core.setup.keys`
and :mod:`tui.core.setup.client_urls`. Keyring calls run in a thread worker (a locked
Secret Service can take a while to answer); the screen never blocks.
Dismisses with the active profile name (or None).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.core.i18n.catalogue import text
from tui.core.safe.terminal import terminal_safe
from tui.core.setup.client_urls import preview_for_profile, warning_text
from tui.core.setup.config import ConfigError
from tui.core.setup.errors import error_text
from tui.core.setup.presets import PRESETS, get_preset
from tui.core.setup.profiles import (
    Profile,
    ProfileError,
    active_profile_name,
    add_profile,
    list_profiles,
    remove_profile,
    save_profile,
    set_active,
)
from tui.ui.bindings import BindingsInLanguage, bind
from tui.ui.host import host
from tui.ui.safe import shown, shown_content
from tui.ui.screens.setup_text import txt

if TYPE_CHECKING:
    from tui.core.setup.keys import BackendInfo, KeyLookup

FIELDS = ("name", "base_url", "model", "proxy", "ca_bundle", "client_label")


class SettingsScreen(BindingsInLanguage, ModalScreen[str | None]):
    """Profiles, keys and the client URL preview."""

    BINDINGS = [
        bind("escape", "close", "setup.close", id="settings.close"),
        bind("ctrl+s", "save", "setup.save", id="settings.save"),
        bind("ctrl+n", "new", "setup.b.new", id="settings.new"),
    ]

    def __init__(self, lang: str | None = None) -> None:
        super().__init__(id="settings-screen")
        self._lang = lang
        self._current: str | None = None  # name of the profile in the form; None = new
        self._client_host = ""
        self._client_path = ""
        self._delete_armed = False
        self._close_armed = False
        self._switch_armed = False
        #: the form as loaded: closing with anything else asks first
        self._loaded: tuple[str, ...] = ()
        #: the profile chosen with Use (or a first one just created): the session follows
        self._used: str | None = None

    @property
    def lang(self) -> str:
        return self._lang or host(self).lang

    # ----- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="settings-dialog", classes="setup-dialog"):
            yield Static(txt("settings.title", lang), classes="dialog-title")
            # Scrolls on a small terminal (80x24) so the preview stays reachable.
            with VerticalScroll(id="settings-scroll", can_focus=False):
                with Horizontal(id="settings-body"):
                    with Vertical(id="profile-side"):
                        yield Label(txt("profiles", lang), classes="section-title")
                        yield OptionList(id="profile-list")
                        with Horizontal(classes="button-row"):
                            yield Button(txt("new", lang), id="new-profile")
                            yield Button(txt("use", lang), id="use-profile", variant="primary")
                            yield Button(txt("delete", lang), id="delete-profile", variant="error")
                    with Grid(id="profile-form"):
                        yield Label(txt("preset", lang))
                        yield Select(
                            [(p.title(lang), p.id) for p in PRESETS],
                            id="f-preset",
                            allow_blank=True,
                            prompt="—",
                            compact=True,
                        )
                        for field in FIELDS:
                            yield Label(txt("client" if field == "client_label" else field, lang))
                            yield Input(id=f"f-{field}", compact=True)
                        yield Label(text("history.settings_stream", lang))
                        yield Select(
                            [(txt("stream_on", lang), True), (txt("stream_off", lang), False)],
                            id="f-stream",
                            allow_blank=False,
                            compact=True,
                        )
                        yield Label(txt("api_key", lang))
                        yield Input(
                            id="f-key",
                            password=True,
                            placeholder=txt("key_placeholder", lang),
                            compact=True,
                        )
                        yield Static("")
                        yield Static("", id="key-status", markup=False)
                yield Label(txt("preview", lang), classes="section-title")
                yield DataTable(id="url-preview", cursor_type="row", show_cursor=False)
            with Horizontal(id="settings-footer"):
                yield Static("", id="settings-message", markup=False)
                yield Button(txt("save", lang), id="save-profile", variant="success")
                yield Button(txt("close", lang), id="close-settings")

    def on_mount(self) -> None:
        table = self.query_one("#url-preview", DataTable)
        for col in ("col.client", "col.url", "col.note"):
            table.add_column(txt(col, self.lang), key=col)
        self.reload(select=None)

    # ----- data ------------------------------------------------------------------------
    def reload(self, select: str | None) -> None:
        """Refill the profile list; show ``select`` (else the active profile) in the form."""
        olist = self.query_one("#profile-list", OptionList)
        olist.clear_options()
        try:
            profiles = list_profiles()
            active = active_profile_name() if profiles else None
        except ConfigError as exc:
            self.message(error_text(exc, self.lang), error=True)
            return
        for p in profiles:
            name = txt("active_name", self.lang, name=p.name) if p.name == active else p.name
            olist.add_option(Option(shown_content(name), id=p.name))
        if not profiles:
            olist.add_option(Option(txt("no_profiles", self.lang), id="", disabled=True))
            self.action_new()
            return
        wanted = select or active or profiles[0].name
        prof = next((p for p in profiles if p.name == wanted), profiles[0])
        olist.highlighted = [p.name for p in profiles].index(prof.name)
        self.fill(prof)

    def fill(self, prof: Profile | None) -> None:
        """Put ``prof`` (None = a blank new profile) into the form."""
        self._current = prof.name if prof else None
        self._client_host = prof.client_host if prof else ""
        self._client_path = prof.client_path if prof else ""
        stream = prof.stream if prof else True
        self.query_one("#f-stream", Select).value = stream
        self._delete_armed = False
        for field in FIELDS:
            value = getattr(prof, field, "") if prof else ""
            # From a file anyone may have edited: an escape is shown, never obeyed.
            self.query_one(f"#f-{field}", Input).value = terminal_safe(value or "")
        self.query_one("#f-name", Input).disabled = prof is not None
        self.query_one("#f-preset", Select).disabled = prof is not None
        self.query_one("#f-key", Input).value = ""
        self.query_one("#key-status", Static).update("")
        if prof is not None:
            self.lookup_key(prof.name)
        self.refresh_preview()
        self._loaded = self._form_values()
        self._close_armed = False
        self._switch_armed = False

    def _form_values(self) -> tuple[str, ...]:
        fields = tuple(self.query_one(f"#f-{f}", Input).value for f in (*FIELDS, "key"))
        return (*fields, str(self.query_one("#f-stream", Select).value))

    @property
    def dirty(self) -> bool:
        """Whether the form holds edits not saved yet (a typed key counts)."""
        return bool(self._loaded) and self._form_values() != self._loaded

    def form_profile(self) -> Profile:
        values = {f: self.query_one(f"#f-{f}", Input).value.strip() for f in FIELDS}
        return Profile(
            name=values["name"],
            base_url=values["base_url"],
            model=values["model"],
            proxy=values["proxy"] or None,
            ca_bundle=values["ca_bundle"] or None,
            client_label=values["client_label"],
            client_host=self._client_host,
            client_path=self._client_path,
            stream=self.query_one("#f-stream", Select).value is not False,
        )

    def refresh_preview(self) -> None:
        table = self.query_one("#url-preview", DataTable)
        table.clear()
        expected, rows = preview_for_profile(self.form_profile())
        for row in rows:
            note = "; ".join(warning_text(w, self.lang, expected=expected) for w in row.warnings)
            url = shown(row.url) if row.url else "—"  # a key pasted as the address
            cells = (row.client, url, shown(note) or txt("ok", self.lang))
            table.add_row(*map(escape, cells))  # str cells are markup: "[/]" typed in the URL

    def message(self, text: str, error: bool = False) -> None:
        msg = self.query_one("#settings-message", Static)
        msg.update(shown(text))
        msg.set_class(error, "-error")

    # ----- keyring (thread workers: never block the UI, never touch a widget) ----------
    @work(thread=True, exclusive=True, group="key-lookup")
    def lookup_key(self, name: str) -> None:
        from tui.core.setup.keys import backend_info, get_key

        found, info = get_key(name), backend_info()
        self.app.call_from_thread(self._show_key_status, name, found, info)

    def _show_key_status(self, name: str, found: KeyLookup, info: BackendInfo) -> None:
        if name != self._current:
            return
        if found.key:
            text = txt("key_stored", self.lang, masked=found.masked, where=info.name)
        elif found.source == "unavailable":
            text = txt("key_unavailable", self.lang, reason=info.reason or "")
        else:
            text = txt("key_none", self.lang)
        self.query_one("#key-status", Static).update(text)

    @work(thread=True, group="key-store")
    def store_key(self, name: str, key: str) -> None:
        from tui.core.setup.keys import KeyStoreError, set_key

        try:
            set_key(name, key)
        except KeyStoreError as exc:
            if not exc.unavailable:
                self.app.call_from_thread(self._key_error, exc)
                return
            # No keyring: the console still takes it, for this session only, and says so.
            self.app.call_from_thread(self._use_for_session, name, key)
            return
        except ValueError as exc:
            self.app.call_from_thread(self._key_error, exc)
            return
        self.app.call_from_thread(self.lookup_key, name)

    def _key_error(self, exc: Exception) -> None:
        self.message(error_text(exc, self.lang), error=True)

    def _use_for_session(self, name: str, key: str) -> None:
        from tui.ui.session_key import remember_key

        try:
            remember_key(host(self), name, key)
        except ValueError as exc:
            self.message(error_text(exc, self.lang), error=True)
            return
        self.message(txt("key_session_only", self.lang, name=name))
        if name == self._current:
            self.query_one("#key-status", Static).update(txt("key_session", self.lang))

    # ----- events ----------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#profile-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id
        if name and name != self._current:
            if self.dirty and not self._switch_armed:
                # Moving to another profile would drop the edits: ask first.
                self._switch_armed = True
                name = self._current or "—"
                self.message(txt("unsaved_switch", self.lang, name=name), error=True)
                olist = event.option_list
                ids = [olist.get_option_at_index(i).id for i in range(olist.option_count)]
                if self._current in ids:
                    olist.highlighted = ids.index(self._current)
                return
            try:
                prof = next((p for p in list_profiles() if p.name == name), None)
            except ConfigError as exc:
                self.message(error_text(exc, self.lang), error=True)
                return
            self.fill(prof)

    @on(OptionList.OptionSelected, "#profile-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """A click or Enter selects a profile to look at or edit; it saves nothing
        and the session stays where it is (Use switches)."""

    @on(Select.Changed, "#f-preset")
    def _preset(self, event: Select.Changed) -> None:
        preset = get_preset(str(event.value)) if event.value != Select.BLANK else None
        if preset is None or self._current is not None:
            return
        self.query_one("#f-base_url", Input).value = preset.base_url
        self.query_one("#f-model", Input).value = preset.default_model
        name = self.query_one("#f-name", Input)
        if not name.value:
            name.value = preset.id
        self._loaded = self._form_values()  # a preset's defaults are not the user's edits

    @on(Input.Changed)
    def _edited(self) -> None:
        # typing after a warning: the next Esc or move asks again
        self._close_armed = self._switch_armed = False

    @on(Input.Changed, "#f-base_url")
    def _url_changed(self) -> None:
        self.refresh_preview()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#new-profile")
    def action_new(self) -> None:
        self.fill(None)
        self.query_one("#f-preset", Select).value = "alltkn"
        self.query_one("#f-name", Input).focus()

    @on(Button.Pressed, "#use-profile")
    def action_use(self) -> None:
        if not self._current:
            return
        try:
            set_active(self._current)
        except (ConfigError, ProfileError) as exc:
            self.message(error_text(exc, self.lang), error=True)
            return
        self._used = self._current
        self.message(txt("in_use", self.lang, name=self._current))
        self.reload(select=self._current)

    @on(Button.Pressed, "#delete-profile")
    def action_delete(self) -> None:
        if not self._current:
            return
        if not self._delete_armed:
            self._delete_armed = True
            self.message(txt("confirm_delete", self.lang, name=self._current))
            return
        name = self._current
        try:
            remove_profile(name)
        except (ConfigError, ProfileError) as exc:
            self.message(error_text(exc, self.lang), error=True)
            return
        self.delete_stored_key(name)
        self.message(txt("deleted", self.lang, name=name))
        self.reload(select=None)

    @work(thread=True, group="key-store")
    def delete_stored_key(self, name: str) -> None:
        from tui.core.setup.keys import KeyStoreError, delete_key

        try:
            delete_key(name)
        except KeyStoreError:
            pass  # nothing stored where there is no keyring

    @on(Button.Pressed, "#save-profile")
    def action_save(self) -> None:
        prof = self.form_profile()
        new = self._current is None
        try:
            if new:
                add_profile(prof)
            else:
                save_profile(prof, overwrite=True)
        except (ConfigError, ProfileError) as exc:
            self.message(error_text(exc, self.lang), error=True)
            return
        key_input = self.query_one("#f-key", Input)
        if key_input.value.strip():
            self.store_key(prof.name.strip(), key_input.value)
            key_input.value = ""
        name = prof.name.strip()
        self.message(txt("saved", self.lang, name=name))
        try:
            if new and self._used is None and active_profile_name() == name:
                self._used = name  # the first profile: the session starts using it
        except ConfigError:
            pass
        self.reload(select=name)

    @on(Button.Pressed, "#close-settings")
    def action_close(self) -> None:
        """Close; edits not saved yet ask first (a second Esc discards them)."""
        if self.dirty and not self._close_armed:
            self._close_armed = True
            name = self._current or self.query_one("#f-name", Input).value.strip() or "—"
            self.message(txt("unsaved", self.lang, name=name), error=True)
            return
        self.dismiss(self._used)
