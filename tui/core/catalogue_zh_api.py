"""Simplified Chinese remediation for the API steps: auth, balance, model, stream."""

from __future__ import annotations

from tui.core.catalogue_zh_reach import (
    _GATEWAY_ERROR_STEPS,
    _GATEWAY_ERROR_WHY,
    _RATE_LIMIT_STEPS,
    _SERVER_ERROR_STEPS,
    _TIMEOUT_STEPS,
)

CATALOGUE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # ---- auth ---------------------------------------------------------------
    "auth.ok": (
        "Key 验证通过",
        "使用这个 Key 的鉴权请求（GET /models 或最小的聊天请求）成功了。",
        ("这里无需处理。",),
    ),
    "auth.invalid_key": (
        "Key 被拒绝（401）",
        "网关不认识这个 Key：拼写错误或复制不完整、Key 已被删除、用了别的站点的 Key"
        "（在 ALLTKN 上用 OpenAI 的 Key，或反过来），或者旧的 OPENAI_API_KEY 覆盖了你想用的 Key"
        "（new-api：无效的令牌）。",
        (
            "从控制台重新复制 Key（ALLTKN 的 Key 以 sk- 开头），完整粘贴，不带空格。",
            "确认 Key 属于这个网关：一个站点的 Key 不能在另一个站点使用。",
            "确认实际用的是哪个 Key：摘要里显示了它的前 3 位和后 4 位，与控制台对比。",
            "如果 Key 已被删除或不确定，在控制台新建一个 Key。",
        ),
    ),
    "auth.key_expired": (
        "Key 已过期",
        "这个 Key 已超过有效期（new-api/one-api：该令牌已过期）。",
        (
            "登录控制台新建一个 Key，或在该 Key 的设置中延长过期时间。",
            "在所有使用它的客户端和脚本中更新 Key。",
            "团队使用时：约定由谁、在什么时候轮换 Key，避免过期时措手不及。",
        ),
    ),
    "auth.key_disabled": (
        "Key 已被禁用",
        "Key 存在但处于关闭状态（new-api/one-api：该令牌状态不可用）：被所有者或管理员禁用，"
        "或因额度、有效期用尽而被自动禁用。",
        (
            "在控制台的令牌列表中查看该 Key 的状态：启用它，或新建一个 Key。",
            "如果不是你禁用的，询问账号所有者或管理员（可能是有意吊销）。",
            "如果是因为额度用尽而被禁用，先给该 Key 或其分组增加额度。",
        ),
    ),
    "auth.ip_not_allowed": (
        "当前 IP 不在该 Key 的允许列表中",
        "这个 Key 设置了 IP 白名单，本机的公网 IP 不在其中(new-api：您的 IP … "
        "不在令牌允许访问的列表中)。使用 VPN、代理或换了办公/家庭网络都会改变公网 IP。",
        (
            "在控制台中把错误信息里的 IP 加入该 Key 的允许 IP 列表，或清空该列表。",
            "使用代理或 VPN 时，网关看到的是代理的出口 IP，而不是你的 IP。",
            "服务器应放行其出口 IP（NAT 网关），而不是内网地址。",
        ),
    ),
    "auth.forbidden": (
        "禁止访问（403）",
        "请求被理解但不被允许：账号被封禁或未实名认证、Key 被限制为其他模型或接口，"
        "或防火墙（WAF）按地区或客户端拦截了请求。",
        (
            "查看证据中的错误原文，通常会写明限制原因。",
            "在控制台中检查账号状态和该 Key 的模型限制。",
            "如果返回的是 HTML 拦截页面（WAF/Cloudflare），换一个网络试试。",
            "把支持排查摘要（含请求 ID）发给技术支持。",
        ),
    ),
    "auth.wrong_endpoint": (
        "Base URL 路径错误",
        "服务器有响应，但这个路径下没有 API：通常是少了 /v1 或重复了（…/v1/v1）,"
        "或填的是网站地址而不是 API 地址。",
        (
            "使用 gateway-doctor 找到的可用 Base URL（见详情），例如 https://api.alltkn.com/api/v1。",
            "new-api/one-api:https://你的域名/v1;OpenRouter:https://openrouter.ai/api/v1;"
            "LiteLLM:http://主机：4000/v1。",
            "在 Chatbox 中：如果客户端会自动加 /v1,API Host 里就不要再写；检查器中的请求地址里 /v1 应当恰好出现一次。",
        ),
    ),
    "auth.not_openai_compatible": (
        "该地址不是 OpenAI 兼容接口",
        "返回的不是 OpenAI 格式的 JSON：通常是一个 HTML 页面（网站或控制台），或其他类型的 API。",
        (
            "使用 API 地址，而不是网站或控制台地址（ALLTKN:https://api.alltkn.com/api/v1）。",
            "在客户端中选择 OpenAI / OpenAI 兼容提供商类型。",
            "如果服务原生使用其他格式（Anthropic、Gemini），请使用它的 OpenAI 兼容接口。",
        ),
    ),
    "auth.rate_limited": (
        "验证 Key 时请求过多（429）",
        "网关正在对这个 Key、账号或 IP 限流；如果有 Retry-After，它说明需要等待多久。",
        _RATE_LIMIT_STEPS,
    ),
    "auth.server_error": (
        "网关内部错误（5xx）",
        "网关在验证 Key 时自身出错（程序错误、数据库问题或维护中），不是你的配置问题。",
        _SERVER_ERROR_STEPS,
    ),
    "auth.gateway_error": (
        "中间层故障（502/503/504/52x）",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "auth.timeout": (
        "验证 Key 超时",
        "网关接受了连接，但没有及时响应鉴权请求。",
        _TIMEOUT_STEPS,
    ),
    # ---- balance ------------------------------------------------------------
    "balance.ok": (
        "余额充足",
        "网关显示这个 Key 仍有可用余额或额度。",
        ("无需处理；多人共用预算时，留意控制台的用量页面。",),
    ),
    "balance.low": (
        "余额不多",
        "剩余不多；用完后请求会因“额度不足”而失败。",
        (
            "在控制台充值，或把 Key 换到有额度的分组。",
            "如果控制台支持，设置用量提醒或预算。",
            "日常任务改用低成本模型。",
        ),
    ),
    "balance.insufficient": (
        "余额或额度不足",
        "网关因余额或额度用尽而拒绝请求：账号余额、Key 自身的额度(new-api：额度已用尽 / "
        "TokenStatusExhausted)、分组额度、OpenRouter 的 credits(402)，或 LiteLLM 给密钥、用户、团队或部署设的预算"
        "(429“Budget has been exceeded”“crossed budget”：是钱用完了，不是请求太频繁)。",
        (
            "登录控制台检查余额，必要时充值。",
            "确认密钥所在分组有可用额度，并确认 Key 自身的额度上限没有用完（调高或设为无限）。",
            "如果详情说余额接口显示还有钱，说明拒绝来自另一个限额：Key 自身的额度或预算（LiteLLM 的 max_budget "
            "和重置时间见详情）、分组的额度，或某个部署的预算；调高那个限额，或等它重置。",
            "如果团队通过其他分组或项目付费，换用该分组的 Key。",
            "用低成本模型发一条短消息，确认已恢复。",
        ),
    ),
    "balance.unknown": (
        "无法查询余额",
        "已知的余额接口在这个网关上都没有响应；很多网关不向 API Key 开放余额查询。这不是错误。",
        (
            "在网关控制台查看余额。",
            "如果请求因额度问题失败，按 balance.insufficient 的建议处理。",
        ),
    ),
    "balance.timeout": (
        "查询余额超时",
        "余额接口没有及时响应；这不代表余额本身有问题。",
        (
            "在网关控制台查看余额。",
            "稍后重新检查；如果其他步骤也超时，参考 network.timeout。",
        ),
    ),
    # ---- model --------------------------------------------------------------
    "model.ok": (
        "模型可以正常回复",
        "用这个模型发出的最小补全请求成功了。",
        ("这里无需处理；延迟和 token 用量见证据。",),
    ),
    "model.not_found": (
        "模型不存在",
        "网关不认识这个模型名（404 model_not_found）：拼写错误、用了其他服务商的名称，或网关不提供该模型。",
        (
            "从网关的模型列表中选择（详情里会给出最接近的名称，或说明没有相近的名称、网关没有列表）。",
            "名称要完全一致：大小写、连字符和日期都有区别（gpt-4o-mini，而不是 GPT4o-mini）。",
            "先用低成本模型确认连通，再切换。",
        ),
    ),
    "model.not_permitted": (
        "该 Key 无权使用这个模型",
        "模型存在，但这个 Key、它所在的分组或账号套餐没有权限（403，或“does not have access to model”）。",
        (
            "在控制台中检查该 Key 的模型限制和所在分组的模型。",
            "改用该 Key 有权限的模型，或请管理员开放这个模型。",
            "部分模型需要认证或更高套餐；查看网关的模型说明页。",
        ),
    ),
    "model.unavailable": (
        "该模型没有可用渠道",
        "网关认识这个模型，但在该 Key 所在分组下没有可用的上游渠道(new-api/one-api：无可用渠道，"
        "“No available channel for model … under group …”)：渠道被禁用或额度耗尽，或分组不包含该模型。"
        "/models 列出的模型即使错误代码字段写着 model_not_found 也归在这里：名称没错，出问题的是提供服务的渠道。",
        (
            "换一个模型（或网关列出的同一模型的其他名称）。",
            "使用有该模型渠道的分组下的 Key。",
            "请网关管理员在你的分组中为该模型启用渠道；如果渠道临时故障，稍后重试。",
        ),
    ),
    "model.not_listed": (
        "模型不在模型列表中",
        "网关没有 /models 接口，或没有列出全部模型；只有补全测试能说明这个名称是否可用。",
        (
            "如果补全测试通过，可以忽略这个警告。",
            "否则对照网关的文档或控制台检查模型名。",
        ),
    ),
    "model.bad_response": (
        "回复不是有效的补全结果",
        "网关返回了 2xx，但内容不是 Chat Completions 响应：200 里包着 error 对象、choices 为空、"
        "HTML 页面，或其他 API 格式。",
        (
            "在检查器中查看响应体；其中的 error 对象说明了真正的原因。",
            "确认客户端使用 OpenAI Chat Completions 兼容格式（/chat/completions，带 messages 数组）。",
            "换一个模型试试；如果只有一个模型异常，带上请求 ID 报告给技术支持。",
        ),
    ),
    "model.rate_limited": (
        "触发限流（429）",
        "这个 Key、分组或上游模型每分钟的请求数或 token 数超限；如果有 Retry-After，它说明需要等待多久。",
        _RATE_LIMIT_STEPS,
    ),
    "model.server_error": (
        "网关无法提供该模型（5xx）",
        "网关或其上游服务商对这个请求返回了服务器错误，不是你的配置问题。",
        _SERVER_ERROR_STEPS,
    ),
    "model.gateway_error": (
        "中间层故障或超时（502/503/504/52x）",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "model.timeout": (
        "模型没有及时回复",
        "补全请求在超时时间内没有完成：大模型或推理模型在回答前思考较久、上游过载，或网络链路慢。",
        (
            "用更长的 --timeout 再试；推理模型在输出第一个 token 前可能要等很久。",
            "开启流式输出让内容更早开始返回，或换一个更快的模型。",
            "如果其他步骤也慢，检查网络、代理和防火墙。",
        ),
    ),
    # ---- stream -------------------------------------------------------------
    "stream.ok": (
        "流式输出正常",
        "流式补全逐块到达，并正常结束（有 finish_reason 和 [DONE]）。",
        ("这里无需处理；首 token 时间和分块间隔见证据。",),
    ),
    "stream.not_streamed": (
        "回复没有以流式返回",
        "请求了 stream: true，但网关返回的是一个普通 JSON，而不是 text/event-stream;"
        "等待流式数据的客户端会什么都不显示或报错。",
        (
            "临时办法：在客户端中关闭流式输出。",
            "检查是否有代理或安全软件改写了响应。",
            "报告给网关技术支持：该模型或渠道可能不支持流式输出。",
        ),
    ),
    "stream.interrupted": (
        "流式响应中断",
        "连接在结束前就关闭了（没有 finish_reason，也没有 [DONE]）：上游故障、"
        "代理或负载均衡的空闲超时，或网络不稳定。",
        (
            "重试；如果总在差不多的长度中断，缩短提示词或调低 max_tokens。",
            "检查代理/VPN 的空闲超时；不用代理或换一个网络试试。",
            "必要时回退：关闭流式输出、切换模型或减少上下文。",
            "把支持排查摘要（请求 ID、时间）发给技术支持。",
        ),
    ),
    "stream.malformed": (
        "流式数据格式异常",
        "出现了没有“data:”的行，或“data:”后面不是合法 JSON：网关、代理或安全软件改动或拆分了事件流。",
        (
            "升级客户端版本，并确认使用 OpenAI Chat Completions 兼容格式。",
            "检查是否有代理或会扫描 HTTPS 的软件改写响应；去掉它们再试。",
            "带上请求 ID 报告问题；临时办法是关闭流式输出。",
        ),
    ),
    "stream.garbled": (
        "流式输出出现乱码",
        "分块中含有非法 UTF-8 或 U+FFFD(�)：中文等多字节字符在上游到你之间被拆开，或用错误的字符集解码。",
        (
            "升级客户端版本，并确认使用 OpenAI Chat Completions 兼容格式。",
            "确认响应是 UTF-8 编码，且没有代理重新编码。",
            "换一个模型或渠道试试；带上请求 ID 报告给技术支持。",
        ),
    ),
    "stream.buffered": (
        "流式内容一次性到达",
        "分块被压住，最后一次性全部送达：反向代理（nginx）或 CDN 缓冲了响应，用户先什么都看不到，然后突然全部出现。",
        (
            "如果网关部署在 nginx 后面：在 API 的 location 中设置 `proxy_buffering off;`"
            "(以及 `proxy_cache off;`)，或让网关返回 `X-Accel-Buffering: no` 响应头。",
            "在中间的 CDN 或代理中，对 text/event-stream 关闭响应缓冲和压缩。",
            "在你这边，去掉会检查 HTTPS 的本地代理或杀毒软件再试。",
        ),
    ),
    "stream.stalled": (
        "流式输出卡住",
        "分块停止到达，超过超时时间都没有新数据，但流也没有结束：上游卡住或连接僵死。",
        (
            "重试；如果反复出现，调低 max_tokens 或切换模型。",
            "检查代理或 VPN 是否稳定。",
            "带上请求 ID 报告问题；临时办法是关闭流式输出。",
        ),
    ),
    "stream.error_event": (
        "流式过程中收到错误",
        "网关开始流式输出后，在流中发送了 error 对象（例如上游过载）；其中的文字就是真正的原因。",
        (
            "查看证据中的错误原文；如果是过载，稍等片刻再试。",
            "问题持续时，切换模型或渠道。",
            "把支持排查摘要（请求 ID、时间）发给技术支持。",
        ),
    ),
    "stream.insufficient": (
        "流式请求因余额或额度不足被拒绝",
        "余额和模型两步都通过了，流式请求却因余额或额度用完被拒绝（402，或带有预算/额度字样的 429）："
        "额度恰好在两次请求之间用完，或这次请求需要的超过了剩余额度（有些网关会按 max_tokens 预扣，"
        "LiteLLM 的预算按部署计算）。等待重试没有用。",
        (
            "登录网关控制台，查看余额和该密钥自身的额度上限；充值或调高上限。",
            "在客户端调低 max_tokens：有些网关会按整个 max_tokens 预扣费用。",
            "用低价模型发一条短消息，确认恢复正常。",
        ),
    ),
    "stream.rate_limited": (
        "流式请求触发限流（429）",
        "每分钟请求数或 token 数超限；流式请求在开始前就被拒绝了。",
        _RATE_LIMIT_STEPS,
    ),
    "stream.server_error": (
        "网关处理流式请求出错（5xx）",
        "网关或其上游对流式请求返回了服务器错误。",
        _SERVER_ERROR_STEPS,
    ),
    "stream.gateway_error": (
        "流式请求遇到中间层故障（502/503/504/52x）",
        _GATEWAY_ERROR_WHY,
        _GATEWAY_ERROR_STEPS,
    ),
    "stream.timeout": (
        "流式输出没有及时开始",
        "在超时时间内没有收到响应头或第一个数据块。",
        _TIMEOUT_STEPS,
    ),
}
