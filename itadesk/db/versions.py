"""Content hashes of rows, and the record of which versions of each row a file has seen.

A merge needs to know, for a row that differs between two files, whether one side simply
has not caught up (their version is one of our past versions, or ours one of theirs) or
whether both changed it. Every saved version of every row is remembered as a hash in
``row_versions``; unsaved intermediate versions never leave the computer, so recording at
save time (and when a merge takes a row) is enough.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from itadesk.db.bookkeeping import edit_note, has_table, has_temp_table, meta_value, own_transaction, set_meta_value
from itadesk.db.schema import (
    ACTION_FOLLOW_UP,
    LEGACY_LEVEL,
    LEGACY_STATUS,
    VERSIONED_TABLES,
    hash_blob,
    introspect,
    table_columns,
)

# The tables a merge reconciles, parents before children.
SYNCED_TABLES = (
    "organizations", "assessments", "indicator_scores", "item_scores",
    "recommendations", "analyses", "actions", "units", "published_figures", "draft_bases",
    "catalogs",
)
# Columns that identify or place a row rather than say what it holds. A row's parent is
# already part of how it is matched, and two offices may know the same parent by two UUIDs.
NOT_CONTENT = frozenset({"uuid", "updated_at", "org_uuid", "assessment_uuid"})


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [c.name for c in table_columns(conn, table)]


# A status is hashed in the form version 2 stored (its Thai word), so the hashes that files
# recorded before version 3 still name the same contents, and an old and a new file agree.
_HASHED_STATUS = {code: word for word, code in LEGACY_STATUS.items()}
_HASHED_LEVEL = {code: word for word, code in LEGACY_LEVEL.items()}  # likewise a published level


# One encoder for every hash: json.dumps with options builds a new encoder per call.
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def row_hash(row: dict) -> str:
    """The content of a row as the first 128 bits of its SHA-256, in hex (stored as those 16
    bytes since schema 7). Only ever compared with versions of the same row: two different
    contents taken for one by chance would take ~2^64 versions of it, and a missed change is
    all such a collision could cause; the full 256 bits would add 16 bytes to each of a
    district's ~950,000 recorded versions."""
    # Columns added by a later version are left out while they hold the value an older row
    # gets (schema.ACTION_FOLLOW_UP), so older files' recorded hashes still name the same rows.
    content = {k: v for k, v in row.items()
               if k not in NOT_CONTENT and not (k in ACTION_FOLLOW_UP and v == ACTION_FOLLOW_UP[k])}
    if content.get("status") in _HASHED_STATUS:
        content["status"] = _HASHED_STATUS[content["status"]]
    if content.get("figure") == "level" and content.get("value") in _HASHED_LEVEL:
        content["value"] = _HASHED_LEVEL[content["value"]]
    return hashlib.sha256(_ENCODE(content).encode("utf-8")).hexdigest()[:32]


def rows(conn: sqlite3.Connection, table: str) -> list[dict]:
    """Every row of ``table``; none when the file is from before the table existed."""
    cols = columns(conn, table)
    if not cols:
        return []
    return [dict(zip(cols, r)) for r in conn.execute(f'SELECT {", ".join(cols)} FROM "{table}"')]


def has_versions(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "row_versions")


# -- how row_versions stores a version (schema.VERSIONED_TABLES): a file of version 7 on names
# a table by its code and holds a hash as 16 bytes; an older one (read as it is by a merge)
# by its name and as 32 hex digits. In Python a version is always its name: hex text.
TABLE_CODE = {t: n for n, t in enumerate(VERSIONED_TABLES)}
INSERT_VERSION = "INSERT OR IGNORE INTO row_versions(table_code, row_uuid, hash) VALUES (?, ?, ?)"


def stored(table: str, uuid: str, version: str) -> tuple[int, str, bytes | str]:
    """The row_versions row that records ``version`` of a row (for :data:`INSERT_VERSION`)."""
    return TABLE_CODE[table], uuid, hash_blob(version)


def version_name(value: bytes | str) -> str:
    """A version as read from row_versions of a file of any version, as Python names it."""
    return value.hex() if isinstance(value, bytes) else value


def coded(conn: sqlite3.Connection, schema: str = "main") -> bool:
    """Whether ``schema``'s row_versions is in the form of version 7 on (table codes, hash bytes)."""
    return any(r[1] == "table_code" for r in conn.execute(f'PRAGMA {schema}.table_info("row_versions")'))


def of_table(conn: sqlite3.Connection, schema: str, alias: str, table: str) -> str:
    """SQL: row ``alias`` of ``schema``.row_versions records a row of ``table``."""
    if coded(conn, schema):
        return f"{alias}.table_code = {TABLE_CODE[table]}"
    return f"{alias}.table_name = '{table}'"


def hash_text(expr: str) -> str:
    """SQL: the stored version ``expr`` as its name (what an older file stores), to compare
    a version 7 file's versions with an older file's."""
    return f"(CASE typeof({expr}) WHEN 'blob' THEN lower(hex({expr})) ELSE {expr} END)"


def read_versions(conn: sqlite3.Connection, schema: str = "main"):
    """Every recorded version of a file of any version: (table, row uuid, version name)."""
    if coded(conn, schema):
        for code, uuid, value in conn.execute(f"SELECT table_code, row_uuid, hash FROM {schema}.row_versions"):
            yield VERSIONED_TABLES[code], uuid, version_name(value)
    else:
        yield from conn.execute(f"SELECT table_name, row_uuid, hash FROM {schema}.row_versions")


def deletion_version(deleted_at: str) -> str:
    """A deletion as a version of the row, named by its tombstone's time (copied, never
    re-stamped, when a merge passes the deletion on, so every file names it alike)."""
    return f"deleted@{deleted_at}"


def revive(conn: sqlite3.Connection, uuid: str) -> None:
    """A row is inserted under a UUID that was deleted (an undo, a conflict resolved as
    "theirs"): drop its tombstone and remember the deletion as a past version, so a merge
    knows the row came back *after* that deletion and does not delete it again. Call inside
    the inserting transaction."""
    row = conn.execute("SELECT table_name, deleted_at FROM tombstones WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        return
    conn.execute("DELETE FROM tombstones WHERE uuid = ?", (uuid,))
    if has_versions(conn):
        conn.execute(INSERT_VERSION, stored(row[0], uuid, deletion_version(row[1])))


def carry_history(current: sqlite3.Connection, restored: sqlite3.Connection, stamp: str) -> None:
    """Make ``restored`` (an older version of the same document, put back by a restore) a
    descendant of ``current`` for merging: it keeps every version the file has had, rows it
    lacks are deleted by the restore (tombstones), rows it brings back after their deletion
    are put back (as :func:`revive` does), and older deletions keep travelling. Without this a
    merge would take the other office's copy of what the restore undid. Call inside a
    transaction on ``restored``; both files have ``row_versions`` (schema version 2)."""
    restored.executemany(INSERT_VERSION, [stored(*v) for v in read_versions(current)])
    alive_now = {(t, u) for t in SYNCED_TABLES for (u,) in current.execute(f'SELECT uuid FROM "{t}"')}
    alive_restored = {(t, u) for t in SYNCED_TABLES for (u,) in restored.execute(f'SELECT uuid FROM "{t}"')}
    restored.executemany("INSERT OR IGNORE INTO tombstones(uuid, table_name, deleted_at) VALUES (?, ?, ?)",
                         [(u, t, stamp) for t, u in sorted(alive_now - alive_restored)])
    for u, t, when in current.execute("SELECT uuid, table_name, deleted_at FROM tombstones").fetchall():
        if (t, u) in alive_restored:
            restored.execute(INSERT_VERSION, stored(t, u, deletion_version(when)))
        else:
            restored.execute("INSERT OR IGNORE INTO tombstones(uuid, table_name, deleted_at) VALUES (?, ?, ?)",
                             (u, t, when))


# meta key: the edit count (and schema version) at which every row's current version was last recorded.
RECORDED_AT = "versions_recorded_at"


def record_versions(conn: sqlite3.Connection) -> int:
    """Remember the current version of every row; returns how many were new. Not an edit.

    Rows are hashed as they are read and inserted with INSERT OR IGNORE, so a district's
    900,000 rows are never held in memory twice. When no edit happened since the last
    complete recording (the edit count in meta is the one noted then), nothing is read:
    opening a saved file for a command does not hash it again. After the first call on a
    connection to a large file, temporary triggers list the rows it inserts or updates, and
    later calls hash only those: a save after a few edits does not hash the whole file."""
    if not has_versions(conn):
        return 0
    edits = edit_note(conn)
    tracked = _tracking(conn)
    if tracked and conn.execute("SELECT 1 FROM temp.versions_dirty LIMIT 1").fetchone() is None:
        # Nothing inserted or updated since the last call (a meta-only edit, a restore of a
        # backup, which a save recorded whole): only the note is brought up to date.
        if meta_value(conn, RECORDED_AT) != edits:
            set_meta_value(conn, RECORDED_AT, edits)
        return 0
    if not tracked and versions_complete(conn):
        _track_if_large(conn)
        return 0
    with own_transaction(conn):
        before = conn.total_changes
        for table in SYNCED_TABLES:
            cols = columns(conn, table)
            if not cols:
                continue
            at = cols.index("uuid")
            select = f'SELECT {", ".join(f"t.{c}" for c in cols)} FROM "{table}" t'
            if tracked:
                select += " JOIN temp.versions_dirty d ON d.table_name = ? AND d.uuid = t.uuid"
            cursor = conn.execute(select, (table,) if tracked else ())
            code = TABLE_CODE[table]
            conn.executemany(INSERT_VERSION, ((code, r[at], bytes.fromhex(row_hash(dict(zip(cols, r)))))
                                              for r in cursor))
        new = conn.total_changes - before
        set_meta_value(conn, RECORDED_AT, edits)
        if tracked:
            conn.execute("DELETE FROM temp.versions_dirty")
    if not tracked:
        _track_if_large(conn)
    return new


# From how many rows a connection lists what it changes. Below, hashing every row at a save
# costs less than a millisecond per hundred rows; and the triggers' statements would show in
# every statement trace of an edit (tests watch a keystroke's statements).
TRACK_FROM_ROWS = 20_000


def _track_if_large(conn: sqlite3.Connection) -> None:
    total = 0
    for table in SYNCED_TABLES:
        if columns(conn, table):
            total += conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    if total >= TRACK_FROM_ROWS:
        _track(conn)


def _tracking(conn: sqlite3.Connection) -> bool:
    return has_temp_table(conn, "versions_dirty")


def _track(conn: sqlite3.Connection) -> None:
    """From now on, list the rows this connection inserts or updates (temporary: nothing of
    it is in the file, and it ends with the connection)."""
    statements = ["CREATE TEMP TABLE versions_dirty (table_name TEXT NOT NULL, uuid TEXT NOT NULL, "
                  "PRIMARY KEY (table_name, uuid)) WITHOUT ROWID"]
    for table in SYNCED_TABLES:
        if not columns(conn, table):
            continue
        for event in ("INSERT", "UPDATE"):
            # Not INSERT OR IGNORE: inside an upsert the outer statement's conflict rule would apply.
            statements.append(
                f'CREATE TEMP TRIGGER versions_dirty_{table}_{event.lower()} AFTER {event} ON main."{table}" '
                f"BEGIN INSERT INTO versions_dirty SELECT '{table}', NEW.uuid WHERE NOT EXISTS "
                f"(SELECT 1 FROM versions_dirty WHERE table_name = '{table}' AND uuid = NEW.uuid); END")
    for statement in statements:
        conn.execute(statement)


# The schema version since which every migration keeps what row_hash gives each row (3 and 6
# were written so; 7 changes how versions are stored, not what they are). A note of a complete
# recording made at it or later stays true when the file is migrated; a migration that changes
# row hashes must raise this to its own number.
HASHES_KEPT_SINCE = 2


def versions_complete(conn: sqlite3.Connection, schema: str = "main") -> bool:
    """Whether row_versions of the file holds the current version of every row (no edit since
    :func:`record_versions` last went through it).

    The note is "<edit count>@<schema version>"; the release before wrote the edit count
    alone (schema 4 to 6, all after :data:`HASHES_KEPT_SINCE`). Read strictly, such a file,
    or any file opened by a newer schema, would be hashed whole at every opening until saved
    (22 of 23 CPU seconds of opening a file of 8,000 organizations)."""
    note = meta_value(conn, RECORDED_AT, schema)
    if note is None:
        return False
    edits, _, version = note.partition("@")
    if edits != (meta_value(conn, "edit_count", schema) or "0"):
        return False
    return not version or (version.isdigit() and int(version) >= HASHES_KEPT_SINCE)


def content_digest(conn: sqlite3.Connection, *, include_bookkeeping: bool = False) -> str:
    """One hash over every table's rows (order-independent): "same content" for tests and the crash harness.

    ``row_versions`` is bookkeeping that a save itself adds to, so it is left out unless asked
    for; the note of when it was last completed (:data:`RECORDED_AT`) always is (it says
    only how far a save got in recording, not what the file holds or knows).
    """
    digest = hashlib.sha256()
    tables = sorted(n for n in introspect(conn).table_names() if not n.startswith("sqlite_"))
    for table in tables:
        if table == "row_versions" and not include_bookkeeping or table == "assessment_results":
            continue  # assessment_results: derived from the scores, written by the save itself
        cols = columns(conn, table)
        lines = sorted(
            json.dumps(list(r), ensure_ascii=False, default=repr)
            for r in conn.execute(f'SELECT {", ".join(cols)} FROM "{table}"')
            if table != "meta" or r[0] not in (RECORDED_AT, "results_at")
        )
        digest.update(f"{table}:{','.join(cols)}\n".encode())
        for line in lines:
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()
