"""The application's style sheet can be set again after windows were built: a fresh process
builds the window twice on a district's file (opening at its overview) and then sets the
style sheet as the program's start does. Taking the application style sheet away and putting
it back around a window's build left Qt's styles so that this segfaulted (every GUI test sets
up the application again: the whole CI run died with it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.many_orgs import many_orgs_file

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import shutil, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from itadesk.ui.app import STYLE_SHEET, setup_application
app = QApplication(sys.argv[:1])
setup_application(app)
from itadesk.ui.main_window import MainWindow
district = Path(sys.argv[1])
for i in range(2):
    copy = district.with_name(f"copy{i}.db")
    shutil.copyfile(district, copy)
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    assert window.open_document(copy)
    for _ in range(3):
        app.processEvents()
    window.context.document.close(discard=True)
    window.context.set_document(None)
    window.close()
    window.deleteLater()
    for _ in range(3):
        app.processEvents()
    app.setStyleSheet(STYLE_SHEET)  # as setup_application does
print("styled again", flush=True)
"""


def test_the_style_sheet_can_be_set_again_after_windows_were_built(tmp_path):
    district = many_orgs_file(tmp_path, 300)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(district)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0 and "styled again" in proc.stdout, (proc.returncode, proc.stderr[-2000:])
