"""Opening, checking and atomically replacing document files.

A file may come from anywhere (another office, a damaged stick, a crafted attachment),
so it is never opened for writing in place: it is copied byte for byte to a private
folder, checked there, and only a checked copy is ever written. Replacing a target is
temp-file + fsync + ``quick_check`` + ``os.replace``, so at no instant is there no good copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from itadesk.db import checked_files, sidecars
from itadesk.db.errors import DocumentError, translate
from itadesk.db.results import forget_results, refresh_results, results_agree, track_results
from itadesk.db.schema import (
    APPLICATION_ID,
    EXPECTED_TABLES,
    MIGRATIONS,
    SCHEMA_VERSION,
    create_schema,
    migrate,
    migrating,
    table_columns,
)
from itadesk.db.tempfiles import (
    beside,
    copy_into,
    create_beside,
    fsync_dir,
    private_folder,
    remove_leftovers,
    unlink_quietly,
)

T = TypeVar("T")

SQLITE_HEADER = b"SQLite format 3\x00"
# No cell of ours comes near this; a crafted file with a giant cell is refused, not loaded.
MAX_CELL_BYTES = 4 * 1024 * 1024


def connect(path: str | os.PathLike, readonly: bool = False, label: str | None = None) -> sqlite3.Connection:
    """A connection with the pragmas every document needs (rollback journal, full sync, distrust).

    ``label`` is the file an error names: the officer's file, not the private copy opened.
    """
    uri = Path(path).resolve().as_uri() + ("?mode=ro" if readonly else "")
    label = str(path) if label is None else label
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=2.0, check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate(exc, label) from exc
    try:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_CELL_BYTES * 2)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, label) from exc
    return conn


def use_as_working_copy(conn: sqlite3.Connection) -> None:
    """The working copy's journal: WAL with ``synchronous=NORMAL``.

    A commit is then an append to the ``-wal`` with no wait for the disk (it was ~15 ms of
    fsyncs per typed score in a rollback journal with ``synchronous=FULL``). A killed or
    crashed program loses no committed edit (the operating system still writes the file);
    a power cut keeps the working copy consistent but may lose the last edits before it.
    The officer's file is written only by save, which is unchanged (docs/reliability.md).
    """
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() == "wal":
        conn.execute("PRAGMA synchronous = NORMAL")


def fsync_file(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class FileCheck:
    schema_version: int
    needs_migration: bool
    # The stored results (itadesk.db.results) agree with the scores; False: re-evaluate them all.
    results_ok: bool = True
    # Only check_structure ran: check_content must follow (see check_connection's ``defer``).
    deferred: bool = False


def _normal_sql(sql: str | None) -> str:
    return " ".join((sql or "").split())


_EXPECTED_SCHEMA: dict[int, dict[tuple[str, str], str]] = {}


def expected_schema(version: int) -> dict[tuple[str, str], str]:
    """(type, name) -> CREATE statement of every table and index a file of ``version`` has."""
    if version not in _EXPECTED_SCHEMA:
        mem = migrating(sqlite3.connect(":memory:", isolation_level=None))
        try:
            for v in range(1, version + 1):
                for statement in MIGRATIONS[v]:
                    mem.execute(statement)
            _EXPECTED_SCHEMA[version] = {
                (t, n): _normal_sql(sql)
                for t, n, sql in mem.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            }
        finally:
            mem.close()
    return _EXPECTED_SCHEMA[version]


# Storage classes a column of each declared type may hold (a crafted file can bypass types).
_TYPES = {"TEXT": ("text",), "INTEGER": ("integer",), "REAL": ("real", "integer")}


def check_connection(conn: sqlite3.Connection, path: str = "", sha256: str | None = None,
                     results: bool = True, defer: bool = False) -> FileCheck:
    """Refuse a file that is not ours, newer, damaged or crafted. Reads only.

    Ours: our application_id and a known user_version. Undamaged: ``quick_check``, foreign
    keys and every cell readable as UTF-8. Not crafted: exactly our tables and indexes with
    exactly our CREATE statements (so no trigger, view or altered constraint), every value
    of its column's type, no cell larger than :data:`MAX_CELL_BYTES`. ``sha256``: of the
    file's bytes, to skip what was already checked (:mod:`itadesk.db.checked_files`).
    ``results=False``: the kept results will not be read (a merge's source), so they are not
    compared with a fresh evaluation; the file is then not noted as checked.
    ``defer``: a file of today's version not checked before gets only the checks that cost
    no reading of its rows (:func:`check_structure`); :func:`check_content` must follow
    before anything read from it leaves the program (``FileCheck.deferred``).
    """
    version = check_structure(conn, path, sha256, full=not defer)
    if sha256 is not None and checked_files.is_checked(sha256):
        return FileCheck(version, version < SCHEMA_VERSION)
    if defer and version == SCHEMA_VERSION:
        return FileCheck(version, False, deferred=True)
    results_ok = check_content(conn, path, results=results and version == SCHEMA_VERSION)
    if sha256 is not None and results_ok and results:
        checked_files.remember(sha256)
    return FileCheck(version, version < SCHEMA_VERSION, results_ok)


# Tables small enough to check the types of before a file's first screen (a few thousand rows
# each); the score tables and row versions, ~900,000 rows, wait for check_content.
FIRST_SCREEN_TABLES = ("meta", "organizations", "assessments", "assessment_results", "catalogs")


def check_structure(conn: sqlite3.Connection, path: str = "", sha256: str | None = None,
                    full: bool = True) -> int:
    """Ours, not newer, and (unless ``sha256`` was already checked) exactly our tables and
    indexes, no view or trigger, and the value types of :data:`FIRST_SCREEN_TABLES`: what
    costs no reading of every row. ``full``: ``quick_check`` (every page read) instead of the
    small tables' types (a deferred check). The file's user_version."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        # Raw: the exact comparison below needs every object's CREATE statement, indexes included.
        objects = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        views = [n for t, n, _ in objects if t == "view"]
        triggers = [n for t, n, _ in objects if t == "trigger"]
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    if app_id != APPLICATION_ID:
        raise DocumentError("FOREIGN", f"application_id={app_id:#x}", path)
    if version > SCHEMA_VERSION:
        raise DocumentError("NEWER", f"user_version={version} > {SCHEMA_VERSION}", path)
    if version < 1:
        raise DocumentError("FOREIGN", f"user_version={version}", path)
    if sha256 is not None and checked_files.is_checked(sha256):
        return version
    if full:
        try:
            _quick_check(conn, path)
        except sqlite3.Error as exc:
            raise translate(exc, path) from exc
    if views or triggers:
        raise DocumentError("CRAFTED", f"views: {sorted(views)} triggers: {sorted(triggers)}", path)
    kinds = {t for t, _, _ in objects}
    if kinds - {"table", "index"}:
        raise DocumentError("CRAFTED", f"objects: {sorted(kinds - {'table', 'index'})}", path)
    tables = {n for t, n, _ in objects if t == "table"}
    if not tables <= EXPECTED_TABLES:
        raise DocumentError("CRAFTED", f"unknown tables: {sorted(tables - EXPECTED_TABLES)}", path)
    expected = expected_schema(version)
    found = {(t, n): _normal_sql(sql) for t, n, sql in objects}
    if found != expected:
        differ = sorted({k[1] for k in set(expected) | set(found) if expected.get(k) != found.get(k)})
        raise DocumentError("CRAFTED", f"schema differs: {differ[:5]}", path)
    if not full:
        try:
            for table in FIRST_SCREEN_TABLES:
                if table in tables:
                    _check_cells(conn, table, path)
        except sqlite3.Error as exc:
            raise translate(exc, path) from exc
    return version


def _quick_check(conn: sqlite3.Connection, path: str) -> None:
    result = conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(r) for r in result] != [("ok",)]:
        raise DocumentError("CORRUPT", "; ".join(str(r[0]) for r in result[:5]), path)


def _check_cells(conn: sqlite3.Connection, table: str, path: str) -> None:
    """No cell of ``table`` larger than :data:`MAX_CELL_BYTES` or of another type than its column's."""
    info = table_columns(conn, table)
    cols = [c.name for c in info]
    biggest = " , ".join(f'MAX(LENGTH(CAST("{c}" AS BLOB)))' for c in cols)
    sql = f'SELECT MAX({biggest}) FROM "{table}"' if len(cols) > 1 else f'SELECT {biggest} FROM "{table}"'
    row = conn.execute(sql).fetchone()
    if row and row[0] is not None and row[0] > MAX_CELL_BYTES:
        raise DocumentError("TOOBIG", f"{table}: {row[0]} bytes", path)
    wrong = []
    for c in info:
        allowed = _TYPES.get(c.type.upper(), ("text", "integer", "real", "blob"))
        allowed = allowed + (() if c.notnull else ("null",))
        wrong.append('typeof("%s") NOT IN (%s)' % (c.name, ", ".join(repr(a) for a in allowed)))
    bad = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {" OR ".join(wrong)}').fetchone()[0]
    if bad:
        raise DocumentError("CRAFTED", f"{table}: {bad} values of the wrong type", path)


def check_content(conn: sqlite3.Connection, path: str = "", results: bool = True,
                  progress: Callable[[float], None] | None = None, quick: bool = False) -> bool:
    """Every row of a file whose structure passed :func:`check_structure`: foreign keys, types
    and sizes, UTF-8, every value by the editor's rules, and (``results``) the kept results
    against a fresh evaluation; whether those agree. ``quick``: run ``quick_check`` too (it
    was skipped by a deferred check). ``progress(fraction)`` is told where each step ends
    (0.02 quick_check, 0.03 foreign keys, 0.25 types, 0.75 every value; the results last),
    roughly in proportion to the time each takes."""
    tell = progress or (lambda _f: None)
    try:
        if quick:
            _quick_check(conn, path)
        tell(0.02)
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise DocumentError("CORRUPT", "foreign key violations", path)
        tell(0.03)
        tables = sorted(n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                   "AND name NOT LIKE 'sqlite_%'"))
        for table in tables:
            _check_cells(conn, table, path)
            for _ in conn.execute(f'SELECT * FROM "{table}"'):  # every text cell decodes as UTF-8
                pass
        tell(0.25)
        from itadesk.db.validate import check_rows  # noqa: PLC0415 - validate imports errors only

        check_rows(conn, path)  # every value, by the rules the editor and the importer enforce
        tell(0.75)
        return not results or results_agree(conn)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc


def _check_header(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise DocumentError("NOTFOUND", str(exc), str(path)) from exc
    except OSError as exc:
        raise translate(exc, str(path)) from exc
    if not path.is_file():
        raise DocumentError("CANTOPEN", "not a regular file", str(path))
    if size == 0:
        raise DocumentError("EMPTY", "", str(path))
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise translate(exc, str(path)) from exc
    if header != SQLITE_HEADER:
        raise DocumentError("NOTADB", f"header={header[:16]!r}", str(path))
    if size < 512 or size % 512:
        raise DocumentError("CORRUPT", f"size={size} is not a whole number of pages", str(path))


@dataclass(frozen=True)
class Fingerprint:
    """What a file on the stick looked like: changed underneath = any of these differ."""

    size: int
    mtime_ns: int
    sha256: str
    # A -journal or -wal beside it was played into the private copy (snapshot): what was read
    # is not these bytes alone, which alone are a half-written state nobody checked.
    played: bool = field(default=False, compare=False)

    @property
    def content_sha256(self) -> str | None:
        """The sha256 a check of what was read may be noted under (checked_files)."""
        return None if self.played else self.sha256

    def to_json(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data: dict | None) -> "Fingerprint | None":
        if not data:
            return None
        return cls(int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]))


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def copy_hashed(source: str | os.PathLike, target: str | os.PathLike) -> str:
    """Copy a file and return the sha256 of the bytes written: one read of a 300 MB file, not
    two, and each block hashed while the previous one is written (both let other threads run)."""
    h = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst, ThreadPoolExecutor(1) as writer:
        pending = None
        for block in iter(lambda: src.read(1 << 20), b""):
            if pending is not None:
                pending.result()
            pending = writer.submit(dst.write, block)
            h.update(block)
        if pending is not None:
            pending.result()
    return h.hexdigest()


def fingerprint(path: str | os.PathLike) -> Fingerprint:
    st = os.stat(path)
    return Fingerprint(st.st_size, st.st_mtime_ns, sha256_file(path))


def private_copy(path: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """Copy a file (with its ``-journal`` / ``-wal``) byte for byte and settle it there.

    The original is opened only for reading; SQLite's rollback or checkpoint happens to the copy.
    """
    return snapshot(path, folder)[0]


def _unchanged(before: os.stat_result, *later: os.stat_result) -> bool:
    """The same file (inode), size and modification time: nobody wrote it or put another in its place."""
    return all((st.st_ino, st.st_size, st.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
               for st in later)


def snapshot(path: str | os.PathLike, folder: str | os.PathLike, attempts: int = 3) -> tuple[Path, Fingerprint]:
    """:func:`private_copy` plus the fingerprint of exactly the bytes copied.

    If the file changes while it is being copied (another program writing it where it lies,
    another office's file put in its place), the copy is taken again a moment later; a file
    that changes during every attempt is refused (``BUSY``: wait and try again), never copied
    as a mix of two versions.
    """
    source = Path(path)
    _check_header(source)
    target = Path(folder) / "snapshot.db"
    for attempt in range(attempts):
        if attempt:
            time.sleep(0.2 * attempt)  # let a writer finish
        try:
            before = os.stat(source)
            digest = copy_hashed(source, target)
            sidecars.copy_along(source, target)
            after = os.stat(source)
            with open(target, "rb") as copied, open(source, "rb") as now:
                same_header = copied.read(100) == now.read(100)  # SQLite counts every commit there
        except FileNotFoundError as exc:
            raise DocumentError("NOTFOUND", str(exc), str(source)) from exc
        except OSError as exc:
            raise translate(exc, str(source)) from exc
        if _unchanged(before, after) and same_header:
            played = bool(sidecars.present(target))
            sidecars.settle(target, str(source))
            return target, Fingerprint(after.st_size, after.st_mtime_ns, digest, played)
    raise DocumentError("BUSY", f"changed while copied, {attempts} times", str(source))


# sha256 of files read in place whose every row passed the check but whose kept results
# disagreed with a fresh evaluation: read_checked's private copy of the same bytes (same
# sha256) is then not checked a second time (~12 s for 8,000 organizations).
_DISAGREEING: set[str] = set()


def _only_tables(conn: sqlite3.Connection) -> bool:
    """No view, trigger or virtual table: nothing that makes a read run what the file chose (a
    view that never ends), so a read before the check that refuses them ends."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('view', 'trigger') "
                        "OR sql LIKE 'CREATE VIRTUAL%' LIMIT 1").fetchone() is None


def _read_in_place(path: str | os.PathLike, ahead: Callable[[sqlite3.Connection], T] | None = None,
                   results: bool = True) -> tuple[sqlite3.Connection, T | None] | None:
    """A checked connection that can only read ``path`` itself (SQLite ``mode=ro``), inside
    one read transaction; None when only a private copy will do: a ``-journal`` or ``-wal``
    beside it (SQLite would have to write to read it), a WAL-mode file, a file of an older
    version (migrated on the copy), results that disagree with the scores, or a file that
    changed while it was read. A command then reads the 300 MB once (the hash) instead of
    three times (copy, hash, hash again).

    ``ahead(conn)`` is read while the file is hashed in another thread (hashing lets Python
    run): its value comes back with the connection only once the check has passed, and is
    thrown away (None) if reading it failed; nothing read leaves here before the check.

    The sha256 noted as checked (:mod:`checked_files`) is of the bytes the check read: hashed
    through our own handle on the very file SQLite opened, under its read lock, and noted only
    when the file is found unchanged after the check."""
    source = Path(path)
    _check_header(source)
    if sidecars.present(source):
        return None
    try:
        fh = source.open("rb")  # the bytes hashed are read through this, from the file SQLite reads
    except OSError as exc:
        raise translate(exc, str(source)) from exc
    with fh:
        try:
            before = os.fstat(fh.fileno())
            header = fh.read(64)
        except OSError as exc:
            raise translate(exc, str(source)) from exc
        if header[18:20] != b"\x01\x01":  # not a rollback-journal file
            return None
        if int.from_bytes(header[60:64], "big") != SCHEMA_VERSION:  # user_version: an older file is
            return None  # upgraded in a copy, so hashing it here first would read it twice
        conn = connect(source, readonly=True, label=str(path))
        try:
            with ThreadPoolExecutor(1) as pool:
                try:
                    conn.execute("BEGIN")  # one consistent view: a writer waits until we are done
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                except sqlite3.Error as exc:
                    raise translate(exc, str(path)) from exc
                # Hashed only now, under SQLite's read lock, and only if the name still leads to the
                # file we hold: then SQLite opened that very file, and no SQLite writer changes it.
                if not _unchanged(before, os.stat(source)):
                    conn.close()
                    return None
                hashing = pool.submit(_fd_sha256, fh.fileno())
                early = None
                if ahead is not None and version == SCHEMA_VERSION and _only_tables(conn):
                    try:
                        early = ahead(conn)
                    except Exception:  # noqa: BLE001 - not checked yet: the check below says why
                        early = None
                digest = hashing.result()
            if version != SCHEMA_VERSION:
                conn.close()
                return None
            # The sha256 only skips a check already noted; these bytes are noted below, once they
            # are known to be the bytes the check read (checked_files).
            noted = digest if checked_files.is_checked(digest) else None
            info = check_connection(conn, str(path), noted, results)
            changed = not _unchanged(before, os.fstat(fh.fileno()), os.stat(source))
            if not info.results_ok or changed:
                conn.close()  # changed while read (another program writing it in place, a
                if not changed:  # file put in its place): read through a private copy instead;
                    _DISAGREEING.add(digest)  # only results wrong: the copy is not checked again
                return None
            if noted is None and results:
                checked_files.remember(digest)
            conn.execute("PRAGMA query_only = ON")
        except OSError as exc:
            conn.close()
            raise translate(exc, str(path)) from exc
        except BaseException:
            conn.close()
            raise
    return conn, early


@contextlib.contextmanager
def read_checked(path: str | os.PathLike, ahead: Callable[[sqlite3.Connection], T] | None = None,
                 results: bool = True):
    """(connection, ``ahead(connection)`` or None): a checked connection that only reads; the
    file is never written. Read in place when that is safe (:func:`_read_in_place`), else
    through a private copy; the copy of a file of an older version is migrated, so every
    reader sees today's columns."""
    found = _read_in_place(path, ahead, results)
    if found is not None:
        try:
            yield found
        finally:
            found[0].close()
        return
    from itadesk.db import upgraded_copies  # noqa: PLC0415 - it imports this module

    with private_folder("read") as folder:
        if upgraded_copies.take(path, Path(folder) / "upgraded.db") is not None:  # not migrated again
            conn = connect(Path(folder) / "upgraded.db", label=str(path))
            try:
                conn.execute("PRAGMA query_only = ON")
                yield conn, None
            finally:
                conn.close()
            return
        copy, fp = snapshot(path, folder)
        conn = connect(copy, label=str(path))
        try:
            if fp.content_sha256 is not None and fp.content_sha256 in _DISAGREEING:
                # The same bytes were just checked in place: every row passed, the results did not.
                _DISAGREEING.discard(fp.content_sha256)
                info = FileCheck(SCHEMA_VERSION, False, results_ok=False)
            else:
                info = check_connection(conn, str(path), fp.content_sha256, results)
            if info.needs_migration:
                migrate(conn, info.schema_version)
                upgraded_copies.keep(copy, fp.content_sha256)
            if not info.results_ok:
                forget_results(conn)  # the private copy: its scores are evaluated instead
            conn.execute("PRAGMA query_only = ON")
            yield conn, None
        finally:
            conn.close()


@contextlib.contextmanager
def read_snapshot(path: str | os.PathLike, results: bool = True):
    """A checked connection that only reads (:func:`read_checked`); the file is never written.
    ``results=False``: its kept results will not be read (:func:`check_connection`)."""
    with read_checked(path, results=results) as (conn, _):
        yield conn


def working_copy_from_snapshot(copy: Path, destination: Path, label: str, sha256: str | None = None,
                               defer: bool = False) -> FileCheck:
    """Check a private copy and make it ``destination``, migrated: moved there when both are on
    one disk (the copy is already the file's bytes; writing 300 MB again with the backup API
    took a third of opening a province's file), else written with the backup API.
    ``sha256``: of the copy, when the copy was hashed as it was made. ``defer``: see
    :func:`check_connection` (the caller runs :func:`check_content` on ``destination``)."""
    conn = connect(copy, label=label)
    try:
        info = check_connection(conn, label, sha256 or sha256_file(copy), defer=defer)
        if destination.exists():
            destination.unlink()
        moved = False
        if not sidecars.present(copy):
            conn.close()
            try:
                os.replace(copy, destination)
                moved = True
            except OSError:
                conn = connect(copy, label=label)
        dest = connect(destination)
        try:
            if not moved:
                conn.backup(dest)
            if info.needs_migration:
                migrate(dest, info.schema_version)
            if not info.results_ok:
                forget_results(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise translate(exc, label) from exc
    finally:
        conn.close()
    return info


def checked_working_copy(path: str | os.PathLike, destination: str | os.PathLike) -> Path:
    """A checked, migrated, writable copy of ``path`` at ``destination`` (made with the backup API)."""
    destination = Path(destination)
    with private_folder("open") as folder:
        copy, fp = snapshot(path, folder)
        working_copy_from_snapshot(copy, destination, str(path), fp.content_sha256)
    return destination


def new_document(path: str | os.PathLike) -> Path:
    path = Path(path)
    conn = connect(path)
    try:
        create_schema(conn)
    finally:
        conn.close()
    return path


# Kinds of temp files a save makes beside the target (see itadesk.db.tempfiles).
SAVE_TEMPS = ("saving", "bak-saving", "settling")


def bak_path(target: str | os.PathLike) -> Path:
    """``NAME.bak``: the previous version, kept by every save (shortened for a very long name)."""
    return beside(target, suffix=".bak")


def _check_saved(path: Path, target: Path) -> None:
    check = connect(path, readonly=True, label=str(target))
    try:
        ok = check.execute("PRAGMA quick_check").fetchall()
        app_id = check.execute("PRAGMA application_id").fetchone()[0]
    finally:
        check.close()
    if [tuple(r) for r in ok] != [("ok",)] or app_id != APPLICATION_ID:
        raise DocumentError("IOERR", f"check of saved copy: {ok[:3]} app_id={app_id:#x}", str(target))


def _fd_sha256(fd: int) -> str:
    h = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    for block in iter(lambda: os.read(fd, 1 << 20), b""):
        h.update(block)
    return h.hexdigest()


def _translate_save_error(exc: BaseException, target: Path) -> DocumentError:
    if not target.parent.exists():  # the stick (or the network share) went away mid-save
        return DocumentError("CANTOPEN", f"{type(exc).__name__}: {exc}", str(target))
    error = translate(exc, str(target))
    if error.kind == "CANTOPEN" and not os.access(target.parent, os.W_OK):
        return DocumentError("READONLY", error.detail, str(target))
    return error


# -- the steps of a save, in order (each a function, so that the crash harness and the
# media tests can stop or fail a save between two of them by wrapping them in their own
# process; see tests/db/save_steps.py)

def _save_begin(source: sqlite3.Connection, target: Path) -> None:
    from itadesk.db.versions import record_versions  # noqa: PLC0415 - versions needs schema only

    remove_leftovers(target, *SAVE_TEMPS)
    record_versions(source)
    refresh_results(source)  # every file on a stick holds its results, up to date


def _save_vacuum(source: sqlite3.Connection, target: Path, folder: Path) -> tuple[Path, str]:
    """VACUUM INTO a private local folder, checked there: (the copy, its sha256)."""
    local = folder / "saved.db"
    source.execute("VACUUM INTO ?", (str(local),))
    _check_saved(local, target)
    digest = sha256_file(local)
    checked_files.remember(digest)  # written from checked content, by the same rules
    return local, digest


def _save_write_temp(local: Path, target: Path, temps: list[Path]) -> int:
    """The copy into a temp file made exclusively beside the target, fsynced; its open fd."""
    tmp, fd = create_beside(target, "saving")
    temps.append(tmp)
    try:
        copy_into(local, fd)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _save_check_temp(fd: int, digest: str, target: Path) -> None:
    if _fd_sha256(fd) != digest:
        raise DocumentError("IOERR", "the temp file reads back differently", str(target))


def _save_settle(target: Path) -> None:
    sidecars.clear(target)


def _save_bak_copy(target: Path, temps: list[Path]) -> Path:
    tmp_bak, fd = create_beside(target, "bak-saving")
    temps.append(tmp_bak)
    try:
        copy_into(target, fd)
        os.fsync(fd)
    finally:
        os.close(fd)
    return tmp_bak


# Windows will not replace a file another program holds open (another ITA Desk reading it in
# place, a virus scanner, an indexer): access denied (5), a sharing or lock violation (32, 33).
HELD_OPEN = (5, 32, 33)
HOLD_PATIENCE = 3.0  # seconds a save waits for such a program to let go


def _replace_patiently(source: Path, target: Path) -> None:
    """``os.replace``, which on Windows waits a moment for a program holding ``target`` open;
    if it holds on, ``BUSY`` (wait, then save again): nothing was replaced, nothing is lost."""
    deadline = time.monotonic() + HOLD_PATIENCE
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            held = getattr(exc, "winerror", None) in HELD_OPEN
            if not held or (exc.winerror == 5 and target.exists() and not os.access(target, os.W_OK)):
                raise  # not held open (a file with the read-only attribute): READONLY as before
            if time.monotonic() >= deadline:
                raise DocumentError("BUSY", f"{type(exc).__name__}: {exc}", str(target)) from exc
            time.sleep(0.1)


def _save_bak_replace(tmp_bak: Path, target: Path, temps: list[Path]) -> None:
    bak = bak_path(target)
    sidecars.drop(bak)  # the old .bak goes anyway; a journal must not meet the new one
    _replace_patiently(tmp_bak, bak)
    temps.remove(tmp_bak)


def _save_replace(tmp: Path, target: Path, temps: list[Path]) -> None:
    _replace_patiently(tmp, target)
    temps.remove(tmp)


def _save_dirsync(folder: Path) -> None:
    fsync_dir(folder)


def save_copy(source: sqlite3.Connection, target: str | os.PathLike,
              before_replace: Callable[[str], None] | None = None) -> Fingerprint:
    """Replace ``target`` with the content of ``source``, atomically, keeping ``target.bak``.

    Steps: VACUUM INTO a private local folder and ``quick_check`` it there; copy it into a
    temp file created exclusively beside the target, fsync it and read it back; clear
    any foreign ``-journal`` / ``-wal`` beside the target (:func:`sidecars.clear`, content
    kept); copy the old target to a temp file, fsync and rename it to ``.bak``; then
    ``os.replace`` the target and fsync the folder. SQLite never opens a file beside the
    target, so a link planted there is never followed. A failure or a kill at any step
    leaves the target as it was (or, after the last rename, as it should be), never a mix.
    Returns the fingerprint of the file now on the stick. ``before_replace`` is told the
    sha256 of the new file just before it replaces the target (so a recovery note can later
    tell whether a killed save got through).
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise DocumentError("CANTOPEN", f"folder missing: {folder}", str(target))
    temps: list[Path] = []  # ours until renamed; removed whatever happens
    try:
        _save_begin(source, target)
        with private_folder("save") as local_folder:
            local, digest = _save_vacuum(source, target, local_folder)
            fd = _save_write_temp(local, target, temps)
            try:
                _save_check_temp(fd, digest, target)
            finally:
                os.close(fd)
        tmp = temps[0]
        _save_settle(target)
        if before_replace is not None:
            before_replace(digest)
        if target.exists():
            tmp_bak = _save_bak_copy(target, temps)
            _save_bak_replace(tmp_bak, target, temps)
        _save_replace(tmp, target, temps)
        _save_dirsync(folder)
        st = os.stat(target)
        return Fingerprint(st.st_size, st.st_mtime_ns, digest)
    except DocumentError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise _translate_save_error(exc, target) from exc
    finally:
        for leftover in temps:
            unlink_quietly(leftover)


@contextlib.contextmanager
def atomic_update(path: str | os.PathLike, create: bool = False):
    """Edit ``path`` the safe way: work on a checked copy, then replace the target atomically.

    A process killed halfway leaves the target as it was and no hot journal beside it.
    The target is locked meanwhile like an open document (a program that has it open
    makes this raise :class:`itadesk.db.lock.LockedError`). When the block changed nothing
    (a merge with nothing new), the target is not rewritten at all.
    """
    from itadesk.db.lock import TargetLock  # noqa: PLC0415 - lock imports errors only
    from itadesk.db.versions import record_versions  # noqa: PLC0415

    path = Path(path)
    with contextlib.ExitStack() as stack:  # releases the lock, the folder and the connection
        if path.parent.is_dir():
            lock = TargetLock(path)
            try:
                lock.acquire()
                stack.callback(lock.release)
            except OSError:
                pass  # read-only or full stick: the write below fails with its own clear message
        work = stack.enter_context(private_folder("edit")) / "work.db"
        if path.exists():
            checked_working_copy(path, work)
        elif create:
            new_document(work)
        else:
            raise DocumentError("NOTFOUND", "", str(path))
        conn = connect(work, label=str(path))
        stack.callback(conn.close)
        # The copy is private and thrown away if the command dies; what reaches the target is
        # written by save_copy (VACUUM INTO, fsync, check, replace). Waiting for the disk at each
        # of an import's commits only made a 400-organization import spend 90 % of its time in fsync.
        conn.execute("PRAGMA synchronous = OFF")
        # The versions as they were before this command, so a later merge knows
        # that what the command replaced is history, not a rival edit.
        record_versions(conn)
        track_results(conn)  # a merge or an import into a large file re-evaluates only what it changed
        baseline = conn.total_changes
        yield conn
        if conn.total_changes != baseline or not path.exists():
            save_copy(conn, path)
