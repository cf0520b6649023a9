"""Sticks that turn read-only, fill up or vanish: a clear message, the working copy keeps
every edit, and the old file on the stick stays whole.

As root (this test machine) a chmod does not stop writes, so the real cases use a small
tmpfs mounted by the test (skipped where mounting is not permitted); the same failures
are also injected by wrapping the save's step functions (tests/db/save_steps.py) so every platform runs them.
"""

from __future__ import annotations

import errno
import shutil

import pytest

from itadesk.db import lock as lock_module
from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES, READONLY_REASONS, DocumentError
from itadesk.db.files import read_snapshot
from itadesk.db.versions import content_digest

from . import save_steps
from .conftest import remount
from .samples import make_good_file

STEPS = ("begin", "vacuum", "fsync", "check", "bak-copy", "bak-replace", "replace")


def digest_of(path) -> str:
    with read_snapshot(path) as conn:
        return content_digest(conn)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".saving", "-journal")))


# -- read-only ------------------------------------------------------------------------

def test_read_only_stick_opens_read_only(tmpfs, tmp_path):
    stick = tmpfs("2m")
    path = make_good_file(stick / "ita.db")
    before = digest_of(path)
    remount(stick, "ro")
    doc = Document.open(path)
    assert doc.readonly and doc.readonly_reason == READONLY_REASONS["media"]
    with pytest.raises(DocumentError) as info:
        doc._store.set_meta("x", "1")
    assert info.value.kind == "READONLY" and info.value.message == MESSAGES["READONLY"]
    doc.save_as(tmp_path / "copy.db")  # the way out
    assert not doc.readonly
    doc.close()
    assert sorted(p.name for p in stick.iterdir()) == ["ita.db"] and digest_of(path) == before


def test_stick_turning_read_only_during_editing_fails_the_save_only(tmpfs):
    stick = tmpfs("2m")
    path = make_good_file(stick / "ita.db")
    before = digest_of(path)
    doc = Document.open(path)
    doc._store.set_meta("typed", "before the switch")
    remount(stick, "ro")
    with pytest.raises(DocumentError) as info:
        doc.save()
    assert info.value.kind == "READONLY"
    assert doc.dirty and doc._store.get_meta("typed") == "before the switch"
    remount(stick, "rw")
    assert digest_of(path) == before and leftovers(stick) == []
    doc.save()
    assert not doc.dirty
    doc.close()


def test_read_only_media_without_mounting(sample, monkeypatch):
    def refuse(path):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(lock_module, "_open_exclusive", refuse)
    doc = Document.open(sample)
    assert doc.readonly and doc.readonly_reason == READONLY_REASONS["media"]
    doc.close()


# -- full ---------------------------------------------------------------------------

def test_full_stick_fails_the_save_at_whatever_step_and_keeps_both_copies(tmpfs):
    """Grow the document step by step on a 1 MB stick until saves fail for lack of space."""
    stick = tmpfs("1m")
    path = make_good_file(stick / "ita.db")
    doc = Document.open(path)
    failures, saved = [], 0
    reached = []
    with save_steps.watching(reached.append):
        for i in range(40):
            doc._store.set_meta(f"filler-{i}", "ข" * 20_000)  # 60 KB of UTF-8 each
            before = digest_of(path)
            reached.clear()
            try:
                doc.save()
                saved += 1
            except DocumentError as exc:
                assert exc.kind == "FULL", exc.detail
                assert str(exc) == MESSAGES["FULL"]
                failures.append(reached[-1])
                assert digest_of(path) == before  # the old file is whole
                assert doc.dirty and doc._store.get_meta(f"filler-{i}")  # and nothing typed is lost
                assert leftovers(stick) == []  # no half-written temp file takes the space
    assert saved >= 1 and failures, (saved, failures)
    print(f"full-stick run: {saved} saves succeeded, {len(failures)} failed at steps {sorted(set(failures))}")
    (stick / "ita.db.bak").unlink()  # the officer makes room
    for i in range(40):
        doc._store.set_meta(f"filler-{i}", "")
    doc.save()
    doc.close()
    assert digest_of(path)


def test_full_local_disk_refuses_the_edit_and_keeps_earlier_ones(tmpfs, monkeypatch, sample):
    monkeypatch.setenv("ITADESK_DATA_DIR", str(tmpfs("1m")))
    doc = Document.open(sample)
    kept = 0
    with pytest.raises(DocumentError) as info:
        for i in range(200):
            doc._store.set_meta(f"note-{i}", "ค" * 30_000)
            kept += 1
    assert info.value.kind == "FULL"
    assert kept > 0 and doc._store.get_meta(f"note-{kept - 1}")
    assert doc._store.get_meta(f"note-{kept}") is None
    doc.close(discard=True)


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("error,kind", [(errno.ENOSPC, "FULL"), (errno.EIO, "IOERR"), (errno.EROFS, "READONLY")])
def test_injected_failure_at_each_save_step(sample, step, error, kind):
    """The same failures without a mount: the hook raises as the OS would at that step."""
    doc = Document.open(sample)
    doc._store.set_meta("typed", "x")
    before = sample.read_bytes()
    bak = sample.with_name("ita.db.bak")

    def fail(name):
        if name == step:
            raise OSError(error, "injected", str(sample))

    with save_steps.watching(fail):
        with pytest.raises(DocumentError) as info:
            doc.save()
    assert info.value.kind == kind
    assert sample.read_bytes() == before and leftovers(sample.parent) == []
    assert doc.dirty
    if step in STEPS[:STEPS.index("bak-replace")]:
        assert not bak.exists()
    doc.save()
    assert not doc.dirty and bak.read_bytes() == before
    doc.close()


def test_stick_pulled_during_save(sample, tmp_path):
    """The folder disappears between two steps: CANTOPEN, and the work is still here."""
    doc = Document.open(sample)
    doc._store.set_meta("typed", "x")
    away = tmp_path / "away"

    def pull(name):
        if name == "check":
            shutil.move(str(sample.parent), away)

    with save_steps.watching(pull):
        with pytest.raises(DocumentError) as info:
            doc.save()
    assert info.value.kind in ("CANTOPEN", "IOERR", "NOTFOUND")
    assert doc.dirty and doc._store.get_meta("typed") == "x"
    shutil.move(str(away), sample.parent)
    doc.save()
    doc.close()
