"""The command line as a user runs it: a real process, a real file, hashes compared."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args, check=None):
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True, text=True)
    if check is not None:
        assert proc.returncode == check, proc.stderr
    return proc


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path, reference_json):
    path = tmp_path / "ita.db"
    run("import", path, reference_json, check=0)
    return path


def test_import_and_summary_reproduce_the_reference(db):
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert [(r["fiscal_year"], r["total"], r["level"], r["change"]) for r in rows] == [
        (2567, 95.16, "good", None),
        (2568, 90.42, "pass", -4.74),
    ]
    assert [r["level_name"] for r in rows] == ["ผ่านดี", "ผ่าน"]  # the code's Thai name, for people
    assert set(rows[0]) == {"organization", "fiscal_year", "iit", "eit", "oit", "total", "level", "level_name",
                            "change", "level_confirmed", "rules_year"}
    assert [(r["rules_year"], r["level_confirmed"]) for r in rows] == [(2567, True), (2568, True)]
    assert rows[1]["oit"] == 77.5 and rows[1]["organization"] == "องค์การบริหารส่วนตำบลเชียงพิณ"
    text = run("summary", db, "--org", "อบต.เชียงพิณ", "--year", "2568", check=0).stdout
    assert "90.42" in text and "-4.74" in text and "95.16" not in text


def test_import_leaves_no_journal_and_sets_our_identity(db):
    assert not Path(str(db) + "-journal").exists()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x49544144
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_reimport_replaces_same_org_and_year(db, reference_json, tmp_path):
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    data[1]["indicators"]["10"] = 100
    data[1]["organization"]["name"] = "อบต. เชียงพิณ"  # same office, written the short way
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data[1], ensure_ascii=False), encoding="utf-8")
    run("import", db, changed, check=0)
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert len(rows) == 2
    assert rows[1]["oit"] == 90.0


def test_export_round_trips(db, tmp_path):
    out = tmp_path / "out.json"
    run("export", db, "--org", "องค์การบริหารส่วนตำบลเชียงพิณ", "--year", 2568, "-o", out, check=0)
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["items"]["e4"] == {"1": 99.61, "2": 100.0}
    assert exported["items"]["o23"] == 0.0
    assert len(exported["actions"]) >= 10
    again = tmp_path / "again.db"
    run("import", again, out, check=0)
    out2 = tmp_path / "out2.json"
    run("export", again, "--org", "องค์การบริหารส่วนตำบลเชียงพิณ", "--year", 2568, "-o", out2, check=0)
    assert json.loads(out2.read_text(encoding="utf-8")) == exported


def test_check_lists_reference_warnings_and_never_writes(db):
    before = sha(db)
    proc = run("check", db)
    assert proc.returncode == 1
    assert "i4–i6" in proc.stdout and "i7–i9" in proc.stdout
    assert sha(db) == before


def test_check_healthy_file(tmp_path):
    good = {"organization": {"name": "เทศบาลตำบลทดสอบ"}, "fiscal_year": 2567,
            "indicators": {str(n): 90 for n in range(1, 11)}}
    src = tmp_path / "good.json"
    src.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "good.db"
    run("import", path, src, check=0)
    assert run("check", path).returncode == 0


BAD_JSON = {
    "malformed": ('{"organization": {"name": "x"}, "fiscal_year": 2568,', "JSON"),
    "score_120": (None, "0 ถึง 100"),
    "letters": (None, "ตัวเลข"),
    "missing_indicator": (None, "ขาดคะแนนตัวชี้วัดที่ 9"),
    "ce_year": (None, "พ.ศ."),
    "bad_period": (None, "ก่อนวันเริ่มต้น"),
}


def _bad(kind: str) -> str:
    base = {"organization": {"name": "อบต.ทดสอบ"}, "fiscal_year": 2568,
            "indicators": {str(n): 90 for n in range(1, 11)}}
    if kind == "score_120":
        base["indicators"]["4"] = 120
    elif kind == "letters":
        base["indicators"]["4"] = "abc"
    elif kind == "missing_indicator":
        del base["indicators"]["9"]
    elif kind == "ce_year":
        base["fiscal_year"] = 2025
    elif kind == "bad_period":
        base["actions"] = [{"indicator": 1, "measure": "x", "start": "2026-10-01", "end": "2026-09-30"}]
    return json.dumps(base, ensure_ascii=False)


@pytest.mark.parametrize("kind", list(BAD_JSON))
def test_bad_json_is_refused_and_file_unchanged(db, tmp_path, kind):
    text, needle = BAD_JSON[kind]
    src = tmp_path / f"{kind}.json"
    src.write_text(text or _bad(kind), encoding="utf-8")
    before = sha(db)
    proc = run("import", db, src)
    assert proc.returncode != 0
    assert needle in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert sha(db) == before


def _truncated(db: Path, target: Path):
    target.write_bytes(db.read_bytes()[: 4096 * 3])


def _newer(db: Path, target: Path):
    target.write_bytes(db.read_bytes())
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


def _not_sqlite(db: Path, target: Path):
    target.write_bytes(b"This is a Word document, not a database.\n" * 50)


@pytest.mark.parametrize("maker,needle", [(_truncated, "เสียหาย"), (_newer, "รุ่นที่ใหม่กว่า"), (_not_sqlite, "ไม่ใช่ไฟล์")])
@pytest.mark.parametrize("command", ["summary", "check", "import"])
def test_bad_database_files_get_a_message_and_stay_unchanged(db, tmp_path, reference_json, maker, needle, command):
    bad = tmp_path / "bad.db"
    maker(db, bad)
    before = sha(bad)
    args = [command, bad] + ([reference_json] if command == "import" else [])
    proc = run(*args)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert sha(bad) == before
    assert not Path(str(bad) + "-journal").exists()


def test_python_m_and_console_script_agree(db):
    import shutil

    exe = shutil.which("itadesk", path=str(Path(sys.executable).parent))
    assert exe, "the itadesk console command is installed"
    proc = subprocess.run([exe, "summary", str(db), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0 and json.loads(proc.stdout)[1]["total"] == 90.42


def test_export_to_a_missing_folder_is_one_thai_line(db, tmp_path):
    proc = run("export", db, "--org", "อบต.เชียงพิณ", "--year", 2568, "-o", tmp_path / "gone" / "out.json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "เขียนไฟล์" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_province_written_with_its_prefix_is_the_same_office(db, reference_json, tmp_path):
    data = json.loads(reference_json.read_text(encoding="utf-8"))[0]
    data["organization"]["province"] = "จังหวัดอุดรธานี"
    data["organization"]["district"] = "อำเภอเมืองอุดรธานี"
    src = tmp_path / "again.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("import", db, src, check=0)
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert len(rows) == 2


def test_two_offices_importing_the_same_json_do_not_double_the_plan_on_merge(db, reference_json, tmp_path):
    import shutil

    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(db, a)
    shutil.copy(db, b)
    data = json.loads(reference_json.read_text(encoding="utf-8"))[1]
    data["indicators"]["9"] = 81  # both offices correct the same score from the same file
    src = tmp_path / "fix.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("import", a, src, check=0)
    run("import", b, src, check=0)
    proc = run("merge", a, b)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out.json"
    run("export", a, "--org", "อบต.เชียงพิณ", "--year", 2568, "-o", out, check=0)
    assert len(json.loads(out.read_text(encoding="utf-8"))["actions"]) == len(data["actions"])


def test_argument_mistakes_are_one_thai_line():
    proc = run("report", "x.pdf")
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("itadesk: ขาดข้อมูลที่ต้องระบุ") and "--org" in last
    assert "error:" not in proc.stderr


def test_missing_file_message_names_the_file(tmp_path):
    proc = run("summary", tmp_path / "gone.db")
    assert proc.returncode == 2 and "gone.db" in proc.stderr and "ไม่พบไฟล์" in proc.stderr


def test_summary_says_whose_rules_a_year_uses_and_marks_an_unconfirmed_level(tmp_path, reference_json):
    """2569 has no catalog of its own: summary says it ran on 2568's rules; ผ่านดีเยี่ยม is
    marked as not confirmed, as the PDF does."""
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    entry = data[1]
    entry["fiscal_year"] = 2569
    entry["indicators"] = {str(k): 100 for k in range(1, 11)}
    entry["items"] = {}
    source = tmp_path / "2569.json"
    source.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "ita.db"
    run("import", db, source, check=0)
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert [(r["fiscal_year"], r["rules_year"], r["level"], r["level_confirmed"]) for r in rows] == [
        (2569, 2568, "excellent", False)]
    text = run("summary", db, check=0).stdout
    assert "ผ่านดีเยี่ยม*" in text
    assert "ปี 2569 ใช้เกณฑ์ของปี 2568" in text
    assert "* เกณฑ์ระดับ \"ผ่านดีเยี่ยม\" ยังไม่ได้รับการยืนยัน" in text


# -- the command line in Thai: mistakes, help, hints ------------------------------------------

def test_mistyped_command_is_named_with_the_closest_and_every_command(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "itadesk", "sumary", str(tmp_path / "x.itadesk")],
                          capture_output=True, text=True, env=_env_without_display(), timeout=60)
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1
    assert 'ไม่มีคำสั่ง "sumary"' in line and "หมายถึง summary หรือไม่" in line
    for command in ("import", "summary", "export", "report", "check", "merge"):
        assert command in line
    assert not (tmp_path / "x.itadesk").exists()


def test_a_word_far_from_every_command_gets_no_guess():
    proc = run("xyzzy")
    assert proc.returncode == 1 and "หมายถึง" not in proc.stderr and "คำสั่งที่มี" in proc.stderr


def test_help_is_thai_including_argparse_headings():
    top = run("--help", check=0).stdout
    assert top.startswith("วิธีใช้: itadesk")
    assert "ตัวเลือก:" in top and "คำสั่ง (" in top and "แสดงวิธีใช้นี้แล้วจบ" in top
    for command in ("report", "summary", "export", "import", "check", "merge"):
        sub = run(command, "--help", check=0).stdout
        assert sub.startswith(f"วิธีใช้: itadesk {command}")
        assert "ข้อมูลที่ต้องระบุ:" in sub and "ตัวเลือก:" in sub
    report = run("report", "--help", check=0).stdout
    for english in ("usage:", "positional arguments", "options:", "show this help", "optional arguments"):
        assert english not in top and english not in report
    # every argument and option says what it is for, in Thai
    assert "ปีงบประมาณ พ.ศ." in report and "ชื่อหน่วยงาน" in report and "ใช้เลขไทยในรายงาน" in report


def test_wrong_organization_lists_the_ones_in_the_file(db, tmp_path):
    for command in (["report", "-o", tmp_path / "r.pdf"], ["export", "-o", tmp_path / "r.json"], ["summary"]):
        proc = run(command[0], db, "--org", "อบต.ไม่มีจริง", "--year", 2568, *command[1:])
        assert proc.returncode == 1, proc.stderr
        line = proc.stderr.strip()
        assert "ไม่พบหน่วยงาน อบต.ไม่มีจริง" in line and "องค์การบริหารส่วนตำบลเชียงพิณ" in line
        assert len(line.splitlines()) == 1


def test_christian_era_year_hints_at_the_buddhist_era(db, tmp_path):
    proc = run("report", db, "--org", "อบต.เชียงพิณ", "--year", 2026, "-o", tmp_path / "r.pdf")
    assert proc.returncode == 1
    assert "2026 เป็นปี ค.ศ." in proc.stderr and "พ.ศ. (2569)" in proc.stderr
    assert not (tmp_path / "r.pdf").exists()
    thai_digits = run("summary", db, "--year", "๒๕๖๘", "--json", check=0).stdout
    assert json.loads(thai_digits)[0]["fiscal_year"] == 2568


@pytest.mark.parametrize("name", ["r.odt", "r.xlsx", "r"])
def test_report_to_a_format_not_supported_is_refused_not_written_as_pdf(db, tmp_path, name):
    out = tmp_path / name
    proc = run("report", db, "--org", "อบต.เชียงพิณ", "--year", 2568, "-o", out)
    assert proc.returncode == 1 and "ยังสร้างรายงานเป็นไฟล์" in proc.stderr and ".pdf" in proc.stderr
    assert not out.exists()


def _env_without_display() -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return env


def test_without_a_display_the_cli_works_and_never_imports_qt(db, tmp_path):
    script = (
        "import sys, json; from itadesk.__main__ import main; "
        f"rc = main(['report', {str(db)!r}, '--org', 'อบต.เชียงพิณ', '--year', '2568', '-o', {str(tmp_path / 'r.pdf')!r}]); "
        "print(json.dumps([rc, sorted(m for m in sys.modules if m.startswith('PySide6'))]))"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=_env_without_display(), timeout=120)
    rc, qt_modules = json.loads(proc.stdout.strip().splitlines()[-1])
    assert rc == 0 and qt_modules == [] and (tmp_path / "r.pdf").exists()
    assert "qt." not in proc.stderr.lower()


def test_without_a_display_the_window_says_so_in_thai(db):
    proc = subprocess.run([sys.executable, "-m", "itadesk", str(db)], capture_output=True, text=True,
                          env=_env_without_display(), timeout=60)
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS always have a display")
    assert proc.returncode == 1
    assert "ไม่พบหน้าจอ" in proc.stderr and "qt." not in proc.stderr.lower()


def test_window_smoke_test_opens_the_file_and_quits(db, tmp_path):
    """The frozen build's self-check (installers/smoke_frozen.py), here from source."""
    env = dict(_env_without_display(), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "itadesk", str(db), "--smoke-test"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0 and "smoke-test: opened" in proc.stdout, proc.stdout + proc.stderr


def test_published_figures_from_json_win_within_a_rounding_step_and_check_warns_beyond(tmp_path, reference_json):
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    data[1]["published"] = {"total": 90.43, "level": "ผ่าน"}
    source = tmp_path / "published.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "ita.db"
    run("import", db, source, check=0)
    rows = json.loads(run("summary", db, "--json", check=0).stdout)
    assert rows[1]["total"] == 90.43  # the indicators give 90.42; the NACC's figure is official
    assert not any("(90.43)" in line for line in run("check", db).stdout.splitlines())

    data[1]["published"] = {"total": 90.92}
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("import", db, source, check=0)
    assert json.loads(run("summary", db, "--json", check=0).stdout)[1]["total"] == 90.42
    out = run("check", db, check=1).stdout
    assert "คะแนนรวม ที่กรอกตามประกาศ (90.92)" in out and "พิมพ์คะแนนผิด" in out
    exported = tmp_path / "out.json"
    run("export", db, "--org", "อบต.เชียงพิณ", "--year", "2568", "-o", exported, check=0)
    assert json.loads(exported.read_text(encoding="utf-8"))["published"] == {"total": 90.92}

    data[1]["published"] = {"totl": 90.42}
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run("import", db, source, check=1)
    assert "ผลที่ประกาศไม่มีหัวข้อ \"totl\"" in proc.stderr


def test_summary_json_rows_are_what_json_dumps_writes():
    from itadesk.cli import json_rows

    rows = [{"organization": "อบต.\"ทดสอบ\"\\ที่ 1", "fiscal_year": 2568, "iit": 95.16, "eit": None, "total": -0.0,
             "level": "pass", "level_confirmed": False, "change": 1e-07}, {}]
    assert json_rows(rows) == [json.dumps(r, ensure_ascii=False) for r in rows]


@pytest.mark.parametrize("count", [0, 1, 3, 4, 7])
def test_summary_json_lines_are_written_as_one_array_whatever_their_number(count, capsys):
    from itadesk.cli import print_json_lines

    rows = [{"organization": f"อบต.ที่ {n}", "fiscal_year": 2568} for n in range(count)]
    print_json_lines([json.dumps(r, ensure_ascii=False) for r in rows], at_once=3)
    out = capsys.readouterr().out
    assert json.loads(out) == rows and out.count("\n") == count + 2 - (count == 0)


@pytest.mark.parametrize("json_out", [True, False])
def test_summary_of_a_crafted_file_with_an_endless_view_is_refused_not_run(db, json_out):
    """A table swapped for a view that never ends: ``summary`` of the whole file read it while
    the file was hashed, before the check that refuses views, and never returned. It must say
    the one Thai sentence a crafted file gets (as ``summary --org`` does), and change nothing."""
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE organizations RENAME TO organizations_kept")
    conn.execute("CREATE VIEW organizations AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                 "SELECT o.* FROM organizations_kept o, n")
    conn.commit()
    conn.close()
    before = sha(db)
    try:  # a hang guard, not a speed bound: refused at once, it takes a second
        proc = subprocess.run([sys.executable, "-m", "itadesk", "summary", str(db), *(["--json"] if json_out else [])],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("summary of a crafted file never returned")
    assert proc.returncode == 2 and "ไม่ได้สร้าง (เช่น ทริกเกอร์หรือวิว)" in proc.stderr and not proc.stdout
    assert sha(db) == before
