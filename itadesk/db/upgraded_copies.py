"""Files of an older version, upgraded once: the upgraded copy is kept for the next opening.

A file written by an earlier release is upgraded (migrated) in the working copy when opened;
the file on the stick stays as it was until the officer saves. A province's file took 4.6 CPU
seconds to migrate (and ~16 s wall on a slow disk), at every opening until saved. The checked,
upgraded copy is kept beside the working copies, named by the sha256 of the original's bytes,
this program's rules (:func:`itadesk.db.checked_files.rules_stamp`) and its migrations; an
opening of the same bytes copies it instead of migrating again. A file changed by one byte, or a new program version,
misses and is checked and migrated as before. Only the last :data:`KEEP` are kept (they are
as large as the files).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from itadesk.db import checked_files, schema, sidecars
from itadesk.db.errors import translate
from itadesk.db.files import FileCheck, Fingerprint, connect, sha256_file

KEEP = 2
# A temp copy untouched this long was left by a program stopped while it copied (not one copying now).
LEFT_AFTER_S = 3600


def _folder() -> Path:
    """Beside the working copies: on this computer's disk, also for a portable program on a
    stick (whose data folder is the stick: hundreds of MB written there at each upgrade)."""
    from itadesk.db.datadir import working_dir  # noqa: PLC0415

    return working_dir().parent / "upgraded"


_STAMP: list[str] = []


def _entry(sha256: str) -> Path:
    """Named by the checking rules and the migrations themselves (a migration changed while the
    version number stayed does not inherit an old upgrade)."""
    if not _STAMP:
        h = hashlib.sha256(checked_files.rules_stamp().encode())
        with contextlib.suppress(OSError, TypeError):
            h.update(Path(schema.__file__).read_bytes())
        _STAMP.append(h.hexdigest()[:16])
    return _folder() / f"{_STAMP[0]}-{sha256}.db"


def older_version(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a rollback-journal file of an older version with nothing beside it
    (what can be matched with a kept upgrade by its bytes alone); from its header only."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(64)
    except OSError:
        return False
    version = int.from_bytes(header[60:64], "big")
    return (len(header) == 64 and header[18:20] == b"\x01\x01" and 0 < version < schema.SCHEMA_VERSION
            and not sidecars.present(path))


def _whole(kept: Path) -> bool:
    """Whether a kept upgrade is a whole file of today's version, by its header: ours, this
    schema version, and as long as SQLite says it is. A copy cut short would make the officer's
    intact file look damaged, at every opening."""
    with open(kept, "rb") as fh:
        header = fh.read(100)
        size = os.fstat(fh.fileno()).st_size
    if len(header) < 100 or header[:16] != b"SQLite format 3\x00" or header[24:28] != header[92:96]:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return (int.from_bytes(header[60:64], "big") == schema.SCHEMA_VERSION
            and int.from_bytes(header[68:72], "big") == schema.APPLICATION_ID
            and size == int.from_bytes(header[28:32], "big") * page_size > 0)


def take(path: str | os.PathLike, destination: str | os.PathLike) -> tuple[FileCheck, Fingerprint] | None:
    """Put the kept upgrade of ``path``'s bytes at ``destination``: (its check, the fingerprint of
    the original as read); None when there is none (or ``path`` changed while it was hashed)."""
    if not older_version(path):
        return None
    try:
        before = os.stat(path)
        digest = sha256_file(path)
        after = os.stat(path)
        kept = _entry(digest)
        if (before.st_ino, before.st_size, before.st_mtime_ns) != (after.st_ino, after.st_size, after.st_mtime_ns) \
                or not kept.is_file():
            return None
        if not _whole(kept):  # cut short (switched off while written): upgraded afresh, kept again
            kept.unlink()
            return None
        shutil.copyfile(kept, destination)
        os.utime(kept)  # the last used goes last
    except OSError:
        return None
    return FileCheck(schema.SCHEMA_VERSION, False), Fingerprint(after.st_size, after.st_mtime_ns, digest)


def keep(upgraded: str | os.PathLike, original_sha256: str | None, label: str | None = None) -> None:
    """Keep a copy of ``upgraded`` (a working copy just checked and migrated, in rollback-journal
    mode, not yet written by the window) for the next opening of the same original bytes.
    ``label`` (the officer's file): first evaluate and keep every result in ``upgraded``
    (:func:`itadesk.db.results.refresh_results`, not an edit; an older file has none), so
    that this opening and the next read the overview's results instead of evaluating them.
    Never fails: a full or read-only data folder only costs the next opening its migration."""
    if label is not None:
        from itadesk.db.results import refresh_results  # noqa: PLC0415

        conn = connect(upgraded, label=label)
        try:
            refresh_results(conn)
        except sqlite3.Error as exc:
            raise translate(exc, label) from exc
        finally:
            conn.close()
    if original_sha256 is None:
        return
    target = _entry(original_sha256)
    temp = target.with_suffix(f".{os.getpid()}.db-tmp")  # two programs keeping it never share one
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(upgraded, temp)
        os.replace(temp, target)
        kept = sorted(target.parent.glob("*.db"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEEP]:
            os.unlink(old)
    with contextlib.suppress(OSError):
        temp.unlink()
    for left in target.parent.glob("*.db-tmp"):  # a program stopped while copying (each as large as a file)
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < time.time() - LEFT_AFTER_S:
                left.unlink()
