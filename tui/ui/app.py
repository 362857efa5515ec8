"""The gateway-doctor console (Textual app).

The app owns the state panes read (``lang``, ``exchange_log``, ``target``,
``report``) and the actions; ``MainScreen`` owns the layout and the check
worker. Test hooks (engine, clipboard, clock, spinner, pane factories) are
constructor arguments so tests and screenshots stay deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.app import App
from textual.reactive import reactive
from textual.widget import Widget

from tui.core.diagnosis.model import Report, Status, Target
from tui.core.i18n import detect_lang, normalize_lang
from tui.core.i18n.catalogue import Msg, render
from tui.core.net.exchange import ExchangeLog
from tui.core.setup.config import read_saved, remember_setting
from tui.core.setup.target import missing_setup
from tui.ui.bindings import bind, read_keymap
from tui.ui.cjk_wrap import install as install_cjk_wrap
from tui.ui.clipboard import CopyOutcome, SystemCopy, copy_text, outcome_message, pyperclip_copy
from tui.ui.commands import ConsoleCommands
from tui.ui.crash import MaskedApp
from tui.ui.host import ChatPaneLike, InspectorPaneLike
from tui.ui.labels import t
from tui.ui.palette import TextualInLanguage
from tui.ui.paths import first_stylesheets
from tui.ui.screens.main import MainScreen
from tui.ui.startup import StartUp, real_engine

#: Chinese and mixed text breaks between characters in every widget (tui/ui/cjk_wrap.py).
install_cjk_wrap()

THEMES = {"dark": "textual-dark", "light": "textual-light"}


class GatewayDoctorApp(StartUp, TextualInLanguage, MaskedApp):
    """Live checklist, step remediation, chat and inspector for one gateway."""

    TITLE = "gateway-doctor"
    #: The first frame's; the chat's, inspector's and dialogs' come when first needed
    #: (load_late_styles): parsing and matching them cost the first frame ~10 ms.
    CSS_PATH = [str(p) for p in first_stylesheets()]
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS = [
        bind("q", "quit", "ui.b.quit", id="quit"),
        bind("ctrl+c", "quit", "ui.b.quit", id="quit.ctrl_c", show=False, priority=True),
        bind("l", "toggle_lang", "ui.b.lang", id="lang"),
        bind("t", "toggle_theme", "ui.b.theme", id="theme"),
        # Two bindings: typing in a box, ? is text and the footer shows F1 instead.
        bind("question_mark", "help", "ui.b.help", id="help", key_display="?"),
        bind("f1", "help", "ui.b.help", id="help.f1", key_display="F1"),
        bind("z,f7", "zoom_pane", "ui.b.zoom", id="zoom", key_display="z", show=False),
        # Textual's own, made here so it has an id and our words.
        bind("ctrl+p", "command_palette", "ui.b.palette", id="palette", show=False, priority=True),
    ]
    #: the console's language; the main screen and its panes are bound to it
    lang: reactive[str] = reactive("en")

    def __init__(
        self,
        target: Target | None = None,
        *,
        sources: dict[str, str] | None = None,
        problems: list[Msg] | None = None,
        lang: str | None = None,
        theme: str | None = None,
        demo: Any = None,
        scenario: str | None = None,
        engine: Callable[..., Any] | None = None,
        system_copy: SystemCopy | None = pyperclip_copy,
        autorun: bool = True,
        animate_spinner: bool = True,
        now: Any = None,
        chat_factory: Callable[[Target, ExchangeLog, str], Widget] | None = None,
        inspector_factory: Callable[[ExchangeLog, str], Widget] | None = None,
        resolve_kwargs: dict[str, Any] | None = None,
        first_run: bool = False,
        child_run: Any = None,
    ) -> None:
        super().__init__()
        #: set once mounted: a language or theme changed after that is saved for next time
        self._started = False
        #: The config file, read once: [settings] (language and theme chosen in an earlier
        #: session), [keymap], and why it could not be read
        config, self._config_problem = read_saved()
        self._saved_keymap = config.get("keymap")
        saved = config.get("settings") or {}
        self._settings = {k: v for k, v in saved.items() if isinstance(v, str)}
        self.lang = lang or normalize_lang(self._settings.get("language")) or detect_lang()
        self.target = target or Target()
        self.sources = dict(sources or {})
        self.problems = list(problems or [])
        self.exchange_log = ExchangeLog()
        self.report: Report | None = None
        self.demo = demo
        self.scenario = scenario
        self.engine = engine or real_engine
        self.system_copy = system_copy
        self.autorun = autorun
        self.animate_spinner = animate_spinner
        self.now = now
        self._chat_factory = chat_factory
        self._inspector_factory = inspector_factory
        self.resolve_kwargs = dict(resolve_kwargs or {})
        #: Open the first-run wizard when nothing is configured (the CLI sets this
        #: when there is no profile at all; tests build the app without it).
        self.first_run = first_run
        theme = theme or self._settings.get("theme") or "dark"
        self._theme_choice = THEMES.get(theme, theme)
        #: profile name ("" = none) -> a key given this session (prompt, settings, wizard,
        #: --api-key-stdin): kept in memory only, never written anywhere.
        self.session_keys: dict[str, str] = {}
        #: the first check run, started before the screen exists (see on_load)
        self._early: Any = None
        #: that run already going on in a child process (tui/core/diagnosis/child_run.py)
        self._child_run = child_run
        #: the screen everything is shown on (get_default_screen)
        self._main: MainScreen | None = None
        #: where the last ``c`` (support summary) went
        self.last_copy: CopyOutcome | None = None
        self._late_styles = False

    # ----- setup ------------------------------------------------------------------
    @property
    def missing(self) -> list[str]:
        """What the user has not provided: ``base_url`` (only the preset) and/or ``key``."""
        return missing_setup(self.target, self.sources)

    @property
    def configured(self) -> bool:
        return len(self.missing) < 2

    @property
    def chat_target(self) -> Target:
        """The target the chat may use: none until a gateway is chosen, so nothing goes
        on the network (not even ``/models``) before the user picked one."""
        return self.target if self.configured else replace(self.target, base_url="")

    def make_chat(self) -> Widget:
        if self._chat_factory:
            return self._chat_factory(self.chat_target, self.exchange_log, self.lang)
        from tui.ui.widgets.chat import ChatPane

        return ChatPane(self.chat_target, self.exchange_log, self.lang, id="chat-pane")

    def make_inspector(self) -> Widget:
        if self._inspector_factory:
            return self._inspector_factory(self.exchange_log, self.lang)
        from tui.ui.widgets.inspector import InspectorPane

        return InspectorPane(self.exchange_log, self.lang, id="inspector-pane")

    def on_mount(self) -> None:
        if self._theme_choice in self.available_themes:
            self.theme = self._theme_choice
        self._apply_keymap()
        self._started = True

    def get_default_screen(self) -> MainScreen:
        """The main screen is the bottom of the stack: nothing blank under it."""
        self._main = MainScreen(self.lang).data_bind(GatewayDoctorApp.lang)
        return self._main

    @property
    def main(self) -> MainScreen:
        if self._main is None:
            raise LookupError("main screen not mounted")  # not-ui-text: a bug, never shown
        return self._main

    # ----- checks -------------------------------------------------------------------
    def run_all(self) -> None:
        if not self.configured:
            self.notify(t("n.not_configured", self.lang), severity="warning")
            self.main.show_setup()
            return
        self.main.run_checks()

    def run_step(self, check_id: str) -> None:
        if not self.configured:
            self.run_all()
            return
        self.main.run_checks(frozenset({check_id}))

    def set_target(self, target: Target, scenario: str | None = None) -> None:
        """Point the console (and the chat pane) at a new target and re-run."""
        self.target = target
        self.scenario = scenario
        self.report = None
        self.sources.setdefault("base_url", "flag")
        chat = next(iter(self.main.query("#chat-pane")), None) if self.main.late_ready else None
        if isinstance(chat, ChatPaneLike):  # (a test may mount a stub)
            chat.set_target(self.chat_target)
        self.main.refresh_target()
        self.main.refresh_bindings()
        self.run_all()

    def focus_result(self):
        """The selected step if it is a problem, else the first problem, else the selected."""
        selected = self.main.selected_result()
        if selected is not None and selected.status in (Status.FAIL, Status.WARN):
            return selected
        if self.report is not None:
            return self.report.first_problem() or selected
        return selected

    # ----- copy / evidence ------------------------------------------------------------
    def copy_summary(self) -> None:
        """Copy the support summary; the notification says where it went."""
        from tui.core.diagnosis.summary import support_summary

        if self.report is None:
            self.notify(t("n.nothing_to_copy", self.lang), severity="warning")
            return
        result = self.focus_result()
        text = support_summary(
            self.report, check=result, lang=self.lang, log=self.exchange_log, now=self.now
        )
        outcome = copy_text(text, osc52=self.copy_to_clipboard, system=self.system_copy)
        message, severity = outcome_message(outcome, self.lang)
        self.notify(message, severity=severity, timeout=8)
        self.last_copy = outcome

    def show_evidence(self) -> None:
        """Jump to the HTTP exchange behind the selected step (none selected: the first
        failed); for a skipped step, its request sent ahead, if any. A step that made no
        request says so: never another step's exchange."""
        result = self.main.selected_result() or self.focus_result()
        if self._show_handshake(result):
            return
        from tui.core.diagnosis.evidence import proving_exchange, sent_ahead

        ids = list(result.exchanges) if result else []
        ahead = not ids and bool(ids := sent_ahead(result, self.exchange_log))
        if result is None or not ids:
            self.notify(t("n.no_evidence", self.lang), severity="warning")
            return
        if not self.main.late_ready:  # mid-run, before the inspector was built
            self.main.with_panes(self.show_evidence)
            return
        if ahead:  # skipped, its request sent ahead: shown, and said why it was not used
            self.notify(t("n.evidence_ahead", self.lang), timeout=8)
        self.main.show_pane("inspector")
        pane = next(iter(self.main.query("#inspector-pane")), None)
        if isinstance(pane, InspectorPaneLike):  # (a test may mount a stub)
            proof = proving_exchange(result, self.exchange_log)
            pane.show_exchange(proof.id if proof else ids[-1])
            pane.focus_main()

    def action_zoom_pane(self) -> None:
        """Maximise the focused pane, or restore the layout (``z``, ``Esc``, palette)."""
        from tui.ui.maximize import toggle_pane

        toggle_pane(self.screen)

    def _show_handshake(self, result: Any) -> bool:
        """A TLS failure before any request: show its handshake evidence in the step detail."""
        from tui.ui.widgets.handshake import prefers_handshake
        from tui.ui.widgets.step_detail import StepDetail

        if not prefers_handshake(result):
            return False
        self.main.show_pane("checks")
        self.main.query_one(StepDetail).show_handshake(result, self.lang)
        return True

    # ----- language / theme / keys / help ----------------------------------------------
    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh-CN" else "zh-CN"

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def watch_lang(self, lang: str) -> None:
        self._remember("language", lang)

    def watch_theme(self, theme: str) -> None:
        self._remember("theme", {v: k for k, v in THEMES.items()}.get(theme, theme))

    def _remember(self, key: str, value: str) -> None:
        """Keep a choice made in the console for the next start (a flag's is not saved)."""
        if not self._started or self._settings.get(key) == value:
            return
        self._settings[key] = value
        remember_setting(key, value)

    def _apply_keymap(self) -> None:
        """The user's ``[keymap]`` (binding id = keys); each bad entry is named, and left out."""
        keymap, problems = read_keymap(self._saved_keymap, self.lang)
        self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", timeout=15)
        unreadable = self._config_problem
        if unreadable is not None and unreadable not in self.problems:
            # The demo resolves no target from the file, so nothing else would say it: the
            # keymap and the saved language are then not applied, nor kept.
            self.notify(render(unreadable, self.lang), severity="warning", timeout=15)

    def action_help(self) -> None:
        from tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang, self.screen.active_bindings.values()))

    # ----- demo / profiles / settings -----------------------------------------------------
    def start_demo(self, scenario: str = "healthy") -> None:
        """Start the built-in demo gateway in-process and diagnose it."""
        from tui.demo.start import start_demo

        self.demo, target = start_demo(scenario)
        self.refresh_bindings()  # s appears in the footer
        self.problems = []
        self.sources = {"base_url": "demo", "key": "demo"}
        self.set_target(target, scenario)

    def choose_scenario(self) -> None:
        if self.demo is None:
            self.notify(t("n.not_demo", self.lang), severity="warning")
            return
        from tui.demo.server import SCENARIOS
        from tui.ui.screens.scenario import ScenarioScreen

        def chosen(name: str | None) -> None:
            if name and name != self.scenario:
                target = replace(self.target, base_url=self.demo.scenario_url(name))
                self.notify(t("n.scenario", self.lang, name=name))
                self.set_target(target, name)

        self.push_screen(ScenarioScreen(SCENARIOS, self.scenario, self.lang), chosen)

    def switch_profile(self, name: str | None) -> None:
        """Resolve the target again for profile ``name`` and re-run."""
        from tui.core.setup.target import resolve_target

        kwargs = {**self.resolve_kwargs, **({"profile": name} if name else {})}
        resolved = resolve_target(**kwargs)
        self.resolve_kwargs = kwargs
        self.sources, self.problems = dict(resolved.sources), list(resolved.problems)
        target = resolved.target
        session_key = self.session_keys.get(target.profile or "")
        if session_key:
            target = replace(target, api_key=session_key)
            self.sources["key"] = "session"
        if name:
            self.notify(t("n.profile", self.lang, name=name))
        self.set_target(target)
        if not self.configured:
            self.main.show_setup()

    def open_settings(self) -> None:
        """Settings; on close the session follows the profile chosen with Use (else
        re-reads its own, which may have been edited)."""
        from tui.ui.screens.settings import SettingsScreen

        def closed(name: str | None = None) -> None:
            if name:
                self.switch_profile(name)
            elif self._saved_profile(self.target.profile):
                self.switch_profile(self.target.profile)  # it may have been edited
            # else the session is not a saved profile's (the demo, flags, environment): keep it

        self.push_screen(SettingsScreen(), closed)

    @staticmethod
    def _saved_profile(name: str | None) -> bool:
        from tui.core.setup.profiles import list_profiles

        if not name:
            return False
        try:
            return any(p.name == name for p in list_profiles())
        except Exception:  # noqa: BLE001 - a broken config file: keep the session as it is
            return False

    def open_key_prompt(self) -> None:
        from tui.ui.screens.key_prompt import KeyPrompt

        def given(key: str | None) -> None:
            if key:
                self.use_session_key(key)

        self.push_screen(KeyPrompt(self.target.profile, self.lang), given)

    def use_session_key(self, key: str, profile: str | None = None) -> None:
        """Use ``key`` for this session (not saved) and run the checks with it."""
        from tui.ui.session_key import remember_key

        name = self.target.profile if profile is None else profile
        key = remember_key(self, name, key)
        if (name or "") != (self.target.profile or ""):
            return  # for another profile: applied when the session switches to it
        self.sources["key"] = "session"
        self.notify(t("n.key_session", self.lang), severity="warning", timeout=10)
        self.set_target(replace(self.target, api_key=key), self.scenario)

    def open_wizard(self) -> None:
        from tui.ui.screens.wizard import FirstRunWizard

        self.push_screen(FirstRunWizard(), self.switch_profile)
