"""What the app remembers between runs, in QSettings (the only place that touches them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from bundler.core.fsutil import user_cache_dir as default_cache_dir

__all__ = ["Settings", "default_cache_dir", "CONVERTERS", "apply_soffice"]


def apply_soffice(path: str) -> None:
    """Where the converter chain looks for LibreOffice first (the CLI's --soffice does the same)."""
    if path:
        os.environ["BUNDLER_SOFFICE"] = path
    else:
        os.environ.pop("BUNDLER_SOFFICE", None)


CONVERTERS = ("auto", "word", "libreoffice", "builtin")
_MAX_RECENT = 8


class Settings:
    """Typed access to the app's QSettings; tests pass their own store and folders."""

    def __init__(
        self,
        store: QSettings | None = None,
        *,
        recovery_dir: Path | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self._store = store if store is not None else QSettings("bundler", "bundler")
        self._recovery_dir = recovery_dir
        self._cache_dir = cache_dir

    def _number(self, key: str, default: float) -> float:
        # QSettings gives back text from an INI file, a number from the registry or a plist
        return float(cast("str | float", self._store.value(key, default)))

    def _text(self, key: str, default: str) -> str:
        value = self._store.value(key, default)
        return str(value) if value is not None else default

    @property
    def default_template(self) -> str:
        return self._text("new/template", "jr-claim")

    @default_template.setter
    def default_template(self, name: str) -> None:
        self._store.setValue("new/template", name)

    @property
    def converter(self) -> str:
        choice = self._text("new/converter", "auto")
        return choice if choice in CONVERTERS else "auto"

    @converter.setter
    def converter(self, choice: str) -> None:
        self._store.setValue("new/converter", choice)

    @property
    def soffice(self) -> str:
        """LibreOffice's soffice (or its folder) chosen by the user; empty: found by itself."""
        return self._text("convert/soffice", "")

    @soffice.setter
    def soffice(self, path: str) -> None:
        self._store.setValue("convert/soffice", path)
        apply_soffice(path)

    @property
    def page_prefix(self) -> str:
        return self._text("new/page_prefix", "")

    @page_prefix.setter
    def page_prefix(self, prefix: str) -> None:
        self._store.setValue("new/page_prefix", prefix)

    @property
    def stamp_position(self) -> tuple[float, float]:
        """Page number: points from the right and bottom edges (always the bottom-right corner)."""
        return (self._number("new/stamp_right", 24.0), self._number("new/stamp_bottom", 14.0))

    @stamp_position.setter
    def stamp_position(self, position: tuple[float, float]) -> None:
        self._store.setValue("new/stamp_right", float(position[0]))
        self._store.setValue("new/stamp_bottom", float(position[1]))

    def recent_files(self) -> list[Path]:
        raw = self._store.value("files/recent", [])
        items = [raw] if isinstance(raw, str) else list(cast("list[str] | None", raw) or [])
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        items = [p for p in self.recent_files() if p != path]
        self._store.setValue("files/recent", [str(p) for p in [path, *items][:_MAX_RECENT]])

    def remove_recent(self, path: Path) -> None:
        self._store.setValue("files/recent", [str(p) for p in self.recent_files() if p != path])

    @property
    def last_folder(self) -> Path | None:
        """The folder a file dialog was last used in (where the next one opens); None if none yet."""
        text = self._text("files/last_folder", "")
        return Path(text) if text else None

    @last_folder.setter
    def last_folder(self, folder: Path | None) -> None:
        self._store.setValue("files/last_folder", str(folder) if folder is not None else "")

    def cache_dir(self) -> Path:
        return self._cache_dir or default_cache_dir()

    def recovery_dir(self) -> Path:
        """Where untitled bundles are autosaved."""
        if self._recovery_dir is not None:
            return self._recovery_dir
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
        return Path(base or Path.home() / ".bundler") / "recovery"

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry, state = self._store.value("window/geometry"), self._store.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)

    def layout_state(self) -> QByteArray | None:
        state = self._store.value("window/splitter")
        return state if isinstance(state, QByteArray) else None

    def hidden_panels(self) -> list[str]:
        raw = self._store.value("window/hidden_panels", [])
        items = [raw] if isinstance(raw, str) else list(cast("list[str] | None", raw) or [])
        return [str(name) for name in items if name]

    def save_layout_state(self, state: QByteArray, hidden: list[str]) -> None:
        self._store.setValue("window/splitter", state)
        self._store.setValue("window/hidden_panels", hidden)

    def sync(self) -> None:
        self._store.sync()
