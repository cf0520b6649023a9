"""Qt models of the action plan (part 2): the plan table and the list of proposed rows.

The models only show ``Action`` objects handed out by the store; the plan tab turns every
edit into an undoable command that writes to the store, then the models are refilled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from itadesk.ita.catalog import Catalog
from itadesk.ita.model import ACTION_STATUSES, Action
from itadesk.texts import status_label
from itadesk.ita.thai_dates import format_thai_date
from itadesk.ita.thai_words import clusters

INDICATOR, MEASURE, OWNER, STEPS, PERIOD, STATUS, PROGRESS, EVIDENCE, COMPLETED = range(9)
PLAN_HEADERS = (
    "ประเด็น",
    "มาตรการ/โครงการ/กิจกรรม",
    "ผู้รับผิดชอบ/\nผู้ที่เกี่ยวข้อง",
    "ขั้นตอน/วิธีปฏิบัติ",
    "ระยะเวลาดำเนินงาน",
    "สถานะ",
    "ความคืบหน้า",
    "หลักฐาน",
    "วันที่แล้วเสร็จ",
)
FOLLOW_UP_COLUMNS = (STATUS, PROGRESS, EVIDENCE, COMPLETED)  # what is recorded during the year
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
        return status_label(action.status)
    if column == PROGRESS:
        return action.progress_note
    if column == EVIDENCE:
        return action.evidence
    if column == COMPLETED:
        return format_thai_date(action.completed)
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


PADDING_X, PADDING_Y = 5, 4


def wrapped_lines(text: str, font: QFont, width: float) -> list[str]:
    """The text broken into the lines it takes at ``width`` (Thai breaks between words)."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    out: list[str] = []
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(paragraph[line.textStart():line.textStart() + line.textLength()].rstrip())
        layout.endLayout()
        out.extend(lines or [""])
    return out


def wrapped_line_count(text: str, font: QFont, width: float) -> int:
    """Lines the text takes when wrapped at ``width``."""
    return len(wrapped_lines(text, font, width))


class WrappedTextDelegate(QStyledItemDelegate):
    """Paints a cell's text wrapped, and sizes the row to it, with one and the same layout.

    Rows grow with their text up to ``max_lines`` lines; longer text ends in "…" and the
    whole of it is in the tooltip and the editor dialog. (Qt's own wrapped painting and a
    separate size estimate disagree by a line now and then, which cut a line in half.)
    """

    def __init__(self, max_lines: int = 9, parent=None):
        super().__init__(parent)
        self.max_lines = max_lines

    def _lines(self, text: str, font: QFont, room: float, max_lines: int | None = None) -> list[str]:
        """Wrapped lines, at most ``max_lines`` (default: the delegate's), the last ending in "…" if cut."""
        limit = self.max_lines if max_lines is None else max(1, min(max_lines, self.max_lines))
        lines = wrapped_lines(text, font, max(20.0, room))
        if len(lines) > limit:
            lines = lines[:limit]
            metrics = QFontMetricsF(font)
            # Trim whole clusters: a tone mark stays on its consonant, a leading vowel never
            # ends the line without the consonant it is written before.
            kept = clusters(lines[-1])
            while kept and metrics.horizontalAdvance("".join(kept) + " …") > room:
                kept.pop()
            lines[-1] = "".join(kept).rstrip() + " …"
        return lines

    @staticmethod
    def _text_rect(opt: QStyleOptionViewItem) -> QRect:
        """Where the style puts the text (right of a check box, if the cell has one)."""
        style = opt.widget.style() if opt.widget else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        return rect.adjusted(PADDING_X - 3, PADDING_Y, -(PADDING_X - 3), -PADDING_Y)

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        width = view.columnWidth(index.column()) if view is not None and hasattr(view, "columnWidth") else 200
        # A table cell is its column less the grid line; a pixel less to wrap the way paint will.
        cell = width - (1 if getattr(view, "showGrid", lambda: False)() else 0)
        opt.rect = QRect(0, 0, cell, 10000)
        lines = self._lines(opt.text or "", opt.font, self._text_rect(opt).width() - 1)
        height = len(lines) * QFontMetricsF(opt.font).lineSpacing()
        return QSize(width, int(height + 0.999) + 2 * PADDING_Y)

    def paint(self, painter, option: QStyleOptionViewItem, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text or ""
        rect = self._text_rect(opt)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not text:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        color = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        if foreground is not None and not selected:
            color = QColor(foreground)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(color)
        painter.setClipRect(opt.rect)
        line_height = QFontMetricsF(opt.font).lineSpacing()
        y = float(rect.top())
        fits = int((opt.rect.bottom() + 1 - rect.top()) // line_height)  # no half lines in a short row
        for line in self._lines(text, opt.font, rect.width(), fits):
            painter.drawText(QRectF(rect.left(), y, rect.width(), line_height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
            y += line_height
        painter.restore()


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
