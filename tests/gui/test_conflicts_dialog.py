"""The conflicts dialog on real files: two copies of one document, edited apart, merged.

The conflict is made the way two offices make it: one file saved, copied to a second
stick, the same score changed differently in each, then one merged into the other.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from conftest import SCREENSHOTS, fail_on_call  # tests/gui/conftest.py
from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES
from itadesk.ita.model import Action, Organization
from itadesk.ui.conflicts_dialog import (
    DELETED,
    MINE_HEADER,
    NONE_AT_ALL,
    NONE_LEFT,
    THEIRS_HEADER,
    USE_MINE,
    USE_THEIRS,
    ConflictsDialog,
    compare_rows,
    resolve_conflicts,
)

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"
YEAR = 2568


def year_of(doc: Document) -> str:
    org = doc.store.find_organization(ORG)
    return doc.store.assessment_uuid(org.uuid, YEAR)


def score(doc: Document, indicator: int = 3) -> float | None:
    org = doc.store.find_organization(ORG)
    return doc.store.load_assessment(org.uuid, YEAR).indicators.get(indicator)


class Offices:
    """a.db and b.db on a stick, copies of one file; ``a`` is open, ``b`` is opened to edit."""

    def __init__(self, stick: Path):
        self.stick = stick
        doc = Document.new()
        org = doc.store.save_organization(Organization(name=ORG, kind="อบต.", district="เมืองอุดรธานี",
                                                        province="อุดรธานี"))
        a_uuid = doc.store.ensure_assessment(org.uuid, YEAR)
        doc.store.set_scores(a_uuid, {1: 91.0, 2: 88.5, 3: 65.0, 9: 80.0}, {})
        doc.store.set_analysis(a_uuid, 9, "การเปิดเผยข้อมูลบนเว็บไซต์ยังไม่ครบถ้วน")
        doc.store.save_action(a_uuid, Action(indicator=9, measure="ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน",
                                             owner="สำนักปลัด", steps="1. สำรวจข้อมูล"))
        doc.save_as(stick / "a.db")
        doc.close()
        shutil.copyfile(stick / "a.db", stick / "b.db")
        self.a = Document.open(stick / "a.db")

    def edit_both(self, mine, theirs) -> None:
        """``mine(doc)`` on a, ``theirs(doc)`` on b; both saved, then b merged into a."""
        b = Document.open(self.stick / "b.db")
        try:
            theirs(b)
            b.save()
        finally:
            b.close()
        mine(self.a)
        self.a.save()
        self.report = self.a.merge_from(self.stick / "b.db")

    def scores(self, mine: float = 70.0, theirs: float = 71.0) -> None:
        self.edit_both(lambda d: d.store.set_indicator_score(year_of(d), 3, mine),
                       lambda d: d.store.set_indicator_score(year_of(d), 3, theirs))


@pytest.fixture
def offices(app, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    o = Offices(stick)
    yield o
    o.a.close(discard=True)


@pytest.fixture
def dialog_of(qtbot):
    def make(doc):
        dialog = ConflictsDialog(doc)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog
    return make


def table_rows(dialog) -> list[tuple[str, str, str]]:
    t = dialog.table
    return [tuple(t.item(r, c).text() if t.item(r, c) else "" for c in range(3)) for r in range(t.rowCount())]


def reopen(doc: Document) -> Document:
    target = doc.target
    doc.save()
    doc.close()
    return Document.open(target)


# ---------------------------------------------------------------------------- listing

def test_the_conflict_is_listed_with_both_values(offices, dialog_of):
    offices.scores(70.0, 71.0)
    (conflict,) = offices.report.conflicts
    dialog = dialog_of(offices.a)
    assert dialog.windowTitle() == "ข้อมูลขัดแย้งจากการรวมไฟล์"
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text() == conflict.description
    assert "คะแนนตัวชี้วัดที่ 3" in dialog.list.item(0).text()
    assert dialog.current_conflict().uuid == conflict.uuid  # the first one is selected
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers[1:] == [MINE_HEADER, THEIRS_HEADER] == ["ค่าในไฟล์นี้", "ค่าจากไฟล์ที่รวม"]
    assert table_rows(dialog) == [("คะแนน", "70.00", "71.00")]  # only the field that differs
    assert dialog.mine_button.text() == USE_MINE == "ใช้ค่าในไฟล์นี้"
    assert dialog.theirs_button.text() == USE_THEIRS == "ใช้ค่าจากไฟล์ที่รวม"
    assert dialog.mine_button.isEnabled() and dialog.theirs_button.isEnabled()
    assert dialog.close_button.text() == "ปิด" and dialog.close_button.isDefault()
    assert not dialog.mine_button.autoDefault() and not dialog.theirs_button.autoDefault()  # Enter never chooses


def test_mine_is_what_the_file_holds_now(offices, dialog_of):
    """An edit after the merge is what "keep mine" keeps, so it is what is shown."""
    offices.scores(70.0, 71.0)
    offices.a.store.set_indicator_score(year_of(offices.a), 3, 72.5)
    dialog = dialog_of(offices.a)
    assert table_rows(dialog) == [("คะแนน", "72.50", "71.00")]


# ---------------------------------------------------------------------------- choosing

def test_choosing_theirs_takes_their_score_and_empties_the_list(offices, dialog_of, qtbot):
    offices.scores(70.0, 71.0)
    dialog = dialog_of(offices.a)
    changes = []
    dialog.resolved.connect(lambda uuid, choice: changes.append(choice))
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert changes == ["theirs"] and dialog.resolved_count == 1
    assert score(offices.a) == 71.0
    assert offices.a.conflicts() == [] and dialog.list.count() == 0
    assert dialog.done_label.isVisible() and dialog.done_label.text() == NONE_LEFT == "ไม่มีข้อมูลขัดแย้งแล้ว"
    assert not dialog.intro.isVisible() and dialog.done_hint.text() == "ค่าที่เลือกไว้จะถูกเก็บลงไฟล์เมื่อกด บันทึก"
    assert not dialog.mine_button.isEnabled() and not dialog.theirs_button.isEnabled()
    assert offices.a.dirty  # a choice is an edit: it reaches the stick with the next save
    qtbot.mouseClick(dialog.close_button, Qt.LeftButton)
    assert not dialog.isVisible()

    offices.a = again = reopen(offices.a)
    assert again.conflicts() == [] and score(again) == 71.0


def test_choosing_mine_keeps_our_score(offices, dialog_of, qtbot):
    offices.scores(70.0, 71.0)
    dialog = dialog_of(offices.a)
    qtbot.mouseClick(dialog.mine_button, Qt.LeftButton)
    assert score(offices.a) == 70.0 and dialog.list.count() == 0 and offices.a.conflicts() == []
    offices.a = again = reopen(offices.a)
    assert again.conflicts() == [] and score(again) == 70.0
    report = again.merge_from(offices.stick / "b.db")  # the same file again asks nothing
    assert report.conflicts == [] and report.known_conflicts == 0


def test_the_next_conflict_is_selected_after_a_choice(offices, dialog_of, qtbot):
    def ours(d):
        d.store.set_indicator_score(year_of(d), 3, 70.0)
        d.store.set_indicator_score(year_of(d), 9, 81.0)

    def theirs(d):
        d.store.set_indicator_score(year_of(d), 3, 71.0)
        d.store.set_indicator_score(year_of(d), 9, 82.0)

    offices.edit_both(ours, theirs)
    dialog = dialog_of(offices.a)
    assert dialog.list.count() == 2 and dialog.count_label.text() == "รายการที่ยังต้องเลือก 2 รายการ"
    first, second = dialog.conflicts()
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert dialog.list.count() == 1 and dialog.current_conflict().uuid == second.uuid
    assert dialog.count_label.text() == "รายการที่ยังต้องเลือก 1 รายการ"
    indicator = first.mine["indicator"]
    assert score(offices.a, indicator) == first.theirs["score"]


def test_resolve_conflicts_shows_the_dialog_and_counts(offices, qtbot):
    offices.scores(70.0, 71.0)
    calls = []
    seen = []

    def act():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictsDialog):
            QTimer.singleShot(10, act)
            return
        seen.append(dialog.list.count())
        dialog.theirs_button.click()
        seen.append(len(calls))  # on_changed ran right after the choice, dialog still open
        dialog.close_button.click()

    QTimer.singleShot(0, act)
    assert resolve_conflicts(None, offices.a, lambda: calls.append(1)) == 1
    assert seen == [1, 1] and calls == [1]
    assert score(offices.a) == 71.0


def test_nothing_to_resolve(offices, dialog_of):
    dialog = dialog_of(offices.a)
    assert dialog.list.count() == 0 and dialog.done_label.text() == NONE_AT_ALL
    assert not dialog.theirs_button.isEnabled()


# ---------------------------------------------------------------------------- failures

def test_a_refused_write_is_said_in_thai_and_the_conflict_stays(offices, dialog_of, qtbot, modal, monkeypatch):
    offices.scores(70.0, 71.0)
    dialog = dialog_of(offices.a)
    calls = []
    dialog.resolved.connect(lambda *_: calls.append(1))
    fail_on_call(monkeypatch, offices.a, "resolve_conflict", 1, "FULL")
    modal.click_when_shown("ตกลง")
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert modal.seen == [MESSAGES["FULL"]]
    assert calls == [] and dialog.resolved_count == 0
    assert dialog.list.count() == 1 and score(offices.a) == 70.0
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)  # the stick has room again
    assert score(offices.a) == 71.0 and dialog.list.count() == 0


def test_a_conflict_resolved_elsewhere_is_said_and_leaves_the_list(offices, dialog_of, qtbot, modal):
    offices.scores(70.0, 71.0)
    dialog = dialog_of(offices.a)
    offices.a.resolve_conflict(dialog.current_conflict().uuid, "mine")
    modal.click_when_shown("ตกลง")
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert modal.seen == [MESSAGES["CONFLICT_GONE"]]
    assert dialog.list.count() == 0 and score(offices.a) == 70.0


def test_a_readonly_file_shows_but_cannot_choose(offices, dialog_of):
    offices.scores(70.0, 71.0)
    offices.a.save()
    target = offices.a.target
    readonly = Document.open(target, readonly=True)
    try:
        dialog = dialog_of(readonly)
        assert dialog.list.count() == 1 and dialog.readonly_note.isVisible()
        assert not dialog.mine_button.isEnabled() and not dialog.theirs_button.isEnabled()
        assert not dialog.choose("theirs")
    finally:
        readonly.close()


# ---------------------------------------------------------------------------- plan rows

def _first_action(d: Document) -> Action:
    return d.store.actions(year_of(d))[0]


def test_a_plan_row_shows_its_fields_in_thai(offices, dialog_of, qtbot):
    def ours(d):
        a = _first_action(d)
        a.owner, a.start, a.end, a.status = "กองคลัง", date(2025, 10, 1), date(2026, 3, 31), "in_progress"
        d.store.save_action(year_of(d), a)

    def theirs(d):
        a = _first_action(d)
        a.measure, a.owner, a.steps = "จัดทำเว็บไซต์ใหม่", "กองช่าง", "1. จ้างผู้พัฒนา\n2. ย้ายข้อมูล"
        d.store.save_action(year_of(d), a)

    offices.edit_both(ours, theirs)
    dialog = dialog_of(offices.a)
    rows = {label: (mine, their) for label, mine, their in table_rows(dialog)}
    assert rows["มาตรการ"] == ("ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน", "จัดทำเว็บไซต์ใหม่")
    assert rows["ผู้รับผิดชอบ"] == ("กองคลัง", "กองช่าง")
    assert rows["ขั้นตอน"] == ("1. สำรวจข้อมูล", "1. จ้างผู้พัฒนา\n2. ย้ายข้อมูล")
    assert rows["วันเริ่มต้น"] == ("1 ตุลาคม 2568", "(ว่าง)")
    assert rows["วันสิ้นสุด"] == ("31 มีนาคม 2569", "(ว่าง)")
    assert rows["สถานะ"] == ("กำลังดำเนินการ", "ยังไม่เริ่ม")
    assert "ประเด็น (ตัวชี้วัด)" not in rows  # unchanged fields are not listed
    listed = dialog.list.item(0).text()  # the merge names columns; the list says them in Thai
    assert "ผู้รับผิดชอบ: กองคลัง" in listed and "owner=" not in listed and "มาตรการ: " in listed
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    got = _first_action(offices.a)
    assert (got.measure, got.owner, got.start, got.status) == ("จัดทำเว็บไซต์ใหม่", "กองช่าง", None, "not_started")


def test_a_side_that_deleted_the_row_reads_deleted(offices, dialog_of, qtbot):
    def ours(d):
        a = _first_action(d)
        a.status = "done"
        d.store.save_action(year_of(d), a)

    offices.edit_both(ours, lambda d: d.store.delete_action(_first_action(d).uuid))
    (conflict,) = offices.report.conflicts
    assert conflict.kind == "deleted_there"
    dialog = dialog_of(offices.a)
    rows = table_rows(dialog)
    labels = [r[0] for r in rows]
    assert labels[:4] == ["ประเด็น (ตัวชี้วัด)", "มาตรการ", "ผู้รับผิดชอบ", "ขั้นตอน"]
    assert rows[0][1:] == ("ตัวชี้วัดที่ 9", DELETED) and DELETED == "(ถูกลบ)"
    assert dict((r[0], r[1]) for r in rows)["สถานะ"] == "เสร็จสิ้น"
    assert "ลำดับในแผน" not in labels  # where the row stands is no help in choosing
    assert dialog.table.rowSpan(0, 2) == len(rows)  # one "(ถูกลบ)" down the whole side
    assert "ลบรายการนี้ออกจากไฟล์นี้" in dialog.kind_hint.text()
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert offices.a.store.actions(year_of(offices.a)) == []


def test_taking_their_deletion_of_a_whole_year_asks_first(offices, dialog_of, qtbot, modal):
    offices.edit_both(lambda d: d.store.set_indicator_score(year_of(d), 3, 70.0),
                      lambda d: d.store.delete_assessment(year_of(d)))
    dialog = dialog_of(offices.a)
    years = [i for i, c in enumerate(dialog.conflicts()) if c.table == "assessments"]
    assert years, [c.table for c in dialog.conflicts()]
    dialog.select(years[0])
    assert dict((r[0], r[1:]) for r in table_rows(dialog))["ปีงบประมาณ"] == ("2568", DELETED)
    before = len(dialog.conflicts())
    modal.click_when_shown("ยกเลิก")
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert "ผลการประเมินปีนี้ทั้งหมด" in modal.seen[0]
    assert len(dialog.conflicts()) == before and year_of(offices.a) is not None
    modal.click_when_shown("ลบ")
    qtbot.mouseClick(dialog.theirs_button, Qt.LeftButton)
    assert year_of(offices.a) is None and dialog.resolved_count == 1
    left = [i for i, c in enumerate(dialog.conflicts()) if c.table == "indicator_scores"]
    assert left  # score 3, changed here and deleted there: gone with its year now
    dialog.select(left[0])
    assert table_rows(dialog) == [("รายการ", DELETED, DELETED)]
    assert "ตรงกันแล้ว" in dialog.kind_hint.text()


def test_compare_rows_formats_every_kind_of_field():
    rows, same = compare_rows("item_scores", {"code": "o5", "part": 2, "score": 50.0},
                              {"code": "o5", "part": 2, "score": 100.0})
    assert rows == [("คะแนน", "50.00", "100.00")] and not same
    rows, _ = compare_rows("recommendations", None, {"tool": "EIT", "text": "ควรเปิดเผยข้อมูล"})
    assert rows == [("เครื่องมือ", DELETED, "EIT"), ("ข้อความ", DELETED, "ควรเปิดเผยข้อมูล")]
    rows, _ = compare_rows("organizations", {"name": "อบต.ก", "province": "อุดรธานี"},
                           {"name": "อบต.ก", "province": "หนองคาย"})
    assert rows == [("จังหวัด", "อุดรธานี", "หนองคาย")]
    rows, same = compare_rows("analyses", {"indicator": 9, "text": "x"}, {"indicator": 9, "text": "x"})
    assert same and rows == [("ตัวชี้วัด", "ตัวชี้วัดที่ 9", "ตัวชี้วัดที่ 9"), ("ข้อความ", "x", "x")]


# ---------------------------------------------------------------------------- screenshot

def test_screenshot_conflicts(offices, qtbot, tmp_path):
    """docs/screenshots/conflicts.png when ITADESK_SCREENSHOTS=1, else a temporary folder."""
    def ours(d):
        y = year_of(d)
        d.store.set_indicator_score(y, 3, 70.0)
        d.store.set_analysis(y, 9, "ข้อมูลบนเว็บไซต์ยังไม่ครบถ้วน โดยเฉพาะรายงานผลการจัดซื้อจัดจ้างรายเดือน")
        a = _first_action(d)
        a.owner, a.start, a.end, a.status = "กองคลัง", date(2025, 10, 1), date(2026, 3, 31), "in_progress"
        d.store.save_action(y, a)

    def theirs(d):
        y = year_of(d)
        d.store.set_indicator_score(y, 3, 71.0)
        d.store.set_analysis(y, 9, "ประชาชนเข้าถึงข้อมูลข่าวสารของหน่วยงานได้น้อย ควรปรับปรุงหน้าเว็บไซต์")
        a = _first_action(d)
        a.measure, a.owner, a.steps = "จัดทำเว็บไซต์ใหม่ตามมาตรฐาน ITA", "กองช่าง", "1. จ้างผู้พัฒนา\n2. ย้ายข้อมูลเดิม"
        d.store.save_action(y, a)

    offices.edit_both(ours, theirs)
    dialog = ConflictsDialog(offices.a)
    qtbot.addWidget(dialog)
    dialog.resize(960, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    actions = [i for i, c in enumerate(dialog.conflicts()) if c.table == "actions"]
    dialog.select(actions[0])
    for _ in range(3):
        QApplication.processEvents()
    dialog.repaint()
    target = SCREENSHOTS if os.environ.get("ITADESK_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    image = dialog.grab()
    assert (image.width(), image.height()) == (960, 640)
    assert image.save(str(target / "conflicts.png"))
