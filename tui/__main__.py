"""Allow ``python -m tui``."""

try:
    from tui.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python was still loading: no traceback
    raise SystemExit(130) from None

raise SystemExit(main())
