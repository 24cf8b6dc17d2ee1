"""bundler: court-ready judicial-review bundles."""

__version__ = "0.1.0"
__all__ = ["__version__"]
