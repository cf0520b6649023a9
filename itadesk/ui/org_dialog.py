"""Add or edit an organization: its name and place as they go on the cover, and who signs.

The reference report printed one office's name with another province: the place is
asked for once here, in separate fields, and the cover is built from them.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from itadesk.ita.consistency import name_key
from itadesk.ita.model import ORG_KINDS, Organization
from itadesk.ita.org_names import kind_prefixes

# What an officer may type in front of a place name; the cover adds "อำเภอ"/"จังหวัด" itself.
_DISTRICT_PREFIXES = ("อำเภอ", "อ.", "เขต")
_PROVINCE_PREFIXES = ("จังหวัด", "จ.")
_KIND_BY_PREFIX = kind_prefixes()


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    text = " ".join(text.split())
    for prefix in prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):].strip()
    return text


def guess_kind(name: str) -> str:
    text = "".join(name.split())
    for prefix, kind in _KIND_BY_PREFIX:
        if text.startswith(prefix):
            return kind
    return ""


class OrgDialog(QDialog):
    """``exec()`` then :meth:`organization` for the edited copy; the store is not touched here."""

    def __init__(self, parent: QWidget | None = None, org: Organization | None = None,
                 others: list[Organization] | None = None):
        super().__init__(parent)
        self._original = org
        self._others = [o for o in (others or []) if org is None or o.uuid != org.uuid]
        self._kind_touched = bool(org and org.kind)
        self.setWindowTitle("แก้ไขข้อมูลหน่วยงาน" if org else "เพิ่มหน่วยงาน")
        self.setMinimumWidth(560)

        self.name = QLineEdit()
        self.name.setPlaceholderText("เช่น องค์การบริหารส่วนตำบลเชียงพิณ")
        self.kind = QComboBox()
        self.kind.addItem("— เลือกประเภท —", "")
        for kind in ORG_KINDS:
            self.kind.addItem(kind, kind)
        self.district = QLineEdit()
        self.district.setPlaceholderText("เช่น เมืองอุดรธานี (ไม่ต้องพิมพ์คำว่า อำเภอ)")
        self.province = QLineEdit()
        self.province.setPlaceholderText("เช่น อุดรธานี (ไม่ต้องพิมพ์คำว่า จังหวัด)")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ไม่บังคับ")
        self.preparer_name = QLineEdit()
        self.preparer_position = QLineEdit()
        self.preparer_position.setPlaceholderText("เช่น นักวิเคราะห์นโยบายและแผน")
        self.approver_name = QLineEdit()
        self.approver_position = QLineEdit()
        self.approver_position.setPlaceholderText("เช่น นายกองค์การบริหารส่วนตำบลเชียงพิณ")

        org_box = QGroupBox("หน่วยงาน")
        form = QFormLayout(org_box)
        form.addRow("ชื่อหน่วยงาน *", self.name)
        form.addRow("ประเภท", self.kind)
        form.addRow("อำเภอ", self.district)
        form.addRow("จังหวัด", self.province)
        form.addRow("รหัสหน่วยงาน", self.code)
        people_box = QGroupBox("ผู้ลงนามในรายงาน")
        people = QFormLayout(people_box)
        people.addRow("ผู้จัดทำ", self.preparer_name)
        people.addRow("ตำแหน่งผู้จัดทำ", self.preparer_position)
        people.addRow("ผู้อนุมัติ", self.approver_name)
        people.addRow("ตำแหน่งผู้อนุมัติ", self.approver_position)

        self.error = QLabel()
        self.error.setObjectName("message")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("บันทึก")
        self.buttons.button(QDialogButtonBox.Cancel).setText("ยกเลิก")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(org_box)
        layout.addWidget(people_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        if org is not None:
            self.name.setText(org.name)
            index = self.kind.findData(org.kind)
            self.kind.setCurrentIndex(index if index >= 0 else 0)
            for field in ("district", "province", "code", "preparer_name", "preparer_position",
                          "approver_name", "approver_position"):
                getattr(self, field).setText(getattr(org, field) or "")
        self.name.textEdited.connect(self._name_edited)
        self.kind.activated.connect(lambda _i: setattr(self, "_kind_touched", True))
        self.name.setFocus(Qt.OtherFocusReason)

    def _name_edited(self, text: str) -> None:
        if not self._kind_touched:
            index = self.kind.findData(guess_kind(text))
            self.kind.setCurrentIndex(index if index >= 0 else 0)
        self.error.hide()

    def organization(self) -> Organization:
        values = dict(
            name=" ".join(self.name.text().split()),
            kind=self.kind.currentData() or "",
            district=_strip_prefix(self.district.text(), _DISTRICT_PREFIXES),
            province=_strip_prefix(self.province.text(), _PROVINCE_PREFIXES),
            code=self.code.text().strip(),
            preparer_name=" ".join(self.preparer_name.text().split()),
            preparer_position=" ".join(self.preparer_position.text().split()),
            approver_name=" ".join(self.approver_name.text().split()),
            approver_position=" ".join(self.approver_position.text().split()),
        )
        if self._original is not None:
            return replace(self._original, **values)
        return Organization(**values)

    def problem(self) -> str | None:
        org = self.organization()
        if not org.name:
            return "กรุณากรอกชื่อหน่วยงาน"
        key = (name_key(org.name), org.province)
        for other in self._others:
            if (name_key(other.name), other.province) == key:
                return f"มีหน่วยงาน \"{other.name}\" อยู่ในไฟล์นี้แล้ว กรุณาเลือกจากรายการแทนการเพิ่มซ้ำ"
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText("⚠ " + problem)
            self.error.show()
            return
        super().accept()
