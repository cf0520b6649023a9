"""The overview of many organizations printed: landscape A4, the level counts, their chart and the table.

Thai is shaped and broken by the report's :class:`ThaiParagraph` in the report's fonts, as in
:mod:`itadesk.report.pdf`; numbers are plain strings in the same font (nothing to shape), which
keeps a province's 8,000 rows quick to lay out.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import cm, mm
from reportlab.platypus import Flowable, Image, Spacer, Table, TableStyle

from itadesk import __version__
from itadesk.ita.overview import COLUMNS, SCORE_KEYS, OverviewRow, cell, level_counts
from itadesk.report.fonts import register_report_font
from itadesk.report.pdf import Numbers, Styles, atomic_pdf, resolve_font
from itadesk.report.pdf_page import LANDSCAPE_WIDTH, PageDecoration, ReportDocTemplate
from itadesk.report.pdf_tables import HEADER_FILL, LINE
from itadesk.report.thai_text import ThaiParagraph
from itadesk.report.thai_text import cell as thai_cell

TITLE = "ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ปีงบประมาณ พ.ศ. {year}"
COUNTS = "จำนวน {total} หน่วยงาน: {counts}"
EMPTY = "ไม่มีหน่วยงานตามเงื่อนไขที่เลือก"
LANDSCAPE_TEMPLATE = 2  # ReportDocTemplate's templates: cover, portrait, landscape
# Column shares of the landscape text width, in COLUMNS order.
SHARES = (0.22, 0.08, 0.08, 0.08, 0.055, 0.055, 0.055, 0.065, 0.075, 0.06, 0.07, 0.09)
THAI_COLUMNS = frozenset({"name", "kind", "district", "province", "level"})
CHART_SIZE_CM = (15.0, 7.0)


def _value(n: Numbers, row: OverviewRow, key: str) -> str:
    value = cell(row, key)
    if key == "change":
        return n.signed(value) if value else (n.score(0.0) if value == 0 else "-")
    if key in SCORE_KEYS:
        return n.score(value) if value is not None else "-"
    if key == "previous_year":
        return n.int(value) if value else "-"
    return n.text(str(value or "-"))


def overview_story(rows: list[OverviewRow], year: int, st: Styles, n: Numbers, place: str = "",
                   chart_png: bytes | None = None) -> list[Flowable]:
    title = ThaiParagraph(TITLE.format(year=n.int(year)), st.h1)
    title.outline = (TITLE.format(year=year), 0)
    story: list[Flowable] = [title]
    if place:
        story.append(ThaiParagraph(n.text(place), st.h1_sub))
    counts = level_counts(rows) if rows else {}
    listed = ", ".join(f"{name} {n.int(count)}" for name, count in counts.items())
    story.append(ThaiParagraph(COUNTS.format(total=n.int(len(rows)), counts=listed or "-"), st.body_flush))
    if chart_png:
        story.append(Image(BytesIO(chart_png), width=CHART_SIZE_CM[0] * cm, height=CHART_SIZE_CM[1] * cm))
    widths = [LANDSCAPE_WIDTH * s for s in SHARES]
    table_rows: list[list] = [[thai_cell(heading, st.th) for _, heading in COLUMNS]]
    for row in rows:
        table_rows.append([thai_cell(_value(n, row, key), st.td) if key in THAI_COLUMNS else _value(n, row, key)
                           for key, _ in COLUMNS])
    if not rows:
        table_rows.append([thai_cell(EMPTY, st.td)] + [""] * (len(COLUMNS) - 1))
    table = Table(table_rows, colWidths=widths, repeatRows=1)
    numeric = [i for i, (key, _) in enumerate(COLUMNS) if key not in THAI_COLUMNS]
    style = [("GRID", (0, 0), (-1, -1), 0.5, LINE), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("FONTNAME", (0, 0), (-1, -1), st.td.fontName), ("FONTSIZE", (0, 0), (-1, -1), st.td.fontSize)]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric]
    if not rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    story += [Spacer(1, 3 * mm), table]
    return story


def chart_png(rows: list[OverviewRow], year: int, *, thai_digits: bool = False, font: str | None = None) -> bytes:
    """The level chart as the PDF prints it (build it on the GUI thread, as the report's charts)."""
    from itadesk.report.charts import chart_font, render_png  # noqa: PLC0415
    from itadesk.report.overview_chart import level_distribution  # noqa: PLC0415

    chosen = resolve_font(font)
    typeface = chart_font(chosen.paths.values(), chosen.size_factor)
    fig = level_distribution(level_counts(rows), year, thai_digits=thai_digits, size_cm=CHART_SIZE_CM,
                             typeface=typeface)
    return render_png(fig, dpi=150)


def build_overview_pdf(rows: list[OverviewRow], year: int, output: str | os.PathLike, *, place: str = "",
                       thai_digits: bool = False, font: str | None = None, chart: bytes | bool = True) -> int:
    """Write the overview PDF (replaced atomically); the number of pages. PdfError in Thai.

    ``place``: what the rows are (the filters chosen, e.g. "จังหวัดขอนแก่น อำเภอเมือง");
    ``chart``: the chart's PNG (:func:`chart_png`), True to draw it here, False for none.
    """
    output = Path(output)
    chosen = resolve_font(font)
    register_report_font(chosen.name)
    st, n = Styles(chosen.name), Numbers(thai_digits)
    png = chart if isinstance(chart, bytes) else None
    if chart is True and rows:
        png = chart_png(rows, year, thai_digits=thai_digits, font=font)
    decoration = PageDecoration(font_name=chosen.font_name(), font_size=9,
                                footer=TITLE.format(year=n.int(year)) + (f" · {n.text(place)}" if place else ""),
                                page_number=lambda page: f"- {n.int(page)} -")
    with atomic_pdf(output) as tmp:
        doc = ReportDocTemplate(str(tmp), decoration, title=TITLE.format(year=year), author=place or "ITA Desk",
                                creator=f"ITA Desk {__version__}", lang="th-TH",
                                initialFontName=chosen.font_name())
        doc._firstPageTemplateIndex = LANDSCAPE_TEMPLATE  # the table needs the width from page one
        doc.build(overview_story(rows, year, st, n, place, png))
        pages = doc.page
    return pages
