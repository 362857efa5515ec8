"""The demo gateway's long reply (quick prompt F3): long enough to scroll.

Over 800 words in several sections with a list, so the console's chat pane is
exercised the way a real model's long answer would exercise it: Markdown
headings, paragraphs, a numbered and a bulleted list, streamed for seconds.
"""

from __future__ import annotations

LONG_EN = """## How an API gateway routes requests to model providers

An API gateway for language models sits between your applications and the companies \
that actually run the models. Your client speaks one protocol, usually the OpenAI chat \
completions format, to one base URL with one key. Behind that address the gateway may \
talk to a dozen providers, each with its own endpoints, authentication, model names, \
prices and limits. Its job is to make that variety look like a single, dependable service, \
and routing is the heart of that job.

### Step one: understanding the request

When a request arrives, the gateway first authenticates it. It looks up the key in its \
own database, not the provider's: the key identifies a user, a team or a project, and \
carries settings such as which models it may use, how much it may spend and which group \
or tier it belongs to. A disabled, expired or exhausted key is refused here, before any \
provider is contacted, which is why an authentication error from a gateway says nothing \
about the upstream model at all.

Next the gateway reads the model name from the request body. Names are an interface, \
not a fact about the world: the gateway keeps a table that maps the names clients use, \
such as gpt-4o-mini or deepseek-chat, to the concrete deployments that can serve them. \
One public name may map to several upstream models, and one upstream model may be \
exposed under several names, for example a dated version and a short alias.

### Step two: choosing a channel

Most gateways call a concrete upstream deployment a channel. A channel combines a \
provider, a base URL, an upstream key, the models it serves and a weight or priority. \
To route a request, the gateway collects every channel that serves the requested model \
and is allowed for the caller's group, then picks one. The usual strategies are:

1. **Priority first.** Channels are sorted by priority; lower tiers are used only when \
every higher one has failed or been disabled.
2. **Weighted random.** Within one priority, a channel is drawn at random in proportion \
to its weight, which spreads load across several upstream accounts.
3. **Least latency or least cost.** Some gateways measure each channel's recent response \
times or price per token and prefer the fastest or cheapest one.
4. **Sticky sessions.** A conversation may be pinned to one channel so that caching on \
the provider's side keeps working across turns.

If no channel qualifies, the gateway answers at once with an error such as "no available \
channel for this model in the current group". That message is about the gateway's \
configuration, not your code: the model exists somewhere, but not for your key's group.

### Step three: translating and forwarding

Providers do not all speak the same dialect. The gateway rewrites the request for the \
chosen channel: it replaces the model name with the upstream one, swaps your key for the \
channel's key, converts the message format when the provider is not OpenAI-compatible, \
and drops or renames parameters the provider does not support. Then it forwards the \
request and, for a streamed reply, relays each server-sent event back to you as it \
arrives. Every proxy on that path, from the gateway's own web server to a CDN in front \
of it, must pass those events through without buffering, or the stream arrives in one \
lump at the end.

### Step four: handling failure

Upstream calls fail in ordinary ways: rate limits, overloaded servers, timeouts, network \
resets. A good gateway treats many of these as a reason to try again elsewhere. If the \
first channel answers 429 or 503 before any tokens were sent, it can retry the same \
request on another channel, and the client never notices. Once tokens have started to \
stream, a retry is no longer invisible, so the gateway must pass the failure on, ideally \
as a clear error event rather than a silently closed connection.

Failing channels are also taken out of rotation. After repeated errors a channel is \
disabled automatically and tested again later, so one broken upstream key does not \
poison a share of every request.

### Step five: accounting

Finally, the gateway records what happened: which key, which model, which channel, how \
many prompt and completion tokens, and how long it took. It converts tokens into a cost \
using its own price table and deducts that from the key's quota or the account's \
balance. Many gateways reserve an estimated amount before forwarding the request and \
settle the real figure afterwards, which is why a request can be refused for quota even \
when the remaining balance looks sufficient.

### What this means when something goes wrong

Because each step can fail on its own, the error you see tells you where to look:

- **401 or 403** comes from step one: the key, its status or its permissions.
- **"model not found" or "no available channel"** comes from steps one and two: the \
model table or the group's channels.
- **429 with a quota message** comes from step five's reservation, while a plain rate \
limit usually comes from the provider in step three.
- **502, 503 or 524 with an HTML page** usually comes from a proxy in front of the \
gateway or from an upstream that did not answer in time.
- **A stream that stalls or arrives all at once** points to buffering somewhere on the \
path, not to the model.

Keeping these layers apart is what makes a gateway problem quick to fix: test the \
connection and the key with a short message first, then a longer streamed reply, then \
the features your application relies on. Each step that passes removes a whole layer \
from the list of suspects, and the first one that fails tells you which team to ask.
"""

LONG_ZH = """## API 网关如何把请求路由到不同的模型供应商

大模型 API 网关位于你的应用和真正运行模型的厂商之间。客户端只需要用一种协议（通常是 \
OpenAI 的 chat completions 格式），对着一个地址、用一个密钥发请求；网关在后面可能连着十几家\
供应商，每家的接口、鉴权方式、模型名、价格和限额都不一样。网关要做的，就是把这些差异\
包装成一个稳定统一的服务，而路由正是其中的核心。

### 第一步：理解请求

请求到达后，网关先做鉴权。它查的是自己的数据库，而不是供应商的：密钥对应某个用户、\
团队或项目，并带有可用模型、额度上限、所属分组等设置。密钥被禁用、已过期或额度用尽时，\
网关在这里就直接拒绝，根本不会联系上游，所以鉴权错误与上游模型本身无关。

接着网关从请求体里读出模型名。模型名只是一个约定：网关维护一张映射表，把客户端使用的\
名字（比如 gpt-4o-mini、deepseek-chat）对应到能提供服务的具体部署。一个公开名字可能对应\
多个上游模型，一个上游模型也可能有多个名字，例如带日期的版本名和简短的别名。

### 第二步：选择渠道

大多数网关把具体的上游部署叫作“渠道”。一个渠道包括供应商、接口地址、上游密钥、支持的\
模型以及权重或优先级。路由时，网关先找出所有支持该模型、并且允许调用方分组使用的渠道，\
再从中选一个。常见的策略有：

1. **优先级优先**：按优先级排序，只有高优先级的渠道全部失败或被禁用时才使用低一级的。
2. **加权随机**：同一优先级内按权重随机抽取，把负载分散到多个上游账号。
3. **最低延迟或最低成本**：统计各渠道近期的响应时间或单价，优先选最快或最便宜的。
4. **会话粘性**：同一段对话固定走一个渠道，让供应商侧的缓存在多轮之间继续生效。

如果没有任何渠道符合条件，网关会立刻返回类似“当前分组下对于该模型无可用渠道”的错误。\
这说明的是网关的配置问题，而不是你的代码：模型确实存在，只是你的密钥所在分组用不了。

### 第三步：转换并转发

各家供应商的“方言”并不相同。网关会按选中的渠道改写请求：把模型名换成上游的名字，把你的\
密钥换成渠道的密钥，在供应商不兼容 OpenAI 格式时转换消息结构，并删除或改名对方不支持的\
参数。然后转发请求；如果是流式回复，就把每个 SSE 事件一到就转发给你。这条路径上的每一层\
代理，从网关自己的 Web 服务器到前面的 CDN，都必须原样透传这些事件、不能缓冲，否则流式\
输出会在最后一次性到达。

### 第四步：处理失败

上游调用经常以平常的方式失败：限流、服务器过载、超时、连接被重置。好的网关会把其中很多\
情况当作换一个渠道重试的理由。如果第一个渠道在发出任何令牌之前就返回 429 或 503，网关可以\
把同一请求转到另一个渠道，客户端完全察觉不到。一旦令牌已经开始流出，重试就不再是无感的，\
网关必须把失败传递下去，最好是发一个明确的错误事件，而不是悄悄断开连接。

出错的渠道也会被移出轮换。连续出错后渠道会被自动禁用，过一段时间再测试，这样一个坏掉的\
上游密钥就不会拖累一部分请求。

### 第五步：计费

最后，网关记录这次请求：哪个密钥、哪个模型、哪个渠道、多少提示令牌和补全令牌、耗时多少。\
它用自己的价格表把令牌换算成费用，从密钥额度或账户余额中扣除。很多网关会在转发前先预扣\
一笔估算费用，结束后再按实际用量结算，所以有时余额看起来够用，请求却因额度不足被拒绝。

### 出问题时这意味着什么

因为每一步都可能单独出错，你看到的错误本身就指明了该查哪里：

- **401 或 403** 来自第一步：密钥本身、它的状态或权限。
- **“模型不存在”或“无可用渠道”** 来自第一、二步：模型映射表或分组的渠道配置。
- **带额度提示的 429** 来自第五步的预扣，而单纯的限流通常来自第三步的供应商。
- **带 HTML 页面的 502、503 或 524** 通常来自网关前面的代理，或没有及时响应的上游。
- **流式输出卡住或一次性到达** 说明路径上某处在缓冲，而不是模型的问题。

把这些层次分清楚，网关问题就能很快解决：先用一条短消息测试连接和密钥，再测试较长的流式\
回复，最后测试应用依赖的功能。每通过一步，就排除了一整层嫌疑；第一个失败的步骤会告诉你\
该找哪个团队。
"""
