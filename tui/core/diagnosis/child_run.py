"""The console's first check run, in a child process started before the console is built.

Why (issue 14): building the console (importing Textual, styling the first frame)
keeps one core busy for ~300 ms, and the checks need ~150 ms of their own imports
before the first request leaves. Run in the same process they wait for each other;
started as soon as the target is resolved, in their own interpreter, they run on
the other core, exactly as ``gateway-doctor check`` runs them.

The parent writes one frame to the child's stdin (the target, key included, and
the secrets to mask: through the pipe, never argv; the key variables are left out
of a new interpreter's environment and dropped from a fork's ``os.environ``, though a
fork's /proc environ is the console's own) and keeps
stdin open: when it closes (the console quit, or died) the child exits. The child
writes frames to its stdout: ``started`` and ``exchange`` (masked exchanges, as its
log records them), ``event`` (the engine's events), then ``final`` (what the end of
the run changed on the exchanges: notes, "not needed"; and the report) or ``error``.
Its exchange ids are below :data:`CHILD_IDS`; the console numbers its own above.

Frames are ``pickle``: both ends are this program, over a pipe only they hold, and
what the gateway sent is data inside the objects, never pickle code. A frame is
bounded (:data:`MAX_FRAME`); anything unexpected ends the child run and the console
runs the checks itself instead (:class:`ChildRun` reports ``failed``).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

#: length prefix of every frame
_HEAD = struct.Struct("!I")
#: one frame at most: exchanges are bounded (MAX_STORED_BODY, packed) well below this
MAX_FRAME = 64 * 1024 * 1024
#: The child's exchange ids are ex-0001 .. ex-1000 (a run makes a few dozen at most);
#: the console, taking its run, numbers its own from ex-1001 (no id is used twice).
CHILD_IDS = 1000

Deliver = Callable[[str, Any], None]


def write_frame(out: IO[bytes], kind: str, payload: Any) -> None:
    data = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEAD.pack(len(data)) + data)
    out.flush()


def read_frame(src: IO[bytes]) -> tuple[str, Any] | None:
    """The next frame, or None at the end of the stream (or a cut or oversized one)."""
    head = _read_exactly(src, _HEAD.size)
    if head is None:
        return None
    (size,) = _HEAD.unpack(head)
    if size > MAX_FRAME:
        return None
    data = _read_exactly(src, size)
    if data is None:
        return None
    frame = pickle.loads(data)  # noqa: S301 - our own child, over our own pipe (see above)
    if not (isinstance(frame, tuple) and len(frame) == 2 and isinstance(frame[0], str)):
        return None
    return frame


def _read_exactly(src: IO[bytes], size: int) -> bytes | None:
    parts: list[bytes] = []
    left = size
    while left:
        chunk = src.read(left)
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


class ChildRun:
    """A first check run going on in a child process; frames kept until attached.

    The reader thread keeps what arrives before the console is ready to take it;
    :meth:`attach` hands those over and passes the next ones straight on (from the
    reader thread: the taker hops to its own loop). The last frame is always
    ``final``, ``error`` or ``failed`` (the child ended without a word).
    """

    def __init__(self, proc: subprocess.Popen[bytes] | Forked, target: Any) -> None:
        self.proc = proc
        self.target = target
        self._lock = threading.Lock()
        self._kept: list[tuple[str, Any]] = []
        self._deliver: Deliver | None = None
        self._reader = threading.Thread(target=self._read, name="child-run", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        last = ""
        try:
            while last not in ("final", "error"):
                frame = read_frame(self.proc.stdout)
                if frame is None:
                    break
                last = frame[0]
                self._pass(frame)
        except Exception:  # noqa: BLE001 - a broken child means: run the checks here
            last = ""
        if last not in ("final", "error"):
            self._pass(("failed", None))
        self._close_stdin()  # done: the child leaves by itself
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.cancel()
        self.proc.stdout.close()

    def _pass(self, frame: tuple[str, Any]) -> None:
        with self._lock:
            deliver = self._deliver
            if deliver is None:
                self._kept.append(frame)
                return
        deliver(*frame)

    def attach(self, deliver: Deliver) -> None:
        """Hand over the frames so far, in order, then pass the next ones on."""
        with self._lock:
            kept, self._kept = self._kept, []
            for frame in kept:
                deliver(*frame)
            self._deliver = deliver

    def _close_stdin(self) -> None:
        try:
            if self.proc.stdin is not None and not self.proc.stdin.closed:
                self.proc.stdin.close()
        except OSError:
            pass

    def cancel(self) -> None:
        """Stop the child now (it also stops by itself when its stdin closes)."""
        self._close_stdin()
        if self.proc.poll() is None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass


def start_child_run(target: Any, secrets: frozenset[str] | None = None) -> ChildRun | None:
    """Start the first check run for ``target`` in a child process; None when it cannot
    start (the console then runs the checks itself, as before)."""
    from tui.core.safe import masking

    given = masking.registered_secrets() if secrets is None else secrets
    try:
        if can_fork():
            return ChildRun(_fork(target), target)
        return ChildRun(_spawn(target, given), target)
    except (OSError, ValueError, pickle.PicklingError):
        return None


def can_fork() -> bool:
    """Linux, and this process has no other thread (a fork then copies no lock another
    thread holds): the child is a copy with this process's imports and secrets, ~60 ms
    sooner at its first request than a new interpreter. Elsewhere (macOS frameworks,
    Windows; the demo's gateway thread) a new interpreter."""
    return sys.platform == "linux" and threading.active_count() == 1


#: What the new interpreter runs: isolated (-I: no current directory, no user site, no
#: PYTHONPATH on sys.path, where a planted ``tui`` package would be imported instead
#: and handed the key). The directory this very package was imported from comes first
#: (the child runs the console's own code, not another installed copy), unless it is on
#: the path already (an installed package: site-packages stays after the standard library).
_SPAWN = (
    "import sys; {here!r} in sys.path or sys.path.insert(0, {here!r}); "  # not-ui-text: code
    "from tui.core.diagnosis.child_run import child_main; raise SystemExit(child_main())"
)


def _spawn(target: Any, secrets: frozenset[str]) -> subprocess.Popen[bytes]:
    from tui.core.setup.target import KEY_ENV_VARS

    env = {k: v for k, v in os.environ.items() if k not in KEY_ENV_VARS}  # it has its key
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    proc = subprocess.Popen(
        [sys.executable, "-I", "-c", _SPAWN.format(here=here)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the console draws on this terminal
        env=env,
        close_fds=True,
    )
    if proc.stdin is None:  # pragma: no cover - asked for above
        raise OSError("no pipe")  # not-ui-text: never shown (start_child_run returns None)
    try:
        write_frame(proc.stdin, "target", (target, sorted(secrets)))
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


def _fork(target: Any) -> Forked:
    # What both sides import (asyncio for Textual and the engine, the console's log and
    # the checks' details): once, here, rather than each on its own after the fork
    # (~35 ms of CPU the two share; the child's first request comes that much sooner).
    import asyncio  # noqa: F401

    import tui.core.diagnosis.detail  # noqa: F401
    import tui.core.diagnosis.events  # noqa: F401
    import tui.core.net.exchange  # noqa: F401

    to_child, to_us = os.pipe()  # (read end, write end): our orders
    from_child, from_them = os.pipe()  # its frames
    pid = os.fork()
    if pid == 0:  # the child: never back into the caller's code
        code = 1
        try:
            os.close(to_us)
            os.close(from_child)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):  # never the console's terminal
                os.dup2(null, fd)
            os.close(null)
            from tui.core.setup.target import KEY_ENV_VARS

            for name in KEY_ENV_VARS:  # it has its key (the target)
                os.environ.pop(name, None)
            code = serve(target, to_child, os.fdopen(from_them, "wb"))
        finally:
            os._exit(code)
    os.close(to_child)
    os.close(from_them)
    return Forked(pid, to_us, from_child)


class Forked:
    """What :class:`ChildRun` uses of ``Popen``, for a forked child."""

    def __init__(self, pid: int, stdin_fd: int, stdout_fd: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._reaping = threading.Lock()
        self.stdin: IO[bytes] | None = os.fdopen(stdin_fd, "wb")
        self.stdout: IO[bytes] | None = os.fdopen(stdout_fd, "rb")

    def poll(self) -> int | None:
        with self._reaping:  # the reader thread and the console may both ask
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:
                    self.returncode = -1  # reaped by someone else
                    return self.returncode
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["child-run"], timeout or 0)
            time.sleep(0.005)
        return code

    def kill(self) -> None:
        with self._reaping:  # never a signal to a pid reaped (and reused) meanwhile
            if self.returncode is None:
                os.kill(self.pid, signal.SIGKILL)


# ----- the child ------------------------------------------------------------------------
def _exit_when_parent_goes(fd: int) -> None:
    """The parent closes our stdin to stop us (or dies): leave at once. (``os.read`` on
    the descriptor: a daemon thread blocked in the buffered reader would abort the
    interpreter's own exit.)"""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os._exit(0)


def child_main() -> int:
    """A new interpreter's child: read the target and secrets, then :func:`serve`."""
    stdin = sys.stdin.buffer
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never land in the frames
    frame = read_frame(stdin)
    if frame is None or frame[0] != "target":
        return 2
    target, secrets = frame[1]
    from tui.core.safe import masking

    for secret in secrets:
        masking.register_secret(secret)
    return serve(target, stdin.fileno(), out)


#: What the end of a run changes on an exchange already sent (notes, "not needed").
ENDED_FIELDS = ("note", "note_messages", "error", "error_kind", "error_message")


def ended(ex: Any) -> tuple[str, tuple[Any, ...]]:
    """An exchange's id and :data:`ENDED_FIELDS` as the run ended: the final frame sends
    these, not the exchanges again (a gateway's 9 MB bodies would go twice)."""
    return ex.id, tuple(getattr(ex, name) for name in ENDED_FIELDS)


def serve(target: Any, orders: int, out: IO[bytes]) -> int:
    """Run the checks, writing what they record (see the module docstring); leave at
    once when ``orders`` (the parent's end) closes."""
    import asyncio
    from dataclasses import replace

    threading.Thread(target=_exit_when_parent_goes, args=(orders,), daemon=True).start()
    from tui.core.diagnosis.engine import run_checks
    from tui.core.net.exchange import ExchangeLog
    from tui.core.safe import masking

    if not gc.isenabled():  # a fork of a console starting up (tui/commands/console.py)
        gc.freeze()
        gc.enable()
    lock = threading.Lock()

    def send(kind: str, payload: Any) -> None:
        with lock:
            write_frame(out, kind, payload)

    log = ExchangeLog()
    log.subscribe_started(lambda ex: send("started", ex))
    log.subscribe(lambda ex: send("exchange", ex))
    try:
        report = asyncio.run(run_checks(target, log, on_event=lambda ev: send("event", ev)))
        report.target = replace(report.target, api_key="")  # the parent has its own
        send("final", ([ended(ex) for ex in log.all()], report))
    except (BrokenPipeError, KeyboardInterrupt):
        return 1
    except Exception as exc:  # noqa: BLE001 - said to the parent, masked; never a traceback
        send("error", masking.mask(f"{type(exc).__name__}: {exc}"))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(child_main())
