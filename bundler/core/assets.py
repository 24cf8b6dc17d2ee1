"""The one way to reach ``resources/`` and ``templates/``.

In a wheel they are installed inside the package (``bundler/resources``); in a
source checkout or editable install they sit at the top level of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["resource_path", "template_dir", "font_path"]

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def _asset_root(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundler is installed without its {name}/ folder; reinstall it")


def resource_path(*parts: str) -> Path:
    return _asset_root("resources").joinpath(*parts)


def template_dir() -> Path:
    return _asset_root("templates")


def font_path(name: str) -> Path:
    """Path of a shipped TrueType font, e.g. ``font_path("DejaVuSans-Bold")``."""
    return resource_path("fonts", f"{name}.ttf")
