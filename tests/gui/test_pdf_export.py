"""ไฟล์ → ส่งออก PDF…: the dialog, the progress, the worker thread and the "open" button.

The dialogs are answered by clicking their buttons as a user would; the PDF written is then
read back with poppler.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from conftest import Answers, click  # tests/gui/conftest.py
from itadesk.db.operations import SetScores, SetTexts
from itadesk.report import chart_cache
from itadesk.ui import pdf_export
from itadesk.ui.context import DocumentContext
from itadesk.ui.pdf_export import OPEN_BUTTON, PdfExportDialog, export_pdf

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture(autouse=True)
def no_charts_drawn_ahead_after_the_test():
    """An export that went back stops drawing ahead after the chart it is on: let that end
    here, so it never draws beside the next test."""
    yield
    for thread in threading.enumerate():
        if thread.name == "itadesk-charts-ahead":
            thread.join(120)
            assert not thread.is_alive()


@pytest.fixture
def chart_cache_emptied():
    """The chart cache folder with no drawing in it (it is shared by the session's tests)."""
    folder = chart_cache.folder()
    for kept in folder.glob("*.json"):
        kept.unlink()
    return folder


@pytest.fixture
def context(reference_opened):
    """The reference file (office's own texts too), 2568 chosen; it lives in tmp_path."""
    return reference_opened.context


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def opened_urls(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    return urls


def is_dialog(widget):
    return isinstance(widget, PdfExportDialog)


def is_done(widget):
    return isinstance(widget, QMessageBox) and widget.text().startswith("สร้างรายงาน PDF แล้ว")


def fill(path: Path, thai: bool = False):
    def act(dialog: PdfExportDialog):
        dialog.path_edit.setText(str(path))
        dialog.thai_digits_check.setChecked(thai)
        click("สร้าง PDF")(dialog)
    return act


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_export_writes_the_pdf_and_opens_it(context, parent, tmp_path, opened_urls):
    target = tmp_path / "out" / "รายงาน ITA"
    target.parent.mkdir()
    answers = Answers([(is_dialog, fill(target, thai=True)), (is_done, click(OPEN_BUTTON))])
    try:
        written = export_pdf(parent, context)
    finally:
        answers.stop()
    assert written == target.with_name("รายงาน ITA.pdf")  # ".pdf" added
    assert opened_urls == [str(written)]
    assert answers.seen[0] == "ส่งออกรายงาน PDF" and "หน้า)" in answers.seen[1]
    text = pdftext(written)
    assert ORG in text and "๙๐.๔๒" in text
    assert [p.name for p in written.parent.iterdir()] == [written.name]  # no temp file left


def test_dialog_defaults_warnings_and_remembered_choices(context, parent, tmp_path, opened_urls):
    seen = {}

    def inspect(dialog: PdfExportDialog):
        seen["path"] = dialog.path_edit.text()
        seen["fonts"] = [dialog.font_combo.itemData(i) for i in range(dialog.font_combo.count())]
        seen["thai"] = dialog.thai_digits_check.isChecked()
        seen["warning"] = dialog.findChild(QWidget, "pdfWarnings").text()
        fill(tmp_path / "first.pdf", thai=True)(dialog)

    answers = Answers([(is_dialog, inspect), (is_done, click("ปิด"))])
    try:
        export_pdf(parent, context)
    finally:
        answers.stop()
    # next to the open file, named after the office and year; Sarabun always offered
    assert seen["path"] == str(tmp_path / "ITA-2568-องค์การบริหารส่วนตำบลเชียงพิณ.pdf")
    assert seen["fonts"][0] == "Sarabun" and seen["thai"] is False
    assert "ไม่สอดคล้องกัน 3 รายการ" in seen["warning"] and "i4–i6" in seen["warning"]
    assert opened_urls == []  # "ปิด" does not open it

    second = {}

    def inspect_again(dialog: PdfExportDialog):
        second["path"], second["thai"] = dialog.path_edit.text(), dialog.thai_digits_check.isChecked()
        click("ยกเลิก")(dialog)

    answers = Answers([(is_dialog, inspect_again)])
    try:
        assert export_pdf(parent, context) is None
    finally:
        answers.stop()
    assert second == {"path": str(tmp_path / "ITA-2568-องค์การบริหารส่วนตำบลเชียงพิณ.pdf"), "thai": True}


def test_a_bad_target_keeps_the_dialog_open_with_a_thai_message(context, parent, tmp_path, opened_urls):
    messages = []

    def try_bad_then_good(dialog: PdfExportDialog):
        dialog.path_edit.setText(str(tmp_path / "ไม่มีโฟลเดอร์นี้" / "x.pdf"))
        dialog.ok_button.click()
        messages.append(dialog.error_label.text())
        dialog.path_edit.setText("  ")
        dialog.ok_button.click()
        messages.append(dialog.error_label.text())
        assert dialog.isVisible()
        fill(tmp_path / "good.pdf")(dialog)

    answers = Answers([(is_dialog, try_bad_then_good), (is_done, click("ปิด"))])
    try:
        assert export_pdf(parent, context) == tmp_path / "good.pdf"
    finally:
        answers.stop()
    assert messages[0].startswith("ไม่พบโฟลเดอร์") and messages[1] == "กรุณาระบุชื่อไฟล์ PDF"


def test_the_data_file_itself_is_refused(tmp_path, qtbot):
    data_file = tmp_path / "ข้อมูล.pdf"
    dialog = PdfExportDialog(None, data_file, pdf_export.available_report_fonts(), "Sarabun", False, [],
                             forbidden=data_file)
    qtbot.addWidget(dialog)
    assert "ซ้ำกับไฟล์ข้อมูล" in dialog.problem()
    dialog.path_edit.setText(str(tmp_path / "ข้อมูล"))  # ".pdf" is added: still the data file
    assert "ซ้ำกับไฟล์ข้อมูล" in dialog.problem()
    dialog.path_edit.setText(str(tmp_path / "รายงาน"))
    assert dialog.problem() is None and dialog.path() == tmp_path / "รายงาน.pdf"


def test_cancel_during_the_build_leaves_no_file(context, parent, tmp_path, opened_urls):
    target = tmp_path / "cancelled"
    target.mkdir()
    answers = Answers([(is_dialog, fill(target / "r.pdf")),
                       (lambda w: isinstance(w, QProgressDialog) and w.objectName() == "pdfProgress", click("ยกเลิก"))])
    try:
        assert export_pdf(parent, context) is None
    finally:
        answers.stop()
    assert list(target.iterdir()) == []
    assert opened_urls == []


def test_nothing_selected_says_what_to_do(parent, qtbot, opened_urls):
    answers = Answers([(lambda w: isinstance(w, QMessageBox), click("ตกลง"))])
    try:
        assert export_pdf(parent, DocumentContext()) is None
    finally:
        answers.stop()
    assert "เลือกหน่วยงานและปีงบประมาณ" in answers.seen[0]


def test_a_failed_build_is_reported_not_raised(context, parent, tmp_path, monkeypatch, opened_urls):
    def broken(*args, **kwargs):
        raise pdf_export.PdfError("บันทึกไฟล์ r.pdf ไม่ได้ ไฟล์อาจเปิดอยู่ในโปรแกรมอ่าน PDF")

    monkeypatch.setattr(pdf_export, "build_pdf", broken)
    answers = Answers([(is_dialog, fill(tmp_path / "r.pdf")),
                       (lambda w: isinstance(w, QMessageBox), click("ตกลง"))])
    try:
        assert export_pdf(parent, context) is None
    finally:
        answers.stop()
    assert "ไฟล์อาจเปิดอยู่" in answers.seen[-1]


def test_a_stale_draft_is_asked_about_before_printing(context, parent, tmp_path, opened_urls):
    """A drafted text whose figures changed since: export asks; "กลับไปแก้ไข" writes nothing,
    "พิมพ์ต่อ" prints it."""
    from itadesk.ita.drafting import draft_basis
    from itadesk.ui.pdf_export import STALE_BACK, STALE_PRINT, STALE_QUESTION

    current = context.current_assessment()
    basis = draft_basis(current, context.previous_assessment(), context.catalog(), 4)
    org_uuid, year = context.org_uuid, context.year
    context.push("ร่าง", SetTexts(org_uuid, year, analyses={4: current.analysis.get(4) or "ร่าง"},
                                  draft_bases={4: basis}))
    context.push("แก้คะแนน", SetScores(org_uuid, year, indicators={4: 95.0}))  # corrected after drafting

    def is_question(widget):
        return isinstance(widget, QMessageBox) and widget.text() == STALE_QUESTION

    answers = Answers([(is_question, click(STALE_BACK))])
    try:
        assert export_pdf(parent, context) is None
    finally:
        answers.stop()
    assert answers.seen == [STALE_QUESTION]

    target = tmp_path / "stale.pdf"
    answers = Answers([(is_question, click(STALE_PRINT)), (is_dialog, fill(target)), (is_done, click("ปิด"))])
    try:
        assert export_pdf(parent, context) == target
    finally:
        answers.stop()
    assert target.exists()


def test_the_dialog_says_what_the_report_leaves_out(context, parent, tmp_path, opened_urls):
    """No assessors' recommendations: the dialog says the section is left out, and it is;
    an indicator without the office's analysis is named there too."""
    from itadesk.ui.pdf_export import NO_RECOMMENDATIONS_NOTE

    current = context.current_assessment()
    missing = sorted(n for n in context.catalog().indicator_numbers if not (current.analysis.get(n) or "").strip())
    assert missing  # the reference leaves one indicator's analysis empty
    notes = {}

    def inspect(name):
        def act(dialog: PdfExportDialog):
            label = dialog.findChild(QWidget, "pdfNotes")
            notes[name] = label.text() if label is not None else ""
            fill(tmp_path / f"{name}.pdf")(dialog)
        return act

    answers = Answers([(is_dialog, inspect("with")), (is_done, click("ปิด"))])
    try:
        export_pdf(parent, context)
    finally:
        answers.stop()
    assert NO_RECOMMENDATIONS_NOTE not in notes["with"]
    assert f"ตัวชี้วัดที่ {', '.join(map(str, missing))} ยังไม่มีผลการวิเคราะห์" in notes["with"]
    assert "ข้อเสนอแนะจากผู้ตรวจประเมิน" in pdftext(tmp_path / "with.pdf")

    context.push("ล้างข้อเสนอแนะ", SetTexts(context.org_uuid, context.year,
                                            recommendations={code: "" for code in current.recommendations}))
    answers = Answers([(is_dialog, inspect("without")), (is_done, click("ปิด"))])
    try:
        export_pdf(parent, context)
    finally:
        answers.stop()
    assert NO_RECOMMENDATIONS_NOTE in notes["without"]
    assert "ข้อเสนอแนะจากผู้ตรวจประเมิน" not in pdftext(tmp_path / "without.pdf")


def test_no_analysis_and_no_plan_are_asked_about_first(context, parent, tmp_path, opened_urls):
    """With no analysis text at all and no plan rows the export asks; "กลับไปบันทึก" writes
    nothing, "สร้างต่อ" makes the report."""
    from itadesk.db.operations import DeletePlanRows
    from itadesk.ui.pdf_export import GAPS_BACK, GAPS_GO, GAPS_QUESTION

    current = context.current_assessment()
    context.push("ล้างการวิเคราะห์", SetTexts(context.org_uuid, context.year,
                                               analyses={n: "" for n in context.catalog().indicator_numbers}))
    context.push("ลบแผน", DeletePlanRows(context.org_uuid, context.year, [a.uuid for a in current.actions]))
    asked = []

    def is_question(widget):
        return isinstance(widget, QMessageBox) and widget.text() == GAPS_QUESTION

    def answer(button):
        def act(box: QMessageBox):
            asked.append(box.informativeText())
            click(button)(box)
        return act

    answers = Answers([(is_question, answer(GAPS_BACK))])
    try:
        assert export_pdf(parent, context) is None
    finally:
        answers.stop()
    assert answers.seen == [GAPS_QUESTION]
    assert "ผลการวิเคราะห์ของตัวชี้วัดใดเลย" in asked[0] and "ยังไม่มีมาตรการในแผนการดำเนินงาน" in asked[0]
    assert not list(tmp_path.glob("*.pdf"))

    target = tmp_path / "gaps.pdf"
    answers = Answers([(is_question, answer(GAPS_GO)), (is_dialog, fill(target)), (is_done, click("ปิด"))])
    try:
        assert export_pdf(parent, context) == target
    finally:
        answers.stop()
    assert "ยังไม่ได้บันทึกมาตรการในแผนการดำเนินงาน" in pdftext(target)


def test_the_charts_are_drawn_while_the_officer_reads_the_dialog(context, parent, tmp_path, qtbot, opened_urls,
                                                                 chart_cache_emptied):
    """A first export: the four charts are drawn (into the chart cache) while the dialog is
    open, and the build after "สร้าง PDF" uses them instead of drawing its own."""
    def read_then_create(dialog: PdfExportDialog):
        qtbot.waitUntil(lambda: len(list(chart_cache_emptied.glob("*.json"))) == 4, timeout=120_000)
        assert dialog.isVisible()
        fill(tmp_path / "ahead.pdf")(dialog)

    answers = Answers([(is_dialog, read_then_create), (is_done, click("ปิด"))])
    try:
        assert export_pdf(parent, context) == tmp_path / "ahead.pdf"
    finally:
        answers.stop()
    assert len(list(chart_cache_emptied.glob("*.json"))) == 4  # the build drew no chart of its own
    assert ORG in pdftext(tmp_path / "ahead.pdf")
    assert gc.isenabled()  # paused for the build only


def test_charts_for_other_options_than_the_dialog_proposed_are_drawn_by_the_build(
        context, parent, tmp_path, qtbot, opened_urls, chart_cache_emptied):
    """The digits changed in the dialog after the charts were drawn ahead with the proposed
    ones: the build draws the four charts with the digits chosen (four more drawings kept)."""
    chosen = {}

    def read_then_change(dialog: PdfExportDialog):
        qtbot.waitUntil(lambda: len(list(chart_cache_emptied.glob("*.json"))) == 4, timeout=120_000)
        chosen["thai"] = not dialog.thai_digits_check.isChecked()
        fill(tmp_path / "changed.pdf", thai=chosen["thai"])(dialog)

    answers = Answers([(is_dialog, read_then_change), (is_done, click("ปิด"))])
    try:
        assert export_pdf(parent, context) == tmp_path / "changed.pdf"
    finally:
        answers.stop()
    assert len(list(chart_cache_emptied.glob("*.json"))) == 8
    assert ("๙๐.๔๒" in pdftext(tmp_path / "changed.pdf")) == chosen["thai"]
