"""Fourth red team: today's speed changes (lazily read chunks taken at their stored digest,
stored redactions shared between documents, detect proving sources in its workers).

Each attack runs the real CLI in-process (``--no-ocr``) and reads what was written with
readers bundler does not use (``pdftotext``, ``qpdf --qdf``, ``strings``; pdfminer when
installed). A refusal with nothing written, or a bundle no reader shows the name in, passes;
a written bundle that shows it fails, with the reader's output.

- Chunk store (``build/chunks/store.py``, ``chunks/verify.py::_unverified``, ``gate/vouched.py``):
  a plain build's chunk (the name unredacted) put in place of the public one, with its own
  digest or claiming the public chunk's; a stream rewritten to draw the name, the file the
  same length and the old digest kept; the file changed after it was loaded and put back
  before the gate hashes it; removed between load and write; cut short or padded; another
  document's chunk in its place; a description (objects, slots, pages, geometry, outline,
  source pages) edited: a clear message, never an internal error (exit 70), and the schedule
  still lists every redaction.
- Stored redactions (``anonymise/stage.py``): a file added twice (one copy with a page
  selection, one with a manual box), a document removed and added back, a renamed copy in a
  second project sharing the cache, a sidecar edited or broken.
- Detect (``detect_pool``): damaged sources (cut cross-reference, an owner-only or user
  password, empty, not a PDF, cut short, junk /Encrypt) read in workers give the same exit
  and hits as in this process, and the hits of a repaired source are what the build redacts.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

import bundler.core.anonymise.detect_pool as detect_pool
import bundler.core.anonymise.gate.vouched as vouched
import bundler.core.build.chunks.splice as splice
from bundler.cli.main import main
from bundler.core.build.chunks.store import _HEAD, _MAGIC, _stored
from bundler.core.errors import ExitCode
from tests.cli.test_redteam3_cli import _assert_not_shown, _readers, _showing
from tests.conftest import require

NAME = "Farida Khanum"

Meta = dict[str, Any]


# ---------------------------------------------------------------- helpers


def _exhibit(path: Path, pages: int = 2, line: str = "Page {n}: Farida Khanum attended the hearing.") -> Path:
    pdf = Canvas(str(path))
    for n in range(pages):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 760, line.format(n=n + 1))
        pdf.showPage()
    pdf.save()
    return path


def _new(project: Path) -> None:
    project.parent.mkdir(parents=True, exist_ok=True)
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0


def _project(folder: Path, exhibits: list[tuple[Path, str]], protect: bool = True) -> Path:
    project = folder / "case.bundle.json"
    _new(project)
    for exhibit, title in exhibits:
        assert main(["add", str(project), str(exhibit), "--section", "D", "--title", title]) == 0
    if protect:
        assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    return project


def _build(project: Path, out: Path, cache: Path) -> int:
    return main(["build", str(project), "-o", str(out), "--cache-dir", str(cache), "--no-ocr"])


def _chunks(cache: Path) -> set[Path]:
    return set((cache / "chunks").glob("*.chunk"))


def _read(path: Path) -> tuple[Meta, bytes]:
    data = path.read_bytes()
    size = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 8], "big")
    return json.loads(data[_HEAD : _HEAD + size]), data[_HEAD + size :]


def _write(path: Path, meta: Meta, blob: bytes, forged: bool = True) -> None:
    """The chunk file rewritten: ``forged``, with its description's check made anew (as the
    store makes it); else with the check it had (an edit by hand, or a damaged file)."""
    meta = {k: v for k, v in meta.items() if k != "size"}
    head = _stored(path.stem, meta, blob)
    if not forged:
        old = path.read_bytes()[len(_MAGIC) + 8 : _HEAD]
        head = head[: len(_MAGIC) + 8] + old + head[_HEAD:]
    path.write_bytes(head + blob)


def _drawing_the_name(meta: Meta, blob: bytes) -> bytes:
    """``blob`` with its first page's Form XObject (the page's drawing, Flate-compressed)
    rewritten in place, uncompressed, to draw the name: every object keeps its length."""
    for start, end, _ in meta["objects"]:
        body = blob[start:end]
        if b"/Subtype /Form" in body and b"/Filter /FlateDecode" in body:
            head, _, rest = body.partition(b"\nstream\n")
            data = rest[: -len(b"\nendstream")]
            drawing = b"BT /F1 14 Tf 72 700 Td (Statement of Farida Khanum.) Tj ET"
            assert len(drawing) <= len(data)
            head = head.replace(b"/Filter /FlateDecode", b" " * len(b"/Filter /FlateDecode"))
            new = head + b"\nstream\n" + drawing.ljust(len(data)) + b"\nendstream"
            assert len(new) == len(body)
            return blob[:start] + new + blob[end:]
    raise AssertionError("no compressed Form XObject in the chunk")


def _public_built(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A public project built once: (project, cache, its one chunk file)."""
    exhibit = _exhibit(tmp_path / "exhibit.pdf")
    project = _project(tmp_path / "case", [(exhibit, "Exhibit")])
    cache = tmp_path / "cache"
    assert _build(project, tmp_path / "first.pdf", cache) == 0
    (chunk,) = _chunks(cache)
    return project, cache, chunk


def _rows(out: Path) -> list[tuple[str, str, str, str]]:
    with Path(f"{out.with_suffix('')} - Redaction schedule.csv").open(encoding="utf-8-sig") as fh:
        return sorted((r["Tab"], r["Document"], r["Page"], r["Category"]) for r in csv.DictReader(fh))


# ---------------------------------------------------------------- 1. chunks taken at their word


@pytest.mark.parametrize("claim", ["its own digest", "the public chunk's digest"])
def test_plain_chunk_put_in_place_of_the_public_one(tmp_path: Path, claim: str) -> None:
    """A build without a register stores the exhibit unredacted; that chunk is copied over
    the public build's chunk (claiming, or not, the public chunk's digest, which has a verdict)."""
    project, cache, public = _public_built(tmp_path)
    plain = _project(tmp_path / "plain", [(tmp_path / "exhibit.pdf", "Exhibit")], protect=False)
    assert _build(plain, tmp_path / "plain.pdf", cache) == 0
    (unredacted,) = _chunks(cache) - {public}
    meta, blob = _read(unredacted)
    assert NAME.encode() in blob or b"FlateDecode" in blob
    if claim != "its own digest":
        meta["digest"] = _read(public)[0]["digest"]
    _write(public, meta, blob)
    out = tmp_path / "again.pdf"
    _assert_not_shown(_build(project, out, cache), out, tmp_path, [NAME])


def test_chunk_stream_rewritten_same_size_keeping_its_digest(tmp_path: Path) -> None:
    """The stored chunk's page drawing rewritten to draw the name: same length, same
    description, the stored digest (which has a verdict) kept: the rebuild takes it at its word."""
    project, cache, chunk = _public_built(tmp_path)
    meta, blob = _read(chunk)
    _write(chunk, meta, _drawing_the_name(meta, blob))
    out = tmp_path / "again.pdf"
    _assert_not_shown(_build(project, out, cache), out, tmp_path, [NAME])


def test_chunk_changed_after_load_and_put_back_before_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the load (description) and the write (bytes) the file becomes one that draws the
    name, the same length; after the write, before the gate hashes it, the original is back."""
    project, cache, chunk = _public_built(tmp_path)
    original = chunk.read_bytes()
    meta, blob = _read(chunk)
    tampered = original[: len(original) - len(blob)] + _drawing_the_name(meta, blob)
    assert len(tampered) == len(original)

    render, run_objects = splice._Placement.render, vouched._run_objects

    def swap_then_render(self: Any, index: int) -> bytes:
        if index == 0:
            chunk.write_bytes(tampered)
        return render(self, index)

    def restore_then_check(*args: Any) -> Any:
        chunk.write_bytes(original)
        return run_objects(*args)

    monkeypatch.setattr(splice._Placement, "render", swap_then_render)
    monkeypatch.setattr(vouched, "_run_objects", restore_then_check)
    out = tmp_path / "again.pdf"
    _assert_not_shown(_build(project, out, cache), out, tmp_path, [NAME])


def test_chunk_removed_between_load_and_write_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, cache, chunk = _public_built(tmp_path)
    render = splice._Placement.render

    def remove_then_render(self: Any, index: int) -> bytes:
        chunk.unlink(missing_ok=True)
        return render(self, index)

    monkeypatch.setattr(splice._Placement, "render", remove_then_render)
    out = tmp_path / "again.pdf"
    code = _build(project, out, cache)
    assert code not in (0, ExitCode.INTERNAL) and not out.exists()
    monkeypatch.undo()
    assert _build(project, out, cache) == 0  # made afresh
    _assert_not_shown(0, out, tmp_path, [NAME])


@pytest.mark.parametrize("how", ["cut short", "padded", "size field grown", "magic broken"])
def test_chunk_file_cut_short_or_padded_is_made_again(tmp_path: Path, how: str) -> None:
    project, cache, chunk = _public_built(tmp_path)
    data = chunk.read_bytes()
    meta, blob = _read(chunk)
    if how == "cut short":
        chunk.write_bytes(data[:-40])
    elif how == "padded":
        chunk.write_bytes(data + b"BT (Farida Khanum) Tj ET")
    elif how == "size field grown":  # the description claims more bytes, and the file has them
        _write(chunk, meta, blob + b"\nBT (Farida Khanum) Tj ET")
    else:
        chunk.write_bytes(b"%bundler-chunk-9\n" + data[len(_MAGIC) :])
    out = tmp_path / "again.pdf"
    code = _build(project, out, cache)
    assert code != ExitCode.INTERNAL
    _assert_not_shown(code, out, tmp_path, [NAME])


def test_chunk_of_another_document_in_its_place(tmp_path: Path) -> None:
    """Two exhibits of one project; the first's chunk file replaced by the second's (another
    page count): the bundle must not show the second exhibit's pages as the first.

    Failed on ba89a64, before the fix: exit 0, tab D1 'First' holds the second exhibit's three pages
    (the chunk file is not checked against the document it is stored for)."""
    first = _exhibit(tmp_path / "first.pdf", 2, "First exhibit page {n}: Farida Khanum.")
    second = _exhibit(tmp_path / "second.pdf", 3, "Second exhibit page {n}: Farida Khanum.")
    cache = tmp_path / "cache"
    project = _project(tmp_path / "case", [(first, "First")])
    assert _build(project, tmp_path / "one.pdf", cache) == 0
    (mine,) = _chunks(cache)
    assert main(["add", str(project), str(second), "--section", "D", "--title", "Second"]) == 0
    assert _build(project, tmp_path / "two.pdf", cache) == 0
    (theirs,) = _chunks(cache) - {mine}
    shutil.copyfile(theirs, mine)
    out = tmp_path / "again.pdf"
    code = _build(project, out, cache)
    assert code != ExitCode.INTERNAL, "a swapped chunk ends in an internal error"
    if code == 0:
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True).stdout.decode()
        assert text.count("First exhibit page") == 2 and text.count("Second exhibit page") == 3, text
    _assert_not_shown(code, out, tmp_path, [NAME])


def _objects(edit: Callable[[int], int]) -> Callable[[Meta], Meta]:
    return lambda m: {
        **m,
        "objects": [[s, e, [edit(x) if i % 2 else x for i, x in enumerate(r)]] for s, e, r in m["objects"]],
    }


_EDITS: dict[str, Callable[[Meta], Meta]] = {
    "objects without their references": lambda m: {**m, "objects": [o[:2] for o in m["objects"]]},
    "objects null": lambda m: {**m, "objects": None},
    "an unknown shared slot": _objects(lambda s: -5 if s == -2 else s),
    "a stamp slot past the pages": _objects(lambda s: -150 if s == -100 else s),
    "a page past the objects": lambda m: {**m, "pages": [0, 99]},
    "pages as a string": lambda m: {**m, "pages": "01"},
    "no pages": lambda m: {**m, "pages": [], "geometry": [], "source_pages": []},
    "geometry for one page of two": lambda m: {**m, "geometry": m["geometry"][:1]},
    "a rotation of 45": lambda m: {**m, "geometry": [[box, 45] for box, _ in m["geometry"]]},
    "a bookmark past the pages": lambda m: {**m, "outline": [[0, "Statement", 7]]},
}


@pytest.mark.parametrize("edit", list(_EDITS))
def test_edited_chunk_description_is_not_an_internal_error(tmp_path: Path, edit: str) -> None:
    """A chunk description edited by hand (the digest kept, so the rebuild takes it at its
    word): the build says what is wrong, or makes the chunk again; never exit 70.

    Failed on ba89a64, before the fix for every edit: exit 70 (ValueError, TypeError, KeyError,
    IndexError from ``ChunkStore.load``, ``attach``, ``chunk_references``, the sanitiser)."""
    project, cache, chunk = _public_built(tmp_path)
    meta, blob = _read(chunk)
    _write(chunk, _EDITS[edit](meta), blob)
    out = tmp_path / "again.pdf"
    code = _build(project, out, cache)
    assert code != ExitCode.INTERNAL, f"{edit}: internal error, see {cache / 'crash.log'}"
    _assert_not_shown(code, out, tmp_path, [NAME])


@pytest.mark.parametrize("edit", ["outline", "notes", "header"])
def test_name_in_a_chunk_description_field_is_not_shown(
    tmp_path: Path, edit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fields outside the digest (bookmarks, notes, the PDF header) edited to hold the name."""
    project, cache, chunk = _public_built(tmp_path)
    meta, blob = _read(chunk)
    meta |= {
        "outline": {"outline": [[0, f"Statement of {NAME}", 0]]},
        "notes": {"notes": [f"{NAME} was here"]},
        "header": {"header": f"%PDF-1.9 {NAME}"},
    }[edit]
    _write(chunk, meta, blob)
    capsys.readouterr()
    out = tmp_path / "again.pdf"
    code = _build(project, out, cache)
    assert NAME not in capsys.readouterr().out
    _assert_not_shown(code, out, tmp_path, [NAME])


def test_edited_source_pages_keep_every_schedule_row(tmp_path: Path) -> None:
    """The chunk's source pages (outside the digest) edited: the schedule of redactions must
    still list the two redactions the bundle holds (or the build must refuse).

    Failed on ba89a64, before the fix: exit 0, and the schedule of redactions has no rows."""
    project, cache, chunk = _public_built(tmp_path)
    assert _rows(tmp_path / "first.pdf") == [("D1", "Exhibit", "3", "person"), ("D1", "Exhibit", "4", "person")]
    meta, blob = _read(chunk)
    _write(chunk, {**meta, "source_pages": [5, 9]}, blob, forged=False)  # a forged check is believed
    out = tmp_path / "again.pdf"
    code = _build(project, out, cache)
    assert code != ExitCode.INTERNAL
    if code == 0:
        assert _rows(out) == [("D1", "Exhibit", "3", "person"), ("D1", "Exhibit", "4", "person")]


# ---------------------------------------------------------------- 2. stored redactions shared


def test_same_file_twice_one_copy_with_a_page_selection(tmp_path: Path) -> None:
    exhibit = _exhibit(tmp_path / "exhibit.pdf", 3)
    project = tmp_path / "case" / "case.bundle.json"
    _new(project)
    assert main(["add", str(project), str(exhibit), "--section", "D", "--title", "Whole"]) == 0
    assert main(["add", str(project), str(exhibit), "--section", "D", "--title", "Part", "--pages", "2"]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    expected = [("D1", "Whole", str(p), "person") for p in (3, 4, 5)] + [("D2", "Part", "6", "person")]
    for n in range(2):  # made, then taken from the cache
        out = tmp_path / f"bundle{n}.pdf"
        assert _build(project, out, tmp_path / "cache") == 0
        assert _rows(out) == expected
        _assert_not_shown(0, out, tmp_path, [NAME])


def test_same_file_twice_a_manual_box_on_one_copy(tmp_path: Path) -> None:
    exhibit = _exhibit(tmp_path / "exhibit.pdf", 2)
    cache = tmp_path / "cache"
    project = _project(tmp_path / "case", [(exhibit, "First copy"), (exhibit, "Second copy")])
    assert _build(project, tmp_path / "before.pdf", cache) == 0
    assert main(["redact-box", str(project), "Second copy", "--page", "2", "--rect", "60,100,300,200",
                 "--reason", "signature", "--cache-dir", str(cache)]) == 0  # fmt: skip
    person = [("D1", "First copy", "3", "person"), ("D1", "First copy", "4", "person")]
    second = [("D2", "Second copy", "5", "person"), ("D2", "Second copy", "6", "person")]
    for n in range(2):
        out = tmp_path / f"bundle{n}.pdf"
        assert _build(project, out, cache) == 0
        rows = _rows(out)
        assert [r for r in rows if r[1] == "First copy"] == person, rows
        boxed = [r for r in rows if r[1] == "Second copy"]
        assert sorted(set(boxed) - set(second)) == [("D2", "Second copy", "6", "manual box")], rows
        assert set(second) <= set(boxed), rows


def test_document_removed_and_added_back_under_another_title(tmp_path: Path) -> None:
    exhibit = _exhibit(tmp_path / "exhibit.pdf", 2)
    other = _exhibit(tmp_path / "other.pdf", 1, "Nothing protected here, page {n}.")
    cache = tmp_path / "cache"
    project = _project(tmp_path / "case", [(exhibit, "Letter"), (other, "Other")])
    assert _build(project, tmp_path / "one.pdf", cache) == 0
    assert _rows(tmp_path / "one.pdf") == [("D1", "Letter", "3", "person"), ("D1", "Letter", "4", "person")]
    assert main(["remove", str(project), "Letter"]) == 0
    assert main(["add", str(project), str(exhibit), "--section", "D", "--title", "Re-added"]) == 0
    out = tmp_path / "two.pdf"
    assert _build(project, out, cache) == 0
    assert _rows(out) == [("D2", "Re-added", "4", "person"), ("D2", "Re-added", "5", "person")]
    _assert_not_shown(0, out, tmp_path, [NAME])


def test_renamed_copy_in_a_second_project_sharing_the_cache(tmp_path: Path) -> None:
    exhibit = _exhibit(tmp_path / "exhibit.pdf", 2)
    renamed = tmp_path / "FK1 exhibit.pdf"
    shutil.copyfile(exhibit, renamed)
    cache = tmp_path / "cache"
    first = _project(tmp_path / "first", [(exhibit, "Letter")])
    second = _project(tmp_path / "second", [(renamed, "Exhibit FK1"), (exhibit, "Letter again")])
    assert _build(first, tmp_path / "first.pdf", cache) == 0
    out = tmp_path / "second.pdf"
    assert _build(second, out, cache) == 0
    assert _rows(out) == [("D1", "Exhibit FK1", p, "person") for p in ("3", "4")] + [
        ("D2", "Letter again", p, "person") for p in ("5", "6")
    ]
    _assert_not_shown(0, out, tmp_path, [NAME])


@pytest.mark.parametrize("how", ["not JSON", "a change without a field", "another document's id", "cut short"])
def test_edited_stored_redaction_sidecar(tmp_path: Path, how: str) -> None:
    """The cached ``*.redacted.json`` edited: a clear message or a correct schedule, never exit 70.

    Failed on ba89a64, before the fix for "not JSON", "a change without a field" and "cut short": exit 70
    (``stage._sidecar`` reads it unguarded)."""
    exhibit = _exhibit(tmp_path / "exhibit.pdf", 2)
    cache = tmp_path / "cache"
    project = _project(tmp_path / "case", [(exhibit, "Letter")])
    assert _build(project, tmp_path / "one.pdf", cache) == 0
    (sidecar,) = cache.glob("*.redacted.json")
    stored = json.loads(sidecar.read_text())
    if how == "not JSON":
        sidecar.write_text("{not json")
    elif how == "a change without a field":
        del stored["changes"][0]["category"]
        sidecar.write_text(json.dumps(stored))
    elif how == "another document's id":
        for change in stored["changes"]:
            change["doc_id"] = "000000000000"
        sidecar.write_text(json.dumps(stored))
    else:
        sidecar.write_text(sidecar.read_text()[:30])
    out = tmp_path / "two.pdf"
    code = _build(project, out, cache)
    assert code != ExitCode.INTERNAL, f"{how}: internal error, see {cache / 'crash.log'}"
    if code == 0:
        assert _rows(out) == [("D1", "Letter", "3", "person"), ("D1", "Letter", "4", "person")]
        _assert_not_shown(0, out, tmp_path, [NAME])


# ---------------------------------------------------------------- 3. detect proving sources in workers


def _encrypted(path: Path, user: str) -> Path:
    require(shutil.which("qpdf") is not None, "qpdf")
    source = _exhibit(path.with_suffix(".src.pdf"), 1, "Farida Khanum, protected copy {n}.")
    subprocess.run(["qpdf", "--encrypt", user, "owner", "256", "--", str(source), str(path)], check=True)
    return path


def _damage(path: Path, kind: str) -> None:
    data = path.read_bytes()
    damaged = {
        "zero bytes": b"",
        "not a PDF": b"hello Farida Khanum, this is not a PDF\n" * 5,
        "cut short": data[: len(data) // 2],
        "xref cut after adding": data[: data.rfind(b"\nxref") + 40],
        "junk /Encrypt": data.replace(
            b"/Root", b"/Encrypt << /Filter /Standard /V 9 /R 9 /O (x) /U (y) /P -4 >> /Root", 1
        ),
    }[kind]
    path.write_bytes(damaged)


def _detect(folder: Path, kind: str, pooled: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[tuple]]:
    project = folder / "case.bundle.json"
    _new(project)
    for title, line in (("A", "Farida Khanum says this."), ("B", "Dear Farida Khanum, hello.")):
        exhibit = _exhibit(folder / f"{title}.pdf", 1, line)
        assert main(["add", str(project), str(exhibit), "--section", "C", "--title", title]) == 0
    x = folder / "x.pdf"
    password: list[str] = []
    if kind == "xref cut":
        data = _exhibit(folder / "x.src.pdf", 2, "Page {n}: Dear Farida Khanum,").read_bytes()
        x.write_bytes(data[: data.rfind(b"\nxref") + 40])
    elif kind.startswith("password"):
        _encrypted(x, "" if kind == "password (owner only)" else "pw")
        password = ["--password", "pw"] if kind == "password (user)" else []
    else:
        _exhibit(x, 1, "Farida Khanum, later damaged.")
    assert main(["add", str(project), str(x), "--section", "C", "--title", "X", *password]) == 0
    assert main(["register", str(project), "add-person", NAME, "--pseudonym", "AB"]) == 0
    if kind not in ("xref cut",) and not kind.startswith("password"):
        _damage(x, kind)
    monkeypatch.setattr(detect_pool, "_POOL_FROM_BYTES", 0 if pooled else 4_000_000)
    hits = folder / "hits.json"
    code = main(["detect", str(project), "--json", str(hits), "--cache-dir", str(folder / "cache")])
    found = json.loads(hits.read_text()) if hits.exists() else []
    return code, sorted((h["document"], h["page"], h["text"]) for h in found)


_KINDS = ["xref cut", "password (owner only)", "password (user)"]
_KINDS += ["zero bytes", "not a PDF", "cut short", "xref cut after adding", "junk /Encrypt"]


@pytest.mark.parametrize("kind", _KINDS)
def test_detect_damaged_source_in_workers_as_in_this_process(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    pooled = _detect(tmp_path / "pooled", kind, True, monkeypatch)
    said = capsys.readouterr()
    alone = _detect(tmp_path / "alone", kind, False, monkeypatch)
    assert pooled[0] != ExitCode.INTERNAL and "Traceback" not in said.err + said.out, said.err
    assert pooled == alone


def test_detect_hits_of_a_repaired_source_are_what_the_build_redacts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source pypdf cannot read (cut cross-reference: qpdf repairs it), proven in a worker:
    every page detect names holds the name, the build redacts each, and nothing is shown."""
    code, hits = _detect(tmp_path / "case", "xref cut", True, monkeypatch)
    assert code == 0
    # Failed on ba89a64, before the fix: the build stops with an internal error (KeyError: '/Size' in
    # redact.py's PdfWriter(clone_from=reader)), with or without detect, pooled or not
    assert {(doc, page) for doc, page, _ in hits} == {("A", 1), ("B", 1), ("X", 1), ("X", 2)}
    out = tmp_path / "bundle.pdf"
    assert _build(tmp_path / "case" / "case.bundle.json", out, tmp_path / "case" / "cache") == 0
    assert sorted((tab, page) for tab, _, page, _ in _rows(out)) == [("C1", "3"), ("C2", "4"), ("C3", "5"), ("C3", "6")]
    hits_shown = _showing(_readers(out, tmp_path), [NAME])
    assert not hits_shown, hits_shown
