"""Open, edit, save and close like a document editor: the stick only ever gets whole files."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path
from datetime import datetime, timezone

import pytest

from itadesk.db import document as document_module
from itadesk.db.backups import BackupInfo
from itadesk.db.document import ChangedUnderneathError, Document, data_dir, pending_recoveries
from itadesk.db.errors import READONLY_REASONS, DocumentError
from itadesk.db.files import connect, read_snapshot
from itadesk.db.lock import lock_path, read_lock
from itadesk.db.schema import SCHEMA_VERSION
from itadesk.db.store import Store
from itadesk.db.versions import content_digest
from itadesk.ita.model import Organization

from .samples import fill, version_1_file


def digest_of(path) -> str:
    with read_snapshot(path) as conn:
        return content_digest(conn)


def names(doc: Document) -> list[str]:
    return [o.name for o in doc._store.organizations()]


def test_data_dir_follows_the_environment(data_dir):
    assert document_module.data_dir() == data_dir


def test_new_document_is_untitled_until_saved_as(stick):
    doc = Document.new()
    assert doc.target is None and doc.display_name == "เอกสารใหม่" and not doc.dirty
    fill(doc._store)
    assert doc.dirty
    with pytest.raises(DocumentError) as info:
        doc.save()
    assert info.value.kind == "UNTITLED"
    doc.save_as(stick / "ใหม่.db")
    assert not doc.dirty and doc.display_name == "ใหม่.db"
    assert read_lock(stick / "ใหม่.db").pid == os.getpid()
    working = doc.working_copy
    doc.close()
    assert not working.exists() and not lock_path(stick / "ใหม่.db").exists()
    assert sorted(p.name for p in stick.iterdir()) == ["ใหม่.db"]


def test_every_edit_is_in_the_working_copy_at_once_and_on_the_stick_only_after_save(sample):
    before = digest_of(sample)
    doc = Document.open(sample)
    doc._store.save_organization(Organization(name="เทศบาลตำบลหนองแสง", province="อุดรธานี"))
    with sqlite3.connect(doc.working_copy) as other:  # another connection sees the commit
        assert other.execute("SELECT COUNT(*) FROM organizations").fetchone()[0] == 2
    assert digest_of(sample) == before and doc.dirty and doc.unsaved_changes == 1
    doc.save()
    assert not doc.dirty
    with read_snapshot(sample) as conn:
        assert len(Store(conn).organizations()) == 2
    assert digest_of(sample.with_name("ita.db.bak")) == before
    leftovers = [p.name for p in sample.parent.iterdir() if p.name.endswith((".saving", "-journal"))]
    assert leftovers == []
    doc.close()


def test_the_working_copy_is_wal_and_the_saved_file_a_plain_rollback_journal_file(sample):
    """Edits commit to the working copy in WAL mode without waiting for the disk; what reaches
    the stick is still a plain file (no -wal/-shm beside it, WAL flag off in its header), and
    closing removes the working copy's -wal and -shm with it (docs/reliability.md)."""
    doc = Document.open(sample)
    assert doc._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # noqa: SLF001
    assert doc._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL  # noqa: SLF001
    doc._store.save_organization(Organization(name="เทศบาลตำบลหนองแสง", province="อุดรธานี"))
    working = doc.working_copy
    assert Path(f"{working}-wal").exists()
    doc.save()
    header = sample.read_bytes()[:20]
    assert header[18:20] == b"\x01\x01", header[18:20]  # read/write versions 1: rollback journal
    assert sorted(p.name for p in sample.parent.iterdir() if p.name.startswith("ita.db")) == ["ita.db", "ita.db.bak"]
    doc._store.save_organization(Organization(name="เทศบาลตำบลนาข่า", province="อุดรธานี"))
    doc.close(discard=True)
    assert [p.name for p in working.parent.iterdir() if p.name.startswith(working.stem)] == []


def test_save_refuses_a_file_changed_underneath_and_offers_merge(sample):
    doc = Document.open(sample)
    doc._store.save_organization(Organization(name="เทศบาลตำบลหนองแสง", province="อุดรธานี"))
    # Another office saved the same file meanwhile ("open anyway" there).
    other = Document.open(sample, ignore_lock=True)
    other._store.save_organization(Organization(name="อบต.บ้านจั่น", province="อุดรธานี"))
    other.save()
    other.close()
    theirs = digest_of(sample)
    with pytest.raises(ChangedUnderneathError) as info:
        doc.save()
    assert info.value.kind == "CHANGED" and digest_of(sample) == theirs
    assert doc.dirty  # nothing lost
    report = doc.merge_from(sample)
    assert report.added == 1 and not report.conflicts
    doc.save()
    assert sorted(names(doc)) == sorted(["องค์การบริหารส่วนตำบลเชียงพิณ", "เทศบาลตำบลหนองแสง", "อบต.บ้านจั่น"])
    assert digest_of(sample.with_name("ita.db.bak")) == theirs
    doc.close()


def test_same_size_and_time_but_other_content_is_still_noticed(sample):
    """FAT keeps times to 2 s and pages keep sizes equal: only the hash tells."""
    doc = Document.open(sample)
    st = os.stat(sample)
    conn = sqlite3.connect(sample, isolation_level=None)
    conn.execute("UPDATE indicator_scores SET score = 1 WHERE indicator = 1")
    conn.close()
    os.utime(sample, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(sample).st_size == st.st_size
    doc._store.set_meta("note", "x")
    with pytest.raises(ChangedUnderneathError):
        doc.save()
    doc.save(force=True)  # "overwrite anyway" keeps their version as .bak
    with read_snapshot(sample.with_name("ita.db.bak")) as conn:
        assert conn.execute("SELECT score FROM indicator_scores WHERE indicator = 1").fetchone()[0] == 1
    doc.close()


def test_save_as_when_changed_underneath(sample, stick):
    doc = Document.open(sample)
    doc._store.set_meta("note", "mine")
    shutil.copyfile(sample, stick / "copy.db")
    conn = sqlite3.connect(sample, isolation_level=None)
    conn.execute("DELETE FROM actions")
    conn.close()
    theirs = digest_of(sample)
    with pytest.raises(ChangedUnderneathError):
        doc.save()
    doc.save_as(stick / "ของฉัน.db")
    assert digest_of(sample) == theirs
    assert doc.target == stick / "ของฉัน.db" and not lock_path(sample).exists()
    with read_snapshot(stick / "ของฉัน.db") as conn:
        assert Store(conn).get_meta("note") == "mine"
    doc.close()


def test_close_keeps_unsaved_work_for_recovery_and_discard_drops_it(sample):
    doc = Document.open(sample)
    doc._store.set_meta("note", "unsaved")
    doc.close()
    pending = pending_recoveries()
    assert len(pending) == 1 and pending[0].target == sample and pending[0].unsaved_changes == 1
    doc = Document.open(sample)
    doc._store.set_meta("note", "thrown away")
    doc.close(discard=True)
    assert len(pending_recoveries()) == 1
    assert not lock_path(sample).exists()


def test_open_read_only_takes_no_lock_and_refuses_edits(sample):
    before = digest_of(sample)
    doc = Document.open(sample, readonly=True)
    assert doc.readonly and doc.readonly_reason == READONLY_REASONS["chosen"]
    assert not lock_path(sample).exists()
    with pytest.raises(DocumentError) as info:
        doc._store.set_meta("x", "y")
    assert info.value.kind == "READONLY"
    assert not doc.dirty
    with pytest.raises(DocumentError):
        doc.save()
    doc.close()
    assert digest_of(sample) == before


def test_file_marked_read_only_opens_read_only(sample, monkeypatch):
    """Windows' read-only attribute; root ignores mode bits, so os.access is stood in for."""
    real_access = os.access
    monkeypatch.setattr(document_module.os, "access",
                        lambda p, mode: False if str(p) == str(sample) else real_access(p, mode))
    doc = Document.open(sample)
    assert doc.readonly and doc.readonly_reason == READONLY_REASONS["file"]
    doc.close()


def test_rotating_backups_keep_the_last_ten_and_restore(sample):
    doc = Document.open(sample)
    digests = []
    for i in range(12):
        doc._store.set_meta("round", str(i))
        doc.save()
        digests.append(content_digest(doc._conn))
    backups = doc.backups()
    assert len(backups) == 10
    assert [b.edit_count for b in backups] == sorted((b.edit_count for b in backups), reverse=True)
    assert backups[0].saved_at > backups[-1].saved_at and backups[0].target == str(sample)
    oldest = backups[-1]
    doc.restore_backup(oldest)
    assert doc._store.get_meta("round") == "2" and doc.dirty
    doc.save()
    with read_snapshot(sample) as conn:
        assert Store(conn).get_meta("round") == "2"
    assert all(b.path.parent.parent == data_dir() / "backups" for b in backups)
    doc.close()


def test_restore_refuses_a_damaged_backup(sample):
    doc = Document.open(sample)
    doc._store.set_meta("round", "1")
    doc.save()
    info = doc.backups()[0]
    info.path.write_bytes(b"not a database at all")
    with pytest.raises(DocumentError) as exc:
        doc.restore_backup(info)
    assert exc.value.kind in ("BACKUP", "NOTADB")
    assert doc._store.get_meta("round") == "1"
    doc.close()


def test_save_to_a_vanished_stick_fails_clearly_and_keeps_the_work(sample, tmp_path):
    doc = Document.open(sample)
    doc._store.set_meta("note", "typed before the stick was pulled")
    moved = tmp_path / "elsewhere"
    doc._lock.release()  # noqa: SLF001 - the lock file goes with the stick
    shutil.move(str(sample.parent), moved)
    with pytest.raises(DocumentError) as info:
        doc.save()
    assert info.value.kind == "CANTOPEN"
    assert doc.dirty and doc._store.get_meta("note") == "typed before the stick was pulled"
    shutil.move(str(moved), sample.parent)  # stick back in
    doc.save()
    assert not doc.dirty
    doc.close()


def test_version_1_file_opens_migrated_and_saves_as_the_current_version(stick):
    path = version_1_file(stick / "old.db")
    doc = Document.open(path)
    assert doc._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not doc.dirty
    doc._store.set_meta("x", "1")
    doc.save()
    doc.close()
    with read_snapshot(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT COUNT(*) FROM row_versions").fetchone()[0] > 0


def test_a_lock_refresh_failing_after_a_good_save_does_not_fail_the_save(sample, monkeypatch):
    from itadesk.db import lock as lock_module

    doc = Document.open(sample)
    doc._store.set_meta("note", "saved")
    count = len(doc.backups())

    def pulled(self):
        raise OSError(errno.EIO, "Input/output error", str(self.path))

    monkeypatch.setattr(lock_module.TargetLock, "refresh", pulled)
    doc.save()  # the file is on the stick: the save stands
    assert not doc.dirty and not doc.changed_underneath()
    assert len(doc.backups()) == count + 1
    with read_snapshot(sample) as conn:
        assert Store(conn).get_meta("note") == "saved"
    doc.close()


def _version_1_backup(path) -> BackupInfo:
    """A backup file as version 1 of the program wrote it (no row_versions, no conflicts)."""
    version_1_file(path, name="เทศบาลตำบลจากสำเนาเก่า")
    conn = connect(path)
    Store(conn).set_meta("document_id", "the-id-of-another-document")
    conn.close()
    return BackupInfo(path, "x", datetime.now(timezone.utc), "", 0)


def test_restoring_a_version_1_backup_migrates_it_and_keeps_this_documents_identity(sample, tmp_path):
    doc = Document.open(sample)
    identity, count = doc.document_id, doc._store.edit_count()
    doc.restore_backup(_version_1_backup(tmp_path / "old.db"))
    assert names(doc) == ["เทศบาลตำบลจากสำเนาเก่า"]
    assert doc._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert doc.document_id == identity and doc._store.edit_count() == count + 1 and doc.unsaved_changes == 1
    doc.save()
    doc.close()


def test_a_restore_that_fails_halfway_leaves_the_working_copy_as_it_was(sample, tmp_path, monkeypatch):
    doc = Document.open(sample)
    doc._store.set_meta("note", "typed")
    conn = doc._conn
    before = (content_digest(conn, include_bookkeeping=True), conn.execute("PRAGMA user_version").fetchone()[0])

    def failing_migrate(connection, from_version):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(document_module, "migrate", failing_migrate)
    with pytest.raises((DocumentError, sqlite3.Error)):
        doc.restore_backup(_version_1_backup(tmp_path / "old.db"))
    after = (content_digest(conn, include_bookkeeping=True), conn.execute("PRAGMA user_version").fetchone()[0])
    assert after == before and doc._store.get_meta("note") == "typed"
    doc.close(discard=True)
