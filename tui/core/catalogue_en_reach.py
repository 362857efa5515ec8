"""English remediation for the steps that reach the gateway: config, network, proxy.

Also holds the step lists shared with ``catalogue_en_api`` (timeouts,
intermediary errors, rate limits, server errors).
"""

from __future__ import annotations

_TIMEOUT_STEPS = (
    "Check the local network, proxy and firewall, and confirm the API domain is reachable from "
    "this machine (open it in a browser, or `curl -I {gateway}`).",
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
            "Check the host name in the base URL for typos ({host}).",
            "Check this machine is online, then try `nslookup {host}`.",
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
            "`curl -I {gateway}`).",
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
            "Read the detail: it names the kind of problem (expired, not yet valid, wrong host "
            "name, unknown issuer, self-signed), the certificate's issuer and names, and the "
            "interception product when the issuer is one (press e in the console for all of it).",
            "Expired or not yet valid: check the system date, time and time zone; if the clock is "
            "right, the gateway's operator must renew the certificate.",
            "Wrong host name: check the address in the base URL; a certificate for another name "
            "also means something in between answers for the gateway.",
            "Unknown issuer behind a corporate proxy or HTTPS-scanning antivirus: install the "
            "company's root CA in the system certificate store (trusted by default), or pass it "
            "with --ca-bundle corp-ca.pem or SSL_CERT_FILE=corp-ca.pem.",
            "Self-signed (a self-hosted gateway): install a certificate from a public CA (e.g. "
            "Let's Encrypt), or pass its certificate with --ca-bundle.",
            "Use --insecure only to confirm the diagnosis, never for real traffic.",
        ),
    ),
    "network.tls_unverified": (
        "TLS certificate verification is turned off",
        "--insecure accepts any certificate, so anyone between you and the gateway (a proxy, a "
        "hotel or public Wi-Fi, malware) could read the key and the conversations. The check "
        "still verifies the certificate on its own and the detail names any problem it hides.",
        (
            "Remove --insecure as soon as the diagnosis is done; never use it for real traffic.",
            "If the detail names a hidden problem, fix that one (see network.tls_failed: clock, "
            "address, company root CA with --ca-bundle FILE or SSL_CERT_FILE).",
            "Clients such as Chatbox and the OpenAI SDK verify certificates: what passes here "
            "only with --insecure fails there.",
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
        "shows the page. gateway-doctor sends the key only to the base URL's own address: a "
        "redirect on the same server (same scheme, host and port) is checked at its new path, "
        "one to another host or port, or between https and http, stops the checks, and chat "
        "never follows a redirect.",
        (
            "If it redirects to another address (the detail names both), the key was not sent "
            "there: update the base URL if you trust the new address (never accept https → "
            "http, which would send the key in cleartext).",
            "Otherwise use the final URL shown in the evidence as the base URL, with https:// "
            "(for example http → https, or the host with/without www).",
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
            "port; test it with `curl -x {proxy} -I {gateway}`.",
            "Fix or clear stale variables: `unset HTTPS_PROXY HTTP_PROXY ALL_PROXY` (and the "
            "lower-case ones).",
            "Make sure the proxy URL's scheme matches the proxy type (http:// for an HTTP proxy).",
        ),
    ),
    "proxy.auth_required": (
        "The proxy wants credentials (407)",
        "The proxy answered 407 Proxy Authentication Required: it needs a user name and "
        "password, and the proxy URL carries none (wrong ones are proxy.auth_rejected).",
        (
            "Put the credentials in the proxy URL: http://<user>:<password>@host:port "
            "(percent-encode special characters, e.g. @ as %40).",
            "Ask IT for the right credentials, or for the API domain to be allowed without them.",
            "gateway-doctor masks the proxy password in its output; don't paste it elsewhere.",
        ),
    ),
    "proxy.bad_url": (
        "The proxy URL is written wrongly",
        "The proxy setting is not a usable proxy URL: the scheme is missing (127.0.0.1:7890 "
        "instead of http://127.0.0.1:7890), it is not a proxy scheme, or it says https:// for a "
        "proxy that speaks plain HTTP (most company and local proxies do, even for https sites).",
        (
            "Write the proxy as the detail suggests, usually http://host:port; check it with "
            "`curl -x {proxy} -I {gateway}`.",
            "Fix it where it came from (the proxy source in the evidence): --proxy, the profile, "
            "or HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (and the lower-case ones).",
            "Use https:// only for a proxy that itself speaks TLS; socks5:// for a SOCKS proxy.",
        ),
    ),
    "proxy.auth_rejected": (
        "The proxy rejected the credentials (407)",
        "The proxy URL carries a user name and password, and the proxy still answers 407 "
        "Proxy Authentication Required: they are wrong or expired, or a special character in "
        "them was not percent-encoded and was read differently.",
        (
            "Check the user name and password (ask IT, or try them in the browser's proxy "
            "prompt); passwords often expire with the Windows password.",
            "Percent-encode special characters in them: @ as %40, : as %3A, # as %23, % as %25 "
            "(http://<user>:<password>@host:port).",
            "Some proxies accept only NTLM/Kerberos sign-in, not a password in the URL: ask IT "
            "for a proxy or port that takes a user name and password.",
        ),
    ),
    "proxy.intercepts_tls": (
        "The proxy intercepts HTTPS",
        "The proxy decrypts and re-signs HTTPS (a corporate TLS-inspection proxy, a security "
        "product or a debugging proxy): the gateway's certificate arrives issued by the "
        "proxy's own CA (named in the detail), which this machine does not trust.",
        (
            "Get the company's root CA certificate from IT (the issuer named in the detail) and "
            "install it in the system's certificate store; gateway-doctor trusts that store.",
            "Or pass it to gateway-doctor as --ca-bundle FILE (or SSL_CERT_FILE=FILE), and give "
            "the same file to your client (NODE_EXTRA_CA_CERTS for Node/Electron apps, "
            "REQUESTS_CA_BUNDLE / SSL_CERT_FILE for Python).",
            "Or ask IT to exempt the API domain ({host}) from TLS inspection.",
            "Check it with `curl --cacert FILE -x {proxy} -I {gateway}`.",
        ),
    ),
    "proxy.upstream_failed": (
        "The proxy could not reach the gateway",
        "The proxy works, but it answered with its own error (502/503/504) because it could "
        "not connect to the gateway; the direct route fails too, so the gateway itself is down, "
        "not listening at this address, or the address is wrong.",
        (
            "Read the proxy's own words in the detail (e.g. “Connect call failed” or “Connection "
            "refused”): they say what it met at the gateway's address.",
            "Check the base URL's host and port, and that the gateway is running (for a "
            "self-hosted one, its service and logs).",
            "Retry with `curl -x {proxy} -I {gateway}` once it should be up.",
        ),
    ),
    "proxy.refused": (
        "The proxy refused to forward the request",
        "The proxy is reachable but will not connect to the gateway (403, a block page, or a "
        "failed CONNECT): the API domain is blocked by policy, or the proxy cannot reach it.",
        (
            "Ask the proxy administrator to allow the API domain ({host}) on port {port}.",
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
}
