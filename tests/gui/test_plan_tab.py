"""The plan tab, its row dialog and the BE date field, on a real document file.

The main journey of issue 5 is here, through the real window and a real document: the
reference data → draft the analysis → edit it → create the plan from the analysis → add a
row by hand (a backwards period refused) → save as a new file → close → reopen it through
the window, and find every word.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from conftest import (  # tests/gui/conftest.py
    fail_on_call, read_back, reference_file, screenshot_dir, settle, type_text,
)
from itadesk.db.errors import MESSAGES
from itadesk.ita.model import Action
from itadesk.ita.recommendations import load_measures, load_recommendations
from itadesk.ui import dialogs
from itadesk.ui.action_dialog import ActionDialog
from itadesk.ui.context import DocumentContext
from itadesk.ui.plan_models import PERIOD, indicator_label
from itadesk.ui.plan_tab import PlanTab, ProposalDialog
from itadesk.ui.thai_date_edit import ThaiDateEdit, ThaiDateError, parse_thai_date
from itadesk.db.operations import EVERYTHING


@pytest.fixture
def plan(opened, qtbot):
    tab = PlanTab(opened.context)
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    return tab


def _accept_proposals(tab: PlanTab, qtbot) -> ProposalDialog:
    dialog = tab.current_dialog
    assert isinstance(dialog, ProposalDialog)
    dialog.accept()
    return dialog


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    type_text(widget, text)


# ---------------------------------------------------------------------------- the journey

def test_in_the_window_draft_plan_add_save_as_close_reopen_find_every_word(
    window, modal, tmp_path, reference_json, qtbot, monkeypatch
):
    # 0. the file with the NACC's part of the reference, opened through the window
    source = reference_file(tmp_path / "เชียงพิณ.itadesk", reference_json, scores_only=True)
    assert window.open_document(source)
    assert window.year_combo.currentData() == 2568
    context, analysis, plan = window.context, window.analysis_tab, window.plan_tab
    org_uuid = context.org_uuid
    window.tabs.setCurrentWidget(analysis)

    # 1. draft the analysis from the scores: o5, o12, o23 named with their standard texts
    texts = load_recommendations(2568)
    analysis.draft_button.click()
    stored = context.current_assessment().analysis
    for code, number in (("o5", 9), ("o12", 9), ("o23", 10)):
        assert code in stored[number] and texts.for_item(code) in stored[number]
    assert stored[1].startswith("ผ่านตามหลักเกณฑ์")

    # 2. the officer edits indicator 9's text in the box; it saves itself after a pause
    analysis.select_indicator(9)
    assert analysis.analysis_edit.toPlainText() == stored[9]
    analysis.analysis_edit.setFocus()
    analysis.analysis_edit.moveCursor(analysis.analysis_edit.textCursor().MoveOperation.End)
    type_text(analysis.analysis_edit, "\nมอบหมายกองคลังเผยแพร่แผนจัดซื้อจัดจ้างภายในเดือนตุลาคม")
    qtbot.waitUntil(lambda: "ภายในเดือนตุลาคม" in context.current_assessment().analysis[9])
    # and the assessors' OIT recommendation gets a line pasted under it
    analysis.pages.setCurrentIndex(1)
    oit = analysis.recommendation_edits["OIT"]
    oit.moveCursor(oit.textCursor().MoveOperation.End)
    oit.insertPlainText("\nหมายเหตุสำนักปลัด: ตรวจสอบลิงก์เว็บไซต์หลักทุกไตรมาส")
    oit.flush()

    # 3. create the plan from the analysis: weak indicators 3, 9, 10 from the measure library
    window.tabs.setCurrentWidget(plan)
    plan.propose_button.click()
    _accept_proposals(plan, qtbot)
    library = load_measures(2568)
    expected = len(library.for_indicator(3)) + len(library.for_indicator(9)) + len(library.for_indicator(10))
    assert plan.model.rowCount() == expected
    first = plan.model.action_at(0)
    assert (first.start, first.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert plan.model.data(plan.model.index(0, PERIOD)) == "1 ตุลาคม 2568 –\n30 กันยายน 2569"

    # 4. add a row by hand through the dialog; the default period is fiscal year 2569
    plan.add_button.click()
    dialog = plan.current_dialog
    assert isinstance(dialog, ActionDialog)
    assert dialog.start_edit.text() == "1 ตุลาคม 2568" and dialog.end_edit.text() == "30 กันยายน 2569"
    dialog.indicator_combo.setCurrentIndex(dialog.indicator_combo.findData(10))
    type_text(dialog.measure_edit, "อบรมเจ้าหน้าที่เรื่องการรับสินบนและผลประโยชน์ทับซ้อน")
    _type(qtbot, dialog.owner_combo.lineEdit(), "งานนิติการ สำนักปลัด")
    type_text(dialog.steps_edit, "1. จัดอบรมปีละ 2 ครั้ง\n2. สรุปผลเสนอนายก")
    # a period that ends before it starts (as in the reference report) is refused
    _type(qtbot, dialog.start_edit.line_edit, "1 ตุลาคม 2569")
    _type(qtbot, dialog.end_edit.line_edit, "30 กันยายน 2569")
    assert dialog.period_error.isVisible()
    assert "วันสิ้นสุด (30 กันยายน 2569) อยู่ก่อนวันเริ่มต้น (1 ตุลาคม 2569)" in dialog.period_error.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog.accept()  # even called directly, it will not close
    assert dialog.isVisible() and plan.current_dialog is dialog
    assert plan.model.rowCount() == expected
    # a year far from the plan's is refused too, and so is a Christian-era year
    _type(qtbot, dialog.end_edit.line_edit, "30 ก.ย. 2580")
    assert "อยู่นอกช่วงปีงบประมาณ" in dialog.period_error.text() and not dialog.ok_button.isEnabled()
    _type(qtbot, dialog.end_edit.line_edit, "30/9/2026")
    assert "ค.ศ." in dialog.period_error.text() and not dialog.ok_button.isEnabled()
    # fixed: a Thai-digit, short-month end date is read and accepted
    _type(qtbot, dialog.end_edit.line_edit, "๓๐ มิ.ย. ๗๐")
    assert not dialog.period_error.isVisible() and dialog.ok_button.isEnabled()
    dialog.status_combo.setCurrentText("กำลังดำเนินการ")
    type_text(dialog.progress_edit, "จัดอบรมครั้งที่ 1 แล้ว 24 คน")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert plan.current_dialog is None
    assert plan.model.rowCount() == expected + 1
    assert "งานนิติการ สำนักปลัด" in context.document._store.units()  # the new unit is offered next time

    # 5. save as a new file (the stick), then close through the window: nothing to ask
    stick = tmp_path / "stick"
    stick.mkdir()
    target = stick / "ITA เชียงพิณ 2568.db"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested="": target)
    window.save_as_action.trigger()
    assert window.document.target == target and window.windowTitle() == "ITA เชียงพิณ 2568.db — ITA Desk"
    window.close_action.trigger()
    assert window.document is None and modal.seen == []
    assert read_back(source, org_uuid).analysis == {}  # the file it came from is as it was

    # 6. open it again through the window, and every word is there: in the tabs and the file
    assert window.open_document(target)
    assert (context.org_uuid, context.year) == (org_uuid, 2568)
    window.tabs.setCurrentWidget(analysis)
    analysis.select_indicator(9)
    assert analysis.analysis_edit.toPlainText().endswith("มอบหมายกองคลังเผยแพร่แผนจัดซื้อจัดจ้างภายในเดือนตุลาคม")
    assert analysis.recommendation_edits["OIT"].toPlainText().endswith(
        "หมายเหตุสำนักปลัด: ตรวจสอบลิงก์เว็บไซต์หลักทุกไตรมาส")
    window.tabs.setCurrentWidget(plan)
    assert plan.model.rowCount() == expected + 1
    assert plan.model.action_at(expected).measure == "อบรมเจ้าหน้าที่เรื่องการรับสินบนและผลประโยชน์ทับซ้อน"

    again = read_back(target, org_uuid)
    assert "มอบหมายกองคลังเผยแพร่แผนจัดซื้อจัดจ้างภายในเดือนตุลาคม" in again.analysis[9]
    for code, number in (("o5", 9), ("o12", 9), ("o23", 10)):
        assert texts.for_item(code) in again.analysis[number]
    assert again.recommendations["OIT"].endswith("หมายเหตุสำนักปลัด: ตรวจสอบลิงก์เว็บไซต์หลักทุกไตรมาส")
    assert len(again.actions) == expected + 1
    proposed = [a.measure for a in again.actions[:expected]]
    assert proposed == [m.measure for n in (3, 9, 10) for m in library.for_indicator(n)]
    hand = again.actions[-1]
    assert hand.indicator == 10
    assert hand.measure == "อบรมเจ้าหน้าที่เรื่องการรับสินบนและผลประโยชน์ทับซ้อน"
    assert hand.owner == "งานนิติการ สำนักปลัด"
    assert hand.steps == "1. จัดอบรมปีละ 2 ครั้ง\n2. สรุปผลเสนอนายก"
    assert (hand.start, hand.end) == (date(2026, 10, 1), date(2027, 6, 30))
    assert hand.status == "in_progress" and hand.progress_note == "จัดอบรมครั้งที่ 1 แล้ว 24 คน"


# ---------------------------------------------------------------------------- plan editing

def _seed_plan(context, rows: int = 3) -> list[Action]:
    a_uuid = context.document._store.ensure_assessment(context.org_uuid, context.year)
    actions = [Action(indicator=n + 1, measure=f"มาตรการที่ {n + 1}", owner="กองคลัง") for n in range(rows)]
    for a in actions:
        context.document._store.save_action(a_uuid, a)
    context.changed.emit(EVERYTHING)
    return actions


def _measures(tab: PlanTab) -> list[str]:
    return [a.measure for a in tab.model.actions]


def test_move_duplicate_delete_and_undo_each(plan, opened):
    context = opened.context
    _seed_plan(context)
    assert _measures(plan) == ["มาตรการที่ 1", "มาตรการที่ 2", "มาตรการที่ 3"]
    plan.select_row(0)
    assert not plan.up_button.isEnabled() and plan.down_button.isEnabled()
    plan.down_button.click()
    assert _measures(plan) == ["มาตรการที่ 2", "มาตรการที่ 1", "มาตรการที่ 3"]
    assert plan.selected_row() == 1  # the moved row stays selected
    plan.duplicate_button.click()
    assert _measures(plan) == ["มาตรการที่ 2", "มาตรการที่ 1", "มาตรการที่ 1", "มาตรการที่ 3"]
    assert len({a.uuid for a in plan.model.actions}) == 4
    plan.select_row(3)
    plan.delete_button.click()
    assert _measures(plan) == ["มาตรการที่ 2", "มาตรการที่ 1", "มาตรการที่ 1"]

    stack = context.undo_stack
    stack.undo()  # delete
    assert _measures(plan) == ["มาตรการที่ 2", "มาตรการที่ 1", "มาตรการที่ 1", "มาตรการที่ 3"]
    stack.undo()  # duplicate
    assert _measures(plan) == ["มาตรการที่ 2", "มาตรการที่ 1", "มาตรการที่ 3"]
    stack.undo()  # move
    assert _measures(plan) == ["มาตรการที่ 1", "มาตรการที่ 2", "มาตรการที่ 3"]
    stack.redo()
    assert _measures(plan) == ["มาตรการที่ 2", "มาตรการที่ 1", "มาตรการที่ 3"]
    # what the table shows is what the file holds
    stored = context.document._store.actions(context.assessment_uuid())
    assert [a.measure for a in stored] == _measures(plan)


def test_delete_in_the_middle_comes_back_in_place(plan, opened):
    context = opened.context
    _seed_plan(context)
    plan.select_row(1)
    plan.delete_button.click()
    assert _measures(plan) == ["มาตรการที่ 1", "มาตรการที่ 3"]
    assert plan.selected_row() == 1  # the next row is selected, ready for another delete
    context.undo_stack.undo()
    assert _measures(plan) == ["มาตรการที่ 1", "มาตรการที่ 2", "มาตรการที่ 3"]
    assert plan.selected_row() == 1


def test_edit_through_the_dialog_and_undo(plan, opened, qtbot):
    context = opened.context
    _seed_plan(context, 1)
    plan.select_row(0)
    plan.edit_button.click()
    dialog = plan.current_dialog
    assert isinstance(dialog, ActionDialog) and dialog.measure_edit.toPlainText() == "มาตรการที่ 1"
    _type(qtbot, dialog.measure_edit, "มาตรการที่แก้แล้ว")
    dialog.status_combo.setCurrentText("เสร็จสิ้น")
    dialog.accept()
    assert plan.model.action_at(0).measure == "มาตรการที่แก้แล้ว"
    assert plan.model.action_at(0).status == "done"
    context.undo_stack.undo()
    assert plan.model.action_at(0).measure == "มาตรการที่ 1"
    assert plan.model.action_at(0).status == "not_started"


def test_double_click_opens_the_editor(plan, opened, qtbot):
    _seed_plan(opened.context, 1)
    QApplication.processEvents()
    rect = plan.view.visualRect(plan.model.index(0, 1))
    qtbot.mouseClick(plan.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(plan.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(plan.current_dialog, ActionDialog)
    plan.current_dialog.reject()
    assert plan.current_dialog is None


def test_create_from_analysis_is_one_undo_step_and_marks_what_is_planned(plan, opened):
    context = opened.context
    plan.propose_button.click()
    _accept_proposals(plan, None)
    count = plan.model.rowCount()
    assert count > 0 and {a.indicator for a in plan.model.actions} == {3, 9, 10}
    # asking again proposes the same rows, unchecked and marked as already planned
    plan.propose_button.click()
    dialog = plan.current_dialog
    assert dialog.model.chosen() == []
    assert dialog.model.data(dialog.model.index(0, 3)) == "มีในแผนแล้ว"
    dialog.reject()
    assert plan.model.rowCount() == count
    context.undo_stack.undo()
    assert plan.model.rowCount() == 0
    context.undo_stack.redo()
    assert plan.model.rowCount() == count


def test_rows_the_file_refuses_halfway_are_not_added(plan, opened, monkeypatch):
    """Rows added together are one transaction: the stick filling up at the second keeps none."""
    context = opened.context
    failures = []
    context.failed.connect(failures.append)
    fail_on_call(monkeypatch, context.document._store, "_save_action", 2)
    plan.add_rows([Action(9, f"มาตรการที่ {n}") for n in range(3)], "สร้างแผนจากผลการวิเคราะห์")
    assert failures == [MESSAGES["FULL"]]
    assert context.current_assessment().actions == [] and plan.model.rowCount() == 0
    assert context.undo_stack.count() == 0


def test_undoing_the_first_rows_of_a_year_leaves_no_empty_year(plan, opened):
    context, org_uuid = opened.context, opened.org_uuid
    context.select(org_uuid, 2569)
    plan.add_rows([Action(9, "มาตรการ ก"), Action(10, "มาตรการ ข")], "คัดลอกแผนจากปี 2568")
    assert [a.measure for a in context.document._store.load_assessment(org_uuid, 2569).actions] == ["มาตรการ ก", "มาตรการ ข"]
    context.undo_stack.undo()
    assert context.document._store.assessment_uuid(org_uuid, 2569) is None and plan.model.rowCount() == 0
    context.undo_stack.redo()
    assert plan.model.rowCount() == 2


def test_redo_of_several_rows_selects_the_first_of_them(plan, opened):
    """The rows an undo or redo touched are a set of uuids: the row chosen after it is the
    first of them in the table's order, not the first the set's (hash-seeded) order gives."""
    context = opened.context
    _seed_plan(context, 2)
    plan.add_rows([Action(9, f"มาตรการเพิ่ม {n}") for n in range(12)], "สร้างแผนจากผลการวิเคราะห์")
    assert plan.selected_row() == 2  # the first added row, after the two already there
    plan.select_row(0)
    context.undo_stack.undo()
    assert plan.model.rowCount() == 2 and plan.selected_row() == 0  # the chosen row stays chosen
    context.undo_stack.redo()
    assert plan.model.rowCount() == 14
    assert plan.model.action_at(plan.selected_row()).measure == "มาตรการเพิ่ม 0"
    context.undo_stack.undo()
    context.undo_stack.redo()
    assert plan.model.action_at(plan.selected_row()).measure == "มาตรการเพิ่ม 0"


@pytest.mark.parametrize("seed", ["1", "2"])
def test_the_row_chosen_after_redo_is_the_same_under_another_hash_seed(seed, tmp_path):
    """The same test in a fresh Python whose string hashes are seeded otherwise."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONHASHSEED=seed, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         f"{__file__}::test_redo_of_several_rows_selects_the_first_of_them"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )
    assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_unchecked_proposals_are_not_added(plan):
    plan.propose_button.click()
    dialog = plan.current_dialog
    dialog.model.set_all(False)
    dialog.model.setData(dialog.model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    dialog.accept()
    assert plan.model.rowCount() == 1


def test_copy_from_last_years_plan(plan, opened):
    context, org_uuid = opened.context, opened.org_uuid
    store = context.document._store
    old_uuid = store.assessment_uuid(org_uuid, 2567)
    store.save_action(old_uuid, Action(9, "จัดทำแผนจัดซื้อจัดจ้างปีที่แล้ว", "กองคลัง", "1. ทำ", date(2024, 10, 1),
                                       date(2025, 9, 30), "done", "เสร็จแล้ว"))
    plan.copy_button.click()
    dialog = plan.current_dialog
    assert isinstance(dialog, ProposalDialog) and "2567" in dialog.windowTitle()
    dialog.accept()
    copied = plan.model.action_at(0)
    assert copied.measure == "จัดทำแผนจัดซื้อจัดจ้างปีที่แล้ว"
    assert (copied.start, copied.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert copied.status == "not_started" and copied.progress_note == ""
    assert store.actions(old_uuid)[0].status == "done"  # last year's plan untouched
    context.undo_stack.undo()
    assert plan.model.rowCount() == 0


def test_copy_without_a_previous_plan_says_so(plan):
    plan.copy_button.click()
    box = plan.current_dialog
    assert "ไม่พบแผนปฏิบัติการของปีก่อนหน้า" in box.text()
    box.accept()


def test_reference_plan_is_shown_and_proposals_know_it(reference_opened, qtbot):
    context = reference_opened.context
    tab = PlanTab(context)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 19
    assert tab.model.data(tab.model.index(0, 0)) == "1. การปฏิบัติหน้าที่"
    assert tab.model.data(tab.model.index(18, PERIOD)) == "1 ตุลาคม 2568 –\n30 กันยายน 2569"
    assert "ทั้งหมด 19 รายการ" in tab.summary.text()
    assert "งานพัสดุ/กองคลัง" in tab.owners()
    tab.propose_button.click()
    dialog = tab.current_dialog
    notes = [dialog.model.data(dialog.model.index(r, 3)) for r in range(dialog.model.rowCount())]
    planned = {(a.indicator, a.measure) for a in tab.model.actions}
    for row, note in enumerate(notes):
        action = dialog.model._rows[row].action
        assert (note == "มีในแผนแล้ว") == ((action.indicator, action.measure) in planned)
    dialog.reject()
    assert tab.model.rowCount() == 19


def test_readonly_document_offers_no_edits(opened, qtbot):
    context = opened.context
    context.document.readonly = True
    _seed_plan(context, 1)
    tab = PlanTab(context)
    qtbot.addWidget(tab)
    tab.select_row(0)
    for button in (tab.add_button, tab.edit_button, tab.delete_button, tab.propose_button, tab.copy_button):
        assert not button.isEnabled()


def test_no_selection_shows_a_hint(qtbot):
    tab = PlanTab(DocumentContext())
    qtbot.addWidget(tab)
    assert "เลือกหน่วยงานและปีการประเมิน" in tab.title.text()
    assert not tab.add_button.isEnabled()


def test_owner_list_has_standard_units_and_the_offices_own(plan, opened):
    opened.context.document._store.add_unit("กองสาธารณสุขและสิ่งแวดล้อม")
    owners = plan.owners()
    assert owners[:3] == ["สำนักปลัด", "กองคลัง", "กองช่าง"] and "งานพัสดุ" in owners
    assert "กองสาธารณสุขและสิ่งแวดล้อม" in owners


# ---------------------------------------------------------------------------- dialog and dates

def test_fields_do_not_move_when_a_period_message_comes_and_goes(qtbot):
    dialog = ActionDialog(None, 2568, None, ["สำนักปลัด"])
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.measure_edit, "ก")
    qtbot.wait(20)
    before = dialog.status_combo.mapTo(dialog, dialog.status_combo.rect().topLeft()).y()
    _type(qtbot, dialog.start_edit.line_edit, "x")
    assert dialog.period_error.isVisible()
    qtbot.wait(20)
    after = dialog.status_combo.mapTo(dialog, dialog.status_combo.rect().topLeft()).y()
    assert abs(after - before) <= dialog.period_error.fontMetrics().lineSpacing() // 2

def test_dialog_refuses_empty_measure_and_resets_to_the_fiscal_year(qtbot):
    dialog = ActionDialog(None, 2568, None, ["สำนักปลัด"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok_button.isEnabled() and dialog.measure_error.isVisible()
    type_text(dialog.measure_edit, "ก")
    assert dialog.ok_button.isEnabled()
    _type(qtbot, dialog.start_edit.line_edit, "วันจันทร์")
    assert "อ่านวันที่ไม่ได้" in dialog.period_error.text() and not dialog.ok_button.isEnabled()
    dialog.default_button.click()
    assert dialog.result_action().start == date(2025, 10, 1) and dialog.result_action().end == date(2026, 9, 30)
    assert dialog.ok_button.isEnabled()
    assert dialog.new_owner() is None
    dialog.owner_combo.setCurrentText("กองช่าง")
    assert dialog.new_owner() == "กองช่าง"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 ตุลาคม 2568", date(2025, 10, 1)),
        ("1 ต.ค. 2568", date(2025, 10, 1)),
        ("1 ต.ค.68", date(2025, 10, 1)),
        ("๓๐ กันยายน ๒๕๖๙", date(2026, 9, 30)),
        ("30/9/2569", date(2026, 9, 30)),
        ("29 ก.พ. 2567", date(2024, 2, 29)),
        ("วันที่ 5 มกราคม พ.ศ. 2569", date(2026, 1, 5)),
        ("", None),
    ],
)
def test_parse_thai_date(text, expected):
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("29 ก.พ. 2568", "ไม่มีอยู่จริง"),
        ("1 ตุลา 2568", "ไม่รู้จักชื่อเดือน"),
        ("1/13/2568", "เดือนที่ 13"),
        ("1 ต.ค. 2025", "ค.ศ."),
        ("1 ต.ค. 568", "4 หลัก"),
        ("พรุ่งนี้", "อ่านวันที่ไม่ได้"),
    ],
)
def test_parse_thai_date_refuses_with_a_reason(text, message):
    with pytest.raises(ThaiDateError, match=message):
        parse_thai_date(text)


def test_date_edit_shows_be_keys_step_days_and_calendar_picks(qtbot):
    edit = ThaiDateEdit(date(2025, 10, 1))
    qtbot.addWidget(edit)
    edit.show()
    assert edit.text() == "1 ตุลาคม 2568"
    with qtbot.waitSignal(edit.dateChanged) as signal:
        qtbot.keyClick(edit.line_edit, Qt.Key.Key_Down)
    assert signal.args == [date(2025, 9, 30)] and edit.text() == "30 กันยายน 2568"
    edit.setText("1 ต.ค. 69")
    assert edit.text() == "1 ตุลาคม 2569"  # normalized when the officer leaves the field
    edit.open_calendar()
    popup = edit._popup
    assert popup.year_spin.value() == 2569 and popup.month_combo.currentText() == "ตุลาคม"
    popup.next_button.click()
    assert popup.month_combo.currentText() == "พฤศจิกายน"
    popup.year_spin.setValue(2570)
    assert popup.calendar.yearShown() == 2027
    from PySide6.QtCore import QDate
    popup.calendar.clicked.emit(QDate(2027, 11, 15))
    assert edit.date() == date(2027, 11, 15) and edit.text() == "15 พฤศจิกายน 2570"
    assert not popup.isVisible()


def test_wrapped_rows_and_indicator_labels(plan, opened):
    context = opened.context
    a_uuid = context.document._store.ensure_assessment(context.org_uuid, context.year)
    long_steps = "\n".join(f"{n}. ขั้นตอนที่ยาวมากเพื่อให้ข้อความตัดบรรทัดในตาราง" for n in range(1, 30))
    context.document._store.save_action(a_uuid, Action(9, "สั้น", steps=long_steps))
    context.document._store.save_action(a_uuid, Action(None, "ไม่มีประเด็น"))
    context.changed.emit(EVERYTHING)
    QApplication.processEvents()
    line = plan.view.fontMetrics().lineSpacing()
    assert plan.view.rowHeight(0) > 4 * line  # wrapped, several lines tall
    assert plan.view.rowHeight(0) <= 10 * line + 12  # but capped; the rest is in the dialog
    assert plan.model.data(plan.model.index(0, 0)) == "9. การเปิดเผยข้อมูล"
    assert plan.model.data(plan.model.index(1, 0)) == "(ไม่ระบุประเด็น)"
    assert plan.model.data(plan.model.index(0, 3), Qt.ItemDataRole.ToolTipRole) == long_steps
    assert indicator_label(None, 4) == "ตัวชี้วัดที่ 4"
    # past nine lines the cell ends in "…" (the whole text is in the tooltip and the dialog)
    delegate = plan.view.itemDelegate()
    lines = delegate._lines(long_steps, plan.view.font(), 300)
    assert len(lines) == 9 and lines[-1].endswith(" …") and lines[0].startswith("1. ขั้นตอน")
    assert delegate._lines(long_steps, plan.view.font(), 300, 2)[-1].endswith(" …")


# ---------------------------------------------------------------------------- screenshot

def test_screenshot_plan_1366x768(window, tmp_path, reference_json):
    """docs/screenshots/plan.png: the window's plan tab with the reference report's own 19-row plan."""
    assert window.open_document(reference_file(tmp_path / "ITA เชียงพิณ.db", reference_json))
    plan = window.plan_tab
    window.tabs.setCurrentWidget(plan)
    plan.select_row(1)
    plan.edit_selected()
    dialog = plan.current_dialog
    dialog.status_combo.setCurrentText("กำลังดำเนินการ")
    type_text(dialog.progress_edit, "ประชุมครั้งแรกแล้ว 15 ต.ค. 2568 ผู้เข้าร่วม 32 คน")
    dialog.ok_button.click()
    settle(window)
    settle(window)
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(screenshot_dir(tmp_path) / "plan.png"))


def test_a_cut_last_line_never_parts_a_tone_mark_from_its_consonant(qtbot):
    """The "…" of a row cut at its last line falls between clusters: ก่อน never becomes ก…,
    and เผยแพร่ never ends as เ… (a leading vowel without its consonant)."""
    from itadesk.ita.thai_words import LEADING_VOWELS, is_mark
    from itadesk.ui.plan_models import WrappedTextDelegate

    delegate = WrappedTextDelegate(1)
    font = QApplication.font()
    text = "ผู้รับผิดชอบต้องตรวจสอบเอกสารก่อนเผยแพร่ทุกครั้ง " * 3
    metrics = QFontMetricsF(font)
    cuts = 0
    for room in range(40, int(metrics.horizontalAdvance(text)) // 3, 3):
        (last,) = delegate._lines(text, font, room)  # noqa: SLF001
        assert last.endswith(" …")
        kept = last[:-2].rstrip()
        assert text.startswith(kept) and not is_mark(text[len(kept)]), (room, last)
        assert not kept or kept[-1] not in LEADING_VOWELS, (room, last)
        assert metrics.horizontalAdvance(last) <= room or not kept
        cuts += 1
    assert cuts > 20
