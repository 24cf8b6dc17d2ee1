"""Round 41: attacks on the anonymiser as it stands at 381d4bf: page structure the readers may
take apart differently ("Farida Khanum" registered, pseudonym FK).

No leak was found; every attempt holds (``test_held_*``). Each source is a hand-written PDF (so
the bytes, /Length and filters are exactly as stated) with one 612 x 792 page, Helvetica /F1:
"The claimant makes a statement to the court." at y 730 and "The statement of Farida Khanum is
true." at y 700, spread over the page's /Contents as described. pdftotext reads the name in every
source except where stated; the CLI build (``--no-ocr``) either refuses or writes "FK".

HELD (``test_held_*``)
- /Contents array: a stream with a broken /FlateDecode first or between the real streams, an empty
  stream first (poppler skips the broken part and reads on; the bundle reads "FK").
- /Filter [/JBIG2Decode /FlateDecode] or [/Crypt /FlateDecode] on the name's stream: the build
  refuses (poppler reads the name through /Crypt, not through the bogus JBIG2).
- A non-stream (a number, or a string object) between the streams: poppler reads nothing ("Weird
  page contents"); the bundle reads "FK".
- /Length shorter or longer than the data: both readers recover the whole stream; the bundle
  reads "FK".
- /UserUnit 2 and 0.5: the bundle reads "FK".
- Not tried as builds (read off the code): annotations other than links are dropped whole
  (``sanitise.document._filter_annotations``); widgets are drawn into the page before redaction
  (``sanitise.forms.flatten_form``), whatever their field tree; optional content hidden in /D is cut
  (``sanitise.layers``) regardless of /Usage /Print, and content kept is redacted like any other.
"""

from __future__ import annotations

import subprocess
import zlib
from pathlib import Path

import pytest

from tests.cli.test_attacks_round33 import _build, _pdftotext, _reads_name

_TOP = b"BT /F1 14 Tf 72 730 Td (The claimant makes a statement to the court.) Tj ET\n"
_NAME = b"BT /F1 14 Tf 72 700 Td (The statement of Farida Khanum is true.) Tj ET\n"
_BAD = b"x\x9c garbage, not zlib"

Stream = tuple[bytes, bytes, int | None]  # (dictionary entries, data, /Length when it lies)


def _raw(streams: list[Stream], page_extra: bytes = b"", contents: bytes | None = None, extra: bytes = b"") -> bytes:
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    refs = []
    for n, (entries, data, length) in enumerate(streams, start=5):
        size = len(data) if length is None else length
        objs[n] = b"<< " + entries + b" /Length %d >>\nstream\n" % size + data + b"\nendstream"
        refs.append(b"%d 0 R" % n)
    if extra:
        objs[5 + len(streams)] = extra
    listed = contents if contents is not None else b"[" + b" ".join(refs) + b"]"
    objs[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >>"
        + b" /Contents "
        + listed
        + b" "
        + page_extra
        + b" >>"
    )
    out, offsets = bytearray(b"%PDF-1.7\n"), {}
    for key in sorted(objs):
        offsets[key] = len(out)
        out += b"%d 0 obj\n" % key + objs[key] + b"\nendobj\n"
    start, size = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[k] for k in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, start)
    return bytes(out)


_CASES = {
    "broken_flate_first": (_raw([(b"/Filter /FlateDecode", _BAD, None), (b"", _TOP + _NAME, None)]), True, False),
    "broken_flate_between": (
        _raw([(b"", _TOP, None), (b"/Filter /FlateDecode", _BAD, None), (b"", _NAME, None)]),
        True,
        False,
    ),
    "empty_stream_first": (_raw([(b"", b"", None), (b"", _TOP + _NAME, None)]), True, False),
    "jbig2_before_flate": (
        _raw([(b"", _TOP, None), (b"/Filter [/JBIG2Decode /FlateDecode]", zlib.compress(_NAME), None)]),
        False,
        True,
    ),
    "crypt_before_flate": (
        _raw([(b"", _TOP, None), (b"/Filter [/Crypt /FlateDecode]", zlib.compress(_NAME), None)]),
        True,
        True,
    ),
    "number_between_streams": (
        _raw([(b"", _TOP, None), (b"", _NAME, None)], contents=b"[5 0 R 42 6 0 R]"),
        False,
        False,
    ),
    "string_object_between_streams": (
        _raw([(b"", _TOP, None), (b"", _NAME, None)], contents=b"[5 0 R 7 0 R 6 0 R]", extra=b"(hello)"),
        False,
        False,
    ),
    "length_short": (_raw([(b"", _TOP + _NAME, len(_TOP) + 20)]), True, False),
    "length_long": (_raw([(b"", _TOP + _NAME, len(_TOP + _NAME) + 200)]), True, False),
    "user_unit_2": (_raw([(b"", _TOP + _NAME, None)], page_extra=b"/UserUnit 2"), True, False),
    "user_unit_half": (_raw([(b"", _TOP + _NAME, None)], page_extra=b"/UserUnit 0.5"), True, False),
}


def _poppler(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


@pytest.mark.parametrize("case", sorted(_CASES))
def test_held_page_structure_cli(tmp_path: Path, case: str) -> None:
    data, source_reads, refused = _CASES[case]
    source = tmp_path / "probe.pdf"
    source.write_bytes(data)
    assert _reads_name(_poppler(source)) == source_reads, "guard: what poppler reads in the source"
    out = _build(tmp_path / "b", lambda path: path.write_bytes(data), False)
    assert (out is None) == refused, "guard: the build refuses where it did"
    if out is not None:
        text = _pdftotext(out)
        assert not _reads_name(text), f"pdftotext reads the name in the public bundle: {text!r}"
        assert "FK" in text
