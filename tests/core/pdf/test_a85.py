"""The fast ASCII85 decoder returns what the standard one returns, and fails where it fails."""

from __future__ import annotations

import base64
import io
import random
from collections.abc import Callable

import pypdf.filters
import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

import bundler.core.pdf  # noqa: F401  (installs the decoder)
from bundler.core.pdf.a85 import a85decode

WHITESPACE = b" \n\r\t\x00\x0c"


@pytest.mark.parametrize("seed", range(5))
def test_same_bytes_as_the_standard_decoder(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(400):
        raw = bytes(rng.choice([0, 0, 0, rng.randrange(256)]) for _ in range(rng.randrange(0, 90)))
        encoded = base64.a85encode(raw, adobe=True, wrapcol=rng.choice([0, 1, 7, 75]))
        assert a85decode(encoded, adobe=True, ignorechars=WHITESPACE) == raw


def _outcome(decode: Callable[..., bytes], data: bytes) -> bytes | str:
    """What ``decode`` makes of ``data``: its bytes, or its error's message."""
    try:
        return decode(data, adobe=True, ignorechars=WHITESPACE)
    except ValueError as err:
        return str(err)


@pytest.mark.parametrize(
    "bad",
    [b'<~87cURD]i,"Ebo80~>x', b"<~87c~URD~>", b"<~87czURD~>", b'<~s8W-"s8W-"~>', b"<~87cURD]i", b"<~ab{cd~>"],
)
def test_bad_data_fails_as_the_standard_decoder_does(bad: bytes) -> None:
    assert _outcome(a85decode, bad) == _outcome(base64.a85decode, bad)


def test_pypdf_reads_reportlab_pages_through_it() -> None:
    assert pypdf.filters.a85decode is a85decode  # type: ignore[attr-defined]
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)  # reportlab wraps its content streams in ASCII85
    pdf.drawString(72, 720, "Ascii eighty-five reads the same")
    pdf.save()
    page = PdfReader(buf).pages[0]
    assert "/ASCII85Decode" in str(page["/Contents"].get_object()["/Filter"])
    assert page.extract_text().strip() == "Ascii eighty-five reads the same"


@pytest.mark.parametrize("tail", range(4))
def test_large_inputs_decoded_by_qpdf_are_the_standard_bytes(tail: int) -> None:
    rng = random.Random(tail)
    raw = bytes(rng.choice([0, 0, 0, 0, 0, 0, 0, 0, rng.randrange(256)]) for _ in range(9000))  # "z" groups
    raw += bytes(rng.randrange(256) for _ in range(40000 + tail))
    for wrap in (0, 75):
        encoded = base64.a85encode(raw, adobe=True, wrapcol=wrap)
        assert a85decode(encoded, adobe=True, ignorechars=WHITESPACE) == raw


@pytest.mark.parametrize("bad_tail", [b's8W-"', b"s8W-!u", b"u", b"uuuuu"])
def test_large_bad_inputs_fail_or_decode_as_the_standard_decoder_does(bad_tail: bytes) -> None:
    """An overflowing group or a lone last digit after 40 KB of good data: the qpdf path must
    not quietly decode what the standard decoder refuses."""
    body = base64.a85encode(bytes(random.Random(7).randrange(256) for _ in range(40000)))
    bad = b"<~" + body + bad_tail + b"~>"
    assert _outcome(a85decode, bad) == _outcome(base64.a85decode, bad)


def test_recently_decoded_streams_are_the_same_bytes_and_memory_stays_bounded(monkeypatch) -> None:
    """A stream decoded again (by another reader of the same file) comes from memory: equal
    bytes give the same result, other ignored characters are another question, and what is
    held stays within its budget, the oldest let go."""
    from bundler.core.pdf import a85  # noqa: PLC0415

    recent = a85._Recent()
    monkeypatch.setattr(a85, "_RECENT", recent)
    monkeypatch.setattr(a85, "_HELD_BUDGET", 60_000)
    rng = random.Random(3)
    raws = [bytes(rng.randrange(256) for _ in range(9_000)) for _ in range(6)]
    encoded = [base64.a85encode(raw, adobe=True, wrapcol=75) for raw in raws]
    for raw, enc in zip(raws, encoded, strict=True):
        assert a85decode(enc, adobe=True, ignorechars=WHITESPACE) == raw
        assert a85decode(bytes(bytearray(enc)), adobe=True, ignorechars=WHITESPACE) == raw  # equal, not same
    assert recent._size <= 60_000 and len(recent._held) < len(raws)
    assert recent.get((encoded[-1], WHITESPACE)) == raws[-1] and recent.get((encoded[0], WHITESPACE)) is None
    # the same bytes with newlines not ignored are not what was decoded before: the standard decoder says so
    bad = _outcome(lambda data, **kw: a85decode(data, adobe=True, ignorechars=b" "), encoded[-1])
    assert bad == _outcome(lambda data, **kw: base64.a85decode(data, adobe=True, ignorechars=b" "), encoded[-1])
    assert bad != raws[-1]


def test_the_memory_of_decoded_streams_is_safe_across_threads(monkeypatch) -> None:
    """The app decodes on its worker threads and its window's at once: with a budget that
    evicts all the time, every thread still gets its own stream's bytes, and nothing raises."""
    import threading  # noqa: PLC0415

    from bundler.core.pdf import a85  # noqa: PLC0415

    monkeypatch.setattr(a85, "_RECENT", a85._Recent())
    monkeypatch.setattr(a85, "_HELD_BUDGET", 3_000)
    rng = random.Random(11)
    raws = [bytes(rng.randrange(256) for _ in range(300)) for _ in range(40)]
    encoded = [base64.a85encode(raw, adobe=True) for raw in raws]
    wrong: list[object] = []

    def decode_all(seed: int) -> None:
        order = list(range(len(raws)))
        random.Random(seed).shuffle(order)
        try:
            for _ in range(30):
                for i in order:
                    if a85decode(encoded[i], adobe=True, ignorechars=WHITESPACE) != raws[i]:
                        wrong.append(i)
        except Exception as exc:  # noqa: BLE001 - any failure is this test's finding
            wrong.append(exc)

    threads = [threading.Thread(target=decode_all, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert a85._RECENT._size <= 3_000
