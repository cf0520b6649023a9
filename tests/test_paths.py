"""Where the program keeps its own things: installed (the profile) or portable (beside the
executable, working copies on a local disk when the program runs from a stick).

The frozen program is imitated by ``sys.frozen`` and ``sys.executable`` pointing at a fake
executable in a temp folder; everything after that is the real code writing real files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from itadesk import paths


def _fake_program(tmp_path: Path, portable: bool) -> Path:
    folder = tmp_path / "โปรแกรม ITA Desk"
    folder.mkdir()
    exe = folder / ("ITADesk.exe" if sys.platform == "win32" else "ITADesk")
    exe.write_bytes(b"")
    if portable:
        (folder / paths.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    return exe


@pytest.fixture
def frozen(monkeypatch, tmp_path):
    """Run as the frozen program at a fake path, with the profile in a temp folder."""
    monkeypatch.delenv("ITADESK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "profile-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "profile-config"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)

    def at(exe: Path) -> Path:
        monkeypatch.setattr(sys, "executable", str(exe))
        return exe
    return at


def test_marker_beside_the_executable_keeps_everything_beside_it(tmp_path):
    exe = _fake_program(tmp_path, portable=True)
    got = paths.resolve_layout(exe, {}, removable=lambda p: False, local_temp=tmp_path / "temp")
    beside = exe.parent / paths.PORTABLE_DATA
    assert got.portable
    assert (got.data, got.working, got.backups, got.settings_file) == (
        beside, beside / "working", beside / "backups", beside / "settings.ini")


def test_on_removable_media_working_copies_go_to_the_local_temp_folder(tmp_path):
    exe = _fake_program(tmp_path, portable=True)
    asked = []
    got = paths.resolve_layout(exe, {}, removable=lambda p: asked.append(p) or True, local_temp=tmp_path / "temp")
    assert asked == [exe.parent]
    assert got.working == tmp_path / "temp" / paths.PORTABLE_LOCAL / "working"
    beside = exe.parent / paths.PORTABLE_DATA
    assert got.backups == beside / "backups" and got.settings_file == beside / "settings.ini"


def test_without_marker_everything_is_in_the_profile(tmp_path):
    exe = _fake_program(tmp_path, portable=False)
    got = paths.resolve_layout(exe, {}, removable=lambda p: True, local_temp=tmp_path / "temp")
    profile = Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    assert not got.portable and got.settings_file is None
    assert (got.data, got.working, got.backups) == (profile, profile / "working", profile / "backups")


def test_running_from_source_is_never_portable(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert paths.program_executable() is None
    assert not paths.resolve_layout(None, {}, lambda p: True, tmp_path).portable


def test_portable_document_working_copy_and_backups_land_beside_the_program(frozen, tmp_path, reference_json):
    from itadesk.db.document import Document

    exe = frozen(_fake_program(tmp_path, portable=True))
    beside = exe.parent / paths.PORTABLE_DATA
    doc = Document.new()
    try:
        assert doc.working_copy.parent == beside / "working"
        doc.save_as(tmp_path / "งาน.itadesk")
        doc.save()
        assert any((beside / "backups").rglob("*.db")), "a save keeps a backup beside the program"
    finally:
        doc.close(discard=True)
    assert not (tmp_path / "profile-data").exists(), "nothing was written to the PC's profile"


def test_installed_document_working_copy_lands_in_the_profile(frozen, tmp_path):
    from itadesk.db.document import Document

    frozen(_fake_program(tmp_path, portable=False))
    doc = Document.new()
    try:
        profile = Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
        assert doc.working_copy.parent == profile / "working"
    finally:
        doc.close(discard=True)


def test_removable_check_says_no_for_the_test_folder(tmp_path):
    assert paths.is_removable(tmp_path) is False


@pytest.mark.windows
def test_windows_system_drive_is_not_removable():
    import os

    assert paths.is_removable(Path(os.environ.get("SystemDrive", "C:") + "\\")) is False


@pytest.mark.windows
def test_windows_portable_folder_with_thai_name_and_drive_letter(tmp_path):
    exe = _fake_program(tmp_path, portable=True)
    got = paths.resolve_layout(exe, {}, paths.is_removable, tmp_path / "temp")
    assert got.portable and got.working.drive == exe.drive
