"""How ITA Desk copes with a district's or a province's file: import, size, summary, merge.

Runs the CLI as an officer would (a fresh process per command) on files made by
generate_orgs.py, and measures against a reference taken in the same run: plain sqlite3
writing the same number of score rows into one file in one transaction. Ratios, not seconds,
are what to compare between machines; CPU seconds (user + system) are given beside the wall
clock because a shared machine stretches the latter.

Each command reports its own peak resident memory. A file this program saved or checked is
not checked again (itadesk/db/checked_files.py), so `summary` and `merge` are also run with
an empty data folder: the cost of a file seen for the first time.

    python bench/scale.py --orgs 100 400        # the quick run
    python bench/scale.py --orgs 8000           # the national scale of issue 15 (several minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_orgs import generate  # noqa: E402


# Runs itadesk's __main__ in this child and prints the child's own peak memory at exit.
CHILD = ("import atexit, resource, runpy, sys; "
          "atexit.register(lambda: print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
          "file=sys.stderr)); sys.argv = ['itadesk', *sys.argv[1:]]; runpy.run_module('itadesk', run_name='__main__')")


def _run(args: list[str], env: dict, ok: tuple[int, ...] = (0,)) -> dict:
    """Wall seconds, CPU seconds and peak resident MiB of one CLI command in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    peak = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_KIB"))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "mib": peak // 1024, "out": proc.stdout}


def _reference(entries: list[dict], folder: Path) -> float:
    """Plain sqlite3: the same score rows into one file, one transaction, synchronous=FULL."""
    path = folder / f"reference{len(entries)}.db"
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE s(org TEXT, year INT, code TEXT, score REAL)")
    with conn:
        conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?)", (
            (e["organization"]["name"], e["fiscal_year"], code, score)
            for e in entries for code, score in [*e["indicators"].items(), *e.get("items", {}).items()]))
    conn.close()
    return time.perf_counter() - start


def _changed(entries: list[dict], share: float) -> list[dict]:
    """The latest year of every 1/share-th organization with other scores: what an office
    sends after correcting its figures."""
    step = round(1 / share)
    latest = max(e["fiscal_year"] for e in entries)
    out = []
    for n, e in enumerate(x for x in entries if x["fiscal_year"] == latest):
        if n % step == 0:
            out.append(dict(e, indicators={k: (50.0 if v != 50.0 else 51.0) for k, v in e["indicators"].items()}))
    return out


PART = 6 * 1000  # entries per JSON file: 1,000 organizations × 6 years


def measure(orgs: int, folder: Path, env: dict) -> dict:
    entries = generate(orgs, 2563, 2568)
    # The importer takes JSON files of up to 20 MB: a province sends one file per 1,000 organizations.
    sources = []
    for part, start in enumerate(range(0, len(entries), PART)):
        sources.append(str(folder / f"orgs{orgs}-part{part}.json"))
        Path(sources[-1]).write_text(json.dumps(entries[start:start + PART], ensure_ascii=False), encoding="utf-8")
    reference = _reference(entries, folder)
    target = folder / f"orgs{orgs}.db"
    imported = _run(["import", str(target), *sources], env)
    summary = _run(["summary", str(target), "--json"], env)
    fresh = {**env, "ITADESK_DATA_DIR": str(folder / f"fresh-{orgs}-1")}
    summary_first = _run(["summary", str(target), "--json"], fresh)
    other = folder / f"orgs{orgs}-other.db"
    _run(["import", str(other), *sources], env)
    copy = folder / f"orgs{orgs}-copy.db"
    shutil.copyfile(target, copy)
    merged = _run(["merge", str(copy), str(other)], env)
    fresh = {**env, "ITADESK_DATA_DIR": str(folder / f"fresh-{orgs}-2")}
    merged_first = _run(["merge", str(copy), str(other)], fresh)
    # An office re-imports corrected figures for 5 % of the organizations; the district merges its file.
    corrected = folder / f"orgs{orgs}-corrected.json"
    corrected.write_text(json.dumps(_changed(entries, 0.05), ensure_ascii=False), encoding="utf-8")
    office = folder / f"orgs{orgs}-office.db"
    shutil.copyfile(target, office)
    _run(["import", str(office), str(corrected)], env)
    updated = _run(["merge", str(target), str(office)], env)
    runs = [imported, summary, summary_first, merged, merged_first, updated]
    return {"orgs": orgs, "rows": sum(10 + len(e.get("items", {})) for e in entries),
            "reference_s": reference, "import": imported, "import_ratio": imported["wall"] / reference,
            "size_mb": target.stat().st_size / 1e6, "summary": summary, "summary_first": summary_first,
            "merge": merged, "merge_first": merged_first, "merge_updates": updated,
            "updates_out": updated["out"].strip().splitlines()[0],
            "peak_mib": max(r["mib"] for r in runs)}


def _cell(run: dict) -> str:
    return f"{run['wall']:.1f} s ({run['cpu']:.1f} s CPU, {run['mib']} MiB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[100, 200, 400])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadesk-scale-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "ITADESK_DATA_DIR": str(folder / "data"), "QT_QPA_PLATFORM": "offscreen"}
        rows = [measure(n, folder, env) for n in args.orgs]
    print(f"{date.today().isoformat()} · {platform.machine()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · load {os.getloadavg()[0]:.1f}")
    print("| organizations × 6 years | score rows | reference (sqlite3) | import | × reference | file size "
          "| `summary --json` | summary, file not seen before | merge same-size file "
          "| merge, neither file seen before | merge, 5 % re-imported there | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['orgs']:,} | {r['rows']:,} | {r['reference_s']:.2f} s | {_cell(r['import'])} "
              f"| {r['import_ratio']:.0f}× | {r['size_mb']:.1f} MB | {_cell(r['summary'])} "
              f"| {_cell(r['summary_first'])} | {_cell(r['merge'])} | {_cell(r['merge_first'])} "
              f"| {_cell(r['merge_updates'])} | {r['peak_mib']} MiB |")
    for r in rows:
        print(f"{r['orgs']:,}: {r['updates_out']}")


if __name__ == "__main__":
    main()
