"""Words in the pictures of a page that has text: letterheads, signatures, pasted scans.

The OCR stage reads pages that have no text layer. A picture on a page that has
one is read here: every image big enough to hold a word is OCR'd on its own,
and the text is cached under the hash of the image's pixels (the file name says
nothing of what it shows), so a rebuild reads nothing twice.

A picture may be placed sideways or upside down (a scan pasted as it came, a
photo rotated by its placement): it is read in all four orientations at once,
stacked into one image for one Tesseract run.
"""

from __future__ import annotations

import hashlib
import tempfile
from concurrent.futures import Future
from pathlib import Path

from PIL import Image, ImageChops
from pypdf import PageObject
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from bundler.core.anonymise.gate.inline import holds_inline_image
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.ocr.pool import TesseractPool, run_process
from bundler.core.ocr.tesseract import find_tesseract

__all__ = ["holds_words", "pictures", "image_texts", "may_show_pictures", "ImageReader"]

_MIN_WIDTH, _MIN_HEIGHT = 40, 10  # pixels: below this no word is legible
_SMALL = 400  # images narrower or lower than this are enlarged for Tesseract
_TIMEOUT = 60.0
_VERSION = "orientations-1"  # changes the cache key whenever what is read changes
_GAP = 40  # white pixels between the stacked orientations
_TURNED_SIDE = 2000  # pixels: the longest side of a turned reading (the upright one keeps its size)


def holds_words(image: Image.Image) -> bool:
    return image.width >= _MIN_WIDTH and image.height >= _MIN_HEIGHT


def _key(image: Image.Image) -> str:
    digest = hashlib.sha256(f"{_VERSION}{image.mode}{image.size}".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()[:40]


def _on_white(image: Image.Image) -> Image.Image:
    """What the eye sees of a picture with a soft mask: its shapes may be all in the mask."""
    if image.mode in ("LA", "RGBA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return image


def _prepared(image: Image.Image) -> Image.Image:
    grey = _on_white(image).convert("L")
    scale = max(1, min(4, _SMALL // max(1, min(grey.width, grey.height))))
    return _orientations(grey.resize((grey.width * scale, grey.height * scale)) if scale > 1 else grey)


def _orientations(grey: Image.Image) -> Image.Image:
    """``grey`` as it is, turned a quarter each way and upside down, stacked on white."""
    turned = grey
    if max(grey.size) > _TURNED_SIDE:  # a page-sized picture: its other readings at about 170 dpi
        ratio = _TURNED_SIDE / max(grey.size)
        turned = grey.resize((max(1, round(grey.width * ratio)), max(1, round(grey.height * ratio))))
    views = [grey, turned.rotate(90, expand=True), turned.rotate(180), turned.rotate(270, expand=True)]
    width = max(view.width for view in views) + 2 * _GAP
    height = sum(view.height for view in views) + _GAP * (len(views) + 1)
    sheet = Image.new("L", (width, height), 255)
    top = _GAP
    for view in views:
        sheet.paste(view, (_GAP, top))
        top += view.height + _GAP
    return sheet


class ImageReader:
    """OCR of single images, cached by pixels in ``cache`` (a folder).

    With a ``pool`` the reading runs there, one Tesseract per core: ``start`` an
    image early and take its text later with ``text``. The same pixels are read once
    per reader, wherever they appear (a letterhead on every page). A Tesseract that
    fails or is killed caches nothing: an empty reading is never taken for "no words".
    """

    def __init__(self, cache: Path, pool: TesseractPool | None = None) -> None:
        self.cache = cache
        self.exe = find_tesseract()
        self.pool = pool
        self._reading: dict[str, Future[str]] = {}

    @property
    def available(self) -> bool:
        return self.exe is not None

    def start(self, image: Image.Image, *, page: bool = False) -> Future[str]:
        """Begin reading ``image`` (a whole rendered page when ``page``); its text comes later."""
        cached = self.cache / f"{_key(image)}.{'page' if page else 'image'}-ocr.txt"
        if cached.name not in self._reading:
            self._reading[cached.name] = self._begin(image, cached, page)
        return self._reading[cached.name]

    def text(self, image: Image.Image) -> str:
        return self.result(self.start(image))

    def page_text(self, image: Image.Image) -> str:
        """OCR of a whole rendered page (upright, as shown), cached by its pixels."""
        return self.result(self.start(image, page=True))

    def _begin(self, image: Image.Image, cached: Path, page: bool) -> Future[str]:
        if cached.exists() or self.pool is None:
            future: Future[str] = Future()
            try:
                future.set_result(self._read(image, cached, page))
            except Exception as err:  # noqa: BLE001 - raised where the text is taken, as from the pool
                future.set_exception(err)
            return future
        return self.pool.submit(self._read, image, cached, page)

    def result(self, future: Future[str]) -> str:
        """The text ``start`` began reading (a cancel stops the wait)."""
        return self.pool.result(future) if self.pool is not None else future.result()

    def _read(self, image: Image.Image, cached: Path, page: bool) -> str:
        if cached.exists():
            return cached.read_text(encoding="utf-8")
        text = self._recognise(image, page=page)
        atomic_write_bytes(cached, text.encode("utf-8"))
        return text

    def _recognise(self, image: Image.Image, *, page: bool = False) -> str:
        assert self.exe is not None
        with tempfile.TemporaryDirectory(prefix="bundler-image-ocr-") as tmp:
            path = Path(tmp) / "image.png"
            (image.convert("L") if page else _prepared(image)).save(path)
            args = [str(self.exe), str(path), "-", "--psm", "3" if page else "11"]
            run = (self.pool.run if self.pool is not None else run_process)(args, _TIMEOUT)
        if run.returncode != 0:
            raise OSError(f"Tesseract failed on a picture ({run.returncode})")
        return run.stdout


def _content_data(page: PageObject) -> bytes:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, ArrayObject) else [contents] if contents is not None else []
    return b"\n".join(s.get_object().get_data() for s in streams if isinstance(s.get_object(), StreamObject))


def _resources_show_pictures(holder: DictionaryObject, seen: dict[int, object]) -> bool:
    """An image XObject in ``holder``'s resources, or in a form's (with an inline image in its content)."""
    resources = holder.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if xobjects is None:
        return False
    if not isinstance(xobjects, DictionaryObject):
        return True  # malformed: let pypdf's own reading decide
    for name in xobjects:
        entry = xobjects[name].get_object()
        if not isinstance(entry, StreamObject) or id(entry) in seen:
            continue
        seen[id(entry)] = entry
        if entry.get("/Subtype") == "/Image" or holds_inline_image(entry.get_data()):
            return True
        if _resources_show_pictures(entry, seen):
            return True
    return False


def may_show_pictures(page: PageObject) -> bool:
    """False only when ``page`` provably has no picture: no image XObject in its resources
    (forms' resources included, recursively) and no inline image (``BI``) in its content or
    its forms' content. Reading those is far cheaper than pypdf's parse of the whole content
    stream that ``page.images`` does; anything unreadable counts as maybe a picture."""
    try:
        return holds_inline_image(_content_data(page)) or _resources_show_pictures(page, {})
    except Exception:  # noqa: BLE001 - unreadable here: pypdf's own reading decides
        return True


def pictures(page: PageObject) -> list[Image.Image]:
    """Every image on ``page`` (forms included) big enough to hold words, decoded, with its
    ``/Mask`` applied (``_masked``)."""
    if not may_show_pictures(page):
        return []
    found = []
    for image in page.images:
        if image.image is None or not holds_words(image.image):
            continue
        xobject = image.indirect_reference.get_object() if image.indirect_reference is not None else None
        found.append(_masked(image.image, xobject))
    return found


def _masked(image: Image.Image, xobject: object) -> Image.Image:
    """``image`` as painted through its ``/Mask``, which pypdf's decoding leaves out (it applies
    a soft mask only): a stencil mask (a 1-bit image, 0 painting unless ``/Decode [1 0]``) or a
    colour key (sample ranges not painted). A picture all black whose mask is the name shows the
    name; decoded without its mask it shows a black block (round 32). A mask that cannot be
    applied raises: the picture is then one not read (``picture_verdict``: "unreadable"), and the
    page is read from its pixels as drawn, or refused without OCR."""
    mask = xobject.get("/Mask") if isinstance(xobject, DictionaryObject) else None
    mask = mask.get_object() if mask is not None else None
    if isinstance(mask, StreamObject):
        return _stencilled(image, mask)
    if isinstance(mask, ArrayObject):
        return _keyed(image, [int(v) for v in mask], _stored_samples(xobject))
    return image


def _stencilled(image: Image.Image, mask: StreamObject) -> Image.Image:
    width, height = int(mask["/Width"]), int(mask["/Height"])  # type: ignore[call-overload]
    if int(mask.get("/BitsPerComponent", 1)) != 1:
        raise ValueError("a stencil mask is one bit a sample")
    stencil = Image.frombytes("1", (width, height), mask.get_data()).convert("L")  # 0 where the sample is 0
    decode = [int(v) for v in mask.get("/Decode", [0, 1])]
    painted = stencil.point(lambda v: 0 if v else 255) if decode[:2] != [1, 0] else stencil  # 255: painted
    rgba = image.convert("RGBA")
    rgba.putalpha(painted.resize(rgba.size))
    return _on_white(rgba)


_COMPONENTS = {"/DeviceGray": 1, "/CalGray": 1, "/Indexed": 1, "/Separation": 1, "/DeviceRGB": 3, "/CalRGB": 3}
_COMPONENTS |= {"/Lab": 3, "/DeviceCMYK": 4}
_UNPACK = {2: "L;2", 4: "L;4", 8: "L"}  # PIL's raw modes: samples spread over 0-255 (1 bit: "1")


def _stored_samples(xobject: object) -> tuple[list[Image.Image], int] | None:
    """An image's samples as stored, one band a component (before /Decode, a palette or any
    spreading of the bit depth: what a colour key is compared with), each spread over 0-255 as
    ``_UNPACK`` spreads it, and the bits a sample; None where they cannot be had (a JPEG's, 16
    bits, less than a byte a sample of several components, a colour space not known here)."""
    if not isinstance(xobject, StreamObject) or xobject.get("/Filter") in ("/DCTDecode", "/JPXDecode"):
        return None
    space = xobject.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    family = space[0] if isinstance(space, ArrayObject) and space else space
    if family == "/ICCBased":
        count = int(space[1].get_object().get("/N", 0))  # type: ignore[index]
    elif family == "/DeviceN":
        count = len(space[1].get_object())  # type: ignore[index]
    else:
        count = _COMPONENTS.get(str(family), 0)
    bits = int(xobject.get("/BitsPerComponent", 8))
    width, height = int(xobject["/Width"]), int(xobject["/Height"])  # type: ignore[call-overload]
    data = xobject.get_data()
    if count == 1 and bits == 1:
        return [Image.frombytes("1", (width, height), data).convert("L")], 1
    if count == 1 and bits in _UNPACK:
        return [Image.frombytes("L", (width, height), data, "raw", _UNPACK[bits])], bits
    if count > 1 and bits == 8 and len(data) >= width * height * count:
        return [Image.frombytes("L", (width, height), data[k::count][: width * height]) for k in range(count)], 8
    return None


def _keyed(image: Image.Image, ranges: list[int], stored: tuple[list[Image.Image], int] | None = None) -> Image.Image:
    """``image`` with the samples a colour key names made transparent. The key is compared with
    the samples as stored (``stored``: round 34, a ``/Decode [0 0]`` made every sample black
    after the key had hidden all but the letters); failing those, with the decoded picture."""
    if stored is not None:
        spread = 255 // ((1 << stored[1]) - 1)  # a key is in stored values: spread as the samples are
        bands, ranges = stored[0], [v * spread for v in ranges]
    elif image.mode == "1":
        bands = [image.convert("L").point(lambda v: 1 if v else 0)]  # the samples: 0 or 1
    else:
        bands = [image] if image.mode == "P" else list(image.split())
    if len(ranges) < 2 * len(bands):
        raise ValueError("a colour key range for each component")
    hidden = Image.new("L", bands[0].size, 255)  # 255 where every component lies in its range
    for band, low, high in zip(bands, ranges[0::2], ranges[1::2], strict=False):
        inside = band.point(lambda v, low=low, high=high: 255 if low <= v <= high else 0).convert("L")
        hidden = ImageChops.multiply(hidden, inside)
    rgba = image.convert("RGBA")
    rgba.putalpha(ImageChops.invert(hidden).resize(rgba.size))
    return _on_white(rgba)


def image_texts(page: PageObject, reader: ImageReader, decoded: list[Image.Image] | None = None) -> list[str]:
    """The OCR text of every image on ``page`` big enough to hold words (``decoded``: those
    images, when they were decoded ahead), all read at once when ``reader`` has a pool."""
    started = [reader.start(image) for image in (pictures(page) if decoded is None else decoded)]
    return [reader.result(future) for future in started]
