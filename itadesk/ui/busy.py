"""Slow work off the GUI thread, with the window kept alive and closed to input meanwhile
(Electrum's ``TaskThread`` + ``WaitingDialog``).

Opening, saving and merging copy, check and fsync a whole file, which takes seconds on a
slow stick. :func:`run_busy` runs such a call in a worker thread and returns its result (or
raises its exception) on the GUI thread, as if it had been called there; meanwhile the
window repaints, shows a busy cursor and, when the work lasts, a modal "please wait" dialog.

One thread at a time: the document's SQLite connection is made with
``check_same_thread=False`` so that a worker may use it, and the modal dialog (plus the
application-wide input block below) keeps the window from touching the document until the
worker is done; nothing else runs on the document in between.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

T = TypeVar("T")

# A dialog that flashes up for a blink is worse than none: show it only for longer work.
DIALOG_AFTER_MS = 400
# While a worker runs Python (a merge, a report), the GUI thread needs Python's lock for every
# slot and model call; by default it may wait 5 ms for it each time, and far longer on a busy PC.
GIL_SWITCH_S = 0.001


@contextlib.contextmanager
def gui_first():
    """Make a worker thread hand Python's lock back to the GUI thread sooner, meanwhile."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, GIL_SWITCH_S))
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


class _Worker(QThread):
    done = Signal()

    def __init__(self, call: Callable[[], object], parent: QObject | None = None):
        super().__init__(parent)
        self._call = call
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the GUI thread
            self.error = exc
        self.done.emit()


class _InputBlocker(QObject):
    """Swallows keyboard and mouse input to the application's windows while a worker runs, so
    that no click or keystroke reaches the document before the dialog appears.

    It watches the top-level windows (QWindow), where the platform delivers input first, not
    the whole application: an application-wide filter is called from Python for every event
    of every object, and its first calls made PySide6 build the Python types (and enums) of
    every QObject class it might be handed, ~25 ms at the first file opened (issue 16)."""

    BLOCKED = {2, 3, 4, 6, 7, 31, 82}  # mouse press/release/double-click, key press/release, wheel, context menu

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt override
        return int(event.type()) in self.BLOCKED


_RUNNING = [0]  # workers running (their event loops nest)


def running() -> bool:
    """A worker holds the document now: the GUI thread must not touch it (timers included)."""
    return _RUNNING[0] > 0


def run_busy(parent: QWidget | None, text: str, call: Callable[[], T]) -> T:
    """Run ``call()`` in a worker thread; its result, or its exception raised here."""
    worker = _Worker(call)
    loop = QEventLoop()
    worker.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    shown: list[QProgressDialog] = []  # made only if the work lasts: most never need it (~4 ms)

    def show_dialog() -> None:
        dialog = QProgressDialog(text, "", 0, 0, parent)
        dialog.setWindowTitle("กรุณารอสักครู่")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.reset()  # QProgressDialog shows itself on its own timer otherwise
        dialog.show()
        shown.append(dialog)

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(show_dialog)
    blocker = _InputBlocker()
    windows = QGuiApplication.topLevelWindows()
    for window in windows:
        window.installEventFilter(blocker)
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    _RUNNING[0] += 1
    try:
        with gui_first():
            worker.start()
            timer.start(DIALOG_AFTER_MS)
            loop.exec()  # ``done`` is queued, so it quits this loop even if the work is already over
            worker.wait()
    finally:
        _RUNNING[0] -= 1
        timer.stop()
        for dialog in shown:
            dialog.hide()
            dialog.deleteLater()
        QApplication.restoreOverrideCursor()
        # Only windows that still exist: one destroyed during the loop (a window deleted later,
        # e.g. on close) may leave a Python wrapper Qt never told about; using it would touch
        # freed memory.
        alive = QGuiApplication.topLevelWindows()
        for window in windows:
            if any(window is other for other in alive):
                with contextlib.suppress(RuntimeError):
                    window.removeEventFilter(blocker)
    if worker.error is not None:
        raise worker.error
    return worker.result


READING_REPORT = "กำลังอ่านข้อมูลและคำนวณผลสำหรับรายงาน…"


def read_report_data(parent: QWidget | None, context):
    """The report's content (:func:`itadesk.report.content.build_report_data`) for the chosen
    organization and year, read and computed in a worker: for the PDF, Word, Excel and print.
    None when the check of a file never seen refused it: the window has closed it and said why
    (one message; the caller says nothing more)."""
    from itadesk.report.content import build_report_data  # noqa: PLC0415 - only when a report is made
    from itadesk.ui.file_check import finish_check  # noqa: PLC0415

    if not finish_check(parent, context):  # a report never shows figures of rows not checked
        return None
    return run_busy(parent, READING_REPORT,
                    lambda: build_report_data(context.document, context.org_uuid, context.year))
