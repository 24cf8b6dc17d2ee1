"""Image bytes are read once per build: the sanitiser reads every image of a new document (to
make its bytes spell no protected name) exactly as the gate reads them, and records the bytes it
found clean (``ImagesRead``, keyed by their sha256, the gate's and the sanitiser's code and the
targets, signed); the search of the chunk then skips only those very bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, NumberObject, StreamObject

from bundler.core.adding import add_document
from bundler.core.anonymise.gate import streams
from bundler.core.anonymise.gate.verdicts import ImagesRead
from bundler.core.anonymise.sanitise.document import sanitise_pages
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register
from tests.conftest import build_saved, claim_bundle
from tests.ocr_pages import scanned_pdf

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha")]))
OTHERS = targets_from_register(Register(people=[Person("Omar Haddad", "Beth")]))


def _image(samples: bytes) -> StreamObject:
    image = DecodedStreamObject()
    image.set_data(samples)
    image[NameObject("/Subtype")] = NameObject("/Image")
    image[NameObject("/Width")] = NumberObject(len(samples))
    image[NameObject("/Height")] = NumberObject(1)
    image[NameObject("/ColorSpace")] = NameObject("/DeviceGray")
    image[NameObject("/BitsPerComponent")] = NumberObject(8)
    return image


def test_the_sanitiser_records_clean_bytes_and_only_those(tmp_path: Path) -> None:
    clean, spelled = bytes(range(256)) * 8, b"\x00\x01 Farida Khanum \x02" * 40
    writer = PdfWriter()
    for samples in (clean, spelled):
        writer._add_object(_image(samples))
    recorded: list[bytes] = []
    sanitise_pages(writer, TARGETS, recorded.append)
    assert recorded == [clean]  # the spelled one was changed, and is read by the gate in full


def test_a_verdict_names_the_very_bytes_and_the_targets(tmp_path: Path) -> None:
    data = bytes(range(256)) * 64
    read = ImagesRead(tmp_path, TARGETS)
    assert not read(data)
    read.record(data)
    assert read(data)
    assert not read(data[:-1] + b"\x01")  # one byte other: read again
    assert not ImagesRead(tmp_path, OTHERS)(data)  # other targets: read again
    assert not ImagesRead(tmp_path, [])(data)  # nothing protected: nothing stands for anything
    for entry in (tmp_path / "verdicts").glob("*.verdict"):  # an edited entry vouches for nothing
        entry.write_text(entry.read_text().replace('"clean"', '"clean "'))
    assert not read(data)


def _runs_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Places whose image bytes the gate read as runs (``streams._image``), watched."""
    seen: list[str] = []
    real = streams._image

    def watched(stream: StreamObject, place: str, read_clean: object = None) -> Iterator[object]:
        for found in real(stream, place, read_clean):  # type: ignore[arg-type]
            if found.place.endswith("(image bytes)"):
                seen.append(found.place)
            yield found

    monkeypatch.setattr(streams, "_image", watched)
    return seen


def test_the_gate_skips_only_bytes_read_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _runs_read(monkeypatch)
    image = _image(bytes(range(256)) * 8)
    list(streams.stream_places(image, "image"))
    list(streams.stream_places(image, "image", lambda data: False))
    assert len(seen) == 2
    list(streams.stream_places(image, "image", lambda data: True))
    assert len(seen) == 2  # read clean before: not read as runs again


def test_a_build_reads_a_scans_bytes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public build of a scan: the sanitiser reads the picture's bytes and the chunk's search
    does not read them again; a gate without the record reads them (the control)."""
    bundle = claim_bundle()
    add_document(bundle, tmp_path, scanned_pdf(tmp_path / "scan.pdf", 2), "C")
    bundle.register.people.append(Person("Farida Khanum", "Aisha", id="p1"))
    bundle.options.ocr = "off"
    seen = _runs_read(monkeypatch)
    report = build_saved(tmp_path / "case.bundle.json", bundle, cache_dir=tmp_path / "cache")
    assert report.leak_gate.startswith("passed")
    assert seen == []  # neither the chunk's search nor the bundle's gate read the scans' bytes again
    assert list((tmp_path / "cache" / "verdicts").glob("*.verdict"))
    from bundler.core.anonymise.gate.gate import leak_scan

    assert not leak_scan(Path(report.output), TARGETS)
    assert len(seen) >= 2  # the control: a gate without the record reads both pictures' bytes
