"""Start the window: one QApplication with the bundled Sarabun font and the Thai look.

Windows PCs in district offices differ in which Thai fonts they have; registering the
bundled Sarabun (OFL, resources/fonts) makes every PC show the same letters and spacing.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from itadesk import __version__
from itadesk.resources import resource_path

APP_NAME = "ITA Desk"
ORG_NAME = "ITA Desk"
FONT_FAMILY = "Sarabun"
FONT_POINT_SIZE = 10.5

STYLE_SHEET = """
QLabel#sectionTitle { font-weight: bold; color: #1f3b57; padding-top: 2px; }
QLabel#hint { color: #5f6b76; }
QLabel#message { color: #b3261e; font-weight: bold; }
QFrame#readonlyBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px; }
QFrame#readonlyBanner QLabel { color: #5c4400; }
QFrame#rulesBanner { background: #e8f1fb; border-bottom: 1px solid #b9cfe6; }
QFrame#rulesBanner QLabel { color: #1f3b57; }
QFrame#selectorBar { background: #f3f6f9; border-bottom: 1px solid #d7dee5; }
QLabel#welcomeTitle { font-size: 22pt; font-weight: bold; color: #1f3b57; }
QLabel#welcomeSubtitle { font-size: 13pt; color: #3c4a57; }
QPushButton#bigButton { font-size: 12pt; padding: 10px 18px; text-align: left; }
QFrame#recoveryBox { background: #fdecea; border: 1px solid #e8a39c; border-radius: 4px; }
QHeaderView::section { background: #e9eef3; padding: 2px 4px; border: none;
    border-right: 1px solid #cfd8e0; border-bottom: 1px solid #cfd8e0; }
QListWidget#recentFiles::item { border-bottom: 1px solid #e3e8ec; }
QListWidget#recentFiles::item:selected, QListWidget#recentFiles::item:hover { background: #e6f0fa; }
QTableView { gridline-color: #d5dde5; selection-background-color: #2f80c9; }
"""


def register_fonts() -> str | None:
    """Register every bundled Sarabun face with Qt; the family name, or None if none loaded."""
    family = None
    for path in sorted(resource_path("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families and (family is None or families[0] == FONT_FAMILY):
            family = families[0]
    return family


def setup_application(app: QApplication) -> None:
    """Everything a window needs from the application, shared by ``run`` and the tests."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Thai, QLocale.Thailand))
    family = register_fonts()
    if family:
        font = QFont(family)
        font.setPointSizeF(FONT_POINT_SIZE)
        font.setHintingPreference(QFont.PreferNoHinting)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
    app.setWindowIcon(QIcon(str(resource_path("icons", "itadesk.png"))))


def _install_excepthook(app: QApplication) -> None:
    """An unexpected error (a bug) becomes a dialog with the details, never a silent exit."""

    def hook(kind, value, tb):
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.__stderr__.write(details)
        box = QMessageBox(QMessageBox.Critical, APP_NAME,
                          "เกิดข้อผิดพลาดที่ไม่คาดคิดในโปรแกรม ข้อมูลที่บันทึกแล้วยังอยู่ครบ "
                          "กรุณาบันทึกงานแล้วเปิดโปรแกรมใหม่ และแจ้งรายละเอียดด้านล่างแก่ผู้ดูแล")
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook


def run(argv: list[str]) -> int:
    """Open the main window; ``argv`` may name one document file to open."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication([sys.argv[0] if sys.argv else "itadesk"])
    setup_application(app)
    _install_excepthook(app)

    window = open_window(argv)
    if SMOKE_TEST in argv:
        return _smoke_test(app, window, [a for a in argv if not a.startswith("-")])
    return app.exec()


# A window started on a file is shown when the file is open, or after this long if opening
# takes longer (a file on a slow stick): before the busy dialog (ui/busy.DIALOG_AFTER_MS).
SHOW_WHILE_OPENING_MS = 250


def open_window(argv: list[str]):
    """Show the main window and open the file ``argv`` names (else offer unsaved work); the
    start-up that bench/startup.py measures.

    A window started on a file is painted once, with the file in it: shown before opening, it
    was laid out and painted empty while the file opened, then again (~30 ms of CPU, issue 16).
    Nor does it build its welcome page, which it would only show if the file failed to open."""
    from itadesk.ui.main_window import MainWindow

    paths = [a for a in argv if not a.startswith("-")]
    window = MainWindow(opening=bool(paths))
    if not paths:
        window.show()
        window.warn_about_catalogs()
        window.offer_recovery_on_start()
        return window
    # Its platform window exists from now on, so that the busy dialog's input block covers it
    # if it is shown while the file opens. A question or an error while opening (file in use,
    # not an ITA Desk file) comes up first; the window joins it SHOW_WHILE_OPENING_MS later.
    window.create()
    show_soon = QTimer(window)
    show_soon.setSingleShot(True)
    show_soon.timeout.connect(window.show)
    show_soon.start(SHOW_WHILE_OPENING_MS)
    window.warn_about_catalogs()
    window.open_document(Path(paths[0]))
    show_soon.stop()  # shown now in any case: a window closed later must stay closed
    show_soon.deleteLater()
    window.show()
    return window


SMOKE_TEST = "--smoke-test"


def _smoke_test(app: QApplication, window, paths: list[str]) -> int:
    """The frozen build's self-check (installers/smoke.sh, the Windows CI): the file given has
    opened in the window; close it through the normal path and quit. 0 = opened, 3 = not."""
    opened = window.document is not None
    print(f"smoke-test: {'opened' if opened else 'NOT opened'} {paths[0] if paths else '(no file)'}", flush=True)
    QTimer.singleShot(300, window.close)
    app.exec()
    return 0 if opened else 3
