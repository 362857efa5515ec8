"""Simplified Chinese catalogue: same keys and shape as ``catalogue_en``.

A test asserts both catalogues cover every code and that this one is
actually written in Chinese.
"""

from __future__ import annotations

CHECK_TITLES: dict[str, str] = {
    "config": "配置",
    "network": "网络",
    "proxy": "代理",
    "auth": "鉴权",
    "balance": "余额",
    "model": "模型",
    "stream": "流式输出",
}

STATUS_LABELS: dict[str, str] = {
    "pending": "等待中",
    "running": "进行中",
    "pass": "通过",
    "warn": "警告",
    "fail": "失败",
    "skip": "跳过",
}

LABELS: dict[str, str] = {
    "summary_title": "gateway-doctor 支持排查摘要",
    "tool": "工具",
    "os": "操作系统",
    "time_utc": "时间(UTC)",
    "time_local": "时间(本地)",
    "client": "客户端",
    "profile": "配置档",
    "base_url": "Base URL",
    "model": "模型",
    "api_key": "API Key",
    "proxy": "代理",
    "verdict": "结论",
    "failing_step": "出错步骤",
    "error": "错误原文",
    "http_status": "HTTP 状态码",
    "request_ids": "请求 ID",
    "charged": "是否扣费",
    "timings": "耗时",
    "checks": "各项检查",
    "none": "(无)",
    "direct": "(无,直连)",
    "yes": "是",
    "no": "否",
    "unknown": "未知",
    "all_passed": "无,全部检查通过",
    "started_at": "开始时间",
    "duration": "总耗时",
    "why": "原因",
    "what_to_do": "处理步骤",
    "report_title": "gateway-doctor 诊断报告",
    "support_summary": "支持排查摘要",
    "results": "检查结果",
    "step": "步骤",
    "status": "状态",
    "code": "代码",
    "detail": "详情",
    "time": "耗时",
    "verdict_pass": "通过:全部检查通过",
    "verdict_warn": "通过,但有警告",
    "verdict_fail": "失败",
    "counts": "失败 {failed} 项,警告 {warned} 项,通过 {passed} 项,跳过 {skipped} 项",
    "never_share_key": "不要把完整 API Key 发给任何人,包括技术支持。",
}

UNKNOWN: tuple[str, str, tuple[str, ...]] = (
    "无法识别的结果 {code}",
    "gateway-doctor 报告了 {code},当前版本的说明目录中没有这个代码。",
    (
        "查看详情和记录下来的请求/响应,找到错误原文。",
        "升级 gateway-doctor 后重新检查。",
        "问题仍在时,把支持排查摘要(其中不含完整 Key)发给技术支持。",
    ),
)

_TIMEOUT_STEPS = (
    "检查本机网络、代理和防火墙,确认 API 域名可访问(用浏览器打开,或执行 "
    "`curl -I https://api.alltkn.com`)。",
    "用更长的 --timeout 再试一次,区分“响应慢”和“完全没有响应”。",
    "如果只有长请求超时:开启流式输出,或缩短提示词、减少上下文。",
    "问题持续时,把支持排查摘要(含时间和请求 ID)发给技术支持。",
)
_GATEWAY_ERROR_WHY = (
    "网关前面的 CDN、负载均衡或反向代理(Cloudflare、nginx)返回了 502/503/504/52x,"
    "通常是一个 HTML 页面:后面的网关宕机、过载或响应太慢。Cloudflare 524 表示源站超过 100 秒没有响应。"
)
_GATEWAY_ERROR_STEPS = (
    "等一分钟后重试;查看网关的状态页或公告。",
    "如果只在长回复时出现:开启流式输出(在 100 秒限制前就开始返回内容),或缩短提示词、"
    "减少上下文、调低 max_tokens。",
    "如果网关是你自己部署的:检查网关日志和反向代理的上游超时(nginx `proxy_read_timeout`)。",
    "把支持排查摘要(状态码、CF-RAY / 请求 ID、时间)发给技术支持。",
)
_RATE_LIMIT_STEPS = (
    "按 Retry-After 给出的时间(见证据)等待后重试;脚本应退避重试,不要连续猛发。",
    "停止同时使用同一个 Key 的其他程序;降低并发、批量大小或 max_tokens。",
    "换一个模型,或向网关申请提高这个 Key 的速率限制(RPM/TPM)。",
)
_SERVER_ERROR_STEPS = (
    "一分钟后重试;查看网关的状态页或公告。",
    "换一个模型试试:如果只有这个模型出错,问题在它的上游渠道。",
    "保留错误原文,把支持排查摘要(请求 ID、时间)发给技术支持。",
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # ---- config -------------------------------------------------------------
    "config.ok": (
        "配置看起来正确",
        "Base URL 格式正确,Key 已填写且格式合理,模型已设置。",
        ("这里无需处理。如果后面的步骤失败,从那一步的建议开始排查。",),
    ),
    "config.missing_base_url": (
        "未设置 Base URL",
        "客户端需要网关的 API 地址(“API Host”或“Base URL”),但没有填写。",
        (
            "设置 Base URL:ALLTKN 为 https://api.alltkn.com/api/v1(用 --base-url、"
            "OPENAI_BASE_URL 或配置档)。",
            "其他网关使用其控制台给出的 OpenAI 兼容地址,通常以 /v1 结尾:new-api/one-api 为 "
            "https://你的域名/v1,OpenRouter 为 https://openrouter.ai/api/v1,LiteLLM 代理为 "
            "http://主机:4000/v1。",
            "在客户端中选择 OpenAI 或“OpenAI 兼容”提供商模式,不要选择只支持官方账号登录的模式。",
        ),
    ),
    "config.invalid_base_url": (
        "Base URL 不是有效地址",
        "无法解析为带主机名的 http(s) 地址:缺少或拼错了协议(如 htp:/)、含有空格或引号,"
        "或从文档、聊天中复制了全角字符。",
        (
            "写完整地址,包括协议:https://api.alltkn.com/api/v1。",
            "删除空格、引号和结尾的标点;重新输入从聊天或文档复制的字符(全角的 ：／ "
            "看起来一样,但其实是不同的字符)。",
            "只保留协议、主机和路径:不要带查询参数,更不要把 Key 写进 URL。",
        ),
    ),
    "config.base_url_has_endpoint": (
        "Base URL 中包含了接口路径",
        "地址以 /chat/completions 或 /models 等接口结尾。客户端会自己拼接接口路径,"
        "请求就变成 …/chat/completions/chat/completions,返回 404。",
        (
            "去掉接口部分:填 https://api.alltkn.com/api/v1,而不是 "
            "https://api.alltkn.com/api/v1/chat/completions。",
            "在 Chatbox 等客户端中确认客户端是否会自动加 /v1:检查器中的请求地址里 /v1 应当恰好出现一次。",
            "重新检查;鉴权步骤找到可用地址时会直接给出。",
        ),
    ),
    "config.insecure_http": (
        "对远程主机使用了明文 http://",
        "Key 会以明文在网络上传输;而且很多网关会把 http 重定向到 https,"
        "大多数客户端会因此把 POST 变成 GET。",
        (
            "使用 https://(ALLTKN:https://api.alltkn.com/api/v1)。",
            "只有本机或可信内网中的网关才用 http://(例如本地 LiteLLM 代理 http://127.0.0.1:4000/v1)。",
            "如果 Key 已经通过明文 http 经过公网发送过,请轮换:在控制台新建 Key 并删除旧 Key。",
        ),
    ),
    "config.missing_key": (
        "没有 API Key",
        "在 GATEWAY_DOCTOR_API_KEY、OPENAI_API_KEY、配置档的系统钥匙串条目和标准输入中都没有找到 Key。",
        (
            "在网关控制台创建或复制一个 Key(ALLTKN 的 Key 以 sk- 开头)。",
            "不要把 Key 写在命令行参数里:用 `export GATEWAY_DOCTOR_API_KEY=…`、"
            "`--api-key-stdin`,或存入系统钥匙串(见 `gateway-doctor key --help`)。",
            "在客户端中,把它粘贴到 OpenAI 兼容提供商的 API Key 字段。",
        ),
    ),
    "config.key_whitespace": (
        "Key 中含有空格或换行",
        "从网页、聊天记录或 PDF 复制时常会带上空格、换行或不可见字符,网关看到的是另一个字符串,于是拒绝。",
        (
            "用控制台的复制按钮重新复制 Key,粘贴时不要带结尾换行。",
            "检查客户端 Key 字段前后是否有空格,或是否粘贴了两个 Key。",
            "如果 Key 来自文件或环境变量,使用前先去掉空白字符。",
        ),
    ),
    "config.key_format": (
        "这不像是一个 API Key",
        "太短、含有异常字符或缺少常见前缀(ALLTKN、new-api/one-api 和 OpenAI 的 Key 以 sk- 开头,"
        "OpenRouter 以 sk-or- 开头)。常见错误:填了账号密码、登录令牌,或 Key 的名称/ID 而不是 Key 本身。",
        (
            "从控制台的令牌/Key 页面复制 Key 本身(以 sk- 开头),而不是它的名称或 ID。",
            "确认复制完整(没有被截断),且 Key 字段里没有多余的“Bearer ”。",
            "如果控制台只显示一次 Key 且已经丢失,新建一个 Key。",
        ),
    ),
    "config.missing_model": (
        "未设置模型",
        "聊天请求必须指定模型,且名称要与网关提供的完全一致(大小写和连字符都有区别)。",
        (
            "设置模型(--model gpt-4o-mini 或在配置档中);首次测试用低成本模型。",
            "查看这个 Key 可用的模型:检查器中 /models 的响应,或控制台的模型列表。",
            "在客户端中按网关列出的名称原样填写模型名。",
        ),
    ),
    # ---- network ------------------------------------------------------------
    "network.ok": (
        "网关可以访问",
        "DNS 解析、TCP 连接、TLS 握手和第一个 HTTP 响应都正常。",
        ("这里无需处理;证据中的分阶段耗时说明时间花在哪里。",),
    ),
    "network.dns_failed": (
        "域名无法解析",
        "DNS 找不到网关的主机:主机名拼写错误、没有联网、DNS 服务器无法访问或屏蔽了它,"
        "或者本该由 VPN/代理负责解析。",
        (
            "检查 Base URL 中的主机名是否拼错(api.alltkn.com)。",
            "确认本机已联网,然后执行 `nslookup api.alltkn.com`。",
            "换一个 DNS 服务器(路由器的、223.5.5.5 或 1.1.1.1),或开关一下 VPN。",
            "在公司代理后面时,设置 HTTPS_PROXY(或 --proxy),让代理去解析域名。",
        ),
    ),
    "network.connect_refused": (
        "连接被拒绝",
        "主机有响应,但该端口没有服务在监听,或防火墙拒绝了连接:常见原因是端口写错、"
        "http 和 https 混用,或自建网关没有运行。",
        (
            "检查 Base URL 的协议和端口(https 用 443;new-api/one-api 默认 3000,LiteLLM 代理默认 4000)。",
            "如果网关是自建的,确认它在运行,并监听在你能访问的地址上(而不只是容器内的 127.0.0.1)。",
            "检查本机防火墙或安全软件,然后重试。",
        ),
    ),
    "network.connect_timeout": (
        "连接超时",
        "TCP 连接没有任何回应:防火墙静默丢弃、网络屏蔽了该域名,或者需要经过代理才能访问。",
        (
            "检查本机网络、代理和防火墙,确认本机可以访问 API 域名(用浏览器打开,或执行 "
            "`curl -I https://api.alltkn.com`)。",
            "如果平时需要代理或 VPN,设置 HTTPS_PROXY(或 --proxy)后再试。",
            "在公司网络中,询问 IT 是否允许访问该 API 域名的 HTTPS 出站连接。",
            "换一个网络(如手机热点)试试,区分本地网络屏蔽和网关故障。",
        ),
    ),
    "network.tls_failed": (
        "HTTPS(TLS)握手失败",
        "证书无法验证或握手中断:公司代理或杀毒软件用自己的 CA 重新签发了 HTTPS 证书、"
        "系统时间不对、CA 证书库过旧,或自建网关使用了自签名证书。",
        (
            "检查系统日期、时间和时区(时钟不准会导致证书校验失败)。",
            "在公司代理或会扫描 HTTPS 的杀毒软件后面时,使用公司的 CA:"
            "--ca-bundle corp-ca.pem 或 SSL_CERT_FILE=corp-ca.pem。",
            "自建网关请安装有效证书(如 Let's Encrypt),或用 --ca-bundle 指定它的 CA。",
            "--insecure 只用来确认诊断,绝不要用于正式流量。",
        ),
    ),
    "network.timeout": (
        "网关没有及时响应",
        "连接已建立,但在超时时间内没有收到响应:网关或上游模型过载、网络链路慢,或代理卡住了请求。",
        _TIMEOUT_STEPS,
    ),
    "network.redirect": (
        "Base URL 发生了重定向",
        "服务器返回了重定向(301/302/307/308)。大多数客户端会把被重定向的 POST 变成 GET,"
        "或丢掉 Authorization 头,所以浏览器能打开,聊天却失败。",
        (
            "把证据中显示的最终地址作为 Base URL,并使用 https://(例如 http → https,"
            "或带/不带 www 的主机名)。",
            "保留 API 路径(ALLTKN:/api/v1;多数网关:/v1)。",
            "重新检查,确认不再有重定向。",
        ),
    ),
    "network.gateway_error": (
        "中间层故障(502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    # ---- proxy --------------------------------------------------------------
    "proxy.none": (
        "未使用代理",
        "没有适用于该地址的代理设置(HTTP(S)_PROXY 和 ALL_PROXY 均未设置),请求直接连接。",
        (
            "如果网络步骤通过,无需处理。",
            "如果所在网络不允许直连,设置 HTTPS_PROXY(或 --proxy http://主机:端口)后再试。",
        ),
    ),
    "proxy.ok": (
        "代理工作正常",
        "代理可以访问,并且通过代理能收到网关的响应。",
        (
            "无需处理。确认客户端也使用同一个代理:很多桌面客户端会忽略 HTTPS_PROXY,"
            "需要在它自己的代理设置里填写。",
        ),
    ),
    "proxy.bypassed": (
        "该主机绕过了代理",
        "已配置代理,但 NO_PROXY 匹配了网关主机,所以请求直接连接。如果直连可用就没问题;"
        "如果这个网络必须走代理,这就是原因。",
        (
            "如果网络步骤通过,无需处理。",
            "如果失败了,把网关主机从 NO_PROXY 中移除,或使用 --proxy。",
            "在客户端中使用同样的代理和绕过设置。",
        ),
    ),
    "proxy.unreachable": (
        "无法连接代理",
        "HTTP(S)_PROXY / ALL_PROXY / --proxy 中的代理没有响应:代理程序没有运行、端口不对,"
        "或环境变量是其他网络下留下的。",
        (
            "确认代理程序(Clash、V2Ray 或公司代理)正在运行并记下端口;用 "
            "`curl -x http://127.0.0.1:7890 -I https://api.alltkn.com` 测试。",
            "修正或清除过期的变量:`unset HTTPS_PROXY HTTP_PROXY ALL_PROXY`(以及对应的小写变量)。",
            "确认代理 URL 的协议与代理类型一致(HTTP 代理用 http://)。",
        ),
    ),
    "proxy.auth_required": (
        "代理要求认证(407)",
        "代理返回 407 Proxy Authentication Required:需要用户名和密码,而代理 URL 里没有,或填错了。",
        (
            "把认证信息写进代理 URL:http://用户名:密码@代理:端口(特殊字符要 URL 编码,如 @ 写成 %40)。",
            "向 IT 索取正确的账号,或申请让 API 域名免认证访问。",
            "gateway-doctor 的输出会隐藏代理密码;不要把密码粘贴到别处。",
        ),
    ),
    "proxy.refused": (
        "代理拒绝转发请求",
        "代理可以访问,但不肯连接网关(403、拦截页面或 CONNECT 失败):API 域名被策略屏蔽,"
        "或代理自己访问不到它。",
        (
            "请代理管理员放行 API 域名(api.alltkn.com)的 443 端口。",
            "如果允许直连,对该主机绕过代理(NO_PROXY),或取消代理设置。",
            "如果代理客户端有多个节点,换一个节点试试。",
        ),
    ),
    "proxy.required": (
        "只有通过代理才能访问",
        "在当前网络下无法直连网关,但通过代理可以。任何忽略代理设置的客户端都会超时。",
        (
            "在客户端自己的网络设置中配置同一个代理(很多图形界面客户端会忽略环境变量)。",
            "对脚本,在它们运行的环境中(cron、systemd、CI)导出 HTTPS_PROXY。",
            "不要把网关主机写进 NO_PROXY。",
        ),
    ),
    # ---- auth ---------------------------------------------------------------
    "auth.ok": (
        "Key 验证通过",
        "使用这个 Key 的鉴权请求(GET /models 或最小的聊天请求)成功了。",
        ("这里无需处理。",),
    ),
    "auth.invalid_key": (
        "Key 被拒绝(401)",
        "网关不认识这个 Key:拼写错误或复制不完整、Key 已被删除、用了别的站点的 Key"
        "(在 ALLTKN 上用 OpenAI 的 Key,或反过来),或者旧的 OPENAI_API_KEY 覆盖了你想用的 Key"
        "(new-api:无效的令牌)。",
        (
            "从控制台重新复制 Key(ALLTKN 的 Key 以 sk- 开头),完整粘贴,不带空格。",
            "确认 Key 属于这个网关:一个站点的 Key 不能在另一个站点使用。",
            "确认实际用的是哪个 Key:摘要里显示了它的前 3 位和后 4 位,与控制台对比。",
            "如果 Key 已被删除或不确定,在控制台新建一个 Key。",
        ),
    ),
    "auth.key_expired": (
        "Key 已过期",
        "这个 Key 已超过有效期(new-api/one-api:该令牌已过期)。",
        (
            "登录控制台新建一个 Key,或在该 Key 的设置中延长过期时间。",
            "在所有使用它的客户端和脚本中更新 Key。",
            "团队使用时:约定由谁、在什么时候轮换 Key,避免过期时措手不及。",
        ),
    ),
    "auth.key_disabled": (
        "Key 已被禁用",
        "Key 存在但处于关闭状态(new-api/one-api:该令牌状态不可用):被所有者或管理员禁用,"
        "或因额度、有效期用尽而被自动禁用。",
        (
            "在控制台的令牌列表中查看该 Key 的状态:启用它,或新建一个 Key。",
            "如果不是你禁用的,询问账号所有者或管理员(可能是有意吊销)。",
            "如果是因为额度用尽而被禁用,先给该 Key 或其分组增加额度。",
        ),
    ),
    "auth.ip_not_allowed": (
        "当前 IP 不在该 Key 的允许列表中",
        "这个 Key 设置了 IP 白名单,本机的公网 IP 不在其中(new-api:您的 IP … "
        "不在令牌允许访问的列表中)。使用 VPN、代理或换了办公/家庭网络都会改变公网 IP。",
        (
            "在控制台中把错误信息里的 IP 加入该 Key 的允许 IP 列表,或清空该列表。",
            "使用代理或 VPN 时,网关看到的是代理的出口 IP,而不是你的 IP。",
            "服务器应放行其出口 IP(NAT 网关),而不是内网地址。",
        ),
    ),
    "auth.forbidden": (
        "禁止访问(403)",
        "请求被理解但不被允许:账号被封禁或未实名认证、Key 被限制为其他模型或接口,"
        "或防火墙(WAF)按地区或客户端拦截了请求。",
        (
            "查看证据中的错误原文,通常会写明限制原因。",
            "在控制台中检查账号状态和该 Key 的模型限制。",
            "如果返回的是 HTML 拦截页面(WAF/Cloudflare),换一个网络试试。",
            "把支持排查摘要(含请求 ID)发给技术支持。",
        ),
    ),
    "auth.wrong_endpoint": (
        "Base URL 路径错误",
        "服务器有响应,但这个路径下没有 API:通常是少了 /v1 或重复了(…/v1/v1),"
        "或填的是网站地址而不是 API 地址。",
        (
            "使用 gateway-doctor 找到的可用 Base URL(见详情),例如 https://api.alltkn.com/api/v1。",
            "new-api/one-api:https://你的域名/v1;OpenRouter:https://openrouter.ai/api/v1;"
            "LiteLLM:http://主机:4000/v1。",
            "在 Chatbox 中:如果客户端会自动加 /v1,API Host 里就不要再写;检查器中的请求地址里 /v1 应当恰好出现一次。",
        ),
    ),
    "auth.not_openai_compatible": (
        "该地址不是 OpenAI 兼容接口",
        "返回的不是 OpenAI 格式的 JSON:通常是一个 HTML 页面(网站或控制台),或其他类型的 API。",
        (
            "使用 API 地址,而不是网站或控制台地址(ALLTKN:https://api.alltkn.com/api/v1)。",
            "在客户端中选择 OpenAI / OpenAI 兼容提供商类型。",
            "如果服务原生使用其他格式(Anthropic、Gemini),请使用它的 OpenAI 兼容接口。",
        ),
    ),
    "auth.rate_limited": (
        "验证 Key 时请求过多(429)",
        "网关正在对这个 Key、账号或 IP 限流;如果有 Retry-After,它说明需要等待多久。",
        _RATE_LIMIT_STEPS,
    ),
    "auth.server_error": (
        "网关内部错误(5xx)",
        "网关在验证 Key 时自身出错(程序错误、数据库问题或维护中),不是你的配置问题。",
        _SERVER_ERROR_STEPS,
    ),
    "auth.gateway_error": (
        "中间层故障(502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "auth.timeout": (
        "验证 Key 超时",
        "网关接受了连接,但没有及时响应鉴权请求。",
        _TIMEOUT_STEPS,
    ),
    # ---- balance ------------------------------------------------------------
    "balance.ok": (
        "余额充足",
        "网关显示这个 Key 仍有可用余额或额度。",
        ("无需处理;多人共用预算时,留意控制台的用量页面。",),
    ),
    "balance.low": (
        "余额不多",
        "剩余不多;用完后请求会因“额度不足”而失败。",
        (
            "在控制台充值,或把 Key 换到有额度的分组。",
            "如果控制台支持,设置用量提醒或预算。",
            "日常任务改用低成本模型。",
        ),
    ),
    "balance.insufficient": (
        "余额或额度不足",
        "网关因余额或额度用尽而拒绝请求:账号余额、Key 自身的额度(new-api:额度已用尽 / "
        "TokenStatusExhausted)、分组额度,或 OpenRouter 的 credits(402)。",
        (
            "登录控制台检查余额,必要时充值。",
            "确认密钥所在分组有可用额度,并确认 Key 自身的额度上限没有用完(调高或设为无限)。",
            "如果团队通过其他分组或项目付费,换用该分组的 Key。",
            "用低成本模型发一条短消息,确认已恢复。",
        ),
    ),
    "balance.unknown": (
        "无法查询余额",
        "已知的余额接口在这个网关上都没有响应;很多网关不向 API Key 开放余额查询。这不是错误。",
        (
            "在网关控制台查看余额。",
            "如果请求因额度问题失败,按 balance.insufficient 的建议处理。",
        ),
    ),
    "balance.timeout": (
        "查询余额超时",
        "余额接口没有及时响应;这不代表余额本身有问题。",
        (
            "在网关控制台查看余额。",
            "稍后重新检查;如果其他步骤也超时,参考 network.timeout。",
        ),
    ),
    # ---- model --------------------------------------------------------------
    "model.ok": (
        "模型可以正常回复",
        "用这个模型发出的最小补全请求成功了。",
        ("这里无需处理;延迟和 token 用量见证据。",),
    ),
    "model.not_found": (
        "模型不存在",
        "网关不认识这个模型名(404 model_not_found):拼写错误、用了其他服务商的名称,或网关不提供该模型。",
        (
            "从网关的模型列表中选择(详情里给出了最接近的名称)。",
            "名称要完全一致:大小写、连字符和日期都有区别(gpt-4o-mini,而不是 GPT4o-mini)。",
            "先用低成本模型确认连通,再切换。",
        ),
    ),
    "model.not_permitted": (
        "该 Key 无权使用这个模型",
        "模型存在,但这个 Key、它所在的分组或账号套餐没有权限(403,或“does not have access to model”)。",
        (
            "在控制台中检查该 Key 的模型限制和所在分组的模型。",
            "改用该 Key 有权限的模型,或请管理员开放这个模型。",
            "部分模型需要认证或更高套餐;查看网关的模型说明页。",
        ),
    ),
    "model.unavailable": (
        "该模型没有可用渠道",
        "网关认识这个模型,但在该 Key 所在分组下没有可用的上游渠道(new-api/one-api:无可用渠道,"
        "“No available channel for model … under group …”):渠道被禁用或额度耗尽,或分组不包含该模型。",
        (
            "换一个模型(或网关列出的同一模型的其他名称)。",
            "使用有该模型渠道的分组下的 Key。",
            "请网关管理员在你的分组中为该模型启用渠道;如果渠道临时故障,稍后重试。",
        ),
    ),
    "model.not_listed": (
        "模型不在模型列表中",
        "网关没有 /models 接口,或没有列出全部模型;只有补全测试能说明这个名称是否可用。",
        (
            "如果补全测试通过,可以忽略这个警告。",
            "否则对照网关的文档或控制台检查模型名。",
        ),
    ),
    "model.bad_response": (
        "回复不是有效的补全结果",
        "网关返回了 2xx,但内容不是 Chat Completions 响应:200 里包着 error 对象、choices 为空、"
        "HTML 页面,或其他 API 格式。",
        (
            "在检查器中查看响应体;其中的 error 对象说明了真正的原因。",
            "确认客户端使用 OpenAI Chat Completions 兼容格式(/chat/completions,带 messages 数组)。",
            "换一个模型试试;如果只有一个模型异常,带上请求 ID 报告给技术支持。",
        ),
    ),
    "model.rate_limited": (
        "触发限流(429)",
        "这个 Key、分组或上游模型每分钟的请求数或 token 数超限;如果有 Retry-After,它说明需要等待多久。",
        _RATE_LIMIT_STEPS,
    ),
    "model.server_error": (
        "网关无法提供该模型(5xx)",
        "网关或其上游服务商对这个请求返回了服务器错误,不是你的配置问题。",
        _SERVER_ERROR_STEPS,
    ),
    "model.gateway_error": (
        "中间层故障或超时(502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "model.timeout": (
        "模型没有及时回复",
        "补全请求在超时时间内没有完成:大模型或推理模型在回答前思考较久、上游过载,或网络链路慢。",
        (
            "用更长的 --timeout 再试;推理模型在输出第一个 token 前可能要等很久。",
            "开启流式输出让内容更早开始返回,或换一个更快的模型。",
            "如果其他步骤也慢,检查网络、代理和防火墙。",
        ),
    ),
    # ---- stream -------------------------------------------------------------
    "stream.ok": (
        "流式输出正常",
        "流式补全逐块到达,并正常结束(有 finish_reason 和 [DONE])。",
        ("这里无需处理;首 token 时间和分块间隔见证据。",),
    ),
    "stream.not_streamed": (
        "回复没有以流式返回",
        "请求了 stream: true,但网关返回的是一个普通 JSON,而不是 text/event-stream;"
        "等待流式数据的客户端会什么都不显示或报错。",
        (
            "临时办法:在客户端中关闭流式输出。",
            "检查是否有代理或安全软件改写了响应。",
            "报告给网关技术支持:该模型或渠道可能不支持流式输出。",
        ),
    ),
    "stream.interrupted": (
        "流式响应中断",
        "连接在结束前就关闭了(没有 finish_reason,也没有 [DONE]):上游故障、"
        "代理或负载均衡的空闲超时,或网络不稳定。",
        (
            "重试;如果总在差不多的长度中断,缩短提示词或调低 max_tokens。",
            "检查代理/VPN 的空闲超时;不用代理或换一个网络试试。",
            "必要时回退:关闭流式输出、切换模型或减少上下文。",
            "把支持排查摘要(请求 ID、时间)发给技术支持。",
        ),
    ),
    "stream.malformed": (
        "流式数据格式异常",
        "出现了没有“data:”的行,或“data:”后面不是合法 JSON:网关、代理或安全软件改动或拆分了事件流。",
        (
            "升级客户端版本,并确认使用 OpenAI Chat Completions 兼容格式。",
            "检查是否有代理或会扫描 HTTPS 的软件改写响应;去掉它们再试。",
            "带上请求 ID 报告问题;临时办法是关闭流式输出。",
        ),
    ),
    "stream.garbled": (
        "流式输出出现乱码",
        "分块中含有非法 UTF-8 或 U+FFFD(�):中文等多字节字符在上游到你之间被拆开,或用错误的字符集解码。",
        (
            "升级客户端版本,并确认使用 OpenAI Chat Completions 兼容格式。",
            "确认响应是 UTF-8 编码,且没有代理重新编码。",
            "换一个模型或渠道试试;带上请求 ID 报告给技术支持。",
        ),
    ),
    "stream.buffered": (
        "流式内容一次性到达",
        "分块被压住,最后一次性全部送达:反向代理(nginx)或 CDN 缓冲了响应,用户先什么都看不到,然后突然全部出现。",
        (
            "如果网关部署在 nginx 后面:在 API 的 location 中设置 `proxy_buffering off;`"
            "(以及 `proxy_cache off;`),或让网关返回 `X-Accel-Buffering: no` 响应头。",
            "在中间的 CDN 或代理中,对 text/event-stream 关闭响应缓冲和压缩。",
            "在你这边,去掉会检查 HTTPS 的本地代理或杀毒软件再试。",
        ),
    ),
    "stream.stalled": (
        "流式输出卡住",
        "分块停止到达,超过超时时间都没有新数据,但流也没有结束:上游卡住或连接僵死。",
        (
            "重试;如果反复出现,调低 max_tokens 或切换模型。",
            "检查代理或 VPN 是否稳定。",
            "带上请求 ID 报告问题;临时办法是关闭流式输出。",
        ),
    ),
    "stream.error_event": (
        "流式过程中收到错误",
        "网关开始流式输出后,在流中发送了 error 对象(例如上游过载);其中的文字就是真正的原因。",
        (
            "查看证据中的错误原文;如果是过载,稍等片刻再试。",
            "问题持续时,切换模型或渠道。",
            "把支持排查摘要(请求 ID、时间)发给技术支持。",
        ),
    ),
    "stream.rate_limited": (
        "流式请求触发限流(429)",
        "每分钟请求数或 token 数超限;流式请求在开始前就被拒绝了。",
        _RATE_LIMIT_STEPS,
    ),
    "stream.server_error": (
        "网关处理流式请求出错(5xx)",
        "网关或其上游对流式请求返回了服务器错误。",
        _SERVER_ERROR_STEPS,
    ),
    "stream.gateway_error": (
        "流式请求遇到中间层故障(502/503/504/52x)",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "stream.timeout": (
        "流式输出没有及时开始",
        "在超时时间内没有收到响应头或第一个数据块。",
        _TIMEOUT_STEPS,
    ),
}
