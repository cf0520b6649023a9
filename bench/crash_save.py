"""Crash harness: kill a saving ITA Desk process with SIGKILL at random points, then check the stick.

Each point:

1. The "stick" folder holds ``ita.db`` (version 1) and ``ita.db.bak`` (version 0).
2. A child process (``os.fork``) opens ``ita.db`` as a :class:`Document`, makes a random
   batch of edits (each committed to its working copy at once), reports the content digest
   of its working copy, and calls :meth:`Document.save`.
3. The parent kills it with SIGKILL: either at a uniformly random time within the measured
   save duration, or a random fraction into one chosen save step (so every step is hit).
   That step's length comes from calibration saves and varies with the disk's load, so the
   child waits at the step's end for the kill: a kill meant for the step never comes after
   the save is over (as bench/crash_cli.py does).
4. Checks, all of which must hold:
   - ``ita.db`` opens, passes ``integrity_check`` and holds exactly version 1 or the new
     content (content digest), never a mix; if it holds the new content, ``.bak`` holds
     version 1; ``.bak`` always opens and is version 0 or 1;
   - no ``-journal`` beside the target;
   - the child's working copy holds every committed edit (its digest equals the one the
     child reported); recovery offers it exactly when the target does not have them, with
     the right number of unsaved changes;
   - the dead child's lock is recognised as stale: the file opens again without a
     question, and the next save removes the temp files the killed save left.

Usage::

    python bench/crash_save.py                 # 200 points (ITADESK_CRASH_POINTS overrides)
    python bench/crash_save.py --points 2000   # the opt-in long run
    python bench/crash_save.py --slow-ms 5     # emulate slow media: sleep at every save step
    python bench/crash_save.py --stick /media/usb/test   # a real stick (it is emptied!)

Exit status 0 when every point passed, 1 otherwise. POSIX only (fork, SIGKILL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.db import save_steps  # noqa: E402

from itadesk.db.document import Document, pending_recoveries  # noqa: E402
from itadesk.db.files import connect, new_document, read_snapshot  # noqa: E402
from itadesk.db.lock import read_lock  # noqa: E402
from itadesk.db.store import Store  # noqa: E402
from itadesk.db.versions import content_digest  # noqa: E402
from itadesk.ita.model import Action, Organization  # noqa: E402

STEPS = tuple(save_steps.STEPS)


# -- the documents ------------------------------------------------------------------

def build_base(path: Path, seed: int, orgs: int = 3, actions: int = 120) -> None:
    """A document of a realistic size (a few hundred KB): several offices, years, plans."""
    rng = random.Random(seed)
    new_document(path)
    conn = connect(path)
    store = Store(conn)
    for o in range(orgs):
        org = store.save_organization(Organization(name=f"องค์การบริหารส่วนตำบลทดสอบ{o}", province="อุดรธานี"))
        for year in (2566, 2567, 2568):
            a = store.ensure_assessment(org.uuid, year)
            with store.transaction() as c:
                for n in range(1, 11):
                    c.execute("INSERT INTO indicator_scores(uuid, assessment_uuid, indicator, score, updated_at) "
                              "VALUES (?, ?, ?, ?, '2025-01-01')", (f"{a}-{n}", a, n, round(rng.uniform(50, 100), 2)))
            store.set_recommendation(a, "IIT", "ข้อเสนอแนะ " * rng.randint(20, 80))
            for i in range(actions // 3):
                store.save_action(a, Action(indicator=1 + i % 10, measure=f"มาตรการ {i} " + "ก" * rng.randint(10, 200),
                                            owner="สำนักปลัด", start=date(2025, 10, 1), end=date(2026, 9, 30)))
    conn.close()


def edit_randomly(store: Store, rng: random.Random) -> int:
    """A batch of typical edits; returns how many (each one a committed transaction)."""
    keys = store.assessment_keys()
    count = rng.randint(3, 12)
    for _ in range(count):
        _, _, a = rng.choice(keys)
        what = rng.random()
        if what < 0.4:
            store.set_indicator_score(a, rng.randint(1, 10), round(rng.uniform(0, 100), 2))
        elif what < 0.6:
            store.set_analysis(a, rng.randint(1, 10), "บทวิเคราะห์ " * rng.randint(5, 300))
        elif what < 0.8:
            store.save_action(a, Action(measure="มาตรการใหม่ " + "ข" * rng.randint(5, 500)))
        else:
            actions = store.actions(a)
            if actions:
                store.delete_action(rng.choice(actions).uuid)
            else:
                store.add_unit(f"กอง {rng.random()}")
    return count


def file_state(path: Path) -> tuple[str | None, str]:
    """(content digest, "") for a sound file, or (None, reason) when it fails to open or check."""
    try:
        with read_snapshot(path) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            if [tuple(r) for r in ok] != [("ok",)]:
                return None, f"integrity_check: {ok[:3]}"
            return content_digest(conn), ""
    except Exception as exc:  # noqa: BLE001 - any failure to open is what we are looking for
        return None, f"{type(exc).__name__}: {exc}"


def working_digest(path: Path) -> str | None:
    if not path.exists():
        return None
    conn = sqlite3.connect(path, isolation_level=None)  # rolls back a hot journal, as recovery does
    try:
        return content_digest(conn)
    finally:
        conn.close()


# -- one child ------------------------------------------------------------------------

def child(target: Path, seed: int, write_fd: int, slow_ms: float, hold_after: str | None = None) -> None:
    """Runs in the forked process; never returns. Once step ``hold_after`` has begun, the next
    step (or the end of the save) waits for the parent's kill, which is due inside that step."""
    try:
        def report(line: str) -> None:
            os.write(write_fd, (line + "\n").encode())

        held: list[str] = []

        def hook(step: str) -> None:
            if held:
                time.sleep(60)  # killed here: the chosen step is over and the next not begun
            report(f"step {step} {time.perf_counter()}")
            if step == hold_after:
                held.append(step)
            if slow_ms:
                time.sleep(slow_ms / 1000 * random.random() * 2)

        save_steps.install(hook)  # this child only: the program itself has no hook
        doc = Document.open(target)
        edits = edit_randomly(doc._store, random.Random(seed))
        digest = content_digest(doc._conn)
        report(f"ready {digest} {edits} {doc.working_copy} {time.perf_counter()}")
        doc.save()
        if held:
            time.sleep(60)  # the chosen step was the last one
        report(f"saved {time.perf_counter()}")
        time.sleep(60)  # wait to be killed, like everyone else
    except BaseException as exc:  # noqa: BLE001
        os.write(write_fd, f"error {type(exc).__name__}: {exc}\n".encode())
    finally:
        os._exit(3)


class ChildPipe:
    """The lines a forked child writes into a pipe, read with a timeout and an optional stop line."""

    def __init__(self, fd: int):
        self.fd, self.buffer, self.lines = fd, b"", []

    def read(self, timeout: float, until=None) -> None:
        import select

        end = time.perf_counter() + timeout
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return
            self.buffer += chunk
            *complete, self.buffer = self.buffer.split(b"\n")
            new = [x.decode() for x in complete if x]
            self.lines.extend(new)
            if until is not None and any(until(x) for x in new):
                return


def run_child(target: Path, seed: int, slow_ms: float, plan: dict) -> dict:
    """Fork, wait for 'ready', kill according to ``plan``; returns what the child said.

    ``plan``: {"step": name or None, "delay": seconds}. With a step, the kill comes
    ``delay`` after the child reports entering that step; without, ``delay`` after 'ready'.
    ``{"step": "saved"}`` lets the save finish (calibration).
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        step = plan.get("step")
        child(target, seed, write_fd, slow_ms, step if step != "saved" else None)
    os.close(write_fd)
    pipe = ChildPipe(read_fd)
    lines, read_lines = pipe.lines, pipe.read

    def kill() -> None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

    read_lines(30.0, lambda line: line.startswith(("ready", "error")))
    info: dict = {"lines": lines, "pid": pid}
    ready_line = next((x for x in lines if x.startswith("ready")), None)
    if ready_line is None:
        kill()
        os.close(read_fd)
        info["error"] = lines[-1] if lines else "child said nothing"
        return info
    _, digest, edits, working, _ = ready_line.split(" ")
    info.update(digest=digest, edits=int(edits), working=Path(working))
    step = plan.get("step")
    if step == "saved":
        read_lines(30.0, lambda line: line.startswith(("saved", "error")))
    elif step:
        read_lines(30.0, lambda line: line.startswith((f"step {step} ", "saved", "error")))
        time.sleep(plan["delay"])
    else:
        time.sleep(plan["delay"])
    kill()
    read_lines(0.05)
    os.close(read_fd)
    if any(x.startswith("error") for x in lines):
        info["error"] = next(x for x in lines if x.startswith("error"))
    steps = [x.split(" ")[1] for x in lines if x.startswith("step ")]
    info["last_step"] = "saved" if any(x.startswith("saved") for x in lines) else (steps[-1] if steps else "before-save")
    return info


# -- the harness ----------------------------------------------------------------------

def prepare(stick: Path, v0: Path, v1: Path) -> Path:
    for p in stick.iterdir():
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
    target = stick / "ita.db"
    shutil.copyfile(v1, target)
    shutil.copyfile(v0, stick / "ita.db.bak")
    return target


def calibrate(stick: Path, v0: Path, v1: Path, slow_ms: float, rounds: int = 5) -> dict[str, float]:
    """Durations of the whole save and of each step, from saves that are not killed."""
    totals, per_step = [], {s: [] for s in STEPS}
    for i in range(rounds):
        target = prepare(stick, v0, v1)
        info = run_child(target, 10_000 + i, slow_ms, {"step": "saved"})
        if "error" in info:
            raise RuntimeError(f"calibration save failed: {info['error']}")
        times = [(x.split(" ")[1], float(x.split(" ")[2])) for x in info["lines"] if x.startswith("step ")]
        ready = float(next(x for x in info["lines"] if x.startswith("ready")).split(" ")[-1])
        saved = float(next(x for x in info["lines"] if x.startswith("saved")).split(" ")[-1])
        totals.append(saved - ready)
        for (name, t), (_, t_next) in zip(times, times[1:] + [("saved", saved)]):
            per_step[name].append(t_next - t)
        _cleanup_children_leftovers()
    out = {"total": statistics.median(totals)}
    out.update({k: statistics.median(v) for k, v in per_step.items() if v})
    return out


def _cleanup_children_leftovers() -> None:
    for r in pending_recoveries():
        from itadesk.db.document import discard_recovery

        discard_recovery(r)


def check_point(stick: Path, info: dict, digests: dict[str, str]) -> tuple[list[str], dict]:
    """Every property of the module docstring; returns (problems, facts)."""
    problems: list[str] = []
    facts: dict = {}
    target = stick / "ita.db"
    bak = stick / "ita.db.bak"
    t_digest, why = file_state(target)
    b_digest, why_bak = file_state(bak)
    names = {digests["v0"]: "v0", digests["v1"]: "v1", info["digest"]: "new"}
    facts["target"] = names.get(t_digest, "BAD")
    facts["bak"] = names.get(b_digest, "BAD")
    if t_digest is None:
        problems.append(f"target does not open: {why}")
    elif facts["target"] not in ("v1", "new"):
        problems.append("target holds neither the old nor the new content")
    if b_digest is None:
        problems.append(f".bak does not open: {why_bak}")
    elif facts["bak"] not in ("v0", "v1"):
        problems.append(".bak holds neither of the last two versions")
    if facts["target"] == "new" and facts["bak"] != "v1":
        problems.append("target is new but .bak is not the previous version")
    if target.with_name("ita.db-journal").exists():
        problems.append("hot journal beside the target")
    # The working copy holds every committed edit, whether or not the save got through.
    w = working_digest(info["working"])
    if w != info["digest"]:
        problems.append(f"working copy lost edits ({w} != {info['digest']})")
    lock = read_lock(target)
    facts["lock_stale"] = bool(lock and lock.stale)
    if lock is not None and not lock.stale:
        problems.append("lock of the killed process is not recognised as stale")
    facts["leftovers"] = len([p for p in stick.iterdir() if ".saving" in p.name])
    offered = [r for r in pending_recoveries() if r.working_copy == info["working"]]
    facts["recovery_offered"] = bool(offered)
    if facts["target"] == "v1" and not offered:
        problems.append("the target lacks the edits but recovery does not offer them")
    if facts["target"] == "new" and offered:
        problems.append("the save got through but recovery still offers the edits as unsaved")
    if offered and offered[0].unsaved_changes != info["edits"]:
        problems.append(f"recovery counts {offered[0].unsaved_changes} changes, {info['edits']} were made")
    # Next session: the stale lock is taken over, and a save cleans what the killed one left.
    if not problems:
        try:
            if offered:
                from itadesk.db.document import recover

                doc = recover(offered[0])
                doc.save(force=True)
            else:
                doc = Document.open(target)
                doc._store.set_meta("after-crash", "1")
                doc.save()
            doc.close()
            if [p for p in stick.iterdir() if ".saving" in p.name]:
                problems.append("temp files of the killed save were not cleaned by the next save")
            if file_state(target)[0] is None:
                problems.append("the save after the crash produced a bad file")
        except Exception as exc:  # noqa: BLE001
            problems.append(f"reopening after the crash failed: {type(exc).__name__}: {exc}")
    return problems, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=int(os.environ.get("ITADESK_CRASH_POINTS", "200")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("ITADESK_CRASH_SEED", "1")))
    parser.add_argument("--slow-ms", type=float, default=float(os.environ.get("ITADESK_CRASH_SLOW_MS", "0")))
    parser.add_argument("--stick", type=Path, help="folder standing for the stick (emptied!); default: a temp folder")
    parser.add_argument("--json", type=Path, help="write the counts here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if not hasattr(os, "fork"):
        print("crash_save needs fork() and SIGKILL (Linux or macOS)", file=sys.stderr)
        return 2

    started = time.time()
    with tempfile.TemporaryDirectory(prefix="itadesk-crash-") as tmp:
        root = Path(tmp)
        os.environ["ITADESK_DATA_DIR"] = str(root / "data")
        stick = args.stick or root / "stick"
        stick.mkdir(parents=True, exist_ok=True)
        v0, v1 = root / "v0.db", root / "v1.db"
        build_base(v0, args.seed)
        shutil.copyfile(v0, v1)
        conn = connect(v1)
        edit_randomly(Store(conn), random.Random(args.seed + 1))
        conn.close()
        digests = {"v0": file_state(v0)[0], "v1": file_state(v1)[0]}
        timing = calibrate(stick, v0, v1, args.slow_ms)
        rng = random.Random(args.seed)
        counts: Counter = Counter()
        kills_at: Counter = Counter()
        targeted: list[list[str]] = []  # [chosen step, step the kill came in] per such point
        failures: list[dict] = []
        for i in range(args.points):
            target = prepare(stick, v0, v1)
            steps = [s for s in STEPS if s in timing]
            if i % 2 == 0 or not steps:  # uniformly over the whole save, a little beyond its end
                plan = {"step": None, "delay": rng.uniform(0, timing["total"] * 1.1)}
            else:  # inside a chosen step
                step = rng.choice(steps)
                plan = {"step": step, "delay": rng.uniform(0, timing.get(step, 0.001))}
            info = run_child(target, args.seed * 100_000 + i, args.slow_ms, plan)
            if "error" in info:
                failures.append({"point": i, "problems": [f"child failed: {info['error']}"]})
                continue
            kills_at[info["last_step"]] += 1
            if plan["step"]:
                targeted.append([plan["step"], info["last_step"]])
            problems, facts = check_point(stick, info, digests)
            counts[f"target={facts['target']}"] += 1
            counts[f"bak={facts['bak']}"] += 1
            counts["recovery offered"] += facts["recovery_offered"]
            counts["temp files left by the kill (cleaned by next save)"] += facts["leftovers"] > 0
            counts["stale lock taken over"] += facts["lock_stale"]
            if problems:
                failures.append({"point": i, "plan": plan,
                                 "last_step": info["last_step"], "problems": problems})
            _cleanup_children_leftovers()
            if not args.quiet and (i + 1) % 50 == 0:
                print(f"  {i + 1}/{args.points} points, {len(failures)} failures", flush=True)
        result = {
            "points": args.points,
            "passed": args.points - len(failures),
            "failed": len(failures),
            "seconds": round(time.time() - started, 1),
            "median_save_ms": round(timing["total"] * 1000, 1),
            "file_kb": round(v1.stat().st_size / 1024),
            "slow_ms": args.slow_ms,
            "killed_after_step": dict(sorted(kills_at.items(), key=lambda kv: (STEPS + ("saved", "before-save")).index(kv[0]))),
            "targeted": targeted,
            "outcomes": dict(sorted(counts.items())),
            "problem_counts": dict(Counter(p.split(":")[0] for f in failures for p in f["problems"]).most_common()),
            "failures": failures[:20],
        }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
