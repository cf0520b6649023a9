"""GUI tests: offscreen Qt, a private data folder and private settings for every test.

``tests/conftest.py`` already points ITADESK_DATA_DIR (working copies, backups, recovery)
at a fresh folder per test; here QSettings (recent files, display options) gets one too,
so no test sees another's recent files and none touches the developer's own settings.

The helpers every GUI test file shares live here once: typing as a keyboard does, the
reference data in a real document file, and answering modal dialogs as a user would.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton, QApplication, QDialog, QMessageBox, QProgressDialog,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.IniFormat)
    yield folder


def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots/ when ITADESK_SCREENSHOTS=1 (to refresh the README's pictures), else tmp."""
    target = SCREENSHOTS if os.environ.get("ITADESK_SCREENSHOTS") else tmp_path / "shots"
    target.mkdir(parents=True, exist_ok=True)
    return target


def settle(window) -> None:
    """Let layouts, queued calls and the repaint finish before a grab or a size is checked."""
    for _ in range(3):
        QApplication.processEvents()
    window.repaint()


# -- typing ------------------------------------------------------------------------------

def type_text(widget, text: str) -> None:
    """Type as a keyboard does, one key event per character carrying its text ("\n" is Enter).

    QTest.keyClicks only knows ASCII; Thai letters and Thai digits need their text sent.
    """
    for ch in text:
        key, sent = (Qt.Key_Return, "\r") if ch == "\n" else (Qt.Key_unknown, ch)
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.NoModifier, sent))


def press(widget, key, modifiers=Qt.NoModifier) -> None:
    """One key press and release; then let queued work run (an item editor commits on Enter
    through a queued call, exactly as it does between two real key presses)."""
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers))
    QApplication.processEvents()


# -- the reference data in a real document ----------------------------------------------------

def import_reference(store, reference_json: Path, scores_only: bool = False) -> str:
    """Put the reference office's two years into ``store``; the organization's uuid.

    The fixture holds what the NACC published (scores, the assessors' recommendations) and
    what the office then wrote (its analysis and its 19-row plan); ``scores_only`` keeps the
    NACC's part only, where an officer starts.
    """
    from itadesk.interchange.json_format import read_file

    org_uuid = None
    for org, assessment in read_file(reference_json):
        if scores_only:
            assessment.analysis, assessment.actions = {}, []
        existing = store.find_organization(org.name, org.province)
        store.save_assessment(assessment, existing or org)
        org_uuid = (existing or org).uuid
    return org_uuid


def reference_file(path: Path, reference_json: Path, scores_only: bool = False) -> Path:
    """A saved document file at ``path`` holding the reference data."""
    from itadesk.db.document import Document

    doc = Document.new()
    import_reference(doc._store, reference_json, scores_only)
    doc.save_as(path)
    doc.close()
    return path


def read_back(path: Path, org_uuid: str, year: int = 2568):
    """The assessment as the file on disk holds it (read from a snapshot, not the window's copy)."""
    from itadesk.db.files import read_snapshot
    from itadesk.db.store import Store

    with read_snapshot(path) as conn:
        return Store(conn).load_assessment(org_uuid, year)


@dataclass
class Opened:
    """A real document opened from its file, in the context the tabs share, 2568 chosen."""

    context: object  # itadesk.ui.context.DocumentContext
    document: object  # itadesk.db.document.Document
    org_uuid: str

    def assessment(self, year: int = 2568):
        return self.document._store.load_assessment(self.org_uuid, year)


def _open_reference(tmp_path: Path, reference_json: Path, scores_only: bool):
    from itadesk.db.document import Document
    from itadesk.ui.context import DocumentContext

    path = reference_file(tmp_path / "เชียงพิณ.itadesk", reference_json, scores_only)
    document = Document.open(path)
    context = DocumentContext()
    context.set_document(document)
    org_uuid = document._store.organizations()[0].uuid
    context.select(org_uuid, 2568)
    opened = Opened(context, document, org_uuid)
    yield opened
    context.set_document(None)  # views over it stop reading before the file closes
    document.close(discard=True)


@pytest.fixture
def opened(tmp_path, reference_json, qtbot):
    """The reference file with the NACC's part only (scores, assessors' recommendations)."""
    yield from _open_reference(tmp_path, reference_json, scores_only=True)


@pytest.fixture
def reference_opened(tmp_path, reference_json, qtbot):
    """The reference file with the office's own analysis and plan as well."""
    yield from _open_reference(tmp_path, reference_json, scores_only=False)


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
    """Answers modal dialogs as a user would, by clicking the button with the given text.

    The logic that opens a dialog runs for real; only the click comes from the test. Answers
    are given in the order they were queued, each to the next modal dialog not answered yet.
    Like a user, it waits for the question to come up: as long as the program shows it is
    busy (busy cursor, "please wait" dialog: ui/busy.py), and otherwise up to
    ``IDLE_WAIT_S`` seconds of wall-clock time, however few event-loop turns a slow machine
    makes in that time. A dialog that never comes fails the test with the button it was
    waited for (at once when the wait runs out, or at the end of the test); a modal dialog
    that comes after that is rejected, so that no test hangs in ``exec()``.
    """

    IDLE_WAIT_S = float(os.environ.get("ITADESK_TEST_DIALOG_WAIT_S", "120"))
    BUSY_WAIT_S = 300.0  # a worker stuck that long is a hang: say so before pytest-timeout's 600 s

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.seen: list[str] = []
        self._answered: list = []
        self._queue: list[tuple[str, object]] = []
        self._idle_since: float | None = None
        self._busy_since: float | None = None
        self.failure: str | None = None
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._poll)

    def click_when_shown(self, button_text: str, fill=None) -> None:
        self._queue.append((button_text, fill))
        if not self._timer.isActive():
            self._idle_since = self._busy_since = None
            self._timer.start()

    @property
    def pending(self) -> list[str]:
        """The buttons still waited for, in order."""
        return [text for text, _ in self._queue]

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        busy = isinstance(widget, QProgressDialog) or QApplication.overrideCursor() is not None
        new = (widget is not None and not busy and widget.isVisible()
               and not any(w is widget for w in self._answered))
        if new and self.failure is not None:  # too late: nobody waits for it any more
            self._answered.append(widget)
            _dismiss(widget)
            return
        if new and self._queue:
            self._answer(widget)
            return
        if self.failure is not None or not self._queue:
            return
        self._check_wait(busy)

    def _check_wait(self, busy: bool) -> None:
        now = time.monotonic()
        if busy:
            self._idle_since = None
            self._busy_since = self._busy_since or now
            waited, limit, how = now - self._busy_since, self.BUSY_WAIT_S, "while the program was busy"
        else:
            self._busy_since = None
            self._idle_since = self._idle_since or now
            waited, limit, how = now - self._idle_since, self.IDLE_WAIT_S, "with no dialog on screen"
        if waited < limit:
            return
        self.failure = (f"no modal dialog to answer with {self.pending[0]!r} came after waiting "
                        f"{waited:.0f} s {how} (still waited for: {self.pending}; answered: {self.seen})")
        self._queue.clear()
        raise AssertionError(self.failure)

    def _answer(self, widget) -> None:
        button_text, fill = self._queue.pop(0)
        if not self._queue:
            self._timer.stop()
        self._idle_since = self._busy_since = None
        self._answered.append(widget)
        self.seen.append(_describe(widget))
        try:
            if fill is not None:
                fill(widget)
            button = next((b for b in widget.findChildren(QAbstractButton) if b.text() == button_text), None)
            if button is None:
                raise AssertionError(f"no button {button_text!r} in {widget!r} ({self.seen[-1]!r})")
            button.click()
        except BaseException:
            _dismiss(widget)  # never leave a test hanging in exec()
            raise

    def finish(self) -> None:
        """Stop watching; a dialog still waited for fails the test."""
        self._timer.stop()
        if self._queue and self.failure is None:
            pytest.fail(f"the test ended while still waiting for a modal dialog to answer with "
                        f"{self.pending} (answered: {self.seen})", pytrace=False)


def _describe(widget) -> str:
    return widget.text() if isinstance(widget, QMessageBox) else widget.windowTitle()


def _dismiss(widget) -> None:
    """Close a modal window whatever its buttons: a QMessageBox without an escape button
    ignores close(), a dialog's reject() always ends its exec()."""
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


@pytest.fixture
def modal(qtbot):
    answerer = ModalAnswerer(qtbot)
    yield answerer
    answerer.finish()


class Answers:
    """Answers each modal window as it appears, by its kind, as a user would; records what it
    saw. For windows that come one after another from one call (a dialog, then its progress,
    then its result): ``handlers`` is a list of (predicate(widget), action(widget)), each used
    once, in the order the windows match.

    A modal window no handler wants is left to the test for ``IDLE_WAIT_S`` (as
    :class:`ModalAnswerer` waits), then rejected and reported, so that the test fails naming
    it instead of hanging in its ``exec()``; :meth:`stop` fails the test if a window that was
    to be answered never came."""

    IDLE_WAIT_S = ModalAnswerer.IDLE_WAIT_S

    def __init__(self, handlers):
        self.handlers = handlers
        self.seen: list[str] = []
        self.failure: str | None = None
        self._last = None
        self._unwanted, self._unwanted_since = None, 0.0
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(15)

    def _poll(self):
        widget = QApplication.activeModalWidget()
        if widget is None or widget is self._last or not widget.isVisible():
            return
        for i, (wants, act) in enumerate(self.handlers):
            if wants(widget):
                self._last = widget
                self.seen.append(_describe(widget))
                self.handlers.pop(i)
                act(widget)
                return
        if isinstance(widget, QProgressDialog) or QApplication.overrideCursor() is not None:
            return  # "please wait": as long as the work takes
        if widget is not self._unwanted:
            self._unwanted, self._unwanted_since = widget, time.monotonic()
            return
        waited = time.monotonic() - self._unwanted_since
        if waited >= self.IDLE_WAIT_S:
            self._last = widget
            self.failure = (f"a modal window no answer was given for stayed up {waited:.0f} s: "
                            f"{_describe(widget)!r} (answered before it: {self.seen})")
            _dismiss(widget)
            raise AssertionError(self.failure)

    def stop(self):
        self.timer.stop()
        if self.handlers and self.failure is None:
            pytest.fail(f"{len(self.handlers)} of the windows to answer never came (answered: {self.seen})",
                        pytrace=False)


def click(text):
    """An action for :class:`Answers`: click the button labelled ``text``."""
    def act(widget):
        for button in widget.findChildren(QAbstractButton):
            if button.text() == text:
                QTimer.singleShot(0, button.click)
                return
        raise AssertionError(f"no button {text!r}")
    return act


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
