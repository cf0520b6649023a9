"""Read a filled ITA Desk workbook back, reporting every problem by sheet, row and column.

The workbook is turned into the same structure as the JSON interchange format and handed to
:func:`itadesk.interchange.json_format.parse_assessment`, so the domain objects and their rules
are built in one place. This module only adds what is Excel's own: cells (formulas, merges,
dates, Thai digits and comma decimals), the template's layout, and where each problem sits.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from itadesk.interchange import xlsx_layout as L
from itadesk.interchange.json_format import FORMAT, VERSION, InterchangeError, parse_assessment
from itadesk.ita.catalog import BUNDLED, Catalog, CatalogError, Catalogs
from itadesk.ita.levels import level_names
from itadesk.ita.model import ACTION_STATUSES, ORG_KINDS, Assessment, Organization, status_code
from itadesk.texts import status_label
from itadesk.ita.numbers import ScoreError, parse_score, round2, to_arabic_digits
from itadesk.ita.scoring import evaluate
from itadesk.ita.thai_dates import BE_OFFSET, THAI_MONTHS, THAI_MONTHS_SHORT, PeriodError, check_completion, check_period

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a zip that unpacks larger than this is not a form
PUBLISHED_TOLERANCE = 0.01


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, and where: ``str()`` is the Thai line an officer reads."""

    file: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            place = f"แผ่นงาน “{self.sheet}”"
            if self.row is not None:
                place += f" แถว {self.row}"
            if self.column is not None:
                place += f" คอลัมน์ {get_column_letter(self.column)}"
            where.append(place)
        return ": ".join(where + [self.message])


@dataclass
class WorkbookRead:
    """What a workbook holds: the assessment built from its valid cells (None when even that is
    impossible, e.g. not a workbook or an indicator score missing) and every problem found."""

    path: Path
    entry: tuple[Organization, Assessment] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems and self.entry is not None


class _CellError(ValueError):
    pass


def _is_formula(cell) -> bool:
    return cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))


def _raw(cell):
    """The value a cell holds, refusing what a template cell can never mean."""
    if _is_formula(cell):
        raise _CellError("มีสูตรคำนวณ กรุณาคัดลอกแล้ววางแบบค่า (วางแบบพิเศษ → ค่า) แทนสูตร")
    value = cell.value
    if isinstance(value, str):
        value = value.replace("\u00a0", " ").strip()
        return value or None
    return value


def _score(cell) -> float | None:
    value = _raw(cell)
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        raise _CellError("เป็นวันที่ ไม่ใช่คะแนน (คะแนนต้องเป็นตัวเลข 0–100)")
    if isinstance(value, bool):
        raise _CellError("คะแนนต้องเป็นตัวเลข 0–100")
    if isinstance(value, float):
        value = round(value, 6)  # 90.5 typed in Excel may be stored as 90.50000000000001
    try:
        # Thai digits and a comma decimal ("๙๐,๕" = 90.5) are read by the shared score rule.
        return parse_score(value)
    except ScoreError as exc:
        raise _CellError(f"{exc} (พบ “{cell.value}”)") from exc


def _text(cell) -> str:
    value = _raw(cell)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        raise _CellError("เป็นวันที่ แต่ช่องนี้ต้องเป็นข้อความ")
    return str(value)


def _whole_number(cell) -> int | None:
    value = _raw(cell)
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (datetime, date)):
        raise _CellError("ต้องเป็นตัวเลขจำนวนเต็ม")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = to_arabic_digits(str(value)).strip()
    if not text.isdigit():
        raise _CellError(f"ต้องเป็นตัวเลขจำนวนเต็ม (พบ “{value}”)")
    return int(text)


_MONTHS = {name: i for i, name in enumerate(THAI_MONTHS, start=1)}
_MONTHS.update({name: i for i, name in enumerate(THAI_MONTHS_SHORT, start=1)})
_MONTHS.update({name.replace(".", ""): i for i, name in enumerate(THAI_MONTHS_SHORT, start=1)})
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s]+)\s*(\d{4})$")


def _gregorian(day: int, month: int, year: int) -> date:
    """A four-digit year above 2400 is Buddhist Era (what officers type); else Gregorian."""
    if year > 2400:
        year -= BE_OFFSET
    return date(year, month, day)


def _date(cell) -> date | None:
    value = _raw(cell)
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        # Excel set to the Thai calendar may store 1/10/2568 as the Gregorian year 2568.
        return _gregorian(value.day, value.month, value.year)
    text = to_arabic_digits(str(value)).strip()
    try:
        if m := _NUMERIC_DATE.match(text):
            return _gregorian(int(m[1]), int(m[2]), int(m[3]))
        if m := _ISO_DATE.match(text):
            return _gregorian(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORD_DATE.match(text)) and m[2] in _MONTHS:
            return _gregorian(int(m[1]), _MONTHS[m[2]], int(m[3]))
    except ValueError as exc:
        raise _CellError(f"ไม่มีวันที่ “{value}” ในปฏิทิน") from exc
    raise _CellError(f"อ่านวันที่ “{value}” ไม่ได้: กรอกเป็น วัน/เดือน/ปี พ.ศ. เช่น 1/10/2568")


class _Reader:
    def __init__(self, path: Path, catalogs: Catalogs = BUNDLED):
        self.path = path
        self.catalogs = catalogs  # the importing document's catalogs over the bundled ones
        self.problems: list[Problem] = []
        self.bad_rows: set[tuple[str, int]] = set()

    def problem(self, message: str, sheet: str = "", row: int | None = None, column: int | None = None) -> None:
        self.problems.append(Problem(self.path.name, message, sheet, row, column))
        if sheet and row is not None:
            self.bad_rows.add((sheet, row))

    def cell(self, ws, row: int, column: int, read):
        """``read(cell)``, or None with the problem recorded at the cell."""
        try:
            return read(ws.cell(row=row, column=column))
        except _CellError as exc:
            self.problem(str(exc), ws.title, row, column)
            return None

    # -- the container ---------------------------------------------------------------------
    def open(self):
        path = self.path
        if not path.is_file():
            self.problem("ไม่พบไฟล์")
            return None
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head == OLE2_MAGIC:
            self.problem("เป็นไฟล์ Excel รุ่นเก่า (.xls) แม้ชื่อจะลงท้ายด้วย .xlsx: เปิดใน Excel แล้ว"
                         "บันทึกเป็น “สมุดงาน Excel (.xlsx)” ก่อนนำเข้า")
            return None
        if not zipfile.is_zipfile(path):
            self.problem("ไม่ใช่ไฟล์ Excel (.xlsx): ไฟล์อาจเสียหรือเป็นไฟล์ชนิดอื่นที่เปลี่ยนชื่อ")
            return None
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                unpacked = sum(info.file_size for info in zf.infolist())
        except (zipfile.BadZipFile, OSError):
            self.problem("ไม่ใช่ไฟล์ Excel (.xlsx): ไฟล์อาจเสียหรือเป็นไฟล์ชนิดอื่นที่เปลี่ยนชื่อ")
            return None
        if "xl/workbook.xml" not in names:
            self.problem("เป็นไฟล์ zip แต่ไม่ใช่สมุดงาน Excel (.xlsx)")
            return None
        if unpacked > MAX_UNPACKED_BYTES:
            self.problem("ไฟล์ใหญ่เกินกว่าจะเป็นแบบฟอร์มผลการประเมิน (เมื่อคลายออกเกิน 100 MB)")
            return None
        try:
            return load_workbook(path, data_only=False)
        except Exception:  # openpyxl raises many kinds on a damaged part; all mean the same here
            self.problem("เปิดไฟล์ Excel ไม่ได้: ไฟล์อาจเสียหาย ลองเปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx")
            return None

    def sheet(self, wb, name: str, required: bool = True):
        if name not in wb.sheetnames:
            if required:
                self.problem(f"ไม่พบแผ่นงาน “{name}” ของแบบฟอร์ม (อย่าเปลี่ยนชื่อหรือลบแผ่นงาน)")
            return None
        ws = wb[name]
        if ws.max_row > L.MAX_ROWS:
            self.problem(f"แผ่นงานนี้มี {ws.max_row:,} แถว มากกว่าที่แบบฟอร์มรองรับ ({L.MAX_ROWS:,} แถว): "
                         "ลบแถวที่ไม่ใช้หรือคัดลอกเฉพาะข้อมูลลงแบบฟอร์มใหม่", name)
            return None
        for merged in ws.merged_cells.ranges:
            if merged.max_row >= L.HEADER_ROW:
                self.problem(f"เซลล์ {merged.coord} ถูกผสาน (Merge): กรุณายกเลิกการผสานเซลล์",
                             name, merged.min_row, merged.min_col)
                for row in range(merged.min_row, merged.max_row + 1):
                    self.bad_rows.add((name, row))
        return ws

    def headers_match(self, ws, expected) -> bool:
        found = [str(ws.cell(row=L.HEADER_ROW, column=c).value or "").strip() for c in range(1, len(expected) + 1)]
        for col, (have, want) in enumerate(zip(found, expected), start=1):
            if have != want:
                self.problem(f"หัวตารางไม่ตรงกับแบบฟอร์ม (ต้องเป็น “{want}” พบ “{have}”): "
                             "ใช้แบบฟอร์มที่ดาวน์โหลดจากโปรแกรมโดยไม่แทรกหรือลบคอลัมน์", ws.title, L.HEADER_ROW, col)
                return False
        return True

    def data_rows(self, ws, columns: int):
        """Row numbers below the header that hold anything, skipping rows with a merged cell."""
        for row in range(L.FIRST_ROW, ws.max_row + 1):
            if (ws.title, row) in self.bad_rows:
                continue
            if any(ws.cell(row=row, column=c).value not in (None, "") for c in range(1, columns + 1)):
                yield row

    # -- the sheets ------------------------------------------------------------------------
    def info(self, wb, template_year: int | None):
        ws = self.sheet(wb, L.INFO_SHEET)
        if ws is None or not self.headers_match(ws, ("รายการ", "ข้อมูล")):
            return None, None
        values = {}
        for offset, (name, label, _required) in enumerate(L.INFO_FIELDS):
            row = L.INFO_FIRST_ROW + offset
            have = str(ws.cell(row=row, column=1).value or "").rstrip(" *")
            if have != label:
                self.problem(f"ต้องเป็น “{label}” (อย่าแทรกหรือลบแถวในแผ่นงานนี้)", ws.title, row, 1)
                return None, None
            values[name] = (row, ws.cell(row=row, column=2))
        row, cell = values["format"]
        if str(cell.value or "").strip() != L.FORMAT_LABEL:
            self.problem("ไม่ใช่แบบฟอร์มผลการประเมินของ ITA Desk หรือเป็นรุ่นที่โปรแกรมนี้ไม่รู้จัก", ws.title, row, 2)
            return None, None
        row, cell = values["fiscal_year"]
        try:
            year = _whole_number(cell)
        except _CellError as exc:
            self.problem(f"ปีงบประมาณ{exc}", ws.title, row, 2)
            return None, None
        if year is None:
            self.problem("ยังไม่ได้กรอกปีงบประมาณ (ต้องกรอก)", ws.title, row, 2)
            return None, None
        if not 2500 <= year <= 2700:
            self.problem(f"ปีงบประมาณ {year} ต้องเป็นปี พ.ศ. (เช่น 2568)", ws.title, row, 2)
            return None, None
        if template_year is not None and year != template_year:
            self.problem(f"ปีงบประมาณ {year} ไม่ตรงกับแบบฟอร์มซึ่งทำไว้สำหรับปี {template_year} "
                         f"(ตัวชี้วัดและข้อคำถามเป็นของปี {template_year}): ดาวน์โหลดแบบฟอร์มของปี {year} "
                         "แล้วกรอกใหม่", ws.title, row, 2)
            return None, None
        org = {}
        for name, _label, _required in L.INFO_FIELDS[2:]:
            row, cell = values[name]
            org[name] = self.cell(ws, row, 2, _text) or ""
        row, _cell = values["name"]
        if not org["name"].strip():
            self.problem("ยังไม่ได้กรอกชื่อหน่วยงาน (ต้องกรอก)", ws.title, row, 2)
        row, _cell = values["kind"]
        if org["kind"] and org["kind"] not in ORG_KINDS:
            self.problem(f"ประเภทหน่วยงาน “{org['kind']}” ไม่รู้จัก (ใช้ได้: {', '.join(ORG_KINDS)})", ws.title, row, 2)
            org["kind"] = ""
        return year, {k: v for k, v in org.items() if v}

    def tools(self, wb, catalog: Catalog):
        indicators: dict[str, float] = {}
        items: dict[str, object] = {}
        complete = True
        for tool in catalog.tools:
            ws = self.sheet(wb, L.tool_sheet_name(tool))
            headers = L.tool_headers(tool)
            if ws is None or not self.headers_match(ws, headers):
                complete = False
                continue
            parts = L.part_numbers(tool)
            seen: dict[str, int] = {}
            for row in self.data_rows(ws, len(headers)):
                code = (self.cell(ws, row, 1, _text) or "").strip().lower()
                if not code:
                    self.problem("ไม่มีรหัสตัวชี้วัดหรือข้อคำถาม", ws.title, row, 1)
                    continue
                if code in seen:
                    self.problem(f"รหัส {code} ซ้ำกับแถว {seen[code]}", ws.title, row, 1)
                    continue
                seen[code] = row
                prefix = L.INDICATOR_PREFIX.strip()
                if code.startswith(prefix):
                    number = to_arabic_digits(code[len(prefix):].strip())
                    if not number.isdigit() or int(number) not in tool.indicators:
                        self.problem(f"ไม่มี{code} ใน {tool.code} ปี {catalog.fiscal_year}", ws.title, row, 1)
                        continue
                    score = self.cell(ws, row, 3, _score)
                    if score is not None:
                        indicators[number] = score
                    elif (ws.title, row) not in self.bad_rows:
                        self.problem(f"ยังไม่ได้กรอกคะแนน{code} (ต้องกรอกทุกตัวชี้วัด)", ws.title, row, 3)
                    continue
                ind = catalog.indicator_of_item(code)
                if ind is None or ind.number not in tool.indicators:
                    self.problem(f"ไม่มีข้อ “{code}” ใน {tool.code} ตามเกณฑ์ปี {catalog.fiscal_year} "
                                 "(ตรวจสอบรหัสข้อ หรือใช้แบบฟอร์มของปีนี้)", ws.title, row, 1)
                    continue
                item = catalog.item(code)
                if item.parts:
                    if ws.cell(row=row, column=3).value not in (None, ""):
                        self.problem(f"ข้อ {code} แบ่งเป็นส่วน: กรอกคะแนนในคอลัมน์ของแต่ละส่วน", ws.title, row, 3)
                        continue
                    scores = {}
                    for col, part in enumerate(parts, start=4):
                        score = self.cell(ws, row, col, _score)
                        if score is not None and part in item.parts:
                            scores[str(part)] = score
                    if scores:
                        items[code] = scores
                else:
                    score = self.cell(ws, row, 3, _score)
                    if score is not None:
                        items[code] = score
            for number in tool.indicators:
                if L.indicator_code(number) not in seen:
                    self.problem(f"ไม่พบแถวของ{L.indicator_code(number)} (อย่าลบแถวตัวชี้วัด)", ws.title)
                    complete = False
        return indicators, items, complete

    def published(self, wb, catalog: Catalog, assessment: Assessment) -> None:
        ws = self.sheet(wb, L.PUBLISHED_SHEET, required=False)
        if ws is None or not self.headers_match(ws, L.PUBLISHED_HEADERS):
            return
        evaluation = evaluate(assessment, catalog)
        tools = {t.code for t in catalog.tools}
        for row in self.data_rows(ws, 3):
            label = str(ws.cell(row=row, column=1).value or "").strip()
            if label == L.LEVEL_LABEL:
                level = self.cell(ws, row, 3, _text)
                if level and level not in level_names(catalog.levels):
                    self.problem(f"ระดับ “{level}” ไม่มีในเกณฑ์ปี {catalog.fiscal_year}", ws.title, row, 3)
                elif level and evaluation.level and level != evaluation.level.name:
                    self.problem(f"ระดับที่ประกาศ “{level}” ไม่ตรงกับระดับที่คำนวณจากคะแนนตัวชี้วัด "
                                 f"“{evaluation.level.name}”: ตรวจสอบคะแนนที่กรอก", ws.title, row, 3)
                continue
            if label != L.TOTAL_LABEL and label not in tools:
                continue
            published = self.cell(ws, row, 3, _score)
            computed = evaluation.total if label == L.TOTAL_LABEL else evaluation.tools.get(label)
            if published is None or computed is None:
                continue
            if abs(round2(computed) - published) > PUBLISHED_TOLERANCE:
                self.problem(f"{label} ที่ประกาศ ({published:.2f}) ไม่ตรงกับที่คำนวณจากคะแนนตัวชี้วัด "
                             f"({round2(computed):.2f}): ตรวจสอบคะแนนตัวชี้วัดที่กรอก", ws.title, row, 3)

    def texts(self, wb, catalog: Catalog):
        analysis, recommendations = {}, {}
        ws = self.sheet(wb, L.ANALYSIS_SHEET, required=False)
        if ws is not None and self.headers_match(ws, L.ANALYSIS_HEADERS):
            for row in self.data_rows(ws, len(L.ANALYSIS_HEADERS)):
                number = self.cell(ws, row, 1, _whole_number)
                text = self.cell(ws, row, L.ANALYSIS_TEXT_COLUMN, _text)
                if number is None or (ws.title, row) in self.bad_rows:
                    continue
                if number not in catalog.indicator_numbers:
                    self.problem(f"ไม่มีตัวชี้วัดที่ {number} ในเกณฑ์ปี {catalog.fiscal_year}", ws.title, row, 1)
                elif text:
                    analysis[str(number)] = text
        ws = self.sheet(wb, L.RECOMMENDATIONS_SHEET, required=False)
        if ws is not None and self.headers_match(ws, L.RECOMMENDATION_HEADERS):
            codes = {t.code for t in catalog.tools}
            for row in self.data_rows(ws, len(L.RECOMMENDATION_HEADERS)):
                code = (self.cell(ws, row, 1, _text) or "").strip().upper()
                text = self.cell(ws, row, 3, _text)
                if code not in codes:
                    self.problem(f"ไม่มีเครื่องมือ “{code}” ในเกณฑ์ปี {catalog.fiscal_year}", ws.title, row, 1)
                elif text and (ws.title, row) not in self.bad_rows:
                    recommendations[code] = text
        return analysis, recommendations

    def plan(self, wb, catalog: Catalog, year: int) -> list[dict]:
        ws = self.sheet(wb, L.PLAN_SHEET, required=False)
        columns = L.PLAN_COLUMNS
        if ws is not None and ws.cell(row=L.HEADER_ROW, column=L.PLAN_COLUMNS_BEFORE_FOLLOW_UP + 1).value in (None, ""):
            columns = columns[:L.PLAN_COLUMNS_BEFORE_FOLLOW_UP]  # a template from before the follow-up columns
        headers = [header for _field, header in columns]
        if ws is None or not self.headers_match(ws, headers):
            return []
        col = {name: index for index, (name, _header) in enumerate(columns, start=1)}
        actions = []
        for row in self.data_rows(ws, len(headers)):
            before = len(self.problems)
            indicator = self.cell(ws, row, col["indicator"], _whole_number)
            if indicator is not None and indicator not in catalog.indicator_numbers:
                self.problem(f"ไม่มีตัวชี้วัดที่ {indicator} ในเกณฑ์ปี {catalog.fiscal_year}", ws.title, row, col["indicator"])
            texts = {name: self.cell(ws, row, col[name], _text) or ""
                     for name in ("measure", "owner", "steps", "status", "progress_note", "evidence") if name in col}
            if not texts["measure"].strip() and (ws.title, row) not in self.bad_rows:
                self.problem("ยังไม่ได้กรอกมาตรการ/โครงการ/กิจกรรม (ต้องกรอกในแถวที่มีข้อมูล)", ws.title, row, col["measure"])
            if texts["status"] and status_code(texts["status"]) is None:
                known = ", ".join(status_label(code) for code in ACTION_STATUSES)
                self.problem(f"สถานะ “{texts['status']}” ไม่รู้จัก (ใช้ได้: {known})",
                             ws.title, row, col["status"])
            start = self.cell(ws, row, col["start"], _date)
            end = self.cell(ws, row, col["end"], _date)
            try:
                check_period(start, end, year)
            except PeriodError as exc:
                self.problem(str(exc), ws.title, row, col["end"])
            completed = self.cell(ws, row, col["completed"], _date) if "completed" in col else None
            try:
                check_completion(start, completed)
            except PeriodError as exc:
                self.problem(str(exc), ws.title, row, col["completed"])
            if len(self.problems) != before or (ws.title, row) in self.bad_rows:
                continue
            action = {"indicator": indicator, **texts,
                      "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
                      "completed": completed.isoformat() if completed else None}
            actions.append({k: v for k, v in action.items() if v not in (None, "")})
        return actions

    # -- the whole workbook ----------------------------------------------------------------
    def read(self) -> tuple[Organization, Assessment] | None:
        wb = self.open()
        if wb is None:
            return None
        subject = str(wb.properties.subject or "")
        template_year = int(subject) if subject.isdigit() else None
        year, org = self.info(wb, template_year)
        if year is None:
            return None
        try:
            catalog = self.catalogs.for_year(year)
        except CatalogError as exc:
            self.problem(f"ใช้เกณฑ์ปี {year} ไม่ได้: {exc}")
            return None
        indicators, items, complete = self.tools(wb, catalog)
        analysis, recommendations = self.texts(wb, catalog)
        actions = self.plan(wb, catalog, year)
        data = {"format": FORMAT, "version": VERSION, "organization": org, "fiscal_year": year,
                "indicators": indicators, "items": items, "recommendations": recommendations,
                "analysis": analysis, "actions": actions}
        if not complete or len(indicators) != len(catalog.indicator_numbers) or not org.get("name"):
            return None  # the problems already say which required cell is missing
        try:
            entry = parse_assessment(data, self.path.name, self.catalogs)
        except InterchangeError as exc:  # a rule the cell checks above did not anticipate
            self.problem(str(exc).removeprefix(f"{self.path.name}").lstrip(" :"))
            return None
        self.published(wb, catalog, entry[1])
        return entry


def read_workbook(path: str | Path, catalogs: Catalogs = BUNDLED) -> WorkbookRead:
    """Read one filled workbook; never raises for a bad file (the problems say what is wrong)."""
    reader = _Reader(Path(path), catalogs)
    entry = reader.read()
    return WorkbookRead(Path(path), entry, reader.problems)
