"""Fill an ITA Desk template the way an officer does: find each row by its code, type the value."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from itadesk.interchange import xlsx_layout as L
from itadesk.ita.catalog import load_catalog
from itadesk.ita.model import Assessment, Organization
from itadesk.ita.thai_dates import to_be
from itadesk.texts import status_label


def info_row(ws, label: str) -> int:
    for row in range(L.INFO_FIRST_ROW, ws.max_row + 1):
        if str(ws.cell(row=row, column=1).value or "").rstrip(" *") == label:
            return row
    raise KeyError(label)


def code_row(ws, code: str) -> int:
    for row in range(L.FIRST_ROW, ws.max_row + 1):
        if str(ws.cell(row=row, column=1).value or "") == code:
            return row
    raise KeyError(code)


def fill(template: Path, out: Path, org: Organization, a: Assessment, score_text=None) -> Path:
    """Type ``org``/``a`` into ``template`` and save as ``out``; ``score_text(value)`` may turn a
    number into what an officer would type (e.g. Thai digits)."""
    catalog = load_catalog(a.fiscal_year)
    wb = load_workbook(template)
    ws = wb[L.INFO_SHEET]
    for field, label, _required in L.INFO_FIELDS[2:]:
        ws.cell(row=info_row(ws, label), column=2).value = getattr(org, field) or None
    typed = score_text or (lambda v: v)
    for tool in catalog.tools:
        ws = wb[L.tool_sheet_name(tool)]
        for number in tool.indicators:
            ws.cell(row=code_row(ws, L.indicator_code(number)), column=3).value = typed(a.indicators[number])
        for ind in (catalog.indicator(n) for n in tool.indicators):
            for item in ind.items:
                value = a.items.get(item.code)
                if value is None:
                    continue
                row = code_row(ws, item.code)
                if isinstance(value, dict):
                    for part, score in value.items():
                        ws.cell(row=row, column=3 + L.part_numbers(tool).index(part) + 1).value = typed(score)
                else:
                    ws.cell(row=row, column=3).value = typed(value)
    ws = wb[L.RECOMMENDATIONS_SHEET]
    for row in range(L.FIRST_ROW, ws.max_row + 1):
        ws.cell(row=row, column=3).value = a.recommendations.get(ws.cell(row=row, column=1).value)
    ws = wb[L.ANALYSIS_SHEET]
    for row in range(L.FIRST_ROW, ws.max_row + 1):
        ws.cell(row=row, column=L.ANALYSIS_TEXT_COLUMN).value = a.analysis.get(ws.cell(row=row, column=1).value)
    ws = wb[L.PLAN_SHEET]
    for index, x in enumerate(a.actions):
        row = L.FIRST_ROW + index
        be = (lambda d: f"{d.day}/{d.month}/{to_be(d.year)}" if d else None)
        for col, value in enumerate((x.indicator, x.measure, x.owner, x.steps, be(x.start), be(x.end),
                                     status_label(x.status), x.progress_note), start=1):
            ws.cell(row=row, column=col).value = value or None
    wb.save(out)
    return out
