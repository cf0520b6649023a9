"""`itadesk summary FILE --json` of a district's file, and the save of one edit of it (issue 15).

Each summary runs in its own process, as an officer runs it (Python's bytecode compiled once,
as an installed program has it), alternated with a reference measured in the same run: plain
Python and sqlite3 reading every kept result text of the same file and printing them as one
JSON array (what any summary must at least do); with ``--other SRC`` also the same command from
another source tree (e.g. ``git archive main | tar -x -C SRC``). Wall and CPU seconds (user +
system, the hashing thread included) of each run, their medians, and the median ratios; the
load average is given, the machine being shared.

The save: the file opened as the window opens it, one score changed, then the step of a save
that brings the kept results up to date (``refresh_results``) timed on its own, and a whole
save after a second edit (CPU seconds of this process, all threads).

    python bench/scale.py --help                       # how the files are generated
    python bench/summary_json.py --orgs 8000 --folder /tmp/summary   # made once, then reused
    python bench/summary_json.py --file /tmp/summary/orgs8000.db --runs 7 --other /tmp/summary/main-src
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_orgs import generate  # noqa: E402
from scale import CHILD  # noqa: E402 - runs the CLI and prints its own peak memory

REFERENCE = ("import json, sqlite3, sys; c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True); "
             "print(json.dumps([json.loads(t) for (t,) in c.execute('SELECT result FROM assessment_results')]))")


def _run(args: list[str], env: dict) -> tuple[float, float, str, int]:
    """Wall and CPU seconds of one process, what it printed and its peak MiB (0: not known). Run
    from the file's folder: the source tree is the installed one, or PYTHONPATH's (--other)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          cwd=Path(env["ITADESK_DATA_DIR"]).parent)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed:\n{proc.stderr[-2000:]}")
    peak = next((int(line.split()[1]) // 1024 for line in proc.stderr.splitlines() if line.startswith("PEAK_KIB")), 0)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.stdout, peak


def make_file(orgs: int, folder: Path, env: dict) -> Path:
    """A file of ``orgs`` organizations × 6 years imported as bench/scale.py does."""
    target = folder / f"orgs{orgs}.db"
    if target.exists():
        return target
    entries = generate(orgs, 2563, 2568)
    sources = []
    for part, start in enumerate(range(0, len(entries), 6000)):
        sources.append(str(folder / f"orgs{orgs}-part{part}.json"))
        Path(sources[-1]).write_text(json.dumps(entries[start:start + 6000], ensure_ascii=False), encoding="utf-8")
    _run(["-m", "itadesk", "import", str(target), *sources], env)
    return target


def summaries(path: Path, runs: int, env: dict, other: Path | None = None) -> dict:
    """Alternated runs of the reference, of ``summary --json`` and of the other tree's (one
    warm-up of each first: a file seen for the first time is checked in full)."""
    summary = ["-c", CHILD, "summary", str(path), "--json"]
    other_env = {**env, "PYTHONPATH": str(other)} if other else None
    ref, ours, theirs, loads = [], [], [], []
    for n in range(runs + 1):
        loads.append(os.getloadavg()[0])
        ref.append(_run(["-c", REFERENCE, str(path)], env)[:2])
        wall, cpu, out, peak = _run(summary, env)
        ours.append((wall, cpu, peak))
        if other_env:
            wall, cpu, their_out, peak = _run(summary, other_env)
            theirs.append((wall, cpu, peak))
            if json.loads(their_out) != json.loads(out):
                raise SystemExit("the other tree's summary differs")
    return {"ref": ref[1:], "ours": ours[1:], "theirs": theirs[1:], "loads": loads[1:], "rows": len(json.loads(out)),
            "identical": not other_env or their_out == out}


def save_of_one_edit(path: Path, env: dict) -> dict:
    """Seconds of the results refresh after one edit, and of a whole save after another."""
    code = f"""
import sys, time, json
from itadesk.db.document import Document
from itadesk.db.operations import SetScores
from itadesk.db.results import refresh_results
with Document.open(sys.argv[1]) as doc:
    org = doc.organizations()[17]
    conn = doc._store.conn
    doc.apply(SetScores(org.uuid, 2568, {{1: 12.5}}, {{}}))
    c, w = time.process_time(), time.perf_counter()
    written = refresh_results(conn)
    refresh = (time.perf_counter() - w, time.process_time() - c, written)
    doc.apply(SetScores(org.uuid, 2567, {{2: 13.5}}, {{}}))
    c, w = time.process_time(), time.perf_counter()
    doc.save()
    save = (time.perf_counter() - w, time.process_time() - c)
print(json.dumps({{"refresh": refresh, "save": save}}))
"""
    with tempfile.TemporaryDirectory(prefix="itadesk-summary-save-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        return json.loads(_run(["-c", code, str(copy)], env)[2])


def _median(runs: list[tuple]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="an existing file (else one is generated)")
    parser.add_argument("--orgs", type=int, default=8000)
    parser.add_argument("--folder", type=Path, help="where a generated file is kept (default: a temp folder)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-save", action="store_true", help="only the summaries")
    parser.add_argument("--other", type=Path, help="another source tree, run alternately (its summary must agree)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadesk-summary-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ITADESK_DATA_DIR": str(folder / "data"), "QT_QPA_PLATFORM": "offscreen",
               "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        path = args.file or make_file(args.orgs, folder, env)
        result = summaries(path, args.runs, env, args.other)
        saved = None if args.no_save else save_of_one_edit(path, env)
        their_save = None if args.no_save or not args.other else save_of_one_edit(
            path, {**env, "PYTHONPATH": str(args.other)})
    now = datetime.now(timezone.utc)
    print(f"{now:%Y-%m-%d %H:%M} UTC · {platform.machine()} · {os.cpu_count()} cores · Python "
          f"{platform.python_version()} · SQLite {sqlite3.sqlite_version} · {path.stat().st_size / 1e6:.1f} MB, "
          f"{result['rows']:,} rows · load {min(result['loads']):.1f}–{max(result['loads']):.1f}")
    named = [("reference (sqlite3 + json)", result["ref"]), ("summary --json", result["ours"])]
    if result["theirs"]:
        named.append((f"summary --json of {args.other}", result["theirs"]))
    for name, runs in named:
        wall, cpu = _median(runs)
        each = ", ".join(f"{r[0]:.2f}" for r in runs)
        cpus = ", ".join(f"{r[1]:.2f}" for r in runs)
        peak = f", peak {max(r[2] for r in runs)} MiB" if len(runs[0]) > 2 else ""
        print(f"{name}: median {wall:.2f} s wall, {cpu:.2f} s CPU{peak} (runs: {each} s wall; {cpus} s CPU)")
    ratio = statistics.median(o[0] / r[0] for o, r in zip(result["ours"], result["ref"]))
    print(f"summary / reference: {ratio:.2f}× wall (median of the runs' ratios)")
    if result["theirs"]:
        ratio = statistics.median(o[0] / t[0] for o, t in zip(result["ours"], result["theirs"]))
        cpu = statistics.median(o[1] / t[1] for o, t in zip(result["ours"], result["theirs"]))
        same = "byte for byte" if result["identical"] else "same values, other bytes"
        print(f"summary / other tree's: {ratio:.2f}× wall, {cpu:.2f}× CPU (medians); outputs agree {same}")
    for name, one in (("", saved), (f" ({args.other})", their_save)):
        if one:
            w, c, n = one["refresh"]
            print(f"one edit{name}: results refresh {w:.3f} s wall, {c:.3f} s CPU ({n} evaluated); "
                  f"whole save after another edit {one['save'][0]:.2f} s wall, {one['save'][1]:.2f} s CPU")


if __name__ == "__main__":
    main()
