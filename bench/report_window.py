"""The window's first PDF export: how long the officer waits after pressing "สร้าง PDF".

``itadesk report`` draws the charts in a forked process beside the layout; the window cannot
fork (Qt runs threads) and Windows has no fork, so there the charts and the layout of a first
export run one after the other. This measures that path as the officer meets it: a fresh
window (offscreen) opens the reference file, ไฟล์ → ส่งออก PDF… is chosen, the officer spends
``--dialog`` seconds in the export dialog (reading it, choosing where to save), presses
"สร้าง PDF", and the clock runs until the PDF is saved. Printed: that wait (wall) and the
process's CPU seconds in it, and the CPU from choosing the menu item to the PDF saved. Each run
is a fresh process with an empty chart cache (Matplotlib not loaded yet: a first export).

    QT_QPA_PLATFORM=offscreen python bench/report_window.py [--runs 5] [--dialog 2] [--against SOURCE_TREE]

``--against`` measures another version's source tree alternately in the same run (as
``bench/report_timeline.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from first_exports import labels, turns

SCRIPT = r'''
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from itadesk.ui.app import setup_application
from itadesk.ui.main_window import MainWindow
from itadesk.ui import pdf_export

document, out, dialog_seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
app = QApplication(sys.argv[:1])
setup_application(app)
seen = {}

def officer(dialog):  # reads the dialog for a while, then presses "สร้าง PDF"
    dialog.path_edit.setText(str(out))
    loop = QEventLoop()
    QTimer.singleShot(int(dialog_seconds * 1000), loop.quit)
    loop.exec()
    seen["accepted"] = (time.perf_counter(), time.process_time())
    return QDialog.Accepted

def done(parent, result):
    seen["done"] = (time.perf_counter(), time.process_time())
    return False

pdf_export.PdfExportDialog.exec = officer
pdf_export.show_done = done
window = MainWindow()
window.resize(1366, 768)
window.show()
window.open_document(document)
app.processEvents()
start = time.process_time()
window.export_pdf()
assert out.exists() and "done" in seen, "no PDF"
print(json.dumps({"wait": seen["done"][0] - seen["accepted"][0], "wait_cpu": seen["done"][1] - seen["accepted"][1],
                  "export_cpu": seen["done"][1] - start, "matplotlib": "matplotlib" in sys.modules}))
window.context.undo_stack.setClean()
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dialog", type=float, default=2.0, help="seconds the officer spends in the export dialog")
    parser.add_argument("--against", type=Path, help="another version's source tree, measured alternately")
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {label: [] for label in labels(args.against)}
    for turn in turns(args.runs, args.against, {"QT_QPA_PLATFORM": "offscreen"}):
        out = turn.tmp / "report.pdf"
        proc = subprocess.run([sys.executable, "-c", SCRIPT, str(turn.document), str(out), str(args.dialog)],
                              env=turn.env, cwd=turn.tmp, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        if turn.counted:
            runs[turn.label].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"the window's first export, {args.dialog:g} s in the dialog, median of {args.runs} runs{load}:")
    for label, measured in runs.items():
        med = {k: statistics.median(r[k] for r in measured) for k in ("wait", "wait_cpu", "export_cpu")}
        print(f"  {label}: after 'สร้าง PDF' {med['wait']:.2f} s (CPU {med['wait_cpu']:.2f} s); "
              f"CPU from the menu to the PDF {med['export_cpu']:.2f} s")


if __name__ == "__main__":
    main()
