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


def test_ctrl_c_while_the_command_line_is_imported_leaves_no_traceback():
    """The console script's first milliseconds (its import of tui.cli) printed Python's
    traceback; ``tui.entry`` catches it (the package itself imports nothing)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tui.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from tui import entry\n"
        "raise SystemExit(entry())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130
    assert "Traceback" not in done.stderr
