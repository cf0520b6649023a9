"""SQLite's files beside a database (``-journal``, ``-wal``, ``-shm``): read with it, cleared before we write.

A program that died while writing leaves a hot ``-journal``: the file's real content is
its rolled-back state. A file left in WAL mode keeps its last committed edits in ``-wal``:
they are part of the content. So a file is always read *with* these (copied together to a
private folder, where SQLite rolls back or checkpoints), never without.

Whatever we write must never sit beside a sidecar that does not belong to it: the next
open would play the old journal (or WAL) into the new file and ruin it. Before a file
is replaced, :func:`clear` first writes the file's own content *as read with its
sidecars* in its place (reading that with the old sidecar still beside it gives the same
content again: a rollback journal holds the original pages, a WAL the newest ones, so
playing them twice changes nothing), then removes the sidecars. A crash at any point
leaves a file whose content is what it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from itadesk.db.errors import translate
from itadesk.db.tempfiles import copy_into, fsync_dir, private_folder, replace_with, unlink_quietly

# The order matters when clearing: the journal is played before the WAL when both exist.
SUFFIXES = ("-journal", "-wal", "-shm")
# Those that carry content (a -shm is only an index SQLite rebuilds from the -wal).
CONTENT = ("-journal", "-wal")


def sidecar(path: str | os.PathLike, suffix: str) -> Path:
    path = Path(path)
    return path.with_name(path.name + suffix)


def present(path: str | os.PathLike, suffixes: tuple[str, ...] = SUFFIXES) -> list[Path]:
    """The sidecars that exist beside ``path`` (a name too long to exist counts as absent)."""
    out = []
    for suffix in suffixes:
        candidate = sidecar(path, suffix)
        try:
            os.lstat(candidate)
        except OSError:
            continue
        out.append(candidate)
    return out


def with_content(path: str | os.PathLike) -> list[Path]:
    """The non-empty ``-journal`` / ``-wal`` beside ``path``: the file is not complete without them."""
    out = []
    for candidate in present(path, CONTENT):
        try:
            if candidate.stat().st_size > 0:
                out.append(candidate)
        except OSError:
            continue
    return out


def copy_along(source: str | os.PathLike, copy: str | os.PathLike) -> None:
    """Copy the content sidecars of ``source`` beside ``copy`` (whose own are removed first)."""
    for suffix in SUFFIXES:
        unlink_quietly(sidecar(copy, suffix))
    for found in with_content(source):
        shutil.copyfile(found, sidecar(copy, found.name[len(Path(source).name):]))


def settle(copy: str | os.PathLike, label: str) -> None:
    """Let SQLite play a private copy's sidecars into it (roll back / checkpoint) and drop them.

    The copy then holds the whole content in the file alone, in rollback-journal mode.
    """
    copy = Path(copy)
    if not present(copy):
        return
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # rolls back a hot journal
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise translate(exc, label) from exc
    for leftover in present(copy):
        leftover.unlink()


def drop(path: str | os.PathLike) -> None:
    """Remove the sidecars of a file that is about to be replaced and whose content goes anyway."""
    for found in present(path):
        found.unlink()


def clear(target: str | os.PathLike) -> bool:
    """Leave ``target`` without sidecars and with the same content (see the module docstring).

    Returns whether there was anything to clear. Raises ``OSError`` or ``DocumentError``
    (a file whose content cannot be read with its sidecars is left exactly as it was).
    """
    target = Path(target)
    found = present(target)
    if not found:
        return False
    if target.exists() and with_content(target):
        with private_folder("settle") as folder:
            copy = Path(folder) / "settled.db"
            shutil.copyfile(target, copy)
            copy_along(target, copy)
            settle(copy, str(target))
            replace_with(target, lambda fd: copy_into(copy, fd), "settling")
    for suffix in SUFFIXES:  # journal first: a WAL left alone is read the same way again
        path = sidecar(target, suffix)
        if path in found:
            path.unlink()
    fsync_dir(target.parent)
    return True
