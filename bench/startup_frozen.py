"""Start-up of the frozen program (installers/itadesk.spec) against the same program from
source, measured in the same run, alternating, each a fresh process timed from outside.

Two things an officer waits for: the window with a file open (``--smoke-test`` opens the
file, paints, closes and quits) and a quick command (``summary``). Build the bundle first
(``bash installers/smoke.sh`` or ``python installers/build.py``).

    python bench/startup_frozen.py [--bundle build/smoke/dist/ITADesk] [--runs 5]
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
EXE = ".exe" if sys.platform == "win32" else ""


def timed(args: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "build" / "smoke" / "dist" / "ITADesk")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    if not (bundle / f"itadesk-cli{EXE}").exists():
        raise SystemExit(f"no bundle at {bundle}: run bash installers/smoke.sh first")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = dict(os.environ, ITADESK_DATA_DIR=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"))
        if sys.platform != "win32":
            env["QT_QPA_PLATFORM"] = "offscreen"
        doc = work / "เชียงพิณ.itadesk"
        subprocess.run([sys.executable, "-m", "itadesk", "import", str(doc),
                        str(ROOT / "tests" / "fixtures" / "chiangphin.json")], env=env, check=True,
                       capture_output=True)
        cases = {
            "window + file": {
                "frozen": [str(bundle / f"ITADesk{EXE}"), str(doc), "--smoke-test"],
                "source": [sys.executable, "-m", "itadesk", str(doc), "--smoke-test"],
            },
            "summary (CLI)": {
                "frozen": [str(bundle / f"itadesk-cli{EXE}"), "summary", str(doc)],
                "source": [sys.executable, "-m", "itadesk", "summary", str(doc)],
            },
        }
        results: dict[tuple[str, str], list[float]] = {}
        for case, variants in cases.items():
            for name, command in variants.items():
                timed(command, env, work)  # warm the OS file cache once: we measure the program
            for _ in range(args.runs):
                for name, command in variants.items():
                    results.setdefault((case, name), []).append(timed(command, env, work))

    print(f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs, "
          f"{args.runs} runs each, warm cache")
    print("| what | from source (median / min) | frozen (median / min) |")
    print("|---|---|---|")
    for case in cases:
        cells = []
        for name in ("source", "frozen"):
            values = results[(case, name)]
            cells.append(f"{statistics.median(values):.2f} s / {min(values):.2f} s")
        print(f"| {case} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
