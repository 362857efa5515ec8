"""English advice of each intermediary (reverse proxy, CDN, load balancer) for its own errors.

Keyed by the advice ids of ``tui.core.checks.intermediaries`` (``nginx.504``,
``cloudflare.524``, ``envoy`` …): ``(why, steps)``. A result carrying an advice
id shows these instead of the generic gateway-error text of its code.
"""

from __future__ import annotations

_SEND = "Send the support summary (status, time, request or ray ids) to the gateway's support."

ADVICE: dict[str, tuple[str, tuple[str, ...]]] = {
    "nginx.502": (
        "nginx answered 502 Bad Gateway itself: it could not get a valid answer from the "
        "gateway behind it (the upstream refused the connection, crashed, or closed it early).",
        (
            "Wait a minute and retry: the gateway behind nginx may be restarting.",
            "If you run it: check that the gateway process is up and listening on the address "
            "in nginx's `proxy_pass`, and read nginx's error.log (`connect() failed`, "
            "`upstream prematurely closed connection`).",
            _SEND,
        ),
    ),
    "nginx.504": (
        "nginx answered 504 Gateway Timeout itself: the gateway behind it did not answer within "
        "`proxy_read_timeout` (60 s by default), which long or reasoning completions exceed.",
        (
            "Turn on streaming in the client (the first bytes arrive before the timeout), or "
            "use a shorter prompt or lower max_tokens.",
            "If you run it: raise `proxy_read_timeout` and `proxy_send_timeout` (e.g. 600s) for "
            "the API location and reload nginx.",
            _SEND,
        ),
    ),
    "nginx.503": (
        "nginx answered 503 itself: a `limit_req` / `limit_conn` rule refused the request, or "
        "every upstream server is marked down.",
        (
            "Wait and retry more slowly; lower the client's concurrency.",
            "If you run it: check nginx's error.log for `limiting requests` or `no live "
            "upstreams`, and the health of the upstream servers.",
            _SEND,
        ),
    ),
    "nginx": (
        "nginx in front of the gateway answered this error with its own page: the gateway "
        "behind it is down, overloaded or too slow.",
        (
            "Wait a minute and retry.",
            "If you run it: read nginx's error.log for the upstream error at this time.",
            _SEND,
        ),
    ),
    "nginx.buffered": (
        "The stream came through nginx, which buffers proxied responses by default "
        "(`proxy_buffering on`): the client gets nothing, then everything.",
        (
            "In the API location set `proxy_buffering off;` and `proxy_cache off;` (and "
            "`gzip off;` for text/event-stream), or have the gateway send "
            "`X-Accel-Buffering: no`; reload nginx.",
            "If nginx is not yours, send this result to the gateway's support.",
        ),
    ),
    "cloudflare.524": (
        "Cloudflare answered 524: the gateway (the origin) accepted the request but sent no "
        "response headers within Cloudflare's 100-second limit.",
        (
            "Turn on streaming in the client: the first bytes arrive before the 100 s limit.",
            "Use a shorter prompt, less context or a lower max_tokens.",
            "If you run it: answer long requests by streaming, or move the API host off the "
            "proxied (orange-cloud) DNS record; Enterprise plans can raise the timeout.",
        ),
    ),
    "cloudflare.520": (
        "Cloudflare answered 520: the origin returned an empty, unknown or malformed response "
        "(often it crashed or reset the connection).",
        ("Retry in a minute.", "If you run it: check the origin's logs at this time.", _SEND),
    ),
    "cloudflare.521": (
        "Cloudflare answered 521: the origin refused Cloudflare's connection (the web server "
        "is down, or a firewall blocks Cloudflare's addresses).",
        (
            "Retry later; check the gateway's status page.",
            "If you run it: start the origin server and allow Cloudflare's IP ranges.",
            _SEND,
        ),
    ),
    "cloudflare.522": (
        "Cloudflare answered 522: its TCP connection to the origin timed out (origin overloaded, "
        "offline, or firewalled).",
        (
            "Retry later.",
            "If you run it: check the origin's load and firewall.",
            _SEND,
        ),
    ),
    "cloudflare.523": (
        "Cloudflare answered 523: it cannot reach the origin at all (wrong origin address in "
        "DNS, or a routing problem).",
        ("Retry later.", "If you run it: check the DNS record's origin address.", _SEND),
    ),
    "cloudflare.525": (
        "Cloudflare answered 525: the TLS handshake between Cloudflare and the origin failed.",
        ("Retry later.", "If you run it: check the origin's TLS configuration.", _SEND),
    ),
    "cloudflare.526": (
        "Cloudflare answered 526: the origin's certificate is invalid and Cloudflare's SSL mode "
        "is Full (strict).",
        ("If you run it: renew or fix the origin certificate.", _SEND),
    ),
    "cloudflare.530": (
        "Cloudflare answered 530 (with a 1xxx error on the page): the origin's DNS or tunnel "
        "is not resolvable or not running.",
        ("Retry later.", "If you run it: check the tunnel (cloudflared) or the origin DNS.", _SEND),
    ),
    "cloudflare": (
        "Cloudflare in front of the gateway answered this error itself: the gateway behind it "
        "is down, overloaded or too slow.",
        ("Wait a minute and retry; check the gateway's status page.", _SEND),
    ),
    "cloudflare.buffered": (
        "The stream came through Cloudflare, which can hold a response back when a "
        "transformation (compression, Rocket Loader, email obfuscation) or caching applies.",
        (
            "If you run it: send `Content-Type: text/event-stream` and "
            "`Cache-Control: no-cache`, and bypass caching and transformations for the API path.",
            "Otherwise send this result to the gateway's support.",
        ),
    ),
    "envoy.503": (
        "Envoy (or an Istio / Envoy-based gateway) answered 503 itself: `no healthy upstream` "
        "or `upstream connect error` means it had no working backend for the gateway.",
        (
            "Retry in a minute.",
            "If you run it: check the backend pods/hosts and their health checks (the body "
            "names the reset reason).",
            _SEND,
        ),
    ),
    "envoy.504": (
        "Envoy answered 504 `upstream request timeout`: the route timeout (15 s by default) "
        "ended a completion that was still running.",
        (
            "Turn on streaming in the client.",
            "If you run it: raise or disable the route timeout (`timeout: 0s`) for the API "
            "route and set a stream idle timeout instead.",
            _SEND,
        ),
    ),
    "envoy": (
        "Envoy in front of the gateway answered this error itself: its upstream (the gateway) "
        "failed or reset the connection.",
        ("Retry in a minute.", "If you run it: read Envoy's access log response flags.", _SEND),
    ),
    "caddy": (
        "Caddy answered with an empty error itself: its `reverse_proxy` could not reach the "
        "gateway behind it (502) or waited too long.",
        (
            "Retry in a minute.",
            "If you run it: check the upstream address in the Caddyfile and Caddy's log "
            "(`dial tcp … connection refused`); set `flush_interval -1` for streams.",
            _SEND,
        ),
    ),
    "traefik": (
        "Traefik answered with its plain-text error itself: the service behind it is down "
        "(502) or too slow (504).",
        (
            "Retry in a minute.",
            "If you run it: check the service's health, and the `responseForwarding` / "
            "`serversTransport` timeouts for long completions.",
            _SEND,
        ),
    ),
    "haproxy.504": (
        "HAProxy answered 504 itself: the gateway did not answer within `timeout server` "
        "(often 30-60 s).",
        (
            "Turn on streaming in the client.",
            "If you run it: raise `timeout server` (and `timeout tunnel` for streams) for the "
            "API backend.",
            _SEND,
        ),
    ),
    "haproxy": (
        "HAProxy answered this error itself: the backend sent an invalid response (502) or no "
        "backend server is up (503).",
        ("Retry in a minute.", "If you run it: check the backend servers' health.", _SEND),
    ),
    "aws.504": (
        "An AWS load balancer answered 504: the target did not answer within the idle timeout "
        "(60 s by default).",
        (
            "Turn on streaming in the client.",
            "If you run it: raise the load balancer's idle timeout attribute (up to 4000 s).",
            _SEND,
        ),
    ),
    "aws": (
        "An AWS load balancer (ALB/ELB) answered this error itself: the target closed the "
        "connection or sent an invalid response (502), or no healthy target is registered (503).",
        ("Retry in a minute.", "If you run it: check the target group's health.", _SEND),
    ),
    "cloudfront": (
        "Amazon CloudFront answered this error itself: the origin was unreachable or too slow "
        "(origin response timeout, 30 s by default).",
        (
            "Turn on streaming in the client.",
            "If you run it: raise the origin response timeout and check the origin's health.",
            _SEND,
        ),
    ),
    "akamai": (
        "Akamai answered this error itself (the page shows a Reference # id): the origin "
        "failed or timed out (120 s by default).",
        (
            "Retry in a minute.",
            "Send the Reference # from the page to the gateway's support.",
            _SEND,
        ),
    ),
    "kong": (
        "Kong answered this error itself: the upstream sent an invalid response, timed out, or "
        "no target is available.",
        (
            "Retry in a minute.",
            "If you run it: check the upstream targets and the service's read_timeout "
            "(60 s by default).",
            _SEND,
        ),
    ),
    "varnish": (
        "Varnish (or Fastly) answered this error itself (`Backend fetch failed`, a first-byte "
        "timeout): the origin failed or was too slow.",
        (
            "Turn on streaming in the client.",
            "If you run it: raise `first_byte_timeout` / `between_bytes_timeout` and pass the "
            "API path through without caching.",
            _SEND,
        ),
    ),
    "varnish.buffered": (
        "The stream came through Varnish / Fastly, which buffers a response unless told to "
        "stream it.",
        ("If you run it: pass the API path (`return (pass)`) and set `beresp.do_stream = true`.",),
    ),
    "apache": (
        "Apache httpd (mod_proxy) answered a Proxy Error itself: the backend failed or did not "
        "answer within `ProxyTimeout`.",
        (
            "Retry in a minute.",
            "If you run it: raise `ProxyTimeout` / the `timeout=` of the ProxyPass and read "
            "Apache's error log.",
            _SEND,
        ),
    ),
    "apache.buffered": (
        "The stream came through Apache httpd, which may buffer proxied responses.",
        ("If you run it: add `flushpackets=on` to the ProxyPass and disable mod_deflate there.",),
    ),
    "iis": (
        "IIS with Application Request Routing answered this error itself: the backend sent an "
        "invalid response or timed out.",
        ("If you run it: raise the ARR proxy timeout and check the backend.", _SEND),
    ),
    "iis.buffered": (
        "The stream came through IIS / ARR, which buffers responses by default.",
        ("If you run it: set the ARR response buffer threshold to 0 for the API site.",),
    ),
    "google": (
        "Google's front end (Cloud Run, App Engine, a Google load balancer) answered this error "
        "itself: the service behind it failed or exceeded its request timeout.",
        ("Retry in a minute.", "If you run it: raise the service's request timeout.", _SEND),
    ),
    "vercel": (
        "Vercel answered this error itself: the function behind the API failed or exceeded its "
        "maximum duration.",
        (
            "Turn on streaming in the client.",
            "If you run it: raise the function's maxDuration.",
            _SEND,
        ),
    ),
    "azure": (
        "An Azure Application Gateway or Front Door answered this error itself: the backend "
        "pool is unhealthy or did not answer in time.",
        (
            "Retry in a minute.",
            "If you run it: check backend health and the request timeout.",
            _SEND,
        ),
    ),
    "mitmproxy": (
        "mitmproxy (an intercepting proxy on your side) answered this error itself: it could "
        "not reach the gateway; its page gives the reason.",
        (
            "Check that the gateway's address is reachable from the machine running mitmproxy.",
            "Ask whoever runs the proxy; compare with a run without it.",
        ),
    ),
    "squid": (
        "A Squid proxy answered this error itself: it could not connect to the gateway "
        "(the page names the ERR_ code).",
        ("Ask the proxy's admin to allow the gateway's host and port.", _SEND),
    ),
    # The configured forward proxy (issue 12): its own TLS check toward the gateway, and
    # a stream it buffers. ``proxy.*`` ids name the user's proxy, not the gateway's server.
    "proxy.upstream_tls": (
        "The proxy reached the gateway but does not trust the gateway's certificate: proxies "
        "that inspect HTTPS verify the gateway themselves, and that check failed (the CA is not "
        "in the proxy's trust store, or the certificate is expired, self-signed or for another "
        "name). The gateway itself may be running fine.",
        (
            "Read the proxy's own words in the detail: they name the certificate problem it met.",
            "Ask the proxy's administrator to add the gateway's CA to the proxy's trusted CAs "
            "(common for a self-hosted gateway with a private CA), or to exempt {host} from "
            "TLS inspection.",
            "If you run the gateway: give it a certificate from a public CA with the full chain "
            "and the right host name; check it with `openssl s_client -connect {host}:{port} "
            "-showcerts`.",
            "Retry with `curl -x {proxy} -I {gateway}`.",
        ),
    ),
    "mitmproxy.buffered": (
        "The stream came through your proxy, mitmproxy, which reads a whole response before "
        "passing it on unless streaming is turned on (`stream_large_bodies` unset): the client "
        "gets nothing, then everything.",
        (
            "Start mitmproxy / mitmdump with `--set stream_large_bodies=1` (stream every body), "
            "or compare with a run without the proxy.",
            "If the stream is still buffered without the proxy, the gateway's side buffers it "
            "too: send this result to the gateway's support.",
        ),
    ),
    "proxy.buffered": (
        "The stream came through your proxy (named in the detail), which holds the response "
        "before passing it on (content scanning or TLS inspection buffers whole bodies): the "
        "client gets nothing, then everything.",
        (
            "Run again without the proxy (or with NO_PROXY for {host}) where that is allowed: if "
            "the stream then arrives live, the proxy buffers it.",
            "Ask the proxy's administrator to exempt {host} from content scanning / TLS "
            "inspection, or to pass text/event-stream through unbuffered.",
            "If it is still buffered without the proxy, send this result to the gateway's support.",
        ),
    ),
}
