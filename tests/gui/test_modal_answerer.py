"""The GUI tests' dialog answerers (conftest.ModalAnswerer, Answers) wait as a user would, and fail clearly.

On a slow CI machine a question may come up seconds after the click that asks it. The
answerer used to give up after ~300 polls (~3 s) and the test then hung in the dialog's
exec() until pytest-timeout; now it waits by the clock, answers in the order the answers
were queued, and a dialog that never comes (or comes too late) is a failure that names it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from conftest import Answers, ModalAnswerer, click  # tests/gui/conftest.py


def _question(text: str, *buttons: str) -> QMessageBox:
    """A box as the program asks: its own Thai buttons, none of them an escape button."""
    box = QMessageBox(QMessageBox.Icon.Question, "ITA Desk", text)
    for label in buttons:
        box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
    box.setEscapeButton(None)
    return box


def _ask_later(ms: int, box: QMessageBox, answers: list) -> None:
    def ask():
        box.exec()
        answers.append(box.clickedButton().text() if box.clickedButton() else None)

    QTimer.singleShot(ms, ask)


def test_a_question_that_comes_late_is_still_answered(modal, qtbot):
    """4 s with nothing on screen: longer than the old answerer's ~3 s of polling."""
    box, answers = _question("บันทึกการเปลี่ยนแปลงหรือไม่", "บันทึก", "ไม่บันทึก"), []
    modal.click_when_shown("ไม่บันทึก")
    _ask_later(4000, box, answers)
    qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    assert answers == ["ไม่บันทึก"] and modal.seen == ["บันทึกการเปลี่ยนแปลงหรือไม่"]


def test_answers_go_to_the_dialogs_in_the_order_they_were_queued(modal, qtbot):
    first, second, answers = _question("รวมข้อมูลหรือไม่", "รวมข้อมูล", "ยกเลิก"), _question("รวมแล้ว", "ตกลง"), []
    modal.click_when_shown("รวมข้อมูล")
    modal.click_when_shown("ตกลง")
    _ask_later(50, first, answers)
    qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    _ask_later(50, second, answers)
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=30_000)
    assert answers == ["รวมข้อมูล", "ตกลง"] and modal.pending == []


def test_a_question_that_never_comes_fails_with_its_button_and_a_late_one_cannot_hang(qtbot):
    answerer = ModalAnswerer(qtbot)
    answerer.IDLE_WAIT_S = 0.5
    with qtbot.captureExceptions() as raised:
        answerer.click_when_shown("ลบ")
        qtbot.waitUntil(lambda: answerer.failure is not None, timeout=30_000)
    assert len(raised) == 1 and raised[0][0] is AssertionError
    assert "'ลบ'" in str(raised[0][1]) and "with no dialog on screen" in str(raised[0][1])
    # the question comes after all: rejected, so its exec() returns instead of hanging the test
    box, answers = _question("ลบแถวนี้หรือไม่", "ลบ", "ยกเลิก"), []
    _ask_later(0, box, answers)
    qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    assert answers == [None] and not box.isVisible()
    answerer.finish()  # the failure was already reported once


def test_a_test_that_ends_while_an_answer_is_waited_for_fails(qtbot):
    answerer = ModalAnswerer(qtbot)
    answerer.click_when_shown("ตกลง")
    with pytest.raises(pytest.fail.Exception, match="still waiting for a modal dialog to answer with \\['ตกลง'\\]"):
        answerer.finish()


def test_a_dialog_without_the_button_is_closed_and_named(qtbot):
    answerer = ModalAnswerer(qtbot)
    box, answers = _question("เปิดแบบอ่านอย่างเดียวหรือไม่", "เปิดแบบอ่านอย่างเดียว", "เปิดต่อไป"), []
    with qtbot.captureExceptions() as raised:
        answerer.click_when_shown("ตกลง")
        _ask_later(0, box, answers)
        qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    assert answers == [None]
    assert len(raised) == 1 and "no button 'ตกลง'" in str(raised[0][1])
    assert "เปิดแบบอ่านอย่างเดียวหรือไม่" in str(raised[0][1])
    answerer.finish()


def test_answers_by_kind_reject_a_window_nobody_answers_and_name_it(qtbot):
    answers = Answers([(lambda w: w.windowTitle() == "บันทึกเป็น PDF", click("บันทึก"))])
    answers.IDLE_WAIT_S = 0.5
    box, shown = _question("มีข้อมูลที่ยังไม่ได้กรอก จะพิมพ์ต่อหรือไม่", "พิมพ์ต่อ", "กลับไปแก้"), []
    with qtbot.captureExceptions() as raised:
        _ask_later(0, box, shown)
        qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    answers.timer.stop()
    assert shown == [None] and len(raised) == 1
    assert "มีข้อมูลที่ยังไม่ได้กรอก จะพิมพ์ต่อหรือไม่" in str(raised[0][1]) and "no answer was given" in str(raised[0][1])
    answers.stop()  # already reported: the window still awaited is not reported again


def test_answers_by_kind_fail_when_a_window_to_answer_never_came(qtbot):
    box, shown = _question("บันทึกแล้ว", "ตกลง"), []
    answers = Answers([(lambda w: w.text() == "บันทึกแล้ว", click("ตกลง")),
                       (lambda w: w.text() == "เปิดไฟล์ PDF หรือไม่", click("เปิด"))])
    _ask_later(0, box, shown)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == ["ตกลง"] and answers.seen == ["บันทึกแล้ว"]
    with pytest.raises(pytest.fail.Exception, match="1 of the windows to answer never came"):
        answers.stop()


def test_a_test_hung_in_a_dialog_nobody_answers_is_ended_with_its_stack(tmp_path):
    """The project's pytest-timeout settings end a test stuck in a dialog's exec(): it runs no
    Python there, so the signal method's handler never ran and such a test hung CI for good."""
    hung = tmp_path / "test_hung.py"
    hung.write_text("from PySide6.QtWidgets import QMessageBox\n\n\n"
                    "def test_nobody_answers(qtbot):\n"
                    "    QMessageBox(QMessageBox.Icon.Question, 'ITA Desk', 'บันทึกหรือไม่').exec()\n", encoding="utf-8")
    config = Path(__file__).resolve().parents[2] / "pyproject.toml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(config), "--rootdir", str(tmp_path),
         "--timeout", "3", str(hung)],
        capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=240,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Timeout" in out and "test_hung.py" in out and ".exec()" in out, out[-3000:]
