"""The document the officer opens, edits and saves: a file on a stick, edited through a local copy.

Opening copies the file (after checking it; it may come from anywhere) to a working copy
in the local data folder. Every edit is committed there at once, so a crash or a pulled
stick loses nothing typed. *Save* writes the whole database beside the target and swaps
it in atomically (:func:`itadesk.db.files.save_copy`), keeping ``NAME.bak``; it refuses to
overwrite a file that changed on the stick since it was opened. A lock beside the target
tells other instances and other PCs that the file is in use. A working copy left behind by
a program that died is offered back by :func:`pending_recoveries`.

This module has no Qt: the GUI, the CLI and the tests drive the same object.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import socket
import sqlite3
import threading
import uuid as _uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from itadesk.db import backups as _backups
from itadesk.db import upgraded_copies
from itadesk.db.access import DocumentAccess, checked
from itadesk.db.backups import BackupInfo
from itadesk.db.datadir import data_dir, working_dir
from itadesk.db.errors import READONLY_REASONS, DocumentError, translate
from itadesk.db.content_check import ContentCheck
from itadesk.db.files import (
    Fingerprint,
    check_connection,
    connect,
    fingerprint,
    new_document,
    save_copy,
    snapshot,
    use_as_working_copy,
    working_copy_from_snapshot,
)
from itadesk.db.results import forget_results, track_results
from itadesk.db.lock import LockedError, LockInfo, OwnerLock, TargetLock
from itadesk.db.tempfiles import private_folder, release_on_failure
from itadesk.db.schema import migrate
from itadesk.db.store import Store, now
from itadesk.db.versions import carry_history, record_versions
from itadesk.ita.thai_dates import format_thai_datetime

__all__ = [
    "Document", "ChangedUnderneathError", "LockedError", "LockInfo", "BackupInfo", "RecoveryInfo",
    "MergeReport", "pending_recoveries", "recover", "discard_recovery", "data_dir",
]

UNTITLED = "เอกสารใหม่"
# From this size a file's rows are checked after its first screen (``Document.open``'s
# ``defer_check``): ~100 organizations, whose full check takes a few tenths of a second.
DEFER_CHECK_FROM = 4 * 1024 * 1024


class ChangedUnderneathError(DocumentError):
    """The file on the stick is not what we opened: another office saved it meanwhile.

    The GUI offers: merge it in (:meth:`Document.merge_from` on ``target``, then save),
    save as a new file, or cancel. ``save(force=True)`` overwrites it (keeping ``.bak``).
    """

    def __init__(self, target: Path, expected: Fingerprint | None, current: Fingerprint | None):
        self.expected = expected
        self.current = current
        super().__init__("CHANGED", f"expected={expected} current={current}", str(target))


# -- the note beside each working copy ----------------------------------------------

def _paths(token: str) -> tuple[Path, Path, Path]:
    folder = working_dir()
    return folder / f"{token}.db", folder / f"{token}.json", folder / f"{token}.owner"


def _write_note(token: str, note: dict) -> None:
    _, path, _ = _paths(token)
    tmp = path.with_suffix(".json-tmp")
    tmp.write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _read_note(token: str) -> dict | None:
    _, path, _ = _paths(token)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _remove_session(token: str) -> None:
    for path in _paths(token):
        for p in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm")),
                  path.with_suffix(".json-tmp")):
            with contextlib.suppress(OSError):
                p.unlink()


@dataclass(frozen=True)
class RecoveryInfo:
    """A working copy with unsaved changes whose program is gone."""

    token: str
    target: Path | None
    working_copy: Path
    modified: datetime  # when the last edit reached the working copy (UTC)
    unsaved_changes: int

    @property
    def display_name(self) -> str:
        return self.target.name if self.target else UNTITLED

    @property
    def local_time_text(self) -> str:
        return format_thai_datetime(self.modified.astimezone())


def _edit_count(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'edit_count'").fetchone()
    return int(row[0]) if row else 0


class Document(DocumentAccess):
    """One open document. Create with :meth:`new`, :meth:`open` or :func:`recover`.

    It is the only door to the content (:class:`itadesk.db.access.DocumentAccess`: reads and
    edit operations); its connection and store never leave :mod:`itadesk.db`.
    """

    def __init__(self, token: str, conn: sqlite3.Connection, owner: OwnerLock, target: Path | None,
                 fingerprint_: Fingerprint | None, saved_count: int, readonly_reason: str | None = None,
                 lock: TargetLock | None = None):
        self._token = token
        self._conn = conn
        self._owner = owner
        self._lock = lock
        self._fingerprint = fingerprint_
        self._saved_count = saved_count
        self._closed = False
        self._store = Store(conn)
        self.target = target
        self.readonly = readonly_reason is not None
        self.readonly_reason = readonly_reason
        self.last_backup_error: DocumentError | None = None
        self._remembered: str | None = None  # the selection last written (see remember_selection)
        self._settling = threading.Lock()
        if self.readonly:
            conn.execute("PRAGMA query_only = ON")
        self._save_note()

    # -- state --------------------------------------------------------------------
    @property
    def working_copy(self) -> Path:
        return _paths(self._token)[0]

    @property
    @checked
    def dirty(self) -> bool:
        """Edits not yet saved to the target (an untitled document with edits is dirty)."""
        if self._closed:
            return False
        return self._store.edit_count() != self._saved_count

    @property
    @checked
    def unsaved_changes(self) -> int:
        return max(0, self._store.edit_count() - self._saved_count) if not self._closed else 0

    @property
    def display_name(self) -> str:
        return self.target.name if self.target else UNTITLED

    @property
    @checked
    def document_id(self) -> str:
        return self._store.get_meta("document_id") or ""

    @property
    def lock_held(self) -> bool:
        return self._lock is not None and self._lock.held()

    def refresh_lock(self) -> None:
        """Renew the lock's time (call every few hours) so that another computer does not
        take a long session for a lock left behind (:data:`itadesk.db.lock.STALE_AFTER`)."""
        if self._lock is not None and not self._closed:
            with contextlib.suppress(OSError):
                self._lock.refresh()

    def _save_note(self, pending: dict | None = None) -> None:
        """The recovery note. ``pending``: a save about to replace ``target`` (its sha256
        and edit count), so that after a kill recovery can see whether it got through."""
        _write_note(self._token, {
            "target": str(self.target) if self.target else None,
            "saved_count": self._saved_count,
            "fingerprint": self._fingerprint.to_json() if self._fingerprint else None,
            "pending": pending,
            "readonly": self.readonly,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "opened_at": now(),
        })

    def __enter__(self) -> "Document":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Document {self.display_name!r} dirty={self.dirty} readonly={self.readonly}>"

    # -- creating and opening -----------------------------------------------------
    @staticmethod
    def _new_session() -> tuple[str, OwnerLock]:
        token = _uuid.uuid4().hex
        owner = OwnerLock(_paths(token)[2])
        if not owner.try_acquire():  # a fresh random name cannot be held by anyone else
            raise RuntimeError(f"could not lock new working copy {token}")
        return token, owner

    @classmethod
    def new(cls) -> "Document":
        """An untitled document with an empty schema (save it with :meth:`save_as`)."""
        token, owner = cls._new_session()
        path = _paths(token)[0]
        try:
            new_document(path)
            conn = connect(path)
            use_as_working_copy(conn)
            _ensure_identity(conn)
        except BaseException:
            owner.release()
            _remove_session(token)
            raise
        return cls(token, conn, owner, None, None, _edit_count(conn))

    @classmethod
    def open(cls, target: str | os.PathLike, *, readonly: bool = False, ignore_lock: bool = False,
             defer_check: bool = False) -> "Document":
        """Open a file from the stick through a checked working copy.

        Raises :class:`DocumentError` for a file that is not ours, damaged, crafted or from a
        newer version (the file is never written to), and :class:`LockedError` when another
        program has it open (``ignore_lock=True`` is "open anyway"; ``readonly=True`` needs
        no lock). A lock left by a dead process on this computer is taken over silently;
        one from another computer older than ``STALE_AFTER`` raises with ``info.stale``.
        ``info.pid == os.getpid()`` means this program already has the file open.
        A stick that cannot be written opens read-only with :attr:`readonly_reason` set.
        ``defer_check``: a file of today's version never checked on this computer opens after
        the checks that read no rows; the rest runs later (:meth:`start_check`,
        :meth:`wait_checked`, which saving calls first).
        """
        target = Path(os.path.abspath(target))
        with release_on_failure() as undo:  # whatever fails, nothing taken so far stays taken
            token, owner = cls._new_session()
            undo.callback(_remove_session, token)
            undo.callback(owner.release)
            reason = None
            if readonly:
                reason = READONLY_REASONS["chosen"]
            elif not os.access(target.parent, os.W_OK):
                reason = READONLY_REASONS["media"]
            elif target.is_file() and not os.access(target, os.W_OK):
                reason = READONLY_REASONS["file"]
            lock: TargetLock | None = None
            if reason is None and target.is_file():
                # Locked before it is read, so nobody saves it between our read and our lock.
                lock, reason = _take_lock(target, take_over=ignore_lock)
                if lock is not None:
                    undo.callback(lock.release)
            path = _paths(token)[0]
            upgraded = upgraded_copies.take(target, path)  # an older file opened before: not migrated again
            if upgraded is not None:
                info, fp = upgraded
            else:
                with private_folder("open") as folder:
                    copy, fp = snapshot(target, folder)
                    defer = defer_check and fp.size >= DEFER_CHECK_FROM
                    info = working_copy_from_snapshot(copy, path, str(target), fp.content_sha256, defer=defer)
                if info.needs_migration:  # every result evaluated once, kept with the upgrade
                    upgraded_copies.keep(path, fp.content_sha256, str(target))
            conn = connect(path)
            undo.callback(conn.close)
            use_as_working_copy(conn)
            _ensure_identity(conn)
            record_versions(conn)
            track_results(conn)
            check = ContentCheck(path, str(target), fp.content_sha256) if info.deferred else None
            if check is not None:
                undo.callback(check.close)
            doc = cls(token, conn, owner, target, fp, _edit_count(conn), reason, lock)
            doc._check = check
            return doc

    # -- the check of every row, after the first screen (open's ``defer_check``) ----------
    _check: ContentCheck | None = None
    check_error: BaseException | None = None  # the deferred check refused the file (a DocumentError)

    @property
    def checking(self) -> bool:
        """Its rows are not checked yet: what is shown is the file's own, unchecked."""
        return self._check is not None

    @property
    def check_progress(self) -> float:
        return self._check.progress if self._check is not None else 1.0

    @property
    def check_done(self) -> bool:
        """The check has ended (:meth:`wait_checked` then returns at once)."""
        return self._check is None or self._check.done

    def start_check(self) -> None:
        if self._check is not None:
            self._check.start()

    results_disagreed = False  # the check found kept results that disagree (now forgotten)

    def wait_checked(self) -> None:
        """Wait for the check of every row (run here if never started) and apply its outcome
        once: results that disagree with the scores are forgotten (every figure is then
        evaluated from the scores; :attr:`results_disagreed`). Raises the
        :class:`DocumentError` refusing the file (:attr:`check_error`), at every call after too;
        or one saying why the outcome could not be applied (a full disk): the file is then still
        being checked, and the next call tries again."""
        if self.check_error is not None:
            raise self.check_error
        check = self._check
        if check is None:
            return
        check.wait()
        with self._settling:
            if self._check is check:
                if check.error is not None:
                    self.check_error = check.error
                elif not check.results_ok:
                    try:
                        with self._writable_anyway():  # not an edit: the private copy's own note
                            forget_results(self._conn)
                    except sqlite3.Error as exc:  # the local disk full: still checking, tried again
                        raise translate(exc, str(self.target or "")) from exc
                    self._prefetched = None  # read from the results just forgotten
                    self.results_disagreed = True
                self._check = None  # only once its outcome is applied
        if self.check_error is not None:
            raise self.check_error

    @contextlib.contextmanager
    def _writable_anyway(self):
        if self.readonly:
            self._conn.execute("PRAGMA query_only = OFF")
        try:
            yield
        finally:
            if self.readonly:
                self._conn.execute("PRAGMA query_only = ON")

    # -- saving -------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self._closed:
            raise RuntimeError("document is closed")
        if self.readonly:
            raise DocumentError("READONLY", self.readonly_reason or "", str(self.target))

    def changed_underneath(self) -> bool:
        """Whether the file on the stick differs from what we opened or last saved."""
        if self.target is None:
            return False
        try:
            current = fingerprint(self.target)
        except FileNotFoundError:
            return self._fingerprint is not None
        except OSError as exc:
            raise translate(exc, str(self.target)) from exc
        return self._fingerprint is None or current.sha256 != self._fingerprint.sha256

    def save(self, *, force: bool = False) -> None:
        """Save to the target. Raises :class:`ChangedUnderneathError` unless ``force``.

        On failure (full stick, stick pulled, read-only) a :class:`DocumentError` says so;
        the working copy keeps every edit and the file on the stick is as it was.
        """
        self._check_writable()
        self.wait_checked()  # a save notes what it writes as checked (files.save_copy)
        if self.target is None:
            raise DocumentError("UNTITLED")
        if not self.target.parent.is_dir():
            raise DocumentError("CANTOPEN", "folder missing", str(self.target))
        if not force and self.changed_underneath():
            current = None
            with contextlib.suppress(OSError):
                current = fingerprint(self.target)
            raise ChangedUnderneathError(self.target, self._fingerprint, current)
        if self._lock is None or not self._lock.held():
            # Never locked (stick was away at recovery) or taken over by "open anyway" elsewhere.
            lock = TargetLock(self.target)
            try:
                lock.acquire(take_over=force)
            except OSError as exc:
                raise translate(exc, str(self.target)) from exc
            self._lock = lock
        count = self._store.edit_count()
        self._fingerprint = save_copy(self._conn, self.target, self._pending_note(self.target, count))
        self._saved_count = count
        self._save_note()
        # The save succeeded; renewing the lock's time is a courtesy (the stick may have been
        # pulled or filled just now), so a failure here must not look like a failed save.
        with contextlib.suppress(OSError):
            self._lock.refresh()
        self._add_backup()

    def save_as(self, target: str | os.PathLike) -> None:
        """Save to a new place (also the way out of a read-only document); the document then lives there."""
        if self._closed:
            raise RuntimeError("document is closed")
        self.wait_checked()
        target = Path(os.path.abspath(target))
        if self.target is not None and target == self.target and not self.readonly:
            self.save(force=True)
            return
        if not target.parent.is_dir():
            raise DocumentError("CANTOPEN", "folder missing", str(target))
        lock = TargetLock(target)
        try:
            lock.acquire()
        except OSError as exc:
            raise translate(exc, str(target)) from exc
        try:
            if self.readonly:
                self._conn.execute("PRAGMA query_only = OFF")
            count = self._store.edit_count()
            fp = save_copy(self._conn, target, self._pending_note(target, count))
        except BaseException:
            if self.readonly:
                self._conn.execute("PRAGMA query_only = ON")
            lock.release()
            raise
        if self._lock is not None:
            self._lock.release()
        self._lock = lock
        self.target = target
        self._fingerprint = fp
        self._saved_count = count
        self.readonly = False
        self.readonly_reason = None
        self._save_note()
        self._add_backup()

    def _pending_note(self, target: Path, count: int):
        def note(sha256: str) -> None:
            self._save_note({"target": str(target), "sha256": sha256, "saved_count": count})
        return note

    def _add_backup(self) -> None:
        """A rotating backup of what was just saved. The save already succeeded, so a
        known failure here (local disk full) is kept in ``last_backup_error``, not raised."""
        self.last_backup_error = None
        try:
            _backups.add_backup(self._conn, self.document_id, str(self.target or ""), self._saved_count)
        except DocumentError as exc:
            self.last_backup_error = exc

    # -- where the officer was -------------------------------------------------------
    def remember_selection(self, org_uuid: str | None, year: int | None) -> None:
        """Keep the organization and year being worked on in the file, so that it opens there
        next time (on any PC). Not an edit: browsing must not make the document unsaved; it
        travels with the next save. A read-only document just does not remember."""
        if self._closed or self.readonly or org_uuid is None or year is None:
            return
        value = json.dumps({"org": org_uuid, "year": int(year)})
        if self._remembered is None:  # just opened: the file may already say so (no write, no fsync)
            with contextlib.suppress(sqlite3.Error):
                self._remembered = self._store.get_meta("last_selection")
        if value == self._remembered:
            return  # a refresh of the selector writes nothing (typing a score stays cheap)
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("INSERT INTO meta(key, value) VALUES ('last_selection', ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (value,))
            self._remembered = value

    # -- merge, backups -------------------------------------------------------------
    @checked
    def merge_from(self, path: str | os.PathLike, source_name: str | None = None):
        """Merge another office's file into this document (one edit, undone by not saving).
        ``source_name``: how the report and the conflicts name it (default: the file's name).

        Merging the target itself after :class:`ChangedUnderneathError` makes the next
        save succeed, since the document then holds what is on the stick.
        """
        from itadesk.db.merge import merge_connections  # noqa: PLC0415

        self._check_writable()
        path = Path(os.path.abspath(path))
        with private_folder("merge") as folder:
            copy, fp = snapshot(path, folder)
            source = connect(copy, label=str(path))
            try:
                check_connection(source, str(path), results=False)  # a merge reads rows, not results
                source.execute("PRAGMA query_only = ON")
                report = merge_connections(self._store, source, source_name=source_name or path.name)
            finally:
                source.close()
        if self.target is not None and path == self.target:
            self._fingerprint = fp
            self._save_note()
        return report

    @checked
    def resolve_conflict(self, conflict_uuid: str, choice: str) -> None:
        """Keep "mine" or take "theirs" for one conflict (an edit, saved with the document)."""
        from itadesk.db.merge import resolve_conflict  # noqa: PLC0415

        self._check_writable()
        resolve_conflict(self._store, conflict_uuid, choice)

    def backups(self) -> list[BackupInfo]:
        """Saved versions of this document on this computer, newest first."""
        return _backups.list_backups(self.document_id)

    def restore_backup(self, info: BackupInfo) -> None:
        """Replace the content with a saved version; it becomes an unsaved change (save to keep it).

        The backup is copied, checked, migrated and given this document's identity and edit
        count in a temp file; only then does one backup-API copy (a single transaction on the
        working copy) replace the content. A failure or a crash before that leaves the working
        copy as it was; during it, SQLite's journal rolls the working copy back.
        """
        self._check_writable()
        with private_folder("restore") as folder:
            copy = Path(folder) / "backup.db"
            try:
                shutil.copyfile(info.path, copy)
            except OSError as exc:
                raise translate(exc, str(info.path)) from exc
            source = connect(copy, label=str(info.path))
            try:
                try:
                    checked = check_connection(source, str(info.path))
                except DocumentError as exc:
                    raise DocumentError("BACKUP", exc.detail, str(info.path)) from exc
                if checked.needs_migration:  # a backup made by an older version of the program
                    migrate(source, checked.schema_version)
                if not checked.results_ok:
                    forget_results(source)
                source.execute("BEGIN IMMEDIATE")
                # The restore is one edit of this document (not of the one the backup was of).
                for key, value in (("edit_count", str(self._store.edit_count() + 1)),
                                   ("document_id", self.document_id)):
                    source.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
                carry_history(self._conn, source, now())  # so a merge does not undo the restore
                source.execute("COMMIT")
                source.backup(self._conn)
                self._remembered = None  # the restored content holds its own selection
                self._store.forget_edit_count()
            except sqlite3.Error as exc:
                raise translate(exc, str(info.path)) from exc
            finally:
                source.close()

    # -- closing ------------------------------------------------------------------------
    def close(self, *, discard: bool = False) -> None:
        """Release the lock. The working copy is deleted unless it holds unsaved edits
        (then it stays for recovery); ``discard=True`` is "close without saving"."""
        if self._closed:
            return
        keep = self.dirty and not discard
        if self._check is not None:
            self._check.close()
        self._closed = True
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        if self._lock is not None:
            self._lock.release()
        self._owner.release()
        if not keep:
            _remove_session(self._token)


def _ensure_identity(conn: sqlite3.Connection) -> None:
    """Give a document a stable id (for its backups folder) without counting it as an edit."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'document_id'").fetchone()
    if row is None:
        conn.execute("INSERT INTO meta(key, value) VALUES ('document_id', ?)", (str(_uuid.uuid4()),))


def _take_lock(target: Path, take_over: bool) -> tuple[TargetLock | None, str | None]:
    """The lock, or a read-only reason when the stick cannot be written."""
    lock = TargetLock(target)
    try:
        lock.acquire(take_over=take_over)
    except LockedError:
        raise
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return None, READONLY_REASONS["media"]
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return None, None  # a full stick opens; saving will say it is full
        raise translate(exc, str(target)) from exc
    return lock, None


# -- recovery -------------------------------------------------------------------------

def pending_recoveries() -> list[RecoveryInfo]:
    """Working copies with unsaved edits whose program is no longer running, newest first.

    Orphaned working copies without unsaved edits are removed on the way.
    """
    out = []
    for note_path in working_dir().glob("*.json"):
        token = note_path.stem
        db, _, owner_path = _paths(token)
        owner = OwnerLock(owner_path)
        if not owner.try_acquire():
            continue  # its program is still running
        try:
            note = _read_note(token)
            info = _recovery_info(token, note) if note is not None and db.exists() else None
        finally:
            owner.release()
        if info is None:
            _remove_session(token)
        else:
            out.append(info)
    out.sort(key=lambda r: r.modified, reverse=True)
    return out


def _settle_pending_save(token: str, note: dict) -> dict:
    """A program killed during a save: if the new file did reach the stick, its edits are saved."""
    pending = note.get("pending")
    if not pending:
        return note
    target = Path(pending["target"])
    with contextlib.suppress(OSError):
        current = fingerprint(target)
        if current.sha256 == pending["sha256"]:
            note = {**note, "target": str(target), "saved_count": pending["saved_count"],
                    "fingerprint": current.to_json(), "pending": None}
            _write_note(token, note)
    return note


def _recovery_info(token: str, note: dict) -> RecoveryInfo | None:
    db = _paths(token)[0]
    note = _settle_pending_save(token, note)
    try:
        # Read-write on purpose: a program killed mid-edit leaves a hot journal that must be
        # rolled back before the count is true. We hold the owner lock, so nobody else writes.
        conn = sqlite3.connect(db, isolation_level=None)
        try:
            count = _edit_count(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        count = int(note.get("saved_count", 0)) + 1  # unreadable: offer it rather than delete it
    unsaved = count - int(note.get("saved_count", 0))
    if unsaved <= 0 or note.get("readonly"):
        return None
    # the last edits may still be in the -wal beside it (see use_as_working_copy)
    wal = db.with_name(db.name + "-wal")
    mtime = max(db.stat().st_mtime, wal.stat().st_mtime if wal.exists() else 0)
    modified = datetime.fromtimestamp(mtime, timezone.utc)
    target = Path(note["target"]) if note.get("target") else None
    return RecoveryInfo(token, target, db, modified, unsaved)


def recover(info: RecoveryInfo) -> Document:
    """Reopen a working copy left by a crash. Saving it still refuses to overwrite a target
    that changed on the stick meanwhile."""
    db, _, owner_path = _paths(info.token)
    owner = OwnerLock(owner_path)
    if not owner.try_acquire():
        raise DocumentError("RECOVERY", "working copy in use", str(db))
    try:
        note = _read_note(info.token)
        if note is None or not db.exists():
            raise DocumentError("RECOVERY", "working copy gone", str(db))
        note = _settle_pending_save(info.token, note)
        conn = connect(db)
        try:
            checked = check_connection(conn, str(db))
            if checked.needs_migration:  # left by an older release: its edits are saved as today's file
                migrate(conn, checked.schema_version)
            if not checked.results_ok:
                forget_results(conn)
            use_as_working_copy(conn)
        except BaseException:
            conn.close()
            raise
    except BaseException:
        owner.release()
        raise
    target = Path(note["target"]) if note.get("target") else None
    lock = None
    if target is not None and target.parent.is_dir():
        with contextlib.suppress(LockedError, OSError, DocumentError):
            lock, _ = _take_lock(target, take_over=False)
    return Document(info.token, conn, owner, target, Fingerprint.from_json(note.get("fingerprint")),
                    int(note.get("saved_count", 0)), None, lock)


def discard_recovery(info: RecoveryInfo) -> None:
    """Throw a recovered working copy away (the officer chose not to keep it)."""
    owner = OwnerLock(_paths(info.token)[2])
    if not owner.try_acquire():
        raise DocumentError("RECOVERY", "working copy in use", str(info.working_copy))
    owner.release()
    _remove_session(info.token)


def __getattr__(name: str):
    if name == "MergeReport":
        from itadesk.db.merge import MergeReport  # noqa: PLC0415

        return MergeReport
    raise AttributeError(name)
