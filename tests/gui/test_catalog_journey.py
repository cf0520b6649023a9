"""Issue 11's journey with catalogs in the document, driven in the real window as an officer would:
make the 2569 catalog from 2568 in the editor, name o7, enter 2569 scores, draft, export the PDF
(read back with poppler), save, reopen, and merge into a file that has no such catalog."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from conftest import Answers, click, press, reference_file, screenshot_dir, settle, type_text  # tests/gui/conftest.py
from itadesk import cli
from itadesk.db.access import read_file
from itadesk.ui.catalog_editor import CONFIRMED, NAME
from itadesk.ui.pdf_export import CLOSE_BUTTON, GAPS_GO, GAPS_QUESTION, PdfExportDialog, export_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

O7 = "ข้อมูลทดสอบชื่อข้อ o7 ที่สำนักงานพิมพ์"  # typed by the test's officer, not a published title
SCORES_2569 = {1: 100, 2: 100, 3: 100, 4: 92.5, 5: 100, 6: 99.9, 7: 99.8, 8: 99.8, 9: 85, 10: 80}


def words(text: str) -> str:
    return " ".join(text.split())


def type_into_editor_cell(editor, code: str, column: int, text: str) -> None:
    """Double-click-and-type as in any table: open the cell's editor, type, press Enter."""
    row = editor.row_of(code)
    editor.table.setCurrentCell(row, column)
    editor.table.editItem(editor.table.item(row, column))
    line = editor.table.findChild(QLineEdit)
    line.selectAll()
    type_text(line, text)
    press(line, Qt.Key_Return)


def open_reference(window, tmp_path, reference_json, year: int):
    """The reference file (2567 and 2568) opened in the window on ``year``; its path."""
    path = reference_file(tmp_path / "เชียงพิณ.itadesk", reference_json)
    assert window.open_document(path)
    window.select_year(year)
    settle(window)
    return path


def enter_scores(window) -> None:
    """Indicator scores and o7 = 0 typed through the score models (what a keystroke commits)."""
    tab = window.scores_tab
    model = tab.indicator_model
    for number, score in SCORES_2569.items():
        row = model.row_of(number)
        col = next(c for c in range(model.columnCount()) if model.target(model.index(row, c)) is not None)
        assert model.setData(model.index(row, col), str(score))
    items = tab.item_model
    items.set_tool("OIT")
    row = next(r for r, (_ind, item) in enumerate(items.rows) if item.code == "o7")
    assert items.setData(items.index(row, 3), "0")
    assert items.data(items.index(row, 2)) == O7  # the scores tab names it at once


def test_a_2569_catalog_made_in_the_editor_travels_to_the_pdf_the_reopened_file_and_a_merge(
        window, tmp_path, reference_json):
    path = open_reference(window, tmp_path, reference_json, 2569)
    district = tmp_path / "อำเภอ.itadesk"
    shutil.copyfile(path, district)  # the same office's file elsewhere, without any catalog of its own
    assert window.rules_banner.isVisible() and "ใช้เกณฑ์ของปี 2568" in window.rules_label.text()

    # ข้อมูล → เกณฑ์การประเมินปี…: start 2569 from 2568, name o7 and mark where it comes from.
    window.catalog_action.trigger()
    editor = window.catalog_editor
    assert editor.year == 2569 and editor.start_button.isVisible()
    editor.start_button.click()
    assert editor.catalog.origin == "document" and editor.catalog.started_from == 2568
    assert not editor.start_button.isVisible()
    type_into_editor_cell(editor, "o7", NAME, O7)
    assert editor.catalog.item("o7").title == O7
    editor.table.item(editor.row_of("o7"), CONFIRMED).setCheckState(Qt.Checked)
    assert editor.catalog.item("o7").confirmed
    editor.select_code("o7")
    settle(editor)
    editor.grab().save(str(screenshot_dir(tmp_path) / "catalog-editor.png"))
    # Every step is on the window's undo stack: undo takes the confirmation back, redo puts it again.
    window.undo_action.trigger()
    assert not editor.catalog.item("o7").confirmed and editor.catalog.item("o7").title == O7
    window.redo_action.trigger()
    assert editor.catalog.item("o7").confirmed
    editor.close()
    settle(window)
    # Started from 2568 and not yet confirmed as 2569's rules: the window still says so.
    assert window.rules_banner.isVisible() and "เริ่มจากเกณฑ์ของปี 2568" in window.rules_label.text()

    enter_scores(window)
    window.tabs.setCurrentWidget(window.analysis_tab)
    window.analysis_tab.draft()
    doc = window.document
    org = window.context.org_uuid
    drafted = doc.load_assessment(org, 2569).analysis[9]
    assert f"o7 {O7}" in words(drafted)

    pdf = tmp_path / "รายงาน 2569.pdf"

    def fill(dialog: PdfExportDialog):
        dialog.path_edit.setText(str(pdf))
        click("สร้าง PDF")(dialog)

    # No plan rows yet in this journey: the export asks first, and the officer goes on.
    answers = Answers([(lambda w: hasattr(w, "text") and w.text() == GAPS_QUESTION, click(GAPS_GO)),
                       (lambda w: isinstance(w, PdfExportDialog), fill),
                       (lambda w: hasattr(w, "text") and w.text().startswith("สร้างรายงาน PDF แล้ว"),
                        click(CLOSE_BUTTON))])
    try:
        assert export_pdf(window, window.context) == pdf
    finally:
        answers.stop()
    text = words(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    assert f"o7 {O7}" in text
    assert "ปี 2569 ใช้เกณฑ์ที่เริ่มจากเกณฑ์ของปี 2568" in text and "ยังไม่ได้ยืนยัน" in text

    # Save, close, reopen: the file opens at 2569 with its own catalog.
    assert window.save()
    assert window.close_current()
    assert window.open_document(path)
    settle(window)
    assert window.context.year == 2569
    catalog = window.context.catalog()
    assert catalog.origin == "document" and catalog.item("o7").title == O7 and catalog.item("o7").confirmed
    items = window.scores_tab.item_model
    items.set_tool("OIT")
    assert O7 in [items.data(items.index(r, 2)) for r in range(items.rowCount())]

    # Merged into the district's file, which has no 2569 catalog: the catalog comes along.
    with read_file(district) as other:
        assert other.catalog_text(2569) is None
    assert cli.main(["merge", str(district), str(path)]) == 0
    with read_file(district) as other:
        merged = other.catalogs().for_year(2569)
        assert merged.origin == "document" and merged.item("o7").title == O7
        assert other.load_assessment(org, 2569).catalog.item_label("o7") == f"o7 {O7}"


def test_one_click_naming_from_the_scores_tab_keeps_a_catalog_for_the_year_and_undo_takes_it_back(
        window, modal, tmp_path, reference_json):
    open_reference(window, tmp_path, reference_json, 2568)
    doc = window.document
    assert doc.catalog_text(2568) is None  # the bundled 2568 catalog, read-only
    items = window.scores_tab.item_model
    items.set_tool("OIT")
    row = next(r for r, (_ind, item) in enumerate(items.rows) if item.code == "o6")
    assert items.data(items.index(row, 2)) == "(ยังไม่ระบุชื่อข้อ)"

    def fill(dialog):
        dialog.title.setText("ชื่อที่สำนักงานพิมพ์สำหรับ o6")
        dialog.source.setText("หนังสือของอำเภอ (ทดสอบ)")

    modal.click_when_shown("ตกลง", fill=fill)
    window.scores_tab.items_view.doubleClicked.emit(items.index(row, 2))  # double-click the missing name
    assert modal.seen[-1] == "ชื่อข้อ o6 ปี 2568"
    assert items.data(items.index(row, 2)) == "ชื่อที่สำนักงานพิมพ์สำหรับ o6"
    own = doc.catalogs().for_year(2568)
    assert own.origin == "document" and own.item("o6").source == "หนังสือของอำเภอ (ทดสอบ)"
    assert own.item("o5").title == "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"  # the rest copied from the bundled one
    assert window.undo_action.text().endswith("ตั้งชื่อข้อ o6 ปี 2568")
    window.undo_action.trigger()
    assert doc.catalog_text(2568) is None and items.data(items.index(row, 2)) == "(ยังไม่ระบุชื่อข้อ)"

    # A refused title (a direction override) is said in Thai and changes nothing.
    modal.click_when_shown("ตกลง", fill=lambda d: d.title.setText("ชื่อ\u202eกลับ"))
    modal.click_when_shown("ตกลง")  # the window's message about the refusal
    window.scores_tab.items_view.doubleClicked.emit(items.index(row, 2))
    assert doc.catalog_text(2568) is None and "o7" not in modal.seen[-1]
    assert "เกณฑ์" in modal.seen[-1] or "ไม่สำเร็จ" in modal.seen[-1]


def test_removing_an_item_with_scores_asks_first_and_undo_brings_item_and_scores_back(
        window, modal, tmp_path, reference_json):
    open_reference(window, tmp_path, reference_json, 2568)
    doc, org = window.document, window.context.org_uuid
    before = doc.load_assessment(org, 2568).items["o5"]
    editor = window.edit_catalog()
    assert editor.year == 2568
    editor.select_code("o5")
    modal.click_when_shown("ยกเลิก")
    assert not editor.remove_selected()  # asked, and the officer said no
    assert "o5" in modal.seen[-1] and doc.catalog_text(2568) is None
    modal.click_when_shown("ลบข้อและคะแนน")
    editor.select_code("o5")
    assert editor.remove_selected()
    assert editor.catalog.item("o5") is None and "o5" not in doc.load_assessment(org, 2568).items
    assert editor.row_of("o5") == -1
    window.undo_action.trigger()
    assert doc.catalog_text(2568) is None and editor.catalog.item("o5") is not None
    assert doc.load_assessment(org, 2568).items["o5"] == before and editor.row_of("o5") >= 0
    # The year's own catalog can be dropped again (asked first): back to the bundled one, scores kept.
    assert not editor.drop_button.isVisible()
    editor.set_item("o6", title="ชื่อชั่วคราว")
    assert editor.drop_button.isVisible() and doc.catalog_text(2568) is not None
    modal.click_when_shown("ลบเกณฑ์ออกจากไฟล์")
    assert editor.drop_year()
    assert doc.catalog_text(2568) is None and editor.catalog.origin == "bundled" and not editor.drop_button.isVisible()
    assert doc.load_assessment(org, 2568).items["o5"] == before
    window.undo_action.trigger()
    assert editor.catalog.item("o6").title == "ชื่อชั่วคราว"
    editor.close()


def test_an_unnamed_item_that_lost_points_is_named_from_the_analysis_tab(window, modal, tmp_path, reference_json):
    open_reference(window, tmp_path, reference_json, 2568)
    tab = window.analysis_tab
    window.tabs.setCurrentWidget(tab)
    tab.select_indicator(9)
    settle(window)
    entries = [tab.items_list.item(i) for i in range(tab.items_list.count())]
    o6 = next(e for e in entries if e.data(Qt.UserRole) == "o6")
    assert o6.text().startswith("o6 (ยังไม่ระบุชื่อข้อ): 50.00 คะแนน")
    modal.click_when_shown("ตกลง", fill=lambda d: d.title.setText("ชื่อข้อ o6 ที่สำนักงานพิมพ์"))
    tab.items_list.doubleClicked.emit(tab.items_list.indexFromItem(o6))
    settle(window)
    entries = [tab.items_list.item(i).text() for i in range(tab.items_list.count())]
    assert any(t.startswith("o6 ชื่อข้อ o6 ที่สำนักงานพิมพ์: 50.00 คะแนน") for t in entries), entries
    assert window.document.catalogs().for_year(2568).item("o6").title == "ชื่อข้อ o6 ที่สำนักงานพิมพ์"


def test_a_read_only_file_shows_its_catalogs_and_edits_none(window, modal, tmp_path, reference_json):
    from itadesk.db.lock import TargetLock

    path = reference_file(tmp_path / "เชียงพิณ.itadesk", reference_json)
    other = TargetLock(path)
    other.acquire()  # open on another PC
    try:
        modal.click_when_shown("เปิดแบบอ่านอย่างเดียว")
        assert window.open_document(path) and window.document.readonly
        assert window.catalog_action.isEnabled()
        editor = window.edit_catalog()
        assert editor.year == window.context.year and editor.table.rowCount() > 0
        assert not editor.table.isEnabled() and not editor.add_button.isEnabled()
        assert not editor.set_item("o6", title="x") and window.document.catalog_text(2568) is None
        editor.close()
    finally:
        other.release()


def test_the_editor_hands_a_catalog_out_and_takes_one_in_refusing_a_broken_file(window, modal, tmp_path, reference_json):
    open_reference(window, tmp_path, reference_json, 2569)
    doc = window.document
    editor = window.edit_catalog()
    out = editor.export_to(tmp_path / "เกณฑ์ 2569")
    assert out == tmp_path / "เกณฑ์ 2569.json" and doc.catalog_text(2569) is None  # exporting writes no catalog
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["fiscal_year"] == 2569 and data["started_from"] == 2568
    data["indicators"][8]["items"][6]["title"] = "ชื่อจากอำเภอ"
    good = tmp_path / "จากอำเภอ.json"
    good.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    broken = tmp_path / "เสีย.json"
    broken.write_text(json.dumps(dict(data, tools=data["tools"][:2]), ensure_ascii=False), encoding="utf-8")

    modal.click_when_shown("ตกลง")
    assert not editor.import_from(broken)
    assert modal.seen[-1] == "เสีย.json: น้ำหนักของเครื่องมือรวมกันไม่เท่ากับ 1" and doc.catalog_text(2569) is None
    assert editor.import_from(good)
    assert editor.year == 2569 and editor.catalog.item("o7").title == "ชื่อจากอำเภอ"
    assert window.context.catalog().item_label("o7") == "o7 ชื่อจากอำเภอ"
    window.undo_action.trigger()
    assert doc.catalog_text(2569) is None
    editor.close()
