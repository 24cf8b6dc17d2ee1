"""Word first: the chain's choices and failures, with a fake Word (real Word cannot run here).

What these cannot test — Word's COM automation on Windows, Word's AppleScript on macOS, the
registry lookups — is listed in NOTES-issue13.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document as NewDocx

from bundler.core.convert import chain, libreoffice, word
from bundler.core.convert.chain import SourceJob, docx_converter_name, prepare_sources
from bundler.core.errors import BundlerError
from bundler.core.fsutil import sha256_file
from bundler.core.progress import NullProgress
from tests.pdfs import make_pdf


class FakeWord:
    """Stands in for Word: records what it was asked to convert; fails for names in ``fails``."""

    def __init__(self, fails: tuple[str, ...] = ()) -> None:
        self.calls: list[str] = []
        self.fails = fails

    def __call__(self, src: Path, dst: Path, cancelled: object = None) -> None:
        self.calls.append(src.name)
        if src.stem in self.fails:
            raise RuntimeError("Word did not convert it (the document is locked)")
        make_pdf(dst, 2, text="Word")


@pytest.fixture
def statements(tmp_path: Path) -> list[SourceJob]:
    jobs = []
    for name in ("statement", "exhibit note"):
        doc = NewDocx()
        doc.add_paragraph(f"Witness {name}")
        path = tmp_path / f"{name}.docx"
        doc.save(str(path))
        jobs.append(SourceJob(name, path, sha256_file(path), "docx"))
    return jobs


def _use(monkeypatch, fake: FakeWord | None, soffice: Path | None) -> None:
    monkeypatch.setattr(chain, "word_available", lambda: fake is not None)
    if fake is not None:
        monkeypatch.setattr(chain, "convert_with_word", fake)
    monkeypatch.setattr(chain, "find_soffice", lambda: soffice)


@pytest.mark.parametrize(
    "word_here, soffice, choice, expected",
    [
        (True, "/usr/bin/soffice", "auto", "word"),
        (False, "/usr/bin/soffice", "auto", "libreoffice"),
        (False, None, "auto", "builtin"),
        (True, "/usr/bin/soffice", "libreoffice", "libreoffice"),
        (True, None, "builtin", "builtin"),
        (True, None, "word", "word"),
    ],
)
def test_which_converter_the_chain_chooses(monkeypatch, word_here, soffice, choice, expected):
    _use(monkeypatch, FakeWord() if word_here else None, Path(soffice) if soffice else None)
    assert docx_converter_name(choice) == expected


def test_choosing_word_where_there_is_none_says_what_to_do(monkeypatch):
    _use(monkeypatch, None, None)
    with pytest.raises(BundlerError, match="Microsoft Word was chosen .* Choose 'auto'"):
        docx_converter_name("word")


def test_word_converts_each_statement_and_the_report_says_so(monkeypatch, tmp_path, statements):
    fake = FakeWord()
    _use(monkeypatch, fake, None)
    notes: list[str] = []
    done = prepare_sources(statements, tmp_path / "cache", "auto", NullProgress(), notes)
    assert fake.calls == ["statement.docx", "exhibit note.docx"] and notes == []
    assert {p.converter for p in done.values()} == {"word"}
    again = prepare_sources(statements, tmp_path / "cache", "auto", NullProgress(), notes)
    assert all(p.cached for p in again.values()) and len(fake.calls) == 2  # cached by content hash


def test_a_file_word_fails_on_goes_to_the_next_converter(monkeypatch, tmp_path, statements):
    fake = FakeWord(fails=("statement",))
    _use(monkeypatch, fake, None)  # no LibreOffice: the built-in renderer is next
    notes: list[str] = []
    done = prepare_sources(statements, tmp_path / "cache", "auto", NullProgress(), notes)
    assert done["statement"].converter == "builtin" and done["exhibit note"].converter == "word"
    assert notes == [
        "statement.docx: Word did not convert it (the document is locked); the next converter made it instead"
    ]


def test_word_output_that_is_not_a_pdf_is_refused(monkeypatch, tmp_path, statements):
    def broken(src: Path, dst: Path, cancelled: object = None) -> None:
        dst.write_bytes(b"not a pdf")

    _use(monkeypatch, FakeWord(), None)
    monkeypatch.setattr(chain, "convert_with_word", broken)
    notes: list[str] = []
    done = prepare_sources(statements[:1], tmp_path / "cache", "auto", NullProgress(), notes)
    assert done["statement"].converter == "builtin" and "the next converter made it" in notes[0]


def test_the_scripts_word_is_given(tmp_path):
    src, dst = tmp_path / "O'Brien statement.docx", tmp_path / "out.pdf"
    script = word.powershell_script(src, dst)
    assert "New-Object -ComObject Word.Application" in script and "SaveAs2(" in script and ", 17)" in script
    assert "O''Brien statement.docx" in script and "$w.Quit(0)" in script  # quoted; Word always quits
    apple = word.applescript(src, dst)
    assert 'tell application "Microsoft Word"' in apple and "file format format PDF" in apple


def test_word_is_off_here_and_by_setting(monkeypatch):
    monkeypatch.setenv("BUNDLER_NO_WORD", "1")
    assert not word.word_available()


def test_libreoffice_from_a_setting_a_folder_or_a_portable_install(monkeypatch, tmp_path):
    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    soffice = program / "soffice"
    shutil.copy(shutil.which("true") or "/bin/true", soffice)
    monkeypatch.delenv("BUNDLER_SOFFICE", raising=False)
    assert libreoffice.find_soffice(str(soffice)) == soffice
    assert libreoffice.find_soffice(str(tmp_path / "LibreOffice")) == soffice  # its folder will do
    assert libreoffice.find_soffice(str(tmp_path / "nowhere")) is None  # a wrong setting is not ignored
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    monkeypatch.setattr(libreoffice.sys, "platform", "darwin")
    monkeypatch.setattr(libreoffice.Path, "home", lambda: tmp_path / "home")
    mac = tmp_path / "home" / "Applications" / "LibreOffice.app" / "Contents" / "MacOS"
    mac.mkdir(parents=True)
    (mac / "soffice").write_bytes(b"")
    assert libreoffice.find_soffice() == mac / "soffice"  # a per-user install, no admin rights
