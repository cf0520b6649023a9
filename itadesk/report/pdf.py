"""The printed report (PDF): what goes to the council meeting and onto the office's website.

It follows the structure of the hand-written reports offices publish ("การนำผลการประเมิน
ITA ไปสู่การพัฒนาองค์กร"), without their slips: every figure comes from
:class:`~itadesk.report.content.ReportData` (this module never computes a score, it only
lays out what the rules computed), indicator names come from the year's catalog, the change
of a score is labelled in points and the percent change is a separate, labelled figure, and
consistency warnings are printed, never hidden.

Order: cover; summary of both years with the overall result; charts; part 1, analysis by
indicator with item scores and the officer's text; the assessors' recommendations; part 2,
the action plan on landscape pages; signatures.

Why warnings are always printed (there is no option to leave them out): the report is the
office's public record. If the file holds item scores that do not add up to the published
indicator score (the reference report copied i4–i9 from other indicators), printing the
numbers without a word would show the council inconsistent data as if it were sound. The
note is short, boxed, and disappears once the data are corrected; the export dialog tells
the officer about it before the PDF is made.

Thai text is laid out only with :mod:`itadesk.report.thai_text` (``ThaiParagraph`` and
``cell``); ReportLab's own Paragraph would break Thai words and collide tone marks.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import cm, mm
from reportlab.platypus import (Flowable, Image, KeepTogether, NextPageTemplate,
                                PageBreak, Spacer, Table, TableStyle)

from itadesk import __version__
from itadesk.ita.org_names import short_name
from itadesk.ita.numbers import fmt2, fmt_signed, thai_digits_in_text, to_thai_digits
from itadesk.ita.thai_dates import format_thai_date
from itadesk.report.chart_drawing import ChartDrawing
from itadesk.report.chart_flowable import ChartFlowable, LaterChart, LaterChartCanvas
from itadesk.report.chart_jobs import ReportCharts, report_charts, report_font_or_none
from itadesk.report.content import ReportData
from itadesk.report.model import INDICATOR, LEVEL, OVERALL, IndicatorSection, Signature, build_report
from itadesk.report.fonts import PdfError, ReportFont, register_report_font, resolve_font
from itadesk.report.pdf_flow import BodyParagraph
from itadesk.report.pdf_page import (LANDSCAPE_WIDTH, PORTRAIT_WIDTH, PageDecoration,
                                     ReportDocTemplate)
from itadesk.report.pdf_tables import (FINDING_FILL, HEADER_FILL, LINE, TOTAL_FILL, GroupedTable,
                                       continuation_rows, group_label)
from itadesk.report.thai_text import ThaiParagraph, cell, paragraph_style, rule_padding, text_width
from itadesk.texts import join_thai

WARNING_LINE = colors.HexColor("#9c6b00")
WARNING_FILL = colors.HexColor("#fff7e6")
PLAN_CHUNK_LINES = 4  # a plan row is cut into pieces of this many lines; a page ends between pieces
CHART_DPI = 300  # sharp in print and when zoomed on screen; ~1 MB for the four charts
TITLE = "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"

# Every sentence the report prints, in one place.
TEXT = {
    "title_lines": "การนำผลการประเมิน ITA\nไปสู่การพัฒนาองค์กร",
    "subtitle": "ในการดำเนินงานของหน่วยงานภาครัฐ",
    "fiscal_year": "ประจำปีงบประมาณ พ.ศ. {year}",
    "ita_full": "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ\n"
                "(Integrity and Transparency Assessment: ITA)",
    "footer": "{title} ประจำปีงบประมาณ พ.ศ. {year} · {org}",
    "footer_short": "{title} ปีงบประมาณ พ.ศ. {year} · {org}",  # with the short name, when the first is too wide
    "summary_title": "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
                     "ของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {year}",
    "summary_outline": "สรุปผลการประเมิน",
    "summary_intro": "{org} ได้รับผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                     "ประจำปีงบประมาณ พ.ศ. {year} คะแนนรวม {total} คะแนน ระดับผลการประเมิน {level} "
                     "รายละเอียดคะแนนรายตัวชี้วัดและรายเครื่องมือเทียบกับปีที่ผ่านมา ดังตารางที่ 1",
    "summary_intro_incomplete": "{org} ยังมีคะแนนผลการประเมินประจำปีงบประมาณ พ.ศ. {year} ไม่ครบทุกตัวชี้วัด "
                                "จึงยังคำนวณคะแนนรวมและระดับผลการประเมินไม่ได้ คะแนนที่มีอยู่แสดงในตารางที่ 1",
    "table1": "ตารางที่ 1 สรุปผลการประเมินรายตัวชี้วัดและรายเครื่องมือ ปี พ.ศ. {years}",
    "col_tool": "เครื่องมือ",
    "col_indicator": "ตัวชี้วัด",
    "col_no": "ที่",
    "col_name": "ชื่อตัวชี้วัด",
    "col_scores": "คะแนน",
    "col_year": "ปี {year}",
    "col_prev_none": "ปีก่อน",
    "col_change": "การเปลี่ยนแปลง",
    "col_points": "ผลต่าง (คะแนน)",
    "col_direction": "ทิศทาง",
    "note_weights": "หมายเหตุ: คะแนนรายเครื่องมือเป็นค่าเฉลี่ยของตัวชี้วัดในเครื่องมือนั้น "
                    "{weights} ผลต่างแสดงเป็นคะแนน (ไม่ใช่ร้อยละ) "
                    "ช่องที่แรเงาคือคะแนนที่ต่ำกว่า {threshold} คะแนน",
    "overall_heading": "การวิเคราะห์ผลการประเมินในภาพรวม",
    "warnings_title": "หมายเหตุ: ข้อมูลที่ไม่สอดคล้องกัน",
    "warnings_intro": "โปรแกรมตรวจพบรายการต่อไปนี้ในข้อมูลที่บันทึกไว้ ตัวเลขในรายงานนี้พิมพ์ตามที่บันทึกไว้"
                      "โดยไม่ได้แก้ไข ควรตรวจสอบกับผลการประเมินในระบบ ITAS ก่อนนำไปใช้อ้างอิง",
    "charts_title": "ผลการประเมินในรูปแผนภูมิ",
    "figure": "ภาพที่ {n} {caption}",
    "chart_indicators": "คะแนนรายตัวชี้วัด ปี พ.ศ. {year} เทียบกับปี พ.ศ. {py}",
    "chart_indicators_single": "คะแนนรายตัวชี้วัด ปี พ.ศ. {year}",
    "chart_tools": "คะแนนรายเครื่องมือและคะแนนรวม เทียบกับค่าเป้าหมาย {threshold} คะแนน",
    "chart_oit": "ข้อคำถามของแบบวัด {tool} ที่ไม่ได้คะแนนเต็ม ปี พ.ศ. {year}",
    "chart_trend": "คะแนนรวม ITA ปี พ.ศ. {first}–{last}",
    "chart_failed": "สร้างแผนภูมินี้ไม่ได้ ({error})",
    "part1": "ส่วนที่ 1 การวิเคราะห์ผลการประเมินรายตัวชี้วัด",
    "part1_intro": "คะแนนรายข้อคำถามตามเกณฑ์การประเมินปี พ.ศ. {year} และผลการวิเคราะห์ของหน่วยงานรายตัวชี้วัด "
                   "ช่องคะแนนที่แรเงาคือข้อที่ต้องปรับปรุง ({rules})",
    "shade_low": "แบบวัด {tools} ต่ำกว่า {threshold} คะแนน",
    "shade_full": "แบบวัด {tools} ไม่ได้คะแนนเต็ม 100 คะแนน",
    "tool_heading": "แบบวัด {code}: {name}",
    "indicator_heading": "ตัวชี้วัดที่ {number} {name}",
    "indicator_score": "{score} คะแนน",
    "indicator_score_missing": "ไม่มีคะแนน",
    "indicator_meta": "แบบวัด {tool} · ปี พ.ศ. {py}: {pscore} คะแนน · ผลต่าง {points} คะแนน ({direction})",
    "indicator_meta_no_previous": "แบบวัด {tool} · ไม่มีคะแนนของปีก่อนให้เปรียบเทียบ",
    "indicator_low": "ต่ำกว่า {threshold} คะแนน",
    "grid_item": "ข้อ",
    "grid_score": "คะแนน",
    "grid_part": "ส่วนที่ {part}",
    "parts_note": "ส่วนที่ {part}: {name}",
    "findings_full": "ข้อที่ไม่ได้คะแนนเต็ม",
    "findings_low": "ข้อที่ได้คะแนนต่ำกว่า {threshold} คะแนน",
    "finding_line": "{item}: {score} คะแนน",
    "finding_sub": "(ตัวชี้วัดย่อย {sub})",
    "analysis_label": "ผลการวิเคราะห์ (ข้อบกพร่อง/ข้อแก้ไข/ปรับปรุง/รักษาระดับ)",
    "analysis_missing": "ยังไม่ได้บันทึกผลการวิเคราะห์ของตัวชี้วัดนี้",
    "recommendations": "ข้อเสนอแนะจากผู้ตรวจประเมิน",
    "recommendations_intro": "ข้อเสนอแนะต่อผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                             "ประจำปีงบประมาณ พ.ศ. {year} ของ{org} ที่ได้รับผ่านระบบ ITAS ดังนี้",
    "recommendation_tool": "ข้อเสนอแนะสำหรับการประเมินตาม{name} ({name_en}: {code})",
    "part2": "ส่วนที่ 2 การนำผลการวิเคราะห์แต่ละประเด็นไปสู่การปฏิบัติ",
    "part2_sub": "แผนการดำเนินงานจากผลการประเมินปีงบประมาณ พ.ศ. {year}",
    "part2_period": "ระยะเวลาดำเนินงาน {period}",
    "plan_issue": "ประเด็น",
    "plan_measure": "มาตรการ/โครงการ/กิจกรรม",
    "plan_owner": "ผู้รับผิดชอบ/\nผู้ที่เกี่ยวข้อง",
    "plan_steps": "ขั้นตอน/วิธีปฏิบัติ",
    "plan_period": "ระยะเวลาดำเนินงาน",
    "plan_empty": "ยังไม่ได้บันทึกมาตรการในแผนการดำเนินงาน",
    "closing_heading": "การเสนอและอนุมัติรายงาน",
    "closing_text": "{org} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
                    "ประจำปีงบประมาณ พ.ศ. {year}{result} และ{plan} จึงเสนอรายงานฉบับนี้ต่อผู้บริหารเพื่อพิจารณาอนุมัติ{follow}",
    "closing_follow": " และจะติดตามผลการดำเนินงานตามแผนรายงานให้ผู้บริหารทราบต่อไป",
    "closing_result": " ซึ่งได้คะแนนรวม {total} คะแนน ระดับผลการประเมิน {level}",
    "closing_plan": "จัดทำแผนการดำเนินงาน {measures} มาตรการ ใน {issues} ประเด็น ตามส่วนที่ 2",
    "closing_no_plan": "ยังไม่ได้บันทึกมาตรการในแผนการดำเนินงาน",
    "signed": "ลงชื่อ",
    "position": "ตำแหน่ง",
    "date_line": "วันที่ .......... เดือน ...................... พ.ศ. ..........",
}
DOTS = "." * 48
DOTS_SIGN = "." * 44  # the signature lines on the portrait closing page, half its width each


class BuildCancelled(Exception):
    """Raised by a progress callback to stop a build; no file is left behind."""


@dataclass(frozen=True)
class ChartImage:
    """One chart of the report: vector ``drawing`` for the PDF, or ``png`` for Word
    (``render_charts(raster=True)``); neither, and ``error`` says why, if it failed."""

    png: bytes | None
    width_cm: float
    height_cm: float
    caption: str
    error: str = ""
    drawing: ChartDrawing | LaterChart | None = None  # a LaterChart: drawn by another process


@dataclass(frozen=True)
class BuildResult:
    path: Path
    pages: int
    warnings: int


Progress = Callable[[float, str], None]


# --------------------------------------------------------------------------- fonts and numbers

class Numbers:
    """Every number and date of the report, in Arabic or (option) Thai digits.

    In free text (the officer's analysis, the assessors' recommendations) digits become Thai
    too, except inside codes written with Latin letters (o5, e4, i10): those are the NACC's
    item codes and are searched for as written.
    """

    def __init__(self, thai: bool):
        self.thai = thai

    def score(self, value: float | None) -> str:
        return fmt2(value, self.thai)

    def signed(self, value: float | None) -> str:
        return fmt_signed(value, self.thai)

    def int(self, value) -> str:
        text = str(value)
        return to_thai_digits(text) if self.thai else text

    def text(self, text: str) -> str:
        if not self.thai or not text:
            return text or ""
        return thai_digits_in_text(text)

    def date(self, day: date | None) -> str:
        return format_thai_date(day, thai_digits=self.thai)

    def period(self, start: date | None, end: date | None) -> str:
        """A plan row's period on two lines, as the PDF and the Word plan tables print it."""
        if start and end:
            return f"{self.date(start)} –\n{self.date(end)}"
        return self.date(start or end)


def indicator_meta(t, n: "Numbers", sec) -> str:
    """The line under an indicator's heading (tool, last year's score, change), the same in
    the PDF and in Word; ``t`` formats a TEXT entry, ``n`` the numbers."""
    change = sec.change
    if sec.previous is not None and change is not None and change.points is not None:
        return t("indicator_meta", tool=sec.tool, py=sec.previous_year, pscore=n.score(sec.previous),
                 points=n.signed(change.points), direction=sec.direction_label)
    return t("indicator_meta_no_previous", tool=sec.tool)


def temp_beside(output: Path) -> Path:
    """A new, exclusively created temp file in ``output``'s folder, so the finished PDF can
    replace ``output`` atomically; a missing or unwritable folder is said in Thai."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise PdfError(f"ไม่พบโฟลเดอร์ {folder} กรุณาเลือกที่บันทึกใหม่")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".itadesk-", suffix=".pdf.tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise _save_error(exc, output) from exc
    return Path(tmp_name)


@contextlib.contextmanager
def atomic_pdf(output: Path):
    """Build into a temp file beside ``output`` (the block writes the path it is given); only a
    finished file replaces ``output``. A failure leaves nothing behind and is said in Thai."""
    tmp = temp_beside(output)
    try:
        yield tmp
        _publishable(tmp)
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _save_error(exc, output) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- styles

class Styles:
    """Paragraph styles in Sarabun points; a TH Sarabun family scales them by its size factor.

    Body text is 11 pt Sarabun, which looks like the 16 pt TH Sarabun of official letters.
    """

    def __init__(self, font: str):
        def ps(name, size, **kw):
            return paragraph_style(name, size, font=font, **kw)

        indent = 2.5 * cm  # the official first-line indent
        self.font = font
        self.cover_title = ps("cover_title", 24, bold=True, align="center", leading=38)
        self.cover_sub = ps("cover_sub", 15, align="center", spaceBefore=4)
        self.cover_year = ps("cover_year", 16, bold=True, align="center", spaceBefore=4)
        self.cover_note = ps("cover_note", 10.5, align="center", textColor=colors.HexColor("#444444"))
        self.cover_org = ps("cover_org", 18, bold=True, align="center")
        self.cover_place = ps("cover_place", 14, align="center", spaceBefore=2)
        self.h1 = ps("h1", 13, bold=True, align="center", spaceAfter=6, keepWithNext=1)
        self.h1_sub = ps("h1_sub", 12, align="center", spaceAfter=8, keepWithNext=1)
        self.h2 = ps("h2", 12, bold=True, spaceBefore=10, spaceAfter=4, keepWithNext=1)
        self.h3 = ps("h3", 11, bold=True, spaceBefore=6, spaceAfter=2, keepWithNext=1)
        self.caption = ps("caption", 10.5, bold=True, spaceBefore=4, spaceAfter=3, keepWithNext=1)
        self.figure_caption = ps("figure_caption", 10.5, align="center", spaceBefore=2, spaceAfter=10)
        self.body = ps("body", 11, firstLineIndent=indent, spaceAfter=3)
        self.body_flush = ps("body_flush", 11, spaceAfter=3)
        self.sub_item = ps("sub_item", 11, leftIndent=indent + 0.5 * cm, spaceAfter=1)
        self.note = ps("note", 9.5, textColor=colors.HexColor("#333333"), spaceBefore=3, spaceAfter=2)
        self.muted = ps("muted", 10.5, textColor=colors.HexColor("#666666"), italic=True,
                        firstLineIndent=indent)
        self.label = ps("label", 10.5, bold=True, spaceBefore=4, spaceAfter=1, keepWithNext=1)
        self.meta = ps("meta", 10, textColor=colors.HexColor("#333333"), spaceBefore=2, spaceAfter=3)
        self.th = ps("th", 10, bold=True, align="center")
        self.td = ps("td", 10)
        self.td_bold = ps("td_bold", 10, bold=True)
        self.td_center = ps("td_center", 10, align="center")
        self.td_center_bold = ps("td_center_bold", 10, bold=True, align="center")
        self.td_right = ps("td_right", 10, align="right")
        self.td_right_bold = ps("td_right_bold", 10, bold=True, align="right")
        self.bar_left = ps("bar_left", 11, bold=True)
        self.bar_right = ps("bar_right", 11, bold=True, align="right")
        self.box_title = ps("box_title", 10.5, bold=True, spaceAfter=2)
        self.box_text = ps("box_text", 10, spaceAfter=2)
        self.sign = ps("sign", 11, align="center", leading=24)
        self.footer_size = paragraph_style("footer", 8.5, font=font).fontSize

    def hanging(self, base, hang: float):
        """A copy of ``base`` whose continuation lines start ``hang`` points in (numbered lists)."""
        key = (base.name, round(hang, 1))
        cache = self.__dict__.setdefault("_hanging", {})
        if key not in cache:
            style = base.clone(f"{base.name}_hang{len(cache)}")
            style.leftIndent = base.leftIndent + max(base.firstLineIndent, 0) + hang
            style.firstLineIndent = -hang
            cache[key] = style
        return cache[key]


_NUMBERED = re.compile(r"^\s*(\(?[0-9๐-๙]{1,2}[.)]|[-•–])\s*")


def numbered_paragraphs(text: str, style, styles: Styles, numbers: Numbers,
                        kind: type[ThaiParagraph] = ThaiParagraph) -> list[Flowable]:
    """One paragraph per line; a line starting "1." or "(1)" hangs its continuation lines.
    ``kind``: :class:`~itadesk.report.pdf_flow.BodyParagraph` for running text."""
    out: list[Flowable] = []
    for line in (text or "").split("\n"):
        line = numbers.text(line.strip())
        if not line:
            continue
        m = _NUMBERED.match(line)
        if m:
            hang = text_width(m.group(0).rstrip() + " ", style.fontName, style.fontSize)
            line = m.group(0).rstrip() + " " + line[m.end():]
            out.append(kind(line, styles.hanging(style, hang)))
        else:
            out.append(kind(line, style))
    return out


def _outlined(flowable: Flowable, title: str, level: int) -> Flowable:
    flowable.outline = (title, level)
    return flowable


# --------------------------------------------------------------------------- charts

def render_charts(data: ReportData, dpi: int = CHART_DPI, progress: Progress | None = None,
                  font_dirs=None, *, raster: bool = False, in_parallel: bool | ReportCharts = False) -> list[ChartImage]:
    """The report's charts as vector drawings for the PDF, or with ``raster=True`` as PNG
    images at ``dpi`` (for Word); the charts module draws them, we only place them.

    They are drawn in the report's font (``data.options.font``, looked up like
    :func:`build_pdf` does), so a report set in TH Sarabun has TH Sarabun charts.
    Called by :func:`build_pdf` (in the export's worker thread: plain Agg figures, never shown
    in a widget, and Matplotlib keeps its font objects per thread) and by the Word export.
    A drawing already made for the same figures, options and font comes from
    :mod:`itadesk.report.chart_cache` (Matplotlib is then not even loaded).
    ``in_parallel``: the charts not kept yet are drawn by another process while the caller
    lays the pages out, where that is possible (:mod:`itadesk.report.chart_process`), or the
    given :class:`~itadesk.report.chart_jobs.ReportCharts` already started so; their
    :attr:`ChartImage.drawing` is then a :class:`~itadesk.report.chart_flowable.LaterChart`.
    """
    if isinstance(in_parallel, ReportCharts):
        charts, report_font = in_parallel, None
    else:
        charts, report_font = report_charts(data, font_dirs)
        if in_parallel and not raster:
            charts.draw_elsewhere()
    n = Numbers(data.options.thai_digits)
    images = []
    for i, job in enumerate(charts.jobs):
        caption = TEXT[job.caption].format(**{k: n.int(f"{v:g}") if isinstance(v, float) else
                                              n.int(v) if isinstance(v, int) else v
                                              for k, v in job.caption_args.items()})
        if progress:
            progress(0.05 + 0.4 * i / len(charts.jobs), f"กำลังวาดแผนภูมิที่ {i + 1} จาก {len(charts.jobs)}")
        try:
            if raster:
                from itadesk.report import charts as chart_figures

                fig = charts.figure(job)
                width, height = fig.get_size_inches() * 2.54
                images.append(ChartImage(_opaque_png(chart_figures.render_png(fig, dpi=dpi)), float(width),
                                         float(height), caption))
                continue
            get = charts.elsewhere(i)
            if get is not None:
                if report_font is None:
                    report_font = report_font_or_none(data, font_dirs)
                chart = LaterChart(f"itadeskChart{i}", *charts.size_points(i), get,
                                   lambda error: n.text(TEXT["chart_failed"].format(error=error)),
                                   report_font.font_name() if report_font else "Helvetica", charts.close)
            else:
                chart = charts.drawing(job)
            images.append(ChartImage(None, chart.width / 72 * 2.54, chart.height / 72 * 2.54, caption, drawing=chart))
        except Exception as exc:  # a broken chart is shown as such, never silently dropped
            images.append(ChartImage(None, 16, 2, caption, f"{type(exc).__name__}: {exc}"))
    return images


def _opaque_png(png: bytes) -> bytes:
    """The chart without its alpha channel (it is opaque white anyway).

    ReportLab embeds an RGBA PNG as an image plus a soft mask that viewers and printers
    must composite; without the alpha there is one plain RGB image and a smaller file.
    """
    from PIL import Image as PILImage

    with PILImage.open(BytesIO(png)) as im:
        if im.mode == "RGB":
            return png
        flat = PILImage.new("RGB", im.size, "white")
        flat.paste(im, mask=im.getchannel("A") if "A" in im.getbands() else None)
        out = BytesIO()
        flat.save(out, format="PNG", dpi=im.info.get("dpi", (CHART_DPI, CHART_DPI)), optimize=True)
        return out.getvalue()


# --------------------------------------------------------------------------- the report

class ReportBuilder:
    """Turns one :class:`ReportData` into the list of flowables of the PDF."""

    def __init__(self, data: ReportData, font: ReportFont, charts: list[ChartImage]):
        self.data = data
        self.font = font
        self.st = Styles(font.name)
        self.n = Numbers(data.options.thai_digits)
        self.charts = charts
        self.report = build_report(data)
        self.org = data.organization
        self.year = data.current.fiscal_year
        self.threshold = data.options.threshold

    # ---- small helpers

    def t(self, key: str, **kw) -> str:
        """A sentence of TEXT with its numbers in the chosen digits."""
        return self.n.text(TEXT[key].format(**kw))

    def para(self, text: str, style=None) -> ThaiParagraph:
        return BodyParagraph(text, style or self.st.body)

    def table_style(self, commands) -> TableStyle:
        """Table commands, with the report font for any plain-string cell (an empty one too):
        ReportLab would otherwise pull in a non-embedded Helvetica for them."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font.font_name())] + list(commands))

    def _threshold(self) -> str:
        return self.n.int(f"{self.threshold:g}")

    # ---- cover

    def cover(self) -> list[Flowable]:
        st, org = self.st, self.org
        story: list[Flowable] = [Spacer(1, 42 * mm)]
        story.append(self.para(TEXT["title_lines"], st.cover_title))
        story.append(self.para(TEXT["subtitle"], st.cover_sub))
        story.append(self.para(self.t("fiscal_year", year=self.year), st.cover_year))
        story.append(Spacer(1, 8 * mm))
        story.append(Rule(60 * mm, 1.2, colors.HexColor("#1f3a5f"), centred=True))
        story.append(Spacer(1, 6 * mm))
        story.append(self.para(TEXT["ita_full"], st.cover_note))
        story.append(Spacer(1, 62 * mm))
        story.append(self.para(org.name, st.cover_org))
        if org.place:
            story.append(self.para(org.place, st.cover_place))
        story += [NextPageTemplate("portrait"), PageBreak()]
        return story

    # ---- summary

    def summary(self) -> list[Flowable]:
        st, n, r = self.st, self.n, self.report
        s = r.summary
        story: list[Flowable] = [
            _outlined(self.para(self.t("summary_title", year=self.year), st.h1), TEXT["summary_outline"], 0)]
        line = r.organization + (" " + r.place if r.place else "")
        story.append(self.para(line, st.h1_sub))
        if s.total is not None and s.level is not None:
            story.append(self.para(self.t("summary_intro", org=r.organization, year=self.year,
                                          total=n.score(s.total), level=s.level.name)))
        else:
            story.append(self.para(self.t("summary_intro_incomplete", org=r.organization, year=self.year)))
        years = n.int(self.year) if r.previous_year is None else \
            f"{n.int(r.previous_year)} และ {n.int(self.year)}"
        # the caption keeps with the table's start (pdf_flow); a table too long for the rest of
        # the page starts there and goes on with its header repeated
        story += [self.para(self.t("table1", years=years), st.caption), self.summary_table()]
        story.append(self.para(self.t("note_weights", weights=s.table.weights, threshold=self._threshold()), st.note))
        for note in s.notes:
            story.append(self.para(n.text(note), st.note))
        story.append(_outlined(self.para(TEXT["overall_heading"], st.h2), TEXT["overall_heading"], 1))
        sentences = [n.text(text) for text in r.overall]
        if sentences:
            story.append(self.para(sentences[0]))
        bullet = st.hanging(st.body, text_width("• ", st.body.fontName, st.body.fontSize))
        for text in sentences[1:]:
            story.append(self.para("• " + text, bullet))
        if r.warnings:
            story.append(Spacer(1, 4))
            story.append(self.warnings_box())
        return story

    def summary_table(self) -> Table:
        """Table 1 of the report model, row for row (the window shows the same rows)."""
        st, n = self.st, self.n
        table1 = self.report.summary.table
        head_prev = self.t("col_year", year=table1.previous_year) if table1.previous_year else TEXT["col_prev_none"]
        rows = [
            [cell(TEXT["col_tool"], st.th), cell(TEXT["col_indicator"], st.th), "",
             cell(TEXT["col_scores"], st.th), "", cell(TEXT["col_change"], st.th), ""],
            ["", cell(TEXT["col_no"], st.th), cell(TEXT["col_name"], st.th), cell(head_prev, st.th),
             cell(self.t("col_year", year=self.year), st.th), cell(TEXT["col_points"], st.th),
             cell(TEXT["col_direction"], st.th)],
        ]
        style: list[tuple] = [
            ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (4, 0)), ("SPAN", (5, 0), (6, 0)),
            ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
        ]

        def value(v, bold=False):
            if isinstance(v, str):
                return cell(v, st.td_center_bold if bold else st.td_center)
            return cell(n.score(v), st.td_right_bold if bold else st.td_right)

        indicator_rows: list[int] = []
        for row in table1.rows:
            r = len(rows)
            if row.kind == INDICATOR:
                first = [cell(row.tool, st.td_center), cell(n.int(row.number), st.td_center), cell(row.label, st.td)]
                indicator_rows.append(r)
            else:
                first = [cell(self.n.text(row.label), st.td_bold), "", ""]
                style += [("SPAN", (0, r), (2, r)), ("BACKGROUND", (0, r), (-1, r), TOTAL_FILL)]
            points = "-" if row.kind == LEVEL else n.signed(row.points) if row.points is not None else "-"
            rows.append(first + [value(row.previous, bold=row.kind == OVERALL),
                                 value(row.current, bold=row.kind != INDICATOR or row.low),
                                 cell(points, st.td_right_bold if row.kind == OVERALL else
                                      st.td_center if row.kind == LEVEL else st.td_right),
                                 cell(row.direction_label, st.td_center_bold if row.kind == OVERALL else st.td_center)])
            if row.kind == OVERALL:
                style.append(("LINEABOVE", (0, r), (-1, r), 1.0, LINE))
            if row.low:
                style.append(("BACKGROUND", (4, r), (4, r), FINDING_FILL))
        for start, count in table1.tool_spans():
            if count > 1:
                style.append(("SPAN", (0, start + 2), (0, start + count + 1)))
        # Numbers must never wrap: columns 0, 1 and 3-6 are at least as wide as their widest
        # entry in this font; the indicator names take what is left.
        widths = [15 * mm, 9 * mm, 0, 18 * mm, 18 * mm, 19 * mm, 21 * mm]
        for col in (0, 1, 3, 4, 5, 6):
            body = rows[2:] if col > 2 else [rows[r] for r in indicator_rows]  # not the spanned labels
            head = rows[0][0] if col == 0 else rows[1][col]  # headers may wrap, but only between words
            widths[col] = max(widths[col], _widest([row[col] for row in body]) + 2 * CELL_PAD + 2,
                              head.minWidth() + 2 * CELL_PAD + 2)
        widths[2] = max(30 * mm, PORTRAIT_WIDTH - sum(widths))
        table = Table(rows, colWidths=widths, repeatRows=2)
        # never the header with one row at a page foot, nor the level alone at the top of the next
        keep = [("NOSPLIT", (0, 0), (-1, min(4, len(rows) - 1))), ("NOSPLIT", (0, max(0, len(rows) - 3)), (-1, -1))]
        table.setStyle(self.table_style(_grid(st.td_bold) + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")] + style + keep))
        return table

    def warnings_box(self, width: float = PORTRAIT_WIDTH) -> Flowable:
        """The consistency warnings, boxed; one row per warning so a long list can break pages,
        but never before the first warning (a title alone at a page foot says nothing)."""
        st, n = self.st, self.n
        bullet = st.hanging(st.box_text, text_width("• ", st.box_text.fontName, st.box_text.fontSize))
        rows = [[self.para(TEXT["warnings_title"], st.box_title)], [self.para(TEXT["warnings_intro"], st.box_text)]]
        rows += [[self.para("• " + n.text(w.message), bullet)] for w in self.report.warnings]
        box = GroupedTable(rows, colWidths=[width], splitByRow=1)
        box.rule = (0.9, WARNING_LINE)
        box.setStyle(self.table_style([("BOX", (0, 0), (-1, -1), 0.9, WARNING_LINE),
                                 ("BACKGROUND", (0, 0), (-1, -1), WARNING_FILL),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                 ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                                 ("NOSPLIT", (0, 0), (0, min(2, len(rows) - 1)))]))
        return box

    # ---- charts

    def chart_section(self) -> list[Flowable]:
        if not self.charts:
            return []
        # the heading keeps with the first chart whole (pdf_flow): no fixed room asked for
        story: list[Flowable] = [_outlined(self.para(TEXT["charts_title"], self.st.h2), TEXT["charts_title"], 1)]
        for i, chart in enumerate(self.charts, start=1):
            caption = self.para(self.t("figure", n=i, caption=chart.caption), self.st.figure_caption)
            if chart.error:
                body = self.para(self.t("chart_failed", error=chart.error), self.st.muted)
            elif chart.drawing is not None:
                body = ChartFlowable(chart.drawing, chart.width_cm * cm, chart.height_cm * cm)
            else:
                body = RasterChartFlowable(chart)
            story.append(KeepTogether([Spacer(1, 4), body, caption]))
        return story

    # ---- part 1

    def part1(self) -> list[Flowable]:
        st = self.st
        story: list[Flowable] = [Spacer(1, 6), _outlined(self.para(self.t("part1"), st.h1), self.t("part1"), 0)]
        rules = []
        for full, key in ((False, "shade_low"), (True, "shade_full")):
            codes = [tool.code for tool in self.report.tools if tool.items_must_be_full == full]
            if codes:
                rules.append(TEXT[key].format(tools=join_thai(codes), threshold=self._threshold()))
        intro = self.para(self.t("part1_intro", year=self.year, rules=" ".join(rules)))
        intro.keepWithNext = 1  # part heading, intro, tool heading and first indicator on one page
        story.append(intro)
        for tool in self.report.tools:
            story.append(_outlined(self.para(self.t("tool_heading", code=tool.code, name=tool.name), st.h2),
                                   f"{tool.code} {tool.name}", 1))
            if tool.part_names:
                notes = [self.t("parts_note", part=p, name=name) for p, name in tool.part_names]
                note = self.para(" · ".join(notes), st.note)
                note.keepWithNext = 1  # the heading, its parts and the first indicator on one page
                story.append(note)
            for section in tool.indicators:
                story += self.indicator_block(section)
        return story

    def indicator_block(self, sec: IndicatorSection) -> list[Flowable]:
        st, n = self.st, self.n
        right = self.t("indicator_score", score=n.score(sec.score)) if sec.score is not None \
            else TEXT["indicator_score_missing"]
        if sec.low:
            right += " (" + self.t("indicator_low", threshold=self._threshold()) + ")"
        bar = Table([[cell(self.t("indicator_heading", number=sec.number, name=sec.name), st.bar_left),
                      cell(right, st.bar_right)]], colWidths=[PORTRAIT_WIDTH * 0.58, PORTRAIT_WIDTH * 0.42])
        bar_style = [("BACKGROUND", (0, 0), (-1, -1), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("LINEBELOW", (0, 0), (-1, -1), 0.8, LINE), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 2),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        if sec.low:
            bar_style.append(("BACKGROUND", (1, 0), (1, 0), FINDING_FILL))
        bar.setStyle(self.table_style(bar_style))
        bar.outline = (n.text(f"ตัวชี้วัดที่ {sec.number} {sec.name}"), 2)
        head: list[Flowable] = [Spacer(1, 8), bar]
        head.append(self.para(indicator_meta(self.t, n, sec), st.meta))
        bands = self.item_grid(sec)
        # The header, its first band of item scores and the start of what follows (the next
        # band, the findings, a warning or the analysis) on one page (pdf_flow); further
        # bands (OIT's 20 items) may go on over the page, each whole. Keeping all of OIT's
        # bands with its findings left half a page empty before it in a larger font.
        head += bands[:1]
        for flowable in head:
            flowable.keepWithNext = 1
        story: list[Flowable] = head + bands[1:]
        if sec.findings:
            label = TEXT["findings_full"] if sec.items_must_be_full else \
                self.t("findings_low", threshold=self._threshold())
            story.append(self.para(label, st.label))
            for f in sec.findings:
                item = self.data.catalog.item_label(f.code)
                line = self.t("finding_line", item=item, score=n.score(f.score))
                if f.sub_indicator:
                    line += " " + self.t("finding_sub", sub=f.sub_indicator)
                story.append(self.para("• " + line, st.hanging(st.body_flush, text_width(
                    "• ", st.body_flush.fontName, st.body_flush.fontSize))))
        for message in sec.warnings:
            gap = Spacer(1, 3)
            gap.keepWithNext = 1  # never the end of a chain that keeps the header with its start
            story += [gap, self.small_box(n.text(message))]
        story.append(self.para(TEXT["analysis_label"], st.label))
        if sec.analysis:
            story += numbered_paragraphs(sec.analysis, st.body, st, n, BodyParagraph)
        else:
            story.append(self.para(TEXT["analysis_missing"], st.muted))
        return story

    def small_box(self, text: str) -> Flowable:
        box = Table([[cell(text, self.st.box_text)]], colWidths=[PORTRAIT_WIDTH])
        box.setStyle(self.table_style([("BOX", (0, 0), (-1, -1), 0.7, WARNING_LINE),
                                 ("BACKGROUND", (0, 0), (-1, -1), WARNING_FILL),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return box

    def item_grid(self, sec: IndicatorSection) -> list[Table]:
        """Item scores: codes across, one row per part (EIT in 2568) or one score row.

        Many items (OIT has 20 under one indicator) go in bands of equal length, one small
        table each, so no band ends in empty boxes.
        """
        st, n = self.st, self.n
        items = list(sec.items)
        if not items:
            return []
        pad = 3
        labels = [self.t("grid_part", part=p) for p in sec.parts] if sec.parts else [TEXT["grid_score"]]
        label_w = max(16 * mm, max(text_width(t, st.td_center.fontName, st.td_center.fontSize)
                                   for t in labels + [TEXT["grid_item"]]) + 2 * pad + 1)
        widest = max(text_width(n.score(100), st.td_center_bold.fontName, st.td_center_bold.fontSize),
                     max(text_width(it.code, st.th.fontName, st.th.fontSize) for it in items))
        col_w = max(13 * mm, widest + 2 * pad + 1)
        fit = max(1, min(10, int((PORTRAIT_WIDTH - label_w) // col_w)))
        bands = -(-len(items) // fit)
        per_band = -(-len(items) // bands)
        tables = []
        for start in range(0, len(items), per_band):
            band = items[start:start + per_band]
            rows = [[cell(TEXT["grid_item"], st.th)] + [cell(it.code, st.th) for it in band]]
            style: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
            for i, label in enumerate(labels):
                row = [cell(label, st.td_center)]
                for col, it in enumerate(band, start=1):
                    row.append(cell(n.score(it.values[i]), st.td_center_bold if it.low else st.td_center))
                    if it.low:
                        style.append(("BACKGROUND", (col, len(rows)), (col, len(rows)), FINDING_FILL))
                rows.append(row)
            table = Table(rows, colWidths=[label_w] + [col_w] * len(band), hAlign="LEFT",
                          spaceAfter=3 if start + per_band < len(items) else 0)
            table.setStyle(self.table_style(_grid(st.td_bold) + [
                ("NOSPLIT", (0, 0), (-1, -1)),  # codes and their scores on one page
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad)] + style))
            tables.append(table)
        return tables

    # ---- recommendations

    def recommendations(self) -> list[Flowable]:
        """The assessors' recommendations of the tools that have some; no section without any
        (an empty box saying "nothing recorded" has no place in the council's document)."""
        st, n, r = self.st, self.n, self.report
        tools = [tool for tool in r.tools if tool.recommendation]
        if not tools:
            return []
        story: list[Flowable] = [_outlined(self.para(TEXT["recommendations"], st.h1), TEXT["recommendations"], 0)]
        intro = self.para(self.t("recommendations_intro", year=self.year, org=r.organization))
        intro.keepWithNext = 1  # with the first tool's heading and the start of its text
        story.append(intro)
        for tool in tools:
            heading = self.t("recommendation_tool", name=tool.name, name_en=tool.name_en, code=tool.code)
            story.append(_outlined(self.para(heading, st.h3), f"ข้อเสนอแนะ {tool.code}", 1))
            story += numbered_paragraphs(tool.recommendation, st.body, st, n, BodyParagraph)
        return story

    # ---- part 2

    def part2(self) -> list[Flowable]:
        st, n, r = self.st, self.n, self.report
        story: list[Flowable] = [NextPageTemplate("landscape"), PageBreak(),
                                 _outlined(self.para(self.t("part2"), st.h1), self.t("part2"), 0)]
        story.append(self.para(self.t("part2_sub", year=self.year), st.h1_sub))
        if r.plan_period:
            story.append(self.para(TEXT["part2_period"].format(
                period=f"{n.date(r.plan_period[0])} – {n.date(r.plan_period[1])}"), st.h1_sub))
        story.append(self.plan_table())
        return story

    def plan_table(self) -> Table:
        """The action plan, one group of rows per indicator, long rows cut into continuation rows."""
        st, n = self.st, self.n
        header = [cell(TEXT[k], st.th) for k in ("plan_issue", "plan_measure", "plan_owner", "plan_steps",
                                                 "plan_period")]
        widths = plan_column_widths()
        pad = PLAN_CELL_PAD
        inner = [w - 2 * pad for w in widths]
        chunk = PLAN_CHUNK_LINES * st.td.leading
        rows: list[list] = [header]
        style: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("VALIGN", (0, 0), (-1, 0), "MIDDLE"), ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                              ("LINEBELOW", (0, 0), (-1, 0), 0.6, LINE),
                              ("LINEAFTER", (0, 0), (-2, -1), 0.6, LINE),
                              ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, 0), 4), ("BOTTOMPADDING", (0, 0), (-1, 0), 4)]
        for group in self.report.plan:
            label = n.text(group.label)
            for i, action in enumerate(group.actions):
                measure = action.measure.strip()
                if not _NUMBERED.match(measure) and len(group.actions) > 1:
                    measure = f"{i + 1}. {measure}"
                cells = [group_label(label, st.td_bold, label) if i == 0 else [],
                         numbered_paragraphs(measure, st.td, st, n),
                         [ThaiParagraph(n.text(action.owner), st.td)],
                         numbered_paragraphs(action.steps, st.td, st, n),
                         [ThaiParagraph(self.n.period(action.start, action.end), st.td)]]
                first = len(rows)
                rows += continuation_rows(cells, inner, chunk)
                last = len(rows) - 1
                # Padding only above the first and below the last piece: the pieces read as one row.
                style += [("LINEABOVE", (1, first), (-1, first), 0.4, LINE),
                          ("TOPPADDING", (0, first), (-1, first), 3),
                          ("BOTTOMPADDING", (0, last), (-1, last), 5)]
                if i == 0 and first > 1:
                    style.append(("LINEABOVE", (0, first), (0, first), 0.6, LINE))
        if len(rows) == 1:
            rows.append([[ThaiParagraph(TEXT["plan_empty"], st.td)], "", "", "", ""])
            style += [("SPAN", (0, 1), (-1, 1)), ("TOPPADDING", (0, 1), (-1, 1), 3),
                      ("BOTTOMPADDING", (0, 1), (-1, 1), 5)]
        table = GroupedTable(rows, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=0)
        table.continued_style = st.td_bold
        table.rule = (0.6, LINE)
        table.setStyle(self.table_style(style))
        return table

    def closing(self) -> list[Flowable]:
        """The last page: what is submitted and approved, then the two signatures, each with
        its date line, kept whole on one portrait page after the landscape plan.

        The signed page states the organization, the year, the result and the plan it
        approves (number of measures and the period), so the page that carries the
        signatures is never a page of signatures alone, which could be filed with, or
        taken for, another document.
        """
        st, n, r = self.st, self.n, self.report
        s = r.summary
        result = self.t("closing_result", total=n.score(s.total), level=s.level.name) \
            if s.total is not None and s.level is not None else ""
        measures = sum(len(group.actions) for group in r.plan)
        if measures:
            plan = self.t("closing_plan", measures=measures, issues=len(r.plan))
            if r.plan_period:
                plan += " " + TEXT["part2_period"].format(
                    period=f"{n.date(r.plan_period[0])} – {n.date(r.plan_period[1])}")
        else:
            plan = TEXT["closing_no_plan"]
        text = self.t("closing_text", org=r.organization, year=self.year, result=result, plan=plan,
                      follow=TEXT["closing_follow"] if measures else "")
        heading = _outlined(self.para(TEXT["closing_heading"], st.h1), TEXT["closing_heading"], 0)
        return [NextPageTemplate("portrait"), PageBreak(),
                KeepTogether([heading, self.para(text), Spacer(1, 16 * mm), self.signatures()])]

    def signatures(self) -> Flowable:
        return signature_table(self.report.signatures, self.st, self.n, PORTRAIT_WIDTH)

    # ---- all

    def story(self) -> list[Flowable]:
        return (self.cover() + self.summary() + self.chart_section() + self.part1()
                + self.recommendations() + self.part2() + self.closing())


def signature_table(signatures, st: Styles, n: Numbers, width: float) -> Table:
    """ลงชื่อ … (name) ตำแหน่ง … วันที่ …, side by side over ``width``: the report's closing page
    and the follow-up report end alike."""
    def block(sig: Signature) -> list:
        return [ThaiParagraph(f"{TEXT['signed']} {DOTS_SIGN} {sig.role}", st.sign),
                ThaiParagraph(f"({sig.name})" if sig.name else f"({DOTS_SIGN})", st.sign),
                ThaiParagraph(f"{TEXT['position']} {sig.position or DOTS_SIGN}", st.sign),
                ThaiParagraph(n.text(TEXT["date_line"]), st.sign)]

    table = Table([[block(sig) for sig in signatures]], colWidths=[width / len(signatures)] * len(signatures))
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.td.fontName), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return table


CELL_PAD = 4
# 12 pt between the texts of neighbouring plan columns: with less, poppler (Evince, Okular,
# pdftotext) reads a row's lines across the columns and a wrapped phrase cannot be found.
PLAN_CELL_PAD = 6


GRID_LINE = 0.5
GRID_AIR = 0.6  # points between the furthest mark and the edge of a grid line


def _grid(text_style) -> list[tuple]:
    """Grid lines and padding; the padding keeps the marks of ``text_style`` off the rules.

    Padding is measured from the centre of a line, so the air counts from its edge: half
    the line's width more (a stacked ที่ in a summary row came within 0.37 pt of it)."""
    top, bottom = (rule_padding(text_style, above=above, air=GRID_AIR + GRID_LINE / 2) for above in (True, False))
    return [("GRID", (0, 0), (-1, -1), GRID_LINE, LINE), ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD), ("TOPPADDING", (0, 0), (-1, -1), max(1.5, top)),
            ("BOTTOMPADDING", (0, 0), (-1, -1), max(2.5, bottom))]


def _widest(cells) -> float:
    """Width of the longest single line among ThaiParagraph cells (0 for other cells)."""
    widest = 0.0
    for c in cells:
        if isinstance(c, ThaiParagraph):
            for line in c.text.split("\n"):
                widest = max(widest, text_width(line, c.style.fontName, c.style.fontSize))
    return widest


class Rule(Flowable):
    """A short horizontal line (under the cover title)."""

    def __init__(self, width: float, thickness: float, color, centred: bool = False):
        super().__init__()
        self.rule_width, self.thickness, self.color, self.centred = width, thickness, color, centred

    def wrap(self, availWidth, availHeight):
        self._avail = availWidth
        return availWidth, self.thickness

    def draw(self):
        x = (self._avail - self.rule_width) / 2 if self.centred else 0
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, 0, x + self.rule_width, 0)


class RasterChartFlowable(Image):
    """A chart PNG (``render_charts(raster=True)``) at its designed size, scaled down only if the frame is narrower."""

    def __init__(self, chart: ChartImage):
        super().__init__(BytesIO(chart.png), width=chart.width_cm * cm, height=chart.height_cm * cm)

    def wrap(self, availWidth, availHeight):
        if self.drawWidth > availWidth:
            ratio = availWidth / self.drawWidth
            self.drawWidth, self.drawHeight = availWidth, self.drawHeight * ratio
        return super().wrap(availWidth, availHeight)


# --------------------------------------------------------------------------- building the file

PLAN_COLUMNS_MM = (38, 62, 30, 92, 35)  # issue, measure, owner, steps, period (relative widths)


def plan_column_widths() -> list[float]:
    """Widths in points of the plan table's columns, filling the landscape text width."""
    scale = LANDSCAPE_WIDTH / sum(PLAN_COLUMNS_MM)
    return [w * scale for w in PLAN_COLUMNS_MM]


def default_file_name(data: ReportData) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", data.organization.name) or "report"
    return f"ITA-{data.current.fiscal_year}-{name}.pdf"


def build_pdf(data: ReportData, output: str | os.PathLike, *, charts: list[ChartImage] | None = None,
              progress: Progress | None = None, font_dirs=None,
              charts_in_parallel: bool | ReportCharts = False) -> BuildResult:
    """Write the report of ``data`` to ``output`` (replaced atomically; never half-written).

    ``charts`` are pre-rendered images (see :func:`render_charts`); without them the charts
    are rendered here; with ``charts_in_parallel`` (``itadesk report`` gives the
    :class:`~itadesk.report.chart_jobs.ReportCharts` it started before loading ReportLab) by
    another process while the pages are laid out, where that is possible
    (:mod:`~itadesk.report.chart_process`).
    ``progress(fraction, message)`` is called along the way and may raise :class:`BuildCancelled`. Raises :class:`PdfError` with a Thai message on failure.
    """
    output = Path(output)
    font = resolve_font(data.options.font, font_dirs)
    register_report_font(font.name, font_dirs)
    if progress:
        progress(0.02, "กำลังเตรียมข้อมูล")
    if charts is None:
        charts = render_charts(data, progress=progress, font_dirs=font_dirs, in_parallel=charts_in_parallel)
    builder = ReportBuilder(data, font, charts)
    n = builder.n
    year = n.int(data.current.fiscal_year)
    decoration = PageDecoration(
        font_name=font.font_name(), font_size=builder.st.footer_size,
        footer=TEXT["footer"].format(title=TITLE, year=year, org=data.organization.name),
        footer_short=TEXT["footer_short"].format(title=TITLE, year=year, org=short_name(data.organization.name)),
        page_number=lambda page: f"- {n.int(page)} -")

    def page_done(page: int) -> None:
        if progress:
            progress(min(0.95, 0.5 + 0.02 * page), f"กำลังจัดหน้าที่ {n.int(page)}")

    try:
        with atomic_pdf(output) as tmp:
            doc = ReportDocTemplate(
                str(tmp), decoration, on_page_end=page_done,
                title=f"{TITLE} ประจำปีงบประมาณ พ.ศ. {data.current.fiscal_year}",
                author=data.organization.name, subject=TEXT["ita_full"].replace("\n", " "),
                creator=f"ITA Desk {__version__}", lang="th-TH", initialFontName=font.font_name(),
                keywords=["ITA", "การประเมินคุณธรรมและความโปร่งใส", data.organization.name,
                          f"ปีงบประมาณ {data.current.fiscal_year}"])
            story = builder.story()
            if progress:
                progress(0.5, "กำลังจัดหน้า")
            doc.build(story, canvasmaker=LaterChartCanvas)  # defines the forms of charts drawn elsewhere
            pages = doc.page
            if progress:
                progress(0.97, "กำลังบันทึกไฟล์")
    finally:
        for chart in charts:
            if isinstance(chart.drawing, LaterChart):
                chart.drawing.release()
    if progress:
        # The file is saved: a cancel that arrives now is too late, and saying "cancelled"
        # beside a finished report on disk would be wrong.
        with contextlib.suppress(BuildCancelled):
            progress(1.0, "เสร็จแล้ว")
    return BuildResult(output, pages, len(data.warnings))


def _publishable(path: Path) -> None:
    """mkstemp makes the file private (0600); a report is meant to be shared, so use the umask."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _save_error(exc: OSError, output: Path) -> PdfError:
    import errno

    if isinstance(exc, PermissionError):
        return PdfError(f"บันทึกไฟล์ {output.name} ไม่ได้ ไฟล์อาจเปิดอยู่ในโปรแกรมอ่าน PDF หรือโฟลเดอร์ห้ามเขียน "
                        "กรุณาปิดไฟล์นั้นหรือเลือกที่บันทึกอื่นแล้วลองใหม่")
    if exc.errno == errno.ENOSPC:
        return PdfError(f"บันทึกไฟล์ {output.name} ไม่ได้ เพราะพื้นที่ในดิสก์เต็ม กรุณาลบไฟล์ที่ไม่ใช้หรือเลือกที่บันทึกอื่น")
    from itadesk.db.errors import MESSAGES, kind_of  # noqa: PLC0415 - the one place OS failures get Thai

    kind = kind_of(exc)
    if kind in ("READONLY", "IOERR", "NOTFOUND", "BUSY"):  # never the OS's English (strerror)
        return PdfError(f"บันทึกไฟล์ {output.name} ไม่ได้: {MESSAGES[kind]}")
    return PdfError(f"บันทึกไฟล์ {output.name} ไม่ได้ กรุณาเลือกที่บันทึกอื่นแล้วลองใหม่")


__all__ = ["BuildCancelled", "BuildResult", "ChartImage", "PdfError", "TEXT", "build_pdf",
           "default_file_name", "render_charts", "resolve_font"]
