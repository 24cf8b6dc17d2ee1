"""Redaction spread over processes gives what redaction in order gives.

The same project's PDFs are redacted once in this process and once by a spawned
pool (``POOL_FROM_PAGES`` lowered so a small project goes to it): the cached
redacted files must be the same bytes, the changes the same in the same order.
An error raised in a worker reaches the caller as the same class and one-line
message; a cancelled build leaves no half-written cache entry.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from bundler.core.adding import add_document
from bundler.core.anonymise import spread as spread_module
from bundler.core.anonymise.register import add_person
from bundler.core.anonymise.stage import _Job, _redact_job, anonymised_jobs, redact_prepared
from bundler.core.build.context import BuildContext, BuildOptions
from bundler.core.cache import cache_entries
from bundler.core.convert.chain import Prepared
from bundler.core.errors import Cancelled, SourceError
from bundler.core.model import Bundle, CaseDetails
from bundler.core.progress import NullProgress
from bundler.core.templates import new_bundle

NAME = "Farida Khanum"


def _letter(path: Path, pages: int, seed: int) -> Path:
    canvas = Canvas(str(path))
    for n in range(pages):
        canvas.drawString(72, 760, f"Letter {seed}, page {n + 1}: {NAME} wrote on {n + seed} May.")
        canvas.drawString(72, 740, "Nothing protected on this line.")
        if (n + seed) % 2:
            canvas.drawString(72, 700, f"Ms {NAME.split()[1]} replied.")
        canvas.showPage()
    canvas.save()
    return path


def _bundle(folder: Path, sizes: tuple[int, ...] = (3, 1, 5, 2, 4)) -> Bundle:
    bundle = new_bundle("jr-claim", CaseDetails(f"R ({NAME}) v Wessex Police", "AC-2019-LON-002345"))
    for seed, pages in enumerate(sizes):
        add_document(bundle, folder, _letter(folder / f"letter {seed}.pdf", pages, seed), "C")
    add_person(bundle, NAME, "Aisha", reason="anonymity order")
    return bundle


class _Counting(NullProgress):
    def __init__(self, cancel_after: int | None = None) -> None:
        self.steps, self.cancel_after = 0, cancel_after

    def advance(self, steps: int = 1) -> None:
        self.steps += steps

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.steps >= self.cancel_after


def _redact(
    folder: Path, bundle: Bundle, cache: Path, progress: _Counting | None = None
) -> tuple[BuildContext, dict[str, Prepared]]:
    work = cache.parent / f"{cache.name}-work"
    work.mkdir(exist_ok=True)
    project = folder / "case.bundle.json"
    ctx = BuildContext.make(project, copy.deepcopy(bundle), BuildOptions(cache), work, progress or _Counting())
    jobs = anonymised_jobs(ctx)
    prepared = {job.doc_id: Prepared(job.path, "source-pdf") for job in jobs}
    return ctx, redact_prepared(ctx, jobs, prepared)


def _cached(cache: Path) -> dict[str, bytes]:
    """The redacted copies and sidecars a build reads (not the temporary file of a write a
    killed worker cut short: see the cancel test)."""
    return {p.name: p.read_bytes() for p in sorted(cache.glob("*.redacted.*")) if not p.name.startswith(".")}


def _spy_on_pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of jobs of each pooled run (the real pool still runs them)."""
    calls: list[int] = []
    real = spread_module._pooled

    def pooled(redact, jobs, pages, progress, workers):  # type: ignore[no-untyped-def]
        calls.append(len(jobs))
        return real(redact, jobs, pages, progress, max(2, workers))

    monkeypatch.setattr(spread_module, "_pooled", pooled)
    monkeypatch.setattr(spread_module.os, "cpu_count", lambda: 2)  # two processes even on one core
    return calls


def test_the_pool_makes_the_same_files_and_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _bundle(tmp_path)
    before_cache = tmp_path / "one-cache"
    before_ctx, before = _redact(tmp_path, bundle, before_cache)
    monkeypatch.setattr(spread_module, "POOL_FROM_PAGES", 1)
    pooled = _spy_on_pool(monkeypatch)
    cache = tmp_path / "many-cache"
    ctx, result = _redact(tmp_path, bundle, cache)
    assert pooled == [5]  # the five documents went to the pool
    assert len(_cached(cache)) == 10  # a PDF and its changes per document
    assert _cached(cache) == _cached(before_cache)
    assert ctx.changes == before_ctx.changes and len(ctx.changes) >= 5
    order = [d.id for _, d in bundle.documents()]
    assert [c.doc_id for c in ctx.changes] == sorted((c.doc_id for c in ctx.changes), key=order.index)
    assert {k: v.pdf.name for k, v in result.items()} == {k: v.pdf.name for k, v in before.items()}


def _broken_job(tmp_path: Path, bundle: Bundle, cache: Path) -> _Job:
    doc = next(d for _, d in bundle.documents())
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a PDF at all")
    return _Job(
        doc, Prepared(broken, "source-pdf"), [], [], cache / "x.redacted.pdf", cache / "x.redacted.json", cache, 0
    )


def test_an_error_in_a_worker_is_the_error_in_order(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    broken = _broken_job(tmp_path, bundle, cache)
    with pytest.raises(SourceError) as alone:
        _redact_job(broken)
    with pytest.raises(SourceError) as pooled:
        spread_module._pooled(_redact_job, [broken, broken], [1, 1], NullProgress(), 2)
    assert type(pooled.value) is type(alone.value)
    assert str(pooled.value) == str(alone.value) and "broken.pdf" in str(pooled.value)
    assert "\n" not in str(pooled.value)


def test_the_first_failing_document_in_order_is_the_one_reported(tmp_path: Path) -> None:
    first = SourceError(tmp_path / "first.pdf", "is first", "Fix it")
    later = SourceError(tmp_path / "later.pdf", "is later", "Fix it")
    outcomes = [spread_module._Outcome(failure=spread_module._portable(first)), None]
    with pytest.raises(SourceError, match="first.pdf"):
        spread_module._raise_first_failure(outcomes)
    waiting = [None, spread_module._Outcome(failure=spread_module._portable(later))]
    spread_module._raise_first_failure(waiting)  # the first is not done: it may fail first


def test_a_cancelled_pool_kills_its_workers_and_leaves_nothing_a_build_would_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel kills a worker mid-document; a redaction stored without its sidecar is made again."""
    monkeypatch.setattr(spread_module, "POOL_FROM_PAGES", 1)
    pooled = _spy_on_pool(monkeypatch)
    killed: list[int] = []
    real_stop = spread_module.stop_pool

    def stop(pool):  # type: ignore[no-untyped-def]
        workers = list(pool._processes.values())  # noqa: SLF001 - what stop_pool kills
        real_stop(pool)
        killed.extend(w.exitcode for w in workers)

    monkeypatch.setattr(spread_module, "stop_pool", stop)
    cache, bundle, system_temp = tmp_path / "cache", _bundle(tmp_path, (3,) * 16), tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))  # the spawned workers' temporary folder, were it used
    with pytest.raises(Cancelled):
        _redact(tmp_path, bundle, cache, _Counting(cancel_after=1))
    assert pooled == [16] and killed and all(code is not None for code in killed)  # none left running
    sidecars = {p.name.removesuffix(".redacted.json") for p in cache.glob("*.redacted.json")}
    assert sidecars <= {p.name.removesuffix(".redacted.pdf") for p in cache.glob("*.redacted.pdf")}
    assert len(sidecars) < 16  # cancelled before the last ones were done
    assert not list(system_temp.iterdir())  # what a killed worker left is in the build's folder, removed with it
    _redact(tmp_path, bundle, cache)  # the next build completes what was cut short
    again = _cached(cache)
    _redact(tmp_path, bundle, tmp_path / "fresh")
    assert again == _cached(tmp_path / "fresh")  # the same files as a build never cancelled
    # a worker killed mid-write may leave its temporary file; nothing reads it, and emptying the
    # cache removes it with the copies
    cut = [p for p in cache.iterdir() if p.name.startswith(".")]
    assert all(p.name.endswith(".tmp") for p in cut) and set(cut) <= set(cache_entries(cache))
