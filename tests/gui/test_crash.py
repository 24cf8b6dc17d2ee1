"""An unexpected error in the app: a dialog giving the crash log's path, never a bare traceback."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from bundler.gui import crash


def test_the_dialog_names_the_crash_log(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(crash, "user_log_dir", lambda: tmp_path / "logs")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    try:
        raise ValueError("odd value")
    except ValueError as exc:
        crash._hook(ValueError, exc, exc.__traceback__)
    (log,) = (tmp_path / "logs").glob("crash-*.log")
    assert "ValueError: odd value" in log.read_text() and "Traceback" in log.read_text()
    assert len(shown) == 1 and str(log) in shown[0] and "odd value" in shown[0]


def test_without_pyside6_the_gui_commands_say_so_clearly(tmp_path):
    blocker = tmp_path / "sitecustomize.py"  # hide PySide6 from this Python, as on a bare install
    blocker.write_text(
        "import importlib.abc, sys\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'PySide6': raise ModuleNotFoundError(name, name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}:{'.'}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for code in (
        "from bundler.cli.main import main; sys.exit(main(['gui']))",
        "from bundler.cli.gui_launch import main; sys.exit(main([]))",
    ):
        result = subprocess.run([sys.executable, "-c", f"import sys; {code}"], capture_output=True, text=True, env=env)
        assert result.returncode == 1, result.stderr
        assert "needs PySide6" in result.stderr and "pip install court-bundler" in result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
