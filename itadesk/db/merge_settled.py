"""The rows a merge has nothing to do with, found by SQL instead of row by row in Python.

Two district files hold the same 900,000 scores: the merge's walk (:mod:`itadesk.db.merge`)
would read every row of both into Python, hash it and compare histories, to conclude for
nearly all of them "same content, nothing to learn". Here the other file is attached to the
target's connection and one statement per table finds those pairs: a score, text or figure
row of theirs matched to one of ours exactly as the walk matches it (same UUID, or same year
and indicator / item / tool), with the same content, whose every past version they know we
know too, and that no tombstone or open conflict touches. The walk then reads only the rest
and counts these as unchanged; its outcome is the same, as tests/db/test_merge.py and the
merge property check with and without this step.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from itadesk.db.versions import NOT_CONTENT

# Tables whose rows have an assessment as parent, a natural key unique within it, and no
# children: what matches them depends only on the assessments' matching.
LEAVES = {
    "indicator_scores": ("indicator",),
    "item_scores": ("code", "part"),
    "recommendations": ("tool",),
    "analyses": ("indicator",),
    "published_figures": ("figure",),
    "draft_bases": ("indicator",),
}
THEIRS = "theirs"


def open_reader(target: sqlite3.Connection, source: sqlite3.Connection) -> sqlite3.Connection | None:
    """A read-only connection on the target's file with the source's attached as ``theirs``;
    None when either is not a file on disk (the walk then reads each on its own connection).

    A connection of its own, so the temporary tables written here are not counted as changes
    of the target (an edit of a file that changed nothing is not saved) and go with it."""
    paths = [next((row[2] for row in c.execute("PRAGMA database_list") if row[1] == "main"), "")
             for c in (target, source)]
    if not all(paths) or target.in_transaction:
        return None
    from itadesk.db.files import connect  # noqa: PLC0415 - files imports the merge lazily

    reader = connect(paths[0], readonly=True)
    try:
        reader.execute(f"ATTACH DATABASE ? AS {THEIRS}", (Path(paths[1]).resolve().as_uri() + "?mode=ro",))
    except BaseException:
        reader.close()
        raise
    return reader


def columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def set_parents(conn: sqlite3.Connection, mapping: list[tuple[str, str]]) -> None:
    """Their assessment -> ours, as the walk matched (or inserted) them."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_parents (s_uuid TEXT PRIMARY KEY, o_uuid TEXT NOT NULL)")
    conn.execute("DELETE FROM temp.merge_parents")
    conn.executemany("INSERT OR REPLACE INTO temp.merge_parents VALUES (?, ?)", mapping)


def settle(conn: sqlite3.Connection, table: str) -> tuple[int, set[str]]:
    """Record the settled pairs of ``table`` in temp.merge_settled; how many, and the
    assessments of ours they belong to (alive parents). Nothing when the two files' columns
    differ (an older file: the walk handles it)."""
    cols = columns(conn, "main", table)
    if table not in LEAVES or not cols or columns(conn, THEIRS, table) != cols:
        return 0, set()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_settled (table_name TEXT NOT NULL, o_uuid TEXT NOT NULL, "
                 "s_uuid TEXT NOT NULL)")
    same = " AND ".join(f'o."{c}" IS s."{c}" AND typeof(o."{c}") = typeof(s."{c}")'
                        for c in cols if c not in NOT_CONTENT)
    key = " AND ".join(f'o."{c}" = s."{c}"' for c in LEAVES[table])
    learnt = ""  # a file of version 1 keeps no versions: nothing of theirs to learn
    if columns(conn, THEIRS, "row_versions"):
        learnt = f"""AND NOT EXISTS (SELECT 1 FROM {THEIRS}.row_versions h WHERE h.table_name = :t
                        AND h.row_uuid IN (s.uuid, o.uuid)
                        AND NOT EXISTS (SELECT 1 FROM main.row_versions v WHERE v.table_name = :t
                                        AND v.row_uuid IN (o.uuid, s.uuid) AND v.hash = h.hash))"""
    quiet = f"""{same}
        AND NOT EXISTS (SELECT 1 FROM main.tombstones WHERE uuid IN (o.uuid, s.uuid))
        AND NOT EXISTS (SELECT 1 FROM {THEIRS}.tombstones WHERE uuid IN (o.uuid, s.uuid))
        AND NOT EXISTS (SELECT 1 FROM main.conflicts c WHERE c.table_name = :t AND c.row_uuid = o.uuid
                        AND c.resolved_at IS NULL)
        {learnt}"""
    before = conn.total_changes
    # Same UUID (and the same assessment once theirs is mapped to ours) ...
    conn.execute(f"""INSERT INTO temp.merge_settled SELECT :t, o.uuid, s.uuid
        FROM {THEIRS}."{table}" s JOIN temp.merge_parents m ON m.s_uuid = s.assessment_uuid
        JOIN main."{table}" o ON o.uuid = s.uuid AND o.assessment_uuid = m.o_uuid
        WHERE {quiet}""", {"t": table})
    # ... or a UUID of neither side's other rows and the same natural key under the mapped assessment.
    conn.execute(f"""INSERT INTO temp.merge_settled SELECT :t, o.uuid, s.uuid
        FROM {THEIRS}."{table}" s JOIN temp.merge_parents m ON m.s_uuid = s.assessment_uuid
        JOIN main."{table}" o ON o.assessment_uuid = m.o_uuid AND {key}
        WHERE o.uuid != s.uuid
        AND NOT EXISTS (SELECT 1 FROM main."{table}" x WHERE x.uuid = s.uuid)
        AND NOT EXISTS (SELECT 1 FROM {THEIRS}."{table}" y WHERE y.uuid = o.uuid)
        AND {quiet}""", {"t": table})
    count = conn.total_changes - before
    if not count:
        return 0, set()
    parents = {p for (p,) in conn.execute(
        f'SELECT DISTINCT o.assessment_uuid FROM main."{table}" o JOIN temp.merge_settled z '
        "ON z.table_name = ? AND z.o_uuid = o.uuid", (table,))}
    return count, parents


def ours_sql(table: str) -> str:
    """Our UUIDs of ``table`` the walk leaves out (after :func:`settle`)."""
    return f"SELECT o_uuid FROM temp.merge_settled WHERE table_name = '{table}'"


def theirs_sql(table: str) -> str:
    return f"SELECT s_uuid FROM temp.merge_settled WHERE table_name = '{table}'"
