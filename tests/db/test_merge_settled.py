"""The merge's SQL shortcut (itadesk/db/merge_settled.py) changes nothing but speed: on files
that share rows, replaced rows, deleted years, edits on both sides and an independent import,
the merge with it and the walk alone report the same, leave the same content and history,
and list the same conflicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from itadesk.db.access import edit_file
from itadesk.db.files import connect, read_snapshot
from itadesk.db.merge import merge_connections, open_conflicts
from itadesk.db.store import Store
from itadesk.db.versions import content_digest
from itadesk.ita.model import Assessment, Organization

ORGS = [Organization(name=f"องค์การบริหารส่วนตำบลทดสอบ{n}", kind="อบต.", province="อุดรธานี") for n in range(6)]


def _entries(score: float = 80.0, items: bool = True):
    out = []
    for n, org in enumerate(ORGS):
        for year in (2567, 2568):
            a = Assessment(fiscal_year=year, indicators={i: score - i - n for i in range(1, 11)})
            if items and year == 2568:
                a.items = {"o1": 100.0, "o2": 50.0 + n, "o3": 0.0}
            a.recommendations = {"IIT": "ควรเผยแพร่ข้อมูล"} if n % 2 else {}
            out.append((Organization(**vars(org)), a))
    return out


def _files(tmp_path: Path) -> dict[str, Path]:
    paths = {name: tmp_path / f"{name}.db" for name in ("a", "b", "c")}
    with edit_file(paths["a"], create=True) as doc:
        doc.import_entries(_entries())
    shutil.copyfile(paths["a"], paths["b"])
    with edit_file(paths["b"]) as doc:  # the other office: edits, a deleted year, a replaced year
        store = doc._store
        keys = store.assessment_keys()
        store.set_indicator_score(keys[0][2], 1, 11.0)
        store.set_indicator_score(keys[3][2], 2, 12.0)
        store.set_item_score(keys[1][2], "o2", 0, 13.0)
        store.set_recommendation(keys[5][2], "EIT", "ปรับปรุงช่องทาง")
        store.delete_assessment(keys[6][2])
        doc.import_entries(_entries(70.0)[8:10])
    with edit_file(paths["b"]) as doc:  # a score changed and saved there, then put back:
        store = doc._store             # same content, but a version we never had
        key = store.assessment_keys()[2][2]
        original = store.load_assessment_by_uuid(key).indicators[3]
        store.set_indicator_score(key, 3, 33.0)
    with edit_file(paths["b"]) as doc:
        doc._store.set_indicator_score(key, 3, original)
    with edit_file(paths["a"]) as doc:  # ours: a rival edit and one of our own
        store = doc._store
        keys = store.assessment_keys()
        store.set_indicator_score(keys[0][2], 1, 22.0)
        store.set_indicator_score(keys[4][2], 5, 44.0)
    with edit_file(paths["c"], create=True) as doc:  # an independent import: other UUIDs everywhere
        doc.import_entries(_entries()[2:])
    return paths


def _merge(target: Path, source: Path, copy: Path, settle_in_sql: bool):
    shutil.copyfile(target, copy)
    conn = connect(copy)
    try:
        with read_snapshot(source) as theirs:
            report = merge_connections(Store(conn), theirs, source.name, settle_in_sql=settle_in_sql)
        conflicts = sorted((c.table, c.kind, c.description) for c in open_conflicts(conn))
        # A conflict gets a fresh id and the time it was found: the rest must be equal.
        conn.execute("UPDATE conflicts SET uuid = row_uuid || kind, created_at = '2000-01-01T00:00:00+00:00'")
        return vars(report) | {"conflicts": sorted(c.description for c in report.conflicts)}, \
            content_digest(conn, include_bookkeeping=True), conflicts
    finally:
        conn.close()


@pytest.mark.parametrize("target,source", [("a", "b"), ("b", "a"), ("a", "c"), ("c", "b"), ("a", "a")])
def test_the_sql_shortcut_and_the_walk_merge_alike(tmp_path, target, source):
    paths = _files(tmp_path)
    fast = _merge(paths[target], paths[source], tmp_path / "fast.db", settle_in_sql=True)
    walk = _merge(paths[target], paths[source], tmp_path / "walk.db", settle_in_sql=False)
    assert fast == walk
    if (target, source) == ("a", "b"):
        report = fast[0]
        assert report["updated"] and report["deleted"] and len(report["conflicts"]) == 1
        assert report["unchanged"] > 50  # most rows were settled by the shortcut and still counted


def test_the_walk_hashes_only_what_sql_could_not_settle(tmp_path, monkeypatch):
    """Scores, texts and the years themselves of an independent import are settled in SQL: the
    walk hashes the organizations and the few rows that differ, not every year and score."""
    from itadesk.db import merge
    from itadesk.db.versions import row_hash

    paths = _files(tmp_path)
    hashed = {}
    for settle_in_sql in (True, False):
        calls = []
        monkeypatch.setattr(merge, "row_hash", lambda row, calls=calls: calls.append(row) or row_hash(row))
        _merge(paths["a"], paths["c"], tmp_path / f"m{settle_in_sql}.db", settle_in_sql=settle_in_sql)
        hashed[settle_in_sql] = calls
    assert not any("fiscal_year" in row and "name" not in row for row in hashed[True])  # no year hashed
    assert len(hashed[True]) * 4 < len(hashed[False])
