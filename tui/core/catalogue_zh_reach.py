"""Simplified Chinese remediation for the steps that reach the gateway: config, network, proxy.

Also holds the step lists shared with ``catalogue_zh_api`` (timeouts,
intermediary errors, rate limits, server errors).
"""

from __future__ import annotations

_TIMEOUT_STEPS = (
    "检查本机网络、代理和防火墙，确认 API 域名可访问(用浏览器打开，或执行 `curl -I {gateway}`)。",
    "用更长的 --timeout 再试一次，区分“响应慢”和“完全没有响应”。",
    "如果只有长请求超时：开启流式输出，或缩短提示词、减少上下文。",
    "问题持续时，把支持排查摘要（含时间和请求 ID）发给技术支持。",
)
_GATEWAY_ERROR_WHY = (
    "网关前面的 CDN、负载均衡或反向代理（Cloudflare、nginx）返回了 502/503/504/52x,"
    "通常是一个 HTML 页面：后面的网关宕机、过载或响应太慢。Cloudflare 524 表示源站超过 100 秒没有响应。"
)
_GATEWAY_ERROR_STEPS = (
    "等一分钟后重试；查看网关的状态页或公告。",
    "如果只在长回复时出现：开启流式输出（在 100 秒限制前就开始返回内容），或缩短提示词、"
    "减少上下文、调低 max_tokens。",
    "如果网关是你自己部署的：检查网关日志和反向代理的上游超时(nginx `proxy_read_timeout`)。",
    "把支持排查摘要（状态码、CF-RAY / 请求 ID、时间）发给技术支持。",
)
_RATE_LIMIT_STEPS = (
    "按 Retry-After 给出的时间（见证据）等待后重试；脚本应退避重试，不要连续猛发。",
    "停止同时使用同一个密钥的其他程序；降低并发、批量大小或 max_tokens。",
    "换一个模型，或向网关申请提高这个密钥的速率限制（RPM/TPM）。",
)
_SERVER_ERROR_STEPS = (
    "一分钟后重试；查看网关的状态页或公告。",
    "换一个模型试试：如果只有这个模型出错，问题在它的上游渠道。",
    "保留错误原文，把支持排查摘要（请求 ID、时间）发给技术支持。",
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # ---- config -------------------------------------------------------------
    "config.ok": (
        "配置看起来正确",
        "Base URL 格式正确，密钥已填写且格式合理，模型已设置。",
        ("这里无需处理。如果后面的步骤失败，从那一步的建议开始排查。",),
    ),
    "config.missing_base_url": (
        "未设置 Base URL",
        "客户端需要网关的 API 地址（“API Host”或“Base URL”），但没有填写。",
        (
            "设置 Base URL:ALLTKN 为 https://api.alltkn.com/api/v1(用 --base-url、"
            "OPENAI_BASE_URL 或配置档)。",
            "其他网关使用其控制台给出的 OpenAI 兼容地址，通常以 /v1 结尾：new-api/one-api 为 "
            "https://你的域名/v1,OpenRouter 为 https://openrouter.ai/api/v1,LiteLLM 代理为 "
            "http://主机：4000/v1。",
            "在客户端中选择 OpenAI 或“OpenAI 兼容”提供商模式，不要选择只支持官方账号登录的模式。",
        ),
    ),
    "config.invalid_base_url": (
        "Base URL 不是有效地址",
        "无法解析为带主机名的 http(s) 地址：缺少或拼错了协议（如 htp:/）、含有空格或引号，"
        "或从文档、聊天中复制了全角字符。",
        (
            "写完整地址，包括协议：https://api.alltkn.com/api/v1。",
            "删除空格、引号和结尾的标点；重新输入从聊天或文档复制的字符(全角的 ：／ "
            "看起来一样，但其实是不同的字符)。",
            "只保留协议、主机和路径：不要带查询参数，更不要把密钥写进 URL。",
        ),
    ),
    "config.base_url_has_endpoint": (
        "Base URL 中包含了接口路径",
        "地址以 /chat/completions 或 /models 等接口结尾。客户端会自己拼接接口路径，"
        "请求就变成 …/chat/completions/chat/completions，返回 404。",
        (
            "去掉接口部分：填 https://api.alltkn.com/api/v1，而不是 "
            "https://api.alltkn.com/api/v1/chat/completions。",
            "在 Chatbox 等客户端中确认客户端是否会自动加 /v1：检查器中的请求地址里 /v1 应当恰好出现一次。",
            "重新检查；鉴权步骤找到可用地址时会直接给出。",
        ),
    ),
    "config.insecure_http": (
        "对远程主机使用了明文 http://",
        "密钥会以明文在网络上传输；而且很多网关会把 http 重定向到 https,"
        "大多数客户端会因此把 POST 变成 GET。",
        (
            "使用 https://(ALLTKN:https://api.alltkn.com/api/v1)。",
            "只有本机或可信内网中的网关才用 http://（例如本地 LiteLLM 代理 http://127.0.0.1:4000/v1）。",
            "如果密钥已经通过明文 http 经过公网发送过，请轮换：在控制台新建密钥并删除旧密钥。",
        ),
    ),
    "config.missing_key": (
        "没有 API 密钥",
        "在 GATEWAY_DOCTOR_API_KEY、OPENAI_API_KEY、配置档的系统钥匙串条目和标准输入中都没有找到密钥。",
        (
            "在网关控制台创建或复制一个密钥（ALLTKN 的密钥以 sk- 开头）。",
            "不要把密钥写在命令行参数里：用 `export GATEWAY_DOCTOR_API_KEY=…`、"
            "`--api-key-stdin`，或存入系统钥匙串(见 `gateway-doctor key --help`)。",
            "在客户端中，把它粘贴到 OpenAI 兼容提供商的 API 密钥字段。",
        ),
    ),
    "config.key_whitespace": (
        "密钥中含有空格或换行",
        "从网页、聊天记录或 PDF 复制时常会带上空格、换行或不可见字符，网关看到的是另一个字符串，于是拒绝。",
        (
            "用控制台的复制按钮重新复制密钥，粘贴时不要带结尾换行。",
            "检查客户端密钥字段前后是否有空格，或是否粘贴了两个密钥。",
            "如果密钥来自文件或环境变量，使用前先去掉空白字符。",
        ),
    ),
    "config.key_format": (
        "这不像是一个 API 密钥",
        "太短、含有异常字符或缺少常见前缀(ALLTKN、new-api/one-api 和 OpenAI 的密钥以 sk- 开头，"
        "OpenRouter 以 sk-or- 开头)。常见错误：填了账号密码、登录令牌，或密钥的名称/ID 而不是密钥本身。",
        (
            "从控制台的令牌/密钥页面复制密钥本身（以 sk- 开头），而不是它的名称或 ID。",
            "确认复制完整（没有被截断），且密钥字段里没有多余的“Bearer ”。",
            "如果控制台只显示一次密钥且已经丢失，新建一个密钥。",
        ),
    ),
    "config.missing_model": (
        "未设置模型",
        "聊天请求必须指定模型，且名称要与网关提供的完全一致（大小写和连字符都有区别）。",
        (
            "设置模型（--model gpt-4o-mini 或在配置档中）；首次测试用低成本模型。",
            "查看这个密钥可用的模型：检查器中 /models 的响应，或控制台的模型列表。",
            "在客户端中按网关列出的名称原样填写模型名。",
        ),
    ),
    # ---- network ------------------------------------------------------------
    "network.ok": (
        "网关可以访问",
        "DNS 解析、TCP 连接、TLS 握手和第一个 HTTP 响应都正常。",
        ("这里无需处理；证据中的分阶段耗时说明时间花在哪里。",),
    ),
    "network.dns_failed": (
        "域名无法解析",
        "DNS 找不到网关的主机：主机名拼写错误、没有联网、DNS 服务器无法访问或屏蔽了它，"
        "或者本该由 VPN/代理负责解析。",
        (
            "检查 Base URL 中的主机名是否拼错（{host}）。",
            "确认本机已联网，然后执行 `nslookup {host}`。",
            "换一个 DNS 服务器（路由器的、223.5.5.5 或 1.1.1.1），或开关一下 VPN。",
            "在公司代理后面时，设置 HTTPS_PROXY（或 --proxy），让代理去解析域名。",
        ),
    ),
    "network.connect_refused": (
        "连接被拒绝",
        "主机有响应，但该端口没有服务在监听，或防火墙拒绝了连接：常见原因是端口写错、"
        "http 和 https 混用，或自建网关没有运行。",
        (
            "检查 Base URL 的协议和端口（https 用 443;new-api/one-api 默认 3000,LiteLLM 代理默认 4000）。",
            "如果网关是自建的，确认它在运行，并监听在你能访问的地址上（而不只是容器内的 127.0.0.1）。",
            "检查本机防火墙或安全软件，然后重试。",
        ),
    ),
    "network.connect_timeout": (
        "连接超时",
        "TCP 连接没有任何回应：防火墙静默丢弃、网络屏蔽了该域名，或者需要经过代理才能访问。",
        (
            "检查本机网络、代理和防火墙，确认本机可以访问 API 域名(用浏览器打开，或执行 "
            "`curl -I {gateway}`)。",
            "如果平时需要代理或 VPN，设置 HTTPS_PROXY（或 --proxy）后再试。",
            "在公司网络中，询问 IT 是否允许访问该 API 域名的 HTTPS 出站连接。",
            "换一个网络（如手机热点）试试，区分本地网络屏蔽和网关故障。",
        ),
    ),
    "network.tls_failed": (
        "HTTPS(TLS)握手失败",
        "证书无法验证或握手中断：公司代理或杀毒软件用自己的 CA 重新签发了 HTTPS 证书、"
        "系统时间不对、CA 证书库过旧，或自建网关使用了自签名证书。",
        (
            "先看详情：它写明了问题的类型（已过期、尚未生效、主机名不符、签发者未知、自签名）、"
            "证书的签发者和名称，以及签发者是否是已知的 HTTPS 拦截产品（在控制台按 e 查看全部）。",
            "已过期或尚未生效：检查系统日期、时间和时区；时钟没问题的话，需要网关运营方续期证书。",
            "主机名不符：检查 Base URL 中的地址；证书是签发给别的名称的，也说明中间有设备在替网关应答。",
            "签发者未知，且在公司代理或会扫描 HTTPS 的杀毒软件后面：把公司的根证书装进系统证书库"
            "（默认即信任系统证书库），或用 --ca-bundle corp-ca.pem 或 SSL_CERT_FILE=corp-ca.pem 指定。",
            "自签名（自建网关）：换成公共 CA 签发的证书（如 Let's Encrypt），或用 --ca-bundle 指定这张证书。",
            "--insecure 只用来确认诊断，绝不要用于正式流量。",
        ),
    ),
    "network.tls_unverified": (
        "TLS 证书校验已关闭",
        "--insecure 会接受任何证书，你和网关之间的任何一方（代理、酒店或公共 Wi-Fi、恶意软件）"
        "都能看到密钥和对话内容。本检查仍会单独校验一次证书，详情中会写明被掩盖的问题。",
        (
            "诊断完成后立即去掉 --insecure，绝不要在正式使用时开启。",
            "如果详情里写了被掩盖的问题，请先解决它（参见 network.tls_failed：时钟、地址、"
            "用 --ca-bundle 文件或 SSL_CERT_FILE 指定公司根证书）。",
            "Chatbox、OpenAI SDK 等客户端都会校验证书：只有加了 --insecure 才能通过的，在它们那里一定会失败。",
        ),
    ),
    "network.timeout": (
        "网关没有及时响应",
        "连接已建立，但在超时时间内没有收到响应：网关或上游模型过载、网络链路慢，或代理卡住了请求。",
        _TIMEOUT_STEPS,
    ),
    "network.redirect": (
        "Base URL 发生了重定向",
        "服务器返回了重定向（301/302/307/308）。大多数客户端会把被重定向的 POST 变成 GET,"
        "或丢掉 Authorization 头，所以浏览器能打开，聊天却失败。gateway-doctor 只把密钥发给 "
        "Base URL 本身的地址：在同一服务器内（协议、主机、端口都相同）跳转时，改用新路径继续检查；"
        "跳到其他主机或端口，或在 https 与 http 之间切换时，检查到此为止；聊天从不跟随重定向。",
        (
            "如果重定向到了另一个地址（详情里列出了前后两个地址），密钥并没有发过去："
            "确认你信任这个新地址后，再把 Base URL 改成它（不要接受 https → http，"
            "那样密钥会以明文传输）。",
            "否则，把证据中显示的最终地址作为 Base URL，并使用 https://(例如 http → https,"
            "或带/不带 www 的主机名)。",
            "保留 API 路径（ALLTKN:/api/v1；多数网关：/v1）。",
            "重新检查，确认不再有重定向。",
        ),
    ),
    "network.gateway_error": (
        "中间层故障（502/503/504/52x）",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    # ---- proxy --------------------------------------------------------------
    "proxy.none": (
        "未使用代理",
        "没有适用于该地址的代理设置(HTTP(S)_PROXY 和 ALL_PROXY 均未设置)，请求直接连接。",
        (
            "如果网络步骤通过，无需处理。",
            "如果所在网络不允许直连，设置 HTTPS_PROXY（或 --proxy http://主机：端口）后再试。",
        ),
    ),
    "proxy.ok": (
        "代理工作正常",
        "代理可以访问，并且通过代理能收到网关的响应。",
        (
            "无需处理。确认客户端也使用同一个代理：很多桌面客户端会忽略 HTTPS_PROXY,"
            "需要在它自己的代理设置里填写。",
        ),
    ),
    "proxy.bypassed": (
        "该主机绕过了代理",
        "已配置代理，但 NO_PROXY 匹配了网关主机，所以请求直接连接。如果直连可用就没问题；"
        "如果这个网络必须走代理，这就是原因。",
        (
            "如果网络步骤通过，无需处理。",
            "如果失败了，把网关主机从 NO_PROXY 中移除，或使用 --proxy。",
            "在客户端中使用同样的代理和绕过设置。",
        ),
    ),
    "proxy.unreachable": (
        "无法连接代理",
        "HTTP(S)_PROXY / ALL_PROXY / --proxy 中的代理没有响应：代理程序没有运行、端口不对，"
        "或环境变量是其他网络下留下的。",
        (
            "确认代理程序（Clash、V2Ray 或公司代理）正在运行并记下端口；用 "
            "`curl -x {proxy} -I {gateway}` 测试。",
            "修正或清除过期的变量：`unset HTTPS_PROXY HTTP_PROXY ALL_PROXY`（以及对应的小写变量）。",
            "确认代理 URL 的协议与代理类型一致（HTTP 代理用 http://）。",
        ),
    ),
    "proxy.auth_required": (
        "代理要求认证（407）",
        "代理返回 407 Proxy Authentication Required：需要用户名和密码，而代理 URL 里没有"
        "（带了但不对的情况是 proxy.auth_rejected）。",
        (
            "把认证信息写进代理 URL：http://<用户名>:<密码>@主机:端口（特殊字符要做百分号编码，"
            "如 @ 写成 %40）。",
            "向 IT 索取正确的账号，或申请让 API 域名免认证访问。",
            "gateway-doctor 的输出会隐藏代理密码；不要把密码粘贴到别处。",
        ),
    ),
    "proxy.bad_url": (
        "代理地址写法不对",
        "代理设置不是可用的代理 URL：缺少协议（写成了 127.0.0.1:7890，而不是 http://127.0.0.1:7890），"
        "协议不是代理用的，或者对只支持普通 HTTP 的代理写了 https://（公司代理和本机代理大多如此，"
        "即使访问的是 https 网站）。",
        (
            "按详情里的建议改写代理地址，通常是 http://主机:端口；可以用 "
            "`curl -x {proxy} -I {gateway}` 验证。",
            "到设置的来源处修改（证据中的代理来源）：--proxy、配置档案，或 HTTPS_PROXY / HTTP_PROXY / "
            "ALL_PROXY（以及对应的小写变量）。",
            "只有代理本身支持 TLS 时才用 https://；SOCKS 代理用 socks5://。",
        ),
    ),
    "proxy.auth_rejected": (
        "代理不接受这组账号密码（407）",
        "代理 URL 里已经带了用户名和密码，代理仍然返回 407 Proxy Authentication Required：账号或密码不对、"
        "已过期，或者其中的特殊字符没有做 URL 编码，被解析成了别的内容。",
        (
            "核对用户名和密码（可以问 IT，或在浏览器弹出的代理登录框里试一下）；很多公司的代理密码会随 "
            "Windows 密码一起过期。",
            "特殊字符要做百分号编码：@ 写成 %40，: 写成 %3A，# 写成 %23，% 写成 %25"
            "（http://<用户名>:<密码>@主机:端口）。",
            "有些代理只支持 NTLM/Kerberos 登录，不接受写在 URL 里的密码：请 IT 提供支持基本认证的代理或端口。",
        ),
    ),
    "proxy.intercepts_tls": (
        "代理在拦截 HTTPS",
        "代理会解密并重新签发 HTTPS 证书（公司的 TLS 检查代理、安全软件或调试代理）：网关的证书到达本机时，"
        "签发者变成了代理自己的 CA（详情中有名称），而本机并不信任它。",
        (
            "向 IT 要公司的根 CA 证书（即详情里的签发者），安装到系统的证书存储中；gateway-doctor 会信任系统证书存储。",
            "也可以用 --ca-bundle 文件（或 SSL_CERT_FILE=文件）把它交给 gateway-doctor，并给客户端同样的文件"
            "（Node/Electron 应用用 NODE_EXTRA_CA_CERTS，Python 用 REQUESTS_CA_BUNDLE / SSL_CERT_FILE）。",
            "或者请 IT 把 API 域名（{host}）加入 TLS 检查的例外名单。",
            "用 `curl --cacert 文件 -x {proxy} -I {gateway}` 验证。",
        ),
    ),
    "proxy.upstream_failed": (
        "代理连不上网关",
        "代理本身正常，但它连不上网关，于是返回了自己的错误（502/503/504）；直连同样失败，"
        "说明是网关本身没有运行、这个地址上没有服务在监听，或者地址写错了。",
        (
            "看详情里代理自己的原话（例如 “Connect call failed” 或 “Connection refused”），"
            "它说明了代理在网关地址上遇到了什么。",
            "检查 Base URL 的主机和端口，并确认网关正在运行（自己部署的网关请看服务状态和日志）。",
            "等网关恢复后，用 `curl -x {proxy} -I {gateway}` 再试。",
        ),
    ),
    "proxy.refused": (
        "代理拒绝转发请求",
        "代理可以访问，但不肯连接网关（403、拦截页面或 CONNECT 失败）:API 域名被策略屏蔽，"
        "或代理自己访问不到它。",
        (
            "请代理管理员放行 API 域名（{host}）的 {port} 端口。",
            "如果允许直连，对该主机绕过代理（NO_PROXY），或取消代理设置。",
            "如果代理客户端有多个节点，换一个节点试试。",
        ),
    ),
    "proxy.required": (
        "只有通过代理才能访问",
        "在当前网络下无法直连网关，但通过代理可以。任何忽略代理设置的客户端都会超时。",
        (
            "在客户端自己的网络设置中配置同一个代理（很多图形界面客户端会忽略环境变量）。",
            "对脚本，在它们运行的环境中（cron、systemd、CI）导出 HTTPS_PROXY。",
            "不要把网关主机写进 NO_PROXY。",
        ),
    ),
}
