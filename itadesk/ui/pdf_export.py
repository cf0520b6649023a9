"""ไฟล์ → ส่งออก PDF…: choose where and how, watch it being made, open it.

The window calls :func:`export_pdf` with its :class:`~itadesk.ui.context.DocumentContext`.
Nothing slow runs on the GUI thread: the report's content is read and computed in a worker
(:func:`itadesk.ui.busy.run_busy`, the window closed to input meanwhile), and the charts
(Matplotlib's Agg on figures of their own, never shown in a widget; its font cache is kept
per thread) and the ReportLab layout are made in a worker ``QThread``. The progress dialog
can cancel it, and a cancelled or failed build leaves no file behind (``build_pdf`` writes a
temp file and renames it).

The charts of a first export cost more than the layout (loading Matplotlib, drawing four
charts) and the window cannot have another process draw them (``itadesk report`` forks; a
process running Qt's threads cannot, Windows has no fork), so they are drawn ahead in a
background thread (:class:`~itadesk.report.chart_jobs.ChartsAhead`) from the moment the
report's data is read, with the options the dialog proposes, while the officer answers the
dialogs; the build waits for that thread, then finds them in the chart cache.
"""

from __future__ import annotations

import contextlib
import gc
import time
import traceback
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEventLoop, QStandardPaths, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressDialog,
                               QPushButton, QVBoxLayout, QWidget)

from itadesk.db.errors import DocumentError
from itadesk.ita.drafting import stale_drafts
from itadesk.report.chart_jobs import ChartsAhead
from itadesk.report.content import ReportError, ReportOptions
from itadesk.report.fonts import ReportFont, available_report_fonts  # build_pdf registers the font, in the worker
from itadesk.report.model import Gaps, build_report
from itadesk.report.model import gaps as report_gaps
from itadesk.report.pdf import BuildCancelled, BuildResult, PdfError, build_pdf, default_file_name
from itadesk.ui import settings as prefs
from itadesk.ui.busy import gui_first, read_report_data

TITLE = "ส่งออกรายงาน PDF"
AHEAD_PATIENCE_S = 60.0  # a first export's charts take ~1 s; ten times that on a slow, busy PC
PDF_FILTER = "ไฟล์ PDF (*.pdf)"
OPEN_BUTTON = "เปิดไฟล์ PDF"
CLOSE_BUTTON = "ปิด"


def _message(parent, icon, text: str, informative: str = "") -> QMessageBox:
    box = QMessageBox(icon, TITLE, text, QMessageBox.NoButton, parent)
    box.setTextFormat(Qt.PlainText)
    if informative:
        box.setInformativeText(informative)
    box.setWindowModality(Qt.WindowModal if parent is not None else Qt.ApplicationModal)
    return box


def _show(parent, icon, text: str, informative: str = "") -> None:
    box = _message(parent, icon, text, informative)
    box.addButton("ตกลง", QMessageBox.AcceptRole)
    box.exec()


class PdfExportDialog(QDialog):
    """Where to save, which font, Thai digits or not; and a word about inconsistent data."""

    def __init__(self, parent: QWidget | None, path: Path, fonts: list[ReportFont], font: str,
                 thai_digits: bool, warnings: list[str], forbidden: Path | None = None,
                 notes: list[str] | tuple[str, ...] = ()):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        self._forbidden = forbidden
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.path_edit = QLineEdit(str(path))
        self.path_edit.setObjectName("pdfPath")
        self.browse_button = QPushButton("เลือก…")
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow("บันทึกเป็น", row)
        self.font_combo = QComboBox()
        self.font_combo.setObjectName("pdfFont")
        for f in fonts:
            label = f.display_name + (" (มากับโปรแกรม)" if f.bundled else " (ติดตั้งในเครื่อง)")
            self.font_combo.addItem(label, f.name)
        index = self.font_combo.findData(font)
        self.font_combo.setCurrentIndex(max(index, 0))
        form.addRow("แบบอักษร", self.font_combo)
        self.thai_digits_check = QCheckBox("ใช้เลขไทย (๐ ๑ ๒ … ๙) ในคะแนน วันที่ และเลขหน้า")
        self.thai_digits_check.setObjectName("pdfThaiDigits")
        self.thai_digits_check.setChecked(thai_digits)
        form.addRow("ตัวเลข", self.thai_digits_check)
        layout.addLayout(form)
        if len(fonts) == 1:
            hint = QLabel("ถ้าติดตั้งแบบอักษร TH Sarabun New หรือ TH SarabunIT๙ ไว้ในเครื่อง จะเลือกใช้ได้ที่นี่")
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        if warnings:
            shown = "\n".join("• " + w for w in warnings[:4])
            more = f"\n… และอีก {len(warnings) - 4} รายการ" if len(warnings) > 4 else ""
            note = QLabel(f"พบข้อมูลที่ไม่สอดคล้องกัน {len(warnings)} รายการ รายงานจะพิมพ์รายการเหล่านี้"
                          f"เป็นหมายเหตุ ถ้าข้อมูลผิด ควรแก้ไขก่อนสร้างรายงาน\n{shown}{more}")
            note.setObjectName("pdfWarnings")
            note.setStyleSheet("QLabel { background: #fff7e6; border: 1px solid #d9b26a; "
                               "border-radius: 3px; padding: 6px; color: #4a3500; }")
            note.setWordWrap(True)
            note.setTextFormat(Qt.PlainText)
            layout.addWidget(note)
        if notes:  # parts the report leaves out, so nobody looks for them in the PDF
            omitted = QLabel("\n".join("• " + note for note in notes))
            omitted.setObjectName("pdfNotes")
            omitted.setWordWrap(True)
            omitted.setTextFormat(Qt.PlainText)
            layout.addWidget(omitted)
        self.error_label = QLabel("")
        self.error_label.setObjectName("message")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("สร้าง PDF", QDialogButtonBox.AcceptRole)
        buttons.addButton("ยกเลิก", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "บันทึกรายงาน PDF", self.path_edit.text(), PDF_FILTER)
        if chosen:
            self.path_edit.setText(chosen)

    def path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text)
        if text and path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path

    def font(self) -> str:
        return self.font_combo.currentData()

    def thai_digits(self) -> bool:
        return self.thai_digits_check.isChecked()

    def problem(self) -> str | None:
        """Why the chosen file cannot be written, in Thai; None when it can."""
        if not self.path_edit.text().strip():
            return "กรุณาระบุชื่อไฟล์ PDF"
        path = self.path()
        if not path.parent.is_dir():
            return f"ไม่พบโฟลเดอร์ {path.parent} กรุณาเลือกที่บันทึกใหม่"
        if self._forbidden is not None and path.resolve() == self._forbidden.resolve():
            return "ชื่อไฟล์ PDF ซ้ำกับไฟล์ข้อมูลที่เปิดอยู่ กรุณาตั้งชื่อใหม่"
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off meanwhile: a report's build makes many objects and next to
    no cycles, and the collections cost 8–15 % of the window's build (as ``itadesk report``
    found for its own, which pauses it too); back on after, whatever happened."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class PdfBuildThread(QThread):
    """Runs ``build_pdf`` (charts, then layout) off the GUI thread; reports progress as a
    percent and a message.

    Two one-argument signals so they connect straight to the progress dialog's own slots
    (queued into the GUI thread by Qt), not to Python callables.
    """

    percent = Signal(int)
    message = Signal(str)

    def __init__(self, data, path: Path, charts=None, parent=None, ahead: ChartsAhead | None = None):
        super().__init__(parent)
        self.data, self.path, self.charts = data, path, charts  # charts None: drawn here
        self.ahead = ahead  # charts being drawn ahead: waited for before the build
        self.result: BuildResult | None = None
        self.error: str | None = None
        self.details: str = ""
        self.cancelled = False
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _progress(self, fraction: float, message: str) -> None:
        if self._cancel:
            raise BuildCancelled()
        self.percent.emit(int(fraction * 100))
        self.message.emit(message)

    def _wait_for_charts_ahead(self) -> None:
        """Until the charts drawn ahead are done; a thread stuck for longer than a first export
        ever takes is left behind, and the build draws what is missing itself."""
        if self.ahead is None:
            return
        self._progress(0.02, "กำลังวาดแผนภูมิ")
        deadline = time.monotonic() + AHEAD_PATIENCE_S
        while not self.ahead.wait(0.05) and time.monotonic() < deadline:
            if self._cancel:
                self.ahead.stop()
                raise BuildCancelled()

    def run(self) -> None:
        try:
            with collector_paused():
                self._wait_for_charts_ahead()
                self.result = build_pdf(self.data, self.path, charts=self.charts, progress=self._progress)
        except BuildCancelled:
            self.cancelled = True
        except PdfError as exc:
            self.error = str(exc)
        except Exception as exc:  # a bug: say so, with the details for whoever looks after the PC
            self.error = "สร้างรายงาน PDF ไม่สำเร็จเพราะข้อผิดพลาดในโปรแกรม ข้อมูลในไฟล์ไม่ได้รับผลกระทบ"
            self.details = "".join(traceback.format_exception(exc))


def default_folder(context, setting=prefs.PDF_FOLDER) -> Path:
    """Where a save or open dialog starts: the folder last used for this kind of file, else the
    document's own folder (the stick), else the officer's Documents."""
    saved = setting.get()
    if saved and Path(saved).is_dir():
        return Path(saved)
    target = getattr(context.document, "target", None)
    if target is not None and Path(target).parent.is_dir():
        return Path(target).parent
    return Path(QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or Path.home())


def show_done(parent, result: BuildResult) -> bool:
    """"Done" with a button that opens the PDF in the PC's viewer; True if it was opened."""
    informative = str(result.path)
    if result.warnings:
        informative += f"\nรายงานมีหมายเหตุข้อมูลที่ไม่สอดคล้องกัน {result.warnings} รายการ"
    box = _message(parent, QMessageBox.Information, f"สร้างรายงาน PDF แล้ว ({result.pages} หน้า)", informative)
    open_button = box.addButton(OPEN_BUTTON, QMessageBox.AcceptRole)
    box.addButton(CLOSE_BUTTON, QMessageBox.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    if box.clickedButton() is not open_button:
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path))):
        _show(parent, QMessageBox.Warning, "เปิดไฟล์ PDF ไม่ได้ อาจยังไม่มีโปรแกรมอ่าน PDF ในเครื่อง",
              f"ไฟล์อยู่ที่ {result.path}")
        return False
    return True


STALE_QUESTION = "ข้อความวิเคราะห์บางตัวชี้วัดร่างจากคะแนนเดิม ซึ่งเปลี่ยนไปแล้ว จะพิมพ์รายงานทั้งอย่างนั้นหรือไม่"
STALE_PRINT, STALE_BACK = "พิมพ์ต่อ", "กลับไปแก้ไข"


def _stale_drafts_accepted(parent, data) -> bool:
    """A drafted text built from figures that changed since: ask before it is printed."""
    stale = stale_drafts(data.current, data.previous, data.catalog)
    if not stale:
        return True
    lines = [f"ตัวชี้วัดที่ {number}: {', '.join(changes)}" for number, changes in stale.items()]
    box = _message(parent, QMessageBox.Question, STALE_QUESTION,
                   "\n".join(lines) + "\n\nกด \"ร่างใหม่\" ในแท็บการวิเคราะห์ผลเพื่อร่างจากคะแนนปัจจุบัน")
    go = box.addButton(STALE_PRINT, QMessageBox.AcceptRole)
    back = box.addButton(STALE_BACK, QMessageBox.RejectRole)
    box.setDefaultButton(back)
    box.exec()
    return box.clickedButton() is go


NO_RECOMMENDATIONS_NOTE = ("ยังไม่ได้บันทึกข้อเสนอแนะจากผู้ตรวจประเมิน รายงานจึงไม่มีหัวข้อข้อเสนอแนะ "
                           "(บันทึกได้ที่แท็บการวิเคราะห์ผล → ข้อเสนอแนะจากผู้ประเมิน)")
MISSING_ANALYSIS_NOTE = "ตัวชี้วัดที่ {numbers} ยังไม่มีผลการวิเคราะห์ รายงานจะพิมพ์ว่ายังไม่ได้บันทึก"
GAPS_QUESTION = "รายงานยังขาดส่วนที่หน่วยงานต้องบันทึก จะสร้าง PDF ทั้งอย่างนั้นหรือไม่"
GAPS_GO, GAPS_BACK = "สร้างต่อ", "กลับไปบันทึก"


def gap_notes(gaps: Gaps) -> list[str]:
    """What the export dialog says the report leaves out or prints as not recorded."""
    notes = [NO_RECOMMENDATIONS_NOTE] if gaps.no_recommendations else []
    if gaps.missing_analysis and not gaps.no_analysis:  # all missing is asked about first
        notes.append(MISSING_ANALYSIS_NOTE.format(numbers=", ".join(map(str, gaps.missing_analysis))))
    return notes


def _gaps_accepted(parent, gaps: Gaps) -> bool:
    """No analysis text at all, or no plan rows: the council would read "not recorded yet"
    where the office's part should be; ask before making it."""
    lines = []
    if gaps.no_analysis:
        lines.append("• ยังไม่ได้บันทึกผลการวิเคราะห์ของตัวชี้วัดใดเลย (แท็บการวิเคราะห์ผล)")
    if gaps.no_plan:
        lines.append("• ยังไม่มีมาตรการในแผนการดำเนินงาน ส่วนที่ 2 จะว่าง (แท็บแผนปฏิบัติการ)")
    if not lines:
        return True
    box = _message(parent, QMessageBox.Question, GAPS_QUESTION, "\n".join(lines))
    go = box.addButton(GAPS_GO, QMessageBox.AcceptRole)
    back = box.addButton(GAPS_BACK, QMessageBox.RejectRole)
    box.setDefaultButton(back)
    box.exec()
    return box.clickedButton() is go


def _ask(parent, context, data, fonts: list[ReportFont], font: str, thai: bool) -> Path | None:
    """The questions before a build (stale drafts, gaps, the export dialog); the path chosen
    (``data.options`` set to the choices, which are remembered), or None if the officer went back."""
    if not _stale_drafts_accepted(parent, data):
        return None
    gaps = report_gaps(build_report(data))
    if not _gaps_accepted(parent, gaps):
        return None
    dialog = PdfExportDialog(
        parent, default_folder(context) / default_file_name(data), fonts, font, thai,
        [w.message for w in data.warnings], getattr(context.document, "target", None),
        notes=gap_notes(gaps))
    if dialog.exec() != QDialog.Accepted:
        return None
    path, font, thai = dialog.path(), dialog.font(), dialog.thai_digits()
    prefs.PDF_FOLDER.set(str(path.parent))
    prefs.PDF_FONT.set(font)
    prefs.PDF_THAI_DIGITS.set(thai)
    data.options = ReportOptions(thai_digits=thai, font=font, threshold=data.options.threshold)
    return path


def export_pdf(parent: QWidget | None, context) -> Path | None:
    """The whole ส่งออก PDF… action; the path written, or None if nothing was written."""
    if not context.ready:
        _show(parent, QMessageBox.Information, "กรุณาเปิดไฟล์และเลือกหน่วยงานและปีงบประมาณก่อนส่งออกรายงาน")
        return None
    try:
        data = read_report_data(parent, context)
    except (ReportError, DocumentError) as exc:
        _show(parent, QMessageBox.Warning, str(exc))
        return None
    if data is None:  # the file was refused and closed; the officer has been told
        return None
    fonts = available_report_fonts()
    font = prefs.PDF_FONT.get() or fonts[0].name
    font = font if any(f.name == font for f in fonts) else fonts[0].name  # as the dialog's list shows it
    thai = prefs.PDF_THAI_DIGITS.get()
    ahead = ChartsAhead(replace(data, options=ReportOptions(thai_digits=thai, font=font,
                                                            threshold=data.options.threshold)))
    path = None
    try:
        with gui_first():  # the dialogs answer sooner while the charts are drawn ahead
            path = _ask(parent, context, data, fonts, font, thai)
    finally:
        if path is None:
            ahead.stop()  # no build follows: no chart is begun after the one being drawn
    if path is None:
        return None

    progress = QProgressDialog("กำลังเตรียมรายงาน…", "ยกเลิก", 0, 100, parent)
    progress.setWindowTitle(TITLE)
    progress.setObjectName("pdfProgress")
    progress.setWindowModality(Qt.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)
    progress.show()
    thread = PdfBuildThread(data, path, ahead=ahead)
    thread.percent.connect(progress.setValue)
    thread.message.connect(progress.setLabelText)
    progress.canceled.connect(thread.cancel)
    loop = QEventLoop()
    thread.finished.connect(loop.quit)  # queued into this thread: delivered inside loop.exec()
    with gui_first():
        thread.start()
        loop.exec()
        thread.wait()
    progress.close()
    if thread.cancelled:
        return None
    if thread.error:
        box = _message(parent, QMessageBox.Warning, thread.error)
        if thread.details:
            box.setDetailedText(thread.details)
        box.addButton("ตกลง", QMessageBox.AcceptRole)
        box.exec()
        return None
    show_done(parent, thread.result)
    return thread.result.path
