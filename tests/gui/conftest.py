"""GUI tests: offscreen Qt, a private data folder and private settings for every test.

``tests/conftest.py`` already points ITADESK_DATA_DIR (working copies, backups, recovery)
at a fresh folder per test; here QSettings (recent files, display options) gets one too,
so no test sees another's recent files and none touches the developer's own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.IniFormat)
    yield folder


@pytest.fixture
def data_dir() -> Path:
    """The private data folder of this test (set by the top-level conftest)."""
    return Path(os.environ["ITADESK_DATA_DIR"])


@pytest.fixture
def app(qapp):
    """The application as ``itadesk`` starts it: Sarabun registered and made the app font."""
    from itadesk.ui.app import setup_application

    setup_application(qapp)
    return qapp


@pytest.fixture
def window(app, qtbot):
    """The main window at the size of a common office laptop screen.

    Not given to ``qtbot.addWidget``: pytest-qt closes its widgets before fixtures are torn
    down, and closing a window with unsaved changes rightly asks — which would wait forever.
    """
    from itadesk.ui.main_window import MainWindow

    win = MainWindow()
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    close_quietly(win)


def close_quietly(win) -> None:
    """Throw away the open document (a failed test may leave edits) and close the window."""
    doc = win.context.document
    if doc is not None:
        doc.close(discard=True)
        win.context.set_document(None)
    win.close()
    win.deleteLater()


class ModalAnswerer:
    """Answers the next modal dialog by clicking the button with the given text, as a user would.

    The logic that opens the dialog runs for real; only the click comes from the test. Several
    answers may be queued: each waits for a modal dialog it has not answered yet.
    """

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.seen: list[str] = []
        self._answered: list = []

    def click_when_shown(self, button_text: str, fill=None) -> None:
        tries = [0]

        def attempt():
            widget = QApplication.activeModalWidget()
            if widget is None or not widget.isVisible() or any(w is widget for w in self._answered):
                tries[0] += 1
                if tries[0] < 300:
                    QTimer.singleShot(10, attempt)
                return
            self._answered.append(widget)
            self.seen.append(widget.text() if isinstance(widget, QMessageBox) else widget.windowTitle())
            if fill is not None:
                fill(widget)
            for button in widget.findChildren(QAbstractButton):
                if button.text() == button_text:
                    button.click()
                    return
            widget.close()  # never leave a test hanging in exec()
            raise AssertionError(f"no button {button_text!r} in {widget!r}")

        QTimer.singleShot(0, attempt)


@pytest.fixture
def modal(qtbot):
    return ModalAnswerer(qtbot)


def fail_on_call(monkeypatch, obj, name: str, call: int, kind: str = "FULL") -> list[int]:
    """Make the ``call``-th call of ``obj.name`` raise DocumentError(kind), as a stick that
    fills up in the middle of a write would; returns the running count of calls."""
    from itadesk.db.errors import DocumentError

    original = getattr(obj, name)
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == call:
            raise DocumentError(kind)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapper)
    return calls
