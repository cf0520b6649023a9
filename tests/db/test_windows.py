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
            assert any("\u0e01" <= ch <= "\u0e5b" for ch in str(exc)), str(exc)  # a Thai sentence
            holder.close()
            assert target.read_bytes() == before
            doc.save()  # once the other program lets go, the same save goes through
    finally:
        if not holder.closed:
            holder.close()
        doc.close()
    assert "เทศบาลตำบลทดสอบ" in _names(target)
