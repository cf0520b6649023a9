"""`itadesk catalog export|import` as an officer runs them: a real process, real files, hashes compared."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from test_cli import run, sha


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_catalog_travels_from_one_file_to_another_and_names_the_item_in_the_report(tmp_path, reference_json):
    district = tmp_path / "district.itadesk"
    run("import", district, reference_json, check=0)
    out = tmp_path / "เกณฑ์2568.json"
    done = run("catalog", "export", district, "--year", "2568", "-o", out, check=0)
    assert "เกณฑ์การประเมินปี 2568" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "itadesk-catalog" and data["fiscal_year"] == 2568
    # The district names o6, which no public source names yet, in the JSON by hand.
    o6 = next(i for d in data["indicators"] for i in d["items"] if i["code"] == "o6")
    assert o6["title"] == ""
    o6.update(title="ข้อมูลทดสอบการตั้งชื่อข้อ o6", source="หนังสือแจ้งของอำเภอ (ทดสอบ)", confirmed=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    office = tmp_path / "office.itadesk"
    run("import", office, reference_json, check=0)
    imported = run("catalog", "import", office, out, check=0)
    assert "นำเข้าเกณฑ์การประเมินปี 2568" in imported.stdout
    pdf = tmp_path / "report.pdf"
    run("report", office, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", pdf, check=0)
    assert "o6 ข้อมูลทดสอบการตั้งชื่อข้อ o6" in " ".join(pdf_text(pdf).split())
    # The file it came from still uses the bundled catalog: o6 has no name there.
    plain = tmp_path / "plain.pdf"
    run("report", district, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", plain, check=0)
    text = " ".join(pdf_text(plain).split())
    assert "ข้อมูลทดสอบการตั้งชื่อข้อ" not in text and "o6 (ยังไม่ระบุชื่อข้อ)" in text
    # Exported again, the office's catalog is the one with the name.
    again = tmp_path / "again.json"
    run("catalog", "export", office, "--year", "2568", "-o", again, check=0)
    assert "ข้อมูลทดสอบการตั้งชื่อข้อ o6" in again.read_text(encoding="utf-8")


def test_a_year_without_a_catalog_exports_the_rules_it_uses_under_its_own_year(tmp_path, reference_json):
    db = tmp_path / "a.itadesk"
    run("import", db, reference_json, check=0)
    out = tmp_path / "2569.json"
    done = run("catalog", "export", db, "--year", "2569", "-o", out, check=0)
    assert "ใช้เกณฑ์ของปี 2568" not in done.stdout and "ของปี 2568 ที่ใช้อยู่ในชื่อปี 2569" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["fiscal_year"] == 2569 and data["confirmed"] is False
    run("catalog", "import", db, out, check=0)
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert [r["rules_year"] for r in rows] == [2567, 2568]  # 2569 has no scores; its catalog is kept
    # Scores of 2570: summary says they are judged by the file's 2569 catalog, the latest earlier one.
    entry = json.loads(reference_json.read_text(encoding="utf-8"))[1]
    later = tmp_path / "2570.json"
    later.write_text(json.dumps(dict(entry, fiscal_year=2570, actions=[]), ensure_ascii=False), encoding="utf-8")
    run("import", db, later, check=0)
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert [(r["fiscal_year"], r["rules_year"]) for r in rows] == [(2567, 2567), (2568, 2568), (2570, 2569)]
    export_again = tmp_path / "back.json"
    done = run("catalog", "export", db, "--year", "2570", "-o", export_again, check=0)
    assert "ของปี 2569 ที่ใช้อยู่" in done.stdout  # 2570 now borrows the document's 2569


def test_a_broken_catalog_is_refused_with_its_reason_and_the_file_is_unchanged(tmp_path, reference_json):
    db = tmp_path / "a.itadesk"
    run("import", db, reference_json, check=0)
    good = tmp_path / "good.json"
    run("catalog", "export", db, "--year", "2568", "-o", good, check=0)
    data = json.loads(good.read_text(encoding="utf-8"))
    before = sha(db)

    def refused(name: str, content: str | bytes, reason: str) -> None:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        proc = run("catalog", "import", db, path, check=1)
        assert reason in proc.stderr, proc.stderr
        assert "ไม่ได้นำเข้า" in proc.stderr or "UTF-8" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
        assert sha(db) == before

    refused("cut.json", good.read_text(encoding="utf-8")[:500], "ไม่ใช่ข้อมูล JSON")
    refused("other.json", json.dumps({"format": "something-else"}), "ไม่ใช่ไฟล์เกณฑ์ของ ITA Desk")
    twice = json.loads(json.dumps(data))
    twice["indicators"][8]["items"].append(dict(twice["indicators"][8]["items"][0]))
    refused("twice.json", json.dumps(twice, ensure_ascii=False), "มีข้อ o1 ซ้ำกัน")
    weights = json.loads(json.dumps(data))
    weights["tools"][0]["weight"] = 0.5
    refused("weights.json", json.dumps(weights, ensure_ascii=False), "น้ำหนักของเครื่องมือรวมกันไม่เท่ากับ 1")
    wrong_prefix = json.loads(json.dumps(data))
    wrong_prefix["indicators"][0]["items"][0]["code"] = "o99"
    refused("prefix.json", json.dumps(wrong_prefix, ensure_ascii=False), "ต้องขึ้นต้นด้วย i")
    control = json.loads(json.dumps(data))
    control["indicators"][8]["items"][6]["title"] = "ชื่อ\u202eกลับด้าน"
    refused("bidi.json", json.dumps(control, ensure_ascii=False), "ข้อ o7")
    refused("latin1.json", "é".encode("latin-1"), "UTF-8")
    missing = tmp_path / "nothing.json"
    proc = run("catalog", "import", db, missing, check=1)
    assert "nothing.json" in proc.stderr and sha(db) == before



def _catalog_with_o29(tmp_path, source_db) -> Path:
    """The 2569 catalog the file uses, made its own with one more OIT item, o29, named."""
    out = tmp_path / "2569.json"
    run("catalog", "export", source_db, "--year", "2569", "-o", out, check=0)
    data = json.loads(out.read_text(encoding="utf-8"))
    data["indicators"][-1]["items"].append({"code": "o29", "title": "ข้อเพิ่มของสำนักงาน o29", "confirmed": False})
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def _scores_2569_with_o29(tmp_path, reference_json) -> Path:
    entry = json.loads(reference_json.read_text(encoding="utf-8"))[1]
    path = tmp_path / "o29.json"
    path.write_text(json.dumps(dict(entry, fiscal_year=2569, items=dict(entry["items"], o29=100), actions=[]),
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_import_checks_scores_against_the_files_own_catalog(tmp_path, reference_json):
    office = tmp_path / "office.itadesk"
    run("import", office, reference_json, check=0)
    run("catalog", "import", office, _catalog_with_o29(tmp_path, office), check=0)
    scores = _scores_2569_with_o29(tmp_path, reference_json)
    done = run("import", office, scores, check=0)
    assert "นำเข้า 1 รายการ" in done.stdout
    exported = tmp_path / "back.json"
    run("export", office, "--org", "องค์การบริหารส่วนตำบลเชียงพิณ", "--year", "2569", "-o", exported, check=0)
    assert json.loads(exported.read_text(encoding="utf-8"))["items"]["o29"] == 100

    # A file without that catalog (2569 runs on the bundled 2568 rules, o1-o28) refuses the
    # same scores with the reason, and is not changed.
    fresh = tmp_path / "fresh.itadesk"
    run("import", fresh, reference_json, check=0)
    before = sha(fresh)
    refused = run("import", fresh, scores, check=1)
    assert "ไม่มีข้อ o29 ในเกณฑ์ปี 2569" in refused.stderr, refused.stderr
    assert sha(fresh) == before
    # A file that does not exist yet is not created by a refused import.
    missing = tmp_path / "new.itadesk"
    run("import", missing, scores, check=1)
    assert not missing.exists()


def test_template_from_a_file_lists_the_files_own_items_and_titles(tmp_path, reference_json):
    from openpyxl import load_workbook

    from itadesk.interchange import xlsx_layout as L
    from itadesk.ita.catalog import load_catalog

    office = tmp_path / "office.itadesk"
    run("import", office, reference_json, check=0)
    run("catalog", "import", office, _catalog_with_o29(tmp_path, office), check=0)
    before = sha(office)
    oit = L.tool_sheet_name(next(t for t in load_catalog(2568).tools if t.code == "OIT"))

    def oit_rows(path) -> dict:
        ws = load_workbook(path, read_only=True)[oit]
        return {row[0]: row[1] for row in ws.iter_rows(min_row=L.FIRST_ROW, max_col=2, values_only=True) if row[0]}

    own = tmp_path / "own.xlsx"
    done = run("template", "--year", "2569", "--file", office, "-o", own, check=0)
    assert oit_rows(own)["o29"] == "ข้อเพิ่มของสำนักงาน o29"
    assert "เริ่มจากเกณฑ์ของปี 2568" in done.stdout  # the file's 2569 catalog is not confirmed yet
    assert sha(office) == before  # read only
    bundled = tmp_path / "bundled.xlsx"
    run("template", "--year", "2569", "-o", bundled, check=0)
    assert "o29" not in oit_rows(bundled) and "o28" in oit_rows(bundled)
    missing = run("template", "--year", "2569", "--file", tmp_path / "none.itadesk", "-o", tmp_path / "x.xlsx",
                  check=2)
    assert "ไม่พบไฟล์" in missing.stderr and not (tmp_path / "x.xlsx").exists()


def test_summary_and_check_say_a_catalog_started_from_another_year_is_not_confirmed(tmp_path, reference_json):
    db = tmp_path / "a.itadesk"
    run("import", db, reference_json, check=0)
    catalog = tmp_path / "2569.json"
    run("catalog", "export", db, "--year", "2569", "-o", catalog, check=0)  # started from 2568, unconfirmed
    run("catalog", "import", db, catalog, check=0)
    entry = json.loads(reference_json.read_text(encoding="utf-8"))[1]
    scores = tmp_path / "2569-scores.json"
    scores.write_text(json.dumps(dict(entry, fiscal_year=2569, actions=[]), ensure_ascii=False), encoding="utf-8")
    run("import", db, scores, check=0)
    note = ("หมายเหตุ: ปี 2569 ใช้เกณฑ์ที่เริ่มจากเกณฑ์ของปี 2568 (เก็บไว้ในไฟล์นี้) "
            "ซึ่งยังไม่ได้ยืนยันว่าตรงกับเกณฑ์การประเมินของปี 2569")
    summary = run("summary", db, check=0).stdout
    assert summary.count(note) == 1 and "ปี 2568 ใช้เกณฑ์ที่เริ่มจาก" not in summary
    assert run("summary", db, "--year", "2568", check=0).stdout.count(note) == 0
    assert run("check", db).stdout.count(note) == 1

    # Marked confirmed (as the editor does), the note goes from both.
    data = json.loads(catalog.read_text(encoding="utf-8"))
    catalog.write_text(json.dumps(dict(data, confirmed=True), ensure_ascii=False), encoding="utf-8")
    run("catalog", "import", db, catalog, check=0)
    assert "ยังไม่ได้ยืนยัน" not in run("summary", db, check=0).stdout
    assert "ยังไม่ได้ยืนยัน" not in run("check", db).stdout
