"""Where the CLI keeps things between runs (the core takes these as options)."""

from __future__ import annotations

from bundler.core.fsutil import user_cache_dir as default_cache_dir

__all__ = ["default_cache_dir"]
