"""Textual's own words in the console's language: the palette, the key panel, screenshots.

Textual writes a few things itself: the palette's "no matches" line, the
theme picker's prompt, the key panel's group headings (``Input``), its system
commands (Theme, Quit, Keys …) and the screenshot toasts. This module gives each
the catalogue's text (44-textual.toml, 40-console.toml) through a subclass or
the :class:`TextualInLanguage` mixin of the app; binding descriptions are
translated where they are read (tui/ui/bindings.py).
Written against Textual 8.2.x: tests/test_console_chinese.py reads the screen,
so a Textual release that moves one of these strings fails there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.align import Align
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets.option_list import Option

from tui.core.i18n.catalogue import text
from tui.ui.labels import has_label, t

__all__ = ["ConsolePalette", "TextualInLanguage"]


def _lang(node: object) -> str:
    return getattr(getattr(node, "app", None), "lang", "en") or "en"


class ConsolePalette(CommandPalette):
    """The command palette, its "no matches" line in the console's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the catalogue's words (Textual writes them inline)."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                words = text("textual.palette.no_matches", _lang(self))
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(words, style=Style(bold=False))),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class TextualInLanguage:
    """Mixin for the App: the commands, prompts and toasts Textual adds, in ``self.lang``."""

    lang: str

    def get_system_commands(self: Any, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands (theme, quit, keys, ...) in the current language."""
        for cmd in App.get_system_commands(self, screen):  # the App this mixes into
            key = f"sys.{cmd.title}"
            if cmd.callback == self.action_show_help_panel:
                yield cmd._replace(
                    title=t("cmd.keys", self.lang), help=t("cmd.keys.show", self.lang)
                )
            elif cmd.callback == self.action_hide_help_panel:
                yield cmd._replace(
                    title=t("cmd.keys", self.lang), help=t("cmd.keys.hide", self.lang)
                )
            elif self.lang == "en" or not has_label(key):
                yield cmd
            else:
                yield cmd._replace(title=t(key, self.lang), help=t(key + ".tip", self.lang))

    def action_command_palette(self: Any) -> None:
        """The command palette, its search prompt in the current language."""
        if self.use_command_palette and not ConsolePalette.is_open(self):
            placeholder = t("cmd.search", self.lang)
            self.push_screen(ConsolePalette(placeholder=placeholder, id="--command-palette"))

    def search_themes(self: Any) -> None:
        """Textual's theme picker (palette → Theme), its prompt in the current language."""
        from textual.theme import ThemeProvider

        placeholder = text("textual.palette.themes", self.lang)
        self.push_screen(ConsolePalette(providers=[ThemeProvider], placeholder=placeholder))

    def action_show_help_panel(self: Any) -> None:
        """Textual's key panel (palette → Keys), its words in the current language."""
        if not self.screen.query("HelpPanel"):
            from tui.ui.help_panel import ConsoleHelpPanel  # Markdown's stack: only now

            self.screen.mount(ConsoleHelpPanel())

    def deliver_screenshot(
        self: Any,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Palette → Screenshot: into the Downloads folder, as Textual does; where there is
        none (a server, a fresh account: the save failed), into our state directory."""
        if path is None:
            from platformdirs import user_downloads_path

            if not user_downloads_path().is_dir():
                from tui.core.safe.files import ensure_private_dir
                from tui.core.setup.state import state_dir

                try:
                    ensure_private_dir(state_dir())  # 0700, never one others can write
                    path = str(state_dir())
                except OSError:
                    pass  # Textual's own attempt then fails, and says so
        return super().deliver_screenshot(filename, path, time_format)  # type: ignore[misc]

    def on_delivery_complete(self: Any, event: events.DeliveryComplete) -> None:
        """Palette → Screenshot: saved (Textual's own toast says it in English)."""
        if event.name == "screenshot":
            event.prevent_default()
            title = text("textual.screenshot.title", self.lang)
            if event.path is None:
                self.notify(text("textual.screenshot.saved", self.lang), title=title)
            else:
                words = text("textual.screenshot.saved_to", self.lang, path=str(event.path))
                self.notify(words, title=title)

    def on_delivery_failed(self: Any, event: events.DeliveryFailed) -> None:
        if event.name == "screenshot":
            event.prevent_default()
            title = text("textual.screenshot.title", self.lang)
            words = text("textual.screenshot.failed", self.lang)
            self.notify(words, title=title, severity="error")
