"""The File menu's office formats: the Excel template, importing filled workbooks, and exports
as Excel, CSV (open data) and Word.

Every action takes optional paths so tests (and drag-and-drop later) can skip the file dialogs;
the window only adds menu entries that call these functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QInputDialog, QLabel,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from itadesk.db.errors import DocumentError
from itadesk.ita.catalog import CatalogError
from itadesk.ui import dialogs
from itadesk.ui import settings as prefs
from itadesk.ui.busy import read_report_data, run_busy

if TYPE_CHECKING:  # openpyxl and ReportLab load with the first import or export, not with the window
    from itadesk.interchange.sources import ImportBatch

XLSX_FILTER = "แบบฟอร์ม Excel (*.xlsx)"
IMPORT_FILTER = "แบบฟอร์ม Excel หรือ JSON (*.xlsx *.json)"
TABLE_FILTER = "Excel (*.xlsx);;CSV ข้อมูลเปิด (*.csv)"
IMPORT_VALID_BUTTON = "นำเข้าเฉพาะแถวที่ถูกต้อง"
WRITING = "กำลังเขียนไฟล์…"


def _folder(context) -> Path:
    from itadesk.ui.pdf_export import default_folder

    return default_folder(context, prefs.OFFICE_FOLDER)


def _remember(path: Path) -> None:
    prefs.OFFICE_FOLDER.set(str(path.parent))


def _content(context):
    """What the document holds, read through its public methods."""
    return context.document


def _with_suffix(path: Path, suffixes: tuple[str, ...]) -> Path:
    return path if path.suffix.lower() in suffixes else path.with_name(path.name + suffixes[0])


# -- the template ----------------------------------------------------------------------------

def download_template(parent: QWidget | None, context, year: int | None = None,
                      path: Path | None = None) -> Path | None:
    """ไฟล์ → ดาวน์โหลดแบบฟอร์ม Excel…: a blank template of a chosen year's catalog."""
    from itadesk.interchange.xlsx_write import XlsxWriteError, write_template
    from itadesk.ui.main_window import offered_years

    if year is None:
        years = [str(y) for y in reversed(offered_years())]
        current = str(context.year) if context.year is not None else years[0]
        chosen, ok = QInputDialog.getItem(parent, "ดาวน์โหลดแบบฟอร์ม Excel", "ปีงบประมาณ (พ.ศ.) ของแบบฟอร์ม",
                                          years, max(years.index(current), 0) if current in years else 0, False)
        if not ok:
            return None
        year = int(chosen)
    if path is None:
        suggested = _folder(context) / f"แบบฟอร์มผลการประเมิน ITA {year}.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(parent, "บันทึกแบบฟอร์ม Excel", str(suggested), XLSX_FILTER)
        if not chosen:
            return None
        path = _with_suffix(Path(chosen), (".xlsx",))
    try:
        catalog = context.catalogs().for_year(year)  # the document's catalog of the year
        written = run_busy(parent, WRITING, lambda: write_template(catalog, path))
    except (XlsxWriteError, CatalogError) as exc:
        dialogs.show_info(parent, "ดาวน์โหลดแบบฟอร์ม Excel", "สร้างแบบฟอร์มไม่สำเร็จ", str(exc))
        return None
    _remember(written)
    dialogs.show_info(parent, "ดาวน์โหลดแบบฟอร์ม Excel", f"สร้างแบบฟอร์มปี {year} แล้ว",
                      f"{written}\nกรอกคะแนนในช่องสีเหลือง (ไฟล์ละหนึ่งหน่วยงาน) แล้วนำเข้าด้วย "
                      "ไฟล์ → นำเข้าแบบฟอร์ม Excel…")
    return written


# -- import ----------------------------------------------------------------------------------

class ImportProblemsDialog(QDialog):
    """Every problem of the chosen files, and the officer's choice: import the valid rows, or not."""

    def __init__(self, parent: QWidget | None, batch: ImportBatch):
        super().__init__(parent)
        self.setWindowTitle("นำเข้าแบบฟอร์ม Excel")
        self.setMinimumSize(760, 420)
        layout = QVBoxLayout(self)
        head = QLabel(f"พบปัญหา {len(batch.problems)} รายการ ยังไม่ได้นำเข้าข้อมูลใด ๆ\n"
                      "แก้ไขในไฟล์ Excel ตามตำแหน่งที่บอกแล้วนำเข้าใหม่ หรือนำเข้าเฉพาะแถวที่ถูกต้อง")
        head.setObjectName("importHeadline")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QPlainTextEdit("\n".join(str(p) for p in batch.problems))
        self.list.setObjectName("importProblems")
        self.list.setReadOnly(True)
        self.list.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        layout.addWidget(self.list, 1)
        if batch.unusable:
            skipped = QLabel("ไฟล์ที่นำเข้าไม่ได้เลย: " + ", ".join(batch.unusable))
            skipped.setWordWrap(True)
            layout.addWidget(skipped)
        buttons = QDialogButtonBox()
        self.valid_button = None
        if batch.entries:
            self.valid_button = buttons.addButton(f"{IMPORT_VALID_BUTTON} ({len(batch.entries)} หน่วยงาน/ปี)",
                                                  QDialogButtonBox.AcceptRole)
            self.valid_button.setObjectName("importValidRows")
        close = buttons.addButton("ไม่นำเข้า", QDialogButtonBox.RejectRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_import_valid_rows(parent: QWidget | None, batch: ImportBatch) -> bool:
    return ImportProblemsDialog(parent, batch).exec() == QDialog.Accepted


def import_files(parent: QWidget | None, context, paths=None, ask=ask_import_valid_rows) -> int:
    """ไฟล์ → นำเข้าแบบฟอร์ม Excel…: one or more filled workbooks (or JSON), one per organization.

    Nothing is written while any file has a problem, unless the officer chooses to import the
    valid rows; the number of assessments imported is returned.
    """
    document = context.document
    if document is None or document.readonly:
        dialogs.show_info(parent, "นำเข้าแบบฟอร์ม Excel", "กรุณาเปิดไฟล์ข้อมูลที่แก้ไขได้ก่อนนำเข้า")
        return 0
    if paths is None:
        chosen, _ = QFileDialog.getOpenFileNames(parent, "เลือกแบบฟอร์ม Excel ที่กรอกแล้ว (เลือกได้หลายไฟล์)",
                                                 str(_folder(context)), IMPORT_FILTER)
        if not chosen:
            return 0
        paths = [Path(p) for p in chosen]
        _remember(paths[0])
    from itadesk.interchange.sources import read_sources  # noqa: PLC0415 - openpyxl with the first import

    catalogs = context.catalogs()
    batch = run_busy(parent, "กำลังอ่านแบบฟอร์ม…", lambda: read_sources(paths, catalogs))
    if batch.problems and not ask(parent, batch):  # with nothing valid, the dialog only lists
        return 0
    if not batch.entries:
        return 0
    try:
        run_busy(parent, "กำลังนำเข้าข้อมูล…", lambda: document.import_entries(batch.entries))
    except DocumentError as exc:
        dialogs.show_error(parent, exc, "นำเข้าไม่สำเร็จ")
        return 0
    context.changed_outside_undo()
    names = sorted({f"{org.name} ปี {a.fiscal_year}" for org, a in batch.entries})
    skipped = f"\nข้ามข้อมูลที่มีปัญหา {len(batch.problems)} รายการ" if batch.problems else ""
    dialogs.show_info(parent, "นำเข้าแบบฟอร์ม Excel", f"นำเข้า {len(batch.entries)} รายการแล้ว",
                      "\n".join(names) + skipped + "\nกด บันทึก (Ctrl+S) เพื่อเก็บลงไฟล์")
    return len(batch.entries)


# -- exports of the chosen organization and year ------------------------------------------------

def _report_data(parent, context, title: str):
    from itadesk.report.content import ReportError

    if context.document is None or context.org_uuid is None or context.year is None:
        dialogs.show_info(parent, title, "กรุณาเปิดไฟล์และเลือกหน่วยงานและปีงบประมาณก่อน")
        return None
    try:
        return read_report_data(parent, context)
    except (ReportError, DocumentError) as exc:
        dialogs.show_info(parent, title, str(exc))
        return None


def _ask_output(parent, context, title: str, name: str, filters: str, suffixes: tuple[str, ...]) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(_folder(context) / name), filters)
    if not chosen:
        return None
    return _with_suffix(Path(chosen), suffixes)


def _forbidden(context, path: Path) -> bool:
    target = getattr(context.document, "target", None)
    return target is not None and Path(target).resolve() == path.resolve()


def export_table(parent: QWidget | None, context, path: Path | None = None) -> Path | None:
    """ไฟล์ → ส่งออกเป็น Excel หรือ CSV…: summary, analysis and plan (the .xlsx imports back)."""
    from itadesk.interchange.open_data import write_csv
    from itadesk.interchange.xlsx_write import XlsxWriteError, write_export

    title = "ส่งออกเป็น Excel หรือ CSV"
    data = _report_data(parent, context, title)
    if data is None:
        return None
    if path is None:
        name = f"ผลการประเมิน ITA {data.organization.name} {data.current.fiscal_year}.xlsx"
        path = _ask_output(parent, context, title, name, TABLE_FILTER, (".xlsx", ".csv"))
        if path is None:
            return None
    if _forbidden(context, path):
        dialogs.show_info(parent, title, "ชื่อไฟล์ซ้ำกับไฟล์ข้อมูลที่เปิดอยู่ กรุณาตั้งชื่อใหม่")
        return None
    write = write_csv if path.suffix.lower() == ".csv" else write_export
    try:
        written = run_busy(parent, WRITING, lambda: write(data, path))
    except XlsxWriteError as exc:
        dialogs.show_info(parent, title, "ส่งออกไม่สำเร็จ", str(exc))
        return None
    _remember(written)
    dialogs.show_info(parent, title, "ส่งออกแล้ว", str(written))
    return written


def export_word(parent: QWidget | None, context, path: Path | None = None) -> Path | None:
    """ไฟล์ → ส่งออกเป็น Word…: the whole report as .docx, from the same report model as the PDF."""
    from itadesk.report.docx_report import DocxError, build_docx
    from itadesk.report.pdf import default_file_name, render_charts

    title = "ส่งออกเป็น Word"
    data = _report_data(parent, context, title)
    if data is None:
        return None
    if path is None:
        name = Path(default_file_name(data)).with_suffix(".docx").name
        path = _ask_output(parent, context, title, name, "เอกสาร Word (*.docx)", (".docx",))
        if path is None:
            return None
    if _forbidden(context, path):
        dialogs.show_info(parent, title, "ชื่อไฟล์ซ้ำกับไฟล์ข้อมูลที่เปิดอยู่ กรุณาตั้งชื่อใหม่")
        return None
    try:  # charts and document in a worker, as the PDF's (plain Agg figures, never shown in a widget)
        result = run_busy(parent, "กำลังสร้างไฟล์ Word…",
                          lambda: build_docx(data, path, charts=render_charts(data, raster=True)))
    except DocxError as exc:
        dialogs.show_info(parent, title, "สร้างไฟล์ Word ไม่สำเร็จ", str(exc))
        return None
    _remember(result.path)
    dialogs.show_info(parent, title, "สร้างรายงานเป็นไฟล์ Word แล้ว",
                      f"{result.path}\nแก้ไขถ้อยคำ หัวกระดาษ หรือรูปแบบ (Heading, Normal, Table Text) ได้ใน Word")
    return result.path


def install(window) -> dict:
    """Add the office entries to the window's File menu (after ส่งออกรายงาน PDF…); they are
    enabled while a document is open (the template needs none). Returns them by name."""
    ctx = window.context

    def print_report():
        from itadesk.ui.print_report import print_report  # noqa: PLC0415 - Qt's printing loads with the first print

        return print_report(window, ctx)

    actions = {
        "print": window._action("พิมพ์…", print_report, "Ctrl+P",
                                "พิมพ์รายงานตามรูปแบบเดียวกับไฟล์ PDF เลือกเครื่องพิมพ์ ช่วงหน้า และจำนวนชุดได้"),
        "word": window._action("ส่งออกเป็น Word…", lambda: export_word(window, ctx), None,
                               "รายงานทั้งฉบับเป็นไฟล์ Word (.docx) เพื่อแก้ถ้อยคำหรือใส่หัวกระดาษ"),
        "table": window._action("ส่งออกเป็น Excel หรือ CSV…", lambda: export_table(window, ctx), None,
                                "ผลคะแนน การวิเคราะห์ และแผนปฏิบัติการ เป็นตาราง Excel หรือ CSV (ข้อมูลเปิด)"),
        "template": window._action("ดาวน์โหลดแบบฟอร์ม Excel…", lambda: download_template(window, ctx), None,
                                   "แบบฟอร์มกรอกคะแนนของปีที่เลือก สำหรับส่งให้หน่วยงานกรอก"),
        "import": window._action("นำเข้าแบบฟอร์ม Excel…", lambda: import_files(window, ctx), None,
                                 "นำผลคะแนนจากแบบฟอร์ม Excel ที่กรอกแล้วเข้าไฟล์นี้ (หลายไฟล์ได้)"),
    }
    menu = window.file_menu
    menu_actions = menu.actions()
    after_export = menu_actions[menu_actions.index(window.export_action) + 1]
    menu.insertAction(after_export, actions["print"])
    menu.insertAction(after_export, actions["word"])
    menu.insertAction(after_export, actions["table"])
    before_merge = window.merge_action
    menu.insertAction(before_merge, actions["template"])
    menu.insertAction(before_merge, actions["import"])
    menu.insertSeparator(before_merge)

    def update() -> None:
        has_doc = ctx.document is not None
        actions["table"].setEnabled(has_doc)
        actions["word"].setEnabled(has_doc)
        actions["print"].setEnabled(has_doc)
        actions["import"].setEnabled(has_doc and not ctx.readonly)

    ctx.documentChanged.connect(update)
    update()
    return actions
