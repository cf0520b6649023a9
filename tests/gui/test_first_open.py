"""A district's file never seen on this computer, opened in the window: the overview shows the
file's own kept results at once under a bar saying they are being checked; the bar goes when
the check ends, or says plainly that wrong kept results were replaced; an export during the
check waits for it and never writes a forged figure."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from itadesk.db import checked_files
from itadesk.db.files import sha256_file
from itadesk.db.store import Store
from itadesk.ita.results import result_of
from itadesk.ui.file_check import CHECKING, DISAGREED
from itadesk.ui.main_window import FILE_REFUSED as REFUSED
from tests.gui.conftest import Answers, click, screenshot_dir, settle
from tests.many_orgs import many_orgs_file

YEAR = 2568
FORGED = 100.0
WAIT_MS = 120_000  # a loaded machine checks 300 organizations in well under this


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    return many_orgs_file(tmp_path_factory.mktemp("first-open"), 300)


@pytest.fixture
def unseen(district, tmp_path):
    """A copy of the file in a folder of its own; this test's data folder has never seen it."""
    copy = tmp_path / "อำเภอ.db"
    shutil.copyfile(district, copy)
    assert not checked_files.is_checked(sha256_file(copy))
    return copy


def forge(path) -> tuple[str, float]:
    """One organization's kept result of YEAR changed to a total of 100 (its scores untouched):
    (its name, the total its scores give)."""
    conn = sqlite3.connect(path)
    try:
        uuid, text, name = conn.execute(
            "SELECT r.assessment_uuid, r.result, o.name FROM assessment_results r "
            "JOIN assessments a ON a.uuid = r.assessment_uuid JOIN organizations o ON o.uuid = a.org_uuid "
            "WHERE a.fiscal_year = ? ORDER BY o.name LIMIT 1", (YEAR,)).fetchone()
        kept = json.loads(text)
        a = Store(conn).load_assessment_by_uuid(uuid)
        right = result_of(a, a.catalog).total
        assert right != FORGED and kept[1] == right
        kept[1] = FORGED
        conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (json.dumps(kept), uuid))
        conn.commit()
    finally:
        conn.close()
    return name, right


def total_shown(tab, name: str):
    return next(r.total for r in tab.model.rows if r.name == name)


def test_an_unseen_file_shows_its_overview_marked_as_being_checked_then_not(window, unseen, qtbot, tmp_path):
    assert window.open_document(unseen)
    bar, tab = window.check_bar, window.overview_tab
    # At once: the overview of the file's kept results, under the bar (the check starts after).
    assert window.document.checking
    assert bar.isVisible() and bar.label.text() == CHECKING
    assert window.tabs.currentWidget() is tab and tab.year == YEAR and len(tab.model.rows) == 300
    settle(window)
    window.grab().save(str(screenshot_dir(tmp_path) / "first-open-checking.png"))
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=WAIT_MS)
    assert not window.document.checking and not window.document.results_disagreed
    assert checked_files.is_checked(sha256_file(unseen))  # the next opening is not checked again
    assert window.statusBar().currentMessage().startswith("ตรวจตัวเลขในไฟล์นี้เสร็จแล้ว")
    assert len(tab.model.rows) == 300


def test_forged_kept_results_end_replaced_by_fresh_figures_and_the_officer_is_told(window, unseen, qtbot,
                                                                                 tmp_path):
    name, right = forge(unseen)
    assert window.open_document(unseen)
    bar, tab = window.check_bar, window.overview_tab
    assert window.document.checking and total_shown(tab, name) == FORGED  # the file's own, marked unchecked
    assert bar.label.text() == CHECKING
    qtbot.waitUntil(lambda: bar.isVisible() and bar.label.text() == DISAGREED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab._stale and not tab._reading and total_shown(tab, name) == right,  # noqa: SLF001
                    timeout=WAIT_MS)
    assert FORGED not in [r.total for r in tab.model.rows if r.name == name]
    assert not checked_files.is_checked(sha256_file(unseen))  # its results disagreed: checked in full next time
    settle(window)
    window.grab().save(str(screenshot_dir(tmp_path) / "first-open-disagreed.png"))
    bar.close_button.click()
    assert not bar.isVisible()


def test_an_export_during_the_check_waits_for_it_and_writes_no_forged_figure(window, unseen, tmp_path, modal):
    name, right = forge(unseen)
    assert window.open_document(unseen)
    tab = window.overview_tab
    assert window.document.checking and total_shown(tab, name) == FORGED
    out = tmp_path / "ภาพรวม.csv"
    modal.click_when_shown("ตกลง")  # "exported N organizations"
    assert tab.export_table("csv", out) == out  # asked for before the check even started
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if name in r]
    assert len(rows) == 1
    assert f"{right:.2f}" in rows[0] and f"{FORGED:.2f}" not in rows[0]
    assert not window.document.checking and window.document.results_disagreed
    assert window.check_bar.isVisible() and window.check_bar.label.text() == DISAGREED
    assert total_shown(tab, name) == right


def test_a_plan_progress_report_during_the_check_waits_for_it_and_a_refused_file_prints_nothing(
        window, unseen, tmp_path):
    """พิมพ์รายงานผลการดำเนินการ… leaves the program too: a plan row the rules refuse (done
    before it started) must not reach a PDF while the file is still being checked."""
    from tests.gui.conftest import Answers, click
    from tests.gui.test_main_window import choose

    from itadesk.ui.pdf_export import CLOSE_BUTTON, PdfExportDialog

    conn = sqlite3.connect(unseen)
    assessment, org = conn.execute("SELECT a.uuid, a.org_uuid FROM assessments a JOIN organizations o "
                                   "ON o.uuid = a.org_uuid WHERE a.fiscal_year = ? ORDER BY o.name LIMIT 1",
                                   (YEAR,)).fetchone()
    conn.execute("INSERT INTO actions(uuid, assessment_uuid, position, indicator, measure, start_date, end_date, "
                 "status, completed_date, updated_at) VALUES ('5b0e7f0c-1d2e-4c3b-9a8f-0123456789ab', ?, 0, 1, "
                 "'มาตรการ', '2025-10-01', '2026-09-30', 'done', '2020-01-01', '2025-10-01T00:00:00Z')",
                 (assessment,))
    conn.commit()
    conn.close()
    before = unseen.read_bytes()
    assert window.open_document(unseen)
    assert window.document.checking
    choose(window.org_combo, org)
    window.select_year(YEAR)
    plan = window.plan_tab
    window.tabs.setCurrentWidget(plan)
    assert plan.print_button.isEnabled()
    target = tmp_path / "ผลการดำเนินการ.pdf"

    def fill(dialog):
        dialog.path_edit.setText(str(target))
        click("สร้าง PDF")(dialog)

    answers = Answers([(lambda w: isinstance(w, PdfExportDialog), fill),
                       (lambda w: getattr(w, "text", lambda: "")().startswith("สร้างรายงาน PDF แล้ว"),
                        click(CLOSE_BUTTON)),
                       (lambda w: getattr(w, "windowTitle", lambda: "")() == "ไฟล์นี้ใช้ไม่ได้ ปิดไฟล์แล้ว",
                        click("ตกลง"))])
    try:
        written = plan.print_progress()
    finally:
        answers.timer.stop()
    assert written is None and not target.exists(), answers.seen
    assert window.document is None  # refused by the check, closed
    assert unseen.read_bytes() == before


def test_a_check_whose_outcome_cannot_be_applied_yet_keeps_the_file_open_and_marked(window, unseen, qtbot):
    """Forgetting the forged results failed (the local disk full; here another connection
    holding the working copy's write lock): the file is not closed as refused (the officer's
    edits would go), nor said to be checked; once it can be, the outcome is applied."""
    name, right = forge(unseen)
    assert window.open_document(unseen)
    doc, bar, tab = window.document, window.check_bar, window.overview_tab
    holder = sqlite3.connect(doc.working_copy, timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")  # a writer that does not let go
        qtbot.waitUntil(lambda: doc.check_done, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bar.progress.value() == 100, timeout=WAIT_MS)  # the bar's poll saw it end
        qtbot.wait(500)  # a few more ticks of the bar's poll, each failing to apply the outcome
        assert window.document is doc and doc.checking
        assert bar.isVisible() and bar.label.text() == CHECKING
    finally:
        holder.rollback()
        holder.close()
    qtbot.waitUntil(lambda: bar.isVisible() and bar.label.text() == DISAGREED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab._stale and not tab._reading and total_shown(tab, name) == right,  # noqa: SLF001
                    timeout=WAIT_MS)
    assert window.document is doc and not doc.checking


def test_a_file_its_check_refuses_is_closed_with_its_reason(window, unseen, qtbot):
    """A value the program would never write (five decimals) passes the checks before the first
    screen; the check behind it refuses the file: closed, the reason said, the stick untouched."""
    conn = sqlite3.connect(unseen)
    conn.execute("UPDATE indicator_scores SET score = 50.12345 WHERE uuid = (SELECT uuid FROM indicator_scores LIMIT 1)")
    conn.commit()
    conn.close()
    before = unseen.read_bytes()
    # Answered whenever it comes (the check ends on its own time, under any wait of the test).
    answers = Answers([(lambda w: isinstance(w, QMessageBox) and w.windowTitle() == REFUSED, click("ตกลง"))])
    try:
        assert window.open_document(unseen)
        assert window.document.checking and window.check_bar.isVisible()
        qtbot.waitUntil(lambda: window.document is None and bool(answers.seen), timeout=WAIT_MS)
    finally:
        answers.stop()
    assert not window.check_bar.isVisible()
    assert window.stack.currentIndex() == 0  # the welcome page
    assert unseen.read_bytes() == before


def test_a_report_export_during_a_refusing_check_says_so_once(window, unseen, qtbot):
    """ส่งออก PDF… asked before the check ends: the check refuses the file; the officer gets the one
    message saying the file cannot be used and was closed (the export's own 'failed' message used
    to follow it, saying the same again), and no report dialog."""
    from itadesk.ui.pdf_export import export_pdf

    conn = sqlite3.connect(unseen)
    conn.execute("UPDATE indicator_scores SET score = 50.12345 WHERE uuid = (SELECT uuid FROM indicator_scores LIMIT 1)")
    conn.commit()
    conn.close()
    assert window.open_document(unseen)  # the check starts a second after the first screen, not before
    answers = Answers([(lambda w: isinstance(w, QMessageBox) and w.windowTitle() == REFUSED, click("ตกลง"))])
    try:
        doc = window.document
        first = next(r for r in window.overview_tab.model.rows)
        window.context.select(first.org_uuid, YEAR)
        assert window.context.ready and doc.checking
        assert export_pdf(window, window.context) is None
        assert window.document is None
        settle(window)
        qtbot.wait(300)  # a second message would come now: Answers rejects it and fails the test
    finally:
        answers.stop()
    assert answers.failure is None and len(answers.seen) == 1, answers.seen
    assert answers.seen[0].strip()
