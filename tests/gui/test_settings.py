"""Typed preferences: each declared once, read back with its type, a bad value falls back."""

from __future__ import annotations

from itadesk.ui import settings


def test_every_setting_round_trips_with_its_type():
    values = {settings.RECENT_FILES: ["/media/stick/ITA เชียงพิณ.db", "/tmp/b.db"],
              settings.THAI_DIGITS: True, settings.PDF_FOLDER: "/home/officer/รายงาน",
              settings.PDF_FONT: "Sarabun", settings.PDF_THAI_DIGITS: True,
              settings.OFFICE_FOLDER: "/home/officer/แบบฟอร์ม"}
    assert set(values) == set(settings.ALL)
    assert len({s.key for s in settings.ALL}) == len(settings.ALL)
    for setting in settings.ALL:
        assert setting.get() == setting.default  # a fresh INI file per test
    for setting, value in values.items():
        setting.set(value)
    for setting, value in values.items():
        got = setting.get()
        assert got == value and isinstance(got, setting.kind)
    settings.RECENT_FILES.set(["/only/one.db"])  # QSettings hands one item back as a string
    assert settings.RECENT_FILES.get() == ["/only/one.db"]


def test_a_value_of_the_wrong_type_in_the_file_falls_back_to_the_default():
    store = settings.qsettings()
    store.setValue(settings.THAI_DIGITS.key, "เปิด")
    store.sync()
    assert settings.THAI_DIGITS.get() is False
    store.setValue(settings.RECENT_FILES.key, "")
    assert settings.RECENT_FILES.get() == []
