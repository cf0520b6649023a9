"""A file read together with a hot journal is not noted as checked by its own bytes: those
bytes alone (the journal deleted, or the file copied without it) are a half-written state
nobody checked, and a note would let them skip every check, kept results included."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _summary(path: Path, data_dir: Path) -> tuple[int, str]:
    """(exit code, what it printed) of ``itadesk summary`` on a computer whose data folder is ``data_dir``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ITADESK_DATA_DIR": str(data_dir)}
    proc = subprocess.run([sys.executable, "-m", "itadesk", "summary", str(path), "--json"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    return proc.returncode, proc.stdout + proc.stderr


def _half_written(path: Path) -> None:
    """``path`` as another program leaves it when it dies while changing every score: the
    changed pages already in the file, the hot journal that rolls them back beside it."""
    live = path.with_name(".live-" + path.name)
    shutil.copyfile(path, live)
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # spills the changed pages into the file
    conn.execute("BEGIN")
    conn.execute("UPDATE indicator_scores SET score = 3")
    conn.execute("UPDATE actions SET steps = hex(randomblob(2000))")  # pushes the scores' page out
    shutil.copyfile(live, path)
    shutil.copyfile(f"{live}-journal", f"{path}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    live.unlink()


def test_bytes_read_with_a_hot_journal_are_checked_again_without_it(tmp_path):
    stick, data = tmp_path / "stick", tmp_path / "data"
    stick.mkdir()
    path = stick / "ita.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ITADESK_DATA_DIR": str(data)}
    made = subprocess.run([sys.executable, "-m", "itadesk", "import", str(path), str(ROOT / "tests/fixtures/chiangphin.json")],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert made.returncode == 0, made.stderr  # saved: every result kept in the file, up to date
    committed = _summary(path, data)
    assert committed[0] == 0, committed[1]
    _half_written(path)
    assert _summary(path, data) == committed  # read with its journal: rolled back in a private copy
    opened = subprocess.run([sys.executable, "-c", "import sys; from itadesk.db.document import Document; "
                             "Document.open(sys.argv[1], readonly=True).close()", str(path)],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert opened.returncode == 0, opened.stderr  # the window opens it the same way

    os.unlink(f"{path}-journal")  # the officer deletes the leftover (or copies the file alone)
    fresh = _summary(path, tmp_path / "another-computer")
    assert fresh != committed  # the half-written pages are in the file alone
    # This computer says what another would (here: damaged), not the verdict and the kept
    # results of the rolled-back content.
    assert _summary(path, data) == fresh
