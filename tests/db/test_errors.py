"""Each failure an officer can meet is provoked for real and becomes one Thai sentence;
anything else is a bug and surfaces unchanged, with its details."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from itadesk.db.errors import MESSAGES, DocumentError, kind_of, translate
from itadesk.db.files import check_connection, connect
from itadesk.db.schema import SCHEMA_VERSION
from itadesk.db.store import Store

from .samples import make_good_file

THAI = range(0x0E00, 0x0E80)


def provoke(tmp_path, kind: str) -> BaseException:
    db = tmp_path / "x.db"
    make_good_file(db)
    try:
        if kind == "BUSY":
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            conn = connect(db)
            conn.execute("PRAGMA busy_timeout = 50")
            Store(conn).set_meta("x", "1")
        elif kind == "LOCKED":
            uri = db.resolve().as_uri() + "?cache=shared"
            a = sqlite3.connect(uri, uri=True, isolation_level=None)
            b = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=0.05)
            a.execute("BEGIN")
            a.execute("INSERT INTO units(uuid, name, updated_at) VALUES ('u', 'n', 't')")
            b.execute("SELECT * FROM units").fetchall()
        elif kind == "READONLY":
            Store(connect(db, readonly=True)).set_meta("x", "1")
        elif kind == "IOERR":
            conn = connect(db)
            (tmp_path / "x.db-journal").mkdir()  # the journal cannot be written
            Store(conn).set_meta("x", "1")
        elif kind == "CORRUPT":
            data = bytearray(db.read_bytes())
            data[4096:8192] = b"\xa5" * 4096
            db.write_bytes(bytes(data))
            check_connection(connect(db), str(db))
        elif kind == "NOTADB":
            db.write_bytes(b"x" * 4096)
            connect(db).execute("SELECT * FROM sqlite_master").fetchall()
        elif kind == "FULL":
            conn = connect(db)
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
            Store(conn).set_meta("x", "ข" * 100_000)
        elif kind == "CANTOPEN":
            connect(tmp_path / "no" / "such" / "folder.db").execute("SELECT 1")
        elif kind == "NEWER":
            raw = sqlite3.connect(db, isolation_level=None)
            raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
            raw.close()
            check_connection(connect(db), str(db))
    except (sqlite3.Error, DocumentError, OSError) as exc:
        return exc
    raise AssertionError(f"{kind} was not provoked")


@pytest.mark.parametrize("kind", ["BUSY", "LOCKED", "READONLY", "IOERR", "CORRUPT", "NOTADB", "FULL", "CANTOPEN", "NEWER"])
def test_named_failure_becomes_one_thai_sentence(tmp_path, kind):
    exc = provoke(tmp_path, kind)
    error = translate(exc, "x.db") if not isinstance(exc, DocumentError) else exc
    assert isinstance(error, DocumentError) and error.kind == kind
    sentence = str(error)
    assert sentence == MESSAGES[kind]
    assert sum(ch in THAI for ch in map(ord, sentence)) > 20, "Thai, and long enough to say what to do"
    assert "\n" not in sentence and error.detail  # one sentence for the officer, details for the log


def test_every_message_is_distinct_and_thai():
    texts = [t for t in MESSAGES.values()]
    assert len(set(texts)) == len(texts)
    assert all(any(ord(ch) in THAI for ch in t) for t in texts)


@pytest.mark.parametrize("exc", [
    sqlite3.OperationalError("no such table: nothing"),
    sqlite3.ProgrammingError("Cannot operate on a closed database."),
    sqlite3.IntegrityError("UNIQUE constraint failed: units.name"),
    OSError(errno.EINVAL, "Invalid argument"),
    ValueError("not an sqlite error at all"),
])
def test_anything_else_is_a_bug_and_is_re_raised_unchanged(exc):
    assert kind_of(exc) is None
    with pytest.raises(type(exc)) as info:
        translate(exc)
    assert info.value is exc


def test_a_bug_inside_a_store_write_is_not_swallowed(tmp_path):
    db = make_good_file(tmp_path / "x.db")
    store = Store(connect(db))
    with pytest.raises(sqlite3.IntegrityError):
        store.set_indicator_score("no-such-assessment", 1, 50.0)  # foreign key: a programming error


def test_os_errors_of_removable_media(tmp_path):
    assert kind_of(OSError(errno.ENOSPC, "No space left on device")) == "FULL"
    assert kind_of(OSError(errno.EROFS, "Read-only file system")) == "READONLY"
    assert kind_of(OSError(errno.EIO, "Input/output error")) == "IOERR"
    assert kind_of(OSError(errno.ENODEV, "No such device")) == "IOERR"
