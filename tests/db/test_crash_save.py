"""The crash harness as a test: SIGKILL a saving process at ≥200 random points (bench/crash_save.py).

ITADESK_CRASH_POINTS=2000 makes it the long run; deselect with ``-m "not crash"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# 200 saves killed and checked: 4.4 min seen on the shared machine under load;
# the bounds below only catch a hang.
BOUND_S = 1800

pytestmark = [
    pytest.mark.crash,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL"),
    pytest.mark.timeout(BOUND_S + 60),
]


def test_killed_save_never_leaves_a_mix_and_never_loses_an_edit(tmp_path):
    points = int(os.environ.get("ITADESK_CRASH_POINTS", "200"))
    out = tmp_path / "crash.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crash_save.py"), "--points", str(points), "--quiet", "--json", str(out)],
        capture_output=True, text=True, timeout=max(BOUND_S, points * 2),
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["points"] == points >= 200 and result["passed"] == points and result["failed"] == 0
    outcomes = result["outcomes"]
    # The kills did land on both sides of the replace, and in the middle of the save.
    assert outcomes["target=v1"] > 0 and outcomes["target=new"] > 0
    assert outcomes["recovery offered"] == outcomes["target=v1"]
    assert sum(n for step, n in result["killed_after_step"].items() if step not in ("saved", "before-save")) >= points // 2
    # Every other point waits for a chosen save step before its kill: each such kill lands in the
    # step chosen for it, however long that step takes on this run's disk.
    assert len(result["targeted"]) == points // 2 and all(chosen == landed for chosen, landed in result["targeted"]), \
        result["targeted"]


def test_the_harness_does_catch_an_unsafe_save():
    """Control: against a naive in-place save, the same harness reports damaged files."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crash_save_unsafe_control.py"), "--points", "30"],
        capture_output=True, text=True, timeout=BOUND_S,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "unsafe save:" in proc.stdout
