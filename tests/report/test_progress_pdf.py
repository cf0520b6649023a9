"""The plan followed up a year later, printed by the real CLI and read back with poppler."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from itadesk.ita.thai_dates import THAI_MONTHS

FIXTURE = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def itadesk(*args, env_dir: Path, check: int = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, ITADESK_DATA_DIR=str(env_dir))
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True, text=True, env=env)
    assert proc.returncode == check, proc.stderr
    return proc


EVIDENCE = ("https://www.chiangphin.go.th/ita/2569/o10.pdf", "รายงานการประชุมสภา อบต. ครั้งที่ 1/2569",
            "ภาพถ่ายการอบรมและรายชื่อผู้เข้าร่วม 24 คน")
SCREENSHOT = Path(__file__).parents[2] / "docs" / "screenshots" / "progress-page-1.png"


def test_progress_report_of_the_reference_plan_with_rows_done(tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data[1]["organization"].update(preparer_name="นางสาวสมใจ ใจดี", preparer_position="นักวิเคราะห์นโยบายและแผน")
    actions = data[1]["actions"]
    for i, row in enumerate(actions[:3], start=1):
        row.update(status="done", progress_note=f"จัดทำแล้ว เผยแพร่บนเว็บไซต์ (หลักฐานที่ {i})",
                   evidence=EVIDENCE[i - 1], completed=f"2026-0{i + 1}-15")
    actions[3]["status"], actions[3]["progress_note"] = "in_progress", "อยู่ระหว่างจัดทำคู่มือ"
    source, db, pdf = tmp_path / "plan.json", tmp_path / "ita.db", tmp_path / "progress.pdf"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    itadesk("import", db, source, env_dir=tmp_path)
    before = db.read_bytes()
    made_from = date.today()  # the report is dated the day it is made, perhaps on either side of midnight
    out = itadesk("progress", db, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", pdf, env_dir=tmp_path)
    made_by = date.today()
    assert "ผลการดำเนินการตามแผน ปีงบประมาณ 2569" in out.stdout
    rest = len(actions) - 4
    assert f"มาตรการทั้งหมด {len(actions)} มาตรการ: เสร็จสิ้น 3, กำลังดำเนินการ 1, ยังไม่เริ่ม {rest}" in out.stdout
    assert "1. [เสร็จสิ้น 15 ก.พ. 2569]" in out.stdout and f"หลักฐาน: {EVIDENCE[0]}" in out.stdout
    assert "4. [กำลังดำเนินการ]" in out.stdout and "ผล: อยู่ระหว่างจัดทำคู่มือ" in out.stdout
    assert db.read_bytes() == before  # read-only
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "ผลการดำเนินการตามแผนปีงบประมาณพ.ศ.2569" in flat
    assert "ตามแผนปฏิบัติการที่จัดทำจากผลการประเมินITAปีงบประมาณพ.ศ.2568" in flat
    days = [f"ข้อมูลณวันที่{d.day}{THAI_MONTHS[d.month - 1]}{d.year + 543}" for d in sorted({made_from, made_by})]
    assert any(day in flat for day in days), days
    assert f"มาตรการทั้งหมด{len(actions)}มาตรการ:เสร็จสิ้น3,กำลังดำเนินการ1,ยังไม่เริ่ม{rest}" in flat
    assert "ดำเนินการแล้วเสร็จร้อยละ15.79" in flat  # 3 of 19
    for header in ("วันที่แล้วเสร็จ", "ผลการดำเนินการ", "หลักฐาน"):
        assert header in flat
    for i in (1, 2, 3):
        assert f"(หลักฐานที่{i})" in flat
        assert re.sub(r"\s+", "", EVIDENCE[i - 1]) in flat
    for day in ("15กุมภาพันธ์2569", "15มีนาคม2569", "15เมษายน2569"):
        assert day in flat
    assert "อยู่ระหว่างจัดทำคู่มือ" in flat
    assert flat.count("ยังไม่ได้บันทึกผลการดำเนินการ") == rest
    assert ORG in text
    # signed at the end, like the report: the preparer kept with the organization, the approver to fill in
    assert flat.count("ลงชื่อ") == 2 and "ผู้จัดทำ" in flat and "ผู้อนุมัติ" in flat
    assert "(นางสาวสมใจใจดี)" in flat and "ตำแหน่งนักวิเคราะห์นโยบายและแผน" in flat
    assert flat.count("วันที่..........เดือน") == 2
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    assert "841.89 x 595.276" in info or "842 x 595" in info  # landscape A4 from page one
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pictures = sorted(tmp_path.glob("page-*.png"))
    assert len(pictures) == pages
    if os.environ.get("ITADESK_SCREENSHOTS"):
        shutil.copyfile(pictures[0], SCREENSHOT)


def test_thai_digits_reach_the_counts_and_the_dates(tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data[1]["actions"][0].update(status="done", completed="2026-02-15",
                                 evidence="หนังสือที่ ชพ 0023/145 https://www.chiangphin.go.th/ita/2569/o10.pdf")
    source, db, pdf = tmp_path / "plan.json", tmp_path / "ita.db", tmp_path / "progress.pdf"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    itadesk("import", db, source, env_dir=tmp_path)
    itadesk("progress", db, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", pdf, "--thai-digits", env_dir=tmp_path)
    flat = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    assert "ผลการดำเนินการตามแผนปีงบประมาณพ.ศ.๒๕๖๙" in flat
    assert "เสร็จสิ้น๑,กำลังดำเนินการ๐" in flat and "๑๕กุมภาพันธ์๒๕๖๙" in flat
    assert "หนังสือที่ชพ๐๐๒๓/๑๔๕" in flat
    assert "https://www.chiangphin.go.th/ita/2569/o10.pdf" in flat  # a link keeps its digits: it must still open


def test_a_year_without_plan_rows_says_so_with_every_font_embedded(tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data[1]["actions"] = []
    source, db, pdf = tmp_path / "plan.json", tmp_path / "ita.db", tmp_path / "progress.pdf"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    itadesk("import", db, source, env_dir=tmp_path)
    out = itadesk("progress", db, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", pdf, env_dir=tmp_path)
    assert "มาตรการทั้งหมด 0 มาตรการ: เสร็จสิ้น 0, กำลังดำเนินการ 0, ยังไม่เริ่ม 0" in out.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "ยังไม่มีมาตรการในแผนของปีนี้" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts  # embedded: no stray Helvetica
    assert not any("Helvetica" in line for line in fonts)


def test_progress_of_a_year_without_results_is_one_thai_line(tmp_path):
    db = tmp_path / "ita.db"
    itadesk("import", db, FIXTURE, env_dir=tmp_path)
    proc = itadesk("progress", db, "--org", "อบต.เชียงพิณ", "--year", "2570", "-o", tmp_path / "x.pdf",
                   env_dir=tmp_path, check=1)
    assert "ยังไม่มีผลการประเมินของ" in proc.stderr and not (tmp_path / "x.pdf").exists()
