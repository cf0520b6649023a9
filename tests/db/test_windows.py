"""Windows-only paths of the document layer, run by the Windows CI (.github/workflows/windows.yml):
drive letters and UNC paths, Thai folder names, os.replace over a file another program holds
open. Elsewhere they are reported as skipped with that reason (marker ``windows``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itadesk.db.document import Document
from itadesk.db.errors import DocumentError

from .samples import fill

pytestmark = pytest.mark.windows


def _saved(path: Path) -> str:
    doc = Document.new()
    org, _ = fill(doc._store)
    doc.save_as(path)
    doc.close()
    return org.name


def _names(path: Path) -> list[str]:
    doc = Document.open(path, readonly=True)
    try:
        return [o.name for o in doc._store.organizations()]
    finally:
        doc.close()


def test_save_and_reopen_through_a_unc_path(tmp_path):
    drive, rest = os.path.splitdrive(str(tmp_path))
    unc = Path(rf"\\localhost\{drive[0]}$" + rest) / "โฟลเดอร์ ไทย"
    if not Path(rf"\\localhost\{drive[0]}$").exists():
        pytest.skip("the administrative share is not reachable on this machine")
    unc.mkdir()
    name = _saved(unc / "งาน.itadesk")
    assert _names(unc / "งาน.itadesk") == [name]
    assert (tmp_path / "โฟลเดอร์ ไทย" / "งาน.itadesk").is_file()


def test_drive_letter_path_with_thai_folder_names(tmp_path):
    folder = tmp_path / "ผลการประเมิน ITA" / "ปี 2568"
    folder.mkdir(parents=True)
    target = folder / "เชียงพิณ.itadesk"
    assert target.drive and target.drive.endswith(":")
    name = _saved(target)
    assert _names(target) == [name]


def test_save_over_a_file_another_program_holds_open_is_refused_in_thai_or_done(tmp_path):
    """os.replace fails on Windows while another program has the target open without
    FILE_SHARE_DELETE: the save must end in one Thai message and leave the file as it was."""
    target = tmp_path / "งาน.itadesk"
    _saved(target)
    before = target.read_bytes()
    doc = Document.open(target)
    fill(doc._store, name="เทศบาลตำบลทดสอบ", seed=2)
    holder = open(target, "rb")  # Python opens without FILE_SHARE_DELETE
    try:
        try:
            doc.save()
        except DocumentError as exc:
            # "in use: wait and try again", not "read-only: save elsewhere" (access denied said that)
            assert exc.kind == "BUSY" and any("\u0e01" <= ch <= "\u0e5b" for ch in str(exc)), (exc.kind, exc.detail)
            holder.close()
            assert target.read_bytes() == before
            doc.save()  # once the other program lets go, the same save goes through
    finally:
        if not holder.closed:
            holder.close()
        doc.close()
    assert "เทศบาลตำบลทดสอบ" in _names(target)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in ("งาน.itadesk", "งาน.itadesk.bak")
                  and not p.name.startswith(".~lock."))


def test_save_while_another_instance_reads_the_file_in_place_is_busy_then_goes_through(tmp_path):
    """Another ITA Desk's summary or overview reads the file where it lies (SQLite holds it open,
    without FILE_SHARE_DELETE): this save cannot replace it. It waits a moment, then says BUSY in
    Thai, the file is as it was, and the same save goes through once the reader is done."""
    from itadesk.db.files import read_checked

    target = tmp_path / "งาน.itadesk"
    _saved(target)
    before = target.read_bytes()
    doc = Document.open(target)
    try:
        fill(doc._store, name="เทศบาลตำบลทดสอบ", seed=2)
        with read_checked(target) as (conn, _):
            with pytest.raises(DocumentError) as busy:
                doc.save()
            assert conn.execute("SELECT count(*) FROM organizations").fetchone()[0] == 1  # still reading
        assert busy.value.kind == "BUSY" and any("\u0e01" <= ch <= "\u0e5b" for ch in str(busy.value))
        assert target.read_bytes() == before and _leftovers(tmp_path) == []
        doc.save()
    finally:
        doc.close()
    assert "เทศบาลตำบลทดสอบ" in _names(target) and _leftovers(tmp_path) == []


def test_save_waits_for_a_reader_that_lets_go_within_a_moment(tmp_path):
    import threading

    from itadesk.db.files import HOLD_PATIENCE, read_checked

    target = tmp_path / "งาน.itadesk"
    _saved(target)
    doc = Document.open(target)
    try:
        fill(doc._store, name="เทศบาลตำบลทดสอบ", seed=2)
        reading = read_checked(target)
        reading.__enter__()
        done = threading.Timer(HOLD_PATIENCE / 6, reading.__exit__, (None, None, None))
        done.start()
        try:
            doc.save()  # no message: the reader let go while the save waited
        finally:
            done.join()
    finally:
        doc.close()
    assert "เทศบาลตำบลทดสอบ" in _names(target) and _leftovers(tmp_path) == []
