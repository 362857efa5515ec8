"""The chat settings row: model picker (type to filter), temperature, max tokens, stream.

The model box accepts free text (gateways without ``/models`` still work) and,
when the list from ``GET /models`` is known, shows matching names below it as
you type (substring match, case-insensitive) plus inline completion.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Switch
from textual.widgets.option_list import Option

from tui.core.chat.session import ChatSettings
from tui.core.chat.transcript import t
from tui.core.models.render import shown_id


class ModelFilterList(OptionList):
    """Model names matching what is typed in the model box, each with its last probe
    (``✓ 320 ms · 5 min ago`` / ``✗ model.unavailable · …``), and "Probe models" last."""

    class Picked(Message):
        def __init__(self, model: str) -> None:
            super().__init__()
            self.model = model

    class ProbeAsked(Message):
        """The list's "Probe models" entry was chosen."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.models: list[str] = []
        self.target_input: Input | None = None
        #: model -> its last probe, written (set by the chat pane; see tui.core.models.memory)
        self.marks: dict[str, str] = {}
        #: the "Probe models" entry's words ("" none)
        self.probe_label = ""
        self._shown: list[str] = []
        #: keys typed here not yet in the box (None: none waiting)
        self._pending: str | None = None

    def filter(self, text: str) -> int:
        """Show models containing ``text``; return how many match."""
        needle = text.strip().lower()
        matches = [m for m in self.models if needle in m.lower()] if self.models else []
        if [shown_id(m) for m in matches] == [text.strip()]:
            matches = []  # exactly chosen: nothing left to pick
        self.clear_options()
        self._shown = matches
        # Content: names are not markup; shown_id: a gateway's id may hold escapes.
        options = []
        for m in matches:
            mark = self.marks.get(m)
            name = Content(shown_id(m))  # a leading blank or CR shown, not trimmed
            if mark:
                style = {"✓": "$text-success", "✗": "$text-error"}.get(mark[:1], "$text-warning")
                name = Content.assemble(name, "  ", (mark, style))
            options.append(Option(name))
        if matches and self.probe_label:
            options.append(Option(Content.styled(self.probe_label, "italic"), id="probe"))
        self.add_options(options)
        if matches:
            self.highlighted = 0
        return len(matches)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys are typing here (see on_key): the footer must not offer them
        as shortcuts ("q Quit" while the list has focus)."""
        return self.target_input is not None and character is not None and character.isprintable()

    def on_key(self, event: events.Key) -> None:
        """Typing is text: a printable key goes back to the model box (which filters the
        list), never to a console shortcut (``q`` quit, ``t`` theme, ``p`` settings);
        Esc closes the list and returns to the box."""
        box = self.target_input
        if box is None:
            return
        if event.key == "escape":
            self.display = False
        elif not (event.is_printable and event.character):
            return
        event.stop()
        event.prevent_default()
        typed = "" if event.key == "escape" else event.character or ""
        if self._pending is not None:
            # Keys that came in the same read (SSH lag, a paste) were all sent here before
            # the box took focus: they join the first, in order, at its cursor.
            self._pending += typed
            return
        self._pending = typed
        cursor = box.cursor_position
        self.screen.set_focus(box)  # now (focus() defers it): the Focus event is queued first
        # After the box's Focus event (which selects all): the letter must not be replaced
        # by the next one; the cursor stays where it was.
        box.call_later(self._type_pending, box, cursor)

    def _type_pending(self, box: Input, cursor: int) -> None:
        typed, self._pending = self._pending or "", None
        _type_at(box, cursor, typed)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "probe":
            self.post_message(self.ProbeAsked())
        elif 0 <= event.option_index < len(self._shown):
            self.post_message(self.Picked(shown_id(self._shown[event.option_index])))


def _type_at(box: Input, cursor: int, typed: str) -> None:
    box.cursor_position = min(cursor, len(box.value))
    if typed:
        box.insert_text_at_cursor(typed)


class ChatSettingsBar(Horizontal):
    """Model, optional second model (compare), temperature, max tokens, stream."""

    def __init__(self, model: str, lang: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        #: model names as shown (made visible) -> as the gateway lists them
        self._listed: dict[str, str] = {}
        self.model = model
        self.lang = lang
        self._suggester = SuggestFromList([], case_sensitive=False)

    def compose(self) -> ComposeResult:
        yield Input(
            self.model,
            placeholder=t("model_ph", self.lang),
            id="chat-model",
            suggester=self._suggester,
            compact=True,
        )
        yield Input(
            placeholder=t("model_b_ph", self.lang),
            id="chat-model-b",
            suggester=self._suggester,
            compact=True,
        )
        yield Input(placeholder=t("temp_ph", self.lang), id="chat-temp", compact=True)
        yield Input(placeholder=t("max_ph", self.lang), id="chat-max", type="integer", compact=True)
        yield Label(t("stream", self.lang), id="chat-stream-label")
        # The profile's stream setting (issue 18: a known working setup includes it).
        stream = getattr(getattr(self.app, "target", None), "stream", True)
        yield Switch(stream is not False, id="chat-stream", animate=False)

    def set_lang(self, lang: str) -> None:
        """Relabel the placeholders and the stream switch in ``lang``."""
        self.lang = lang
        for box_id, key in (
            ("chat-model", "model_ph"),
            ("chat-model-b", "model_b_ph"),
            ("chat-temp", "temp_ph"),
            ("chat-max", "max_ph"),
        ):
            self.query_one(f"#{box_id}", Input).placeholder = t(key, lang)
        self.query_one("#chat-stream-label", Label).update(t("stream", lang))

    def set_models(self, models: list[str]) -> None:
        """Use the gateway's model list for completion and filtering.

        The ids are the gateway's words: made terminal-safe once, here, for the
        suggestions, the filter list and the model box that shows them.
        """
        # shown -> as listed: " gpt-4o" is shown "␠gpt-4o" and sent as listed (issue 17 review 2)
        self._listed = {shown_id(m): m for m in models}
        self._suggester = SuggestFromList(list(self._listed), case_sensitive=False)
        for box in self.query(Input).filter("#chat-model, #chat-model-b"):
            box.suggester = self._suggester

    def set_model(self, model: str) -> None:
        self.query_one("#chat-model", Input).value = model

    @property
    def model_value(self) -> str:
        """The model box's name; a listed id shown made visible is the id as listed."""
        value = self.query_one("#chat-model", Input).value.strip()
        return self._listed.get(value, value)

    @property
    def model_b_value(self) -> str:
        value = self.query_one("#chat-model-b", Input).value.strip()
        return self._listed.get(value, value)

    def read_into(self, settings: ChatSettings, default_model: str) -> list[str]:
        """Copy the row into ``settings``; return readable problems (values ignored)."""
        problems: list[str] = []
        settings.model = self.model_value or default_model
        settings.stream = self.query_one("#chat-stream", Switch).value
        temp = self.query_one("#chat-temp", Input).value.strip()
        settings.temperature = None
        if temp:
            try:
                value = float(temp.replace(",", "."))
                if not 0 <= value <= 2:
                    raise ValueError
                settings.temperature = value
            except ValueError:
                problems.append(
                    t("bad_number", self.lang, field=t("temp_ph", self.lang), example="0.7")
                )
        max_tokens = self.query_one("#chat-max", Input).value.strip()
        settings.max_tokens = None
        if max_tokens:
            try:
                value_i = int(max_tokens)
                if value_i <= 0:
                    raise ValueError
                settings.max_tokens = value_i
            except ValueError:
                problems.append(
                    t("bad_number", self.lang, field=t("max_ph", self.lang), example="512")
                )
        return problems

    @on(Input.Changed, "#chat-model, #chat-model-b")
    def _model_typed(self, event: Input.Changed) -> None:
        self.post_message(ModelTyped(event.input, event.value))

    @on(Input.Submitted, "#chat-model, #chat-model-b, #chat-temp, #chat-max")
    def _settings_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(SettingsCommitted(event.input))


class ModelTyped(Message):
    """Text changed in a model box (the pane filters the list)."""

    def __init__(self, box: Input, value: str) -> None:
        super().__init__()
        self.box = box
        self.value = value


class SettingsCommitted(Message):
    """Enter pressed in a settings box (the pane moves focus back to the prompt)."""

    def __init__(self, box: Input) -> None:
        super().__init__()
        self.box = box
