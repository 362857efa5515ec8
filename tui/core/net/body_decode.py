"""Content-Encoding decoded by us, a bounded step at a time.

httpx decodes each compressed read in one call on the event loop: 1.6 KB of
``br`` becomes 1 GB of zeros before anything else runs (memory, and a console
frozen for seconds). Here the raw body (``aiter_raw``) is decoded in pieces of
at most :data:`STEP` bytes, the caller yields to the loop between pieces, and
decoding stops with :class:`BodyError` once the output passes
:data:`MAX_DECODED` bytes, or grows more than :data:`BOMB_RATIO` times the
bytes received past :data:`RATIO_FLOOR`.

We ask only for ``gzip, deflate`` (zlib, always there). A gateway may still
send ``br`` or ``zstd``: they are decoded when their module is installed (with
the same bounds), else the exchange fails with a message saying so. An
encoding nobody knows is passed through as is, like httpx does.

A :class:`BodyError` carries its message (``body.*`` in the catalogue); ``str()``
of it is the English line, which the exchange records.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, Protocol

from tui.core.i18n.catalogue import Msg, msg, render

#: What we ask for: the encodings the standard library decodes.
ACCEPT_ENCODING = "gzip, deflate"  # not-ui-text: an HTTP header value
#: Most bytes one decoding step hands to the caller.
STEP = 256 * 1024
#: Most decoded bytes of one body (stored bodies keep 8 MB; SSE parsing needs no more).
MAX_DECODED = 64 * 1024 * 1024
#: Past RATIO_FLOOR decoded bytes, more than this many per compressed byte is a bomb
#: (deflate cannot pass 1032; real JSON and SSE bodies stay far below).
BOMB_RATIO = 1000
RATIO_FLOOR = 1024 * 1024
#: Decoded bytes of a bomb kept for the inspector (the rest is filler).
KEEP_OF_BOMB = 64 * 1024
#: Input bytes per brotli call: one byte can expand to 16 MB, and brotli 1.1 has no
#: output limit; zstd: a 4-byte RLE block is 128 KB, so 32 bytes give at most 1 MB.
BROTLI_SLICE = 1
ZSTD_SLICE = 32

_MODULES = {"br": ("brotli", "Brotli"), "zstd": ("zstandard", "zstandard")}


class BodyError(Exception):
    """The body cannot be decoded, or expands too far; ``kind`` classifies it.

    ``message`` says why with its facts; ``str(exc)`` is its English line.
    """

    def __init__(self, kind: str, message: Msg) -> None:
        super().__init__(render(message, "en"))
        self.kind = kind
        self.message = message


def _undecodable(name: str, exc: BaseException) -> BodyError:
    return BodyError("decoding", msg("body.undecodable", name=name, error=str(exc)))


class _Stage(Protocol):
    #: Compressed bytes consumed so far.
    used: int

    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def flush(self) -> Iterator[bytes]: ...


def _pieces(out: bytes) -> Iterator[bytes]:
    """``out`` in slices of at most STEP bytes."""
    if len(out) <= STEP:
        if out:
            yield out
        return
    view = memoryview(out)
    for i in range(0, len(out), STEP):
        yield bytes(view[i : i + STEP])


class _Zlib:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it) via ``max_length``."""

    def __init__(self, name: str) -> None:
        self.name = name
        wbits = zlib.MAX_WBITS | 16 if name == "gzip" else zlib.MAX_WBITS
        self._d = zlib.decompressobj(wbits)
        self._first = name == "deflate"
        self.used = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._d.decompress(data, STEP)
            except zlib.error as exc:
                if not self._first:
                    raise _undecodable(self.name, exc) from exc
                self._first, self._d = False, zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._first = False
            self.used += len(data) - len(self._d.unconsumed_tail)
            if out:
                yield out
            data = self._d.unconsumed_tail
            if self._d.eof or (not data and len(out) < STEP):
                return

    def flush(self) -> Iterator[bytes]:
        yield from self.feed(b"")


class _Sliced:
    """brotli / zstd: no output limit per call, so the input goes in small slices."""

    def __init__(self, name: str, module: Any) -> None:
        self.name, self._mod = name, module
        self._d = self._new()
        self.slice = BROTLI_SLICE if name == "br" else ZSTD_SLICE
        self.used = 0

    def _new(self) -> Any:
        if self.name == "br":
            return self._mod.Decompressor()
        return self._mod.ZstdDecompressor().decompressobj()

    def _one(self, data: bytes) -> bytes:
        if self.name == "br":
            return bytes(self._d.process(data))
        out = self._d.decompress(data)
        if self._d.eof and self._d.unused_data:  # another zstd frame follows
            rest, self._d = self._d.unused_data, self._new()
            out += self._d.decompress(rest)
        return bytes(out)

    def feed(self, data: bytes) -> Iterator[bytes]:
        for i in range(0, len(data), self.slice):
            piece = data[i : i + self.slice]
            self.used += len(piece)
            try:
                out = self._one(piece)
            except Exception as exc:  # noqa: BLE001 - brotli.error / ZstdError
                raise _undecodable(self.name, exc) from exc
            yield from _pieces(out)

    def flush(self) -> Iterator[bytes]:
        return iter(())


def _stage(name: str) -> _Stage | None:
    """The decoder for one encoding; None passes it through (identity, unknown)."""
    if name in ("gzip", "x-gzip"):
        return _Zlib("gzip")
    if name == "deflate":
        return _Zlib("deflate")
    if name in _MODULES:
        module_name, dist = _MODULES[name]
        try:
            module = __import__(module_name)
        except ImportError:
            unasked = msg("body.unasked", name=name, accepted=ACCEPT_ENCODING, module=dist)
            raise BodyError("decoding", unasked) from None
        return _Sliced(name, module)
    return None


class BodyDecoder:
    """Decodes one response body (``Content-Encoding`` value) under the bounds above."""

    def __init__(self, content_encoding: str) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        self.names = names
        # Applied last first: "gzip, br" was gzipped, then brotli'd.
        self._stages = [s for s in (_stage(n) for n in reversed(names)) if s is not None]
        self.raw = 0
        self.decoded = 0

    @property
    def active(self) -> bool:
        """True when the body is really decoded (else feed passes reads through)."""
        return bool(self._stages)

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``raw`` (each at most STEP bytes when decoding)."""
        self.raw += len(raw)
        if not self._stages:
            if raw:
                yield raw
            return
        yield from self._through(0, self._stages[0].feed(raw))

    def flush(self) -> Iterator[bytes]:
        """What the decoders still hold at the end of the body."""
        for i, stage in enumerate(self._stages):
            yield from self._through(i, stage.flush())

    def _through(self, i: int, pieces: Iterator[bytes]) -> Iterator[bytes]:
        """Output of stage ``i`` through the stages after it, counted at the end."""
        for piece in pieces:
            if i + 1 < len(self._stages):
                yield from self._through(i + 1, self._stages[i + 1].feed(piece))
            else:
                yield self._count(piece)

    def _count(self, piece: bytes) -> bytes:
        self.decoded += len(piece)
        used = self._stages[0].used
        if self.decoded > MAX_DECODED or (
            self.decoded > RATIO_FLOOR and self.decoded > BOMB_RATIO * used
        ):
            raise BodyError("too_large", self._bomb_words())
        return piece

    def _bomb_words(self) -> Msg:
        facts = {"enc": ", ".join(self.names), "raw": self._stages[0].used}
        if self.decoded > MAX_DECODED:
            return msg("body.bomb_beyond", limit_mb=MAX_DECODED // (1024 * 1024), **facts)
        return msg("body.bomb_fold", ratio=BOMB_RATIO, mb=self.decoded / 1e6, **facts)
