"""Typing a column of scores as an officer does: a number, Enter, the next number, at speed.

Enter moves down; the next key must land in the next cell, even on the very first edit of a
new year (which creates the year in the file and refreshes the selector).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from itadesk.ui.score_models import IndicatorScoresModel
from itadesk.db.operations import EVERYTHING
from test_main_window import SCORES_2568, add_reference_org

SCORE = IndicatorScoresModel.SCORE_COLUMN


def keyboard(text: str) -> None:
    """Each key goes to whatever has the focus at that moment, as a real keyboard's do;
    between keys the event loop gets one pass, no more (a fast typist)."""
    for ch in text:
        key, char = (Qt.Key_Return, "\r") if ch == "\n" else (Qt.Key_unknown, ch)
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(QApplication.focusWidget(), QKeyEvent(kind, key, Qt.NoModifier, char))
        QApplication.processEvents()


def test_a_column_typed_at_speed_lands_cell_by_cell(window, modal, qtbot):
    window.welcome.new_button.click()
    add_reference_org(window, modal)
    view = window.scores_tab.indicator_view
    window.activateWindow()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, SCORE))
    # activation comes through the platform's events (the organization dialog had the focus): wait for it
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    keyboard("".join(f"{s}\n" for s in SCORES_2568))
    expected = [float(s.replace("๙๑.๑๘", "91.18")) for s in SCORES_2568]

    def stored():
        indicators = window.context.current_assessment().indicators
        return [indicators.get(n) for n in range(1, 11)]

    qtbot.waitUntil(lambda: stored() == expected)  # what the officer waits for, however slow the PC
    assert stored() == expected


def test_a_refresh_never_wipes_what_is_being_typed(window, modal, qtbot):
    """The store's change signal can arrive after the next cell's editor opened (a slow
    refresh); the digits already typed there must survive it."""
    window.welcome.new_button.click()
    add_reference_org(window, modal)
    view = window.scores_tab.indicator_view
    window.activateWindow()
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, SCORE))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    keyboard("9")
    editor = QApplication.focusWidget()
    assert editor is not view and editor.text() == "9"
    model = view.model()
    model.dataChanged.emit(model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1))
    window.context.changed.emit(EVERYTHING)
    QApplication.processEvents()
    assert editor.text() == "9"
    keyboard("7.78\n")
    assert window.context.current_assessment().indicators.get(2) == 97.78
