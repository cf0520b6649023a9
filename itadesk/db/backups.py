"""Rotating backups: the last N saved versions of each document, in the local data folder.

The ``.bak`` beside the target protects against a bad save; these protect against a bad
*edit* that was saved (a wrong import, a deleted year): the officer can go back to how the
file was at any of its last saves, on this computer, even if the stick is lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from itadesk.db.datadir import backups_dir
from itadesk.db.errors import translate
from itadesk.db.files import fsync_file
from itadesk.ita.thai_dates import format_thai_date

KEEP = 10
_NAME = re.compile(r"^(\d{8}T\d{12}Z)\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    document_id: str
    saved_at: datetime  # UTC
    target: str  # where the document was saved to at that time
    edit_count: int

    @property
    def local_time_text(self) -> str:
        t = self.saved_at.astimezone()
        # With seconds, unlike format_thai_datetime: two saves in one minute must differ in the list.
        return f"{format_thai_date(t.date(), short=True)} {t:%H:%M:%S} น."


def _folder(document_id: str) -> Path:
    safe = re.sub(r"[^0-9A-Za-z-]", "", document_id) or "unknown"
    folder = backups_dir() / safe
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def add_backup(conn: sqlite3.Connection, document_id: str, target: str, edit_count: int, keep: int = KEEP) -> BackupInfo:
    """Write the current content of ``conn`` as a new backup and drop the oldest beyond ``keep``."""
    folder = _folder(document_id)
    stamp = datetime.now(timezone.utc)
    name = stamp.strftime("%Y%m%dT%H%M%S%f") + "Z"
    path = folder / f"{name}.db"
    while path.exists():  # two saves in the same microsecond
        stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
        name = stamp.strftime("%Y%m%dT%H%M%S%f") + "Z"
        path = folder / f"{name}.db"
    tmp = folder / f".{name}.partial"
    try:
        conn.execute("VACUUM INTO ?", (str(tmp),))
        fsync_file(tmp)
        meta = {"target": target, "edit_count": edit_count, "saved_at": stamp.isoformat()}
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise translate(exc, str(path)) from exc
    prune(document_id, keep)
    return BackupInfo(path, document_id, stamp, target, edit_count)


def list_backups(document_id: str) -> list[BackupInfo]:
    """Newest first."""
    folder = _folder(document_id)
    out = []
    for path in folder.glob("*.db"):
        m = _NAME.match(path.name)
        if not m:
            continue
        saved_at = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
        target, edits = "", 0
        with contextlib.suppress(OSError, ValueError, TypeError):
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            target, edits = str(meta.get("target", "")), int(meta.get("edit_count", 0))
        out.append(BackupInfo(path, document_id, saved_at, target, edits))
    out.sort(key=lambda b: b.saved_at, reverse=True)
    return out


def prune(document_id: str, keep: int = KEEP) -> None:
    for old in list_backups(document_id)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
        with contextlib.suppress(OSError):
            old.path.with_suffix(".json").unlink()
