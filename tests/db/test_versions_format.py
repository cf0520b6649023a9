"""Schema version 7 stores row versions in less space (table codes, hashes as 16 bytes). An
older file's versions (hex text) and a newer file's must still name the same contents: a
merge between a file of the release before and one saved by this version finds only what
really changed, whichever side is old, whether the old file is read as it is or migrated.

``tests/fixtures/v6-old-note.db``: written by ``itadesk import`` of f72b788 (schema 6)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from itadesk.db import merge
from itadesk.db.access import edit_file
from itadesk.db.files import connect, read_snapshot
from itadesk.db.merge import merge_connections
from itadesk.db.store import Store
from itadesk.db.versions import coded, content_digest, read_versions, row_hash, rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OLD = FIXTURES / "v6-old-note.db"


def _old_and_new(tmp_path: Path, fixture: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    shutil.copyfile(fixture, old)
    shutil.copyfile(fixture, new)
    with edit_file(new) as doc:
        key = doc._store.assessment_keys()[0][2]
        doc._store.set_indicator_score(key, 1, 12.34)
    return old, new


@pytest.fixture
def files(tmp_path):
    """(the old file as the release before saved it, a copy saved by this version with one score changed)."""
    return _old_and_new(tmp_path, OLD)


def test_a_migrated_file_keeps_every_version_and_stores_it_in_16_bytes(files):
    old, new = files
    conn = sqlite3.connect(old)
    before = set(read_versions(conn))
    assert not coded(conn) and all(isinstance(h, str) and len(h) == 32 for (h,) in conn.execute(
        "SELECT hash FROM row_versions"))
    conn.close()
    conn = connect(new, readonly=True)
    try:
        assert coded(conn)
        assert {type(h) for (h,) in conn.execute("SELECT hash FROM row_versions")} == {bytes}
        assert {len(h) for (h,) in conn.execute("SELECT hash FROM row_versions")} == {16}
        after = set(read_versions(conn))
        score = next(r for r in rows(conn, "indicator_scores") if r["score"] == 12.34)
        # Every old version is still there, read back as the same text; the edit added one.
        assert after - before == {("indicator_scores", score["uuid"], row_hash(score))}
        assert before < after
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'idx_assessments_org'").fetchone() == (0,)
    finally:
        conn.close()


def _merge(target: Path, theirs: sqlite3.Connection, settle_in_sql: bool):
    conn = connect(target)
    try:
        report = merge_connections(Store(conn), theirs, "other", settle_in_sql=settle_in_sql)
        return vars(report), content_digest(conn)
    finally:
        conn.close()


def _merge_as_it_is(target: Path, old: Path, settle_in_sql: bool):
    """Merge ``old`` into ``target`` read as it is (not migrated: its versions as hex text)."""
    theirs = connect(old, readonly=True)
    try:
        assert not coded(theirs)
        return _merge(target, theirs, settle_in_sql)
    finally:
        theirs.close()


def _only_our_score_is_newer(report: dict) -> None:
    """Ours is the newer version of the one score they still have: kept, nothing else differs."""
    assert report["kept_ours"] == 1 and report["unchanged"] > 60
    assert (report["added"], report["updated"], report["deleted"], report["conflicts"], report["bookkeeping"]) == \
        (0, 0, 0, [], 0)


@pytest.mark.parametrize("settle_in_sql", [True, False])
def test_the_old_file_read_as_it_is_or_migrated_merges_into_the_new_one_alike(files, tmp_path, settle_in_sql):
    old, new = files
    outcomes = []
    for n, migrated in enumerate((False, True)):
        target = tmp_path / f"target{n}.db"
        shutil.copyfile(new, target)
        if migrated:
            with read_snapshot(old) as theirs:
                assert coded(theirs)
                outcomes.append(_merge(target, theirs, settle_in_sql))
        else:
            outcomes.append(_merge_as_it_is(target, old, settle_in_sql))
    assert outcomes[0] == outcomes[1]
    _only_our_score_is_newer(outcomes[0][0])


def test_the_new_file_merges_into_the_old_one_as_a_one_sided_change(files):
    old, new = files
    with edit_file(old) as doc, read_snapshot(new) as theirs:
        report = merge_connections(doc._store, theirs, "new")
    assert report.updated == 1 and not report.conflicts and report.added == report.deleted == 0
    conn = connect(old, readonly=True)
    try:
        assert coded(conn)
        assert 12.34 in {r["score"] for r in rows(conn, "indicator_scores")}
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", ["v2.db", "v4.db", "v6-old-note.db"])
def test_an_old_file_read_as_it_is_merges_alike_with_and_without_the_sql_shortcut(tmp_path, fixture, monkeypatch):
    """v2 and v4 hold no note of a complete recording: the shortcut looks each of their
    versions up among ours, comparing hex text with bytes (merge_settled, hash_text), and
    still settles the score rows in SQL (the walk hashes few rows)."""
    old, new = _old_and_new(tmp_path, FIXTURES / fixture)
    outcomes, hashed = [], {}
    for settle_in_sql in (True, False):
        calls = []
        monkeypatch.setattr(merge, "row_hash", lambda row: calls.append(1) or row_hash(row))
        target = tmp_path / f"target-{settle_in_sql}.db"
        shutil.copyfile(new, target)
        outcomes.append(_merge_as_it_is(target, old, settle_in_sql))
        hashed[settle_in_sql] = len(calls)
    assert outcomes[0] == outcomes[1]
    assert hashed[True] < hashed[False] - 100  # the score rows were settled in SQL
    _only_our_score_is_newer(outcomes[0][0])
