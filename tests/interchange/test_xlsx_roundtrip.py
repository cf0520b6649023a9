"""Template → filled by a test → import gives what the JSON import gives; export → import is identical."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from itadesk.interchange import xlsx_layout as L
from itadesk.interchange.json_format import read_file
from itadesk.ita.numbers import to_thai_digits
from tests.interchange.workbooks import code_row, fill
from tests.test_cli import run

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"


def _export_json(db, year, out):
    run("export", db, "--org", ORG, "--year", year, "-o", out, check=0)
    return json.loads(out.read_text(encoding="utf-8"))


def test_template_lists_the_catalog_and_locks_the_labels(tmp_path):
    out = tmp_path / "แบบฟอร์ม.xlsx"
    proc = run("template", "--year", 2568, "-o", out, check=0)
    assert "2568" in proc.stdout
    wb = load_workbook(out)
    assert wb.sheetnames == [L.INFO_SHEET, "IIT", "EIT", "OIT", L.PUBLISHED_SHEET, L.ANALYSIS_SHEET,
                             L.RECOMMENDATIONS_SHEET, L.PLAN_SHEET]
    eit = wb["EIT"]
    headers = [eit.cell(row=L.HEADER_ROW, column=c).value for c in range(1, 6)]
    assert headers[:3] == ["รหัส", "ตัวชี้วัด / ข้อคำถาม", "คะแนน"] and headers[3].startswith("ส่วนที่ 1")
    assert headers[4].startswith("ส่วนที่ 2")
    oit = wb["OIT"]
    row = code_row(oit, "o12")
    assert oit.cell(row=row, column=2).value  # the confirmed Thai title
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
        assert ws.cell(row=L.HEADER_ROW, column=1).protection.locked
    # score cells are the only unlocked cells of a tool sheet, and they are validated 0–100
    e4 = code_row(eit, "e4")
    assert not eit.cell(row=e4, column=4).protection.locked and eit.cell(row=e4, column=3).protection.locked
    ranges = [(dv.type, dv.formula1, dv.formula2, str(dv.sqref)) for dv in eit.data_validations.dataValidation]
    assert any(t == "decimal" and (f1, f2) == ("0", "100") and f"D{e4}" in sq for t, f1, f2, sq in ranges)
    assert eit.column_dimensions["B"].width >= 40


def test_filled_template_imports_the_same_scores_as_the_json(tmp_path, reference_json):
    template = tmp_path / "t2568.xlsx"
    run("template", "--year", 2568, "-o", template, check=0)
    org, a = read_file(reference_json)[1]
    # an officer typing Thai digits with a comma decimal: ๙๑,๑๘ means 91.18
    typed = lambda v: to_thai_digits(f"{v:g}".replace(".", ","))  # noqa: E731
    filled = fill(template, tmp_path / "filled.xlsx", org, a, typed)
    from_xlsx, from_json = tmp_path / "x.db", tmp_path / "j.db"
    run("import", from_xlsx, filled, check=0)
    run("import", from_json, reference_json, check=0)
    got = _export_json(from_xlsx, 2568, tmp_path / "x.json")
    want = _export_json(from_json, 2568, tmp_path / "j.json")
    assert got == want
    summary = json.loads(run("summary", from_xlsx, "--json", check=0).stdout)
    assert [(r["fiscal_year"], r["total"], r["level"]) for r in summary] == [(2568, 90.42, "pass")]


def test_export_xlsx_reimports_identically(tmp_path, reference_json):
    db = tmp_path / "ita.db"
    run("import", db, reference_json, check=0)
    out = tmp_path / "export.xlsx"
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == L.SUMMARY_SHEET
    summary = wb[L.SUMMARY_SHEET]
    values = [[c.value for c in row] for row in summary.iter_rows(min_row=L.FIRST_ROW)]
    assert ["คะแนนรวม (ITA)", 95.16, 90.42, -4.74, -4.98] in values  # table 1 of the report model
    assert [L.LEVEL_LABEL, "ผ่านดี", "ผ่าน", "ลดลง", None] in values
    assert ["EIT ส่วนที่ 1", None, None, None, None] in values
    again = tmp_path / "again.db"
    run("import", again, out, check=0)
    assert _export_json(again, 2568, tmp_path / "b.json") == _export_json(db, 2568, tmp_path / "a.json")


def test_several_workbooks_one_per_organization(tmp_path, reference_json):
    template = tmp_path / "t.xlsx"
    run("template", "--year", 2568, "-o", template, check=0)
    org, a = read_file(reference_json)[1]
    first = fill(template, tmp_path / "a.xlsx", org, a)
    org.name, org.district = "เทศบาลตำบลหนองบัว", "เมือง"
    second = fill(template, tmp_path / "b.xlsx", org, a)
    db = tmp_path / "two.db"
    assert "นำเข้า 2 รายการ" in run("import", db, first, second, check=0).stdout
    names = {r["organization"] for r in json.loads(run("summary", db, "--json", check=0).stdout)}
    assert names == {ORG, "เทศบาลตำบลหนองบัว"}


def test_csv_is_utf8_with_bom_and_one_header_row(tmp_path, reference_json):
    import csv

    db = tmp_path / "ita.db"
    run("import", db, reference_json, check=0)
    out = tmp_path / "open.csv"
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    header = rows[0]
    assert header[:4] == ["หน่วยงาน", "จังหวัด", "ปีงบประมาณ", "หมวด"]
    body = rows[1:]
    assert all(len(r) == len(header) for r in body)
    assert not any(r == header for r in body)  # exactly one header row
    by = {(r[3], r[4], r[6]): r for r in body}
    assert by[("สรุป", "รวม", "")][7] == "90.42" and by[("สรุป", "รวม", "")][10] == "ผ่าน"
    assert by[("ข้อคำถาม", "o5", "")][7] == "0.00"
    assert by[("ข้อคำถาม", "e4", "2")][7] == "100.00"
    plan = [r for r in body if r[3] == "แผนปฏิบัติการ"]
    assert len(plan) == len(read_file(reference_json)[1][1].actions)
    assert plan[0][14] == "2025-10-01"


def test_unknown_export_extension_is_refused(tmp_path, reference_json):
    db = tmp_path / "ita.db"
    run("import", db, reference_json, check=0)
    proc = run("export", db, "--org", ORG, "--year", 2568, "-o", tmp_path / "out.ods")
    assert proc.returncode == 1 and ".ods" in proc.stderr and not (tmp_path / "out.ods").exists()
