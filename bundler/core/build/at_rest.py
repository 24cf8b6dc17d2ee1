"""A bundle at rest: whether it is public or confidential, and what may replace it.

Every bundle says which it is in its /Keywords (``bundler:public`` or
``bundler:confidential``), so a confidential build can tell a public bundle apart
before it writes over it: replacing a public bundle with the unredacted one is
refused unless the user forces it.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from bundler.core.errors import BuildError

__all__ = ["marked_keywords", "is_confidential_bundle", "check_overwrite"]

PUBLIC, CONFIDENTIAL = "bundler:public", "bundler:confidential"


def marked_keywords(keywords: str, confidential: bool) -> str:
    return f"{keywords}; {CONFIDENTIAL if confidential else PUBLIC}"


def is_confidential_bundle(path: Path) -> bool:
    """True only for a bundle this program marked confidential; anything else may be public."""
    try:
        metadata = PdfReader(path).metadata
        return metadata is not None and CONFIDENTIAL in str(metadata.get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - an unreadable file is not known to be confidential
        return False


def check_overwrite(output: Path, confidential: bool, force: bool) -> None:
    """Refuse to put an unredacted bundle where a public (or unknown) file is, unless forced."""
    if not confidential or force or not output.exists() or is_confidential_bundle(output):
        return
    raise BuildError(
        f"'{output.name}' already exists and is not a confidential bundle: the unredacted bundle "
        "would replace it. Choose another file name (or, on the command line, add --force to replace it)."
    )
