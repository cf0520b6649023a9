"""The ผลคะแนน tab: type the NACC's scores, see the computed summary and what to check.

Left: the ten indicators and the items of the chosen indicator's tool, editable. Right:
the summary shaped like the reference report's first table and the consistency warnings.
Typing is checked key by key; the message stands under the tables, beside the cell.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from itadesk.ui import thai_format as tf
from itadesk.ui.catalog_editor import install_naming
from itadesk.ui.score_models import (
    AssessmentSource,
    IndicatorScoresModel,
    ItemScoresModel,
    ScoreTableModel,
    SummaryModel,
)

INVALID_STYLE = "QLineEdit { border: 2px solid #b3261e; background: #fdecea; }"


class ScoreDelegate(QStyledItemDelegate):
    """A line editor that checks each keystroke and will not let Enter or Tab store a bad value."""

    message = Signal(str)  # "" when the text is fine

    def __init__(self, parent=None):
        super().__init__(parent)
        # Escape gives up the edit: the refused value and its message go with it.
        self.closeEditor.connect(self._editor_closed)

    def _editor_closed(self, _editor, hint) -> None:
        if hint == QAbstractItemDelegate.RevertModelCache:
            QToolTip.hideText()
            self.message.emit("")

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        editor.setFrame(False)
        persistent = QPersistentModelIndex(index)
        editor._score_index = persistent  # noqa: SLF001 - read back in eventFilter
        editor.textEdited.connect(lambda text, e=editor, i=persistent: self._check(e, i, text, typing=True))
        return editor

    def setEditorData(self, editor, index):
        # Qt calls this again whenever the model refreshes; once the officer has typed into
        # the editor, a refresh (another cell's write arriving late) must not wipe the keys.
        if editor.isModified():
            return
        editor.setText(index.data(Qt.EditRole) or "")
        editor.selectAll()

    def setModelData(self, editor, model, index):
        model.setData(index, editor.text(), Qt.EditRole)

    def _check(self, editor: QLineEdit, index: QPersistentModelIndex, text: str, typing: bool = False) -> str | None:
        model = index.model()
        problem = model.check_text(index, text) if isinstance(model, ScoreTableModel) else None
        if problem and typing and text.strip().endswith(".") and model.check_text(index, text.strip() + "0") is None:
            # "80." on the way to "80.05" is not wrong yet: no red flash, no message coming
            # and going (each re-lays out the window); Enter on it is still refused.
            problem = None
        style = INVALID_STYLE if problem else ""
        if editor.styleSheet() != style:  # setting a style sheet re-polishes and repaints
            editor.setStyleSheet(style)
        editor.setToolTip(problem or "")
        if problem and editor.isVisible():
            QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), problem, editor)
        elif not problem and QToolTip.isVisible():
            QToolTip.hideText()
        self.message.emit(problem or "")
        return problem

    def eventFilter(self, editor, event):
        if event.type() == QEvent.KeyPress and isinstance(editor, QLineEdit):
            if event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab, Qt.Key_Backtab):
                index = getattr(editor, "_score_index", None)
                if index is not None and index.isValid() and self._check(editor, index, editor.text()):
                    return True  # keep the editor open on the bad value; the message says why
        return super().eventFilter(editor, event)


class ScoreTableView(QTableView):
    """A table that behaves like a spreadsheet column: type to replace, Enter goes down,
    Ctrl+V fills downwards from the selected cell, Delete clears, Ctrl+C copies."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed | QAbstractItemView.AnyKeyPressed
        )
        self.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setHighlightSections(False)
        self.delegate = ScoreDelegate(self)
        self.setItemDelegate(self.delegate)
        self._focus_in_editor = False  # focus went from the table to its own cell editor

    def score_model(self) -> ScoreTableModel | None:
        model = self.model()
        return model if isinstance(model, ScoreTableModel) else None

    def keyPressEvent(self, event):
        model = self.score_model()
        if model is not None and self.state() != QAbstractItemView.EditingState:
            if event.matches(QKeySequence.Paste):
                self.paste_clipboard()
                return
            if event.matches(QKeySequence.Copy):
                self.copy_selection()
                return
            if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and event.modifiers() == Qt.NoModifier:
                model.clear(self.selectedIndexes())
                return
            if event.key() in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() == Qt.NoModifier:
                self._move_down()
                return
        super().keyPressEvent(event)

    def paste_clipboard(self, text: str | None = None) -> bool:
        model = self.score_model()
        if model is None:
            return False
        if text is None:
            text = QGuiApplication.clipboard().text()
        return model.paste(self.currentIndex(), text, self.selectedIndexes())

    def copy_selection(self) -> None:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, dict[int, str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), {})[index.column()] = str(index.data(Qt.DisplayRole) or "")
        columns = sorted({i.column() for i in indexes})
        text = "\n".join("\t".join(cells.get(c, "") for c in columns) for _r, cells in sorted(rows.items()))
        QGuiApplication.clipboard().setText(text)

    def _move_down(self) -> None:
        current = self.currentIndex()
        if current.isValid() and current.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(current.sibling(current.row() + 1, current.column()))

    def closeEditor(self, editor, hint):
        try:
            if hint == QAbstractItemDelegate.SubmitModelCache:
                super().closeEditor(editor, QAbstractItemDelegate.NoHint)
                self._move_down()
                return
            super().closeEditor(editor, hint)
        finally:
            self._focus_in_editor = False

    # Qt repaints the whole table whenever it gains or loses focus, because the focused cell
    # and (in some styles) the selection are drawn differently. Opening a cell editor takes the
    # focus and closing it gives it back: a whole repaint for every score typed. Between the
    # table and its own editor, only the selected cells and the current one are repainted; the
    # rest of QAbstractItemView's handling is done here (its scroll area's part, and the input
    # method flag of focus-in), without touching the viewport from Python (which makes PySide6
    # build the Python types of every widget class, ~8 ms, at the first score typed).
    def focusOutEvent(self, event):
        focus = QApplication.focusWidget()
        self._focus_in_editor = bool(focus is not None and focus is not self and self.isAncestorOf(focus))
        if not self._focus_in_editor:
            super().focusOutEvent(event)
            return
        QAbstractScrollArea.focusOutEvent(self, event)
        self._repaint_selected()

    def focusInEvent(self, event):
        if not self._focus_in_editor:
            super().focusInEvent(event)
            return
        QAbstractScrollArea.focusInEvent(self, event)
        current = self.currentIndex()
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled,
                          current.isValid() and bool(current.flags() & Qt.ItemFlag.ItemIsEditable))
        self._repaint_selected()

    def _repaint_selected(self) -> None:
        for index in [*self.selectedIndexes(), self.currentIndex()]:
            if index.isValid():
                self.update(index)

def _fit_columns(view: QTableView, stretch: int, widths: dict[int, int]) -> None:
    header = view.horizontalHeader()
    for col in range(view.model().columnCount()):
        if col == stretch:
            header.setSectionResizeMode(col, QHeaderView.Stretch)
        else:
            header.setSectionResizeMode(col, QHeaderView.Fixed)
            header.resizeSection(col, widths.get(col, 70))


def _fit_height(view: QTableView) -> None:
    """Make a short table exactly as tall as its rows, so the whole table shows without scrolling."""
    rows = view.model().rowCount()
    height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
    height += sum(view.rowHeight(r) for r in range(rows)) if rows else view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)


class SteadyLabel(QWidget):
    """A wrapped line of figures whose new text does not re-lay out the window.

    A QLabel in a layout asks every layout up to the tab widget to redo itself when its text
    changes, and QTabWidget then repaints the whole tab: on every typed score, as the overall's
    change sentence changes. Here the label sits in a box without a layout, where the request
    stops; the box changes its (fixed) height only when the number of lines does.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self._fit()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        if text != self.label.text():
            self.label.setText(text)
            self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())
        self._fit()

    def _fit(self) -> None:
        height = self.label.heightForWidth(max(1, self.width())) if self.label.text() else 0
        if height < 0:
            height = self.label.sizeHint().height()
        if height != self.maximumHeight() or height != self.minimumHeight():
            self.setFixedHeight(height)


class ScoresTab(QWidget):
    """Entry of one assessment's scores and the live summary of what they mean."""

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.source = AssessmentSource(context, self)
        self.indicator_model = IndicatorScoresModel(self.source, self)
        self.item_model = ItemScoresModel(self.source, self)
        self.summary_model = SummaryModel(self.source, self)

        # Built from the outside in, each widget made inside its parent (see MainWindow:
        # with the application's style sheet, putting a built widget into a parent restyles it).
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        splitter = QSplitter(Qt.Horizontal, self)
        outer.addWidget(splitter)
        left = QWidget(splitter)
        right = QWidget(splitter)

        self.indicator_title = QLabel(left)
        self.indicator_title.setObjectName("sectionTitle")
        self.indicator_view = ScoreTableView(left)
        self.indicator_view.setModel(self.indicator_model)
        self.indicator_view.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)

        # Its text follows the chosen indicator's tool: a SteadyLabel, so the new text does not
        # re-lay out (and repaint) the window up to the tab bar when Enter moves to another tool.
        self.items_title = SteadyLabel(left)
        self.items_title.label.setObjectName("sectionTitle")
        self.items_view = ScoreTableView(left)
        self.items_view.setModel(self.item_model)
        # "o7 (ยังไม่ระบุชื่อข้อ)": double-click its name, or the context menu, to name it.
        install_naming(self.items_view, context, lambda index, double: (
            self.item_model.rows[index.row()][1].code
            if index.isValid() and index.row() < len(self.item_model.rows) and (not double or index.column() == 2)
            else None))
        self.items_empty = QLabel(
            "เกณฑ์ของปีนี้ไม่มีรายการข้อคำถามของเครื่องมือนี้ กรอกเฉพาะคะแนนตัวชี้วัดได้", left
        )
        self.items_empty.setWordWrap(True)
        self.items_empty.setAlignment(Qt.AlignCenter)
        self.items_empty.setObjectName("hint")

        self.message = QLabel(left)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hint = QLabel(
            "พิมพ์คะแนนแล้วกด Enter · วางคะแนนทั้งคอลัมน์จาก Excel ด้วย Ctrl+V · ลบด้วย Delete", left
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 6, 0)
        lv.setSpacing(4)
        lv.addWidget(self.indicator_title)
        lv.addWidget(self.indicator_view)
        lv.addWidget(self.items_title)
        lv.addWidget(self.items_view, 1)
        lv.addWidget(self.items_empty, 1)
        lv.addWidget(self.message)
        lv.addWidget(self.hint)

        self.summary_title = QLabel(right)
        self.summary_title.setObjectName("sectionTitle")
        self.summary_view = QTableView(right)
        self.summary_view.setModel(self.summary_model)
        self.summary_view.verticalHeader().setVisible(False)
        self.summary_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.summary_view.setSelectionMode(QAbstractItemView.ContiguousSelection)
        self.summary_view.setWordWrap(False)
        self.summary_view.horizontalHeader().setHighlightSections(False)
        self.percent_label = SteadyLabel(right)
        self.warnings_title = QLabel("ข้อควรตรวจสอบ", right)
        self.warnings_title.setObjectName("sectionTitle")
        self.warnings_list = QListWidget(right)
        self.warnings_list.setWordWrap(True)
        self.warnings_list.setObjectName("warnings")
        self.warnings_list.setMinimumHeight(60)

        rv = QVBoxLayout(right)
        rv.setContentsMargins(6, 0, 0, 0)
        rv.setSpacing(4)
        rv.addWidget(self.summary_title)
        rv.addWidget(self.summary_view)
        rv.addWidget(self.percent_label)
        rv.addWidget(self.warnings_title)
        rv.addWidget(self.warnings_list, 1)

        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 10)
        splitter.setStretchFactor(1, 11)
        self.splitter = splitter

        for view in (self.indicator_view, self.items_view):
            view.delegate.message.connect(self.show_message)
        self.source.rejected.connect(self.show_message)
        self.source.reloaded.connect(self._after_reload)
        self.indicator_view.selectionModel().currentChanged.connect(self._indicator_chosen)
        self.item_model.modelReset.connect(self._layout_items)
        self.indicator_model.modelReset.connect(self._layout_indicators)
        self.summary_model.modelReset.connect(self._layout_summary)
        tf.options().changed.connect(self._update_texts)

        self._layout_indicators()
        self._layout_items()
        self._layout_summary()
        self._after_reload(True)

    # -- layout of the tables ---------------------------------------------------
    def _row_height(self, extra: int = 5) -> int:
        # Sarabun's line height already holds stacked Thai marks (ปี่, ญู้); a few pixels of air.
        return self.fontMetrics().height() + extra

    def _layout_indicators(self) -> None:
        view = self.indicator_view
        view.clearSpans()
        for start, count in self.indicator_model.tool_spans():
            if count > 1:
                view.setSpan(start, 0, count, 1)
        view.verticalHeader().setDefaultSectionSize(self._row_height())
        _fit_columns(view, 2, {0: 70, 1: 62, 3: 84})
        _fit_height(view)

    def _layout_items(self) -> None:
        view = self.items_view
        model = self.item_model
        view.verticalHeader().setDefaultSectionSize(self._row_height())
        widths = {0: 48, 1: 62}
        for col in range(len(model.BASE_HEADERS), model.columnCount()):
            widths[col] = 78
        _fit_columns(view, 2, widths)
        empty = model.rowCount() == 0
        view.setVisible(not empty)
        self.items_empty.setVisible(empty)
        self._update_texts()

    def _layout_summary(self) -> None:
        view = self.summary_view
        view.clearSpans()
        for start, count in self.summary_model.tool_spans():
            if count > 1:
                view.setSpan(start, 0, count, 1)
        for row, spec in enumerate(self.summary_model.rows):
            if spec.kind != "indicator":
                view.setSpan(row, 0, 1, 3)
        view.verticalHeader().setDefaultSectionSize(self._row_height(3))
        _fit_columns(view, 2, {0: 62, 1: 58, 3: 70, 4: 70, 5: 106, 6: 74})
        _fit_height(view)

    # -- reacting -------------------------------------------------------------
    def _after_reload(self, shape_changed: bool) -> None:
        if shape_changed:
            view = self.indicator_view
            if self.indicator_model.rowCount() and not view.currentIndex().isValid():
                view.selectionModel().setCurrentIndex(
                    self.indicator_model.index(0, IndicatorScoresModel.SCORE_COLUMN), QItemSelectionModel.ClearAndSelect)
            self.show_message("")
        self._update_texts()

    def _indicator_chosen(self, current: QModelIndex, _previous: QModelIndex = QModelIndex()) -> None:
        ind = self.indicator_model.indicator_at(current.row()) if current.isValid() else None
        if ind is None:
            return
        self.item_model.set_tool(ind.tool)
        row = self.item_model.first_row_of(ind.number)
        if row >= 0:
            first = len(self.item_model.BASE_HEADERS)
            index = self.item_model.index(row, first)
            self.items_view.scrollTo(index, QAbstractItemView.PositionAtTop)
            self.items_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.ClearAndSelect)
        self._update_texts()

    def _update_texts(self) -> None:
        year = self.context.year
        year_text = f"ปีงบประมาณ พ.ศ. {tf.year(year)}" if year else ""
        self.indicator_title.setText(f"คะแนนตัวชี้วัด {year_text}".strip())
        tool = self.item_model.tool
        prefix = self.item_model.item_prefix()
        self.items_title.setText(f"คะแนนรายข้อ {tool} (ข้อ {prefix})" if prefix else f"คะแนนรายข้อ {tool}")
        self.summary_title.setText("สรุปผลการประเมินรายตัวชี้วัดเทียบกับปีก่อน")
        self.hint.setText(
            "ไฟล์นี้เปิดแบบอ่านอย่างเดียว ดูคะแนนได้แต่แก้ไขไม่ได้" if self.context.readonly else
            "พิมพ์คะแนนแล้วกด Enter · วางคะแนนทั้งคอลัมน์จาก Excel ด้วย Ctrl+V · ลบด้วย Delete")
        self.percent_label.setText(self.summary_model.percent_note())
        self.percent_label.setVisible(bool(self.percent_label.text()))
        lines = self.summary_model.warnings() if self.source.ready else []
        shown = ["• " + line for line in lines]
        if self.source.ready and not lines:
            shown = ["ไม่พบข้อที่ต้องตรวจสอบ"]
        # A typed score seldom changes the warnings: rebuilding the list anyway re-lays out
        # and repaints the whole side of the window on every keystroke.
        if shown != [self.warnings_list.item(r).text() for r in range(self.warnings_list.count())]:
            self.warnings_list.clear()
            for line in shown:
                QListWidgetItem(line, self.warnings_list)

    def commit_pending_edit(self) -> None:
        """Store what is typed in an open cell editor (a refused value stays unstored)."""
        for view in (self.indicator_view, self.items_view):
            if view.state() == QAbstractItemView.EditingState:
                editor = view.indexWidget(view.currentIndex())
                if editor is not None:
                    view.commitData(editor)
                    view.closeEditor(editor, QAbstractItemDelegate.NoHint)

    def show_message(self, text: str) -> None:
        self.message.setText(("⚠ " + text) if text else "")
        self.message.setVisible(bool(text))
