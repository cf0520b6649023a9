"""The plan followed up a year later, printed by the real CLI and read back with poppler."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "chiangphin.json"
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def itadesk(*args, env_dir: Path, check: int = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, ITADESK_DATA_DIR=str(env_dir))
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True, text=True, env=env)
    assert proc.returncode == check, proc.stderr
    return proc


def test_progress_report_of_the_reference_plan_with_rows_done(tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    actions = data[1]["actions"]
    for i, row in enumerate(actions[:3], start=1):
        row["status"], row["progress_note"] = "เสร็จสิ้น", f"จัดทำแล้ว เผยแพร่บนเว็บไซต์ (หลักฐานที่ {i})"
    actions[3]["status"], actions[3]["progress_note"] = "กำลังดำเนินการ", "อยู่ระหว่างจัดทำคู่มือ"
    source, db, pdf = tmp_path / "plan.json", tmp_path / "ita.db", tmp_path / "progress.pdf"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    itadesk("import", db, source, env_dir=tmp_path)
    before = db.read_bytes()
    out = itadesk("progress", db, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", pdf, env_dir=tmp_path)
    assert "ผลการดำเนินการตามแผน ปีงบประมาณ 2569" in out.stdout
    assert db.read_bytes() == before  # read-only
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "ผลการดำเนินการตามแผนปีงบประมาณพ.ศ.2569" in flat
    assert "ตามแผนปฏิบัติการที่จัดทำจากผลการประเมินITAปีงบประมาณพ.ศ.2568" in flat
    assert f"มาตรการทั้งหมด{len(actions)}มาตรการ:ยังไม่เริ่ม{len(actions) - 4},กำลังดำเนินการ1,เสร็จสิ้น3" in flat
    for i in (1, 2, 3):
        assert f"(หลักฐานที่{i})" in flat
    assert "อยู่ระหว่างจัดทำคู่มือ" in flat
    assert flat.count("ยังไม่ได้บันทึกผลการดำเนินการ") == len(actions) - 4
    assert ORG in text
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True).stdout).group(1))
    assert pages >= 2
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276" in size or "842 x 595" in size  # landscape A4 from page one
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == pages


def test_progress_of_a_year_without_results_is_one_thai_line(tmp_path):
    db = tmp_path / "ita.db"
    itadesk("import", db, FIXTURE, env_dir=tmp_path)
    proc = itadesk("progress", db, "--org", "อบต.เชียงพิณ", "--year", "2570", "-o", tmp_path / "x.pdf",
                   env_dir=tmp_path, check=1)
    assert "ยังไม่มีผลการประเมินของ" in proc.stderr and not (tmp_path / "x.pdf").exists()
