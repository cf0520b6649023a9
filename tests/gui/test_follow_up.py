"""Recording the plan's follow-up during the year, in the real window on a real file.

The reference plan (19 rows) is opened through the window; the officer picks a row, presses
"บันทึกผลการดำเนินการ…", marks it done with its evidence and completion date (a date before
the start is refused in the dialog), sees it in the table, undoes and redoes it, saves, and
the file on disk holds it.
"""

from __future__ import annotations

from datetime import date

from conftest import read_back, reference_file, screenshot_dir, settle, type_text  # tests/gui/conftest.py
from itadesk.ui.action_dialog import DAY_WITHOUT_DONE, DONE_WITHOUT_DAY, ActionDialog
from itadesk.ui.plan_models import COMPLETED, EVIDENCE, PROGRESS, STATUS

LINK = "https://www.chiangphin.go.th/ita/2569/manual.pdf"


def _type(widget, text: str) -> None:
    widget.clear()
    widget.setFocus()
    type_text(widget, text)


def test_follow_up_recorded_in_the_window_undone_redone_and_saved(window, tmp_path, reference_json, qtbot):
    source = reference_file(tmp_path / "เชียงพิณ.itadesk", reference_json)
    shots = screenshot_dir(tmp_path)
    assert window.open_document(source)
    context, plan = window.context, window.plan_tab
    org_uuid = context.org_uuid
    window.tabs.setCurrentWidget(plan)
    settle(window)
    assert plan.model.rowCount() == 19
    assert plan.summary.text().startswith("ทั้งหมด 19 รายการ: เสร็จสิ้น 0")
    before = plan.model.action_at(1)
    assert before.evidence == "" and before.completed is None

    plan.select_row(1)
    assert plan.follow_up_button.isEnabled()
    plan.follow_up_button.click()
    dialog = plan.current_dialog
    assert isinstance(dialog, ActionDialog) and dialog.windowTitle() == "บันทึกผลการดำเนินการ: แถวที่ 2"
    qtbot.waitUntil(lambda: dialog.status_combo.hasFocus())
    assert dialog.follow_up_box.title() == "ผลการดำเนินการ"

    # done, but no date yet: a hint, not a refusal
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("done"))
    assert dialog.follow_up_hint.isVisible() and dialog.follow_up_hint.text() == DONE_WITHOUT_DAY
    assert dialog.ok_button.isEnabled()
    _type(dialog.progress_edit, "จัดประชุมครบ 12 ครั้ง")
    _type(dialog.evidence_edit, f"รายงานการประชุม ครั้งที่ 1–12/2569 {LINK}")
    # a completion before the plan started (1 ต.ค. 2568) is refused beside the field
    _type(dialog.completed_edit.line_edit, "1/9/2568")
    assert dialog.completed_error.isVisible()
    assert dialog.completed_error.text() == "วันที่แล้วเสร็จ (1 กันยายน 2568) อยู่ก่อนวันเริ่มต้น (1 ตุลาคม 2568)"
    assert not dialog.ok_button.isEnabled()
    _type(dialog.completed_edit.line_edit, "31/3/2569")
    assert not dialog.completed_error.isVisible() and not dialog.follow_up_hint.isVisible()
    assert dialog.ok_button.isEnabled()
    settle(dialog)
    assert dialog.grab().save(str(shots / "follow-up-dialog.png"))
    dialog.accept()

    row = plan.model.action_at(1)
    assert (row.status, row.completed) == ("done", date(2026, 3, 31))
    assert row.evidence.endswith(LINK) and row.progress_note == "จัดประชุมครบ 12 ครั้ง"
    cells = {c: plan.model.index(1, c).data() for c in (STATUS, PROGRESS, EVIDENCE, COMPLETED)}
    assert cells == {STATUS: "เสร็จสิ้น", PROGRESS: "จัดประชุมครบ 12 ครั้ง",
                     EVIDENCE: f"รายงานการประชุม ครั้งที่ 1–12/2569 {LINK}", COMPLETED: "31 มีนาคม 2569"}
    assert plan.summary.text().startswith("ทั้งหมด 19 รายการ: เสร็จสิ้น 1")
    assert plan.selected_row() == 1
    settle(window)
    assert window.grab().save(str(shots / "window-plan-follow-up.png"))

    # one undoable step: undo puts the row back as it was, redo brings the follow-up again
    assert context.undo_stack.undoText() == "บันทึกผลการดำเนินการ"
    context.undo_stack.undo()
    assert plan.model.action_at(1) == before
    context.undo_stack.redo()
    assert plan.model.action_at(1).completed == date(2026, 3, 31)

    # a date with a state that is not done is worth a look, not refused
    plan.follow_up_button.click()
    dialog = plan.current_dialog
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("in_progress"))
    assert dialog.follow_up_hint.text() == DAY_WITHOUT_DONE and dialog.ok_button.isEnabled()
    dialog.reject()

    context.document.save()
    on_disk = read_back(source, org_uuid).actions[1]
    assert (on_disk.status, on_disk.completed, on_disk.evidence) == ("done", date(2026, 3, 31), row.evidence)
