"""How numbers and years look on screen: two decimals, Buddhist Era, Thai digits on request.

Every view formats through here so the Thai-digit option (ไทย ๙๑.๑๘ or Arabic 91.18)
changes the whole window at once instead of tab by tab.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from itadesk.ita.numbers import fmt2, fmt_signed, round2, thai_digits_in_text, to_thai_digits

class DisplayOptions(QObject):
    """Display preferences shared by every model; ``changed`` makes the views repaint."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._thai_digits = False

    @property
    def thai_digits(self) -> bool:
        return self._thai_digits

    def set_thai_digits(self, on: bool) -> None:
        on = bool(on)
        if on != self._thai_digits:
            self._thai_digits = on
            self.changed.emit()


_OPTIONS: DisplayOptions | None = None


def options() -> DisplayOptions:
    global _OPTIONS
    if _OPTIONS is None:
        _OPTIONS = DisplayOptions()
    return _OPTIONS


def digits(text: str) -> str:
    """``text`` with its digits in the chosen script."""
    return to_thai_digits(text) if options().thai_digits else text


def free_text(text: str) -> str:
    """Words with numbers in them (an item's title, a sentence): free-standing digits in the
    chosen script, codes such as "o5" or "e12" kept as the NACC writes them. The same rule
    as the PDF's (both ask ``itadesk.ita.numbers``), so the window and the report agree."""
    if not options().thai_digits:
        return text or ""
    return thai_digits_in_text(text)


def score(value: float | None, empty: str = "") -> str:
    """A score as published: two decimals (95.16), or ``empty`` when there is none."""
    if value is None:
        return empty
    return fmt2(value, options().thai_digits)


def signed(value: float | None, empty: str = "-") -> str:
    """A change in points with its sign (−4.74, +0.31)."""
    if value is None:
        return empty
    if round2(value) == 0:
        return fmt2(0.0, options().thai_digits)  # "0.00", not "+0.00"
    return fmt_signed(value, options().thai_digits)


def year(value: int | None) -> str:
    """A Buddhist Era year as shown in the window (``2568`` or ``๒๕๖๘``)."""
    if value is None:
        return ""
    return digits(str(value))


def count(value: int) -> str:
    return digits(str(value))
