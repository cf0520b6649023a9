"""A date field that shows and accepts Buddhist Era dates ("1 ตุลาคม 2568").

Qt's QDateEdit and QCalendarWidget only know Gregorian years (QCalendar has no Buddhist
calendar), so an officer would see 2025 where every document says 2568 and type the wrong
year. This field is a line edit that reads what officers type ("1 ต.ค. 68", "1/10/2568",
Thai digits) plus a month popup whose year is in BE. Dates stay ``datetime.date`` inside.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget, QComboBox, QFrame, QHBoxLayout, QLineEdit, QSpinBox, QToolButton, QVBoxLayout, QWidget,
)

from itadesk.ita.numbers import to_arabic_digits
from itadesk.ita.thai_dates import BE_OFFSET, THAI_MONTHS, THAI_MONTHS_SHORT, format_thai_date, to_be, to_ce

MIN_BE, MAX_BE = 2400, 2800  # what the parser accepts; check_period judges what is sensible
PLACEHOLDER = "เช่น 1 ตุลาคม 2568"


class ThaiDateError(ValueError):
    """Text that is not a date; the message is Thai, for the officer."""


def _month_number(word: str) -> int | None:
    word = word.strip().rstrip(".").replace(" ", "")
    for index, (full, short) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT), start=1):
        if word == full or word == short.rstrip(".") or word.replace(".", "") == short.replace(".", ""):
            return index
    return None


_NUMERIC = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2,4})$")
_WORDS = re.compile(r"^(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d{2,4})$")


def parse_thai_date(text: str) -> date | None:
    """A date from what an officer typed, with the year in BE; empty text is no date."""
    raw = to_arabic_digits(text or "").strip()
    raw = re.sub(r"^(วันที่)\s*", "", raw)
    raw = re.sub(r"\s*(พ\.ศ\.|พ\.ศ)\s*", " ", raw).strip()
    if not raw:
        return None
    numeric = _NUMERIC.match(raw)
    words = None if numeric else _WORDS.match(raw)
    if numeric:
        day, month, year = int(numeric[1]), int(numeric[2]), numeric[3]
    elif words:
        day, year = int(words[1]), words[3]
        month = _month_number(words[2])
        if month is None:
            raise ThaiDateError(f"ไม่รู้จักชื่อเดือน \"{words[2].strip()}\" กรุณาพิมพ์ เช่น 1 ตุลาคม 2568 หรือ 1 ต.ค. 2568")
    else:
        raise ThaiDateError("อ่านวันที่ไม่ได้ กรุณาพิมพ์ วัน เดือน ปี พ.ศ. เช่น 1 ตุลาคม 2568 หรือ 1/10/2568")
    be = int(year)
    if len(year) == 2:
        be += 2500
    elif len(year) == 3:
        raise ThaiDateError("กรุณาพิมพ์ปี พ.ศ. 4 หลัก เช่น 2568")
    if 1900 <= be < MIN_BE:
        raise ThaiDateError(f"ปี {be} น่าจะเป็น ค.ศ. กรุณาพิมพ์ปีเป็น พ.ศ. (เช่น {be + BE_OFFSET})")
    if not MIN_BE <= be <= MAX_BE:
        raise ThaiDateError(f"ปี พ.ศ. {be} ไม่น่าจะถูกต้อง กรุณาตรวจสอบปีที่กรอก")
    if not 1 <= month <= 12:
        raise ThaiDateError(f"เดือนที่ {month} ไม่มีอยู่จริง (1–12)")
    try:
        return date(to_ce(be), month, day)
    except ValueError:
        raise ThaiDateError(f"วันที่ {day} {THAI_MONTHS[month - 1]} {be} ไม่มีอยู่จริง") from None


class BuddhistCalendarPopup(QFrame):
    """A month calendar whose header shows the Thai month and the BE year."""

    picked = Signal(object)  # datetime.date

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.prev_button = QToolButton(text="◀", toolTip="เดือนก่อน", autoRaise=True)
        self.next_button = QToolButton(text="▶", toolTip="เดือนถัดไป", autoRaise=True)
        self.month_combo = QComboBox()
        self.month_combo.addItems(THAI_MONTHS)
        self.year_spin = QSpinBox(prefix="พ.ศ. ")
        self.year_spin.setRange(MIN_BE, MAX_BE)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.month_combo, 1)
        bar.addWidget(self.year_spin)
        bar.addWidget(self.next_button)
        layout.addLayout(bar)
        self.calendar = QCalendarWidget()
        self.calendar.setNavigationBarVisible(False)
        self.calendar.setLocale(QLocale(QLocale.Language.Thai, QLocale.Country.Thailand))
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setGridVisible(False)
        layout.addWidget(self.calendar)

        self.prev_button.clicked.connect(self.calendar.showPreviousMonth)
        self.next_button.clicked.connect(self.calendar.showNextMonth)
        self.month_combo.currentIndexChanged.connect(self._from_header)
        self.year_spin.valueChanged.connect(self._from_header)
        self.calendar.currentPageChanged.connect(self._to_header)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)

    def show_date(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(day.year, day.month)
        self._to_header(day.year, day.month)

    def _to_header(self, year: int, month: int) -> None:
        for widget in (self.month_combo, self.year_spin):
            widget.blockSignals(True)
        self.month_combo.setCurrentIndex(month - 1)
        self.year_spin.setValue(to_be(year))
        for widget in (self.month_combo, self.year_spin):
            widget.blockSignals(False)

    def _from_header(self) -> None:
        self.calendar.setCurrentPage(to_ce(self.year_spin.value()), self.month_combo.currentIndex() + 1)

    def _pick(self, qdate: QDate) -> None:
        self.picked.emit(date(qdate.year(), qdate.month(), qdate.day()))
        self.hide()


class ThaiDateEdit(QWidget):
    """Line edit + calendar button; ``date()`` is a ``datetime.date`` or None.

    Text that is not a date is kept as typed (so the officer can fix it) and reported by
    ``error()``; the field turns red and says why in its tooltip.
    """

    dateChanged = Signal(object)  # datetime.date | None, on every edit that parses
    edited = Signal()  # the text changed, valid or not (dialogs re-check on this)

    def __init__(self, value: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText(PLACEHOLDER)
        self.line_edit.setToolTip("พิมพ์วันที่เป็น พ.ศ. เช่น 1 ตุลาคม 2568, 1 ต.ค. 68 หรือ 1/10/2568\nลูกศรขึ้น/ลง เลื่อนทีละวัน")
        self.button = QToolButton(text="ปฏิทิน", toolTip="เลือกวันที่จากปฏิทิน (ปี พ.ศ.)")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line_edit)
        self._popup: BuddhistCalendarPopup | None = None
        self._last: date | None = None
        self._error = ""
        self.line_edit.textChanged.connect(self._on_text)
        self.line_edit.editingFinished.connect(self._normalize)
        self.button.clicked.connect(self.open_calendar)
        self.line_edit.installEventFilter(self)
        self.setDate(value)

    # -- value ------------------------------------------------------------
    def date(self) -> date | None:
        return self._last if not self._error else None

    def setDate(self, value: date | None) -> None:
        self.line_edit.setText(format_thai_date(value))

    def text(self) -> str:
        return self.line_edit.text()

    def setText(self, text: str) -> None:
        self.line_edit.setText(text)
        self._normalize()

    def error(self) -> str:
        return self._error

    def _on_text(self, text: str) -> None:
        try:
            value = parse_thai_date(text)
            error = ""
        except ThaiDateError as exc:
            value, error = None, str(exc)
        self._set_error(error)
        if not error and value != self._last:
            self._last = value
            self.dateChanged.emit(value)
        self.edited.emit()

    def _normalize(self) -> None:
        """Show a parsed date the one canonical way once the officer leaves the field."""
        if not self._error:
            canonical = format_thai_date(self._last)
            if canonical != self.line_edit.text():
                self.line_edit.setText(canonical)

    def _set_error(self, error: str) -> None:
        if error == self._error:
            return
        self._error = error
        self.line_edit.setStyleSheet("QLineEdit { border: 1px solid #c62828; background: #fff4f4; }" if error else "")
        self.line_edit.setToolTip(error or "พิมพ์วันที่เป็น พ.ศ. เช่น 1 ตุลาคม 2568, 1 ต.ค. 68 หรือ 1/10/2568")

    # -- keyboard and calendar --------------------------------------------
    def eventFilter(self, watched, event):
        if watched is self.line_edit and event.type() == event.Type.KeyPress and self.date() is not None:
            step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(event.key())
            if step:
                self.setDate(self.date() + timedelta(days=step))
                return True
        return super().eventFilter(watched, event)

    def open_calendar(self) -> None:
        if self._popup is None:
            self._popup = BuddhistCalendarPopup(self)
            self._popup.picked.connect(self._picked)
        self._popup.show_date(self.date() or date.today())
        self._popup.adjustSize()
        self._popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self._popup.show()

    def _picked(self, day: date) -> None:
        self.setDate(day)
        self.line_edit.setFocus()
