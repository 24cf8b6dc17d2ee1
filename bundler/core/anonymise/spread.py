"""Redaction spread over processes, one per core, with the result of doing it in order.

Each document is redacted on its own (``redact``: a module-level function, so a spawned
process can run it). A big enough job goes to a process pool (the "spawn" context, which
the frozen app supports through ``multiprocessing.freeze_support`` in its launchers);
a small one runs here, as starting processes would cost more than it saves.

Whatever the order the workers finish in, the answers come back in the documents' order,
and the error raised is the one the first failing document (in that order) raised, with
its class, message and attributes: a ``LeakError`` or ``SourceError`` reaches the user
as the same one-line message naming the file. Cancel is checked while waiting; then the
workers are killed mid-document (a redaction is stored in two files, each written
atomically, the sidecar last: a half-stored document is redacted again next time) and
the others never start.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

import pypdfium2 as pdfium

from bundler.core.children import collect_for_one_job, stop_pool
from bundler.core.progress import Progress, check_cancel

__all__ = ["POOL_FROM_PAGES", "spread", "page_count"]

POOL_FROM_PAGES = 200  # below this, starting processes costs more than it saves
_MAX_WORKERS = 4
_POLL = 0.25  # seconds between looks at the cancel button while waiting

Job = TypeVar("Job")
Result = TypeVar("Result")
_Failure = tuple[type[BaseException], tuple[Any, ...], dict[str, Any]]


class _Outcome(Generic[Result]):
    """What one document gave: its result, or its error in a form that crosses processes."""

    def __init__(self, result: Result | None = None, failure: _Failure | None = None) -> None:
        self.result, self.failure = result, failure


def _portable(err: Exception) -> _Failure:
    failure: _Failure = (type(err), tuple(err.args), dict(vars(err)))
    try:
        pickle.loads(pickle.dumps(failure))
    except Exception:  # noqa: BLE001 - an error that cannot cross keeps its class's message only
        return (RuntimeError, (f"{type(err).__name__}: {err}",), {})
    return failure


def _rebuilt(failure: _Failure) -> BaseException:
    kind, args, attrs = failure
    err = kind.__new__(kind)
    err.args = args
    err.__dict__.update(attrs)
    return err


def _run(redact: Callable[[Job], Result], job: Job) -> _Outcome[Result]:
    try:
        return _Outcome(result=redact(job))
    except Exception as err:  # noqa: BLE001 - carried back and raised in the documents' order
        return _Outcome(failure=_portable(err))


def page_count(pdf: Path, password: str | None) -> int:
    """Pages of ``pdf`` (0 when it cannot be opened: its redaction will say why)."""
    try:
        document = pdfium.PdfDocument(str(pdf), password=password)
    except pdfium.PdfiumError:
        return 0
    try:
        return len(document)
    finally:
        document.close()


def _workers(pages: Sequence[int]) -> int:
    if sum(pages) < POOL_FROM_PAGES:
        return 0
    return min(os.cpu_count() or 1, len(pages), _MAX_WORKERS)


def spread(
    redact: Callable[[Job], Result], jobs: Sequence[Job], pages: Sequence[int], progress: Progress
) -> list[Result]:
    """``[redact(job) for job in jobs]``, in processes when the ``pages`` they hold are enough."""
    workers = _workers(pages)
    if workers < 2:
        results = []
        for job in jobs:
            check_cancel(progress)
            results.append(redact(job))
            progress.advance()
        return results
    return _pooled(redact, jobs, pages, progress, workers)


def _pooled(
    redact: Callable[[Job], Result], jobs: Sequence[Job], pages: Sequence[int], progress: Progress, workers: int
) -> list[Result]:
    outcomes: list[_Outcome[Result] | None] = [None] * len(jobs)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=collect_for_one_job
    )
    finished = False
    try:
        biggest_first = sorted(range(len(jobs)), key=lambda i: -pages[i])  # the longest do not start last
        futures: dict[Future[_Outcome[Result]], int] = {pool.submit(_run, redact, jobs[i]): i for i in biggest_first}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
            check_cancel(progress)
            for future in done:
                outcomes[futures[future]] = future.result()
                progress.advance()
            _raise_first_failure(outcomes)
        finished = True
        return [outcome.result for outcome in outcomes if outcome is not None]  # type: ignore[misc]
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # cancelled, or a document failed: a worker mid-document is killed, not waited for
            stop_pool(pool)


def _raise_first_failure(outcomes: Sequence[_Outcome[Result] | None]) -> None:
    """Raise the failure in-order redaction would have: once every document before it is done."""
    for outcome in outcomes:
        if outcome is None:
            return
        if outcome.failure is not None:
            raise _rebuilt(outcome.failure)
