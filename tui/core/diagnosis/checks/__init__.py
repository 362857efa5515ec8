"""The seven checks, one module each, plus the error classifier.

Each module exposes ``async check_<id>(ctx: Context) -> CheckResult``; the
engine (:mod:`tui.core.diagnosis.engine`) decides the order and what runs concurrently.
"""
