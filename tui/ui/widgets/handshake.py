"""The TLS handshake evidence of a step that failed before any HTTP request.

``e`` on such a step used to say "This step made no HTTP request". A failed
certificate check has evidence all the same: the certificate the server
presented (fetched without verification, without the key), why it is not
trusted and what kind of problem it is. This renders it for the step detail.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui.core.diagnosis.detail import detail_for
from tui.core.diagnosis.model import CheckResult
from tui.core.diagnosis.remediation import check_title
from tui.core.net.tls_text import handshake_lines, handshake_title
from tui.ui.labels import t
from tui.ui.looks import HEADING
from tui.ui.safe import shown

#: Evidence keys holding a handshake: the network step's, and the proxy step's
#: certificate as the (intercepting) proxy presented it.
HANDSHAKE_KEYS = ("tls_problem", "certificate", "certificate_via_proxy")


def has_handshake(result: CheckResult | None) -> bool:
    """Whether ``result`` carries certificate evidence to show."""
    return result is not None and any(result.evidence.get(k) for k in HANDSHAKE_KEYS)


def prefers_handshake(result: CheckResult | None) -> bool:
    """``e`` shows the handshake rather than an exchange: none was made, or the step
    failed on the certificate (its exchanges end in the TLS error, the certificate says why)."""
    if not has_handshake(result):
        return False
    assert result is not None
    return not result.exchanges or result.code == "proxy.intercepts_tls"


def handshake_view(result: CheckResult, lang: str) -> Group:
    """Heading, the detail line, then one row per certificate fact (server text made safe)."""
    head = Text()
    head.append(f"{result.mark} {check_title(result.id, lang)} — {result.code}\n", style="bold")
    head.append(handshake_title(lang) + "\n\n", style=HEADING)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in handshake_lines(result.evidence, lang):
        grid.add_row("", Text(t("d.label", lang, name=name)), Text(shown(value)))
    detail = Text("\n" + shown(detail_for(result, lang)) + "\n")
    return Group(head, grid, detail)
