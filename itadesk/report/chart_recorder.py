"""Matplotlib figure -> :class:`~itadesk.report.chart_drawing.ChartDrawing` (vector data).

A minimal Matplotlib renderer at 72 dpi (one unit = one PDF point, origin bottom left, as
in PDF) that records what it is asked to draw instead of drawing it. Bars, lines, markers
and patches reach ``draw_path`` through RendererBase's defaults. Text is laid out by
Matplotlib's own ``TextToPath.get_glyphs_with_font`` (libraqm shapes the string: the same
glyphs and positions the PNG showed) and recorded as glyph placements, each glyph's
outline once per chart, as Matplotlib's SVG backend does. Text is measured with the same
fonts, so the constrained layout is computed for this renderer, as Matplotlib's own PDF
backend does for itself.
"""

from __future__ import annotations

import math

import itadesk.report.matplotlib_loader  # noqa: F401, I001 - first: Matplotlib loaded without its help texts
from matplotlib.backend_bases import FigureCanvasBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, IdentityTransform

from itadesk.report.chart_drawing import TILE, ChartDrawing, Hatch, Shape, Style, Text, pdf_number

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
# Glyph outlines as PDF operators by Matplotlib's glyph name (font and glyph): the four charts
# share most of their letters and digits, so each is formatted once per process.
_OUTLINES: dict[str, str] = {}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


def path_operators(path: Path, transform) -> tuple[str, tuple[float, float, float, float]]:
    """The path as PDF path operators (quadratics raised to cubics) and its bounds."""
    ops: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    last = (0.0, 0.0)
    n = pdf_number
    for vertices, code in path.iter_segments(transform, remove_nans=True, simplify=False, curves=True):
        v = vertices.tolist()
        if code == Path.MOVETO or code == Path.LINETO:
            ops.append(f"{n(v[0])} {n(v[1])} {'m' if code == Path.MOVETO else 'l'}")
            last = (v[0], v[1])
        elif code == Path.CURVE3:  # quadratic (TrueType glyphs): the same curve as a cubic
            (qx, qy), (x, y) = (v[0], v[1]), (v[2], v[3])
            c = (last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]),
                 x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y), x, y)
            ops.append(" ".join(map(n, c)) + " c")
            last = (x, y)
        elif code == Path.CURVE4:
            ops.append(" ".join(map(n, v[:6])) + " c")
            last = (v[4], v[5])
        elif code == Path.CLOSEPOLY:
            ops.append("h")
            continue
        xs += v[0::2]
        ys += v[1::2]
    bounds = (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)
    return " ".join(ops), bounds


def _rgba(colour) -> tuple[float, float, float, float] | None:
    if colour is None:
        return None
    c = tuple(float(x) for x in colour)
    return c if len(c) == 4 else (*c[:3], 1.0)


class _RecordingRenderer(RendererBase):
    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.items: list[Shape | Text] = []
        self.glyphs: dict[str, str] = {}

    def get_canvas_width_height(self):
        return self.width, self.height

    def points_to_pixels(self, points):
        return points  # 72 dpi: one pixel is one point

    def flipy(self):
        return False

    def draw_image(self, gc, x, y, im):  # the report's charts hold no images
        raise NotImplementedError("ChartDrawing records vector shapes only")

    def _style(self, gc, fill, with_line: bool = True) -> Style:
        alpha, forced = gc.get_alpha(), gc.get_forced_alpha()
        fill = _rgba(fill)
        if fill is not None and forced:
            fill = (*fill[:3], alpha)
        stroke = _rgba(gc.get_rgb()) if with_line else None
        if stroke is not None and forced:
            stroke = (*stroke[:3], alpha)
        width = float(gc.get_linewidth()) if with_line else 0.0
        offset, dashes = gc.get_dashes()
        dash = ((float(offset or 0), tuple(float(d) for d in dashes))
                if with_line and dashes is not None and len(dashes) else None)
        clip_rect = None
        if (bbox := gc.get_clip_rectangle()) is not None:
            clip_rect = tuple(float(v) for v in bbox.bounds)
        clip_path = None
        clip, clip_transform = gc.get_clip_path()
        if clip is not None:
            clip_path = path_operators(clip, clip_transform)[0]
        return Style(fill, stroke if width > 0 else None, width, dash,
                     _CAPS.get(gc.get_capstyle(), 0), _JOINS.get(gc.get_joinstyle(), 0), clip_rect, clip_path)

    def draw_path(self, gc, path, transform, rgbFace=None):
        hatch = None
        if (hatch_path := gc.get_hatch_path()) is not None:
            hatch = Hatch(path_operators(hatch_path, Affine2D().scale(TILE))[0], _rgba(gc.get_hatch_color()),
                          float(gc.get_hatch_linewidth()))
        operators, bounds = path_operators(path, transform)
        self.items.append(Shape(operators, bounds, self._style(gc, rgbFace), hatch))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:  # the charts use no mathtext; outlines through draw_path if one ever does
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        text2path = self._text2path
        font = text2path._get_font(prop)
        placed, new, _ = text2path.get_glyphs_with_font(font, s, features=features, language=language,
                                                        glyph_map=self.glyphs, return_new_glyphs_only=True)
        for name, (verts, codes) in new.items():
            if name not in _OUTLINES:
                _OUTLINES[name] = path_operators(Path(verts, codes), IdentityTransform())[0]
            self.glyphs[name] = _OUTLINES[name]
        scale = prop.get_size_in_points() / text2path.FONT_SCALE
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (scale * cos, scale * sin, -scale * sin, scale * cos, float(x), float(y))
        glyphs = tuple((name, float(gx), float(gy)) for name, gx, gy, size in placed)
        self.items.append(Text(matrix, glyphs, self._style(gc, gc.get_rgb(), with_line=False)))


class _RecordingCanvas(FigureCanvasBase):
    """Lays the figure out with the recording renderer, so text is measured as it is drawn."""

    def __init__(self, figure: Figure, renderer: _RecordingRenderer):
        super().__init__(figure)
        self._renderer = renderer

    def get_renderer(self):
        return self._renderer


def record(fig: Figure) -> ChartDrawing:
    """Draw ``fig`` once into vector data at its own size in points (the figure is used up:
    its dpi becomes 72 and its canvas the recorder's, so build a fresh figure for each use)."""
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    renderer = _RecordingRenderer(width, height)
    _RecordingCanvas(fig, renderer)
    fig.set_dpi(72)
    fig.draw(renderer)
    return ChartDrawing(width, height, tuple(renderer.items), dict(renderer.glyphs))
