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


def test_ctrl_c_wrapped_by_python_in_an_import_is_an_interrupt(monkeypatch, capsys):
    """Ctrl-C while Textual's Input class was created reached the crash path (exit 70,
    a crash report): Python 3.11 wraps it in RuntimeError ('Error calling
    __set_name__'). It is an interrupt: 'interrupted', 130."""
    import tui.commands.console as console_command

    def interrupted(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'reactive' instance") from exc

    monkeypatch.setattr(console_command, "run", interrupted)
    assert cli.main(["--base-url", "http://127.0.0.1:9/v1"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "unexpected error" not in err
