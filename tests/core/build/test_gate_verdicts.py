"""Gate verdicts per chunk: a rebuild's gate skips only what a true verdict proves is in the file.

Each document's stored chunk is gated once on its own; the bundle's gate then reads
everything else in full and, for a verified chunk, checks its objects byte for byte
in the written file. Poisoned verdicts and swapped chunks must still stop the build.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

import bundler.core.anonymise.gate.places as places
import bundler.core.anonymise.gate.verdicts as verdicts
import bundler.core.anonymise.gate.vouched as vouched_module
from bundler.core.adding import add_document
from bundler.core.anonymise.gate.gate import require_no_leaks
from bundler.core.anonymise.gate.joins import joinable_pages
from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.gate.vouched import Run, Vouched, chunk_digest, vouched
from bundler.core.anonymise.register import add_person, add_term
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.chunks import verify as verify_module
from bundler.core.build.chunks.splice import chunk_runs
from bundler.core.build.chunks.store import ChunkStore
from bundler.core.build.chunks.verify import verdict_store
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.build.readback import PROBE, Expected, StampReadback, probe_covers, unreadable_stamps
from bundler.core.errors import LeakError
from bundler.core.model import Bundle, CaseDetails
from bundler.core.pdf.pagework import page_box
from bundler.core.pdf.stamp import StampStyle
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.core.build.test_redaction_cache import _letter

STYLE = StampStyle()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    bundle = new_bundle("jr-claim", CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C")
    add_document(bundle, tmp_path, _letter(tmp_path / "reply.pdf", "We reply on behalf of the defendant."), "C")
    add_person(bundle, "Farida Khanum", "Aisha")
    add_term(bundle, "14 Elm Road", category="address")
    path = tmp_path / "case.bundle.json"
    save_project(bundle, path)
    return path


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Vouched]:
    """What each gate run of the bundle found vouched for (the real function, watched)."""
    found: list[Vouched] = []
    real = vouched

    def watched(*args: object) -> tuple[Vouched, object]:
        result = real(*args)  # type: ignore[arg-type]
        if args[2] is not None:  # the bundle's gate, not a chunk's own
            found.append(result[0])
        return result

    monkeypatch.setattr("bundler.core.anonymise.gate.gate.vouched", watched)
    return found


def _build(project: Path, confidential: bool = False) -> Path:
    out = project.parent / ("confidential.pdf" if confidential else "out.pdf")
    options = BuildOptions(cache_dir=project.parent / "cache", output=out, confidential=confidential, force=True)
    build_bundle(project, load_project(project), options)
    return out


def _chunks(project: Path) -> set[Path]:
    return set((project.parent / "cache" / "chunks").glob("*.chunk"))


def _store(project: Path) -> VerdictStore:
    return verdict_store(project.parent / "cache")


def _digest(chunk_file: Path) -> str:
    chunk = ChunkStore(chunk_file.parent.parent).load(chunk_file.stem)
    assert chunk is not None
    return chunk_digest(bytes(chunk.data()), chunk.objects, chunk.pages)


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _targets(project: Path) -> list:  # type: ignore[type-arg]
    return targets_from_register(load_project(project).register)


@pytest.mark.parametrize("processes", [False, True])
def test_a_rebuild_vouches_for_each_document_page_and_reads_the_rest(
    project: Path, seen: list[Vouched], monkeypatch: pytest.MonkeyPatch, processes: bool
) -> None:
    if processes:  # the first build's chunks searched in worker processes, as a big bundle's are
        monkeypatch.setattr("bundler.core.build.chunks.verify._POOL_FROM_PAGES", 0)
    _build(project)
    assert len(list(_store(project).folder.glob("*.verdict"))) == 2
    out = _build(project)
    pages = len(_pdftotext(out).split("\f")) - 1
    assert [v.pages for v in seen] == [{pages - 1, pages}] * 2  # both letters, first build and rebuild
    text = _pdftotext(out)
    assert "Aisha" in text and "Khanum" not in text and "Elm Road" not in text


def test_a_plain_build_reads_back_only_the_pages_no_chunk_read_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A confidential build has no gate, but each chunk's probe was read back alone: the
    bundle's own read-back reads the front matter only, first build and rebuild alike."""
    import bundler.core.build.readback as readback

    asked: list[list[int] | None] = []
    real = readback.unreadable_stamps

    def watched(pdf: Path, expected: list[Expected], style: StampStyle, only: Any = None) -> list[int]:
        if not pdf.name.startswith("chunk-verdict"):  # the bundle's read-back, not a chunk's own
            asked.append(None if only is None else sorted(only))
        return real(pdf, expected, style, only)

    monkeypatch.setattr(readback, "unreadable_stamps", watched)
    out = _build(project, confidential=True)
    pages = len(_pdftotext(out).split("\f")) - 1
    front = list(range(pages - 2))  # the two letters are the last two pages
    assert asked == [front]
    _build(project, confidential=True)
    assert asked == [front, front]
    assert len(list(_store(project).folder.glob("*.verdict"))) == 2  # probe verdicts, no targets
    assert "Khanum" in _pdftotext(out)  # a confidential bundle: nothing redacted


def test_each_new_chunk_is_searched_while_the_build_goes_on(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both letters' chunks went to the worker processes as they were stored, before the
    build reached the search stage; their verdicts are the same as a search at the end gives."""
    from bundler.core.build.chunks.verify import ChunkSearch

    monkeypatch.setattr("bundler.core.build.chunks.verify._POOL_FROM_PAGES", 0)
    at_finish: list[int] = []
    real = ChunkSearch.finish

    def watched(self: ChunkSearch, chunks: list[Any]) -> None:
        at_finish.append(len(self._futures))  # searches already under way
        real(self, chunks)

    monkeypatch.setattr(ChunkSearch, "finish", watched)
    _build(project)
    assert at_finish == [2]
    streamed = {_digest(path) for path in _chunks(project)}
    assert all(_store(project).is_clean(d, _targets(project)) for d in streamed)
    shutil.rmtree(project.parent / "cache")
    monkeypatch.setattr("bundler.core.build.chunks.verify._POOL_FROM_PAGES", 10**6)  # all at the end, here
    _build(project)
    assert at_finish == [2, 0]
    assert {_digest(path) for path in _chunks(project)} == streamed
    assert all(_store(project).is_clean(d, _targets(project)) for d in streamed)


def test_each_verdict_names_its_bytes_targets_and_gate(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(project)
    store, targets = _store(project), _targets(project)
    digests = {_digest(path) for path in _chunks(project)}
    assert len(digests) == 2 and all(store.is_clean(d, targets) for d in digests)
    assert not any(store.is_clean(d, targets[:-1]) for d in digests)  # the register changed
    assert not store.is_clean("0" * 64, targets)  # other bytes
    assert not any(VerdictStore(store.folder, "another-layout").is_clean(d, targets) for d in digests)
    monkeypatch.setattr(verdicts, "gate_version", lambda: "a-newer-gate")
    assert not any(store.is_clean(d, targets) for d in digests)  # the gate changed


def test_a_changed_document_gets_a_new_verdict(project: Path) -> None:
    _build(project)
    before = set(_store(project).folder.glob("*.verdict"))
    _letter(project.parent / "letter.pdf", "A new letter for Farida Khanum, sent again.")
    options = BuildOptions(cache_dir=project.parent / "cache", output=project.parent / "out.pdf", accept_changed=True)
    build_bundle(project, load_project(project), options)
    assert len(set(_store(project).folder.glob("*.verdict")) - before) == 1


def test_a_new_term_gets_new_verdicts(project: Path) -> None:
    _build(project)
    before = set(_store(project).folder.glob("*.verdict"))
    bundle: Bundle = load_project(project)
    add_term(bundle, "claimant", category="other")
    save_project(bundle, project)
    _build(project)
    assert len(set(_store(project).folder.glob("*.verdict")) - before) == 2


def _swap_in_the_original(project: Path) -> tuple[Path, Path]:
    """The public chunk of letter.pdf replaced by its unredacted (confidential) chunk."""
    if not _chunks(project):
        _build(project)
    public = _chunks(project)
    _build(project, confidential=True)
    (plain,) = {p for p in _chunks(project) - public if "Khanum" in _pdftotext_of_chunk(p)}
    (redacted,) = {p for p in public if "Aisha" in _pdftotext_of_chunk(p)}
    _copy_chunk(plain, redacted)
    return plain, redacted


def _copy_chunk(source: Path, target: Path) -> None:
    """``source``'s chunk stored under ``target``'s key, its description's check made for that
    key as the store makes it (a file merely copied is refused by the store: made again)."""
    from bundler.core.build.chunks.store import _read_meta, _stored

    meta, _, _ = _read_meta(source, source.stem)
    chunk = ChunkStore(source.parent.parent).load(source.stem)
    assert chunk is not None
    blob = bytes(chunk.data())
    target.write_bytes(_stored(target.stem, meta, blob) + blob)


def _pdftotext_of_chunk(chunk_file: Path) -> str:
    from bundler.core.build.chunks.verify import _alone
    from bundler.core.pdf.stamp import StampStyle

    chunk = ChunkStore(chunk_file.parent.parent).load(chunk_file.stem)
    assert chunk is not None
    pdf = chunk_file.with_suffix(".pdf")
    _alone(chunk, StampStyle(), pdf)
    try:
        return _pdftotext(pdf)
    finally:
        pdf.unlink()


def _refused(project: Path) -> None:
    out = project.parent / "out.pdf"
    out.unlink(missing_ok=True)
    with pytest.raises(LeakError):
        _build(project)
    assert not out.exists() and not list(project.parent.glob("*.part"))


@pytest.mark.parametrize("processes", [False, True])
def test_a_chunk_swapped_for_the_unredacted_original_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, processes: bool
) -> None:
    _, swapped = _swap_in_the_original(project)
    if processes:
        monkeypatch.setattr("bundler.core.build.chunks.verify._POOL_FROM_PAGES", 0)
    _refused(project)
    assert not _store(project).is_clean(_digest(swapped), _targets(project))  # none for the named chunk
    assert _store(project).is_clean(_digest(swapped), [])  # its probe read back in the confidential build


def _claiming(chunk_file: Path, digest: str) -> None:
    """The stored chunk rewritten, its bytes kept, to claim ``digest`` as its own (its
    description's check made anew, as the store makes it)."""
    from bundler.core.build.chunks.store import _read_meta, _stored

    meta, _, _ = _read_meta(chunk_file, chunk_file.stem)
    chunk = ChunkStore(chunk_file.parent.parent).load(chunk_file.stem)
    assert chunk is not None
    blob = bytes(chunk.data())
    chunk_file.write_bytes(_stored(chunk_file.stem, {**meta, "digest": digest}, blob) + blob)


def test_a_chunk_claiming_a_clean_chunks_digest_is_read_in_full(
    project: Path, seen: list[Vouched], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The public build takes a stored chunk's digest at its word to skip searching it, so
    the bundle's gate must find no verdict for the bytes really there, and read them."""
    _build(project)
    (redacted,) = {p for p in _chunks(project) if "Aisha" in _pdftotext_of_chunk(p)}
    true_digest = _digest(redacted)
    assert _store(project).is_clean(true_digest, _targets(project))
    plain, swapped = _swap_in_the_original(project)
    _claiming(swapped, true_digest)  # the original's bytes, the redacted chunk's verdict claimed
    loaded = ChunkStore(project.parent / "cache").load(swapped.stem)
    assert loaded is not None and loaded.digest == true_digest and _digest(swapped) == _digest(plain)
    searched: list[str] = []
    real = verify_module._searched
    monkeypatch.setattr(verify_module, "_searched", lambda chunk, *a: searched.append("x") or real(chunk, *a))
    _refused(project)
    assert searched == []  # the chunk search believed the claim; the gate did not
    assert seen and len(seen[-1].pages) == 1  # only the reply's page was vouched for


def test_a_forged_clean_verdict_for_a_named_chunk_is_refused(project: Path) -> None:
    plain, _ = _swap_in_the_original(project)
    store = _store(project)
    fields = store._fields(_digest(plain), _targets(project))
    forged = {**fields, "mac": store._mac(b"\x00" * 32, fields)}  # made without the secret
    store._path(fields).write_text(json.dumps(forged), encoding="utf-8")
    assert not store.is_clean(_digest(plain), _targets(project))
    _refused(project)


def test_a_verdict_copied_from_another_chunk_is_refused(project: Path) -> None:
    plain, _ = _swap_in_the_original(project)
    store, targets = _store(project), _targets(project)
    clean = next(p for p in store.folder.glob("*.verdict"))  # a true verdict, of a redacted chunk
    shutil.copyfile(clean, store._path(store._fields(_digest(plain), targets)))
    assert not store.is_clean(_digest(plain), targets)
    _refused(project)


def test_a_true_verdict_does_not_vouch_for_other_bytes_in_the_file(
    project: Path, seen: list[Vouched], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build claims the redacted chunk (truly verified) is in the file; the file holds the original."""
    _build(project)
    (redacted_file,) = {p for p in _chunks(project) if "Aisha" in _pdftotext_of_chunk(p)}
    redacted = ChunkStore(project.parent / "cache").load(redacted_file.stem)
    assert redacted is not None and _store(project).is_clean(_digest(redacted_file), _targets(project))
    genuine = bytes(redacted.data())
    _swap_in_the_original(project)

    def lying_runs(writer: PdfWriter) -> list[Run]:
        runs = chunk_runs(writer)
        return [replace(run, data=lambda: genuine, objects=redacted.objects, pages=redacted.pages) for run in runs]

    monkeypatch.setattr("bundler.core.build.pipeline.chunk_runs", lying_runs)
    _refused(project)
    assert not seen[-1].pages and not seen[-1].objects


@pytest.mark.parametrize(
    "plant",
    [
        b"\n% Farida Khanum\n",  # between objects
        b"\n9999 0 obj\n(Farida Khanum)\nendobj\n",  # an object the cross-reference does not list
        b"\n9998 0 obj\n<< /Length 27 >>\nstream\nBT (Farida Khanum) Tj ET\nendstream\nendobj\n",
    ],
)
def test_what_no_verdict_covers_is_still_read_on_a_rebuild(
    project: Path, seen: list[Vouched], monkeypatch: pytest.MonkeyPatch, plant: bytes
) -> None:
    _build(project)

    def planted_then_gated(
        tmp: Path, targets: list, *, file_name: str | None = None, claims: Any = None, **more: Any
    ) -> None:  # type: ignore[type-arg]
        tmp.write_bytes(tmp.read_bytes() + plant)
        require_no_leaks(tmp, targets, file_name=file_name, claims=claims, **more)

    monkeypatch.setattr("bundler.core.build.gated.require_no_leaks", planted_then_gated)
    _refused(project)
    assert seen[-1].pages  # the documents were vouched for: the plant was found all the same


def test_pypdf_still_reads_a_vouched_page_whose_stamp_could_complete_a_target(
    project: Path, seen: list[Vouched]
) -> None:
    out = _build(project)
    reader, known, targets = PdfReader(out), seen[-1], _targets(project)
    labels = {n: _pdftotext(out).split("\f")[n - 1].split()[-1] for n in known.pages}
    person = [t for t in targets if t.category == "person"]
    assert joinable_pages(reader, known, person) == set()  # digits never complete a name
    digits = {n for n, label in labels.items() if set(label) & set("14")}  # "14 Elm Road"
    assert digits and joinable_pages(reader, known, targets) == digits


def test_a_verdict_names_how_the_bytes_are_cut_into_objects(
    project: Path, seen: list[Vouched], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same verified bytes, claimed with another object table, vouch for nothing."""
    _build(project)

    def recut(writer: PdfWriter) -> list[Run]:  # each run's last object one byte shorter
        runs = chunk_runs(writer)
        return [replace(run, objects=[*run.objects[:-1], _shorter(run.objects[-1])]) for run in runs]

    monkeypatch.setattr("bundler.core.build.pipeline.chunk_runs", recut)
    _build(project)  # clean bundle: it is written, only nothing was vouched for
    assert seen[-1] == Vouched()


def test_the_digest_binds_the_object_table_and_pages() -> None:
    """A store entry whose table was edited (its bytes untouched) is searched again, never vouched."""
    blob, objects = b"<< /A 1 >><< /B 2 >>", [(0, 10, [4, 1]), (10, 20, [])]
    digest = chunk_digest(blob, objects, [0])
    assert digest != chunk_digest(blob, [(0, 10, [5, 1]), (10, 20, [])], [0])
    assert digest != chunk_digest(blob, [(0, 9, [4, 1]), (9, 20, [])], [0])
    assert digest != chunk_digest(blob, objects, [1])
    assert digest == chunk_digest(bytes(blob), [(0, 10, (4, 1)), (10, 20, ())], (0,))


def test_an_object_is_vouched_for_only_where_every_byte_is_the_writers() -> None:
    """``Run.ends``: the object as the writer writes it, spliced numbers and all, byte for byte."""
    blob = b"<< /P  /F  /X (Farida) >>"  # the references go in where the table says
    run = Run(lambda: blob, [(0, len(blob), [6, 0, 10, -2])], 40, {-2: 7}.get, [])
    written = b"40 0 obj\n<< /P 40 0 R /F 7 0 R /X (Farida) >>\nendobj"
    data = b"%PDF-1.7\n" + written + b"\n"
    assert run.ends(data, 9, memoryview(blob), 0) == 9 + len(written)
    assert run.ends(data, 8, blob, 0) is None  # not where the file says
    assert run.ends(data, -len(written) - 1, blob, 0) is None  # an offset below zero: not from the end
    for at in range(9, 9 + len(written)):  # any one byte otherwise
        changed = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
        assert run.ends(changed, 9, blob, 0) is None, at
    assert run.ends(data[: 9 + len(written) - 1], 9, blob, 0) is None  # cut short
    null = Run(lambda: blob, [(0, len(blob), [6, 0, 10, -2])], 40, {}.get, [])
    assert null.ends(b"40 0 obj\n<< /P 40 0 R /F null /X (Farida) >>\nendobj", 0, blob, 0) is not None


def test_references_must_sit_before_stream_data_whatever_the_blob() -> None:
    """``_refs_before_streams`` on a view reads only up to the last reference; it says what the
    whole search (first stream keyword against every reference) says."""
    rng = random.Random(7)
    for _ in range(3000):
        pieces = [
            rng.choice([b"ab", b" ", b"\nstream\n", b"\nstrea", b"m\n", b"<<"]) for _ in range(rng.randint(0, 12))
        ]
        blob = b"".join(pieces)
        start, end = sorted(rng.randint(0, len(blob)) for _ in range(2))
        refs = [v for _ in range(rng.randint(0, 3)) for v in (rng.randint(0, max(0, end - start)), 0)]
        objects = [(start, end, refs)]
        first = blob.find(b"\nstream\n", start, end)
        whole = not (first >= 0 and any(start + offset > first for offset in refs[0::2]))
        assert vouched_module._refs_before_streams(memoryview(blob), objects) == whole, (blob, objects)


def test_the_gate_copies_chunk_bytes_that_could_change_and_only_those() -> None:
    kept = memoryview(b"<< /A 1 >>")
    run = Run(lambda: kept, [(0, 10, [])], 1, {}.get, [])
    assert vouched_module._hashed(run)[0] is kept
    mutable = bytearray(b"<< /A 1 >>")
    run = Run(lambda: memoryview(mutable), [(0, 10, [])], 1, {}.get, [])
    blob, digest = vouched_module._hashed(run)
    mutable[3:5] = b"/B"
    assert bytes(blob) == b"<< /A 1 >>" and digest == chunk_digest(b"<< /A 1 >>", [(0, 10, [])], [])
    strided = memoryview(b"<x<x x/xAx x1x x>x>x")[::2]  # a view of bytes, but not one run of them
    blob, digest = vouched_module._hashed(Run(lambda: strided, [(0, 10, [])], 1, {}.get, []))
    assert blob == b"<< /A 1 >>" and digest == chunk_digest(b"<< /A 1 >>", [(0, 10, [])], [])


def _shorter(entry: tuple[int, int, Sequence[int]]) -> tuple[int, int, Sequence[int]]:
    return entry[0], entry[1] - 1, entry[2]


def test_verdicts_unused_for_long_are_forgotten(project: Path) -> None:
    _build(project)
    store = _store(project)
    old, recent = sorted(store.folder.glob("*.verdict"))
    os.utime(old, (0, 0))
    store.prune()
    assert not old.exists() and recent.exists() and (store.folder / "secret.key").exists()
    _build(project)  # its chunk is searched again: a new verdict under the same key
    assert old.exists()


@pytest.fixture
def pdfium_reads(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[int]]:
    """For each gate run of a bundle (not a chunk's own), the pages PDFium was told a verdict stands for."""
    told: list[frozenset[int]] = []
    real = places.pdfium_pages

    def watched(pdf: Path, *args: Any, vouched: frozenset[int] = frozenset(), **more: Any) -> Any:
        if "chunk-verdict-" not in Path(pdf).name:
            told.append(vouched)
        return real(pdf, *args, vouched=vouched, **more)

    monkeypatch.setattr("bundler.core.anonymise.gate.gate.pdfium_pages", watched)
    return told


def _labels(pdf: Path) -> list[str]:
    return [page.split()[-1] for page in _pdftotext(pdf).split("\f")[:-1]]


def test_a_rebuild_leaves_pdfium_only_the_pages_a_stamp_could_join_into_a_target(
    project: Path, seen: list[Vouched], pdfium_reads: list[frozenset[int]]
) -> None:
    first = _build(project)
    labels = _labels(first)
    out = _build(project)
    known = seen[-1]
    joinable = joinable_pages(PdfReader(out), known, _targets(project))
    assert joinable and joinable < known.pages  # "14 Elm Road": a label with 1 or 4 could complete it
    assert pdfium_reads[-1] == known.pages - joinable  # the others PDFium does not open again
    assert _labels(out) == labels  # every stamp still there, read by poppler
    assert unreadable_stamps(out, [Expected(*_geometry(out, n), label) for n, label in enumerate(labels)], STYLE) == []


def _geometry(pdf: Path, index: int) -> tuple[tuple[float, float, float, float], int]:
    page = PdfReader(pdf).pages[index]
    return page_box(page), page.rotation % 360


def _corner_letter(path: Path) -> Path:
    """A letter with an invisible word in the probe's stamp box, left of where a short label's
    box ends: no ink, so the bundle does not shrink the page; a text extractor reads it."""
    pdf = Canvas(str(path), pagesize=A4)
    pdf.drawString(72, 760, "Dear Sirs, we act for the claimant.")
    text = pdf.beginText(A4[0] - STYLE.right - stringWidth(PROBE, "Helvetica-Bold", STYLE.size), STYLE.bottom + 5)
    text.setFont("Helvetica", 6)
    text.setTextRenderMode(3)  # neither filled nor stroked
    text.textOut("ok")
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return path


def test_a_chunk_whose_probe_stamp_does_not_read_back_gets_no_verdict(
    tmp_path: Path, pdfium_reads: list[frozenset[int]]
) -> None:
    bundle = new_bundle("jr-claim", CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    add_document(bundle, tmp_path, _corner_letter(tmp_path / "corner.pdf"), "C")
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C")
    add_person(bundle, "Farida Khanum", "Aisha")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    out = _build(project)
    labels = _labels(out)
    assert all(probe_covers(label, STYLE) for label in labels)
    corner = next(n for n, page in enumerate(_pdftotext(out).split("\f")) if "Dear" in page and "case" not in page)
    assert len(list(_store(project).folder.glob("*.verdict"))) == 1  # the plain letter's only
    _build(project)
    assert corner + 1 not in pdfium_reads[-1]  # the page whose probe failed is read by PDFium again
    assert pdfium_reads[-1]  # the plain letter's page is not
    assert _labels(out) == labels


def test_in_a_plain_build_a_chunk_whose_probe_does_not_read_back_is_read_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bundler.core.build.readback as readback

    asked: list[list[int]] = []
    real = readback.unreadable_stamps

    def watched(pdf: Path, expected: list[Expected], style: StampStyle, only: Any = None) -> list[int]:
        if not pdf.name.startswith("chunk-verdict"):
            asked.append(sorted(only) if only is not None else list(range(len(expected))))
        return real(pdf, expected, style, only)

    monkeypatch.setattr(readback, "unreadable_stamps", watched)
    bundle = new_bundle("jr-claim", CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    add_document(bundle, tmp_path, _corner_letter(tmp_path / "corner.pdf"), "C")
    add_document(bundle, tmp_path, _letter(tmp_path / "letter.pdf"), "C")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    out = _build(project, confidential=True)
    corner = next(n for n, page in enumerate(_pdftotext(out).split("\f")) if "Dear" in page and "case" not in page)
    assert len(list(_store(project).folder.glob("*.verdict"))) == 1  # the plain letter's only
    last = len(_pdftotext(out).split("\f")) - 2
    _build(project, confidential=True)
    assert corner in asked[-1] and last not in asked[-1]  # the corner page is read from the file, the letter not


def test_a_label_wider_than_the_probe_is_read_back_from_the_file() -> None:
    readback = StampReadback([Expected((0, 0, 595, 842), 0, "1"), Expected((0, 0, 595, 842), 0, "WWWWWWWW")], STYLE)
    readback.vouched(0)
    readback.vouched(1)
    assert readback.seen == {0: True}  # the second page is left to be read from the file


def test_another_stamp_style_keeps_other_verdicts(tmp_path: Path) -> None:
    assert verdict_store(tmp_path).maker != verdict_store(tmp_path, replace(STYLE, size=12)).maker
    assert verdict_store(tmp_path).maker == verdict_store(tmp_path, STYLE).maker


def test_a_verdict_names_each_cut_of_the_same_bytes_apart() -> None:
    """Any change to how the bytes are cut (an object's ends, a reference moved to the next
    object, the pages) names another chunk; the same cut, the same chunk."""
    blob = b"x" * 64
    cut = [(0, 20, [3, 1, 9, -2]), (20, 64, [])]
    digests = {
        chunk_digest(blob, cut, [0]),
        chunk_digest(blob, [(0, 21, [3, 1, 9, -2]), (21, 64, [])], [0]),
        chunk_digest(blob, [(0, 20, [3, 1]), (20, 64, [9, -2])], [0]),
        chunk_digest(blob, [(0, 20, [3, 1, 9, -3]), (20, 64, [])], [0]),
        chunk_digest(blob, cut, [1]),
        chunk_digest(blob, cut, [0, 1]),
        chunk_digest(blob, [*cut, (64, 64, [])], [0]),
        chunk_digest(blob + b"y", cut, [0]),
    }
    assert len(digests) == 8
    assert chunk_digest(blob, cut, [0]) == chunk_digest(bytes(blob), [tuple(o) for o in cut], (0,))


def test_a_build_tidies_the_verdicts_once_a_day(project: Path) -> None:
    _build(project)
    store = _store(project)
    stale = store.folder / f"{'0' * 40}.verdict"  # a verdict on bytes no build places any more
    stale.write_text("{}", encoding="utf-8")
    os.utime(stale, (0, 0))
    _build(project)  # tidied by the first build today: the old verdict is not looked for
    assert stale.exists()
    os.utime(store.folder / ".tidied", (0, 0))
    _build(project)  # a day on: it is
    assert not stale.exists() and len(list(store.folder.glob("*.verdict"))) == 2
