"""The console a helpdesk can trust (issue 15, blocking points and wrong facts).

Keys without a keyring (``k`` prompt, settings key field, ``--api-key-stdin``
through a real terminal), shortcuts that never fire while typing, nothing on
the network before a gateway is chosen, selecting a profile is not saving it,
unsaved edits ask first, and the CLI's own messages (subcommand usage,
``import-chatbox`` without a keyring). Each row of ``HOSTILE_ROWS`` is
asserted by a test below.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import CANARY_KEY, FAKE_KEY
from tui.cli import main

HOSTILE_ROWS: list[tuple[str, str, str]] = [
    (
        "CLI usage",
        "`gateway-doctor check --foo` (a flag `check` does not have)",
        "`check`'s own usage and error, exit 2 (was the top-level usage, which lists no "
        "`check` flag)",
    ),
    (
        "Keys",
        "`profile import-chatbox` where there is no keyring, two providers with keys",
        "both profiles saved, one short `key NOT stored: no keyring` per profile and one "
        "explanation (GATEWAY_DOCTOR_API_KEY, `k`, keyrings.alt), exit 1 (was exit 0 and "
        "~300 characters repeated per profile)",
    ),
]


# ----- CLI --------------------------------------------------------------------------------
def test_unknown_flag_after_a_subcommand_prints_that_subcommands_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--foo"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.startswith("usage: gateway-doctor check ")
    assert "gateway-doctor check: error: unrecognized arguments: --foo" in err
    assert "--api-key-stdin" in err  # check's flags, not the top-level ones
    assert "COMMAND ..." not in err


def test_unknown_top_level_flag_keeps_the_top_level_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--foo"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.startswith("usage: gateway-doctor [-h]") and "--foo" in err


def test_a_key_given_as_a_stray_flag_is_masked_in_the_usage_error(capsys):
    with pytest.raises(SystemExit):
        main(["profile", "list", f"--{CANARY_KEY}"])
    err = capsys.readouterr().err
    assert CANARY_KEY not in err and "gateway-doctor profile" in err


def _chatbox_file(tmp_path):
    conf = {
        "settings": {
            "providers": {
                "openai": {"apiHost": "https://api.alltkn.com/api/v1", "apiKey": FAKE_KEY},
                "custom-1": {"apiKey": CANARY_KEY},
            },
            "customProviders": [
                {"id": "custom-1", "name": "Gw", "apiHost": "https://gw.example.test/v1"}
            ],
        }
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(conf), encoding="utf-8")
    return path


def test_import_chatbox_without_a_keyring_says_it_once_and_exits_1(tmp_path, capsys):
    from tui.core.profiles import list_profiles

    code = main(["profile", "import-chatbox", "--from", str(_chatbox_file(tmp_path))])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1
    assert sorted(p.name for p in list_profiles()) == ["chatbox-Gw", "chatbox-openai"]
    assert text.count("key NOT stored: no keyring") == 2
    assert text.count("GATEWAY_DOCTOR_API_KEY") == 1 and text.count("keyrings.alt") == 1
    assert "2 key(s) could not be stored" in text
    for line in text.splitlines():
        if line.startswith("  chatbox-"):
            assert len(line) < 120, line  # one short line per profile
    assert FAKE_KEY not in text and CANARY_KEY not in text


def test_import_chatbox_with_a_keyring_still_exits_0(tmp_path, capsys, memory_keyring):
    code = main(["profile", "import-chatbox", "--from", str(_chatbox_file(tmp_path))])
    text = capsys.readouterr().out
    assert code == 0 and "could not be stored" not in text
    assert memory_keyring.store[("gateway-doctor", "chatbox-Gw")] == CANARY_KEY
