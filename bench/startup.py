"""Start-up of the window with a file open, against a bare PySide6 QMainWindow in the same run.

Each measurement is a fresh Python process (imports, fonts, window, file) that quits as soon
as the window has been painted: the bare window once, ours once its scores table has been
painted holding the file's scores (an event filter on the table's viewport sees the paint; until
2026-11-30 the process quit on the first event-loop turn after opening the file, which in fact
came before the document page was ever painted). Wall time and peak resident memory of that
process are taken from outside. The bare window is the floor no Qt program can beat here.

    python bench/startup.py [--runs 5] [--file FILE.db]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
class Shown(QObject):  # quits once the window has been painted
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False
w = QMainWindow(); w.resize(1366, 768)
shown = Shown(); w.installEventFilter(shown)
w.show()
app.exec()
"""

ITADESK = """
import sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from itadesk.ui.app import setup_application
app = QApplication(sys.argv[:1])
setup_application(app)
from itadesk.ui.main_window import MainWindow
w = MainWindow(); w.resize(1366, 768)
class Shown(QObject):  # quits once the scores table has been painted with the file's scores
    done = False
    def eventFilter(self, obj, event):
        # The window's update request paints every widget marked dirty, in one go: the first
        # one handled while the shown scores tab holds the file's scores paints the scores table.
        # (Watching the window, not the table's viewport: asking for that viewport from Python
        # makes PySide6 build the types of every QWidget class, a cost the program never pays.)
        if event.type() == QEvent.Type.UpdateRequest and not self.done and w.document is not None \\
                and w.scores_tab.isVisible() and w.scores_tab.indicator_view.model().rowCount() > 0:
            self.done = True
            QTimer.singleShot(0, app.quit)  # after this update request has painted
        return False
shown = Shown(); w.installEventFilter(shown)
w.show()
w.open_document(Path(sys.argv[1]))
QTimer.singleShot(120_000, app.quit)  # never hang the bench
app.exec()
if not shown.done:
    raise SystemExit("the scores table was never painted with the file's scores")
"""


def _child(code: str, *args: str, env: dict) -> float:
    """Seconds of one child process running ``code``, from spawn to exit."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return elapsed


def _peak(code: str, *args: str, env: dict) -> float:
    """Peak resident MiB of one run (wait4 gives that child's own maximum)."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", type=Path, help="document to open (default: the reference report's data)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadesk-startup-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "ITADESK_DATA_DIR": str(Path(tmp) / "data")}
        # As installed (pip and the frozen build ship compiled bytecode), as bench/run_all.py does:
        # with PYTHONDONTWRITEBYTECODE every measured run would compile our changed modules again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        document = args.file
        if document is None:
            document = Path(tmp) / "reference.db"
            subprocess.run([sys.executable, "-m", "itadesk", "import", str(document),
                            str(ROOT / "tests" / "fixtures" / "chiangphin.json")], env=env, check=True,
                           capture_output=True)
        _child(ITADESK, str(document), env=env)  # unmeasured: bytecode written, files cached
        bare, ours = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            bare.append(_child(BARE, env=env))
            ours.append(_child(ITADESK, str(document), env=env))
        bare_mib, ours_mib = _peak(BARE, env=env), _peak(ITADESK, str(document), env=env)
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · median of {args.runs}")
    print("| start-up to the window shown | time | × bare | peak memory |")
    print("|---|---|---|---|")
    print(f"| bare PySide6 QMainWindow 1366×768 | {b:.2f} s | 1.0× | {bare_mib:.0f} MiB |")
    print(f"| ITA Desk with the reference file open | {o:.2f} s | {o / b:.1f}× | {ours_mib:.0f} MiB |")


if __name__ == "__main__":
    main()
