"""A cancel stops every child at once: LibreOffice (soffice.bin too), Tesseract, pool workers,
Latencies are printed, bounded loosely (< 5 s)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bundler.core.children import stop_pool, wait_any
from bundler.core.convert.libreoffice import convert_batch, find_soffice
from bundler.core.errors import Cancelled
from bundler.core.ocr.pool import TesseractPool
from bundler.core.ocr.tesseract import find_tesseract, run_tesseract
from tests.gui.test_cancel_children import processes_under, statement

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


class Flag:
    """The Progress protocol, cancelled from another thread once ``ready()`` has held for ``after`` s."""

    def __init__(self, ready, after: float = 0.3) -> None:
        self.at: float | None = None
        threading.Thread(target=self._watch, args=(ready, after), daemon=True).start()

    def _watch(self, ready, after: float) -> None:
        deadline = time.monotonic() + 120
        while not ready() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(after)
        self.at = time.perf_counter()

    def stage(self, name: str, total: int, unit: str = "") -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def cancelled(self) -> bool:
        return self.at is not None


@needs_soffice
def test_cancel_kills_soffice_bin_not_only_the_script(tmp_path):
    files = [statement(tmp_path / f"s{n}.docx", 120) for n in range(6)]
    out = tmp_path / "out"
    out.mkdir()
    flag = Flag(lambda: any("soffice.bin" in p for p in processes_under(out)))
    with pytest.raises(Cancelled):
        convert_batch(find_soffice(), files, out, flag, 120, 2)
    assert flag.at is not None
    print(f"LibreOffice cancelled in {time.perf_counter() - flag.at:.2f} s")
    assert processes_under(out) == []  # at once: soffice.bin used to convert on for seconds


def _page_image(path: Path) -> Path:
    """A dense A4 page at 300 dpi: about 5 s of Tesseract (the default bitmap font's specks took 0.3 s)."""
    img = Image.new("L", (2480, 3508), 255)
    draw, font = ImageDraw.Draw(img), ImageFont.load_default(size=30)
    for line in range(80):
        draw.text((100, 100 + line * 40), "The officer wrote the referral on that day " * 3, fill=0, font=font)
    img.save(path)
    return path


@pytest.mark.skipif(find_tesseract() is None, reason="Tesseract is not installed")
def test_cancel_kills_tesseract_mid_page(tmp_path):
    image = _page_image(tmp_path / "page.png")
    flag = Flag(lambda: bool(processes_under(tmp_path)), after=0.2)
    started = time.perf_counter()
    with pytest.raises(Cancelled), TesseractPool(1, flag) as pool:
        pool.result(pool.submit(run_tesseract, find_tesseract(), image, "eng", 300, 300, pool.run))
    assert flag.at is not None
    print(f"Tesseract cancelled in {time.perf_counter() - flag.at:.2f} s (ran {flag.at - started:.2f} s)")
    assert time.perf_counter() - flag.at < 5
    assert processes_under(tmp_path) == []


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_a_cancelled_pool_is_stopped_with_its_workers_killed():
    pool = ProcessPoolExecutor(max_workers=2)
    futures = [pool.submit(_sleep, 60) for _ in range(4)]
    workers = list(pool._processes.values())  # noqa: SLF001 - the test looks at what stop_pool kills
    flag = Flag(lambda: all(w.is_alive() for w in workers) and len(workers) == 2, after=0.2)
    assert wait_any(futures, flag.cancelled) == set()
    stop_pool(pool)
    print(f"pool stopped in {time.perf_counter() - flag.at:.2f} s")
    assert time.perf_counter() - flag.at < 5
    assert not any(w.is_alive() for w in workers)


def _collector() -> tuple[int, bool]:
    import gc

    return gc.get_threshold()[0], gc.get_freeze_count() > 1000


def test_pool_workers_set_their_collector_for_one_job() -> None:
    """Every worker pool of a build starts its processes with ``collect_for_one_job``."""
    import multiprocessing

    from bundler.core.children import collect_for_one_job

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=collect_for_one_job) as pool:
        assert pool.submit(_collector).result(timeout=60) == (20_000, True)
    pools = 0
    for path in (Path(__file__).parents[2] / "bundler").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert text.count("ProcessPoolExecutor(") == text.count("initializer=collect_for_one_job"), path
        pools += text.count("ProcessPoolExecutor(")
    assert pools >= 4  # corner checks, redaction, the chunk search, detection
