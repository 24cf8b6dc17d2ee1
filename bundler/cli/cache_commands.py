"""'bundler cache where|clear': find and empty the cache of converted, redacted and OCR'd copies."""

from __future__ import annotations

import argparse
from pathlib import Path

from bundler.cli.settings import default_cache_dir
from bundler.core.cache import cache_entries, clear_cache

__all__ = ["add_parsers", "cmd_cache"]


def cmd_cache(args: argparse.Namespace) -> int:
    folder: Path = args.cache_dir or default_cache_dir()
    if args.action == "where":
        print(f"{folder} ({len(cache_entries(folder))} entries)")
        return 0
    count, size = clear_cache(folder)
    print(f"Removed {count} entries ({size / 1e6:.1f} MB) from {folder}.")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("cache", help="where the cache is, or empty it (it holds redacted and unredacted copies)")
    c.add_argument("action", choices=["where", "clear"])
    c.add_argument("--cache-dir", type=Path, help=f"the cache folder (default {default_cache_dir()})")
    c.set_defaults(func=cmd_cache)
