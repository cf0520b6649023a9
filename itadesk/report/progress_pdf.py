"""The plan followed up a year later: "ผลการดำเนินการตามแผน ปีงบประมาณ พ.ศ. …".

The plan made from year Y's results runs over fiscal year Y+1; the next year's report and the
NACC's open-data checks ask what became of each measure. This prints each plan row with its
status and the progress the office recorded, from the same document the plan lives in.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, Spacer, Table, TableStyle

from itadesk import __version__
from itadesk.ita.catalog import Catalog
from itadesk.ita.model import ACTION_STATUSES, Assessment, Organization
from itadesk.report.fonts import register_report_font
from itadesk.report.pdf import Numbers, PdfError, Styles, _publishable, _save_error, resolve_font, temp_beside
from itadesk.report.pdf_page import LANDSCAPE_WIDTH, PageDecoration, ReportDocTemplate
from itadesk.report.pdf_tables import HEADER_FILL, LINE
from itadesk.report.thai_text import ThaiParagraph, cell
from itadesk.texts import status_label

TITLE = "ผลการดำเนินการตามแผน ปีงบประมาณ พ.ศ. {year}"
SUBTITLE = "ตามแผนปฏิบัติการที่จัดทำจากผลการประเมิน ITA ปีงบประมาณ พ.ศ. {assessed}"
SUMMARY = "มาตรการทั้งหมด {total} มาตรการ: {counts}"
HEADERS = ("ที่", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินงาน", "สถานะ",
           "ผลการดำเนินการ")
NO_PROGRESS = "ยังไม่ได้บันทึกผลการดำเนินการ"
EMPTY = "ยังไม่มีมาตรการในแผนของปีนี้"
LANDSCAPE_TEMPLATE = 2  # ReportDocTemplate's templates: cover, portrait, landscape
# Column shares of the landscape width, the measure and the outcome widest.
SHARES = (0.04, 0.13, 0.25, 0.12, 0.13, 0.09, 0.24)


def _period(n: Numbers, action) -> str:
    if action.start and action.end:
        return f"{n.date(action.start)} – {n.date(action.end)}"
    return n.date(action.start or action.end) if (action.start or action.end) else "-"


def progress_story(org: Organization, assessment: Assessment, catalog: Catalog, st: Styles, n: Numbers) -> list[Flowable]:
    year = assessment.fiscal_year + 1
    story: list[Flowable] = [NextPageTemplate("landscape")]
    title = ThaiParagraph(TITLE.format(year=n.int(year)), st.h1)
    title.outline = (TITLE.format(year=n.int(year)), 0)
    story += [title, ThaiParagraph(org.name + (" " + org.place if org.place else ""), st.h1_sub),
              ThaiParagraph(SUBTITLE.format(assessed=n.int(assessment.fiscal_year)), st.h1_sub)]
    actions = assessment.actions
    counts = Counter(a.status for a in actions)
    listed = ", ".join(f"{status_label(status)} {n.int(counts[status])}" for status in ACTION_STATUSES)
    story.append(ThaiParagraph(SUMMARY.format(total=n.int(len(actions)), counts=listed), st.body_flush))
    widths = [LANDSCAPE_WIDTH * s for s in SHARES]
    rows: list[list] = [[cell(h, st.th) for h in HEADERS]]
    names = {ind.number: f"{ind.number}. {ind.name}" for ind in catalog.indicators}
    for i, a in enumerate(actions, start=1):
        rows.append([
            cell(n.int(i), st.td_center),
            cell(n.text(names.get(a.indicator, "-") if a.indicator else "-"), st.td),
            cell(n.text(a.measure or "-"), st.td),
            cell(n.text(a.owner or "-"), st.td),
            cell(_period(n, a), st.td),
            cell(status_label(a.status), st.td_center_bold if a.status == ACTION_STATUSES[-1] else st.td_center),
            cell(n.text(a.progress_note.strip() or NO_PROGRESS), st.td),
        ])
    if not actions:
        rows.append([cell(EMPTY, st.td)] + [""] * (len(HEADERS) - 1))
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, LINE), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if not actions:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    story += [Spacer(1, 4 * mm), table]
    return story


def build_progress_pdf(org: Organization, assessment: Assessment, catalog: Catalog, output: str | os.PathLike,
                       *, thai_digits: bool = False, font: str | None = None) -> int:
    """Write the follow-up report (replaced atomically); the number of pages. PdfError in Thai."""
    output = Path(output)
    chosen = resolve_font(font)
    register_report_font(chosen.name)
    st, n = Styles(chosen.name), Numbers(thai_digits)
    year = assessment.fiscal_year + 1
    decoration = PageDecoration(font_name=chosen.font_name(), font_size=9,
                                footer=f"{TITLE.format(year=n.int(year))} · {org.name}",
                                page_number=lambda page: f"- {n.int(page)} -")
    tmp = temp_beside(output)
    try:
        doc = ReportDocTemplate(str(tmp), decoration, title=TITLE.format(year=year), author=org.name,
                                creator=f"ITA Desk {__version__}", lang="th-TH",
                                initialFontName=chosen.font_name())
        doc._firstPageTemplateIndex = LANDSCAPE_TEMPLATE  # no cover: the table needs the width from page one
        doc.build(progress_story(org, assessment, catalog, st, n))
        pages = doc.page
        _publishable(tmp)
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _save_error(exc, output) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return pages
