"""ไฟล์ → พิมพ์… (Ctrl+P): the report printed exactly as the PDF lays it out.

How: the report is built as a PDF (the same :func:`itadesk.report.pdf.build_pdf` as the export)
into a temporary file in a worker thread (:func:`itadesk.ui.busy.run_busy`), the system's print
dialog chooses the printer, the page range and the copies, and each chosen page is rendered by
PDFium (pypdfium2) at the printer's resolution (at most 300 dpi) and painted onto the QPrinter.
Why this way: Qt's own PDF renderer (QtPdf) is only in PySide6-Addons, a much larger download;
the Windows shell's print verb hands the file to whatever PDF reader is installed (none on many
office PCs) and cannot take a page range or a copy count from our dialog. PDFium is the engine
of Chrome's PDF viewer and ships inside the pypdfium2 wheel for Windows, macOS and Linux.
Landscape pages (part 2) are printed landscape.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from itadesk.db.errors import DocumentError
from itadesk.report.content import ReportError
from itadesk.ui import dialogs
from itadesk.ui.busy import read_report_data, run_busy

TITLE = "พิมพ์รายงาน"
MAX_DPI = 300


def page_image(page, dpi: float) -> QImage:
    """One PDF page as an RGB image at ``dpi``."""
    bitmap = page.render(scale=dpi / 72)
    pil = bitmap.to_pil().convert("RGB")
    data = pil.tobytes("raw", "RGB")
    image = QImage(data, pil.width, pil.height, 3 * pil.width, QImage.Format_RGB888)
    return image.copy()  # own the pixels: ``data`` is freed when this function returns


def chosen_pages(printer: QPrinter, count: int) -> list[int]:
    """0-based indexes of the pages the print dialog chose (all, or a from–to range)."""
    if printer.printRange() == QPrinter.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or count, count)
        return list(range(first - 1, last))
    return list(range(count))


def print_pdf(pdf_path: Path, printer: QPrinter) -> int:
    """Paint the chosen pages of ``pdf_path`` onto ``printer``; the number of sheets printed.

    Copies are left to the printer when it can make them itself; otherwise the pages are sent
    that many times, collated or not as the dialog said.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        pages = chosen_pages(printer, len(document))
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if printer.collateCopies() or copies == 1:
            order = pages * copies
        else:
            order = [i for i in pages for _ in range(copies)]
        printer.setFullPage(True)  # the PDF page carries its own margins
        dpi = min(printer.resolution(), MAX_DPI)
        painter = QPainter()
        printed = 0
        for index in order:
            page = document[index]
            width, height = page.get_size()
            printer.setPageOrientation(QPageLayout.Landscape if width > height else QPageLayout.Portrait)
            if printed == 0:
                if not painter.begin(printer):
                    raise OSError("เริ่มพิมพ์ไม่ได้: ตรวจสอบว่าเครื่องพิมพ์พร้อมใช้งาน")
            elif not printer.newPage():
                raise OSError("ขึ้นหน้าใหม่บนเครื่องพิมพ์ไม่ได้")
            paper = printer.paperRect(QPrinter.DevicePixel)
            painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), page_image(page, dpi))
            page.close()
            printed += 1
        if printed:
            painter.end()
        return printed
    finally:
        document.close()


def print_report(parent: QWidget | None, context, printer: QPrinter | None = None, ask: bool = True) -> int:
    """The whole ไฟล์ → พิมพ์… action; the number of pages sent to the printer (0 = nothing)."""
    from itadesk.report.pdf import PdfError, build_pdf, default_file_name

    if context.document is None or context.org_uuid is None or context.year is None:
        dialogs.show_info(parent, TITLE, "กรุณาเปิดไฟล์และเลือกหน่วยงานและปีงบประมาณก่อนพิมพ์")
        return 0
    try:
        data = read_report_data(parent, context)
    except (ReportError, DocumentError) as exc:
        dialogs.show_info(parent, TITLE, str(exc))
        return 0
    if data is None:  # the file was refused and closed; the officer has been told
        return 0
    printer = printer or QPrinter(QPrinter.HighResolution)
    with tempfile.TemporaryDirectory(prefix="itadesk-print-") as folder:
        try:  # data, charts and layout in a worker, as the PDF export's
            result = run_busy(parent, "กำลังเตรียมรายงานเพื่อพิมพ์…",
                              lambda: build_pdf(data, Path(folder) / default_file_name(data)))
        except PdfError as exc:
            dialogs.show_info(parent, TITLE, "เตรียมรายงานเพื่อพิมพ์ไม่สำเร็จ", str(exc))
            return 0
        printer.setDocName(Path(default_file_name(data)).stem)
        if ask:
            printer.setFromTo(1, result.pages)
            dialog = QPrintDialog(printer, parent)
            dialog.setWindowTitle(f"{TITLE} ({result.pages} หน้า)")
            dialog.setMinMax(1, result.pages)
            dialog.setOptions(QAbstractPrintDialog.PrintPageRange | QAbstractPrintDialog.PrintCollateCopies
                              | QAbstractPrintDialog.PrintShowPageSize)
            if dialog.exec() != QDialog.Accepted:
                return 0
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return print_pdf(result.path, printer)
        except OSError as exc:
            QApplication.restoreOverrideCursor()
            dialogs.show_info(parent, TITLE, "พิมพ์ไม่สำเร็จ", str(exc))
            return 0
        finally:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()
