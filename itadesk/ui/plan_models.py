"""Qt models of the action plan (part 2): the plan table and the list of proposed rows.

The models only show ``Action`` objects handed out by the store; the plan tab turns every
edit into an undoable command that writes to the store, then the models are refilled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from itadesk.ita.catalog import Catalog
from itadesk.ita.model import ACTION_STATUSES, Action
from itadesk.ita.thai_dates import format_thai_date

INDICATOR, MEASURE, OWNER, STEPS, PERIOD, STATUS, PROGRESS = range(7)
PLAN_HEADERS = (
    "ประเด็น",
    "มาตรการ/โครงการ/กิจกรรม",
    "ผู้รับผิดชอบ/\nผู้ที่เกี่ยวข้อง",
    "ขั้นตอน/วิธีปฏิบัติ",
    "ระยะเวลาดำเนินงาน",
    "สถานะ",
    "ความคืบหน้า",
)
STATUS_COLORS = {
    ACTION_STATUSES[0]: QColor("#6d6d6d"),
    ACTION_STATUSES[1]: QColor("#b26a00"),
    ACTION_STATUSES[2]: QColor("#2e7d32"),
}
NO_INDICATOR = "(ไม่ระบุประเด็น)"


def indicator_label(catalog: Catalog | None, number: int | None) -> str:
    """"9. การเปิดเผยข้อมูล", as the plan in the reference report names its issues."""
    if number is None:
        return NO_INDICATOR
    if catalog is not None:
        try:
            return f"{number}. {catalog.indicator(number).name}"
        except KeyError:
            pass
    return f"ตัวชี้วัดที่ {number}"


def period_text(action: Action) -> str:
    if action.start is None and action.end is None:
        return ""
    return f"{format_thai_date(action.start)} –\n{format_thai_date(action.end)}".strip(" –\n")


def cell_text(action: Action, column: int, catalog: Catalog | None) -> str:
    if column == INDICATOR:
        return indicator_label(catalog, action.indicator)
    if column == MEASURE:
        return action.measure
    if column == OWNER:
        return action.owner
    if column == STEPS:
        return action.steps
    if column == PERIOD:
        return period_text(action)
    if column == STATUS:
        return action.status
    if column == PROGRESS:
        return action.progress_note
    return ""


class PlanTableModel(QAbstractTableModel):
    """The plan rows in order; read-only (a row is edited in the dialog)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._actions: list[Action] = []
        self._catalog: Catalog | None = None

    def set_actions(self, actions: list[Action], catalog: Catalog | None) -> None:
        self.beginResetModel()
        self._actions = list(actions)
        self._catalog = catalog
        self.endResetModel()

    @property
    def actions(self) -> list[Action]:
        return list(self._actions)

    def action_at(self, row: int) -> Action | None:
        return self._actions[row] if 0 <= row < len(self._actions) else None

    def row_of(self, uuid: str) -> int:
        return next((i for i, a in enumerate(self._actions) if a.uuid == uuid), -1)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(PLAN_HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return PLAN_HEADERS[section]
        return str(section + 1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        action = self._actions[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(action, column, self._catalog)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return STATUS_COLORS.get(action.status)
        if role == Qt.ItemDataRole.UserRole:
            return action.uuid
        return None


class WrappedTextDelegate(QStyledItemDelegate):
    """Wraps a cell's text (Thai has no spaces between words, so wrap anywhere if needed).

    Rows grow with their text up to ``max_lines`` lines; longer text ends in "…" and the
    whole of it is in the tooltip and the editor dialog.
    """

    def __init__(self, max_lines: int = 9, parent=None):
        super().__init__(parent)
        self.max_lines = max_lines

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideRight

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        width = view.columnWidth(index.column()) if view is not None and hasattr(view, "columnWidth") else 200
        lines = wrapped_line_count(opt.text or "", opt.font, max(20, width - 10))
        height = min(lines, self.max_lines) * QFontMetricsF(opt.font).lineSpacing()
        return QSize(width, int(height) + 10)


def wrapped_line_count(text: str, font: QFont, width: float) -> int:
    """Lines the text takes when wrapped the way the item view paints it."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    total = 0
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        count = 0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            count += 1
        layout.endLayout()
        total += max(1, count)
    return total


@dataclass
class Proposal:
    action: Action
    checked: bool = True
    note: str = ""  # e.g. "มีในแผนแล้ว"


class ProposalModel(QAbstractTableModel):
    """Proposed plan rows with a check box each, for the officer to confirm before adding."""

    HEADERS = ("ประเด็น", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ", "หมายเหตุ")

    def __init__(self, proposals: list[Proposal], catalog: Catalog | None, parent=None):
        super().__init__(parent)
        self._rows = proposals
        self._catalog = catalog

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return indicator_label(self._catalog, row.action.indicator)
            if column == 1:
                return row.action.measure
            if column == 2:
                return row.action.owner
            return row.note
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if row.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            state = value.value if hasattr(value, "value") else value
            self._rows[index.row()].checked = state == Qt.CheckState.Checked.value
            self.dataChanged.emit(index, index, [role])
            return True
        return False

    def set_all(self, checked: bool) -> None:
        for row in self._rows:
            row.checked = checked
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def chosen(self) -> list[Action]:
        return [row.action for row in self._rows if row.checked]
