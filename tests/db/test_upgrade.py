"""Files written by the previous release open, upgrade and merge with files of this one.

``tests/fixtures/v2.db`` was written by the release before stable codes (schema version 2,
made with ``itadesk import`` of the reference data with its 19 plan rows given all three
statuses), and is never rewritten. Version 3 stores a plan row's status as a code
(``not_started``, ``in_progress``, ``done``) instead of the Thai word on screen.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from itadesk.db.document import Document
from itadesk.db.files import read_snapshot
from itadesk.db.schema import SCHEMA_VERSION
from itadesk.db.store import Store
from itadesk.db.versions import row_hash, rows
from itadesk.interchange.json_format import InterchangeError, parse_assessment, to_dict
from itadesk.ita.model import LEGACY_STATUS, Organization

OLD = Path(__file__).resolve().parents[1] / "fixtures" / "v2.db"
THAI = tuple(LEGACY_STATUS)  # the words version 2 stored
ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw(path: Path, sql: str, *args):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


@pytest.fixture
def old(stick) -> Path:
    """A copy of the version-2 file on the stick (the committed fixture itself is never opened)."""
    path = stick / "เชียงพิณ-v2.db"
    shutil.copyfile(OLD, path)
    return path


def statuses(path: Path) -> Counter:
    return Counter(s for (s,) in raw(path, "SELECT status FROM actions"))


def first_action(doc: Document, status: str):
    store = doc._store
    org = store.find_organization(ORG)
    a_uuid = store.assessment_uuid(org.uuid, 2568)
    return a_uuid, next(a for a in store.actions(a_uuid) if a.status == status)


def test_the_fixture_is_a_version_2_file_with_thai_words():
    assert raw(OLD, "PRAGMA user_version") == [(2,)]
    assert statuses(OLD) == {"ยังไม่เริ่ม": 7, "กำลังดำเนินการ": 6, "เสร็จสิ้น": 6}


def test_a_version_2_file_opens_upgraded_and_saves_codes(old):
    before = sha(OLD)
    seen_before = {h for (h,) in raw(old, "SELECT hash FROM row_versions WHERE table_name = 'actions'")}
    doc = Document.open(old)
    try:
        assert doc._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        org = doc._store.find_organization(ORG)
        actions = doc._store.actions(doc._store.assessment_uuid(org.uuid, 2568))
        assert Counter(a.status for a in actions) == {"not_started": 7, "in_progress": 6, "done": 6}
        assert not doc.dirty  # an upgrade is not an edit of the officer's
        doc._store.set_meta("opened-by", "version 3")
        doc.save()
    finally:
        doc.close()
    assert raw(old, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert statuses(old) == {"not_started": 7, "in_progress": 6, "done": 6}
    assert not any(word in json.dumps(raw(old, "SELECT * FROM actions"), ensure_ascii=False) for word in THAI)
    # The hashes version 2 recorded still name the same rows: nothing looks changed to a merge.
    conn = sqlite3.connect(old)
    conn.row_factory = None
    try:
        assert {row_hash(r) for r in rows(conn, "actions")} <= seen_before
    finally:
        conn.close()
    assert sha(OLD) == before


def test_the_command_line_reads_an_old_file_without_changing_it(old, tmp_path):
    before = sha(old)
    out = subprocess.run([sys.executable, "-m", "itadesk", "export", str(old), "--org", ORG, "--year", "2568",
                          "-o", str(tmp_path / "x.json")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    year = data[0] if isinstance(data, list) else data
    assert Counter(a.get("status") for a in year["actions"]) == {"not_started": 7, "in_progress": 6, "done": 6}
    with read_snapshot(old) as conn:  # a read-only look at the old file gives codes too
        org = Store(conn).find_organization(ORG)
        acts = Store(conn).actions(Store(conn).assessment_uuid(org.uuid, 2568))
        assert {a.status for a in acts} == {"not_started", "in_progress", "done"}
    assert sha(old) == before


def test_a_new_file_merges_an_old_one_without_false_conflicts(old, stick):
    new = stick / "เชียงพิณ-v3.db"
    shutil.copyfile(old, new)
    doc = Document.open(new)  # upgraded here; the other office still has the old file
    try:
        a_uuid, action = first_action(doc, "not_started")
        action.status = "done"
        doc._store.save_action(a_uuid, action)
        doc.save()
        report = doc.merge_from(old)
        assert report.conflicts == [] and report.added == 0 and report.updated == 0
        assert report.kept_ours == 1  # only we changed that row: ours stays
        assert not doc.conflicts()
        statuses_now = Counter(a.status for a in doc._store.actions(a_uuid))
        assert statuses_now == {"not_started": 6, "in_progress": 6, "done": 7}
    finally:
        doc.close(discard=True)


def test_an_old_file_opened_here_takes_a_new_files_change(old, stick):
    new = stick / "เชียงพิณ-v3.db"
    shutil.copyfile(old, new)
    doc = Document.open(new)
    a_uuid, action = first_action(doc, "in_progress")
    action.status, action.progress_note = "done", "เสร็จแล้วเมื่อ 30 ก.ย."
    doc._store.save_action(a_uuid, action)
    doc.save()
    doc.close()

    doc = Document.open(old)  # the old office's file, upgraded as it opens
    try:
        report = doc.merge_from(new)
        assert report.conflicts == [] and report.updated == 1
        got = next(a for a in doc._store.actions(a_uuid) if a.uuid == action.uuid)
        assert (got.status, got.progress_note) == ("done", "เสร็จแล้วเมื่อ 30 ก.ย.")
        doc.save()
    finally:
        doc.close()
    assert raw(old, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert not set(statuses(old)) & set(THAI)


def test_a_change_on_both_sides_is_a_conflict_in_codes(old, stick):
    """The old office changed a row with the old program (Thai word stored); we changed it too."""
    new = stick / "เชียงพิณ-v3.db"
    shutil.copyfile(old, new)
    doc = Document.open(new)
    try:
        a_uuid, action = first_action(doc, "not_started")
        action.status = "done"
        doc._store.save_action(a_uuid, action)
        doc.save()
        raw_conn = sqlite3.connect(old)  # what version 2 would write: the Thai word
        with raw_conn:
            raw_conn.execute("UPDATE actions SET status = 'กำลังดำเนินการ' WHERE uuid = ?", (action.uuid,))
        raw_conn.close()
        report = doc.merge_from(old)
        (conflict,) = report.conflicts
        assert conflict.table == "actions" and conflict.row_uuid == action.uuid
        assert conflict.mine["status"] == "done" and conflict.theirs["status"] == "in_progress"
        (stored,) = doc.conflicts()
        assert stored.theirs["status"] == "in_progress"
    finally:
        doc.close(discard=True)


def test_conflicts_waiting_in_an_old_file_are_upgraded_too(old):
    a_row = raw(old, "SELECT uuid FROM actions WHERE status = 'ยังไม่เริ่ม' LIMIT 1")[0][0]
    theirs = {"uuid": a_row, "status": "เสร็จสิ้น", "measure": "จากอีกสำนักงาน"}
    conn = sqlite3.connect(old)
    with conn:
        conn.execute(
            "INSERT INTO conflicts(uuid, table_name, row_uuid, kind, mine, theirs, theirs_hash, description, "
            "created_at) VALUES ('c1', 'actions', ?, 'both_changed', ?, ?, 'h', 'แผน', '2026-01-01T00:00:00')",
            (a_row, json.dumps({"uuid": a_row, "status": "ยังไม่เริ่ม"}, ensure_ascii=False),
             json.dumps(theirs, ensure_ascii=False)))
    conn.close()
    doc = Document.open(old)
    try:
        (conflict,) = doc.conflicts()
        assert (conflict.mine["status"], conflict.theirs["status"]) == ("not_started", "done")
        assert conflict.theirs["measure"] == "จากอีกสำนักงาน"
    finally:
        doc.close(discard=True)


def test_json_takes_the_old_thai_words_and_writes_codes():
    entry = {"organization": {"name": ORG}, "fiscal_year": 2568,
             "indicators": {str(n): 90 for n in range(1, 11)},
             "actions": [{"measure": "ก", "status": "เสร็จสิ้น"}, {"measure": "ข", "status": "in_progress"},
                         {"measure": "ค"}]}
    org, assessment = parse_assessment(entry)
    assert [a.status for a in assessment.actions] == ["done", "in_progress", "not_started"]
    assert [a.get("status") for a in to_dict(org, assessment)["actions"]] == ["done", "in_progress", "not_started"]
    entry["actions"][0]["status"] = "ทำไปครึ่งหนึ่ง"
    with pytest.raises(InterchangeError) as refused:
        parse_assessment(entry)
    assert "สถานะ 'ทำไปครึ่งหนึ่ง' ไม่รู้จัก" in str(refused.value) and "in_progress (กำลังดำเนินการ)" in str(refused.value)


def test_a_new_plan_row_is_stored_as_a_code():
    from itadesk.ita.model import Action

    doc = Document.new()
    try:
        org = doc._store.save_organization(Organization(ORG))
        doc._store.save_action(doc._store.ensure_assessment(org.uuid, 2568), Action(1, "มาตรการ"))
        assert doc._conn.execute("SELECT status FROM actions").fetchall() == [("not_started",)]
    finally:
        doc.close(discard=True)


# -- the published level: a code in the file and in JSON, its Thai name on screen --------------

def _with_published_level(path: Path, level: str) -> Document:
    from itadesk.db.operations import SaveOrganization, SetPublishedFigures

    doc = Document.new()
    org = Organization(ORG)
    doc.apply(SaveOrganization(org))
    doc.apply(SetPublishedFigures(org.uuid, 2568, {"total": 86.5, "level": level}))
    doc.save_as(path)
    return doc


def test_the_published_level_is_stored_as_a_code_and_read_as_its_thai_name(stick):
    doc = _with_published_level(stick / "new.db", "ผ่านดี")
    try:
        assert raw(stick / "new.db", "SELECT value FROM published_figures WHERE figure = 'level'") == [("good",)]
        org = doc._store.find_organization(ORG)
        assert doc.load_assessment(org.uuid, 2568).published == {"total": 86.5, "level": "ผ่านดี"}
    finally:
        doc.close(discard=True)


def test_a_file_with_the_thai_level_name_opens_and_merges_without_a_false_conflict(stick):
    """A file of the release before level codes holds the Thai name (same schema version, no
    migration): it reads the same, hashes the same, and merges with a new file cleanly."""
    _with_published_level(stick / "old.db", "ผ่าน").close()
    conn = sqlite3.connect(stick / "old.db")  # what the previous release wrote
    conn.execute("UPDATE published_figures SET value = 'ผ่าน' WHERE figure = 'level'")
    conn.commit()
    conn.close()
    shutil.copyfile(stick / "old.db", stick / "new.db")
    doc = Document.open(stick / "new.db")
    try:
        org = doc._store.find_organization(ORG)
        assert doc.load_assessment(org.uuid, 2568).published["level"] == "ผ่าน"
        before = [r for r in rows(doc._conn, "published_figures") if r["figure"] == "level"]
        assert row_hash(dict(before[0], value="pass")) == row_hash(before[0])  # code and old name: one content
        report = doc.merge_from(stick / "old.db")
        assert report.conflicts == [] and not doc.conflicts()
        from itadesk.db.operations import SetPublishedFigures

        doc.apply(SetPublishedFigures(org.uuid, 2568, {"level": "ผ่านดี"}))  # changed here only
        report = doc.merge_from(stick / "old.db")
        assert report.conflicts == [] and doc.load_assessment(org.uuid, 2568).published["level"] == "ผ่านดี"
        assert doc._conn.execute("SELECT value FROM published_figures WHERE figure = 'level'").fetchall() == [("good",)]
    finally:
        doc.close(discard=True)


def test_json_gives_the_level_code_with_its_name_and_takes_either():
    entry = {"organization": {"name": ORG}, "fiscal_year": 2568,
             "indicators": {str(n): 90 for n in range(1, 11)}, "published": {"total": 90.0, "level": "ผ่านดี"}}
    org, assessment = parse_assessment(entry)
    out = to_dict(org, assessment)["published"]
    assert out == {"total": 90.0, "level": "good", "level_label": "ผ่านดี"}
    entry["published"] = out  # what this release writes reads back the same
    assert parse_assessment(entry)[1].published == assessment.published == {"total": 90.0, "level": "ผ่านดี"}
    entry["published"] = {"level": "pass"}
    assert parse_assessment(entry)[1].published == {"level": "ผ่าน"}
