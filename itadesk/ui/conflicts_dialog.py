"""Choosing between two offices' values after a merge: the conflicts a merge kept and listed.

A row both offices changed (or one deleted while the other changed it) is kept in the
document as ours, with theirs stored beside it (:mod:`itadesk.db.merge`). This dialog lists
those conflicts, shows the two versions of the selected one side by side in readable Thai,
and writes the officer's choice through :meth:`Document.resolve_conflict`.

Resolving is **not** an undoable command (:mod:`itadesk.ui.context`): it writes to the
store around the undo stack, like a merge or a restore. The caller passes a callback that
makes the views re-read and drops the undo history; in the main window that is
``context.changed_outside_undo``::

    resolve_conflicts(self, self.document, self.context.changed_outside_undo)

The choice is an edit of the working copy: it reaches the file on the stick with the next
*Save*, as every edit does.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from itadesk.db.errors import DocumentError
from itadesk.db.versions import NOT_CONTENT
from itadesk.ita.thai_dates import format_thai_date
from itadesk.texts import status_label
from itadesk.ui import dialogs, thai_format

TITLE = "ข้อมูลขัดแย้งจากการรวมไฟล์"
MINE_HEADER = "ค่าในไฟล์นี้"
THEIRS_HEADER = "ค่าจากไฟล์ที่รวม"
USE_MINE = "ใช้ค่าในไฟล์นี้"
USE_THEIRS = "ใช้ค่าจากไฟล์ที่รวม"
DELETED = "(ถูกลบ)"
EMPTY_VALUE = "(ว่าง)"
NONE_LEFT = "ไม่มีข้อมูลขัดแย้งแล้ว"
NONE_AT_ALL = "ไม่มีข้อมูลขัดแย้งจากการรวมไฟล์"
RESOLVE_FAILED = "เลือกค่าไม่สำเร็จ"

INTRO = ("รายการต่อไปนี้ถูกแก้ไขทั้งในไฟล์นี้และในไฟล์ที่นำมารวม โปรแกรมยังใช้ค่าในไฟล์นี้อยู่ "
         "เลือกรายการ ดูค่าทั้งสองด้าน แล้วเลือกว่าจะใช้ค่าใด\n"
         "ค่าที่เลือกจะถูกเก็บลงไฟล์เมื่อกด บันทึก และย้อนกลับด้วย เลิกทำ ไม่ได้")
READONLY_NOTE = "ไฟล์นี้เปิดแบบอ่านอย่างเดียว จึงเลือกค่าไม่ได้ หากต้องการเลือกให้ \"บันทึกเป็น\" ไฟล์ใหม่ก่อน"
AFTER_RESOLVING = "ค่าที่เลือกไว้จะถูกเก็บลงไฟล์เมื่อกด บันทึก"

# What each choice does, by kind of conflict (shown under the two versions).
KIND_HINTS = {
    "both_changed": "ทั้งสองไฟล์แก้ไขรายการนี้ต่างกัน ค่าที่ไม่ได้เลือกจะไม่ถูกถามซ้ำเมื่อรวมไฟล์เดิมอีกครั้ง",
    "deleted_here": f"รายการนี้ถูกลบในไฟล์นี้ แต่ไฟล์ที่รวมแก้ไขไว้: \"{USE_MINE}\" คือลบต่อไป "
                    f"\"{USE_THEIRS}\" คือนำรายการกลับมาตามค่าของไฟล์นั้น",
    "deleted_there": f"รายการนี้ถูกลบในไฟล์ที่รวม แต่ไฟล์นี้แก้ไขไว้: \"{USE_MINE}\" คือเก็บรายการไว้ "
                     f"\"{USE_THEIRS}\" คือลบรายการนี้ออกจากไฟล์นี้ด้วย",
}
SAME_NOW = "ตอนนี้ค่าทั้งสองด้านตรงกันแล้ว เลือกด้านใดก็ได้"

# Thai names of the columns an officer may see, in the order they are shown.
FIELD_LABELS = {
    "organizations": {
        "name": "ชื่อหน่วยงาน", "kind": "ประเภท", "district": "อำเภอ", "province": "จังหวัด",
        "code": "รหัสหน่วยงาน", "preparer_name": "ผู้จัดทำ", "preparer_position": "ตำแหน่งผู้จัดทำ",
        "approver_name": "ผู้อนุมัติ", "approver_position": "ตำแหน่งผู้อนุมัติ",
    },
    "assessments": {"fiscal_year": "ปีงบประมาณ"},
    "indicator_scores": {"indicator": "ตัวชี้วัด", "score": "คะแนน"},
    "item_scores": {"code": "ข้อ", "part": "ส่วนที่", "score": "คะแนน"},
    "recommendations": {"tool": "เครื่องมือ", "text": "ข้อความ"},
    "analyses": {"indicator": "ตัวชี้วัด", "text": "ข้อความ"},
    "actions": {
        "indicator": "ประเด็น (ตัวชี้วัด)", "measure": "มาตรการ", "owner": "ผู้รับผิดชอบ", "steps": "ขั้นตอน",
        "start_date": "วันเริ่มต้น", "end_date": "วันสิ้นสุด", "status": "สถานะ",
        "progress_note": "ความคืบหน้า", "evidence": "หลักฐาน", "completed_date": "วันที่แล้วเสร็จ",
        "position": "ลำดับในแผน",
    },
    "units": {"name": "ชื่อหน่วยงานผู้รับผิดชอบ"},
    "catalogs": {"fiscal_year": "ปีงบประมาณ", "catalog": "เกณฑ์การประเมิน"},
}
# Deleting these on "theirs" takes everything under them too: asked once more.
_CASCADING = {"organizations": "หน่วยงานนี้และผลการประเมินทุกปีของหน่วยงาน",
              "assessments": "ผลการประเมินปีนี้ทั้งหมด (คะแนน บทวิเคราะห์ และแผน)"}


# -- what the two versions look like -------------------------------------------------

def format_value(table: str, field: str, value) -> str:
    """One stored value as an officer reads it (scores with two decimals, dates in BE, …)."""
    if value is None or value == "":
        if field == "indicator" and table == "actions":
            return "(ไม่ระบุประเด็น)"
        return EMPTY_VALUE
    if field == "score":
        try:
            return thai_format.score(float(value))
        except (TypeError, ValueError):
            return str(value)
    if field in ("start_date", "end_date", "completed_date"):
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return format_thai_date(day, thai_digits=thai_format.options().thai_digits)
    if field == "indicator":
        return f"ตัวชี้วัดที่ {thai_format.digits(str(value))}"
    if field == "status" and table == "actions":
        return status_label(str(value))
    if field == "part":
        return thai_format.digits(str(value)) if value else "-"
    if field == "position" and isinstance(value, int):
        return f"แถวที่ {thai_format.digits(str(value + 1))}"
    if field == "fiscal_year":
        return thai_format.year(value) if isinstance(value, int) else str(value)
    if isinstance(value, float):
        return thai_format.digits(f"{value:g}")
    return thai_format.free_text(str(value)) if isinstance(value, str) else thai_format.digits(str(value))


def _fields(table: str, rows: list[dict]) -> list[str]:
    """Content columns of the rows, known ones in form order, unknown ones after."""
    known = list(FIELD_LABELS.get(table, {}))
    present = [k for row in rows for k in row if k not in NOT_CONTENT]
    return [k for k in known if k in present] + sorted({k for k in present if k not in known})


def compare_rows(table: str, mine: dict | None, theirs: dict | None) -> tuple[list[tuple[str, str, str]], bool]:
    """The rows of the side-by-side view: (Thai field name, mine, theirs) for every field
    that differs (for a deleted side, every field of the other; the deleted side reads
    ``(ถูกลบ)``), and whether the two versions are now the same."""
    if table == "catalogs" and mine is not None and theirs is not None:
        rows = _catalog_rows(mine, theirs)
        if rows is not None:
            return rows, not rows
    labels = FIELD_LABELS.get(table, {})
    present = [r for r in (mine, theirs) if r is not None]
    if not present:  # deleted here since (taking the other file's deletion of its year, say)
        return [("รายการ", DELETED, DELETED)], True
    fields = _fields(table, present)
    if len(present) == 1:  # a row against its deletion: what it holds, not where it stands
        fields = [k for k in fields if k != "position"]
    same = False
    if mine is not None and theirs is not None:
        changed = [k for k in fields if mine.get(k) != theirs.get(k)]
        same = not changed
        fields = changed or fields
    out = []
    for k in fields:
        out.append((
            labels.get(k, k),
            DELETED if mine is None else format_value(table, k, mine.get(k)),
            DELETED if theirs is None else format_value(table, k, theirs.get(k)),
        ))
    return out, same


def _catalog_rows(mine: dict, theirs: dict) -> list[tuple[str, str, str]] | None:
    """Two versions of a year's catalog item by item (ita.catalog.catalog_differences), not as JSON."""
    from itadesk.ita.catalog import CatalogError, catalog_differences, parse_catalog_text

    try:
        return [(what, thai_format.free_text(a), thai_format.free_text(b)) for what, a, b in catalog_differences(
            parse_catalog_text(mine.get("catalog"), "ไฟล์นี้"), parse_catalog_text(theirs.get("catalog"), "อีกไฟล์"))]
    except CatalogError:
        return None


def readable_description(table: str, description: str) -> str:
    """The merge's description with column names (``owner=กองคลัง``) in Thai (``ผู้รับผิดชอบ: กองคลัง``)."""
    labels = FIELD_LABELS.get(table, {})
    if not labels:
        return description
    pattern = re.compile(r"(?<=[(,\s])(" + "|".join(map(re.escape, labels)) + r")=")
    return pattern.sub(lambda m: f"{labels[m.group(1)]}: ", description)


def current_row(document, table: str, row_uuid: str) -> tuple[bool, dict | None]:
    """What the document holds now for a conflict's row: ``(True, row)``, ``(True, None)``
    when it is gone, ``(False, None)`` when it cannot be told (then the merge's copy is shown).

    "Keep mine" keeps the row as it is now, which may have been edited since the merge.
    """
    try:
        return document.conflict_row(table, row_uuid)
    except DocumentError:
        return False, None  # a known failure of the file falls back; a bug is raised as it is


# -- the dialog ---------------------------------------------------------------------------

class ConflictsDialog(QDialog):
    """The open conflicts of ``document``; each choice is written at once.

    ``resolved(conflict_uuid, choice)`` is emitted after each choice the document took
    (choice is ``"mine"`` or ``"theirs"``). Such a write is not on the undo stack: whoever
    shows the dialog must then make the views re-read and clear the undo stack
    (``DocumentContext.changed_outside_undo``); :func:`resolve_conflicts` does this through
    its ``on_changed``. :attr:`resolved_count` counts the choices made.
    """

    resolved = Signal(str, str)

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.resolved_count = 0
        self._conflicts: list = []
        self._load_error: str | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumSize(760, 520)
        self.resize(960, 640)

        self.intro = intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.readonly_note = QLabel(READONLY_NOTE)
        self.readonly_note.setObjectName("message")
        self.readonly_note.setWordWrap(True)
        self.readonly_note.setVisible(bool(getattr(document, "readonly", False)))

        self.count_label = QLabel()
        self.count_label.setObjectName("sectionTitle")
        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.ElideNone)
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # descriptions wrap instead
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.list.setStyleSheet(
            "QListWidget#conflictList::item { border-bottom: 1px solid #e3e8ec; padding: 3px; color: #1b2833; }"
            "QListWidget#conflictList::item:selected { background: #cfe3f7; color: #1b2833; }")
        self.list.currentRowChanged.connect(self._show_selected)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.count_label)
        top_layout.addWidget(self.list)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictValues")
        self.table.setHorizontalHeaderLabels(["ข้อมูล", MINE_HEADER, THEIRS_HEADER])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.setWordWrap(True)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        bold = QFont(header.font())
        bold.setBold(True)
        header.setFont(bold)
        header.sectionResized.connect(lambda *_: self._fit_rows_later())
        self.kind_hint = QLabel()
        self.kind_hint.setObjectName("hint")
        self.kind_hint.setWordWrap(True)

        self.mine_button = QPushButton(USE_MINE)
        self.mine_button.setObjectName("useMine")
        self.theirs_button = QPushButton(USE_THEIRS)
        self.theirs_button.setObjectName("useTheirs")
        for button in (self.mine_button, self.theirs_button):
            button.setAutoDefault(False)  # Enter must not choose: only a click does
        self.mine_button.clicked.connect(lambda: self.choose("mine"))
        self.theirs_button.clicked.connect(lambda: self.choose("theirs"))
        choices = QHBoxLayout()
        choices.addStretch(1)
        choices.addWidget(self.mine_button)
        choices.addWidget(self.theirs_button)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("ค่าของรายการที่เลือก")
        title.setObjectName("sectionTitle")
        bottom_layout.addWidget(title)
        bottom_layout.addWidget(self.table, 1)
        bottom_layout.addWidget(self.kind_hint)
        bottom_layout.addLayout(choices)

        splitter = QSplitter(Qt.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        self.done_label = QLabel()
        self.done_label.setObjectName("doneLabel")
        self.done_label.setAlignment(Qt.AlignCenter)
        self.done_label.setWordWrap(True)
        big = QFont(self.done_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.done_label.setFont(big)
        self.done_hint = QLabel()
        self.done_hint.setObjectName("hint")
        self.done_hint.setAlignment(Qt.AlignCenter)
        self.done_hint.setWordWrap(True)
        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.addStretch(1)
        done_layout.addWidget(self.done_label)
        done_layout.addWidget(self.done_hint)
        done_layout.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(splitter)
        self.pages.addWidget(done)

        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton("ปิด", QDialogButtonBox.RejectRole)
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.readonly_note)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        self.reload()

    # -- state ----------------------------------------------------------------------
    def conflicts(self) -> list:
        """The conflicts listed, in the order shown."""
        return list(self._conflicts)

    def current_conflict(self):
        row = self.list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def select(self, index: int) -> None:
        if self._conflicts:
            self.list.setCurrentRow(max(0, min(index, len(self._conflicts) - 1)))

    def reload(self, keep_row: int = 0) -> None:
        """Re-read the open conflicts from the document (after a choice, or a failed one)."""
        self._load_error = None
        try:
            conflicts = list(self.document.conflicts())
        except DocumentError as exc:
            conflicts = []
            self._load_error = str(exc)
        self._conflicts = conflicts
        self.list.blockSignals(True)
        self.list.clear()
        for conflict in conflicts:
            text = readable_description(conflict.table, conflict.description)
            item = QListWidgetItem(text)
            item.setToolTip(text)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if conflicts:
            self.count_label.setText(f"รายการที่ยังต้องเลือก {thai_format.count(len(conflicts))} รายการ")
            self.pages.setCurrentIndex(0)
            self.intro.setVisible(True)
            self.select(keep_row)
            self._show_selected(self.list.currentRow())
        else:
            self._show_done()

    def _show_done(self) -> None:
        self.table.setRowCount(0)
        self.mine_button.setEnabled(False)
        self.theirs_button.setEnabled(False)
        if self._load_error is not None:
            self.done_label.setText("อ่านรายการข้อมูลขัดแย้งไม่สำเร็จ")
            self.done_hint.setText(self._load_error)
        elif self.resolved_count:
            self.done_label.setText(NONE_LEFT)
            self.done_hint.setText(AFTER_RESOLVING)
        else:
            self.done_label.setText(NONE_AT_ALL)
            self.done_hint.setText("")
        self.pages.setCurrentIndex(1)
        self.intro.setVisible(False)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _show_selected(self, row: int) -> None:
        conflict = self._conflicts[row] if 0 <= row < len(self._conflicts) else None
        self.table.clearSpans()
        self.table.setRowCount(0)
        writable = not getattr(self.document, "readonly", False)
        self.mine_button.setEnabled(conflict is not None and writable)
        self.theirs_button.setEnabled(conflict is not None and writable)
        if conflict is None:
            self.kind_hint.setText("")
            return
        known, mine = current_row(self.document, conflict.table, conflict.row_uuid)
        if not known:
            mine = conflict.mine
        rows, same = compare_rows(conflict.table, mine, conflict.theirs)
        self.table.setRowCount(len(rows))
        for r, (label, mine_text, theirs_text) in enumerate(rows):
            name = QTableWidgetItem(label)
            name.setTextAlignment(Qt.AlignLeft | Qt.AlignTop)
            self.table.setItem(r, 0, name)
            for c, text in ((1, mine_text), (2, theirs_text)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignLeft | Qt.AlignTop)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        for c, side in ((1, mine), (2, conflict.theirs)):
            if side is None and rows:
                deleted = self.table.item(0, c)
                deleted.setTextAlignment(Qt.AlignCenter)
                deleted.setForeground(QBrush(QColor("#b3261e")))
                if len(rows) > 1:
                    self.table.setSpan(0, c, len(rows), 1)
        self.kind_hint.setText(SAME_NOW if same else KIND_HINTS.get(conflict.kind, ""))
        self._fit_rows()

    def _fit_rows_later(self) -> None:
        QTimer.singleShot(0, self._fit_rows)

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_rows_later()

    # -- choosing ------------------------------------------------------------------------
    def choose(self, choice: str) -> bool:
        """Apply ``"mine"`` or ``"theirs"`` to the selected conflict. A failure of the file is
        said in Thai and the list re-read; returns whether the choice was written."""
        conflict = self.current_conflict()
        if conflict is None or getattr(self.document, "readonly", False):
            return False
        if choice == "theirs" and conflict.kind == "deleted_there" and conflict.table in _CASCADING:
            if not dialogs.confirm(self, "ลบตามไฟล์ที่รวม", f"ลบ{_CASCADING[conflict.table]} ออกจากไฟล์นี้หรือไม่",
                                   "ลบ", conflict.description):
                return False
        row = self.list.currentRow()
        try:
            self.document.resolve_conflict(conflict.uuid, choice)
        except DocumentError as exc:
            dialogs.show_error(self, exc, RESOLVE_FAILED)
            self.reload(row)
            return False
        self.resolved_count += 1
        self.reload(row)
        self.resolved.emit(conflict.uuid, choice)
        return True


def resolve_conflicts(parent: QWidget | None, document, on_changed: Callable[[], None]) -> int:
    """Show :class:`ConflictsDialog` for ``document`` (modal) and return how many conflicts
    the officer resolved.

    ``on_changed()`` is called after each resolution, while the dialog is still open, so
    the views re-read the store. Resolutions are not undoable commands; they are written
    around the undo stack, so ``on_changed`` must also clear it: pass
    ``context.changed_outside_undo`` (which clears the stack, marks the document modified and
    emits ``changed``).
    """
    if document is None:
        return 0
    dialog = ConflictsDialog(document, parent)
    dialog.resolved.connect(lambda _uuid, _choice: on_changed())
    try:
        dialog.exec()
        return dialog.resolved_count
    finally:
        dialog.deleteLater()
