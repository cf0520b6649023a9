"""Broken workbooks: every problem named by sheet, row and column in Thai; nothing half-imported;
the target file unchanged to the byte."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from itadesk.interchange import xlsx_layout as L
from itadesk.interchange.json_format import read_file
from itadesk.interchange.xlsx_read import read_workbook
from tests.interchange.workbooks import code_row, fill, info_row
from tests.test_cli import run

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("filled")
    template = folder / "t.xlsx"
    run("template", "--year", 2568, "-o", template, check=0)
    from pathlib import Path

    org, a = read_file(Path(__file__).parents[1] / "fixtures" / "chiangphin.json")[1]
    return fill(template, folder / "filled.xlsx", org, a)


@pytest.fixture
def target(tmp_path, reference_json):
    """A document that already holds the reference 2567 and 2568: an import must not touch it."""
    db = tmp_path / "target.db"
    run("import", db, reference_json, check=0)
    return db


def _edit(filled, tmp_path, change, name="broken.xlsx"):
    wb = load_workbook(filled)
    change(wb)
    out = tmp_path / name
    wb.save(out)
    return out


def _set(sheet, code, column, value):
    def change(wb):
        ws = wb[sheet]
        ws.cell(row=code_row(ws, code), column=column).value = value
    return change


def _year(value):
    def change(wb):
        ws = wb[L.INFO_SHEET]
        ws.cell(row=info_row(ws, "ปีงบประมาณ (พ.ศ.)"), column=2).value = value
    return change


def _merge(wb):
    ws = wb["EIT"]
    row = code_row(ws, "e4")
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)


def _long_plan(wb):
    ws = wb[L.PLAN_SHEET]
    for row in range(L.FIRST_ROW, L.FIRST_ROW + 10_000):
        ws.cell(row=row, column=2).value = f"มาตรการ {row}"


def _no_measure(wb):
    ws = wb[L.PLAN_SHEET]
    ws.cell(row=L.FIRST_ROW + 1, column=2).value = None


def _bad_period(wb):
    ws = wb[L.PLAN_SHEET]
    ws.cell(row=L.FIRST_ROW, column=5).value = "1/10/2569"
    ws.cell(row=L.FIRST_ROW, column=6).value = "30/9/2569"
    ws.cell(row=L.FIRST_ROW + 2, column=5).value = "31/2/2569"


CASES = {
    # name: (change, [(sheet, row-code or None, column letter, words in the message)])
    "three decimals in Thai digits": (_set("IIT", "ตัวชี้วัดที่ 4", 3, "๙๑,๑๘๕"),
                                      [("IIT", "ตัวชี้วัดที่ 4", "C", "ทศนิยม")]),
    "a word for a score": (_set("OIT", "o12", 3, "ไม่มี"), [("OIT", "o12", "C", "ตัวเลข")]),
    "score above 100": (_set("EIT", "e4", 4, 101), [("EIT", "e4", "D", "0 ถึง 100")]),
    "empty required indicator": (_set("IIT", "ตัวชี้วัดที่ 4", 3, None), [("IIT", "ตัวชี้วัดที่ 4", "C", "ต้องกรอก")]),
    "unknown item code": (_set("OIT", "o28", 1, "o99"), [("OIT", "o99", "A", "ไม่มีข้อ “o99”")]),
    "formula": (_set("IIT", "ตัวชี้วัดที่ 2", 3, "=90+10"), [("IIT", "ตัวชี้วัดที่ 2", "C", "สูตร")]),
    "merged cells": (_merge, [("EIT", "e4", "D", "ผสาน")]),
    "wrong year": (_year(2569), [(L.INFO_SHEET, None, "B", "ไม่ตรงกับแบบฟอร์มซึ่งทำไว้สำหรับปี 2568")]),
    "year in Christian era": (_year(2025), [(L.INFO_SHEET, None, "B", "ต้องเป็นปี พ.ศ.")]),
    "10,000-row plan": (_long_plan, [(L.PLAN_SHEET, None, None, "10,003 แถว")]),
    "plan row without its measure": (_no_measure, [(L.PLAN_SHEET, L.FIRST_ROW + 1, "B", "มาตรการ")]),
    "plan dates": (_bad_period, [(L.PLAN_SHEET, L.FIRST_ROW, "F", "อยู่ก่อนวันเริ่มต้น"),
                                 (L.PLAN_SHEET, L.FIRST_ROW + 2, "E", "ไม่มีวันที่")]),
}


def _row_of(path, sheet, code):
    if code is None or isinstance(code, int):
        return code
    ws = load_workbook(path)[sheet]
    return code_row(ws, code)


@pytest.mark.parametrize("case", list(CASES))
def test_broken_workbook_is_reported_by_cell_and_nothing_is_written(case, filled, tmp_path, target):
    change, expected = CASES[case]
    broken = _edit(filled, tmp_path, change)
    before = sha(target)
    proc = run("import", target, broken)
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr
    result = read_workbook(broken)
    problems = result.problems
    if result.entry is not None or len(problems) > 1:
        assert "ไม่ได้นำเข้าข้อมูลใด ๆ" in proc.stderr and "--valid-rows" in proc.stderr
    else:
        assert len(proc.stderr.strip().splitlines()) == 1
    assert len(problems) == len(expected), [str(p) for p in problems]
    for problem, (sheet, code, column, words) in zip(problems, expected):
        text = str(problem)
        assert text in proc.stderr
        assert f"แผ่นงาน “{sheet}”" in text and words in text, text
        if code is not None:
            assert f"แถว {_row_of(broken, sheet, code)} " in text, text
        if column is not None:
            assert f"คอลัมน์ {column}:" in text, text
    assert sha(target) == before
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data, words", [
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, ".xls"),
    ("text.xlsx", "คะแนน,90\n".encode("utf-8"), "ไม่ใช่ไฟล์ Excel"),
    ("empty.xlsx", b"", "ไม่ใช่ไฟล์ Excel"),
])
def test_files_that_are_not_workbooks(tmp_path, target, name, data, words):
    path = _write(tmp_path, name, data)
    before = sha(target)
    proc = run("import", target, path)
    assert proc.returncode == 1 and words in proc.stderr and name in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sha(target) == before


def test_a_zip_that_is_not_a_workbook(tmp_path, target):
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    before = sha(target)
    proc = run("import", target, path)
    assert proc.returncode == 1 and "ไม่ใช่สมุดงาน Excel" in proc.stderr
    assert sha(target) == before


def test_xls_extension_is_told_to_save_as_xlsx(tmp_path, target):
    path = _write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    proc = run("import", target, path)
    assert proc.returncode == 1 and "บันทึกเป็น .xlsx" in proc.stderr


def test_one_bad_file_of_two_stops_both(filled, tmp_path, target):
    broken = _edit(filled, tmp_path, _set("IIT", "ตัวชี้วัดที่ 1", 3, "x"))
    before = sha(target)
    assert run("import", target, filled, broken).returncode == 1
    assert sha(target) == before


def test_valid_rows_import_skips_only_what_is_wrong(filled, tmp_path):
    def change(wb):
        _set("OIT", "o12", 3, "ไม่มี")(wb)
        _no_measure(wb)
    broken = _edit(filled, tmp_path, change)
    db = tmp_path / "partial.db"
    proc = run("import", db, broken, "--valid-rows", check=0)
    assert "ข้ามข้อมูลที่มีปัญหา 2 รายการ" in proc.stdout and "แถว" in proc.stderr
    out = tmp_path / "out.json"
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    data = json.loads(out.read_text(encoding="utf-8"))
    _org, a = read_file(__import__("pathlib").Path(__file__).parents[1] / "fixtures" / "chiangphin.json")[1]
    assert "o12" not in data["items"] and data["items"]["o5"] == 0
    assert len(data["actions"]) == len(a.actions) - 1
    assert data["indicators"]["4"] == 91.18


def test_valid_rows_cannot_rescue_a_missing_indicator(filled, tmp_path, target):
    broken = _edit(filled, tmp_path, _set("IIT", "ตัวชี้วัดที่ 3", 3, None))
    before = sha(target)
    proc = run("import", target, broken, "--valid-rows")
    assert proc.returncode == 1 and "ยังไม่ได้กรอกคะแนนตัวชี้วัดที่ 3" in proc.stderr
    assert sha(target) == before


def test_dates_and_numbers_are_read_as_meant(filled, tmp_path):
    def change(wb):
        ws = wb[L.PLAN_SHEET]
        ws.cell(row=L.FIRST_ROW, column=5).value = "๑ ต.ค. ๒๕๖๘"
        ws.cell(row=L.FIRST_ROW, column=6).value = datetime(2569, 9, 30)  # Excel on the Thai calendar
        ws.cell(row=L.FIRST_ROW + 1, column=5).value = "1 ตุลาคม 2568"
        ws.cell(row=L.FIRST_ROW + 1, column=6).value = "2026-09-30"
        _set("IIT", "ตัวชี้วัดที่ 4", 3, "๙๑,๑๘")(wb)
        _set("EIT", "e4", 4, " 99.61 ")(wb)
    result = read_workbook(_edit(filled, tmp_path, change))
    assert result.clean, [str(p) for p in result.problems]
    _org, a = result.entry
    assert a.indicators[4] == 91.18 and a.items["e4"] == {1: 99.61, 2: 100.0}
    assert [(x.start.isoformat(), x.end.isoformat()) for x in a.actions[:2]] == [
        ("2025-10-01", "2026-09-30"), ("2025-10-01", "2026-09-30")]
