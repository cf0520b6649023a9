"""Where everything sits in an ITA Desk workbook, shared by the writer and the reader.

One layout serves the blank template, a filled template and an export: the reader finds the
same sheets, header rows and columns the writer made, so an exported workbook imports back.
Tools, indicators, items and EIT parts come from the year's catalog, never from this module.
"""

from __future__ import annotations

from itadesk.ita.catalog import Catalog, Indicator, Item, Tool

FORMAT_LABEL = "itadesk-assessment xlsx 1"

INFO_SHEET = "ข้อมูลทั่วไป"
PUBLISHED_SHEET = "ผลที่ประกาศ"
ANALYSIS_SHEET = "การวิเคราะห์"
RECOMMENDATIONS_SHEET = "ข้อเสนอแนะผู้ตรวจ"
PLAN_SHEET = "แผนปฏิบัติการ"
SUMMARY_SHEET = "สรุปผล"  # export only: computed, never read back

TITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
PLAN_ROWS = 150  # blank plan rows a template offers (unlocked, validated)
MAX_ROWS = 2000  # a sheet longer than this is not a filled template

# Info sheet: (field, label, required). Column A labels, column B values.
INFO_FIELDS = (
    ("format", "รูปแบบไฟล์", True),
    ("fiscal_year", "ปีงบประมาณ (พ.ศ.)", True),
    ("name", "ชื่อหน่วยงาน", True),
    ("kind", "ประเภทหน่วยงาน", False),
    ("district", "อำเภอ", False),
    ("province", "จังหวัด", False),
    ("code", "รหัสหน่วยงาน", False),
    ("preparer_name", "ผู้จัดทำ", False),
    ("preparer_position", "ตำแหน่งผู้จัดทำ", False),
    ("approver_name", "ผู้อนุมัติ", False),
    ("approver_position", "ตำแหน่งผู้อนุมัติ", False),
)
INFO_FIRST_ROW = FIRST_ROW

CODE_HEADER = "รหัส"
NAME_HEADER = "ตัวชี้วัด / ข้อคำถาม"
SCORE_HEADER = "คะแนน"
INDICATOR_PREFIX = "ตัวชี้วัดที่ "

PUBLISHED_HEADERS = ("รายการ", "ชื่อ", "คะแนนที่ประกาศ")
TOTAL_LABEL = "คะแนนรวม"
LEVEL_LABEL = "ระดับผลการประเมิน"

ANALYSIS_HEADERS = ("ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "คะแนนปีก่อน", "คะแนนปีนี้", "เปลี่ยนแปลง (คะแนน)",
                    "ข้อที่เสียคะแนน", "ข้อบกพร่อง / ข้อแก้ไข / ปรับปรุง / รักษาระดับ")
ANALYSIS_TEXT_COLUMN = 7
RECOMMENDATION_HEADERS = ("เครื่องมือ", "ชื่อเครื่องมือ", "ข้อเสนอแนะของผู้ตรวจประเมิน")

# Plan sheet: (field, header). Dates are typed as วัน/เดือน/ปี พ.ศ.
PLAN_COLUMNS = (
    ("indicator", "ตัวชี้วัดที่"),
    ("measure", "มาตรการ / โครงการ / กิจกรรม"),
    ("owner", "ผู้รับผิดชอบ"),
    ("steps", "ขั้นตอน / วิธีปฏิบัติ"),
    ("start", "วันเริ่มต้น (วว/ดด/ปปปป พ.ศ.)"),
    ("end", "วันสิ้นสุด (วว/ดด/ปปปป พ.ศ.)"),
    ("status", "สถานะ"),
    ("progress_note", "ความคืบหน้า"),
    ("evidence", "หลักฐาน (ข้อความหรือลิงก์)"),
    ("completed", "วันที่แล้วเสร็จ (วว/ดด/ปปปป พ.ศ.)"),
)
# Templates written before the follow-up columns end at ความคืบหน้า; they still import.
PLAN_COLUMNS_BEFORE_FOLLOW_UP = 8


def tool_sheet_name(tool: Tool) -> str:
    return tool.code[:31]


def indicator_code(number: int) -> str:
    return f"{INDICATOR_PREFIX}{number}"


def score_headers(tool: Tool) -> list[str]:
    """คะแนน, then one column per part of the tool (EIT parts 1 and 2 in 2568)."""
    return [SCORE_HEADER] + [f"ส่วนที่ {part}" + (f" {name}" if name else "") for part, name in tool.parts]


def tool_headers(tool: Tool) -> list[str]:
    return [CODE_HEADER, NAME_HEADER] + score_headers(tool)


def tool_rows(catalog: Catalog, tool: Tool) -> list[tuple[Indicator, Item | None]]:
    """The rows of a tool sheet in order: each indicator, then its items."""
    rows: list[tuple[Indicator, Item | None]] = []
    for number in tool.indicators:
        ind = catalog.indicator(number)
        rows.append((ind, None))
        rows += [(ind, item) for item in ind.items]
    return rows


def part_numbers(tool: Tool) -> list[int]:
    return [part for part, _name in tool.parts]
