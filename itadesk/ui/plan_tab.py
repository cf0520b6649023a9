"""The action-plan tab (แผนปฏิบัติการ, part 2 of the report).

Rows are shown wrapped in a table and edited in :class:`ActionDialog`. Every change
(add, edit, duplicate, delete, move, create from the analysis, copy last year's plan) is one
undoable command through ``context.push`` that writes to the store; ``context.changed``
then refills the table, so undo from the menu and edits from other tabs look the same.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QMenu, QMessageBox,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from itadesk.db.operations import DeletePlanRows, MovePlanRow, SavePlanRows
from itadesk.ita.catalog import Catalog
from itadesk.ita.drafting import carry_over, propose_actions
from itadesk.ita.model import Action, new_uuid, status_counts
from itadesk.texts import status_label
from itadesk.ita.recommendations import load_measures
from itadesk.ita.thai_dates import default_plan_period, format_period
from itadesk.ui.action_dialog import ActionDialog
from itadesk.ui.context import behind, reading
from itadesk.ui.plan_models import (
    COMPLETED, EVIDENCE, INDICATOR, MEASURE, OWNER, PERIOD, PROGRESS, STATUS, STEPS, PlanTableModel, Proposal,
    ProposalModel, WrappedTextDelegate,
)

NO_SELECTION = "เลือกหน่วยงานและปีการประเมินที่หน้า \"ผลคะแนน\" ก่อน แล้วแผนปฏิบัติการของปีนั้นจะแสดงที่นี่"
NO_PREVIOUS_PLAN = "ไม่พบแผนปฏิบัติการของปีก่อนหน้าในไฟล์นี้ จึงไม่มีรายการให้คัดลอก"
NOTHING_WEAK = "ผลการประเมินปีนี้ไม่มีตัวชี้วัดที่ต่ำกว่าเกณฑ์ จึงไม่มีมาตรการที่ต้องเสนอเพิ่ม"
ALREADY_PLANNED = "มีในแผนแล้ว"


class ProposalDialog(QDialog):
    """Rows about to be added, each with a check box; nothing is written until "เพิ่มลงในแผน"."""

    def __init__(self, title: str, intro: str, proposals: list[Proposal], catalog, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(900, 520)
        self.model = ProposalModel(proposals, catalog, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 210), (2, 130), (3, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.view.setItemDelegate(WrappedTextDelegate(4, self.view))
        label = QLabel(intro)
        label.setWordWrap(True)
        all_button = QPushButton("เลือกทั้งหมด")
        none_button = QPushButton("ไม่เลือกเลย")
        all_button.clicked.connect(lambda: self.model.set_all(True))
        none_button.clicked.connect(lambda: self.model.set_all(False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("เพิ่มลงในแผน")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("ยกเลิก")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        QTimer.singleShot(0, self.view.resizeRowsToContents)

    def chosen(self) -> list[Action]:
        return self.model.chosen()


class PlanTab(QWidget):
    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.catalog: Catalog | None = None
        self.current_dialog: QDialog | None = None  # the open dialog, if any (tests drive it)
        self._select_uuid: str | None = None
        self._select_touched: frozenset[str] = frozenset()  # rows an undo or redo touched

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.model = PlanTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setItemDelegate(WrappedTextDelegate(9, self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # "ผู้รับผิดชอบ/ผู้ที่เกี่ยวข้อง" takes two lines; leave room above and below its marks
        header.setMinimumHeight(2 * header.fontMetrics().lineSpacing() + 14)
        for column, width in ((INDICATOR, 135), (OWNER, 115), (PERIOD, 140), (STATUS, 105), (PROGRESS, 150),
                              (EVIDENCE, 150), (COMPLETED, 115)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        for column in (MEASURE, STEPS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)

        self.add_button = QPushButton("เพิ่มแถว…")
        self.edit_button = QPushButton("แก้ไข…")
        self.duplicate_button = QPushButton("ทำสำเนา")
        self.delete_button = QPushButton("ลบ")
        self.follow_up_button = QPushButton("บันทึกผลการดำเนินการ…")
        self.follow_up_button.setToolTip("บันทึกสถานะ ความคืบหน้า หลักฐาน และวันที่แล้วเสร็จของแถวที่เลือก (Ctrl+R)")
        self.up_button = QPushButton("▲ เลื่อนขึ้น")
        self.down_button = QPushButton("▼ เลื่อนลง")
        self.propose_button = QPushButton("สร้างแผนจากผลการวิเคราะห์…")
        self.copy_button = QPushButton("คัดลอกจากแผนปีที่แล้ว…")
        self.print_button = QPushButton("พิมพ์รายงานผลการดำเนินการ…")
        self.print_button.setToolTip("รายงาน PDF ผลการดำเนินการตามแผน: สถานะ ผลการดำเนินการ หลักฐาน "
                                     "และวันที่แล้วเสร็จของทุกมาตรการ")
        self.propose_button.setToolTip("เสนอมาตรการมาตรฐานสำหรับตัวชี้วัดที่ต่ำกว่าเกณฑ์ ให้เลือกก่อนเพิ่มลงในแผน")
        self.copy_button.setToolTip("คัดลอกแถวของแผนปีก่อนมาเป็นแถวใหม่ เลื่อนวันที่ไปหนึ่งปี สถานะเริ่มใหม่")
        self.edit_button.setToolTip("แก้ไขแถวที่เลือก (ดับเบิลคลิกที่แถวก็ได้)")
        self.delete_button.setToolTip("ลบแถวที่เลือก (เลิกทำได้)")

        tools = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.follow_up_button, self.duplicate_button,
                       self.delete_button, self.up_button, self.down_button):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.propose_button)
        tools.addWidget(self.copy_button)
        tools.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)

        self._actions = self._make_actions()
        self.add_button.clicked.connect(self.add_action)
        self.edit_button.clicked.connect(self.edit_selected)
        self.follow_up_button.clicked.connect(self.follow_up_selected)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.propose_button.clicked.connect(self.propose_from_analysis)
        self.copy_button.clicked.connect(self.copy_from_last_year)
        self.print_button.clicked.connect(self.print_progress)
        self.view.doubleClicked.connect(lambda index: self.edit_row(index.row()))
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        header.sectionResized.connect(self._schedule_row_heights)

        self._rows_stale = False
        self._row_timer = QTimer(self, singleShot=True, interval=0)
        self._row_timer.timeout.connect(self._fit_rows)
        context.changed.connect(self._on_changed)
        context.selectionChanged.connect(self.reload)  # a new document comes with changed(EVERYTHING)
        self._reload_due = False
        self.reload()

    # -- reading ----------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        made = {}
        for key, text, shortcut, slot in (
            ("edit", "แก้ไข…", QKeySequence(Qt.Key.Key_Return), self.edit_selected),
            ("follow_up", "บันทึกผลการดำเนินการ…", QKeySequence("Ctrl+R"), self.follow_up_selected),
            ("duplicate", "ทำสำเนา", QKeySequence("Ctrl+D"), self.duplicate_selected),
            ("delete", "ลบ", QKeySequence(QKeySequence.StandardKey.Delete), self.delete_selected),
            ("up", "เลื่อนขึ้น", QKeySequence("Ctrl+Up"), lambda: self.move_selected(-1)),
            ("down", "เลื่อนลง", QKeySequence("Ctrl+Down"), lambda: self.move_selected(1)),
        ):
            action = QAction(text, self.view)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            made[key] = action
        return made

    def _has_selection(self) -> bool:
        return self.context.ready

    def _on_changed(self, changes) -> None:
        """Re-read the plan only when an edit touched it (a score or a word typed elsewhere
        does not); after undo or redo, choose the first row it touched."""
        ctx = self.context
        if not changes.about(ctx.org_uuid, ctx.year):
            return
        if self._reload_due or (changes.within(ctx.org_uuid, ctx.year) and not changes.plan):
            return
        if self._select_uuid is None and changes.plan:
            self._select_touched = changes.plan
        self.reload()

    @reading
    def reload(self) -> None:
        """Re-read the plan rows; behind another tab, only when it is shown."""
        if behind(self):
            self._reload_due = True
            return
        self._reload_due = False
        keep = self._select_uuid or self.selected_uuid()
        touched, self._select_uuid, self._select_touched = self._select_touched, None, frozenset()
        if not self._has_selection():
            self.catalog = None
            self.model.set_actions([], None)
            self.title.setText(NO_SELECTION)
            self.summary.setText("")
            self._update_buttons()
            return
        year = self.context.year
        self.catalog = self.context.catalog()
        uuid = self.context.assessment_uuid()
        actions = self.context.document.actions(uuid) if uuid else []
        self.model.set_actions(actions, self.catalog)
        # after undo or redo: the first row it touched in the table's order (a set's own order
        # follows the hash seed); none left (an add undone): the row chosen before stays chosen
        keep = next((a.uuid for a in actions if a.uuid in touched), keep)
        start, end = default_plan_period(year)
        self.title.setText(
            f"ส่วนที่ 2 การนำผลการวิเคราะห์ไปสู่การปฏิบัติ: แผนจากผลการประเมินปี {year} "
            f"ดำเนินการในปีงบประมาณ พ.ศ. {year + 1} ({format_period(start, end)})"
        )
        counts = status_counts(actions)
        self.summary.setText(
            f"ทั้งหมด {len(actions)} รายการ: " + " · ".join(f"{status_label(s)} {n}" for s, n in counts.items())
            if actions else "ยังไม่มีรายการในแผน กด \"สร้างแผนจากผลการวิเคราะห์…\" เพื่อเริ่มจากมาตรการมาตรฐาน หรือ \"เพิ่มแถว…\""
        )
        if keep and self.model.row_of(keep) >= 0:
            self.select_row(self.model.row_of(keep))
        self._schedule_row_heights()
        self._update_buttons()

    def _fit_rows(self) -> None:
        """Rows as tall as their wrapped text (capped), then the selected row back in view.
        Measuring wrapped Thai text takes a while: a hidden tab does it when it is shown."""
        if not self.isVisible():
            self._rows_stale = True
            return
        self._rows_stale = False
        self.view.resizeRowsToContents()
        current = self.view.currentIndex()
        if current.isValid():
            self.view.scrollTo(current)

    def _schedule_row_heights(self, *args) -> None:
        self._row_timer.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._schedule_row_heights()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._reload_due:
            self.reload()
        if self._rows_stale:
            self._fit_rows()

    def selected_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def selected_uuid(self) -> str | None:
        action = self.model.action_at(self.selected_row())
        return action.uuid if action else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.setCurrentIndex(index)

    def _update_buttons(self, *args) -> None:
        can_edit = self._has_selection() and not self.context.readonly
        row = self.selected_row()
        has_row = can_edit and row >= 0
        self.add_button.setEnabled(can_edit)
        self.propose_button.setEnabled(can_edit)
        self.copy_button.setEnabled(can_edit)
        self.print_button.setEnabled(self._has_selection() and self.model.rowCount() > 0)
        for widget in (self.edit_button, self.follow_up_button, self.duplicate_button, self.delete_button):
            widget.setEnabled(has_row)
        self.up_button.setEnabled(has_row and row > 0)
        self.down_button.setEnabled(has_row and row < self.model.rowCount() - 1)
        for key, action in self._actions.items():
            action.setEnabled({"up": self.up_button, "down": self.down_button}.get(key, self.edit_button).isEnabled())

    def owners(self) -> list[str]:
        """The standard units of the measure library, then those the office added."""
        names: list[str] = []
        if self.context.year is not None:
            names += load_measures(self.context.year).owners
        if self.context.document is not None:
            names += self.context.document.units()
        names += [a.owner for a in self.model.actions]
        seen, out = set(), []
        for name in names:
            if name and name not in seen:
                seen.add(name)
                out.append(name)
        return out

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction(self.add_button.text(), self.add_action).setEnabled(self.add_button.isEnabled())
        for key in ("edit", "follow_up", "duplicate", "delete", "up", "down"):
            menu.addAction(self._actions[key])
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -- dialogs ----------------------------------------------------------
    def _open(self, dialog: QDialog, on_accept) -> None:
        """Open a window-modal dialog; ``on_accept`` runs when the officer confirms."""
        self.current_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(code: int) -> None:
            if self.current_dialog is dialog:
                self.current_dialog = None
            if code == QDialog.DialogCode.Accepted:
                on_accept(dialog)

        dialog.finished.connect(finished)
        dialog.open()

    def _inform(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "แผนปฏิบัติการ", text, QMessageBox.StandardButton.Ok, self)
        self._open(box, lambda _box: None)

    def _action_dialog(self, action: Action | None) -> ActionDialog:
        return ActionDialog(action, self.context.year, self.catalog, self.owners(), self)

    def add_action(self) -> None:
        if not self.add_button.isEnabled():
            return
        dialog = self._action_dialog(None)
        self._open(dialog, lambda d: self._push_save(d.result_action(), None, d.new_owner(), "เพิ่มแถวของแผน"))

    def edit_selected(self) -> None:
        self.edit_row(self.selected_row())

    def edit_row(self, row: int, follow_up: bool = False) -> None:
        action = self.model.action_at(row)
        if action is None or self.context.readonly:
            return
        dialog = self._action_dialog(action)
        text = "บันทึกผลการดำเนินการ" if follow_up else "แก้ไขแถวของแผน"
        self._open(dialog, lambda d: self._push_save(d.result_action(), action, d.new_owner(), text))
        if follow_up:
            dialog.setWindowTitle(f"{text}: แถวที่ {row + 1}")
            dialog.focus_follow_up()

    def follow_up_selected(self) -> None:
        """The follow-up during the year: the row's dialog, opened at ผลการดำเนินการ."""
        self.edit_row(self.selected_row(), follow_up=True)

    # -- edits (each one undoable step) ----------------------------------
    # Each is an operation on the chosen year: its assessment is created with the first row
    # of a year, and the undo of that leaves no empty year behind.
    def _push_save(self, new: Action, old: Action | None, new_owner: str | None, text: str) -> None:
        if old is not None and new == old and not new_owner:
            return
        ctx = self.context
        self._select_uuid = new.uuid
        ctx.push(text, SavePlanRows(ctx.org_uuid, ctx.year, [(new, None)], before=old, new_unit=new_owner))

    def duplicate_selected(self) -> None:
        row = self.selected_row()
        action = self.model.action_at(row)
        if action is None or self.context.readonly:
            return
        copy = replace(action, uuid=new_uuid())
        ctx = self.context
        self._select_uuid = copy.uuid
        ctx.push("ทำสำเนาแถวของแผน", SavePlanRows(ctx.org_uuid, ctx.year, [(copy, row + 1)]))

    def delete_selected(self) -> None:
        row = self.selected_row()
        action = self.model.action_at(row)
        if action is None or self.context.readonly:
            return
        ctx = self.context
        neighbour = self.model.action_at(row + 1) or self.model.action_at(row - 1)
        self._select_uuid = neighbour.uuid if neighbour else None
        ctx.push("ลบแถวของแผน", DeletePlanRows(ctx.org_uuid, ctx.year, [action.uuid]))

    def move_selected(self, delta: int) -> None:
        row = self.selected_row()
        action = self.model.action_at(row)
        target = row + delta
        if action is None or self.context.readonly or not 0 <= target < self.model.rowCount():
            return
        ctx = self.context
        self._select_uuid = action.uuid
        ctx.push("เลื่อนแถวขึ้น" if delta < 0 else "เลื่อนแถวลง",
                 MovePlanRow(ctx.org_uuid, ctx.year, action.uuid, target, row))

    def add_rows(self, actions: list[Action], text: str) -> None:
        """Append several rows as one undoable step, in one transaction each way."""
        if not actions:
            return
        ctx = self.context
        rows = [replace(a) for a in actions]
        self._select_uuid = rows[0].uuid
        ctx.push(text, SavePlanRows(ctx.org_uuid, ctx.year, [(a, None) for a in rows]))

    # -- whole-plan helpers -----------------------------------------------
    def _existing_keys(self) -> set[tuple[int | None, str]]:
        return {(a.indicator, a.measure.strip()) for a in self.model.actions}

    def propose_from_analysis(self) -> None:
        if not self.propose_button.isEnabled():
            return
        current = self.context.current_assessment()
        proposed = propose_actions(current, self.catalog) if current is not None else []
        if not proposed:
            self._inform(NOTHING_WEAK)
            return
        existing = self._existing_keys()
        proposals = [
            Proposal(a, checked=(a.indicator, a.measure.strip()) not in existing,
                     note=ALREADY_PLANNED if (a.indicator, a.measure.strip()) in existing else "")
            for a in proposed
        ]
        numbers = sorted({a.indicator for a in proposed})
        start, end = default_plan_period(self.context.year)
        dialog = ProposalDialog(
            "สร้างแผนจากผลการวิเคราะห์",
            f"ตัวชี้วัดที่ต่ำกว่าเกณฑ์หรือมีข้อที่ต่ำกว่าเกณฑ์: {', '.join(map(str, numbers))}\n"
            f"มาตรการมาตรฐานด้านล่างจะถูกเพิ่มต่อท้ายแผน ระยะเวลา {format_period(start, end)} "
            "เลือกเฉพาะรายการที่ต้องการ แล้วแก้ไขรายละเอียดภายหลังได้",
            proposals, self.catalog, self,
        )
        self._open(dialog, lambda d: self.add_rows(d.chosen(), "สร้างแผนจากผลการวิเคราะห์"))

    def print_progress(self):
        """The follow-up report of this plan (PDF); the path written, or None."""
        if not self.print_button.isEnabled():
            return None
        from itadesk.ui.progress_export import export_progress  # noqa: PLC0415 - ReportLab only when printing

        return export_progress(self, self.context)

    def copy_from_last_year(self) -> None:
        if not self.copy_button.isEnabled():
            return
        previous = self.context.previous_assessment()
        if previous is None or not previous.actions:
            self._inform(NO_PREVIOUS_PLAN)
            return
        rows = carry_over(previous.actions, previous.fiscal_year, self.context.year)
        existing = self._existing_keys()
        proposals = [
            Proposal(a, checked=(a.indicator, a.measure.strip()) not in existing,
                     note=ALREADY_PLANNED if (a.indicator, a.measure.strip()) in existing else "")
            for a in rows
        ]
        dialog = ProposalDialog(
            f"คัดลอกจากแผนปี {previous.fiscal_year}",
            f"แถวของแผนจากผลการประเมินปี {previous.fiscal_year} จะถูกเพิ่มต่อท้ายแผนนี้ "
            "วันที่เลื่อนไปตามจำนวนปี สถานะเริ่มเป็น \"ยังไม่เริ่ม\" และไม่คัดลอกบันทึกความคืบหน้า",
            proposals, self.catalog, self,
        )
        self._open(dialog, lambda d: self.add_rows(d.chosen(), f"คัดลอกแผนจากปี {previous.fiscal_year}"))
