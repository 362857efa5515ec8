"""``gateway-doctor models`` against the demo gateway over loopback: every state, the
back-off, the >10 prompt, --yes, JSON/CSV shapes, exit codes, the grid, the canary."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import time

import pytest

from tests.conftest import CANARY_KEY
from tui.cli import main
from tui.core.models.memory import FILE_NAME

KEY = "sk-test-FAKE-models-basic-0123456789"
VIP = "sk-test-FAKE-models-vip-9876543210ab"


class FakeStdin(io.StringIO):
    def __init__(self, text: str, tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", KEY)


def probe_json(capsys, url: str, *extra: str) -> tuple[int, dict, str]:
    code, out, err = cli(capsys, "models", "--base-url", url, "--probe", "--json", *extra)
    return code, json.loads(out), err


def steps(data: dict) -> dict[str, dict]:
    return {s["id"]: s for s in data["steps"]}


def test_list_with_owner_context_and_prices(demo_gateway, key_env, capsys):
    code, out, _ = cli(capsys, "models", "--base-url", demo_gateway.scenario_url("model_mix"))
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("gpt-4.5-preview"))
    assert "openai" in line and "128000" in line and "75/150 USD" in line
    assert "prices from: new-api" in out
    code, out, _ = cli(
        capsys, "models", "--base-url", demo_gateway.scenario_url("model_mix"), "--json"
    )
    data = json.loads(out)
    assert data["probed"] is False and "steps" not in data
    m = {x["id"]: x for x in data["models"]}["o1-pro"]
    assert m == {"id": "o1-pro", "owner": "openai", "context_length": 200000,
                 "price_in_per_mtok": 150.0, "price_out_per_mtok": 600.0, "currency": "USD",
                 "source": "new-api", "price_per_request": None, "price_group": "default"}  # fmt: skip


def test_every_state_and_its_code(demo_gateway, key_env, capsys):
    code, data, _ = probe_json(capsys, demo_gateway.scenario_url("model_mix"), "--yes")
    assert code == 0 and data["working"] == 8
    got = steps(data)
    want = {
        "gpt-4o-mini": ("pass", "model.ok"),
        "gpt-4.5-preview": ("pass", "model.ok"),
        "deepseek-reasoner": ("pass", "model.ok"),
        "gemini-1.5-pro": ("pass", "model.ok"),
        "gpt-4-32k": ("fail", "model.unavailable"),
        "o1-pro": ("fail", "model.not_permitted"),
        "claude-3-opus": ("fail", "balance.insufficient"),
    }
    for model, (status, code_) in want.items():
        assert (got[model]["status"], got[model]["code"]) == (status, code_), model
    assert got["gemini-1.5-pro"]["retries"] == 1  # a 429, then the retry worked
    assert got["deepseek-reasoner"]["elapsed_ms"] >= 1400  # slow, not broken
    assert (
        got["gpt-4-32k"]["http_status"] == 503
        and "No available channel" in got["gpt-4-32k"]["said"]
    )
    assert all(s["request_id"] for s in data["steps"])
    # sorted by status, then latency: the slow model is the last that works
    order = [s["id"] for s in data["steps"]]
    assert order.index("deepseek-reasoner") == 7 and order[-3:] != order[:3]
    statuses = [s["status"] for s in data["steps"]]
    assert statuses == sorted(statuses, key=["pass", "warn", "fail", "skip"].index)


def test_text_table_and_no_colour_without_tty(demo_gateway, key_env, capsys):
    code, out, _ = cli(
        capsys, "models", "--base-url", demo_gateway.scenario_url("model_mix"), "--probe",
        "--match", "gpt-4*",
    )  # fmt: skip
    assert code == 0 and "\x1b[" not in out
    assert "model.unavailable" in out and "4 of 5 models work" not in out
    assert "4 of 4 models work" not in out
    assert "models work with key sk-…" in out


def test_stream_measures_ttft(demo_gateway, key_env, capsys):
    code, data, _ = probe_json(
        capsys, demo_gateway.scenario_url("model_mix"), "--models", "gpt-4o-mini,gpt-4-32k",
        "--stream",
    )  # fmt: skip
    got = steps(data)
    assert code == 0 and data["stream"] is True
    assert got["gpt-4o-mini"]["ttft_ms"] is not None and got["gpt-4o-mini"]["status"] == "pass"
    assert got["gpt-4-32k"]["ttft_ms"] is None and got["gpt-4-32k"]["code"] == "model.unavailable"


def test_retry_after_is_honoured(demo_gateway, key_env, capsys):
    t0 = time.perf_counter()
    code, data, _ = probe_json(
        capsys, demo_gateway.scenario_url("model_mix"), "--models", "gemini-1.5-pro"
    )
    took = time.perf_counter() - t0
    s = steps(data)["gemini-1.5-pro"]
    assert code == 0 and s["status"] == "pass" and s["retries"] == 1 and s["retry_after"] == 1.0
    assert 0.9 <= took < 10


def test_more_than_ten_asks_first(demo_gateway, key_env, capsys, monkeypatch):
    url = demo_gateway.scenario_url("model_mix")
    # no TTY, no --yes: a usage error that says how many requests and to add --yes
    monkeypatch.setattr("sys.stdin", FakeStdin("", tty=False))
    code, out, err = cli(capsys, "models", "--base-url", url, "--probe")
    assert code == 2 and out == "" and "11 requests" in err and "--yes" in err
    assert "11 models with one key" in err and "1 keys" not in err  # issue 17 review
    # a TTY: asked; "n" sends nothing
    monkeypatch.setattr("sys.stdin", FakeStdin("n\n", tty=True))
    code, out, err = cli(capsys, "models", "--base-url", url, "--probe")
    assert code == 1 and "Go on? [y/N]" in err and "nothing was sent" in err and out == ""
    assert "(11 models with one key, one token each" in err
    monkeypatch.setattr("sys.stdin", FakeStdin("y\n", tty=True))
    code, out, err = cli(capsys, "models", "--base-url", url, "--probe", "--json")
    assert code == 0 and len(json.loads(out)["steps"]) == 11
    # ten or fewer: no question
    monkeypatch.setattr("sys.stdin", FakeStdin("", tty=False))
    code, out, _ = cli(capsys, "models", "--base-url", url, "--probe", "--match", "gpt*")
    assert code == 0


def test_csv_shape_and_formula_safety(demo_gateway, key_env, capsys):
    url = demo_gateway.scenario_url("model_mix")
    code, out, _ = cli(
        capsys, "models", "--base-url", url, "--probe", "--csv",
        "--models", "gpt-4o,=HYPERLINK(\"http://x\"),@SUM(A1),+1,-2",
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:5] == ["model", "profile", "key_id", "status", "code"]
    names = [r[0] for r in rows[1:]]
    assert names[0] == "gpt-4o"
    assert {'\'=HYPERLINK("http://x")', "'@SUM(A1)", "'+1", "'-2"} <= set(names)
    assert all(c[:1] not in "=+-@" or c == "" for r in rows for c in r)
    assert code == 0
    code, out, _ = cli(capsys, "models", "--base-url", url, "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["model", "owner", "context_length", "price_in_per_mtok",
                       "price_out_per_mtok", "price_per_request", "currency",
                       "price_group"]  # fmt: skip
    assert len(rows) == 12


@pytest.mark.parametrize(
    "argv",
    [
        ["--concurrency", "0"],
        ["--concurrency", "x"],
        ["--stream"],
        ["--probe", "--json", "--csv"],
        ["--api-key", "sk-oops-1234567890abcdef"],
    ],
)
def test_usage_errors_exit_2(demo_gateway, key_env, capsys, argv):
    code, out, err = cli(capsys, "models", "--base-url", demo_gateway.base_url, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "sk-oops-1234567890abcdef" not in err


def test_exit_1_when_no_model_works_or_no_list(demo_gateway, key_env, capsys):
    url = demo_gateway.scenario_url("model_mix")
    code, data, _ = probe_json(capsys, url, "--models", "gpt-4-32k,nonexistent-model")
    assert code == 1 and data["working"] == 0
    assert steps(data)["nonexistent-model"]["code"] == "model.not_found"
    code, out, err = cli(capsys, "models", "--base-url", demo_gateway.scenario_url("invalid_key"))
    assert code == 1 and out == "" and "HTTP 401" in err
    code, out, err = cli(capsys, "models", "--base-url", url, "--probe", "--match", "zzz*")
    assert code == 1 and "no model matches" in err


def _profiles(capsys, memory_keyring, url: str) -> None:
    for name, key in (("basic", KEY), ("vip", VIP)):
        assert cli(capsys, "profile", "add", name, "--base-url", url)[0] == 0
        memory_keyring.set_password("gateway-doctor", name, key)


def test_grid_with_two_profiles(demo_gateway, capsys, memory_keyring, monkeypatch):
    monkeypatch.delenv("GATEWAY_DOCTOR_API_KEY", raising=False)
    url = demo_gateway.scenario_url("model_mix")
    _profiles(capsys, memory_keyring, url)
    code, out, err = cli(
        capsys, "models", "--profile", "basic", "--profiles", "all", "--probe", "--yes", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    keys = {k["profile"]: k for k in data["keys"]}
    assert set(keys) == {"basic", "vip"}
    assert keys["basic"]["key_id"] != keys["vip"]["key_id"]
    per = {p: {s["id"]: s["code"] for s in k["steps"]} for p, k in keys.items()}
    assert per["basic"]["o1-pro"] == "model.not_permitted" and per["vip"]["o1-pro"] == "model.ok"
    code, out, _ = cli(capsys, "models", "--profiles", "basic,vip", "--probe", "--models",
                       "o1-pro,gpt-4o-mini,gpt-4-32k", "--base-url", url)  # fmt: skip
    assert code == 0
    head = out.splitlines()[0]
    assert keys["basic"]["key_id"] in head and keys["vip"]["key_id"] in head
    row = next(ln for ln in out.splitlines() if ln.startswith("o1-pro"))
    assert "✗ model.not_permitted" in row and "✓" in row
    # each red cell says which code and why, under the grid
    why = f"{keys['basic']['key_id']} o1-pro: model.not_permitted — 该令牌无权使用模型：o1-pro"
    assert why in out and f"{keys['vip']['key_id']} o1-pro" not in out
    assert "sk-…" in out and KEY not in out and VIP not in out


def test_canary_key_appears_nowhere(demo_gateway, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GATEWAY_DOCTOR_API_KEY", CANARY_KEY)
    url = demo_gateway.scenario_url("model_mix")
    outputs = []
    for fmt in ([], ["--json"], ["--csv"]):
        code, out, err = cli(capsys, "models", "--base-url", url, "--probe", "--yes", *fmt)
        outputs += [out, err]
    code, out, err = cli(capsys, "models", "--base-url", demo_gateway.scenario_url("invalid_key"))
    outputs += [out, err]
    state = tmp_path / "state"
    files = [p for p in state.rglob("*") if p.is_file()]
    assert any(p.name == FILE_NAME for p in files)
    for p in files:
        outputs.append(p.read_bytes().decode("utf-8", "replace"))
    secret = CANARY_KEY.removeprefix("sk-")
    for text_ in outputs:
        assert CANARY_KEY not in text_ and secret[:16] not in text_
    remembered = state / FILE_NAME
    assert stat.S_IMODE(os.stat(remembered).st_mode) == 0o600


def test_a_probe_is_recorded_in_the_history(demo_gateway, key_env, capsys, tmp_path):
    url = demo_gateway.scenario_url("model_mix")
    code, _, _ = probe_json(capsys, url, "--models", "gpt-4o-mini,gpt-4-32k")
    assert code == 0
    lines = (tmp_path / "state" / "history.jsonl").read_text().splitlines()
    record = json.loads(lines[-1])
    assert record["kind"] == "models" and KEY not in lines[-1]
    assert record["verdict"] == "warn"  # one of the two works
    got = {s["id"]: (s["status"], s["code"]) for s in record["steps"]}
    assert got == {"gpt-4o-mini": ("pass", "model.ok"), "gpt-4-32k": ("fail", "model.unavailable")}


def test_grid_profiles_without_a_key_or_a_match(demo_gateway, capsys, memory_keyring, monkeypatch):
    monkeypatch.delenv("GATEWAY_DOCTOR_API_KEY", raising=False)
    url = demo_gateway.scenario_url("model_mix")
    _profiles(capsys, memory_keyring, url)
    assert cli(capsys, "profile", "add", "nokey", "--base-url", url)[0] == 0
    code, out, err = cli(capsys, "models", "--profiles", "basic,nokey", "--probe",
                         "--models", "gpt-4o", "--json", "--base-url", url)  # fmt: skip
    assert code == 0 and "profile 'nokey' has no key stored" in err
    assert [k["profile"] for k in json.loads(out)["keys"]] == ["basic"]
    code, out, err = cli(capsys, "models", "--profiles", "all", "--probe",
                         "--base-url", "http://127.0.0.1:9/elsewhere/v1")  # fmt: skip
    assert code == 2 and "no profile has the base URL" in err and out == ""
    code, _, err = cli(capsys, "models", "--profiles", "basic,ghost", "--probe",
                       "--base-url", url)  # fmt: skip
    assert code == 2 and "--profiles ghost" in err


def test_per_request_price_and_group_ratio(demo_gateway, key_env, capsys):
    """model_mix: glm-4-flash is priced per request; group ratios default 1, vip 0.8."""
    url = demo_gateway.scenario_url("model_mix")
    code, out, _ = cli(capsys, "models", "--base-url", url)
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("glm-4-flash"))
    assert "$0.002 / request" in line
    assert "new-api prices for the default group (group ratio 1)" in out
    assert "--group NAME" in out
    code, out, _ = cli(capsys, "models", "--base-url", url, "--group", "vip", "--lang", "zh-CN")
    line = next(ln for ln in out.splitlines() if ln.startswith("glm-4-flash"))
    assert "每次请求 $0.0016" in line
    line = next(ln for ln in out.splitlines() if ln.startswith("gpt-4.5-preview"))
    assert "60/120 USD" in line  # 75/150 × 0.8
    assert "new-api 价格按分组 vip 计算（分组倍率 0.8）。" in out
    code, out, _ = cli(capsys, "models", "--base-url", url, "--group", "gold", "--json")
    data = json.loads(out)
    assert data["price_note"]["id"] == "models.price_group.missing"
    m = {x["id"]: x for x in data["models"]}
    assert m["glm-4-flash"]["price_per_request"] == 0.002
    assert m["gpt-4.5-preview"]["price_group"] == "default"
    code, _, err = cli(capsys, "models", "--base-url", url, "--group", "x" * 65)
    assert code == 2 and "--group" in err and "Traceback" not in err
