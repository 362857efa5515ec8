"""The inspector's exchanges in order, with what its filter reads kept beside each.

:func:`tui.core.inspect.format.matches` builds each exchange's searchable text
(id, method, URL, status, step, error, note, reason, request ids) every time it
is asked: several µs, so most of a second per keystroke at 100,000 exchanges.
:class:`ExchangeIndex` builds that text (lower-cased) and the status class once
per exchange, in lists parallel to the exchanges, so a filter is one pass of
substring tests; a test keeps it in agreement with ``matches``.
"""

from __future__ import annotations

import sys

from tui.core.inspect.format import PROBLEMS, haystack, in_classes, status_class
from tui.core.net.exchange import Exchange

__all__ = ["ExchangeIndex", "haystack"]  # haystack: re-exported from inspect_format


class ExchangeIndex:
    """Exchanges in arrival order by id; a later version of one replaces it in place."""

    def __init__(self) -> None:
        self.items: list[Exchange] = []
        self._hay: list[str] = []
        self._url: list[str] = []
        self._class: list[str] = []
        self._at: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def position(self, exchange_id: str) -> int | None:
        """Where ``exchange_id`` is in arrival order (``None``: not seen)."""
        return self._at.get(exchange_id)

    def get(self, exchange_id: str) -> Exchange | None:
        at = self._at.get(exchange_id)
        return None if at is None else self.items[at]

    def put(self, ex: Exchange) -> bool:
        """Add ``ex``, or replace the exchange with its id (a pending one answered): new?"""
        at = self._at.get(ex.id)
        url = ex.url.lower()
        url = ex.url if url == ex.url else url
        kind = sys.intern(status_class(ex))
        if at is not None:
            self.items[at] = ex
            self._hay[at], self._url[at], self._class[at] = haystack(ex), url, kind
            return False
        self._at[ex.id] = len(self.items)
        self.items.append(ex)
        self._hay.append(haystack(ex))
        self._url.append(url)
        self._class.append(kind)
        return True

    def select(self, text: str = "", classes: frozenset[str] | None = None) -> list[Exchange]:
        """The exchanges with every word of ``text`` and one of ``classes`` (``PROBLEMS``
        among them: ``format.is_problem``), in order."""
        words = text.lower().split()
        items, hays, urls, kinds = self.items, self._hay, self._url, self._class
        if classes and PROBLEMS in classes:  # read from each exchange: its notes change
            rows = zip(items, hays, urls, kinds, strict=True)
            return [
                ex
                for ex, h, u, k in rows
                if in_classes(ex, k, classes) and all(w in h or w in u for w in words)
            ]
        if not words:
            if not classes:
                return list(items)
            return [ex for ex, k in zip(items, kinds, strict=True) if k in classes]
        rows = zip(items, hays, urls, kinds, strict=True)
        if len(words) == 1:
            w = words[0]
            if not classes:
                return [ex for ex, h, u, _ in rows if w in h or w in u]
            return [ex for ex, h, u, k in rows if k in classes and (w in h or w in u)]
        return [
            ex
            for ex, h, u, k in rows
            if (not classes or k in classes) and all(w in h or w in u for w in words)
        ]

    def passes(self, ex: Exchange, text: str = "", classes: frozenset[str] | None = None) -> bool:
        """Whether the indexed exchange ``ex`` passes (a new arrival)."""
        at = self._at.get(ex.id)
        if at is None:
            return False
        if classes and not in_classes(ex, self._class[at], classes):
            return False
        hay, url = self._hay[at], self._url[at]
        return all(w in hay or w in url for w in text.lower().split())
