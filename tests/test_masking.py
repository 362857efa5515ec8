"""The one masking function: each secret location, and property tests over key shapes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.strategies import KEYS
from tui.core.safe.masking import mask, mask_key, register_secret

KEY = "sk-FAKE-mask-test-abcdefghijklmnop1234"


def test_mask_key_keeps_first_three_and_last_four() -> None:
    assert mask_key(KEY) == "sk-…1234"
    assert mask_key("") == "(none)"
    assert mask_key("short") == "****"
    assert KEY not in mask_key(KEY)


def test_registered_key_is_masked_anywhere_in_text() -> None:
    register_secret(KEY)
    out = mask(f"error: the key {KEY} was rejected")
    assert KEY not in out
    assert "sk-…1234" in out


def test_authorization_headers_masked_by_name() -> None:
    headers = [
        ("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz"),
        ("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZDEyMzQ="),
        ("x-api-key", "abcdefghijklmnopqrstu"),
        ("api-key", "zyxwvutsrqponmlkjihgf"),
        ("Cookie", "session=abcdefghijklmnopqrstuvwxyz"),
        ("Content-Type", "application/json"),
    ]
    out = dict(mask(headers))
    assert "abcdefghijklmnopqrstuvwxyz" not in json.dumps(out)
    assert "dXNlcjpwYXNzd29yZDEyMzQ=" not in out["Proxy-Authorization"]
    assert out["Proxy-Authorization"].startswith("Basic ")
    assert out["Content-Type"] == "application/json"


def test_header_lines_query_json_url_password() -> None:
    text = (
        "Authorization: Bearer tok_abcdefghijklmnop\n"
        "GET /v1/models?api_key=qwertyuiopasdfgh&limit=2\n"
        '{"api_key": "zxcvbnmasdfghjkl", "model": "gpt-4o-mini"}\n'
        "proxy http://alice:s3cretpassw0rd@proxy.local:3128\n"
    )
    out = mask(text)
    for secret in (
        "tok_abcdefghijklmnop",
        "qwertyuiopasdfgh",
        "zxcvbnmasdfghjkl",
        "s3cretpassw0rd",
    ):
        assert secret not in out
    assert "gpt-4o-mini" in out and "limit=2" in out and "alice" in out


def test_unregistered_sk_tokens_masked_by_shape() -> None:
    out = mask("the gateway said: Incorrect API key provided: sk-abcdefghijklmnopqrstuv")
    assert "sk-abcdefghijklmnopqrstuv" not in out


def test_bytes_keep_invalid_utf8_and_mask() -> None:
    register_secret(KEY)
    raw = b"\xff\xfe " + KEY.encode()
    out = mask(raw)
    assert out.startswith(b"\xff\xfe ")
    assert KEY.encode() not in out


def test_nested_json_fields_masked() -> None:
    data = {"settings": {"providers": {"openai": {"apiKey": "abcdefghijklmnopqrs"}}}}
    assert "abcdefghijklmnopqrs" not in json.dumps(mask(data))


def test_mask_is_idempotent() -> None:
    register_secret(KEY)
    once = mask(f"Authorization: Bearer {KEY}")
    assert mask(once) == once


_keys = KEYS

_placements = [
    lambda k: f"Authorization: Bearer {k}",
    lambda k: f"https://gw.example/v1/models?key={k}&x=1",
    lambda k: json.dumps({"api_key": k, "model": "m"}),
    lambda k: json.dumps({"error": {"message": f"Incorrect API key provided: {k}"}}),
    lambda k: f'data: {{"error": {{"message": "bad token {k}"}}}}\n\n',
    lambda k: f"plain text with {k} inside",
    lambda k: f"http://user:{k}@proxy.local:8080",
]


def _pieces(key: str, n: int = 8) -> set[str]:
    return {key[i : i + n] for i in range(0, max(1, len(key) - n + 1))}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=_keys, where=st.sampled_from(range(len(_placements))))
def test_property_registered_key_never_survives(key: str, where: int) -> None:
    from tui.core.safe import masking

    masking.clear_secrets()
    register_secret(key)
    out = mask(_placements[where](key))
    assert key not in out
    template = mask(_placements[where]("\x00"))
    for piece in _pieces(key):
        if piece not in template:  # pieces of the surrounding text itself don't count
            assert piece not in out, (piece, out)


def test_prose_is_left_alone() -> None:
    text = "Streams arrive as small token chunks; the basic idea is simple."
    assert mask(text) == text


def test_header_mid_line_and_cookie_names_kept() -> None:
    out = mask("sent: Authorization: Token abcdefghijklmnop")
    assert "abcdefghijklmnop" not in out and out.startswith("sent: Authorization: Token ")
    out = mask("Cookie: a=1; session=qwertyuiopasdfgh")
    assert "qwertyuiopasdfgh" not in out and "session=" in out
