"""The models command's output: no textual imported, colour only on a terminal, and a
hostile gateway's model names and words made terminal-safe in the table."""

from __future__ import annotations

import json
import subprocess
import sys

from tui.core.models.catalog import ModelInfo
from tui.core.models.probe import ProbeResult
from tui.core.models.render import KeyRun, render_csv, render_text

KEY = "sk-test-FAKE-output-0123456789abcdef"


def test_the_models_command_imports_no_textual(demo_gateway, env_without_proxies):
    url = demo_gateway.scenario_url("model_mix")
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"rc = main(['models', '--probe', '--json', '--models', 'gpt-4o', '--base-url', {url!r}])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "sys.stderr.write('TEXTUAL:' + ','.join(bad))\n"
        "sys.exit(rc)\n"
    )
    env = dict(env_without_proxies, GATEWAY_DOCTOR_API_KEY=KEY)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["working"] == 1
    assert r.stderr.strip().endswith("TEXTUAL:"), r.stderr[-500:]


def test_colour_only_on_a_terminal(demo_gateway, monkeypatch, capsys):
    from tui.cli import main

    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", KEY)
    monkeypatch.setattr("tui.commands.models.use_color", lambda stream: True)
    url = demo_gateway.scenario_url("model_mix")
    assert main(["models", "--probe", "--models", "gpt-4o,gpt-4-32k", "--base-url", url]) == 0
    out = capsys.readouterr().out
    assert "\x1b[32m" in out and "\x1b[31m" in out  # works green, fails red
    assert main(["models", "--probe", "--json", "--models", "gpt-4o", "--base-url", url]) == 0
    assert "\x1b[" not in capsys.readouterr().out  # never in JSON


HOSTILE = "evil\x1b]0;pwned\x07\x1b[2J-model\u202e"


def test_hostile_names_and_words_are_terminal_safe():
    from tui.core.safe.masking import register_secret

    register_secret(KEY)  # as resolve_target does for the key in use
    cat = {HOSTILE: ModelInfo(HOSTILE, owner="\x1b[31mred", context_length=8)}
    run = KeyRun(None, "sk-…cdef", "#12345678", [
        ProbeResult(HOSTILE, "fail", "model.unavailable", latency_ms=3.0,
                    said=f"no channel \x1b[5m{KEY}", request_id="\x1b[1mid"),
    ])  # fmt: skip
    for text in (
        render_text(catalog=cat, runs=[], lang="en", url="http://gw/v1"),
        render_text(catalog=cat, runs=[run], lang="en", url="http://gw/v1"),
        render_text(catalog=cat, runs=[run, run], lang="zh-CN", url="http://gw/v1"),
    ):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert KEY not in text
    forged = "gpt-x\ninjected line: ALL MODELS WORK\tcol"
    table = render_text(catalog={forged: ModelInfo(forged)}, runs=[], lang="en", url="u")
    assert not any(line.startswith("injected") for line in table.splitlines()), table
    assert "gpt-x\u240ainjected line: ALL MODELS WORK\u2409col" in table
    csv_text = render_csv(catalog=cat, runs=[run])
    assert KEY not in csv_text
