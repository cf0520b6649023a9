"""What a save keeps beside the content without it being an edit, shared by the row versions
(:mod:`itadesk.db.versions`) and the kept results (:mod:`itadesk.db.results`): notes in
``meta``, whether a table exists in a file of any version, and a transaction of their own."""

from __future__ import annotations

import contextlib
import sqlite3


def has_table(conn: sqlite3.Connection, name: str, schema: str = "main") -> bool:
    """Whether the file has table ``name`` (a file saved by version 1 has no ``row_versions``)."""
    return conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def has_temp_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether this connection made temporary table ``name`` (its list of what it changed)."""
    return conn.execute("SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def meta_value(conn: sqlite3.Connection, key: str, schema: str = "main") -> str | None:
    row = conn.execute(f"SELECT value FROM {schema}.meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta_value(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, value))


def edit_note(conn: sqlite3.Connection, schema: str = "main") -> str:
    """"<edit count>@<schema version>": what was true at this note stays true until the next
    edit, or a migration (which rewrites rows without counting an edit)."""
    version = conn.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
    return f'{meta_value(conn, "edit_count", schema) or "0"}@{version}'


@contextlib.contextmanager
def own_transaction(conn: sqlite3.Connection):
    """A transaction of its own, unless the caller's is open (then it is part of that one)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
