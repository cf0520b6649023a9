"""How ITA Desk copes with a district's or a province's file: import, size, summary, merge.

Runs the CLI as an officer would (a fresh process per command) on files made by
generate_orgs.py, and measures against a reference taken in the same run: plain sqlite3
writing the same number of score rows into one file in one transaction. Ratios, not seconds,
are what to compare between machines.

    python bench/scale.py --orgs 100 200 400 [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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


def _run(args: list[str], env: dict) -> tuple[float, int]:
    """Seconds and peak resident MiB of one CLI command in its own process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "itadesk", *args], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return elapsed, peak


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


def measure(orgs: int, folder: Path, env: dict) -> dict:
    entries = generate(orgs, 2563, 2568)
    source = folder / f"orgs{orgs}.json"
    source.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    reference = _reference(entries, folder)
    target = folder / f"orgs{orgs}.db"
    imported, peak_import = _run(["import", str(target), str(source)], env)
    summary, peak_summary = _run(["summary", str(target), "--json"], env)
    other = folder / f"orgs{orgs}-other.db"
    _run(["import", str(other), str(source)], env)
    merged, peak_merge = _run(["merge", str(target), str(other)], env)
    return {"orgs": orgs, "rows": sum(10 + len(e.get("items", {})) for e in entries),
            "reference_s": reference, "import_s": imported, "import_ratio": imported / reference,
            "size_mb": target.stat().st_size / 1e6, "summary_s": summary, "merge_s": merged,
            "peak_mib": max(peak_import, peak_summary, peak_merge)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[100, 200, 400])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadesk-scale-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "ITADESK_DATA_DIR": str(folder / "data"), "QT_QPA_PLATFORM": "offscreen"}
        rows = [measure(n, folder, env) for n in args.orgs]
    print(f"{date.today().isoformat()} · {platform.machine()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version}")
    print("| organizations × 6 years | score rows | reference (sqlite3) | import | × reference "
          "| file size | `summary --json` | merge same-size file | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['orgs']:,} | {r['rows']:,} | {r['reference_s']:.2f} s | {r['import_s']:.2f} s "
              f"| {r['import_ratio']:.0f}× | {r['size_mb']:.1f} MB | {r['summary_s']:.2f} s "
              f"| {r['merge_s']:.2f} s | {r['peak_mib']} MiB |")


if __name__ == "__main__":
    main()
