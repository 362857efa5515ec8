"""The official openai SDK against the demo gateway: the simulation parses like the real thing."""

from __future__ import annotations

import openai
import pytest

from tests.conftest import FAKE_KEY


def sdk(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, timeout=10, max_retries=0)


def test_list_models(demo_gateway):
    ids = [m.id for m in sdk(demo_gateway.base_url).models.list()]
    assert "gpt-4o-mini" in ids and "deepseek-chat" in ids and len(ids) == 8


def test_streamed_completion_with_usage(demo_gateway):
    stream = sdk(demo_gateway.base_url).chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Say hi"}],
        max_tokens=12,
        stream=True,
        stream_options={"include_usage": True},
    )
    text, finish, usage = "", None, None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
    assert text.startswith('You said: "Say hi')
    assert finish == "length"
    assert usage is not None and usage.completion_tokens == 12


def test_non_streamed_completion_on_api_v1_root(demo_gateway):
    resp = sdk(demo_gateway.root_url + "/api/v1").chat.completions.create(
        model="deepseek-chat", messages=[{"role": "user", "content": "你好"}]
    )
    assert resp.choices[0].finish_reason == "stop"
    assert "演示网关" in resp.choices[0].message.content


def test_invalid_key_raises_authentication_error(demo_gateway):
    with pytest.raises(openai.AuthenticationError) as info:
        sdk(demo_gateway.scenario_url("invalid_key")).models.list()
    assert info.value.status_code == 401
    assert info.value.code == "invalid_api_key"
    assert FAKE_KEY not in str(info.value)


@pytest.mark.parametrize(
    ("scenario", "error"),
    [
        ("model_not_found", openai.NotFoundError),
        ("rate_limited", openai.RateLimitError),
        ("server_error", openai.InternalServerError),
        ("payment_required", openai.APIStatusError),
        ("ip_not_allowed", openai.PermissionDeniedError),
    ],
)
def test_error_scenarios_map_to_sdk_errors(demo_gateway, scenario, error):
    with pytest.raises(error):
        sdk(demo_gateway.scenario_url(scenario)).chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )


def test_stream_error_event_raises_in_the_sdk(demo_gateway):
    stream = sdk(demo_gateway.scenario_url("stream_error_event")).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], max_tokens=6, stream=True
    )
    with pytest.raises(openai.APIError, match="overloaded"):
        for _ in stream:
            pass
