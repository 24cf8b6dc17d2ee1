"""The PySide6 desktop app: a thin layer over ``bundler.core``; the only package importing Qt."""

__all__: list[str] = []
