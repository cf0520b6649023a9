"""How an edit travels: a typed score is one operation, and the views take what it changed
from the change it reports, without reading the file again or resetting a table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from conftest import press, type_text  # tests/gui/conftest.py
from itadesk.db.document import Document
from itadesk.ita.model import Organization
from itadesk.ui.score_models import IndicatorScoresModel
from test_main_window import type_into_cell

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise"),
]

SCORE = IndicatorScoresModel.SCORE_COLUMN
SCORES = ["91.18", "88.50", "65", "97.78", "100", "99.56", "99.89", "98.89", "79.29", "100"]


@pytest.fixture
def opened(window, tmp_path):
    doc = Document.new()
    doc._store.save_organization(Organization(name="องค์การบริหารส่วนตำบลเชียงพิณ", kind="อบต."))
    doc.save_as(tmp_path / "ITA เชียงพิณ.db")
    doc.close()
    assert window.open_document(tmp_path / "ITA เชียงพิณ.db")
    return window


def test_typing_ten_scores_in_a_row_reloads_nothing(opened, qtbot):
    window = opened
    tab = window.scores_tab
    models = [m for m in window.findChildren(QAbstractItemModel) if type(m).__module__.startswith("itadesk.")]
    models += [tab.indicator_model, tab.item_model, tab.summary_model, window.analysis_tab.model,
               window.plan_tab.model]
    models = list({id(m): m for m in models}.values())
    resets, tools = [], []
    for model in models:
        model.modelReset.connect(lambda m=model: resets.append(type(m).__name__))
    # the items table follows the chosen indicator's tool: moving down from IIT to EIT to
    # OIT shows other rows, which is navigation, not a reload
    tab.item_model.modelReset.connect(lambda: tools.append(tab.item_model.tool))
    loads = tab.source.full_loads
    analysis_before = [dict(r) for r in window.analysis_tab.model.rows]
    statements: list[str] = []
    window.document._conn.set_trace_callback(statements.append)  # noqa: SLF001 - watching the file
    per_score = []
    try:
        for row, text in enumerate(SCORES):
            before = len(statements)
            type_into_cell(tab.indicator_view, row, SCORE, text)
            per_score.append(statements[before:])
    finally:
        window.document._conn.set_trace_callback(None)  # noqa: SLF001
    item_resets = [r for r in resets if r == "ItemScoresModel"]
    assert [r for r in resets if r != "ItemScoresModel"] == []
    assert len(item_resets) == len(tools) and len(set(tools)) == len(tools) <= 2, tools
    assert tab.source.full_loads == loads
    # the whole path of a keystroke, views included, stays within the operation's statements;
    # only the first score, which brings the year into the file, also has the year list
    # re-read (it marks the year "มีข้อมูล")
    first, rest = per_score[0], per_score[1:]
    assert first[4] == "COMMIT" and all(q.startswith("SELECT") for q in first[5:]) and len(first) <= 7, first
    assert all(len(s) <= 5 for s in rest), [s[5:] for s in rest if len(s) > 5]
    assert not any("FROM item_scores" in q or "FROM indicator_scores" in q for s in per_score for q in s)
    # and what the views show is what the file holds
    shown = [tab.indicator_model.index(r, SCORE).data() for r in range(10)]
    assert shown == [f"{float(t):.2f}" for t in SCORES]
    org = window.document.organizations()[0]
    stored = window.document.load_assessment(org.uuid, window.context.year).indicators
    assert sorted(stored.values()) == sorted(float(t) for t in SCORES)
    # the analysis tab, hidden while the scores were typed, worked out nothing per keystroke
    # and shows them all once it is opened
    analysis = window.analysis_tab
    assert not analysis.isVisible() and analysis.model.rows == analysis_before
    window.tabs.setCurrentWidget(analysis)
    assert analysis.model.rows[0]["current"] == stored[analysis.model.rows[0]["number"]]
    assert [r["current"] for r in analysis.model.rows] == [stored.get(r["number"]) for r in analysis.model.rows]


def test_a_typed_score_repaints_only_the_rows_it_moves(opened):
    """One score changes its own row of each table and, in the summary, the rows figured from
    it (its tool, the overall, the level): the views repaint those rows, not every cell."""
    window = opened
    tab = window.scores_tab
    for row, text in enumerate(SCORES[:9]):
        type_into_cell(tab.indicator_view, row, SCORE, text)
    summary = tab.summary_model
    before = list(summary.rows)
    changed = {"indicators": [], "summary": [], "headers": []}

    def spans(name):
        return lambda top, bottom, *_: changed[name].append((top.row(), bottom.row(), top.column(), bottom.column()))

    tab.indicator_model.dataChanged.connect(spans("indicators"))
    summary.dataChanged.connect(spans("summary"))
    summary.headerDataChanged.connect(lambda *_: changed["headers"].append(1))
    type_into_cell(tab.indicator_view, 9, SCORE, SCORES[9])
    moved = [r for r, (old, new) in enumerate(zip(before, summary.rows)) if old != new]
    assert changed["indicators"] == [(9, 9, 0, SCORE)]
    assert sorted(top for top, bottom, _l, _r in changed["summary"]) == moved
    assert all(top == bottom for top, bottom, _l, _r in changed["summary"])
    assert 2 <= len(moved) < len(summary.rows) // 2, (moved, len(summary.rows))
    assert changed["headers"] == []
    # and the repainted rows show the new figures
    row = next(r for r, spec in enumerate(summary.rows) if spec.kind == "indicator" and spec.number == 10)
    assert summary.index(row, summary.CUR).data() == "100.00"


def test_typing_a_score_repaints_the_cells_it_changes_not_the_whole_table(opened, qtbot):
    """Opening a cell's editor takes the table's focus and closing it gives it back, and Qt
    repaints a whole table when its focus changes: the table repaints only the cells under
    the editor, the cursor's old and new cells and the row of the new score."""
    window = opened
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.scores_tab.indicator_view
    type_into_cell(view, 0, SCORE, SCORES[0])
    qtbot.waitUntil(lambda: view.model().index(0, SCORE).data() == SCORES[0] and view.hasFocus())
    areas = []

    class Paints(QObject):
        def eventFilter(self, _obj, event):
            if event.type() == QEvent.Type.Paint:
                areas.append(sum(r.width() * r.height() for r in event.region()))
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)
    type_into_cell(view, 1, SCORE, SCORES[1])
    qtbot.waitUntil(lambda: view.model().index(1, SCORE).data() == SCORES[1] and view.hasFocus() and bool(areas))
    for _ in range(3):  # any repaint still asked for is done now
        QApplication.processEvents()
    whole = view.viewport().width() * view.viewport().height()
    assert areas and max(areas) < whole // 3, (areas, whole)


def test_the_overall_change_line_wraps_and_shows_all_of_its_text(qtbot):
    """The summary's change sentence sits in a SteadyLabel (its new text does not re-lay out
    the window): it still wraps to as many lines as its width needs, and nothing is cut."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from itadesk.ui.scores_tab import SteadyLabel

    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    line = SteadyLabel()
    layout.addWidget(line)
    layout.addStretch(1)
    box.resize(700, 200)
    box.show()
    qtbot.waitExposed(box)
    line.setText("คะแนนรวมลดลง 5.86 คะแนน คิดเป็นการลดลงร้อยละ 6.89 เมื่อเทียบกับคะแนนรวมของปี พ.ศ. 2567")
    qtbot.waitUntil(lambda: line.height() == line.label.heightForWidth(line.width()))
    one_line = line.height()
    box.resize(220, 300)
    qtbot.waitUntil(lambda: line.height() > 2 * one_line)
    assert line.height() == line.label.heightForWidth(line.width()) and line.label.geometry() == line.rect()
    line.setText("")
    assert line.height() == 0


def test_a_number_still_being_typed_is_not_called_wrong_until_enter(opened):
    """ "80." on the way to "80.05" shows no error; Enter on "80." is refused as before."""
    window = opened
    tab = window.scores_tab
    view = tab.indicator_view
    editor = type_into_cell(view, 0, SCORE, "80.", finish=None)
    assert not tab.message.isVisible() and editor.styleSheet() == "" and not editor.toolTip()
    press(editor, Qt.Key_Return)
    assert view.indexWidget(view.model().index(0, SCORE)) is editor  # not stored
    assert tab.message.isVisible() and "ตัวเลข" in tab.message.text()
    type_text(editor, "5")
    press(editor, Qt.Key_Return)
    assert not tab.message.isVisible()
    assert window.context.current_assessment().indicators == {1: 80.5}


def test_undo_and_redo_are_operations_that_refresh_in_place(opened):
    window = opened
    tab = window.scores_tab
    type_into_cell(tab.indicator_view, 0, SCORE, "91.18")
    type_into_cell(tab.indicator_view, 1, SCORE, "80")
    stack = window.context.undo_stack
    assert stack.count() == 2
    assert type(stack.command(0).operation).__name__ == "SetScores"
    resets = []
    tab.indicator_model.modelReset.connect(lambda: resets.append(1))
    loads = tab.source.full_loads
    window.undo_action.trigger()
    assert tab.indicator_model.index(1, SCORE).data() in ("", "-", None) or \
        tab.indicator_model.index(1, SCORE).data() != "80.00"
    window.undo_action.trigger()  # the first score of the year: the year goes away again
    org = window.document.organizations()[0]
    assert window.document.years(org.uuid) == []
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert tab.indicator_model.index(0, SCORE).data() == "91.18"
    assert tab.indicator_model.index(1, SCORE).data() == "80.00"
    assert resets == [] and tab.source.full_loads == loads


def test_a_word_of_analysis_does_not_reload_the_tab(opened, qtbot):
    window = opened
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "91.18")
    analysis = window.analysis_tab
    window.tabs.setCurrentWidget(analysis)
    resets = []
    analysis.model.modelReset.connect(lambda: resets.append(1))
    loads = window.scores_tab.source.full_loads
    statements: list[str] = []
    window.document._conn.set_trace_callback(statements.append)  # noqa: SLF001
    try:
        analysis.analysis_edit.setFocus()
        type_text(analysis.analysis_edit, "ข้อมูลบนเว็บไซต์")
        analysis.analysis_edit.flush()
    finally:
        window.document._conn.set_trace_callback(None)  # noqa: SLF001
    assert resets == [] and window.scores_tab.source.full_loads == loads
    assert not any(q.startswith("SELECT") and "analyses" in q for q in statements), statements
    org = window.document.organizations()[0]
    number = analysis.analysis_edit.key
    assert window.document.load_assessment(org.uuid, window.context.year).analysis == {number: "ข้อมูลบนเว็บไซต์"}


def test_a_file_that_cannot_be_read_is_said_once_in_thai(opened, modal, qtbot):
    """The working copy goes bad under the window (a failing disk): the views' reads give the
    known Thai message in one dialog, not a crash report per view."""
    import os

    from itadesk.db.errors import MESSAGES

    window = opened
    type_into_cell(window.scores_tab.indicator_view, 0, SCORE, "91.18")
    for suffix in ("", "-wal", "-shm"):  # WAL mode: the bad disk takes the -wal and -shm too
        path = f"{window.document.working_copy}{suffix}"
        if os.path.exists(path):
            with open(path, "r+b") as f:
                f.write(b"\0" * min(8192, os.path.getsize(path)))
                f.flush()
                os.fsync(f.fileno())
    modal.click_when_shown("ตกลง")
    window.context.changed_outside_undo()  # every view re-reads
    qtbot.waitUntil(lambda: len(modal.seen) == 1)
    assert modal.seen[0] in (MESSAGES["NOTADB"], MESSAGES["CORRUPT"])
    qtbot.wait(50)
    assert len(modal.seen) == 1
    window.context.undo_stack.setClean()


def test_tabs_behind_the_scores_read_the_file_when_they_are_shown(window, tmp_path, reference_json):
    """Opening a file costs the window only what it shows: the analysis and plan tabs read
    the year when the officer turns to them, and then show all of it."""
    from itadesk import cli

    path = tmp_path / "ITA เชียงพิณ.db"
    assert cli.main(["import", str(path), str(reference_json)]) == 0
    assert window.open_document(path)
    assert window.tabs.currentWidget() is window.scores_tab
    assert window.analysis_tab.model.rows == [] and window.plan_tab.model.rowCount() == 0
    window.tabs.setCurrentWidget(window.analysis_tab)
    assert len(window.analysis_tab.model.rows) == 10
    window.tabs.setCurrentWidget(window.plan_tab)
    org = window.document.organizations()[0]
    stored = window.document.load_assessment(org.uuid, window.context.year).actions
    assert window.plan_tab.model.rowCount() == len(stored) > 0
