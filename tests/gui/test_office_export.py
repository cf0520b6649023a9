"""The File menu's Excel entries in the real window: template, import (clean, broken, valid rows), export."""

from __future__ import annotations

import hashlib
import os

import pytest
from openpyxl import load_workbook

from itadesk.interchange import xlsx_layout as L
from itadesk.interchange.json_format import read_file
from itadesk.ita.catalog import load_catalog
from itadesk.interchange.xlsx_write import write_template
from itadesk.ui import office_export
from tests.gui.conftest import reference_file, screenshot_dir, settle
from tests.interchange.workbooks import code_row, fill


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workbooks(tmp_path, reference_json):
    """A clean filled workbook for a second office, and one with two bad cells."""
    template = write_template(load_catalog(2568), tmp_path / "t.xlsx")
    org, a = read_file(reference_json)[1]
    org.name, org.district = "เทศบาลตำบลหนองบัว", "เมือง"
    clean = fill(template, tmp_path / "หนองบัว.xlsx", org, a)
    wb = load_workbook(clean)
    ws = wb["OIT"]
    ws.cell(row=code_row(ws, "o12"), column=3).value = "ไม่มี"
    ws = wb["IIT"]
    ws.cell(row=code_row(ws, "i2"), column=3).value = "=90+10"
    broken = tmp_path / "หนองบัว-ผิด.xlsx"
    wb.save(broken)
    return clean, broken


def _opened(window, tmp_path, reference_json):
    path = reference_file(tmp_path / "ITA.db", reference_json, scores_only=True)
    assert window.open_document(path)
    return path


def _names(window) -> set[str]:
    return {o.name for o in office_export._content(window.context).organizations()}


def test_file_menu_offers_the_office_entries(window):
    texts = [a.text() for a in window.file_menu.actions()]
    for entry in ("ส่งออกเป็น Excel หรือ CSV…", "ดาวน์โหลดแบบฟอร์ม Excel…", "นำเข้าแบบฟอร์ม Excel…"):
        assert entry in texts
    assert texts.index("ส่งออกรายงาน PDF…") < texts.index("ส่งออกเป็น Excel หรือ CSV…")
    assert not window.office_actions["import"].isEnabled()  # no document open yet
    assert window.office_actions["template"].isEnabled()


def test_template_download_from_the_window(window, modal, tmp_path):
    modal.click_when_shown("ตกลง")
    out = office_export.download_template(window, window.context, 2567, tmp_path / "แบบ 2567.xlsx")
    assert out.exists() and "สร้างแบบฟอร์มปี 2567 แล้ว" in modal.seen
    assert load_workbook(out)[L.INFO_SHEET].cell(row=L.INFO_FIRST_ROW + 1, column=2).value == 2567


def test_clean_workbook_is_imported_into_the_open_document(window, modal, tmp_path, reference_json, workbooks):
    path = _opened(window, tmp_path, reference_json)
    before = sha(path)
    clean, _broken = workbooks
    modal.click_when_shown("ตกลง")
    assert office_export.import_files(window, window.context, [clean]) == 1
    assert "นำเข้า 1 รายการแล้ว" in modal.seen
    assert "เทศบาลตำบลหนองบัว" in _names(window)
    assert window.context.modified and sha(path) == before  # in the document, saved with Ctrl+S


def test_broken_workbook_lists_every_cell_and_imports_nothing(window, modal, tmp_path, reference_json, workbooks):
    _opened(window, tmp_path, reference_json)
    _clean, broken = workbooks
    shown = {}

    def look(dialog):
        shown["text"] = dialog.findChild(office_export.QPlainTextEdit, "importProblems").toPlainText()
        settle(dialog)
        dialog.resize(900, 420)
        settle(dialog)
        dialog.grab().save(str(screenshot_dir(tmp_path) / "import-problems.png"))

    modal.click_when_shown("ไม่นำเข้า", fill=look)
    assert office_export.import_files(window, window.context, [broken]) == 0
    lines = shown["text"].splitlines()
    assert len(lines) == 2
    assert any("แผ่นงาน “IIT” แถว" in line and "คอลัมน์ C" in line and "สูตร" in line for line in lines)
    assert any("แผ่นงาน “OIT” แถว" in line and "คอลัมน์ C" in line for line in lines)
    assert "เทศบาลตำบลหนองบัว" not in _names(window)
    assert not window.context.modified


def test_officer_may_import_the_valid_rows(window, modal, tmp_path, reference_json, workbooks):
    _opened(window, tmp_path, reference_json)
    _clean, broken = workbooks
    modal.click_when_shown(f"{office_export.IMPORT_VALID_BUTTON} (1 หน่วยงาน/ปี)")
    modal.click_when_shown("ตกลง")
    assert office_export.import_files(window, window.context, [broken]) == 1
    content = office_export._content(window.context)
    org = content.find_organization("เทศบาลตำบลหนองบัว")
    a = content.load_assessment(org.uuid, 2568)
    assert "o12" not in a.items and "i2" not in a.items and a.items["o5"] == 0 and a.indicators[4] == 91.18


def test_export_table_from_the_window(window, modal, tmp_path, reference_json):
    _opened(window, tmp_path, reference_json)
    modal.click_when_shown("ตกลง")
    modal.click_when_shown("ตกลง")
    xlsx = office_export.export_table(window, window.context, tmp_path / "out.xlsx")
    csv = office_export.export_table(window, window.context, tmp_path / "out.csv")
    assert load_workbook(xlsx).sheetnames[0] == L.SUMMARY_SHEET
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.skipif(not os.environ.get("ITADESK_SCREENSHOTS"), reason="refreshes docs/screenshots only")
def test_screenshot_file_menu(window, tmp_path, reference_json):
    _opened(window, tmp_path, reference_json)
    menu = window.file_menu
    menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    settle(window)
    assert menu.grab().save(str(screenshot_dir(tmp_path) / "file-menu.png"))
    menu.close()


def test_export_word_from_the_window(window, modal, tmp_path, reference_json):
    from docx import Document

    _opened(window, tmp_path, reference_json)
    assert "ส่งออกเป็น Word…" in [a.text() for a in window.file_menu.actions()]
    modal.click_when_shown("ตกลง")
    out = office_export.export_word(window, window.context, tmp_path / "รายงาน.docx")
    assert "สร้างรายงานเป็นไฟล์ Word แล้ว" in modal.seen
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "องค์การบริหารส่วนตำบลเชียงพิณ" in text and "ส่วนที่ 2" in text
