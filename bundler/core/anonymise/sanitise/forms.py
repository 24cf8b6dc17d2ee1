"""Flatten form fields: draw each widget's appearance into its page, then drop the form.

A filled-in form must still show its values once the fields are gone, so each visible
widget's normal appearance is painted as a form XObject where the widget sat (the
appearance's bounding box, after its /Matrix, mapped onto the widget's /Rect — the
PDF specification's own rule). Where a value has no appearance yet, or the form asks
viewers to regenerate them (/NeedAppearances), pypdf generates one from the value first.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from bundler.core.build.chunks.splice import ChunkObject
from bundler.core.naming import plural

__all__ = ["flatten_form"]

_HIDDEN = 2 | 32  # annotation flags Hidden and NoView


def _get(obj: Any, key: str) -> Any:
    value = obj.get(key) if isinstance(obj, DictionaryObject) else None
    return value.get_object() if isinstance(value, IndirectObject) else value


def _inherited(widget: DictionaryObject, key: str) -> Any:
    node: Any = widget
    for _ in range(32):  # a field tree deeper than this is broken or hostile
        if not isinstance(node, DictionaryObject):
            return None
        if key in node:
            return _get(node, key)
        node = _get(node, "/Parent")
    return None


def _field_name(widget: DictionaryObject) -> str:
    parts, node = [], widget
    for _ in range(32):
        if not isinstance(node, DictionaryObject):
            break
        if "/T" in node:
            parts.append(str(_get(node, "/T")))
        node = _get(node, "/Parent")
    return ".".join(reversed(parts))


def _appearance(widget: DictionaryObject) -> StreamObject | None:
    normal = _get(_get(widget, "/AP"), "/N")
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        normal = _get(normal, str(widget.get("/AS", "/Off")))
    return normal if isinstance(normal, StreamObject) and "/BBox" in normal else None


def _refresh(writer: PdfWriter, page: Any, widget: DictionaryObject, regenerate: bool, notes: list[str]) -> None:
    """Give a text or choice field's value an appearance when it has none or may be stale."""
    value = _inherited(widget, "/V")
    if _inherited(widget, "/FT") not in ("/Tx", "/Ch") or not value or (_appearance(widget) and not regenerate):
        return
    shown = [str(v) for v in value] if isinstance(value, ArrayObject) else str(value)
    try:
        writer.update_page_form_field_values(page, {_field_name(widget): shown}, auto_regenerate=False)
    except Exception as exc:  # noqa: BLE001 - pypdf's generator has many failure modes; the old look stays
        notes.append(f"could not redraw form field '{_field_name(widget)}' ({exc}); kept its stored look")


def _placement(rect: Any, appearance: StreamObject) -> str:
    """The ``cm`` that maps the transformed appearance box onto the widget's rectangle."""
    x0, x1, y0, y1 = sorted(map(float, rect[0::2])) + sorted(map(float, rect[1::2]))
    a, b, c, d, e, f = (float(v) for v in appearance.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    box = [float(v) for v in _get(appearance, "/BBox")]
    xs = [a * x + c * y + e for x in box[0::2] for y in box[1::2]]
    ys = [b * x + d * y + f for x in box[0::2] for y in box[1::2]]
    sx = (x1 - x0) / (max(xs) - min(xs)) if max(xs) > min(xs) else 1.0
    sy = (y1 - y0) / (max(ys) - min(ys)) if max(ys) > min(ys) else 1.0
    return f"{sx:.6f} 0 0 {sy:.6f} {x0 - min(xs) * sx:.4f} {y0 - min(ys) * sy:.4f} cm"


def _page_xobjects(page: Any) -> DictionaryObject:
    """The page's own /XObject resources, copying inherited /Resources onto the page first."""
    if "/Resources" not in page:
        page[NameObject("/Resources")] = DictionaryObject(_inherited(page, "/Resources") or {})
    resources = _get(page, "/Resources")
    if not isinstance(_get(resources, "/XObject"), DictionaryObject):
        resources[NameObject("/XObject")] = DictionaryObject()
    return _get(resources, "/XObject")  # type: ignore[no-any-return]


def _draw(writer: PdfWriter, page: Any, widget: DictionaryObject) -> bytes | None:
    appearance = _appearance(widget)
    if appearance is None or "/Rect" not in widget or int(widget.get("/F", 0)) & _HIDDEN:
        return None
    appearance[NameObject("/Type")] = NameObject("/XObject")
    appearance[NameObject("/Subtype")] = NameObject("/Form")
    reference = appearance.indirect_reference or writer._add_object(appearance)
    xobjects = _page_xobjects(page)
    name = next(f"/BundlerField{n}" for n in range(len(xobjects) + 1) if f"/BundlerField{n}" not in xobjects)
    xobjects[NameObject(name)] = reference
    return f"q {_placement(_get(widget, '/Rect'), appearance)} {name} Do Q".encode()


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _paint(writer: PdfWriter, page: Any, operators: list[bytes]) -> None:
    """Append the drawings after the page's own content, isolated from its graphics state."""
    raw = page.get("/Contents")  # a reference to a stream or an array, or an array of references
    resolved = _get(page, "/Contents")
    existing = list(resolved) if isinstance(resolved, ArrayObject) else [raw] if raw is not None else []
    drawing = b"\nQ\n" + b"\n".join(operators) + b"\n"
    page[NameObject("/Contents")] = ArrayObject([_stream(writer, b"q\n"), *existing, _stream(writer, drawing)])


def editable_pages(writer: PdfWriter) -> list[Any]:
    """The writer's pages except stored ones (``ChunkPage``), sanitised when they were stored."""
    return [page for page in writer.pages if not isinstance(page, ChunkObject)]


def flatten_form(writer: PdfWriter, notes: list[str]) -> None:
    """Draw every visible widget into its page and remove /AcroForm.

    The widget annotations themselves are removed with the other annotations.
    """
    form = _get(writer.root_object, "/AcroForm")
    regenerate = bool(_get(form, "/NeedAppearances"))
    drawn = 0
    for page in editable_pages(writer):
        widgets = [a.get_object() for a in _get(page, "/Annots") or [] if a.get_object().get("/Subtype") == "/Widget"]
        for widget in widgets if form is not None else []:
            _refresh(writer, page, widget, regenerate, notes)
        operators = [op for op in (_draw(writer, page, widget) for widget in widgets) if op is not None]
        if operators:
            _paint(writer, page, operators)
            drawn += len(operators)
    if form is not None:
        del writer.root_object["/AcroForm"]
    if form is not None or drawn:
        notes.append(f"removed the form fields; {plural(drawn, 'field appearance')} drawn into their pages")
