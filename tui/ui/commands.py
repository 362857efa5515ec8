"""The console's own commands in the command palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.diagnosis.model import CHECK_IDS
from tui.core.diagnosis.remediation import check_title
from tui.core.i18n.catalogue import text
from tui.ui.host import console
from tui.ui.labels import t


def _profile_names() -> list[str]:
    """Saved profile names; none when the config is unreadable (never raises)."""
    try:
        from tui.core.setup.profiles import list_profiles

        return [p.name for p in list_profiles()]
    except Exception:
        return []


def _probe_models(app: object) -> None:
    """Show the chat pane and probe its listed models (the picker then shows the results)."""
    main = console(app).main  # type: ignore[arg-type]
    if not main.late_ready:
        main.with_panes(lambda: _probe_models(app))
        return
    main.show_pane("chat")
    for pane in main.query("#chat-pane"):
        probe = getattr(pane, "probe_models", None)
        if callable(probe):
            probe()


def _stop_probe(app: object) -> None:
    """Stop the chat pane's running model probe (what it measured is kept)."""
    for pane in console(app).main.query("#chat-pane"):  # type: ignore[arg-type]
        stop = getattr(pane, "stop_probe", None)
        if callable(stop):
            stop()


def _probing(app: object) -> bool:
    try:
        panes = console(app).main.query("#chat-pane")  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - no main screen yet: nothing is probing
        return False
    return any(getattr(p, "probe_running", False) for p in panes)


def _run_trial(app: object) -> None:
    """Show the Trial pane and start the roll-out trial (its budget modal comes first)."""
    main = console(app).main  # type: ignore[arg-type]
    if not main.late_ready:
        main.with_panes(lambda: _run_trial(app))
        return
    main.show_pane("trial")
    for pane in main.query("#trial-pane"):
        start = getattr(pane, "action_start", None)
        if callable(start):
            start()


def _history(app: object, action: str | None) -> None:
    """Show the history pane (5); then restore the last good setup or toggle watching."""
    main = console(app).main  # type: ignore[arg-type]
    if not main.late_ready:
        main.with_panes(lambda: _history(app, action))
        return
    main.show_pane("history")
    for pane in main.query("#history-pane"):
        act = getattr(pane, action, None) if action else None
        if callable(act):
            act()


class ConsoleCommands(Provider):
    """Run all / one step, copy, language, theme, profile, scenario, settings, help."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = console(self.app)
        lang = app.lang
        cmds: list[tuple[str, Callable[[], object], str]] = [
            (t("cmd.run", lang), app.run_all, t("b.run.tip", lang)),
        ]
        for cid in CHECK_IDS:
            title = t("cmd.step", lang, title=check_title(cid, lang))
            help_text = t("cmd.step.tip", lang, title=check_title(cid, lang))
            cmds.append((title, partial(app.run_step, cid), help_text))
        cmds += [
            (t("cmd.copy", lang), app.copy_summary, t("b.copy.tip", lang)),
            (t("cmd.evidence", lang), app.show_evidence, t("b.evidence.tip", lang)),
            (t("cmd.zoom", lang), app.action_zoom_pane, t("b.zoom.tip", lang)),
            (t("cmd.lang", lang), app.action_toggle_lang, t("b.lang.tip", lang)),
            (t("cmd.theme", lang), app.action_toggle_theme, t("b.theme.tip", lang)),
            (t("cmd.help", lang), app.action_help, t("b.help.tip", lang)),
            (t("cmd.settings", lang), app.open_settings, ""),
            (
                text("palette.models.probe", lang),
                partial(_probe_models, app),
                text("palette.models.probe_help", lang),
            ),
        ]
        if _probing(app):
            cmds.append(
                (
                    text("palette.models.stop", lang),
                    partial(_stop_probe, app),
                    text("palette.models.stop_help", lang),
                )
            )
        cmds.append(
            (
                text("trial.view.palette", lang),
                partial(_run_trial, app),
                text("trial.view.palette_help", lang),
            )
        )
        for part, action in (("history", None), ("restore", "action_restore"),
                             ("watch", "action_toggle_watch")):  # fmt: skip
            cmds.append(
                (
                    text(f"history.view.palette_{part}", lang),
                    partial(_history, app, action),
                    text(f"history.view.palette_{part}_help", lang),
                )
            )
        if app.demo is not None:
            cmds.append((t("cmd.scenario", lang), app.choose_scenario, t("b.scenario.tip", lang)))
        for name in _profile_names():
            cmds.append((t("cmd.profile", lang, name=name), partial(app.switch_profile, name), ""))
        return cmds

    @cached_property
    def _listed(self) -> list[tuple[str, Callable[[], object], str]]:
        """The commands, built once per palette opening (it reads the saved profiles)."""
        return self.commands()

    async def discover(self) -> Hits:
        for name, callback, help_text in self._listed:
            yield DiscoveryHit(name, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        typed = query.strip().casefold()
        for name, callback, help_text in self._listed:
            score = matcher.match(name)
            if score > 0 and typed and name.casefold().startswith(typed):
                score *= 1.5  # "restore": Restore last good, before "… / restore the layout"
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text or None)
