"""Start-up of the window with a file open, against a bare PySide6 QMainWindow in the same run.

Each measurement is a fresh Python process (imports, fonts, window, file) that quits as soon
as the window has been painted: the bare window once, ours once its scores table has been
painted holding the file's scores (until 2026-11-30 the process quit on the first event-loop
turn after opening the file, which in fact came before the document page was ever painted).
Wall time, CPU time (all threads) and peak resident memory of the whole process are taken from
outside (os.wait4), as bench/run_all.py does; the process also says its CPU time at the moment
the window has been painted, so the table shows start-up alone too, without the closing and
Python's own teardown that follow. The bare window is the floor no Qt program can beat here.

    python bench/startup.py [--runs 5] [--file FILE.db] [--against SOURCE_TREE ...]

``--against SOURCE_TREE`` also measures another version's source tree (e.g. ``git archive main |
tar -x -C /tmp/main-src``), interleaved with this one in the same run, as bench/run_all.py's
option of that name does for the report: its processes run in that tree, first on the import path.
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
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
def quit():  # says when it was shown: CPU seconds of the process so far, and the clock
    sys.stderr.write(f"shown {time.process_time()} {time.time()}\\n")
    app.quit()
class Shown(QObject):  # quits once the window has been painted
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, quit)
        return False
w = QMainWindow(); w.resize(1366, 768)
shown = Shown(); w.installEventFilter(shown)
w.show()
app.exec()
"""

ITADESK = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from itadesk.ui.app import open_window, setup_application
app = QApplication(sys.argv[:1])
setup_application(app)
def quit():  # says when it was shown: CPU seconds of the process so far, and the clock
    sys.stderr.write(f"shown {time.process_time()} {time.time()}\\n")
    app.quit()
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
            QTimer.singleShot(0, quit)  # after this update request has painted
        return False
# The program's own start (itadesk FILE): window shown, file opened; the document page is
# painted by the event loop below (opening sets it up after its worker's loop has ended).
w = open_window([sys.argv[1]]); w.resize(1366, 768)
shown = Shown(); w.installEventFilter(shown)
QTimer.singleShot(120_000, app.quit)  # never hang the bench
app.exec()
if not shown.done:
    raise SystemExit("the scores table was never painted with the file's scores")
"""


def _child(code: str, *args: str, env: dict, source: Path = ROOT) -> dict:
    """One child process running ``code`` on the program in ``source``: wall and CPU seconds
    and peak MiB of the whole process, and wall and CPU seconds until the window was shown
    (the child says when)."""
    if source != ROOT:
        env = {**env, "PYTHONPATH": str(source)}
    started, start = time.time(), time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=source,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(err)
    shown = [line.split() for line in err.splitlines() if line.startswith("shown ")][-1]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "mib": usage.ru_maxrss / 1024,
            "shown_cpu": float(shown[1]), "shown_wall": float(shown[2]) - started}


def _median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", type=Path, help="document to open (default: the reference report's data)")
    parser.add_argument("--against", type=Path, action="append", default=[], metavar="SOURCE_TREE",
                        help="another source tree of the program, measured in the same run")
    args = parser.parse_args()
    sources = [ROOT, *(path.resolve() for path in args.against)]
    with tempfile.TemporaryDirectory(prefix="itadesk-startup-") as tmp:
        # Its own data folder, and its own Qt settings (on Linux): opening a file puts it first
        # in the recent files, which would otherwise be the list of whoever runs the bench.
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "ITADESK_DATA_DIR": str(Path(tmp) / "data"), "XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        # As installed (pip and the frozen build ship compiled bytecode), as bench/run_all.py does:
        # with PYTHONDONTWRITEBYTECODE every measured run would compile our changed modules again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        document = args.file
        if document is None:
            document = Path(tmp) / "reference.db"
            subprocess.run([sys.executable, "-m", "itadesk", "import", str(document),
                            str(ROOT / "tests" / "fixtures" / "chiangphin.json")], env=env, check=True,
                           capture_output=True)
        for source in sources:
            _child(ITADESK, str(document), env=env, source=source)  # unmeasured: bytecode written, files cached
        bare, ours = [], {source: [] for source in sources}
        for _ in range(args.runs):  # interleaved, so machine noise hits all alike
            bare.append(_child(BARE, env=env))
            for source in sources:
                ours[source].append(_child(ITADESK, str(document), env=env, source=source))
    b = _median(bare)
    load = f" · load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · {os.cpu_count()} cores{load} · "
          f"Python {platform.python_version()} · median of {args.runs}; ratios of CPU time")
    print("| start-up to the window shown | whole process: wall (CPU) | × bare | until shown: wall (CPU) | × bare | peak memory |")
    print("|---|---|---|---|---|---|")
    rows = [("bare PySide6 QMainWindow 1366×768", b)]
    for source in sources:
        rows.append(("ITA Desk with the reference file open" + ("" if source == ROOT else f" ({source})"),
                     _median(ours[source])))
    for name, m in rows:
        print(f"| {name} | {m['wall']:.2f} s ({m['cpu']:.2f} s) | {m['cpu'] / b['cpu']:.1f}× | "
              f"{m['shown_wall']:.2f} s ({m['shown_cpu']:.2f} s) | {m['shown_cpu'] / b['shown_cpu']:.1f}× | "
              f"{m['mib']:.0f} MiB |")


if __name__ == "__main__":
    main()
