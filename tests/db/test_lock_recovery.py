"""Two program instances, one file: the lock; and a program killed while editing: recovery."""

from __future__ import annotations

import os
import signal
import socket
from datetime import datetime, timedelta, timezone

import pytest

from itadesk.db import lock as lock_module
from itadesk.db.document import Document, discard_recovery, pending_recoveries, recover
from itadesk.db.errors import DocumentError
from itadesk.db.files import read_snapshot
from itadesk.db.lock import LockedError, TargetLock, lock_path, read_lock
from itadesk.db.store import Store

from .conftest import run_python

HOLD = """
import sys
from itadesk.db.document import Document
doc = Document.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
doc.close()
print("closed", flush=True)
"""

EDIT_THEN_HANG = """
import sys, time
from itadesk.db.document import Document
doc = Document.open(sys.argv[1])
for i in range(int(sys.argv[2])):
    doc._store.set_meta(f"typed-{i}", "ข้อความที่พิมพ์ " * 20)
print(doc.working_copy, flush=True)
time.sleep(600)
"""


def _start(code, *args, env):
    proc = run_python(code, *map(str, args), env={"ITADESK_DATA_DIR": str(env)}, stdin=-1)
    line = proc.stdout.readline().strip()
    assert line, proc.stderr.read()
    return proc, line


def test_second_process_sees_the_lock_and_may_open_read_only(sample, data_dir):
    proc, _ = _start(HOLD, sample, env=data_dir)
    try:
        with pytest.raises(LockedError) as info:
            Document.open(sample)
        lock = info.value.info
        assert lock.pid == proc.pid and lock.host == socket.gethostname() and not lock.stale
        assert "ไฟล์นี้กำลังเปิดใช้งานอยู่โดย" in str(info.value) and socket.gethostname() in str(info.value)
        ro = Document.open(sample, readonly=True)
        assert ro.readonly
        ro.close()
        assert read_lock(sample).pid == proc.pid  # a read-only reader leaves the owner's lock alone
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "closed"
        proc.wait(60)
    assert not lock_path(sample).exists()
    Document.open(sample).close()


def test_open_anyway_takes_the_lock_and_the_first_owner_does_not_remove_it(sample, data_dir):
    proc, _ = _start(HOLD, sample, env=data_dir)
    try:
        doc = Document.open(sample, ignore_lock=True)
        assert read_lock(sample).pid == os.getpid()
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(60)
    assert read_lock(sample).pid == os.getpid()  # the other closed without deleting our lock
    doc.close()
    assert not lock_path(sample).exists()


def test_lock_of_a_killed_process_on_this_computer_is_stale_and_taken_over(sample, data_dir):
    proc, _ = _start(HOLD, sample, env=data_dir)
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    info = read_lock(sample)
    assert info.pid == proc.pid and info.stale
    doc = Document.open(sample)  # no question asked: the process is certainly gone
    assert read_lock(sample).pid == os.getpid()
    doc.close()


def _write_lock(target, host, pid, when):
    lock_path(target).write_text(
        f'{{"host": "{host}", "user": "somchai", "pid": {pid}, "time": "{when.isoformat()}", "token": "x"}}',
        encoding="utf-8")


def test_lock_from_another_computer_is_stale_only_when_old(sample):
    _write_lock(sample, "DISTRICT-PC", 4242, datetime.now(timezone.utc) - timedelta(minutes=5))
    with pytest.raises(LockedError) as info:
        Document.open(sample)
    assert not info.value.info.stale and info.value.info.user == "somchai"
    _write_lock(sample, "DISTRICT-PC", 4242, datetime.now(timezone.utc) - lock_module.STALE_AFTER - timedelta(minutes=1))
    with pytest.raises(LockedError) as info:
        Document.open(sample)
    assert info.value.info.stale and info.value.kind == "INUSE_STALE"
    doc = Document.open(sample, ignore_lock=True)
    assert read_lock(sample).host == socket.gethostname()
    doc.close()


def test_reused_process_id_does_not_keep_a_lock_alive(sample):
    """A lock written before the process now using that id started is stale."""
    _write_lock(sample, socket.gethostname(), 1, datetime(2001, 1, 1, tzinfo=timezone.utc))
    if not lock_module.pid_alive(1):
        pytest.skip("process 1 is not visible here")
    assert read_lock(sample).stale
    Document.open(sample).close()


def test_half_written_lock_file_is_stale(sample):
    lock_path(sample).write_bytes(b'{"host": "vm", "us')
    assert read_lock(sample).stale
    Document.open(sample).close()


def test_two_takers_of_one_lock_cannot_both_win(sample):
    first, second = TargetLock(sample), TargetLock(sample)
    first.acquire()
    second.acquire(take_over=True)
    assert second.held() and not first.held()
    first.release()  # not ours any more: must not delete it
    assert lock_path(sample).exists()
    second.release()


def test_recovery_after_sigkill_during_editing(sample, data_dir):
    proc, working = _start(EDIT_THEN_HANG, sample, 25, env=data_dir)
    assert pending_recoveries() == []  # its program still runs: not an orphan
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    pending = pending_recoveries()
    assert len(pending) == 1
    info = pending[0]
    assert info.target == sample and info.unsaved_changes == 25 and str(info.working_copy) == working
    assert abs((datetime.now(timezone.utc) - info.modified).total_seconds()) < 60
    doc = recover(info)
    assert doc.dirty and doc._store.get_meta("typed-24").startswith("ข้อความที่พิมพ์")
    assert pending_recoveries() == []  # in use again
    doc.save()  # the stick file did not change meanwhile: no question
    doc.close()
    with read_snapshot(sample) as conn:
        assert Store(conn).get_meta("typed-0")
    assert pending_recoveries() == []


def test_recovered_document_still_refuses_a_changed_target(sample, data_dir):
    proc, _ = _start(EDIT_THEN_HANG, sample, 3, env=data_dir)
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    other = Document.open(sample)  # stale lock taken over
    other._store.add_unit("กองคลัง")
    other.save()
    other.close()
    doc = recover(pending_recoveries()[0])
    from itadesk.db.document import ChangedUnderneathError

    with pytest.raises(ChangedUnderneathError):
        doc.save()
    doc.merge_from(sample)
    doc.save()
    assert doc._store.units() == ["กองคลัง"] and doc._store.get_meta("typed-2")
    doc.close()


def test_discard_recovery_and_untitled_recovery(data_dir):
    proc = run_python(
        "from itadesk.db.document import Document\nimport time\nd = Document.new()\n"
        "d._store.set_meta('a', '1')\nprint('ok', flush=True)\ntime.sleep(600)\n",
        env={"ITADESK_DATA_DIR": str(data_dir)},
    )
    assert proc.stdout.readline().strip() == "ok"
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    (info,) = pending_recoveries()
    assert info.target is None and info.display_name == "เอกสารใหม่"
    discard_recovery(info)
    assert pending_recoveries() == []
    with pytest.raises(DocumentError):
        recover(info)


def test_clean_orphans_are_removed_silently(sample, data_dir):
    proc, working = _start(HOLD, sample, env=data_dir)
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)  # reaped: its OS lock on the working copy is gone
    assert pending_recoveries() == []
    assert list((data_dir / "working").iterdir()) == []
