"""Recent files and display options of a portable copy are written beside the program."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings

from itadesk import paths


def test_recent_files_of_a_portable_copy_live_beside_the_program(monkeypatch, tmp_path, window, _private_settings):
    from itadesk.ui.settings import qsettings as settings

    folder = tmp_path / "stick" / "ITADesk"
    folder.mkdir(parents=True)
    (folder / paths.PORTABLE_MARKER).write_text("portable", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "ITADesk"))
    monkeypatch.delenv("ITADESK_DATA_DIR")

    window.add_recent(tmp_path / "stick" / "งาน.itadesk")
    ini = folder / paths.PORTABLE_DATA / "settings.ini"
    assert settings().fileName() == str(ini)
    settings().sync()
    assert ini.is_file()
    assert QSettings(str(ini), QSettings.IniFormat).value("recent_files") in (
        str(tmp_path / "stick" / "งาน.itadesk"), [str(tmp_path / "stick" / "งาน.itadesk")])
    assert not any(_private_settings.rglob("*.ini")), "the profile's settings were not touched"
