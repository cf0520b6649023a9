"""The editor of one plan row: long texts in roomy boxes, BE dates, a list of units.

The table only shows wrapped text; measures and steps run to many lines, so they are
edited here. A period that cannot be right is refused beside the date fields and the dialog
will not close with it ("1 ตุลาคม 2569 – 30 กันยายน 2569" is in a real report).

The lower part, ผลการดำเนินการ, is what the office records during the year the plan runs:
status, progress, evidence (a text or a link) and the completion date, which may not be
before the start. "บันทึกผลการดำเนินการ…" in the plan tab opens the dialog there.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from itadesk.ita.catalog import Catalog
from itadesk.ita.fields import FieldError, check_text
from itadesk.ita.model import ACTION_STATUSES, Action
from itadesk.texts import DONE, status_label
from itadesk.ita.thai_dates import PeriodError, check_completion, check_period, default_plan_period
from itadesk.ui.plan_models import NO_INDICATOR, indicator_label
from itadesk.ui.thai_date_edit import ThaiDateEdit

MEASURE_REQUIRED = "กรุณากรอกมาตรการ/โครงการ/กิจกรรม"
START_PREFIX = "วันเริ่มต้น: "
END_PREFIX = "วันสิ้นสุด: "
COMPLETED_PREFIX = "วันที่แล้วเสร็จ: "
EVIDENCE_PREFIX = "หลักฐาน: "
FOLLOW_UP_TITLE = "ผลการดำเนินการ"
DONE_WITHOUT_DAY = "สถานะเป็น \"เสร็จสิ้น\" แต่ยังไม่ได้ระบุวันที่แล้วเสร็จ"
DAY_WITHOUT_DONE = "ระบุวันที่แล้วเสร็จแล้ว แต่สถานะยังไม่เป็น \"เสร็จสิ้น\""


def _text_box(lines: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(int(box.fontMetrics().lineSpacing() * lines + 12))
    return box


def _with_error(field, error: QLabel) -> QVBoxLayout:
    """A field (a widget or a row of them) with its error line right under it."""
    box = QVBoxLayout()
    box.setSpacing(2)
    if isinstance(field, QWidget):
        box.addWidget(field)
    else:
        box.addLayout(field)
    box.addWidget(error)
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
        self.evidence_edit = _text_box(2, "ข้อความหรือลิงก์ เช่น รายงานการประชุม ครั้งที่ 1/2569 หรือ https://…")
        self.evidence_error = self._error_label()
        self.completed_edit = ThaiDateEdit()
        self.today_button = QPushButton("วันนี้")
        self.today_button.setToolTip("ใส่วันที่ของวันนี้เป็นวันที่แล้วเสร็จ")
        self.completed_error = self._error_label()
        self.follow_up_hint = QLabel()
        self.follow_up_hint.setWordWrap(True)
        self.follow_up_hint.setStyleSheet("color: #8a5a00;")
        self.follow_up_hint.hide()

        period_row = QHBoxLayout()
        period_row.addWidget(self.start_edit, 1)
        period_row.addWidget(QLabel("ถึง"))
        period_row.addWidget(self.end_edit, 1)
        period_row.addWidget(self.default_button)
        completed_row = QHBoxLayout()
        completed_row.addWidget(self.completed_edit, 1)
        completed_row.addWidget(self.today_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("ประเด็น:", self.indicator_combo)
        form.addRow("มาตรการ/โครงการ/กิจกรรม:", _with_error(self.measure_edit, self.measure_error))
        form.addRow("ผู้รับผิดชอบ/ผู้ที่เกี่ยวข้อง:", self.owner_combo)
        form.addRow("ขั้นตอน/วิธีปฏิบัติ:", self.steps_edit)
        form.addRow("ระยะเวลาดำเนินงาน:", _with_error(period_row, self.period_error))

        self.follow_up_box = QGroupBox(FOLLOW_UP_TITLE)
        follow = QFormLayout(self.follow_up_box)
        follow.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        follow.addRow("สถานะ:", self.status_combo)
        follow.addRow("ความคืบหน้า:", self.progress_edit)
        follow.addRow("หลักฐาน:", _with_error(self.evidence_edit, self.evidence_error))
        follow.addRow("วันที่แล้วเสร็จ:", _with_error(completed_row, self.completed_error))
        follow.addRow(self.follow_up_hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("บันทึก")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("ยกเลิก")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.follow_up_box)
        layout.addWidget(self.buttons)

        self._load(self._original)
        for edit in (self.start_edit, self.end_edit, self.completed_edit):
            edit.edited.connect(self.validate)
        self.measure_edit.textChanged.connect(self.validate)
        self.evidence_edit.textChanged.connect(self.validate)
        self.status_combo.currentIndexChanged.connect(self.validate)
        self.today_button.clicked.connect(lambda: self.completed_edit.setDate(date.today()))
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
        self.evidence_edit.setPlainText(a.evidence)
        self.completed_edit.setDate(a.completed)

    def focus_follow_up(self) -> None:
        """Start at the status: the officer came to record what was done."""
        self.status_combo.setFocus()

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

    def completed_problem(self) -> str:
        if self.completed_edit.error():
            return COMPLETED_PREFIX + self.completed_edit.error()
        try:
            check_completion(self.start_edit.date(), self.completed_edit.date())
        except PeriodError as exc:
            return str(exc)
        return ""

    def evidence_problem(self) -> str:
        try:
            check_text(self.evidence_edit.toPlainText().strip(), multiline=True)
        except FieldError as exc:
            return EVIDENCE_PREFIX + str(exc)
        return ""

    def follow_up_hint_text(self) -> str:
        """Not a refusal: a state and a date that do not go together are worth a second look."""
        done, day = self.status_combo.currentData() == DONE, self.completed_edit.date()
        if done and day is None and not self.completed_edit.error():
            return DONE_WITHOUT_DAY
        return DAY_WITHOUT_DONE if day is not None and not done else ""

    def validate(self) -> bool:
        problems = (
            (self.period_error, self.period_problem()),
            (self.measure_error, "" if self.measure_edit.toPlainText().strip() else MEASURE_REQUIRED),
            (self.completed_error, self.completed_problem()),
            (self.evidence_error, self.evidence_problem()),
        )
        for label, text in problems:
            label.setText(text)
            label.setVisible(bool(text))
        hint = self.follow_up_hint_text()
        self.follow_up_hint.setText(hint)
        self.follow_up_hint.setVisible(bool(hint))
        ok = not any(text for _label, text in problems)
        self.ok_button.setEnabled(ok)
        return ok

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
            evidence=self.evidence_edit.toPlainText().strip(),
            completed=self.completed_edit.date(),
        )

    def new_owner(self) -> str | None:
        """The unit typed here that is not in the list yet, to be remembered for next time."""
        owner = self.owner_combo.currentText().strip()
        return owner if owner and owner not in self._known_owners else None
