"""Where the CLI keeps things between runs (the core takes these as options)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["default_cache_dir"]


def default_cache_dir() -> Path:
    """$BUNDLER_CACHE_DIR, else the platform's per-user cache folder."""
    if override := os.environ.get("BUNDLER_CACHE_DIR"):
        return Path(override)
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return root / "bundler" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "bundler"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bundler"
