"""The overview table written out from the window: Excel, CSV or PDF of the rows as filtered.

Paths may be handed in (tests skip the file dialog); the writing runs off the GUI thread
(:func:`itadesk.ui.busy.run_busy`), since a province's PDF lays out thousands of rows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from itadesk.db.errors import DocumentError
from itadesk.interchange.xlsx_write import XlsxWriteError
from itadesk.report.pdf import PdfError
from itadesk.ui import dialogs
from itadesk.ui import settings as prefs
from itadesk.ui import thai_format as tf
from itadesk.ui.busy import run_busy
from itadesk.ui.pdf_export import default_folder

TITLE = "ส่งออกตารางภาพรวม"
FILTERS = {"xlsx": "Excel (*.xlsx)", "csv": "CSV สำหรับ Excel (*.csv)", "pdf": "PDF (*.pdf)"}


def place_text(tab) -> str:
    """What the exported rows are, in words ("จังหวัดขอนแก่น อำเภอที่1 อบต. ระดับผ่าน ชื่อมี "ทดสอบ"")."""
    proxy = tab.proxy
    parts = []
    if proxy.province:
        parts.append(f"จังหวัด{proxy.province}")
    if proxy.district:
        parts.append(f"อำเภอ{proxy.district}")
    if proxy.kind:
        parts.append(proxy.kind)
    if proxy.level:
        parts.append(f"ระดับ{proxy.level}")
    if proxy.text:
        parts.append(f"ชื่อมี \"{proxy.text}\"")
    return " ".join(parts)


def export_overview(tab, kind: str, path: Path | None = None) -> Path | None:
    """Write the rows the overview shows (filtered, in its order) as ``kind`` (xlsx, csv, pdf).
    Rows of a file still being checked are written once the check is over, read again if
    its kept results were wrong (:func:`itadesk.ui.file_check.finish_check`)."""
    from itadesk.ui.file_check import finish_check  # noqa: PLC0415

    try:
        if not finish_check(tab, tab.context):
            return None
    except DocumentError as exc:  # the check's outcome could not be applied yet (a full disk)
        dialogs.show_error(tab, exc, TITLE)
        return None
    tab.catch_up()
    year = tab.year
    rows = tab.shown_rows()
    if year is None or tab.context.document is None:
        return None
    place = place_text(tab)
    if path is None:
        suggested = default_folder(tab.context, prefs.OFFICE_FOLDER) / f"ภาพรวม ITA {year}{(' ' + place) if place else ''}.{kind}"
        chosen, _ = QFileDialog.getSaveFileName(tab, TITLE, str(suggested), FILTERS[kind])
        if not chosen:
            return None
        path = Path(chosen)
    if path.suffix.lower() != f".{kind}":
        path = path.with_name(path.name + f".{kind}")
    target = getattr(tab.context.document, "target", None)
    if target is not None and path.resolve() == Path(target).resolve():
        dialogs.show_info(tab, TITLE, "ชื่อไฟล์ซ้ำกับไฟล์ข้อมูลที่เปิดอยู่ กรุณาตั้งชื่อใหม่")
        return None
    heading = f"ผลการประเมิน ITA ปี พ.ศ. {year}" + (f" {place}" if place else "")
    try:
        if kind == "pdf":
            from itadesk.report.overview_pdf import build_overview_pdf, chart_png  # noqa: PLC0415

            digits = tf.options().thai_digits
            png = chart_png(rows, year, thai_digits=digits) if rows else False
            run_busy(tab, "กำลังจัดทำ PDF ภาพรวม…", lambda: build_overview_pdf(
                rows, year, path, place=place, thai_digits=digits, chart=png))
        elif kind == "csv":
            from itadesk.interchange.overview_table import write_csv  # noqa: PLC0415

            run_busy(tab, "กำลังส่งออก…", lambda: write_csv(rows, path))
        else:
            from itadesk.interchange.overview_table import write_xlsx  # noqa: PLC0415

            run_busy(tab, "กำลังส่งออก…", lambda: write_xlsx(rows, path, heading))
    except (PdfError, XlsxWriteError) as exc:  # Thai messages naming the file
        dialogs.show_info(tab, TITLE, "ส่งออกไม่สำเร็จ", str(exc))
        return None
    prefs.OFFICE_FOLDER.set(str(path.parent))
    dialogs.show_info(tab, TITLE, f"ส่งออก {tf.count(len(rows))} หน่วยงานแล้ว", str(path))
    return path
