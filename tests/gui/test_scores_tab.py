"""The scores tab: items from the year's catalog, paste from Excel, delete, the summary and
the warnings; and the screenshots of the welcome page and the tab with the reference data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from conftest import (  # tests/gui/conftest.py
    close_quietly, fail_on_call, import_reference, press, reference_file, screenshot_dir, settle, type_text,
)
from itadesk.db.errors import MESSAGES
from itadesk.db.document import Document
from itadesk.ita.model import Organization
from itadesk.ui.score_models import IndicatorScoresModel, SummaryModel

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise"),
]

SCORE = IndicatorScoresModel.SCORE_COLUMN
ORG = Organization(name="องค์การบริหารส่วนตำบลเชียงพิณ", kind="อบต.", district="เมืองอุดรธานี", province="อุดรธานี")
EXCEL_2567 = "100\r\n93.33\r\n100\r\n97.78\r\n100\r\n99.56\r\n99.89\r\n98.89\r\n79.29\r\n100\r\n"


@pytest.fixture
def opened(window, tmp_path):
    """The window with a saved file holding the reference organization (and no scores)."""
    doc = Document.new()
    doc._store.save_organization(Organization(**vars(ORG)))
    doc.save_as(tmp_path / "ITA เชียงพิณ.db")
    doc.close()
    assert window.open_document(tmp_path / "ITA เชียงพิณ.db")
    return window


def choose_year(window, year: int) -> None:
    index = window.year_combo.findData(year)
    window.year_combo.setCurrentIndex(index)
    window.year_combo.activated.emit(index)


def paste(view, text: str, row: int, column: int) -> None:
    QGuiApplication.clipboard().setText(text)
    view.setCurrentIndex(view.model().index(row, column))
    press(view, Qt.Key_V, Qt.ControlModifier)


def type_into(view, row: int, text: str) -> None:
    index = view.model().index(row, SCORE)
    view.setCurrentIndex(index)
    type_text(view, text[0])
    type_text(view.indexWidget(index), text[1:])
    press(view.indexWidget(index), Qt.Key_Return)


def indicators(window) -> dict[int, float]:
    assessment = window.context.current_assessment()
    return assessment.indicators if assessment else {}


def test_items_follow_the_chosen_indicator_and_the_year(opened):
    tab = opened.scores_tab
    assert opened.context.year == 2568
    tab.indicator_view.setCurrentIndex(tab.indicator_model.index(6, SCORE))  # indicator 7 (EIT)
    model = tab.item_model
    assert model.tool == "EIT"
    assert model.HEADERS[3:] == ("ส่วนที่ 1", "ส่วนที่ 2", "เฉลี่ย")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [f"e{n}" for n in range(1, 10)]
    assert tab.items_view.currentIndex().row() == 3  # e4, the first item of indicator 7
    assert tab.items_title.text() == "คะแนนรายข้อ EIT (ข้อ e)"

    tab.indicator_view.setCurrentIndex(tab.indicator_model.index(9, SCORE))  # indicator 10 (OIT)
    assert model.tool == "OIT" and model.HEADERS[3:] == ("คะแนน",)
    assert model.rowCount() == 28
    o23 = next(r for r in range(28) if model.index(r, 0).data() == "o23")
    assert model.index(o23, 1).data() == "10.1"  # the sub-indicator
    assert model.index(o23, 2).data().startswith("การประเมินความเสี่ยง")

    choose_year(opened, 2567)  # a catalog with indicators only
    assert model.rowCount() == 0
    assert tab.items_empty.isVisible() and not tab.items_view.isVisible()


def test_typing_eit_part_scores(opened):
    tab = opened.scores_tab
    tab.indicator_view.setCurrentIndex(tab.indicator_model.index(6, SCORE))
    view = tab.items_view
    for column, text in ((3, "99.61"), (4, "100")):
        index = view.model().index(3, column)
        view.setCurrentIndex(index)
        type_text(view, text[0])
        type_text(view.indexWidget(index), text[1:])
        press(view.indexWidget(index), Qt.Key_Return)
    assert opened.context.current_assessment().items == {"e4": {1: 99.61, 2: 100.0}}
    assert view.model().index(3, 5).data() == "99.81"  # the mean, from Assessment.item_score
    assert not (view.model().flags(view.model().index(3, 5)) & Qt.ItemIsEditable)


def test_paste_a_column_from_excel_fills_downwards_in_one_undo_step(opened):
    view = opened.scores_tab.indicator_view
    choose_year(opened, 2567)
    paste(view, EXCEL_2567, 0, SCORE)
    assert indicators(opened) == {1: 100, 2: 93.33, 3: 100, 4: 97.78, 5: 100, 6: 99.56, 7: 99.89,
                                  8: 98.89, 9: 79.29, 10: 100}
    assert opened.undo_action.text() == "เลิกทำ วางคะแนน 10 ช่อง"
    opened.undo_action.trigger()
    assert opened.context.current_assessment() is None  # the year the paste created is gone again
    assert opened.year_combo.currentText() == "2567"  # no "(มีข้อมูล)"
    opened.redo_action.trigger()
    assert len(indicators(opened)) == 10


def test_a_paste_the_file_refuses_halfway_stores_nothing(opened, modal, monkeypatch):
    """The stick fills up at the third cell: all ten cells are one transaction, so none is kept."""
    view = opened.scores_tab.indicator_view
    type_into(view, 0, "50")
    store = opened.document._store
    fail_on_call(monkeypatch, store, "_set_indicator_score", 3)
    modal.click_when_shown("ตกลง")
    paste(view, EXCEL_2567, 0, SCORE)
    assert modal.seen[-1] == MESSAGES["FULL"]
    assert indicators(opened) == {1: 50}
    assert opened.context.undo_stack.count() == 1


def test_a_paste_with_one_bad_number_stores_nothing(opened):
    tab = opened.scores_tab
    paste(tab.indicator_view, "100\n120\n99", 0, SCORE)
    assert indicators(opened) == {}
    assert "แถวที่ 2" in tab.message.text() and "0 ถึง 100" in tab.message.text()
    paste(tab.indicator_view, "100\n99\n98", 8, SCORE)  # 3 rows from row 9: one too many
    assert indicators(opened) == {}
    assert "ยาวเกินตาราง" in tab.message.text()
    paste(tab.indicator_view, "ตัวชี้วัด\tคะแนน\n1\t100", 0, SCORE)  # a header row copied along
    assert indicators(opened) == {}


def test_paste_two_columns_into_eit_parts(opened):
    tab = opened.scores_tab
    tab.indicator_view.setCurrentIndex(tab.indicator_model.index(5, SCORE))
    rows = "\n".join("99.61\t100" for _ in range(9))
    paste(tab.items_view, rows, 0, 3)
    items = opened.context.current_assessment().items
    assert items == {f"e{n}": {1: 99.61, 2: 100.0} for n in range(1, 10)}
    cells = {spec.label: [tab.summary_model.index(r, c).data() for c in range(7)]
             for r, spec in enumerate(tab.summary_model.rows) if spec.kind == "part"}
    assert cells["EIT ส่วนที่ 1"][SummaryModel.CUR] == "99.61"
    assert cells["EIT ส่วนที่ 2"][SummaryModel.CUR] == "100.00"


def test_one_value_fills_every_selected_cell_and_delete_clears(opened):
    view = opened.scores_tab.indicator_view
    model = view.model()
    view.selectionModel().setCurrentIndex(model.index(0, SCORE), QItemSelectionModel.ClearAndSelect)
    for row in range(1, 5):
        view.selectionModel().select(model.index(row, SCORE), QItemSelectionModel.Select)
    QGuiApplication.clipboard().setText("100")
    press(view, Qt.Key_V, Qt.ControlModifier)
    assert indicators(opened) == {1: 100, 2: 100, 3: 100, 4: 100, 5: 100}

    view.clearSelection()
    view.setCurrentIndex(model.index(1, SCORE))
    press(view, Qt.Key_Delete)
    assert indicators(opened) == {1: 100, 3: 100, 4: 100, 5: 100}
    assert model.index(1, SCORE).data() == ""


def test_copy_gives_excel_a_column(opened):
    view = opened.scores_tab.indicator_view
    paste(view, "91.18\n100", 3, SCORE)
    view.selectionModel().setCurrentIndex(view.model().index(3, SCORE), QItemSelectionModel.ClearAndSelect)
    view.selectionModel().select(view.model().index(4, SCORE), QItemSelectionModel.Select)
    press(view, Qt.Key_C, Qt.ControlModifier)
    assert QGuiApplication.clipboard().text() == "91.18\n100.00"


def test_reference_data_shows_its_own_copying_slips(window, tmp_path, reference_json):
    window.open_document(reference_file(tmp_path / "ref.db", reference_json))
    lines = [window.scores_tab.warnings_list.item(i).text()
             for i in range(window.scores_tab.warnings_list.count())]
    # The report copied i4–i9 from other indicators: the program points at it, changes nothing.
    assert any("i4–i6" in line and "ตัวชี้วัดที่ 2" in line for line in lines)
    assert any("i7–i9" in line for line in lines)
    assert indicators(window)[2] == 100


def test_an_unconfirmed_level_is_marked(opened):
    paste(opened.scores_tab.indicator_view, "\n".join(["100"] * 10), 0, SCORE)
    model = opened.scores_tab.summary_model
    level_row = next(r for r, spec in enumerate(model.rows) if spec.kind == "level")
    assert model.index(level_row, SummaryModel.CUR).data() == "ผ่านดีเยี่ยม*"
    lines = [opened.scores_tab.warnings_list.item(i).text() for i in range(opened.scores_tab.warnings_list.count())]
    assert any("ยังไม่ได้รับการยืนยัน" in line for line in lines)


# -- screenshots -------------------------------------------------------------------------

def test_screenshot_welcome(app, qtbot, tmp_path, reference_json):
    """docs/screenshots/welcome.png: recent files (one on a stick that is not plugged in) and
    the offer to take back unsaved work."""
    from itadesk.ui.main_window import MainWindow

    stick = tmp_path / "ITA"
    stick.mkdir()
    for name in ("ITA เชียงพิณ 2568.db", "ITA อำเภอเมืองอุดรธานี.db"):
        reference_file(stick / name, reference_json)
    crashed = Document.new()
    import_reference(crashed._store, reference_json)
    crashed.close()  # left behind with unsaved edits, as after a power cut

    window = MainWindow()
    try:
        window.add_recent(Path("E:/ITA/ITA เชียงพิณ 2567.db"))  # a stick that is not plugged in
        window.add_recent(stick / "ITA อำเภอเมืองอุดรธานี.db")
        window.add_recent(stick / "ITA เชียงพิณ 2568.db")
        window._set_page()  # noqa: SLF001 - the welcome page as first shown
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        settle(window)
        assert window.welcome.recovery_box.isVisible()
        assert window.welcome.recent_list.count() == 3
        image = window.grab()
        assert (image.width(), image.height()) == (1366, 768)
        assert image.save(str(screenshot_dir(tmp_path) / "welcome.png"))
    finally:
        close_quietly(window)


def test_screenshot_scores(window, tmp_path, reference_json):
    """docs/screenshots/scores.png: the reference data, 2568 against 2567, EIT items shown."""
    window.open_document(reference_file(tmp_path / "ITA เชียงพิณ.db", reference_json))
    tab = window.scores_tab
    tab.indicator_view.selectionModel().setCurrentIndex(
        tab.indicator_model.index(6, SCORE), QItemSelectionModel.ClearAndSelect)
    settle(window)
    # Nothing cut off: the whole summary is visible without scrolling.
    view = tab.summary_view
    assert view.verticalScrollBar().maximum() == 0
    assert view.horizontalScrollBar().maximum() == 0
    assert tab.indicator_view.verticalScrollBar().maximum() == 0
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(screenshot_dir(tmp_path) / "scores.png"))

    # The other two tabs inside the same window, as an officer sees them.
    for index, name in ((1, "window-analysis.png"), (2, "window-plan.png")):
        window.tabs.setCurrentIndex(index)
        settle(window)
        assert window.grab().save(str(screenshot_dir(tmp_path) / name))
    window.tabs.setCurrentWidget(window.analysis_tab)
    window.analysis_tab.pages.setCurrentWidget(window.analysis_tab.chart_box)
    settle(window)
    assert window.grab().save(str(screenshot_dir(tmp_path) / "window-analysis-chart.png"))


def test_cells_are_painted_with_their_colours(window, tmp_path, reference_json):
    """What the models say about a cell's colours reaches the painted table (they answer all
    of a cell's roles in one call, ``multiData``): the editable score cells, the overall and
    level rows' shade, the red of a fall. Read from the pixels of the grabbed tables."""
    from itadesk.ui.score_models import EDITABLE_BG, FALL_FG, TOTAL_BG

    window.open_document(reference_file(tmp_path / "ITA เชียงพิณ.db", reference_json))
    settle(window)
    tab = window.scores_tab

    def pixels(view, row: int, column: int):
        rect = view.visualRect(view.model().index(row, column))
        image = view.viewport().grab(rect).toImage()
        return {image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())}

    # an editable score cell (not the current one, which is painted as selected)
    assert EDITABLE_BG.name() in pixels(tab.indicator_view, 1, SCORE)
    summary = tab.summary_model
    overall = next(r for r, row in enumerate(summary.rows) if row.kind == "overall")
    assert TOTAL_BG.name() in pixels(tab.summary_view, overall, SummaryModel.CUR)
    fall = next(r for r, row in enumerate(summary.rows) if row.kind == "indicator" and row.direction == "fall")
    assert FALL_FG.name() in pixels(tab.summary_view, fall, SummaryModel.DIRECTION)


def test_everything_fits_a_maximized_window_on_a_1366x768_screen(window, tmp_path, reference_json):
    """With the taskbar and title bar, a maximized window on such a screen is about 1366×690."""
    window.open_document(reference_file(tmp_path / "ITA เชียงพิณ.db", reference_json))
    window.resize(1366, 690)
    settle(window)
    assert window.height() == 690  # the layout's minimum did not push the window taller
    tab = window.scores_tab
    assert tab.summary_view.verticalScrollBar().maximum() == 0
    summary_bottom = tab.summary_view.mapTo(window, tab.summary_view.rect().bottomLeft()).y()
    assert summary_bottom < window.statusBar().mapTo(window, window.statusBar().rect().topLeft()).y()


@pytest.mark.parametrize("height", [768, 690])
def test_the_indicator_chart_is_readable_in_a_1366_wide_window(window, tmp_path, reference_json, height):
    """Twenty bars with their values: no value runs into another, none is cut off."""
    window.open_document(reference_file(tmp_path / "ITA เชียงพิณ.db", reference_json))
    window.resize(1366, height)
    window.tabs.setCurrentWidget(window.analysis_tab)
    window.analysis_tab.pages.setCurrentWidget(window.analysis_tab.chart_box)
    settle(window)
    view = window.analysis_tab.chart
    figure = view.figure
    assert view.canvas.isVisible() and view.canvas.height() >= 400
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    values = [t for t in figure.axes[0].texts if t.get_text().replace(".", "").isdigit()]
    assert len(values) == 20
    boxes = [t.get_window_extent(renderer) for t in values]
    crowded = [(values[i].get_text(), values[j].get_text())
               for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]
    assert crowded == []
    width, tall = figure.canvas.get_width_height()
    assert all(0 <= b.x0 and b.x1 <= width and 0 <= b.y0 and b.y1 <= tall for b in boxes)
