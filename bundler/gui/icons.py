"""Icons shipped in resources/icons, reached through the one assets module."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from bundler.core.assets import resource_path

__all__ = ["icon"]


@cache
def icon(name: str) -> QIcon:
    """``icon("build")`` → resources/icons/build.svg (an empty icon when missing)."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
