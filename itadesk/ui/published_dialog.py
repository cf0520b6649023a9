"""Type the NACC's published figures of a year (tool scores, total, level) beside the computed ones.

The rule of which figure is shown lives in ``itadesk.ita.published``; this form only takes
what is typed, checks it with the same parser the JSON import uses, and shows our own
figure beside each field so a typing slip is seen at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from itadesk.ita.published import LEVEL, figures, label, parse_published
from itadesk.ui import thai_format as tf

TITLE = "ผลที่ ป.ป.ช. ประกาศ"
INTRO = ("กรอกคะแนนและระดับตามที่ ป.ป.ช. ประกาศ (เว้นว่างได้) ถ้าต่างจากที่โปรแกรมคำนวณไม่เกิน 0.01 คะแนน "
         "รายงานจะใช้ค่าที่ประกาศ เพราะ ป.ป.ช. คำนวณจากค่าที่ไม่ได้ปัดเศษ ถ้าต่างมากกว่านั้นจะเตือนให้ตรวจสอบการพิมพ์")


class PublishedDialog(QDialog):
    def __init__(self, parent: QWidget | None, year: int, tool_codes, computed: dict, published: dict,
                 level_names: list[str]):
        super().__init__(parent)
        self._tools = tuple(tool_codes)
        self.setWindowTitle(f"{TITLE} ปี {tf.year(year)}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel("ที่ประกาศ"), 0, 1)
        grid.addWidget(QLabel("ที่โปรแกรมคำนวณ"), 0, 2)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        for row, figure in enumerate(figures(self._tools), start=1):
            grid.addWidget(QLabel(label(figure)), row, 0)
            value = published.get(figure)
            if figure == LEVEL:
                field = QComboBox()
                field.setEditable(True)
                field.addItems([""] + list(level_names))
                field.setCurrentText(str(value or ""))
                shown = computed.get(figure) or "-"
            else:
                field = QLineEdit("" if value is None else f"{float(value):.2f}")
                field.setAlignment(Qt.AlignRight)
                shown = tf.score(computed.get(figure))
            field.setObjectName(f"published_{figure}")
            self.fields[figure] = field
            grid.addWidget(field, row, 1)
            grid.addWidget(QLabel(shown), row, 2)
        layout.addLayout(grid)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        buttons.addButton("บันทึก", QDialogButtonBox.AcceptRole)
        buttons.addButton("ยกเลิก", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._figures: dict[str, float | str] = {}

    def _typed(self) -> dict:
        out = {}
        for figure, field in self.fields.items():
            out[figure] = field.currentText() if isinstance(field, QComboBox) else field.text().strip()
        return out

    def accept(self) -> None:
        try:
            self._figures = parse_published(self._typed(), self._tools)
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        super().accept()

    def figures(self) -> dict[str, float | str | None]:
        """Every figure: the typed value, or None where the field was left empty (cleared)."""
        return {figure: self._figures.get(figure) for figure in figures(self._tools)}
