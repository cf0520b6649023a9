"""Issue 16's table in one run: each of our figures against a reference measured in the same run.

1. Start-up to the window shown with the reference file open, against a bare PySide6
   QMainWindow 1366x768 (time and peak memory; fresh processes, interleaved).
2. The full reference report as PDF (``itadesk report``, a fresh process) against
   LibreOffice converting the same report written as .docx (same text, tables and chart
   pictures; ``soffice --headless --convert-to pdf``, warm profile, a fresh process).
3. One score typed in the window on a 300-organization file: SQL statements and time
   from the key to the refreshed window (median over several edits); the frame is 16 ms.

    python bench/run_all.py [--runs 3] [--write-readme] [--skip-typing] [--against SOURCE_TREE]

``--against`` also exports the report with another version's source tree (e.g. ``git archive
main | tar -x -C /tmp/main-src``), alternating with this one and LibreOffice, and prints those
two rows for it after the table (never written to the README).

Seconds are wall time of the whole process (start, imports, work, exit), as the officer
waits for it; on a shared machine read the ratios, which are taken in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import BARE, ITADESK  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "chiangphin.json"
ORG, YEAR = "อบต.เชียงพิณ", "2568"
MARK_START, MARK_END = "<!-- bench:run_all:start -->", "<!-- bench:run_all:end -->"


def _itadesk(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "itadesk", *args], env=env, check=True, capture_output=True)


class Run:
    """One process measured from outside: wall seconds, CPU seconds (user + system, its
    children included: soffice runs soffice.bin) and peak resident MiB."""

    def __init__(self, cmd: list[str], env: dict, cwd: Path | None = None):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        self.wall = time.perf_counter() - start
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{cmd[:4]} failed: {err[-2000:]}")
        self.cpu = usage.ru_utime + usage.ru_stime
        self.mib = usage.ru_maxrss / 1024


def _median(runs: list[Run]) -> dict:
    return {"wall": statistics.median(r.wall for r in runs), "cpu": statistics.median(r.cpu for r in runs),
            "mib": statistics.median(r.mib for r in runs)}


def startup(document: Path, runs: int, env: dict) -> dict:
    Run([sys.executable, "-c", ITADESK, str(document)], env)  # unmeasured: bytecode written, files cached
    bare, ours = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        bare.append(Run([sys.executable, "-c", BARE], env))
        ours.append(Run([sys.executable, "-c", ITADESK, str(document)], env))
    return {"bare": _median(bare), "ours": _median(ours)}


def report(document: Path, tmp: Path, runs: int, env: dict, against: Path | None = None) -> dict:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    docx = tmp / "report.docx"
    _itadesk("report", str(document), "--org", ORG, "--year", YEAR, "-o", str(docx), env=env)
    ours_cmd = [sys.executable, "-m", "itadesk", "report", str(document), "--org", ORG, "--year", YEAR,
                "-o", str(tmp / "report.pdf")]
    lo_cmd = None
    if soffice:
        profile = (tmp / "lo-profile").as_uri()
        lo_cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                  "--outdir", str(tmp / "lo"), str(docx)]
        Run(lo_cmd, env)  # the first start writes a fresh profile: not measured
    Run(ours_cmd, env)  # nor ours: bytecode written
    other_env = None
    if against:  # the other version first on the path, run outside this checkout
        other_env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(against), env.get("PYTHONPATH")]))}
        Run(ours_cmd, other_env, cwd=tmp)
    ours, warm, theirs, other, other_warm = [], [], [], [], []
    cache = Path(env["ITADESK_DATA_DIR"]) / "chart-cache"
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)  # the first export of these figures: charts drawn
        ours.append(Run(ours_cmd, env))
        warm.append(Run(ours_cmd, env))  # exported again: charts from the cache (if the program has one)
        if other_env:
            shutil.rmtree(cache, ignore_errors=True)
            other.append(Run(ours_cmd, other_env, cwd=tmp))
            other_warm.append(Run(ours_cmd, other_env, cwd=tmp))
        if lo_cmd:
            theirs.append(Run(lo_cmd, env))
    pages = _pages(tmp / "report.pdf")
    return {"ours": _median(ours), "warm": _median(warm), "lo": _median(theirs) if theirs else None,
            "other": _median(other) if other else None, "other_warm": _median(other_warm) if other else None,
            "pages": pages, "lo_pages": _pages(tmp / "lo" / "report.pdf") if theirs else None,
            "size_kb": (tmp / "report.pdf").stat().st_size / 1024}


def _pages(pdf: Path) -> int | None:
    if not shutil.which("pdfinfo") or not pdf.exists():
        return None
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else None


TYPING = r'''
import sqlite3, statistics, sys, time
from pathlib import Path
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

statements = [0]
_connect = sqlite3.connect
def counted(*args, **kwargs):
    # Python's trace callback reports a statement again at the start of each trigger it fires
    # (the file's change-tracking triggers): a statement repeated at once is counted once.
    conn, last = _connect(*args, **kwargs), [None]
    def seen(sql):
        if sql != last[0]:
            statements[0] += 1
        last[0] = sql
    conn.set_trace_callback(seen)
    return conn
sqlite3.connect = counted

from itadesk.ui.app import setup_application
app = QApplication(sys.argv[:1])
setup_application(app)
from itadesk.ui.main_window import MainWindow
from itadesk.ui.score_models import IndicatorScoresModel
w = MainWindow(); w.resize(1366, 768); w.show()
w.open_document(Path(sys.argv[1]))
for _ in range(50):
    QApplication.processEvents()
w.tabs.setCurrentWidget(w.scores_tab)
view = w.scores_tab.indicator_view
w.activateWindow(); view.setFocus()
times, counts = [], []
for i in range(int(sys.argv[2])):
    row = i % view.model().rowCount()
    view.setCurrentIndex(view.model().index(row, IndicatorScoresModel.SCORE_COLUMN))
    QApplication.processEvents()
    text = f"{80 + i % 7}.{i % 10}5\r"
    before, start = statements[0], time.perf_counter()
    for ch in text:
        key = Qt.Key_Return if ch == "\r" else Qt.Key_unknown
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(QApplication.focusWidget(), QKeyEvent(kind, key, Qt.NoModifier, ch))
    for _ in range(3):
        QApplication.processEvents()
    times.append(time.perf_counter() - start)
    counts.append(statements[0] - before)
print(statistics.median(times), statistics.median(counts), max(times))
import os; os._exit(0)
'''


def typing(tmp: Path, edits: int, env: dict) -> dict:
    source = tmp / "orgs300.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate_orgs.py"), "--orgs", "300",
                    "--years", "2567-2568", "-o", str(source)], env=env, check=True, capture_output=True)
    document = tmp / "orgs300.db"
    _itadesk("import", str(document), str(source), env=env)
    proc = subprocess.run([sys.executable, "-c", TYPING, str(document), str(edits)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    median, count, worst = proc.stdout.split()[-3:]
    return {"ms": float(median) * 1000, "statements": float(count), "worst_ms": float(worst) * 1000}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{load}, "
            f"Python {platform.python_version()}")


def _secs(m: dict) -> str:
    return f"{m['wall']:.2f} s (CPU {m['cpu']:.2f} s)"


def _versus(speedup: float) -> str:
    if 0.95 <= speedup < 1.05:
        return "as fast as LibreOffice"
    return (f"{speedup:.1f}× faster than LibreOffice" if speedup >= 1
            else f"{1 / speedup:.1f}× slower than LibreOffice")


def table(s: dict, r: dict, t: dict | None, runs: int) -> str:
    lines = [f"Measured {date.today().isoformat()} on {machine()} (`python bench/run_all.py --runs {runs}`, "
             "median of the runs; wall time of whole processes, and their CPU time, which a busy "
             "machine inflates less; ratios of CPU time):", "",
             "| work | reference (same run) | ITA Desk | ratio | target |", "|---|---|---|---|---|"]
    b, o = s["bare"], s["ours"]
    lines.append(f"| start-up, window shown with the reference file open | bare PySide6 QMainWindow 1366×768: "
                 f"{_secs(b)}, {b['mib']:.0f} MiB | {_secs(o)}, {o['mib']:.0f} MiB | "
                 f"{o['cpu'] / b['cpu']:.1f}× the bare window | ≤ 1.5×, ≤ 120 MiB |")
    if r["lo"]:
        ratio = _versus(r["lo"]["cpu"] / r["ours"]["cpu"])
        lo = f"LibreOffice .docx → PDF: {_secs(r['lo'])} ({r['lo_pages']} pages)"
    else:
        ratio, lo = "–", "LibreOffice not installed"
    lines.append(f"| the full reference report as PDF (`itadesk report`), first export | {lo} | {_secs(r['ours'])} "
                 f"({r['pages']} pages, {r['size_kb']:.0f} KB) | {ratio} | ≤ 1.5 s, ≥ 3× faster |")
    if r["lo"]:
        ratio = _versus(r["lo"]["cpu"] / r["warm"]["cpu"])
    lines.append(f"| the same report exported again (charts unchanged) | as above | {_secs(r['warm'])} | {ratio} | |")
    if t:
        lines.append(f"| one score typed, 300-organization file | one frame: 16 ms | {t['ms']:.0f} ms "
                     f"(worst {t['worst_ms']:.0f} ms), {t['statements']:.0f} SQL statements | "
                     f"{t['ms'] / 16.7:.1f} frames | within one frame |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text(encoding="utf-8")
    block = f"{MARK_START}\n{text}\n{MARK_END}"
    if MARK_START in content:
        content = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _: block, content, flags=re.S)
    else:
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(content, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--skip-typing", action="store_true")
    parser.add_argument("--against", type=Path, help="another version's source tree: its report rows too")
    parser.add_argument("--write-readme", action="store_true", help="put the table between the README's bench markers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadesk-bench-") as name:
        tmp = Path(name)
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "ITADESK_DATA_DIR": str(tmp / "data")}
        # As installed: pip and the frozen build ship compiled bytecode, so let the first
        # (unmeasured) runs write it rather than compile every module in every measured run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        document = tmp / "reference.db"
        _itadesk("import", str(document), str(FIXTURE), env=env)
        s = startup(document, args.runs, env)
        r = report(document, tmp, args.runs, env, args.against.resolve() if args.against else None)
        t = None if args.skip_typing else typing(tmp, args.edits, env)
    text = table(s, r, t, args.runs)
    print(text)
    if r["other"]:
        lo = r["lo"]["cpu"] if r["lo"] else None
        print(f"\nthe report with {args.against} (same run, alternating):")
        for label, m in (("first export", r["other"]), ("exported again", r["other_warm"])):
            print(f"| {label} | {_secs(m)} | {_versus(lo / m['cpu']) if lo else '–'} |")
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
