"""A keyring backend kept in a JSON file, for tests: the real CLI runs in a subprocess, and
``PYTHON_KEYRING_BACKEND=tests.cli.file_keyring.FileKeyring`` makes ``keyring`` use it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    @classmethod
    def _viable(cls) -> bool:
        return "BUNDLER_TEST_KEYRING" in os.environ

    @properties.classproperty
    def priority(cls) -> float:
        # keyring finds every backend class once imported: only a test that names a file may get this one
        if not cls._viable():
            raise RuntimeError("only for tests that name a keyring file (BUNDLER_TEST_KEYRING)")
        return 1

    def _path(self) -> Path:
        return Path(os.environ["BUNDLER_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(data))
