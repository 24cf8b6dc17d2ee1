"""The pictures of the pages to come, read by Tesseract while this page is checked.

The legible stage checks a document's pages in order, and reading the pictures on
pages that have text is most of its time. ``PicturesAhead`` decodes the pictures of
the next few pages here (pypdf stays on this thread) and starts reading them in the
Tesseract pool, so each page's check finds its texts ready, or nearly. What the
stage finds is exactly what reading one page after another finds: a reading
depends only on the picture's pixels, and the pages are still judged in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image
from pypdf import PageObject

from bundler.core.anonymise.pdf.images import ImageReader, pictures

__all__ = ["PicturesAhead"]


class PicturesAhead:
    """Pages ``wanted`` have their pictures decoded and their reading started ``window``
    pages before ``pictures`` asks for them; what decoding raised is raised there."""

    def __init__(
        self, pages: Sequence[PageObject], wanted: Callable[[int], bool], images: ImageReader, window: int
    ) -> None:
        self._pages, self._wanted, self._images, self._window = pages, wanted, images, window
        self._decoded: dict[int, list[Image.Image] | Exception] = {}
        self._next = 0  # the first page not yet looked at

    def pictures(self, index: int) -> list[Image.Image]:
        """The pictures of page ``index``, big enough to hold words, their reading started."""
        self._prime(index + self._window)
        for passed in [k for k in self._decoded if k < index]:  # pages judged without their pictures
            del self._decoded[passed]
        found = self._decoded.pop(index, None)
        if found is None:
            found = self._start(index)
        if isinstance(found, Exception):
            raise found
        return found

    def _prime(self, last: int) -> None:
        while self._next <= min(last, len(self._pages) - 1):
            index, self._next = self._next, self._next + 1
            if self._wanted(index):
                self._decoded[index] = self._start(index)

    def _start(self, index: int) -> list[Image.Image] | Exception:
        try:
            found = pictures(self._pages[index])
        except Exception as err:  # noqa: BLE001 - raised when the page is judged, as reading it in turn would
            return err
        for image in found:
            self._images.start(image)
        return found
