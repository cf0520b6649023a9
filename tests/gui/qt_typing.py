"""Typing into widgets the way a keyboard does, for the GUI tests."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def type_text(widget, text: str) -> None:
    """Type as a keyboard does, one key event per character carrying its text.

    QTest.keyClicks only knows ASCII; Thai letters and Thai digits need their text sent.
    """
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def press(widget, key, modifiers=Qt.NoModifier) -> None:
    """One key press and release; then let queued work run (an item editor commits on Enter
    through a queued call, exactly as it does between two real key presses)."""
    for kind in (QEvent.KeyPress, QEvent.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers))
    QApplication.processEvents()
