"""tui.core and `gateway-doctor check` must not import textual (fast start, works over SSH/CI).

Checked in fresh subprocesses: an in-process check would be fooled by other
tests that already imported textual.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import tui.core

_PROBE = """
import importlib, json, pkgutil, sys
import tui.core
names = ["tui.core"] + [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "ui": sorted(m for m in sys.modules
      if m.split(".")[0] == "textual" or m.startswith("tui.ui"))}))
"""


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60)  # fmt: skip


def test_core_imports_no_textual(env_without_proxies):
    r = _run(_PROBE, env_without_proxies)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (
        "tui.core.diagnosis.engine" in data["modules"]
        and "tui.core.diagnosis.checks.stream" in data["modules"]
    )
    assert data["ui"] == [], f"tui.core pulled in UI modules: {data['ui']}"


def test_check_command_imports_no_textual(demo_gateway, env_without_proxies):
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"rc = main(['check', '--json', '--timeout', '2', '--base-url', {demo_gateway.scenario_url('healthy')!r}])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "sys.stderr.write('TEXTUAL:' + ','.join(bad))\n"
        "sys.exit(rc)\n"
    )
    env = dict(env_without_proxies, GATEWAY_DOCTOR_API_KEY="sk-FAKE-hygiene-0000000000")
    r = _run(code, env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["verdict"] == "pass"
    assert r.stderr.strip().endswith("TEXTUAL:"), r.stderr[-500:]


def test_every_core_module_is_listed():
    names = [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
    assert "tui.core.diagnosis.checks.classify" in names and "tui.core.setup.target" in names


def test_the_ui_does_not_import_the_command_layer() -> None:
    """tui/ui → tui/commands → tui/ui was a circle; the UI gets the demo from tui.demo."""
    import ast
    from pathlib import Path

    ui = Path(__file__).resolve().parents[1] / "tui" / "ui"
    offenders = []
    for path in ui.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n == "tui.commands" or n.startswith("tui.commands.") for n in names):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def _loaded(imports: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` a fresh interpreter has loaded after ``import <imports>``."""
    code = (
        f"import json, sys\nimport {imports}\n"
        f"print(json.dumps([m for m in {names!r} if sys.modules.get(m)]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def test_the_console_does_not_import_httpx_cli_http2_or_markdown() -> None:
    """httpx's CLI (click, rich's pretty printers) and the HTTP/2 stack cost the console's
    first frame 12+ ms and are never used: tui.core.net keeps them out (issue 14). The
    Markdown stack (18 ms) comes with the first chat reply or the key panel."""
    modules = ("click", "httpx._main", "h2", "markdown_it")
    assert _loaded("tui.ui.app, tui.ui.widgets.chat, tui.core.net.http", modules) == []


def test_the_console_screen_imports_the_trial_with_its_pane() -> None:
    """The trial (runner, stages, prompts: 10+ ms) is imported when its pane is built,
    after the first report, not before the console's first frame (issue 14)."""
    assert _loaded("tui.ui.app", ("tui.core.trial.runner", "tui.core.trial.stages")) == []


def test_the_console_leaves_the_engine_and_http_to_the_first_run() -> None:
    """Before its first frame the console imports neither the engine nor httpx (~50 ms):
    the first run goes on in a child process (tui/core/diagnosis/child_run.py), and the
    console imports them when it runs checks itself (issue 14). TextArea (10 ms) comes
    with the chat."""
    modules = (
        "httpx",
        "tui.core.diagnosis.engine",
        "tui.core.net.http",
        "textual.widgets._text_area",
    )
    assert _loaded("tui.ui.app", modules) == []


def test_the_console_reads_the_history_after_its_first_frame() -> None:
    """The history store, its diff and the history pane (~10 ms of imports) come with the
    first report, not before the first frame: the line under the checklist and the key's
    id in the target bar are in light modules of their own (issue 14)."""
    modules = ("tui.core.history", "tui.core.history.store", "tui.ui.widgets.history_view")
    assert _loaded("tui.ui.app", modules) == []
