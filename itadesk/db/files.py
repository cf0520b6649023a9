"""Opening, checking and atomically replacing document files.

A file may come from anywhere (another office, a damaged stick, a crafted attachment),
so it is never opened for writing in place: it is copied byte for byte to a private
folder, checked there, and only a checked copy is ever written. Replacing a target is
temp-file + fsync + ``quick_check`` + ``os.replace``, so at no instant is there no good copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from itadesk.db.errors import DocumentError, translate
from itadesk.db.schema import APPLICATION_ID, EXPECTED_TABLES, SCHEMA_VERSION, create_schema, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
# No cell of ours comes near this; a crafted file with a giant cell is refused, not loaded.
MAX_CELL_BYTES = 4 * 1024 * 1024


def connect(path: str | os.PathLike, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas every document needs (rollback journal, full sync, distrust)."""
    uri = Path(path).resolve().as_uri() + ("?mode=ro" if readonly else "")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=2.0, check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate(exc, str(path)) from exc
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
        raise translate(exc, str(path)) from exc
    return conn


def fsync_file(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str | os.PathLike) -> None:
    """Make a rename durable on POSIX; Windows has no directory handles to flush."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class FileCheck:
    schema_version: int
    needs_migration: bool


def check_connection(conn: sqlite3.Connection, path: str = "") -> FileCheck:
    """Refuse a file that is not ours, newer, damaged or crafted. Reads only."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        objects = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    if app_id != APPLICATION_ID:
        raise DocumentError("FOREIGN", f"application_id={app_id:#x}", path)
    if version > SCHEMA_VERSION:
        raise DocumentError("NEWER", f"user_version={version} > {SCHEMA_VERSION}", path)
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    if [tuple(r) for r in result] != [("ok",)]:
        raise DocumentError("CORRUPT", "; ".join(str(r[0]) for r in result[:5]), path)
    kinds = {t for t, _ in objects}
    if kinds - {"table", "index"}:
        raise DocumentError("CRAFTED", f"objects: {sorted(kinds - {'table', 'index'})}", path)
    tables = {n for t, n in objects if t == "table"}
    if not tables <= EXPECTED_TABLES:
        raise DocumentError("CRAFTED", f"unknown tables: {sorted(tables - EXPECTED_TABLES)}", path)
    try:
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if not cols:
                continue
            biggest = " , ".join(f'MAX(LENGTH(CAST("{c}" AS BLOB)))' for c in cols)
            row = conn.execute(f'SELECT MAX({biggest}) FROM "{table}"' if len(cols) > 1 else f'SELECT {biggest} FROM "{table}"').fetchone()
            if row and row[0] is not None and row[0] > MAX_CELL_BYTES:
                raise DocumentError("TOOBIG", f"{table}: {row[0]} bytes", path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    return FileCheck(version, version < SCHEMA_VERSION)


def _check_header(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise DocumentError("NOTFOUND", str(exc), str(path)) from exc
    except OSError as exc:
        raise translate(exc, str(path)) from exc
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


def private_copy(path: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """Copy a file (and its hot journal, if any) byte for byte, checking it on the way.

    The original is opened only for reading; what SQLite does next happens to the copy.
    """
    source = Path(path)
    _check_header(source)
    target = Path(folder) / "snapshot.db"
    try:
        shutil.copyfile(source, target)
        journal = source.with_name(source.name + "-journal")
        if journal.exists() and journal.stat().st_size > 0:
            shutil.copyfile(journal, target.with_name(target.name + "-journal"))
    except OSError as exc:
        raise translate(exc, str(source)) from exc
    return target


@contextlib.contextmanager
def read_snapshot(path: str | os.PathLike):
    """A checked, read-only connection on a private copy of ``path``; the file is never touched."""
    with tempfile.TemporaryDirectory(prefix="itadesk-read-") as folder:
        copy = private_copy(path, folder)
        conn = connect(copy)
        try:
            check_connection(conn, str(path))
            conn.execute("PRAGMA query_only = ON")
            yield conn
        finally:
            conn.close()


def checked_working_copy(path: str | os.PathLike, destination: str | os.PathLike) -> Path:
    """A checked, migrated, writable copy of ``path`` at ``destination`` (made with the backup API)."""
    destination = Path(destination)
    with tempfile.TemporaryDirectory(prefix="itadesk-open-") as folder:
        copy = private_copy(path, folder)
        conn = connect(copy)
        try:
            info = check_connection(conn, str(path))
            if destination.exists():
                destination.unlink()
            dest = connect(destination)
            try:
                conn.backup(dest)
                if info.needs_migration:
                    migrate(dest, info.schema_version)
            finally:
                dest.close()
        except sqlite3.Error as exc:
            raise translate(exc, str(path)) from exc
        finally:
            conn.close()
    return destination


def new_document(path: str | os.PathLike) -> Path:
    path = Path(path)
    conn = connect(path)
    try:
        create_schema(conn)
    finally:
        conn.close()
    return path


def write_checked_copy(source: sqlite3.Connection, target: str | os.PathLike) -> None:
    """Replace ``target`` with the content of ``source``, atomically, keeping ``target.bak``.

    Steps: VACUUM INTO a temp file beside the target, fsync it, ``quick_check`` it, hard-link
    or copy the old target to ``.bak``, then ``os.replace``. A failure at any step leaves the
    target as it was.
    """
    target = Path(target)
    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".saving", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        source.execute("VACUUM INTO ?", (str(tmp),))
        fsync_file(tmp)
        check = connect(tmp, readonly=True)
        try:
            ok = check.execute("PRAGMA quick_check").fetchall()
        finally:
            check.close()
        if [tuple(r) for r in ok] != [("ok",)]:
            raise DocumentError("IOERR", f"quick_check of saved copy: {ok[:3]}", str(target))
        if target.exists():
            backup = target.with_name(target.name + ".bak")
            tmp_bak = target.with_name(f".{target.name}.bak-saving")
            shutil.copyfile(target, tmp_bak)
            fsync_file(tmp_bak)
            os.replace(tmp_bak, backup)
        os.replace(tmp, target)
        fsync_dir(folder)
    except (sqlite3.Error, OSError) as exc:
        raise translate(exc, str(target)) from exc
    finally:
        for leftover in (tmp, target.with_name(f".{target.name}.bak-saving")):
            with contextlib.suppress(OSError):
                if leftover.exists():
                    leftover.unlink()


@contextlib.contextmanager
def atomic_update(path: str | os.PathLike, create: bool = False):
    """Edit ``path`` the safe way: work on a checked copy, then replace the target atomically.

    A process killed halfway leaves the target as it was and no hot journal beside it.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="itadesk-edit-") as folder:
        work = Path(folder) / "work.db"
        if path.exists():
            checked_working_copy(path, work)
        elif create:
            new_document(work)
        else:
            raise DocumentError("NOTFOUND", "", str(path))
        conn = connect(work)
        try:
            yield conn
            write_checked_copy(conn, path)
        finally:
            conn.close()
