"""The first page: create a file, open one, pick a recent one, or take back unsaved work."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    recentChosen = Signal(str)
    recoverRequested = Signal(object)  # RecoveryInfo
    discardRecoveryRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("ITA Desk")
        title.setObjectName("welcomeTitle")
        subtitle = QLabel("การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร")
        subtitle.setObjectName("welcomeSubtitle")
        intro = QLabel(
            "กรอกผลคะแนน ITA ของหน่วยงานทีละปี ดูการเปลี่ยนแปลงเทียบกับปีก่อน วิเคราะห์ผล "
            "จัดทำแผนปฏิบัติการ และพิมพ์รายงาน ข้อมูลทั้งหมดเก็บในไฟล์เดียว นำใส่แฟลชไดรฟ์ไปใช้เครื่องอื่นได้"
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")

        self.new_button = QPushButton("สร้างไฟล์ใหม่")
        self.new_button.setObjectName("bigButton")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton("เปิดไฟล์…")
        self.open_button.setObjectName("bigButton")
        self.open_button.setToolTip("Ctrl+O")
        self.new_button.clicked.connect(self.newRequested)
        self.open_button.clicked.connect(self.openRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)

        # Unsaved work from a session that ended abruptly.
        self.recovery_box = QFrame()
        self.recovery_box.setObjectName("recoveryBox")
        rv = QVBoxLayout(self.recovery_box)
        recovery_title = QLabel("มีงานที่ยังไม่ได้บันทึกจากครั้งก่อน")
        recovery_title.setObjectName("sectionTitle")
        recovery_hint = QLabel("โปรแกรมปิดไปก่อนที่จะบันทึก งานที่พิมพ์ไว้ยังอยู่ในเครื่องนี้ เลือกงานแล้วกด กู้คืน")
        recovery_hint.setWordWrap(True)
        self.recovery_list = QListWidget()
        self.recover_button = QPushButton("กู้คืน")
        self.discard_button = QPushButton("ทิ้งงานนี้")
        self.recover_button.clicked.connect(self._recover)
        self.discard_button.clicked.connect(self._discard)
        self.recovery_list.itemDoubleClicked.connect(lambda _i: self._recover())
        rb = QHBoxLayout()
        rb.addWidget(self.recover_button)
        rb.addWidget(self.discard_button)
        rb.addStretch(1)
        rv.addWidget(recovery_title)
        rv.addWidget(recovery_hint)
        rv.addWidget(self.recovery_list)
        rv.addLayout(rb)
        self.recovery_box.hide()
        self._recoveries: list = []

        recent_title = QLabel("ไฟล์ล่าสุด")
        recent_title.setObjectName("sectionTitle")
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentFiles")
        # One click opens, as on a start page; Enter and double-click too (once: see below).
        self.recent_list.itemClicked.connect(self._recent_activated)
        self.recent_list.itemActivated.connect(self._recent_activated)
        self.recent_empty = QLabel("ยังไม่มีไฟล์ที่เคยเปิด")
        self.recent_empty.setObjectName("hint")

        column = QWidget()
        column.setMaximumWidth(760)
        column.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        cv = QVBoxLayout(column)
        cv.setSpacing(10)
        cv.addWidget(title)
        cv.addWidget(subtitle)
        cv.addWidget(intro)
        cv.addSpacing(8)
        cv.addLayout(buttons)
        cv.addSpacing(8)
        cv.addWidget(self.recovery_box)
        cv.addWidget(recent_title)
        cv.addWidget(self.recent_empty)
        cv.addWidget(self.recent_list)
        cv.addStretch(1)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 32, 40, 24)
        outer.addStretch(1)
        outer.addWidget(column, 6)
        outer.addStretch(1)

    def set_recent(self, paths: list[str]) -> None:
        self.recent_list.clear()
        for path in paths:
            p = Path(path)
            exists = p.exists()
            item = QListWidgetItem()
            item.setData(Qt.UserRole, str(p))
            item.setToolTip(str(p))
            # The name stands out; the folder (which stick, which share) is the quiet second line.
            note = "" if exists else " — ไม่พบไฟล์ แฟลชไดรฟ์อาจไม่ได้เสียบอยู่"
            label = QLabel(
                f"<div style='margin:2px 0'><span style='font-size:11.5pt; color:{'#1f3b57' if exists else '#8a8a8a'}'>"
                f"<b>{html.escape(p.name)}</b></span><br>"
                f"<span style='color:#6b7680'>{html.escape(str(p.parent))}{note}</span></div>"
            )
            label.setTextFormat(Qt.RichText)
            label.setContentsMargins(8, 4, 8, 4)
            label.setAttribute(Qt.WA_TransparentForMouseEvents)
            item.setSizeHint(label.sizeHint())
            self.recent_list.addItem(item)
            self.recent_list.setItemWidget(item, label)
        self.recent_empty.setVisible(not paths)
        self.recent_list.setVisible(bool(paths))
        rows = sum(self.recent_list.sizeHintForRow(r) for r in range(self.recent_list.count()))
        self.recent_list.setMaximumHeight(rows + 2 * self.recent_list.frameWidth() + 4 if paths else 0)

    def set_recoveries(self, infos: list) -> None:
        self._recoveries = list(infos)
        self.recovery_list.clear()
        for info in self._recoveries:
            where = str(info.target) if info.target else "ยังไม่เคยบันทึก"
            item = QListWidgetItem(
                f"{info.display_name} — แก้ไขล่าสุด {info.local_time_text} "
                f"({info.unsaved_changes} รายการที่ยังไม่บันทึก)"
            )
            item.setToolTip(where)
            self.recovery_list.addItem(item)
        if self._recoveries:
            self.recovery_list.setCurrentRow(0)
            shown = min(len(self._recoveries), 4)
            self.recovery_list.setFixedHeight(
                shown * self.recovery_list.sizeHintForRow(0) + 2 * self.recovery_list.frameWidth() + 4)
        self.recovery_box.setVisible(bool(self._recoveries))

    def _chosen_recovery(self):
        row = self.recovery_list.currentRow()
        return self._recoveries[row] if 0 <= row < len(self._recoveries) else None

    def _recover(self) -> None:
        info = self._chosen_recovery()
        if info is not None:
            self.recoverRequested.emit(info)

    def _discard(self) -> None:
        info = self._chosen_recovery()
        if info is not None:
            self.discardRecoveryRequested.emit(info)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        if not self.isVisible():  # the click already opened it; the double-click's second signal
            return
        path = item.data(Qt.UserRole)
        if path:
            self.recentChosen.emit(path)
