"""One organization's year as a single open-data table: one header row, one fact per row.

The OIT asks offices to publish structured, machine-readable tables. Summary, indicators,
items, the assessors' recommendations and the action plan share one set of columns, told
apart by the หมวด column, so the table loads into any spreadsheet or data portal as it is.
Figures come from the report content (computed by the rules), never recomputed here.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from itadesk.ita.findings import item_sort_key
from itadesk.ita.numbers import round2
from itadesk.texts import status_label

COLUMNS = (
    "หน่วยงาน", "จังหวัด", "ปีงบประมาณ", "หมวด", "รหัส", "รายการ", "ส่วนที่", "คะแนน", "คะแนนปีก่อน",
    "เปลี่ยนแปลง (คะแนน)", "ระดับ", "ข้อความ", "ผู้รับผิดชอบ", "ขั้นตอน", "วันเริ่มต้น (ค.ศ.)",
    "วันสิ้นสุด (ค.ศ.)", "สถานะ", "ความคืบหน้า", "หลักฐาน", "วันที่แล้วเสร็จ (ค.ศ.)",
)
FIELDS = {"part": "ส่วนที่", "level": "ระดับ", "text": "ข้อความ", "owner": "ผู้รับผิดชอบ", "steps": "ขั้นตอน",
          "start": "วันเริ่มต้น (ค.ศ.)", "end": "วันสิ้นสุด (ค.ศ.)", "status": "สถานะ", "progress": "ความคืบหน้า",
          "evidence": "หลักฐาน", "completed": "วันที่แล้วเสร็จ (ค.ศ.)"}
SUMMARY, INDICATOR, ITEM, RECOMMENDATION, PLAN = "สรุป", "ตัวชี้วัด", "ข้อคำถาม", "ข้อเสนอแนะ", "แผนปฏิบัติการ"


def _num(value) -> float | None:
    return round2(value) if value is not None else None


def table_rows(report) -> list[dict]:
    """The rows of the table as dicts keyed by :data:`COLUMNS` (missing keys are blank)."""
    org, current, catalog, comparison = report.organization, report.current, report.catalog, report.comparison
    base = {"หน่วยงาน": org.name, "จังหวัด": org.province, "ปีงบประมาณ": current.fiscal_year}
    rows: list[dict] = []

    def add(section: str, code, name, score=None, previous=None, change=None, **more) -> None:
        row = {**base, "หมวด": section, "รหัส": code, "รายการ": name, "คะแนน": _num(score),
               "คะแนนปีก่อน": _num(previous), "เปลี่ยนแปลง (คะแนน)": change}
        row.update({FIELDS[key]: value for key, value in more.items()})
        rows.append(row)

    for tool in catalog.tools:
        ch = comparison.tools.get(tool.code)
        add(SUMMARY, tool.code, tool.name, ch.current, ch.previous, ch.points)
    for key, ch in comparison.parts.items():
        tool_code, part = key.split(".")[0], key.split(".")[-1]
        add(SUMMARY, key, f"{tool_code} ส่วนที่ {part}", ch.current, ch.previous, ch.points, part=part)
    level = report.evaluation.level.name if report.evaluation.level else None
    ch = comparison.overall
    add(SUMMARY, "รวม", "คะแนนรวม", ch.current, ch.previous, ch.points, level=level)
    for ind in catalog.indicators:
        ch = comparison.indicators.get(ind.number)
        add(INDICATOR, ind.number, ind.name, ch.current if ch else None, ch.previous if ch else None,
            ch.points if ch else None, text=current.analysis.get(ind.number))
    for code in sorted(current.items, key=item_sort_key):
        item = catalog.item(code)
        title = item.title if item is not None else ""
        value = current.items[code]
        if isinstance(value, dict):
            for part, score in sorted(value.items()):
                add(ITEM, code, title, score, part=part)
        else:
            add(ITEM, code, title, value)
    for tool in catalog.tools:
        if current.recommendations.get(tool.code):
            add(RECOMMENDATION, tool.code, tool.name, text=current.recommendations[tool.code])
    for a in current.actions:
        add(PLAN, a.indicator, a.measure, owner=a.owner, steps=a.steps, status=status_label(a.status), progress=a.progress_note,
            start=a.start.isoformat() if a.start else None, end=a.end.isoformat() if a.end else None,
            evidence=a.evidence, completed=a.completed.isoformat() if a.completed else None)
    return rows


def table_values(report) -> list[list]:
    """Header row, then one list per row in :data:`COLUMNS` order (None for blank)."""
    return [list(COLUMNS)] + [[row.get(col) for col in COLUMNS] for row in table_rows(report)]


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def csv_bytes(report) -> bytes:
    return excel_csv(table_values(report))


def excel_csv(lines) -> bytes:
    """Rows of values as CSV for Excel: UTF-8 with a BOM, so Excel on a Thai Windows opens the
    Thai as Thai; CRLF rows; numbers with two decimals, None blank."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for values in lines:
        writer.writerow([_csv_text(v) for v in values])
    return out.getvalue().encode("utf-8-sig")


def write_csv(report, path: str | os.PathLike) -> Path:
    from itadesk.interchange.xlsx_write import save_atomically

    data = csv_bytes(report)
    return save_atomically(lambda stream: stream.write(data), path)
