"""The editor of one plan row: long texts in roomy boxes, BE dates, a list of units.

The table only shows wrapped text; measures and steps run to many lines, so they are
edited here. A period that cannot be right is refused beside the date fields and the dialog
will not close with it ("1 ตุลาคม 2569 – 30 กันยายน 2569" is in a real report).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from itadesk.ita.catalog import Catalog
from itadesk.ita.model import ACTION_STATUSES, Action
from itadesk.texts import status_label
from itadesk.ita.thai_dates import PeriodError, check_period, default_plan_period
from itadesk.ui.plan_models import NO_INDICATOR, indicator_label
from itadesk.ui.thai_date_edit import ThaiDateEdit

MEASURE_REQUIRED = "กรุณากรอกมาตรการ/โครงการ/กิจกรรม"
START_PREFIX = "วันเริ่มต้น: "
END_PREFIX = "วันสิ้นสุด: "


def _text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(int(box.fontMetrics().lineSpacing() * lines + 12))
    return box


class ActionDialog(QDialog):
    """Edit (or create) one ``Action``; ``result_action()`` is the edited copy."""

    def __init__(
        self,
        action: Action | None,
        assessment_year: int,
        catalog: Catalog | None,
        owners: list[str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.assessment_year = assessment_year
        self.plan_period = default_plan_period(assessment_year)
        self._original = action or Action(start=self.plan_period[0], end=self.plan_period[1])
        self._known_owners = list(owners)
        self.setWindowTitle("แก้ไขแถวของแผน" if action is not None else "เพิ่มแถวของแผน")
        self.setMinimumWidth(760)

        self.indicator_combo = QComboBox()
        self.indicator_combo.addItem(NO_INDICATOR, None)
        if catalog is not None:
            for ind in catalog.indicators:
                self.indicator_combo.addItem(f"{indicator_label(catalog, ind.number)} ({ind.tool})", ind.number)
        self.measure_edit = _text_box(4, "เช่น จัดทำแผนการจัดซื้อจัดจ้าง พร้อมทั้งเผยแพร่กระบวนการจัดซื้อจัดจ้าง")
        self.measure_error = self._error_label()
        self.owner_combo = QComboBox()
        self.owner_combo.setEditable(True)
        self.owner_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.owner_combo.addItems(self._known_owners)
        self.owner_combo.lineEdit().setPlaceholderText("เลือกหรือพิมพ์ชื่อหน่วยงาน เช่น สำนักปลัด, กองคลัง")
        self.steps_edit = _text_box(6, "1. …\n2. …")
        self.start_edit = ThaiDateEdit()
        self.end_edit = ThaiDateEdit()
        self.default_button = QPushButton(f"ทั้งปีงบประมาณ {assessment_year + 1}")
        self.default_button.setToolTip("ตั้งเป็นปีงบประมาณถัดจากปีที่ประเมิน (1 ต.ค. – 30 ก.ย.)")
        self.period_error = self._error_label()
        self.status_combo = QComboBox()
        for code in ACTION_STATUSES:  # Thai words shown, codes stored
            self.status_combo.addItem(status_label(code), code)
        self.progress_edit = _text_box(3, "ผลการดำเนินงาน/ความคืบหน้าระหว่างปี")

        period_row = QHBoxLayout()
        period_row.addWidget(self.start_edit, 1)
        period_row.addWidget(QLabel("ถึง"))
        period_row.addWidget(self.end_edit, 1)
        period_row.addWidget(self.default_button)
        period_box = QVBoxLayout()
        period_box.setSpacing(2)
        period_box.addLayout(period_row)
        period_box.addWidget(self.period_error)
        measure_box = QVBoxLayout()
        measure_box.setSpacing(2)
        measure_box.addWidget(self.measure_edit)
        measure_box.addWidget(self.measure_error)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("ประเด็น:", self.indicator_combo)
        form.addRow("มาตรการ/โครงการ/กิจกรรม:", measure_box)
        form.addRow("ผู้รับผิดชอบ/ผู้ที่เกี่ยวข้อง:", self.owner_combo)
        form.addRow("ขั้นตอน/วิธีปฏิบัติ:", self.steps_edit)
        form.addRow("ระยะเวลาดำเนินงาน:", period_box)
        form.addRow("สถานะ:", self.status_combo)
        form.addRow("ความคืบหน้า:", self.progress_edit)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("บันทึก")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("ยกเลิก")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._load(self._original)
        for edit in (self.start_edit, self.end_edit):
            edit.edited.connect(self.validate)
        self.measure_edit.textChanged.connect(self.validate)
        self.default_button.clicked.connect(self.use_default_period)
        self.validate()

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet("color: #c62828;")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Keep one line's room while hidden, so the fields below do not jump under the
        # officer's mouse when a message comes or goes.
        label.setMinimumHeight(label.fontMetrics().lineSpacing())
        policy = label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        label.setSizePolicy(policy)
        label.hide()
        return label

    def _load(self, a: Action) -> None:
        index = self.indicator_combo.findData(a.indicator)
        self.indicator_combo.setCurrentIndex(max(0, index))
        self.measure_edit.setPlainText(a.measure)
        self.owner_combo.setCurrentText(a.owner)
        self.steps_edit.setPlainText(a.steps)
        self.start_edit.setDate(a.start)
        self.end_edit.setDate(a.end)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(a.status)))
        self.progress_edit.setPlainText(a.progress_note)

    def use_default_period(self) -> None:
        self.start_edit.setDate(self.plan_period[0])
        self.end_edit.setDate(self.plan_period[1])

    # -- checking ---------------------------------------------------------
    def period_problem(self) -> str:
        if self.start_edit.error():
            return START_PREFIX + self.start_edit.error()
        if self.end_edit.error():
            return END_PREFIX + self.end_edit.error()
        try:
            check_period(self.start_edit.date(), self.end_edit.date(), self.assessment_year)
        except PeriodError as exc:
            return str(exc)
        return ""

    def validate(self) -> bool:
        period = self.period_problem()
        measure = "" if self.measure_edit.toPlainText().strip() else MEASURE_REQUIRED
        for label, text in ((self.period_error, period), (self.measure_error, measure)):
            label.setText(text)
            label.setVisible(bool(text))
        self.ok_button.setEnabled(not period and not measure)
        return not period and not measure

    def accept(self) -> None:
        if not self.validate():
            return
        super().accept()

    # -- result -----------------------------------------------------------
    def result_action(self) -> Action:
        return replace(
            self._original,
            indicator=self.indicator_combo.currentData(),
            measure=self.measure_edit.toPlainText().strip(),
            owner=self.owner_combo.currentText().strip(),
            steps=self.steps_edit.toPlainText().strip(),
            start=self.start_edit.date(),
            end=self.end_edit.date(),
            status=self.status_combo.currentData(),
            progress_note=self.progress_edit.toPlainText().strip(),
        )

    def new_owner(self) -> str | None:
        """The unit typed here that is not in the list yet, to be remembered for next time."""
        owner = self.owner_combo.currentText().strip()
        return owner if owner and owner not in self._known_owners else None
