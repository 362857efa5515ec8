"""gateway-doctor: diagnose OpenAI-compatible AI API gateways."""

__version__ = "0.1.0"
