"""Slow work runs off the GUI thread: the window keeps running its event loop meanwhile,
and the caller gets the result or the exception as if the call had been made in place."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QVBoxLayout, QWidget

from itadesk.db.errors import DocumentError
from itadesk.ui.busy import run_busy

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_work_runs_in_another_thread_while_the_window_keeps_running(qapp):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(threading.get_ident()))
    timer.start(5)

    def slow():
        """A slow stick: the work lasts until the window's timer has ticked ten times meanwhile
        (a count of ticks in a fixed time would depend on how loaded the machine is)."""
        end = time.monotonic() + 120
        while len(ticks) < 10 and time.monotonic() < end:
            time.sleep(0.01)
        return threading.get_ident(), len(ticks)

    try:
        worker, ticked_meanwhile = run_busy(None, "กำลังบันทึกไฟล์…", slow)
    finally:
        timer.stop()
    assert worker != threading.get_ident()
    assert ticked_meanwhile >= 10 and set(ticks) == {threading.get_ident()}  # the GUI thread kept ticking


def test_a_click_on_the_window_while_a_worker_runs_reaches_nothing(qapp, qtbot):
    """Input is held back at the window (where the platform delivers it), not app-wide."""
    window = QWidget()
    button = QPushButton("บันทึก")
    QVBoxLayout(window).addWidget(button)
    window.resize(300, 120)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    clicks, clicked_while_busy = [], threading.Event()
    button.clicked.connect(lambda: clicks.append(1))

    def click():
        where = button.mapTo(window, button.rect().center())
        QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
        clicked_while_busy.set()

    QTimer.singleShot(50, click)
    assert run_busy(window, "กำลังบันทึกไฟล์…", lambda: clicked_while_busy.wait(30))
    assert clicks == []
    # the same click once the work is done reaches the button
    click()
    qtbot.waitUntil(lambda: clicks == [1])


def test_work_that_lasts_shows_the_please_wait_dialog_until_it_is_done(qapp, qtbot):
    """After DIALOG_AFTER_MS a modal "please wait" dialog says what is being done (it is made
    only then: most work is over sooner); it is gone once the work is."""
    seen, dialog_seen = [], threading.Event()

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QProgressDialog) and widget.isVisible():
            seen.append((widget.windowTitle(), widget.labelText()))
            dialog_seen.set()
        elif not dialog_seen.is_set():
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    assert run_busy(None, "กำลังบันทึกไฟล์…", lambda: dialog_seen.wait(60))
    assert seen[:1] == [("กรุณารอสักครู่", "กำลังบันทึกไฟล์…")]
    qtbot.waitUntil(lambda: not isinstance(QApplication.activeModalWidget(), QProgressDialog))


def test_a_failure_in_the_worker_is_raised_to_the_caller(qapp):
    def full():
        raise DocumentError("FULL")

    with pytest.raises(DocumentError) as info:
        run_busy(None, "กำลังบันทึกไฟล์…", full)
    assert info.value.kind == "FULL"


def test_the_document_saved_in_a_worker_is_used_on_the_gui_thread(window, tmp_path):
    """The working copy's connection moves between threads, one at a time."""
    from itadesk.db.document import Document
    from itadesk.db.operations import SaveOrganization, SetScores
    from itadesk.ita.model import Organization

    path = tmp_path / "ITA.db"
    doc = run_busy(None, "", Document.new)
    org = Organization(name="องค์การบริหารส่วนตำบลเชียงพิณ")
    doc.apply(SaveOrganization(org))
    run_busy(None, "", lambda: doc.save_as(path))
    doc.apply(SetScores(org.uuid, 2568, {9: 80.0}, {}))
    run_busy(None, "", doc.save)
    doc.close()
    again = run_busy(None, "", lambda: Document.open(path))
    assert again.load_assessment(org.uuid, 2568).indicators == {9: 80.0}
    again.close()


def test_the_window_keeps_running_while_it_opens_saves_and_merges_the_reference_file(window, tmp_path,
                                                                                    reference_json, monkeypatch):
    """A timer of the window's own thread keeps firing while each of these runs in its worker
    (the busy cursor is up exactly then); how long each takes is measured in bench/gui_freeze.py."""
    import shutil

    from PySide6.QtWidgets import QApplication

    from itadesk import cli
    from itadesk.ui import dialogs

    path = tmp_path / "ITA เชียงพิณ.db"
    assert cli.main(["import", str(path), str(reference_json)]) == 0
    other = tmp_path / "อีกสำนักงาน.db"
    shutil.copyfile(path, other)
    busy_ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: QApplication.overrideCursor() is not None
                          and busy_ticks.append(threading.get_ident()))
    timer.start(1)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(other))
    monkeypatch.setattr(dialogs, "show_merge_report", lambda *a, **k: None)
    done = []
    try:
        for name, action in (("open", lambda: window.open_document(path)), ("save", window.save),
                             ("merge", window.merge_file)):
            busy_ticks.clear()
            assert action(), name
            assert QApplication.overrideCursor() is None, name  # the busy cursor went with the worker
            done.append((name, len(busy_ticks) > 0 and set(busy_ticks) == {threading.get_ident()}))
    finally:
        timer.stop()
    assert done == [("open", True), ("save", True), ("merge", True)]
    assert window.document.target == path and window.scores_tab.indicator_model.rowCount() == 10
