"""Fonts for the built-in DOCX renderer: the shipped DejaVu faces and run markup.

Word documents name fonts (Times New Roman, Calibri …): set in the font itself or its
metric-compatible twin when the system has one (``metric_fonts.py``), else in DejaVu
Serif or Sans; embedded as TrueType so any Unicode text stays
extractable; characters a face lacks fall back to another face that has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from bundler.core.assets import font_path
from bundler.core.convert.docx.metric_fonts import metric_face

__all__ = ["RunProps", "register_fonts", "face_for", "run_markup", "label_face", "has_glyph"]

_FACES = {
    ("serif", False, False): "DejaVuSerif",
    ("serif", True, False): "DejaVuSerif-Bold",
    ("serif", False, True): "DejaVuSerif-Italic",
    ("serif", True, True): "DejaVuSerif-BoldItalic",
    ("sans", False, False): "DejaVuSans",
    ("sans", True, False): "DejaVuSans-Bold",
    ("sans", False, True): "DejaVuSans-Oblique",
    ("sans", True, True): "DejaVuSans-BoldOblique",
}
_SERIF_HINTS = (
    "times", "cambria", "georgia", "garamond", "book antiqua", "palatino", "century",
    "baskerville", "bookman", "constantia", "minion", "caslon", "goudy", "perpetua",
    "charter", "bodoni", "didot", "sylfaen", "tinos", "gentium", "serif", "roman",
)  # fmt: skip
# Hebrew, Arabic, Syriac, Thaana … and the Arabic presentation forms.
_RTL = "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]"
_RTL_RUN = re.compile(f"{_RTL}+(?:[ \u00a0]+{_RTL}+)*")


@dataclass(frozen=True)
class RunProps:
    """Resolved character formatting of one run (sizes in points)."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    vert: str = ""
    rise: float = 0.0
    size: float = 10.0
    font: str = ""
    color: str = ""
    caps: bool = False
    hidden: bool = False


def register_fonts() -> None:
    """Register the eight DejaVu faces with reportlab (once per process).

    reportlab keeps one process-wide font registry; registering is idempotent.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in _FACES.values():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    for family in ("serif", "sans"):
        pdfmetrics.registerFontFamily(
            _FACES[(family, False, False)],
            normal=_FACES[(family, False, False)],
            bold=_FACES[(family, True, False)],
            italic=_FACES[(family, False, True)],
            boldItalic=_FACES[(family, True, True)],
        )


@cache
def _family(font_name: str) -> str:
    name = font_name.lower()
    if not name:
        return "serif"  # Word's own fallback for an unnamed font is Times New Roman
    if "sans" in name:
        return "sans"
    return "serif" if any(hint in name for hint in _SERIF_HINTS) else "sans"


def face_for(props: RunProps) -> str:
    """The document's font or its metric twin when there is one here, else DejaVu of its family."""
    found = metric_face(props.font, props.bold, props.italic)
    return found or _FACES[(_family(props.font), props.bold, props.italic)]


def label_face(props: RunProps, label: str) -> str:
    """Face for a list label: the run's own, or sans for symbols the serif lacks."""
    face = face_for(props)
    if all(has_glyph(face, char) for char in label):
        return face
    return _FACES[("sans", props.bold, props.italic)]


@cache
def _glyphs(face: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(face).face.charToGlyph)


def has_glyph(face: str, char: str) -> bool:
    return ord(char) in _glyphs(face) or char in "\n\t "


def _fallback(face: str) -> tuple[str, ...]:
    bold, italic = "Bold" in face, ("Italic" in face or "Oblique" in face)
    sans = _FACES[("sans", bold, italic)]
    return (face, sans, "DejaVuSans") if sans != face else (face, "DejaVuSans")


def _segments(text: str, face: str) -> list[tuple[str, str]]:
    """Split ``text`` into (face, chunk) pieces so every glyph exists in its face."""
    if all(has_glyph(face, char) for char in set(text)):
        return [(face, text)]  # the usual case, checked once per distinct character
    pieces: list[tuple[str, str]] = []
    for char in text:
        use = next((f for f in _fallback(face) if has_glyph(f, char)), face)
        if pieces and pieces[-1][0] == use:
            pieces[-1] = (use, pieces[-1][1] + char)
        else:
            pieces.append((use, char))
    return pieces


def _visual_order(text: str) -> str:
    """Reverse right-to-left runs: the PDF draws left to right, readers reorder back."""
    return _RTL_RUN.sub(lambda m: m.group(0)[::-1], text)


def _raise_tags(props: RunProps) -> tuple[str, str]:
    """Superscript/subscript, or text raised or lowered by a set amount (``w:position``)."""
    if props.vert:
        tag = "super" if props.vert == "superscript" else "sub"
        return f"<{tag}>", f"</{tag}>"
    if props.rise:
        tag = "super" if props.rise > 0 else "sub"
        return f'<{tag} rise="{abs(props.rise):g}" size="{props.size:g}">', f"</{tag}>"
    return "", ""


def run_markup(text: str, props: RunProps, link: str = "") -> str:
    """reportlab Paragraph markup for ``text`` in ``props``; the text is escaped."""
    if props.caps:
        text = text.upper()
    text = _visual_order(text)
    color = f' color="#{props.color}"' if props.color else ""
    opening, closing = _raise_tags(props)
    out = []
    for face, chunk in _segments(text, face_for(props)):
        body = escape(chunk).replace("\n", "<br/>").replace("\t", "\u00a0" * 4 + " ")
        body = f"{opening}{body}{closing}"
        out.append(f'<font face="{face}" size="{props.size:g}"{color}>{body}</font>')
    markup = "".join(out)
    if props.underline:
        markup = f"<u>{markup}</u>"
    if props.strike:
        markup = f"<strike>{markup}</strike>"
    if link:
        markup = f'<a href="{escape(link, {chr(34): "&quot;"})}">{markup}</a>'
    return markup
