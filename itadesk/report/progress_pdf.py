"""The plan followed up a year later: "ผลการดำเนินการตามแผน ปีงบประมาณ พ.ศ. …".

The plan made from year Y's results runs over fiscal year Y+1; the next year's report and the
NACC's open-data checks ask what became of each measure. This prints each plan row with its
status, the progress the office recorded, its evidence and completion date, after the counts
(done / in progress / not started), from the same document the plan lives in.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, Spacer, Table, TableStyle

from itadesk import __version__
from itadesk.ita.catalog import Catalog
from itadesk.ita.model import Action, Assessment, Organization, status_counts
from itadesk.report.fonts import register_report_font
from itadesk.report.model import Signature
from itadesk.report.pdf import Numbers, Styles, atomic_pdf, resolve_font, signature_table
from itadesk.report.pdf_page import LANDSCAPE_WIDTH, PageDecoration, ReportDocTemplate
from itadesk.report.pdf_tables import HEADER_FILL, LINE, TOTAL_FILL, GroupedTable, continuation_rows, group_label
from itadesk.report.thai_text import ThaiParagraph, cell
from itadesk.texts import DONE, FOLLOW_UP, SIGNATURES, status_label

TITLE = FOLLOW_UP["title"]
HEADERS = ("ที่", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินงาน", "สถานะ",
           "วันที่แล้วเสร็จ", "ผลการดำเนินการ", "หลักฐาน")
COUNT_HEADERS = ("สถานะ", "จำนวนมาตรการ", "ร้อยละ")
LANDSCAPE_TEMPLATE = 2  # ReportDocTemplate's templates: cover, portrait, landscape
# Column shares of the landscape width: the measure, the outcome and the evidence widest.
SHARES = (0.04, 0.10, 0.18, 0.085, 0.125, 0.075, 0.095, 0.155, 0.145)
CELL_PAD = 5  # with less, poppler reads a row's lines across neighbouring columns
CHUNK_LINES = 4  # a long measure is cut into pieces of this many lines; a page ends between pieces
COUNT_WIDTHS = (45 * mm, 32 * mm, 24 * mm)


def _percent(n: Numbers, part: int, total: int) -> str:
    return n.score(100 * part / total) if total else "-"


def counts_table(actions: list[Action], st: Styles, n: Numbers) -> Table:
    """Done / in progress / not started with their shares, and the total."""
    counts = status_counts(actions)
    total = len(actions)
    rows = [[cell(h, st.th) for h in COUNT_HEADERS]]
    for code, count in counts.items():
        rows.append([cell(status_label(code), st.td), cell(n.int(count), st.td_right),
                     cell(_percent(n, count, total), st.td_right)])
    rows.append([cell("รวม", st.td_bold), cell(n.int(total), st.td_right_bold),
                 cell(_percent(n, total, total), st.td_right_bold)])
    table = Table(rows, colWidths=COUNT_WIDTHS, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.td.fontName),  # else ReportLab adds Helvetica
                               ("GRID", (0, 0), (-1, -1), 0.5, LINE), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                               ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def counts_sentence(actions: list[Action], n: Numbers) -> str:
    """"มาตรการทั้งหมด 19 มาตรการ: เสร็จสิ้น 3, กำลังดำเนินการ 1, ยังไม่เริ่ม 15" (the CLI prints it too)."""
    listed = ", ".join(FOLLOW_UP["count"].format(label=status_label(code), count=n.int(count))
                       for code, count in status_counts(actions).items())
    return FOLLOW_UP["counts"].format(total=n.int(len(actions)), counts=listed)


def measure_cells(i: int, a: Action, names: dict[int, str], st: Styles, n: Numbers) -> list[list]:
    """One measure's cells: its number (named again on a page it runs on to), what and who, the
    period, then the follow-up (state, completion date, outcome, evidence)."""
    done = a.status == DONE
    texts = [
        (n.text(names.get(a.indicator, "-") if a.indicator else "-"), st.td),
        (n.text(a.measure or "-"), st.td),
        (n.text(a.owner or "-"), st.td),
        (n.period(a.start, a.end) or "-", st.td),
        (status_label(a.status), st.td_center_bold if done else st.td_center),
        (n.date(a.completed) or "-", st.td_center),
        (n.text(a.progress_note.strip() or FOLLOW_UP["no_progress"]), st.td),
        (n.text(a.evidence.strip() or FOLLOW_UP["no_evidence"]), st.td),
    ]
    return [group_label(n.int(i), st.td_center, n.int(i))] + [[ThaiParagraph(t, style)] for t, style in texts]


def measure_table(actions: list[Action], catalog: Catalog, st: Styles, n: Numbers) -> Table:
    """Every measure, a long one cut into pieces of a few lines so that pages fill up
    (pdf_tables.continuation_rows); the header repeats on every page."""
    widths = [LANDSCAPE_WIDTH * s for s in SHARES]
    inner = [w - 2 * CELL_PAD for w in widths]
    names = {ind.number: f"{ind.number}. {ind.name}" for ind in catalog.indicators}
    rows: list[list] = [[cell(h, st.th) for h in HEADERS]]
    style = [("FONTNAME", (0, 0), (-1, -1), st.td.fontName), ("BOX", (0, 0), (-1, -1), 0.5, LINE), ("LINEAFTER", (0, 0), (-2, -1), 0.5, LINE),
             ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("VALIGN", (0, 0), (-1, 0), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
             ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD), ("TOPPADDING", (0, 1), (-1, -1), 0),
             ("BOTTOMPADDING", (0, 1), (-1, -1), 0)]
    for i, action in enumerate(actions, start=1):
        first = len(rows)
        rows += continuation_rows(measure_cells(i, action, names, st, n), inner, CHUNK_LINES * st.td.leading)
        style += [("LINEABOVE", (0, first), (-1, first), 0.5, LINE), ("TOPPADDING", (0, first), (-1, first), 3),
                  ("BOTTOMPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 5)]
    if not actions:
        rows.append([cell(FOLLOW_UP["empty"], st.td)] + [""] * (len(HEADERS) - 1))
        style += [("SPAN", (0, 1), (-1, 1)), ("TOPPADDING", (0, 1), (-1, 1), 3), ("BOTTOMPADDING", (0, 1), (-1, 1), 5)]
    table = GroupedTable(rows, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=0)
    table.continued_style = st.td_center
    table.continued_suffix = "\n(ต่อ)"  # under the number: the column is narrow
    table.rule = (0.5, LINE)
    table.setStyle(TableStyle(style))
    return table


def progress_story(org: Organization, assessment: Assessment, catalog: Catalog, st: Styles, n: Numbers,
                   as_of: date | None = None) -> list[Flowable]:
    """The whole report; ``as_of``: the day the state is reported (today)."""
    year = assessment.fiscal_year + 1
    title_text = TITLE.format(year=n.int(year))
    story: list[Flowable] = [NextPageTemplate("landscape")]
    title = ThaiParagraph(title_text, st.h1)
    title.outline = (title_text, 0)
    story += [title, ThaiParagraph(org.name + (" " + org.place if org.place else ""), st.h1_sub),
              ThaiParagraph(FOLLOW_UP["subtitle"].format(assessed=n.int(assessment.fiscal_year)), st.h1_sub),
              ThaiParagraph(FOLLOW_UP["as_of"].format(day=n.date(as_of or date.today())), st.h1_sub)]
    actions = assessment.actions
    sentence = counts_sentence(actions, n)
    if actions:
        sentence += " (" + FOLLOW_UP["done_share"].format(
            percent=_percent(n, status_counts(actions)[DONE], len(actions))) + ")"
    story += [ThaiParagraph(sentence, st.body_flush), counts_table(actions, st, n), Spacer(1, 4 * mm),
              measure_table(actions, catalog, st, n)]
    signatures = [Signature(SIGNATURES["preparer"], org.preparer_name.strip(), org.preparer_position.strip()),
                  Signature(SIGNATURES["approver"], org.approver_name.strip(), org.approver_position.strip())]
    story.append(KeepTogether([Spacer(1, 12 * mm), signature_table(signatures, st, n, LANDSCAPE_WIDTH)]))
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
    with atomic_pdf(output) as tmp:
        doc = ReportDocTemplate(str(tmp), decoration, title=TITLE.format(year=year), author=org.name,
                                creator=f"ITA Desk {__version__}", lang="th-TH",
                                initialFontName=chosen.font_name())
        doc._firstPageTemplateIndex = LANDSCAPE_TEMPLATE  # no cover: the table needs the width from page one
        doc.build(progress_story(org, assessment, catalog, st, n))
        return doc.page
