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

from itadesk.db.versions import NOT_CONTENT, coded, hash_text, of_table, versions_complete

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
# Assessments too: an organization's year, matched by (organization, year) once organizations
# are matched. The walk still reads them (their children need them), but skips comparing the
# pairs settled here (:func:`settled_pairs`).
KEYS = {**LEAVES, "assessments": ("fiscal_year",)}
PARENT = {"assessments": "org_uuid"}  # the rest: "assessment_uuid"
THEIRS = "theirs"
# Page cache per file while settling (SQLite's default is 2 MiB). Both files are read assessment by
# assessment, so more than this gains no CPU time: 64 MiB each put a merge over 500 MiB at peak.
CACHE_KIB = 32 * 1024
TEMP_CACHE_KIB = 16 * 1024  # the settled pairs of one table (~480,000) and their indexes


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
        for schema, kib in (("main", CACHE_KIB), (THEIRS, CACHE_KIB), ("temp", TEMP_CACHE_KIB)):
            reader.execute(f"PRAGMA {schema}.cache_size = -{kib}")
    except BaseException:
        reader.close()
        raise
    return reader


def columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def set_parents(conn: sqlite3.Connection, mapping: list[tuple[str, str]]) -> None:
    """Their parent rows (organizations, then assessments) -> ours, as the walk matched (or inserted) them."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_parents (s_uuid TEXT PRIMARY KEY, o_uuid TEXT NOT NULL)")
    conn.execute("BEGIN")  # one transaction, not one per row (48,000 assessments: 1.2 -> 0.05 s)
    try:
        conn.execute("DELETE FROM temp.merge_parents")
        conn.executemany("INSERT OR REPLACE INTO temp.merge_parents VALUES (?, ?)", mapping)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def settle(conn: sqlite3.Connection, table: str) -> tuple[int, set[str]]:
    """Record the settled pairs of ``table`` in temp.merge_settled (this table's only, until
    the next call); how many, and the assessments of ours they belong to (alive parents).
    Nothing when the two files' columns differ (an older file: the walk handles it).

    Written for few lookups per row (a district's file has 900,000 rows): both files are read
    assessment by assessment, and what touches few rows (tombstones, open conflicts) is
    removed afterwards instead of being probed for every pair."""
    cols = columns(conn, "main", table)
    if table not in KEYS or not cols or columns(conn, THEIRS, table) != cols:
        return 0, set()
    conn.execute("DROP TABLE IF EXISTS temp.merge_settled")
    conn.execute("CREATE TEMP TABLE merge_settled (o_uuid TEXT NOT NULL, s_uuid TEXT NOT NULL, o_parent TEXT NOT NULL)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_same (uuid TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.merge_same")
    same = " AND ".join(f'o."{c}" IS s."{c}" AND typeof(o."{c}") = typeof(s."{c}")'
                        for c in cols if c not in NOT_CONTENT)
    key = " AND ".join(f'o."{c}" = s."{c}"' for c in KEYS[table])
    parent = PARENT.get(table, "assessment_uuid")
    learnt = ""  # a file of version 1 keeps no versions: nothing of theirs to learn
    if columns(conn, THEIRS, "row_versions") and versions_complete(conn, THEIRS):
        # Their file holds the current version of every row: a row with one recorded version
        # has exactly its content's, which is ours (same content). Only rows with more, and
        # versions under a UUID not alive there, can teach us something: the walk sees those.
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_more (uuid TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.merge_more")
        conn.execute(f"""INSERT OR IGNORE INTO temp.merge_more SELECT h.row_uuid FROM {THEIRS}.row_versions h
            WHERE {of_table(conn, THEIRS, 'h', table)} GROUP BY h.row_uuid HAVING count(*) > 1""")
        conn.execute(f"""INSERT OR IGNORE INTO temp.merge_more SELECT h.row_uuid FROM {THEIRS}.row_versions h
            WHERE {of_table(conn, THEIRS, 'h', table)}
            AND NOT EXISTS (SELECT 1 FROM {THEIRS}."{table}" y WHERE y.uuid = h.row_uuid)""")
        learnt = """AND s.uuid NOT IN (SELECT uuid FROM temp.merge_more)
            AND o.uuid NOT IN (SELECT uuid FROM temp.merge_more)"""
    elif columns(conn, THEIRS, "row_versions"):  # every version of theirs looked up among ours
        # Versions compare as stored when both files store them alike (schema.VERSIONED_TABLES).
        equal = ("v.hash = h.hash" if coded(conn, "main") == coded(conn, THEIRS)
                 else f"{hash_text('v.hash')} = {hash_text('h.hash')}")
        learnt = f"""AND NOT EXISTS (SELECT 1 FROM {THEIRS}.row_versions h WHERE {of_table(conn, THEIRS, 'h', table)}
                        AND h.row_uuid IN (s.uuid, o.uuid)
                        AND NOT EXISTS (SELECT 1 FROM main.row_versions v WHERE {of_table(conn, 'main', 'v', table)}
                                        AND v.row_uuid IN (o.uuid, s.uuid) AND {equal}))"""
    # Rows both files know by one UUID are matched by it, whatever their key (the walk's first
    # rule): settled when in the same assessment once theirs is mapped to ours, and then they
    # have the same key too (the key is content). The rest match by natural key under the
    # mapped assessment, where neither UUID is one the other file has.
    conn.execute(f'INSERT INTO temp.merge_same SELECT s.uuid FROM {THEIRS}."{table}" s '
                 f'JOIN main."{table}" o ON o.uuid = s.uuid')
    shared = conn.execute("SELECT EXISTS (SELECT 1 FROM temp.merge_same)").fetchone()[0]
    matched = ("(o.uuid = s.uuid OR (s.uuid NOT IN (SELECT uuid FROM temp.merge_same) "
               "AND o.uuid NOT IN (SELECT uuid FROM temp.merge_same)))" if shared else "o.uuid != s.uuid")
    # Assessment by assessment (CROSS JOIN fixes the order): both sides' rows of one assessment
    # are one range of their primary key (schema version 7), instead of a probe per row in UUID
    # order all over both files (item scores of 8,000 organizations: 3.9 -> 0.7 CPU s).
    conn.execute(f"""INSERT INTO temp.merge_settled SELECT o.uuid, s.uuid, o.{parent}
        FROM temp.merge_parents m CROSS JOIN {THEIRS}."{table}" s ON s.{parent} = m.s_uuid
        CROSS JOIN main."{table}" o ON o.{parent} = m.o_uuid AND {key}
        WHERE {matched} AND {same} {learnt}""")
    # Not settled: a row a tombstone names (either file) or with a conflict waiting here.
    touched = [f"SELECT uuid FROM {schema}.tombstones" for schema in ("main", THEIRS)
               if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {schema}.tombstones)").fetchone()[0]]
    if conn.execute("SELECT EXISTS (SELECT 1 FROM main.conflicts WHERE resolved_at IS NULL)").fetchone()[0]:
        touched.append("SELECT row_uuid FROM main.conflicts WHERE resolved_at IS NULL AND table_name = :t")
    if touched:  # found through an index of each side, not by a scan of every pair
        union = " UNION ".join(touched)
        for side, schema in (("o_uuid", "main"), ("s_uuid", THEIRS)):
            _index(conn, side)
            conn.execute(f"DELETE FROM temp.merge_settled WHERE {side} IN ({union})", {"t": table})
    count = conn.execute("SELECT count(*) FROM temp.merge_settled").fetchone()[0]
    if not count:
        return 0, set()
    every = {}
    for side, schema in (("o_uuid", "main"), ("s_uuid", THEIRS)):
        every[schema] = count == conn.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        if not every[schema]:
            _index(conn, side)  # the walk reads the rest of that side with NOT IN (ours_sql)
    # Every row of ours settled (the usual case): their parents are all our parents of the
    # table, one range per assessment of the primary key, instead of a sort of every pair.
    parents_sql = (f'SELECT DISTINCT {parent} FROM main."{table}"' if every["main"]
                   else "SELECT DISTINCT o_parent FROM temp.merge_settled")
    return count, {p for (p,) in conn.execute(parents_sql)}


def settled_pairs(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Their UUID -> ours of the rows of ``table`` that :func:`settle` finds settled."""
    if not settle(conn, table)[0]:
        return {}
    return dict(conn.execute("SELECT s_uuid, o_uuid FROM temp.merge_settled"))


def _index(conn: sqlite3.Connection, side: str) -> None:
    """An index of the settled pairs by one side's UUID (NOT IN and IN use it as it is,
    instead of building one per query)."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS temp.merge_settled_{side} ON merge_settled({side})")


def ours_sql() -> str:
    """Our UUIDs of the table just settled that the walk leaves out (after :func:`settle`)."""
    return "SELECT o_uuid FROM temp.merge_settled"


def theirs_sql() -> str:
    return "SELECT s_uuid FROM temp.merge_settled"
