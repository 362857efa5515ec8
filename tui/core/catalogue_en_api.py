"""English remediation for the API steps: auth, balance, model, stream."""

from __future__ import annotations

from tui.core.catalogue_en_reach import (
    _GATEWAY_ERROR_STEPS,
    _GATEWAY_ERROR_WHY,
    _RATE_LIMIT_STEPS,
    _SERVER_ERROR_STEPS,
    _TIMEOUT_STEPS,
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # ---- auth ---------------------------------------------------------------
    "auth.ok": (
        "The key is accepted",
        "An authenticated request (GET /models, or a minimal chat) with this key succeeded.",
        ("Nothing to fix here.",),
    ),
    "auth.invalid_key": (
        "The key is rejected (401)",
        "The gateway does not recognise this key: a typo or truncated copy, a deleted key, a "
        "key from another site (an OpenAI key on ALLTKN or the reverse), or an old "
        "OPENAI_API_KEY taking precedence over the key you meant (new-api: 无效的令牌).",
        (
            "Copy the key again from the console (ALLTKN keys start with sk-) and paste it "
            "whole, without spaces.",
            "Check the key belongs to this gateway: keys from one site do not work on another.",
            "Check which key was used: the summary shows its first 3 and last 4 characters; "
            "compare with the console.",
            "If the key was deleted or you are unsure, create a new key in the console.",
        ),
    ),
    "auth.key_expired": (
        "The key has expired",
        "The key's expiry time has passed (new-api/one-api: 该令牌已过期).",
        (
            "Log in to the console and create a new key, or extend this key's expiry in its "
            "settings.",
            "Update the key in every client and script that uses it.",
            "For teams: agree who rotates keys and when, so expiry does not surprise anyone.",
        ),
    ),
    "auth.key_disabled": (
        "The key is disabled",
        "The key exists but is switched off (new-api/one-api: 该令牌状态不可用): disabled by "
        "its owner or an admin, or automatically when its quota or validity ran out.",
        (
            "In the console's key/token list, check the key's status: enable it, or create a new "
            "key.",
            "If you did not disable it, ask the account owner or admin (it may have been revoked "
            "on purpose).",
            "If it was disabled because its quota ran out, add quota to the key or its group "
            "first.",
        ),
    ),
    "auth.ip_not_allowed": (
        "This IP address is not allowed for the key",
        "The key has an IP allow-list and this machine's public IP is not on it (new-api: 您的 "
        "IP … 不在令牌允许访问的列表中). A VPN, a proxy or a new office/home connection changes "
        "the public IP.",
        (
            "Add the IP named in the error text to the key's allowed IPs in the console, or clear "
            "the list.",
            "With a proxy or VPN, the gateway sees the proxy's exit IP, not yours.",
            "For servers, allow the egress IP (NAT gateway), not the private address.",
        ),
    ),
    "auth.forbidden": (
        "Access forbidden (403)",
        "The request was understood but not allowed: the account is banned or unverified, the "
        "key is limited to other models or endpoints, or a firewall (WAF) blocks the request "
        "by region or client.",
        (
            "Read the exact error text in the evidence; it usually names the restriction.",
            "In the console, check the account status and the key's model restrictions.",
            "If the answer is an HTML block page (WAF/Cloudflare), try another network.",
            "Send the support summary (request ids included) to support.",
        ),
    ),
    "auth.wrong_endpoint": (
        "The base URL points to the wrong path",
        "The server answered, but there is no API at this path: usually /v1 missing or doubled "
        "(…/v1/v1), or the website's address used instead of the API address.",
        (
            "Use the base URL gateway-doctor found working (named in the detail), e.g. "
            "https://api.alltkn.com/api/v1.",
            "new-api/one-api: https://your-host/v1; OpenRouter: https://openrouter.ai/api/v1; "
            "LiteLLM: http://host:4000/v1.",
            "In Chatbox: if the client adds /v1 itself, leave it out of the API Host; the request "
            "URL in the inspector must contain /v1 exactly once.",
        ),
    ),
    "auth.not_openai_compatible": (
        "This address does not speak the OpenAI API",
        "The answer is not OpenAI-style JSON: typically an HTML page (the website or its "
        "console), or a different API family.",
        (
            "Use the API address, not the website or console address (ALLTKN: "
            "https://api.alltkn.com/api/v1).",
            "In the client, choose the OpenAI / OpenAI-compatible provider type.",
            "If the service speaks another format natively (Anthropic, Gemini), use its "
            "OpenAI-compatible endpoint.",
        ),
    ),
    "auth.rate_limited": (
        "Too many requests (429) while checking the key",
        "The gateway is throttling this key, account or IP address; Retry-After (when present) "
        "says how long to wait.",
        _RATE_LIMIT_STEPS,
    ),
    "auth.server_error": (
        "The gateway had an internal error (5xx)",
        "The gateway itself failed while checking the key (a bug, a database problem, "
        "maintenance). It is not your configuration.",
        _SERVER_ERROR_STEPS,
    ),
    "auth.gateway_error": (
        "An intermediary failed (502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "auth.timeout": (
        "The key check timed out",
        "The gateway accepted the connection but did not answer the authenticated request in time.",
        _TIMEOUT_STEPS,
    ),
    # ---- balance ------------------------------------------------------------
    "balance.ok": (
        "Balance available",
        "The gateway reports money or quota left for this key.",
        ("Nothing to fix; watch the console's usage page if several people share the budget.",),
    ),
    "balance.low": (
        "Balance is low",
        "Little is left; requests will fail with 'insufficient quota' once it reaches zero.",
        (
            "Top up in the console, or move the key to a group that has quota.",
            "Set a usage alert or budget in the console if it offers one.",
            "Use a lower-cost model for routine work.",
        ),
    ),
    "balance.insufficient": (
        "Insufficient balance or quota",
        "The gateway refuses requests because money or quota ran out: the account balance, the "
        "key's own quota (new-api: 额度已用尽 / TokenStatusExhausted), the group's quota, "
        "OpenRouter credits (402), or a LiteLLM budget of the key, user, team or deployment "
        "(429 'Budget has been exceeded', 'crossed budget': money, not a rate limit).",
        (
            "Log in to the console and check the balance; top up if needed.",
            "Confirm the key's group (分组) has quota available, and that the key's own quota "
            "limit is not used up (raise it, or make it unlimited).",
            "If the detail says the balance endpoint shows money left, the refusal is about "
            "another limit: the key's own quota or budget (LiteLLM: max_budget, reset time in "
            "the detail), the group's, or a deployment's budget; raise that one or wait for the "
            "reset.",
            "If the team pays through another group or project, use a key from that group.",
            "Retry a short message with a low-cost model to confirm.",
        ),
    ),
    "balance.unknown": (
        "Balance not available",
        "None of the known balance endpoints answered for this gateway; many do not expose the "
        "balance to API keys. This is not an error.",
        (
            "Check the balance in the gateway's console.",
            "If requests fail with quota messages, follow the advice for balance.insufficient.",
        ),
    ),
    "balance.timeout": (
        "The balance query timed out",
        "The balance endpoint did not answer in time; it says nothing about the balance itself.",
        (
            "Check the balance in the gateway's console.",
            "Run the check again later; if other steps also time out, see network.timeout.",
        ),
    ),
    # ---- model --------------------------------------------------------------
    "model.ok": (
        "The model answers",
        "A minimal completion with this model succeeded.",
        ("Nothing to fix here; latency and token usage are in the evidence.",),
    ),
    "model.not_found": (
        "The model does not exist here",
        "The gateway does not know this model name (404 model_not_found): a typo, a name from "
        "another provider, or a model this gateway does not offer.",
        (
            "Choose a model from the gateway's list (the detail names the closest listed names, "
            "or says that none is close or that there is no list).",
            "Type the name exactly: case, dashes and dates matter (gpt-4o-mini, not GPT4o-mini).",
            "Confirm the connection with a low-cost model first, then switch.",
        ),
    ),
    "model.not_permitted": (
        "This key may not use the model",
        "The model exists, but the key, its group or the account's plan has no access to it "
        "(403, or 'does not have access to model').",
        (
            "In the console, check the key's model restrictions and the models of its group.",
            "Use a model the key is allowed to use, or ask the admin to allow this one.",
            "Some models need verification or a higher plan; check the gateway's model page.",
        ),
    ),
    "model.unavailable": (
        "No channel available for this model",
        "The gateway knows the model but has no working upstream channel for it in the key's "
        "group (new-api/one-api: 无可用渠道, 'No available channel for model … under group …'): "
        "the channel is disabled or exhausted, or the group does not include the model. A model "
        "that /models lists is reported here even when the error's code field says "
        "model_not_found: the name is right, serving it is what fails.",
        (
            "Pick another model (or another name for the same model that the gateway lists).",
            "Use a key from a group that has a channel for this model.",
            "Ask the gateway admin to enable a channel for the model in your group; if channels "
            "are down temporarily, retry later.",
        ),
    ),
    "model.not_listed": (
        "The model is not in the model list",
        "The gateway has no /models endpoint, or does not list every model; only the completion "
        "test shows whether the name works.",
        (
            "If the completion test passed, you can ignore this warning.",
            "Otherwise check the name against the gateway's documentation or console.",
        ),
    ),
    "model.bad_response": (
        "The reply is not a valid completion",
        "The gateway answered 2xx, but the body is not a Chat Completions response: an error "
        "object inside a 200, empty choices, an HTML page, or another API format.",
        (
            "Read the body in the inspector; an error object there gives the real reason.",
            "Make sure the client uses the OpenAI Chat Completions compatible format "
            "(/chat/completions with a messages array).",
            "Try another model; if only one misbehaves, report it to support with the request id.",
        ),
    ),
    "model.rate_limited": (
        "Rate limited (429)",
        "Too many requests or tokens per minute for this key, group or upstream model; "
        "Retry-After (when present) says how long to wait.",
        _RATE_LIMIT_STEPS,
    ),
    "model.server_error": (
        "The gateway failed to serve the model (5xx)",
        "The gateway or its upstream provider returned a server error for this request. It is "
        "not your configuration.",
        _SERVER_ERROR_STEPS,
    ),
    "model.gateway_error": (
        "An intermediary failed or timed out (502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "model.timeout": (
        "The model did not answer in time",
        "The completion did not finish within the timeout: a large or reasoning model thinking "
        "before it answers, an overloaded upstream, or a slow network path.",
        (
            "Run again with a longer --timeout; reasoning models can take long before the first "
            "token.",
            "Use streaming so output starts sooner, or a faster model.",
            "Check the network, proxy and firewall if other steps are slow too.",
        ),
    ),
    # ---- stream -------------------------------------------------------------
    "stream.ok": (
        "Streaming works",
        "A streamed completion arrived chunk by chunk and ended properly (finish_reason, [DONE]).",
        ("Nothing to fix here; time to first token and chunk gaps are in the evidence.",),
    ),
    "stream.not_streamed": (
        "The answer was not streamed",
        "stream: true was requested but the gateway sent one plain JSON body instead of "
        "text/event-stream; clients that expect a stream show nothing or an error.",
        (
            "As a workaround, turn streaming off in the client.",
            "Check that no proxy or security software rewrites responses.",
            "Report it to the gateway's support: the model or channel may not support streaming.",
        ),
    ),
    "stream.interrupted": (
        "The stream was cut off",
        "The connection closed before the end (no finish_reason, no [DONE]): an upstream "
        "failure, a proxy or load balancer idle timeout, or an unstable network.",
        (
            "Retry; if it always stops around the same length, shorten the prompt or lower "
            "max_tokens.",
            "Check proxy/VPN idle timeouts; try without the proxy or on another network.",
            "Roll back if needed: disable streaming, switch model or reduce context.",
            "Send the support summary (request id, time) to support.",
        ),
    ),
    "stream.malformed": (
        "The stream is not valid SSE",
        "Lines without 'data:', or invalid JSON after 'data:': the gateway, a proxy or security "
        "software changed or split the event stream.",
        (
            "Upgrade the client, and make sure it uses the OpenAI Chat Completions compatible "
            "format.",
            "Check that no proxy or HTTPS-scanning software rewrites responses; try without it.",
            "Report it with the request id; disable streaming as a workaround.",
        ),
    ),
    "stream.garbled": (
        "Garbled text in the stream",
        "Chunks contain invalid UTF-8 or U+FFFD (�): multi-byte characters such as Chinese were "
        "split or decoded with the wrong charset somewhere between the upstream and you.",
        (
            "Upgrade the client, and make sure it uses the OpenAI Chat Completions compatible "
            "format.",
            "Check the response is UTF-8 and that no proxy re-encodes it.",
            "Try another model or channel; report it to support with the request id.",
        ),
    ),
    "stream.buffered": (
        "The stream arrives all at once",
        "Chunks were held back and delivered in one burst at the end: a reverse proxy (nginx) "
        "or CDN buffers the response, so users see nothing, then everything.",
        (
            "If the gateway runs behind nginx: set `proxy_buffering off;` (and "
            "`proxy_cache off;`) for the API location, or have the gateway send "
            "`X-Accel-Buffering: no`.",
            "Turn off response buffering or compression for text/event-stream in any CDN or "
            "proxy in between.",
            "On your side, try without a local proxy or antivirus that inspects HTTPS.",
        ),
    ),
    "stream.stalled": (
        "The stream stalled",
        "Chunks stopped arriving and nothing came for longer than the timeout, yet the stream "
        "did not end: an upstream hang or a stuck connection.",
        (
            "Retry; if it repeats, lower max_tokens or switch model.",
            "Check the stability of the proxy or VPN.",
            "Report it with the request id; disable streaming as a workaround.",
        ),
    ),
    "stream.error_event": (
        "An error arrived mid-stream",
        "The gateway started streaming, then sent an error object in the stream (for example "
        "the upstream is overloaded); its text is the real reason.",
        (
            "Read the error text in the evidence; if it says overloaded, retry after a short wait.",
            "If it persists, switch model or channel.",
            "Send the support summary (request id, time) to support.",
        ),
    ),
    "stream.insufficient": (
        "The streamed request was refused for money or quota",
        "The balance and model steps passed, yet the streamed request was refused because money "
        "or quota ran out (402, or 429 with budget/quota wording): the quota ran out in between, "
        "or this request asks for more than is left (gateways reserve max_tokens up front, "
        "LiteLLM budgets count per deployment). Waiting and retrying does not help.",
        (
            "Log in to the console and check the balance and the key's own quota; top up or "
            "raise the limit.",
            "Lower max_tokens in the client: some gateways pre-charge the whole max_tokens.",
            "Retry a short message with a low-cost model to confirm.",
        ),
    ),
    "stream.rate_limited": (
        "Rate limited (429) on the streamed request",
        "Too many requests or tokens per minute; the streamed request was refused before it "
        "started.",
        _RATE_LIMIT_STEPS,
    ),
    "stream.server_error": (
        "The gateway failed the streamed request (5xx)",
        "The gateway or its upstream returned a server error for the streamed request.",
        _SERVER_ERROR_STEPS,
    ),
    "stream.gateway_error": (
        "An intermediary failed the streamed request (502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "stream.timeout": (
        "The stream did not start in time",
        "No response headers or first chunk arrived within the timeout.",
        _TIMEOUT_STEPS,
    ),
}
