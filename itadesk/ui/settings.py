"""Every user preference, declared once with its type and default (Electrum's ``ConfigVar``).

Call sites read ``RECENT_FILES.get()`` and write ``THAI_DIGITS.set(True)``; no bare key
string appears anywhere else, so a misspelt key cannot silently read a default, and a
value of the wrong type in the INI file (edited by hand, written by an older version)
falls back to the default instead of reaching a widget.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings

from itadesk.paths import settings_file
from itadesk.ui.app import APP_NAME, ORG_NAME

T = TypeVar("T")


def qsettings() -> QSettings:
    """The INI file of the preferences (easy to inspect and reset). A portable copy keeps it
    beside the program (:mod:`itadesk.paths`)."""
    portable = settings_file()
    if portable is not None:
        return QSettings(str(portable), QSettings.IniFormat)
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORG_NAME, APP_NAME)


@dataclass(frozen=True, eq=False)
class Setting(Generic[T]):
    """One preference: its key in the INI file, its type and its default."""

    key: str
    kind: type
    default: T
    doc: str = ""

    def get(self) -> T:
        raw = qsettings().value(self.key, None)
        if raw is None:
            return copy.copy(self.default)  # a caller may change the list it gets
        if self.kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            return text in ("true", "1", "yes") if text in ("true", "1", "yes", "false", "0", "no") else self.default
        if self.kind is list:
            items = [raw] if isinstance(raw, str) else raw
            return [str(v) for v in items if v] if isinstance(items, (list, tuple)) else copy.copy(self.default)
        return raw if isinstance(raw, self.kind) else self.default

    def set(self, value: T) -> None:
        qsettings().setValue(self.key, value)


RECENT_FILES: Setting[list] = Setting("recent_files", list, [], "files opened last, newest first")
THAI_DIGITS: Setting[bool] = Setting("display/thai_digits", bool, False, "show numbers in Thai digits")
PDF_FOLDER: Setting[str] = Setting("pdf/folder", str, "", "where the last PDF was written")
PDF_FONT: Setting[str] = Setting("pdf/font", str, "", "the report font last chosen ('' = the first one)")
PDF_THAI_DIGITS: Setting[bool] = Setting("pdf/thai_digits", bool, False, "Thai digits in the last PDF")
OFFICE_FOLDER: Setting[str] = Setting("office/folder", str, "", "where the last Excel/Word file was read or written")

ALL = (RECENT_FILES, THAI_DIGITS, PDF_FOLDER, PDF_FONT, PDF_THAI_DIGITS, OFFICE_FOLDER)
