"""Test-only servers for hardening tests: all on 127.0.0.1, bounded, self-stopping."""
