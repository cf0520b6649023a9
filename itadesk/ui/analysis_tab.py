"""The analysis tab (การวิเคราะห์ผล, part 1 of the report).

Left: every indicator with last year's and this year's score and the change (from
``itadesk.ita.comparison``), and below it the chosen indicator's items that lost points
(from ``itadesk.ita.findings``). Right, on three pages: the chosen indicator's text
"ข้อบกพร่อง/ข้อแก้ไข/ปรับปรุง/รักษาระดับ", the assessors' recommendations for IIT, EIT and
OIT, and the comparison chart (a whole page, so its twenty values can be read).

Text boxes save themselves (after a pause in typing, or on leaving the box) as one undoable
command each. "ร่างข้อความจากผลคะแนน" writes the draft from ``itadesk.ita.drafting`` and asks
before replacing anything the officer wrote.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractTableModel, QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from itadesk.db.operations import SetTexts
from itadesk.ita.catalog import Catalog
from itadesk.ita.comparison import FALL, RISE, Change, compare
from itadesk.texts import direction_label
from itadesk.ita.drafting import (
    draft_analysis_text, draft_basis, format_score, insert_outcomes, outcome_summary, stale_drafts,
)
from itadesk.ita.findings import DEFAULT_THRESHOLD, findings, lost_items
from itadesk.ita.model import Assessment
from itadesk.ui import thai_format as tf
from itadesk.ui.catalog_editor import install_naming
from itadesk.ui.chart_view import ChartView
from itadesk.ui.context import behind, reading
from itadesk.ui.score_models import apply_scores

log = logging.getLogger(__name__)

ANALYSIS_LABEL = "ข้อบกพร่อง/ข้อแก้ไข/ปรับปรุง/รักษาระดับ"
NO_SELECTION = "เลือกหน่วยงานและปีการประเมินที่หน้า \"ผลคะแนน\" ก่อน แล้วการวิเคราะห์ผลของปีนั้นจะแสดงที่นี่"
CHART_TITLE = "กราฟเปรียบเทียบคะแนนรายตัวชี้วัด"
CHART_TAB = "กราฟเปรียบเทียบ"
CHART_PLACEHOLDER = "กราฟเปรียบเทียบคะแนนรายตัวชี้วัด ปีนี้กับปีก่อน จะแสดงในพื้นที่นี้"
CHART_FAILED = "วาดกราฟไม่สำเร็จ ({error}) ตารางด้านบนยังถูกต้องและเขียนข้อความต่อได้ตามปกติ"
NO_ITEM_SCORES = "ไม่มีคะแนนรายข้อของปีนี้ (กรอกได้ที่หน้าผลคะแนน)"
RECOMMENDATIONS_TAB = "ข้อเสนอแนะจากผู้ประเมิน"
NO_LOST_ITEMS = "ไม่มีข้อที่ต่ำกว่าเกณฑ์หรือได้คะแนนลดลงจากปีก่อน"
SAVE_DELAY_MS = 800
RISE_COLOR, FALL_COLOR, FINDING_COLOR = QColor("#2e7d32"), QColor("#c62828"), QColor("#b3261e")


def change_text(change: Change | None, unit: bool = False) -> str:
    """"+0.71 เพิ่มขึ้น", "−25.00 ลดลง", "คงที่" (with ``unit``: "+0.71 คะแนน (เพิ่มขึ้น)").

    Empty when either year has no score.
    """
    if change is None or change.points is None:
        return ""
    word = direction_label(change.direction, "")
    if change.direction not in (RISE, FALL):
        return word
    if unit:
        return f"{tf.signed(change.points)} คะแนน ({word})"
    return f"{tf.signed(change.points)} {word}"


# Above a drafted text whose figures changed since it was drafted.
STALE_DRAFT = "ข้อความนี้ร่างจากคะแนนเดิม คะแนนเปลี่ยนไปแล้ว:"
OUTCOMES_BUTTON = "แทรกผลการดำเนินการตามแผนปีก่อน"
OUTCOMES_NONE = "แผนปฏิบัติการของปีก่อนในไฟล์นี้ไม่มีมาตรการของตัวชี้วัดนี้"

class AutoSaveTextEdit(QPlainTextEdit):
    """A text box that asks to be saved after a pause in typing or when it loses focus.

    ``load`` replaces the text without counting as an edit; ``dirty`` is True while typed
    text has not been handed to the store yet, so a reload never throws it away.
    """

    commitRequested = Signal()

    def __init__(self, key=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.dirty = False
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self._request)
        self.textChanged.connect(self._typed)
        self.setTabChangesFocus(True)

    def load(self, text: str, key=None) -> None:
        if key is not None:
            self.key = key
        self._timer.stop()
        self.dirty = False
        if text != self.toPlainText():
            self._loading = True
            self.setPlainText(text)
            self._loading = False

    def _typed(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self._timer.start()

    def _request(self) -> None:
        if self.dirty:
            self.commitRequested.emit()

    def flush(self) -> None:
        self._timer.stop()
        self._request()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.flush()

    def event(self, event) -> bool:
        # A shortcut typed here (Ctrl+S, Ctrl+W, Alt+F4 …) must see the words just typed:
        # Qt asks the focus widget first, so save them before the shortcut runs.
        if event.type() == QEvent.Type.ShortcutOverride and event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            self.flush()
        return super().event(event)


class IndicatorComparisonModel(QAbstractTableModel):
    """One row per indicator: tool, last year, this year, change, items below the threshold."""

    HEADERS = ("ตัวชี้วัด", "เครื่องมือ", "ปีก่อน", "ปีนี้", "เปลี่ยนแปลง", "ข้อที่ต่ำกว่าเกณฑ์", "ข้อความ")
    NAME, TOOL, PREVIOUS, CURRENT, CHANGE, WEAK, TEXT = range(7)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.years: tuple[int | None, int | None] = (None, None)

    def set_data(self, current: Assessment | None, previous: Assessment | None, catalog: Catalog | None,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        """Show these assessments; when the rows stay the same indicators of the same years
        (an edit, not another year), the cells are updated in place and the selection kept."""
        rows = []
        years = (previous.fiscal_year if previous else None, current.fiscal_year if current else None)
        if current is not None and catalog is not None:
            changes = compare(current, previous, catalog).indicators
            found = findings(current, catalog, threshold)
            for ind in catalog.indicators:
                rows.append({
                    "number": ind.number,
                    "name": f"{ind.number}. {ind.name}",
                    "title": ind.name,
                    "tool": ind.tool,
                    "previous": previous.indicators.get(ind.number) if previous else None,
                    "current": current.indicators.get(ind.number),
                    "change": changes.get(ind.number),
                    "weak": [f.code for f in found if f.kind == "item" and f.indicator == ind.number],
                    "below": any(f.kind == "indicator" and f.indicator == ind.number for f in found),
                    "text": current.analysis.get(ind.number, ""),
                })
        if rows and years == self.years and [r["number"] for r in rows] == [r["number"] for r in self.rows]:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self.rows, self.years = rows, years
        self.endResetModel()

    def row_of(self, number: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r["number"] == number), -1)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.PREVIOUS and self.years[0]:
            return f"ปี {tf.year(self.years[0])}"
        if section == self.CURRENT and self.years[1]:
            return f"ปี {tf.year(self.years[1])}"
        return self.HEADERS[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return tf.digits(row["name"])
            if column == self.TOOL:
                return row["tool"]
            if column == self.PREVIOUS:
                return tf.score(row["previous"], "-")
            if column == self.CURRENT:
                return tf.score(row["current"], "-")
            if column == self.CHANGE:
                return change_text(row["change"])
            if column == self.WEAK:
                return ", ".join(row["weak"])
            if column == self.TEXT:
                return "มีแล้ว" if row["text"].strip() else "ยังว่าง"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.TEXT and row["text"]:
                return row["text"]
            if column == self.NAME:
                return row["name"]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.PREVIOUS, self.CURRENT, self.CHANGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.CHANGE and row["change"] is not None:
                return {RISE: RISE_COLOR, FALL: FALL_COLOR}.get(row["change"].direction)
            if column == self.CURRENT and row["below"]:
                return FINDING_COLOR
            if column == self.WEAK:
                return FINDING_COLOR
            if column == self.TEXT and not row["text"].strip():
                return QColor("#8a8a8a")
        if role == Qt.ItemDataRole.FontRole and column == self.CURRENT and row["below"]:
            font = QFont()
            font.setBold(True)
            return font
        return None


class AnalysisTab(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self._org_name = ""
        self._chart_stale = False
        self._shown_stale = False  # edits applied to ``current`` while hidden, not yet shown
        self.context = context
        self.catalog: Catalog | None = None
        self.current: Assessment | None = None
        self.previous: Assessment | None = None
        self.current_dialog: QWidget | None = None  # the open question, if any (tests answer it)
        self._number: int | None = None
        self._reloading = False
        self._chart_key = None

        # -- header
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.overall = QLabel()
        self.overall.setWordWrap(True)
        self.draft_button = QPushButton("ร่างข้อความจากผลคะแนน")
        self.draft_button.setToolTip(
            "เขียนร่างข้อความของทุกตัวชี้วัดจากคะแนนและข้อเสนอแนะมาตรฐาน\n"
            "ช่องที่มีข้อความที่เขียนไว้แล้วจะถามก่อนเสมอ"
        )
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.overall)
        top.addLayout(heading, 1)
        top.addWidget(self.draft_button, 0, Qt.AlignmentFlag.AlignTop)

        # -- left: table and chart
        self.model = IndicatorComparisonModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableView::item { padding: 0px 4px; }")
        # Thai marks above and below the line need the font's full line spacing, no more.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().lineSpacing() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(IndicatorComparisonModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)

        # -- left, below the table: the chosen indicator and its items that lost points
        self.indicator_title = QLabel()
        self.indicator_title.setStyleSheet("font-weight: bold;")
        self.indicator_title.setWordWrap(True)
        self.indicator_scores = QLabel()
        self.indicator_scores.setWordWrap(True)
        self.items_label = QLabel("ข้อที่เสียคะแนน: ต่ำกว่าเกณฑ์ (สีแดง) หรือลดลงจากปีก่อน")
        self.items_list = QListWidget()
        install_naming(self.items_list, context, lambda index, _double: index.data(Qt.UserRole))
        self.items_list.setWordWrap(True)
        self.items_list.setAlternatingRowColors(True)
        details = QWidget()
        d = QVBoxLayout(details)
        d.setContentsMargins(0, 6, 0, 0)
        d.addWidget(self.indicator_title)
        d.addWidget(self.indicator_scores)
        d.addWidget(self.items_label)
        d.addWidget(self.items_list, 1)

        left = self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(details)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setChildrenCollapsible(False)

        # -- right, page 1: the chosen indicator's text
        self.analysis_label = QLabel(f"{ANALYSIS_LABEL}:")
        self.analysis_label.setWordWrap(True)
        self.analysis_edit = AutoSaveTextEdit()
        self.analysis_edit.setPlaceholderText(
            "เขียนข้อบกพร่อง แนวทางแก้ไข ปรับปรุง หรือรักษาระดับของตัวชี้วัดนี้ "
            "หรือกด \"ร่างข้อความจากผลคะแนน\" เพื่อเริ่มจากข้อเสนอแนะมาตรฐาน"
        )
        self.analysis_label.setBuddy(self.analysis_edit)
        # Last year's plan, followed up: its outcomes for this indicator into the text (undoable).
        self.outcomes_button = QPushButton(OUTCOMES_BUTTON)
        self.outcomes_button.clicked.connect(self.insert_outcomes)
        self.save_note = QLabel("ข้อความบันทึกลงไฟล์ทำงานเองเมื่อหยุดพิมพ์หรือออกจากช่อง (เลิกทำได้)")
        self.save_note.setStyleSheet("color: #6d6d6d;")
        # A drafted text whose figures changed since: say what changed, offer a new draft.
        self.stale_box = QWidget()
        self.stale_box.setObjectName("staleDraft")
        stale = QHBoxLayout(self.stale_box)
        stale.setContentsMargins(6, 4, 6, 4)
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet("color: #8a4b00;")
        self.redraft_button = QPushButton("ร่างใหม่")
        self.redraft_button.clicked.connect(self.redraft_selected)
        stale.addWidget(self.stale_label, 1)
        stale.addWidget(self.redraft_button, 0, Qt.AlignmentFlag.AlignTop)
        self.stale_box.hide()
        page1 = QWidget()
        p1 = QVBoxLayout(page1)
        label_row = QHBoxLayout()
        label_row.addWidget(self.analysis_label, 1)
        label_row.addWidget(self.outcomes_button, 0, Qt.AlignmentFlag.AlignBottom)
        p1.addLayout(label_row)
        p1.addWidget(self.stale_box)
        p1.addWidget(self.analysis_edit, 1)
        p1.addWidget(self.save_note)

        # -- right, page 2: the assessors' recommendations
        page2 = QWidget()
        p2 = QVBoxLayout(page2)
        intro = QLabel("วางข้อเสนอแนะของผู้ตรวจประเมินจากผลการประเมินของสำนักงาน ป.ป.ช. แยกตามเครื่องมือ")
        intro.setWordWrap(True)
        p2.addWidget(intro)
        # One box per tool of the chosen year's catalog (built by _sync_recommendation_boxes).
        self.recommendation_boxes = QVBoxLayout()
        p2.addLayout(self.recommendation_boxes, 1)
        self.recommendation_edits: dict[str, AutoSaveTextEdit] = {}
        self._recommendation_tools: tuple[tuple[str, str], ...] = ()

        # -- right, page 3: the chart. Ten indicators of two years are twenty bars, each with
        # its value: they need the height of a whole page to be read, not the strip below
        # the table (at 1366x768 that strip was ~250 px and the values ran into each other).
        self.chart_box = QWidget()
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.setContentsMargins(4, 4, 4, 4)
        self.chart = ChartView(self.chart_box, CHART_PLACEHOLDER)
        chart_layout.addWidget(self.chart)

        self.pages = QTabWidget()
        self.pages.addTab(page1, "ตัวชี้วัดที่เลือก")
        self.pages.addTab(page2, RECOMMENDATIONS_TAB)
        self.pages.addTab(self.chart_box, CHART_TAB)
        self.pages.setTabToolTip(2, CHART_TITLE)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self._split_once = False

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.analysis_edit.commitRequested.connect(self._commit_analysis)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.draft_button.clicked.connect(self.draft)
        context.changed.connect(self._on_changed)
        context.selectionChanged.connect(self._selection_changed)
        context.documentChanged.connect(self._forget_indicator)  # read on the changed(EVERYTHING) that follows
        tf.options().changed.connect(self.reload)
        self._reload_due = False
        self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._reload_due:
            self.reload()
        elif self._shown_stale:
            self._show_in_place()
        if self._chart_stale:
            self._update_chart()
        if not self._split_once and self.splitter.width() > 0:
            # the table's names and item codes need the room more than the text box does
            self._split_once = True
            left = int(self.splitter.width() * 0.57)
            self.splitter.setSizes([left, self.splitter.width() - left])
        self._fit_table()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_table()

    def _fit_table(self) -> None:
        """Give the table the height of its ten rows and the chosen indicator everything below."""
        rows = self.model.rowCount()
        if not rows:
            return
        table = self.table
        needed = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(rows)) + 2 * table.frameWidth() + 2
        total = sum(self.left_splitter.sizes())
        if total > needed + 120:
            self.left_splitter.setSizes([needed, total - needed])

    # -- reading ----------------------------------------------------------
    def _has_selection(self) -> bool:
        return self.context.ready

    def _on_changed(self, changes) -> None:
        """An edit of the chosen year is applied from what it reports (typing a word of
        analysis or a score reads nothing back); anything wider is re-read."""
        ctx = self.context
        if not changes.about(ctx.org_uuid, ctx.year) or self._reload_due:
            return  # a tab that is behind reads everything when it is shown
        if not changes.within(ctx.org_uuid, ctx.year) or self.current is None or not self._has_selection():
            self.reload()
            return
        if not (changes.scores or changes.texts):
            return
        apply_scores(self.current, changes)
        for number, text in changes.analyses.items():
            self.current.analysis[number] = text
        for tool, text in changes.recommendations.items():
            self.current.recommendations[tool] = text
        for number, basis in changes.draft_bases.items():
            if basis is None:
                self.current.draft_basis.pop(number, None)
            else:
                self.current.draft_basis[number] = basis
        if not self.isVisible():
            # Typing scores on another tab: the findings, table and texts are refreshed
            # once when this tab is shown, not on every keystroke.
            self._shown_stale = True
            return
        self._show_in_place()

    def _show_in_place(self) -> None:
        self._shown_stale = False
        self._reloading = True
        try:
            self._show()
        finally:
            self._reloading = False

    def _forget_indicator(self) -> None:
        self._number = None

    def _selection_changed(self) -> None:
        self._forget_indicator()
        self.reload()

    @reading
    def reload(self) -> None:
        """Re-read the store; text the officer is still typing is kept, not replaced.
        Behind another tab, only remember to: opening a file or choosing a year then costs
        the window nothing for this tab until it is shown."""
        if behind(self):
            self._reload_due = True
            return
        self._reload_due = False
        self._reloading = True
        try:
            self._reload()
        finally:
            self._reloading = False

    def _reload(self) -> None:
        self._shown_stale = False
        if not self._has_selection():
            self.current = self.previous = self.catalog = None
            self.model.set_data(None, None, None)
            self.title.setText(NO_SELECTION)
            self.overall.setText("")
            self._show_indicator()
            self._load_recommendations()
            self._update_chart()
            self._update_enabled()
            return
        year = self.context.year
        self.catalog = self.context.catalog()
        self.current = self.context.current_assessment() or Assessment(year, org_uuid=self.context.org_uuid)
        self.previous = self.context.previous_assessment()
        org = self.context.document.organization(self.context.org_uuid)
        self._org_name = org.name if org else ""
        self._show()

    def _show(self) -> None:
        """Show ``current`` and ``previous`` as they are in memory (no reading)."""
        year = self.context.year
        self.model.set_data(self.current, self.previous, self.catalog)
        prev_year = f" เทียบกับปี {tf.year(self.previous.fiscal_year)}" if self.previous else " (ไม่มีผลของปีก่อนในไฟล์)"
        self.title.setText(f"ส่วนที่ 1 การวิเคราะห์ผลการประเมิน ITA ปี {tf.year(year)}{prev_year}"
                           + (f" · {self._org_name}" if self._org_name else ""))
        comparison = compare(self.current, self.previous, self.catalog)
        overall = comparison.overall
        parts = [f"คะแนนรวมปี {tf.year(year)}: {tf.score(overall.current, '-')}"]
        if self.previous is not None:
            parts.append(f"ปี {tf.year(self.previous.fiscal_year)}: {tf.score(overall.previous, '-')}")
            if overall.points is not None:
                parts.append(f"เปลี่ยนแปลง {change_text(overall, unit=True)}")
        self.overall.setText(" · ".join(parts))
        if self._number is None or self.model.row_of(self._number) < 0:
            self._number = self._first_interesting()
        row = self.model.row_of(self._number) if self._number is not None else -1
        if row >= 0:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
        self._show_indicator()
        self._load_recommendations()
        self._update_chart()
        self._update_enabled()

    def _first_interesting(self) -> int | None:
        """Open on the first indicator with something to fix, else the first one."""
        for row in self.model.rows:
            if row["weak"] or row["below"]:
                return row["number"]
        return self.model.rows[0]["number"] if self.model.rows else None

    def _update_enabled(self) -> None:
        ok = self._has_selection()
        writable = ok and not self.context.readonly
        self.draft_button.setEnabled(writable and bool(self.current and self.current.indicators))
        self.analysis_edit.setReadOnly(not writable or self._number is None)
        self._show_outcomes(self._number if ok else None)
        for edit in self.recommendation_edits.values():
            edit.setReadOnly(not writable)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reloading or not current.isValid():
            return
        # Choose first: saving what was typed for the indicator being left reloads the table,
        # and the reload must keep the new row selected.
        self._number = self.model.rows[current.row()]["number"]
        self.analysis_edit.flush()
        self._show_indicator()
        self._update_enabled()

    def select_indicator(self, number: int) -> None:
        row = self.model.row_of(number)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _show_indicator(self) -> None:
        number = self._number
        row = self.model.rows[self.model.row_of(number)] if number is not None and self.model.row_of(number) >= 0 else None
        self.items_list.clear()
        if row is None or self.current is None:
            self.indicator_title.setText("")
            self.indicator_scores.setText("")
            self.analysis_label.setText(f"{ANALYSIS_LABEL}:")
            self.analysis_edit.load("", None)
            return
        self.indicator_title.setText(f"ตัวชี้วัดที่ {tf.digits(str(number))} {row['title']} ({row['tool']})")
        self.analysis_label.setText(f"{ANALYSIS_LABEL} ของตัวชี้วัดที่ {tf.digits(str(number))} {row['title']}:")
        parts = []
        if self.previous is not None:
            parts.append(f"ปี {tf.year(self.previous.fiscal_year)}: {tf.score(row['previous'], '-')}")
        parts.append(f"ปี {tf.year(self.current.fiscal_year)}: {tf.score(row['current'], '-')}")
        change = change_text(row["change"], unit=True)
        if change:
            parts.append(f"เปลี่ยนแปลง {change}")
        if row["below"]:
            parts.append(f"ต่ำกว่าเกณฑ์ {format_score(DEFAULT_THRESHOLD)} คะแนน")
        self.indicator_scores.setText(" · ".join(parts))
        self._fill_items(number)
        self._show_stale(number)
        self._show_outcomes(number)
        if not self.analysis_edit.dirty or self.analysis_edit.key != number:
            self.analysis_edit.load(self.current.analysis.get(number, ""), number)

    def _show_stale(self, number: int) -> None:
        changes = stale_drafts(self.current, self.previous, self.catalog).get(number) if self.catalog else None
        self.stale_box.setVisible(bool(changes))
        if changes:
            self.stale_label.setText(STALE_DRAFT + " " + ", ".join(tf.free_text(c) for c in changes))
        self.redraft_button.setEnabled(bool(changes) and not self.context.readonly)

    def _show_outcomes(self, number: int | None) -> None:
        summary = outcome_summary(self.previous, number) if number is not None else None
        self.outcomes_button.setEnabled(summary is not None and not self.context.readonly)
        self.outcomes_button.setToolTip(summary or OUTCOMES_NONE)

    def insert_outcomes(self) -> bool:
        """Last year's plan outcomes for the chosen indicator after its text, as one undoable step."""
        number = self._number
        if self.current is None or number is None or self.context.readonly:
            return False
        summary = outcome_summary(self.previous, number)
        if summary is None:
            return False
        self.flush()
        old = self.current.analysis.get(number, "")
        new = insert_outcomes(old, summary)
        if new == old:
            return False
        ctx = self.context
        return ctx.push(f"แทรกผลการดำเนินการตามแผนในตัวชี้วัดที่ {number}",
                        SetTexts(ctx.org_uuid, ctx.year, analyses={number: new}, before_analyses={number: old}))

    def redraft_selected(self) -> int:
        """ร่างใหม่: the chosen indicator's text drafted again from today's figures (undoable)."""
        if self.current is None or self._number is None:
            return 0
        self.flush()
        drafts = draft_analysis_text(self.current, self.previous, self.catalog)
        if self._number not in drafts:
            return 0
        return self.apply_drafts({self._number: drafts[self._number]}, overwrite=True)

    def _fill_items(self, number: int) -> None:
        """The indicator's items that lost points (``findings.lost_items``: below the limit, or
        lower than last year), worst first; those below the limit in red."""
        catalog, current, previous = self.catalog, self.current, self.previous
        try:
            indicator = catalog.indicator(number) if catalog else None
        except KeyError:
            indicator = None
        if indicator is None:
            return
        if not any(current.item_score(i.code) is not None for i in indicator.items):
            self.items_list.addItem(QListWidgetItem(NO_ITEM_SCORES))
            return
        lost = [x for x in lost_items(current, previous, catalog) if x.indicator == number]
        if not lost:
            self.items_list.addItem(QListWidgetItem(NO_LOST_ITEMS))
            return
        for x in sorted(lost, key=lambda x: x.score):
            # The code as the NACC writes it, in Latin digits, as in the PDF; then its title.
            label = catalog.item_label(x.code)
            text = x.code + tf.free_text(label[len(x.code):])
            text += f": {tf.score(x.score)} คะแนน"
            value = current.items.get(x.code)
            if isinstance(value, dict):
                text += " (" + ", ".join(f"ส่วนที่ {tf.count(p)}: {tf.score(v)}" for p, v in sorted(value.items())) + ")"
            if x.previous is not None:
                text += f" · ปี {tf.year(previous.fiscal_year)}: {tf.score(x.previous)}"
            if x.below_limit:
                text += " · ต่ำกว่าเกณฑ์"
            elif x.dropped:
                text += " · ลดลงจากปีก่อน"
            entry = QListWidgetItem(text)
            entry.setData(Qt.UserRole, x.code)  # double-click or the context menu names the item
            if x.below_limit:
                entry.setForeground(FINDING_COLOR)
            self.items_list.addItem(entry)

    def _sync_recommendation_boxes(self) -> None:
        """One text box per tool of the year's catalog; rebuilt only when the tools change."""
        if self.catalog is None:
            return
        tools = tuple((t.code, t.name) for t in self.catalog.tools)
        if tools == self._recommendation_tools:
            return
        for edit in self.recommendation_edits.values():
            edit.flush()
        while (item := self.recommendation_boxes.takeAt(0)) is not None:
            if item.widget() is not None:
                item.widget().hide()  # gone from the page now, not when deleted on a later turn
                item.widget().deleteLater()
        self.recommendation_edits = {}
        for code, name in tools:
            box = QGroupBox(f"{code} {name}")
            inner = QVBoxLayout(box)
            inner.setContentsMargins(6, 4, 6, 6)
            edit = AutoSaveTextEdit(code)
            edit.setPlaceholderText(f"ข้อเสนอแนะจากผู้ประเมินสำหรับ {code}")
            edit.commitRequested.connect(lambda e=edit: self._commit_recommendation(e))
            inner.addWidget(edit)
            self.recommendation_boxes.addWidget(box, 1)
            # A layout shows a box added to a page already on screen only on a later turn of
            # the event loop; show it now so the page is never seen (or clicked) without it.
            box.show()
            self.recommendation_edits[code] = edit
        self._recommendation_tools = tools
        self.pages.setTabText(1, f"{RECOMMENDATIONS_TAB} ({'/'.join(code for code, _ in tools)})")

    def _load_recommendations(self) -> None:
        self._sync_recommendation_boxes()
        for tool, edit in self.recommendation_edits.items():
            if not edit.dirty:
                edit.load(self.current.recommendations.get(tool, "") if self.current else "", tool)

    def _update_chart(self) -> None:
        """Redraw only when the scores shown change, and only when the tab is on screen:
        drawing takes Matplotlib a few hundred milliseconds, which opening a file or typing
        scores on another tab must not wait for (it is drawn when the tab is shown)."""
        if not self.isVisible():
            self._chart_stale = True
            return
        self._chart_stale = False
        key = None
        if self.current is not None:
            key = (
                self.current.fiscal_year, tuple(sorted(self.current.indicators.items())),
                self.previous.fiscal_year if self.previous else None,
                tuple(sorted(self.previous.indicators.items())) if self.previous else (),
                tf.options().thai_digits,
            )
        if key == self._chart_key and key is not None:
            return
        self._chart_key = key
        self.chart.set_placeholder(CHART_PLACEHOLDER)
        if self.current is None or not self.current.indicators:
            self.chart.set_figure(None)
            return
        from itadesk.report import charts  # Matplotlib: loaded when a chart is first drawn

        try:
            figure = charts.indicator_comparison(
                self.current, self.previous, self.catalog, thai_digits=tf.options().thai_digits
            )
        except Exception as exc:  # noqa: BLE001 - a broken chart must not stop the officer writing
            # A bug in the chart, not in the data: logged with its traceback, and said where
            # the chart would be, so it is seen and reported rather than silently missing.
            log.exception("indicator chart of %s failed", self.current.fiscal_year)
            self.chart.set_placeholder(CHART_FAILED.format(error=f"{type(exc).__name__}: {exc}"))
            self.chart.set_figure(None)
            return
        self.chart.set_figure(figure)

    # -- writing (each save is one undoable command) ----------------------
    def _commit_analysis(self) -> None:
        edit = self.analysis_edit
        number = edit.key
        edit.dirty = False
        if number is None or self.current is None or self.context.readonly:
            return
        new = edit.toPlainText()
        old = self.current.analysis.get(number, "")
        if new == old:
            return
        ctx = self.context
        self.current.analysis[number] = new  # so a second flush before the reload sees it
        if not ctx.push(f"แก้ไขข้อความตัวชี้วัดที่ {number}",
                        SetTexts(ctx.org_uuid, ctx.year, analyses={number: new}, before_analyses={number: old})):
            self.current.analysis[number] = old

    def _commit_recommendation(self, edit: AutoSaveTextEdit) -> None:
        tool = edit.key
        edit.dirty = False
        if self.current is None or self.context.readonly:
            return
        new = edit.toPlainText()
        old = self.current.recommendations.get(tool, "")
        if new == old:
            return
        ctx = self.context
        self.current.recommendations[tool] = new
        if not ctx.push(f"แก้ไขข้อเสนอแนะจากผู้ประเมิน {tool}",
                        SetTexts(ctx.org_uuid, ctx.year, recommendations={tool: new},
                                 before_recommendations={tool: old})):
            self.current.recommendations[tool] = old

    def flush(self) -> None:
        """Save whatever is still being typed (before drafting, switching, closing)."""
        self.analysis_edit.flush()
        for edit in self.recommendation_edits.values():
            edit.flush()

    # -- drafting ---------------------------------------------------------
    def draft(self) -> None:
        if not self.draft_button.isEnabled() or self.current is None:
            return
        self.flush()
        drafts = draft_analysis_text(self.current, self.previous, self.catalog)
        stored = self.current.analysis
        written = [n for n, text in drafts.items() if stored.get(n, "").strip() and stored[n].strip() != text.strip()]
        if not written:
            self.apply_drafts(drafts, overwrite=False)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("ร่างข้อความจากผลคะแนน")
        box.setText(
            f"ตัวชี้วัดที่ {', '.join(map(str, written))} มีข้อความที่เขียนไว้แล้ว และต่างจากร่างที่จะเขียนให้"
        )
        box.setInformativeText("จะแทนที่ข้อความเหล่านั้นด้วยร่างใหม่ หรือร่างเฉพาะตัวชี้วัดที่ยังว่าง? (เลิกทำได้ทั้งสองแบบ)")
        self.fill_empty_button = box.addButton("ร่างเฉพาะช่องที่ว่าง", QMessageBox.ButtonRole.AcceptRole)
        self.replace_all_button = box.addButton("แทนที่ทั้งหมด", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("ยกเลิก", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.fill_empty_button)
        self.current_dialog = box

        def answered(_code: int) -> None:
            self.current_dialog = None
            clicked = box.clickedButton()
            if clicked is self.fill_empty_button:
                self.apply_drafts(drafts, overwrite=False)
            elif clicked is self.replace_all_button:
                self.apply_drafts(drafts, overwrite=True)

        box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def apply_drafts(self, drafts: dict[int, str], overwrite: bool) -> int:
        """Write the drafts as one undoable step; text the officer wrote stays unless ``overwrite``."""
        stored = dict(self.current.analysis)
        changes = {
            n: (stored.get(n, ""), text)
            for n, text in drafts.items()
            if stored.get(n, "") != text and (overwrite or not stored.get(n, "").strip())
        }
        if not changes:
            return 0
        ctx = self.context
        new = {n: pair[1] for n, pair in changes.items()}
        old = {n: pair[0] for n, pair in changes.items()}
        # Remember the figures each draft says, so a later correction shows it is out of date.
        new_bases = {n: draft_basis(self.current, self.previous, self.catalog, n) for n in changes}
        old_bases = {n: self.current.draft_basis.get(n) for n in changes}
        done = ctx.push(f"ร่างข้อความการวิเคราะห์ ({len(changes)} ตัวชี้วัด)",
                        SetTexts(ctx.org_uuid, ctx.year, analyses=new, before_analyses=old,
                                 draft_bases=new_bases, before_draft_bases=old_bases))
        return len(changes) if done else 0
