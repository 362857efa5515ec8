"""gateway-doctor: diagnose OpenAI-compatible AI API gateways."""

__version__ = "0.1.0"


def entry() -> int:
    """The ``gateway-doctor`` command. Ctrl-C while the command line is still being
    imported leaves quietly with 130 (from ``tui.cli.main`` on, it says "interrupted");
    this package imports nothing, so no Python traceback can come before it."""
    try:
        from tui.cli import main
    except KeyboardInterrupt:
        return 130
    return main()
