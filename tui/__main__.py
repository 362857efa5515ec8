"""Allow ``python -m tui``."""

from tui import entry

raise SystemExit(entry())
