"""The Excel template an office fills in, and the same workbook filled for an export.

Labels are locked (sheet protection without a password, so an officer who must can lift it)
and only the yellow cells take input; scores carry a 0–100 validation so Excel refuses a typo
as it is typed. Everything is laid out by :mod:`itadesk.interchange.xlsx_layout`, which the
reader uses too, so a workbook this module writes always imports back.
"""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from itadesk.db.errors import MESSAGES, kind_of
from itadesk.db.tempfiles import write_atomically
from itadesk.interchange import xlsx_layout as L
from itadesk.ita.catalog import Catalog
from itadesk.ita.levels import level_names
from itadesk.ita.model import ACTION_STATUSES, ORG_KINDS, Assessment, Organization
from itadesk.report.model import INDICATOR, LEVEL, build_summary
from itadesk.texts import status_label
from itadesk.ita.numbers import round2
from itadesk.ita.thai_dates import to_be

FONT_NAME = "TH Sarabun New"  # Excel shows its Thai fallback (e.g. Leelawadee UI / Tahoma) where missing
FONT_SIZE = 14
INPUT_FILL = PatternFill("solid", fgColor="FFF6C8")
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
INDICATOR_FILL = PatternFill("solid", fgColor="EEF2F8")
LOCKED_INPUT_FILL = PatternFill("solid", fgColor="E7E7E7")
THIN = Side(style="thin", color="9AA5B8")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)


class XlsxWriteError(OSError):
    """The workbook could not be written; the message is Thai and names the file."""


def _font(bold: bool = False, size: int = FONT_SIZE) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold)


def display_width(text) -> float:
    """Columns a text needs: Thai vowel and tone marks above or below take no width."""
    longest = 0
    for line in str(text if text is not None else "").split("\n"):
        longest = max(longest, sum(1 for ch in line if unicodedata.category(ch) not in ("Mn", "Me", "Cf")))
    return longest


class _Sheet:
    """A worksheet being written: cells with the house font, widths that follow the content."""

    def __init__(self, ws, widths: dict[int, tuple[float, float]]):
        self.ws = ws
        self.limits = widths  # column -> (min, max) width
        self.needed: dict[int, float] = {}
        ws.sheet_view.showGridLines = True

    def put(self, row: int, col: int, value=None, *, bold=False, fill=None, wrap=False, box=True,
            unlocked=False, number_format: str | None = None, measure=True):
        cell = self.ws.cell(row=row, column=col, value=value)
        cell.font = _font(bold)
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if fill is not None:
            cell.fill = fill
        if box:
            cell.border = BOX
        if unlocked:
            cell.protection = UNLOCKED
        if number_format:
            cell.number_format = number_format
        if measure and value is not None:
            self.needed[col] = max(self.needed.get(col, 0), display_width(value) * 0.85 + 2)
        return cell

    def title(self, text: str, hint: str) -> None:
        self.put(L.TITLE_ROW, 1, text, bold=True, box=False, measure=False).font = _font(True, 16)
        self.put(L.HINT_ROW, 1, hint, box=False, measure=False)

    def headers(self, headers) -> None:
        for col, text in enumerate(headers, start=1):
            self.put(L.HEADER_ROW, col, text, bold=True, fill=HEADER_FILL, wrap=True)

    def finish(self, landscape: bool = False) -> None:
        ws = self.ws
        for col, (low, high) in self.limits.items():
            ws.column_dimensions[get_column_letter(col)].width = max(low, min(high, self.needed.get(col, low)))
        ws.freeze_panes = ws.cell(row=L.FIRST_ROW, column=1)
        ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_margins.left, ws.page_margins.right = 3 / 2.54, 2 / 2.54
        ws.oddFooter.center.text = "หน้า &P / &N"
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # an officer may still widen a column
        ws.protection.formatRows = False


def _score_validation(ws) -> DataValidation:
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    dv.error = "คะแนนต้องเป็นตัวเลข 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง"
    dv.errorTitle = "คะแนนไม่ถูกต้อง"
    dv.prompt = "กรอกคะแนน 0–100"
    dv.showErrorMessage = True
    dv.showInputMessage = True
    ws.add_data_validation(dv)
    return dv


def _list_validation(ws, values) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(str(v) for v in values) + '"', allow_blank=True)
    dv.error = "กรุณาเลือกจากรายการ"
    dv.errorTitle = "ค่าไม่ถูกต้อง"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    return dv


def _thai_date(day) -> str | None:
    return f"{day.day}/{day.month}/{to_be(day.year)}" if day else None


def _info_sheet(wb: Workbook, catalog: Catalog, org: Organization | None) -> None:
    ws = wb.active
    ws.title = L.INFO_SHEET
    s = _Sheet(ws, {1: (18, 24), 2: (40, 70)})
    s.title(f"แบบฟอร์มผลการประเมิน ITA ปีงบประมาณ {catalog.fiscal_year}",
            "กรอกข้อมูลในช่องสีเหลือง แผ่นงานละหนึ่งเครื่องมือ แล้วนำเข้าด้วยโปรแกรม ITA Desk (ไฟล์ละหนึ่งหน่วยงาน)")
    s.headers(("รายการ", "ข้อมูล"))
    kinds = _list_validation(ws, ORG_KINDS)
    for offset, (field, label, required) in enumerate(L.INFO_FIELDS):
        row = L.INFO_FIRST_ROW + offset
        s.put(row, 1, label + (" *" if required else ""), bold=required)
        if field == "format":
            s.put(row, 2, L.FORMAT_LABEL, fill=LOCKED_INPUT_FILL)
        elif field == "fiscal_year":
            s.put(row, 2, catalog.fiscal_year, fill=LOCKED_INPUT_FILL)
        else:
            value = getattr(org, field, "") if org is not None else ""
            s.put(row, 2, value or None, fill=INPUT_FILL, unlocked=True, wrap=True)
            if field == "kind":
                kinds.add(ws.cell(row=row, column=2))
    s.finish()


def _tool_sheets(wb: Workbook, catalog: Catalog, assessment: Assessment | None) -> None:
    for tool in catalog.tools:
        ws = wb.create_sheet(L.tool_sheet_name(tool))
        parts = L.part_numbers(tool)
        widths = {1: (14, 16), 2: (40, 70)}
        widths.update({col: (12, 30) for col in range(3, 4 + len(parts))})
        s = _Sheet(ws, widths)
        s.title(f"{tool.code} {tool.name} ปีงบประมาณ {catalog.fiscal_year}",
                "กรอกคะแนน 0–100 (ทศนิยมไม่เกิน 2 ตำแหน่ง) ในช่องสีเหลือง: คะแนนตัวชี้วัดต้องกรอกทุกช่อง "
                "คะแนนรายข้อกรอกเท่าที่มี" + (" ข้อที่แบ่งเป็นส่วน กรอกคะแนนแยกตามส่วน" if parts else ""))
        s.headers(L.tool_headers(tool))
        dv = _score_validation(ws)
        for row, (ind, item) in enumerate(L.tool_rows(catalog, tool), start=L.FIRST_ROW):
            if item is None:
                s.put(row, 1, L.indicator_code(ind.number), bold=True, fill=INDICATOR_FILL)
                s.put(row, 2, ind.name, bold=True, fill=INDICATOR_FILL, wrap=True)
                value = assessment.indicators.get(ind.number) if assessment else None
                dv.add(s.put(row, 3, value, fill=INPUT_FILL, unlocked=True, number_format="0.00"))
                for col in range(4, 4 + len(parts)):
                    s.put(row, col, None, fill=INDICATOR_FILL)
                continue
            s.put(row, 1, item.code)
            s.put(row, 2, item.title or None, wrap=True)
            value = assessment.items.get(item.code) if assessment else None
            if item.parts:
                s.put(row, 3, None, fill=LOCKED_INPUT_FILL)
                for col, part in enumerate(parts, start=4):
                    if part in item.parts:
                        score = value.get(part) if isinstance(value, dict) else None
                        dv.add(s.put(row, col, score, fill=INPUT_FILL, unlocked=True, number_format="0.00"))
                    else:
                        s.put(row, col, None, fill=LOCKED_INPUT_FILL)
            else:
                score = value if not isinstance(value, dict) else None
                dv.add(s.put(row, 3, score, fill=INPUT_FILL, unlocked=True, number_format="0.00"))
                for col in range(4, 4 + len(parts)):
                    s.put(row, col, None, fill=LOCKED_INPUT_FILL)
        s.finish()


def _published_sheet(wb: Workbook, catalog: Catalog, evaluation) -> None:
    ws = wb.create_sheet(L.PUBLISHED_SHEET)
    s = _Sheet(ws, {1: (16, 22), 2: (40, 60), 3: (16, 24)})
    s.title(f"ผลที่ ป.ป.ช. ประกาศ ปีงบประมาณ {catalog.fiscal_year}",
            "ไม่บังคับ: ถ้ากรอก โปรแกรมจะตรวจว่าตรงกับคะแนนที่คำนวณจากตัวชี้วัด เพื่อจับตัวเลขที่พิมพ์ผิด")
    s.headers(L.PUBLISHED_HEADERS)
    dv = _score_validation(ws)
    row = L.FIRST_ROW
    for tool in catalog.tools:
        s.put(row, 1, tool.code, bold=True)
        s.put(row, 2, tool.name, wrap=True)
        value = evaluation.tools.get(tool.code) if evaluation else None
        dv.add(s.put(row, 3, round2(value) if value is not None else None, fill=INPUT_FILL, unlocked=True,
                     number_format="0.00"))
        row += 1
    s.put(row, 1, L.TOTAL_LABEL, bold=True)
    s.put(row, 2, "คะแนนรวมตามน้ำหนักของเครื่องมือ", wrap=True)
    total = evaluation.total if evaluation else None
    dv.add(s.put(row, 3, total, fill=INPUT_FILL, unlocked=True, number_format="0.00"))
    row += 1
    s.put(row, 1, L.LEVEL_LABEL, bold=True)
    s.put(row, 2, "ระดับตามเกณฑ์ของปี", wrap=True)
    level = evaluation.level.name if evaluation and evaluation.level else None
    _list_validation(ws, level_names(catalog.levels)).add(s.put(row, 3, level, fill=INPUT_FILL, unlocked=True))
    s.finish()


def _analysis_sheets(wb: Workbook, catalog: Catalog, assessment: Assessment | None, report) -> None:
    ws = wb.create_sheet(L.ANALYSIS_SHEET)
    s = _Sheet(ws, {1: (10, 12), 2: (26, 36), 3: (11, 13), 4: (11, 13), 5: (13, 15), 6: (16, 30), 7: (50, 80)})
    s.title(f"ผลการวิเคราะห์รายตัวชี้วัด ปีงบประมาณ {catalog.fiscal_year}",
            "กรอกข้อความวิเคราะห์ในคอลัมน์สุดท้าย (ไม่บังคับ) คอลัมน์คะแนนเป็นค่าที่คำนวณไว้ให้ดู ไม่นำเข้า")
    s.headers(L.ANALYSIS_HEADERS)
    lost = {}
    if report is not None:
        for f in report.findings:
            if f.kind == "item":
                lost.setdefault(f.indicator, []).append(f.code)
    for row, ind in enumerate(catalog.indicators, start=L.FIRST_ROW):
        s.put(row, 1, ind.number, bold=True)
        s.put(row, 2, ind.name, wrap=True)
        change = report.comparison.indicators.get(ind.number) if report is not None else None
        s.put(row, 3, change.previous if change else None, number_format="0.00")
        s.put(row, 4, change.current if change else None, number_format="0.00")
        s.put(row, 5, change.points if change else None, number_format="+0.00;-0.00;0.00")
        s.put(row, 6, ", ".join(lost.get(ind.number, [])) or None, wrap=True)
        text = assessment.analysis.get(ind.number) if assessment else None
        s.put(row, L.ANALYSIS_TEXT_COLUMN, text or None, fill=INPUT_FILL, unlocked=True, wrap=True, measure=False)
    s.finish(landscape=True)

    ws = wb.create_sheet(L.RECOMMENDATIONS_SHEET)
    s = _Sheet(ws, {1: (12, 14), 2: (30, 44), 3: (60, 90)})
    s.title("ข้อเสนอแนะของผู้ตรวจประเมิน", "คัดลอกข้อเสนอแนะของผู้ตรวจประเมินแต่ละเครื่องมือมาวางในช่องสีเหลือง (ไม่บังคับ)")
    s.headers(L.RECOMMENDATION_HEADERS)
    for row, tool in enumerate(catalog.tools, start=L.FIRST_ROW):
        s.put(row, 1, tool.code, bold=True)
        s.put(row, 2, tool.name, wrap=True)
        text = assessment.recommendations.get(tool.code) if assessment else None
        s.put(row, 3, text or None, fill=INPUT_FILL, unlocked=True, wrap=True, measure=False)
    s.finish(landscape=True)


def _plan_sheet(wb: Workbook, catalog: Catalog, assessment: Assessment | None) -> None:
    ws = wb.create_sheet(L.PLAN_SHEET)
    widths = {1: (10, 12), 2: (40, 60), 3: (16, 26), 4: (40, 60), 5: (14, 16), 6: (14, 16), 7: (14, 18), 8: (20, 40),
              9: (20, 40), 10: (14, 16)}
    s = _Sheet(ws, widths)
    s.title(f"แผนปฏิบัติการ (ส่วนที่ 2) จากผลการประเมินปีงบประมาณ {catalog.fiscal_year}",
            "หนึ่งแถวต่อหนึ่งมาตรการ: ต้องกรอกมาตรการ ส่วนอื่นไม่บังคับ วันที่กรอกเป็น วัน/เดือน/ปี พ.ศ. เช่น 1/10/2568")
    s.headers([header for _field, header in L.PLAN_COLUMNS])
    indicators = _list_validation(ws, catalog.indicator_numbers)
    statuses = _list_validation(ws, [status_label(code) for code in ACTION_STATUSES])  # Thai words, read back as codes
    actions = assessment.actions if assessment else []
    rows = max(L.PLAN_ROWS, len(actions) + 20)
    for index in range(rows):
        row = L.FIRST_ROW + index
        action = actions[index] if index < len(actions) else None
        values = {
            "indicator": action.indicator if action else None,
            "measure": action.measure if action else None,
            "owner": action.owner if action else None,
            "steps": action.steps if action else None,
            "start": _thai_date(action.start) if action else None,
            "end": _thai_date(action.end) if action else None,
            "status": status_label(action.status) if action else None,
            "progress_note": action.progress_note if action else None,
            "evidence": action.evidence if action else None,
            "completed": _thai_date(action.completed) if action else None,
        }
        for col, (field, _header) in enumerate(L.PLAN_COLUMNS, start=1):
            long_text = field in ("measure", "steps", "progress_note", "evidence")
            cell = s.put(row, col, values[field] or None, fill=INPUT_FILL, unlocked=True, wrap=True,
                         number_format="@" if field in ("start", "end", "completed") else None, measure=not long_text)
            if field == "indicator":
                indicators.add(cell)
            elif field == "status":
                statuses.add(cell)
    s.finish(landscape=True)


def _summary_sheet(wb: Workbook, report) -> None:
    """Export only: the reference report's first table, computed by the rules, never read back."""
    ws = wb.create_sheet(L.SUMMARY_SHEET, 0)
    cur = report.current.fiscal_year
    prev = report.previous.fiscal_year if report.previous else None
    s = _Sheet(ws, {1: (30, 50), 2: (12, 14), 3: (12, 14), 4: (14, 16), 5: (14, 16)})
    s.title(f"สรุปผลการประเมิน ITA {report.organization.name} ปีงบประมาณ {cur}",
            "คำนวณโดยโปรแกรม ITA Desk จากคะแนนรายตัวชี้วัด (แผ่นงานนี้ไม่นำเข้า)")
    s.headers(("รายการ", f"ปี {prev}" if prev else "ปีก่อน", f"ปี {cur}", "เปลี่ยนแปลง (คะแนน)", "เปลี่ยนแปลง (ร้อยละ)"))
    # Table 1 of the report model, the rows the window and the PDF show.
    table = build_summary(report.current, report.previous, report.catalog).table
    row = L.FIRST_ROW
    for line in table.rows:
        if line.kind == LEVEL:
            s.put(row, 1, line.label, bold=True)
            s.put(row, 2, line.previous)
            s.put(row, 3, line.current)
            s.put(row, 4, line.direction_label if line.direction else None)
            s.put(row, 5, None)
            row += 1
            continue
        label = f"{L.indicator_code(line.number)} {line.label}" if line.kind == INDICATOR else line.label
        s.put(row, 1, label, wrap=True)
        s.put(row, 2, round2(line.previous) if line.previous is not None else None, number_format="0.00")
        s.put(row, 3, round2(line.current) if line.current is not None else None, number_format="0.00")
        s.put(row, 4, line.points, number_format="+0.00;-0.00;0.00")
        s.put(row, 5, line.percent, number_format="+0.00;-0.00;0.00")
        row += 1
    s.finish(landscape=True)


def build_workbook(catalog: Catalog, org: Organization | None = None, assessment: Assessment | None = None,
                   report=None) -> Workbook:
    """The template (no organization), or an organization's year filled in (with its summary)."""
    wb = Workbook()
    wb.properties.title = f"แบบฟอร์มผลการประเมิน ITA ปี {catalog.fiscal_year}"
    wb.properties.creator = "ITA Desk"
    wb.properties.keywords = L.FORMAT_LABEL
    wb.properties.subject = str(catalog.fiscal_year)  # the year the sheets were laid out for
    _info_sheet(wb, catalog, org)
    _tool_sheets(wb, catalog, assessment)
    _published_sheet(wb, catalog, report.evaluation if report is not None else None)
    _analysis_sheets(wb, catalog, assessment, report)
    _plan_sheet(wb, catalog, assessment)
    if report is not None:
        _summary_sheet(wb, report)
        wb.active = 0
    return wb


def save_atomically(write, path: str | os.PathLike) -> Path:
    """``write(stream)`` into memory, then the shared atomic replace (exclusive temp file beside
    the target, fsync, rename): never half a workbook on a stick, no link followed."""
    path = Path(path)
    buffer = io.BytesIO()
    write(buffer)
    try:
        write_atomically(path, buffer.getvalue())
    except OSError as exc:
        kind = kind_of(exc)
        reason = MESSAGES[kind] if kind is not None else (exc.strerror or str(exc))
        raise XlsxWriteError(f"เขียนไฟล์ {path.name} ไม่ได้: {reason}") from exc
    return path


def write_template(catalog: Catalog, path: str | os.PathLike) -> Path:
    return save_atomically(build_workbook(catalog).save, path)


def write_export(report, path: str | os.PathLike) -> Path:
    """An organization's year as a workbook: summary, scores, analysis and plan (imports back)."""
    wb = build_workbook(report.catalog, report.organization, report.current, report)
    return save_atomically(wb.save, path)
