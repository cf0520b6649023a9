"""Schema of the document file, its identity (application_id) and its forward migrations.

Every row carries a stable UUID and an ``updated_at`` time so two offices' copies of the
same file can later be merged row by row.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, NamedTuple

from itadesk.ita.model import LEGACY_LEVEL, LEGACY_STATUS

# "ITAD" in ASCII: lets any tool (and we) tell our files from other programs' SQLite files.
APPLICATION_ID = 0x49544144
SCHEMA_VERSION = 8

TABLES_V1 = {
    "meta": """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    "organizations": """CREATE TABLE organizations (
        uuid TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT '',
        district TEXT NOT NULL DEFAULT '',
        province TEXT NOT NULL DEFAULT '',
        code TEXT NOT NULL DEFAULT '',
        preparer_name TEXT NOT NULL DEFAULT '',
        preparer_position TEXT NOT NULL DEFAULT '',
        approver_name TEXT NOT NULL DEFAULT '',
        approver_position TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL)""",
    "assessments": """CREATE TABLE assessments (
        uuid TEXT PRIMARY KEY,
        org_uuid TEXT NOT NULL REFERENCES organizations(uuid),
        fiscal_year INTEGER NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
        updated_at TEXT NOT NULL,
        UNIQUE (org_uuid, fiscal_year))""",
    "indicator_scores": """CREATE TABLE indicator_scores (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        indicator INTEGER NOT NULL,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
        updated_at TEXT NOT NULL,
        UNIQUE (assessment_uuid, indicator))""",
    "item_scores": """CREATE TABLE item_scores (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        code TEXT NOT NULL,
        part INTEGER NOT NULL DEFAULT 0,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
        updated_at TEXT NOT NULL,
        UNIQUE (assessment_uuid, code, part))""",
    "recommendations": """CREATE TABLE recommendations (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        tool TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (assessment_uuid, tool))""",
    "analyses": """CREATE TABLE analyses (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        indicator INTEGER NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (assessment_uuid, indicator))""",
    "actions": """CREATE TABLE actions (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        indicator INTEGER,
        measure TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        steps TEXT NOT NULL DEFAULT '',
        start_date TEXT,
        end_date TEXT,
        status TEXT NOT NULL DEFAULT 'ยังไม่เริ่ม',
        progress_note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date))""",
    "units": """CREATE TABLE units (
        uuid TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        updated_at TEXT NOT NULL)""",
    "tombstones": """CREATE TABLE tombstones (
        uuid TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        deleted_at TEXT NOT NULL)""",
}

INDEXES_V1 = [
    "CREATE INDEX idx_assessments_org ON assessments(org_uuid)",
    "CREATE INDEX idx_actions_assessment ON actions(assessment_uuid, position)",
]

# Version 2: what merging two offices' files needs (see itadesk/db/merge.py).
TABLES_V2 = {
    # Every version of a row this file has ever saved or taken in a merge, as a content hash.
    # "Their row is one of our past versions" is how a merge tells a one-sided change from a conflict.
    "row_versions": """CREATE TABLE row_versions (
        table_name TEXT NOT NULL,
        row_uuid TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (table_name, row_uuid, hash)) WITHOUT ROWID""",
    # A row changed in both files: ours stays in place, theirs is kept here until the officer chooses.
    "conflicts": """CREATE TABLE conflicts (
        uuid TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        row_uuid TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('both_changed', 'deleted_here', 'deleted_there')),
        mine TEXT,
        theirs TEXT,
        theirs_hash TEXT NOT NULL,
        source_name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT)""",
}

# Version 4: the NACC's published figures of a year, typed beside the computed ones (ita/published.py),
# and what each drafted text was built from (ita/drafting.py stale_drafts).
TABLES_V4 = {
    "published_figures": """CREATE TABLE published_figures (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        figure TEXT NOT NULL CHECK (length(figure) BETWEEN 1 AND 20),
        value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 40),
        updated_at TEXT NOT NULL,
        UNIQUE (assessment_uuid, figure))""",
    # The figures a drafted analysis text was built from (JSON), to show the draft went stale.
    "draft_bases": """CREATE TABLE draft_bases (
        uuid TEXT PRIMARY KEY,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        indicator INTEGER NOT NULL,
        basis TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (assessment_uuid, indicator))""",
}

# Version 5: a year's catalog kept in the document (ita/catalog.py Catalogs): it travels with the
# file and wins over the bundled one. The catalog is its validated JSON text (itadesk-catalog format).
TABLES_V5 = {
    "catalogs": """CREATE TABLE catalogs (
        uuid TEXT PRIMARY KEY,
        fiscal_year INTEGER NOT NULL UNIQUE CHECK (fiscal_year BETWEEN 2500 AND 2700),
        catalog TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
}

# Version 8: each assessment's result (tool scores, total, level code) as itadesk.ita.results
# computed it, written at save, so a district's summary reads 48,000 results instead of
# evaluating them (itadesk/db/results.py says when one is trusted). Derived, never merged.
TABLES_V8 = {
    "assessment_results": """CREATE TABLE assessment_results (
        assessment_uuid TEXT PRIMARY KEY REFERENCES assessments(uuid) ON DELETE CASCADE,
        basis TEXT NOT NULL,
        result TEXT NOT NULL) WITHOUT ROWID""",
}

EXPECTED_TABLES = (frozenset(TABLES_V1) | frozenset(TABLES_V2) | frozenset(TABLES_V4) | frozenset(TABLES_V5)
                   | frozenset(TABLES_V8))

# Version 3: stable codes instead of Thai display words. Version 2 stored a plan row's status
# as the word on screen (ita.model.LEGACY_STATUS, frozen: labels may be reworded since).
_STATUS_CASE = "CASE {value} " + " ".join(
    f"WHEN '{word}' THEN '{code}'" for word, code in LEGACY_STATUS.items()) + " ELSE {value} END"


def upgrade_status(value):
    """A plan status as version 3 stores it: a version-2 word becomes its code."""
    return LEGACY_STATUS.get(value, value)


# Version 6: the follow-up of a plan row a year later (evidence, completion date), with the
# value a row saved before version 6 has. versions.row_hash leaves them out while they hold it.
ACTION_FOLLOW_UP = {"evidence": "", "completed_date": None}


def upgrade_row(table: str, row: dict) -> dict:
    """A row read from a file of any version, in the current format (merge reads old files as
    they are; they are never migrated in place)."""
    if table == "actions":
        if row.get("status") in LEGACY_STATUS:
            row = dict(row, status=LEGACY_STATUS[row["status"]])
        if any(k not in row for k in ACTION_FOLLOW_UP):
            row = {**ACTION_FOLLOW_UP, **row}
    if table == "published_figures" and row.get("figure") == "level" and isinstance(row.get("value"), str):
        # Files written before level codes hold the Thai name (no migration: read either way).
        return dict(row, value=LEGACY_LEVEL.get(row["value"], row["value"]))
    return row


def _status_in_json(column: str) -> str:
    value = f"json_extract({column}, '$.status')"
    return (f"UPDATE conflicts SET {column} = json_set({column}, '$.status', {_STATUS_CASE.format(value=value)}) "
            f"WHERE table_name = 'actions' AND {column} IS NOT NULL AND json_valid({column}) "
            f"AND json_type({column}, '$.status') = 'text'")

# Version 7: row_versions in less space (a district's file of 8,000 organizations spent 30 % of
# its 229 MB on it). A table is named by a small code instead of its name, and a content hash
# (versions.row_hash: the first 128 bits of a SHA-256, as 32 hex digits) is stored as its 16
# bytes; a deletion's version name ("deleted@<time>", "deleted") stays text. Nothing is lost:
# the hex text and the bytes are the same 128 bits, so the hashes an older file recorded and
# the ones a newer file records compare equal once read (versions.version_name). 128 bits are
# far more than change detection needs (a collision would take ~2^64 versions of one row).
# The codes are frozen: a table added later gets the next number, none is ever renumbered.
VERSIONED_TABLES = (
    "organizations", "assessments", "indicator_scores", "item_scores", "recommendations",
    "analyses", "actions", "units", "published_figures", "draft_bases", "catalogs",
)
HASH_BLOB = "itadesk_hash_blob"  # SQL function of a migrating connection: 32 hex digits -> 16 bytes


def hash_blob(value):
    """A version as version 7 stores it: a content hash as its 16 bytes, a deletion's name as text."""
    if isinstance(value, str) and len(value) == 32:
        try:
            return bytes.fromhex(value)
        except ValueError:
            return value
    return value


# Version 7 too: the two score tables (96 % of a district's rows) are stored in the order of
# their natural key, which becomes their primary key (WITHOUT ROWID): one B-tree less per table
# (the rowid table and its UNIQUE index of the key were two), and an assessment's scores are
# side by side, read as one range. The row id stays, UNIQUE.
SCORE_TABLES_V7 = {
    "indicator_scores": """CREATE TABLE indicator_scores_v7 (
        uuid TEXT NOT NULL UNIQUE,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        indicator INTEGER NOT NULL,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (assessment_uuid, indicator)) WITHOUT ROWID""",
    "item_scores": """CREATE TABLE item_scores_v7 (
        uuid TEXT NOT NULL UNIQUE,
        assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
        code TEXT NOT NULL,
        part INTEGER NOT NULL DEFAULT 0,
        score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (assessment_uuid, code, part)) WITHOUT ROWID""",
}
_SCORE_KEYS = {"indicator_scores": "assessment_uuid, indicator", "item_scores": "assessment_uuid, code, part"}


def _rebuilt(table: str) -> list[str]:
    """Statements that store ``table`` as SCORE_TABLES_V7 says, same columns in the same order."""
    return [SCORE_TABLES_V7[table],
            f"INSERT INTO {table}_v7 SELECT * FROM {table} ORDER BY {_SCORE_KEYS[table]}",
            f"DROP TABLE {table}",
            f"ALTER TABLE {table}_v7 RENAME TO {table}"]


_TABLE_CODE = "CASE table_name " + " ".join(
    f"WHEN '{t}' THEN {n}" for n, t in enumerate(VERSIONED_TABLES)) + " END"

# version -> list of statements that bring a file from version-1 to version.
MIGRATIONS: dict[int, list[str]] = {
    1: list(TABLES_V1.values()) + INDEXES_V1,
    2: list(TABLES_V2.values()) + ["CREATE INDEX idx_conflicts_row ON conflicts(table_name, row_uuid)"],
    # Row hashes stay valid: versions.row_hash hashes a status in its version-2 form.
    3: [f"UPDATE actions SET status = {_STATUS_CASE.format(value='status')} WHERE status IN "
        f"({', '.join(repr(w) for w in LEGACY_STATUS)})",
        _status_in_json("mine"), _status_in_json("theirs")],
    4: list(TABLES_V4.values()),
    5: list(TABLES_V5.values()),
    # Follow-up columns; conflicts waiting in the file get them too (a choice of "theirs"
    # writes every column), with the values that keep their hashes (versions.row_hash).
    6: ["ALTER TABLE actions ADD COLUMN evidence TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE actions ADD COLUMN completed_date TEXT",
        *(f"UPDATE conflicts SET {side} = json_insert({side}, '$.evidence', '', '$.completed_date', NULL) "
          f"WHERE table_name = 'actions' AND {side} IS NOT NULL AND json_valid({side}) "
          f"AND json_type({side}) = 'object'" for side in ("mine", "theirs"))],
    # Versions in less space (see VERSIONED_TABLES); idx_assessments_org is the first column of
    # the UNIQUE (org_uuid, fiscal_year) index, which serves every query it served.
    7: ["""CREATE TABLE row_versions_v7 (
        table_code INTEGER NOT NULL,
        row_uuid TEXT NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (table_code, row_uuid, hash)) WITHOUT ROWID""",
        f"INSERT INTO row_versions_v7 SELECT {_TABLE_CODE}, row_uuid, {HASH_BLOB}(hash) FROM row_versions "
        "ORDER BY 1, 2, 3",
        "DROP TABLE row_versions",
        "ALTER TABLE row_versions_v7 RENAME TO row_versions",
        "DROP INDEX idx_assessments_org",
        *_rebuilt("indicator_scores"), *_rebuilt("item_scores")],
    8: list(TABLES_V8.values()),
}


def migrating(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn`` able to run MIGRATIONS (the SQL function version 7 converts hashes with)."""
    conn.create_function(HASH_BLOB, 1, hash_blob, deterministic=True)
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    """Make an empty file ours: tables, identity and version in one transaction."""
    migrate(conn, from_version=0)


# Page cache while migrating: version 7 copies the score tables in key order through their old
# index (8,000 organizations: 4.6 instead of 6.4 CPU s with SQLite's default 2 MiB).
MIGRATION_CACHE_KIB = 64 * 1024


# Every migration distrusts the kept results (itadesk/db/results.py): a file of an older version
# is not compared with them at opening, and its "results up to date" note could name the new
# version (a forged file can); without the note every result is evaluated again at the next save.
RESULTS_NOTE = "results_at"
FORGET_RESULTS = f"DELETE FROM meta WHERE key = '{RESULTS_NOTE}'"


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Bring a file of ``from_version`` (0: empty) to SCHEMA_VERSION in one transaction."""
    migrating(conn)
    cache = conn.execute("PRAGMA main.cache_size").fetchone()[0]
    conn.execute(f"PRAGMA main.cache_size = -{MIGRATION_CACHE_KIB}")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(from_version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
        if from_version:
            conn.execute(FORGET_RESULTS)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute(f"PRAGMA main.cache_size = {cache}")  # memory back for the rest of the session


if TYPE_CHECKING:  # sqlite-utils (and numpy through it, 0.3 s) loads when first needed, not at opening
    import sqlite_utils


class Column(NamedTuple):
    name: str
    type: str
    notnull: bool


def table_columns(conn: sqlite3.Connection, table: str) -> list[Column]:
    """A table's columns as declared (what opening a file checks cell types against)."""
    return [Column(n, t, bool(nn)) for n, t, nn in
            conn.execute('SELECT name, type, "notnull" FROM pragma_table_info(?) ORDER BY cid', (table,))]


def introspect(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils over an open connection, for reading the schema and simple reads.

    Told not to touch the connection (no ``recursive_triggers`` pragma, no plugin hooks):
    it is also used on files that come from anywhere. Writes stay raw SQL: sqlite-utils'
    write methods commit on their own (``with conn:``), which would end our transactions.
    """
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
