"""A panel that shows one chart from ``itadesk.report.charts`` live in the window.

The charts module builds plain Matplotlib figures and knows nothing of Qt; this widget is
the only place a figure meets a Qt canvas. A canvas resizes the figure to the panel, so
the caller hands over a freshly built figure and builds another one for the PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

if TYPE_CHECKING:  # Matplotlib loads with the first figure shown, not with the window
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure


class ChartView(QWidget):
    """Shows a Figure; ``set_figure(None)`` shows ``placeholder`` text instead."""

    def __init__(self, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self._canvas: FigureCanvasQTAgg | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel(placeholder, self)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._layout.addWidget(self._placeholder)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)

    @property
    def canvas(self) -> FigureCanvasQTAgg | None:
        return self._canvas

    @property
    def figure(self) -> Figure | None:
        return self._canvas.figure if self._canvas is not None else None

    def set_placeholder(self, text: str) -> None:
        self._placeholder.setText(text)

    def placeholder_text(self) -> str:
        """What the panel says when it shows no figure (why there is none)."""
        return self._placeholder.text()

    def set_figure(self, figure: Figure | None) -> None:
        """Show ``figure`` (replacing the one shown), or the placeholder for ``None``.

        A new canvas per figure: Matplotlib ties a figure to one canvas, and swapping the
        figure under an existing canvas leaves its size and device-pixel ratio stale.
        """
        if self._canvas is not None:
            self._layout.removeWidget(self._canvas)
            self._canvas.setParent(None)
            self._canvas.deleteLater()
            self._canvas = None
        if figure is None:
            self._placeholder.show()
            return
        self._placeholder.hide()
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # after PySide6: same Qt binding

        self._canvas = FigureCanvasQTAgg(figure)
        self._canvas.setParent(self)
        self._canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout.addWidget(self._canvas)
        # A layout shows a child added to a visible panel only on a later turn of the event
        # loop; show it now so the panel is never seen (or tested) with a hidden canvas.
        self._canvas.show()
        self._canvas.draw_idle()
