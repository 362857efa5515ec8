"""Issue 18's remaining gaps: the watch interval setting, the stream setting restored,
the corrupt-line note, the key id in the summary, a certificate issuer change end to end."""

from __future__ import annotations

import pytest

from tests.conftest import FAKE_KEY
from tests.support.cli_run import run

pytestmark = pytest.mark.usefixtures("fake_key_env")


# ----- gap 4: the watch interval follows [settings] watch_every -----------------------
@pytest.mark.parametrize(
    ("setting", "seconds", "said"),
    [
        (None, 60.0, None),
        ("2m", 120.0, None),
        (90, 90.0, None),
        ("3s", 10.0, "too short: watching every 10 s"),
        ("soon", 60.0, "is not a duration"),
        (True, 60.0, "is not a duration"),
    ],
)
def test_watch_every_setting(setting, seconds, said) -> None:
    from tui.core.history.watching import watch_every
    from tui.core.i18n.catalogue import render
    from tui.core.setup.profiles import set_setting

    set_setting("watch_every", setting)
    every, problem = watch_every()
    assert every == seconds
    assert (render(problem, "en") if problem else None) == said or said in render(problem, "en")
    if problem is not None:
        assert render(problem, "zh-CN") != render(problem, "en")


def test_watch_cli_follows_the_setting_unless_every_is_given(demo_gateway, monkeypatch) -> None:
    from tui.commands import watch
    from tui.core.setup.profiles import set_setting

    slept: list[float] = []
    monkeypatch.setattr(watch, "_sleep", slept.append)
    url = demo_gateway.scenario_url("healthy")
    set_setting("watch_every", "2m")
    code, _, err = run("watch", "--base-url", url, "--count", "2")
    assert code == 0 and "every 120 s" in err
    assert slept and 119 < slept[0] <= 120
    set_setting("watch_every", "3s")
    code, _, err = run("watch", "--base-url", url, "--count", "1")
    assert "watch_every setting 3s is too short" in err and "every 10 s" in err
    code, _, err = run("watch", "--base-url", url, "--count", "1", "--every", "30s")
    assert "every 30 s" in err


# ----- gap 3: unreadable lines skipped on the way to the last passing run, said once ---
def test_check_says_once_that_unreadable_lines_were_skipped(gw) -> None:
    from tui.core.history.store import files

    path = files()[-1]
    assert run("check", "--base-url", gw.base_url)[0] == 0
    good = path.read_bytes().splitlines()[-1]
    torn = good[: good.index(b'"steps"')] + b"\n"  # a record cut short: holds "ok":true
    gw.scenario = "invalid_key"
    with path.open("ab") as fh:
        fh.write(torn + b"{not json at all\n")
    said = f"history: 1 unreadable line(s) skipped in {path} while looking for the last passing run"
    _, _, err = run("check", "--base-url", gw.base_url)
    assert said in err
    assert "Since the last passing run" in run("check", "--base-url", gw.base_url)[1]
    _, _, err = run("check", "--base-url", gw.base_url)
    assert "unreadable" not in err  # the same damage is not said again
    with path.open("ab") as fh:
        fh.write(torn)
    _, _, err = run("check", "--base-url", gw.base_url, "--lang", "zh-CN")
    assert f"历史：查找上一次通过的运行时，跳过了 {path} 中 2 行无法读取的记录" in err
    assert "无法读取" not in run("check", "--base-url", gw.base_url)[2]


def test_skipped_note_counts_per_file(tmp_path) -> None:
    from tui.core.history.noted import skipped_note
    from tui.core.i18n.catalogue import render

    a, b = str(tmp_path / "history.jsonl"), str(tmp_path / "history.1.jsonl")
    note = skipped_note({a: 1, b: 2}, tmp_path)
    assert note is not None and render(note, "en").startswith("history: 3 unreadable")
    assert skipped_note({a: 1}, tmp_path) is None  # b not looked at this time: not "gone"
    assert skipped_note({a: 1, b: 2}, tmp_path) is None
    assert (tmp_path / "history.noted.json").stat().st_mode & 0o777 == 0o600
    (tmp_path / "history.noted.json").write_text("[garbage")
    assert skipped_note({a: 1}, tmp_path) is not None  # a lost note: said once more


# ----- gap 1: the stream setting is part of a known working setup ---------------------
def test_profile_stream_setting_round_trips() -> None:
    from tui.core.setup.config import load_config
    from tui.core.setup.profiles import (
        Profile,
        ProfileError,
        add_profile,
        edit_profile,
        load_profile,
    )

    add_profile(Profile("a", base_url="https://gw.example/v1"))
    assert load_profile("a").stream is True
    assert "stream" not in load_config()["profiles"]["a"]  # the default is not written
    edit_profile("a", stream="off")
    assert load_config()["profiles"]["a"]["stream"] is False
    assert load_profile("a").stream is False
    with pytest.raises(ProfileError) as err:
        edit_profile("a", stream="sometimes")
    assert err.value.message.id == "history.bad_stream"
    assert Profile.from_table("b", {"base_url": "x", "stream": "no"}).stream is False
    assert Profile.from_table("b", {"base_url": "x", "stream": 3}).stream is True


def test_profile_cli_stream_flag_and_target(monkeypatch) -> None:
    from tui.core.setup.profiles import load_profile
    from tui.core.setup.target import resolve_target

    assert (
        run("profile", "add", "w", "--base-url", "https://gw.example/v1", "--stream", "off")[0] == 0
    )
    assert load_profile("w").stream is False
    assert resolve_target(profile="w").target.stream is False
    with pytest.raises(SystemExit) as exit_:
        run("profile", "edit", "w", "--stream", "maybe")
    assert exit_.value.code == 2
    run("profile", "edit", "w", "--stream", "on")
    assert resolve_target(profile="w").target.stream is True


def test_restore_last_good_brings_back_the_stream_setting(gw) -> None:
    from tui.core.history.store import read_all
    from tui.core.setup.profiles import load_profile

    run("profile", "add", "work", "--base-url", gw.base_url, "--model", "gpt-4o-mini")
    assert run("check", "--profile", "work")[0] == 0
    assert read_all().records[-1]["stream"] is True
    run("profile", "edit", "work", "--stream", "off", "--model", "x")
    assert run("check", "--profile", "work")[0] == 1
    assert read_all().records[-1]["stream"] is False
    code, out, _ = run("profile", "restore-last-good", "work", "--yes")
    assert code == 0, out
    assert "stream: off → on" in out and "model: x → gpt-4o-mini" in out
    p = load_profile("work")
    assert (p.model, p.stream) == ("gpt-4o-mini", True)


async def test_the_chat_stream_switch_starts_from_the_profile() -> None:
    from textual.widgets import Switch

    from tests.support.console import fake_target, wait_for
    from tests.test_console_focus import make_app

    for stream in (False, True):
        target = fake_target()
        target.stream = stream
        app = make_app(target=target)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda app=app: app.report is not None)
            assert app.main.query_one("#chat-stream", Switch).value is stream


# ----- gap 5: a certificate issuer change, end to end over TLS -------------------------
def test_a_new_certificate_issuer_is_named_end_to_end(gw, tmp_path) -> None:
    """Two runs against the same https address; between them the TLS front starts
    presenting a certificate from another CA (both CAs trusted, as an interception
    proxy's CA is on a managed machine): the report names the issuer change."""
    import trustme

    from tests.support.servers import RawServer, reverse_proxy, tls_context

    first = tls_context("valid", tmp_path)
    second = trustme.CA(organization_name="Corp Interception CA")
    bundle = tmp_path / "both.pem"
    bundle.write_bytes(first.ca_pem.read_bytes() + second.cert_pem.bytes())
    with RawServer(reverse_proxy(gw.port), ssl_context=first.server) as srv:
        url = srv.url + "/v1"
        code, out, err = run("check", "--base-url", url, "--ca-bundle", str(bundle))
        assert code == 0, out + err
        # the same context presents a new certificate from the next handshake on
        second.issue_cert("127.0.0.1", "localhost").configure_cert(first.server)
        code, out, err = run("check", "--base-url", url, "--ca-bundle", str(bundle), "--json")
    import json

    since = json.dumps(json.loads(out), ensure_ascii=False)
    assert "the certificate issuer changed (" in since, since[:2000]
    assert "Corp Interception CA" in since
    assert "interception proxy" in since


class InterceptingProxy:
    """A forward proxy that answers CONNECT itself and re-signs TLS with its own CA
    (what a corporate inspection box does), then talks TLS to the real server."""

    def __init__(self, server_ctx, upstream_ca: str) -> None:
        import socket
        import ssl
        import threading

        self.server_ctx = server_ctx
        self.client_ctx = ssl.create_default_context(cafile=upstream_ca)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import threading

        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn) -> None:
        import socket
        import threading

        try:
            conn.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 8192:
                head += conn.recv(1024) or b"\r\n\r\n"
            host, _, port = head.split(b" ", 2)[1].decode().rpartition(":")
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            inner = self.server_ctx.wrap_socket(conn, server_side=True)
            up = self.client_ctx.wrap_socket(
                socket.create_connection((host, int(port)), timeout=10), server_hostname=host
            )

            def pipe(a, b) -> None:
                try:
                    while data := a.recv(65536):
                        b.sendall(data)
                except OSError:
                    pass
                finally:
                    for s in (a, b):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass

            t = threading.Thread(target=pipe, args=(up, inner), daemon=True)
            t.start()
            pipe(inner, up)
            t.join(10)
        except (OSError, ValueError, IndexError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(2)
        self.sock.close()


def test_an_intercepting_proxy_is_named_end_to_end(gw, tmp_path) -> None:
    """Run 1 goes straight to the https gateway; run 2 goes through a TLS-intercepting
    forward proxy whose CA the machine trusts: the diff names the proxy change and the
    certificate issuer change (the certificate seen through the proxy)."""
    import json
    import ssl

    import trustme

    from tests.support.servers import RawServer, reverse_proxy, tls_context

    real = tls_context("valid", tmp_path)
    corp = trustme.CA(organization_name="Corp Inspection CA")
    corp_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    corp.issue_cert("127.0.0.1", "localhost").configure_cert(corp_ctx)
    bundle = tmp_path / "both.pem"
    bundle.write_bytes(real.ca_pem.read_bytes() + corp.cert_pem.bytes())
    with RawServer(reverse_proxy(gw.port), ssl_context=real.server) as srv:
        url = srv.url + "/v1"
        code, out, err = run("check", "--base-url", url, "--ca-bundle", str(bundle))
        assert code == 0, out + err
        proxy = InterceptingProxy(corp_ctx, str(real.ca_pem))
        try:
            args = ("--base-url", url, "--ca-bundle", str(bundle))
            code, out, err = run(
                "check", *args, "--proxy", f"http://127.0.0.1:{proxy.port}", "--json"
            )
        finally:
            proxy.close()
    report = json.loads(out)
    said = json.dumps(report, ensure_ascii=False)
    assert "the certificate issuer changed (" in said and "Corp Inspection CA" in said, said[:3000]
    assert "the proxy changed (none → http://127.0.0.1:" in said


# ----- gap 2: the key's id next to the masked key, in the target bar and the summary ---
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_support_summary_names_the_key_by_its_id(lang) -> None:
    from tests.test_summary import make_report
    from tui.core.diagnosis.summary import support_summary
    from tui.core.history.record import key_fingerprint

    ident = key_fingerprint(FAKE_KEY)
    assert ident and ident.startswith("#")
    text = support_summary(make_report(), lang=lang)
    assert ("sk-…4444 (" if lang == "en" else "sk-…4444（") + ident in text
    assert FAKE_KEY not in text
    assert "#" not in support_summary(make_report(key=""), lang=lang).split("proxy")[0]


def test_the_target_bar_shows_the_key_id_only_with_a_key() -> None:
    from tests.support.console import fake_target
    from tui.core.history.record import key_fingerprint
    from tui.ui.widgets.target_bar import target_text

    target = fake_target()
    shown = target_text(target, "en").plain
    assert f"key sk-…4444 ({key_fingerprint(target.api_key)})" in shown
    target.api_key = ""
    shown = target_text(target, "en").plain
    assert "key (none)" in shown and "#" not in shown


def test_key_ids_are_pinned_in_tests() -> None:
    """The conftest pins the salt: the id the snapshots show is the same in every run."""
    from tui.core.history.record import key_fingerprint

    assert key_fingerprint("sk-FAKE-test-0000-1111-2222-3333-4444") == "#9c8732c8"


async def test_the_settings_screen_shows_and_edits_the_stream_setting() -> None:
    from textual.widgets import Select

    from tests.support.host import HostApp
    from tests.test_settings_ui import SIZE, settle
    from tui.core.setup.profiles import Profile, add_profile, load_profile
    from tui.ui.screens.settings import SettingsScreen

    add_profile(Profile("work", base_url="https://gw.example/v1", stream=False), make_active=True)
    app = HostApp(screen=SettingsScreen, lang="zh-CN", title="ScreenApp")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#f-stream", Select)
        assert box.value is False
        shown = str(box.query_one("SelectCurrent #label").render())
        assert "关：回复整段返回" in shown, shown  # in words, not on/off
        box.value = True
        await pilot.pause(0.3)
        await pilot.click("#save-profile")
        await pilot.pause()
        assert load_profile("work").stream is True


def test_check_tests_streaming_whatever_the_profile_says(gw) -> None:
    from tui.core.history.store import read_all

    run("profile", "add", "plain", "--base-url", gw.base_url, "--stream", "off")
    assert run("check", "--profile", "plain")[0] == 0
    steps = {s["id"]: s["status"] for s in read_all().records[-1]["steps"]}
    assert steps["stream"] == "pass"


async def test_the_console_says_once_that_unreadable_lines_were_skipped() -> None:
    from tests.support.console import ScriptedEngine, wait_for
    from tests.test_console_focus import make_app
    from tests.test_history_console import results, since_shown
    from tui.core.history.store import files

    engine = ScriptedEngine(results(bad=False))
    app = make_app(engine=engine)
    path = files()[-1]
    said = "unreadable line(s) skipped"

    def notes() -> list[str]:
        return [str(n.message) for n in app._notifications]

    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.report is not None and app.main.late_ready)
        await wait_for(pilot, lambda: app.main.query_one("#history-pane").records)
        good = path.read_bytes().splitlines()[-1]
        with path.open("ab") as fh:
            fh.write(good[: good.index(b'"steps"')] + b"\n")
        engine.results = results(bad=True)
        await pilot.press("r")
        await wait_for(pilot, lambda: since_shown(app))
        await wait_for(pilot, lambda: any(said in n for n in notes()))
        count = sum(said in n for n in notes())
        await pilot.press("r")
        await wait_for(pilot, lambda: len(app.main.query_one("#history-pane").records) == 3)
        await pilot.pause(0.2)
        assert sum(said in n for n in notes()) == count
