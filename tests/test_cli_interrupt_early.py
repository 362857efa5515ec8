"""Ctrl-C before the command runs (the parser being built, ~60 ms after start) leaves
with 130 and the catalogue's line, like Ctrl-C during a command: never a traceback
(new-user review: a KeyboardInterrupt traceback in the first ~0.3 s)."""

from __future__ import annotations

import pytest

from tui import cli


@pytest.mark.parametrize(
    ("argv", "said"), [(["check"], "interrupted"), (["--lang", "zh-CN"], "已中断")]
)
def test_ctrl_c_while_the_parser_is_built(monkeypatch, capsys, argv, said):
    def interrupted(lang: str = "en", argv=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(argv) == 130
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
