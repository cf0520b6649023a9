"""The bar that says a file's figures are still being checked, and the wait before an export.

A file never seen on this computer opens at once with its own kept results on screen while
every row is checked in a thread (:mod:`itadesk.db.content_check`). Meanwhile this bar says
so, with the progress; when the check ends it goes away, or says plainly that some kept
results were wrong and the figures now shown are evaluated from the scores. Whatever leaves
the program (an export, a print, a save) calls :func:`finish_check` first, which waits for
the check with the busy dialog: nothing unchecked is ever written out.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from itadesk.db.errors import DocumentError
from itadesk.db.operations import EVERYTHING
from itadesk.ui.busy import GIL_SWITCH_S, run_busy, running

CHECKING = ("กำลังตรวจตัวเลขในไฟล์นี้… ตัวเลขที่เห็นตอนนี้อ่านจากผลที่เก็บไว้ในไฟล์ ยังไม่ได้ตรวจ "
            "(การส่งออก พิมพ์ และบันทึก จะรอให้ตรวจเสร็จก่อน)")
DISAGREED = ("ตรวจแล้ว: ผลคะแนนที่เก็บไว้ในไฟล์นี้บางรายการไม่ตรงกับคะแนนรายตัวชี้วัด "
             "โปรแกรมคำนวณใหม่จากคะแนนแล้ว ตัวเลขที่แสดงตอนนี้ถูกต้อง")
CHECKED = "ตรวจตัวเลขในไฟล์นี้เสร็จแล้ว ถูกต้องทั้งหมด"
FINISHING = "กำลังตรวจตัวเลขในไฟล์นี้ให้เสร็จก่อน…"
POLL_MS = 150
# The check starts once the first screen has been drawn and the rest of the rows mostly
# computed (~1 s on an office PC): it shares Python with the window.
START_AFTER_MS = 1000


class CheckBar(QFrame):
    """Shown while the open document's rows are checked (``Document.checking``)."""

    refused = Signal(object)  # DocumentError: the check refused the file (the window closes it)

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checkBar")
        self.setStyleSheet("QFrame#checkBar { background: #e8f1fb; border: 1px solid #9cbce0; border-radius: 3px; }"
                           "QFrame#checkBar[warning=\"true\"] { background: #fff4ce; border-color: #e0c060; }")
        self.context = context
        self._doc = None
        self._switch: float | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFixedWidth(180)
        self.close_button = QPushButton("ปิด")
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        context.documentChanged.connect(self._document_replaced)
        self.hide()

    @property
    def checking(self) -> bool:
        """The bar says the figures are being checked (what the tests wait on)."""
        return self.isVisible() and self.progress.isVisible()

    def watch(self, doc) -> None:
        """``doc`` was just shown: say so and start its check after the first screen."""
        self._stop()
        self._doc = doc
        if doc is None or not doc.checking:
            self.hide()
            return
        self._set_text(CHECKING, warning=False)
        self.progress.setValue(0)
        self.progress.show()
        self.close_button.hide()
        self.show()
        QTimer.singleShot(START_AFTER_MS, self._start)
        self._timer.start()

    def _start(self) -> None:
        doc = self._doc
        if doc is None or doc is not self.context.document or not doc.checking:
            return
        if self._switch is None:  # the window keeps Python's lock often while the check runs
            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch, GIL_SWITCH_S))
        doc.start_check()

    def _poll(self) -> None:
        doc = self._doc
        if doc is None or doc is not self.context.document:
            self._stop()
            return
        self.progress.setValue(int(doc.check_progress * 100))
        if doc.check_done and not running():  # a save's worker may be applying it right now
            try:
                self.finish()
            except DocumentError:  # its outcome could not be applied (a full disk): tried at the next tick
                pass

    def finish(self, parent: QWidget | None = None) -> bool:
        """Wait for the check (with the busy dialog) and show its outcome, once; False when it
        refused the file (``refused`` is emitted: the window closes it). Raises the
        :class:`DocumentError` saying why its outcome could not be applied yet (a full disk):
        the file stays open, still marked as being checked."""
        doc = self.context.document
        if doc is None:
            return True
        try:
            if doc.check_done:
                doc.wait_checked()
            else:
                doc.start_check()
                run_busy(parent or self.window(), FINISHING, doc.wait_checked)
        except DocumentError as exc:
            if doc.check_error is None:  # not a refusal
                raise
            self._stop()
            self.hide()
            if doc is self._doc:
                self._doc = None
                self.refused.emit(exc)
            return False
        if doc is not self._doc:
            return True
        self._stop()
        self._doc = None  # told once
        if doc.results_disagreed:  # the kept results lied: every view reads again, evaluated
            self._set_text(DISAGREED, warning=True)
            self.progress.hide()
            self.close_button.show()
            self.show()
            self.context.changed.emit(EVERYTHING)
        else:
            self.hide()
            status = getattr(self.window(), "statusBar", None)
            if status is not None:
                status().showMessage(CHECKED, 8000)
        return True

    def _set_text(self, text: str, warning: bool) -> None:
        self.label.setText(text)
        self.setProperty("warning", warning)
        self.style().unpolish(self)
        self.style().polish(self)

    def _stop(self) -> None:
        self._timer.stop()
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None

    def _document_replaced(self) -> None:
        if self.context.document is not self._doc:
            self._stop()
            self._doc = None
            self.hide()
        status = getattr(self.window(), "statusBar", None)
        if status is not None and status().currentMessage() == CHECKED:  # said of the file before
            status().clearMessage()


def finish_check(parent: QWidget | None, context) -> bool:
    """Before anything leaves the program: wait for the open document's check and show its
    outcome; False when the file was refused (the officer is told, the document closed).
    Raises a :class:`DocumentError` when the outcome could not be applied (a full disk)."""
    doc = context.document
    if doc is None:
        return True
    bar = getattr(context.parent(), "check_bar", None)
    if isinstance(bar, CheckBar):
        return bar.finish(parent)
    try:
        run_busy(parent, FINISHING, doc.wait_checked)
    except DocumentError:
        if doc.check_error is None:
            raise
        return False
    return True
