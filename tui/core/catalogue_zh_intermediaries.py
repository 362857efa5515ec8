"""各中间层（反向代理、CDN、负载均衡）对自己返回的错误给出的处理办法（简体中文）。

键与 ``catalogue_en_intermediaries`` 相同：``(why, steps)``。
"""

from __future__ import annotations

_SEND = "把支持摘要（状态码、时间、请求 ID 或 Ray ID）发给网关客服。"

ADVICE: dict[str, tuple[str, tuple[str, ...]]] = {
    "nginx.502": (
        "这是 nginx 自己返回的 502 Bad Gateway：它没能从后面的网关拿到有效应答"
        "（上游拒绝连接、进程崩溃或提前断开）。",
        (
            "等一分钟再试：nginx 后面的网关可能正在重启。",
            "如果网关是你维护的：确认网关进程在运行，并监听 nginx `proxy_pass` 指向的地址；"
            "查看 nginx 的 error.log（`connect() failed`、`upstream prematurely closed connection`）。",
            _SEND,
        ),
    ),
    "nginx.504": (
        "这是 nginx 自己返回的 504 Gateway Timeout：后面的网关没有在 `proxy_read_timeout`"
        "（默认 60 秒）内应答，长回答或推理模型很容易超过这个时间。",
        (
            "在客户端开启流式输出（首批数据会在超时前到达），或缩短提示、调低 max_tokens。",
            "如果网关是你维护的：为 API 的 location 调大 `proxy_read_timeout` 和 "
            "`proxy_send_timeout`（例如 600s），然后重载 nginx。",
            _SEND,
        ),
    ),
    "nginx.503": (
        "这是 nginx 自己返回的 503：`limit_req` / `limit_conn` 限流规则拒绝了请求，"
        "或所有上游服务器都被标记为不可用。",
        (
            "稍等再试，降低请求频率和客户端并发数。",
            "如果网关是你维护的：在 nginx 的 error.log 中查找 `limiting requests` 或 "
            "`no live upstreams`，检查上游服务器的状态。",
            _SEND,
        ),
    ),
    "nginx": (
        "网关前面的 nginx 用自己的错误页返回了这个错误：后面的网关宕机、过载或太慢。",
        (
            "等一分钟再试。",
            "如果网关是你维护的：查看 nginx 的 error.log 中这一时刻的上游错误。",
            _SEND,
        ),
    ),
    "nginx.buffered": (
        "流式响应经过了 nginx，而 nginx 默认会缓冲代理的响应（`proxy_buffering on`）："
        "客户端先是什么都收不到，然后一下子收到全部内容。",
        (
            "在 API 的 location 中设置 `proxy_buffering off;` 和 `proxy_cache off;`"
            "（对 text/event-stream 也关掉 `gzip`），或让网关发送 `X-Accel-Buffering: no`，然后重载 nginx。",
            "如果 nginx 不归你管，请把这个结果发给网关客服。",
        ),
    ),
    "cloudflare.524": (
        "Cloudflare 返回 524：网关（源站）接受了请求，但在 Cloudflare 的 100 秒上限内没有返回响应头。",
        (
            "在客户端开启流式输出：首批数据会在 100 秒之前到达。",
            "缩短提示、减少上下文或调低 max_tokens。",
            "如果网关是你维护的：长请求用流式应答，或让 API 域名不经过 Cloudflare 代理（灰色云朵）；"
            "企业版可以调大超时。",
        ),
    ),
    "cloudflare.520": (
        "Cloudflare 返回 520：源站返回了空的、未知的或格式错误的响应（常见于源站崩溃或重置连接）。",
        ("一分钟后重试。", "如果网关是你维护的：查看源站这一时刻的日志。", _SEND),
    ),
    "cloudflare.521": (
        "Cloudflare 返回 521：源站拒绝了 Cloudflare 的连接（Web 服务未运行，或防火墙拦截了 Cloudflare 的 IP）。",
        (
            "稍后重试，并查看网关的状态页。",
            "如果网关是你维护的：启动源站服务，并放行 Cloudflare 的 IP 段。",
            _SEND,
        ),
    ),
    "cloudflare.522": (
        "Cloudflare 返回 522：它到源站的 TCP 连接超时（源站过载、离线或被防火墙拦截）。",
        ("稍后重试。", "如果网关是你维护的：检查源站负载和防火墙。", _SEND),
    ),
    "cloudflare.523": (
        "Cloudflare 返回 523：完全连不上源站（DNS 中的源站地址错误，或路由有问题）。",
        ("稍后重试。", "如果网关是你维护的：检查 DNS 记录里的源站地址。", _SEND),
    ),
    "cloudflare.525": (
        "Cloudflare 返回 525：Cloudflare 与源站之间的 TLS 握手失败。",
        ("稍后重试。", "如果网关是你维护的：检查源站的 TLS 配置。", _SEND),
    ),
    "cloudflare.526": (
        "Cloudflare 返回 526：源站证书无效，而 Cloudflare 的 SSL 模式是 Full (strict)。",
        ("如果网关是你维护的：更新或修正源站证书。", _SEND),
    ),
    "cloudflare.530": (
        "Cloudflare 返回 530（页面上还有 1xxx 错误）：源站的 DNS 无法解析，或隧道没有运行。",
        ("稍后重试。", "如果网关是你维护的：检查隧道（cloudflared）或源站 DNS。", _SEND),
    ),
    "cloudflare": (
        "网关前面的 Cloudflare 自己返回了这个错误：后面的网关宕机、过载或太慢。",
        ("等一分钟再试，并查看网关的状态页。", _SEND),
    ),
    "cloudflare.buffered": (
        "流式响应经过了 Cloudflare：启用了压缩、Rocket Loader、邮件地址混淆等改写或缓存时，"
        "Cloudflare 可能会把响应攒着一起发。",
        (
            "如果网关是你维护的：返回 `Content-Type: text/event-stream` 和 `Cache-Control: no-cache`，"
            "并让 API 路径绕过缓存和各种改写功能。",
            "否则请把这个结果发给网关客服。",
        ),
    ),
    "envoy.503": (
        "Envoy（或 Istio 等基于 Envoy 的网关）自己返回了 503：`no healthy upstream` 或 "
        "`upstream connect error` 表示它没有可用的后端。",
        (
            "一分钟后重试。",
            "如果网关是你维护的：检查后端 Pod/主机和健康检查（响应正文里写了重置原因）。",
            _SEND,
        ),
    ),
    "envoy.504": (
        "Envoy 返回 504 `upstream request timeout`：路由超时（默认 15 秒）打断了仍在生成的回答。",
        (
            "在客户端开启流式输出。",
            "如果网关是你维护的：为 API 路由调大或关闭路由超时（`timeout: 0s`），改用流空闲超时。",
            _SEND,
        ),
    ),
    "envoy": (
        "网关前面的 Envoy 自己返回了这个错误：它的上游（网关）出错或重置了连接。",
        ("一分钟后重试。", "如果网关是你维护的：查看 Envoy 访问日志中的 response flags。", _SEND),
    ),
    "caddy": (
        "Caddy 自己返回了一个空的错误响应：它的 `reverse_proxy` 连不上后面的网关（502）或等待太久。",
        (
            "一分钟后重试。",
            "如果网关是你维护的：检查 Caddyfile 里的上游地址和 Caddy 日志（`dial tcp … connection refused`）；"
            "流式接口请设置 `flush_interval -1`。",
            _SEND,
        ),
    ),
    "traefik": (
        "Traefik 用自己的纯文本错误作了应答：后面的服务宕机（502）或太慢（504）。",
        (
            "一分钟后重试。",
            "如果网关是你维护的：检查服务健康状况，以及长回答涉及的 `responseForwarding` / "
            "`serversTransport` 超时设置。",
            _SEND,
        ),
    ),
    "haproxy.504": (
        "HAProxy 自己返回了 504：网关没有在 `timeout server`（通常 30-60 秒）内应答。",
        (
            "在客户端开启流式输出。",
            "如果网关是你维护的：为 API 后端调大 `timeout server`（流式还要调 `timeout tunnel`）。",
            _SEND,
        ),
    ),
    "haproxy": (
        "HAProxy 自己返回了这个错误：后端返回了无效响应（502），或没有可用的后端服务器（503）。",
        ("一分钟后重试。", "如果网关是你维护的：检查后端服务器的健康状况。", _SEND),
    ),
    "aws.504": (
        "AWS 负载均衡器返回 504：目标没有在空闲超时（默认 60 秒）内应答。",
        (
            "在客户端开启流式输出。",
            "如果网关是你维护的：调大负载均衡器的 idle timeout 属性（最多 4000 秒）。",
            _SEND,
        ),
    ),
    "aws": (
        "AWS 负载均衡器（ALB/ELB）自己返回了这个错误：目标关闭了连接或返回了无效响应（502），"
        "或没有健康的目标（503）。",
        ("一分钟后重试。", "如果网关是你维护的：检查目标组的健康状况。", _SEND),
    ),
    "cloudfront": (
        "Amazon CloudFront 自己返回了这个错误：源站不可达或太慢（源站响应超时默认 30 秒）。",
        (
            "在客户端开启流式输出。",
            "如果网关是你维护的：调大源站响应超时，并检查源站健康状况。",
            _SEND,
        ),
    ),
    "akamai": (
        "Akamai 自己返回了这个错误（页面上有 Reference # 编号）：源站出错或超时（默认 120 秒）。",
        ("一分钟后重试。", "把页面上的 Reference # 编号发给网关客服。", _SEND),
    ),
    "kong": (
        "Kong 自己返回了这个错误：上游返回了无效响应、超时，或没有可用的目标。",
        (
            "一分钟后重试。",
            "如果网关是你维护的：检查上游目标和服务的 read_timeout（默认 60 秒）。",
            _SEND,
        ),
    ),
    "varnish": (
        "Varnish（或 Fastly）自己返回了这个错误（`Backend fetch failed`、首字节超时）：源站出错或太慢。",
        (
            "在客户端开启流式输出。",
            "如果网关是你维护的：调大 `first_byte_timeout` / `between_bytes_timeout`，并让 API 路径直通不缓存。",
            _SEND,
        ),
    ),
    "varnish.buffered": (
        "流式响应经过了 Varnish / Fastly，除非专门设置，否则它会缓冲整个响应。",
        (
            "如果网关是你维护的：让 API 路径直通（`return (pass)`），并设置 `beresp.do_stream = true`。",
        ),
    ),
    "apache": (
        "Apache httpd（mod_proxy）自己返回了 Proxy Error：后端出错，或没有在 `ProxyTimeout` 内应答。",
        (
            "一分钟后重试。",
            "如果网关是你维护的：调大 `ProxyTimeout` 或 ProxyPass 的 `timeout=`，并查看 Apache 错误日志。",
            _SEND,
        ),
    ),
    "apache.buffered": (
        "流式响应经过了 Apache httpd，它可能会缓冲代理的响应。",
        ("如果网关是你维护的：在 ProxyPass 上加 `flushpackets=on`，并在该路径关闭 mod_deflate。",),
    ),
    "iis": (
        "带 Application Request Routing 的 IIS 自己返回了这个错误：后端返回了无效响应或超时。",
        ("如果网关是你维护的：调大 ARR 代理超时并检查后端。", _SEND),
    ),
    "iis.buffered": (
        "流式响应经过了 IIS / ARR，它默认会缓冲响应。",
        ("如果网关是你维护的：把该站点的 ARR 响应缓冲阈值设为 0。",),
    ),
    "google": (
        "Google 前端（Cloud Run、App Engine、Google 负载均衡）自己返回了这个错误：后面的服务出错或超过了请求超时。",
        ("一分钟后重试。", "如果网关是你维护的：调大服务的请求超时。", _SEND),
    ),
    "vercel": (
        "Vercel 自己返回了这个错误：API 背后的函数出错或超过了最长运行时间。",
        ("在客户端开启流式输出。", "如果网关是你维护的：调大函数的 maxDuration。", _SEND),
    ),
    "azure": (
        "Azure 应用程序网关或 Front Door 自己返回了这个错误：后端池不健康或没有及时应答。",
        ("一分钟后重试。", "如果网关是你维护的：检查后端健康状况和请求超时。", _SEND),
    ),
    "mitmproxy": (
        "mitmproxy（你这边的拦截代理）自己返回了这个错误：它连不上网关，页面上写了原因。",
        (
            "确认运行 mitmproxy 的机器能访问网关地址。",
            "联系代理的维护者；不经过代理再试一次作对比。",
        ),
    ),
    "squid": (
        "Squid 代理自己返回了这个错误：它连不上网关（页面上写了 ERR_ 错误代码）。",
        ("请代理管理员放行网关的域名和端口。", _SEND),
    ),
    # 用户配置的正向代理（issue 12）：代理自己对网关证书的校验，以及代理缓冲流式响应。
    "proxy.upstream_tls": (
        "代理连上了网关，但不信任网关的证书：会检查 HTTPS 的代理会自己校验网关的证书，而这次校验失败了"
        "（代理的信任库里没有这个 CA，或证书已过期、是自签名的、签发给了别的域名）。网关本身可能运行正常。",
        (
            "先看详情里代理自己的原话：它说明了遇到的是哪种证书问题。",
            "请代理管理员把网关的 CA 加入代理信任的 CA 列表（自建网关使用私有 CA 时很常见），"
            "或把 {host} 排除在 HTTPS 检查之外。",
            "如果网关是你自己运行的：换一张公共 CA 签发、证书链完整、域名正确的证书；"
            "可以用 `openssl s_client -connect {host}:{port} -showcerts` 检查。",
            "之后用 `curl -x {proxy} -I {gateway}` 再试一次。",
        ),
    ),
    "mitmproxy.buffered": (
        "流式响应经过了你配置的代理 mitmproxy。没有开启流式转发（未设置 `stream_large_bodies`）时，"
        "它会先读完整个响应再转发：客户端先是什么都收不到，然后一下子收到全部内容。",
        (
            "启动 mitmproxy / mitmdump 时加上 `--set stream_large_bodies=1`（所有响应都流式转发），"
            "或者不经代理再运行一次作对比。",
            "如果不经代理时流式响应仍被缓冲，说明网关那一侧也在缓冲：请把这个结果发给网关客服。",
        ),
    ),
    "proxy.buffered": (
        "流式响应经过了你配置的代理（详情里有名称），它会先攒下响应再转发（内容扫描或 HTTPS 检查都会缓冲整个响应）："
        "客户端先是什么都收不到，然后一下子收到全部内容。",
        (
            "在允许的情况下不经代理再运行一次（或把 {host} 加入 NO_PROXY）：如果这样流式输出恢复正常，就是代理在缓冲。",
            "请代理管理员把 {host} 排除在内容扫描 / HTTPS 检查之外，或让 text/event-stream 不经缓冲直接转发。",
            "如果不经代理仍然被缓冲，请把这个结果发给网关客服。",
        ),
    ),
}
