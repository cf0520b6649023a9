"""Every question and error the document layer can raise, as a Thai dialog with Thai buttons.

Each ``ask_*`` function returns a plain word (``"save"``, ``"cancel"`` …) so the window's
logic reads clearly and a test can answer a question without skipping the logic around it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from itadesk import __version__

FILE_FILTER = "ไฟล์ ITA Desk (*.db *.itadesk);;ทุกไฟล์ (*)"
APP = "ITA Desk"


def _box(parent, icon, title: str, text: str, informative: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.NoButton, parent)
    box.setTextFormat(Qt.PlainText)
    if informative:
        box.setInformativeText(informative)
    box.setWindowModality(Qt.WindowModal if parent is not None else Qt.ApplicationModal)
    return box


def _choose(box: QMessageBox, buttons: list[tuple[str, str, QMessageBox.ButtonRole]], default: str,
            escape: str) -> str:
    by_button = {}
    for answer, text, role in buttons:
        button = box.addButton(text, role)
        button.setObjectName(f"answer_{answer}")
        by_button[button] = answer
        if answer == default:
            box.setDefaultButton(button)
        if answer == escape:
            box.setEscapeButton(button)
    box.exec()
    return by_button.get(box.clickedButton(), escape)


# -- errors ---------------------------------------------------------------------------

def show_error(parent: QWidget | None, error, title: str = "เกิดข้อผิดพลาด") -> None:
    """A known failure: its one Thai sentence (``str(error)``) and, if any, the file concerned."""
    text = str(error)
    path = getattr(error, "path", None)
    box = _box(parent, QMessageBox.Warning, title, text, f"ไฟล์: {path}" if path else "")
    box.addButton("ตกลง", QMessageBox.AcceptRole)
    box.exec()


def show_catalog_problems(parent: QWidget | None, problems: list[str]) -> None:
    """Year files under resources/catalogs that cannot be used: which, and what it means."""
    box = _box(parent, QMessageBox.Warning, "ไฟล์เกณฑ์การประเมินใช้ไม่ได้",
               "พบไฟล์เกณฑ์การประเมินที่โปรแกรมอ่านไม่ได้ ปีนั้นจะไม่มีในรายการปีงบประมาณ "
               "และปีถัดไปจะใช้เกณฑ์ของปีล่าสุดที่อ่านได้แทน",
               "\n".join(problems) + "\n\nกรุณานำไฟล์เกณฑ์ที่ถูกต้องมาวางแทนในโฟลเดอร์ resources/catalogs "
               "หรือแจ้งผู้ดูแลโปรแกรม")
    box.addButton("ตกลง", QMessageBox.AcceptRole)
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    box = _box(parent, QMessageBox.Information, title, text, informative)
    box.addButton("ตกลง", QMessageBox.AcceptRole)
    box.exec()


def show_rules(parent: QWidget | None, catalog) -> None:
    """The rules a year is computed with (ita.catalog.Catalog.describe), to review."""
    title = f"เกณฑ์การประเมินที่ใช้กับปี {catalog.fiscal_year}"
    text = catalog.rules_note() or f"ปี {catalog.fiscal_year} ใช้เกณฑ์การประเมินของปีนี้เอง"
    show_info(parent, title, text, "\n".join(catalog.describe()))


# -- questions --------------------------------------------------------------------------

def ask_unsaved(parent: QWidget | None, name: str, never_saved: bool = False) -> str:
    """Closing with unsaved changes: ``"save"``, ``"discard"`` or ``"cancel"``."""
    box = _box(parent, QMessageBox.Question, APP,
               f"บันทึกการแก้ไขใน \"{name}\" ก่อนปิดหรือไม่",
               "เอกสารนี้ยังไม่เคยบันทึกลงไฟล์ ถ้าไม่บันทึก ข้อมูลทั้งหมดที่กรอกไว้จะหายไป" if never_saved
               else "ถ้าไม่บันทึก การแก้ไขตั้งแต่บันทึกครั้งล่าสุดจะหายไป")
    return _choose(box, [
        ("save", "บันทึก", QMessageBox.AcceptRole),
        ("discard", "ไม่บันทึก", QMessageBox.DestructiveRole),
        ("cancel", "ยกเลิก", QMessageBox.RejectRole),
    ], default="save", escape="cancel")


def ask_locked(parent: QWidget | None, error) -> str:
    """The file is open elsewhere: ``"readonly"``, ``"anyway"`` or ``"cancel"``."""
    info = getattr(error, "info", None)
    details = ""
    if info is not None:
        lines = []
        if info.user:
            lines.append(f"ผู้ใช้: {info.user}")
        if info.host:
            lines.append(f"เครื่อง: {info.host}")
        lines.append(f"ตั้งแต่: {info.local_time_text}")
        details = "\n".join(lines)
    stale = bool(info and info.stale)
    box = _box(parent, QMessageBox.Warning, "ไฟล์กำลังถูกใช้งาน", str(error), details)
    return _choose(box, [
        ("readonly", "เปิดแบบอ่านอย่างเดียว", QMessageBox.AcceptRole),
        ("anyway", "เปิดต่อไป", QMessageBox.DestructiveRole),
        ("cancel", "ยกเลิก", QMessageBox.RejectRole),
    ], default="anyway" if stale else "readonly", escape="cancel")


def ask_changed_underneath(parent: QWidget | None, name: str) -> str:
    """The file on the stick changed since it was opened: ``"merge"``, ``"save_as"`` or ``"cancel"``."""
    box = _box(parent, QMessageBox.Warning, "ไฟล์ถูกแก้ไขจากที่อื่น",
               f"ไฟล์ \"{name}\" บนแฟลชไดรฟ์ถูกแก้ไขจากที่อื่นหลังจากที่เปิดไว้ จึงยังไม่บันทึกทับ",
               "รวมข้อมูล: นำข้อมูลจากไฟล์นั้นมารวมกับงานนี้แล้วบันทึก\n"
               "บันทึกเป็นไฟล์ใหม่: เก็บงานนี้ไว้อีกไฟล์หนึ่ง ไฟล์เดิมไม่ถูกแตะต้อง")
    return _choose(box, [
        ("merge", "รวมข้อมูล", QMessageBox.AcceptRole),
        ("save_as", "บันทึกเป็นไฟล์ใหม่", QMessageBox.ActionRole),
        ("cancel", "ยกเลิก", QMessageBox.RejectRole),
    ], default="merge", escape="cancel")


def ask_recover(parent: QWidget | None, infos) -> str:
    """Unsaved work from a session that ended abruptly: ``"recover"``, ``"discard"`` or ``"later"``."""
    lines = [f"• {r.display_name} — แก้ไขล่าสุด {r.local_time_text} ({r.unsaved_changes} รายการที่ยังไม่บันทึก)"
             for r in infos]
    box = _box(parent, QMessageBox.Question, "กู้คืนงานที่ยังไม่ได้บันทึก",
               "โปรแกรมปิดไปก่อนที่จะบันทึกงานต่อไปนี้ ต้องการเปิดงานกลับมาหรือไม่", "\n".join(lines))
    return _choose(box, [
        ("recover", "กู้คืน", QMessageBox.AcceptRole),
        ("discard", "ทิ้งงานนี้", QMessageBox.DestructiveRole),
        ("later", "ไว้ภายหลัง", QMessageBox.RejectRole),
    ], default="recover", escape="later")


def confirm(parent: QWidget | None, title: str, text: str, yes: str, informative: str = "") -> bool:
    box = _box(parent, QMessageBox.Question, title, text, informative)
    return _choose(box, [("yes", yes, QMessageBox.AcceptRole), ("no", "ยกเลิก", QMessageBox.RejectRole)],
                   default="no", escape="no") == "yes"


# -- files ------------------------------------------------------------------------------

def ask_open_path(parent: QWidget | None, start: str = "", title: str = "เปิดไฟล์") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start, FILE_FILTER)
    return Path(path) if path else None


def ask_save_path(parent: QWidget | None, suggested: str = "") -> Path | None:
    path, chosen = QFileDialog.getSaveFileName(parent, "บันทึกเป็น", suggested, FILE_FILTER)
    if not path:
        return None
    result = Path(path)
    if not result.suffix and "*.db" in (chosen or "*.db"):
        result = result.with_suffix(".db")
    return result


# -- reports ------------------------------------------------------------------------------

def merge_summary(report) -> str:
    summary = getattr(report, "summary", None)
    if callable(summary):
        return summary()
    parts = []
    for attr, label in (("added", "เพิ่ม"), ("updated", "ปรับปรุง"), ("deleted", "ลบ"), ("kept_ours", "คงข้อมูลของไฟล์นี้")):
        count = getattr(report, attr, 0)
        if count:
            parts.append(f"{label} {count} รายการ")
    if not parts:
        return "ไม่มีข้อมูลใหม่จากไฟล์นั้น ข้อมูลตรงกันอยู่แล้ว"
    return "รวมข้อมูลแล้ว: " + " · ".join(parts)


def show_merge_report(parent: QWidget | None, report, saved: bool = False) -> None:
    conflicts = getattr(report, "conflicts", []) or []
    informative = ""
    if conflicts:
        informative = "ข้อที่ต้องตรวจสอบ:\n" + "\n".join(f"• {c.description}" for c in conflicts[:12])
        if len(conflicts) > 12:
            informative += f"\n… และอีก {len(conflicts) - 12} รายการ"
    if not saved:
        informative += ("\n\n" if informative else "") + "การรวมข้อมูลยังไม่ถูกบันทึกลงไฟล์ กด บันทึก เพื่อเก็บไว้"
    show_info(parent, "รวมข้อมูล", merge_summary(report), informative)


def show_about(parent: QWidget | None) -> None:
    box = _box(parent, QMessageBox.Information, "เกี่ยวกับ ITA Desk",
               f"ITA Desk รุ่น {__version__}",
               "โปรแกรมจัดทำรายงาน \"การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร\" "
               "สำหรับองค์กรปกครองส่วนท้องถิ่น ใช้งานได้โดยไม่ต้องเชื่อมต่ออินเทอร์เน็ต\n\n"
               "แบบอักษร Sarabun ใช้ภายใต้สัญญาอนุญาต SIL Open Font License 1.1")
    box.addButton("ตกลง", QMessageBox.AcceptRole)
    box.exec()


class BackupsDialog(QDialog):
    """Saved versions of the document on this computer; pick one to restore."""

    def __init__(self, parent: QWidget | None, backups, current_name: str):
        super().__init__(parent)
        self.setWindowTitle("สำรอง/กู้คืน")
        self.setMinimumSize(560, 380)
        self._backups = list(backups)
        intro = QLabel(
            f"สำเนาที่บันทึกไว้ในเครื่องนี้ทุกครั้งที่บันทึก \"{current_name}\" (ใหม่สุดอยู่บนสุด)\n"
            "เลือกสำเนาแล้วกด กู้คืน ข้อมูลในหน้าต่างจะกลับไปเป็นตามสำเนานั้น และยังไม่ถูกบันทึกลงไฟล์จนกว่าจะกด บันทึก"
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        for info in self._backups:
            where = Path(info.target).name if info.target else "เอกสารใหม่"
            item = QListWidgetItem(f"{info.local_time_text} — {where}")
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        if not self._backups:
            empty = QListWidgetItem("ยังไม่มีสำเนาสำรอง (สำเนาจะถูกสร้างเมื่อบันทึกไฟล์)")
            empty.setFlags(Qt.NoItemFlags)
            self.list.addItem(empty)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("กู้คืน")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.AcceptRole)
        buttons.addButton("ปิด", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(0 <= row < len(self._backups)))
        self.list.itemDoubleClicked.connect(lambda _item: self.restore_button.isEnabled() and self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def chosen(self):
        row = self.list.currentRow()
        return self._backups[row] if 0 <= row < len(self._backups) else None
