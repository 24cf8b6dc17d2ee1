"""A long core job run in a child process, reporting progress and obeying cancel as if it ran here.

The GUI builds this way. In a worker thread a build's pypdf, zlib and PIL work competes with
the UI thread for the GIL, and the event loop stalled for up to 0.7 s (bench/gui_stall.py);
in a process of its own it competes for nothing. Progress comes back through a pipe, and
cancel goes out as an event the child's stages poll, exactly as they poll a thread's flag:
the child stops its own LibreOffice, Tesseract and pools. A child that has not stopped
``GRACE`` seconds after a cancel is killed.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from typing import Any

from bundler.core.errors import BundlerError, Cancelled
from bundler.core.progress import Progress

__all__ = ["run_isolated", "GRACE"]

GRACE = 5.0  # seconds a cancelled child gets to stop its own children before it is killed
_POLL = 0.05


class _PipeProgress:
    """The Progress protocol in the child: each report a message to the parent."""

    def __init__(self, conn: Connection, cancel: Event) -> None:
        self._conn, self._cancel, self._lock = conn, cancel, threading.Lock()

    def _send(self, message: tuple[Any, ...]) -> None:
        with self._lock:  # stages report from several threads (conversion runs beside redaction)
            self._conn.send(message)

    def stage(self, name: str, total: int, unit: str = "") -> None:
        self._send(("stage", name, total, unit))

    def advance(self, steps: int = 1) -> None:
        self._send(("advance", steps))

    def cancelled(self) -> bool:
        return self._cancel.is_set()


def _error_message(exc: BaseException) -> tuple[Any, ...]:
    """An error as it can cross the pipe: a BundlerError by class, message and attributes."""
    if isinstance(exc, BundlerError):
        return ("error", type(exc), str(exc), dict(vars(exc)))
    return ("crash", f"{exc.__class__.__name__}: {exc}")


def _child(job: Callable[..., Any], args: tuple[Any, ...], conn: Connection, cancel: Event, tmp: str | None) -> None:
    tempfile.tempdir = tmp  # the parent's temporary folder, wherever it was set
    progress = _PipeProgress(conn, cancel)
    try:
        result = job(*args, progress)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        progress._send(_error_message(exc))
    else:
        progress._send(("done", result))
    finally:
        conn.close()


def _rebuilt(cls: type[BundlerError], message: str, state: dict[str, Any]) -> BundlerError:
    """The child's error, as raised there (its own __init__ takes other arguments)."""
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


def _handle(message: tuple[Any, ...], progress: Progress) -> tuple[bool, Any]:
    """(finished?, result) for one message; raises the child's error."""
    kind, payload = message[0], message[1:]
    if kind == "stage":
        progress.stage(*payload)
    elif kind == "advance":
        progress.advance(*payload)
    elif kind == "error":
        raise _rebuilt(*payload)
    elif kind == "crash":
        raise RuntimeError(payload[0])
    else:
        return True, payload[0]
    return False, None


def _kill(proc: Any) -> None:
    proc.kill()
    proc.join(timeout=5)


def run_isolated(job: Callable[..., Any], args: tuple[Any, ...], progress: Progress) -> Any:
    """``job(*args, progress)`` in a child process; its result, or its error raised here."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    cancel = context.Event()
    proc = context.Process(
        target=_child, args=(job, args, send, cancel, tempfile.gettempdir())
    )  # not a daemon: it starts pools
    proc.start()
    send.close()
    cancelled_at: float | None = None
    try:
        while True:
            if cancelled_at is None and progress.cancelled():
                cancel.set()
                cancelled_at = time.monotonic()
            if cancelled_at is not None and time.monotonic() - cancelled_at > GRACE:
                _kill(proc)
                raise Cancelled("Build cancelled; any previous bundle is untouched.")
            if receive.poll(_POLL):
                try:
                    finished, result = _handle(receive.recv(), progress)
                except EOFError:
                    break
                if finished:
                    return result
            elif not proc.is_alive() and not receive.poll():
                break
        raise BundlerError(
            "The build stopped unexpectedly (its process ended). Your project is unchanged; "
            "please build again, and report this if it happens again."
        )
    finally:
        proc.join(timeout=GRACE)
        if proc.is_alive():
            _kill(proc)
        receive.close()
