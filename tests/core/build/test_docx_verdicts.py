"""A Word file swept clean once is not swept again when the very same bytes are written.

``gated.write_docx`` with ``docx_verdicts``: the sweep's verdict is keyed on the saved
file's bytes, its name, the protected targets and the sweep's own code, and signed
(``VerdictStore``). Any change to one of them sweeps the file in full again; a file
holding a protected name is never written, whatever verdicts exist.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document

from bundler.core.anonymise.schedule import ScheduleRow, _dated, write_schedule_docx
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build import gated
from bundler.core.build.gated import docx_verdicts, write_docx
from bundler.core.errors import LeakError
from bundler.core.model import Person, Register

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha", id="p1")]))
DAY = datetime(2026, 1, 5, tzinfo=timezone.utc)
OTHER = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha", id="p1"), Person("Omar Haddad", "B")]))


def _saver(text: str) -> Callable[[Path], None]:
    """Saves ``text`` as a Word file, every part dated to one day (as the schedule is): python-docx
    dates parts to the two seconds of saving, so two saves may differ by their zip dates alone."""

    def save(path: Path) -> None:
        doc = Document()
        doc.core_properties.author = ""
        doc.core_properties.modified = DAY
        doc.add_paragraph(text)
        buffer = io.BytesIO()
        doc.save(buffer)
        path.write_bytes(_dated(buffer.getvalue(), DAY))

    return save


@pytest.fixture
def sweeps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the real sweep read."""
    seen: list[str] = []
    real = gated.sweep_docx

    def counted(path: Path, targets: list, *, source: str) -> None:  # type: ignore[type-arg]
        seen.append(source)
        real(path, targets, source=source)

    monkeypatch.setattr(gated, "sweep_docx", counted)
    return seen


def test_the_same_bytes_are_swept_once(tmp_path: Path, sweeps: list[str]) -> None:
    dst, store = tmp_path / "schedule.docx", docx_verdicts(tmp_path / "cache")
    write_docx(dst, _saver("Statement of Aisha"), TARGETS, store)
    first = dst.read_bytes()
    write_docx(dst, _saver("Statement of Aisha"), TARGETS, store)
    assert dst.read_bytes() == first  # python-docx saves the same bytes: the verdict applies
    assert sweeps == ["schedule.docx"]


@pytest.mark.parametrize(
    "change",
    ["text", "name", "targets", "sweep code", "no store"],
)
def test_any_change_sweeps_again(
    tmp_path: Path, sweeps: list[str], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    store = docx_verdicts(tmp_path / "cache")
    write_docx(tmp_path / "schedule.docx", _saver("Statement of Aisha"), TARGETS, store)
    dst, text, targets = tmp_path / "schedule.docx", "Statement of Aisha", TARGETS
    if change == "text":
        text = "Statement of Aisha, amended"
    elif change == "name":
        dst = tmp_path / "other schedule.docx"
    elif change == "targets":
        targets = OTHER
    elif change == "sweep code":
        monkeypatch.setattr(gated, "docx_sweep_version", lambda: "a changed sweep")
        store = docx_verdicts(tmp_path / "cache")
    write_docx(dst, _saver(text), targets, None if change == "no store" else store)
    assert len(sweeps) == 2


def test_a_name_is_never_written_whatever_the_verdicts(tmp_path: Path, sweeps: list[str]) -> None:
    dst, store = tmp_path / "schedule.docx", docx_verdicts(tmp_path / "cache")
    write_docx(dst, _saver("Statement of Aisha"), TARGETS, store)
    with pytest.raises(LeakError, match="Nothing was written"):
        write_docx(dst, _saver("Statement of Farida Khanum"), TARGETS, store)
    assert b"Khanum" not in dst.read_bytes()
    assert len(sweeps) == 2


def test_a_forged_verdict_is_not_trusted(tmp_path: Path, sweeps: list[str]) -> None:
    """A verdict copied onto the leaking file's key, its MAC kept: it does not verify."""
    cache, dst = tmp_path / "cache", tmp_path / "schedule.docx"
    store = docx_verdicts(cache)
    write_docx(dst, _saver("Statement of Aisha"), TARGETS, store)
    (clean,) = (cache / "sweep-verdicts").glob("*.verdict")
    leaking = tmp_path / "leaking.docx"
    _saver("Statement of Farida Khanum")(leaking)
    fields = store._fields(gated._docx_digest(leaking.read_bytes(), dst.name), TARGETS)
    forged = {**fields, "mac": json.loads(clean.read_text())["mac"]}
    store._path(fields).write_text(json.dumps(forged))
    assert not store.is_clean(fields["chunk"], TARGETS)
    with pytest.raises(LeakError):
        write_docx(dst, _saver("Statement of Farida Khanum"), TARGETS, store)
    assert len(sweeps) == 2


def test_an_unchanged_schedule_written_again_later_is_not_swept_again(tmp_path: Path, sweeps: list[str]) -> None:
    """The real schedule: saved a few seconds apart, the same rows give the same bytes."""
    rows = [ScheduleRow("A", "Witness statement of Aisha", "12", "person", "replaced with 'Aisha'")]
    dst, store = tmp_path / "AB v X - Redaction schedule.docx", docx_verdicts(tmp_path / "cache")
    write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, store)
    first = dst.read_bytes()
    time.sleep(1.1)  # python-docx would stamp the second it was saved
    write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, store)
    assert dst.read_bytes() == first
    assert sweeps == [dst.name]
    more = ScheduleRow("B", "Letter to Aisha", "20", "person", "redacted")
    write_schedule_docx([*rows, more], "AB v X: Hearing bundle", dst, TARGETS, store)  # a row more
    assert len(sweeps) == 2


def test_a_kept_schedule_is_written_again_as_made_and_swept_unless_its_bytes_were_swept(
    tmp_path: Path, sweeps: list[str]
) -> None:
    """``made``: the Word file made for these rows today is kept and written again without being
    made again. Kept bytes are no more trusted than made ones: a kept file replaced by one that
    names a protected person (a poisoned cache) is swept, and stops the write."""
    rows = [ScheduleRow("A", "Witness statement of Aisha", "12", "person", "replaced with 'Aisha'")]
    dst, store, made = tmp_path / "AB v X - Redaction schedule.docx", docx_verdicts(tmp_path / "v"), tmp_path / "made"
    write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, store, made)
    (kept,) = made.glob("*.schedule.docx")
    assert kept.read_bytes() == dst.read_bytes() and sweeps == [dst.name]
    write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, store, made)
    assert dst.read_bytes() == kept.read_bytes() and sweeps == [dst.name]  # the same bytes: not swept again
    _saver("Schedule: Farida Khanum, page 12")(kept)  # what a build would now write, were it trusted
    before = dst.read_bytes()
    with pytest.raises(LeakError):
        write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, store, made)
    assert dst.read_bytes() == before and len(sweeps) == 2
    other = [*rows, ScheduleRow("B", "Letter to Aisha", "20", "person", "redacted")]
    write_schedule_docx(other, "AB v X: Hearing bundle", dst, TARGETS, store, made)  # other rows: made anew
    assert len(list(made.glob("*.schedule.docx"))) == 2


@pytest.mark.parametrize("damage", ["cut", "empty", "noise"])
def test_a_kept_schedule_that_was_cut_short_or_damaged_is_made_again(tmp_path: Path, damage: str) -> None:
    """A power cut or a sync tool may leave the kept file short or garbled: the schedule is made
    again, as if none were kept, never a crash."""
    rows = [ScheduleRow("A", "Witness statement of Aisha", "12", "person", "replaced with 'Aisha'")]
    dst, made = tmp_path / "AB v X - Redaction schedule.docx", tmp_path / "made"
    write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, None, made)
    good = dst.read_bytes()
    (kept,) = made.glob("*.schedule.docx")
    kept.write_bytes({"cut": good[: len(good) // 2], "empty": b"", "noise": bytes(range(256)) * 40}[damage])
    write_schedule_docx(rows, "AB v X: Hearing bundle", dst, TARGETS, None, made)
    assert dst.read_bytes() == good and kept.read_bytes() == good
