"""record_versions records every saved version and only those, without hashing the whole
file each time: the first call on a connection scans (or trusts the note of a complete
recording), later calls hash only the rows the connection inserted or updated (a large file),
or every row again (a small one: the same versions either way)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from itadesk.db.document import Document
from itadesk.db.files import connect, new_document, read_snapshot
from itadesk.db.store import Store
from itadesk.db import versions
from itadesk.db.versions import record_versions, row_hash, rows, versions_complete
from itadesk.ita.model import Assessment, Organization


def _versions(conn, uuid: str) -> set[str]:
    return {h for _, u, h in versions.read_versions(conn) if u == uuid}


def _score_row(conn, number: int) -> dict:
    return next(r for r in rows(conn, "indicator_scores") if r["indicator"] == number)


def _one_year(tmp_path):
    """A new file with one organization's year of ten indicator scores, on an open connection."""
    path = new_document(tmp_path / "a.db")
    conn = connect(path)
    store = Store(conn)
    a = Assessment(fiscal_year=2568, indicators={n: 80.0 for n in range(1, 11)})
    store.save_assessment(a, Organization(name="อบต.ทดสอบ"))
    return path, conn, store, a


def test_saves_record_the_saved_versions_and_hash_only_what_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(versions, "TRACK_FROM_ROWS", 0)  # this small file is tracked like a district's
    path, conn, store, a = _one_year(tmp_path)
    try:
        assert record_versions(conn) > 10  # first call: every row
        assert versions_complete(conn) and record_versions(conn) == 0
        row = _score_row(conn, 3)
        saved = row_hash(row)
        store.set_indicator_score(a.uuid, 3, 70.0)
        store.set_indicator_score(a.uuid, 3, 60.0)  # never saved: never recorded
        assert not versions_complete(conn)
        assert record_versions(conn) == 1  # only the row that changed
        now = row_hash(_score_row(conn, 3))
        assert _versions(conn, row["uuid"]) == {saved, now}
        store.set_meta("last_selection", "{}")  # an edit that touches no row
        assert record_versions(conn) == 0 and versions_complete(conn)
    finally:
        conn.close()
    again = connect(path)  # a new connection trusts the note, then tracks its own edits
    try:
        assert versions_complete(again) and record_versions(again) == 0
        store = Store(again)
        store.set_indicator_score(store.assessment_keys()[0][2], 4, 55.5)
        assert record_versions(again) == 1
    finally:
        again.close()


def test_a_small_file_records_the_same_versions_without_listing_changes(tmp_path):
    path, conn, store, a = _one_year(tmp_path)
    try:
        record_versions(conn)
        saved = row_hash(_score_row(conn, 3))
        store.set_indicator_score(a.uuid, 3, 70.0)
        assert record_versions(conn) == 1
        assert _versions(conn, _score_row(conn, 3)["uuid"]) == {saved, row_hash(_score_row(conn, 3))}
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        store.set_indicator_score(a.uuid, 4, 71.0)
        conn.set_trace_callback(None)
        assert len(traced) == len(set(traced))  # no trigger echoes in a small file's trace
    finally:
        conn.close()


OLD_NOTE = Path(__file__).resolve().parents[1] / "fixtures" / "v6-old-note.db"


def test_the_fixture_is_a_version_6_file_with_the_old_note():
    """Written by ``itadesk import`` of f72b788 (schema 6, a note of the edit count alone)."""
    conn = sqlite3.connect(OLD_NOTE)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
        assert dict(conn.execute("SELECT key, value FROM meta")) == {"versions_recorded_at": "1", "edit_count": "1"}
    finally:
        conn.close()


def test_a_file_with_the_old_note_is_not_hashed_again_at_each_opening(tmp_path, monkeypatch):
    """The note of the release before (no schema version) still says every version is recorded:
    reading the file for a command, or opening it, hashes nothing (it hashed every row, at every
    opening until saved). Its versions are the ones it recorded, now stored as version 7 does."""
    old = tmp_path / "old.db"
    shutil.copyfile(OLD_NOTE, old)
    before = old.read_bytes()
    conn = sqlite3.connect(old)
    recorded = {(t, u, h) for t, u, h in versions.read_versions(conn)}
    conn.close()
    hashed = []
    monkeypatch.setattr(versions, "row_hash", lambda row: hashed.append(row) or row_hash(row))
    with read_snapshot(old) as snap:
        assert versions.coded(snap) and versions_complete(snap)
        assert set(versions.read_versions(snap)) == recorded
    doc = Document.open(old)
    try:
        assert not doc.dirty
        assert versions_complete(doc._conn) and record_versions(doc._conn) == 0
    finally:
        doc.close()
    assert hashed == [] and old.read_bytes() == before
    assert len(recorded) == 225 and all(len(h) == 32 for _, _, h in recorded)


def test_a_note_of_an_older_schema_holds_after_migration_and_an_edit_does_not(tmp_path):
    path, conn, store, a = _one_year(tmp_path)

    def note(value: str) -> None:
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, versions.RECORDED_AT))

    try:
        record_versions(conn)
        n = store.edit_count()
        for value in (f"{n}@6", f"{n}@2", f"{n}"):
            note(value)
            assert versions_complete(conn), value
        note(f"{n}@1")
        assert not versions_complete(conn)  # before HASHES_KEPT_SINCE: recorded again
        note(str(n - 1))
        assert not versions_complete(conn)  # an edit since: recorded again
        assert record_versions(conn) == 0 and versions_complete(conn)  # nothing new, the note is set
    finally:
        conn.close()
