"""A plan row's follow-up a year later (evidence, completion date) in the file, JSON and merge.

``tests/fixtures/v4.db`` was written by the release before the follow-up columns (schema
version 4: ``itadesk import`` of the reference data with two rows done and one in progress)
and is never rewritten; ``v2.db`` is the release before stable codes.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from itadesk.db.document import Document
from itadesk.db.files import read_snapshot
from itadesk.db.schema import SCHEMA_VERSION
from itadesk.db.store import Store
from itadesk.db.validate import RefusedValueError, invalid_rows
from itadesk.db.versions import row_hash, rows
from itadesk.interchange.json_format import InterchangeError, parse_assessment, to_dict
from itadesk.ita.model import Action, Organization
from tests.db.test_upgrade import raw

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"
LINK = "https://www.chiangphin.go.th/news/ita-2569"


@pytest.fixture(params=["v2.db", "v4.db"])
def old(request, stick) -> Path:
    path = stick / f"เชียงพิณ-{request.param}"
    shutil.copyfile(FIXTURES / request.param, path)
    return path


def plan(doc: Document):
    store = doc._store
    a_uuid = store.assessment_uuid(store.find_organization(ORG).uuid, 2568)
    return a_uuid, store.actions(a_uuid)


def test_the_v4_fixture_has_no_follow_up_columns():
    assert raw(FIXTURES / "v4.db", "PRAGMA user_version") == [(4,)]
    columns = [r[1] for r in raw(FIXTURES / "v4.db", "PRAGMA table_info(actions)")]
    assert "evidence" not in columns and "completed_date" not in columns


def test_an_old_file_opens_upgraded_keeps_its_hashes_and_saves_follow_up(old):
    fixture_sha = hashlib.sha256((FIXTURES / old.name.split("-")[-1]).read_bytes()).hexdigest()
    seen = {h for (h,) in raw(old, "SELECT hash FROM row_versions WHERE table_name = 'actions'")}
    doc = Document.open(old)
    try:
        assert doc._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert not doc.dirty
        a_uuid, actions = plan(doc)
        assert len(actions) == 19 and all(a.evidence == "" and a.completed is None for a in actions)
        # Nothing looks changed to a merge: every row still hashes as the old program recorded it.
        assert {row_hash(r) for r in rows(doc._conn, "actions")} <= seen
        first = actions[0]
        first.status, first.evidence, first.completed = "done", LINK, date(2026, 3, 31)
        doc._store.save_action(a_uuid, first)
        doc.save()
    finally:
        doc.close()
    assert raw(old, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw(old, "SELECT evidence, completed_date FROM actions WHERE evidence != ''") == [(LINK, "2026-03-31")]
    assert hashlib.sha256((FIXTURES / old.name.split("-")[-1]).read_bytes()).hexdigest() == fixture_sha


def test_the_command_line_reads_an_old_file_with_the_new_columns(old):
    before = old.read_bytes()
    with read_snapshot(old) as conn:
        store = Store(conn)
        acts = store.actions(store.assessment_uuid(store.find_organization(ORG).uuid, 2568))
        assert len(acts) == 19 and {a.evidence for a in acts} == {""}
    assert old.read_bytes() == before


def edit_saved(path: Path, row: int, **values) -> str:
    """Open ``path``, set ``values`` on plan row ``row``, save and close; the row's uuid."""
    doc = Document.open(path)
    try:
        a_uuid, actions = plan(doc)
        for name, value in values.items():
            setattr(actions[row], name, value)
        doc._store.save_action(a_uuid, actions[row])
        doc.save()
        return actions[row].uuid
    finally:
        doc.close()


def test_follow_up_merges_from_a_new_file_into_an_old_one_without_conflicts(old, stick):
    new = stick / "เชียงพิณ-new.db"
    shutil.copyfile(old, new)
    evidence, day = "รายงานการประชุม ครั้งที่ 2/2569", date(2026, 1, 15)
    uuid = edit_saved(new, 3, status="done", evidence=evidence, completed=day)
    doc = Document.open(old)  # the other office's copy, upgraded as it opens
    try:
        report = doc.merge_from(new)
        assert report.conflicts == [] and report.updated == 1
        got = next(a for a in plan(doc)[1] if a.uuid == uuid)
        assert (got.status, got.evidence, got.completed) == ("done", evidence, day)
        doc.save()
    finally:
        doc.close()
    doc = Document.open(new)  # and back: nothing looks changed to the new file
    try:
        report = doc.merge_from(old)
        assert report.conflicts == [] and report.updated == 0 and report.added == 0
    finally:
        doc.close(discard=True)


def test_evidence_changed_on_both_sides_is_a_conflict_that_can_be_resolved(old, stick):
    new = stick / "เชียงพิณ-new.db"
    shutil.copyfile(old, new)
    edit_saved(new, 0, evidence="ภาพถ่ายการประชุม")
    edit_saved(old, 0, evidence="คำสั่งแต่งตั้งคณะทำงาน")
    doc = Document.open(old)
    try:
        (conflict,) = doc.merge_from(new).conflicts
        assert (conflict.mine["evidence"], conflict.theirs["evidence"]) == ("คำสั่งแต่งตั้งคณะทำงาน", "ภาพถ่ายการประชุม")
        (stored,) = doc.conflicts()
        doc.resolve_conflict(stored.uuid, "theirs")
        assert plan(doc)[1][0].evidence == "ภาพถ่ายการประชุม"
    finally:
        doc.close(discard=True)


def test_a_completion_before_the_start_is_refused_and_nothing_changes(stick):
    doc = Document.new()
    try:
        store = doc._store
        org = store.save_organization(Organization(ORG))
        a_uuid = store.ensure_assessment(org.uuid, 2568)
        row = Action(1, "มาตรการ", start=date(2025, 10, 1), end=date(2026, 9, 30))
        store.save_action(a_uuid, row)
        row.completed = date(2025, 9, 1)
        with pytest.raises(RefusedValueError) as refused:
            store.save_action(a_uuid, row)
        assert "วันที่แล้วเสร็จ (1 กันยายน 2568) อยู่ก่อนวันเริ่มต้น (1 ตุลาคม 2568)" in str(refused.value)
        assert store.actions(a_uuid)[0].completed is None
        row.completed, row.evidence = date(2025, 12, 1), "x" * 100_001
        with pytest.raises(RefusedValueError) as refused:
            store.save_action(a_uuid, row)
        assert "หลักฐาน" in str(refused.value) and "เกินที่รับได้" in str(refused.value)
    finally:
        doc.close(discard=True)


def test_a_file_with_a_bad_completion_date_is_refused_on_reading(stick):
    path = stick / "bad.db"
    shutil.copyfile(FIXTURES / "v4.db", path)
    doc = Document.open(path)
    doc.save()
    doc.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE actions SET completed_date = '2568-13-01' WHERE rowid = 1")
        conn.execute("UPDATE actions SET completed_date = '2024-01-01', start_date = '2025-10-01' WHERE rowid = 2")
    problems, total = invalid_rows(conn)
    conn.close()
    assert total == 2
    assert "วันที่แล้วเสร็จ: วันที่ '2568-13-01' ต้องอยู่ในรูปแบบ ปปปป-ดด-วว" in problems[0]
    assert "อยู่ก่อนวันเริ่มต้น" in problems[1]


def test_json_carries_evidence_and_completion_and_refuses_a_reversed_one():
    entry = {"organization": {"name": ORG}, "fiscal_year": 2568,
             "indicators": {str(n): 90 for n in range(1, 11)},
             "actions": [{"measure": "ก", "start": "2025-10-01", "end": "2026-09-30", "status": "done",
                          "evidence": LINK, "completed": "2026-02-14"}, {"measure": "ข"}]}
    org, assessment = parse_assessment(entry)
    first, second = assessment.actions
    assert (first.evidence, first.completed) == (LINK, date(2026, 2, 14))
    assert (second.evidence, second.completed) == ("", None)
    out = to_dict(org, assessment)["actions"]
    assert out[0]["evidence"] == LINK and out[0]["completed"] == "2026-02-14"
    assert "evidence" not in out[1] and "completed" not in out[1]
    entry["actions"][0]["completed"] = "2025-01-01"
    with pytest.raises(InterchangeError) as refused:
        parse_assessment(entry)
    assert "แผนปฏิบัติการแถวที่ 1" in str(refused.value) and "อยู่ก่อนวันเริ่มต้น" in str(refused.value)
    entry["actions"][0]["completed"] = "14/02/2569"
    with pytest.raises(InterchangeError) as refused:
        parse_assessment(entry)
    assert "วันที่แล้วเสร็จ" in str(refused.value)


def test_progress_of_an_old_file_prints_without_changing_it(old, tmp_path):
    """`itadesk progress` reads a file of an older version through an upgraded private copy."""
    from tests.test_cli import run

    before = old.read_bytes()
    out = run("progress", old, "--org", ORG, "--year", 2568, "-o", tmp_path / "p.pdf", check=0).stdout
    done = 6 if "v2" in old.name else 2  # what each fixture was written with
    assert f"มาตรการทั้งหมด 19 มาตรการ: เสร็จสิ้น {done}," in out
    assert (tmp_path / "p.pdf").stat().st_size > 10_000 and old.read_bytes() == before
