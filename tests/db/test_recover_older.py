"""A working copy left by the previous release (an older schema) is migrated when recovered,
so the officer's unsaved edits can still be saved: before, the save failed on the old
row_versions table and the edits were stranded in the working copy."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "tests/fixtures/v6-old-note.db"  # written by the release of schema 6

DIE_AFTER_AN_EDIT = """
import os, sys
from itadesk.db.document import Document
from itadesk.db.operations import SetScores
doc = Document.open(sys.argv[1])
org = doc._store.conn.execute("SELECT org_uuid FROM assessments ORDER BY org_uuid, fiscal_year").fetchone()[0]
doc.apply(SetScores(org_uuid=org, year=2568, indicators={1: 42.0}))
os._exit(9)
"""

RECOVER_AND_SAVE = """
from itadesk.db.document import pending_recoveries, recover
[info] = pending_recoveries()
doc = recover(info)
doc.save()
doc.close()
print("saved")
"""


def _run(code: str, *args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ITADESK_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_a_working_copy_of_the_previous_release_is_recovered_and_saved(tmp_path):
    stick, data = tmp_path / "stick", tmp_path / "data"
    stick.mkdir()
    target = stick / "ita.db"
    shutil.copyfile(OLD, target)
    died = _run(DIE_AFTER_AN_EDIT, str(target), data=data)
    assert died.returncode == 9, died.stderr
    [note] = (data / "working").glob("*.json")
    working = note.with_suffix(".db")
    assert json.loads(note.read_text(encoding="utf-8"))["target"] == str(target)

    # The working copy as the previous release leaves it: its schema, the edit made there.
    for leftover in (working, Path(f"{working}-wal"), Path(f"{working}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(OLD, working)
    conn = sqlite3.connect(working, isolation_level=None)
    org = conn.execute("SELECT org_uuid FROM assessments ORDER BY org_uuid, fiscal_year").fetchone()[0]
    conn.execute("UPDATE indicator_scores SET score = 42.0 WHERE indicator = 1 AND assessment_uuid = "
                 "(SELECT uuid FROM assessments WHERE org_uuid = ? AND fiscal_year = 2568)", (org,))
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'edit_count'")
    conn.close()

    saved = _run(RECOVER_AND_SAVE, data=data)
    assert saved.returncode == 0 and "saved" in saved.stdout, saved.stderr
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] > 6
        assert conn.execute("SELECT score FROM indicator_scores s JOIN assessments a ON a.uuid = s.assessment_uuid "
                            "WHERE a.org_uuid = ? AND a.fiscal_year = 2568 AND indicator = 1", (org,)).fetchone() == (42.0,)
    finally:
        conn.close()
