"""The overview table written out for a district's or province's own summaries: Excel and CSV.

One header row in Thai, one row per organization as the officer filtered and sorted it; scores
as numbers with two decimals (Excel can sort and sum them), the level as the NACC's word. The
CSV is UTF-8 with a BOM and CRLF rows so that Excel on a Thai Windows opens it as Thai.
"""

from __future__ import annotations

import os
from pathlib import Path

from itadesk.ita.overview import COLUMNS, SCORE_KEYS, OverviewRow, cell

SHEET_TITLE = "ภาพรวม"


def table_values(rows: list[OverviewRow]) -> list[list]:
    """The header row, then one list of values per organization (None where unknown)."""
    return [[heading for _, heading in COLUMNS]] + [[cell(r, key) for key, _ in COLUMNS] for r in rows]


def csv_bytes(rows: list[OverviewRow]) -> bytes:
    from itadesk.interchange.open_data import excel_csv  # noqa: PLC0415

    return excel_csv(table_values(rows))


def write_csv(rows: list[OverviewRow], path: str | os.PathLike) -> Path:
    from itadesk.interchange.xlsx_write import save_atomically  # noqa: PLC0415

    data = csv_bytes(rows)
    return save_atomically(lambda stream: stream.write(data), path)


def write_xlsx(rows: list[OverviewRow], path: str | os.PathLike, title: str = "") -> Path:
    """A workbook of one sheet: a title line, the headers (frozen, with filters), the rows."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    from itadesk.interchange.xlsx_write import FONT_NAME, HEADER_FILL, save_atomically  # noqa: PLC0415

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append([title or SHEET_TITLE])
    ws["A1"].font = Font(name=FONT_NAME, size=14, bold=True)
    values = table_values(rows)
    ws.append(values[0])
    for c in ws[2]:
        c.font = Font(name=FONT_NAME, bold=True)
        c.fill = HEADER_FILL
    for line in values[1:]:
        ws.append(line)
    score_columns = [i for i, (key, _) in enumerate(COLUMNS, start=1) if key in SCORE_KEYS]
    for col in score_columns:
        for (c,) in ws.iter_rows(min_row=3, min_col=col, max_col=col):
            c.number_format = "0.00"
    widths = {"name": 42, "kind": 14, "district": 14, "province": 14, "level": 14}
    for i, (key, heading) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(key, max(10, len(heading) * 0.9))
    ws.freeze_panes = "B3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{len(values) + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "2:2"
    return save_atomically(wb.save, path)
