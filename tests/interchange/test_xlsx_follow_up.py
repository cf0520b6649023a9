"""The plan sheet carries each row's follow-up (evidence, completion date); older templates still import."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from itadesk.interchange import xlsx_layout as L
from itadesk.interchange.xlsx_read import read_workbook
from tests.test_cli import run

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"
LINK = "https://www.chiangphin.go.th/ita/o10-2569.pdf"


def _with_follow_up(reference_json, tmp_path):
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    actions = data[1]["actions"]
    actions[0].update(status="done", evidence=LINK, completed="2026-03-31")
    actions[1].update(status="done", evidence="รายงานการประชุมสภา ครั้งที่ 1/2569", completed="2026-01-20")
    source = tmp_path / "followed.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "ita.db"
    run("import", db, source, check=0)
    return db


def _plan(db, tmp_path, name):
    out = tmp_path / name
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    data = json.loads(out.read_text(encoding="utf-8"))
    return (data[0] if isinstance(data, list) else data)["actions"]


def test_export_shows_the_follow_up_and_imports_it_back(tmp_path, reference_json):
    db = _with_follow_up(reference_json, tmp_path)
    out = tmp_path / "export.xlsx"
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    ws = load_workbook(out)[L.PLAN_SHEET]
    headers = [ws.cell(row=L.HEADER_ROW, column=c).value for c in range(1, len(L.PLAN_COLUMNS) + 1)]
    assert headers[-2:] == ["หลักฐาน (ข้อความหรือลิงก์)", "วันที่แล้วเสร็จ (วว/ดด/ปปปป พ.ศ.)"]
    assert ws.cell(row=L.FIRST_ROW, column=9).value == LINK
    assert ws.cell(row=L.FIRST_ROW, column=10).value == "31/3/2569"  # typed BE, as the officer reads it
    again = tmp_path / "again.db"
    run("import", again, out, check=0)
    got = _plan(again, tmp_path, "b.json")
    assert got == _plan(db, tmp_path, "a.json")
    assert (got[0]["evidence"], got[0]["completed"]) == (LINK, "2026-03-31")
    assert got[1]["completed"] == "2026-01-20" and "completed" not in got[2]


def test_a_template_from_before_the_follow_up_columns_still_imports(tmp_path, reference_json):
    db = _with_follow_up(reference_json, tmp_path)
    out = tmp_path / "export.xlsx"
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    wb = load_workbook(out)
    ws = wb[L.PLAN_SHEET]
    ws.delete_cols(L.PLAN_COLUMNS_BEFORE_FOLLOW_UP + 1, 2)  # what the previous release wrote
    old = tmp_path / "old.xlsx"
    wb.save(old)
    read = read_workbook(old)
    assert read.problems == [] and read.entry is not None
    actions = read.entry[1].actions
    assert len(actions) == 19 and actions[0].status == "done" and actions[0].evidence == ""


def test_a_completion_before_the_start_is_named_by_sheet_row_and_column(tmp_path, reference_json):
    db = _with_follow_up(reference_json, tmp_path)
    out = tmp_path / "export.xlsx"
    run("export", db, "--org", ORG, "--year", 2568, "-o", out, check=0)
    wb = load_workbook(out)
    wb[L.PLAN_SHEET].cell(row=L.FIRST_ROW + 1, column=10).value = "1/9/2568"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    before = db.read_bytes()
    proc = run("import", db, bad, check=1)
    assert "วันที่แล้วเสร็จ (1 กันยายน 2568) อยู่ก่อนวันเริ่มต้น (1 ตุลาคม 2568)" in proc.stderr
    assert f"แถว {L.FIRST_ROW + 1}" in proc.stderr and L.PLAN_SHEET in proc.stderr
    assert db.read_bytes() == before
