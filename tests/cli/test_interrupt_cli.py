"""Ctrl+C on the CLI cancels as the window's Cancel does: LibreOffice stopped, exit code INTERRUPTED."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from bundler.core.errors import ExitCode
from tests.gui.test_cancel_children import processes_under, public_project

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@needs_soffice
def test_ctrl_c_on_the_cli_stops_libreoffice_and_exits_as_interrupted(tmp_path):
    project = public_project(tmp_path, docx=6)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=os.pathsep.join(sys.path))
    cmd = [sys.executable, "-m", "bundler", "build", str(project), "--cache-dir", str(tmp_path / "cache")]
    cli = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any("soffice.bin" in p for p in processes_under(tmp)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cli.poll() is None, cli.communicate()
    time.sleep(0.3)
    sent = time.perf_counter()
    cli.send_signal(signal.SIGINT)  # what Ctrl+C sends the CLI (LibreOffice is in a group of its own)
    _, err = cli.communicate(timeout=60)
    print(f"Ctrl+C: the CLI exited in {time.perf_counter() - sent:.2f} s")
    assert cli.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted; nothing was changed" in err and "Traceback" not in err
    assert processes_under(tmp) == []
    assert not list(tmp_path.glob("*.pdf"))
