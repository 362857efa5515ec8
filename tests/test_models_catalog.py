"""fetch_catalog: ids from /models, prices and context from the sources gateways publish.

Narrow units over httpx.MockTransport (the shapes); the demo gateway's pricing is
covered over loopback in test_models_probe.py.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tui.core.diagnosis.model import Target
from tui.core.models.catalog import fetch_catalog, fetch_catalog_result, pricing_root
from tui.core.net.exchange import ExchangeLog
from tui.core.net.http import GatewayClient

KEY = "sk-test-FAKE-catalog-0123456789abcdef"


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[GatewayClient, Target]:
    target = Target(base_url="https://gw.test/v1", api_key=KEY, model="m", timeout=2)
    client = GatewayClient(
        target, ExchangeLog(), client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    return client, target


async def test_openrouter_fields_in_the_list() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        assert req.url.path == "/v1/models"
        data = [
            {
                "id": "anthropic/claude-3.5-sonnet",
                "context_length": 200000,
                "pricing": {"prompt": "0.000003", "completion": "0.000015"},
            },
            {"id": "free/x", "top_provider": {"context_length": 8192}, "pricing": {}},
        ]
        return httpx.Response(200, json={"data": data})

    client, target = _client(handler)
    async with client:
        got = await fetch_catalog(client, target)
    m = got["anthropic/claude-3.5-sonnet"]
    assert (m.context_length, m.price_in_per_mtok, m.price_out_per_mtok) == (200000, 3.0, 15.0)
    assert (m.currency, m.source) == ("USD", "openrouter")
    assert got["free/x"].context_length == 8192
    assert got["free/x"].price_in_per_mtok is None


async def test_new_api_pricing_and_litellm_info() -> None:
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req.url.path)
        if req.url.path == "/v1/models":
            ids = ["gpt-4o", "per-call", "lite"]
            return httpx.Response(200, json={"object": "list", "data": [{"id": i} for i in ids]})
        if req.url.path == "/api/pricing":
            assert "authorization" not in req.headers  # public; the key is not needed there
            rows = [
                {"model_name": "gpt-4o", "quota_type": 0, "model_ratio": 1.25,
                 "completion_ratio": 4, "owner_by": "openai"},
                {"model_name": "per-call", "quota_type": 1, "model_price": 0.1},
            ]  # fmt: skip
            return httpx.Response(200, json={"success": True, "data": rows})
        if req.url.path == "/v1/model/info":
            rows = [{"model_name": "lite", "model_info": {"max_input_tokens": 128000,
                     "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}]  # fmt: skip
            return httpx.Response(200, json={"data": rows})
        return httpx.Response(404)

    client, target = _client(handler)
    async with client:
        cat = await fetch_catalog_result(client, target)
    g = cat.models["gpt-4o"]
    assert (g.price_in_per_mtok, g.price_out_per_mtok, g.owner, g.source) == (
        2.5, 10.0, "openai", "new-api"
    )  # fmt: skip
    assert cat.models["per-call"].price_in_per_mtok is None
    lite = cat.models["lite"]
    assert (lite.context_length, lite.price_in_per_mtok, lite.source) == (128000, 1.0, "litellm")
    assert cat.sources == ["new-api", "litellm"]
    assert seen == ["/v1/models", "/api/pricing", "/v1/model/info"]


@pytest.mark.parametrize(
    "extra",
    [
        b"not json",
        b'{"data": "x"}',
        b'{"data": [1, null, {"model_name": {"a": 1}}, {"model_name": "a", "model_ratio": "1e400"}]}',
        b"[" * 5000,
        b'{"data": [{"model_name": "a", "model_ratio": -1, "completion_ratio": NaN}]}',
    ],
)
async def test_hostile_extra_sources_are_ignored(extra: bytes) -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        if req.url.path == "/v1/models":
            return httpx.Response(200, json={"data": [{"id": "a", "context_length": "x" * 50}]})
        return httpx.Response(200, content=extra)

    client, target = _client(handler)
    async with client:
        got = await fetch_catalog(client, target)
    assert list(got) == ["a"]
    assert got["a"].price_in_per_mtok is None and got["a"].context_length is None


async def test_no_list_says_why_and_never_raises() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": {"message": f"bad key {KEY}"}})

    client, target = _client(handler)
    async with client:
        cat = await fetch_catalog_result(client, target)
    assert cat.models == {} and cat.status == 401
    assert KEY not in str(cat.error)


def test_pricing_root() -> None:
    assert pricing_root("https://h/v1/") == "https://h"
    assert pricing_root("https://h/api/v1") == "https://h"
    assert pricing_root("http://h:1/scenario/x/v1") == "http://h:1/scenario/x"
    assert pricing_root("https://h") == "https://h"


async def test_a_huge_list_is_bounded() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        if req.url.path == "/v1/models":
            data = [{"id": f"m{i:05d}"} for i in range(12000)] + [{"id": "x" * 5000}]
            return httpx.Response(200, json={"data": data})
        return httpx.Response(404)

    client, target = _client(handler)
    async with client:
        got = await fetch_catalog(client, target)
    assert len(got) == 5000 and "x" * 5000 not in got


def _pricing_handler(pricing: dict, seen: list[str] | None = None):  # noqa: ANN202
    def handler(req: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(str(req.url))
        if req.url.path == "/v1/models":
            ids = ["chat", "per-call"]
            return httpx.Response(200, json={"object": "list", "data": [{"id": i} for i in ids]})
        if req.url.path == "/api/pricing":
            return httpx.Response(200, json=pricing)
        return httpx.Response(404)

    return handler


ROWS = [
    {"model_name": "chat", "quota_type": 0, "model_ratio": 1.25, "completion_ratio": 4,
     "model_price": 0, "enable_groups": ["default", "vip"]},
    {"model_name": "per-call", "quota_type": 1, "model_ratio": 0, "model_price": 0.1},
]  # fmt: skip


@pytest.mark.parametrize(
    ("ratios", "group", "want_in", "want_call", "note", "chosen"),
    [
        ({"default": 1, "vip": 0.5}, "vip", 1.25, 0.05, "models.price_group.known", "vip"),
        ({"default": 1.5, "vip": 0.5}, None, 3.75, 0.15, "models.price_group.default", "default"),
        ({"default": 2, "vip": 0.5}, "gold", 5.0, 0.2, "models.price_group.missing", "default"),
        ({"vip": 0.5, "svip": "x"}, None, 2.5, 0.1, "models.price_group.none", None),
        ({}, None, 2.5, 0.1, None, None),
    ],
)
async def test_new_api_group_ratio_and_per_request_price(
    ratios, group, want_in, want_call, note, chosen
) -> None:
    pricing = {"success": True, "data": ROWS, "group_ratio": ratios, "usable_group": {}}
    client, target = _client(_pricing_handler(pricing))
    async with client:
        cat = await fetch_catalog_result(client, target, group=group)
    chat, call = cat.models["chat"], cat.models["per-call"]
    assert (chat.price_in_per_mtok, chat.price_out_per_mtok) == (want_in, want_in * 4)
    assert (call.price_per_request, call.price_in_per_mtok) == (want_call, None)
    assert chat.price_group == call.price_group == chosen
    assert (cat.price_note.id if cat.price_note else None) == note


async def test_hostile_group_ratios_are_bounded() -> None:
    ratios = {f"g{i}": i for i in range(5000)} | {"default": "1e400", "x" * 100: 3}
    pricing = {"success": True, "data": ROWS, "group_ratio": ratios}
    client, target = _client(_pricing_handler(pricing))
    async with client:
        cat = await fetch_catalog_result(client, target)
    assert cat.price_note is not None and cat.price_note.id == "models.price_group.none"
    assert len(cat.price_note.params["groups"]) == 10
    assert cat.models["chat"].price_in_per_mtok == 2.5


def test_model_info_urls_stay_on_the_origin() -> None:
    from tui.core.models.catalog import model_info_urls

    assert model_info_urls("https://h/v1") == ["https://h/v1/model/info", "https://h/model/info"]
    assert model_info_urls("https://h/") == ["https://h/model/info", "https://h/v1/model/info"]
    assert model_info_urls("https://h:8443/litellm/v1") == [
        "https://h:8443/litellm/v1/model/info", "https://h:8443/model/info",
        "https://h:8443/v1/model/info",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("base", "served"),
    [("https://gw.test/v1", "/model/info"), ("https://gw.test", "/v1/model/info"),
     ("https://gw.test/proxy/v1", "/v1/model/info")],
)  # fmt: skip
async def test_litellm_model_info_at_the_origin(base: str, served: str) -> None:
    seen: list[str] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(str(req.url))
        assert req.url.host == "gw.test"
        if req.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": [{"id": "lite"}]})
        if req.url.path == served:
            assert req.headers["authorization"] == f"Bearer {KEY}"
            rows = [{"model_name": "lite", "model_info": {"max_input_tokens": 8192,
                     "input_cost_per_token": 5e-07, "output_cost_per_token": 1.5e-06}}]  # fmt: skip
            return httpx.Response(200, json={"data": rows})
        return httpx.Response(404)

    target = Target(base_url=base, api_key=KEY, model="m", timeout=2)
    client = GatewayClient(
        target, ExchangeLog(), client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    async with client:
        cat = await fetch_catalog_result(client, target)
    lite = cat.models["lite"]
    assert (lite.context_length, lite.price_in_per_mtok, lite.source) == (8192, 0.5, "litellm")
    assert "litellm" in cat.sources
    info_asks = [u for u in seen if u.endswith("/model/info")]
    assert len(info_asks) == len(set(info_asks)) <= 3
