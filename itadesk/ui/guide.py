"""ช่วยเหลือ → คู่มือการใช้งาน: the Thai user guide shipped in resources/guide/, shown offline.

The guide is plain HTML with screenshots beside it, so it can be read in the program (a
QTextBrowser, no web engine) and in any browser from the bundle's folder alike.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from itadesk.resources import resource_path

TITLE = "คู่มือการใช้งาน"


def guide_page():
    return resource_path("guide", "index.html")


class GuideDialog(QDialog):
    """A non-modal window with the guide; links inside the guide jump within it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{TITLE} ITA Desk")
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(guide_page())))
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.button(QDialogButtonBox.Close).setText("ปิด")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(860, 680)
