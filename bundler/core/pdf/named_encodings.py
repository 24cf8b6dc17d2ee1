"""pypdf's named single-byte encodings, worked out once instead of on every page.

pypdf's text extraction builds the 256-entry WinAnsi table (``encoding_dict_from_named_encoding
("cp1252")``) for every page and form it reads: 256 one-byte decodes, each a codec call, two of
them caught errors. On the bench's first anonymised build that was 1.5% of all CPU. The table
is a function of the name alone, so it is kept per name and each caller gets its own copy (a
font may change its copy with its ``/Differences``).
"""

from __future__ import annotations

from functools import cache

__all__ = ["install"]


@cache
def _table(encoding: str) -> tuple[tuple[int, str], ...]:
    from pypdf._codecs import encoding_dict_from_named_encoding  # noqa: PLC0415 - pypdf's own, once per name

    return tuple(encoding_dict_from_named_encoding(encoding).items())


def encoding_dict_from_named_encoding(encoding: str) -> dict[int, str]:
    """pypdf's function of the same name: the same dictionary, a new one for every call."""
    return dict(_table(encoding))


def install() -> None:
    """Make pypdf's text extraction and fonts use the kept tables (they call the name they imported)."""
    import pypdf._text_extraction._text_extractor as extractor  # noqa: PLC0415
    import pypdf.generic._font as font  # noqa: PLC0415

    for module in (extractor, font):
        if hasattr(module, "encoding_dict_from_named_encoding"):
            vars(module)["encoding_dict_from_named_encoding"] = encoding_dict_from_named_encoding
