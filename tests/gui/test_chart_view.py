"""The chart panel on a window already on screen: a figure handed over is shown at once.

Qt shows a child added to the layout of a visible widget only on a later turn of the event
loop; a test (or a grab) between the two saw a panel with a hidden canvas (the overview's
chart on CI). These checks make no event-loop turn on purpose, so they fail every time if
the panel leaves its canvas to that later turn, not only on a slow machine.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from itadesk.ui.chart_view import ChartView


def _figure() -> Figure:
    figure = Figure(figsize=(4, 3))
    figure.add_subplot().bar(["2567", "2568"], [95.16, 90.42])
    return figure


def test_a_figure_given_to_a_visible_panel_is_shown_at_once(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(view := ChartView(window, "ยังไม่มีกราฟ"))
    window.resize(640, 480)
    window.show()
    qtbot.waitExposed(window)
    assert view.isVisible() and view.canvas is None

    first = _figure()
    view.set_figure(first)
    assert view.figure is first and view.canvas.isVisible()

    second = _figure()  # new figures: a new canvas, shown at once as well
    view.set_figure(second)
    assert view.figure is second and view.canvas.isVisible()
    assert view.findChildren(FigureCanvasQTAgg) == [view.canvas]  # the first one is gone from the panel

    view.set_figure(None)  # no figure: the placeholder says why, at once too
    placeholder = view.findChild(QLabel)
    assert view.canvas is None and placeholder.isVisible() and placeholder.text() == "ยังไม่มีกราฟ"
