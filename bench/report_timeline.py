"""Where the first export's time goes between the two processes of ``itadesk report``.

``itadesk report`` forks a process that draws the charts (Matplotlib) while it lays out the
pages (ReportLab) (``itadesk/report/chart_process.py``). On a shared, loaded machine the
wall time shows the load more than the overlap, so this measures each part's CPU seconds
(which the load inflates much less): before the fork, the layout after it, the charts'
process, and the end (forms defined, file saved). The wall time an idle two-core PC would
show is about: before + max(layout, charts) + end. Each run is a fresh process with an
empty chart cache (a first export); the median of the runs is printed.

    python bench/report_timeline.py [--runs 5] [--against SOURCE_TREE]

``--against`` measures another version of the program in the same run, alternating with this
one (a source tree, e.g. ``git archive main | tar -x -C /tmp/main-src``; it is put first on
``PYTHONPATH`` and the commands run outside this checkout).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from first_exports import labels, turns

ORG, YEAR = "อบต.เชียงพิณ", "2568"

# Runs the report command in this process with the chart process's two moments noted: its
# start (the fork) and the parent asking for its drawings; the child's CPU comes from wait4.
TRACE = r'''
import json, os, pickle, sys, time
cpu, wall0 = time.process_time, time.perf_counter()
from itadesk.report import chart_process
seen = {}
start, answers = chart_process.ChartProcess.__init__, chart_process.ChartProcess.answers

def traced_start(self, work):
    seen["fork"] = cpu()
    start(self, work)

def traced_answers(self):
    if self._pid is not None:
        seen["ask"] = cpu()
        with os.fdopen(self._read, "rb") as pipe:
            payload = pipe.read()
        _, status, usage = os.wait4(self._pid, 0)
        seen["child"] = usage.ru_utime + usage.ru_stime
        self._pid, self._answers = None, pickle.loads(payload)
    return self._answers

chart_process.ChartProcess.__init__ = traced_start
chart_process.ChartProcess.answers = chart_process.ChartProcess.close = traced_answers
from itadesk.cli import main
main(sys.argv[1:])
seen["end"], seen["wall"] = cpu(), time.perf_counter() - wall0
print(json.dumps(seen), file=sys.stderr)
'''


def run(document: Path, out: Path, env: dict) -> dict:
    cmd = [sys.executable, "-c", TRACE, "report", str(document), "--org", ORG, "--year", YEAR, "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=out.parent)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    import json

    seen = json.loads(proc.stderr.strip().splitlines()[-1])
    if "fork" not in seen:
        raise SystemExit("no chart process was started (no fork here, or the charts were cached)")
    return {"before": seen["fork"], "layout": seen["ask"] - seen["fork"], "charts": seen["child"],
            "end": seen["end"] - seen["ask"], "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another version's source tree, measured alternately")
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {label: [] for label in labels(args.against)}
    for turn in turns(args.runs, args.against):
        result = run(turn.document, turn.tmp / "r.pdf", turn.env)
        if turn.counted:
            runs[turn.label].append(result)
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    for label, measured in runs.items():
        if len(runs) > 1:
            print(f"{label}:")
        report(measured, args.runs, load)


def report(runs: list[dict], count: int, load: str) -> None:
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    idle = med["before"] + max(med["layout"], med["charts"]) + med["end"]
    print(f"first export, median of {count} runs{load} (CPU seconds):")
    print(f"  before the fork (start, file read, font, chart sizes)  {med['before']:.2f}")
    print(f"  layout and drawing of the pages (this process)          {med['layout']:.2f}")
    print(f"  charts (the other process: Matplotlib loaded, 4 drawn)  {med['charts']:.2f}")
    print(f"  forms defined, file saved                               {med['end']:.2f}")
    print(f"  total CPU {med['before'] + med['layout'] + med['charts'] + med['end']:.2f}; wall here {med['wall']:.2f}; "
          f"on an idle two-core PC about {idle:.2f} (before + the longer of the two + end)")


if __name__ == "__main__":
    main()
