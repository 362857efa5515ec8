"""English catalogue: check titles, status labels, report labels, remediation.

Each ``CATALOGUE`` entry is ``code: (title, why, steps)``. Steps are short,
imperative and actionable; the first step is the most likely fix.
"""

from __future__ import annotations

CHECK_TITLES: dict[str, str] = {
    "config": "Configuration",
    "network": "Network",
    "proxy": "Proxy",
    "auth": "Authentication",
    "balance": "Balance",
    "model": "Model",
    "stream": "Streaming",
}

STATUS_LABELS: dict[str, str] = {
    "pending": "pending",
    "running": "running",
    "pass": "passed",
    "warn": "warning",
    "fail": "failed",
    "skip": "skipped",
}

LABELS: dict[str, str] = {
    "summary_title": "gateway-doctor support summary",
    "tool": "Tool",
    "os": "OS",
    "time_utc": "Time (UTC)",
    "time_local": "Time (local)",
    "client": "Client",
    "profile": "Profile",
    "base_url": "Base URL",
    "model": "Model",
    "api_key": "API key",
    "proxy": "Proxy",
    "verdict": "Verdict",
    "failing_step": "Failing step",
    "error": "Error text",
    "http_status": "HTTP status",
    "request_ids": "Request ids",
    "charged": "Charged",
    "timings": "Timings",
    "checks": "Checks",
    "none": "(none)",
    "direct": "(none, direct connection)",
    "yes": "yes",
    "no": "no",
    "unknown": "unknown",
    "all_passed": "none, every check passed",
    "started_at": "Started",
    "duration": "Duration",
    "why": "Why",
    "what_to_do": "What to do",
    "report_title": "gateway-doctor report",
    "support_summary": "Support summary",
    "results": "Results",
    "step": "Step",
    "status": "Status",
    "code": "Code",
    "detail": "Detail",
    "time": "Time",
    "verdict_pass": "PASS: every check passed",
    "verdict_warn": "PASS with warnings",
    "verdict_fail": "FAIL",
    "counts": "{failed} failed, {warned} warnings, {passed} passed, {skipped} skipped",
    "never_share_key": "Never send your full API key to anyone, support included.",
}

#: Used for a code that is not (yet) in the catalogue; ``{code}`` is filled in.
UNKNOWN: tuple[str, str, tuple[str, ...]] = (
    "Unrecognised result {code}",
    "gateway-doctor reported {code}, which this version's catalogue does not describe.",
    (
        "Read the detail and the recorded exchange for the exact error text.",
        "Update gateway-doctor, then run the check again.",
        "If it persists, send the support summary (it never contains your full key) to support.",
    ),
)

_TIMEOUT_STEPS = (
    "Check the local network, proxy and firewall, and confirm the API domain is reachable from "
    "this machine (open it in a browser, or `curl -I https://api.alltkn.com`).",
    "Run again with a longer --timeout to tell a slow answer from no answer at all.",
    "If only long requests time out: use streaming, shorter prompts or less context.",
    "If it persists, send the support summary (time and request ids included) to support.",
)
_GATEWAY_ERROR_WHY = (
    "A CDN, load balancer or reverse proxy in front of the gateway (Cloudflare, nginx) answered "
    "502/503/504/52x, often with an HTML page: the gateway behind it is down, overloaded or too "
    "slow. Cloudflare 524 means the origin took more than 100 s to answer."
)
_GATEWAY_ERROR_STEPS = (
    "Wait a minute and retry; check the gateway's status page or announcements.",
    "If it happens with long answers: turn on streaming (output starts before the 100 s limit), "
    "or use shorter prompts, less context or a lower max_tokens.",
    "If you run the gateway: check its logs and the reverse proxy's upstream timeouts "
    "(nginx `proxy_read_timeout`).",
    "Send the support summary (status, CF-RAY / request ids, time) to support.",
)
_RATE_LIMIT_STEPS = (
    "Wait as long as Retry-After says (shown in the evidence), then retry; scripts should back "
    "off and retry instead of hammering.",
    "Stop other programs using the same key at the same time; lower concurrency, batch size or "
    "max_tokens.",
    "Switch to another model, or ask the gateway for a higher rate limit (RPM/TPM) on this key.",
)
_SERVER_ERROR_STEPS = (
    "Retry in a minute; check the gateway's status page or announcements.",
    "Try another model: if only this one fails, its upstream channel is the problem.",
    "Keep the exact error text and send the support summary (request ids, time) to support.",
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # ---- config -------------------------------------------------------------
    "config.ok": (
        "Configuration looks right",
        "The base URL parses, the key is present and plausible, and a model is set.",
        ("Nothing to fix here. If a later step fails, start from that step's advice.",),
    ),
    "config.missing_base_url": (
        "No base URL set",
        "The client needs the gateway's API address (the 'API Host' or 'Base URL' setting) and "
        "none was given.",
        (
            "Set the base URL: for ALLTKN it is https://api.alltkn.com/api/v1 (--base-url, "
            "OPENAI_BASE_URL, or a profile).",
            "For other gateways use the OpenAI-compatible address their console shows, usually "
            "ending in /v1: new-api/one-api https://your-host/v1, OpenRouter "
            "https://openrouter.ai/api/v1, LiteLLM proxy http://host:4000/v1.",
            "In the client, choose the OpenAI / 'OpenAI compatible' provider mode, not a mode "
            "that only supports an official account login.",
        ),
    ),
    "config.invalid_base_url": (
        "The base URL is not a valid address",
        "It does not parse as an http(s) URL with a host: a missing or misspelt scheme "
        "(htp:/), spaces or quotes, or full-width characters pasted from a document or chat.",
        (
            "Write it in full, with the scheme: https://api.alltkn.com/api/v1.",
            "Remove spaces, quotes and trailing punctuation; retype characters copied from chat "
            "or documents (full-width ：／ look the same but are different characters).",
            "Keep only scheme, host and path: no query string, and never the key inside the URL.",
        ),
    ),
    "config.base_url_has_endpoint": (
        "The base URL includes an endpoint",
        "It ends in an endpoint such as /chat/completions or /models. Clients add the endpoint "
        "themselves, so requests go to …/chat/completions/chat/completions and fail with 404.",
        (
            "Cut the endpoint off: https://api.alltkn.com/api/v1, not "
            "https://api.alltkn.com/api/v1/chat/completions.",
            "In Chatbox and similar clients, check whether the client adds /v1 itself: the "
            "request URL in the inspector must contain /v1 exactly once.",
            "Run the check again; the auth step names the base URL that works when it finds one.",
        ),
    ),
    "config.insecure_http": (
        "Plain http:// to a remote host",
        "The key would cross the network unencrypted, and many gateways redirect http to https, "
        "which turns POST into GET in most clients.",
        (
            "Use https:// (ALLTKN: https://api.alltkn.com/api/v1).",
            "Keep http:// only for a gateway on this machine or a trusted private network (for "
            "example a local LiteLLM proxy on http://127.0.0.1:4000/v1).",
            "If the key has already been sent over plain http across the internet, rotate it: "
            "create a new key in the console and delete the old one.",
        ),
    ),
    "config.missing_key": (
        "No API key",
        "No key was found in GATEWAY_DOCTOR_API_KEY, OPENAI_API_KEY, the profile's keyring "
        "entry or standard input.",
        (
            "Create or copy a key in the gateway console (ALLTKN keys start with sk-).",
            "Give it to gateway-doctor without putting it on the command line: "
            "`export GATEWAY_DOCTOR_API_KEY=…`, `--api-key-stdin`, or store it in the system "
            "keyring (`gateway-doctor key --help`).",
            "In your client, paste it into the API Key field of the OpenAI-compatible provider.",
        ),
    ),
    "config.key_whitespace": (
        "The key contains spaces or line breaks",
        "Copying from a web page, chat or PDF often adds a space, a newline or an invisible "
        "character; the gateway then sees a different string and rejects it.",
        (
            "Copy the key again with the console's copy button and paste it without a trailing "
            "newline.",
            "Check the client's key field for leading or trailing spaces, or two keys pasted "
            "together.",
            "If the key comes from a file or variable, strip whitespace before using it.",
        ),
    ),
    "config.key_format": (
        "The key does not look like an API key",
        "It is too short, has unexpected characters or lacks the usual prefix (ALLTKN, "
        "new-api/one-api and OpenAI keys start with sk-, OpenRouter keys with sk-or-). Common "
        "mistakes: the account password, a login token, or the key's name or ID instead of the "
        "key.",
        (
            "Copy the key itself (starting with sk-) from the console's key/token page, not its "
            "name or ID.",
            "Make sure the whole key was copied (not cut off) and that the key field does not "
            "include 'Bearer '.",
            "If the console showed the key only once and it is lost, create a new key.",
        ),
    ),
    "config.missing_model": (
        "No model set",
        "A chat request must name a model, and the name must match what the gateway offers "
        "exactly (case and dashes matter).",
        (
            "Set a model (--model gpt-4o-mini, or in the profile); use a low-cost model for the "
            "first test.",
            "See which models this key can use: the /models answer in the inspector, or the "
            "console's model list.",
            "In the client, type the model name exactly as the gateway lists it.",
        ),
    ),
    # ---- network ------------------------------------------------------------
    "network.ok": (
        "The gateway is reachable",
        "DNS, TCP connect, TLS and the first HTTP response all worked.",
        ("Nothing to fix here; the phase timings in the evidence show where time goes.",),
    ),
    "network.dns_failed": (
        "The host name does not resolve",
        "DNS could not find the gateway's host: a typo in the host name, no network, a DNS "
        "server that cannot reach or blocks it, or a VPN/proxy that was supposed to resolve it.",
        (
            "Check the host name in the base URL for typos (api.alltkn.com).",
            "Check this machine is online, then try `nslookup api.alltkn.com`.",
            "Try another DNS server (your router's, 223.5.5.5 or 1.1.1.1) or switch the VPN on "
            "or off.",
            "Behind a corporate proxy, set HTTPS_PROXY (or --proxy) so the proxy resolves the "
            "name.",
        ),
    ),
    "network.connect_refused": (
        "The connection was refused",
        "The host answered, but nothing listens on that port or a firewall rejects it: often a "
        "wrong port, http and https mixed up, or a self-hosted gateway that is not running.",
        (
            "Check the scheme and port in the base URL (https uses 443; new-api/one-api default "
            "to 3000, a LiteLLM proxy to 4000).",
            "If you host the gateway, check it is running and listening on an address you can "
            "reach (not only 127.0.0.1 inside a container).",
            "Check local firewall or security software, then retry.",
        ),
    ),
    "network.connect_timeout": (
        "Connecting timed out",
        "The TCP connection got no answer: a firewall silently drops it, the network blocks the "
        "domain, or traffic has to go through a proxy.",
        (
            "Check the local network, proxy and firewall, and confirm the API domain is "
            "reachable from this machine (open it in a browser, or "
            "`curl -I https://api.alltkn.com`).",
            "If you normally need a proxy or VPN, set HTTPS_PROXY (or --proxy) and run again.",
            "On a company network, ask IT whether outbound HTTPS to the API domain is allowed.",
            "Try another network (a phone hotspot) to tell a local block from a gateway outage.",
        ),
    ),
    "network.tls_failed": (
        "The HTTPS (TLS) handshake failed",
        "The certificate could not be verified or the handshake broke off: a corporate proxy or "
        "antivirus re-signing HTTPS with its own CA, a wrong system clock, an outdated CA store, "
        "or a self-signed certificate on a self-hosted gateway.",
        (
            "Check the system date, time and time zone (certificates fail when the clock is off).",
            "Behind a corporate proxy or HTTPS-scanning antivirus, use your company's CA: "
            "--ca-bundle corp-ca.pem or SSL_CERT_FILE=corp-ca.pem.",
            "For a self-hosted gateway, install a valid certificate (e.g. Let's Encrypt), or pass "
            "its CA with --ca-bundle.",
            "Use --insecure only to confirm the diagnosis, never for real traffic.",
        ),
    ),
    "network.timeout": (
        "The gateway did not answer in time",
        "The connection was made but no response arrived within the timeout: an overloaded "
        "gateway or upstream model, a slow network path, or a proxy holding the request.",
        _TIMEOUT_STEPS,
    ),
    "network.redirect": (
        "The base URL redirects",
        "The server answered with a redirect (301/302/307/308). Most clients turn a redirected "
        "POST into a GET or drop the Authorization header, so chat fails even though a browser "
        "shows the page.",
        (
            "Use the final URL shown in the evidence as the base URL, with https:// (for example "
            "http → https, or the host with/without www).",
            "Keep the API path (ALLTKN: /api/v1; most gateways: /v1).",
            "Run the check again to confirm no redirect remains.",
        ),
    ),
    "network.gateway_error": (
        "An intermediary failed (502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    # ---- proxy --------------------------------------------------------------
    "proxy.none": (
        "No proxy in use",
        "No proxy setting applies to this URL (HTTP(S)_PROXY and ALL_PROXY unset), so requests "
        "go directly.",
        (
            "Nothing to fix if the network step passed.",
            "If direct connections are blocked where you are, set HTTPS_PROXY (or "
            "--proxy http://host:port) and run again.",
        ),
    ),
    "proxy.ok": (
        "The proxy works",
        "The proxy is reachable and the gateway answers through it.",
        (
            "Nothing to fix. Make sure your client uses the same proxy: many desktop clients "
            "ignore HTTPS_PROXY and have their own proxy setting.",
        ),
    ),
    "proxy.bypassed": (
        "The proxy is bypassed for this host",
        "A proxy is configured but NO_PROXY matches the gateway's host, so requests go "
        "directly. Fine if direct access works; the cause if this network requires the proxy.",
        (
            "If the network step passed, nothing to do.",
            "If it failed, remove the gateway's host from NO_PROXY or pass --proxy.",
            "Give your client the same proxy and bypass settings.",
        ),
    ),
    "proxy.unreachable": (
        "The proxy cannot be reached",
        "The proxy in HTTP(S)_PROXY / ALL_PROXY / --proxy does not answer: the proxy program is "
        "not running, the port is wrong, or the variable is left over from another network.",
        (
            "Check the proxy program (Clash, V2Ray, a corporate proxy) is running and note its "
            "port; test it with `curl -x http://127.0.0.1:7890 -I https://api.alltkn.com`.",
            "Fix or clear stale variables: `unset HTTPS_PROXY HTTP_PROXY ALL_PROXY` (and the "
            "lower-case ones).",
            "Make sure the proxy URL's scheme matches the proxy type (http:// for an HTTP proxy).",
        ),
    ),
    "proxy.auth_required": (
        "The proxy wants credentials (407)",
        "The proxy answered 407 Proxy Authentication Required: it needs a user name and "
        "password that the proxy URL does not carry, or carries wrongly.",
        (
            "Put the credentials in the proxy URL: http://user:password@proxy:port "
            "(URL-encode special characters, e.g. @ as %40).",
            "Ask IT for the right credentials, or for the API domain to be allowed without them.",
            "gateway-doctor masks the proxy password in its output; don't paste it elsewhere.",
        ),
    ),
    "proxy.refused": (
        "The proxy refused to forward the request",
        "The proxy is reachable but will not connect to the gateway (403, a block page, or a "
        "failed CONNECT): the API domain is blocked by policy, or the proxy cannot reach it.",
        (
            "Ask the proxy administrator to allow the API domain (api.alltkn.com) on port 443.",
            "If direct access is allowed, bypass the proxy for this host (NO_PROXY) or unset it.",
            "With a proxy client that has several nodes, try another node.",
        ),
    ),
    "proxy.required": (
        "Only the proxy works",
        "The gateway cannot be reached directly from this network, but it works through the "
        "proxy. Any client that ignores the proxy settings will time out.",
        (
            "Set the same proxy in your client's own network settings (many GUI clients ignore "
            "environment variables).",
            "For scripts, export HTTPS_PROXY where they run (cron, systemd, CI).",
            "Keep the gateway's host out of NO_PROXY.",
        ),
    ),
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
        "key's own quota (new-api: 额度已用尽 / TokenStatusExhausted), the group's quota, or "
        "OpenRouter credits (402).",
        (
            "Log in to the console and check the balance; top up if needed.",
            "Confirm the key's group (分组) has quota available, and that the key's own quota "
            "limit is not used up (raise it, or make it unlimited).",
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
            "Choose a model from the gateway's list (the detail suggests the closest names).",
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
        "the channel is disabled or exhausted, or the group does not include the model.",
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
