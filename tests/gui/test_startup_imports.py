"""Nothing heavy loads before it is needed (issue 16): the window opens a file without
Matplotlib, ReportLab, openpyxl or sqlite-utils; each comes with the first thing that uses it.

A behaviour test, not a timing: a fresh interpreter builds the main window, opens the reference
file and lets the event loop run, then says which of those libraries it has imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "reportlab", "openpyxl", "sqlite_utils", "numpy", "pythainlp", "docx")

SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from itadesk.ui.app import setup_application
app = QApplication(sys.argv[:1])
setup_application(app)
from itadesk.ui.main_window import MainWindow
w = MainWindow(); w.resize(1366, 768); w.show()
w.open_document(Path(sys.argv[1]))
for _ in range(20):
    app.processEvents()
heavy = json.loads(sys.argv[2])
def loaded():
    return sorted({m.split(".")[0] for m in sys.modules} & set(heavy))
report = {"opened": w.document is not None, "at_start": loaded()}
w.tabs.setCurrentWidget(w.analysis_tab)
w.analysis_tab.pages.setCurrentWidget(w.analysis_tab.chart_box)
for _ in range(20):
    app.processEvents()
report["chart_shown"] = w.analysis_tab.chart.figure is not None
report["after_chart"] = loaded()
print(json.dumps(report))
"""


def test_opening_a_file_loads_no_chart_pdf_or_excel_library(tmp_path):
    env = dict(os.environ, ITADESK_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    document = tmp_path / "reference.itadesk"
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "chiangphin.json"
    subprocess.run([sys.executable, "-m", "itadesk", "import", str(document), str(fixture)], env=env,
                   check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(document), json.dumps(HEAVY)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["opened"]
    assert report["at_start"] == [], report
    # ...and the check can see a library arrive: the chart tab brings Matplotlib.
    assert report["chart_shown"] and "matplotlib" in report["after_chart"], report
