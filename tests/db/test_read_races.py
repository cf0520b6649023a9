"""A file changed by someone else while we read it: what is noted as checked, and what is copied.

Both run on real files, changed by a real second process while our reader is at work:
* the note "these bytes were checked" (itadesk.db.checked_files) must only ever name the bytes
  the check read; a note for other bytes would let them in later unchecked;
* a private copy (files.snapshot) of a file that changes at every attempt is refused with
  one Thai sentence, never a mix of two versions.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from itadesk.db import checked_files
from itadesk.db.document import Document
from itadesk.db.errors import DocumentError
from itadesk.db.files import read_checked, snapshot
from itadesk.db.tempfiles import private_folder

from .conftest import run_python
from .samples import make_good_file

WRITE_IN_PLACE = """
import sys
from pathlib import Path
with open(sys.argv[1], "r+b") as fh:  # another program writing the file where it lies
    fh.write(Path(sys.argv[2]).read_bytes())
"""


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def thai(text: str) -> bool:
    return any("\u0e01" <= ch <= "\u0e5b" for ch in text)


def test_bytes_changed_in_place_while_read_are_never_noted_as_checked(stick):
    """Another office's good file written over a bad one while the bad one is being read: the
    check reads the good bytes, so the bad bytes must not be noted as checked (they were, and
    the next reading of the bad file skipped every check)."""
    good = make_good_file(stick / "good.db")
    bad = stick / "bad.db"
    shutil.copyfile(good, bad)
    conn = sqlite3.connect(bad, isolation_level=None)
    conn.execute("UPDATE actions SET start_date = '1/10/2568' WHERE position = 0")  # a row we refuse
    conn.close()
    assert bad.stat().st_size == good.stat().st_size  # written in place, page for page
    target = stick / "ita.db"
    shutil.copyfile(bad, target)
    written = []

    def meanwhile(conn):  # read while the file is hashed: the other program writes now
        time.sleep(0.3)
        writer = run_python(WRITE_IN_PLACE, str(target), str(good))
        assert writer.wait(timeout=60) == 0, writer.stderr.read()
        written.append(True)

    with read_checked(target, meanwhile) as (conn, _):
        conn.execute("SELECT count(*) FROM organizations").fetchone()
    assert written and sha(target) == sha(good)
    assert not checked_files.is_checked(sha(bad))

    shutil.copyfile(bad, target)  # the bad file itself comes back: it is checked, and refused
    with pytest.raises(DocumentError) as refused:
        with read_checked(target):
            pass
    assert refused.value.kind == "INVALID" and thai(str(refused.value))


def test_a_file_read_whole_and_unchanged_is_noted_as_checked(stick):
    """The note still works: a file read in place, unchanged, is not checked twice."""
    target = make_good_file(stick / "ita.db")
    with read_checked(target) as (conn, _):
        conn.execute("SELECT count(*) FROM organizations").fetchone()
    assert checked_files.is_checked(sha(target))


REWRITE_FOREVER = """
import os, sys
from pathlib import Path
versions = [Path(p).read_bytes() for p in sys.argv[2:4]]
fd = os.open(sys.argv[1], os.O_WRONLY)
os.pwrite(fd, versions[1], 0)
Path(sys.argv[4]).touch()
i = 0
while True:  # a program that keeps rewriting the file in place, a whole version per write
    os.pwrite(fd, versions[i % 2], 0)
    i += 1
"""


def test_a_file_that_keeps_changing_is_refused_not_copied_as_a_mix(stick, tmp_path):
    size = 16 * 1024 * 1024
    versions = []
    for letter in b"AB":
        path = tmp_path / f"version-{chr(letter)}.db"
        path.write_bytes(b"SQLite format 3\x00" + bytes([letter]) * (size - 16))
        versions.append(path)
    target = stick / "ita.db"
    shutil.copyfile(versions[0], target)
    started = tmp_path / "started"
    writer = run_python(REWRITE_FOREVER, str(target), str(versions[0]), str(versions[1]), str(started))
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert writer.poll() is None and time.monotonic() < deadline, writer.stderr.read()
            time.sleep(0.05)
        with private_folder("read") as folder:
            try:
                copy, fp = snapshot(target, folder)
            except DocumentError as exc:
                assert exc.kind == "BUSY" and thai(str(exc)), (exc.kind, exc.detail)
            else:  # a quiet moment: then the copy is one whole version, and so is its note
                data = copy.read_bytes()
                assert hashlib.sha256(data).hexdigest() in {sha(v) for v in versions}, "a mix of two versions"
                assert fp.sha256 == hashlib.sha256(data).hexdigest()
        with pytest.raises(DocumentError) as opening:  # the window's open: one Thai sentence, no lock left
            Document.open(target)
        assert thai(str(opening.value)) and sorted(p.name for p in stick.iterdir()) == ["ita.db"]
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
        writer.stderr.close()
