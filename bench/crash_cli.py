"""Crash harness for ``itadesk import`` and ``itadesk merge``: SIGKILL at random points, then check the stick.

Each point:

1. The "stick" folder holds ``ita.db`` (version 1) and ``ita.db.bak`` (version 0). In the
   ``journal`` variant ``ita.db`` is half-written by another program that died, with its
   hot ``-journal`` beside it: its real content is version 1 only when read with the journal.
   In the ``old`` variant ``ita.db`` is a file of the release before (schema 6,
   tests/fixtures/v6-old-note.db): the command migrates a copy and the save upgrades the file.
2. A forked child runs the command (``import`` of the reference JSON, or ``merge`` of another
   office's copy that has edits of its own) through :func:`itadesk.cli.main`; just before the
   file is written it reports the content it is about to save.
3. The parent kills it with SIGKILL: half the points at a uniformly random time over the
   measured duration of the command (+10 %), half a random time into a chosen save step.
   That step's length comes from calibration runs and varies with the disk's load, so the
   child waits at the step's end for the kill: a kill meant for the step never comes after
   the save is over (the command exited, nothing tested).
4. Checks, all of which must hold:
   - ``ita.db`` opens (read as any SQLite program would: with whatever lies beside it),
     passes ``integrity_check`` and holds exactly version 1 or the new content, never a mix;
   - ``.bak`` opens and holds version 0 or 1 (never the half-written bytes); if the target
     holds the new content, ``.bak`` is version 1 and no ``-journal``/``-wal`` is beside it;
   - the dead child's lock is stale or gone;
   - the same command run again (a new process) succeeds, and afterwards the stick holds only
     ``ita.db`` and ``ita.db.bak`` and the temp folder no ``itadesk-*`` folder of the killed child.

Usage::

    python bench/crash_cli.py                          # 10 points per command and variant
    python bench/crash_cli.py --points 100             # the opt-in long run (ITADESK_CRASH_CLI_POINTS)

Exit status 0 when every point passed, 1 otherwise. POSIX only (fork, SIGKILL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crash_save import ChildPipe, build_base, edit_randomly, file_state  # noqa: E402

from tests.db.samples import leave_hot_journal  # noqa: E402

from itadesk import cli  # noqa: E402
from itadesk.db import files  # noqa: E402
from tests.db import save_steps  # noqa: E402
from itadesk.db.files import connect  # noqa: E402
from itadesk.db.lock import read_lock  # noqa: E402
from itadesk.db.store import Store  # noqa: E402
from itadesk.db.versions import content_digest  # noqa: E402
from itadesk.ita.model import Organization  # noqa: E402

STEPS = tuple(save_steps.STEPS)
JSON_INPUT = ROOT / "tests" / "fixtures" / "chiangphin.json"
# The ``old`` variant: the target is a file of the release before (schema 6), upgraded by the save.
OLD_TARGET = ROOT / "tests" / "fixtures" / "v6-old-note.db"


def child(argv: list[str], write_fd: int, hold_after: str | None = None) -> None:
    """Runs in the forked process; never returns. Once step ``hold_after`` has begun, the next
    step (or the exit) waits for the parent's kill, which is due inside that step."""
    try:
        def report(line: str) -> None:
            os.write(write_fd, (line + "\n").encode())

        held: list[str] = []

        def announce(step: str) -> None:
            if held:
                time.sleep(60)  # killed here: the chosen step is over and the next not begun
            report(f"step {step} {time.perf_counter()}")
            if step == hold_after:
                held.append(step)

        quiet = os.open(os.devnull, os.O_WRONLY)  # the command's own output is not the harness's
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        original = files.save_copy

        def save_copy(source, target, before_replace=None):
            report(f"saving {content_digest(source)}")
            return original(source, target, before_replace)

        files.save_copy = save_copy
        save_steps.install(announce)  # this child only
        report(f"start {time.perf_counter()}")
        code = cli.main(argv)
        if held:
            time.sleep(60)  # the chosen step was the last one
        report(f"exit {code} {time.perf_counter()}")
        time.sleep(60)
    except BaseException as exc:  # noqa: BLE001
        os.write(write_fd, f"error {type(exc).__name__}: {exc}\n".encode())
    finally:
        os._exit(3)


def run_child(argv: list[str], plan: dict) -> dict:
    """Fork, kill according to ``plan`` ({"step": name or None or "exit", "delay": s})."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        child(argv, write_fd, plan.get("step") if plan.get("step") != "exit" else None)
    os.close(write_fd)
    pipe = ChildPipe(read_fd)
    lines, read_lines = pipe.lines, pipe.read

    read_lines(30.0, lambda line: line.startswith(("start", "error")))
    step = plan.get("step")
    if step == "exit":
        read_lines(60.0, lambda line: line.startswith(("exit", "error")))
    elif step:
        read_lines(60.0, lambda line: line.startswith((f"step {step} ", "exit", "error")))
        time.sleep(plan["delay"])
    else:
        time.sleep(plan["delay"])
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    read_lines(0.05)
    os.close(read_fd)
    info: dict = {"lines": lines, "pid": pid}
    if any(x.startswith("error") for x in lines):
        info["error"] = next(x for x in lines if x.startswith("error"))
    saving = [x.split(" ")[1] for x in lines if x.startswith("saving ")]
    info["new"] = saving[-1] if saving else None
    steps = [x.split(" ")[1] for x in lines if x.startswith("step ")]
    exited = [x for x in lines if x.startswith("exit ")]
    info["exit"] = int(exited[0].split(" ")[1]) if exited else None
    info["last_step"] = "exit" if exited else (steps[-1] if steps else "before-save")
    return info


def prepare(stick: Path, v0: Path, v1: Path, hot: Path | None) -> Path:
    for p in stick.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    target = stick / "ita.db"
    if hot is None:
        shutil.copyfile(v1, target)
    else:
        shutil.copyfile(hot, target)
        shutil.copyfile(f"{hot}-journal", f"{target}-journal")
    shutil.copyfile(v0, stick / "ita.db.bak")
    return target


def argv_for(command: str, target: Path, source: Path) -> list[str]:
    return [command, str(target), str(JSON_INPUT if command == "import" else source)]


def calibrate(stick, v0, v1, hot, command, source, rounds: int = 3) -> dict[str, float]:
    totals, per_step = [], {s: [] for s in STEPS}
    for _ in range(rounds):
        target = prepare(stick, v0, v1, hot)
        info = run_child(argv_for(command, target, source), {"step": "exit"})
        if "error" in info or info["exit"] not in (0, 1):
            raise RuntimeError(f"calibration of {command} failed: {info.get('error') or info['lines'][-3:]}")
        stamps = [(x.split(" ")[0] if not x.startswith("step") else x.split(" ")[1], float(x.split(" ")[-1]))
                  for x in info["lines"] if x.startswith(("start", "step", "exit"))]
        totals.append(stamps[-1][1] - stamps[0][1])
        for (name, t), (_, t_next) in zip(stamps, stamps[1:]):
            if name in per_step:
                per_step[name].append(t_next - t)
    out = {"total": statistics.median(totals)}
    out.update({k: statistics.median(v) for k, v in per_step.items() if v})
    return out


def check_point(stick: Path, tmp: Path, info: dict, digests: dict, command: str, source: Path) -> tuple[list[str], dict]:
    problems: list[str] = []
    target, bak = stick / "ita.db", stick / "ita.db.bak"
    t_digest, why = file_state(target)
    b_digest, why_bak = file_state(bak)
    names = {digests["v0"]: "v0", digests["v1"]: "v1"}
    if info["new"]:
        names[info["new"]] = "new"
    facts = {"target": names.get(t_digest, "BAD"), "bak": names.get(b_digest, "BAD")}
    facts["journal_left"] = Path(f"{target}-journal").exists()
    if t_digest is None:
        problems.append(f"target does not open: {why}")
    elif facts["target"] not in ("v1", "new"):
        problems.append("target holds neither the old nor the new content")
    if b_digest is None:
        problems.append(f".bak does not open: {why_bak}")
    elif facts["bak"] not in ("v0", "v1"):
        problems.append(".bak holds neither of the last two versions")
    if facts["target"] == "new":
        if facts["bak"] != "v1":
            problems.append("target is new but .bak is not the previous version")
        if facts["journal_left"] or Path(f"{target}-wal").exists():
            problems.append("a journal or WAL sits beside the new file")
    lock = read_lock(target)
    if lock is not None and not lock.stale:
        problems.append("lock of the killed process is not recognised as stale")
    # The next run of the same command (a new process) works and cleans what the kill left.
    if not problems:
        proc = subprocess.run([sys.executable, "-m", "itadesk", *argv_for(command, target, source)],
                              capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)})
        if proc.returncode not in (0, 1):
            problems.append(f"the command after the crash failed: {proc.stderr.strip()[-300:]}")
        left = sorted(p.name for p in stick.iterdir())
        if left != ["ita.db", "ita.db.bak"]:
            problems.append(f"left on the stick after the next run: {left}")
        orphans = [p.name for p in tmp.iterdir() if p.name.startswith("itadesk-") and f"-{info['pid']}-" in p.name]
        if orphans:
            problems.append(f"temp folders of the killed child not removed: {orphans}")
        if file_state(target)[0] is None:
            problems.append("the run after the crash produced a bad file")
    return problems, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=int(os.environ.get("ITADESK_CRASH_CLI_POINTS", "10")),
                        help="points per command and variant")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("ITADESK_CRASH_SEED", "1")))
    parser.add_argument("--commands", default="import,merge")
    parser.add_argument("--variants", default="plain,journal,old")
    parser.add_argument("--json", type=Path, help="write the counts here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if not hasattr(os, "fork"):
        print("crash_cli needs fork() and SIGKILL (Linux or macOS)", file=sys.stderr)
        return 2
    started = time.time()
    results: dict = {}
    all_ok = True
    with tempfile.TemporaryDirectory(prefix="itadesk-crash-cli-") as folder:
        root = Path(folder)
        os.environ["ITADESK_DATA_DIR"] = str(root / "data")
        tmp = root / "tmp"
        tmp.mkdir()
        os.environ["TMPDIR"] = str(tmp)
        tempfile.tempdir = str(tmp)  # the forked children make their private folders here
        stick = root / "stick"
        stick.mkdir()
        v0, v1, source, hot = root / "v0.db", root / "v1.db", root / "other.db", root / "hot.db"
        build_base(v0, args.seed)
        shutil.copyfile(v0, v1)
        conn = connect(v1)
        edit_randomly(Store(conn), random.Random(args.seed + 1))
        conn.close()
        shutil.copyfile(v1, source)  # the other office: version 1 plus edits and an office of its own
        conn = connect(source)
        store = Store(conn)
        edit_randomly(store, random.Random(args.seed + 2))
        store.save_organization(Organization(name="เทศบาลตำบลหนองแสง", province="อุดรธานี"))
        conn.close()
        leave_hot_journal(hot, v1)
        file_kb = round(v1.stat().st_size / 1024)
        digests = {"v0": file_state(v0)[0], "v1": file_state(v1)[0]}
        assert file_state(hot)[0] == digests["v1"], "the hot journal must roll back to version 1"
        old = root / "old.db"
        shutil.copyfile(OLD_TARGET, old)
        old_digests = {"v0": file_state(old)[0], "v1": file_state(old)[0]}
        rng = random.Random(args.seed)
        for command in args.commands.split(","):
            for variant in args.variants.split(","):
                hot_file = hot if variant == "journal" else None
                # An old file is its own previous version (.bak) too: either is the old content.
                base0, base1, known = (old, old, old_digests) if variant == "old" else (v0, v1, digests)
                timing = calibrate(stick, base0, base1, hot_file, command, source)
                counts: Counter = Counter()
                kills_at: Counter = Counter()
                targeted: list[list[str]] = []  # [chosen step, step the kill came in] per such point
                failures: list[dict] = []
                for i in range(args.points):
                    target = prepare(stick, base0, base1, hot_file)
                    steps = [s for s in STEPS if s in timing]
                    if i % 2 == 0 or not steps:
                        plan = {"step": None, "delay": rng.uniform(0, timing["total"] * 1.1)}
                    else:
                        step = rng.choice(steps)
                        plan = {"step": step, "delay": rng.uniform(0, timing.get(step, 0.001))}
                    info = run_child(argv_for(command, target, source), plan)
                    if "error" in info:
                        failures.append({"point": i, "problems": [f"child failed: {info['error']}"]})
                        continue
                    kills_at[info["last_step"]] += 1
                    if plan["step"]:
                        targeted.append([plan["step"], info["last_step"]])
                    problems, facts = check_point(stick, tmp, info, known, command, source)
                    counts[f"target={facts['target']}"] += 1
                    counts[f"bak={facts['bak']}"] += 1
                    counts["journal still beside the old target"] += facts["journal_left"]
                    if problems:
                        failures.append({"point": i, "plan": plan, "last_step": info["last_step"], "problems": problems})
                    if not args.quiet and (i + 1) % 25 == 0:
                        print(f"  {command}/{variant}: {i + 1}/{args.points}, {len(failures)} failures", flush=True)
                all_ok &= not failures
                results[f"{command}/{variant}"] = {
                    "points": args.points,
                    "passed": args.points - len(failures),
                    "median_command_ms": round(timing["total"] * 1000, 1),
                    "killed_after_step": dict(sorted(kills_at.items())),
                    "targeted": targeted,
                    "outcomes": dict(sorted(counts.items())),
                    "failures": failures[:10],
                }
    summary = {"seconds": round(time.time() - started, 1), "file_kb": file_kb, "runs": results}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
