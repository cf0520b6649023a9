"""แผนปฏิบัติการ → พิมพ์รายงานผลการดำเนินการ…: the follow-up report from the window.

The same report as ``itadesk progress``: the plan rows are read from the document on the GUI
thread (the store's connection belongs to it); only the ReportLab layout runs in a worker
(:func:`itadesk.ui.busy.run_busy`), so the window keeps painting. Where to save, the font and
Thai digits are chosen in the PDF export's own dialog, remembered alike.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from itadesk.db.errors import DocumentError
from itadesk.report.fonts import available_report_fonts, register_report_font
from itadesk.report.pdf import BuildResult, PdfError
from itadesk.report.progress_pdf import build_progress_pdf
from itadesk.texts import FOLLOW_UP
from itadesk.ui import settings as prefs
from itadesk.ui.busy import run_busy
from itadesk.ui.pdf_export import PdfExportDialog, default_folder, show_done

TITLE = "พิมพ์รายงานผลการดำเนินการตามแผน"
NOTHING = "ยังไม่มีผลการประเมินหรือแผนปฏิบัติการของปีนี้ จึงยังไม่มีรายงานผลการดำเนินการ"


def default_name(org_name: str, assessed: int) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", org_name) or "report"
    return f"ผลการดำเนินการตามแผน-{assessed + 1}-{name}.pdf"


def _tell(parent, icon, text: str) -> None:
    box = QMessageBox(icon, TITLE, text, QMessageBox.NoButton, parent)
    box.addButton("ตกลง", QMessageBox.AcceptRole)
    box.exec()


def export_progress(parent: QWidget | None, context) -> Path | None:
    """The whole action; the path written, or None when nothing was written. A file still being
    checked is checked first (:func:`itadesk.ui.file_check.finish_check`): its plan leaves the
    program, so a file the check refuses prints nothing."""
    from itadesk.ui.file_check import finish_check  # noqa: PLC0415

    try:
        if not finish_check(parent, context):
            return None
        org = context.document.organization(context.org_uuid) if context.ready else None
        assessment = context.current_assessment()
        catalog = context.catalog()
    except DocumentError as exc:
        _tell(parent, QMessageBox.Warning, str(exc))
        return None
    if org is None or assessment is None or catalog is None:
        _tell(parent, QMessageBox.Information, NOTHING)
        return None
    fonts = available_report_fonts()
    dialog = PdfExportDialog(parent, default_folder(context) / default_name(org.name, assessment.fiscal_year),
                             fonts, prefs.PDF_FONT.get() or fonts[0].name, prefs.PDF_THAI_DIGITS.get(), [],
                             getattr(context.document, "target", None))
    dialog.setWindowTitle(TITLE)
    if dialog.exec() != QDialog.Accepted:
        return None
    path, font, thai = dialog.path(), dialog.font(), dialog.thai_digits()
    prefs.PDF_FOLDER.set(str(path.parent))
    register_report_font(font)  # on this thread, before the worker uses it
    year = assessment.fiscal_year + 1
    try:
        pages = run_busy(parent, FOLLOW_UP["title"].format(year=year),
                         lambda: build_progress_pdf(org, assessment, catalog, path, thai_digits=thai, font=font))
    except PdfError as exc:
        _tell(parent, QMessageBox.Warning, str(exc))
        return None
    show_done(parent, BuildResult(path, pages, 0))
    return path
