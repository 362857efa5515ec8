"""The footer is rebuilt only when what it shows changes (issue 14).

Textual recomposes a footer on every bindings update: at start-up that was six
rebuilds in 300 ms (17-70 ms each) on the loop the first checks share, five of
them drawing the same keys again.
"""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from tests.support.console import console_app, wait_for
from tui.ui.footer import ConsoleFooter


def footer_text(app) -> str:
    return app.screen._compositor.render_strips()[-1].text


async def test_start_up_builds_the_footer_keys_once_and_a_change_rebuilds_them(monkeypatch):
    built: list[int] = []
    compose = ConsoleFooter.compose

    def counting(self):
        built.append(1)
        return compose(self)

    monkeypatch.setattr(ConsoleFooter, "compose", counting)
    app = console_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await pilot.pause(0.3)
        footer = app.main.query_one(ConsoleFooter)
        keys_at_start = list(footer.query(FooterKey))
        assert keys_at_start and "Quit" in footer_text(app)
        # composes that drew keys: the first one with bindings ready, and none again
        # while nothing the footer shows changed (mounting panes, focus moves, resizes)
        assert len(built) <= 3, built
        assert list(footer.query(FooterKey)) == keys_at_start  # the same widgets
        # A real change (another language) still rebuilds it.
        before = footer_text(app)
        await pilot.press("l")
        await wait_for(pilot, lambda: footer_text(app) != before)
        assert "全查" in footer_text(app) and "退出" in footer_text(app)
