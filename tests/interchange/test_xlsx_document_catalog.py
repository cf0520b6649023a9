"""A template made from a document's own catalog (an item the bundled one lacks) reads back by that
catalog when the document imports it: the importer asks the same resolver as every reader."""

from __future__ import annotations

from openpyxl import load_workbook

from itadesk.interchange import xlsx_layout as L
from itadesk.interchange.xlsx_read import read_workbook
from itadesk.interchange.xlsx_write import write_template
from itadesk.ita.catalog import BUNDLED, Catalogs, add_item, load_catalog, start_from, with_item
from tests.interchange.workbooks import code_row, info_row


def test_an_added_item_of_the_documents_catalog_is_read_from_its_template(tmp_path):
    catalog, code = add_item(start_from(load_catalog(2568), 2569), 9)
    catalog = with_item(catalog, code, title="ข้อที่สำนักงานเพิ่ม")
    template = write_template(catalog, tmp_path / "แบบฟอร์ม 2569.xlsx")
    wb = load_workbook(template)
    ws = wb[L.INFO_SHEET]
    ws.cell(row=info_row(ws, "ชื่อหน่วยงาน"), column=2).value = "อบต.ทดสอบ"
    oit = next(t for t in catalog.tools if t.code == "OIT")
    for tool in catalog.tools:
        sheet = wb[L.tool_sheet_name(tool)]
        for number in tool.indicators:
            sheet.cell(row=code_row(sheet, L.indicator_code(number)), column=3).value = 90
    sheet = wb[L.tool_sheet_name(oit)]
    assert sheet.cell(row=code_row(sheet, code), column=2).value.startswith("ข้อที่สำนักงานเพิ่ม")
    sheet.cell(row=code_row(sheet, code), column=3).value = 50
    wb.save(template)

    read = read_workbook(template, Catalogs({2569: catalog}))
    assert read.problems == [] and read.entry is not None
    _org, assessment = read.entry
    assert assessment.fiscal_year == 2569 and assessment.items[code] == 50
    # Read by the bundled rules (a document without that catalog), the row is named as unknown.
    bundled = read_workbook(template, BUNDLED)
    assert [f"ไม่มีข้อ “{code}” ใน OIT ตามเกณฑ์ปี 2569" in str(p) for p in bundled.problems] == [True]
