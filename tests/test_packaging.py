"""The package as users get it: layering, and a built wheel with its resources."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_cli_import_no_qt():
    code = (
        "import sys, pkgutil, importlib, bundler.core, bundler.cli\n"
        "for pkg in (bundler.core, bundler.cli):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "ok", result.stderr


def test_wheel_ships_templates_resources_and_schema_and_runs(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("court_bundler-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "bundler/templates/jr-claim.json",
        "bundler/templates/authorities.json",
        "bundler/resources/fonts/DejaVuSans.ttf",
        "bundler/core/bundle.schema.json",
    ):
        assert needed in names
    env = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env)
    python = env / "bin" / "python"
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bundler.core.assets as a; "
        "from bundler.core.templates import list_templates; "
        "print(a.font_path('DejaVuSans').is_file(), len(list_templates()), a.__file__)"
    )
    out = subprocess.run(
        [str(python), "-c", probe, str(target)], capture_output=True, text=True, cwd=tmp_path, check=True
    ).stdout.split()
    assert out[:2] == ["True", "3"] and out[2].startswith(str(target))
