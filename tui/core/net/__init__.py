"""Talking to the gateway: the bounded, recording HTTP client, SSE, bodies, TLS facts."""
