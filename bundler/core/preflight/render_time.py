"""Pages that take a PDF renderer pathologically long to draw (a "bomb" page).

Each page is rendered by PDFium in a child process that reports every page it finishes;
a page not finished within ``SLOW_SECONDS`` is named, the child is killed and a new one
goes on from the next page. So a bomb page can neither hang the check nor the program.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from bundler.core.preflight.findings import Verdict
from bundler.core.preflight.scan import PreflightContext

__all__ = ["SLOW_SECONDS", "CHILD_FLAG", "slow_pages", "check_render_time", "child_main"]

SLOW_SECONDS = 10.0  # no court bundle page should keep a reader busy this long
_SCALE = 0.25  # a thumbnail: every operator is still run, few pixels are filled


# The child imports PDFium alone (not bundler): it starts in a fraction of the time.
_CHILD = f"""
import sys
import pypdfium2 as pdfium
doc = pdfium.PdfDocument(sys.argv[1])
for index in range(int(sys.argv[2]), len(doc)):
    doc[index].render(scale={_SCALE}).close()
    print(index, flush=True)
"""
# A frozen (PyInstaller) executable has no ``-c``: its entry scripts hand this flag to ``child_main``.
CHILD_FLAG = "--bundler-render-child"


def child_main(argv: list[str]) -> int:
    """The child's work in a frozen executable: ``argv`` is [pdf, first page index]."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(argv[0])
    for index in range(int(argv[1]), len(doc)):
        doc[index].render(scale=_SCALE).close()
        print(index, flush=True)
    return 0


def _child_command(pdf: Path, first: int) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, str(pdf), str(first)]
    return [sys.executable, "-c", _CHILD, str(pdf), str(first)]


def _lines(proc: subprocess.Popen[str], into: queue.Queue[str | None]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        into.put(line)
    into.put(None)


def _child(pdf: Path, first: int) -> tuple[subprocess.Popen[str], queue.Queue[str | None]]:
    proc = subprocess.Popen(
        _child_command(pdf, first),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    done: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_lines, args=(proc, done), daemon=True).start()
    return proc, done


def slow_pages(pdf: Path, count: int, limit: float = SLOW_SECONDS) -> list[int]:
    """The 1-based pages PDFium did not render within ``limit`` seconds each."""
    slow: list[int] = []
    first = 0
    while first < count:
        proc, done = _child(pdf, first)
        try:
            while first < count:
                line = done.get(timeout=limit)
                if line is None:  # the child failed on this page: not slowness, another rule's business
                    first += 1
                    break
                first = int(line) + 1
        except queue.Empty:
            slow.append(first + 1)
            first += 1
        finally:
            proc.kill()
            proc.wait()
    return slow


def check_render_time(ctx: PreflightContext) -> Iterator[Verdict]:
    if ctx.reader.is_encrypted:  # the encryption rule fails it already; the child has no password
        yield Verdict("warn", "Draw times not measured: the file is encrypted. Remove the encryption.")
        return
    slow = slow_pages(ctx.path, len(ctx.pdf))
    if slow:
        yield Verdict(
            "warn",
            f"Page takes a PDF reader over {SLOW_SECONDS:.0f} s to draw: replace it with a re-saved or "
            "printed copy of the document, or the court's readers may hang on it.",
            tuple(slow),
        )
    else:
        yield Verdict("pass", "Every page draws in reasonable time.")
