"""The boundaries of the package, checked on the source: the file is reached only through
``itadesk.db`` (Document is the door), Qt only from ``itadesk.ui``, and preferences only
through the typed settings of ``itadesk/ui/settings.py``; and no test hook in the program
(tests wrap the program's own functions in their own process, see tests/db/save_steps.py).

A test that reads source text is crude, but it fails the day someone reaches past the door
(``document._store.conn.execute(...)`` in a widget), which review alone did not prevent.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "itadesk"
# The one module outside itadesk/ui that may import Qt: the chart canvas, if it ever moves
# next to the charts (today it lives in itadesk/ui/chart_view.py).
QT_ALLOWED = {"report/chart_canvas.py"}
# Preferences are declared once, typed; nobody else opens QSettings with a bare key string.
SETTINGS = "ui/settings.py"


def leaks(source: str, relative: str) -> list[str]:
    """What in ``source`` (a module at ``relative`` under itadesk/) crosses a boundary."""
    found = []
    in_db = relative.startswith("db/")
    in_ui = relative.startswith("ui/") or relative in QT_ALLOWED
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            root = name.split(".")[0]
            if root == "sqlite3" and not in_db:
                found.append(f"{relative}:{node.lineno} imports sqlite3")
            if root == "PySide6" and not in_ui:
                found.append(f"{relative}:{node.lineno} imports PySide6")
            if name.startswith("itadesk.db.store") and not in_db:
                found.append(f"{relative}:{node.lineno} imports the store")
        if isinstance(node, ast.Attribute) and not in_db and node.attr in ("conn", "_conn", "store", "_store"):
            found.append(f"{relative}:{node.lineno} uses .{node.attr}")
        if relative != SETTINGS and (isinstance(node, ast.Name) and node.id == "QSettings"
                                     or isinstance(node, ast.alias) and node.name == "QSettings"):
            found.append(f"{relative}:{node.lineno} uses QSettings (declare a Setting in {SETTINGS})")
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and "HOOK" in target.id.upper():
                found.append(f"{relative}:{node.lineno} sets a test hook ({target.id})")
    return found


def test_nothing_outside_db_reaches_the_file_and_no_qt_outside_ui():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        problems += leaks(path.read_text(encoding="utf-8"), relative)
    assert problems == []


@pytest.mark.parametrize("source,relative", [
    ("import sqlite3\n", "ui/plan_tab.py"),
    ("from sqlite3 import connect\n", "cli.py"),
    ("rows = document._store.organizations()\n", "ui/main_window.py"),
    ("document._store.conn.execute('SELECT 1')\n", "ui/conflicts_dialog.py"),
    ("x = doc.conn\n", "report/content.py"),
    ("from itadesk.db.store import Store\n", "cli.py"),
    ("from PySide6.QtCore import QObject\n", "report/pdf.py"),
    ("import PySide6\n", "ita/scoring.py"),
    ("from PySide6.QtCore import QSettings\nQSettings().value('recent_files')\n", "ui/main_window.py"),
    ("SAVE_STEP_HOOK: Callable[[str], None] | None = None\n", "db/files.py"),
])
def test_the_check_sees_each_kind_of_leak(source, relative):
    assert leaks(source, relative)


@pytest.mark.parametrize("source,relative", [
    ("import sqlite3\nself._store.conn.execute('SELECT 1')\n", "db/document.py"),
    ("from PySide6.QtWidgets import QWidget\n", "ui/plan_tab.py"),
    ("from PySide6.QtCore import QSettings\nQSettings()\n", "ui/settings.py"),
    ("from itadesk.db.document import Document\ndoc.organizations()\n", "cli.py"),
])
def test_the_check_allows_what_belongs(source, relative):
    assert leaks(source, relative) == []
