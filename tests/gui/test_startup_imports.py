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
# The tabs behind the scores and the dialogs: built (and imported) when first shown or used;
# the reader of a whole report and the assessors' recommendations: with the first report.
LATER = ("itadesk.ui.analysis_tab", "itadesk.ui.plan_tab", "itadesk.ui.overview_tab", "itadesk.ui.welcome",
         "itadesk.ui.org_dialog", "itadesk.ui.conflicts_dialog", "itadesk.ui.print_report", "PySide6.QtPrintSupport",
         "itadesk.report.content", "itadesk.ita.recommendations")

SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from itadesk.ui.app import setup_application
app = QApplication(sys.argv[:1])
setup_application(app)
from itadesk.ui.app import open_window
w = open_window([sys.argv[1]]); w.resize(1366, 768)
for _ in range(20):
    app.processEvents()
heavy, later = json.loads(sys.argv[2]), json.loads(sys.argv[3])
def loaded():
    return sorted({m.split(".")[0] for m in sys.modules} & set(heavy))
report = {"opened": w.document is not None and w.scores_tab.isVisible(), "at_start": loaded(),
          "later_at_start": sorted(set(sys.modules) & set(later))}
w.tabs.setCurrentWidget(w.analysis_tab)
w.analysis_tab.pages.setCurrentWidget(w.analysis_tab.chart_box)
for _ in range(20):
    app.processEvents()
report["chart_shown"] = w.analysis_tab.chart.figure is not None
report["after_chart"] = loaded()
print(json.dumps(report))
"""


def test_opening_a_file_loads_no_chart_pdf_or_excel_library_and_builds_only_the_scores_tab(tmp_path):
    env = dict(os.environ, ITADESK_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    document = tmp_path / "reference.itadesk"
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "chiangphin.json"
    subprocess.run([sys.executable, "-m", "itadesk", "import", str(document), str(fixture)], env=env,
                   check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(document), json.dumps(HEAVY), json.dumps(LATER)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["opened"]
    assert report["at_start"] == [] and report["later_at_start"] == [], report
    # ...and the check can see a library arrive: the chart tab brings Matplotlib.
    assert report["chart_shown"] and "matplotlib" in report["after_chart"], report
