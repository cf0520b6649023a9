"""Recording the plan's follow-up during the year, in the real window on a real file.

The reference plan (19 rows) is opened through the window; the officer picks a row, presses
"บันทึกผลการดำเนินการ…", marks it done with its evidence and completion date (a date before
the start is refused in the dialog), sees it in the table, undoes and redoes it, saves, and
the file on disk holds it.
"""

from __future__ import annotations

import json
from datetime import date

from conftest import Answers, click, read_back, reference_file, screenshot_dir, settle, type_text  # tests/gui/conftest.py
from itadesk.ui.action_dialog import DAY_WITHOUT_DONE, DONE_WITHOUT_DAY, ActionDialog
from itadesk.ui.analysis_tab import OUTCOMES_NONE
from tests.gui.test_main_window import choose
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


def test_next_years_analysis_takes_last_years_outcomes_in_undoably(window, tmp_path, reference_json, qtbot):
    """The 2568 plan ran in 2569; in 2569's analysis, indicator 1 gets what became of its measures."""
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    ind1 = [row for row in data[1]["actions"] if row.get("indicator") == 1]
    ind1[0].update(status="done", completed="2026-03-31", evidence=LINK)
    ind1[1].update(status="in_progress")
    data[1]["actions"] = [row for row in data[1]["actions"] if row.get("indicator") != 3]
    data.append({**data[1], "fiscal_year": 2569, "actions": [], "analysis": {"1": "ข้อบกพร่องที่พบในปีนี้"}})
    followed = tmp_path / "followed.json"
    followed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    source = reference_file(tmp_path / "เชียงพิณ.itadesk", followed)
    assert window.open_document(source)
    choose(window.year_combo, 2569)
    context, analysis = window.context, window.analysis_tab
    window.tabs.setCurrentWidget(analysis)
    analysis.select_indicator(1)
    settle(window)
    button = analysis.outcomes_button
    assert button.isEnabled() and button.text() == "แทรกผลการดำเนินการตามแผนปีก่อน"
    assert button.toolTip().startswith("ผลการดำเนินการตามแผนปีงบประมาณ พ.ศ. 2569 ในประเด็นนี้:")

    button.click()
    text = analysis.analysis_edit.toPlainText()
    assert text.startswith("ข้อบกพร่องที่พบในปีนี้\n\nผลการดำเนินการตามแผนปีงบประมาณ พ.ศ. 2569 ในประเด็นนี้:")
    assert "ดำเนินการแล้วเสร็จ 1 มาตรการ ได้แก่ “จัดทำคู่มือ/แนวทางการปฏิบัติงาน" in text
    assert "(แล้วเสร็จ 31 มี.ค. 2569)" in text
    assert "อยู่ระหว่างดำเนินการ 1 มาตรการ" in text and "ยังไม่ได้ดำเนินการ 1 มาตรการ" in text
    assert context.current_assessment().analysis[1] == text  # in the working copy
    button.click()  # a second press adds nothing
    assert analysis.analysis_edit.toPlainText() == text
    settle(window)
    assert window.grab().save(str(screenshot_dir(tmp_path) / "window-analysis-outcomes.png"))

    assert context.undo_stack.undoText() == "แทรกผลการดำเนินการตามแผนในตัวชี้วัดที่ 1"
    context.undo_stack.undo()
    assert analysis.analysis_edit.toPlainText() == "ข้อบกพร่องที่พบในปีนี้"
    context.undo_stack.redo()
    assert analysis.analysis_edit.toPlainText() == text

    # an indicator last year's plan has no measure for: nothing to take in, and it says why
    analysis.select_indicator(3)
    assert not button.isEnabled() and button.toolTip() == OUTCOMES_NONE
    # 2568's own analysis has no plan before it in the file (2567 has none): nothing offered
    choose(window.year_combo, 2568)
    analysis.select_indicator(1)
    assert not button.isEnabled()


def test_a_follow_up_conflict_reads_in_thai():
    from itadesk.ui.conflicts_dialog import compare_rows

    mine = {"uuid": "a", "measure": "ม", "evidence": "ภาพถ่าย", "completed_date": "2026-03-31"}
    theirs = {"uuid": "a", "measure": "ม", "evidence": LINK, "completed_date": None}
    rows, same = compare_rows("actions", mine, theirs)
    assert not same
    assert rows == [("หลักฐาน", "ภาพถ่าย", LINK), ("วันที่แล้วเสร็จ", "31 มีนาคม 2569", "(ว่าง)")]


def test_the_progress_report_is_printed_from_the_plan_tab(window, tmp_path, reference_json):
    """พิมพ์รายงานผลการดำเนินการ…: the export dialog (its default name says the year), the PDF
    made off the GUI thread, "done"; the PDF says what the officer recorded."""
    import subprocess

    from itadesk.ui.pdf_export import CLOSE_BUTTON, PdfExportDialog

    data = json.loads(reference_json.read_text(encoding="utf-8"))
    data[1]["actions"][0].update(status="done", completed="2026-03-31", evidence=LINK)
    followed = tmp_path / "followed.json"
    followed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert window.open_document(reference_file(tmp_path / "เชียงพิณ.itadesk", followed))
    plan = window.plan_tab
    window.tabs.setCurrentWidget(plan)
    assert plan.print_button.isEnabled()
    target = tmp_path / "out" / "ผลการดำเนินการ"
    target.parent.mkdir()
    names = []

    def fill(dialog: PdfExportDialog):
        names.append((dialog.windowTitle(), dialog.path().name))
        dialog.path_edit.setText(str(target))
        click("สร้าง PDF")(dialog)

    answers = Answers([(lambda w: isinstance(w, PdfExportDialog), fill),
                       (lambda w: getattr(w, "text", lambda: "")().startswith("สร้างรายงาน PDF แล้ว"),
                        click(CLOSE_BUTTON))])
    try:
        written = plan.print_progress()
    finally:
        answers.stop()
    assert names == [("พิมพ์รายงานผลการดำเนินการตามแผน", "ผลการดำเนินการตามแผน-2569-องค์การบริหารส่วนตำบลเชียงพิณ.pdf")]
    assert written == target.with_name("ผลการดำเนินการ.pdf") and written.exists()
    assert answers.seen[-1].startswith("สร้างรายงาน PDF แล้ว (")
    text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "ผลการดำเนินการตามแผนปีงบประมาณพ.ศ.2569" in flat and "31มีนาคม2569" in flat
    assert "มาตรการทั้งหมด19มาตรการ:เสร็จสิ้น1," in flat
