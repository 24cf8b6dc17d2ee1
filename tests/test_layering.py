"""The layers stay apart: no module of ``bundler`` imports, however indirectly, itself.

Every import counts: at the top of a module, inside a function, and under
``TYPE_CHECKING`` (a cycle there is still a knot in the map, and mypy follows it).
That ``bundler.core`` and ``bundler.cli`` import no PySide6 is proved by
``test_packaging.test_core_and_cli_import_no_qt``.
"""

from __future__ import annotations

import ast
import textwrap
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``package`` under ``root``."""
    found = {}
    for path in (root / package).rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    base = package.rsplit(".", node.level - 1)[0]
    return f"{base}.{node.module}" if node.module else base


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules among ``known`` that module ``name`` imports anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names)
    return {module for module in found if module in known and module != name}


def find_cycle(root: Path, package: str) -> list[str] | None:
    known = modules(root, package)
    graph = {name: imports(name, path, known) for name, path in known.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as err:
        return list(err.args[1])
    return None


def test_bundler_has_no_import_cycles() -> None:
    assert find_cycle(ROOT, "bundler") is None


def test_the_graph_sees_imports_the_gui_relies_on() -> None:
    known = modules(ROOT, "bundler")
    window = "bundler.gui.mainwindow.window"
    assert "bundler.gui.mainwindow.session" in imports(window, known[window], known)
    assert window in imports("bundler.gui.app", known["bundler.gui.app"], known)  # imported in main()


def _package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_cycle_through_type_checking_is_found(tmp_path: Path) -> None:
    _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/window.py": "from pkg.controller import Controller\n",
            "pkg/controller.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from pkg.window import Window
            """,
        },
    )
    assert sorted(set(find_cycle(tmp_path, "pkg") or [])) == ["pkg.controller", "pkg.window"]


def test_a_cycle_through_a_function_and_a_relative_import_is_found(tmp_path: Path) -> None:
    _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/a.py": "from .sub import b\n",
            "pkg/sub/b.py": """
                def late():
                    from .. import a
                    return a
            """,
        },
    )
    assert sorted(set(find_cycle(tmp_path, "pkg") or [])) == ["pkg.a", "pkg.sub.b"]
    (tmp_path / "pkg/sub/b.py").write_text("def late():\n    return None\n", encoding="utf-8")
    assert find_cycle(tmp_path, "pkg") is None
