"""Talking to the gateway: the bounded, recording HTTP client, SSE, bodies, TLS facts.

Importing this package first keeps two optional stacks out of every process that
talks to a gateway (``check`` and the console alike): httpx's own command-line
client, which it imports when rich and click are installed (textual brings them),
and httpcore's HTTP/2 stack when h2 is. We use neither (HTTP/1.1 only); they cost
12-300 ms before the first request or the console's first frame. Both are left
alone when httpx or httpcore was imported before us.
"""

import sys

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
if "httpcore" not in sys.modules:
    sys.modules.setdefault("h2", None)  # type: ignore[arg-type]
