"""A chart on a page: :class:`ChartFlowable` places a :class:`~itadesk.report.chart_drawing.ChartDrawing`,
or a :class:`LaterChart` whose drawing another process is still making
(:mod:`itadesk.report.chart_process`): the page shows it as a named PDF form, and
:class:`LaterChartCanvas` defines the form just before the file is saved. A PDF may use a
form before defining it; ReportLab resolves the name at save.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from itadesk.report.chart_drawing import ChartDrawing, ChartFailed


class ChartFlowable(Flowable):
    """A chart at its designed size, scaled down only if the frame is narrower."""

    def __init__(self, drawing: ChartDrawing, width: float | None = None, height: float | None = None):
        super().__init__()
        self.drawing = drawing
        self.drawWidth = width if width is not None else drawing.width
        self.drawHeight = height if height is not None else drawing.height

    def wrap(self, availWidth, availHeight):
        if self.drawWidth > availWidth:
            ratio = availWidth / self.drawWidth
            self.drawWidth, self.drawHeight = availWidth, self.drawHeight * ratio
        return self.drawWidth, self.drawHeight

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.scale(self.drawWidth / self.drawing.width, self.drawHeight / self.drawing.height)
        self.drawing.draw_on(canv)
        canv.restoreState()


class LaterChart:
    """A chart whose drawing comes later: shown on its page as the form ``name``, defined by
    :meth:`define` when the file is saved. ``get()`` returns the drawing or raises."""

    def __init__(self, name: str, width: float, height: float, get: Callable[[], ChartDrawing],
                 failed_text: Callable[[str], str], font_name: str, release: Callable[[], None] = lambda: None):
        self.name, self.width, self.height = name, width, height
        self._get, self._failed_text, self._font_name = get, failed_text, font_name
        self.release = release  # lets the drawing process go, whether or not its drawing was used

    def draw_on(self, canv) -> None:
        """Place the form (as :meth:`ChartDrawing.draw_on` places a drawing) and have the
        canvas (a :class:`LaterChartCanvas`) define it at save."""
        canv.doForm(self.name)
        canv.later_charts[self.name] = self

    def define(self, canv) -> None:
        w, h = self.width, self.height
        # The box is generous: a form clips to its box, and the direct drawing clips nothing.
        canv.beginForm(self.name, -w, -h, 2 * w, 2 * h)
        try:
            drawing = self._get()
        except Exception as exc:  # noqa: BLE001 - said in the chart's place, as for a chart drawn here
            self._say_failed(canv, str(exc) if isinstance(exc, ChartFailed) else f"{type(exc).__name__}: {exc}")
        else:
            if (drawing.width, drawing.height) != (w, h):
                canv.scale(w / drawing.width, h / drawing.height)
            drawing.draw_on(canv)
        canv.endForm()

    def _say_failed(self, canv, error: str) -> None:
        """The Thai sentence, wrapped to the chart's width, from the top of its box (grey, as
        the report's muted text)."""
        from itadesk.report.thai_text import draw_with_actual_text, line_spans

        size, leading = 10.5, 15.0
        text = self._failed_text(error)
        canv.setFont(self._font_name, size)
        canv.setFillGray(0.4)
        y = self.height - leading
        for a, b in line_spans(text, self._font_name, size, self.width):
            draw_with_actual_text(canv, 0, y, text[a:b].strip())
            y -= leading


class LaterChartCanvas(Canvas):
    """A ReportLab canvas that defines the :class:`LaterChart` forms its pages used, at save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.later_charts: dict[str, LaterChart] = {}

    def save(self):
        for chart in self.later_charts.values():
            chart.define(self)
        self.later_charts = {}
        super().save()
