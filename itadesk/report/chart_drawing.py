"""A chart as vector drawing operations, replayed onto a ReportLab canvas.

Why: the report's charts were 300 dpi PNGs (0.3 s each to rasterise, then PIL and stream
encoding of every pixel). :func:`itadesk.report.chart_recorder.record` turns a Matplotlib
figure into the plain data below (paths as PDF path operators in points, colours, clips,
hatches, and text as glyph outlines placed by Matplotlib), and :class:`ChartFlowable` draws
that data (:mod:`itadesk.report.chart_flowable` places it on a page): sharp at any zoom, smaller, and several times faster. Each glyph's outline is
written once per chart and placed where Matplotlib's layout (libraqm shaping: tone marks
stacked and shifted) put it, so the text looks exactly as in the PNG; like the PNG's, it is
not extractable text, so the report's text is the same as before.

The data is immutable and holds nothing of Matplotlib or ReportLab, so it can be made on one
thread or process and drawn on another, and kept for the next export.
"""

from __future__ import annotations

from dataclasses import dataclass

RGBA = tuple[float, float, float, float]
TILE = 72.0  # a hatch tile is one inch, as in Matplotlib's PDF and Agg output


class ChartFailed(Exception):
    """A chart could not be drawn (in another process); ``str()`` says why, as a chart that
    fails in this process does."""


@dataclass(frozen=True)
class Hatch:
    """Hatch lines over a filled shape: ``path`` (operators) of one tile, repeated."""

    path: str
    colour: RGBA
    width: float


@dataclass(frozen=True)
class Style:
    """How a shape or a text is painted, and where it is clipped."""

    fill: RGBA | None
    stroke: RGBA | None = None
    line_width: float = 0.0
    dash: tuple[float, tuple[float, ...]] | None = None  # (phase, on/off lengths)
    cap: int = 0  # PDF line cap: 0 butt, 1 round, 2 projecting
    join: int = 0  # PDF line join: 0 miter, 1 round, 2 bevel
    clip_rect: tuple[float, float, float, float] | None = None  # x, y, width, height
    clip_path: str | None = None


@dataclass(frozen=True)
class Shape:
    """A filled and/or stroked path (PDF path operators, no painting operator)."""

    path: str
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1
    style: Style
    hatch: Hatch | None = None


@dataclass(frozen=True)
class Text:
    """One line of text as glyphs: ``matrix`` (a b c d e f) maps glyph units to points;
    each glyph is (name in :attr:`ChartDrawing.glyphs`, x, y) in glyph units."""

    matrix: tuple[float, float, float, float, float, float]
    glyphs: tuple[tuple[str, float, float], ...]
    style: Style


@dataclass(frozen=True)
class ChartDrawing:
    """A whole chart: its size in points, its glyph outlines, its shapes and texts in order."""

    width: float
    height: float
    items: tuple[Shape | Text, ...]
    glyphs: dict[str, str]

    def draw_on(self, canv) -> None:
        """Draw the chart with its bottom-left corner at the canvas's origin."""
        for item in self.items:
            canv.saveState()
            _apply_clip(canv, item.style)
            if isinstance(item, Text):
                self._draw_text(canv, item)
            else:
                _draw_shape(canv, item)
            canv.restoreState()

    def _draw_text(self, canv, text: Text) -> None:
        if text.style.fill is None or text.style.fill[3] <= 0:
            return
        _set_fill(canv, text.style.fill)
        ops = [f"{pdf_numbers(text.matrix, 5)} cm"]
        for name, x, y in text.glyphs:
            outline = self.glyphs.get(name)
            if outline:
                ops.append(f"q 1 0 0 1 {pdf_number(x)} {pdf_number(y)} cm {outline} f Q")
        canv.addLiteral("\n".join(ops))


def pdf_number(v: float, digits: int = 2) -> str:
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pdf_numbers(values, digits: int = 2) -> str:
    return " ".join(pdf_number(v, digits) for v in values)


def _set_fill(canv, rgba: RGBA) -> None:
    canv.setFillColorRGB(*rgba[:3], alpha=rgba[3] if rgba[3] < 1 else None)


def _apply_clip(canv, style: Style) -> None:
    if style.clip_rect is not None:
        canv.addLiteral(f"{pdf_numbers(style.clip_rect)} re W n")
    if style.clip_path is not None:
        canv.addLiteral(f"{style.clip_path} W n")


def _draw_shape(canv, shape: Shape) -> None:
    st = shape.style
    fill = st.fill is not None and st.fill[3] > 0
    stroke = st.stroke is not None and st.stroke[3] > 0 and st.line_width > 0
    if fill:
        _set_fill(canv, st.fill)
    if stroke:
        canv.setStrokeColorRGB(*st.stroke[:3], alpha=st.stroke[3] if st.stroke[3] < 1 else None)
        canv.setLineWidth(st.line_width)
        canv.setLineCap(st.cap)
        canv.setLineJoin(st.join)
        if st.dash is not None:
            canv.setDash(list(st.dash[1]), st.dash[0])
    if shape.hatch is not None:  # fill, the hatch over it, then the outline
        if fill:
            canv.addLiteral(f"{shape.path} f")
        _draw_hatch(canv, shape)
        fill = False
    if fill or stroke:
        canv.addLiteral(f"{shape.path} {'B' if fill and stroke else 'f' if fill else 'S'}")


def _draw_hatch(canv, shape: Shape) -> None:
    """The hatch tile repeated over the shape, clipped to it (tiles on the chart's grid)."""
    hatch = shape.hatch
    r, g, b = hatch.colour[:3]
    ops = [f"q {shape.path} W n {pdf_numbers((r, g, b))} RG {pdf_number(hatch.width)} w [] 0 d"]
    x0, y0, x1, y1 = shape.bounds
    tx = int(x0 // TILE)
    while tx * TILE <= x1:
        ty = int(y0 // TILE)
        while ty * TILE <= y1:
            ops.append(f"q 1 0 0 1 {pdf_number(tx * TILE)} {pdf_number(ty * TILE)} cm {hatch.path} S Q")
            ty += 1
        tx += 1
    ops.append("Q")
    canv.addLiteral("\n".join(ops))
