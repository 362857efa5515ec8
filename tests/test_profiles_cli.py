"""``gateway-doctor profile ...`` and ``key ...`` through the real CLI entry point."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.cli import main
from tui.core.setup.config import config_path
from tui.core.setup.keys import get_key
from tui.core.setup.profiles import load_profile


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


class FakeStdin(io.StringIO):
    def __init__(self, text: str, tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_list_empty_then_add_use_show(capsys):
    code, out, _ = cli(capsys, "profile", "list")
    assert code == 0 and "profile add" in out
    code, out, _ = cli(capsys, "profile", "add", "work", "--preset", "alltkn")
    # no keyring in the test env: the hint says so instead of sending the user to `key set`
    assert code == 0 and "no OS keyring" in out and "key set" not in out
    assert "GATEWAY_DOCTOR_API_KEY" in out and "--profile work --api-key-stdin" in out
    code, out, _ = cli(capsys, "profile", "add", "ds", "--preset", "deepseek", "--use")
    assert code == 0
    code, out, _ = cli(capsys, "profile", "list")
    assert "* ds" in out and "  work" in out and "https://api.alltkn.com/api/v1" in out
    assert cli(capsys, "profile", "use", "work")[0] == 0
    code, out, _ = cli(capsys, "profile", "show")
    assert code == 0 and "work" in out and "gpt-4o-mini" in out
    assert "Chatbox" in out and "Cherry Studio" in out and "OpenAI SDK" in out
    code, out, _ = cli(capsys, "profile", "show", "--json")
    data = json.loads(out)
    assert data["name"] == "work" and data["key"]["source"] == "unavailable"
    assert data["request_url"] == "https://api.alltkn.com/api/v1/chat/completions"


def test_edit_remove_and_errors(capsys, memory_keyring):
    cli(capsys, "profile", "add", "work", "--base-url", "https://gw.example.test/v1")
    code, _, _ = cli(capsys, "profile", "edit", "work", "--model", "qwen-max", "--proxy", "")
    assert code == 0 and load_profile("work").model == "qwen-max"
    code, _, err = cli(capsys, "profile", "edit", "work")
    assert code == 2 and "Nothing to change" in err
    code, _, err = cli(capsys, "profile", "edit", "work", "--base-url", "gw.example.test")
    assert code == 1 and "must start with http" in err and "Traceback" not in err
    code, _, err = cli(capsys, "profile", "add", "x", "--preset", "nope")
    assert code == 2 and "alltkn" in err
    code, _, err = cli(capsys, "profile", "use", "ghost")
    assert code == 1 and "No profile named 'ghost'" in err
    memory_keyring.store[("gateway-doctor", "work")] = FAKE_KEY
    assert cli(capsys, "profile", "remove", "work")[0] == 0
    assert memory_keyring.store == {}  # the key went with the profile


def test_chinese_messages(capsys):
    code, out, _ = cli(capsys, "profile", "--lang", "zh-CN", "list")
    assert code == 0 and "还没有配置档" in out


def test_corrupt_config_is_one_clear_line(capsys):
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("[profiles\n")
    code, _, err = cli(capsys, "profile", "list")
    assert code == 1 and str(path) in err and "line 1" in err and "Traceback" not in err


def test_key_set_from_stdin_status_delete(capsys, monkeypatch, memory_keyring):
    cli(capsys, "profile", "add", "work", "--preset", "alltkn")
    monkeypatch.setattr(sys, "stdin", FakeStdin(CANARY_KEY + "\n"))
    code, out, err = cli(capsys, "key", "set")
    assert code == 0, err
    assert memory_keyring.store[("gateway-doctor", "work")] == CANARY_KEY
    assert CANARY_KEY not in out + err and "sk-…3210" in out
    code, out, _ = cli(capsys, "key", "status", "--profile", "work")
    assert code == 0 and "sk-…3210" in out and "MemoryKeyring" in out
    assert CANARY_KEY not in out
    # never in the config file
    assert CANARY_KEY.encode() not in config_path().read_bytes()
    code, out, _ = cli(capsys, "key", "delete")
    assert code == 0 and "deleted" in out and get_key("work").key is None
    code, out, _ = cli(capsys, "key", "delete")
    assert code == 0 and "No key stored" in out


def test_key_set_hidden_prompt_on_tty(capsys, monkeypatch, memory_keyring):
    cli(capsys, "profile", "add", "work", "--preset", "alltkn")
    monkeypatch.setattr(sys, "stdin", FakeStdin("", tty=True))
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or FAKE_KEY)
    assert cli(capsys, "key", "set", "--profile", "work")[0] == 0
    assert prompts and "hidden" in prompts[0]
    assert memory_keyring.store[("gateway-doctor", "work")] == FAKE_KEY


def test_key_on_argv_refused_without_echo(capsys, memory_keyring):
    cli(capsys, "profile", "add", "work", "--preset", "alltkn")
    code, out, err = cli(capsys, "key", "set", CANARY_KEY)
    assert code == 2 and "Never put a key on the command line" in err
    assert CANARY_KEY not in out + err and memory_keyring.store == {}


def test_key_without_profile_explains(capsys):
    code, _, err = cli(capsys, "key", "status")
    assert code == 1 and "profile add" in err
    code, _, err = cli(capsys, "key", "status", "--profile", "ghost")
    assert code == 1 and "No profile named 'ghost'" in err
    for action in ("status", "set", "delete"):  # a key pasted as the profile name
        code, out, err = cli(capsys, "key", action, "--profile", CANARY_KEY)
        assert code == 1 and "No profile named" in err and CANARY_KEY not in out + err


def test_key_set_without_keyring_subprocess(tmp_path, env_without_proxies):
    """Real process, null keyring (headless): plain message and alternatives, exit 1."""
    env = dict(env_without_proxies)
    env["GATEWAY_DOCTOR_CONFIG"] = str(tmp_path / "c" / "config.toml")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    run = [sys.executable, "-m", "tui"]
    subprocess.run([*run, "profile", "add", "work"], env=env, check=True, capture_output=True)
    proc = subprocess.run(
        [*run, "key", "set"],
        env=env,
        input=CANARY_KEY + "\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 1
    assert "GATEWAY_DOCTOR_API_KEY" in proc.stderr and "--api-key-stdin" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert CANARY_KEY not in proc.stdout + proc.stderr
    status = subprocess.run(
        [*run, "key", "status"], env=env, capture_output=True, text=True, timeout=30
    )
    assert status.returncode == 0 and "no keyring available" in status.stdout


def test_add_with_keyring_points_to_key_set(capsys, memory_keyring):
    code, out, _ = cli(capsys, "profile", "add", "work", "--preset", "alltkn")
    assert code == 0 and "key set --profile work" in out


def test_no_keyring_messages_are_plain_and_translated(capsys, monkeypatch):
    """Headless (null keyring): set refuses before reading a key, delete has nothing to do,
    status says why; each in the asked language."""
    cli(capsys, "profile", "add", "work", "--preset", "alltkn")
    monkeypatch.setattr(sys, "stdin", FakeStdin(CANARY_KEY + "\n"))
    code, out, err = cli(capsys, "key", "--lang", "zh-CN", "set")
    assert code == 1 and "没有可用的系统密钥环" in err and "GATEWAY_DOCTOR_API_KEY" in err
    assert sys.stdin.read() == CANARY_KEY + "\n", "the key is not read when it cannot be kept"
    code, out, err = cli(capsys, "key", "delete")
    assert code == 0 and "nothing to delete" in out and "cannot be stored" not in out + err
    code, out, _ = cli(capsys, "key", "--lang", "zh-CN", "delete")
    assert code == 0 and "无需删除" in out
    code, out, _ = cli(capsys, "key", "--lang", "zh-CN", "status")
    assert (
        code == 0
        and "配置档：" in out
        and "无可用密钥环" in out
        and "没有为这个配置档保存的密钥" in out
    )
    assert "无法保存密钥" not in out  # status stores nothing: it says no key is kept there
    assert "No OS keyring" not in out
