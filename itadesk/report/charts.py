"""ITA score charts, built once here and shown both in the GUI panel and in the printed PDF.

Every function takes domain objects (``Assessment``, ``Evaluation``, ``Catalog``) and returns a
plain :class:`matplotlib.figure.Figure`. Nothing here imports Qt or touches ``pyplot``: the
GUI wraps a figure in a canvas (``itadesk.ui.chart_view``), the PDF asks for
:func:`render_png` or :func:`render_svg`. Because the numbers come from the same
``scoring``/``numbers`` rules the tables use, a chart can never disagree with the table
printed beside it.

Thai text: the bundled Sarabun is registered with Matplotlib's font manager and named
explicitly on every text element (ticks, axis labels, legends, value labels, notes) rather
than through ``rcParams``, so building a chart changes no global setting the GUI or another
chart relies on. Matplotlib 3.11 lays text out with libraqm, which shapes Thai
(tone marks stacked over upper vowels, shifted clear of tall consonants) once the font has
the glyphs; DejaVu Sans is the fallback for the odd symbol Sarabun lacks. Every chart
function also takes ``typeface=chart_font(paths, size_factor)``, so the PDF draws its charts
in the font chosen for the report (a TH Sarabun family, sizes scaled to look the same).
Labels are wrapped at the words of :mod:`itadesk.ita.thai_words`, as the PDF's text is.

Print: colours are chosen by luminance so a grayscale print still tells the years apart
(last year light with hatching, this year dark and solid); the target, 85 points
(``findings.DEFAULT_THRESHOLD`` unless the report sets another), is a dashed line. Sizes are
in centimetres, 16 cm wide by default to fit an A4 page inside the 3 cm / 2 cm margins of an
official document.

A canvas resizes the figure it shows, so build a fresh figure for each use (they are cheap)
rather than rendering a figure the GUI is showing into the PDF.
"""

from __future__ import annotations

import functools
import inspect
import io
import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import itadesk.report.matplotlib_loader  # noqa: F401, I001 - first: Matplotlib loaded without its help texts
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FixedLocator, FuncFormatter

from itadesk.ita.catalog import Catalog, catalog_of, load_catalog
from itadesk.ita.findings import DEFAULT_THRESHOLD
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import fmt2, round2, to_thai_digits
from itadesk.ita.scoring import Evaluation, evaluate
from itadesk.report.chart_sizes import (CM, SIZE_INDICATORS, SIZE_TOOLS, SIZE_TREND,  # noqa: F401 (public names)
                                        full_items_tool, oit_rows, wrap_label)
from itadesk.resources import resource_path

FONT_FAMILY = "Sarabun"
_FALLBACK_FAMILY = "DejaVu Sans"
_FONT_FILES = ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "Sarabun-Italic.ttf", "Sarabun-BoldItalic.ttf")

# Colours: distinct in luminance so they survive a grayscale print.
INK = "#222222"
MUTED = "#5c5c5c"
GRID = "#d6d6d6"
CURRENT_FILL = "#1f3a5f"  # dark navy, solid: this year
PREVIOUS_FILL = "#c5ced9"  # light blue-grey with hatching: last year
PREVIOUS_EDGE = "#4d5d70"
PREVIOUS_HATCH = "////"
TARGET_COLOUR = "#a4262c"  # dark red, dashed
TREND_COLOUR = CURRENT_FILL

# A white outline keeps a label readable where it crosses a line (the target, a grid line).
_HALO = [withStroke(linewidth=2.5, foreground="white")]

BASE_PT = 9.0
SMALL_PT = 7.5
NOTE_PT = 7.5

# All Thai words the charts show, in one place.
TEXT = {
    "year": "ปีงบประมาณ พ.ศ. {year}",
    "score": "คะแนน",
    "indicator_fallback": "ตัวชี้วัดที่ {number}",
    "no_data": "ไม่มีข้อมูล",
    "no_data_short": "ไม่มี\nข้อมูล",
    "no_previous": "ไม่มีผลการประเมินปีก่อนให้เปรียบเทียบ แสดงเฉพาะปี พ.ศ. {year}",
    "no_indicators": "ยังไม่มีคะแนนรายตัวชี้วัดของปี พ.ศ. {year}",
    "missing_indicators": "ไม่มีคะแนนตัวชี้วัดที่ {numbers} ของปี พ.ศ. {year}",
    "target": "เป้าหมาย {target} คะแนน",
    "overall": "คะแนนรวม",
    "tool_incomplete": "คะแนน {tools} ของปี พ.ศ. {year} ไม่ครบทุกตัวชี้วัด จึงคำนวณไม่ได้",
    "oit_none": "ยังไม่มีคะแนน {tool} รายข้อของปี พ.ศ. {year}",
    "oit_all_full": "ข้อคำถาม {tool} ทุกข้อของปี พ.ศ. {year} ได้ 100 คะแนน ไม่มีข้อที่เสียคะแนน",
    "oit_no_previous": "ไม่มีคะแนน {tool} รายข้อของปี พ.ศ. {year} ให้เปรียบเทียบ แสดงเฉพาะปี พ.ศ. {current}",
    "oit_changed_items": "ข้อ {codes} ของปี พ.ศ. {year} เป็นคนละเรื่องกับปีนี้ จึงไม่นำมาเทียบ",
    "trend_series": "คะแนนรวม ITA",
    "trend_none": "ยังไม่มีผลการประเมินที่คำนวณคะแนนรวมได้",
    "trend_incomplete": "ปี พ.ศ. {years} คะแนนไม่ครบทุกตัวชี้วัด จึงไม่แสดงคะแนนรวม",
    "trend_unconfirmed": "* เกณฑ์ระดับของปีนั้นยังไม่ได้รับการยืนยัน",
    "fiscal_year": "ปีงบประมาณ (พ.ศ.)",
}
# The tools' names under their bars are the catalog's ``short_name`` (the full name without
# the words every tool shares, "แบบวัด", "การรับรู้ของ"): a bar group is ~3.5 cm wide, room
# for two lines of ~16 columns at 9 pt, and the full names (up to 41 columns) would end in
# "…" or crowd the next group. A tool without a short name gets its catalog name.


# --------------------------------------------------------------------------- fonts and text

@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Add the bundled Sarabun faces to Matplotlib's font manager (once); return the family.

    Without this, Matplotlib falls back to DejaVu Sans, which has no Thai glyphs: every Thai
    letter would come out as an empty box.
    """
    for name in _FONT_FILES:
        path = resource_path("fonts", name)
        if path.exists():
            font_manager.fontManager.addfont(str(path))
    return FONT_FAMILY


@dataclass(frozen=True)
class ChartFont:
    """The typeface of a chart's text: a family Matplotlib knows, and the factor that makes
    its point sizes look like Sarabun's (``fonts.ReportFont.size_factor``: 1.5 for TH Sarabun,
    which draws its glyphs ~1.5x smaller at the same size). Sarabun and DejaVu Sans stand in
    for any glyph the family lacks."""

    family: str = FONT_FAMILY
    size_factor: float = 1.0

    def families(self) -> list[str]:
        return list(dict.fromkeys([self.family, FONT_FAMILY, _FALLBACK_FAMILY]))

    def size(self, sarabun_points: float) -> float:
        return round(sarabun_points * self.size_factor, 2)


SARABUN = ChartFont()


@lru_cache(maxsize=None)
def _add_font_file(path: str) -> str:
    """Register one font file with Matplotlib (once); return the family name it is known by."""
    font_manager.fontManager.addfont(path)
    return font_manager.ttfFontProperty(font_manager.get_font(path)).name


def chart_font(paths: Iterable[str | Path], size_factor: float = 1.0) -> ChartFont:
    """The ChartFont for a family's .ttf files (regular face first), e.g. the report's
    ``ReportFont.paths.values()`` and ``size_factor``; with no files, the bundled Sarabun."""
    register_fonts()
    families = [_add_font_file(str(p)) for p in paths]
    if not families:
        return SARABUN
    return ChartFont(families[0], size_factor)


# The typeface of the figure being built: set by the ``typeface=`` argument of the public
# chart functions for the duration of that one call (a context variable, so another thread
# or the GUI building its own chart meanwhile is not affected).
_TYPEFACE: ContextVar[ChartFont] = ContextVar("chart_typeface", default=SARABUN)


def _takes_typeface(build):
    """Give a chart builder a keyword ``typeface: ChartFont | None`` (default Sarabun)."""
    @functools.wraps(build)
    def wrapper(*args, typeface: ChartFont | None = None, **kwargs):
        token = _TYPEFACE.set(typeface or SARABUN)
        try:
            return build(*args, **kwargs)
        finally:
            _TYPEFACE.reset(token)

    signature = inspect.signature(build)
    wrapper.__signature__ = signature.replace(parameters=[
        *signature.parameters.values(),
        inspect.Parameter("typeface", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation="ChartFont | None")])
    return wrapper


def font(size: float = BASE_PT, bold: bool = False) -> FontProperties:
    """Text properties in the current typeface; ``size`` in Sarabun points."""
    register_fonts()
    face = _TYPEFACE.get()
    return FontProperties(family=face.families(), size=face.size(size),
                          weight="bold" if bold else "normal")


def _digits(text: str, thai_digits: bool) -> str:
    return to_thai_digits(text) if thai_digits else text


def _score(value: float | None, thai_digits: bool) -> str:
    return fmt2(value, thai_digits)


def _year(year: int, thai_digits: bool) -> str:
    return _digits(TEXT["year"].format(year=year), thai_digits)


# --------------------------------------------------------------------------- figure helpers

def _new_figure(size_cm: tuple[float, float]) -> Figure:
    register_fonts()
    fig = Figure(figsize=(size_cm[0] * CM, size_cm[1] * CM), dpi=100, layout="constrained",
                 facecolor="white")
    fig.get_layout_engine().set(h_pad=4 / 72, w_pad=4 / 72, hspace=0.02, wspace=0.02)
    return fig


def _style_axes(ax, thai_digits: bool, value_axis: str) -> None:
    """Sober axes: no top/right frame, light grid along the value axis, Sarabun ticks."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
        ax.spines[side].set_linewidth(0.6)
    face = _TYPEFACE.get()
    ax.tick_params(labelfontfamily=face.families(), labelsize=face.size(BASE_PT),
                   colors=INK, width=0.6, length=3)
    ax.set_axisbelow(True)
    ax.grid(axis=value_axis, color=GRID, linewidth=0.6)
    formatter = FuncFormatter(lambda v, _pos: _digits(f"{v:g}", thai_digits))
    (ax.xaxis if value_axis == "x" else ax.yaxis).set_major_formatter(formatter)


def _legend(ax, handles: list, ncols: int | None = None) -> None:
    """One row of legend above the plot, outside the data so it hides no bar."""
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncols=ncols or len(handles), frameon=False, prop=font(BASE_PT),
              handlelength=2.2, handleheight=1.0, columnspacing=1.8, borderaxespad=0.3)


def _year_handles(current_year: int, previous_year: int | None, thai_digits: bool) -> list:
    handles = []
    if previous_year is not None:
        handles.append(Patch(facecolor=PREVIOUS_FILL, edgecolor=PREVIOUS_EDGE, hatch=PREVIOUS_HATCH,
                             linewidth=0.6, label=_year(previous_year, thai_digits)))
    handles.append(Patch(facecolor=CURRENT_FILL, edgecolor=CURRENT_FILL, linewidth=0.6,
                         label=_year(current_year, thai_digits)))
    return handles


def _bar_style(previous: bool) -> dict:
    if previous:
        return dict(color=PREVIOUS_FILL, edgecolor=PREVIOUS_EDGE, hatch=PREVIOUS_HATCH, linewidth=0.6)
    return dict(color=CURRENT_FILL, edgecolor=CURRENT_FILL, linewidth=0.6)


def _notes(fig: Figure, notes: Sequence[str], thai_digits: bool) -> None:
    """Explain missing data under the chart (in the layout, so it never overlaps the plot)."""
    notes = [n for n in dict.fromkeys(notes) if n]
    if notes:
        fig.supxlabel("\n".join(_digits(n, thai_digits) for n in notes), x=0.01, ha="left",
                      fontproperties=font(NOTE_PT), color=MUTED)


def _centre_message(ax, message: str, thai_digits: bool) -> None:
    ax.text(0.5, 0.5, _digits(message, thai_digits), transform=ax.transAxes, ha="center",
            va="center", fontproperties=font(BASE_PT), color=MUTED)


def _value_label(ax, x: float, y: float, text: str, horizontal: bool) -> None:
    if horizontal:
        ax.annotate(text, (x, y), xytext=(2.5, 0), textcoords="offset points", ha="left",
                    va="center", fontproperties=font(SMALL_PT), color=INK, clip_on=False)
    else:
        ax.annotate(text, (x, y), xytext=(0, 2), textcoords="offset points", ha="center",
                    va="bottom", fontproperties=font(SMALL_PT), color=INK, clip_on=False)


def _missing_label(ax, x: float, y: float, horizontal: bool) -> None:
    if horizontal:
        ax.annotate(TEXT["no_data"], (x, y), xytext=(2.5, 0), textcoords="offset points",
                    ha="left", va="center", fontproperties=font(SMALL_PT), color=MUTED,
                    fontstyle="italic")
    else:  # two short lines fit the width of one bar
        ax.annotate(TEXT["no_data_short"], (x, y), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", fontproperties=font(SMALL_PT), color=MUTED,
                    linespacing=1.1)


def _grouped_hbars(ax, labels: list[str], series: list[tuple[bool, list[float | None]]],
                   thai_digits: bool) -> None:
    """Horizontal bars, one group per label (first label on top), one bar per series."""
    n = len(series)
    height = 0.8 / n if n > 1 else 0.6
    for s, (is_previous, values) in enumerate(series):
        offset = (s - (n - 1) / 2) * height
        for row, value in enumerate(values):
            y = row + offset
            if value is None:
                _missing_label(ax, 0, y, horizontal=True)
                continue
            ax.barh(y, round2(value), height=height * 0.92, **_bar_style(is_previous))
            _value_label(ax, round2(value), y, _score(value, thai_digits), horizontal=True)
    ax.set_yticks(range(len(labels)), labels, fontproperties=font(BASE_PT))
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first row on top
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0)


# --------------------------------------------------------------------------- the charts

@_takes_typeface
def indicator_comparison(current: Assessment, previous: Assessment | None,
                         catalog: Catalog | None = None, *, thai_digits: bool = False,
                         size_cm: tuple[float, float] = SIZE_INDICATORS) -> Figure:
    """This year's score of every indicator beside last year's, values printed on the bars.

    Rows are the indicators of ``catalog`` (this year's, loaded if not given) plus any other
    indicator either year has a score for. A missing score says "ไม่มีข้อมูล" instead of a bar.
    """
    catalog = catalog or catalog_of(current)
    numbers = list(catalog.indicator_numbers)
    extra = set(current.indicators) | set(previous.indicators if previous else ())
    numbers += sorted(extra - set(numbers))

    def name(number: int) -> str:
        try:
            title = catalog.indicator(number).name
        except KeyError:
            return _digits(TEXT["indicator_fallback"].format(number=number), thai_digits)
        return f"{_digits(str(number), thai_digits)}. {title}"

    fig = _new_figure(size_cm)
    ax = fig.add_subplot()
    _style_axes(ax, thai_digits, "x")
    notes: list[str] = []
    series: list[tuple[bool, list[float | None]]] = []
    if previous is not None:
        series.append((True, [previous.indicators.get(n) for n in numbers]))
    series.append((False, [current.indicators.get(n) for n in numbers]))
    _grouped_hbars(ax, [name(n) for n in numbers], series, thai_digits)
    ax.set_xlabel(TEXT["score"], fontproperties=font(BASE_PT), color=INK)
    _legend(ax, _year_handles(current.fiscal_year, previous.fiscal_year if previous else None, thai_digits))

    if not current.indicators:
        notes.append(TEXT["no_indicators"].format(year=current.fiscal_year))
    else:
        missing = [n for n in catalog.indicator_numbers if current.indicators.get(n) is None]
        if missing:
            notes.append(TEXT["missing_indicators"].format(
                numbers=", ".join(map(str, missing)), year=current.fiscal_year))
    if previous is None:
        notes.append(TEXT["no_previous"].format(year=current.fiscal_year))
    elif previous.indicators:
        missing = [n for n in numbers if previous.indicators.get(n) is None]
        if missing:
            notes.append(TEXT["missing_indicators"].format(
                numbers=", ".join(map(str, missing)), year=previous.fiscal_year))
    else:
        notes.append(TEXT["no_indicators"].format(year=previous.fiscal_year))
    _notes(fig, notes, thai_digits)
    return fig


@_takes_typeface
def tool_scores(evaluation_current: Evaluation, evaluation_previous: Evaluation | None = None, *,
                target: float = DEFAULT_THRESHOLD, thai_digits: bool = False,
                size_cm: tuple[float, float] = SIZE_TOOLS) -> Figure:
    """Every tool's score and the overall score of both years against the dashed target line."""
    codes = list(evaluation_current.tools)
    if evaluation_previous is not None:
        codes += [c for c in evaluation_previous.tools if c not in codes]
    catalog = load_catalog(evaluation_current.fiscal_year)
    names = {t.code: t.short_name or t.name for t in catalog.tools}
    labels = [f"{c}\n{wrap_label(names.get(c, ''), 16)}".rstrip() for c in codes]
    labels.append(f"ITA\n{TEXT['overall']}")

    def values(ev: Evaluation) -> list[float | None]:
        return [ev.tools.get(c) for c in codes] + [ev.total]

    series: list[tuple[bool, Evaluation]] = []
    if evaluation_previous is not None:
        series.append((True, evaluation_previous))
    series.append((False, evaluation_current))

    fig = _new_figure(size_cm)
    ax = fig.add_subplot()
    _style_axes(ax, thai_digits, "y")
    n = len(series)
    width = 0.7 / n if n > 1 else 0.45
    notes: list[str] = []
    for s, (is_previous, ev) in enumerate(series):
        offset = (s - (n - 1) / 2) * width
        for i, value in enumerate(values(ev)):
            x = i + offset
            if value is None:
                _missing_label(ax, x, 0, horizontal=False)
                continue
            ax.bar(x, round2(value), width=width * 0.92, **_bar_style(is_previous))
            _value_label(ax, x, round2(value), _score(value, thai_digits), horizontal=False)
        incomplete = [c for c in codes if ev.tools.get(c) is None]
        if incomplete:
            notes.append(TEXT["tool_incomplete"].format(tools=", ".join(incomplete), year=ev.fiscal_year))
    line = ax.axhline(target, color=TARGET_COLOUR, linestyle=(0, (5, 3)), linewidth=1.1, zorder=3,
                      label=_digits(TEXT["target"].format(target=f"{target:g}"), thai_digits))
    ax.set_xticks(range(len(labels)), labels, fontproperties=font(BASE_PT))
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.set_ylim(0, 107)  # room over 100 for the value printed on a full bar
    ax.spines["left"].set_bounds(0, 100)
    ax.yaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.set_ylabel(TEXT["score"], fontproperties=font(BASE_PT), color=INK)
    handles = _year_handles(evaluation_current.fiscal_year,
                            evaluation_previous.fiscal_year if evaluation_previous else None, thai_digits)
    _legend(ax, handles + [line])
    if evaluation_previous is None:
        notes.append(TEXT["no_previous"].format(year=evaluation_current.fiscal_year))
    _notes(fig, notes, thai_digits)
    return fig


@_takes_typeface
def oit_items_lost(current: Assessment, previous: Assessment | None = None,
                   catalog: Catalog | None = None, *, thai_digits: bool = False,
                   size_cm: tuple[float, float] | None = None, label_width: int = 34,
                   tool: str | None = None) -> Figure:
    """The items of ``tool`` (by default the catalog's tool judged on full marks, OIT) that
    lost points this year, with last year's score of the same item.

    Which items lost points is decided by :func:`itadesk.ita.findings.lost_items` (below
    100 as published), the same answer the PDF's lists and the analysis tab give; they are
    shown in catalog order, any item the catalog does not list after them.
    When last year has no item scores (the NACC published only indicator scores before
    2568) the chart shows this year's items alone and says so.
    """
    rows = oit_rows(current, previous, catalog, tool, label_width)
    tool, codes, lost, labels, previous_scores = rows.tool, rows.codes, rows.lost, rows.labels, rows.previous_scores
    notes: list[str] = []
    if rows.changed:
        notes.append(TEXT["oit_changed_items"].format(codes=", ".join(rows.changed), year=previous.fiscal_year))
    elif previous is not None and previous_scores is None and lost:
        notes.append(TEXT["oit_no_previous"].format(tool=tool, year=previous.fiscal_year, current=current.fiscal_year))
    size_cm = size_cm or rows.size_cm()
    fig = _new_figure(size_cm)
    ax = fig.add_subplot()
    _style_axes(ax, thai_digits, "x")
    if not lost:
        has_items = any(current.item_score(c) is not None for c in codes)
        message = TEXT["oit_all_full" if has_items else "oit_none"].format(tool=tool, year=current.fiscal_year)
        _centre_message(ax, message, thai_digits)
        ax.set_yticks([])
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        ax.set_xlabel(TEXT["score"], fontproperties=font(BASE_PT), color=INK)
        _notes(fig, notes, thai_digits)
        return fig

    series: list[tuple[bool, list[float | None]]] = []
    if previous_scores is not None:
        series.append((True, [previous_scores[c] for c in lost]))
    series.append((False, [current.item_score(c) for c in lost]))
    _grouped_hbars(ax, labels, series, thai_digits)
    ax.set_xlabel(TEXT["score"], fontproperties=font(BASE_PT), color=INK)
    _legend(ax, _year_handles(current.fiscal_year,
                              previous.fiscal_year if previous_scores is not None else None, thai_digits))
    _notes(fig, notes, thai_digits)
    return fig


@_takes_typeface
def overall_trend(assessments: Iterable[Assessment], *, target: float = DEFAULT_THRESHOLD,
                  thai_digits: bool = False, size_cm: tuple[float, float] = SIZE_TREND) -> Figure:
    """The overall score of every fiscal year given, each point annotated with its level.

    Each year is scored with its own catalog, so levels follow that year's rules
    (AA-E grades up to 2565, pass/fail from 2566).
    """
    by_year: dict[int, Assessment] = {}
    for a in assessments:
        by_year[a.fiscal_year] = a
    years = sorted(by_year)
    totals: dict[int, float | None] = {}
    levels: dict[int, str] = {}
    unconfirmed = False
    for year in years:
        ev = evaluate(by_year[year])
        totals[year] = ev.total
        if ev.level is not None:
            levels[year] = ev.level.name + ("" if ev.level.confirmed else "*")
            unconfirmed |= not ev.level.confirmed
    incomplete = [y for y in years if totals[y] is None]
    known = [totals[y] for y in years if totals[y] is not None]

    fig = _new_figure(size_cm)
    ax = fig.add_subplot()
    _style_axes(ax, thai_digits, "y")
    notes: list[str] = []
    line = ax.axhline(target, color=TARGET_COLOUR, linestyle=(0, (5, 3)), linewidth=1.1, zorder=2,
                      label=_digits(TEXT["target"].format(target=f"{target:g}"), thai_digits))
    low = min(known + [target])
    bottom = max(0.0, (low // 10) * 10 - 10)
    # Room above 100 for the value and level written over the highest point.
    ax.set_ylim(bottom, 100 + (100 - bottom) * 0.22)
    if known:
        # NaN for a year that cannot be scored breaks the line there instead of bridging it.
        ys = [totals[y] if totals[y] is not None else float("nan") for y in years]
        (series,) = ax.plot(years, ys, color=TREND_COLOUR, linewidth=1.6, marker="o", markersize=5,
                            markerfacecolor="white", markeredgewidth=1.4, zorder=4,
                            label=TEXT["trend_series"])
        for year in years:
            total = totals[year]
            if total is None:
                ax.annotate(TEXT["no_data"], (year, bottom), xytext=(0, 4), textcoords="offset points",
                            ha="center", va="bottom", fontproperties=font(SMALL_PT), color=MUTED)
                continue
            level = levels.get(year, "")
            text = _score(total, thai_digits) + (f"\n{level}" if level else "")
            ax.annotate(text, (year, total), xytext=(0, 6), textcoords="offset points", ha="center",
                        va="bottom", fontproperties=font(SMALL_PT), color=INK, linespacing=1.15,
                        zorder=5, path_effects=_HALO)
        _legend(ax, [series, line])
    else:
        _centre_message(ax, TEXT["trend_none"], thai_digits)
        _legend(ax, [line])
    ax.yaxis.set_major_locator(FixedLocator([v for v in range(0, 101, 5) if v >= bottom]))
    ax.spines["left"].set_bounds(bottom, 100)
    ticks = years or [0]
    ax.set_xticks(ticks, [_digits(str(y), thai_digits) if y else "" for y in ticks],
                  fontproperties=font(BASE_PT))
    pad = 0.5 if len(ticks) > 1 else 1.0
    ax.set_xlim(ticks[0] - pad, ticks[-1] + pad)
    ax.set_xlabel(TEXT["fiscal_year"], fontproperties=font(BASE_PT), color=INK)
    ax.set_ylabel(TEXT["score"], fontproperties=font(BASE_PT), color=INK)
    if incomplete:
        notes.append(TEXT["trend_incomplete"].format(years=", ".join(map(str, incomplete))))
    if unconfirmed:
        notes.append(TEXT["trend_unconfirmed"])
    _notes(fig, notes, thai_digits)
    return fig


# --------------------------------------------------------------------------- output

def render_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as a PNG at ``dpi`` (its size stays the figure's size, for exact placement)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


_EMPTY_GLYPH = re.compile(r'(<path id="[^"]+" transform="[^"]*")\s*/>')


def render_svg(fig: Figure) -> bytes:
    """The figure as SVG with text drawn as outlines (``svg.fonttype='path'``, Matplotlib's
    default), so the PDF needs no font to show it and the shaping is already done.

    Matplotlib writes glyphs with no outline (the space) as ``<path>`` without ``d``; some
    renderers (Qt's, for one) drop those and then warn about every ``<use>`` of them, so an
    empty ``d`` is filled in.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    text = buffer.getvalue().decode("utf-8")
    text = _EMPTY_GLYPH.sub(r'\1 d="M 0 0"/>', text)
    return text.encode("utf-8")


def figure_texts(fig: Figure) -> list[str]:
    """Every visible string on the figure (ticks, legend, labels, notes), e.g. for tests."""
    from matplotlib.text import Text

    fig.draw_without_rendering()  # creates the tick labels
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
