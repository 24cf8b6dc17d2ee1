"""Progress in words (issue 14): counts, and time left read off the stage's own rate."""

from __future__ import annotations

import io

import pytest

from bundler.cli.progress import TerminalProgress
from bundler.core.progress import StageClock, time_left


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_counts_then_time_left_once_a_few_steps_are_timed():
    clock = FakeClock()
    stage = StageClock(clock)
    stage.start("OCR", 40, "page")
    assert stage.text() == "OCR: page 1 of 40"
    clock.now += 3.0
    stage.advance()
    assert stage.text() == "OCR: page 2 of 40"  # one step is too few to judge the rate
    for _ in range(10):
        clock.now += 3.0
        stage.advance()
    assert stage.text() == "OCR: page 12 of 40 — about 1 min left"  # 29 pages at 3 s each: 87 s
    clock.now += 27 * 3.0
    stage.advance(27)
    assert stage.text() == "OCR: page 39 of 40 — a few seconds left"
    stage.advance()
    assert stage.text() == "OCR: page 40 of 40 — a few seconds left"
    stage.advance()  # all 40 done: nothing left to estimate
    assert stage.text() == "OCR: page 40 of 40"
    stage.start("Stamping page numbers", 0)
    assert stage.text() == "Stamping page numbers"
    stage.start("Exporting", 3)
    assert stage.text() == "Exporting: 1 of 3"  # no unit: just the counts


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(4, "a few seconds left"), (38, "about 40 s left"), (150, "about 2 min left"), (7200, "about 2 h left")],
)
def test_time_left_in_words(seconds, words):
    assert time_left(seconds) == words


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_terminal_bar_says_the_same_words():
    out = Tty()
    progress = TerminalProgress(out)
    progress.stage("OCR", 4, "page")
    for _ in range(3):
        progress.advance()
    progress.close()
    text = out.getvalue()
    assert "OCR: page 1 of 4" in text and "OCR: page 4 of 4" in text and "75%" in text
    assert "left" in text  # after two pages, the time left


def test_rounds_announce_each_stage_once_and_count_on():
    from bundler.core.progress import RoundsProgress

    out = io.StringIO()
    terminal = TerminalProgress(out)
    rounds = RoundsProgress(terminal)
    for _ in range(3):  # three rounds of documents, as LibreOffice hands them over
        rounds.stage("Merging documents", 4, "page")
        rounds.advance(4)
    assert out.getvalue().count("Merging documents") == 1
    assert terminal._clock.done == 12 and terminal._clock.total == 0  # no total: the rounds to come are unknown
