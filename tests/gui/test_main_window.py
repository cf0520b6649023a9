"""The main window as a new officer meets it: create a file, add the office, type two years
of scores, see the result, save, reopen; and the questions the window must ask."""

from __future__ import annotations

import os
import shutil

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES, DocumentError
from itadesk.db.files import read_snapshot
from itadesk.db.lock import TargetLock
from itadesk.db.store import Store
from itadesk.ita.model import Organization
from itadesk.ui import dialogs
from itadesk.ui.main_window import DOCUMENT_PAGE, WELCOME_PAGE, MainWindow
from itadesk.ui.score_models import IndicatorScoresModel, SummaryModel
from conftest import close_quietly, press, type_text  # tests/gui/conftest.py

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # What the offscreen platform says when a window is shown or raised.
    pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise"),
]

ORG = dict(name="องค์การบริหารส่วนตำบลเชียงพิณ", kind="อบต.", district="เมืองอุดรธานี", province="อุดรธานี")
SCORES_2567 = ["100", "93.33", "100", "97.78", "100", "99.56", "99.89", "98.89", "79.29", "100"]
# Indicator 4 typed in Thai digits, as some officers do.
SCORES_2568 = ["100", "100", "100", "๙๑.๑๘", "100", "99.87", "99.81", "99.81", "80", "75"]
SCORE = IndicatorScoresModel.SCORE_COLUMN


# -- helpers: what a user does ---------------------------------------------------------

def choose(combo, data) -> None:
    """Pick an entry of a combo box the way a click does (setCurrentIndex + activated)."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not offered in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def type_into_cell(view, row: int, column: int, text: str, finish=Qt.Key_Return) -> QLineEdit:
    """Select a cell and type over it: the first key opens the editor, the rest go into it."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    type_text(view, text[0])
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit), "typing on a cell should open its editor"
    type_text(editor, text[1:])
    if finish is not None:
        press(editor, finish)
    return editor


def add_reference_org(window, modal) -> None:
    def fill(dialog):
        type_text(dialog.name, ORG["name"])
        type_text(dialog.district, "อำเภอ" + ORG["district"])  # the prefix is stripped
        type_text(dialog.province, ORG["province"])

    modal.click_when_shown("บันทึก", fill)
    window.add_org_button.click()


def type_year(window, year: int, scores: list[str]) -> None:
    choose(window.year_combo, year)
    view = window.scores_tab.indicator_view
    for row, text in enumerate(scores):
        type_into_cell(view, row, SCORE, text)


def summary_cells(window) -> dict[str, list[str]]:
    model = window.scores_tab.summary_model
    out = {}
    for row, spec in enumerate(model.rows):
        key = spec.label if spec.kind != "indicator" else str(spec.number)
        out[key] = [model.index(row, c).data() for c in range(model.columnCount())]
    return out


def row_of(cells: dict, startswith: str) -> list[str]:
    return next(v for k, v in cells.items() if k.startswith(startswith))


@pytest.fixture
def save_path(tmp_path, monkeypatch):
    """Answer the save dialog with a file on the "stick" (a folder of this test)."""
    stick = tmp_path / "stick"
    stick.mkdir()
    target = stick / "ITA เชียงพิณ.db"
    asked = []

    def fake(parent, suggested=""):
        asked.append(suggested)
        return target

    monkeypatch.setattr(dialogs, "ask_save_path", fake)
    return target, asked


# -- the welcome page -------------------------------------------------------------------

def test_first_start_shows_the_welcome_page(window):
    assert window.stack.currentIndex() == WELCOME_PAGE
    assert window.windowTitle() == "ITA Desk"
    welcome = window.welcome
    assert welcome.new_button.text() == "สร้างไฟล์ใหม่"
    assert welcome.open_button.text() == "เปิดไฟล์…"
    assert welcome.recent_empty.isVisible() and not welcome.recovery_box.isVisible()
    assert not window.save_action.isEnabled()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["ไฟล์(&F)", "แก้ไข(&E)", "ข้อมูล(&D)", "มุมมอง(&V)", "ช่วยเหลือ(&H)"]
    shortcuts = {a.text(): a.shortcut().toString() for a in (
        window.new_action, window.open_action, window.save_action, window.undo_action, window.redo_action)}
    assert shortcuts == {"ใหม่": "Ctrl+N", "เปิด…": "Ctrl+O", "บันทึก": "Ctrl+S", "เลิกทำ": "Ctrl+Z", "ทำซ้ำ": "Ctrl+Y"}


def test_sarabun_is_the_application_font(app):
    assert app.font().family() == "Sarabun"


# -- the whole journey ----------------------------------------------------------------------

def test_new_user_types_two_years_saves_and_reopens(window, modal, save_path, qtbot):
    target, asked = save_path
    window.welcome.new_button.click()
    assert window.stack.currentIndex() == DOCUMENT_PAGE
    assert window.body.currentWidget() is window.no_org_page  # nothing to type into yet

    add_reference_org(window, modal)
    assert window.body.currentWidget() is window.tabs
    assert window.org_combo.currentText().startswith(ORG["name"])
    assert window.year_combo.currentData() == 2568  # the latest catalog year by default

    type_year(window, 2567, SCORES_2567)
    type_year(window, 2568, SCORES_2568)
    assert window.windowTitle() == "เอกสารใหม่* — ITA Desk"

    cells = summary_cells(window)
    overall = row_of(cells, "คะแนนรวม")
    level = row_of(cells, "ระดับ")
    assert overall[SummaryModel.PREV:] == ["95.16", "90.42", "−4.74", "ลดลง"]
    assert level[SummaryModel.PREV:SummaryModel.CUR + 1] == ["ผ่านดี", "ผ่าน"]
    assert level[SummaryModel.DIRECTION] == "ลดลง"  # comparison.level, not decided by the view
    assert cells["4"][SummaryModel.PREV:] == ["97.78", "91.18", "−6.60", "ลดลง"]
    assert cells["2"][SummaryModel.DIRECTION] == "เพิ่มขึ้น"
    assert cells["1"][SummaryModel.DIRECTION] == "คงที่"
    model = window.scores_tab.summary_model
    assert model.headerData(SummaryModel.PREV, Qt.Horizontal) == "ปี 2567"
    assert model.headerData(SummaryModel.CUR, Qt.Horizontal) == "ปี 2568"
    # the report's one overall-change sentence: points, and the percent labelled apart
    assert "ลดลง 4.74 คะแนน คิดเป็นการลดลงร้อยละ 4.98" in window.scores_tab.percent_label.text()

    # Ctrl+S on an untitled document asks where to save.
    window.save_action.trigger()
    assert asked and asked[0].endswith(".db")
    assert target.exists()
    assert window.windowTitle() == "ITA เชียงพิณ.db — ITA Desk"

    with read_snapshot(target) as conn:
        store = Store(conn)
        org = store.find_organization(ORG["name"])
        assert (org.kind, org.district, org.province) == ("อบต.", "เมืองอุดรธานี", "อุดรธานี")
        assert store.load_assessment(org.uuid, 2567).indicators[2] == 93.33
        assert store.load_assessment(org.uuid, 2568).indicators == {
            1: 100, 2: 100, 3: 100, 4: 91.18, 5: 100, 6: 99.87, 7: 99.81, 8: 99.81, 9: 80, 10: 75}

    # Close (nothing unsaved: no question), then reopen from the recent list.
    window.close_action.trigger()
    assert window.stack.currentIndex() == WELCOME_PAGE
    recent = window.welcome.recent_list
    assert recent.count() == 1 and recent.item(0).data(Qt.UserRole) == str(target)
    qtbot.mouseClick(recent.viewport(), Qt.LeftButton, pos=recent.visualItemRect(recent.item(0)).center())
    assert window.stack.currentIndex() == DOCUMENT_PAGE  # one click opens it
    recent.itemActivated.emit(recent.item(0))  # the double-click's second signal changes nothing
    assert window.windowTitle() == "ITA เชียงพิณ.db — ITA Desk"
    assert window.org_combo.currentText() == f"{ORG['name']} (อำเภอเมืองอุดรธานี จังหวัดอุดรธานี)"
    assert "มีข้อมูล" in window.year_combo.currentText()
    cells = summary_cells(window)
    assert row_of(cells, "คะแนนรวม")[SummaryModel.PREV:] == ["95.16", "90.42", "−4.74", "ลดลง"]
    assert row_of(cells, "ระดับ")[SummaryModel.PREV:SummaryModel.CUR + 1] == ["ผ่านดี", "ผ่าน"]
    choose(window.year_combo, 2567)
    indicators = window.scores_tab.indicator_model
    assert [indicators.index(r, SCORE).data() for r in range(10)] == [
        "100.00", "93.33", "100.00", "97.78", "100.00", "99.56", "99.89", "98.89", "79.29", "100.00"]


def test_bad_scores_are_refused_with_a_message_and_never_stored(window, modal):
    window.new_document()
    add_reference_org(window, modal)
    tab = window.scores_tab
    view = tab.indicator_view

    editor = type_into_cell(view, 0, SCORE, "120")
    assert view.indexWidget(view.model().index(0, SCORE)) is editor  # Enter did not close it
    assert tab.message.isVisible()
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in tab.message.text()
    assert "ตัวชี้วัดที่ 1" in tab.message.text()
    assert editor.toolTip()  # the message also sits on the cell
    press(editor, Qt.Key_Escape)

    editor = type_into_cell(view, 1, SCORE, "abc")
    assert "ตัวเลข" in tab.message.text()
    press(editor, Qt.Key_Tab)  # Tab cannot slip it through either
    assert view.indexWidget(view.model().index(1, SCORE)) is editor
    press(editor, Qt.Key_Escape)

    type_into_cell(view, 2, SCORE, "95.155")
    assert "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง" in tab.message.text()
    press(view.indexWidget(view.model().index(2, SCORE)), Qt.Key_Escape)
    assert not tab.message.isVisible() or not tab.message.text()  # Escape takes the message away

    # Nothing reached the file, not even an empty assessment's scores.
    assessment = window.context.current_assessment()
    assert assessment is None or assessment.indicators == {}
    assert not window.document.dirty or window.document._store.edit_count() >= 1

    # The model itself refuses too (the path a paste or a script would take).
    assert not tab.indicator_model.setData(tab.indicator_model.index(0, SCORE), "-5")
    assert window.context.current_assessment() is None or window.context.current_assessment().indicators == {}

    # A good value then goes in, and the message clears.
    type_into_cell(view, 0, SCORE, "๙๑.๑๘")
    assert window.context.current_assessment().indicators == {1: 91.18}
    assert not tab.message.isVisible()


def test_undo_and_redo_an_edit(window, modal, qtbot):
    window.new_document()
    add_reference_org(window, modal)
    view = window.scores_tab.indicator_view
    type_into_cell(view, 3, SCORE, "91.18")
    type_into_cell(view, 3, SCORE, "92")
    current = window.context.current_assessment
    assert current().indicators[4] == 92
    assert window.undo_action.text() == "เลิกทำ แก้คะแนนตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ"

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)  # เลิกทำ, as the keyboard shortcut
    assert current().indicators[4] == 91.18
    assert view.model().index(3, SCORE).data() == "91.18"
    window.undo_action.trigger()
    assert current() is None  # the first edit created the year; undoing it removes it again
    qtbot.keyClick(view, Qt.Key_Y, Qt.ControlModifier)  # ทำซ้ำ
    assert current().indicators[4] == 91.18
    window.redo_action.trigger()
    assert current().indicators[4] == 92


def test_undo_brings_back_the_year_it_changes(window, modal):
    window.new_document()
    add_reference_org(window, modal)
    type_year(window, 2567, ["88"])
    choose(window.year_combo, 2568)
    window.undo_action.trigger()
    assert window.context.year == 2567 and window.year_combo.currentData() == 2567
    assert window.context.current_assessment() is None
    assert window.year_combo.currentText() == "2567"  # not "(มีข้อมูล)": nothing is left in it


def test_undoing_back_to_the_saved_state_clears_the_star(window, modal, save_path, data_dir):
    target, _ = save_path
    window.new_document()
    add_reference_org(window, modal)
    window.save()
    title = "ITA เชียงพิณ.db — ITA Desk"
    assert window.windowTitle() == title
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "100")
    assert window.windowTitle() == "ITA เชียงพิณ.db* — ITA Desk"
    window.undo_action.trigger()
    assert window.windowTitle() == title  # the store holds what the file holds again
    window.redo_action.trigger()
    assert window.windowTitle() == "ITA เชียงพิณ.db* — ITA Desk"
    window.save()
    window.undo_action.trigger()  # now undo leads away from the saved state
    assert window.windowTitle() == "ITA เชียงพิณ.db* — ITA Desk"
    window.redo_action.trigger()
    assert window.windowTitle() == title

    window.undo_action.trigger()
    window.undo_action.trigger()  # back to before the save: the file has 100, the window not
    seen = len(modal.seen)
    modal.click_when_shown("ไม่บันทึก")
    assert window.close_current()
    assert len(modal.seen) == seen + 1  # asked

    assert window.open_document(target)
    type_into_cell(window.scores_tab.indicator_view, 1, SCORE, "90")
    window.undo_action.trigger()
    assert window.close_current()  # nothing to ask: the file holds everything
    assert len(modal.seen) == seen + 1
    assert window.welcome.recovery_box.isHidden()  # and nothing left behind to recover


def test_closing_with_unsaved_changes_asks(window, modal, save_path):
    target, _ = save_path
    window.new_document()
    add_reference_org(window, modal)
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "100")
    assert window.windowTitle().startswith("เอกสารใหม่*")

    details = []
    modal.click_when_shown("ยกเลิก", lambda box: details.append(box.informativeText()))
    assert not window.close()
    assert modal.seen[-1] == "บันทึกการแก้ไขใน \"เอกสารใหม่\" ก่อนปิดหรือไม่"
    assert "ยังไม่เคยบันทึก" in details[-1]  # not "since the last save": there was none
    assert window.isVisible() and window.document is not None

    # บันทึก: asks where (untitled), saves, then closes.
    modal.click_when_shown("บันทึก")
    assert window.close()
    assert window.document is None
    with read_snapshot(target) as conn:
        store = Store(conn)
        org = store.organizations()[0]
        assert store.load_assessment(org.uuid, 2568).indicators == {1: 100}


def test_close_without_saving_leaves_the_file_as_it_was(window, modal, save_path):
    target, _ = save_path
    window.new_document()
    add_reference_org(window, modal)
    window.save()
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "77")
    modal.click_when_shown("ไม่บันทึก")
    window.close_action.trigger()
    assert window.document is None and window.stack.currentIndex() == WELCOME_PAGE
    with read_snapshot(target) as conn:
        store = Store(conn)
        assert store.load_assessment(store.organizations()[0].uuid, 2568) is None
    assert not window.welcome.recovery_box.isVisible()  # discarded, so nothing to recover


def test_a_file_in_use_offers_read_only(window, modal, tmp_path):
    target = tmp_path / "shared.db"
    doc = Document.new()
    doc._store.save_organization(Organization(**ORG))
    doc.save_as(target)
    doc.close()
    other = TargetLock(target)
    other.acquire()  # another program has it open
    try:
        modal.click_when_shown("เปิดแบบอ่านอย่างเดียว")
        assert window.open_document(target)
        assert "กำลังเปิดใช้งานอยู่" in modal.seen[-1]
        assert window.document.readonly
        assert window.readonly_banner.isVisible()
        assert "อ่านอย่างเดียว" in window.readonly_label.text()
        assert "[อ่านอย่างเดียว]" in window.windowTitle()
        index = window.scores_tab.indicator_model.index(0, SCORE)
        assert not (window.scores_tab.indicator_model.flags(index) & Qt.ItemIsEditable)
        assert not window.scores_tab.indicator_model.setData(index, "90")
        assert not window.add_org_button.isEnabled()
    finally:
        other.release()


def test_a_file_in_use_can_be_opened_anyway_or_left_alone(window, modal, tmp_path):
    target = tmp_path / "shared.db"
    doc = Document.new()
    doc.save_as(target)
    doc.close()
    other = TargetLock(target)
    other.acquire()
    try:
        modal.click_when_shown("ยกเลิก")
        assert not window.open_document(target)
        assert window.document is None
        modal.click_when_shown("เปิดต่อไป")
        assert window.open_document(target)
        assert not window.document.readonly
    finally:
        other.release()


def test_a_file_that_is_not_ours_gets_a_thai_message(window, modal, tmp_path):
    bogus = tmp_path / "รายงาน.db"
    bogus.write_bytes(b"not a database at all" * 100)
    modal.click_when_shown("ตกลง")
    assert not window.open_document(bogus)
    assert "ไม่ใช่ไฟล์ฐานข้อมูลของ ITA Desk" in modal.seen[-1]
    assert window.stack.currentIndex() == WELCOME_PAGE
    assert bogus.read_bytes() == b"not a database at all" * 100


def test_a_file_changed_underneath_is_not_overwritten(window, modal, tmp_path, monkeypatch):
    target = tmp_path / "stick.db"
    doc = Document.new()
    doc._store.save_organization(Organization(**ORG))
    doc.save_as(target)
    doc.close()
    assert window.open_document(target)
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "99")

    # Another office saves the same file meanwhile (a copy of the stick, edited, copied back).
    elsewhere = tmp_path / "elsewhere" / "stick.db"
    elsewhere.parent.mkdir()
    shutil.copyfile(target, elsewhere)
    other = Document.open(elsewhere)
    other._store.set_meta("note", "edited elsewhere")
    other.save()
    other.close()
    before = elsewhere.read_bytes()
    os.replace(elsewhere, target)

    modal.click_when_shown("ยกเลิก")
    assert not window.save()
    assert "ถูกแก้ไขจากที่อื่น" in modal.seen[-1]
    assert target.read_bytes() == before  # not overwritten
    assert window.windowTitle().startswith("stick.db*")

    new_target = tmp_path / "stick-ของฉัน.db"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, suggested="": new_target)
    modal.click_when_shown("บันทึกเป็นไฟล์ใหม่")
    assert window.save()
    assert target.read_bytes() == before
    assert window.document.target == new_target
    with read_snapshot(new_target) as conn:
        store = Store(conn)
        assert store.load_assessment(store.organizations()[0].uuid, 2568).indicators == {1: 99}


def test_unsaved_work_from_a_crash_is_offered_back(app, qtbot, modal, tmp_path):
    from itadesk.ui.main_window import MainWindow

    # A session that ends without closing its document (as when the PC loses power).
    crashed = Document.new()
    org = crashed._store.save_organization(Organization(**ORG))
    uuid = crashed._store.ensure_assessment(org.uuid, 2568)
    crashed._store.set_indicator_score(uuid, 9, 80)
    crashed.close()  # keeps the working copy: it holds unsaved edits

    window = MainWindow()
    modal.click_when_shown("ไว้ภายหลัง")
    window.offer_recovery_on_start()
    qtbot.waitUntil(lambda: bool(modal.seen))
    assert "ต้องการเปิดงานกลับมา" in modal.seen[-1]
    assert window.welcome.recovery_box.isVisibleTo(window)
    assert window.welcome.recovery_list.count() == 1
    assert "เอกสารใหม่" in window.welcome.recovery_list.item(0).text()

    window.welcome.recover_button.click()
    assert window.document is not None and window.document.dirty
    assert window.context.current_assessment().indicators == {9: 80}
    assert window.windowTitle() == "เอกสารใหม่* — ITA Desk"  # recovered work is not in any file
    close_quietly(window)


def test_organization_dialog_checks_and_cleans_what_is_typed(window, modal):
    window.new_document()
    add_reference_org(window, modal)
    org = window.context.document._store.organization(window.context.org_uuid)
    assert org.place == "อำเภอเมืองอุดรธานี จังหวัดอุดรธานี"  # not "อำเภออำเภอ…"
    assert org.kind == "อบต."  # guessed from the name

    # The same office again (short spelling) is refused with a reason.
    def fill_duplicate(dialog):
        type_text(dialog.name, "อบต. เชียงพิณ")
        type_text(dialog.province, "จังหวัดอุดรธานี")
        dialog.buttons.accepted.emit()
        assert dialog.error.isVisibleTo(dialog) and "มีหน่วยงาน" in dialog.error.text()

    modal.click_when_shown("ยกเลิก", fill_duplicate)
    window.add_org_button.click()
    assert len(window.context.document._store.organizations()) == 1

    # Edit: who signs the report; undo puts it back.
    def fill_people(dialog):
        type_text(dialog.preparer_name, "นางสาวสมใจ ใจดี")
        type_text(dialog.preparer_position, "นักวิเคราะห์นโยบายและแผน")

    modal.click_when_shown("บันทึก", fill_people)
    window.edit_org_button.click()
    org = window.context.document._store.organization(window.context.org_uuid)
    assert (org.preparer_name, org.preparer_position) == ("นางสาวสมใจ ใจดี", "นักวิเคราะห์นโยบายและแผน")
    window.undo_action.trigger()
    assert window.context.document._store.organization(org.uuid).preparer_name == ""
    window.undo_action.trigger()  # the organization itself
    assert window.context.document._store.organizations() == []
    assert window.body.currentWidget() is window.no_org_page


def test_empty_name_is_refused(app, qtbot):
    from itadesk.ui.org_dialog import OrgDialog

    dialog = OrgDialog(None, None, [])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error.text() == "⚠ กรุณากรอกชื่อหน่วยงาน"


def test_thai_digits_option_changes_every_number(window, modal):
    window.new_document()
    add_reference_org(window, modal)
    type_year(window, 2568, SCORES_2568)
    window.thai_digits_action.trigger()
    try:
        cells = summary_cells(window)
        assert row_of(cells, "คะแนนรวม")[SummaryModel.CUR] == "๙๐.๔๒"
        assert window.year_combo.currentText().startswith("๒๕๖๘")
        assert window.scores_tab.indicator_model.index(3, SCORE).data() == "๙๑.๑๘"
    finally:
        window.thai_digits_action.trigger()
    assert row_of(summary_cells(window), "คะแนนรวม")[SummaryModel.CUR] == "90.42"


def test_about_names_the_version(window, modal):
    from itadesk import __version__

    modal.click_when_shown("ตกลง")
    window.about_action.trigger()
    assert __version__ in modal.seen[-1]


def test_started_with_a_file_argument_opens_it(app, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "arg.db"
    doc = Document.new()
    doc._store.save_organization(Organization(**ORG))
    doc.save_as(target)
    doc.close()
    from itadesk.ui import app as app_module
    from itadesk.ui.main_window import MainWindow

    windows = []
    monkeypatch.setattr(type(app), "exec", lambda self: 0)
    original_init = MainWindow.__init__

    def remember(self, *a, **k):
        original_init(self, *a, **k)
        windows.append(self)

    monkeypatch.setattr(MainWindow, "__init__", remember)
    assert app_module.run([str(target)]) == 0
    window = windows[0]
    assert window.document is not None and window.document.target == target
    close_quietly(window)


def _file_with(tmp_path, name: str, scores: dict[int, dict[int, float]]):
    doc = Document.new()
    org = doc._store.save_organization(Organization(**ORG))
    for year, values in scores.items():
        uuid = doc._store.ensure_assessment(org.uuid, year)
        for number, value in values.items():
            doc._store.set_indicator_score(uuid, number, value)
    doc.save_as(tmp_path / name)
    doc.close()
    return tmp_path / name


def test_merge_another_offices_file(window, modal, tmp_path, monkeypatch):
    ours = _file_with(tmp_path, "ours.db", {2567: {1: 100}})
    theirs = tmp_path / "theirs.db"
    shutil.copyfile(ours, theirs)
    other = Document.open(theirs)
    org = other._store.organizations()[0]
    uuid = other._store.ensure_assessment(org.uuid, 2568)
    other._store.set_indicator_score(uuid, 10, 75)
    other.save()
    other.close()

    assert window.open_document(ours)
    assert window.context.year == 2567  # the only year with data
    window.select_year(2568)
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "100")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, start="", title="": theirs)
    modal.click_when_shown("ตกลง")
    window.merge_action.trigger()
    assert "theirs.db" in modal.seen[-1] or "รวม" in modal.seen[-1]
    assert window.context.current_assessment().indicators == {1: 100, 10: 75}
    assert window.windowTitle().startswith("ours.db*")
    assert window.context.undo_stack.count() == 0  # a merge is undone by not saving


def test_changed_underneath_can_be_merged_then_saved(window, modal, tmp_path):
    target = _file_with(tmp_path, "stick.db", {2568: {1: 100}})
    assert window.open_document(target)
    type_into_cell(window.scores_tab.indicator_view, 1, SCORE, "93.33")

    elsewhere = tmp_path / "elsewhere.db"
    shutil.copyfile(target, elsewhere)
    other = Document.open(elsewhere)
    org = other._store.organizations()[0]
    other._store.set_indicator_score(other._store.assessment_uuid(org.uuid, 2568), 9, 80)
    other.save()
    other.close()
    os.replace(elsewhere, target)

    modal.click_when_shown("รวมข้อมูล")
    modal.click_when_shown("ตกลง")  # the merge report
    assert window.save()
    assert not window.document.dirty
    with read_snapshot(target) as conn:
        store = Store(conn)
        assert store.load_assessment(store.organizations()[0].uuid, 2568).indicators == {1: 100, 2: 93.33, 9: 80}


def test_restore_a_backup(window, modal, tmp_path, save_path):
    target, _ = save_path
    window.new_document()
    add_reference_org(window, modal)
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "80")
    assert window.save()
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "90")
    assert window.save()
    assert len(window.document.backups()) >= 2

    def pick_older(dialog):
        dialog.list.setCurrentRow(1)

    modal.click_when_shown("กู้คืน", pick_older)   # the list of backups
    modal.click_when_shown("กู้คืน")               # "really?"
    assert window.show_backups()
    assert window.context.current_assessment().indicators == {1: 80}
    assert window.document.dirty  # restored, not yet saved


def test_pdf_export_is_in_the_file_menu(window):
    assert window.export_action in window.file_menu.actions()
    assert window.export_action.shortcut().toString() == "Ctrl+Shift+E"  # Ctrl+P prints
    assert window.office_actions["print"].shortcut().toString() == "Ctrl+P"
    assert not window.export_action.isEnabled()  # nothing open yet


def test_ctrl_s_right_after_typing_saves_the_typed_value(window, modal, save_path):
    target, _ = save_path
    window.new_document()
    add_reference_org(window, modal)
    type_into_cell(window.scores_tab.indicator_view, 3, SCORE, "91.18", finish=None)  # no Enter
    window.save_action.trigger()
    with read_snapshot(target) as conn:
        store = Store(conn)
        assert store.load_assessment(store.organizations()[0].uuid, 2568).indicators == {4: 91.18}
    assert not window.document.dirty


def test_closing_while_typing_asks_about_the_typed_value(window, modal):
    window.new_document()
    add_reference_org(window, modal)
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "120", finish=None)  # invalid, no Enter
    modal.click_when_shown("ยกเลิก")
    assert not window.close()
    assert window.context.current_assessment() is None or window.context.current_assessment().indicators == {}


# -- an edit the file refuses ---------------------------------------------------------------

def test_an_edit_the_read_only_file_refuses_is_reported_and_not_undoable(window, modal):
    window.new_document()
    add_reference_org(window, modal)
    view = window.scores_tab.indicator_view
    type_into_cell(view, 0, SCORE, "91")
    stack = window.context.undo_stack
    count, undo_text = stack.count(), window.undo_action.text()

    # The stick turned read-only under the working copy's feet (or the disk filled up).
    window.document._conn.execute("PRAGMA query_only = ON")
    modal.click_when_shown("ตกลง")
    type_into_cell(view, 1, SCORE, "50")
    assert modal.seen[-1] == MESSAGES["READONLY"]
    assert stack.count() == count and stack.index() == count
    assert window.undo_action.text() == undo_text
    assert view.model().index(1, SCORE).data() == ""
    window.document._conn.execute("PRAGMA query_only = OFF")
    assert window.context.current_assessment().indicators == {1: 91}


def test_refused_organization_and_analysis_edits_leave_no_undo_entry(window, modal, monkeypatch):
    window.new_document()
    add_reference_org(window, modal)
    stack = window.context.undo_stack
    count = stack.count()
    store = window.document._store

    def full(*_args, **_kwargs):
        raise DocumentError("FULL")

    monkeypatch.setattr(store, "save_organization", full)
    renamed = {}

    def rename(dialog):
        dialog.name.clear()
        type_text(dialog.name, "เทศบาลตำบลเชียงพิณ")
        renamed["yes"] = True

    modal.click_when_shown("บันทึก", rename)
    modal.click_when_shown("ตกลง")
    window.edit_org_button.click()
    assert renamed and modal.seen[-1] == MESSAGES["FULL"]
    assert stack.count() == count

    analysis = window.analysis_tab
    window.tabs.setCurrentWidget(analysis)
    monkeypatch.setattr(store, "_set_text", full)  # what the SetTexts operation writes with
    modal.click_when_shown("ตกลง")
    analysis.analysis_edit.setFocus()
    type_text(analysis.analysis_edit, "ข้อความ")
    analysis.analysis_edit.flush()
    assert modal.seen[-1] == MESSAGES["FULL"]
    assert stack.count() == count
    assert [o.name for o in store.organizations()] == [ORG["name"]]


def test_an_undo_the_file_refuses_drops_the_history_it_no_longer_matches(window, modal, qtbot):
    window.new_document()
    add_reference_org(window, modal)
    view = window.scores_tab.indicator_view
    type_into_cell(view, 0, SCORE, "91")
    window.document._conn.execute("PRAGMA query_only = ON")
    modal.click_when_shown("ตกลง")
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: modal.seen[-1] == MESSAGES["READONLY"])
    assert window.context.undo_stack.count() == 0
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    assert view.model().index(0, SCORE).data() == "91.00"
    window.document._conn.execute("PRAGMA query_only = OFF")


def test_a_broken_catalog_file_is_reported_once_at_start(app, qtbot, modal, tmp_path, monkeypatch):
    """An officer dropped a damaged 2569.json in: the window opens, says so, and offers the
    years it can use."""
    from itadesk import resources
    from itadesk.ita import catalog as catalog_module
    from itadesk.ui import app as app_module
    from itadesk.ui.main_window import MainWindow

    real = resources.resources_root()
    root = tmp_path / "resources"
    root.mkdir()
    for entry in real.iterdir():
        if entry.name != "catalogs":
            (root / entry.name).symlink_to(entry)
    shutil.copytree(real / "catalogs", root / "catalogs")
    (root / "catalogs" / "2569.json").write_text('{"format": "itadesk-catalog", "tools": [', encoding="utf-8")
    monkeypatch.setattr(resources, "resources_root", lambda: root)
    catalog_module.clear_cache()

    windows = []
    monkeypatch.setattr(type(app), "exec", lambda self: 0)
    original_init = MainWindow.__init__

    def remember(self, *a, **k):
        original_init(self, *a, **k)
        windows.append(self)

    monkeypatch.setattr(MainWindow, "__init__", remember)
    try:
        details = []
        modal.click_when_shown("ตกลง", lambda box: details.append(box.informativeText()))
        assert app_module.run([]) == 0
        assert len(modal.seen) == 1 and "ไฟล์เกณฑ์การประเมินที่โปรแกรมอ่านไม่ได้" in modal.seen[0]
        assert details[0].startswith("2569.json: อ่านไฟล์เกณฑ์ไม่ได้")
        window = windows[0]
        window.new_document()  # the window works on with the years it can read
        add_reference_org(window, modal)
        years = [window.year_combo.itemData(i) for i in range(window.year_combo.count())]
        assert 2568 in years  # 2569 is still offered, on the latest readable rules (2568's)
        from itadesk.ita.catalog import load_catalog
        assert load_catalog(2569).levels == load_catalog(2568).levels
        close_quietly(window)
    finally:
        catalog_module.clear_cache()


def test_years_after_the_latest_catalog_can_be_entered(window, modal):
    """A new fiscal year's results arrive before a new catalog: the officer can start it."""
    from itadesk.ita.catalog import available_years
    from itadesk.ui.main_window import offered_years

    window.welcome.new_button.click()
    add_reference_org(window, modal)
    years = [window.year_combo.itemData(i) for i in range(window.year_combo.count())]
    assert max(years) >= max(available_years()) + 1
    assert years == sorted(offered_years(), reverse=True)


class _FirstShown(QObject):
    """Notes, when a main window is first shown, whether it already holds the open file."""

    def __init__(self):
        super().__init__()
        self.with_document: list[bool] = []

    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(obj, MainWindow) and not self.with_document:
            self.with_document.append(obj.document is not None and obj.stack.currentIndex() == DOCUMENT_PAGE)
        return False


def test_started_on_a_file_the_window_is_first_shown_with_it_open(app, qtbot, tmp_path, reference_json,
                                                                  monkeypatch):
    """``itadesk FILE`` paints the window once, with the file in it (issue 16): not empty while
    the file opens and then again. (However long opening takes here: the window would otherwise
    be shown SHOW_WHILE_OPENING_MS after the start, the case of the next test.)"""
    from itadesk import cli
    from itadesk.ui import app as app_module

    path = tmp_path / "ITA เชียงพิณ.db"
    assert cli.main(["import", str(path), str(reference_json)]) == 0
    monkeypatch.setattr(app_module, "SHOW_WHILE_OPENING_MS", 600_000)
    shown = _FirstShown()
    app.installEventFilter(shown)
    try:
        window = app_module.open_window([str(path)])
    finally:
        app.removeEventFilter(shown)
    try:
        qtbot.waitUntil(lambda: window.document is not None and window.scores_tab.isVisible())
        assert shown.with_document == [True]
    finally:
        close_quietly(window)


def test_started_on_a_file_that_asks_a_question_the_window_is_shown_meanwhile(app, qtbot, modal, tmp_path,
                                                                               monkeypatch):
    """Opening that takes a while (a slow stick, or here a question: the file is in use on
    another PC) shows the window meanwhile, then the file in it."""
    from itadesk.ui import app as app_module

    target = tmp_path / "shared.db"
    doc = Document.new()
    doc._store.save_organization(Organization(**ORG))  # noqa: SLF001
    doc.save_as(target)
    doc.close()
    other = TargetLock(target)
    other.acquire()  # another program has it open
    monkeypatch.setattr(app_module, "SHOW_WHILE_OPENING_MS", 0)
    shown = _FirstShown()
    app.installEventFilter(shown)
    try:
        modal.click_when_shown("เปิดแบบอ่านอย่างเดียว")
        window = app_module.open_window([str(target)])
    finally:
        app.removeEventFilter(shown)
        other.release()
    try:
        assert "กำลังเปิดใช้งานอยู่" in modal.seen[-1]
        assert shown.with_document == [False]  # shown while the question was asked
        qtbot.waitUntil(lambda: window.document is not None and window.scores_tab.isVisible())
        assert window.document.readonly and window.isVisible()
    finally:
        close_quietly(window)


def test_started_on_a_file_the_window_shows_it_without_building_the_welcome_page(app, qtbot, modal, tmp_path,
                                                                                  reference_json):
    """``itadesk FILE`` (ui/app.open_window): the welcome page would only be painted while the
    file opens, so it is not built; when the file cannot be opened, it is there to go on from."""
    from itadesk import cli
    from itadesk.ui.app import open_window

    path = tmp_path / "ITA เชียงพิณ.db"
    assert cli.main(["import", str(path), str(reference_json)]) == 0
    window = open_window([str(path)])
    try:
        qtbot.waitUntil(lambda: window.document is not None and window.scores_tab.isVisible())
        assert window.stack.currentIndex() == DOCUMENT_PAGE and not window._built("welcome")  # noqa: SLF001
    finally:
        close_quietly(window)

    bad = tmp_path / "ไม่ใช่ไฟล์ข้อมูล.db"
    bad.write_bytes(b"not a database at all " * 100)
    modal.click_when_shown("ตกลง")
    window = open_window([str(bad)])
    try:
        qtbot.waitUntil(lambda: len(modal.seen) == 1 and window.welcome.isVisible())
        assert window.document is None and window.stack.currentIndex() == WELCOME_PAGE
        assert window.welcome.new_button.isVisible()
    finally:
        close_quietly(window)
