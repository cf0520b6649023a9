"""A district's workload, small (bench/scale.py runs it at 8,000): 300 organizations × 6 years
imported, summarised and merged through the command line, checked for what comes out, not
for how fast (issue 15; speed is measured in bench/)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from itadesk.db.access import edit_file, read_file
from itadesk.ita.comparison import compare
from itadesk.texts import level_code

ROOT = Path(__file__).resolve().parents[1]
ORGS, FIRST, LAST = 300, 2563, 2568


def _generate():
    spec = importlib.util.spec_from_file_location("generate_orgs", ROOT / "bench" / "generate_orgs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(ORGS, FIRST, LAST)


def run(*args) -> str:
    proc = subprocess.run([sys.executable, "-m", "itadesk", *map(str, args)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def summary(path: Path) -> list[dict]:
    return json.loads(run("summary", path, "--json"))


def test_a_district_file_imports_summarises_and_merges_correctly(tmp_path):
    source = tmp_path / "orgs.json"
    entries = _generate()
    source.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    a, independent = tmp_path / "a.db", tmp_path / "c.db"
    run("import", a, source)

    rows = summary(a)
    years = range(FIRST, LAST + 1)
    assert len(rows) == ORGS * len(years)
    assert len({r["organization"] for r in rows}) == ORGS
    assert sorted({r["fiscal_year"] for r in rows}) == list(years)
    assert all(r["total"] is not None and r["level"] for r in rows)
    # The bulk summary agrees with the one-assessment-at-a-time reading the report uses.
    by_key = {(r["organization"], r["fiscal_year"]): r for r in rows}
    with read_file(a) as doc:
        orgs = {o.uuid: o.name for o in doc.organizations()}
        for org_uuid, year, uuid in doc.assessment_keys()[::97]:
            current = doc.load_assessment_by_uuid(uuid)
            expected = compare(current, doc.previous_assessment(org_uuid, year))
            row = by_key[(orgs[org_uuid], year)]
            assert (row["total"], row["change"]) == (expected.current.total, expected.overall.points)
            assert row["level"] == level_code(expected.current.level.name)

    # Another office imported the same results: every row meets its twin, nothing is written.
    run("import", independent, source)
    before = sha(a)
    out = run("merge", a, independent)
    rows_in_file = ORGS + len(entries) + sum(len(e["indicators"]) + len(e.get("items", {})) for e in entries)
    assert f"เพิ่ม 0 แก้ไขตาม 0 ลบ 0 เหมือนเดิม {rows_in_file} ใช้ค่าของไฟล์นี้ 0 ขัดแย้ง 0" in out
    assert sha(a) == before

    # A copy of ours with a few scores changed there: exactly those come back.
    b = tmp_path / "b.db"
    shutil.copyfile(a, b)
    with edit_file(b) as doc:
        keys = doc.assessment_keys()
        for n, (_org, _year, uuid) in enumerate(keys[::300]):
            doc._store.set_indicator_score(uuid, n % 10 + 1, 12.5)
    changed = len(keys[::300])
    out = run("merge", a, b)
    assert f"แก้ไขตาม {changed} " in out and "ขัดแย้ง 0" in out
    assert summary(a) == summary(b) != rows


def test_the_bulk_summary_judges_a_year_by_the_documents_own_catalog(tmp_path, reference_json):
    db = tmp_path / "a.itadesk"
    run("import", db, reference_json)
    bundled = {r["fiscal_year"]: r["total"] for r in summary(db)}
    catalog = tmp_path / "2568.json"
    run("catalog", "export", db, "--year", "2568", "-o", catalog)
    data = json.loads(catalog.read_text(encoding="utf-8"))
    for tool in data["tools"]:  # the document's 2568 weighs the tools otherwise
        tool["weight"] = {"IIT": 0.2, "EIT": 0.2, "OIT": 0.6}[tool["code"]]
    catalog.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("catalog", "import", db, catalog)
    rows = {r["fiscal_year"]: r for r in summary(db)}
    assert rows[2567]["total"] == bundled[2567] and rows[2568]["total"] != bundled[2568]
    with read_file(db) as doc:
        org_uuid, year, uuid = doc.assessment_keys()[-1]
        expected = compare(doc.load_assessment_by_uuid(uuid), doc.previous_assessment(org_uuid, year))
    assert (rows[2568]["total"], rows[2568]["change"]) == (expected.current.total, expected.overall.points)
